// Hostile text inputs, for every reader of CSV, JSON lines or XML: the wrong encoding (Windows-1252/Latin-1
// bytes, UTF-16 with and without a byte-order mark, UTF-32), binary content (NUL bytes; a zip, PDF or old
// Excel file renamed .csv), an open quote or a line running to megabytes, and XML declaring a DOCTYPE or
// entities wherever it is put (after a byte-order mark, a comment, the XML declaration). Each is refused
// with a message naming the file, the line where there is one, and the rule; through the loader, a refused
// file changes nothing in the store and is recorded as a rejected load with its finding.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSsda903 } from '../src/ingest/ssda903.ts';
import { readSsda903Xml } from '../src/ingest/ssda903Xml.ts';
import { readCinCensus } from '../src/ingest/cinCensus.ts';
import { readEvents } from '../src/ingest/events.ts';
import { readAnnexA } from '../src/ingest/annexA.ts';
import { FileRejected } from '../src/ingest/errors.ts';
import { Utf8Guard } from '../src/ingest/textFile.ts';
import type { Source } from '../src/ingest/source.ts';
import type { FileSummary, Finding, RecordSink } from '../src/ingest/types.ts';
import { Store } from '../src/store.ts';
import { listLoads, loadFile, loadFindings } from '../src/load.ts';
import { importMeasuresCsv } from '../src/measures.ts';
import { importBenchmarks } from '../src/judge/benchmarks.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-hostile-text-'));
const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const EPISODES_HEAD = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const episodeLines = Array.from({ length: 14 }, (_, i) => `${String(i + 1).padStart(4, '0')},01/05/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,AB3 4EF,SC12345${i % 10}`);
const CIN_XML = readFileSync(join(import.meta.dirname, '../../shared/external-samples/cin-census/CIN_Census_2024.xml'), 'utf8');
const XML_903 = `<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>SSDA903</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
<Children>
${Array.from({ length: 14 }, (_, i) => `<Child><CHILD>${String(i + 1).padStart(4, '0')}</CHILD><SEX>1</SEX><DOB>2015-03-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>A123456789012</UPN><MOTHER></MOTHER><MC_DOB></MC_DOB><Episodes><Episode><DECOM>2024-05-01</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PLACE>U4</PLACE><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC></DEC><REC></REC><REASON_PLACE_CHANGE></REASON_PLACE_CHANGE><HOME_POST>AB1 2CD</HOME_POST><PL_POST>AB3 4EF</PL_POST><URN>SC123456</URN></Episode></Episodes></Child>`).join('\n')}
</Children></Message>
`;

interface Reader {
  what: string;
  file: string;
  text: string;
  format: 'CSV' | 'JSON lines' | 'XML';
  read: (s: Source, sink: RecordSink) => Promise<FileSummary>;
}

const READERS: Reader[] = [
  { what: 'SSDA903 CSV', file: 'episodes.csv', format: 'CSV', text: [EPISODES_HEAD, ...episodeLines].join('\n') + '\n', read: (s, k) => readSsda903(s, k, { collectionYear: 2024 }) },
  { what: 'SSDA903 XML', file: '903.xml', format: 'XML', text: XML_903, read: (s, k) => readSsda903Xml(s, k) },
  { what: 'CIN census XML', file: 'CIN_Census_2024.xml', format: 'XML', text: CIN_XML, read: readCinCensus },
  {
    what: 'native events, JSON lines', file: 'events.jsonl', format: 'JSON lines', read: readEvents,
    text: Array.from({ length: 14 }, (_, i) => JSON.stringify({ type: 'teams', team_id: `T${i}`, name: `Team ${i}` })).join('\n') + '\n',
  },
  {
    what: 'native events, CSV', file: 'events.csv', format: 'CSV', read: readEvents,
    text: ['type,team_id,name', ...Array.from({ length: 14 }, (_, i) => `teams,T${i},Team ${i}`)].join('\n') + '\n',
  },
  {
    what: 'Annex A list, CSV', file: 'List 1.csv', format: 'CSV', read: readAnnexA,
    text: ['Child Unique ID,Gender,Date of Contact', ...Array.from({ length: 14 }, (_, i) => `C${i},a) Male,0${(i % 9) + 1}/02/2025`)].join('\n') + '\n',
  },
];

/** The bytes of `text` with line `line` (1-based) given one byte `b` in place of its second character. */
function withByte(text: string, line: number, b: number): Buffer {
  const lines = text.split('\n');
  const buf = Buffer.from(lines.slice(0, line - 1).join('\n') + '\n');
  const rest = Buffer.from(lines.slice(line - 1).join('\n'));
  return Buffer.concat([buf, rest.subarray(0, 1), Buffer.from([b]), rest.subarray(2)]);
}

async function outcome(r: Reader, bytes: Buffer, name = r.file): Promise<{ rejected: FileRejected | null; findings: Finding[]; rows: number }> {
  const findings: Finding[] = [];
  let rows = 0;
  try {
    await r.read({ name, bytes }, { add: () => { rows++; }, finding: (f) => { findings.push(f); } });
    return { rejected: null, findings, rows };
  } catch (err) {
    if (!(err instanceof FileRejected)) throw err;
    return { rejected: err, findings, rows };
  }
}

async function refusal(r: Reader, bytes: Buffer): Promise<FileRejected> {
  const o = await outcome(r, bytes);
  expect(o.rejected, `${r.what} should refuse the file`).not.toBeNull();
  expect(o.rejected!.findings).toHaveLength(1);
  return o.rejected!;
}

const fixOf = (r: Reader): string => (r.format === 'CSV' ? 'save it as CSV UTF-8 (Excel: Save As, "CSV UTF-8 (Comma delimited)")' : r.format === 'XML' ? 'export it again as UTF-8' : 'write it as UTF-8');

describe.each(READERS)('$what', (r) => {
  it('reads the valid file (so each refusal below is for what was changed)', async () => {
    const o = await outcome(r, Buffer.from(r.text));
    expect(o.rejected).toBeNull();
    expect(o.rows).toBeGreaterThan(0);
  });

  it('a Windows-1252/Latin-1 é on line 12: refused, naming the file, line, byte and rule', async () => {
    const e = await refusal(r, withByte(r.text, 12, 0xe9));
    expect(e.message).toBe(`${r.file}: not UTF-8 text (byte 0xE9 at line 12, 'é' in Windows-1252 or Latin-1) — ${fixOf(r)} (CSC002) — nothing loaded`);
    expect(e.findings[0]).toEqual({
      ruleset: 'file', code: 'CSC002', severity: 'error', file: r.file, row: 12, section: null, field: null, value: '0xE9', childId: null, message: e.message,
    });
  });

  it('a Windows-1252 curly quote (0x93) on line 3', async () => {
    expect((await refusal(r, withByte(r.text, 3, 0x93))).message).toContain('(byte 0x93 at line 3, a Windows-1252 character)');
  });

  it('UTF-16 with a byte-order mark, little- and big-endian, and UTF-32', async () => {
    const le = Buffer.from(`\ufeff${r.text}`, 'utf16le');
    expect((await refusal(r, le)).message).toBe(`${r.file}: not UTF-8 text (UTF-16 text (byte-order mark FF FE)) — ${fixOf(r)} (CSC002) — nothing loaded`);
    expect((await refusal(r, Buffer.from(le).swap16())).message).toContain('UTF-16 text (byte-order mark FE FF)');
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.alloc(16)]);
    expect((await refusal(r, utf32)).message).toContain('UTF-32 text');
  });

  it('UTF-16 without a byte-order mark', async () => {
    const le = Buffer.from(r.text, 'utf16le');
    expect((await refusal(r, le)).message).toContain('not UTF-8 text (UTF-16 text without a byte-order mark (little-endian))');
    expect((await refusal(r, Buffer.from(le).swap16())).message).toContain('UTF-16 text without a byte-order mark (big-endian)');
  });

  it('a NUL byte on line 5: binary content', async () => {
    const e = await refusal(r, withByte(r.text, 5, 0x00));
    expect(e.message).toBe(`${r.file}: not ${r.format} text — line 5 has a NUL byte (binary content) (CSC003) — nothing loaded`);
    expect(e.findings[0]).toMatchObject({ code: 'CSC003', row: 5, value: '0x00' });
  });

  it('a workbook, a PDF, an old Excel file or a gzip file under this name', async () => {
    const xlsx = readFileSync(join(import.meta.dirname, '../../shared/external-samples/annex-a/Annex_A.xlsx'));
    expect((await refusal(r, xlsx)).message).toBe(`${r.file}: not ${r.format} text — it is a zip archive (an .xlsx workbook, perhaps, with its name changed) (CSC003) — nothing loaded`);
    expect((await refusal(r, Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'))).message).toContain('it is a PDF document');
    expect((await refusal(r, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).message).toContain('old-style Excel (.xls)');
    expect((await refusal(r, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]))).message).toContain('gzip-compressed');
  });

  it('a file ending inside a character', async () => {
    const bytes = Buffer.concat([Buffer.from(r.text), Buffer.from([0xc3])]);
    expect((await refusal(r, bytes)).message).toMatch(/byte 0xC3 at line \d+ begins a character the file ends before/);
  });

  it('non-ASCII UTF-8 (é, ’, emoji) is read as text, not refused', async () => {
    const marked = r.format === 'XML'
      ? r.text.replace(/>([A-Za-z][^<]{2,})</, '>$1é’😀<') // the first text value
      : r.text.split('\n').map((l, i) => (i === 2 ? l.replace(/([A-Za-z0-9])("?\}?)$/, '$1é’😀$2') : l)).join('\n');
    expect(marked).toContain('é’😀');
    const o = await outcome(r, Buffer.from(marked));
    expect(o.rejected).toBeNull();
    expect(o.findings.filter((f) => f.code === 'CSC002' || f.code === 'CSC003')).toEqual([]);
  });
});

describe('line and record length', () => {
  const tooLong = /line \d+: the (record starting here|line) is over 1 MB long — not a real return, or a quote left open \(CSC004\) — nothing loaded/;
  it('an SSDA903 CSV with a quote left open at line 2 is refused, not read to the end into one field', async () => {
    const text = `${EPISODES_HEAD}\n"0001,01/05/2024,S,C2\n${episodeLines.join('\n').repeat(1)}\n${'x'.repeat(1 << 20)}\n`;
    const e = await refusal(READERS[0], Buffer.from(text));
    expect(e.message).toMatch(tooLong);
    expect(e.message).toMatch(/^episodes\.csv line 2:/);
  });
  it('a JSON line of 2 MB', async () => {
    const e = await refusal(READERS[3], Buffer.from(`{"type":"teams","team_id":"T1","name":"${'x'.repeat(2 << 20)}"}\n`));
    expect(e.message).toMatch(/^events\.jsonl line 1: the line is over 1 MB long/);
  });
  it('an events CSV and an Annex A CSV with a 2 MB field', async () => {
    expect((await refusal(READERS[4], Buffer.from(`type,team_id,name\nteams,T1,${'x'.repeat(2 << 20)}\n`))).message).toMatch(tooLong);
    expect((await refusal(READERS[5], Buffer.from(`Child Unique ID,Gender\nC1,${'x'.repeat(2 << 20)}\n`))).message).toMatch(tooLong);
  });
});

describe('the check across chunk boundaries', () => {
  it('a character split between two chunks at any point is accepted; a broken one is refused wherever it falls', () => {
    const text = Buffer.from('ab,é’😀\nc,d\n');
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2++) {
        const g = new Utf8Guard('x.csv', 'CSV');
        g.check(text.subarray(0, cut));
        g.check(text.subarray(cut, cut2));
        g.check(text.subarray(cut2));
        g.end();
      }
    }
    const broken = Buffer.concat([Buffer.from('ab,cd\nef,'), Buffer.from([0xe2, 0x80]), Buffer.from('x\n')]); // ’ missing its last byte
    for (let cut = 0; cut <= broken.length; cut++) {
      const g = new Utf8Guard('x.csv', 'CSV');
      expect(() => { g.check(broken.subarray(0, cut)); g.check(broken.subarray(cut)); g.end(); }).toThrow(/byte 0xE2 at line 2/);
    }
  });
});

describe('DOCTYPE and entities are refused wherever they are put', () => {
  const xmlReaders = READERS.filter((r) => r.format === 'XML');
  const lol = '<!DOCTYPE Message [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n' +
    Array.from({ length: 7 }, (_, i) => ` <!ENTITY lol${i + 3} "${`&lol${i + 2};`.repeat(10)}">`).join('\n') + '\n]>';
  const codes: Record<string, string> = { 'CIN_Census_2024.xml': 'CSC201', '903.xml': 'CSC310' };
  const body = (r: Reader): string => r.text.replace(/^<\?xml[^>]*>\s*/, '');

  for (const r of xmlReaders) {
    it(`${r.what}: after a byte-order mark, after a comment, and after the XML declaration`, async () => {
      const cases: [string, number][] = [
        [`\ufeff<!DOCTYPE Message>\n${body(r)}`, 1],
        [`<?xml version="1.0"?>\n<!-- exported by X -->\n<!DOCTYPE Message SYSTEM "file:///etc/passwd">\n${body(r)}`, 3],
        [`<?xml version="1.0" encoding="UTF-8"?>\n\n<!DOCTYPE Message [<!ENTITY a "b">]>\n${body(r)}`, 3],
      ];
      for (const [text, line] of cases) {
        const e = await refusal(r, Buffer.from(text));
        expect(e.findings[0]).toMatchObject({ code: codes[r.file], severity: 'error', row: line, field: 'DOCTYPE' });
        expect(e.message).toMatch(new RegExp(`^${r.file.replace('.', '\\.')} line ${line}: the file declares a DOCTYPE; XML with DOCTYPE or entity declarations is refused for security — nothing loaded from this file`));
      }
    });

    it(`${r.what}: a billion laughs (10^9 'lol's declared) is refused at once, nothing read`, async () => {
      const text = `<?xml version="1.0"?>\n${lol}\n${body(r).replace(/(<LAchildID>|<CHILD>)[^<]*/, '$1&lol9;')}`;
      const t0 = performance.now();
      const o = await outcome(r, Buffer.from(text));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(o.rejected?.findings[0]).toMatchObject({ code: codes[r.file], row: 2, field: 'DOCTYPE' });
      expect(o.rows).toBe(0);
    });

    it(`${r.what}: an entity used without a DOCTYPE is XML that is not well-formed`, async () => {
      const text = body(r).replace(/(<LAchildID>|<CHILD>)[^<]*/, '$1&lol9;');
      const o = await outcome(r, Buffer.from(text));
      expect(o.rejected?.message).toMatch(/not well-formed .*undefined entity/i);
    });
  }
});

describe('through the loader, a refused file changes nothing and is recorded', () => {
  it('a good return, then the same table re-saved as Windows-1252: rejected load with its finding, current data unchanged', async () => {
    const store = await Store.open(join(dir, 'load.duckdb'));
    stores.push(store);
    const year = join(dir, '2024-25');
    mkdirSync(year, { recursive: true });
    const good = join(year, 'episodes.csv');
    writeFileSync(good, READERS[0].text);
    expect((await loadFile(store, good)).status).toBe('loaded');
    const before = await store.query('SELECT * FROM lac_episodes ORDER BY child_id');
    const resaved = join(dir, 'resaved', '2024-25');
    mkdirSync(resaved, { recursive: true });
    const bad = join(resaved, 'episodes.csv');
    writeFileSync(bad, withByte(READERS[0].text.replace('0014,01/05/2024', '0014,02/05/2024'), 12, 0xe9));
    const result = await loadFile(store, bad);
    expect(result.status).toBe('rejected');
    expect(result.findings.map((f) => [f.code, f.row, f.file])).toEqual([['CSC002', 12, 'episodes.csv']]);
    expect(await store.query('SELECT * FROM lac_episodes ORDER BY child_id')).toEqual(before);
    const loads = await listLoads(store);
    expect(loads.map((l) => l.status)).toEqual(expect.arrayContaining(['active', 'rejected']));
    expect((await loadFindings(store, result.loadId!)).map((f) => f.code)).toEqual(['CSC002']);
  });

  it('measures and benchmarks CSVs: the same checks, in their own shapes', async () => {
    const store = await Store.open(join(dir, 'measures.duckdb'));
    stores.push(store);
    const m = join(dir, 'measures.csv');
    writeFileSync(m, withByte('measure_id,month,value\ncalls_answered,2025-01,90\ncalls_answered,2025-02,91\n', 3, 0xe9));
    const imported = await importMeasuresCsv(store, m, 'analyst');
    expect(imported.status).toBe('rejected');
    expect(imported.findings).toEqual([expect.objectContaining({ ruleset: 'measures', code: 'CSC002', row: 3, message: expect.stringContaining('measures.csv: not UTF-8 text (byte 0xE9 at line 3') })]);
    const b = join(dir, 'benchmarks.csv');
    writeFileSync(b, Buffer.from('time_period,geographic_level\n202324,National\n', 'utf16le'));
    await expect(importBenchmarks(store, b)).rejects.toThrow('benchmarks.csv: not UTF-8 text (UTF-16 text without a byte-order mark (little-endian))');
    const pdf = join(dir, 'report.csv');
    writeFileSync(pdf, '%PDF-1.4\n');
    await expect(importBenchmarks(store, pdf)).rejects.toThrow('report.csv: not CSV text — it is a PDF document (CSC003)');
  });
});
