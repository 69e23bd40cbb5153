// The monthly Excel scorecard: a summary sheet and one sheet per theme (each indicator's monthly series,
// year to date, rolling 12 months, target, RAG as a filled cell with the word, England and statistical
// neighbour values), with number formats, frozen panes, column widths and print setup. The internal
// variant adds child-level sheets: every child behind every figure of the month. Written with exceljs's
// streaming writer, so memory stays flat however many child rows there are.
import ExcelJS from 'exceljs';
import type { Engine } from '../engine.ts';
import { monthName, monthOf } from '../periods.ts';
import type { JudgedLine, JudgedScorecard } from '../judge/scorecard.ts';
import { THEMES, type Indicator, type Theme } from '../indicators/types.ts';
import { spcWords } from '../scorecardText.ts';
import { formulaSafe, formulaSafeCell } from '../formulaSafe.ts';

export interface ExcelOptions {
  /** add child-level sheets (internal use only: they identify children) */
  readonly internal?: boolean;
  readonly authority?: string;
  /** the public version: figures after suppression (report/public.ts), `c` where hidden; no child sheets */
  readonly shown?: ReadonlyMap<string, number | 'c'>;
}

const RAG_FILL: Record<string, string> = { red: 'FFD4351C', amber: 'FFFFDD00', green: 'FF00703C' };
const RAG_FONT: Record<string, string> = { red: 'FFFFFFFF', amber: 'FF0B0C0C', green: 'FFFFFFFF' };

/** Excel number format for an indicator's unit (percentages are held as 0–100, not fractions). */
export function numberFormat(ind: Pick<Indicator, 'unit'>): string {
  switch (ind.unit) {
    case 'count': return '#,##0';
    case 'percent': return '0.0"%"';
    case 'days': return '0';
    default: return '0.0';
  }
}

/** A text cell that a spreadsheet would read as a formula gets a leading apostrophe (formulaSafe.ts). */
export const safeText = formulaSafe;

/** ws.addRow with every text cell formula-safe, whatever its source: no cell reaches a sheet unchecked. */
function addSafeRow(ws: ExcelJS.Worksheet, values: unknown[] | Record<string, unknown>): ExcelJS.Row {
  const safe = Array.isArray(values) ? values.map(formulaSafeCell) : Object.fromEntries(Object.entries(values).map(([k, v]) => [k, formulaSafeCell(v)]));
  return ws.addRow(safe);
}

/** Excel allows 31 characters and none of []:*?/\ in a sheet name. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** Writes the scorecard workbook to `path` (streaming). */
export async function writeExcelScorecard(path: string, judged: JudgedScorecard, engine: Engine, options: ExcelOptions = {}): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = 'CSC Scorecard';
  wb.created = new Date();
  const title = `${options.authority ?? 'Children\'s services'}: scorecard for ${monthName(judged.month)}${judged.team ? `, ${judged.team}` : ''}`;

  if (options.internal && options.shown) throw new Error('a public workbook cannot have child-level sheets');
  const pick = (id: string, key: string, value: number | null | undefined): number | string | null =>
    options.shown?.get(`${id}|${key}`) === 'c' ? 'c' : value ?? null;
  summarySheet(wb, judged, title, pick, !!options.shown);
  for (const [theme, heading] of Object.entries(THEMES) as [Theme, string][]) {
    const lines = judged.lines.filter((l) => l.indicator.theme === theme);
    if (lines.length) themeSheet(wb, heading, lines, title, pick);
  }
  if (options.internal) {
    const period = monthOf(`${judged.month}-01`);
    for (const [theme, heading] of Object.entries(THEMES) as [Theme, string][]) {
      const lines = judged.lines.filter((l) => l.indicator.theme === theme);
      if (lines.length === 0) continue;
      const ws = wb.addWorksheet(sheetName(`Children – ${heading}`), { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = [
        { header: 'Indicator', key: 'indicator', width: 40 }, { header: 'Child', key: 'child', width: 12 },
        { header: 'In numerator', key: 'num', width: 12 }, { header: 'In denominator', key: 'den', width: 14 },
        { header: 'Value', key: 'value', width: 8 }, { header: 'Decided on', key: 'at', width: 12 },
        { header: 'Team', key: 'team', width: 24 }, { header: 'Worker', key: 'worker', width: 20 },
        { header: 'Dates and details', key: 'details', width: 80 },
      ];
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      for (const l of lines) {
        const rows = await engine.rows(l.indicator, period, { team: judged.team ?? undefined });
        for (const r of rows) {
          addSafeRow(ws, {
            indicator: l.indicator.title, child: r.child_id ?? '', num: r.in_numerator ? 'yes' : 'no',
            den: r.in_denominator ? 'yes' : 'no', value: r.value, at: r.at_date ?? '', team: r.team ?? '',
            worker: r.worker ?? '',
            details: l.indicator.details.map((d) => `${d.label}: ${r[d.name] ?? ''}`).join('; '),
          }).commit();
        }
      }
      ws.commit();
    }
  }
  await wb.commit();
}

function printSetup(ws: ExcelJS.Worksheet, title: string): void {
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' };
  ws.headerFooter = { oddHeader: `&L${title.replace(/&/g, '&&')}`, oddFooter: '&LOFFICIAL-SENSITIVE&RPage &P of &N' };
}

function ragCell(cell: ExcelJS.Cell, rag: string | null): void {
  if (!rag) return;
  cell.value = rag.toUpperCase();
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: RAG_FILL[rag] } };
  cell.font = { bold: true, color: { argb: RAG_FONT[rag] } };
  cell.alignment = { horizontal: 'center' };
}

type FigurePick = (id: string, key: string, value: number | null | undefined) => number | string | null;

function summarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, judged: JudgedScorecard, title: string, pick: FigurePick, isPublic: boolean): void {
  const ws = wb.addWorksheet('Summary', { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
  ws.columns = [
    { key: 'theme', width: 28 }, { key: 'indicator', width: 52 }, { key: 'month', width: 12 }, { key: 'ytd', width: 12 },
    { key: 'r12', width: 12 }, { key: 'target', width: 10 }, { key: 'rag', width: 9 }, { key: 'england', width: 10 },
    { key: 'neighbours', width: 12 }, { key: 'spc', width: 30 }, { key: 'narrative', width: 100 }, { key: 'id', width: 40 },
  ];
  const head = addSafeRow(ws, [title]);
  head.font = { bold: true, size: 14 };
  head.commit();
  const header = addSafeRow(ws, ['Theme', 'Indicator', monthName(judged.month), 'Year to date', 'Rolling 12 months', 'Target', 'RAG', 'England', 'Statistical neighbours', 'SPC (24 months)', 'Narrative', 'Indicator id']);
  header.font = { bold: true };
  header.commit();
  for (const l of judged.lines) {
    const fmt = numberFormat(l.indicator);
    const row = addSafeRow(ws, [
      THEMES[l.indicator.theme], l.indicator.title, pick(l.indicator.id, 'month', l.month.value),
      pick(l.indicator.id, 'ytd', l.ytd?.value), pick(l.indicator.id, 'rolling12', l.rolling12?.value),
      l.target?.target ?? null, null, l.benchmark?.england?.value ?? null, l.benchmark?.neighbours?.value ?? null,
      spcWords(l.spc), isPublic ? '' : l.narrative.paragraph, l.indicator.id,
    ]);
    for (const c of [3, 4, 5, 6, 8, 9]) row.getCell(c).numFmt = fmt;
    ragCell(row.getCell(7), l.judgement.rag);
    row.getCell(11).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  printSetup(ws, title);
  ws.commit();
}

function themeSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, heading: string, lines: readonly JudgedLine[], title: string, pick: FigurePick): void {
  const months = lines[0].trend.map((f) => f.period);
  const ws = wb.addWorksheet(sheetName(heading), { views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }] });
  ws.columns = [{ width: 52 }, ...months.map(() => ({ width: 9 })), { width: 12 }, { width: 12 }, { width: 9 }, { width: 9 }, { width: 10 }, { width: 12 }];
  const head = addSafeRow(ws, [`${heading}: ${title}`]);
  head.font = { bold: true, size: 14 };
  head.commit();
  const header = addSafeRow(ws, ['Indicator', ...months, 'Year to date', 'Rolling 12 months', 'Target', 'RAG', 'England', 'Statistical neighbours']);
  header.font = { bold: true };
  header.commit();
  for (const l of lines) {
    const fmt = numberFormat(l.indicator);
    const values = l.trend.map((f, i) => pick(l.indicator.id, `trend${i}`, f.value));
    const row = addSafeRow(ws, [
      l.indicator.title, ...values, pick(l.indicator.id, 'ytd', l.ytd?.value), pick(l.indicator.id, 'rolling12', l.rolling12?.value), l.target?.target ?? null, null,
      l.benchmark?.england?.value ?? null, l.benchmark?.neighbours?.value ?? null,
    ]);
    const n = months.length;
    for (let c = 2; c <= n + 5 + 2; c++) if (c !== n + 5) row.getCell(c).numFmt = fmt;
    ragCell(row.getCell(n + 5), l.judgement.rag);
    row.commit();
  }
  printSetup(ws, title);
  ws.commit();
}
