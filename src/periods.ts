import { addDays, addMonths, checkDate, compareDates } from './calendar.ts';

// Reporting periods. The reporting year runs April to March, as the DfE returns do:
// "2024-25" = 2024-04-01..2025-03-31. Every period has an inclusive start and end date
// (ISO 'YYYY-MM-DD') and a snapshot date, which is its end: stock measures ("children on a
// CP plan at period end") are taken at the snapshot, flows count events dated start..end.
//
// Written forms accepted by parsePeriod, and the labels this module gives:
//   2025-01        a calendar month
//   2024-25        a reporting year (also written 2024/25)
//   2025-Q3        a calendar quarter: Q1 = Jan–Mar, Q2 = Apr–Jun, Q3 = Jul–Sep, Q4 = Oct–Dec
//   2024-25 Q1     a quarter of a reporting year: Q1 = Apr–Jun 2024 … Q4 = Jan–Mar 2025
//   2025-01 YTD    year to date: 1 April of that reporting year to the end of the month
//   2025-01 R12    rolling 12 months ending with the month
// "2010-11" and "2011-12" read both as a month and as a reporting year; they are months.
// Write those two reporting years as 2010/11 and 2011/12.

/** English month names, January first. */
export const MONTH_NAMES: readonly string[] = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'YYYY-MM' (or a date starting so) as a committee reads it: '2025-01' → 'January 2025'. */
export function monthName(ym: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(ym ?? '');
  return m ? `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}` : String(ym ?? '');
}

export type PeriodKind = 'month' | 'quarter' | 'year' | 'ytd' | 'rolling12';

export interface Period {
  readonly kind: PeriodKind;
  readonly label: string;
  /** First day, inclusive. */
  readonly start: string;
  /** Last day, inclusive. */
  readonly end: string;
  /** Date at which stock measures are taken: always the end. */
  readonly snapshot: string;
}

const EXPECTED = 'expected YYYY-MM, YYYY-YY or YYYY-Qn';
const EXPECTED_LONG =
  "expected YYYY-MM (month), YYYY-YY (reporting year), YYYY-Qn (calendar quarter), 'YYYY-YY Qn' (quarter of a reporting year), 'YYYY-MM YTD' or 'YYYY-MM R12'";

function period(kind: PeriodKind, label: string, start: string, end: string): Period {
  return Object.freeze({ kind, label, start, end, snapshot: end });
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9998) {
    throw new RangeError(`${year} is not a year: expected a four-digit year`);
  }
}

function requireQuarter(q: number, text: string): void {
  if (!Number.isInteger(q) || q < 1 || q > 4) {
    throw new RangeError(`'${text}' is not a quarter: quarters run Q1 to Q4`);
  }
}

/** First and last day of month m (1–12) of year y. */
function monthBounds(y: number, m: number): { start: string; end: string } {
  const start = `${y}-${pad2(m)}-01`;
  return { start, end: addDays(addMonths(start, 1), -1) };
}

function reportingYearLabel(startYear: number): string {
  return `${startYear}-${pad2((startYear + 1) % 100)}`;
}

/** A calendar month from 'YYYY-MM'. */
export function month(ym: string): Period {
  const match = /^(\d{4})-(\d{2})$/.exec(ym);
  const y = match ? Number(match[1]) : NaN;
  const m = match ? Number(match[2]) : NaN;
  if (!match || m < 1 || m > 12) throw new RangeError(`'${ym}' is not a month: expected YYYY-MM`);
  const { start, end } = monthBounds(y, m);
  return period('month', ym, start, end);
}

/** The calendar month containing date. */
export function monthOf(date: string): Period {
  checkDate(date);
  return month(date.slice(0, 7));
}

/** Calendar quarter q of year: Q1 = Jan–Mar, Q2 = Apr–Jun, Q3 = Jul–Sep, Q4 = Oct–Dec. Label '2025-Q3'. */
export function quarter(year: number, q: number): Period {
  requireYear(year);
  requireQuarter(q, `${year}-Q${q}`);
  const first = monthBounds(year, 3 * q - 2);
  const last = monthBounds(year, 3 * q);
  return period('quarter', `${year}-Q${q}`, first.start, last.end);
}

/**
 * Quarter q of the reporting year starting in April of startYear: Q1 = Apr–Jun, Q2 = Jul–Sep,
 * Q3 = Oct–Dec, Q4 = Jan–Mar of the following calendar year. Label '2024-25 Q1'.
 */
export function financialQuarter(startYear: number, q: number): Period {
  requireYear(startYear);
  const label = `${reportingYearLabel(startYear)} Q${q}`;
  requireQuarter(q, label);
  const start = monthBounds(startYear, 4).start;
  return period('quarter', label, addMonths(start, 3 * (q - 1)), addDays(addMonths(start, 3 * q), -1));
}

/** The reporting year 1 April startYear .. 31 March startYear+1, labelled '2024-25'. */
export function reportingYear(startYear: number): Period {
  requireYear(startYear);
  return period('year', reportingYearLabel(startYear), `${startYear}-04-01`, `${startYear + 1}-03-31`);
}

/** The reporting year containing date: 2025-03-31 → 2024-25; 2025-04-01 → 2025-26. */
export function reportingYearOf(date: string): Period {
  checkDate(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return reportingYear(m >= 4 ? y : y - 1);
}

function asMonth(m: Period | string, what: string): Period {
  if (typeof m === 'string') return month(m);
  if (m.kind !== 'month') throw new RangeError(`${what} needs a month, not the ${m.kind} ${m.label}`);
  return m;
}

/** Year to date: 1 April of the month's reporting year to the end of the month. '2025-01 YTD' = 2024-04-01..2025-01-31. */
export function yearToDate(m: Period | string): Period {
  const mp = asMonth(m, 'yearToDate');
  return period('ytd', `${mp.label} YTD`, reportingYearOf(mp.start).start, mp.end);
}

/** The 12 months ending with the month: '2025-01 R12' = 2024-02-01..2025-01-31. */
export function rolling12(m: Period | string): Period {
  const mp = asMonth(m, 'rolling12');
  return period('rolling12', `${mp.label} R12`, addMonths(mp.start, -11), mp.end);
}

/** The last n months ending with (and including) the given month, oldest first. */
export function previousMonths(m: Period | string, n: number): Period[] {
  const mp = asMonth(m, 'previousMonths');
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`previousMonths needs a whole number of months ≥ 1, got ${n}`);
  const months: Period[] = [];
  for (let i = n - 1; i >= 0; i--) months.push(month(addMonths(mp.start, -i).slice(0, 7)));
  return months;
}

/** Every month from the month of `from` to the month of `to`, inclusive, oldest first ('2024-11', '2025-02' → 4 months). */
export function monthRange(from: Period | string, to: Period | string): Period[] {
  const a = asMonth(from, 'monthRange');
  const b = asMonth(to, 'monthRange');
  if (a.start > b.start) throw new RangeError(`monthRange: ${a.label} is after ${b.label}`);
  const count = wholeMonths(a.start, b.start) + 1;
  return previousMonths(b, count);
}

function wholeMonths(a: string, b: string): number {
  const ya = Number(a.slice(0, 4));
  const ma = Number(a.slice(5, 7));
  const yb = Number(b.slice(0, 4));
  const mb = Number(b.slice(5, 7));
  let n = (yb - ya) * 12 + (mb - ma);
  if (addMonths(a, n) > b) n--; // the last month is not complete yet
  return n;
}

/**
 * Whole months from date a to date b, as in a child's age in months: the largest n with
 * addMonths(a, n) ≤ b (addMonths clamps to month end, so 2024-01-31 → 2024-02-29 is 1 month).
 * 2024-01-15 → 2024-07-14 = 5; → 2024-07-15 = 6. If b is before a, −monthsBetween(b, a).
 */
export function monthsBetween(a: string, b: string): number {
  const order = compareDates(a, b);
  if (order === 0) return 0;
  return order < 0 ? wholeMonths(a, b) : -wholeMonths(b, a);
}

/** True if start ≤ date ≤ end of the period (both ends inclusive). */
export function isWithin(date: string, p: Period): boolean {
  return compareDates(p.start, date) <= 0 && compareDates(date, p.end) <= 0;
}

/**
 * Open at a date = started on or before that date and not ended on or before it (DESIGN.md):
 * a plan or episode ending on 31 March is not open at 31 March; one starting on 31 March is.
 * end = null means still open.
 */
export function isOpenAt(start: string, end: string | null, date: string): boolean {
  if (compareDates(start, date) > 0) return false;
  return end === null || compareDates(end, date) > 0;
}

/** Parses the written forms listed at the top of this file; throws RangeError saying what was expected. */
export function parsePeriod(text: string): Period {
  const s = String(text).trim().toUpperCase().replace(/\s+/g, ' ');

  let match = /^(\d{4})-(\d{2})$/.exec(s);
  if (match) {
    const y = Number(match[1]);
    const mm = Number(match[2]);
    if (mm >= 1 && mm <= 12) return month(s);
    if (mm === (y + 1) % 100) return reportingYear(y);
    throw new RangeError(`'${text}' is not a month: ${EXPECTED} (the reporting year starting in ${y} is ${reportingYearLabel(y)})`);
  }

  match = /^(\d{4})\/(\d{2})$/.exec(s);
  if (match) return reportingYear(checkedReportingYear(text, Number(match[1]), Number(match[2])));

  match = /^(\d{4})-Q(\d+)$/.exec(s);
  if (match) {
    requireQuarter(Number(match[2]), text);
    return quarter(Number(match[1]), Number(match[2]));
  }

  match = /^(\d{4})[-/](\d{2}) ?Q(\d+)$/.exec(s);
  if (match) {
    requireQuarter(Number(match[3]), text);
    return financialQuarter(checkedReportingYear(text, Number(match[1]), Number(match[2])), Number(match[3]));
  }

  match = /^(\d{4}-\d{2}) (YTD|R12)$/.exec(s);
  if (match) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(match[1])) {
      throw new RangeError(`'${text}' does not end in a month: ${match[1]} is not YYYY-MM`);
    }
    return match[2] === 'YTD' ? yearToDate(match[1]) : rolling12(match[1]);
  }

  throw new RangeError(`'${text}' is not a period: ${EXPECTED_LONG}`);
}

function checkedReportingYear(text: string, y: number, yy: number): number {
  if (yy !== (y + 1) % 100) {
    throw new RangeError(
      `'${text}' is not a reporting year: the second year must follow the first (${reportingYearLabel(y)})`,
    );
  }
  return y;
}
