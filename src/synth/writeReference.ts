// Reference files the analyses read for the synthetic authority: a postcode centroid file in the ONS
// Postcode Directory's CSV layout (pcd, pcd2, pcds, dointr, doterm, oslaua, lat, long — a subset of ONSPD's
// columns, same names and forms) for every postcode its looked-after episodes use, and the child population
// by ethnic group, sex, age band and disability that disproportionality compares with.
// Both are functions of the simulated tables alone (no draws from the simulation's generator), so the
// same seed gives byte-identical files and adding them changed none of the other files.
import { writeFileSync } from 'node:fs';
import { ethnicGroup } from '../codes.ts';
import { Random } from './random.ts';
import { ETHNICITY_WEIGHTS, P_DISABLED } from './simulate.ts';
import type { SyntheticLA } from './types.ts';

/** Northshire is fictitious: its districts (NS1–NS15) are placed around this point, in North Yorkshire's empty middle. */
const NORTHSHIRE = { lat: 54.1, long: -1.4 };
/** Northshire's (fictitious) local authority district code, in the ONS form. */
export const NORTHSHIRE_LAD = 'E99999999';

/**
 * Approximate centroids (WGS84) and local authority district codes of the real postcode districts the
 * synthetic authority places children in outside its boundary. Near enough for distances in miles; not
 * a substitute for the ONSPD.
 */
const DISTRICTS: Record<string, { lat: number; long: number; lad: string }> = {
  LS6: { lat: 53.8195, long: -1.5783, lad: 'E08000035' }, LS11: { lat: 53.7795, long: -1.5540, lad: 'E08000035' },
  M14: { lat: 53.4467, long: -2.2216, lad: 'E08000003' }, M22: { lat: 53.3800, long: -2.2640, lad: 'E08000003' },
  B23: { lat: 52.5300, long: -1.8420, lad: 'E08000025' }, B10: { lat: 52.4720, long: -1.8510, lad: 'E08000025' },
  NE4: { lat: 54.9690, long: -1.6420, lad: 'E08000021' }, S10: { lat: 53.3760, long: -1.5160, lad: 'E08000019' },
  HU3: { lat: 53.7390, long: -0.3580, lad: 'E06000010' }, DN4: { lat: 53.5040, long: -1.1100, lad: 'E08000017' },
  WF1: { lat: 53.6850, long: -1.4930, lad: 'E08000036' }, BD5: { lat: 53.7730, long: -1.7550, lad: 'E08000032' },
  HX1: { lat: 53.7210, long: -1.8700, lad: 'E08000033' }, YO24: { lat: 53.9480, long: -1.1150, lad: 'E06000014' },
  DH1: { lat: 54.7780, long: -1.5760, lad: 'E06000047' }, TS5: { lat: 54.5560, long: -1.2500, lad: 'E06000002' },
  SR2: { lat: 54.8930, long: -1.3740, lad: 'E08000024' }, L4: { lat: 53.4380, long: -2.9600, lad: 'E08000012' },
  ST6: { lat: 53.0470, long: -2.2020, lad: 'E06000021' }, NG7: { lat: 52.9520, long: -1.1790, lad: 'E06000018' },
};

const MILES_PER_DEGREE_LAT = 69.05;

function districtCentre(district: string): { lat: number; long: number; lad: string } {
  const known = DISTRICTS[district];
  if (known) return known;
  const m = /^NS(\d+)$/.exec(district);
  if (!m) throw new RangeError(`synthetic postcode district '${district}' has no centroid`);
  // NS1–NS15 on a ring 3 to 8 miles from the centre
  const k = Number(m[1]);
  const angle = (2 * Math.PI * k) / 15;
  const miles = 3 + (k % 6);
  return {
    lat: NORTHSHIRE.lat + (miles * Math.cos(angle)) / MILES_PER_DEGREE_LAT,
    long: NORTHSHIRE.long + (miles * Math.sin(angle)) / (MILES_PER_DEGREE_LAT * Math.cos((NORTHSHIRE.lat * Math.PI) / 180)),
    lad: NORTHSHIRE_LAD,
  };
}

const q = (s: string): string => `"${s}"`;

/** Every postcode of the looked-after episodes (home and placement), with a centroid within 1.5 miles of its district's. */
export function writePostcodeCentroids(la: SyntheticLA, path: string): number {
  const postcodes = new Set<string>();
  for (const e of la.tables.lac_episodes) {
    if (e.home_postcode) postcodes.add(e.home_postcode);
    if (e.placement_postcode) postcodes.add(e.placement_postcode);
  }
  const lines = ['pcd,pcd2,pcds,dointr,doterm,oslaua,lat,long'];
  for (const pcds of [...postcodes].sort()) {
    const [outward, inward] = pcds.split(' ');
    const centre = districtCentre(outward);
    // the offset is a function of the postcode alone, so a postcode keeps its place whatever else is written
    const rng = new Random(`postcode:${pcds}`);
    const r = 1.5 * Math.sqrt(rng.next()), a = 2 * Math.PI * rng.next();
    const lat = centre.lat + (r * Math.cos(a)) / MILES_PER_DEGREE_LAT;
    const long = centre.long + (r * Math.sin(a)) / (MILES_PER_DEGREE_LAT * Math.cos((centre.lat * Math.PI) / 180));
    // ONSPD forms: pcd 7 characters (outward code padded to 4, so 'NS102AB'), pcd2 8 characters ('NS10 2AB', 'LS6  1AB')
    const pcd = `${outward.padEnd(4)}${inward}`;
    const pcd2 = `${outward.padEnd(4)} ${inward}`;
    lines.push([q(pcd), q(pcd2), q(pcds), q('198001'), q(''), q(centre.lad), lat.toFixed(6), long.toFixed(6)].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return postcodes.size;
}

/** n split in proportion to weights, whole numbers summing to n (largest remainder; ties to the earlier). */
export function apportion(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (n * w) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((x, i) => ({ i, r: x - counts[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) counts[order[k % order.length].i]++;
  return counts;
}

const AGE_BANDS: readonly [string, number, number][] = [['Under 1', 0, 0], ['1 to 4', 1, 4], ['5 to 9', 5, 9], ['10 to 15', 10, 15], ['16 and over', 16, 17]];

/**
 * The population table (single year of age and sex, each mid-year) split by the ethnic groups the
 * simulation draws children from (refused / not obtained left out and the rest scaled up, since a
 * population estimate has no such group) and by the share of children it makes disabled.
 */
export function writeGroupPopulation(la: SyntheticLA, path: string): number {
  const shares = new Map<string, number>();
  for (const [code, w] of Object.entries(ETHNICITY_WEIGHTS)) {
    const g = ethnicGroup(code);
    if (g === 'Refused or not obtained') continue;
    shares.set(g, (shares.get(g) ?? 0) + w);
  }
  const groups = [...shares.keys()].sort();
  const cells = new Map<string, number>(); // year|sex|band → count
  for (const p of la.tables.population) {
    const band = AGE_BANDS.find(([, lo, hi]) => p.age! >= lo && p.age! <= hi)![0];
    const key = `${p.year}|${p.sex === 'M' ? 'Male' : 'Female'}|${band}`;
    cells.set(key, (cells.get(key) ?? 0) + p.count!);
  }
  const lines = ['la_code,year,ethnic_group,sex,age_band,disabled,count'];
  const keys = [...cells.keys()].sort((a, b) => {
    const [ya, sa, ba] = a.split('|'), [yb, sb, bb] = b.split('|');
    return ya.localeCompare(yb) || sa.localeCompare(sb) || AGE_BANDS.findIndex((x) => x[0] === ba) - AGE_BANDS.findIndex((x) => x[0] === bb);
  });
  for (const key of keys) {
    const [year, sex, band] = key.split('|');
    const byGroup = apportion(cells.get(key)!, groups.map((g) => shares.get(g)!));
    groups.forEach((g, i) => {
      const [disabled, notDisabled] = apportion(byGroup[i], [P_DISABLED, 1 - P_DISABLED]);
      lines.push(`${la.options.laCode},${year},${g},${sex},${band},Disabled,${disabled}`);
      lines.push(`${la.options.laCode},${year},${g},${sex},${band},Not disabled,${notDisabled}`);
    });
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}
