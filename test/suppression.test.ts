// Suppression for the public version (src/report/suppression.ts). Every expected table is worked by
// hand in the comments, following the algorithm's order: primary (counts 1–5), then each constraint in
// the order given — one with exactly one hidden cell, or whose hidden parts add up to 1–5 (or to one
// each), gets the smallest non-zero shown part hidden (the total when no part qualifies) — to a fixed
// point; then the linear audit over all constraints together; then derived values.
import { describe, expect, it } from 'vitest';
import {
  breakdownTable, figureTable, publicFigure, seriesTable, suppressLine, suppressTable,
  type Cell, type Constraint, type KeyedFigure, type Table,
} from '../src/report/suppression.ts';

const counts = (entries: Record<string, number>): Cell[] => Object.entries(entries).map(([id, value]) => ({ id, value }));
const shownOf = (result: { shown: Map<string, number | 'c'> }, ids: readonly string[]) => ids.map((id) => result.shown.get(id));
const count = (n: number): KeyedFigure['figure'] => ({ numerator: n, denominator: null, value: n });

/** A 2-D table: cells r{i}c{j}, row totals r{i}T, column totals Tc{j}, grand total TT; rows, then columns, then TT both ways. */
function grid(rows: number[][]): Table {
  const cells: Cell[] = [];
  const constraints: Constraint[] = [];
  const cols = rows[0].length;
  rows.forEach((row, i) => {
    row.forEach((v, j) => cells.push({ id: `r${i}c${j}`, value: v }));
    cells.push({ id: `r${i}T`, value: row.reduce((a, b) => a + b, 0) });
  });
  for (let j = 0; j < cols; j++) cells.push({ id: `Tc${j}`, value: rows.reduce((a, r) => a + r[j], 0) });
  cells.push({ id: 'TT', value: rows.flat().reduce((a, b) => a + b, 0) });
  rows.forEach((row, i) => constraints.push({ total: `r${i}T`, parts: row.map((_, j) => `r${i}c${j}`) }));
  for (let j = 0; j < cols; j++) constraints.push({ total: `Tc${j}`, parts: rows.map((_, i) => `r${i}c${j}`) });
  constraints.push({ total: 'TT', parts: rows.map((_, i) => `r${i}T`) });
  constraints.push({ total: 'TT', parts: Array.from({ length: cols }, (_, j) => `Tc${j}`) });
  return { cells, constraints };
}

describe('primary suppression', () => {
  it('counts of 1 to 5 are c; 0 and 6 or more are shown; the threshold can be changed', () => {
    const table = { cells: counts({ a: 0, b: 1, c: 5, d: 6, e: 12 }), constraints: [] };
    const r = suppressTable(table);
    expect(shownOf(r, ['a', 'b', 'c', 'd', 'e'])).toEqual([0, 'c', 'c', 6, 12]);
    expect(Object.fromEntries(r.reasons)).toEqual({ b: 'primary', c: 'primary' });
    // threshold 10: 6 is suppressed too, 12 is not; threshold 0: nothing is
    expect(shownOf(suppressTable(table, { threshold: 10 }), ['a', 'b', 'c', 'd', 'e'])).toEqual([0, 'c', 'c', 'c', 12]);
    expect(shownOf(suppressTable(table, { threshold: 0 }), ['a', 'b', 'c', 'd', 'e'])).toEqual([0, 1, 5, 6, 12]);
  });

  it('an amount that is not a count (a sum of days) is never suppressed for being small', () => {
    const r = suppressTable({ cells: [{ id: 'days', value: 3, count: false }], constraints: [] });
    expect(r.shown.get('days')).toBe(3);
  });

  it('refuses a constraint naming a cell that does not exist, and a negative value', () => {
    expect(() => suppressTable({ cells: counts({ t: 1 }), constraints: [{ total: 't', parts: ['x'] }] })).toThrow(/no cell x/);
    expect(() => suppressTable({ cells: counts({ t: -1 }), constraints: [] })).toThrow(/0 or more/);
  });
});

describe('secondary suppression in a breakdown with a total', () => {
  it('hides the smallest other team, since primary suppression alone gives the hidden team back by subtraction', () => {
    // Referrals by team, total 80:   North 40, South 3, East 12, West 25
    // Primary: South (3). Shown as 40, c, 12, 25, total 80 a reader gets South = 80 − 40 − 12 − 25 = 3.
    // The constraint has exactly one hidden part, so the smallest non-zero other part is hidden too:
    // of 40, 12 and 25 that is East (12). The reader now knows only South + East = 15.
    const table = {
      cells: counts({ North: 40, South: 3, East: 12, West: 25, Total: 80 }),
      constraints: [{ total: 'Total', parts: ['North', 'South', 'East', 'West'] }],
    };
    const primaryOnly = suppressTable(table, { threshold: 5, differences: false, audit: false });
    expect(primaryOnly.reasons.get('South')).toBe('primary');
    const r = suppressTable(table);
    expect(shownOf(r, ['North', 'South', 'East', 'West', 'Total'])).toEqual([40, 'c', 'c', 25, 80]);
    expect(Object.fromEntries(r.reasons)).toEqual({ South: 'primary', East: 'secondary' });
    expect(r.inconsistent).toEqual([]);
  });

  it('hidden teams that together differ from the total by 1–5 (or by one each) get another team hidden', () => {
    // North 40, South 3, East 2, West 25, total 70. Primary: South (3) and East (2) — two unknowns, but
    // 70 − 40 − 25 = 5 tells the reader South and East together had 5, a small number. The next smallest
    // non-zero shown part, West (25), is hidden: now South + East + West = 30.
    const table = {
      cells: counts({ North: 40, South: 3, East: 2, West: 25, Total: 70 }),
      constraints: [{ total: 'Total', parts: ['North', 'South', 'East', 'West'] }],
    };
    expect(shownOf(suppressTable(table), ['North', 'South', 'East', 'West', 'Total'])).toEqual([40, 'c', 'c', 'c', 70]);
    // with the differences rule off only the two primary cells are hidden (each constraint has ≥ 2 unknowns)
    expect(shownOf(suppressTable(table, { differences: false }), ['North', 'South', 'East', 'West', 'Total'])).toEqual([40, 'c', 'c', 25, 70]);

    // Six teams of 1 and one of 40, total 46: the six 1s add up to 6 (more than 5), but 6 hidden cells
    // adding to 6 must each be 1 (a c is never 0), so the 40 is hidden as well.
    const ones = { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 40, T: 46 };
    const r = suppressTable({ cells: counts(ones), constraints: [{ total: 'T', parts: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }] });
    expect(r.reasons.get('g')).toBe('secondary');
    expect(r.shown.get('T')).toBe(46);
  });

  it('a total of 5 or less is suppressed itself, and so are its small parts; the zeros are shown', () => {
    // Under 1: 1, 1 to 4: 3, 5 to 9: 0; total 4. Primary: 1, 3 and the total 4. The constraint has three
    // unknowns (total and two parts), so nothing more is needed.
    const r = suppressTable({
      cells: counts({ u1: 1, a1to4: 3, a5to9: 0, T: 4 }),
      constraints: [{ total: 'T', parts: ['u1', 'a1to4', 'a5to9'] }],
    });
    expect(shownOf(r, ['u1', 'a1to4', 'a5to9', 'T'])).toEqual(['c', 'c', 0, 'c']);
    expect([...r.reasons.values()]).toEqual(['primary', 'primary', 'primary']);

    // A total of 5 over one group of 5 and two zeros: c, 0, 0, total c.
    const r5 = suppressTable({ cells: counts({ a: 5, b: 0, c: 0, T: 5 }), constraints: [{ total: 'T', parts: ['a', 'b', 'c'] }] });
    expect(shownOf(r5, ['a', 'b', 'c', 'T'])).toEqual(['c', 0, 0, 'c']);
  });

  it('zeros are shown and never chosen as the complementary cell', () => {
    // A 30, B 0, C 4, D 0, E 9, total 43. Primary: C (4). The smallest other part is a 0 (B or D), but a 0
    // protects nothing when zeros are known (a structural zero — a team that does no adoption work — is
    // known to every reader, and the data cannot tell such zeros from others): hiding B would leave
    // C + B = 4 with B known to be 0, i.e. C = 4. The smallest non-zero part, E (9), is hidden instead.
    const r = suppressTable({
      cells: counts({ A: 30, B: 0, C: 4, D: 0, E: 9, T: 43 }),
      constraints: [{ total: 'T', parts: ['A', 'B', 'C', 'D', 'E'] }],
    });
    expect(shownOf(r, ['A', 'B', 'C', 'D', 'E', 'T'])).toEqual([30, 0, 'c', 0, 'c', 43]);
  });
});

describe('2-D tables', () => {
  it('secondary suppression in both dimensions: a rectangle of four hidden cells', () => {
    //                Under 5   5 to 9   10+   Total
    //   North  (r0)     12        3      20     35
    //   South  (r1)      9       14       8     31
    //   Total           21       17      28     66
    // Primary: North/5 to 9 (3).
    // Row North (35 = 12 + 3 + 20): one hidden → smallest other non-zero part, 12 (North/Under 5).
    // Row South: nothing hidden.
    // Column Under 5 (21 = 12 + 9): now one hidden (12) → its other part, 9 (South/Under 5).
    // Column 5 to 9 (17 = 3 + 14): one hidden (3) → 14 (South/5 to 9).
    // Column 10+ and the grand total both ways: nothing hidden.
    // Second pass: every row and column has 0 or 2 hidden cells, with hidden sums 15, 23, 21, 17 (> 5).
    // Audit: a + b = 15, c + d = 23, a + c = 21, b + d = 17 has rank 3 for 4 unknowns — (1, −1, −1, 1)
    // can be added to any solution — so no cell is determined.
    const r = suppressTable(grid([[12, 3, 20], [9, 14, 8]]));
    expect(shownOf(r, ['r0c0', 'r0c1', 'r0c2', 'r0T'])).toEqual(['c', 'c', 20, 35]);
    expect(shownOf(r, ['r1c0', 'r1c1', 'r1c2', 'r1T'])).toEqual(['c', 'c', 8, 31]);
    expect(shownOf(r, ['Tc0', 'Tc1', 'Tc2', 'TT'])).toEqual([21, 17, 28, 66]);
    expect(Object.fromEntries(r.reasons)).toEqual({ r0c1: 'primary', r0c0: 'secondary', r1c0: 'secondary', r1c1: 'secondary' });
  });

  it('a small column total is hidden, and a row whose other parts are 0 has its total hidden instead', () => {
    //              c0    c1    Total
    //   r0          3    10     13
    //   r1          0     7      7
    //   Total       3    17     20
    // Primary: r0c0 (3) and the column total Tc0 (3).
    // Pass 1, in order:
    //   row r0 (13 = 3 + 10): one hidden → r0c1 (10)
    //   row r1 (7 = 0 + 7): nothing hidden yet
    //   col c0 (3 = 3 + 0): total and r0c0 hidden: two unknowns
    //   col c1 (17 = 10 + 7): one hidden (10) → r1c1 (7)
    //   TT = r0T + r1T (20 = 13 + 7): nothing hidden
    //   TT = Tc0 + Tc1 (20 = 3 + 17): one hidden (Tc0) → Tc1 (17)
    // Pass 2:
    //   row r1 (7 = 0 + 7): one hidden (r1c1); the only other part is 0, which protects nothing → the
    //     row total r1T (7)
    //   TT = r0T + r1T: one hidden (r1T) → r0T (13)
    // Pass 3: every constraint has 0 or ≥ 2 hidden cells. Audit: with s = r0c0 and t = r1c1 free,
    // Tc0 = s, r1T = t, r0T = 20 − t, r0c1 = 20 − s − t, Tc1 = 20 − s: nothing is determined.
    // Only the 0 and the grand total are left.
    const r = suppressTable(grid([[3, 10], [0, 7]]));
    expect(shownOf(r, ['r0c0', 'r0c1', 'r0T', 'r1c0', 'r1c1', 'r1T', 'Tc0', 'Tc1', 'TT']))
      .toEqual(['c', 'c', 'c', 0, 'c', 'c', 'c', 'c', 20]);
    expect(Object.fromEntries(r.reasons)).toEqual({
      r0c0: 'primary', Tc0: 'primary', r0c1: 'secondary', r1c1: 'secondary', Tc1: 'secondary', r1T: 'secondary', r0T: 'secondary',
    });
  });
});

describe('derived values', () => {
  it('percentages whose numerator is suppressed (primary or secondary) are suppressed', () => {
    // Re-referrals by team:  A 4 of 20 (20%), B 10 of 30 (33.3%), C 12 of 50 (24%), total 26 of 100 (26%).
    // Numerators (26 = 4 + 10 + 12): primary A (4); one hidden → the smallest other, B (10).
    // Denominators (100 = 20 + 30 + 50): nothing hidden.
    // Percentages: A and B are built on hidden numerators → c (B's 33.3% of 30 would give 10 back);
    // C 24% and the total 26% are shown.
    const fig = (n: number, d: number) => ({ numerator: n, denominator: d, value: (100 * n) / d });
    const table = breakdownTable(
      [{ key: 'A', figure: fig(4, 20) }, { key: 'B', figure: fig(10, 30) }, { key: 'C', figure: fig(12, 50) }],
      { key: 'All', figure: fig(26, 100) }, 'percent');
    expect(table.constraints).toEqual([
      { total: 'All#n', parts: ['A#n', 'B#n', 'C#n'] },
      { total: 'All#d', parts: ['A#d', 'B#d', 'C#d'] },
    ]);
    const r = suppressTable(table);
    expect(shownOf(r, ['A', 'B', 'C', 'All'])).toEqual(['c', 'c', 24, 26]);
    expect(shownOf(r, ['A#n', 'B#n', 'C#n', 'All#n'])).toEqual(['c', 'c', 12, 26]);
    expect(shownOf(r, ['A#d', 'B#d', 'C#d', 'All#d'])).toEqual([20, 30, 50, 100]);
    expect(r.reasons.get('A')).toBe('derived');
    expect(r.reasons.get('B#n')).toBe('secondary');
  });

  it('single figures: counts, percentages, rates and averages', () => {
    expect(publicFigure({ numerator: 0, denominator: null, value: 0, unit: 'count' })).toBe(0);
    expect(publicFigure({ numerator: 5, denominator: null, value: 5, unit: 'count' })).toBe('c');
    expect(publicFigure({ numerator: 6, denominator: null, value: 6, unit: 'count' })).toBe(6);
    expect(publicFigure({ numerator: 3, denominator: 40, value: 7.5, unit: 'percent' })).toBe('c'); // numerator 3
    expect(publicFigure({ numerator: 0, denominator: 4, value: 0, unit: 'percent' })).toBe('c'); // denominator 4
    expect(publicFigure({ numerator: 0, denominator: 40, value: 0, unit: 'percent' })).toBe(0);
    expect(publicFigure({ numerator: 10, denominator: 40, value: 25, unit: 'percent' })).toBe(25);
    expect(publicFigure({ numerator: 0, denominator: 0, value: null, unit: 'percent' })).toBeNull();
    expect(publicFigure({ numerator: 3, denominator: 52_000, value: 0.58, unit: 'rate' })).toBe('c');
    expect(publicFigure({ numerator: 30, denominator: 52_000, value: 5.77, unit: 'rate' })).toBe(5.77);
    // an average of 120 working days over 4 assessments: on fewer than 6 records → c; over 6 → shown
    expect(publicFigure({ numerator: 120, denominator: 4, value: 30, unit: 'days' })).toBe('c');
    expect(publicFigure({ numerator: 180, denominator: 6, value: 30, unit: 'days' })).toBe(30);
    // threshold 10
    expect(publicFigure({ numerator: 8, denominator: null, value: 8, unit: 'count' }, 10)).toBe('c');
  });

  it('averages: the record counts are constrained, the sums of days are amounts', () => {
    // Average working days to assessment, a quarter of three months:
    //   month 1: 360 days over 12 assessments (30), month 2: 100 over 4 (25), month 3: 270 over 9 (30);
    //   quarter: 730 over 25 (29.2).
    // Records (25 = 12 + 4 + 9): primary month 2 (4); one hidden → the smallest other, month 3 (9).
    // Days (730 = 360 + 100 + 270): amounts, none small-suppressed, nothing hidden.
    // Averages: months 2 and 3 are built on hidden record counts → c.
    const avg = (n: number, d: number) => ({ numerator: n, denominator: d, value: n / d });
    const table = seriesTable(
      [{ key: 'm1', figure: avg(360, 12) }, { key: 'm2', figure: avg(100, 4) }, { key: 'm3', figure: avg(270, 9) }],
      [{ key: 'Q', figure: avg(730, 25), months: ['m1', 'm2', 'm3'] }], 'days');
    const r = suppressTable(table);
    expect(shownOf(r, ['m1', 'm2', 'm3', 'Q'])).toEqual([30, 'c', 'c', 29.2]);
    expect(shownOf(r, ['m1#d', 'm2#d', 'm3#d', 'Q#d'])).toEqual([12, 'c', 'c', 25]);
  });

  it('a derived value may be built on another', () => {
    const r = suppressTable({
      cells: counts({ n: 3, d: 40 }), constraints: [],
      derived: [{ id: 'pct', value: 7.5, from: ['n', 'd'] }, { id: 'change', value: 1.2, from: ['pct'] }],
    });
    expect(shownOf(r, ['pct', 'change'])).toEqual(['c', 'c']);
  });
});

describe('series with year-to-date and rolling 12 month totals', () => {
  it('12 months with a YTD total: the hidden month is paired with the smallest other month', () => {
    // April to March: 14 9 3 11 20 8 12 0 7 15 10 6; YTD = 115
    //   (14 + 9 = 23, + 3 = 26, + 11 = 37, + 20 = 57, + 8 = 65, + 12 = 77, + 0 = 77, + 7 = 84, + 15 = 99,
    //    + 10 = 109, + 6 = 115).
    // Primary: June (3). YTD has one hidden month → the smallest non-zero other month: March (6); the 0 of
    // November is never chosen. Hidden sum 9 > 5. Shown: 14 9 c 11 20 8 12 0 7 15 10 c, YTD 115.
    const values = [14, 9, 3, 11, 20, 8, 12, 0, 7, 15, 10, 6];
    const labels = ['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
    const months = labels.map((key, i) => ({ key, figure: count(values[i]) }));
    const table = seriesTable(months, [{ key: 'YTD', figure: count(115), months: labels }], 'count');
    const r = suppressTable(table);
    expect(shownOf(r, [...labels, 'YTD'])).toEqual([14, 9, 'c', 11, 20, 8, 12, 0, 7, 15, 10, 'c', 115]);
    expect(r.reasons.get('2024-06#n')).toBe('primary');
    expect(r.reasons.get('2024-06')).toBe('derived');
    expect(r.reasons.get('2025-03#n')).toBe('secondary');
  });

  // 13 months, January 2024 to January 2025; YTD = April 2024 to January 2025, R12 = February 2024 to
  // January 2025 (R12 overlaps YTD: both are constraints).
  //   Jan24 2  Feb24 4  Mar24 18 | Apr 15 May 12 Jun 9 Jul 21 Aug 11 Sep 16 Oct 13 Nov 10 Dec 8 Jan25 14
  //   YTD = 15 + 12 + 9 + 21 + 11 + 16 + 13 + 10 + 8 + 14 = 129;  R12 = 4 + 18 + 129 = 151.
  // Primary: Jan24 (2, in no total) and Feb24 (4).
  // Pass 1: YTD has nothing hidden. R12 has one (Feb24) → its smallest other month, December (8).
  // Pass 2: YTD has one (December) → its smallest other month, June (9). R12: Feb, Dec, Jun (sum 21).
  // Pass 3: stable — YTD has 2 hidden (sum 17), R12 has 3.
  // Audit: R12 − YTD = Feb24 + Mar24, so Feb24 = 151 − 129 − 18 = 4: determined, although each
  // constraint has ≥ 2 unknowns. Candidates from R12's shown cells, smallest first: 10 (Nov) … 16 (Sep)
  // are inside YTD and leave R12 − YTD unchanged; 18 (Mar24) is the first that helps → hidden.
  // Then Feb24 + Mar24 = 22 and Jun + Dec = 17: nothing is determined.
  const VALUES = [2, 4, 18, 15, 12, 9, 21, 11, 16, 13, 10, 8, 14];
  const LABELS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01'];
  const EXPECTED = ['c', 'c', 'c', 15, 12, 'c', 21, 11, 16, 13, 10, 'c', 14, 129, 151];

  it('overlapping YTD and R12: the audit stops R12 − YTD giving a month away', () => {
    const months = LABELS.map((key, i) => ({ key, figure: count(VALUES[i]) }));
    const table = seriesTable(months, [
      { key: 'YTD', figure: count(129), months: LABELS.slice(3) },
      { key: 'R12', figure: count(151), months: LABELS.slice(1) },
    ], 'count');
    const r = suppressTable(table);
    expect(shownOf(r, [...LABELS, 'YTD', 'R12'])).toEqual(EXPECTED);
    expect(r.reasons.get('2024-03#n')).toBe('secondary');
    // without the audit each constraint has ≥ 2 hidden cells, yet a reader gets Feb24 = 151 − 129 − 18 = 4
    const noAudit = suppressTable(table, { audit: false });
    expect(shownOf(noAudit, ['2024-02', '2024-03', 'YTD', 'R12'])).toEqual(['c', 18, 129, 151]);
  });

  it('suppressLine: a scorecard line (trend, YTD, R12 by dates) gives the same', () => {
    const end = (ym: string) => `${ym}-${new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate()}`;
    const trend = LABELS.map((p, i) => ({ ...count(VALUES[i]), period: p, start: `${p}-01`, end: end(p) }));
    const shown = suppressLine({
      unit: 'count', trend,
      ytd: { ...count(129), start: '2024-04-01', end: '2025-01-31' },
      rolling12: { ...count(151), start: '2024-02-01', end: '2025-01-31' },
    });
    expect([...LABELS.map((_, i) => shown.get(`trend${i}`)), shown.get('ytd'), shown.get('rolling12')]).toEqual(EXPECTED);
    // a total whose months are not all in the trend is shown on its own figures
    const short = suppressLine({ unit: 'count', trend: trend.slice(-3), ytd: { ...count(129), start: '2024-04-01', end: '2025-01-31' }, rolling12: null });
    expect([shown.get('trend12'), short.get('trend2'), short.get('ytd')]).toEqual([14, 14, 129]);
  });

  it('a total that is not the sum of its parts is not used as a constraint by figureTable', () => {
    // children with a factor: a child can have several, so the groups add up to more than the total
    const t = figureTable([{ key: 'a', figure: count(10) }, { key: 'b', figure: count(8) }, { key: 'T', figure: count(15) }],
      [{ total: 'T', parts: ['a', 'b'] }], 'count');
    expect(t.constraints).toEqual([]);
    expect(t.skipped).toEqual([{ total: 'T', component: 'numerator' }]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property test: 200 random tables (1-D breakdowns, 2-D tables with margins, 13-month series with YTD
// and R12), checked by brute force and by exact rational arithmetic, independently of the module.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTable(rand: () => number): Table {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const value = () => { const u = rand(); return u < 0.2 ? 0 : u < 0.55 ? int(1, 5) : u < 0.8 ? int(6, 15) : int(16, 80); };
  const kind = int(0, 2);
  if (kind === 0) {
    const parts = Array.from({ length: int(2, 8) }, value);
    const cells = [...parts.map((v, i) => ({ id: `p${i}`, value: v })), { id: 'T', value: parts.reduce((a, b) => a + b, 0) }];
    return { cells, constraints: [{ total: 'T', parts: parts.map((_, i) => `p${i}`) }] };
  }
  if (kind === 1) {
    const cols = int(2, 5);
    return grid(Array.from({ length: int(2, 5) }, () => Array.from({ length: cols }, value)));
  }
  const months = Array.from({ length: 13 }, value);
  const ytdLength = int(1, 12);
  const sum = (from: number) => months.slice(from).reduce((a, b) => a + b, 0);
  return {
    cells: [...months.map((v, i) => ({ id: `m${i}`, value: v })), { id: 'YTD', value: sum(13 - ytdLength) }, { id: 'R12', value: sum(1) }],
    constraints: [
      { total: 'YTD', parts: months.map((_, i) => `m${i}`).slice(13 - ytdLength) },
      { total: 'R12', parts: months.map((_, i) => `m${i}`).slice(1) },
    ],
  };
}

/** Rank of an integer matrix by fraction-free elimination in BigInt (exact). */
function rank(matrix: bigint[][]): number {
  const m = matrix.map((r) => [...r]);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? abs(a) : gcd(b, a % b));
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let j = 0; j < cols && r < m.length; j++) {
    const p = m.findIndex((row, i) => i >= r && row[j] !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = r + 1; i < m.length; i++) {
      if (m[i][j] === 0n) continue;
      const f = m[i][j], g = m[r][j];
      m[i] = m[i].map((x, k) => x * g - m[r][k] * f);
      const d = m[i].reduce((acc, x) => gcd(acc, x), 0n);
      if (d > 1n) m[i] = m[i].map((x) => x / d);
    }
    r++;
  }
  return r;
}

/** The suppressed cells a reader can recompute exactly from shown cells and all constraints together. */
function recomputable(table: Table, hidden: Set<string>): string[] {
  const unknowns = [...hidden].filter((id) => table.constraints.some((k) => k.total === id || k.parts.includes(id)));
  if (unknowns.length === 0) return [];
  const rows = table.constraints.map((k) => unknowns.map((u) => (u === k.total ? 1n : k.parts.includes(u) ? -1n : 0n)));
  const base = rank(rows);
  // a cell is determined exactly when its unit vector lies in the row space: adding it leaves the rank
  return unknowns.filter((u) => rank([...rows, unknowns.map((v) => (v === u ? 1n : 0n))]) === base);
}

describe('property: no suppressed cell can be recomputed (200 random tables, seeded)', () => {
  it('holds for every table', () => {
    const rand = mulberry32(20250107);
    let suppressed = 0, secondary = 0, cells = 0, leakyWithoutAudit = 0;
    for (let n = 0; n < 200; n++) {
      const table = randomTable(rand);
      const r = suppressTable(table);
      const value = new Map(table.cells.map((c) => [c.id, c.value]));
      const hidden = new Set(table.cells.filter((c) => r.shown.get(c.id) === 'c').map((c) => c.id));
      const where = `table ${n}: ${JSON.stringify(table.cells.map((c) => [c.id, c.value, r.shown.get(c.id)]))}`;
      cells += table.cells.length;
      suppressed += hidden.size;
      secondary += [...r.reasons.values()].filter((x) => x === 'secondary').length;
      for (const c of table.cells) {
        // every count of 1–5 is hidden; every 0 is shown; a shown value is the cell's own
        if (c.value >= 1 && c.value <= 5) expect(r.shown.get(c.id), where).toBe('c');
        if (c.value === 0) expect(r.shown.get(c.id), where).toBe(0);
        if (!hidden.has(c.id)) expect(r.shown.get(c.id), where).toBe(c.value);
      }
      for (const k of table.constraints) {
        // brute force, constraint by constraint: never exactly one unknown …
        const unknowns = [k.total, ...k.parts].filter((id) => hidden.has(id));
        expect(unknowns.length, `${where}, constraint ${k.total}`).not.toBe(1);
        // … and hidden parts of a shown total never add up to 1–5 or to one each
        if (unknowns.length > 0 && !hidden.has(k.total)) {
          const s = unknowns.reduce((a, id) => a + value.get(id)!, 0);
          expect(s > 5 && s !== unknowns.length, `${where}, constraint ${k.total}: hidden sum ${s}`).toBe(true);
        }
      }
      // all constraints together (exact arithmetic): nothing determined
      expect(recomputable(table, hidden), where).toEqual([]);
      // (how often the per-constraint fixed point alone would have left a cell recomputable)
      const plain = suppressTable(table, { audit: false });
      if (recomputable(table, new Set(table.cells.filter((c) => plain.shown.get(c.id) === 'c').map((c) => c.id))).length > 0) leakyWithoutAudit++;
    }
    // the tables are not trivially protected by hiding everything
    expect(suppressed).toBeGreaterThan(0);
    expect(secondary).toBeGreaterThan(0);
    expect(suppressed).toBeLessThan(cells);
    // multi-constraint attacks are not only theoretical: some random tables need the audit
    expect(leakyWithoutAudit).toBeGreaterThan(0);
  });

  it('the exact checker does find what the per-constraint rule alone misses', () => {
    // the overlapping YTD/R12 series above, with the audit off: Feb24 is recomputable
    const months = [2, 4, 18, 15, 12, 9, 21, 11, 16, 13, 10, 8, 14];
    const table: Table = {
      cells: [...months.map((v, i) => ({ id: `m${i}`, value: v })), { id: 'YTD', value: 129 }, { id: 'R12', value: 151 }],
      constraints: [
        { total: 'YTD', parts: months.map((_, i) => `m${i}`).slice(3) },
        { total: 'R12', parts: months.map((_, i) => `m${i}`).slice(1) },
      ],
    };
    const r = suppressTable(table, { audit: false });
    const hidden = new Set(table.cells.filter((c) => r.shown.get(c.id) === 'c').map((c) => c.id));
    expect(recomputable(table, hidden)).toEqual(['m1']);
  });
});
