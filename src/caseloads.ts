// Caseloads at a date: every case-holding social worker with the children allocated to them (and how long
// each has been with them), and the children with an open case but no allocated worker. Built from the
// same SQL as the workforce indicators (workforce.average_caseload, workforce.max_caseload,
// workforce.unallocated), so the lists always agree with the figures on the scorecard.
import type { Store } from './store.ts';
import { prepareMacros, literal } from './indicators/sql.ts';
import { CASE_HOLDING_CTES, UNALLOCATED_CTES } from './indicators/workforce.ts';

export interface AllocatedChild {
  readonly childId: string;
  /** when this worker took the child on (back-to-back allocations to the same worker are one) */
  readonly allocatedSince: string;
  /** calendar days from allocatedSince to the date */
  readonly days: number;
}

export interface WorkerCaseload {
  readonly team: string | null;
  readonly teamId: string | null;
  readonly worker: string;
  readonly workerId: string;
  readonly role: string | null;
  /** true agency, false employed, null not recorded */
  readonly agency: boolean | null;
  /** number of children allocated */
  readonly children: number;
  /** the children, longest allocated first */
  readonly allocated: readonly AllocatedChild[];
}

export interface UnallocatedChild {
  readonly childId: string;
  /** the team named on the open plan or episode, else the team that last held the child */
  readonly team: string | null;
  /** the kinds of open case: 'CIN', 'CP', 'LAC', comma-separated */
  readonly openAs: string;
  /** the earliest start of the open episodes and plans */
  readonly openSince: string;
  /** when the child's last allocation ended, null if never allocated */
  readonly lastAllocatedUntil: string | null;
  /** calendar days without an allocation: from lastAllocatedUntil (or openSince) to the date */
  readonly daysUnallocated: number;
}

export interface Caseloads {
  readonly date: string;
  /** case-holding workers (in post, not managers, or holding a child) ordered by team, then worker */
  readonly workers: readonly WorkerCaseload[];
  /** ordered by team (none last), then longest unallocated first, then child */
  readonly unallocated: readonly UnallocatedChild[];
}

/**
 * Caseloads at `date` (YYYY-MM-DD): allocations open at the date (started on or before it, not ended on or
 * before it). `team` narrows both lists to one team, by name or id.
 */
export async function caseloads(store: Store, date: string, options: { team?: string } = {}): Promise<Caseloads> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new RangeError(`'${date}' is not a date (YYYY-MM-DD)`);
  }
  await prepareMacros(store);
  const d = `DATE ${literal(date)}`;
  const periods = `periods(period_id, label, start_date, end_date) AS (VALUES (0, ${literal(date)}, ${d}, ${d}))`;
  const team = options.team === undefined ? null : literal(options.team);

  // one row per worker and child held (a worker holding none: one row with no child)
  const rows = await store.query<{
    team: string | null; team_id: string | null; worker: string; worker_id: string; role: string | null;
    agency: boolean | null; caseload: number; child_id: string | null; since: string | null; days: number | null;
  }>(`
    WITH ${periods}, ${CASE_HOLDING_CTES}
    SELECT k.team, k.team_id, k.worker, k.worker_id, k.role, k.agency, k.caseload,
      h.child_id, h.allocated_since AS since, ${d} - h.allocated_since AS days
    FROM holders k LEFT JOIN held h ON h.worker_id = k.worker_id
    ${team === null ? '' : `WHERE k.team = ${team} OR k.team_id = ${team}`}
    ORDER BY k.team NULLS LAST, k.worker, k.worker_id, h.allocated_since, h.child_id`);
  const workers: (WorkerCaseload & { allocated: AllocatedChild[] })[] = [];
  for (const r of rows) {
    let w = workers.at(-1);
    if (w?.workerId !== r.worker_id) {
      w = { team: r.team, teamId: r.team_id, worker: r.worker, workerId: r.worker_id, role: r.role, agency: r.agency, children: r.caseload, allocated: [] };
      workers.push(w);
    }
    if (r.child_id !== null && r.since !== null && r.days !== null) w.allocated.push({ childId: r.child_id, allocatedSince: r.since, days: r.days });
  }

  const unallocated = await store.query<{
    child_id: string; team: string | null; open_as: string; open_since: string; last_allocated_until: string | null; days: number;
  }>(`
    WITH ${periods}, ${UNALLOCATED_CTES}
    SELECT child_id, team, open_as, open_since, last_allocated_until,
      ${d} - coalesce(last_allocated_until, open_since) AS days
    FROM unallocated
    ${team === null ? '' : `WHERE team = ${team} OR team IN (SELECT name FROM main.teams WHERE team_id = ${team})`}
    ORDER BY team NULLS LAST, days DESC, child_id`);

  return {
    date,
    workers,
    unallocated: unallocated.map((u) => ({
      childId: u.child_id,
      team: u.team,
      openAs: u.open_as,
      openSince: u.open_since,
      lastAllocatedUntil: u.last_allocated_until,
      daysUnallocated: u.days,
    })),
  };
}
