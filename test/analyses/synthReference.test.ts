// The synthetic authority's reference files for the analyses: byte-identical for the same seed, a centroid
// for every postcode its episodes use (in the ONSPD forms), and a population by group that adds up to its
// population table; both read back through the real importers.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYNTH_OPTIONS, simulate } from '../../src/synth/simulate.ts';
import { writeReferenceFiles, type ReferenceFiles } from '../../src/synth/index.ts';
import { apportion, NORTHSHIRE_LAD } from '../../src/synth/writeReference.ts';
import type { SyntheticLA } from '../../src/synth/types.ts';
import { Store } from '../../src/store.ts';
import { importGroupPopulation, importPostcodes } from '../../src/analyses/reference.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-synth-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let la: SyntheticLA;
let files: ReferenceFiles;
beforeAll(() => {
  la = simulate({ ...DEFAULT_SYNTH_OPTIONS, population: 4000, years: 2, seed: 5 });
  files = writeReferenceFiles(la, join(dir, 'a'));
});

describe('the synthetic authority\'s reference files', () => {
  it('are byte-identical for the same seed', () => {
    const again = writeReferenceFiles(simulate({ ...DEFAULT_SYNTH_OPTIONS, population: 4000, years: 2, seed: 5 }), join(dir, 'b'));
    expect(readFileSync(again.postcodes).equals(readFileSync(files.postcodes))).toBe(true);
    expect(readFileSync(again.population).equals(readFileSync(files.population))).toBe(true);
  });

  it('give every episode postcode a centroid, in the ONS Postcode Directory forms', () => {
    const lines = readFileSync(files.postcodes, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('pcd,pcd2,pcds,dointr,doterm,oslaua,lat,long');
    const rows = lines.slice(1).map((l) => l.split(',').map((c) => c.replaceAll('"', '')));
    const byPcds = new Map(rows.map((r) => [r[2], r]));
    for (const e of la.tables.lac_episodes) for (const p of [e.home_postcode, e.placement_postcode]) if (p) expect(byPcds.has(p), p).toBe(true);
    for (const [pcd, pcd2, pcds, , , , lat, long] of rows) {
      expect(pcd).toHaveLength(7);
      expect(pcd2).toHaveLength(8);
      expect(pcd.replace(/ /g, '')).toBe(pcds.replace(' ', ''));
      expect(Number(lat)).toBeGreaterThan(52);
      expect(Number(lat)).toBeLessThan(55.5);
      expect(Number(long)).toBeLessThan(0);
    }
    expect(rows.filter((r) => r[2].startsWith('NS')).every((r) => r[5] === NORTHSHIRE_LAD)).toBe(true);
  });

  it('split the population table by group without losing or adding a child', () => {
    const lines = readFileSync(files.population, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const year of new Set(la.tables.population.map((p) => p.year))) {
      const table = la.tables.population.filter((p) => p.year === year).reduce((s, p) => s + p.count!, 0);
      const file = lines.filter((l) => Number(l[1]) === year).reduce((s, l) => s + Number(l[6]), 0);
      expect(file, `mid-${year}`).toBe(table);
      expect(table).toBe(4000);
    }
    expect(new Set(lines.map((l) => l[2]))).toEqual(new Set(['White', 'Mixed', 'Asian or Asian British', 'Black or Black British', 'Other ethnic group']));
  });

  it('apportion: whole numbers in proportion, summing to the total (largest remainder)', () => {
    // 10 split 1 : 1 : 1 → 3.33 each; the one left over goes to the first of the equal remainders
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7 split 0.5 : 0.3 : 0.2 → 3.5, 2.1, 1.4 → 3, 2, 1 and one more to the largest remainder (0.5)
    expect(apportion(7, [0.5, 0.3, 0.2])).toEqual([4, 2, 1]);
  });

  it('read back through the importers', async () => {
    const store = await Store.open(join(dir, 'ref.duckdb'));
    try {
      const pc = await importPostcodes(store, files.postcodes);
      expect(pc.skipped).toBe(0);
      expect(pc.rows).toBe(readFileSync(files.postcodes, 'utf8').trim().split('\n').length - 1);
      const pop = await importGroupPopulation(store, files.population);
      expect(pop.skipped).toBe(0);
      const [{ n }] = await store.query<{ n: number }>('SELECT sum(count)::INTEGER AS n FROM group_population WHERE year = 2024');
      expect(n).toBe(4000);
    } finally {
      store.close();
    }
  });
});
