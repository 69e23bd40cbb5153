// The validator: stages a return (staging.ts) while the readers run their load-path row rules, in one
// streaming pass per file, then runs every validate SQL rule of the rule set over the staged tables, and
// says for every DfE code what happened: checked (with its findings), skipped (and why) or not yet written.
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { detectKind } from '../load.ts';
import { readCinCensus } from '../ingest/cinCensus.ts';
import { readSsda903 } from '../ingest/ssda903.ts';
import { looksLikeXml, readSsda903Xml } from '../ingest/ssda903Xml.ts';
import { FileRejected } from '../ingest/errors.ts';
import type { Finding, RecordSink } from '../ingest/types.ts';
import { RULESETS, dfeRules, type Return, type Ruleset } from './catalogue.ts';
import { registry, type Implementation } from './registry.ts';
import { createStaging, stageOfstedProviders, Stager } from './staging.ts';
import { OPTIONAL_INPUTS, neededInputs, type OptionalInput, type Rule, type ValidationFinding } from './types.ts';

export interface ValidateOptions {
  ruleset: Ruleset;
  /** last year's return (SSDA903: its CSVs or XML, or folders of them), staged as <table>_last */
  lastYear?: string[];
  /** a CSV of postcode distances, staged as table postcodes (every column as text) */
  postcodes?: string;
  /** a CSV of Ofsted providers, staged as table ofsted_providers (staging.ts OFSTED_COLUMNS) */
  ofstedProviders?: string;
  /** the authority's own ONS code (E06000001 …), staged as table own_la(code) */
  localAuthority?: string;
}

export interface FileStatus {
  file: string;
  status: 'read' | 'rejected' | 'not this return';
  /** rows staged, by table */
  rows: Record<string, number>;
  lastYear: boolean;
  message?: string;
}

export interface RuleStatus {
  code: string;
  /** DfE's message */
  message: string;
  implementation: Implementation['kind'];
  status: 'checked' | 'skipped' | 'todo';
  /** why a rule was skipped or is todo, in words */
  reason?: string;
  count: number;
  children: number;
}

export interface ValidationResult {
  ruleset: Ruleset;
  return: Return;
  collectionYear: number;
  files: FileStatus[];
  /** findings of DfE rules, by DfE's order of codes, then file and line */
  findings: ValidationFinding[];
  /** the readers' own findings (CSC codes: unreadable dates, unknown elements, damaged rows …) */
  fileFindings: ValidationFinding[];
  rules: RuleStatus[];
  seconds: number;
  /** seconds spent reading and staging the files, and running the SQL rules */
  timings: { stage: number; rules: number };
}

/** Files, with folders replaced by the files in them (sorted). */
function expand(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (!f.startsWith('.') && statSync(join(p, f)).isFile()) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

function fromReader(f: Finding, messages: ReadonlyMap<string, string>): ValidationFinding {
  const dfe = f.ruleset === 'cin' || f.ruleset === 'ssda903' ? messages.get(f.code) : undefined;
  return {
    code: f.code, message: dfe ?? f.message, severity: f.severity, file: f.file, table: f.section ?? null, line: f.row,
    childId: f.childId ?? null, field: f.field, value: f.value, detail: f.message,
  };
}

/** Stages one file; returns its status and the readers' findings. */
async function stageFile(
  path: string, r: Return, year: number, stager: Stager, last: boolean, onFinding: (f: Finding) => void,
): Promise<FileStatus> {
  const file = basename(path);
  const sink: RecordSink = { add: () => {}, finding: onFinding };
  const before = { ...stager.counts };
  const status: FileStatus = { file, status: 'read', rows: {}, lastYear: last };
  const kind = detectKind(path);
  if (kind !== (r === 'cin' ? 'cin_census' : 'ssda903')) {
    status.status = 'not this return';
    status.message = `${file}: not ${r === 'cin' ? 'a CIN census file' : 'an SSDA903 file'} (read as ${kind ?? 'unknown'}) — not checked`;
    return status;
  }
  try {
    if (r === 'cin') {
      await readCinCensus(path, sink, { onHeader: (h) => stager.cinHeader(h, file), onChild: (c) => stager.cinChild(c, file) });
    } else {
      const options = { collectionYear: year, onRow: (t: Parameters<Stager['ssda903Row']>[0], row: Parameters<Stager['ssda903Row']>[1], line: number) => stager.ssda903Row(t, row, file, line, last) };
      await (looksLikeXml(path) ? readSsda903Xml(path, sink, options) : readSsda903(path, sink, options));
    }
  } catch (err) {
    if (!(err instanceof FileRejected)) throw err;
    status.status = 'rejected';
    status.message = err.message;
    for (const f of err.findings) onFinding(f);
  }
  for (const [t, n] of Object.entries(stager.counts)) if (n !== (before[t] ?? 0)) status.rows[t] = n - (before[t] ?? 0);
  return status;
}

interface SqlRow { file: string; line: number | null; child_id: string | null; tbl?: string | null; field?: string | null; value?: string | null }

/** Runs one validate rule over staged tables: its failing rows as findings. */
export async function runRule(conn: DuckDBConnection, rule: Rule): Promise<ValidationFinding[]> {
  const reader = await conn.runAndReadAll(`SELECT * FROM (${rule.sql}) ORDER BY file, line`);
  const rows = reader.getRowObjectsJS() as unknown as SqlRow[];
  return rows.map((row) => ({
    code: rule.code, message: rule.message, severity: rule.severity, file: String(row.file), table: row.tbl ?? rule.tables[0],
    line: row.line === null || row.line === undefined ? null : Number(row.line), childId: row.child_id ?? null,
    field: row.field ?? rule.fields[0] ?? null, value: row.value ?? null, detail: null,
  }));
}

function given(options: ValidateOptions, input: OptionalInput): boolean {
  if (input === 'lastYear') return (options.lastYear?.length ?? 0) > 0;
  return !!options[input];
}

export function skippedReason(input: OptionalInput): string {
  const i = OPTIONAL_INPUTS[input];
  return `skipped: needs ${i.what} (${i.option})`;
}

/** Opens an in-memory database with the staged tables of a return; the caller closes it. */
export async function openStaging(r: Return, year: number): Promise<{ conn: DuckDBConnection; connect(): Promise<DuckDBConnection>; close(): void }> {
  // Staged text of a 160 MB file is bigger than the memory budget: DuckDB keeps at most 256 MB and spills the
  // rest to its temporary directory.
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '256MB', temp_directory: join(tmpdir(), 'csc-validate.tmp') });
  const conn = await instance.connect();
  await createStaging(conn, r, year);
  const more: DuckDBConnection[] = [];
  return {
    conn,
    connect: async () => { const c = await instance.connect(); more.push(c); return c; },
    close: () => { for (const c of more) c.closeSync(); conn.closeSync(); instance.closeSync(); },
  };
}

/** SQL rules run side by side: most are small queries, so one connection leaves a core idle. */
const RULE_CONNECTIONS = 3;

/** Validates a return's files against a rule set. */
export async function validate(files: readonly string[], options: ValidateOptions): Promise<ValidationResult> {
  const started = performance.now();
  // Refused before any file is read: a mistyped code should not cost a whole staging of the return.
  if (options.localAuthority !== undefined && !/^[EWSN]\d{8}$/.test(options.localAuthority)) {
    throw new RangeError(`--la ${options.localAuthority}: not an ONS local authority code (a letter E, W, S or N and 8 digits, e.g. E08000001)`);
  }
  const { return: r, year } = RULESETS[options.ruleset];
  const db = await openStaging(r, year);
  try {
    const stager = new Stager(db.conn, r);
    await stager.open();
    const statuses: FileStatus[] = [];
    // the readers' findings, kept only as ValidationFindings (a large file has many)
    const messages = new Map(dfeRules(r).map((d) => [d.code, d.message]));
    const byCode = new Map<string, ValidationFinding[]>();
    const fileFindings: ValidationFinding[] = [];
    const onFinding = (f: Finding): void => {
      const v = fromReader(f, messages);
      if (messages.has(f.code) && (f.ruleset === 'cin' || f.ruleset === 'ssda903')) {
        let list = byCode.get(f.code);
        if (!list) byCode.set(f.code, (list = []));
        list.push(v);
      } else fileFindings.push(v);
    };
    for (const path of expand(files)) statuses.push(await stageFile(path, r, year, stager, false, onFinding));
    if (options.lastYear?.length) {
      if (r === 'cin') throw new Error("last year's return is an input for SSDA903 rules only");
      for (const path of expand(options.lastYear)) statuses.push(await stageFile(path, r, year - 1, stager, true, () => {}));
    }
    stager.close();
    const staged = performance.now();
    if (options.postcodes) await db.conn.run(`CREATE TABLE postcodes AS SELECT * FROM read_csv($1, all_varchar = true)`, [options.postcodes]);
    if (options.localAuthority !== undefined) await db.conn.run('CREATE TABLE own_la AS SELECT $1::VARCHAR AS code', [options.localAuthority]);
    if (options.ofstedProviders) {
      if (r !== 'ssda903') throw new Error('the Ofsted provider list is an input for SSDA903 rules only');
      await stageOfstedProviders(db.conn, options.ofstedProviders, basename(options.ofstedProviders));
    }

    const runnable = registry(r).flatMap(({ dfe, impl }) =>
      impl.kind === 'sql' && neededInputs(impl.rule).every((i) => given(options, i)) ? [{ code: dfe.code, rule: impl.rule }] : []);
    const connections = [db.conn, ...(await Promise.all(Array.from({ length: RULE_CONNECTIONS - 1 }, () => db.connect())))];
    const results = new Map<string, ValidationFinding[]>();
    let next = 0;
    await Promise.all(connections.map(async (conn) => {
      for (let i = next++; i < runnable.length; i = next++) results.set(runnable[i].code, await runRule(conn, runnable[i].rule));
    }));

    const rules: RuleStatus[] = [];
    for (const { dfe, impl } of registry(r)) {
      const status: RuleStatus = { code: dfe.code, message: dfe.message, implementation: impl.kind, status: 'checked', count: 0, children: 0 };
      if (impl.kind === 'sql') {
        const missing = neededInputs(impl.rule).filter((i) => !given(options, i));
        if (missing.length) {
          status.status = 'skipped';
          status.reason = missing.map(skippedReason).join('; ');
        } else byCode.set(dfe.code, results.get(dfe.code)!);
      } else if (impl.kind === 'skipped') {
        status.status = 'skipped';
        status.reason = `skipped: ${impl.reason}`;
      } else if (impl.kind === 'todo') {
        status.status = 'todo';
        status.reason = `not yet checked by CSC Scorecard${impl.needs ? ` (will need ${OPTIONAL_INPUTS[impl.needs].what})` : ''}`;
      }
      const found = byCode.get(dfe.code) ?? [];
      status.count = found.length;
      status.children = new Set(found.map((f) => f.childId ?? '')).size;
      rules.push(status);
    }
    const findings = rules.flatMap((s) => (byCode.get(s.code) ?? []).sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)));
    return {
      ruleset: options.ruleset, return: r, collectionYear: year, files: statuses, findings, fileFindings, rules,
      seconds: (performance.now() - started) / 1000,
      timings: { stage: (staged - started) / 1000, rules: (performance.now() - staged) / 1000 },
    };
  } finally {
    db.close();
  }
}
