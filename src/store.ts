// The embedded store: one DuckDB file holding every load ever made and the current state built from them.
//
// Layout:
//   schema `loaded`  — every row every load brought, with provenance (load_id, source_file, source_row);
//                      never updated, only added to, so any earlier state can be rebuilt.
//   schema `main`    — the current state the indicator engine reads: for each canonical table, the rows of
//                      active loads, one per record key, the latest known state kept (see refreshCurrent).
//   loads, findings  — what was loaded when, by whom, its status, and every validation finding.
//   calendar         — one row per day with a working-day index, so SQL counts working days as calendar.ts does.
// Migrations run on open; `schema_version` records which have been applied.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { TABLES, TABLE_NAMES, columnsOf, type ColumnType, type TableName } from './model.ts';
import { workingDayCalendar } from './calendar.ts';
import { commitWithAudit, type AuditEntry, type AuditRow } from './audit.ts';

export const DEFAULT_DB_PATH = './data/csc.duckdb';

const SQL_TYPE: Record<ColumnType, string> = {
  text: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', int: 'INTEGER', bool: 'BOOLEAN', real: 'DOUBLE',
};

/** Provenance carried by every stored record: the load that brought it and the file and line it came from. */
export const PROVENANCE_COLUMNS = ['load_id', 'source_file', 'source_row'] as const;

/** Which kind of source wins a record (lowest first): the statutory returns, then the event feed, then Annex A. Of loads `l`. */
const KIND_RANK_SQL = `CASE l.kind WHEN 'cin_census' THEN 1 WHEN 'ssda903' THEN 1 WHEN 'events' THEN 2 ELSE 3 END`;

function tableDdl(schema: string, table: TableName): string {
  const spec = TABLES[table];
  const cols = Object.entries(spec.columns).map(([name, type]) => `${name} ${SQL_TYPE[type as ColumnType]}`);
  cols.push('load_id INTEGER NOT NULL', 'source_file VARCHAR', 'source_row INTEGER');
  return `CREATE TABLE IF NOT EXISTS ${schema}.${table} (${cols.join(', ')})`;
}

interface Migration {
  version: number;
  description: string;
  up: (conn: DuckDBConnection) => Promise<void>;
}

/** Append-only list: never edit a migration that has shipped; add a new one. */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'canonical tables, loads, findings, working-day calendar',
    up: async (conn) => {
      await conn.run('CREATE SCHEMA IF NOT EXISTS loaded');
      for (const t of TABLE_NAMES) {
        await conn.run(tableDdl('loaded', t));
        await conn.run(tableDdl('main', t));
      }
      await conn.run(`CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1`);
      await conn.run(`CREATE TABLE IF NOT EXISTS loads (
        load_id INTEGER PRIMARY KEY,
        kind VARCHAR NOT NULL,          -- annex_a | cin_census | ssda903 | events
        part VARCHAR,                   -- e.g. the SSDA903 table ('episodes'), null for whole-return files
        file_name VARCHAR NOT NULL,
        file_hash VARCHAR NOT NULL,     -- sha256 of the file's bytes
        file_bytes BIGINT,
        collection_year INTEGER,        -- reporting year start (2024 = 2024-25), when known
        period_start DATE,
        period_end DATE,
        loaded_at TIMESTAMP NOT NULL,
        loaded_by VARCHAR,
        status VARCHAR NOT NULL,        -- active | superseded | rolled_back | rejected
        superseded_by INTEGER,
        rows_read INTEGER,
        rows_loaded INTEGER,
        rows_rejected INTEGER,
        warnings INTEGER,
        summary JSON
      )`);
      await conn.run(`CREATE TABLE IF NOT EXISTS findings (
        load_id INTEGER NOT NULL, ruleset VARCHAR, code VARCHAR NOT NULL, severity VARCHAR NOT NULL,
        file VARCHAR, row INTEGER, section VARCHAR, field VARCHAR, value VARCHAR, child_id VARCHAR, message VARCHAR NOT NULL
      )`);
      await conn.run(`CREATE TABLE IF NOT EXISTS calendar (date DATE PRIMARY KEY, is_working_day BOOLEAN NOT NULL, working_day_index INTEGER NOT NULL)`);
      const appender = await conn.createAppender('calendar');
      for (const day of workingDayCalendar()) {
        appender.appendVarchar(day.date);
        appender.appendBoolean(day.isWorkingDay);
        appender.appendInteger(day.workingDayIndex);
        appender.endRow();
      }
      appender.closeSync();
    },
  },
  {
    version: 2,
    description: 'judgement: targets set by analysts, benchmarks, commentary, aggregate measures, published snapshots',
    up: async (conn) => {
      // Targets edited by an analyst; config/targets.json holds the shipped defaults. Latest row per indicator and year wins.
      await conn.run(`CREATE TABLE IF NOT EXISTS targets (
        indicator_id VARCHAR NOT NULL, year INTEGER NOT NULL,  -- reporting year start (2024 = 2024-25)
        target DOUBLE NOT NULL, amber DOUBLE NOT NULL,          -- amber band width
        amber_kind VARCHAR NOT NULL,                            -- 'points' (same unit as the value) | 'percent' (of the target)
        set_by VARCHAR, set_at TIMESTAMP NOT NULL)`);
      // England, region, statistical neighbour and single-LA values by indicator and reporting year.
      await conn.run(`CREATE TABLE IF NOT EXISTS benchmarks (
        indicator_id VARCHAR NOT NULL, year INTEGER NOT NULL,
        area_kind VARCHAR NOT NULL,                             -- 'england' | 'region' | 'statistical_neighbours' | 'la'
        area_code VARCHAR NOT NULL, area_name VARCHAR, value DOUBLE NOT NULL,
        source VARCHAR, imported_at TIMESTAMP NOT NULL)`);
      // Analysts' commentary per indicator and period: every version kept, the latest shown.
      await conn.run(`CREATE TABLE IF NOT EXISTS commentary (
        indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL, text VARCHAR NOT NULL,
        author VARCHAR NOT NULL, written_at TIMESTAMP NOT NULL)`);
      // Figures that arrive as aggregates (calls answered, survey results), entered or imported per month.
      await conn.run(`CREATE TABLE IF NOT EXISTS aggregate_values (
        measure_id VARCHAR NOT NULL, month VARCHAR NOT NULL,    -- 'YYYY-MM'
        numerator DOUBLE, denominator DOUBLE, value DOUBLE NOT NULL,
        source VARCHAR, entered_by VARCHAR, entered_at TIMESTAMP NOT NULL)`);
      // Published (frozen) scorecards: never updated; later figures show as revisions against them.
      await conn.run(`CREATE SEQUENCE IF NOT EXISTS publication_id_seq START 1`);
      await conn.run(`CREATE TABLE IF NOT EXISTS publications (
        publication_id INTEGER PRIMARY KEY, month VARCHAR NOT NULL, team VARCHAR,
        published_at TIMESTAMP NOT NULL, published_by VARCHAR, data_version VARCHAR, note VARCHAR)`);
      await conn.run(`CREATE TABLE IF NOT EXISTS published_figures (
        publication_id INTEGER NOT NULL, indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        numerator DOUBLE, denominator DOUBLE, value DOUBLE, target DOUBLE, rag VARCHAR, judgement JSON)`);
    },
  },
  {
    version: 3,
    description: 'exception reasons recorded by managers against the children behind late or failing figures',
    up: async (conn) => {
      // One row per reason recorded; the latest for an indicator, child and record is the one in force.
      await conn.run(`CREATE TABLE IF NOT EXISTS exception_reasons (
        indicator_id VARCHAR NOT NULL,
        child_id VARCHAR NOT NULL,
        record VARCHAR NOT NULL,       -- which of the child's records: the deciding date (e.g. the assessment start)
        period VARCHAR,                -- the period the manager was looking at when recording it
        code VARCHAR NOT NULL,         -- from config/exception-reasons.json
        note VARCHAR,
        recorded_by VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL)`);
    },
  },
  {
    version: 4,
    description: 'security: user accounts, sessions and the append-only, hash-chained audit log',
    up: async (conn) => {
      await conn.run(`CREATE TABLE IF NOT EXISTS users (
        username VARCHAR PRIMARY KEY, display_name VARCHAR,
        role VARCHAR NOT NULL,                 -- admin | analyst | manager | viewer
        teams VARCHAR,                         -- managers: comma-separated team names whose children they may see
        password_hash VARCHAR NOT NULL,        -- scrypt, with its salt and parameters; never logged
        disabled BOOLEAN NOT NULL DEFAULT false, must_change_password BOOLEAN NOT NULL DEFAULT false,
        failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP,
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`);
      await conn.run(`CREATE TABLE IF NOT EXISTS sessions (
        session_id VARCHAR PRIMARY KEY,        -- a hash of the random token in the cookie, never the token itself
        username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL,
        last_seen_at TIMESTAMP NOT NULL, ip VARCHAR, csrf_token VARCHAR NOT NULL, ended_at TIMESTAMP)`);
      // Append-only: rows are never updated or deleted; each row's hash covers the previous row's hash.
      await conn.run(`CREATE SEQUENCE IF NOT EXISTS audit_seq START 1`);
      await conn.run(`CREATE TABLE IF NOT EXISTS audit_log (
        seq BIGINT PRIMARY KEY, logged_at TIMESTAMP NOT NULL, username VARCHAR, ip VARCHAR,
        action VARCHAR NOT NULL,               -- e.g. view.child, export.children_csv, load, rollback, publish, user.add
        target VARCHAR,                        -- what it was about: a child id, indicator, load id, user name
        detail JSON, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)`);
    },
  },
  {
    version: 5,
    description: 'workforce and voice: supervisions, the CSWW return (workers, vacancies), survey responses',
    up: async (conn) => {
      // Canonical tables added since version 1 (which creates every table model.ts had then): create the missing ones.
      for (const t of ['supervisions', 'csww_workers', 'csww_vacancies', 'survey_responses'] as const) {
        await conn.run(tableDdl('loaded', t));
        await conn.run(tableDdl('main', t));
      }
    },
  },
  {
    version: 6,
    description: 'computed scorecards kept by data version (scorecardCache.ts)',
    up: async (conn) => {
      await conn.run(`CREATE TABLE IF NOT EXISTS scorecard_cache (
        cache_key VARCHAR PRIMARY KEY, data_version VARCHAR NOT NULL, computed_at TIMESTAMP NOT NULL, lines JSON NOT NULL)`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** A JS value for a DuckDB value: BIGINT → number, DATE → 'YYYY-MM-DD', TIMESTAMP → 'YYYY-MM-DDTHH:MM:SS'. */
export function toJs(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  const name = value.constructor?.name;
  if (name === 'DuckDBDateValue') return String(value);
  if (name === 'DuckDBTimestampValue') return String(value).replace(' ', 'T');
  if (name === 'DuckDBDecimalValue') return Number(String(value));
  if (name === 'DuckDBListValue') return (value as unknown as { items: DuckDBValue[] }).items.map(toJs);
  return String(value);
}

export type Params = Record<string, string | number | boolean | null> | (string | number | boolean | null)[];

/** The store whose transaction the current async call chain is inside (to refuse nesting, and to attach audit rows). */
const inTransaction = new AsyncLocalStorage<Store>();

// One queue per database file and purpose (see Store.exclusive). Only one process can open a DuckDB file
// for writing, so queues within this process are enough.
const queues = new Map<string, Promise<unknown>>();

/** An audit row waiting for its transaction to commit. */
export interface PendingAudit {
  entry: AuditEntry;
  written?: (row: AuditRow) => void;
}

export class Store {
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static async open(path: string = process.env.CSC_DB ?? DEFAULT_DB_PATH): Promise<Store> {
    const full = path === ':memory:' ? path : resolve(path);
    if (full !== ':memory:') mkdirSync(dirname(full), { recursive: true });
    const instance = await DuckDBInstance.create(full);
    const conn = await instance.connect();
    const store = new Store(full, instance, conn);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    await this.conn.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)');
    const applied = new Set((await this.query<{ version: number }>('SELECT version FROM schema_version')).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await this.transaction(async () => {
        await m.up(this.conn);
        await this.run('INSERT INTO schema_version VALUES (?, ?, current_timestamp)', [m.version, m.description]);
      });
    }
  }

  /**
   * Another connection to the same database, with its own transactions: a load run on it does not
   * interleave with the queries of this one (the web server loads uploads this way). Close it after use;
   * the database stays open until the original store is closed.
   */
  async fork(): Promise<Store> {
    const conn = await this.instance.connect();
    const forked = new Store(this.path, this.instance, conn);
    forked.forked = true;
    return forked;
  }

  private forked = false;
  /** The open transaction on this connection, one at a time (see transaction). */
  private txQueue: Promise<unknown> = Promise.resolve();
  private pendingAudit: PendingAudit[] = [];

  async schemaVersion(): Promise<number> {
    const rows = await this.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    return rows[0]?.v ?? 0;
  }

  /** Runs a statement; parameters bind to `?` (array) or `$name` (object). */
  async run(sql: string, params?: Params): Promise<void> {
    if (params === undefined) await this.conn.run(sql);
    else await this.conn.run(sql, params as never);
  }

  /** Runs a query and returns plain JS objects (see toJs for type conversions). */
  async query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = params === undefined ? await this.conn.runAndReadAll(sql) : await this.conn.runAndReadAll(sql, params as never);
    const names = reader.columnNames();
    return reader.getRows().map((row) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) o[names[i]] = toJs(row[i]);
      return o as T;
    });
  }

  /**
   * Runs fn inside one transaction: all of it is kept, or (on any error, or a crash) none of it.
   * Transactions on one connection (this Store) take turns, so two callers sharing it (the server's
   * request handlers) never interleave a BEGIN; a transaction inside another on the same store is refused
   * (DuckDB has none). Audit rows queued by appendAuditInTransaction are written as it commits.
   */
  async transaction<R>(fn: () => Promise<R>): Promise<R> {
    if (inTransaction.getStore() === this) throw new Error('store.transaction inside a transaction on the same store: DuckDB has no nested transactions');
    const run = () => inTransaction.run(this, async () => {
      await this.conn.run('BEGIN TRANSACTION');
      this.pendingAudit = [];
      try {
        const result = await fn();
        const audit = this.pendingAudit.splice(0);
        if (audit.length > 0) await commitWithAudit(this, audit, async () => { await this.conn.run('COMMIT'); });
        else await this.conn.run('COMMIT');
        return result;
      } catch (err) {
        this.pendingAudit = [];
        // A failed COMMIT has already ended the transaction; the original error is the one to report.
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    const next = this.txQueue.then(run, run);
    this.txQueue = next.catch(() => undefined);
    return next;
  }

  /** True inside fn of this store's transaction (in the same async call chain). */
  get inTransaction(): boolean {
    return inTransaction.getStore() === this;
  }

  /** Queues an audit row for the open transaction (audit.ts appendAuditInTransaction); written as it commits. */
  queueAudit(pending: PendingAudit): void {
    if (!this.inTransaction) throw new Error('appendAuditInTransaction outside a store.transaction on that store: use appendAudit');
    this.pendingAudit.push(pending);
  }

  /**
   * Runs fn when no other fn with the same name runs on this database file in this process (any Store or
   * fork of it): loads and rollbacks take turns, so two cannot both supersede the same return.
   */
  exclusive<R>(name: string, fn: () => Promise<R>): Promise<R> {
    const key = `${name}\u0000${this.path}`;
    const next = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
    return next;
  }

  /**
   * Rebuilds the current state of each table from the rows of active loads: one row per record key.
   * The statutory returns (CIN census, SSDA903) win over the event feed, and both over Annex A, which
   * carries fewest fields; within a kind the latest known state is kept — the load whose period ends
   * latest, then the most recent load.
   * So a record seen in two yearly returns (an episode open at 31 March and closed the next year) is
   * one record, and a superseded or rolled-back load contributes nothing.
   * A column the winning row leaves empty is filled from the best row of another kind of source that has
   * it (the census carries no "child seen" or team; Annex A and the event feed do). Older loads of the
   * winning kind never fill it: a value a later return removed stays removed.
   */
  async refreshCurrent(tables: readonly TableName[] = TABLE_NAMES, onlyKeysOf?: readonly number[], options: { general?: boolean } = {}): Promise<void> {
    const ids = onlyKeysOf?.map((id) => { if (!Number.isInteger(id)) throw new Error(`load id ${id} is not an integer`); return id; });
    for (const t of tables) {
      const keyCols = TABLES[t].key as readonly string[];
      const key = keyCols.map((k) => `r.${k}`).join(', ');
      const cols = columnsOf(t).map((c) => keyCols.includes(c)
        ? c
        : `coalesce(arg_min(${c}, rn) FILTER (WHERE rn = 1), arg_min(${c}, rn) FILTER (WHERE kind_rank <> winner_rank AND ${c} IS NOT NULL)) AS ${c}`);
      const provenance = PROVENANCE_COLUMNS.map((c) => `arg_min(${c}, rn) AS ${c}`);
      // A record's current row depends only on the rows with its key, so after a load (or rollback) only the
      // keys those loads carry are rebuilt: each load then costs what it brings, not the whole history again.
      const touched = (alias: string) => ids
        ? `EXISTS (SELECT 1 FROM loaded.${t} a WHERE a.load_id IN (${ids.join(',')}) AND ${keyCols.map((k) => `a.${k} IS NOT DISTINCT FROM ${alias}.${k}`).join(' AND ')})`
        : 'true';
      await this.conn.run(ids ? `DELETE FROM main.${t} m WHERE ${touched('m')}` : `DELETE FROM main.${t}`);
      // When every active load with rows in the table is of one kind, no column is filled from another kind:
      // the current row is simply the winning row, which is much cheaper than an aggregate per column
      // (a 1,000,000-row episodes file: 2.5 s). `general` forces the general form (the tests compare them).
      const [{ kinds }] = await this.query<{ kinds: number }>(`SELECT count(DISTINCT ${KIND_RANK_SQL})::INTEGER AS kinds FROM loads l
        WHERE l.status = 'active' AND l.load_id IN (SELECT DISTINCT load_id FROM loaded.${t})`);
      if (kinds <= 1 && !options.general) {
        await this.conn.run(`INSERT INTO main.${t}
          SELECT ${[...columnsOf(t), ...PROVENANCE_COLUMNS].join(', ')} FROM (
            SELECT r.*, row_number() OVER (PARTITION BY ${key} ORDER BY l.period_end DESC NULLS LAST, r.load_id DESC, r.source_row DESC) AS rn
            FROM loaded.${t} r JOIN loads l ON l.load_id = r.load_id
            WHERE l.status = 'active' AND ${touched('r')})
          WHERE rn = 1`);
        continue;
      }
      await this.conn.run(`INSERT INTO main.${t}
        WITH ranked AS (
          SELECT r.*, ${KIND_RANK_SQL} AS kind_rank,
            row_number() OVER (PARTITION BY ${key}
              ORDER BY ${KIND_RANK_SQL},
                l.period_end DESC NULLS LAST, r.load_id DESC, r.source_row DESC) AS rn
          FROM loaded.${t} r JOIN loads l ON l.load_id = r.load_id
          WHERE l.status = 'active' AND ${touched('r')}),
        winners AS (SELECT *, min(kind_rank) OVER (PARTITION BY ${keyCols.join(', ')}) AS winner_rank FROM ranked)
        SELECT ${[...cols, ...provenance].join(', ')}
        FROM winners GROUP BY ${keyCols.join(', ')}`);
    }
  }

  /**
   * Changes whenever what the pages show changes: a load, a rollback, a supersede, a target, an aggregate
   * figure, commentary or an exception reason.
   * Computed results (scorecards, charts) are cached under it.
   */
  async dataVersion(): Promise<string> {
    const [r] = await this.query<{ v: string }>(`SELECT concat_ws('/',
        (SELECT coalesce(max(load_id), 0) FROM loads),
        (SELECT count(*) FROM loads WHERE status = 'active'),
        (SELECT coalesce(string_agg(DISTINCT load_id::VARCHAR ORDER BY load_id::VARCHAR), '') FROM loads WHERE status <> 'active'),
        (SELECT coalesce(CAST(max(set_at) AS VARCHAR), '') FROM targets),
        (SELECT count(*) || ':' || coalesce(CAST(max(entered_at) AS VARCHAR), '') FROM aggregate_values),
        (SELECT count(*) || ':' || coalesce(CAST(max(written_at) AS VARCHAR), '') FROM commentary),
        (SELECT count(*) || ':' || coalesce(CAST(max(recorded_at) AS VARCHAR), '') FROM exception_reasons)) AS v`);
    return r.v;
  }

  /** The first and last day the active loads cover (null when nothing is loaded): the data's range. */
  async dataRange(): Promise<{ first: string | null; last: string | null }> {
    const [r] = await this.query<{ first: string | null; last: string | null }>(
      `SELECT CAST(min(period_start) AS VARCHAR) AS first, CAST(max(period_end) AS VARCHAR) AS last FROM loads WHERE status = 'active'`);
    return { first: r?.first ?? null, last: r?.last ?? null };
  }

  async counts(schema: 'main' | 'loaded' = 'main'): Promise<Record<TableName, number>> {
    const parts = TABLE_NAMES.map((t) => `SELECT '${t}' AS t, count(*)::INTEGER AS n FROM ${schema}.${t}`).join(' UNION ALL ');
    const rows = await this.query<{ t: TableName; n: number }>(parts);
    return Object.fromEntries(rows.map((r) => [r.t, r.n])) as Record<TableName, number>;
  }

  private reader: Promise<DuckDBConnection> | null = null;
  /**
   * A connection of this store's that never opens a transaction, so it always reads what has been committed
   * (an open transaction reads its own snapshot). Made once and kept: connecting per read is a cost on every
   * audited page view.
   */
  committedReader(): Promise<DuckDBConnection> {
    return (this.reader ??= this.instance.connect().then((c) => (this.readerConn = c)));
  }
  private readerConn: DuckDBConnection | null = null;

  private writer: Promise<Store> | null = null;
  /** A fork kept for grouped audit writes (page views), so their transactions run beside the pages' queries. */
  auditWriter(): Promise<Store> {
    return (this.writer ??= this.fork().then((f) => (this.writerStore = f)));
  }
  private writerStore: Store | null = null;

  close(): void {
    this.writerStore?.close();
    this.writerStore = null;
    this.writer = null;
    this.readerConn?.closeSync();
    this.readerConn = null;
    this.reader = null;
    this.conn.closeSync();
    if (!this.forked) this.instance.closeSync();
  }
}
