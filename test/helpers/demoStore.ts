// A small synthetic authority written in the real formats and loaded through the real readers into a
// real DuckDB file: for tests of pages and reports that need a whole authority's data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store.ts';
import { loadFile } from '../../src/load.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../../src/synth/simulate.ts';
import { synthesise, type WrittenFile } from '../../src/synth/index.ts';
import { loadEnglandBenchmarks } from '../../src/judge/benchmarks.ts';
import { importMeasuresCsv } from '../../src/measures.ts';
import { writeAggregateMeasures } from '../../src/synth/aggregateMeasures.ts';

export interface DemoStore {
  store: Store;
  dir: string;
  files: WrittenFile[];
  close(): void;
}

/** Synthesises (default 4,000 children, 2 years to 31 March 2025), loads every file, the England benchmarks and the aggregate measures. */
export async function demoStore(options: { population?: number; years?: number; seed?: number } = {}): Promise<DemoStore> {
  const dir = mkdtempSync(join(tmpdir(), 'csc-demo-'));
  const { files } = await synthesise({
    ...DEFAULT_SYNTH_OPTIONS, population: options.population ?? 4000, years: options.years ?? 2, seed: options.seed ?? 5,
  }, join(dir, 'files'));
  const store = await Store.open(join(dir, 'demo.duckdb'));
  for (const f of files) await loadFile(store, f.path, { user: 'test' });
  await loadEnglandBenchmarks(store);
  const measures = join(dir, 'aggregate-measures.csv');
  writeAggregateMeasures(measures, { population: options.population ?? 4000, seed: options.seed ?? 5, firstMonth: `${2025 - (options.years ?? 2)}-04`, lastMonth: '2025-03' });
  const imported = await importMeasuresCsv(store, measures, 'test');
  if (imported.status !== 'loaded') throw new Error(`synthetic aggregate measures did not import: ${JSON.stringify(imported.findings.slice(0, 3))}`);
  return {
    store, dir, files,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
