// Care proceedings family on a hand-built authority. Every expected number is worked out in the comments
// from the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, rolling12, yearToDate, type Period } from '../../src/periods.ts';
import { Engine, type Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/careProceedings.ts';

// Periods: January 2025 = 2025-01-01..31; year to date = 2024-04-01..2025-01-31; rolling 12 months =
// 2024-02-01..2025-01-31.
//
// "Within 26 weeks" = within the 26 weeks beginning with the day of issue, so the last day inside is the
// issue date + 181 days; 182 days (26 weeks to the day) is late.
//
// Proceedings (issued → final order, days between):
//   A  2024-07-22 → 2025-01-19: Jul 22→Aug 22 31, →Sep 22 62, →Oct 22 92, →Nov 22 123, →Dec 22 153,
//      →Jan 19 181 days → within 26 weeks (the last day inside them)
//   B  2024-07-21 → 2025-01-19: 182 days (exactly 26 weeks) → late
//   C  2024-01-10 → 2025-01-31 (the period's last day): 2024-01-10→2025-01-10 = 366 (29 February 2024),
//      + 21 = 387 days → late
//   D  2025-01-01 (the period's first day) → not concluded
//   E  2025-01-15 → 2025-01-10: final order before issue, a recording error → issued, but not counted as concluded
//   A  2025-01-20 → not concluded: A's second proceedings (one record each)
//   G  2025-01-31 → not concluded
//   F  2024-12-31 → 2025-02-01: issued the day before January and concluded the day after → in neither
//   H  2024-03-01 → 2024-05-15: Mar 31 + Apr 30 + 14 = 75 days → within; issued in the rolling 12 months but
//      before the year to date; concluded in both
//
// January: issued D, E, A (2nd), G = 4. Concluded A, B, C = 3; within 26 weeks A → 1 of 3 = 33.3%.
//   Average weeks (181 + 182 + 387) / 7 / 3 = 750 / 21 = 35.714…; numerator 750/7 = 107.142…, denominator 3.
// Year to date: issued A (Jul 22), B (Jul 21), F (Dec 31) + January's 4 = 7 (C issued 2024-01-10, H 2024-03-01:
//   both before April). Concluded A, B, C, H = 4; within A, H → 2 of 4 = 50%.
//   Average (181 + 182 + 387 + 75) / 7 / 4 = 825 / 28 = 29.464… weeks.
// Rolling 12: issued 7 + H = 8; concluded as the year to date (H concluded in May).
// With a local standard of 56 weeks (392 days): A, B, C (387 < 392) all within → 3 of 3 in January.
const rows = {
  children: [
    { child_id: 'A', sex: 'M', dob: '2020-01-01' }, { child_id: 'B', sex: 'F', dob: '2019-05-05' },
    { child_id: 'C', sex: 'F', dob: '2015-03-03' }, { child_id: 'D', sex: 'M', dob: '2024-11-30' },
  ],
  care_proceedings: [
    { child_id: 'A', issued_date: '2024-07-22', final_order_date: '2025-01-19', order_type: 'care_order' },
    { child_id: 'B', issued_date: '2024-07-21', final_order_date: '2025-01-19', order_type: 'special_guardianship_order' },
    { child_id: 'C', issued_date: '2024-01-10', final_order_date: '2025-01-31', order_type: 'placement_order' },
    { child_id: 'D', issued_date: '2025-01-01' },
    { child_id: 'E', issued_date: '2025-01-15', final_order_date: '2025-01-10', order_type: 'no_order' },
    { child_id: 'A', issued_date: '2025-01-20' },
    { child_id: 'G', issued_date: '2025-01-31' },
    { child_id: 'F', issued_date: '2024-12-31', final_order_date: '2025-02-01', order_type: 'supervision_order' },
    { child_id: 'H', issued_date: '2024-03-01', final_order_date: '2024-05-15', order_type: 'care_order' },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const ytd = yearToDate('2025-01');
const r12 = rolling12('2025-01');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const kids = (list: { child_id: string | null }[]): string[] => list.map((r) => r.child_id ?? '').sort();

describe('care proceedings family', () => {
  it('issued: applications dated in the period, the first and last day included, one per record', async () => {
    expect(await one('care_proceedings.issued')).toMatchObject({ numerator: 4, value: 4 });
    const list = await f.engine.rows('care_proceedings.issued', jan);
    expect(list.map((r) => `${r.child_id} ${r.issued_date}`).sort())
      .toEqual(['A 2025-01-20', 'D 2025-01-01', 'E 2025-01-15', 'G 2025-01-31']);
    expect((await one('care_proceedings.issued', ytd)).value).toBe(7);
    expect((await one('care_proceedings.issued', r12)).value).toBe(8);
    expect((await one('care_proceedings.issued', month('2024-12'))).value).toBe(1); // F on the 31st
  });

  it('within 26 weeks: 181 days is inside, 182 days (26 weeks to the day) is not', async () => {
    expect(await one('care_proceedings.within_26_weeks')).toMatchObject({ numerator: 1, denominator: 3 });
    expect((await one('care_proceedings.within_26_weeks')).value).toBeCloseTo(100 / 3, 10);
    const list = await f.engine.rows('care_proceedings.within_26_weeks', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['A']);
    expect(kids(list.filter((r) => r.in_denominator))).toEqual(['A', 'B', 'C']); // E's order before issue is left out
    expect(list.find((r) => r.child_id === 'A')).toMatchObject({ days_taken: 181, issued_date: '2024-07-22', final_order_date: '2025-01-19' });
    expect(list.find((r) => r.child_id === 'B')).toMatchObject({ days_taken: 182, weeks_taken: 26 });
    expect(list.find((r) => r.child_id === 'C')).toMatchObject({ days_taken: 387, weeks_taken: 55.3 });
    expect(await one('care_proceedings.within_26_weeks', ytd)).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect(await one('care_proceedings.within_26_weeks', r12)).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
  });

  it('within N weeks follows the authority\'s setting', async () => {
    const local = new Engine(f.store, { proceedingsWeeks: 56 });
    expect((await local.compute('care_proceedings.within_26_weeks', [jan]))[0]).toMatchObject({ numerator: 3, denominator: 3, value: 100 });
  });

  it('average weeks from issue to final order, for proceedings concluded in the period', async () => {
    const fig = await one('care_proceedings.average_weeks');
    expect(fig.denominator).toBe(3);
    expect(fig.numerator).toBeCloseTo(750 / 7, 10);
    expect(fig.value).toBeCloseTo(750 / 21, 10); // 35.71 weeks
    const y = await one('care_proceedings.average_weeks', ytd);
    expect(y.denominator).toBe(4);
    expect(y.value).toBeCloseTo(825 / 28, 10); // 29.46 weeks
    const list = await f.engine.rows('care_proceedings.average_weeks', jan);
    expect(list.find((r) => r.child_id === 'C')!.value).toBeCloseTo(387 / 7, 10);
  });

  it('a period with nothing concluded has no percentage or average, and a count of 0', async () => {
    expect(await one('care_proceedings.within_26_weeks', month('2024-10'))).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(await one('care_proceedings.average_weeks', month('2024-10'))).toMatchObject({ value: null });
    expect(await one('care_proceedings.issued', month('2024-10'))).toMatchObject({ value: 0 });
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, ytd, r12, month('2024-12'), month('2024-05')]);
  });
});
