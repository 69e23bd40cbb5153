// Disproportionality on a hand-built authority, January 2025. The population file (written below and read
// through the real importer) has, for mid-2024: White 800 (400 male, 400 female), Black or Black British
// 200 (100, 100); total 1,000. A second year, mid-2025, is in the file too: its 30 June is after the
// period's end (2025-01-31), so the mid-2024 rows are used.
//
// Section 47 enquiries started in January: W1–W8 (White, 4 boys 4 girls), B1–B6 (Black, 3 and 3), R1
// (ethnicity refused, sex unknown), X (White, aged 19: outside the 0–17 population).
// Counted on ethnicity: 8 White + 6 Black = 14; excluded R1 (refused) and X (age) = 2.
//
// Black or Black British: a = 6 of n1 = 200; the rest c = 8 of n2 = 800.
//   rate 6 / 200 = 300 per 10,000; rest 8 / 800 = 100 per 10,000; RR = 300 / 100 = 3.
//   log (Katz) interval: SE = √(1/6 − 1/200 + 1/8 − 1/800) = √(0.166667 − 0.005 + 0.125 − 0.00125) = √0.285417
//   = 0.534244; ln 3 = 1.098612; ± 1.959964 × 0.534244 = ± 1.047099 → exp(0.051513) = 1.0529 to
//   exp(2.145711) = 8.5481. The whole interval is above 1 → over-represented.
//   share of the stage 6 / 14 = 42.9% against 20% of the population.
// White: RR = (8 / 800) / (6 / 200) = 1/3; the interval is the reciprocal of Black's: 1 / 8.5481 = 0.1170 to
//   1 / 1.0529 = 0.9498 → under-represented.
// Sex: 7 boys of 500, 7 girls of 500 → RR = 1; SE = √(1/7 − 1/500 + 1/7 − 1/500) = 0.530768 →
//   exp(±1.040286) = 0.3534 to 2.8300 → within.
// Looked after at 2025-01-31: W1 (K2, residential) and B1 (U6 with PR4, an IFA). Black: RR = (1 / 200) /
//   (1 / 800) = 4; SE = √(1 − 1/200 + 1 − 1/800) = 1.412002 → 0.2513 to 63.67: one child each way is no
//   evidence of a difference → within.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { month } from '../../src/periods.ts';
import { disproportionality, disproportionalityChildren } from '../../src/analyses/disproportionality.ts';
import { importGroupPopulation } from '../../src/analyses/reference.ts';

const white = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8'];
const black = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];
const child = (child_id: string, ethnicity: string, sex: string, dob = '2012-01-01') => ({ child_id, ethnicity, sex, dob, disabled: false });

const rows = {
  children: [
    ...white.map((id, i) => child(id, 'WBRI', i < 4 ? 'M' : 'F')),
    ...black.map((id, i) => child(id, 'BAFR', i < 3 ? 'M' : 'F')),
    child('R1', 'REFU', 'U'), child('X', 'WBRI', 'M', '2006-01-01'),
  ],
  section47: [...white, ...black, 'R1', 'X'].map((id, i) => ({ child_id: id, start_date: `2025-01-${String(2 + (i % 20)).padStart(2, '0')}` })),
  lac_episodes: [
    { child_id: 'W1', decom: '2024-06-01', rne: 'S', legal_status: 'C2', placement_type: 'K2', placement_provider: 'PR4' },
    { child_id: 'B1', decom: '2024-09-01', rne: 'S', legal_status: 'C2', placement_type: 'U6', placement_provider: 'PR4' },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'csc-disp-'));
const populationCsv = join(dir, 'population.csv');
writeFileSync(populationCsv, [
  'la_code,year,ethnic_group,sex,age_band,disabled,count',
  '999,2024,White,Male,,,400', '999,2024,White,Female,,,400',
  '999,2024,Black or Black British,Male,,,100', '999,2024,Black or Black British,Female,,,100',
  '999,2025,White,Male,,,1000', '999,2025,White,Female,,,1000',
  '999,2025,Black or Black British,Male,,,50', '999,2025,Black or Black British,Female,,,50',
].join('\n'));

let f: Fixture;
beforeAll(async () => {
  f = await fixture(rows);
  const imported = await importGroupPopulation(f.store, populationCsv, 'test');
  expect(imported.rows).toBe(8);
});
afterAll(() => { f.close(); rmSync(dir, { recursive: true, force: true }); });

const jan = month('2025-01');
const find = async (stage: string, dimension: string, group: string) =>
  (await disproportionality(f.store, jan)).rows.find((r) => r.stage === stage && r.dimension === dimension && r.group === group)!;

describe('disproportionality against the child population', () => {
  it('a rate ratio and its 95% log (Katz) interval, worked by hand: Black children at Section 47 are over-represented', async () => {
    const b = await find('Section 47 enquiry', 'ethnicity', 'Black or Black British');
    expect(b).toMatchObject({ children: 6, stageChildren: 14, population: 200, populationTotal: 1000, flag: 'over' });
    expect(b.ratePer10k).toBeCloseTo(300, 9);
    expect(b.restRatePer10k).toBeCloseTo(100, 9);
    expect(b.ratio).toBeCloseTo(3, 9);
    expect(b.lower).toBeCloseTo(1.0529, 4);
    expect(b.upper).toBeCloseTo(8.5481, 4);
    expect(b.shareOfStage).toBeCloseTo(6 / 14, 9);
    expect(b.shareOfPopulation).toBeCloseTo(0.2, 9);
  });

  it('the other group is under-represented, with the reciprocal interval', async () => {
    const w = await find('Section 47 enquiry', 'ethnicity', 'White');
    expect(w.ratio).toBeCloseTo(1 / 3, 9);
    expect(w.lower).toBeCloseTo(0.1170, 4);
    expect(w.upper).toBeCloseTo(0.9498, 4);
    expect(w.flag).toBe('under');
  });

  it('groups in proportion, and groups too small to tell, are not flagged', async () => {
    const boys = await find('Section 47 enquiry', 'sex', 'Male');
    expect(boys.ratio).toBeCloseTo(1, 9);
    expect(boys.lower).toBeCloseTo(0.3534, 4);
    expect(boys.upper).toBeCloseTo(2.8300, 4);
    expect(boys.flag).toBe('within');
    const lac = await find('Looked after', 'ethnicity', 'Black or Black British');
    expect(lac.ratio).toBeCloseTo(4, 9);
    expect(lac.lower).toBeCloseTo(0.2513, 4);
    expect(lac.upper).toBeCloseTo(63.67, 2);
    expect(lac.flag).toBe('within');
  });

  it('placement groups are stages too; a group with no children there has no ratio', async () => {
    const ifaBlack = await find('Looked after: Independent fostering agency', 'ethnicity', 'Black or Black British');
    expect(ifaBlack).toMatchObject({ children: 1, stageChildren: 1, flag: 'no ratio', ratio: null }); // no other child there: c = 0
    const ifaWhite = await find('Looked after: Independent fostering agency', 'ethnicity', 'White');
    expect(ifaWhite).toMatchObject({ children: 0, ratePer10k: 0, flag: 'no ratio' });
  });

  it('children with an unknown group or outside ages 0–17 are counted as excluded, never dropped silently', async () => {
    const d = await disproportionality(f.store, jan);
    expect(d.populationYear).toBe(2024);
    expect(d.excluded).toEqual(expect.arrayContaining([
      { stage: 'Section 47 enquiry', dimension: 'ethnicity', children: 2 },
      { stage: 'Section 47 enquiry', dimension: 'sex', children: 2 },
    ]));
    expect(d.missingDimensions).toEqual(['age_band', 'disability']);
  });

  it('lists the children behind a group at a stage', async () => {
    const kids = await disproportionalityChildren(f.store, jan, 'Section 47 enquiry', 'ethnicity', 'Black or Black British');
    expect(kids.map((k) => k.child_id)).toEqual(black);
  });
});
