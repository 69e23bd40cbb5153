// Reference data the analyses need and the statutory returns do not carry: postcode centroids (for
// placement distance) and the child population by ethnic group, sex, age band and disability (for
// disproportionality). Each is a user-supplied file imported whole: an import replaces the previous
// one in one transaction and records the file's name, sha256 and row count in `reference_files`.
//
// The tables are created here, idempotently, rather than by a store migration: they are reference data
// owned by the analyses, not records of a child, and are never part of a load.
//
// Postcode file: the ONS Postcode Directory (ONSPD) CSV, or any extract of it, matched by header name:
//   postcode  pcds (variable width, 'LS6 1AB'), else pcd / pcd7 (7 characters) or pcd2 / pcd8 (8)
//   lat, long WGS84 latitude and longitude of the postcode's centroid
//   LA        oslaua (ONSPD to 2024), laua, or ladNNcd (ONSPD from 2025): the local authority district code
//   doterm    date of termination: terminated postcodes are kept, since a child's home may be an old one
// ONSPD writes 99.999999 / 0.000000 for postcodes without a grid reference: those rows are skipped.
// Population file: CSV with columns ethnic_group, sex, age_band, disabled (any may be blank: a blank cell
// means "not broken down by this"), count, and optionally la_code, year. Group names are those the engine
// uses (ethnic_group(): White, Mixed, Asian or Asian British, Black or Black British, Other ethnic group;
// sex: Male, Female; age bands: Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over; disabled: Disabled, Not disabled).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Store } from '../store.ts';
import { literal } from '../indicators/sql.ts';

export const REFERENCE_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS postcode_centroids (
     postcode VARCHAR PRIMARY KEY,  -- normalised: upper case, no spaces ('LS61AB')
     lat DOUBLE NOT NULL, long DOUBLE NOT NULL, la_code VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS group_population (
     la_code VARCHAR, year INTEGER, ethnic_group VARCHAR, sex VARCHAR, age_band VARCHAR, disabled VARCHAR,
     count INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS reference_files (
     kind VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_hash VARCHAR NOT NULL, rows INTEGER NOT NULL,
     skipped INTEGER NOT NULL, imported_at TIMESTAMP NOT NULL, imported_by VARCHAR)`,
];

const ready = new WeakSet<Store>();

/** Creates the reference tables if they are not there yet (once per connection). */
export async function ensureReferenceTables(store: Store): Promise<void> {
  if (ready.has(store)) return;
  for (const ddl of REFERENCE_DDL) await store.run(ddl);
  ready.add(store);
}

/** A postcode as stored and matched: upper case, without spaces ('ls6 1ab' → 'LS61AB'). */
export function normalisePostcode(text: string | null): string | null {
  if (text === null) return null;
  const p = text.toUpperCase().replace(/\s+/g, '');
  return p === '' ? null : p;
}

/** SQL for normalisePostcode. */
export const NORMALISE_POSTCODE_SQL = (expr: string): string => `nullif(upper(regexp_replace(${expr}, '\\s+', '', 'g')), '')`;

export interface ImportResult {
  readonly file: string;
  readonly rows: number;
  /** rows without a usable value (no grid reference, no count), with the reason */
  readonly skipped: number;
  /** which file column was read as which field */
  readonly columns: Readonly<Record<string, string>>;
}

async function headerOf(store: Store, path: string): Promise<string[]> {
  const rows = await store.query<{ column_name: string }>(
    `DESCRIBE SELECT * FROM read_csv(${literal(path)}, header = true, all_varchar = true, sample_size = 1)`);
  return rows.map((r) => r.column_name);
}

function pick(header: string[], ...names: (string | RegExp)[]): string | null {
  for (const n of names) {
    const found = header.find((h) => (typeof n === 'string' ? h.trim().toLowerCase() === n : n.test(h.trim().toLowerCase())));
    if (found) return found;
  }
  return null;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

async function record(store: Store, kind: string, path: string, rows: number, skipped: number, user: string | null): Promise<void> {
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  await store.run(`INSERT INTO reference_files VALUES (?, ?, ?, ?, ?, current_timestamp, ?)`, [kind, basename(path), hash, rows, skipped, user]);
}

/** Imports an ONSPD-format postcode centroid CSV, replacing the postcodes held before. */
export async function importPostcodes(store: Store, file: string, user: string | null = null): Promise<ImportResult> {
  await ensureReferenceTables(store);
  const path = resolve(file);
  const header = await headerOf(store, path);
  const pc = pick(header, 'pcds', 'pcd', 'pcd7', 'pcd2', 'pcd8', 'postcode');
  const lat = pick(header, 'lat', 'latitude');
  const long = pick(header, 'long', 'longitude', 'lon', 'lng');
  const la = pick(header, 'oslaua', 'laua', /^lad\d\dcd$/, 'la_code');
  if (!pc || !lat || !long) {
    throw new RangeError(`${basename(path)}: not a postcode centroid file: needs a postcode column (pcds, pcd or pcd2), lat and long; found ${header.join(', ')}`);
  }
  const src = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
  const laSql = la ? `nullif(trim(${quoteIdent(la)}), '')` : 'CAST(NULL AS VARCHAR)';
  return store.transaction(async () => {
    await store.run('DELETE FROM postcode_centroids');
    // ONSPD's "no grid reference" is lat 99.999999; a postcode listed twice keeps its first row.
    await store.run(`INSERT INTO postcode_centroids
      SELECT postcode, arg_min(lat, n), arg_min(long, n), arg_min(la_code, n) FROM (
        SELECT row_number() OVER () AS n, ${NORMALISE_POSTCODE_SQL(quoteIdent(pc))} AS postcode,
          TRY_CAST(${quoteIdent(lat)} AS DOUBLE) AS lat, TRY_CAST(${quoteIdent(long)} AS DOUBLE) AS long, ${laSql} AS la_code
        FROM ${src})
      WHERE postcode IS NOT NULL AND lat BETWEEN -90 AND 90 AND long BETWEEN -180 AND 180 AND lat <> 99.999999
      GROUP BY postcode`);
    const [{ rows }] = await store.query<{ rows: number }>('SELECT count(*)::INTEGER AS rows FROM postcode_centroids');
    const [{ total }] = await store.query<{ total: number }>(`SELECT count(*)::INTEGER AS total FROM ${src}`);
    await record(store, 'postcodes', path, rows, total - rows, user);
    return { file: basename(path), rows, skipped: total - rows, columns: { postcode: pc, lat, long, ...(la ? { la_code: la } : {}) } };
  });
}

/** Imports a child population by group (see the file header), replacing the population held before. */
export async function importGroupPopulation(store: Store, file: string, user: string | null = null): Promise<ImportResult> {
  await ensureReferenceTables(store);
  const path = resolve(file);
  const header = await headerOf(store, path);
  const col = (name: string) => pick(header, name);
  const count = col('count');
  if (!count) throw new RangeError(`${basename(path)}: not a population file: needs a count column; found ${header.join(', ')}`);
  const text = (name: string) => { const c = col(name); return c ? `nullif(trim(${quoteIdent(c)}), '')` : 'CAST(NULL AS VARCHAR)'; };
  const yearCol = col('year');
  const src = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
  return store.transaction(async () => {
    await store.run('DELETE FROM group_population');
    await store.run(`INSERT INTO group_population
      SELECT * FROM (SELECT ${text('la_code')}, ${yearCol ? `TRY_CAST(${quoteIdent(yearCol)} AS INTEGER)` : 'CAST(NULL AS INTEGER)'},
        ${text('ethnic_group')}, ${text('sex')}, ${text('age_band')}, ${text('disabled')}, TRY_CAST(${quoteIdent(count)} AS INTEGER) AS count
        FROM ${src}) WHERE count IS NOT NULL AND count >= 0`);
    const [{ rows }] = await store.query<{ rows: number }>('SELECT count(*)::INTEGER AS rows FROM group_population');
    const [{ total }] = await store.query<{ total: number }>(`SELECT count(*)::INTEGER AS total FROM ${src}`);
    await record(store, 'population', path, rows, total - rows, user);
    const columns: Record<string, string> = {};
    for (const n of ['la_code', 'year', 'ethnic_group', 'sex', 'age_band', 'disabled', 'count']) { const c = col(n); if (c) columns[n] = c; }
    return { file: basename(path), rows, skipped: total - rows, columns };
  });
}
