// Children in need family on a hand-built authority. Every expected number is worked out in the comments
// from the rows below; working-day counts are from the England and Wales calendar (Christmas 2024: Wednesday
// 25th and Thursday 26th are bank holidays, and so is Wednesday 1 January 2025).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12 } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/childrenInNeed.ts';

// Episodes of need (referral → closure), January 2025, snapshot 2025-01-31:
//   a  2024-10-01 → open             in need              CIN plan 2024-10-20 → open
//   b  2025-01-31 → open             in need (referred on the snapshot day; no plan yet)
//   c  2024-12-01 → 2025-01-31       closed on the snapshot day: not in need
//   d  2025-01-10 NFA, closed the same day; 2025-01-20 NFA, no closure date: no further action is not an episode of need
//   e  2023-05-01 → open             in need (episode spanning the period start), on a CP plan since 2024-12-01
//                                    (its CIN plan 2024-05-01 → 2024-12-01 ended when the CP plan started)
//   f  2022-01-01 → open             in need, looked after: episodes 2023-01-01 → 2024-06-01, 2024-06-01 → open
//   g  2024-06-01 and 2024-09-01, both open: one child       CIN plan 2024-07-31 → open
//   h  2024-01-01 → 2025-02-15       in need in January       CIN plan 2024-07-01 → 2025-01-31 (ended on the snapshot day)
//   i  2024-03-01 → open             in need              CIN plan 2024-08-31 → open
//   j  looked after since 2024-01-01, no referral: not a child in need here
//   m  2024-02-01 → open             in need              CIN plan 2024-02-29 → open
//   n  2025-01-02 → open             in need              CIN plan 2025-01-06 → open
//   o  2024-11-01 → 2025-01-15       closed in the month: not in need at 31 January
// Children in need at 31 Jan: a, b, e, f, g, h, i, m, n = 9; per 10,000 of 20,000 children = 4.5.
// Not on a CP plan or looked after: 9 less e and f = 7.
// CIN plans open 6 months or more at 31 Jan: g (2024-07-31 + 6 months = 2025-01-31, on the day) and m (2024-02-29 →
//   2024-08-29) = 2; a (→ 2025-04-20), i (→ 2025-02-28), n are too recent; h ended on the snapshot day.
//   At 28 Feb 2025: g, m and i (2024-08-31 + 6 months = 28 February 2025, the month's last day) = 3.
// CIN visits at 31 Jan (20 working days), children on a CIN plan a, g, i, m, n:
//   a last CIN visit 2 Jan: 21 working days → overdue      g 3 Jan: 20 → in
//   i last CIN visit 1 Nov (a CP visit on 30 Jan does not count) → overdue
//   m no visit since the plan started in 2024 → overdue     n no visit, plan started 6 Jan: 19 → in
//   → 2 of 5 = 40%. With a standard of 25 working days a comes in too → 3 of 5.
// At 31 Dec 2024 on a CIN plan: a, g, h, i, m (e's ended 1 Dec; n's not started) = 5; g's last visit 2 Dec: 19 working
//   days across the Christmas bank holidays → in (21 without them); the others have none since their plan started → 1 of 5.
// With a plan at 31 Jan: a, g, i, m, n (CIN plan), e (CP plan), f (looked after) = 7 of 9; b (being assessed) and
//   h (plan ended on the day) have none.
const rows = {
  children: [
    { child_id: 'a', sex: 'F', dob: '2009-01-31' }, // exactly 16 on 31 January 2025
    ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'm', 'n', 'o'].map((id) => ({ child_id: id, sex: 'M', dob: '2015-05-05' })),
  ],
  referrals: [
    { child_id: 'a', referral_date: '2024-10-01', team: 'North', worker: 'Ann' },
    { child_id: 'b', referral_date: '2025-01-31' },
    { child_id: 'c', referral_date: '2024-12-01', closure_date: '2025-01-31' },
    { child_id: 'd', referral_date: '2025-01-10', nfa: true, closure_date: '2025-01-10' },
    { child_id: 'd', referral_date: '2025-01-20', nfa: true },
    { child_id: 'e', referral_date: '2023-05-01', nfa: false },
    { child_id: 'f', referral_date: '2022-01-01' },
    { child_id: 'g', referral_date: '2024-06-01', team: 'North' },
    { child_id: 'g', referral_date: '2024-09-01', team: 'South' },
    { child_id: 'h', referral_date: '2024-01-01', closure_date: '2025-02-15' },
    { child_id: 'i', referral_date: '2024-03-01' },
    { child_id: 'm', referral_date: '2024-02-01' },
    { child_id: 'n', referral_date: '2025-01-02' },
    { child_id: 'o', referral_date: '2024-11-01', closure_date: '2025-01-15' },
  ],
  cin_plans: [
    { child_id: 'a', start_date: '2024-10-20' },
    { child_id: 'e', start_date: '2024-05-01', end_date: '2024-12-01' },
    { child_id: 'g', start_date: '2024-07-31' },
    { child_id: 'h', start_date: '2024-07-01', end_date: '2025-01-31' },
    { child_id: 'i', start_date: '2024-08-31' },
    { child_id: 'm', start_date: '2024-02-29' },
    { child_id: 'n', start_date: '2025-01-06' },
  ],
  cp_plans: [{ child_id: 'e', start_date: '2024-12-01' }],
  lac_episodes: [
    { child_id: 'f', decom: '2023-01-01', dec: '2024-06-01' },
    { child_id: 'f', decom: '2024-06-01' },
    { child_id: 'j', decom: '2024-01-01' },
  ],
  visits: [
    { child_id: 'a', visit_date: '2025-01-02', visit_type: 'CIN' },
    { child_id: 'g', visit_date: '2024-12-02', visit_type: 'CIN' },
    { child_id: 'g', visit_date: '2025-01-03', visit_type: 'CIN' },
    { child_id: 'i', visit_date: '2024-11-01', visit_type: 'CIN' },
    { child_id: 'i', visit_date: '2025-01-30', visit_type: 'CP' },
  ],
  population: [
    { la_code: '999', year: 2024, age: 5, sex: 'M', count: 10000 },
    { la_code: '999', year: 2024, age: 12, sex: 'F', count: 10000 },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const ids = async (id: string, p = jan): Promise<string[]> =>
  (await f.engine.rows(id, p)).filter((r) => r.in_numerator).map((r) => r.child_id ?? '').sort();

describe('children in need family', () => {
  it('children in need at the period end: open episodes, each child once, no further action excluded', async () => {
    expect(await one('children_in_need.count')).toMatchObject({ numerator: 9, value: 9 });
    expect(await ids('children_in_need.count')).toEqual(['a', 'b', 'e', 'f', 'g', 'h', 'i', 'm', 'n']);
    const g = (await f.engine.rows('children_in_need.count', jan)).find((r) => r.child_id === 'g');
    // g: counted once, from the earlier open episode, with the latest referral's team
    expect(g).toMatchObject({ referral_date: '2024-06-01', team: 'South', at_date: '2025-01-31' });
    // a stock is the same whatever the period's start
    expect((await one('children_in_need.count', rolling12('2025-01'))).value).toBe(9);
  });

  it('rate per 10,000: 9 of 20,000 children = 4.5', async () => {
    expect(await one('children_in_need.rate')).toMatchObject({ numerator: 9, denominator: 20000, value: 4.5 });
  });

  it('without children on a CP plan or looked after', async () => {
    expect(await one('children_in_need.excluding_cp_lac')).toMatchObject({ numerator: 7, value: 7 });
    expect(await ids('children_in_need.excluding_cp_lac')).toEqual(['a', 'b', 'g', 'h', 'i', 'm', 'n']);
  });

  it('CIN plans open 6 months or more: on the day counts; 29 February and month ends', async () => {
    expect(await one('children_in_need.cin_plans_over_6m')).toMatchObject({ numerator: 2, value: 2 });
    expect(await ids('children_in_need.cin_plans_over_6m')).toEqual(['g', 'm']);
    const r = await f.engine.rows('children_in_need.cin_plans_over_6m', jan);
    expect(r.find((x) => x.child_id === 'm')?.six_months_date).toBe('2024-08-29');
    expect(await one('children_in_need.cin_plans_over_6m', month('2025-02'))).toMatchObject({ numerator: 3 });
    expect(await ids('children_in_need.cin_plans_over_6m', month('2025-02'))).toEqual(['g', 'i', 'm']);
  });

  it('CIN visits in timescale: last CIN visit since the plan start within 20 working days of the period end', async () => {
    expect(await one('children_in_need.visits_in_timescale')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    expect(await ids('children_in_need.visits_in_timescale')).toEqual(['g', 'n']);
    const r = await f.engine.rows('children_in_need.visits_in_timescale', jan);
    expect(r.find((x) => x.child_id === 'a')).toMatchObject({ last_visit_date: '2025-01-02', working_days_since: 21 });
    expect(r.find((x) => x.child_id === 'g')).toMatchObject({ last_visit_date: '2025-01-03', working_days_since: 20 });
    expect(r.find((x) => x.child_id === 'i')).toMatchObject({ last_visit_date: '2024-11-01' });
    expect(r.find((x) => x.child_id === 'n')).toMatchObject({ last_visit_date: null, working_days_since: 19 });
  });

  it('CIN visits across the Christmas bank holidays, and a local standard of 25 working days', async () => {
    expect(await one('children_in_need.visits_in_timescale', month('2024-12'))).toMatchObject({ numerator: 1, denominator: 5 });
    const r = await f.engine.rows('children_in_need.visits_in_timescale', month('2024-12'));
    expect(r.find((x) => x.child_id === 'g')).toMatchObject({ last_visit_date: '2024-12-02', working_days_since: 19, in_numerator: true });
    const g = await fixture(rows, { cinVisitWorkingDays: 25 });
    try {
      expect((await g.engine.compute('children_in_need.visits_in_timescale', [jan]))[0]).toMatchObject({ numerator: 3, denominator: 5 });
    } finally {
      g.close();
    }
  });

  it('children in need with a plan: CIN plan, CP plan or looked after', async () => {
    const fig = await one('children_in_need.with_plan');
    expect(fig).toMatchObject({ numerator: 7, denominator: 9 });
    expect(fig.value).toBeCloseTo(700 / 9, 10);
    expect(await ids('children_in_need.with_plan')).toEqual(['a', 'e', 'f', 'g', 'i', 'm', 'n']);
    const r = await f.engine.rows('children_in_need.with_plan', jan);
    expect(r.find((x) => x.child_id === 'e')).toMatchObject({ cin_plan_start_date: null, cp_plan_start_date: '2024-12-01' });
    expect(r.find((x) => x.child_id === 'f')).toMatchObject({ looked_after_date: '2024-06-01' });
    expect(r.find((x) => x.child_id === 'h')).toMatchObject({ cin_plan_start_date: null, in_numerator: false });
  });

  it('breaks down by age band at the snapshot: a child aged exactly 16 is 16 and over', async () => {
    const byAge = await f.engine.compute('children_in_need.count', [jan], { breakdown: 'age_band' });
    expect(byAge.map((x) => [x.group, x.value])).toEqual([['16 and over', 1], ['5 to 9', 8]]);
  });

  it('for every indicator and period, the child rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, month('2024-12'), month('2025-02'), yearToDate('2025-01'), rolling12('2025-01')]);
  });

  it('every indicator is described for a committee', () => {
    for (const ind of INDICATORS) {
      expect(ind.id).toMatch(/^children_in_need\.[a-z0-9_]+$/);
      expect(ind.theme).toBe('children_in_need');
      expect(ind.definition.length).toBeGreaterThan(60);
      expect(ind.source).toBeTruthy();
    }
  });
});
