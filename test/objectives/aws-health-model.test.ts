import { RecoveryTermKind } from '../../src';
import { alarmDetection } from '../../src/objectives/model/alarms';
import { awsHealthDetection } from '../../src/objectives/model/aws-health';

describe('the AWS Health model', () => {
  test('the event is a detection term from 0 up to the assumption, marked as such by default', () => {
    // WHEN
    const term = awsHealthDetection(['EC2', 'RDS']);

    // THEN
    expect(term).toEqual({
      id: 'aws-health-event',
      kind: RecoveryTermKind.DETECTION,
      min: 0,
      max: 1800,
      basis: 'AWS Health posts an issue event for EC2, RDS and EventBridge delivers it: up to 1800 s (assumed: AWS publishes no delay from an '
        + 'impairment to its AWS Health event (posted once AWS has confirmed the issue) nor to EventBridge delivery; 30 minutes is an assumed '
        + 'placeholder until your incidents show yours)',
      assumption: true,
      assumptionId: 'awsHealthSignal',
      remedy: expect.stringContaining('assumptions.awsHealthSignal'),
    });
  });

  test('a value from incidents replaces the default and is no longer an assumption', () => {
    const term = awsHealthDetection(['EC2'], 720);
    expect([term.min, term.max, term.assumption]).toEqual([0, 720, false]);
    expect(term.basis).toEqual('AWS Health posts an issue event for EC2 and EventBridge delivers it: up to 720 s');
  });

  test('followed by the 15 minute alarm, the worst case is the event, two periods and Route 53 reading the alarm', () => {
    const event = awsHealthDetection(['EC2']);
    const alarm = alarmDetection({ period: 900, evaluationPeriods: 1 });
    expect([alarm.min, alarm.max]).toEqual([0, 1860]);
    expect(event.max + alarm.max).toEqual(3660);
  });
});
