// Reads the SSDA903 (children looked after) return: eleven CSV tables, each recognised by its set of
// columns (never by its file name), streamed row by row into the canonical tables. Every row is checked
// against the DfE rules in ssda903Rules.ts; a row failing an 'error' rule is not loaded, a row failing
// only 'warning' rules is loaded and flagged. Dates are dd/mm/yyyy; child ids stay text (leading zeros).
//
// The CSVs do not say which year they are for. The year comes from the caller (the loader takes it from
// --year or the folder name, e.g. '2024-25'); failing that it is inferred from the episodes table of the
// same return — the reporting year of the latest episode start (DECOM) — and a finding says so. OC2 and
// OC3 rows are keyed by the year, so without any year those two files are refused.
//
// The XML form of the return is read by ssda903Xml.ts, which builds the same rows (column name → text)
// and passes each through ssda903RowStep below: one set of checks and one mapping for both forms.
import { createReadStream, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Parser } from 'csv-parse';
import { TABLES, type Row, type TableName } from '../model.ts';
import { reportingYearOf } from '../periods.ts';
import { FileRejected } from './errors.ts';
import {
  collectionYear as yearBounds, FILE_CODES, rulesFor, ukDate,
  type CollectionYear, type RawRow, type RowDates, type Ssda903Rule, type Ssda903Table,
} from './ssda903Rules.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { sourceDir, sourceName, sourceSize, type Source } from './source.ts';
import { checkedTextStream, MAX_RECORD_CHARS, tooLong } from './textFile.ts';
import { parseBool, parseUkDate } from './values.ts';

export type { Ssda903Table } from './ssda903Rules.ts';

/** The columns of each table, in the order DfE's files have them. */
export const SSDA903_COLUMNS: Readonly<Record<Ssda903Table, readonly string[]>> = {
  header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  episodes: ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN'],
  reviews: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  uasc: ['CHILD', 'SEX', 'DOB', 'DUC'],
  oc2: [
    'CHILD', 'DOB', 'SDQ_SCORE', 'SDQ_REASON', 'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK',
    'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE', 'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED',
  ],
  oc3: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'],
  ad1: ['CHILD', 'DOB', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
  placed_for_adoption: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
  previous_permanence: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'],
  missing: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'],
  sw_episodes: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
};

export const SSDA903_TABLES = Object.keys(SSDA903_COLUMNS) as Ssda903Table[];

/** Columns read as dates (DATE_PERM is not: DfE allows an unknown day or month, 'zz/zz/2015'). */
export const SSDA903_DATE_COLUMNS: Readonly<Record<Ssda903Table, readonly string[]>> = {
  header: ['DOB', 'MC_DOB'],
  episodes: ['DECOM', 'DEC'],
  reviews: ['DOB', 'REVIEW'],
  uasc: ['DOB', 'DUC'],
  oc2: ['DOB'],
  oc3: ['DOB'],
  ad1: ['DOB', 'DATE_INT', 'DATE_MATCH'],
  placed_for_adoption: ['DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED'],
  previous_permanence: ['DOB'],
  missing: ['DOB', 'MIS_START', 'MIS_END'],
  sw_episodes: ['DOB', 'SW_DECOM', 'SW_DEC'],
};

/** Which canonical table and column each 903 column is stored as (columns absent here are checked, not stored). */
export const SSDA903_STORED: Readonly<Record<Ssda903Table, { table: TableName; columns: Readonly<Record<string, string>> }>> = {
  header: { table: 'children', columns: { CHILD: 'child_id', SEX: 'sex', DOB: 'dob', ETHNIC: 'ethnicity', UPN: 'upn' } },
  episodes: {
    table: 'lac_episodes',
    columns: {
      CHILD: 'child_id', DECOM: 'decom', RNE: 'rne', LS: 'legal_status', CIN: 'category_of_need', PLACE: 'placement_type',
      PLACE_PROVIDER: 'placement_provider', DEC: 'dec', REC: 'reason_ceased', REASON_PLACE_CHANGE: 'reason_place_change',
      HOME_POST: 'home_postcode', PL_POST: 'placement_postcode', URN: 'urn',
    },
  },
  reviews: { table: 'lac_reviews', columns: { CHILD: 'child_id', REVIEW: 'review_date', REVIEW_CODE: 'participation' } },
  uasc: { table: 'uasc', columns: { CHILD: 'child_id', DUC: 'date_uasc_ceased' } },
  oc2: {
    table: 'health',
    columns: {
      CHILD: 'child_id', SDQ_SCORE: 'sdq_score', SDQ_REASON: 'sdq_reason', CONVICTED: 'convicted', HEALTH_CHECK: 'health_check',
      IMMUNISATIONS: 'immunisations', TEETH_CHECK: 'teeth_check', HEALTH_ASSESSMENT: 'health_assessment',
      SUBSTANCE_MISUSE: 'substance_misuse', INTERVENTION_RECEIVED: 'intervention_received', INTERVENTION_OFFERED: 'intervention_offered',
    },
  },
  oc3: { table: 'care_leavers', columns: { CHILD: 'child_id', IN_TOUCH: 'in_touch', ACTIV: 'activity', ACCOM: 'accommodation' } },
  ad1: {
    table: 'adoptions',
    columns: {
      CHILD: 'child_id', DATE_INT: 'decision_date', DATE_MATCH: 'matched_date', FOSTER_CARE: 'foster_care',
      NB_ADOPTR: 'number_of_adopters', SEX_ADOPTR: 'sex_of_adopters', LS_ADOPTR: 'legal_status_of_adopters',
    },
  },
  placed_for_adoption: {
    table: 'placed_for_adoption',
    columns: { CHILD: 'child_id', DATE_PLACED: 'date_placed', DATE_PLACED_CEASED: 'date_placed_ceased', REASON_PLACED_CEASED: 'reason_placed_ceased' },
  },
  previous_permanence: {
    table: 'previous_permanence',
    columns: { CHILD: 'child_id', PREV_PERM: 'previous_permanence', LA_PERM: 'la_of_permanence', DATE_PERM: 'date_of_permanence' },
  },
  missing: { table: 'missing_episodes', columns: { CHILD: 'child_id', MISSING: 'missing_type', MIS_START: 'start_date', MIS_END: 'end_date' } },
  sw_episodes: {
    table: 'social_worker_episodes',
    columns: { CHILD: 'child_id', SW_ID: 'worker_id', SW_DECOM: 'start_date', SW_DEC: 'end_date', SW_REASON: 'reason' },
  },
};

// ---------------------------------------------------------------------------------------------
// Recognising a table by its columns

/** A header cell as written → the column name it stands for: BOM, quotes, surrounding spaces and case ignored. */
export function normaliseColumn(heading: string): string {
  return heading.replace(/^\uFEFF/, '').trim().replace(/^"(.*)"$/, '$1').trim().toUpperCase();
}

export interface TableMatch {
  table: Ssda903Table;
  /** columns of the table the file does not have */
  missing: string[];
  /** columns of the file that the table does not have */
  extra: string[];
}

function match(table: Ssda903Table, present: ReadonlySet<string>, columns: string[]): TableMatch {
  const wanted = SSDA903_COLUMNS[table];
  return {
    table,
    missing: wanted.filter((c) => !present.has(c)),
    extra: [...new Set(columns.filter((c) => c !== '' && !wanted.includes(c)))],
  };
}

/** The table whose columns the file comes closest to: most columns in common, then fewest missing, then fewest extra. */
export function closestSsda903Table(columns: string[]): TableMatch {
  const norm = columns.map(normaliseColumn);
  const present = new Set(norm);
  let best: TableMatch | null = null;
  let bestCommon = -1;
  for (const table of SSDA903_TABLES) {
    const m = match(table, present, norm);
    const common = SSDA903_COLUMNS[table].length - m.missing.length;
    if (
      best === null || common > bestCommon ||
      (common === bestCommon && (m.missing.length < best.missing.length || (m.missing.length === best.missing.length && m.extra.length < best.extra.length)))
    ) {
      best = m;
      bestCommon = common;
    }
  }
  return best!;
}

/**
 * The SSDA903 table a header line belongs to, by its set of columns: every column of the table present
 * (in any order, any case, with BOM or spaces around); extra columns are allowed (the reader warns and
 * ignores them). Null when no table's columns are all there.
 */
export function detectSsda903Table(headerColumns: string[]): Ssda903Table | null {
  const norm = headerColumns.map(normaliseColumn);
  const present = new Set(norm);
  let best: TableMatch | null = null;
  for (const table of SSDA903_TABLES) {
    const m = match(table, present, norm);
    if (m.missing.length === 0 && (best === null || m.extra.length < best.extra.length)) best = m;
  }
  return best ? best.table : null;
}

// ---------------------------------------------------------------------------------------------
// From a checked row to a canonical row

const SEX_CODE: Readonly<Record<string, string>> = { '1': 'M', '2': 'F' };
const orNull = (v: string): string | null => (v === '' ? null : v);
const dateOrNull = (v: string | null | undefined): string | null => v ?? null;
const boolOrNull = (v: string): boolean | null => parseBool(v) ?? null;
const SDQ = /^(\d|[1-3]\d|40)$/;

/** DATE_PERM: a full dd/mm/yyyy date becomes ISO like every other date; a partial one ('zz/05/2015') is kept as written. */
function permanenceDate(v: string): string | null {
  return v === '' ? null : (parseUkDate(v) ?? v);
}

type Mapped = { table: TableName; row: Row<TableName> };

function toCanonical(table: Ssda903Table, r: RawRow, d: RowDates, year: CollectionYear | null): Mapped {
  const child_id = r.CHILD;
  switch (table) {
    case 'header':
      return {
        table: 'children',
        row: {
          child_id, upn: orNull(r.UPN), dob: dateOrNull(d.DOB), sex: SEX_CODE[r.SEX] ?? null, ethnicity: orNull(r.ETHNIC),
          disabilities: null, disabled: null, uasc: null, date_of_death: null,
        } satisfies Row<'children'>,
      };
    case 'episodes':
      return {
        table: 'lac_episodes',
        row: {
          child_id, decom: dateOrNull(d.DECOM), rne: orNull(r.RNE), legal_status: orNull(r.LS), category_of_need: orNull(r.CIN),
          placement_type: orNull(r.PLACE), placement_provider: orNull(r.PLACE_PROVIDER), dec: dateOrNull(d.DEC),
          reason_ceased: orNull(r.REC), reason_place_change: orNull(r.REASON_PLACE_CHANGE), home_postcode: orNull(r.HOME_POST),
          placement_postcode: orNull(r.PL_POST), urn: orNull(r.URN),
        } satisfies Row<'lac_episodes'>,
      };
    case 'reviews':
      return {
        table: 'lac_reviews',
        row: { child_id, review_date: dateOrNull(d.REVIEW), participation: orNull(r.REVIEW_CODE) } satisfies Row<'lac_reviews'>,
      };
    case 'uasc':
      return { table: 'uasc', row: { child_id, date_uasc_ceased: dateOrNull(d.DUC) } satisfies Row<'uasc'> };
    case 'oc2':
      return {
        table: 'health',
        row: {
          child_id, collection_year: year ? year.year : null, sdq_score: SDQ.test(r.SDQ_SCORE) ? Number(r.SDQ_SCORE) : null,
          sdq_reason: orNull(r.SDQ_REASON), convicted: boolOrNull(r.CONVICTED), health_check: boolOrNull(r.HEALTH_CHECK),
          immunisations: boolOrNull(r.IMMUNISATIONS), teeth_check: boolOrNull(r.TEETH_CHECK),
          health_assessment: boolOrNull(r.HEALTH_ASSESSMENT), substance_misuse: boolOrNull(r.SUBSTANCE_MISUSE),
          intervention_received: boolOrNull(r.INTERVENTION_RECEIVED), intervention_offered: boolOrNull(r.INTERVENTION_OFFERED),
        } satisfies Row<'health'>,
      };
    case 'oc3': {
      // ACCOM is a letter for the type of accommodation and 1 (suitable) or 2 (not suitable); '0' = not known.
      const suffix = /^[A-Z][12]$/.test(r.ACCOM) ? r.ACCOM[1] : null;
      return {
        table: 'care_leavers',
        row: {
          child_id, collection_year: year ? year.year : null, in_touch: orNull(r.IN_TOUCH), activity: orNull(r.ACTIV),
          accommodation: orNull(r.ACCOM), accommodation_suitable: suffix === null ? null : suffix === '1', eligibility: null,
        } satisfies Row<'care_leavers'>,
      };
    }
    case 'ad1':
      return {
        table: 'adoptions',
        row: {
          child_id, decision_date: dateOrNull(d.DATE_INT), placement_order_date: null, matched_date: dateOrNull(d.DATE_MATCH),
          placed_date: null, adoption_order_date: null, decision_reversed_date: null, reason_reversed: null,
          foster_care: boolOrNull(r.FOSTER_CARE), number_of_adopters: r.NB_ADOPTR === '1' || r.NB_ADOPTR === '2' ? Number(r.NB_ADOPTR) : null,
          sex_of_adopters: orNull(r.SEX_ADOPTR), legal_status_of_adopters: orNull(r.LS_ADOPTR),
        } satisfies Row<'adoptions'>,
      };
    case 'placed_for_adoption':
      return {
        table: 'placed_for_adoption',
        row: {
          child_id, date_placed: dateOrNull(d.DATE_PLACED), date_placed_ceased: dateOrNull(d.DATE_PLACED_CEASED),
          reason_placed_ceased: orNull(r.REASON_PLACED_CEASED),
        } satisfies Row<'placed_for_adoption'>,
      };
    case 'previous_permanence':
      return {
        table: 'previous_permanence',
        row: {
          child_id, previous_permanence: orNull(r.PREV_PERM), la_of_permanence: orNull(r.LA_PERM),
          date_of_permanence: permanenceDate(r.DATE_PERM),
        } satisfies Row<'previous_permanence'>,
      };
    case 'missing':
      return {
        table: 'missing_episodes',
        row: { child_id, missing_type: orNull(r.MISSING), start_date: dateOrNull(d.MIS_START), end_date: dateOrNull(d.MIS_END) } satisfies Row<'missing_episodes'>,
      };
    case 'sw_episodes':
      return {
        table: 'social_worker_episodes',
        row: {
          child_id, worker_id: orNull(r.SW_ID), start_date: dateOrNull(d.SW_DECOM), end_date: dateOrNull(d.SW_DEC),
          reason: orNull(r.SW_REASON),
        } satisfies Row<'social_worker_episodes'>,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// The collection year, when the caller does not give it

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

interface InferredYear {
  year: number;
  /** the episodes file it was read from and its latest episode start */
  from: string;
  latestDecom: string;
}

/**
 * The collection year of a return, from the episodes table among the CSVs in its folder: the reporting
 * year containing the latest episode start (DECOM) that is not in the future. Every episode starting
 * in the year is in the return, so the latest start falls in the year being returned.
 */
export async function inferCollectionYear(dir: string): Promise<InferredYear | null> {
  const today = new Date().toISOString().slice(0, 10);
  const candidates = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
  for (const name of candidates) {
    const path = join(dir, name);
    if (!statSync(path).isFile() || detectSsda903Table(firstLine(path).split(',')) !== 'episodes') continue;
    let decomAt = -1;
    let latest: string | null = null;
    const source = createReadStream(path);
    const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (decomAt < 0) {
          decomAt = record.map(normaliseColumn).indexOf('DECOM');
          continue;
        }
        const iso = parseUkDate(record[decomAt] ?? '');
        if (iso && iso <= today && (latest === null || iso > latest)) latest = iso;
      }
    } catch {
      continue; // a damaged episodes file says nothing about the year; it is reported when it is read itself
    } finally {
      source.destroy();
    }
    if (latest) return { year: Number(reportingYearOf(latest).start.slice(0, 4)), from: name, latestDecom: latest };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The reader

/**
 * Builds a row object with a fixed shape (an object literal generated for the table's columns), which V8
 * reads far faster in the rule checks than an object filled key by key. Column names are from the fixed
 * lists above, never from the file.
 */
type RawRowMaker = (record: string[], index: number[]) => RawRow;
const compiled = new Map<string, unknown>(); // per column list: compiling once per file cost more than reading a small file
function rawRowMaker(columns: readonly string[]): RawRowMaker {
  const key = `raw:${columns.join(',')}`;
  const known = compiled.get(key);
  if (known) return known as RawRowMaker;
  const body = columns.map((c, i) => `${JSON.stringify(c)}: record[index[${i}]].trim()`).join(', ');
  const made = new Function('record', 'index', `return { ${body} };`) as RawRowMaker;
  compiled.set(key, made);
  return made;
}

type RowDatesMaker = (r: RawRow, read: (v: string) => string | null | undefined) => RowDates;
function rowDatesMaker(columns: readonly string[]): RowDatesMaker {
  const key = `dates:${columns.join(',')}`;
  const known = compiled.get(key);
  if (known) return known as RowDatesMaker;
  const body = columns.map((c) => `${JSON.stringify(c)}: read(r[${JSON.stringify(c)}])`).join(', ');
  const made = new Function('r', 'read', `return { ${body} };`) as RowDatesMaker;
  compiled.set(key, made);
  return made;
}

/**
 * Feeds each parsed record to onRecord as it arrives ('data' events: no promise per record). When
 * onRecord returns a promise (the header, which may need the collection year looked up), the parser is
 * paused until it settles, so records stay in order.
 */
function streamRecords(parser: Parser, onRecord: (record: string[]) => Promise<void> | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      parser.pause();
      reject(err);
    };
    parser.on('data', (record: string[]) => {
      if (failed) return;
      try {
        const wait = onRecord(record);
        if (wait) {
          parser.pause();
          wait.then(() => { if (!failed) parser.resume(); }, fail);
        }
      } catch (err) {
        fail(err);
      }
    });
    parser.on('error', fail);
    parser.on('end', () => { if (!failed) resolve(); });
  });
}

export interface ReadSsda903Options {
  /** reporting year of the return as its start year (2024 = 2024-25) */
  collectionYear?: number;
  /** called with every row as read, before its checks (the validator stages raw rows: src/validate/staging.ts) */
  onRow?: Ssda903RowHook;
}

/** Sees each row of a table as read: every column, trimmed, '' when blank; `line` is the file line. */
export type Ssda903RowHook = (table: Ssda903Table, r: RawRow, line: number) => void;

function yearLabel(y: number): string {
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

function fileFinding(file: string, code: string, severity: 'error' | 'warning', row: number | null, message: string, section: string | null = null, field: string | null = null, value: string | null = null): Finding {
  return { ruleset: 'file', code, severity, file, row, section, field, value, childId: null, message };
}

function ruleFinding(
  file: string, rule: Ssda903Rule, line: number, element: string | undefined, childId: string,
  f: { field: string; value: string | null; detail: string; outcome?: string },
): Finding {
  const outcome = f.outcome ?? (rule.severity === 'error' ? 'row not loaded' : 'loaded, flagged');
  const which = rule.code.startsWith('CSC') ? rule.code : `rule ${rule.code}: ${rule.message.replace(/\.\s*$/, '')}`;
  return {
    ruleset: rule.code.startsWith('CSC') ? 'file' : 'ssda903', code: rule.code, severity: rule.severity, file, row: line,
    section: rule.table, field: f.field, value: f.value, childId: childId === '' ? null : childId,
    message: `${file} line ${line}${element ? `, ${element}` : ''}: ${f.detail} (${which}) — ${outcome}`,
  };
}

// ---------------------------------------------------------------------------------------------
// One row, checked and stored: the step the CSV and XML readers share

export interface Ssda903RowOptions {
  /** the file name findings give */
  file: string;
  sink: RecordSink;
  /** the collection year; rules that need it are skipped (the reader says so) when null */
  year: CollectionYear | null;
  /** how a date cell is read (ISO, or null when not a date): dd/mm/yyyy for the CSVs; the XML also takes ISO */
  parseDate?: (v: string) => string | null;
  /** sees each row before its checks (ReadSsda903Options.onRow) */
  onRow?: Ssda903RowHook;
}

/**
 * Checks one row of an SSDA903 table and stores it: `r` has every column of the table (SSDA903_COLUMNS),
 * trimmed, '' when blank. Every rule of ssda903Rules.ts for the table runs (those needing the collection
 * year only when it is known); failures become findings at `line` (the file line; `element` adds where in
 * an XML file, 'Child 3 Episode 2'). The canonical row is given to the sink unless an error rule failed.
 * Returns whether the row was stored.
 */
/** CSC308: a date column no DfE rule checks holds something that is not a date (a key date: the row is not loaded). */
const UNREADABLE_DATE = { code: 'CSC308', severity: 'warning', message: 'not a date', check: () => null } as const;
const UNREADABLE_KEY_DATE = { ...UNREADABLE_DATE, severity: 'error' } as const;

export type Ssda903RowStep = (table: Ssda903Table, r: RawRow, line: number, element?: string) => boolean;

export function ssda903RowStep(options: Ssda903RowOptions): Ssda903RowStep {
  const { file, sink, year } = options;
  const parseDate = options.parseDate ?? parseUkDate;
  // Dates repeat across rows (a few thousand distinct values in a million rows): read each once.
  const dateCache = new Map<string, string | null>();
  const readDate = (v: string): string | null | undefined => {
    if (v === '') return null;
    let iso = dateCache.get(v);
    if (iso === undefined) {
      iso = parseDate(v);
      if (dateCache.size < 100_000) dateCache.set(v, iso);
    }
    return iso ?? undefined;
  };
  // Per table, made on its first row: the rules to run and the reader of its date columns.
  type DateColumn = { name: string; stored: boolean; key: boolean };
  type Plan = { table: Ssda903Table; rules: Ssda903Rule[]; makeDates: RowDatesMaker; dateColumns: DateColumn[] };
  const plans = new Map<Ssda903Table, Plan>();
  let last: Plan | null = null;

  const onRow = options.onRow;
  return (table, r, line, element) => {
    if (onRow) onRow(table, r, line);
    if (last === null || last.table !== table) {
      last = plans.get(table) ?? {
        table, rules: rulesFor(table).filter((rule) => !rule.needsYear || year !== null), makeDates: rowDatesMaker(SSDA903_DATE_COLUMNS[table]),
        dateColumns: SSDA903_DATE_COLUMNS[table].map((name) => {
          const stored = SSDA903_STORED[table].columns[name];
          return { name, stored: stored !== undefined, key: stored !== undefined && (TABLES[SSDA903_STORED[table].table].key as readonly string[]).includes(stored) };
        }),
      };
      plans.set(table, last);
    }
    const { rules, makeDates, dateColumns } = last;
    const d = makeDates(r, readDate);
    let rejected = false;
    let flagged: Set<string> | null = null;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const failed = rule.check(r, d, year);
      if (failed === null) continue;
      flagged ??= new Set();
      for (const f of Array.isArray(failed) ? failed : [failed]) {
        sink.finding(ruleFinding(file, rule, line, element, r.CHILD, f));
        flagged.add(f.field);
      }
      if (rule.severity === 'error') rejected = true;
    }
    // A date no DfE rule reads (DOB repeated in the other tables, …) is still never taken silently (CSC308).
    for (let i = 0; i < dateColumns.length; i++) {
      const c = dateColumns[i];
      if (d[c.name] !== undefined || flagged?.has(c.name)) continue;
      const rule = c.key ? UNREADABLE_KEY_DATE : UNREADABLE_DATE;
      sink.finding(ruleFinding(file, { ...rule, table, fields: [c.name] }, line, element, r.CHILD, {
        field: c.name, value: r[c.name], detail: `${c.name} ${r[c.name]} is not a date (dd/mm/yyyy)`,
        outcome: c.key ? 'row not loaded' : c.stored ? 'loaded without it' : 'loaded, flagged',
      }));
      if (c.key) rejected = true;
    }
    if (rejected) return false;
    const mapped = toCanonical(table, r, d, year);
    sink.add(mapped.table, mapped.row, line);
    return true;
  };
}

/**
 * Streams one SSDA903 CSV into the sink. Row numbers are file lines (the header is line 1). Throws
 * FileRejected, with findings saying why, for a file that is empty, damaged, or not an SSDA903 table.
 */
export async function readSsda903(path: Source, sink: RecordSink, options: ReadSsda903Options = {}): Promise<FileSummary> {
  const file = sourceName(path);
  if (sourceSize(path) === 0) {
    const message = `${file}: the file is empty (no header line, no rows) — nothing loaded`;
    throw new FileRejected(message, [fileFinding(file, FILE_CODES.empty, 'error', null, message)]);
  }

  // UTF-8 only, checked as it streams (textFile.ts); a record over MAX_RECORD_CHARS is an open quote or not a return.
  const source = checkedTextStream(path, file, 'CSV');
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  let line = 0; // file line of the current record
  let extraLines = 0; // newlines inside quoted fields of the previous record
  let table: Ssda903Table | null = null;
  let headerLine = 0;
  let columns: string[] = [];
  let fieldCount = 0;
  let index: number[] = [];
  let names: readonly string[] = [];
  let makeRaw: RawRowMaker = () => ({});
  let step: Ssda903RowStep = () => false;
  let year: CollectionYear | null = options.collectionYear !== undefined ? yearBounds(options.collectionYear) : null;
  const columnMap: Record<string, string> = {};

  /** The header line: which table this is, its columns, the collection year, the rules to run. */
  const onHeader = async (record: string[]): Promise<void> => {
    headerLine = line;
    columns = record.map(normaliseColumn);
    const found = detectSsda903Table(record);
    if (!found) {
      const near = closestSsda903Table(record);
      const message = `${file}: the columns are not those of any SSDA903 table — closest is ${near.table} (${SSDA903_COLUMNS[near.table].join(',')}), ` +
        `which also needs ${near.missing.join(', ')}${near.extra.length ? `; not expected: ${near.extra.join(', ')}` : ''} — nothing loaded (CSC305)`;
      throw new FileRejected(message, [fileFinding(file, FILE_CODES.notRecognised, 'error', line, message, near.table, near.missing.join(', '), record.join(','))]);
    }
    const t = found;
    names = SSDA903_COLUMNS[t];
    index = names.map((c) => columns.indexOf(c));
    fieldCount = record.length;
    makeRaw = rawRowMaker(names);
    const stored = SSDA903_STORED[t].columns;
    for (let i = 0; i < names.length; i++) if (stored[names[i]]) columnMap[record[index[i]]] = stored[names[i]];

    const { extra } = match(t, new Set(columns), columns);
    if (extra.length > 0) {
      sink.finding(fileFinding(file, FILE_CODES.extraColumns, 'warning', line,
        `${file} line ${line}: column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not part of the SSDA903 ${t} table — ignored (CSC306)`,
        t, extra.join(', '), null));
    }
    if (year === null) {
      const folder = sourceDir(path);
      const inferred = folder === null ? null : await inferCollectionYear(folder);
      if (inferred) {
        year = yearBounds(inferred.year);
        sink.finding(fileFinding(file, FILE_CODES.collectionYear, 'warning', null,
          `${file}: collection year not given; taken as ${yearLabel(inferred.year)} from the latest episode start (DECOM ${ukDate(inferred.latestDecom)}) in ${inferred.from} — give the year (--year, or a folder named ${yearLabel(inferred.year)}) if that is wrong (CSC307)`,
          t));
      } else if (t === 'oc2' || t === 'oc3') {
        const message = `${file}: the collection year is not known — ${t.toUpperCase()} rows are recorded per year, and neither the file, its folder name nor an episodes table beside it says which; give the year (--year, or a folder named like 2024-25) — nothing loaded (CSC307)`;
        throw new FileRejected(message, [fileFinding(file, FILE_CODES.collectionYear, 'error', null, message, t)]);
      }
    }
    step = ssda903RowStep({ file, sink, year, onRow: options.onRow });
    const skipped = rulesFor(t).filter((r) => r.needsYear && year === null).map((r) => r.code);
    if (skipped.length > 0) {
      sink.finding(fileFinding(file, FILE_CODES.collectionYear, 'warning', null,
        `${file}: collection year not known, so rule${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} (dates against the year) ${skipped.length > 1 ? 'were' : 'was'} not checked — give the year (--year, or a folder named like 2024-25) (CSC307)`,
        t));
    }
    table = t;
  };

  /** A data row: checked, then loaded unless an error rule failed. */
  const onRow = (t: Ssda903Table, record: string[]): void => {
    if (record.length !== fieldCount) {
      let onlyEmptyExtra = record.length > fieldCount;
      for (let i = fieldCount; onlyEmptyExtra && i < record.length; i++) if (record[i].trim() !== '') onlyEmptyExtra = false;
      if (!onlyEmptyExtra) {
        sink.finding({
          ruleset: 'file', code: FILE_CODES.wrongFieldCount, severity: 'error', file, row: line, section: t, field: null,
          value: record.join(','), childId: index[0] < record.length ? (record[index[0]].trim() || null) : null,
          message: `${file} line ${line}: ${record.length} field${record.length === 1 ? '' : 's'} where the header (line ${headerLine}) has ${fieldCount} — row not loaded (CSC302)`,
        });
        return;
      }
    }
    step(t, makeRaw(record, index), line);
  };

  const onRecord = (record: string[]): Promise<void> | undefined => {
    line += 1 + extraLines;
    extraLines = 0;
    for (let i = 0; i < record.length; i++) {
      if (record[i].includes('\n')) extraLines += record[i].split('\n').length - 1;
    }
    let blank = true;
    for (let i = 0; i < record.length; i++) if (record[i].trim() !== '') { blank = false; break; }
    if (blank) return undefined; // empty lines and lines of bare commas hold nothing
    if (table === null) return onHeader(record);
    onRow(table, record);
    return undefined;
  };

  try {
    await streamRecords(parser, onRecord);
  } catch (err) {
    if (err instanceof FileRejected) throw err;
    const e = err as Error & { code?: string; lines?: number };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      if (e.code === 'CSV_MAX_RECORD_SIZE') throw tooLong(file, line + 1 + extraLines, 'the record starting here');
      const at = typeof e.lines === 'number' ? e.lines : line + 1;
      const message = `${file} line ${at}: the CSV cannot be read from here (${e.message.replace(/^[^:]*:\s*/, '')}) — nothing loaded (CSC303)`;
      throw new FileRejected(message, [fileFinding(file, FILE_CODES.damaged, 'error', at, message, table)]);
    }
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }

  if (table === null) {
    const message = `${file}: the file is empty (no header line, no rows) — nothing loaded`;
    throw new FileRejected(message, [fileFinding(file, FILE_CODES.empty, 'error', null, message)]);
  }
  const summary: FileSummary = { kind: 'ssda903', parts: [table], columnMap: { [table]: columnMap } };
  if (year) {
    summary.collectionYear = year.year;
    summary.periodStart = year.start;
    summary.periodEnd = year.end;
  }
  return summary;
}
