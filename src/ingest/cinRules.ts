// Validation rules of the CIN census, checked as the reader goes, one <Child> at a time.
// Each rule is a declaration — code, severity, DfE's message, the fields it reads, the check — and each
// has a worked example in test/cinCensus.rules.test.ts. Codes and messages are DfE's, from
// ../shared/validation-rules/cin-census-rules.csv (the rules of data-to-insight/csc-validator-be-cin);
// where DfE has no rule (file-level problems, unreadable dates, schema-only checks) the code is ours, 'CSC2xx'.
//
// Severity, decided per rule and written beside it:
//   error   — the record (the canonical row made from the element) is not loaded: a missing or unreadable
//             key date or id leaves nothing to count it by, an unreadable date cannot be stored.
//             A CINdetails whose referral date is unusable takes everything inside it along (those rows
//             are linked to it by that date); so does a plan without a start date, for its reviews; and a
//             Child without LAchildID is not loaded at all.
//   warning — loaded, flagged: invalid codes are stored as written, dates out of order are stored as
//             written; which of two conflicting dates is wrong is for a person to decide.
// Rules that need more than one child's records, or rows of other loads, are run set-based after the load
// in crossChecks.ts (8935 more than one open CP plan, 8940 overlapping CP plans); 8510 (same LAchildID twice)
// is here, at the cost of one string per child held for the length of the file.
import { addDays, addWorkingDays } from '../calendar.ts';
import {
  ASSESSMENT_FACTORS, CATEGORY_OF_ABUSE, DISABILITY, ETHNICITY, PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE,
} from '../codes.ts';
import type { Finding, Severity } from './types.ts';
import { parseIsoDate } from './values.ts';

// ---------------------------------------------------------------------------------------------
// The records the reader builds from one <Child>: element text exactly as written (trimmed), with lines.

/** One leaf element: its text (trimmed) and the line it starts on. `iso` caches the parsed date. */
export interface Field {
  text: string;
  line: number;
  iso?: string | null;
}

export interface CinRecord {
  /** DfE element name: 'Header', 'Child', 'CINdetails', 'Assessments', 'CINPlanDates', 'Section47', … */
  element: string;
  line: number;
  /** first occurrence of each leaf element, by element name */
  fields: Record<string, Field>;
}

export interface CinChild extends CinRecord {
  element: 'Child';
  disabilities: Field[];
  details: CinDetails[];
}

export interface CinDetails extends CinRecord {
  element: 'CINdetails';
  child: CinChild;
  assessments: CinAssessment[];
  cinPlans: CinNested[];
  section47: CinNested[];
  cpPlans: CinCpPlan[];
  preProceedings: CinNested[];
}

export interface CinNested extends CinRecord {
  details: CinDetails;
}

export interface CinAssessment extends CinNested {
  element: 'Assessments';
  factors: Field[];
}

export interface CinCpPlan extends CinNested {
  element: 'ChildProtectionPlans';
  reviews: CinReview[];
}

/** One CPPreviewDate: a row of its own (cp_reviews). */
export interface CinReview extends CinRecord {
  element: 'CPPreviewDate';
  plan: CinCpPlan;
}

/** What the rules know about the file: its name, the census year from the Header, ids seen so far. */
export interface CinContext {
  file: string;
  /** ReferenceDate from the Header (the census date, 31 March), when readable */
  referenceDate: string | null;
  /** 1 April before the reference date */
  periodStart: string | null;
  /** LAchildIDs of the children already read (rule 8510) */
  childIdsSeen: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Reading fields

/** The text of a field, or null when the element is absent or empty. */
export function text(r: CinRecord, name: string): string | null {
  const f = r.fields[name];
  return f && f.text !== '' ? f.text : null;
}

/** The field as an ISO date; null when absent, empty or not a real date (rule CSC210 reports the last). */
export function date(r: CinRecord, name: string): string | null {
  const f = r.fields[name];
  if (!f || f.text === '') return null;
  if (f.iso === undefined) f.iso = parseIsoDate(f.text);
  return f.iso;
}

/** The element's line if present, else the record's. */
function lineOf(r: CinRecord, name: string): number {
  return r.fields[name]?.line ?? r.line;
}

const SEX_CODES = new Set(['M', 'F', 'U']);
const GENDER_CURRENT: Readonly<Record<string, string>> = { '1': 'M', '2': 'F', '0': 'U', '9': 'U' };

/** The child's sex as M/F/U: Sex M/F/U (1/2 tolerated), else GenderCurrent 1/2/0/9; other values as written. */
export function sexOf(child: CinChild): string | null {
  const sex = text(child, 'Sex');
  if (sex !== null) {
    const s = sex.toUpperCase();
    if (SEX_CODES.has(s)) return s;
    if (s === '1') return 'M';
    if (s === '2') return 'F';
    return sex;
  }
  const gender = text(child, 'GenderCurrent');
  if (gender !== null) return GENDER_CURRENT[gender] ?? gender;
  return null;
}

/** ReferralNFA etc.: true/false/1/0 (any case) → boolean; absent → null; anything else → undefined. */
export function bool(r: CinRecord, name: string): boolean | null | undefined {
  const t = text(r, name);
  if (t === null) return null;
  const lower = t.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return undefined; // yes/no and the like are not CIN census values
}

/** A whole number written as digits, else null. */
export function wholeNumber(r: CinRecord, name: string): number | null {
  const t = text(r, name);
  return t !== null && /^\d{1,6}$/.test(t) ? Number(t) : null;
}

// ---------------------------------------------------------------------------------------------
// Rule declarations

export interface Hit {
  /** the record the finding is about: an error means this record is not loaded */
  record: CinRecord;
  field: string;
  value: string | null;
  line: number;
  /** the particulars: "assessment started 25/12/2023, referral 24/10/2024" */
  detail?: string;
}

interface Subjects {
  header: CinRecord;
  child: CinChild;
  cindetails: CinDetails;
  assessment: CinAssessment;
  section47: CinNested;
  cinplan: CinNested;
  cpplan: CinCpPlan;
  review: CinReview;
  preproceedings: CinNested;
  /** every record of the child, header included (unreadable dates) */
  record: CinRecord;
}
export type Scope = keyof Subjects;

interface RuleBase {
  code: string;
  severity: Severity;
  /** DfE's message where DfE has the rule */
  message: string;
  /** DfE element names the rule reads */
  fields: readonly string[];
  /** what happens to the data, when not the default ('loaded, flagged' / 'this … not loaded') */
  outcome?: string;
}

export type CinRule = {
  [S in Scope]: RuleBase & { scope: S; check: (subject: Subjects[S], ctx: CinContext) => Hit[] };
}[Scope];

function rule<S extends Scope>(r: RuleBase & { scope: S; check: (subject: Subjects[S], ctx: CinContext) => Hit[] }): CinRule {
  return r as unknown as CinRule;
}

const NONE: Hit[] = [];

function hit(record: CinRecord, field: string, detail?: string): Hit[] {
  return [{ record, field, value: text(record, field), line: lineOf(record, field), detail }];
}

/** dd/mm/yyyy, as analysts read dates. */
export function uk(iso: string | null): string {
  return iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : 'none';
}

function inCensusYear(ctx: CinContext, d: string): boolean {
  return ctx.referenceDate === null || ctx.periodStart === null || (d >= ctx.periodStart && d <= ctx.referenceDate);
}

function afterReference(ctx: CinContext, d: string): boolean {
  return ctx.referenceDate !== null && d > ctx.referenceDate;
}

function isWeekend(iso: string): boolean {
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/** A code-list check: missing → hit if `required`, present and not in the list → hit. */
function coded(r: CinRecord, field: string, list: Readonly<Record<string, string>>, required: boolean, what: string): Hit[] {
  const v = text(r, field);
  if (v === null) return required ? hit(r, field, `no ${what} given`) : NONE;
  return v in list ? NONE : hit(r, field, `'${v}' is not a ${what} code`);
}

/** Hits for date b (field fb) being before date a (field fa) on the same record, when both are readable. */
function before(r: CinRecord, fa: string, fb: string, describe: (a: string, b: string) => string, strict = true): Hit[] {
  const a = date(r, fa);
  const b = date(r, fb);
  if (!a || !b) return NONE;
  return (strict ? b < a : b <= a) ? hit(r, fb, describe(a, b)) : NONE;
}

const referralDate = (n: CinNested): string | null => date(n.details, 'CINreferralDate');
const deathDate = (n: CinNested): string | null => date(n.details.child, 'PersonDeathDate');
const isNfa = (d: CinDetails): boolean => bool(d, 'ReferralNFA') === true;

/** Date fields of each element that the canonical tables store: an unreadable one is an error (CSC210). */
export const DATE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Child: ['PersonBirthDate', 'PersonDeathDate'],
  CINdetails: ['CINreferralDate', 'CINclosureDate'],
  Assessments: ['AssessmentActualStartDate', 'AssessmentAuthorisationDate'],
  CINPlanDates: ['CINPlanStartDate', 'CINPlanEndDate'],
  Section47: ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC'],
  ChildProtectionPlans: ['CPPstartDate', 'CPPendDate'],
  CPPreviewDate: ['CPPreviewDate'],
  PreProceedingsandFGDM: [
    'PPStartDate', 'LBPSentDate', 'InitialPPMeetingDate', 'StepDecisionDate', 'CourtAppDate', 'LetterInitCPDate',
  ],
};

/** Date fields that are read and checked but not stored: an unreadable one is a warning (CSC210). */
export const UNSTORED_DATE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Child: ['ExpectedPersonBirthDate'],
  CINdetails: ['DateOfInitialCPC'],
  Assessments: ['AssessmentInternalReviewDate'],
};

function unreadableDates(r: CinRecord, table: Readonly<Record<string, readonly string[]>>): Hit[] {
  const fields = table[r.element];
  if (!fields) return NONE;
  let hits = NONE;
  for (const f of fields) {
    if (text(r, f) !== null && date(r, f) === null) hits = [...hits, ...hit(r, f, 'dates are written YYYY-MM-DD, years 1900 to 2100')];
  }
  return hits;
}

/** The field that identifies a record: when it is unusable, the records inside it cannot be linked either. */
export const KEY_FIELD: Readonly<Record<string, string>> = {
  Child: 'LAchildID', CINdetails: 'CINreferralDate', ChildProtectionPlans: 'CPPstartDate',
};

/** Problems with the file itself or its structure: declared here, raised by the reader (cinCensus.ts). */
export const FILE_RULES = {
  // error: the whole file is refused — a DOCTYPE can declare entities that expand without bound ("billion laughs")
  // or read local files (XXE); nothing from the file is loaded.
  doctype: { code: 'CSC201', severity: 'error', message: 'the file declares a DOCTYPE; XML with DOCTYPE or entity declarations is refused for security' },
  // error: whole file refused — a file that is not well-formed XML cannot be trusted to be complete.
  malformed: { code: 'CSC202', severity: 'error', message: 'the file is not well-formed XML' },
  // error: whole file refused.
  empty: { code: 'CSC203', severity: 'error', message: 'the file is empty' },
  // error: whole file refused — its root element is not <Message>.
  notCin: { code: 'CSC204', severity: 'error', message: 'the file is not a CIN census return (its root element is not Message)' },
  // warning: text between elements is ignored; the elements around it are read as usual.
  strayText: { code: 'CSC205', severity: 'warning', message: 'text between elements is not part of any field' },
  // warning: an element the CIN census does not have (or in the wrong place) is ignored with everything in it.
  unknownElement: { code: 'CSC206', severity: 'warning', message: 'element not expected here in the CIN census' },
  // warning: a field given twice in one record: the first is kept.
  repeated: { code: 'CSC207', severity: 'warning', message: 'field given more than once in the same record' },
} as const satisfies Record<string, { code: string; severity: Severity; message: string }>;

export const CIN_RULES: CinRule[] = [
  // ---- Header -------------------------------------------------------------------------------
  rule({
    // warning: the file is read; census-year checks use the ReferenceDate as written.
    code: '100', severity: 'warning', scope: 'header', message: 'Reference Date is incorrect', fields: ['ReferenceDate', 'Year'],
    check: (h) => {
      const ref = date(h, 'ReferenceDate');
      if (!ref) return NONE;
      if (ref.slice(5) !== '03-31') return hit(h, 'ReferenceDate', 'the reference date is always 31 March');
      const year = text(h, 'Year');
      if (year !== null && year !== ref.slice(0, 4)) return hit(h, 'ReferenceDate', `Year is ${year} but the reference date is in ${ref.slice(0, 4)}`);
      return NONE;
    },
  }),
  rule({
    // warning: without a readable ReferenceDate the census year is taken from Year (31 March of it) if readable,
    // and the checks that need the census year are skipped otherwise.
    code: 'CSC216', severity: 'warning', scope: 'header', message: 'the header has no readable ReferenceDate', fields: ['ReferenceDate'],
    check: (h) => (date(h, 'ReferenceDate') ? NONE : hit(h, 'ReferenceDate', 'census year taken from Year where possible')),
  }),
  rule({
    // warning: the header's DateTime (when the return was made) is not used, but one that is not a date and time
    // says the header was damaged or hand-edited.
    code: 'CSC217', severity: 'warning', scope: 'header', message: 'the header DateTime is not a date and time (YYYY-MM-DDThh:mm:ss)', fields: ['DateTime'],
    check: (h) => {
      const v = text(h, 'DateTime');
      if (v === null) return NONE;
      const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
      const ok = m !== null && parseIsoDate(m[1]) !== null && Number(m[2] ?? 0) <= 23 && Number(m[3] ?? 0) <= 59 && Number(m[4] ?? 0) <= 59;
      return ok ? NONE : hit(h, 'DateTime', `'${v}'`);
    },
  }),

  // ---- Any record: dates that are not real dates --------------------------------------------
  rule({
    // error: a date that is not a real date cannot be stored, so the record holding it is not loaded
    // (a CINdetails with an unreadable referral date takes the records inside it along).
    code: 'CSC210', severity: 'error', scope: 'record', message: 'date is not a real date', fields: Object.values(DATE_FIELDS).flat(),
    check: (r) => unreadableDates(r, DATE_FIELDS),
  }),
  rule({
    // warning: the field is not stored (no canonical column), so the record is loaded without it.
    code: 'CSC210', severity: 'warning', scope: 'record', message: 'date is not a real date', fields: Object.values(UNSTORED_DATE_FIELDS).flat(),
    outcome: 'loaded; this date is not stored',
    check: (r) => unreadableDates(r, UNSTORED_DATE_FIELDS),
  }),

  // ---- ChildIdentifiers and ChildCharacteristics -----------------------------------------------
  rule({
    // error: without the LA's id nothing of the child can be linked or counted; the whole Child is not loaded.
    code: '8500', severity: 'error', scope: 'child', message: 'LA Child ID missing', fields: ['LAchildID'],
    check: (c) => (text(c, 'LAchildID') === null ? hit(c, 'LAchildID') : NONE),
  }),
  rule({
    // warning: the id is still usable as written.
    code: '1570', severity: 'warning', scope: 'child', message: 'LA Child ID must not be longer than 20 characters', fields: ['LAchildID'],
    check: (c) => ((text(c, 'LAchildID')?.length ?? 0) > 20 ? hit(c, 'LAchildID') : NONE),
  }),
  rule({
    // warning: the id is still usable as written.
    code: '1580', severity: 'warning', scope: 'child', message: 'LA Child ID must not contain any non-alphanumeric characters', fields: ['LAchildID'],
    check: (c) => (/[^A-Za-z0-9]/.test(text(c, 'LAchildID') ?? '') ? hit(c, 'LAchildID') : NONE),
  }),
  rule({
    // warning: both are loaded; the later record is the one the current state keeps for the child.
    code: '8510', severity: 'warning', scope: 'child', message: 'More than one child record with the same LA Child ID', fields: ['LAchildID'],
    check: (c, ctx) => (ctx.childIdsSeen.has(text(c, 'LAchildID') ?? '') ? hit(c, 'LAchildID', 'an earlier Child in this file has the same id') : NONE),
  }),
  rule({
    // warning: loaded with sex as written (1/2 are read as M/F; other values stored as given).
    code: '4180', severity: 'warning', scope: 'child', message: 'Sex must be provided and equal M, F, or U', fields: ['Sex'],
    check: (c) => {
      const sex = text(c, 'Sex');
      if (sex === null) return text(c, 'GenderCurrent') === null ? hit(c, 'Sex', 'neither Sex nor GenderCurrent given') : NONE;
      if (SEX_CODES.has(sex.toUpperCase())) return NONE;
      const read = sexOf(c);
      return hit(c, 'Sex', read !== sex ? `read as ${read}` : undefined);
    },
  }),
  rule({
    // warning: loaded with the value as written. GenderCurrent (returns before 2024-25) is 1, 2, 0 or 9.
    code: 'CSC212', severity: 'warning', scope: 'child', message: 'GenderCurrent must be 1 (male), 2 (female), 0 (not known) or 9 (not specified)',
    fields: ['GenderCurrent'],
    check: (c) => {
      const g = text(c, 'GenderCurrent');
      return g !== null && text(c, 'Sex') === null && !(g in GENDER_CURRENT) ? hit(c, 'GenderCurrent') : NONE;
    },
  }),
  rule({
    // warning: loaded with the ethnicity as written.
    code: '4220', severity: 'warning', scope: 'child', message: 'Ethnicity is missing or invalid (see Ethnicity table)', fields: ['Ethnicity'],
    check: (c) => coded(c, 'Ethnicity', ETHNICITY, true, 'ethnicity'),
  }),
  rule({
    // warning: loaded with the codes as written. Missing is flagged only for a born child with a referral
    // that went on to further action (DfE does not expect disability for unborn children or NFA referrals).
    code: '8540', severity: 'warning', scope: 'child', message: 'Child’s disability is missing or invalid (see Disability table)',
    fields: ['Disability', 'PersonBirthDate', 'ReferralNFA'],
    check: (c) => {
      if (c.disabilities.length === 0) {
        const expected = date(c, 'PersonBirthDate') !== null && c.details.some((d) => bool(d, 'ReferralNFA') === false);
        return expected ? hit(c, 'Disability', 'no disability recorded (use NONE for none)') : NONE;
      }
      return c.disabilities
        .filter((f) => !(f.text in DISABILITY))
        .map((f) => ({ record: c, field: 'Disability', value: f.text, line: f.line, detail: `'${f.text}' is not a disability code` }));
    },
  }),
  rule({
    // warning: loaded; the codes other than NONE are kept.
    code: '8790', severity: 'warning', scope: 'child', message: 'Disability information includes both None and other values', fields: ['Disability'],
    check: (c) => {
      const codes = c.disabilities.map((f) => f.text);
      return codes.includes('NONE') && codes.some((x) => x !== 'NONE') ? hit(c, 'Disability', codes.join(', ')) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8794', severity: 'warning', scope: 'child', message: 'Child has two or more disabilities with the same code', fields: ['Disability'],
    check: (c) => {
      const seen = new Set<string>();
      const hits: Hit[] = [];
      for (const f of c.disabilities) {
        if (seen.has(f.text)) hits.push({ record: c, field: 'Disability', value: f.text, line: f.line });
        seen.add(f.text);
      }
      return hits;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8520', severity: 'warning', scope: 'child', message: 'Date of Birth is after data collection period (must be on or before the end of the census period)',
    fields: ['PersonBirthDate', 'ReferenceDate'],
    check: (c, ctx) => {
      const dob = date(c, 'PersonBirthDate');
      return dob && afterReference(ctx, dob) ? hit(c, 'PersonBirthDate', `reference date ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded; the date of birth is stored when given (an expected date of birth is not stored).
    code: '8525Q', severity: 'warning', scope: 'child', message: 'Either Date of Birth or Expected Date of Birth must be provided (but not both)',
    fields: ['PersonBirthDate', 'ExpectedPersonBirthDate'],
    check: (c) => {
      const dob = text(c, 'PersonBirthDate') !== null;
      const expected = text(c, 'ExpectedPersonBirthDate') !== null;
      if (dob && expected) return hit(c, 'ExpectedPersonBirthDate', 'both given');
      if (!dob && !expected) return hit(c, 'PersonBirthDate', 'neither given');
      return NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8535Q', severity: 'warning', scope: 'child', message: 'Child’s date of death should not be prior to the date of birth',
    fields: ['PersonDeathDate', 'PersonBirthDate'],
    check: (c) => before(c, 'PersonBirthDate', 'PersonDeathDate', (b, d) => `born ${uk(b)}, died ${uk(d)}`),
  }),
  rule({
    // warning: loaded as written.
    code: '8545Q', severity: 'warning', scope: 'child', message: 'Child\'s date of death should be within the census year', fields: ['PersonDeathDate'],
    check: (c, ctx) => {
      const d = date(c, 'PersonDeathDate');
      return d && !inCensusYear(ctx, d) ? hit(c, 'PersonDeathDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded with sex as written.
    code: '8750', severity: 'warning', scope: 'child', message: 'Sex must equal U for an unborn child', fields: ['Sex', 'PersonBirthDate', 'ExpectedPersonBirthDate'],
    check: (c) => {
      const unborn = text(c, 'PersonBirthDate') === null && text(c, 'ExpectedPersonBirthDate') !== null;
      const sex = sexOf(c);
      return unborn && sex !== null && sex !== 'U' ? hit(c, text(c, 'Sex') !== null ? 'Sex' : 'GenderCurrent', `read as ${sex}`) : NONE;
    },
  }),
  rule({
    // warning: the child's identifiers and characteristics are loaded.
    code: '8590', severity: 'warning', scope: 'child', message: 'Child does not have a recorded CIN episode.', fields: ['LAchildID'],
    check: (c) => (c.details.length === 0 ? hit(c, 'LAchildID', 'no CINdetails') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '8772', severity: 'warning', scope: 'child',
    message: 'UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral going on to further action',
    fields: ['UPNunknown', 'ReferralNFA'],
    check: (c) => (text(c, 'UPNunknown') === 'UN7' && c.details.some((d) => bool(d, 'ReferralNFA') === false) ? hit(c, 'UPNunknown') : NONE),
  }),
  rule({
    // warning: all episodes loaded. One hit per open episode after the first.
    code: '8815', severity: 'warning', scope: 'child',
    message: 'More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action.',
    fields: ['ReferralNFA', 'CINclosureDate'],
    check: (c) => {
      const open = c.details.filter((d) => text(d, 'CINclosureDate') === null && !isNfa(d) && date(d, 'CINreferralDate'));
      return open.slice(1).flatMap((d) => hit(d, 'CINclosureDate', `${open.length} episodes open`));
    },
  }),
  rule({
    // warning: all episodes loaded. An NFA referral without a closure date counts as closed the day it was made.
    code: '8820', severity: 'warning', scope: 'child', message: 'The dates on the CIN episodes for this child overlap', fields: ['CINreferralDate', 'CINclosureDate'],
    check: (c) => {
      const eps = c.details
        .map((d) => ({ d, start: date(d, 'CINreferralDate'), end: date(d, 'CINclosureDate') ?? (isNfa(d) ? date(d, 'CINreferralDate') : null) }))
        .filter((e): e is { d: CinDetails; start: string; end: string | null } => e.start !== null)
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.d.line - b.d.line));
      const hits: Hit[] = [];
      for (let i = 1; i < eps.length; i++) {
        const prev = eps[i - 1];
        if (prev.end === null || eps[i].start < prev.end) {
          hits.push(...hit(eps[i].d, 'CINreferralDate', `the episode from ${uk(prev.start)} ${prev.end ? `ends ${uk(prev.end)}` : 'is still open'}`));
        }
      }
      return hits;
    },
  }),
  rule({
    // warning: all plans loaded. One hit per open plan after the first.
    code: '4004', severity: 'warning', scope: 'child', message: 'This child is showing more than one open CIN Plan, i.e. with no End Date', fields: ['CINPlanEndDate'],
    check: (c) => {
      const open = c.details.flatMap((d) => d.cinPlans).filter((p) => text(p, 'CINPlanEndDate') === null && date(p, 'CINPlanStartDate'));
      return open.slice(1).flatMap((p) => hit(p, 'CINPlanStartDate', `${open.length} CIN plans open`));
    },
  }),
  rule({
    // warning: all plans loaded.
    code: '4014', severity: 'warning', scope: 'child', message: 'CIN Plan data contains overlapping dates', fields: ['CINPlanStartDate', 'CINPlanEndDate'],
    check: (c) => {
      const plans = c.details.flatMap((d) => d.cinPlans)
        .map((p) => ({ p, start: date(p, 'CINPlanStartDate'), end: date(p, 'CINPlanEndDate') }))
        .filter((e): e is { p: CinNested; start: string; end: string | null } => e.start !== null)
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.p.line - b.p.line));
      const hits: Hit[] = [];
      for (let i = 1; i < plans.length; i++) {
        const prev = plans[i - 1];
        if (prev.end === null || plans[i].start < prev.end) {
          hits.push(...hit(plans[i].p, 'CINPlanStartDate', `the plan from ${uk(prev.start)} ${prev.end ? `ends ${uk(prev.end)}` : 'is still open'}`));
        }
      }
      return hits;
    },
  }),

  // ---- CINdetails ------------------------------------------------------------------------------
  rule({
    // error: the referral date is the key of the referral and links everything inside the CINdetails,
    // so neither this CINdetails nor the records inside it are loaded.
    code: '8600', severity: 'error', scope: 'cindetails', message: 'Child referral date missing or after data collection period', fields: ['CINreferralDate'],
    check: (d) => (text(d, 'CINreferralDate') === null ? hit(d, 'CINreferralDate', 'no referral date') : NONE),
  }),
  rule({
    // warning: a referral after the census date is loaded as written and flagged.
    code: '8600', severity: 'warning', scope: 'cindetails', message: 'Child referral date missing or after data collection period', fields: ['CINreferralDate', 'ReferenceDate'],
    check: (d, ctx) => {
      const r = date(d, 'CINreferralDate');
      return r && afterReference(ctx, r) ? hit(d, 'CINreferralDate', `after the reference date ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded with the source as written.
    code: '8866', severity: 'warning', scope: 'cindetails', message: 'Source of Referral is missing or an invalid code', fields: ['CINreferralDate', 'ReferralSource'],
    check: (d) => coded(d, 'ReferralSource', REFERRAL_SOURCE, true, 'referral source'),
  }),
  rule({
    // warning: loaded with the code as written.
    code: '8650', severity: 'warning', scope: 'cindetails', message: 'Primary Need Code invalid (see Primary Need table in CIN census code set)', fields: ['PrimaryNeedCode'],
    check: (d) => coded(d, 'PrimaryNeedCode', PRIMARY_NEED, false, 'primary need'),
  }),
  rule({
    // warning: loaded without a primary need.
    code: '8610', severity: 'warning', scope: 'cindetails', message: 'Primary Need code is missing for a referral which led to further action.',
    fields: ['ReferralNFA', 'PrimaryNeedCode'],
    check: (d) => (text(d, 'PrimaryNeedCode') === null && bool(d, 'ReferralNFA') === false ? hit(d, 'PrimaryNeedCode') : NONE),
  }),
  rule({
    // warning: loaded with the code as written.
    code: '8640', severity: 'warning', scope: 'cindetails', message: 'CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)',
    fields: ['ReasonForClosure'],
    check: (d) => coded(d, 'ReasonForClosure', REASON_FOR_CLOSURE, false, 'reason for closure'),
  }),
  rule({
    // warning: loaded as closed, without a reason.
    code: '8805', severity: 'warning', scope: 'cindetails', message: 'A CIN case cannot have a CIN closure date without a Reason for Closure',
    fields: ['CINclosureDate', 'ReasonForClosure'],
    check: (d) => (text(d, 'CINclosureDate') !== null && text(d, 'ReasonForClosure') === null ? hit(d, 'CINclosureDate') : NONE),
  }),
  rule({
    // warning: loaded as open, with the reason as written.
    code: '8810', severity: 'warning', scope: 'cindetails', message: 'A CIN case cannot have a Reason for Closure without a CIN Closure Date',
    fields: ['ReasonForClosure', 'CINclosureDate'],
    check: (d) => (text(d, 'ReasonForClosure') !== null && text(d, 'CINclosureDate') === null ? hit(d, 'ReasonForClosure') : NONE),
  }),
  rule({
    // warning: loaded with both dates as written.
    code: '8630', severity: 'warning', scope: 'cindetails', message: 'CIN Closure Date is before CIN Referral Date for the same CIN episode',
    fields: ['CINreferralDate', 'CINclosureDate'],
    check: (d) => before(d, 'CINreferralDate', 'CINclosureDate', (r, c) => `referral ${uk(r)}, closure ${uk(c)}`),
  }),
  rule({
    // warning: loaded as written.
    code: '8620', severity: 'warning', scope: 'cindetails', message: 'CIN Closure Date present and does not fall within the Census year', fields: ['CINclosureDate'],
    check: (d, ctx) => {
      const c = date(d, 'CINclosureDate');
      return c && !inCensusYear(ctx, c) ? hit(d, 'CINclosureDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded with NFA unknown (null).
    code: '8568', severity: 'warning', scope: 'cindetails', message: 'RNFA flag is missing or invalid', fields: ['ReferralNFA'],
    check: (d) => (bool(d, 'ReferralNFA') === undefined || text(d, 'ReferralNFA') === null ? hit(d, 'ReferralNFA', 'must be true or false') : NONE),
  }),
  rule({
    // warning: loaded as written. 40 weeks = 280 days before the (expected) date of birth.
    code: '8606', severity: 'warning', scope: 'cindetails', message: 'Child referral date is more than 40 weeks before DOB or expected DOB',
    fields: ['CINreferralDate', 'PersonBirthDate', 'ExpectedPersonBirthDate'],
    check: (d) => {
      const r = date(d, 'CINreferralDate');
      const birth = date(d.child, 'PersonBirthDate') ?? date(d.child, 'ExpectedPersonBirthDate');
      return r && birth && r < addDays(birth, -280) ? hit(d, 'CINreferralDate', `birth ${uk(birth)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8555Q', severity: 'warning', scope: 'cindetails', message: 'Child cannot be referred after its recorded date of death', fields: ['PersonDeathDate', 'CINreferralDate'],
    check: (d) => {
      const r = date(d, 'CINreferralDate');
      const died = date(d.child, 'PersonDeathDate');
      return r && died && r > died ? hit(d, 'CINreferralDate', `died ${uk(died)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written. "One working day prior to the collection start date" from the England calendar.
    code: '8569Q', severity: 'warning', scope: 'cindetails',
    message: 'A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case',
    fields: ['ReferralNFA', 'CINreferralDate'],
    check: (d, ctx) => {
      const r = date(d, 'CINreferralDate');
      if (!r || !ctx.periodStart || !isNfa(d)) return NONE;
      let cutoff: string;
      try { cutoff = addWorkingDays(ctx.periodStart, -1); } catch { cutoff = addDays(ctx.periodStart, -1); }
      return r < cutoff ? hit(d, 'ReferralNFA', `referral ${uk(r)}`) : NONE;
    },
  }),
  rule({
    // warning: everything loaded as written.
    code: '8831', severity: 'warning', scope: 'cindetails', message: 'Activity is recorded against a case marked as a referral with no further action',
    fields: ['AssessmentActualStartDate', 'AssessmentAuthorisationDate', 'S47ActualStartDate', 'DateOfInitialCPC'],
    check: (d) => {
      if (!isNfa(d)) return NONE;
      const what = [
        d.assessments.length ? `${d.assessments.length} assessment(s)` : '', d.section47.length ? `${d.section47.length} Section 47 enquiry(ies)` : '',
        text(d, 'DateOfInitialCPC') !== null ? 'an initial conference' : '',
      ].filter(Boolean);
      return what.length ? hit(d, 'ReferralNFA', what.join(', ')) : NONE;
    },
  }),
  rule({
    // warning: everything loaded as written.
    code: '8832', severity: 'warning', scope: 'cindetails', message: 'Child Protection details provided for a referral with no further action.', fields: ['ReferralNFA'],
    check: (d) => (isNfa(d) && d.cpPlans.length > 0 ? hit(d, 'ReferralNFA', `${d.cpPlans.length} child protection plan(s)`) : NONE),
  }),
  rule({
    // warning: everything loaded as written.
    code: '4000', severity: 'warning', scope: 'cindetails', message: 'CIN Plan details provided for a referral with no further action', fields: ['ReferralNFA'],
    check: (d) => (isNfa(d) && d.cinPlans.length > 0 ? hit(d, 'ReferralNFA', `${d.cinPlans.length} CIN plan(s)`) : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '8825Q', severity: 'warning', scope: 'cindetails',
    message: 'Reason for Closure code RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no assessment present for the episode.',
    fields: ['ReasonForClosure'],
    check: (d) => {
      const reason = text(d, 'ReasonForClosure');
      return (reason === 'RC8' || reason === 'RC9') && d.assessments.length === 0 ? hit(d, 'ReasonForClosure') : NONE;
    },
  }),
  rule({
    // warning: all assessments loaded.
    code: '8896', severity: 'warning', scope: 'cindetails', message: 'Within one CINDetails group there are 2 or more open Assessments groups',
    fields: ['AssessmentAuthorisationDate'],
    check: (d) => {
      const open = d.assessments.filter((a) => text(a, 'AssessmentAuthorisationDate') === null);
      return open.length > 1 ? open.slice(1).flatMap((a) => hit(a, 'AssessmentAuthorisationDate', `${open.length} assessments open`)) : NONE;
    },
  }),
  rule({
    // warning: all enquiries loaded. Open = no conference date and not marked "conference not required".
    code: '8839', severity: 'warning', scope: 'cindetails', message: 'Within one CINDetails group there are 2 or more open S47 Assessments',
    fields: ['DateOfInitialCPC'],
    check: (d) => {
      const open = d.section47.filter((s) => text(s, 'DateOfInitialCPC') === null && bool(s, 'ICPCnotRequired') !== true);
      return open.length > 1 ? open.slice(1).flatMap((s) => hit(s, 'DateOfInitialCPC', `${open.length} Section 47 enquiries open`)) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8867', severity: 'warning', scope: 'cindetails', message: 'CIN episode is shown as closed, however Assessment is not shown as completed',
    fields: ['CINclosureDate', 'AssessmentAuthorisationDate'],
    check: (d) => (text(d, 'CINclosureDate') === null ? NONE
      : d.assessments.filter((a) => text(a, 'AssessmentAuthorisationDate') === null).flatMap((a) => hit(a, 'AssessmentAuthorisationDate', `episode closed ${uk(date(d, 'CINclosureDate'))}`))),
  }),
  rule({
    // warning: loaded as written.
    code: '8868', severity: 'warning', scope: 'cindetails',
    message: 'CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag',
    fields: ['ICPCnotRequired', 'CINclosureDate', 'DateOfInitialCPC'],
    check: (d) => (text(d, 'CINclosureDate') === null ? NONE
      : d.section47.filter((s) => text(s, 'DateOfInitialCPC') === null && bool(s, 'ICPCnotRequired') !== true)
        .flatMap((s) => hit(s, 'DateOfInitialCPC', `episode closed ${uk(date(d, 'CINclosureDate'))}`))),
  }),
  rule({
    // warning: loaded as written. (The CINdetails-level conference date is checked but not stored: the
    // canonical model keeps conference dates on the Section 47 enquiry.)
    code: '1104', severity: 'warning', scope: 'cindetails', message: 'The date of the initial child protection conference cannot be before the referral date',
    fields: ['CINreferralDate', 'DateOfInitialCPC'],
    check: (d) => before(d, 'CINreferralDate', 'DateOfInitialCPC', (r, i) => `conference ${uk(i)}, referral ${uk(r)}`),
  }),
  rule({
    // warning: loaded as written. One hit per date after the closure.
    code: '8565', severity: 'warning', scope: 'cindetails', message: 'Activity shown after a case has been closed',
    fields: ['CINclosureDate', 'DateOfInitialCPC', 'AssessmentActualStartDate', 'AssessmentAuthorisationDate', 'S47ActualStartDate', 'CPPendDate', 'CINPlanStartDate', 'CINPlanEndDate'],
    check: (d) => {
      const closed = date(d, 'CINclosureDate');
      if (!closed) return NONE;
      const hits: Hit[] = [];
      const after = (r: CinRecord, f: string): void => {
        const x = date(r, f);
        if (x && x > closed) hits.push(...hit(r, f, `episode closed ${uk(closed)}`));
      };
      after(d, 'DateOfInitialCPC');
      for (const a of d.assessments) { after(a, 'AssessmentActualStartDate'); after(a, 'AssessmentAuthorisationDate'); }
      for (const s of d.section47) after(s, 'S47ActualStartDate');
      for (const p of d.cpPlans) after(p, 'CPPendDate');
      for (const p of d.cinPlans) { after(p, 'CINPlanStartDate'); after(p, 'CINPlanEndDate'); }
      return hits;
    },
  }),

  // ---- Assessments -----------------------------------------------------------------------------
  rule({
    // error: the start date is the assessment's key; without it the assessment is not loaded.
    code: 'CSC211', severity: 'error', scope: 'assessment', message: 'assessment has no start date', fields: ['AssessmentActualStartDate'],
    check: (a) => (text(a, 'AssessmentActualStartDate') === null ? hit(a, 'AssessmentActualStartDate') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '1103', severity: 'warning', scope: 'assessment', message: 'The assessment start date cannot be before the referral date',
    fields: ['AssessmentActualStartDate', 'CINreferralDate'],
    check: (a) => {
      const start = date(a, 'AssessmentActualStartDate');
      const ref = referralDate(a);
      return start && ref && start < ref ? hit(a, 'AssessmentActualStartDate', `assessment started ${uk(start)}, referral ${uk(ref)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written (this is "authorisation before start").
    code: '8608', severity: 'warning', scope: 'assessment', message: 'Assessment Start Date cannot be later than its End Date',
    fields: ['AssessmentActualStartDate', 'AssessmentAuthorisationDate'],
    check: (a) => before(a, 'AssessmentActualStartDate', 'AssessmentAuthorisationDate', (s, e) => `authorised ${uk(e)}, before it started ${uk(s)}`),
  }),
  rule({
    // warning: loaded with the factors as written.
    code: '8898', severity: 'warning', scope: 'assessment', message: 'The assessment has more than one parental or child factors with the same code',
    fields: ['AssessmentFactors'],
    check: (a) => {
      const seen = new Set<string>();
      const hits: Hit[] = [];
      for (const f of a.factors) {
        if (seen.has(f.text)) hits.push({ record: a, field: 'AssessmentFactors', value: f.text, line: f.line });
        seen.add(f.text);
      }
      return hits;
    },
  }),
  rule({
    // warning: loaded with the factors as written.
    code: '8869', severity: 'warning', scope: 'assessment', message: 'The assessment factors code “21” cannot be used in conjunction with any other assessment factors.',
    fields: ['AssessmentFactors'],
    check: (a) => {
      const codes = a.factors.map((f) => f.text);
      return codes.includes('21') && codes.some((c) => c !== '21') ? hit(a, 'AssessmentFactors', codes.join(', ')) : NONE;
    },
  }),
  rule({
    // warning: loaded with the factors as written. (18A and 19A have their own rules, 8945Q and 8950Q.)
    code: 'CSC220', severity: 'warning', scope: 'assessment', message: 'factor identified at assessment is not in the CIN census code set',
    fields: ['AssessmentFactors'],
    check: (a) => a.factors
      .filter((f) => !(f.text in ASSESSMENT_FACTORS) && f.text !== '18A' && f.text !== '19A')
      .map((f) => ({ record: a, field: 'AssessmentFactors', value: f.text, line: f.line, detail: `'${f.text}' is not a factor code` })),
  }),
  rule({
    // warning: loaded as written.
    code: '8945Q', severity: 'warning', scope: 'assessment',
    message: 'the assessment factors code \'18A\' should not be used (\'18B\' or \'18C\' should be used instead)', fields: ['AssessmentFactors'],
    check: (a) => a.factors.filter((f) => f.text === '18A').map((f) => ({ record: a, field: 'AssessmentFactors', value: f.text, line: f.line })),
  }),
  rule({
    // warning: loaded as written.
    code: '8950Q', severity: 'warning', scope: 'assessment',
    message: 'the assessment factors code \'19A\' should not be used (\'19B\' or \'19C\' should be used instead)', fields: ['AssessmentFactors'],
    check: (a) => a.factors.filter((f) => f.text === '19A').map((f) => ({ record: a, field: 'AssessmentFactors', value: f.text, line: f.line })),
  }),
  rule({
    // warning: loaded with the factors as written.
    code: '8614', severity: 'warning', scope: 'assessment', message: 'Parental or child factors at assessment should only be present for a completed assessment.',
    fields: ['AssessmentAuthorisationDate', 'AssessmentFactors'],
    check: (a) => (a.factors.length > 0 && text(a, 'AssessmentAuthorisationDate') === null ? hit(a, 'AssessmentAuthorisationDate', 'factors given but not authorised') : NONE),
  }),
  rule({
    // warning: loaded without factors.
    code: '8897Q', severity: 'warning', scope: 'assessment', message: 'Parental or child factors at assessment information is missing from a completed assessment',
    fields: ['AssessmentAuthorisationDate', 'AssessmentFactors'],
    check: (a) => (a.factors.length === 0 && text(a, 'AssessmentAuthorisationDate') !== null ? hit(a, 'AssessmentAuthorisationDate', 'authorised without factors') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '8696', severity: 'warning', scope: 'assessment', message: 'Assessment end date must fall within the census year',
    fields: ['AssessmentAuthorisationDate', 'ReferenceDate'],
    check: (a, ctx) => {
      const end = date(a, 'AssessmentAuthorisationDate');
      return end && !inCensusYear(ctx, end) ? hit(a, 'AssessmentAuthorisationDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8736', severity: 'warning', scope: 'assessment', message: 'For an Assessment that has not been completed, the start date must fall within the census year',
    fields: ['AssessmentAuthorisationDate', 'AssessmentActualStartDate'],
    check: (a, ctx) => {
      const start = date(a, 'AssessmentActualStartDate');
      return start && text(a, 'AssessmentAuthorisationDate') === null && !inCensusYear(ctx, start)
        ? hit(a, 'AssessmentActualStartDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),

  // ---- Section47 -------------------------------------------------------------------------------
  rule({
    // error: the start date is the enquiry's key; without it the enquiry is not loaded.
    code: '8615', severity: 'error', scope: 'section47',
    message: 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference',
    fields: ['S47ActualStartDate'],
    check: (s) => (text(s, 'S47ActualStartDate') === null ? hit(s, 'S47ActualStartDate', 'no start date') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '8615', severity: 'warning', scope: 'section47',
    message: 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference',
    fields: ['S47ActualStartDate', 'DateOfInitialCPC'],
    check: (s) => before(s, 'S47ActualStartDate', 'DateOfInitialCPC', (st, i) => `conference ${uk(i)}, enquiry started ${uk(st)}`),
  }),
  rule({
    // warning: loaded as written.
    code: '2889', severity: 'warning', scope: 'section47', message: 'The S47 start date cannot be before the referral date.',
    fields: ['S47ActualStartDate', 'CINreferralDate'],
    check: (s) => {
      const start = date(s, 'S47ActualStartDate');
      const ref = referralDate(s);
      return start && ref && start < ref ? hit(s, 'S47ActualStartDate', `enquiry started ${uk(start)}, referral ${uk(ref)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '1104', severity: 'warning', scope: 'section47', message: 'The date of the initial child protection conference cannot be before the referral date',
    fields: ['CINreferralDate', 'DateOfInitialCPC'],
    check: (s) => {
      const icpc = date(s, 'DateOfInitialCPC');
      const ref = referralDate(s);
      return icpc && ref && icpc < ref ? hit(s, 'DateOfInitialCPC', `conference ${uk(icpc)}, referral ${uk(ref)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8715', severity: 'warning', scope: 'section47', message: 'Date of Initial Child Protection Conference must fall within the census year',
    fields: ['DateOfInitialCPC', 'ReferenceDate'],
    check: (s, ctx) => {
      const icpc = date(s, 'DateOfInitialCPC');
      return icpc && !inCensusYear(ctx, icpc) ? hit(s, 'DateOfInitialCPC', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8875', severity: 'warning', scope: 'section47', message: 'The Date of Initial Child Protection Conference cannot be a weekend', fields: ['DateOfInitialCPC'],
    check: (s) => {
      const icpc = date(s, 'DateOfInitialCPC');
      return icpc && isWeekend(icpc) ? hit(s, 'DateOfInitialCPC') : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8870Q', severity: 'warning', scope: 'section47', message: 'The Target Date for Initial Child Protection Conference should not be a weekend',
    fields: ['InitialCPCtarget'],
    check: (s) => {
      const target = date(s, 'InitialCPCtarget');
      return target && isWeekend(target) ? hit(s, 'InitialCPCtarget') : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8740', severity: 'warning', scope: 'section47',
    message: 'For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, the start date must fall within the census year',
    fields: ['S47ActualStartDate', 'DateOfInitialCPC', 'ICPCnotRequired'],
    check: (s, ctx) => {
      const start = date(s, 'S47ActualStartDate');
      if (!start || text(s, 'DateOfInitialCPC') !== null || bool(s, 'ICPCnotRequired') === true) return NONE;
      return inCensusYear(ctx, start) ? NONE : hit(s, 'S47ActualStartDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`);
    },
  }),
  rule({
    // warning: loaded with "conference not required" unknown (null).
    code: 'CSC213', severity: 'warning', scope: 'section47', message: 'ICPCnotRequired is missing or not true/false', fields: ['ICPCnotRequired'],
    check: (s) => (bool(s, 'ICPCnotRequired') === undefined || text(s, 'ICPCnotRequired') === null ? hit(s, 'ICPCnotRequired', 'must be true or false') : NONE),
  }),

  // ---- CINPlanDates ----------------------------------------------------------------------------
  rule({
    // error: the start date is the plan's key; without it the plan is not loaded.
    code: '4010', severity: 'error', scope: 'cinplan', message: 'CIN Plan start date is missing or out of data collection period', fields: ['CINPlanStartDate'],
    check: (p) => (text(p, 'CINPlanStartDate') === null ? hit(p, 'CINPlanStartDate', 'no start date') : NONE),
  }),
  rule({
    // warning: a plan starting after the census date is loaded as written and flagged.
    code: '4010', severity: 'warning', scope: 'cinplan', message: 'CIN Plan start date is missing or out of data collection period', fields: ['CINPlanStartDate', 'ReferenceDate'],
    check: (p, ctx) => {
      const start = date(p, 'CINPlanStartDate');
      return start && afterReference(ctx, start) ? hit(p, 'CINPlanStartDate', `after the reference date ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '4011', severity: 'warning', scope: 'cinplan', message: 'CIN Plan End Date earlier than Start Date', fields: ['CINPlanEndDate', 'CINPlanStartDate'],
    check: (p) => before(p, 'CINPlanStartDate', 'CINPlanEndDate', (s, e) => `plan started ${uk(s)}, ended ${uk(e)}`),
  }),
  rule({
    // warning: loaded as written.
    code: '4012Q', severity: 'warning', scope: 'cinplan', message: 'CIN Plan shown as starting and ending on the same day', fields: ['CINPlanStartDate', 'CINPlanEndDate'],
    check: (p) => {
      const s = date(p, 'CINPlanStartDate');
      return s && s === date(p, 'CINPlanEndDate') ? hit(p, 'CINPlanEndDate') : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '4013', severity: 'warning', scope: 'cinplan', message: 'CIN Plan end date must fall within the census year', fields: ['CINPlanEndDate', 'ReferenceDate'],
    check: (p, ctx) => {
      const end = date(p, 'CINPlanEndDate');
      return end && !inCensusYear(ctx, end) ? hit(p, 'CINPlanEndDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '4015', severity: 'warning', scope: 'cinplan', message: 'The CIN Plan start date cannot be before the referral date', fields: ['CINPlanStartDate', 'CINreferralDate'],
    check: (p) => {
      const start = date(p, 'CINPlanStartDate');
      const ref = referralDate(p);
      return start && ref && start < ref ? hit(p, 'CINPlanStartDate', `plan started ${uk(start)}, referral ${uk(ref)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '4008', severity: 'warning', scope: 'cinplan', message: 'CIN Plan shown as starting after the child’s Date of Death.', fields: ['PersonDeathDate', 'CINPlanStartDate'],
    check: (p) => {
      const start = date(p, 'CINPlanStartDate');
      const died = deathDate(p);
      return start && died && start > died ? hit(p, 'CINPlanStartDate', `died ${uk(died)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '4009Q', severity: 'warning', scope: 'cinplan', message: 'CIN Plan cannot end after the child’s Date of Death', fields: ['PersonDeathDate', 'CINPlanEndDate'],
    check: (p) => {
      const end = date(p, 'CINPlanEndDate');
      const died = deathDate(p);
      return end && died && end > died ? hit(p, 'CINPlanEndDate', `died ${uk(died)}`) : NONE;
    },
  }),

  // ---- ChildProtectionPlans --------------------------------------------------------------------
  rule({
    // error: the start date is the plan's key (and links its reviews); without it neither is loaded.
    code: '8720', severity: 'error', scope: 'cpplan', message: 'Child Protection Plan Start Date missing or out of data collection period', fields: ['CPPstartDate'],
    check: (p) => (text(p, 'CPPstartDate') === null ? hit(p, 'CPPstartDate', 'no start date') : NONE),
  }),
  rule({
    // warning: a plan starting after the census date is loaded as written and flagged.
    code: '8720', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan Start Date missing or out of data collection period',
    fields: ['CPPstartDate', 'ReferenceDate'],
    check: (p, ctx) => {
      const start = date(p, 'CPPstartDate');
      return start && afterReference(ctx, start) ? hit(p, 'CPPstartDate', `after the reference date ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '1105', severity: 'warning', scope: 'cpplan', message: 'The child protection plan start date cannot be before the referral date',
    fields: ['CPPstartDate', 'CINreferralDate'],
    check: (p) => {
      const start = date(p, 'CPPstartDate');
      const ref = referralDate(p);
      return start && ref && start < ref ? hit(p, 'CPPstartDate', `plan started ${uk(start)}, referral ${uk(ref)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8925', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan End Date earlier than Start Date', fields: ['CPPstartDate', 'CPPendDate'],
    check: (p) => before(p, 'CPPstartDate', 'CPPendDate', (s, e) => `plan started ${uk(s)}, ended ${uk(e)}`),
  }),
  rule({
    // warning: loaded as written.
    code: '8840', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan cannot start and end on the same day', fields: ['CPPstartDate', 'CPPendDate'],
    check: (p) => {
      const s = date(p, 'CPPstartDate');
      return s && s === date(p, 'CPPendDate') ? hit(p, 'CPPendDate') : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8930', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan End Date must fall within the census year', fields: ['CPPendDate', 'ReferenceDate'],
    check: (p, ctx) => {
      const end = date(p, 'CPPendDate');
      return end && !inCensusYear(ctx, end) ? hit(p, 'CPPendDate', `census year ${uk(ctx.periodStart)} to ${uk(ctx.referenceDate)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded with the category as written.
    code: '8905', severity: 'warning', scope: 'cpplan',
    message: 'Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)', fields: ['InitialCategoryOfAbuse'],
    check: (p) => coded(p, 'InitialCategoryOfAbuse', CATEGORY_OF_ABUSE, true, 'category of abuse'),
  }),
  rule({
    // warning: loaded with the category as written.
    code: '8910', severity: 'warning', scope: 'cpplan',
    message: 'Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)', fields: ['LatestCategoryOfAbuse'],
    check: (p) => coded(p, 'LatestCategoryOfAbuse', CATEGORY_OF_ABUSE, true, 'category of abuse'),
  }),
  rule({
    // warning: loaded with the number unknown (null).
    code: '8730', severity: 'warning', scope: 'cpplan', message: 'Total Number of previous Child Protection Plans missing', fields: ['NumberOfPreviousCPP'],
    check: (p) => {
      const t = text(p, 'NumberOfPreviousCPP');
      if (t === null) return hit(p, 'NumberOfPreviousCPP');
      return wholeNumber(p, 'NumberOfPreviousCPP') === null ? hit(p, 'NumberOfPreviousCPP', 'not a whole number') : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8915', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan shown as starting after the child’s Date of Death', fields: ['CPPstartDate', 'PersonDeathDate'],
    check: (p) => {
      const start = date(p, 'CPPstartDate');
      const died = deathDate(p);
      return start && died && start > died ? hit(p, 'CPPstartDate', `died ${uk(died)}`) : NONE;
    },
  }),
  rule({
    // warning: loaded as written.
    code: '8920', severity: 'warning', scope: 'cpplan', message: 'Child Protection Plan cannot end after the child’s Date of Death', fields: ['PersonDeathDate', 'CPPendDate'],
    check: (p) => {
      const end = date(p, 'CPPendDate');
      const died = deathDate(p);
      return end && died && end > died ? hit(p, 'CPPendDate', `died ${uk(died)}`) : NONE;
    },
  }),

  // ---- Reviews ---------------------------------------------------------------------------------
  rule({
    // error: a review without a date is not a record; not loaded.
    code: '8842Q', severity: 'error', scope: 'review', message: 'Review Record has a missing date', fields: ['CPPreviewDate'],
    check: (r) => (text(r, 'CPPreviewDate') === null ? hit(r, 'CPPreviewDate') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: '8841', severity: 'warning', scope: 'review', message: 'The review date cannot be on the same day or before the Child protection Plan start date.',
    fields: ['CPPstartDate', 'CPPreviewDate'],
    check: (r) => {
      const review = date(r, 'CPPreviewDate');
      const start = date(r.plan, 'CPPstartDate');
      return review && start && review <= start ? hit(r, 'CPPreviewDate', `plan started ${uk(start)}`) : NONE;
    },
  }),

  // ---- PreProceedingsandFGDM (2025-26 onwards) -------------------------------------------------
  rule({
    // error: the start date is the key of the pre-proceedings record; without it the record is not loaded.
    code: 'CSC211', severity: 'error', scope: 'preproceedings', message: 'pre-proceedings record has no start date', fields: ['PPStartDate'],
    check: (p) => (text(p, 'PPStartDate') === null ? hit(p, 'PPStartDate') : NONE),
  }),
  rule({
    // warning: loaded with the flag unknown (null).
    code: 'CSC213', severity: 'warning', scope: 'preproceedings', message: 'family group decision making flag is not true/false',
    fields: ['FGDMMeetingOffer', 'FGDMMeetingFac'],
    check: (p) => ['FGDMMeetingOffer', 'FGDMMeetingFac'].flatMap((f) => (bool(p, f) === undefined ? hit(p, f, 'must be true or false (1 or 0)') : NONE)),
  }),
  rule({
    // warning: loaded with the count unknown (null).
    code: 'CSC214', severity: 'warning', scope: 'preproceedings', message: 'number of review meetings is not a whole number', fields: ['ReviewMeetingsCount'],
    check: (p) => (text(p, 'ReviewMeetingsCount') !== null && wholeNumber(p, 'ReviewMeetingsCount') === null ? hit(p, 'ReviewMeetingsCount') : NONE),
  }),
  rule({
    // warning: loaded as written.
    code: 'CSC215', severity: 'warning', scope: 'preproceedings', message: 'pre-proceedings step dated before pre-proceedings started',
    fields: ['PPStartDate', 'LBPSentDate', 'InitialPPMeetingDate', 'StepDecisionDate', 'CourtAppDate', 'LetterInitCPDate'],
    check: (p) => {
      const start = date(p, 'PPStartDate');
      if (!start) return NONE;
      return ['LBPSentDate', 'InitialPPMeetingDate', 'StepDecisionDate', 'CourtAppDate', 'LetterInitCPDate'].flatMap((f) => {
        const d = date(p, f);
        return d && d < start ? hit(p, f, `pre-proceedings started ${uk(start)}`) : NONE;
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Running the rules

const BY_SCOPE = new Map<Scope, CinRule[]>();
for (const r of CIN_RULES) BY_SCOPE.set(r.scope, [...(BY_SCOPE.get(r.scope) ?? []), r]);

export interface RuleOutcome {
  findings: Finding[];
  /** records with an error: not loaded (with what a key-field error takes along) */
  rejected: Set<CinRecord>;
}

function nested(d: CinDetails): number {
  return d.assessments.length + d.cinPlans.length + d.section47.length + d.cpPlans.length + d.preProceedings.length
    + d.cpPlans.reduce((n, p) => n + p.reviews.length, 0);
}

/** What an error does to the data, in the words of the finding. */
function consequence(h: Hit, code: string): string {
  const r = h.record;
  if (r.element === 'Child') {
    return code === '8500' ? 'this child and everything recorded for them not loaded' : 'the child\'s identifiers and characteristics not loaded';
  }
  if (KEY_FIELD[r.element] === h.field) {
    if (r.element === 'CINdetails') {
      const n = nested(r as CinDetails);
      return n > 0 ? `this CINdetails and the ${n} record${n === 1 ? '' : 's'} inside it not loaded` : 'this CINdetails not loaded';
    }
    if (r.element === 'ChildProtectionPlans') {
      const n = (r as CinCpPlan).reviews.length;
      return n > 0 ? `this plan and its ${n} review${n === 1 ? '' : 's'} not loaded` : 'this plan not loaded';
    }
  }
  return `this ${r.element} not loaded`;
}

export function findingFor(rule: RuleBase, h: Hit, ctx: CinContext, childId: string | null, outcome?: string): Finding {
  const value = h.value === null ? '' : ` '${h.value}'`;
  const detail = h.detail ? ` (${h.detail})` : '';
  const what = outcome ?? rule.outcome ?? (rule.severity === 'error' ? consequence(h, rule.code) : 'loaded, flagged');
  return {
    ruleset: 'cin', code: rule.code, severity: rule.severity, file: ctx.file, row: h.line, section: h.record.element,
    field: h.field, value: h.value, childId,
    message: `${ctx.file} line ${h.line}: ${h.field}${value} — ${rule.message}${detail} (rule ${rule.code}) — ${what}`,
  };
}

function run(scope: Scope, subject: CinRecord, ctx: CinContext, childId: string | null, out: RuleOutcome): void {
  for (const r of BY_SCOPE.get(scope) ?? NO_RULES) {
    const hits = (r.check as (s: CinRecord, c: CinContext) => Hit[])(subject, ctx);
    for (const h of hits) {
      out.findings.push(findingFor(r, h, ctx, childId));
      if (r.severity === 'error') out.rejected.add(h.record);
    }
  }
  for (const r of BY_SCOPE.get('record') ?? NO_RULES) {
    for (const h of (r.check as (s: CinRecord, c: CinContext) => Hit[])(subject, ctx)) {
      out.findings.push(findingFor(r, h, ctx, childId));
      if (r.severity === 'error') out.rejected.add(h.record);
    }
  }
}
const NO_RULES: CinRule[] = [];

/** The Header's rules. */
export function checkHeader(header: CinRecord, ctx: CinContext): RuleOutcome {
  const out: RuleOutcome = { findings: [], rejected: new Set() };
  run('header', header, ctx, null, out);
  return out;
}

/** Every rule for one Child and all it contains. A Child without LAchildID gets only rule 8500. */
export function checkChild(child: CinChild, ctx: CinContext): RuleOutcome {
  const out: RuleOutcome = { findings: [], rejected: new Set() };
  const id = text(child, 'LAchildID');
  if (id === null) {
    const r8500 = CIN_RULES.find((r) => r.code === '8500')!;
    out.findings.push(findingFor(r8500, hit(child, 'LAchildID')[0], ctx, null));
    out.rejected.add(child);
    return out;
  }
  run('child', child, ctx, id, out);
  for (const d of child.details) {
    run('cindetails', d, ctx, id, out);
    for (const a of d.assessments) run('assessment', a, ctx, id, out);
    for (const s of d.section47) run('section47', s, ctx, id, out);
    for (const p of d.cinPlans) run('cinplan', p, ctx, id, out);
    for (const p of d.cpPlans) {
      run('cpplan', p, ctx, id, out);
      for (const r of p.reviews) run('review', r, ctx, id, out);
    }
    for (const p of d.preProceedings) run('preproceedings', p, ctx, id, out);
  }
  return out;
}
