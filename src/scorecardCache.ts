// Computed scorecards kept in the store (table scorecard_cache), keyed by everything a figure depends on: the
// data version (every load, rollback, supersede, measure entry…), the indicators' SQL and settings, the
// calendar, the month, the team and the months of trend. So a scorecard is computed once per change of the
// data — after a load, not per reader — and the dashboard's first page after a restart, `csc scorecard`
// and the reports read it back. Engines opt in (`new Engine(store, settings, { cache: true })`): a test that
// writes main.* directly, without a load, would otherwise read a scorecard of data it has replaced.
import { createHash } from 'node:crypto';
import type { Figure, ScorecardLine } from './engine.ts';
import { findIndicator, INDICATORS } from './indicators/index.ts';
import type { Settings } from './indicators/types.ts';
import type { Store } from './store.ts';

interface StoredLine { id: string; month: Figure; ytd: Figure | null; rolling12: Figure | null; trend: Figure[] }

const catalogues = new Map<string, string>();
/** A hash of every indicator's definition under these settings: new code or settings, new keys. */
function catalogueHash(settings: Settings): string {
  const s = JSON.stringify(settings);
  let h = catalogues.get(s);
  if (h === undefined) {
    const text = JSON.stringify([s, INDICATORS.map((i) => [i.id, i.unit, i.measure, i.aggregate ?? null, i.sql(settings)])]);
    catalogues.set(s, (h = createHash('sha256').update(text).digest('hex')));
  }
  return h;
}

/** The version the key is built on: the data version and the calendar (bank holidays change working days). */
export async function cacheVersion(store: Store): Promise<string> {
  const [c] = await store.query<{ c: string }>(
    `SELECT count(*)::VARCHAR || ':' || coalesce(sum(working_day_index * (date - DATE '2000-01-01')), 0)::VARCHAR AS c FROM calendar`);
  return `${await store.dataVersion()}|${c.c}`;
}

export function scorecardKey(version: string, settings: Settings, month: string, team: string | undefined, trendMonths: number): string {
  return createHash('sha256').update(JSON.stringify([version, catalogueHash(settings), month, team ?? null, trendMonths])).digest('hex');
}

export async function readScorecard(store: Store, key: string): Promise<ScorecardLine[] | null> {
  const rows = await store.query<{ lines: string }>('SELECT lines::VARCHAR AS lines FROM scorecard_cache WHERE cache_key = ?', [key]);
  if (rows.length === 0) return null;
  return (JSON.parse(rows[0].lines) as StoredLine[]).map((l) => ({
    indicator: findIndicator(l.id), month: l.month, ytd: l.ytd, rolling12: l.rolling12, trend: l.trend,
  }));
}

/**
 * Keeps each scorecard under its key when the data have not changed while they were computed (else a load
 * that committed midway could leave figures of two versions under one key), and drops older versions' entries.
 * Many at once (every team's) cost one check of the version.
 */
export async function writeScorecards(store: Store, version: string, entries: readonly { key: string; lines: readonly ScorecardLine[] }[]): Promise<boolean> {
  if ((await cacheVersion(store)) !== version) return false;
  try {
    await store.run('DELETE FROM scorecard_cache WHERE data_version <> ?', [version]);
    for (const { key, lines } of entries) {
      const stored: StoredLine[] = lines.map((l) => ({ id: l.indicator.id, month: l.month, ytd: l.ytd, rolling12: l.rolling12, trend: [...l.trend] }));
      await store.run('DELETE FROM scorecard_cache WHERE cache_key = ?', [key]);
      await store.run('INSERT INTO scorecard_cache VALUES (?, ?, current_timestamp, ?::JSON)', [key, version, JSON.stringify(stored)]);
    }
    return true;
  } catch {
    // Another connection wrote the same key at the same moment (a write-write conflict): its copy serves.
    return false;
  }
}
