// Reads the native event feed (docs/events.md): records the statutory returns do not carry — teams, workers,
// allocations, contacts with their decision times, early help, visits, health assessments, PEPs, care
// proceedings, population — as JSON lines (.jsonl/.ndjson, one {"type": …} object a line) or as CSV (a
// `type` column plus the columns of each type). Streamed line by line, so memory stays flat in file size.
// Each row is checked against its table's columns; a row with an error is not loaded, and a finding names
// the file, line, field and value.
import { parse } from 'csv-parse';
import { TABLES, emptyRow, type Row, type TableName } from '../model.ts';
import { FileRejected } from './errors.ts';
import { sourceExt, sourceHead, sourceName, sourceSize, type Source } from './source.ts';
import { checkedTextStream, MAX_RECORD_CHARS, tooLong } from './textFile.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { parseBool, parseIsoDate, parseUkDate } from './values.ts';

/** The tables a native event feed may carry, in the order the writer writes them. */
export const EVENT_TABLES = [
  'teams', 'workers', 'allocations', 'contacts', 'early_help', 'visits', 'health_assessments', 'peps', 'care_proceedings', 'population', 'supervisions',
] as const satisfies readonly TableName[];
export type EventTable = (typeof EVENT_TABLES)[number];

/** Finding codes of the event reader; every one but CSC106 means the row was not loaded. */
export const EVENT_CODES = {
  unknownType: 'CSC101',
  badDate: 'CSC102',
  missingKey: 'CSC103',
  badJson: 'CSC104',
  badValue: 'CSC105',
  unknownField: 'CSC106',
} as const;

const EVENT_SET: ReadonlySet<string> = new Set(EVENT_TABLES);
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

type Converted = { ok: true; value: string | number | boolean | null } | { ok: false; code: string; expected: string };

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    s = Array.isArray(value) ? '[…]' : '{…}'; // nested too deep to write back (JSON.parse takes more depth than JSON.stringify)
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** One value in the type its column needs: ISO dates, 'YYYY-MM-DDTHH:MM:SS' timestamps, booleans, integers. */
function convert(kind: string, raw: unknown): Converted {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  if (typeof raw === 'object') return { ok: false, code: EVENT_CODES.badValue, expected: 'a single value, not a list or object' };
  switch (kind) {
    case 'date': {
      const text = String(raw).trim();
      const iso = parseIsoDate(text.length === 10 ? text : text.replace(/[T ].*$/, '')) ?? parseUkDate(text);
      return iso ? { ok: true, value: iso } : { ok: false, code: EVENT_CODES.badDate, expected: 'a date YYYY-MM-DD' };
    }
    case 'timestamp': {
      const m = TIMESTAMP.exec(String(raw).trim());
      const day = m ? parseIsoDate(m[1]) : null;
      if (!m || !day || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) {
        return { ok: false, code: EVENT_CODES.badDate, expected: 'a date and time YYYY-MM-DDTHH:MM:SS (local time)' };
      }
      return { ok: true, value: `${day}T${m[2]}:${m[3]}:${m[4] ?? '00'}` };
    }
    case 'int': {
      const n = typeof raw === 'number' ? raw : /^\s*-?\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
      return Number.isInteger(n) ? { ok: true, value: n } : { ok: false, code: EVENT_CODES.badValue, expected: 'a whole number' };
    }
    case 'real': {
      const n = typeof raw === 'number' ? raw : /^\s*-?\d+(\.\d+)?\s*$/.test(String(raw)) ? Number(raw) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, code: EVENT_CODES.badValue, expected: 'a number' };
    }
    case 'bool': {
      const b = parseBool(raw);
      return b === undefined ? { ok: false, code: EVENT_CODES.badValue, expected: 'true or false (or yes/no, 1/0)' } : { ok: true, value: b };
    }
    default:
      return { ok: true, value: typeof raw === 'string' ? raw.trim() : String(raw) };
  }
}

/**
 * Streams a native event file into the sink: .jsonl/.ndjson as JSON lines, .csv as CSV with a `type`
 * column (any other name: JSON lines if it begins with '{'). Line numbers are file lines (CSV header = 1).
 * Throws FileRejected for an empty file or a CSV without a `type` column.
 */
export async function readEvents(path: Source, sink: RecordSink): Promise<FileSummary> {
  const file = sourceName(path);
  if (sourceSize(path) === 0) {
    throw rejected(file, EVENT_CODES.badJson, `${file}: the file is empty — nothing loaded (${EVENT_CODES.badJson})`);
  }
  const seen = new Set<string>();
  const warned = new Set<string>();
  const check = rowChecker(file, sink, seen, warned);
  if (isCsv(path)) await readCsv(path, file, check);
  else await readJsonLines(path, file, sink, check);
  return { kind: 'events', parts: EVENT_TABLES.filter((t) => seen.has(t)) };
}

function isCsv(path: Source): boolean {
  const ext = sourceExt(path);
  if (ext === '.csv') return true;
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return false;
  return !sourceHead(path, 256).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('{');
}

function rejected(file: string, code: string, message: string): FileRejected {
  const finding: Finding = { ruleset: 'events', code, severity: 'error', file, row: null, section: null, field: null, value: null, message };
  return new FileRejected(message, [finding]);
}

type RowChecker = (fields: Record<string, unknown>, line: number) => void;

/** Checks one row's type, key columns and values; adds it to the sink if nothing is wrong. */
function rowChecker(file: string, sink: RecordSink, seen: Set<string>, warned: Set<string>): RowChecker {
  return (fields, line) => {
    const rawType = fields.type;
    const type = typeof rawType === 'string' ? rawType.trim().toLowerCase() : '';
    const childId = typeof fields.child_id === 'string' || typeof fields.child_id === 'number' ? String(fields.child_id) : null;
    const base = { ruleset: 'events' as const, severity: 'error' as const, file, row: line, childId };
    if (!EVENT_SET.has(type)) {
      sink.finding({
        ...base, code: EVENT_CODES.unknownType, section: null, field: 'type', value: show(rawType),
        message: rawType === undefined || rawType === null || rawType === ''
          ? `${file} line ${line}: no type given (expected one of ${EVENT_TABLES.join(', ')}) — row not loaded (${EVENT_CODES.unknownType})`
          : `${file} line ${line}: type '${show(rawType)}' is not a type of event (expected one of ${EVENT_TABLES.join(', ')}) — row not loaded (${EVENT_CODES.unknownType})`,
      });
      return;
    }
    const table = type as EventTable;
    const spec = TABLES[table];
    const columns = spec.columns as Readonly<Record<string, string>>;
    const row = emptyRow(table) as Record<string, unknown>;
    const failed = new Set<string>();
    for (const [column, kind] of Object.entries(columns)) {
      const raw = fields[column];
      const c = convert(kind, raw);
      if (!c.ok) {
        failed.add(column);
        sink.finding({
          ...base, code: c.code, section: table, field: column, value: show(raw),
          message: `${file} line ${line}: ${table} ${column} '${show(raw)}' is not ${c.expected} — row not loaded (${c.code})`,
        });
        continue;
      }
      row[column] = c.value;
    }
    for (const column of spec.key) {
      if (row[column] !== null || failed.has(column)) continue; // present, or already reported as a bad value
      failed.add(column);
      sink.finding({
        ...base, code: EVENT_CODES.missingKey, section: table, field: column, value: null,
        message: `${file} line ${line}: ${table} has no ${column}, which identifies the record (key: ${spec.key.join(', ')}) — row not loaded (${EVENT_CODES.missingKey})`,
      });
    }
    for (const name of Object.keys(fields)) {
      if (name === 'type' || Object.hasOwn(columns, name) || warned.has(`${table}.${name}`)) continue;
      if (fields[name] === null || fields[name] === undefined || fields[name] === '') continue; // CSV columns of other types
      warned.add(`${table}.${name}`);
      sink.finding({
        ...base, severity: 'warning', code: EVENT_CODES.unknownField, section: table, field: name, value: show(fields[name]),
        message: `${file} line ${line}: ${name} is not a column of ${table} — ignored here and on later ${table} lines (${EVENT_CODES.unknownField})`,
      });
    }
    if (failed.size > 0) return;
    seen.add(table);
    sink.add(table, row as Row<EventTable>, line);
  };
}

/** The lines of a checked UTF-8 stream, each with its number; a line over MAX_RECORD_CHARS refuses the file. */
async function* linesOf(path: Source, file: string): AsyncGenerator<{ text: string; line: number }> {
  const stream = checkedTextStream(path, file, 'JSON lines').setEncoding('utf8');
  let carry = '';
  let line = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = carry + chunk;
      let nl = text.indexOf('\n');
      let from = 0;
      while (nl !== -1) {
        line++;
        yield { text: text.slice(from, nl).replace(/\r$/, ''), line };
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      carry = text.slice(from);
      text = '';
      if (carry.length > MAX_RECORD_CHARS) throw tooLong(file, line + 1);
    }
  } finally {
    stream.destroy();
  }
  if (carry !== '') yield { text: carry.replace(/\r$/, ''), line: line + 1 };
}

async function readJsonLines(path: Source, file: string, sink: RecordSink, check: RowChecker): Promise<void> {
  for await (let { text, line } of linesOf(path, file)) {
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      sink.finding({
        ruleset: 'events', code: EVENT_CODES.badJson, severity: 'error', file, row: line, section: null, field: null, value: show(text),
        message: `${file} line ${line}: not valid JSON (${(err as Error).message}) — row not loaded (${EVENT_CODES.badJson})`,
      });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      sink.finding({
        ruleset: 'events', code: EVENT_CODES.badJson, severity: 'error', file, row: line, section: null, field: null, value: show(text),
        message: `${file} line ${line}: a line must be one JSON object ({"type": …}), not ${Array.isArray(value) ? 'a list' : 'a single value'} — row not loaded (${EVENT_CODES.badJson})`,
      });
      continue;
    }
    check(value as Record<string, unknown>, line);
  }
}

async function readCsv(path: Source, file: string, check: RowChecker): Promise<void> {
  const source = checkedTextStream(path, file, 'CSV');
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, info: true, max_record_size: MAX_RECORD_CHARS });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let header: string[] | null = null;
  let lastLine = 0; // the line the last record read ended on
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines;
      const extra = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
      const line = info.lines - extra; // the line the record starts on
      if (record.every((v) => v.trim() === '')) continue;
      if (header === null) {
        header = record.map((c) => c.trim().toLowerCase());
        if (!header.includes('type')) {
          throw rejected(file, EVENT_CODES.unknownType,
            `${file} line ${line}: no 'type' column, so no row's type is known (expected a 'type' column holding one of ${EVENT_TABLES.join(', ')}) — nothing loaded (${EVENT_CODES.unknownType})`);
        }
        continue;
      }
      const fields: Record<string, unknown> = Object.create(null); // a heading '__proto__' stays a plain field
      header.forEach((name, i) => { fields[name] = record[i] ?? ''; });
      check(fields, line);
    }
  } catch (err) {
    if (err instanceof FileRejected) throw err;
    const e = err as Error & { code?: string; lines?: number };
    // the unreadable record starts after the last one read (csv-parse's count in the error can run past the end)
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw tooLong(file, lastLine + 1, 'the record starting here');
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw rejected(file, EVENT_CODES.badJson, `${file} line ${lastLine + 1}: the CSV cannot be read from here (${e.message}) — nothing loaded (${EVENT_CODES.badJson})`);
    }
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (header === null) throw rejected(file, EVENT_CODES.badJson, `${file}: no header line — nothing loaded (${EVENT_CODES.badJson})`);
}
