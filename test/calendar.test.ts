// Working days for England and Wales. Expected bank holidays are written out by hand from the
// gov.uk/bank-holidays lists (England and Wales) and the Royal Proclamations for the one-off days;
// they are not read back from the library, so a library mistake shows up here.
import { describe, expect, test } from 'vitest';
import corrections from '../config/bank-holidays.json' with { type: 'json' };
import {
  addDays,
  addMonths,
  addWorkingDays,
  addYears,
  bankHolidays,
  checkDate,
  compareDates,
  daysBetween,
  isBankHoliday,
  isWorkingDay,
  LAST_DATE,
  workingDayCalendar,
  workingDayIndex,
  workingDaysBetween,
} from '../src/calendar.ts';

/** gov.uk, England and Wales: every bank holiday on a weekday, 2010–2027. */
const GOV_UK: Record<number, string[]> = {
  2010: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // royal wedding 29 April
  2011: ['01-03', '04-22', '04-25', '04-29', '05-02', '05-30', '08-29', '12-26', '12-27'],
  // Diamond Jubilee: spring bank holiday moved from 28 May to 4 June, plus 5 June
  2012: ['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26'],
  2013: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2014: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  // Boxing Day on a Saturday: substitute Monday 28 December
  2015: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  // Christmas on a Sunday: Boxing Day Monday 26, substitute for Christmas Tuesday 27
  2016: ['01-01', '03-25', '03-28', '05-02', '05-30', '08-29', '12-26', '12-27'],
  2017: ['01-02', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  // VE Day: early May bank holiday moved from Monday 4 May to Friday 8 May
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  // Christmas on a Saturday: substitutes Monday 27 and Tuesday 28
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // Platinum Jubilee (spring bank holiday moved from 30 May to 2 June, plus 3 June); Queen's funeral 19 Sep
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  // coronation 8 May
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
};

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
}

/** Slow, obviously-correct count: step day by day. */
function naiveWorkingDaysBetween(start: string, end: string): number {
  if (end < start) return 0 - naiveWorkingDaysBetween(end, start);
  let n = 0;
  for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

describe('one-off bank holidays', () => {
  test('the 2011 royal wedding, Friday 29 April, is a bank holiday (the library misses it)', () => {
    expect(isBankHoliday('2011-04-29')).toBe(true);
    expect(isWorkingDay('2011-04-29')).toBe(false);
  });

  test('Diamond Jubilee 2012: 4 and 5 June are bank holidays and Monday 28 May is a working day', () => {
    expect(isBankHoliday('2012-06-04')).toBe(true);
    expect(isBankHoliday('2012-06-05')).toBe(true);
    expect(isBankHoliday('2012-05-28')).toBe(false);
    expect(isWorkingDay('2012-05-28')).toBe(true);
  });

  test('VE Day 2020: Friday 8 May is a bank holiday and Monday 4 May is a working day', () => {
    expect(isBankHoliday('2020-05-08')).toBe(true);
    expect(isWorkingDay('2020-05-04')).toBe(true);
  });

  test('Platinum Jubilee 2022: 2 and 3 June are bank holidays and Monday 30 May is a working day', () => {
    expect(isBankHoliday('2022-06-02')).toBe(true);
    expect(isBankHoliday('2022-06-03')).toBe(true);
    expect(isWorkingDay('2022-05-30')).toBe(true);
  });

  test("the Queen's funeral, 19 September 2022, and the coronation, 8 May 2023, are bank holidays", () => {
    expect(isBankHoliday('2022-09-19')).toBe(true);
    expect(isBankHoliday('2023-05-08')).toBe(true);
  });

  test('every date the corrections file adds is a bank holiday and every date it removes is a working day', () => {
    for (const { date } of corrections.add) expect(isBankHoliday(date), date).toBe(true);
    for (const { date } of corrections.remove) expect(isWorkingDay(date), date).toBe(true);
  });
});

describe('substitute days for Christmas, Boxing Day and New Year', () => {
  test('Christmas on a Saturday: Monday 27 and Tuesday 28 December are bank holidays (2021, 2027, 2032)', () => {
    for (const year of [2021, 2027, 2032]) {
      expect(dayOfWeek(`${year}-12-25`)).toBe(6);
      expect(isBankHoliday(`${year}-12-27`)).toBe(true);
      expect(isBankHoliday(`${year}-12-28`)).toBe(true);
    }
  });

  test('Christmas on a Sunday: Monday 26 and Tuesday 27 December are bank holidays (2016, 2022)', () => {
    for (const year of [2016, 2022]) {
      expect(isBankHoliday(`${year}-12-26`)).toBe(true);
      expect(isBankHoliday(`${year}-12-27`)).toBe(true);
    }
  });

  test('Boxing Day on a Saturday 2020: Monday 28 December is the substitute', () => {
    expect(isBankHoliday('2020-12-25')).toBe(true);
    expect(isBankHoliday('2020-12-28')).toBe(true);
  });

  test('New Year on a weekend: the Monday after is a bank holiday (2011-01-03, 2017-01-02, 2022-01-03)', () => {
    expect(isBankHoliday('2011-01-03')).toBe(true);
    expect(isBankHoliday('2017-01-02')).toBe(true);
    expect(isBankHoliday('2022-01-03')).toBe(true);
  });

  test('the weekend Christmas Day itself is not counted as a bank holiday, and is not a working day either', () => {
    expect(isBankHoliday('2021-12-25')).toBe(false);
    expect(isWorkingDay('2021-12-25')).toBe(false);
  });
});

describe('ordinary bank holidays', () => {
  test('Good Friday 29 March 2024, Easter Monday 1 April 2024 and the summer bank holiday 25 August 2025', () => {
    expect(isBankHoliday('2024-03-29')).toBe(true);
    expect(isBankHoliday('2024-04-01')).toBe(true);
    expect(isBankHoliday('2025-08-25')).toBe(true);
  });

  test('every year 2010–2027 matches the gov.uk list date for date', () => {
    for (const [year, days] of Object.entries(GOV_UK)) {
      expect(bankHolidays(Number(year)).map((h) => h.date), year).toEqual(days.map((d) => `${year}-${d}`));
    }
  });

  test('an ordinary year has 8 bank holidays; 2011 has 9, 2012 has 9, 2022 has 10 and 2023 has 9', () => {
    for (const year of [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2024, 2025, 2030]) {
      expect(bankHolidays(year), String(year)).toHaveLength(8);
    }
    expect(bankHolidays(2011)).toHaveLength(9); // 3 Jan, 22 Apr, 25 Apr, 29 Apr, 2 May, 30 May, 29 Aug, 26 Dec, 27 Dec
    expect(bankHolidays(2012)).toHaveLength(9); // 2 Jan, 6 Apr, 9 Apr, 7 May, 4 Jun, 5 Jun, 27 Aug, 25 Dec, 26 Dec
    expect(bankHolidays(2022)).toHaveLength(10); // 3 Jan, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 29 Aug, 19 Sep, 26 Dec, 27 Dec
    expect(bankHolidays(2023)).toHaveLength(9); // 2 Jan, 7 Apr, 10 Apr, 1 May, 8 May, 29 May, 28 Aug, 25 Dec, 26 Dec
  });

  test('every year 2010–2035 follows the statutory rules plus the proclaimed one-offs (computed here independently)', () => {
    // Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const easter = (y: number): string => {
      const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
      const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3);
      const h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
      const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
      const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
      return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    };
    const firstMonday = (ym: string): string => {
      let d = `${ym}-01`;
      while (dayOfWeek(d) !== 1) d = addDays(d, 1);
      return d;
    };
    const lastMonday = (ym: string): string => {
      let d = addDays(addMonths(`${ym}-01`, 1), -1);
      while (dayOfWeek(d) !== 1) d = addDays(d, -1);
      return d;
    };
    const nextWeekdayNotIn = (d: string, taken: Set<string>): string => {
      while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6 || taken.has(d)) d = addDays(d, 1);
      return d;
    };
    for (let y = 2010; y <= 2035; y++) {
      const days = new Set<string>();
      days.add(nextWeekdayNotIn(`${y}-01-01`, days));
      days.add(addDays(easter(y), -2));
      days.add(addDays(easter(y), 1));
      days.add(firstMonday(`${y}-05`));
      days.add(lastMonday(`${y}-05`));
      days.add(lastMonday(`${y}-08`));
      days.add(nextWeekdayNotIn(`${y}-12-25`, days));
      days.add(nextWeekdayNotIn(`${y}-12-26`, days));
      const moved: Record<string, [string, string]> = {
        // year: [the usual date, the date it moved to]
        2012: ['2012-05-28', '2012-06-04'],
        2020: ['2020-05-04', '2020-05-08'],
        2022: ['2022-05-30', '2022-06-02'],
      };
      if (moved[y]) {
        days.delete(moved[y][0]);
        days.add(moved[y][1]);
      }
      for (const extra of ['2011-04-29', '2012-06-05', '2022-06-03', '2022-09-19', '2023-05-08']) {
        if (extra.startsWith(String(y))) days.add(extra);
      }
      expect(bankHolidays(y).map((h) => h.date), String(y)).toEqual([...days].sort());
    }
  });

  test('bank holidays come with their names', () => {
    const coronation = bankHolidays(2023).find((h) => h.date === '2023-05-08');
    expect(coronation?.name).toMatch(/coronation/i);
    expect(bankHolidays(2024)[0]).toEqual({ date: '2024-01-01', name: "New Year's Day" });
    expect(bankHolidays(2011, 2012)).toHaveLength(18);
  });
});

describe('counting working days (after the start, up to and including the end)', () => {
  test('the same day is 0 working days', () => {
    expect(workingDaysBetween('2024-06-05', '2024-06-05')).toBe(0);
    expect(workingDaysBetween('2024-06-08', '2024-06-08')).toBe(0); // a Saturday
  });

  test('Friday to the next Monday is 1 working day', () => {
    expect(dayOfWeek('2024-06-07')).toBe(5);
    expect(workingDaysBetween('2024-06-07', '2024-06-10')).toBe(1);
  });

  test('Friday 23 to Thursday 29 December 2022 is 2 working days: 24–25 weekend, 26–27 bank holidays, 28 and 29 count', () => {
    expect(workingDaysBetween('2022-12-23', '2022-12-29')).toBe(2);
  });

  test('an end before the start gives the negative count', () => {
    expect(workingDaysBetween('2022-12-29', '2022-12-23')).toBe(-2);
    expect(workingDaysBetween('2024-06-10', '2024-06-07')).toBe(-1);
  });

  test('a contact on Thursday 7 May 2020 decided on Monday 11 May was decided within 1 working day (VE Day moved)', () => {
    // Contact Thursday 7 May 2020; Friday 8 May bank holiday; 9–10 weekend; Monday 11 May is 1 working day.
    expect(workingDaysBetween('2020-05-07', '2020-05-11')).toBe(1);
    // In 2020 Monday 4 May was an ordinary working day: Friday 1 May → Monday 4 May = 1.
    expect(workingDaysBetween('2020-05-01', '2020-05-04')).toBe(1);
  });

  test('an assessment started 1 March 2024 is due by 8 May 2024: 45 working days across Easter and the early May holiday', () => {
    // After Fri 1 Mar: 4–8 Mar (5), 11–15 (10), 18–22 (15), 25–28 (19; Fri 29 Good Friday),
    // Mon 1 Apr Easter Monday, 2–5 Apr (23), 8–12 (28), 15–19 (33), 22–26 (38), 29–30 (40),
    // Wed 1–Fri 3 May (43), Mon 6 May early May bank holiday, Tue 7 (44), Wed 8 (45).
    expect(addWorkingDays('2024-03-01', 45)).toBe('2024-05-08');
    expect(workingDaysBetween('2024-03-01', '2024-05-08')).toBe(45); // in time
    expect(workingDaysBetween('2024-03-01', '2024-05-09')).toBe(46); // late
  });

  test('an ICPC on the 15th working day across the coronation holiday is in time', () => {
    // Strategy discussion Fri 28 Apr 2023. Mon 1 May early May bank holiday; 2–5 May (4);
    // Mon 8 May coronation; 9–12 May (8); 15–19 May (13); Mon 22 (14); Tue 23 (15).
    expect(addWorkingDays('2023-04-28', 15)).toBe('2023-05-23');
    expect(workingDaysBetween('2023-04-28', '2023-05-23')).toBe(15); // in time
    expect(workingDaysBetween('2023-04-28', '2023-05-24')).toBe(16); // late
  });

  test('the 2012 jubilee week: Friday 1 June to Wednesday 6 June 2012 is 1 working day, and 28 May counts', () => {
    // 2–3 weekend, 4–5 bank holidays, Wednesday 6 counts.
    expect(workingDaysBetween('2012-06-01', '2012-06-06')).toBe(1);
    // Friday 25 May → Tuesday 29 May 2012: Monday 28 and Tuesday 29 both count.
    expect(workingDaysBetween('2012-05-25', '2012-05-29')).toBe(2);
  });

  test('agrees with a day-by-day count for spans of every length across many starts', () => {
    const starts = ['2010-01-01', '2011-04-27', '2012-05-26', '2016-12-23', '2020-05-01', '2022-09-16', '2023-12-22', '2035-10-01'];
    for (const start of starts) {
      for (let len = -40; len <= 90; len += 1) {
        const end = addDays(start, len);
        if (end < '2010-01-01' || end > LAST_DATE) continue;
        expect(workingDaysBetween(start, end), `${start} → ${end}`).toBe(naiveWorkingDaysBetween(start, end));
      }
    }
  });
});

describe('adding working days', () => {
  test('adding 0 working days returns the start unchanged, even on a weekend', () => {
    expect(addWorkingDays('2024-06-08', 0)).toBe('2024-06-08');
  });

  test('one working day after a Friday, or a Saturday, is the Monday', () => {
    expect(addWorkingDays('2024-06-07', 1)).toBe('2024-06-10');
    expect(addWorkingDays('2024-06-08', 1)).toBe('2024-06-10');
  });

  test('the answer is always a working day that is exactly n working days on', () => {
    for (let start = '2022-05-25'; start <= '2022-06-10'; start = addDays(start, 1)) {
      for (let n = 1; n <= 30; n++) {
        const end = addWorkingDays(start, n);
        expect(isWorkingDay(end), `${start} + ${n}`).toBe(true);
        expect(workingDaysBetween(start, end)).toBe(n);
        expect(workingDaysBetween(start, addDays(end, -1))).toBe(n - 1); // and the first such date
      }
    }
  });

  test('going backwards: the Friday before a Monday or a Saturday, and an exact undo from a working day', () => {
    expect(addWorkingDays('2024-06-10', -1)).toBe('2024-06-07');
    expect(addWorkingDays('2024-06-08', -1)).toBe('2024-06-07');
    // Wednesday 28 Dec 2022 back 1: Tue 27, Mon 26 holidays, weekend → Friday 23 Dec.
    expect(addWorkingDays('2022-12-28', -1)).toBe('2022-12-23');
    for (const d of ['2022-12-23', '2023-05-09', '2012-06-06', '2020-05-07']) {
      for (const n of [1, 2, 5, 15, 45]) {
        expect(addWorkingDays(addWorkingDays(d, n), -n), `${d} ±${n}`).toBe(d);
        expect(workingDaysBetween(addWorkingDays(d, -n), d)).toBe(n);
      }
    }
  });
});

describe('the working-day calendar table for SQL', () => {
  const rows = workingDayCalendar();

  test('covers every day from 2010-01-01 to 2035-12-31 (26 years, 6 of them leap: 9,496 days)', () => {
    expect(rows).toHaveLength(26 * 365 + 6);
    expect(rows[0]).toEqual({ date: '2010-01-01', isWorkingDay: false, workingDayIndex: 0 }); // New Year's Day
    expect(rows.find((r) => r.date === '2010-01-04')).toEqual({ date: '2010-01-04', isWorkingDay: true, workingDayIndex: 1 });
    expect(rows[rows.length - 1].date).toBe('2035-12-31');
  });

  test('no Saturday or Sunday is ever a working day, and a weekday is one unless it is a bank holiday', () => {
    const holidays = new Set(bankHolidays(2010, 2035).map((h) => h.date));
    for (const r of rows) {
      const dow = dayOfWeek(r.date);
      const expected = dow !== 0 && dow !== 6 && !holidays.has(r.date);
      if (r.isWorkingDay !== expected) throw new Error(`${r.date}: isWorkingDay ${r.isWorkingDay}`);
      if (isWorkingDay(r.date) !== expected) throw new Error(`${r.date}: isWorkingDay() disagrees`);
    }
    for (const h of holidays) expect([0, 6]).not.toContain(dayOfWeek(h));
  });

  test('index(end) − index(start) is the working-day count, as SQL will compute it', () => {
    const byDate = new Map(rows.map((r) => [r.date, r.workingDayIndex]));
    const pairs: [string, string][] = [['2022-12-23', '2022-12-29'], ['2023-04-28', '2023-05-23'], ['2024-03-01', '2024-05-08'], ['2010-01-01', '2035-12-31']];
    for (const [s, e] of pairs) {
      expect(byDate.get(e)! - byDate.get(s)!).toBe(workingDaysBetween(s, e));
      expect(workingDayIndex(e) - workingDayIndex(s)).toBe(workingDaysBetween(s, e));
    }
  });
});

describe('outside 2010–2035, and dates that are not dates', () => {
  test('working-day questions before 2010 or after 2035 throw a RangeError naming the range', () => {
    expect(() => isWorkingDay('2009-12-31')).toThrow(RangeError);
    expect(() => isBankHoliday('2036-01-01')).toThrow(/2010-01-01 to 2035-12-31/);
    expect(() => workingDaysBetween('2035-12-31', '2036-01-02')).toThrow(RangeError);
    expect(() => bankHolidays(2009)).toThrow(RangeError);
    expect(() => bankHolidays(2030, 2036)).toThrow(RangeError);
  });

  test('adding working days past the end of the calendar throws', () => {
    // Fri 28 Dec 2035; 29–30 weekend; Mon 31 Dec is the last working day known.
    expect(addWorkingDays('2035-12-28', 1)).toBe('2035-12-31');
    expect(() => addWorkingDays('2035-12-28', 2)).toThrow(RangeError);
    // Mon 4 Jan 2010: nothing before it in range is a working day (1 Jan holiday, 2–3 weekend).
    expect(() => addWorkingDays('2010-01-04', -1)).toThrow(RangeError);
  });

  test('malformed or impossible dates are rejected', () => {
    expect(() => isWorkingDay('2023-02-29')).toThrow(/'2023-02-29' is not a date/);
    expect(() => workingDaysBetween('03/02/2024', '2024-02-03')).toThrow(/expected YYYY-MM-DD/);
    expect(() => addDays('2024-1-5', 1)).toThrow(RangeError);
    expect(() => checkDate('2024-13-01')).toThrow(RangeError);
    expect(() => addWorkingDays('2024-01-05', 1.5)).toThrow(RangeError);
  });
});

describe('calendar date arithmetic', () => {
  test('addDays is not shifted by the clocks changing', () => {
    expect(addDays('2024-03-30', 1)).toBe('2024-03-31'); // clocks go forward 31 March 2024
    expect(addDays('2024-03-31', 1)).toBe('2024-04-01');
    expect(addDays('2024-10-26', 2)).toBe('2024-10-28'); // clocks go back 27 October 2024
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-02-28', 366)).toBe('2025-02-28');
  });

  test('addMonths clamps to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  test('a year after 29 February is 1 March; in a leap year it is 29 February again', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2024-02-29', -1)).toBe('2023-03-01');
    expect(addYears('2023-03-01', 1)).toBe('2024-03-01');
    expect(addYears('2023-02-28', 1)).toBe('2024-02-28');
  });

  test('a plan starting 29 February 2020 has lasted 2 years on 1 March 2022, not on 28 February 2022', () => {
    const twoYearsOn = addYears('2020-02-29', 2);
    expect(twoYearsOn).toBe('2022-03-01');
    expect(compareDates('2022-03-01', twoYearsOn) >= 0).toBe(true);
    expect(compareDates('2022-02-28', twoYearsOn) >= 0).toBe(false);
  });

  test('daysBetween and compareDates', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2); // leap year
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2024-04-01', '2025-04-01')).toBe(365);
    expect(compareDates('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareDates('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareDates('2024-01-03', '2024-01-02')).toBe(1);
    expect(['2024-03-01', '2023-12-31', '2024-01-15'].sort(compareDates)).toEqual(['2023-12-31', '2024-01-15', '2024-03-01']);
  });
});
