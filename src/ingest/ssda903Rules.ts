// Validation rules for the SSDA903 (children looked after) return, one declaration per rule: DfE's code
// and message (../shared/validation-rules/ssda903-rules-2024-25.csv), the fields and table it reads,
// the severity we give it and why, then the check. Worked examples for every rule are in
// test/ssda903.rules.test.ts.
//
// Severity decides what happens to the row:
//   error   — the row is not loaded: no child id, or a date the record cannot exist without (the start
//             of an episode, review, missing period, social worker episode or adoption decision), or
//             an end date that cannot be read (loading it blank would turn a closed record into an open one);
//   warning — the row is loaded and flagged: invalid codes, dates in the wrong order, dates outside the
//             collection year, combinations DfE does not allow. Where a value cannot be stored (a sex
//             that is not 1 or 2, a yes/no that is not 0 or 1, an unreadable date of birth) the row is
//             loaded with that one field blank and the finding says so.
//
// Code lists follow DfE's 2024-25 validation (as implemented by Data to Insight's validator), which
// differs from codes.ts in a few places: CIN is N1–N8 only (N0 and N9 are CIN census codes), REC
// excludes the retired E43/E44, ACTIV adds '0', ACCOM allows only the suitable/unsuitable pairs DfE
// accepts (no S1 or X1), PREV_PERM adds P4.
//
// Rules that compare rows (overlapping episodes, a child twice in a one-row-per-child table) are
// set-based: they are the pure functions at the end of this file, to be run in SQL by the store later.
import { addYears } from '../calendar.ts';
import {
  ETHNICITY, LEGAL_STATUS, MISSING_TYPE, PLACEMENT_PROVIDER, PLACEMENT_TYPE, REASON_EPISODE_CEASED,
  REASON_NEW_EPISODE, REASON_PLACE_CHANGE, REVIEW_PARTICIPATION, CARE_LEAVER_IN_TOUCH, SDQ_REASON,
} from '../codes.ts';
import { TABLES, type Row, type TableName } from '../model.ts';
import type { Finding, Severity } from './types.ts';
import { parseBool, parseIsoDate, parseUkDate } from './values.ts';

/** The eleven SSDA903 tables, by the base name DfE's tools give their CSV files. */
export type Ssda903Table =
  | 'header' | 'episodes' | 'reviews' | 'uasc' | 'oc2' | 'oc3' | 'ad1' | 'placed_for_adoption'
  | 'previous_permanence' | 'missing' | 'sw_episodes';

/** A row as read: trimmed text by column name ('' when blank). */
export type RawRow = Readonly<Record<string, string>>;
/** The row's date columns read once: ISO date, null when blank, undefined when not a date. */
export type RowDates = Readonly<Record<string, string | null | undefined>>;

/** The collection year a file covers: 2024 = 1 April 2024 to 31 March 2025. */
export interface CollectionYear {
  year: number;
  start: string;
  end: string;
}

export function collectionYear(year: number): CollectionYear {
  return { year, start: `${year}-04-01`, end: `${year + 1}-03-31` };
}

export interface Failure {
  field: string;
  value: string | null;
  /** what is wrong, in the user's terms: "DEC 03/02/2024 is before DECOM 12/03/2024" */
  detail: string;
  /** what happened to the row, when not the severity's default ("row not loaded" / "loaded, flagged") */
  outcome?: string;
}

export interface Ssda903Rule {
  code: string;
  /** DfE's message for the rule (ours for CSC codes) */
  message: string;
  fields: readonly string[];
  table: Ssda903Table;
  severity: Severity;
  /** the check needs the collection year; skipped (and said so) when the year is not known */
  needsYear?: boolean;
  check(r: RawRow, d: RowDates, year: CollectionYear | null): Failure | Failure[] | null;
}

// ---------------------------------------------------------------------------------------------
// Code lists

const set = (codes: Iterable<string>): ReadonlySet<string> => new Set(codes);
const keys = (list: Readonly<Record<string, string>>): ReadonlySet<string> => set(Object.keys(list));

export const VALID = {
  SEX: set(['1', '2']),
  ETHNIC: keys(ETHNICITY),
  RNE: keys(REASON_NEW_EPISODE),
  LS: keys(LEGAL_STATUS),
  CIN: set(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']),
  PLACE: keys(PLACEMENT_TYPE),
  PLACE_PROVIDER: keys(PLACEMENT_PROVIDER),
  REC: set(Object.keys(REASON_EPISODE_CEASED).filter((c) => c !== 'E43' && c !== 'E44')),
  REASON_PLACE_CHANGE: keys(REASON_PLACE_CHANGE),
  REVIEW_CODE: keys(REVIEW_PARTICIPATION),
  SDQ_REASON: keys(SDQ_REASON),
  IN_TOUCH: keys(CARE_LEAVER_IN_TOUCH),
  ACTIV: set(['F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5', 'G4', 'G5', 'G6', '0']),
  ACCOM: set([
    'B1', 'B2', 'C1', 'C2', 'D1', 'D2', 'E1', 'E2', 'G1', 'G2', 'H1', 'H2', 'K1', 'K2', 'R1', 'R2', 'S2', 'T1', 'T2',
    'U1', 'U2', 'V1', 'V2', 'W1', 'W2', 'X2', 'Y1', 'Y2', 'Z1', 'Z2', '0',
  ]),
  SEX_ADOPTR: set(['M1', 'F1', 'MM', 'FF', 'MF']),
  LS_ADOPTR: set(['L0', 'L11', 'L12', 'L2', 'L3', 'L4']),
  NB_ADOPTR: set(['1', '2']),
  REASON_PLACED_CEASED: set(['RD1', 'RD2', 'RD3', 'RD4']),
  PREV_PERM: set(['P1', 'P2', 'P3', 'P4', 'Z1']),
  MISSING: keys(MISSING_TYPE),
  SW_REASON: set(['MANAGE', 'FCONTA', 'LEFTRL', 'ORGRST', 'TSPROC', 'ABSENC', 'CHCHAN', 'PCCHAN', 'SWDIED', 'OTHERS']),
  BOOL: set(['0', '1']),
} as const;

/** Placement types that have no placement provider (rule 178). */
const NO_PROVIDER_PLACEMENTS = set(['T0', 'T1', 'T2', 'T3', 'T4', 'Z1']);
const UPN = /^[A-HJ-NP-RT-Z](\d{12}|\d{11}[A-Z])$|^UN[1-5]$/;
const URN = /^(SC\d{6}|\d{6,7}|XXXXXXX)$/;
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;

export const OC2_YES_NO = [
  'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE',
  'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED',
] as const;
const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'] as const;
const OC3_ITEMS = ['IN_TOUCH', 'ACTIV', 'ACCOM'] as const;

// ---------------------------------------------------------------------------------------------
// Helpers for the checks

/** '2024-03-12' → '12/03/2024', the way the return writes it. */
export function ukDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Age in whole years on a date; a 29 February birthday comes on 1 March in other years. */
export function ageAt(dob: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dob.slice(0, 4));
  return date.slice(5) < dob.slice(5) ? years - 1 : years;
}

const fail = (field: string, value: string | null, detail: string, outcome?: string): Failure =>
  outcome === undefined ? { field, value, detail } : { field, value, detail, outcome };

/** A coded field: blank passes unless blankFails. */
function codeRule(
  code: string, table: Ssda903Table, field: string, valid: ReadonlySet<string>, message: string,
  opts: { blankFails?: boolean; outcome?: string } = {},
): Ssda903Rule {
  return {
    code, message, fields: [field], table, severity: 'warning',
    check: (r) => {
      const v = r[field];
      if (v === '') return opts.blankFails ? fail(field, null, `${field} is blank`, opts.outcome) : null;
      return valid.has(v) ? null : fail(field, v, `${field} ${v} is not a valid code`, opts.outcome);
    },
  };
}

/** A date field that must be readable (and, if required, present). */
function dateRule(
  code: string, table: Ssda903Table, field: string, message: string, severity: Severity,
  opts: { required?: boolean; outcome?: string } = {},
): Ssda903Rule {
  return {
    code, message, fields: [field], table, severity,
    check: (r, d) => {
      const v = d[field];
      if (v === undefined) return fail(field, r[field], `${field} ${r[field]} is not a date`, opts.outcome);
      if (v === null && opts.required) return fail(field, null, `${field} is blank`, opts.outcome);
      return null;
    },
  };
}

/** `later` must not be before `earlier` (both present and readable, else the date rules speak). */
function orderRule(
  code: string, table: Ssda903Table, earlier: string, later: string, message: string,
): Ssda903Rule {
  return {
    code, message, fields: [later, earlier], table, severity: 'warning',
    check: (r, d) => {
      const a = d[earlier];
      const b = d[later];
      return a && b && b < a ? fail(later, r[later], `${later} ${r[later]} is before ${earlier} ${r[earlier]}`) : null;
    },
  };
}

/** Placement provider codes that cannot go with some placement types (rules 527–531, 550). */
function providerRule(code: string, provider: string, places: string[], message: string, only = false): Ssda903Rule {
  const listed = set(places);
  return {
    code, message, fields: ['PLACE', 'PLACE_PROVIDER'], table: 'episodes', severity: 'warning',
    check: (r) => {
      if (r.PLACE_PROVIDER !== provider || r.PLACE === '') return null;
      const wrong = only ? !listed.has(r.PLACE) : listed.has(r.PLACE);
      return wrong ? fail('PLACE_PROVIDER', provider, `PLACE_PROVIDER ${provider} with PLACE ${r.PLACE}`) : null;
    },
  };
}

/** Legal status of adopters that requires particular sexes of adopters (rules 514–524). */
function adopterRule(code: string, ls: string, sexes: string[], message: string): Ssda903Rule {
  const allowed = set(sexes);
  return {
    code, message, fields: ['LS_ADOPTR', 'SEX_ADOPTR'], table: 'ad1', severity: 'warning',
    check: (r) => r.LS_ADOPTR === ls && !allowed.has(r.SEX_ADOPTR)
      ? fail('SEX_ADOPTR', r.SEX_ADOPTR || null, `SEX_ADOPTR ${r.SEX_ADOPTR || 'blank'} with LS_ADOPTR ${ls}`)
      : null,
  };
}

/** What the reader does with a yes/no item that is not 0 or 1: 'Y', 'true' and the like are read, anything else is left blank. */
function yesNoOutcome(field: string, value: string): string {
  const b = parseBool(value);
  return b === undefined || b === null ? `loaded with ${field} blank` : `loaded as ${b ? 1 : 0}`;
}

const anyGiven = (r: RawRow, fields: readonly string[]) => fields.some((f) => r[f] !== '');
const allGiven = (r: RawRow, fields: readonly string[]) => fields.every((f) => r[f] !== '');

// ---------------------------------------------------------------------------------------------
// The rules, by table

/** Every table: a row without a child id cannot be attached to anyone. */
const childRules: Ssda903Rule[] = (
  ['header', 'episodes', 'reviews', 'uasc', 'oc2', 'oc3', 'ad1', 'placed_for_adoption', 'previous_permanence', 'missing', 'sw_episodes'] as const
).map((table) => ({
  code: 'CSC301', message: 'child id (CHILD) is blank', fields: ['CHILD'], table,
  severity: 'error' as const, // the row belongs to no child
  check: (r: RawRow) => (r.CHILD === '' ? fail('CHILD', null, 'CHILD is blank') : null),
}));

const headerRules: Ssda903Rule[] = [
  // warning: the child is loaded with sex unknown
  codeRule('101', 'header', 'SEX', VALID.SEX, 'Gender code is not valid.', { blankFails: true, outcome: 'loaded with sex unknown' }),
  // warning: the child is loaded without a date of birth
  dateRule('102', 'header', 'DOB', 'Date of birth is not a valid date.', 'warning', { required: true, outcome: 'loaded without a date of birth' }),
  // warning: the code is kept as sent
  codeRule('103', 'header', 'ETHNIC', VALID.ETHNIC, 'The ethnicity code is either not valid or has not been entered.', { blankFails: true }),
  {
    code: '168', message: 'Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.',
    fields: ['UPN'], table: 'header', severity: 'warning', // kept as sent
    check: (r) => (r.UPN !== '' && !UPN.test(r.UPN) ? fail('UPN', r.UPN, `UPN ${r.UPN} is not a valid UPN`) : null),
  },
  {
    code: '442', message: 'Unique Pupil Number (UPN) field is not completed.', fields: ['UPN'], table: 'header',
    severity: 'warning',
    check: (r) => (r.UPN === '' ? fail('UPN', null, 'UPN is blank') : null),
  },
  {
    code: '165', message: 'Data entry for mother status is invalid.', fields: ['MOTHER', 'SEX'], table: 'header',
    severity: 'warning', // MOTHER is not kept in the canonical model; flagged only
    check: (r) => {
      if (r.MOTHER === '') return null;
      if (!VALID.BOOL.has(r.MOTHER)) return fail('MOTHER', r.MOTHER, `MOTHER ${r.MOTHER} is not 0 or 1`);
      return r.SEX === '1' ? fail('MOTHER', r.MOTHER, `MOTHER ${r.MOTHER} is recorded for a male child (SEX 1)`) : null;
    },
  },
  dateRule('171', 'header', 'MC_DOB', "Date of birth of mother's child is not a valid date.", 'warning'),
  {
    code: '174', message: "Mother's child date of birth is recorded but sex shows that the child is a male.",
    fields: ['MC_DOB', 'SEX'], table: 'header', severity: 'warning',
    check: (r) => (r.MC_DOB !== '' && r.SEX === '1' ? fail('MC_DOB', r.MC_DOB, `MC_DOB ${r.MC_DOB} is recorded for a male child (SEX 1)`) : null),
  },
  {
    code: '611', message: 'Date of birth field is blank, but child is a mother.', fields: ['MC_DOB', 'MOTHER'],
    table: 'header', severity: 'warning',
    check: (r) => (r.MOTHER === '1' && r.MC_DOB === '' ? fail('MC_DOB', null, 'MC_DOB is blank although MOTHER is 1') : null),
  },
  {
    code: '612', message: 'Date of birth field has been completed but mother field indicates child is not a mother.',
    fields: ['MC_DOB', 'MOTHER'], table: 'header', severity: 'warning',
    check: (r) => (r.MC_DOB !== '' && r.MOTHER === '0' ? fail('MC_DOB', r.MC_DOB, `MC_DOB ${r.MC_DOB} is recorded although MOTHER is 0`) : null),
  },
  orderRule('621', 'header', 'DOB', 'MC_DOB', "Mother's field has been completed but date of birth shows that the mother is younger than her child."),
  {
    code: '301', message: 'Date of birth falls after the year ended.', fields: ['DOB'], table: 'header',
    severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.DOB && y && d.DOB > y.end ? fail('DOB', r.DOB, `DOB ${r.DOB} is after the end of the collection year (${ukDate(y.end)})`) : null),
  },
  {
    code: '351', message: 'Child was over 25 at the start of the current collection year.', fields: ['DOB'], table: 'header',
    severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.DOB && y && addYears(d.DOB, 25) < y.start ? fail('DOB', r.DOB, `DOB ${r.DOB} makes the child over 25 on ${ukDate(y.start)}`) : null),
  },
];

const episodeRules: Ssda903Rule[] = [
  // error: an episode is identified by its child and start date
  dateRule('141', 'episodes', 'DECOM', 'Date episode began is not a valid date.', 'error', { required: true }),
  // error: loaded with DEC blank, a closed episode would count as open
  dateRule('147', 'episodes', 'DEC', 'Date episode ceased is not a valid date.', 'error'),
  // warning (date order): loaded as sent so the analyst sees both dates
  orderRule('356', 'episodes', 'DECOM', 'DEC', 'The date the episode ceased is before the date the same episode started.'),
  codeRule('143', 'episodes', 'RNE', VALID.RNE, 'The reason for new episode code is not a valid code.'),
  codeRule('144', 'episodes', 'LS', VALID.LS, 'The legal status code is not a valid code.'),
  codeRule('145', 'episodes', 'CIN', VALID.CIN, 'Category of need code is not a valid code.'),
  codeRule('146', 'episodes', 'PLACE', VALID.PLACE, 'Placement type code is not a valid code.'),
  {
    code: '178', message: 'Placement provider code is not a valid code.', fields: ['PLACE_PROVIDER', 'PLACE'],
    table: 'episodes', severity: 'warning',
    check: (r) => {
      const v = r.PLACE_PROVIDER;
      if (v === '') return null;
      if (!VALID.PLACE_PROVIDER.has(v)) return fail('PLACE_PROVIDER', v, `PLACE_PROVIDER ${v} is not a valid code`);
      return NO_PROVIDER_PLACEMENTS.has(r.PLACE)
        ? fail('PLACE_PROVIDER', v, `PLACE_PROVIDER ${v} is given for PLACE ${r.PLACE}, which has no provider`)
        : null;
    },
  },
  codeRule('149', 'episodes', 'REC', VALID.REC, 'Reason episode ceased code is not valid.'),
  {
    code: '148', message: 'Date episode ceased and reason episode ceased must both be coded, or both left blank.',
    fields: ['DEC', 'REC'], table: 'episodes', severity: 'warning',
    check: (r) => {
      if (r.DEC === '' && r.REC !== '') return fail('DEC', null, `DEC is blank but REC is ${r.REC}`);
      if (r.DEC !== '' && r.REC === '') return fail('REC', null, `REC is blank but DEC is ${r.DEC}`);
      return null;
    },
  },
  codeRule('1009', 'episodes', 'REASON_PLACE_CHANGE', VALID.REASON_PLACE_CHANGE, 'Reason for placement change is not a valid code.'),
  {
    // Without Ofsted's provider list only the shape of the URN can be checked.
    code: '1008', message: 'Ofsted Unique Reference Number (URN) is not valid.', fields: ['URN'], table: 'episodes',
    severity: 'warning',
    check: (r) => (r.URN !== '' && !URN.test(r.URN) ? fail('URN', r.URN, `URN ${r.URN} is not an Ofsted URN`) : null),
  },
  {
    // Without the postcode directory only the shape of a postcode can be checked.
    code: '392c', message: 'Postcode(s) provided are invalid.', fields: ['HOME_POST', 'PL_POST'], table: 'episodes',
    severity: 'warning',
    check: (r) => {
      const out: Failure[] = [];
      for (const f of ['HOME_POST', 'PL_POST']) {
        if (r[f] !== '' && !POSTCODE.test(r[f])) out.push(fail(f, r[f], `${f} ${r[f]} is not a postcode`));
      }
      return out.length ? out : null;
    },
  },
  {
    code: '353', message: 'No episode submitted can start before 14 October 1991.', fields: ['DECOM'], table: 'episodes',
    severity: 'warning',
    check: (r, d) => (d.DECOM && d.DECOM < '1991-10-14' ? fail('DECOM', r.DECOM, `DECOM ${r.DECOM} is before 14/10/1991`) : null),
  },
  {
    code: '354', message: 'Date episode ceased must be on or before the end of the current collection year.', fields: ['DECOM'],
    table: 'episodes', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.DECOM && y && d.DECOM > y.end ? fail('DECOM', r.DECOM, `DECOM ${r.DECOM} is after the end of the collection year (${ukDate(y.end)})`) : null),
  },
  {
    code: '385', message: 'Date episode ceased must be on or before the end of the current collection year.', fields: ['DEC'],
    table: 'episodes', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.DEC && y && d.DEC > y.end ? fail('DEC', r.DEC, `DEC ${r.DEC} is after the end of the collection year (${ukDate(y.end)})`) : null),
  },
  {
    code: '445', message: 'D1 is not a valid code for episodes starting after December 2005.', fields: ['LS', 'DECOM'],
    table: 'episodes', severity: 'warning',
    check: (r, d) => (r.LS === 'D1' && d.DECOM && d.DECOM > '2005-12-31' ? fail('LS', 'D1', `LS D1 (freeing order) for an episode starting ${r.DECOM}`) : null),
  },
  {
    code: '446', message: 'E1 is not a valid code for episodes starting before December 2005.', fields: ['LS', 'DECOM'],
    table: 'episodes', severity: 'warning',
    check: (r, d) => (r.LS === 'E1' && d.DECOM && d.DECOM < '2005-12-01' ? fail('LS', 'E1', `LS E1 (placement order) for an episode starting ${r.DECOM}`) : null),
  },
  providerRule('550', 'PR0', ['P1'], 'A placement provider code of PR0 can only be associated with placement P1.', true),
  providerRule('527', 'PR1', ['P1', 'R2', 'R5'], 'A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.'),
  providerRule('528', 'PR2', ['P1', 'R2', 'R5'], 'A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.'),
  providerRule('529', 'PR3', ['P1', 'A3', 'A4', 'A5', 'A6', 'K1', 'K2', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6'],
    'Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.'),
  providerRule('530', 'PR4', ['P1'], 'A placement provider code of PR4 cannot be associated with placement P1.'),
  providerRule('531', 'PR5', ['P1'], 'A placement provider code of PR5 cannot be associated with placements P1.'),
  {
    code: '378', message: 'A child who is placed with parent(s) cannot be looked after under a single period of accommodation under Section 20 of the Children Act 1989.',
    fields: ['LS', 'PLACE'], table: 'episodes', severity: 'warning',
    check: (r) => (r.PLACE === 'P1' && r.LS === 'V2' ? fail('LS', 'V2', 'LS V2 with PLACE P1 (placed with parents)') : null),
  },
  {
    code: '384', message: 'A child receiving respite care cannot be in a long-term foster placement',
    fields: ['PLACE', 'LS'], table: 'episodes', severity: 'warning',
    check: (r) => ((r.LS === 'V3' || r.LS === 'V4') && (r.PLACE === 'U1' || r.PLACE === 'U4')
      ? fail('PLACE', r.PLACE, `PLACE ${r.PLACE} (long-term fostering) with LS ${r.LS} (short breaks)`)
      : null),
  },
];

const reviewRules: Ssda903Rule[] = [
  // error: a review is identified by its child and date
  dateRule('166', 'reviews', 'REVIEW', 'Date of review is invalid or blank.', 'error', { required: true }),
  codeRule('167', 'reviews', 'REVIEW_CODE', VALID.REVIEW_CODE, 'Data entry for participation is invalid or blank.', { blankFails: true }),
  {
    code: '440', message: 'Participation method indicates child was under 4 years old at the time of the review, but date of birth and review date indicates the child was 4 years old or over.',
    fields: ['DOB', 'REVIEW', 'REVIEW_CODE'], table: 'reviews', severity: 'warning',
    check: (r, d) => (r.REVIEW_CODE === 'PN0' && d.DOB && d.REVIEW && ageAt(d.DOB, d.REVIEW) >= 4
      ? fail('REVIEW_CODE', 'PN0', `REVIEW_CODE PN0 (under 4) but the child was ${ageAt(d.DOB, d.REVIEW)} on ${r.REVIEW}`)
      : null),
  },
  {
    code: '441', message: 'Participation method indicates child was 4 years old or over at the time of the review, but the date of birth and review date indicates the child was under 4 years old.',
    fields: ['DOB', 'REVIEW', 'REVIEW_CODE'], table: 'reviews', severity: 'warning',
    check: (r, d) => (r.REVIEW_CODE !== 'PN0' && VALID.REVIEW_CODE.has(r.REVIEW_CODE) && d.DOB && d.REVIEW && ageAt(d.DOB, d.REVIEW) < 4
      ? fail('REVIEW_CODE', r.REVIEW_CODE, `REVIEW_CODE ${r.REVIEW_CODE} but the child was ${ageAt(d.DOB, d.REVIEW)} on ${r.REVIEW}`)
      : null),
  },
];

const uascRules: Ssda903Rule[] = [
  // warning: loaded without the date, i.e. as still UASC
  dateRule('104', 'uasc', 'DUC', 'Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.', 'warning',
    { outcome: 'loaded without the date UASC status ceased' }),
  {
    code: '304', message: 'Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of a child.',
    fields: ['DUC'], table: 'uasc', severity: 'warning',
    check: (r, d) => (d.DUC && d.DOB && d.DUC > addYears(d.DOB, 18)
      ? fail('DUC', r.DUC, `DUC ${r.DUC} is after the 18th birthday (${ukDate(addYears(d.DOB, 18))})`)
      : null),
  },
];

const oc2Rules: Ssda903Rule[] = [
  {
    code: '180', message: 'Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.',
    fields: ['SDQ_SCORE'], table: 'oc2', severity: 'warning', // loaded with the score blank
    check: (r) => (r.SDQ_SCORE !== '' && !/^(\d|[1-3]\d|40)$/.test(r.SDQ_SCORE)
      ? fail('SDQ_SCORE', r.SDQ_SCORE, `SDQ_SCORE ${r.SDQ_SCORE} is not a whole number from 0 to 40`, 'loaded with SDQ_SCORE blank')
      : null),
  },
  codeRule('196', 'oc2', 'SDQ_REASON', VALID.SDQ_REASON, 'Strengths and Difficulties (SDQ) reason is not a valid code.'),
  {
    code: '181', message: 'Data items relating to children looked after continuously for 12 months should be completed with a 0 or 1.',
    fields: OC2_YES_NO, table: 'oc2', severity: 'warning', // loaded with that item blank
    check: (r) => {
      const out: Failure[] = [];
      for (const f of OC2_YES_NO) {
        if (r[f] !== '' && !VALID.BOOL.has(r[f])) out.push(fail(f, r[f], `${f} ${r[f]} is not 0 or 1`, yesNoOutcome(f, r[f])));
      }
      return out.length ? out : null;
    },
  },
  {
    code: '197a', message: 'Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties Questionnaire score is filled in.',
    fields: ['SDQ_REASON', 'SDQ_SCORE'], table: 'oc2', severity: 'warning',
    check: (r) => (r.SDQ_SCORE !== '' && r.SDQ_REASON !== ''
      ? fail('SDQ_REASON', r.SDQ_REASON, `SDQ_REASON ${r.SDQ_REASON} is given with SDQ_SCORE ${r.SDQ_SCORE}`)
      : null),
  },
  {
    code: '158', message: 'If a child has been recorded as receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be left blank.',
    fields: ['INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED'], table: 'oc2', severity: 'warning',
    check: (r) => (r.INTERVENTION_RECEIVED === '1' && r.INTERVENTION_OFFERED !== ''
      ? fail('INTERVENTION_OFFERED', r.INTERVENTION_OFFERED, `INTERVENTION_OFFERED ${r.INTERVENTION_OFFERED} is given although INTERVENTION_RECEIVED is 1`)
      : null),
  },
  {
    code: '159', message: 'If a child has been recorded as not receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be completed as well.',
    fields: ['INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED', 'SUBSTANCE_MISUSE'], table: 'oc2', severity: 'warning',
    check: (r) => (r.SUBSTANCE_MISUSE === '1' && r.INTERVENTION_RECEIVED === '0' && r.INTERVENTION_OFFERED === ''
      ? fail('INTERVENTION_OFFERED', null, 'INTERVENTION_OFFERED is blank although INTERVENTION_RECEIVED is 0')
      : null),
  },
  {
    code: '192', message: 'Child has been identified as having a substance misuse problem but the additional item on whether an intervention was received has been left blank.',
    fields: ['INTERVENTION_RECEIVED', 'SUBSTANCE_MISUSE'], table: 'oc2', severity: 'warning',
    check: (r) => (r.SUBSTANCE_MISUSE === '1' && r.INTERVENTION_RECEIVED === ''
      ? fail('INTERVENTION_RECEIVED', null, 'INTERVENTION_RECEIVED is blank although SUBSTANCE_MISUSE is 1')
      : null),
  },
  {
    code: '193', message: 'Child not identified as having a substance misuse problem but at least one of the two additional items on whether an intervention were offered and received have been completed.',
    fields: ['INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED', 'SUBSTANCE_MISUSE'], table: 'oc2', severity: 'warning',
    check: (r) => (r.SUBSTANCE_MISUSE === '0' && (r.INTERVENTION_RECEIVED !== '' || r.INTERVENTION_OFFERED !== '')
      ? fail('SUBSTANCE_MISUSE', '0', 'SUBSTANCE_MISUSE is 0 but INTERVENTION_RECEIVED or INTERVENTION_OFFERED is completed')
      : null),
  },
  {
    code: '542', message: 'A child aged under 10 at 31 March should not have conviction information completed.',
    fields: ['CONVICTED'], table: 'oc2', severity: 'warning', needsYear: true,
    check: (r, d, y) => (r.CONVICTED !== '' && d.DOB && y && ageAt(d.DOB, y.end) < 10
      ? fail('CONVICTED', r.CONVICTED, `CONVICTED is completed for a child aged ${ageAt(d.DOB, y.end)} at ${ukDate(y.end)}`)
      : null),
  },
  {
    code: '546', message: 'Children aged 5 or over at 31 March should not have health promotion information completed.',
    fields: ['DOB', 'HEALTH_CHECK'], table: 'oc2', severity: 'warning', needsYear: true,
    check: (r, d, y) => (r.HEALTH_CHECK !== '' && d.DOB && y && ageAt(d.DOB, y.end) >= 5
      ? fail('HEALTH_CHECK', r.HEALTH_CHECK, `HEALTH_CHECK is completed for a child aged ${ageAt(d.DOB, y.end)} at ${ukDate(y.end)}`)
      : null),
  },
  {
    code: '188', message: 'Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a reason for no SDQ score has been completed.',
    fields: ['SDQ_REASON', 'SDQ_SCORE'], table: 'oc2', severity: 'warning', needsYear: true,
    check: (r, d, y) => ((r.SDQ_SCORE !== '' || r.SDQ_REASON !== '') && d.DOB && y && ageAt(d.DOB, y.end) < 4
      ? fail(r.SDQ_SCORE !== '' ? 'SDQ_SCORE' : 'SDQ_REASON', r.SDQ_SCORE || r.SDQ_REASON, `SDQ completed for a child aged ${ageAt(d.DOB, y.end)} at ${ukDate(y.end)}`)
      : null),
  },
  {
    code: '189', message: 'Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has been completed.',
    fields: ['DOB', 'SDQ_REASON', 'SDQ_SCORE'], table: 'oc2', severity: 'warning', needsYear: true,
    check: (r, d, y) => ((r.SDQ_SCORE !== '' || r.SDQ_REASON !== '') && d.DOB && y && ageAt(d.DOB, y.start) >= 17
      ? fail(r.SDQ_SCORE !== '' ? 'SDQ_SCORE' : 'SDQ_REASON', r.SDQ_SCORE || r.SDQ_REASON, `SDQ completed for a child aged ${ageAt(d.DOB, y.start)} at ${ukDate(y.start)}`)
      : null),
  },
];

const oc3Rules: Ssda903Rule[] = [
  codeRule('131', 'oc3', 'IN_TOUCH', VALID.IN_TOUCH, 'Data entry for being in touch after leaving care is invalid.', { blankFails: true }),
  codeRule('132', 'oc3', 'ACTIV', VALID.ACTIV, 'Data entry for activity after leaving care is invalid.', { blankFails: true }),
  // warning: loaded; whether the accommodation is suitable is left unknown
  codeRule('133', 'oc3', 'ACCOM', VALID.ACCOM, 'Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after leaving care the data entry must be valid',
    { blankFails: true, outcome: 'loaded with suitability of accommodation unknown' }),
  {
    code: '153', message: "All data items relating to a child's activity or accommodation after leaving care must be coded or left blank.",
    fields: OC3_ITEMS, table: 'oc3', severity: 'warning',
    check: (r) => (anyGiven(r, OC3_ITEMS) && !allGiven(r, OC3_ITEMS)
      ? fail(OC3_ITEMS.find((f) => r[f] === '')!, null, `${OC3_ITEMS.filter((f) => r[f] === '').join(' and ')} blank while the other care leaver items are completed`)
      : null),
  },
  {
    code: '345', message: 'The data collection record shows the local authority is in touch with this young person, but activity and/or accommodation data items are zero.',
    fields: ['ACCOM', 'ACTIV', 'IN_TOUCH'], table: 'oc3', severity: 'warning',
    check: (r) => (r.IN_TOUCH === 'YES' && (r.ACTIV === '0' || r.ACCOM === '0')
      ? fail(r.ACTIV === '0' ? 'ACTIV' : 'ACCOM', '0', `IN_TOUCH is YES but ${r.ACTIV === '0' ? 'ACTIV' : 'ACCOM'} is 0`)
      : null),
  },
  {
    code: '391', message: 'Young person was not 17, 18, 19, 20 or 21 during the current collection year.',
    fields: ['ACCOM', 'ACTIV', 'DOB', 'IN_TOUCH'], table: 'oc3', severity: 'warning', needsYear: true,
    check: (r, d, y) => {
      if (!d.DOB || !y) return null;
      return ageAt(d.DOB, y.end) < 17 || ageAt(d.DOB, y.start) >= 22
        ? fail('DOB', r.DOB, `DOB ${r.DOB} means the young person was not aged 17 to 21 during ${y.year}-${String((y.year + 1) % 100).padStart(2, '0')}`)
        : null;
    },
  },
];

const ad1Rules: Ssda903Rule[] = [
  // error: an adoption record is identified by its child and the date of the decision
  dateRule('112', 'ad1', 'DATE_INT', 'Date should be placed for adoption is not a valid date.', 'error', { required: true }),
  dateRule('113', 'ad1', 'DATE_MATCH', 'Date matching child and adopter(s) is not a valid date.', 'warning', { outcome: 'loaded without the matching date' }),
  {
    code: '114', message: 'Data entry to record the status of former carer(s) of an adopted child is invalid.',
    fields: ['FOSTER_CARE'], table: 'ad1', severity: 'warning',
    check: (r) => (r.FOSTER_CARE !== '' && !VALID.BOOL.has(r.FOSTER_CARE)
      ? fail('FOSTER_CARE', r.FOSTER_CARE, `FOSTER_CARE ${r.FOSTER_CARE} is not 0 or 1`, yesNoOutcome('FOSTER_CARE', r.FOSTER_CARE))
      : null),
  },
  codeRule('175', 'ad1', 'NB_ADOPTR', VALID.NB_ADOPTR, 'The number of adopter(s) code is not a valid code.', { outcome: 'loaded with NB_ADOPTR blank' }),
  codeRule('176', 'ad1', 'SEX_ADOPTR', VALID.SEX_ADOPTR, 'The gender of adopter(s) at the date of adoption code is not a valid code.'),
  codeRule('177', 'ad1', 'LS_ADOPTR', VALID.LS_ADOPTR, 'The legal status of adopter(s) code is not a valid code.'),
  {
    code: '151', message: 'All data items relating to a childs adoption must be coded or left blank.', fields: AD1_ITEMS,
    table: 'ad1', severity: 'warning',
    check: (r) => (anyGiven(r, AD1_ITEMS) && !allGiven(r, AD1_ITEMS)
      ? fail(AD1_ITEMS.find((f) => r[f] === '')!, null, `${AD1_ITEMS.filter((f) => r[f] === '').join(', ')} blank while other adoption items are completed`)
      : null),
  },
  orderRule('333', 'ad1', 'DATE_INT', 'DATE_MATCH', 'Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).'),
  {
    code: '511', message: 'If reporting that the number of person(s) adopting the looked after child is two adopters then the code should only be MM, FF or MF.',
    fields: ['NB_ADOPTR', 'SEX_ADOPTR'], table: 'ad1', severity: 'warning',
    check: (r) => (r.NB_ADOPTR === '2' && (r.SEX_ADOPTR === 'M1' || r.SEX_ADOPTR === 'F1')
      ? fail('SEX_ADOPTR', r.SEX_ADOPTR, `SEX_ADOPTR ${r.SEX_ADOPTR} (single adopter) with NB_ADOPTR 2`)
      : null),
  },
  adopterRule('514', 'L0', ['M1', 'F1'], 'Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters shows it as a couple.'),
  adopterRule('517', 'L3', ['MF'], 'If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF.'),
  adopterRule('518', 'L4', ['MM', 'FF'], 'If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF.'),
  adopterRule('519', 'L2', ['MM', 'FF', 'MF'], 'Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders of adopters does not show it as a couple.'),
  adopterRule('520', 'L11', ['MF'], 'Data entry on the legal status of adopters shows different gender married couple but data entry on genders of adopters shows it as a same gender couple.'),
  adopterRule('524', 'L12', ['MM', 'FF'], 'If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF.'),
];

const placedRules: Ssda903Rule[] = [
  // error: the record is identified by its child and the date of the decision
  dateRule('115', 'placed_for_adoption', 'DATE_PLACED', "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.", 'error', { required: true }),
  // error: loaded blank, a reversed decision would count as still open
  dateRule('116', 'placed_for_adoption', 'DATE_PLACED_CEASED', "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.", 'error'),
  {
    code: '119', message: 'If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.',
    fields: ['DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'], table: 'placed_for_adoption', severity: 'warning',
    check: (r) => {
      if (r.DATE_PLACED_CEASED !== '' && r.REASON_PLACED_CEASED === '') return fail('REASON_PLACED_CEASED', null, `REASON_PLACED_CEASED is blank but DATE_PLACED_CEASED is ${r.DATE_PLACED_CEASED}`);
      if (r.DATE_PLACED_CEASED === '' && r.REASON_PLACED_CEASED !== '') return fail('DATE_PLACED_CEASED', null, `DATE_PLACED_CEASED is blank but REASON_PLACED_CEASED is ${r.REASON_PLACED_CEASED}`);
      return null;
    },
  },
  codeRule('120', 'placed_for_adoption', 'REASON_PLACED_CEASED', VALID.REASON_PLACED_CEASED, 'The reason for the reversal of the decision that the child should be placed for adoption code is not valid.'),
  orderRule('522', 'placed_for_adoption', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'Date of decision that the child should be placed for adoption must be on or before the date that a child should no longer be placed for adoption.'),
  orderRule('184', 'placed_for_adoption', 'DOB', 'DATE_PLACED', 'Date of decision that a child should be placed for adoption is before the child was born.'),
];

const previousPermanenceRules: Ssda903Rule[] = [
  codeRule('631', 'previous_permanence', 'PREV_PERM', VALID.PREV_PERM, 'Previous permanence option not a valid value.'),
  {
    // DATE_PERM may leave the day or month unknown ('zz/05/2015'); anything else must be a real date
    code: 'CSC308', message: 'not a date', fields: ['DATE_PERM'], table: 'previous_permanence', severity: 'warning',
    check: (r) => {
      const v = r.DATE_PERM;
      if (v === '') return null;
      const m = /^(\d{2}|zz)\/(\d{2}|zz)\/(\d{4})$/i.exec(v);
      if (parseIsoDate(v) !== null) return null; // the XML form's dates are ISO
      const ok = m !== null && (/z/i.test(v) ? (/z/i.test(m[1]) || Number(m[1]) <= 31) && (/z/i.test(m[2]) || (Number(m[2]) >= 1 && Number(m[2]) <= 12)) : parseUkDate(v) !== null);
      return ok ? null : fail('DATE_PERM', v, `DATE_PERM ${v} is not a date (dd/mm/yyyy, zz for an unknown day or month)`, 'loaded as written');
    },
  },
  {
    code: '635', message: 'There are entries for date of order and local authority code where previous permanence option was arranged but previous permanence code is Z1',
    fields: ['DATE_PERM', 'LA_PERM', 'PREV_PERM'], table: 'previous_permanence', severity: 'warning',
    check: (r) => (r.PREV_PERM === 'Z1' && (r.DATE_PERM !== '' || r.LA_PERM !== '')
      ? fail('PREV_PERM', 'Z1', 'PREV_PERM is Z1 (none) but DATE_PERM or LA_PERM is completed')
      : null),
  },
];

const missingRules: Ssda903Rule[] = [
  // error: a missing period is identified by its child and start date
  {
    code: '564', message: 'Child was missing or away from placement without authorisation and the date started is blank.',
    fields: ['MISSING', 'MIS_START'], table: 'missing', severity: 'error',
    check: (r) => (r.MIS_START === '' ? fail('MIS_START', null, 'MIS_START is blank') : null),
  },
  {
    code: '1004', message: 'The start date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.',
    fields: ['MIS_START'], table: 'missing', severity: 'error',
    check: (r, d) => (d.MIS_START === undefined ? fail('MIS_START', r.MIS_START, `MIS_START ${r.MIS_START} is not a date`) : null),
  },
  // error: loaded blank, an ended missing period would count as still missing
  dateRule('1005', 'missing', 'MIS_END', 'The end date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.', 'error'),
  codeRule('1006', 'missing', 'MISSING', VALID.MISSING, 'Missing type invalid.'),
  {
    code: '565', message: 'The date that the child started to be missing or away from placement without authorisation has been completed but whether the child was missing or away without authorisation has not been completed.',
    fields: ['MISSING', 'MIS_START'], table: 'missing', severity: 'warning',
    check: (r) => (r.MISSING === '' && r.MIS_START !== '' ? fail('MISSING', null, 'MISSING is blank') : null),
  },
  orderRule('567', 'missing', 'MIS_START', 'MIS_END', 'The date that the missing episode or episode that the child was away from placement without authorisation ended is before the date that it started.'),
  {
    code: '570', message: 'The date that the child started to be missing or away from placement without authorisation is after the end of the collection year.',
    fields: ['MIS_START'], table: 'missing', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.MIS_START && y && d.MIS_START > y.end ? fail('MIS_START', r.MIS_START, `MIS_START ${r.MIS_START} is after the end of the collection year (${ukDate(y.end)})`) : null),
  },
  {
    code: '571', message: 'The date that the child ceased to be missing or away from placement without authorisation is before the start or after the end of the collection year.',
    fields: ['MIS_END'], table: 'missing', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.MIS_END && y && (d.MIS_END < y.start || d.MIS_END > y.end)
      ? fail('MIS_END', r.MIS_END, `MIS_END ${r.MIS_END} is outside the collection year (${ukDate(y.start)} to ${ukDate(y.end)})`)
      : null),
  },
  orderRule('586', 'missing', 'DOB', 'MIS_START', 'Dates of missing periods are before child’s date of birth.'),
];

const swRules: Ssda903Rule[] = [
  // error: a social worker episode is identified by its child and start date
  dateRule('SW04STG1', 'sw_episodes', 'SW_DECOM', 'Date social worker episode began is not a valid date.', 'error', { required: true }),
  // error: loaded blank, an ended allocation would count as current
  dateRule('SW05STG1', 'sw_episodes', 'SW_DEC', 'Date social worker episode ended is not a valid date.', 'error'),
  {
    code: 'SW03STG1', message: 'For each social worker episode, information should be complete.', fields: ['SW_ID'],
    table: 'sw_episodes', severity: 'warning',
    check: (r) => (r.SW_ID === '' ? fail('SW_ID', null, 'SW_ID is blank') : null),
  },
  {
    code: 'SW02STG1', message: 'Social worker ID does not begin with the characters ‘SW’ or ‘XX’.', fields: ['SW_ID'],
    table: 'sw_episodes', severity: 'warning',
    check: (r) => (r.SW_ID !== '' && !/^(SW|XX)/.test(r.SW_ID) ? fail('SW_ID', r.SW_ID, `SW_ID ${r.SW_ID} does not begin with SW or XX`) : null),
  },
  codeRule('SW13STG1', 'sw_episodes', 'SW_REASON', VALID.SW_REASON, 'The reason for social worker change is either not valid or has not been entered.'),
  {
    code: 'SW09STG2', message: 'Social worker episode appears to have lasted for less than 24 hours.', fields: ['SW_DEC', 'SW_DECOM'],
    table: 'sw_episodes', severity: 'warning',
    check: (r, d) => (d.SW_DEC && d.SW_DECOM && d.SW_DEC <= d.SW_DECOM
      ? fail('SW_DEC', r.SW_DEC, d.SW_DEC === d.SW_DECOM ? `SW_DEC ${r.SW_DEC} is the same day as SW_DECOM` : `SW_DEC ${r.SW_DEC} is before SW_DECOM ${r.SW_DECOM}`)
      : null),
  },
  {
    code: 'SW06STG2', message: 'Social worker episode data should be within the social worker data reporting year.', fields: ['SW_DECOM'],
    table: 'sw_episodes', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.SW_DECOM && y && d.SW_DECOM > y.end ? fail('SW_DECOM', r.SW_DECOM, `SW_DECOM ${r.SW_DECOM} is after the end of the collection year (${ukDate(y.end)})`) : null),
  },
  {
    code: 'SW07STG2', message: 'Social worker episode end date should be on or after the start of the social worker reporting period, and should be on or before the collection end date.',
    fields: ['SW_DEC'], table: 'sw_episodes', severity: 'warning', needsYear: true,
    check: (r, d, y) => (d.SW_DEC && y && (d.SW_DEC < y.start || d.SW_DEC > y.end)
      ? fail('SW_DEC', r.SW_DEC, `SW_DEC ${r.SW_DEC} is outside the collection year (${ukDate(y.start)} to ${ukDate(y.end)})`)
      : null),
  },
];

export const SSDA903_RULES: readonly Ssda903Rule[] = [
  ...childRules, ...headerRules, ...episodeRules, ...reviewRules, ...uascRules, ...oc2Rules, ...oc3Rules, ...ad1Rules,
  ...placedRules, ...previousPermanenceRules, ...missingRules, ...swRules,
];

/** The row rules of one table, in declaration order. */
export function rulesFor(table: Ssda903Table): Ssda903Rule[] {
  return SSDA903_RULES.filter((r) => r.table === table);
}

/** The rule with this code for this table (tests and documentation). */
export function ruleOf(code: string, table?: Ssda903Table): Ssda903Rule {
  const rule = SSDA903_RULES.find((r) => r.code === code && (table === undefined || r.table === table));
  if (!rule) throw new Error(`no SSDA903 rule ${code}${table ? ` for ${table}` : ''}`);
  return rule;
}

/** Structural findings made by the reader itself (our own codes, ruleset 'file'). */
export const FILE_CODES = {
  /** a row with more or fewer fields than the header: error, the fields cannot be matched to columns */
  wrongFieldCount: 'CSC302',
  /** the CSV cannot be parsed (e.g. an unclosed quote): the file is refused */
  damaged: 'CSC303',
  /** nothing in the file, not even a header line: the file is refused */
  empty: 'CSC304',
  /** the header line is not the column set of any SSDA903 table: the file is refused */
  notRecognised: 'CSC305',
  /** columns beyond the table's set: warning, they are ignored */
  extraColumns: 'CSC306',
  /** the collection year was inferred, or is unknown (checks against the year not made) */
  collectionYear: 'CSC307',
  /** a date column no DfE rule checks is not a date: warning (error when the date is part of the record's key) */
  unreadableDate: 'CSC308',
} as const;

// ---------------------------------------------------------------------------------------------
// Set-based checks across rows. Pure functions over arrays of canonical rows with their source line;
// the store will run the same logic in SQL (crossChecks.ts already does 501 and duplicate keys).

export type Located<T extends TableName> = Row<T> & { source_row: number | null };

function crossFinding(
  file: string, code: string, section: string, field: string, row: number | null, value: string | null,
  childId: string | null, message: string, ruleset: Finding['ruleset'] = 'ssda903',
): Finding {
  return {
    ruleset, code, severity: 'warning', file, row, section, field, value, childId,
    message: `${file}${row !== null ? ` line ${row}` : ''}: ${message} — loaded, flagged`,
  };
}

function byChild<R extends { child_id: string | null }>(rows: readonly R[]): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const r of rows) {
    if (r.child_id === null) continue;
    let list = map.get(r.child_id);
    if (!list) map.set(r.child_id, (list = []));
    list.push(r);
  }
  return map;
}

/**
 * Periods of one child that overlap: a later-starting period that begins before an earlier one has
 * ended (an earlier period with no end overlaps everything after it). Ending and starting on the same
 * day is a continuation, not an overlap. Each later period is flagged once per earlier one it overlaps.
 */
function overlaps<R extends { child_id: string | null; source_row: number | null }>(
  rows: readonly R[], start: (r: R) => string | null, end: (r: R) => string | null,
  flag: (later: R, earlier: R) => Finding,
): Finding[] {
  const out: Finding[] = [];
  for (const list of byChild(rows).values()) {
    const dated = list.filter((r) => start(r) !== null).sort((a, b) => cmp(start(a)!, start(b)!) || (a.source_row ?? 0) - (b.source_row ?? 0));
    for (let i = 0; i < dated.length; i++) {
      for (let j = 0; j < i; j++) {
        const e = end(dated[j]);
        if (start(dated[j])! < start(dated[i])! && (e === null || e > start(dated[i])!)) out.push(flag(dated[i], dated[j]));
      }
    }
  }
  return out.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const uk = (iso: string | null) => (iso ? ukDate(iso) : 'blank');

/** Rule 501: a new episode has started before the end date of the previous episode. */
export function overlappingEpisodes(rows: readonly Located<'lac_episodes'>[], file = 'episodes.csv'): Finding[] {
  return overlaps(rows, (r) => r.decom, (r) => r.dec, (a, b) => crossFinding(
    file, '501', 'episodes', 'DECOM', a.source_row, uk(a.decom), a.child_id,
    `episode starting ${uk(a.decom)} begins before the episode starting ${uk(b.decom)} ended (${b.dec ? `DEC ${uk(b.dec)}` : 'no DEC'}) (rule 501: A new episode has started before the end date of the previous episode)`,
  ));
}

/** Rule 142: an episode other than the child's latest has no end date. */
export function unendedEarlierEpisodes(rows: readonly Located<'lac_episodes'>[], file = 'episodes.csv'): Finding[] {
  const out: Finding[] = [];
  for (const list of byChild(rows).values()) {
    const latest = list.reduce<string | null>((m, r) => (r.decom !== null && (m === null || r.decom > m) ? r.decom : m), null);
    for (const r of list) {
      if (r.dec === null && r.decom !== null && latest !== null && r.decom < latest) {
        out.push(crossFinding(file, '142', 'episodes', 'DEC', r.source_row, null, r.child_id,
          `episode starting ${uk(r.decom)} has no DEC but a later episode starts ${uk(latest)} (rule 142: A new episode has started, but the previous episode has not ended)`));
      }
    }
  }
  return out.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** Rule 574: a missing period starts while the previous one is still open. */
export function overlappingMissing(rows: readonly Located<'missing_episodes'>[], file = 'missing.csv'): Finding[] {
  return overlaps(rows, (r) => r.start_date, (r) => r.end_date, (a, b) => crossFinding(
    file, '574', 'missing', 'MIS_START', a.source_row, uk(a.start_date), a.child_id,
    `missing period starting ${uk(a.start_date)} begins before the period starting ${uk(b.start_date)} ended (${b.end_date ? `MIS_END ${uk(b.end_date)}` : 'no MIS_END'}) (rule 574: A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open)`,
  ));
}

/** Rule SW10STG2: a social worker episode starts before the previous one ended. */
export function overlappingSocialWorkerEpisodes(rows: readonly Located<'social_worker_episodes'>[], file = 'sw_episodes.csv'): Finding[] {
  return overlaps(rows, (r) => r.start_date, (r) => r.end_date, (a, b) => crossFinding(
    file, 'SW10STG2', 'sw_episodes', 'SW_DECOM', a.source_row, uk(a.start_date), a.child_id,
    `social worker episode starting ${uk(a.start_date)} begins before the one starting ${uk(b.start_date)} ended (rule SW10STG2: A new social worker episode has started before the end date of the previous social worker episode)`,
  ));
}

/** Rule 579: a decision to place for adoption starts while an earlier one is still open. */
export function overlappingPlacedForAdoption(rows: readonly Located<'placed_for_adoption'>[], file = 'placed_for_adoption.csv'): Finding[] {
  return overlaps(rows, (r) => r.date_placed, (r) => r.date_placed_ceased, (a, b) => crossFinding(
    file, '579', 'placed_for_adoption', 'DATE_PLACED', a.source_row, uk(a.date_placed), a.child_id,
    `decision to place for adoption on ${uk(a.date_placed)} is made while the decision of ${uk(b.date_placed)} is still open (rule 579: A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open)`,
  ));
}

/** DfE's "child should only exist once" checks for the tables with one row per child. */
const ONCE_PER_CHILD: Partial<Record<Ssda903Table, { code: string; table: TableName; message: string }>> = {
  ad1: { code: 'INT31', table: 'adoptions', message: 'Child should only exist once in AD1.' },
  header: { code: 'INT32', table: 'children', message: 'Child should only exist once in Header.' },
  oc2: { code: 'INT33', table: 'health', message: 'Child should only exist once in OC2.' },
  oc3: { code: 'INT34', table: 'care_leavers', message: 'Child should only exist once in OC3.' },
  previous_permanence: { code: 'INT35', table: 'previous_permanence', message: 'Child should only exist once in PrevPerm.' },
  uasc: { code: 'INT36', table: 'uasc', message: 'Child should only exist once in UASC.' },
};

/** Rules INT31–INT36: a child on more than one row of a one-row-per-child table; every line after the first is flagged. */
export function childMoreThanOnce(
  table: Ssda903Table, rows: readonly { child_id: string | null; source_row: number | null }[], file = `${table}.csv`,
): Finding[] {
  const rule = ONCE_PER_CHILD[table];
  if (!rule) return [];
  const out: Finding[] = [];
  for (const [child, list] of byChild(rows)) {
    const sorted = [...list].sort((a, b) => (a.source_row ?? 0) - (b.source_row ?? 0));
    for (const r of sorted.slice(1)) {
      out.push(crossFinding(file, rule.code, table, 'CHILD', r.source_row, child, child,
        `child ${child} is also at line ${sorted[0].source_row} (rule ${rule.code}: ${rule.message.replace(/\.$/, '')})`));
    }
  }
  return out.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** CSC010: the same record key twice in one file (as crossChecks.ts does in SQL); later lines flagged. */
export function duplicateRecords<T extends TableName>(table: T, rows: readonly Located<T>[], file: string): Finding[] {
  const key = TABLES[table].key as readonly string[];
  const first = new Map<string, number | null>();
  const out: Finding[] = [];
  const sorted = [...rows].sort((a, b) => (a.source_row ?? 0) - (b.source_row ?? 0));
  for (const r of sorted) {
    const values = key.map((k) => (r as Record<string, unknown>)[k]);
    const id = JSON.stringify(values);
    if (!first.has(id)) { first.set(id, r.source_row); continue; }
    out.push(crossFinding(file, 'CSC010', table, key.join(', '), r.source_row, values.map((v) => String(v)).join(' '),
      (r as { child_id?: string | null }).child_id ?? null,
      `the same ${table.replace(/_/g, ' ')} record (${key.join(', ')}) also appears at line ${first.get(id)}; the later line is the one counted`, 'file'));
  }
  return out;
}
