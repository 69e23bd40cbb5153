// Plain-text tables for the terminal.
import { basename } from 'node:path';
import type { Finding } from './ingest/types.ts';
import type { LoadResult } from './load.ts';

/** Rows of objects as an aligned text table; numbers right-aligned. */
export function formatTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

/** The summary an analyst reads after a load: what was read, loaded, rejected, and warnings by rule. */
export function formatLoadResults(results: LoadResult[]): string {
  const table = formatTable(results.map((r) => ({
    file: basename(r.file),
    kind: r.kind,
    status: r.status + (r.superseded.length ? ` (supersedes ${r.superseded.join(', ')})` : ''),
    load: r.loadId ?? '',
    loaded: Object.values(r.rowsLoaded).reduce((a, b) => a + b, 0),
    rejected: r.rowsRejected,
    warnings: r.warnings,
  })));
  const byRule = new Map<string, { severity: string; n: number; example: string }>();
  for (const r of results) for (const f of r.findings) {
    const k = `${f.ruleset} ${f.code}`;
    const e = byRule.get(k) ?? { severity: f.severity, n: 0, example: f.message };
    e.n++;
    byRule.set(k, e);
  }
  if (byRule.size === 0) return table;
  const rules = formatTable([...byRule.entries()].sort((a, b) => b[1].n - a[1].n).map(([rule, e]) => ({
    rule, severity: e.severity, findings: e.n, example: e.example.length > 110 ? `${e.example.slice(0, 107)}…` : e.example,
  })));
  return `${table}\n\nFindings by rule:\n${rules}`;
}

export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  return findings.map((f) => `${f.severity.toUpperCase().padEnd(7)} ${f.ruleset} ${f.code}: ${f.message}`).join('\n');
}
