// Year-end projection of a count from the year to date: seasonal (scaled by last year's shape)
// when last year is complete, otherwise linear. Expected figures are worked by hand in comments.
import { describe, expect, test } from 'vitest';
import { projectYearEnd, type MonthlyCount } from '../src/judge/projection.ts';

/** Months of the reporting year starting April of `startYear`, in order: 2024 → 2024-04, 2024-05, … 2025-03. */
function year(startYear: number, values: readonly number[]): MonthlyCount[] {
  return values.map((value, k) => {
    const m = (3 + k) % 12;
    return { month: `${startYear + (3 + k >= 12 ? 1 : 0)}-${String(m + 1).padStart(2, '0')}`, value };
  });
}

// 2024-25, April to December: 50 48 52 47 55 49 51 50 48 = 450 in 9 months.
const THIS_YEAR = year(2024, [50, 48, 52, 47, 55, 49, 51, 50, 48]);
// 2023-24: April to December 45 42 46 44 48 43 45 44 43 = 400; January to March 50 55 55 = 160.
const LAST_YEAR = year(2023, [45, 42, 46, 44, 48, 43, 45, 44, 43, 50, 55, 55]);

describe('seasonal, when last year has all 12 months', () => {
  test("450 so far against last year's 400 for the same months: 450 + 160 × 450/400 = 630", () => {
    // This year is running at 450/400 = 1.125 times last year; last year's January to March, 160,
    // at that rate is 180, so the year ends at 450 + 180 = 630.
    expect(projectYearEnd(THIS_YEAR, LAST_YEAR)).toEqual({
      projected: 630,
      method: 'seasonal',
      monthsElapsed: 9,
      yearToDate: 450,
      year: '2024-25',
      explanation: "Projected from 9 months to date, scaled by last year's pattern for January to March.",
      working: '450 + 160 × 450 ÷ 400 = 630',
    });
  });

  test('a month with no events last year is fine: January 0, February 80, March 80 is still 160 to scale', () => {
    const last = year(2023, [45, 42, 46, 44, 48, 43, 45, 44, 43, 0, 80, 80]);
    expect(projectYearEnd(THIS_YEAR, last)).toMatchObject({ projected: 630, method: 'seasonal' });
  });

  test('a zero among the months compared: last April 0, so last year to December is 355', () => {
    // 0 + 42 + 46 + 44 + 48 + 43 + 45 + 44 + 43 = 355; 450 + 160 × 450/355 = 450 + 202.8169… = 652.8169… → 653
    const last = year(2023, [0, 42, 46, 44, 48, 43, 45, 44, 43, 50, 55, 55]);
    expect(projectYearEnd(THIS_YEAR, last)).toMatchObject({
      projected: 653,
      method: 'seasonal',
      working: '450 + 160 × 450 ÷ 355 = 652.82',
    });
  });

  test('after April only: scaled by last year for May to March', () => {
    // 40 this April against 35 last April; last May to March = 45 × 11 = 495; 40 + 495 × 40/35 = 40 + 565.714… = 605.714… → 606
    const last = year(2023, [35, 45, 45, 45, 45, 45, 45, 45, 45, 45, 45, 45]);
    expect(projectYearEnd(year(2024, [40]), last)).toMatchObject({
      projected: 606,
      method: 'seasonal',
      monthsElapsed: 1,
      explanation: "Projected from 1 month to date, scaled by last year's pattern for May to March.",
    });
  });

  test('after February: only March remains', () => {
    // April to February this year 11 × 10 = 110; last year the same 11 months 11 × 5 = 55, March 8: 110 + 8 × 2 = 126
    const last = year(2023, [...Array(11).fill(5), 8]);
    expect(projectYearEnd(year(2024, Array(11).fill(10)), last)).toMatchObject({
      projected: 126,
      explanation: "Projected from 11 months to date, scaled by last year's pattern for March.",
    });
  });
});

describe('linear, when last year cannot be followed', () => {
  test('no figures for last year: 450 in 9 months is 50 a month, 600 for the year', () => {
    expect(projectYearEnd(THIS_YEAR)).toEqual({
      projected: 600,
      method: 'linear',
      monthsElapsed: 9,
      yearToDate: 450,
      year: '2024-25',
      explanation: 'Projected from 9 months to date at the average monthly rate so far, as there are no figures for last year.',
      working: '450 ÷ 9 × 12 = 600',
    });
    expect(projectYearEnd(THIS_YEAR, null).method).toBe('linear');
    expect(projectYearEnd(THIS_YEAR, []).method).toBe('linear');
  });

  test("last year's April to December all zero cannot be scaled, so the average is used", () => {
    const last = year(2023, [0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10]);
    expect(projectYearEnd(THIS_YEAR, last)).toMatchObject({
      projected: 600,
      method: 'linear',
      explanation:
        "Projected from 9 months to date at the average monthly rate so far, as last year's April to December total was zero and cannot be scaled.",
    });
  });

  test('last year with a month missing is not a full year', () => {
    const last = LAST_YEAR.filter((m) => m.month !== '2024-02');
    expect(projectYearEnd(THIS_YEAR, last)).toMatchObject({
      projected: 600,
      method: 'linear',
      explanation: 'Projected from 9 months to date at the average monthly rate so far, as last year has only 11 of its 12 months.',
    });
  });

  test('rounded to a whole number: 100 in 7 months is 100/7 × 12 = 171.43 → 171', () => {
    expect(projectYearEnd(year(2024, [10, 20, 10, 20, 10, 20, 10]))).toMatchObject({
      projected: 171,
      working: '100 ÷ 7 × 12 = 171.43',
      explanation: 'Projected from 7 months to date at the average monthly rate so far, as there are no figures for last year.',
    });
  });

  test('one month: 40 in April is 480 for the year', () => {
    expect(projectYearEnd(year(2024, [40]))).toMatchObject({
      projected: 480,
      explanation: 'Projected from 1 month to date at the average monthly rate so far, as there are no figures for last year.',
    });
  });
});

describe('a complete year', () => {
  test('all 12 months in: the total is the outturn', () => {
    // 12 × 50 = 600
    expect(projectYearEnd(year(2024, Array(12).fill(50)), LAST_YEAR)).toEqual({
      projected: 600,
      method: 'actual',
      monthsElapsed: 12,
      yearToDate: 600,
      year: '2024-25',
      explanation: "All 12 months of 2024-25 are in, so the outturn is the year's total, not a projection.",
      working: '600 (April to March)',
    });
  });
});

describe('input that cannot be projected', () => {
  test('the year to date starts in April', () => {
    expect(() => projectYearEnd([{ month: '2024-05', value: 3 }])).toThrow(
      'the year to date starts in April (reporting years run April to March), got 2024-05',
    );
  });

  test('no gaps or repeats in the months so far', () => {
    const gap = [
      { month: '2024-04', value: 3 },
      { month: '2024-06', value: 3 },
    ];
    expect(() => projectYearEnd(gap)).toThrow('month 2 of the year to date should be 2024-05, got 2024-06');
  });

  test("last year's months belong to the reporting year before", () => {
    expect(() => projectYearEnd(THIS_YEAR, year(2022, Array(12).fill(1)))).toThrow(
      '2022-04 is not in the previous reporting year, April 2023 to March 2024',
    );
    expect(() => projectYearEnd(THIS_YEAR, [...LAST_YEAR, { month: '2023-04', value: 1 }])).toThrow('2023-04 appears twice');
  });

  test('no months, too many months, or a count that is not a count', () => {
    expect(() => projectYearEnd([])).toThrow('at least one month');
    expect(() => projectYearEnd([...year(2024, Array(12).fill(1)), { month: '2025-04', value: 1 }])).toThrow('12 months');
    expect(() => projectYearEnd(year(2024, [5, -1]))).toThrow('2024-05: -1 is not a count');
    expect(() => projectYearEnd(year(2024, [5, Number.NaN]))).toThrow(RangeError);
  });
});
