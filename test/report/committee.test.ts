// The committee report from a small synthetic authority: its figures equal the engine's, the highlights
// follow the judgements by rule, the LA's settings shape it, and the PDF renders in Chromium; its pages,
// turned into PNGs by pdftoppm, are kept under test-output/report/.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { Engine, formatValue } from '../../src/engine.ts';
import { judgedScorecard, type JudgedScorecard } from '../../src/judge/scorecard.ts';
import { Targets } from '../../src/judge/targets.ts';
import { committeeReportHtml, chooseHighlights, readReportConfig, DEFAULT_REPORT_CONFIG } from '../../src/report/committee.ts';
import { htmlToPdf } from '../../src/report/pdf.ts';

let demo: DemoStore;
let engine: Engine;
let judged: JudgedScorecard;
let html: string;
const OUT = join('test-output', 'report');
const dir = mkdtempSync(join(tmpdir(), 'csc-report-'));

beforeAll(async () => {
  demo = await demoStore();
  engine = new Engine(demo.store);
  judged = await judgedScorecard(engine, '2025-01', await Targets.load(demo.store));
  await demo.store.run(`INSERT INTO commentary VALUES ('referrals.re_referrals_12m', '2025-01', 'Two families moved back into the area.', 'Ann Analyst', now())`);
  html = await committeeReportHtml(demo.store, judged, { config: { ...DEFAULT_REPORT_CONFIG, authority: 'Testshire County Council' }, date: '2025-02-10' });
}, 180_000);
afterAll(() => {
  engine?.close();
  demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

function cell(id: string, field: string): string {
  // the theme table's row (the highlight tables have rows for the same indicator without data-field cells)
  const rows = [...html.matchAll(new RegExp(`<tr data-indicator="${id.replace('.', '\\.')}">([\\s\\S]*?)</tr>`, 'g'))].map((m) => m[1]);
  const row = rows.find((r) => r.includes('data-field=')) ?? '';
  return (new RegExp(`data-field="${field}">([^<]*)<`).exec(row)?.[1] ?? '').trim();
}

describe('committee report', () => {
  it('shows the engine\'s figures for every indicator', async () => {
    const lines = await engine.scorecard('2025-01');
    for (const l of lines) {
      expect(cell(l.indicator.id, 'month'), l.indicator.id).toBe(formatValue(l.indicator, l.month.value).replace('&', '&amp;'));
      if (l.ytd) expect(cell(l.indicator.id, 'ytd'), l.indicator.id).toBe(formatValue(l.indicator, l.ytd.value));
    }
  });

  it('has front matter, summary counts, chosen highlights, charts, narrative, commentary and definitions', () => {
    expect(html).toContain('Testshire County Council');
    expect(html).toContain('2025-02-10');
    const rated = judged.lines.filter((l) => l.judgement.rag);
    expect(html).toContain(`Of the ${rated.length} with a target`);
    const { good, improvement } = chooseHighlights(judged.lines);
    for (const h of good) expect(html).toContain(`<tr data-indicator="${h.id}"><th scope="row">`);
    // every red indicator is an area for further improvement, never a good one
    for (const l of judged.lines.filter((x) => x.judgement.rag === 'red')) {
      expect(improvement.map((h) => h.id)).toContain(l.indicator.id);
      expect(good.map((h) => h.id)).not.toContain(l.indicator.id);
    }
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(20);
    expect(html).toContain(judged.lines.find((l) => l.indicator.id === 'referrals.re_referrals_12m')!.narrative.sentences[0].text);
    expect(html).toContain('Two families moved back into the area.');
    expect(html).toContain('Appendix: definitions');
  });

  it('takes the authority\'s sections and refuses a bad config naming the field', () => {
    const p = join(dir, 'report.json');
    writeFileSync(p, JSON.stringify({ ...DEFAULT_REPORT_CONFIG, colours: { primary: 'blue', text: '#000000' } }));
    expect(() => readReportConfig(p)).toThrow(/field 'colours.primary'/);
    expect(readReportConfig('config/report.json').authority).toMatch(/Northshire/);
  });

  it('leaves out sections the authority does not want', async () => {
    const short = await committeeReportHtml(demo.store, judged, { config: { ...DEFAULT_REPORT_CONFIG, sections: ['front', 'summary'] }, date: '2025-02-10' });
    expect(short).toContain('id="summary"');
    expect(short).not.toContain('Appendix: definitions');
    expect(short).not.toContain('<svg');
  });

  it('renders to PDF in Chromium; pdftoppm turns its pages into images showing charts and tables', async () => {
    mkdirSync(OUT, { recursive: true });
    const pdf = join(OUT, 'committee.pdf');
    await htmlToPdf(html, pdf, { footer: 'Testshire: children\'s social care performance, January 2025' });
    expect(statSync(pdf).size).toBeGreaterThan(50_000);
    for (const f of readdirSync(OUT)) if (f.startsWith('page-')) rmSync(join(OUT, f));
    const r = spawnSync('pdftoppm', ['-png', '-r', '50', pdf, join(OUT, 'page')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const pages = readdirSync(OUT).filter((f) => f.startsWith('page-') && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThan(8); // front and summary, 7 themes from a new page each, appendix
    for (const p of pages) expect(statSync(join(OUT, p)).size).toBeGreaterThan(5_000);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Re-referrals within 12 months');
    expect(text).toContain('Good and improved performance');
    expect(existsSync(pdf)).toBe(true);
  }, 120_000);
});

describe('public version', () => {
  it('shows counts of 1 to 5 as c, hides what would give them away, and has no commentary or child data', async () => {
    const { publicFigures } = await import('../../src/report/public.ts');
    const shown = publicFigures(judged.lines);
    const pub = await committeeReportHtml(demo.store, judged, { config: DEFAULT_REPORT_CONFIG, date: '2025-02-10', public: true, shown });
    expect(pub).toContain('Public: numbers from 1 to 5 are shown as c');
    expect(pub).not.toContain('Two families moved back into the area.');
    let hidden = 0;
    for (const l of judged.lines) {
      if (l.indicator.unit !== 'count') continue;
      const m = l.month.numerator;
      const v = shown.get(`${l.indicator.id}|month`);
      if (m >= 1 && m <= 5) { expect(v, l.indicator.id).toBe('c'); hidden++; }
      if (v === 'c') {
        const row = [...pub.matchAll(new RegExp(`<tr data-indicator="${l.indicator.id.replace('.', '\\.')}">([\\s\\S]*?)</tr>`, 'g'))].map((x) => x[1]).find((r) => r.includes('data-field='))!;
        expect(row).toContain('data-field="month">c<');
      }
    }
    expect(hidden).toBeGreaterThan(0); // the small authority has small counts to hide
    // a suppressed month with a shown year to date would be recomputable from the other months: the series is suppressed as a table
    for (const l of judged.lines) {
      const months = l.trend.map((_, i) => shown.get(`${l.indicator.id}|trend${i}`));
      if (l.indicator.unit === 'count' && l.indicator.measure === 'flow' && shown.get(`${l.indicator.id}|ytd`) !== 'c') {
        const inYear = l.trend.map((f, i) => ({ f, v: months[i] })).filter(({ f }) => f.start >= '2024-04-01');
        expect(inYear.filter(({ v }) => v === 'c').length, l.indicator.id).not.toBe(1);
      }
    }
  });
});
