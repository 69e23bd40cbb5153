// The indicator page and its JSON twin: one indicator's definition and source, the month's figure, year to
// date and rolling 12 months with numerator and denominator, target and RAG with the rule that produced it,
// benchmarks, the generated narrative, the SPC chart over 24 months (with the same numbers in a table), a
// breakdown, the analyst's commentary (every version kept), and the children behind the figure with the
// dates that decided them, a CSV download of the same rows, and the exception reasons managers record
// against the rows behind a shortfall.
//
// Child ids are personal data: none reaches the application log (nothing here logs, and child ids travel
// in POST bodies, never in URLs the server is asked for).
import { readFileSync, statSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app.ts';
import { actorOf, teamAllowed, teamScope } from '../auth.ts';
import { addCommentary, recordExceptionReason } from '../../commentary.ts';
import { INDICATORS } from '../../indicators/index.ts';
import { BREAKDOWNS, THEMES, type Breakdown, type Indicator } from '../../indicators/types.ts';
import { formatValue, type ChildRow, type Figure } from '../../engine.ts';
import { parsePeriod, yearToDate, rolling12, reportingYearOf, month as monthPeriod, type Period } from '../../periods.ts';
import { judgedScorecard, type JudgedLine } from '../../judge/scorecard.ts';
import { Targets } from '../../judge/targets.ts';
import type { SpcResult, SpcRule } from '../../judge/spc.ts';
import { yearLabel } from '../../judge/benchmarks.ts';
import { csv, judgedScorecardJson, spcWords } from '../../scorecardText.ts';
import { spcChart } from '../charts.ts';
import { dateUk, monthName } from '../views.ts';
import { pickers } from './scorecard.ts';

// ---------------------------------------------------------------------------------------------
// Exception reasons: the configurable list

export interface ExceptionReason { readonly code: string; readonly label: string }

const ReasonsFile = z.object({
  reasons: z.array(z.object({
    code: z.string().regex(/^[a-z0-9_]{1,40}$/, 'a code is 1 to 40 lower-case letters, digits or _'),
    label: z.string().trim().min(1, 'every reason needs a label'),
  })).min(1, 'list at least one reason'),
}).superRefine((f, c) => {
  const seen = new Set<string>();
  f.reasons.forEach((r, i) => {
    if (seen.has(r.code)) c.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: `code '${r.code}' is listed twice` });
    seen.add(r.code);
  });
});

/** Where the reasons are read from: config/exception-reasons.json, or CSC_EXCEPTION_REASONS. */
export function exceptionReasonsPath(): string {
  return process.env.CSC_EXCEPTION_REASONS || 'config/exception-reasons.json';
}

const reasonsCache = new Map<string, { mtime: number; reasons: readonly ExceptionReason[] }>();

/**
 * The exception reasons of the file (re-read when it changes). A missing, unreadable or malformed file
 * throws an Error naming the file, the entry and what is wrong.
 */
export function readExceptionReasons(path = exceptionReasonsPath()): readonly ExceptionReason[] {
  let mtime: number;
  try {
    mtime = statSync(path).mtimeMs;
  } catch {
    throw new Error(`${path}: the exception reasons file is missing`);
  }
  const hit = reasonsCache.get(path);
  if (hit && hit.mtime === mtime) return hit.reasons;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ReasonsFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'the file'}: ${i.message}`);
    throw new Error(`${path} is not a valid list of exception reasons: ${issues.join('; ')}`);
  }
  const reasons = parsed.data.reasons.map((r) => ({ code: r.code, label: r.label.trim() }));
  reasonsCache.set(path, { mtime, reasons });
  return reasons;
}

/** The reasons, or the error that stops managers recording them (shown on the page). */
function reasonsOrError(): { reasons: readonly ExceptionReason[]; error: string | null } {
  try {
    return { reasons: readExceptionReasons(), error: null };
  } catch (e) {
    return { reasons: [], error: (e as Error).message };
  }
}

/**
 * Which rows are behind a late or failing figure: for a percentage where higher is better, the rows in the
 * denominator and not the numerator; where lower is better, and for counts where lower is better, the rows
 * in the numerator. Other indicators (no polarity, averages, rates, counts where higher is better) have none.
 */
export type ExceptionRule = 'not-in-numerator' | 'in-numerator';

export function exceptionRule(ind: Indicator): ExceptionRule | null {
  if (ind.unit === 'percent' && ind.polarity === 'higher') return 'not-in-numerator';
  if (ind.unit === 'percent' && ind.polarity === 'lower') return 'in-numerator';
  if (ind.unit === 'count' && ind.polarity === 'lower' && ind.aggregate !== 'max') return 'in-numerator';
  return null;
}

export function isException(rule: ExceptionRule | null, row: ChildRow): boolean {
  if (!rule || row.child_id === null) return false;
  return rule === 'in-numerator' ? row.in_numerator : row.in_denominator && !row.in_numerator;
}

function exceptionRuleWords(ind: Indicator, rule: ExceptionRule | null): string {
  if (rule === 'not-in-numerator') return `${ind.denominatorLabel ?? 'rows'} not counted as ${ind.numeratorLabel}`;
  if (rule === 'in-numerator') return ind.numeratorLabel;
  return '';
}

/** The record a reason is about: the row's deciding date ('' when it has none). */
function recordOf(row: ChildRow): string {
  return row.at_date ?? '';
}

interface LatestReason { code: string; label: string; note: string | null; recordedBy: string; recordedAt: string; period: string | null }

async function latestReasons(ctx: AppContext, ind: Indicator, reasons: readonly ExceptionReason[]): Promise<Map<string, LatestReason>> {
  const rows = await ctx.store.query<{ child_id: string; record: string; code: string; note: string | null; recorded_by: string; recorded_at: string; period: string | null }>(
    `SELECT child_id, record, code, note, recorded_by, CAST(recorded_at AS VARCHAR) AS recorded_at, period FROM (
       SELECT *, row_number() OVER (PARTITION BY child_id, record ORDER BY recorded_at DESC, seq DESC) AS rn
       FROM (SELECT *, rowid AS seq FROM exception_reasons WHERE indicator_id = ?))
     WHERE rn = 1`, [ind.id]);
  const labels = new Map(reasons.map((r) => [r.code, r.label]));
  return new Map(rows.map((r) => [`${r.child_id}|${r.record}`, {
    code: r.code, label: labels.get(r.code) ?? r.code, note: r.note, recordedBy: r.recorded_by, recordedAt: r.recorded_at, period: r.period,
  }]));
}

/** "2 children: Family moved out of the area; 1 child: Police investigation first; 3 with no reason recorded" */
export function reasonsSentence(byCode: readonly { label: string; count: number }[], noReason: number): string {
  const kids = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'child' : 'children'}`;
  const parts = byCode.map((r) => `${kids(r.count)}: ${r.label}`);
  if (noReason > 0) parts.push(`${noReason.toLocaleString('en-GB')} with no reason recorded`);
  return parts.length ? parts.join('; ') : 'No children are behind a shortfall in this period.';
}

// ---------------------------------------------------------------------------------------------
// The query: month, period, breakdown, team, page, show

interface Query { month?: string; period?: string; breakdown?: string; team?: string; page?: string; show?: string }
interface FieldError { text: string; href: string }

interface Parsed {
  month: string;
  period: Period;
  breakdown: Breakdown | null;
  team: string | undefined;
  page: number;
  show: 'all' | 'exceptions';
  errors: FieldError[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The query checked: each bad field gives an error naming it and falls back to its default. */
async function parseQuery(ctx: AppContext, ind: Indicator, q: Query): Promise<Parsed> {
  const errors: FieldError[] = [];
  const { months, teams } = await pickers(ctx);
  const latest = months[months.length - 1];
  let month: string;
  if (q.month && MONTH.test(q.month)) month = q.month;
  else {
    if (q.month) errors.push({ text: `Enter the month as YYYY-MM, for example 2025-01 ('${q.month}' is not a month)`, href: '#month' });
    if (!latest) throw new RangeError('Nothing has been loaded yet: load the returns on the Data page first.');
    month = latest;
  }
  let period = monthPeriod(month);
  if (q.period && q.period.trim() !== '') {
    try {
      period = parsePeriod(q.period);
    } catch (e) {
      errors.push({ text: `Choose a period: ${(e as Error).message}`, href: '#period' });
    }
  }
  let breakdown: Breakdown | null = null;
  if (q.breakdown) {
    if ((ind.breakdowns as readonly string[]).includes(q.breakdown)) breakdown = q.breakdown as Breakdown;
    else errors.push({
      text: ind.breakdowns.length
        ? `Choose a breakdown from the list: ${ind.title} can be broken down by ${ind.breakdowns.map((b) => BREAKDOWNS[b].toLowerCase()).join(', ')}`
        : `${ind.title} has no breakdowns`,
      href: '#breakdown',
    });
  }
  let team: string | undefined;
  if (q.team) {
    if (teams.includes(q.team)) team = q.team;
    else errors.push({ text: 'Choose a team from the list', href: '#team' });
  }
  const page = /^\d{1,6}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
  const show = q.show === 'exceptions' ? 'exceptions' : 'all';
  return { month, period, breakdown, team, page, show, errors };
}

// ---------------------------------------------------------------------------------------------
// The figures behind the page and the API

/** Rows of the children table on one page. */
export const PAGE_SIZE = 100;

const UNIT_WORDS: Record<Indicator['unit'], string> = {
  count: 'a number', percent: 'a percentage', rate: 'a rate per 10,000 children aged 0 to 17', days: 'an average in days', weeks: 'an average in weeks', average: 'an average',
};
const POLARITY_WORDS: Record<Indicator['polarity'], string> = {
  higher: 'a higher figure is better', lower: 'a lower figure is better', neither: 'neither higher nor lower is better in itself',
};
const CHART_UNIT: Record<Indicator['unit'], string> = {
  count: 'number', percent: '%', rate: 'per 10,000', days: 'days', weeks: 'weeks', average: 'average',
};
const RULE_WORDS: Record<SpcRule, string> = {
  'outside-limits': 'outside the process limits',
  shift: 'in a run on one side of the mean',
  trend: 'in a run rising or falling',
  'two-of-three': '2 of 3 points near a process limit',
};

function isAverage(ind: Indicator): boolean {
  return !['count', 'percent', 'rate'].includes(ind.unit);
}

/**
 * The indicator's line of the judged scorecard: judgedScorecard for this one indicator, which judges every
 * line on its own, so the figures are the scorecard page's (the tests compare them). Not the whole cached
 * scorecard: saving a comment or a reason changes the data version, and recomputing one line takes a
 * fraction of the whole scorecard's time.
 */
async function lineFor(ctx: AppContext, ind: Indicator, month: string, team: string | undefined): Promise<JudgedLine> {
  const judged = await judgedScorecard(ctx.engine, month, await Targets.load(ctx.store, ctx.targetsPath), { team, ids: [ind.id] });
  const line = judged.lines.find((l) => l.indicator.id === ind.id);
  if (!line) throw new Error(`${ind.id} is missing from the scorecard`);
  return line;
}

async function periodFigure(ctx: AppContext, ind: Indicator, period: Period, team: string | undefined): Promise<Figure> {
  return (await ctx.engine.compute(ind, [period], { team }))[0];
}

async function childRows(ctx: AppContext, ind: Indicator, period: Period, team: string | undefined): Promise<ChildRow[]> {
  return ctx.cached(`indicator-rows|${ind.id}|${period.label}|${team ?? ''}`, () => ctx.engine.rows(ind, period, { team }));
}

async function breakdownFigures(ctx: AppContext, ind: Indicator, period: Period, team: string | undefined, by: Breakdown | null): Promise<Figure[] | null> {
  if (!by) return null;
  return ctx.engine.compute(ind, [period], { team, breakdown: by });
}

interface Commentary { text: string; author: string; writtenAt: string }

async function commentaryFor(ctx: AppContext, ind: Indicator, month: string): Promise<Commentary[]> {
  const rows = await ctx.store.query<{ text: string; author: string; written_at: string }>(
    `SELECT text, author, CAST(written_at AS VARCHAR) AS written_at FROM (SELECT *, rowid AS seq FROM commentary WHERE indicator_id = ? AND period = ?)
     ORDER BY written_at DESC, seq DESC`, [ind.id, month]);
  return rows.map((r) => ({ text: r.text, author: r.author, writtenAt: r.written_at }));
}

/** A detail cell as read on the page: dates GOV.UK style, yes/no, numbers with separators. */
function detailText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  const s = String(v);
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(s) ? dateUk(s) : s;
}

/** A period in words: 'January 2025', '1 April 2024 to 31 January 2025 (2025-01 YTD)'. */
export function periodWords(p: Period): string {
  if (p.kind === 'month') return monthName(p.label);
  return `${dateUk(p.start)} to ${dateUk(p.end)} (${p.label})`;
}

interface ChildrenData {
  rule: ExceptionRule | null;
  rows: { row: ChildRow; exception: boolean; reason: LatestReason | null }[];
  reasons: readonly ExceptionReason[];
  reasonsError: string | null;
  summary: { byCode: { code: string; label: string; count: number }[]; noReason: number; exceptions: number; sentence: string };
}

async function childrenData(ctx: AppContext, ind: Indicator, period: Period, team: string | undefined,
  { reasons, error }: { reasons: readonly ExceptionReason[]; error: string | null }): Promise<ChildrenData> {
  const rule = exceptionRule(ind);
  const rows = await childRows(ctx, ind, period, team);
  const latest = rule ? await latestReasons(ctx, ind, reasons) : new Map<string, LatestReason>();
  const all = rows.map((row) => {
    const exception = isException(rule, row);
    return { row, exception, reason: exception ? latest.get(`${row.child_id}|${recordOf(row)}`) ?? null : null };
  });
  // the rows behind a shortfall first (where managers record reasons), each part in the engine's order
  const out = [...all.filter((r) => r.exception), ...all.filter((r) => !r.exception)];
  const counts = new Map<string, { code: string; label: string; count: number }>();
  let noReason = 0, exceptions = 0;
  for (const r of out) {
    if (!r.exception) continue;
    exceptions++;
    if (!r.reason) { noReason++; continue; }
    const c = counts.get(r.reason.code) ?? { code: r.reason.code, label: r.reason.label, count: 0 };
    c.count++;
    counts.set(r.reason.code, c);
  }
  const byCode = [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { rule, rows: out, reasons: rule ? reasons : [], reasonsError: rule ? error : null, summary: { byCode, noReason, exceptions, sentence: reasonsSentence(byCode, noReason) } };
}

interface Bundle {
  line: JudgedLine;
  figure: Figure;
  breakdown: Figure[] | null;
  children: ChildrenData;
  commentary: Commentary[];
}

/**
 * Everything the page, the API and the CSV show for a query, computed once per data version (commentary and
 * exception reasons are part of the data version, so a saved reason or comment shows at once) and per
 * version of the reasons file.
 */
async function bundleFor(ctx: AppContext, ind: Indicator, q: Parsed): Promise<Bundle> {
  const reasons = exceptionRule(ind) ? reasonsOrError() : { reasons: [], error: null };
  const key = ['indicator', ind.id, q.month, q.period.label, q.team ?? '', q.breakdown ?? '', JSON.stringify(reasons)].join('|');
  return ctx.cached(key, async () => {
    const line = await lineFor(ctx, ind, q.month, q.team);
    const [figure, breakdown, children, commentary] = await Promise.all([
      periodFigure(ctx, ind, q.period, q.team), breakdownFigures(ctx, ind, q.period, q.team, q.breakdown),
      childrenData(ctx, ind, q.period, q.team, reasons), commentaryFor(ctx, ind, q.month),
    ]);
    return { line, figure, breakdown, children, commentary };
  });
}

/**
 * The bundle as this user may see it: managers get the children of their own teams only (the figures,
 * breakdowns and the reasons summary stay whole: they are aggregates). `hiddenRows` says how many were left out.
 */
function scoped(req: FastifyRequest, b: Bundle): Bundle & { hiddenRows: number } {
  if (teamScope(req) === null) return { ...b, hiddenRows: 0 };
  const rows = b.children.rows.filter((r) => teamAllowed(req, r.row.team));
  return { ...b, children: { ...b.children, rows }, hiddenRows: b.children.rows.length - rows.length };
}

function spcJson(s: SpcResult) {
  return s.status === 'ok'
    ? { variation: s.variation.icon, variationReason: s.variation.reason, assurance: s.assurance?.icon ?? null,
        assuranceReason: s.assurance?.reason ?? null, mean: s.limits.mean, lower: s.limits.lowerProcessLimit, upper: s.limits.upperProcessLimit,
        signals: s.signals.map((g) => ({ rule: g.rule, cause: g.cause, reason: g.reason })) }
    : { variation: null, reason: s.reason };
}

function childRowJson(ind: Indicator, r: ChildrenData['rows'][number]) {
  const details: Record<string, unknown> = {};
  for (const d of ind.details) details[d.label] = r.row[d.name] ?? null;
  return {
    child_id: r.row.child_id, at_date: r.row.at_date, in_numerator: r.row.in_numerator, in_denominator: r.row.in_denominator,
    value: r.row.value, team: r.row.team, worker: r.row.worker, details, exception: r.exception,
    reason: r.reason && { code: r.reason.code, label: r.reason.label, note: r.reason.note, recordedBy: r.reason.recordedBy, recordedAt: r.reason.recordedAt },
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The signed-in user: who wrote a commentary or recorded a reason. */
export function userOf(req: FastifyRequest): string {
  return req.user?.username ?? 'unknown';
}

function findOr404(id: string): Indicator | null {
  return INDICATORS.find((i) => i.id === id) ?? null;
}

/** Query string for links back to the page with the same choices. */
function pageQuery(p: { month: string; period?: string; team?: string; breakdown?: string | null; show?: string; page?: number }): string {
  const q = new URLSearchParams({ month: p.month });
  if (p.period && p.period !== p.month) q.set('period', p.period);
  if (p.breakdown) q.set('breakdown', p.breakdown);
  if (p.team) q.set('team', p.team);
  if (p.show && p.show !== 'all') q.set('show', p.show);
  if (p.page && p.page > 1) q.set('page', String(p.page));
  return q.toString();
}

export async function indicatorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const notFound = (reply: FastifyReply, api: boolean) => {
    reply.code(404);
    if (api) return reply.send({ error: 'no such indicator' });
    return ctx.render(reply, 'error.njk', { title: 'Page not found', message: 'There is no indicator with that id. The scorecard lists every indicator.' });
  };

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/indicator/:id', { config: { access: 'staff' } }, async (req, reply) => {
    const ind = findOr404(req.params.id);
    if (!ind) return notFound(reply, true);
    const q = await parseQuery(ctx, ind, req.query);
    if (q.errors.length) return reply.code(400).send({ error: q.errors.map((e) => e.text).join('; '), errors: q.errors.map((e) => ({ field: e.href.slice(1), text: e.text })) });
    const { line, figure, breakdown, children, commentary, hiddenRows } = scoped(req, await bundleFor(ctx, ind, q));
    await ctx.audit(req, { action: 'view.children', target: ind.id, detail: { period: q.period.label, team: q.team ?? null, rows: children.rows.length } });
    const { id: _id, title: _t, theme: _th, unit: _u, polarity: _p, month: inMonth, ytd, rolling12: r12, trend, ...judged } = judgedScorecardJson([line])[0];
    return {
      indicator: {
        id: ind.id, title: ind.title, theme: ind.theme, unit: ind.unit, polarity: ind.polarity, measure: ind.measure,
        definition: ind.definition, source: ind.source, numeratorLabel: ind.numeratorLabel, denominatorLabel: ind.denominatorLabel ?? null,
        breakdowns: ind.breakdowns, details: ind.details.map((d) => d.label),
      },
      month: q.month, team: q.team ?? null,
      figures: { month: inMonth, ytd, rolling12: r12 },
      ...judged,
      trend,
      spc: spcJson(line.spc),
      period: { label: q.period.label, kind: q.period.kind, start: q.period.start, end: q.period.end,
        numerator: figure.numerator, denominator: figure.denominator, value: figure.value },
      breakdown: breakdown && { by: q.breakdown, figures: breakdown.map((f) => ({ group: f.group, numerator: f.numerator, denominator: f.denominator, value: f.value })) },
      children: {
        count: children.rows.length,
        inNumerator: children.rows.filter((r) => r.row.in_numerator).length,
        inDenominator: children.rows.filter((r) => r.row.in_denominator).length,
        rows: children.rows.map((r) => childRowJson(ind, r)),
        otherTeamsNotShown: hiddenRows,
      },
      exceptions: children.rule && {
        rule: children.rule, rows: exceptionRuleWords(ind, children.rule), count: children.summary.exceptions,
        byCode: children.summary.byCode, noReason: children.summary.noReason, summary: children.summary.sentence,
        reasonsError: children.reasonsError,
      },
      commentary: { latest: commentary[0] ?? null, versions: commentary },
    };
  });

  const renderPage = async (req: FastifyRequest<{ Params: { id: string }; Querystring: Query }>, reply: FastifyReply, ind: Indicator, q: Parsed,
    extra: { commentaryErrors?: FieldError[]; commentaryText?: string } = {}) => {
    const { months, teams } = await pickers(ctx);
    const { line, figure, breakdown, children, commentary, hiddenRows } = scoped(req, await bundleFor(ctx, ind, q));
    await ctx.audit(req, { action: 'view.children', target: ind.id, detail: { period: q.period.label, team: q.team ?? null, rows: children.rows.length } });
    const chart = await ctx.cached(`indicator-chart|${ind.id}|${q.month}|${q.team ?? ''}`, () => spcChart(line.trend, line.spc, {
      title: `${ind.title}, ${monthName(line.trend[0].period)} to ${monthName(q.month)}`,
      target: line.target?.target ?? null, unit: CHART_UNIT[ind.unit],
    }));
    const fmt = (v: number | null) => formatValue(ind, v);
    const average = isAverage(ind);
    const shown = q.show === 'exceptions' ? children.rows.filter((r) => r.exception) : children.rows;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    const page = Math.min(q.page, pages);
    const slice = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const base = { month: q.month, period: q.period.label, team: q.team, breakdown: q.breakdown, show: q.show };
    const figureRow = (label: string, kind: string, f: Figure | null, rag: { rag: string | null } | null) => f && {
      label, kind, value: fmt(f.value), numerator: f.numerator, denominator: f.denominator, rag: rag?.rag ?? null,
    };
    const periodOptions = [monthPeriod(q.month), ...(ind.measure === 'flow' ? [yearToDate(q.month), rolling12(q.month)] : []),
      ...(ind.measure === 'flow' ? [reportingYearOf(`${q.month}-01`)] : [])];
    if (!periodOptions.some((p) => p.label === q.period.label)) periodOptions.push(q.period);
    const spc = line.spc;
    const flagged = spc.status === 'ok' ? spc.points : [];
    const errors = [...q.errors, ...(extra.commentaryErrors ?? [])];
    if (errors.length) reply.code(400);
    return ctx.render(reply, 'indicator.njk', {
      title: `${ind.title}, ${monthName(q.month)}${q.team ? `, ${q.team}` : ''}`,
      errors, errorFields: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
      ind, theme: THEMES[ind.theme], month: q.month, team: q.team,
      unitWords: UNIT_WORDS[ind.unit], polarityWords: POLARITY_WORDS[ind.polarity], measureWords: ind.measure === 'flow'
        ? 'Counted in the month (events dated in it), with the year to date and the rolling 12 months.'
        : 'Taken at the end of the month (children on a plan or in care on the last day).',
      scorecardHref: `/scorecard?${new URLSearchParams({ month: q.month, ...(q.team ? { team: q.team } : {}) })}#${ind.theme}`,
      figures: [
        figureRow(ind.measure === 'flow' ? monthName(q.month) : `At the end of ${monthName(q.month)}`, 'month', line.month, line.judgement),
        figureRow('Year to date', 'ytd', line.ytd, line.ytdJudgement),
        figureRow('Rolling 12 months', 'r12', line.rolling12, null),
      ].filter(Boolean),
      denominatorLabel: ind.denominatorLabel ?? (ind.unit === 'rate' ? 'children aged 0 to 17' : null),
      target: line.target && {
        value: fmt(line.target.target),
        amber: line.target.amberKind === 'percent' ? `${line.target.amber}% of the target`
          : ind.unit === 'percent' ? `${line.target.amber} percentage points` : `${line.target.amber} in the indicator's own unit`,
        setBy: line.target.setBy === 'config' ? 'the shipped targets file' : line.target.setBy,
        year: line.target.year === null ? 'every year' : yearLabel(line.target.year),
      },
      rag: line.judgement.rag, ragRule: line.judgement.rule,
      benchmark: line.benchmark && {
        year: yearLabel(line.benchmark.year), sentence: line.benchmark.sentence,
        compared: ind.measure === 'flow' ? 'the rolling 12 months' : 'the month-end figure',
        value: fmt(line.benchmark.value),
        england: line.benchmark.england ? fmt(line.benchmark.england.value) : null,
        region: line.benchmark.region ? fmt(line.benchmark.region.value) : null,
        regionName: line.benchmark.region?.name ?? null,
        neighbours: line.benchmark.neighbours ? fmt(line.benchmark.neighbours.value) : null,
        quartile: line.benchmark.quartile,
      },
      narrative: line.narrative.paragraph,
      projection: line.projection?.explanation ?? null,
      chart,
      spc: {
        words: spcWords(spc),
        ok: spc.status === 'ok',
        reason: spc.status === 'ok' ? spc.variation.reason : spc.reason,
        assurance: spc.status === 'ok' ? spc.assurance?.reason ?? null : null,
        limits: spc.status === 'ok' ? { mean: fmt(spc.limits.mean), lower: fmt(spc.limits.lowerProcessLimit), upper: fmt(spc.limits.upperProcessLimit) } : null,
        signals: spc.status === 'ok' ? spc.signals.map((s) => s.reason) : [],
      },
      trend: line.trend.map((f, i) => ({
        month: f.period, monthName: monthName(f.period), numerator: f.numerator, denominator: f.denominator, value: fmt(f.value),
        flag: flagged[i]?.rules.length ? `special cause (${flagged[i].cause ?? 'neither'}): ${flagged[i].rules.map((r) => RULE_WORDS[r]).join(', ')}` : '',
      })),
      targetValue: line.target ? fmt(line.target.target) : null,
      // the period the children and breakdown are for
      period: { label: q.period.label, words: periodWords(q.period), value: fmt(figure.value), numerator: figure.numerator, denominator: figure.denominator },
      monthOptions: months.slice().reverse().map((m) => ({ value: m, text: monthName(m), selected: m === q.month })),
      periodOptions: periodOptions.map((p) => ({ value: p.label, text: p.kind === 'month' ? monthName(p.label) : p.kind === 'ytd' ? `Year to date (${p.label})` : p.kind === 'rolling12' ? `Rolling 12 months (${p.label})` : p.label, selected: p.label === q.period.label })),
      teamOptions: [{ value: '', text: 'All teams' }, ...teams.map((t) => ({ value: t, text: t, selected: t === q.team }))],
      breakdownOptions: [{ value: '', text: 'No breakdown' }, ...ind.breakdowns.map((b) => ({ value: b, text: BREAKDOWNS[b], selected: b === q.breakdown }))],
      breakdown: breakdown && {
        heading: BREAKDOWNS[q.breakdown!],
        rows: breakdown.map((f) => ({ group: f.group ?? 'All', numerator: f.numerator, denominator: f.denominator, value: fmt(f.value) })),
      },
      average, details: ind.details, pageSize: PAGE_SIZE,
      children: {
        count: children.rows.length, shownCount: shown.length, otherTeamsNotShown: hiddenRows,
        inNumerator: children.rows.filter((r) => r.row.in_numerator).length,
        inDenominator: children.rows.filter((r) => r.row.in_denominator).length,
        from: shown.length ? (page - 1) * PAGE_SIZE + 1 : 0, to: (page - 1) * PAGE_SIZE + slice.length,
        rows: slice.map((r, i) => ({
          key: `${(page - 1) * PAGE_SIZE + i + 1}`,
          childId: r.row.child_id, record: recordOf(r.row), recordText: r.row.at_date ? dateUk(r.row.at_date) : '',
          inNumerator: r.row.in_numerator, inDenominator: r.row.in_denominator,
          value: average ? (ind.unit === 'days' ? Math.round(r.row.value).toLocaleString('en-GB') : r.row.value.toLocaleString('en-GB', { maximumFractionDigits: 1 })) : null,
          details: ind.details.map((d) => detailText(r.row[d.name])),
          team: r.row.team ?? '', worker: r.row.worker ?? '',
          exception: r.exception,
          reason: r.reason && { ...r.reason, recordedAt: dateUk(r.reason.recordedAt) },
        })),
        pagination: pages > 1 ? {
          previous: page > 1 ? { href: `?${pageQuery({ ...base, page: page - 1 })}#children` } : undefined,
          next: page < pages ? { href: `?${pageQuery({ ...base, page: page + 1 })}#children` } : undefined,
          items: Array.from({ length: pages }, (_, i) => i + 1)
            .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
            .flatMap((n, i, all) => [...(i > 0 && n - all[i - 1] > 1 ? [{ ellipsis: true }] : []),
              { number: String(n), href: `?${pageQuery({ ...base, page: n })}#children`, current: n === page }]),
        } : null,
        page, pages,
        csvHref: `/indicator/${ind.id}/children.csv?${pageQuery({ ...base, breakdown: null, show: q.show })}`,
        showOptions: [{ value: 'all', text: 'All rows', selected: q.show === 'all' },
          ...(children.rule ? [{ value: 'exceptions', text: `Only ${exceptionRuleWords(ind, children.rule)}`, selected: q.show === 'exceptions' }] : [])],
      },
      exceptions: children.rule && {
        rows: exceptionRuleWords(ind, children.rule), count: children.summary.exceptions, sentence: children.summary.sentence,
        byCode: children.summary.byCode, noReason: children.summary.noReason,
        reasons: children.reasons, error: children.reasonsError,
      },
      commentary: { latest: commentary[0] ?? null, earlier: commentary.slice(1), text: extra.commentaryText ?? '' },
      hidden: { month: q.month, period: q.period.label, team: q.team ?? '', breakdown: q.breakdown ?? '', show: q.show, page: String(page) },
      apiHref: `/api/indicator/${ind.id}?${pageQuery({ ...base, show: 'all' })}`,
    });
  };

  app.get<{ Params: { id: string }; Querystring: Query }>('/indicator/:id', { config: { access: 'staff' } }, async (req, reply) => {
    const ind = findOr404(req.params.id);
    if (!ind) return notFound(reply, false);
    return renderPage(req, reply, ind, await parseQuery(ctx, ind, req.query));
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/indicator/:id/children.csv', { config: { access: 'child' } }, async (req, reply) => {
    const ind = findOr404(req.params.id);
    if (!ind) return notFound(reply, false);
    const q = await parseQuery(ctx, ind, req.query);
    if (q.errors.length) throw Object.assign(new Error(q.errors.map((e) => e.text).join('; ')), { statusCode: 400 });
    const data = scoped(req, await bundleFor(ctx, ind, { ...q, breakdown: null })).children;
    const rows = q.show === 'exceptions' ? data.rows.filter((r) => r.exception) : data.rows;
    await ctx.audit(req, { action: 'export.children_csv', target: ind.id, detail: { period: q.period.label, team: q.team ?? null, show: q.show, rows: rows.length } });
    const head = ['child_id', 'deciding_date', isAverage(ind) ? 'value' : `in numerator (${ind.numeratorLabel})`,
      `in denominator (${ind.denominatorLabel ?? 'none'})`, ...ind.details.map((d) => d.label), 'team', 'worker',
      ...(data.rule ? ['reason_code', 'reason', 'note', 'recorded_by', 'recorded_at'] : [])];
    const body = rows.map((r) => [
      r.row.child_id ?? '', r.row.at_date ?? '', isAverage(ind) ? r.row.value : r.row.in_numerator ? 'yes' : 'no', r.row.in_denominator ? 'yes' : 'no',
      ...ind.details.map((d) => { const v = r.row[d.name]; return typeof v === 'boolean' ? (v ? 'yes' : 'no') : (v ?? ''); }),
      r.row.team ?? '', r.row.worker ?? '',
      ...(data.rule ? [r.reason?.code ?? '', r.reason?.label ?? '', r.reason?.note ?? '', r.reason?.recordedBy ?? '', r.reason?.recordedAt ?? ''] : []),
    ]);
    const name = `${ind.id}-${q.period.label}${q.team ? `-${q.team}` : ''}`.replace(/[^A-Za-z0-9._-]+/g, '_');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv([head, ...body]));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/indicator/:id/commentary', { config: { access: 'analyst' } }, async (req, reply) => {
    const ind = findOr404(req.params.id);
    if (!ind) return notFound(reply, false);
    const b = req.body ?? {};
    const text = String(b.text ?? '').replace(/\r\n/g, '\n').trim();
    const errors: FieldError[] = [];
    if (!MONTH.test(String(b.month ?? ''))) errors.push({ text: 'Choose the month the commentary is about', href: '#month' });
    if (text === '') errors.push({ text: 'Enter the commentary', href: '#commentary-text' });
    else if (text.length > 5000) errors.push({ text: 'Commentary must be 5,000 characters or fewer', href: '#commentary-text' });
    const q = await parseQuery(ctx, ind, { month: MONTH.test(String(b.month ?? '')) ? b.month : undefined, period: b.period, team: b.team, breakdown: b.breakdown });
    if (errors.length) {
      return renderPage(req as unknown as FastifyRequest<{ Params: { id: string }; Querystring: Query }>, reply, ind, { ...q, errors: [] },
        { commentaryErrors: errors, commentaryText: String(b.text ?? '') });
    }
    await addCommentary(ctx.store, { indicatorId: ind.id, month: b.month, text, author: userOf(req) }, { actor: actorOf(req) });
    return reply.redirect(`/indicator/${ind.id}?${pageQuery({ month: b.month, period: q.period.label, team: q.team, breakdown: q.breakdown })}#commentary`, 303);
  });

  // Managers record reasons for their own teams' children; analysts for any.
  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/indicator/:id/reasons', { config: { access: 'child' } }, async (req, reply) => {
    const ind = findOr404(req.params.id);
    if (!ind) return notFound(reply, false);
    const b = req.body ?? {};
    const rule = exceptionRule(ind);
    if (!rule) throw Object.assign(new Error(`${ind.title} has no rows behind a shortfall, so reasons are not recorded against it`), { statusCode: 400 });
    let reasons: readonly ExceptionReason[];
    try {
      reasons = readExceptionReasons();
    } catch (e) { // the configuration is wrong, not the request: say what is wrong with the file
      reply.code(500);
      return ctx.render(reply, 'error.njk', { title: 'Reasons cannot be recorded', message: (e as Error).message });
    }
    const q = await parseQuery(ctx, ind, { month: b.month, period: b.period, team: b.team, breakdown: b.breakdown, show: b.show, page: b.page });
    if (q.errors.length) throw Object.assign(new Error(q.errors.map((e) => e.text).join('; ')), { statusCode: 400 });
    const childId = String(b.child_id ?? '');
    const record = String(b.record ?? '');
    const rows = await childRows(ctx, ind, q.period, q.team);
    const row = rows.find((r) => r.child_id === childId && recordOf(r) === record && isException(rule, r));
    if (!row) throw Object.assign(new Error(`That record is not one of the ${exceptionRuleWords(ind, rule)} for ${periodWords(q.period)}`), { statusCode: 400 });
    if (!teamAllowed(req, row.team)) throw Object.assign(new Error('That child is not allocated to one of your teams.'), { statusCode: 403 });
    const code = String(b.code ?? '');
    const note = String(b.note ?? '').replace(/\r\n/g, '\n').trim();
    const errors: FieldError[] = [];
    if (!reasons.some((r) => r.code === code)) errors.push({ text: 'Choose a reason', href: '#code' });
    if (note.length > 1000) errors.push({ text: 'The note must be 1,000 characters or fewer', href: '#note' });
    else if (code === 'other' && note === '') errors.push({ text: 'Enter a note saying what the other reason is', href: '#note' });
    const back = `/indicator/${ind.id}?${pageQuery({ month: q.month, period: q.period.label, team: q.team, breakdown: q.breakdown, show: q.show, page: q.page })}#children`;
    if (errors.length) {
      reply.code(400);
      return ctx.render(reply, 'indicator-reason.njk', {
        title: `Record a reason: ${ind.title}`, ind, errors, errorFields: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
        back, childId, record, recordText: record ? dateUk(record) : 'no date', periodWords: periodWords(q.period),
        details: ind.details.map((d) => ({ label: d.label, value: detailText(row[d.name]) })),
        reasonItems: [{ value: '', text: 'Choose a reason' }, ...reasons.map((r) => ({ value: r.code, text: r.label, selected: r.code === code }))],
        note: String(b.note ?? ''),
        hidden: { child_id: childId, record, month: q.month, period: q.period.label, team: q.team ?? '', breakdown: q.breakdown ?? '', show: q.show, page: String(q.page) },
      });
    }
    await recordExceptionReason(ctx.store, {
      indicatorId: ind.id, childId, record, period: q.period.label, code, note: note === '' ? null : note, recordedBy: userOf(req),
    }, { actor: actorOf(req) });
    return reply.redirect(back, 303);
  });
}
