// Operational lists on a hand-built authority, drawn at Friday 31 January 2025 (no bank holiday in
// January after New Year's Day). Each expected row is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { runList, LISTS, asAtOf } from '../src/lists/index.ts';
import { addWorkingDays } from '../src/calendar.ts';

const DATE = '2025-01-31';
// Assessments started 46, 41 and 40 working days before the date (addWorkingDays is tested in calendar.test.ts).
const start46 = addWorkingDays(DATE, -46), start41 = addWorkingDays(DATE, -41), start40 = addWorkingDays(DATE, -40);
const visit = (child_id: string, visit_date: string, visit_type = 'CP') => ({ child_id, visit_date, visit_type });

let f: Fixture;
beforeAll(async () => {
  f = await fixture({
    contacts: [
      { contact_id: 'c1', child_id: 'A', received_at: '2025-01-31T09:00:00' }, // 0 working days → green
      { contact_id: 'c2', child_id: 'B', received_at: '2025-01-30T10:00:00' }, // 1 → amber (decide today)
      { contact_id: 'c3', child_id: 'C', received_at: '2025-01-29T10:00:00' }, // 2 → red
      { contact_id: 'c4', child_id: 'D', received_at: '2025-01-29T10:00:00', decision_at: '2025-01-30T09:00:00' }, // decided
      { contact_id: 'c5', child_id: 'E', received_at: '2025-01-31T15:00:00' }, // after noon: not yet received at 12:00
    ],
    assessments: [
      { child_id: 'F', start_date: start46 }, // 46 > 45 → red
      { child_id: 'G', start_date: start41 }, // 41: within 5 of the 45th → amber
      { child_id: 'H', start_date: start40 }, // 40: not listed
      { child_id: 'J', start_date: start46, authorisation_date: '2025-01-20' }, // authorised: not listed
    ],
    cp_plans: [
      { child_id: 'K', start_date: '2024-12-02' }, { child_id: 'L', start_date: '2025-01-02' },
      { child_id: 'M', start_date: '2025-01-06' }, { child_id: 'N', start_date: '2024-06-01', end_date: '2025-01-31' },
      { child_id: 'P', start_date: '2024-10-15' }, { child_id: 'Q', start_date: '2023-06-01' },
      { child_id: 'R', start_date: '2023-01-31' }, { child_id: 'S', start_date: '2023-04-15' },
    ],
    visits: [
      visit('K', '2025-01-16'), // next due 10 working days later: 2025-01-30, before the 31st → red
      visit('L', '2025-01-20'), // due 2025-02-03, 1 working day after the date → amber
      visit('M', '2025-01-29'), // due 2025-02-12 → not listed
      visit('P', '2025-01-29'), visit('Q', '2025-01-29'), visit('R', '2025-01-29'), visit('S', '2025-01-29'),
      visit('W', '2025-01-20', 'LAC'),
    ],
    cp_reviews: [
      // P: no review; first due 3 months after 2024-10-15 = 2025-01-15 → red
      { child_id: 'Q', review_date: '2024-08-05' }, // due 2025-02-05, within 28 days → amber
      { child_id: 'R', review_date: '2024-12-01' }, { child_id: 'S', review_date: '2024-11-20' },
    ],
    referrals: [
      { child_id: 'T', referral_date: '2024-07-31' }, // 6 months on 2025-01-31 → listed
      { child_id: 'U', referral_date: '2024-08-01' }, // 6 months on 2025-02-01 → not yet
      { child_id: 'K', referral_date: '2024-01-01' }, // on a CP plan → not a CIN-only case
    ],
    children: [{ child_id: 'V', dob: '2015-05-05' }, { child_id: 'W', dob: '2022-03-01' }],
    lac_episodes: [
      { child_id: 'V', decom: '2024-12-02' },
      { child_id: 'W', decom: '2023-01-10', dec: '2024-06-01' }, { child_id: 'W', decom: '2024-06-01' },
    ],
    lac_reviews: [
      { child_id: 'W', review_date: '2023-02-01' }, { child_id: 'W', review_date: '2023-05-01' },
      { child_id: 'W', review_date: '2024-08-10' },
    ],
    health_assessments: [{ child_id: 'W', assessment_date: '2024-08-20', kind: 'review' }],
    teams: [{ team_id: 'T1', name: 'Children in Care' }],
    workers: [{ worker_id: 'W1', name: 'Ada', team_id: 'T1' }],
    allocations: [{ child_id: 'V', worker_id: 'W1', team_id: 'T1', start_date: '2024-12-02' }],
  });
});
afterAll(() => f.close());

const list = async (id: string, asAt = DATE) => (await runList(f.store, id, { asAt })).map((r) => ({ ...r }));

describe('operational lists', () => {
  it('contacts awaiting a decision at noon, rated by working days waited', async () => {
    const rows = await list('contacts_awaiting_decision', '2025-01-31T12:00');
    expect(rows.map((r) => [r.contact_id, r.rag, r.working_days_waiting])).toEqual([
      ['c3', 'red', 2], ['c2', 'amber', 1], ['c1', 'green', 0],
    ]);
    expect(rows.find((r) => r.contact_id === 'c1')?.hours_waiting).toBe(3);
  });

  it('assessments past 45 working days (red) and within 5 of it (amber)', async () => {
    const rows = await list('assessments_open');
    expect(rows.map((r) => [r.child_id, r.rag, r.working_days_open])).toEqual([['F', 'red', 46], ['G', 'amber', 41]]);
    expect(rows[0].due_date).toBe(addWorkingDays(start46, 45));
  });

  it('CP visits due or overdue', async () => {
    const rows = await list('cp_visits_due');
    expect(rows.map((r) => [r.child_id, r.rag, r.due_date])).toEqual([['K', 'red', '2025-01-30'], ['L', 'amber', '2025-02-03']]);
  });

  it('CP reviews due or overdue: first at 3 months, then 6-monthly', async () => {
    const rows = await list('cp_reviews_due');
    expect(rows.map((r) => [r.child_id, r.rag, r.due_date])).toEqual([['P', 'red', '2025-01-15'], ['Q', 'amber', '2025-02-05']]);
  });

  it('CP plans open 2 years (red) or reaching 2 years within 3 months (amber)', async () => {
    const rows = await list('cp_plans_over_2_years');
    expect(rows.map((r) => [r.child_id, r.rag])).toEqual([['R', 'red'], ['S', 'amber']]);
  });

  it('children in need open 6 months, not on a plan or in care', async () => {
    expect((await list('cin_open_over_6_months')).map((r) => r.child_id)).toEqual(['T']);
  });

  it('looked-after children: each overdue or due item, from the start of the period of care', async () => {
    const rows = await list('lac_overdue');
    // V entered care 2024-12-02 and nothing is recorded: visit due +42 days = 2025-01-13; review, health
    // assessment and PEP (V is 9) due 20 working days after entry = 2025-01-02 (Christmas and Boxing Day skipped).
    // W has been in care since 2023-01-10 (two episodes, one period); third review 2024-08-10 → next 2025-02-10 (amber);
    // W's health assessment (under 5) is due 2025-02-20 and the visit 2025-03-03: not listed; W is 2, so no PEP.
    expect(rows.map((r) => [r.child_id, r.item, r.rag, r.due_date])).toEqual([
      ['V', 'Health assessment', 'red', '2025-01-02'], ['V', 'PEP', 'red', '2025-01-02'], ['V', 'Review', 'red', '2025-01-02'],
      ['V', 'Visit', 'red', '2025-01-13'], ['W', 'Review', 'amber', '2025-02-10'],
    ]);
    expect(rows[0]).toMatchObject({ team: 'Children in Care', worker: 'Ada', care_start_date: '2024-12-02' });
    expect(rows[4].care_start_date).toBe('2023-01-10');
  });

  it('filters by team, and every list has an id, title and description', async () => {
    expect((await runList(f.store, 'lac_overdue', { asAt: DATE, team: 'Children in Care' })).map((r) => r.child_id)).toEqual(['V', 'V', 'V', 'V']);
    for (const l of LISTS) expect(l.title.length > 5 && l.description.length > 20).toBe(true);
    expect(() => asAtOf('31/01/2025')).toThrow(/YYYY-MM-DD/);
    await expect(runList(f.store, 'nope', { asAt: DATE })).rejects.toThrow(/the lists are/);
  });
});
