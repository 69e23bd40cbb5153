// The child page and its JSON twin: one child's characteristics and journey on one timeline, oldest first,
// from every canonical table, each entry with the file and line it came from; beside it the load findings
// about the child and the journey checks computed here (data-quality flags). Also the child search.
//
// The child id is personal data: it never reaches the application log. The routes here log with the route
// pattern (/child/:id) in place of the URL, and nothing else in this module logs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { Store } from '../../store.ts';
import type { TableName } from '../../model.ts';
import {
  ASSESSMENT_FACTORS, CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITY, CARE_LEAVER_IN_TOUCH, CATEGORY_OF_ABUSE,
  DISABILITY, ETHNICITY, LEGAL_STATUS, MISSING_TYPE, PLACEMENT_PROVIDER, PLACEMENT_TYPE, PREVIOUS_PERMANENCE, PRIMARY_NEED,
  REASON_EPISODE_CEASED, REASON_FOR_CLOSURE, REASON_NEW_EPISODE, REASON_PLACE_CHANGE, REFERRAL_SOURCE, REVIEW_PARTICIPATION,
  SDQ_REASON, SEX, type CodeList,
} from '../../codes.ts';
import { workingDaysBetween, daysBetween } from '../../calendar.ts';
import { dateUk } from '../views.ts';

/** The tables of the child's journey (every canonical table keyed by child, bar population, teams and workers). */
export const JOURNEY_TABLES = [
  'children', 'contacts', 'early_help', 'referrals', 'assessments', 'section47', 'cin_plans', 'cp_plans', 'cp_reviews',
  'visits', 'lac_episodes', 'lac_reviews', 'health', 'health_assessments', 'peps', 'missing_episodes', 'care_leavers',
  'adoptions', 'placed_for_adoption', 'previous_permanence', 'uasc', 'social_worker_episodes', 'pre_proceedings',
  'care_proceedings', 'allocations',
] as const satisfies readonly TableName[];
type JourneyTable = (typeof JOURNEY_TABLES)[number];

/** A child id as local authorities write them: letters, digits and - _ . / (at most 50 characters). */
const CHILD_ID = /^[A-Za-z0-9][A-Za-z0-9_\-./]{0,49}$/;

export interface Source {
  loadId: number;
  file: string | null;
  row: number | null;
  /** e.g. 'episodes.csv, line 12' */
  text: string;
  /** the load's page */
  href: string;
}

export interface TimelineEntry {
  /** anchor on the page: 'e1', 'e2', … in timeline order */
  id: string;
  /** 'YYYY-MM-DD', or 'YYYY-MM-DDTHH:MM:SS' where the source has a time */
  date: string;
  /** the canonical table the record is in */
  table: JourneyTable;
  /** what happened, in a few words: 'Contact received' */
  title: string;
  /** the rest of it, in plain English with codes translated */
  text: string;
  source: Source;
  /** codes of the data-quality flags and findings on this entry's record */
  flags: string[];
}

export interface ChildFinding {
  ruleset: string | null;
  code: string;
  severity: string;
  field: string | null;
  value: string | null;
  message: string;
  source: Source;
  /** the timeline entry of the record the finding is about, when it can be matched by file and line */
  entry: string | null;
}

export interface JourneyFlag {
  label: 'data-quality flag';
  code: string;
  message: string;
  entry: string;
}

export interface Characteristics {
  dob: string | null;
  /** whole years at `asAt` (today, or the date of death) */
  age: number | null;
  asAt: string;
  sex: { code: string | null; text: string };
  ethnicity: { code: string | null; text: string };
  disabilities: { code: string; text: string }[];
  disabled: boolean | null;
  uasc: boolean | null;
  uascCeased: string | null;
  dateOfDeath: string | null;
  previousPermanence: string | null;
  source: Source | null;
}

export interface ChildJourney {
  id: string;
  characteristics: Characteristics;
  timeline: TimelineEntry[];
  findings: ChildFinding[];
  flags: JourneyFlag[];
  /** records per table */
  records: Partial<Record<JourneyTable, number>>;
}

type Rec = Record<string, unknown> & { load_id: number; source_file: string | null; source_row: number | null };
type Names = { workers: Map<string, string>; teams: Map<string, string> };

/** The child's journey, or null when no table and no finding of an active load mentions the id. */
export async function childJourney(store: Store, id: string, options: { today?: string; names?: Names } = {}): Promise<ChildJourney | null> {
  if (!CHILD_ID.test(id)) return null;
  const union = JOURNEY_TABLES.map((t) => `SELECT '${t}' AS t, to_json(r)::VARCHAR AS j FROM main.${t} r WHERE r.child_id = $id`).join(' UNION ALL ');
  const rows = await store.query<{ t: JourneyTable; j: string }>(union, { id });
  const found = await store.query<{
    load_id: number; ruleset: string | null; code: string; severity: string; file: string | null; row: number | null;
    field: string | null; value: string | null; message: string;
  }>(`SELECT f.load_id, f.ruleset, f.code, f.severity, f.file, f.row, f.field, f.value, f.message
      FROM findings f JOIN loads l ON l.load_id = f.load_id
      WHERE f.child_id = $id AND l.status = 'active' ORDER BY f.load_id, f.row, f.code`, { id });
  if (rows.length === 0 && found.length === 0) return null;

  const byTable = new Map<JourneyTable, Rec[]>();
  for (const r of rows) {
    const rec = JSON.parse(r.j, (_k, v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? v.replace(' ', 'T') : v)) as Rec;
    (byTable.get(r.t) ?? byTable.set(r.t, []).get(r.t)!).push(rec);
  }
  for (const list of byTable.values()) list.sort((a, b) => a.load_id - b.load_id || (a.source_row ?? 0) - (b.source_row ?? 0));
  const names = options.names ?? await workerAndTeamNames(store);
  const today = options.today ?? new Date().toISOString().slice(0, 10);

  // Entries, each tied to its record so flags and findings can point at it.
  const drafts: (Omit<TimelineEntry, 'id' | 'flags'> & { rec: Rec; order: number })[] = [];
  const add = (table: JourneyTable, rec: Rec, date: unknown, title: string, text: string, order = 0) => {
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) return;
    drafts.push({ table, rec, date, title, text, order, source: sourceOf(rec) });
  };
  const recs = (t: JourneyTable) => byTable.get(t) ?? [];
  describeJourney(recs, add, names);

  drafts.sort((a, b) => a.date.slice(0, 10).localeCompare(b.date.slice(0, 10))
    || JOURNEY_TABLES.indexOf(a.table) - JOURNEY_TABLES.indexOf(b.table)
    || a.order - b.order
    || a.date.localeCompare(b.date)
    || (a.source.row ?? 0) - (b.source.row ?? 0));
  const timeline: TimelineEntry[] = drafts.map((d, i) => ({
    id: `e${i + 1}`, date: d.date, table: d.table, title: d.title, text: d.text, source: d.source, flags: [],
  }));
  const entryOf = new Map<Rec, TimelineEntry>();
  drafts.forEach((d, i) => { if (!entryOf.has(d.rec)) entryOf.set(d.rec, timeline[i]); });

  const flags: JourneyFlag[] = [];
  for (const check of journeyChecks(recs)) {
    const entry = entryOf.get(check.rec);
    if (!entry) continue;
    entry.flags.push(check.code);
    flags.push({ label: 'data-quality flag', code: check.code, message: check.message, entry: entry.id });
  }
  flags.sort((a, b) => Number(a.entry.slice(1)) - Number(b.entry.slice(1)));

  // A finding is about the record on its line; in XML (a record spans lines, the finding names the element
  // at fault) it is about the child's record that starts nearest above it in the same load.
  const recordsOfLoad = new Map<number, [number, TimelineEntry][]>();
  for (const [rec, entry] of entryOf) {
    if (rec.source_row === null) continue;
    (recordsOfLoad.get(rec.load_id) ?? recordsOfLoad.set(rec.load_id, []).get(rec.load_id)!).push([rec.source_row, entry]);
  }
  const entryForFinding = (f: { load_id: number; file: string | null; row: number | null }): TimelineEntry | undefined => {
    if (f.row === null) return undefined;
    const candidates = recordsOfLoad.get(f.load_id) ?? [];
    const exact = candidates.find(([row]) => row === f.row);
    if (exact || !/\.xml$/i.test(f.file ?? '')) return exact?.[1];
    let best: [number, TimelineEntry] | undefined;
    for (const c of candidates) if (c[0] <= f.row && (!best || c[0] > best[0])) best = c;
    return best?.[1];
  };
  const findings: ChildFinding[] = found.map((f) => {
    const entry = entryForFinding(f);
    if (entry && !entry.flags.includes(f.code)) entry.flags.push(f.code);
    return {
      ruleset: f.ruleset, code: f.code, severity: f.severity, field: f.field, value: f.value, message: f.message,
      source: sourceOf({ load_id: f.load_id, source_file: f.file, source_row: f.row }), entry: entry?.id ?? null,
    };
  });

  const records: Partial<Record<JourneyTable, number>> = {};
  for (const t of JOURNEY_TABLES) if (byTable.has(t)) records[t] = byTable.get(t)!.length;
  return { id, characteristics: characteristicsOf(recs, today), timeline, findings, flags, records };
}

async function workerAndTeamNames(store: Store): Promise<Names> {
  const workers = await store.query<{ id: string; name: string }>(`SELECT worker_id AS id, name FROM main.workers WHERE name IS NOT NULL`);
  const teams = await store.query<{ id: string; name: string }>(`SELECT team_id AS id, name FROM main.teams WHERE name IS NOT NULL`);
  return { workers: new Map(workers.map((w) => [w.id, w.name])), teams: new Map(teams.map((t) => [t.id, t.name])) };
}

function sourceOf(rec: { load_id: number; source_file: string | null; source_row: number | null }): Source {
  const unit = rec.source_file && /\.xlsx$/i.test(rec.source_file) ? 'row' : 'line';
  const where = rec.source_row === null ? '' : `, ${unit} ${rec.source_row}`;
  return {
    loadId: rec.load_id, file: rec.source_file, row: rec.source_row,
    text: `${rec.source_file ?? `load ${rec.load_id}`}${where}`, href: `/data/loads/${rec.load_id}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Plain English

/** 'Police (6)'; an unknown code says so. */
function coded(list: CodeList, code: unknown): string {
  if (code === null || code === undefined || code === '') return 'not recorded';
  const c = String(code);
  return list[c] ? `${list[c]} (${c})` : `code ${c} (not a recognised code)`;
}
const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : 'not recorded');
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** Parts as sentences: each starts with a capital and ends with a full stop. */
const sentence = (...parts: (string | null | false | undefined)[]) => parts.filter((p): p is string => Boolean(p))
  .map((p) => `${p[0].toUpperCase()}${p.slice(1)}`.replace(/\.?$/, '.')).join(' ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const teamWorker = (r: Rec) => (r.team || r.worker ? `${r.team ? `Team: ${r.team}` : ''}${r.team && r.worker ? '; ' : ''}${r.worker ? `worker: ${r.worker}` : ''}` : null);
const safeWorkingDays = (a: string, b: string): number | null => { try { return workingDaysBetween(a, b); } catch { return null; } };

const CONTACT_OUTCOME: Record<string, string> = {
  referral: 'progressed to a referral to children\'s social care', early_help: 'passed to early help',
  nfa: 'no further action', information: 'information and advice given',
};
const VISIT_TYPE: Record<string, string> = { CIN: 'Child in need visit', CP: 'Child protection visit', LAC: 'Looked-after child visit' };
const HEALTH_KIND: Record<string, string> = { initial: 'Initial health assessment', review: 'Review health assessment', dental: 'Dental check' };
/** SSDA903 social worker episode: reason for the change of social worker (not in codes.ts). */
export const SW_CHANGE_REASON: CodeList = {
  MANAGE: 'Management decision', LEFTRL: 'Worker left the role', ORGRST: 'Organisational restructure',
  PCCHAN: 'Change of placement', CHCHAN: "Change in the child's circumstances", OTHERS: 'Other', ABSENC: 'Worker absence',
  FIRST: 'First social worker', UNKNOW: 'Not known',
};
const ORDER_TYPE = (t: unknown) => (t ? String(t).replace(/_/g, ' ') : 'not recorded');

type Add = (table: JourneyTable, rec: Rec, date: unknown, title: string, text: string, order?: number) => void;

function describeJourney(recs: (t: JourneyTable) => Rec[], add: Add, names: Names): void {
  for (const r of recs('children')) {
    add('children', r, r.dob, 'Born', '');
    add('children', r, r.date_of_death, 'Died', '');
  }
  for (const r of recs('contacts')) {
    const decided = str(r.decision_at);
    const hours = decided ? Math.round((Date.parse(`${decided}Z`) - Date.parse(`${r.received_at}Z`)) / 36e5) : null;
    add('contacts', r, r.received_at, 'Contact received', sentence(
      `From ${coded(REFERRAL_SOURCE, r.source)}`,
      decided ? `Decision ${dateUk(decided)} (${plural(hours ?? 0, 'hour')} after it was received): ${CONTACT_OUTCOME[String(r.outcome)] ?? `outcome ${r.outcome ?? 'not recorded'}`}` : 'No decision recorded',
      teamWorker(r)));
  }
  for (const r of recs('early_help')) {
    add('early_help', r, r.start_date, 'Early help assessment started', sentence(
      r.organisation ? `By ${r.organisation}` : null, r.step_down === true && 'Stepped down from children\'s social care'));
    add('early_help', r, r.completion_date, 'Early help assessment completed',
      sentence(r.completed_by === 'partner' ? 'Completed by a partner agency' : r.completed_by === 'la' ? 'Completed by the local authority' : null), 1);
  }
  for (const r of recs('referrals')) {
    add('referrals', r, r.referral_date, 'Referral', sentence(
      `From ${coded(REFERRAL_SOURCE, r.source)}`, r.primary_need ? `Primary need: ${coded(PRIMARY_NEED, r.primary_need)}` : null,
      r.nfa === true && 'No further action after the referral', teamWorker(r)));
    add('referrals', r, r.closure_date, 'Case closed (episode of need ended)',
      sentence(`Reason: ${coded(REASON_FOR_CLOSURE, r.closure_reason)}`, `Referral of ${dateUk(str(r.referral_date))}`), 1);
  }
  for (const r of recs('assessments')) {
    const start = str(r.start_date), auth = str(r.authorisation_date);
    add('assessments', r, start, 'Assessment started', sentence(
      `Child seen: ${yesNo(r.child_seen)}`, auth ? null : 'Not yet authorised', teamWorker(r)));
    const wd = start && auth ? safeWorkingDays(start, auth) : null;
    const factors = str(r.factors)?.split(',').map((f) => f.trim()).filter(Boolean) ?? [];
    add('assessments', r, auth, 'Assessment authorised', sentence(
      wd === null ? null : wd < 0 ? `Recorded ${plural(-wd, 'working day')} before it started on ${dateUk(start)}` : `${plural(wd, 'working day')} after it started on ${dateUk(start)}`,
      r.needs_support === true ? 'Outcome: the child needs further support' : r.needs_support === false ? 'Outcome: no further social care support needed' : null,
      factors.length ? `Factors: ${factors.map((f) => coded(ASSESSMENT_FACTORS, f)).join('; ')}` : null), 1);
  }
  for (const r of recs('section47')) {
    add('section47', r, r.start_date, 'Section 47 enquiry started', sentence(
      r.icpc_not_required === true ? 'Initial child protection conference not required'
        : r.icpc_target_date ? `Initial child protection conference due by ${dateUk(str(r.icpc_target_date))}` : null,
      teamWorker(r)));
    const wd = r.start_date && r.icpc_date ? safeWorkingDays(String(r.start_date), String(r.icpc_date)) : null;
    add('section47', r, r.icpc_date, 'Initial child protection conference', sentence(
      wd === null ? null : `${plural(wd, 'working day')} after the enquiry started`,
      r.icpc_plan === true ? 'Outcome: child protection plan' : r.icpc_plan === false ? 'Outcome: no child protection plan' : 'Outcome not recorded'), 1);
  }
  for (const r of recs('cin_plans')) {
    add('cin_plans', r, r.start_date, 'Child in need plan started', '');
    add('cin_plans', r, r.end_date, 'Child in need plan ended', sentence(durationText(r.start_date, r.end_date)), 1);
  }
  for (const r of recs('cp_plans')) {
    add('cp_plans', r, r.start_date, 'Child protection plan started', sentence(
      `Category: ${coded(CATEGORY_OF_ABUSE, r.initial_category)}`,
      typeof r.previous_plans === 'number' ? `Previous child protection plans: ${r.previous_plans}` : null, teamWorker(r)));
    add('cp_plans', r, r.end_date, 'Child protection plan ended', sentence(
      durationText(r.start_date, r.end_date), r.latest_category ? `Latest category: ${coded(CATEGORY_OF_ABUSE, r.latest_category)}` : null), 1);
  }
  for (const r of recs('cp_reviews')) {
    add('cp_reviews', r, r.review_date, 'Child protection review conference', sentence(r.plan_start_date ? `Plan of ${dateUk(str(r.plan_start_date))}` : null));
  }
  for (const r of recs('visits')) {
    add('visits', r, r.visit_date, VISIT_TYPE[String(r.visit_type)] ?? `Visit (${r.visit_type ?? 'type not recorded'})`, sentence(
      r.seen_alone === true ? 'Child seen alone' : r.seen_alone === false ? 'Child not seen alone' : null, r.worker ? `By ${r.worker}` : null));
  }
  // Looked-after episodes: a new episode is the child coming into care (S) or a change of placement or legal
  // status; an episode ending X1 is followed by the next on the same day and has no entry of its own.
  const episodes = recs('lac_episodes');
  const starts = new Set(episodes.map((e) => e.decom));
  for (const r of episodes) {
    const title = r.rne === 'S' ? 'Started to be looked after'
      : r.rne === 'L' ? 'Legal status changed (looked after)'
      : ['P', 'B', 'T', 'U'].includes(String(r.rne)) ? 'Placement changed' : 'Looked-after episode started';
    add('lac_episodes', r, r.decom, title, sentence(
      r.rne && r.rne !== 'S' ? `Reason for new episode: ${coded(REASON_NEW_EPISODE, r.rne)}` : null,
      `Legal status: ${coded(LEGAL_STATUS, r.legal_status)}`, `Placement: ${coded(PLACEMENT_TYPE, r.placement_type)}`,
      `Provider: ${coded(PLACEMENT_PROVIDER, r.placement_provider)}`,
      r.reason_place_change ? `Reason for placement change: ${coded(REASON_PLACE_CHANGE, r.reason_place_change)}` : null,
      r.category_of_need && r.rne === 'S' ? `Category of need: ${coded(PRIMARY_NEED, r.category_of_need)}` : null));
    if (r.dec && !(r.reason_ceased === 'X1' && starts.has(r.dec))) {
      add('lac_episodes', r, r.dec, r.reason_ceased === 'X1' ? 'Looked-after episode ended' : 'Ceased to be looked after',
        sentence(`Reason: ${coded(REASON_EPISODE_CEASED, r.reason_ceased)}`), -1);
    }
  }
  for (const r of recs('lac_reviews')) {
    add('lac_reviews', r, r.review_date, 'Looked-after review', sentence(r.participation ? `Participation: ${coded(REVIEW_PARTICIPATION, r.participation)}` : null));
  }
  for (const r of recs('health')) {
    const y = Number(r.collection_year);
    add('health', r, `${y + 1}-03-31`, `Health and outcomes (OC2), ${y}-${String((y + 1) % 100).padStart(2, '0')}`, sentence(
      `Health assessment up to date: ${yesNo(r.health_assessment)}`, `immunisations up to date: ${yesNo(r.immunisations)}`,
      `teeth checked: ${yesNo(r.teeth_check)}`,
      r.sdq_score !== null && r.sdq_score !== undefined ? `SDQ score: ${r.sdq_score}` : r.sdq_reason ? `No SDQ score: ${coded(SDQ_REASON, r.sdq_reason)}` : null,
      r.convicted === true && 'Convicted during the year', r.substance_misuse === true && 'Substance misuse identified'));
  }
  for (const r of recs('health_assessments')) add('health_assessments', r, r.assessment_date, HEALTH_KIND[String(r.kind)] ?? `Health assessment (${r.kind ?? 'kind not recorded'})`, '');
  for (const r of recs('peps')) add('peps', r, r.pep_date, 'Personal education plan (PEP)', '');
  for (const r of recs('missing_episodes')) {
    add('missing_episodes', r, r.start_date, r.missing_type === 'A' ? 'Away from placement without authorisation' : 'Missing from placement', sentence(
      r.end_date ? `Returned ${dateUk(str(r.end_date))} (${plural(daysBetween(String(r.start_date), String(r.end_date)), 'day')} later)` : 'No return date recorded',
      r.missing_type && !MISSING_TYPE[String(r.missing_type)] ? coded(MISSING_TYPE, r.missing_type) : null));
  }
  const dob = str(recs('children')[0]?.dob);
  for (const r of recs('care_leavers')) {
    const y = Number(r.collection_year);
    // OC3 is recorded on the young person's birthday in the collection year.
    const birthday = dob ? [y, y + 1].map((yy) => `${yy}${dob.slice(4)}`).find((d) => d >= `${y}-04-01` && d <= `${y + 1}-03-31`) : undefined;
    const ageThen = birthday && dob ? Number(birthday.slice(0, 4)) - Number(dob.slice(0, 4)) : null;
    add('care_leavers', r, birthday ?? `${y + 1}-03-31`, `Care leaver (OC3)${ageThen ? `, ${ageThen}th birthday` : `, ${y}-${String((y + 1) % 100).padStart(2, '0')}`}`, sentence(
      `In touch: ${coded(CARE_LEAVER_IN_TOUCH, r.in_touch)}`, `Activity: ${coded(CARE_LEAVER_ACTIVITY, r.activity)}`,
      `Accommodation: ${coded(CARE_LEAVER_ACCOMMODATION, r.accommodation)}`,
      r.eligibility ? `Eligibility: ${String(r.eligibility).replace(/_/g, ' ')}` : null));
  }
  for (const r of recs('adoptions')) {
    add('adoptions', r, r.decision_date, 'Decision that the child should be placed for adoption', '');
    add('adoptions', r, r.placement_order_date, 'Placement order granted', '', 1);
    add('adoptions', r, r.matched_date, 'Matched with adopters', sentence(
      typeof r.number_of_adopters === 'number' ? `Number of adopters: ${r.number_of_adopters}` : null, r.foster_care === true && 'Adopted by foster carers'), 2);
    add('adoptions', r, r.placed_date, 'Placed with adopters', '', 3);
    add('adoptions', r, r.adoption_order_date, 'Adoption order granted', '', 4);
    add('adoptions', r, r.decision_reversed_date, 'Adoption decision reversed', sentence(r.reason_reversed ? `Reason: ${r.reason_reversed}` : null), 5);
  }
  for (const r of recs('placed_for_adoption')) {
    add('placed_for_adoption', r, r.date_placed, 'Placed for adoption (SSDA903)', '');
    add('placed_for_adoption', r, r.date_placed_ceased, 'Placement for adoption ended', sentence(r.reason_placed_ceased ? `Reason: ${coded(REASON_EPISODE_CEASED, r.reason_placed_ceased)}` : null), 1);
  }
  for (const r of recs('uasc')) add('uasc', r, r.date_uasc_ceased, 'Ceased to be an unaccompanied asylum-seeking child', '');
  for (const r of recs('social_worker_episodes')) {
    const name = names.workers.get(String(r.worker_id));
    add('social_worker_episodes', r, r.start_date, 'Social worker (SSDA903)', sentence(
      `Social worker: ${name ? `${name} (${r.worker_id})` : r.worker_id ?? 'not recorded'}`, r.reason ? `Reason for change: ${coded(SW_CHANGE_REASON, r.reason)}` : null));
  }
  for (const r of recs('pre_proceedings')) {
    add('pre_proceedings', r, r.start_date, 'Pre-proceedings started (Public Law Outline)', sentence(
      r.fgdm_offered === true && 'Family group decision making offered'));
    add('pre_proceedings', r, r.decision_date, 'Pre-proceedings decision', sentence(r.outcome ? `Outcome: ${r.outcome}` : null), 1);
    add('pre_proceedings', r, r.court_application_date, 'Application to court', '', 2);
  }
  for (const r of recs('care_proceedings')) {
    add('care_proceedings', r, r.issued_date, 'Care proceedings issued', '');
    add('care_proceedings', r, r.final_order_date, 'Care proceedings concluded', sentence(
      `Final order: ${ORDER_TYPE(r.order_type)}`, r.issued_date && r.final_order_date ? `${plural(Math.round(daysBetween(String(r.issued_date), String(r.final_order_date)) / 7), 'week')} after they were issued` : null), 1);
  }
  const allocations = recs('allocations');
  const allocationStarts = new Set(allocations.map((a) => a.start_date));
  for (const r of allocations) {
    const worker = names.workers.get(String(r.worker_id)) ?? r.worker_id ?? 'no worker';
    const team = names.teams.get(String(r.team_id)) ?? r.team_id ?? 'no team';
    add('allocations', r, r.start_date, 'Allocated', sentence(`Worker: ${worker}`, `team: ${team}`));
    if (r.end_date && !allocationStarts.has(r.end_date)) add('allocations', r, r.end_date, 'Allocation ended', sentence(`Worker: ${worker}`, `team: ${team}`), -1);
  }
}

function durationText(start: unknown, end: unknown): string | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const days = daysBetween(start, end);
  if (days < 0) return null;
  return days < 60 ? `After ${plural(days, 'day')}` : `After ${plural(Math.round(days / 30.4375), 'month')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Journey checks: things that cannot all be true of one child. Each names the record it is about.

interface Check { code: string; message: string; rec: Rec }

function journeyChecks(recs: (t: JourneyTable) => Rec[]): Check[] {
  const out: Check[] = [];
  const d = (v: unknown) => dateUk(str(v));
  const before = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.slice(0, 10) < b.slice(0, 10);

  for (const r of recs('contacts')) {
    if (before(r.decision_at, r.received_at)) out.push({ code: 'contact-decided-before-received', rec: r, message: `Contact decided ${d(r.decision_at)}, before it was received ${d(r.received_at)}` });
  }
  for (const r of recs('referrals')) {
    if (before(r.closure_date, r.referral_date)) out.push({ code: 'referral-closed-before-it-started', rec: r, message: `Case closed ${d(r.closure_date)}, before the referral of ${d(r.referral_date)}` });
  }
  for (const r of recs('assessments')) {
    if (before(r.authorisation_date, r.start_date)) out.push({ code: 'assessment-authorised-before-start', rec: r, message: `Assessment authorised ${d(r.authorisation_date)}, before it started ${d(r.start_date)}` });
    if (before(r.start_date, r.referral_date)) out.push({ code: 'assessment-before-referral', rec: r, message: `Assessment started ${d(r.start_date)}, before its referral of ${d(r.referral_date)}` });
  }
  for (const r of recs('section47')) {
    if (before(r.icpc_date, r.start_date)) out.push({ code: 'icpc-before-enquiry', rec: r, message: `Initial conference ${d(r.icpc_date)}, before the section 47 enquiry started ${d(r.start_date)}` });
  }
  for (const t of ['cin_plans', 'cp_plans'] as const) {
    for (const r of recs(t)) {
      if (before(r.end_date, r.start_date)) out.push({ code: 'plan-ended-before-start', rec: r, message: `${t === 'cp_plans' ? 'Child protection' : 'Child in need'} plan ended ${d(r.end_date)}, before it started ${d(r.start_date)}` });
    }
  }
  for (const r of recs('missing_episodes')) {
    if (before(r.end_date, r.start_date)) out.push({ code: 'missing-ended-before-start', rec: r, message: `Missing episode ended ${d(r.end_date)}, before it started ${d(r.start_date)}` });
  }
  const episodes = recs('lac_episodes').slice().sort((a, b) => String(a.decom).localeCompare(String(b.decom)));
  for (const [i, r] of episodes.entries()) {
    if (before(r.dec, r.decom)) out.push({ code: 'episode-ceased-before-start', rec: r, message: `Looked-after episode ceased ${d(r.dec)}, before it started ${d(r.decom)}` });
    const next = episodes[i + 1];
    if (next && (r.dec === null || before(next.decom, r.dec))) {
      out.push({ code: 'episodes-overlap', rec: next, message: `Looked-after episode starting ${d(next.decom)} starts while the one from ${d(r.decom)} is ${r.dec === null ? 'still open' : `open until ${d(r.dec)}`}` });
    }
  }
  // Looked-after activity on a day the child was not looked after (after the first episode began).
  const lookedAfter = (date: string) => episodes.some((e) => String(e.decom) <= date && (e.dec === null || String(e.dec) >= date));
  const firstDecom = episodes.length ? String(episodes[0].decom) : null;
  const lastDec = episodes.length && episodes.every((e) => e.dec !== null) ? episodes.map((e) => String(e.dec)).sort().at(-1)! : null;
  const notLookedAfter = (rec: Rec, date: unknown, what: string) => {
    if (!firstDecom || typeof date !== 'string' || date < firstDecom || lookedAfter(date)) return;
    out.push({
      code: 'looked-after-activity-when-not-looked-after', rec,
      message: lastDec && date > lastDec ? `${what} ${d(date)}, after the child ceased to be looked after on ${d(lastDec)}` : `${what} ${d(date)}, when no looked-after episode was open`,
    });
  };
  for (const r of recs('visits')) if (r.visit_type === 'LAC') notLookedAfter(r, r.visit_date, 'Looked-after child visit');
  for (const r of recs('lac_reviews')) notLookedAfter(r, r.review_date, 'Looked-after review');
  for (const r of recs('peps')) notLookedAfter(r, r.pep_date, 'Personal education plan');
  // Child protection visits and reviews when no plan was open (after the first plan began).
  const plans = recs('cp_plans');
  const onPlan = (date: string) => plans.some((p) => String(p.start_date) <= date && (p.end_date === null || String(p.end_date) >= date));
  const firstPlan = plans.map((p) => String(p.start_date)).sort()[0];
  for (const [t, col, what] of [['visits', 'visit_date', 'Child protection visit'], ['cp_reviews', 'review_date', 'Child protection review']] as const) {
    for (const r of recs(t)) {
      if (t === 'visits' && r.visit_type !== 'CP') continue;
      const date = r[col];
      if (firstPlan && typeof date === 'string' && date >= firstPlan && !onPlan(date)) out.push({ code: 'cp-activity-without-plan', rec: r, message: `${what} ${d(date)}, when no child protection plan was open` });
    }
  }
  // Anything after the child's death.
  const death = str(recs('children')[0]?.date_of_death);
  if (death) {
    for (const [t, cols] of [['contacts', ['received_at']], ['referrals', ['referral_date']], ['assessments', ['start_date']], ['visits', ['visit_date']],
      ['lac_episodes', ['decom']], ['lac_reviews', ['review_date']], ['cp_plans', ['start_date']], ['cp_reviews', ['review_date']]] as const) {
      for (const r of recs(t)) for (const c of cols) {
        if (before(death, (r as Record<string, unknown>)[c])) out.push({ code: 'activity-after-death', rec: r, message: `Record dated ${d((r as Record<string, unknown>)[c])}, after the child's recorded death on ${d(death)}` });
      }
    }
  }
  return out;
}

function characteristicsOf(recs: (t: JourneyTable) => Rec[], today: string): Characteristics {
  const c = recs('children')[0];
  const dob = str(c?.dob);
  const death = str(c?.date_of_death);
  const asAt = death ?? today;
  let age: number | null = null;
  if (dob && dob <= asAt) {
    age = Number(asAt.slice(0, 4)) - Number(dob.slice(0, 4));
    if (asAt.slice(5) < dob.slice(5)) age -= 1;
  }
  const codes = str(c?.disabilities)?.split(',').map((x) => x.trim()).filter((x) => x && x !== 'NONE') ?? [];
  const uascRec = recs('uasc')[0];
  const pp = recs('previous_permanence')[0];
  return {
    dob, age, asAt,
    sex: { code: str(c?.sex), text: c?.sex ? coded(SEX, c.sex) : 'Not recorded' },
    ethnicity: { code: str(c?.ethnicity), text: c?.ethnicity ? coded(ETHNICITY, c.ethnicity) : 'Not recorded' },
    disabilities: codes.map((code) => ({ code, text: coded(DISABILITY, code) })),
    disabled: c ? (c.disabled as boolean | null) : null,
    uasc: uascRec ? true : c ? (c.uasc as boolean | null) : null,
    uascCeased: str(uascRec?.date_uasc_ceased),
    dateOfDeath: death,
    previousPermanence: pp ? sentence(coded(PREVIOUS_PERMANENCE, pp.previous_permanence),
      pp.date_of_permanence ? `date: ${pp.date_of_permanence}` : null, pp.la_of_permanence ? `local authority: ${pp.la_of_permanence}` : null) : null,
    source: c ? sourceOf(c) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Routes

/** The request as the log shows it on these routes: the route pattern, never the URL with the child's id. */
const logSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: req.routeOptions?.url ?? '/child' }),
};

const TABLE_LABELS: Record<JourneyTable, string> = {
  children: 'Child', contacts: 'Contact', early_help: 'Early help', referrals: 'Referral', assessments: 'Assessment',
  section47: 'Section 47', cin_plans: 'Child in need plan', cp_plans: 'Child protection plan', cp_reviews: 'Child protection review',
  visits: 'Visit', lac_episodes: 'Looked after', lac_reviews: 'Looked-after review', health: 'Health (OC2)',
  health_assessments: 'Health', peps: 'Education', missing_episodes: 'Missing', care_leavers: 'Care leaver', adoptions: 'Adoption',
  placed_for_adoption: 'Adoption', previous_permanence: 'Permanence', uasc: 'UASC', social_worker_episodes: 'Social worker',
  pre_proceedings: 'Pre-proceedings', care_proceedings: 'Care proceedings', allocations: 'Allocation',
};

export async function childRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const names = () => ctx.cached('child-names', () => workerAndTeamNames(ctx.store));
  const journey = async (id: string) => childJourney(ctx.store, id, { names: await names() });

  const notFound = (reply: import('fastify').FastifyReply, id: string) => {
    reply.code(404);
    return ctx.render(reply, 'child.njk', {
      title: 'Child not found', search: { value: id }, notFound: true,
      errors: [{ text: `No child with id ${id}`, href: '#child-id' }],
    });
  };

  // A manager asking for a child outside their teams gets 403 (page, API, search alike); every view and search is audited.
  const outOfScope = (reply: import('fastify').FastifyReply, api: boolean) => {
    reply.code(403);
    const message = 'That child is not allocated to one of your teams, so their record is not shown. Ask an analyst if you need it.';
    if (api) return reply.send({ error: message });
    return ctx.render(reply, 'error.njk', { title: 'You do not have access to this child', message });
  };

  app.get<{ Querystring: { id?: string } }>('/child', { logSerializers, config: { access: 'child' } }, async (req, reply) => {
    const asked = req.query.id;
    if (asked === undefined) return ctx.render(reply, 'child.njk', { title: 'Find a child', search: { value: '' } });
    const id = String(asked).trim();
    await ctx.audit(req, { action: 'search.child', target: id.slice(0, 100) });
    if (id === '' || !CHILD_ID.test(id)) {
      reply.code(400);
      return ctx.render(reply, 'child.njk', {
        title: 'Find a child', search: { value: id },
        errors: [{ text: id === '' ? 'Enter the child\'s id' : 'Enter a child id of letters and numbers (it may include - _ . /), at most 50 characters', href: '#child-id' }],
      });
    }
    const [hit] = await ctx.store.query<{ n: number }>(
      `SELECT 1 AS n WHERE EXISTS (${JOURNEY_TABLES.map((t) => `SELECT 1 FROM main.${t} WHERE child_id = $id`).join(' UNION ALL ')})
         OR EXISTS (SELECT 1 FROM findings f JOIN loads l ON l.load_id = f.load_id WHERE f.child_id = $id AND l.status = 'active')`, { id });
    if (!hit) return notFound(reply, id);
    if (!(await ctx.childInScope(req, id))) return outOfScope(reply, false);
    return reply.redirect(`/child/${encodeURIComponent(id)}`, 303);
  });

  app.get<{ Params: { id: string } }>('/api/child/:id', { logSerializers, config: { access: 'child' } }, async (req, reply) => {
    if (!(await ctx.childInScope(req, req.params.id))) return outOfScope(reply, true);
    await ctx.audit(req, { action: 'view.child', target: req.params.id.slice(0, 100) });
    const j = await journey(req.params.id);
    if (!j) return reply.code(404).send({ error: 'not found' });
    return j;
  });

  app.get<{ Params: { id: string } }>('/child/:id', { logSerializers, config: { access: 'child' } }, async (req, reply) => {
    if (!(await ctx.childInScope(req, req.params.id))) return outOfScope(reply, false);
    await ctx.audit(req, { action: 'view.child', target: req.params.id.slice(0, 100) });
    const j = await journey(req.params.id);
    if (!j) return notFound(reply, req.params.id);
    const ch = j.characteristics;
    return ctx.render(reply, 'child.njk', {
      title: `Child ${j.id}`, child: j, ch, search: { value: '' },
      ageText: ch.age === null ? 'Not known' : `${ch.age}${ch.dateOfDeath ? ' (at death)' : ''}`,
      timeline: j.timeline.map((e) => ({ ...e, label: TABLE_LABELS[e.table] })),
      flagCount: j.flags.length + j.findings.length,
      recordsText: Object.entries(j.records).map(([t, n]) => `${TABLE_LABELS[t as JourneyTable]}: ${n}`).join(', '),
    });
  });
}
