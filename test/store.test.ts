import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store, SCHEMA_VERSION } from '../src/store.ts';
import { TABLE_NAMES, columnsOf } from '../src/model.ts';
import { workingDaysBetween } from '../src/calendar.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store', () => {
  it('creates every canonical table with provenance columns in a real DuckDB file, and migrates once', async () => {
    const path = join(dir, 'a.duckdb');
    const store = await Store.open(path);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    for (const t of TABLE_NAMES) {
      for (const schema of ['main', 'loaded']) {
        const cols = await store.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
          [schema, t],
        );
        expect(cols.map((c) => c.column_name)).toEqual([...columnsOf(t), 'load_id', 'source_file', 'source_row']);
      }
    }
    store.close();
    // Reopening applies no migration twice and keeps the data.
    const again = await Store.open(path);
    const versions = await again.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM schema_version');
    expect(versions[0].n).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('counts working days in SQL exactly as calendar.ts does (across the 2023 coronation and Christmas 2022)', async () => {
    const store = await Store.open(join(dir, 'b.duckdb'));
    const pairs = [
      ['2023-05-05', '2023-05-09'], // Fri → Tue over the coronation Monday: 1 (only the 9th)
      ['2022-12-23', '2022-12-29'], // 24/25 weekend, 26/27 holidays: 28, 29 → 2
      ['2024-03-28', '2024-04-02'], // Good Friday and Easter Monday: only 2 April → 1
      ['2024-06-03', '2024-06-03'], // same day → 0
    ];
    for (const [a, b] of pairs) {
      const rows = await store.query<{ n: number }>(
        `SELECT e.working_day_index - s.working_day_index AS n FROM calendar s, calendar e WHERE s.date = ?::DATE AND e.date = ?::DATE`,
        [a, b],
      );
      expect(rows[0].n).toBe(workingDaysBetween(a, b));
    }
    expect(workingDaysBetween('2023-05-05', '2023-05-09')).toBe(1);
    store.close();
  });

  it('keeps one current row per record key: the latest active load wins, superseded loads contribute nothing', async () => {
    const store = await Store.open(join(dir, 'c.duckdb'));
    await store.run(`INSERT INTO loads (load_id, kind, file_name, file_hash, period_end, loaded_at, status) VALUES
      (1, 'cin_census', 'cin2023.xml', 'h1', '2024-03-31', now(), 'active'),
      (2, 'cin_census', 'cin2024.xml', 'h2', '2025-03-31', now(), 'active'),
      (3, 'cin_census', 'cin2024-old.xml', 'h3', '2025-03-31', now(), 'superseded')`);
    // A CP plan open at 31 March 2024 (load 1) and closed in 2024-25 (load 2) is one plan, closed.
    await store.run(`INSERT INTO loaded.cp_plans (child_id, start_date, end_date, load_id, source_file, source_row) VALUES
      ('007', '2023-11-01', NULL, 1, 'cin2023.xml', 40),
      ('007', '2023-11-01', '2024-06-30', 2, 'cin2024.xml', 12),
      ('008', '2024-01-01', NULL, 3, 'cin2024-old.xml', 5)`);
    await store.refreshCurrent(['cp_plans']);
    const plans = await store.query('SELECT child_id, start_date, end_date, load_id FROM cp_plans');
    expect(plans).toEqual([{ child_id: '007', start_date: '2023-11-01', end_date: '2024-06-30', load_id: 2 }]);
    store.close();
  });

  it('fills a column the winning return leaves empty from another kind of source, never from an older load of the same kind', async () => {
    const store = await Store.open(join(dir, 'd.duckdb'));
    await store.run(`INSERT INTO loads (load_id, kind, file_name, file_hash, period_end, loaded_at, status) VALUES
      (1, 'cin_census', 'cin2023.xml', 'h1', '2024-03-31', now(), 'active'),
      (2, 'cin_census', 'cin2024.xml', 'h2', '2025-03-31', now(), 'active'),
      (3, 'annex_a', 'annex.xlsx', 'h3', '2025-03-31', now(), 'active')`);
    // The census holds the assessment (authorised 2024-05-01, corrected in 2024-25 to no factors); the
    // 2023-24 return said factors '2A'; Annex A adds whether the child was seen, and a wrong start of authorisation.
    await store.run(`INSERT INTO loaded.assessments (child_id, start_date, authorisation_date, factors, child_seen, load_id, source_file, source_row) VALUES
      ('007', '2024-03-20', NULL, '2A', NULL, 1, 'cin2023.xml', 10),
      ('007', '2024-03-20', '2024-05-01', NULL, NULL, 2, 'cin2024.xml', 11),
      ('007', '2024-03-20', '2024-05-02', '3B', true, 3, 'annex.xlsx', 12)`);
    await store.refreshCurrent(['assessments']);
    const rows = await store.query('SELECT child_id, authorisation_date, factors, child_seen, load_id, source_row FROM assessments');
    // authorisation from the census (it wins); child_seen from Annex A (census has none); factors: the 2024-25
    // census left it empty, the older census is not used, Annex A is another kind → '3B'; provenance of the winner.
    expect(rows).toEqual([{ child_id: '007', authorisation_date: '2024-05-01', factors: '3B', child_seen: true, load_id: 2, source_row: 11 }]);
    store.close();
  });
});
