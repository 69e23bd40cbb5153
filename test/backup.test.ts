import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { appendAudit, listAudit, verifyAudit } from '../src/audit.ts';
import { backup, manifestPath, readManifest, restore } from '../src/backup.ts';
import { demoStore, type DemoStore } from './helpers/demoStore.ts';
import { expectConsistent } from './helpers/consistency.ts';
import { loadFile } from '../src/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-backup-'));
let demo: DemoStore;

beforeAll(async () => {
  demo = await demoStore({ population: 400, years: 1 });
  for (let i = 0; i < 5; i++) await appendAudit(demo.store, { username: 'ana', ip: '10.0.0.2', action: 'view.child', target: `C${i}`, detail: { i } });
}, 120_000);
afterAll(() => {
  demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('backs up a store in use and restores it to a new path: counts equal and the audit log verifies', async () => {
    const out = join(dir, 'b1', 'csc.backup.duckdb');
    // The loads and measures import of the demo store, then the 5 views above.
    const before = await verifyAudit(demo.store);
    const n = before.rows;
    expect(n).toBe(demo.files.length + 1 + 5);
    const manifest = await backup(demo.store, out, { actor: { username: 'admin', ip: '10.0.0.9' } });
    // The backup itself is audited in the store backed up (after the copy, so not in it).
    const [backupRow] = await listAudit(demo.store, { limit: 1 });
    expect(backupRow).toMatchObject({ seq: n + 1, action: 'backup', username: 'admin', ip: '10.0.0.9', target: 'csc.backup.duckdb' });
    expect(backupRow.detail).toMatchObject({ sha256: manifest.sha256, auditHead: before.head });
    // The store is still usable after the backup.
    await appendAudit(demo.store, { username: 'ana', ip: null, action: 'logout' });
    expect(existsSync(manifestPath(out))).toBe(true);
    expect(readManifest(out)).toEqual(manifest);
    expect(manifest.schemaVersion).toBe(await demo.store.schemaVersion());
    expect(manifest.tables['main.loads']).toBeGreaterThan(0);
    expect(manifest.tables['main.audit_log']).toBe(n);
    const loaded = await demo.store.counts('loaded');
    expect(loaded.contacts).toBeGreaterThan(0);
    expect(manifest.tables['loaded.contacts']).toBe(loaded.contacts);
    expect(manifest.audit).toMatchObject({ ok: true, rows: n, head: before.head });

    const target = join(dir, 'restored', 'csc.duckdb');
    const result = await restore(out, target);
    expect(result).toMatchObject({ replaced: null, auditRows: n });
    const restored = await Store.open(target);
    try {
      expect(await restored.counts('main')).toEqual(await demo.store.counts('main'));
      expect(await restored.counts('loaded')).toEqual(loaded);
      expect(await verifyAudit(restored, { expectHead: manifest.audit.head })).toMatchObject({ ok: true, rows: n + 1 });
      // The restore is the next row, chained onto the restored head; the sequence carries on after it.
      const [restoreRow] = await listAudit(restored, { limit: 1 });
      expect(restoreRow).toMatchObject({ seq: n + 1, action: 'restore', target: 'csc.backup.duckdb', prevHash: manifest.audit.head!.hash });
      expect(restoreRow.detail).toMatchObject({ sha256: manifest.sha256, replaced: null, backupAuditHead: manifest.audit.head });
      const row = await appendAudit(restored, { username: 'bob', ip: null, action: 'login' });
      expect(row.seq).toBe(n + 2);
      expect((await verifyAudit(restored)).ok).toBe(true);
    } finally {
      restored.close();
    }
    // No temporary files left behind.
    expect(readdirSync(join(dir, 'restored')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'b1')).sort()).toEqual(['csc.backup.duckdb', 'csc.backup.duckdb.manifest.json']);
  });

  it('refuses to overwrite an existing backup, and a backup whose file was changed (one byte flipped)', async () => {
    const out = join(dir, 'b2', 'csc.backup.duckdb');
    await backup(demo.store, out);
    await expect(backup(demo.store, out)).rejects.toThrow(/already exists/);
    const damaged = join(dir, 'b2', 'damaged.duckdb');
    const bytes = readFileSync(out);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(damaged, bytes);
    copyFileSync(manifestPath(out), manifestPath(damaged));
    const target = join(dir, 'r2', 'csc.duckdb');
    await expect(restore(damaged, target)).rejects.toThrow(/checksum/);
    expect(existsSync(target)).toBe(false);
    await expect(restore(join(dir, 'b2', 'nothing.duckdb'), target)).rejects.toThrow(/no backup/);
  });

  it('refuses to restore onto an existing database without force; with force it replaces it and keeps the old one aside', async () => {
    const out = join(dir, 'b3', 'csc.backup.duckdb');
    const manifest = await backup(demo.store, out);
    const target = join(dir, 'r3', 'csc.duckdb');
    const other = await Store.open(target);
    const otherRow = await appendAudit(other, { username: 'someone', ip: null, action: 'login' });
    other.close();
    await expect(restore(out, target)).rejects.toThrow(/exists; use --force/);
    const check = await Store.open(target);
    expect((await verifyAudit(check)).rows).toBe(1); // untouched
    check.close();

    const result = await restore(out, target, { force: true });
    expect(result.replaced).toMatch(/csc\.duckdb\.replaced-/);
    expect(existsSync(result.replaced!)).toBe(true);
    const restored = await Store.open(target);
    expect(await verifyAudit(restored, { expectHead: manifest.audit.head })).toMatchObject({ ok: true, rows: manifest.audit.rows + 1 });
    expect((await restored.counts('main')).contacts).toBe(manifest.tables['main.contacts']);
    const [restoreRow] = await listAudit(restored, { limit: 1 });
    expect(restoreRow.detail).toMatchObject({ replaced: result.replaced, replacedAuditHead: { seq: otherRow.seq, hash: otherRow.hash } });
    restored.close();
    // The database replaced is kept whole beside it.
    const old = await Store.open(result.replaced!);
    expect(await verifyAudit(old)).toMatchObject({ ok: true, rows: 1, head: { hash: otherRow.hash } });
    old.close();
  });

  it('refuses a backup from a newer schema, and one whose manifest was edited to match different counts', async () => {
    const out = join(dir, 'b4', 'csc.backup.duckdb');
    const manifest = await backup(demo.store, out);
    writeFileSync(manifestPath(out), JSON.stringify({ ...manifest, schemaVersion: 999 }));
    await expect(restore(out, join(dir, 'r4', 'a.duckdb'))).rejects.toThrow(/newer than this csc/);
    writeFileSync(manifestPath(out), JSON.stringify({ ...manifest, tables: { ...manifest.tables, 'main.loads': 1e6 } }));
    await expect(restore(out, join(dir, 'r4', 'b.duckdb'))).rejects.toThrow(/main\.loads/);
    expect(existsSync(join(dir, 'r4', 'b.duckdb'))).toBe(false);
  });

  it('backs up a closed database given by its path', async () => {
    const path = join(dir, 'closed.duckdb');
    const s = await Store.open(path);
    await appendAudit(s, { username: 'ana', ip: null, action: 'user.add', target: 'bob' });
    s.close();
    const out = join(dir, 'b5', 'closed.backup.duckdb');
    const manifest = await backup(path, out);
    expect(manifest.audit).toMatchObject({ ok: true, rows: 1 });
    const r = await restore(out, join(dir, 'r5', 'x.duckdb'));
    expect(r.auditRows).toBe(1);
  });
});

describe('backup while a load commits', () => {
  it('a backup taken on the server\'s store during a load on another connection is consistent: the load is in it wholly or not at all', async () => {
    const path = join(dir, 'online', 'csc.duckdb');
    const store = await Store.open(path);
    // 50,000 visits, run as the server runs uploads (on a fork).
    const lines = ['type,child_id,visit_date,visit_type,seen_alone'];
    for (let i = 0; i < 50_000; i++) lines.push(`visits,C${String(i).padStart(6, '0')},2024-06-03,CP,Y`);
    const file = join(dir, 'online', 'visits.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const fork = await store.fork();
    const phases: string[] = [];
    const backups: Promise<unknown>[] = [];
    const outs: string[] = [];
    const takeBackup = (when: string) => {
      const out = join(dir, 'online', `during-${when}.backup`);
      outs.push(out);
      phases.push(`backup at ${when}`);
      backups.push(backup(store, out, { actor: { username: 'admin', ip: '10.0.0.1' } }));
    };
    const load = loadFile(fork, file, {
      actor: { username: 'ana', ip: '10.0.0.2' },
      onPhase: (p) => { phases.push(p); if (p === 'begin' || p === 'read' || p === 'commit') takeBackup(p); },
    });
    const result = await load;
    await Promise.all(backups);
    expect(result.status).toBe('loaded');
    // Each backup began while the load's transaction was open.
    expect(phases.indexOf('backup at commit')).toBeLessThan(phases.indexOf('committed'));
    const seen: boolean[] = [];
    for (const out of outs) {
      const target = join(dir, 'online', `${basename(out)}.restored.duckdb`);
      await restore(out, target);
      const restored = await Store.open(target);
      try {
        await expectConsistent(restored, out);
        const [{ n }] = await restored.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM loaded.visits');
        const [{ l }] = await restored.query<{ l: number }>('SELECT count(*)::INTEGER AS l FROM loads');
        // Wholly or not at all: the load's row and all 50,000 rows, or neither.
        expect([[0, 0], [1, 50_000]]).toContainEqual([l, n]);
        seen.push(l === 1);
      } finally {
        restored.close();
      }
    }
    // And a backup after it has everything.
    const after = join(dir, 'online', 'after.backup');
    const m = await backup(store, after);
    expect(m.tables['loaded.visits']).toBe(50_000);
    fork.close();
    store.close();
    console.log(`backups during the load (begin, read, commit) hold it: ${seen.join(', ')}`);
  });
});

describe('csc audit / backup / restore commands', () => {
  it('verify, list, backup and restore through commander', async () => {
    const { Command } = await import('commander');
    const { registerAuditCommands } = await import('../src/auditCli.ts');
    const path = join(dir, 'cli', 'csc.duckdb');
    const s = await Store.open(path);
    await appendAudit(s, { username: 'ana', ip: null, action: 'export.list_csv', target: 'L1' });
    await appendAudit(s, { username: 'bob', ip: null, action: 'login' });
    s.close();
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
    const run = async (...args: string[]) => {
      const program = new Command().exitOverride().option('--db <path>', 'db', path);
      registerAuditCommands(program, () => Store.open(path));
      await program.parseAsync(['node', 'csc', ...args]);
    };
    try {
      await run('audit', 'verify');
      expect(lines.pop()).toMatch(/^Audit log OK: 2 rows/);
      await run('audit', 'list', '--user', 'ana', '--json');
      expect(JSON.parse(lines.pop()!)).toMatchObject([{ seq: 1, action: 'export.list_csv', target: 'L1' }]);
      await run('audit', 'list', '--limit', '1');
      expect(lines.pop()).toMatch(/login/);
      const out = join(dir, 'cli', 'bk.duckdb');
      await run('backup', '--out', out);
      expect(lines.pop()).toMatch(/^Backed up to .*audit 2 rows/);
      await expect(run('restore', out)).rejects.toThrow(/exists; use --force/);
      await run('restore', out, '--force');
      expect(lines.pop()).toMatch(/audit 2 rows verified\. The database it replaced is at /);
    } finally {
      console.log = log;
    }
  });
});
