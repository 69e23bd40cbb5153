// Reporting periods: the reporting year runs April–March; every period has inclusive start and
// end dates and a snapshot (= end) for stock measures. Expected dates are worked by hand.
import { describe, expect, test } from 'vitest';
import {
  financialQuarter,
  isOpenAt,
  isWithin,
  month,
  monthOf,
  monthRange,
  monthsBetween,
  parsePeriod,
  previousMonths,
  quarter,
  reportingYear,
  reportingYearOf,
  rolling12,
  yearToDate,
  type Period,
} from '../src/periods.ts';

const dates = (p: Period) => [p.kind, p.start, p.end];

describe('reading a period', () => {
  test("'2025-01' is January 2025, snapshot at 31 January", () => {
    expect(parsePeriod('2025-01')).toEqual({ kind: 'month', label: '2025-01', start: '2025-01-01', end: '2025-01-31', snapshot: '2025-01-31' });
    expect(dates(parsePeriod('2024-02'))).toEqual(['month', '2024-02-01', '2024-02-29']); // leap year
    expect(dates(parsePeriod('2023-02'))).toEqual(['month', '2023-02-01', '2023-02-28']);
  });

  test("'2024-25' is the reporting year 1 April 2024 to 31 March 2025, snapshot at 31 March", () => {
    expect(parsePeriod('2024-25')).toEqual({ kind: 'year', label: '2024-25', start: '2024-04-01', end: '2025-03-31', snapshot: '2025-03-31' });
    expect(parsePeriod('2024/25')).toEqual(parsePeriod('2024-25'));
    expect(parsePeriod('2099-00').end).toBe('2100-03-31');
  });

  test("'2025-Q3' is the calendar quarter July–September 2025", () => {
    expect(dates(parsePeriod('2025-Q1'))).toEqual(['quarter', '2025-01-01', '2025-03-31']);
    expect(dates(parsePeriod('2025-Q2'))).toEqual(['quarter', '2025-04-01', '2025-06-30']);
    expect(dates(parsePeriod('2025-Q3'))).toEqual(['quarter', '2025-07-01', '2025-09-30']);
    expect(dates(parsePeriod('2025-Q4'))).toEqual(['quarter', '2025-10-01', '2025-12-31']);
    expect(parsePeriod('2025-q3').label).toBe('2025-Q3');
  });

  test("'2024-25 Q1' is the first quarter of the reporting year, April–June 2024; Q4 is January–March 2025", () => {
    expect(dates(parsePeriod('2024-25 Q1'))).toEqual(['quarter', '2024-04-01', '2024-06-30']);
    expect(dates(parsePeriod('2024-25 Q2'))).toEqual(['quarter', '2024-07-01', '2024-09-30']);
    expect(dates(parsePeriod('2024-25 Q3'))).toEqual(['quarter', '2024-10-01', '2024-12-31']);
    expect(dates(parsePeriod('2024-25 Q4'))).toEqual(['quarter', '2025-01-01', '2025-03-31']);
    expect(parsePeriod('2024/25 q4').label).toBe('2024-25 Q4');
    expect(parsePeriod('2024-25Q1').label).toBe('2024-25 Q1');
  });

  test("'2025-01 YTD' runs from 1 April 2024; '2025-01 R12' from 1 February 2024", () => {
    expect(parsePeriod('2025-01 YTD')).toEqual({ kind: 'ytd', label: '2025-01 YTD', start: '2024-04-01', end: '2025-01-31', snapshot: '2025-01-31' });
    expect(parsePeriod(' 2025-01  r12 ')).toEqual({ kind: 'rolling12', label: '2025-01 R12', start: '2024-02-01', end: '2025-01-31', snapshot: '2025-01-31' });
  });

  test('every label reads back as the same period', () => {
    const periods = [month('2025-01'), reportingYear(2024), quarter(2025, 3), financialQuarter(2024, 1), yearToDate('2025-01'), rolling12('2025-01'), reportingYear(2012)];
    for (const p of periods) expect(parsePeriod(p.label), p.label).toEqual(p);
  });

  test("'2011-12' reads as December 2011, since it is also a month; the reporting year is written '2011/12'", () => {
    expect(dates(parsePeriod('2011-12'))).toEqual(['month', '2011-12-01', '2011-12-31']);
    expect(dates(parsePeriod('2011/12'))).toEqual(['year', '2011-04-01', '2012-03-31']);
    expect(dates(parsePeriod('2010-11'))).toEqual(['month', '2010-11-01', '2010-11-30']);
    expect(dates(parsePeriod('2012-13'))).toEqual(['year', '2012-04-01', '2013-03-31']); // 13 is not a month
  });
});

describe('periods that cannot be read say what was expected', () => {
  test("'2025-13' is not a month", () => {
    expect(() => parsePeriod('2025-13')).toThrow("'2025-13' is not a month: expected YYYY-MM, YYYY-YY or YYYY-Qn");
    expect(() => parsePeriod('2025-00')).toThrow(/'2025-00' is not a month/);
  });

  test('a reporting year whose second year does not follow the first', () => {
    expect(() => parsePeriod('2024-26')).toThrow(/2024-25/);
    expect(() => parsePeriod('2024/26')).toThrow("'2024/26' is not a reporting year: the second year must follow the first (2024-25)");
    expect(() => parsePeriod('2024-26 Q1')).toThrow(/not a reporting year/);
  });

  test('a quarter outside Q1–Q4', () => {
    expect(() => parsePeriod('2025-Q5')).toThrow("'2025-Q5' is not a quarter: quarters run Q1 to Q4");
    expect(() => parsePeriod('2025-Q0')).toThrow(RangeError);
    expect(() => parsePeriod('2024-25 Q5')).toThrow(/not a quarter/);
    expect(() => quarter(2025, 5)).toThrow(RangeError);
  });

  test('garbage, dates and half-written periods', () => {
    for (const text of ['banana', '', '2025', '2025-1', '2025-01-31', 'Jan 2025', '25-26', '2025-01 YTDX']) {
      expect(() => parsePeriod(text), text).toThrow(/is not a period: expected YYYY-MM \(month\)/);
    }
    expect(() => parsePeriod('2025-13 YTD')).toThrow(/2025-13 is not YYYY-MM/);
  });

  test('year to date and rolling 12 months are built from a month, not from another kind of period', () => {
    expect(() => yearToDate(reportingYear(2024))).toThrow('yearToDate needs a month, not the year 2024-25');
    expect(() => rolling12('2025-13')).toThrow(RangeError);
    expect(() => previousMonths('2025-01', 0)).toThrow(RangeError);
  });
});

describe('reporting years', () => {
  test('31 March 2025 is in 2024-25 and 1 April 2025 starts 2025-26', () => {
    expect(reportingYearOf('2025-03-31').label).toBe('2024-25');
    expect(reportingYearOf('2025-04-01').label).toBe('2025-26');
    expect(reportingYearOf('2025-01-01').label).toBe('2024-25');
    expect(reportingYearOf('2024-12-31').label).toBe('2024-25');
    expect(reportingYearOf('2024-03-31').label).toBe('2023-24');
  });

  test('2009-10 is labelled with a leading zero and 2024-25 snapshots at 31 March 2025', () => {
    expect(reportingYear(2009).label).toBe('2009-10');
    expect(reportingYear(2024).snapshot).toBe('2025-03-31');
    expect(() => reportingYearOf('2025-02-30')).toThrow(RangeError);
  });
});

describe('year to date and rolling 12 months', () => {
  test('year to date for April is April alone; for March it is the whole reporting year', () => {
    expect(dates(yearToDate('2024-04'))).toEqual(['ytd', '2024-04-01', '2024-04-30']);
    expect(dates(yearToDate('2025-03'))).toEqual(['ytd', '2024-04-01', '2025-03-31']);
    expect(dates(yearToDate(month('2024-12')))).toEqual(['ytd', '2024-04-01', '2024-12-31']);
  });

  test('rolling 12 months to February 2024 runs from 1 March 2023 to the leap day', () => {
    expect(dates(rolling12('2024-02'))).toEqual(['rolling12', '2023-03-01', '2024-02-29']);
    expect(dates(rolling12('2025-03'))).toEqual(['rolling12', '2024-04-01', '2025-03-31']); // = the reporting year
    expect(dates(rolling12('2024-12'))).toEqual(['rolling12', '2024-01-01', '2024-12-31']);
  });

  test('the last 3 months to February 2025 are December, January, February, oldest first', () => {
    expect(previousMonths('2025-02', 3).map((m) => m.label)).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(previousMonths(month('2025-02'), 1)).toEqual([month('2025-02')]);
    const twelve = previousMonths('2025-01', 12);
    expect(twelve[0].start).toBe(rolling12('2025-01').start);
    expect(twelve[11].end).toBe(rolling12('2025-01').end);
  });

  test('monthRange lists every month from one to another inclusive', () => {
    expect(monthRange('2024-11', '2025-02').map((m) => m.label)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthRange('2025-02', '2025-02')).toHaveLength(1);
    expect(() => monthRange('2025-03', '2025-02')).toThrow(RangeError);
  });

  test('monthOf gives the calendar month of a date', () => {
    expect(monthOf('2024-02-17')).toEqual(month('2024-02'));
  });
});

describe('whole months between two dates', () => {
  test('15 January to 14 July is 5 whole months; to 15 July it is 6', () => {
    expect(monthsBetween('2024-01-15', '2024-07-14')).toBe(5);
    expect(monthsBetween('2024-01-15', '2024-07-15')).toBe(6);
    expect(monthsBetween('2024-07-15', '2024-01-15')).toBe(-6);
    expect(monthsBetween('2024-07-15', '2024-07-15')).toBe(0);
  });

  test('month ends: 31 January to 29 February 2024 is a whole month, to 28 February it is not', () => {
    expect(monthsBetween('2024-01-31', '2024-02-29')).toBe(1);
    expect(monthsBetween('2024-01-31', '2024-02-28')).toBe(0);
    expect(monthsBetween('2023-03-31', '2024-03-30')).toBe(11);
    expect(monthsBetween('2023-03-31', '2024-03-31')).toBe(12);
  });
});

describe('dates within a period and records open at a date', () => {
  test('a period includes its first and last days and nothing either side', () => {
    const y = reportingYear(2024);
    expect(isWithin('2024-04-01', y)).toBe(true);
    expect(isWithin('2025-03-31', y)).toBe(true);
    expect(isWithin('2024-03-31', y)).toBe(false);
    expect(isWithin('2025-04-01', y)).toBe(false);
  });

  test('a plan ending on 31 March is not open at 31 March; one starting on 31 March is', () => {
    expect(isOpenAt('2024-10-01', '2025-03-31', '2025-03-31')).toBe(false);
    expect(isOpenAt('2025-03-31', null, '2025-03-31')).toBe(true);
    expect(isOpenAt('2025-03-31', '2025-04-01', '2025-03-31')).toBe(true);
    expect(isOpenAt('2024-10-01', '2025-04-01', '2025-03-31')).toBe(true);
    expect(isOpenAt('2025-04-01', null, '2025-03-31')).toBe(false);
  });

  test('a plan starting and ending on the same day is never open at a snapshot', () => {
    expect(isOpenAt('2025-03-31', '2025-03-31', '2025-03-31')).toBe(false);
  });

  test('children on a CP plan at the end of 2024-25: counted at the snapshot, 31 March 2025', () => {
    const plans: [string, string | null][] = [
      ['2024-06-01', null], //         open
      ['2024-06-01', '2025-03-31'], // ended on the snapshot: not open
      ['2025-03-31', null], //         started on the snapshot: open
      ['2023-01-10', '2025-04-02'], // ended after: open
      ['2025-04-01', null], //         starts next year: not open
    ];
    const snapshot = parsePeriod('2024-25').snapshot;
    expect(plans.filter(([s, e]) => isOpenAt(s, e, snapshot))).toHaveLength(3);
  });

  test('malformed dates are rejected rather than compared as text', () => {
    expect(() => isOpenAt('31/03/2025', null, '2025-03-31')).toThrow(RangeError);
    expect(() => isWithin('2025-3-1', reportingYear(2024))).toThrow(RangeError);
  });
});
