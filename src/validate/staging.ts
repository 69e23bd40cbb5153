// Staging: every raw field of a return, as text, with its file and line, in DuckDB tables the validate rules
// query (one in-memory database per run). Filled in the same streaming pass as the load-path checks, through
// the readers' hooks (readSsda903 / readSsda903Xml onRow, readCinCensus onHeader / onChild), with DuckDB's
// appender. Values: SSDA903 blank cell → NULL; CIN absent element → NULL, empty element → ''. Use the
// macros below rather than parsing by hand: blank(x), uk_date(x) (dd/mm/yyyy), iso_date(x) (CIN's yyyy-mm-dd).
//
// SSDA903: one table per DfE table, DfE's column names (header, episodes, reviews, uasc, oc2, oc3, ad1,
//          placed_for_adoption, previous_permanence, missing, sw_episodes) and the same with _last for last
//          year's return (empty when not given).
// CIN:     header; children (ChildIdentifiers + ChildCharacteristics); disabilities; cin_details; assessments
//          (AssessmentFactors comma-joined) and assessment_factors (one row each); cin_plan_dates; section47;
//          child_protection_plans; cp_reviews (one row per CPPreviewDate); pre_proceedings. Each row has
//          child_line (the <Child>'s line: the key that joins a child's rows, whatever its LAchildID) and,
//          below CINdetails, details_line; cp_reviews has cpp_line. LAchildID is on every row.
// collection: one row, collection_start and collection_end (the census date, 31 March) of the rule set's year.
// working_days: one row per calendar day FIRST_DATE..LAST_DATE of calendar.ts (d DATE, n INTEGER): n is the
//          count of England working days (no weekends, no bank holidays) up to and including d, so the working
//          days after a up to and including b are n(b) − n(a), as calendar.ts's workingDaysBetween counts them.
// ofsted_providers (SSDA903, empty unless --ofsted-providers is given): Ofsted's list of children's social care
//          providers, one row per URN — OFSTED_COLUMNS below; stageOfstedProviders reads the CSV.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { SSDA903_COLUMNS, SSDA903_TABLES, type Ssda903Table } from '../ingest/ssda903.ts';
import type { RawRow } from '../ingest/ssda903Rules.ts';
import type { CinChild, CinRecord } from '../ingest/cinRules.ts';
import type { Return } from './catalogue.ts';
import { FIRST_DATE, LAST_DATE, bankHolidays } from '../calendar.ts';

const PROVENANCE = ['file', 'line'] as const;

export const CIN_COLUMNS = {
  header: ['Collection', 'Year', 'ReferenceDate', 'SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime'],
  children: [
    'LAchildID', 'UPN', 'FormerUPN', 'UPNunknown', 'PersonBirthDate', 'ExpectedPersonBirthDate', 'GenderCurrent', 'Sex',
    'PersonDeathDate', 'Ethnicity',
  ],
  disabilities: ['child_line', 'LAchildID', 'Disability'],
  cin_details: [
    'child_line', 'LAchildID', 'CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure',
    'DateOfInitialCPC', 'ReferralNFA',
  ],
  assessments: [
    'child_line', 'details_line', 'LAchildID', 'AssessmentActualStartDate', 'AssessmentInternalReviewDate',
    'AssessmentAuthorisationDate', 'AssessmentFactors',
  ],
  assessment_factors: ['child_line', 'details_line', 'assessment_line', 'LAchildID', 'AssessmentFactors'],
  cin_plan_dates: ['child_line', 'details_line', 'LAchildID', 'CINPlanStartDate', 'CINPlanEndDate'],
  section47: ['child_line', 'details_line', 'LAchildID', 'S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired'],
  child_protection_plans: [
    'child_line', 'details_line', 'LAchildID', 'CPPstartDate', 'CPPendDate', 'InitialCategoryOfAbuse', 'LatestCategoryOfAbuse',
    'NumberOfPreviousCPP',
  ],
  cp_reviews: ['child_line', 'details_line', 'cpp_line', 'LAchildID', 'CPPreviewDate'],
  pre_proceedings: [
    'child_line', 'details_line', 'LAchildID', 'PPStartDate', 'LBPSentDate', 'FGDMMeetingOffer', 'FGDMMeetingFac', 'InitialPPMeetingDate',
    'ReviewMeetingsCount', 'StepDecisionDate', 'PPOutcome', 'CourtAppDate', 'LetterInitCPDate',
  ],
} as const;
export type CinTable = keyof typeof CIN_COLUMNS;
export const CIN_TABLES = Object.keys(CIN_COLUMNS) as CinTable[];
/**
 * The Ofsted provider list (--ofsted-providers FILE): a CSV with a header line, one row per provider, as Ofsted
 * publishes it ("Children's social care data in England": providers in and closed during the year). Columns,
 * matched by name whatever their case, spaces or punctuation (the aliases are Ofsted's headings):
 *   URN            the provider's Unique Reference Number (SC123456)
 *   PROVIDER_TYPE  Ofsted's provider type ("Children's home", "Independent fostering agency" …)
 *   SECTOR         Local authority / Private / Voluntary / Health authority (Ofsted's "Sector" or "Ownership")
 *   LA             the local authority the provider is in ("Local authority")
 *   POSTCODE       the setting's postcode ("Setting postcode", "Postcode")
 *   REGISTERED     registration date, dd/mm/yyyy ("Registration date")
 *   CLOSED         closure date, dd/mm/yyyy, blank while open ("Closure date", "Date closed")
 *   PLACE_CODES    optional: the SSDA903 placement types (PLACE) the provider offers, comma-separated ("K2,S1"), as in
 *                  DfE's provider lookup; when blank, rule 219 derives them from PROVIDER_TYPE (ofsted.ts)
 * A column that is absent is staged blank.
 */
export const OFSTED_COLUMNS = ['URN', 'PROVIDER_TYPE', 'SECTOR', 'LA', 'POSTCODE', 'REGISTERED', 'CLOSED', 'PLACE_CODES'] as const;
const OFSTED_ALIASES: Readonly<Record<(typeof OFSTED_COLUMNS)[number], readonly string[]>> = {
  URN: ['urn', 'uniquereferencenumber'],
  PROVIDER_TYPE: ['providertype', 'type'],
  SECTOR: ['sector', 'ownership', 'providersector'],
  LA: ['la', 'localauthority', 'providerla'],
  POSTCODE: ['postcode', 'settingpostcode', 'providerpostcode'],
  REGISTERED: ['registered', 'registrationdate', 'dateregistered'],
  CLOSED: ['closed', 'closuredate', 'dateclosed'],
  PLACE_CODES: ['placecodes', 'placementcodes', 'placementtypes'],
};
const norm = (c: string): string => c.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Appends the Ofsted provider CSV to ofsted_providers (line = its line in the file). */
export async function stageOfstedProviders(conn: DuckDBConnection, path: string, file: string): Promise<void> {
  const cols = (await conn.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($1, all_varchar = true, header = true))`, [path]))
    .getRowObjectsJS().map((r) => String(r.column_name));
  const pick = (c: (typeof OFSTED_COLUMNS)[number]): string => {
    const found = cols.find((x) => OFSTED_ALIASES[c].includes(norm(x)));
    return found === undefined ? 'NULL' : `NULLIF(trim("${found.replace(/"/g, '""')}"), '')`;
  };
  await conn.run(
    `INSERT INTO ofsted_providers SELECT $2, CAST(row_number() OVER () + 1 AS INTEGER), ${OFSTED_COLUMNS.map(pick).join(', ')}
     FROM read_csv($1, all_varchar = true, header = true)`, [path, file]);
}

const LINE_COLUMNS = new Set(['line', 'child_line', 'details_line', 'assessment_line', 'cpp_line']);

/** Every staged table of a return and its columns (provenance first). */
export function stagedTables(r: Return): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  if (r === 'ssda903') {
    for (const t of SSDA903_TABLES) out[t] = [...PROVENANCE, ...SSDA903_COLUMNS[t]];
    for (const t of SSDA903_TABLES) out[`${t}_last`] = [...PROVENANCE, ...SSDA903_COLUMNS[t]];
    out.ofsted_providers = [...PROVENANCE, ...OFSTED_COLUMNS];
  } else {
    for (const t of CIN_TABLES) out[t] = [...PROVENANCE, ...CIN_COLUMNS[t]];
  }
  return out;
}

const MACROS = [
  `CREATE OR REPLACE MACRO blank(x) AS (x IS NULL OR trim(x) = '')`,
  `CREATE OR REPLACE MACRO uk_date(x) AS TRY_CAST(TRY_STRPTIME(trim(x), '%d/%m/%Y') AS DATE)`,
  `CREATE OR REPLACE MACRO iso_date(x) AS TRY_CAST(trim(x) AS DATE)`,
];

/** Creates the staged tables, the macros and the collection row. */
export async function createStaging(conn: DuckDBConnection, r: Return, year: number): Promise<void> {
  for (const [t, cols] of Object.entries(stagedTables(r))) {
    const defs = cols.map((c) => `"${c}" ${LINE_COLUMNS.has(c) ? 'INTEGER' : 'VARCHAR'}`).join(', ');
    await conn.run(`CREATE TABLE "${t}" (${defs})`);
  }
  for (const m of MACROS) await conn.run(m);
  await conn.run(`CREATE TABLE collection AS SELECT DATE '${year}-04-01' AS collection_start, DATE '${year + 1}-03-31' AS collection_end`);
  await conn.run(WORKING_DAYS_SQL);
}

const HOLIDAYS = bankHolidays(Number(FIRST_DATE.slice(0, 4)), Number(LAST_DATE.slice(0, 4))).map((h) => `DATE '${h.date}'`).join(', ');
const WORKING_DAYS_SQL = `CREATE TABLE working_days AS
  SELECT d, CAST(sum(CASE WHEN dayofweek(d) IN (0, 6) OR d IN (${HOLIDAYS}) THEN 0 ELSE 1 END) OVER (ORDER BY d) AS INTEGER) AS n
  FROM (SELECT CAST(generate_series AS DATE) AS d FROM generate_series(DATE '${FIRST_DATE}', DATE '${LAST_DATE}', INTERVAL 1 DAY))`;

/** Appends rows to staged tables; open() before reading, close() after. Sync appends, so the readers' hooks can call them. */
export class Stager {
  private appenders = new Map<string, { a: DuckDBAppender; cols: readonly string[] }>();
  readonly counts: Record<string, number> = {};

  constructor(private conn: DuckDBConnection, private r: Return) {}

  async open(): Promise<void> {
    for (const [t, cols] of Object.entries(stagedTables(this.r))) {
      this.appenders.set(t, { a: await this.conn.createAppender(t), cols });
    }
  }

  /** One row: values by column name; missing → NULL. */
  append(table: string, file: string, line: number | null, values: Readonly<Record<string, string | number | null | undefined>>): void {
    const entry = this.appenders.get(table);
    if (!entry) throw new Error(`no staged table ${table}`);
    const { a, cols } = entry;
    a.appendVarchar(file);
    if (line === null) a.appendNull(); else a.appendInteger(line);
    for (let i = 2; i < cols.length; i++) {
      const v = values[cols[i]];
      if (v === null || v === undefined) a.appendNull();
      else if (typeof v === 'number') a.appendInteger(v);
      else a.appendVarchar(v);
    }
    a.endRow();
    this.counts[table] = (this.counts[table] ?? 0) + 1;
  }

  /** An SSDA903 row as the reader gives it (blank → NULL). */
  ssda903Row(table: Ssda903Table, r: RawRow, file: string, line: number, last = false): void {
    const values: Record<string, string | null> = {};
    for (const c of SSDA903_COLUMNS[table]) values[c] = r[c] === '' || r[c] === undefined ? null : r[c];
    this.append(last ? `${table}_last` : table, file, line, values);
  }

  cinHeader(h: CinRecord, file: string): void {
    this.append('header', file, h.line, fieldsOf(h));
  }

  /** A <Child> and everything inside it, as written (no objects built per record: the hot path for large files). */
  cinChild(c: CinChild, file: string): void {
    const k = this.keys;
    k.LAchildID = c.fields.LAchildID?.text ?? null;
    k.child_line = c.line;
    this.put('children', file, c, null);
    for (const d of c.disabilities) {
      k.extra = d.text;
      this.put('disabilities', file, null, d.line);
    }
    for (const d of c.details) {
      k.details_line = d.line;
      this.put('cin_details', file, d, null);
      for (const a of d.assessments) {
        k.extra = a.factors.length ? a.factors.map((f) => f.text).join(',') : null;
        this.put('assessments', file, a, null);
        k.assessment_line = a.line;
        for (const f of a.factors) {
          k.extra = f.text;
          this.put('assessment_factors', file, null, f.line);
        }
      }
      for (const p of d.cinPlans) this.put('cin_plan_dates', file, p, null);
      for (const s of d.section47) this.put('section47', file, s, null);
      for (const p of d.cpPlans) {
        this.put('child_protection_plans', file, p, null);
        k.cpp_line = p.line;
        for (const rv of p.reviews) {
          k.extra = rv.fields.CPPreviewDate?.text ?? null;
          this.put('cp_reviews', file, null, rv.line);
        }
      }
      for (const p of d.preProceedings) this.put('pre_proceedings', file, p, null);
    }
  }

  /** The keys of the record being staged; `extra` is the one value that is not a field (a disability, a factor, a review date). */
  private keys: { LAchildID: string | null; child_line: number; details_line: number; assessment_line: number; cpp_line: number; extra: string | null } = {
    LAchildID: null, child_line: 0, details_line: 0, assessment_line: 0, cpp_line: 0, extra: null,
  };

  /** Where each column of a CIN table comes from: a key, the extra value, or the record's field of that name. */
  private sources = new Map<string, { a: DuckDBAppender; cols: readonly string[]; from: (keyof Stager['keys'] | null)[] }>();

  private put(table: CinTable, file: string, rec: CinRecord | null, line: number | null): void {
    let plan = this.sources.get(table);
    if (!plan) {
      const entry = this.appenders.get(table)!;
      const extra = EXTRA[table];
      const from = entry.cols.map((c) => (c === extra ? 'extra' : c in this.keys ? (c as keyof Stager['keys']) : null));
      plan = { ...entry, from };
      this.sources.set(table, plan);
    }
    const { a, cols, from } = plan;
    a.appendVarchar(file);
    const l = rec ? rec.line : line;
    if (l === null) a.appendNull(); else a.appendInteger(l);
    for (let i = 2; i < cols.length; i++) {
      const src = from[i];
      if (src === null) {
        const f = rec ? rec.fields[cols[i]] : undefined;
        if (f === undefined) a.appendNull(); else a.appendVarchar(f.text);
      } else {
        const v = this.keys[src];
        if (v === null) a.appendNull();
        else if (typeof v === 'number') a.appendInteger(v);
        else a.appendVarchar(v);
      }
    }
    a.endRow();
    this.counts[table] = (this.counts[table] ?? 0) + 1;
  }

  close(): void {
    for (const { a } of this.appenders.values()) a.closeSync();
    this.appenders.clear();
    this.sources.clear();
  }
}

/** The column of a CIN table whose value is not a field of its record. */
const EXTRA: Partial<Record<CinTable, string>> = {
  disabilities: 'Disability', assessments: 'AssessmentFactors', assessment_factors: 'AssessmentFactors', cp_reviews: 'CPPreviewDate',
};

function fieldsOf(r: CinRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of Object.entries(r.fields)) out[k] = f.text;
  return out;
}
