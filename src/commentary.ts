// What analysts and managers write beside the figures: commentary on an indicator for a month, and the
// reason (code and note) recorded against a child's record behind a late or failing figure. Every
// version of either is kept (tables `commentary` and `exception_reasons`, store migrations 2 and 3); the
// latest is the one shown.
//
// Each write and its audit row ('commentary.add', 'exception_reason.add') commit in one transaction, so
// the CLI and the server record who wrote what alike. The audit row of a reason holds the child id (the
// audit log is where child identifiers may go; see audit.ts); neither function logs anything.
// Checking the request (the indicator takes reasons, the record is one of its exceptions, the code is
// one of config/exception-reasons.json) is the caller's: the server's indicator routes do it.
import type { Store } from './store.ts';
import { appendAuditInTransaction, entryBy, type Actor } from './audit.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MAX_COMMENTARY_LENGTH = 5000;
export const MAX_REASON_NOTE_LENGTH = 1000;

export interface CommentaryInput {
  indicatorId: string;
  /** the month it is about, 'YYYY-MM' */
  month: string;
  text: string;
  /** the name shown as its author */
  author: string;
}

/** Records a new version of the commentary on an indicator for a month. Audited as 'commentary.add'. */
export async function addCommentary(store: Store, c: CommentaryInput, options: { actor?: Actor } = {}): Promise<void> {
  const text = c.text.replace(/\r\n/g, '\n').trim();
  if (!MONTH.test(c.month)) throw new RangeError(`commentary is about a month (YYYY-MM), not '${c.month}'`);
  if (text === '') throw new RangeError('the commentary is empty');
  if (text.length > MAX_COMMENTARY_LENGTH) throw new RangeError(`commentary must be ${MAX_COMMENTARY_LENGTH.toLocaleString('en-GB')} characters or fewer`);
  if (!c.author.trim()) throw new RangeError('the author of the commentary is required');
  await store.transaction(async () => {
    await store.run(`INSERT INTO commentary VALUES (?, ?, ?, ?, current_timestamp)`, [c.indicatorId, c.month, text, c.author]);
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: c.author }, 'commentary.add', c.indicatorId, {
      month: c.month, length: text.length, author: c.author,
    }));
  });
}

export interface ExceptionReasonInput {
  indicatorId: string;
  childId: string;
  /** which of the child's records: its deciding date (e.g. the assessment start) */
  record: string;
  /** the period the manager was looking at */
  period: string | null;
  /** from config/exception-reasons.json */
  code: string;
  note: string | null;
  recordedBy: string;
}

/** Records the reason for a child's late or failing record. Audited as 'exception_reason.add'. */
export async function recordExceptionReason(store: Store, r: ExceptionReasonInput, options: { actor?: Actor } = {}): Promise<void> {
  const note = r.note?.replace(/\r\n/g, '\n').trim() || null;
  if (!r.childId || !r.code) throw new RangeError('a reason needs the child and a reason code');
  if (note !== null && note.length > MAX_REASON_NOTE_LENGTH) throw new RangeError(`the note must be ${MAX_REASON_NOTE_LENGTH.toLocaleString('en-GB')} characters or fewer`);
  if (!r.recordedBy.trim()) throw new RangeError('who recorded the reason is required');
  await store.transaction(async () => {
    await store.run(`INSERT INTO exception_reasons VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp)`,
      [r.indicatorId, r.childId, r.record, r.period, r.code, note, r.recordedBy]);
    // The note's text stays in exception_reasons only: it can describe a family's circumstances.
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: r.recordedBy }, 'exception_reason.add', r.indicatorId, {
      childId: r.childId, record: r.record, period: r.period, code: r.code, note: note !== null, recordedBy: r.recordedBy,
    }));
  });
}
