// The csc command as a person runs it: help lists every command, validate --json reads the real
// external samples without a stack trace, and bad input gets a message, not a crash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'csc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLES = join(import.meta.dirname, '..', '..', 'shared', 'external-samples');

function csc(...args: string[]) {
  return spawnSync(process.execPath, ['bin/csc.js', ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: { ...process.env, CSC_DB: join(dir, 'cli.duckdb') } });
}

describe('csc', () => {
  it('--help lists every command', () => {
    const r = csc('--help');
    expect(r.status).toBe(0);
    for (const cmd of ['synth', 'load', 'validate', 'loads', 'workdays', 'holidays', 'period', 'demo', 'indicators', 'scorecard', 'indicator',
      'list', 'caseloads', 'report', 'publish', 'publications', 'measures', 'benchmarks', 'serve', 'users', 'audit', 'backup', 'restore']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('counts working days across the coronation bank holiday', () => {
    // Fri 5 May 2023 → Tue 9 May 2023: Sat, Sun, Mon 8 May (coronation) are not working days; Tue is 1.
    expect(csc('workdays', '2023-05-05', '2023-05-09').stdout.trim()).toBe('1');
    expect(csc('workdays', '2023-05-05', '1').stdout.trim()).toBe('2023-05-09');
  });

  it('validate --json reads every external sample and reports findings, never a stack trace', () => {
    const files = [
      ...readdirSync(join(SAMPLES, 'ssda903')).filter((f) => f.endsWith('.csv')).map((f) => join(SAMPLES, 'ssda903', f)),
      ...readdirSync(join(SAMPLES, 'cin-census')).filter((f) => f.endsWith('.xml')).map((f) => join(SAMPLES, 'cin-census', f)),
      join(SAMPLES, 'annex-a', 'Annex_A.xlsx'),
    ];
    const r = csc('validate', '--json', ...files);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const results = JSON.parse(r.stdout) as { file: string; kind: string; status: string; findings: { code: string; message: string }[] }[];
    expect(results).toHaveLength(files.length);
    for (const res of results) {
      expect(['loaded', 'rejected']).toContain(res.status);
      for (const f of res.findings) expect(f.message.length).toBeGreaterThan(10);
    }
    // The deliberate errors in the samples are found: every file of the 903 set and the CIN samples has findings.
    expect(results.find((x) => x.file.endsWith('episodes.csv'))!.findings.length).toBeGreaterThan(0);
    expect(results.find((x) => x.file.endsWith('CIN_Census_2024.xml'))!.findings.map((f) => f.code)).toContain('1103');
    expect(results.find((x) => x.file.endsWith('Annex_A.xlsx'))!.kind).toBe('annex_a');
  });

  it('a file that is none of the returns is refused with a message naming it', () => {
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'hello');
    const r = csc('load', junk);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('notes.txt');
    expect(r.stdout).toContain('rejected');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
