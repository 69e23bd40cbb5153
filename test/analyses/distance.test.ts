// Placement distance on a hand-built authority, children looked after at 31 January 2025.
//
// Distances (haversine, R = 6,371.0088 km / 1.609344 = 3,958.7613 miles):
// - along a meridian, Δφ degrees apart: R × Δφ × π/180, so 1° = 3,958.7613 × 0.0174533 = 69.0934 miles,
//   0.1° = 6.9093 and 0.2° = 13.8187 miles;
// - Leeds (53.80, −1.55) to Manchester (53.48, −2.24): sin²(Δφ/2) = sin²(−0.0027925) = 7.7982e−6;
//   cos 53.80° × cos 53.48° = 0.590606 × 0.595103 = 0.351471; sin²(Δλ/2) = sin²(−0.0060214) = 3.6257e−5;
//   a = 7.7982e−6 + 0.351471 × 3.6257e−5 = 2.05414e−5; c = 2 asin(√a) = 0.0090645; d = R c = 35.884 miles.
//
// The centroid file (ONSPD layout; postcodes matched without spaces, in any case):
//   NS1 1AA 52.0, −1.0 E99999999 · NS2 2BB 52.1, −1.0 E99999999 · LS6 1AB 53.0, −1.0 E08000035 ·
//   M14 5XY 52.2, −1.0 E08000003 · ZZ9 9ZZ without a grid reference (99.999999, 0): skipped.
// Children (home → placement):
//   A NS1 1AA → NS2 2BB   6.9 miles, inside
//   B ns1 1aa → LS61AB    69.1 miles, outside, over 20
//   C NS1 1AA → M14 5XY   13.8 miles, outside, under 20
//   D (no home postcode) → NS2 2BB: not known     E NS1 1AA → ZZ9 9ZZ: placement not in the file: not known
//   F left care 2025-01-15: not looked after at the end of January
// The authority by default: the code most home postcodes have (A B C E: E99999999).
// Measured: A B C = 3. Outside: B C = 2 of 3 = 66.7%. Over 20 miles: B = 33.3%. Outside and over 20: B = 33.3%.
// Average: (6.9093 + 69.0934 + 13.8187) / 3 = 89.8214 / 3 = 29.9405 miles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture, expectRowsAddUp } from '../helpers/fixture.ts';
import { month } from '../../src/periods.ts';
import { distanceIndicators, haversineMiles, placementDistance } from '../../src/analyses/distance.ts';
import { importPostcodes } from '../../src/analyses/reference.ts';

const ep = (child_id: string, home_postcode: string | null, placement_postcode: string, dec: string | null = null) =>
  ({ child_id, decom: '2024-06-01', dec, rne: 'S', legal_status: 'C2', placement_type: 'U6', placement_provider: 'PR1', home_postcode, placement_postcode });

const rows = {
  children: ['A', 'B', 'C', 'D', 'E', 'F'].map((child_id) => ({ child_id, dob: '2012-01-01', sex: 'M' })),
  lac_episodes: [
    ep('A', 'NS1 1AA', 'NS2 2BB'), ep('B', 'ns1 1aa', 'LS61AB'), ep('C', 'NS1 1AA', 'M14 5XY'),
    ep('D', null, 'NS2 2BB'), ep('E', 'NS1 1AA', 'ZZ9 9ZZ'), ep('F', 'NS1 1AA', 'LS6 1AB', '2025-01-15'),
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'csc-dist-'));
const centroids = join(dir, 'ONSPD_extract.csv');
writeFileSync(centroids, [
  'pcd,pcd2,pcds,dointr,doterm,oslaua,lat,long',
  '"NS1 1AA","NS1  1AA","NS1 1AA","198001","","E99999999",52.000000,-1.000000',
  '"NS2 2BB","NS2  2BB","NS2 2BB","198001","","E99999999",52.100000,-1.000000',
  '"LS6 1AB","LS6  1AB","LS6 1AB","198001","","E08000035",53.000000,-1.000000',
  '"M14 5XY","M14  5XY","M14 5XY","198001","","E08000003",52.200000,-1.000000',
  '"ZZ9 9ZZ","ZZ9  9ZZ","ZZ9 9ZZ","198001","","",99.999999,0.000000',
].join('\n'));

let f: Fixture;
beforeAll(async () => {
  f = await fixture(rows);
  const r = await importPostcodes(f.store, centroids, 'test');
  expect(r).toMatchObject({ rows: 4, skipped: 1, columns: { postcode: 'pcds', lat: 'lat', long: 'long', la_code: 'oslaua' } });
});
afterAll(() => { f.close(); rmSync(dir, { recursive: true, force: true }); });

const jan = month('2025-01');

describe('placement distance', () => {
  it('the distance between two known coordinates', () => {
    expect(haversineMiles(52, -1, 53, -1)).toBeCloseTo(69.0934, 4);
    expect(haversineMiles(0, 0, 0, 1)).toBeCloseTo(69.0934, 4); // a degree of longitude on the equator is the same arc
    expect(haversineMiles(53.8, -1.55, 53.48, -2.24)).toBeCloseTo(35.884, 3);
    expect(haversineMiles(53.48, -2.24, 53.8, -1.55)).toBeCloseTo(35.884, 3);
  });

  it('inside or outside the authority, over 20 miles, and the average distance, as indicators', async () => {
    const d = await placementDistance(f.store, jan);
    expect(d.authorityCodes).toEqual(['E99999999']);
    const fig = (id: string) => d.figures.find((x) => x.indicator.id === `placement_distance.${id}`)!.figure;
    expect(fig('outside_la')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(fig('outside_la').value).toBeCloseTo(200 / 3, 9);
    expect(fig('over_20_miles')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(fig('outside_over_20_miles')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(fig('average_miles').value).toBeCloseTo(29.9405, 4);
  });

  it('the SQL distance agrees with the hand-worked one, and children who cannot be measured are listed with the reason', async () => {
    const d = await placementDistance(f.store, jan);
    expect(d.children.map((c) => [c.child_id, c.distance_miles, c.inside, c.not_known])).toEqual([
      ['B', 69.1, false, null], ['C', 13.8, false, null], ['A', 6.9, true, null],
      ['D', null, true, 'no home postcode'], ['E', null, null, 'placement postcode not in the centroid file'],
    ]);
  });

  it('the authority can be given as several district codes (a county)', async () => {
    const d = await placementDistance(f.store, jan, { authorityCodes: ['E99999999', 'E08000003'] });
    const outside = d.figures.find((x) => x.indicator.id === 'placement_distance.outside_la')!.figure;
    expect(outside).toMatchObject({ numerator: 1, denominator: 3 }); // only B, in Leeds
  });

  it('are judged against a target like any indicator: 33.3% against 25% (amber to 30%) is red', async () => {
    // setTarget accepts catalogue indicators only; the row it would write, written directly
    await f.store.run(`INSERT INTO targets VALUES ('placement_distance.over_20_miles', 2024, 25, 5, 'points', 'test', current_timestamp)`);
    const d = await placementDistance(f.store, jan, { trend: [month('2024-12'), jan] });
    const over = d.figures.find((x) => x.indicator.id === 'placement_distance.over_20_miles')!;
    expect(over.judgement.rag).toBe('red');
    expect(over.trend.map((t) => t.numerator)).toEqual([2, 1]); // in December F was still placed in Leeds
  });

  it('the children behind each figure add up to it', async () => {
    await expectRowsAddUp(f.engine, distanceIndicators(), [jan, month('2024-12')]);
  });
});
