import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { appendAudit, appendAuditGrouped, appendAuditInTransaction, auditHash, listAudit, verifyAudit, GENESIS_HASH, type AuditAction } from '../src/audit.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function storeWithRows(count: number): Promise<Store> {
  const store = await Store.open(join(dir, `a${n++}.duckdb`));
  const actions: AuditAction[] = ['login', 'view.child', 'export.children_csv', 'search.child', 'load', 'logout'];
  for (let i = 0; i < count; i++) {
    await appendAudit(store, {
      username: i % 2 ? 'ana' : 'bob', ip: '10.0.0.1', action: actions[i % actions.length],
      target: i % 6 === 1 ? `C${1000 + i}` : null, detail: i % 3 === 0 ? { z: i, a: ['x', { b: 1, a: 2 }] } : undefined,
    });
  }
  return store;
}

describe('audit log', () => {
  it('appends a hash chain that verifies, starting from 64 zeros', async () => {
    const store = await storeWithRows(6);
    const rows = await listAudit(store, { limit: 100 });
    expect(rows.map((r) => r.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    const first = rows[rows.length - 1];
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.detail).toEqual({ z: 0, a: ['x', { b: 1, a: 2 }] });
    for (let i = 0; i < rows.length - 1; i++) expect(rows[i].prevHash).toBe(rows[i + 1].hash);
    expect(first.loggedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    const v = await verifyAudit(store);
    expect(v).toMatchObject({ ok: true, rows: 6, head: { seq: 6, hash: rows[0].hash } });
    expect(v.firstBad).toBeUndefined();
    store.close();
  });

  it('verifies an empty log and refuses an unknown action', async () => {
    const store = await Store.open(join(dir, 'empty.duckdb'));
    expect(await verifyAudit(store)).toMatchObject({ ok: true, rows: 0, head: null });
    await expect(appendAudit(store, { username: 'x', ip: null, action: 'drop.tables' as AuditAction })).rejects.toThrow(/Unknown audit action/);
    store.close();
  });

  it('filters the list by user, action (or action prefix), date range and limit', async () => {
    const store = await storeWithRows(12);
    expect((await listAudit(store, { username: 'ana', limit: 100 })).every((r) => r.username === 'ana')).toBe(true);
    expect((await listAudit(store, { username: 'ana', limit: 100 }))).toHaveLength(6);
    expect((await listAudit(store, { action: 'view.child', limit: 100 })).map((r) => r.seq)).toEqual([8, 2]);
    expect((await listAudit(store, { action: 'export.', limit: 100 })).map((r) => r.action)).toEqual(['export.children_csv', 'export.children_csv']);
    expect(await listAudit(store, { limit: 3 })).toHaveLength(3);
    const today = new Date().toISOString().slice(0, 10);
    expect(await listAudit(store, { from: today, to: today, limit: 100 })).toHaveLength(12);
    expect(await listAudit(store, { to: '2000-01-01', limit: 100 })).toHaveLength(0);
    store.close();
  });

  it('an edited row fails verification at that row', async () => {
    const store = await storeWithRows(6);
    await store.run(`UPDATE audit_log SET detail = '{"z":99}' WHERE seq = 4`);
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 4, reason: expect.stringMatching(/edited/) });
    store.close();
  });

  it('an edited username or timestamp is found too', async () => {
    const store = await storeWithRows(5);
    await store.run(`UPDATE audit_log SET logged_at = logged_at - INTERVAL 1 HOUR WHERE seq = 5`);
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 5 });
    await store.run(`UPDATE audit_log SET username = 'someone' WHERE seq = 2`);
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 2 });
    store.close();
  });

  it('a deleted middle row fails verification at the row after it', async () => {
    const store = await storeWithRows(6);
    await store.run('DELETE FROM audit_log WHERE seq = 3');
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 4, reason: expect.stringMatching(/prev_hash/) });
    store.close();
  });

  it('a row inserted into the middle — even one with a correctly computed hash — fails at the row after it', async () => {
    const store = await storeWithRows(3);
    await store.query(`SELECT nextval('audit_seq')`); // a gap at seq 4, as a rolled-back append leaves
    await appendAudit(store, { username: 'bob', ip: null, action: 'logout' }); // seq 5
    const [r3] = await store.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = 3');
    const forged = { seq: 4, loggedAt: '2025-01-01T00:00:00.000', username: 'mallory', ip: null, action: 'login', target: null, detail: null, prevHash: r3.hash };
    await store.run(`INSERT INTO audit_log VALUES (4, ?::TIMESTAMP, 'mallory', NULL, 'login', NULL, NULL, ?, ?)`,
      [forged.loggedAt, r3.hash, auditHash(forged)]);
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 5 });
    // A row with a made-up hash is found at itself.
    await store.run(`INSERT INTO audit_log VALUES (99, now(), 'mallory', NULL, 'login', NULL, NULL, ?, ?)`, [GENESIS_HASH, 'f'.repeat(64)]);
    await store.run('DELETE FROM audit_log WHERE seq = 4');
    expect(await verifyAudit(store)).toMatchObject({ ok: false, firstBad: 99 });
    store.close();
  });

  it('rows removed from the end are found against a recorded head', async () => {
    const store = await storeWithRows(5);
    const { head } = await verifyAudit(store);
    await store.run('DELETE FROM audit_log WHERE seq = 5');
    expect((await verifyAudit(store)).ok).toBe(true);
    expect(await verifyAudit(store, { expectHead: head })).toMatchObject({ ok: false, firstBad: 5 });
    store.close();
  });

  it('a row appended inside a long transaction chains onto rows other connections committed meanwhile (commit order)', async () => {
    const store = await Store.open(join(dir, 'long.duckdb'));
    const loader = await store.fork();
    await appendAudit(store, { username: 'a', ip: null, action: 'login' });
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const load = loader.transaction(async () => {
      await loader.query('SELECT count(*) FROM audit_log'); // the transaction's snapshot is taken here
      await appendAuditInTransaction(loader, { username: 'loader', ip: null, action: 'load', target: '1' });
      await held;
    });
    // Committed while the load's transaction is open: its snapshot cannot see this row.
    const view = await appendAudit(store, { username: 'b', ip: null, action: 'view.child', target: 'C1' });
    release();
    await load;
    const rows = await listAudit(store, { limit: 10 });
    expect(rows.map((r) => [r.seq, r.action])).toEqual([[3, 'load'], [2, 'view.child'], [1, 'login']]);
    expect(rows[0].prevHash).toBe(view.hash);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, rows: 3 });
    loader.close();
    store.close();
  });

  it('appendAuditInTransaction outside a transaction is refused; a transaction inside one on the same store is refused', async () => {
    const store = await Store.open(join(dir, 'outside.duckdb'));
    await expect(appendAuditInTransaction(store, { username: 'x', ip: null, action: 'load' })).rejects.toThrow(/outside a store\.transaction/);
    await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/no nested transactions/);
    // Transactions from two callers sharing one connection take turns instead of failing.
    await Promise.all(Array.from({ length: 5 }, (_, i) => appendAudit(store, { username: `u${i}`, ip: null, action: 'login' })));
    expect(await verifyAudit(store)).toMatchObject({ ok: true, rows: 5 });
    store.close();
  });

  it('appends from two connections at once keep one chain; an append inside a rolled-back transaction leaves nothing', async () => {
    const store = await Store.open(join(dir, 'concurrent.duckdb'));
    const other = await store.fork();
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      appendAudit(i % 2 ? store : other, { username: `u${i}`, ip: null, action: 'view.children', target: 'CIN01' })));
    await expect(store.transaction(async () => {
      await appendAuditInTransaction(store, { username: 'x', ip: null, action: 'load', target: '7' });
      throw new Error('load failed');
    })).rejects.toThrow('load failed');
    await appendAudit(store, { username: 'y', ip: null, action: 'load', target: '8' });
    const v = await verifyAudit(store);
    expect(v).toMatchObject({ ok: true, rows: 21 });
    expect((await listAudit(store, { action: 'load', limit: 10 })).map((r) => r.target)).toEqual(['8']);
    other.close();
    store.close();
  });

  it('group commit: 60 rows asked for at once, mixed with plain appends, are all written once each, in one chain, each caller given its own row', async () => {
    const store = await Store.open(join(dir, 'grouped.duckdb'));
    const asked = Array.from({ length: 60 }, (_, i) => ({ username: `g${i}`, ip: '127.0.0.1', action: 'view.child' as const, target: `C${i}` }));
    const rows = await Promise.all(asked.map((e, i) => (i % 7 === 3 ? appendAudit(store, e) : appendAuditGrouped(store, e))));
    rows.forEach((r, i) => expect([r.username, r.target]).toEqual([`g${i}`, `C${i}`]));
    expect(new Set(rows.map((r) => r.seq)).size).toBe(60);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, rows: 60 });
    const stored = await listAudit(store, { limit: 100 });
    expect(stored.map((r) => r.target).sort()).toEqual(asked.map((a) => a.target).sort());
    store.close();
  });
});
