// Care leavers family on a hand-built authority. Every expected number is worked out in the comments from
// the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, reportingYear, rolling12, yearToDate, type Period } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/careLeavers.ts';

// OC3 rows of collection year 2024 (2024-25) unless said; the birthday in 2024-25 and the age reached at it
// (a date of birth in January–March has its 2024-25 birthday in 2025):
//   L1  2004-05-10 → 2024-05-10, 20   YES  F2 (EET)        U1 suitable
//   L2  2005-01-31 → 2025-01-31, 20   YES  G5 (NEET)       S2 not suitable   (birthday on January's last day: counts)
//   L5  2005-04-01 → 2024-04-01, 19   NO   0               0 not known       (birthday on the year's first day)
//   L9  2003-10-10 → 2024-10-10, 21   REFU (nothing recorded for activity or accommodation)
//   L15 2003-11-20 → 2024-11-20, 21   YES  P5 (apprentice) Z1 suitable
//   L4  2006-02-01 → 2025-02-01, 19   YES  G4 (NEET)       V2 not suitable   (from February)
//   L3  2004-03-01 → 2025-03-01, 21   YES  F1 (EET)        U1 suitable       (from March)
//   L7  2004-02-29 → 2025-03-01, 21   YES  F4 (EET)        Z1 suitable       (29 February: 1 March in 2025, so from March)
//   L6  2002-06-01 → 2024-06-01, 22   YES                                   (22: in neither age group, e.g. an Annex A row)
//   L8  2005-06-15 → 2024-06-15, 19   DIED                                  (left out)
//   L11 no date of birth                YES                                 (age unknown: left out)
//   L10 2004-12-01, collection year 2023 → 2023-12-01, 19   YES F2 D1        (2023-24 only)
//   L12 2007-01-15 → 2025-01-15, 18   YES  F4 (EET)        D1, suitability not recorded: by the code's 1 → suitable
//   L13 2007-09-01 → 2024-09-01, 17   YES  G6 (NEET)       B1 suitable
//   L14 2006-04-01 → 2024-04-01, 18   RHOM 0               0
//
// 19–21, January 2025 (rows of 2024-25 with the birthday on or before 2025-01-31): L1, L2, L5, L9, L15 = 5.
//   in touch L1, L2, L15 = 3 of 5 = 60%; EET L1, L15 = 2 of 5 = 40%; suitable L1, L15 = 2 of 5 = 40%.
//   Year to date and rolling 12 months end on the same day: the same 5.
// February 2025 (to 2025-02-28): + L4 = 6; in touch 4 of 6; EET 2 of 6; suitable 2 of 6. L7's 29 February
//   birthday is 1 March in 2025, so not yet.
// March 2025 = the whole 2024-25 return: + L3, L7 = 8; in touch 6 of 8 = 75%; EET L1, L15, L3, L7 = 4 of 8 = 50%;
//   suitable L1, L15, L3, L7 = 4 of 8 = 50%.
// March 2024 (2023-24): L10 → 1 of 1 on each.
// April 2024: L5 only (birthday 1 April) → 0 of 1.
// 17–18, January 2025: L12, L13, L14 = 3; in touch L12, L13 = 2 of 3; EET L12 = 1 of 3; suitable L12, L13 = 2 of 3.
const yes = { in_touch: 'YES' };
const rows = {
  children: [
    { child_id: 'L1', dob: '2004-05-10', sex: 'F' }, { child_id: 'L2', dob: '2005-01-31', sex: 'M' },
    { child_id: 'L3', dob: '2004-03-01' }, { child_id: 'L4', dob: '2006-02-01' }, { child_id: 'L5', dob: '2005-04-01' },
    { child_id: 'L6', dob: '2002-06-01' }, { child_id: 'L7', dob: '2004-02-29' }, { child_id: 'L8', dob: '2005-06-15' },
    { child_id: 'L9', dob: '2003-10-10' }, { child_id: 'L10', dob: '2004-12-01' }, { child_id: 'L11', dob: null },
    { child_id: 'L12', dob: '2007-01-15' }, { child_id: 'L13', dob: '2007-09-01' }, { child_id: 'L14', dob: '2006-04-01' },
    { child_id: 'L15', dob: '2003-11-20' },
  ],
  care_leavers: [
    { child_id: 'L1', collection_year: 2024, ...yes, activity: 'F2', accommodation: 'U1', accommodation_suitable: true },
    { child_id: 'L2', collection_year: 2024, ...yes, activity: 'G5', accommodation: 'S2', accommodation_suitable: false },
    { child_id: 'L5', collection_year: 2024, in_touch: 'NO', activity: '0', accommodation: '0' },
    { child_id: 'L9', collection_year: 2024, in_touch: 'REFU' },
    { child_id: 'L15', collection_year: 2024, ...yes, activity: 'P5', accommodation: 'Z1', accommodation_suitable: true },
    { child_id: 'L4', collection_year: 2024, ...yes, activity: 'G4', accommodation: 'V2', accommodation_suitable: false },
    { child_id: 'L3', collection_year: 2024, ...yes, activity: 'F1', accommodation: 'U1', accommodation_suitable: true },
    { child_id: 'L7', collection_year: 2024, ...yes, activity: 'F4', accommodation: 'Z1', accommodation_suitable: true },
    { child_id: 'L6', collection_year: 2024, ...yes, activity: 'F2', accommodation: 'U1', accommodation_suitable: true },
    { child_id: 'L8', collection_year: 2024, in_touch: 'DIED', activity: '0', accommodation: '0' },
    { child_id: 'L11', collection_year: 2024, ...yes, activity: 'F2', accommodation: 'U1', accommodation_suitable: true },
    { child_id: 'L10', collection_year: 2023, ...yes, activity: 'F2', accommodation: 'D1', accommodation_suitable: true },
    { child_id: 'L12', collection_year: 2024, ...yes, activity: 'F4', accommodation: 'D1', accommodation_suitable: null },
    { child_id: 'L13', collection_year: 2024, ...yes, activity: 'G6', accommodation: 'B1', accommodation_suitable: true },
    { child_id: 'L14', collection_year: 2024, in_touch: 'RHOM', activity: '0', accommodation: '0' },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (id: string, p: Period = jan): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const kids = (list: { child_id: string | null }[]): string[] => list.map((r) => r.child_id ?? '').sort();

describe('care leavers family', () => {
  it('19–21 in touch: the reporting year so far, by the birthday in the year', async () => {
    expect(await one('care_leavers.in_touch_19_21')).toMatchObject({ numerator: 3, denominator: 5, value: 60 });
    const list = await f.engine.rows('care_leavers.in_touch_19_21', jan);
    expect(kids(list)).toEqual(['L1', 'L15', 'L2', 'L5', 'L9']); // not L6 (22), L8 (died), L11 (no birth date), L10 (2023-24)
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['L1', 'L15', 'L2']);
    expect(list.find((r) => r.child_id === 'L2')).toMatchObject({ birthday: '2025-01-31', age: 20, at_date: '2025-01-31' });
    // the period's start does not matter: year to date and rolling 12 months end on the same day
    expect(await one('care_leavers.in_touch_19_21', yearToDate('2025-01'))).toMatchObject({ numerator: 3, denominator: 5 });
    expect(await one('care_leavers.in_touch_19_21', rolling12('2025-01'))).toMatchObject({ numerator: 3, denominator: 5 });
  });

  it('a 29 February birthday falls on 1 March; March shows the whole return', async () => {
    expect(await one('care_leavers.in_touch_19_21', month('2025-02'))).toMatchObject({ numerator: 4, denominator: 6 });
    const feb = await f.engine.rows('care_leavers.in_touch_19_21', month('2025-02'));
    expect(kids(feb)).not.toContain('L7');
    expect(await one('care_leavers.in_touch_19_21', month('2025-03'))).toMatchObject({ numerator: 6, denominator: 8, value: 75 });
    expect(await one('care_leavers.in_touch_19_21', reportingYear(2024))).toMatchObject({ numerator: 6, denominator: 8 });
    const mar = await f.engine.rows('care_leavers.in_touch_19_21', month('2025-03'));
    expect(mar.find((r) => r.child_id === 'L7')).toMatchObject({ birthday: '2025-03-01', age: 21 });
    // the year before is its own return; the first month of a year holds only that month's birthdays
    expect(await one('care_leavers.in_touch_19_21', month('2024-03'))).toMatchObject({ numerator: 1, denominator: 1 });
    expect(await one('care_leavers.in_touch_19_21', month('2024-04'))).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
  });

  it('19–21 in education, employment or training (apprenticeships count; not known counts as not)', async () => {
    expect(await one('care_leavers.eet_19_21')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    const list = await f.engine.rows('care_leavers.eet_19_21', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['L1', 'L15']);
    expect(await one('care_leavers.eet_19_21', month('2025-02'))).toMatchObject({ numerator: 2, denominator: 6 });
    expect(await one('care_leavers.eet_19_21', month('2025-03'))).toMatchObject({ numerator: 4, denominator: 8, value: 50 });
  });

  it('19–21 in suitable accommodation (not known counts as not)', async () => {
    expect(await one('care_leavers.suitable_accommodation_19_21')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    const list = await f.engine.rows('care_leavers.suitable_accommodation_19_21', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['L1', 'L15']);
    expect(list.find((r) => r.child_id === 'L2')).toMatchObject({ in_numerator: false, accommodation: 'S2' });
    expect(await one('care_leavers.suitable_accommodation_19_21', month('2025-03'))).toMatchObject({ numerator: 4, denominator: 8, value: 50 });
  });

  it('17–18: in touch, EET, and suitable accommodation read from the code when the flag is missing', async () => {
    expect(await one('care_leavers.in_touch_17_18')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(kids(await f.engine.rows('care_leavers.in_touch_17_18', jan))).toEqual(['L12', 'L13', 'L14']);
    expect(await one('care_leavers.eet_17_18')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(await one('care_leavers.suitable_accommodation_17_18')).toMatchObject({ numerator: 2, denominator: 3 });
    const list = await f.engine.rows('care_leavers.suitable_accommodation_17_18', jan);
    expect(kids(list.filter((r) => r.in_numerator))).toEqual(['L12', 'L13']);
  });

  it('a year with no return has no percentage', async () => {
    expect(await one('care_leavers.in_touch_19_21', month('2022-01'))).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('breaks down by sex from the child', async () => {
    const bySex = await f.engine.compute('care_leavers.in_touch_19_21', [jan], { breakdown: 'sex' });
    // L1 female in touch; L2 male in touch; L5, L9, L15 unknown sex: L15 in touch
    expect(bySex.map((x) => [x.group, x.numerator, x.denominator])).toEqual([['Female', 1, 1], ['Male', 1, 1], ['Unknown', 1, 3]]);
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, month('2025-02'), month('2025-03'), month('2024-03'), yearToDate('2025-01')]);
  });
});
