// Each CIN census rule (src/ingest/cinRules.ts) with a worked example: a tiny return built here by hand,
// with a child that passes and one that fails, asserting exactly which lines are flagged and, for errors,
// which rows are not loaded. The census year of every file is 2024-25 (ReferenceDate 2025-03-31) unless
// a test says otherwise. The base child passes every rule; each test changes only what its rule reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCinCensus } from '../src/ingest/cinCensus.ts';
import { CIN_RULES, FILE_RULES } from '../src/ingest/cinRules.ts';
import type { FileSummary, Finding } from '../src/ingest/types.ts';
import type { TableName } from '../src/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-cin-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- building returns ------------------------------------------------------------------------

type Fields = Record<string, string | null | undefined>;

function leafs(f: Fields): string {
  return Object.entries(f).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `<${k}>${v}</${k}>\n`).join('');
}

function header(ref: string | null = '2025-03-31', year: string | null = ref ? ref.slice(0, 4) : null): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n<Header>\n<CollectionDetails>\n${leafs({ Collection: 'CIN', Year: year, ReferenceDate: ref })}</CollectionDetails>\n</Header>\n<Children>\n`;
}

const DISABILITY_NONE = '<Disabilities>\n<Disability>NONE</Disability>\n</Disabilities>\n';

function child(id: string | null, o: { ids?: Fields; chars?: string; details?: string[] } = {}): string {
  const ids = leafs({ LAchildID: id, UPN: 'A123456789012', PersonBirthDate: '2015-06-01', Sex: 'F', ...o.ids });
  const chars = o.chars ?? `<Ethnicity>WBRI</Ethnicity>\n${DISABILITY_NONE}`;
  return `<Child>\n<ChildIdentifiers>\n${ids}</ChildIdentifiers>\n<ChildCharacteristics>\n${chars}</ChildCharacteristics>\n${(o.details ?? [cin()]).join('')}</Child>\n`;
}

/** A CINdetails: referral 1 May 2024 (a Wednesday), open, further action; inner modules in schema order. */
function cin(f: Fields = {}, ...inner: string[]): string {
  const { ReferralNFA, ...rest } = { CINreferralDate: '2024-05-01', ReferralSource: '1A', PrimaryNeedCode: 'N1', ReferralNFA: 'false', ...f };
  return `<CINdetails>\n${leafs(rest)}${inner.join('')}${leafs({ ReferralNFA })}</CINdetails>\n`;
}

function assessment(f: Fields = {}, factors: string[] = ['3B']): string {
  const fs = factors.length ? `<FactorsIdentifiedAtAssessment>\n${factors.map((x) => `<AssessmentFactors>${x}</AssessmentFactors>\n`).join('')}</FactorsIdentifiedAtAssessment>\n` : '';
  return `<Assessments>\n${leafs({ AssessmentActualStartDate: '2024-05-02', AssessmentAuthorisationDate: '2024-06-10', ...f })}${fs}</Assessments>\n`;
}

function s47(f: Fields = {}): string {
  return `<Section47>\n${leafs({ S47ActualStartDate: '2024-05-03', InitialCPCtarget: '2024-05-24', DateOfInitialCPC: '2024-05-22', ICPCnotRequired: 'false', ...f })}</Section47>\n`;
}

function cinPlan(f: Fields = {}): string {
  return `<CINPlanDates>\n${leafs({ CINPlanStartDate: '2024-06-11', CINPlanEndDate: '2024-09-30', ...f })}</CINPlanDates>\n`;
}

function cpp(f: Fields = {}, reviews: string[] = ['2024-08-20']): string {
  const rs = reviews.length ? `<Reviews>\n${reviews.map((r) => `<CPPreviewDate>${r}</CPPreviewDate>\n`).join('')}</Reviews>\n` : '';
  return `<ChildProtectionPlans>\n${leafs({ CPPstartDate: '2024-05-22', InitialCategoryOfAbuse: 'NEG', LatestCategoryOfAbuse: 'NEG', NumberOfPreviousCPP: '0', ...f })}${rs}</ChildProtectionPlans>\n`;
}

function pp(f: Fields = {}): string {
  return `<PreProceedingsandFGDM>\n${leafs({
    PPStartDate: '2024-07-01', LBPSentDate: '2024-07-02', FGDMMeetingOffer: '1', FGDMMeetingFac: '1', InitialPPMeetingDate: '2024-07-10',
    ReviewMeetingsCount: '2', StepDecisionDate: '2024-10-01', PPOutcome: 'A', ...f,
  })}</PreProceedingsandFGDM>\n`;
}

function file(children: string[], head = header()): string {
  return `${head}${children.join('')}</Children>\n</Message>\n`;
}

// ---- reading ---------------------------------------------------------------------------------

interface Read {
  xml: string;
  summary: FileSummary;
  findings: Finding[];
  rows: Partial<Record<TableName, { row: Record<string, unknown>; line: number | null }[]>>;
}

let n = 0;
async function read(xml: string): Promise<Read> {
  const path = join(dir, `cin-${++n}.xml`);
  writeFileSync(path, xml);
  const findings: Finding[] = [];
  const rows: Read['rows'] = {};
  const summary = await readCinCensus(path, {
    add: (table, row, line) => {
      const list = rows[table] ?? (rows[table] = [] as { row: Record<string, unknown>; line: number | null }[]);
      list.push({ row: row as Record<string, unknown>, line });
    },
    finding: (f) => { findings.push(f); },
  });
  return { xml, summary, findings, rows };
}

/** 1-based line of the nth line containing needle. */
function lineOf(xml: string, needle: string, nth = 1): number {
  const lines = xml.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`'${needle}' (#${nth}) not in the test file`);
}

interface Expected { child: string | null; field: string; at: string; nth?: number }

const tested = new Set<string>();

/** Reads the file and asserts that rule code (with severity) flags exactly the expected lines. */
async function expectRule(code: string, severity: 'error' | 'warning', xml: string, expected: Expected[]): Promise<Read> {
  tested.add(`${code}:${severity}`);
  const r = await read(xml);
  const got = r.findings.filter((f) => f.code === code && f.severity === severity).map((f) => ({ child: f.childId ?? null, field: f.field, line: f.row }));
  const want = expected.map((e) => ({ child: e.child, field: e.field, line: lineOf(xml, e.at, e.nth) }));
  expect(got).toEqual(want);
  for (const f of r.findings.filter((x) => x.code === code)) {
    expect(f.message).toContain(`line ${f.row}`);
    expect(f.message).toContain(`rule ${code}`);
  }
  return r;
}

const ids = (r: Read, table: TableName): unknown[] => (r.rows[table] ?? []).map((x) => x.row.child_id);

// ---- the rules -------------------------------------------------------------------------------

describe('the base child', () => {
  it('passes every rule and loads one row per record', async () => {
    const r = await read(file([child('Base1', { details: [cin({}, assessment(), s47(), cinPlan(), cpp(), pp())] })]));
    expect(r.findings).toEqual([]);
    expect(Object.fromEntries(Object.entries(r.rows).map(([t, rows]) => [t, rows.length]))).toEqual({
      children: 1, referrals: 1, assessments: 1, section47: 1, cin_plans: 1, cp_plans: 1, cp_reviews: 1, pre_proceedings: 1,
    });
  });
});

describe('header', () => {
  it('100: a reference date that is not 31 March, or a Year that disagrees with it, is flagged', async () => {
    await expectRule('100', 'warning', file([child('Pass1')], header('2025-03-30')), [{ child: null, field: 'ReferenceDate', at: '<ReferenceDate>' }]);
    await expectRule('100', 'warning', file([child('Pass1')], header('2025-03-31', '2024')), [{ child: null, field: 'ReferenceDate', at: '<ReferenceDate>' }]);
    await expectRule('100', 'warning', file([child('Pass1')], header('2025-03-31', '2025')), []);
  });

  it('CSC216: without a ReferenceDate the census year comes from Year', async () => {
    const r = await expectRule('CSC216', 'warning', file([child('Pass1')], header(null, '2025')), [{ child: null, field: 'ReferenceDate', at: '<Header>' }]);
    expect(r.summary).toMatchObject({ collectionYear: 2024, periodStart: '2024-04-01', periodEnd: '2025-03-31' });
    await expectRule('CSC216', 'warning', file([child('Pass1')]), []);
  });
});

describe('the header DateTime', () => {
  it('CSC217: a DateTime that is not a date and time is flagged; ISO dates and times (with seconds, fractions, a zone) are not', async () => {
    const withTime = (t: string) => file([child('Pass1')], header().replace('</CollectionDetails>\n', `</CollectionDetails>\n<Source>\n<DateTime>${t}</DateTime>\n</Source>\n`));
    for (const t of ['2025-05-23T11:14:05', '2025-05-23T11:14', '2025-05-23T11:14:05.123Z', '2025-05-23']) await expectRule('CSC217', 'warning', withTime(t), []);
    for (const t of ['00/00/0000T00:00:00', '2025-02-30T10:00:00', '2025-05-23T25:00:00', 'yesterday']) {
      await expectRule('CSC217', 'warning', withTime(t), [{ child: null, field: 'DateTime', at: '<DateTime>' }]);
    }
  });
});

describe('unreadable dates', () => {
  it('CSC210 error: a stored date that is not a real date — the record is not loaded', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment())] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentActualStartDate: '2024-02-30' }))] }),
      child('Fail2', { details: [cin({ CINreferralDate: '2024-13-01' }, assessment({ AssessmentActualStartDate: '2024-12-02' }))] }),
    ]);
    const r = await expectRule('CSC210', 'error', xml, [
      { child: 'Fail1', field: 'AssessmentActualStartDate', at: '2024-02-30' },
      { child: 'Fail2', field: 'CINreferralDate', at: '2024-13-01' },
    ]);
    expect(ids(r, 'assessments')).toEqual(['Pass1']); // Fail2's assessment cannot be linked to its referral
    expect(ids(r, 'referrals')).toEqual(['Pass1', 'Fail1']);
    expect(r.findings.find((f) => f.childId === 'Fail2')!.message).toContain('this CINdetails and the 1 record inside it not loaded');
  });

  it('CSC210 warning: an unreadable date we do not store — the record is loaded', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment({ AssessmentInternalReviewDate: '2024-05-20' }))] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentInternalReviewDate: 'soon' }))] }),
    ]);
    const r = await expectRule('CSC210', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentInternalReviewDate', at: 'soon' }]);
    expect(ids(r, 'assessments')).toEqual(['Pass1', 'Fail1']);
  });
});

describe('ChildIdentifiers and ChildCharacteristics', () => {
  it('8500: a child without LAchildID is not loaded at all', async () => {
    const xml = file([child('Pass1'), child(null, { details: [cin({}, assessment())] })]);
    const r = await expectRule('8500', 'error', xml, [{ child: null, field: 'LAchildID', at: '<Child>', nth: 2 }]);
    expect(ids(r, 'children')).toEqual(['Pass1']);
    expect(ids(r, 'referrals')).toEqual(['Pass1']);
    expect(r.rows.assessments).toBeUndefined();
    expect(r.findings.filter((f) => f.childId === null && f.code !== '8500')).toEqual([]); // nothing else checked
  });

  it('1570: LA child id longer than 20 characters', async () => {
    await expectRule('1570', 'warning', file([child('A12345678901234567890'), child('A1234567890123456789')]), [
      { child: 'A12345678901234567890', field: 'LAchildID', at: 'A12345678901234567890' },
    ]);
  });

  it('1580: LA child id with characters other than letters and digits; leading zeros are kept', async () => {
    const r = await expectRule('1580', 'warning', file([child('00071'), child('Fail_1')]), [{ child: 'Fail_1', field: 'LAchildID', at: 'Fail_1' }]);
    expect(ids(r, 'children')).toEqual(['00071', 'Fail_1']);
  });

  it('8510: the same LA child id twice — both loaded, the second flagged', async () => {
    const r = await expectRule('8510', 'warning', file([child('Dup1'), child('Pass1'), child('Dup1')]), [
      { child: 'Dup1', field: 'LAchildID', at: '<LAchildID>Dup1', nth: 2 },
    ]);
    expect(ids(r, 'children')).toEqual(['Dup1', 'Pass1', 'Dup1']);
  });

  it('4180: Sex must be M, F or U; 1 and 2 are read as M and F', async () => {
    const xml = file([
      child('Pass1'), child('Fail1', { ids: { Sex: '1' } }), child('Fail2', { ids: { Sex: 'X' } }), child('Fail3', { ids: { Sex: null } }),
    ]);
    const r = await expectRule('4180', 'warning', xml, [
      { child: 'Fail1', field: 'Sex', at: '<Sex>1' }, { child: 'Fail2', field: 'Sex', at: '<Sex>X' },
      { child: 'Fail3', field: 'Sex', at: '<Child>', nth: 4 },
    ]);
    expect((r.rows.children ?? []).map((c) => c.row.sex)).toEqual(['F', 'M', 'X', null]);
  });

  it('CSC212: GenderCurrent must be 1, 2, 0 or 9 (returns before 2024-25)', async () => {
    const xml = file([
      child('Pass1', { ids: { Sex: null, GenderCurrent: '1' } }), child('Pass2', { ids: { Sex: null, GenderCurrent: '9' } }),
      child('Fail1', { ids: { Sex: null, GenderCurrent: '3' } }),
    ]);
    const r = await expectRule('CSC212', 'warning', xml, [{ child: 'Fail1', field: 'GenderCurrent', at: '<GenderCurrent>3' }]);
    expect((r.rows.children ?? []).map((c) => c.row.sex)).toEqual(['M', 'U', '3']);
  });

  it('4220: ethnicity missing or not a DfE code — loaded as written', async () => {
    const xml = file([
      child('Pass1'), child('Fail1', { chars: `<Ethnicity>WXYZ</Ethnicity>\n${DISABILITY_NONE}` }), child('Fail2', { chars: DISABILITY_NONE }),
    ]);
    const r = await expectRule('4220', 'warning', xml, [
      { child: 'Fail1', field: 'Ethnicity', at: 'WXYZ' }, { child: 'Fail2', field: 'Ethnicity', at: '<Child>', nth: 3 },
    ]);
    expect((r.rows.children ?? []).map((c) => c.row.ethnicity)).toEqual(['WBRI', 'WXYZ', null]);
  });

  it('8540: disability not a DfE code, or missing for a born child with further action', async () => {
    const xml = file([
      child('Pass1'),
      child('Pass2', { ids: { PersonBirthDate: null, ExpectedPersonBirthDate: '2025-06-01', Sex: 'U' }, chars: '<Ethnicity>WBRI</Ethnicity>\n' }),
      child('Fail1', { chars: '<Ethnicity>WBRI</Ethnicity>\n<Disabilities>\n<Disability>FOO</Disability>\n</Disabilities>\n' }),
      child('Fail2', { chars: '<Ethnicity>WBRI</Ethnicity>\n' }),
    ]);
    const r = await expectRule('8540', 'warning', xml, [
      { child: 'Fail1', field: 'Disability', at: 'FOO' }, { child: 'Fail2', field: 'Disability', at: '<Child>', nth: 4 },
    ]);
    expect((r.rows.children ?? []).map((c) => [c.row.disabilities, c.row.disabled])).toEqual([['', false], [null, null], ['FOO', true], [null, null]]);
  });

  it('8790: NONE together with other disabilities', async () => {
    const both = '<Ethnicity>WBRI</Ethnicity>\n<Disabilities>\n<Disability>NONE</Disability>\n<Disability>HAND</Disability>\n</Disabilities>\n';
    const r = await expectRule('8790', 'warning', file([child('Pass1'), child('Fail1', { chars: both })]), [
      { child: 'Fail1', field: 'Disability', at: '<Child>', nth: 2 },
    ]);
    expect(r.rows.children![1].row).toMatchObject({ disabilities: 'HAND', disabled: true });
  });

  it('8794: the same disability code twice — stored once', async () => {
    const twice = '<Ethnicity>WBRI</Ethnicity>\n<Disabilities>\n<Disability>HAND</Disability>\n<Disability>VIS</Disability>\n<Disability>HAND</Disability>\n</Disabilities>\n';
    const r = await expectRule('8794', 'warning', file([child('Pass1'), child('Fail1', { chars: twice })]), [
      { child: 'Fail1', field: 'Disability', at: '<Disability>HAND', nth: 2 },
    ]);
    expect(r.rows.children![1].row.disabilities).toBe('HAND,VIS');
  });

  it('8520: date of birth after the census date', async () => {
    await expectRule('8520', 'warning', file([child('Pass1', { ids: { PersonBirthDate: '2025-03-31' } }), child('Fail1', { ids: { PersonBirthDate: '2025-04-01' } })]), [
      { child: 'Fail1', field: 'PersonBirthDate', at: '2025-04-01' },
    ]);
  });

  it('8525Q: date of birth or expected date of birth, not both and not neither', async () => {
    const xml = file([
      child('Pass1'), child('Fail1', { ids: { ExpectedPersonBirthDate: '2015-06-03' } }), child('Fail2', { ids: { PersonBirthDate: null } }),
    ]);
    await expectRule('8525Q', 'warning', xml, [
      { child: 'Fail1', field: 'ExpectedPersonBirthDate', at: '2015-06-03' }, { child: 'Fail2', field: 'PersonBirthDate', at: '<Child>', nth: 3 },
    ]);
  });

  it('8535Q: date of death before date of birth', async () => {
    await expectRule('8535Q', 'warning', file([child('Pass1'), child('Fail1', { ids: { PersonDeathDate: '2015-05-31' } })]), [
      { child: 'Fail1', field: 'PersonDeathDate', at: '2015-05-31' },
    ]);
  });

  it('8545Q: date of death outside the census year', async () => {
    const xml = file([child('Pass1', { ids: { PersonDeathDate: '2024-12-01' } }), child('Fail1', { ids: { PersonDeathDate: '2024-03-31' } })]);
    await expectRule('8545Q', 'warning', xml, [{ child: 'Fail1', field: 'PersonDeathDate', at: '2024-03-31' }]);
  });

  it('8750: an unborn child must have Sex U', async () => {
    const unborn = { PersonBirthDate: null, ExpectedPersonBirthDate: '2025-06-01' };
    await expectRule('8750', 'warning', file([child('Pass1', { ids: { ...unborn, Sex: 'U' } }), child('Fail1', { ids: { ...unborn, Sex: 'F' } })]), [
      { child: 'Fail1', field: 'Sex', at: '<Sex>F' },
    ]);
  });

  it('8590: a child with no CINdetails — the child is loaded', async () => {
    const r = await expectRule('8590', 'warning', file([child('Pass1'), child('Fail1', { details: [] })]), [{ child: 'Fail1', field: 'LAchildID', at: 'Fail1' }]);
    expect(ids(r, 'children')).toEqual(['Pass1', 'Fail1']);
  });

  it('8772: UPN unknown reason UN7 (NFA) with a referral going on to further action', async () => {
    const xml = file([
      child('Pass1', { ids: { UPN: null, UPNunknown: 'UN7' }, details: [cin({ ReferralNFA: 'true', PrimaryNeedCode: null })] }),
      child('Fail1', { ids: { UPN: null, UPNunknown: 'UN7' } }),
    ]);
    await expectRule('8772', 'warning', xml, [{ child: 'Fail1', field: 'UPNunknown', at: 'UN7', nth: 2 }]);
  });

  it('8815: more than one open CIN episode that is not NFA', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ CINclosureDate: '2024-05-20', ReasonForClosure: 'RC7' }), cin({ CINreferralDate: '2024-06-01' })] }),
      child('Fail1', { details: [cin(), cin({ CINreferralDate: '2024-06-02' })] }),
    ]);
    await expectRule('8815', 'warning', xml, [{ child: 'Fail1', field: 'CINclosureDate', at: '<CINdetails>', nth: 4 }]);
  });

  it('8820: CIN episodes that overlap (an episode may start the day the last closed)', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ CINclosureDate: '2024-06-01', ReasonForClosure: 'RC7' }), cin({ CINreferralDate: '2024-06-01' })] }),
      child('Fail1', { details: [cin({ CINclosureDate: '2024-08-01', ReasonForClosure: 'RC7' }), cin({ CINreferralDate: '2024-07-01' })] }),
    ]);
    await expectRule('8820', 'warning', xml, [{ child: 'Fail1', field: 'CINreferralDate', at: '2024-07-01' }]);
  });

  it('4004: more than one open CIN plan', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cinPlan(), cinPlan({ CINPlanStartDate: '2024-10-01', CINPlanEndDate: null }))] }),
      child('Fail1', { details: [cin({}, cinPlan({ CINPlanEndDate: null }), cinPlan({ CINPlanStartDate: '2024-10-02', CINPlanEndDate: null }))] }),
    ]);
    await expectRule('4004', 'warning', xml, [{ child: 'Fail1', field: 'CINPlanStartDate', at: '2024-10-02' }]);
  });

  it('4014: CIN plans with overlapping dates', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cinPlan(), cinPlan({ CINPlanStartDate: '2024-09-30', CINPlanEndDate: '2024-12-01' }))] }),
      child('Fail1', { details: [cin({}, cinPlan(), cinPlan({ CINPlanStartDate: '2024-09-29', CINPlanEndDate: '2024-12-02' }))] }),
    ]);
    await expectRule('4014', 'warning', xml, [{ child: 'Fail1', field: 'CINPlanStartDate', at: '2024-09-29' }]);
  });
});

describe('CINdetails', () => {
  it('8600 error: no referral date — the CINdetails and everything in it not loaded', async () => {
    const xml = file([child('Pass1'), child('Fail1', { details: [cin({ CINreferralDate: null }, assessment(), cpp())] })]);
    const r = await expectRule('8600', 'error', xml, [{ child: 'Fail1', field: 'CINreferralDate', at: '<CINdetails>', nth: 2 }]);
    expect(ids(r, 'referrals')).toEqual(['Pass1']);
    expect(r.rows.assessments).toBeUndefined();
    expect(r.rows.cp_plans).toBeUndefined();
    expect(ids(r, 'children')).toEqual(['Pass1', 'Fail1']);
    expect(r.findings.find((f) => f.code === '8600')!.message).toContain('this CINdetails and the 3 records inside it not loaded');
  });

  it('8600 warning: a referral after the census date — loaded, flagged', async () => {
    const r = await expectRule('8600', 'warning', file([child('Pass1'), child('Fail1', { details: [cin({ CINreferralDate: '2025-04-01' })] })]), [
      { child: 'Fail1', field: 'CINreferralDate', at: '2025-04-01' },
    ]);
    expect(ids(r, 'referrals')).toEqual(['Pass1', 'Fail1']);
  });

  it('8866: referral source missing or not a DfE code', async () => {
    const xml = file([child('Pass1'), child('Fail1', { details: [cin({ ReferralSource: '11' })] }), child('Fail2', { details: [cin({ ReferralSource: null })] })]);
    const r = await expectRule('8866', 'warning', xml, [
      { child: 'Fail1', field: 'ReferralSource', at: '<ReferralSource>11' }, { child: 'Fail2', field: 'ReferralSource', at: '<CINdetails>', nth: 3 },
    ]);
    expect((r.rows.referrals ?? []).map((x) => x.row.source)).toEqual(['1A', '11', null]);
  });

  it('8650: primary need code not a DfE code', async () => {
    await expectRule('8650', 'warning', file([child('Pass1'), child('Fail1', { details: [cin({ PrimaryNeedCode: 'N10' })] })]), [
      { child: 'Fail1', field: 'PrimaryNeedCode', at: 'N10' },
    ]);
  });

  it('8610: primary need missing for a referral that led to further action', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ PrimaryNeedCode: null, ReferralNFA: 'true' })] }), child('Fail1', { details: [cin({ PrimaryNeedCode: null })] }),
    ]);
    await expectRule('8610', 'warning', xml, [{ child: 'Fail1', field: 'PrimaryNeedCode', at: '<CINdetails>', nth: 2 }]);
  });

  it('8640: reason for closure not a DfE code', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ CINclosureDate: '2024-09-01', ReasonForClosure: 'RC7' })] }),
      child('Fail1', { details: [cin({ CINclosureDate: '2024-09-01', ReasonForClosure: 'RC10' })] }),
    ]);
    await expectRule('8640', 'warning', xml, [{ child: 'Fail1', field: 'ReasonForClosure', at: 'RC10' }]);
  });

  it('8805: a closure date without a reason', async () => {
    await expectRule('8805', 'warning', file([child('Pass1'), child('Fail1', { details: [cin({ CINclosureDate: '2024-09-01' })] })]), [
      { child: 'Fail1', field: 'CINclosureDate', at: '2024-09-01' },
    ]);
  });

  it('8810: a reason for closure without a closure date', async () => {
    await expectRule('8810', 'warning', file([child('Pass1'), child('Fail1', { details: [cin({ ReasonForClosure: 'RC7' })] })]), [
      { child: 'Fail1', field: 'ReasonForClosure', at: 'RC7' },
    ]);
  });

  it('8630: closure before referral', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ CINclosureDate: '2024-05-01', ReasonForClosure: 'RC7' })] }),
      child('Fail1', { details: [cin({ CINclosureDate: '2024-04-30', ReasonForClosure: 'RC7' })] }),
    ]);
    await expectRule('8630', 'warning', xml, [{ child: 'Fail1', field: 'CINclosureDate', at: '2024-04-30' }]);
  });

  it('8620: closure date outside the census year', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ CINclosureDate: '2025-03-31', ReasonForClosure: 'RC7' })] }),
      child('Fail1', { details: [cin({ CINclosureDate: '2025-04-01', ReasonForClosure: 'RC7' })] }),
    ]);
    await expectRule('8620', 'warning', xml, [{ child: 'Fail1', field: 'CINclosureDate', at: '2025-04-01' }]);
  });

  it('8568: ReferralNFA missing or not true/false/1/0 — loaded with NFA unknown', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ ReferralNFA: 'TRUE', PrimaryNeedCode: null })] }), child('Pass2', { details: [cin({ ReferralNFA: '0' })] }),
      child('Fail1', { details: [cin({ ReferralNFA: 'maybe' })] }), child('Fail2', { details: [cin({ ReferralNFA: null })] }),
    ]);
    const r = await expectRule('8568', 'warning', xml, [
      { child: 'Fail1', field: 'ReferralNFA', at: 'maybe' }, { child: 'Fail2', field: 'ReferralNFA', at: '<CINdetails>', nth: 4 },
    ]);
    expect((r.rows.referrals ?? []).map((x) => x.row.nfa)).toEqual([true, false, null, null]);
  });

  it('8606: referral more than 40 weeks before the (expected) date of birth', async () => {
    const xml = file([
      child('Pass1', { ids: { PersonBirthDate: '2025-02-05' } }), // 280 days after 1 May 2024
      child('Fail1', { ids: { PersonBirthDate: '2025-02-06' } }),
    ]);
    await expectRule('8606', 'warning', xml, [{ child: 'Fail1', field: 'CINreferralDate', at: '<CINreferralDate>', nth: 2 }]);
  });

  it('8555Q: referral after the date of death', async () => {
    const xml = file([child('Pass1', { ids: { PersonDeathDate: '2024-05-01' } }), child('Fail1', { ids: { PersonDeathDate: '2024-04-30' } })]);
    await expectRule('8555Q', 'warning', xml, [{ child: 'Fail1', field: 'CINreferralDate', at: '<CINreferralDate>', nth: 2 }]);
  });

  it('8569Q: an NFA referral made before the working day preceding 1 April (Easter 2024: Thursday 28 March)', async () => {
    const nfa = { ReferralNFA: 'true', PrimaryNeedCode: null, CINclosureDate: null };
    const xml = file([
      child('Pass1', { details: [cin({ ...nfa, CINreferralDate: '2024-03-28' })] }),
      child('Fail1', { details: [cin({ ...nfa, CINreferralDate: '2024-03-27' })] }),
    ]);
    await expectRule('8569Q', 'warning', xml, [{ child: 'Fail1', field: 'ReferralNFA', at: '<ReferralNFA>', nth: 2 }]);
  });

  it('8831: assessments or Section 47 enquiries on an NFA referral', async () => {
    const nfa = { ReferralNFA: 'true', PrimaryNeedCode: null };
    const xml = file([child('Pass1', { details: [cin(nfa)] }), child('Fail1', { details: [cin(nfa, assessment())] })]);
    await expectRule('8831', 'warning', xml, [{ child: 'Fail1', field: 'ReferralNFA', at: '<ReferralNFA>', nth: 2 }]);
  });

  it('8832: a child protection plan on an NFA referral', async () => {
    const nfa = { ReferralNFA: 'true', PrimaryNeedCode: null };
    const xml = file([child('Pass1', { details: [cin({}, cpp())] }), child('Fail1', { details: [cin(nfa, cpp())] })]);
    await expectRule('8832', 'warning', xml, [{ child: 'Fail1', field: 'ReferralNFA', at: '<ReferralNFA>', nth: 2 }]);
  });

  it('4000: a CIN plan on an NFA referral', async () => {
    const nfa = { ReferralNFA: 'true', PrimaryNeedCode: null };
    const xml = file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin(nfa, cinPlan())] })]);
    await expectRule('4000', 'warning', xml, [{ child: 'Fail1', field: 'ReferralNFA', at: '<ReferralNFA>', nth: 2 }]);
  });

  it('8825Q: closed after assessment (RC8/RC9) with no assessment', async () => {
    const closed = { CINclosureDate: '2024-06-20', ReasonForClosure: 'RC8' };
    const xml = file([child('Pass1', { details: [cin(closed, assessment())] }), child('Fail1', { details: [cin(closed)] })]);
    await expectRule('8825Q', 'warning', xml, [{ child: 'Fail1', field: 'ReasonForClosure', at: 'RC8', nth: 2 }]);
  });

  it('8896: two or more open assessments in one CINdetails', async () => {
    const open = { AssessmentAuthorisationDate: null };
    const xml = file([
      child('Pass1', { details: [cin({}, assessment(), assessment({ ...open, AssessmentActualStartDate: '2024-07-01' }, []))] }),
      child('Fail1', { details: [cin({}, assessment(open, []), assessment({ ...open, AssessmentActualStartDate: '2024-07-01' }, []))] }),
    ]);
    await expectRule('8896', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '<Assessments>', nth: 4 }]);
  });

  it('8839: two or more open Section 47 enquiries in one CINdetails', async () => {
    const open = { DateOfInitialCPC: null };
    const xml = file([
      child('Pass1', { details: [cin({}, s47(open), s47({ ...open, S47ActualStartDate: '2024-06-01', ICPCnotRequired: 'true' }))] }),
      child('Fail1', { details: [cin({}, s47(open), s47({ ...open, S47ActualStartDate: '2024-06-01' }))] }),
    ]);
    await expectRule('8839', 'warning', xml, [{ child: 'Fail1', field: 'DateOfInitialCPC', at: '<Section47>', nth: 4 }]);
  });

  it('8867: a closed episode with an assessment not completed', async () => {
    const closed = { CINclosureDate: '2024-09-01', ReasonForClosure: 'RC7' };
    const xml = file([child('Pass1', { details: [cin(closed, assessment())] }), child('Fail1', { details: [cin(closed, assessment({ AssessmentAuthorisationDate: null }, []))] })]);
    await expectRule('8867', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '<Assessments>', nth: 2 }]);
  });

  it('8868: a closed episode with a Section 47 enquiry neither conferenced nor marked not required', async () => {
    const closed = { CINclosureDate: '2024-09-01', ReasonForClosure: 'RC7' };
    const xml = file([
      child('Pass1', { details: [cin(closed, s47({ DateOfInitialCPC: null, ICPCnotRequired: 'true' }))] }),
      child('Fail1', { details: [cin(closed, s47({ DateOfInitialCPC: null }))] }),
    ]);
    await expectRule('8868', 'warning', xml, [{ child: 'Fail1', field: 'DateOfInitialCPC', at: '<Section47>', nth: 2 }]);
  });

  it('1104: a conference before the referral, at CINdetails or Section 47 level', async () => {
    const xml = file([
      child('Pass1', { details: [cin({ DateOfInitialCPC: '2024-05-01' }, s47())] }),
      child('Fail1', { details: [cin({ DateOfInitialCPC: '2024-04-30' })] }),
      child('Fail2', { details: [cin({}, s47({ S47ActualStartDate: '2024-04-15', DateOfInitialCPC: '2024-04-29' }))] }),
    ]);
    await expectRule('1104', 'warning', xml, [
      { child: 'Fail1', field: 'DateOfInitialCPC', at: '2024-04-30' }, { child: 'Fail2', field: 'DateOfInitialCPC', at: '2024-04-29' },
    ]);
  });

  it('8565: activity dated after the episode closed', async () => {
    const closed = { CINclosureDate: '2024-07-01', ReasonForClosure: 'RC7' };
    const xml = file([
      child('Pass1', { details: [cin(closed, assessment({ AssessmentAuthorisationDate: '2024-07-01' }))] }),
      child('Fail1', { details: [cin(closed, assessment({ AssessmentAuthorisationDate: '2024-07-02' }), cinPlan())] }),
    ]);
    await expectRule('8565', 'warning', xml, [
      { child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '2024-07-02' },
      { child: 'Fail1', field: 'CINPlanEndDate', at: '<CINPlanEndDate>' }, // started 11/06/2024, ended 30/09/2024
    ]);
  });
});

describe('Assessments', () => {
  it('CSC211: an assessment without a start date is not loaded', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment())] }), child('Fail1', { details: [cin({}, assessment({ AssessmentActualStartDate: null }))] })]);
    const r = await expectRule('CSC211', 'error', xml, [{ child: 'Fail1', field: 'AssessmentActualStartDate', at: '<Assessments>', nth: 2 }]);
    expect(ids(r, 'assessments')).toEqual(['Pass1']);
    expect(ids(r, 'referrals')).toEqual(['Pass1', 'Fail1']);
  });

  it('1103: assessment started before the referral', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment({ AssessmentActualStartDate: '2024-05-01' }))] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentActualStartDate: '2024-04-30' }))] }),
    ]);
    await expectRule('1103', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentActualStartDate', at: '2024-04-30' }]);
  });

  it('8608: assessment authorised before it started', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment({ AssessmentActualStartDate: '2024-06-10' }))] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentActualStartDate: '2024-06-11' }))] }),
    ]);
    await expectRule('8608', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '<AssessmentAuthorisationDate>', nth: 2 }]);
  });

  it('8898: the same factor twice — stored once', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment({}, ['3B', '4B']))] }), child('Fail1', { details: [cin({}, assessment({}, ['3B', '4B', '3B']))] })]);
    const r = await expectRule('8898', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentFactors', at: '<AssessmentFactors>3B', nth: 3 }]);
    expect((r.rows.assessments ?? []).map((a) => a.row.factors)).toEqual(['3B,4B', '3B,4B']);
  });

  it('8869: factor 21 (no factors) with other factors', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment({}, ['21']))] }), child('Fail1', { details: [cin({}, assessment({}, ['21', '3B']))] })]);
    await expectRule('8869', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentFactors', at: '<Assessments>', nth: 2 }]);
  });

  it('CSC220: a factor not in the code set (18A and 19A have their own rules)', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment({}, ['24A', '18A']))] }), child('Fail1', { details: [cin({}, assessment({}, ['3B', 'RB']))] })]);
    await expectRule('CSC220', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentFactors', at: '>RB<' }]);
  });

  it('8945Q: factor 18A (use 18B or 18C)', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment({}, ['18B']))] }), child('Fail1', { details: [cin({}, assessment({}, ['18A']))] })]);
    await expectRule('8945Q', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentFactors', at: '18A' }]);
  });

  it('8950Q: factor 19A (use 19B or 19C)', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment({}, ['19C']))] }), child('Fail1', { details: [cin({}, assessment({}, ['19A']))] })]);
    await expectRule('8950Q', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentFactors', at: '19A' }]);
  });

  it('8614: factors on an assessment not yet completed', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment({ AssessmentAuthorisationDate: null }, []))] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentAuthorisationDate: null }, ['3B']))] }),
    ]);
    await expectRule('8614', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '<Assessments>', nth: 2 }]);
  });

  it('8897Q: a completed assessment without factors', async () => {
    const xml = file([child('Pass1', { details: [cin({}, assessment())] }), child('Fail1', { details: [cin({}, assessment({}, []))] })]);
    await expectRule('8897Q', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '<AssessmentAuthorisationDate>', nth: 2 }]);
  });

  it('8696: assessment authorised outside the census year', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, assessment({ AssessmentAuthorisationDate: '2025-03-31' }))] }),
      child('Fail1', { details: [cin({}, assessment({ AssessmentAuthorisationDate: '2025-04-01' }))] }),
    ]);
    await expectRule('8696', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentAuthorisationDate', at: '2025-04-01' }]);
  });

  it('8736: an assessment still open must have started in the census year', async () => {
    const early = { CINreferralDate: '2024-02-01' };
    const xml = file([
      child('Pass1', { details: [cin(early, assessment({ AssessmentActualStartDate: '2024-04-01', AssessmentAuthorisationDate: null }, []))] }),
      child('Fail1', { details: [cin(early, assessment({ AssessmentActualStartDate: '2024-03-31', AssessmentAuthorisationDate: null }, []))] }),
    ]);
    await expectRule('8736', 'warning', xml, [{ child: 'Fail1', field: 'AssessmentActualStartDate', at: '2024-03-31' }]);
  });
});

describe('Section47', () => {
  it('8615 error: an enquiry without a start date is not loaded', async () => {
    const xml = file([child('Pass1', { details: [cin({}, s47())] }), child('Fail1', { details: [cin({}, s47({ S47ActualStartDate: null }))] })]);
    const r = await expectRule('8615', 'error', xml, [{ child: 'Fail1', field: 'S47ActualStartDate', at: '<Section47>', nth: 2 }]);
    expect(ids(r, 'section47')).toEqual(['Pass1']);
  });

  it('8615 warning: enquiry started after its conference', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, s47({ S47ActualStartDate: '2024-05-22' }))] }),
      child('Fail1', { details: [cin({}, s47({ S47ActualStartDate: '2024-05-23' }))] }),
    ]);
    await expectRule('8615', 'warning', xml, [{ child: 'Fail1', field: 'DateOfInitialCPC', at: '<DateOfInitialCPC>', nth: 2 }]);
  });

  it('2889: enquiry started before the referral', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, s47({ S47ActualStartDate: '2024-05-01' }))] }),
      child('Fail1', { details: [cin({}, s47({ S47ActualStartDate: '2024-04-30' }))] }),
    ]);
    await expectRule('2889', 'warning', xml, [{ child: 'Fail1', field: 'S47ActualStartDate', at: '2024-04-30' }]);
  });

  it('8715: conference outside the census year', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, s47({ DateOfInitialCPC: '2025-03-31', InitialCPCtarget: null }))] }),
      child('Fail1', { details: [cin({}, s47({ DateOfInitialCPC: '2025-04-01', InitialCPCtarget: null }))] }),
    ]);
    await expectRule('8715', 'warning', xml, [{ child: 'Fail1', field: 'DateOfInitialCPC', at: '2025-04-01' }]);
  });

  it('8875: conference on a weekend', async () => {
    const xml = file([child('Pass1', { details: [cin({}, s47())] }), child('Fail1', { details: [cin({}, s47({ DateOfInitialCPC: '2024-05-25' }))] })]);
    await expectRule('8875', 'warning', xml, [{ child: 'Fail1', field: 'DateOfInitialCPC', at: '2024-05-25' }]);
  });

  it('8870Q: conference target date on a weekend', async () => {
    const xml = file([child('Pass1', { details: [cin({}, s47())] }), child('Fail1', { details: [cin({}, s47({ InitialCPCtarget: '2024-05-26' }))] })]);
    await expectRule('8870Q', 'warning', xml, [{ child: 'Fail1', field: 'InitialCPCtarget', at: '2024-05-26' }]);
  });

  it('8740: an enquiry with no conference by the census date must have started in the census year', async () => {
    const early = { CINreferralDate: '2024-02-01' };
    const xml = file([
      child('Pass1', { details: [cin(early, s47({ S47ActualStartDate: '2024-03-01', DateOfInitialCPC: null, InitialCPCtarget: null, ICPCnotRequired: 'true' }))] }),
      child('Fail1', { details: [cin(early, s47({ S47ActualStartDate: '2024-03-04', DateOfInitialCPC: null, InitialCPCtarget: null }))] }),
    ]);
    await expectRule('8740', 'warning', xml, [{ child: 'Fail1', field: 'S47ActualStartDate', at: '2024-03-04' }]);
  });

  it('CSC213: ICPCnotRequired missing or not true/false', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, s47({ ICPCnotRequired: '0' }))] }),
      child('Fail1', { details: [cin({}, s47({ ICPCnotRequired: 'no' }))] }),
      child('Fail2', { details: [cin({}, s47({ ICPCnotRequired: null }))] }),
    ]);
    const r = await expectRule('CSC213', 'warning', xml, [
      { child: 'Fail1', field: 'ICPCnotRequired', at: '<ICPCnotRequired>no' }, { child: 'Fail2', field: 'ICPCnotRequired', at: '<Section47>', nth: 3 },
    ]);
    expect((r.rows.section47 ?? []).map((s) => s.row.icpc_not_required)).toEqual([false, null, null]);
  });
});

describe('CINPlanDates', () => {
  it('4010 error: a CIN plan without a start date is not loaded', async () => {
    const xml = file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin({}, cinPlan({ CINPlanStartDate: null }))] })]);
    const r = await expectRule('4010', 'error', xml, [{ child: 'Fail1', field: 'CINPlanStartDate', at: '<CINPlanDates>', nth: 2 }]);
    expect(ids(r, 'cin_plans')).toEqual(['Pass1']);
  });

  it('4010 warning: a CIN plan starting after the census date', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cinPlan({ CINPlanStartDate: '2025-03-31', CINPlanEndDate: null }))] }),
      child('Fail1', { details: [cin({}, cinPlan({ CINPlanStartDate: '2025-04-01', CINPlanEndDate: null }))] }),
    ]);
    await expectRule('4010', 'warning', xml, [{ child: 'Fail1', field: 'CINPlanStartDate', at: '2025-04-01' }]);
  });

  it('4011: CIN plan ends before it starts', async () => {
    await expectRule('4011', 'warning', file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin({}, cinPlan({ CINPlanEndDate: '2024-06-10' }))] })]), [
      { child: 'Fail1', field: 'CINPlanEndDate', at: '2024-06-10' },
    ]);
  });

  it('4012Q: CIN plan starts and ends the same day', async () => {
    await expectRule('4012Q', 'warning', file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin({}, cinPlan({ CINPlanEndDate: '2024-06-11' }))] })]), [
      { child: 'Fail1', field: 'CINPlanEndDate', at: '<CINPlanEndDate>2024-06-11' },
    ]);
  });

  it('4013: CIN plan ends outside the census year', async () => {
    await expectRule('4013', 'warning', file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin({}, cinPlan({ CINPlanEndDate: '2025-04-01' }))] })]), [
      { child: 'Fail1', field: 'CINPlanEndDate', at: '2025-04-01' },
    ]);
  });

  it('4015: CIN plan starts before the referral', async () => {
    await expectRule('4015', 'warning', file([child('Pass1', { details: [cin({}, cinPlan())] }), child('Fail1', { details: [cin({}, cinPlan({ CINPlanStartDate: '2024-04-30' }))] })]), [
      { child: 'Fail1', field: 'CINPlanStartDate', at: '2024-04-30' },
    ]);
  });

  it('4008: CIN plan starts after the date of death', async () => {
    const xml = file([
      child('Pass1', { ids: { PersonDeathDate: '2024-12-01' }, details: [cin({}, cinPlan())] }),
      child('Fail1', { ids: { PersonDeathDate: '2024-06-10' }, details: [cin({}, cinPlan())] }),
    ]);
    await expectRule('4008', 'warning', xml, [{ child: 'Fail1', field: 'CINPlanStartDate', at: '<CINPlanStartDate>', nth: 2 }]);
  });

  it('4009Q: CIN plan ends after the date of death', async () => {
    const xml = file([
      child('Pass1', { ids: { PersonDeathDate: '2024-09-30' }, details: [cin({}, cinPlan())] }),
      child('Fail1', { ids: { PersonDeathDate: '2024-09-29' }, details: [cin({}, cinPlan())] }),
    ]);
    await expectRule('4009Q', 'warning', xml, [{ child: 'Fail1', field: 'CINPlanEndDate', at: '<CINPlanEndDate>', nth: 2 }]);
  });
});

describe('ChildProtectionPlans and Reviews', () => {
  it('8720 error: a plan without a start date is not loaded, nor its reviews', async () => {
    const xml = file([child('Pass1', { details: [cin({}, cpp())] }), child('Fail1', { details: [cin({}, cpp({ CPPstartDate: null }))] })]);
    const r = await expectRule('8720', 'error', xml, [{ child: 'Fail1', field: 'CPPstartDate', at: '<ChildProtectionPlans>', nth: 2 }]);
    expect(ids(r, 'cp_plans')).toEqual(['Pass1']);
    expect(ids(r, 'cp_reviews')).toEqual(['Pass1']);
    expect(r.findings.find((f) => f.code === '8720')!.message).toContain('this plan and its 1 review not loaded');
  });

  it('8720 warning: a plan starting after the census date', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({}, []))] }), child('Fail1', { details: [cin({}, cpp({ CPPstartDate: '2025-04-01' }, []))] }),
    ]);
    await expectRule('8720', 'warning', xml, [{ child: 'Fail1', field: 'CPPstartDate', at: '2025-04-01' }]);
  });

  it('1105: plan starts before the referral', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ CPPstartDate: '2024-05-01' }))] }), child('Fail1', { details: [cin({}, cpp({ CPPstartDate: '2024-04-30' }, []))] }),
    ]);
    await expectRule('1105', 'warning', xml, [{ child: 'Fail1', field: 'CPPstartDate', at: '2024-04-30' }]);
  });

  it('8925: plan ends before it starts', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ CPPendDate: '2024-09-01' }))] }), child('Fail1', { details: [cin({}, cpp({ CPPendDate: '2024-05-21' }, []))] }),
    ]);
    await expectRule('8925', 'warning', xml, [{ child: 'Fail1', field: 'CPPendDate', at: '2024-05-21' }]);
  });

  it('8840: plan starts and ends the same day', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ CPPendDate: '2024-05-23' }, []))] }), child('Fail1', { details: [cin({}, cpp({ CPPendDate: '2024-05-22' }, []))] }),
    ]);
    await expectRule('8840', 'warning', xml, [{ child: 'Fail1', field: 'CPPendDate', at: '<CPPendDate>2024-05-22' }]);
  });

  it('8930: plan ends outside the census year', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ CPPendDate: '2025-03-31' }))] }), child('Fail1', { details: [cin({}, cpp({ CPPendDate: '2025-04-01' }))] }),
    ]);
    await expectRule('8930', 'warning', xml, [{ child: 'Fail1', field: 'CPPendDate', at: '2025-04-01' }]);
  });

  it('8905: initial category of abuse missing or invalid — stored as written', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ InitialCategoryOfAbuse: 'MUL' }))] }),
      child('Fail1', { details: [cin({}, cpp({ InitialCategoryOfAbuse: 'XYZ' }))] }),
      child('Fail2', { details: [cin({}, cpp({ InitialCategoryOfAbuse: null }))] }),
    ]);
    const r = await expectRule('8905', 'warning', xml, [
      { child: 'Fail1', field: 'InitialCategoryOfAbuse', at: 'XYZ' }, { child: 'Fail2', field: 'InitialCategoryOfAbuse', at: '<ChildProtectionPlans>', nth: 3 },
    ]);
    expect((r.rows.cp_plans ?? []).map((p) => p.row.initial_category)).toEqual(['MUL', 'XYZ', null]);
  });

  it('8910: latest category of abuse missing or invalid', async () => {
    const xml = file([child('Pass1', { details: [cin({}, cpp())] }), child('Fail1', { details: [cin({}, cpp({ LatestCategoryOfAbuse: 'neglect' }))] })]);
    await expectRule('8910', 'warning', xml, [{ child: 'Fail1', field: 'LatestCategoryOfAbuse', at: 'neglect' }]);
  });

  it('8730: number of previous plans missing or not a whole number', async () => {
    const xml = file([
      child('Pass1', { details: [cin({}, cpp({ NumberOfPreviousCPP: '2' }))] }),
      child('Fail1', { details: [cin({}, cpp({ NumberOfPreviousCPP: null }))] }),
      child('Fail2', { details: [cin({}, cpp({ NumberOfPreviousCPP: 'two' }))] }),
    ]);
    const r = await expectRule('8730', 'warning', xml, [
      { child: 'Fail1', field: 'NumberOfPreviousCPP', at: '<ChildProtectionPlans>', nth: 2 }, { child: 'Fail2', field: 'NumberOfPreviousCPP', at: 'two' },
    ]);
    expect((r.rows.cp_plans ?? []).map((p) => p.row.previous_plans)).toEqual([2, null, null]);
  });

  it('8915: plan starts after the date of death', async () => {
    const xml = file([
      child('Pass1', { ids: { PersonDeathDate: '2024-05-22' }, details: [cin({}, cpp({}, []))] }),
      child('Fail1', { ids: { PersonDeathDate: '2024-05-21' }, details: [cin({}, cpp({}, []))] }),
    ]);
    await expectRule('8915', 'warning', xml, [{ child: 'Fail1', field: 'CPPstartDate', at: '<CPPstartDate>', nth: 2 }]);
  });

  it('8920: plan ends after the date of death', async () => {
    const xml = file([
      child('Pass1', { ids: { PersonDeathDate: '2024-06-30' }, details: [cin({}, cpp({ CPPendDate: '2024-06-30' }, []))] }),
      child('Fail1', { ids: { PersonDeathDate: '2024-06-29' }, details: [cin({}, cpp({ CPPendDate: '2024-06-30' }, []))] }),
    ]);
    await expectRule('8920', 'warning', xml, [{ child: 'Fail1', field: 'CPPendDate', at: '<CPPendDate>', nth: 2 }]);
  });

  it('8842Q: a review without a date is not loaded', async () => {
    const xml = file([child('Pass1', { details: [cin({}, cpp({}, ['2024-08-20', '']))] })]);
    const r = await expectRule('8842Q', 'error', xml, [{ child: 'Pass1', field: 'CPPreviewDate', at: '<CPPreviewDate></CPPreviewDate>' }]);
    expect((r.rows.cp_reviews ?? []).map((x) => x.row)).toEqual([{ child_id: 'Pass1', plan_start_date: '2024-05-22', review_date: '2024-08-20' }]);
  });

  it('8841: a review on or before the plan start', async () => {
    const xml = file([child('Pass1', { details: [cin({}, cpp({}, ['2024-05-23']))] }), child('Fail1', { details: [cin({}, cpp({}, ['2024-05-22']))] })]);
    await expectRule('8841', 'warning', xml, [{ child: 'Fail1', field: 'CPPreviewDate', at: '<CPPreviewDate>2024-05-22' }]);
  });
});

describe('PreProceedingsandFGDM', () => {
  it('CSC211: pre-proceedings without a start date are not loaded', async () => {
    const xml = file([child('Pass1', { details: [cin({}, pp())] }), child('Fail1', { details: [cin({}, pp({ PPStartDate: null }))] })]);
    const r = await expectRule('CSC211', 'error', xml, [{ child: 'Fail1', field: 'PPStartDate', at: '<PreProceedingsandFGDM>', nth: 2 }]);
    expect(ids(r, 'pre_proceedings')).toEqual(['Pass1']);
  });

  it('CSC213: a family group decision making flag that is not true/false/1/0', async () => {
    const xml = file([child('Pass1', { details: [cin({}, pp({ FGDMMeetingFac: 'false' }))] }), child('Fail1', { details: [cin({}, pp({ FGDMMeetingOffer: 'Y' }))] })]);
    const r = await expectRule('CSC213', 'warning', xml, [{ child: 'Fail1', field: 'FGDMMeetingOffer', at: '<FGDMMeetingOffer>Y' }]);
    expect((r.rows.pre_proceedings ?? []).map((p) => [p.row.fgdm_offered, p.row.fgdm_facilitated])).toEqual([[true, false], [null, true]]);
  });

  it('CSC214: number of review meetings not a whole number', async () => {
    const xml = file([child('Pass1', { details: [cin({}, pp())] }), child('Fail1', { details: [cin({}, pp({ ReviewMeetingsCount: 'three' }))] })]);
    await expectRule('CSC214', 'warning', xml, [{ child: 'Fail1', field: 'ReviewMeetingsCount', at: 'three' }]);
  });

  it('CSC215: a pre-proceedings step dated before pre-proceedings started', async () => {
    const xml = file([child('Pass1', { details: [cin({}, pp())] }), child('Fail1', { details: [cin({}, pp({ LBPSentDate: '2024-06-30' }))] })]);
    await expectRule('CSC215', 'warning', xml, [{ child: 'Fail1', field: 'LBPSentDate', at: '2024-06-30' }]);
  });
});

describe('structure', () => {
  it('CSC205: text between elements is ignored and flagged', async () => {
    const xml = file([child('Pass1'), child('Fail1').replace('<PersonBirthDate>', 'PersonBirthDate\n<PersonBirthDate>')]);
    tested.add('CSC205:warning');
    const r = await read(xml);
    expect(r.findings.map((f) => [f.code, f.childId, f.row, f.value])).toEqual([['CSC205', 'Fail1', lineOf(xml, 'PersonBirthDate', 2), 'PersonBirthDate']]);
    expect(r.rows.children![1].row.dob).toBe('2015-06-01');
  });

  it('CSC206: an element the census does not have is skipped with its content', async () => {
    const xml = file([child('Fail1').replace('<Sex>F</Sex>', '<Sex>F</Sex>\n<Nickname><First>Jo</First></Nickname>')]);
    tested.add('CSC206:warning');
    const r = await read(xml);
    expect(r.findings.map((f) => [f.code, f.childId, f.field, f.row])).toEqual([['CSC206', 'Fail1', 'Nickname', lineOf(xml, '<Nickname>')]]);
  });

  it('CSC207: a field given twice — the first is kept', async () => {
    const xml = file([child('Fail1', { chars: `<Ethnicity>WBRI</Ethnicity>\n<Ethnicity>WIRI</Ethnicity>\n${DISABILITY_NONE}` })]);
    tested.add('CSC207:warning');
    const r = await read(xml);
    expect(r.findings.map((f) => [f.code, f.childId, f.value, f.row])).toEqual([['CSC207', 'Fail1', 'WIRI', lineOf(xml, 'WIRI')]]);
    expect(r.rows.children![0].row.ethnicity).toBe('WBRI');
  });
});

describe('coverage of the declarations', () => {
  it('every rule declared in cinRules.ts has a worked example above', () => {
    const declared = new Set([
      ...CIN_RULES.map((r) => `${r.code}:${r.severity}`),
      ...Object.values(FILE_RULES).filter((r) => r.severity === 'warning').map((r) => `${r.code}:${r.severity}`),
    ]);
    expect([...declared].filter((d) => !tested.has(d))).toEqual([]);
  });
});
