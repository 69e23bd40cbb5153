// The Excel scorecard, written from a small synthetic authority and read back with exceljs: the sheets,
// the figures (equal to the engine's), RAG fills with their words, number formats, frozen panes, the
// internal variant's child rows, formula-safe text; and LibreOffice opens it (headless conversion).
import { existsSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { Engine } from '../../src/engine.ts';
import { judgedScorecard, type JudgedScorecard } from '../../src/judge/scorecard.ts';
import { Targets } from '../../src/judge/targets.ts';
import { writeExcelScorecard, safeText } from '../../src/report/excel.ts';
import { THEMES } from '../../src/indicators/types.ts';

let demo: DemoStore;
let engine: Engine;
let judged: JudgedScorecard;
const dir = mkdtempSync(join(tmpdir(), 'csc-xlsx-'));
const plain = join(dir, 'scorecard.xlsx');
const internal = join(dir, 'scorecard-internal.xlsx');

beforeAll(async () => {
  demo = await demoStore();
  engine = new Engine(demo.store);
  judged = await judgedScorecard(engine, '2025-01', await Targets.load(demo.store));
  await writeExcelScorecard(plain, judged, engine, { authority: 'Testshire' });
  await writeExcelScorecard(internal, judged, engine, { authority: 'Testshire', internal: true });
}, 180_000);
afterAll(() => {
  engine?.close();
  demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe('Excel scorecard', () => {
  it('has a summary and a sheet per theme, with the engine\'s figures and RAG as a fill and a word', async () => {
    const wb = await read(plain);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', ...Object.values(THEMES).map((t) => t.slice(0, 31))]);
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 2 });
    expect(summary.getCell('A1').value).toBe('Testshire: scorecard for January 2025');
    const byId = new Map<string, ExcelJS.Row>();
    summary.eachRow((row, n) => { if (n > 2) byId.set(String(row.getCell(12).value), row); });
    expect(byId.size).toBe(judged.lines.length);
    for (const l of judged.lines) {
      const row = byId.get(l.indicator.id)!;
      expect(row.getCell(3).value, l.indicator.id).toBe(l.month.value);
      expect(row.getCell(4).value ?? null, l.indicator.id).toBe(l.ytd?.value ?? null);
      if (l.judgement.rag) {
        expect(row.getCell(7).value).toBe(l.judgement.rag.toUpperCase());
        expect((row.getCell(7).fill as ExcelJS.FillPattern).fgColor?.argb).toBe({ red: 'FFD4351C', amber: 'FFFFDD00', green: 'FF00703C' }[l.judgement.rag]);
      }
    }
    const re = byId.get('referrals.re_referrals_12m')!;
    expect(re.getCell(3).numFmt).toBe('0.0"%"');
    expect(byId.get('referrals.count')!.getCell(3).numFmt).toBe('#,##0');
    expect(summary.pageSetup.orientation).toBe('landscape');
  });

  it('a theme sheet holds each indicator\'s 24 months, year to date and target', async () => {
    const wb = await read(plain);
    const ws = wb.getWorksheet(THEMES.assessment)!;
    const header = ws.getRow(2).values as unknown[];
    expect(header[2]).toBe(judged.lines[0].trend[0].period);
    const line = judged.lines.find((l) => l.indicator.id === 'assessments.within_45_days')!;
    let found = false;
    ws.eachRow((row) => {
      if (row.getCell(1).value !== line.indicator.title) return;
      found = true;
      line.trend.forEach((f, i) => expect(row.getCell(2 + i).value ?? null).toBe(f.value));
      expect(row.getCell(line.trend.length + 2).value ?? null).toBe(line.ytd?.value ?? null);
      expect(row.getCell(line.trend.length + 4).value ?? null).toBe(line.target?.target ?? null);
    });
    expect(found).toBe(true);
  });

  it('the internal variant lists every child behind each figure; the plain one has none', async () => {
    const wb = await read(internal);
    const children = wb.worksheets.filter((w) => w.name.startsWith('Children –'));
    expect(children.length).toBe(Object.keys(THEMES).length);
    const rows = await engine.rows('referrals.re_referrals_12m', (await import('../../src/periods.ts')).month('2025-01'));
    const sheet = children.find((w) => w.name.includes('Referrals'))!;
    let listed = 0;
    sheet.eachRow((row, n) => { if (n > 1 && row.getCell(1).value === 'Re-referrals within 12 months') listed++; });
    expect(listed).toBe(rows.length);
    expect((await read(plain)).worksheets.some((w) => w.name.startsWith('Children –'))).toBe(false);
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(safeText('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(safeText('+44')).toBe("'+44");
    expect(safeText('-1')).toBe("'-1");
    expect(safeText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeText('Team North')).toBe('Team North');
  });

  it('LibreOffice opens it (headless conversion to PDF succeeds)', () => {
    const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
    expect(soffice, 'LibreOffice is not installed: apt-get install -y libreoffice-calc-nogui').toBeDefined();
    const out = join(dir, 'lo');
    const r = spawnSync(soffice!, ['--headless', '--norestore', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', out, plain], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).toContain('scorecard.pdf');
  }, 150_000);
});
