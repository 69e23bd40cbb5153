// Section 47 family on a hand-built authority. Every expected number is worked out in the comments from
// the rows below; working days count the days after the start up to and including the end, without
// weekends and bank holidays (25 and 26 December 2024, 1 January 2025, 6 May 2024).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, rolling12, yearToDate, type Period } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/section47.ts';

// Periods: January 2025 = 2025-01-01..31; year to date = 2024-04-01..2025-01-31; rolling 12 months =
// 2024-02-01..2025-01-31.
//
// Section 47 enquiries (start = strategy discussion):
//   P 2024-12-13 → ICPC 2025-01-08: Dec 16–20 = 5, Dec 23–24 = 7, Dec 27 = 8, Dec 30–31 = 10, Jan 2–3 = 12,
//       Jan 6–8 = 15 → the 15th working day across three bank holidays: in time. Plan: a CP plan starts 2025-01-08.
//   Q 2024-12-13 → ICPC 2025-01-09: 16 → late. Plan: recorded on the conference (icpc_plan), no plan row.
//   R 2025-01-06, ICPC not required.
//   S 2025-01-27, nothing recorded yet (outcome pending).
//   T 2025-01-02 and 2025-01-10, both recorded against one ICPC on 2025-01-24: one conference, timed from
//       the last strategy discussion (Working Together): 10 working days → in time (from the first it would
//       be 16). No plan.
//   V 2025-01-15 → ICPC 2025-01-14, a day before the enquiry started: a recording error → held, not in time.
//       No plan (recorded false).
//   W 2024-12-30 → ICPC 2025-01-10: Dec 31 = 1, Jan 2–3 = 3, Jan 6–10 = 8 → in time. Plan starts 2025-01-10;
//       W also had a plan in 2023 (two plans: only the one on the conference date is matched).
//   X 2024-05-01 → ICPC 2024-05-20: May 2–3 = 2, May 7–10 = 6 (6 May bank holiday), 13–17 = 11, 20 = 12 → in time.
//       Plan starts 2024-05-20.
//   Y 2024-02-15, ICPC not required (rolling 12 only).
//
// January:
//   started: R, S, T (2), V = 5.  Rate: 5 per 20,000 children = 2.5 per 10,000.
//   to ICPC: known outcome R (no), T 2025-01-02 (yes), T 2025-01-10 (yes), V (yes); S pending, left out → 3 of 4 = 75%.
//   ICPCs held: P 01-08, Q 01-09, T 01-24, V 01-14, W 01-10 = 5.
//   within 15 working days: P (15), T (10), W (8) → 3 of 5 = 60%; Q (16) and V (−1) not.
//   to plan: P (plan row), Q (recorded), W (plan row) → 3 of 5 = 60%.
// Year to date: started 5 + P, Q, W (December) + X (May) = 9; to ICPC 3 + P, Q, W, X = 7 of 8 = 87.5%;
//   ICPCs 5 + X = 6; within 15: 4 of 6; to plan 4 of 6.
// Rolling 12: started 9 + Y = 10 (5.0 per 10,000); to ICPC 7 of 9 (Y not required); ICPCs as year to date.
const rows = {
  children: [
    { child_id: 'P', sex: 'F', dob: '2024-12-01' }, { child_id: 'T', sex: 'M', dob: '2016-02-29' },
  ],
  section47: [
    { child_id: 'P', start_date: '2024-12-13', icpc_target_date: '2025-01-08', icpc_not_required: false, icpc_date: '2025-01-08', team: 'North' },
    { child_id: 'Q', start_date: '2024-12-13', icpc_target_date: '2025-01-08', icpc_not_required: false, icpc_date: '2025-01-09', icpc_plan: true, team: 'North' },
    { child_id: 'R', start_date: '2025-01-06', icpc_not_required: true, team: 'North' },
    { child_id: 'S', start_date: '2025-01-27', team: 'North' },
    { child_id: 'T', start_date: '2025-01-02', icpc_date: '2025-01-24', team: 'North', worker: 'Old' },
    { child_id: 'T', start_date: '2025-01-10', icpc_date: '2025-01-24', icpc_plan: false, team: 'North', worker: 'Ann' },
    { child_id: 'V', start_date: '2025-01-15', icpc_date: '2025-01-14', icpc_plan: false, team: 'North' },
    { child_id: 'W', start_date: '2024-12-30', icpc_date: '2025-01-10' },
    { child_id: 'X', start_date: '2024-05-01', icpc_date: '2024-05-20', team: 'North' },
    { child_id: 'Y', start_date: '2024-02-15', icpc_not_required: true, team: 'North' },
  ],
  cp_plans: [
    { child_id: 'P', start_date: '2025-01-08' },
    { child_id: 'W', start_date: '2023-03-01', end_date: '2023-09-01' },
    { child_id: 'W', start_date: '2025-01-10' },
    { child_id: 'X', start_date: '2024-05-20', end_date: '2024-11-20' },
  ],
  teams: [{ team_id: 'T2', name: 'South' }],
  workers: [{ worker_id: 'W9', name: 'Bob', team_id: 'T2' }],
  allocations: [{ child_id: 'W', worker_id: 'W9', team_id: 'T2', start_date: '2024-12-01' }],
  // Mid-2024 estimate in force at 31 January 2025: 20,000 children aged 0–17.
  population: [
    { la_code: '999', year: 2024, age: 5, sex: 'M', count: 12000 },
    { la_code: '999', year: 2024, age: 12, sex: 'F', count: 8000 },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const ytd = yearToDate('2025-01');
const r12 = rolling12('2025-01');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const kids = (list: { child_id: string | null }[]) => list.map((r) => r.child_id).sort();

describe('section 47 family', () => {
  it('enquiries started: by start date, each enquiry once (T twice)', async () => {
    expect(await one('section47.started')).toMatchObject({ numerator: 5, value: 5 });
    expect(kids(await f.engine.rows('section47.started', jan))).toEqual(['R', 'S', 'T', 'T', 'V']);
    expect((await one('section47.started', ytd)).value).toBe(9);
    expect((await one('section47.started', r12)).value).toBe(10);
  });

  it('rate per 10,000 children', async () => {
    expect(await one('section47.rate')).toMatchObject({ numerator: 5, denominator: 20000, value: 2.5 });
    expect(await one('section47.rate', r12)).toMatchObject({ numerator: 10, denominator: 20000, value: 5 });
  });

  it('S47 to ICPC: only enquiries whose outcome is known', async () => {
    expect(await one('section47.to_icpc')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    const list = await f.engine.rows('section47.to_icpc', jan);
    expect(list.map((r) => `${r.child_id} ${r.s47_start_date} ${r.in_numerator}`).sort()).toEqual([
      'R 2025-01-06 false', 'T 2025-01-02 true', 'T 2025-01-10 true', 'V 2025-01-15 true',
    ]);
    expect(await one('section47.to_icpc', ytd)).toMatchObject({ numerator: 7, denominator: 8, value: 87.5 });
    expect(await one('section47.to_icpc', r12)).toMatchObject({ numerator: 7, denominator: 9 });
  });

  it('ICPCs held: one per child and conference date', async () => {
    expect(await one('section47.icpcs')).toMatchObject({ numerator: 5, value: 5 });
    const list = await f.engine.rows('section47.icpcs', jan);
    expect(list.map((r) => `${r.child_id} ${r.icpc_date}`).sort()).toEqual([
      'P 2025-01-08', 'Q 2025-01-09', 'T 2025-01-24', 'V 2025-01-14', 'W 2025-01-10',
    ]);
    expect((await one('section47.icpcs', ytd)).value).toBe(6);
    expect((await one('section47.icpcs', r12)).value).toBe(6);
  });

  it('ICPC within 15 working days: the 15th working day across bank holidays is in time; from the last strategy discussion', async () => {
    expect(await one('section47.icpc_within_15_days')).toMatchObject({ numerator: 3, denominator: 5, value: 60 });
    const list = await f.engine.rows('section47.icpc_within_15_days', jan);
    const by = Object.fromEntries(list.map((r) => [r.child_id, [r.s47_start_date, r.working_days, r.in_numerator]]));
    expect(by).toEqual({
      P: ['2024-12-13', 15, true], Q: ['2024-12-13', 16, false], T: ['2025-01-10', 10, true],
      V: ['2025-01-15', -1, false], W: ['2024-12-30', 8, true],
    });
    // T's team and worker are those of the enquiry the conference concluded; W has none: the allocation's
    const t = list.find((r) => r.child_id === 'T')!;
    expect([t.team, t.worker]).toEqual(['North', 'Ann']);
    const w = list.find((r) => r.child_id === 'W')!;
    expect([w.team, w.worker]).toEqual(['South', 'Bob']);
    expect(await one('section47.icpc_within_15_days', ytd)).toMatchObject({ numerator: 4, denominator: 6 });
  });

  it('ICPC to plan: recorded on the conference or a plan starting that day (a child with two plans)', async () => {
    expect(await one('section47.icpc_to_plan')).toMatchObject({ numerator: 3, denominator: 5, value: 60 });
    const list = await f.engine.rows('section47.icpc_to_plan', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['P', 'Q', 'W']);
    expect(list.find((r) => r.child_id === 'W')!.plan_start_date).toBe('2025-01-10');
    expect(list.find((r) => r.child_id === 'Q')!.plan_start_date).toBeNull();
    expect(await one('section47.icpc_to_plan', r12)).toMatchObject({ numerator: 4, denominator: 6 });
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, ytd, r12, month('2024-12')]);
  });
});
