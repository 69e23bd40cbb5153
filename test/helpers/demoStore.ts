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

export interface DemoStore {
  store: Store;
  dir: string;
  files: WrittenFile[];
  close(): void;
}

/** Synthesises (default 4,000 children, 2 years to 31 March 2025), loads every file and the England benchmarks. */
export async function demoStore(options: { population?: number; years?: number; seed?: number } = {}): Promise<DemoStore> {
  const dir = mkdtempSync(join(tmpdir(), 'csc-demo-'));
  const { files } = await synthesise({
    ...DEFAULT_SYNTH_OPTIONS, population: options.population ?? 4000, years: options.years ?? 2, seed: options.seed ?? 5,
  }, join(dir, 'files'));
  const store = await Store.open(join(dir, 'demo.duckdb'));
  for (const f of files) await loadFile(store, f.path, { user: 'test' });
  await loadEnglandBenchmarks(store);
  return {
    store, dir, files,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
