// Entering and importing the monthly figures of aggregate measures: the rules an entry must meet, the
// latest entry for a month winning while every entry is kept, and CSV import (columns by header name,
// all or nothing, findings naming the file, line, field and rule).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { enterMeasure, importMeasuresCsv, listMeasureValues, MeasureError } from '../src/measures.ts';
import { findMeasure, measureIndicator } from '../src/indicators/aggregates.ts';
import { month, yearToDate } from '../src/periods.ts';

const CALLS = 'aggregate.front_door_calls_answered';
const WAIT = 'aggregate.front_door_average_wait_seconds';
const NEET = 'aggregate.care_leavers_neet_19_21';
const FIXTURES = 'test/fixtures/measures';

let f: Fixture;
beforeEach(async () => { f = await fixture({}); });
afterEach(() => f.close());

async function rule(p: Promise<unknown>): Promise<{ field: string; rule: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MeasureError);
    const e = err as MeasureError;
    return { field: e.field, rule: e.rule, message: e.message };
  }
  throw new Error('expected a MeasureError');
}

describe('enterMeasure', () => {
  it('stores the value computed from numerator and denominator, and who entered it', async () => {
    const v = await enterMeasure(f.store, { measureId: CALLS, month: '2025-01', numerator: 51, denominator: 225, source: 'telephony', user: 'ann' });
    expect(v).toMatchObject({ measureId: CALLS, month: '2025-01', numerator: 51, denominator: 225, source: 'telephony', enteredBy: 'ann', current: true });
    expect(v.value).toBeCloseTo(22.6667, 4);
    expect(v.enteredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // a value given as well must agree to one decimal place
    await enterMeasure(f.store, { measureId: CALLS, month: '2025-02', numerator: 51, denominator: 225, value: 22.7, user: 'ann' });
    expect(await rule(enterMeasure(f.store, { measureId: CALLS, month: '2025-02', numerator: 51, denominator: 225, value: 22.8, user: 'ann' })))
      .toEqual({ field: 'value', rule: 'CSCM08', message: 'value 22.8 does not agree with numerator 51 and denominator 225 (22.7%)' });
  });

  it('an average taken as a mean needs only its value; numerator and denominator come as a pair that agrees', async () => {
    expect(await enterMeasure(f.store, { measureId: WAIT, month: '2025-01', value: 38.5, user: 'ann' })).toMatchObject({ value: 38.5, numerator: null, denominator: null });
    expect(await enterMeasure(f.store, { measureId: WAIT, month: '2025-02', value: 40, numerator: 48000, denominator: 1200, user: 'ann' })).toMatchObject({ value: 40 });
    expect(await rule(enterMeasure(f.store, { measureId: WAIT, month: '2025-03', user: 'ann' }))).toMatchObject({ field: 'value', rule: 'CSCM06' });
    expect(await rule(enterMeasure(f.store, { measureId: WAIT, month: '2025-03', value: 40, numerator: 48000, user: 'ann' }))).toMatchObject({ field: 'denominator', rule: 'CSCM07' });
    expect(await rule(enterMeasure(f.store, { measureId: WAIT, month: '2025-03', value: 41, numerator: 48000, denominator: 1200, user: 'ann' }))).toMatchObject({ field: 'value', rule: 'CSCM08' });
  });

  it('refuses what breaks a rule, naming the field', async () => {
    const e = (x: object) => rule(enterMeasure(f.store, { measureId: CALLS, month: '2025-01', numerator: 1, denominator: 2, user: 'ann', ...x }));
    expect(await e({ measureId: 'aggregate.calls' })).toMatchObject({ field: 'measure_id', rule: 'CSCM01', message: expect.stringContaining("no aggregate measure 'aggregate.calls' (known: aggregate.front_door_calls_answered") });
    expect(await e({ month: '2025-1' })).toMatchObject({ field: 'month', rule: 'CSCM02', message: "month '2025-1' must be YYYY-MM (e.g. 2025-01)" });
    expect(await e({ month: '2025-13' })).toMatchObject({ field: 'month' });
    expect(await e({ numerator: -1 })).toMatchObject({ field: 'numerator', rule: 'CSCM04' });
    expect(await e({ denominator: 0 })).toMatchObject({ field: 'denominator', rule: 'CSCM05' });
    expect(await e({ numerator: 3 })).toMatchObject({ field: 'numerator', rule: 'CSCM10', message: 'numerator 3 is more than denominator 2: a percentage cannot exceed 100' });
    expect(await e({ denominator: null })).toMatchObject({ field: 'denominator', rule: 'CSCM06' });
    expect(await e({ numerator: null, denominator: null, value: 50 })).toMatchObject({ field: 'numerator', rule: 'CSCM06' });
    expect(await e({ numerator: Number.NaN })).toMatchObject({ field: 'numerator', rule: 'CSCM03' });
    expect(await e({ user: ' ' })).toMatchObject({ field: 'user' });
    expect(await listMeasureValues(f.store)).toEqual([]);
  });

  it('the latest entry for a measure and month wins; every entry is kept', async () => {
    await enterMeasure(f.store, { measureId: CALLS, month: '2025-01', numerator: 160, denominator: 200, user: 'ann' });
    await enterMeasure(f.store, { measureId: CALLS, month: '2024-12', numerator: 90, denominator: 100, user: 'ann' });
    const corrected = await enterMeasure(f.store, { measureId: CALLS, month: '2025-01', numerator: 170, denominator: 200, source: 'recount', user: 'bob' });
    expect(corrected).toMatchObject({ numerator: 170, value: 85, enteredBy: 'bob', current: true });
    await enterMeasure(f.store, { measureId: NEET, month: '2025-01', numerator: 20, denominator: 80, user: 'cat' });

    const all = await listMeasureValues(f.store);
    expect(all.map((v) => [v.measureId, v.month, v.numerator, v.enteredBy, v.current])).toEqual([
      [NEET, '2025-01', 20, 'cat', true],
      [CALLS, '2024-12', 90, 'ann', true],
      [CALLS, '2025-01', 170, 'bob', true],
      [CALLS, '2025-01', 160, 'ann', false],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect((await listMeasureValues(f.store, CALLS)).length).toBe(3);
    expect((await listMeasureValues(f.store, CALLS, { currentOnly: true })).map((v) => v.numerator)).toEqual([90, 170]);

    const ind = measureIndicator(findMeasure(CALLS));
    const [jan, ytd] = await f.engine.compute(ind, [month('2025-01'), yearToDate('2025-01')]);
    expect(jan).toMatchObject({ numerator: 170, denominator: 200, value: 85 });
    expect(ytd).toMatchObject({ numerator: 260, denominator: 300 });
  });
});

describe('importMeasuresCsv', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'csc-measures-csv-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads columns by header name in any case, ignores others, and enters every row in one go', async () => {
    const result = await importMeasuresCsv(f.store, `${FIXTURES}/good.csv`, 'ann');
    expect(result).toMatchObject({ file: 'good.csv', status: 'loaded', rowsRead: 4, rowsLoaded: 4 });
    expect(result.columnMap).toEqual({ 'Measure ID': 'measure_id', Month: 'month', Numerator: 'numerator', Denominator: 'denominator', Value: 'value', Source: 'source' });
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'CSCM23', row: 1, value: 'Comment' })]);
    const values = await listMeasureValues(f.store);
    expect(values.map((v) => [v.measureId, v.month, v.numerator, v.denominator, Math.round(v.value * 10) / 10, v.source, v.enteredBy])).toEqual([
      [NEET, '2025-01', 21, 88, 23.9, 'good.csv', 'ann'], // a blank source is the file's name
      [WAIT, '2025-01', null, null, 38.5, 'Telephony January', 'ann'],
      [CALLS, '2024-12', 1402, 1530, 91.6, 'Telephony December', 'ann'],
      [CALLS, '2025-01', 1610, 1705, 94.4, 'Telephony January', 'ann'],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    // importing a corrected file later: its rows win
    const path = join(dir, 'correction.csv');
    writeFileSync(path, 'measure_id,month,numerator,denominator\naggregate.front_door_calls_answered,2025-01,1620,1705\n');
    expect(await importMeasuresCsv(f.store, path, 'bob')).toMatchObject({ status: 'loaded', rowsLoaded: 1, findings: [] });
    const [jan] = await f.engine.compute(measureIndicator(findMeasure(CALLS)), [month('2025-01')]);
    expect(jan).toMatchObject({ numerator: 1620, denominator: 1705 });
  });

  it('loads nothing when any row is an error, and names the file, line, field and rule of each', async () => {
    const result = await importMeasuresCsv(f.store, `${FIXTURES}/bad.csv`, 'ann');
    expect(result).toMatchObject({ file: 'bad.csv', status: 'rejected', rowsRead: 6, rowsLoaded: 0 });
    expect(result.findings.map((x) => [x.severity, x.row, x.field, x.value, x.code])).toEqual([
      ['error', 3, 'month', '2025-13', 'CSCM02'],
      ['error', 4, 'value', '94.0', 'CSCM08'],
      ['error', 5, 'measure_id', 'aggregate.calls_answered', 'CSCM01'],
      ['error', 6, 'numerator', '90', 'CSCM10'],
      ['error', 7, 'value', 'abc', 'CSCM03'],
    ]);
    expect(result.findings[1].message).toBe('bad.csv line 4, value: value 94 does not agree with numerator 1610 and denominator 1705 (94.4%)');
    expect(result.findings[2].message).toMatch(/^bad.csv line 5, measure_id: no aggregate measure 'aggregate.calls_answered'/);
    expect(await listMeasureValues(f.store)).toEqual([]); // line 2 was good, but the file is all or nothing
  });

  it('the same measure and month twice in a file is an error; a header without month refuses the file', async () => {
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'measure_id,month,value\naggregate.front_door_average_wait_seconds,2025-01,30\n\naggregate.front_door_average_wait_seconds,2025-01,31\n');
    const r = await importMeasuresCsv(f.store, dup, 'ann');
    expect(r.status).toBe('rejected');
    expect(r.findings).toEqual([expect.objectContaining({
      row: 4, field: 'month', code: 'CSCM24', message: 'dup.csv line 4, month: aggregate.front_door_average_wait_seconds for 2025-01 is also on line 2: give each measure and month once',
    })]);

    const noMonth = join(dir, 'nomonth.csv');
    writeFileSync(noMonth, 'measure_id,period,value\naggregate.front_door_average_wait_seconds,2025-01,30\n');
    const n = await importMeasuresCsv(f.store, noMonth, 'ann');
    expect(n.status).toBe('rejected');
    expect(n.findings.filter((x) => x.severity === 'error')).toEqual([expect.objectContaining({ row: 1, field: 'month', code: 'CSCM22' })]);

    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await importMeasuresCsv(f.store, empty, 'ann')).findings[0]).toMatchObject({ code: 'CSCM21', severity: 'error' });
    expect(await listMeasureValues(f.store)).toEqual([]);
  });
});
