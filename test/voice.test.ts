// Survey results through the load path and the voice indicators over them. Expected figures are worked
// out in the comments from the file below.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { Engine } from '../src/engine.ts';
import { detectKind, loadFile } from '../src/load.ts';
import { month, yearToDate } from '../src/periods.ts';
import { INDICATORS } from '../src/indicators/voice.ts';
import { expectRowsAddUp } from './helpers/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-voice-'));
let store: Store;
let engine: Engine;
const path = join(dir, 'surveys.csv');

// Lines (header = line 1):
//   2–3   R1 5 Jan 2025   rating Excellent, listened yes
//   4–5   R2 20 Jan       rating good, listened sometimes
//   6–7   R3 31 Jan       rating ok, listened yes
//   8–9   R4 10 Jan       rating blank (not answered), listened no
//   10    R5 31 Dec 2024  rating poor
//   11    R6 1 Feb 2025   rating excellent
//   12    R7 15 Jan       rating 'brilliant': off the scale → error, not loaded
//   13    R8 32/01/2025   not a date → error, not loaded
//   14–17 children C1 yes, C2 no, C3 yes, C4 yes (15–18 Jan), child ids with leading zeros
// January 2025:
//   early help rated good or excellent: answered R1, R2, R3 (R4 blank) → R1, R2 = 2 of 3 = 66.67%
//   early help felt listened to: R1 yes, R2 sometimes, R3 yes, R4 no → 2 of 4 = 50%
//   children felt listened to: 3 of 4 = 75%
// Year to date to January (1 Apr 2024 – 31 Jan 2025): rating adds R5 (poor) → 2 of 4 = 50%. February: R6 → 1 of 1.
const CSV = [
  'Survey,Response ID,Response Date,Question,Answer,Child ID,Team',
  'early_help_exit,R1,2025-01-05,overall_rating,Excellent,,EH North',
  'early_help_exit,R1,2025-01-05,felt_listened_to,yes,,EH North',
  'early_help_exit,R2,20/01/2025,overall_rating,good,,EH South',
  'early_help_exit,R2,20/01/2025,felt_listened_to,sometimes,,EH South',
  'early_help_exit,R3,2025-01-31,overall_rating,ok,,EH North',
  'early_help_exit,R3,2025-01-31,felt_listened_to,yes,,EH North',
  'early_help_exit,R4,2025-01-10,overall_rating,,,EH South',
  'early_help_exit,R4,2025-01-10,felt_listened_to,no,,EH South',
  'early_help_exit,R5,2024-12-31,overall_rating,poor,,EH North',
  'early_help_exit,R6,2025-02-01,overall_rating,excellent,,EH North',
  'early_help_exit,R7,2025-01-15,overall_rating,brilliant,,EH North',
  'early_help_exit,R8,32/01/2025,overall_rating,good,,EH North',
  'childrens_feedback,C1,2025-01-15,felt_listened_to,Yes,0012345,',
  'childrens_feedback,C2,2025-01-16,felt_listened_to,No,0012346,',
  'childrens_feedback,C3,2025-01-17,felt_listened_to,yes,0012347,',
  'childrens_feedback,C4,2025-01-18,felt_listened_to,yes,0012348,',
].join('\n') + '\n';

beforeAll(async () => {
  writeFileSync(path, CSV);
  store = await Store.open(join(dir, 'test.duckdb'));
  engine = new Engine(store);
});
afterAll(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });

describe('survey results', () => {
  it('load: recognised by its columns; off-scale answers and bad dates are findings with line and field', async () => {
    expect(detectKind(path)).toBe('survey');
    const r = await loadFile(store, path);
    expect(r.status).toBe('loaded');
    expect(r.rowsLoaded).toEqual({ survey_responses: 14 });
    expect(r.findings.map((f) => `${f.severity} ${f.code} ${f.row} ${f.field} ${f.value}`)).toEqual([
      'error CSC604 12 answer brilliant', 'error CSC603 13 response_date 32/01/2025',
    ]);
    expect(await store.query(`SELECT child_id, answer FROM main.survey_responses WHERE survey = 'childrens_feedback' ORDER BY 1 LIMIT 1`))
      .toEqual([{ child_id: '0012345', answer: 'yes' }]);
    expect((await loadFile(store, path)).status).toBe('unchanged');
  });

  it('rated good or excellent; felt listened to (families and children)', async () => {
    const jan = month('2025-01');
    const rated = (await engine.compute('voice.early_help_rated_good', [jan]))[0];
    expect(rated).toMatchObject({ numerator: 2, denominator: 3 });
    expect(rated.value).toBeCloseTo(200 / 3, 8);
    expect((await engine.compute('voice.early_help_felt_listened_to', [jan]))[0]).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect((await engine.compute('voice.children_felt_listened_to', [jan]))[0]).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    expect((await engine.compute('voice.early_help_rated_good', [yearToDate('2025-01')]))[0]).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect((await engine.compute('voice.early_help_rated_good', [month('2025-02')]))[0]).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
    // by team in January: EH North R1 excellent, R3 ok → 1 of 2; EH South R2 good → 1 of 1 (R4 blank)
    const teams = (await engine.compute('voice.early_help_rated_good', [jan], { breakdown: 'team' })).map((x) => [x.group, x.numerator, x.denominator]);
    expect(teams).toEqual([['EH North', 1, 2], ['EH South', 1, 1]]);
    const rs = await engine.rows('voice.early_help_rated_good', jan);
    expect(rs.map((r) => `${r.response_id} ${r.answer} ${r.in_numerator}`).sort()).toEqual(['R1 excellent true', 'R2 good true', 'R3 ok false']);
  });

  it('the rows add up', async () => {
    await expectRowsAddUp(engine, INDICATORS, [month('2025-01'), yearToDate('2025-01'), month('2025-02')]);
  });
});
