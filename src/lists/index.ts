// Runs an operational list for a date: the list's rows, with team and worker filled from the allocation
// open at the date when the record names none, filtered to a team if asked, most urgent first.
import type { Store } from '../store.ts';
import { ALLOCATIONS_CTE, allocatedSql } from '../engine.ts';
import { prepareMacros, literal } from '../indicators/sql.ts';
import { DEFAULT_SETTINGS } from '../indicators/settings.ts';
import type { Settings } from '../indicators/types.ts';
import { checkDate } from '../calendar.ts';
import type { OperationalList, Rag } from './types.ts';
import { LISTS as frontDoor } from './frontDoor.ts';
import { LISTS as assessments } from './assessments.ts';
import { LISTS as childProtection } from './childProtection.ts';
import { LISTS as childrenInNeed } from './childrenInNeed.ts';
import { LISTS as childrenInCare } from './childrenInCare.ts';

export type { OperationalList, Rag } from './types.ts';

export const LISTS: readonly OperationalList[] = [...frontDoor, ...assessments, ...childProtection, ...childrenInNeed, ...childrenInCare];

export function findList(id: string): OperationalList {
  const list = LISTS.find((l) => l.id === id);
  if (!list) throw new RangeError(`no operational list '${id}': the lists are ${LISTS.map((l) => l.id).join(', ')}`);
  return list;
}

export interface ListRow {
  readonly child_id: string;
  readonly team: string | null;
  readonly worker: string | null;
  readonly rag: Rag;
  readonly status: string;
  readonly due_date: string | null;
  readonly [detail: string]: unknown;
}

export interface ListOptions {
  /** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]'; a date alone means the end of that day */
  readonly asAt: string;
  readonly team?: string;
  readonly settings?: Partial<Settings>;
}

/** Splits a date or date-time into the date and the moment the list is drawn. */
export function asAtOf(text: string): { date: string; moment: string } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?)?$/.exec(text.trim());
  if (!m) throw new RangeError(`'${text}' is not a date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM`);
  checkDate(m[1]);
  return { date: m[1], moment: m[2] ? `${m[1]}T${m[2]}${m[3] ?? ':00'}` : `${m[1]}T23:59:59` };
}

export async function runList(store: Store, id: string | OperationalList, options: ListOptions): Promise<ListRow[]> {
  const list = typeof id === 'string' ? findList(id) : id;
  await prepareMacros(store);
  const { date, moment } = asAtOf(options.asAt);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const details = list.details.map((d) => `, l.${d.name}`).join('');
  const sql = `WITH listed AS (SELECT x.*, DATE '${date}' AS at_date FROM (${list.sql({ settings, date, moment })}) x),
    ${ALLOCATIONS_CTE},
    placed AS (${allocatedSql('listed')})
    SELECT l.child_id, coalesce(l.team, l.alloc_team) AS team,
      coalesce(l.worker, CASE WHEN l.team IS NULL THEN l.alloc_worker END) AS worker,
      l.rag, l.status, l.due_date ${details}
    FROM placed l
    ${options.team !== undefined ? `WHERE coalesce(l.team, l.alloc_team) = ${literal(options.team)}` : ''}
    ORDER BY CASE l.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, l.due_date, l.child_id, l.status`;
  return store.query<ListRow>(sql);
}
