// The audit log: an append-only, tamper-evident record of who saw or changed what, when and from where.
//
// Each row of `audit_log` (store migration 4) carries the hash of the row before it (64 zeros for the
// first), and its own hash is sha256 of a canonical JSON array of
//   [seq, logged_at, username, ip, action, target, detail, prev_hash]
// with logged_at written as 'YYYY-MM-DDTHH:MM:SS.mmm' (UTC) and detail as the exact JSON text stored
// (objects with their keys sorted). verifyAudit recomputes the chain, so a row edited, deleted or inserted
// after the fact is found and named by the first seq that no longer verifies. Removing rows from the end
// cannot be seen from the chain alone: compare the head with one recorded elsewhere (a backup manifest
// records it; pass it as `expectHead`).
//
// CONTRACT — child identifiers: the ordinary application log (console, fastify's logger, error messages)
// must never contain a child identifier, a name or any other detail of a child. When something about a
// child is viewed, searched or exported, the child id, search text or filter goes in the audit row (its
// `target` and `detail`), which only admins can read; the application log may at most mention the audit
// seq. Callers: log `audit #${seq}`, never the target.
//
// ORDER — the chain is in commit order. A row is given its seq, and chained onto the head, only as its
// transaction commits, under one lock per database file held through the COMMIT; the head is read through
// a fresh connection, since a transaction that began earlier cannot see rows committed since. (Chaining
// onto the head its own snapshot saw let a load on one connection and a page view on another both chain
// onto the same row, and the log no longer verified.)
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import type { PendingAudit, Store } from './store.ts';

/** Every action the application records. */
export type AuditAction =
  | 'view.child'            // a child's page (target: child id)
  | 'view.children'         // an indicator's child rows (target: indicator id; detail: period, breakdown, count)
  | 'search.child'          // a search for a child (detail: the query text)
  | 'export.children_csv'   // an indicator's child rows as CSV
  | 'export.list_csv'       // a work list as CSV
  | 'export.xlsx_internal'  // the internal Excel workbook (with child rows)
  | 'view.list'             // an operational list's rows (target: list id; detail: at, team, worker, rows)
  | 'view.caseload'         // a worker's children, or the caseloads page's unallocated children
  | 'view.findings'         // load findings (they name children)
  | 'export.findings_csv'   // load findings as CSV
  | 'load'                  // a file loaded, refused or already loaded (target: load id; detail.outcome: loaded | rejected | unchanged)
  | 'rollback'              // a load rolled back (target: load id; detail: the loads restored)
  | 'publish'               // a scorecard published (target: publication id)
  | 'target.set'            // a target set for an indicator (target: indicator id; detail: year, target, amber band)
  | 'commentary.add'        // an analyst's commentary on an indicator and month (target: indicator id)
  | 'exception_reason.add'  // a reason recorded against a child's record (target: indicator id; detail: child id, record, code)
  | 'measure.enter'         // one month's aggregate figure entered (target: measure id)
  | 'measure.import'        // a CSV of aggregate figures imported (target: file name)
  | 'backup' | 'restore'    // the database copied out (from the CLI or the dashboard), or replaced by a backup
  | 'user.add' | 'user.disable' | 'user.reset' | 'user.password'
  | 'login' | 'login.failed' | 'logout';

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'view.child', 'view.children', 'search.child', 'export.children_csv', 'export.list_csv', 'export.xlsx_internal',
  'view.list', 'view.caseload', 'view.findings', 'export.findings_csv',
  'load', 'rollback', 'publish', 'target.set', 'commentary.add', 'exception_reason.add', 'measure.enter', 'measure.import',
  'backup', 'restore', 'user.add', 'user.disable', 'user.reset', 'user.password', 'login', 'login.failed', 'logout',
];

/**
 * Who did something, and from where: the signed-in user and their IP address (the server), or
 * 'cli:<OS user>' and 'cli' (the command line; see cliActor). Domain functions take it as an optional
 * `actor`; without one the audit row still says what happened, with no username.
 */
export interface Actor {
  username: string | null;
  ip?: string | null;
}

/** The person running a `csc` command: the OS account, which a --user option cannot change. */
export function cliActor(): Actor {
  let name = 'unknown';
  try { name = userInfo().username; } catch { /* no passwd entry (containers) */ }
  return { username: `cli:${name}`, ip: 'cli' };
}

/** An audit entry for an action done by `actor`. */
export function entryBy(actor: Actor | undefined, action: AuditAction, target: string | null, detail?: unknown): AuditEntry {
  return { username: actor?.username ?? null, ip: actor?.ip ?? null, action, target, detail };
}

export interface AuditEntry {
  username: string | null;
  ip: string | null;
  action: AuditAction;
  target?: string | null;
  detail?: unknown;
}

export interface AuditRow {
  seq: number;
  loggedAt: string;
  username: string | null;
  ip: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) o[k] = sortKeys(x);
    }
    return o;
  }
  return v;
}

/** The hash of one row: sha256 (hex) of the canonical array of its fields. `detail` is the stored JSON text or null. */
export function auditHash(r: {
  seq: number; loggedAt: string; username: string | null; ip: string | null; action: string;
  target: string | null; detail: string | null; prevHash: string;
}): string {
  const text = JSON.stringify([r.seq, r.loggedAt, r.username, r.ip, r.action, r.target, r.detail, r.prevHash]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const TS_FORMAT = `'%Y-%m-%dT%H:%M:%S.%g'`;

/**
 * Writes one audit row in its own transaction and returns it. Use appendAuditInTransaction instead
 * when the caller is inside a store.transaction (the row then commits or rolls back with it).
 */
export async function appendAudit(store: Store, entry: AuditEntry): Promise<AuditRow> {
  checkAction(entry);
  let row: AuditRow | undefined;
  await store.transaction(async () => store.queueAudit({ entry, written: (r) => { row = r; } }));
  return row!;
}

/**
 * As appendAudit, from inside fn of store.transaction: the row is written as that transaction commits
 * (so its seq is not known here) and is kept only if it commits — a change and its audit row are kept
 * together or not at all.
 */
export async function appendAuditInTransaction(store: Store, entry: AuditEntry): Promise<void> {
  checkAction(entry);
  store.queueAudit({ entry });
}

/**
 * As appendAudit, with group commit for busy servers: rows asked for while a write is in flight are written
 * together in the next transaction, and each caller's promise settles when its own row has committed (so a
 * page is never sent before its audit row is durable). One transaction per burst instead of one per row.
 */
export function appendAuditGrouped(store: Store, entry: AuditEntry): Promise<AuditRow> {
  try { checkAction(entry); } catch (err) { return Promise.reject(err); }
  let g = groups.get(store.path);
  if (!g) groups.set(store.path, (g = { pending: [], flushing: false }));
  const group = g;
  return new Promise<AuditRow>((resolve, reject) => {
    group.pending.push({ entry, resolve, reject });
    if (!group.flushing) void flushGroup(store, group);
  });
}

interface Pending { entry: AuditEntry; resolve(r: AuditRow): void; reject(e: unknown): void }
const groups = new Map<string, { pending: Pending[]; flushing: boolean }>();

async function flushGroup(store: Store, group: { pending: Pending[]; flushing: boolean }): Promise<void> {
  group.flushing = true;
  while (group.pending.length) {
    const batch = group.pending.splice(0, group.pending.length);
    try {
      const rows: AuditRow[] = [];
      // On the store's audit connection, so the burst's transaction never holds up the pages' queries.
      const writer = await store.auditWriter();
      await writer.transaction(async () => {
        batch.forEach((p, i) => writer.queueAudit({ entry: p.entry, written: (r) => { rows[i] = r; } }));
      });
      batch.forEach((p, i) => p.resolve(rows[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
  group.flushing = false;
}

function checkAction(entry: AuditEntry): void {
  if (!AUDIT_ACTIONS.includes(entry.action)) throw new Error(`Unknown audit action '${entry.action}'`);
}

/** The last committed row, read through a connection of its own so an older snapshot cannot hide it. */
async function committedHead(store: Store): Promise<string> {
  const conn = await store.committedReader();
  const rows = (await conn.runAndReadAll('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1')).getRows();
  return rows.length ? String(rows[0][0]) : GENESIS_HASH;
}

/**
 * Called by store.transaction in place of its COMMIT when audit rows are queued: chains them onto the
 * committed head and commits, holding the database's audit lock throughout, so rows are chained in the
 * order they commit.
 */
export function commitWithAudit(store: Store, pending: PendingAudit[], commit: () => Promise<void>): Promise<void> {
  return store.exclusive('audit', async () => {
    const rows = await insertRows(store, pending.map((p) => p.entry), await committedHead(store));
    await commit();
    pending.forEach((p, i) => p.written?.(rows[i]));
  });
}

/**
 * Chains the rows onto prevHash and inserts them: one statement for the sequence numbers and one for the
 * rows, however many there are, so a burst of page views costs a few round trips rather than two per view.
 */
async function insertRows(store: Store, entries: AuditEntry[], prevHash: string): Promise<AuditRow[]> {
  const seqs = await store.query<{ seq: number }>(`SELECT nextval('audit_seq') AS seq FROM range(${entries.length}) ORDER BY seq`);
  const loggedAt = new Date().toISOString().slice(0, 23);
  const rows: AuditRow[] = [];
  const params: (string | number | null)[] = [];
  entries.forEach((entry, i) => {
    const detail = entry.detail === undefined || entry.detail === null ? null : canonicalJson(entry.detail);
    const row = {
      seq: seqs[i].seq, loggedAt, username: entry.username ?? null, ip: entry.ip ?? null, action: entry.action,
      target: entry.target ?? null, detail, prevHash,
    };
    const hash = auditHash(row);
    params.push(row.seq, loggedAt, row.username, row.ip, row.action, row.target, detail, prevHash, hash);
    rows.push({ ...row, detail: detail === null ? null : JSON.parse(detail), hash });
    prevHash = hash;
  });
  await store.run(
    `INSERT INTO audit_log (seq, logged_at, username, ip, action, target, detail, prev_hash, hash) VALUES
     ${entries.map(() => '(?, ?::TIMESTAMP, ?, ?, ?, ?, ?::JSON, ?, ?)').join(', ')}`,
    params,
  );
  return rows;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The first row that does not verify (the row after a deleted or inserted one, or the edited row itself). */
  firstBad?: number;
  reason: string;
  /** The last row's seq and hash (null when the log is empty). */
  head: { seq: number; hash: string } | null;
}

type Queryable = Pick<Store, 'query'>;

interface RawRow {
  seq: number; logged_at: string; username: string | null; ip: string | null; action: string;
  target: string | null; detail: string | null; prev_hash: string; hash: string;
}

/**
 * Recomputes the chain from the first row. With `expectHead` (e.g. from a backup manifest) it also
 * checks that the row recorded as the head then is still in the log with the same hash.
 */
export async function verifyAudit(store: Queryable, options: { expectHead?: { seq: number; hash: string } | null } = {}): Promise<AuditVerification> {
  const rows = await store.query<RawRow>(
    `SELECT seq, strftime(logged_at, ${TS_FORMAT}) AS logged_at, username, ip, action, target,
       detail::VARCHAR AS detail, prev_hash, hash FROM audit_log ORDER BY seq`);
  let prev = GENESIS_HASH;
  for (const r of rows) {
    if (r.prev_hash !== prev) {
      return { ok: false, rows: rows.length, firstBad: r.seq, head: null,
        reason: `row ${r.seq}: its prev_hash does not match the hash of the row before it (a row was deleted, inserted or edited before it)` };
    }
    const expected = auditHash({
      seq: r.seq, loggedAt: r.logged_at, username: r.username, ip: r.ip, action: r.action, target: r.target, detail: r.detail, prevHash: r.prev_hash,
    });
    if (expected !== r.hash) {
      return { ok: false, rows: rows.length, firstBad: r.seq, head: null, reason: `row ${r.seq}: its contents do not match its hash (the row was edited)` };
    }
    prev = r.hash;
  }
  const last = rows[rows.length - 1];
  const head = last ? { seq: last.seq, hash: last.hash } : null;
  const want = options.expectHead;
  if (want) {
    const found = rows.find((r) => r.seq === want.seq);
    if (!found || found.hash !== want.hash) {
      return { ok: false, rows: rows.length, firstBad: want.seq, head,
        reason: `row ${want.seq}, the recorded head of the log, is ${found ? 'different' : 'missing'} (rows were removed from the end or the log replaced)` };
    }
  }
  return { ok: true, rows: rows.length, head, reason: rows.length ? `${rows.length} rows, chain intact` : 'the audit log is empty' };
}

export interface AuditQuery {
  /** From this date or timestamp (inclusive), ISO. */
  from?: string;
  /** Up to this date (the whole day, when a bare date) or timestamp (exclusive), ISO. */
  to?: string;
  username?: string;
  /** An action, or a prefix ending in '.' (e.g. 'export.'). */
  action?: string;
  target?: string;
  limit: number;
}

/** The latest rows first, for the admin page and `csc audit list`. */
export async function listAudit(store: Store, q: AuditQuery): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.from) { where.push('logged_at >= ?::TIMESTAMP'); params.push(q.from); }
  if (q.to) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(q.to)) { where.push(`logged_at < ?::DATE + INTERVAL 1 DAY`); params.push(q.to); }
    else { where.push('logged_at < ?::TIMESTAMP'); params.push(q.to); }
  }
  if (q.username) { where.push('username = ?'); params.push(q.username); }
  if (q.action) {
    if (q.action.endsWith('.')) { where.push('starts_with(action, ?)'); params.push(q.action); }
    else { where.push('action = ?'); params.push(q.action); }
  }
  if (q.target) { where.push('target = ?'); params.push(q.target); }
  const limit = Math.max(0, Math.min(Math.floor(q.limit), 100_000));
  const rows = await store.query<RawRow>(
    `SELECT seq, strftime(logged_at, ${TS_FORMAT}) AS logged_at, username, ip, action, target,
       detail::VARCHAR AS detail, prev_hash, hash FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`, params);
  return rows.map((r) => ({
    seq: r.seq, loggedAt: r.logged_at, username: r.username, ip: r.ip, action: r.action, target: r.target,
    detail: r.detail === null ? null : JSON.parse(r.detail), prevHash: r.prev_hash, hash: r.hash,
  }));
}
