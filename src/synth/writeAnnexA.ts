// Writes Ofsted's Annex A workbook (children's social care inspection, ILACS) for the 6 months up to an
// inspection date: sheets 'List 1' … 'List 11' with the column headings, in order, of the sample workbook in
// ../shared/external-samples/annex-a (SocialFinanceDigitalLabs/liia-tools), coded values with the lettered
// option prefixes Annex A templates use ("a) Male", "q) 6: Police"), and real Excel dates.
//
// Which records each list holds (our reading of the Annex A guidance; "the period" = the 6 months
// ps..asAt, ps = the day after asAt minus 6 months, both ends inclusive):
//   List 1  contacts received in the period
//   List 2  early help assessments started or completed in the period
//   List 3  referrals dated in the period
//   List 4  assessments active in the period: started by asAt and not authorised before ps (this includes
//           every assessment started or authorised in the period, and those in progress throughout it)
//   List 5  Section 47 enquiries started in the period, with their ICPC
//   List 6  CIN episodes (referrals) open at any time in the period: started by asAt, not closed before ps
//   List 7  CP plans open at any time in the period: started by asAt, not ended before ps
//   List 8  children looked after at any time in the period: one row per child, for the latest episode
//   List 9  care leavers with an OC3 record in the reporting year of asAt or the one before (the latest kept)
//   List 10 children with an adoption decision by asAt whose case was not concluded (adoption order or
//           decision reversed) before ps
//   List 11 adopters: we do not model adopters, so the headings are written with no rows
// The workbook shows what was known at asAt: any date after asAt is left blank (with what depends on it,
// e.g. the ICPC outcome, the reason ceased).
//
// Byte-identical output for the same input: exceljs's streaming writer is deterministic except for the
// zip entries' modification times (archiver stamps each entry with the current time), so after writing we
// set every entry's DOS date/time, in the local headers and the central directory, to asAt 00:00, and the
// document properties (creator, created, modified) to fixed values derived from asAt.
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { addDays, addMonths, addYears } from '../calendar.ts';
import {
  CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITY, CATEGORY_OF_ABUSE, ETHNICITY, LEGAL_STATUS, PLACEMENT_PROVIDER,
  PLACEMENT_TYPE, PRIMARY_NEED, REASON_EPISODE_CEASED, REASON_FOR_CLOSURE,
} from '../codes.ts';
import { reportingYearOf } from '../periods.ts';
import type { Row, TableName } from '../model.ts';
import type { SyntheticLA } from './types.ts';

const CHILD = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age'] as const;
const DISABILITY = 'Does the Child have a Disability';
const ALLOCATED = ['Allocated Team', 'Allocated Worker'] as const;

/** The column headings of each list, exactly as in the sample workbook (including its quirks). */
export const ANNEX_A_HEADINGS: Readonly<Record<string, readonly string[]>> = {
  'List 1': [...CHILD, 'Date of Contact', 'Contact Source'],
  'List 2': [...CHILD, 'Assessment start date', 'Assessment completion date', 'Organisation completing assessment'],
  'List 3': [...CHILD, 'Date of Referral', 'Referral Source', 'Referral NFA?', 'Number of Referrals in Last 12 Months', ...ALLOCATED],
  'List 4': [
    ...CHILD, DISABILITY, 'Continuous Assessment Start Date', 'Child Seen During Continuous Assessment',
    'Continuous Assessment Date of Authorisation', "Was the child assessed as requiring LA children's social care support?", ...ALLOCATED,
  ],
  'List 5': [
    ...CHILD, DISABILITY, 'Strategy discussion initiating Section 47 Enquiry Start Date',
    'Was an Initial Child Protection Conference deemed unnecessary?', 'Date of Initial Child Protection Conference',
    'Did the Initial Child Protection Conference Result in a Child Protection Plan', 'Number of Section 47 Enquiries in the last 12 months',
    'Number of ICPCs in the last 12 months', ...ALLOCATED,
  ],
  'List 6': [
    ...CHILD, DISABILITY, 'CIN Start Date', 'Primary Need Code', 'Date Child Was Last Seen', 'CIN Closure Date', 'Reason for Closure',
    'Case Status', ...ALLOCATED,
  ],
  'List 7': [
    ...CHILD, DISABILITY, 'Child Protection Plan Start Date', 'Initial Category of Abuse', 'Latest Category of Abuse',
    'Date of the Last Statutory Visit', 'Was the Child Seen Alone?', 'Date of latest review conference', 'Child Protection Plan End Date',
    'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
    'Number of Previous Child Protection Plans', ...ALLOCATED,
  ],
  'List 8': [
    ...CHILD, 'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))', DISABILITY, 'Date Started to be Looked After',
    "Child's Category of Need", 'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)',
    'Start date of current legal status', "Child's Legal Status", 'Date of Latest Statutory Review', 'Date of Last Social Work Visit',
    'What is the permanence plan for this child?', 'Date of Last IRO Visit / Contact to the Child', 'Date of Last Health Assessment',
    'Date of Last Dental Check', 'Number of Placements in the Last 12 months', 'Date Ceased to be Looked After',
    'Reason Ceased to be Looked After', 'Start Date of Most Recent Placement', 'Placement Type', 'Placement Provider', 'Placement postcode',
    'URN of Placement', 'Placement Location', 'LA of Placement',
    'Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 months',
    'Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last 12 months',
    'Was the child offered a Return Interview after their last missing episode (Y/N)?',
    'Did the child accept a Return Interview after their last missing episode (Y/N)?', ...ALLOCATED,
  ],
  'List 9': [
    ...CHILD, DISABILITY, ...ALLOCATED, 'Eligibility Category', 'LA in Touch', 'Type of Accommodation', 'Suitability of Accommodation',
    'Activity Status',
  ],
  'List 10': [
    'Child Unique ID', 'Family identifier', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)', DISABILITY,
    'Date the Child Entered Care', 'Date of Decision that Child Should be Placed for Adoption', 'Date of Placement Order',
    'Date of Matching Child and Prospective Adopters', 'Date Placed for Adoption', 'Date of Adoption Order ',
    'Date of Decision that Child Should No Longer be Placed for Adoption', 'Reason Why Child No Longer Placed for Adoption',
    'Date the child was placed for fostering in FFA or concurrent planning placement',
  ],
  'List 11': [
    'Individual adopter identifier', 'Family identifier', 'Gender', 'Ethnicity', 'Disability',
    'Is the (prospective) adopter fostering for adoption?', 'Date enquiry received', 'Date Stage 1 started', 'Date Stage 1 ended',
    'Date Stage 2 started', 'Date Stage 2 ended', 'Date application submitted', 'Date application approved',
    'Date adopter matched with child(ren)', 'Date child/children placed with adopter(s)', 'No. of children placed',
    'Date of Adoption Order', 'Date of leaving adoption process', 'Reason for leaving adoption process',
  ],
};

export const ANNEX_A_LISTS = Object.keys(ANNEX_A_HEADINGS);

// Lettered options, as Annex A templates letter them (the order of Ofsted's drop-down lists).
const SEX_OPTION: Record<string, string> = { M: 'a) Male', F: 'b) Female', U: 'c) Not stated/recorded' };
const ETHNICITY_LETTERS = 'WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH NOBT REFU'.split(' ');
const SOURCE_OPTION: Record<string, string> = {
  '1A': 'a) 1A: Individual', '1B': 'b) 1B: Individual', '1C': 'c) 1C: Individual', '1D': 'd) 1D: Individual', '2A': 'e) 2A: Schools',
  '2B': 'f) 2B: Education services', '3A': 'g) 3A: Health services', '3B': 'h) 3B: Health services', '3C': 'i) 3C: Health services',
  '3D': 'j) 3D: Health services', '3E': 'k) 3E: Health services', '3F': 'l) 3F: Health services', '4': 'm) 4: Housing',
  '5A': 'n) 5A: LA services', '5B': 'o) 5B: LA services', '5C': 'p) 5C: LA services', '5D': 'p1) 5D: LA services', '6': 'q) 6: Police',
  '7': 'r) 7: Other legal agency', '8': 's) 8: Other', '9': 't) 9: Anonymous', '10': 'u) 10: Unknown',
};
const LEGAL_STATUS_SHORT: Record<string, string> = {
  C1: 'ICO', C2: 'FCO', D1: 'Freeing order', E1: 'Placement order', V2: 'Single period under S20',
  L1: 'Police protection LA accommodation', L2: 'EPO', L3: 'Child assessment order LA accommodation',
  J1: 'Remanded to LA or youth detention', J2: 'LA accommodation under PACE', J3: 'Youth rehabilitation order',
  V3: 'Short term breaks, episodes recorded', V4: 'Short term breaks, agreements recorded',
};
const PLACEMENT_LETTERS: Record<string, string> = {
  U1: 'a', U2: 'b', U3: 'c', U4: 'd', U5: 'e', U6: 'f', A3: 'g', A4: 'h', A5: 'i', A6: 'j', P1: 'k', P2: 'l', P3: 'm', H5: 'n',
  K1: 'o', K2: 'p', R1: 'q', R2: 'r', R3: 's', R5: 't', S1: 'u', Z1: 'v', T0: 'w', T1: 'x', T2: 'y', T3: 'z', T4: 'zz',
};
const PROVIDER_LETTERS: Record<string, string> = { PR0: 'a', PR1: 'b', PR2: 'c', PR3: 'd', PR4: 'e', PR5: 'f' };
const CEASED_LETTERS: Record<string, string> = {
  E11: 'a', E12: 'b', E2: 'c', E3: 'd', E4A: 'e', E4B: 'f', E13: 'g', E41: 'h', E45: 'i', E46: 'j', E47: 'k', E48: 'l', E5: 'm',
  E6: 'n', E7: 'o', E9: 'p', E14: 'q', E15: 'r', E16: 's', E8: 't', X1: 'u', E17: 'v',
};
const IN_TOUCH_OPTION: Record<string, string> = {
  YES: 'a) Yes', NO: 'b) No', DIED: 'c) Died', REFU: 'd) Refu', NREQ: 'e) NREQ', RHOM: 'f) Rhom',
};
const ELIGIBILITY_OPTION: Record<string, string> = {
  relevant: 'a) Relevant child', former_relevant: 'b) Former relevant child', qualifying: 'c) Qualifying care leaver',
  eligible: 'd) Eligible child',
};
const ABUSE_LABEL: Record<string, string> = { ...CATEGORY_OF_ABUSE, MUL: 'Multiple/not recommended' };

type Cell = string | number | Date | null;
type Tables = SyntheticLA['tables'];

const dateCell = (iso: string | null): Date | null => (iso ? new Date(`${iso.slice(0, 10)}T00:00:00Z`) : null);
const yesNo = (b: boolean | null): string | null => (b === null ? null : b ? 'Yes' : 'No');
const letteredYesNo = (b: boolean | null): string | null => (b === null ? null : b ? 'a) Yes' : 'b) No');
const disabilityOption = (b: boolean | null): string => (b === null ? 'c) Unknown' : b ? 'a) Yes' : 'b) No');
const latest = (dates: (string | null)[]): string | null => dates.reduce<string | null>((m, d) => (d !== null && (m === null || d > m) ? d : m), null);

function coded(code: string | null, labels: Readonly<Record<string, string>>, sep: string, letters?: Record<string, string>): string | null {
  if (!code) return null;
  const text = `${code}${sep}${labels[code] ?? code}`;
  return letters?.[code] ? `${letters[code]}) ${text}` : text;
}

function ethnicityOption(code: string | null): string | null {
  if (!code) return null;
  const i = ETHNICITY_LETTERS.indexOf(code);
  return i < 0 ? code : `${String.fromCharCode(97 + i)}) ${code}`;
}

/** Completed years at asAt; null without a date of birth or before birth. */
function ageAt(dob: string | null, asAt: string): number | null {
  if (!dob || dob > asAt) return null;
  let age = Number(asAt.slice(0, 4)) - Number(dob.slice(0, 4));
  if (asAt.slice(5) < dob.slice(5)) age--;
  return age;
}

function byChild<T extends TableName>(rows: Row<T>[]): Map<string, Row<T>[]> {
  const map = new Map<string, Row<T>[]>();
  for (const r of rows) {
    const id = (r as { child_id: string | null }).child_id;
    if (id === null) continue;
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    list.push(r);
  }
  return map;
}

function lastIndex<R>(rows: R[], test: (r: R) => boolean): number {
  for (let i = rows.length - 1; i >= 0; i--) if (test(rows[i])) return i;
  return -1;
}

/** Sorts rows by the given keys (strings, nulls last), so the same records always give the same order. */
function sortBy<R>(rows: R[], ...keys: ((r: R) => string | null)[]): R[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const x = k(a) ?? '\uffff';
      const y = k(b) ?? '\uffff';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** Everything the lists need, indexed once. */
class Book {
  readonly ps: string;
  readonly children: Map<string, Row<'children'>>;
  readonly visits: Map<string, Row<'visits'>[]>;
  readonly episodes: Map<string, Row<'lac_episodes'>[]>;
  readonly referrals: Map<string, Row<'referrals'>[]>;
  readonly s47: Map<string, Row<'section47'>[]>;
  readonly cpPlans: Map<string, Row<'cp_plans'>[]>;
  readonly assessments: Map<string, Row<'assessments'>[]>;
  private allocations: Map<string, Row<'allocations'>[]>;
  private teamNames: Map<string, string>;
  private workerNames: Map<string, string>;

  readonly t: Tables;
  readonly asAt: string;

  constructor(t: Tables, asAt: string) {
    this.t = t;
    this.asAt = asAt;
    this.ps = addDays(addMonths(asAt, -6), 1);
    this.children = new Map(t.children.filter((c) => c.child_id !== null).map((c) => [c.child_id as string, c]));
    this.visits = byChild(t.visits);
    this.episodes = byChild(t.lac_episodes);
    for (const eps of this.episodes.values()) sortBy(eps, (e) => e.decom);
    this.referrals = byChild(t.referrals);
    this.s47 = byChild(t.section47);
    this.cpPlans = byChild(t.cp_plans);
    this.assessments = byChild(t.assessments);
    this.allocations = byChild(t.allocations);
    this.teamNames = new Map(t.teams.map((x) => [x.team_id ?? '', x.name ?? x.team_id ?? '']));
    this.workerNames = new Map(t.workers.map((x) => [x.worker_id ?? '', x.name ?? x.worker_id ?? '']));
  }

  /** A date as known at asAt: later dates are not yet known. */
  known(date: string | null): string | null {
    return date !== null && date.slice(0, 10) <= this.asAt ? date.slice(0, 10) : null;
  }

  inPeriod(date: string | null): boolean {
    return date !== null && date.slice(0, 10) >= this.ps && date.slice(0, 10) <= this.asAt;
  }

  /** Open at any time in the period, or ended within it. */
  openInPeriod(start: string | null, end: string | null): boolean {
    return start !== null && start <= this.asAt && (end === null || end >= this.ps);
  }

  childCells(id: string): Cell[] {
    const c = this.children.get(id);
    return [
      id, SEX_OPTION[c?.sex ?? ''] ?? null, ethnicityOption(c?.ethnicity ?? null), dateCell(c?.dob ?? null),
      ageAt(c?.dob ?? null, this.asAt),
    ];
  }

  disability(id: string): string {
    return disabilityOption(this.children.get(id)?.disabled ?? null);
  }

  /** Team and worker holding the child at a date, from allocations (names where known). */
  allocationAt(id: string, date: string): [string | null, string | null] {
    const open = (this.allocations.get(id) ?? []).filter((a) => a.start_date !== null && a.start_date <= date && (a.end_date === null || a.end_date > date));
    const a = sortBy(open, (x) => x.start_date, (x) => x.worker_id).at(-1);
    if (!a) return [null, null];
    return [a.team_id === null ? null : this.teamNames.get(a.team_id) ?? a.team_id, a.worker_id === null ? null : this.workerNames.get(a.worker_id) ?? a.worker_id];
  }

  allocated(id: string, team: string | null, worker: string | null): [string | null, string | null] {
    if (team !== null || worker !== null) return [team, worker];
    return this.allocationAt(id, this.asAt);
  }

  latestVisit(id: string, from: string, to: string, type?: string): Row<'visits'> | undefined {
    const vs = (this.visits.get(id) ?? []).filter((v) => v.visit_date !== null && v.visit_date >= from && v.visit_date <= to && (!type || v.visit_type === type));
    return sortBy(vs, (v) => v.visit_date, (v) => v.visit_type).at(-1);
  }

  /** The start of the period of care an episode belongs to: walks back over episodes that end the day the next begins. */
  chainStart(eps: Row<'lac_episodes'>[], i: number, same: (prev: Row<'lac_episodes'>, cur: Row<'lac_episodes'>) => boolean = () => true): string {
    let k = i;
    while (k > 0 && eps[k - 1].dec === eps[k].decom && same(eps[k - 1], eps[k])) k--;
    return eps[k].decom as string;
  }
}

function list1(b: Book): Cell[][] {
  const rows = sortBy(b.t.contacts.filter((c) => c.child_id !== null && b.inPeriod(c.received_at)), (c) => c.received_at, (c) => c.child_id, (c) => c.contact_id);
  return rows.map((c) => [...b.childCells(c.child_id as string), dateCell(c.received_at), SOURCE_OPTION[c.source ?? ''] ?? c.source]);
}

function list2(b: Book): Cell[][] {
  const rows = sortBy(b.t.early_help.filter((e) => e.child_id !== null && (b.inPeriod(e.start_date) || b.inPeriod(e.completion_date))), (e) => e.start_date, (e) => e.child_id);
  return rows.map((e) => [...b.childCells(e.child_id as string), dateCell(e.start_date), dateCell(b.known(e.completion_date)), e.organisation]);
}

function list3(b: Book): Cell[][] {
  const rows = sortBy(b.t.referrals.filter((r) => r.child_id !== null && b.inPeriod(r.referral_date)), (r) => r.referral_date, (r) => r.child_id);
  return rows.map((r) => {
    const id = r.child_id as string;
    const date = r.referral_date as string;
    const yearBefore = addYears(date, -1);
    // previous referrals (distinct days) in the 12 months before this one
    const previous = new Set((b.referrals.get(id) ?? []).map((x) => x.referral_date).filter((d): d is string => d !== null && d >= yearBefore && d < date));
    return [...b.childCells(id), dateCell(date), SOURCE_OPTION[r.source ?? ''] ?? r.source, yesNo(r.nfa), previous.size, ...b.allocated(id, r.team, r.worker)];
  });
}

function list4(b: Book): Cell[][] {
  const rows = sortBy(
    b.t.assessments.filter((a) => a.child_id !== null && b.openInPeriod(a.start_date, a.authorisation_date)),
    (a) => a.start_date, (a) => a.child_id,
  );
  return rows.map((a) => {
    const id = a.child_id as string;
    const authorised = b.known(a.authorisation_date);
    return [
      ...b.childCells(id), b.disability(id), dateCell(a.start_date), yesNo(a.child_seen), dateCell(authorised),
      authorised ? letteredYesNo(a.needs_support) : null, ...b.allocated(id, a.team, a.worker),
    ];
  });
}

function list5(b: Book): Cell[][] {
  const rows = sortBy(b.t.section47.filter((s) => s.child_id !== null && b.inPeriod(s.start_date)), (s) => s.start_date, (s) => s.child_id);
  return rows.map((s) => {
    const id = s.child_id as string;
    const start = s.start_date as string;
    const yearBefore = addYears(start, -1);
    const others = b.s47.get(id) ?? [];
    // earlier enquiries and ICPCs of the child in the 12 months before this enquiry started
    const s47s = new Set(others.map((x) => x.start_date).filter((d): d is string => d !== null && d >= yearBefore && d < start)).size;
    const icpcs = new Set(others.map((x) => x.icpc_date).filter((d): d is string => d !== null && d >= yearBefore && d < start)).size;
    const icpc = b.known(s.icpc_date);
    return [
      ...b.childCells(id), b.disability(id), dateCell(start), yesNo(s.icpc_not_required), dateCell(icpc), icpc ? yesNo(s.icpc_plan) : null,
      s47s, icpcs, ...b.allocated(id, s.team, s.worker),
    ];
  });
}

function caseStatus(b: Book, id: string, closure: string | null): string {
  if ((b.episodes.get(id) ?? []).some((e) => e.decom !== null && e.decom <= b.asAt && (e.dec === null || e.dec > b.asAt))) return 'a) Looked after child';
  if ((b.cpPlans.get(id) ?? []).some((p) => p.start_date !== null && p.start_date <= b.asAt && (p.end_date === null || p.end_date > b.asAt))) return 'b) Child Protection plan';
  if (closure !== null) return 'e) Closed episode';
  if ((b.assessments.get(id) ?? []).some((a) => a.start_date !== null && a.start_date <= b.asAt && b.known(a.authorisation_date) === null)) return 'd) Open assessment';
  return 'c) Child in need plan';
}

function list6(b: Book): Cell[][] {
  const rows = sortBy(b.t.referrals.filter((r) => r.child_id !== null && b.openInPeriod(r.referral_date, r.closure_date)), (r) => r.referral_date, (r) => r.child_id);
  return rows.map((r) => {
    const id = r.child_id as string;
    const closure = b.known(r.closure_date);
    const seen = b.latestVisit(id, r.referral_date as string, closure ?? b.asAt);
    return [
      ...b.childCells(id), b.disability(id), dateCell(r.referral_date), coded(r.primary_need, PRIMARY_NEED, ' - '), dateCell(seen?.visit_date ?? null),
      dateCell(closure), closure ? coded(r.closure_reason, REASON_FOR_CLOSURE, ' - ') : null, caseStatus(b, id, closure),
      ...b.allocated(id, r.team, r.worker),
    ];
  });
}

function list7(b: Book): Cell[][] {
  const rows = sortBy(b.t.cp_plans.filter((p) => p.child_id !== null && b.openInPeriod(p.start_date, p.end_date)), (p) => p.start_date, (p) => p.child_id);
  const reviews = byChild(b.t.cp_reviews);
  return rows.map((p) => {
    const id = p.child_id as string;
    const start = p.start_date as string;
    const end = b.known(p.end_date);
    const visit = b.latestVisit(id, start, end ?? b.asAt, 'CP');
    const review = latest((reviews.get(id) ?? [])
      .filter((r) => r.review_date !== null && r.review_date >= start && r.review_date <= (end ?? b.asAt) && (r.plan_start_date === null || r.plan_start_date === start))
      .map((r) => r.review_date));
    const epo = (b.episodes.get(id) ?? []).some((e) => (e.legal_status === 'L1' || e.legal_status === 'L2') && b.openInPeriod(e.decom, e.dec));
    return [
      ...b.childCells(id), b.disability(id), dateCell(start), ABUSE_LABEL[p.initial_category ?? ''] ?? p.initial_category,
      ABUSE_LABEL[p.latest_category ?? ''] ?? p.latest_category, dateCell(visit?.visit_date ?? null), visit ? letteredYesNo(visit.seen_alone) : null,
      dateCell(review), dateCell(end), letteredYesNo(epo), p.previous_plans, ...b.allocated(id, p.team, p.worker),
    ];
  });
}

function list8(b: Book): Cell[][] {
  const reviews = byChild(b.t.lac_reviews);
  const health = byChild(b.t.health_assessments);
  const missing = byChild(b.t.missing_episodes);
  const yearStart = addDays(addYears(b.asAt, -1), 1);
  const rows: { id: string; decom: string; cells: Cell[] }[] = [];
  for (const [id, eps] of b.episodes) {
    const i = lastIndex(eps, (e) => b.openInPeriod(e.decom, e.dec));
    if (i < 0) continue;
    const e = eps[i];
    const careStart = b.chainStart(eps, i);
    const legalStart = b.chainStart(eps, i, (prev, cur) => prev.legal_status === cur.legal_status);
    const placementStart = b.chainStart(eps, i, (prev, cur) => cur.rne === 'L' ||
      (cur.rne === null && prev.placement_type === cur.placement_type && prev.placement_provider === cur.placement_provider &&
        prev.placement_postcode === cur.placement_postcode && prev.urn === cur.urn));
    const firstOfCare = eps.findIndex((x) => x.decom === careStart);
    const previousCareEnd = firstOfCare > 0 ? eps[firstOfCare - 1].dec : null;
    const secondPeriod = previousCareEnd !== null && previousCareEnd >= addYears(careStart, -1);
    const dec = b.known(e.dec);
    const visit = b.latestVisit(id, careStart, dec ?? b.asAt, 'LAC');
    const review = latest((reviews.get(id) ?? []).filter((r) => r.review_date !== null && r.review_date >= careStart && r.review_date <= b.asAt).map((r) => r.review_date));
    const hs = health.get(id) ?? [];
    const lastHealth = latest(hs.filter((h) => h.kind !== 'dental').map((h) => b.known(h.assessment_date)));
    const lastDental = latest(hs.filter((h) => h.kind === 'dental').map((h) => b.known(h.assessment_date)));
    // placements in the 12 months to asAt: the one held at the start of the window, then each change of placement
    const inWindow = eps.filter((x) => x.decom !== null && x.decom <= b.asAt && (x.dec === null || x.dec >= yearStart));
    const placements = inWindow.filter((x, k) => k === 0 || x.rne !== 'L').length;
    const missingIn = (type: string) => (missing.get(id) ?? []).filter((m) => m.missing_type === type && m.start_date !== null && m.start_date >= yearStart && m.start_date <= b.asAt).length;
    const [team, worker] = b.allocationAt(id, dec ?? b.asAt);
    rows.push({
      id, decom: e.decom as string,
      cells: [
        ...b.childCells(id), letteredYesNo(b.children.get(id)?.uasc ?? null), b.disability(id), dateCell(careStart),
        coded(e.category_of_need, PRIMARY_NEED, ' - '), letteredYesNo(secondPeriod), dateCell(legalStart),
        coded(e.legal_status, { ...LEGAL_STATUS, ...LEGAL_STATUS_SHORT }, ': '), dateCell(review), dateCell(visit?.visit_date ?? null), null, null,
        dateCell(lastHealth), dateCell(lastDental), placements, dateCell(dec), dec ? coded(e.reason_ceased, REASON_EPISODE_CEASED, ': ', CEASED_LETTERS) : null,
        dateCell(placementStart), coded(e.placement_type, PLACEMENT_TYPE, ': ', PLACEMENT_LETTERS),
        coded(e.placement_provider, PLACEMENT_PROVIDER, ' - ', PROVIDER_LETTERS), e.placement_postcode, e.urn, null, null,
        missingIn('M'), missingIn('A'), null, null, team, worker,
      ],
    });
  }
  return sortBy(rows, (r) => r.decom, (r) => r.id).map((r) => r.cells);
}

function list9(b: Book): Cell[][] {
  const year = Number(reportingYearOf(b.asAt).start.slice(0, 4));
  const latestRow = new Map<string, Row<'care_leavers'>>();
  for (const c of b.t.care_leavers) {
    if (c.child_id === null || c.collection_year === null || c.collection_year < year - 1 || c.collection_year > year) continue;
    const seen = latestRow.get(c.child_id);
    if (!seen || (seen.collection_year as number) < c.collection_year) latestRow.set(c.child_id, c);
  }
  const accommodationType = (code: string | null): string | null => {
    if (!code || code === '0') return null;
    const label = CARE_LEAVER_ACCOMMODATION[code];
    return label ? `${code[0]}: ${label.replace(/: (not )?suitable$/, '')}` : code;
  };
  const suitability = (c: Row<'care_leavers'>): string | null =>
    c.accommodation_suitable === null ? null : c.accommodation_suitable ? 'a) Suitable' : 'b) Unsuitable';
  return sortBy([...latestRow.values()], (c) => c.child_id).map((c) => {
    const id = c.child_id as string;
    return [
      ...b.childCells(id), b.disability(id), ...b.allocationAt(id, b.asAt), ELIGIBILITY_OPTION[c.eligibility ?? ''] ?? c.eligibility,
      IN_TOUCH_OPTION[c.in_touch ?? ''] ?? c.in_touch, accommodationType(c.accommodation), suitability(c),
      coded(c.activity, CARE_LEAVER_ACTIVITY, ': '),
    ];
  });
}

function list10(b: Book): Cell[][] {
  const rows = sortBy(
    b.t.adoptions.filter((a) => a.child_id !== null && a.decision_date !== null && a.decision_date <= b.asAt &&
      !(a.adoption_order_date !== null && a.adoption_order_date < b.ps) && !(a.decision_reversed_date !== null && a.decision_reversed_date < b.ps)),
    (a) => a.decision_date, (a) => a.child_id,
  );
  return rows.map((a) => {
    const id = a.child_id as string;
    const c = b.children.get(id);
    const eps = b.episodes.get(id) ?? [];
    const i = lastIndex(eps, (e) => e.decom !== null && e.decom <= (a.decision_date as string));
    const reversed = b.known(a.decision_reversed_date);
    return [
      id, null, SEX_OPTION[c?.sex ?? ''] ?? null, ethnicityOption(c?.ethnicity ?? null), dateCell(c?.dob ?? null), ageAt(c?.dob ?? null, b.asAt),
      b.disability(id), dateCell(i < 0 ? null : b.chainStart(eps, i)), dateCell(a.decision_date), dateCell(b.known(a.placement_order_date)),
      dateCell(b.known(a.matched_date)), dateCell(b.known(a.placed_date)), dateCell(b.known(a.adoption_order_date)), dateCell(reversed),
      reversed ? a.reason_reversed : null, null,
    ];
  });
}

const LISTS: Record<string, (b: Book) => Cell[][]> = {
  'List 1': list1, 'List 2': list2, 'List 3': list3, 'List 4': list4, 'List 5': list5, 'List 6': list6, 'List 7': list7,
  'List 8': list8, 'List 9': list9, 'List 10': list10, 'List 11': () => [],
};

/**
 * Writes the Annex A workbook for the 6 months up to asAt (ISO date) to path; returns the rows written per list.
 * The same la and asAt always give a byte-identical file.
 */
export async function writeAnnexA(la: SyntheticLA, asAt: string, path: string): Promise<Record<string, number>> {
  const book = new Book(la.tables, asAt);
  const fixed = new Date(`${asAt}T00:00:00Z`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
  wb.creator = 'CSC Scorecard';
  wb.lastModifiedBy = 'CSC Scorecard';
  wb.created = fixed;
  wb.modified = fixed;
  wb.title = `Annex A ${asAt}`;
  const counts: Record<string, number> = {};
  for (const name of ANNEX_A_LISTS) {
    const headings = ANNEX_A_HEADINGS[name];
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = headings.map((h) => ({ width: Math.min(Math.max(h.length, 12), 40) }));
    const head = ws.addRow([...headings]);
    head.font = { bold: true };
    head.commit();
    const rows = LISTS[name](book);
    for (const cells of rows) {
      const row = ws.addRow(cells);
      cells.forEach((v, i) => {
        if (v instanceof Date) row.getCell(i + 1).numFmt = 'dd/mm/yyyy';
      });
      row.commit();
    }
    ws.commit();
    counts[name] = rows.length;
  }
  await wb.commit();
  const bytes = readFileSync(path);
  fixZipTimes(bytes, asAt);
  writeFileSync(path, bytes);
  return counts;
}

/**
 * Sets the modification date and time of every entry of a zip archive, in its local header and in the
 * central directory, to 00:00 on the given date (the only part of exceljs's output that varies between runs).
 * Zip layout: PKWARE APPNOTE.TXT sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end record).
 */
function fixZipTimes(zip: Buffer, date: string): void {
  const [y, m, d] = date.split('-').map(Number);
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  let eocd = -1;
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === 0x06054b50) { eocd = p; break; }
  }
  if (eocd < 0) throw new Error('writeAnnexA: exceljs wrote no zip end record');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('writeAnnexA: unexpected zip central directory layout');
    zip.writeUInt16LE(0, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('writeAnnexA: unexpected zip local header layout');
    zip.writeUInt16LE(0, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
}
