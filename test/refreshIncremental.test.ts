// A load rebuilds the current state (main.*) only for the record keys its rows and the rows of the loads it
// supersedes carry (store.refreshCurrent with load ids), so loading years of history costs what each file
// brings rather than the whole history again per file. These tests prove the shortcut changes nothing: after
// every step of a real sequence of loads (every format of a synthetic authority, then a corrected census
// that drops children and changes others, then its rollback) main.* equals the full rebuild from the active
// loads (expectConsistent compares fingerprints of every table).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoStore, type DemoStore } from './helpers/demoStore.ts';
import { expectConsistent, fingerprint, sql } from './helpers/consistency.ts';
import { loadFile, rollbackLoad } from '../src/load.ts';
import { TABLE_NAMES } from '../src/model.ts';

describe('incremental rebuild of the current state', () => {
  let demo: DemoStore;
  beforeAll(async () => { demo = await demoStore({ population: 1500, years: 2, seed: 11 }); }, 300_000);
  afterAll(() => demo?.close());

  it('after loading every file of the authority, main.* equals the full rebuild', async () => {
    await expectConsistent(demo.store, 'all files loaded');
  }, 120_000);

  it('the shortcut for tables whose rows are all of one kind of source gives what the general rebuild gives', async () => {
    const kinds = await sql<{ t: string; kinds: number }>(demo.store, TABLE_NAMES.map((t) =>
      `SELECT '${t}' AS t, count(DISTINCT l.kind)::INTEGER AS kinds FROM loads l
       WHERE l.status = 'active' AND l.load_id IN (SELECT load_id FROM loaded.${t})`).join(' UNION ALL '));
    // Both forms are exercised: tables whose rows come from one kind of source and tables with several.
    expect(kinds.filter((k) => k.kinds === 1).length, JSON.stringify(kinds)).toBeGreaterThan(0);
    expect(kinds.filter((k) => k.kinds > 1).length, JSON.stringify(kinds)).toBeGreaterThan(0);
    const current = await fingerprint(demo.store);
    let general: Record<string, string> = {};
    const ROLL_BACK = new Error('compared: roll back');
    await demo.store.transaction(async () => {
      await demo.store.refreshCurrent(undefined, undefined, { general: true });
      general = await fingerprint(demo.store);
      throw ROLL_BACK;
    }).catch((err: unknown) => { if (err !== ROLL_BACK) throw err; });
    expect(current).toEqual(general);
  }, 120_000);

  it('a corrected census that drops children and changes a referral date supersedes the first, then rolls back, equal to the full rebuild each time', async () => {
    const census = demo.files.filter((f) => f.kind === 'cin_census').at(-1)!;
    const text = readFileSync(census.path, 'utf8');
    // Drop every fifth child and move the first referral date by a day: keys removed and a key's row changed.
    let n = 0;
    let corrected = text.replace(/<Child>[\s\S]*?<\/Child>/g, (child) => (n++ % 5 === 0 ? '' : child));
    corrected = corrected.replace(/<ReferralDate>(\d{4}-\d{2})-(\d{2})<\/ReferralDate>/, (_m, ym: string, d: string) =>
      `<ReferralDate>${ym}-${String(Math.max(1, Number(d) - 1)).padStart(2, '0')}</ReferralDate>`);
    expect(n).toBeGreaterThan(50);
    const path = join(demo.dir, 'corrected-census.xml');
    writeFileSync(path, corrected);

    const before = await sql<{ n: number }>(demo.store, 'SELECT count(*)::INTEGER AS n FROM main.referrals');
    const result = await loadFile(demo.store, path, { user: 'test' });
    expect(result.status, JSON.stringify(result.findings.slice(0, 3))).toBe('loaded');
    expect(result.superseded).toHaveLength(1);
    await expectConsistent(demo.store, 'corrected census loaded');

    await rollbackLoad(demo.store, result.loadId!);
    await expectConsistent(demo.store, 'corrected census rolled back');
    const after = await sql<{ n: number }>(demo.store, 'SELECT count(*)::INTEGER AS n FROM main.referrals');
    expect(after[0].n).toBe(before[0].n);
  }, 300_000);
});
