// What the bench runs share: the machine, peak memory, timing, the cached synthetic authority, loading it, and the
// scorecard measures (bench/run.ts, bench/england.ts).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { Store } from '../src/store.ts';
import { loadFile } from '../src/load.ts';
import type { SynthOptions } from '../src/synth/types.ts';
import { synthesise, type WrittenFile } from '../src/synth/index.ts';
import { Engine } from '../src/engine.ts';
import { rolling12 } from '../src/periods.ts';
import { judgedScorecard } from '../src/judge/scorecard.ts';
import { Targets } from '../src/judge/targets.ts';

export const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };

/** Peak resident memory of this process (the DuckDB engine runs inside it), sampled every 50 ms. */
export function memorySampler(): { peakMB(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  return { peakMB: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20), stop: () => clearInterval(t) };
}

export const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
};

/** The synthetic authority's files, written once per set of options and reused. */
export async function authorityFiles(options: SynthOptions): Promise<{ dir: string; files: WrittenFile[]; synthSeconds: number | null }> {
  const dir = join('data', 'bench', `p${options.population}-y${options.years}-s${options.seed}-${options.end}`);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) return { dir, files: JSON.parse(readFileSync(manifest, 'utf8')) as WrittenFile[], synthSeconds: null };
  const [{ files }, synthSeconds] = await timed(() => synthesise(options, join(dir, 'files')));
  writeFileSync(manifest, JSON.stringify(files));
  return { dir, files, synthSeconds };
}

/** Every file loaded into a fresh store at `dbPath`, with bytes, rows and seconds by format. */
export async function loadAuthority(files: WrittenFile[], dbPath: string) {
  for (const f of [dbPath, `${dbPath}.wal`]) if (existsSync(f)) rmSync(f);
  const store = await Store.open(dbPath);
  const byKind = new Map<string, { files: number; bytes: number; rows: number; seconds: number }>();
  const refused: { file: string; reason: string }[] = [];
  for (const file of files) {
    const [result, seconds] = await timed(() => loadFile(store, file.path, { user: 'bench' }));
    if (result.status !== 'loaded') {
      // A product limit, not a bench failure (an Annex A of a million children is over the 2,000,000-cell limit that refuses zip bombs).
      refused.push({ file: file.path, reason: result.findings.find((f) => f.severity === 'error')?.message ?? result.status });
      continue;
    }
    const k = byKind.get(file.kind) ?? { files: 0, bytes: 0, rows: 0, seconds: 0 };
    k.files++;
    k.bytes += statSync(file.path).size;
    k.rows += Object.values(result.rowsLoaded).reduce((a, b) => a + b, 0);
    k.seconds += seconds;
    byKind.set(file.kind, k);
  }
  const ingest = [...byKind.entries()].map(([format, k]) => ({
    format, files: k.files, MB: +(k.bytes / 1e6).toFixed(1), rows: k.rows, seconds: +k.seconds.toFixed(2),
    'MB/s': +(k.bytes / 1e6 / k.seconds).toFixed(1), 'rows/s': Math.round(k.rows / k.seconds),
  }));
  return { store, ingest, refused };
}

/** The scorecard measures: cold and warm, 13 and 24 months, every team, judged, and one indicator's children. */
export async function scorecardMeasures(store: Store, month: string) {
  const engine = new Engine(store);
  try {
    const [lines, cold13] = await timed(() => engine.scorecard(month, { trendMonths: 13 }));
    const [, warm13] = await timed(() => engine.scorecard(month, { trendMonths: 13 }));
    const [, warm24] = await timed(() => engine.scorecard(month, { trendMonths: 24 }));
    const [teams, teams24] = await timed(() => engine.scorecardsByTeam(month, { trendMonths: 24 }));
    const [judged, judged24] = await timed(async () => judgedScorecard(engine, month, await Targets.load(store)));
    const [rows, childRows] = await timed(() => engine.rows('referrals.re_referrals_12m', rolling12(month)));
    // As the dashboard and `csc scorecard` get it: computed once per data version and kept in the store.
    const keeping = new Engine(store, {}, { cache: true });
    const [, keep24] = await timed(async () => {
      await keeping.scorecard(month, { trendMonths: 24 });
      await keeping.scorecardsByTeam(month, { trendMonths: 24 });
    });
    const [, kept24] = await timed(async () => {
      await keeping.scorecard(month, { trendMonths: 24 });
      for (const team of teams.keys()) await keeping.scorecard(month, { trendMonths: 24, team });
    });
    keeping.close();
    return {
      month, indicators: lines.length, teams: teams.size, judgedLines: judged.lines.length, childrenListed: rows.length,
      cold13: +cold13.toFixed(2), warm13: +warm13.toFixed(2), warm24: +warm24.toFixed(2),
      teams24: +teams24.toFixed(2), judged24: +judged24.toFixed(2), wholeWarm: +(warm24 + teams24).toFixed(2), oneIndicatorChildren: +childRows.toFixed(3),
      keep24: +keep24.toFixed(2), kept24: +kept24.toFixed(3),
    };
  } finally {
    engine.close();
  }
}

