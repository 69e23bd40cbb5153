// The scorecard page and its JSON twin: every indicator for a month with target, RAG, SPC and trend.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.ts';
import { judgedScorecard, type JudgedLine } from '../../judge/scorecard.ts';
import { Targets } from '../../judge/targets.ts';
import { judgedScorecardJson, spcWords } from '../../scorecardText.ts';
import { THEMES } from '../../indicators/types.ts';
import { formatValue } from '../../engine.ts';
import { sparklineSvg } from '../charts.ts';
import { monthName } from '../views.ts';
import { addMonths } from '../../calendar.ts';

interface Query { month?: string; team?: string }

/** The months the data cover (oldest first) and the teams, for the pickers. */
export async function pickers(ctx: AppContext): Promise<{ months: string[]; teams: string[] }> {
  return ctx.cached('pickers', async () => {
    const [range] = await ctx.store.query<{ first: string | null; last: string | null }>(
      `SELECT CAST(min(period_start) AS VARCHAR) AS first, CAST(max(period_end) AS VARCHAR) AS last FROM loads WHERE status = 'active'`);
    const months: string[] = [];
    if (range?.first && range.last) {
      for (let m = `${range.first.slice(0, 7)}-01`; m.slice(0, 7) <= range.last.slice(0, 7); m = addMonths(m, 1)) months.push(m.slice(0, 7));
    }
    const teams = (await ctx.store.query<{ name: string }>(`SELECT DISTINCT name FROM main.teams WHERE name IS NOT NULL ORDER BY name`)).map((t) => t.name);
    return { months, teams };
  });
}

/** The month asked for, checked, or the latest month with data. */
export async function monthOf(ctx: AppContext, asked: string | undefined): Promise<string> {
  const { months } = await pickers(ctx);
  if (asked) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) throw new RangeError(`'${asked}' is not a month: use YYYY-MM, for example 2025-01`);
    return asked;
  }
  if (months.length === 0) throw new RangeError('Nothing has been loaded yet: load the returns on the Data page first.');
  return months[months.length - 1];
}

export async function scorecardFor(ctx: AppContext, month: string, team: string | undefined) {
  return ctx.cached(`scorecard|${month}|${team ?? ''}`, async () =>
    judgedScorecard(ctx.engine, month, await Targets.load(ctx.store, ctx.targetsPath), { team }));
}

export async function scorecardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Querystring: Query }>('/api/scorecard', async (req) => {
    const month = await monthOf(ctx, req.query.month);
    const judged = await scorecardFor(ctx, month, req.query.team || undefined);
    return { month, team: judged.team, indicators: judgedScorecardJson(judged.lines) };
  });

  app.get<{ Querystring: Query }>('/scorecard', async (req, reply) => {
    const month = await monthOf(ctx, req.query.month);
    const team = req.query.team || undefined;
    const { months, teams } = await pickers(ctx);
    const page = await ctx.cached(`scorecard-page|${month}|${team ?? ''}`, async () => {
      const judged = await scorecardFor(ctx, month, team);
      const sections = await Promise.all(Object.entries(THEMES).map(async ([theme, heading]) => ({
        theme, heading,
        rows: await Promise.all(judged.lines.filter((l) => l.indicator.theme === theme).map((l) => row(l, month))),
      })));
      return sections.filter((s) => s.rows.length > 0);
    });
    return ctx.render(reply, 'scorecard.njk', {
      title: `Scorecard, ${monthName(month)}${team ? `, ${team}` : ''}`,
      month, team, sections: page,
      monthOptions: months.slice().reverse().map((m) => ({ value: m, text: monthName(m), selected: m === month })),
      teamOptions: [{ value: '', text: 'All teams' }, ...teams.map((t) => ({ value: t, text: t, selected: t === team }))],
    });
  });
}

async function row(l: JudgedLine, month: string) {
  const ind = l.indicator;
  const last13 = l.trend.slice(-13);
  const first = last13.find((f) => f.value !== null);
  return {
    id: ind.id,
    title: ind.title,
    href: `/indicator/${ind.id}?month=${month}`,
    month: formatValue(ind, l.month.value),
    ytd: l.ytd ? formatValue(ind, l.ytd.value) : '',
    r12: l.rolling12 ? formatValue(ind, l.rolling12.value) : '',
    target: l.target ? formatValue(ind, l.target.target) : '',
    rag: l.judgement.rag,
    ragRule: l.judgement.rule,
    spc: spcWords(l.spc),
    sparkline: await sparklineSvg(last13),
    trendText: first ? `From ${formatValue(ind, first.value)} in ${monthName(first.period)} to ${formatValue(ind, l.month.value)} in ${monthName(month)}` : 'No trend',
  };
}
