// The `csc` command. Each subcommand is a thin shell over the same functions the server and tests call.
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { Store, DEFAULT_DB_PATH } from './store.ts';
import { workingDaysBetween, addWorkingDays, bankHolidays } from './calendar.ts';
import { parsePeriod } from './periods.ts';
import { DEFAULT_SYNTH_OPTIONS } from './synth/simulate.ts';
import { synthesise, formatFiles, type WrittenFile } from './synth/index.ts';
import { summarise, formatSummary } from './synth/summary.ts';
import type { SynthOptions } from './synth/types.ts';
import { loadFile, validateFile, listLoads, rollbackLoad, loadFindings, type LoadResult } from './load.ts';
import type { Finding } from './ingest/types.ts';
import { formatTable, formatLoadResults, formatFindings } from './format.ts';

function int(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number, not '${value}'`);
    return n;
  };
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, not '${value}'`);
  return value;
}

const program = new Command();
program
  .name('csc')
  .description("CSC Scorecard: children's social care performance from the statutory returns (Annex A, CIN census, SSDA903).")
  .option('--db <path>', 'DuckDB database file', process.env.CSC_DB ?? DEFAULT_DB_PATH)
  .showHelpAfterError();

function synthOptions(o: Record<string, unknown>): SynthOptions {
  return {
    ...DEFAULT_SYNTH_OPTIONS,
    population: (o.population as number) ?? DEFAULT_SYNTH_OPTIONS.population,
    years: (o.years as number) ?? DEFAULT_SYNTH_OPTIONS.years,
    seed: (o.seed as number) ?? DEFAULT_SYNTH_OPTIONS.seed,
    end: (o.end as string) ?? DEFAULT_SYNTH_OPTIONS.end,
    teams: (o.teams as number) ?? DEFAULT_SYNTH_OPTIONS.teams,
    workersPerTeam: (o.workersPerTeam as number) ?? DEFAULT_SYNTH_OPTIONS.workersPerTeam,
    faultRate: o.faultRate !== undefined ? Number(o.faultRate) : DEFAULT_SYNTH_OPTIONS.faultRate,
  };
}

function addSynthOptions(cmd: Command): Command {
  return cmd
    .option('--population <n>', 'children aged 0–17 living in the authority', int('population'))
    .option('--years <n>', 'years of history', int('years'))
    .option('--seed <n>', 'random seed: the same seed gives byte-identical files', int('seed'))
    .option('--end <date>', 'last day simulated (YYYY-MM-DD)', isoDate)
    .option('--teams <n>', 'number of social work teams', int('teams'))
    .option('--workers-per-team <n>', 'social workers in each team', int('workers per team'))
    .option('--fault-rate <share>', 'share of records given a realistic data-quality fault (0–1)');
}

addSynthOptions(
  program
    .command('synth')
    .description('simulate a synthetic local authority and write its CIN census XML, SSDA903 CSVs, Annex A workbook and event feed')
    .requiredOption('--out <dir>', 'folder to write the files into'),
).action(async (o) => {
  const options = synthOptions(o);
  const { la, files } = await synthesise(options, o.out);
  console.log(formatSummary(summarise(la)));
  console.log(`\nWrote ${files.length} files to ${o.out}:\n${formatFiles(files, o.out)}`);
});

function progressBar(file: string): { update: (rows: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `  ${basename(file).padEnd(30)} {value} rows`, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0);
  return { update: (rows) => bar.update(rows), stop: () => bar.stop() };
}

function reportingYearArg(value: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw new InvalidArgumentError(`expected a reporting year like 2024-25, not '${value}'`);
  return Number(m[1]);
}

async function loadAll(store: Store, files: string[], user?: string, collectionYear?: number): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const file of files) {
    const bar = progressBar(file);
    try {
      results.push(await loadFile(store, file, { user, collectionYear, onProgress: bar.update }));
    } finally {
      bar.stop();
    }
  }
  return results;
}

program
  .command('load')
  .description('load files into the store: each file all-or-nothing; the same file twice changes nothing; a newer file for the same return and period supersedes the older')
  .argument('<files...>', 'Annex A (.xlsx/.csv), CIN census (.xml), SSDA903 (.csv), native events (.jsonl/.csv)')
  .option('--user <name>', 'who is loading (recorded with the load)', process.env.USER)
  .option('--year <yyyy-yy>', 'reporting year of SSDA903 CSVs (otherwise read from the folder or file name, e.g. 2024-25/)', reportingYearArg)
  .option('--json', 'print the results as JSON')
  .option('--findings', 'list every finding, not only the counts by rule')
  .action(async (files: string[], o) => {
    const store = await Store.open(program.opts().db);
    try {
      const results = await loadAll(store, files, o.user, o.year);
      if (o.json) console.log(JSON.stringify(results.map(resultJson), null, 2));
      else {
        console.log(formatLoadResults(results));
        if (o.findings) for (const r of results) console.log(formatFindings(r.findings));
      }
      if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
    } finally {
      store.close();
    }
  });

function resultJson(r: LoadResult) {
  return {
    file: r.file, kind: r.kind, status: r.status, loadId: r.loadId, superseded: r.superseded, rowsLoaded: r.rowsLoaded,
    rowsRejected: r.rowsRejected, warnings: r.warnings,
    collectionYear: r.summary?.collectionYear ?? null, periodStart: r.summary?.periodStart ?? null, periodEnd: r.summary?.periodEnd ?? null,
    columnMap: r.summary?.columnMap ?? null,
    findings: r.findings,
  };
}

program
  .command('validate')
  .description('check files against the validation rules without loading them')
  .argument('<files...>', 'files to check')
  .option('--json', 'print findings as JSON (format documented in the README)')
  .action(async (files: string[], o) => {
    const results: LoadResult[] = [];
    for (const f of files) results.push(await validateFile(f));
    if (o.json) console.log(JSON.stringify(results.map(resultJson), null, 2));
    else for (const r of results) {
      console.log(formatLoadResults([r]));
      console.log(formatFindings(r.findings));
    }
    if (results.some((r) => r.status === 'rejected' || r.findings.some((f: Finding) => f.severity === 'error'))) process.exitCode = 1;
  });

const loads = program.command('loads').description('list loads, show one with its findings, or roll one back');
loads
  .command('list', { isDefault: true })
  .description('every load: file, kind, period, status, rows loaded and rejected')
  .option('--json', 'as JSON')
  .action(async (o) => {
    const store = await Store.open(program.opts().db);
    try {
      const rows = await listLoads(store);
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log('No loads yet: try `csc load FILE…`.');
      else console.log(formatTable(rows.map((r) => ({
        load: r.load_id, kind: r.kind + (r.part ? `/${r.part}` : ''), file: r.file_name,
        period: r.period_start && r.period_end ? `${r.period_start}..${r.period_end}` : (r.collection_year ?? ''),
        status: r.status + (r.superseded_by ? ` by ${r.superseded_by}` : ''), loaded: r.rows_loaded, rejected: r.rows_rejected,
        warnings: r.warnings, at: r.loaded_at.slice(0, 19), by: r.loaded_by ?? '',
      }))));
    } finally {
      store.close();
    }
  });
loads
  .command('show')
  .description('one load and its findings')
  .argument('<id>', 'load id', int('load id'))
  .option('--json', 'as JSON')
  .action(async (id: number, o) => {
    const store = await Store.open(program.opts().db);
    try {
      const row = (await listLoads(store)).find((r) => r.load_id === id);
      if (!row) throw new Error(`There is no load ${id}: see 'csc loads list'`);
      const findings = await loadFindings(store, id);
      if (o.json) console.log(JSON.stringify({ ...row, findings }, null, 2));
      else {
        console.log(formatTable([row as unknown as Record<string, unknown>]));
        console.log(formatFindings(findings));
      }
    } finally {
      store.close();
    }
  });
loads
  .command('rollback')
  .description('undo a load: its records leave the current figures and any load it superseded comes back')
  .argument('<id>', 'load id', int('load id'))
  .action(async (id: number) => {
    const store = await Store.open(program.opts().db);
    try {
      const { restored } = await rollbackLoad(store, id);
      console.log(`Load ${id} rolled back.${restored.length ? ` Restored load${restored.length > 1 ? 's' : ''} ${restored.join(', ')}.` : ''}`);
    } finally {
      store.close();
    }
  });

program
  .command('workdays')
  .description('working days between two dates (after the start, up to and including the end), or a date plus N working days')
  .argument('<start>', 'start date YYYY-MM-DD', isoDate)
  .argument('<end-or-n>', 'end date YYYY-MM-DD, or a number of working days to add')
  .action((start: string, endOrN: string) => {
    if (/^-?\d+$/.test(endOrN)) console.log(addWorkingDays(start, Number(endOrN)));
    else console.log(workingDaysBetween(start, isoDate(endOrN)));
  });

program
  .command('holidays')
  .description('England and Wales bank holidays for a year or range of years')
  .argument('<from>', 'year', int('year'))
  .argument('[to]', 'last year', int('year'))
  .action((from: number, to?: number) => {
    for (const h of bankHolidays(from, to ?? from)) console.log(`${h.date}  ${h.name}`);
  });

program
  .command('period')
  .description('show the dates a period covers: 2025-01 (month), 2024-25 (reporting year), 2025-Q3, "2025-01 YTD", "2025-01 R12"')
  .argument('<period>', 'period')
  .action((text: string) => {
    const p = parsePeriod(text);
    console.log(`${p.label}: ${p.kind} from ${p.start} to ${p.end} (snapshot at ${p.snapshot})`);
  });

addSynthOptions(
  program
    .command('demo')
    .description('the whole pipeline on a synthetic authority: write its returns, load them into a fresh store, and report')
    .option('--dir <dir>', 'folder for the demo files and database', './data/demo'),
).action(async (o) => {
  const options = synthOptions(o);
  const filesDir = join(o.dir, 'files');
  const dbPath = join(o.dir, 'demo.duckdb');
  console.log(`Synthesising ${options.laName}: ${options.population} children, ${options.years} years to ${options.end}, seed ${options.seed}…`);
  const started = Date.now();
  const { la, files } = await synthesise(options, filesDir);
  console.log(formatSummary(summarise(la)));
  console.log(`\nWrote ${files.length} files to ${filesDir} in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${formatFiles(files, filesDir)}`);
  for (const f of [dbPath, `${dbPath}.wal`]) if (existsSync(f)) rmSync(f);
  const store = await Store.open(dbPath);
  try {
    console.log(`\nLoading them into ${dbPath} through the same readers an authority's files go through…`);
    const t = Date.now();
    const ordered: WrittenFile[] = [...files].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
    const results = await loadAll(store, ordered.map((f) => f.path), 'demo');
    console.log(formatLoadResults(results));
    console.log(`\nLoaded in ${((Date.now() - t) / 1000).toFixed(1)} s. Current records:`);
    const counts = await store.counts();
    console.log(formatTable(Object.entries(counts).filter(([, n]) => n > 0).map(([table, n]) => ({ table, records: n }))));
    console.log(`\nNext: csc --db ${dbPath} loads list`);
  } finally {
    store.close();
  }
});

function kindOrder(kind: WrittenFile['kind']): number {
  return ['events', 'cin_census', 'ssda903', 'annex_a'].indexOf(kind);
}

program.parseAsync().catch((err: unknown) => {
  // A person should see what went wrong, not a stack trace.
  console.error(`csc: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.CSC_DEBUG && err instanceof Error) console.error(err.stack);
  process.exitCode = 2;
});
