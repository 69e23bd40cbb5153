// The CIN census both ways: the synthetic authority's writer (src/synth/writeCinCensus.ts) and the streaming
// reader (src/ingest/cinCensus.ts). Fixtures: a small SyntheticLA built here by hand; the sample returns in
// ../shared/external-samples/cin-census (fake data by data-to-insight, MIT); hostile and broken files written
// here; a 50 MB return made by repeating one child, for the memory and speed check.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { readCinCensus } from '../src/ingest/cinCensus.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import type { FileSummary, Finding, RecordSink } from '../src/ingest/types.ts';
import { TABLE_NAMES, emptyRow, type Row, type TableName } from '../src/model.ts';
import type { SyntheticLA, Tables } from '../src/synth/types.ts';
import { writeCinCensus } from '../src/synth/writeCinCensus.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-cin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLES = join(import.meta.dirname, '..', '..', 'shared', 'external-samples', 'cin-census');

// ---- a hand-built synthetic authority ----------------------------------------------------------

function row<T extends TableName>(table: T, values: Partial<Row<T>>): Row<T> {
  return { ...emptyRow(table), ...values };
}

function fixture(): SyntheticLA {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Tables;
  tables.children = [
    row('children', { child_id: '000123', upn: 'A123456789012', dob: '2015-06-01', sex: 'F', ethnicity: 'WBRI', disabilities: 'HAND,HEAR', disabled: true, uasc: false }),
    row('children', { child_id: '0042', dob: '2023-01-10', sex: 'M', ethnicity: 'AOTH', disabilities: '', disabled: false }),
    row('children', { child_id: 'AB&C<7>', dob: '2012-02-29', sex: 'U', ethnicity: 'OOTH' }),
    row('children', { child_id: 'Z9', dob: '2010-01-01', sex: 'F', ethnicity: 'WBRI', disabilities: '', disabled: false }),
    row('children', { child_id: 'Y8', dob: '2011-01-01', sex: 'M', ethnicity: 'WBRI', disabilities: '', disabled: false }),
    row('children', { child_id: 'P1', dob: '2016-01-01', sex: 'M', ethnicity: 'WBRI', disabilities: '', disabled: false }),
    row('children', { child_id: 'G1', dob: '2014-03-03', sex: 'F', ethnicity: 'CHNE', disabilities: 'AUT', disabled: true }),
  ];
  tables.referrals = [
    // closed in 2025-26: in that year's return; open at 31 March 2025 in 2024-25's
    row('referrals', { child_id: '000123', referral_date: '2024-11-01', source: '2A', nfa: false, primary_need: 'N4', closure_date: '2025-04-30', closure_reason: 'RC7', team: 'Team A', worker: 'W1' }),
    row('referrals', { child_id: '000123', referral_date: '2025-05-06', source: '6', nfa: false, primary_need: 'N1', team: 'Team A', worker: 'W1' }),
    row('referrals', { child_id: '0042', referral_date: '2025-09-09', source: '1A', nfa: true, closure_date: '2025-09-09', closure_reason: 'RC8' }),
    row('referrals', { child_id: 'AB&C<7>', referral_date: '2026-01-15', source: '3A', nfa: false, primary_need: 'N2' }),
    row('referrals', { child_id: '0042', referral_date: '2026-04-10', source: '6', nfa: false, primary_need: 'N1' }), // after 31 March 2026
    row('referrals', { child_id: 'Z9', referral_date: '2024-05-01', source: '6', nfa: false, primary_need: 'N1', closure_date: '2025-03-01', closure_reason: 'RC7' }),
    row('referrals', { child_id: 'Y8', referral_date: '2024-06-01', source: '8', nfa: true }), // NFA of 2024-25, never closed
    row('referrals', { child_id: 'G1', referral_date: '2022-06-01', source: '2A', nfa: false, primary_need: 'N5', closure_date: '2022-09-01', closure_reason: 'RC7' }),
  ];
  tables.assessments = [
    row('assessments', { child_id: '000123', referral_date: '2024-11-01', start_date: '2024-11-02', authorisation_date: '2024-12-10', factors: '16A', child_seen: true, needs_support: true }),
    row('assessments', { child_id: '000123', referral_date: '2025-05-06', start_date: '2025-05-07', authorisation_date: '2025-06-20', factors: '3B,4B', child_seen: true, needs_support: true, team: 'Team A', worker: 'W1' }),
    row('assessments', { child_id: 'AB&C<7>', referral_date: '2026-01-15', start_date: '2026-01-16' }),
    row('assessments', { child_id: 'G1', referral_date: '2022-06-01', start_date: '2022-06-02', authorisation_date: '2022-07-01', factors: '21' }),
  ];
  tables.section47 = [
    row('section47', { child_id: '000123', referral_date: '2025-05-06', start_date: '2025-05-08', icpc_target_date: '2025-05-29', icpc_not_required: false, icpc_date: '2025-05-28', icpc_plan: true }),
    row('section47', { child_id: 'AB&C<7>', referral_date: '2026-01-15', start_date: '2026-01-20', icpc_target_date: '2026-02-10', icpc_not_required: true }),
  ];
  tables.cin_plans = [row('cin_plans', { child_id: '000123', referral_date: '2025-05-06', start_date: '2025-06-21', end_date: '2025-09-30' })];
  tables.cp_plans = [
    row('cp_plans', { child_id: '000123', referral_date: '2025-05-06', start_date: '2025-05-28', initial_category: 'NEG', latest_category: 'EMO', previous_plans: 1, team: 'Team A' }),
  ];
  tables.cp_reviews = [
    row('cp_reviews', { child_id: '000123', plan_start_date: '2025-05-28', review_date: '2026-02-25' }),
    row('cp_reviews', { child_id: '000123', plan_start_date: '2025-05-28', review_date: '2025-08-27' }),
    row('cp_reviews', { child_id: '000123', plan_start_date: '2025-05-28', review_date: '2026-04-10' }), // after the census date
  ];
  tables.pre_proceedings = [
    row('pre_proceedings', {
      child_id: '000123', referral_date: '2025-05-06', start_date: '2025-10-01', letter_before_proceedings_date: '2025-10-03', fgdm_offered: true,
      fgdm_facilitated: false, initial_meeting_date: '2025-10-15', review_meetings: 2, decision_date: '2026-01-20', outcome: 'A', court_application_date: '2026-02-02',
    }),
  ];
  return {
    options: { population: 7, years: 4, end: '2026-04-30', seed: 1, teams: 1, workersPerTeam: 1, faultRate: 0, laCode: '999', laName: 'Test' },
    start: '2022-04-01',
    tables,
    faults: [],
  };
}

/** Columns the CIN census does not carry: read back as null. */
const NOT_IN_CENSUS: Partial<Record<TableName, string[]>> = {
  children: ['uasc'], referrals: ['team', 'worker'], assessments: ['child_seen', 'needs_support', 'team', 'worker'],
  section47: ['icpc_plan', 'team', 'worker'], cp_plans: ['team', 'worker'],
};

function asRead<T extends TableName>(table: T, r: Row<T>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const c of NOT_IN_CENSUS[table] ?? []) out[c] = null;
  return out;
}

// ---- reading into memory ---------------------------------------------------------------------

interface Read { summary: FileSummary; rows: Partial<Record<TableName, Record<string, unknown>[]>>; lines: Partial<Record<TableName, (number | null)[]>>; findings: Finding[] }

async function read(path: string): Promise<Read> {
  const rows: Read['rows'] = {};
  const lines: Read['lines'] = {};
  const findings: Finding[] = [];
  const sink: RecordSink = {
    add: (table, r, line) => {
      (rows[table] ?? (rows[table] = [] as Record<string, unknown>[])).push(r as Record<string, unknown>);
      (lines[table] ?? (lines[table] = [] as (number | null)[])).push(line);
    },
    finding: (f) => { findings.push(f); },
  };
  return { summary: await readCinCensus(path, sink), rows, lines, findings };
}

const sorted = (rows: Record<string, unknown>[] | undefined): Record<string, unknown>[] =>
  [...(rows ?? [])].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

// ---- an independent look at the XML: saxes directly, no reader code ---------------------------

// DfE's element order, copied from the CIN census schema (not imported from the writer).
const SCHEMA: Record<string, string[]> = {
  Message: ['Header', 'Children'],
  Header: ['CollectionDetails', 'Source'],
  CollectionDetails: ['Collection', 'Year', 'ReferenceDate'],
  Source: ['SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime'],
  Children: ['Child'],
  Child: ['ChildIdentifiers', 'ChildCharacteristics', 'CINdetails'],
  ChildIdentifiers: ['LAchildID', 'UPN', 'FormerUPN', 'UPNunknown', 'PersonBirthDate', 'ExpectedPersonBirthDate', 'GenderCurrent', 'Sex', 'PersonDeathDate'],
  ChildCharacteristics: ['Ethnicity', 'Disabilities'],
  Disabilities: ['Disability'],
  CINdetails: ['CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure', 'DateOfInitialCPC', 'Assessments', 'CINPlanDates', 'Section47', 'ReferralNFA', 'ChildProtectionPlans', 'PreProceedingsandFGDM'],
  Assessments: ['AssessmentActualStartDate', 'AssessmentInternalReviewDate', 'AssessmentAuthorisationDate', 'FactorsIdentifiedAtAssessment'],
  FactorsIdentifiedAtAssessment: ['AssessmentFactors'],
  CINPlanDates: ['CINPlanStartDate', 'CINPlanEndDate'],
  Section47: ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired'],
  ChildProtectionPlans: ['CPPstartDate', 'CPPendDate', 'InitialCategoryOfAbuse', 'LatestCategoryOfAbuse', 'NumberOfPreviousCPP', 'Reviews'],
  Reviews: ['CPPreviewDate'],
  PreProceedingsandFGDM: ['PPStartDate', 'LBPSentDate', 'FGDMMeetingOffer', 'FGDMMeetingFac', 'InitialPPMeetingDate', 'ReviewMeetingsCount', 'StepDecisionDate', 'PPOutcome', 'CourtAppDate', 'LetterInitCPDate'],
};

interface Walk { counts: Record<string, number>; problems: string[]; texts: Record<string, string[]> }

function walk(xml: string): Walk {
  const parser = new SaxesParser();
  const stack: { name: string; last: number; text: string; kids: number }[] = [];
  const counts: Record<string, number> = {};
  const texts: Record<string, string[]> = {};
  const problems: string[] = [];
  parser.on('opentag', (tag) => {
    counts[tag.name] = (counts[tag.name] ?? 0) + 1;
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.kids++;
      const order = SCHEMA[parent.name];
      const i = order ? order.indexOf(tag.name) : -1;
      if (i < 0) problems.push(`<${tag.name}> is not a child of <${parent.name}>`);
      else if (i < parent.last) problems.push(`<${tag.name}> comes after <${order[parent.last]}> in <${parent.name}>`);
      else parent.last = i;
    } else if (tag.name !== 'Message') problems.push(`root is <${tag.name}>`);
    stack.push({ name: tag.name, last: 0, text: '', kids: 0 });
  });
  parser.on('text', (t) => { if (stack.length) stack[stack.length - 1].text += t; });
  parser.on('closetag', () => {
    const e = stack.pop()!;
    if (e.kids === 0) {
      if (SCHEMA[e.name]) problems.push(`<${e.name}> is empty`);
      (texts[e.name] ??= []).push(e.text);
    } else if (e.text.trim() !== '') problems.push(`text in <${e.name}>`);
  });
  parser.write(xml).close();
  return { counts, problems, texts };
}

// ---- writer ----------------------------------------------------------------------------------

describe('writeCinCensus', () => {
  it('writes 2025-26 in DfE element names and order, with Sex and pre-proceedings, text escaped', async () => {
    const path = join(dir, 'CIN_2025-26.xml');
    const written = await writeCinCensus(fixture(), 2025, path);
    expect(written).toEqual({ children: 3, cinDetails: 4 });
    const xml = readFileSync(path, 'utf8');
    const w = walk(xml);
    expect(w.problems).toEqual([]);
    expect(w.counts).toMatchObject({
      Message: 1, Header: 1, Child: 3, CINdetails: 4, Assessments: 2, Section47: 2, CINPlanDates: 1, ChildProtectionPlans: 1,
      CPPreviewDate: 2, PreProceedingsandFGDM: 1, Sex: 3, ReferralNFA: 4,
    });
    expect(w.counts.GenderCurrent).toBeUndefined();
    expect(w.texts.LAchildID).toEqual(['000123', '0042', 'AB&C<7>']);
    expect(xml).toContain('<LAchildID>AB&amp;C&lt;7&gt;</LAchildID>');
    expect(w.texts.ReferenceDate).toEqual(['2026-03-31']);
    expect(w.texts.Year).toEqual(['2026']);
    expect(w.texts.LEA).toEqual(['999']);
    expect(w.texts.DateTime).toEqual(['2026-03-31T00:00:00']);
    expect(w.texts.CPPreviewDate).toEqual(['2025-08-27', '2026-02-25']); // in date order; 10/04/2026 is after the census date
    expect(w.texts.UPNunknown).toEqual(['UN7', 'UN2']); // 0042: NFA only; AB&C<7>: aged 14, no UPN
    expect(w.texts.Disability).toEqual(['HAND', 'HEAR', 'NONE']); // AB&C<7> has no disability information
    expect(w.texts.CINreferralDate).toEqual(['2024-11-01', '2025-05-06', '2025-09-09', '2026-01-15']);
  });

  it('writes GenderCurrent and no pre-proceedings before 2024-25', async () => {
    const path = join(dir, 'CIN_2022-23.xml');
    expect(await writeCinCensus(fixture(), 2022, path)).toEqual({ children: 1, cinDetails: 1 });
    const w = walk(readFileSync(path, 'utf8'));
    expect(w.problems).toEqual([]);
    expect(w.texts.GenderCurrent).toEqual(['2']);
    expect(w.counts.Sex).toBeUndefined();
    expect(w.counts.PreProceedingsandFGDM).toBeUndefined();
    expect(w.texts.AssessmentFactors).toEqual(['21']);
  });

  it('shows the records as known on the census date: later closures and authorisations are left out', async () => {
    const path = join(dir, 'CIN_2024-25.xml');
    expect(await writeCinCensus(fixture(), 2024, path)).toEqual({ children: 3, cinDetails: 3 }); // 000123, Y8 (NFA in year), Z9
    const r = await read(path);
    expect(sorted(r.rows.referrals)).toEqual(sorted([
      asRead('referrals', row('referrals', { child_id: '000123', referral_date: '2024-11-01', source: '2A', nfa: false, primary_need: 'N4' })), // closed 30/04/2025
      asRead('referrals', row('referrals', { child_id: 'Y8', referral_date: '2024-06-01', source: '8', nfa: true })),
      asRead('referrals', row('referrals', { child_id: 'Z9', referral_date: '2024-05-01', source: '6', nfa: false, primary_need: 'N1', closure_date: '2025-03-01', closure_reason: 'RC7' })),
    ]));
    expect(r.rows.assessments?.map((a) => a.start_date)).toEqual(['2024-11-02']);
    expect(r.rows.pre_proceedings).toBeUndefined();
  });

  it('gives byte-identical files for the same authority, whatever the order of its rows', async () => {
    const a = join(dir, 'same-a.xml');
    const b = join(dir, 'same-b.xml');
    await writeCinCensus(fixture(), 2025, a);
    const shuffled = fixture();
    for (const t of TABLE_NAMES) (shuffled.tables[t] as unknown[]).reverse();
    await writeCinCensus(shuffled, 2025, b);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });
});

describe('writer → reader round trip', () => {
  it('every table comes back field by field (columns the census does not carry come back null)', async () => {
    const la = fixture();
    const path = join(dir, 'round-trip.xml');
    await writeCinCensus(la, 2025, path);
    const r = await read(path);
    expect(r.summary).toEqual({ kind: 'cin_census', parts: [], collectionYear: 2025, periodStart: '2025-04-01', periodEnd: '2026-03-31' });
    const t = la.tables;
    const inReturn = new Set(['000123', '0042', 'AB&C<7>']);
    const expected: Partial<Record<TableName, Record<string, unknown>[]>> = {
      children: t.children.filter((c) => inReturn.has(c.child_id!)).map((c) => asRead('children', c)),
      referrals: [t.referrals[0], t.referrals[1], t.referrals[2], t.referrals[3]].map((x) => asRead('referrals', x)),
      assessments: [t.assessments[1], t.assessments[2]].map((x) => asRead('assessments', x)),
      section47: t.section47.map((x) => asRead('section47', x)),
      cin_plans: t.cin_plans.map((x) => asRead('cin_plans', x)),
      cp_plans: t.cp_plans.map((x) => asRead('cp_plans', x)),
      cp_reviews: [t.cp_reviews[0], t.cp_reviews[1]].map((x) => asRead('cp_reviews', x)),
      pre_proceedings: t.pre_proceedings.map((x) => asRead('pre_proceedings', x)),
    };
    for (const table of TABLE_NAMES) expect(sorted(r.rows[table]), table).toEqual(sorted(expected[table]));
    // each row's line is the line its element starts on
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const [table, element] of [['children', '<Child>'], ['referrals', '<CINdetails>'], ['cp_reviews', '<CPPreviewDate>']] as const) {
      for (const line of r.lines[table]!) expect(lines[line! - 1].trim().startsWith(element), `${table} line ${line}`).toBe(true);
    }
    // the only findings are the ones the fixture earns: 0042's NFA referral closed RC8 with no assessment;
    // AB&C<7>'s id, and no disability information for a child with a referral going on to further action
    expect(r.findings.map((f) => `${f.code} ${f.childId}`).sort()).toEqual(['1580 AB&C<7>', '8540 AB&C<7>', '8825Q 0042']);
  });
});

// ---- reader on the sample returns --------------------------------------------------------------

describe('readCinCensus on the sample returns', () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.xml')).sort();

  it('reads every sample, or refuses it with findings — never another exception', async () => {
    expect(files.length).toBe(4);
    for (const f of files) {
      try {
        const r = await read(join(SAMPLES, f));
        expect(r.summary.kind).toBe('cin_census');
        expect(r.rows.referrals?.length ?? 0, f).toBeGreaterThan(0);
      } catch (err) {
        expect(err, f).toBeInstanceOf(FileRejected);
        expect((err as FileRejected).findings.length).toBeGreaterThan(0);
      }
    }
  });

  const find = (r: Read, code: string, childId?: string | null) => r.findings.filter((f) => f.code === code && (childId === undefined || f.childId === childId));

  it('CIN_Census_2024.xml: authorisation before start, assessment before referral, Sex 1, stray text, bad factor', async () => {
    const r = await read(join(SAMPLES, 'CIN_Census_2024.xml'));
    expect(r.summary).toMatchObject({ collectionYear: 2023, periodStart: '2023-04-01', periodEnd: '2024-03-31' });
    expect(find(r, '8608')).toEqual([expect.objectContaining({
      severity: 'warning', childId: 'DfEX0000001', row: 43, section: 'Assessments', field: 'AssessmentAuthorisationDate', value: '2020-09-19',
    })]);
    expect(find(r, '8608')[0].message).toBe(
      'CIN_Census_2024.xml line 43: AssessmentAuthorisationDate \'2020-09-19\' — Assessment Start Date cannot be later than its End Date ' +
      '(authorised 19/09/2020, before it started 28/04/2028) (rule 8608) — loaded, flagged',
    );
    expect(find(r, '1103')).toEqual([expect.objectContaining({
      severity: 'warning', childId: 'child_fails_assessments', row: 93, field: 'AssessmentActualStartDate', value: '2023-12-25',
    })]);
    expect(find(r, '1103')[0].message).toContain('assessment started 25/12/2023, referral 24/10/2024');
    expect(find(r, '4180')).toEqual([expect.objectContaining({ childId: 'DfEX0000001', row: 25, value: '1' })]);
    expect(find(r, 'CSC205')).toEqual([expect.objectContaining({ childId: 'DfEX0000001', row: 23, value: 'PersonBirthDate' })]);
    expect(find(r, 'CSC220')).toEqual([expect.objectContaining({ childId: 'DfEX0000001', row: 46, value: 'RB' })]);
    expect(find(r, '100')).toEqual([expect.objectContaining({ childId: null, row: 6, value: '2024-03-31' })]); // Year 2023
    expect(find(r, '8600', 'child_fails_assessments')).toEqual([expect.objectContaining({ severity: 'warning', value: '2024-10-24' })]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.rows.children!.map((c) => [c.child_id, c.sex, c.dob, c.disabilities, c.disabled])).toEqual([
      ['DfEX0000001', 'M', '2015-03-27', 'HAND,HEAR', true], ['child_fails_assessments', 'M', '2023-09-25', '', false],
    ]);
    expect(r.rows.assessments!.map((a) => a.factors)).toEqual(['1C,RB,6B', null]);
    expect(r.rows.referrals!.map((x) => x.nfa)).toEqual([false, false]); // ReferralNFA 0 and false
  });

  it('CIN_Census_2021.xml: GenderCurrent, both dates of birth, an expected birth date in 1066', async () => {
    const r = await read(join(SAMPLES, 'CIN_Census_2021.xml'));
    expect(r.summary.collectionYear).toBe(2022); // ReferenceDate 2023-03-31
    expect(r.rows.children![0]).toMatchObject({ child_id: 'DfEX0000001', sex: 'M', dob: '1965-03-27', date_of_death: '1980-10-08', upn: 'A123456789123' });
    expect(find(r, '8525Q')).toEqual([expect.objectContaining({ row: 25, field: 'ExpectedPersonBirthDate' })]);
    expect(find(r, 'CSC210')).toEqual([expect.objectContaining({ severity: 'warning', row: 25, value: '1066-04-13' })]);
    expect(find(r, '1103')).toEqual([expect.objectContaining({ row: 44, value: '1970-06-03' })]);
    expect(find(r, '1105')).toEqual([expect.objectContaining({ row: 64, value: '1970-02-17' })]);
    expect(r.rows.cp_plans![0]).toMatchObject({ start_date: '1970-02-17', end_date: '1971-03-14', initial_category: 'PHY', previous_plans: 10 });
    expect(r.rows.cp_reviews).toEqual([{ child_id: 'DfEX0000001', plan_start_date: '1970-02-17', review_date: '1971-02-15' }]);
  });

  it('cin-2022.xml: GenderCurrent and ReferralNFA false', async () => {
    const r = await read(join(SAMPLES, 'cin-2022.xml'));
    expect(r.summary).toMatchObject({ collectionYear: 2021, periodEnd: '2022-03-31' });
    expect(r.rows.children![0]).toMatchObject({ sex: 'M', dob: '1966-03-24' });
    expect(r.rows.referrals).toEqual([{
      child_id: 'DfEX0000001', referral_date: '1970-10-06', source: '1A', nfa: false, primary_need: 'N4', closure_date: '1971-02-27',
      closure_reason: 'RC1', team: null, worker: null,
    }]);
    expect(find(r, 'CSC205')).toEqual([]);
  });

  it('CIN_Census_2026.xml: pre-proceedings and family group decision making', async () => {
    const r = await read(join(SAMPLES, 'CIN_Census_2026.xml'));
    expect(r.rows.pre_proceedings).toEqual([{
      child_id: 'DfEX0000001', referral_date: '2022-10-06', start_date: '2026-09-09', letter_before_proceedings_date: '2026-09-20',
      fgdm_offered: true, fgdm_facilitated: true, initial_meeting_date: '2026-09-28', review_meetings: 3, decision_date: '2026-12-01',
      outcome: 'A', court_application_date: '2026-12-18', letter_initial_cp_date: '2027-02-05',
    }]);
    expect(r.lines.pre_proceedings).toEqual([71]);
    expect(find(r, '1103', 'child_fails_assessments')).toHaveLength(1);
  });
});

// ---- refused files ---------------------------------------------------------------------------

async function refused(name: string, content: string): Promise<{ err: FileRejected; added: number; findings: Finding[] }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  let added = 0;
  const findings: Finding[] = [];
  try {
    await readCinCensus(path, { add: () => { added++; }, finding: (f) => { findings.push(f); } });
  } catch (err) {
    expect(err).toBeInstanceOf(FileRejected);
    return { err: err as FileRejected, added, findings };
  }
  throw new Error(`${name} was not refused`);
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE Message [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID></ChildIdentifiers></Child></Children></Message>
`;

describe('refused files', () => {
  it('a DOCTYPE (billion laughs) is refused with CSC201 and nothing is read', async () => {
    const { err, added, findings } = await refused('CIN_Census_2024.xml', BILLION_LAUGHS);
    expect(added).toBe(0);
    expect(findings).toEqual([]);
    expect(err.findings).toEqual([{
      ruleset: 'file', code: 'CSC201', severity: 'error', file: 'CIN_Census_2024.xml', row: 2, section: null, field: 'DOCTYPE', value: null, childId: null,
      message: 'CIN_Census_2024.xml line 2: the file declares a DOCTYPE; XML with DOCTYPE or entity declarations is refused for security — nothing loaded from this file',
    }]);
  });

  it('an external entity (XXE) is refused with CSC201', async () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child></Children></Message>\n';
    const { err, added } = await refused('xxe.xml', xxe);
    expect(added).toBe(0);
    expect(err.findings.map((f) => [f.code, f.row])).toEqual([['CSC201', 2]]);
  });

  it('an entity used without a declaration is malformed XML (CSC202)', async () => {
    const { err } = await refused('entity.xml', '<Message>\n<Children>\n<Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child>\n</Children>\n</Message>\n');
    expect(err.findings.map((f) => [f.code, f.row])).toEqual([['CSC202', 3]]);
    expect(err.message).toMatch(/^entity\.xml line 3: the file is not well-formed XML \(column \d+: .*entity.*\) — nothing loaded from this file$/);
  });

  it('an unclosed tag is refused with CSC202, saying where', async () => {
    const xml = `${readFileSync(join(SAMPLES, 'cin-2022.xml'), 'utf8').replace('</CINdetails>', '')}`;
    const { err } = await refused('unclosed.xml', xml);
    expect(err.findings).toHaveLength(1);
    const f = err.findings[0];
    expect(f).toMatchObject({ ruleset: 'file', code: 'CSC202', severity: 'error', file: 'unclosed.xml', row: 74 });
    expect(f.message).toMatch(/^unclosed\.xml line 74: the file is not well-formed XML \(column \d+: .+\) — nothing loaded from this file$/);
  });

  it('an empty file, or one of only blank lines, is refused with CSC203', async () => {
    for (const [name, content] of [['empty.xml', ''], ['blank.xml', '\n  \n']]) {
      const { err, added } = await refused(name, content);
      expect(added).toBe(0);
      expect(err.findings.map((f) => [f.code, f.file])).toEqual([['CSC203', name]]);
    }
  });

  it('XML that is not a CIN census is refused with CSC204', async () => {
    const { err } = await refused('other.xml', '<?xml version="1.0"?>\n<EXPSSDA903><CHILD/></EXPSSDA903>\n');
    expect(err.findings.map((f) => [f.code, f.row])).toEqual([['CSC204', 2]]);
  });
});

// ---- a large file ----------------------------------------------------------------------------

describe('a 50 MB return', () => {
  it('streams with flat memory (peak RSS growth under 300 MB)', async () => {
    const path = join(tmpdir(), `csc-cin-50mb-${process.pid}.xml`);
    try {
      const child = (i: number): string => {
        const id = String(i).padStart(8, '0');
        return `    <Child>
      <ChildIdentifiers>
        <LAchildID>${id}</LAchildID>
        <UPN>A${String(100000000000 + i).slice(-12)}</UPN>
        <PersonBirthDate>2015-06-01</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-06-10</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3B</AssessmentFactors>
            <AssessmentFactors>4B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2024-05-03</S47ActualStartDate>
          <InitialCPCtarget>2024-05-24</InitialCPCtarget>
          <DateOfInitialCPC>2024-05-22</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2024-05-22</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2024-08-20</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
`;
      };
      const out = createWriteStream(path);
      out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n      <Year>2025</Year>\n      <ReferenceDate>2025-03-31</ReferenceDate>\n    </CollectionDetails>\n  </Header>\n  <Children>\n`);
      let children = 0;
      for (let bytes = 0; bytes < 50 * 1024 * 1024;) {
        const chunk = Array.from({ length: 500 }, () => child(++children)).join('');
        bytes += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end('  </Children>\n</Message>\n');
      await once(out, 'finish');
      const size = statSync(path).size;

      // Measured in a fresh process: RSS before reading, sampled while reading, and the OS's peak (maxRSS).
      const script = `
        import { readCinCensus } from './src/ingest/cinCensus.ts';
        globalThis.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before, rows = 0, findings = 0;
        const t0 = performance.now();
        await readCinCensus(${JSON.stringify(path)}, {
          add() { if ((++rows & 4095) === 0) peak = Math.max(peak, process.memoryUsage().rss); },
          finding() { findings++; },
        });
        const seconds = (performance.now() - t0) / 1000;
        peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
        console.log(JSON.stringify({ before, peak, rows, findings, seconds }));`;
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '..'), encoding: 'utf8', timeout: 120_000,
      });
      expect(run.stderr).toBe('');
      const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as { before: number; peak: number; rows: number; findings: number; seconds: number };
      const mb = size / 1024 / 1024;
      const growth = (m.peak - m.before) / 1024 / 1024;
      console.log(`CIN census ${mb.toFixed(1)} MB, ${children} children: ${m.seconds.toFixed(2)} s = ${(mb / m.seconds).toFixed(1)} MB/s, peak RSS growth ${growth.toFixed(0)} MB`);
      expect(m.rows).toBe(children * 6); // child, referral, assessment, Section 47, CP plan, review
      expect(m.findings).toBe(0);
      expect(growth).toBeLessThan(300);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
