// The synthetic authority's workforce return, supervision records and survey results: byte-identical for
// the same seed, read back by the real readers without an error, and shaped like England's figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_SYNTH_OPTIONS, simulate } from '../src/synth/simulate.ts';
import { censusDates, writeCsww, writeSurveys } from '../src/synth/writeWorkforce.ts';
import { validateFile } from '../src/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-synth-wf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { ...DEFAULT_SYNTH_OPTIONS, population: 8_000, years: 2, seed: 5, end: '2025-03-31' };

describe('synthetic workforce and voice', () => {
  const a = simulate(options);
  const b = simulate(options);

  test('the same seed gives the same supervisions and byte-identical CSWW and survey files', () => {
    expect(b.tables.supervisions).toEqual(a.tables.supervisions);
    expect(censusDates(a)).toEqual(['2023-09-30', '2024-09-30']);
    for (const [la, name] of [[a, 'a'], [b, 'b']] as const) {
      writeCsww(la, '2024-09-30', join(dir, `csww_${name}.xml`));
      writeSurveys(la, join(dir, `surveys_${name}.csv`));
    }
    expect(readFileSync(join(dir, 'csww_b.xml'))).toEqual(readFileSync(join(dir, 'csww_a.xml')));
    expect(readFileSync(join(dir, 'surveys_b.csv'))).toEqual(readFileSync(join(dir, 'surveys_a.csv')));
  });

  test('every worker in post is supervised, mostly about every four weeks', () => {
    const byWorker = new Map<string, string[]>();
    for (const s of a.tables.supervisions) byWorker.set(s.worker_id!, [...(byWorker.get(s.worker_id!) ?? []), s.supervision_date!]);
    const gaps: number[] = [];
    for (const dates of byWorker.values()) {
      dates.sort();
      for (let i = 1; i < dates.length; i++) gaps.push((Date.parse(dates[i]) - Date.parse(dates[i - 1])) / 86_400_000);
    }
    expect(gaps.length).toBeGreaterThan(100);
    const within30 = gaps.filter((g) => g <= 30).length / gaps.length;
    expect(within30).toBeGreaterThan(0.6);
    expect(within30).toBeLessThan(0.9);
    const inPost = a.tables.workers.filter((w) => (w.start_date ?? '') <= '2025-02-28' && (w.end_date === null || w.end_date > '2025-03-31'));
    expect(inPost.filter((w) => !byWorker.has(w.worker_id!))).toEqual([]);
  });

  test('the files load without errors: CSWW workers and vacancies, survey answers', async () => {
    const csww = await validateFile(join(dir, 'csww_a.xml'));
    expect(csww.kind).toBe('workforce');
    expect(csww.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(csww.rowsLoaded.csww_vacancies).toBe(1);
    expect(csww.rowsLoaded.csww_workers).toBeGreaterThan(20);
    const surveys = await validateFile(join(dir, 'surveys_a.csv'));
    expect(surveys.kind).toBe('survey');
    expect(surveys.findings).toEqual([]);
    expect(surveys.rowsLoaded.survey_responses).toBeGreaterThan(100);
  });
});
