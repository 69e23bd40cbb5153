import Holidays from 'date-holidays';
import corrections from '../config/bank-holidays.json' with { type: 'json' };

// Bank holidays for England and Wales come from two places:
//  1. the date-holidays package (country GB, region ENG): its 'public' holidays that fall on a
//     weekday (it also lists observances such as Mother's Day, and Christmas or New Year on the
//     weekend itself next to the substitute weekday);
//  2. config/bank-holidays.json, checked against https://www.gov.uk/bank-holidays and the Royal
//     Proclamations for one-off days. It is authoritative: its 'add' dates are bank holidays and its
//     'remove' dates are working days, whatever the library says. date-holidays 3.37.0 misses the
//     2011 royal wedding (29 April) and keeps the 2012 spring bank holiday on 28 May instead of
//     moving it to 4 June; the file corrects both.
// Everything is computed once, at module load, for FIRST_DATE..LAST_DATE.
//
// Dates are ISO calendar dates 'YYYY-MM-DD' with no time zone; arithmetic is done on UTC day
// numbers (days since 1970-01-01), so daylight saving never shifts a date.

/** First and last dates for which working days are known. */
export const FIRST_DATE = '2010-01-01';
export const LAST_DATE = '2035-12-31';
const FIRST_YEAR = 2010;
const LAST_YEAR = 2035;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface BankHoliday {
  date: string;
  name: string;
}

export interface CalendarRow {
  date: string;
  isWorkingDay: boolean;
  /** Working days from FIRST_DATE up to and including this date; see workingDayCalendar(). */
  workingDayIndex: number;
}

// ---------------------------------------------------------------------------------------------
// Plain date arithmetic (any date, not limited to the bank-holiday range)

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function parseYmd(date: string): Ymd {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return { y, m, d };
  }
  throw new RangeError(`'${String(date)}' is not a date: expected YYYY-MM-DD`);
}

function ymdToDayNumber({ y, m, d }: Ymd): number {
  // setUTCFullYear rather than Date.UTC, which would read years 0-99 as 1900-1999.
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / DAY_MS);
}

function formatYmd({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function dayNumber(date: string): number {
  return ymdToDayNumber(parseYmd(date));
}

function fromDayNumber(n: number): string {
  const t = new Date(n * DAY_MS);
  return formatYmd({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

function requireInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
}

/** 0 = Sunday … 6 = Saturday. */
function dayOfWeek(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function isWeekend(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

/** Returns date unchanged if it is a real calendar date written 'YYYY-MM-DD'; throws RangeError otherwise. */
export function checkDate(date: string): string {
  parseYmd(date);
  return date;
}

/** The date n calendar days after date (n may be negative). */
export function addDays(date: string, n: number): string {
  requireInteger(n, 'number of days');
  return fromDayNumber(dayNumber(date) + n);
}

/**
 * The same day n months later (n may be negative), clamped to the end of a shorter month:
 * 2024-01-31 + 1 month = 2024-02-29; 2023-01-31 + 1 month = 2023-02-28.
 * Note addMonths('2024-02-29', 12) = '2025-02-28', whereas addYears('2024-02-29', 1) = '2025-03-01'.
 */
export function addMonths(date: string, n: number): string {
  requireInteger(n, 'number of months');
  const { y, m, d } = parseYmd(date);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return formatYmd({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/**
 * The same date n years later (n may be negative). 29 February in a year that has no
 * 29 February becomes 1 March, following DESIGN.md ("a start on 29 February counts from 1 March"):
 * addYears('2024-02-29', 1) = '2025-03-01', addYears('2024-02-29', 4) = '2028-02-29'.
 */
export function addYears(date: string, n: number): string {
  requireInteger(n, 'number of years');
  const { y, m, d } = parseYmd(date);
  const ny = y + n;
  if (m === 2 && d === 29 && !isLeapYear(ny)) return formatYmd({ y: ny, m: 3, d: 1 });
  return formatYmd({ y: ny, m, d });
}

/** Calendar days from a to b: b − a (negative if b is before a; same day = 0). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** −1 if a is before b, 0 if the same date, 1 if after; usable as a sort comparator. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  parseYmd(a);
  parseYmd(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Bank holidays

interface Corrections {
  source: string;
  add: { date: string; name: string; note?: string }[];
  remove: { date: string; reason: string }[];
}

function checkCorrections(c: Corrections): void {
  const where = 'config/bank-holidays.json';
  const seen = new Set<string>();
  for (const entry of [...c.add, ...c.remove]) {
    parseYmd(entry.date);
    if (entry.date < FIRST_DATE || entry.date > LAST_DATE) {
      throw new RangeError(`${where}: ${entry.date} is outside ${FIRST_DATE}..${LAST_DATE}`);
    }
    if (seen.has(entry.date)) throw new Error(`${where}: ${entry.date} is listed twice`);
    seen.add(entry.date);
  }
  for (const entry of c.add) {
    if (!entry.name?.trim()) throw new Error(`${where}: added bank holiday ${entry.date} has no name`);
    if (isWeekend(entry.date)) throw new Error(`${where}: added bank holiday ${entry.date} is a weekend day`);
  }
  for (const entry of c.remove) {
    if (!entry.reason?.trim()) throw new Error(`${where}: removed date ${entry.date} has no reason`);
  }
}

function loadBankHolidays(): Map<string, string> {
  checkCorrections(corrections as Corrections);
  const names = new Map<string, string>();
  const library = new Holidays('GB', 'ENG', { languages: ['en'] });
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const h of library.getHolidays(year)) {
      const date = h.date.slice(0, 10); // "YYYY-MM-DD hh:mm:ss", local to England
      if (h.type !== 'public' || isWeekend(date)) continue;
      if (!names.has(date)) names.set(date, h.name);
    }
  }
  for (const { date } of corrections.remove) names.delete(date);
  for (const { date, name } of corrections.add) names.set(date, name);
  return new Map([...names].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const BANK_HOLIDAYS: ReadonlyMap<string, string> = loadBankHolidays();

// ---------------------------------------------------------------------------------------------
// Working-day index over the whole range, so that counting is two lookups and a subtraction.

const FIRST_DAY = dayNumber(FIRST_DATE);
const DAY_COUNT = dayNumber(LAST_DATE) - FIRST_DAY + 1;
/** offset (days since FIRST_DATE) → ISO date */
const DATES: string[] = new Array(DAY_COUNT);
/** ISO date → offset */
const OFFSET = new Map<string, number>();
/** offset → 1 if a working day */
const WORKING = new Uint8Array(DAY_COUNT);
/** offset → working days from FIRST_DATE up to and including that day */
const CUMULATIVE = new Int32Array(DAY_COUNT);
/** k → offset of the (k+1)th working day in the range */
const WORKING_DAYS: number[] = [];

{
  let count = 0;
  for (let i = 0; i < DAY_COUNT; i++) {
    const date = fromDayNumber(FIRST_DAY + i);
    DATES[i] = date;
    OFFSET.set(date, i);
    if (!isWeekend(date) && !BANK_HOLIDAYS.has(date)) {
      WORKING[i] = 1;
      WORKING_DAYS.push(i);
      count++;
    }
    CUMULATIVE[i] = count;
  }
}

function offsetOf(date: string): number {
  const i = OFFSET.get(date);
  if (i !== undefined) return i;
  parseYmd(date); // throws if it is not a date at all
  throw new RangeError(
    `${date} is outside the working-day calendar: bank holidays are known only from ${FIRST_DATE} to ${LAST_DATE}`,
  );
}

/** True if date is an England and Wales bank holiday that falls on a weekday (including one-offs). */
export function isBankHoliday(date: string): boolean {
  offsetOf(date);
  return BANK_HOLIDAYS.has(date);
}

/** True if date is neither a Saturday, a Sunday nor an England and Wales bank holiday. */
export function isWorkingDay(date: string): boolean {
  return WORKING[offsetOf(date)] === 1;
}

/** Bank holidays (weekdays only, with their names) in the years fromYear..toYear inclusive, in date order. */
export function bankHolidays(fromYear: number, toYear: number = fromYear): BankHoliday[] {
  for (const year of [fromYear, toYear]) {
    requireInteger(year, 'year');
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new RangeError(`bank holidays are known only for ${FIRST_YEAR} to ${LAST_YEAR}, not ${year}`);
    }
  }
  if (fromYear > toYear) throw new RangeError(`fromYear ${fromYear} is after toYear ${toYear}`);
  const from = `${fromYear}-01-01`;
  const to = `${toYear}-12-31`;
  return [...BANK_HOLIDAYS]
    .filter(([date]) => date >= from && date <= to)
    .map(([date, name]) => ({ date, name }));
}

/**
 * The number of working days AFTER start up to and INCLUDING end — the count behind "within N
 * working days". Same day = 0; Friday → the next Monday = 1; Friday 23 Dec 2022 → Thursday
 * 29 Dec 2022 = 2 (24, 25 weekend; 26, 27 bank holidays; 28, 29 working). Neither date needs to be
 * a working day. If end is before start the result is −workingDaysBetween(end, start).
 * Equal to workingDayIndex(end) − workingDayIndex(start). Throws RangeError outside FIRST_DATE..LAST_DATE.
 */
export function workingDaysBetween(start: string, end: string): number {
  return CUMULATIVE[offsetOf(end)] - CUMULATIVE[offsetOf(start)];
}

/**
 * Working days from FIRST_DATE up to and including date (FIRST_DATE itself is a bank holiday, so
 * its index is 0). Non-working days share the index of the last working day before them.
 */
export function workingDayIndex(date: string): number {
  return CUMULATIVE[offsetOf(date)];
}

/**
 * The date n working days after start: for n ≥ 1, the nth working day after start (always a
 * working day, and workingDaysBetween(start, result) === n); n = 0 returns start unchanged.
 * For n < 0 it goes backwards: the |n|th working day before start, so
 * addWorkingDays(addWorkingDays(d, n), -n) === d when d is a working day
 * (e.g. Monday − 1 = the Friday before; Saturday − 1 = the Friday before too).
 * Throws RangeError if start or the result is outside FIRST_DATE..LAST_DATE.
 */
export function addWorkingDays(start: string, n: number): string {
  requireInteger(n, 'number of working days');
  const i = offsetOf(start);
  if (n === 0) return start;
  // k = position in WORKING_DAYS (0-based) of the answer
  const k = n > 0 ? CUMULATIVE[i] + n - 1 : CUMULATIVE[i] - WORKING[i] + n;
  if (k < 0 || k >= WORKING_DAYS.length) {
    throw new RangeError(
      `${n} working days from ${start} is outside the working-day calendar (${FIRST_DATE} to ${LAST_DATE})`,
    );
  }
  return DATES[WORKING_DAYS[k]];
}

/**
 * One row per calendar day FIRST_DATE..LAST_DATE, for loading into a database table so that SQL
 * counts working days exactly as workingDaysBetween does:
 *   working days after start up to and including end = index(end) − index(start),
 * where workingDayIndex = working days from FIRST_DATE up to and including that date.
 */
export function workingDayCalendar(): CalendarRow[] {
  const rows: CalendarRow[] = new Array(DAY_COUNT);
  for (let i = 0; i < DAY_COUNT; i++) {
    rows[i] = { date: DATES[i], isWorkingDay: WORKING[i] === 1, workingDayIndex: CUMULATIVE[i] };
  }
  return rows;
}
