// Targets and red/amber/green at the exact boundaries, for both polarities; the targets file's errors;
// an analyst's change overriding the shipped default.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judge, readTargetsFile, setTarget, Targets, type Target } from '../src/judge/targets.ts';
import { Store } from '../src/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pct = { unit: 'percent', polarity: 'higher' } as const;
const pctLower = { unit: 'percent', polarity: 'lower' } as const;
const t = (target: number, amber: number, amberKind: 'points' | 'percent' = 'points'): Target =>
  ({ indicator: 'x', year: 2024, target, amber, amberKind, setBy: 'test' });

describe('RAG against a target', () => {
  it('higher is better: target 85, amber band 5 points → green from 85, amber from 80, red below', () => {
    expect(judge(pct, 85, t(85, 5)).rag).toBe('green'); // exactly on target
    expect(judge(pct, 84.96, t(85, 5)).rag).toBe('green'); // shown as 85.0%: judged as shown
    expect(judge(pct, 84.94, t(85, 5)).rag).toBe('amber'); // shown as 84.9%
    expect(judge(pct, 80, t(85, 5)).rag).toBe('amber'); // exactly on the amber edge: amber
    expect(judge(pct, 79.9, t(85, 5)).rag).toBe('red');
    expect(judge(pct, 100, t(85, 5)).rule).toBe('Green: 100% is at or above the target of 85%.');
    expect(judge(pct, 79.9, t(85, 5)).rule).toBe('Red: 79.9% is below 80%, beyond the amber band of 5 points around the target of 85%.');
  });

  it('lower is better: target 20, amber band 10% of the target (2) → green to 20, amber to 22, red above', () => {
    expect(judge(pctLower, 20, t(20, 10, 'percent')).rag).toBe('green');
    expect(judge(pctLower, 20.1, t(20, 10, 'percent')).rag).toBe('amber');
    expect(judge(pctLower, 22, t(20, 10, 'percent')).rag).toBe('amber'); // exactly 20 + 2
    expect(judge(pctLower, 22.1, t(20, 10, 'percent')).rag).toBe('red');
    expect(judge(pctLower, 21, t(20, 10, 'percent')).rule).toBe(
      'Amber: 21% misses the target of 20% but is within the amber band of 10% of the target (2%) (up to 22%).');
  });

  it('counts are judged whole; a zero-width band has no amber', () => {
    const count = { unit: 'count', polarity: 'lower' } as const;
    expect(judge(count, 10.4, t(10, 0)).rag).toBe('green'); // shown as 10
    expect(judge(count, 10.6, t(10, 0)).rag).toBe('red'); // shown as 11
  });

  it('no polarity, no target or no value: no rating, and the rule says why', () => {
    expect(judge({ unit: 'count', polarity: 'neither' }, 257, t(200, 5))).toMatchObject({ rag: null, rule: expect.stringMatching(/No polarity/) });
    expect(judge(pct, 50, null)).toMatchObject({ rag: null, rule: 'No target set for this year.' });
    expect(judge(pct, null, t(85, 5))).toMatchObject({ rag: null, target: 85 });
  });
});

describe('the targets file and analysts\' changes', () => {
  const write = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };

  it('reads targets for a year and for every year', () => {
    const p = write('ok.json', { targets: [
      { indicator: 'referrals.re_referrals_12m', year: '2024-25', target: 20, amber: 2 },
      { indicator: 'referrals.re_referrals_12m', year: '*', target: 22, amber: 10, amberKind: 'percent' },
    ] });
    const targets = Targets.of(readTargetsFile(p));
    expect(targets.for('referrals.re_referrals_12m', 2024)?.target).toBe(20);
    expect(targets.for('referrals.re_referrals_12m', 2023)).toMatchObject({ target: 22, amberKind: 'percent' });
    expect(targets.for('referrals.count', 2024)).toBeNull();
  });

  it('the shipped targets file reads, every target naming an indicator with a polarity', () => {
    const shipped = readTargetsFile('config/targets.json');
    expect(shipped.length).toBeGreaterThan(30);
    expect(Targets.of(shipped).for('assessments.within_45_days', 2024)).toMatchObject({ target: 90, amber: 5, amberKind: 'points' });
  });

  it('names the file, the entry and the field of every mistake', () => {
    expect(() => readTargetsFile(write('a.json', '{ nope'))).toThrow(/a\.json: not valid JSON/);
    expect(() => readTargetsFile(write('b.json', { targets: [{ indicator: 'referrals.nfa', year: '2024-26', target: 1, amber: 1 }] })))
      .toThrow(/b\.json: targets\[0\]\.year: a reporting year such as "2024-25"/);
    expect(() => readTargetsFile(write('c.json', { targets: [{ indicator: 'referrals.nope', year: '2024-25', target: 1, amber: 1 }] })))
      .toThrow(/c\.json: targets\[0\]\.indicator: no indicator 'referrals\.nope'/);
    expect(() => readTargetsFile(write('d.json', { targets: [{ indicator: 'referrals.count', year: '2024-25', target: 1, amber: 1 }] })))
      .toThrow(/d\.json: targets\[0\]: referrals\.count has no polarity/);
    expect(() => readTargetsFile(write('e.json', { targets: [{ indicator: 'referrals.re_referrals_12m', year: '2024-25', target: 120, amber: 1 }] })))
      .toThrow(/between 0 and 100/);
    expect(() => readTargetsFile(write('f.json', { targets: [{ indicator: 'referrals.re_referrals_12m', year: '2024-25', target: 20, amber: -1 }] })))
      .toThrow(/targets\[0\]\.amber/);
  });

  it('an analyst\'s change, stored in the database, wins over the file; the latest change wins', async () => {
    const p = write('g.json', { targets: [{ indicator: 'referrals.re_referrals_12m', year: '2024-25', target: 20, amber: 2 }] });
    const store = await Store.open(join(dir, 'targets.duckdb'));
    try {
      await setTarget(store, { indicator: 'referrals.re_referrals_12m', year: 2024, target: 19, amber: 1, amberKind: 'points', setBy: 'analyst' });
      await setTarget(store, { indicator: 'referrals.re_referrals_12m', year: 2024, target: 18, amber: 1, amberKind: 'points', setBy: 'analyst2' });
      const targets = await Targets.load(store, p);
      expect(targets.for('referrals.re_referrals_12m', 2024)).toMatchObject({ target: 18, setBy: 'analyst2' });
      await expect(setTarget(store, { indicator: 'referrals.count', year: 2024, target: 1, amber: 0, amberKind: 'points', setBy: 'a' })).rejects.toThrow(/no polarity/);
    } finally {
      store.close();
    }
  });
});
