// Zip bombs and oversized sheets named .xlsx are refused before anything expands them (issue 8: "a zip bomb
// refused within 1 s and 100 MB"). Each archive is built in memory first (helpers/zip.ts: gigabytes of
// zeros in a few megabytes), then only the reader's refusal is timed and its memory measured: the peak RSS
// after the call (process.resourceUsage().maxRSS, which never falls) less the RSS before it is an upper
// bound on what the refusal took. This file runs in a worker of its own, so earlier peaks are small.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnnexA } from '../src/ingest/annexA.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import { XLSX_LIMITS } from '../src/ingest/xlsxArchive.ts';
import type { Finding, RecordSink } from '../src/ingest/types.ts';
import { sheetXml, workbookParts, zeroBomb, zip, type ZipPart } from './helpers/zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-zipbomb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Refusal { message: string; findings: Finding[]; ms: number; memoryMb: number; rows: number }

async function refusal(name: string, bytes: Buffer): Promise<Refusal> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  let rows = 0;
  const sink: RecordSink = { add: () => { rows++; }, finding: () => {} };
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let error: unknown = null;
  try {
    await readAnnexA(path, sink);
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - t0;
  const memoryMb = (process.resourceUsage().maxRSS * 1024 - rssBefore) / 1024 / 1024;
  expect(error, `${name} should be refused`).toBeInstanceOf(FileRejected);
  const e = error as FileRejected;
  return { message: e.message, findings: e.findings, ms, memoryMb, rows };
}

const sheetPart = (raw: { deflated: Buffer; size: number }, declared?: number): ZipPart => ({ name: 'xl/worksheets/sheet1.xml', raw, declared });
const withSheet = (sheet: ZipPart): Buffer => zip([...workbookParts(sheetXml('A1', '')).filter((p) => !p.name.includes('worksheets')), sheet]);

describe('zip bombs are refused within 1 s and 100 MB, before expansion', () => {
  const measured: string[] = [];
  afterAll(() => { console.log(measured.join('\n')); });

  const cases: { name: string; build: () => Buffer; reason: RegExp }[] = [
    {
      name: 'a sheet declaring its true 2 GB of zeros (2 MB of archive)',
      build: () => withSheet(sheetPart(zeroBomb(2048))),
      reason: /part "xl\/worksheets\/sheet1\.xml" would expand to 2048 MB, over the 200 MB limit for one part: refused before expansion/,
    },
    {
      name: 'a sheet declaring 1,000 bytes that inflates to 2 GB',
      build: () => withSheet(sheetPart(zeroBomb(2048), 1000)),
      reason: /part xl\/worksheets\/sheet1\.xml does not expand to its declared size \(damaged, or a zip bomb\): refused/,
    },
    {
      name: 'a sheet declaring 9 MB (under every size limit) that inflates to 2 GB',
      build: () => withSheet(sheetPart(zeroBomb(2048), 9 * 1024 * 1024)),
      reason: /does not expand to its declared size/,
    },
    {
      name: 'a sheet declaring 150 MB from 150 KB (a thousandfold)',
      build: () => withSheet(sheetPart(zeroBomb(150))),
      reason: /would expand 1\d{3} times .* refused as a possible zip bomb/,
    },
    {
      name: 'forty 100 MB parts (4 GB in all)',
      build: () => zip([...workbookParts(sheetXml('A1', '')), ...Array.from({ length: 40 }, (_, i) => ({ name: `xl/media/image${i}.bin`, raw: zeroBomb(1), declared: 100 << 20 }))]),
      reason: /would expand|refused before expansion/,
    },
    {
      name: '5,000 tiny parts',
      build: () => zip([...workbookParts(sheetXml('A1', '')), ...Array.from({ length: 5000 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('<a/>') }))]),
      reason: /the archive has 5,00\d parts, over the 1,000 a workbook could need: refused before expansion/,
    },
    {
      name: '70,000 parts (a ZIP64 archive)',
      build: () => zip([...workbookParts(sheetXml('A1', '')), ...Array.from({ length: 70_000 }, (_, i) => ({ name: `${i}`, data: Buffer.alloc(0), stored: true }))]),
      reason: /ZIP64 archive .* refused before expansion/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const bytes = c.build();
      const r = await refusal('bomb.xlsx', bytes);
      measured.push(`${c.name}: ${(bytes.length / 1024).toFixed(0)} KB archive refused in ${r.ms.toFixed(1)} ms, memory growth at most ${r.memoryMb.toFixed(1)} MB`);
      expect(r.message).toMatch(c.reason);
      expect(r.message).toMatch(/^bomb\.xlsx: .* \(CSC403: file cannot be read as Annex A\) — nothing loaded$/);
      expect(r.findings).toEqual([expect.objectContaining({ code: 'CSC403', severity: 'error', file: 'bomb.xlsx' })]);
      expect(r.rows).toBe(0);
      expect(r.ms).toBeLessThan(1000);
      expect(r.memoryMb).toBeLessThan(100);
    });
  }
});

describe('oversized sheets are refused before exceljs reads them', () => {
  it('a declared dimension of a million rows, from the first bytes of the sheet', async () => {
    // the rows themselves are a 2 GB bomb after the dimension: refused on the dimension, never expanded
    const head = deflateRawSync(Buffer.from(sheetXml('A1:Z1048576', '').replace('</sheetData></worksheet>', '')), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
    const bomb = zeroBomb(100);
    const r = await refusal('wide.xlsx', withSheet(sheetPart({ deflated: Buffer.concat([head, bomb.deflated]), size: 9 << 20 })));
    expect(r.message).toContain('worksheet xl/worksheets/sheet1.xml declares a range of 1,048,576 rows by 26 columns (A1:Z1048576), more than any Annex A list: refused before expansion');
    expect(r.ms).toBeLessThan(1000);
  });

  it('more rows than the limit, whatever the dimension says', async () => {
    const n = XLSX_LIMITS.MAX_SHEET_ROWS + 1;
    let rows = '';
    for (let i = 1; i <= n; i++) rows += `<row r="${i}"/>`;
    const r = await refusal('long.xlsx', zip(workbookParts(sheetXml('A1', rows))));
    expect(r.message).toContain('worksheet xl/worksheets/sheet1.xml has over 200,000 rows, more than any Annex A list');
  });

  it('more cells than the limit, over two sheets (prefixed element names are counted too)', async () => {
    const half = XLSX_LIMITS.MAX_CELLS / 2 + 1;
    const row = '<x:c/>'.repeat(1000);
    const sheet = (): Buffer => {
      const parts: string[] = [];
      for (let i = 1; i * 1000 <= half + 999; i++) parts.push(`<x:row r="${i}">${row}</x:row>`);
      return Buffer.from(`<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${parts.join('')}</x:sheetData></x:worksheet>`);
    };
    const parts = workbookParts(sheetXml('A1', ''));
    parts[4] = { name: 'xl/worksheets/sheet1.xml', data: sheet() };
    const r = await refusal('cells.xlsx', zip([...parts, { name: 'xl/worksheets/sheet2.xml', data: sheet() }]));
    expect(r.message).toContain('the workbook has over 2,000,000 cells, more than any Annex A');
  });

  it('a workbook within the limits is read (the checks do not refuse everything)', async () => {
    const path = join(dir, 'ok.xlsx');
    writeFileSync(path, zip(workbookParts(sheetXml('A1:B2', '<row r="1"><c r="A1" t="inlineStr"><is><t>Child ID</t></is></c><c r="B1" t="inlineStr"><is><t>Date of Contact</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c><c r="B2" t="inlineStr"><is><t>01/02/2025</t></is></c></row>'))));
    const added: string[] = [];
    const summary = await readAnnexA(path, { add: (t) => { added.push(t); }, finding: () => {} });
    expect(summary.parts).toEqual(['List 1']);
    expect(added).toContain('contacts');
  });
});

describe('names inside the archive are never paths', () => {
  for (const [name, why] of [
    ['../../etc/cron.d/x', "a '..' step out of the archive"], ['xl/../../evil.xml', "a '..' step out of the archive"],
    ['/etc/passwd', 'an absolute path'], ['C:/Windows/evil.xml', 'a drive letter'], ['xl\\worksheets\\sheet9.xml', 'a backslash'],
  ] as const) {
    it(`a part named ${name} is refused`, async () => {
      const r = await refusal('names.xlsx', zip([...workbookParts(sheetXml('A1', '')), { name, data: Buffer.from('<a/>') }]));
      expect(r.message).toContain(`part ${JSON.stringify(name)} has ${why} in its name, which no workbook has: refused`);
    });
  }

  it('a part given twice is refused (which copy a reader takes would be a guess)', async () => {
    const parts = workbookParts(sheetXml('A1', ''));
    const r = await refusal('twice.xlsx', zip([...parts, parts[4]]));
    expect(r.message).toContain('part "xl/worksheets/sheet1.xml" appears twice in the archive: refused');
  });
});
