// Drift on a hand-built authority, as at Friday 31 January 2025 (D). For each rule, a case that drifts and
// cases on or just inside the boundary that do not. Working days: 25 and 26 December 2024 and 1 January
// 2025 are bank holidays. "days" counts drift_since as day 1 up to D.
//
// CIN over 6 months without a plan review
//   C1 referral 2024-06-01, open, nothing since: 6 months on is 2024-12-01, drifting from 2024-12-02 → 61 days
//   C2 referral 2024-03-01, open, CIN plan started 2024-08-15: 6 months on is 2025-02-15 → not yet
//   C3 referral 2024-07-31, open: 6 months on is D itself → not over 6 months yet
//   C4 referral 2024-01-10 closed as no further action (nfa) → not a CIN episode; C5 closed 2024-12-01 → not open
// CP plan 15 months or more
//   P1 plan from 2023-10-31, open: 15 months on is D → drifting from D, 1 day
//   P2 plan from 2023-11-01 → 15 months on is 2025-02-01 → not yet; P3 from 2023-01-01 ended on D → not open at D
// Looked after without a permanence plan after the second review
//   L1 in care from 2024-06-03 (U6), reviews 2024-06-28 and 2024-09-20, no permanence step → from 2024-09-20, 134 days
//   L2 in care from 2024-05-01, moved to long-term fostering (U4) 2024-10-01, two reviews → has a step
//   L3 in care from 2024-07-01, one review → no second review yet
//   L4 in care from 2024-04-01, reviews 2024-04-20 and 2024-07-15, adoption decision 2024-11-01 reversed
//      2025-01-10 → no step in force → from 2024-07-15, 201 days
// Section 47 without an outcome
//   S1 started Thu 2025-01-02, nothing since: 21 working days to D; the 16th working day is 2025-01-24 → 8 days
//   S2 started Fri 2025-01-10: D is the 15th working day → still in time
//   S3 started 2024-12-01, ICPC not required → has an outcome
//   S4 started Mon 2024-12-02, ICPC on 2025-02-03 (after D): the 16th working day is 2024-12-24 (over
//      Christmas) → 39 days
// Pre-proceedings beyond 16 weeks
//   PP1 started 2024-10-01, no decision: 112 days on is 2025-01-21, drifting from 2025-01-22 → 10 days
//   PP2 started 2024-10-11: 112 days on is D → not beyond 16 weeks yet
//   PP3 started 2024-06-01, decision 2024-09-01 → concluded
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { drift, DRIFT_RULES } from '../../src/analyses/drift.ts';

const ep = (child_id: string, decom: string, placement_type: string, dec: string | null = null, rne = 'S') =>
  ({ child_id, decom, dec, rne, legal_status: 'C2', placement_type, placement_provider: 'PR1' });

const rows = {
  referrals: [
    { child_id: 'C1', referral_date: '2024-06-01', nfa: false },
    { child_id: 'C2', referral_date: '2024-03-01', nfa: false },
    { child_id: 'C3', referral_date: '2024-07-31', nfa: false },
    { child_id: 'C4', referral_date: '2024-01-10', nfa: true },
    { child_id: 'C5', referral_date: '2024-02-01', nfa: false, closure_date: '2024-12-01' },
  ],
  cin_plans: [{ child_id: 'C2', referral_date: '2024-03-01', start_date: '2024-08-15' }],
  cp_plans: [
    { child_id: 'P1', start_date: '2023-10-31', initial_category: 'NEG' },
    { child_id: 'P2', start_date: '2023-11-01' },
    { child_id: 'P3', start_date: '2023-01-01', end_date: '2025-01-31' },
  ],
  lac_episodes: [
    ep('L1', '2024-06-03', 'U6'),
    ep('L2', '2024-05-01', 'U6', '2024-10-01'), ep('L2', '2024-10-01', 'U4', null, 'P'),
    ep('L3', '2024-07-01', 'U6'),
    ep('L4', '2024-04-01', 'U6'),
  ],
  lac_reviews: [
    { child_id: 'L1', review_date: '2024-06-28' }, { child_id: 'L1', review_date: '2024-09-20' },
    { child_id: 'L2', review_date: '2024-05-25' }, { child_id: 'L2', review_date: '2024-08-20' },
    { child_id: 'L3', review_date: '2024-07-25' },
    { child_id: 'L4', review_date: '2024-04-20' }, { child_id: 'L4', review_date: '2024-07-15' },
  ],
  adoptions: [{ child_id: 'L4', decision_date: '2024-11-01', decision_reversed_date: '2025-01-10' }],
  section47: [
    { child_id: 'S1', start_date: '2025-01-02' },
    { child_id: 'S2', start_date: '2025-01-10' },
    { child_id: 'S3', start_date: '2024-12-01', icpc_not_required: true },
    { child_id: 'S4', start_date: '2024-12-02', icpc_date: '2025-02-03' },
  ],
  pre_proceedings: [
    { child_id: 'PP1', start_date: '2024-10-01' },
    { child_id: 'PP2', start_date: '2024-10-11' },
    { child_id: 'PP3', start_date: '2024-06-01', decision_date: '2024-09-01' },
  ],
  teams: [{ team_id: 'T1', name: 'North' }],
  allocations: [{ child_id: 'C1', worker_id: 'W1', team_id: 'T1', start_date: '2024-06-01' }],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const D = '2025-01-31';
const byRule = async (rule: string) => (await drift(f.store, { asAt: D, rules: [rule] }))
  .map((r) => [r.child_id, r.drift_since, r.days_drifting]);

describe('drift: cases open without progress, with the dates that make them drift', () => {
  it('CIN open over 6 months without a plan review', async () => {
    expect(await byRule('cin_no_review')).toEqual([['C1', '2024-12-02', 61]]);
  });

  it('CP plans open 15 months or more: from the day 15 months after the start', async () => {
    expect(await byRule('cp_15_months')).toEqual([['P1', '2025-01-31', 1]]);
  });

  it('looked after without a permanence step after the second review; a reversed adoption decision is no step', async () => {
    expect(await byRule('lac_no_permanence')).toEqual([['L4', '2024-07-15', 201], ['L1', '2024-09-20', 134]]);
  });

  it('Section 47 enquiries without an outcome after 15 working days, counted across Christmas', async () => {
    expect(await byRule('s47_no_outcome')).toEqual([['S4', '2024-12-24', 39], ['S1', '2025-01-24', 8]]);
  });

  it('pre-proceedings beyond 16 weeks', async () => {
    expect(await byRule('pre_proceedings_16_weeks')).toEqual([['PP1', '2025-01-22', 10]]);
  });

  it('all rules together, longest drifting first, with team and worker from the allocation; filtered by team', async () => {
    const all = await drift(f.store, { asAt: D });
    expect(all.map((r) => r.child_id)).toEqual(['L4', 'L1', 'C1', 'S4', 'PP1', 'S1', 'P1']);
    expect(all.find((r) => r.child_id === 'C1')).toMatchObject({ team: 'North', worker: 'W1', started: '2024-06-01', last_progress: '2024-06-01' });
    expect((await drift(f.store, { asAt: D, team: 'North' })).map((r) => r.child_id)).toEqual(['C1']);
    expect(new Set(all.map((r) => r.rule))).toEqual(new Set(DRIFT_RULES.map((r) => r.id)));
  });

  it('a day later the boundary cases drift too', async () => {
    const next = await drift(f.store, { asAt: '2025-02-01' });
    const ids = next.map((r) => r.child_id);
    expect(ids).toEqual(expect.arrayContaining(['C3', 'P2', 'PP2'])); // 6 months, 15 months, 16 weeks passed on 31 January
    expect(ids).not.toContain('S2'); // Saturday 1 February is not a working day: still 15 working days
  });
});
