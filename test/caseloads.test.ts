// caseloads(store, date): every case-holding worker with their children, and the open cases nobody holds,
// on a hand-built authority. Expected lists are worked out in the comments from the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { caseloads } from '../src/caseloads.ts';
import { month } from '../src/periods.ts';

// Date: 2025-03-31.
// Teams: T1 Alpha, T2 Beta.
// Workers:
//   W1 Zara   Alpha  Social Worker         employed  2020-01-01 –            holds P (since 2025-03-01, 30 days), Q (since 2024-03-31, 365 days)
//   W2 Adam   Alpha  Senior Social Worker  agency    2024-01-01 –            holds Q too (since 2025-03-31, 0 days: starts on the date)
//   W3 Mona   Alpha  Team Manager          employed  2019-01-01 –            a manager with no children: not listed
//   W4 Ben    Beta   Social Worker         employed  2023-01-01 –            holds V (since 2024-01-01, 455 days)
//   W5 Cleo   Beta   Social Worker         employed  2022-01-01 – 2025-03-31 left on the date: not listed (R's allocation ended with her)
//   W6 Dora   Beta   Team Manager          employed  2018-01-01 –            a manager holding S: listed
//   W7 Eli    Beta   Social Worker         employed  2024-06-01 –            no children: listed with 0
// Allocations:
//   P  W1 2025-03-01 –
//   Q  W1 2024-03-31 – 2024-10-01 and W1 2024-10-01 –  back to back: one spell, allocated since 2024-03-31 (365 days)
//   Q  W2 2025-03-31 –
//   R  W5 2024-06-01 – 2025-03-31  ends on the date: not held
//   S  W6 2025-02-01 –             (58 days)
//   T  W1 2023-01-01 – 2024-01-01  long ended
//   V  W4 2023-05-01 – 2023-06-01, then 2024-01-01 – 2024-05-01, 2024-04-01 – 2024-08-01 (overlapping), 2024-08-01 –
//      the last three are one spell: allocated since 2024-01-01 (455 days: 366 in 2024 + 89), not 2023-05-01 (a gap) nor 2024-08-01
// Open cases at 2025-03-31:
//   R  CIN referral 2024-05-20 open, team 'Beta' on the record; last allocation ended 2025-03-31 → unallocated, 0 days
//   T  CP plan 2024-02-01 open, no team on it; last allocation (Alpha) ended 2024-01-01 → unallocated, Alpha, 455 days
//   U  looked after from 2025-03-21, never allocated → unallocated, no team, 10 days (from the episode start)
//   P  CIN referral open, allocated → not listed
// Ordered by team (Alpha, Beta, none), then longest unallocated first: T (Alpha), R (Beta), U (none).
const rows = {
  teams: [{ team_id: 'T1', name: 'Alpha' }, { team_id: 'T2', name: 'Beta' }],
  workers: [
    { worker_id: 'W1', name: 'Zara', team_id: 'T1', role: 'Social Worker', agency: false, start_date: '2020-01-01' },
    { worker_id: 'W2', name: 'Adam', team_id: 'T1', role: 'Senior Social Worker', agency: true, start_date: '2024-01-01' },
    { worker_id: 'W3', name: 'Mona', team_id: 'T1', role: 'Team Manager', agency: false, start_date: '2019-01-01' },
    { worker_id: 'W4', name: 'Ben', team_id: 'T2', role: 'Social Worker', agency: false, start_date: '2023-01-01' },
    { worker_id: 'W5', name: 'Cleo', team_id: 'T2', role: 'Social Worker', agency: false, start_date: '2022-01-01', end_date: '2025-03-31' },
    { worker_id: 'W6', name: 'Dora', team_id: 'T2', role: 'Team Manager', agency: false, start_date: '2018-01-01' },
    { worker_id: 'W7', name: 'Eli', team_id: 'T2', role: 'Social Worker', agency: false, start_date: '2024-06-01' },
  ],
  allocations: [
    { child_id: 'P', worker_id: 'W1', team_id: 'T1', start_date: '2025-03-01' },
    { child_id: 'Q', worker_id: 'W1', team_id: 'T1', start_date: '2024-03-31', end_date: '2024-10-01' },
    { child_id: 'Q', worker_id: 'W1', team_id: 'T1', start_date: '2024-10-01' },
    { child_id: 'Q', worker_id: 'W2', team_id: 'T1', start_date: '2025-03-31' },
    { child_id: 'R', worker_id: 'W5', team_id: 'T2', start_date: '2024-06-01', end_date: '2025-03-31' },
    { child_id: 'S', worker_id: 'W6', team_id: 'T2', start_date: '2025-02-01' },
    { child_id: 'T', worker_id: 'W1', team_id: 'T1', start_date: '2023-01-01', end_date: '2024-01-01' },
    { child_id: 'V', worker_id: 'W4', team_id: 'T2', start_date: '2023-05-01', end_date: '2023-06-01' },
    { child_id: 'V', worker_id: 'W4', team_id: 'T2', start_date: '2024-01-01', end_date: '2024-05-01' },
    { child_id: 'V', worker_id: 'W4', team_id: 'T2', start_date: '2024-04-01', end_date: '2024-08-01' },
    { child_id: 'V', worker_id: 'W4', team_id: 'T2', start_date: '2024-08-01' },
  ],
  referrals: [
    { child_id: 'P', referral_date: '2025-02-20' },
    { child_id: 'R', referral_date: '2024-05-20', team: 'Beta' },
  ],
  cp_plans: [{ child_id: 'T', start_date: '2024-02-01' }],
  lac_episodes: [{ child_id: 'U', decom: '2025-03-21' }],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

describe('caseloads', () => {
  it('lists every case-holding worker by team then worker, with each child and how long it has been allocated', async () => {
    const c = await caseloads(f.store, '2025-03-31');
    expect(c.date).toBe('2025-03-31');
    expect(c.workers.map((w) => [w.team, w.worker, w.role, w.agency, w.children])).toEqual([
      ['Alpha', 'Adam', 'Senior Social Worker', true, 1],
      ['Alpha', 'Zara', 'Social Worker', false, 2],
      ['Beta', 'Ben', 'Social Worker', false, 1],
      ['Beta', 'Dora', 'Team Manager', false, 1],
      ['Beta', 'Eli', 'Social Worker', false, 0],
    ]);
    const zara = c.workers.find((w) => w.worker === 'Zara')!;
    expect(zara).toMatchObject({ workerId: 'W1', teamId: 'T1' });
    // longest allocated first: Q since 2024-03-31 (365 days), P since 2025-03-01 (30 days)
    expect(zara.allocated).toEqual([
      { childId: 'Q', allocatedSince: '2024-03-31', days: 365 },
      { childId: 'P', allocatedSince: '2025-03-01', days: 30 },
    ]);
    expect(c.workers.find((w) => w.worker === 'Adam')!.allocated).toEqual([{ childId: 'Q', allocatedSince: '2025-03-31', days: 0 }]);
    expect(c.workers.find((w) => w.worker === 'Dora')!.allocated).toEqual([{ childId: 'S', allocatedSince: '2025-02-01', days: 58 }]);
    expect(c.workers.find((w) => w.worker === 'Ben')!.allocated).toEqual([{ childId: 'V', allocatedSince: '2024-01-01', days: 455 }]);
    expect(c.workers.find((w) => w.worker === 'Eli')!.allocated).toEqual([]);
  });

  it('lists the open cases with no allocation', async () => {
    const c = await caseloads(f.store, '2025-03-31');
    expect(c.unallocated).toEqual([
      { childId: 'T', team: 'Alpha', openAs: 'CP', openSince: '2024-02-01', lastAllocatedUntil: '2024-01-01', daysUnallocated: 455 },
      { childId: 'R', team: 'Beta', openAs: 'CIN', openSince: '2024-05-20', lastAllocatedUntil: '2025-03-31', daysUnallocated: 0 },
      { childId: 'U', team: null, openAs: 'LAC', openSince: '2025-03-21', lastAllocatedUntil: null, daysUnallocated: 10 },
    ]);
  });

  it('narrows to one team, by name or id', async () => {
    const byName = await caseloads(f.store, '2025-03-31', { team: 'Beta' });
    expect(byName.workers.map((w) => w.worker)).toEqual(['Ben', 'Dora', 'Eli']);
    expect(byName.unallocated.map((u) => u.childId)).toEqual(['R']);
    expect(await caseloads(f.store, '2025-03-31', { team: 'T2' })).toEqual(byName);
  });

  it('an earlier date: the worker who later left is listed with the child she held', async () => {
    // 2025-03-30: Cleo in post (ends 31st) holding R since 2024-06-01 (302 days); Adam not yet holding Q.
    const c = await caseloads(f.store, '2025-03-30');
    expect(c.workers.map((w) => `${w.worker} ${w.children}`)).toEqual(['Adam 0', 'Zara 2', 'Ben 1', 'Cleo 1', 'Dora 1', 'Eli 0']);
    expect(c.workers.find((w) => w.worker === 'Cleo')!.allocated).toEqual([{ childId: 'R', allocatedSince: '2024-06-01', days: 302 }]);
    expect(c.unallocated.map((u) => u.childId)).toEqual(['T', 'U']);
  });

  it('agrees with the caseload and unallocated indicators', async () => {
    const c = await caseloads(f.store, '2025-03-31');
    const avg = (await f.engine.compute('workforce.average_caseload', [month('2025-03')]))[0];
    expect(avg.numerator).toBe(c.workers.reduce((s, w) => s + w.children, 0)); // 5: P, Q twice, S, V
    expect(avg.denominator).toBe(c.workers.length); // 5: Adam, Zara, Ben, Dora, Eli
    expect(avg).toMatchObject({ numerator: 5, denominator: 5 });
    expect((await f.engine.compute('workforce.unallocated', [month('2025-03')]))[0].value).toBe(c.unallocated.length); // 3
  });

  it('refuses a date that is not YYYY-MM-DD', async () => {
    await expect(caseloads(f.store, '31/03/2025')).rejects.toThrow(RangeError);
  });
});
