// The checks of a store's consistency after a crash, a backup or a restore (test/crash.test.ts,
// test/backup.test.ts): what every load recorded is what loaded.* holds, main.* is what the active loads
// give, and the audit log verifies with one row per load.
import { expect } from 'vitest';
import type { Params, Store } from '../../src/store.ts';
import { verifyAudit } from '../../src/audit.ts';
import { TABLE_NAMES } from '../../src/model.ts';

export async function sql<T = Record<string, unknown>>(store: Store, text: string, params?: Params): Promise<T[]> {
  return store.query<T>(text, params);
}

/** count, xor and sum of row hashes of every current-state table: equal fingerprints, equal tables (to a hash collision). */
export async function fingerprint(store: Store): Promise<Record<string, string>> {
  const parts = TABLE_NAMES.map((t) =>
    `SELECT '${t}' AS t, count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(r)), 0)::VARCHAR || ':' || coalesce(sum(hash(r) % 1000003), 0)::VARCHAR AS f FROM main.${t} r`);
  const rows = await sql<{ t: string; f: string }>(store, parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.f]));
}

const REBUILT = new Error('rebuilt: roll back');

/**
 * The consistency checks (see the top of the file and test/crash.test.ts). Returns whether a load of a
 * file with this hash is recorded.
 */
export async function expectConsistent(store: Store, what: string, fileHash?: string): Promise<boolean> {
  const loads = await sql<{ load_id: number; status: string; file_hash: string; warnings: number; summary: string | null }>(
    store, 'SELECT load_id, status, file_hash, warnings, summary FROM loads ORDER BY load_id');
  for (const l of loads) expect(['active', 'superseded', 'rolled_back', 'rejected'], `${what}: load ${l.load_id} status`).toContain(l.status);

  // Rows of every load, per table, against what the load recorded; none for loads not recorded.
  const counted = await sql<{ t: string; load_id: number; n: number }>(store,
    TABLE_NAMES.map((t) => `SELECT '${t}' AS t, load_id, count(*)::INTEGER AS n FROM loaded.${t} GROUP BY load_id`).join(' UNION ALL '));
  const got = new Map<number, Record<string, number>>();
  for (const c of counted) got.set(c.load_id, { ...got.get(c.load_id), [c.t]: c.n });
  const known = new Set(loads.map((l) => l.load_id));
  expect([...got.keys()].filter((id) => !known.has(id)), `${what}: rows of loads not recorded`).toEqual([]);
  for (const l of loads) {
    const recorded = l.status === 'rejected' ? {} : (JSON.parse(l.summary ?? '{}').rows ?? {});
    expect(got.get(l.load_id) ?? {}, `${what}: rows of load ${l.load_id}`).toEqual(Object.fromEntries(Object.entries(recorded).filter(([, n]) => n !== 0)));
  }
  const findings = await sql<{ load_id: number; w: number }>(store,
    `SELECT load_id, count(*) FILTER (WHERE severity = 'warning')::INTEGER AS w FROM findings GROUP BY load_id`);
  for (const f of findings) {
    const l = loads.find((x) => x.load_id === f.load_id);
    expect(l, `${what}: findings of load ${f.load_id}, which is not recorded`).toBeDefined();
    if (l!.status !== 'rejected') expect(f.w, `${what}: warnings of load ${f.load_id}`).toBe(l!.warnings);
  }

  // The current state is what the active loads give.
  const current = await fingerprint(store);
  let rebuilt: Record<string, string> = {};
  await store.transaction(async () => {
    await store.refreshCurrent();
    rebuilt = await fingerprint(store);
    throw REBUILT;
  }).catch((err: unknown) => { if (err !== REBUILT) throw err; });
  expect(current, `${what}: main.* against the rebuild from active loads`).toEqual(rebuilt);

  // The audit chain, and a load audit row for each load and a load for each such row.
  const audit = await verifyAudit(store);
  expect(audit.ok, `${what}: ${audit.reason}`).toBe(true);
  const unaudited = await sql(store, `SELECT load_id FROM loads l WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'load'
      AND a.target = l.load_id::VARCHAR AND json_extract_string(a.detail, '$.outcome') = CASE l.status WHEN 'rejected' THEN 'rejected' ELSE 'loaded' END)`);
  expect(unaudited, `${what}: loads without their audit row`).toEqual([]);
  const orphanAudit = await sql(store, `SELECT target FROM audit_log a WHERE a.action = 'load' AND json_extract_string(a.detail, '$.outcome') IN ('loaded', 'rejected')
      AND NOT EXISTS (SELECT 1 FROM loads l WHERE l.load_id::VARCHAR = a.target)`);
  expect(orphanAudit, `${what}: load audit rows without their load`).toEqual([]);
  return fileHash !== undefined && loads.some((l) => l.file_hash === fileHash && l.status !== 'rejected');
}

