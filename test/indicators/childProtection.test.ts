// Child protection family on a hand-built authority. Every expected number is worked out in the comments
// from the rows below; the working-day counts are from the England and Wales calendar (Christmas 2024:
// Wednesday 25th and Thursday 26th are bank holidays, and so is Wednesday 1 January 2025).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12 } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/childProtection.ts';

// Plans (January 2025 = 2025-01-01..2025-01-31; the snapshot is 2025-01-31):
//   A   2024-06-10 → open                 NEG, team North      on a plan at 31 Jan
//   B1  2024-11-01 → open                 NEG, team North      } B has two overlapping plans: one child on a plan,
//   B2  2025-01-06 → open                 PHY, team South      } counted from B1's start, B2's category and team
//   C   2023-01-31 → 2025-01-31           EMO                  ended on the period end: not on a plan at 31 Jan;
//                                                              ended in January, exactly two years → lasted 2 years
//   D   2025-01-31 → open, 2 previous     NEG                  started on the period end: on a plan at 31 Jan
//   F   2022-12-15 → open                 NEG                  on a plan over two years (2 years on 2024-12-15)
//   G   2023-01-20 → 2025-01-19           EMO                  ended in January a day short of two years (2025-01-20)
//   H   2024-02-29 → 2026-02-28                                two years from 29 Feb 2024 = 1 March 2026 → not 2 years
//   I   2024-02-29 → 2026-03-01                                → exactly 2 years
//   J1  2022-03-01 → 2023-01-20; J2 2025-01-20 → open          J2 starts exactly two years after J1 ended → within 2 years
//   K1  2022-06-01 → 2023-01-19; K2 2025-01-20 → open          K2 starts two years and a day after → not within 2 years
//   L   2025-01-15 → open, previous plans null                 first plan
//   Y   no start date                                          ignored everywhere
//
// On a plan at 31 Jan 2025: A, B, D, F, H, I, J, K, L = 9 children (C ended that day; G ended on the 19th).
// Plans started in January: B2 (6th), L (15th), J2 (20th), K2 (20th), D (31st) = 5.
//   second or subsequent: B2 (B1 held here), D (2 previous recorded), J2, K2 (earlier plan held here); not L → 4 of 5 = 80%
//   within 2 years of the last: B2 (B1 still open), J2 (J1 ended 2023-01-20 = 2025-01-20 less two years) → 2 of 5 = 40%;
//   not D (its previous plans were elsewhere: no date), K2 (2023-01-19 is before 2023-01-20), L.
// Plans ended in January: G (19th), C (31st) = 2; lasted two years: C → 1 of 2 = 50%.
// Open two years or more at 31 Jan: F (since 2022-12-15) → 1 of 9; H and I reach two years only on 2026-03-01.
//
// CP visits at 31 Jan (10 working days):
//   A last visit 17 Jan: 10 working days → in          B last CP visit 16 Jan: 11 → overdue (a CIN visit on 29 Jan does not count)
//   D no visit, plan started 31 Jan: 0 → in            F last visit 2 Jan: 21 → overdue (a visit on 3 Feb is after the period)
//   H only visit 20 Feb 2024, before the plan started: counted from the plan start → overdue
//   I visit on 31 Jan itself: 0 → in                   J, K no visit, plans started 20 Jan: 9 → in
//   L no visit, plan started 15 Jan: 12 → overdue
//   → A, D, I, J, K = 5 of 9.
// December 2024 (snapshot 31 Dec): on a plan A, B, C, F, G, H, I = 7. A's last visit 13 Dec: 10 working days across
// the two Christmas bank holidays → in (12 days without them); F's 12 Dec: 11 → overdue; the others have no visit
// since their plan started long before → 1 of 7.
//
// CP reviews held in January 2025:
//   A   plan 2024-06-10, previous review 2024-09-10 → due 2025-03-10; held 2025-01-20 → in
//   F   previous 2024-07-10 → due 2025-01-10; held 2025-01-11 → late by a day
//   B   plan 2024-11-01, first review → due 2025-02-01; held 2025-01-31 → in
//   C   previous 2024-07-31 → due 2025-01-31; held 2025-01-31 → in (on the day)
//   → 3 of 4 = 75%.
// September 2024: A's first review 2024-09-10 = exactly three months after 2024-06-10 → 1 of 1.
// The review records held begin on 2023-03-31 (Q's review, with no plan: late). A plan that started before then
// and has no earlier review held here has an unknown previous review, so that review is left out:
//   A, B and M started after; C's review of 2024-07-31 and F's of 2024-07-10 are left out, but their January
//   reviews follow a review held here and count.
// November 2023: M plan 2023-08-31, first review 2023-11-30 = three months later (31 Nov clamps to 30th) → in;
//   G review 2023-11-20 with no plan start recorded: G's plan (2023-01-20) started before the records begin and no
//   earlier review is held → left out; Z review 2023-11-25 with no plan at all → cannot be shown in time → late.
//   → 1 of 2.
const rows = {
  children: [
    { child_id: 'A', sex: 'F', dob: '2009-01-31' }, // exactly 16 on 31 January 2025 → 16 and over
    { child_id: 'B', sex: 'M', dob: '2009-02-01' }, // 15 until 1 February → 10 to 15
    ...['C', 'D', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'Q', 'Y', 'Z'].map((id) => ({ child_id: id, sex: 'M', dob: '2015-05-05' })),
  ],
  cp_plans: [
    { child_id: 'A', start_date: '2024-06-10', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0, team: 'North', worker: 'Ann' },
    { child_id: 'B', start_date: '2024-11-01', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0, team: 'North' },
    { child_id: 'B', start_date: '2025-01-06', initial_category: 'PHY', latest_category: 'PHY', previous_plans: 0, team: 'South' },
    { child_id: 'C', start_date: '2023-01-31', end_date: '2025-01-31', initial_category: 'EMO', latest_category: 'EMO', previous_plans: 0 },
    { child_id: 'D', start_date: '2025-01-31', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 2 },
    { child_id: 'F', start_date: '2022-12-15', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0 },
    { child_id: 'G', start_date: '2023-01-20', end_date: '2025-01-19', initial_category: 'EMO', latest_category: 'EMO', previous_plans: 0 },
    { child_id: 'H', start_date: '2024-02-29', end_date: '2026-02-28', initial_category: 'SAB', latest_category: 'SAB' },
    { child_id: 'I', start_date: '2024-02-29', end_date: '2026-03-01', initial_category: 'SAB', latest_category: 'SAB' },
    { child_id: 'J', start_date: '2022-03-01', end_date: '2023-01-20', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0 },
    { child_id: 'J', start_date: '2025-01-20', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 1 },
    { child_id: 'K', start_date: '2022-06-01', end_date: '2023-01-19', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0 },
    { child_id: 'K', start_date: '2025-01-20', initial_category: 'NEG', latest_category: 'NEG', previous_plans: 0 },
    { child_id: 'L', start_date: '2025-01-15', initial_category: 'MUL', latest_category: 'MUL', previous_plans: null },
    { child_id: 'M', start_date: '2023-08-31', end_date: '2023-11-30', initial_category: 'NEG', latest_category: 'NEG' },
    { child_id: 'Y', start_date: null, end_date: null },
  ],
  visits: [
    { child_id: 'A', visit_date: '2024-12-13', visit_type: 'CP' },
    { child_id: 'A', visit_date: '2025-01-03', visit_type: 'CP' },
    { child_id: 'A', visit_date: '2025-01-17', visit_type: 'CP' },
    { child_id: 'B', visit_date: '2025-01-16', visit_type: 'CP' },
    { child_id: 'B', visit_date: '2025-01-29', visit_type: 'CIN' },
    { child_id: 'F', visit_date: '2024-12-12', visit_type: 'CP' },
    { child_id: 'F', visit_date: '2025-01-02', visit_type: 'CP' },
    { child_id: 'F', visit_date: '2025-02-03', visit_type: 'CP' },
    { child_id: 'H', visit_date: '2024-02-20', visit_type: 'CP' },
    { child_id: 'I', visit_date: '2025-01-31', visit_type: 'CP' },
  ],
  cp_reviews: [
    { child_id: 'A', plan_start_date: '2024-06-10', review_date: '2024-09-10' },
    { child_id: 'A', plan_start_date: '2024-06-10', review_date: '2025-01-20' },
    { child_id: 'F', plan_start_date: '2022-12-15', review_date: '2024-07-10' },
    { child_id: 'F', plan_start_date: '2022-12-15', review_date: '2025-01-11' },
    { child_id: 'B', plan_start_date: '2024-11-01', review_date: '2025-01-31' },
    { child_id: 'C', plan_start_date: '2023-01-31', review_date: '2024-07-31' },
    { child_id: 'C', plan_start_date: '2023-01-31', review_date: '2025-01-31' },
    { child_id: 'M', plan_start_date: '2023-08-31', review_date: '2023-11-30' },
    { child_id: 'G', plan_start_date: null, review_date: '2023-11-20' },
    { child_id: 'Z', plan_start_date: null, review_date: '2023-11-25' },
    { child_id: 'Q', plan_start_date: null, review_date: '2023-03-31' },
  ],
  // 30,000 children aged 0–17 in the mid-2024 estimate
  population: [
    { la_code: '999', year: 2024, age: 5, sex: 'M', count: 15000 },
    { la_code: '999', year: 2024, age: 12, sex: 'F', count: 15000 },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const ids = async (id: string, p = jan, which: 'in_numerator' | 'in_denominator' = 'in_numerator'): Promise<string[]> =>
  (await f.engine.rows(id, p)).filter((r) => r[which]).map((r) => r.child_id ?? '').sort();

describe('child protection family', () => {
  it('children on a plan at the period end: each child once; a plan ending on the day is not open, one starting on it is', async () => {
    expect(await one('child_protection.on_plan')).toMatchObject({ numerator: 9, value: 9 });
    expect(await ids('child_protection.on_plan')).toEqual(['A', 'B', 'D', 'F', 'H', 'I', 'J', 'K', 'L']);
    const b = (await f.engine.rows('child_protection.on_plan', jan)).find((r) => r.child_id === 'B');
    // B: on a plan since B1 (1 Nov), with the latest plan's category and team
    expect(b).toMatchObject({ plan_start_date: '2024-11-01', category: 'PHY', team: 'South', at_date: '2025-01-31' });
    // a stock ignores the period start: the year to date snapshot is the same 31 January
    expect((await f.engine.compute('child_protection.on_plan', [yearToDate('2025-01')]))[0].value).toBe(9);
  });

  it('rate per 10,000: 9 children of 30,000 = 3.0', async () => {
    expect(await one('child_protection.rate')).toMatchObject({ numerator: 9, denominator: 30000, value: 3 });
  });

  it('breaks down by team (the latest plan\'s) and by age band at the snapshot (a child aged exactly 16 is 16 and over)', async () => {
    const byTeam = await f.engine.compute('child_protection.on_plan', [jan], { breakdown: 'team' });
    expect(byTeam.map((x) => [x.group, x.value])).toEqual([['North', 1], ['South', 1], ['Unallocated', 7]]);
    const byAge = await f.engine.compute('child_protection.on_plan', [jan], { breakdown: 'age_band' });
    expect(byAge.map((x) => [x.group, x.value])).toEqual([['10 to 15', 1], ['16 and over', 1], ['5 to 9', 7]]);
  });

  it('plans started and ended count plans in the period', async () => {
    expect(await one('child_protection.plans_started')).toMatchObject({ numerator: 5, value: 5 });
    expect(await ids('child_protection.plans_started')).toEqual(['B', 'D', 'J', 'K', 'L']);
    expect(await one('child_protection.plans_ended')).toMatchObject({ numerator: 2, value: 2 });
    expect(await ids('child_protection.plans_ended')).toEqual(['C', 'G']);
    // year to date from April 2024: the January starts and A (June), B1 (November) → 7;
    // rolling 12 months from February 2024 adds H and I (29 February 2024) → 9
    expect((await one('child_protection.plans_started', yearToDate('2025-01'))).value).toBe(7);
    expect((await one('child_protection.plans_started', rolling12('2025-01'))).value).toBe(9);
  });

  it('second or subsequent plans: a previous plan recorded or held here', async () => {
    expect(await one('child_protection.second_or_subsequent')).toMatchObject({ numerator: 4, denominator: 5, value: 80 });
    expect(await ids('child_protection.second_or_subsequent')).toEqual(['B', 'D', 'J', 'K']);
    const d = (await f.engine.rows('child_protection.second_or_subsequent', jan)).find((r) => r.child_id === 'D');
    expect(d).toMatchObject({ previous_plans: 2, previous_plan_end_date: null });
  });

  it('within 2 years of the last plan: exactly two years counts, two years and a day does not', async () => {
    expect(await one('child_protection.repeat_within_2y')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    expect(await ids('child_protection.repeat_within_2y')).toEqual(['B', 'J']);
    const rowsJan = await f.engine.rows('child_protection.repeat_within_2y', jan);
    expect(rowsJan.find((r) => r.child_id === 'J')?.previous_plan_end_date).toBe('2023-01-20');
    expect(rowsJan.find((r) => r.child_id === 'K')).toMatchObject({ in_numerator: false, previous_plan_end_date: '2023-01-19' });
  });

  it('plans ended that lasted 2 years or more; 29 February counts from 1 March', async () => {
    expect(await one('child_protection.ended_after_2y')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(await ids('child_protection.ended_after_2y')).toEqual(['C']);
    // H: 2024-02-29 → 2026-02-28, two years only on 2026-03-01 → 0 of 1; I: ended 2026-03-01 → 1 of 1
    expect(await one('child_protection.ended_after_2y', month('2026-02'))).toMatchObject({ numerator: 0, denominator: 1 });
    expect(await one('child_protection.ended_after_2y', month('2026-03'))).toMatchObject({ numerator: 1, denominator: 1 });
    const i = (await f.engine.rows('child_protection.ended_after_2y', month('2026-03')))[0];
    expect(i).toMatchObject({ child_id: 'I', two_years_date: '2026-03-01', plan_end_date: '2026-03-01' });
  });

  it('current plans open 2 years or more', async () => {
    const fig = await one('child_protection.open_2y');
    expect(fig.numerator).toBe(1);
    expect(fig.denominator).toBe(9);
    expect(fig.value).toBeCloseTo(100 / 9, 10);
    expect(await ids('child_protection.open_2y')).toEqual(['F']);
  });

  it('CP visits in timescale: last CP visit since the plan start within 10 working days of the period end', async () => {
    const fig = await one('child_protection.visits_in_timescale');
    expect(fig).toMatchObject({ numerator: 5, denominator: 9 });
    expect(await ids('child_protection.visits_in_timescale')).toEqual(['A', 'D', 'I', 'J', 'K']);
    const r = await f.engine.rows('child_protection.visits_in_timescale', jan);
    const by = (id: string) => r.find((x) => x.child_id === id);
    expect(by('A')).toMatchObject({ last_visit_date: '2025-01-17', working_days_since: 10, in_numerator: true });
    expect(by('B')).toMatchObject({ last_visit_date: '2025-01-16', working_days_since: 11, in_numerator: false });
    expect(by('H')).toMatchObject({ last_visit_date: null, plan_start_date: '2024-02-29', in_numerator: false });
    expect(by('L')).toMatchObject({ last_visit_date: null, working_days_since: 12, in_numerator: false });
    expect(by('J')).toMatchObject({ last_visit_date: null, working_days_since: 9, in_numerator: true });
  });

  it('CP visits across the Christmas bank holidays, and a local standard of 15 working days', async () => {
    expect(await one('child_protection.visits_in_timescale', month('2024-12'))).toMatchObject({ numerator: 1, denominator: 7 });
    const r = await f.engine.rows('child_protection.visits_in_timescale', month('2024-12'));
    expect(r.find((x) => x.child_id === 'A')).toMatchObject({ last_visit_date: '2024-12-13', working_days_since: 10, in_numerator: true });
    expect(r.find((x) => x.child_id === 'F')).toMatchObject({ last_visit_date: '2024-12-12', working_days_since: 11, in_numerator: false });
    // with 15 working days: B (11) and L (12) come in too → 7 of 9
    const g = await fixture(rows, { cpVisitWorkingDays: 15 });
    try {
      expect((await g.engine.compute('child_protection.visits_in_timescale', [jan]))[0]).toMatchObject({ numerator: 7, denominator: 9 });
    } finally {
      g.close();
    }
  });

  it('CP reviews in timescale: first within 3 months of the plan start, then within 6 months of the last review', async () => {
    expect(await one('child_protection.reviews_in_timescale')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    expect(await ids('child_protection.reviews_in_timescale')).toEqual(['A', 'B', 'C']);
    const r = await f.engine.rows('child_protection.reviews_in_timescale', jan);
    expect(r.find((x) => x.child_id === 'F')).toMatchObject({ previous_review_date: '2024-07-10', due_date: '2025-01-10', review_date: '2025-01-11', in_numerator: false });
    expect(r.find((x) => x.child_id === 'B')).toMatchObject({ previous_review_date: null, due_date: '2025-02-01', in_numerator: true });
    expect(r.find((x) => x.child_id === 'C')).toMatchObject({ due_date: '2025-01-31', in_numerator: true });
    expect(await one('child_protection.reviews_in_timescale', month('2024-09'))).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('CP reviews: a month-end clamp, a plan older than the records held, a review without any plan', async () => {
    const nov = month('2023-11');
    expect(await one('child_protection.reviews_in_timescale', nov)).toMatchObject({ numerator: 1, denominator: 2 });
    const r = await f.engine.rows('child_protection.reviews_in_timescale', nov);
    expect(r.map((x) => x.child_id).sort()).toEqual(['M', 'Z']);
    expect(r.find((x) => x.child_id === 'M')).toMatchObject({ due_date: '2023-11-30', in_numerator: true });
    expect(r.find((x) => x.child_id === 'Z')).toMatchObject({ plan_start_date: null, due_date: null, in_numerator: false });
    // July 2024: F's first review held here (plan 2022-12-15, before the records begin) is left out → nothing
    expect(await one('child_protection.reviews_in_timescale', month('2024-07'))).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('for every indicator and period, the child rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, month('2024-12'), month('2023-11'), yearToDate('2025-01'), rolling12('2025-01')]);
  });

  it('every indicator is described for a committee', () => {
    for (const ind of INDICATORS) {
      expect(ind.id).toMatch(/^child_protection\.[a-z0-9_]+$/);
      expect(ind.theme).toBe('child_protection');
      expect(ind.definition.length).toBeGreaterThan(60);
      expect(ind.source).toBeTruthy();
    }
  });
});
