// Loads input files into the store: atomic (one transaction per file: all of it or none of it, even if
// the process is killed), idempotent (a file whose bytes were already loaded changes nothing), traceable
// (every row keeps its load, file and line), superseding (a newer file of the same kind and period
// replaces the older one's records without deleting them) and reversible (rollback restores the
// state before a load).
//
// Audited: every load — loaded, rejected or unchanged — and every rollback writes an audit row ('load',
// 'rollback'; audit.ts) with the actor, in the same transaction as the change where there is one, so a
// kill never keeps a load without its audit row or an audit row without its load. Loads and rollbacks of
// one database take turns (Store.exclusive): two at once could each supersede the same earlier return and
// leave both active.
//
// There is no 'in progress' status: the loads row, the rows in loaded.*, the findings, the supersede and
// the rebuilt current state commit together, so a load killed at any point leaves no trace but a gap in
// load_id_seq (test/crash.test.ts kills loads at random points to show it).
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { DuckDBAppender } from '@duckdb/node-api';
import { columnsOf, TABLE_NAMES, type Row, type TableName } from './model.ts';
import { Store } from './store.ts';
import { appendAudit, appendAuditInTransaction, entryBy, type Actor } from './audit.ts';
import type { FileSummary, Finding, RecordSink, SourceKind } from './ingest/types.ts';
import { FileRejected } from './ingest/errors.ts';
import { readCinCensus } from './ingest/cinCensus.ts';
import { readSsda903, detectSsda903Table } from './ingest/ssda903.ts';
import { isSsda903XmlHead, looksLikeXml, readSsda903Xml } from './ingest/ssda903Xml.ts';
import { readAnnexA } from './ingest/annexA.ts';
import { readEvents } from './ingest/events.ts';
import { crossRecordFindings } from './ingest/crossChecks.ts';
import { isWorkforceXmlHead, readWorkforce, workforceCsvPart } from './ingest/workforce.ts';
import { isSurveyHeader, readSurveys } from './ingest/surveys.ts';

export interface LoadResult {
  file: string;
  kind: SourceKind | 'unknown';
  status: 'loaded' | 'unchanged' | 'rejected';
  loadId: number | null;
  /** load ids this load superseded */
  superseded: number[];
  rowsLoaded: Record<string, number>;
  rowsRejected: number;
  warnings: number;
  findings: Finding[];
  summary: FileSummary | null;
}

/** The stages of a load, in order: the file hashed, the transaction begun, the file read, about to commit, committed. */
export type LoadPhase = 'hashed' | 'begin' | 'read' | 'commit' | 'committed';

export interface LoadOptions {
  /** the name recorded in loads.loaded_by (default: the actor's username) */
  user?: string;
  /** who is loading, and from where: written to the audit log */
  actor?: Actor;
  /** called as the load reaches each stage (progress display; the crash test records where a kill fell) */
  onPhase?: (phase: LoadPhase) => void;
  /** the reporting year (start year) the file covers, when the file itself does not say (SSDA903 CSVs) */
  collectionYear?: number;
  /** called every few thousand rows, for progress bars */
  onProgress?: (rows: number) => void;
}

/** The first 4 KB of a file as text, without a byte-order mark. */
function headOf(path: string): string {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
}

/** Reads the first bytes of a file to tell which return it is: by content, never by name alone. */
export function detectKind(path: string): SourceKind | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return 'annex_a';
  if (ext === '.jsonl' || ext === '.ndjson') return 'events';
  const head = headOf(path);
  // XML: the SSDA903 return says so in its header's Collection or root element, or has episodes; else the CIN census.
  if (ext === '.xml' || head.trimStart().startsWith('<')) {
    if (isWorkforceXmlHead(head)) return 'workforce';
    return isSsda903XmlHead(head) ? 'ssda903' : 'cin_census';
  }
  if (ext === '.csv') {
    const columns = (head.split(/\r?\n/)[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    if (workforceCsvPart(columns)) return 'workforce';
    if (isSurveyHeader(columns)) return 'survey';
    if (detectSsda903Table(columns)) return 'ssda903';
    if (columns.map((c) => c.toLowerCase()).includes('type')) return 'events';
    return /list[\s_-]*\d+/i.test(basename(path)) ? 'annex_a' : 'ssda903';
  }
  return null;
}

/**
 * SSDA903 CSVs do not say which year they are for; authorities keep them in a folder or file named for
 * the year ('2024-25', '903_2024_25', '2025'). A pair like 2024-25 gives 2024; a lone year 2025 is the
 * year the collection ends in (DfE's naming), so 2024.
 */
export function collectionYearFromPath(path: string): number | undefined {
  path = path.split(/[\\/]/).slice(-2).join('/'); // the file and its folder only
  const pair = /(20\d\d)[-_ /]?(\d\d)(?!\d)/.exec(path);
  if (pair && (Number(pair[1]) + 1) % 100 === Number(pair[2])) return Number(pair[1]);
  const single = /(?:^|[^\d])(20\d\d)(?:[^\d]|$)/.exec(path);
  return single ? Number(single[1]) - 1 : undefined;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readFile(kind: SourceKind, path: string, sink: RecordSink, collectionYear?: number): Promise<FileSummary> {
  switch (kind) {
    case 'cin_census': return readCinCensus(path, sink);
    case 'ssda903': {
      const options = { collectionYear: collectionYear ?? collectionYearFromPath(path) };
      return looksLikeXml(path) ? readSsda903Xml(path, sink, options) : readSsda903(path, sink, options);
    }
    case 'annex_a': return readAnnexA(path, sink);
    case 'events': return readEvents(path, sink);
    case 'workforce': return readWorkforce(path, sink, headOf(path));
    case 'survey': return readSurveys(path, sink);
  }
}

function unknownKind(path: string): FileRejected {
  const finding: Finding = {
    ruleset: 'file', code: 'CSC001', severity: 'error', file: basename(path), row: null, field: null, value: null,
    message: `${basename(path)}: not recognised as an Annex A workbook, CIN census XML, SSDA903 CSV or XML, native event file, workforce return or survey CSV — nothing loaded`,
  };
  return new FileRejected(finding.message, [finding]);
}

/** Rows that carried at least one error finding (each was not loaded). */
function rejectedRows(findings: Finding[]): number {
  return new Set(findings.filter((f) => f.severity === 'error').map((f) => `${f.section ?? ''}:${f.row}`)).size;
}

/** Validates a file without touching any store: the findings a load would report. */
export async function validateFile(path: string): Promise<LoadResult> {
  const kind = detectKind(path);
  const rowsLoaded: Record<string, number> = {};
  const findings: Finding[] = [];
  const sink: RecordSink = {
    add: (table) => { rowsLoaded[table] = (rowsLoaded[table] ?? 0) + 1; },
    finding: (f) => { findings.push(f); },
  };
  try {
    if (!kind) throw unknownKind(path);
    const summary = await readFile(kind, path, sink);
    return {
      file: path, kind, status: 'loaded', loadId: null, superseded: [], rowsLoaded, findings, summary,
      rowsRejected: rejectedRows(findings), warnings: findings.filter((f) => f.severity === 'warning').length,
    };
  } catch (err) {
    if (!(err instanceof FileRejected)) throw err;
    return {
      file: path, kind: kind ?? 'unknown', status: 'rejected', loadId: null, superseded: [], rowsLoaded: {},
      findings: [...findings, ...err.findings], summary: null, rowsRejected: 0,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    };
  }
}

/** Appends canonical rows to loaded.<table> inside the open transaction, with provenance. */
class StoreSink implements RecordSink {
  readonly findings: Finding[] = [];
  readonly counts: Record<string, number> = {};
  private appenders = new Map<TableName, { appender: DuckDBAppender; columns: string[] }>();
  private pending = new Map<TableName, { row: Row<TableName>; sourceRow: number | null }[]>();
  private total = 0;

  constructor(
    private store: Store,
    private loadId: number,
    private sourceFile: string,
    private onProgress?: (rows: number) => void,
  ) {}

  add<T extends TableName>(table: T, row: Row<T>, sourceRow: number | null): void {
    let list = this.pending.get(table);
    if (!list) this.pending.set(table, (list = []));
    list.push({ row: row as Row<TableName>, sourceRow });
    this.counts[table] = (this.counts[table] ?? 0) + 1;
    this.total++;
    if (this.onProgress && this.total % 5000 === 0) this.onProgress(this.total);
  }

  finding(f: Finding): void {
    this.findings.push(f);
  }

  /** Appenders are created asynchronously, so rows are buffered briefly and written here. */
  async flush(): Promise<void> {
    for (const [table, rows] of this.pending) {
      if (rows.length === 0) continue;
      let a = this.appenders.get(table);
      if (!a) {
        a = { appender: await this.store.conn.createAppender(table, 'loaded'), columns: columnsOf(table) };
        this.appenders.set(table, a);
      }
      const { appender, columns } = a;
      for (const { row, sourceRow } of rows) {
        const r = row as Record<string, unknown>;
        for (const c of columns) {
          const v = r[c];
          if (v === null || v === undefined) appender.appendNull();
          else if (typeof v === 'boolean') appender.appendBoolean(v);
          else if (typeof v === 'number') {
            if (Number.isInteger(v)) appender.appendInteger(v);
            else appender.appendDouble(v);
          } else appender.appendVarchar(String(v));
        }
        appender.appendInteger(this.loadId);
        appender.appendVarchar(this.sourceFile);
        if (sourceRow === null) appender.appendNull();
        else appender.appendInteger(sourceRow);
        appender.endRow();
      }
      rows.length = 0;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    for (const { appender } of this.appenders.values()) appender.closeSync();
    this.appenders.clear();
  }

  /**
   * Drops rows not yet written, for a load that failed. An appender left open flushes its buffered rows
   * when it is closed or garbage-collected — into whatever transaction is open then, long after this
   * load's was rolled back — so it is cleared and closed now.
   */
  discard(): void {
    for (const { appender } of this.appenders.values()) {
      try { appender.clear(); appender.closeSync(); } catch { /* the connection is gone: nothing can be flushed */ }
    }
    this.appenders.clear();
    this.pending.clear();
  }
}

/**
 * Wraps a sink so buffered rows are flushed to DuckDB regularly while the reader streams;
 * readers call add() synchronously, so we flush between their async steps.
 */
function flushingSink(sink: StoreSink): RecordSink & { drain(): Promise<void> } {
  let buffered = 0;
  let chain: Promise<void> = Promise.resolve();
  return {
    add(table, row, sourceRow) {
      sink.add(table, row, sourceRow);
      if (++buffered >= 20000) {
        buffered = 0;
        chain = chain.then(() => sink.flush());
        chain.catch(() => undefined); // reported by drain(); not an unhandled rejection if the reader fails first
      }
    },
    finding: (f) => sink.finding(f),
    drain: () => chain,
  };
}

async function insertFindings(store: Store, loadId: number, findings: Finding[]): Promise<void> {
  if (findings.length === 0) return;
  const appender = await store.conn.createAppender('findings');
  for (const f of findings) {
    appender.appendInteger(loadId);
    for (const v of [f.ruleset, f.code, f.severity, f.file]) appender.appendVarchar(v);
    if (f.row === null) appender.appendNull(); else appender.appendInteger(f.row);
    for (const v of [f.section ?? null, f.field, f.value, f.childId ?? null]) {
      if (v === null || v === undefined) appender.appendNull(); else appender.appendVarchar(v);
    }
    appender.appendVarchar(f.message);
    appender.endRow();
  }
  appender.closeSync();
}

async function nextLoadId(store: Store): Promise<number> {
  const rows = await store.query<{ id: number }>(`SELECT nextval('load_id_seq')::INTEGER AS id`);
  return rows[0].id;
}

/**
 * Loads one file. Never throws for bad input: a refused file comes back with status 'rejected' and its findings.
 * Writes a 'load' audit row whatever the outcome (detail.outcome: loaded, rejected or unchanged).
 */
export async function loadFile(store: Store, path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const kind = detectKind(path);
  const hash = await hashFile(path);
  options.onPhase?.('hashed');
  return store.exclusive('load', () => loadHashed(store, path, kind, hash, options));
}

async function loadHashed(store: Store, path: string, kind: SourceKind | null, hash: string, options: LoadOptions): Promise<LoadResult> {
  const fileName = basename(path);
  const bytes = statSync(path).size;
  const base = { file: path, superseded: [] as number[], rowsRejected: 0, warnings: 0, summary: null };
  const loadedBy = options.user ?? options.actor?.username ?? null;
  const about = { file: fileName, kind: kind ?? 'unknown', sha256: hash, bytes };

  if (kind) {
    // The same bytes for another year are another return (an SSDA903 table can be empty two years running).
    const year = kind === 'ssda903' ? (options.collectionYear ?? collectionYearFromPath(path) ?? null) : null;
    const same = await store.query<{ load_id: number }>(
      `SELECT load_id FROM loads WHERE file_hash = ? AND kind = ? AND status = 'active'
         AND (? IS NULL OR collection_year = ?) ORDER BY load_id DESC LIMIT 1`,
      [hash, kind, year, year],
    );
    if (same.length > 0) {
      await appendAudit(store, entryBy(options.actor, 'load', String(same[0].load_id), { ...about, outcome: 'unchanged' }));
      return { ...base, kind, status: 'unchanged', loadId: same[0].load_id, rowsLoaded: {}, findings: [] };
    }
  }

  const loadId = await nextLoadId(store);
  const recordRejection = async (err: FileRejected, earlier: Finding[]): Promise<LoadResult> => {
    const findings = [...earlier, ...err.findings];
    await store.transaction(async () => {
      await store.run(
        `INSERT INTO loads (load_id, kind, file_name, file_hash, file_bytes, loaded_at, loaded_by, status, rows_read, rows_loaded, rows_rejected, warnings, summary)
         VALUES (?, ?, ?, ?, ?, current_timestamp, ?, 'rejected', 0, 0, 0, 0, ?)`,
        [loadId, kind ?? 'unknown', fileName, hash, bytes, loadedBy, JSON.stringify({ reason: err.message })],
      );
      await insertFindings(store, loadId, findings);
      await appendAuditInTransaction(store, entryBy(options.actor, 'load', String(loadId), {
        ...about, outcome: 'rejected', reason: err.message, findings: findings.length,
      }));
    });
    return { ...base, kind: kind ?? 'unknown', status: 'rejected', loadId, rowsLoaded: {}, findings };
  };
  if (!kind) return recordRejection(unknownKind(path), []);

  const known: SourceKind = kind;
  const sink = new StoreSink(store, loadId, fileName, options.onProgress);
  const flushing = flushingSink(sink);
  const readAndRecord = async (): Promise<LoadResult> => {
    const summary = await readFile(known, path, flushing, options.collectionYear);
    if (summary.collectionYear === undefined && kind === 'ssda903') {
      summary.collectionYear = options.collectionYear ?? collectionYearFromPath(path);
      if (summary.collectionYear !== undefined) {
        summary.periodStart ??= `${summary.collectionYear}-04-01`;
        summary.periodEnd ??= `${summary.collectionYear + 1}-03-31`;
      }
    }
    await flushing.drain();
    await sink.close();
    options.onPhase?.('read');
    const findings = [...sink.findings, ...(await crossRecordFindings(store, loadId, fileName))];
    const rowsRejected = rejectedRows(findings);
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const rowsLoaded = Object.values(sink.counts).reduce((a, b) => a + b, 0);
    await store.run(
      `INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, current_timestamp, ?, 'active', NULL, ?, ?, ?, ?, ?)`,
      [
        loadId, known, summary.parts.length === 1 ? summary.parts[0] : null, fileName, hash, bytes,
        summary.collectionYear ?? null, summary.periodStart ?? null, summary.periodEnd ?? null, loadedBy,
        rowsLoaded + rowsRejected, rowsLoaded, rowsRejected, warnings,
        JSON.stringify({ parts: summary.parts, rows: sink.counts, columnMap: summary.columnMap ?? null }),
      ],
    );
    const superseded = await supersede(store, loadId);
    await insertFindings(store, loadId, findings);
    await store.refreshCurrent(await tablesOfLoads(store, [loadId, ...superseded]), [loadId, ...superseded]);
    await appendAuditInTransaction(store, entryBy(options.actor, 'load', String(loadId), {
      ...about, outcome: 'loaded', part: summary.parts.length === 1 ? summary.parts[0] : null,
      collectionYear: summary.collectionYear ?? null, rows: sink.counts, rowsRejected, warnings, superseded,
    }));
    options.onPhase?.('commit');
    return { ...base, kind: known, status: 'loaded' as const, loadId, superseded, rowsLoaded: sink.counts, rowsRejected, warnings, findings, summary };
  };
  try {
    const result = await store.transaction(async () => {
      options.onPhase?.('begin');
      try {
        return await readAndRecord();
      } catch (err) {
        sink.discard();
        throw err;
      }
    });
    options.onPhase?.('committed');
    return result;
  } catch (err) {
    if (err instanceof FileRejected) return recordRejection(err, sink.findings);
    throw err;
  }
}

/**
 * A load replaces earlier active loads of the same return, part and period: a corrected CIN census for
 * 2024-25 replaces the first one sent; Annex A workbooks replace one with the same end date.
 * Native events never supersede: each batch adds to the feed, and record keys keep the latest state.
 */
async function supersede(store: Store, loadId: number): Promise<number[]> {
  const rows = await store.query<{ load_id: number }>(
    `SELECT o.load_id FROM loads o JOIN loads n ON n.load_id = ?
     WHERE o.load_id <> n.load_id AND o.status = 'active' AND o.kind = n.kind AND n.kind <> 'events'
       AND o.part IS NOT DISTINCT FROM n.part
       AND (n.collection_year IS NOT NULL OR n.period_end IS NOT NULL)
       AND o.collection_year IS NOT DISTINCT FROM n.collection_year
       AND o.period_end IS NOT DISTINCT FROM n.period_end`,
    [loadId],
  );
  const ids = rows.map((r) => r.load_id);
  if (ids.length > 0) {
    await store.run(`UPDATE loads SET status = 'superseded', superseded_by = ? WHERE load_id IN (${ids.join(',')})`, [loadId]);
  }
  return ids;
}

/** The canonical tables that these loads brought rows into: only those need their current state rebuilt. */
async function tablesOfLoads(store: Store, loadIds: number[]): Promise<TableName[]> {
  const rows = await store.query<{ summary: string | null }>(`SELECT summary FROM loads WHERE load_id IN (${loadIds.join(',')})`);
  const tables = new Set<string>();
  for (const r of rows) {
    const counts = r.summary ? (JSON.parse(r.summary).rows as Record<string, number> | undefined) : undefined;
    for (const t of Object.keys(counts ?? {})) tables.add(t);
  }
  return TABLE_NAMES.filter((t) => tables.has(t));
}

/** Undoes a load: its records leave the current state and the loads it superseded come back. Audited as 'rollback'. */
export async function rollbackLoad(store: Store, loadId: number, options: { actor?: Actor } = {}): Promise<{ restored: number[] }> {
  return store.exclusive('load', () => store.transaction(async () => {
    const rows = await store.query<{ status: string; file_name: string; kind: string }>('SELECT status, file_name, kind FROM loads WHERE load_id = ?', [loadId]);
    if (rows.length === 0) throw new Error(`There is no load ${loadId}: see 'csc loads list'`);
    if (rows[0].status !== 'active') throw new Error(`Load ${loadId} is ${rows[0].status}, not active: only an active load can be rolled back`);
    await store.run(`UPDATE loads SET status = 'rolled_back' WHERE load_id = ?`, [loadId]);
    const restored = await store.query<{ load_id: number }>(
      `SELECT load_id FROM loads WHERE superseded_by = ? AND status = 'superseded'`, [loadId],
    );
    await store.run(`UPDATE loads SET status = 'active', superseded_by = NULL WHERE superseded_by = ? AND status = 'superseded'`, [loadId]);
    const touched = [loadId, ...restored.map((r) => r.load_id)];
    await store.refreshCurrent(await tablesOfLoads(store, touched), touched);
    await appendAuditInTransaction(store, entryBy(options.actor, 'rollback', String(loadId), {
      file: rows[0].file_name, kind: rows[0].kind, restored: restored.map((r) => r.load_id),
    }));
    return { restored: restored.map((r) => r.load_id) };
  }));
}

export interface LoadRow {
  load_id: number; kind: string; part: string | null; file_name: string; collection_year: number | null;
  period_start: string | null; period_end: string | null; loaded_at: string; loaded_by: string | null; status: string;
  superseded_by: number | null; rows_loaded: number; rows_rejected: number; warnings: number;
}

export async function listLoads(store: Store): Promise<LoadRow[]> {
  return store.query<LoadRow>(
    `SELECT load_id, kind, part, file_name, collection_year, period_start, period_end, loaded_at, loaded_by, status,
            superseded_by, rows_loaded, rows_rejected, warnings FROM loads ORDER BY load_id`,
  );
}

export async function loadFindings(store: Store, loadId: number): Promise<Finding[]> {
  const rows = await store.query<Record<string, unknown>>('SELECT * FROM findings WHERE load_id = ? ORDER BY row NULLS FIRST, code', [loadId]);
  return rows.map((r) => ({
    ruleset: r.ruleset as Finding['ruleset'], code: r.code as string, severity: r.severity as Finding['severity'],
    file: r.file as string, row: r.row as number | null, section: r.section as string | null, field: r.field as string | null,
    value: r.value as string | null, childId: r.child_id as string | null, message: r.message as string,
  }));
}

