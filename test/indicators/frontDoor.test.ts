// Front door and early help family on a hand-built authority. Every expected number is worked out in the
// comments from the rows below; none is copied from the code's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12 } from '../../src/periods.ts';
import { INDICATORS } from '../../src/indicators/frontDoor.ts';
import type { Figure } from '../../src/engine.ts';

// Calendar: January 2025 runs Wed 1 (New Year's Day, a bank holiday) to Fri 31. 25 and 26 December 2024 are
// bank holidays. `csc workdays` agrees with every working-day count below.
//
// Contacts (all team MASH unless said; working days = after the day of receipt up to and including the
// day of decision; hours = clock hours from receipt to decision):
//  id   child received              decided               outcome      source       wd   hours
//  C1   A     Mon 06 Jan 10:00      Mon 06 Jan 15:00      referral     6  Police     0    5      both in time
//  C2   A     Mon 06 Jan 11:00      Tue 07 Jan 11:00      nfa          2A Education  1    24     both (24h exactly is within)
//  C3   B     Fri 10 Jan 18:30      Mon 13 Jan 09:30      early_help   6  Police     1    63     1 wd yes, 24h no
//  C4   B     Sat 11 Jan 02:00      Tue 14 Jan 10:00      referral     3A Health     2    80     both late (Sat counts from Fri)
//  C5   C     Wed 15 Jan 09:00      Thu 16 Jan 08:00      information  1A Individual 1   23     both in time
//  C6   C     Mon 20 Jan 10:00      Mon 20 Jan 09:00      nfa          6  Police     0    -1     decided before receipt → late in both
//  C7   D     Wed 29 Jan 14:00      —                     —            6  Police     2 by Fri 31 → late; 24h passed → late
//  C8   E     Thu 30 Jan 16:00      —                     —            2A Education  1 by Fri 31 → not yet late (left out);
//                                                                                          24h passed at Jan 31 16:00 → late
//  C9   F     Fri 31 Jan 20:00      —                     —            3B Health     0 → left out; 24h not passed by the end of 31st → left out
//  C10  G     Wed 08 Jan (date only, from an Annex A load: no decisions recorded)
//                                                                      4  Housing    left out of both timeliness figures
//  C11  H     Thu 09 Jan (date only) Fri 10 Jan (date only) referral   6  Police     1 → in time; no times → left out of 24h
//  C15  K     Tue 21 Jan 10:00      Tue 21 Jan 11:00      (no outcome) 8  Other      0    1      both in time; no outcome → not in conversion
//  C17  L     Mon 13 Jan 09:00      (no decision time)    nfa          6  Police     an outcome but no decision time: cannot be timed,
//                                                                                    left out of both timeliness figures; in conversion
// December 2024: C12 A Tue 24 Dec 12:00 → Fri 27 Dec 10:00 referral 6: 1 wd across Christmas (in time), 70 h;
//                C13 I Tue 31 Dec 23:30 → Thu 02 Jan 09:00 nfa 5A: 1 wd across New Year (in time), 33.5 h; a December contact;
//                C16 B Mon 23 Dec 09:00 → Fri 27 Dec 09:00 nfa 2A: 2 wd (24th, 27th) → late, 96 h.
// February 2025: C14 J Mon 03 Feb 10:00 → same day, nfa 6 (outside January).
//
// January contacts received: C1–C11, C15 and C17 = 13.
//   by source group: Police C1 C3 C6 C7 C11 C17 = 6; Education C2 C8 = 2; Health C4 C9 = 2; Housing C10 = 1;
//   Individual C5 = 1; Other C15 = 1.
// Decided within 1 working day: denominator = decided C1–C6, C11, C15 (8) + undecided and late C7 = 9;
//   numerator = C1 C2 C3 C5 C11 C15 = 6 → 66.7%.
//   With 2 working days: C4 (2) in time; C7 (2 by the 31st) no longer late → left out: 7 of 8 (C6 late) = 87.5%.
//   December: C12 yes, C13 yes, C16 no → 2 of 3.
// Decided within 24 hours: with times: C1 C2 C3 C4 C5 C6 C15 decided + C7 C8 overdue = 9; within: C1 C2 C5 C15 = 4 → 44.4%.
//   December: C12, C13, C16 all over 24 h → 0 of 3.
// Conversion to referral: with an outcome C1 C2 C3 C4 C5 C6 C11 C17 = 8; referral C1 C4 C11 = 3 → 37.5%.
//   by source: Police C1 C3 C6 C11 C17 → 2 of 5; Education C2 → 0 of 1; Health C4 → 1 of 1; Individual C5 → 0 of 1.
const contacts = [
  { contact_id: 'C1', child_id: 'A', received_at: '2025-01-06T10:00:00', decision_at: '2025-01-06T15:00:00', outcome: 'referral', source: '6', team: 'MASH', worker: 'Mo' },
  { contact_id: 'C2', child_id: 'A', received_at: '2025-01-06T11:00:00', decision_at: '2025-01-07T11:00:00', outcome: 'nfa', source: '2A', team: 'MASH' },
  { contact_id: 'C3', child_id: 'B', received_at: '2025-01-10T18:30:00', decision_at: '2025-01-13T09:30:00', outcome: 'early_help', source: '6', team: 'MASH' },
  { contact_id: 'C4', child_id: 'B', received_at: '2025-01-11T02:00:00', decision_at: '2025-01-14T10:00:00', outcome: 'referral', source: '3A', team: 'MASH' },
  { contact_id: 'C5', child_id: 'C', received_at: '2025-01-15T09:00:00', decision_at: '2025-01-16T08:00:00', outcome: 'information', source: '1A', team: 'MASH' },
  { contact_id: 'C6', child_id: 'C', received_at: '2025-01-20T10:00:00', decision_at: '2025-01-20T09:00:00', outcome: 'nfa', source: '6', team: 'MASH' },
  { contact_id: 'C7', child_id: 'D', received_at: '2025-01-29T14:00:00', source: '6', team: 'MASH' },
  { contact_id: 'C8', child_id: 'E', received_at: '2025-01-30T16:00:00', source: '2A', team: 'MASH' },
  { contact_id: 'C9', child_id: 'F', received_at: '2025-01-31T20:00:00', source: '3B', team: 'MASH' },
  { contact_id: 'C10', child_id: 'G', received_at: '2025-01-08T00:00:00', source: '4' },
  { contact_id: 'C11', child_id: 'H', received_at: '2025-01-09T00:00:00', decision_at: '2025-01-10T00:00:00', outcome: 'referral', source: '6', team: 'MASH' },
  { contact_id: 'C15', child_id: 'K', received_at: '2025-01-21T10:00:00', decision_at: '2025-01-21T11:00:00', source: '8', team: 'MASH' },
  { contact_id: 'C17', child_id: 'L', received_at: '2025-01-13T09:00:00', outcome: 'nfa', source: '6', team: 'MASH' },
  { contact_id: 'C12', child_id: 'A', received_at: '2024-12-24T12:00:00', decision_at: '2024-12-27T10:00:00', outcome: 'referral', source: '6', team: 'MASH' },
  { contact_id: 'C13', child_id: 'I', received_at: '2024-12-31T23:30:00', decision_at: '2025-01-02T09:00:00', outcome: 'nfa', source: '5A', team: 'MASH' },
  { contact_id: 'C16', child_id: 'B', received_at: '2024-12-23T09:00:00', decision_at: '2024-12-27T09:00:00', outcome: 'nfa', source: '2A', team: 'MASH' },
  { contact_id: 'C14', child_id: 'J', received_at: '2025-02-03T10:00:00', decision_at: '2025-02-03T12:00:00', outcome: 'nfa', source: '6', team: 'MASH' },
];

// Early help assessments (child, start → completion, days, completed by):
//  E1  A  2024-12-10 → 2025-01-14  35 days  partner (School)     within 35 ✓ (exactly 35)
//  E2  B  2024-12-09 → 2025-01-14  36 days  la (Family hub)      ✗
//  E3  C  2025-01-20 → 2025-01-20   0 days  not recorded         ✓; left out of "by partners"
//  E4  D  2025-01-25 → 2025-01-22  completed before it started   ✗ (recording error, shown as late); partner
//  E5  E  (no start) → 2025-01-30           la                   left out of "within 35 days"
//  E10 H  2025-01-10 → 2025-01-30  20 days  la, a step-down      ✓
//  E6  F  2024-11-01 → 2025-02-01  February: not in January
//  E7  G  2024-12-01 → 2024-12-31  December: in the rolling 12 months and year to date, not January
// Completed in January: E1 E2 E3 E4 E5 E10 = 6; rate 6 per 10,000 children (population 10,000).
//   Year to date (Apr 2024–Jan 2025) and rolling 12 months (Feb 2024–Jan 2025): + E7 = 7.
// Within 35 days: denominator E1 E2 E3 E4 E10 = 5; numerator E1 E3 E10 = 3 → 60%. With 36 days: + E2 → 4 of 5 = 80%.
// By partners: denominator E1 E2 E4 E5 E10 = 5; partner E1 E4 = 2 → 40%.
//
// Step-downs (step_down = true), by the date early help started:
//  E8  A  2025-01-31 family FAM1 (open)        E9  B 2025-01-05 family FAM1 (open)   → one family, two children
//  E10 H  2025-01-10 no family (completed)     E12 H 2025-01-20 no family            → H counts once; one family of its own
//  E11 I  2025-01-12 no family                                                       → another family of its own
//  E13 J  2025-02-01 (February)                E14 K 2024-12-31 (December)           → not January
// January: children A B H I = 4; families FAM1, H, I = 3.
const earlyHelp = [
  { child_id: 'A', start_date: '2024-12-10', completion_date: '2025-01-14', completed_by: 'partner', organisation: 'School', family_id: 'FAM1' },
  { child_id: 'B', start_date: '2024-12-09', completion_date: '2025-01-14', completed_by: 'la', organisation: 'Family hub', family_id: 'FAM1' },
  { child_id: 'C', start_date: '2025-01-20', completion_date: '2025-01-20' },
  { child_id: 'D', start_date: '2025-01-25', completion_date: '2025-01-22', completed_by: 'partner', organisation: 'Health visiting service' },
  { child_id: 'E', start_date: null, completion_date: '2025-01-30', completed_by: 'la', organisation: 'Family hub' },
  { child_id: 'H', start_date: '2025-01-10', completion_date: '2025-01-30', completed_by: 'la', organisation: 'Early help service', step_down: true },
  { child_id: 'F', start_date: '2024-11-01', completion_date: '2025-02-01', completed_by: 'la' },
  { child_id: 'G', start_date: '2024-12-01', completion_date: '2024-12-31', completed_by: 'partner' },
  { child_id: 'A', start_date: '2025-01-31', step_down: true, family_id: 'FAM1' },
  { child_id: 'B', start_date: '2025-01-05', step_down: true, family_id: 'FAM1' },
  { child_id: 'I', start_date: '2025-01-12', step_down: true },
  { child_id: 'H', start_date: '2025-01-20', step_down: true },
  { child_id: 'J', start_date: '2025-02-01', step_down: true, family_id: 'FAM9' },
  { child_id: 'K', start_date: '2024-12-31', step_down: true, family_id: 'FAM8' },
];

const rows = {
  children: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'].map((id, i) => ({ child_id: id, sex: i % 2 ? 'F' : 'M', dob: `201${i % 10}-05-05` })),
  contacts,
  early_help: earlyHelp,
  // Mid-2024 estimate in force at 31 January 2025: 10,000 children aged 0–17.
  population: [{ la_code: '999', year: 2024, age: 8, sex: 'M', count: 6000 }, { la_code: '999', year: 2024, age: 12, sex: 'F', count: 4000 }],
};

/** The fixture, with C10 brought by an Annex A load (List 1 has no decision or outcome columns). */
async function build(settings: Parameters<typeof fixture>[1] = {}): Promise<Fixture> {
  const g = await fixture(rows, settings);
  await g.store.run(`INSERT INTO loads (load_id, kind, file_name, file_hash, loaded_at, status) VALUES (5, 'annex_a', 'annex_a.xlsx', 'x', current_timestamp, 'active')`);
  await g.store.run(`UPDATE main.contacts SET load_id = 5 WHERE contact_id = 'C10'`);
  return g;
}

let f: Fixture;
beforeAll(async () => { f = await build(); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p = jan): Promise<Figure> => (await f.engine.compute(`front_door.${id}`, [p]))[0];
const ids = async (id: string, which: 'in_numerator' | 'in_denominator', p = jan, key = 'contact_id'): Promise<string[]> =>
  (await f.engine.rows(`front_door.${id}`, p)).filter((r) => r[which]).map((r) => String(r[key])).sort();

describe('front door: contacts', () => {
  it('contacts received: every contact counts, a child with two that day twice; the month is by receipt', async () => {
    expect(await one('contacts_received')).toMatchObject({ numerator: 13, denominator: null, value: 13 });
    expect(await ids('contacts_received', 'in_numerator')).toEqual(['C1', 'C10', 'C11', 'C15', 'C17', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9']);
    // December: C12, C13 (received 23:30 on the 31st), C16 = 3
    expect((await one('contacts_received', month('2024-12'))).value).toBe(3);
    const bySource = await f.engine.compute('front_door.contacts_received', [jan], { breakdown: 'source' });
    expect(bySource.map((x) => [x.group, x.value])).toEqual([
      ['Education', 2], ['Health', 2], ['Housing', 1], ['Individual', 1], ['Other', 1], ['Police', 6]]);
    // team: the contact's own team; C10 (Annex A, no team) falls back to G's allocation, and G has none
    const byTeam = await f.engine.compute('front_door.contacts_received', [jan], { breakdown: 'team' });
    expect(byTeam.map((x) => [x.group, x.value])).toEqual([['MASH', 12], ['Unallocated', 1]]);
  });

  it('decided within 1 working day: across weekends and bank holidays; overdue undecided contacts are late', async () => {
    expect(await one('decided_in_timescale')).toMatchObject({ numerator: 6, denominator: 9 });
    expect((await one('decided_in_timescale')).value).toBeCloseTo(66.667, 2);
    expect(await ids('decided_in_timescale', 'in_numerator')).toEqual(['C1', 'C11', 'C15', 'C2', 'C3', 'C5']);
    expect(await ids('decided_in_timescale', 'in_denominator')).toEqual(['C1', 'C11', 'C15', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    const r = await f.engine.rows('front_door.decided_in_timescale', jan);
    const byId = new Map(r.map((x) => [x.contact_id, x]));
    expect(byId.get('C3')?.working_days_to_decision).toBe(1); // Friday evening → Monday
    expect(byId.get('C4')?.working_days_to_decision).toBe(2); // Saturday counts from Friday: Mon, Tue
    expect(byId.get('C7')?.decision_at).toBeNull();
    expect(byId.get('C1')).toMatchObject({ team: 'MASH', worker: 'Mo', at_date: '2025-01-06', received_at: '2025-01-06T10:00:00' });
    // December: Christmas and New Year bank holidays are not working days → C12 and C13 in time, C16 late
    expect(await one('decided_in_timescale', month('2024-12'))).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('decided in timescale follows the local standard (2 working days)', async () => {
    const g = await build({ contactDecisionWorkingDays: 2 });
    try {
      const fig = (await g.engine.compute('front_door.decided_in_timescale', [jan]))[0];
      expect(fig).toMatchObject({ numerator: 7, denominator: 8, value: 87.5 });
    } finally {
      g.close();
    }
  });

  it('an undecided contact counts as late unless it is known only from Annex A, which records no decisions', async () => {
    // Without the Annex A load, C10 (received Wed 8 Jan, 17 working days before the 31st, no decision) is an
    // event-feed contact awaiting a decision: late. Denominator 9 + 1 = 10, numerator still 6.
    const g = await fixture(rows);
    try {
      expect((await g.engine.compute('front_door.decided_in_timescale', [jan]))[0]).toMatchObject({ numerator: 6, denominator: 10, value: 60 });
    } finally {
      g.close();
    }
  });

  it('decided within 24 hours: only where times exist; exactly 24 hours is within', async () => {
    expect(await one('decided_within_24_hours')).toMatchObject({ numerator: 4, denominator: 9 });
    expect(await ids('decided_within_24_hours', 'in_numerator')).toEqual(['C1', 'C15', 'C2', 'C5']);
    expect(await ids('decided_within_24_hours', 'in_denominator')).toEqual(['C1', 'C15', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    const r = await f.engine.rows('front_door.decided_within_24_hours', jan);
    expect(r.find((x) => x.contact_id === 'C3')?.hours_to_decision).toBe(63);
    expect(await one('decided_within_24_hours', month('2024-12'))).toMatchObject({ numerator: 0, denominator: 3, value: 0 });
  });

  it('contact to referral: of contacts with an outcome, by source', async () => {
    const fig = await one('contact_to_referral');
    expect(fig).toMatchObject({ numerator: 3, denominator: 8, value: 37.5 });
    expect(await ids('contact_to_referral', 'in_numerator')).toEqual(['C1', 'C11', 'C4']);
    expect(await ids('contact_to_referral', 'in_denominator')).toEqual(['C1', 'C11', 'C17', 'C2', 'C3', 'C4', 'C5', 'C6']);
    const bySource = await f.engine.compute('front_door.contact_to_referral', [jan], { breakdown: 'source' });
    expect(bySource.map((x) => [x.group, x.numerator, x.denominator, x.value])).toEqual([
      ['Education', 0, 1, 0], ['Health', 1, 1, 100], ['Individual', 0, 1, 0], ['Police', 2, 5, 40]]);
  });
});

describe('early help', () => {
  it('assessments completed: by completion date, each assessment once', async () => {
    expect(await one('early_help_completed')).toMatchObject({ numerator: 6, value: 6 });
    expect(await ids('early_help_completed', 'in_numerator', jan, 'child_id')).toEqual(['A', 'B', 'C', 'D', 'E', 'H']);
    expect((await one('early_help_completed', yearToDate('2025-01'))).value).toBe(7);
    expect((await one('early_help_completed', rolling12('2025-01'))).value).toBe(7);
  });

  it('rate per 10,000 children', async () => {
    expect(await one('early_help_rate')).toMatchObject({ numerator: 6, denominator: 10000, value: 6 });
    expect(await one('early_help_rate', rolling12('2025-01'))).toMatchObject({ numerator: 7, denominator: 10000, value: 7 });
  });

  it('completed within 35 days: exactly 35 is within, 36 is not, completion before start is late, no start is left out', async () => {
    expect(await one('early_help_in_timescale')).toMatchObject({ numerator: 3, denominator: 5, value: 60 });
    expect(await ids('early_help_in_timescale', 'in_numerator', jan, 'child_id')).toEqual(['A', 'C', 'H']);
    expect(await ids('early_help_in_timescale', 'in_denominator', jan, 'child_id')).toEqual(['A', 'B', 'C', 'D', 'H']);
    const r = await f.engine.rows('front_door.early_help_in_timescale', jan);
    expect(r.map((x) => [x.child_id, x.days_to_complete]).sort()).toEqual([['A', 35], ['B', 36], ['C', 0], ['D', -3], ['H', 20]]);
    const g = await build({ earlyHelpDays: 36 });
    try {
      expect((await g.engine.compute('front_door.early_help_in_timescale', [jan]))[0]).toMatchObject({ numerator: 4, denominator: 5, value: 80 });
    } finally {
      g.close();
    }
  });

  it('completed by partner agencies: unknown completer left out', async () => {
    expect(await one('early_help_by_partners')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    expect(await ids('early_help_by_partners', 'in_numerator', jan, 'child_id')).toEqual(['A', 'D']);
    expect(await ids('early_help_by_partners', 'in_denominator', jan, 'child_id')).toEqual(['A', 'B', 'D', 'E', 'H']);
  });

  it('step-downs: children once each, families by family id, a child without one is a family of their own', async () => {
    expect(await one('step_down_children')).toMatchObject({ numerator: 4, value: 4 });
    expect(await ids('step_down_children', 'in_numerator', jan, 'child_id')).toEqual(['A', 'B', 'H', 'I']);
    const h = (await f.engine.rows('front_door.step_down_children', jan)).find((x) => x.child_id === 'H');
    expect(h?.start_date).toBe('2025-01-10'); // the first of H's two step-downs
    expect(await one('step_down_families')).toMatchObject({ numerator: 3, value: 3 });
    const fam = await f.engine.rows('front_door.step_down_families', jan);
    expect(fam.map((x) => [x.family, x.child_id, x.children, x.start_date]).sort()).toEqual([
      ['FAM1', 'A', 'A, B', '2025-01-05'], ['child H', 'H', 'H', '2025-01-10'], ['child I', 'I', 'I', '2025-01-12']]);
    // December: K (2024-12-31) only; February: J only
    expect((await one('step_down_children', month('2024-12'))).value).toBe(1);
    expect((await one('step_down_families', month('2025-02'))).value).toBe(1);
  });
});

describe('every front door indicator', () => {
  it('has its metadata', () => {
    for (const ind of INDICATORS) {
      expect(ind.id).toMatch(/^front_door\.[a-z0-9_]+$/);
      expect(ind.theme).toBe('front_door');
      expect(ind.definition.length).toBeGreaterThan(60);
      expect(ind.source.length).toBeGreaterThan(10);
      if (ind.unit === 'percent') expect(ind.denominatorLabel).toBeTruthy();
    }
  });

  it('child rows add up to the figure, in month, year to date and rolling 12 months', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, month('2024-12'), yearToDate('2025-01'), rolling12('2025-01')]);
  });
});
