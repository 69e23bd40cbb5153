// Children in care family on a hand-built authority. Every expected number is worked out in the comments
// from the rows below; the snapshot month is January 2025 (period end E = 2025-01-31) unless a test says
// otherwise. Working days exclude weekends and bank holidays (25, 26 Dec 2024, 1 Jan 2025; Good Friday
// 29 March and Easter Monday 1 April 2024).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture , expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, rolling12, type Period } from '../../src/periods.ts';
import { Engine, type Figure } from '../../src/engine.ts';
import { INDICATORS, PLACEMENT_GROUP_SQL } from '../../src/indicators/childrenInCare.ts';
import { PLACEMENT_PROVIDER, PLACEMENT_TYPE, placementGroup } from '../../src/codes.ts';

// The children (age at E in brackets) and their episodes (decom → dec, RNE, legal status, placement, provider):
// A (12) 2021-06-01 → 2022-03-01 S C1 U6 PR1; 2022-03-01 → open L C2 U6 PR1. One period of care (the second
//        episode starts the day the first ends), one placement (a change of legal status only) since 2021-06-01.
// B (turns 16 on E, born 2009-01-31) 2020-01-10 → open S V2 K2 PR4.
// C (9) 2024-02-29 → 2024-03-01 S C1 U3 PR1; 2024-03-01 → 2024-06-01 P C1 U6 PR4; 2024-06-01 → 2024-09-15 L C2 U6 PR4;
//        2024-09-15 → open P C2 U6 PR1. Placements: from 2024-02-29, 2024-03-01 (two episodes), 2024-09-15.
// D (0) 2025-01-02 → open S V2 U6 PR5.
// E (14) 2023-05-01 → 2025-01-10 S C1 K2 PR4, ceased E4A.
// F (16) 2024-11-01 → 2025-01-05 S V2 U6 PR1, ceased E13; back a day later: 2025-01-06 → open S V2 H5 PR4.
// G (13) 2025-01-03 → 2025-01-08 S L1 U6 PR1, ceased E4B; 2025-01-20 → open S C1 R1 PR4.
// H (9) short breaks only: 2024-12-01 → 2024-12-03 V3; 2025-01-10 → 2025-01-12 V4; 2025-01-30 → open V4.
// I (8) 2024-10-01 → 2025-01-31 S C1 U4 PR1, ceased E41: ends on E, so not looked after at E.
// J (11) 2025-01-31 → open S V2 K2 PR1: starts on E, so looked after at E.
// K (5, born 2020-01-01) 2022-01-15 → 2023-06-01 S C1 U6 PR1; 2023-06-01 → 2024-09-01 L E1 U6 PR1;
//        2024-09-01 → open P E1 A6 PR1 (placed for adoption).
// L (10) 2022-06-01 → 2023-03-01 S C1 U6 PR1; 2023-03-01 → open P C2 U4 PR4.
// M (born 2012) 2019-01-01 → 2020-02-29 S C1 U6 PR1; 2020-02-29 → 2023-01-01 P C2 U4 PR1, ceased E17.
// N (6) 2024-12-16 → open S V2 U6 PR1.
//
// Looked after at E: A B C D F G J K L N = 10 (E ceased, H short breaks only, I ended on E, M long gone).
// At 2024-12-31: A B C E F I K L N = 9.
const ep = (child_id: string, decom: string, dec: string | null, rne: string, legal_status: string,
  placement_type: string, placement_provider: string, reason_ceased: string | null = dec ? 'X1' : null) =>
  ({ child_id, decom, dec, rne, legal_status, placement_type, placement_provider, reason_ceased, category_of_need: 'N1' });

const rows = {
  children: [
    { child_id: 'A', dob: '2012-05-10', sex: 'F' }, { child_id: 'B', dob: '2009-01-31', sex: 'M' },
    { child_id: 'C', dob: '2015-03-01', sex: 'F' }, { child_id: 'D', dob: '2024-10-01', sex: 'M' },
    { child_id: 'E', dob: '2010-06-15', sex: 'M' }, { child_id: 'F', dob: '2008-03-15', sex: 'F' },
    { child_id: 'G', dob: '2011-07-01', sex: 'M' }, { child_id: 'H', dob: '2015-05-05', sex: 'F' },
    { child_id: 'I', dob: '2016-09-09', sex: 'M' }, { child_id: 'J', dob: '2013-02-01', sex: 'F' },
    { child_id: 'K', dob: '2020-01-01', sex: 'M' }, { child_id: 'L', dob: '2014-04-04', sex: 'F' },
    { child_id: 'M', dob: '2012-01-01', sex: 'M' }, { child_id: 'N', dob: '2018-05-05', sex: 'M' },
  ],
  lac_episodes: [
    ep('A', '2021-06-01', '2022-03-01', 'S', 'C1', 'U6', 'PR1'), ep('A', '2022-03-01', null, 'L', 'C2', 'U6', 'PR1'),
    ep('B', '2020-01-10', null, 'S', 'V2', 'K2', 'PR4'),
    ep('C', '2024-02-29', '2024-03-01', 'S', 'C1', 'U3', 'PR1'), ep('C', '2024-03-01', '2024-06-01', 'P', 'C1', 'U6', 'PR4'),
    ep('C', '2024-06-01', '2024-09-15', 'L', 'C2', 'U6', 'PR4'), ep('C', '2024-09-15', null, 'P', 'C2', 'U6', 'PR1'),
    ep('D', '2025-01-02', null, 'S', 'V2', 'U6', 'PR5'),
    ep('E', '2023-05-01', '2025-01-10', 'S', 'C1', 'K2', 'PR4', 'E4A'),
    ep('F', '2024-11-01', '2025-01-05', 'S', 'V2', 'U6', 'PR1', 'E13'), ep('F', '2025-01-06', null, 'S', 'V2', 'H5', 'PR4'),
    ep('G', '2025-01-03', '2025-01-08', 'S', 'L1', 'U6', 'PR1', 'E4B'), ep('G', '2025-01-20', null, 'S', 'C1', 'R1', 'PR4'),
    ep('H', '2024-12-01', '2024-12-03', 'S', 'V3', 'U6', 'PR1', 'E8'), ep('H', '2025-01-10', '2025-01-12', 'S', 'V4', 'U6', 'PR1', 'E8'),
    ep('H', '2025-01-30', null, 'S', 'V4', 'U6', 'PR1'),
    ep('I', '2024-10-01', '2025-01-31', 'S', 'C1', 'U4', 'PR1', 'E41'),
    ep('J', '2025-01-31', null, 'S', 'V2', 'K2', 'PR1'),
    ep('K', '2022-01-15', '2023-06-01', 'S', 'C1', 'U6', 'PR1'), ep('K', '2023-06-01', '2024-09-01', 'L', 'E1', 'U6', 'PR1'),
    ep('K', '2024-09-01', null, 'P', 'E1', 'A6', 'PR1'),
    ep('L', '2022-06-01', '2023-03-01', 'S', 'C1', 'U6', 'PR1'), ep('L', '2023-03-01', null, 'P', 'C2', 'U4', 'PR4'),
    ep('M', '2019-01-01', '2020-02-29', 'S', 'C1', 'U6', 'PR1'), ep('M', '2020-02-29', '2023-01-01', 'P', 'C2', 'U4', 'PR1', 'E17'),
    ep('N', '2024-12-16', null, 'S', 'V2', 'U6', 'PR1'),
  ],
  lac_reviews: [
    // A: #1 2021-06-25, #2 2021-09-20, #3 2024-08-15, #4 2025-01-20 (due 6 months after #3: 2025-02-15) → in time
    ...['2021-06-25', '2021-09-20', '2024-08-15', '2025-01-20'].map((d) => ({ child_id: 'A', review_date: d })),
    // C: #1 2024-03-28 = 20th working day after 2024-02-29 → in time; #2 2024-06-28 = exactly 3 months after #1 → in time;
    //    #3 2024-12-30, 6 months after #2 is 2024-12-28 → late; #4 2025-01-15, due 2025-06-30 → in time
    ...['2024-03-28', '2024-06-28', '2024-12-30', '2025-01-15'].map((d) => ({ child_id: 'C', review_date: d })),
    // D: #1 2025-01-31 is the 21st working day after 2025-01-02 (due by 2025-01-30) → late
    { child_id: 'D', review_date: '2025-01-31' },
    // E: #5 on 2025-01-10, the day care ended (counted: the period of care's last day), due 2025-02-10 → in time
    ...['2023-05-25', '2023-08-20', '2024-02-15', '2024-08-10', '2025-01-10'].map((d) => ({ child_id: 'E', review_date: d })),
    // H: a review during short breaks only → not counted
    { child_id: 'H', review_date: '2025-01-12' },
  ],
  visits: [
    { child_id: 'A', visit_date: '2024-12-20', visit_type: 'LAC' }, // + 42 days = 2025-01-31 = E → not overdue
    { child_id: 'B', visit_date: '2024-12-01', visit_type: 'LAC' }, // due 2025-01-12 → overdue
    { child_id: 'B', visit_date: '2025-01-20', visit_type: 'CIN' }, // not a looked-after visit
    { child_id: 'C', visit_date: '2025-01-05', visit_type: 'LAC' },
    { child_id: 'F', visit_date: '2024-12-28', visit_type: 'LAC' }, // in F's earlier period of care: does not count
    { child_id: 'G', visit_date: '2025-01-22', visit_type: 'LAC' },
    { child_id: 'K', visit_date: '2025-01-10', visit_type: 'LAC' },
    { child_id: 'L', visit_date: '2024-12-19', visit_type: 'LAC' }, // due 2025-01-30 → a day overdue
    { child_id: 'N', visit_date: '2025-01-25', visit_type: 'LAC' },
  ],
  health_assessments: [
    { child_id: 'A', assessment_date: '2024-03-01', kind: 'review' },
    { child_id: 'A', assessment_date: '2024-01-31', kind: 'dental' }, // 12 months before E begins 2024-02-01 → too old
    { child_id: 'B', assessment_date: '2024-06-01', kind: 'review' },
    { child_id: 'C', assessment_date: '2024-04-02', kind: 'initial' }, // 21 working days after 2024-02-29 (over Easter)
    { child_id: 'D', assessment_date: '2025-01-30', kind: 'initial' }, // the 20th working day after 2025-01-02
    { child_id: 'K', assessment_date: '2024-05-01', kind: 'review' },
    { child_id: 'K', assessment_date: '2024-11-11', kind: 'dental' },
    { child_id: 'L', assessment_date: '2024-01-31', kind: 'review' },
    { child_id: 'L', assessment_date: '2024-02-01', kind: 'dental' }, // exactly the first day of the 12 months
    { child_id: 'N', assessment_date: '2025-01-20', kind: 'initial' }, // 22 working days after 2024-12-16
  ],
  peps: [
    { child_id: 'A', pep_date: '2024-07-31' }, // + 6 months = 2025-01-31 = E → not overdue
    { child_id: 'C', pep_date: '2024-06-15' }, // due 2024-12-15 → overdue
    { child_id: 'K', pep_date: '2024-10-10' },
    { child_id: 'L', pep_date: '2024-07-30' }, // due 2025-01-30 → a day overdue
  ],
  missing_episodes: [
    { child_id: 'B', missing_type: 'M', start_date: '2024-12-31', end_date: '2025-01-02' }, // started in December
    { child_id: 'B', missing_type: 'M', start_date: '2025-01-05', end_date: '2025-01-06' },
    { child_id: 'B', missing_type: 'M', start_date: '2025-01-20', end_date: '2025-01-20' },
    { child_id: 'B', missing_type: 'A', start_date: '2025-01-25', end_date: '2025-01-25' }, // away, not missing
    { child_id: 'F', missing_type: null, start_date: '2025-01-31', end_date: null }, // type not recorded: missing
  ],
  // Mid-2024 estimate in force at E: 10,000 children aged 0–17.
  population: [
    { la_code: '999', year: 2024, age: 5, sex: 'M', count: 5000 },
    { la_code: '999', year: 2024, age: 12, sex: 'F', count: 5000 },
  ],
};

let f: Fixture;
beforeAll(async () => { f = await fixture(rows); });
afterAll(() => f.close());

const jan = month('2025-01');
const one = async (name: string, p: Period = jan, engine?: Engine): Promise<Figure> =>
  (await (engine ?? f.engine).compute(`children_in_care.${name}`, [p]))[0];
const ids = async (name: string, p: Period = jan, which: 'numerator' | 'denominator' | 'all' = 'numerator'): Promise<string[]> =>
  (await f.engine.rows(`children_in_care.${name}`, p))
    .filter((r) => which === 'all' || (which === 'numerator' ? r.in_numerator : r.in_denominator))
    .map((r) => r.child_id ?? '').sort();

describe('children in care: how many', () => {
  it('looked after at the period end: open episodes, each child once, short breaks left out', async () => {
    expect(await one('looked_after')).toMatchObject({ numerator: 10, value: 10 });
    expect(await ids('looked_after')).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'J', 'K', 'L', 'N']);
    // 2024-12-31: A B C E F I K L N (H's V3 short break ended 2024-12-03 and is left out anyway)
    expect(await ids('looked_after', month('2024-12'))).toEqual(['A', 'B', 'C', 'E', 'F', 'I', 'K', 'L', 'N']);
    // a stock ignores the period's start: the year to date ends on E too
    expect((await one('looked_after', yearToDate('2025-01'))).value).toBe(10);
    const rowsJan = await f.engine.rows('children_in_care.looked_after', jan);
    expect(rowsJan.find((r) => r.child_id === 'C')).toMatchObject({ care_started: '2024-02-29', legal_status: 'C2', placement_type: 'U6', at_date: '2025-01-31' });
  });

  it('rate per 10,000 children', async () => {
    // 10 looked after / 10,000 children × 10,000 = 10.0
    expect(await one('looked_after_rate')).toMatchObject({ numerator: 10, denominator: 10000, value: 10 });
  });

  it('started: a new period of care, each child once on the first start; short breaks are not starts', async () => {
    // January: D 01-02, G 01-03 (and again 01-20: once), F 01-06 (a day after leaving, so a new period), J 01-31.
    // Not: A's second episode (starts the day the first ended), H's V4 short break on 01-10.
    expect(await one('started')).toMatchObject({ numerator: 4, value: 4 });
    expect(await ids('started')).toEqual(['D', 'F', 'G', 'J']);
    const g = (await f.engine.rows('children_in_care.started', jan)).find((r) => r.child_id === 'G');
    expect(g).toMatchObject({ care_started: '2025-01-03', at_date: '2025-01-03', starts_in_period: 2, legal_status: 'L1' });
    // Year to date (2024-04-01..): I 2024-10-01, F 2024-11-01 (and 2025-01-06: once), N 2024-12-16, D, G, J → 6
    expect((await one('started', yearToDate('2025-01'))).value).toBe(6);
    // Rolling 12 months (2024-02-01..): also C, 2024-02-29 → 7
    expect((await one('started', rolling12('2025-01'))).value).toBe(7);
    // March 2022 .. : A's change of legal status on 2022-03-01 is not a start
    expect((await one('started', month('2022-03'))).value).toBe(0);
  });

  it('ceased: the last episode of a period of care ended, each child once', async () => {
    // F 01-05 (E13), G 01-08 (E4B), E 01-10 (E4A), I 01-31 (E41, on the period end) → 4
    expect(await one('ceased')).toMatchObject({ numerator: 4, value: 4 });
    expect(await ids('ceased')).toEqual(['E', 'F', 'G', 'I']);
    const r = await f.engine.rows('children_in_care.ceased', jan);
    expect(r.find((x) => x.child_id === 'I')).toMatchObject({ care_ceased: '2025-01-31', reason_ceased: 'E41', care_started: '2024-10-01' });
    // C's episode ending 2024-03-01 is followed the same day by the next: not a cease
    expect((await one('ceased', month('2024-03'))).value).toBe(0);
    // M ceased 2023-01-01
    expect(await ids('ceased', month('2023-01'))).toEqual(['M']);
  });
});

describe('children in care: legal status and placement at the period end', () => {
  // Of the 10 at E: legal status A C2, B V2, C C2, D V2, F V2, G C1, J V2, K E1, L C2, N V2;
  // placement A U6/PR1, B K2, C U6/PR1, D U6/PR5, F H5, G R1, J K2, K A6, L U4/PR4, N U6/PR1.
  it('section 20: B D F J N = 5 of 10', async () => {
    expect(await one('legal_section20')).toMatchObject({ numerator: 5, denominator: 10, value: 50 });
    expect(await ids('legal_section20')).toEqual(['B', 'D', 'F', 'J', 'N']);
  });
  it('care order (C1, C2): A C G L = 4 of 10', async () => {
    expect(await one('legal_care_order')).toMatchObject({ numerator: 4, denominator: 10, value: 40 });
    expect(await ids('legal_care_order')).toEqual(['A', 'C', 'G', 'L']);
  });
  it('placement order: K = 1 of 10', async () => {
    expect(await one('legal_placement_order')).toMatchObject({ numerator: 1, denominator: 10, value: 10 });
    expect(await ids('legal_placement_order')).toEqual(['K']);
  });
  it('in-house fostering: A C N = 3 of 10 (C\'s current placement is with PR1 carers, its earlier one PR4)', async () => {
    expect(await one('placed_in_house_fostering')).toMatchObject({ numerator: 3, denominator: 10, value: 30 });
    expect(await ids('placed_in_house_fostering')).toEqual(['A', 'C', 'N']);
  });
  it('independent fostering agency: D (PR5) L (PR4) = 2 of 10', async () => {
    expect(await one('placed_ifa')).toMatchObject({ numerator: 2, denominator: 10, value: 20 });
    expect(await ids('placed_ifa')).toEqual(['D', 'L']);
  });
  it('residential: B (K2) G (R1) J (K2) = 3 of 10; F in semi-independent living (H5) is not', async () => {
    expect(await one('placed_residential')).toMatchObject({ numerator: 3, denominator: 10, value: 30 });
    expect(await ids('placed_residential')).toEqual(['B', 'G', 'J']);
  });
  it('placement groups in SQL agree with codes.placementGroup for every type and provider', async () => {
    const places = [...Object.keys(PLACEMENT_TYPE), 'U9', ''];
    const providers = [...Object.keys(PLACEMENT_PROVIDER), ''];
    const values = places.flatMap((p) => providers.map((v) => `('${p}', '${v}')`)).join(', ');
    const got = await f.store.query<{ p: string; v: string; g: string }>(
      `SELECT p, v, ${PLACEMENT_GROUP_SQL('p', 'nullif(v, \'\')')} AS g FROM (VALUES ${values}) t(p, v)`);
    for (const r of got) expect(r.g, `${r.p}/${r.v}`).toBe(placementGroup(r.p || null, r.v || null));
  });
});

describe('children in care: reviews and visits', () => {
  it('reviews in timescale: first within 20 working days, second within 3 months, then 6 months', async () => {
    // January: A #4 yes, C #4 yes, D #1 (21 working days) no, E #5 (on its last day in care) yes; H not counted → 3 of 4
    expect(await one('reviews_in_timescale')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    expect(await ids('reviews_in_timescale')).toEqual(['A', 'C', 'E']);
    expect(await ids('reviews_in_timescale', jan, 'denominator')).toEqual(['A', 'C', 'D', 'E']);
    const d = (await f.engine.rows('children_in_care.reviews_in_timescale', jan)).find((r) => r.child_id === 'D');
    expect(d).toMatchObject({ review_number: 1, due_date: '2025-01-30', previous_review: null });
    // March 2024: C #1 on exactly the 20th working day → 1 of 1; June 2024: C #2 exactly 3 months on → 1 of 1
    expect(await one('reviews_in_timescale', month('2024-03'))).toMatchObject({ numerator: 1, denominator: 1 });
    expect(await one('reviews_in_timescale', month('2024-06'))).toMatchObject({ numerator: 1, denominator: 1 });
    // December 2024: C #3 two days after 6 months → 0 of 1
    expect(await one('reviews_in_timescale', month('2024-12'))).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
  });

  it('visits in timescale: not overdue at the period end (42 days), visits in this period of care only', async () => {
    // A seen 2024-12-20 (+42 = E) yes; B 2024-12-01 no (a CIN visit does not count); C yes; D none, a week from
    // 2025-01-02 passed → no; F none since coming back on 01-06 (the December visit was in the earlier period) → no;
    // G 01-22 yes; J came into care on E → yes; K yes; L 2024-12-19 (+42 = 01-30) no; N yes → A C G J K N = 6 of 10
    expect(await one('visits_in_timescale')).toMatchObject({ numerator: 6, denominator: 10, value: 60 });
    expect(await ids('visits_in_timescale')).toEqual(['A', 'C', 'G', 'J', 'K', 'N']);
    const a = (await f.engine.rows('children_in_care.visits_in_timescale', jan)).find((r) => r.child_id === 'A');
    expect(a).toMatchObject({ last_visit: '2024-12-20', due_date: '2025-01-31' });
    // a local standard of 4 weeks: A (due 2025-01-17) is now overdue → C G J K N = 5 of 10
    const strict = new Engine(f.store, { lacVisitDays: 28 });
    expect(await one('visits_in_timescale', jan, strict)).toMatchObject({ numerator: 5, denominator: 10 });
  });
});

describe('children in care: placement stability', () => {
  it('3 or more placements in the 12 months to the period end', async () => {
    // 2024-02-01..2025-01-31: C has 3 (from 2024-02-29, 2024-03-01, 2024-09-15); F 2 (one per period of care),
    // G 2, K 2 (a change of legal status in 2023 is not a move; placed for adoption 2024-09-01), everyone else 1 → 1 of 10
    expect(await one('placements_3_plus')).toMatchObject({ numerator: 1, denominator: 10, value: 10 });
    expect(await ids('placements_3_plus')).toEqual(['C']);
    const c = (await f.engine.rows('children_in_care.placements_3_plus', jan)).find((r) => r.child_id === 'C');
    expect(c).toMatchObject({ placements: 3, first_placement_started: '2024-02-29', placement_started: '2024-09-15' });
    // February 2025 (from 2024-03-01): C's first placement was left on 2024-03-01, the first day → not counted: 2.
    // Looked after at 2025-02-28 are the same 10 (nobody started or left in February) → 0 of 10
    expect(await one('placements_3_plus', month('2025-02'))).toMatchObject({ numerator: 0, denominator: 10 });
  });

  it('long-term stability: under 16, looked after 2½ years, same placement 2 years or placed for adoption', async () => {
    // Under 16 at E and in care since on or before 2022-07-31: A (2021-06-01), K (2022-01-15), L (2022-06-01).
    // B turns 16 on E → left out. A: same placement since 2021-06-01 → yes. K: placed for adoption 2024-09-01; with
    // the placement before it (since 2022-01-15) over 2 years → yes. L: placement since 2023-03-01, 2 years on
    // 2025-03-01 → no. → 2 of 3
    expect(await one('long_term_stability')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(await ids('long_term_stability')).toEqual(['A', 'K']);
    expect(await ids('long_term_stability', jan, 'denominator')).toEqual(['A', 'K', 'L']);
    const k = (await f.engine.rows('children_in_care.long_term_stability', jan)).find((r) => r.child_id === 'K');
    expect(k).toMatchObject({ placement_started: '2024-09-01', stable_since: '2022-01-15', placement_type: 'A6' });
    // December 2024: B is 15 and in (same placement since 2020 → yes); L's 30 months came on 2024-12-01 → in, no.
    // A K B yes → 3 of 4
    expect(await one('long_term_stability', month('2024-12'))).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    // March 2025: L's 2 years came on 2025-03-01 → A K L = 3 of 3
    expect(await one('long_term_stability', month('2025-03'))).toMatchObject({ numerator: 3, denominator: 3 });
    // 29 February: M placed 2020-02-29; 2 years on is 2022-03-01. February 2022: 0 of 1; March 2022: 1 of 1
    expect(await one('long_term_stability', month('2022-02'))).toMatchObject({ numerator: 0, denominator: 1 });
    expect(await one('long_term_stability', month('2022-03'))).toMatchObject({ numerator: 1, denominator: 1 });
  });
});

describe('children in care: health, education, missing', () => {
  it('initial health assessments within 20 working days, by the month they fall due', async () => {
    // Due in January: D (20th working day after 2025-01-02 = 01-30; assessed 01-30 → 20 → yes); N (after 2024-12-16,
    // over Christmas and New Year = 2025-01-16; assessed 01-20 → 22 → no). G's first stay (01-03 to 01-08) ended
    // before its due day → not counted; F (01-06) and G (01-20) fall due in February. → 1 of 2
    expect(await one('initial_health_assessment_20wd')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(await ids('initial_health_assessment_20wd', jan, 'denominator')).toEqual(['D', 'N']);
    const n = (await f.engine.rows('children_in_care.initial_health_assessment_20wd', jan)).find((r) => r.child_id === 'N');
    expect(n).toMatchObject({ care_started: '2024-12-16', due_date: '2025-01-16', assessment_date: '2025-01-20', working_days: 22, at_date: '2025-01-16' });
    // C: in care 2024-02-29, due 2024-03-28; assessed 2024-04-02 over Easter = 21 working days → March 2024: 0 of 1
    expect(await one('initial_health_assessment_20wd', month('2024-03'))).toMatchObject({ numerator: 0, denominator: 1 });
    // February 2025: F (due 02-03) and G (due 02-17), neither assessed; J (in care 01-31) is due 02-28 → 0 of 3
    expect(await one('initial_health_assessment_20wd', month('2025-02'))).toMatchObject({ numerator: 0, denominator: 3 });
  });

  it('health assessments up to date: looked after 12 months+, one in the last 12 months (6 under 5)', async () => {
    // In care since on or before 2024-01-31: A B K L. A 2024-03-01 yes; B 2024-06-01 yes; K (just 5) 2024-05-01 yes;
    // L 2024-01-31, a day before the 12 months → no. → 3 of 4
    expect(await one('health_assessments_up_to_date')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    expect(await ids('health_assessments_up_to_date')).toEqual(['A', 'B', 'K']);
    // December 2024: A B K L and E (in care since 2023-05-01, none recorded → no); K is 4, so needs one since
    // 2024-07-01 → no; L's 2024-01-31 is within 2024-01-01.. → yes → A B L = 3 of 5
    expect(await one('health_assessments_up_to_date', month('2024-12'))).toMatchObject({ numerator: 3, denominator: 5 });
    expect(await ids('health_assessments_up_to_date', month('2024-12'))).toEqual(['A', 'B', 'L']);
    // C came into care 2024-02-29: 12 months on is 2025-03-01, so C is not in February 2025's cohort but is in March's
    expect(await ids('health_assessments_up_to_date', month('2025-02'), 'denominator')).toEqual(['A', 'B', 'K', 'L']);
    expect(await ids('health_assessments_up_to_date', month('2025-03'), 'denominator')).toEqual(['A', 'B', 'C', 'K', 'L']);
  });

  it('dental checks up to date', async () => {
    // A 2024-01-31 (before 2024-02-01) no; B none no; K 2024-11-11 yes; L 2024-02-01 (the first day) yes → 2 of 4
    expect(await one('dental_checks_up_to_date')).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect(await ids('dental_checks_up_to_date')).toEqual(['K', 'L']);
  });

  it('PEPs up to date: children 5 to 15, a PEP within 6 months, or new to care', async () => {
    // Aged 5–15 at E: A C G J K L N (B and F are 16, D is 0). A 2024-07-31 (+6 months = E) yes; C 2024-06-15 no;
    // G back in care 2025-01-20, first PEP due 2025-02-17 → yes; J yes (came into care on E); K yes;
    // L 2024-07-30 (due 2025-01-30) no; N none, due 2025-01-16 → no. → A G J K = 4 of 7
    expect(await one('peps_up_to_date')).toMatchObject({ numerator: 4, denominator: 7 });
    expect(await ids('peps_up_to_date')).toEqual(['A', 'G', 'J', 'K']);
    expect(await ids('peps_up_to_date', jan, 'denominator')).toEqual(['A', 'C', 'G', 'J', 'K', 'L', 'N']);
    // every 3 months instead: A (due 2024-10-31) and K (due 2025-01-10) are overdue → G J = 2 of 7
    const termly = new Engine(f.store, { pepMonths: 3 });
    expect(await one('peps_up_to_date', jan, termly)).toMatchObject({ numerator: 2, denominator: 7 });
  });

  it('missing episodes and children who went missing', async () => {
    // January: B 01-05, B 01-20, F 01-31 (type not recorded); B's 'away' on 01-25 and its 2024-12-31 episode are not → 3
    expect(await one('missing_episodes')).toMatchObject({ numerator: 3, value: 3 });
    expect(await ids('missing_episodes')).toEqual(['B', 'B', 'F']);
    expect(await one('children_missing')).toMatchObject({ numerator: 2, value: 2 });
    const b = (await f.engine.rows('children_in_care.children_missing', jan)).find((r) => r.child_id === 'B');
    expect(b).toMatchObject({ first_missing: '2025-01-05', missing_episodes: 2 });
    // year to date adds B's 2024-12-31 → 4 episodes, still 2 children
    expect((await one('missing_episodes', yearToDate('2025-01'))).value).toBe(4);
    expect((await one('children_missing', yearToDate('2025-01'))).value).toBe(2);
  });
});

describe('children in care: every figure is the sum of its rows', () => {
  it('numerator rows sum to the numerator and denominator rows count to the denominator', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [jan, month('2024-12'), yearToDate('2025-01'), rolling12('2025-01')]);
  });

  it('a trend of months gives each month as if asked alone, and breaks down by age band', async () => {
    for (const ind of INDICATORS) {
      const trend = await f.engine.trend(ind, '2025-03', 4);
      for (const x of trend) expect(x, `${ind.id} ${x.period}`).toEqual((await f.engine.compute(ind, [month(x.period)]))[0]);
    }
    // at E: Under 1 D; 5 to 9 C K N; 10 to 15 A G J L; 16 and over B F
    const byAge = await f.engine.compute('children_in_care.looked_after', [jan], { breakdown: 'age_band' });
    expect(byAge.map((x) => [x.group, x.value])).toEqual([['10 to 15', 4], ['16 and over', 2], ['5 to 9', 3], ['Under 1', 1]]);
  });
});

describe('children in care: data faults', () => {
  // O: two episodes with no end (the first was never closed): one child, in the later episode; one period of care.
  // P: no child record (no date of birth): counted as looked after, left out of the age-based measures.
  // Q: an episode never closed, then a later one that ended 2024-10-01: not looked after in January.
  let g: Fixture;
  beforeAll(async () => {
    g = await fixture({
      lac_episodes: [
        ep('O', '2024-05-01', null, 'S', 'V2', 'U6', 'PR1'), ep('O', '2024-08-01', null, 'P', 'C1', 'U4', 'PR1'),
        ep('P', '2021-01-01', null, 'S', 'C1', 'U4', 'PR1'),
        ep('Q', '2024-01-01', null, 'S', 'V2', 'U6', 'PR1'), ep('Q', '2024-06-01', '2024-10-01', 'P', 'V2', 'U6', 'PR4', 'E4A'),
      ],
      health_assessments: [{ child_id: 'P', assessment_date: '2024-03-01', kind: 'review' }],
    });
  });
  afterAll(() => g.close());
  it('counts each child once and keeps going without a date of birth', async () => {
    const at = async (name: string, p: Period = jan) => (await g.engine.compute(`children_in_care.${name}`, [p]))[0];
    expect(await at('looked_after')).toMatchObject({ numerator: 2 }); // O and P
    // September 2024: O, P and Q (in its later episode) → 3
    expect(await at('looked_after', month('2024-09'))).toMatchObject({ numerator: 3 });
    const o = (await g.engine.rows('children_in_care.looked_after', jan)).find((r) => r.child_id === 'O');
    expect(o).toMatchObject({ legal_status: 'C1', care_started: '2024-05-01' });
    expect(await at('started', month('2024-05'))).toMatchObject({ numerator: 1 });
    expect(await at('started', month('2024-08'))).toMatchObject({ numerator: 0 });
    // P has no date of birth: not in long-term stability or PEPs; health held to 12 months (2024-03-01 → yes)
    expect(await at('long_term_stability')).toMatchObject({ denominator: 0, value: null });
    expect(await at('peps_up_to_date')).toMatchObject({ denominator: 0 });
    expect(await at('health_assessments_up_to_date')).toMatchObject({ numerator: 1, denominator: 1 });
  });
});
