// Entering and importing the monthly figures of aggregate measures (definitions: config/measures.json,
// src/indicators/aggregates.ts). Every entry is kept in `aggregate_values`; for a measure and month the
// latest entry is the one the figures use, so a correction is simply a new entry.
//
// What an entry needs, by how the measure's months combine:
//   sums, percent / days / average   numerator and denominator (value optional: if given it must agree)
//   sums, count                      value (or numerator; if both, equal)
//   sums, rate                       numerator: the number of events (the engine divides by the population);
//                                    value optional (the rate as reported), else the numerator is stored
//   mean                             value (numerator and denominator optional: both or neither, and they must agree)
// Values are never negative, denominators are more than 0, percentages lie within 0–100 and a
// numerator of a percentage is no more than its denominator. "Agree" means equal to one decimal place
// (the scorecard shows one): 51 of 225 is 22.7%; 22.6 or 22.8 is refused.
//
// CSV import (importMeasuresCsv): columns measure_id, month, numerator, denominator, value, source,
// matched by header name whatever the case, in any order (missing optional columns are blanks). The file
// is all or nothing: when any row has an error nothing is loaded, and every error is reported (file, line,
// field, rule), so the analyst fixes the file and imports it again. Two rows for the same measure and month
// are an error too (which was meant?). Warnings (e.g. a month in the future) do not stop the import.
//
// Audited: an entry ('measure.enter') and an import that entered figures ('measure.import') write their
// audit row in the transaction that enters them; the audit user is the actor's, else `user`.
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Store } from './store.ts';
import { appendAuditInTransaction, entryBy, type Actor } from './audit.ts';
import { FileRejected } from './ingest/errors.ts';
import { readTextFile } from './ingest/textFile.ts';
import { findMeasure, MEASURES, type MeasureDefinition } from './indicators/aggregates.ts';

export interface MeasureEntry {
  readonly measureId: string;
  /** 'YYYY-MM' */
  readonly month: string;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
  readonly value?: number | null;
  /** where the figure came from ('telephony report', a file name) */
  readonly source?: string | null;
  readonly user: string;
}

export interface MeasureValue {
  readonly measureId: string;
  readonly month: string;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number;
  readonly source: string | null;
  readonly enteredBy: string | null;
  readonly enteredAt: string;
  /** true for the latest entry of its measure and month: the one the figures use */
  readonly current: boolean;
}

/** A problem with a row of an imported file, in the shape of the loaders' findings. */
export interface MeasureFinding {
  readonly ruleset: 'measures';
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** file line: the header is line 1 */
  readonly row: number | null;
  readonly field: string | null;
  readonly value: string | null;
  readonly message: string;
}

export interface MeasureImport {
  readonly file: string;
  /** 'loaded': every row entered; 'rejected': nothing entered (see the error findings) */
  readonly status: 'loaded' | 'rejected';
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly findings: readonly MeasureFinding[];
  /** header in the file → column it was read as */
  readonly columnMap: Readonly<Record<string, string>>;
}

/** Thrown by enterMeasure: which field broke which rule. */
export class MeasureError extends Error {
  constructor(readonly field: string, readonly rule: string, message: string) {
    super(message);
    this.name = 'MeasureError';
  }
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

interface Checked {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number;
}

/** Figures agree when they show the same to one decimal place. */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.05 + 1e-9;
}

function show(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * Checks an entry against its measure's definition and returns what is stored; throws a MeasureError
 * naming the field and rule. `def` null: the measure does not exist.
 */
function checkEntry(def: MeasureDefinition | null, e: Omit<MeasureEntry, 'user'>, measures: readonly MeasureDefinition[]): Checked {
  const fail = (field: string, rule: string, message: string): never => { throw new MeasureError(field, rule, message); };
  if (!def) {
    return fail('measure_id', 'CSCM01', `no aggregate measure '${e.measureId}' (known: ${measures.map((m) => m.id).join(', ') || 'none'}; definitions are in config/measures.json)`);
  }
  if (typeof e.month !== 'string' || !MONTH.test(e.month)) fail('month', 'CSCM02', `month '${e.month ?? ''}' must be YYYY-MM (e.g. 2025-01)`);
  const num = e.numerator ?? null;
  const den = e.denominator ?? null;
  let value = e.value ?? null;
  for (const [field, n] of [['numerator', num], ['denominator', den], ['value', value]] as const) {
    if (n !== null && (typeof n !== 'number' || !Number.isFinite(n))) fail(field, 'CSCM03', `${field} must be a number`);
    if (n !== null && n < 0) fail(field, 'CSCM04', `${field} ${n} cannot be negative`);
  }
  if (den !== null && den === 0) fail('denominator', 'CSCM05', 'denominator must be more than 0');
  const pct = def.unit === 'percent';
  const ratio = (n: number, d: number) => (pct ? (100 * n) / d : n / d);

  if (def.combine === 'mean') {
    if (value === null) fail('value', 'CSCM06', `${def.id} is the mean of monthly values: the month's value is required`);
    if ((num === null) !== (den === null)) fail(num === null ? 'numerator' : 'denominator', 'CSCM07', 'give both numerator and denominator, or neither');
    if (num !== null && den !== null && !agrees(value!, ratio(num, den))) {
      fail('value', 'CSCM08', `value ${value} does not agree with numerator ${num} and denominator ${den} (${show(ratio(num, den))}${pct ? '%' : ''})`);
    }
  } else if (def.unit === 'count') {
    if (den !== null) fail('denominator', 'CSCM09', `${def.id} is a count: it has no denominator`);
    if (value === null && num === null) fail('value', 'CSCM06', `${def.id} is a count: the month's value is required`);
    if (value !== null && num !== null && value !== num) fail('value', 'CSCM08', `value ${value} and numerator ${num} differ; for a count give one or make them equal`);
    value = value ?? num;
    return { numerator: num ?? value, denominator: null, value: value! };
  } else if (def.unit === 'rate') {
    if (den !== null) fail('denominator', 'CSCM09', `${def.id} is a rate per 10,000 children: enter the number of events as the numerator; the population is the denominator`);
    if (num === null) fail('numerator', 'CSCM06', `${def.id} is a rate per 10,000 children: the number of events (numerator) is required`);
    return { numerator: num, denominator: null, value: value ?? num! };
  } else {
    // sums of numerators and denominators: percentages and averages
    if (num === null) fail('numerator', 'CSCM06', `${def.id} adds up numerators and denominators over months: the numerator is required`);
    if (den === null) fail('denominator', 'CSCM06', `${def.id} adds up numerators and denominators over months: the denominator is required`);
    if (pct && num! > den!) fail('numerator', 'CSCM10', `numerator ${num} is more than denominator ${den}: a percentage cannot exceed 100`);
    const computed = ratio(num!, den!);
    if (value !== null && !agrees(value, computed)) {
      fail('value', 'CSCM08', `value ${value} does not agree with numerator ${num} and denominator ${den} (${show(computed)}${pct ? '%' : ''})`);
    }
    value = computed;
  }
  if (pct && (value! < 0 || value! > 100)) fail('value', 'CSCM10', `value ${value} is a percentage: it must be between 0 and 100`);
  return { numerator: num, denominator: den, value: value! };
}

/** The month after today's month is in the future: a warning, not an error (a typo for a year, usually). */
function isFuture(month: string): boolean {
  const now = new Date();
  const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return month > current;
}

/**
 * Records one month's figure for an aggregate measure; the latest entry for a measure and month is the
 * one the figures use (earlier ones are kept). Throws a MeasureError when the entry breaks a rule.
 */
export async function enterMeasure(
  store: Store, entry: MeasureEntry, measures: readonly MeasureDefinition[] = MEASURES, options: { actor?: Actor } = {},
): Promise<MeasureValue> {
  if (!entry.user || !entry.user.trim()) throw new MeasureError('user', 'CSCM11', 'the user entering the figure is required');
  const def = measures.find((m) => m.id === entry.measureId) ?? null;
  const c = checkEntry(def, entry, measures);
  await store.transaction(async () => {
    await insert(store, entry, c);
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: entry.user }, 'measure.enter', entry.measureId, {
      month: entry.month, numerator: c.numerator, denominator: c.denominator, value: c.value, source: entry.source?.trim() || null, enteredBy: entry.user,
    }));
  });
  const [latest] = await listMeasureValues(store, entry.measureId, { month: entry.month });
  return latest;
}

async function insert(store: Store, e: Omit<MeasureEntry, 'numerator' | 'denominator' | 'value'>, c: Checked): Promise<void> {
  await store.run(
    `INSERT INTO aggregate_values (measure_id, month, numerator, denominator, value, source, entered_by, entered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp)`,
    [e.measureId, e.month, c.numerator, c.denominator, c.value, e.source?.trim() || null, e.user],
  );
}

/** Every entry, newest first within each measure and month; `current` marks the one in force. */
export async function listMeasureValues(store: Store, measureId?: string, options: { month?: string; currentOnly?: boolean } = {}): Promise<MeasureValue[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (measureId !== undefined) { where.push('measure_id = ?'); params.push(measureId); }
  if (options.month !== undefined) { where.push('month = ?'); params.push(options.month); }
  const rows = await store.query<{
    measure_id: string; month: string; numerator: number | null; denominator: number | null; value: number;
    source: string | null; entered_by: string | null; entered_at: string; rn: number;
  }>(`SELECT * FROM (
        SELECT measure_id, month, numerator, denominator, value, source, entered_by, entered_at, rowid AS rid,
          row_number() OVER (PARTITION BY measure_id, month ORDER BY entered_at DESC, rowid DESC) AS rn
        FROM aggregate_values ${where.length ? `WHERE ${where.join(' AND ')}` : ''})
      ${options.currentOnly ? 'WHERE rn = 1' : ''}
      ORDER BY measure_id, month, rn`, params);
  return rows.map((r) => ({
    measureId: r.measure_id, month: r.month, numerator: r.numerator, denominator: r.denominator, value: r.value,
    source: r.source, enteredBy: r.entered_by, enteredAt: r.entered_at, current: r.rn === 1,
  }));
}

const COLUMNS = ['measure_id', 'month', 'numerator', 'denominator', 'value', 'source'] as const;
type Column = typeof COLUMNS[number];

/** Header → column: lower case, spaces and hyphens as _, a BOM dropped ('Measure ID' → measure_id). */
function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/**
 * Imports a CSV of monthly figures (columns measure_id, month, numerator, denominator, value, source by
 * header name, any case and order) in one transaction, as `user`. All or nothing: any error row means
 * nothing is entered; the findings name the file, line, field and rule of every problem.
 * A blank `source` cell is recorded as the file's name.
 */
export async function importMeasuresCsv(
  store: Store, path: string, user: string, measures: readonly MeasureDefinition[] = MEASURES, options: { actor?: Actor } = {},
): Promise<MeasureImport> {
  const file = basename(path);
  const findings: MeasureFinding[] = [];
  const error = (row: number | null, field: string | null, value: string | null, code: string, message: string) =>
    findings.push({ ruleset: 'measures', code, severity: 'error', file, row, field, value, message: `${file}${row !== null ? ` line ${row}` : ''}${field ? `, ${field}` : ''}: ${message}` });
  const rejected = (rowsRead: number, columnMap: Record<string, string> = {}): MeasureImport =>
    ({ file, status: 'rejected', rowsRead, rowsLoaded: 0, findings, columnMap });

  if (!user || !user.trim()) throw new MeasureError('user', 'CSCM11', 'the user importing the file is required');
  let records: string[][];
  let lines: number[];
  try {
    let text: string;
    try {
      text = readTextFile(path, file, 'CSV'); // UTF-8 only, no binary (ingest/textFile.ts)
    } catch (err) {
      if (!(err instanceof FileRejected)) throw err;
      const f = err.findings[0];
      findings.push({ ruleset: 'measures', code: f.code, severity: 'error', file, row: f.row, field: null, value: f.value, message: f.message });
      return rejected(0);
    }
    const parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((p) => p.record);
    lines = parsed.map((p) => p.info.lines);
  } catch (err) {
    error(null, null, null, 'CSCM20', `not a readable CSV file (${(err as Error).message})`);
    return rejected(0);
  }
  if (records.length === 0) {
    error(null, null, null, 'CSCM21', `the file is empty: expected a header row with ${COLUMNS.join(', ')}`);
    return rejected(0);
  }
  const header = records[0];
  const index = new Map<Column, number>();
  const columnMap: Record<string, string> = {};
  header.forEach((h, i) => {
    const n = normaliseHeader(h) as Column;
    if ((COLUMNS as readonly string[]).includes(n)) {
      if (index.has(n)) error(1, n, h, 'CSCM22', `column ${n} appears twice in the header`);
      else { index.set(n, i); columnMap[h] = n; }
    } else if (h.trim() !== '') {
      findings.push({ ruleset: 'measures', code: 'CSCM23', severity: 'warning', file, row: 1, field: null, value: h, message: `${file} line 1: column '${h}' is not one of ${COLUMNS.join(', ')}; ignored` });
    }
  });
  for (const required of ['measure_id', 'month'] as const) {
    if (!index.has(required)) error(1, required, null, 'CSCM22', `no ${required} column (the header must name ${required}; found ${header.join(', ')})`);
  }
  if (!index.has('numerator') && !index.has('value')) error(1, 'value', null, 'CSCM22', 'no numerator or value column: there is no figure to import');
  if (findings.some((f) => f.severity === 'error')) return rejected(records.length - 1, columnMap);

  const cell = (rec: string[], c: Column): string => {
    const i = index.get(c);
    return i === undefined ? '' : (rec[i] ?? '').trim();
  };
  const toNumber = (rec: string[], c: 'numerator' | 'denominator' | 'value', line: number): number | null | undefined => {
    const raw = cell(rec, c);
    if (raw === '') return null;
    const n = Number(raw.replace(/,/g, '').replace(/%$/, ''));
    if (!Number.isFinite(n)) {
      error(line, c, raw, 'CSCM03', `'${raw}' is not a number`);
      return undefined;
    }
    return n;
  };

  const accepted: { entry: MeasureEntry; checked: Checked }[] = [];
  const firstLine = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    const line = lines[r]; // the file line (a record spanning lines: its last)
    if (rec.every((c) => c.trim() === '')) continue; // a row of empty cells (",,,,," from a spreadsheet)
    const measureId = cell(rec, 'measure_id');
    const month = cell(rec, 'month');
    const numerator = toNumber(rec, 'numerator', line);
    const denominator = toNumber(rec, 'denominator', line);
    const value = toNumber(rec, 'value', line);
    if (numerator === undefined || denominator === undefined || value === undefined) continue;
    const entry: MeasureEntry = { measureId, month, numerator, denominator, value, source: cell(rec, 'source') || file, user };
    const def = measures.find((m) => m.id === measureId) ?? null;
    try {
      const checked = checkEntry(def, entry, measures);
      const key = `${measureId} ${month}`;
      const earlier = firstLine.get(key);
      if (earlier !== undefined) {
        error(line, 'month', month, 'CSCM24', `${measureId} for ${month} is also on line ${earlier}: give each measure and month once`);
        continue;
      }
      firstLine.set(key, line);
      if (isFuture(month)) {
        findings.push({ ruleset: 'measures', code: 'CSCM25', severity: 'warning', file, row: line, field: 'month', value: month, message: `${file} line ${line}, month: ${month} is in the future; entered as given` });
      }
      accepted.push({ entry, checked });
    } catch (err) {
      if (!(err instanceof MeasureError)) throw err;
      const raw = err.field === 'measure_id' ? measureId : err.field === 'month' ? month
        : (COLUMNS as readonly string[]).includes(err.field) ? cell(rec, err.field as Column) : null;
      error(line, err.field, raw || null, err.rule, err.message);
    }
  }
  const rowsRead = records.slice(1).filter((rec) => rec.some((c) => c.trim() !== '')).length;
  if (findings.some((f) => f.severity === 'error')) return rejected(rowsRead, columnMap);
  await store.transaction(async () => {
    for (const a of accepted) await insert(store, a.entry, a.checked);
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: user }, 'measure.import', file, {
      rows: accepted.length, measures: [...new Set(accepted.map((a) => a.entry.measureId))].sort(),
      months: [...new Set(accepted.map((a) => a.entry.month))].sort(), warnings: findings.length, enteredBy: user,
    }));
  });
  return { file, status: 'loaded', rowsRead, rowsLoaded: accepted.length, findings, columnMap };
}

export { findMeasure };
