// The `csc` command. Each subcommand is a thin shell over the same functions the server and tests call.
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { Store, DEFAULT_DB_PATH } from './store.ts';
import { workingDaysBetween, addWorkingDays, bankHolidays, addMonths } from './calendar.ts';
import { parsePeriod } from './periods.ts';
import { DEFAULT_SYNTH_OPTIONS } from './synth/simulate.ts';
import { synthesise, formatFiles, type WrittenFile } from './synth/index.ts';
import { summarise, formatSummary } from './synth/summary.ts';
import type { SynthOptions } from './synth/types.ts';
import { validateRuleset } from './validate/cli.ts';
import { loadFile, validateFile, listLoads, rollbackLoad, loadFindings, type LoadResult } from './load.ts';
import type { Finding } from './ingest/types.ts';
import { formatTable, formatLoadResults, formatFindings } from './format.ts';
import { Engine, formatValue } from './engine.ts';
import { INDICATORS, findIndicator } from './indicators/index.ts';
import { BREAKDOWNS, THEMES, type Breakdown } from './indicators/types.ts';
import { loadSettings } from './indicators/settings.ts';
import { LISTS, findList, runList } from './lists/index.ts';
import { caseloads } from './caseloads.ts';
import { judgedScorecard } from './judge/scorecard.ts';
import { Targets } from './judge/targets.ts';
import { importBenchmarks, loadEnglandBenchmarks } from './judge/benchmarks.ts';
import { buildApp } from './server/app.ts';
import { addDemoUsers } from './auth/demoUsers.ts';
import { listUsers } from './auth/users.ts';
import { writeExcelScorecard } from './report/excel.ts';
import { committeeReportHtml, readReportConfig } from './report/committee.ts';
import { htmlToPdf } from './report/pdf.ts';
import { publicFigures } from './report/public.ts';
import { writeFileSync } from 'node:fs';
import { publish, publications, revisions } from './judge/publish.ts';
import { enterMeasure, importMeasuresCsv, listMeasureValues } from './measures.ts';
import { MEASURES } from './indicators/aggregates.ts';
import { writeAggregateMeasures } from './synth/aggregateMeasures.ts';
import { registerAuditCommands } from './auditCli.ts';
import { cliActor } from './audit.ts';
import { registerUserCommands } from './auth/cli.ts';
import { registerAnalysisCommands } from './analyses/cli.ts';
import { formatJudgedScorecard, judgedScorecardJson, scorecardJson, scorecardCsv, childRowsTable, tableOrCsv, describeUnit, sparkline } from './scorecardText.ts';
import { month as monthPeriod, yearToDate, rolling12 } from './periods.ts';

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

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

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
      results.push(await loadFile(store, file, { user, actor: cliActor(), collectionYear, onProgress: bar.update }));
    } finally {
      bar.stop();
    }
  }
  return results;
}

program
  .command('load')
  .description('load files into the store: each file all-or-nothing; the same file twice changes nothing; a newer file for the same return and period supersedes the older')
  .argument('<files...>', 'Annex A (.xlsx/.csv), CIN census (.xml), SSDA903 (.csv or .xml), native events (.jsonl/.csv)')
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
  .option('--ruleset <ruleset>', "DfE's complete validation: cin2024_25 or lac2024_25 (every rule, findings by rule and by child)")
  .option('--last-year <files...>', "with --ruleset lac2024_25: last year's SSDA903 files or folder, for the rules that compare years")
  .option('--postcodes <file>', 'with --ruleset: a CSV of postcode distances, for the rules that need them')
  .option('--ofsted-providers <file>', 'with --ruleset: a CSV of Ofsted providers, for the rules that need them')
  .option('--la <code>', "with --ruleset lac2024_25: the authority's own ONS code (e.g. E08000001), for the rules comparing the placement LA with it")
  .option('--out <file>', 'with --ruleset: write the findings report to FILE.xlsx, or FILE.csv (and FILE.rules.csv)')
  .action(async (files: string[], o) => {
    if (o.ruleset) {
      process.exitCode = await validateRuleset(files, o);
      return;
    }
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
      const { restored } = await rollbackLoad(store, id, { actor: cliActor() });
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

function monthArg(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError(`expected a month as YYYY-MM, not '${value}'`);
  return value;
}

function breakdownArg(value: string): Breakdown {
  if (!(value in BREAKDOWNS)) throw new InvalidArgumentError(`expected one of ${Object.keys(BREAKDOWNS).join(', ')}, not '${value}'`);
  return value as Breakdown;
}

/**
 * The moment lists and caseloads are drawn at by default, as on the dashboard: now, unless the loaded data
 * end before today, then the end of their last day (the demo's data end on 31 March 2025).
 */
async function defaultAsAt(store: Store): Promise<string> {
  const now = new Date().toISOString().slice(0, 16);
  const end = (await store.dataRange()).last;
  return end && end < now.slice(0, 10) ? `${end}T23:59` : now;
}

/** The month of the latest period any active load covers: the scorecard's default month. */
async function latestMonth(store: Store): Promise<string> {
  const end = (await store.dataRange()).last;
  if (!end) throw new Error('Nothing is loaded yet, so there is no month to show: load files with `csc load`, or give --month YYYY-MM.');
  return end.slice(0, 7);
}

async function withEngine<R>(fn: (engine: Engine, store: Store) => Promise<R>): Promise<R> {
  const store = await Store.open(program.opts().db);
  const engine = new Engine(store, loadSettings(), { cache: true });
  try {
    return await fn(engine, store);
  } finally {
    engine.close();
    store.close();
  }
}

program
  .command('indicators')
  .description('the indicator catalogue: id, title, unit, polarity, definition and statutory source of every indicator')
  .option('--theme <theme>', `only one theme: ${Object.keys(THEMES).join(', ')}`)
  .option('--json', 'as JSON')
  .action((o) => {
    const list = INDICATORS.filter((i) => !o.theme || i.theme === o.theme);
    if (o.json) {
      console.log(JSON.stringify(list.map((i) => ({
        id: i.id, title: i.title, theme: i.theme, unit: i.unit, polarity: i.polarity, measure: i.measure,
        definition: i.definition, source: i.source, breakdowns: i.breakdowns,
      })), null, 2));
      return;
    }
    for (const [theme, heading] of Object.entries(THEMES)) {
      const these = list.filter((i) => i.theme === theme);
      if (these.length === 0) continue;
      console.log(`\n${heading}\n${'='.repeat(heading.length)}`);
      for (const i of these) {
        console.log(`\n${i.id}  ${i.title} (${describeUnit(i)}; ${i.measure === 'stock' ? 'at period end' : 'in period'})`);
        console.log(`  ${i.definition}`);
        console.log(`  Source: ${i.source}`);
      }
    }
  });

program
  .command('scorecard')
  .description('every indicator for a month: in month (or at month end), year to date, rolling 12 months, target and RAG, SPC over 24 months, trend')
  .option('--month <yyyy-mm>', 'the month (default: the latest month loaded)', monthArg)
  .option('--team <name>', 'only the children held by this team')
  .option('--json', 'as JSON (with the rule behind each RAG, SPC signals and year-end projections)')
  .option('--csv', 'as CSV: one row per indicator and period')
  .option('--no-narrative', 'leave out the sentences under each theme')
  .action(async (o) => {
    await withEngine(async (engine, store) => {
      const month = o.month ?? (await latestMonth(store));
      const judged = await judgedScorecard(engine, month, await Targets.load(store), { team: o.team });
      if (o.json) console.log(JSON.stringify({ month, team: o.team ?? null, indicators: judgedScorecardJson(judged.lines) }, null, 2));
      else if (o.csv) process.stdout.write(scorecardCsv(judged.lines));
      else console.log(`Scorecard for ${month}${o.team ? `, ${o.team}` : ''}\n${formatJudgedScorecard(judged.lines, month, o.narrative)}`);
    });
  });

const benchmarks = program.command('benchmarks').description('England, regional and statistical-neighbour values to compare with');
benchmarks
  .command('import')
  .description("import DfE's LA-level CSV files (explore-education-statistics); columns matched by header name")
  .argument('<files...>', 'CSV files')
  .option('--source <text>', 'citation stored with the values (default: the file name)')
  .option('--start-year', 'four-digit time periods are the year the collection starts (workforce census), not the year it ends')
  .option('--json', 'as JSON')
  .action(async (files: string[], o) => {
    await withEngine(async (_e, store) => {
      for (const file of files) {
        const report = await importBenchmarks(store, file, { source: o.source, fourDigitYear: o.startYear ? 'start' : undefined });
        if (o.json) { console.log(JSON.stringify(report, null, 2)); continue; }
        console.log(`${file}: ${report.rowsRead} rows read, ${report.rowsImported} values imported`);
        console.log(formatTable(Object.entries(report.matched).map(([header, indicator]) => ({ header, 'read as': String(indicator) }))));
        if (report.unmatched.length) console.log(`Not used: ${report.unmatched.join(', ')}`);
      }
    });
  });
benchmarks
  .command('england')
  .description('load the shipped England values (config/benchmarks-england.json)')
  .action(async () => {
    await withEngine(async (_e, store) => {
      const r = await loadEnglandBenchmarks(store);
      console.log(`${r.loaded} England values loaded.${r.skipped.length ? ` Skipped: ${r.skipped.map((s) => `${s.indicator} ${s.year} (${s.reason})`).join('; ')}` : ''}`);
    });
  });

program
  .command('report')
  .description('the monthly Excel scorecard, or the committee report as HTML or PDF (config/report.json sets the authority, committee, logo, colours and sections)')
  .option('--month <yyyy-mm>', 'the month (default: the latest month loaded)', monthArg)
  .requiredOption('--format <format>', 'xlsx | html | pdf')
  .option('--team <name>', 'only the children held by this team')
  .option('--internal', 'xlsx: add sheets listing the children behind every figure (identifies children: internal use only)')
  .option('--public', 'the public version: counts of 1 to 5 shown as c, with further cells hidden so none can be worked out; no child-level data')
  .option('--out <file>', 'where to write it (default: scorecard-YYYY-MM.xlsx / committee-report-YYYY-MM.html|pdf)')
  .action(async (o) => {
    if (!['xlsx', 'html', 'pdf'].includes(o.format)) throw new InvalidArgumentError(`--format must be xlsx, html or pdf, not '${o.format}'`);
    await withEngine(async (engine, store) => {
      const month = o.month ?? (await latestMonth(store));
      const config = readReportConfig();
      const judged = await judgedScorecard(engine, month, await Targets.load(store), { team: o.team });
      if (o.public && o.internal) throw new InvalidArgumentError('--public and --internal cannot go together: the public version has no child-level data');
      const suffix = o.internal ? '-internal' : o.public ? '-public' : '';
      const out = o.out ?? (o.format === 'xlsx' ? `scorecard-${month}${suffix}.xlsx` : `committee-report-${month}${suffix}.${o.format}`);
      const shown = o.public ? publicFigures(judged.lines) : undefined;
      if (o.format === 'xlsx') await writeExcelScorecard(out, judged, engine, { internal: o.internal, authority: config.authority, shown });
      else {
        const html = await committeeReportHtml(store, judged, { config, public: o.public, shown });
        if (o.format === 'html') writeFileSync(out, html);
        else await htmlToPdf(html, out, { footer: `${config.authority}: children's social care performance, ${month}` });
      }
      console.log(`Wrote ${out}`);
    });
  });

program
  .command('publish')
  .description('freeze a month\'s judged scorecard: later loads show as revisions against it, never rewriting it')
  .option('--month <yyyy-mm>', 'the month (default: the latest month loaded)', monthArg)
  .option('--team <name>', 'a team\'s scorecard instead of the whole authority\'s')
  .option('--note <text>', 'a note kept with the publication')
  .option('--user <name>', 'who is publishing', process.env.USER)
  .action(async (o) => {
    await withEngine(async (engine, store) => {
      const month = o.month ?? (await latestMonth(store));
      const p = await publish(store, engine, await Targets.load(store), month, { user: o.user ?? 'unknown', actor: cliActor(), team: o.team, note: o.note });
      console.log(`Published the scorecard for ${p.month}${p.team ? `, ${p.team}` : ''} as publication ${p.publicationId} (data version ${p.dataVersion}).`);
    });
  });

program
  .command('publications')
  .description('every published scorecard; with an id, what has changed since it was published')
  .argument('[id]', 'publication id: list its revisions', int('publication id'))
  .option('--json', 'as JSON')
  .action(async (id: number | undefined, o) => {
    await withEngine(async (engine, store) => {
      if (id === undefined) {
        const list = await publications(store);
        if (o.json) console.log(JSON.stringify(list, null, 2));
        else console.log(list.length ? formatTable(list.map((p) => ({ id: p.publicationId, month: p.month, team: p.team ?? '', published: String(p.publishedAt).slice(0, 16), by: p.publishedBy ?? '', note: p.note ?? '' }))) : 'Nothing has been published yet: csc publish --month YYYY-MM');
        return;
      }
      const changes = await revisions(store, engine, id);
      if (o.json) console.log(JSON.stringify(changes, null, 2));
      else console.log(changes.length ? changes.map((r) => `• ${r.sentence}`).join('\n') : `Nothing has changed since publication ${id}.`);
    });
  });

const measures = program.command('measures').description('figures that arrive as monthly aggregates (config/measures.json): calls answered, surveys, NEET');
measures
  .command('list')
  .description('the measures and their monthly figures')
  .argument('[id]', 'one measure')
  .action(async (id: string | undefined) => {
    await withEngine(async (_e, store) => {
      if (!id) { console.log(formatTable(MEASURES.map((m) => ({ id: m.id, title: m.title, unit: m.unit, combine: m.combine })))); return; }
      const values = await listMeasureValues(store, id, { currentOnly: true });
      console.log(values.length ? formatTable(values.map((v) => ({ ...v }) as Record<string, unknown>)) : `No figures entered for ${id} yet.`);
    });
  });
measures
  .command('enter')
  .description('enter one month\'s figure')
  .argument('<id>', 'measure id')
  .argument('<month>', 'YYYY-MM', monthArg)
  .option('--numerator <n>', 'e.g. calls answered', Number)
  .option('--denominator <n>', 'e.g. calls offered', Number)
  .option('--value <n>', 'the figure itself (averages; or counts)', Number)
  .option('--source <text>', 'where it came from')
  .option('--user <name>', 'who is entering it', process.env.USER)
  .action(async (id: string, month: string, o) => {
    await withEngine(async (_e, store) => {
      const v = await enterMeasure(store, { measureId: id, month, numerator: o.numerator, denominator: o.denominator, value: o.value, source: o.source, user: o.user ?? 'unknown' }, MEASURES, { actor: cliActor() });
      console.log(`Entered ${id} for ${month}: ${v.value}`);
    });
  });
measures
  .command('import')
  .description('import monthly figures from a CSV (columns measure_id, month, numerator, denominator, value, source); all or nothing')
  .argument('<file>', 'CSV file')
  .option('--user <name>', 'who is importing', process.env.USER)
  .action(async (file: string, o) => {
    await withEngine(async (_e, store) => {
      const r = await importMeasuresCsv(store, file, o.user ?? 'unknown', MEASURES, { actor: cliActor() });
      console.log(JSON.stringify(r, null, 2));
    });
  });

program
  .command('indicator')
  .description('one indicator: definition, figures and trend; by breakdown; or the children behind the figure')
  .argument('<id>', 'indicator id (see csc indicators)')
  .option('--month <yyyy-mm>', 'the month (default: the latest month loaded)', monthArg)
  .option('--period <period>', 'the period for --children or --breakdown instead of the month: "2025-01 YTD", "2025-01 R12", 2024-25, 2025-Q1')
  .option('--breakdown <by>', `figures by ${Object.keys(BREAKDOWNS).join(', ')}`, breakdownArg)
  .option('--children', 'list the children (records) in the numerator and denominator, with the dates that decided them')
  .option('--group <name>', 'with --children and --breakdown: only this group')
  .option('--team <name>', 'only the children held by this team')
  .option('--json', 'as JSON')
  .option('--csv', 'as CSV')
  .action(async (id: string, o) => {
    const ind = findIndicator(id);
    await withEngine(async (engine, store) => {
      const month = o.month ?? (await latestMonth(store));
      const period = o.period ? parsePeriod(o.period) : monthPeriod(month);
      const filter = { team: o.team as string | undefined };
      if (o.children) {
        const rows = await engine.rows(ind, period, { ...filter, breakdown: o.breakdown, group: o.group });
        const [figure] = await engine.compute(ind, [period], filter);
        if (o.json) console.log(JSON.stringify({ indicator: ind.id, period: period.label, figure, rows }, null, 2));
        else if (o.csv) process.stdout.write(tableOrCsv(childRowsTable(ind, rows), true));
        else {
          console.log(`${ind.title}, ${period.label}: ${formatValue(ind, figure.value)} (numerator ${figure.numerator}${figure.denominator !== null ? `, denominator ${figure.denominator}` : ''})`);
          console.log(tableOrCsv(childRowsTable(ind, rows), false));
        }
        return;
      }
      if (o.breakdown) {
        const figures = await engine.compute(ind, [period], { ...filter, breakdown: o.breakdown });
        const rows = figures.map((f) => ({ [BREAKDOWNS[o.breakdown as Breakdown]]: f.group ?? '', numerator: f.numerator, denominator: f.denominator, value: formatValue(ind, f.value) }));
        if (o.json) console.log(JSON.stringify({ indicator: ind.id, period: period.label, breakdown: o.breakdown, figures }, null, 2));
        else console.log(o.csv ? tableOrCsv(rows, true) : `${ind.title}, ${period.label}, by ${BREAKDOWNS[o.breakdown as Breakdown].toLowerCase()}\n${tableOrCsv(rows, false)}`);
        return;
      }
      const [line] = await engine.scorecard(month, { ids: [ind.id], team: filter.team });
      if (o.json) { console.log(JSON.stringify(scorecardJson([line])[0], null, 2)); return; }
      if (o.csv) { process.stdout.write(scorecardCsv([line])); return; }
      console.log(`${ind.title} (${ind.id})\n${describeUnit(ind)}\n\n${ind.definition}\nSource: ${ind.source}\n`);
      console.log(formatTable([line.month, ...(line.ytd ? [line.ytd] : []), ...(line.rolling12 ? [line.rolling12] : [])].map((f) => ({
        period: f.period, numerator: f.numerator, denominator: f.denominator ?? '', value: formatValue(ind, f.value),
      }))));
      console.log(`\nTrend ${line.trend[0].period} to ${month}: ${sparkline(line.trend.map((f) => f.value))}`);
      console.log(formatTable(line.trend.map((f) => ({ month: f.period, numerator: f.numerator, denominator: f.denominator ?? '', value: formatValue(ind, f.value) }))));
    });
  });

program
  .command('list')
  .description('an operational list of children needing action, most urgent first (without a name: the lists there are)')
  .argument('[name]', `one of: ${LISTS.map((l) => l.id).join(', ')}`)
  .option('--at <date>', 'draw the list at this date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default: now, or the end of the loaded data when they end before today)')
  .option('--team <name>', 'only this team\'s children')
  .option('--json', 'as JSON')
  .option('--csv', 'as CSV')
  .action(async (name: string | undefined, o) => {
    if (!name) {
      console.log(formatTable(LISTS.map((l) => ({ list: l.id, title: l.title }))));
      return;
    }
    const list = findList(name);
    await withEngine(async (engine, store) => {
      const at = o.at ?? (await defaultAsAt(store)).slice(0, 16);
      const rows = await runList(store, list, { asAt: at, team: o.team, settings: engine.settings });
      if (o.json) { console.log(JSON.stringify({ list: list.id, at, rows }, null, 2)); return; }
      const table = rows.map((r) => {
        const row: Record<string, unknown> = { child: r.child_id, RAG: r.rag.toUpperCase(), status: r.status, due: r.due_date ?? '' };
        for (const d of list.details) row[d.label] = r[d.name] ?? '';
        row.team = r.team ?? '';
        row.worker = r.worker ?? '';
        return row;
      });
      if (o.csv) process.stdout.write(tableOrCsv(table, true));
      else console.log(`${list.title}, at ${at}: ${rows.length} (${rows.filter((r) => r.rag === 'red').length} red, ${rows.filter((r) => r.rag === 'amber').length} amber)\n${list.description}\n\n${tableOrCsv(table, false)}`);
    });
  });

program
  .command('caseloads')
  .description('children allocated to each social worker at a date, by team, and open cases with no worker')
  .option('--at <date>', 'the date (YYYY-MM-DD; default: today, or the last day of the loaded data when they end before today)', isoDate)
  .option('--team <name>', 'only this team')
  .option('--children', 'list each worker\'s children')
  .option('--json', 'as JSON')
  .action(async (o) => {
    await withEngine(async (_engine, store) => {
      const at = o.at ?? (await defaultAsAt(store)).slice(0, 10);
      const c = await caseloads(store, at, { team: o.team });
      if (o.json) { console.log(JSON.stringify(c, null, 2)); return; }
      const total = c.workers.reduce((s, w) => s + w.children, 0);
      console.log(`Caseloads at ${at}${o.team ? `, ${o.team}` : ''}: ${total} children held by ${c.workers.length} workers` +
        ` (average ${c.workers.length ? (total / c.workers.length).toFixed(1) : '–'}, most ${Math.max(0, ...c.workers.map((w) => w.children))}); ${c.unallocated.length} open cases unallocated\n`);
      console.log(formatTable(c.workers.map((w) => ({
        team: w.team ?? '', worker: w.worker, role: w.role ?? '', agency: w.agency === null ? '' : w.agency ? 'yes' : 'no', children: w.children,
        ...(o.children ? { 'children (days allocated)': w.allocated.map((a) => `${a.childId} (${a.days})`).join(', ') } : {}),
      }))));
      if (c.unallocated.length) {
        console.log('\nOpen cases with no allocated worker');
        console.log(formatTable(c.unallocated.map((u) => ({
          child: u.childId, team: u.team ?? '', 'open as': u.openAs, 'open since': u.openSince,
          'last allocated until': u.lastAllocatedUntil ?? 'never', 'days unallocated': u.daysUnallocated,
        }))));
      }
    });
  });

/** Starts the dashboard on the store until the process is stopped; prints the address. */
async function serve(store: Store, port: number, host: string, authority?: string): Promise<void> {
  const app = await buildApp({ store, settings: loadSettings(), authority, warmScorecards: true });
  const address = await app.listen({ port, host });
  if ((await listUsers(store)).length === 0) console.log('No user can sign in yet: add one with `csc users add NAME --role admin`.');
  console.log(`Dashboard: ${address.replace('127.0.0.1', 'localhost')}/scorecard  (Ctrl+C stops it)`);
  await new Promise<void>((resolve) => {
    const stop = () => { void app.close().then(() => resolve()); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

program
  .command('serve')
  .description('the web dashboard: scorecard, indicators with SPC charts and the children behind them, lists, caseloads, data')
  .option('--port <n>', 'port', int('port'), 3000)
  .option('--host <host>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
  .option('--authority <name>', 'the authority\'s name for the header', 'Children\'s services')
  .action(async (o) => {
    const store = await Store.open(program.opts().db);
    try {
      await serve(store, o.port, o.host, o.authority);
    } finally {
      store.close();
    }
  });

addSynthOptions(
  program
    .command('demo')
    .description('the whole pipeline on a synthetic authority: write its returns, load them into a fresh store, and report')
    .option('--dir <dir>', 'folder for the demo files and database', './data/demo')
    .option('--no-serve', 'stop after loading instead of starting the dashboard')
    .option('--port <n>', 'dashboard port', int('port'), 3000),
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
    const england = await loadEnglandBenchmarks(store);
    console.log(`\nEngland benchmarks: ${england.loaded} values from config/benchmarks-england.json.`);
    const measuresCsv = join(filesDir, 'aggregate-measures.csv');
    const lastMonth = options.end.slice(0, 7);
    writeAggregateMeasures(measuresCsv, { population: options.population, seed: options.seed, firstMonth: addMonths(`${lastMonth}-01`, 1 - 12 * options.years).slice(0, 7), lastMonth });
    const measures = await importMeasuresCsv(store, measuresCsv, 'demo', MEASURES, { actor: cliActor() });
    console.log(`Aggregate measures (calls answered, survey, NEET): ${measures.rowsLoaded} monthly figures from ${measuresCsv}.`);
    const accounts = await addDemoUsers(store);
    console.log(`\nAccounts to sign in with (password ${accounts.password}):`);
    console.log(formatTable(accounts.users.map((u) => ({ username: u.username, role: u.role, teams: u.teams.join(', ') }))));
    if (o.serve) {
      console.log(`\nStarting the dashboard on ${dbPath}…`);
      await serve(store, o.port, '127.0.0.1', options.laName);
    } else console.log(`\nNext: csc --db ${dbPath} serve   (or: csc --db ${dbPath} scorecard)`);
  } finally {
    store.close();
  }
});

function kindOrder(kind: WrittenFile['kind']): number {
  return ['events', 'cin_census', 'ssda903', 'annex_a', 'workforce', 'survey'].indexOf(kind);
}

registerAuditCommands(program, () => Store.open(program.opts().db), () => program.opts().db);
registerUserCommands(program, () => Store.open(program.opts().db));
registerAnalysisCommands(program, () => Store.open(program.opts().db));

program.parseAsync().catch((err: unknown) => {
  // A person should see what went wrong, not a stack trace.
  console.error(`csc: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.CSC_DEBUG && err instanceof Error) console.error(err.stack);
  process.exitCode = 2;
});
