import { month, MONTH_NAMES } from '../periods.ts';

// Year-end outturn for a count indicator ("projected 450 ICPCs by March") from the months of the
// reporting year so far. The reporting year runs April to March.
//
// - Seasonal, when the previous reporting year has all 12 months: this year so far is scaled by
//   how it compares with the same months last year, and last year's remaining months are added at
//   that scale:  projected = YTD + Σ last year's remaining months × YTD ÷ Σ last year's same months.
//   So a year running 10% above last year is projected to end 10% above it, with last year's shape.
// - Linear, otherwise (no previous year, an incomplete one, or last year's same months summing to
//   zero, which cannot be scaled): the monthly average so far for 12 months, YTD ÷ months × 12.
// - Actual, when all 12 months are in: the total is the outturn, not a projection.
// The result is rounded to a whole number (these are counts); no interval is given.

export interface MonthlyCount {
  /** 'YYYY-MM'. */
  readonly month: string;
  readonly value: number;
}

export type ProjectionMethod = 'seasonal' | 'linear' | 'actual';

export interface Projection {
  /** Year-end outturn, rounded to a whole number. */
  readonly projected: number;
  readonly method: ProjectionMethod;
  readonly monthsElapsed: number;
  readonly yearToDate: number;
  /** The reporting year projected, '2024-25'. */
  readonly year: string;
  /** One plain sentence: "Projected from 9 months to date, scaled by last year's pattern for January to March." */
  readonly explanation: string;
  /** The arithmetic: "450 + 160 × 450 ÷ 400 = 630". */
  readonly working: string;
}


/**
 * Project this reporting year's total from `current` (its months so far, April first, no gaps)
 * and, when given, `previous` (the months of the reporting year before; seasonal only if all 12).
 */
export function projectYearEnd(current: readonly MonthlyCount[], previous?: readonly MonthlyCount[] | null): Projection {
  const startYear = checkCurrent(current);
  const year = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
  const n = current.length;
  const ytd = sum(current.map((c) => c.value));
  const elapsed = monthSpan(0, n - 1);
  const base = { monthsElapsed: n, yearToDate: ytd, year };

  if (n === 12) {
    return {
      ...base,
      projected: Math.round(ytd),
      method: 'actual',
      explanation: `All 12 months of ${year} are in, so the outturn is the year's total, not a projection.`,
      working: `${fmt(ytd)} (${elapsed})`,
    };
  }

  const lastYear = previous ? byOffset(previous, startYear - 1) : null;
  const remaining = monthSpan(n, 11);
  let fallback: string;
  if (lastYear === null) {
    fallback = 'there are no figures for last year';
  } else if (lastYear.some((v) => v === undefined)) {
    const have = lastYear.filter((v) => v !== undefined).length;
    fallback = `last year has only ${have} of its 12 months`;
  } else {
    const last = lastYear as number[];
    const sameMonths = sum(last.slice(0, n));
    const restOfYear = sum(last.slice(n));
    if (sameMonths > 0) {
      const exact = ytd + (restOfYear * ytd) / sameMonths;
      return {
        ...base,
        projected: Math.round(exact),
        method: 'seasonal',
        explanation: `Projected from ${months(n)} to date, scaled by last year's pattern for ${remaining}.`,
        working: `${fmt(ytd)} + ${fmt(restOfYear)} × ${fmt(ytd)} ÷ ${fmt(sameMonths)} = ${fmt(exact)}`,
      };
    }
    fallback = `last year's ${elapsed} total was zero and cannot be scaled`;
  }

  const exact = (ytd / n) * 12;
  return {
    ...base,
    projected: Math.round(exact),
    method: 'linear',
    explanation: `Projected from ${months(n)} to date at the average monthly rate so far, as ${fallback}.`,
    working: `${fmt(ytd)} ÷ ${n} × 12 = ${fmt(exact)}`,
  };
}

/** The reporting year's first calendar year, after checking the months run April, May, … with no gaps. */
function checkCurrent(current: readonly MonthlyCount[]): number {
  if (current.length === 0) throw new RangeError('a projection needs at least one month of the year to date');
  if (current.length > 12) throw new RangeError(`a reporting year has 12 months, got ${current.length}`);
  const first = month(current[0].month);
  const startYear = Number(first.label.slice(0, 4));
  if (first.label.slice(5) !== '04') {
    throw new RangeError(`the year to date starts in April (reporting years run April to March), got ${current[0].month}`);
  }
  current.forEach((c, k) => {
    const expected = calendarMonth(startYear, k);
    if (c.month !== expected) throw new RangeError(`month ${k + 1} of the year to date should be ${expected}, got ${c.month}`);
    checkCount(c);
  });
  return startYear;
}

/** Last year's values by month of the reporting year (0 = April); undefined where a month is missing. */
function byOffset(previous: readonly MonthlyCount[], startYear: number): (number | undefined)[] {
  const values: (number | undefined)[] = new Array(12).fill(undefined);
  for (const p of previous) {
    checkCount(p);
    const k = Array.from({ length: 12 }, (_, i) => calendarMonth(startYear, i)).indexOf(month(p.month).label);
    if (k < 0) throw new RangeError(`${p.month} is not in the previous reporting year, April ${startYear} to March ${startYear + 1}`);
    if (values[k] !== undefined) throw new RangeError(`${p.month} appears twice in the previous year`);
    values[k] = p.value;
  }
  return values;
}

function checkCount(c: MonthlyCount): void {
  if (!Number.isFinite(c.value) || c.value < 0) throw new RangeError(`${c.month}: ${c.value} is not a count`);
}

/** 'YYYY-MM' of month k (0 = April) of the reporting year starting in April of startYear. */
function calendarMonth(startYear: number, k: number): string {
  const m = (3 + k) % 12;
  return `${startYear + (3 + k >= 12 ? 1 : 0)}-${String(m + 1).padStart(2, '0')}`;
}

/** 'April to December', 'April', 'January to March' for months a..b of the reporting year (0 = April). */
function monthSpan(a: number, b: number): string {
  const name = (k: number) => MONTH_NAMES[(3 + k) % 12];
  return a === b ? name(a) : `${name(a)} to ${name(b)}`;
}

function months(n: number): string {
  return `${n} month${n === 1 ? '' : 's'}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

function fmt(x: number): string {
  return NUMBER.format(x);
}
