// Worked examples for every SSDA903 rule in src/ingest/ssda903Rules.ts: each builds a few rows by hand
// (only the fields the rule reads; the others blank) and lists exactly which rows fail. The collection
// year is 2024-25 (1 April 2024 to 31 March 2025) unless a test says otherwise.
import { describe, expect, test } from 'vitest';
import { emptyRow, type Row, type TableName } from '../src/model.ts';
import { SSDA903_COLUMNS, SSDA903_DATE_COLUMNS } from '../src/ingest/ssda903.ts';
import {
  SSDA903_RULES, childMoreThanOnce, collectionYear, duplicateRecords, overlappingEpisodes, overlappingMissing,
  overlappingPlacedForAdoption, overlappingSocialWorkerEpisodes, ruleOf, unendedEarlierEpisodes,
  type CollectionYear, type Failure, type Located, type Ssda903Table,
} from '../src/ingest/ssda903Rules.ts';
import { parseUkDate } from '../src/ingest/values.ts';

const Y2024 = collectionYear(2024);
const tested = new Set<string>();

function build(table: Ssda903Table, partial: Record<string, string>) {
  const r: Record<string, string> = {};
  for (const c of SSDA903_COLUMNS[table]) r[c] = partial[c] ?? '';
  const d: Record<string, string | null | undefined> = {};
  for (const c of SSDA903_DATE_COLUMNS[table]) d[c] = r[c] === '' ? null : (parseUkDate(r[c]) ?? undefined);
  return { r, d };
}

function failures(code: string, table: Ssda903Table, partial: Record<string, string>, year: CollectionYear | null = Y2024): Failure[] {
  const { r, d } = build(table, partial);
  const f = ruleOf(code, table).check(r, d, year);
  return f === null ? [] : Array.isArray(f) ? f : [f];
}

/** Indexes of the rows that fail rule `code` of `table`. */
function failing(code: string, table: Ssda903Table, rows: Record<string, string>[], year: CollectionYear | null = Y2024): number[] {
  tested.add(`${table}:${code}`);
  return rows.flatMap((row, i) => (failures(code, table, row, year).length > 0 ? [i] : []));
}

const col = (field: string, values: string[]) => values.map((v) => ({ [field]: v }));

describe('rows without a child id', () => {
  test('CSC301: a blank CHILD fails in every table', () => {
    for (const table of Object.keys(SSDA903_COLUMNS) as Ssda903Table[]) {
      expect(failing('CSC301', table, col('CHILD', ['0001', '', '007']))).toEqual([1]);
    }
  });
});

describe('header', () => {
  test('101 SEX must be 1 or 2', () => {
    expect(failing('101', 'header', col('SEX', ['1', '2', '0', '', 'M']))).toEqual([2, 3, 4]);
    expect(failures('101', 'header', { SEX: 'M' })[0].outcome).toBe('loaded with sex unknown');
  });
  test('102 DOB must be a dd/mm/yyyy date', () => {
    expect(failing('102', 'header', col('DOB', ['15/05/2010', '31/02/2010', '', '2010-05-15']))).toEqual([1, 2, 3]);
  });
  test('103 ETHNIC must be a DfE code, in capitals', () => {
    expect(failing('103', 'header', col('ETHNIC', ['WBRI', 'wbri', '', 'XXXX', 'NOBT']))).toEqual([1, 2, 3]);
  });
  test('168 UPN: a letter other than I, O or S then 12 digits (or 11 and a letter), or UN1–UN5', () => {
    expect(failing('168', 'header', col('UPN', ['A123456789012', 'A12345678901B', 'UN3', 'UN7', 'I123456789012', '', 'A1234']))).toEqual([3, 4, 6]);
  });
  test('442 UPN must be completed', () => {
    expect(failing('442', 'header', col('UPN', ['', 'UN1']))).toEqual([0]);
  });
  test('165 MOTHER is blank, 0 or 1, and never given for a male child', () => {
    expect(failing('165', 'header', [
      { MOTHER: '', SEX: '2' }, { MOTHER: '1', SEX: '2' }, { MOTHER: '1.0', SEX: '2' }, { MOTHER: '0', SEX: '1' },
    ])).toEqual([2, 3]);
  });
  test("171 MC_DOB, when given, is a date", () => {
    expect(failing('171', 'header', col('MC_DOB', ['', '27/08/2016', '27/8/16']))).toEqual([2]);
  });
  test("174 a mother's child's date of birth for a male child", () => {
    expect(failing('174', 'header', [{ MC_DOB: '27/08/2016', SEX: '1' }, { MC_DOB: '27/08/2016', SEX: '2' }, { MC_DOB: '', SEX: '1' }])).toEqual([0]);
  });
  test("611 MOTHER 1 needs the child's date of birth", () => {
    expect(failing('611', 'header', [{ MOTHER: '1' }, { MOTHER: '1', MC_DOB: '01/01/2020' }, { MOTHER: '0' }])).toEqual([0]);
  });
  test("612 the child's date of birth with MOTHER 0", () => {
    expect(failing('612', 'header', [{ MOTHER: '0', MC_DOB: '01/01/2020' }, { MOTHER: '1', MC_DOB: '01/01/2020' }, { MOTHER: '', MC_DOB: '01/01/2020' }])).toEqual([0]);
  });
  test('621 a mother younger than her child', () => {
    expect(failing('621', 'header', [{ DOB: '01/01/2005', MC_DOB: '01/01/2004' }, { DOB: '01/01/2005', MC_DOB: '01/01/2022' }])).toEqual([0]);
  });
  test('301 DOB after 31 March 2025; not checked without a year', () => {
    expect(failing('301', 'header', col('DOB', ['31/03/2025', '01/04/2025']))).toEqual([1]);
    expect(failing('301', 'header', col('DOB', ['01/04/2025']), null)).toEqual([]);
  });
  test('351 over 25 on 1 April 2024: a 25th birthday on 1 April is not over 25', () => {
    expect(failing('351', 'header', col('DOB', ['01/04/1999', '31/03/1999']))).toEqual([1]);
  });
});

describe('episodes', () => {
  test('141 DECOM must be present and a date', () => {
    expect(failing('141', 'episodes', col('DECOM', ['01/04/2024', '', '32/01/2024']))).toEqual([1, 2]);
  });
  test('147 DEC, when given, must be a date', () => {
    expect(failing('147', 'episodes', col('DEC', ['', '01/05/2024', 'tomorrow']))).toEqual([2]);
  });
  test('356 DEC before DECOM; the same day is not before', () => {
    expect(failing('356', 'episodes', [
      { DECOM: '12/03/2024', DEC: '03/02/2024' }, { DECOM: '12/03/2024', DEC: '12/03/2024' }, { DECOM: '12/03/2024', DEC: '' },
    ])).toEqual([0]);
    expect(failures('356', 'episodes', { DECOM: '12/03/2024', DEC: '03/02/2024' })[0].detail).toBe('DEC 03/02/2024 is before DECOM 12/03/2024');
  });
  test('143 RNE', () => expect(failing('143', 'episodes', col('RNE', ['S', 's', 'SP', '']))).toEqual([1, 2]));
  test('144 LS', () => expect(failing('144', 'episodes', col('LS', ['C2', 'c2', 'section 20', '']))).toEqual([1, 2]));
  test('145 CIN is N1–N8 (N0 and N9 are CIN census codes)', () => expect(failing('145', 'episodes', col('CIN', ['N1', 'N0', 'N9', '']))).toEqual([1, 2]));
  test('146 PLACE', () => expect(failing('146', 'episodes', col('PLACE', ['U1', 'A2', 'K3', '']))).toEqual([1]));
  test('178 PLACE_PROVIDER is a PR code, and not given for temporary placements or Z1', () => {
    expect(failing('178', 'episodes', [
      { PLACE_PROVIDER: 'PR1', PLACE: 'U1' }, { PLACE_PROVIDER: 'PR9', PLACE: 'U1' }, { PLACE_PROVIDER: 'PR1', PLACE: 'T0' }, { PLACE: 'T0' },
    ])).toEqual([1, 2]);
  });
  test('149 REC (the retired E43 is not valid)', () => expect(failing('149', 'episodes', col('REC', ['E11', 'E43', 'X', '', 'E4A']))).toEqual([1, 2]));
  test('148 DEC and REC both or neither', () => {
    expect(failing('148', 'episodes', [{ DEC: '01/05/2024' }, { REC: 'X1' }, { DEC: '01/05/2024', REC: 'X1' }, {}])).toEqual([0, 1]);
  });
  test('1009 REASON_PLACE_CHANGE', () => expect(failing('1009', 'episodes', col('REASON_PLACE_CHANGE', ['CARPL', 'other', 'NA', '']))).toEqual([1, 2]));
  test('1008 URN shaped like an Ofsted URN', () => {
    expect(failing('1008', 'episodes', col('URN', ['SC123456', '1234567', 'XXXXXXX', 'XXXXXX', '5b67891', '']))).toEqual([3, 4]);
  });
  test('392c postcodes shaped like postcodes; one finding per bad postcode', () => {
    expect(failing('392c', 'episodes', [
      { HOME_POST: 'AB1 0JD', PL_POST: 'AB10JD' }, { HOME_POST: 'invalid', PL_POST: 'AB1 0JD' }, { HOME_POST: 'AB1 0JD', PL_POST: 'invalid' }, {},
    ])).toEqual([1, 2]);
    expect(failures('392c', 'episodes', { HOME_POST: 'x', PL_POST: 'y' }).map((f) => f.field)).toEqual(['HOME_POST', 'PL_POST']);
  });
  test('353 DECOM before 14 October 1991', () => expect(failing('353', 'episodes', col('DECOM', ['13/10/1991', '14/10/1991']))).toEqual([0]));
  test('354 DECOM after 31 March 2025', () => expect(failing('354', 'episodes', col('DECOM', ['31/03/2025', '01/04/2025']))).toEqual([1]));
  test('385 DEC after 31 March 2025; not checked without a year', () => {
    expect(failing('385', 'episodes', col('DEC', ['31/03/2025', '01/04/2025', '']))).toEqual([1]);
    expect(failing('385', 'episodes', col('DEC', ['01/04/2025']), null)).toEqual([]);
  });
  test('445 D1 for an episode starting after 2005', () => {
    expect(failing('445', 'episodes', [{ LS: 'D1', DECOM: '31/12/2005' }, { LS: 'D1', DECOM: '01/01/2006' }, { LS: 'C1', DECOM: '01/01/2006' }])).toEqual([1]);
  });
  test('446 E1 for an episode starting before December 2005', () => {
    expect(failing('446', 'episodes', [{ LS: 'E1', DECOM: '30/11/2005' }, { LS: 'E1', DECOM: '01/12/2005' }])).toEqual([0]);
  });
  const provider = (pairs: [string, string][]) => pairs.map(([p, pl]) => ({ PLACE_PROVIDER: p, PLACE: pl }));
  test('550 PR0 only with P1', () => expect(failing('550', 'episodes', provider([['PR0', 'P1'], ['PR0', 'U1'], ['PR1', 'U1']]))).toEqual([1]));
  test('527 PR1 not with P1, R2, R5', () => expect(failing('527', 'episodes', provider([['PR1', 'P1'], ['PR1', 'R2'], ['PR1', 'R5'], ['PR1', 'U1']]))).toEqual([0, 1, 2]));
  test('528 PR2 not with P1, R2, R5', () => expect(failing('528', 'episodes', provider([['PR2', 'R5'], ['PR2', 'K2']]))).toEqual([0]));
  test('529 PR3 not with P1, A3–A6, K1, K2, U1–U6', () => expect(failing('529', 'episodes', provider([['PR3', 'K1'], ['PR3', 'R1'], ['PR3', 'U6']]))).toEqual([0, 2]));
  test('530 PR4 not with P1', () => expect(failing('530', 'episodes', provider([['PR4', 'P1'], ['PR4', 'U1']]))).toEqual([0]));
  test('531 PR5 not with P1', () => expect(failing('531', 'episodes', provider([['PR5', 'P1'], ['PR5', 'U4']]))).toEqual([0]));
  test('378 placed with parents under a single section 20 period', () => {
    expect(failing('378', 'episodes', [{ LS: 'V2', PLACE: 'P1' }, { LS: 'C2', PLACE: 'P1' }, { LS: 'V2', PLACE: 'U1' }])).toEqual([0]);
  });
  test('384 short breaks in a long-term foster placement', () => {
    expect(failing('384', 'episodes', [{ LS: 'V3', PLACE: 'U1' }, { LS: 'V4', PLACE: 'U4' }, { LS: 'V3', PLACE: 'P1' }, { LS: 'C2', PLACE: 'U1' }])).toEqual([0, 1]);
  });
});

describe('reviews', () => {
  test('166 REVIEW present and a date', () => expect(failing('166', 'reviews', col('REVIEW', ['01/06/2024', '', '1/6/24']))).toEqual([1, 2]));
  test('167 REVIEW_CODE PN0–PN7, not blank', () => expect(failing('167', 'reviews', col('REVIEW_CODE', ['PN1', 'PN8', '']))).toEqual([1, 2]));
  test('440 PN0 (under 4) for a child who was 4 on the day of the review', () => {
    expect(failing('440', 'reviews', [
      { DOB: '01/06/2020', REVIEW: '01/06/2024', REVIEW_CODE: 'PN0' }, // 4th birthday that day
      { DOB: '02/06/2020', REVIEW: '01/06/2024', REVIEW_CODE: 'PN0' }, // still 3
      { DOB: '01/06/2010', REVIEW: '01/06/2024', REVIEW_CODE: 'PN1' },
    ])).toEqual([0]);
  });
  test('441 PN1–PN7 for a child under 4', () => {
    expect(failing('441', 'reviews', [
      { DOB: '02/06/2020', REVIEW: '01/06/2024', REVIEW_CODE: 'PN1' },
      { DOB: '01/06/2020', REVIEW: '01/06/2024', REVIEW_CODE: 'PN1' },
      { DOB: '02/06/2020', REVIEW: '01/06/2024', REVIEW_CODE: 'PN0' },
    ])).toEqual([0]);
  });
});

describe('uasc', () => {
  test('104 DUC, when given, is a date', () => expect(failing('104', 'uasc', col('DUC', ['', '01/01/2025', '2025-01-01']))).toEqual([2]));
  test('304 DUC after the 18th birthday; on the birthday is allowed', () => {
    expect(failing('304', 'uasc', [{ DOB: '28/02/2007', DUC: '28/02/2025' }, { DOB: '28/02/2007', DUC: '01/03/2025' }])).toEqual([1]);
  });
});

describe('oc2', () => {
  test('180 SDQ_SCORE a whole number 0–40', () => expect(failing('180', 'oc2', col('SDQ_SCORE', ['0', '40', '41', '-1', '39.5', 'XX', '']))).toEqual([2, 3, 4, 5]));
  test('196 SDQ_REASON', () => expect(failing('196', 'oc2', col('SDQ_REASON', ['SDQ1', 'SDQ6', '']))).toEqual([1]));
  test('181 yes/no items are 0 or 1; Y is read as 1, 2 is left blank', () => {
    expect(failing('181', 'oc2', [{ CONVICTED: '1', HEALTH_CHECK: '0' }, { CONVICTED: '2' }, { TEETH_CHECK: 'Y' }, {}])).toEqual([1, 2]);
    expect(failures('181', 'oc2', { CONVICTED: '2', TEETH_CHECK: 'Y' }).map((f) => [f.field, f.outcome])).toEqual([
      ['CONVICTED', 'loaded with CONVICTED blank'], ['TEETH_CHECK', 'loaded as 1'],
    ]);
  });
  test('197a a reason for no SDQ score beside a score', () => {
    expect(failing('197a', 'oc2', [{ SDQ_SCORE: '10', SDQ_REASON: 'SDQ1' }, { SDQ_SCORE: '10' }, { SDQ_REASON: 'SDQ1' }])).toEqual([0]);
  });
  test('158 intervention offered given when one was received', () => {
    expect(failing('158', 'oc2', [
      { INTERVENTION_RECEIVED: '1', INTERVENTION_OFFERED: '0' }, { INTERVENTION_RECEIVED: '1' }, { INTERVENTION_RECEIVED: '0', INTERVENTION_OFFERED: '1' },
    ])).toEqual([0]);
  });
  test('159 substance misuse, no intervention received, offered left blank', () => {
    expect(failing('159', 'oc2', [
      { SUBSTANCE_MISUSE: '1', INTERVENTION_RECEIVED: '0' }, { SUBSTANCE_MISUSE: '1', INTERVENTION_RECEIVED: '0', INTERVENTION_OFFERED: '1' },
      { SUBSTANCE_MISUSE: '0', INTERVENTION_RECEIVED: '0' },
    ])).toEqual([0]);
  });
  test('192 substance misuse with intervention received blank', () => {
    expect(failing('192', 'oc2', [{ SUBSTANCE_MISUSE: '1' }, { SUBSTANCE_MISUSE: '1', INTERVENTION_RECEIVED: '1' }, { SUBSTANCE_MISUSE: '0' }])).toEqual([0]);
  });
  test('193 interventions completed without substance misuse', () => {
    expect(failing('193', 'oc2', [
      { SUBSTANCE_MISUSE: '0', INTERVENTION_RECEIVED: '0' }, { SUBSTANCE_MISUSE: '0' }, { SUBSTANCE_MISUSE: '1', INTERVENTION_RECEIVED: '1' },
      { SUBSTANCE_MISUSE: '0', INTERVENTION_OFFERED: '1' },
    ])).toEqual([0, 3]);
  });
  test('542 conviction information for a child under 10 at 31 March 2025', () => {
    expect(failing('542', 'oc2', [{ DOB: '01/04/2015', CONVICTED: '0' }, { DOB: '31/03/2015', CONVICTED: '0' }, { DOB: '01/04/2015' }])).toEqual([0]);
  });
  test('546 health promotion information for a child 5 or over at 31 March 2025', () => {
    expect(failing('546', 'oc2', [{ DOB: '31/03/2020', HEALTH_CHECK: '1' }, { DOB: '01/04/2020', HEALTH_CHECK: '1' }, { DOB: '31/03/2020' }])).toEqual([0]);
  });
  test('188 SDQ for a child under 4 at 31 March 2025', () => {
    expect(failing('188', 'oc2', [{ DOB: '01/04/2021', SDQ_SCORE: '10' }, { DOB: '31/03/2021', SDQ_REASON: 'SDQ1' }, { DOB: '01/04/2021' }])).toEqual([0]);
  });
  test('189 SDQ for a young person 17 or over on 1 April 2024', () => {
    expect(failing('189', 'oc2', [{ DOB: '01/04/2007', SDQ_SCORE: '10' }, { DOB: '02/04/2007', SDQ_SCORE: '10' }])).toEqual([0]);
  });
});

describe('oc3', () => {
  test('131 IN_TOUCH, not blank', () => expect(failing('131', 'oc3', col('IN_TOUCH', ['YES', 'yes', 'REFUSE', '']))).toEqual([1, 2, 3]));
  test('132 ACTIV, not blank; 0 is allowed, F3 is not', () => expect(failing('132', 'oc3', col('ACTIV', ['F1', '0', 'F3', 'f1', '']))).toEqual([2, 3, 4]));
  test('133 ACCOM, not blank; S1 and X1 are not allowed', () => {
    expect(failing('133', 'oc3', col('ACCOM', ['B1', '0', 'S1', 'X1', '01', '']))).toEqual([2, 3, 4, 5]);
  });
  test('153 all three items or none', () => {
    expect(failing('153', 'oc3', [{ IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' }, {}, { IN_TOUCH: 'YES' }, { IN_TOUCH: 'YES', ACTIV: 'F1' }])).toEqual([2, 3]);
  });
  test('345 in touch but activity or accommodation 0', () => {
    expect(failing('345', 'oc3', [
      { IN_TOUCH: 'YES', ACTIV: '0', ACCOM: 'B1' }, { IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: '0' }, { IN_TOUCH: 'NO', ACTIV: '0', ACCOM: '0' },
      { IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' },
    ])).toEqual([0, 1]);
  });
  test('391 not 17 to 21 at some time in 2024-25', () => {
    expect(failing('391', 'oc3', [
      { DOB: '31/03/2008' }, // 17 on 31 March 2025
      { DOB: '01/04/2008' }, // still 16 on 31 March 2025
      { DOB: '02/04/2002' }, // 21 on 1 April 2024, 22 the next day
      { DOB: '01/04/2002' }, // 22 on 1 April 2024
    ])).toEqual([1, 3]);
  });
});

describe('ad1', () => {
  test('112 DATE_INT present and a date', () => expect(failing('112', 'ad1', col('DATE_INT', ['01/05/2024', '', 'x']))).toEqual([1, 2]));
  test('113 DATE_MATCH, when given, a date', () => expect(failing('113', 'ad1', col('DATE_MATCH', ['', '01/05/2024', '31/06/2024']))).toEqual([2]));
  test('114 FOSTER_CARE 0 or 1', () => expect(failing('114', 'ad1', col('FOSTER_CARE', ['0', '1', '2', '']))).toEqual([2]));
  test('175 NB_ADOPTR 1 or 2', () => expect(failing('175', 'ad1', col('NB_ADOPTR', ['1', '2', '0', '3', '']))).toEqual([2, 3]));
  test('176 SEX_ADOPTR', () => expect(failing('176', 'ad1', col('SEX_ADOPTR', ['M1', 'm1', '1', '']))).toEqual([1, 2]));
  test('177 LS_ADOPTR', () => expect(failing('177', 'ad1', col('LS_ADOPTR', ['L0', 'L1', 'l2', '']))).toEqual([1, 2]));
  test('151 all adoption items or none', () => {
    const all = { DATE_INT: '01/05/2024', DATE_MATCH: '01/06/2024', FOSTER_CARE: '0', NB_ADOPTR: '1', SEX_ADOPTR: 'F1', LS_ADOPTR: 'L0' };
    expect(failing('151', 'ad1', [all, {}, { DATE_INT: '01/05/2024' }])).toEqual([2]);
  });
  test('333 DATE_INT after DATE_MATCH', () => {
    expect(failing('333', 'ad1', [{ DATE_INT: '01/05/2024', DATE_MATCH: '30/04/2024' }, { DATE_INT: '01/05/2024', DATE_MATCH: '01/05/2024' }])).toEqual([0]);
  });
  test('511 two adopters coded as one', () => {
    expect(failing('511', 'ad1', [{ NB_ADOPTR: '2', SEX_ADOPTR: 'M1' }, { NB_ADOPTR: '2', SEX_ADOPTR: 'MF' }, { NB_ADOPTR: '1', SEX_ADOPTR: 'F1' }])).toEqual([0]);
  });
  const adopters = (ls: string, sexes: string[]) => sexes.map((s) => ({ LS_ADOPTR: ls, SEX_ADOPTR: s }));
  test('514 L0 (single adopter) needs M1 or F1', () => expect(failing('514', 'ad1', [...adopters('L0', ['M1', 'MF', '']), { LS_ADOPTR: 'L2', SEX_ADOPTR: 'MF' }])).toEqual([1, 2]));
  test('517 L3 needs MF', () => expect(failing('517', 'ad1', adopters('L3', ['MF', 'FF']))).toEqual([1]));
  test('518 L4 needs MM or FF', () => expect(failing('518', 'ad1', adopters('L4', ['MM', 'MF']))).toEqual([1]));
  test('519 L2 needs a couple', () => expect(failing('519', 'ad1', adopters('L2', ['MM', 'M1', '']))).toEqual([1, 2]));
  test('520 L11 needs MF', () => expect(failing('520', 'ad1', adopters('L11', ['MF', 'MM']))).toEqual([1]));
  test('524 L12 needs MM or FF', () => expect(failing('524', 'ad1', adopters('L12', ['FF', 'MF']))).toEqual([1]));
});

describe('placed_for_adoption', () => {
  test('115 DATE_PLACED present and a date', () => expect(failing('115', 'placed_for_adoption', col('DATE_PLACED', ['01/05/2024', '', 'x']))).toEqual([1, 2]));
  test('116 DATE_PLACED_CEASED, when given, a date', () => expect(failing('116', 'placed_for_adoption', col('DATE_PLACED_CEASED', ['', '01/06/2024', 'x']))).toEqual([2]));
  test('119 date and reason of the reversal both or neither', () => {
    expect(failing('119', 'placed_for_adoption', [
      { DATE_PLACED_CEASED: '01/06/2024' }, { REASON_PLACED_CEASED: 'RD1' }, { DATE_PLACED_CEASED: '01/06/2024', REASON_PLACED_CEASED: 'RD1' }, {},
    ])).toEqual([0, 1]);
  });
  test('120 REASON_PLACED_CEASED RD1–RD4', () => expect(failing('120', 'placed_for_adoption', col('REASON_PLACED_CEASED', ['RD1', 'rd1', 'RD0', 'XXX', '']))).toEqual([1, 2, 3]));
  test('522 decision reversed before it was made', () => {
    expect(failing('522', 'placed_for_adoption', [
      { DATE_PLACED: '02/06/2024', DATE_PLACED_CEASED: '01/06/2024' }, { DATE_PLACED: '01/06/2024', DATE_PLACED_CEASED: '01/06/2024' },
    ])).toEqual([0]);
  });
  test('184 decision before the child was born', () => {
    expect(failing('184', 'placed_for_adoption', [{ DOB: '01/01/2020', DATE_PLACED: '31/12/2019' }, { DOB: '01/01/2020', DATE_PLACED: '01/01/2020' }])).toEqual([0]);
  });
});

describe('previous_permanence', () => {
  test('631 PREV_PERM P1–P4 or Z1', () => expect(failing('631', 'previous_permanence', col('PREV_PERM', ['P1', 'P4', 'Z1', 'P0', 'p1', '']))).toEqual([3, 4]));
  test('CSC308 DATE_PERM: a real date (dd/mm/yyyy, or ISO from the XML form), zz for an unknown day or month', () => {
    expect(failing('CSC308', 'previous_permanence', col('DATE_PERM', ['zz/05/2015', 'zz/zz/2015', '03/02/2020', '2020-02-03', '', '31/02/2020', '32/zz/2015', 'zz/13/2015', 'May 2015'])))
      .toEqual([5, 6, 7, 8]);
  });
  test('635 Z1 with a date or authority of the order', () => {
    expect(failing('635', 'previous_permanence', [
      { PREV_PERM: 'Z1', LA_PERM: '123' }, { PREV_PERM: 'Z1', DATE_PERM: 'zz/05/2015' }, { PREV_PERM: 'Z1' }, { PREV_PERM: 'P1', LA_PERM: '123' },
    ])).toEqual([0, 1]);
  });
});

describe('missing', () => {
  test('564 MIS_START blank', () => expect(failing('564', 'missing', col('MIS_START', ['', '01/05/2024']))).toEqual([0]));
  test('1004 MIS_START not a date (blank is 564)', () => expect(failing('1004', 'missing', col('MIS_START', ['01/05/2024', 'x', '']))).toEqual([1]));
  test('1005 MIS_END, when given, a date', () => expect(failing('1005', 'missing', col('MIS_END', ['', '02/05/2024', 'x']))).toEqual([2]));
  test('1006 MISSING M or A', () => expect(failing('1006', 'missing', col('MISSING', ['M', 'A', 'm', 'X', '']))).toEqual([2, 3]));
  test('565 MISSING blank beside a start date', () => {
    expect(failing('565', 'missing', [{ MIS_START: '01/05/2024' }, { MISSING: 'M', MIS_START: '01/05/2024' }, {}])).toEqual([0]);
  });
  test('567 MIS_END before MIS_START', () => {
    expect(failing('567', 'missing', [{ MIS_START: '02/05/2024', MIS_END: '01/05/2024' }, { MIS_START: '02/05/2024', MIS_END: '02/05/2024' }])).toEqual([0]);
  });
  test('570 MIS_START after the year', () => expect(failing('570', 'missing', col('MIS_START', ['31/03/2025', '01/04/2025']))).toEqual([1]));
  test('571 MIS_END outside the year', () => {
    expect(failing('571', 'missing', col('MIS_END', ['31/03/2024', '01/04/2024', '31/03/2025', '01/04/2025', '']))).toEqual([0, 3]);
  });
  test('586 missing before birth', () => {
    expect(failing('586', 'missing', [{ DOB: '01/01/2010', MIS_START: '31/12/2009' }, { DOB: '01/01/2010', MIS_START: '01/01/2010' }])).toEqual([0]);
  });
});

describe('sw_episodes', () => {
  test('SW04STG1 SW_DECOM present and a date', () => expect(failing('SW04STG1', 'sw_episodes', col('SW_DECOM', ['01/05/2024', '', 'x']))).toEqual([1, 2]));
  test('SW05STG1 SW_DEC, when given, a date', () => expect(failing('SW05STG1', 'sw_episodes', col('SW_DEC', ['', '01/05/2024', 'x']))).toEqual([2]));
  test('SW03STG1 SW_ID blank', () => expect(failing('SW03STG1', 'sw_episodes', col('SW_ID', ['SW1', '']))).toEqual([1]));
  test('SW02STG1 SW_ID begins SW or XX', () => expect(failing('SW02STG1', 'sw_episodes', col('SW_ID', ['SW999', 'XX12', 'sw1', 'AB1', '']))).toEqual([2, 3]));
  test('SW13STG1 SW_REASON', () => expect(failing('SW13STG1', 'sw_episodes', col('SW_REASON', ['MANAGE', 'SWLAZY', 'manage', '']))).toEqual([1, 2]));
  test('SW09STG2 ended the day it began, or before', () => {
    expect(failing('SW09STG2', 'sw_episodes', [
      { SW_DECOM: '01/05/2024', SW_DEC: '01/05/2024' }, { SW_DECOM: '01/05/2024', SW_DEC: '30/04/2024' },
      { SW_DECOM: '01/05/2024', SW_DEC: '02/05/2024' }, { SW_DECOM: '01/05/2024' },
    ])).toEqual([0, 1]);
  });
  test('SW06STG2 SW_DECOM after the year', () => expect(failing('SW06STG2', 'sw_episodes', col('SW_DECOM', ['31/03/2025', '01/04/2025']))).toEqual([1]));
  test('SW07STG2 SW_DEC outside the year', () => {
    expect(failing('SW07STG2', 'sw_episodes', col('SW_DEC', ['31/03/2024', '01/04/2024', '31/03/2025', '01/04/2025']))).toEqual([0, 3]);
  });
});

describe('the rule book', () => {
  test('errors (row not loaded) are exactly: no child, and the dates a record cannot exist or end without', () => {
    const errors = [...new Set(SSDA903_RULES.filter((r) => r.severity === 'error').map((r) => `${r.table}:${r.code}`))].sort();
    expect(errors).toEqual([
      'ad1:112', 'ad1:CSC301', 'episodes:141', 'episodes:147', 'episodes:CSC301', 'header:CSC301', 'missing:1004', 'missing:1005',
      'missing:564', 'missing:CSC301', 'oc2:CSC301', 'oc3:CSC301', 'placed_for_adoption:115', 'placed_for_adoption:116',
      'placed_for_adoption:CSC301', 'previous_permanence:CSC301', 'reviews:166', 'reviews:CSC301', 'sw_episodes:CSC301',
      'sw_episodes:SW04STG1', 'sw_episodes:SW05STG1', 'uasc:CSC301',
    ]);
  });

  test('every DfE code used is in DfE\'s 2024-25 rule list', async () => {
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(new URL('../../shared/validation-rules/ssda903-rules-2024-25.csv', import.meta.url), 'utf8');
    const dfe = new Set(csv.split('\n').slice(1).map((l) => l.split(',')[0]));
    const ours = [...new Set(SSDA903_RULES.map((r) => r.code))].filter((c) => !c.startsWith('CSC'));
    expect(ours.filter((c) => !dfe.has(c))).toEqual([]);
  });

  test('every rule has a worked example above', () => {
    const declared = new Set(SSDA903_RULES.map((r) => `${r.table}:${r.code}`));
    expect([...declared].filter((k) => !tested.has(k))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Checks across rows

function located<T extends TableName>(table: T, line: number, values: Partial<Row<T>>): Located<T> {
  return { ...emptyRow(table), ...values, source_row: line } as Located<T>;
}

describe('checks across rows (to run in SQL in the store later)', () => {
  const ep = (line: number, child: string, decom: string, dec: string | null) => located('lac_episodes', line, { child_id: child, decom, dec });

  test('501 an episode starting before the previous one ended; ending and starting the same day is a continuation', () => {
    const rows = [
      ep(2, 'A', '2024-01-01', '2024-03-01'), ep(3, 'A', '2024-03-01', null), // continuation
      ep(4, 'B', '2024-01-01', '2024-04-01'), ep(5, 'B', '2024-03-01', null), // overlap
      ep(6, 'C', '2024-01-01', null), ep(7, 'C', '2024-02-01', null), // the first never ended
    ];
    const found = overlappingEpisodes(rows);
    expect(found.map((f) => [f.code, f.row, f.childId])).toEqual([['501', 5, 'B'], ['501', 7, 'C']]);
    expect(found[0].message).toBe(
      'episodes.csv line 5: episode starting 01/03/2024 begins before the episode starting 01/01/2024 ended (DEC 01/04/2024) ' +
      '(rule 501: A new episode has started before the end date of the previous episode) — loaded, flagged',
    );
  });

  test('142 an earlier episode with no end date', () => {
    const rows = [ep(2, 'A', '2024-01-01', '2024-03-01'), ep(3, 'A', '2024-03-01', null), ep(6, 'C', '2024-01-01', null), ep(7, 'C', '2024-02-01', null)];
    expect(unendedEarlierEpisodes(rows).map((f) => [f.code, f.row])).toEqual([['142', 6]]);
  });

  test('574 overlapping missing periods', () => {
    const m = (line: number, start: string, end: string | null) => located('missing_episodes', line, { child_id: 'A', start_date: start, end_date: end });
    expect(overlappingMissing([m(2, '2024-05-01', '2024-05-10'), m(3, '2024-05-05', '2024-05-06'), m(4, '2024-05-10', null)]).map((f) => [f.code, f.row]))
      .toEqual([['574', 3]]);
  });

  test('SW10STG2 overlapping social worker episodes', () => {
    const s = (line: number, start: string, end: string | null) => located('social_worker_episodes', line, { child_id: 'A', start_date: start, end_date: end });
    expect(overlappingSocialWorkerEpisodes([s(2, '2024-05-01', null), s(3, '2024-06-01', null)]).map((f) => [f.code, f.row])).toEqual([['SW10STG2', 3]]);
  });

  test('579 a second decision to place for adoption while the first is open', () => {
    const p = (line: number, placed: string, ceased: string | null) => located('placed_for_adoption', line, { child_id: 'A', date_placed: placed, date_placed_ceased: ceased });
    expect(overlappingPlacedForAdoption([p(2, '2023-01-01', '2023-06-01'), p(3, '2023-06-01', null), p(4, '2024-01-01', null)]).map((f) => [f.code, f.row]))
      .toEqual([['579', 4]]);
  });

  test('INT31–INT36 a child twice in a one-row-per-child table; other tables are not checked', () => {
    const rows = [located('health', 2, { child_id: 'X' }), located('health', 3, { child_id: 'Y' }), located('health', 5, { child_id: 'X' })];
    const found = childMoreThanOnce('oc2', rows);
    expect(found.map((f) => [f.code, f.row, f.value])).toEqual([['INT33', 5, 'X']]);
    expect(found[0].message).toBe('oc2.csv line 5: child X is also at line 2 (rule INT33: Child should only exist once in OC2) — loaded, flagged');
    expect(childMoreThanOnce('episodes', rows)).toEqual([]);
  });

  test('CSC010 the same record key twice: the later line is flagged', () => {
    const rows = [ep(2, 'A', '2024-01-01', null), ep(3, 'A', '2024-02-01', null), ep(9, 'A', '2024-01-01', '2024-05-01')];
    expect(duplicateRecords('lac_episodes', rows, 'episodes.csv').map((f) => [f.code, f.row, f.value])).toEqual([['CSC010', 9, 'A 2024-01-01']]);
  });
});
