// Small hand-built cases for indicator tests: a real DuckDB file in a temporary folder, with the given
// rows written straight into the current-state tables (main.*), as if a load had brought them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store.ts';
import { Engine } from '../../src/engine.ts';
import { columnsOf, type Row, type TableName } from '../../src/model.ts';
import type { Settings } from '../../src/indicators/types.ts';

export type Rows = { [T in TableName]?: Partial<Row<T>>[] };

export interface Fixture {
  store: Store;
  engine: Engine;
  close(): void;
}

/** Opens a fresh store holding exactly these rows (every other column null), and an engine over it. */
export async function fixture(rows: Rows, settings: Partial<Settings> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'csc-ind-'));
  const store = await Store.open(join(dir, 'test.duckdb'));
  for (const [table, list] of Object.entries(rows) as [TableName, Record<string, unknown>[]][]) {
    const cols = columnsOf(table);
    let line = 0;
    for (const row of list) {
      for (const k of Object.keys(row)) if (!cols.includes(k)) throw new Error(`fixture: ${table} has no column ${k}`);
      const values = cols.map((c) => (row[c] === undefined ? null : row[c]) as string | number | boolean | null);
      await store.run(
        `INSERT INTO main.${table} (${cols.join(', ')}, load_id, source_file, source_row) VALUES (${cols.map(() => '?').join(', ')}, 0, 'fixture', ?)`,
        [...values, ++line],
      );
    }
  }
  return {
    store,
    engine: new Engine(store, settings),
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
