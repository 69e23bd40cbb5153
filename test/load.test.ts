// Loads are atomic, idempotent, superseding and reversible. Fixtures are small SSDA903 episode files
// written in the test (the format of ../shared/external-samples/ssda903/episodes.csv).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { loadFile, listLoads, rollbackLoad, loadFindings } from '../src/load.ts';

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
