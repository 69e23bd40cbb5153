// Child journeys from the front door: for the children with a contact in a period (the cohort), which
// stages of children's social care each reached within a follow-up window, and where each was at its end.
//
// Rules, stated once:
// - The cohort is children, not contacts: each child with a contact received in the period is counted
//   once, from their first contact in it (its date, team and outcome).
// - The follow-up window runs from that contact's date to the same date `followMonths` later (default 12),
//   or the end of the data if sooner; a stage counts when it starts inside the window: referral date,
//   assessment start, Section 47 enquiry start, ICPC date, CIN plan start, CP plan start, the start of a
//   looked-after episode (short breaks, legal status V1/V3/V4, left out as in every looked-after figure).
// - A journey is the list of stages reached in the statutory order of escalation — Contact, Referral,
//   Assessment, Section 47, ICPC, CIN plan, CP plan, Looked after — whatever the order of their dates (a
//   Section 47 enquiry begun before the assessment ends is still drawn after it), ending in an outcome:
//   for children who reached no further stage, the contact's outcome (early help, no further action,
//   information and advice, or "referral not found in the window" when the contact was recorded as a
//   referral but none is dated inside it); for the others, their state at the window's end: still looked
//   after, still on a CP plan, still a child in need (a referral's CIN episode open then, not closed as
//   no further action), or closed.
// - So every child follows exactly one journey: the journeys add up to the cohort, and at each stage the
//   children arriving equal the children leaving to the next stage or an outcome.
// - Team: the contact's team, else the allocation open on the contact's day. Age band: at the contact.
import type { Store } from '../store.ts';
import type { Period } from '../periods.ts';
import { ALLOCATIONS_CTE, allocatedSql } from '../engine.ts';
import { literal, prepareMacros } from '../indicators/sql.ts';

export const STAGES = ['Contact', 'Referral', 'Assessment', 'Section 47', 'ICPC', 'CIN plan', 'CP plan', 'Looked after'] as const;
export type Stage = (typeof STAGES)[number];

export const OUTCOMES = [
  'Early help', 'No further action at contact', 'Information and advice', 'Referral not found in the window',
  'Contact outcome not recorded', 'Still looked after', 'Still on a CP plan', 'Still a child in need', 'Closed',
] as const;

export interface JourneyOptions {
  /** contacts received in this period make the cohort */
  readonly period: Period;
  /** months each child is followed from the contact (default 12) */
  readonly followMonths?: number;
  /** the last day of data: windows end here at the latest (default: the store's data range end) */
  readonly dataEnd?: string;
  readonly team?: string;
  /** DfE age band at the contact ('Under 1', '1 to 4', '5 to 9', '10 to 15', '16 and over') */
  readonly ageBand?: string;
  /** major ethnic group ('White', 'Mixed', 'Asian or Asian British', 'Black or Black British', 'Other ethnic group') */
  readonly ethnicity?: string;
}

export interface JourneyNode { readonly node: string; readonly kind: 'stage' | 'outcome'; readonly children: number; readonly percentOfCohort: number }
export interface JourneyLink { readonly from: string; readonly to: string; readonly children: number; readonly percentOfFrom: number }
export interface JourneyPattern { readonly stages: readonly string[]; readonly outcome: string; readonly children: number; readonly percent: number }

export interface Journeys {
  readonly period: string;
  readonly followMonths: number;
  readonly dataEnd: string;
  readonly cohort: number;
  /** children followed for the whole window (the others' windows were cut short by the end of the data) */
  readonly fullyFollowed: number;
  readonly nodes: readonly JourneyNode[];
  readonly links: readonly JourneyLink[];
  /** most common first */
  readonly patterns: readonly JourneyPattern[];
}

/** Which children to list: those reaching a stage or outcome, taking a link, or following one journey. */
export type JourneySelection =
  | { readonly node: string }
  | { readonly from: string; readonly to: string }
  | { readonly stages: readonly string[]; readonly outcome: string };

const SHORT_BREAKS = `'V1', 'V3', 'V4'`;

async function dataEndOf(store: Store, o: JourneyOptions): Promise<string> {
  if (o.dataEnd) return o.dataEnd;
  const { last } = await store.dataRange();
  return last ?? o.period.end;
}

/** One row per cohort child with the first date of each stage in the window, the journey and the outcome: relation `journey`. */
function journeySql(o: JourneyOptions, dataEnd: string): string {
  const months = o.followMonths ?? 12;
  const filters = [
    o.team !== undefined ? `team = ${literal(o.team)}` : null,
    o.ageBand !== undefined ? `age_band = ${literal(o.ageBand)}` : null,
    o.ethnicity !== undefined ? `ethnicity = ${literal(o.ethnicity)}` : null,
  ].filter((x) => x !== null);
  const step = (cond: string, name: string) => `CASE WHEN ${cond} IS NOT NULL THEN ['${name}'] ELSE CAST([] AS VARCHAR[]) END`;
  return `${ALLOCATIONS_CTE},
    first_contacts AS (
      SELECT child_id, arg_min(contact_id, received_at) AS contact_id, CAST(min(received_at) AS DATE) AS at_date,
        arg_min(outcome, received_at) AS contact_outcome, arg_min(team, received_at) AS contact_team
      FROM main.contacts
      WHERE child_id IS NOT NULL AND CAST(received_at AS DATE) BETWEEN DATE '${o.period.start}' AND DATE '${o.period.end}'
      GROUP BY child_id),
    placed AS (${allocatedSql('first_contacts')}),
    cohort AS (
      SELECT p.child_id, p.contact_id, p.at_date AS contact_date, p.contact_outcome,
        coalesce(p.contact_team, p.alloc_team) AS team, age_band(ch.dob, p.at_date) AS age_band, ethnic_group(ch.ethnicity) AS ethnicity,
        least(add_months(p.at_date, ${months}), DATE '${dataEnd}') AS window_end,
        add_months(p.at_date, ${months}) <= DATE '${dataEnd}' AS fully_followed
      FROM placed p LEFT JOIN main.children ch ON ch.child_id = p.child_id),
    filtered AS (SELECT * FROM cohort ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}),
    dated AS (
      SELECT f.*,
        (SELECT min(r.referral_date) FROM main.referrals r WHERE r.child_id = f.child_id AND r.referral_date BETWEEN f.contact_date AND f.window_end) AS referral_date,
        (SELECT min(a.start_date) FROM main.assessments a WHERE a.child_id = f.child_id AND a.start_date BETWEEN f.contact_date AND f.window_end) AS assessment_date,
        (SELECT min(s.start_date) FROM main.section47 s WHERE s.child_id = f.child_id AND s.start_date BETWEEN f.contact_date AND f.window_end) AS s47_date,
        (SELECT min(s.icpc_date) FROM main.section47 s WHERE s.child_id = f.child_id AND s.icpc_date BETWEEN f.contact_date AND f.window_end) AS icpc_date,
        (SELECT min(p.start_date) FROM main.cin_plans p WHERE p.child_id = f.child_id AND p.start_date BETWEEN f.contact_date AND f.window_end) AS cin_plan_date,
        (SELECT min(p.start_date) FROM main.cp_plans p WHERE p.child_id = f.child_id AND p.start_date BETWEEN f.contact_date AND f.window_end) AS cp_plan_date,
        (SELECT min(e.decom) FROM main.lac_episodes e WHERE e.child_id = f.child_id AND e.decom BETWEEN f.contact_date AND f.window_end
           AND coalesce(e.legal_status, '') NOT IN (${SHORT_BREAKS})) AS looked_after_date,
        EXISTS (SELECT 1 FROM main.lac_episodes e WHERE e.child_id = f.child_id AND open_at(e.decom, e.dec, f.window_end)
           AND coalesce(e.legal_status, '') NOT IN (${SHORT_BREAKS})) AS lac_at_end,
        EXISTS (SELECT 1 FROM main.cp_plans p WHERE p.child_id = f.child_id AND open_at(p.start_date, p.end_date, f.window_end)) AS cp_at_end,
        EXISTS (SELECT 1 FROM main.referrals r WHERE r.child_id = f.child_id AND NOT coalesce(r.nfa, false)
           AND open_at(r.referral_date, r.closure_date, f.window_end)) AS cin_at_end
      FROM filtered f),
    journey AS (
      SELECT d.*,
        ['Contact'] || ${step('referral_date', 'Referral')} || ${step('assessment_date', 'Assessment')} || ${step('s47_date', 'Section 47')}
          || ${step('icpc_date', 'ICPC')} || ${step('cin_plan_date', 'CIN plan')} || ${step('cp_plan_date', 'CP plan')}
          || ${step('looked_after_date', 'Looked after')} AS stages,
        CASE
          WHEN referral_date IS NULL AND assessment_date IS NULL AND s47_date IS NULL AND icpc_date IS NULL AND cin_plan_date IS NULL
            AND cp_plan_date IS NULL AND looked_after_date IS NULL THEN CASE contact_outcome
              WHEN 'early_help' THEN 'Early help' WHEN 'nfa' THEN 'No further action at contact'
              WHEN 'information' THEN 'Information and advice' WHEN 'referral' THEN 'Referral not found in the window'
              ELSE 'Contact outcome not recorded' END
          WHEN lac_at_end THEN 'Still looked after' WHEN cp_at_end THEN 'Still on a CP plan' WHEN cin_at_end THEN 'Still a child in need'
          ELSE 'Closed' END AS outcome
      FROM dated d)`;
}

/** The cohort's journeys: nodes, links and the most common patterns, each with counts and percentages. */
export async function journeys(store: Store, o: JourneyOptions): Promise<Journeys> {
  await prepareMacros(store);
  const dataEnd = await dataEndOf(store, o);
  const base = `WITH ${journeySql(o, dataEnd)}`;
  const [totals] = await store.query<{ cohort: number; full: number }>(
    `${base} SELECT count(*)::INTEGER AS cohort, count(*) FILTER (WHERE fully_followed)::INTEGER AS full FROM journey`);
  const patterns = await store.query<{ stages: string[]; outcome: string; children: number }>(
    `${base} SELECT stages, outcome, count(*)::INTEGER AS children FROM journey GROUP BY stages, outcome
     ORDER BY children DESC, len(stages), array_to_string(stages, '|'), outcome`);
  // a journey's path is its stages then its outcome; links are consecutive pairs on it
  const links = await store.query<{ from: string; to: string; children: number }>(
    `${base}, paths AS (SELECT stages || [outcome] AS path FROM journey),
     steps AS (SELECT path[i] AS "from", path[i + 1] AS "to" FROM (SELECT path, unnest(range(1, len(path))) AS i FROM paths))
     SELECT "from", "to", count(*)::INTEGER AS children FROM steps GROUP BY ALL`);
  const nodeRows = await store.query<{ node: string; children: number }>(
    `${base}, nodes AS (SELECT unnest(stages) AS node FROM journey UNION ALL SELECT outcome FROM journey)
     SELECT node, count(*)::INTEGER AS children FROM nodes GROUP BY node`);
  const cohort = totals.cohort;
  const pct = (n: number, d: number) => (d > 0 ? (100 * n) / d : 0);
  const order = (n: string) => { const s = STAGES.indexOf(n as Stage); return s >= 0 ? s : STAGES.length + OUTCOMES.indexOf(n as (typeof OUTCOMES)[number]); };
  const nodeCount = new Map(nodeRows.map((r) => [r.node, r.children]));
  return {
    period: o.period.label,
    followMonths: o.followMonths ?? 12,
    dataEnd,
    cohort,
    fullyFollowed: totals.full,
    nodes: nodeRows.sort((a, b) => order(a.node) - order(b.node)).map((r) => ({
      node: r.node, kind: (STAGES as readonly string[]).includes(r.node) ? 'stage' : 'outcome', children: r.children, percentOfCohort: pct(r.children, cohort),
    })),
    links: links.sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to)).map((l) => ({
      ...l, percentOfFrom: pct(l.children, nodeCount.get(l.from) ?? 0),
    })),
    patterns: patterns.map((p) => ({ stages: p.stages, outcome: p.outcome, children: p.children, percent: pct(p.children, cohort) })),
  };
}

export interface JourneyChild {
  readonly child_id: string;
  readonly contact_id: string | null;
  readonly contact_date: string;
  readonly team: string | null;
  readonly age_band: string;
  readonly ethnicity: string;
  readonly window_end: string;
  readonly referral_date: string | null;
  readonly assessment_date: string | null;
  readonly s47_date: string | null;
  readonly icpc_date: string | null;
  readonly cin_plan_date: string | null;
  readonly cp_plan_date: string | null;
  readonly looked_after_date: string | null;
  readonly journey: string;
  readonly outcome: string;
}

/** The children behind a node, link or journey, with the dates that put them there. */
export async function journeyChildren(store: Store, o: JourneyOptions, selection?: JourneySelection): Promise<JourneyChild[]> {
  await prepareMacros(store);
  const dataEnd = await dataEndOf(store, o);
  let where = '';
  if (selection && 'node' in selection) {
    where = `WHERE list_contains(stages, ${literal(selection.node)}) OR outcome = ${literal(selection.node)}`;
  } else if (selection && 'from' in selection) {
    where = `WHERE list_position(stages || [outcome], ${literal(selection.from)}) + 1 = list_position(stages || [outcome], ${literal(selection.to)})`;
  } else if (selection) {
    where = `WHERE stages = [${selection.stages.map(literal).join(', ')}]::VARCHAR[] AND outcome = ${literal(selection.outcome)}`;
  }
  return store.query<JourneyChild>(`WITH ${journeySql(o, dataEnd)}
    SELECT child_id, contact_id, contact_date, team, age_band, ethnicity, window_end, referral_date, assessment_date, s47_date,
      icpc_date, cin_plan_date, cp_plan_date, looked_after_date, array_to_string(stages, ' → ') AS journey, outcome
    FROM journey ${where} ORDER BY contact_date, child_id`);
}
