// The analyses pages (/analyses/…): journeys, disproportionality, drift, placement distance and the
// forecast, each with its JSON twin under /api/analyses/… and a CSV download, over the same functions the
// CLI calls (src/analyses/). Aggregates are 'staff' pages; the children behind them ('child') are filtered
// to a manager's teams and every view or download of them is written to the audit log.
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { teamAllowed } from '../auth.ts';
import { sendCsv } from './lists.ts';
import { addMonths } from '../../calendar.ts';
import { financialQuarter, month, parsePeriod, previousMonths, type Period } from '../../periods.ts';
import { formatValue } from '../../engine.ts';
import { journeys, journeyChildren, OUTCOMES, STAGES, type JourneyOptions, type JourneySelection } from '../../analyses/journeys.ts';
import { DIMENSIONS, disproportionality, type Dimension } from '../../analyses/disproportionality.ts';
import { DRIFT_RULES, drift } from '../../analyses/drift.ts';
import { placementDistance } from '../../analyses/distance.ts';
import { forecast, FORECAST_AGE_BANDS, type Scenario } from '../../analyses/forecast.ts';
import { forecastChart, journeyStagesChart, ratioChart } from '../analysisCharts.ts';

/** Weekly unit costs by placement group, if the authority has supplied them. */
export const UNIT_COSTS_PATH = 'config/unit-costs.json';

const blank = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

function periodOf(text: string | undefined, fallback: () => Period): Period {
  const t = blank(text);
  if (t === undefined) return fallback();
  try { return parsePeriod(t); } catch (err) { throw new RangeError(`Enter a period such as 2025-01, 2024-25 Q3 or 2024-25: ${(err as Error).message}`); }
}

function quarterOf(date: string): Period {
  const y = Number(date.slice(0, 4)), m = Number(date.slice(5, 7));
  return financialQuarter(m >= 4 ? y : y - 1, Math.floor(((m + 8) % 12) / 3) + 1);
}

async function dataEnd(ctx: AppContext): Promise<string> {
  const { last } = await ctx.cached('analyses:data-range', () => ctx.store.dataRange());
  if (!last) throw new RangeError('Nothing has been loaded yet: load the returns on the Data page first');
  return last;
}

async function lastWholeMonth(ctx: AppContext): Promise<string> {
  const last = await dataEnd(ctx);
  const m = month(last.slice(0, 7));
  return m.end === last ? m.label : addMonths(`${last.slice(0, 7)}-01`, -1).slice(0, 7);
}

function percentOf(text: string | undefined, name: string, min: number, max: number): number | undefined {
  const t = blank(text);
  if (t === undefined) return undefined;
  const n = Number(t.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`${name} must be a number from ${min} to ${max}`);
  return n;
}

// ---- the data behind each page (exported for tests: the pages show exactly these) ------------------

interface JourneyQuery { period?: string; team?: string; ageBand?: string; ethnicity?: string; node?: string; from?: string; to?: string }

export async function journeyOptions(ctx: AppContext, q: JourneyQuery): Promise<JourneyOptions> {
  const end = await dataEnd(ctx);
  return { period: periodOf(q.period, () => quarterOf(addMonths(end, -12))), dataEnd: end, team: blank(q.team), ageBand: blank(q.ageBand), ethnicity: blank(q.ethnicity) };
}

function selectionOf(q: JourneyQuery): JourneySelection | undefined {
  const nodes = [...STAGES, ...OUTCOMES] as readonly string[];
  for (const v of [q.node, q.from, q.to]) if (blank(v) !== undefined && !nodes.includes(v!.trim())) throw new RangeError(`no stage or outcome '${v}'`);
  if (blank(q.node)) return { node: q.node!.trim() };
  if (blank(q.from) && blank(q.to)) return { from: q.from!.trim(), to: q.to!.trim() };
  return undefined;
}

interface DispQuery { period?: string; dimension?: string; stage?: string }

interface ForecastQuery { jumpOff?: string; horizon?: string; entries13?: string; shiftIfa?: string }

export async function forecastOptions(ctx: AppContext, q: ForecastQuery) {
  const jumpOff = blank(q.jumpOff) ?? await lastWholeMonth(ctx);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(jumpOff)) throw new RangeError('Enter the jump-off month as YYYY-MM, for example 2025-03');
  const horizon = blank(q.horizon) === undefined ? 24 : Number(q.horizon);
  if (![12, 24, 36].includes(horizon)) throw new RangeError('Choose a horizon of 12, 24 or 36 months');
  const scenarios: Scenario[] = [];
  const entries = percentOf(q.entries13, 'The change in entries aged 13 and over', -100, 100);
  if (entries !== undefined && entries !== 0) scenarios.push({ kind: 'entries', ageBands: ['13 to 15', '16 and over'], change: entries / 100 });
  const shift = percentOf(q.shiftIfa, 'The share of new IFA placements made in-house', 0, 100);
  if (shift !== undefined && shift !== 0) scenarios.push({ kind: 'shift', from: 'Independent fostering agency', to: 'In-house fostering', share: shift / 100 });
  const unitCosts = existsSync(UNIT_COSTS_PATH) ? JSON.parse(readFileSync(UNIT_COSTS_PATH, 'utf8')) as Record<string, number> : undefined;
  return { jumpOff, horizon, scenarios, unitCosts, fitMonths: 24, simulations: 1000, seed: 20250331 };
}

const csvName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');

export async function analysesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const teams = () => ctx.cached('analyses:teams', async () =>
    (await ctx.store.query<{ name: string }>('SELECT DISTINCT name FROM main.teams WHERE name IS NOT NULL ORDER BY name')).map((t) => t.name));
  const options = (values: readonly string[], selected: string | undefined, all: string) =>
    [{ value: '', text: all }, ...values.map((v) => ({ value: v, text: v, selected: v === selected }))];

  app.get('/analyses', { config: { access: 'staff' } }, async (_req, reply) => ctx.render(reply, 'analyses.njk', {
    title: 'Analyses',
    driftRules: DRIFT_RULES.map(({ id, title }) => ({ id, title })),
  }));

  // ---- journeys --------------------------------------------------------------------------------------
  const journeyData = (o: JourneyOptions) => ctx.cached(`analyses:journeys|${JSON.stringify(o)}`, () => journeys(ctx.store, o));

  app.get<{ Querystring: JourneyQuery }>('/api/analyses/journeys', { config: { access: 'staff' } }, async (req) => journeyData(await journeyOptions(ctx, req.query)));

  app.get<{ Querystring: JourneyQuery }>('/analyses/journeys.csv', { config: { access: 'staff' } }, async (req, reply) => {
    const j = await journeyData(await journeyOptions(ctx, req.query));
    return sendCsv(reply, `journeys-${csvName(j.period)}.csv`, [
      ['from', 'to', 'children', 'percent of from'], ...j.links.map((l) => [l.from, l.to, l.children, Number(l.percentOfFrom.toFixed(1))]),
    ]);
  });

  app.get<{ Querystring: JourneyQuery }>('/analyses/journeys', { config: { access: 'staff' } }, async (req, reply) => {
    const o = await journeyOptions(ctx, req.query);
    const j = await journeyData(o);
    const keep = new URLSearchParams(Object.entries({ period: o.period.label, team: o.team, ageBand: o.ageBand, ethnicity: o.ethnicity })
      .filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return ctx.render(reply, 'analysis-journeys.njk', {
      title: `Journeys from the front door, ${j.period}`, j, keep,
      chart: j.cohort > 0 ? await ctx.cached(`analyses:journeys-chart|${JSON.stringify(o)}`, () => journeyStagesChart(j)) : null,
      values: { period: req.query.period ?? '' },
      teamOptions: options(await teams(), o.team, 'All teams'),
      ageOptions: options(['Under 1', '1 to 4', '5 to 9', '10 to 15', '16 and over'], o.ageBand, 'All ages'),
      ethnicityOptions: options(['White', 'Mixed', 'Asian or Asian British', 'Black or Black British', 'Other ethnic group'], o.ethnicity, 'All ethnic groups'),
    });
  });

  // the children behind a stage, link or the whole cohort: a manager sees their teams' children only
  const journeyRows = async (req: FastifyRequest<{ Querystring: JourneyQuery }>, csv: boolean) => {
    const o = await journeyOptions(ctx, req.query);
    const sel = selectionOf(req.query);
    const rows = (await journeyChildren(ctx.store, o, sel)).filter((r) => teamAllowed(req, r.team));
    await ctx.audit(req, { action: csv ? 'export.children_csv' : 'view.children', target: 'analyses.journeys', detail: { period: o.period.label, selection: sel ?? null, rows: rows.length } });
    return { o, sel, rows };
  };
  app.get<{ Querystring: JourneyQuery }>('/api/analyses/journeys/children', { config: { access: 'child' } }, async (req) => {
    const { o, sel, rows } = await journeyRows(req, false);
    return { period: o.period.label, selection: sel ?? null, rows };
  });
  app.get<{ Querystring: JourneyQuery }>('/analyses/journeys/children.csv', { config: { access: 'child' } }, async (req, reply) => {
    const { o, rows } = await journeyRows(req, true);
    const cols = ['child_id', 'contact_date', 'team', 'age_band', 'ethnicity', 'referral_date', 'assessment_date', 's47_date', 'icpc_date', 'cin_plan_date', 'cp_plan_date', 'looked_after_date', 'journey', 'outcome'] as const;
    return sendCsv(reply, `journey-children-${csvName(o.period.label)}.csv`, [[...cols], ...rows.map((r) => cols.map((c) => r[c] ?? ''))]);
  });
  app.get<{ Querystring: JourneyQuery }>('/analyses/journeys/children', { config: { access: 'child' } }, async (req, reply) => {
    const { o, sel, rows } = await journeyRows(req, false);
    const what = !sel ? 'every child of the cohort' : 'node' in sel ? `children reaching “${sel.node}”` : 'from' in sel ? `children going from “${sel.from}” to “${sel.to}”` : 'one journey';
    return ctx.render(reply, 'analysis-journey-children.njk', {
      title: `Journeys from the front door, ${o.period.label}: ${what}`, rows, what, csvHref: `/analyses/journeys/children.csv?${new URLSearchParams(req.query as Record<string, string>).toString()}`,
    });
  });

  // ---- disproportionality ----------------------------------------------------------------------------
  // the default: the 12 months to the last whole month of data
  const dispQuery = async (q: DispQuery): Promise<DispQuery & { p: Period }> => {
    const asked = blank(q.period);
    return { ...q, p: asked ? periodOf(asked, () => parsePeriod(asked)) : parsePeriod(`${await lastWholeMonth(ctx)} R12`) };
  };
  const dispData = (q: { p: Period }) => ctx.cached(`analyses:disp|${q.p.label}`, () => disproportionality(ctx.store, q.p));
  const dimensionOf = (q: DispQuery): Dimension | undefined => {
    const d = blank(q.dimension);
    if (d !== undefined && !DIMENSIONS.includes(d as Dimension)) throw new RangeError(`Choose a characteristic: ${DIMENSIONS.join(', ')}`);
    return d as Dimension | undefined;
  };

  app.get<{ Querystring: DispQuery }>('/api/analyses/disproportionality', { config: { access: 'staff' } }, async (req) => {
    const q = await dispQuery(req.query);
    const d = await dispData(q);
    const dim = dimensionOf(q);
    return { ...d, rows: d.rows.filter((r) => !dim || r.dimension === dim) };
  });
  app.get<{ Querystring: DispQuery }>('/analyses/disproportionality.csv', { config: { access: 'staff' } }, async (req, reply) => {
    const d = await dispData(await dispQuery(req.query));
    return sendCsv(reply, `disproportionality-${csvName(d.period)}.csv`, [
      ['stage', 'dimension', 'group', 'children', 'stage children', 'population', 'rate per 10,000', 'rate ratio', 'lower 95%', 'upper 95%', 'flag'],
      ...d.rows.map((r) => [r.stage, r.dimension, r.group, r.children, r.stageChildren, r.population, r.ratePer10k, r.ratio ?? '', r.lower ?? '', r.upper ?? '', r.flag]),
    ]);
  });
  app.get<{ Querystring: DispQuery }>('/analyses/disproportionality', { config: { access: 'staff' } }, async (req, reply) => {
    const q = await dispQuery(req.query);
    const d = await dispData(q);
    const dim = dimensionOf(q) ?? 'ethnicity';
    const stages = [...new Set(d.rows.map((r) => r.stage))];
    const stage = blank(q.stage) ?? (stages.includes('Looked after') ? 'Looked after' : stages[0]);
    const chartRows = d.rows.filter((r) => r.dimension === dim && r.stage === stage);
    return ctx.render(reply, 'analysis-disproportionality.njk', {
      title: `Disproportionality, ${d.period}`, d, dim, stage,
      rows: d.rows.filter((r) => r.dimension === dim),
      chart: chartRows.some((r) => r.ratio !== null) ? await ctx.cached(`analyses:disp-chart|${d.period}|${dim}|${stage}`, () => ratioChart(chartRows, `${stage}: rate ratio by ${dim.replace('_', ' ')}, 95% interval`)) : null,
      values: { period: req.query.period ?? '' },
      dimensionOptions: DIMENSIONS.map((x) => ({ value: x, text: x.replace('_', ' '), selected: x === dim })),
      stageOptions: stages.map((x) => ({ value: x, text: x, selected: x === stage })),
      csvHref: `/analyses/disproportionality.csv?period=${encodeURIComponent(d.period)}`,
    });
  });

  // ---- drift (child level) ---------------------------------------------------------------------------
  interface DriftQuery { at?: string; rule?: string; team?: string }
  const driftRows = async (req: FastifyRequest<{ Querystring: DriftQuery }>, csv: boolean) => {
    const at = blank(req.query.at) ?? await dataEnd(ctx);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(at)) throw new RangeError('Enter the date as YYYY-MM-DD, for example 2025-03-31');
    const rule = blank(req.query.rule);
    if (rule !== undefined && !DRIFT_RULES.some((r) => r.id === rule)) throw new RangeError('Choose a drift rule from the list');
    const team = blank(req.query.team);
    const all = await ctx.cached(`analyses:drift|${at}|${rule ?? ''}|${team ?? ''}`, () => drift(ctx.store, { asAt: at, rules: rule ? [rule] : undefined, team }));
    const rows = all.filter((r) => teamAllowed(req, r.team));
    await ctx.audit(req, { action: csv ? 'export.children_csv' : 'view.children', target: 'analyses.drift', detail: { at, rule: rule ?? null, team: team ?? null, rows: rows.length } });
    return { at, rule, team, rows };
  };
  app.get<{ Querystring: DriftQuery }>('/api/analyses/drift', { config: { access: 'child' } }, async (req) => {
    const { at, rule, team, rows } = await driftRows(req, false);
    return { at, rule: rule ?? null, team: team ?? null, rules: DRIFT_RULES.map(({ id, title, description }) => ({ id, title, description })), rows };
  });
  app.get<{ Querystring: DriftQuery }>('/analyses/drift.csv', { config: { access: 'child' } }, async (req, reply) => {
    const { at, rows } = await driftRows(req, true);
    const cols = ['rule', 'child_id', 'team', 'worker', 'started', 'last_progress', 'drift_since', 'days_drifting', 'detail'] as const;
    return sendCsv(reply, `drift-${at}.csv`, [[...cols], ...rows.map((r) => cols.map((c) => r[c] ?? ''))]);
  });
  app.get<{ Querystring: DriftQuery }>('/analyses/drift', { config: { access: 'child' } }, async (req, reply) => {
    const { at, rule, team, rows } = await driftRows(req, false);
    return ctx.render(reply, 'analysis-drift.njk', {
      title: `Drift as at ${at}`, at, rows,
      rules: DRIFT_RULES.map((r) => ({ id: r.id, title: r.title, description: r.description, count: rows.filter((x) => x.rule === r.id).length })),
      values: { at: req.query.at ?? '' },
      ruleOptions: options(DRIFT_RULES.map((r) => r.id), rule, 'Every rule').map((o) => ({ ...o, text: DRIFT_RULES.find((r) => r.id === o.value)?.title ?? o.text })),
      teamOptions: options(await teams(), team, 'All teams'),
      csvHref: `/analyses/drift.csv?${new URLSearchParams(Object.entries({ at, rule, team }).filter((e): e is [string, string] => e[1] !== undefined)).toString()}`,
    });
  });

  // ---- placement distance ----------------------------------------------------------------------------
  interface DistanceQuery { month?: string }
  const distanceData = async (q: DistanceQuery) => {
    const m = month(blank(q.month) ?? await lastWholeMonth(ctx));
    return ctx.cached(`analyses:distance|${m.label}`, () => placementDistance(ctx.store, m, { trend: previousMonths(m, 13) }));
  };
  const distanceJson = (d: Awaited<ReturnType<typeof placementDistance>>) => ({
    period: d.period, authorityCodes: d.authorityCodes,
    figures: d.figures.map((f) => ({ id: f.indicator.id, title: f.indicator.title, definition: f.indicator.definition, figure: f.figure, judgement: f.judgement, trend: f.trend })),
    notMeasured: d.children.filter((c) => c.not_known !== null).length, children: d.children.length,
  });
  app.get<{ Querystring: DistanceQuery }>('/api/analyses/distance', { config: { access: 'staff' } }, async (req) => distanceJson(await distanceData(req.query)));
  app.get<{ Querystring: DistanceQuery }>('/analyses/distance', { config: { access: 'staff' } }, async (req, reply) => {
    const d = await distanceData(req.query);
    return ctx.render(reply, 'analysis-distance.njk', {
      title: `Placement distance, ${d.period}`, d: distanceJson(d),
      figures: d.figures.map((f) => ({ ...f, shown: formatValue(f.indicator, f.figure.value), trend: f.trend.map((t) => ({ period: t.period, shown: formatValue(f.indicator, t.value) })) })),
      values: { month: req.query.month ?? '' }, monthLabel: d.period,
    });
  });
  const distanceChildren = async (req: FastifyRequest<{ Querystring: DistanceQuery }>, csv: boolean) => {
    const d = await distanceData(req.query);
    const rows = d.children.filter((c) => teamAllowed(req, c.team));
    await ctx.audit(req, { action: csv ? 'export.children_csv' : 'view.children', target: 'analyses.distance', detail: { period: d.period, rows: rows.length } });
    return { period: d.period, rows };
  };
  app.get<{ Querystring: DistanceQuery }>('/api/analyses/distance/children', { config: { access: 'child' } }, async (req) => distanceChildren(req, false));
  app.get<{ Querystring: DistanceQuery }>('/analyses/distance/children.csv', { config: { access: 'child' } }, async (req, reply) => {
    const { period, rows } = await distanceChildren(req, true);
    const cols = ['child_id', 'team', 'worker', 'placement_group', 'home_postcode', 'placement_postcode', 'placement_la', 'distance_miles', 'inside', 'not_known'] as const;
    return sendCsv(reply, `placement-distance-${period}.csv`, [[...cols], ...rows.map((r) => cols.map((c) => r[c] ?? ''))]);
  });
  app.get<{ Querystring: DistanceQuery }>('/analyses/distance/children', { config: { access: 'child' } }, async (req, reply) => {
    const { period, rows } = await distanceChildren(req, false);
    return ctx.render(reply, 'analysis-distance-children.njk', { title: `Placement distance, ${period}: the children`, period, rows, csvHref: `/analyses/distance/children.csv?month=${period}` });
  });

  // ---- forecast --------------------------------------------------------------------------------------
  const forecastData = async (q: ForecastQuery) => {
    const o = await forecastOptions(ctx, q);
    return ctx.cached(`analyses:forecast|${JSON.stringify(o)}`, () => forecast(ctx.store, o));
  };
  app.get<{ Querystring: ForecastQuery }>('/api/analyses/forecast', { config: { access: 'staff' } }, async (req) => forecastData(req.query));
  app.get<{ Querystring: ForecastQuery }>('/analyses/forecast.csv', { config: { access: 'staff' } }, async (req, reply) => {
    const f = await forecastData(req.query);
    return sendCsv(reply, `forecast-${f.jumpOff}.csv`, [
      ['month', 'projected', 'lower 95%', 'upper 95%', ...FORECAST_AGE_BANDS, 'cost £'],
      ...f.months.map((m) => [m.month, Number(m.total.mean.toFixed(1)), m.total.lower, m.total.upper,
        ...FORECAST_AGE_BANDS.map((b) => Number((m.byAgeBand[b]?.mean ?? 0).toFixed(1))), m.cost ? Math.round(m.cost.mean) : '']),
    ]);
  });
  app.get<{ Querystring: ForecastQuery }>('/analyses/forecast', { config: { access: 'staff' } }, async (req, reply) => {
    const f = await forecastData(req.query);
    const placements = [...new Set(f.months.flatMap((m) => Object.keys(m.byPlacement)))].sort();
    return ctx.render(reply, 'analysis-forecast.njk', {
      title: `Forecast of children looked after from ${f.jumpOff}`, f, placements,
      chart: await ctx.cached(`analyses:forecast-chart|${JSON.stringify(req.query)}`, () => forecastChart(f)),
      values: { jumpOff: req.query.jumpOff ?? '', entries13: req.query.entries13 ?? '', shiftIfa: req.query.shiftIfa ?? '' },
      horizonOptions: [12, 24, 36].map((h) => ({ value: String(h), text: `${h} months`, selected: h === f.horizon })),
      csvHref: `/analyses/forecast.csv?${new URLSearchParams(req.query as Record<string, string>).toString()}`,
    });
  });
}
