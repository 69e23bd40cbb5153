// Statistical process control for a monthly series, as NHS England's "Making Data Count" (MDC)
// programme does it: an XmR chart (mean ± 2.66 × mean moving range), four special-cause rules, a
// variation icon for the latest point and an assurance icon against a target.
//
// The rules follow MDC's own implementation, NHS England's "SPC Charts SQL Query" v2.6 (Matthew
// Callus, 10 January 2024), steps 4e–4k (a stored copy is in github.com/NHSDigital/
// fdp-react-design-system, src/components/DataVisualisation/charts/SPC/SPCChart/logic/), cross-checked
// with the NHS-R community's NHSRplotthedots package (R/ptd_spc_standard.R,
// R/ptd_calculate_point_type.R, R/ptd_calculate_assurance_type.R). Where they differ we follow the SQL.
// No code is copied; the choices, each with where it comes from:
//
// - Limits: mean of the values; moving range = |value − previous value|; limits = mean ± 2.66 × the
//   mean moving range; the 1- and 2-sigma lines at 1/3 and 2/3 of that distance. Moving-range
//   outliers are not screened out (the SQL's @ExcludeMovingRangeOutliers is off by default and MDC's
//   Excel tools do not screen; NHSRplotthedots screens by default, we do not).
// - A month with no value (null) is treated as MDC treats a "ghosted" point: it is left out of the
//   mean and the moving ranges, the next moving range is taken from the last value before the gap
//   (the SQL's LAG over non-ghosted points), and the rules count only points with values, so a gap
//   neither breaks nor extends a run.
// - Fewer than 13 points with values: no limits and no icons, "insufficient data". 13 is the SQL
//   v2.6 default @SettingMinimumPoints ("will otherwise display as a run chart, with SPC elements
//   removed"). MDC's guidance asks for 15–20 points for dependable limits; 13–19 are charted, and
//   limits fixed on fewer than 12 points (the SQL's @SettingMinimumPointsPartition) carry a warning.
// - Baseline: the mean and limits may be fixed on the first N points with values (counted as the
//   SQL's PointsExcludeGhosting). The rules still run over the whole series, across the end of the
//   baseline, as with NHSRplotthedots' fix_after_n_points; the SQL makes the baseline its own
//   partition for the shift and 2-of-3 rules, but with one mean line on the chart a run across it
//   is still a run on one side of that line.
// - Outside the limits means strictly beyond: a point exactly on a limit is not special cause
//   (SQL 4f: Value > UpperProcessLimit, Value < LowerProcessLimit).
// - Shift: 7 or more points in a row strictly above (or below) the mean. A point exactly on the mean
//   is neither, so it ENDS a run (SQL 4g flags above with Value > Mean and below with Value < Mean
//   and needs X consecutive flags; NHSRplotthedots the same, sign(y − mean) = 0). This is not the
//   run-chart convention (points on the median neither add nor break) nor PowerBI-SPC's (they
//   count); MDC's own code is followed.
// - Trend: 7 or more points in a row each strictly higher (or lower) than the one before,
//   endpoints included, so 7 points and 6 rises. Two equal values end a trend (SQL 4h).
// - Two of three: within 3 points in a row, 2 or 3 are beyond the same 2-sigma line and all 3 are on
//   that side of the mean (SQL v2.1: "requiring third point to be on the same side of the mean");
//   a point beyond the process limit counts too (v2.6). Only the points beyond the line are flagged.
// - 7 points for shifts and trends, as DESIGN.md and MDC's published guidance say; SQL v2.6 changed
//   its defaults to 6 (and warns outside 6–8), so shiftPoints and trendPoints are options.
// - Improvement or concern goes by the direction of the rule, not the side of the mean: when higher
//   is better, a point above the upper limit, a shift above, a rising trend and 2 of 3 high are
//   improvement, their low counterparts concern; mirrored when lower is better (SQL 4j).
//   NHSRplotthedots uses the side of the mean for every rule; we follow the SQL. A point flagged both
//   ways (a rising trend below the mean) is settled by `conflict`, default 'concern' (the SQL makes
//   each metric choose; every one of its sample metrics chooses Concern).
// - No polarity: every special cause is 'neither'; the icon is neither-high if a high-side rule
//   flags the latest point, else neither-low (SQL 4k tests high first).
// - The variation icon describes the latest point with a value (SQL 4k: last non-ghosted point).
// - Assurance, higher is better: target ≤ lower limit → consistently pass; target ≥ upper limit →
//   consistently fail; between → hit and miss; mirrored when lower is better. A target exactly on
//   a limit counts as pass or fail (SQL v2.1: "to be a pass/fail when the target is on a process
//   limit"). No target, or no polarity → no assurance icon.
// - Comparisons allow for floating-point rounding: values within 1e-9 (relative) of a line count
//   as on it (the SQL works in exact decimals), so 0.1 + 0.2 is on a line drawn at 0.3.

export type Polarity = 'higher' | 'lower' | 'neither';
export type SpcRule = 'outside-limits' | 'shift' | 'trend' | 'two-of-three';
/** The way a rule points: above the mean or rising ('high'), below the mean or falling ('low'). */
export type Side = 'high' | 'low';
export type SpecialCause = 'improvement' | 'concern' | 'neither';
export type VariationIcon =
  | 'improvement-high'
  | 'improvement-low'
  | 'concern-high'
  | 'concern-low'
  | 'neither-high'
  | 'neither-low'
  | 'common-cause';
export type AssuranceIcon = 'consistently-pass' | 'consistently-fail' | 'hit-and-miss';

export interface SeriesPoint {
  /** The month, 'YYYY-MM' (any label: it is only used in reasons). */
  readonly label: string;
  /** null = no value that month: a gap, see the header. */
  readonly value: number | null;
}

export interface SpcOptions {
  readonly polarity: Polarity;
  readonly target?: number | null;
  /** Fix the mean and limits on the first N points with values; default all of them. */
  readonly baselinePoints?: number;
  /** Points in a row on one side of the mean for a shift; default 7. */
  readonly shiftPoints?: number;
  /** Points in a row rising or falling for a trend; default 7. */
  readonly trendPoints?: number;
  /** Fewer points with values than this → insufficient data; default 13. */
  readonly minimumPoints?: number;
  /** What a point flagged as both improvement and concern shows; default 'concern'. */
  readonly conflict?: 'improvement' | 'concern';
}

export const SPC_DEFAULTS = {
  shiftPoints: 7,
  trendPoints: 7,
  minimumPoints: 13,
  conflict: 'concern',
  /** Limits fixed on fewer points than this carry a warning. */
  baselineWarningPoints: 12,
} as const;

/** 2.66 = 3 / d2, d2 = 1.128 for moving ranges of two points. */
const LIMIT_FACTOR = 2.66;
const EPSILON = 1e-9;

export interface SpcLimits {
  readonly mean: number;
  readonly movingRangeMean: number;
  readonly upperProcessLimit: number;
  readonly lowerProcessLimit: number;
  readonly upperTwoSigma: number;
  readonly lowerTwoSigma: number;
  readonly upperOneSigma: number;
  readonly lowerOneSigma: number;
  /** The points the mean and limits were calculated from. */
  readonly basis: { readonly points: number; readonly from: string; readonly to: string };
}

/** One firing of a rule: a point outside the limits, or one whole run, trend or 2-of-3 group. */
export interface SpcSignal {
  readonly rule: SpcRule;
  readonly side: Side;
  readonly cause: SpecialCause;
  /** The points the rule flags, as indexes into the input. */
  readonly indexes: readonly number[];
  readonly from: string;
  readonly to: string;
  /** Plain English: "7 points in a row above the mean of 20, from 2025-05 to 2025-11". */
  readonly reason: string;
}

export interface SpcPointResult {
  readonly index: number;
  readonly label: string;
  readonly value: number | null;
  /** |value − previous value|; null for the first value and for gaps. */
  readonly movingRange: number | null;
  /** The rules that flag this point, in the order outside-limits, shift, trend, two-of-three. */
  readonly rules: readonly SpcRule[];
  readonly signals: readonly SpcSignal[];
  /** null = common cause. */
  readonly cause: SpecialCause | null;
  /** Flagged both as improvement and as concern; `cause` is then the `conflict` option. */
  readonly conflict: boolean;
}

export interface VariationResult {
  readonly icon: VariationIcon;
  /** The point the icon describes: the latest with a value. */
  readonly label: string;
  readonly reason: string;
}

export interface AssuranceResult {
  readonly icon: AssuranceIcon;
  readonly target: number;
  readonly reason: string;
}

export interface SpcChart {
  readonly status: 'ok';
  readonly polarity: Polarity;
  readonly limits: SpcLimits;
  readonly points: readonly SpcPointResult[];
  readonly signals: readonly SpcSignal[];
  readonly variation: VariationResult;
  readonly assurance: AssuranceResult | null;
  readonly warnings: readonly string[];
}

export interface SpcInsufficientData {
  readonly status: 'insufficient-data';
  readonly polarity: Polarity;
  readonly pointsWithValues: number;
  readonly minimumPoints: number;
  readonly reason: string;
}

export type SpcResult = SpcChart | SpcInsufficientData;

const RULE_ORDER: readonly SpcRule[] = ['outside-limits', 'shift', 'trend', 'two-of-three'];

/**
 * The XmR chart of a monthly series (in time order) with MDC's special-cause rules, variation
 * icon and assurance icon. Conventions and their sources are in the header of this file.
 */
export function spc(points: readonly SeriesPoint[], options: SpcOptions): SpcResult {
  const polarity = options.polarity;
  const shiftPoints = wholeNumber(options.shiftPoints ?? SPC_DEFAULTS.shiftPoints, 'shiftPoints', 2);
  const trendPoints = wholeNumber(options.trendPoints ?? SPC_DEFAULTS.trendPoints, 'trendPoints', 2);
  const minimumPoints = wholeNumber(options.minimumPoints ?? SPC_DEFAULTS.minimumPoints, 'minimumPoints', 2);
  const conflictRule = options.conflict ?? SPC_DEFAULTS.conflict;
  const target = options.target ?? null;
  if (polarity !== 'higher' && polarity !== 'lower' && polarity !== 'neither') {
    throw new RangeError(`polarity '${String(polarity)}' is not one of higher, lower, neither`);
  }
  if (target !== null && !Number.isFinite(target)) throw new RangeError(`target ${target} is not a number`);
  for (const p of points) {
    if (p.value !== null && !Number.isFinite(p.value)) {
      throw new RangeError(`${p.label}: value ${p.value} is not a number (use null for a month with no value)`);
    }
  }

  // `present` = indexes of the points with values; every rule works along it.
  const present = points.flatMap((p, i) => (p.value === null ? [] : [i]));
  const value = (i: number) => points[i].value as number;
  if (present.length < minimumPoints) {
    return {
      status: 'insufficient-data',
      polarity,
      pointsWithValues: present.length,
      minimumPoints,
      reason:
        `${count(present.length, 'point')} with a value; an SPC chart needs at least ${minimumPoints}, ` +
        'so there are no process limits or icons yet',
    };
  }

  const warnings: string[] = [];
  let basis = present;
  if (options.baselinePoints !== undefined) {
    const wanted = wholeNumber(options.baselinePoints, 'baselinePoints', 2);
    if (wanted > present.length) {
      warnings.push(
        `A baseline of ${wanted} points was asked for but only ${present.length} have values: the limits use all ${present.length}.`,
      );
    }
    basis = present.slice(0, wanted);
  }
  if (basis.length < SPC_DEFAULTS.baselineWarningPoints) {
    warnings.push(
      `The limits rest on ${count(basis.length, 'point')}; Making Data Count asks for at least ${SPC_DEFAULTS.baselineWarningPoints}.`,
    );
  }

  const limits = xmrLimits(basis.map(value), points[basis[0]].label, points[basis[basis.length - 1]].label);
  const movingRanges = new Map<number, number>();
  for (let k = 1; k < present.length; k++) {
    movingRanges.set(present[k], Math.abs(value(present[k]) - value(present[k - 1])));
  }

  const causeOf = (side: Side): SpecialCause =>
    polarity === 'neither' ? 'neither' : (side === 'high') === (polarity === 'higher') ? 'improvement' : 'concern';
  const ctx: RuleContext = { points, present, value, limits, causeOf, shiftPoints, trendPoints };
  const signals = [...outsideLimits(ctx), ...shifts(ctx), ...trends(ctx), ...twoOfThree(ctx)].sort(
    (a, b) => a.indexes[0] - b.indexes[0] || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule),
  );

  const byPoint = new Map<number, SpcSignal[]>();
  for (const s of signals) {
    for (const i of s.indexes) byPoint.set(i, [...(byPoint.get(i) ?? []), s]);
  }
  const results: SpcPointResult[] = points.map((p, index) => {
    const own = byPoint.get(index) ?? [];
    const improvement = own.some((s) => s.cause === 'improvement');
    const concern = own.some((s) => s.cause === 'concern');
    const cause: SpecialCause | null =
      own.length === 0 ? null : polarity === 'neither' ? 'neither' : improvement && concern ? conflictRule : improvement ? 'improvement' : 'concern';
    return {
      index,
      label: p.label,
      value: p.value,
      movingRange: movingRanges.get(index) ?? null,
      rules: RULE_ORDER.filter((r) => own.some((s) => s.rule === r)),
      signals: own,
      cause,
      conflict: improvement && concern,
    };
  });

  const latest = results[present[present.length - 1]];
  if (latest.conflict) {
    warnings.push(
      `The latest point, ${latest.label}, shows both improvement and concern; the icon shows ${conflictRule}, as set for this indicator.`,
    );
  }
  return {
    status: 'ok',
    polarity,
    limits,
    points: results,
    signals,
    variation: variation(latest, polarity),
    assurance: assurance(target, polarity, limits),
    warnings,
  };
}

/** Mean, mean moving range and the lines drawn from them, for values in time order. */
export function xmrLimits(values: readonly number[], from = '', to = ''): SpcLimits {
  if (values.length < 2) throw new RangeError(`XmR limits need at least 2 values, got ${values.length}`);
  const mean = sum(values) / values.length;
  const ranges = values.slice(1).map((v, k) => Math.abs(v - values[k]));
  const movingRangeMean = sum(ranges) / ranges.length;
  const width = LIMIT_FACTOR * movingRangeMean;
  return {
    mean,
    movingRangeMean,
    upperProcessLimit: mean + width,
    lowerProcessLimit: mean - width,
    upperTwoSigma: mean + (width * 2) / 3,
    lowerTwoSigma: mean - (width * 2) / 3,
    upperOneSigma: mean + width / 3,
    lowerOneSigma: mean - width / 3,
    basis: { points: values.length, from, to },
  };
}

// ---------------------------------------------------------------------------------------------
// The four rules. Each returns its firings; positions k index `present`, not the input.

interface RuleContext {
  readonly points: readonly SeriesPoint[];
  readonly present: readonly number[];
  readonly value: (i: number) => number;
  readonly limits: SpcLimits;
  readonly causeOf: (side: Side) => SpecialCause;
  readonly shiftPoints: number;
  readonly trendPoints: number;
}

function outsideLimits(ctx: RuleContext): SpcSignal[] {
  const { points, present, value, limits } = ctx;
  return present.flatMap((i) => {
    const v = value(i);
    const side: Side | null =
      compare(v, limits.upperProcessLimit) > 0 ? 'high' : compare(v, limits.lowerProcessLimit) < 0 ? 'low' : null;
    if (side === null) return [];
    const where = side === 'high' ? 'above the upper process limit of ' + fmt(limits.upperProcessLimit) : 'below the lower process limit of ' + fmt(limits.lowerProcessLimit);
    return [signal(ctx, 'outside-limits', side, [i], `${points[i].label} (${fmt(v)}) is ${where}`)];
  });
}

function shifts(ctx: RuleContext): SpcSignal[] {
  const { present, value, limits } = ctx;
  const sideAt = (k: number) => compare(value(present[k]), limits.mean);
  return runs(present.length, (k) => sideAt(k), 0).flatMap(({ start, end, direction }) => {
    const n = end - start + 1;
    if (n < ctx.shiftPoints) return [];
    const side: Side = direction > 0 ? 'high' : 'low';
    const indexes = present.slice(start, end + 1);
    const reason = `${n} points in a row ${side === 'high' ? 'above' : 'below'} the mean of ${fmt(limits.mean)}`;
    return [signal(ctx, 'shift', side, indexes, reason + span(ctx, indexes))];
  });
}

function trends(ctx: RuleContext): SpcSignal[] {
  const { present, value } = ctx;
  // Step k (k ≥ 1) goes from point k − 1 to point k; a run of steps from a to b covers points a − 1..b.
  const stepAt = (k: number) => (k === 0 ? 0 : compare(value(present[k]), value(present[k - 1])));
  return runs(present.length, stepAt, 1).flatMap(({ start, end, direction }) => {
    const n = end - start + 2;
    if (n < ctx.trendPoints) return [];
    const side: Side = direction > 0 ? 'high' : 'low';
    const indexes = present.slice(start - 1, end + 1);
    const reason = `${n} points in a row each ${side === 'high' ? 'higher' : 'lower'} than the one before`;
    return [signal(ctx, 'trend', side, indexes, reason + span(ctx, indexes))];
  });
}

function twoOfThree(ctx: RuleContext): SpcSignal[] {
  const { present, value, limits } = ctx;
  const out: SpcSignal[] = [];
  for (const side of ['high', 'low'] as const) {
    const sign = side === 'high' ? 1 : -1;
    const line = side === 'high' ? limits.upperTwoSigma : limits.lowerTwoSigma;
    const onSide = (k: number) => compare(value(present[k]), limits.mean) === sign;
    const beyond = (k: number) => compare(value(present[k]), line) === sign;
    // Windows of 3 that qualify; overlapping windows on one side are one signal.
    let group: { lastWindow: number; flagged: Set<number> } | null = null;
    const close = () => {
      if (group === null) return;
      const ks = [...group.flagged].sort((a, b) => a - b);
      const n = ks[ks.length - 1] - ks[0] + 1;
      const indexes = ks.map((k) => present[k]);
      const where = `in the outer third ${side === 'high' ? 'above' : 'below'} the mean (beyond ${fmt(line)})`;
      const reason = `${ks.length === n ? `${n}` : `${ks.length} of ${n}`} points in a row ${where}`;
      out.push(signal(ctx, 'two-of-three', side, indexes, reason + span(ctx, indexes)));
      group = null;
    };
    for (let w = 0; w + 2 < present.length; w++) {
      const window = [w, w + 1, w + 2];
      const flagged = window.filter(beyond);
      if (!window.every(onSide) || flagged.length < 2) continue;
      if (group !== null && w - group.lastWindow > 2) close();
      group ??= { lastWindow: w, flagged: new Set<number>() };
      group.lastWindow = w;
      for (const k of flagged) group.flagged.add(k);
    }
    close();
  }
  return out;
}

/** Maximal runs of equal non-zero direction(k) over k = first..length − 1. */
function runs(length: number, direction: (k: number) => number, first: number) {
  const found: { start: number; end: number; direction: number }[] = [];
  let start = first;
  let current = 0;
  for (let k = first; k < length; k++) {
    const d = direction(k);
    if (d === current) continue;
    if (current !== 0) found.push({ start, end: k - 1, direction: current });
    start = k;
    current = d;
  }
  if (current !== 0) found.push({ start, end: length - 1, direction: current });
  return found;
}

function signal(ctx: RuleContext, rule: SpcRule, side: Side, indexes: number[], reason: string): SpcSignal {
  const from = ctx.points[indexes[0]].label;
  const to = ctx.points[indexes[indexes.length - 1]].label;
  return { rule, side, cause: ctx.causeOf(side), indexes, from, to, reason };
}

/** ", from 2025-05 to 2025-11", naming any months in between with no value. */
function span(ctx: RuleContext, indexes: readonly number[]): string {
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  const gaps = ctx.points.slice(first, last + 1).filter((p) => p.value === null).map((p) => p.label);
  const gapText = gaps.length === 0 ? '' : ` (${list(gaps)} ${gaps.length === 1 ? 'has' : 'have'} no value and ${gaps.length === 1 ? 'is' : 'are'} not counted)`;
  return `, from ${ctx.points[first].label} to ${ctx.points[last].label}${gapText}`;
}

// ---------------------------------------------------------------------------------------------
// Icons

function variation(latest: SpcPointResult, polarity: Polarity): VariationResult {
  const { label } = latest;
  if (latest.cause === null) {
    return {
      icon: 'common-cause',
      label,
      reason: `Common cause variation: the latest point, ${label} (${fmt(latest.value as number)}), is inside the process limits and not part of a shift, trend or 2-of-3 pattern.`,
    };
  }
  const reasons = latest.signals.map((s) => s.reason).join('; ');
  if (polarity === 'neither') {
    const high = latest.signals.some((s) => s.side === 'high');
    return {
      icon: high ? 'neither-high' : 'neither-low',
      label,
      reason: `Special cause variation, ${high ? 'high' : 'low'} (neither improvement nor concern for this indicator): ${reasons}.`,
    };
  }
  const improvement = latest.cause === 'improvement';
  const high = improvement === (polarity === 'higher');
  const icon: VariationIcon = `${improvement ? 'improvement' : 'concern'}-${high ? 'high' : 'low'}`;
  const conflict = latest.conflict ? ` Both improvement and concern rules fire; ${latest.cause} is shown, as set for this indicator.` : '';
  return {
    icon,
    label,
    reason: `Special cause variation of ${improvement ? 'an improving' : 'a concerning'} nature (${high ? 'high' : 'low'}): ${reasons}.${conflict}`,
  };
}

function assurance(target: number | null, polarity: Polarity, limits: SpcLimits): AssuranceResult | null {
  if (target === null || polarity === 'neither') return null;
  const t = fmt(target);
  const upper = `the upper process limit of ${fmt(limits.upperProcessLimit)}`;
  const lower = `the lower process limit of ${fmt(limits.lowerProcessLimit)}`;
  const atOrAboveUpper = compare(target, limits.upperProcessLimit) >= 0;
  const atOrBelowLower = compare(target, limits.lowerProcessLimit) <= 0;
  const pass = (where: string): AssuranceResult => ({
    icon: 'consistently-pass',
    target,
    reason: `The target of ${t} is ${where}, so the process will consistently meet it.`,
  });
  const fail = (where: string): AssuranceResult => ({
    icon: 'consistently-fail',
    target,
    reason: `The target of ${t} is ${where}, so the process will consistently miss it unless something changes.`,
  });
  if (polarity === 'higher' && atOrBelowLower) return pass(`at or below ${lower}`);
  if (polarity === 'higher' && atOrAboveUpper) return fail(`at or above ${upper}`);
  if (polarity === 'lower' && atOrAboveUpper) return pass(`at or above ${upper}`);
  if (polarity === 'lower' && atOrBelowLower) return fail(`at or below ${lower}`);
  return {
    icon: 'hit-and-miss',
    target,
    reason: `The target of ${t} is between the process limits (${fmt(limits.lowerProcessLimit)} to ${fmt(limits.upperProcessLimit)}), so the process will sometimes meet it and sometimes miss it.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** −1, 0 or 1, treating values within 1e-9 (relative) of each other as equal. */
function compare(a: number, b: number): -1 | 0 | 1 {
  const tolerance = EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
  return a - b > tolerance ? 1 : b - a > tolerance ? -1 : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function wholeNumber(n: number, name: string, min: number): number {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be a whole number of at least ${min}, got ${n}`);
  return n;
}

const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const SMALL = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });

/** 1,234.57 / 20 / 0.923: two decimals at most, three significant figures below 1. */
function fmt(x: number): string {
  return Math.abs(x) >= 1 || x === 0 ? WHOLE.format(x) : SMALL.format(x);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
