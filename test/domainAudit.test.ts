// Every change to what the figures say — a publication, a target, an aggregate figure entered or imported,
// commentary, an exception reason, a password changed — writes an audit row naming who, from where and
// what, in the same transaction as the change; a change refused writes none. (Loads and rollbacks:
// test/load.test.ts; users: test/auth.test.ts; backup and restore: test/backup.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { listAudit, verifyAudit, type AuditRow } from '../src/audit.ts';
import { publish } from '../src/judge/publish.ts';
import { Targets, setTarget } from '../src/judge/targets.ts';
import { enterMeasure, importMeasuresCsv } from '../src/measures.ts';
import { MEASURES } from '../src/indicators/aggregates.ts';
import { addCommentary, recordExceptionReason } from '../src/commentary.ts';
import { addUser, changePassword } from '../src/auth/users.ts';

const CALLS = 'aggregate.front_door_calls_answered';
const RE_REFERRALS = 'referrals.re_referrals_12m';
const ana = { username: 'ana', ip: '10.0.0.7' };
const dir = mkdtempSync(join(tmpdir(), 'csc-domain-audit-'));

// Ten referrals in January 2025, two of them re-referrals: enough for a publication to have figures.
const referrals = Array.from({ length: 10 }, (_, i) => ({ child_id: `R${i}`, referral_date: '2025-01-13' }));
referrals.push({ child_id: 'R0', referral_date: '2024-09-02' }, { child_id: 'R1', referral_date: '2024-10-07' });

let f: Fixture;
beforeAll(async () => { f = await fixture({ children: referrals.map((r) => ({ child_id: r.child_id })), referrals }); });
afterAll(() => { f?.engine.close(); f?.close(); rmSync(dir, { recursive: true, force: true }); });

async function latest(): Promise<AuditRow> {
  const [row] = await listAudit(f.store, { limit: 1 });
  return row;
}

async function auditRows(): Promise<number> {
  return (await verifyAudit(f.store)).rows;
}

describe('domain actions write their audit rows', () => {
  it('publish: the publication id, month, data version and number of indicators', async () => {
    const p = await publish(f.store, f.engine, Targets.of([]), '2025-01', { user: 'Ana Analyst', actor: ana, note: 'for committee' });
    const row = await latest();
    expect(row).toMatchObject({ action: 'publish', target: String(p.publicationId), username: 'ana', ip: '10.0.0.7' });
    expect(row.detail).toMatchObject({ month: '2025-01', team: null, dataVersion: p.dataVersion, indicators: p.indicators, note: 'for committee', publishedBy: 'Ana Analyst' });
    expect(p.indicators).toBeGreaterThan(0);
  });

  it('a target set, with the target it replaced', async () => {
    await setTarget(f.store, { indicator: RE_REFERRALS, year: 2024, target: 21, amber: 2, amberKind: 'points', setBy: 'ana' }, { actor: ana });
    expect((await latest()).detail).toMatchObject({ year: 2024, target: 21, previous: null });
    await setTarget(f.store, { indicator: RE_REFERRALS, year: 2024, target: 20, amber: 1, amberKind: 'points', setBy: 'ana' }, { actor: ana });
    const row = await latest();
    expect(row).toMatchObject({ action: 'target.set', target: RE_REFERRALS, username: 'ana', ip: '10.0.0.7' });
    expect(row.detail).toMatchObject({ year: 2024, target: 20, amber: 1, previous: { target: 21, amber: 2, amberKind: 'points', setBy: 'ana' } });
    // Refused (a percentage over 100): no target, no audit row.
    const before = await auditRows();
    await expect(setTarget(f.store, { indicator: RE_REFERRALS, year: 2024, target: 120, amber: 1, amberKind: 'points', setBy: 'ana' }, { actor: ana })).rejects.toThrow(/between 0 and 100/);
    expect(await auditRows()).toBe(before);
  });

  it('a measure entered; without an actor the user entering it is named', async () => {
    await enterMeasure(f.store, { measureId: CALLS, month: '2025-01', numerator: 51, denominator: 60, user: 'ana' }, MEASURES, { actor: ana });
    expect(await latest()).toMatchObject({ action: 'measure.enter', target: CALLS, username: 'ana', ip: '10.0.0.7', detail: { month: '2025-01', numerator: 51, denominator: 60 } });
    await enterMeasure(f.store, { measureId: CALLS, month: '2025-02', numerator: 40, denominator: 50, user: 'bob' });
    expect(await latest()).toMatchObject({ action: 'measure.enter', username: 'bob', ip: null });
    const before = await auditRows();
    await expect(enterMeasure(f.store, { measureId: CALLS, month: '2025-03', numerator: 70, denominator: 50, user: 'bob' })).rejects.toThrow();
    expect(await auditRows()).toBe(before);
  });

  it('a measures CSV imported: one row for the file; a file refused enters nothing and audits nothing', async () => {
    const good = join(dir, 'measures.csv');
    writeFileSync(good, `measure_id,month,numerator,denominator\n${CALLS},2024-11,30,40\n${CALLS},2024-12,31,40\n`);
    const r = await importMeasuresCsv(f.store, good, 'ana', MEASURES, { actor: { username: 'cli:ana', ip: 'cli' } });
    expect(r.status).toBe('loaded');
    expect(await latest()).toMatchObject({ action: 'measure.import', target: 'measures.csv', username: 'cli:ana', ip: 'cli', detail: { rows: 2, months: ['2024-11', '2024-12'], measures: [CALLS] } });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `measure_id,month,numerator,denominator\n${CALLS},2024-10,50,40\n`);
    const before = await auditRows();
    expect((await importMeasuresCsv(f.store, bad, 'ana')).status).toBe('rejected');
    expect(await auditRows()).toBe(before);
  });

  it('commentary and an exception reason (the child id in the audit row, the note text not)', async () => {
    await addCommentary(f.store, { indicatorId: RE_REFERRALS, month: '2025-01', text: 'Two families returned.', author: 'Ana Analyst' }, { actor: ana });
    expect(await latest()).toMatchObject({ action: 'commentary.add', target: RE_REFERRALS, username: 'ana', detail: { month: '2025-01', length: 22 } });
    const [c] = await f.store.query('SELECT text, author FROM commentary');
    expect(c).toEqual({ text: 'Two families returned.', author: 'Ana Analyst' });

    await recordExceptionReason(f.store, {
      indicatorId: RE_REFERRALS, childId: 'R0', record: '2025-01-13', period: '2025-01', code: 'moved', note: 'Moved in from a neighbouring LA', recordedBy: 'mo',
    }, { actor: { username: 'mo', ip: '10.0.0.8' } });
    const row = await latest();
    expect(row).toMatchObject({ action: 'exception_reason.add', target: RE_REFERRALS, username: 'mo', ip: '10.0.0.8' });
    expect(row.detail).toEqual({ childId: 'R0', record: '2025-01-13', period: '2025-01', code: 'moved', note: true, recordedBy: 'mo' });
    expect(JSON.stringify(row.detail)).not.toContain('neighbouring');
    const before = await auditRows();
    await expect(addCommentary(f.store, { indicatorId: RE_REFERRALS, month: '2025-13', text: 'x', author: 'ana' })).rejects.toThrow(/month/);
    await expect(addCommentary(f.store, { indicatorId: RE_REFERRALS, month: '2025-01', text: '  ', author: 'ana' })).rejects.toThrow(/empty/);
    expect(await auditRows()).toBe(before);
  });

  it('a password changed by its user', async () => {
    await addUser(f.store, { username: 'cy', role: 'viewer', password: 'a long first password' }, { actor: 'admin' });
    await changePassword(f.store, 'cy', 'a long first password', 'a long second password', { ip: '10.0.0.9' });
    expect(await latest()).toMatchObject({ action: 'user.password', target: 'cy', username: 'cy', ip: '10.0.0.9' });
    expect((await verifyAudit(f.store)).ok).toBe(true);
  });
});
