// Runs a reader over thousands of mutated inputs, in memory (Source bytes), and checks for each one:
//   - no crash: the reader resolves, or rejects with FileRejected — any other exception, or an unhandled
//     promise rejection while it runs, is a failure;
//   - no hang: each input is given PER_INPUT_MS (the slowest is reported);
//   - a finding for each: a refusal carries an error finding; every finding has the README shape (ruleset,
//     code, severity, the file's name, a line within the file or null, a message naming the file);
//     a mutation that certainly made the input malformed must give at least one finding or a refusal;
//     and an input that gives no finding at all must have stayed valid — checked against an independent
//     count of its records (csv-parse, JSON lines, <Child> elements): every record read was stored, none
//     silently dropped. Such inputs are counted as "stayed valid".
import { expect } from 'vitest';
import { FileRejected } from '../../src/ingest/errors.ts';
import type { Source } from '../../src/ingest/source.ts';
import type { FileSummary, Finding, RecordSink } from '../../src/ingest/types.ts';
import type { TableName } from '../../src/model.ts';
import { Random } from '../../src/synth/random.ts';
import { mutate, type Mutation } from './mutate.ts';

/** A hang never answers; the bound is generous because the machine running the tests is shared (the slowest is reported). */
export const PER_INPUT_MS = 20_000;

export interface Oracle {
  /** the records in the input, counted independently of the reader; null when that cannot be told */
  count: number;
  /** compare with the rows given to this table (XML: one children row per Child); else with distinct source lines */
  table?: TableName;
}

export interface ReaderUnderTest {
  name: string;
  read: (source: Source, sink: RecordSink) => Promise<FileSummary>;
  bases: { name: string; bytes: Buffer }[];
  mutations: readonly Mutation[];
  records?: (bytes: Buffer) => Oracle | null;
}

export interface FuzzStats {
  inputs: number;
  rejected: number;
  flagged: number;
  stayedValid: number;
  certain: number;
  ms: number;
  slowestMs: number;
  failures: string[];
}

const SEVERITIES = new Set(['error', 'warning']);
const RULESETS = new Set(['cin', 'ssda903', 'annex_a', 'events', 'file']);

function shapeProblems(f: Finding, file: string, lines: number): string | null {
  if (!RULESETS.has(f.ruleset)) return `ruleset ${f.ruleset}`;
  if (typeof f.code !== 'string' || f.code === '') return 'no code';
  if (!SEVERITIES.has(f.severity)) return `severity ${f.severity}`;
  if (f.file !== file) return `file ${f.file}`;
  if (f.row !== null && !(Number.isInteger(f.row) && f.row >= 1 && f.row <= lines + 1)) return `row ${f.row} of ${lines} lines`;
  if (typeof f.message !== 'string' || !f.message.startsWith(file)) return `message not naming the file: ${String(f.message).slice(0, 80)}`;
  return null;
}

export async function fuzz(r: ReaderUnderTest, inputs: number, seed = 'issue-8'): Promise<FuzzStats> {
  const stats: FuzzStats = { inputs, rejected: 0, flagged: 0, stayedValid: 0, certain: 0, ms: 0, slowestMs: 0, failures: [] };
  let unhandled: unknown = null;
  const onUnhandled = (reason: unknown) => { unhandled = reason; };
  process.on('unhandledRejection', onUnhandled);
  const t0 = performance.now();
  try {
    for (let i = 0; i < inputs; i++) {
      const rng = new Random(`${seed}/${r.name}/${i}`);
      const base = r.bases[i % r.bases.length];
      const m = mutate(base.bytes, r.mutations, rng);
      if (m.certain) stats.certain++;
      const fail = (what: string) => { if (stats.failures.length < 20) stats.failures.push(`${r.name} input ${i} (${base.name}; ${m.applied.join(' + ')}): ${what}`); };
      const findings: Finding[] = [];
      const stored: { table: TableName; line: number | null }[] = [];
      const sink: RecordSink = { add: (table, _row, line) => { stored.push({ table, line }); }, finding: (f) => { findings.push(f); } };
      const started = performance.now();
      let rejected: FileRejected | null = null;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          r.read({ name: base.name, bytes: m.bytes }, sink),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${PER_INPUT_MS} ms`)), PER_INPUT_MS); }),
        ]);
      } catch (err) {
        if (err instanceof FileRejected) rejected = err;
        else { fail(`threw ${(err as Error)?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(err)}`); continue; }
      } finally {
        clearTimeout(timer);
      }
      const ms = performance.now() - started;
      stats.slowestMs = Math.max(stats.slowestMs, ms);
      if (unhandled !== null) { fail(`unhandled rejection: ${String((unhandled as Error)?.stack ?? unhandled).slice(0, 300)}`); unhandled = null; }
      // an upper bound however line ends are counted (a CR, an LF and a CRLF each end a line for some reader)
      let lines = 1;
      for (const byte of m.bytes) if (byte === 10 || byte === 13) lines++;
      const all = rejected ? [...findings, ...rejected.findings] : findings;
      for (const f of all) {
        const problem = shapeProblems(f, base.name, lines);
        if (problem) { fail(`finding ${f.code}: ${problem}`); break; }
      }
      if (rejected) {
        stats.rejected++;
        if (!rejected.findings.some((f) => f.severity === 'error')) fail(`refused without an error finding: ${rejected.message}`);
        continue;
      }
      if (findings.length > 0) { stats.flagged++; continue; }
      if (m.certain) { fail('malformed, yet no finding and no refusal'); continue; }
      const oracle = r.records?.(m.bytes) ?? null;
      if (oracle) {
        const got = oracle.table ? stored.filter((s) => s.table === oracle.table).length : new Set(stored.map((s) => s.line)).size;
        if (got !== oracle.count) { fail(`no finding, but ${got} record(s) stored of ${oracle.count} in the input: rows dropped silently`); continue; }
      }
      stats.stayedValid++;
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  stats.ms = performance.now() - t0;
  return stats;
}

export function report(r: ReaderUnderTest, s: FuzzStats): string {
  return `${r.name}: ${s.inputs} inputs (${s.certain} certainly malformed) in ${(s.ms / 1000).toFixed(1)} s — refused ${s.rejected}, loaded with findings ${s.flagged}, stayed valid ${s.stayedValid}; slowest input ${s.slowestMs.toFixed(0)} ms`;
}

/** Fuzzes, prints the figures and asserts there were no failures. */
export async function fuzzAndCheck(r: ReaderUnderTest, inputs: number): Promise<FuzzStats> {
  const s = await fuzz(r, inputs);
  console.log(report(r, s));
  expect(s.failures, s.failures.join('\n')).toEqual([]);
  expect(s.rejected + s.flagged + s.stayedValid).toBe(inputs);
  expect(s.slowestMs).toBeLessThan(PER_INPUT_MS);
  return s;
}
