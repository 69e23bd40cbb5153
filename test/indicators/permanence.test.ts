// Permanence family on a hand-built authority. Every expected number is worked out in the comments from
// the rows below. Episodes are written child, start (DECOM), end (DEC), RNE, legal status, placement, reason ceased.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, reportingYear, rolling12, yearToDate, type Period } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/permanence.ts';

function ep(child_id: string, decom: string, dec: string | null, rne: string, legal_status: string, placement_type: string, reason_ceased: string | null = null) {
  return { child_id, decom, dec, rne, legal_status, placement_type, reason_ceased: reason_ceased ?? (dec === null ? null : 'X1') };
}

// Adopted children (A1 = entering care → moving in; A10 = A1, but to moving in with the foster carers who
// adopted; A2 = placement order → match):
//   P1  2021-06-01 S C2 U6 → 2022-01-10 L E1 U6 (placement order) → 2022-09-01 P E1 A6 → adopted (E11) 2023-05-01.
//       Matched 2022-07-15. A1 = 2021-06-01→2022-06-01 365 + Jun 30 + Jul 31 + Aug 31 = 457; A10 = 457;
//       A2 = 2022-01-10→2022-07-15: 31+28+31+30+31+30 (to Jul 10) + 5 = 186.
//   P2  adopted by foster carers, the same carers throughout (RNE L, then B):
//       2022-02-01 S V2 U6 → 2022-03-01 P V2 U4 (moves in with the carers) → 2022-06-01 L E1 U4 (placement order)
//       → 2022-10-01 B E1 A5 → adopted (E12) 2023-06-15. Matched 2022-09-01; FOSTER_CARE = 1.
//       A1 = 2022-02-01→2022-10-01 = 28+31+30+31+30+31+31+30 = 242; A10 = 2022-02-01→2022-03-01 = 28;
//       A2 = 2022-06-01→2022-09-01 = 30+31+31 = 92.
//   P3  2021-01-05 P E1 A6 → adopted 2022-08-01: the first episode held is not a start of care (its period of
//       care began before the returns loaded): entering care unknown → not in A1 or A10. Its E1 episode is a
//       change of placement (RNE P), not the placement order; the adoption record's placement order 2020-09-01
//       → matched 2020-12-01 = 30+31+30 = 91 → in A2.
//   P4  2023-01-10 S V2 U6 → adopted 2023-11-30, no adoption placement in the episodes; the adoption record
//       (Annex A) has placed 2023-06-01, matched 2023-05-01, no placement order (consent).
//       A1 = A10 = 2023-01-10→2023-06-01 = 31+28+31+30 (to May 10) + 22 = 142; not in A2 (no placement order).
//   P5  a disrupted placement: 2021-09-01 S C2 U6 → 2022-01-01 T E1 A6 (family X) → 2022-04-01 P E1 U6 →
//       2022-11-01 P E1 A6 (family Y) → adopted 2024-02-29. Matched 2022-10-01.
//       A1 = A10 = to family Y: 2021-09-01→2022-09-01 365 + 30 + 31 = 426; A2 = 2022-01-01→2022-10-01 = 273.
//   P6  two periods of care: 2020-05-01 S V2 U6 → home 2020-08-01 (E4A); 2021-03-01 S C2 U6 → 2021-10-01 L E1 U6
//       → 2022-05-11 P E1 A6 → adopted 2024-12-15. No adoption record (no match date) → not in A2.
//       A1 = A10 = from the second period of care: 2021-03-01→2022-03-01 365 + 31 + 30 + 10 = 436.
//   P7  2021-04-01 S C2 U6 → 2021-10-01 T E1 A6 → adopted 2022-03-31. Matched 2021-09-01, before the placement
//       order: a recording error → not in A2. A1 = A10 = 30+31+30+31+31+30 = 183.
//   P8  adopted by foster carers recorded only by the placement (A5 "with current foster carers", RNE P as some
//       systems record it; FOSTER_CARE not recorded): 2023-01-01 S C2 U6 → 2023-04-01 P C2 U4 (moves in with the
//       carers) → 2023-07-01 L E1 U4 → 2023-12-01 P E1 A5 → adopted 2024-06-30. Matched 2023-11-01.
//       A1 = 2023-01-01→2023-12-01 = 334; A10 = 2023-01-01→2023-04-01 = 31+28+31 = 90; A2 = 2023-07-01→2023-11-01 = 123.
//
// 3 years to 2025-03-31 (from 2022-04-01; P7, adopted 2022-03-31, is a day outside):
//   A1  P1 457 + P2 242 + P4 142 + P5 426 + P6 436 + P8 334 = 2037 over 6 = 339.5
//   A10 P1 457 + P2 28 + P4 142 + P5 426 + P6 436 + P8 90 = 1579 over 6 = 263.17
//   A2  P1 186 + P2 92 + P3 91 + P5 273 + P8 123 = 765 over 5 = 153
// 3 years to 2025-02-28 (from 2022-03-01): + P7 → A1 2220 over 7; A10 1762 over 7; A2 unchanged 765 over 5.
// 3 years to 2023-05-31 (from 2020-06-01): P1, P3, P7 → A1 (P3 unknown) 457 + 183 = 640 over 2 = 320;
//   A2 (P7 error) 186 + 91 = 277 over 2 = 138.5.
//
// Adopted in 2023-24 (2023-04-01..2024-03-31): P1, P2, P4, P5 = 4; February 2024: P5 on the 29th = 1.
// Special guardianship, February 2024: S1 E45 on 29 February, S2 E43 (the old code) on the 10th = 2; S3 E41
//   (child arrangements order) is not one.
//
// Placement order, not placed, at the period end:
//   Q1  2024-06-01 S C2 U6 → 2024-09-01 L E1 U6, open; decision 2024-08-01, matched 2025-01-20 → counted;
//       days since the order at 2025-01-31: 30+31+30+31+30 = 152.
//   Q2  2024-07-01 L E1 U6 ending 2025-01-31, then A6 from 2025-01-31: placed on January's last day → not at
//       2025-01-31; counted at 2024-12-31.
//   Q3  E1 in an A5 placement → placed, never counted.
//   Q4  E1 from 2025-02-01 → not yet at 2025-01-31.
//   Q5  one episode held, 2023-01-01 P E1 U4, open: the order is the adoption record's 2022-11-01 → counted.
//   R1  2024-06-01 L E1 U6, open (decision reversed in January, order not yet revoked) → counted.
//   R4  2024-03-01 S E1 U6, home 2025-01-15 → counted at 2024-12-31 only.
//   At 2025-01-31: Q1, Q5, R1 = 3. At 2024-12-31: Q1, Q2, Q5, R1, R4 = 5.
// Adoption decisions reversed, for children with a placement order:
//   R1  SSDA903 placed for adoption: decided 2024-05-01, reversed 2025-01-10 (RD1), joined to its AD1 row of the
//       same decision; E1 from 2024-06-01 → counted in January.
//   R2  decided 2024-10-01, reversed 2025-01-31 (RD2: the court made no placement order), never E1 → not counted.
//   R3  Annex A only: decided 2024-01-15, placement order 2024-04-01, reversed 2025-01-05 → counted in January.
//   R4  decided 2024-02-01, reversed 2024-12-31, E1 2024-03-01..2025-01-15 → December.
//   January: R1, R3 = 2. December: R4 = 1.
const rows = {
  children: [
    { child_id: 'P1', dob: '2020-03-01', sex: 'F' }, { child_id: 'P2', dob: '2021-12-01', sex: 'M' },
  ],
  lac_episodes: [
    ep('P1', '2021-06-01', '2022-01-10', 'S', 'C2', 'U6'), ep('P1', '2022-01-10', '2022-09-01', 'L', 'E1', 'U6'),
    ep('P1', '2022-09-01', '2023-05-01', 'P', 'E1', 'A6', 'E11'),
    ep('P2', '2022-02-01', '2022-03-01', 'S', 'V2', 'U6'), ep('P2', '2022-03-01', '2022-06-01', 'P', 'V2', 'U4'),
    ep('P2', '2022-06-01', '2022-10-01', 'L', 'E1', 'U4'), ep('P2', '2022-10-01', '2023-06-15', 'B', 'E1', 'A5', 'E12'),
    ep('P3', '2021-01-05', '2022-08-01', 'P', 'E1', 'A6', 'E11'),
    ep('P4', '2023-01-10', '2023-11-30', 'S', 'V2', 'U6', 'E11'),
    ep('P5', '2021-09-01', '2022-01-01', 'S', 'C2', 'U6'), ep('P5', '2022-01-01', '2022-04-01', 'T', 'E1', 'A6'),
    ep('P5', '2022-04-01', '2022-11-01', 'P', 'E1', 'U6'), ep('P5', '2022-11-01', '2024-02-29', 'P', 'E1', 'A6', 'E11'),
    ep('P6', '2020-05-01', '2020-08-01', 'S', 'V2', 'U6', 'E4A'), ep('P6', '2021-03-01', '2021-10-01', 'S', 'C2', 'U6'),
    ep('P6', '2021-10-01', '2022-05-11', 'L', 'E1', 'U6'), ep('P6', '2022-05-11', '2024-12-15', 'P', 'E1', 'A6', 'E11'),
    ep('P7', '2021-04-01', '2021-10-01', 'S', 'C2', 'U6'), ep('P7', '2021-10-01', '2022-03-31', 'T', 'E1', 'A6', 'E11'),
    ep('P8', '2023-01-01', '2023-04-01', 'S', 'C2', 'U6'), ep('P8', '2023-04-01', '2023-07-01', 'P', 'C2', 'U4'),
    ep('P8', '2023-07-01', '2023-12-01', 'L', 'E1', 'U4'), ep('P8', '2023-12-01', '2024-06-30', 'P', 'E1', 'A5', 'E11'),
    ep('S1', '2023-01-01', '2024-02-29', 'S', 'C2', 'U4', 'E45'),
    ep('S2', '2023-05-01', '2024-02-10', 'S', 'C2', 'U1', 'E43'),
    ep('S3', '2023-05-01', '2024-02-15', 'S', 'C2', 'U1', 'E41'),
    ep('Q1', '2024-06-01', '2024-09-01', 'S', 'C2', 'U6'), ep('Q1', '2024-09-01', null, 'L', 'E1', 'U6'),
    ep('Q2', '2024-03-01', '2024-07-01', 'S', 'C2', 'U6'), ep('Q2', '2024-07-01', '2025-01-31', 'L', 'E1', 'U6'),
    ep('Q2', '2025-01-31', null, 'P', 'E1', 'A6'),
    ep('Q3', '2024-05-01', null, 'S', 'E1', 'A5'),
    ep('Q4', '2025-02-01', null, 'S', 'E1', 'U6'),
    ep('Q5', '2023-01-01', null, 'P', 'E1', 'U4'),
    ep('R1', '2024-02-01', '2024-06-01', 'S', 'C2', 'U6'), ep('R1', '2024-06-01', null, 'L', 'E1', 'U6'),
    ep('R4', '2024-03-01', '2025-01-15', 'S', 'E1', 'U6', 'E4A'),
  ],
  adoptions: [
    { child_id: 'P1', decision_date: '2021-11-01', matched_date: '2022-07-15', foster_care: false },
    { child_id: 'P2', decision_date: '2022-04-01', matched_date: '2022-09-01', foster_care: true },
    { child_id: 'P3', decision_date: '2020-06-01', placement_order_date: '2020-09-01', matched_date: '2020-12-01', foster_care: false },
    { child_id: 'P4', decision_date: '2023-03-01', matched_date: '2023-05-01', placed_date: '2023-06-01', foster_care: false },
    { child_id: 'P5', decision_date: '2021-12-01', matched_date: '2022-10-01', foster_care: false },
    { child_id: 'P7', decision_date: '2021-08-01', matched_date: '2021-09-01', foster_care: false },
    { child_id: 'P8', decision_date: '2023-05-01', matched_date: '2023-11-01' },
    { child_id: 'Q1', decision_date: '2024-08-01', matched_date: '2025-01-20' },
    { child_id: 'Q5', decision_date: '2022-10-01', placement_order_date: '2022-11-01' },
    { child_id: 'R1', decision_date: '2024-05-01' },
    { child_id: 'R3', decision_date: '2024-01-15', placement_order_date: '2024-04-01', decision_reversed_date: '2025-01-05', reason_reversed: 'RD3' },
  ],
  placed_for_adoption: [
    { child_id: 'R1', date_placed: '2024-05-01', date_placed_ceased: '2025-01-10', reason_placed_ceased: 'RD1' },
    { child_id: 'R2', date_placed: '2024-10-01', date_placed_ceased: '2025-01-31', reason_placed_ceased: 'RD2' },
    { child_id: 'R4', date_placed: '2024-02-01', date_placed_ceased: '2024-12-31', reason_placed_ceased: 'RD4' },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const mar = month('2025-03');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const kids = (list: { child_id: string | null }[]): string[] => list.map((r) => r.child_id ?? '').sort();
const byChild = (list: { child_id: string | null; value: number }[]): Record<string, number> =>
  Object.fromEntries(list.map((r) => [r.child_id, r.value]));

describe('permanence family', () => {
  it('adoptions: children whose care ended in adoption (E11, E12), a 29 February adoption in February', async () => {
    expect(await one('permanence.adoptions', reportingYear(2023))).toMatchObject({ numerator: 4, value: 4 });
    expect(kids(await f.engine.rows('permanence.adoptions', reportingYear(2023)))).toEqual(['P1', 'P2', 'P4', 'P5']);
    expect(await one('permanence.adoptions', month('2024-02'))).toMatchObject({ value: 1 });
    const feb = await f.engine.rows('permanence.adoptions', month('2024-02'));
    expect(feb[0]).toMatchObject({ child_id: 'P5', ceased_date: '2024-02-29', reason_ceased: 'E11' });
  });

  it('special guardianship orders: E43–E48, not a child arrangements order', async () => {
    expect(await one('permanence.special_guardianship_orders', month('2024-02'))).toMatchObject({ value: 2 });
    expect(kids(await f.engine.rows('permanence.special_guardianship_orders', month('2024-02')))).toEqual(['S1', 'S2']);
  });

  it('A1: entering care to moving in, 3 years to the period end, unknown entry dates left out', async () => {
    const fig = await one('permanence.a1_days_to_adoptive_family', mar);
    expect(fig).toMatchObject({ numerator: 2037, denominator: 6 });
    expect(fig.value).toBeCloseTo(339.5, 10);
    const list = await f.engine.rows('permanence.a1_days_to_adoptive_family', mar);
    expect(byChild(list)).toEqual({ P1: 457, P2: 242, P4: 142, P5: 426, P6: 436, P8: 334 });
    expect(list.find((r) => r.child_id === 'P6')).toMatchObject({ entered_care: '2021-03-01', moved_in: '2022-05-11' });
    expect(list.find((r) => r.child_id === 'P5')!.moved_in).toBe('2022-11-01'); // the family that adopted, not the disrupted one
    expect(list.find((r) => r.child_id === 'P4')!.moved_in).toBe('2023-06-01'); // from the adoption record
    // a month, its year to date and its rolling 12 months all show the 3 years to the month's end
    const feb = await one('permanence.a1_days_to_adoptive_family', month('2025-02'));
    expect(feb).toMatchObject({ numerator: 2220, denominator: 7 }); // + P7, adopted 2022-03-31
    expect(await one('permanence.a1_days_to_adoptive_family', yearToDate('2025-02'))).toEqual({ ...feb, period: '2025-02 YTD', kind: 'ytd', start: '2024-04-01' });
    expect(await one('permanence.a1_days_to_adoptive_family', rolling12('2025-02'))).toMatchObject({ numerator: 2220, denominator: 7 });
    expect(await one('permanence.a1_days_to_adoptive_family', month('2023-05'))).toMatchObject({ numerator: 640, denominator: 2, value: 320 });
  });

  it('A10: foster carer adoptions stop the clock when the child moved in with the carers', async () => {
    const fig = await one('permanence.a10_days_adjusted_for_foster_carers', mar);
    expect(fig).toMatchObject({ numerator: 1579, denominator: 6 });
    const list = await f.engine.rows('permanence.a10_days_adjusted_for_foster_carers', mar);
    expect(byChild(list)).toEqual({ P1: 457, P2: 28, P4: 142, P5: 426, P6: 436, P8: 90 });
    expect(list.find((r) => r.child_id === 'P2')).toMatchObject({ foster_carer_adoption: true, moved_in: '2022-10-01', moved_in_adjusted: '2022-03-01' });
    expect(list.find((r) => r.child_id === 'P8')).toMatchObject({ foster_carer_adoption: true, moved_in_adjusted: '2023-04-01' });
    expect(await one('permanence.a10_days_adjusted_for_foster_carers', month('2025-02'))).toMatchObject({ numerator: 1762, denominator: 7 });
  });

  it('A2: placement order to match, children adopted with a placement order and a match', async () => {
    expect(await one('permanence.a2_days_placement_order_to_match', mar)).toMatchObject({ numerator: 765, denominator: 5, value: 153 });
    const list = await f.engine.rows('permanence.a2_days_placement_order_to_match', mar);
    expect(byChild(list)).toEqual({ P1: 186, P2: 92, P3: 91, P5: 273, P8: 123 });
    expect(list.find((r) => r.child_id === 'P3')!.placement_order_date).toBe('2020-09-01');
    expect(list.find((r) => r.child_id === 'P5')!.placement_order_date).toBe('2022-01-01');
    expect(await one('permanence.a2_days_placement_order_to_match', month('2025-02'))).toMatchObject({ numerator: 765, denominator: 5 });
    expect(await one('permanence.a2_days_placement_order_to_match', month('2023-05'))).toMatchObject({ numerator: 277, denominator: 2, value: 138.5 });
  });

  it('placement orders not placed: a snapshot at the period end; placed on the last day is placed', async () => {
    expect(await one('permanence.placement_orders_not_placed')).toMatchObject({ value: 3 });
    const list = await f.engine.rows('permanence.placement_orders_not_placed', jan);
    expect(kids(list)).toEqual(['Q1', 'Q5', 'R1']);
    expect(list.find((r) => r.child_id === 'Q1')).toMatchObject({
      placement_order_date: '2024-09-01', matched_date: '2025-01-20', decision_date: '2024-08-01', days_since_order: 152, at_date: '2025-01-31',
    });
    expect(list.find((r) => r.child_id === 'Q5')!.placement_order_date).toBe('2022-11-01');
    expect(await one('permanence.placement_orders_not_placed', month('2024-12'))).toMatchObject({ value: 5 });
    expect(kids(await f.engine.rows('permanence.placement_orders_not_placed', month('2024-12')))).toEqual(['Q1', 'Q2', 'Q5', 'R1', 'R4']);
    const dec = await f.engine.rows('permanence.placement_orders_not_placed', month('2024-12'));
    expect(dec.find((r) => r.child_id === 'Q1')!.matched_date).toBeNull(); // matched after the snapshot
  });

  it('adoption decisions reversed: only children with a placement order; SSDA903 and Annex A rows joined', async () => {
    expect(await one('permanence.adoption_decisions_reversed')).toMatchObject({ value: 2 });
    const list = await f.engine.rows('permanence.adoption_decisions_reversed', jan);
    expect(kids(list)).toEqual(['R1', 'R3']);
    expect(list.find((r) => r.child_id === 'R1')).toMatchObject({ decision_date: '2024-05-01', reversed_date: '2025-01-10', reason_reversed: 'RD1', placement_order_date: '2024-06-01' });
    expect(list.find((r) => r.child_id === 'R3')).toMatchObject({ placement_order_date: '2024-04-01', reversed_date: '2025-01-05' });
    expect(await one('permanence.adoption_decisions_reversed', month('2024-12'))).toMatchObject({ value: 1 });
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, mar, month('2024-12'), month('2024-02'), month('2023-05'), reportingYear(2023), rolling12('2025-01')]);
  });
});
