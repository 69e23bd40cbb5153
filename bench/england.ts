// npm run bench -- --scale england [--copies 120]
// England scale (DESIGN.md: 12 million children, 6 years, ~16M contacts, ~4M referrals): the large synthetic
// authority (100,000 children aged 0–17, 6 years) loaded through the real readers once, then its current state
// written `copies` times over in SQL with the child, contact and family ids suffixed (~<copy>), so each copy's
// children are distinct children with the same shape of history, and the population multiplied alike. 120
// copies of the large LA give 12 million children and about 16 million contacts. (Synthesising and loading
// 12 million children through the files would take hours and ~30 GB of files; the readers' speed is measured
// on the large LA instead.) Teams and workers are shared by the copies, so caseload figures are not
// plausible at this scale; their cost is. The store is cached as data/bench/england-x<copies>.duckdb.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store.ts';
import { TABLE_NAMES } from '../src/model.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../src/synth/simulate.ts';
import { Engine } from '../src/engine.ts';
import { rolling12 } from '../src/periods.ts';
import { formatTable } from '../src/format.ts';
import { authorityFiles, loadAuthority, machine, memorySampler, timed } from './common.ts';

const RENAMED = ['child_id', 'contact_id', 'family_id'];
/** DuckDB's own limit; the budget is 4 GB for the whole process. */
const MEMORY_LIMIT = '2560MB';

export async function england(o: { copies: number; seed: number }) {
  const options = { ...DEFAULT_SYNTH_OPTIONS, population: 100_000, years: 6, seed: o.seed };
  const { dir, files } = await authorityFiles(options);
  const path = join('data', 'bench', `england-x${o.copies}-s${o.seed}.duckdb`);
  let buildSeconds: number | null = null;
  if (!existsSync(path)) {
    const t = performance.now();
    const large = join(dir, 'england-source.duckdb');
    const { store } = await loadAuthority(files, large);
    store.close();
    const building = `${path}.building`;
    for (const f of [building, `${building}.wal`]) if (existsSync(f)) rmSync(f);
    copyFileSync(large, building);
    const s = await Store.open(building);
    await s.run(`SET memory_limit = '${MEMORY_LIMIT}'`);
    for (const t of TABLE_NAMES) {
      const cols = (await s.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`, [t])).map((c) => c.name);
      if (t === 'population') { await s.run(`UPDATE main.population SET count = count * ${o.copies}`); continue; }
      if (!cols.includes('child_id')) continue;
      const select = cols.map((c) => (RENAMED.includes(c) ? `x.${c} || '~' || r.range` : `x.${c}`)).join(', ');
      await s.run(`INSERT INTO main.${t} SELECT ${select} FROM main.${t} x, range(1, ${o.copies}) r`);
    }
    await s.run('CHECKPOINT');
    s.close();
    copyFileSync(building, path);
    rmSync(building);
    rmSync(large);
    buildSeconds = (performance.now() - t) / 1000;
  }

  const memory = memorySampler();
  const store = await Store.open(path);
  await store.run(`SET memory_limit = '${MEMORY_LIMIT}'`);
  const counts = await store.counts();
  const [{ population }] = await store.query<{ population: number }>(
    `SELECT sum(count)::BIGINT AS population FROM main.population WHERE age BETWEEN 0 AND 17 AND year = (SELECT max(year) FROM main.population)`);
  const size = {
    population: Number(population), 'children known': counts.children, contacts: counts.contacts, referrals: counts.referrals,
    assessments: counts.assessments, 'LAC episodes': counts.lac_episodes,
  };
  console.log(`England scale: ${Object.entries(size).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ')} (${path})`);
  if (buildSeconds !== null) console.log(`Built in ${buildSeconds.toFixed(0)} s (cached for the next run)`);
  const month = options.end.slice(0, 7);
  const engine = new Engine(store);
  const measures: { measure: string; seconds: number }[] = [];
  const step = async <T>(measure: string, fn: () => Promise<T>): Promise<T> => {
    const [r, seconds] = await timed(fn);
    measures.push({ measure, seconds: +seconds.toFixed(2) });
    console.log(`  ${measure}: ${seconds.toFixed(2)} s (peak so far ${memory.peakMB()} MB)`);
    return r;
  };
  const lines = await step('whole scorecard, 13-month trends, cold', () => engine.scorecard(month, { trendMonths: 13 }));
  await step('whole scorecard, 13-month trends, warm', () => engine.scorecard(month, { trendMonths: 13 }));
  const rows = await step("one indicator's children (re-referrals, rolling 12 months)", () => engine.rows('referrals.re_referrals_12m', rolling12(month)));
  engine.close();
  store.close();
  memory.stop();
  const result = { machine, copies: o.copies, size, buildSeconds, indicators: lines.length, childrenListed: rows.length, measures, peakMB: memory.peakMB(), memoryLimit: MEMORY_LIMIT };
  console.log(formatTable([...measures, { measure: 'peak memory (RSS, MB)', seconds: result.peakMB }]));
  return result;
}
