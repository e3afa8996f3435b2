import * as fc from 'fast-check';
import { apiWindow, blockedReason, dateProblem, parseWindow, windowProblem } from '../../src/private/calendar';

describe('blocked windows and dates', () => {
  test.each([
    ['Mon:09:00-Mon:17:00', 1, 540, 1020],
    ['SUN:00:00-SUN:23:59', 0, 0, 1439],
    ['sat:18:30-sat:19:30', 6, 1110, 1170],
  ])('parses %s', (text, day, from, to) => {
    // WHEN
    const w = parseWindow(text);
    // THEN
    expect(windowProblem('w', text)).toBeUndefined();
    expect(w).toEqual({ text, day, from, to });
  });

  test.each([
    ['Mon:09:00-Tue:17:00', /within one day/],
    ['Mon:17:00-Mon:09:00', /end after they start, got: "Mon:17:00-Mon:09:00" \(inverted\)\. Give the start first, e\.g\. Mon:09:00-Mon:17:00\./],
    ['Mon:09:00-Mon:09:00', /\(no time at all\)/],
    ['Mon:24:00-Mon:25:00', /like Mon:09:00-Mon:17:00 \(UTC\)/],
    ['Monday:09:00-Monday:10:00', /like Mon:09:00-Mon:17:00/],
  ])('rejects the window %s', (text, message) => {
    expect(windowProblem('blockedWindows', text)).toMatch(message);
  });

  test.each(['2026-13-01', '2026-1-5', '2026-02-30x', 12])('rejects the date %s', (text) => {
    expect(dateProblem('blockedDates', text)).toMatch(/`blockedDates` entries must be YYYY-MM-DD \(UTC\)/);
  });

  test('writes windows as the API spells them', () => {
    expect(apiWindow('MON:18:30-MON:19:30')).toBe('Mon:18:30-Mon:19:30');
  });

  test('a time inside a window is blocked, its end is not', () => {
    // GIVEN 2026-11-30 is a Monday
    const windows = ['Mon:09:00-Mon:17:00'];
    // THEN
    expect(blockedReason(new Date('2026-11-30T09:00:00Z'), windows, [])).toBe('2026-11-30T09:00:00.000Z is in the blocked window Mon:09:00-Mon:17:00 (UTC)');
    expect(blockedReason(new Date('2026-11-30T16:59:59Z'), windows, [])).toMatch(/blocked window/);
    expect(blockedReason(new Date('2026-11-30T17:00:00Z'), windows, [])).toBeUndefined();
    expect(blockedReason(new Date('2026-11-30T08:59:59Z'), windows, [])).toBeUndefined();
    expect(blockedReason(new Date('2026-12-01T10:00:00Z'), windows, [])).toBeUndefined();
  });

  test('a blocked date blocks the whole UTC day', () => {
    expect(blockedReason(new Date('2026-12-24T00:00:00Z'), [], ['2026-12-24'])).toBe('2026-12-24 is a blocked date');
    expect(blockedReason(new Date('2026-12-24T23:59:59Z'), [], ['2026-12-24'])).toMatch(/blocked date/);
    expect(blockedReason(new Date('2026-12-25T00:00:00Z'), [], ['2026-12-24'])).toBeUndefined();
  });

  test('any time is blocked exactly when its day and minute fall in a window', () => {
    fc.assert(fc.property(
      fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T23:59:59Z') }),
      fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 1439 }),
      (t, day, from, length) => {
        const to = Math.min(1439, from + length);
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const name = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][day];
        const text = `${name}:${hhmm(from)}-${name}:${hhmm(to)}`;
        const at = new Date(t);
        const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
        const inside = at.getUTCDay() === day && minute >= from && minute < to;
        expect(blockedReason(at, [text], []) !== undefined).toBe(inside);
      }));
  });
});
