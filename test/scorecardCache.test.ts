// Whole scorecards kept in the store by data version (src/scorecardCache.ts), on a synthetic authority
// loaded through the real readers. A cached engine must give exactly what computing gives; it must read the
// kept copy (shown by altering the kept copy and seeing the alteration come back, also after reopening the
// store); and a load must make the kept copy unused, so no reader ever sees figures of replaced data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoStore, type DemoStore } from './helpers/demoStore.ts';
import { Engine, type ScorecardLine } from '../src/engine.ts';
import { Store } from '../src/store.ts';
import { loadFile } from '../src/load.ts';

const plain = (lines: readonly ScorecardLine[]) => lines.map((l) => ({ id: l.indicator.id, month: l.month, ytd: l.ytd, rolling12: l.rolling12, trend: l.trend }));
const MONTH = '2025-03';

describe('scorecards kept by data version', () => {
  let demo: DemoStore;
  let store: Store;
  beforeAll(async () => { demo = await demoStore({ population: 1500, years: 2, seed: 21 }); store = demo.store; }, 300_000);
  afterAll(() => { if (demo) { demo.store = store; demo.close(); } });

  const computed = async (options: { team?: string; ids?: string[] } = {}) => {
    const e = new Engine(store);
    try { return plain(await e.scorecard(MONTH, { trendMonths: 13, ...options })); } finally { e.close(); }
  };
  const cachedEngine = () => new Engine(store, {}, { cache: true });
  const rows = async () => (await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM scorecard_cache'))[0].n;

  it('gives what computing gives, keeps one copy, and reads it back', async () => {
    const expected = await computed();
    const e = cachedEngine();
    try {
      expect(plain(await e.scorecard(MONTH, { trendMonths: 13 }))).toEqual(expected);
      expect(await rows()).toBe(1);
      expect(plain(await e.scorecard(MONTH, { trendMonths: 13 }))).toEqual(expected);
      expect(await rows()).toBe(1);
      // Another number of trend months is another scorecard.
      await e.scorecard(MONTH, { trendMonths: 24 });
      expect(await rows()).toBe(2);
      // One indicator is taken from the kept whole scorecard.
      const one = expected.find((l) => l.id === 'referrals.count')!;
      expect(plain(await e.scorecard(MONTH, { trendMonths: 13, ids: ['referrals.count'] }))).toEqual([one]);
    } finally { e.close(); }
  }, 120_000);

  it('reads the kept copy, also after the store is closed and opened again', async () => {
    const [kept] = await store.query<{ cache_key: string; lines: string }>(
      `SELECT cache_key, lines::VARCHAR AS lines FROM scorecard_cache WHERE json_array_length(json_extract(lines, '$[0].trend')) = 13`);
    const lines = JSON.parse(kept.lines);
    lines[0].month.value = 12345;
    await store.run('UPDATE scorecard_cache SET lines = ?::JSON WHERE cache_key = ?', [JSON.stringify(lines), kept.cache_key]);
    const path = store.path;
    store.close();
    store = await Store.open(path);
    const e = cachedEngine();
    try {
      expect((await e.scorecard(MONTH, { trendMonths: 13 }))[0].month.value).toBe(12345);
    } finally { e.close(); }
  }, 120_000);

  it('after a load, computes again (never the copy of the replaced data) and drops the old copies', async () => {
    const census = demo.files.filter((f) => f.kind === 'cin_census').at(-1)!;
    let n = 0;
    const corrected = readFileSync(census.path, 'utf8').replace(/<Child>[\s\S]*?<\/Child>/g, (child) => (n++ % 3 === 0 ? '' : child));
    const path = join(demo.dir, 'corrected.xml');
    writeFileSync(path, corrected);
    expect((await loadFile(store, path, { user: 'test' })).status).toBe('loaded');
    const expected = await computed();
    const e = cachedEngine();
    try {
      const got = plain(await e.scorecard(MONTH, { trendMonths: 13 }));
      expect(got[0].month.value).not.toBe(12345);
      expect(got).toEqual(expected);
      expect(await rows()).toBe(1);
    } finally { e.close(); }
  }, 120_000);

  it('every team\'s scorecard computed at once is kept, and read back for each team', async () => {
    const e = cachedEngine();
    try {
      const byTeam = await e.scorecardsByTeam(MONTH, { trendMonths: 13 });
      const [team] = [...byTeam.keys()];
      const before = await rows();
      expect(before).toBeGreaterThan(byTeam.size);
      expect(plain(await e.scorecard(MONTH, { trendMonths: 13, team }))).toEqual(await computed({ team }));
      expect(await rows()).toBe(before);
    } finally { e.close(); }
  }, 120_000);
});
