// Drift: children whose cases stay open without progress, as at a date, with the dates that make them
// drift. Each rule is a declaration (id, title, what it looks for, why) and SQL returning one row per child
// and record: child_id, started (the record's start), last_progress (the latest date that showed
// progress, or the start), drift_since (the day the case began to drift), detail (the dates in words).
// drift_since is the first day a case is drifting (the day after its timescale ran out, or the day a
// "15 months or more" rule is met), and a case is listed when drift_since is on or before the date.
// Team and worker are those of the allocation open at the date.
import type { Store } from '../store.ts';
import { ALLOCATIONS_CTE, allocatedSql } from '../engine.ts';
import { checkDate } from '../calendar.ts';
import { literal, prepareMacros } from '../indicators/sql.ts';

export interface DriftRule {
  readonly id: string;
  readonly title: string;
  /** what is listed, from when, and the statutory expectation behind it */
  readonly description: string;
  readonly sql: (date: string) => string;
}

const SHORT_BREAKS = `'V1', 'V3', 'V4'`;
const d = (date: string) => `DATE '${date}'`;

export const DRIFT_RULES: readonly DriftRule[] = [
  {
    id: 'cin_no_review',
    title: 'Child in need over 6 months without a plan review',
    description: 'A CIN episode (a referral not closed as no further action) open at the date, with no sign of a plan review in the 6 months before it. ' +
      'The CIN census holds no CIN plan review dates, so the evidence of review is a CIN plan starting (made or remade), a CP review conference or a ' +
      'looked-after review. Drifting from 6 months after the latest of these, or after the referral if there is none (Working Together 2023: plans reviewed regularly).',
    sql: (date) => `
      WITH open_cin AS (
        SELECT r.child_id, r.referral_date FROM main.referrals r
        WHERE NOT coalesce(r.nfa, false) AND open_at(r.referral_date, r.closure_date, ${d(date)})),
      evidence AS (
        SELECT o.child_id, o.referral_date,
          greatest(o.referral_date,
            (SELECT max(p.start_date) FROM main.cin_plans p WHERE p.child_id = o.child_id AND p.start_date BETWEEN o.referral_date AND ${d(date)}),
            (SELECT max(v.review_date) FROM main.cp_reviews v WHERE v.child_id = o.child_id AND v.review_date BETWEEN o.referral_date AND ${d(date)}),
            (SELECT max(v.review_date) FROM main.lac_reviews v WHERE v.child_id = o.child_id AND v.review_date BETWEEN o.referral_date AND ${d(date)})) AS last_progress
        FROM open_cin o)
      SELECT child_id, referral_date AS started, last_progress, CAST(add_months(last_progress, 6) + 1 AS DATE) AS drift_since,
        'Referral ' || strftime(referral_date, '%d/%m/%Y') || CASE WHEN last_progress > referral_date
          THEN '; last plan or review ' || strftime(last_progress, '%d/%m/%Y') ELSE '; no plan or review since' END AS detail
      FROM evidence WHERE add_months(last_progress, 6) < ${d(date)}`,
  },
  {
    id: 'cp_15_months',
    title: 'Child protection plan open 15 months or more',
    description: 'A CP plan open at the date that started 15 months or more before it (on or before the same day 15 months earlier): most plans should ' +
      'end, by stepping down or by care proceedings, well before the 2-year mark DfE reports on. Drifting from the day 15 months after the start.',
    sql: (date) => `
      SELECT child_id, start_date AS started,
        coalesce((SELECT max(v.review_date) FROM main.cp_reviews v WHERE v.child_id = p.child_id AND v.review_date BETWEEN p.start_date AND ${d(date)}), p.start_date) AS last_progress,
        add_months(start_date, 15) AS drift_since,
        'CP plan started ' || strftime(start_date, '%d/%m/%Y') || coalesce(' (' || initial_category || ')', '') AS detail
      FROM main.cp_plans p
      WHERE open_at(start_date, end_date, ${d(date)}) AND add_months(start_date, 15) <= ${d(date)}`,
  },
  {
    id: 'lac_no_permanence',
    title: 'Looked after without a permanence plan after the second review',
    description: 'Looked after at the date, with the second review of the current period of care held, and no permanence step recorded by the date: ' +
      'no adoption decision (unreversed), no placement order (legal status E1), no placement for adoption (A3–A6), no long-term fostering ' +
      '(placement U1 or U4) and no placement with parents (P1). The Care Planning Regulations 2010 expect the permanence plan by the second review. ' +
      'Drifting from the second review.',
    sql: (date) => `
      WITH eps AS (
        SELECT e.*, CASE WHEN lag(e.dec) OVER w = e.decom THEN 0 ELSE 1 END AS starts_period
        FROM main.lac_episodes e WHERE coalesce(e.legal_status, '') NOT IN (${SHORT_BREAKS})
        WINDOW w AS (PARTITION BY e.child_id ORDER BY e.decom)),
      in_care AS (
        SELECT child_id, max(decom) FILTER (WHERE starts_period = 1 AND decom <= ${d(date)}) AS care_start
        FROM eps GROUP BY child_id HAVING bool_or(open_at(decom, dec, ${d(date)}))),
      reviewed AS (
        SELECT c.child_id, c.care_start,
          (SELECT r.review_date FROM main.lac_reviews r WHERE r.child_id = c.child_id AND r.review_date BETWEEN c.care_start AND ${d(date)}
           ORDER BY r.review_date LIMIT 1 OFFSET 1) AS second_review
        FROM in_care c),
      stepped AS (
        SELECT v.*,
          EXISTS (SELECT 1 FROM eps e WHERE e.child_id = v.child_id AND e.decom >= v.care_start AND e.decom <= ${d(date)}
                    AND (e.legal_status = 'E1' OR e.placement_type IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U4', 'P1')))
          OR EXISTS (SELECT 1 FROM main.adoptions a WHERE a.child_id = v.child_id AND a.decision_date BETWEEN v.care_start AND ${d(date)}
                    AND (a.decision_reversed_date IS NULL OR a.decision_reversed_date > ${d(date)}))
          OR EXISTS (SELECT 1 FROM main.placed_for_adoption pa WHERE pa.child_id = v.child_id AND pa.date_placed BETWEEN v.care_start AND ${d(date)}) AS has_step
        FROM reviewed v WHERE v.second_review IS NOT NULL)
      SELECT child_id, care_start AS started, second_review AS last_progress, second_review AS drift_since,
        'In care since ' || strftime(care_start, '%d/%m/%Y') || '; second review ' || strftime(second_review, '%d/%m/%Y') || '; no permanence step recorded' AS detail
      FROM stepped WHERE NOT has_step`,
  },
  {
    id: 's47_no_outcome',
    title: 'Section 47 enquiry without an outcome',
    description: 'A Section 47 enquiry started on or before the date with no initial child protection conference held by it and no record that one is ' +
      'not required, more than 15 working days after the strategy discussion (Working Together 2023: the ICPC within 15 working days). ' +
      'Drifting from the 16th working day.',
    sql: (date) => `
      SELECT child_id, start_date AS started, start_date AS last_progress, add_working_days(start_date, 16) AS drift_since,
        'Section 47 started ' || strftime(start_date, '%d/%m/%Y') || '; no ICPC and no decision that none is needed' AS detail
      FROM main.section47
      WHERE start_date <= ${d(date)} AND (icpc_date IS NULL OR icpc_date > ${d(date)}) AND NOT coalesce(icpc_not_required, false)
        AND working_days(start_date, ${d(date)}) > 15`,
  },
  {
    id: 'pre_proceedings_16_weeks',
    title: 'Pre-proceedings beyond 16 weeks',
    description: 'Pre-proceedings under the Public Law Outline started more than 16 weeks (112 days) before the date, with no decision recorded and no ' +
      'application to court by it (PLO pre-proceedings guidance, 2023: normally concluded within 16 weeks). Drifting from day 113.',
    sql: (date) => `
      SELECT child_id, start_date AS started,
        greatest(start_date, initial_meeting_date, letter_before_proceedings_date) AS last_progress, CAST(start_date + 113 AS DATE) AS drift_since,
        'Pre-proceedings started ' || strftime(start_date, '%d/%m/%Y') || coalesce('; initial meeting ' || strftime(initial_meeting_date, '%d/%m/%Y'), '')
          || '; no decision or court application' AS detail
      FROM main.pre_proceedings
      WHERE start_date IS NOT NULL AND CAST(start_date + 112 AS DATE) < ${d(date)}
        AND (decision_date IS NULL OR decision_date > ${d(date)})
        AND (court_application_date IS NULL OR court_application_date > ${d(date)})`,
  },
];

export function findDriftRule(id: string): DriftRule {
  const rule = DRIFT_RULES.find((r) => r.id === id);
  if (!rule) throw new RangeError(`no drift rule '${id}': the rules are ${DRIFT_RULES.map((r) => r.id).join(', ')}`);
  return rule;
}

export interface DriftRow {
  readonly rule: string;
  readonly child_id: string;
  readonly team: string | null;
  readonly worker: string | null;
  readonly started: string;
  readonly last_progress: string;
  readonly drift_since: string;
  /** days from drift_since to the date, counting drift_since as day 1 */
  readonly days_drifting: number;
  readonly detail: string;
}

export interface DriftOptions {
  readonly asAt: string;
  readonly rules?: readonly string[];
  readonly team?: string;
}

/** The drifting cases as at a date, longest drifting first. */
export async function drift(store: Store, o: DriftOptions): Promise<DriftRow[]> {
  checkDate(o.asAt);
  await prepareMacros(store);
  const rules = o.rules ? o.rules.map(findDriftRule) : DRIFT_RULES;
  const union = rules.map((r) => `SELECT ${literal(r.id)} AS rule, x.child_id, CAST(x.started AS DATE) AS started,
      CAST(x.last_progress AS DATE) AS last_progress, CAST(x.drift_since AS DATE) AS drift_since, x.detail FROM (${r.sql(o.asAt)}) x`).join(' UNION ALL ');
  return store.query<DriftRow>(`WITH drifting AS (SELECT *, DATE '${o.asAt}' AS at_date FROM (${union})),
    ${ALLOCATIONS_CTE},
    placed AS (${allocatedSql('drifting')})
    SELECT rule, child_id, alloc_team AS team, alloc_worker AS worker, started, last_progress, drift_since,
      CAST(DATE '${o.asAt}' - drift_since + 1 AS INTEGER) AS days_drifting, detail
    FROM placed WHERE drift_since <= DATE '${o.asAt}'
    ${o.team !== undefined ? `AND alloc_team = ${literal(o.team)}` : ''}
    ORDER BY days_drifting DESC, rule, child_id, started`);
}
