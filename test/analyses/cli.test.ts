// `csc analyse …` as a person runs it, on a small hand-built store (closed before the command opens it):
// the same figures as the modules give, as a table, JSON and CSV; and a message, not a stack trace, when
// nothing is loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixture.ts';

let db: string;
const dir = mkdtempSync(join(tmpdir(), 'csc-analyse-cli-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); rmSync(dirname(db), { recursive: true, force: true }); });

function csc(...args: string[]) {
  return spawnSync(process.execPath, ['bin/csc.js', '--db', db, ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
  // S1: a Section 47 enquiry started Thu 2 January 2025 with no outcome; its 16th working day is 24 January.
  // P1: a CP plan open since 2023-10-31, 15 months on 31 January 2025.
  const f = await fixture({
    section47: [{ child_id: 'S1', start_date: '2025-01-02' }],
    cp_plans: [{ child_id: 'P1', start_date: '2023-10-31' }],
  });
  db = f.store.path;
  f.store.close(); // the file stays: fixture's close() would remove it
});

describe('csc analyse', () => {
  it('--help names the five analyses and the imports', () => {
    const r = spawnSync(process.execPath, ['bin/csc.js', 'analyse', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const cmd of ['journeys', 'disproportionality', 'drift', 'distance', 'forecast', 'import-postcodes', 'import-population']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
  });

  it('drift as a table, JSON and CSV', () => {
    const text = csc('analyse', 'drift', '--at', '2025-01-31');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Section 47 enquiry without an outcome: 1');
    const json = JSON.parse(csc('analyse', 'drift', '--at', '2025-01-31', '--json').stdout) as { rows: { child_id: string; drift_since: string; days_drifting: number }[] };
    expect(json.rows.map((r) => [r.child_id, r.drift_since, r.days_drifting])).toEqual([['S1', '2025-01-24', 8], ['P1', '2025-01-31', 1]]);
    const csv = csc('analyse', 'drift', '--at', '2025-01-31', '--csv').stdout.trim().split(/\r?\n/);
    expect(csv[0]).toBe('rule,child_id,team,worker,started,last_progress,drift_since,days_drifting,detail');
    expect(csv).toHaveLength(3);
  });

  it('says what to do when nothing is loaded, without a stack trace', () => {
    const r = csc('analyse', 'forecast');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nothing is loaded yet');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a scenario it cannot read', () => {
    const popFile = join(dir, 'empty.csv');
    writeFileSync(popFile, 'ethnic_group,count\nWhite,10\n');
    expect(csc('analyse', 'import-population', popFile).stdout).toContain('1 rows imported');
    const r = csc('analyse', 'forecast', '--jump-off', '2025-01', '--scenario', 'entries:12+:-10%');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('age bands start at');
  });
});
