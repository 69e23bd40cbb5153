// Workforce family on a hand-built authority. Every expected number is worked out in the comments from
// the rows below; the snapshot date is 31 January 2025 (the end of month 2025-01).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12, type Period } from '../../src/periods.ts';
import { Engine, type Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/workforce.ts';

// Workers (team, role, agency, in post from – end date; "in post at d" = started on or before d, not ended on or before d):
//   W1  Ann  North  Social Worker          employed  2020-01-01 –             in post 31 Jan
//   W2  Bob  North  Senior Social Worker   agency    2024-06-01 –             in post 31 Jan
//   W3  Cat  North  Team Manager           employed  2019-01-01 –             in post 31 Jan, a manager holding no child
//   W4  Dan  South  Social Worker          employed  2021-01-01 – 2025-01-31  ends ON the period end: not in post 31 Jan; leaves in January
//   W5  Eve  South  Social Worker          employed  2022-01-01 –             in post 31 Jan, holds no child
//   W6  Fay  South  Team Manager           employed  2018-01-01 –             a manager who holds one child (F)
//   W7  Gus  South  Social Worker          unknown   2025-01-31 –             starts ON the period end: in post 31 Jan; agency not recorded
//   W8  Hal  North  Social Worker          employed  2023-01-01 – 2024-12-31  ends the day before January: left in December
//   W9  Ivy  North  Social Worker          employed  2024-03-01 – 2025-01-01  ends on 1 January: in post on 31 December, leaves in January
//   W10 Jo   South  Social Worker          agency    2023-01-01 – 2024-08-01  an agency leaver (not in turnover)
//   W11 Kim  North  (no role)              employed  (no start)  –            no start date: in post; no role: case-holding
//   W99 — not in the workers table, holds child H through a South allocation
const workers = [
  { worker_id: 'W1', name: 'Ann', team_id: 'T1', role: 'Social Worker', agency: false, start_date: '2020-01-01' },
  { worker_id: 'W2', name: 'Bob', team_id: 'T1', role: 'Senior Social Worker', agency: true, start_date: '2024-06-01' },
  { worker_id: 'W3', name: 'Cat', team_id: 'T1', role: 'Team Manager', agency: false, start_date: '2019-01-01' },
  { worker_id: 'W4', name: 'Dan', team_id: 'T2', role: 'Social Worker', agency: false, start_date: '2021-01-01', end_date: '2025-01-31' },
  { worker_id: 'W5', name: 'Eve', team_id: 'T2', role: 'Social Worker', agency: false, start_date: '2022-01-01' },
  { worker_id: 'W6', name: 'Fay', team_id: 'T2', role: 'Team Manager', agency: false, start_date: '2018-01-01' },
  { worker_id: 'W7', name: 'Gus', team_id: 'T2', role: 'Social Worker', agency: null, start_date: '2025-01-31' },
  { worker_id: 'W8', name: 'Hal', team_id: 'T1', role: 'Social Worker', agency: false, start_date: '2023-01-01', end_date: '2024-12-31' },
  { worker_id: 'W9', name: 'Ivy', team_id: 'T1', role: 'Social Worker', agency: false, start_date: '2024-03-01', end_date: '2025-01-01' },
  { worker_id: 'W10', name: 'Jo', team_id: 'T2', role: 'Social Worker', agency: true, start_date: '2023-01-01', end_date: '2024-08-01' },
  { worker_id: 'W11', name: 'Kim', team_id: 'T1', role: null, agency: false, start_date: null },
];

// Allocations and who holds whom at 31 January 2025 (open = started on or before, not ended on or before):
//   A  Ann 2024-10-01 –                        → Ann
//   B  Ann 2024-06-01 – 2024-09-01, Ann 2024-09-01 –   back to back, one spell  → Ann once, allocated since 2024-06-01
//   C  Ann 2025-01-31 –                        starts on the date           → Ann
//   D  Bob 2024-12-01 – 2025-01-31             ends on the date             → nobody (open CIN episode: unallocated)
//   E  Bob 2024-11-01 –  and  Ann 2024-12-01 – two workers                  → Ann and Bob (one row on each caseload)
//   F  Fay 2024-07-01 –                        a manager holds F            → Fay
//   G  Dan 2024-05-01 – 2025-01-31             ends on the date             → nobody (open CP plan: unallocated)
//   H  W99 (team T2) 2025-01-10 –              worker not in the table      → W99, counted in South
//   M  Ann 2024-09-01 – 2024-12-15             ended                        → nobody (open CIN and CP: unallocated)
// Case-holding workers at 31 Jan: in post and not managers: Ann, Bob, Eve, Gus, Kim (Dan has left; Cat is a
// manager); plus those holding a child: Fay, W99 → 7 workers.
// Caseloads: Ann 4 (A, B, C, E), Bob 1 (E), Eve 0, Gus 0, Kim 0, Fay 1 (F), W99 1 (H) → 7 children.
//   average 7 / 7 = 1.0; North (Ann, Bob, Kim) 5 / 3; South (Eve, Gus, Fay, W99) 2 / 4 = 0.5
//   maximum 4 (Ann); North 4; South 1
const allocations = [
  { child_id: 'A', worker_id: 'W1', team_id: 'T1', start_date: '2024-10-01' },
  { child_id: 'B', worker_id: 'W1', team_id: 'T1', start_date: '2024-06-01', end_date: '2024-09-01' },
  { child_id: 'B', worker_id: 'W1', team_id: 'T1', start_date: '2024-09-01' },
  { child_id: 'C', worker_id: 'W1', team_id: 'T1', start_date: '2025-01-31' },
  { child_id: 'D', worker_id: 'W2', team_id: 'T1', start_date: '2024-12-01', end_date: '2025-01-31' },
  { child_id: 'E', worker_id: 'W2', team_id: 'T1', start_date: '2024-11-01' },
  { child_id: 'E', worker_id: 'W1', team_id: 'T1', start_date: '2024-12-01' },
  { child_id: 'F', worker_id: 'W6', team_id: 'T2', start_date: '2024-07-01' },
  { child_id: 'G', worker_id: 'W4', team_id: 'T2', start_date: '2024-05-01', end_date: '2025-01-31' },
  { child_id: 'H', worker_id: 'W99', team_id: 'T2', start_date: '2025-01-10' },
  { child_id: 'M', worker_id: 'W1', team_id: 'T1', start_date: '2024-09-01', end_date: '2024-12-15' },
];

// Open cases at 31 January 2025 and whether allocated:
//   A  CIN referral 2024-09-20, open                    allocated (Ann)                         → not counted
//   D  CIN referral 2024-11-15, open, no team on it     allocation ended 31 Jan                 → unallocated, team North (last allocation's)
//   G  CP plan 2024-05-01, open, team South             allocation ended 31 Jan                 → unallocated, South
//   J  looked after from 2024-12-20 (no DEC)            never allocated                         → unallocated, no team
//   K  CIN referral 2024-01-10 closed 2025-01-31        closes on the date: not open            → not counted
//   L  CP plan 2024-02-01 – 2025-01-31                  ends on the date: not open              → not counted
//   M  CIN referral 2024-09-01 (team North) and CP plan 2024-10-01 (team South), both open
//                                                       allocation ended 2024-12-15             → unallocated once, 'CIN, CP', team South (the plan's)
//   N  two open CIN referrals 2024-12-01 and 2025-01-31 (the second starts on the date), none allocated → unallocated once, open since 2024-12-01
// → 5 children: D, G, J, M, N. By team: North 1 (D), South 2 (G, M), no team 2 (J, N).
const referrals = [
  { child_id: 'A', referral_date: '2024-09-20', team: 'North' },
  { child_id: 'D', referral_date: '2024-11-15' },
  { child_id: 'K', referral_date: '2024-01-10', closure_date: '2025-01-31' },
  { child_id: 'M', referral_date: '2024-09-01', team: 'North' },
  { child_id: 'N', referral_date: '2024-12-01' },
  { child_id: 'N', referral_date: '2025-01-31' },
];
const cp_plans = [
  { child_id: 'G', start_date: '2024-05-01', team: 'South' },
  { child_id: 'L', start_date: '2024-02-01', end_date: '2025-01-31', team: 'South' },
  { child_id: 'M', start_date: '2024-10-01', team: 'South' },
];
const lac_episodes = [{ child_id: 'J', decom: '2024-12-20' }];

// Agency rate at 31 Jan: workers in post with agency recorded: Ann, Bob (agency), Cat, Eve, Fay, Kim → 1 of 6 = 16.67%
//   (Gus is in post but his agency is not recorded: left out; Dan, Hal, Ivy and Jo have left.)
//   North: Ann, Bob, Cat, Kim → 1 of 4 = 25%; South: Eve, Fay → 0 of 2 = 0%.
// Turnover (employed workers; in post at the end of the day before the period starts; leaving date in the period):
//   January 2025 (in post 31 Dec 2024): Ann, Cat, Dan, Eve, Fay, Ivy, Kim = 7 (Hal ended 31 Dec: not in post that day;
//     Gus not yet started; Bob and Jo are agency). Leavers in January: Dan (31 Jan), Ivy (1 Jan) → 2 of 7 = 28.57%.
//   Year to date 2024-04-01..2025-01-31 (in post 31 Mar 2024): Ann, Cat, Dan, Eve, Fay, Hal, Ivy (from 1 Mar 2024), Kim = 8;
//     leavers Hal (31 Dec), Ivy, Dan → 3 of 8 = 37.5%.
//   Rolling 12 months 2024-02-01..2025-01-31 (in post 31 Jan 2024): Ann, Cat, Dan, Eve, Fay, Hal, Kim = 7 (Ivy started
//     in March); leavers Hal, Dan → 2 of 7 = 28.57%.
// Supervision in timescale at 31 January 2025 (standard: every 30 days; due = in post and started on or before
// 1 January 2025, i.e. 31 Jan − 30 days): Ann, Bob, Cat, Eve, Fay, Kim (no start date) = 6; Gus started on 31 Jan,
// not yet due; Dan has left. In time = the latest supervision on or before 31 Jan is on or after 1 Jan:
//   Ann 2025-01-01 (exactly 30 days before: in time, by Cat) · Bob 2024-12-31 (31 days: late; his 2025-02-03 is after
//   the period) · Cat 2025-01-20 · Eve none · Fay 2024-11-15 and 2025-01-31 (on the date: in time) · Kim none
//   → Ann, Cat, Fay = 3 of 6 = 50%; North (Ann, Bob, Cat, Kim) 2 of 4; South (Eve, Fay) 1 of 2.
// With a standard of 31 days: due = started on or before 31 Dec 2024, the same 6; Bob's 31 Dec is now in time → 4 of 6.
const supervisions = [
  { worker_id: 'W1', supervision_date: '2025-01-01', supervisor_id: 'W3' },
  { worker_id: 'W2', supervision_date: '2024-12-31', supervisor_id: 'W3' },
  { worker_id: 'W2', supervision_date: '2025-02-03', supervisor_id: 'W3' },
  { worker_id: 'W3', supervision_date: '2025-01-20' },
  { worker_id: 'W6', supervision_date: '2024-11-15' },
  { worker_id: 'W6', supervision_date: '2025-01-31', supervisor_id: 'X9' },
];

const rows = {
  teams: [{ team_id: 'T1', name: 'North' }, { team_id: 'T2', name: 'South' }],
  workers, allocations, referrals, cp_plans, lac_episodes, supervisions,
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const byTeam = async (id: string): Promise<[string | null, number, number | null, number | null][]> =>
  (await f.engine.compute(id, [jan], { breakdown: 'team' })).map((x) => [x.group, x.numerator, x.denominator, x.value]);

describe('workforce family', () => {
  it('average caseload: children allocated at the period end over case-holding workers', async () => {
    expect(await one('workforce.average_caseload')).toMatchObject({ numerator: 7, denominator: 7, value: 1 });
    const rs = await f.engine.rows('workforce.average_caseload', jan);
    // child rows (numerator 1): one per child per worker
    const children = rs.filter((r) => r.in_numerator).map((r) => `${r.child_id} ${r.worker} ${r.team} ${r.allocated_since}`);
    expect(children.sort()).toEqual([
      'A Ann North 2024-10-01', 'B Ann North 2024-06-01', 'C Ann North 2025-01-31', 'E Ann North 2024-12-01',
      'E Bob North 2024-11-01', 'F Fay South 2024-07-01', 'H W99 South 2025-01-10',
    ]);
    // worker rows (denominator 1, no child)
    const holders = rs.filter((r) => r.in_denominator);
    expect(holders.every((r) => r.child_id === null && !r.in_numerator)).toBe(true);
    expect(holders.map((r) => `${r.worker} ${r.team} ${r.caseload}`).sort()).toEqual([
      'Ann North 4', 'Bob North 1', 'Eve South 0', 'Fay South 1', 'Gus South 0', 'Kim North 0', 'W99 South 1',
    ]);
    expect(holders.find((r) => r.worker === 'Bob')?.employment).toBe('Agency');
  });

  it('average caseload by team and by worker, and for one team', async () => {
    expect(await byTeam('workforce.average_caseload')).toEqual([['North', 5, 3, 5 / 3], ['South', 2, 4, 0.5]]);
    const byWorker = await f.engine.compute('workforce.average_caseload', [jan], { breakdown: 'worker' });
    expect(byWorker.find((x) => x.group === 'Ann')).toMatchObject({ numerator: 4, denominator: 1, value: 4 });
    expect(byWorker.find((x) => x.group === 'Eve')).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect((await f.engine.compute('workforce.average_caseload', [jan], { team: 'South' }))[0]).toMatchObject({ numerator: 2, denominator: 4, value: 0.5 });
  });

  it('maximum caseload: the largest, overall and by team', async () => {
    expect(await one('workforce.max_caseload')).toMatchObject({ numerator: 4, denominator: null, value: 4 });
    expect((await byTeam('workforce.max_caseload')).map(([g, , , v]) => [g, v])).toEqual([['North', 4], ['South', 1]]);
    const rs = await f.engine.rows('workforce.max_caseload', jan);
    // one row per case-holding worker, numerator = caseload; the same 7 workers as the average's denominator
    expect(rs.map((r) => `${r.worker} ${r.value}`).sort()).toEqual(['Ann 4', 'Bob 1', 'Eve 0', 'Fay 1', 'Gus 0', 'Kim 0', 'W99 1']);
  });

  it('caseloads in an earlier month: allocations ending on the date drop, the worker who left drops', async () => {
    // 31 December 2024: open allocations A (Ann), B (Ann, since 2024-06-01), D (Bob), E (Bob, Ann), F (Fay),
    // G (Dan, still in post), M? no: ended 2024-12-15. C and H not started. → Ann 3 (A, B, E), Bob 2 (D, E), Dan 1, Fay 1 = 7 children.
    // Holders: Ann, Bob, Dan, Eve, Ivy (in post until 1 Jan), Kim (non-managers in post) + Fay (holds F) = 7.
    // (Hal ends 31 Dec: not in post; Gus not started.)  7 / 7 = 1; max 3.
    expect(await one('workforce.average_caseload', month('2024-12'))).toMatchObject({ numerator: 7, denominator: 7, value: 1 });
    expect(await one('workforce.max_caseload', month('2024-12'))).toMatchObject({ value: 3 });
  });

  it('unallocated open cases: open CIN episode, CP plan or care episode and no allocation open at the date', async () => {
    expect(await one('workforce.unallocated')).toMatchObject({ numerator: 5, denominator: null, value: 5 });
    const rs = await f.engine.rows('workforce.unallocated', jan);
    expect(rs.map((r) => `${r.child_id} ${r.open_as} ${r.open_since} ${r.last_allocated_until} ${r.team}`).sort()).toEqual([
      'D CIN 2024-11-15 2025-01-31 North',
      'G CP 2024-05-01 2025-01-31 South',
      'J LAC 2024-12-20 null null',
      'M CIN, CP 2024-09-01 2024-12-15 South',
      'N CIN 2024-12-01 null null',
    ]);
    expect(rs.every((r) => r.worker === null)).toBe(true);
    expect(await byTeam('workforce.unallocated')).toEqual([['North', 1, null, 1], ['South', 2, null, 2], ['Unallocated', 2, null, 2]]);
    expect((await f.engine.compute('workforce.unallocated', [jan], { team: 'South' }))[0].value).toBe(2);
  });

  it('agency worker rate: agency workers among those in post with agency recorded', async () => {
    const fig = await one('workforce.agency_rate');
    expect(fig).toMatchObject({ numerator: 1, denominator: 6 });
    expect(fig.value).toBeCloseTo(100 / 6, 10);
    const rs = await f.engine.rows('workforce.agency_rate', jan);
    expect(rs.filter((r) => r.in_numerator).map((r) => r.worker)).toEqual(['Bob']);
    expect(rs.map((r) => r.worker).sort()).toEqual(['Ann', 'Bob', 'Cat', 'Eve', 'Fay', 'Kim']);
    expect(await byTeam('workforce.agency_rate')).toEqual([['North', 1, 4, 25], ['South', 0, 2, 0]]);
  });

  it('turnover: employed workers in post the day before the period who leave during it, month, YTD and R12', async () => {
    const m = await one('workforce.turnover');
    expect(m).toMatchObject({ numerator: 2, denominator: 7 });
    expect(m.value).toBeCloseTo(200 / 7, 10);
    const rs = await f.engine.rows('workforce.turnover', jan);
    expect(rs.filter((r) => r.in_numerator).map((r) => `${r.worker} ${r.left_on}`).sort()).toEqual(['Dan 2025-01-31', 'Ivy 2025-01-01']);
    expect(rs.map((r) => r.worker).sort()).toEqual(['Ann', 'Cat', 'Dan', 'Eve', 'Fay', 'Ivy', 'Kim']);
    expect(await one('workforce.turnover', yearToDate('2025-01'))).toMatchObject({ numerator: 3, denominator: 8, value: 37.5 });
    const r12 = await one('workforce.turnover', rolling12('2025-01'));
    expect(r12).toMatchObject({ numerator: 2, denominator: 7 });
    expect((await f.engine.rows('workforce.turnover', rolling12('2025-01'))).filter((r) => r.in_numerator).map((r) => r.worker).sort()).toEqual(['Dan', 'Hal']);
    // December 2024 (in post 30 Nov): Ann, Cat, Dan, Eve, Fay, Hal, Ivy, Kim = 8; Hal leaves 31 Dec → 1 of 8
    expect(await one('workforce.turnover', month('2024-12'))).toMatchObject({ numerator: 1, denominator: 8, value: 12.5 });
  });

  it('supervision in timescale: workers due supervision whose latest is within the standard', async () => {
    expect(await one('workforce.supervision_in_timescale')).toMatchObject({ numerator: 3, denominator: 6, value: 50 });
    const rs = await f.engine.rows('workforce.supervision_in_timescale', jan);
    expect(rs.map((r) => `${r.worker} ${r.in_numerator ? 'in time' : 'late'} ${r.last_supervised} ${r.supervisor} ${r.days_since}`).sort()).toEqual([
      'Ann in time 2025-01-01 Cat 30', 'Bob late 2024-12-31 Cat 31', 'Cat in time 2025-01-20 null 11',
      'Eve late null null null', 'Fay in time 2025-01-31 X9 0', 'Kim late null null null',
    ]);
    expect(await byTeam('workforce.supervision_in_timescale')).toEqual([['North', 2, 4, 50], ['South', 1, 2, 50]]);
    const monthly31 = new Engine(f.store, { supervisionDays: 31 });
    expect((await monthly31.compute('workforce.supervision_in_timescale', [jan]))[0]).toMatchObject({ numerator: 4, denominator: 6 });
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, yearToDate('2025-01'), rolling12('2025-01'), month('2024-12')]);
  });

  it('declares complete metadata', () => {
    for (const ind of INDICATORS) {
      expect(ind.id).toMatch(/^workforce\.[a-z0-9_]+$/);
      expect(ind.theme).toBe('workforce');
      expect(ind.definition.length).toBeGreaterThan(60);
      expect(ind.source.length).toBeGreaterThan(10);
    }
  });
});
