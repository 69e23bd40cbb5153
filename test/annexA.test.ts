// Annex A both ways: the writer's workbook read back by the reader, the writer's workbook checked by exceljs
// alone, byte-identical output, the real sample (../shared/external-samples/annex-a/Annex_A.xlsx, a fake
// workbook from SocialFinanceDigitalLabs/liia-tools, MIT), lenient headings, CSV lists and refused files.
// Every other fixture is built by hand in this file: a tiny synthetic authority (asAt 2025-03-31, so the
// 6-month period is 2024-10-01..2025-03-31), small workbooks made with exceljs, and hand-made zip archives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TABLE_NAMES, emptyRow, type Row, type TableName } from '../src/model.ts';
import type { SyntheticLA } from '../src/synth/types.ts';
import { ANNEX_A_HEADINGS, ANNEX_A_LISTS, writeAnnexA } from '../src/synth/writeAnnexA.ts';
import { readAnnexA } from '../src/ingest/annexA.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import type { FileSummary, Finding } from '../src/ingest/types.ts';

const SAMPLE = join(import.meta.dirname, '../../shared/external-samples/annex-a/Annex_A.xlsx');
const dir = mkdtempSync(join(tmpdir(), 'csc-annexa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => { vi.useRealTimers(); });

const AS_AT = '2025-03-31';

function row<T extends TableName>(table: T, values: Partial<Row<T>>): Row<T> {
  return { ...emptyRow(table), ...values };
}

/** The tiny authority: children C1–C7, each chosen to land in (or out of) particular lists. */
function fixture(): SyntheticLA {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as SyntheticLA['tables'];
  tables.children = [
    row('children', { child_id: 'C1', dob: '2015-05-01', sex: 'F', ethnicity: 'WBRI', disabled: false }),
    row('children', { child_id: 'C2', dob: '2012-02-10', sex: 'M', ethnicity: 'APKN', disabled: true }),
    row('children', { child_id: 'C3', dob: '2008-07-20', sex: 'M', ethnicity: 'MWBC', disabled: false, uasc: true }),
    row('children', { child_id: 'C4', dob: '2005-01-15', sex: 'F', ethnicity: 'WBRI', disabled: false }),
    row('children', { child_id: 'C5', dob: '2021-03-03', sex: 'F', ethnicity: 'BAFR', disabled: false, uasc: false }),
    row('children', { child_id: 'C6', dob: '2010-09-09', sex: 'U', ethnicity: 'NOBT', disabled: false }),
    row('children', { child_id: 'C7', dob: '2016-04-04', sex: 'M', ethnicity: 'WBRI', disabled: false, uasc: false }),
  ];
  tables.contacts = [
    row('contacts', { contact_id: 'K1', child_id: 'C1', received_at: '2024-11-05T09:30:00', source: '6', outcome: 'referral' }),
    row('contacts', { contact_id: 'K2', child_id: 'C2', received_at: '2025-01-10T14:00:00', source: '2A', outcome: 'nfa' }),
    row('contacts', { contact_id: 'K3', child_id: 'C1', received_at: '2024-11-05T15:00:00', source: '3A' }),
    row('contacts', { contact_id: 'K4', child_id: 'C6', received_at: '2024-06-01T10:00:00', source: '8' }), // before the period
  ];
  tables.early_help = [
    row('early_help', { child_id: 'C1', start_date: '2024-10-15', completion_date: '2024-11-20', organisation: 'Early Help Locality 1' }),
    row('early_help', { child_id: 'C6', start_date: '2024-05-01', completion_date: '2024-06-01', organisation: 'School' }), // before
  ];
  tables.referrals = [
    row('referrals', { child_id: 'C1', referral_date: '2024-11-06', source: '6', nfa: false, primary_need: 'N1', team: 'Locality 1', worker: 'Alex Smith' }),
    row('referrals', { child_id: 'C1', referral_date: '2024-01-10', source: '2A', nfa: false, primary_need: 'N4', closure_date: '2024-03-01', closure_reason: 'RC8' }),
    row('referrals', { child_id: 'C2', referral_date: '2023-05-01', source: '3A', nfa: false, primary_need: 'N2', team: 'Disabilities', worker: 'Bo Lee' }),
    row('referrals', { child_id: 'C3', referral_date: '2024-12-02', source: '5A', nfa: true, primary_need: 'N1', closure_date: '2024-12-02', closure_reason: 'RC8', team: 'Front Door', worker: 'Cy Ng' }),
  ];
  tables.assessments = [
    row('assessments', { child_id: 'C1', start_date: '2024-11-07', child_seen: true, authorisation_date: '2024-12-20', needs_support: true, team: 'Locality 1', worker: 'Alex Smith' }),
    row('assessments', { child_id: 'C2', start_date: '2025-03-01', child_seen: false, team: 'Disabilities', worker: 'Bo Lee' }),
    row('assessments', { child_id: 'C6', start_date: '2024-01-01', child_seen: true, authorisation_date: '2024-02-01', needs_support: false }), // before
  ];
  tables.section47 = [
    row('section47', { child_id: 'C1', start_date: '2024-11-08', icpc_not_required: false, icpc_date: '2024-11-25', icpc_plan: true, team: 'Locality 1', worker: 'Alex Smith' }),
    row('section47', { child_id: 'C1', start_date: '2024-03-01', icpc_not_required: false, icpc_date: '2024-03-20', icpc_plan: true }), // before
  ];
  tables.cp_plans = [
    row('cp_plans', { child_id: 'C1', start_date: '2024-11-25', initial_category: 'NEG', latest_category: 'EMO', previous_plans: 1, team: 'Locality 1', worker: 'Alex Smith' }),
    row('cp_plans', { child_id: 'C1', start_date: '2024-03-20', end_date: '2024-09-01', initial_category: 'PHY', latest_category: 'PHY', previous_plans: 0 }), // before
  ];
  tables.cp_reviews = [row('cp_reviews', { child_id: 'C1', plan_start_date: '2024-11-25', review_date: '2025-02-20' })];
  tables.visits = [
    row('visits', { child_id: 'C1', visit_date: '2025-02-10', visit_type: 'CP', seen_alone: false }),
    row('visits', { child_id: 'C1', visit_date: '2025-03-20', visit_type: 'CP', seen_alone: true }),
    row('visits', { child_id: 'C2', visit_date: '2025-03-05', visit_type: 'CIN' }),
    row('visits', { child_id: 'C3', visit_date: '2025-03-01', visit_type: 'LAC' }),
    row('visits', { child_id: 'C5', visit_date: '2025-03-10', visit_type: 'LAC' }),
    row('visits', { child_id: 'C7', visit_date: '2025-02-15', visit_type: 'LAC' }),
  ];
  tables.lac_episodes = [
    // C3: S20 in foster care, then a care order in the same placement (RNE L), then a move (RNE P)
    row('lac_episodes', { child_id: 'C3', decom: '2023-06-01', rne: 'S', legal_status: 'V2', category_of_need: 'N1', placement_type: 'U4', placement_provider: 'PR1', placement_postcode: 'AB1 2CD', dec: '2024-08-01', reason_ceased: 'X1' }),
    row('lac_episodes', { child_id: 'C3', decom: '2024-08-01', rne: 'L', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U4', placement_provider: 'PR1', placement_postcode: 'AB1 2CD', dec: '2024-12-15', reason_ceased: 'X1' }),
    row('lac_episodes', { child_id: 'C3', decom: '2024-12-15', rne: 'P', legal_status: 'C2', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR4', placement_postcode: 'XY9 8ZZ', urn: 'SC123456' }),
    row('lac_episodes', { child_id: 'C5', decom: '2023-12-01', rne: 'S', legal_status: 'E1', category_of_need: 'N1', placement_type: 'U4', placement_provider: 'PR1', placement_postcode: 'M1 1AA' }),
    row('lac_episodes', { child_id: 'C7', decom: '2025-02-01', rne: 'S', legal_status: 'C1', category_of_need: 'N2', placement_type: 'U3', placement_provider: 'PR1', placement_postcode: 'LS1 4AB', dec: '2025-03-20', reason_ceased: 'E13' }),
  ];
  tables.lac_reviews = [row('lac_reviews', { child_id: 'C3', review_date: '2025-01-10' })];
  tables.health_assessments = [
    row('health_assessments', { child_id: 'C3', assessment_date: '2023-06-20', kind: 'initial' }),
    row('health_assessments', { child_id: 'C3', assessment_date: '2024-06-10', kind: 'review' }),
    row('health_assessments', { child_id: 'C3', assessment_date: '2024-09-01', kind: 'dental' }),
    row('health_assessments', { child_id: 'C7', assessment_date: '2025-02-20', kind: 'initial' }),
  ];
  tables.missing_episodes = [row('missing_episodes', { child_id: 'C3', missing_type: 'M', start_date: '2025-01-05', end_date: '2025-01-06' })];
  tables.care_leavers = [
    row('care_leavers', { child_id: 'C4', collection_year: 2023, in_touch: 'NO', activity: 'G5', accommodation: 'B2', accommodation_suitable: false }),
    row('care_leavers', { child_id: 'C4', collection_year: 2024, in_touch: 'YES', activity: 'F2', accommodation: 'U1', accommodation_suitable: true, eligibility: 'former_relevant' }),
  ];
  tables.adoptions = [
    row('adoptions', { child_id: 'C5', decision_date: '2024-06-01', placement_order_date: '2024-09-01', matched_date: '2025-01-10', placed_date: '2025-02-01' }),
    row('adoptions', { child_id: 'C6', decision_date: '2022-01-01', placement_order_date: '2022-03-01', placed_date: '2022-06-01', adoption_order_date: '2023-01-01' }), // concluded before
  ];
  return {
    options: { population: 7, years: 2, end: AS_AT, seed: 1, teams: 1, workersPerTeam: 1, faultRate: 0, laCode: '999', laName: 'Test' },
    start: '2023-04-01',
    tables,
    faults: [],
  };
}

interface Read {
  rows: { [T in TableName]?: Row<T>[] };
  findings: Finding[];
  summary: FileSummary;
}

async function read(path: string): Promise<Read> {
  const rows: Read['rows'] = {};
  const findings: Finding[] = [];
  const summary = await readAnnexA(path, {
    add(table, r) { ((rows[table] ??= []) as Row<typeof table>[]).push(r); },
    finding(f) { findings.push(f); },
  });
  return { rows, findings, summary };
}

function pick<T extends object>(rows: T[] | undefined, fields: (keyof T)[]): Partial<T>[] {
  const picked = (rows ?? []).map((r) => Object.fromEntries(fields.map((k) => [k, r[k]])) as Partial<T>);
  return picked.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const codes = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.section ?? ''} ${f.row ?? ''} ${f.field ?? ''}`.trim());

async function rejection(path: string): Promise<FileRejected> {
  try {
    await read(path);
  } catch (err) {
    if (err instanceof FileRejected) return err;
    throw err;
  }
  throw new Error(`${path} was not rejected`);
}

describe('writeAnnexA → readAnnexA round trip', async () => {
  const path = join(dir, 'Annex_A_2025-03-31.xlsx');
  const counts = await writeAnnexA(fixture(), AS_AT, path);
  const got = await read(path);

  it('writes each list with the records of the 6 months to asAt', () => {
    expect(counts).toEqual({
      'List 1': 3, 'List 2': 1, 'List 3': 2, 'List 4': 2, 'List 5': 1, 'List 6': 3, 'List 7': 1, 'List 8': 3, 'List 9': 1,
      'List 10': 1, 'List 11': 0,
    });
  });

  it('reads its own workbook without findings and dates the period from the file name', () => {
    expect(got.findings).toEqual([]);
    expect(got.summary.parts).toEqual(ANNEX_A_LISTS);
    expect(got.summary.periodStart).toBe('2024-10-01');
    expect(got.summary.periodEnd).toBe('2025-03-31');
  });

  it('List 1: contacts by child, day and source; a second contact of the child that day gets its own id', () => {
    expect(pick(got.rows.contacts, ['contact_id', 'child_id', 'received_at', 'source', 'outcome'])).toEqual(pick([
      { contact_id: 'C1:2024-11-05', child_id: 'C1', received_at: '2024-11-05T00:00:00', source: '6', outcome: null },
      { contact_id: 'C1:2024-11-05:2', child_id: 'C1', received_at: '2024-11-05T00:00:00', source: '3A', outcome: null },
      { contact_id: 'C2:2025-01-10', child_id: 'C2', received_at: '2025-01-10T00:00:00', source: '2A', outcome: null },
    ], ['contact_id', 'child_id', 'received_at', 'source', 'outcome']));
  });

  it('List 2: early help assessments', () => {
    expect(pick(got.rows.early_help, ['child_id', 'start_date', 'completion_date', 'organisation'])).toEqual([
      { child_id: 'C1', start_date: '2024-10-15', completion_date: '2024-11-20', organisation: 'Early Help Locality 1' },
    ]);
  });

  it('Lists 3 and 6: one referral row each, List 3 giving source and NFA, List 6 need and closure', () => {
    const fields: (keyof Row<'referrals'>)[] = ['child_id', 'referral_date', 'source', 'nfa', 'primary_need', 'closure_date', 'closure_reason', 'team', 'worker'];
    expect(pick(got.rows.referrals, fields)).toEqual(pick([
      { child_id: 'C1', referral_date: '2024-11-06', source: '6', nfa: false, primary_need: 'N1', closure_date: null, closure_reason: null, team: 'Locality 1', worker: 'Alex Smith' },
      // open since 2023: in List 6 only, so its source and NFA are not in Annex A
      { child_id: 'C2', referral_date: '2023-05-01', source: null, nfa: null, primary_need: 'N2', closure_date: null, closure_reason: null, team: 'Disabilities', worker: 'Bo Lee' },
      { child_id: 'C3', referral_date: '2024-12-02', source: '5A', nfa: true, primary_need: 'N1', closure_date: '2024-12-02', closure_reason: 'RC8', team: 'Front Door', worker: 'Cy Ng' },
    ], fields));
  });

  it('List 4: assessments, including one still open at asAt', () => {
    const fields: (keyof Row<'assessments'>)[] = ['child_id', 'start_date', 'child_seen', 'authorisation_date', 'needs_support', 'team', 'worker'];
    expect(pick(got.rows.assessments, fields)).toEqual(pick(fixture().tables.assessments.filter((a) => a.child_id !== 'C6'), fields));
  });

  it('List 5: Section 47 enquiries with their ICPC', () => {
    const fields: (keyof Row<'section47'>)[] = ['child_id', 'start_date', 'icpc_not_required', 'icpc_date', 'icpc_plan', 'team', 'worker'];
    expect(pick(got.rows.section47, fields)).toEqual(pick(fixture().tables.section47.slice(0, 1), fields));
  });

  it('List 7: the CP plan open in the period, its last visit and latest review', () => {
    const fields: (keyof Row<'cp_plans'>)[] = ['child_id', 'start_date', 'end_date', 'initial_category', 'latest_category', 'previous_plans', 'team', 'worker'];
    expect(pick(got.rows.cp_plans, fields)).toEqual(pick(fixture().tables.cp_plans.slice(0, 1), fields));
    expect(pick(got.rows.cp_reviews, ['child_id', 'plan_start_date', 'review_date'])).toEqual([{ child_id: 'C1', plan_start_date: '2024-11-25', review_date: '2025-02-20' }]);
  });

  it('visits: the latest of each kind; a CIN "last seen" that is a CP visit is not counted twice', () => {
    expect(pick(got.rows.visits, ['child_id', 'visit_date', 'visit_type', 'seen_alone'])).toEqual(pick([
      { child_id: 'C1', visit_date: '2025-03-20', visit_type: 'CP', seen_alone: true },
      { child_id: 'C2', visit_date: '2025-03-05', visit_type: 'CIN', seen_alone: null },
      { child_id: 'C3', visit_date: '2025-03-01', visit_type: 'LAC', seen_alone: null },
      { child_id: 'C5', visit_date: '2025-03-10', visit_type: 'LAC', seen_alone: null },
      { child_id: 'C7', visit_date: '2025-02-15', visit_type: 'LAC', seen_alone: null },
    ], ['child_id', 'visit_date', 'visit_type', 'seen_alone']));
  });

  it('List 8: the current episode of each child, its start being the later of placement and legal status', () => {
    const fields: (keyof Row<'lac_episodes'>)[] = [
      'child_id', 'decom', 'rne', 'legal_status', 'category_of_need', 'placement_type', 'placement_provider', 'placement_postcode', 'urn', 'dec', 'reason_ceased',
    ];
    const episodes = fixture().tables.lac_episodes;
    expect(pick(got.rows.lac_episodes, fields)).toEqual(pick([
      { ...episodes[2], rne: null }, // a change of placement: Annex A cannot tell P from B
      episodes[3],
      episodes[4],
    ], fields));
    expect(pick(got.rows.lac_reviews, ['child_id', 'review_date'])).toEqual([{ child_id: 'C3', review_date: '2025-01-10' }]);
    expect(pick(got.rows.health_assessments, ['child_id', 'assessment_date', 'kind'])).toEqual(pick([
      { child_id: 'C3', assessment_date: '2024-06-10', kind: 'review' },
      { child_id: 'C3', assessment_date: '2024-09-01', kind: 'dental' },
      { child_id: 'C7', assessment_date: '2025-02-20', kind: 'initial' },
    ], ['child_id', 'assessment_date', 'kind']));
  });

  it('List 9: the care leaver\'s latest record, for the reporting year of asAt', () => {
    const fields: (keyof Row<'care_leavers'>)[] = ['child_id', 'collection_year', 'in_touch', 'activity', 'accommodation', 'accommodation_suitable', 'eligibility'];
    expect(pick(got.rows.care_leavers, fields)).toEqual(pick([fixture().tables.care_leavers[1]], fields));
  });

  it('List 10: adoption decisions not concluded before the period', () => {
    const fields: (keyof Row<'adoptions'>)[] = ['child_id', 'decision_date', 'placement_order_date', 'matched_date', 'placed_date', 'adoption_order_date', 'decision_reversed_date'];
    expect(pick(got.rows.adoptions, fields)).toEqual(pick([fixture().tables.adoptions[0]], fields));
  });

  it('children: one row per child, from whichever lists they are in', () => {
    const fields: (keyof Row<'children'>)[] = ['child_id', 'dob', 'sex', 'ethnicity', 'disabled'];
    const inLists = fixture().tables.children.filter((c) => c.child_id !== 'C6');
    expect(pick(got.rows.children, fields)).toEqual(pick(inLists, fields));
    const uasc = Object.fromEntries((got.rows.children ?? []).map((c) => [c.child_id, c.uasc]));
    expect(uasc).toMatchObject({ C3: true, C5: false, C7: false }); // List 8 carries UASC
  });
});

describe('the written workbook, read by exceljs alone', async () => {
  const path = join(dir, 'independent.xlsx');
  const counts = await writeAnnexA(fixture(), AS_AT, path);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sample = new ExcelJS.Workbook();
  await sample.xlsx.readFile(SAMPLE);
  const headingsOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

  it('has the sheets List 1 … List 11 in order, each headed exactly like the sample workbook', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(sample.worksheets.map((w) => w.name));
    for (const ws of wb.worksheets) {
      expect(headingsOf(ws), ws.name).toEqual(headingsOf(sample.getWorksheet(ws.name)!));
      expect(headingsOf(ws)).toEqual(ANNEX_A_HEADINGS[ws.name]);
    }
  });

  it('has as many rows under the headings as the writer says', () => {
    for (const ws of wb.worksheets) expect(ws.actualRowCount - 1, ws.name).toBe(counts[ws.name]);
  });

  it('writes coded values with their option letters and dates as real dates', () => {
    const l1 = wb.getWorksheet('List 1')!;
    expect(l1.getRow(2).values).toEqual([
      undefined, 'C1', 'b) Female', 'a) WBRI', new Date('2015-05-01T00:00:00Z'), 9, new Date('2024-11-05T00:00:00Z'), 'q) 6: Police',
    ]);
    expect(l1.getCell('F2').numFmt).toBe('dd/mm/yyyy');
    const l8 = wb.getWorksheet('List 8')!;
    const c3 = l8.getColumn(1).values.indexOf('C3');
    expect(l8.getRow(c3).getCell(12).value).toBe('C2: FCO');
    expect(l8.getRow(c3).getCell(23).value).toBe('f) U6: Foster placement with other foster carer: not long term or FFA');
    expect(l8.getRow(c3).getCell(24).value).toBe('e) PR4 - Private provision');
    expect(l8.getRow(c3).getCell(19).value).toBe(2); // placements in the last 12 months: U4 (S20 then care order), U6
  });

  it('stamps the document with asAt, not the time it was written', () => {
    expect(wb.creator).toBe('CSC Scorecard');
    expect(wb.created).toEqual(new Date('2025-03-31T00:00:00Z'));
    expect(wb.modified).toEqual(new Date('2025-03-31T00:00:00Z'));
  });
});

describe('determinism', () => {
  it('the same authority and date give a byte-identical file, whenever it is written', async () => {
    const a = join(dir, 'a.xlsx');
    const b = join(dir, 'b.xlsx');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T08:00:00Z'));
    await writeAnnexA(fixture(), AS_AT, a);
    vi.setSystemTime(new Date('2031-06-15T17:43:21Z'));
    await writeAnnexA(fixture(), AS_AT, b);
    vi.useRealTimers();
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const c = join(dir, 'c.xlsx');
    await writeAnnexA(fixture(), '2025-02-28', c);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });
});

describe('the real sample workbook', async () => {
  const got = await read(SAMPLE);

  it('reads every list and reports what is wrong, row by row', () => {
    expect(got.summary.parts).toEqual(ANNEX_A_LISTS);
    expect(got.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const c = codes(got.findings);
    expect(c).toContain('CSC412 List 1 3 Date of Birth'); // 11973218 has no date of birth
    expect(c).toContain('CSC415 List 6 2 Primary Need Code'); // 'PSRMEM - Support with memory and cognition'
    expect(c).toContain('CSC417 List 8 3 Placement postcode'); // 'nope'
    expect(c).toContain('CSC412 List 8 4 Ethnicity');
    expect(c).toContain('CSC405 List 11');
    const na = got.findings.filter((f) => f.code === 'CSC413');
    expect(na.map((f) => `${f.row} ${f.field} ${f.value}`)).toEqual([2, 3, 4, 5, 6].flatMap((r) => [`${r} Allocated Team #N/A`, `${r} Allocated Worker #N/A`]));
    const postcode = got.findings.find((f) => f.code === 'CSC417')!;
    expect(postcode).toMatchObject({ file: 'Annex_A.xlsx', section: 'List 8', row: 3, value: 'nope', childId: '1373595', severity: 'warning' });
    expect(postcode.message).toBe("Annex_A.xlsx List 8 row 3: 'nope' in 'Placement postcode' is not a UK postcode (CSC417: invalid postcode) — loaded with this field empty");
    expect(got.findings.find((f) => f.code === 'CSC415' && f.section === 'List 9')?.message).toContain('code F3');
    // the fake workbook reuses List 9's child IDs in List 10 with other details
    expect(got.findings.find((f) => f.code === 'CSC419' && f.childId === '7961370' && f.field === 'dob')?.message).toBe(
      "Annex_A.xlsx List 10 row 2: date of birth 2002-02-13 differs from 2002-08-07 given in List 9 row 2 (CSC419: child's details differ between lists) — the child keeps 2002-08-07; this row is loaded",
    );
  });

  it('maps the List 1 headings, and says so', () => {
    expect(got.summary.columnMap?.['List 1']).toEqual({
      'Child Unique ID': 'children.child_id', Gender: 'children.sex', Ethnicity: 'children.ethnicity', 'Date of Birth': 'children.dob',
      Age: 'not stored', 'Date of Contact': 'contacts.received_at', 'Contact Source': 'contacts.source',
    });
    expect(got.summary.columnMap?.['List 10']?.['Date of Adoption Order']).toBe('adoptions.adoption_order_date');
    expect(got.findings.filter((f) => f.code === 'CSC401')).toEqual([]);
  });

  it('turns lettered options into codes', () => {
    const contact = got.rows.contacts?.find((c) => c.child_id === '9212044');
    expect(contact).toMatchObject({ contact_id: '9212044:2020-09-16', received_at: '2020-09-16T00:00:00', source: '6', outcome: null });
    expect(got.rows.children?.find((c) => c.child_id === '9212044')).toMatchObject({ sex: 'F', ethnicity: 'WBRI', dob: '2015-01-25' });
    expect(got.rows.children?.find((c) => c.child_id === '6217392')).toMatchObject({ sex: 'M', ethnicity: 'NOBT' });
    const episode = got.rows.lac_episodes?.find((e) => e.child_id === '1761444');
    // placement since 2009-11-02, placement order since 2010-07-12: the current episode starts with the order
    expect(episode).toMatchObject({ decom: '2010-07-12', rne: 'L', legal_status: 'E1', category_of_need: 'N1', placement_type: 'U6', placement_provider: 'PR4', placement_postcode: 'T28 2WB' });
    expect(got.rows.lac_episodes?.find((e) => e.child_id === '3623204')).toMatchObject({ dec: '2020-09-22', reason_ceased: 'E47', placement_type: 'H5' });
    expect(got.rows.referrals?.find((r) => r.child_id === '4653765')).toMatchObject({ source: '3D', nfa: false, team: 'Locality 4 Duty Team' });
    expect(got.rows.cp_plans?.find((p) => p.child_id === '10721552')).toMatchObject({ initial_category: 'PHY', end_date: '2021-02-16' });
    expect(got.rows.care_leavers?.find((c) => c.child_id === '7961370')).toMatchObject({ in_touch: 'YES', activity: 'F1', accommodation: 'Y1', accommodation_suitable: true, eligibility: 'former_relevant', collection_year: 2020 });
    expect(got.rows.adoptions?.find((a) => a.child_id === '7961370')).toMatchObject({ decision_date: '2009-08-11', adoption_order_date: '2009-08-31' });
  });
});

/** Writes a workbook of the given sheets (name → rows, first row the headings). */
async function workbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
  }
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('lenient headings', () => {
  it("reads 'Date of referral', 'Age of Child (Years)', 'CHILD ID' and friends, below a title row, and lists what it did not use", async () => {
    const path = await workbook('lenient.xlsx', {
      'list_3 referrals': [
        ['Annex A List 3: referrals in the last six months'],
        ['CHILD ID', 'gender', 'ETHNICITY', 'date of birth', 'Age of Child (Years)', 'Date of referral', 'Source of referral', 'Referral NFA', 'Team', 'Favourite colour'],
        ['0042', 'Female', 'White British', '03/04/2015', 9, '16/09/2024', '6: Police', 'N', 'Duty', 'blue'],
        [77, 'a) Male', 'k) APKN', new Date('2012-01-02T00:00:00Z'), 12, new Date('2024-10-01T00:00:00Z'), 'zz', 'maybe', 'Duty', ''],
      ],
    });
    const got = await read(path);
    expect(got.summary.columnMap?.['List 3']).toEqual({
      'CHILD ID': 'children.child_id', gender: 'children.sex', ETHNICITY: 'children.ethnicity', 'date of birth': 'children.dob',
      'Age of Child (Years)': 'not stored', 'Date of referral': 'referrals.referral_date', 'Source of referral': 'referrals.source',
      'Referral NFA': 'referrals.nfa', Team: 'referrals.team',
    });
    expect(pick(got.rows.referrals, ['child_id', 'referral_date', 'source', 'nfa', 'team'])).toEqual([
      { child_id: '0042', referral_date: '2024-09-16', source: '6', nfa: false, team: 'Duty' },
      { child_id: '77', referral_date: '2024-10-01', source: null, nfa: null, team: 'Duty' },
    ]);
    expect(pick(got.rows.children, ['child_id', 'sex', 'ethnicity', 'dob'])).toEqual([
      { child_id: '0042', sex: 'F', ethnicity: 'WBRI', dob: '2015-04-03' },
      { child_id: '77', sex: 'M', ethnicity: 'APKN', dob: '2012-01-02' },
    ]);
    expect(codes(got.findings)).toEqual([
      ...[1, 2, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => `CSC404 List ${n}`),
      'CSC401 List 3 2',
      'CSC415 List 3 4 Source of referral',
      'CSC415 List 3 4 Referral NFA',
    ]);
    expect(got.findings.find((f) => f.code === 'CSC401')!.message).toBe(
      "lenient.xlsx List 3 row 2: 1 heading not recognised: 'Favourite colour' (CSC401: headings not used) — those columns were not read",
    );
    expect(got.findings.find((f) => f.code === 'CSC404')!.message).toContain("no sheet 'List 1'");
  });
});

describe('workbooks with lists missing or broken', () => {
  it('a missing sheet is named in a warning and the other lists load', async () => {
    const sheets: Record<string, unknown[][]> = Object.fromEntries(ANNEX_A_LISTS.filter((l) => l !== 'List 5').map((l) => [l, [[...ANNEX_A_HEADINGS[l]]]]));
    sheets['List 1'].push(['C9', 'a) Male', 'a) WBRI', new Date('2019-01-01T00:00:00Z'), 6, new Date('2025-01-02T00:00:00Z'), 'q) 6: Police']);
    const got = await read(await workbook('no-list-5.xlsx', sheets));
    expect(got.findings.map((f) => f.message)).toEqual([
      "no-list-5.xlsx List 5: the workbook has no sheet 'List 5' (Section 47 enquiries) (CSC404: list missing from the workbook) — the other lists are loaded",
    ]);
    expect(got.summary.parts).toEqual(ANNEX_A_LISTS.filter((l) => l !== 'List 5'));
    expect(got.rows.contacts?.map((c) => c.contact_id)).toEqual(['C9:2025-01-02']);
  });

  it('a sheet without its key date column is refused and the other sheets still load', async () => {
    const got = await read(await workbook('no-key.xlsx', {
      'List 1': [['Child Unique ID', 'Gender', 'Contact Source'], ['C1', 'Male', 'Police']],
      'List 3': [['Child ID', 'Date of Referral'], ['C2', '01/02/2025'], ['', '02/02/2025'], ['C3', 'soon']],
    }));
    const refused = got.findings.find((f) => f.code === 'CSC402')!;
    expect(refused).toMatchObject({ severity: 'error', section: 'List 1', row: 1, field: 'Date of Contact' });
    expect(refused.message).toBe(
      "no-key.xlsx List 1 row 1: no column for 'Date of Contact' among the headings of List 1 (CSC402: required column missing) — the sheet cannot be read: none of its 1 rows loaded",
    );
    expect(got.rows.contacts).toBeUndefined();
    expect(got.rows.referrals?.map((r) => r.child_id)).toEqual(['C2']);
    expect(got.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([
      refused.message,
      "no-key.xlsx List 3 row 3: the child ID is blank (CSC410: child ID missing) — row not loaded",
      "no-key.xlsx List 3 row 4: 'soon' in 'Date of Referral' is not a date in the key column 'Date of Referral' (CSC411: key date missing or unreadable) — row not loaded",
    ]);
  });

  it('dates out of order and unreadable dates are flagged and the rows load', async () => {
    const got = await read(await workbook('order.xlsx', {
      'List 7': [
        ['Child Unique ID', 'Child Protection Plan Start Date', 'Child Protection Plan End Date', 'Date of latest review conference', 'Number of Previous Child Protection Plans'],
        ['C1', '10/01/2025', '01/01/2025', '31/02/2025', 'two'],
      ],
    }));
    expect(codes(got.findings.filter((f) => f.code !== 'CSC404'))).toEqual([
      'CSC414 List 7 2 Date of latest review conference',
      'CSC416 List 7 2 Number of Previous Child Protection Plans',
      'CSC418 List 7 2 Child Protection Plan End Date',
    ]);
    expect(got.rows.cp_plans).toMatchObject([{ child_id: 'C1', start_date: '2025-01-10', end_date: '2025-01-01', previous_plans: null }]);
    expect(got.rows.cp_reviews).toBeUndefined();
  });

  it('sheets that are not lists, or a second sheet for a list, are named and not read', async () => {
    const got = await read(await workbook('extra.xlsx', {
      Guidance: [['How to fill in Annex A']],
      'List 1': [[...ANNEX_A_HEADINGS['List 1']], ['C1', 'Male', 'WBRI', '01/01/2015', 10, '02/01/2025', 'Police']],
      'List 1 (old)': [[...ANNEX_A_HEADINGS['List 1']], ['C2', 'Male', 'WBRI', '01/01/2015', 10, '02/01/2024', 'Police']],
    }));
    expect(got.findings.filter((f) => f.code === 'CSC406').map((f) => f.message)).toEqual([
      "extra.xlsx List 1 (old): sheet 'List 1 (old)' is a second sheet for List 1 (after 'List 1') (CSC406: sheet not read) — not read",
      "extra.xlsx Guidance: sheet 'Guidance' is not an Annex A list (CSC406: sheet not read) — not read",
    ]);
    expect(got.rows.contacts?.map((c) => c.contact_id)).toEqual(['C1:2025-01-02']);
  });

  it('a workbook without any List sheet is refused', async () => {
    const err = await rejection(await workbook('not-annex-a.xlsx', { Sheet1: [['a', 'b'], [1, 2]], Summary: [['x']] }));
    expect(err.findings).toHaveLength(1);
    expect(err.findings[0]).toMatchObject({ code: 'CSC403', severity: 'error', file: 'not-annex-a.xlsx' });
    expect(err.message).toBe(
      "not-annex-a.xlsx: no sheet is named 'List 1' … 'List 11' (sheets: 'Sheet1', 'Summary'), so this is not an Annex A workbook (CSC403: file cannot be read as Annex A) — nothing loaded",
    );
  });
});

describe('CSV lists', () => {
  it("reads one list per CSV, the list told by the file name, rows numbered by line", async () => {
    const path = join(dir, 'annex_a_list_3.csv');
    writeFileSync(path, [
      'Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source,Referral NFA?,Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker',
      '0007,b) Female,a) WBRI,01/02/2014,11,03/03/2025,q) 6: Police,No,0,MASH,Dee Ray',
      ',a) Male,a) WBRI,01/02/2014,11,03/03/2025,q) 6: Police,No,0,MASH,Dee Ray',
      '0008,a) Male,a) WBRI,01/02/2014,11,2025-03-04,e) 2A: Schools,Yes,1,MASH,Dee Ray',
    ].join('\r\n'));
    const got = await read(path);
    expect(got.summary.parts).toEqual(['List 3']);
    expect(got.summary.periodEnd).toBe('2025-03-04');
    expect(pick(got.rows.referrals, ['child_id', 'referral_date', 'source', 'nfa'])).toEqual([
      { child_id: '0007', referral_date: '2025-03-03', source: '6', nfa: false },
      { child_id: '0008', referral_date: '2025-03-04', source: '2A', nfa: true },
    ]);
    expect(codes(got.findings)).toEqual(['CSC410 List 3 3 Child Unique ID']);
  });

  it('tells the list from the headings when the file name does not say', async () => {
    const path = join(dir, 'cp plans export.csv');
    writeFileSync(path, [
      'Child ID,Child Protection Plan Start Date,Initial Category of Abuse,Latest Category of Abuse,Child Protection Plan End Date',
      'X1,2025-01-06,Neglect,c) Sexual abuse,',
    ].join('\n'));
    const got = await read(path);
    expect(got.summary.parts).toEqual(['List 7']);
    expect(got.rows.cp_plans).toMatchObject([{ child_id: 'X1', start_date: '2025-01-06', initial_category: 'NEG', latest_category: 'SAB', end_date: null }]);
  });

  it('a CSV that is no list is refused', async () => {
    const path = join(dir, 'misc.csv');
    writeFileSync(path, 'a,b,c\n1,2,3\n');
    expect((await rejection(path)).message).toContain('cannot tell which Annex A list');
  });
});

/** A zip archive built by hand; `declared` overrides an entry's declared uncompressed size. CRCs are left 0. */
function zip(entries: { name: string; data: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const deflated = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(e.declared ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(e.declared ?? e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('files that are refused whole', () => {
  const refuse = async (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const err = await rejection(path);
    expect(err.findings.map((f) => f.code)).toEqual(['CSC403']);
    expect(err.message).not.toMatch(/\n|\bat .*:\d+:\d+/); // one sentence, no stack trace
    return err.message;
  };

  it('an empty file', async () => {
    expect(await refuse('empty.xlsx', '')).toBe('empty.xlsx: the file is empty (CSC403: file cannot be read as Annex A) — nothing loaded');
    expect(await refuse('List 1.csv', '')).toContain('the file is empty');
  });

  it('random bytes named .xlsx', async () => {
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
    expect(await refuse('noise.xlsx', noise)).toBe('noise.xlsx: not an .xlsx workbook (it is not a zip archive) (CSC403: file cannot be read as Annex A) — nothing loaded');
  });

  it('a workbook cut short', async () => {
    const whole = readFileSync(SAMPLE);
    expect(await refuse('cut.xlsx', whole.subarray(0, whole.length / 2))).toContain('damaged or cut short');
  });

  it('a zip that is not a workbook', async () => {
    expect(await refuse('other.xlsx', zip([{ name: 'readme.txt', data: Buffer.from('hello') }]))).toContain('not an Excel workbook');
  });

  it("a zip bomb: a part expanding a thousandfold is refused before it is expanded", async () => {
    const bomb = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100_000);
    expect(await refuse('bomb.xlsx', bomb)).toMatch(/sheet1\.xml would expand \d+ times .* refused as a possible zip bomb/);
  });

  it('a zip whose headers understate what a part expands to', async () => {
    const liar = zip([{ name: 'xl/workbook.xml', data: Buffer.alloc(5 * 1024 * 1024), declared: 1000 }]);
    expect(await refuse('liar.xlsx', liar)).toContain('does not expand to its declared size');
  });

  it('a zip declaring parts of over 4 GB', async () => {
    const huge = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'), declared: 0xffffffff }]);
    expect(await refuse('huge.xlsx', huge)).toContain('over 4 GB');
  });
});
