// The judged scorecard: every indicator's figures for a month with its target and red/amber/green, its
// SPC chart over the monthly series, and, for counts of events, the year-end projection. What the
// dashboard, the reports and `csc scorecard` show.
import type { Engine, Figure, Filter, ScorecardLine } from '../engine.ts';
import { reportingYearOf } from '../periods.ts';
import { spc, type SpcResult } from './spc.ts';
import { projectYearEnd, type Projection } from './projection.ts';
import { judge, Targets, type Judgement, type Target } from './targets.ts';
import { benchmarkPosition, readNeighbourConfig, yearLabel, type BenchmarkPosition, type NeighbourConfig } from './benchmarks.ts';
import { narrate, type Narrative } from './narrative.ts';
import type { Store } from '../store.ts';
import { existsSync } from 'node:fs';

export interface JudgedLine extends ScorecardLine {
  readonly target: Target | null;
  /** the month's figure (at month end for stocks) against the target */
  readonly judgement: Judgement;
  /** year to date against the target (flows) */
  readonly ytdJudgement: Judgement | null;
  /** over the whole monthly series */
  readonly spc: SpcResult;
  /** counts of events only */
  readonly projection: Projection | null;
  /**
   * Against England, the region, statistical neighbours and all authorities, in the latest year with an
   * England figure up to the month's reporting year: the rolling 12 months for events, the month-end
   * figure for children on plans or in care. Null when no benchmark is held.
   */
  readonly benchmark: BenchmarkPosition | null;
  /** plain-English sentences about the month's figure */
  readonly narrative: Narrative;
}

export interface JudgedScorecard {
  readonly month: string;
  readonly team: string | null;
  readonly lines: readonly JudgedLine[];
}

/** Months of history the SPC chart is drawn over (the scorecard's trend shows the last 13 of them). */
export const SPC_MONTHS = 24;

export async function judgedScorecard(
  engine: Engine, month: string, targets: Targets,
  options: Filter & { ids?: readonly string[]; months?: number; neighbours?: NeighbourConfig | null } = {},
): Promise<JudgedScorecard> {
  const months = options.months ?? SPC_MONTHS;
  const lines = await engine.scorecard(month, { team: options.team, ids: options.ids, trendMonths: months });
  const year = Number(reportingYearOf(`${month}-01`).start.slice(0, 4));
  const neighbours = options.neighbours !== undefined ? options.neighbours
    : existsSync('config/statistical-neighbours.json') ? readNeighbourConfig('config/statistical-neighbours.json') : null;
  const benchmarkYears = await latestBenchmarkYears(engine.store, year);
  const judged: JudgedLine[] = [];
  for (const line of lines) {
    const ind = line.indicator;
    const target = targets.for(ind.id, year);
    const judgement = judge(ind, line.month.value, target);
    const result = spc(line.trend.map((f) => ({ label: f.period, value: f.value })), { polarity: ind.polarity, target: target?.target ?? null });
    const proj = ind.unit === 'count' && ind.measure === 'flow' ? projection(line.trend, year) : null;
    const byear = benchmarkYears.get(ind.id);
    const compared = ind.measure === 'flow' ? line.rolling12 : line.month;
    const benchmark = byear === undefined || options.team !== undefined ? null
      : await benchmarkPosition(engine.store, ind.id, byear, compared?.value ?? null, ind.polarity, { unit: ind.unit, neighbours });
    const narrative = narrate({
      indicator: ind,
      series: line.trend.map((f) => ({ label: f.period, value: f.value, numerator: f.numerator, denominator: f.denominator })),
      yearToDate: line.ytd ? { value: line.ytd.value, numerator: line.ytd.numerator, denominator: line.ytd.denominator } : null,
      judgement,
      benchmarks: benchmark ? {
        england: benchmark.england?.value ?? null, region: benchmark.region?.value ?? null,
        statisticalNeighbours: benchmark.neighbours?.value ?? null,
        quartile: benchmark.quartile ? ((' ABCD'.indexOf(benchmark.quartile)) as 1 | 2 | 3 | 4) : null,
        year: yearLabel(benchmark.year),
      } : null,
      spc: result,
      projection: proj,
    });
    judged.push({ ...line, target, judgement, ytdJudgement: line.ytd ? judge(ind, line.ytd.value, target) : null, spc: result, projection: proj, benchmark, narrative });
  }
  return { month, team: options.team ?? null, lines: judged };
}

/** For each indicator, the latest reporting year up to `year` for which an England value is held. */
async function latestBenchmarkYears(store: Store, year: number): Promise<Map<string, number>> {
  const rows = await store.query<{ indicator_id: string; year: number }>(
    `SELECT indicator_id, max(year) AS year FROM benchmarks WHERE area_kind = 'england' AND year <= ? GROUP BY indicator_id`, [year]);
  return new Map(rows.map((r) => [r.indicator_id, r.year]));
}

/** The year-end outturn of a count from this reporting year's months, seasonal on last year's when all 12 are there. */
function projection(trend: readonly Figure[], year: number): Projection | null {
  const inYear = (y: number) => trend.filter((f) => f.start >= `${y}-04-01` && f.end <= `${y + 1}-03-31`).map((f) => ({ month: f.period, value: f.numerator }));
  const current = inYear(year);
  if (current.length === 0 || current[0].month !== `${year}-04`) return null;
  const previous = inYear(year - 1);
  return projectYearEnd(current, previous.length === 12 ? previous : null);
}
