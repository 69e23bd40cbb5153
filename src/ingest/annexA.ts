// Reads Ofsted's Annex A (children's social care inspection, ILACS): an .xlsx workbook with sheets 'List 1' …
// 'List 11', or one .csv per list. The list a CSV holds is told by its file name ('List 3.csv', 'annex_a_list_3.csv',
// 'List3 referrals.csv') or, failing that, by its headings (the list whose own fields match the most headings
// and whose key columns are all there).
//
// Headings vary between authorities, so they are matched leniently: case, punctuation, apostrophes, '?' and
// spacing are ignored, and a heading also matches with its bracketed parts removed ("Age of Child (Years)" →
// "age of child"). Each field has a list of synonyms (FIELDS below) and, for the long headings, a pattern.
// The summary's columnMap says, per list, which heading was read as which canonical column ('not stored' for a
// recognised column we do not keep); headings matched by nothing are reported (CSC401).
//
// What each list becomes:
//   List 1  children + contacts: contact_id = child id + ':' + date (':2', ':3' … for further contacts of the
//           child that day), received_at = the date at 00:00:00, outcome unknown (null)
//   List 2  early_help
//   List 3  referrals (date, source, NFA, team, worker)
//   List 4  assessments (start, child seen, authorisation, needs support, factors where given)
//   List 5  section47 (strategy discussion / S47 start, ICPC not required, ICPC date, ICPC → plan)
//   List 6  referrals (CIN start = referral date, primary need, closure and reason); the same referral in
//           Lists 3 and 6 becomes one row; 'Date Child Was Last Seen' → a visit of type CIN, unless a CP or
//           looked-after visit of the child on that day was read from List 7 or 8
//   List 7  cp_plans + visits 'CP' (last statutory visit, seen alone) + cp_reviews (latest review conference)
//   List 8  lac_episodes: ONE row per List 8 row, for the current episode only. Annex A does not carry the
//           episode history: decom = the later of the start of the most recent placement and the start of the
//           current legal status (an SSDA903 episode starts at either change); rne = 'S' when that is the day
//           the child started to be looked after, 'L' when only the legal status changed that day, otherwise
//           unknown. + visits 'LAC' (last social work visit) + lac_reviews (latest statutory review) +
//           health_assessments: the last health assessment is kind 'initial' when it falls within 6 months of
//           the child starting to be looked after (the first review health assessment cannot come sooner),
//           otherwise 'review'; the last dental check is kind 'dental'.
//   List 9  care_leavers, collection_year = the reporting year (April–March) in which the workbook's period ends
//   List 10 adoptions
//   List 11 adopters: read and counted, nothing stored (the canonical model has no adopters yet) — CSC405
// Children rows come from every list 1–10: sex, ethnicity, date of birth, disability, UASC; a child in several
// lists is one row (the first value seen is kept; disagreements are reported, CSC419).
//
// The workbook's period (summary.periodEnd) is the ISO date in the file name when there is one
// ('Annex_A_2025-03-31.xlsx'), otherwise the latest date read from any date column other than date of birth;
// periodStart is the day after periodEnd minus 6 months.
//
// Archives are checked before expansion: the central directory's declared sizes must be modest, every entry is
// inflated with a cap at its declared size, and the sheets' rows and cells are counted, before exceljs sees the
// file (xlsxArchive.ts). CSV lists must be UTF-8 (textFile.ts). The
// workbook is then read in memory (an Annex A is 6 months of one authority: thousands of rows, not millions);
// exceljs's streaming reader was not used because it loses sheet names when the zip's parts come in another order.
import { basename, extname } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import { addDays, addMonths } from '../calendar.ts';
import {
  ASSESSMENT_FACTORS, CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITY, CARE_LEAVER_IN_TOUCH, CATEGORY_OF_ABUSE, ETHNICITY,
  LEGAL_STATUS, PLACEMENT_PROVIDER, PLACEMENT_TYPE, PRIMARY_NEED, REASON_EPISODE_CEASED, REASON_FOR_CLOSURE, REFERRAL_SOURCE, SEX,
  type CodeList,
} from '../codes.ts';
import { emptyRow, type Row, type TableName } from '../model.ts';
import { reportingYearOf } from '../periods.ts';
import { FileRejected } from './errors.ts';
import { sourceBytes, sourceExt, sourceName, sourceSize, type Source } from './source.ts';
import { checkXlsxArchive, XLSX_LIMITS } from './xlsxArchive.ts';
import { checkedTextStream, MAX_RECORD_CHARS, tooLong } from './textFile.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { leadingCode, parseAnyDate, parseBool } from './values.ts';

// ---------------------------------------------------------------------------------------------------------------
// Rules. Annex A has no DfE rule numbers, so these are our own codes.

export const ANNEX_A_RULES = {
  CSC401: { severity: 'warning', title: 'headings not used' },
  CSC402: { severity: 'error', title: 'required column missing' },
  CSC403: { severity: 'error', title: 'file cannot be read as Annex A' },
  CSC404: { severity: 'warning', title: 'list missing from the workbook' },
  CSC405: { severity: 'warning', title: 'list read but not stored' },
  CSC406: { severity: 'warning', title: 'sheet not read' },
  CSC407: { severity: 'error', title: 'row above the heading row' },
  CSC408: { severity: 'warning', title: 'values beyond the headings' },
  CSC410: { severity: 'error', title: 'child ID missing' },
  CSC411: { severity: 'error', title: 'key date missing or unreadable' },
  CSC412: { severity: 'warning', title: 'value missing' },
  CSC413: { severity: 'warning', title: 'Excel error value' },
  CSC414: { severity: 'warning', title: 'date unreadable' },
  CSC415: { severity: 'warning', title: 'invalid code' },
  CSC416: { severity: 'warning', title: 'invalid number' },
  CSC417: { severity: 'warning', title: 'invalid postcode' },
  CSC418: { severity: 'warning', title: 'dates out of order' },
  CSC419: { severity: 'warning', title: "child's details differ between lists" },
} as const;
export type AnnexARule = keyof typeof ANNEX_A_RULES;

// ---------------------------------------------------------------------------------------------------------------
// Heading matching

/** Lower case, apostrophes dropped, every other run of non-alphanumerics a single space. */
export function normaliseHeading(text: string): string {
  return text.toLowerCase().replace(/[’'‘`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** The heading's forms that can match: as written, and with bracketed parts removed. */
function headingForms(text: string): string[] {
  const full = normaliseHeading(text);
  const loose = normaliseHeading(text.replace(/\([^)]*\)?/g, ' '));
  return loose && loose !== full ? [full, loose] : [full];
}

type Kind = 'id' | 'date' | 'bool' | 'int' | 'number' | 'text' | 'postcode' | 'code' | 'factors';
type Value = string | number | boolean | null;

interface Field {
  /** name in the parsed row */
  name: string;
  /** where it is stored, e.g. 'contacts.received_at'; 'not stored' for a recognised column we do not keep */
  stored: string;
  kind: Kind;
  headings: string[];
  /** tried on the normalised heading when no synonym matched */
  pattern?: RegExp;
  /** child id or key date: the column must be there and the value present */
  key?: boolean;
  /** blank → CSC412 warning */
  expected?: boolean;
  /** for kind 'code': text → code, undefined when not a valid code */
  code?: (text: string) => string | undefined;
}

const NOT_STORED = 'not stored';

/** Strips Annex A's option letter, including the 'p1)' style: "q) 6: Police" → "6: Police". */
function optionText(text: string): string {
  return text.replace(/^\s*[a-z]{1,2}\d?\)\s*/i, '').trim();
}

/** A resolver from text to a code of a DfE code list: the code itself, 'code: label', 'code - label', or the label. */
function codeOf(list: CodeList, aliases: Record<string, string> = {}): (text: string) => string | undefined {
  const byLabel = new Map<string, string>();
  for (const [code, label] of Object.entries(list)) byLabel.set(normaliseHeading(label), code);
  for (const [alias, code] of Object.entries(aliases)) byLabel.set(normaliseHeading(alias), code);
  return (text) => {
    const s = optionText(text);
    const candidates = [leadingCode(s), s, /^([A-Za-z0-9]{1,6})\b/.exec(s)?.[1] ?? ''];
    for (const c of candidates) if (c && Object.hasOwn(list, c.toUpperCase())) return c.toUpperCase();
    return byLabel.get(normaliseHeading(s)) ?? byLabel.get(normaliseHeading(s.replace(/^[A-Za-z0-9]{1,6}\s*(?::|-|–)\s*/, '')));
  };
}

const sexCode = codeOf(SEX, {
  male: 'M', female: 'F', 'not stated/recorded': 'U', 'not stated': 'U', 'not recorded': 'U', neither: 'U', unknown: 'U',
  indeterminate: 'U', '1': 'M', '2': 'F', '0': 'U', '9': 'U', boy: 'M', girl: 'F',
});
const abuseCode = codeOf(CATEGORY_OF_ABUSE, { 'multiple/not recommended': 'MUL', 'multiple': 'MUL', 'physical': 'PHY', 'sexual': 'SAB', 'emotional': 'EMO' });
const inTouchCode = codeOf(CARE_LEAVER_IN_TOUCH, { y: 'YES', n: 'NO', refused: 'REFU', 'refuses contact': 'REFU', 'returned home': 'RHOM' });
const ELIGIBILITY: CodeList = {
  relevant: 'Relevant child', former_relevant: 'Former relevant child', qualifying: 'Qualifying care leaver', eligible: 'Eligible child',
};
const eligibilityCode = (text: string): string | undefined => {
  const s = normaliseHeading(optionText(text));
  for (const [code, label] of Object.entries(ELIGIBILITY)) if (s === normaliseHeading(label) || s === normaliseHeading(code)) return code;
  if (s === 'relevant') return 'relevant';
  if (s === 'former relevant') return 'former_relevant';
  if (s === 'qualifying') return 'qualifying';
  if (s === 'eligible') return 'eligible';
  return undefined;
};
/** OC3 accommodation types: the letter of CARE_LEAVER_ACCOMMODATION's codes ('Y1' → 'Y'). */
const ACCOMMODATION_TYPE: CodeList = Object.fromEntries(
  Object.entries(CARE_LEAVER_ACCOMMODATION).filter(([c]) => c.endsWith('1')).map(([c, l]) => [c[0], l.replace(/: suitable$/, '')]),
);
const suitabilityCode = (text: string): string | undefined => {
  const s = normaliseHeading(optionText(text));
  if (['suitable', 'yes', 'y', '1'].includes(s)) return '1';
  if (['unsuitable', 'not suitable', 'no', 'n', '2'].includes(s)) return '2';
  return undefined;
};
const reasonReversedCode = (text: string): string | undefined => {
  const c = leadingCode(optionText(text)).toUpperCase();
  return /^RD[1-4]$/.test(c) ? c : undefined;
};

// Field builders for the columns every child list shares.
const f = (name: string, stored: string, kind: Kind, headings: string[], extra: Partial<Field> = {}): Field =>
  ({ name, stored, kind, headings, ...extra });

function childFields(): Field[] {
  return [
    f('child_id', 'children.child_id', 'id', [
      'Child Unique ID', 'Child ID', 'ID', 'Child Identifier', 'Unique ID', 'Child Unique Identifier', 'Child Reference', 'Child Ref',
      'Person ID', 'LA Child ID', 'Child Unique Reference', 'CHILD', 'Child Number',
    ], { key: true, pattern: /^(child|person|client|young person)s?( unique| la)? (id|identifier|ref|reference|no|number)$/ }),
    f('sex', 'children.sex', 'code', ['Gender', 'Sex', 'Gender Current', 'Legal Sex', 'Child Gender'], { expected: true, code: sexCode }),
    f('ethnicity', 'children.ethnicity', 'code', ['Ethnicity', 'Ethnic Origin', 'Ethnic Group', 'Ethnicity Code', 'Child Ethnicity'], {
      expected: true, code: codeOf(ETHNICITY),
    }),
    f('dob', 'children.dob', 'date', ['Date of Birth', 'DOB', 'Birth Date', 'Child Date of Birth', 'D.O.B.'], { expected: true, pattern: /^(child s )?date of birth/ }),
    f('age', NOT_STORED, 'number', ['Age', 'Age of Child (Years)', 'Age of Child', 'Age (Years)', 'Child Age', 'Age in Years', 'Current Age']),
    f('disabled', 'children.disabled', 'bool', [
      'Does the Child have a Disability', 'Disability', 'Disabled', 'Has Disability', 'Child has a Disability', 'Disability (Y/N)',
    ], { pattern: /disabilit/ }),
  ];
}

function allocated(table: string | null): Field[] {
  const stored = (c: string) => (table ? `${table}.${c}` : NOT_STORED);
  return [
    f('team', stored('team'), 'text', ['Allocated Team', 'Team', 'Team Name', 'Allocated Team Name', 'Current Team']),
    f('worker', stored('worker'), 'text', [
      'Allocated Worker', 'Worker', 'Social Worker', 'Allocated Social Worker', 'Allocated Worker Name', 'Case Worker', 'Key Worker',
    ]),
  ];
}

const uascField = (headings: string[]): Field => f('uasc', 'children.uasc', 'bool', ['UASC', 'Unaccompanied Asylum Seeking Child', ...headings], {
  pattern: /unaccompanied asylum seeking|^uasc/,
});

interface ListSpec {
  no: number;
  name: string;
  /** what the list holds, for messages */
  what: string;
  fields: Field[];
}

const LIST_FIELDS: Record<number, { what: string; fields: Field[] }> = {
  1: {
    what: 'contacts',
    fields: [
      ...childFields(),
      f('contact_date', 'contacts.received_at', 'date', ['Date of Contact', 'Contact Date', 'Date Contact Received', 'Contact Received Date', 'Date of the Contact'], { key: true }),
      f('source', 'contacts.source', 'code', ['Contact Source', 'Source of Contact', 'Source', 'Contact Source Code'], { expected: true, code: codeOf(REFERRAL_SOURCE) }),
      ...allocated('contacts'),
    ],
  },
  2: {
    what: 'early help assessments',
    fields: [
      ...childFields(),
      f('start_date', 'early_help.start_date', 'date', [
        'Assessment start date', 'Early Help Assessment Start Date', 'EHA Start Date', 'Start Date', 'Date Assessment Started',
      ], { key: true }),
      f('completion_date', 'early_help.completion_date', 'date', [
        'Assessment completion date', 'Early Help Assessment Completion Date', 'EHA Completion Date', 'Completion Date', 'Date Assessment Completed',
      ]),
      f('organisation', 'early_help.organisation', 'text', [
        'Organisation completing assessment', 'Organisation', 'Organisation Completing the Assessment', 'Agency Completing Assessment', 'Completed By',
      ]),
      f('family_id', 'early_help.family_id', 'text', ['Family identifier', 'Family ID', 'Family Reference']),
      ...allocated(null),
    ],
  },
  3: {
    what: 'referrals',
    fields: [
      ...childFields(),
      f('referral_date', 'referrals.referral_date', 'date', ['Date of Referral', 'Referral Date', 'Date Referral Received', 'Referral Received Date'], { key: true }),
      f('source', 'referrals.source', 'code', ['Referral Source', 'Source of Referral', 'Source', 'Referral Source Code'], { expected: true, code: codeOf(REFERRAL_SOURCE) }),
      f('nfa', 'referrals.nfa', 'bool', ['Referral NFA?', 'NFA', 'Referral No Further Action', 'Was the Referral NFA', 'Referral Outcome NFA']),
      f('referrals_12m', NOT_STORED, 'int', ['Number of Referrals in Last 12 Months', 'Number of Previous Referrals in Last 12 Months', 'Referrals in Last 12 Months'], {
        pattern: /number of (previous )?referrals/,
      }),
      ...allocated('referrals'),
    ],
  },
  4: {
    what: 'assessments',
    fields: [
      ...childFields(),
      f('start_date', 'assessments.start_date', 'date', [
        'Continuous Assessment Start Date', 'Assessment Start Date', 'Single Assessment Start Date', 'Date Assessment Started',
        'Start Date of Assessment', 'Date of Assessment Start',
      ], { key: true }),
      f('child_seen', 'assessments.child_seen', 'bool', [
        'Child Seen During Continuous Assessment', 'Child Seen', 'Was the Child Seen', 'Child Seen During Assessment', 'Child Seen During Single Assessment',
      ]),
      f('authorisation_date', 'assessments.authorisation_date', 'date', [
        'Continuous Assessment Date of Authorisation', 'Assessment Authorisation Date', 'Date of Authorisation', 'Date Assessment Authorised',
        'Single Assessment Date of Authorisation', 'Assessment Completion Date', 'Date Assessment Completed',
      ]),
      f('needs_support', 'assessments.needs_support', 'bool', [
        "Was the child assessed as requiring LA children's social care support?", 'Requiring Social Care Support', 'Needs Support',
        "Assessed as Requiring Children's Social Care Support",
      ], { pattern: /requir\w* (la )?(childrens )?social care support/ }),
      f('factors', 'assessments.factors', 'factors', [
        'Factors identified at the end of assessment', 'Assessment Factors', 'Factors Identified', 'Factors', 'Factors Identified at Assessment',
      ]),
      ...allocated('assessments'),
    ],
  },
  5: {
    what: 'Section 47 enquiries',
    fields: [
      ...childFields(),
      f('start_date', 'section47.start_date', 'date', [
        'Strategy discussion initiating Section 47 Enquiry Start Date', 'Section 47 Enquiry Start Date', 'S47 Start Date', 'S47 Enquiry Start Date',
        'Section 47 Start Date', 'Date of Strategy Discussion', 'Strategy Discussion Date',
      ], { key: true, pattern: /(section 47|s47) enquiry start date|strategy discussion .*start date/ }),
      f('icpc_not_required', 'section47.icpc_not_required', 'bool', [
        'Was an Initial Child Protection Conference deemed unnecessary?', 'ICPC Not Required', 'ICPC Deemed Unnecessary', 'ICPC Unnecessary',
      ], { pattern: /deemed unnecessary|icpc not required/ }),
      f('icpc_date', 'section47.icpc_date', 'date', [
        'Date of Initial Child Protection Conference', 'ICPC Date', 'Date of ICPC', 'Initial Child Protection Conference Date',
      ]),
      f('icpc_plan', 'section47.icpc_plan', 'bool', [
        'Did the Initial Child Protection Conference Result in a Child Protection Plan', 'Did the ICPC Result in a Child Protection Plan',
        'ICPC Result in CP Plan', 'ICPC Outcome CP Plan', 'ICPC Outcome',
      ], { pattern: /result in a (child protection|cp) plan/ }),
      f('s47_12m', NOT_STORED, 'int', ['Number of Section 47 Enquiries in the last 12 months'], { pattern: /number of (section 47|s47)/ }),
      f('icpc_12m', NOT_STORED, 'int', ['Number of ICPCs in the last 12 months'], { pattern: /number of icpcs?/ }),
      ...allocated('section47'),
    ],
  },
  6: {
    what: 'children in need',
    fields: [
      ...childFields(),
      f('start_date', 'referrals.referral_date', 'date', [
        'CIN Start Date', 'Child in Need Start Date', 'CIN Episode Start Date', 'Date of Referral', 'Referral Date', 'Start Date',
      ], { key: true }),
      f('primary_need', 'referrals.primary_need', 'code', ['Primary Need Code', 'Primary Need', 'Category of Need', 'Primary Need Category', 'CIN Primary Need'], {
        expected: true, code: codeOf(PRIMARY_NEED),
      }),
      f('last_seen', 'visits.visit_date (CIN)', 'date', ['Date Child Was Last Seen', 'Date Last Seen', 'Last Seen Date', 'Date Child Last Seen', 'Date of Last Visit']),
      f('closure_date', 'referrals.closure_date', 'date', ['CIN Closure Date', 'Closure Date', 'Date of Closure', 'CIN End Date', 'Date Case Closed']),
      f('closure_reason', 'referrals.closure_reason', 'code', ['Reason for Closure', 'Closure Reason', 'CIN Closure Reason'], { code: codeOf(REASON_FOR_CLOSURE) }),
      f('case_status', NOT_STORED, 'text', ['Case Status', 'Status']),
      ...allocated('referrals'),
    ],
  },
  7: {
    what: 'child protection plans',
    fields: [
      ...childFields(),
      f('start_date', 'cp_plans.start_date', 'date', [
        'Child Protection Plan Start Date', 'CP Plan Start Date', 'Plan Start Date', 'Date Child Protection Plan Started', 'CPP Start Date',
      ], { key: true }),
      f('initial_category', 'cp_plans.initial_category', 'code', ['Initial Category of Abuse', 'Initial Category', 'Category of Abuse at Start'], {
        expected: true, code: abuseCode,
      }),
      f('latest_category', 'cp_plans.latest_category', 'code', ['Latest Category of Abuse', 'Latest Category', 'Current Category of Abuse', 'Category of Abuse'], {
        code: abuseCode,
      }),
      f('last_visit', 'visits.visit_date (CP)', 'date', [
        'Date of the Last Statutory Visit', 'Date of Last Statutory Visit', 'Last Statutory Visit Date', 'Date of Last Visit', 'Last Visit Date',
      ]),
      f('seen_alone', 'visits.seen_alone', 'bool', ['Was the Child Seen Alone?', 'Child Seen Alone', 'Seen Alone']),
      f('latest_review', 'cp_reviews.review_date', 'date', [
        'Date of latest review conference', 'Latest Review Conference Date', 'Date of Last Review Conference', 'Date of Latest Review', 'Latest Review Date',
      ]),
      f('end_date', 'cp_plans.end_date', 'date', ['Child Protection Plan End Date', 'CP Plan End Date', 'Plan End Date', 'Date Child Protection Plan Ended', 'CPP End Date']),
      f('epo', NOT_STORED, 'bool', [], { pattern: /emergency protection order|police powers/ }),
      f('previous_plans', 'cp_plans.previous_plans', 'int', [
        'Number of Previous Child Protection Plans', 'Number of Previous CP Plans', 'Previous CP Plans', 'Previous Child Protection Plans',
      ], { pattern: /number of previous (child protection|cp) plans/ }),
      ...allocated('cp_plans'),
    ],
  },
  8: {
    what: 'children in care',
    fields: [
      ...childFields(),
      uascField(['Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)']),
      f('care_start', 'lac_episodes.decom (period of care start)', 'date', [
        'Date Started to be Looked After', 'Date Started Looked After', 'Date Became Looked After', 'Looked After Start Date', 'Period of Care Start Date',
        'Date Entered Care',
      ], { key: true, pattern: /started to be looked after/ }),
      f('category_of_need', 'lac_episodes.category_of_need', 'code', ["Child's Category of Need", 'Category of Need', 'CIN Category of Need'], { code: codeOf(PRIMARY_NEED) }),
      f('second_period', NOT_STORED, 'bool', [], { pattern: /second or subsequent/ }),
      f('legal_start', 'lac_episodes.decom (legal status start)', 'date', [
        'Start date of current legal status', 'Legal Status Start Date', 'Current Legal Status Start Date', 'Date of Current Legal Status',
      ]),
      f('legal_status', 'lac_episodes.legal_status', 'code', ["Child's Legal Status", 'Legal Status', 'Current Legal Status'], { expected: true, code: codeOf(LEGAL_STATUS) }),
      f('latest_review', 'lac_reviews.review_date', 'date', [
        'Date of Latest Statutory Review', 'Latest Statutory Review Date', 'Date of Last Statutory Review', 'Date of Latest Review', 'Latest Review Date',
      ]),
      f('last_visit', 'visits.visit_date (LAC)', 'date', [
        'Date of Last Social Work Visit', 'Last Social Work Visit', 'Last Social Work Visit Date', 'Date of Last Statutory Visit', 'Date of Last Visit',
      ]),
      f('permanence_plan', NOT_STORED, 'text', ['What is the permanence plan for this child?', 'Permanence Plan']),
      f('iro_visit', NOT_STORED, 'date', [], { pattern: /\biro\b/ }),
      f('health_assessment', 'health_assessments.assessment_date (initial/review)', 'date', [
        'Date of Last Health Assessment', 'Last Health Assessment Date', 'Latest Health Assessment Date', 'Date of Latest Health Assessment',
      ]),
      f('dental_check', 'health_assessments.assessment_date (dental)', 'date', [
        'Date of Last Dental Check', 'Last Dental Check Date', 'Latest Dental Check Date', 'Date of Latest Dental Check',
      ]),
      f('placements_12m', NOT_STORED, 'int', [], { pattern: /number of placements/ }),
      f('dec', 'lac_episodes.dec', 'date', ['Date Ceased to be Looked After', 'Date Ceased Looked After', 'Date Left Care', 'Date Ceased', 'Ceased Date']),
      f('reason_ceased', 'lac_episodes.reason_ceased', 'code', ['Reason Ceased to be Looked After', 'Reason Ceased', 'Reason for Ceasing', 'Reason Episode Ceased'], {
        code: codeOf(REASON_EPISODE_CEASED),
      }),
      f('placement_start', 'lac_episodes.decom (placement start)', 'date', [
        'Start Date of Most Recent Placement', 'Start Date of Current Placement', 'Current Placement Start Date', 'Placement Start Date', 'Date of Current Placement',
      ]),
      f('placement_type', 'lac_episodes.placement_type', 'code', ['Placement Type', 'Current Placement Type', 'Type of Placement'], {
        expected: true, code: codeOf(PLACEMENT_TYPE),
      }),
      f('placement_provider', 'lac_episodes.placement_provider', 'code', ['Placement Provider', 'Provider', 'Placement Provider Type'], {
        code: codeOf(PLACEMENT_PROVIDER),
      }),
      f('placement_postcode', 'lac_episodes.placement_postcode', 'postcode', ['Placement postcode', 'Placement Post Code', 'Postcode of Placement', 'Postcode']),
      f('urn', 'lac_episodes.urn', 'text', ['URN of Placement', 'URN', 'Placement URN', 'Ofsted URN']),
      f('placement_location', NOT_STORED, 'text', ['Placement Location']),
      f('placement_la', NOT_STORED, 'text', ['LA of Placement', 'Placement LA']),
      f('missing_12m', NOT_STORED, 'int', [], { pattern: /missing.* from their placement|number of missing/ }),
      f('absent_12m', NOT_STORED, 'int', [], { pattern: /absent.* from their placement|number of absen/ }),
      f('return_offered', NOT_STORED, 'bool', [], { pattern: /offered a return interview/ }),
      f('return_accepted', NOT_STORED, 'bool', [], { pattern: /accept(ed)? a return interview/ }),
      ...allocated(null),
    ],
  },
  9: {
    what: 'care leavers',
    fields: [
      ...childFields(),
      uascField(['Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)']),
      f('eligibility', 'care_leavers.eligibility', 'code', ['Eligibility Category', 'Eligibility', 'Care Leaver Eligibility', 'Category of Eligibility'], {
        code: eligibilityCode,
      }),
      f('in_touch', 'care_leavers.in_touch', 'code', ['LA in Touch', 'In Touch', 'Is the LA in Touch', 'In Touch with LA'], { code: inTouchCode }),
      f('accommodation_type', 'care_leavers.accommodation', 'code', ['Type of Accommodation', 'Accommodation Type', 'Accommodation'], {
        code: codeOf(ACCOMMODATION_TYPE),
      }),
      f('suitability', 'care_leavers.accommodation_suitable', 'code', [
        'Suitability of Accommodation', 'Accommodation Suitable', 'Suitable Accommodation', 'Is the Accommodation Suitable', 'Accommodation Suitability',
      ], { code: suitabilityCode }),
      f('activity', 'care_leavers.activity', 'code', ['Activity Status', 'Activity', 'Main Activity'], { code: codeOf(CARE_LEAVER_ACTIVITY) }),
      f('personal_advisor', NOT_STORED, 'text', ['Allocated Personal Advisor', 'Personal Advisor', 'PA']),
      f('pathway_review', NOT_STORED, 'date', ['Latest Pathway Plan Review Date', 'Pathway Plan Review Date', 'Date of Latest Pathway Plan Review']),
      f('latest_contact', NOT_STORED, 'date', ['Latest Date of Contact', 'Date of Last Contact', 'Last Contact Date']),
      ...allocated(null),
    ],
  },
  10: {
    what: 'children with an adoption decision',
    fields: [
      ...childFields(),
      f('family_id', NOT_STORED, 'text', ['Family identifier', 'Family ID']),
      f('entered_care', NOT_STORED, 'date', ['Date the Child Entered Care', 'Date Entered Care', 'Date Child Entered Care']),
      f('decision_date', 'adoptions.decision_date', 'date', [
        'Date of Decision that Child Should be Placed for Adoption', 'Date of Decision to Place for Adoption', 'ADM Decision Date', 'Date of ADM Decision',
        'Date of Best Interest Decision', 'Should be Placed for Adoption Decision Date',
      ], { key: true, pattern: /decision that (the )?child should be placed for adoption|adm decision/ }),
      f('placement_order_date', 'adoptions.placement_order_date', 'date', ['Date of Placement Order', 'Placement Order Date']),
      f('matched_date', 'adoptions.matched_date', 'date', ['Date of Matching Child and Prospective Adopters', 'Date Matched', 'Matching Date', 'Date of Matching'], {
        pattern: /^date of matching/,
      }),
      f('placed_date', 'adoptions.placed_date', 'date', ['Date Placed for Adoption', 'Placed for Adoption Date', 'Date of Placement for Adoption']),
      f('adoption_order_date', 'adoptions.adoption_order_date', 'date', ['Date of Adoption Order', 'Adoption Order Date']),
      f('decision_reversed_date', 'adoptions.decision_reversed_date', 'date', [
        'Date of Decision that Child Should No Longer be Placed for Adoption', 'Date Decision Reversed', 'Date of Decision Reversal',
      ], { pattern: /decision that (the )?child should no longer be placed/ }),
      f('reason_reversed', 'adoptions.reason_reversed', 'code', [
        'Reason Why Child No Longer Placed for Adoption', 'Reason Decision Reversed', 'Reason No Longer Placed for Adoption',
      ], { code: reasonReversedCode }),
      f('ffa_date', NOT_STORED, 'date', [], { pattern: /fostering in ffa|concurrent planning/ }),
    ],
  },
  11: {
    what: 'adopters',
    fields: [
      f('adopter_id', NOT_STORED, 'text', ['Individual adopter identifier', 'Adopter ID', 'Adopter Identifier', 'Individual Adopter ID'], {
        key: true, pattern: /adopter (id|identifier)$/,
      }),
      ...[
        'Family identifier', 'Gender', 'Ethnicity', 'Disability', 'Is the (prospective) adopter fostering for adoption?', 'Date enquiry received',
        'Date Stage 1 started', 'Date Stage 1 ended', 'Date Stage 2 started', 'Date Stage 2 ended', 'Date application submitted',
        'Date application approved', 'Date adopter matched with child(ren)', 'Date child/children placed with adopter(s)', 'No. of children placed',
        'Date of Adoption Order', 'Date of leaving adoption process', 'Reason for leaving adoption process',
      ].map((h) => f(normaliseHeading(h).replace(/ /g, '_'), NOT_STORED, 'text', [h])),
    ],
  },
};

export const ANNEX_A_LIST_SPECS: ListSpec[] = Object.entries(LIST_FIELDS).map(([no, s]) => ({ no: Number(no), name: `List ${no}`, ...s }));

/** The synonyms each list's fields accept, by list and canonical target (for documentation and the CLI). */
export function headingSynonyms(): Record<string, Record<string, string[]>> {
  return Object.fromEntries(ANNEX_A_LIST_SPECS.map((l) => [l.name, Object.fromEntries(l.fields.map((x) => [`${x.name} → ${x.stored}`, x.headings]))]));
}

interface ColumnMatch {
  /** field name → 0-based column */
  columns: Map<string, number>;
  /** heading → stored target, for the summary */
  map: Record<string, string>;
  unused: string[];
  missingKeys: Field[];
}

function matchHeadings(spec: ListSpec, headings: (string | null)[]): ColumnMatch {
  const columns = new Map<string, number>();
  const claimed = new Set<number>();
  const forms = Array.from(headings, (h) => (h ? headingForms(h) : [])); // every index, holes included
  const synonymForms = spec.fields.map((x) => new Set(x.headings.flatMap(headingForms)));
  // synonyms first (for every field), then patterns for what is left, so a pattern never takes a column
  // that another field names exactly
  spec.fields.forEach((field, i) => {
    const col = forms.findIndex((fs, c) => !claimed.has(c) && fs.some((x) => synonymForms[i].has(x)));
    if (col >= 0) { columns.set(field.name, col); claimed.add(col); }
  });
  spec.fields.forEach((field) => {
    if (columns.has(field.name) || !field.pattern) return;
    const col = forms.findIndex((fs, c) => !claimed.has(c) && fs.length > 0 && field.pattern!.test(fs[0]));
    if (col >= 0) { columns.set(field.name, col); claimed.add(col); }
  });
  const map: Record<string, string> = {};
  const byName = new Map(spec.fields.map((x) => [x.name, x]));
  for (const [name, col] of columns) map[(headings[col] as string).trim()] = byName.get(name)!.stored;
  const unused = headings.flatMap((h, c) => (h && h.trim() && !claimed.has(c) ? [h.trim()] : []));
  const missingKeys = spec.fields.filter((x) => x.key && !columns.has(x.name));
  return { columns, map, unused, missingKeys };
}

// ---------------------------------------------------------------------------------------------------------------
// Cell values

const EXCEL_ERRORS = new Set(['#N/A', '#REF!', '#VALUE!', '#DIV/0!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#GETTING_DATA']);

interface CellValue {
  value: string | number | boolean | Date | null;
  /** the Excel error shown in the cell ('#N/A'), when there is one */
  error?: string;
}

/** An exceljs cell value (or a CSV string) as a plain value: formula → its result, rich text → text, errors noted. */
function cellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return { value: null };
  if (v instanceof Date) return { value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { value: v };
  if (typeof v === 'string') {
    const s = v.trim();
    if (EXCEL_ERRORS.has(s.toUpperCase())) return { value: null, error: s };
    return { value: s === '' ? null : s };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('error' in o) return { value: null, error: String(o.error) };
    if ('result' in o) return cellValue(o.result);
    if ('formula' in o || 'sharedFormula' in o) return { value: null };
    if (Array.isArray(o.richText)) return cellValue((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('text' in o) return cellValue(o.text);
  }
  return { value: String(v) };
}

function display(v: CellValue['value']): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid date' : v.toISOString().slice(0, 10);
  return String(v);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Dates as they appear in Annex A workbooks and CSV exports, or null. Numbers below 10000 (before 1927) are not dates. */
function readDate(v: CellValue['value']): string | null {
  if (v === null || typeof v === 'boolean') return null;
  if (typeof v === 'number') return v >= 10000 ? parseAnyDate(v) : null;
  if (v instanceof Date) return parseAnyDate(v);
  const s = v.trim().replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z)?$/, '');
  const direct = parseAnyDate(s.replace(/^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/, '$1/$2/$3'));
  if (direct) return direct;
  const m = /^(\d{1,2})[\s-]([A-Za-z]{3,9})[\s-](\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase());
    if (month >= 0) return parseAnyDate(`${m[1]}/${month + 1}/${m[3]}`);
  }
  return null;
}

const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

// ---------------------------------------------------------------------------------------------------------------
// The reader

interface SheetRows {
  list: number;
  /** the sheet's own name (or the CSV file name) */
  source: string;
  rows: { row: number; cells: unknown[] }[];
}

type Parsed = Record<string, Value>;

interface Pending<T extends TableName> {
  row: Row<T>;
  sourceRow: number;
}

const CHILD_TRAITS = ['sex', 'ethnicity', 'dob', 'disabled', 'uasc'] as const;

class AnnexAReader {
  readonly findings: Finding[] = [];
  readonly columnMap: Record<string, Record<string, string>> = {};
  readonly parts: string[] = [];
  private children = new Map<string, Pending<'children'> & { list: string }>();
  private referrals = new Map<string, Pending<'referrals'> & { list: string }>();
  private referralRows: Pending<'referrals'>[] = [];
  private derived = new Map<string, { table: TableName; row: Row<TableName>; sourceRow: number }>();
  private careLeavers: (Pending<'care_leavers'> & { list: string })[] = [];
  private contactIds = new Map<string, number>();
  private latestDate: string | null = null;
  adoptersRead = 0;
  private readonly file: string;
  private readonly sink: RecordSink;

  constructor(file: string, sink: RecordSink) {
    this.file = file;
    this.sink = sink;
  }

  report(code: AnnexARule, list: string | null, row: number | null, field: string | null, value: string | null, childId: string | null, what: string, outcome: string): void {
    const rule = ANNEX_A_RULES[code];
    const where = [list, row !== null ? `row ${row}` : null].filter(Boolean).join(' ');
    const finding: Finding = {
      ruleset: 'annex_a', code, severity: rule.severity, file: this.file, row, section: list, field, value, childId,
      message: `${this.file}${where ? ` ${where}` : ''}: ${what} (${code}: ${rule.title}) — ${outcome}`,
    };
    this.findings.push(finding);
    this.sink.finding(finding);
  }

  readSheet(sheet: SheetRows): void {
    const spec = ANNEX_A_LIST_SPECS[sheet.list - 1];
    const name = spec.name;
    this.parts.push(name);
    const named = sheet.source === name ? name : `${name} (${sheet.source})`;
    const idField = spec.fields.find((x) => x.kind === 'id' || (spec.no === 11 && x.key))!;
    // the heading row: the first of the first 10 rows with a child-id heading (title rows above it are skipped)
    let headIndex = sheet.rows.slice(0, 10).findIndex((r) => matchHeadings({ ...spec, fields: [idField] }, r.cells.map(headingText)).columns.size > 0);
    if (headIndex < 0) headIndex = sheet.rows.length > 0 ? 0 : -1;
    if (headIndex < 0) {
      this.columnMap[name] = {};
      return; // an empty sheet: no rows, nothing to say
    }
    const head = sheet.rows[headIndex];
    // a title row has one cell; a row of several cells above the headings is data that cannot be read (headings moved, sorted in)
    for (const r of sheet.rows.slice(0, headIndex)) {
      const filled = r.cells.filter((c) => { const v = cellValue(c); return v.value !== null && display(v.value).trim() !== ''; }).length;
      if (filled >= 2) {
        this.report('CSC407', name, r.row, null, null, null, `row ${r.row} has ${filled} values but is above the heading row (row ${head.row})`, 'not loaded: put the headings first');
      }
    }
    const match = matchHeadings(spec, head.cells.map(headingText));
    this.columnMap[name] = match.map;
    if (match.unused.length > 0) {
      this.report('CSC401', name, head.row, null, match.unused.join('; '), null,
        `${match.unused.length} heading${match.unused.length === 1 ? '' : 's'} not recognised: ${match.unused.map((h) => `'${h}'`).join(', ')}`,
        'those columns were not read');
    }
    if (match.missingKeys.length > 0) {
      for (const k of match.missingKeys) {
        this.report('CSC402', name, head.row, k.headings[0], null, null,
          `no column for ${k.name === 'child_id' ? 'the child ID' : `'${k.headings[0]}'`} among the headings of ${named}`,
          `the sheet cannot be read: none of its ${sheet.rows.length - headIndex - 1} rows loaded`);
      }
      return;
    }
    const byName = new Map(spec.fields.map((x) => [x.name, x]));
    const headingOf = (fieldName: string) => {
      const col = match.columns.get(fieldName);
      return col === undefined ? fieldName : (headingText(head.cells[col]) ?? fieldName).trim();
    };
    let lastHeading = -1;
    head.cells.forEach((c, i) => { if (headingText(c)) lastHeading = i; });
    for (const r of sheet.rows.slice(headIndex + 1)) {
      const raw = new Map<string, CellValue>();
      let blank = true;
      for (const [fieldName, col] of match.columns) {
        const cv = cellValue(r.cells[col]);
        raw.set(fieldName, cv);
        if (cv.value !== null || cv.error) blank = false;
      }
      if (blank && r.cells.every((c) => cellValue(c).value === null)) continue;
      // values in columns with no heading: two rows run together, or a heading lost — never read in silence
      const beyond = r.cells.slice(lastHeading + 1).filter((c) => cellValue(c).value !== null).length;
      if (beyond > 0) {
        this.report('CSC408', name, r.row, null, null, null, `${beyond} value${beyond === 1 ? '' : 's'} beyond the last heading (column ${lastHeading + 1})`, 'loaded without them');
      }
      if (spec.no === 11) {
        this.adoptersRead++;
        continue;
      }
      const parsed = this.parseRow(spec, byName, raw, r.row, headingOf);
      if (parsed) this.build(spec, parsed, r.row, headingOf);
    }
  }

  /** Parses a row's fields; null when the row cannot be loaded (no child id, no key date). */
  private parseRow(spec: ListSpec, byName: Map<string, Field>, raw: Map<string, CellValue>, row: number, headingOf: (f: string) => string): Parsed | null {
    const list = spec.name;
    const idCell = raw.get('child_id')!;
    const childId = idCell.value === null ? null : typeof idCell.value === 'number' ? String(idCell.value) : display(idCell.value).trim();
    if (!childId) {
      this.report('CSC410', list, row, headingOf('child_id'), idCell.error ?? null, null,
        idCell.error ? `the child ID is the Excel error ${idCell.error}` : 'the child ID is blank', 'row not loaded');
      return null;
    }
    const parsed: Parsed = { child_id: childId };
    for (const [name, cv] of raw) {
      if (name === 'child_id') continue;
      const field = byName.get(name)!;
      const heading = headingOf(name);
      const shown = cv.error ?? (cv.value === null ? null : display(cv.value));
      const fail = (code: AnnexARule, what: string) => {
        if (field.key) {
          this.report('CSC411', list, row, heading, shown, childId, `${what} in the key column '${heading}'`, 'row not loaded');
        } else if (field.stored !== NOT_STORED) {
          this.report(code, list, row, heading, shown, childId, what, 'loaded with this field empty');
        }
        parsed[name] = null;
        return !field.key;
      };
      if (cv.error) {
        if (!fail('CSC413', `'${heading}' holds the Excel error ${cv.error}`)) return null;
        continue;
      }
      if (cv.value === null) {
        parsed[name] = null;
        if (field.key) {
          this.report('CSC411', list, row, heading, null, childId, `'${heading}' is blank`, 'row not loaded');
          return null;
        }
        if (field.expected) this.report('CSC412', list, row, heading, null, childId, `'${heading}' is blank`, 'loaded with this field empty');
        continue;
      }
      const v = cv.value;
      switch (field.kind) {
        case 'date': {
          const d = readDate(v);
          if (d === null) { if (!fail('CSC414', `'${shown}' in '${heading}' is not a date`)) return null; continue; }
          parsed[name] = d;
          if (name !== 'dob' && (this.latestDate === null || d > this.latestDate)) this.latestDate = d;
          break;
        }
        case 'bool': {
          const text = typeof v === 'string' ? optionText(v) : v;
          const unknown = typeof text === 'string' && /^(unknown|not known|n\/?k|not recorded)$/i.test(text);
          const b = unknown ? null : parseBool(v instanceof Date ? display(v) : v);
          if (b === undefined) { fail('CSC415', `'${shown}' in '${heading}' is not yes or no`); continue; }
          parsed[name] = b;
          break;
        }
        case 'int':
        case 'number': {
          const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
          if (!Number.isFinite(n) || n < 0 || (field.kind === 'int' && !Number.isInteger(n))) {
            fail('CSC416', `'${shown}' in '${heading}' is not a ${field.kind === 'int' ? 'whole ' : ''}number`);
            continue;
          }
          parsed[name] = n;
          break;
        }
        case 'code': {
          const code = field.code!(display(v));
          if (code === undefined) { fail('CSC415', `'${shown}' in '${heading}' is not a recognised code`); continue; }
          // "F3: Full time in training or employment": a retired or wrong code whose label names a current one
          const written = optionText(display(v));
          const explicit = leadingCode(written);
          if (explicit !== written && explicit.toUpperCase() !== code && field.code !== eligibilityCode) {
            this.report('CSC415', list, row, heading, shown, childId, `code ${explicit} in '${heading}' is not recognised; its label reads as ${code}`, `loaded as ${code}`);
          }
          parsed[name] = code;
          break;
        }
        case 'factors': {
          const codes = display(v).split(/[,;/\s]+/).map((x) => optionText(x).toUpperCase()).filter(Boolean);
          const bad = codes.filter((c) => !Object.hasOwn(ASSESSMENT_FACTORS, c));
          if (bad.length > 0) this.report('CSC415', list, row, heading, bad.join(', '), childId, `assessment factor${bad.length > 1 ? 's' : ''} ${bad.join(', ')} not recognised`, 'loaded without them');
          parsed[name] = codes.filter((c) => !bad.includes(c)).join(',') || null;
          break;
        }
        case 'postcode': {
          const pc = UK_POSTCODE.exec(display(v).toUpperCase().replace(/\s+/g, ' ').trim());
          if (!pc) { fail('CSC417', `'${shown}' in '${heading}' is not a UK postcode`); continue; }
          parsed[name] = `${pc[1]} ${pc[2]}`;
          break;
        }
        default:
          parsed[name] = typeof v === 'number' && Number.isInteger(v) ? String(v) : display(v).trim();
      }
    }
    return parsed;
  }

  private order(list: string, row: number, childId: string, earlier: [string, Value], later: [string, Value], headingOf: (f: string) => string): void {
    const [a, av] = earlier;
    const [b, bv] = later;
    if (typeof av === 'string' && typeof bv === 'string' && bv < av) {
      this.report('CSC418', list, row, headingOf(b), bv, childId, `'${headingOf(b)}' ${bv} is before '${headingOf(a)}' ${av}`, 'loaded, flagged');
    }
  }

  private child(p: Parsed, list: string, row: number): void {
    const id = p.child_id as string;
    const seen = this.children.get(id);
    if (!seen) {
      const c = emptyRow('children');
      c.child_id = id;
      for (const k of CHILD_TRAITS) if (p[k] !== undefined) (c as Record<string, Value>)[k] = p[k] ?? null;
      this.children.set(id, { row: c, sourceRow: row, list });
      return;
    }
    const c = seen.row as Record<string, Value>;
    for (const k of CHILD_TRAITS) {
      const v = p[k];
      if (v === undefined || v === null) continue;
      if (c[k] === null) c[k] = v;
      else if (c[k] !== v) {
        this.report('CSC419', list, row, k, String(v), id, `${k === 'dob' ? 'date of birth' : k} ${v} differs from ${c[k]} given in ${seen.list} row ${seen.sourceRow}`,
          `the child keeps ${c[k]}; this row is loaded`);
      }
    }
  }

  /** Rows derived from 'latest …' columns (visits, reviews, health assessments): one per record key. */
  private derive<T extends TableName>(table: T, key: string, row: Row<T>, sourceRow: number): void {
    const k = `${table}|${key}`;
    const seen = this.derived.get(k);
    if (!seen) { this.derived.set(k, { table, row: row as Row<TableName>, sourceRow }); return; }
    const target = seen.row as Record<string, Value>;
    for (const [c, v] of Object.entries(row as Record<string, Value>)) if (target[c] === null && v !== null) target[c] = v;
  }

  private referral(p: Parsed, list: string, row: number, date: string, fill: Partial<Row<'referrals'>>): void {
    const key = `${p.child_id}|${date}`;
    const seen = this.referrals.get(key);
    if (seen && seen.list !== list) {
      // the same referral seen in List 3 and List 6: one row, each list adding what it knows
      const target = seen.row as Record<string, Value>;
      for (const [c, v] of Object.entries(fill)) if (v !== null && v !== undefined) target[c] = v;
      return;
    }
    const r = emptyRow('referrals');
    Object.assign(r, { child_id: p.child_id, referral_date: date }, fill);
    const pending = { row: r, sourceRow: row, list };
    if (!seen) this.referrals.set(key, pending);
    this.referralRows.push(pending);
  }

  private build(spec: ListSpec, p: Parsed, row: number, headingOf: (f: string) => string): void {
    const list = spec.name;
    const id = p.child_id as string;
    const v = (name: string): Value => (p[name] === undefined ? null : p[name]);
    const s = (name: string) => v(name) as string | null;
    const order = (a: string, b: string) => this.order(list, row, id, [a, v(a)], [b, v(b)], headingOf);
    this.child(p, list, row);
    switch (spec.no) {
      case 1: {
        const date = s('contact_date') as string;
        const base = `${id}:${date}`;
        const n = (this.contactIds.get(base) ?? 0) + 1;
        this.contactIds.set(base, n);
        const c = emptyRow('contacts');
        Object.assign(c, { contact_id: n === 1 ? base : `${base}:${n}`, child_id: id, received_at: `${date}T00:00:00`, source: s('source'), team: s('team'), worker: s('worker') });
        this.sink.add('contacts', c, row);
        break;
      }
      case 2: {
        order('start_date', 'completion_date');
        const e = emptyRow('early_help');
        Object.assign(e, { child_id: id, start_date: s('start_date'), completion_date: s('completion_date'), organisation: s('organisation'), family_id: s('family_id') });
        this.sink.add('early_help', e, row);
        break;
      }
      case 3:
        this.referral(p, list, row, s('referral_date') as string, { source: s('source'), nfa: v('nfa') as boolean | null, team: s('team'), worker: s('worker') });
        break;
      case 4: {
        order('start_date', 'authorisation_date');
        const a = emptyRow('assessments');
        Object.assign(a, {
          child_id: id, start_date: s('start_date'), child_seen: v('child_seen'), authorisation_date: s('authorisation_date'),
          needs_support: v('needs_support'), factors: s('factors'), team: s('team'), worker: s('worker'),
        });
        this.sink.add('assessments', a, row);
        break;
      }
      case 5: {
        order('start_date', 'icpc_date');
        const x = emptyRow('section47');
        Object.assign(x, {
          child_id: id, start_date: s('start_date'), icpc_not_required: v('icpc_not_required'), icpc_date: s('icpc_date'),
          icpc_plan: v('icpc_plan'), team: s('team'), worker: s('worker'),
        });
        this.sink.add('section47', x, row);
        break;
      }
      case 6: {
        order('start_date', 'closure_date');
        this.referral(p, list, row, s('start_date') as string, {
          primary_need: s('primary_need'), closure_date: s('closure_date'), closure_reason: s('closure_reason'), team: s('team'), worker: s('worker'),
        });
        if (s('last_seen')) {
          const visit = emptyRow('visits');
          Object.assign(visit, { child_id: id, visit_date: s('last_seen'), visit_type: 'CIN' });
          this.derive('visits', `${id}|${s('last_seen')}|CIN`, visit, row);
        }
        break;
      }
      case 7: {
        order('start_date', 'end_date');
        order('start_date', 'latest_review');
        const plan = emptyRow('cp_plans');
        Object.assign(plan, {
          child_id: id, start_date: s('start_date'), end_date: s('end_date'), initial_category: s('initial_category'),
          latest_category: s('latest_category'), previous_plans: v('previous_plans'), team: s('team'), worker: s('worker'),
        });
        this.sink.add('cp_plans', plan, row);
        if (s('last_visit')) {
          const visit = emptyRow('visits');
          Object.assign(visit, { child_id: id, visit_date: s('last_visit'), visit_type: 'CP', seen_alone: v('seen_alone'), worker: s('worker') });
          this.derive('visits', `${id}|${s('last_visit')}|CP`, visit, row);
        }
        if (s('latest_review')) {
          const review = emptyRow('cp_reviews');
          Object.assign(review, { child_id: id, plan_start_date: s('start_date'), review_date: s('latest_review') });
          this.derive('cp_reviews', `${id}|${s('latest_review')}`, review, row);
        }
        break;
      }
      case 8: {
        const careStart = s('care_start') as string;
        order('care_start', 'dec');
        order('care_start', 'legal_start');
        order('care_start', 'placement_start');
        const starts = [careStart, s('legal_start'), s('placement_start')].filter((d): d is string => d !== null && d >= careStart);
        const decom = starts.reduce((m, d) => (d > m ? d : m), careStart);
        const rne = decom === careStart ? 'S' : s('legal_start') === decom && (s('placement_start') ?? careStart) < decom ? 'L' : null;
        const e = emptyRow('lac_episodes');
        Object.assign(e, {
          child_id: id, decom, rne, legal_status: s('legal_status'), category_of_need: s('category_of_need'), placement_type: s('placement_type'),
          placement_provider: s('placement_provider'), dec: s('dec'), reason_ceased: s('reason_ceased'), placement_postcode: s('placement_postcode'),
          urn: s('urn'),
        });
        this.sink.add('lac_episodes', e, row);
        if (s('last_visit')) {
          const visit = emptyRow('visits');
          Object.assign(visit, { child_id: id, visit_date: s('last_visit'), visit_type: 'LAC' });
          this.derive('visits', `${id}|${s('last_visit')}|LAC`, visit, row);
        }
        if (s('latest_review')) {
          const review = emptyRow('lac_reviews');
          Object.assign(review, { child_id: id, review_date: s('latest_review') });
          this.derive('lac_reviews', `${id}|${s('latest_review')}`, review, row);
        }
        const health = s('health_assessment');
        if (health) {
          const kind = health >= careStart && health < addMonths(careStart, 6) ? 'initial' : 'review';
          const h = emptyRow('health_assessments');
          Object.assign(h, { child_id: id, assessment_date: health, kind });
          this.derive('health_assessments', `${id}|${health}|${kind}`, h, row);
        }
        const dental = s('dental_check');
        if (dental) {
          const h = emptyRow('health_assessments');
          Object.assign(h, { child_id: id, assessment_date: dental, kind: 'dental' });
          this.derive('health_assessments', `${id}|${dental}|dental`, h, row);
        }
        break;
      }
      case 9: {
        const type = s('accommodation_type');
        const suitable = s('suitability');
        if (type && !suitable) {
          this.report('CSC415', list, row, headingOf('suitability'), null, id,
            `type of accommodation ${type} has no suitability, so it has no OC3 code`, 'loaded with the accommodation empty');
        }
        const c = emptyRow('care_leavers');
        Object.assign(c, {
          child_id: id, in_touch: s('in_touch'), activity: s('activity'), eligibility: s('eligibility'),
          accommodation: type && suitable ? `${type}${suitable}` : null, accommodation_suitable: suitable === null ? null : suitable === '1',
        });
        this.careLeavers.push({ row: c, sourceRow: row, list });
        break;
      }
      case 10: {
        order('decision_date', 'placed_date');
        order('matched_date', 'placed_date');
        order('placed_date', 'adoption_order_date');
        order('decision_date', 'decision_reversed_date');
        const a = emptyRow('adoptions');
        Object.assign(a, {
          child_id: id, decision_date: s('decision_date'), placement_order_date: s('placement_order_date'), matched_date: s('matched_date'),
          placed_date: s('placed_date'), adoption_order_date: s('adoption_order_date'), decision_reversed_date: s('decision_reversed_date'),
          reason_reversed: s('reason_reversed'),
        });
        this.sink.add('adoptions', a, row);
        break;
      }
    }
  }

  /** Emits what had to wait for the whole file (merged rows, care leavers' year) and works out the period. */
  finish(fileName: string): FileSummary {
    const named = /(\d{4})-(\d{2})-(\d{2})/.exec(fileName);
    const periodEnd = (named ? parseAnyDate(named[0]) : null) ?? this.latestDate;
    for (const { row, sourceRow } of this.children.values()) this.sink.add('children', row, sourceRow);
    for (const { row, sourceRow } of this.referralRows) this.sink.add('referrals', row, sourceRow);
    const seenByWorker = new Set<string>();
    for (const { table, row } of this.derived.values()) {
      const r = row as Row<'visits'>;
      if (table === 'visits' && r.visit_type !== 'CIN') seenByWorker.add(`${r.child_id}|${r.visit_date}`);
    }
    for (const { table, row, sourceRow } of this.derived.values()) {
      const r = row as Row<'visits'>;
      if (table === 'visits' && r.visit_type === 'CIN' && seenByWorker.has(`${r.child_id}|${r.visit_date}`)) continue;
      this.sink.add(table, row, sourceRow);
    }
    const year = periodEnd ? Number(reportingYearOf(periodEnd).start.slice(0, 4)) : null;
    for (const { row, sourceRow, list } of this.careLeavers) {
      if (year === null) {
        this.report('CSC411', list, sourceRow, null, null, row.child_id,
          'the workbook has no dates and its file name no date, so the care leaver\'s collection year is unknown', 'row not loaded');
        continue;
      }
      row.collection_year = year;
      this.sink.add('care_leavers', row, sourceRow);
    }
    if (this.adoptersRead > 0) {
      this.report('CSC405', 'List 11', null, null, String(this.adoptersRead), null,
        `${this.adoptersRead} adopter row${this.adoptersRead === 1 ? '' : 's'} read`, 'not stored: the canonical model has no adopters table yet');
    }
    return {
      kind: 'annex_a',
      parts: this.parts,
      periodStart: periodEnd ? addDays(addMonths(periodEnd, -6), 1) : undefined,
      periodEnd: periodEnd ?? undefined,
      columnMap: this.columnMap,
    };
  }
}

function headingText(v: unknown): string | null {
  const cv = cellValue(v);
  return cv.value === null ? null : display(cv.value);
}

/** 'List 3', 'list_3', 'List3 - Referrals', 'Annex A List 10' → the list number (1–11), or null. */
export function listNumberOf(name: string): number | null {
  const m = /(?:^|[^a-z])list[\s_-]*0?(\d{1,2})(?!\d)/i.exec(name);
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= 11 ? n : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Files

function rejected(file: string, what: string): FileRejected {
  const message = `${file}: ${what} (CSC403: ${ANNEX_A_RULES.CSC403.title}) — nothing loaded`;
  return new FileRejected(message, [{ ruleset: 'annex_a', code: 'CSC403', severity: 'error', file, row: null, section: null, field: null, value: null, message }]);
}

async function xlsxSheets(path: Source, file: string, reader: AnnexAReader): Promise<SheetRows[]> {
  const bytes = await sourceBytes(path);
  checkXlsxArchive(bytes, (why) => rejected(file, why)); // zip bombs and oversized sheets, before exceljs expands anything
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw rejected(file, `could not be read as an Excel workbook: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  const sheets: SheetRows[] = [];
  const others: string[] = [];
  const taken = new Map<number, string>();
  for (const ws of wb.worksheets) {
    const list = listNumberOf(ws.name);
    if (list === null || taken.has(list)) {
      if (ws.actualRowCount > 0) others.push(ws.name);
      if (list !== null) {
        reader.report('CSC406', ws.name, null, null, null, null, `sheet '${ws.name}' is a second sheet for List ${list} (after '${taken.get(list)}')`, 'not read');
      }
      continue;
    }
    taken.set(list, ws.name);
    const rows: SheetRows['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      rows.push({ row: n, cells: Array.from((row.values as unknown[]).slice(1)) }); // exceljs's array has holes for empty cells: make them undefined
    });
    sheets.push({ list, source: ws.name, rows });
  }
  if (sheets.length === 0) {
    const names = wb.worksheets.map((w) => `'${w.name}'`).join(', ') || 'none';
    throw rejected(file, `no sheet is named 'List 1' … 'List 11' (sheets: ${names}), so this is not an Annex A workbook`);
  }
  for (const name of others.filter((n) => listNumberOf(n) === null)) {
    reader.report('CSC406', name, null, null, null, null, `sheet '${name}' is not an Annex A list`, 'not read');
  }
  for (let n = 1; n <= 11; n++) {
    if (!taken.has(n)) {
      reader.report('CSC404', `List ${n}`, null, null, null, null,
        `the workbook has no sheet 'List ${n}' (${ANNEX_A_LIST_SPECS[n - 1].what})`, 'the other lists are loaded');
    }
  }
  return sheets.sort((a, b) => a.list - b.list);
}

async function csvSheet(path: Source, file: string): Promise<SheetRows> {
  const rows: SheetRows['rows'] = [];
  try {
    const source = checkedTextStream(path, file, 'CSV'); // UTF-8 only (textFile.ts)
    const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, info: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      rows.push({ row: rec.info.lines, cells: rec.record });
    }
  } catch (err) {
    if (err instanceof FileRejected) throw err;
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') throw tooLong(file, (rows.at(-1)?.row ?? 0) + 1, 'the record starting here');
    throw rejected(file, `the CSV cannot be read: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  if (rows.length === 0) throw rejected(file, 'the CSV file has no lines');
  let list = listNumberOf(basename(file, extname(file)));
  if (list === null) {
    // by headings: the list whose own (non-child) fields match the most headings, with its key columns there
    const headings = rows[0].cells.map(headingText);
    const scored = ANNEX_A_LIST_SPECS.map((spec) => {
      const m = matchHeadings(spec, headings);
      const own = [...m.columns.keys()].filter((k) => !childFields().some((c) => c.name === k) && !['team', 'worker'].includes(k)).length;
      return { spec, score: m.missingKeys.length === 0 ? own : -1 };
    }).sort((a, b) => b.score - a.score);
    if (scored[0].score <= 0 || scored[0].score === scored[1].score) {
      throw rejected(file, "cannot tell which Annex A list this CSV holds: name it 'List N' (e.g. 'List 3.csv') or use the list's headings");
    }
    list = scored[0].spec.no;
  }
  return { list, source: file, rows };
}

/**
 * Reads an Annex A workbook (.xlsx, sheets 'List 1' … 'List 11') or one list as .csv into the canonical tables.
 * Throws FileRejected (CSC403) for a file that is empty, damaged, not a workbook, suspiciously large when
 * expanded, or has no 'List N' sheet; every other problem is a finding and the rest of the file loads.
 */
export async function readAnnexA(path: Source, sink: RecordSink): Promise<FileSummary> {
  const file = sourceName(path);
  const size = sourceSize(path);
  if (size === 0) throw rejected(file, 'the file is empty');
  if (size > XLSX_LIMITS.MAX_FILE_BYTES) throw rejected(file, `the file is ${Math.round(size / 1024 / 1024)} MB, over the ${XLSX_LIMITS.MAX_FILE_BYTES / 1024 / 1024} MB limit for Annex A`);
  const reader = new AnnexAReader(file, sink);
  const sheets = sourceExt(path) === '.csv' ? [await csvSheet(path, file)] : await xlsxSheets(path, file, reader);
  for (const sheet of sheets) reader.readSheet(sheet);
  return reader.finish(file);
}
