// npm run loadtest [-- --population N --years N --duration S --users 20,100]
// The dashboard under load from authenticated users, with autocannon: a real HTTP server on 127.0.0.1 over
// a synthetic authority loaded through the readers; every connection is a different signed-in user (a mix of
// analysts and managers, a few viewers), each cycling through the main pages and API. For each number of
// concurrent users: requests per second, latency p50/p95/p99 (measured from every response), and the error
// rate (non-2xx/3xx answers, socket errors and timeouts). Only loopback is ever a target; the run is bounded
// by --duration per level. Results also go to bench/results/loadtest-*.json.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { Store } from '../src/store.ts';
import { loadFile } from '../src/load.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { synthesise, type WrittenFile } from '../src/synth/index.ts';
import { loadEnglandBenchmarks } from '../src/judge/benchmarks.ts';
import { buildApp } from '../src/server/app.ts';
import { addUser, type Role } from '../src/auth/users.ts';
import { createSession } from '../src/auth/sessions.ts';
import { SESSION_COOKIE } from '../src/server/auth.ts';
import { formatTable } from '../src/format.ts';

const { values } = parseArgs({
  options: {
    population: { type: 'string', default: '50000' },
    years: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
    duration: { type: 'string', default: '15' },
    users: { type: 'string', default: '20,100' },
  },
});
const options = { ...DEFAULT_SYNTH_OPTIONS, population: Number(values.population), years: Number(values.years), seed: Number(values.seed) };
const duration = Number(values.duration);
const levels = values.users.split(',').map(Number);

const cacheDir = join('data', 'bench', `p${options.population}-y${options.years}-s${options.seed}-${options.end}`);
mkdirSync(cacheDir, { recursive: true });
const manifest = join(cacheDir, 'manifest.json');
let files: WrittenFile[];
if (existsSync(manifest)) files = JSON.parse(readFileSync(manifest, 'utf8')) as WrittenFile[];
else {
  files = (await synthesise(options, join(cacheDir, 'files'))).files;
  writeFileSync(manifest, JSON.stringify(files));
}
const dbPath = join(cacheDir, 'loadtest.duckdb');
for (const f of [dbPath, `${dbPath}.wal`]) if (existsSync(f)) rmSync(f);
const store = await Store.open(dbPath);
console.log(`Loading ${files.length} files (${options.population} children, ${options.years} years)…`);
for (const f of files) await loadFile(store, f.path, { user: 'loadtest' });
await loadEnglandBenchmarks(store);

const app = await buildApp({ store, authority: 'Load test', loginLimit: 100_000 });
// Server-side time per page (from the request arriving to the answer leaving), to say which page a slow tail comes from.
const serverTimes = new Map<string, number[]>();
app.addHook('onResponse', async (req, reply) => {
  const key = req.url.replace(/\/child\/[^/?]+/, '/child/:id');
  let list = serverTimes.get(key);
  if (!list) serverTimes.set(key, (list = []));
  list.push(reply.elapsedTime);
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });

// Users: every connection signs in as its own user. Managers hold the busiest team.
const [team] = await store.query<{ name: string }>(
  `SELECT t.name FROM main.allocations a JOIN main.teams t ON t.team_id = a.team_id GROUP BY t.name ORDER BY count(*) DESC LIMIT 1`);
const [child] = await store.query<{ child_id: string }>(
  `SELECT a.child_id FROM main.allocations a JOIN main.teams t ON t.team_id = a.team_id WHERE t.name = ? AND a.end_date IS NULL LIMIT 1`, [team.name]);
const maxUsers = Math.max(...levels);
const cookies: { role: Role; cookie: string }[] = [];
for (let i = 0; i < maxUsers; i++) {
  const role: Role = i % 10 === 9 ? 'viewer' : i % 2 === 0 ? 'analyst' : 'manager';
  const username = `load${i}`;
  await addUser(store, { username, role, teams: role === 'manager' ? [team.name] : [], password: 'load test password 1' });
  const s = await createSession(store, username, '127.0.0.1');
  cookies.push({ role, cookie: `${SESSION_COOKIE}=${app.signCookie(s.token)}` });
}

const month = (await store.dataRange())!.last!.slice(0, 7);
const PAGES: Record<Role, string[]> = {
  analyst: [`/scorecard?month=${month}`, `/api/scorecard?month=${month}`, `/indicator/referrals.re_referrals_12m?month=${month}`,
    `/api/indicator/assessments.within_45_days?month=${month}`, '/lists', '/mash', '/caseloads', `/child/${child.child_id}`, '/data'],
  manager: [`/scorecard?month=${month}`, `/indicator/child_protection.visits_in_timescale?month=${month}`, '/lists', '/mash', '/caseloads', `/child/${child.child_id}`],
  viewer: [`/scorecard?month=${month}`, `/api/scorecard?month=${month}`],
  admin: ['/admin'],
};

interface LevelResult {
  users: number; seconds: number; requests: number; requestsPerSecond: number;
  p50ms: number; p95ms: number; p99ms: number; maxms: number; errors: number; non2xx: number; timeouts: number; errorRate: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(users: number): Promise<LevelResult> {
  const times: number[] = [];
  let statusErrors = 0;
  const byStatus = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    let next = 0;
    const instance = autocannon({
      url: address, connections: users, duration, timeout: 10,
      // each connection is one signed-in user, cycling through that role's pages
      setupClient: (client: autocannon.Client) => {
        const me = cookies[next++ % users];
        client.setHeaders({ cookie: me.cookie });
        const pages = PAGES[me.role];
        let i = 0;
        client.setRequests(pages.map(() => ({ method: 'GET', path: pages[i++ % pages.length] })));
      },
    } as autocannon.Options, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (statusCode >= 400) { statusErrors++; byStatus.set(statusCode, (byStatus.get(statusCode) ?? 0) + 1); }
    });
  });
  times.sort((a, b) => a - b);
  console.log(formatTable([...serverTimes].map(([page, list]) => {
    list.sort((a, b) => a - b);
    return { page, answers: list.length, 'server p50 ms': Math.round(percentile(list, 50)), 'server p95 ms': Math.round(percentile(list, 95)) };
  })));
  serverTimes.clear();
  if (byStatus.size) console.log(`  answers that were errors, by status: ${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  const requests = times.length;
  const failures = result.errors + result.timeouts + statusErrors;
  return {
    users, seconds: duration, requests, requestsPerSecond: Math.round(requests / duration),
    p50ms: Math.round(percentile(times, 50)), p95ms: Math.round(percentile(times, 95)), p99ms: Math.round(percentile(times, 99)),
    maxms: Math.round(times[times.length - 1] ?? 0), errors: result.errors, non2xx: statusErrors, timeouts: result.timeouts,
    errorRate: requests ? failures / (requests + result.errors + result.timeouts) : 1,
  };
}

// One warm-up pass of every page for every role (fills the data caches, as a working day would).
for (const [role, pages] of Object.entries(PAGES)) {
  const c = cookies.find((x) => x.role === role);
  if (c) for (const p of pages) await fetch(`${address}${p}`, { headers: { cookie: c.cookie } });
}
const results: LevelResult[] = [];
serverTimes.clear();
for (const users of levels) {
  console.log(`${users} concurrent users for ${duration} s…`);
  results.push(await run(users));
}
console.log(formatTable(results.map((r) => ({
  users: r.users, 'requests/s': r.requestsPerSecond, requests: r.requests, 'p50 ms': r.p50ms, 'p95 ms': r.p95ms, 'p99 ms': r.p99ms,
  'max ms': r.maxms, 'error rate': `${(r.errorRate * 100).toFixed(2)}%`,
}))));
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
mkdirSync(join('bench', 'results'), { recursive: true });
const out = join('bench', 'results', `loadtest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ options, duration, machine, pages: PAGES, results }, null, 2));
console.log(`Results written to ${out}`);
await app.close();
store.close();
