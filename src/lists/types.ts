// Operational lists: the children a manager must act on today (a contact waiting for a decision, an
// assessment about to pass 45 working days, a visit overdue). Each list is SQL returning one row per
// child and item with:
//   child_id, team, worker (the record's own, or null: filled from the allocation open at the date),
//   rag ('red' overdue, 'amber' due soon, 'green' in time), status (the words shown beside the colour),
//   due_date (when the action is or was due), and the declared detail columns.
// `asAt` is the date (and, for the front door, the time) the list is drawn at.
import type { Detail, Settings, Theme } from '../indicators/types.ts';

export type Rag = 'red' | 'amber' | 'green';

export interface ListContext {
  readonly settings: Settings;
  /** 'YYYY-MM-DD' */
  readonly date: string;
  /** 'YYYY-MM-DDTHH:MM:SS': the moment the list is drawn (end of `date` unless given) */
  readonly moment: string;
}

export interface OperationalList {
  readonly id: string;
  readonly title: string;
  readonly theme: Theme;
  /** what is listed, when a row turns amber and red */
  readonly description: string;
  readonly details: readonly Detail[];
  readonly sql: (ctx: ListContext) => string;
}
