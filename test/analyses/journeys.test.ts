// Child journeys on a hand-built authority. The cohort is children with a contact received in October to
// December 2024 (2024-25 Q3), each followed for 12 months from their first contact in it; the data end on
// 2025-12-31 unless a test says otherwise, so every window is whole.
//
// child contact(s) in Q3 (team, outcome)       what follows, dated                              journey ⇒ outcome
//  A    2024-10-02 North nfa                   nothing                                          Contact ⇒ No further action at contact
//  B    2024-10-05 North early_help            nothing                                          Contact ⇒ Early help
//  C    2024-10-10 North referral              referral 10-11, closed 11-20 as NFA              Contact → Referral ⇒ Closed
//  D    2024-11-01 North referral              referral 11-01 (open), assessment 11-04,         Contact → Referral → Assessment → CIN plan
//       (ethnicity BAFR)                       CIN plan 12-15 (open)                              ⇒ Still a child in need
//  E    2024-11-05 South information,          referral 11-20, assessment 11-21, S47 11-22,     Contact → Referral → Assessment → Section 47
//       2024-11-20 South referral              ICPC 12-10, CP plan 12-10 (open)                   → ICPC → CP plan ⇒ Still on a CP plan
//       (the first contact starts the window)
//  F    2024-12-01 South referral              referral 12-01, S47 12-02 (no ICPC recorded),    Contact → Referral → Section 47 → CP plan
//                                              CP plan 12-20 → 2025-03-01, looked after from       → Looked after ⇒ Still looked after
//                                              2025-03-01 (open)
//  G    2024-12-20 South referral              referral 2025-12-21: a day after the window      Contact ⇒ Referral not found in the window
//                                              (ends 2025-12-20)
//  H    2024-09-30 North nfa                   (before the quarter)                             not in the cohort
//  I    2024-10-15 South nfa                   a short break (V3) 2024-11-01: not looked after  Contact ⇒ No further action at contact
//
// Cohort A B C D E F G I = 8. Journeys: A and I share one, the other six are one child each: 2 + 6 × 1 = 8.
// Children reaching each stage: Contact 8; Referral C D E F = 4 (50% of 8); Assessment D E = 2; Section 47 E F = 2;
//   ICPC E = 1; CIN plan D = 1; CP plan E F = 2; Looked after F = 1.
// Links out of Contact: → Referral 4, → No further action 2, → Early help 1, → Referral not found 1 = 8.
// Links out of Referral: → Closed 1 (C), → Assessment 2 (D E), → Section 47 1 (F) = 4 (Assessment 2 of 4 = 50%).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { financialQuarter } from '../../src/periods.ts';
import { journeys, journeyChildren, STAGES } from '../../src/analyses/journeys.ts';

const c = (contact_id: string, child_id: string, day: string, team: string, outcome: string) =>
  ({ contact_id, child_id, received_at: `${day}T10:00:00`, decision_at: `${day}T12:00:00`, outcome, team, source: '6' });

const rows = {
  children: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'].map((id) => ({ child_id: id, dob: '2015-06-01', sex: 'F', ethnicity: id === 'D' ? 'BAFR' : 'WBRI' })),
  contacts: [
    c('C1', 'A', '2024-10-02', 'North', 'nfa'), c('C2', 'B', '2024-10-05', 'North', 'early_help'),
    c('C3', 'C', '2024-10-10', 'North', 'referral'), c('C4', 'D', '2024-11-01', 'North', 'referral'),
    c('C5', 'E', '2024-11-05', 'South', 'information'), c('C6', 'E', '2024-11-20', 'South', 'referral'),
    c('C7', 'F', '2024-12-01', 'South', 'referral'), c('C8', 'G', '2024-12-20', 'South', 'referral'),
    c('C9', 'H', '2024-09-30', 'North', 'nfa'), c('C10', 'I', '2024-10-15', 'South', 'nfa'),
  ],
  referrals: [
    { child_id: 'C', referral_date: '2024-10-11', nfa: true, closure_date: '2024-11-20' },
    { child_id: 'D', referral_date: '2024-11-01', nfa: false },
    { child_id: 'E', referral_date: '2024-11-20', nfa: false },
    { child_id: 'F', referral_date: '2024-12-01', nfa: false },
    { child_id: 'G', referral_date: '2025-12-21', nfa: false },
  ],
  assessments: [
    { child_id: 'D', referral_date: '2024-11-01', start_date: '2024-11-04' },
    { child_id: 'E', referral_date: '2024-11-20', start_date: '2024-11-21' },
  ],
  section47: [
    { child_id: 'E', referral_date: '2024-11-20', start_date: '2024-11-22', icpc_date: '2024-12-10', icpc_plan: true },
    { child_id: 'F', referral_date: '2024-12-01', start_date: '2024-12-02' },
  ],
  cin_plans: [{ child_id: 'D', referral_date: '2024-11-01', start_date: '2024-12-15' }],
  cp_plans: [
    { child_id: 'E', referral_date: '2024-11-20', start_date: '2024-12-10' },
    { child_id: 'F', referral_date: '2024-12-01', start_date: '2024-12-20', end_date: '2025-03-01' },
  ],
  lac_episodes: [
    { child_id: 'F', decom: '2025-03-01', rne: 'S', legal_status: 'C2', placement_type: 'U6', placement_provider: 'PR1' },
    { child_id: 'I', decom: '2024-11-01', dec: '2024-11-03', rne: 'S', legal_status: 'V3', placement_type: 'U6', placement_provider: 'PR1' },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const q3 = financialQuarter(2024, 3);
const opts = { period: q3, dataEnd: '2025-12-31' };

describe('child journeys from the front door', () => {
  it('every child of the cohort follows one journey: the journeys add up to the cohort', async () => {
    const j = await journeys(f.store, opts);
    expect(j.cohort).toBe(8);
    expect(j.patterns.reduce((s, p) => s + p.children, 0)).toBe(8);
    expect(j.patterns[0]).toMatchObject({ stages: ['Contact'], outcome: 'No further action at contact', children: 2, percent: 25 });
    expect(j.patterns.map((p) => `${p.stages.join(' → ')} ⇒ ${p.outcome}`).sort()).toEqual([
      'Contact ⇒ Early help',
      'Contact ⇒ No further action at contact',
      'Contact ⇒ Referral not found in the window',
      'Contact → Referral ⇒ Closed',
      'Contact → Referral → Assessment → CIN plan ⇒ Still a child in need',
      'Contact → Referral → Assessment → Section 47 → ICPC → CP plan ⇒ Still on a CP plan',
      'Contact → Referral → Section 47 → CP plan → Looked after ⇒ Still looked after',
    ].sort());
    expect(j.fullyFollowed).toBe(8);
  });

  it('children reaching each stage, and the links between stages, with their percentages', async () => {
    const j = await journeys(f.store, opts);
    const node = Object.fromEntries(j.nodes.map((n) => [n.node, n.children]));
    expect(node).toMatchObject({ Contact: 8, Referral: 4, Assessment: 2, 'Section 47': 2, ICPC: 1, 'CIN plan': 1, 'CP plan': 2, 'Looked after': 1 });
    expect(j.nodes.find((n) => n.node === 'Referral')!.percentOfCohort).toBe(50);
    const link = (from: string, to: string) => j.links.find((l) => l.from === from && l.to === to);
    expect(link('Contact', 'Referral')).toMatchObject({ children: 4, percentOfFrom: 50 });
    expect(link('Contact', 'No further action at contact')!.children).toBe(2);
    expect(link('Referral', 'Assessment')).toMatchObject({ children: 2, percentOfFrom: 50 });
    expect(link('Referral', 'Section 47')!.children).toBe(1);
    expect(link('Referral', 'Closed')!.children).toBe(1);
    expect(link('Section 47', 'CP plan')!.children).toBe(1);
    expect(link('CP plan', 'Looked after')!.children).toBe(1);
  });

  it('at every stage the children arriving equal the children leaving (to a later stage or an outcome)', async () => {
    const j = await journeys(f.store, opts);
    for (const n of j.nodes.filter((x) => x.kind === 'stage')) {
      const out = j.links.filter((l) => l.from === n.node).reduce((s, l) => s + l.children, 0);
      expect(out, `out of ${n.node}`).toBe(n.children);
      if (n.node !== 'Contact') expect(j.links.filter((l) => l.to === n.node).reduce((s, l) => s + l.children, 0), `into ${n.node}`).toBe(n.children);
    }
    const outcomes = j.nodes.filter((x) => x.kind === 'outcome').reduce((s, n) => s + n.children, 0);
    expect(outcomes).toBe(8);
    for (const n of j.nodes) expect(STAGES.includes(n.node as never) === (n.kind === 'stage')).toBe(true);
  });

  it('filters by team (of the contact) and ethnic group', async () => {
    expect((await journeys(f.store, { ...opts, team: 'North' })).cohort).toBe(4); // A B C D; H's contact is before the quarter
    const black = await journeys(f.store, { ...opts, ethnicity: 'Black or Black British' });
    expect(black.cohort).toBe(1);
    expect(black.patterns[0].outcome).toBe('Still a child in need');
    expect((await journeys(f.store, { ...opts, ageBand: '5 to 9' })).cohort).toBe(8); // all born 2015-06-01: aged 9 at each contact
    expect((await journeys(f.store, { ...opts, ageBand: '10 to 15' })).cohort).toBe(0);
  });

  it('drills from a stage, a link or a journey to its children, with the dates that put them there', async () => {
    expect((await journeyChildren(f.store, opts, { node: 'CP plan' })).map((r) => r.child_id)).toEqual(['E', 'F']);
    const s47ToPlan = await journeyChildren(f.store, opts, { from: 'Section 47', to: 'CP plan' });
    expect(s47ToPlan.map((r) => r.child_id)).toEqual(['F']);
    expect(s47ToPlan[0]).toMatchObject({ contact_date: '2024-12-01', s47_date: '2024-12-02', cp_plan_date: '2024-12-20', looked_after_date: '2025-03-01', icpc_date: null });
    const e = await journeyChildren(f.store, opts, { stages: ['Contact', 'Referral', 'Assessment', 'Section 47', 'ICPC', 'CP plan'], outcome: 'Still on a CP plan' });
    expect(e.map((r) => [r.child_id, r.contact_id, r.contact_date])).toEqual([['E', 'C5', '2024-11-05']]);
    expect((await journeyChildren(f.store, opts)).length).toBe(8);
  });

  it('the end of the data cuts windows short: a stage after it is not seen, and the children are not fully followed', async () => {
    const j = await journeys(f.store, { period: q3, dataEnd: '2025-02-28' });
    expect(j.fullyFollowed).toBe(0);
    // F's episode starts 2025-03-01, after the data end: F's journey stops at the CP plan, which is open at 2025-02-28
    const fRow = (await journeyChildren(f.store, { period: q3, dataEnd: '2025-02-28' })).find((r) => r.child_id === 'F')!;
    expect(fRow).toMatchObject({ looked_after_date: null, outcome: 'Still on a CP plan', window_end: '2025-02-28' });
  });
});
