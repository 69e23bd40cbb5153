// Loads are atomic, idempotent, superseding and reversible. Fixtures are small SSDA903 episode files
// written in the test (the format of ../shared/external-samples/ssda903/episodes.csv).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { loadFile, listLoads, rollbackLoad, loadFindings } from '../src/load.ts';
import { listAudit, verifyAudit } from '../src/audit.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';

function episodes(name: string, lines: string[]): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'episodes.csv');
  writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
  return path;
}

const FIRST = [
  '0001,01/05/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
  '0002,10/06/2024,S,V2,N4,U6,PR4,20/09/2024,E4A,,AB1 2CD,AB3 4EF,SC123457',
  '0003,15/01/2025,S,C1,N1,K2,PR4,,,,AB1 2CD,AB3 4EF,SC123458',
];
// The corrected return for the same year: child 0003's episode was entered in error; 0001 left care.
const CORRECTED = [
  '0001,01/05/2024,S,C2,N1,U4,PR1,28/02/2025,E13,,AB1 2CD,AB3 4EF,SC123456',
  '0002,10/06/2024,S,V2,N4,U6,PR4,20/09/2024,E4A,,AB1 2CD,AB3 4EF,SC123457',
];

async function current(store: Store) {
  return store.query<{ child_id: string; dec: string | null }>('SELECT child_id, dec FROM lac_episodes ORDER BY child_id');
}

describe('loads', () => {
  it('loading the same file twice changes nothing; ids keep their leading zeros', async () => {
    const store = await Store.open(join(dir, 'twice.duckdb'));
    const file = episodes('twice/2024-25', FIRST);
    const first = await loadFile(store, file);
    expect(first.status).toBe('loaded');
    expect(first.rowsLoaded.lac_episodes).toBe(3);
    const second = await loadFile(store, file);
    expect(second.status).toBe('unchanged');
    expect(second.loadId).toBe(first.loadId);
    expect((await current(store)).map((r) => r.child_id)).toEqual(['0001', '0002', '0003']);
    expect(await listLoads(store)).toHaveLength(1);
    const rows = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM loaded.lac_episodes');
    expect(rows[0].n).toBe(3);
    store.close();
  });

  it('a corrected file for the same return and year supersedes the first without deleting it, and rollback restores it', async () => {
    const store = await Store.open(join(dir, 'supersede.duckdb'));
    const v1 = await loadFile(store, episodes('v1/2024-25', FIRST));
    const v2 = await loadFile(store, episodes('v2/2024-25', CORRECTED));
    expect(v2.status).toBe('loaded');
    expect(v2.superseded).toEqual([v1.loadId]);
    expect(await current(store)).toEqual([
      { child_id: '0001', dec: '2025-02-28' },
      { child_id: '0002', dec: '2024-09-20' },
    ]);
    const loads = await listLoads(store);
    expect(loads.map((l) => [l.load_id, l.status, l.superseded_by])).toEqual([
      [v1.loadId, 'superseded', v2.loadId],
      [v2.loadId, 'active', null],
    ]);
    // Every row ever loaded is kept, with its file and line.
    const kept = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM loaded.lac_episodes');
    expect(kept[0].n).toBe(5);
    const provenance = await store.query('SELECT source_file, source_row FROM lac_episodes WHERE child_id = ?', ['0001']);
    expect(provenance).toEqual([{ source_file: 'episodes.csv', source_row: 2 }]);

    const { restored } = await rollbackLoad(store, v2.loadId!);
    expect(restored).toEqual([v1.loadId]);
    expect(await current(store)).toEqual([
      { child_id: '0001', dec: null },
      { child_id: '0002', dec: '2024-09-20' },
      { child_id: '0003', dec: null },
    ]);
    await expect(rollbackLoad(store, v2.loadId!)).rejects.toThrow(/rolled_back, not active/);
    store.close();
  });

  it('a file with the wrong columns is rejected with a finding naming it, and nothing loaded before changes', async () => {
    const store = await Store.open(join(dir, 'reject.duckdb'));
    await loadFile(store, episodes('good/2024-25', FIRST));
    const before = await current(store);
    const bad = join(dir, 'wrong-columns.csv');
    writeFileSync(bad, 'CHILD,DECOM,RNE,LS,CIN,PLACE\n0009,01/05/2024,S,C2,N1,U4\n');
    const result = await loadFile(store, bad);
    expect(result.status).toBe('rejected');
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings[0].message).toContain('wrong-columns.csv');
    expect(await current(store)).toEqual(before);
    const stored = await loadFindings(store, result.loadId!);
    expect(stored.map((f) => f.code)).toEqual(result.findings.map((f) => f.code));
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await loadFile(store, empty)).status).toBe('rejected');
    expect(await current(store)).toEqual(before);
    store.close();
  });

  it('every load (loaded, unchanged, rejected) and rollback writes an audit row naming who, from where and what', async () => {
    const store = await Store.open(join(dir, 'audited.duckdb'));
    const ana = { username: 'ana', ip: '10.1.2.3' };
    const file = episodes('audited/2024-25', FIRST);
    const first = await loadFile(store, file, { actor: ana });
    await loadFile(store, file, { actor: ana });
    const bad = join(dir, 'audited-bad.csv');
    writeFileSync(bad, 'CHILD,DECOM\n0001,01/05/2024\n');
    const refused = await loadFile(store, bad, { actor: { username: 'cli:bob', ip: 'cli' } });
    const second = await loadFile(store, episodes('audited2/2024-25', CORRECTED), { actor: ana });
    await rollbackLoad(store, second.loadId!, { actor: { username: 'cli:bob', ip: 'cli' } });
    const rows = (await listAudit(store, { limit: 10 })).reverse();
    expect(rows.map((r) => [r.action, r.target, r.username, r.ip, (r.detail as { outcome?: string }).outcome ?? null])).toEqual([
      ['load', String(first.loadId), 'ana', '10.1.2.3', 'loaded'],
      ['load', String(first.loadId), 'ana', '10.1.2.3', 'unchanged'],
      ['load', String(refused.loadId), 'cli:bob', 'cli', 'rejected'],
      ['load', String(second.loadId), 'ana', '10.1.2.3', 'loaded'],
      ['rollback', String(second.loadId), 'cli:bob', 'cli', null],
    ]);
    expect(rows[0].detail).toMatchObject({ file: 'episodes.csv', kind: 'ssda903', rows: { lac_episodes: 3 }, superseded: [] });
    expect(rows[3].detail).toMatchObject({ superseded: [first.loadId] });
    expect(rows[4].detail).toMatchObject({ restored: [first.loadId] });
    expect((await listLoads(store)).find((l) => l.load_id === first.loadId)?.loaded_by).toBe('ana');
    expect((await verifyAudit(store)).ok).toBe(true);
    store.close();
  });

  it('two corrected returns loaded at once on two connections: they take turns, so exactly one is active', async () => {
    const store = await Store.open(join(dir, 'concurrent.duckdb'));
    const a = await store.fork();
    const b = await store.fork();
    await loadFile(store, episodes('c0/2024-25', FIRST));
    const [ra, rb] = await Promise.all([
      loadFile(a, episodes('c1/2024-25', CORRECTED)),
      loadFile(b, episodes('c2/2024-25', [...CORRECTED, '0004,01/03/2025,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123459'])),
    ]);
    expect([ra.status, rb.status]).toEqual(['loaded', 'loaded']);
    const loads = await listLoads(store);
    expect(loads.filter((l) => l.status === 'active')).toHaveLength(1);
    expect(loads.filter((l) => l.status === 'superseded')).toHaveLength(2);
    a.close();
    b.close();
    store.close();
  });

  it('a file refused after many rows were read leaves none of them behind, even after later loads commit', async () => {
    const db = join(dir, 'refused-late.duckdb');
    const store = await Store.open(db);
    // 30,000 visits, then a quoted field never closed: the reader refuses the file at its end, after the
    // rows before have gone into the load's appenders.
    const lines = ['type,child_id,visit_date,visit_type,seen_alone'];
    for (let i = 0; i < 30_000; i++) lines.push(`visits,C${String(i).padStart(6, '0')},2024-06-03,CP,Y`);
    lines.push('visits,"C999999,2024-06-03,CP,Y');
    const bad = join(dir, 'late-refusal.csv');
    writeFileSync(bad, lines.join('\n') + '\n');
    const refused = await loadFile(store, bad);
    expect(refused.status).toBe('rejected');
    expect(refused.findings.map((f) => f.code)).not.toContain('EV002');
    // An appender left open flushes what it holds when garbage-collected, into whatever transaction is
    // open then: collect now, then commit another load; the refused file's rows must not land in it.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); }
    await loadFile(store, episodes('after-refusal/2024-25', FIRST));
    store.close();
    const reopened = await Store.open(db);
    const orphans = await reopened.query<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM loaded.visits WHERE load_id NOT IN (SELECT load_id FROM loads WHERE status = \'active\')');
    expect(orphans[0].n).toBe(0);
    expect((await reopened.counts('loaded')).visits).toBe(0);
    reopened.close();
  });

  it('a load killed midway leaves the store exactly as it was', async () => {
    const db = join(dir, 'killed.duckdb');
    const store = await Store.open(db);
    await loadFile(store, episodes('small/2023-24', FIRST));
    const before = { loads: await listLoads(store), episodes: await current(store) };
    store.close();

    // A large file: 1.5 million episodes takes several seconds to load; we kill the process after 1.5 s.
    const big = join(dir, 'big', 'episodes.csv');
    mkdirSync(join(dir, 'big'), { recursive: true });
    const out = createWriteStream(big);
    out.write(HEADER + '\n');
    for (let i = 0; i < 1_500_000; i++) out.write(`${String(i).padStart(7, '0')},01/05/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456\n`);
    await new Promise<void>((resolve) => out.end(resolve));

    const child = spawn(process.execPath, ['bin/csc.js', '--db', db, 'load', big], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    const code = await exited;
    expect(code).toBeNull(); // killed, not finished

    const reopened = await Store.open(db);
    expect(await listLoads(reopened)).toEqual(before.loads);
    expect(await current(reopened)).toEqual(before.episodes);
    const kept = await reopened.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM loaded.lac_episodes');
    expect(kept[0].n).toBe(3);
    reopened.close();
  });
});
