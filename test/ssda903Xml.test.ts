// SSDA903 XML: a synthetic authority's 2024-25 return written as the eleven CSVs, then the same rows
// written as XML in both accepted layouts (the column-name form in a DfE <Message>, ISO dates; DfE's
// <EXPSSDA903> form as read by Data to Insight's validator, dd/mm/yyyy dates), each loaded into its own
// real store: the current-state tables must be equal row by row, with the same findings. Then small
// hand-written files: a rule failure located by element, ISO and UK dates, leading zeros, the header's
// year, DOCTYPE and entity declarations refused, XML that is not well-formed, recognition by detectKind.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { detectKind, loadFile, validateFile, type LoadResult } from '../src/load.ts';
import type { TableName } from '../src/model.ts';
import { SSDA903_COLUMNS, SSDA903_DATE_COLUMNS, SSDA903_STORED, SSDA903_TABLES, type Ssda903Table } from '../src/ingest/ssda903.ts';
import { readSsda903Xml } from '../src/ingest/ssda903Xml.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import type { Finding, RecordSink } from '../src/ingest/types.ts';
import { DEFAULT_SYNTH_OPTIONS, simulate } from '../src/synth/simulate.ts';
import { writeSsda903 } from '../src/synth/writeSsda903.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-903xml-'));
const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(name: string): Promise<Store> {
  const store = await Store.open(join(dir, `${name}.duckdb`));
  stores.push(store);
  return store;
}

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, v: string) => (v === '' ? `<${name}/>` : `<${name}>${esc(v)}</${name}>`);
const toIso = (v: string) => v.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$2-$1');
const FROM_CHILD = new Set(['CHILD', 'DOB', 'SEX']);

// ---------------------------------------------------------------------------------------------
// CSVs → XML, by hand (not through the reader's own tables of names)

type CsvRow = Record<string, string>;
type Return = Map<string, { header: CsvRow; rows: Map<Ssda903Table, CsvRow[]> }>;

function readReturn(folder: string): Return {
  const children: Return = new Map();
  const tables = new Map<Ssda903Table, CsvRow[]>();
  for (const t of SSDA903_TABLES) {
    const text = readFileSync(join(folder, `${t}.csv`), 'utf8');
    expect(text.includes('"')).toBe(false); // the writer's files are split on commas below
    const [head, ...lines] = text.trimEnd().split('\n');
    const cols = head.split(',');
    tables.set(t, lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v]))));
  }
  for (const h of tables.get('header')!) children.set(h.CHILD, { header: h, rows: new Map() });
  for (const t of SSDA903_TABLES) {
    if (t === 'header') continue;
    for (const r of tables.get(t)!) {
      const child = children.get(r.CHILD)!; // the writer puts every child of the return in header.csv
      if (!child.rows.has(t)) child.rows.set(t, []);
      child.rows.get(t)!.push(r);
    }
  }
  return children;
}

/** Items of a record: the table's columns but those the record takes from its Child. */
function items(t: Ssda903Table, r: CsvRow, date: (v: string) => string, rename: Record<string, string> = {}): string {
  return SSDA903_COLUMNS[t].filter((c) => !FROM_CHILD.has(c))
    .map((c) => el(rename[c] ?? c, SSDA903_DATE_COLUMNS[t].includes(c) || c === 'DATE_PERM' ? date(r[c]) : r[c])).join('');
}

/** The column-name form: a DfE Message with a header, wrappers, ISO dates, one record per line. */
function columnForm(ret: Return): string {
  const RECORD: Record<Exclude<Ssda903Table, 'header'>, [string | null, string]> = {
    episodes: ['Episodes', 'Episode'], reviews: ['Reviews', 'Review'], uasc: [null, 'UASC'], oc2: [null, 'OC2'], oc3: [null, 'OC3'],
    ad1: [null, 'AD1'], placed_for_adoption: [null, 'PlacedForAdoption'], previous_permanence: [null, 'PreviousPermanence'],
    missing: ['MissingEpisodes', 'Missing'], sw_episodes: [null, 'SocialWorkerEpisode'],
  };
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Message><Header><CollectionDetails><Collection>SSDA903</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>',
    '<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header>',
    '<Children>',
  ];
  for (const { header, rows } of ret.values()) {
    out.push('<Child>' + SSDA903_COLUMNS.header.map((c) => el(c, c === 'DOB' || c === 'MC_DOB' ? toIso(header[c]) : header[c])).join(''));
    for (const [t, list] of rows) {
      const [wrapper, record] = RECORD[t as Exclude<Ssda903Table, 'header'>];
      if (wrapper) out.push(`<${wrapper}>`);
      for (const r of list) out.push(`  <${record}>${items(t, r, toIso)}</${record}>`);
      if (wrapper) out.push(`</${wrapper}>`);
    }
    out.push('</Child>');
  }
  out.push('</Children></Message>', '');
  return out.join('\n');
}

/** DfE's EXPSSDA903 form: CHILDID, PL, a UASC flag and the OC3/AD1 items in the HEADER, AREVIEW and friends; dd/mm/yyyy. */
function dfeForm(ret: Return): string {
  const keep = (v: string) => v;
  const out = ["<?xml version='1.0' encoding='us-ascii'?>", '<EXPSSDA903>'];
  for (const { header, rows } of ret.values()) {
    const flat = (t: Ssda903Table) => (rows.get(t) ?? [])[0];
    out.push('<CHILD>');
    let h = `<HEADER>${el('CHILDID', header.CHILD)}${el('UPN', header.UPN)}${el('SEX', header.SEX)}${el('DOB', header.DOB)}${el('ETHNIC', header.ETHNIC)}`;
    const uasc = flat('uasc');
    h += uasc ? `${el('UASC', '1')}${el('DUC', uasc.DUC)}` : '<UASC />';
    if (flat('oc3')) h += items('oc3', flat('oc3'), keep);
    if (flat('ad1')) h += items('ad1', flat('ad1'), keep);
    out.push(h);
    for (const r of rows.get('reviews') ?? []) out.push(`  <AREVIEW>${items('reviews', r, keep)}</AREVIEW>`);
    out.push(`  ${el('MOTHER', header.MOTHER)}${el('MC_DOB', header.MC_DOB)}`);
    for (const r of rows.get('oc2') ?? []) out.push(`  <OC2>${items('oc2', r, keep)}</OC2>`);
    for (const r of rows.get('missing') ?? []) out.push(`  <AMISSING>${items('missing', r, keep)}</AMISSING>`);
    for (const r of rows.get('previous_permanence') ?? []) out.push(`  <PERMANENCE>${items('previous_permanence', r, keep)}</PERMANENCE>`);
    for (const r of rows.get('placed_for_adoption') ?? []) out.push(`  <AD_PLACED>${items('placed_for_adoption', r, keep)}</AD_PLACED>`);
    for (const r of rows.get('sw_episodes') ?? []) out.push(`  <SW_EPISODE>${items('sw_episodes', r, keep)}</SW_EPISODE>`);
    out.push('</HEADER>');
    for (const r of rows.get('episodes') ?? []) out.push(`<EPISODE>${items('episodes', r, keep, { PLACE: 'PL' })}</EPISODE>`);
    out.push('</CHILD>');
  }
  out.push('</EXPSSDA903>', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

const TABLES_903 = [...new Set(SSDA903_TABLES.map((t) => SSDA903_STORED[t].table))] as TableName[];

async function current(store: Store, table: TableName): Promise<Record<string, unknown>[]> {
  return store.query(`SELECT * EXCLUDE (load_id, source_file, source_row) FROM ${table} ORDER BY ALL`);
}

/** Findings as comparable across forms: no file, line or message; dates as ISO. */
function comparable(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.code !== 'CSC307')
    .map((f) => [f.code, f.severity, f.section, f.field, f.value === null ? null : toIso(f.value), f.childId].join('|'))
    .sort();
}

describe('the same return as CSVs and as XML', () => {
  let csv: { store: Store; results: LoadResult[] };
  let xml: { store: Store; result: LoadResult; path: string }[];
  let counts: Record<string, number>;

  beforeAll(async () => {
    const la = simulate({ ...DEFAULT_SYNTH_OPTIONS, population: 6000, years: 2, seed: 5, faultRate: 0.05 });
    const folder = join(dir, 'csv', '2024-25');
    mkdirSync(folder, { recursive: true });
    counts = await writeSsda903(la, 2024, folder);
    const ret = readReturn(folder);
    const csvStore = await openStore('csv');
    const results: LoadResult[] = [];
    for (const t of SSDA903_TABLES) results.push(await loadFile(csvStore, join(folder, `${t}.csv`)));
    csv = { store: csvStore, results };
    const forms = [
      write(join(dir, 'xml-columns', 'return.xml'), columnForm(ret)), // year from the header
      write(join(dir, 'xml-dfe', '2024-25', 'return.xml'), dfeForm(ret)), // year from the folder
    ];
    xml = [];
    for (const [i, path] of forms.entries()) {
      const store = await openStore(`xml${i}`);
      xml.push({ store, path, result: await loadFile(store, path) });
    }
  }, 60_000);

  it('the synthetic return has rows in every table, and every file loads', () => {
    for (const t of SSDA903_TABLES) expect(counts[t], t).toBeGreaterThan(0);
    expect(csv.results.map((r) => r.status)).toEqual(SSDA903_TABLES.map(() => 'loaded'));
    for (const { result } of xml) {
      expect(result.kind).toBe('ssda903');
      expect(result.status).toBe('loaded');
      expect(result.summary).toMatchObject({ kind: 'ssda903', collectionYear: 2024, periodStart: '2024-04-01', periodEnd: '2025-03-31' });
      expect(result.summary!.parts).toEqual(SSDA903_TABLES);
    }
  });

  it('each XML form stores the same rows as the CSVs, table by table, row by row', async () => {
    for (const table of TABLES_903) {
      const expected = await current(csv.store, table);
      expect(expected.length, table).toBeGreaterThan(0);
      for (const { store, path } of xml) expect({ path, table, rows: await current(store, table) }).toEqual({ path, table, rows: expected });
    }
  });

  it('each XML form gives the same findings (rule, field, value, child) and rejects the same number of rows', () => {
    const fromCsv = csv.results.flatMap((r) => r.findings);
    expect(fromCsv.filter((f) => f.ruleset === 'ssda903').length).toBeGreaterThan(0); // the injected faults are found
    const rejected = csv.results.reduce((n, r) => n + r.rowsRejected, 0);
    for (const { result } of xml) {
      expect(comparable(result.findings)).toEqual(comparable(fromCsv));
      expect(result.rowsRejected).toBe(rejected);
    }
  });

  it('the rows keep the line their element starts on; findings name the element', async () => {
    const [columns] = xml;
    const text = readFileSync(columns.path, 'utf8').split('\n');
    const rows = await columns.store.query<{ source_row: number; child_id: string }>('SELECT source_row, child_id FROM lac_episodes ORDER BY source_row LIMIT 5');
    for (const r of rows) expect(text[r.source_row - 1]).toMatch(/^ {2}<Episode><DECOM>/);
    const located = columns.result.findings.filter((f) => f.ruleset === 'ssda903' && f.section === 'episodes');
    expect(located.length).toBeGreaterThan(0);
    for (const f of located) expect(f.message).toMatch(new RegExp(`^return\\.xml line ${f.row}, Child \\d+ Episode \\d+: `));
  });

  it('the same XML loaded twice changes nothing', async () => {
    const [columns] = xml;
    const again = await loadFile(columns.store, columns.path);
    expect(again.status).toBe('unchanged');
    expect(again.loadId).toBe(columns.result.loadId);
  });
});

// ---------------------------------------------------------------------------------------------
// Small files

const HEADER = (year = '2025', ref = '2025-03-31') =>
  `<Header><CollectionDetails><Collection>SSDA903</Collection><Year>${year}</Year><ReferenceDate>${ref}</ReferenceDate></CollectionDetails></Header>`;

function message(children: string, header = HEADER()): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Message>${header}\n<Children>\n${children}\n</Children>\n</Message>\n`;
}

const CHILD_0012 = [
  '<Child>',
  '  <CHILD>0012</CHILD><SEX>1</SEX><DOB>2010-05-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>A123456789012</UPN>',
  '  <Episodes>',
  '    <Episode><DECOM>2024-04-01</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PLACE>U4</PLACE><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>2024-09-30</DEC><REC>X1</REC><REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE><HOME_POST>AB1 2CD</HOME_POST><PL_POST>AB3 4EF</PL_POST><URN>SC123456</URN></Episode>',
  '    <Episode><DECOM>30/09/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PLACE>U6</PLACE><PLACE_PROVIDER>PR1</PLACE_PROVIDER><HOME_POST>AB1 2CD</HOME_POST><PL_POST>AB3 4EF</PL_POST><URN>SC123456</URN></Episode>',
  '  </Episodes>',
  '  <Reviews><Review><REVIEW>15/06/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></Review></Reviews>',
  '</Child>',
].join('\n');

const EPISODES_CSV = [
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  '0012,01/04/2024,S,C2,N1,U4,PR1,30/09/2024,X1,CARPL,AB1 2CD,AB3 4EF,SC123456',
  '0012,30/09/2024,P,C2,N1,U9,PR1,,,,AB1 2CD,AB3 4EF,SC123456',
].join('\n');

async function read(path: string, collectionYear?: number) {
  const rows: Record<string, Record<string, unknown>[]> = {};
  const lines: Record<string, number[]> = {};
  const findings: Finding[] = [];
  const sink: RecordSink = {
    add(table, row, sourceRow) {
      (rows[table] ??= []).push(row as Record<string, unknown>);
      (lines[table] ??= []).push(sourceRow ?? -1);
    },
    finding: (f) => { findings.push(f); },
  };
  const summary = await readSsda903Xml(path, sink, collectionYear === undefined ? {} : { collectionYear });
  return { rows, lines, findings, summary };
}

async function rejection(path: string): Promise<FileRejected> {
  try {
    await read(path);
  } catch (err) {
    if (err instanceof FileRejected) return err;
    throw err;
  }
  throw new Error(`${path} was not rejected`);
}

describe('SSDA903 XML, small files', () => {
  it('a rule failure gives the same code as in the CSV, located by line and element', async () => {
    const fromXml = await validateFile(write(join(dir, 'small', 'rule.xml'), message(CHILD_0012.replace('<PLACE>U6</PLACE>', '<PLACE>U9</PLACE>'))));
    const fromCsv = await validateFile(write(join(dir, 'small', '2024-25', 'episodes.csv'), EPISODES_CSV));
    const pick = (r: LoadResult) => r.findings.filter((f) => f.section === 'episodes').map((f) => [f.code, f.severity, f.field, f.value, f.childId]);
    expect(pick(fromXml)).toEqual(pick(fromCsv));
    expect(pick(fromXml)).toEqual([['146', 'warning', 'PLACE', 'U9', '0012']]);
    const [f] = fromXml.findings.filter((x) => x.code === '146');
    expect(f).toMatchObject({ ruleset: 'ssda903', file: 'rule.xml', row: 8, section: 'episodes' });
    expect(f.message).toMatch(/^rule\.xml line 8, Child 1 Episode 2: PLACE U9 is not a valid code \(rule 146: /);
    expect(fromXml.rowsLoaded).toEqual({ children: 1, lac_episodes: 2, lac_reviews: 1 });
  });

  it('an error rule keeps the row out, as in the CSV: a DECOM that is not a date', async () => {
    const r = await read(write(join(dir, 'small', 'bad-date.xml'), message(CHILD_0012.replace('<DECOM>30/09/2024</DECOM>', '<DECOM>31/09/2024</DECOM>'))), 2024);
    expect(r.rows.lac_episodes).toHaveLength(1);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.row, f.field, f.value])).toEqual([['141', 8, 'DECOM', '31/09/2024']]);
  });

  it('ISO and dd/mm/yyyy dates are both read; ids keep their leading zeros', async () => {
    const r = await read(write(join(dir, 'small', 'dates.xml'), message(CHILD_0012)));
    expect(r.findings).toEqual([]);
    expect(r.rows.children).toEqual([
      { child_id: '0012', upn: 'A123456789012', dob: '2010-05-01', sex: 'M', ethnicity: 'WBRI', disabilities: null, disabled: null, uasc: null, date_of_death: null },
    ]);
    expect(r.rows.lac_episodes.map((e) => [e.child_id, e.decom, e.dec])).toEqual([['0012', '2024-04-01', '2024-09-30'], ['0012', '2024-09-30', null]]);
    expect(r.rows.lac_reviews).toEqual([{ child_id: '0012', review_date: '2024-06-15', participation: 'PN1' }]);
    expect(r.lines).toEqual({ children: [4], lac_episodes: [7, 8], lac_reviews: [10] });
    // xs:dateTime and a zone are read as their date
    const t = await read(write(join(dir, 'small', 'datetime.xml'), message(CHILD_0012.replace('<DOB>2010-05-01</DOB>', '<DOB>2010-05-01T00:00:00Z</DOB>'))));
    expect(t.rows.children[0].dob).toBe('2010-05-01');
  });

  it('the collection year comes from the header: Year 2025 is 2024-25; ReferenceDate first; the header wins over the folder', async () => {
    const ref = await read(write(join(dir, 'small', 'ref.xml'), message(CHILD_0012)));
    expect(ref.summary).toMatchObject({ collectionYear: 2024, periodStart: '2024-04-01', periodEnd: '2025-03-31', parts: ['header', 'episodes', 'reviews'] });
    const yearOnly = await read(write(join(dir, 'small', 'year.xml'), message(CHILD_0012, HEADER('2025', ''))));
    expect(yearOnly.summary.collectionYear).toBe(2024);
    const ukRef = await read(write(join(dir, 'small', 'ukref.xml'), message(CHILD_0012, HEADER('', '31/03/2025'))));
    expect(ukRef.summary.collectionYear).toBe(2024);
    const other = await read(write(join(dir, 'small', 'other.xml'), message(CHILD_0012)), 2023);
    expect(other.summary.collectionYear).toBe(2024);
    expect(other.findings.map((f) => [f.code, f.message])).toEqual([[
      'CSC307', "other.xml: the header's ReferenceDate 31/03/2025 makes the collection year 2024-25, but 2023-24 was given (--year or the folder name) — the header's year is used (CSC307)",
    ]]);
  });

  it('without a header the year comes from --year or the folder, else the latest DECOM in the file', async () => {
    const bare = `<Message><Children>\n${CHILD_0012}\n</Children></Message>\n`;
    const given = await read(write(join(dir, 'small', 'bare.xml'), bare), 2024);
    expect(given.summary.collectionYear).toBe(2024);
    expect(given.findings).toEqual([]);
    const inferred = await read(write(join(dir, 'small', 'bare2.xml'), bare));
    expect(inferred.summary.collectionYear).toBe(2024);
    expect(inferred.findings.map((f) => f.message)).toEqual([
      'bare2.xml: collection year not given; taken as 2024-25 from the latest episode start (DECOM 30/09/2024) in the file — give it (a header ReferenceDate, --year, or a folder named 2024-25) if that is wrong (CSC307)',
    ]);
    // a header with its year left blank says nothing: the year is inferred as above
    const blank = await read(write(join(dir, 'small', 'blank-year.xml'), message(CHILD_0012, HEADER('', ''))));
    expect(blank.summary.collectionYear).toBe(2024);
    expect(blank.findings.map((f) => f.code)).toEqual(['CSC307']);
    // no year anywhere: OC2 rows cannot be keyed and are not loaded; the rest is
    const noYear = await read(write(join(dir, 'small', 'noyear.xml'),
      '<Message><Children><Child><CHILD>7</CHILD><SEX>2</SEX><DOB>2012-01-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN>\n<OC2><SDQ_SCORE>10</SDQ_SCORE></OC2></Child></Children></Message>'));
    expect(Object.keys(noYear.rows)).toEqual(['children']);
    expect(noYear.findings.map((f) => [f.code, f.severity, f.row, f.section])).toEqual([['CSC307', 'warning', null, null], ['CSC307', 'error', 2, 'oc2']]);
  });

  it('DfE layout: CHILDID, PL, the UASC flag and OC3 items in the HEADER, nested AREVIEW; an unknown element once', async () => {
    const xml = [
      "<?xml version='1.0' encoding='us-ascii'?>",
      '<EXPSSDA903><CHILD><HEADER><CHILDID>000947</CHILDID><UPN>E095867270650</UPN><SEX>2</SEX><DOB>19/12/2006</DOB><ETHNIC>APKN</ETHNIC>',
      '<UASC>1</UASC><DUC>15/12/2024</DUC><IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV><ACCOM>D1</ACCOM><LA_NAME>Northshire</LA_NAME>',
      '<AREVIEW><REVIEW>28/01/2025</REVIEW><REVIEW_CODE>PN3</REVIEW_CODE></AREVIEW><MOTHER /><MC_DOB /></HEADER>',
      '<EPISODE><DECOM>11/11/2024</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N1</CIN><PL>K2</PL><PL_POST>E2 7BB</PL_POST><HOME_POST>E1 6AN</HOME_POST><URN>1234567</URN><PLACE_PROVIDER>PR4</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE></CHILD>',
      '<CHILD><HEADER><CHILDID>000948</CHILDID><UPN>UN1</UPN><SEX>1</SEX><DOB>01/01/2015</DOB><ETHNIC>WBRI</ETHNIC><UASC /><LA_NAME>Northshire</LA_NAME></HEADER></CHILD>',
      '</EXPSSDA903>',
    ].join('\n');
    const path = write(join(dir, 'small', 'dfe', '2024-25', 'fake_903.xml'), xml);
    expect(detectKind(path)).toBe('ssda903');
    const r = await read(path, 2024);
    expect(r.rows.children.map((c) => c.child_id)).toEqual(['000947', '000948']);
    expect(r.rows.uasc).toEqual([{ child_id: '000947', date_uasc_ceased: '2024-12-15' }]);
    expect(r.rows.care_leavers).toEqual([{ child_id: '000947', collection_year: 2024, in_touch: 'YES', activity: 'F2', accommodation: 'D1', accommodation_suitable: true, eligibility: null }]);
    expect(r.rows.lac_episodes.map((e) => [e.child_id, e.decom, e.placement_type, e.dec])).toEqual([['000947', '2024-11-11', 'K2', null]]);
    expect(r.rows.lac_reviews).toEqual([{ child_id: '000947', review_date: '2025-01-28', participation: 'PN3' }]);
    expect(r.findings.filter((f) => f.code === 'CSC313').map((f) => [f.row, f.field, f.childId])).toEqual([[3, 'LA_NAME', '000947']]);
    expect(r.summary.columnMap).toMatchObject({ header: { CHILDID: 'child_id' }, episodes: { PL: 'placement_type' } });
  });

  it('element names ignore case, namespace prefixes and underscores', async () => {
    const xml = message([
      '<d:Child xmlns:d="urn:x"><d:child>0099</d:child><d:sex>2</d:sex><d:Dob>2011-02-03</d:Dob><d:Ethnic>WBRI</d:Ethnic><d:upn>UN2</d:upn>',
      '<d:episodes><d:episode><d:decom>2024-05-01</d:decom><d:rne>S</d:rne><d:ls>V2</d:ls><d:cin>N1</d:cin><d:place>U4</d:place><d:PlaceProvider>PR1</d:PlaceProvider><d:HomePost>AB1 2CD</d:HomePost><d:PlPost>AB3 4EF</d:PlPost></d:episode></d:episodes>',
      '</d:Child>',
    ].join('\n'));
    const r = await read(write(join(dir, 'small', 'case.xml'), xml));
    expect(r.findings).toEqual([]);
    expect(r.rows.lac_episodes.map((e) => [e.child_id, e.placement_provider, e.home_postcode])).toEqual([['0099', 'PR1', 'AB1 2CD']]);
  });

  it('a DOCTYPE is refused, with or without entity declarations, before anything is read', async () => {
    const plain = await rejection(write(join(dir, 'small', 'doctype.xml'), `<?xml version="1.0"?>\n<!DOCTYPE Message>\n${message(CHILD_0012).split('\n').slice(1).join('\n')}`));
    expect(plain.findings.map((f) => [f.code, f.severity, f.row, f.field])).toEqual([['CSC310', 'error', 2, 'DOCTYPE']]);
    expect(plain.message).toMatch(/^doctype\.xml line 2: the file declares a DOCTYPE; XML with DOCTYPE or entity declarations is refused for security — nothing loaded from this file \(CSC310\)$/);
    const lol = '<?xml version="1.0"?>\n<!DOCTYPE Message [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n' +
      message(CHILD_0012.replace('<ETHNIC>WBRI</ETHNIC>', '<ETHNIC>&lol2;</ETHNIC>')).split('\n').slice(1).join('\n');
    const path = write(join(dir, 'small', 'entities.xml'), lol);
    expect(detectKind(path)).toBe('ssda903');
    const store = await openStore('doctype');
    const loaded = await loadFile(store, path);
    expect(loaded.status).toBe('rejected');
    expect(loaded.findings.map((f) => f.code)).toEqual(['CSC310']);
    expect(await store.query('SELECT count(*)::INTEGER AS n FROM loaded.children')).toEqual([{ n: 0 }]);
  });

  it('XML that is not well-formed is refused with a finding, not an exception', async () => {
    const broken = message(CHILD_0012).replace('</Reviews>', '</Review>');
    const path = write(join(dir, 'small', 'broken.xml'), broken);
    const err = await rejection(path);
    expect(err.findings).toHaveLength(1);
    expect(err.findings[0]).toMatchObject({ code: 'CSC311', severity: 'error', file: 'broken.xml', row: 10 });
    expect(err.findings[0].message).toMatch(/^broken\.xml line 10: the file is not well-formed XML \(column \d+: .+\) — nothing loaded from this file \(CSC311\)$/);
    const result = await validateFile(path);
    expect(result.status).toBe('rejected');
    const truncated = await validateFile(write(join(dir, 'small', 'truncated.xml'), message(CHILD_0012).slice(0, 400)));
    expect(truncated.findings.map((f) => f.code)).toEqual(['CSC311']);
    const undefinedEntity = await rejection(write(join(dir, 'small', 'entity-ref.xml'), message(CHILD_0012.replace('WBRI', '&x;'))));
    expect(undefinedEntity.findings.map((f) => f.code)).toEqual(['CSC311']);
  });

  it('empty files, other roots and other collections are refused', async () => {
    expect((await rejection(write(join(dir, 'small', 'empty.xml'), ''))).findings.map((f) => f.code)).toEqual(['CSC304']);
    expect((await rejection(write(join(dir, 'small', 'blank.xml'), '\n  \n'))).findings.map((f) => f.code)).toEqual(['CSC304']);
    const root = await rejection(write(join(dir, 'small', 'root.xml'), '<Return><Child/></Return>'));
    expect(root.findings.map((f) => [f.code, f.field])).toEqual([['CSC312', 'Return']]);
    const cin = await rejection(write(join(dir, 'small', 'cin.xml'),
      message(CHILD_0012, '<Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year></CollectionDetails></Header>')));
    expect(cin.findings.map((f) => [f.code, f.field, f.value])).toEqual([['CSC312', 'Collection', 'CIN']]);
  });

  it('detectKind: CIN census XML stays cin_census; SSDA903 XML is ssda903 by Collection, root or episodes', () => {
    const samples = new URL('../../shared/external-samples/cin-census/', import.meta.url).pathname;
    for (const f of ['CIN_Census_2021.xml', 'CIN_Census_2024.xml', 'CIN_Census_2026.xml', 'cin-2022.xml']) expect(detectKind(join(samples, f)), f).toBe('cin_census');
    expect(detectKind(write(join(dir, 'kind', 'a.xml'), message(CHILD_0012)))).toBe('ssda903');
    expect(detectKind(write(join(dir, 'kind', 'b.xml'), `<Message><Children>${CHILD_0012}</Children></Message>`))).toBe('ssda903');
    expect(detectKind(write(join(dir, 'kind', 'c.xml'), '<EXPSSDA903></EXPSSDA903>'))).toBe('ssda903');
    expect(detectKind(write(join(dir, 'kind', 'd.xml'), message('', '<Header><CollectionDetails><Collection>CIN</Collection></CollectionDetails></Header>')))).toBe('cin_census');
  });

  it('a record element with no items makes no row; one with blank items does (UASC, not ceased)', async () => {
    const xml = message([
      '<Child><CHILD>1</CHILD><SEX>1</SEX><DOB>2008-01-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN><UASC/><OC2/></Child>',
      '<Child><CHILD>2</CHILD><SEX>1</SEX><DOB>2008-01-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN><UASC><DUC/></UASC></Child>',
    ].join('\n'));
    const r = await read(write(join(dir, 'small', 'empty-records.xml'), xml));
    expect(r.rows.uasc).toEqual([{ child_id: '2', date_uasc_ceased: null }]);
    expect(r.rows.health).toBeUndefined();
  });

  it('an item given twice keeps the first, with a warning', async () => {
    const r = await read(write(join(dir, 'small', 'twice.xml'), message(CHILD_0012.replace('<SEX>1</SEX>', '<SEX>1</SEX><SEX>2</SEX>'))));
    expect(r.rows.children[0].sex).toBe('M');
    expect(r.findings.map((f) => [f.code, f.row, f.field, f.value, f.childId])).toEqual([['CSC315', 5, 'SEX', '2', '0012']]);
    expect(r.findings[0].message).toBe("twice.xml line 5, Child 1: SEX '2' is a second SEX in <Child> (the first: '1') — the first is kept (CSC315)");
  });

  it('text between elements is ignored, with a warning', async () => {
    const r = await read(write(join(dir, 'small', 'stray.xml'), message(CHILD_0012.replace('<Episodes>', '<Episodes>oops'))));
    expect(r.rows.lac_episodes).toHaveLength(2);
    expect(r.findings.map((f) => [f.code, f.row, f.section, f.value, f.childId, f.message])).toEqual([
      ['CSC314', 6, 'Episodes', 'oops', '0012', "stray.xml line 6, Child 1: text 'oops' between elements in <Episodes> — ignored (CSC314)"],
    ]);
  });
});
