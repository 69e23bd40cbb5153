// npm run bench [-- --population N --years N --seed N]
// Synthesises an authority (cached between runs by its options), loads every file into a fresh store,
// and prints ingest speed per format, peak memory and how long the scorecard takes. Results are also written as JSON under
// bench/results/ so runs can be compared. Budgets: ../shared/DESIGN.md "Performance budgets".
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { Store } from '../src/store.ts';
import { loadFile } from '../src/load.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { synthesise, type WrittenFile } from '../src/synth/index.ts';
import { formatTable } from '../src/format.ts';
import { Engine } from '../src/engine.ts';
import { rolling12 } from '../src/periods.ts';
import { judgedScorecard } from '../src/judge/scorecard.ts';
import { Targets } from '../src/judge/targets.ts';
import { buildApp } from '../src/server/app.ts';
import { SESSION_COOKIE } from '../src/server/auth.ts';
import { addUser } from '../src/auth/users.ts';
import { createSession } from '../src/auth/sessions.ts';

const { values } = parseArgs({
  options: {
    population: { type: 'string', default: '100000' },
    years: { type: 'string', default: '6' },
    seed: { type: 'string', default: '7' },
  },
});
const options = { ...DEFAULT_SYNTH_OPTIONS, population: Number(values.population), years: Number(values.years), seed: Number(values.seed) };

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

const cacheDir = join('data', 'bench', `p${options.population}-y${options.years}-s${options.seed}-${options.end}`);
const manifest = join(cacheDir, 'manifest.json');
let files: WrittenFile[];
let synthSeconds: number | null = null;
if (existsSync(manifest)) {
  files = JSON.parse(readFileSync(manifest, 'utf8')) as WrittenFile[];
} else {
  const t = performance.now();
  files = (await synthesise(options, join(cacheDir, 'files'))).files;
  synthSeconds = (performance.now() - t) / 1000;
  writeFileSync(manifest, JSON.stringify(files));
}

const dbPath = join(cacheDir, 'bench.duckdb');
for (const f of [dbPath, `${dbPath}.wal`]) if (existsSync(f)) rmSync(f);
const store = await Store.open(dbPath);
const byKind = new Map<string, { files: number; bytes: number; rows: number; seconds: number }>();
for (const file of files) {
  const t = performance.now();
  const result = await loadFile(store, file.path, { user: 'bench' });
  const seconds = (performance.now() - t) / 1000;
  const k = byKind.get(file.kind) ?? { files: 0, bytes: 0, rows: 0, seconds: 0 };
  k.files++;
  k.bytes += statSync(file.path).size;
  k.rows += Object.values(result.rowsLoaded).reduce((a, b) => a + b, 0);
  k.seconds += seconds;
  byKind.set(file.kind, k);
}
const counts = await store.counts();

// The scorecard: every indicator, cold (first run on a fresh connection) and warm, and one indicator's children.
const month = options.end.slice(0, 7);
const engine = new Engine(store);
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t = performance.now(); const r = await fn(); return [r, (performance.now() - t) / 1000]; };
const [lines, cold13] = await timed(() => engine.scorecard(month, { trendMonths: 13 }));
const [, warm13] = await timed(() => engine.scorecard(month, { trendMonths: 13 }));
const [, warm24] = await timed(() => engine.scorecard(month, { trendMonths: 24 }));
const teams = (await store.query<{ name: string }>('SELECT name FROM main.teams ORDER BY name')).map((t) => t.name);
const [, byTeam24] = await timed(async () => { for (const team of teams) await engine.scorecard(month, { trendMonths: 24, team }); });
const [judged, judged24] = await timed(async () => judgedScorecard(engine, month, await Targets.load(store)));
const [rows, childRows] = await timed(() => engine.rows('referrals.re_referrals_12m', rolling12(month)));
engine.close();

// The dashboard under 20 concurrent users: each requests pages in turn for a fixed time, after one warm-up pass.
// Every page needs a signed-in user: one analyst account, each concurrent user with a session of its own
// (the signed cookie a browser would hold after signing in).
const USERS = 20;
const app = await buildApp({ store });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const benchUser = 'bench.analyst';
await addUser(store, { username: benchUser, role: 'analyst', teams: [], password: 'bench load test password' });
const cookies = await Promise.all(Array.from({ length: USERS }, async () =>
  `${SESSION_COOKIE}=${app.signCookie((await createSession(store, benchUser, '127.0.0.1')).token)}`));
const someChild = (await store.query<{ child_id: string }>('SELECT child_id FROM main.referrals ORDER BY referral_date DESC LIMIT 1'))[0]?.child_id;
const pages = [
  `/scorecard?month=${month}`, `/indicator/referrals.re_referrals_12m?month=${month}`, `/indicator/assessments.within_45_days?month=${month}`,
  `/lists/assessments_open`, `/mash`, `/caseloads`, `/data`, ...(someChild ? [`/child/${someChild}`] : []),
];
for (const p of pages) {
  const res = await fetch(base + p, { headers: { cookie: cookies[0] }, redirect: 'manual' });
  await res.text();
  if (res.status !== 200) throw new Error(`${p} answered ${res.status} to a signed-in analyst`);
}
const latencies: Record<string, number[]> = Object.fromEntries(pages.map((p) => [p, []]));
const until = performance.now() + 15_000;
await Promise.all(Array.from({ length: USERS }, async (_, user) => {
  for (let i = user; performance.now() < until; i++) {
    const p = pages[i % pages.length];
    const t = performance.now();
    const res = await fetch(base + p, { headers: { cookie: cookies[user] }, redirect: 'manual' });
    await res.text();
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
    latencies[p].push(performance.now() - t);
  }
}));
await app.close();
const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };
const all = Object.values(latencies).flat();
const dashboard = [
  ...pages.map((p) => ({ page: p.split('?')[0], requests: latencies[p].length, 'p50 ms': Math.round(pct(latencies[p], 0.5)), 'p95 ms': Math.round(pct(latencies[p], 0.95)) })),
  { page: 'all pages', requests: all.length, 'p50 ms': Math.round(pct(all, 0.5)), 'p95 ms': Math.round(pct(all, 0.95)) },
];
const scorecard = {
  month, indicators: lines.length,
  'cold, 13 months (s)': +cold13.toFixed(2), 'warm, 13 months (s)': +warm13.toFixed(2), 'warm, 24 months (s)': +warm24.toFixed(2),
  [`each of ${teams.length} teams, 24 months (s)`]: +byTeam24.toFixed(2), 'judged (targets, SPC, benchmarks, narrative), 24 months (s)': +judged24.toFixed(2),
  'one indicator\'s children, R12 (s)': +childRows.toFixed(3), 'children listed': rows.length, judgedLines: judged.lines.length,
};
store.close();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const ingest = [...byKind.entries()].map(([kind, k]) => ({
  format: kind, files: k.files, MB: +(k.bytes / 1e6).toFixed(1), rows: k.rows, seconds: +k.seconds.toFixed(2),
  'MB/s': +(k.bytes / 1e6 / k.seconds).toFixed(1), 'rows/s': Math.round(k.rows / k.seconds),
}));
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
console.log(`Dataset: ${options.population} children, ${options.years} years, seed ${options.seed} (${cacheDir})`);
console.log(`Machine: ${machine.cores} cores, ${machine.cpu}, ${machine.memoryGB} GB, Node ${machine.node}`);
console.log(`Records: contacts ${counts.contacts}, referrals ${counts.referrals}, assessments ${counts.assessments}, LAC episodes ${counts.lac_episodes}, children ${counts.children}`);
if (synthSeconds !== null) console.log(`Synthesis: ${synthSeconds.toFixed(1)} s (cached for the next run)`);
console.log(formatTable(ingest));
console.log(`Peak memory (RSS): ${(peakRss / 2 ** 20).toFixed(0)} MB`);
console.log('Scorecard:');
console.log(formatTable(Object.entries(scorecard).map(([measure, value]) => ({ measure, value }))));
console.log(`Dashboard, ${USERS} concurrent signed-in users for 15 s (budget: p95 under 100 ms):`);
console.log(formatTable(dashboard));

mkdirSync(join('bench', 'results'), { recursive: true });
const out = join('bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ options, machine, counts, synthSeconds, ingest, scorecard, dashboard, peakRssMB: Math.round(peakRss / 2 ** 20) }, null, 2));
console.log(`Written ${out}`);
