// Plain-English sentences about one indicator's month, in the register of English local authority
// committee reports ("There were 257 referrals in September, higher than 139 in August." "Re-referrals
// in January, 22.7%, are the lowest for over 12 months."). The input is plain data — the indicator's
// metadata, its monthly figures and whatever judgement has been made of them — so that the engine,
// a stored publication or a test can all ask for the same words.
//
// Conventions, fixed so that every sentence agrees with every other and with the figures shown:
//
// - Months are named in full with their year, always: "in January 2025"; for stocks (a snapshot at
//   the month's end) "at the end of January 2025".
// - Numbers as the scorecard shows them: counts whole with thousands separators ("1,234"),
//   percentages to one decimal place ("22.7%"), rates, days, weeks and averages to one decimal
//   place ("67.0", "38.2 days"). A target is written as set, to at most one decimal ("85%").
//   Every comparison (change, extremes, target, benchmarks) is made on the figures as shown, rounded
//   as targets.ts's shownValue rounds them, so the text never says "up 0.0 percentage points" or
//   calls two figures that print alike different.
// - Change since last month: against the calendar month before, and only when it has a figure. A
//   percentage moves in percentage points ("up 2.9 percentage points from 19.8%"), never in per
//   cent. Whether a change is an improvement is said only when the indicator has a polarity.
// - Extremes: "the lowest for over N months" (N ≥ 12) only when each of the N calendar months before
//   has a figure (no gap) and every one is strictly higher (a tie is not "lowest"); "the lowest since
//   March 2024" when March 2024 is the latest month with a lower figure, every month after it up to
//   this one has a figure strictly higher than this one, and there are at least NOTABLE_RUN_MONTHS (6)
//   of them. Mirrored for highest. With too few months, a gap or a tie nothing of the kind is said.
// - SPC: a special cause is described only when this month's point is flagged, in words built from
//   each signal's rule and side ("7 months in a row below the average of 24.1%"); common cause is
//   "within the usual range of variation" only when there is a chart (not with insufficient data).
// - Benchmarks: "in line with" means within IN_LINE_POINTS (1) percentage point for percentages,
//   within IN_LINE_RELATIVE (5%) of the benchmark for every other unit (exactly equal when the
//   benchmark is 0), boundaries included. Outside that, "better"/"worse" given a polarity, else
//   "higher"/"lower".
// - Projection: only for counts of events (unit count, measure flow).
// - The first sentence after the figure that speaks of it begins "This", later ones "It".
// - A month with no figure gets one sentence saying so and why; nothing is compared with it.

import type { Measure, Polarity, Unit } from '../indicators/types.ts';
import type { Projection } from './projection.ts';
import type { SpcResult, SpcSignal } from './spc.ts';
import type { Rag } from './targets.ts';
import { MONTH_NAMES } from '../periods.ts';

/** A figure at least this many months beyond every one since an earlier month is "the highest since" it. */
export const NOTABLE_RUN_MONTHS = 6;
/** "the lowest for over 12 months" needs at least this many months before, all with figures. */
export const EXTREME_MONTHS = 12;
/** Percentages within this many percentage points of a benchmark are "in line with" it. */
export const IN_LINE_POINTS = 1;
/** Other figures within this fraction of a benchmark are "in line with" it. */
export const IN_LINE_RELATIVE = 0.05;

export interface NarrativeIndicator {
  /** 'Re-referrals within 12 months' */
  readonly title: string;
  readonly unit: Unit;
  readonly polarity: Polarity;
  readonly measure: Measure;
  /** what is counted, in the plural: 'referrals', 'children on a plan', 'ICPCs within 15 working days' */
  readonly numeratorLabel: string;
  /** what a percentage or average is taken over, in the plural: 'referrals' */
  readonly denominatorLabel?: string;
  /** 'max' for a largest-value indicator (largest caseload): its figure is not a number of things */
  readonly aggregate?: 'sum' | 'max';
}

export interface MonthFigure {
  /** 'YYYY-MM' */
  readonly label: string;
  /** null when there is no figure (nothing to divide by) */
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

export interface YearToDateFigure {
  readonly value: number | null;
  readonly numerator?: number | null;
  readonly denominator?: number | null;
}

/** The rating of the month's figure against its target (targets.ts's Judgement fits). */
export interface NarrativeJudgement {
  readonly rag: Rag | null;
  readonly target: number | null;
  readonly rule?: string;
}

export interface NarrativeBenchmarks {
  readonly england?: number | null;
  readonly region?: number | null;
  readonly statisticalNeighbours?: number | null;
  /**
   * Quartile band among English authorities: 1 = the quarter with the best figures when the
   * indicator has a polarity, with the highest figures when it has none; 4 = the worst (lowest).
   */
  readonly quartile?: 1 | 2 | 3 | 4 | null;
  /** the year the benchmarks are for, '2023-24', named in the sentence when given */
  readonly year?: string | null;
}

export interface NarrativeInput {
  readonly indicator: NarrativeIndicator;
  /** monthly figures in time order, ending with the month described; months may be missing */
  readonly series: readonly MonthFigure[];
  /** the reporting year to date ending with the month (flows) */
  readonly yearToDate?: YearToDateFigure | null;
  readonly judgement?: NarrativeJudgement | null;
  readonly benchmarks?: NarrativeBenchmarks | null;
  /** the SPC chart of a series that includes the month (by label) */
  readonly spc?: SpcResult | null;
  /** the year-end projection (counts of events only) */
  readonly projection?: Pick<Projection, 'projected' | 'method' | 'monthsElapsed' | 'year'> | null;
}

export type SentenceKind = 'figure' | 'change' | 'extreme' | 'spc' | 'target' | 'benchmark' | 'projection';

export interface Sentence {
  readonly kind: SentenceKind;
  readonly text: string;
}

export interface Narrative {
  /** in reading order: the figure, change, extreme, SPC, target, benchmarks, year to date, projection */
  readonly sentences: readonly Sentence[];
  /** the sentences joined with single spaces */
  readonly paragraph: string;
}

// ---------------------------------------------------------------------------------------------
// Singular and plural

/** Irregular and awkward nouns, singular → plural; everything else follows the rules below. */
const IRREGULAR: ReadonlyArray<readonly [string, string]> = [
  ['child', 'children'],
  ['person', 'people'],
  ['enquiry', 'enquiries'],
  ['ICPC', 'ICPCs'],
  ['RCPC', 'RCPCs'],
  ['PEP', 'PEPs'],
];

/** Words ending in s that are not plurals, met in indicator labels. */
const NOT_PLURAL = new Set(['this', 'was', 'has', 'is', 'as', 'its', 'his', 'less', 'unless', 'across', 'plus', 'thus', 'status', 'process', 'previous', 'always', 'towards', 'us']);

const ABBREVIATION = /^[A-Z][A-Z0-9]+$/;

/** The plural of one noun: child → children, enquiry → enquiries, ICPC → ICPCs, referral → referrals. */
export function pluralise(noun: string): string {
  return onLastPart(noun, (word) => {
    const irregular = IRREGULAR.find(([s]) => s.toLowerCase() === word.toLowerCase());
    if (irregular) return matchCase(word, irregular[1]);
    if (ABBREVIATION.test(word)) return `${word}s`;
    if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
    if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
    return `${word}s`;
  });
}

/** The singular of one noun: children → child, enquiries → enquiry, ICPCs → ICPC, re-referrals → re-referral. */
export function singularise(noun: string): string {
  return onLastPart(noun, (word) => {
    const irregular = IRREGULAR.find(([, p]) => p.toLowerCase() === word.toLowerCase());
    if (irregular) return matchCase(word, irregular[0]);
    if (/^[A-Z][A-Z0-9]+s$/.test(word)) return word.slice(0, -1);
    if (!isPlural(word)) return word;
    if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
    if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
    return word.slice(0, -1);
  });
}

/** The label of a phrase for one thing: its first plural word made singular ('children on a plan' → 'child on a plan'). */
export function singularPhrase(phrase: string): string {
  const words = phrase.split(' ');
  const k = words.findIndex((w) => onLastPartTest(w, isPlural));
  if (k < 0) return phrase;
  words[k] = singularise(words[k]);
  return words.join(' ');
}

/** "1 referral", "2 referrals", "1,234 children on a plan": `label` is given in the plural. */
export function countOf(n: number, label: string): string {
  return `${COUNT.format(n)} ${n === 1 ? singularPhrase(label) : label}`;
}

function isPlural(word: string): boolean {
  if (IRREGULAR.some(([, p]) => p.toLowerCase() === word.toLowerCase())) return true;
  if (/^[A-Z][A-Z0-9]+s$/.test(word)) return true;
  const lower = word.toLowerCase();
  return lower.length > 2 && /s$/.test(lower) && !/(ss|us|is)$/.test(lower) && !NOT_PLURAL.has(lower);
}

/** Apply to the last part of a hyphenated word (re-referrals), leaving punctuation around it. */
function onLastPart(word: string, f: (w: string) => string): string {
  const m = /^(.*-)?([A-Za-z0-9]+)([^A-Za-z0-9]*)$/.exec(word);
  if (!m) return word;
  return `${m[1] ?? ''}${f(m[2])}${m[3]}`;
}

function onLastPartTest(word: string, f: (w: string) => boolean): boolean {
  const m = /^(.*-)?([A-Za-z0-9]+)([^A-Za-z0-9]*)$/.exec(word);
  return m !== null && f(m[2]);
}

function matchCase(original: string, replacement: string): string {
  if (ABBREVIATION.test(replacement.replace(/s$/, ''))) return replacement;
  return /^[A-Z]/.test(original) ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

// ---------------------------------------------------------------------------------------------
// Numbers and months

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ONE_DP = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const UP_TO_ONE_DP = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const EPSILON = 1e-9;


/** The figure as the scorecard shows it (targets.ts's shownValue): counts whole, the rest to one decimal. */
function shown(unit: Unit, value: number): number {
  const v = unit === 'count' ? Math.round(value) : Math.round(value * 10) / 10;
  return v + 0; // no −0
}

function suffix(unit: Unit): string {
  return unit === 'percent' ? '%' : unit === 'days' ? ' days' : unit === 'weeks' ? ' weeks' : '';
}

/** A figure: "1,234", "22.7%", "38.2 days", "67.0". */
function formatValue(unit: Unit, value: number): string {
  const v = shown(unit, value);
  return (unit === 'count' ? COUNT.format(v) : ONE_DP.format(v)) + suffix(unit);
}

/** A target, as set: "85%", "22.5%", "20 days". */
function formatTarget(unit: Unit, value: number): string {
  return (unit === 'count' ? COUNT.format(Math.round(value)) : UP_TO_ONE_DP.format(value + 0)) + suffix(unit);
}

/** An SPC line (a mean or limit): one decimal even for counts ("the average of 141.3"). */
function formatLine(unit: Unit, value: number): string {
  return ONE_DP.format(Math.round(value * 10) / 10 + 0) + suffix(unit);
}

/** "2.9 percentage points", "1 percentage point". */
function points(diff: number): string {
  const d = Math.abs(Math.round(diff * 10) / 10);
  return `${UP_TO_ONE_DP.format(d)} percentage point${Math.abs(d - 1) < EPSILON ? '' : 's'}`;
}

/** 'YYYY-MM' → months since year 0. */
function monthIndex(label: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  const mm = m ? Number(m[2]) : 0;
  if (!m || mm < 1 || mm > 12) throw new RangeError(`month '${label}' is not of the form YYYY-MM`);
  return Number(m[1]) * 12 + mm - 1;
}

function monthName(index: number): string {
  return `${MONTH_NAMES[index % 12]} ${Math.floor(index / 12)}`;
}

function monthNameOf(label: string): string {
  return monthName(monthIndex(label));
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function compare(a: number, b: number): -1 | 0 | 1 {
  return a - b > EPSILON ? 1 : b - a > EPSILON ? -1 : 0;
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

// ---------------------------------------------------------------------------------------------
// The narrative

interface Month {
  readonly index: number;
  readonly figure: MonthFigure;
  readonly value: number | null;
}

type Clause = (subject: 'This' | 'It') => string;

/** The sentences about the last month of `input.series`; conventions in the header of this file. */
export function narrate(input: NarrativeInput): Narrative {
  const ind = input.indicator;
  const months = checkSeries(input.series);
  const current = months[months.length - 1];
  const byIndex = new Map(months.map((m) => [m.index, m]));
  const stock = ind.measure === 'stock';
  const when = (index: number) => `${stock ? 'at the end of' : 'in'} ${monthName(index)}`;

  const sentences: Sentence[] = [{ kind: 'figure', text: figureSentence(ind, current, when(current.index)) }];

  if (current.value !== null) {
    const value = current.value;
    const clauses: { kind: SentenceKind; clause: Clause | null }[] = [
      { kind: 'change', clause: change(ind, value, byIndex.get(current.index - 1), when) },
      { kind: 'extreme', clause: extreme(ind.unit, value, current.index, byIndex) },
      { kind: 'spc', clause: spcClause(ind, current.figure.label, input.spc) },
      { kind: 'target', clause: targetClause(ind, value, input.judgement) },
      { kind: 'benchmark', clause: benchmarkClause(ind, value, input.benchmarks) },
    ];
    let subject: 'This' | 'It' = 'This';
    for (const { kind, clause } of clauses) {
      if (clause === null) continue;
      sentences.push({ kind, text: clause(subject) });
      subject = 'It';
    }
  }

  const ytd = yearToDateSentence(ind, current.index, input.yearToDate);
  if (ytd !== null) sentences.push({ kind: 'figure', text: ytd });
  const projected = projectionSentence(ind, input.projection);
  if (projected !== null) sentences.push({ kind: 'projection', text: projected });

  return { sentences, paragraph: sentences.map((s) => s.text).join(' ') };
}

function checkSeries(series: readonly MonthFigure[]): Month[] {
  if (series.length === 0) throw new RangeError('a narrative needs at least the month it describes');
  let last = -Infinity;
  return series.map((figure) => {
    const index = monthIndex(figure.label);
    if (index <= last) throw new RangeError(`months must be in time order without repeats: ${figure.label} comes after a later or equal month`);
    last = index;
    const raw = figure.value as number | null | undefined;
    if (raw !== null && raw !== undefined && !Number.isFinite(raw)) {
      throw new RangeError(`${figure.label}: value ${raw} is not a number (use null for a month with no figure)`);
    }
    return { index, figure, value: raw ?? null };
  });
}

/** "There were 257 referrals in September 2025." / "Re-referrals within 12 months stood at 22.7% (51 of 225) in January 2025." */
function figureSentence(ind: NarrativeIndicator, m: Month, when: string): string {
  if (m.value === null) return `There is no figure for ${monthName(m.index)} (${missingReason(ind)}).`;
  if (isCountOfThings(ind)) {
    const n = shown('count', m.value);
    if (n === 0) return `There were no ${ind.numeratorLabel} ${when}.`;
    return `There ${n === 1 ? 'was' : 'were'} ${countOf(n, ind.numeratorLabel)} ${when}.`;
  }
  return `${ind.title} stood at ${formatValue(ind.unit, m.value)}${outOf(ind, m.figure)} ${when}.`;
}

function isCountOfThings(ind: NarrativeIndicator): boolean {
  return ind.unit === 'count' && ind.aggregate !== 'max';
}

function missingReason(ind: NarrativeIndicator): string {
  if (ind.unit === 'rate') return 'no population figure to divide by';
  if (ind.unit === 'count') return 'no data for the month';
  return `no ${ind.denominatorLabel ?? 'cases'} to measure`;
}

/** " (51 of 225)" or " (51 of 225 referrals)" for percentages with both parts known. */
function outOf(ind: NarrativeIndicator, f: MonthFigure | YearToDateFigure): string {
  if (ind.unit !== 'percent' || !finite(f.numerator) || !finite(f.denominator) || f.denominator <= 0) return '';
  const label = ind.denominatorLabel ? ` ${f.denominator === 1 ? singularPhrase(ind.denominatorLabel) : ind.denominatorLabel}` : '';
  return ` (${COUNT.format(f.numerator)} of ${COUNT.format(f.denominator)}${label})`;
}

/** "This is higher than 139 in August 2025." / "This is down 2.1 percentage points from 24.8% in December 2024, an improvement." */
function change(ind: NarrativeIndicator, value: number, previous: Month | undefined, when: (i: number) => string): Clause | null {
  if (previous === undefined || previous.value === null) return null;
  const a = shown(ind.unit, value);
  const b = shown(ind.unit, previous.value);
  const direction = compare(a, b);
  const before = when(previous.index);
  if (direction === 0) return (s) => `${s} is the same as ${before}.`;
  const judged = ind.polarity === 'neither' ? '' : (direction > 0) === (ind.polarity === 'higher') ? ', an improvement' : ', a deterioration';
  if (ind.unit === 'percent') {
    return (s) => `${s} is ${direction > 0 ? 'up' : 'down'} ${points(a - b)} from ${formatValue(ind.unit, b)} ${before}${judged}.`;
  }
  return (s) => `${s} is ${direction > 0 ? 'higher' : 'lower'} than ${formatValue(ind.unit, b)} ${before}${judged}.`;
}

/** "It is the lowest for over 12 months." / "It is the highest since March 2024." */
function extreme(unit: Unit, value: number, index: number, byIndex: ReadonlyMap<number, Month>): Clause | null {
  const v = shown(unit, value);
  const first = Math.min(...byIndex.keys());
  for (const side of [1, -1] as const) {
    const word = side > 0 ? 'highest' : 'lowest';
    // Walk back month by month while every figure is strictly on the other side of this one.
    let run = 0;
    let beyond: number | null = null;
    for (let k = index - 1; k >= first; k--) {
      const m = byIndex.get(k);
      if (m === undefined || m.value === null) break; // a gap: what it held is unknown
      const c = compare(v, shown(unit, m.value));
      if (c === side) {
        run++;
        continue;
      }
      if (c === -side) beyond = k; // a figure beyond this one: "since" then
      break; // a tie ends the run and names no month
    }
    if (beyond !== null && run >= NOTABLE_RUN_MONTHS) return (s) => `${s} is the ${word} since ${monthName(beyond)}.`;
    if (run >= EXTREME_MONTHS) return (s) => `${s} is the ${word} for over ${run} months.`;
  }
  return null;
}

/** Special cause in plain words, or common cause when there is a chart. */
function spcClause(ind: NarrativeIndicator, label: string, result: SpcResult | null | undefined): Clause | null {
  if (!result || result.status !== 'ok') return null;
  const point = result.points.find((p) => p.label === label);
  if (point === undefined || point.value === null) return null;
  if (point.cause === null) return (s) => `${s} is within the usual range of variation (common cause).`;
  const describe = (signals: readonly SpcSignal[]) => signals.map((sig) => plainSignal(ind.unit, sig, result)).join('; ');
  if (point.cause === 'neither' || result.polarity === 'neither') {
    return (s) => `${s} is unusual (special cause variation): ${describe(point.signals)}.`;
  }
  if (point.conflict) {
    const good = describe(point.signals.filter((g) => g.cause === 'improvement'));
    const bad = describe(point.signals.filter((g) => g.cause === 'concern'));
    return (s) => `${s} is special cause variation pointing both ways: an improvement (${good}) and a concern (${bad}).`;
  }
  const what = point.cause === 'improvement' ? 'an improvement' : 'a concern';
  return (s) => `${s} signals ${what} (special cause variation): ${describe(point.signals)}.`;
}

/** "7 months in a row below the average of 24.1%, from July 2024 to January 2025". */
function plainSignal(unit: Unit, sig: SpcSignal, chart: Extract<SpcResult, { status: 'ok' }>): string {
  const { limits, points: pts } = chart;
  const high = sig.side === 'high';
  const first = sig.indexes[0];
  const last = sig.indexes[sig.indexes.length - 1];
  const between = pts.slice(first, last + 1);
  const withValues = between.filter((p) => p.value !== null).length;
  const gaps = between.filter((p) => p.value === null).map((p) => safeMonthName(p.label));
  const span =
    (first === last ? '' : `, from ${safeMonthName(sig.from)} to ${safeMonthName(sig.to)}`) +
    (gaps.length === 0 ? '' : ` (leaving out ${list(gaps)}, which ${gaps.length === 1 ? 'has' : 'have'} no figure)`);
  switch (sig.rule) {
    case 'outside-limits':
      return high
        ? `above the upper limit of the usual range (${formatLine(unit, limits.upperProcessLimit)})`
        : `below the lower limit of the usual range (${formatLine(unit, limits.lowerProcessLimit)})`;
    case 'shift':
      return `${sig.indexes.length} months in a row ${high ? 'above' : 'below'} the average of ${formatLine(unit, limits.mean)}${span}`;
    case 'trend':
      return `${high ? 'rising' : 'falling'} for ${sig.indexes.length} months in a row${span}`;
    case 'two-of-three': {
      const n = sig.indexes.length;
      const count = n === withValues ? `${n} months in a row` : `${n} of ${withValues} months in a row`;
      return `${count} close to the ${high ? 'upper' : 'lower'} limit of the usual range${span}`;
    }
  }
}

/** Month names for SPC labels, which are normally 'YYYY-MM' but are not checked by spc.ts. */
function safeMonthName(label: string): string {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(label) ? monthNameOf(label) : label;
}

/** "It is above the target of 85% (green)." */
function targetClause(ind: NarrativeIndicator, value: number, judgement: NarrativeJudgement | null | undefined): Clause | null {
  if (!judgement || judgement.rag === null || !finite(judgement.target) || ind.polarity === 'neither') return null;
  const target = judgement.target;
  const t = formatTarget(ind.unit, target);
  const c = compare(shown(ind.unit, value), target);
  const better = ind.polarity === 'higher' ? 'above' : 'below';
  const worse = ind.polarity === 'higher' ? 'below' : 'above';
  const onBetterSide = c === 0 || (c > 0) === (ind.polarity === 'higher');
  switch (judgement.rag) {
    case 'green':
      if (c === 0) return (s) => `${s} meets the target of ${t} (green).`;
      if (onBetterSide) return (s) => `${s} is ${better} the target of ${t} (green).`;
      break;
    case 'amber':
      if (!onBetterSide) return (s) => `${s} is ${worse} the target of ${t} but within tolerance (amber).`;
      break;
    case 'red':
      if (!onBetterSide) return (s) => `${s} is ${worse} the target of ${t} (red).`;
      break;
  }
  // A rating that does not match the figure (rated on another value): say only the rating.
  const rag = judgement.rag;
  return (s) => `${s} is rated ${rag} against the target of ${t}.`;
}

const QUARTILE_WITH_POLARITY = ['in the top quartile of local authorities', 'in the second quartile of local authorities', 'in the third quartile of local authorities', 'in the bottom quartile of local authorities'];
const QUARTILE_NO_POLARITY = ['in the highest quartile of local authorities', 'in the second-highest quartile of local authorities', 'in the second-lowest quartile of local authorities', 'in the lowest quartile of local authorities'];

/** "It is better than the England average (22.6%) and in line with the statistical neighbour average (23.1%)." */
function benchmarkClause(ind: NarrativeIndicator, value: number, b: NarrativeBenchmarks | null | undefined): Clause | null {
  if (!b) return null;
  const v = shown(ind.unit, value);
  const year = b.year ? ` for ${b.year}` : '';
  const parts: string[] = [];
  const against = (name: string, benchmark: number | null | undefined) => {
    if (!finite(benchmark)) return;
    const bv = shown(ind.unit, benchmark);
    const c = inLine(ind.unit, v, bv) ? 0 : compare(v, bv);
    const how =
      c === 0 ? 'in line with' : ind.polarity === 'neither' ? (c > 0 ? 'higher than' : 'lower than') : (c > 0) === (ind.polarity === 'higher') ? 'better than' : 'worse than';
    parts.push(`${how} ${name}${year} (${formatValue(ind.unit, bv)})`);
  };
  against('the England average', b.england);
  against('the regional average', b.region);
  against('the statistical neighbour average', b.statisticalNeighbours);
  if (b.quartile === 1 || b.quartile === 2 || b.quartile === 3 || b.quartile === 4) {
    parts.push((ind.polarity === 'neither' ? QUARTILE_NO_POLARITY : QUARTILE_WITH_POLARITY)[b.quartile - 1]);
  }
  if (parts.length === 0) return null;
  return (s) => `${s} is ${list(parts)}.`;
}

/** Within 1 percentage point (percentages) or 5% of the benchmark (everything else), boundaries included. */
function inLine(unit: Unit, value: number, benchmark: number): boolean {
  const tolerance = unit === 'percent' ? IN_LINE_POINTS : IN_LINE_RELATIVE * Math.abs(benchmark);
  return Math.abs(value - benchmark) <= tolerance + EPSILON;
}

/** "There have been 2,310 referrals in the year to date (April 2024 to January 2025)." Flows only, and not in April. */
function yearToDateSentence(ind: NarrativeIndicator, index: number, ytd: YearToDateFigure | null | undefined): string | null {
  if (!ytd || ind.measure !== 'flow') return null;
  const raw = ytd.value as number | null | undefined;
  if (!finite(raw)) return null;
  const april = index - ((index % 12) - 3 + 12) % 12;
  if (april === index) return null; // April: the year to date is the month
  const span = `(${monthName(april)} to ${monthName(index)})`;
  if (isCountOfThings(ind)) {
    const n = shown('count', raw);
    if (n === 0) return `There have been no ${ind.numeratorLabel} in the year to date ${span}.`;
    return `There ${n === 1 ? 'has' : 'have'} been ${countOf(n, ind.numeratorLabel)} in the year to date ${span}.`;
  }
  return `The year-to-date figure ${span} is ${formatValue(ind.unit, raw)}${outOf(ind, ytd)}.`;
}

/** "The number of ICPCs is projected to reach 450 by the end of March 2025 (linear from 10 months to date)." */
function projectionSentence(ind: NarrativeIndicator, p: NarrativeInput['projection']): string | null {
  if (!p || !isCountOfThings(ind) || ind.measure !== 'flow' || !finite(p.projected)) return null;
  const y = /^(\d{4})-\d{2}$/.exec(p.year);
  if (!y) return null;
  const n = Math.round(p.projected);
  if (p.method === 'actual') return `The total for ${p.year} is ${countOf(n, ind.numeratorLabel)}.`;
  const months = `${p.monthsElapsed} month${p.monthsElapsed === 1 ? '' : 's'}`;
  const how = p.method === 'seasonal' ? `from ${months} to date, following last year's pattern` : `linear from ${months} to date`;
  return `The number of ${ind.numeratorLabel} is projected to reach ${COUNT.format(n)} by the end of March ${Number(y[1]) + 1} (${how}).`;
}
