// What the fuzz tests (test/fuzz) found, each pinned by a small hand-made input: two crashes (an exception
// escaping a reader), and inputs that were read without a word although something in them was not.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readEvents } from '../src/ingest/events.ts';
import { readAnnexA } from '../src/ingest/annexA.ts';
import { readSsda903 } from '../src/ingest/ssda903.ts';
import { readSsda903Xml } from '../src/ingest/ssda903Xml.ts';
import { readCinCensus } from '../src/ingest/cinCensus.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import type { Source } from '../src/ingest/source.ts';
import type { FileSummary, Finding, RecordSink } from '../src/ingest/types.ts';
import { sheetXml, workbookParts, zip } from './helpers/zip.ts';

async function run(read: (s: Source, k: RecordSink) => Promise<FileSummary>, name: string, bytes: Buffer | string) {
  const findings: Finding[] = [];
  const rows: { table: string; line: number | null }[] = [];
  let rejected: FileRejected | null = null;
  try {
    await read({ name, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes) }, { add: (table, _r, line) => { rows.push({ table, line }); }, finding: (f) => { findings.push(f); } });
  } catch (err) {
    if (!(err instanceof FileRejected)) throw err;
    rejected = err;
  }
  return { findings, rows, rejected };
}

describe('crashes', () => {
  it('events: a value nested 50,000 deep is a bad value (CSC105), not a stack overflow writing it back', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const o = await run(readEvents, 'events.jsonl', `{"type":"teams","team_id":"T1","name":${deep}}\n{"type":"teams","team_id":"T2","name":"B"}\n`);
    expect(o.rejected).toBeNull();
    expect(o.findings.map((f) => [f.code, f.row, f.field, f.value])).toEqual([['CSC105', 1, 'name', '[…]']]);
    expect(o.rows).toEqual([{ table: 'teams', line: 2 }]);
  });

  it('Annex A: a heading row with an empty cell between headings (exceljs gives a sparse row) is read', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('List 1');
    ws.getCell('A1').value = 'Child Unique ID';
    ws.getCell('C1').value = 'Date of Contact';
    ws.getCell('A2').value = 'C1';
    ws.getCell('C2').value = '01/02/2025';
    const o = await run(readAnnexA, 'Annex_A_2025-03-31.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(o.rejected).toBeNull();
    expect(o.rows.map((r) => r.table).sort()).toEqual(['children', 'contacts']);
  });
});

describe('read without a word before', () => {
  it('Annex A: data rows above the heading row (the headings sorted into the data) are reported, title rows are not', async () => {
    const o = await run(readAnnexA, 'List 1.csv', 'Contacts in the last 6 months\nC9,a) Male,01/02/2025\nChild Unique ID,Gender,Date of Contact\nC1,a) Male,02/02/2025\n');
    expect(o.findings.map((f) => [f.code, f.row, f.severity])).toEqual([['CSC407', 2, 'error']]);
    expect(o.findings[0].message).toBe('List 1.csv List 1 row 2: row 2 has 3 values but is above the heading row (row 3) (CSC407: row above the heading row) — not loaded: put the headings first');
    expect(o.rows.map((r) => r.line)).toEqual([4, 4]);
  });

  it('Annex A: values beyond the last heading (two rows run together) are reported', async () => {
    const o = await run(readAnnexA, 'List 1.csv', 'Child Unique ID,Gender,Date of Contact\nC1,a) Male,02/02/2025,C2,a) Male,2025-13-01\n');
    expect(o.findings.map((f) => [f.code, f.row])).toEqual([['CSC408', 2]]);
    expect(o.findings[0].message).toContain('3 values beyond the last heading (column 3)');
  });

  it('SSDA903: a date no DfE rule checks (DOB in reviews, DATE_PERM) is reported, not taken in silence (CSC308)', async () => {
    const reviews = await run((s, k) => readSsda903(s, k, { collectionYear: 2024 }), 'reviews.csv', 'CHILD,DOB,REVIEW,REVIEW_CODE\n0001,31/02/2015,01/06/2024,PN1\n');
    expect(reviews.findings.map((f) => [f.code, f.severity, f.field, f.value])).toEqual([['CSC308', 'warning', 'DOB', '31/02/2015']]);
    expect(reviews.findings[0].message).toBe('reviews.csv line 2: DOB 31/02/2015 is not a date (dd/mm/yyyy) (CSC308) — loaded, flagged');
    expect(reviews.rows).toHaveLength(1);
    const perm = await run((s, k) => readSsda903(s, k, { collectionYear: 2024 }), 'previous_permanence.csv',
      'CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\n0001,01/02/2015,P1,201,zz/05/2015\n0002,01/02/2015,P1,201,31/02/2020\n0003,01/02/2015,P1,201,2020-02-03\n');
    expect(perm.findings.map((f) => [f.code, f.row, f.value])).toEqual([['CSC308', 3, '31/02/2020']]);
  });

  it('SSDA903 XML: DATE_PERM in ISO form is a date', async () => {
    const xml = '<Message><Header><CollectionDetails><Collection>SSDA903</Collection><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children><Child><CHILD>1</CHILD><SEX>1</SEX><DOB>2015-02-01</DOB><ETHNIC>WBRI</ETHNIC><UPN/><MOTHER/><MC_DOB/><PreviousPermanence><PREV_PERM>P1</PREV_PERM><LA_PERM>201</LA_PERM><DATE_PERM>2020-12-28</DATE_PERM></PreviousPermanence></Child></Children></Message>';
    const o = await run((s, k) => readSsda903Xml(s, k), '903.xml', xml);
    expect(o.findings.filter((f) => f.code === 'CSC308')).toEqual([]);
  });

  it('CIN census: a header DateTime that is not a date and time is reported (CSC217)', async () => {
    const xml = '<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails><Source><DateTime>00/00/0000T00:00:00</DateTime></Source></Header><Children/></Message>';
    const o = await run(readCinCensus, 'cin.xml', xml);
    expect(o.findings.map((f) => [f.code, f.field, f.value])).toEqual([['CSC217', 'DateTime', '00/00/0000T00:00:00']]);
    const good = await run(readCinCensus, 'cin.xml', xml.replace('00/00/0000T00:00:00', '2025-05-23T11:14:05'));
    expect(good.findings).toEqual([]);
  });

  it('CSV errors name a line within the file, even with CR line ends', async () => {
    const o = await run((s, k) => readSsda903(s, k, { collectionYear: 2024 }), 'uasc.csv', 'CHILD,SEX,DOB,DUC\r0001,1,01/02/2015,\r"0002,1,01/02/2015,\r\r');
    expect(o.rejected?.findings[0]).toMatchObject({ code: 'CSC303' });
    const row = o.rejected!.findings[0].row!;
    expect(row).toBeGreaterThanOrEqual(3); // the quote opens on line 3; the file's last line is 5
    expect(row).toBeLessThanOrEqual(5);
  });

  it('a workbook part with an undefined entity, a DOCTYPE, or cut short before its root closes is refused (exceljs would read on in silence)', async () => {
    const entity = await run(readAnnexA, 'a.xlsx', zip(workbookParts(sheetXml('A1', '<row r="1"><c r="A1" t="inlineStr"><is><t>Child &lol; ID</t></is></c></row>'))));
    expect(entity.rejected?.message).toContain("part xl/worksheets/sheet1.xml uses an undefined entity ('&lol;')");
    const doctype = await run(readAnnexA, 'a.xlsx', zip(workbookParts(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${sheetXml('A1', '').replace(/^<\?xml[^>]*>/, '')}`)));
    expect(doctype.rejected?.message).toContain('declares a DOCTYPE or entities, which no workbook has: refused for security');
    const cut = await run(readAnnexA, 'a.xlsx', zip(workbookParts(sheetXml('A1', '<row r="1"><c r="A1" t="inlineStr"><is><t>Child ID</t></is></c></row>').replace('</worksheet>', ''))));
    expect(cut.rejected?.message).toContain('part xl/worksheets/sheet1.xml ends before its root element <worksheet> is closed');
    const ok = await run(readAnnexA, 'a.xlsx', zip(workbookParts(sheetXml('A1', '<row r="1"><c r="A1" t="inlineStr"><is><t>Child ID &amp; &#233; &#xE9;</t></is></c></row>'))));
    expect(ok.rejected).toBeNull();
  });
});
