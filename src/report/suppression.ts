// Statistical disclosure control for published tables: small counts shown as `c`, as DfE and ONS publish
// children's social care statistics.
//
// THE MODEL. A table is cells (counts, or other amounts such as a sum of days), additive constraints
// (`total = sum of parts`, each naming cells by id) and derived values (a percentage, rate or average
// computed from cells). One model serves a breakdown with a total row (one constraint), a 2-D table (a
// constraint per row and per column, plus the grand total both ways) and a monthly series with year to
// date and rolling 12 month totals (a constraint per total; R12 overlaps YTD and is simply another
// constraint over its own months — overlapping totals are additional equations, and the audit below
// looks at all of them together).
//
// THE ALGORITHM (`suppressTable`).
//  1. Primary: a count cell of 1 to `threshold` (default 5) is suppressed. 0 is shown.
//  2. Secondary, to a fixed point over every constraint, in the order given. A reader knows every shown
//     cell; the suppressed cells of a constraint are its unknowns. A constraint is unsafe when
//       a. it has exactly one unknown (total shown, one part hidden: the part is the total minus the
//          others; or the total hidden and every part shown: the total is their sum), or
//       b. (`differences`, on by default) its unknowns are all parts, the total shown, and their sum — the
//          total minus the shown parts, which a reader can work out — is 1 to `threshold` (when they are
//          counts), or equals the number of unknowns (each must then be 1, since a `c` is never 0).
//          This is "a figure that differs from a published total by 1–5": teams A, B of 2 and 3 hidden,
//          the total minus the other teams = 5 tells the reader A and B together had 5.
//     An unsafe constraint gets one more suppressed cell: the smallest non-zero shown part (ties: the
//     earlier cell), or when no part qualifies the total itself. Repeat until no constraint changes.
//  3. Audit: with every constraint together, a suppressed cell can still be recomputed by combining
//     constraints even though each one has ≥ 2 unknowns — R12 minus YTD is the months of R12 before
//     April; in a 2-D table two blocks of suppressed cells joined by one cell give that cell away. The
//     audit solves the linear system (Gaussian elimination on the unknowns of every constraint): a
//     suppressed cell is determined when the reduced system has a row that names it alone. For the
//     first determined cell, the smallest non-zero shown cell of its constraints whose suppression makes
//     it undetermined is suppressed (the smallest, if none does so alone); then back to step 2.
//  4. Derived values: a percentage, rate or average is suppressed when any cell it is built from is
//     suppressed, whether primary or secondary (a shown percentage of a shown denominator gives the
//     numerator back). An average over 1 to `threshold` records is suppressed through its record count.
//
// Every step only adds suppressions, so it ends (at worst with every non-zero cell of the constrained
// part of the table suppressed, where nothing is determined: the shown cells are then all 0).
//
// THE GUARANTEE, at the end: every constraint has 0 or ≥ 2 suppressed cells; no constraint's hidden
// parts add up to 1–threshold or to one each; and no suppressed cell is a linear combination of shown
// values under all the constraints together (exact recomputation by any sequence of additions and
// subtractions of published figures is impossible).
//
// THE LIMITS. It protects against exact recomputation, not against narrowing: with bounds (cells are
// counts ≥ 1 when shown as `c`) a reader may still confine a suppressed cell to an interval (range
// protection as in τ-ARGUS needs linear programming and is not attempted; rule 2b covers the common
// case). Constraints must be exact for the audit to be exact: a total that is not the sum of its parts
// (children counted once in the year but in several months) is still treated as a constraint, which
// errs towards more suppression, and `inconsistent` lists it. Derived values are only as protected as
// their inputs; rounding of percentages is not modelled. Groups in several rows at once (a child with
// several factors) are not a partition and should not be given as a constraint.
//
// ZEROS are shown and never chosen for secondary suppression. Many zeros are structural and known to
// any reader (no child under 1 is a care leaver; a team that does no adoption work), and the data cannot
// tell structural zeros from others, so every 0 is treated as known: hiding it beside a hidden cell
// leaves the reader with the same single unknown (x + 0 = known total gives x). Because zeros are never
// hidden, a `c` also tells the reader the cell is at least 1; rule 2b takes that into account.
import type { Unit } from '../indicators/types.ts';

export type CellId = string;

export interface Cell {
  readonly id: CellId;
  /** a non-negative number */
  readonly value: number;
  /**
   * Whether the cell counts children or events (default true): small counts are suppressed. False for
   * an amount (a sum of days behind an average): never suppressed for being small, but it may be
   * suppressed to protect another cell of its constraints.
   */
  readonly count?: boolean;
}

/** `total = sum of parts`: a published total a reader can subtract from. */
export interface Constraint {
  readonly total: CellId;
  readonly parts: readonly CellId[];
}

/** A value computed from cells (a percentage, rate or average): suppressed when any of them is. */
export interface Derived {
  readonly id: CellId;
  /** null when there is nothing to divide by (not in `shown` unless suppressed) */
  readonly value: number | null;
  /** cells (or other derived values) it is built from */
  readonly from: readonly CellId[];
}

export interface Table {
  readonly cells: readonly Cell[];
  readonly constraints: readonly Constraint[];
  readonly derived?: readonly Derived[];
}

export interface SuppressionOptions {
  /** counts from 1 to this are suppressed (default 5); 0 turns primary suppression off */
  readonly threshold?: number;
  /** rule 2b: a constraint's hidden parts must not add up to 1–threshold or to one each (default true) */
  readonly differences?: boolean;
  /** step 3: the linear audit over all constraints together (default true) */
  readonly audit?: boolean;
}

export type Reason = 'primary' | 'secondary' | 'derived';

export interface SuppressedTable {
  /** every cell and derived value (derived values with a null value only when suppressed) */
  readonly shown: Map<CellId, number | 'c'>;
  /** why each suppressed cell is suppressed */
  readonly reasons: Map<CellId, Reason>;
  /** constraints whose total is not the sum of their parts (kept, which can only add suppression) */
  readonly inconsistent: Constraint[];
}

export const DEFAULT_THRESHOLD = 5;

/** A linear equation over cells: Σ coef·cell = 0 (total +1, parts −1). */
interface Equation {
  readonly cells: readonly number[];
  readonly coefs: readonly number[];
}

const EPS = 1e-9;

export function suppressTable(table: Table, options: SuppressionOptions = {}): SuppressedTable {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError(`threshold must be 0 or more, not ${threshold}`);
  const differences = options.differences ?? true;
  const audit = options.audit ?? true;

  const index = new Map<CellId, number>();
  table.cells.forEach((c, i) => {
    if (index.has(c.id)) throw new RangeError(`cell ${c.id} appears twice`);
    if (!Number.isFinite(c.value) || c.value < 0) throw new RangeError(`cell ${c.id}: value must be a number of 0 or more, not ${c.value}`);
    index.set(c.id, i);
  });
  const at = (id: CellId, where: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new RangeError(`${where}: no cell ${id}`);
    return i;
  };
  const values = table.cells.map((c) => c.value);
  const isCount = table.cells.map((c) => c.count !== false);
  const inconsistent: Constraint[] = [];
  const equations: Equation[] = table.constraints.map((k) => {
    if (k.parts.length === 0) throw new RangeError(`constraint for ${k.total} has no parts`);
    const cells = [at(k.total, 'constraint total'), ...k.parts.map((p) => at(p, `constraint for ${k.total}`))];
    if (new Set(cells).size !== cells.length) throw new RangeError(`constraint for ${k.total} names a cell twice`);
    const sum = k.parts.reduce((s, p) => s + values[index.get(p)!], 0);
    if (Math.abs(sum - values[cells[0]]) > EPS * Math.max(1, sum)) inconsistent.push(k);
    return { cells, coefs: cells.map((_, j) => (j === 0 ? 1 : -1)) };
  });

  const reasons = new Map<CellId, Reason>();
  const hidden = new Array<boolean>(values.length).fill(false);
  const hide = (i: number, reason: Reason): void => {
    hidden[i] = true;
    reasons.set(table.cells[i].id, reason);
  };

  // 1. primary
  values.forEach((v, i) => { if (isCount[i] && v > 0 && v <= threshold) hide(i, 'primary'); });

  /** The cell to hide next in an unsafe equation: smallest non-zero shown part, else the total. */
  const candidateFor = (eq: Equation): number | null => {
    let best: number | null = null;
    eq.cells.forEach((c, j) => {
      if (j === 0 || hidden[c] || values[c] === 0) return;
      if (best === null || values[c] < values[best]) best = c;
    });
    if (best !== null) return best;
    const total = eq.cells[0];
    return !hidden[total] && values[total] !== 0 ? total : null;
  };

  const unsafe = (eq: Equation): boolean => {
    const unknowns = eq.cells.filter((c) => hidden[c]);
    if (unknowns.length === 1) return true;
    if (!differences || unknowns.length === 0 || hidden[eq.cells[0]]) return false;
    const sum = unknowns.reduce((s, c) => s + values[c], 0);
    if (Math.abs(sum - unknowns.length) < EPS) return true;
    return unknowns.every((c) => isCount[c]) && sum > 0 && sum <= threshold;
  };

  // 2. secondary, to a fixed point; 3. the audit; back to 2 while the audit adds a suppression
  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const eq of equations) {
        if (!unsafe(eq)) continue;
        const c = candidateFor(eq);
        if (c === null) continue; // only for a constraint whose total is not the sum of its parts
        hide(c, 'secondary');
        changed = true;
      }
    }
    if (!audit) break;
    const determined = determinedCells(equations, hidden);
    if (determined.length === 0) break;
    const target = determined[0];
    const candidates = [...new Set(equations.filter((e) => e.cells.includes(target)).flatMap((e) => e.cells))]
      .filter((c) => !hidden[c] && values[c] !== 0)
      .sort((a, b) => values[a] - values[b] || a - b);
    if (candidates.length === 0) break; // cannot happen for consistent constraints (see the comment above)
    const fixes = candidates.find((c) => {
      hidden[c] = true;
      const still = determinedCells(equations, hidden).includes(target);
      hidden[c] = false;
      return !still;
    });
    hide(fixes ?? candidates[0], 'secondary');
  }

  const shown = new Map<CellId, number | 'c'>();
  table.cells.forEach((c, i) => shown.set(c.id, hidden[i] ? 'c' : c.value));

  // 4. derived values, to a fixed point (a derived value may be built from another)
  const derived = table.derived ?? [];
  const derivedIds = new Set<CellId>();
  for (const d of derived) {
    if (index.has(d.id) || derivedIds.has(d.id)) throw new RangeError(`derived value ${d.id} reuses an id`);
    derivedIds.add(d.id);
  }
  for (const d of derived) {
    for (const f of d.from) if (!index.has(f) && !derivedIds.has(f)) throw new RangeError(`derived value ${d.id}: no cell ${f}`);
  }
  const suppressedDerived = new Set<CellId>();
  let again = true;
  while (again) {
    again = false;
    for (const d of derived) {
      if (suppressedDerived.has(d.id)) continue;
      if (d.from.some((f) => reasons.has(f) || suppressedDerived.has(f))) {
        suppressedDerived.add(d.id);
        again = true;
      }
    }
  }
  for (const d of derived) {
    if (suppressedDerived.has(d.id)) {
      shown.set(d.id, 'c');
      reasons.set(d.id, 'derived');
    } else if (d.value !== null) shown.set(d.id, d.value);
  }
  return { shown, reasons, inconsistent };
}

/**
 * The suppressed cells whose value follows from the shown ones under all the equations together:
 * reduce the equations (restricted to the suppressed cells) to reduced row echelon form; a cell is
 * determined exactly when some reduced row is non-zero in its column alone.
 */
function determinedCells(equations: readonly Equation[], hidden: readonly boolean[]): number[] {
  const columns = [...new Set(equations.flatMap((e) => e.cells.filter((c) => hidden[c])))].sort((a, b) => a - b);
  if (columns.length === 0) return [];
  const col = new Map(columns.map((c, j) => [c, j]));
  const rows: number[][] = [];
  for (const e of equations) {
    const row = new Array<number>(columns.length).fill(0);
    let any = false;
    e.cells.forEach((c, j) => {
      if (hidden[c]) { row[col.get(c)!] += e.coefs[j]; any = true; }
    });
    if (any) rows.push(row);
  }
  let r = 0;
  const pivots: number[] = [];
  for (let j = 0; j < columns.length && r < rows.length; j++) {
    let p = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i][j]) > Math.abs(rows[p][j])) p = i;
    if (Math.abs(rows[p][j]) < EPS) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const pv = rows[r][j];
    for (let k = j; k < columns.length; k++) rows[r][k] /= pv;
    for (let i = 0; i < rows.length; i++) {
      if (i === r || Math.abs(rows[i][j]) < EPS) continue;
      const f = rows[i][j];
      for (let k = j; k < columns.length; k++) rows[i][k] -= f * rows[r][k];
    }
    pivots.push(j);
    r++;
  }
  const determined: number[] = [];
  pivots.forEach((j, i) => {
    if (rows[i].every((v, k) => k === j || Math.abs(v) < EPS)) determined.push(columns[j]);
  });
  return determined.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------
// Figures: the engine's { numerator, denominator, value } by unit.

export interface FigureLike {
  readonly numerator: number;
  readonly denominator: number | null;
  readonly value: number | null;
}

/**
 * The cells behind one figure, under `key`: `key#n` the numerator, `key#d` the denominator (percentages:
 * a count; averages: the number of records, a count — so an average over 1–threshold records is
 * suppressed), and the derived value `key` built from them. The numerator of an average (a sum of days)
 * is an amount, not a count. The denominator of a rate is the ONS population, published anyway, so it is
 * not a cell: a rate is suppressed with its numerator.
 */
export function figureCells(key: string, fig: FigureLike, unit: Unit): { cells: Cell[]; derived: Derived[] } {
  const n = `${key}#n`, d = `${key}#d`;
  switch (unit) {
    case 'count':
    case 'rate':
      return { cells: [{ id: n, value: fig.numerator }], derived: [{ id: key, value: fig.value, from: [n] }] };
    case 'percent':
      return {
        cells: [{ id: n, value: fig.numerator }, { id: d, value: fig.denominator ?? 0 }],
        derived: [{ id: key, value: fig.value, from: [n, d] }],
      };
    default: // days, weeks, average
      return {
        cells: [{ id: n, value: fig.numerator, count: false }, { id: d, value: fig.denominator ?? 0 }],
        derived: [{ id: key, value: fig.value, from: [n, d] }],
      };
  }
}

/**
 * One figure on its own, as the public version shows it: `c` for a count of 1–threshold, or a
 * percentage, rate or average whose count (numerator, or the records an average is over) is 1–threshold
 * or whose denominator is; null when the figure has no value.
 */
export function publicFigure(fig: FigureLike & { readonly unit: Unit }, threshold = DEFAULT_THRESHOLD): number | 'c' | null {
  const { cells, derived } = figureCells('figure', fig, fig.unit);
  const shown = suppressTable({ cells, constraints: [], derived }, { threshold }).shown.get('figure');
  return shown ?? null;
}

export interface KeyedFigure {
  readonly key: string;
  readonly figure: FigureLike;
}

export interface FigureSum {
  readonly total: string;
  readonly parts: readonly string[];
}

export interface FigureTable extends Table {
  /** sums left out for a component because its total is not the sum of its parts (not a partition) */
  readonly skipped: { readonly total: string; readonly component: 'numerator' | 'denominator' }[];
}

/**
 * A table of figures of one unit with sums between them (`total` = sum of `parts`, by key): a
 * constraint on the numerators and, for percentages and averages, one on the denominators — each only
 * when it holds exactly (sums of distinct children, maximum caseloads and groups that overlap are not
 * partitions and are listed in `skipped`). Suppress it with `suppressTable`; the value of figure `key`
 * is `shown.get(key)`.
 */
export function figureTable(figures: readonly KeyedFigure[], sums: readonly FigureSum[], unit: Unit): FigureTable {
  const cells: Cell[] = [];
  const derived: Derived[] = [];
  const byKey = new Map<string, FigureLike>();
  for (const f of figures) {
    if (byKey.has(f.key)) throw new RangeError(`figure ${f.key} appears twice`);
    byKey.set(f.key, f.figure);
    const c = figureCells(f.key, f.figure, unit);
    cells.push(...c.cells);
    derived.push(...c.derived);
  }
  const constraints: Constraint[] = [];
  const skipped: { total: string; component: 'numerator' | 'denominator' }[] = [];
  const components: ('numerator' | 'denominator')[] = unit === 'count' || unit === 'rate' ? ['numerator'] : ['numerator', 'denominator'];
  for (const s of sums) {
    for (const k of [s.total, ...s.parts]) if (!byKey.has(k)) throw new RangeError(`sum ${s.total}: no figure ${k}`);
    for (const component of components) {
      const get = (k: string) => (component === 'numerator' ? byKey.get(k)!.numerator : byKey.get(k)!.denominator ?? 0);
      const sum = s.parts.reduce((a, k) => a + get(k), 0);
      if (Math.abs(sum - get(s.total)) > EPS * Math.max(1, sum)) { skipped.push({ total: s.total, component }); continue; }
      const suffix = component === 'numerator' ? '#n' : '#d';
      constraints.push({ total: s.total + suffix, parts: s.parts.map((k) => k + suffix) });
    }
  }
  return { cells, constraints, derived, skipped };
}

/** A breakdown (teams, age bands …) with its total: one sum, total = all the groups. */
export function breakdownTable(groups: readonly KeyedFigure[], total: KeyedFigure, unit: Unit): FigureTable {
  return figureTable([...groups, total], [{ total: total.key, parts: groups.map((g) => g.key) }], unit);
}

/**
 * A monthly series with totals over some of its months (year to date, rolling 12 months): a sum per
 * total. Totals that overlap (R12 contains the YTD months) are separate constraints; the audit in
 * `suppressTable` takes them together, so R12 − YTD cannot give away a month either.
 */
export function seriesTable(
  months: readonly KeyedFigure[], totals: readonly (KeyedFigure & { readonly months: readonly string[] })[], unit: Unit,
): FigureTable {
  return figureTable([...months, ...totals], totals.map((t) => ({ total: t.key, parts: t.months })), unit);
}

/** What a scorecard line needs: its unit, the monthly trend (oldest first) and the YTD and R12 totals. */
export interface LineFigures {
  readonly unit: Unit;
  readonly trend: readonly (FigureLike & { readonly period: string; readonly start: string; readonly end: string })[];
  readonly ytd: (FigureLike & { readonly start: string; readonly end: string }) | null;
  readonly rolling12: (FigureLike & { readonly start: string; readonly end: string }) | null;
}

/**
 * A scorecard line's monthly trend, YTD and R12 as one suppressed series: keys `trend${i}` (i from 0,
 * oldest first), `ytd`, `rolling12`. A total is a constraint over the trend months inside its dates
 * when the trend holds every one of its months (a total over months not shown cannot be differenced
 * against them by the table alone; it is then shown or hidden on its own figures).
 */
export function suppressLine(line: LineFigures, options: SuppressionOptions = {}): Map<string, number | 'c'> {
  const months = line.trend.map((f, i) => ({ key: `trend${i}`, figure: f }));
  const totals: (KeyedFigure & { months: string[] })[] = [];
  for (const [key, t] of [['ytd', line.ytd], ['rolling12', line.rolling12]] as const) {
    if (!t) continue;
    const inside = line.trend.map((f, i) => ({ f, i })).filter(({ f }) => f.start >= t.start && f.end <= t.end);
    const expected = monthsSpanned(t.start, t.end);
    totals.push({ key, figure: t, months: inside.length === expected ? inside.map(({ i }) => `trend${i}`) : [] });
  }
  const complete = totals.filter((t) => t.months.length > 0);
  const table = seriesTable(months, complete, line.unit);
  const extra = totals.filter((t) => t.months.length === 0).map((t) => figureCells(t.key, t.figure, line.unit));
  const result = suppressTable({
    cells: [...table.cells, ...extra.flatMap((e) => e.cells)],
    constraints: table.constraints,
    derived: [...(table.derived ?? []), ...extra.flatMap((e) => e.derived)],
  }, options);
  const out = new Map<string, number | 'c'>();
  for (const key of [...months.map((m) => m.key), ...totals.map((t) => t.key)]) {
    const v = result.shown.get(key);
    if (v !== undefined) out.set(key, v);
  }
  return out;
}

/** Calendar months from the month of `start` to the month of `end` (ISO dates), inclusive. */
function monthsSpanned(start: string, end: string): number {
  const m = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  return m(end) - m(start) + 1;
}
