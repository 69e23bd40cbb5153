// The scorecard page and its JSON twin: every indicator for a month with target, RAG, SPC and trend.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.ts';
import { judgedScorecard, type JudgedLine } from '../../judge/scorecard.ts';
import { Targets, setTarget } from '../../judge/targets.ts';
import { INDICATORS } from '../../indicators/index.ts';
import { yearLabel } from '../../judge/benchmarks.ts';
import { reportingYearOf } from '../../periods.ts';
import { judgedScorecardJson, spcWords } from '../../scorecardText.ts';
import { THEMES } from '../../indicators/types.ts';
import { formatValue } from '../../engine.ts';
import { sparklineSvg } from '../charts.ts';
import { monthName } from '../views.ts';
import { addMonths } from '../../calendar.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExcelScorecard } from '../../report/excel.ts';
import { committeeReportHtml, readReportConfig } from '../../report/committee.ts';
import { htmlToPdf } from '../../report/pdf.ts';
import { publicFigures } from '../../report/public.ts';
import { MEASURES } from '../../indicators/aggregates.ts';
import { enterMeasure, listMeasureValues, MeasureError } from '../../measures.ts';
import { anySuppressed, type Shown } from '../../report/public.ts';
import { actorOf } from '../auth.ts';
import type { FastifyRequest } from 'fastify';

/** The signed-in user's name, for who set or entered something. */
function userName(req: FastifyRequest): string {
  return req.user?.username ?? 'unknown';
}

/** Viewers see aggregates with counts of 1 to 5 suppressed (and whatever would reveal them), as the public version. */
const isViewer = (req: FastifyRequest) => req.user?.role === 'viewer';

interface Query { month?: string; team?: string }

/** The months the data cover (oldest first) and the teams, for the pickers. */
export async function pickers(ctx: AppContext): Promise<{ months: string[]; teams: string[] }> {
  return ctx.cached('pickers', async () => {
    const range = await ctx.store.dataRange();
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
  const shownFor = (month: string, team: string | undefined) => ctx.cached(`scorecard-public|${month}|${team ?? ''}`, async () =>
    publicFigures((await scorecardFor(ctx, month, team)).lines));

  app.get<{ Querystring: Query }>('/api/scorecard', { config: { access: 'signed-in' } }, async (req) => {
    const month = await monthOf(ctx, req.query.month);
    const team = req.query.team || undefined;
    const judged = await scorecardFor(ctx, month, team);
    // The suppressed figures are the same for every viewer: computed once per data version, not per request.
    if (isViewer(req)) return ctx.cached(`scorecard-api-public|${month}|${team ?? ''}`, async () => {
      const shown = await shownFor(month, team);
      return { month, team: judged.team ?? null, suppressed: true, indicators: await Promise.all(judged.lines.map(async (l) => {
        const r = await row(l, month, shown);
        return { id: r.id, title: r.title, month: r.month, ytd: r.ytd, rolling12: r.r12, target: r.target, rag: r.rag, england: r.england };
      })) };
    });
    return { month, team: judged.team, indicators: judgedScorecardJson(judged.lines) };
  });

  app.get<{ Querystring: Query }>('/scorecard', { config: { access: 'signed-in' } }, async (req, reply) => {
    const month = await monthOf(ctx, req.query.month);
    const team = req.query.team || undefined;
    const { months, teams } = await pickers(ctx);
    const viewer = isViewer(req);
    const page = await ctx.cached(`scorecard-page|${month}|${team ?? ''}|${viewer ? 'suppressed' : 'full'}`, async () => {
      const judged = await scorecardFor(ctx, month, team);
      const shown = viewer ? await shownFor(month, team) : undefined;
      const sections = await Promise.all(Object.entries(THEMES).map(async ([theme, heading]) => ({
        theme, heading,
        rows: await Promise.all(judged.lines.filter((l) => l.indicator.theme === theme).map((l) => row(l, month, shown))),
      })));
      return sections.filter((s) => s.rows.length > 0);
    });
    return ctx.render(reply, 'scorecard.njk', {
      title: `Scorecard, ${monthName(month)}${team ? `, ${team}` : ''}`,
      month, team, sections: page, viewer, internalReports: req.user?.role === 'analyst' || req.user?.role === 'admin',
      monthOptions: months.slice().reverse().map((m) => ({ value: m, text: monthName(m), selected: m === month })),
      teamOptions: [{ value: '', text: 'All teams' }, ...teams.map((t) => ({ value: t, text: t, selected: t === team }))],
    });
  });
}

/**
 * One scorecard row. With `shown` (a viewer's page), every figure is the public one: 'c' where suppressed,
 * and a line with any suppressed figure loses its RAG, benchmark sentence, SPC words and sparkline, which
 * would let a hidden figure be worked out; no row links to the indicator page (child-level detail).
 */
async function row(l: JudgedLine, month: string, shown?: Shown) {
  const ind = l.indicator;
  const last13 = l.trend.slice(-13);
  const first = last13.find((f) => f.value !== null);
  const hidden = shown !== undefined && anySuppressed(shown, ind.id);
  const fig = (key: string, value: number | null | undefined) => {
    const v = shown?.get(`${ind.id}|${key}`);
    if (v === 'c') return 'c';
    return value === undefined ? '' : formatValue(ind, value);
  };
  return {
    id: ind.id,
    title: ind.title,
    href: shown ? null : `/indicator/${ind.id}?month=${month}`,
    month: fig('month', l.month.value),
    ytd: l.ytd ? fig('ytd', l.ytd.value) : '',
    r12: l.rolling12 ? fig('rolling12', l.rolling12.value) : '',
    target: l.target ? formatValue(ind, l.target.target) : '',
    rag: hidden ? null : l.judgement.rag,
    ragRule: hidden ? 'not shown: a figure behind it is suppressed' : l.judgement.rule,
    england: l.benchmark?.england ? formatValue(ind, l.benchmark.england.value) : '',
    benchmark: hidden ? '' : l.benchmark?.sentence ?? '',
    spc: hidden ? 'not shown (suppressed figures)' : spcWords(l.spc),
    sparkline: hidden ? '' : await sparklineSvg(last13),
    trendText: hidden ? 'Trend not shown: some months are suppressed'
      : first ? `From ${formatValue(ind, first.value)} in ${monthName(first.period)} to ${formatValue(ind, l.month.value)} in ${monthName(month)}` : 'No trend',
  };
}

/** Targets: every indicator with a polarity, its target and amber band this year; analysts change them here. */
export async function targetRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rowsFor = async (year: number) => {
    const targets = await Targets.load(ctx.store, ctx.targetsPath);
    return INDICATORS.filter((i) => i.polarity !== 'neither').map((i) => {
      const t = targets.for(i.id, year);
      return {
        id: i.id, title: i.title, unit: i.unit, polarity: i.polarity,
        target: t?.target ?? null, amber: t?.amber ?? null, amberKind: t?.amberKind ?? null,
        setBy: t?.setBy ?? null, forYear: t ? (t.year === null ? 'every year' : yearLabel(t.year)) : null,
      };
    });
  };
  const yearOf = (text: string | undefined): number => {
    if (!text) return Number(reportingYearOf(new Date().toISOString().slice(0, 10)).start.slice(0, 4));
    const m = /^(\d{4})-(\d{2})$/.exec(text);
    if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) throw new RangeError(`'${text}' is not a reporting year: use for example 2024-25`);
    return Number(m[1]);
  };

  app.get<{ Querystring: { year?: string } }>('/api/targets', { config: { access: 'staff' } }, async (req) => {
    const year = yearOf(req.query.year);
    return { year: yearLabel(year), targets: await rowsFor(year) };
  });

  app.post<{ Body: Record<string, string> }>('/api/targets', { config: { access: 'analyst' } }, async (req, reply) => {
    const b = req.body ?? {};
    const errors = targetErrors(b);
    if (errors.length) return reply.code(400).send({ error: errors.map((e) => e.text).join('; '), errors });
    await setTarget(ctx.store, {
      indicator: b.indicator, year: yearOf(b.year), target: Number(b.target), amber: Number(b.amber),
      amberKind: (b.amberKind === 'percent' ? 'percent' : 'points'), setBy: userName(req),
    }, { actor: actorOf(req) });
    return { ok: true };
  });

  app.get<{ Querystring: { year?: string } }>('/targets', { config: { access: 'staff' } }, async (req, reply) => {
    const year = yearOf(req.query.year);
    return ctx.render(reply, 'targets.njk', { title: `Targets for ${yearLabel(year)}`, year: yearLabel(year), rows: await rowsFor(year), canSet: req.user?.role === 'analyst' || req.user?.role === 'admin' });
  });

  app.post<{ Body: Record<string, string> }>('/targets', { config: { access: 'analyst' } }, async (req, reply) => {
    const b = req.body ?? {};
    const errors = targetErrors(b);
    const year = yearOf(b.year);
    if (errors.length) {
      reply.code(400);
      return ctx.render(reply, 'targets.njk', { title: `Targets for ${yearLabel(year)}`, year: yearLabel(year), rows: await rowsFor(year), errors, values: b, canSet: true });
    }
    await setTarget(ctx.store, {
      indicator: b.indicator, year, target: Number(b.target), amber: Number(b.amber),
      amberKind: b.amberKind === 'percent' ? 'percent' : 'points', setBy: userName(req),
    }, { actor: actorOf(req) });
    return reply.redirect(`/targets?year=${yearLabel(year)}&saved=${encodeURIComponent(b.indicator)}`, 303);
  });
}

/** Form errors, each naming its field, in the GOV.UK error summary's shape. */
function targetErrors(b: Record<string, string>): { text: string; href: string }[] {
  const errors: { text: string; href: string }[] = [];
  const ind = INDICATORS.find((i) => i.id === b.indicator);
  if (!ind) errors.push({ text: 'Choose an indicator', href: '#indicator' });
  else if (ind.polarity === 'neither') errors.push({ text: `${ind.title} has no polarity, so it takes no target`, href: '#indicator' });
  const target = Number(b.target);
  if (b.target === undefined || b.target.trim() === '' || !Number.isFinite(target)) errors.push({ text: 'Enter the target as a number', href: '#target' });
  else if (target < 0 || (ind?.unit === 'percent' && target > 100)) errors.push({ text: ind?.unit === 'percent' ? 'Enter a percentage between 0 and 100' : 'The target cannot be negative', href: '#target' });
  const amber = Number(b.amber);
  if (b.amber === undefined || b.amber.trim() === '' || !Number.isFinite(amber) || amber < 0) errors.push({ text: 'Enter the amber band as a number, 0 or more', href: '#amber' });
  return errors;
}

/** The month's reports as downloads: Excel scorecard, committee report as HTML or PDF, each also public. */
export async function reportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Viewers always get the public version; the internal workbook (every child behind every figure) is for
  // analysts and admins only, and writes an audit row.
  app.get<{ Params: { format: string }; Querystring: Query & { public?: string; internal?: string } }>('/reports/:format', { config: { access: 'signed-in' } }, async (req, reply) => {
    const format = req.params.format;
    if (!['xlsx', 'html', 'pdf'].includes(format)) return reply.callNotFound();
    const internal = req.query.internal === '1' && req.query.public !== '1';
    const isPublic = !internal && (req.query.public === '1' || isViewer(req));
    if (internal && !(req.user?.role === 'analyst' || req.user?.role === 'admin')) {
      throw Object.assign(new Error('The internal workbook lists every child behind every figure: it is for analysts only.'), { statusCode: 403 });
    }
    if (internal && format !== 'xlsx') return reply.callNotFound();
    const month = await monthOf(ctx, req.query.month);
    const team = req.query.team || undefined;
    const judged = await scorecardFor(ctx, month, team);
    const config = readReportConfig();
    const shown = isPublic ? publicFigures(judged.lines) : undefined;
    const name = `${format === 'xlsx' ? 'scorecard' : 'committee-report'}-${month}${team ? `-${team.replace(/[^A-Za-z0-9]+/g, '-')}` : ''}${isPublic ? '-public' : internal ? '-internal' : ''}.${format}`;
    const dir = mkdtempSync(join(tmpdir(), 'csc-report-'));
    try {
      const path = join(dir, name);
      if (format === 'xlsx') await writeExcelScorecard(path, judged, ctx.engine, { authority: config.authority, shown, internal });
      else {
        const html = await committeeReportHtml(ctx.store, judged, { config, public: isPublic, shown });
        if (format === 'html') writeFileSync(path, html);
        else await htmlToPdf(html, path, { footer: `${config.authority}: children's social care performance, ${monthName(month)}` });
      }
      if (internal) await ctx.audit(req, { action: 'export.xlsx_internal', target: month, detail: { month, team: team ?? null } });
      const body = readFileSync(path);
      const type = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html: 'text/html; charset=utf-8', pdf: 'application/pdf' }[format]!;
      return reply.type(type).header('content-disposition', `attachment; filename="${name}"`).send(body);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Aggregate measures through the API: list them with their monthly figures; enter a month's figure. */
export async function measureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Querystring: { id?: string } }>('/api/measures', { config: { access: 'staff' } }, async (req) => ({
    measures: MEASURES.map((m) => ({ id: m.id, title: m.title, unit: m.unit, combine: m.combine, polarity: m.polarity })),
    values: await listMeasureValues(ctx.store, req.query.id || undefined, { currentOnly: true }),
  }));
  app.post<{ Body: Record<string, unknown> }>('/api/measures', { config: { access: 'analyst' } }, async (req, reply) => {
    const b = req.body ?? {};
    const num = (k: string) => (b[k] === undefined || b[k] === null || b[k] === '' ? undefined : Number(b[k]));
    try {
      const value = await enterMeasure(ctx.store, {
        measureId: String(b.measureId ?? b.measure_id ?? ''), month: String(b.month ?? ''),
        numerator: num('numerator'), denominator: num('denominator'), value: num('value'),
        source: b.source === undefined ? null : String(b.source), user: userName(req),
      }, MEASURES, { actor: actorOf(req) });
      return reply.code(201).send(value);
    } catch (err) {
      if (err instanceof MeasureError) return reply.code(400).send({ error: err.message, field: err.field, rule: err.rule });
      throw err;
    }
  });
}
