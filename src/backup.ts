// Backup and restore of the store.
//
// backup(store, out) copies the whole database while the application keeps running: a second connection
// to the same DuckDB instance ATTACHes a new file and runs `COPY FROM DATABASE` into it — one read
// transaction, so the copy is a consistent snapshot even while a load commits — then checkpoints and
// detaches the copy. Beside it goes `<out>.manifest.json`: the copy's size and sha256, the schema version,
// the row count of every table, and the audit log's head (last seq and hash) and whether its chain verified.
//
// DuckDB lets one process at a time open a database file for writing, so a backup taken while `csc serve`
// runs must be taken by that process (backup(store, …) with its store); `csc backup` works when the server
// is stopped, or on a database no one has open.
//
// restore(backup, target) checks the checksum and the schema version, refuses to replace an existing
// database unless forced (and a database another process has open, always), copies the backup to a temporary
// file beside the target, checks that copy's counts and audit chain against the manifest, and swaps it in:
// the old database's WAL is first checkpointed into its file, the file is kept as `<target>.replaced-<time>`
// (a hard link), and the copy is renamed over the target — one atomic rename, so a crash at any moment leaves
// either the old database or the restored one at the target, never neither. Then it opens the restored store,
// checks it again and writes a 'restore' audit row in it (which names the database it replaced and that
// database's audit head, so the two logs can be read together).
//
// Both are audited ('backup' in the database backed up, 'restore' in the restored one) when given an actor
// or not; a backup of a database given by path (read-only) cannot be.
import { createHash } from 'node:crypto';
import {
  closeSync, copyFileSync, createReadStream, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Store, SCHEMA_VERSION, toJs } from './store.ts';
import { appendAudit, entryBy, verifyAudit, type Actor } from './audit.ts';

export const MANIFEST_FORMAT = 'csc-backup/1';

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  source: string;
  file: string;
  bytes: number;
  sha256: string;
  schemaVersion: number;
  /** Rows per table, keyed 'schema.table'. */
  tables: Record<string, number>;
  audit: { ok: boolean; rows: number; head: { seq: number; hash: string } | null };
}

export function manifestPath(backupFile: string): string {
  return `${backupFile}.manifest.json`;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

interface ReadOnlyDb {
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): void;
}

async function openReadOnly(path: string): Promise<ReadOnlyDb> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  return {
    async query<T>(sql: string): Promise<T[]> {
      const reader = await conn.runAndReadAll(sql);
      const names = reader.columnNames();
      return reader.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, toJs(row[i])])) as T);
    },
    close() { conn.closeSync(); instance.closeSync(); },
  };
}

type Queryable = { query<T = Record<string, unknown>>(sql: string): Promise<T[]> };

/** Row counts of every base table of the database, keyed 'schema.table'. */
async function tableCounts(db: Queryable, catalog?: string): Promise<Record<string, number>> {
  const filter = catalog ? `database_name = ${sqlString(catalog)}` : 'database_name = current_database()';
  const tables = await db.query<{ s: string; t: string; d: string }>(
    `SELECT database_name AS d, schema_name AS s, table_name AS t FROM duckdb_tables() WHERE ${filter} AND NOT internal AND NOT temporary ORDER BY 1, 2, 3`);
  if (tables.length === 0) return {};
  const parts = tables.map((x) => `SELECT ${sqlString(`${x.s}.${x.t}`)} AS k, count(*)::BIGINT AS n FROM ${ident(x.d)}.${ident(x.s)}.${ident(x.t)}`);
  const rows = await db.query<{ k: string; n: number }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.k, r.n]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

async function schemaVersionOf(db: Queryable): Promise<number> {
  try {
    const [r] = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    return r?.v ?? 0;
  } catch {
    return 0;
  }
}

function tempBeside(path: string, tag: string): string {
  return `${path}.${tag}-${process.pid}-${Date.now().toString(36)}.tmp`;
}

function removeDb(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

/** Flushes a file (or a folder's entries, after a rename) to the disk, so a power cut cannot undo it. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

export interface BackupOptions {
  /** replace an existing backup of that name */
  force?: boolean;
  /** who asked for it, and from where: the audit row's user and ip */
  actor?: Actor;
}

/**
 * Writes a consistent copy of the database to outFile (a DuckDB file) and its manifest beside it.
 * With a Store — the server's own — the copy is taken through another connection of the same database
 * while the store stays in use: one read transaction, so a load committing meanwhile is in the copy
 * wholly or not at all; the backup is then audited in the store ('backup'). With a path, the file is
 * opened read-only (it must not be open in another process) and nothing is audited.
 * outFile is a path on the server: a caller taking it from a request must choose it, not the user.
 */
export async function backup(source: Store | string, outFile: string, options: BackupOptions = {}): Promise<BackupManifest> {
  const out = resolve(outFile);
  if ((existsSync(out) || existsSync(manifestPath(out))) && !options.force) {
    throw new Error(`${outFile} already exists: choose another name, or force to replace it`);
  }
  mkdirSync(dirname(out), { recursive: true });
  const tmp = tempBeside(out, 'backup');
  const alias = `csc_backup_${process.pid}_${Date.now().toString(36)}`;
  let sourcePath: string;
  let ro: ReadOnlyDb | undefined;
  let conn: DuckDBConnection | undefined;
  let ownInstance: DuckDBInstance | undefined;
  try {
    if (typeof source === 'string') {
      sourcePath = resolve(source);
      if (!existsSync(sourcePath)) throw new Error(`There is no database at ${source}`);
      // An in-memory instance attaching the file read-only, so the copy can still be written.
      ownInstance = await DuckDBInstance.create(':memory:');
      conn = await ownInstance.connect();
      await conn.run(`ATTACH ${sqlString(sourcePath)} AS csc_source (READ_ONLY)`).catch((err: unknown) => {
        throw new Error(`Cannot open ${source} to back it up (${err instanceof Error ? err.message.split('\n')[0] : err}); if the server has it open, back up from the server or stop it first`);
      });
      await conn.run('USE csc_source');
    } else {
      sourcePath = source.path;
      conn = await source.instance.connect();
    }
    // The source catalog's name: ask DuckDB rather than guess it from the file name.
    const dbName = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0][0]);
    await conn.run(`ATTACH ${sqlString(tmp)} AS ${ident(alias)}`);
    try {
      // One transaction: every table is read from the same snapshot.
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run(`COPY FROM DATABASE ${ident(dbName)} TO ${ident(alias)}`);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await conn.run(`CHECKPOINT ${ident(alias)}`);
    } finally {
      await conn.run(`DETACH ${ident(alias)}`);
    }
  } catch (err) {
    removeDb(tmp);
    throw err;
  } finally {
    conn?.closeSync();
    ownInstance?.closeSync();
  }
  // Describe the copy itself, so the manifest is exactly what a restore will find.
  let manifest: BackupManifest;
  try {
    rmSync(`${tmp}.wal`, { force: true }); // checkpointed on detach: any WAL left is empty
    ro = await openReadOnly(tmp);
    const audit = await verifyAudit(ro);
    manifest = {
      format: MANIFEST_FORMAT,
      createdAt: new Date().toISOString(),
      source: sourcePath,
      file: basename(out),
      bytes: statSync(tmp).size,
      sha256: '',
      schemaVersion: await schemaVersionOf(ro),
      tables: await tableCounts(ro),
      audit: { ok: audit.ok, rows: audit.rows, head: audit.head ?? null },
    };
    ro.close();
    ro = undefined;
    manifest.sha256 = await sha256File(tmp);
    fsyncPath(tmp);
    if (options.force) { removeDb(out); rmSync(manifestPath(out), { force: true }); }
    renameSync(tmp, out);
    const mtmp = tempBeside(manifestPath(out), 'write');
    writeFileSync(mtmp, JSON.stringify(manifest, null, 2) + '\n');
    fsyncPath(mtmp);
    renameSync(mtmp, manifestPath(out));
    fsyncPath(dirname(out));
  } catch (err) {
    ro?.close();
    removeDb(tmp);
    throw err;
  }
  if (typeof source !== 'string') {
    await appendAudit(source, entryBy(options.actor, 'backup', basename(out), {
      path: out, sha256: manifest.sha256, bytes: manifest.bytes, auditHead: manifest.audit.head,
    }));
  }
  return manifest;
}

export function readManifest(backupFile: string): BackupManifest {
  const path = manifestPath(backupFile);
  if (!existsSync(path)) throw new Error(`The manifest ${path} is missing: restore needs it to check the backup`);
  const m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (m.format !== MANIFEST_FORMAT) throw new Error(`${path} is not a csc backup manifest (format '${String(m.format)}')`);
  return m;
}

export interface RestoreResult {
  target: string;
  manifest: BackupManifest;
  /** Where the database that was replaced now is, if there was one. */
  replaced: string | null;
  auditRows: number;
}

function differences(want: Record<string, number>, got: Record<string, number>): string[] {
  return Object.entries(want).filter(([k, n]) => got[k] !== n).map(([k, n]) => `${k}: ${got[k] ?? 'missing'} rows, backup had ${n}`);
}

/**
 * Restores backupFile (written by backup) to targetDbPath. Refuses a backup whose checksum or audit head
 * does not match its manifest, or that a newer version of csc wrote; refuses to replace an existing database
 * unless `force`, and a database another process has open even then. The replaced database is kept beside
 * the target as `<target>.replaced-<time>`.
 */
export async function restore(backupFile: string, targetDbPath: string, options: BackupOptions = {}): Promise<RestoreResult> {
  const src = resolve(backupFile);
  const target = resolve(targetDbPath);
  if (!existsSync(src)) throw new Error(`There is no backup at ${backupFile}`);
  const manifest = readManifest(src);
  if (statSync(src).size !== manifest.bytes || (await sha256File(src)) !== manifest.sha256) {
    throw new Error(`${backupFile} does not match its manifest's checksum: the backup is damaged or was changed; not restored`);
  }
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new Error(`${backupFile} has schema version ${manifest.schemaVersion}, newer than this csc (${SCHEMA_VERSION}): restore it with a newer csc`);
  }
  if (target === src) throw new Error('The target is the backup file itself');

  const exists = existsSync(target);
  let replacedHead: { seq: number; hash: string } | null = null;
  if (exists) {
    let existing: ReadOnlyDb | undefined;
    let existingVersion = 0;
    try {
      existing = await openReadOnly(target);
      existingVersion = await schemaVersionOf(existing);
      replacedHead = (await verifyAudit(existing).catch(() => null))?.head ?? null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/lock/i.test(message)) throw new Error(`${targetDbPath} is open in another process (${message.split('\n')[0]}): stop it before restoring`);
      if (!options.force) throw new Error(`${targetDbPath} exists and cannot be read as a database (${message.split('\n')[0]}); use --force to replace it`);
    } finally {
      existing?.close();
    }
    if (!options.force) {
      throw new Error(existingVersion > manifest.schemaVersion
        ? `${targetDbPath} exists and is newer (schema ${existingVersion}) than the backup (schema ${manifest.schemaVersion}); use --force to replace it`
        : `${targetDbPath} exists; use --force to replace it (it will be kept as ${basename(targetDbPath)}.replaced-…)`);
    }
  }

  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempBeside(target, 'restore');
  try {
    copyFileSync(src, tmp);
    fsyncPath(tmp);
    if ((await sha256File(tmp)) !== manifest.sha256) throw new Error('The copy of the backup does not match its checksum (disk full or failing?)');
    const ro = await openReadOnly(tmp);
    try {
      const problems = differences(manifest.tables, await tableCounts(ro));
      if (problems.length) throw new Error(`The backup's tables do not match its manifest: ${problems.join('; ')}`);
      const audit = await verifyAudit(ro, { expectHead: manifest.audit.head });
      if (manifest.audit.ok && !audit.ok) throw new Error(`The backup's audit log does not verify: ${audit.reason}`);
    } finally {
      ro.close();
    }
  } catch (err) {
    removeDb(tmp);
    throw err;
  }

  // The swap. A WAL beside the target belongs to the old file and must never be replayed onto the
  // restored one, so the old database is checkpointed first (its WAL folded into its file, and the file
  // opened for writing, which fails if another process has it); the old file is kept under a second name
  // (a hard link: nothing is copied or moved yet), and the copy renamed over the target in one step.
  let replaced: string | null = null;
  try {
    if (exists) {
      replaced = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await checkpoint(target, targetDbPath, !!options.force);
      // A file system without hard links gets a copy (the old file stays in place until the rename below).
      try { linkSync(target, replaced); } catch { copyFileSync(target, replaced); }
      // Left only when the old database could not be opened (a damaged file replaced with force).
      if (existsSync(`${target}.wal`)) renameSync(`${target}.wal`, `${replaced}.wal`);
    } else {
      rmSync(`${target}.wal`, { force: true });
    }
    renameSync(tmp, target);
    fsyncPath(dirname(target));
  } catch (err) {
    removeDb(tmp);
    throw err;
  }

  // The restored store opens (migrating an older backup forward) and still says what the manifest says.
  const store = await Store.open(target);
  try {
    const counts = await tableCounts(store);
    const problems = differences(manifest.tables, counts);
    if (problems.length) throw new Error(`The restored database does not match the manifest: ${problems.join('; ')}`);
    const audit = await verifyAudit(store, { expectHead: manifest.audit.head });
    if (manifest.audit.ok && !audit.ok) throw new Error(`The restored audit log does not verify: ${audit.reason}`);
    await appendAudit(store, entryBy(options.actor, 'restore', basename(src), {
      backup: src, sha256: manifest.sha256, backupCreatedAt: manifest.createdAt, backupAuditHead: manifest.audit.head,
      replaced, replacedAuditHead: replacedHead,
    }));
    return { target, manifest, replaced, auditRows: audit.rows };
  } finally {
    store.close();
  }
}

/** Folds a database's WAL into its file. Refuses one another process has open; a damaged one is left as it is when forced. */
async function checkpoint(path: string, shownAs: string, force: boolean): Promise<void> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    if (/lock/i.test(message)) throw new Error(`${shownAs} is open in another process (${message}): stop it before restoring`);
    if (force) return;
    throw new Error(`${shownAs} cannot be opened (${message}); use --force to replace it`);
  }
  try {
    const conn = await instance.connect();
    try { await conn.run('CHECKPOINT'); } finally { conn.closeSync(); }
  } finally {
    instance.closeSync();
  }
}
