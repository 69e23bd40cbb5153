// The scorecard, an indicator and the rows behind it as terminal text and CSV: what `csc scorecard`,
// `csc indicator` and `csc list` print.
import { stringify } from 'csv-stringify/sync';
import { formatTable } from './format.ts';
import { formatValue, type ChildRow, type Figure, type ScorecardLine } from './engine.ts';
import { THEMES, type Indicator } from './indicators/types.ts';
import type { JudgedLine } from './judge/scorecard.ts';
import type { SpcResult } from './judge/spc.ts';
import { formulaSafeCell } from './formulaSafe.ts';

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of a series: each value as one of eight bar heights between the series' lowest and highest. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return ' '.repeat(values.length);
  const lo = Math.min(...known), hi = Math.max(...known);
  return values.map((v) => (v === null || !Number.isFinite(v) ? ' ' : BARS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * 7)])).join('');
}

const UNIT_WORDS: Record<Indicator['unit'], string> = {
  count: 'number', percent: '%', rate: 'per 10,000', days: 'days', weeks: 'weeks', average: 'average',
};
const POLARITY_WORDS: Record<Indicator['polarity'], string> = { higher: 'higher is better', lower: 'lower is better', neither: 'no polarity' };

export function describeUnit(ind: Indicator): string {
  return `${UNIT_WORDS[ind.unit]}, ${POLARITY_WORDS[ind.polarity]}`;
}

function figureJson(f: Figure | null) {
  return f && { period: f.period, start: f.start, end: f.end, numerator: f.numerator, denominator: f.denominator, value: f.value };
}

export function scorecardJson(lines: readonly ScorecardLine[]) {
  return lines.map((l) => ({
    id: l.indicator.id, title: l.indicator.title, theme: l.indicator.theme, unit: l.indicator.unit, polarity: l.indicator.polarity,
    month: figureJson(l.month), ytd: figureJson(l.ytd), rolling12: figureJson(l.rolling12), trend: l.trend.map(figureJson),
  }));
}

/** One row per indicator and period (month, YTD, R12, each trend month): easy to pivot in a spreadsheet. */
export function scorecardCsv(lines: readonly ScorecardLine[]): string {
  const rows: unknown[][] = [['id', 'title', 'theme', 'unit', 'polarity', 'period_kind', 'period', 'start', 'end', 'numerator', 'denominator', 'value']];
  for (const l of lines) {
    const figures: Figure[] = [...l.trend, ...(l.ytd ? [l.ytd] : []), ...(l.rolling12 ? [l.rolling12] : [])];
    for (const f of figures) {
      rows.push([l.indicator.id, l.indicator.title, l.indicator.theme, l.indicator.unit, l.indicator.polarity, f.kind, f.period, f.start, f.end, f.numerator, f.denominator, f.value]);
    }
  }
  return csv(rows);
}

/** CSV with every text cell formula-safe (formulaSafe.ts); every CSV export goes through here. */
export function csv(rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map((v) => formulaSafeCell(v ?? ''))));
}

/** Child-level rows as a table or CSV: child, in numerator/denominator, value, team, worker and the deciding dates. */
export function childRowsTable(ind: Indicator, rows: readonly ChildRow[]): Record<string, unknown>[] {
  const average = !['count', 'percent', 'rate'].includes(ind.unit);
  return rows.map((r) => {
    const o: Record<string, unknown> = { child: r.child_id ?? '' };
    if (average) o[UNIT_WORDS[ind.unit]] = r.value;
    else o[ind.numeratorLabel] = r.in_numerator ? 'yes' : 'no';
    if (ind.denominatorLabel && !average) o[ind.denominatorLabel] = r.in_denominator ? 'yes' : 'no';
    for (const d of ind.details) o[d.label] = r[d.name] ?? '';
    o.team = r.team ?? '';
    o.worker = r.worker ?? '';
    return o;
  });
}

export function tableOrCsv(rows: Record<string, unknown>[], asCsv: boolean): string {
  if (!asCsv) return formatTable(rows);
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  return csv([cols, ...rows.map((r) => cols.map((c) => r[c]))]);
}

/** The SPC variation icon in words (Making Data Count), or why there is none. */
export function spcWords(result: SpcResult): string {
  if (result.status !== 'ok') return 'too few months';
  const words: Record<string, string> = {
    'improvement-high': 'improving (higher)', 'improvement-low': 'improving (lower)',
    'concern-high': 'concern (higher)', 'concern-low': 'concern (lower)',
    'neither-high': 'special cause (higher)', 'neither-low': 'special cause (lower)', 'common-cause': 'common cause',
  };
  const assurance: Record<string, string> = { 'consistently-pass': ', passes', 'consistently-fail': ', fails', 'hit-and-miss': ', hit and miss' };
  return words[result.variation.icon] + (result.assurance ? assurance[result.assurance.icon] : '');
}

/** The judged scorecard as one table per theme: figures, target, RAG in words, SPC, and the last 13 months. */
export function formatJudgedScorecard(lines: readonly JudgedLine[], month: string, narrative = true): string {
  const out: string[] = [];
  for (const [theme, heading] of Object.entries(THEMES)) {
    const these = lines.filter((l) => l.indicator.theme === theme);
    if (these.length === 0) continue;
    out.push(`\n${heading}`);
    out.push(formatTable(these.map((l) => ({
      indicator: l.indicator.title,
      [month]: formatValue(l.indicator, l.month.value),
      YTD: l.ytd ? formatValue(l.indicator, l.ytd.value) : '',
      R12: l.rolling12 ? formatValue(l.indicator, l.rolling12.value) : '',
      target: l.target ? formatValue(l.indicator, l.target.target) : '',
      RAG: l.judgement.rag ? l.judgement.rag.toUpperCase() : '',
      England: l.benchmark?.england ? formatValue(l.indicator, l.benchmark.england.value) : '',
      SPC: spcWords(l.spc),
      'last 13 months': sparkline(l.trend.slice(-13).map((f) => f.value)),
      id: l.indicator.id,
    }))));
    if (narrative) for (const l of these) out.push(`  • ${l.narrative.paragraph}`);
  }
  return out.join('\n');
}

export function judgedScorecardJson(lines: readonly JudgedLine[]) {
  return lines.map((l) => ({
    ...scorecardJson([l])[0],
    target: l.target && { value: l.target.target, amber: l.target.amber, amberKind: l.target.amberKind, setBy: l.target.setBy },
    rag: l.judgement.rag, ragRule: l.judgement.rule, ytdRag: l.ytdJudgement?.rag ?? null,
    spc: l.spc.status === 'ok'
      ? { variation: l.spc.variation.icon, variationReason: l.spc.variation.reason, assurance: l.spc.assurance?.icon ?? null,
          assuranceReason: l.spc.assurance?.reason ?? null, mean: l.spc.limits.mean, lower: l.spc.limits.lowerProcessLimit, upper: l.spc.limits.upperProcessLimit,
          signals: l.spc.signals.map((g) => ({ rule: g.rule, cause: g.cause, reason: g.reason })) }
      : { variation: null, reason: l.spc.reason },
    benchmark: l.benchmark && {
      year: l.benchmark.year, england: l.benchmark.england?.value ?? null, region: l.benchmark.region?.value ?? null,
      statisticalNeighbours: l.benchmark.neighbours?.value ?? null, quartile: l.benchmark.quartile, sentence: l.benchmark.sentence,
    },
    narrative: l.narrative.paragraph,
    projection: l.projection && { value: l.projection.projected, method: l.projection.method, explanation: l.projection.explanation, working: l.projection.working },
  }));
}
