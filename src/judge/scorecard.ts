// The judged scorecard: every indicator's figures for a month with its target and red/amber/green, its
// SPC chart over the monthly series, and, for counts of events, the year-end projection. What the
// dashboard, the reports and `csc scorecard` show.
import type { Engine, Figure, Filter, ScorecardLine } from '../engine.ts';
import { reportingYearOf } from '../periods.ts';
import { spc, type SpcResult } from './spc.ts';
import { projectYearEnd, type Projection } from './projection.ts';
import { judge, Targets, type Judgement, type Target } from './targets.ts';

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
}

export interface JudgedScorecard {
  readonly month: string;
  readonly team: string | null;
  readonly lines: readonly JudgedLine[];
}

/** Months of history the SPC chart is drawn over (the scorecard's trend shows the last 13 of them). */
export const SPC_MONTHS = 24;

export async function judgedScorecard(
  engine: Engine, month: string, targets: Targets, options: Filter & { ids?: readonly string[]; months?: number } = {},
): Promise<JudgedScorecard> {
  const months = options.months ?? SPC_MONTHS;
  const lines = await engine.scorecard(month, { team: options.team, ids: options.ids, trendMonths: months });
  const year = Number(reportingYearOf(`${month}-01`).start.slice(0, 4));
  return {
    month,
    team: options.team ?? null,
    lines: lines.map((line) => {
      const ind = line.indicator;
      const target = targets.for(ind.id, year);
      return {
        ...line,
        target,
        judgement: judge(ind, line.month.value, target),
        ytdJudgement: line.ytd ? judge(ind, line.ytd.value, target) : null,
        spc: spc(line.trend.map((f) => ({ label: f.period, value: f.value })), { polarity: ind.polarity, target: target?.target ?? null }),
        projection: ind.unit === 'count' && ind.measure === 'flow' ? projection(line.trend, year) : null,
      };
    }),
  };
}

/** The year-end outturn of a count from this reporting year's months, seasonal on last year's when all 12 are there. */
function projection(trend: readonly Figure[], year: number): Projection | null {
  const inYear = (y: number) => trend.filter((f) => f.start >= `${y}-04-01` && f.end <= `${y + 1}-03-31`).map((f) => ({ month: f.period, value: f.numerator }));
  const current = inYear(year);
  if (current.length === 0 || current[0].month !== `${year}-04`) return null;
  const previous = inYear(year - 1);
  return projectYearEnd(current, previous.length === 12 ? previous : null);
}
