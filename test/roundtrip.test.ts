// The synthetic authority written by `csc synth` and loaded back through the readers gives the same records.
// A small authority (4,000 children, 2 years, no injected faults) keeps the test quick; the comparison is
// per table for what each return carries, and field by field for a sample of records.
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { loadFile } from '../src/load.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { synthesise, reportingYearsOf, type WrittenFile } from '../src/synth/index.ts';
import type { SyntheticLA } from '../src/synth/types.ts';
import type { LoadResult } from '../src/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let la: SyntheticLA;
let files: WrittenFile[];
let store: Store;
let results: LoadResult[];
let firstDay: string;
let lastDay: string;

beforeAll(async () => {
  ({ la, files } = await synthesise({ ...DEFAULT_SYNTH_OPTIONS, population: 4000, years: 2, seed: 11, faultRate: 0 }, join(dir, 'files')));
  const years = reportingYearsOf(la);
  firstDay = `${years[0]}-04-01`;
  lastDay = `${years[years.length - 1] + 1}-03-31`;
  store = await Store.open(join(dir, 'rt.duckdb'));
  results = [];
  for (const f of files) results.push(await loadFile(store, f.path));
});
afterAll(() => store?.close());

/** Records of the synthetic LA open at some time in the years the returns cover. */
function openInReturns<T>(rows: T[], start: (r: T) => string | null, end: (r: T) => string | null): T[] {
  return rows.filter((r) => {
    const s = start(r);
    const e = end(r);
    return s !== null && s <= lastDay && (e === null || e >= firstDay);
  });
}

describe('synth → files → load', () => {
  it('every written file loads, none is rejected, and no row is refused', () => {
    expect(results.map((r) => [r.file.split('/').slice(-2).join('/'), r.status]).filter(([, s]) => s !== 'loaded')).toEqual([]);
    expect(results.reduce((a, r) => a + r.rowsRejected, 0)).toBe(0);
  });

  it('gives back every looked-after episode in the years returned, field by field', async () => {
    const expected = openInReturns(la.tables.lac_episodes, (r) => r.decom, (r) => r.dec);
    const loaded = await store.query<Record<string, unknown>>('SELECT * EXCLUDE (load_id, source_file, source_row) FROM lac_episodes ORDER BY child_id, decom');
    expect(loaded.length).toBe(expected.length);
    const byKey = new Map(loaded.map((r) => [`${r.child_id}|${r.decom}`, r]));
    for (const e of expected.slice(0, 200)) {
      const got = byKey.get(`${e.child_id}|${e.decom}`);
      expect(got, `episode ${e.child_id} ${e.decom}`).toBeDefined();
      // An episode that ends after the last return's year end is returned still open.
      const dec = e.dec !== null && e.dec > lastDay ? null : e.dec;
      expect({ ...got }).toMatchObject({ ...e, dec, reason_ceased: dec === null ? null : e.reason_ceased });
    }
  });

  it('gives back every referral open in the years returned, and each child protection plan', async () => {
    const referrals = openInReturns(la.tables.referrals, (r) => r.referral_date, (r) => r.closure_date);
    const n = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM referrals');
    expect(n[0].n).toBe(referrals.length);
    const plans = openInReturns(la.tables.cp_plans, (r) => r.start_date, (r) => r.end_date);
    const loaded = await store.query<{ child_id: string; start_date: string; initial_category: string | null }>(
      'SELECT child_id, start_date, initial_category FROM cp_plans ORDER BY child_id, start_date');
    const got = new Set(loaded.map((p) => `${p.child_id}|${p.start_date}|${p.initial_category}`));
    for (const p of plans) expect(got.has(`${p.child_id}|${p.start_date}|${p.initial_category}`), `plan ${p.child_id} ${p.start_date}`).toBe(true);
  });

  it('gives back every contact once, though contacts arrive both in the event feed and in Annex A', async () => {
    const n = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM contacts');
    expect(n[0].n).toBe(la.tables.contacts.length);
  });

  it('the same seed writes byte-identical files', async () => {
    const again = await synthesise({ ...la.options }, join(dir, 'again'));
    for (let i = 0; i < files.length; i++) {
      expect(readFileSync(again.files[i].path).equals(readFileSync(files[i].path)), files[i].path).toBe(true);
    }
  });

  it('the CLI writes the same files as the library for the same options', () => {
    const out = join(dir, 'cli');
    const r = spawnSync(process.execPath, ['bin/csc.js', 'synth', '--population', '4000', '--years', '2', '--seed', '11', '--fault-rate', '0', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote');
    const cin = files.find((f) => f.kind === 'cin_census')!;
    const rel = cin.path.slice(join(dir, 'files').length);
    expect(readFileSync(join(out, rel)).equals(readFileSync(cin.path))).toBe(true);
  });
});
