import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { ENGINE, strategyProps } from './workload';
import { DisasterRecovery, RecoveryStrategy } from '../../src';
import { testApp } from '../util';

const strategy = fc.oneof(
  fc.constant(RecoveryStrategy.backupAndRestore()),
  fc.option(fc.integer({ min: -2, max: 9 }), { nil: undefined }).map((n) => RecoveryStrategy.pilotLight({ standbyCapacity: n })),
  fc.option(fc.oneof(fc.integer({ min: -2, max: 9 }), fc.constant(1.5)), { nil: undefined })
    .map((n) => RecoveryStrategy.warmStandby({ standbyCapacity: n })),
  fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }).map((n) => RecoveryStrategy.hotStandby({ standbyCapacity: n })),
  fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }).map((n) => RecoveryStrategy.activeActive({ regionCapacity: n })),
);
const props = fc.record({
  appName: fc.oneof({ arbitrary: fc.constantFrom('orders', 'a', 'orders-2'), weight: 6 }, { arbitrary: fc.constantFrom('', 'Orders', '-x', 'a--b', 'x'.repeat(25)), weight: 1 }),
  peakCapacity: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 12 }), weight: 6 }, { arbitrary: fc.constantFrom(0, -1, 2.5, NaN), weight: 1 }),
  recoveryRegion: fc.oneof({ arbitrary: fc.constant('us-west-2'), weight: 6 }, { arbitrary: fc.constantFrom('us-east-1', 'west'), weight: 1 }),
  maxLag: fc.option(fc.oneof(fc.integer({ min: 1, max: 3600 }), fc.constantFrom(0, 3601)).map((s) => Duration.seconds(s)), { nil: undefined }),
  price: fc.option(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(-0.5, NaN, Infinity)), { nil: undefined }),
});

test('a strategy either builds, with figures that compose, or fails naming the prop', () => {
  fc.assert(fc.property(strategy, props, (s, p) => {
    const app = testApp();
    let dr: DisasterRecovery;
    try {
      dr = new DisasterRecovery(app, 'Dr', strategyProps(s, {
        appName: p.appName,
        peakCapacity: p.peakCapacity,
        recoveryRegion: p.recoveryRegion,
        database: { engine: ENGINE, maxLag: s.kind === 'backup and restore' ? undefined : p.maxLag },
        pricing: { loadBalancerHour: p.price },
      }));
    } catch (e) {
      expect((e as Error).message).toMatch(/Dr[^]*`(appName|peakCapacity|recoveryRegion|database\.maxLag|pricing\.loadBalancerHour|strategy\.(standbyCapacity|regionCapacity))`/);
      return;
    }
    const path = dr.recoveryPaths()[0];
    expect(dr.standbyCapacity).toBeGreaterThanOrEqual(s.kind === 'warm standby' || s.kind === 'active-active' ? 1 : 0);
    expect(dr.standbyCapacity).toBeLessThanOrEqual(s.kind === 'warm standby' ? dr.fullCapacity - 1 : dr.fullCapacity);
    if (s.kind === 'hot standby') {
      expect(dr.standbyCapacity).toEqual(dr.fullCapacity);
    }
    expect(Number.isFinite(path.cost!.monthlyUsd) && path.cost!.monthlyUsd >= 0).toBe(true);
  }), { numRuns: 15, seed: 1401 });
});
