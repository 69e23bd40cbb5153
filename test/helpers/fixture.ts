// Small hand-built cases for indicator tests: a real DuckDB file in a temporary folder, with the given
// rows written straight into the current-state tables (main.*), as if a load had brought them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store.ts';
import { Engine } from '../../src/engine.ts';
import { columnsOf, type Row, type TableName } from '../../src/model.ts';
import type { Indicator, Settings } from '../../src/indicators/types.ts';
import type { Period } from '../../src/periods.ts';
import { expect } from 'vitest';

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

/**
 * For every indicator and period: the child rows' values add up to the figure's numerator (for maxima, the
 * largest is the numerator), their denominator weights to its denominator, every row is in one or the
 * other, and every detail column the indicator declares is there.
 */
export async function expectRowsAddUp(engine: Engine, indicators: readonly Indicator[], periods: readonly Period[]): Promise<void> {
  for (const ind of indicators) {
    for (const p of periods) {
      const [fig] = await engine.compute(ind, [p]);
      const rows = await engine.rows(ind, p);
      const what = `${ind.id} ${p.label}`;
      if (ind.aggregate === 'max') expect(Math.max(0, ...rows.map((r) => r.value)), what).toBe(fig.numerator);
      else expect(rows.reduce((s, r) => s + r.value, 0), `${what} numerator`).toBeCloseTo(fig.numerator, 9);
      if (fig.denominator !== null && ind.unit !== 'rate' && ind.aggregate !== 'max') {
        expect(rows.reduce((s, r) => s + r.weight, 0), `${what} denominator`).toBeCloseTo(fig.denominator, 9);
      }
      for (const r of rows) expect(r.in_numerator || r.in_denominator, what).toBe(true);
      for (const d of ind.details) expect(rows.every((r) => d.name in r), `${what} detail ${d.name}`).toBe(true);
    }
  }
}
