// The DfE children's social work workforce return (CSWW): agency worker rate, vacancy rate, turnover
// and sickness absence, as DfE's "Children's social work workforce" statistics define them, from the
// return's worker records (csww_workers) and LA-level vacancies (csww_vacancies).
//
// The return is a snapshot at its census date (30 September). Every indicator here is a stock: a period
// shows the latest return whose census date is on or before the period's end and less than a year before
// it (so the 2024 return, at 30 September 2024, is the figure for every month from September 2024 to
// August 2025). at_date is the census date, so the drill-down says which return a figure comes from.
//
// "In post at the census date" follows the convention for open records: the role started on or before it
// (or no start recorded) and has not ended on or before it. Leavers in the year: RoleEndDate after the
// census date a year earlier and on or before this one. Agency workers are never leavers or in post for
// turnover, vacancy or absence (DfE: those count employed — non-agency — social workers only).
//
// Rows are worker records (child_id null) and, for the vacancy and agency figures, one LA-level row.
import type { Indicator } from './types.ts';

const CSWW = 'DfE Children\'s social work workforce statistics and the CSWW collection guide';

/** The census date each period reads: the latest return on or before the period end, less than a year before it. */
const RETURN_FOR_PERIOD = `
  censuses AS (SELECT census_date FROM main.csww_workers UNION SELECT census_date FROM main.csww_vacancies),
  ret AS (
    SELECT p.period_id, max(c.census_date) AS census_date
    FROM periods p JOIN censuses c ON c.census_date <= p.end_date AND c.census_date > add_years(p.end_date, -1)
    GROUP BY p.period_id)`;

const IN_POST = `(coalesce(w.role_start_date, DATE '0001-01-01') <= w.census_date AND (w.role_end_date IS NULL OR w.role_end_date > w.census_date))`;
const LEFT_IN_YEAR = `(w.role_end_date > add_years(w.census_date, -1) AND w.role_end_date <= w.census_date)`;

const employment = `CASE WHEN w.agency THEN 'Agency' WHEN NOT w.agency THEN 'Employed' END`;

const WORKER_DETAILS = [
  { name: 'swe_no', label: 'Social Work England number' },
  { name: 'employment', label: 'Employed or agency' },
  { name: 'org_role', label: 'Role (OrgRole)' },
  { name: 'fte', label: 'FTE' },
] as const;

/** Worker records of the return each period reads, with the period. */
const WORKERS = `${RETURN_FOR_PERIOD},
  wk AS (SELECT r.period_id, w.* FROM ret r JOIN main.csww_workers w ON w.census_date = r.census_date)`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'csww.agency_rate',
    title: 'Agency social workers (workforce return, FTE)',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Full-time equivalent (FTE) agency social workers as a percentage of FTE agency and employed social workers in post at the '
      + 'census date (30 September) of the latest workforce return. Agency FTE comes from the return\'s agency worker records; '
      + 'when the return has none, from its LA-level count (NoAgencyFTE). Records without an FTE are left out.',
    source: `${CSWW}: agency worker rate (AgencyWorker, FTE; LALevelVacancies NoAgencyFTE)`,
    breakdowns: ['team'],
    details: WORKER_DETAILS,
    numeratorLabel: 'agency FTE',
    denominatorLabel: 'FTE in post (agency and employed)',
    sql: () => `
      WITH ${WORKERS}
      SELECT period_id, CAST(NULL AS VARCHAR) AS child_id, CASE WHEN w.agency THEN w.fte ELSE 0 END AS numerator, w.fte AS denominator,
        w.census_date AS at_date, w.team, w.swe_no AS worker, w.swe_no, ${employment} AS employment, w.org_role, w.fte
      FROM wk w WHERE ${IN_POST} AND w.fte IS NOT NULL AND w.agency IS NOT NULL AND w.fte > 0
      UNION ALL
      SELECT r.period_id, NULL, v.agency_fte, v.agency_fte, v.census_date, NULL, NULL,
        NULL, 'Agency (LA-level count)', NULL, v.agency_fte
      FROM ret r JOIN main.csww_vacancies v ON v.census_date = r.census_date
      WHERE v.agency_fte > 0 AND NOT EXISTS (SELECT 1 FROM main.csww_workers a WHERE a.census_date = r.census_date AND a.agency)`,
  },
  {
    id: 'csww.vacancy_rate',
    title: 'Social worker vacancy rate',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'FTE vacancies (NumberOfVacancies) as a percentage of FTE vacancies plus the FTE of employed (not agency) social workers '
      + 'in post at the census date of the latest workforce return. Agency workers are not added to the posts: they usually cover '
      + 'the vacancies, so adding them would count those posts twice. Shown only when the return has its LA-level vacancies.',
    source: `${CSWW}: vacancy rate (LALevelVacancies NumberOfVacancies; CSWWWorker FTE)`,
    breakdowns: [],
    details: WORKER_DETAILS,
    numeratorLabel: 'FTE vacancies',
    denominatorLabel: 'FTE vacancies and employed social workers',
    sql: () => `
      WITH ${WORKERS}
      SELECT r.period_id, CAST(NULL AS VARCHAR) AS child_id, v.vacancies_fte AS numerator, v.vacancies_fte AS denominator,
        v.census_date AS at_date, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        CAST(NULL AS VARCHAR) AS swe_no, 'Vacancies (LA-level)' AS employment, CAST(NULL AS VARCHAR) AS org_role, v.vacancies_fte AS fte
      FROM ret r JOIN main.csww_vacancies v ON v.census_date = r.census_date
      WHERE v.vacancies_fte > 0
      UNION ALL
      SELECT w.period_id, NULL, 0, w.fte, w.census_date, w.team, w.swe_no, w.swe_no, ${employment}, w.org_role, w.fte
      FROM wk w
      WHERE ${IN_POST} AND w.agency IS NOT TRUE AND w.fte > 0
        AND EXISTS (SELECT 1 FROM main.csww_vacancies v WHERE v.census_date = w.census_date AND v.vacancies_fte IS NOT NULL)`,
  },
  {
    id: 'csww.turnover',
    title: 'Social worker turnover (workforce return)',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Employed (not agency) social workers who left in the year to the census date (RoleEndDate after 30 September of the year '
      + 'before, on or before the census date) as a percentage of employed social workers in post at the census date, counting people '
      + '(headcount): a leaver\'s FTE in the return is their FTE at the census date, which is 0. Can exceed 100%.',
    source: `${CSWW}: turnover rate (leavers in the year over social workers in post at 30 September; RoleStartDate, RoleEndDate)`,
    breakdowns: ['team'],
    details: [...WORKER_DETAILS, { name: 'role_end_date', label: 'Left (RoleEndDate)' }, { name: 'reason_leave', label: 'Reason for leaving' }],
    numeratorLabel: 'leavers in the year',
    denominatorLabel: 'employed social workers in post',
    sql: () => `
      WITH ${WORKERS}
      SELECT period_id, CAST(NULL AS VARCHAR) AS child_id, CASE WHEN ${LEFT_IN_YEAR} THEN 1 ELSE 0 END AS numerator,
        CASE WHEN ${IN_POST} THEN 1 ELSE 0 END AS denominator,
        w.census_date AS at_date, w.team, w.swe_no AS worker, w.swe_no, ${employment} AS employment, w.org_role, w.fte,
        w.role_end_date, w.reason_leave
      FROM wk w WHERE w.agency IS NOT TRUE AND (${LEFT_IN_YEAR} OR ${IN_POST})`,
  },
  {
    id: 'csww.absence_rate',
    title: 'Social worker sickness absence rate',
    theme: 'workforce',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Working days lost to sickness absence in the year to the census date (WorkingDaysLost) by employed social workers in post '
      + 'at the census date, as a percentage of the working days available to them: each worker\'s FTE times the working days '
      + '(England and Wales, bank holidays excluded) from the later of their RoleStartDate and the day after the census date a year '
      + 'earlier, up to and including the census date. Records without FTE or days lost are left out.',
    source: `${CSWW}: sickness absence rate (WorkingDaysLost, FTE)`,
    breakdowns: ['team'],
    details: [...WORKER_DETAILS, { name: 'working_days_lost', label: 'Working days lost' }, { name: 'days_available', label: 'Working days available (FTE × days)' }],
    numeratorLabel: 'working days lost',
    denominatorLabel: 'working days available',
    sql: () => `
      WITH ${WORKERS},
      av AS (
        SELECT w.*, w.fte * working_days(
            greatest(add_years(w.census_date, -1), coalesce(CAST(w.role_start_date - 1 AS DATE), DATE '0001-01-01')), w.census_date) AS days_available
        FROM wk w WHERE ${IN_POST} AND w.agency IS NOT TRUE AND w.fte > 0 AND w.working_days_lost IS NOT NULL)
      SELECT period_id, CAST(NULL AS VARCHAR) AS child_id, w.working_days_lost AS numerator, w.days_available AS denominator,
        w.census_date AS at_date, w.team, w.swe_no AS worker, w.swe_no, ${employment} AS employment, w.org_role, w.fte,
        w.working_days_lost, w.days_available
      FROM av w`,
  },
];
