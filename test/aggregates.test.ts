// Aggregate measures as indicators: the engine's month, year to date, rolling 12 months and trend for a
// percentage whose months add their numerators and denominators, and for an average taken as the mean of
// monthly values, worked by hand; config/measures.json checked with errors that name the file, measure and field.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { INDICATORS, MEASURES, findMeasure, measureIndicator, measureIndicators, readMeasuresFile } from '../src/indicators/aggregates.ts';
import { enterMeasure } from '../src/measures.ts';
import { month, parsePeriod, rolling12, yearToDate } from '../src/periods.ts';
import { THEMES } from '../src/indicators/types.ts';

const CALLS = 'aggregate.front_door_calls_answered';
const WAIT = 'aggregate.front_door_average_wait_seconds';

describe('shipped measures', () => {
  it('has the four examples, each a valid indicator', () => {
    expect(MEASURES.map((m) => m.id)).toEqual([
      'aggregate.front_door_calls_answered',
      'aggregate.front_door_average_wait_seconds',
      'aggregate.early_help_family_rating_good',
      'aggregate.care_leavers_neet_19_21',
    ]);
    for (const ind of INDICATORS) {
      expect(ind.id).toMatch(/^aggregate\.[a-z0-9_]+$/);
      expect(Object.keys(THEMES)).toContain(ind.theme);
      expect(ind.definition.length).toBeGreaterThan(40);
      expect(ind.measure).toBe('flow');
    }
    expect(findMeasure(CALLS)).toMatchObject({ unit: 'percent', polarity: 'higher', combine: 'sums' });
    expect(findMeasure(WAIT)).toMatchObject({ unit: 'average', polarity: 'lower', combine: 'mean' });
    expect(findMeasure('aggregate.care_leavers_neet_19_21')).toMatchObject({ unit: 'percent', polarity: 'lower', theme: 'care_leavers_permanence' });
    expect(() => findMeasure('aggregate.nope')).toThrow(/no aggregate measure 'aggregate.nope'; known measures: aggregate.front_door_calls_answered/);
  });
});

describe('figures from monthly entries', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture({});
    const user = 'analyst';
    // calls answered: numerator / denominator per month
    for (const [m, n, d] of [
      ['2024-01', 100, 200], // before the rolling 12 months
      ['2024-03', 90, 100], // rolling 12 months only (2024-25 starts in April)
      ['2024-06', 180, 200],
      ['2024-12', 150, 160], // corrected below: the latest entry counts
      ['2025-01', 171, 190],
      ['2025-02', 10, 10], // after the month
    ] as const) await enterMeasure(f.store, { measureId: CALLS, month: m, numerator: n, denominator: d, user });
    await enterMeasure(f.store, { measureId: CALLS, month: '2024-12', numerator: 140, denominator: 160, source: 'corrected report', user: 'manager' });
    // average wait: a value per month
    for (const [m, v] of [['2024-01', 100], ['2024-03', 30], ['2024-06', 45], ['2024-12', 60], ['2025-01', 21]] as const) {
      await enterMeasure(f.store, { measureId: WAIT, month: m, value: v, user });
    }
  });
  afterEach(() => f.close());

  it('percentage: month, year to date and rolling 12 months add numerators and denominators', async () => {
    const ind = measureIndicator(findMeasure(CALLS));
    const [m, ytd, r12, q3] = await f.engine.compute(ind, [month('2025-01'), yearToDate('2025-01'), rolling12('2025-01'), parsePeriod('2024-25 Q3')]);
    // January: 171 of 190 = 90%
    expect(m).toMatchObject({ period: '2025-01', numerator: 171, denominator: 190, value: 90 });
    // April 2024 – January 2025: June 180/200, December 140/160 (the correction), January 171/190 = 491/550
    expect(ytd).toMatchObject({ period: '2025-01 YTD', numerator: 491, denominator: 550 });
    expect(ytd.value).toBeCloseTo((100 * 491) / 550, 10); // 89.27%
    // February 2024 – January 2025: March 90/100 as well = 581/650
    expect(r12).toMatchObject({ period: '2025-01 R12', numerator: 581, denominator: 650 });
    expect(r12.value).toBeCloseTo((100 * 581) / 650, 10); // 89.38%
    // October–December 2024: December only
    expect(q3).toMatchObject({ numerator: 140, denominator: 160, value: 87.5 });
  });

  it('average: the mean of the monthly values', async () => {
    const ind = measureIndicator(findMeasure(WAIT));
    const [m, ytd, r12] = await f.engine.compute(ind, [month('2025-01'), yearToDate('2025-01'), rolling12('2025-01')]);
    expect(m).toMatchObject({ numerator: 21, denominator: 1, value: 21 });
    expect(ytd).toMatchObject({ numerator: 45 + 60 + 21, denominator: 3, value: 42 }); // June, December, January
    expect(r12).toMatchObject({ numerator: 30 + 45 + 60 + 21, denominator: 4, value: 39 }); // and March
  });

  it('trend: months with no entry have no figure', async () => {
    const trend = await f.engine.trend(measureIndicator(findMeasure(CALLS)), '2025-01', 13);
    expect(trend.map((t) => t.period)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01']);
    expect(trend.map((t) => t.value)).toEqual([50, null, 90, null, null, 90, null, null, null, null, null, 87.5, 90]);
  });

  it('the rows behind a figure are the months, with what was entered and by whom', async () => {
    const rows = await f.engine.rows(measureIndicator(findMeasure(CALLS)), yearToDate('2025-01'));
    expect(rows.map((r) => [r.month, r.value, r.child_id, r.at_date, r.figure, r.entered_by, r.measure_source])).toEqual([
      ['2024-06', 180, null, '2024-06-30', 90, 'analyst', null],
      ['2024-12', 140, null, '2024-12-31', 87.5, 'manager', 'corrected report'],
      ['2025-01', 171, null, '2025-01-31', 90, 'analyst', null],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)));
    expect(rows.every((r) => r.in_denominator && r.in_numerator)).toBe(true);
  });

  it('a team has no aggregate figures (they are for the whole authority)', async () => {
    const [m] = await f.engine.compute(measureIndicator(findMeasure(CALLS)), [month('2025-01')], { team: 'Team A' });
    expect(m).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });
});

describe('other combinations', () => {
  let dir: string;
  let f: Fixture;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'csc-measures-'));
    f = await fixture({});
  });
  afterEach(() => {
    f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an average taken as a mean of months, a count, and a stock', async () => {
    const path = join(dir, 'measures.json');
    writeFileSync(path, JSON.stringify({
      measures: [
        { id: 'aggregate.audit_grade', title: 'Average case audit grade', theme: 'workforce', unit: 'average', polarity: 'higher', combine: 'mean', definition: 'd', source: 's' },
        { id: 'aggregate.complaints', title: 'Complaints', theme: 'workforce', unit: 'count', polarity: 'lower', definition: 'd', source: 's' },
        { id: 'aggregate.neet_snapshot', title: 'NEET at month end', theme: 'care_leavers_permanence', unit: 'percent', polarity: 'lower', measure: 'stock', definition: 'd', source: 's' },
      ],
    }));
    const defs = readMeasuresFile(path);
    const [audits, complaints, neet] = measureIndicators(defs);
    expect(defs.map((d) => d.combine)).toEqual(['mean', 'sums', 'sums']);
    const user = 'a';
    await enterMeasure(f.store, { measureId: 'aggregate.audit_grade', month: '2024-11', value: 2.7, user }, defs);
    await enterMeasure(f.store, { measureId: 'aggregate.audit_grade', month: '2024-12', value: 3.1, numerator: 93, denominator: 30, user }, defs);
    await enterMeasure(f.store, { measureId: 'aggregate.complaints', month: '2024-11', value: 4, user }, defs);
    await enterMeasure(f.store, { measureId: 'aggregate.complaints', month: '2024-12', numerator: 3, user }, defs);
    await enterMeasure(f.store, { measureId: 'aggregate.neet_snapshot', month: '2024-11', numerator: 10, denominator: 40, user }, defs);
    await enterMeasure(f.store, { measureId: 'aggregate.neet_snapshot', month: '2024-12', numerator: 12, denominator: 40, user }, defs);
    const q3 = parsePeriod('2024-25 Q3');
    const [a] = await f.engine.compute(audits, [q3]);
    expect(a).toMatchObject({ denominator: 2 });
    expect(a.value).toBeCloseTo((2.7 + 3.1) / 2, 10); // 2.9: each month once, whatever December's 30 audits
    const [c] = await f.engine.compute(complaints, [q3]);
    expect(c).toMatchObject({ numerator: 7, denominator: null, value: 7 });
    const [n] = await f.engine.compute(neet, [q3]); // a stock: December's position only
    expect(n).toMatchObject({ numerator: 12, denominator: 40, value: 30 });
  });
});

describe('config errors name the file, the measure and the field', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'csc-measures-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const good = { id: 'aggregate.calls', title: 'Calls', theme: 'front_door', unit: 'percent', polarity: 'higher', definition: 'd', source: 's' };
  const attempt = (content: unknown): (() => unknown) => {
    const path = join(dir, 'measures.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return () => readMeasuresFile(path);
  };
  const where = (s: string) => new RegExp(`^${join(dir, 'measures.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${s}`);

  it('reads a good file', () => {
    expect(attempt({ $comment: 'x', measures: [good] })()).toEqual([{
      ...good, combine: 'sums', measure: 'flow', numeratorLabel: 'numerator', denominatorLabel: 'denominator',
    }]);
  });
  it('not JSON, no measures list, unknown top-level field', () => {
    expect(attempt('{ "measures": [')).toThrow(where('not valid JSON'));
    expect(attempt({})).toThrow(where('measures: '));
    expect(attempt({ measures: [], extra: 1 })).toThrow(where(`\\(top level\\): unknown field\\(s\\) extra`));
    expect(() => readMeasuresFile(join(dir, 'missing.json'))).toThrow(/missing.json: no such file/);
  });
  it('an id not of the form aggregate.<name>', () => {
    expect(attempt({ measures: [{ ...good, id: 'calls' }] })).toThrow(where(`measures\\[0\\] \\(calls\\)\\.id: must be 'aggregate.<name>'`));
  });
  it('a missing field, a theme or unit not in the lists, an unknown field', () => {
    const { title: _t, ...noTitle } = good;
    expect(attempt({ measures: [good, { ...noTitle, id: 'aggregate.b' }] })).toThrow(where(`measures\\[1\\] \\(aggregate.b\\)\\.title: is required`));
    expect(attempt({ measures: [{ ...good, theme: 'mash' }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\)\\.theme: must be one of front_door, assessment`));
    expect(attempt({ measures: [{ ...good, unit: 'seconds' }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\)\\.unit: must be one of count, percent, rate, days, average`));
    expect(attempt({ measures: [{ ...good, polarity: 'up' }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\)\\.polarity: must be higher, lower or neither`));
    expect(attempt({ measures: [{ ...good, target: 90 }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\): unknown field\\(s\\) target`));
    expect(attempt({ measures: ['x'] })).toThrow(where(`measures\\[0\\]: must be an object`));
  });
  it('a duplicate id; a count or percentage taken as a mean', () => {
    expect(attempt({ measures: [good, good] })).toThrow(where(`measures\\[1\\] \\(aggregate.calls\\)\\.id: aggregate.calls is defined twice`));
    expect(attempt({ measures: [{ ...good, unit: 'count', combine: 'mean' }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\)\\.combine: a count adds up over months`));
    expect(attempt({ measures: [{ ...good, combine: 'mean' }] })).toThrow(where(`measures\\[0\\] \\(aggregate.calls\\)\\.combine: a percent adds up over months \\(Σnumerator / Σdenominator\\)`));
  });
});
