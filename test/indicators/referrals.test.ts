// Referrals family and the engine around it, on a hand-built authority. Every expected number is
// worked out in the comments from the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12 } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';

// Children: A male born 2024-06-01 (under 1 in January 2025), B female 2010, C male 2012, D, E, F.
// Referrals in January 2025 (period 2025-01-01..2025-01-31):
//   A 2025-01-15  previous 2024-01-15: exactly 12 months before → re-referral      source 6 (Police)   team North
//   B 2025-01-15  previous 2024-01-14: 12 months and a day     → not a re-referral source 3A (Health)  no team: allocation → South
//   C 2025-01-10  no previous                                     → not             source 6 (Police), NFA, closed same day
//   C 2025-01-20  previous 2025-01-10 (ten days)                  → re-referral     source 2A (Education)
// So: 4 referrals; re-referrals 2 of 4 = 50%; NFA 1 of 4 = 25%;
// to assessment: A (assessment against 2025-01-15), B (assessment with no referral date starting 2025-01-20,
// referral still open), C-20 (assessment against 2025-01-20) → 3 of 4 = 75%; C-10 has none (C's assessment
// names the 20th).
// F 2024-03-15: in the rolling 12 months to January (from 2024-02-01) but not the year to date (from 2024-04-01);
// so are D's and E's referrals of 2024-02-29 below.
// 29 February: E 2023-03-01 then 2024-02-29 → a year before 2024-02-29 counts from 2023-03-01 → re-referral.
//              D 2024-02-29 then 2025-03-01 → a year before is 2024-03-01, after 2024-02-29 → not.
const rows = {
  children: [
    { child_id: 'A', sex: 'M', dob: '2024-06-01' }, { child_id: 'B', sex: 'F', dob: '2010-02-02' },
    { child_id: 'C', sex: 'M', dob: '2012-03-03' }, { child_id: 'D', sex: 'F', dob: '2015-01-01' },
    { child_id: 'E', sex: 'F', dob: '2016-01-01' }, { child_id: 'F', sex: 'M', dob: '2017-01-01' },
  ],
  referrals: [
    { child_id: 'A', referral_date: '2024-01-15', source: '6', team: 'North' },
    { child_id: 'A', referral_date: '2025-01-15', source: '6', team: 'North', worker: 'Ann' },
    { child_id: 'B', referral_date: '2024-01-14', source: '3A' },
    { child_id: 'B', referral_date: '2025-01-15', source: '3A' },
    { child_id: 'C', referral_date: '2025-01-10', source: '6', nfa: true, closure_date: '2025-01-10', team: 'North' },
    { child_id: 'C', referral_date: '2025-01-20', source: '2A', team: 'North' },
    { child_id: 'F', referral_date: '2024-03-15', source: '8', team: 'North' },
    { child_id: 'E', referral_date: '2023-03-01', source: '8' }, { child_id: 'E', referral_date: '2024-02-29', source: '8' },
    { child_id: 'D', referral_date: '2024-02-29', source: '8' }, { child_id: 'D', referral_date: '2025-03-01', source: '8' },
  ],
  assessments: [
    { child_id: 'A', referral_date: '2025-01-15', start_date: '2025-01-16' },
    { child_id: 'B', referral_date: null, start_date: '2025-01-20' },
    { child_id: 'C', referral_date: '2025-01-20', start_date: '2025-01-22' },
  ],
  teams: [{ team_id: 'T2', name: 'South' }],
  workers: [{ worker_id: 'W9', name: 'Bob', team_id: 'T2' }],
  allocations: [{ child_id: 'B', worker_id: 'W9', team_id: 'T2', start_date: '2024-12-01' }],
  // Mid-2024 estimate: 6,000 boys aged 5 and 4,000 girls aged 10 = 10,000 children; the 999 aged 18 are not
  // children; mid-2025 (20,000) is not yet in force at 31 January 2025.
  population: [
    { la_code: '999', year: 2024, age: 5, sex: 'M', count: 6000 },
    { la_code: '999', year: 2024, age: 10, sex: 'F', count: 4000 },
    { la_code: '999', year: 2024, age: 18, sex: 'F', count: 999 },
    { la_code: '999', year: 2025, age: 5, sex: 'M', count: 20000 },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];

describe('referrals family', () => {
  it('counts referrals in month, year to date and rolling 12 months', async () => {
    expect((await one('referrals.count')).value).toBe(4);
    expect((await one('referrals.count', yearToDate('2025-01'))).value).toBe(4); // F (2024-03-15) is before April
    // 2024-02-01..2025-01-31 also holds F (2024-03-15) and D and E (2024-02-29): 4 + 3 = 7
    expect((await one('referrals.count', rolling12('2025-01'))).value).toBe(7);
    const rows = await f.engine.rows('referrals.count', jan);
    expect(rows.map((r) => `${r.child_id} ${r.referral_date}`).sort()).toEqual(['A 2025-01-15', 'B 2025-01-15', 'C 2025-01-10', 'C 2025-01-20']);
  });

  it('re-referrals: exactly 12 months counts, 12 months and a day does not, ten days does', async () => {
    const fig = await one('referrals.re_referrals_12m');
    expect(fig).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    const rows = await f.engine.rows('referrals.re_referrals_12m', jan);
    const yes = rows.filter((r) => r.in_numerator).map((r) => `${r.child_id} ${r.referral_date} after ${r.previous_referral_date}`);
    expect(yes.sort()).toEqual(['A 2025-01-15 after 2024-01-15', 'C 2025-01-20 after 2025-01-10']);
    expect(rows.filter((r) => r.in_denominator)).toHaveLength(4);
  });

  it('re-referrals: a year before 29 February counts from 1 March', async () => {
    // February 2024: E's 2024-02-29 after 2023-03-01 → yes; D's 2024-02-29 is D's first → no: 1 of 2
    expect(await one('referrals.re_referrals_12m', month('2024-02'))).toMatchObject({ numerator: 1, denominator: 2 });
    // D: 2025-03-01 after 2024-02-29, one day more than a year → 0 of 1
    expect(await one('referrals.re_referrals_12m', month('2025-03'))).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
  });

  it('no further action and progress to assessment', async () => {
    expect(await one('referrals.nfa')).toMatchObject({ numerator: 1, denominator: 4, value: 25 });
    expect(await one('referrals.to_assessment')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    const rows = await f.engine.rows('referrals.to_assessment', jan);
    expect(rows.find((r) => r.child_id === 'C' && r.referral_date === '2025-01-10')?.in_numerator).toBe(false);
    expect(rows.find((r) => r.child_id === 'B')?.assessment_start_date).toBe('2025-01-20');
  });

  it('rate per 10,000 uses the mid-year estimate in force at the period end, children 0–17 only', async () => {
    expect(await one('referrals.rate')).toMatchObject({ numerator: 4, denominator: 10000, value: 4 });
    // by sex: 3 boys' referrals per 6,000 boys = 5.0; 1 girl's per 4,000 girls = 2.5
    const bySex = await f.engine.compute('referrals.rate', [jan], { breakdown: 'sex' });
    expect(bySex.map((x) => [x.group, x.value])).toEqual([['Female', 2.5], ['Male', 5]]);
  });

  it('breaks down by source group, team (filled from the allocation when the record names none) and age band', async () => {
    const bySource = await f.engine.compute('referrals.re_referrals_12m', [jan], { breakdown: 'source' });
    // Police: A yes, C-10 no → 1 of 2; Health: B → 0 of 1; Education: C-20 → 1 of 1
    expect(bySource.map((x) => [x.group, x.numerator, x.denominator])).toEqual([['Education', 1, 1], ['Health', 0, 1], ['Police', 1, 2]]);
    const byTeam = await f.engine.compute('referrals.count', [jan], { breakdown: 'team' });
    expect(byTeam.map((x) => [x.group, x.value])).toEqual([['North', 3], ['South', 1]]);
    const south = await f.engine.rows('referrals.count', jan, { team: 'South' });
    expect(south.map((r) => [r.child_id, r.team, r.worker])).toEqual([['B', 'South', 'Bob']]);
    const byAge = await f.engine.compute('referrals.count', [jan], { breakdown: 'age_band' });
    // A is 7 months old; B is 14 (10 to 15); C is 12 (10 to 15)
    expect(byAge.map((x) => [x.group, x.value])).toEqual([['10 to 15', 3], ['Under 1', 1]]);
  });

  it('a team filter keeps the team\'s rows; rates then have no population to divide by', async () => {
    expect((await f.engine.compute('referrals.count', [jan], { team: 'South' }))[0].value).toBe(1);
    expect((await f.engine.compute('referrals.rate', [jan], { team: 'South' }))[0]).toMatchObject({ numerator: 1, value: null });
  });

  it('a period with nothing in it gives 0 for counts and no value for percentages', async () => {
    expect(await one('referrals.count', month('2022-01'))).toMatchObject({ value: 0 });
    expect(await one('referrals.re_referrals_12m', month('2022-01'))).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('computes a trend of many months in one call, each month as if asked alone', async () => {
    const trend = await f.engine.trend('referrals.count', '2025-03', 15);
    expect(trend).toHaveLength(15);
    expect(trend.map((x) => x.period)[0]).toBe('2024-01');
    // 2024-01: A 15th, B 14th → 2; 2024-02: E, D on the 29th → 2; 2024-03: F → 1; 2025-01: 4; 2025-03: D → 1
    expect(trend.map((x) => x.value)).toEqual([2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1]);
    for (const x of trend) expect(x).toEqual((await f.engine.compute('referrals.count', [month(x.period)]))[0]);
  });
});
