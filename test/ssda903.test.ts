// SSDA903 both ways: a hand-built synthetic authority written as the eleven CSV tables and read back
// field by field; the written files checked by a parser written here (not csv-parse); byte-identical
// output; the real files in ../shared/external-samples/ssda903 (Data to Insight's fake 903 data, MIT,
// full of deliberate errors) read with specific findings; recognition of a table by its columns; and
// files that are empty, damaged, mis-shaped or start with a byte-order mark.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { emptyRow, TABLE_NAMES, type Row, type TableName } from '../src/model.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import {
  SSDA903_COLUMNS, SSDA903_TABLES, closestSsda903Table, detectSsda903Table, readSsda903, type Ssda903Table,
} from '../src/ingest/ssda903.ts';
import type { FileSummary, Finding, RecordSink } from '../src/ingest/types.ts';
import type { SyntheticLA, Tables } from '../src/synth/types.ts';
import { continuouslyLookedAfter, writeSsda903 } from '../src/synth/writeSsda903.ts';

const SAMPLES = new URL('../../shared/external-samples/ssda903/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'csc-903-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type AnyRow = Record<string, unknown>;

interface Read {
  rows: Partial<Record<TableName, AnyRow[]>>;
  lines: Partial<Record<TableName, number[]>>;
  findings: Finding[];
  summary: FileSummary;
}

async function read(path: string, collectionYear?: number): Promise<Read> {
  const rows: Read['rows'] = {};
  const lines: Read['lines'] = {};
  const findings: Finding[] = [];
  const sink: RecordSink = {
    add(table, row, sourceRow) {
      ((rows as Record<string, AnyRow[]>)[table] ??= []).push(row as AnyRow);
      ((lines as Record<string, number[]>)[table] ??= []).push(sourceRow ?? -1);
    },
    finding: (f) => { findings.push(f); },
  };
  const summary = await readSsda903(path, sink, collectionYear === undefined ? {} : { collectionYear });
  return { rows, lines, findings, summary };
}

async function rejection(path: string, collectionYear?: number): Promise<FileRejected> {
  try {
    await read(path, collectionYear);
  } catch (err) {
    if (err instanceof FileRejected) return err;
    throw err;
  }
  throw new Error(`${path} was not rejected`);
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

// ---------------------------------------------------------------------------------------------
// A small authority, 2024-25, built by hand. Children 0001–0007 (ids with leading zeros).

function row<T extends TableName>(table: T, values: Partial<Row<T>>): Row<T> {
  return { ...emptyRow(table), ...values };
}

function authority(): SyntheticLA {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Tables;
  const t = tables;
  t.children.push(
    row('children', { child_id: '0001', sex: 'F', dob: '2010-05-15', ethnicity: 'WBRI', upn: 'A123456789012', disabled: false }),
    row('children', { child_id: '0002', sex: 'M', dob: '2007-02-28', ethnicity: 'BAFR', upn: 'UN2', uasc: true }),
    row('children', { child_id: '0003', sex: 'F', dob: '2006-08-20', ethnicity: 'MWBC', upn: 'B123456789012' }),
    row('children', { child_id: '0004', sex: 'M', dob: '2020-03-03', ethnicity: 'WBRI', upn: 'C123456789012' }),
    row('children', { child_id: '0005', sex: 'F', dob: '2012-01-01', ethnicity: 'WOTH', upn: 'E123456789012' }),
    row('children', { child_id: '0006', sex: 'M', dob: '2015-06-06', ethnicity: 'AIND', upn: 'D12345678901E' }),
    row('children', { child_id: '0007', sex: 'F', dob: '1999-01-01', ethnicity: 'WBRI', upn: 'UN1' }),
  );
  const ep = (child: string, decom: string, dec: string | null, rest: Partial<Row<'lac_episodes'>>) =>
    row('lac_episodes', { child_id: child, decom, dec, home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF', ...rest });
  t.lac_episodes.push(
    // 0001: in care since January 2022; the first episode ended before the year, the second is open (OC2 cohort)
    ep('0001', '2022-01-10', '2023-05-05', { rne: 'S', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U4', placement_provider: 'PR1', reason_ceased: 'X1', urn: 'SC123456' }),
    ep('0001', '2023-05-05', null, { rne: 'P', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR1', reason_place_change: 'CARPL', urn: 'SC123456' }),
    // 0002: started in the year
    ep('0002', '2024-06-01', null, { rne: 'S', legal_status: 'V2', category_of_need: 'N1', placement_type: 'K2', placement_provider: 'PR4', home_postcode: 'E1 6AN', placement_postcode: 'E2 7BB', urn: '1234567' }),
    // 0003: left care on her 18th birthday, in the year
    ep('0003', '2022-03-01', '2024-08-20', { rne: 'S', legal_status: 'C2', category_of_need: 'N2', placement_type: 'U1', placement_provider: 'PR1', reason_ceased: 'E17' }),
    // 0004: adopted in the year
    ep('0004', '2022-02-01', '2024-01-10', { rne: 'S', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U4', placement_provider: 'PR1', reason_ceased: 'X1' }),
    ep('0004', '2024-01-10', '2024-11-30', { rne: 'P', legal_status: 'E1', category_of_need: 'N1', placement_type: 'A5', placement_provider: 'PR1', reason_ceased: 'E11' }),
    // 0005: episodes before and after the year only
    ep('0005', '2020-01-01', '2023-06-01', { rne: 'S', legal_status: 'V2', category_of_need: 'N4', placement_type: 'U6', placement_provider: 'PR1', reason_ceased: 'E13' }),
    ep('0005', '2025-05-01', null, { rne: 'S', legal_status: 'V2', category_of_need: 'N4', placement_type: 'U6', placement_provider: 'PR1' }),
    // 0006: started in the year, ended after it
    ep('0006', '2024-10-01', '2025-06-01', { rne: 'S', legal_status: 'C1', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR4', reason_ceased: 'E4A' }),
  );
  t.lac_reviews.push(
    row('lac_reviews', { child_id: '0001', review_date: '2024-03-01', participation: 'PN1' }),
    row('lac_reviews', { child_id: '0001', review_date: '2024-09-01', participation: 'PN1' }),
    row('lac_reviews', { child_id: '0001', review_date: '2025-04-02', participation: 'PN1' }),
    row('lac_reviews', { child_id: '0002', review_date: '2024-06-20', participation: 'PN6' }),
  );
  t.uasc.push(row('uasc', { child_id: '0002', date_uasc_ceased: '2025-02-27' }), row('uasc', { child_id: '0005', date_uasc_ceased: null }));
  const oc2 = { sdq_score: 12, convicted: false, immunisations: true, teeth_check: true, health_assessment: true, substance_misuse: false };
  t.health.push(
    row('health', { child_id: '0001', collection_year: 2024, ...oc2 }),
    row('health', { child_id: '0001', collection_year: 2023, ...oc2, sdq_score: 20 }),
    row('health', { child_id: '0002', collection_year: 2024, ...oc2 }),
  );
  t.care_leavers.push(
    row('care_leavers', { child_id: '0003', collection_year: 2024, in_touch: 'YES', activity: 'F2', accommodation: 'D1', accommodation_suitable: true }),
    row('care_leavers', { child_id: '0003', collection_year: 2023, in_touch: 'YES', activity: 'F2', accommodation: 'D1', accommodation_suitable: true }),
    row('care_leavers', { child_id: '0007', collection_year: 2024, in_touch: 'NO', activity: 'G5', accommodation: 'S2', accommodation_suitable: false }),
  );
  t.adoptions.push(
    row('adoptions', {
      child_id: '0004', decision_date: '2023-03-01', placement_order_date: '2023-05-01', matched_date: '2023-12-01', placed_date: '2024-01-10',
      adoption_order_date: '2024-11-30', foster_care: false, number_of_adopters: 2, sex_of_adopters: 'MF', legal_status_of_adopters: 'L11',
    }),
    row('adoptions', { child_id: '0001', decision_date: '2024-05-01' }),
    // an earlier decision for 0004, reversed: the AD1 row is the decision that led to the adoption
    row('adoptions', { child_id: '0004', decision_date: '2022-06-01', decision_reversed_date: '2022-09-01', reason_reversed: 'RD1' }),
  );
  t.placed_for_adoption.push(
    row('placed_for_adoption', { child_id: '0004', date_placed: '2023-03-01' }),
    row('placed_for_adoption', { child_id: '0006', date_placed: '2024-12-01', date_placed_ceased: '2025-05-01', reason_placed_ceased: 'RD1' }),
    row('placed_for_adoption', { child_id: '0005', date_placed: '2021-01-01', date_placed_ceased: '2022-01-01', reason_placed_ceased: 'RD2' }),
  );
  t.previous_permanence.push(
    row('previous_permanence', { child_id: '0002', previous_permanence: 'P2', la_of_permanence: '123', date_of_permanence: '2019-05-01' }),
    row('previous_permanence', { child_id: '0001', previous_permanence: 'Z1' }),
  );
  t.missing_episodes.push(
    row('missing_episodes', { child_id: '0002', missing_type: 'M', start_date: '2024-07-01', end_date: '2024-07-03' }),
    row('missing_episodes', { child_id: '0002', missing_type: 'A', start_date: '2025-03-30', end_date: '2025-04-05' }),
    row('missing_episodes', { child_id: '0002', missing_type: 'M', start_date: '2024-01-01', end_date: '2024-01-02' }),
  );
  t.social_worker_episodes.push(
    row('social_worker_episodes', { child_id: '0002', worker_id: 'SW001', start_date: '2024-06-01', end_date: '2024-12-31' }),
    row('social_worker_episodes', { child_id: '0002', worker_id: 'SW002', start_date: '2024-12-31', reason: 'MANAGE' }),
    row('social_worker_episodes', { child_id: '0001', worker_id: 'SW003', start_date: '2022-01-10', end_date: '2023-01-01', reason: 'OTHERS' }),
  );
  return {
    options: { population: 7, years: 5, end: '2025-03-31', seed: 1, teams: 1, workersPerTeam: 1, faultRate: 0, laCode: '999', laName: 'Test' },
    start: '2020-01-01', tables, faults: [],
  };
}

/** What reading the 2024-25 files must give, table by table, field by field. */
const EXPECTED: Partial<Record<TableName, AnyRow[]>> = {
  children: [
    row('children', { child_id: '0001', sex: 'F', dob: '2010-05-15', ethnicity: 'WBRI', upn: 'A123456789012' }),
    row('children', { child_id: '0002', sex: 'M', dob: '2007-02-28', ethnicity: 'BAFR', upn: 'UN2' }),
    row('children', { child_id: '0003', sex: 'F', dob: '2006-08-20', ethnicity: 'MWBC', upn: 'B123456789012' }),
    row('children', { child_id: '0004', sex: 'M', dob: '2020-03-03', ethnicity: 'WBRI', upn: 'C123456789012' }),
    row('children', { child_id: '0006', sex: 'M', dob: '2015-06-06', ethnicity: 'AIND', upn: 'D12345678901E' }),
  ],
  lac_episodes: [
    row('lac_episodes', { child_id: '0001', decom: '2023-05-05', rne: 'P', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR1', reason_place_change: 'CARPL', home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF', urn: 'SC123456' }),
    row('lac_episodes', { child_id: '0002', decom: '2024-06-01', rne: 'S', legal_status: 'V2', category_of_need: 'N1', placement_type: 'K2', placement_provider: 'PR4', home_postcode: 'E1 6AN', placement_postcode: 'E2 7BB', urn: '1234567' }),
    row('lac_episodes', { child_id: '0003', decom: '2022-03-01', dec: '2024-08-20', rne: 'S', legal_status: 'C2', category_of_need: 'N2', placement_type: 'U1', placement_provider: 'PR1', reason_ceased: 'E17', home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF' }),
    row('lac_episodes', { child_id: '0004', decom: '2024-01-10', dec: '2024-11-30', rne: 'P', legal_status: 'E1', category_of_need: 'N1', placement_type: 'A5', placement_provider: 'PR1', reason_ceased: 'E11', home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF' }),
    // ended 1 June 2025, after the year: the return does not know yet
    row('lac_episodes', { child_id: '0006', decom: '2024-10-01', dec: null, rne: 'S', legal_status: 'C1', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR4', reason_ceased: null, home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF' }),
  ],
  lac_reviews: [
    row('lac_reviews', { child_id: '0001', review_date: '2024-09-01', participation: 'PN1' }),
    row('lac_reviews', { child_id: '0002', review_date: '2024-06-20', participation: 'PN6' }),
  ],
  uasc: [row('uasc', { child_id: '0002', date_uasc_ceased: '2025-02-27' })],
  health: [row('health', { child_id: '0001', collection_year: 2024, sdq_score: 12, convicted: false, immunisations: true, teeth_check: true, health_assessment: true, substance_misuse: false })],
  care_leavers: [row('care_leavers', { child_id: '0003', collection_year: 2024, in_touch: 'YES', activity: 'F2', accommodation: 'D1', accommodation_suitable: true })],
  adoptions: [row('adoptions', { child_id: '0004', decision_date: '2023-03-01', matched_date: '2023-12-01', foster_care: false, number_of_adopters: 2, sex_of_adopters: 'MF', legal_status_of_adopters: 'L11' })],
  placed_for_adoption: [
    row('placed_for_adoption', { child_id: '0004', date_placed: '2023-03-01' }),
    row('placed_for_adoption', { child_id: '0006', date_placed: '2024-12-01' }), // reversed after the year
  ],
  previous_permanence: [row('previous_permanence', { child_id: '0002', previous_permanence: 'P2', la_of_permanence: '123', date_of_permanence: '2019-05-01' })],
  missing_episodes: [
    row('missing_episodes', { child_id: '0002', missing_type: 'M', start_date: '2024-07-01', end_date: '2024-07-03' }),
    row('missing_episodes', { child_id: '0002', missing_type: 'A', start_date: '2025-03-30', end_date: null }), // back after the year
  ],
  social_worker_episodes: [
    row('social_worker_episodes', { child_id: '0002', worker_id: 'SW001', start_date: '2024-06-01', end_date: '2024-12-31' }),
    row('social_worker_episodes', { child_id: '0002', worker_id: 'SW002', start_date: '2024-12-31', reason: 'MANAGE' }),
  ],
};

const COUNTS = {
  header: 5, episodes: 5, reviews: 2, uasc: 1, oc2: 1, oc3: 1, ad1: 1, placed_for_adoption: 2, previous_permanence: 1, missing: 2, sw_episodes: 2,
};

describe('writing the return for 2024-25 and reading it back', () => {
  const out = join(dir, 'written', '2024-25');

  test('the writer says how many rows it wrote to each of the eleven files', async () => {
    mkdirSync(out, { recursive: true });
    expect(await writeSsda903(authority(), 2024, out)).toEqual(COUNTS);
    expect(readdirSync(out).sort()).toEqual(SSDA903_TABLES.map((t) => `${t}.csv`).sort());
  });

  test('each file, split by hand on newlines and commas, has the header line of the real files and one line per row', () => {
    for (const table of SSDA903_TABLES) {
      const sample = readFileSync(join(SAMPLES, `${table}.csv`), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
      const text = readFileSync(join(out, `${table}.csv`), 'utf8');
      expect(text.endsWith('\n') && !text.includes('\r') && !text.includes('"')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines[0]).toBe(sample);
      expect(lines[0]).toBe(SSDA903_COLUMNS[table].join(','));
      expect(lines.length - 1).toBe(COUNTS[table as keyof typeof COUNTS]);
      for (const l of lines) expect(l.split(',').length).toBe(SSDA903_COLUMNS[table].length);
    }
  });

  test('dates are dd/mm/yyyy, SEX is 1 or 2, yes/no items 0 or 1, ids keep their leading zeros', () => {
    const lines = (t: string) => readFileSync(join(out, `${t}.csv`), 'utf8').trim().split('\n').slice(1);
    expect(lines('header')).toEqual([
      '0001,2,15/05/2010,WBRI,A123456789012,,', '0002,1,28/02/2007,BAFR,UN2,,', '0003,2,20/08/2006,MWBC,B123456789012,,',
      '0004,1,03/03/2020,WBRI,C123456789012,,', '0006,1,06/06/2015,AIND,D12345678901E,,',
    ]);
    expect(lines('episodes')).toEqual([
      '0001,05/05/2023,P,C2,N1,U6,PR1,,,CARPL,AB1 2CD,AB3 4EF,SC123456',
      '0002,01/06/2024,S,V2,N1,K2,PR4,,,,E1 6AN,E2 7BB,1234567',
      '0003,01/03/2022,S,C2,N2,U1,PR1,20/08/2024,E17,,AB1 2CD,AB3 4EF,',
      '0004,10/01/2024,P,E1,N1,A5,PR1,30/11/2024,E11,,AB1 2CD,AB3 4EF,',
      '0006,01/10/2024,S,C1,N1,U6,PR4,,,,AB1 2CD,AB3 4EF,',
    ]);
    expect(lines('oc2')).toEqual(['0001,15/05/2010,12,,0,,1,1,1,0,,']);
    expect(lines('uasc')).toEqual(['0002,1,28/02/2007,27/02/2025']);
    expect(lines('missing')).toEqual(['0002,28/02/2007,M,01/07/2024,03/07/2024', '0002,28/02/2007,A,30/03/2025,']);
  });

  test('reading every file back gives the canonical rows, field by field, with no findings', async () => {
    const got: Partial<Record<TableName, AnyRow[]>> = {};
    const findings: Finding[] = [];
    for (const table of SSDA903_TABLES) {
      const r = await read(join(out, `${table}.csv`), 2024);
      expect(r.summary).toMatchObject({ kind: 'ssda903', parts: [table], collectionYear: 2024, periodStart: '2024-04-01', periodEnd: '2025-03-31' });
      for (const [t, rows] of Object.entries(r.rows)) got[t as TableName] = rows;
      findings.push(...r.findings);
    }
    expect(findings).toEqual([]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [table, rows] of Object.entries(EXPECTED)) expect({ table, rows: got[table as TableName] }).toEqual({ table, rows });
  });

  test('the rows keep their file lines: the header is line 1', async () => {
    const r = await read(join(out, 'episodes.csv'), 2024);
    expect(r.lines.lac_episodes).toEqual([2, 3, 4, 5, 6]);
  });

  test('the same authority gives byte-identical files, whatever the order of its records', async () => {
    const again = join(dir, 'written-again');
    mkdirSync(again, { recursive: true });
    const shuffled = authority();
    for (const t of TABLE_NAMES) (shuffled.tables[t] as unknown[]).reverse();
    await writeSsda903(shuffled, 2024, again);
    for (const table of SSDA903_TABLES) {
      expect(readFileSync(join(again, `${table}.csv`)).equals(readFileSync(join(out, `${table}.csv`)))).toBe(true);
    }
  });

  test('OC2 cohort: in care continuously from 1 April to 31 March, not only on short breaks', () => {
    const la = authority();
    expect([...continuouslyLookedAfter(la.tables.lac_episodes, 2024)]).toEqual(['0001']);
    // 0003 and 0004 were in care all through 2023-24
    expect([...continuouslyLookedAfter(la.tables.lac_episodes, 2023)].sort()).toEqual(['0001', '0003', '0004']);
    const breaks = [row('lac_episodes', { child_id: 'V', decom: '2023-01-01', legal_status: 'V3' })];
    expect([...continuouslyLookedAfter(breaks, 2024)]).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The real files

const byCode = (findings: Finding[]) => {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.code] = (counts[f.code] ?? 0) + 1;
  return counts;
};
const at = (findings: Finding[], line: number, code: string) => findings.filter((f) => f.row === line && f.code === code);

describe('the external samples (Data to Insight fake 903 data, with deliberate errors)', () => {
  const results = new Map<string, Read>();
  const get = async (name: string) => {
    if (!results.has(name)) results.set(name, await read(join(SAMPLES, name)));
    return results.get(name)!;
  };

  test('every file reads without an exception: recognised, every row loaded (no errors), the year inferred from episodes.csv', async () => {
    const loaded: Record<string, number> = {};
    for (const name of readdirSync(SAMPLES).filter((f) => f.endsWith('.csv')).sort()) {
      const r = await get(name);
      expect(r.summary.parts).toEqual([name.replace('.csv', '')]);
      expect(r.summary.collectionYear).toBe(2017);
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      loaded[name] = Object.values(r.rows).reduce((n, rows) => n + rows.length, 0);
      expect(at(r.findings, null as unknown as number, 'CSC307').map((f) => f.message)).toEqual([
        `${name}: collection year not given; taken as 2017-18 from the latest episode start (DECOM 31/03/2018) in episodes.csv — give the year (--year, or a folder named 2017-18) if that is wrong (CSC307)`,
      ]);
    }
    expect(loaded).toEqual({
      'ad1.csv': 29, 'episodes.csv': 5050, 'header.csv': 2675, 'missing.csv': 43, 'oc2.csv': 2675, 'oc3.csv': 53,
      'placed_for_adoption.csv': 29, 'previous_permanence.csv': 2675, 'reviews.csv': 12582, 'sw_episodes.csv': 1, 'uasc.csv': 132,
    });
  });

  test('episodes.csv: findings by rule', async () => {
    expect(byCode((await get('episodes.csv')).findings)).toEqual({
      CSC307: 1, 148: 1413, 178: 1105, 378: 13, 384: 65, 385: 12, 445: 354, 527: 92, 528: 107, 529: 398, 530: 27, 531: 28, 550: 845,
    });
  });

  test('episodes.csv line 218 ends on 1 April 2018, after the 2017-18 year', async () => {
    expect(at((await get('episodes.csv')).findings, 218, '385')).toEqual([{
      ruleset: 'ssda903', code: '385', severity: 'warning', file: 'episodes.csv', row: 218, section: 'episodes', field: 'DEC',
      value: '01/04/2018', childId: '774923',
      message: 'episodes.csv line 218: DEC 01/04/2018 is after the end of the collection year (31/03/2018) (rule 385: Date episode ceased must be on or before the end of the current collection year) — loaded, flagged',
    }]);
  });

  test('episodes.csv line 3 has REC X1 but no DEC; line 2 has provider PR0 for a temporary residential placement', async () => {
    const { findings } = await get('episodes.csv');
    expect(at(findings, 3, '148').map((f) => f.message)).toEqual([
      'episodes.csv line 3: DEC is blank but REC is X1 (rule 148: Date episode ceased and reason episode ceased must both be coded, or both left blank) — loaded, flagged',
    ]);
    expect(findings.filter((f) => f.row === 2).map((f) => [f.code, f.field, f.value])).toEqual([
      ['178', 'PLACE_PROVIDER', 'PR0'], ['550', 'PLACE_PROVIDER', 'PR0'],
    ]);
    expect(at(findings, 51, '445').map((f) => f.value)).toEqual(['D1']);
  });

  test('header.csv: MOTHER 1.0 at line 1273, UPNs beginning I, O or S', async () => {
    const { findings, rows } = await get('header.csv');
    expect(byCode(findings)).toEqual({ CSC307: 1, 165: 1, 168: 296 });
    expect(at(findings, 1273, '165').map((f) => [f.childId, f.value, f.message])).toEqual([[
      '6389', '1.0', 'header.csv line 1273: MOTHER 1.0 is not 0 or 1 (rule 165: Data entry for mother status is invalid) — loaded, flagged',
    ]]);
    expect(at(findings, 14, '168').map((f) => f.value)).toEqual(['O068405655286']);
    expect(rows.children![0]).toEqual(row('children', { child_id: '566910', sex: 'F', dob: '2008-03-27', ethnicity: 'WROM', upn: 'D051910639385' }));
  });

  test('ad1.csv: the sexes of adopters contradict their number and legal status', async () => {
    const { findings, rows } = await get('ad1.csv');
    expect(byCode(findings)).toEqual({ CSC307: 1, 511: 5, 514: 2, 517: 5, 518: 3, 519: 3, 520: 6, 524: 3 });
    expect(at(findings, 2, '520').map((f) => f.message)).toEqual([
      'ad1.csv line 2: SEX_ADOPTR MM with LS_ADOPTR L11 (rule 520: Data entry on the legal status of adopters shows different gender married couple but data entry on genders of adopters shows it as a same gender couple) — loaded, flagged',
    ]);
    expect(at(findings, 4, '511').map((f) => f.value)).toEqual(['F1']);
    expect(rows.adoptions![0]).toEqual(row('adoptions', {
      child_id: '988635', decision_date: '2015-11-22', matched_date: '2015-11-22', foster_care: true, number_of_adopters: 2,
      sex_of_adopters: 'MM', legal_status_of_adopters: 'L11',
    }));
  });

  test('oc3.csv: activities F3 and P3 and accommodation 01 and 02 are not codes; a young person not 17–21 in 2017-18', async () => {
    const { findings, rows } = await get('oc3.csv');
    expect(byCode(findings)).toEqual({ CSC307: 1, 132: 12, 133: 3, 391: 3 });
    expect(at(findings, 2, '133').map((f) => f.message)).toEqual([
      'oc3.csv line 2: ACCOM 01 is not a valid code (rule 133: Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after leaving care the data entry must be valid) — loaded with suitability of accommodation unknown',
    ]);
    expect(at(findings, 3, '132').map((f) => f.value)).toEqual(['P3']);
    expect(at(findings, 17, '391').map((f) => f.value)).toEqual(['01/04/2001']);
    const suitable = rows.care_leavers!.slice(0, 4).map((r) => (r as Row<'care_leavers'>).accommodation_suitable);
    expect(suitable).toEqual([null, false, true, false]); // 01, T2, K1, T2
    expect(rows.care_leavers!.every((r) => (r as Row<'care_leavers'>).collection_year === 2017)).toBe(true);
  });

  test('placed_for_adoption.csv: every REASON_PLACED_CEASED is XXX', async () => {
    const { findings } = await get('placed_for_adoption.csv');
    expect(byCode(findings)).toEqual({ CSC307: 1, 120: 29 });
  });

  test('oc2.csv: health promotion for children over 5, convictions under 10, interventions without substance misuse', async () => {
    expect(byCode((await get('oc2.csv')).findings)).toEqual({ CSC307: 1, 158: 1361, 193: 1327, 542: 1226, 546: 2527 });
  });

  test('reviews.csv: participation codes that contradict the child\'s age', async () => {
    const { findings } = await get('reviews.csv');
    expect(byCode(findings)).toEqual({ CSC307: 1, 440: 1435, 441: 663 });
    expect(at(findings, 17, '440').map((f) => f.message)).toEqual([
      'reviews.csv line 17: REVIEW_CODE PN0 (under 4) but the child was 7 on 26/02/2020 (rule 440: Participation method indicates child was under 4 years old at the time of the review, but date of birth and review date indicates the child was 4 years old or over) — loaded, flagged',
    ]);
  });

  test('sw_episodes.csv (byte-order mark, CRLF lines): an invalid reason and dates outside the year', async () => {
    const { findings, rows, lines } = await get('sw_episodes.csv');
    expect(rows.social_worker_episodes).toEqual([row('social_worker_episodes', {
      child_id: 'CHILD10', worker_id: 'SW999', start_date: '2020-01-01', end_date: '2020-01-03', reason: 'SWLAZY',
    })]);
    expect(lines.social_worker_episodes).toEqual([2]);
    expect(findings.filter((f) => f.row === 2).map((f) => f.code)).toEqual(['SW13STG1', 'SW06STG2', 'SW07STG2']);
  });

  test('the other files are clean apart from the year', async () => {
    for (const name of ['missing.csv', 'previous_permanence.csv', 'uasc.csv']) expect(byCode((await get(name)).findings)).toEqual({ CSC307: 1 });
  });

  test('given the year, nothing is inferred', async () => {
    const r = await read(join(SAMPLES, 'uasc.csv'), 2017);
    expect(r.findings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Recognising a table by its columns

const EPISODES_HEADER = SSDA903_COLUMNS.episodes.join(',');

describe('a table is recognised by its set of columns, not its name', () => {
  test('episodes.csv renamed foo.csv is still episodes', async () => {
    const foo = join(dir, 'renamed', 'foo.csv');
    mkdirSync(join(dir, 'renamed'), { recursive: true });
    copyFileSync(join(SAMPLES, 'episodes.csv'), foo);
    const r = await read(foo, 2017);
    expect(r.summary.parts).toEqual(['episodes']);
    expect(r.rows.lac_episodes).toHaveLength(5050);
    expect(r.findings[0].file).toBe('foo.csv');
  });

  test('columns in another order, in lower case, with spaces and a byte-order mark are the same columns', async () => {
    expect(detectSsda903Table(['\uFEFFchild', ' Sex ', 'dob', 'ETHNIC', 'upn', 'mother', 'mc_dob'])).toBe('header');
    const path = file('shuffled/x.csv', ' dec ,Decom,child,rne,ls,cin,place,place_provider,rec,reason_place_change,home_post,pl_post,urn\n' +
      '03/02/2025,12/03/2024,0042,S,C2,N1,U4,PR1,E13,,AB1 2CD,AB3 4EF,SC123456\n');
    const r = await read(path, 2024);
    expect(r.rows.lac_episodes).toEqual([row('lac_episodes', {
      child_id: '0042', decom: '2024-03-12', dec: '2025-02-03', rne: 'S', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U4',
      placement_provider: 'PR1', reason_ceased: 'E13', home_postcode: 'AB1 2CD', placement_postcode: 'AB3 4EF', urn: 'SC123456',
    })]);
    expect(r.summary.columnMap).toEqual({ episodes: expect.objectContaining({ ' dec ': 'dec', Decom: 'decom', child: 'child_id' }) });
  });

  test('an extra column: still recognised, the column ignored with a warning', async () => {
    expect(detectSsda903Table([...SSDA903_COLUMNS.reviews, 'NOTES'])).toBe('reviews');
    const path = file('extra/r.csv', 'CHILD,DOB,REVIEW,REVIEW_CODE,NOTES\n0001,15/05/2010,01/09/2024,PN1,seen at school\n');
    const r = await read(path, 2024);
    expect(r.rows.lac_reviews).toEqual([row('lac_reviews', { child_id: '0001', review_date: '2024-09-01', participation: 'PN1' })]);
    expect(r.findings.map((f) => [f.code, f.severity, f.row, f.message])).toEqual([[
      'CSC306', 'warning', 1, 'r.csv line 1: column NOTES is not part of the SSDA903 reviews table — ignored (CSC306)',
    ]]);
  });

  test('a column missing: not recognised; the closest table and the missing column are named and nothing is loaded', async () => {
    const columns = SSDA903_COLUMNS.episodes.filter((c) => c !== 'REC');
    expect(detectSsda903Table(columns)).toBeNull();
    expect(closestSsda903Table(columns)).toEqual({ table: 'episodes', missing: ['REC'], extra: [] });
    const path = file('dropped/episodes.csv', `${columns.join(',')}\n0001,01/04/2024,S,C2,N1,U4,PR1,,,AB1 2CD,AB3 4EF,SC123456\n`);
    const err = await rejection(path, 2024);
    expect(err.findings.map((f) => [f.code, f.severity, f.row, f.field])).toEqual([['CSC305', 'error', 1, 'REC']]);
    expect(err.message).toBe(
      `episodes.csv: the columns are not those of any SSDA903 table — closest is episodes (${EPISODES_HEADER}), which also needs REC — nothing loaded (CSC305)`,
    );
  });

  test('a CSV of something else entirely is refused, naming the nearest table', async () => {
    const err = await rejection(file('other/contacts.csv', 'CHILD,Name,Address\n0001,A,B\n'), 2024);
    expect(err.findings[0].code).toBe('CSC305');
    expect(err.message).toMatch(/^contacts\.csv: the columns are not those of any SSDA903 table — closest is \w+ .*which also needs .*; not expected: NAME, ADDRESS — nothing loaded/);
  });
});

// ---------------------------------------------------------------------------------------------
// Files that are empty, damaged or mis-shaped

describe('awkward files', () => {
  test('an empty file is refused with a clear finding, no crash', async () => {
    const err = await rejection(file('empty/episodes.csv', ''), 2024);
    expect(err.findings).toEqual([{
      ruleset: 'file', code: 'CSC304', severity: 'error', file: 'episodes.csv', row: null, section: null, field: null, value: null, childId: null,
      message: 'episodes.csv: the file is empty (no header line, no rows) — nothing loaded',
    }]);
    expect((await rejection(file('blank/episodes.csv', '\uFEFF\n\n  \n'), 2024)).findings[0].code).toBe('CSC304');
  });

  test('a header and no rows is an empty table, not an error', async () => {
    const r = await read(file('headeronly/episodes.csv', `${EPISODES_HEADER}\n`), 2024);
    expect(r.rows).toEqual({});
    expect(r.findings).toEqual([]);
    expect(r.summary.parts).toEqual(['episodes']);
  });

  test('rows with the wrong number of fields are not loaded; the others are, with their own line numbers', async () => {
    const path = file('fields/episodes.csv', [
      EPISODES_HEADER,
      '0001,01/04/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
      '0002,01/04/2024,S,C2,N1,U4,PR1,,,AB1 2CD,AB3 4EF,SC123456', // one field short
      '',
      '0003,01/04/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456,', // a trailing comma: an empty extra field is harmless
      '0004,01/04/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456,extra',
    ].join('\n') + '\n');
    const r = await read(path, 2024);
    expect(r.lines.lac_episodes).toEqual([2, 5]);
    expect(r.rows.lac_episodes!.map((e) => e.child_id)).toEqual(['0001', '0003']);
    expect(r.findings.map((f) => [f.code, f.severity, f.row, f.childId, f.message])).toEqual([
      ['CSC302', 'error', 3, '0002', 'episodes.csv line 3: 12 fields where the header (line 1) has 13 — row not loaded (CSC302)'],
      ['CSC302', 'error', 6, '0004', 'episodes.csv line 6: 14 fields where the header (line 1) has 13 — row not loaded (CSC302)'],
    ]);
  });

  test('errors leave the row out, warnings load it; messages say file, line, field, value, rule and what happened', async () => {
    const path = file('rules/episodes.csv', [
      EPISODES_HEADER,
      '0001,12/03/2024,S,C2,N1,U4,PR1,03/02/2024,E13,,AB1 2CD,AB3 4EF,SC123456',
      ',01/04/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
      '0003,32/13/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
      '0004,01/04/2024,S,ZZ,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
    ].join('\n') + '\n');
    const r = await read(path, 2024);
    expect(r.rows.lac_episodes!.map((e) => [e.child_id, e.legal_status])).toEqual([['0001', 'C2'], ['0004', 'ZZ']]);
    expect(r.findings.map((f) => f.message)).toEqual([
      'episodes.csv line 2: DEC 03/02/2024 is before DECOM 12/03/2024 (rule 356: The date the episode ceased is before the date the same episode started) — loaded, flagged',
      'episodes.csv line 3: CHILD is blank (CSC301) — row not loaded',
      'episodes.csv line 4: DECOM 32/13/2024 is not a date (rule 141: Date episode began is not a valid date) — row not loaded',
      'episodes.csv line 5: LS ZZ is not a valid code (rule 144: The legal status code is not a valid code) — loaded, flagged',
    ]);
    expect(r.findings.map((f) => [f.row, f.field, f.value, f.childId])).toEqual([
      [2, 'DEC', '03/02/2024', '0001'], [3, 'CHILD', null, null], [4, 'DECOM', '32/13/2024', '0003'], [5, 'LS', 'ZZ', '0004'],
    ]);
  });

  test('a byte-order mark and Windows line endings', async () => {
    const path = file('bom/uasc.csv', '\uFEFFCHILD,SEX,DOB,DUC\r\n0002,1,28/02/2007,27/02/2025\r\n0009,2,01/01/2008,\r\n');
    const r = await read(path, 2024);
    expect(r.summary.parts).toEqual(['uasc']);
    expect(r.rows.uasc).toEqual([row('uasc', { child_id: '0002', date_uasc_ceased: '2025-02-27' }), row('uasc', { child_id: '0009' })]);
    expect(r.lines.uasc).toEqual([2, 3]);
  });

  test('a quoted field running over two lines keeps the line numbers of the rows after it right', async () => {
    const path = file('quoted/reviews.csv', 'CHILD,DOB,REVIEW,REVIEW_CODE\n"0001",15/05/2010,01/09/2024,"PN1\n"\n0002,28/02/2007,01/10/2024,PN9\n');
    const r = await read(path, 2024);
    expect(r.lines.lac_reviews).toEqual([2, 4]);
    expect(r.findings.map((f) => [f.code, f.row])).toEqual([['167', 4]]);
  });

  test('a damaged file (a quote never closed) is refused, saying where', async () => {
    const err = await rejection(file('damaged/reviews.csv', 'CHILD,DOB,REVIEW,REVIEW_CODE\n0001,15/05/2010,01/09/2024,PN1\n"0002,28/02/2007,01/10/2024,PN1\n'), 2024);
    expect(err.findings.map((f) => [f.code, f.severity])).toEqual([['CSC303', 'error']]);
    expect(err.message).toMatch(/^reviews\.csv line \d+: the CSV cannot be read from here \(.*\) — nothing loaded \(CSC303\)$/);
  });

  test('OC2 with no year anywhere (no --year, no year in the folder name, no episodes table beside it) is refused', async () => {
    const path = file('noyear/oc2.csv', `${SSDA903_COLUMNS.oc2.join(',')}\n0001,15/05/2010,12,,0,,1,1,1,0,,\n`);
    const err = await rejection(path);
    expect(err.findings[0].code).toBe('CSC307');
    expect(err.message).toContain('the collection year is not known');
    // Any other table loads, and says which checks against the year it could not make.
    const r = await read(file('noyear/episodes.csv', `${EPISODES_HEADER}\n`));
    expect(r.findings.map((f) => f.message)).toEqual([
      'episodes.csv: collection year not known, so rules 354, 385 (dates against the year) were not checked — give the year (--year, or a folder named like 2024-25) (CSC307)',
    ]);
  });
});
