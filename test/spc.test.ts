// Making Data Count SPC: XmR limits, the four special-cause rules, the variation and assurance
// icons. Every expected number is worked by hand in the comments; the rules' conventions (a point
// on the mean ends a run, "outside" means strictly beyond, a gap is skipped) are in src/judge/spc.ts.
import { describe, expect, test } from 'vitest';
import { spc, xmrLimits, type SeriesPoint, type SpcChart, type SpcOptions, type SpcResult } from '../src/judge/spc.ts';

/** Monthly labels from `start`: series([1, 2], '2024-01') → 2024-01 = 1, 2024-02 = 2. */
function series(values: readonly (number | null)[], start = '2024-01'): SeriesPoint[] {
  const [y, m] = start.split('-').map(Number);
  return values.map((value, k) => {
    const month = y * 12 + (m - 1) + k;
    return { label: `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`, value };
  });
}

function chart(result: SpcResult): SpcChart {
  if (result.status !== 'ok') throw new Error(`expected a chart, got: ${result.reason}`);
  return result;
}

// The baseline used by most tests: 16 months, 2024-01 to 2025-04, alternating 22, 18, 22, 18, …
//   mean            = (8 × 22 + 8 × 18) / 16 = 320 / 16 = 20
//   moving ranges   = 15 × |22 − 18| = 15 × 4, so the mean moving range = 4
//   process limits  = 20 ± 2.66 × 4 = 20 ± 10.64          → 30.64 and 9.36
//   2-sigma lines   = 20 ± 10.64 × 2/3 = 20 ± 7.0933…      → 27.0933… and 12.9067…
//   1-sigma lines   = 20 ± 10.64 / 3 = 20 ± 3.5467…        → 23.5467… and 16.4533…
// It alternates sides of the mean and direction, so on its own it fires no rule. It ends on 18,
// below the mean, so a run above the mean starts with the first added point, 2025-05.
const BASE = Array.from({ length: 16 }, (_, k) => (k % 2 === 0 ? 22 : 18));

/** The baseline, then `added` from 2025-05, with the limits fixed on the baseline. */
function afterBase(added: readonly (number | null)[], options: Partial<SpcOptions> = {}): SpcChart {
  return chart(spc(series([...BASE, ...added]), { polarity: 'higher', baselinePoints: 16, ...options }));
}

const flagged = (c: SpcChart) => c.points.filter((p) => p.cause !== null).map((p) => p.label);

describe('XmR limits, worked by hand', () => {
  test('a 15-month series: mean 12, mean moving range 24/14, limits 7.44 and 16.56, common cause throughout', () => {
    // values  10 12 11 13 12 14 11 12 13 10 12 11 13 12 14   sum 180, mean 180 / 15 = 12
    // ranges     2  1  2  1  2  3  1  1  3  2  1  2  1  2   sum 24 over 14, mean 24/14 = 1.7142857…
    // limits  12 ± 2.66 × 24/14 = 12 ± 63.84/14 = 12 ± 4.56        → 7.44 and 16.56
    // 2-sigma 12 ± 4.56 × 2/3 = 12 ± 3.04 → 8.96 and 15.04;  1-sigma 12 ± 1.52 → 10.48 and 13.52
    // Sides of 12: − 0 − + 0 + − 0 + − 0 − + 0 +: no run longer than 2; no rise or fall longer than 3.
    const c = chart(spc(series([10, 12, 11, 13, 12, 14, 11, 12, 13, 10, 12, 11, 13, 12, 14]), { polarity: 'higher' }));
    expect(c.limits.mean).toBeCloseTo(12, 10);
    expect(c.limits.movingRangeMean).toBeCloseTo(24 / 14, 10);
    expect(c.limits.upperProcessLimit).toBeCloseTo(16.56, 10);
    expect(c.limits.lowerProcessLimit).toBeCloseTo(7.44, 10);
    expect(c.limits.upperTwoSigma).toBeCloseTo(15.04, 10);
    expect(c.limits.lowerTwoSigma).toBeCloseTo(8.96, 10);
    expect(c.limits.upperOneSigma).toBeCloseTo(13.52, 10);
    expect(c.limits.lowerOneSigma).toBeCloseTo(10.48, 10);
    expect(c.limits.basis).toEqual({ points: 15, from: '2024-01', to: '2025-03' });
    expect(c.points.map((p) => p.movingRange)).toEqual([null, 2, 1, 2, 1, 2, 3, 1, 1, 3, 2, 1, 2, 1, 2]);
    expect(c.signals).toEqual([]);
    expect(c.variation).toEqual({
      icon: 'common-cause',
      label: '2025-03',
      reason:
        'Common cause variation: the latest point, 2025-03 (14), is inside the process limits and not part of a shift, trend or 2-of-3 pattern.',
    });
    expect(c.warnings).toEqual([]);
  });

  test('the baseline: mean 20, mean moving range 4, limits 9.36 and 30.64', () => {
    const c = afterBase([]);
    expect(c.limits.mean).toBe(20);
    expect(c.limits.movingRangeMean).toBe(4);
    expect(c.limits.upperProcessLimit).toBeCloseTo(30.64, 10);
    expect(c.limits.lowerProcessLimit).toBeCloseTo(9.36, 10);
    expect(c.limits.upperTwoSigma).toBeCloseTo(20 + 7.09333333, 6);
    expect(c.limits.lowerTwoSigma).toBeCloseTo(20 - 7.09333333, 6);
    expect(c.limits.upperOneSigma).toBeCloseTo(20 + 3.54666667, 6);
    expect(c.limits.lowerOneSigma).toBeCloseTo(20 - 3.54666667, 6);
    expect(c.signals).toEqual([]);
    expect(c.variation.icon).toBe('common-cause');
  });

  test('limits fixed on the first 16 points do not move when later points come in', () => {
    // Fixed: mean 20, moving range 4 as above, whatever follows.
    const fixed = afterBase([40]);
    expect([fixed.limits.mean, fixed.limits.movingRangeMean]).toEqual([20, 4]);
    expect(fixed.limits.basis).toEqual({ points: 16, from: '2024-01', to: '2025-04' });
    // Not fixed: mean (320 + 40) / 17 = 21.1764…; moving ranges 15 × 4 + |40 − 18| = 82 over 16 = 5.125.
    const all = chart(spc(series([...BASE, 40]), { polarity: 'higher' }));
    expect(all.limits.mean).toBeCloseTo(360 / 17, 10);
    expect(all.limits.movingRangeMean).toBe(5.125);
  });

  test('xmrLimits on its own: 10, 12, 11, 13 → mean 11.5, moving ranges 2, 1, 2 → 5/3', () => {
    // limits 11.5 ± 2.66 × 5/3 = 11.5 ± 4.4333… → 7.0667 and 15.9333
    const l = xmrLimits([10, 12, 11, 13]);
    expect(l.mean).toBe(11.5);
    expect(l.movingRangeMean).toBeCloseTo(5 / 3, 10);
    expect(l.upperProcessLimit).toBeCloseTo(15.93333333, 6);
    expect(l.lowerProcessLimit).toBeCloseTo(7.06666667, 6);
    expect(() => xmrLimits([10])).toThrow(RangeError);
  });
});

describe('months with no value', () => {
  test('a gap is left out of the mean, and the next moving range is taken from the last value before it', () => {
    // values 10 12 11 13 – 14: mean (10 + 12 + 11 + 13 + 14) / 5 = 60 / 5 = 12
    // ranges 2, 1, 2, then |14 − 13| = 1 across the gap: mean 6 / 4 = 1.5
    // limits 12 ± 2.66 × 1.5 = 12 ± 3.99 → 8.01 and 15.99
    const c = chart(spc(series([10, 12, 11, 13, null, 14]), { polarity: 'higher', minimumPoints: 5 }));
    expect(c.limits.mean).toBe(12);
    expect(c.limits.movingRangeMean).toBe(1.5);
    expect(c.limits.upperProcessLimit).toBeCloseTo(15.99, 10);
    expect(c.limits.lowerProcessLimit).toBeCloseTo(8.01, 10);
    expect(c.points.map((p) => p.movingRange)).toEqual([null, 2, 1, 2, null, 1]);
    expect(c.points[4]).toMatchObject({ label: '2024-05', value: null, rules: [], cause: null });
    expect(c.warnings).toEqual(['The limits rest on 5 points; Making Data Count asks for at least 12.']);
  });

  test('a gap neither breaks nor extends a run: 3 + 4 months above the mean across a gap is a shift of 7', () => {
    const c = afterBase([21, 21, 21, null, 21, 21, 21, 21]);
    expect(c.signals).toHaveLength(1);
    expect(c.signals[0]).toMatchObject({ rule: 'shift', side: 'high', from: '2025-05', to: '2025-12' });
    expect(c.signals[0].indexes).toEqual([16, 17, 18, 20, 21, 22, 23]);
    expect(c.signals[0].reason).toBe(
      '7 points in a row above the mean of 20, from 2025-05 to 2025-12 (2025-08 has no value and is not counted)',
    );
    expect(c.points[19].cause).toBeNull();
    expect(c.points[20].movingRange).toBe(0); // |21 − 21| across the gap
  });

  test('when the latest month has no value, the icon describes the latest month that has one', () => {
    // 2025-05 = 31 > 30.64, above the upper limit; 2025-06 has no value.
    const c = afterBase([31, null]);
    expect(c.variation.label).toBe('2025-05');
    expect(c.variation.icon).toBe('improvement-high');
  });
});

describe('too few points', () => {
  test('12 points with values: insufficient data, no limits, no icons', () => {
    const r = spc(series(BASE.slice(0, 12)), { polarity: 'higher', target: 20 });
    expect(r).toEqual({
      status: 'insufficient-data',
      polarity: 'higher',
      pointsWithValues: 12,
      minimumPoints: 13,
      reason: '12 points with a value; an SPC chart needs at least 13, so there are no process limits or icons yet',
    });
  });

  test('13 points with values is enough', () => {
    expect(spc(series(BASE.slice(0, 13)), { polarity: 'higher' }).status).toBe('ok');
  });

  test('13 months with one gap is 12 points with values: insufficient', () => {
    const r = spc(series([...BASE.slice(0, 12), null]), { polarity: 'higher' });
    expect(r.status).toBe('insufficient-data');
  });

  test('a baseline longer than the points there are uses them all, and says so', () => {
    const c = chart(spc(series(BASE), { polarity: 'higher', baselinePoints: 20 }));
    expect(c.limits.basis.points).toBe(16);
    expect(c.warnings).toEqual(['A baseline of 20 points was asked for but only 16 have values: the limits use all 16.']);
  });
});

describe('rule 1: a single point beyond a process limit', () => {
  test('31 is above the upper limit of 30.64', () => {
    const c = afterBase([31]);
    expect(c.signals).toEqual([
      {
        rule: 'outside-limits',
        side: 'high',
        cause: 'improvement',
        indexes: [16],
        from: '2025-05',
        to: '2025-05',
        reason: '2025-05 (31) is above the upper process limit of 30.64',
      },
    ]);
    expect(c.points[16]).toMatchObject({ rules: ['outside-limits'], cause: 'improvement', conflict: false });
  });

  test('a point exactly on a limit is not beyond it: 30.64 and 9.36 are common cause', () => {
    // 30.64 = 20 + 2.66 × 4 and 9.36 = 20 − 2.66 × 4, up to floating-point rounding.
    expect(afterBase([30.64]).signals).toEqual([]);
    expect(afterBase([9.36]).signals).toEqual([]);
    expect(afterBase([30.65]).signals.map((s) => s.rule)).toEqual(['outside-limits']);
  });

  test('9 is below the lower limit of 9.36', () => {
    const c = afterBase([9]);
    expect(c.signals.map((s) => [s.rule, s.side, s.reason])).toEqual([
      ['outside-limits', 'low', '2025-05 (9) is below the lower process limit of 9.36'],
    ]);
  });

  test('the variation icon follows polarity: high point = improvement when higher is better, concern when lower is', () => {
    expect(afterBase([31], { polarity: 'higher' }).variation.icon).toBe('improvement-high');
    expect(afterBase([31], { polarity: 'lower' }).variation.icon).toBe('concern-high');
    expect(afterBase([31], { polarity: 'neither' }).variation.icon).toBe('neither-high');
    expect(afterBase([9], { polarity: 'higher' }).variation.icon).toBe('concern-low');
    expect(afterBase([9], { polarity: 'lower' }).variation.icon).toBe('improvement-low');
    expect(afterBase([9], { polarity: 'neither' }).variation.icon).toBe('neither-low');
  });

  test('the icon is about the latest point: a point beyond the limit last month, back on the mean now, is common cause', () => {
    const c = afterBase([31, 20]);
    expect(flagged(c)).toEqual(['2025-05']);
    expect(c.variation).toMatchObject({ icon: 'common-cause', label: '2025-06' });
  });

  test('variation reason names the rule that fired', () => {
    expect(afterBase([31], { polarity: 'lower' }).variation.reason).toBe(
      'Special cause variation of a concerning nature (high): 2025-05 (31) is above the upper process limit of 30.64.',
    );
    expect(afterBase([31], { polarity: 'neither' }).variation.reason).toBe(
      'Special cause variation, high (neither improvement nor concern for this indicator): 2025-05 (31) is above the upper process limit of 30.64.',
    );
  });
});

describe('rule 2: a shift of 7 or more points on one side of the mean', () => {
  test('6 points above the mean (21) is not a shift', () => {
    expect(afterBase([21, 21, 21, 21, 21, 21]).signals).toEqual([]);
  });

  test('7 points above the mean is a shift, and every one of the 7 is flagged', () => {
    const c = afterBase([21, 21, 21, 21, 21, 21, 21]);
    expect(c.signals).toEqual([
      {
        rule: 'shift',
        side: 'high',
        cause: 'improvement',
        indexes: [16, 17, 18, 19, 20, 21, 22],
        from: '2025-05',
        to: '2025-11',
        reason: '7 points in a row above the mean of 20, from 2025-05 to 2025-11',
      },
    ]);
    expect(flagged(c)).toEqual(['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11']);
    expect(c.variation.icon).toBe('improvement-high');
  });

  test('a point exactly on the mean ends a run: 3 above, 20, 3 above is no shift', () => {
    expect(afterBase([21, 21, 21, 20, 21, 21, 21]).signals).toEqual([]);
  });

  test('after a point on the mean, a run of 7 counts from the next point', () => {
    const c = afterBase([21, 21, 21, 20, 21, 21, 21, 21, 21, 21, 21]);
    expect(c.signals.map((s) => [s.rule, s.from, s.to])).toEqual([['shift', '2025-09', '2026-03']]);
  });

  test('7 points below the mean (19): concern when higher is better, improvement when lower is better', () => {
    // The baseline ends on 18, below the mean, so that point starts the run: 8 points from 2025-04.
    const higher = afterBase([19, 19, 19, 19, 19, 19, 19]);
    expect(higher.signals.map((s) => [s.rule, s.side, s.cause, s.reason])).toEqual([
      ['shift', 'low', 'concern', '8 points in a row below the mean of 20, from 2025-04 to 2025-11'],
    ]);
    expect(higher.variation.icon).toBe('concern-low');
    expect(afterBase([19, 19, 19, 19, 19, 19, 19], { polarity: 'lower' }).variation.icon).toBe('improvement-low');
    expect(afterBase([19, 19, 19, 19, 19, 19, 19], { polarity: 'neither' }).variation.icon).toBe('neither-low');
  });

  test('the run length can be set to 6, as NHS England SQL v2.6 does', () => {
    expect(afterBase([21, 21, 21, 21, 21, 21], { shiftPoints: 6 }).signals.map((s) => s.rule)).toEqual(['shift']);
  });
});

describe('rule 3: a trend of 7 or more points rising or falling', () => {
  test('7 points each higher than the one before is a trend', () => {
    // 18 (end of baseline) → 14 falls, then 14 15 16 17 19 21 23 rise six times: 7 points.
    // Not a shift: 18 14 15 16 17 19 are 6 below the mean, then 21 23 above. Not 2 of 3: 14 is
    // above the lower 2-sigma line 12.91 and 23 below the upper one 27.09. No point beyond a limit.
    const c = afterBase([14, 15, 16, 17, 19, 21, 23]);
    expect(c.signals).toEqual([
      {
        rule: 'trend',
        side: 'high',
        cause: 'improvement',
        indexes: [16, 17, 18, 19, 20, 21, 22],
        from: '2025-05',
        to: '2025-11',
        reason: '7 points in a row each higher than the one before, from 2025-05 to 2025-11',
      },
    ]);
    expect(c.variation.icon).toBe('improvement-high');
    expect(afterBase([14, 15, 16, 17, 19, 21, 23], { polarity: 'lower' }).variation.icon).toBe('concern-high');
  });

  test('6 points rising is not a trend', () => {
    // 18 → 15 falls; 15 16 17 19 21 23 is 6 points. Below the mean: 18 15 16 17 19, only 5.
    expect(afterBase([15, 16, 17, 19, 21, 23]).signals).toEqual([]);
  });

  test('two equal values end a trend: 15 16 17 17 19 21 23 is two rises, of 3 and 4 points', () => {
    // With 18 in place of the second 17 it would be a rise of 7 (the next test's shape). Below the
    // mean: 18 (end of baseline) 15 16 17 17 19, 6 points, so no shift either.
    expect(afterBase([15, 16, 17, 17, 19, 21, 23]).signals).toEqual([]);
    expect(afterBase([15, 16, 17, 18, 19, 21, 23]).signals.map((s) => s.rule)).toEqual(['trend']);
  });

  test('7 points falling: concern when higher is better, improvement when lower is better', () => {
    // 18 → 26 rises, then 26 25 24 23 22 21 19 fall six times. 26 is below the upper 2-sigma
    // line 27.09; 26…21 are 6 above the mean, then 19 below: no shift.
    const c = afterBase([26, 25, 24, 23, 22, 21, 19]);
    expect(c.signals.map((s) => [s.rule, s.side, s.cause, s.reason])).toEqual([
      ['trend', 'low', 'concern', '7 points in a row each lower than the one before, from 2025-05 to 2025-11'],
    ]);
    expect(c.variation.icon).toBe('concern-low');
    expect(afterBase([26, 25, 24, 23, 22, 21, 19], { polarity: 'lower' }).variation.icon).toBe('improvement-low');
  });
});

describe('rule 4: two of three points in the outer third, on the same side of the mean', () => {
  test('28, 21, 28: two of three beyond the upper 2-sigma line (27.09), all three above the mean', () => {
    // 28 > 27.0933 > 21 > 20. Only the two points beyond the line are flagged, not the 21.
    const c = afterBase([28, 21, 28]);
    expect(c.signals).toEqual([
      {
        rule: 'two-of-three',
        side: 'high',
        cause: 'improvement',
        indexes: [16, 18],
        from: '2025-05',
        to: '2025-07',
        reason: '2 of 3 points in a row in the outer third above the mean (beyond 27.09), from 2025-05 to 2025-07',
      },
    ]);
    expect(flagged(c)).toEqual(['2025-05', '2025-07']);
  });

  test('28, 12, 28: beyond the 2-sigma lines on opposite sides is not a signal', () => {
    // 12 < 12.9067 is in the lower outer third, but 9.36 < 12, so it is inside the limits.
    expect(afterBase([28, 12, 28]).signals).toEqual([]);
  });

  test('all three points must be on the same side: 18, 28, 28 is not a signal until a third point above the mean', () => {
    // The baseline ends on 18, below the mean, so the window 18, 28, 28 does not qualify …
    expect(afterBase([28, 28]).signals).toEqual([]);
    // … but 28, 28, 21 does.
    expect(afterBase([28, 28, 21]).signals.map((s) => s.reason)).toEqual([
      '2 points in a row in the outer third above the mean (beyond 27.09), from 2025-05 to 2025-06',
    ]);
  });

  test('only one point of three in the outer third is not a signal', () => {
    expect(afterBase([28, 21, 21]).signals).toEqual([]);
  });

  test('a point beyond the process limit counts as in the outer third', () => {
    // 31 > 30.64 fires rule 1 too; with 28 two points later it is 2 of 3.
    const c = afterBase([31, 21, 28]);
    expect(c.signals.map((s) => [s.rule, s.indexes])).toEqual([
      ['outside-limits', [16]],
      ['two-of-three', [16, 18]],
    ]);
    expect(c.points[16].rules).toEqual(['outside-limits', 'two-of-three']);
  });

  test('12, 19, 12 below the mean: concern when higher is better', () => {
    const c = afterBase([12, 19, 12]);
    expect(c.signals.map((s) => [s.rule, s.side, s.cause, s.reason])).toEqual([
      ['two-of-three', 'low', 'concern', '2 of 3 points in a row in the outer third below the mean (beyond 12.91), from 2025-05 to 2025-07'],
    ]);
    expect(c.variation.icon).toBe('concern-low');
  });

  test('overlapping groups are one signal: 28, 28, 28, 28 is 4 points in a row', () => {
    const c = afterBase([28, 28, 28, 28]);
    expect(c.signals.map((s) => [s.rule, s.indexes, s.reason])).toEqual([
      ['two-of-three', [16, 17, 18, 19], '4 points in a row in the outer third above the mean (beyond 27.09), from 2025-05 to 2025-08'],
    ]);
  });
});

describe('improvement and concern at once', () => {
  // 13 14 15 16 17 18 19 after the baseline's 18: a rise of 7 (18 → 13 falls first), and, with
  // that 18, 8 points in a row below the mean. 13 is above the lower 2-sigma line 12.91.
  const rising = [13, 14, 15, 16, 17, 18, 19];

  test('a rising trend below the mean, higher is better: the rise is improvement, the shift concern; concern is shown', () => {
    const c = afterBase(rising);
    expect(c.signals.map((s) => [s.rule, s.side, s.cause])).toEqual([
      ['shift', 'low', 'concern'],
      ['trend', 'high', 'improvement'],
    ]);
    expect(c.points[22]).toMatchObject({ rules: ['shift', 'trend'], cause: 'concern', conflict: true });
    expect(c.points[15]).toMatchObject({ rules: ['shift'], cause: 'concern', conflict: false });
    expect(c.variation.icon).toBe('concern-low');
    expect(c.variation.reason).toBe(
      'Special cause variation of a concerning nature (low): 8 points in a row below the mean of 20, from 2025-04 to 2025-11; ' +
        '7 points in a row each higher than the one before, from 2025-05 to 2025-11. ' +
        'Both improvement and concern rules fire; concern is shown, as set for this indicator.',
    );
    expect(c.warnings).toEqual([
      'The latest point, 2025-11, shows both improvement and concern; the icon shows concern, as set for this indicator.',
    ]);
  });

  test('an indicator can choose to show improvement when both fire', () => {
    expect(afterBase(rising, { conflict: 'improvement' }).variation.icon).toBe('improvement-high');
  });

  test('lower is better: the shift below is improvement, the rise concern; concern is shown (high)', () => {
    expect(afterBase(rising, { polarity: 'lower' }).variation.icon).toBe('concern-high');
  });

  test('no polarity: both are special cause, neither improvement nor concern; high is shown first', () => {
    const c = afterBase(rising, { polarity: 'neither' });
    expect(c.signals.map((s) => s.cause)).toEqual(['neither', 'neither']);
    expect(c.points[22]).toMatchObject({ cause: 'neither', conflict: false });
    expect(c.variation.icon).toBe('neither-high');
  });
});

describe('assurance against a target (limits 9.36 and 30.64)', () => {
  const icon = (polarity: 'higher' | 'lower', target: number) => afterBase([], { polarity, target }).assurance?.icon;

  test('higher is better: target at or below the lower limit → consistently pass', () => {
    expect(icon('higher', 9)).toBe('consistently-pass');
    expect(icon('higher', 9.36)).toBe('consistently-pass');
  });

  test('higher is better: target between the limits → hit and miss', () => {
    expect(icon('higher', 9.37)).toBe('hit-and-miss');
    expect(icon('higher', 20)).toBe('hit-and-miss');
    expect(icon('higher', 30.63)).toBe('hit-and-miss');
  });

  test('higher is better: target at or above the upper limit → consistently fail', () => {
    expect(icon('higher', 30.64)).toBe('consistently-fail');
    expect(icon('higher', 31)).toBe('consistently-fail');
  });

  test('lower is better: the mirror image', () => {
    expect(icon('lower', 31)).toBe('consistently-pass');
    expect(icon('lower', 30.64)).toBe('consistently-pass');
    expect(icon('lower', 20)).toBe('hit-and-miss');
    expect(icon('lower', 9.36)).toBe('consistently-fail');
    expect(icon('lower', 9)).toBe('consistently-fail');
  });

  test('each assurance icon says why', () => {
    expect(afterBase([], { target: 31 }).assurance).toEqual({
      icon: 'consistently-fail',
      target: 31,
      reason: 'The target of 31 is at or above the upper process limit of 30.64, so the process will consistently miss it unless something changes.',
    });
    expect(afterBase([], { target: 9 }).assurance?.reason).toBe(
      'The target of 9 is at or below the lower process limit of 9.36, so the process will consistently meet it.',
    );
    expect(afterBase([], { target: 20 }).assurance?.reason).toBe(
      'The target of 20 is between the process limits (9.36 to 30.64), so the process will sometimes meet it and sometimes miss it.',
    );
  });

  test('no target, or no polarity: no assurance icon', () => {
    expect(afterBase([]).assurance).toBeNull();
    expect(afterBase([], { polarity: 'neither', target: 20 }).assurance).toBeNull();
  });
});

describe('bad input', () => {
  test('a value that is not a number is refused, naming the month', () => {
    expect(() => spc(series([...BASE, Number.NaN]), { polarity: 'higher' })).toThrow('2025-05: value NaN is not a number');
  });

  test('bad options are refused', () => {
    expect(() => spc(series(BASE), { polarity: 'up' as never })).toThrow(RangeError);
    expect(() => spc(series(BASE), { polarity: 'higher', baselinePoints: 1 })).toThrow('baselinePoints must be a whole number of at least 2');
    expect(() => spc(series(BASE), { polarity: 'higher', target: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
