// Reads a CIN census XML return (DfE) into the canonical tables, streaming: saxes parses the file in
// 1 MB chunks, one <Child> at a time is built, checked (cinRules.ts), turned into rows and dropped, so memory
// stays flat however large the file. Accepts every year's element set from 2020-21 on: GenderCurrent
// (1/2/0/9, before 2024-25) and Sex (M/F/U, from 2024-25; 1/2 tolerated), PreProceedingsandFGDM (2025-26).
// A DOCTYPE (and so any entity declaration) or XML that is not well-formed refuses the whole file.
//
// Canonical rows made here, each with the line its element starts on:
//   Child                 → children (child_id = LAchildID exactly as written, leading zeros kept)
//   CINdetails            → referrals (referral_date, source, nfa, primary_need, closure_date, closure_reason)
//   Assessments           → assessments (referral_date = the CINdetails' one; factors comma-joined;
//                           child_seen and needs_support are not in the census: null)
//   Section47             → section47 (icpc_plan is not in the census: null)
//   CINPlanDates          → cin_plans
//   ChildProtectionPlans  → cp_plans;  each CPPreviewDate → cp_reviews (plan_start_date = CPPstartDate)
//   PreProceedingsandFGDM → pre_proceedings
// Read and checked but not stored (the canonical model has no column for them): FormerUPN, UPNunknown,
// ExpectedPersonBirthDate, AssessmentInternalReviewDate and the CINdetails-level DateOfInitialCPC.
//
// The census year: DfE's <ReferenceDate> is the census date, 31 March; the collection year is the reporting
// year it ends, as its start year (ReferenceDate 2025-03-31 → collectionYear 2024, i.e. 2024-25), and the
// period is 1 April 2024 … ReferenceDate. <Year> (the calendar year of the reference date in DfE's files;
// the samples are inconsistent) is used only when ReferenceDate is missing or unreadable: Year 2025 → 2024.
import { XmlStreamReader } from './xmlStream.ts';
import { checkedTextStream } from './textFile.ts';
import { sourceName, type Source } from './source.ts';
import type { Row } from '../model.ts';
import { reportingYearOf } from '../periods.ts';
import { FileRejected } from './errors.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import {
  FILE_RULES, bool, checkChild, checkHeader, date, sexOf, text, wholeNumber,
  type CinAssessment, type CinChild, type CinContext, type CinCpPlan, type CinDetails, type CinNested, type CinRecord, type CinReview,
} from './cinRules.ts';

// What each element is, by parent/name. Anything not listed is reported (CSC206) and skipped with its content.
type Role = 'header' | 'child' | 'details' | 'assessment' | 'cinplan' | 'section47' | 'cpplan' | 'preproceedings'
  | 'review' | 'disability' | 'factor' | 'group' | 'leaf';

const ROLES = new Map<string, Map<string, Role>>();
function roles(parent: string, role: Role, names: string[]): void {
  let inside = ROLES.get(parent);
  if (!inside) ROLES.set(parent, (inside = new Map()));
  for (const n of names) inside.set(n, role);
}
roles('Message', 'header', ['Header']);
roles('Message', 'group', ['Children']);
roles('Header', 'group', ['CollectionDetails', 'Source']);
roles('CollectionDetails', 'leaf', ['Collection', 'Year', 'ReferenceDate']);
roles('Source', 'leaf', ['SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime']);
roles('Children', 'child', ['Child']);
roles('Child', 'group', ['ChildIdentifiers', 'ChildCharacteristics']);
roles('ChildIdentifiers', 'leaf', [
  'LAchildID', 'UPN', 'FormerUPN', 'UPNunknown', 'PersonBirthDate', 'ExpectedPersonBirthDate', 'GenderCurrent', 'Sex', 'PersonDeathDate',
]);
roles('ChildCharacteristics', 'leaf', ['Ethnicity']);
roles('ChildCharacteristics', 'group', ['Disabilities']);
roles('Disabilities', 'disability', ['Disability']);
roles('Child', 'details', ['CINdetails']);
roles('CINdetails', 'leaf', [
  'CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure', 'DateOfInitialCPC', 'ReferralNFA',
]);
roles('CINdetails', 'assessment', ['Assessments']);
roles('Assessments', 'leaf', ['AssessmentActualStartDate', 'AssessmentInternalReviewDate', 'AssessmentAuthorisationDate']);
roles('Assessments', 'group', ['FactorsIdentifiedAtAssessment']);
roles('FactorsIdentifiedAtAssessment', 'factor', ['AssessmentFactors']);
roles('CINdetails', 'cinplan', ['CINPlanDates']);
roles('CINPlanDates', 'leaf', ['CINPlanStartDate', 'CINPlanEndDate']);
roles('CINdetails', 'section47', ['Section47']);
roles('Section47', 'leaf', ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired']);
roles('CINdetails', 'cpplan', ['ChildProtectionPlans']);
roles('ChildProtectionPlans', 'leaf', ['CPPstartDate', 'CPPendDate', 'InitialCategoryOfAbuse', 'LatestCategoryOfAbuse', 'NumberOfPreviousCPP']);
roles('ChildProtectionPlans', 'group', ['Reviews']);
roles('Reviews', 'review', ['CPPreviewDate']);
roles('CINdetails', 'preproceedings', ['PreProceedingsandFGDM']);
roles('PreProceedingsandFGDM', 'leaf', [
  'PPStartDate', 'LBPSentDate', 'FGDMMeetingOffer', 'FGDMMeetingFac', 'InitialPPMeetingDate', 'ReviewMeetingsCount',
  'StepDecisionDate', 'PPOutcome', 'CourtAppDate', 'LetterInitCPDate',
]);

/** Sees each record as read, before its checks (the validator stages raw fields: src/validate/staging.ts). */
export interface CinHooks {
  onHeader?: (header: CinRecord) => void;
  onChild?: (child: CinChild) => void;
}

/** Roles whose own text is a value. */
const TEXT_ROLES = new Set<Frame['role']>(['leaf', 'disability', 'factor', 'review']);

interface Frame {
  name: string;
  role: Role | 'root' | 'skip';
  /** the record this element belongs to (itself, for a record) */
  record: CinRecord | null;
  line: number;
  text: string;
}

function newlinesAfterContent(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && /\s/.test(s[i]); i--) if (s[i] === '\n') n++;
  return n;
}

/** The streaming state for one file. */
class CinReader extends XmlStreamReader {
  private readonly stack: Frame[] = [];
  private readonly ctx: CinContext;
  private child: CinChild | null = null;
  /** structural findings for the Child being read; given its id when it closes */
  private pending: Finding[] = [];
  private sawRoot = false;
  collectionYear: number | undefined;
  periodStart: string | undefined;
  periodEnd: string | undefined;

  constructor(private readonly file: string, private readonly sink: RecordSink, private readonly hooks: CinHooks = {}) {
    super();
    this.ctx = { file, referenceDate: null, periodStart: null, childIdsSeen: new Set() };
  }

  protected refuseDoctype(line: number): FileRejected {
    return this.rejection(FILE_RULES.doctype, line, 'DOCTYPE', null);
  }

  protected refuseEmpty(): FileRejected {
    return this.rejection(FILE_RULES.empty, null, null, null);
  }

  protected refuseMalformed(line: number, detail: string): FileRejected {
    return this.rejection(FILE_RULES.malformed, line, null, null, detail);
  }

  private rejection(rule: { code: string; message: string }, line: number | null, field: string | null, value: string | null, detail?: string): FileRejected {
    const where = line === null ? this.file : `${this.file} line ${line}`;
    const message = `${where}: ${rule.message}${detail ? ` (${detail})` : ''} — nothing loaded from this file`;
    const finding: Finding = {
      ruleset: 'file', code: rule.code, severity: 'error', file: this.file, row: line, section: null, field, value, childId: null, message,
    };
    return new FileRejected(message, [finding]);
  }

  /** A structural warning: held until the Child closes (to carry its id), or reported at once outside a Child. */
  private structural(rule: { code: string; message: string }, line: number, section: string, field: string | null, value: string | null, detail: string): void {
    const quoted = value === null ? '' : ` '${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
    const finding: Finding = {
      ruleset: 'cin', code: rule.code, severity: 'warning', file: this.file, row: line, section, field, value, childId: null,
      message: `${this.file} line ${line}: ${field ?? section}${quoted} — ${rule.message} (${detail}) (rule ${rule.code}) — ignored`,
    };
    if (this.child) this.pending.push(finding);
    else this.sink.finding(finding);
  }

  protected open(rawName: string): void {
    const colon = rawName.indexOf(':');
    const name = colon >= 0 ? rawName.slice(colon + 1) : rawName;
    const line = this.parser.line;
    const parent = this.stack.length > 0 ? this.stack[this.stack.length - 1] : null;
    if (!parent) {
      if (name !== 'Message' || this.sawRoot) throw this.rejection(FILE_RULES.notCin, line, name, null, `it is <${rawName}>`);
      this.sawRoot = true;
      this.stack.push({ name, role: 'root', record: null, line, text: '' });
      return;
    }
    if (parent.role === 'skip') {
      this.stack.push({ name, role: 'skip', record: null, line, text: '' });
      return;
    }
    const role = ROLES.get(parent.name)?.get(name);
    if (role === undefined) {
      this.structural(FILE_RULES.unknownElement, line, parent.name, name, null, `<${name}> inside <${parent.name}>; skipped with its content`);
      this.stack.push({ name, role: 'skip', record: null, line, text: '' });
      return;
    }
    const owner = parent.record;
    let record: CinRecord | null = owner;
    switch (role) {
      case 'header':
        record = { element: 'Header', line, fields: {} };
        break;
      case 'child': {
        const child: CinChild = { element: 'Child', line, fields: {}, disabilities: [], details: [] };
        record = this.child = child;
        this.pending = [];
        break;
      }
      case 'details': {
        const child = owner as CinChild;
        const d: CinDetails = {
          element: 'CINdetails', line, fields: {}, child, assessments: [], cinPlans: [], section47: [], cpPlans: [], preProceedings: [],
        };
        child.details.push(d);
        record = d;
        break;
      }
      case 'assessment': {
        const details = owner as CinDetails;
        const a: CinAssessment = { element: 'Assessments', line, fields: {}, details, factors: [] };
        details.assessments.push(a);
        record = a;
        break;
      }
      case 'cinplan': case 'section47': case 'preproceedings': {
        const details = owner as CinDetails;
        const n: CinNested = { element: name, line, fields: {}, details };
        (role === 'cinplan' ? details.cinPlans : role === 'section47' ? details.section47 : details.preProceedings).push(n);
        record = n;
        break;
      }
      case 'cpplan': {
        const details = owner as CinDetails;
        const p: CinCpPlan = { element: 'ChildProtectionPlans', line, fields: {}, details, reviews: [] };
        details.cpPlans.push(p);
        record = p;
        break;
      }
      case 'review': {
        const plan = owner as CinCpPlan;
        const r: CinReview = { element: 'CPPreviewDate', line, fields: {}, plan };
        plan.reviews.push(r);
        record = r;
        break;
      }
      default:
        break;
    }
    this.stack.push({ name, role, record, line, text: '' });
  }

  protected text(t: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return; // outside the root: saxes reports non-blank text there itself
    if (TEXT_ROLES.has(top.role)) {
      top.text += t;
    } else if (top.role !== 'skip' && /\S/.test(t)) {
      const line = this.parser.line - newlinesAfterContent(t);
      this.structural(FILE_RULES.strayText, line, top.name, null, t.trim(), `text between elements in <${top.name}>`);
    }
  }

  protected close(): void {
    const f = this.stack.pop()!;
    const record = f.record;
    switch (f.role) {
      case 'leaf': {
        if (record!.fields[f.name] !== undefined) {
          this.structural(FILE_RULES.repeated, f.line, record!.element, f.name, f.text.trim(), `the first ${f.name} is kept`);
        } else {
          record!.fields[f.name] = { text: f.text.trim(), line: f.line };
        }
        break;
      }
      case 'disability':
        (record as CinChild).disabilities.push({ text: f.text.trim(), line: f.line });
        break;
      case 'factor':
        (record as CinAssessment).factors.push({ text: f.text.trim(), line: f.line });
        break;
      case 'review':
        record!.fields.CPPreviewDate = { text: f.text.trim(), line: f.line };
        break;
      case 'header':
        this.endHeader(record!);
        break;
      case 'child':
        this.endChild(record as CinChild);
        break;
      default:
        break;
    }
  }

  private endHeader(header: CinRecord): void {
    let ref = date(header, 'ReferenceDate');
    const year = text(header, 'Year');
    const findings = checkHeader(header, this.ctx).findings;
    if (!ref && year !== null && /^\d{4}$/.test(year)) ref = `${year}-03-31`;
    if (ref) {
      const period = reportingYearOf(ref);
      this.ctx.referenceDate = ref;
      this.ctx.periodStart = period.start;
      this.collectionYear = Number(period.start.slice(0, 4));
      this.periodStart = period.start;
      this.periodEnd = ref;
    }
    for (const f of findings) this.sink.finding(f);
    this.hooks.onHeader?.(header);
  }

  private endChild(child: CinChild): void {
    this.hooks.onChild?.(child);
    const outcome = checkChild(child, this.ctx);
    const id = text(child, 'LAchildID');
    for (const f of this.pending) {
      f.childId = id;
      this.sink.finding(f);
    }
    for (const f of outcome.findings) this.sink.finding(f);
    this.pending = [];
    this.child = null;
    if (id === null) return;
    this.ctx.childIdsSeen.add(id);
    emitRows(child, id, outcome.rejected, this.sink);
  }

  summary(): FileSummary {
    return { kind: 'cin_census', parts: [], collectionYear: this.collectionYear, periodStart: this.periodStart, periodEnd: this.periodEnd };
  }
}

/** Codes in the order written, each once (duplicates are flagged by 8794 / 8898). */
function uniqueCodes(fields: { text: string }[], drop?: string): string[] {
  const out: string[] = [];
  for (const f of fields) if (f.text !== '' && f.text !== drop && !out.includes(f.text)) out.push(f.text);
  return out;
}

function emitRows(child: CinChild, childId: string, rejected: Set<CinRecord>, sink: RecordSink): void {
  if (!rejected.has(child)) {
    const codes = uniqueCodes(child.disabilities, 'NONE');
    const row: Row<'children'> = {
      child_id: childId, upn: text(child, 'UPN'), dob: date(child, 'PersonBirthDate'), sex: sexOf(child),
      ethnicity: text(child, 'Ethnicity'),
      disabilities: child.disabilities.length === 0 ? null : codes.join(','),
      disabled: child.disabilities.length === 0 ? null : codes.length > 0,
      uasc: null, date_of_death: date(child, 'PersonDeathDate'),
    };
    sink.add('children', row, child.line);
  }
  for (const d of child.details) {
    const referralDate = date(d, 'CINreferralDate');
    if (referralDate === null) continue; // 8600 / CSC210: nothing inside it can be linked
    if (!rejected.has(d)) {
      const nfa = bool(d, 'ReferralNFA');
      sink.add('referrals', {
        child_id: childId, referral_date: referralDate, source: text(d, 'ReferralSource'), nfa: nfa === undefined ? null : nfa,
        primary_need: text(d, 'PrimaryNeedCode'), closure_date: date(d, 'CINclosureDate'), closure_reason: text(d, 'ReasonForClosure'),
        team: null, worker: null,
      }, d.line);
    }
    for (const a of d.assessments) {
      if (rejected.has(a)) continue;
      const factors = uniqueCodes(a.factors);
      sink.add('assessments', {
        child_id: childId, referral_date: referralDate, start_date: date(a, 'AssessmentActualStartDate'), child_seen: null,
        authorisation_date: date(a, 'AssessmentAuthorisationDate'), needs_support: null,
        factors: factors.length > 0 ? factors.join(',') : null, team: null, worker: null,
      }, a.line);
    }
    for (const s of d.section47) {
      if (rejected.has(s)) continue;
      const notRequired = bool(s, 'ICPCnotRequired');
      sink.add('section47', {
        child_id: childId, referral_date: referralDate, start_date: date(s, 'S47ActualStartDate'),
        icpc_target_date: date(s, 'InitialCPCtarget'), icpc_not_required: notRequired === undefined ? null : notRequired,
        icpc_date: date(s, 'DateOfInitialCPC'), icpc_plan: null, team: null, worker: null,
      }, s.line);
    }
    for (const p of d.cinPlans) {
      if (rejected.has(p)) continue;
      sink.add('cin_plans', {
        child_id: childId, referral_date: referralDate, start_date: date(p, 'CINPlanStartDate'), end_date: date(p, 'CINPlanEndDate'),
      }, p.line);
    }
    for (const p of d.cpPlans) {
      const start = date(p, 'CPPstartDate');
      if (!rejected.has(p)) {
        sink.add('cp_plans', {
          child_id: childId, referral_date: referralDate, start_date: start, end_date: date(p, 'CPPendDate'),
          initial_category: text(p, 'InitialCategoryOfAbuse'), latest_category: text(p, 'LatestCategoryOfAbuse'),
          previous_plans: wholeNumber(p, 'NumberOfPreviousCPP'), team: null, worker: null,
        }, p.line);
      }
      if (start === null) continue; // 8720 / CSC210: the reviews cannot be linked to their plan
      for (const r of p.reviews) {
        if (rejected.has(r)) continue;
        sink.add('cp_reviews', { child_id: childId, plan_start_date: start, review_date: date(r, 'CPPreviewDate') }, r.line);
      }
    }
    for (const p of d.preProceedings) {
      if (rejected.has(p)) continue;
      const offered = bool(p, 'FGDMMeetingOffer');
      const facilitated = bool(p, 'FGDMMeetingFac');
      sink.add('pre_proceedings', {
        child_id: childId, referral_date: referralDate, start_date: date(p, 'PPStartDate'),
        letter_before_proceedings_date: date(p, 'LBPSentDate'),
        fgdm_offered: offered === undefined ? null : offered, fgdm_facilitated: facilitated === undefined ? null : facilitated,
        initial_meeting_date: date(p, 'InitialPPMeetingDate'), review_meetings: wholeNumber(p, 'ReviewMeetingsCount'),
        decision_date: date(p, 'StepDecisionDate'), outcome: text(p, 'PPOutcome'), court_application_date: date(p, 'CourtAppDate'),
        letter_initial_cp_date: date(p, 'LetterInitCPDate'),
      }, p.line);
    }
  }
}

/**
 * Streams a CIN census XML file into sink: rows as each <Child> closes, findings as they arise.
 * Throws FileRejected (nothing from the file to be kept) for a DOCTYPE or entity declaration (CSC201),
 * XML that is not well-formed (CSC202, with saxes' line and column), an empty file (CSC203) or a root
 * element other than Message (CSC204). Rows already given to the sink before a late rejection are
 * discarded by the loader, whose load is one transaction.
 */
export async function readCinCensus(path: Source, sink: RecordSink, hooks: CinHooks = {}): Promise<FileSummary> {
  const reader = new CinReader(sourceName(path), sink, hooks);
  const stream = checkedTextStream(path, sourceName(path), 'XML').setEncoding('utf8'); // UTF-8 only (textFile.ts)
  try {
    for await (const chunk of stream) reader.write(chunk as string);
  } finally {
    stream.destroy();
  }
  reader.end();
  return reader.summary();
}
