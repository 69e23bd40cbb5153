// npm run bench:validate [-- --population 400000 --repeat 5]
// DfE validation budgets (issue 11): the SSDA903 sample files well under 1 s; a 32 MB CIN census file (30,000
// children) under 3 s; a 160 MB one under 15 s with memory under 500 MB. The CIN file is synthesised (cached
// under data/bench/validate-p<population>/); the large one repeats its children --repeat times with the ids
// suffixed (-1, -2, …) so every child is still one child. Each measurement runs in its own process, so its
// peak memory is its own; CPU time (all threads) is given beside the wall time, which other work on the machine inflates. Results also go to bench/results/validate-*.json.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { synthesise } from '../src/synth/index.ts';
import { validate } from '../src/validate/run.ts';
import type { Ruleset } from '../src/validate/catalogue.ts';

const { values } = parseArgs({
  options: {
    population: { type: 'string', default: '400000' },
    repeat: { type: 'string', default: '5' },
    one: { type: 'string' },
    ruleset: { type: 'string' },
  },
});

if (values.one) {
  // a child process: one validation, its time and peak memory as JSON on stdout
  let peak = 0;
  const cpu = process.cpuUsage();
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const result = await validate([values.one], { ruleset: values.ruleset as Ruleset });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, seconds: result.seconds, timings: result.timings, findings: result.findings.length, peakMB: Math.round(peak / 1e6) }));
  process.exit(0);
}

function measure(path: string, ruleset: Ruleset): { seconds: number; cpuSeconds: number; peakMB: number; findings: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/validate.ts', '--one', path, '--ruleset', ruleset], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The CIN file with its children written `times` times, ids suffixed. */
async function repeated(source: string, target: string, times: number): Promise<void> {
  const text = readFileSync(source, 'utf8');
  const open = text.indexOf('<Children>') + '<Children>'.length;
  const close = text.lastIndexOf('</Children>');
  const children = text.slice(open, close);
  const out = createWriteStream(target);
  const write = (s: string) => new Promise<void>((resolve) => { if (out.write(s)) resolve(); else out.once('drain', resolve); });
  await write(text.slice(0, open));
  for (let k = 1; k <= times; k++) await write(children.replace(/<LAchildID>([^<]*)<\/LAchildID>/g, `<LAchildID>$1-${k}</LAchildID>`));
  await write(text.slice(close));
  await new Promise<void>((resolve) => out.end(resolve));
}

const population = Number(values.population);
const dir = join('data', 'bench', `validate-p${population}`);
const cin = join(dir, 'files', 'cin-census', 'CIN_Census_2024-25.xml');
if (!existsSync(cin)) await synthesise({ ...DEFAULT_SYNTH_OPTIONS, population, years: 1 }, join(dir, 'files'));
const times = Number(values.repeat);
const big = join(dir, `CIN_Census_2024-25-x${times}.xml`);
if (!existsSync(big)) await repeated(cin, big, times);

const rows: Record<string, unknown>[] = [];
const mb = (p: string) => (statSync(p).size / 1e6).toFixed(1);
for (const [what, path, ruleset, budget] of [
  ['SSDA903 samples (../shared/external-samples/ssda903)', join('..', 'shared', 'external-samples', 'ssda903'), 'lac2024_25', 'well under 1 s'],
  [`CIN census, ${mb(cin)} MB`, cin, 'cin2024_25', 'under 3 s (32 MB)'],
  [`CIN census, ${mb(big)} MB`, big, 'cin2024_25', 'under 15 s, under 500 MB (160 MB)'],
] as const) {
  if (!existsSync(path)) continue;
  const m = measure(path, ruleset);
  rows.push({ what, seconds: Number(m.seconds.toFixed(2)), cpuSeconds: Number(m.cpuSeconds.toFixed(2)), peakMB: m.peakMB, findings: m.findings, budget });
  console.log(`${what}: ${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds.toFixed(2)} s, all threads), peak ${m.peakMB} MB, ${m.findings} findings (budget ${budget})`);
}
mkdirSync(join('bench', 'results'), { recursive: true });
writeFileSync(join('bench', 'results', `validate-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`), JSON.stringify(rows, null, 2));
