// The findings report, in the layout an analyst hands to the team that fixes case records:
//   By rule   every DfE code of the rule set: checked / skipped (why) / not yet checked, how many rows failed,
//             how many children, DfE's message and a few example rows (file, line, child)
//   By child  one row per failing record, sorted by child, then file and line: what to open and what to fix
//   Files     what was read, rows staged per table, files refused and why; the readers' own findings (CSC codes)
// As text (terminal), CSV (by child to FILE.csv, by rule to FILE.rules.csv) or an xlsx workbook (streaming
// writer). Text cells that a spreadsheet would run as a formula get a leading apostrophe (src/formulaSafe.ts).
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { formulaSafeCell } from '../formulaSafe.ts';
import type { RuleStatus, ValidationResult } from './run.ts';
import type { ValidationFinding } from './types.ts';

const EXAMPLES = 3;

/** A cell for the CSV or workbook: formula-safe text (one rule for every export: src/formulaSafe.ts). */
export function safe(v: unknown): unknown {
  return formulaSafeCell(v ?? '');
}

const where = (f: ValidationFinding) => `${f.file}${f.line !== null ? ` line ${f.line}` : ''}${f.childId ? ` (child ${f.childId})` : ''}`;

export interface RuleLine extends RuleStatus { examples: string }

export function byRule(result: ValidationResult): RuleLine[] {
  const examples = new Map<string, string[]>();
  for (const f of result.findings) {
    const list = examples.get(f.code) ?? [];
    if (list.length < EXAMPLES) list.push(where(f));
    examples.set(f.code, list);
  }
  return result.rules.map((r) => ({ ...r, examples: (examples.get(r.code) ?? []).join('; ') }));
}

/** Findings sorted by child (children without an id last), then file and line. */
export function byChild(result: ValidationResult): ValidationFinding[] {
  return [...result.findings].sort((a, b) =>
    (a.childId === null ? 1 : 0) - (b.childId === null ? 1 : 0) || (a.childId ?? '').localeCompare(b.childId ?? '')
    || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code));
}

const STATUS_WORDS: Record<RuleStatus['status'], string> = { checked: 'checked', skipped: 'skipped', todo: 'not yet checked' };
const RULE_COLUMNS = ['rule', 'DfE message', 'status', 'reason', 'checked by', 'rows failing', 'children', 'examples'];
const ruleRow = (r: RuleLine) => [r.code, r.message, STATUS_WORDS[r.status], r.reason ?? '', r.implementation, r.count, r.children, r.examples];
const CHILD_COLUMNS = ['child', 'file', 'line', 'table', 'field', 'value', 'rule', 'DfE message', 'severity', 'detail'];
const childRow = (f: ValidationFinding) => [f.childId ?? '', f.file, f.line ?? '', f.table ?? '', f.field ?? '', f.value ?? '', f.code, f.message, f.severity, f.detail ?? ''];

function csv(rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map(safe)));
}

/** FILE.csv: the findings by child; FILE.rules.csv beside it: the rules. Returns the paths written. */
export function writeCsvReport(result: ValidationResult, path: string): string[] {
  const rulesPath = path.replace(/\.csv$/i, '') + '.rules.csv';
  writeFileSync(path, csv([CHILD_COLUMNS, ...byChild(result).map(childRow)]));
  writeFileSync(rulesPath, csv([RULE_COLUMNS, ...byRule(result).map(ruleRow)]));
  return [path, rulesPath];
}

export async function writeXlsxReport(result: ValidationResult, path: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  wb.creator = 'CSC Scorecard';
  wb.created = new Date();
  const sheet = (name: string, columns: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((header, i) => ({ header, width: widths[i] ?? 14 }));
    ws.getRow(1).font = { bold: true };
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    return ws;
  };
  const rules = sheet('By rule', RULE_COLUMNS, [10, 70, 16, 40, 10, 12, 10, 60]);
  for (const r of byRule(result)) rules.addRow(ruleRow(r).map(safe)).commit();
  rules.commit();
  const children = sheet('By child', CHILD_COLUMNS, [16, 24, 8, 18, 22, 36, 8, 60, 9, 80]);
  for (const f of byChild(result)) children.addRow(childRow(f).map(safe)).commit();
  children.commit();
  const files = sheet('Files', ['file', 'status', 'last year', 'rows staged', 'message'], [30, 16, 10, 60, 80]);
  for (const f of result.files) {
    files.addRow([f.file, f.status, f.lastYear ? 'yes' : '', Object.entries(f.rows).map(([t, n]) => `${t} ${n}`).join(', '), f.message ?? ''].map(safe)).commit();
  }
  files.commit();
  const other = sheet('Reading findings', CHILD_COLUMNS, [16, 24, 8, 18, 22, 36, 8, 60, 9, 80]);
  for (const f of result.fileFindings) other.addRow(childRow(f).map(safe)).commit();
  other.commit();
  await wb.commit();
}

/** The terminal summary: totals, then each rule that failed or was skipped. */
export function formatReport(result: ValidationResult): string {
  const lines: string[] = [];
  const n = (s: RuleStatus['status'], impl?: string) => result.rules.filter((r) => r.status === s && (!impl || r.implementation === impl)).length;
  lines.push(`${result.ruleset}: ${result.files.filter((f) => f.status === 'read').length} file(s) read in ${result.seconds.toFixed(2)} s; ` +
    `${result.rules.length} DfE rules: ${n('checked')} checked, ${n('skipped')} skipped, ${n('todo')} not yet checked`);
  for (const f of result.files) if (f.status !== 'read') lines.push(`  ${f.message ?? `${f.file}: ${f.status}`}`);
  const failed = byRule(result).filter((r) => r.count > 0);
  lines.push(`${result.findings.length} finding(s) under ${failed.length} rule(s), ${new Set(result.findings.map((f) => f.childId ?? '')).size} child(ren):`);
  for (const r of failed) lines.push(`  ${r.code.padEnd(9)} ${String(r.count).padStart(6)} rows ${String(r.children).padStart(5)} children  ${r.message}`);
  const skipped = result.rules.filter((r) => r.status === 'skipped');
  if (skipped.length) {
    lines.push('Skipped:');
    for (const r of skipped) lines.push(`  ${r.code.padEnd(9)} ${r.reason}`);
  }
  if (result.fileFindings.length) lines.push(`${result.fileFindings.length} reading finding(s) (CSC codes: see --out or --json)`);
  return lines.join('\n');
}
