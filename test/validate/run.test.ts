// The validator end to end: DfE's sample returns (../shared/external-samples, MIT licence) validated with each
// rule set, a rule needing last year's return skipped without it and run with it, and the report as CSV and
// xlsx (formula-safe) — through the same functions `csc validate --ruleset` calls.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/run.ts';
import { byChild, byRule, writeCsvReport, writeXlsxReport } from '../../src/validate/report.ts';

const SAMPLES = join('..', 'shared', 'external-samples');
const has = existsSync(SAMPLES);
const dir = mkdtempSync(join(tmpdir(), 'csc-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!has)("DfE's sample returns", () => {
  it('SSDA903 samples: every DfE rule has a status; load-path and validate rules both find rows; well under a second or two', async () => {
    const result = await validate([join(SAMPLES, 'ssda903')], { ruleset: 'lac2024_25' });
    expect(result.rules).toHaveLength(312);
    const rule = (code: string) => result.rules.find((r) => r.code === code)!;
    expect(rule('148')).toMatchObject({ implementation: 'load', status: 'checked' }); // a load-path row rule
    expect(rule('501')).toMatchObject({ implementation: 'sql', status: 'checked' });
    expect(rule('501').count).toBeGreaterThan(0);
    expect(rule('502')).toMatchObject({ status: 'skipped', reason: "skipped: needs last year's return (--last-year FILE…)", count: 0 });
    expect(rule('1001')).toMatchObject({ implementation: 'sql', status: 'skipped', reason: "skipped: needs last year's return (--last-year FILE…)" });
    expect(result.files.filter((f) => f.status === 'read')).toHaveLength(11);
    const f = result.findings.find((x) => x.code === '1003')!;
    expect(f).toMatchObject({ file: 'placed_for_adoption.csv', table: 'placed_for_adoption', field: 'DATE_PLACED' });
    expect(f.message).toBe("Date of LA's decision that a child should be placed for adoption is before the child started to be looked after.");
    console.log(`SSDA903 samples: ${result.seconds.toFixed(2)} s (${JSON.stringify(result.timings)}), ${result.findings.length} findings`);
  });

  it('CIN census sample: a cross-module rule (4001) and load-path rules', async () => {
    const result = await validate([join(SAMPLES, 'cin-census', 'CIN_Census_2024.xml')], { ruleset: 'cin2024_25' });
    expect(result.rules).toHaveLength(109);
    expect(result.rules.find((r) => r.code === '4001')).toMatchObject({ implementation: 'sql', status: 'checked', count: 1 });
    expect(result.rules.find((r) => r.code === '1103')).toMatchObject({ implementation: 'load', count: 1 });
  });

  it("--la: 1015 is skipped without the authority's code, checked with it; a malformed code is refused", async () => {
    const without = await validate([join(SAMPLES, 'ssda903')], { ruleset: 'lac2024_25' });
    expect(without.rules.find((r) => r.code === '1015')!.reason).toContain("needs the authority's own ONS code");
    const postcodes = join(dir, 'postcodes.csv');
    writeFileSync(postcodes, 'pcd,laua,oseast1m,osnrth1m\nAB1 2CD,E08000001,400000,300000\n');
    const withIt = await validate([join(SAMPLES, 'ssda903')], { ruleset: 'lac2024_25', postcodes, localAuthority: 'E08000001' });
    expect(withIt.rules.find((r) => r.code === '1015')!.status).toBe('checked');
    await expect(validate([join(SAMPLES, 'ssda903')], { ruleset: 'lac2024_25', localAuthority: 'E0800001' }))
      .rejects.toThrow(/--la E0800001: not an ONS local authority code/);
  });

  it("502 runs when last year's episodes are given", async () => {
    const now = join(dir, 'now');
    const last = join(dir, 'last');
    mkdirSync(now);
    mkdirSync(last);
    copyFileSync(join(SAMPLES, 'ssda903', 'header.csv'), join(now, 'header.csv'));
    writeFileSync(join(now, 'episodes.csv'), 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n' +
      'X1,02/02/2024,S,C2,N1,U1,PR1,,,,,,\nX2,01/03/2024,S,C2,N1,U1,PR1,,,,,,\n');
    writeFileSync(join(last, 'episodes.csv'), 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n' +
      'X1,01/02/2024,S,C2,N1,U1,PR1,,,,,,\nX2,01/03/2024,S,C2,N1,U1,PR1,,,,,,\n');
    const result = await validate([now], { ruleset: 'lac2024_25', lastYear: [last] });
    expect(result.rules.find((r) => r.code === '502')).toMatchObject({ status: 'checked', count: 1 });
    expect(result.findings.filter((f) => f.code === '502').map((f) => [f.childId, f.line])).toEqual([['X1', 2]]);
    expect(result.files.find((f) => f.lastYear)).toMatchObject({ file: 'episodes.csv', rows: { episodes_last: 2 } });
  });

  it('the report: by rule, by child, CSV and xlsx with formula-safe cells', async () => {
    const result = await validate([join(SAMPLES, 'ssda903')], { ruleset: 'lac2024_25' });
    result.findings.push({ code: '501', message: 'm', severity: 'warning', file: 'episodes.csv', table: 'episodes', line: 9, childId: '=HYPERLINK("x")', field: 'DECOM', value: '+1', detail: null });
    const children = byChild(result);
    expect(children[0].childId!.localeCompare(children[1].childId!)).toBeLessThanOrEqual(0);
    expect(byRule(result).find((r) => r.code === '1003')!.examples).toMatch(/^placed_for_adoption\.csv line \d+ \(child /);
    const [csvPath, rulesPath] = writeCsvReport(result, join(dir, 'findings.csv'));
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.split('\n')[0]).toBe('child,file,line,table,field,value,rule,DfE message,severity,detail');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toMatch(/^=/m);
    expect(readFileSync(rulesPath, 'utf8')).toContain('502,');
    const xlsx = join(dir, 'findings.xlsx');
    await writeXlsxReport(result, xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['By rule', 'By child', 'Files', 'Reading findings']);
    expect(wb.getWorksheet('By rule')!.rowCount).toBe(313);
    const cells: unknown[] = [];
    wb.getWorksheet('By child')!.eachRow((row) => row.eachCell((c) => cells.push(c.formula ?? c.value)));
    expect(cells).toContain(`'=HYPERLINK("x")`);
    expect(cells.some((c) => typeof c === 'object' && c !== null)).toBe(false); // no formulas
  });
});
