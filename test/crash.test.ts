// Crash safety: a real child process loading real files (a synthetic authority's CIN census XML and event
// feed, and a corrected census superseding one already loaded), backing up, or restoring, is killed with
// SIGKILL at random points — before its transaction, while it reads, during COMMIT (and the checkpoint a
// large commit triggers), and after it, while the database is closed and checkpointed. Each time the
// store is reopened and must be consistent:
//   - it opens; every load has a final status (there is no 'in progress' status: a load's row commits
//     with its records, so there is nothing to recover);
//   - every load's rows are all in loaded.* (counts equal what the load recorded), its warnings are all
//     in findings, and no rows or findings belong to a load that is not recorded;
//   - the current state (main.*) equals the state rebuilt from the active loads;
//   - the audit chain verifies, and every load has its audit row and every load audit row its load;
//   - a load killed before it reached COMMIT is not there, one killed after COMMIT returned is;
//   - loading the same file again is a no-op if the load committed, and loads it if not.
// A backup killed leaves the database as it was and either no backup or a whole one (which restores); a
// restore killed leaves either the old or the restored database at the target, never neither or a broken one.
// The kill points are drawn from a seeded generator, as fractions of the stages' durations measured in an
// uninterrupted run, so they spread over every stage however fast or slow the machine is.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { expectConsistent, sql } from './helpers/consistency.ts';
import { loadFile } from '../src/load.ts';
import { verifyAudit } from '../src/audit.ts';
import { backup, manifestPath, restore } from '../src/backup.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { synthesise } from '../src/synth/index.ts';
import { Random } from '../src/synth/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-crash-'));
const CHILD = join(import.meta.dirname, 'helpers', 'crashChild.ts');
const rng = new Random('crash-test-2026-12');
const random = (): number => rng.next();
/** Where each kill fell and what was found, printed at the end (the closing note quotes it). */
const report: string[] = [];

const LOAD_PHASES = ['spawn', 'started', 'open', 'hashed', 'begin', 'read', 'commit', 'committed', 'closed', 'exit'] as const;
type Phase = string;

interface Run { phases: Map<Phase, number>; last: Phase; killed: boolean; stderr: string }

/**
 * Runs the child; with `killAt`, sends SIGKILL `delay` ms after it reports `after` (or after spawning).
 * Returns the time each stage was reported (ms after spawn) and the last stage reached.
 */
function runChild(args: string[], killAt?: { after: Phase; delay: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const phases = new Map<Phase, number>([['spawn', 0]]);
    let last: Phase = 'spawn';
    let stderr = '';
    let buffered = '';
    let killed = false;
    const kill = () => { if (!killed && child.exitCode === null) { killed = true; child.kill('SIGKILL'); } };
    const arm = (phase: Phase) => {
      if (killAt && killAt.after === phase) setTimeout(kill, killAt.delay);
    };
    arm('spawn');
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const phase = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!killed) { phases.set(phase, performance.now() - t0); last = phase; }
        arm(phase);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed) {
        phases.set('exit', performance.now() - t0);
        last = 'exit';
        if (code !== 0) { reject(new Error(`child exited with ${code ?? signal}: ${stderr}`)); return; }
      }
      resolve({ phases, last, killed, stderr });
    });
  });
}

/** Kill points: for each window (a stage and the next), a delay after the stage, as a random fraction of its measured length. */
function killPoints(calibration: Run, windows: [Phase, Phase][]): { after: Phase; delay: number; window: string }[] {
  return windows.map(([from, to]) => {
    const length = Math.max(1, (calibration.phases.get(to) ?? 0) - (calibration.phases.get(from) ?? 0));
    return { after: from, delay: Math.round(random() * length), window: `${from}→${to}` };
  });
}

async function sha256(path: string): Promise<string> {
  const { sha256File } = await import('../src/backup.ts');
  return sha256File(path);
}

/** What a database holds, for telling an old one from a new one: its loads and the first audit rows' hashes. */
async function identity(path: string): Promise<string> {
  const store = await Store.open(path);
  try {
    const loads = await sql<{ l: string }>(store, `SELECT coalesce(string_agg(load_id || ':' || status || ':' || file_hash, ',' ORDER BY load_id), '') AS l FROM loads`);
    return loads[0].l;
  } finally {
    store.close();
  }
}

let files: { cin: string; corrected: string; events: string; others: string[] };
let base: string; // SSDA903 and Annex A loaded
let baseWithCin: string; // and the CIN census

beforeAll(async () => {
  const { files: written } = await synthesise({ ...DEFAULT_SYNTH_OPTIONS, population: 3000, years: 1, seed: 11 }, join(dir, 'files'));
  const cin = written.find((f) => f.kind === 'cin_census')!.path;
  const events = written.find((f) => f.kind === 'events')!.path;
  // A corrected census for the same year: other bytes (a comment after the root element), so it loads and supersedes.
  mkdirSync(join(dir, 'corrected'));
  const corrected = join(dir, 'corrected', 'CIN_Census_2024-25.xml');
  writeFileSync(corrected, readFileSync(cin, 'utf8') + '<!-- corrected return -->\n');
  files = { cin, corrected, events, others: written.filter((f) => f.kind === 'ssda903' || f.kind === 'annex_a').map((f) => f.path) };

  base = join(dir, 'base.duckdb');
  const store = await Store.open(base);
  for (const f of files.others) await loadFile(store, f, { actor: { username: 'setup', ip: null } });
  store.close();
  baseWithCin = join(dir, 'base-cin.duckdb');
  copyFileSync(base, baseWithCin);
  const s2 = await Store.open(baseWithCin);
  expect((await loadFile(s2, cin)).status).toBe('loaded');
  s2.close();
}, 300_000);

afterAll(() => {
  console.log(`\n${report.join('\n')}\n`);
  rmSync(dir, { recursive: true, force: true });
});

const LOAD_WINDOWS: [Phase, Phase][] = [
  ['spawn', 'open'], ['open', 'begin'],        // before the transaction: starting, opening the store, hashing the file
  ['begin', 'read'],                           // reading the file into loaded.*
  ['read', 'commit'],                          // findings, supersede, rebuilding main.*
  ['commit', 'committed'], ['commit', 'committed'], // COMMIT (the audit row chained, the WAL written, a checkpoint if large)
  ['committed', 'exit'],                       // after: closing the store (its checkpoint), exiting
];
const ORDER = new Map<string, number>(LOAD_PHASES.map((p, i) => [p, i]));

describe('kill -9 at random points', () => {
  const scenarios = [
    { name: 'a CIN census XML', start: () => base, file: () => files.cin },
    { name: 'an event feed (JSON lines)', start: () => base, file: () => files.events },
    { name: 'a corrected CIN census superseding the one loaded', start: () => baseWithCin, file: () => files.corrected },
  ];
  for (const sc of scenarios) {
    it(`while loading ${sc.name}: the store is consistent after every kill (${LOAD_WINDOWS.length} kills)`, async () => {
      const file = sc.file();
      const hash = await sha256(file);
      // One uninterrupted run measures the stages; its result must pass the same checks.
      const calDb = join(dir, `cal-${sc.name.length}.duckdb`);
      copyFileSync(sc.start(), calDb);
      const calibration = await runChild(['load', calDb, file]);
      const calStore = await Store.open(calDb);
      expect(await expectConsistent(calStore, 'uninterrupted', hash)).toBe(true);
      calStore.close();
      const stages = [...calibration.phases].map(([p, t]) => `${p} ${Math.round(t)}`).join(', ');
      report.push(`load ${sc.name}: stages (ms after spawn) ${stages}`);

      for (const [i, point] of killPoints(calibration, LOAD_WINDOWS).entries()) {
        const db = join(dir, `kill-${sc.name.length}-${i}.duckdb`);
        copyFileSync(sc.start(), db);
        const run = await runChild(['load', db, file], point);
        const what = `${sc.name}, kill ${i + 1} (${point.window} +${point.delay} ms, last stage ${run.last})`;
        const store = await Store.open(db);
        try {
          const committed = await expectConsistent(store, what, hash);
          const stage = ORDER.get(run.last)!;
          if (stage < ORDER.get('commit')!) expect(committed, `${what}: killed before COMMIT, yet the load is there`).toBe(false);
          if (stage >= ORDER.get('committed')!) expect(committed, `${what}: COMMIT returned, yet the load is gone`).toBe(true);
          const again = await loadFile(store, file, { actor: { username: 'after-crash', ip: null } });
          expect(again.status, what).toBe(committed ? 'unchanged' : 'loaded');
          expect((await verifyAudit(store)).ok, `${what}, loaded again`).toBe(true);
          report.push(`  kill ${i + 1}: window ${point.window} +${point.delay} ms → last stage '${run.last}'${run.killed ? '' : ' (finished before the kill)'}; ` +
            `load ${committed ? 'committed' : 'absent'}; consistent; loaded again: ${again.status}`);
        } finally {
          store.close();
          rmSync(db, { force: true });
          rmSync(`${db}.wal`, { force: true });
        }
      }
    }, 600_000);
  }

  it('while backing up: the database is untouched, and a backup is either absent or whole (5 kills)', async () => {
    const before = await identity(baseWithCin);
    const calDb = join(dir, 'backup-cal.duckdb');
    copyFileSync(baseWithCin, calDb);
    const calibration = await runChild(['backup', calDb, join(dir, 'backup-cal.backup')]);
    report.push(`backup: stages (ms after spawn) ${[...calibration.phases].map(([p, t]) => `${p} ${Math.round(t)}`).join(', ')}`);
    const windows: [Phase, Phase][] = [['spawn', 'open'], ['open', 'backed-up'], ['open', 'backed-up'], ['open', 'backed-up'], ['backed-up', 'exit']];
    for (const [i, point] of killPoints(calibration, windows).entries()) {
      const db = join(dir, `bk-${i}.duckdb`);
      copyFileSync(baseWithCin, db);
      const out = join(dir, `bk-${i}`, 'csc.backup');
      const run = await runChild(['backup', db, out], point);
      const what = `backup kill ${i + 1} (${point.window} +${point.delay} ms, last stage ${run.last})`;
      const store = await Store.open(db);
      try {
        await expectConsistent(store, what);
      } finally {
        store.close();
      }
      expect(await identity(db), `${what}: the database backed up changed`).toBe(before);
      let outcome: string;
      if (existsSync(out) && existsSync(manifestPath(out))) {
        const restored = join(dir, `bk-${i}-restored.duckdb`);
        await restore(out, restored);
        expect(await identity(restored), what).toBe(before);
        outcome = 'whole backup, restores';
      } else if (existsSync(out)) {
        // Killed between renaming the copy and writing its manifest: restore refuses it, saying why.
        await expect(restore(out, join(dir, `bk-${i}-r.duckdb`))).rejects.toThrow(/manifest .* is missing/);
        outcome = 'copy without its manifest: restore refuses it';
      } else outcome = 'no backup';
      // Taking it again works (the kill left at most temporary files, which are ignored).
      await backup(db, out, { force: true });
      report.push(`  kill ${i + 1}: window ${point.window} +${point.delay} ms → last stage '${run.last}'${run.killed ? '' : ' (finished)'}; database unchanged; ${outcome}; ` +
        `left over: ${readdirSync(join(dir, `bk-${i}`)).filter((f) => f.endsWith('.tmp')).length} temporary files`);
    }
  }, 600_000);

  it('while restoring: the target is the old database or the restored one, never neither or broken (5 kills)', async () => {
    const backupFile = join(dir, 'restore-src', 'csc.backup');
    await backup(baseWithCin, backupFile);
    const fresh = await identity(baseWithCin);
    const old = await identity(base);
    expect(fresh).not.toBe(old);
    const calDb = join(dir, 'restore-cal.duckdb');
    copyFileSync(base, calDb);
    const calibration = await runChild(['restore', calDb, backupFile]);
    report.push(`restore: stages (ms after spawn) ${[...calibration.phases].map(([p, t]) => `${p} ${Math.round(t)}`).join(', ')}`);
    const windows: [Phase, Phase][] = [['spawn', 'started'], ['started', 'restored'], ['started', 'restored'], ['started', 'restored'], ['restored', 'exit']];
    for (const [i, point] of killPoints(calibration, windows).entries()) {
      const target = join(dir, `rs-${i}`, 'csc.duckdb');
      mkdirSync(join(dir, `rs-${i}`));
      copyFileSync(base, target);
      const run = await runChild(['restore', target, backupFile], point);
      const what = `restore kill ${i + 1} (${point.window} +${point.delay} ms, last stage ${run.last})`;
      expect(existsSync(target), `${what}: no database at the target`).toBe(true);
      const now = await identity(target);
      expect([old, fresh], `${what}: the target is neither the old database nor the backup`).toContain(now);
      const store = await Store.open(target);
      try {
        await expectConsistent(store, what);
      } finally {
        store.close();
      }
      if (run.last === 'restored' || run.last === 'exit') expect(now, `${what}: restore returned, yet the old database is there`).toBe(fresh);
      // Restoring again completes.
      await restore(backupFile, target, { force: true });
      expect(await identity(target), what).toBe(fresh);
      report.push(`  kill ${i + 1}: window ${point.window} +${point.delay} ms → last stage '${run.last}'${run.killed ? '' : ' (finished)'}; target holds the ${now === fresh ? 'restored' : 'old'} database, consistent; restored again`);
    }
  }, 600_000);
});
