// Workforce: caseloads (average and largest), children with an open case and no allocated worker, the
// agency worker rate and social worker turnover. Source: DfE "Children's social work workforce"
// statistics and their collection guide (caseload, agency worker rate, turnover rate), Working Together to
// Safeguard Children 2023 (a named lead practitioner for every child in need) and Ofsted's Annex A
// (allocated team and worker on every list).
//
// Read from the native event feed: workers (one record per worker, with team, role, agency, start and
// end dates), teams and allocations. Left out, because the data cannot express them:
// - vacancy rate: it needs the establishment (funded posts); the workers table records people, not posts,
//   so a post with no one in it leaves no trace. (The synthetic authority has posts — its "slots" — but
//   does not write them.)
// (Supervision in timescale reads the feed's supervision records; the workforce return's figures —
// agency FTE, vacancies, turnover, absence — are in workforceReturn.ts.)
//
// Worker rows (caseload denominators, agency rate, turnover) have no child: child_id is NULL and they
// carry the worker's own team and name, so breakdowns by team and worker work without allocations.
import type { Indicator, Settings } from './types.ts';

const WORKFORCE = 'DfE Children\'s social work workforce statistics and collection guide';

/** Roles that do not hold cases as a rule: anything called a manager (Team Manager, Service Manager…). */
const NOT_CASE_HOLDING = `lower(w.role) LIKE '%manager%'`;

/**
 * open_at(s, e, d) written as two inequalities (no OR), so that DuckDB can use both in its range join of
 * periods to records.
 */
const openAt = (start: string, end: string, d: string): string => `(${start} <= ${d} AND coalesce(${end}, DATE '9999-12-31') > ${d})`;

/** The records of a table open at the end of at least one period: fewer rows to join to every period. */
const openInSomePeriod = (table: string, start: string, end: string): string => `
  SELECT * FROM ${table}
  WHERE ${start} <= (SELECT max(end_date) FROM periods) AND coalesce(${end}, DATE '9999-12-31') > (SELECT min(end_date) FROM periods)`;

/** A worker in post at d: started on or before d (or no start recorded) and not left on or before d. */
const inPost = (d: string): string => openAt(`coalesce(w.start_date, DATE '0001-01-01')`, 'w.end_date', d);

/**
 * The case-holding relations over `periods`, shared by the caseload indicators and caseloads.ts:
 * - held(period_id, at_date, child_id, worker_id, team_id, allocated_since): each child and worker with an
 *   allocation open at the period end (open_at: started on or before it, not ended on or before it), once
 *   however many allocations; allocated_since is when the worker took the child on: back-to-back or
 *   overlapping allocations of the child to the same worker are one spell, which starts at the allocation
 *   no earlier one of the pair reaches (spell_starts);
 * - holders(period_id, at_date, worker_id, team_id, team, worker, role, agency, in_post_since, caseload):
 *   the case-holding workers at the period end — every worker in post whose role is not a manager's, plus
 *   anyone (a manager, a worker recorded as left or not in the workers table) who holds a child then — with
 *   their team (the worker's own team; for a worker not in the workers table, the team of their latest
 *   allocation) and the number of children they hold.
 */
export const CASE_HOLDING_CTES = `
  multi AS (
    -- the child and worker pairs with more than one allocation: only they can have a spell of several
    SELECT a.child_id, a.worker_id, a.start_date, a.end_date FROM main.allocations a
    SEMI JOIN (SELECT child_id, worker_id FROM main.allocations GROUP BY child_id, worker_id HAVING count(*) > 1) m
      ON m.child_id = a.child_id AND m.worker_id = a.worker_id
    WHERE a.start_date IS NOT NULL),
  spell_starts AS (
    SELECT a.child_id, a.worker_id, a.start_date FROM multi a
    WHERE NOT EXISTS (
      SELECT 1 FROM multi b
      WHERE b.child_id = a.child_id AND b.worker_id = a.worker_id
        AND b.start_date < a.start_date AND coalesce(b.end_date, DATE '9999-12-31') >= a.start_date)),
  held AS (
    -- every allocation of the pair open at the date is in one spell (they overlap at the date): its start
    -- is the latest spell start on or before any of them
    SELECT p.period_id, any_value(p.end_date) AS at_date, a.child_id, a.worker_id,
      arg_max(a.team_id, a.start_date) AS team_id, coalesce(max(s.start_date), min(a.start_date)) AS allocated_since
    FROM periods p JOIN (${openInSomePeriod('main.allocations', 'start_date', 'end_date')}) a
      ON ${openAt('a.start_date', 'a.end_date', 'p.end_date')}
    LEFT JOIN spell_starts s ON s.child_id = a.child_id AND s.worker_id = a.worker_id AND s.start_date <= a.start_date
    WHERE a.child_id IS NOT NULL AND a.worker_id IS NOT NULL
    GROUP BY p.period_id, a.child_id, a.worker_id),
  held_count AS (
    SELECT period_id, worker_id, count(*) AS caseload, arg_max(team_id, allocated_since) AS team_id
    FROM held GROUP BY period_id, worker_id),
  in_post AS (
    SELECT p.period_id, w.worker_id FROM periods p JOIN main.workers w ON ${inPost('p.end_date')}
    WHERE w.role IS NULL OR NOT (${NOT_CASE_HOLDING})),
  holders AS (
    SELECT k.period_id, p.end_date AS at_date, k.worker_id, coalesce(w.team_id, k.alloc_team_id) AS team_id,
      coalesce(t.name, w.team_id, k.alloc_team_id) AS team, coalesce(w.name, k.worker_id) AS worker,
      w.role, w.agency, w.start_date AS in_post_since, k.caseload
    FROM (
      SELECT coalesce(i.period_id, c.period_id) AS period_id, coalesce(i.worker_id, c.worker_id) AS worker_id,
        coalesce(c.caseload, 0) AS caseload, c.team_id AS alloc_team_id
      FROM in_post i FULL JOIN held_count c ON c.period_id = i.period_id AND c.worker_id = i.worker_id) k
    JOIN periods p ON p.period_id = k.period_id
    LEFT JOIN main.workers w ON w.worker_id = k.worker_id
    LEFT JOIN main.teams t ON t.team_id = coalesce(w.team_id, k.alloc_team_id))`;

/**
 * Children with an open case and no allocation open at the period end, over `periods`:
 * unallocated(period_id, at_date, child_id, open_as, open_since, team, last_allocated_until).
 * An open case is a CIN episode (referral not closed), a child protection plan or a looked-after episode
 * open at the date. The team is the one named on the open plan or episode record (a CP plan's before a
 * CIN episode's, the latest started first), else the team of the child's last allocation.
 */
export const UNALLOCATED_CTES = `
  open_cases AS (
    SELECT p.period_id, p.end_date AS at_date, r.child_id, 'CIN' AS kind, r.referral_date AS since, r.team, 2 AS rank
    FROM periods p JOIN (${openInSomePeriod('main.referrals', 'referral_date', 'closure_date')}) r ON ${openAt('r.referral_date', 'r.closure_date', 'p.end_date')}
    UNION ALL
    SELECT p.period_id, p.end_date, c.child_id, 'CP', c.start_date, c.team, 1
    FROM periods p JOIN (${openInSomePeriod('main.cp_plans', 'start_date', 'end_date')}) c ON ${openAt('c.start_date', 'c.end_date', 'p.end_date')}
    UNION ALL
    SELECT p.period_id, p.end_date, e.child_id, 'LAC', e.decom, NULL, 3
    FROM periods p JOIN (${openInSomePeriod('main.lac_episodes', 'decom', 'dec')}) e ON ${openAt('e.decom', 'e.dec', 'p.end_date')}),
  cases AS (
    SELECT period_id, at_date, child_id, min(since) AS open_since,
      array_to_string(list_sort(list(DISTINCT kind)), ', ') AS open_as,
      -- the team on a CP plan before a CIN episode's, the latest started first
      arg_min(team, rank * 100000 - (since - DATE '2000-01-01')) FILTER (WHERE team IS NOT NULL) AS record_team
    FROM open_cases WHERE child_id IS NOT NULL
    GROUP BY period_id, at_date, child_id),
  allocated AS (
    SELECT DISTINCT p.period_id, a.child_id
    FROM periods p JOIN (${openInSomePeriod('main.allocations', 'start_date', 'end_date')}) a
      ON ${openAt('a.start_date', 'a.end_date', 'p.end_date')}),
  unallocated AS (
    SELECT u.period_id, u.at_date, u.child_id, u.open_as, u.open_since,
      coalesce(u.record_team, lt.name, la.team_id) AS team, la.end_date AS last_allocated_until
    FROM cases u ANTI JOIN allocated x ON x.period_id = u.period_id AND x.child_id = u.child_id
    ASOF LEFT JOIN (SELECT * FROM main.allocations WHERE end_date IS NOT NULL) la
      ON la.child_id = u.child_id AND u.at_date >= la.end_date
    LEFT JOIN main.teams lt ON lt.team_id = la.team_id)`;

const CASELOAD_DETAILS = [
  { name: 'allocated_since', label: 'Allocated to the worker since' },
  { name: 'worker_role', label: 'Role' },
  { name: 'employment', label: 'Employed or agency' },
  { name: 'caseload', label: 'Children allocated' },
] as const;

const employment = (agency: string): string => `CASE WHEN ${agency} THEN 'Agency' WHEN NOT ${agency} THEN 'Employed' END`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'workforce.average_caseload',
    title: 'Average caseload per social worker',
    theme: 'workforce',
    unit: 'average',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Children allocated to a social worker at the period end, divided by the case-holding social workers in post then. '
      + 'A child allocated to two workers counts on both caseloads. Case-holding workers are every worker in post at the date '
      + '(started on or before it, not left on or before it) whose role is not a manager\'s (Team Manager, Service Manager), '
      + 'including those holding no children; a manager or anyone else who does hold a child counts as well. '
      + 'Each worker counts in their own team. Counts children, not families or full-time equivalents.',
    source: `${WORKFORCE}: caseload (cases held by case-holding children and family social workers); allocations from the authority's case management system`,
    breakdowns: ['team', 'worker'],
    details: CASELOAD_DETAILS,
    numeratorLabel: 'children allocated',
    denominatorLabel: 'case-holding social workers',
    sql: () => `
      WITH ${CASE_HOLDING_CTES}
      SELECT h.period_id, h.child_id, 1 AS numerator, 0 AS denominator, h.at_date, k.team, k.worker,
        h.allocated_since, CAST(NULL AS VARCHAR) AS worker_role, CAST(NULL AS VARCHAR) AS employment, CAST(NULL AS BIGINT) AS caseload
      FROM held h JOIN holders k ON k.period_id = h.period_id AND k.worker_id = h.worker_id
      UNION ALL
      SELECT period_id, NULL, 0, 1, at_date, team, worker,
        NULL, role, ${employment('agency')}, caseload
      FROM holders`,
  },
  {
    id: 'workforce.max_caseload',
    title: 'Largest caseload held by one social worker',
    theme: 'workforce',
    unit: 'count',
    aggregate: 'max',
    polarity: 'lower',
    measure: 'stock',
    definition: 'The most children allocated to any one case-holding social worker at the period end (by team: the largest in the team). '
      + 'Case-holding workers as for the average caseload; the drill-down lists every one of them with their caseload.',
    source: `${WORKFORCE}: caseload`,
    breakdowns: ['team'],
    details: CASELOAD_DETAILS.slice(1),
    numeratorLabel: 'children allocated',
    denominatorLabel: 'case-holding social workers',
    sql: () => `
      WITH ${CASE_HOLDING_CTES}
      SELECT period_id, CAST(NULL AS VARCHAR) AS child_id, caseload AS numerator, 1 AS denominator, at_date, team, worker,
        role AS worker_role, ${employment('agency')} AS employment, caseload
      FROM holders`,
  },
  {
    id: 'workforce.unallocated',
    title: 'Open cases without an allocated social worker',
    theme: 'workforce',
    unit: 'count',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Children with an open case at the period end — a child in need episode (referral not yet closed), a child protection plan '
      + 'or a looked-after episode open on that date — and no allocation to a worker open on that date. Each child counts once. '
      + 'The team shown is the one named on the open plan or episode, else the team that last held the child. '
      + 'Needs the allocations feed: without it every open case shows as unallocated.',
    source: 'Working Together to Safeguard Children 2023 (a named lead practitioner for every child); Ofsted Annex A (allocated worker); '
      + 'DfE CIN census (ReferralDate, CINclosureDate, CPPstartDate, CPPendDate); SSDA903 episodes (DECOM, DEC)',
    breakdowns: ['team', 'age_band', 'sex', 'ethnicity', 'disability'],
    details: [
      { name: 'open_as', label: 'Open as' },
      { name: 'open_since', label: 'Open since' },
      { name: 'last_allocated_until', label: 'Last allocation ended' },
    ],
    numeratorLabel: 'children without an allocated worker',
    sql: () => `
      WITH ${UNALLOCATED_CTES}
      SELECT period_id, child_id, 1 AS numerator, 0 AS denominator, at_date, team, CAST(NULL AS VARCHAR) AS worker,
        open_as, open_since, last_allocated_until
      FROM unallocated`,
  },
  {
    id: 'workforce.agency_rate',
    title: 'Agency social workers',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Of the social workers in post at the period end (managers included), the percentage who are agency workers. '
      + 'Workers whose employment (agency or employed) is not recorded are left out. Counts people, not full-time equivalents.',
    source: `${WORKFORCE}: agency worker rate`,
    breakdowns: ['team'],
    details: [
      { name: 'worker_role', label: 'Role' },
      { name: 'in_post_since', label: 'In post since' },
    ],
    numeratorLabel: 'agency social workers',
    denominatorLabel: 'social workers in post',
    sql: () => `
      SELECT p.period_id, CAST(NULL AS VARCHAR) AS child_id, CASE WHEN w.agency THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        p.end_date AS at_date, coalesce(t.name, w.team_id) AS team, coalesce(w.name, w.worker_id) AS worker,
        w.role AS worker_role, w.start_date AS in_post_since
      FROM periods p JOIN main.workers w ON ${inPost('p.end_date')} AND w.agency IS NOT NULL
      LEFT JOIN main.teams t ON t.team_id = w.team_id`,
  },
  {
    id: 'workforce.turnover',
    title: 'Social worker turnover',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Of the employed (not agency) social workers in post at the end of the day before the period starts, the percentage '
      + 'whose record ends during the period (end date from the first to the last day of the period). Managers are included. '
      + 'A worker who moves team keeps one record and is not a leaver. Read over a rolling 12 months for the annual turnover rate.',
    source: `${WORKFORCE}: turnover rate (leavers among employed children and family social workers)`,
    breakdowns: ['team'],
    details: [
      { name: 'worker_role', label: 'Role' },
      { name: 'in_post_since', label: 'In post since' },
      { name: 'left_on', label: 'Left' },
    ],
    numeratorLabel: 'leavers',
    denominatorLabel: 'employed social workers in post at the start',
    sql: () => `
      SELECT p.period_id, CAST(NULL AS VARCHAR) AS child_id, CASE WHEN w.end_date BETWEEN p.start_date AND p.end_date THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, CASE WHEN w.end_date BETWEEN p.start_date AND p.end_date THEN w.end_date ELSE p.end_date END AS at_date,
        coalesce(t.name, w.team_id) AS team, coalesce(w.name, w.worker_id) AS worker,
        w.role AS worker_role, w.start_date AS in_post_since,
        CASE WHEN w.end_date BETWEEN p.start_date AND p.end_date THEN w.end_date END AS left_on
      FROM periods p JOIN main.workers w ON ${inPost('CAST(p.start_date - 1 AS DATE)')} AND w.agency IS NOT TRUE
      LEFT JOIN main.teams t ON t.team_id = w.team_id`,
  },
  {
    id: 'workforce.supervision_in_timescale',
    title: 'Social workers supervised in timescale',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the social workers in post at the period end (managers included) who had been in post for at least the supervision '
      + 'standard (every 30 days unless config/settings.json says otherwise, supervisionDays), the percentage whose latest supervision '
      + 'on or before the period end was no more than that many days before it. A worker with no start date recorded counts; one who '
      + 'started within the standard is not yet due and is left out.',
    source: 'Local supervision policy (Knowledge and Skills Statement for child and family practitioners; the Social Work England '
      + 'professional standards); supervision records from the case management or HR system (native events)',
    breakdowns: ['team', 'worker'],
    details: [
      { name: 'worker_role', label: 'Role' },
      { name: 'in_post_since', label: 'In post since' },
      { name: 'last_supervised', label: 'Last supervision' },
      { name: 'supervisor', label: 'Supervisor' },
      { name: 'days_since', label: 'Days since' },
    ],
    numeratorLabel: 'supervised in timescale',
    denominatorLabel: 'social workers due supervision',
    sql: (s: Settings) => `
      WITH due AS (
        SELECT p.period_id, p.end_date, w.* FROM periods p JOIN main.workers w
          ON ${inPost('p.end_date')} AND coalesce(w.start_date, DATE '0001-01-01') <= CAST(p.end_date - ${s.supervisionDays} AS DATE)),
      last AS (
        SELECT d.period_id, d.worker_id, max(x.supervision_date) AS last_supervised,
          arg_max(x.supervisor_id, x.supervision_date) AS supervisor_id
        FROM due d JOIN main.supervisions x ON x.worker_id = d.worker_id AND x.supervision_date <= d.end_date
        GROUP BY d.period_id, d.worker_id)
      SELECT d.period_id, CAST(NULL AS VARCHAR) AS child_id,
        CASE WHEN l.last_supervised >= CAST(d.end_date - ${s.supervisionDays} AS DATE) THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        d.end_date AS at_date, coalesce(t.name, d.team_id) AS team, coalesce(d.name, d.worker_id) AS worker,
        d.role AS worker_role, d.start_date AS in_post_since, l.last_supervised,
        coalesce(sw.name, l.supervisor_id) AS supervisor, d.end_date - l.last_supervised AS days_since
      FROM due d LEFT JOIN last l ON l.period_id = d.period_id AND l.worker_id = d.worker_id
      LEFT JOIN main.teams t ON t.team_id = d.team_id
      LEFT JOIN main.workers sw ON sw.worker_id = l.supervisor_id`,
  },
];
