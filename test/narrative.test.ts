// Narrative sentences: for hand-built figure histories, the exact sentences a committee report would
// carry. The wording conventions (months with years, percentage points, "in line" tolerances, when an
// extreme may be claimed) are in the header of src/judge/narrative.ts. SPC results and projections
// come from the real spc() and projectYearEnd(), with their arithmetic worked in the comments.
import { describe, expect, test } from 'vitest';
import {
  countOf,
  narrate,
  pluralise,
  singularise,
  singularPhrase,
  type MonthFigure,
  type Narrative,
  type NarrativeIndicator,
  type NarrativeInput,
  type NarrativeJudgement,
  type Sentence,
  type SentenceKind,
} from '../src/judge/narrative.ts';
import { spc } from '../src/judge/spc.ts';
import { projectYearEnd } from '../src/judge/projection.ts';
import type { Judgement } from '../src/judge/targets.ts';

// Indicators as the catalogue describes them (only the fields the narrative reads).
const REFERRALS: NarrativeIndicator = { title: 'Referrals', unit: 'count', polarity: 'neither', measure: 'flow', numeratorLabel: 'referrals' };
const RE_REFERRALS: NarrativeIndicator = {
  title: 'Re-referrals within 12 months', unit: 'percent', polarity: 'lower', measure: 'flow', numeratorLabel: 're-referrals', denominatorLabel: 'referrals',
};
const ASSESSMENTS_45: NarrativeIndicator = {
  title: 'Assessments completed within 45 working days', unit: 'percent', polarity: 'higher', measure: 'flow', numeratorLabel: 'assessments within 45 working days',
};
const CP_CHILDREN: NarrativeIndicator = { title: 'Children on a child protection plan', unit: 'count', polarity: 'neither', measure: 'stock', numeratorLabel: 'children on a plan' };
const CP_VISITS: NarrativeIndicator = {
  title: 'Children on a child protection plan visited in timescale', unit: 'percent', polarity: 'higher', measure: 'stock', numeratorLabel: 'children visited in timescale',
};
const LAC_RATE: NarrativeIndicator = { title: 'Children looked after per 10,000 children', unit: 'rate', polarity: 'neither', measure: 'stock', numeratorLabel: 'children looked after' };
const ICPCS: NarrativeIndicator = { title: 'Initial child protection conferences held', unit: 'count', polarity: 'neither', measure: 'flow', numeratorLabel: 'ICPCs' };
const ASSESSMENT_DAYS: NarrativeIndicator = {
  title: 'Average working days to complete an assessment', unit: 'days', polarity: 'lower', measure: 'flow', numeratorLabel: 'working days taken', denominatorLabel: 'assessments',
};
const LARGEST_CASELOAD: NarrativeIndicator = {
  title: 'Largest caseload held by one social worker', unit: 'count', polarity: 'lower', measure: 'stock', numeratorLabel: 'children allocated', aggregate: 'max',
};

// targets.ts's Judgement is accepted as it is (a compile-time check).
const _judgementFits: (j: Judgement) => NarrativeJudgement = (j) => j;
void _judgementFits;

/** Consecutive months from `start`: monthly('2024-01', [1, 2]) → 2024-01 = 1, 2024-02 = 2. */
function monthly(start: string, values: readonly (number | null | Omit<MonthFigure, 'label'>)[]): MonthFigure[] {
  const [y, m] = start.split('-').map(Number);
  return values.map((v, k) => {
    const i = y * 12 + (m - 1) + k;
    const label = `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    return v === null || typeof v === 'number' ? { label, value: v } : { label, ...v };
  });
}

/** A percentage month from its parts: pct(51, 225) → 22.666…% with numerator 51 and denominator 225. */
function pct(numerator: number, denominator: number): Omit<MonthFigure, 'label'> {
  return { value: denominator > 0 ? (100 * numerator) / denominator : null, numerator, denominator };
}

const s = (kind: SentenceKind, text: string): Sentence => ({ kind, text });

/** Every narrative made in this file, checked at the end for NaN, undefined and null. */
const made: Narrative[] = [];
function run(input: NarrativeInput): Narrative {
  const n = narrate(input);
  made.push(n);
  return n;
}
const of = (n: Narrative, kind: SentenceKind) => n.sentences.filter((x) => x.kind === kind).map((x) => x.text);

describe('the figure and the change since last month', () => {
  test('a rise: 257 referrals in September after 139 in August', () => {
    const n = run({ indicator: REFERRALS, series: monthly('2025-08', [139, 257]) });
    expect(n.sentences).toEqual([s('figure', 'There were 257 referrals in September 2025.'), s('change', 'This is higher than 139 in August 2025.')]);
    expect(n.paragraph).toBe('There were 257 referrals in September 2025. This is higher than 139 in August 2025.');
  });

  test('a fall: 139 in October after 257 in September', () => {
    const n = run({ indicator: REFERRALS, series: monthly('2025-09', [257, 139]) });
    expect(n.sentences).toEqual([s('figure', 'There were 139 referrals in October 2025.'), s('change', 'This is lower than 257 in September 2025.')]);
  });

  test('no change: 139 and 139', () => {
    const n = run({ indicator: REFERRALS, series: monthly('2025-08', [139, 139]) });
    expect(n.sentences).toEqual([s('figure', 'There were 139 referrals in September 2025.'), s('change', 'This is the same as in August 2025.')]);
  });

  test('thousands separators: 1,234 after 987', () => {
    const n = run({ indicator: REFERRALS, series: monthly('2025-08', [987, 1234]) });
    expect(n.paragraph).toBe('There were 1,234 referrals in September 2025. This is higher than 987 in August 2025.');
  });

  test('singular: 1 referral, 1 ICPC, 1 child on a plan; none is "no referrals"', () => {
    expect(run({ indicator: REFERRALS, series: monthly('2025-08', [2, 1]) }).paragraph).toBe(
      'There was 1 referral in September 2025. This is lower than 2 in August 2025.',
    );
    expect(run({ indicator: ICPCS, series: monthly('2025-09', [1]) }).paragraph).toBe('There was 1 ICPC in September 2025.');
    expect(run({ indicator: ICPCS, series: monthly('2025-09', [2]) }).paragraph).toBe('There were 2 ICPCs in September 2025.');
    expect(run({ indicator: CP_CHILDREN, series: monthly('2025-01', [1]) }).paragraph).toBe('There was 1 child on a plan at the end of January 2025.');
    expect(run({ indicator: REFERRALS, series: monthly('2025-08', [3, 0]) }).paragraph).toBe(
      'There were no referrals in September 2025. This is lower than 3 in August 2025.',
    );
  });

  test('a count with polarity says whether the change is an improvement (lower is better)', () => {
    const n = run({ indicator: { ...REFERRALS, title: 'Missing episodes', numeratorLabel: 'missing episodes', polarity: 'lower' }, series: monthly('2024-12', [14, 9]) });
    expect(n.sentences).toEqual([s('figure', 'There were 9 missing episodes in January 2025.'), s('change', 'This is lower than 14 in December 2024, an improvement.')]);
  });

  test('a percentage rises in percentage points, never per cent: 19.8% (40 of 202) to 22.7% (51 of 225) is up 2.9 points', () => {
    // 40 / 202 = 19.80…%, 51 / 225 = 22.66…% → shown 19.8% and 22.7%; 22.7 − 19.8 = 2.9 points.
    // Re-referrals: lower is better, so a rise is a deterioration.
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-12', [pct(40, 202), pct(51, 225)]) });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 22.7% (51 of 225 referrals) in January 2025.'),
      s('change', 'This is up 2.9 percentage points from 19.8% in December 2024, a deterioration.'),
    ]);
  });

  test('a percentage falls: 24.8% to 22.7% is down 2.1 percentage points, an improvement when lower is better', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-12', [24.8, 22.7]) });
    expect(of(n, 'change')).toEqual(['This is down 2.1 percentage points from 24.8% in December 2024, an improvement.']);
  });

  test('1 percentage point is singular; higher is better turns a rise into an improvement', () => {
    // 180 / 210 = 85.714…% → 85.7%; 84.7 → 85.7 is up 1.0 point.
    const n = run({ indicator: ASSESSMENTS_45, series: monthly('2024-12', [84.7, pct(180, 210)]) });
    expect(n.sentences).toEqual([
      s('figure', 'Assessments completed within 45 working days stood at 85.7% (180 of 210) in January 2025.'),
      s('change', 'This is up 1 percentage point from 84.7% in December 2024, an improvement.'),
    ]);
  });

  test('figures that print alike are the same: 22.74% and 22.66% are both 22.7%', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-12', [22.66, 22.74]) });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 22.7% in January 2025.'),
      s('change', 'This is the same as in December 2024.'),
    ]);
  });

  test('days to one decimal place, and a fall in days is an improvement when lower is better', () => {
    const n = run({ indicator: ASSESSMENT_DAYS, series: monthly('2024-12', [36.14, 38.16]) });
    expect(n.sentences).toEqual([
      s('figure', 'Average working days to complete an assessment stood at 38.2 days in January 2025.'),
      s('change', 'This is higher than 36.1 days in December 2024, a deterioration.'),
    ]);
  });

  test('no comparison with a month that has no figure or is not in the series', () => {
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2024-12', [null, 22.7]) }), 'change')).toEqual([]);
    expect(of(run({ indicator: REFERRALS, series: [{ label: '2024-11', value: 120 }, { label: '2025-01', value: 130 }] }), 'change')).toEqual([]);
  });
});

describe('stocks are at the end of the month', () => {
  test('412 children on a plan at the end of January after 400 at the end of December', () => {
    const n = run({ indicator: CP_CHILDREN, series: monthly('2024-12', [400, 412]) });
    expect(n.sentences).toEqual([
      s('figure', 'There were 412 children on a plan at the end of January 2025.'),
      s('change', 'This is higher than 400 at the end of December 2024.'),
    ]);
  });

  test('a percentage stock, and an unchanged one', () => {
    // 310 / 340 = 91.176…% → 91.2%
    const n = run({ indicator: CP_VISITS, series: monthly('2024-12', [91.2, pct(310, 340)]) });
    expect(n.sentences).toEqual([
      s('figure', 'Children on a child protection plan visited in timescale stood at 91.2% (310 of 340) at the end of January 2025.'),
      s('change', 'This is the same as at the end of December 2024.'),
    ]);
  });

  test('a rate per 10,000 children', () => {
    const n = run({ indicator: LAC_RATE, series: monthly('2024-12', [66.04, 67.01]) });
    expect(n.sentences).toEqual([
      s('figure', 'Children looked after per 10,000 children stood at 67.0 at the end of January 2025.'),
      s('change', 'This is higher than 66.0 at the end of December 2024.'),
    ]);
  });

  test('a largest value is not a number of things: "stood at", not "there were"', () => {
    const n = run({ indicator: LARGEST_CASELOAD, series: monthly('2024-12', [33, 31]) });
    expect(n.sentences).toEqual([
      s('figure', 'Largest caseload held by one social worker stood at 31 at the end of January 2025.'),
      s('change', 'This is lower than 33 at the end of December 2024, an improvement.'),
    ]);
  });
});

describe('extremes: never claimed beyond what the months show', () => {
  // January 2024 to December 2024, every one above 22.7%, then January 2025 at 22.7%.
  const TWELVE_HIGHER = [25.1, 24.0, 26.3, 23.5, 24.8, 25.5, 23.9, 24.2, 26.0, 25.0, 24.4, 23.1];

  test('13 months, the last strictly lower than each of the 12 before: the lowest for over 12 months', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', [...TWELVE_HIGHER, 22.7]) });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 22.7% in January 2025.'),
      s('change', 'This is down 0.4 percentage points from 23.1% in December 2024, an improvement.'),
      s('extreme', 'It is the lowest for over 12 months.'),
    ]);
  });

  test('11 months of data (March 2024 to January 2025), the last the lowest of them: nothing is claimed', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-03', [...TWELVE_HIGHER.slice(2), 22.7]) });
    expect(n.sentences.map((x) => x.kind)).toEqual(['figure', 'change']);
    expect(n.paragraph).not.toMatch(/lowest|highest/);
  });

  test('12 months of data (11 before): still nothing', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-02', [...TWELVE_HIGHER.slice(1), 22.7]) });
    expect(n.paragraph).not.toMatch(/lowest|highest/);
  });

  test('a tie is not the lowest: June 2024 was also 22.7%', () => {
    const withTie = [...TWELVE_HIGHER];
    withTie[5] = 22.7; // June 2024
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', [...withTie, 22.7]) });
    expect(of(n, 'extreme')).toEqual([]);
  });

  test('a tie after rounding is a tie: 22.68% in June 2024 prints as 22.7%', () => {
    const withTie = [...TWELVE_HIGHER];
    withTie[5] = 22.68;
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2024-01', [...withTie, 22.7]) }), 'extreme')).toEqual([]);
  });

  test('a gap is not the lowest: July 2024 has no figure', () => {
    const withGap: (number | null)[] = [...TWELVE_HIGHER];
    withGap[6] = null; // July 2024
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2024-01', [...withGap, 22.7]) }), 'extreme')).toEqual([]);
  });

  test('a month missing from the series is a gap too', () => {
    const series = monthly('2024-01', [...TWELVE_HIGHER, 22.7]).filter((m) => m.label !== '2024-07');
    expect(of(run({ indicator: RE_REFERRALS, series }), 'extreme')).toEqual([]);
  });

  test('a gap before the 12 months does not matter: December 2023 empty, then 13 months', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2023-12', [null, ...TWELVE_HIGHER, 22.7]) });
    expect(of(n, 'extreme')).toEqual(['It is the lowest for over 12 months.']);
  });

  test('16 months all higher: the lowest for over 16 months', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2023-09', [24, 25, 26, 27, ...TWELVE_HIGHER, 22.7]) });
    expect(of(n, 'extreme')).toEqual(['It is the lowest for over 16 months.']);
  });

  test('the highest since March 2024: 300 then, nine months below 290, then 290', () => {
    // January 2024 200, February 210, March 300, April to December 2024 all below 290, January 2025 290.
    const n = run({ indicator: REFERRALS, series: monthly('2024-01', [200, 210, 300, 250, 260, 240, 270, 255, 265, 245, 280, 275, 290]) });
    expect(n.sentences).toEqual([
      s('figure', 'There were 290 referrals in January 2025.'),
      s('change', 'This is higher than 275 in December 2024.'),
      s('extreme', 'It is the highest since March 2024.'),
    ]);
  });

  test('the lowest since names the month even beyond 12 months back', () => {
    // September 2023 at 20.0% is lower than 22.7%; the 15 months after it are all higher.
    const n = run({ indicator: RE_REFERRALS, series: monthly('2023-09', [20.0, 25, 26, 27, ...TWELVE_HIGHER, 22.7]) });
    expect(of(n, 'extreme')).toEqual(['It is the lowest since September 2023.']);
  });

  test('the highest since needs at least 6 months between: 5 months below is not remarked', () => {
    // July 2024 300, August to December 2024 below 290 (5 months), January 2025 290.
    const n = run({ indicator: REFERRALS, series: monthly('2024-07', [300, 250, 260, 240, 270, 255, 290]) });
    expect(of(n, 'extreme')).toEqual([]);
  });

  test('the highest since is not said across a gap', () => {
    const n = run({ indicator: REFERRALS, series: monthly('2024-01', [200, 210, 300, 250, 260, null, 270, 255, 265, 245, 280, 275, 290]) });
    expect(of(n, 'extreme')).toEqual([]);
  });
});

describe('targets: the RAG word always in words', () => {
  const one = (indicator: NarrativeIndicator, value: number, judgement: NarrativeJudgement) =>
    run({ indicator, series: monthly('2025-01', [value]), judgement }).sentences;

  test('higher is better: green above, green on the target, amber, red', () => {
    expect(one(ASSESSMENTS_45, 85.7, { rag: 'green', target: 85 })).toEqual([
      s('figure', 'Assessments completed within 45 working days stood at 85.7% in January 2025.'),
      s('target', 'This is above the target of 85% (green).'),
    ]);
    expect(one(ASSESSMENTS_45, 85, { rag: 'green', target: 85 })[1]).toEqual(s('target', 'This meets the target of 85% (green).'));
    expect(one(ASSESSMENTS_45, 83.1, { rag: 'amber', target: 85 })[1]).toEqual(s('target', 'This is below the target of 85% but within tolerance (amber).'));
    expect(one(ASSESSMENTS_45, 70, { rag: 'red', target: 85 })[1]).toEqual(s('target', 'This is below the target of 85% (red).'));
  });

  test('lower is better: green below, amber above within tolerance, red above', () => {
    expect(one(RE_REFERRALS, 18.5, { rag: 'green', target: 20 })[1]).toEqual(s('target', 'This is below the target of 20% (green).'));
    expect(one(RE_REFERRALS, 21, { rag: 'amber', target: 20 })[1]).toEqual(s('target', 'This is above the target of 20% but within tolerance (amber).'));
    expect(one(RE_REFERRALS, 30, { rag: 'red', target: 20 })[1]).toEqual(s('target', 'This is above the target of 20% (red).'));
    expect(one(ASSESSMENT_DAYS, 38.16, { rag: 'red', target: 35 })[1]).toEqual(s('target', 'This is above the target of 35 days (red).'));
  });

  test('a target with a decimal keeps it: 22.5%', () => {
    expect(one(RE_REFERRALS, 22, { rag: 'green', target: 22.5 })[1]).toEqual(s('target', 'This is below the target of 22.5% (green).'));
  });

  test('no rating, no sentence: no target, or no polarity', () => {
    expect(one(ASSESSMENTS_45, 85.7, { rag: null, target: null, rule: 'No target set for this year.' }).map((x) => x.kind)).toEqual(['figure']);
    expect(one(REFERRALS, 257, { rag: null, target: null }).map((x) => x.kind)).toEqual(['figure']);
  });

  test('a rating that does not fit the figure is reported as a rating only', () => {
    expect(one(ASSESSMENTS_45, 90, { rag: 'red', target: 85 })[1]).toEqual(s('target', 'This is rated red against the target of 85%.'));
  });

  test('after a change, the target sentence begins "It"', () => {
    const n = run({ indicator: ASSESSMENTS_45, series: monthly('2024-12', [84.7, 85.7]), judgement: { rag: 'green', target: 85 } });
    expect(n.paragraph).toBe(
      'Assessments completed within 45 working days stood at 85.7% in January 2025. This is up 1 percentage point from 84.7% in December 2024, an improvement. It is above the target of 85% (green).',
    );
  });
});

describe('benchmarks: better, worse or in line (1 percentage point; 5% for other units)', () => {
  const bench = (indicator: NarrativeIndicator, value: number, benchmarks: NarrativeInput['benchmarks']) =>
    of(run({ indicator, series: monthly('2025-01', [value]), benchmarks }), 'benchmark');

  test('higher is better: 85.7% against England 82.0%, region 86.5% (0.8 points) and neighbours 90.0%', () => {
    expect(bench(ASSESSMENTS_45, 85.7, { england: 82, region: 86.5, statisticalNeighbours: 90 })).toEqual([
      'This is better than the England average (82.0%), in line with the regional average (86.5%) and worse than the statistical neighbour average (90.0%).',
    ]);
  });

  test('lower is better: 22.7% against England 22.6%, region 20.0% and neighbours 25.0%', () => {
    expect(bench(RE_REFERRALS, 22.7, { england: 22.6, region: 20, statisticalNeighbours: 25 })).toEqual([
      'This is in line with the England average (22.6%), worse than the regional average (20.0%) and better than the statistical neighbour average (25.0%).',
    ]);
  });

  test('lower is better, below England by more than a point: better', () => {
    expect(bench(RE_REFERRALS, 18.2, { england: 22.6 })).toEqual(['This is better than the England average (22.6%).']);
    expect(bench(RE_REFERRALS, 27.0, { england: 22.6 })).toEqual(['This is worse than the England average (22.6%).']);
  });

  test('the percentage boundary: exactly 1 point is in line, 1.1 points is not', () => {
    expect(bench(ASSESSMENTS_45, 86.7, { england: 85.7 })).toEqual(['This is in line with the England average (85.7%).']);
    expect(bench(ASSESSMENTS_45, 84.6, { england: 85.7 })).toEqual(['This is worse than the England average (85.7%).']);
  });

  test('no polarity: higher or lower, never better or worse; 5% relative for a rate', () => {
    // England 67.0: 5% is 3.35, |70.0 − 67.0| = 3.0 → in line. Region 80.0: 4.0 allowed, 10.0 off → lower.
    // Neighbours 60.0: 3.0 allowed, 10.0 off → higher.
    expect(bench(LAC_RATE, 70, { england: 67, region: 80, statisticalNeighbours: 60 })).toEqual([
      'This is in line with the England average (67.0), lower than the regional average (80.0) and higher than the statistical neighbour average (60.0).',
    ]);
  });

  test('the relative boundary: exactly 5% is in line, a little more is not', () => {
    // 63.0 against 60.0 is 3.0 = 5% of 60 → in line; 63.1 is 3.1 → higher.
    expect(bench(LAC_RATE, 63, { england: 60 })).toEqual(['This is in line with the England average (60.0).']);
    expect(bench(LAC_RATE, 63.1, { england: 60 })).toEqual(['This is higher than the England average (60.0).']);
    expect(bench({ ...LAC_RATE, polarity: 'lower' }, 63.1, { england: 60 })).toEqual(['This is worse than the England average (60.0).']);
  });

  test('no polarity on a percentage: higher and lower', () => {
    const nfa: NarrativeIndicator = { title: 'Referrals ending in no further action', unit: 'percent', polarity: 'neither', measure: 'flow', numeratorLabel: 'referrals with no further action' };
    expect(bench(nfa, 12.0, { england: 9.5, statisticalNeighbours: 15.2 })).toEqual([
      'This is higher than the England average (9.5%) and lower than the statistical neighbour average (15.2%).',
    ]);
  });

  test('quartile and the year of the benchmarks', () => {
    expect(bench(ASSESSMENTS_45, 90.1, { england: 82, quartile: 1, year: '2023-24' })).toEqual([
      'This is better than the England average for 2023-24 (82.0%) and in the top quartile of local authorities.',
    ]);
    expect(bench(RE_REFERRALS, 30, { quartile: 4 })).toEqual(['This is in the bottom quartile of local authorities.']);
    expect(bench(LAC_RATE, 40, { quartile: 4 })).toEqual(['This is in the lowest quartile of local authorities.']);
    expect(bench(LAC_RATE, 90, { quartile: 2 })).toEqual(['This is in the second-highest quartile of local authorities.']);
  });

  test('no benchmark values, no sentence', () => {
    expect(bench(ASSESSMENTS_45, 85.7, { england: null, statisticalNeighbours: null })).toEqual([]);
    expect(bench(ASSESSMENTS_45, 85.7, {})).toEqual([]);
  });
});

describe('SPC in plain words', () => {
  // The baseline: 16 months, January 2024 to April 2025, alternating 22, 18, 22, 18, … (as in
  // spc.test.ts): mean 20, mean moving range 4, limits 20 ± 2.66 × 4 = 9.36 and 30.64, 2-sigma lines
  // 20 ± 7.093 = 12.907 and 27.093. It fires no rule on its own. Later months are added with the
  // limits fixed on it.
  const BASE = Array.from({ length: 16 }, (_, k) => (k % 2 === 0 ? 22 : 18));
  const chartOf = (values: readonly (number | null)[], polarity: 'higher' | 'lower' | 'neither', fixed = true) =>
    spc(monthly('2024-01', values).map((m) => ({ label: m.label, value: m.value })), { polarity, ...(fixed ? { baselinePoints: 16 } : {}) });

  test('special cause, improvement: 8 months in a row below the average, lower is better', () => {
    // May to November 2025 at 15, below the mean of 20, and so is the baseline's last month, April
    // 2025 at 18: a shift of 8 points. Above the 2-sigma line 12.907, so no 2-of-3; flat, so no trend.
    const values = [...BASE, 15, 15, 15, 15, 15, 15, 15];
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', values), spc: chartOf(values, 'lower') });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 15.0% in November 2025.'),
      s('change', 'This is the same as in October 2025.'),
      s('spc', 'It signals an improvement (special cause variation): 8 months in a row below the average of 20.0%, from April 2025 to November 2025.'),
    ]);
  });

  test('special cause, concern: a single month below the lower limit when higher is better', () => {
    // May 2025 at 5 < 9.36: outside the limits. April 18 and March 22 are not beyond 12.907, so no
    // 2-of-3; 22, 18, 5 is only 3 falling. Every month before was higher: the lowest for over 16 months.
    const values = [...BASE, 5];
    const n = run({ indicator: ASSESSMENTS_45, series: monthly('2024-01', values), spc: chartOf(values, 'higher') });
    expect(n.sentences).toEqual([
      s('figure', 'Assessments completed within 45 working days stood at 5.0% in May 2025.'),
      s('change', 'This is down 13 percentage points from 18.0% in April 2025, a deterioration.'),
      s('extreme', 'It is the lowest for over 16 months.'),
      s('spc', 'It signals a concern (special cause variation): below the lower limit of the usual range (9.4%).'),
    ]);
  });

  test('special cause with no polarity: unusual, neither good nor bad', () => {
    // Referrals: the baseline × 10 (mean 200, limits 93.6 and 306.4, 2-sigma 270.9), then 7 months at 250.
    const values = [...BASE.map((v) => v * 10), 250, 250, 250, 250, 250, 250, 250];
    const n = run({ indicator: REFERRALS, series: monthly('2024-01', values), spc: chartOf(values, 'neither') });
    expect(n.sentences).toEqual([
      s('figure', 'There were 250 referrals in November 2025.'),
      s('change', 'This is the same as in October 2025.'),
      s('spc', 'It is unusual (special cause variation): 7 months in a row above the average of 200.0, from May 2025 to November 2025.'),
    ]);
  });

  test('two signals across a gap: a shift and a falling trend, August 2025 left out', () => {
    // After the baseline: 19 18 17 — 16 15 14 13 (May to December 2025, August empty).
    // Shift: April 2025 (18) and the 7 after it are below 20: 8 points. Trend: 19 down to 13, 7 points.
    // 13 is above the 2-sigma line 12.907: no 2-of-3. Back from December: 14, 15, 16 higher, then the gap.
    const values = [...BASE, 19, 18, 17, null, 16, 15, 14, 13];
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', values), spc: chartOf(values, 'lower') });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 13.0% in December 2025.'),
      s('change', 'This is down 1 percentage point from 14.0% in November 2025, an improvement.'),
      s(
        'spc',
        'It signals an improvement (special cause variation): 8 months in a row below the average of 20.0%, from April 2025 to December 2025 ' +
          '(leaving out August 2025, which has no figure); falling for 7 months in a row, from May 2025 to December 2025 (leaving out August 2025, which has no figure).',
      ),
    ]);
  });

  test('improvement and concern at once: a rising trend below the average', () => {
    // After the baseline (ending April 2025 at 18): 13.5 14 15 16 17 18 19, May to November 2025.
    // Shift below 20 from April: 8 points, a concern when higher is better; rising 7 points, an improvement.
    const values = [...BASE, 13.5, 14, 15, 16, 17, 18, 19];
    const n = run({ indicator: ASSESSMENTS_45, series: monthly('2024-01', values), spc: chartOf(values, 'higher') });
    expect(of(n, 'spc')).toEqual([
      'It is special cause variation pointing both ways: an improvement (rising for 7 months in a row, from May 2025 to November 2025) ' +
        'and a concern (8 months in a row below the average of 20.0%, from April 2025 to November 2025).',
    ]);
  });

  test('common cause: within the usual range, only when there is a chart', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', BASE), spc: chartOf(BASE, 'lower', false) });
    expect(n.sentences).toEqual([
      s('figure', 'Re-referrals within 12 months stood at 18.0% in April 2025.'),
      s('change', 'This is down 4 percentage points from 22.0% in March 2025, an improvement.'),
      s('spc', 'It is within the usual range of variation (common cause).'),
    ]);
  });

  test('insufficient data (5 months): nothing about variation', () => {
    const values = BASE.slice(0, 5);
    const chart = chartOf(values, 'lower', false);
    expect(chart.status).toBe('insufficient-data');
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-01', values), spc: chart });
    expect(n.sentences.map((x) => x.kind)).toEqual(['figure', 'change']);
    expect(n.paragraph).not.toMatch(/variation|usual range/);
  });

  test('a chart that does not contain the month says nothing', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2025-05', [18, 19]), spc: chartOf(BASE, 'lower', false) });
    expect(of(n, 'spc')).toEqual([]);
  });
});

describe('year to date and projection (counts of events only)', () => {
  // ICPCs, April 2024 to January 2025: 10 months summing to 375.
  const YEAR = [40, 35, 38, 36, 39, 37, 41, 34, 38, 37];

  test('linear: 375 in 10 months, 375 ÷ 10 × 12 = 450 by the end of March 2025', () => {
    const projection = projectYearEnd(monthly('2024-04', YEAR).map((m) => ({ month: m.label, value: m.value as number })));
    expect(projection).toMatchObject({ projected: 450, method: 'linear' });
    const n = run({ indicator: ICPCS, series: monthly('2024-04', YEAR), yearToDate: { value: 375 }, projection });
    expect(n.sentences).toEqual([
      s('figure', 'There were 37 ICPCs in January 2025.'),
      s('change', 'This is lower than 38 in December 2024.'),
      s('figure', 'There have been 375 ICPCs in the year to date (April 2024 to January 2025).'),
      s('projection', 'The number of ICPCs is projected to reach 450 by the end of March 2025 (linear from 10 months to date).'),
    ]);
  });

  test("seasonal: last year's April to January 400 and February to March 90: 375 + 90 × 375 ÷ 400 = 459.375 → 459", () => {
    const last = monthly('2023-04', [42, 38, 40, 39, 41, 40, 42, 38, 40, 40, 45, 45]).map((m) => ({ month: m.label, value: m.value as number }));
    const projection = projectYearEnd(monthly('2024-04', YEAR).map((m) => ({ month: m.label, value: m.value as number })), last);
    expect(projection).toMatchObject({ projected: 459, method: 'seasonal' });
    expect(of(run({ indicator: ICPCS, series: monthly('2024-04', YEAR), projection }), 'projection')).toEqual([
      "The number of ICPCs is projected to reach 459 by the end of March 2025 (from 10 months to date, following last year's pattern).",
    ]);
  });

  test('all 12 months in: the total, not a projection', () => {
    const full = [...YEAR, 40, 35];
    const projection = projectYearEnd(monthly('2024-04', full).map((m) => ({ month: m.label, value: m.value as number })));
    expect(of(run({ indicator: ICPCS, series: monthly('2024-04', full), projection }), 'projection')).toEqual(['The total for 2024-25 is 450 ICPCs.']);
  });

  test('one month to date, and a year to date of 1', () => {
    const projection = projectYearEnd([{ month: '2024-04', value: 1 }]);
    expect(of(run({ indicator: REFERRALS, series: monthly('2024-04', [1]), projection }), 'projection')).toEqual([
      'The number of referrals is projected to reach 12 by the end of March 2025 (linear from 1 month to date).',
    ]);
    expect(of(run({ indicator: REFERRALS, series: monthly('2024-05', [0]), yearToDate: { value: 1 } }), 'figure')).toEqual([
      'There were no referrals in May 2024.',
      'There has been 1 referral in the year to date (April 2024 to May 2024).',
    ]);
  });

  test('a percentage year to date, with its parts; none in April, none for stocks', () => {
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2025-01', [22.7]), yearToDate: pct(530, 2265) }), 'figure')).toEqual([
      'Re-referrals within 12 months stood at 22.7% in January 2025.',
      'The year-to-date figure (April 2024 to January 2025) is 23.4% (530 of 2,265 referrals).',
    ]);
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2024-04', [22.7]), yearToDate: { value: 22.7 } }), 'figure')).toHaveLength(1);
    expect(of(run({ indicator: CP_CHILDREN, series: monthly('2025-01', [412]), yearToDate: { value: 412 } }), 'figure')).toHaveLength(1);
  });

  test('no projection for a percentage or a stock, even when given one', () => {
    const projection = { projected: 450, method: 'linear' as const, monthsElapsed: 10, year: '2024-25' };
    expect(of(run({ indicator: RE_REFERRALS, series: monthly('2025-01', [22.7]), projection }), 'projection')).toEqual([]);
    expect(of(run({ indicator: CP_CHILDREN, series: monthly('2025-01', [412]), projection }), 'projection')).toEqual([]);
  });
});

describe('a month with no figure', () => {
  test('re-referrals with no referrals: says so, and nothing is compared, rated or charted', () => {
    const values = [...Array.from({ length: 16 }, (_, k) => (k % 2 === 0 ? 22 : 18))];
    const series = [...monthly('2023-09', values), { label: '2025-01', ...pct(0, 0) }];
    const n = run({
      indicator: RE_REFERRALS,
      series,
      judgement: { rag: null, target: 20, rule: 'No figure to rate (nothing to divide by).' },
      benchmarks: { england: 22.6, statisticalNeighbours: 23.1, quartile: 2 },
      spc: spc(series.map((m) => ({ label: m.label, value: m.value })), { polarity: 'lower' }),
    });
    expect(n.sentences).toEqual([s('figure', 'There is no figure for January 2025 (no referrals to measure).')]);
    expect(n.paragraph).toBe('There is no figure for January 2025 (no referrals to measure).');
  });

  test('other units give their own reason', () => {
    expect(run({ indicator: LAC_RATE, series: monthly('2025-01', [null]) }).paragraph).toBe('There is no figure for January 2025 (no population figure to divide by).');
    expect(run({ indicator: ASSESSMENTS_45, series: monthly('2025-01', [null]) }).paragraph).toBe('There is no figure for January 2025 (no cases to measure).');
    expect(run({ indicator: REFERRALS, series: monthly('2025-01', [null]) }).paragraph).toBe('There is no figure for January 2025 (no data for the month).');
  });

  test('the month after a missing one is not compared with it', () => {
    const n = run({ indicator: RE_REFERRALS, series: monthly('2024-12', [null, 22.7]) });
    expect(n.sentences).toEqual([s('figure', 'Re-referrals within 12 months stood at 22.7% in January 2025.')]);
  });

  test('undefined is read as no figure; NaN and bad months are refused', () => {
    expect(run({ indicator: REFERRALS, series: [{ label: '2025-01', value: undefined as unknown as null }] }).paragraph).toBe(
      'There is no figure for January 2025 (no data for the month).',
    );
    expect(() => narrate({ indicator: REFERRALS, series: [{ label: '2025-01', value: Number.NaN }] })).toThrow(/2025-01: value NaN is not a number/);
    expect(() => narrate({ indicator: REFERRALS, series: [{ label: '2025-13', value: 1 }] })).toThrow(/not of the form YYYY-MM/);
    expect(() => narrate({ indicator: REFERRALS, series: monthly('2025-01', [1, 2]).reverse() })).toThrow(/time order/);
    expect(() => narrate({ indicator: REFERRALS, series: [] })).toThrow(/at least the month/);
  });
});

describe('a whole paragraph', () => {
  test('re-referrals in January 2025: figure, change, lowest for over 12 months, target, benchmarks, year to date', () => {
    const series = monthly('2024-01', [25.1, 24.0, 26.3, 23.5, 24.8, 25.5, 23.9, 24.2, 26.0, 25.0, 24.4, 23.1, pct(51, 225)]);
    const n = run({
      indicator: RE_REFERRALS,
      series,
      yearToDate: pct(530, 2265),
      judgement: { rag: 'amber', target: 22, rule: 'Amber: …' },
      benchmarks: { england: 22.6, statisticalNeighbours: 25.0, year: '2023-24' },
    });
    expect(n.paragraph).toBe(
      'Re-referrals within 12 months stood at 22.7% (51 of 225 referrals) in January 2025. ' +
        'This is down 0.4 percentage points from 23.1% in December 2024, an improvement. ' +
        'It is the lowest for over 12 months. ' +
        'It is above the target of 22% but within tolerance (amber). ' +
        'It is in line with the England average for 2023-24 (22.6%) and better than the statistical neighbour average for 2023-24 (25.0%). ' +
        'The year-to-date figure (April 2024 to January 2025) is 23.4% (530 of 2,265 referrals).',
    );
    expect(n.sentences.map((x) => x.kind)).toEqual(['figure', 'change', 'extreme', 'target', 'benchmark', 'figure']);
  });
});

describe('the pluraliser', () => {
  test.each([
    ['referral', 'referrals'],
    ['re-referral', 're-referrals'],
    ['child', 'children'],
    ['Child', 'Children'],
    ['enquiry', 'enquiries'],
    ['ICPC', 'ICPCs'],
    ['PEP', 'PEPs'],
    ['person', 'people'],
    ['family', 'families'],
    ['day', 'days'],
    ['process', 'processes'],
    ['match', 'matches'],
  ])('%s ↔ %s', (one, many) => {
    expect(pluralise(one)).toBe(many);
    expect(singularise(many)).toBe(one);
  });

  test('a phrase is made singular at its first plural word', () => {
    expect(singularPhrase('children on a plan')).toBe('child on a plan');
    expect(singularPhrase('section 47 enquiries')).toBe('section 47 enquiry');
    expect(singularPhrase('initial child protection conferences')).toBe('initial child protection conference');
    expect(singularPhrase('ICPCs within 15 working days')).toBe('ICPC within 15 working days');
    expect(singularPhrase('assessments where the child was seen')).toBe('assessment where the child was seen');
    expect(singularPhrase('families stepped down')).toBe('family stepped down');
    expect(singularPhrase('in touch')).toBe('in touch');
  });

  test('countOf: 0, 1, 2 and thousands', () => {
    expect(countOf(0, 'referrals')).toBe('0 referrals');
    expect(countOf(1, 'referrals')).toBe('1 referral');
    expect(countOf(2, 'children on a plan')).toBe('2 children on a plan');
    expect(countOf(1, 'children on a plan')).toBe('1 child on a plan');
    expect(countOf(1, 'section 47 enquiries')).toBe('1 section 47 enquiry');
    expect(countOf(12345, 'contacts')).toBe('12,345 contacts');
  });
});

describe('never NaN, undefined or null in the text', () => {
  test('across every narrative made above', () => {
    expect(made.length).toBeGreaterThan(50);
    for (const n of made) {
      for (const sentence of n.sentences) {
        expect(sentence.text).not.toMatch(/NaN|undefined|null|Infinity/);
        expect(sentence.text).toMatch(/^[A-Z].*\.$/);
      }
    }
  });
});
