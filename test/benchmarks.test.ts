// Benchmarks: DfE LA-level CSVs imported by header name (two releases' spellings give the same values;
// suppression symbols skipped with reasons; unmatched columns reported; re-import replaces), long-format
// and derived columns, shipped England values, statistical neighbours, quartile bands at their exact
// boundaries for both polarities, comparisons, and the neighbours config's errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  benchmarkPosition, compareWith, importBenchmarks, loadEnglandBenchmarks, normaliseHeader, parseCell, parseNeighbourConfig,
  quartileBand, quartileCuts, readEnglandBenchmarks, readNeighbourConfig, reportingYear, statisticalNeighbourAverage,
  type NeighbourConfig,
} from '../src/judge/benchmarks.ts';
import { INDICATORS } from '../src/indicators/index.ts';
import { Store } from '../src/store.ts';

const FIX = 'test/fixtures/benchmarks';
const dir = mkdtempSync(join(tmpdir(), 'csc-bench-'));
const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
async function freshStore(): Promise<Store> {
  const s = await Store.open(join(dir, `b${n++}.duckdb`));
  stores.push(s);
  return s;
}
type Row = { indicator_id: string; year: number; area_kind: string; area_code: string; area_name: string | null; value: number };
async function all(store: Store): Promise<Row[]> {
  return store.query<Row>(`SELECT indicator_id, year, area_kind, area_code, area_name, value FROM benchmarks
    ORDER BY indicator_id, year, area_kind, area_code`);
}
const RE = 'referrals.re_referrals_12m';

// The synthetic authority and the ten East Midlands codes the fixtures carry.
const NEIGHBOURS: NeighbourConfig = {
  laCode: '999', laName: 'Northshire', regionCode: 'E12000004', regionName: 'East Midlands',
  neighbours: ['830', '831', '855', '856', '857', '891', '892', '925', '940', '941'],
};

describe('reading cells, headers and time periods', () => {
  it('DfE suppression symbols are reasons, never numbers; thousands separators and % are read', () => {
    expect(parseCell('c')).toEqual({ reason: 'suppressed to protect confidentiality (c)' });
    expect(parseCell('x')).toEqual({ reason: 'not available (x)' });
    expect(parseCell('z')).toEqual({ reason: 'not applicable (z)' });
    expect(parseCell('..')).toEqual({ reason: 'not available (..)' });
    expect(parseCell('low')).toEqual({ reason: 'rounds to zero but is not zero (low)' });
    expect(parseCell('LOW')).toEqual({ reason: 'rounds to zero but is not zero (low)' });
    expect(parseCell('u')).toEqual({ reason: 'low reliability (u)' });
    expect(parseCell('')).toEqual({ reason: 'empty' });
    expect(parseCell('twelve')).toEqual({ reason: "not a number ('twelve')" });
    expect(parseCell('41,630')).toEqual({ value: 41630 });
    expect(parseCell('22.6%')).toEqual({ value: 22.6 });
    expect(parseCell(' 0 ')).toEqual({ value: 0 });
  });

  it('headers compare without case or punctuation; + is "plus"', () => {
    expect(normaliseHeader('Re-referrals within 12 months (%)')).toBe('rereferralswithin12monthspercent');
    expect(normaliseHeader('2_years+_percent')).toBe('2yearspluspercent');
    expect(normaliseHeader('Section47_rate')).toBe(normaliseHeader('section 47 RATE'));
  });

  it("time_period: '202425' and '2024-25' are 2024-25; DfE's four-digit reporting year is the year ending 31 March", () => {
    expect(reportingYear('202425')).toBe(2024);
    expect(reportingYear('2024-25')).toBe(2024);
    expect(reportingYear('2024/25')).toBe(2024);
    expect(reportingYear('2025')).toBe(2024); // CIN / CLA "Reporting year 2025" = year ending 31 March 2025
    expect(reportingYear('2024', { fourDigitYear: 'start' })).toBe(2024); // workforce census at 30 September 2024
    expect(reportingYear('202426')).toEqual({ reason: expect.stringContaining("'202426' is not a year") });
    expect(reportingYear('Q1')).toEqual({ reason: expect.stringContaining('is not a year') });
  });
});

describe('importing a DfE LA-level CSV', () => {
  it('two releases with different header names, order and case import to the same values', async () => {
    const a = await freshStore();
    const b = await freshStore();
    const ra = await importBenchmarks(a, `${FIX}/cin-2025-release.csv`);
    const rb = await importBenchmarks(b, `${FIX}/cin-2020-style-release.csv`);
    expect(ra.matched).toEqual({
      rereferral_percent: [RE], no_further_action_percent: ['referrals.nfa'],
      '2_years_or_more_percent': ['child_protection.ended_after_2y'], Section47_rate: ['section47.rate'],
    });
    expect(rb.matched).toEqual({
      'Re-referrals within 12 months (%)': [RE], 'NFA %': ['referrals.nfa'],
      '2_years+_percent': ['child_protection.ended_after_2y'], 'Section 47 rate': ['section47.rate'],
    });
    expect(await all(a)).toEqual(await all(b));
    const rows = await all(a);
    // 14 rows × 4 indicators = 56 cells; skipped: Rutland c, c, z; Leicestershire low; Camden x → 51 values
    expect(ra.rowsRead).toBe(14);
    expect(ra.rowsImported).toBe(51);
    expect(rows).toHaveLength(51);
    expect(ra.byLevel).toEqual({ england: 4, region: 4, statistical_neighbours: 0, la: 43 });
    expect(ra.years).toEqual([2024]);
    expect(rows.find((r) => r.indicator_id === RE && r.area_kind === 'england')).toEqual(
      { indicator_id: RE, year: 2024, area_kind: 'england', area_code: 'E92000001', area_name: 'England', value: 22.6 });
    expect(rows.find((r) => r.indicator_id === RE && r.area_kind === 'region')).toMatchObject({ area_code: 'E12000004', area_name: 'East Midlands', value: 24.7 });
    // LA rows are stored under the 3-digit code when the file has one
    expect(rows.find((r) => r.indicator_id === RE && r.area_name === 'Derby')).toMatchObject({ area_code: '831', value: 22 });
  });

  it('reports unmatched columns and every skipped value with its reason', async () => {
    const s = await freshStore();
    const r = await importBenchmarks(s, `${FIX}/cin-2025-release.csv`, { source: 'Children in need 2025' });
    expect(r.unmatched).toEqual(['category', 'referral_count', 'rereferral_count']);
    expect(r.source).toBe('Children in need 2025');
    expect(r.skipped).toEqual([
      { line: 6, indicator: 'child_protection.ended_after_2y', header: '2_years_or_more_percent', value: 'low', reason: '2_years_or_more_percent: rounds to zero but is not zero (low)' },
      { line: 8, indicator: RE, header: 'rereferral_percent', value: 'c', reason: 'rereferral_percent: suppressed to protect confidentiality (c)' },
      { line: 8, indicator: 'referrals.nfa', header: 'no_further_action_percent', value: 'c', reason: 'no_further_action_percent: suppressed to protect confidentiality (c)' },
      { line: 8, indicator: 'child_protection.ended_after_2y', header: '2_years_or_more_percent', value: 'z', reason: '2_years_or_more_percent: not applicable (z)' },
      { line: 14, indicator: RE, header: 'rereferral_percent', value: 'x', reason: 'rereferral_percent: not available (x)' },
    ]);
    const sources = await s.query<{ source: string }>(`SELECT DISTINCT source FROM benchmarks`);
    expect(sources).toEqual([{ source: 'Children in need 2025' }]);
  });

  it('re-importing (the same file, or another release of it) replaces values, never duplicates them', async () => {
    const s = await freshStore();
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    const first = await all(s);
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    await importBenchmarks(s, `${FIX}/cin-2020-style-release.csv`);
    expect(await all(s)).toEqual(first);
    const dupes = await s.query(`SELECT indicator_id, year, area_kind, area_code, count(*) AS n FROM benchmarks GROUP BY ALL HAVING n > 1`);
    expect(dupes).toEqual([]);
    // a corrected figure replaces the one held
    const fixed = join(dir, 'corrected.csv');
    writeFileSync(fixed, 'time_period,time_identifier,geographic_level,country_code,old_la_code,new_la_code,la_name,rereferral_percent\n202425,Financial year,Local authority,E92000001,831,E06000015,Derby,21.5\n');
    const r = await importBenchmarks(s, fixed);
    expect(r.rowsImported).toBe(1);
    const derby = await s.query<{ value: number }>(`SELECT value FROM benchmarks WHERE indicator_id = ? AND area_code = '831'`, [RE]);
    expect(derby).toEqual([{ value: 21.5 }]);
  });

  it('a long-format file: filter columns pick the rows; two releases of it give the same values', async () => {
    const a = await freshStore();
    const b = await freshStore();
    const ra = await importBenchmarks(a, `${FIX}/cla-stability-2025.csv`);
    const rb = await importBenchmarks(b, `${FIX}/cla-stability-2024-style.csv`);
    expect(ra.matched).toEqual({ children_percent: ['children_in_care.long_term_stability', 'children_in_care.placements_3_plus'] });
    expect(rb.matched).toEqual({ percentage: ['children_in_care.long_term_stability', 'children_in_care.placements_3_plus'] });
    expect(ra.filterColumns).toEqual(['cla_group', 'placement_stability']);
    expect(ra.unmatched).toEqual(['children_count']);
    expect(await all(a)).toEqual(await all(b));
    expect((await all(a)).map((r) => `${r.indicator_id} ${r.area_kind} ${r.area_code} ${r.value}`)).toEqual([
      'children_in_care.long_term_stability england E92000001 69',
      'children_in_care.long_term_stability la 830 71',
      'children_in_care.placements_3_plus england E92000001 10',
      'children_in_care.placements_3_plus la 830 9',
    ]);
    expect(ra.skipped.map((s) => `${s.line} ${s.reason}`)).toEqual([
      '8 children_percent: suppressed to protect confidentiality (c)',
      '9 children_percent: below 0.5% (k)',
    ]);
    expect(ra.rowsUnused).toBe(2); // the two "Total children" rows
  });

  it('a percentage DfE gives only as counts (C2 assessments by duration) is derived, and says why when it cannot be', async () => {
    const s = await freshStore();
    const r = await importBenchmarks(s, `${FIX}/cin-c2-assessments.csv`);
    expect(r.matched['Same_day']).toEqual(['assessments.within_45_days']);
    expect(r.matched['Assessments_completed']).toEqual(['assessments.within_45_days']);
    expect(r.unmatched).toEqual(['category', '46-50_days', '51-60_days', '61+_days', '25th_Percentile_days', 'Median_days', '75th_Percentile_days']);
    const rows = await all(s);
    // England: 11,680 + 75,590 + 112,180 + 102,260 + 131,380 + 122,730 = 555,820 of 648,830 = 85.66…% → 85.7
    // Derbyshire: 10 + 90 + 200 + 200 + 200 + 100 = 800 of 1,000 = 80.0
    expect(rows.map((x) => [x.area_code, x.value])).toEqual([['E92000001', 85.7], ['830', 80]]);
    expect(r.skipped).toEqual([
      { line: 4, indicator: 'assessments.within_45_days', header: 'Same_day', value: 'c', reason: 'Same_day: suppressed to protect confidentiality (c)' },
      { line: 5, indicator: 'assessments.within_45_days', reason: 'nothing to divide by (Assessments_completed = 0)' },
    ]);
  });

  it('statistical neighbour averages given directly in a file are imported as such', async () => {
    const s = await freshStore();
    const f = join(dir, 'sn.csv');
    writeFileSync(f, 'time_period,time_identifier,geographic_level,old_la_code,la_name,rereferral_percent\n2025,Reporting year,Statistical neighbours,999,Northshire,21.4\n');
    const r = await importBenchmarks(s, f);
    expect(r.byLevel.statistical_neighbours).toBe(1);
    const avg = await statisticalNeighbourAverage(s, RE, 2024, NEIGHBOURS);
    expect(avg).toMatchObject({ value: 21.4, basis: 'imported', source: 'sn.csv' });
  });

  it('a file that is not a DfE file is refused, changing nothing', async () => {
    const s = await freshStore();
    const f = join(dir, 'not-dfe.csv');
    writeFileSync(f, 'la,rereferral_percent\n831,22\n');
    await expect(importBenchmarks(s, f)).rejects.toThrow(/no time_period and geographic_level column/);
    expect(await all(s)).toEqual([]);
  });
});

describe('statistical neighbours', () => {
  it('the average is the mean of the neighbours that have a value: 9 of 10 (Rutland suppressed)', async () => {
    const s = await freshStore();
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    const avg = await statisticalNeighbourAverage(s, RE, 2024, NEIGHBOURS);
    // 20 + 22 + 18 + 26 + 21 + 28 + 19 + 24 + 23 = 201; 201 / 9 = 22.333…
    expect(avg.value).toBeCloseTo(22.3333333, 6);
    expect(avg).toMatchObject({ count: 9, of: 10, missing: ['857'], basis: 'computed' });
    const none = await statisticalNeighbourAverage(s, RE, 2023, NEIGHBOURS);
    expect(none).toMatchObject({ value: null, count: 0, of: 10 });
  });

  it('the shipped config is valid: the synthetic LA 999 in the East Midlands, 10 illustrative neighbours', () => {
    const c = readNeighbourConfig('config/statistical-neighbours.json');
    expect(c.laCode).toBe('999');
    expect(c.regionCode).toBe('E12000004');
    expect(c.neighbours).toHaveLength(10);
  });

  it('a bad config gives an error naming the field', () => {
    const good = { la_code: '999', region_code: 'E12000004', neighbours: ['830', '831', '855', '856', '857', '891', '892', '925', '940', '941'] };
    expect(() => parseNeighbourConfig({ ...good, neighbours: good.neighbours.slice(0, 9) }, 'sn.json'))
      .toThrow('sn.json: neighbours: must list exactly 10 LA codes (9 given)');
    expect(() => parseNeighbourConfig({ ...good, neighbours: [...good.neighbours.slice(0, 9), '830'] }, 'sn.json'))
      .toThrow('sn.json: neighbours[9]: 830 is listed twice; the 10 codes must be different');
    expect(() => parseNeighbourConfig({ ...good, neighbours: ['83', ...good.neighbours.slice(1)] }, 'sn.json'))
      .toThrow('sn.json: neighbours[0]: not an LA code (3 digits such as 855, or an E-code such as E10000018)');
    expect(() => parseNeighbourConfig({ ...good, neighbours: ['999', ...good.neighbours.slice(1)] }, 'sn.json'))
      .toThrow('sn.json: neighbours[0]: 999 is the authority itself, not one of its neighbours');
    expect(() => parseNeighbourConfig({ ...good, la_code: undefined }, 'sn.json')).toThrow(/^sn\.json: la_code: /);
    expect(() => parseNeighbourConfig({ ...good, region_code: 'East Midlands' }, 'sn.json')).toThrow(/^sn\.json: region_code: not a region code/);
    expect(() => parseNeighbourConfig({ ...good, neighbour: [] }, 'sn.json')).toThrow(/^sn\.json: /);
    // E-codes are accepted as well as 3-digit codes
    expect(parseNeighbourConfig({ ...good, neighbours: ['E10000007', ...good.neighbours.slice(1)] }).neighbours[0]).toBe('E10000007');
  });
});

describe('quartile bands (DfE LAIT: A best … D worst, following polarity)', () => {
  // Five LA values 10, 20, 30, 40, 50. Cut points at position 1 + p × (n − 1) of the sorted values:
  // Q1 at 1 + 0.25 × 4 = 2 → 20; median at 3 → 30; Q3 at 4 → 40. A value on a cut point takes the better band.
  const las = [30, 10, 50, 20, 40];
  it('cut points by hand', () => {
    expect(quartileCuts(las)).toEqual({ q1: 20, median: 30, q3: 40 });
    // Eight values 10 … 80: Q1 at 1 + 0.25 × 7 = 2.75 → 20 + 0.75 × 10 = 27.5; median at 4.5 → 45; Q3 at 6.25 → 62.5
    expect(quartileCuts([10, 20, 30, 40, 50, 60, 70, 80])).toEqual({ q1: 27.5, median: 45, q3: 62.5 });
  });
  it('higher is better: A from 40, B from 30, C from 20, D below 20', () => {
    expect(quartileBand(50, las, 'higher')).toBe('A');
    expect(quartileBand(40, las, 'higher')).toBe('A'); // exactly Q3
    expect(quartileBand(39.9, las, 'higher')).toBe('B');
    expect(quartileBand(30, las, 'higher')).toBe('B'); // exactly the median
    expect(quartileBand(29.9, las, 'higher')).toBe('C');
    expect(quartileBand(20, las, 'higher')).toBe('C'); // exactly Q1
    expect(quartileBand(19.9, las, 'higher')).toBe('D');
  });
  it('lower is better: A up to 20, B up to 30, C up to 40, D above 40', () => {
    expect(quartileBand(5, las, 'lower')).toBe('A');
    expect(quartileBand(20, las, 'lower')).toBe('A'); // exactly Q1
    expect(quartileBand(20.1, las, 'lower')).toBe('B');
    expect(quartileBand(30, las, 'lower')).toBe('B'); // exactly the median
    expect(quartileBand(30.1, las, 'lower')).toBe('C');
    expect(quartileBand(40, las, 'lower')).toBe('C'); // exactly Q3
    expect(quartileBand(40.1, las, 'lower')).toBe('D');
  });
  it('no band with fewer than 4 LAs or without polarity', () => {
    expect(quartileBand(20, [10, 20, 30], 'higher')).toBeNull();
    expect(quartileBand(20, [10, 20, 30, 40], 'higher')).toBe('C'); // Q1 = 17.5, median 25
    expect(quartileBand(20, las, 'neither')).toBeNull();
    expect(quartileBand(20, las, null)).toBeNull();
  });
});

describe('comparisons and position', () => {
  it('"in line with" within 2% of the benchmark (50 → 49 to 51); polarity decides better or worse', () => {
    expect(compareWith(51, 50, 'higher')).toBe('in line'); // exactly 2% above
    expect(compareWith(49, 50, 'lower')).toBe('in line'); // exactly 2% below
    expect(compareWith(51.1, 50, 'higher')).toBe('better');
    expect(compareWith(51.1, 50, 'lower')).toBe('worse');
    expect(compareWith(48.9, 50, 'higher')).toBe('worse');
    expect(compareWith(48.9, 50, 'lower')).toBe('better');
    expect(compareWith(60, 50, 'neither')).toBe('higher');
    expect(compareWith(0.04, 0, 'lower')).toBe('in line'); // both shown as 0.0
  });

  it('benchmarkPosition: England, region, neighbours, quartile and one sentence', async () => {
    const s = await freshStore();
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    // Re-referrals (lower is better), LA values 20, 22, 18, 26, 21, 28, 19, 24, 23, 30 (Rutland c, Camden x):
    // sorted 18 19 20 21 22 23 24 26 28 30; Q1 at 1 + 0.25 × 9 = 3.25 → 20.25; median 22.5; Q3 at 7.75 → 25.5.
    const p = await benchmarkPosition(s, RE, 2024, 20.1, 'lower', { neighbours: NEIGHBOURS });
    expect(p.england).toMatchObject({ value: 22.6, code: 'E92000001' });
    expect(p.region).toMatchObject({ value: 24.7, name: 'East Midlands' });
    expect(p.neighbours).toMatchObject({ count: 9, of: 10 });
    expect(p.quartileBasis).toEqual({ laCount: 10, q1: 20.25, median: 22.5, q3: 25.5 });
    expect(p.quartile).toBe('A');
    expect(p.comparisons.england).toBe('better than England (22.6%)');
    expect(p.sentence).toBe('Better than England (22.6%), better than East Midlands (24.7%) and better than statistical neighbours (22.3%, 9 of 10); quartile A of 10 authorities.');

    const q = await benchmarkPosition(s, RE, 2024, 22.9, 'lower', { neighbours: NEIGHBOURS });
    expect(q.comparisons.england).toBe('in line with England (22.6%)'); // 0.3 points, within 2% (0.452)
    expect(q.quartile).toBe('C');

    const none = await benchmarkPosition(s, RE, 2019, 20, 'lower', { neighbours: NEIGHBOURS });
    expect(none.sentence).toBe('No benchmarks held for this year.');
    expect(none.quartile).toBeNull();
    const noValue = await benchmarkPosition(s, RE, 2024, null, 'lower', { neighbours: NEIGHBOURS });
    expect(noValue.sentence).toBe('No figure to compare.');
  });

  it('a rate with no polarity is higher or lower, never better, and takes no quartile', async () => {
    const s = await freshStore();
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    const p = await benchmarkPosition(s, 'section47.rate', 2024, 250, 'neither', { neighbours: null });
    expect(p.sentence).toBe('Higher than England (190.2 per 10,000).');
    expect(p.quartile).toBeNull();
  });
});

describe('shipped England values', () => {
  it("include DESIGN.md's 2024-25 figures, each with a citation, all for indicators in the catalogue", () => {
    const values = readEnglandBenchmarks('config/benchmarks-england.json');
    const at = (id: string, y = 2024): number | undefined => values.find((v) => v.indicator === id && v.year === y)?.value;
    expect(at('referrals.re_referrals_12m')).toBe(22.6);
    expect(at('assessments.within_45_days')).toBe(85.7);
    expect(at('section47.icpc_within_15_days')).toBe(81.4);
    expect(at('child_protection.ended_after_2y')).toBe(4.4);
    expect(at('children_in_care.looked_after_rate')).toBe(67);
    expect(at('children_in_care.long_term_stability')).toBe(69);
    for (const v of values) expect(v.source).toMatch(/DfE, .*reporting year 20\d\d/);
    const known = new Set(INDICATORS.map((i) => i.id));
    expect(values.filter((v) => !known.has(v.indicator))).toEqual([]);
  });

  it('load into the store idempotently and replace an imported England value for the same year', async () => {
    const s = await freshStore();
    await importBenchmarks(s, `${FIX}/cin-2025-release.csv`);
    const first = await loadEnglandBenchmarks(s, 'config/benchmarks-england.json');
    expect(first.skipped).toEqual([]);
    const count = async (): Promise<number> => (await s.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM benchmarks WHERE area_kind = 'england'`))[0].n;
    const n1 = await count();
    await loadEnglandBenchmarks(s, 'config/benchmarks-england.json');
    expect(await count()).toBe(n1);
    const re = await s.query<{ value: number; source: string }>(`SELECT value, source FROM benchmarks WHERE indicator_id = ? AND year = 2024 AND area_kind = 'england'`, [RE]);
    expect(re).toEqual([{ value: 22.6, source: expect.stringContaining('Children in need, reporting year 2025') }]);
  });

  it('a bad England file names the entry and field', () => {
    const f = join(dir, 'england.json');
    writeFileSync(f, JSON.stringify({ values: [{ indicator: RE, year: '2024-26', value: 22.6, source: 'x' }] }));
    expect(() => readEnglandBenchmarks(f)).toThrow(`${f}: values[0].year: a reporting year such as "2024-25"`);
    writeFileSync(f, JSON.stringify({ values: [{ indicator: RE, year: '2024-25', value: 22.6, source: 'x' }, { indicator: RE, year: '2024-25', value: 1, source: 'y' }] }));
    expect(() => readEnglandBenchmarks(f)).toThrow(`${f}: values[1]: ${RE} 2024-25 is given twice (also values[0])`);
  });
});
