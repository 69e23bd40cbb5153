// Assessments family on a hand-built authority. Every expected number is worked out in the comments from
// the rows below; working days count the days after the start up to and including the end, without
// weekends and bank holidays (25 and 26 December 2024, 1 January 2025, 29 March 2024 Good Friday).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, rolling12, yearToDate, type Period } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/assessments.ts';

// Periods: January 2025 = 2025-01-01..31; year to date = 2024-04-01..2025-01-31; rolling 12 months =
// 2024-02-01..2025-01-31.
//
// Assessments authorised (start → authorisation, working days):
//   A1 2024-11-08 → 2025-01-15  45, across Christmas and New Year:
//        Nov 11–29 = 15, Dec 2–24 = 17 (32), Dec 27–31 = 3 (35), Jan 2–3 = 2 (37), Jan 6–15 = 8 (45)
//        → the 45th working day exactly: within.  seen, needs support, factors 3A,4A, team North
//   A2 2024-11-08 → 2025-01-16  46 → not within.  not seen, no further support, factors 4A
//   A3 2025-01-20 → 2025-01-20   0 (same day) → within.  seen and outcome not recorded, no factors
//   A4 2025-01-06 → 2025-01-10   4 → within.  seen, no further support, factor 21 — C's second assessment
//   A5 2025-01-20 → 2025-01-17  authorised before it started (−1): a recording error → counted as
//        completed, not within 45 days, left out of the average.  seen, needs support, factor 3A
//   L  2024-10-01 → 2025-01-31  85 (authorised on the period's last day) → not within.  seen, needs support
//   A6 2024-12-02 → 2024-12-31  19: December → year to date and rolling 12 only; within
//   A7 2024-03-01 → 2024-03-28  19 (Good Friday is the 29th): rolling 12 only; within
//   G  2024-11-01 → 2025-02-03  February: in no period's completions
//
// January: completed 6 (A1, A2, A3, A4, A5, L; C counts twice: A3 and A4).
//   within 45: A1, A3, A4 = 3 of 6 = 50%.
//   child seen, where recorded (A3 is not): A1, A4, A5, L seen, A2 not → 4 of 5 = 80%.
//   no further support, where recorded (A3 is not): A2, A4 → 2 of 5 = 40%.
//   average working days: A1 45 + A2 46 + A3 0 + A4 4 + L 85 = 180 over 5 (A5 left out) = 36.
//   by factor: 3A = A1, A5 (2); 4A = A1, A2 (2); 21 = A4 (1); None recorded = A3, L (2).
// Year to date: + A6 → completed 7; within 4 of 7. Rolling 12: + A7 → completed 8; within 5 of 8;
//   average (180 + 19 + 19) / 7 = 218 / 7.
//
// Open past 45 working days at 2025-01-31 (started on or before, not authorised on or before, episode open):
//   G  2024-11-01, authorised 2025-02-03: 62 working days → counted (team North on the record)
//   I  2024-11-25, not authorised: 46 → counted (no team on the record: allocation → South)
//   J  2024-11-26, not authorised: exactly 45 → not past 45
//   H  2024-12-02, not authorised: 41 → not
//   K  2024-06-03, not authorised, but its referral closed 2024-09-30 → not open
//   M  2024-09-02, not authorised, referral closed 2025-01-31 (on the date) → not open
//   N  2024-09-02, not authorised, referral closed 2025-02-01 (after the date) → counted: Sep 3–30 = 20,
//        1 October = 21, then L's 85 after 1 October up to 31 January → 106; due on the 45th working day, 2024-11-04
//   L  authorised 2025-01-31, on the date → not open; A5 authorised 2025-01-17 → not open
//   → 3 (G, I, N).
// At 2024-12-31: G 40 (not yet); I, J, H under 45; N and M more than 45 and open (M's referral closes in
//   January); L started 2024-10-01 → 63 and not authorised until January → counted → 3 (L, M, N).
const rows = {
  children: [
    { child_id: 'A', sex: 'M', dob: '2015-05-05' }, { child_id: 'B', sex: 'F', dob: '2012-02-29' },
    { child_id: 'C', sex: 'F', dob: '2020-01-01' },
  ],
  assessments: [
    { child_id: 'A', start_date: '2024-11-08', authorisation_date: '2025-01-15', child_seen: true, needs_support: true, factors: '3A,4A', team: 'North', worker: 'Ann' },
    { child_id: 'B', start_date: '2024-11-08', authorisation_date: '2025-01-16', child_seen: false, needs_support: false, factors: '4A', team: 'North' },
    { child_id: 'C', start_date: '2025-01-20', authorisation_date: '2025-01-20', child_seen: null, needs_support: null, factors: null, team: 'North' },
    { child_id: 'C', start_date: '2025-01-06', authorisation_date: '2025-01-10', child_seen: true, needs_support: false, factors: '21', team: 'North' },
    { child_id: 'D', start_date: '2025-01-20', authorisation_date: '2025-01-17', child_seen: true, needs_support: true, factors: '3A', team: 'North' },
    { child_id: 'L', start_date: '2024-10-01', authorisation_date: '2025-01-31', child_seen: true, needs_support: true, team: 'North' },
    { child_id: 'E', start_date: '2024-12-02', authorisation_date: '2024-12-31', child_seen: true, needs_support: true, team: 'North' },
    { child_id: 'F', start_date: '2024-03-01', authorisation_date: '2024-03-28', child_seen: true, needs_support: true, team: 'North' },
    { child_id: 'G', start_date: '2024-11-01', authorisation_date: '2025-02-03', team: 'North' },
    { child_id: 'I', start_date: '2024-11-25' },
    { child_id: 'J', start_date: '2024-11-26', team: 'North' },
    { child_id: 'H', start_date: '2024-12-02', team: 'North' },
    { child_id: 'K', referral_date: '2024-06-01', start_date: '2024-06-03', team: 'North' },
    { child_id: 'M', referral_date: '2024-08-30', start_date: '2024-09-02', team: 'North' },
    { child_id: 'N', referral_date: '2024-08-30', start_date: '2024-09-02', team: 'North' },
  ],
  referrals: [
    { child_id: 'K', referral_date: '2024-06-01', closure_date: '2024-09-30' },
    { child_id: 'M', referral_date: '2024-08-30', closure_date: '2025-01-31' },
    { child_id: 'N', referral_date: '2024-08-30', closure_date: '2025-02-01' },
  ],
  teams: [{ team_id: 'T2', name: 'South' }],
  workers: [{ worker_id: 'W9', name: 'Bob', team_id: 'T2' }],
  allocations: [{ child_id: 'I', worker_id: 'W9', team_id: 'T2', start_date: '2024-11-01' }],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const ytd = yearToDate('2025-01');
const r12 = rolling12('2025-01');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const kids = (list: { child_id: string | null }[]) => list.map((r) => r.child_id).sort();

describe('assessments family', () => {
  it('assessments completed: by authorisation date, each assessment once (C twice)', async () => {
    expect(await one('assessments.completed')).toMatchObject({ numerator: 6, denominator: null, value: 6 });
    expect((await one('assessments.completed', ytd)).value).toBe(7); // + E (31 December)
    expect((await one('assessments.completed', r12)).value).toBe(8); // + F (28 March 2024)
    const list = await f.engine.rows('assessments.completed', jan);
    expect(kids(list)).toEqual(['A', 'B', 'C', 'C', 'D', 'L']);
    expect(list.every((r) => r.in_numerator && !r.in_denominator)).toBe(true);
  });

  it('within 45 working days: the 45th working day across Christmas is in time, the 46th is not', async () => {
    expect(await one('assessments.within_45_days')).toMatchObject({ numerator: 3, denominator: 6, value: 50 });
    const list = await f.engine.rows('assessments.within_45_days', jan);
    const days = Object.fromEntries(list.map((r) => [`${r.child_id} ${r.start_date}`, [r.working_days, r.in_numerator]]));
    expect(days).toEqual({
      'A 2024-11-08': [45, true], 'B 2024-11-08': [46, false], 'C 2025-01-20': [0, true], 'C 2025-01-06': [4, true],
      'D 2025-01-20': [-1, false], 'L 2024-10-01': [85, false],
    });
    expect(await one('assessments.within_45_days', ytd)).toMatchObject({ numerator: 4, denominator: 7 });
    expect(await one('assessments.within_45_days', r12)).toMatchObject({ numerator: 5, denominator: 8, value: 62.5 });
  });

  it('child seen: unrecorded left out', async () => {
    expect(await one('assessments.child_seen')).toMatchObject({ numerator: 4, denominator: 5, value: 80 });
    const list = await f.engine.rows('assessments.child_seen', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['A', 'C', 'D', 'L']);
    expect(kids(list.filter((r) => !r.in_numerator))).toEqual(['B']);
  });

  it('no further support: needs_support = false, unrecorded left out', async () => {
    expect(await one('assessments.no_further_support')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    const list = await f.engine.rows('assessments.no_further_support', jan);
    expect(list.filter((r) => r.in_numerator).map((r) => `${r.child_id} ${r.start_date}`).sort()).toEqual(['B 2024-11-08', 'C 2025-01-06']);
    expect(kids(list.filter((r) => !r.in_numerator))).toEqual(['A', 'D', 'L']);
  });

  it('average working days: authorisation before start left out', async () => {
    expect(await one('assessments.average_working_days')).toMatchObject({ numerator: 180, denominator: 5, value: 36 });
    const list = await f.engine.rows('assessments.average_working_days', jan);
    expect(kids(list)).toEqual(['A', 'B', 'C', 'C', 'L']);
    const fig = await one('assessments.average_working_days', r12);
    expect(fig).toMatchObject({ numerator: 218, denominator: 7 });
    expect(fig.value).toBeCloseTo(218 / 7, 10);
  });

  it('open past 45 working days: a snapshot at the period end; exactly 45 is not past; closed episodes are not open', async () => {
    expect(await one('assessments.open_over_45_days')).toMatchObject({ numerator: 3, value: 3 });
    const list = await f.engine.rows('assessments.open_over_45_days', jan);
    expect(list.map((r) => [r.child_id, r.working_days, r.due_date, r.team, r.at_date])).toEqual([
      ['G', 62, '2025-01-08', 'North', '2025-01-31'],
      ['I', 46, '2025-01-30', 'South', '2025-01-31'], // team from the allocation open at the period end
      ['N', 106, '2024-11-04', 'North', '2025-01-31'],
    ]);
    // a stock ignores the period start: the year to date is the same snapshot
    expect((await one('assessments.open_over_45_days', ytd)).value).toBe(3);
    expect(kids(await f.engine.rows('assessments.open_over_45_days', month('2024-12')))).toEqual(['L', 'M', 'N']);
  });

  it('breaks down by factor identified at assessment (an assessment with two factors is in both)', async () => {
    const figs = await f.engine.compute('assessments.completed', [jan], { breakdown: 'factor' });
    expect(Object.fromEntries(figs.map((g) => [g.group, g.value]))).toEqual({ '21': 1, '3A': 2, '4A': 2, 'None recorded': 2 });
    const pct = await f.engine.compute('assessments.within_45_days', [jan], { breakdown: 'factor' });
    // 3A: A (45, in time), D (−1, not) → 1 of 2; 4A: A in time, B not → 1 of 2; 21: C in time; none: C (0) in time, L not
    expect(Object.fromEntries(pct.map((g) => [g.group, [g.numerator, g.denominator]]))).toEqual({
      '21': [1, 1], '3A': [1, 2], '4A': [1, 2], 'None recorded': [1, 2],
    });
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, ytd, r12, month('2024-12')]);
  });
});
