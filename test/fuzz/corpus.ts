// The valid inputs the fuzz tests mutate: a tiny synthetic authority (src/synth, seed 11, no injected faults)
// written in every format, cut down so that each input parses in well under a millisecond.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_SYNTH_OPTIONS, simulate } from '../../src/synth/simulate.ts';
import { nameContactsByChildAndDate, writeSyntheticFiles } from '../../src/synth/index.ts';
import { SSDA903_COLUMNS, SSDA903_TABLES } from '../../src/ingest/ssda903.ts';

export interface Corpus {
  /** SSDA903 CSVs by table (2024-25) */
  ssda903: { name: string; bytes: Buffer }[];
  /** the same return as one SSDA903 XML (the column-name form in a DfE Message), a few children */
  ssda903Xml: { name: string; bytes: Buffer }[];
  /** CIN census XML, the first few children */
  cin: { name: string; bytes: Buffer }[];
  /** native events as JSON lines and as CSV */
  eventsJsonl: { name: string; bytes: Buffer }[];
  eventsCsv: { name: string; bytes: Buffer }[];
  /** Annex A lists as CSV ('List 3.csv'), and a small workbook of every list (a few rows each) */
  annexCsv: { name: string; bytes: Buffer }[];
  annexXlsx: { name: string; bytes: Buffer }[];
}

const B = (s: string): Buffer => Buffer.from(s, 'utf8');
const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = head.split(',');
  return lines.filter(Boolean).map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** The SSDA903 CSVs as one XML return: each child's header items, then its rows as records. */
function ssda903Xml(tables: Map<string, Record<string, string>[]>, limit: number): string {
  const iso = (v: string): string => v.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$2-$1');
  const el = (n: string, v: string): string => (v === '' ? `<${n}/>` : `<${n}>${esc(iso(v))}</${n}>`);
  const wrap: Record<string, [string, string]> = {
    episodes: ['Episodes', 'Episode'], reviews: ['Reviews', 'Review'], missing: ['Missing', 'Missing'], sw_episodes: ['SWEpisodes', 'SocialWorkerEpisode'],
    placed_for_adoption: ['PlacedForAdoption', 'PlacedForAdoption'], uasc: ['UASC', 'UASC'], oc2: ['OC2', 'OC2'], oc3: ['OC3', 'OC3'], ad1: ['AD1', 'AD1'],
    previous_permanence: ['PreviousPermanence', 'PreviousPermanence'],
  };
  const children = (tables.get('header') ?? []).slice(0, limit).map((h) => {
    const own = SSDA903_COLUMNS.header.map((c) => el(c, h[c] ?? '')).join('');
    const records = SSDA903_TABLES.filter((t) => t !== 'header').flatMap((t) => (tables.get(t) ?? []).filter((r) => r.CHILD === h.CHILD).map((r) => {
      const [, one] = wrap[t];
      return `<${one}>${SSDA903_COLUMNS[t].filter((c) => !['CHILD', 'DOB', 'SEX'].includes(c)).map((c) => el(c, r[c] ?? '')).join('')}</${one}>`;
    }));
    return `<Child>${own}\n${records.join('\n')}\n</Child>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails><Collection>SSDA903</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>\n<Children>\n${children.join('\n')}\n</Children></Message>\n`;
}

/** The CIN census XML with only its first `limit` children. */
function firstChildren(xml: string, limit: number): string {
  const start = xml.indexOf('<Child>');
  let end = start;
  for (let i = 0; i < limit; i++) {
    const next = xml.indexOf('</Child>', end);
    if (next < 0) break;
    end = next + '</Child>'.length;
  }
  return xml.slice(0, end) + xml.slice(xml.indexOf('</Children>'));
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${String(v.getUTCDate()).padStart(2, '0')}/${String(v.getUTCMonth() + 1).padStart(2, '0')}/${v.getUTCFullYear()}`;
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v);
};

export async function buildCorpus(): Promise<Corpus> {
  const dir = mkdtempSync(join(tmpdir(), 'csc-fuzz-corpus-'));
  try {
    const la = simulate({ ...DEFAULT_SYNTH_OPTIONS, population: 400, years: 1, seed: 11, faultRate: 0, teams: 2 });
    nameContactsByChildAndDate(la);
    await writeSyntheticFiles(la, dir);
    const folder = join(dir, 'ssda903', '2024-25');
    const tables = new Map<string, Record<string, string>[]>();
    const ssda903 = readdirSync(folder).sort().map((f) => {
      const text = readFileSync(join(folder, f), 'utf8');
      tables.set(f.replace(/\.csv$/, ''), csvRows(text));
      return { name: f, bytes: B(text.split('\n').slice(0, 12).join('\n') + '\n') };
    });
    const cinFile = readdirSync(join(dir, 'cin-census'))[0];
    const cinXml = readFileSync(join(dir, 'cin-census', cinFile), 'utf8');
    const cin = [3, 6].map((n) => ({ name: 'CIN_Census_2024-25.xml', bytes: B(firstChildren(cinXml, n)) }));

    const lines = readFileSync(join(dir, 'events', 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const byType = new Map<string, string[]>();
    for (const l of lines) { const t = (JSON.parse(l) as { type: string }).type; byType.set(t, [...(byType.get(t) ?? []), l]); }
    const sample = [...byType.values()].flatMap((ls) => ls.slice(0, 3));
    const eventsJsonl = [{ name: 'events.jsonl', bytes: B(sample.join('\n') + '\n') }];
    const objects = sample.map((l) => JSON.parse(l) as Record<string, unknown>);
    const columns = ['type', ...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => k !== 'type')))];
    const asCsv = (objs: Record<string, unknown>[]): Buffer => B(stringify([columns, ...objs.map((o) => columns.map((c) => (o[c] === null || o[c] === undefined ? '' : String(o[c]))))]));
    const eventsCsv = [{ name: 'events.csv', bytes: asCsv(objects) }];

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'annex-a', readdirSync(join(dir, 'annex-a'))[0]));
    const annexCsv: Corpus['annexCsv'] = [];
    const small = new ExcelJS.Workbook();
    for (const ws of wb.worksheets) {
      const rows: string[][] = [];
      ws.eachRow((row) => { rows.push((row.values as ExcelJS.CellValue[]).slice(1).map(cellText)); });
      if (rows.length >= 2) annexCsv.push({ name: `${ws.name}.csv`, bytes: B(stringify(rows.slice(0, 8))) });
      const copy = small.addWorksheet(ws.name);
      ws.eachRow((row, n) => { if (n <= 4) copy.addRow((row.values as ExcelJS.CellValue[]).slice(1)); });
    }
    const annexXlsx = [{ name: 'Annex_A_2025-03-31.xlsx', bytes: Buffer.from(await small.xlsx.writeBuffer()) }];
    return { ssda903, ssda903Xml: [{ name: 'ssda903_2024-25.xml', bytes: B(ssda903Xml(tables, 4)) }], cin, eventsJsonl, eventsCsv, annexCsv, annexXlsx };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
