// npm run bench [-- --population N --years N --seed N]      one authority (default: the large LA, 100,000 children, 6 years)
// npm run bench -- --series 10000,100000,1000000 [--years N] the same at each size, each in its own process, and how cost grows
// npm run bench -- --scale england [--copies 120]            England scale: the large LA's records 120 times over (bench/england.ts)
// Synthesises an authority (cached under data/bench/ by its options), loads every file through the real readers into
// a fresh DuckDB file, computes the scorecard, validates the files in ../shared/external-samples and drives the
// dashboard with 20 concurrent signed-in users. Prints a table; results also go to bench/results/*.json so runs can be
// compared. Budgets: ../shared/DESIGN.md "Performance budgets".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import type { SynthOptions } from '../src/synth/types.ts';
import { formatTable } from '../src/format.ts';
import { validate } from '../src/validate/run.ts';
import { authorityFiles, loadAuthority, machine, memorySampler, scorecardMeasures } from './common.ts';
import { dashboardUnderLoad } from './dashboard.ts';
import { england } from './england.ts';

const { values } = parseArgs({
  options: {
    population: { type: 'string', default: '100000' },
    years: { type: 'string', default: '6' },
    seed: { type: 'string', default: '7' },
    scale: { type: 'string' },
    series: { type: 'string' },
    copies: { type: 'string', default: '120' },
    users: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '15' },
    'no-dashboard': { type: 'boolean', default: false },
    'json-to': { type: 'string' },
  },
});

/** DfE validation of the real files in ../shared/external-samples (each ruleset's files in one run). */
async function validateSamples() {
  const root = join('..', 'shared', 'external-samples');
  const out: { what: string; files: number; seconds: number; findings: number }[] = [];
  const ssda903 = join(root, 'ssda903');
  if (existsSync(ssda903)) {
    const r = await validate([ssda903], { ruleset: 'lac2024_25' });
    out.push({ what: 'SSDA903 samples (lac2024_25)', files: r.files.length, seconds: +r.seconds.toFixed(3), findings: r.findings.length });
  }
  const cin = join(root, 'cin-census');
  if (existsSync(cin)) {
    let seconds = 0; let findings = 0; let files = 0;
    for (const f of readdirSync(cin).filter((n) => n.endsWith('.xml'))) {
      const r = await validate([join(cin, f)], { ruleset: 'cin2024_25' });
      seconds += r.seconds; findings += r.findings.length; files++;
    }
    out.push({ what: 'CIN census samples (cin2024_25, each file)', files, seconds: +seconds.toFixed(3), findings });
  }
  return out;
}

async function oneAuthority() {
  const options: SynthOptions = { ...DEFAULT_SYNTH_OPTIONS, population: Number(values.population), years: Number(values.years), seed: Number(values.seed) };
  const memory = memorySampler();
  const { dir, files, synthSeconds } = await authorityFiles(options);
  const { store, ingest, refused } = await loadAuthority(files, join(dir, 'bench.duckdb'));
  const counts = await store.counts();
  const size = {
    population: options.population, years: options.years, children: counts.children, contacts: counts.contacts, referrals: counts.referrals,
    assessments: counts.assessments, 'LAC episodes': counts.lac_episodes,
  };
  const scorecard = await scorecardMeasures(store, options.end.slice(0, 7));
  const validation = await validateSamples();
  const dashboard = values['no-dashboard'] ? null : await dashboardUnderLoad(store, options.end.slice(0, 7), Number(values.users), Number(values.seconds));
  store.close();
  memory.stop();
  const result = { options, machine, size, synthSeconds, ingest, refused, peakMB: memory.peakMB(), scorecard, validation, dashboard };

  console.log(`Dataset: ${Object.entries(size).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ')} (${dir})`);
  console.log(`Machine: ${machine.cores} cores, ${machine.cpu}, ${machine.memoryGB} GB, Node ${machine.node}`);
  if (synthSeconds !== null) console.log(`Synthesis: ${synthSeconds.toFixed(1)} s (cached for the next run)`);
  console.log('Ingest (whole load: read, validate, store, supersede, rebuild the current state):');
  console.log(formatTable(ingest));
  for (const r of refused) console.log(`Refused, so not in the figures: ${r.file}: ${r.reason}`);
  console.log(`Peak memory (RSS, whole run): ${result.peakMB} MB`);
  console.log('Scorecard:');
  console.log(formatTable([
    { measure: `whole scorecard, ${scorecard.indicators} indicators, 13-month trends, cold`, seconds: scorecard.cold13, budget: '' },
    { measure: 'the same, warm', seconds: scorecard.warm13, budget: '' },
    { measure: 'whole scorecard, 24-month trends, warm', seconds: scorecard.warm24, budget: '' },
    { measure: `every team's scorecard (${scorecard.teams} teams), 24-month trends`, seconds: scorecard.teams24, budget: '' },
    { measure: 'whole scorecard with team breakdowns, 24 months, computed warm (the two above)', seconds: scorecard.wholeWarm, budget: '' },
    { measure: 'the same, computed and kept by data version (once per load; csc serve does it after each change)', seconds: scorecard.keep24, budget: '' },
    { measure: 'the same, read back while the data are unchanged (what readers get)', seconds: scorecard.kept24, budget: 'under 1 s warm (large LA)' },
    { measure: 'judged (targets, SPC, benchmarks, narrative), 24 months', seconds: scorecard.judged24, budget: '' },
    { measure: `one indicator's children (re-referrals R12, ${scorecard.childrenListed} rows)`, seconds: scorecard.oneIndicatorChildren, budget: '' },
  ]));
  console.log('Validation of ../shared/external-samples:');
  console.log(formatTable(validation));
  if (dashboard) {
    console.log(`Dashboard, ${values.users} concurrent signed-in users for ${values.seconds} s (budget: p95 under 100 ms):`);
    console.log(formatTable(dashboard.pages));
  }
  return result;
}

async function series() {
  const sizes = values.series!.split(',').map(Number);
  const results: Awaited<ReturnType<typeof oneAuthority>>[] = [];
  for (const population of sizes) {
    console.log(`— ${population.toLocaleString('en-GB')} children, ${values.years} years …`);
    const json = join('bench', 'results', `.series-${population}.json`);
    // Its own process, so its peak memory is its own.
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--population', String(population), '--years', values.years!,
      '--seed', values.seed!, '--no-dashboard', '--json-to', json], { stdio: 'inherit' });
    results.push(JSON.parse(readFileSync(json, 'utf8')));
    rmSync(json);
  }
  const rows = results.map((r, i) => {
    const ingestSeconds = r.ingest.reduce((a, k) => a + k.seconds, 0);
    const prev = results[i - 1];
    const grow = (now: number, before: number | undefined, sizeNow: number, sizeBefore: number | undefined) =>
      before === undefined || sizeBefore === undefined ? '' : `${(now / before / (sizeNow / sizeBefore)).toFixed(2)}`;
    return {
      children: r.size.population, contacts: r.size.contacts, referrals: r.size.referrals, 'LAC episodes': r.size['LAC episodes'],
      'ingest s': +ingestSeconds.toFixed(1), 'peak MB': r.peakMB, 'scorecard cold s': r.scorecard.cold13, 'warm 24m + teams s': r.scorecard.wholeWarm,
      'kept s': r.scorecard.kept24,
      'children s': r.scorecard.oneIndicatorChildren,
      'ingest growth ÷ size growth': grow(ingestSeconds, prev?.ingest.reduce((a, k) => a + k.seconds, 0), r.size.contacts, prev?.size.contacts),
      'scorecard growth ÷ size growth': grow(r.scorecard.wholeWarm, prev?.scorecard.wholeWarm, r.size.contacts, prev?.size.contacts),
    };
  });
  console.log('Scaling series (growth ÷ size growth: 1 is linear, under 1 better, over 1 worse than linear):');
  console.log(formatTable(rows));
  return { machine, series: results, table: rows };
}

let result: unknown;
if (values.series) result = await series();
else if (values.scale === 'england') result = await england({ copies: Number(values.copies), seed: Number(values.seed) });
else result = await oneAuthority();

const out = values['json-to'] ?? join('bench', 'results', `${values.series ? 'series-' : values.scale === 'england' ? 'england-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(join('bench', 'results'), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
if (!values['json-to']) console.log(`Written ${out}`);
