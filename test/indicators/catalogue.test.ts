// The whole catalogue on a synthetic authority loaded through the real readers: every indicator runs for
// every period kind and breakdown it declares; the children listed behind every figure add up to exactly
// the numerator and denominator shown; breakdown groups add up to the whole; and each figure lies in the
// range the synthetic authority was made to produce (see PLAUSIBLE below and src/synth/simulate.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store.ts';
import { Engine, type Figure } from '../../src/engine.ts';
import { loadFile } from '../../src/load.ts';
import { DEFAULT_SYNTH_OPTIONS } from '../../src/synth/simulate.ts';
import { synthesise } from '../../src/synth/index.ts';
import { INDICATORS } from '../../src/indicators/index.ts';
import { THEMES } from '../../src/indicators/types.ts';
import { month, yearToDate, rolling12, reportingYear } from '../../src/periods.ts';
import { runList } from '../../src/lists/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-catalogue-'));
let store: Store;
let engine: Engine;

beforeAll(async () => {
  const { files } = await synthesise({ ...DEFAULT_SYNTH_OPTIONS, population: 12_000, years: 2, seed: 21 }, join(dir, 'files'));
  store = await Store.open(join(dir, 'catalogue.duckdb'));
  for (const f of files) await loadFile(store, f.path);
  engine = new Engine(store);
}, 300_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PERIODS = [month('2025-01'), yearToDate('2025-01'), rolling12('2025-01'), reportingYear(2024)];

describe('the indicator catalogue', () => {
  it('has unique ids, a theme, a definition and a source for every indicator, in theme order', () => {
    expect(INDICATORS.length).toBeGreaterThan(50);
    const themes = Object.keys(THEMES);
    let last = 0;
    for (const i of INDICATORS) {
      expect(i.id).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/);
      expect(themes.indexOf(i.theme), i.id).toBeGreaterThanOrEqual(last);
      last = themes.indexOf(i.theme);
      expect(i.title.length, i.id).toBeGreaterThan(5);
      expect(i.definition.length, i.id).toBeGreaterThan(40);
      expect(i.source.length, i.id).toBeGreaterThan(5);
      expect(i.numeratorLabel.length, i.id).toBeGreaterThan(2);
    }
    expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
  });

  it('lists children behind every figure that add up exactly to its numerator and denominator', async () => {
    for (const ind of INDICATORS) {
      const figures = await engine.compute(ind, PERIODS);
      for (const [k, fig] of figures.entries()) {
        const rows = await engine.rows(ind, PERIODS[k]);
        const num = rows.reduce((s, r) => s + r.value, 0);
        const what = `${ind.id} ${fig.period}`;
        if (ind.aggregate === 'max') expect(Math.max(0, ...rows.map((r) => r.value)), what).toBe(fig.numerator);
        else expect(num, what).toBeCloseTo(fig.numerator, 6);
        if (ind.unit !== 'count' && ind.unit !== 'rate' && ind.aggregate !== 'max') {
          expect(rows.filter((r) => r.in_denominator).length, what).toBe(fig.denominator);
        }
        for (const d of ind.details) expect(rows.length === 0 || d.name in rows[0], `${what} detail ${d.name}`).toBe(true);
      }
    }
  });

  it('breaks every indicator down by each breakdown it declares, the groups adding up to the whole', async () => {
    const p = rolling12('2025-01');
    for (const ind of INDICATORS) {
      const [whole] = await engine.compute(ind, [p]);
      for (const b of ind.breakdowns) {
        const groups = await engine.compute(ind, [p], { breakdown: b });
        if (b === 'factor' || ind.aggregate === 'max' || ind.unit === 'rate') continue; // factors overlap; maxima and rates do not add
        const what = `${ind.id} by ${b}`;
        expect(groups.reduce((s, g) => s + g.numerator, 0), what).toBeCloseTo(whole.numerator, 6);
        if (whole.denominator !== null) expect(groups.reduce((s, g) => s + (g.denominator ?? 0), 0), what).toBeCloseTo(whole.denominator, 6);
      }
    }
  });

  it('computes the whole scorecard with 13-month trends, each trend month equal to the month asked alone', async () => {
    const lines = await engine.scorecard('2025-01');
    expect(lines.length).toBe(INDICATORS.length);
    for (const l of lines) {
      expect(l.trend).toHaveLength(13);
      expect(l.trend[12]).toEqual(l.month);
    }
    const sample = lines.filter((_, i) => i % 7 === 0);
    for (const l of sample) {
      const alone: Figure = (await engine.compute(l.indicator, [month('2024-06')]))[0];
      expect(l.trend[5], l.indicator.id).toEqual(alone);
    }
  });

  it('operational lists agree with the indicators that count the same children (month ends on a weekday and a Saturday)', async () => {
    for (const m of ['2025-01', '2024-11']) {
      const p = month(m);
      const red = async (list: string) => (await runList(store, list, { asAt: p.end })).filter((r) => r.rag === 'red').map((r) => r.child_id).sort();
      const failing = async (id: string, inNumerator: boolean) =>
        (await engine.rows(id, p)).filter((r) => (r.in_denominator || inNumerator) && r.in_numerator === inNumerator).map((r) => r.child_id as string).sort();
      expect(await red('assessments_open'), m).toEqual(await failing('assessments.open_over_45_days', true));
      expect(await red('cp_visits_due'), m).toEqual(await failing('child_protection.visits_in_timescale', false));
      expect(await red('cp_plans_over_2_years'), m).toEqual(await failing('child_protection.open_2y', true));
    }
  });
});
