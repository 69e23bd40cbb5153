// Writes the synthetic authority's CIN census return for one reporting year, as DfE's XML, the way an
// authority's case-management system would have produced it on the census date (31 March): events after
// that date are not yet known and are left out (a referral closed in May shows as open; an assessment
// authorised after 31 March shows as ongoing).
//
// Element names and order follow DfE's CIN census XML schema (CIN_schema_2024.xsd as kept by
// SocialFinanceDigitalLabs/liia-tools, liiatools/cin_census_pipeline/spec/) and agree with the sample returns
// in ../shared/external-samples/cin-census: in CINdetails, ReferralNFA comes after Section47 and before
// ChildProtectionPlans; PreProceedingsandFGDM (2025-26 onwards) comes last, as in the 2026 sample.
//
// Year-dependent elements:
//   - Sex (M/F/U) from 2024-25 (collectionYear 2024: DfE rules 4180 and 8750 first appear in the
//     cin2024_25 rule set); GenderCurrent (1 male, 2 female, 0 not known) before. The 2021 and 2022 samples
//     use GenderCurrent, the 2024 sample Sex.
//   - PreProceedingsandFGDM from 2025-26 (collectionYear 2025).
// Header: Year is the calendar year of the reference date (DfE's convention: 2024-25 → Year 2025,
// ReferenceDate 2025-03-31); DateTime is the reference date at midnight, never the clock, so the same
// authority always gives byte-identical files.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Row } from '../model.ts';
import type { SyntheticLA } from './types.ts';

/** DfE's element order: each element's children, in the order they are written. */
export const CIN_CENSUS_ELEMENT_ORDER: Readonly<Record<string, readonly string[]>> = {
  Message: ['Header', 'Children'],
  Header: ['CollectionDetails', 'Source'],
  CollectionDetails: ['Collection', 'Year', 'ReferenceDate'],
  Source: ['SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime'],
  Children: ['Child'],
  Child: ['ChildIdentifiers', 'ChildCharacteristics', 'CINdetails'],
  ChildIdentifiers: [
    'LAchildID', 'UPN', 'FormerUPN', 'UPNunknown', 'PersonBirthDate', 'ExpectedPersonBirthDate',
    'GenderCurrent', 'Sex', // one or the other: GenderCurrent before 2024-25, Sex from 2024-25
    'PersonDeathDate',
  ],
  ChildCharacteristics: ['Ethnicity', 'Disabilities'],
  Disabilities: ['Disability'],
  CINdetails: [
    'CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure', 'DateOfInitialCPC',
    'Assessments', 'CINPlanDates', 'Section47', 'ReferralNFA', 'ChildProtectionPlans', 'PreProceedingsandFGDM',
  ],
  Assessments: ['AssessmentActualStartDate', 'AssessmentInternalReviewDate', 'AssessmentAuthorisationDate', 'FactorsIdentifiedAtAssessment'],
  FactorsIdentifiedAtAssessment: ['AssessmentFactors'],
  CINPlanDates: ['CINPlanStartDate', 'CINPlanEndDate'],
  Section47: ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired'],
  ChildProtectionPlans: ['CPPstartDate', 'CPPendDate', 'InitialCategoryOfAbuse', 'LatestCategoryOfAbuse', 'NumberOfPreviousCPP', 'Reviews'],
  Reviews: ['CPPreviewDate'],
  PreProceedingsandFGDM: [
    'PPStartDate', 'LBPSentDate', 'FGDMMeetingOffer', 'FGDMMeetingFac', 'InitialPPMeetingDate', 'ReviewMeetingsCount',
    'StepDecisionDate', 'PPOutcome', 'CourtAppDate', 'LetterInitCPDate',
  ],
};

/** First reporting year written with Sex rather than GenderCurrent (2024-25). */
export const SEX_FROM_YEAR = 2024;
/** First reporting year with PreProceedingsandFGDM (2025-26). */
export const PRE_PROCEEDINGS_FROM_YEAR = 2025;

const GENDER_CURRENT: Readonly<Record<string, string>> = { M: '1', F: '2', U: '0' };

// ---------------------------------------------------------------------------------------------
// XML out: elements written in the declared order, text escaped, buffered and streamed with backpressure.

type Content = string | null | undefined | XmlNode | Content[];
interface XmlNode { [element: string]: Content }

const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const INDENT = Array.from({ length: 12 }, (_, i) => '  '.repeat(i));

class XmlWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: WriteStream) {}

  raw(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  /** Writes <name> with its children in CIN_CENSUS_ELEMENT_ORDER; absent (null/undefined) children are left out. */
  element(name: string, content: Content, depth: number): void {
    if (content === null || content === undefined) return;
    if (Array.isArray(content)) {
      for (const c of content) this.element(name, c, depth);
      return;
    }
    if (typeof content === 'string') {
      this.raw(`${INDENT[depth]}<${name}>${escapeXml(content)}</${name}>\n`);
      return;
    }
    const order = CIN_CENSUS_ELEMENT_ORDER[name];
    if (!order) throw new Error(`writeCinCensus: <${name}> has no declared element order`);
    for (const key of Object.keys(content)) {
      if (!order.includes(key)) throw new Error(`writeCinCensus: <${key}> is not a child of <${name}>`);
    }
    this.raw(`${INDENT[depth]}<${name}>\n`);
    for (const child of order) this.element(child, content[child], depth + 1);
    this.raw(`${INDENT[depth]}</${name}>\n`);
  }

  /** Hands the buffer to the stream once it passes 1 MB, waiting for the stream to drain. */
  async maybeFlush(): Promise<void> {
    if (this.size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

// ---------------------------------------------------------------------------------------------
// Which records go in

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<R>(rows: readonly R[], key: (r: R) => string | null): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(r);
  }
  return map;
}

const linkKey = (childId: string | null, date: string | null): string | null => (childId && date ? `${childId}\u0000${date}` : null);

function bool(b: boolean | null, yes = 'true', no = 'false'): string | null {
  return b === null ? null : b ? yes : no;
}

/**
 * Writes the CIN census for reporting year collectionYear (2024 = 2024-25: 1 April 2024 to the reference
 * date 31 March 2025) to path. A child is included when they have a referral (CIN episode) open at any time
 * in the year: referred on or before the reference date and not closed before 1 April (an NFA referral only
 * when made in the year). With each referral go its assessments, Section 47 enquiries, CIN plans and
 * CP plans (linked by child_id and referral_date) that fall in the year or are open during it, the plans'
 * reviews held in the year and, from 2025-26, its pre-proceedings. Dates after the reference date are not
 * written. Children are written in LAchildID order, records inside them by date.
 */
export async function writeCinCensus(la: SyntheticLA, collectionYear: number, path: string): Promise<{ children: number; cinDetails: number }> {
  const yearStart = `${collectionYear}-04-01`;
  const ref = `${collectionYear + 1}-03-31`;
  const known = (d: string | null): string | null => (d !== null && d <= ref ? d : null);
  const t = la.tables;

  const inYear = (r: Row<'referrals'>): boolean => {
    if (!r.child_id || !r.referral_date || r.referral_date > ref) return false;
    if (r.nfa === true && r.referral_date < yearStart) return false;
    return r.closure_date === null || r.closure_date >= yearStart;
  };
  const referralsByChild = groupBy(t.referrals.filter(inYear), (r) => r.child_id);
  const childRows = new Map<string, Row<'children'>>();
  for (const c of t.children) if (c.child_id && referralsByChild.has(c.child_id)) childRows.set(c.child_id, c);
  const assessments = groupBy(t.assessments, (r) => linkKey(r.child_id, r.referral_date));
  const section47 = groupBy(t.section47, (r) => linkKey(r.child_id, r.referral_date));
  const cinPlans = groupBy(t.cin_plans, (r) => linkKey(r.child_id, r.referral_date));
  const cpPlans = groupBy(t.cp_plans, (r) => linkKey(r.child_id, r.referral_date));
  const reviews = groupBy(t.cp_reviews, (r) => linkKey(r.child_id, r.plan_start_date));
  const preProceedings = collectionYear >= PRE_PROCEEDINGS_FROM_YEAR
    ? groupBy(t.pre_proceedings, (r) => linkKey(r.child_id, r.referral_date)) : new Map<string, Row<'pre_proceedings'>[]>();
  const started = <R extends { start_date: string | null }>(rows: R[] | undefined): R[] =>
    (rows ?? []).filter((r) => r.start_date !== null && r.start_date <= ref)
      .sort((a, b) => byString(a.start_date!, b.start_date!));

  const assessmentNode = (a: Row<'assessments'>): XmlNode => {
    const authorised = known(a.authorisation_date);
    return {
      AssessmentActualStartDate: a.start_date,
      AssessmentAuthorisationDate: authorised,
      // factors are recorded when the assessment is completed (DfE rule 8614)
      FactorsIdentifiedAtAssessment: authorised && a.factors ? { AssessmentFactors: a.factors.split(',').filter(Boolean) } : null,
    };
  };
  const section47Node = (s: Row<'section47'>): XmlNode => ({
    S47ActualStartDate: s.start_date,
    InitialCPCtarget: s.icpc_target_date,
    DateOfInitialCPC: known(s.icpc_date),
    ICPCnotRequired: bool(s.icpc_not_required),
  });
  const cpPlanNode = (p: Row<'cp_plans'>, childId: string): XmlNode => {
    const held = (reviews.get(linkKey(childId, p.start_date)!) ?? [])
      .map((r) => r.review_date)
      .filter((d): d is string => d !== null && d >= yearStart && d <= ref)
      .sort(byString);
    return {
      CPPstartDate: p.start_date,
      CPPendDate: known(p.end_date),
      InitialCategoryOfAbuse: p.initial_category,
      LatestCategoryOfAbuse: p.latest_category,
      NumberOfPreviousCPP: p.previous_plans === null ? null : String(p.previous_plans),
      Reviews: held.length > 0 ? { CPPreviewDate: held } : null,
    };
  };
  const preProceedingsNode = (p: Row<'pre_proceedings'>): XmlNode => ({
    PPStartDate: p.start_date,
    LBPSentDate: known(p.letter_before_proceedings_date),
    // written 1/0 as in the 2026 sample return
    FGDMMeetingOffer: bool(p.fgdm_offered, '1', '0'),
    FGDMMeetingFac: bool(p.fgdm_facilitated, '1', '0'),
    InitialPPMeetingDate: known(p.initial_meeting_date),
    ReviewMeetingsCount: p.review_meetings === null ? null : String(p.review_meetings),
    StepDecisionDate: known(p.decision_date),
    PPOutcome: known(p.decision_date) ? p.outcome : null,
    CourtAppDate: known(p.court_application_date),
    LetterInitCPDate: known(p.letter_initial_cp_date),
  });

  const detailsNode = (r: Row<'referrals'>): XmlNode => {
    const key = linkKey(r.child_id, r.referral_date)!;
    const closed = known(r.closure_date);
    const childId = r.child_id!;
    return {
      CINreferralDate: r.referral_date,
      ReferralSource: r.source,
      PrimaryNeedCode: r.primary_need,
      CINclosureDate: closed,
      ReasonForClosure: closed ? r.closure_reason : null,
      // assessments completed in the year or still open at its end, whenever they started: one authorised
      // before the year belongs to an earlier return (DfE rule 8696: the authorisation date must fall within
      // the census year), even when its episode is still open or closes this year after it (RC8/RC9 with no
      // assessment present: query 8825Q, which the authority answers rather than breaking 8696)
      Assessments: started(assessments.get(key))
        .filter((a) => a.authorisation_date === null || a.authorisation_date >= yearStart)
        .map(assessmentNode),
      CINPlanDates: started(cinPlans.get(key))
        .filter((p) => p.end_date === null || p.end_date >= yearStart)
        .map((p) => ({ CINPlanStartDate: p.start_date, CINPlanEndDate: known(p.end_date) })),
      Section47: started(section47.get(key))
        .filter((s) => s.start_date! >= yearStart || (s.icpc_date !== null ? s.icpc_date >= yearStart : s.icpc_not_required !== true))
        .map(section47Node),
      ReferralNFA: bool(r.nfa),
      ChildProtectionPlans: started(cpPlans.get(key))
        .filter((p) => p.end_date === null || p.end_date >= yearStart)
        .map((p) => cpPlanNode(p, childId)),
      PreProceedingsandFGDM: started(preProceedings.get(key))
        .filter((p) => p.decision_date === null || p.decision_date >= yearStart)
        .map(preProceedingsNode),
    };
  };

  const childNode = (childId: string, referrals: Row<'referrals'>[]): XmlNode => {
    const c = childRows.get(childId);
    const unborn = c?.dob != null && c.dob > ref;
    const sex = unborn ? 'U' : c?.sex ?? null;
    const allNfa = referrals.every((r) => r.nfa === true);
    const underSix = c?.dob != null && c.dob > `${collectionYear + 1 - 6}-03-31`;
    const disabilities = c?.disabilities != null
      ? (c.disabilities === '' ? ['NONE'] : c.disabilities.split(',').filter(Boolean))
      : c?.disabled === false ? ['NONE'] : null;
    return {
      ChildIdentifiers: {
        LAchildID: childId,
        UPN: c?.upn ?? null,
        // UN7 referral with no further action; UN1 under 6 and not yet at school; UN2 never issued a UPN
        UPNunknown: c?.upn ? null : allNfa ? 'UN7' : unborn || underSix ? 'UN1' : 'UN2',
        PersonBirthDate: unborn ? null : c?.dob ?? null,
        ExpectedPersonBirthDate: unborn ? c!.dob : null,
        [collectionYear >= SEX_FROM_YEAR ? 'Sex' : 'GenderCurrent']:
          sex === null ? null : collectionYear >= SEX_FROM_YEAR ? sex : GENDER_CURRENT[sex] ?? sex,
        PersonDeathDate: known(c?.date_of_death ?? null),
      },
      ChildCharacteristics: {
        Ethnicity: c?.ethnicity ?? null,
        Disabilities: disabilities ? { Disability: disabilities } : null,
      },
      CINdetails: referrals.map(detailsNode),
    };
  };

  const stream = createWriteStream(path, { encoding: 'utf8' });
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const out = new XmlWriter(stream);
  out.raw('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n');
  out.element('Header', {
    CollectionDetails: { Collection: 'CIN', Year: String(collectionYear + 1), ReferenceDate: ref },
    Source: {
      SourceLevel: 'L', LEA: la.options.laCode, SoftwareCode: 'CSC Scorecard synthetic authority', Release: '1.0',
      SerialNo: '001', DateTime: `${ref}T00:00:00`,
    },
  }, 1);
  out.raw('  <Children>\n');
  let children = 0;
  let cinDetails = 0;
  for (const childId of [...referralsByChild.keys()].sort(byString)) {
    const referrals = referralsByChild.get(childId)!.sort((a, b) => byString(a.referral_date!, b.referral_date!));
    out.element('Child', childNode(childId, referrals), 2);
    children++;
    cinDetails += referrals.length;
    await out.maybeFlush();
  }
  out.raw('  </Children>\n</Message>\n');
  await out.flush();
  stream.end();
  await closed;
  return { children, cinDetails };
}
