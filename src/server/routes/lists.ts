// Operational lists (the children a manager must act on, most urgent first), the MASH live list and
// caseloads, each page with its JSON twin under /api. Lists and caseloads are drawn at a date: by default
// the latest date the loaded data cover (the end of the latest active load), not the wall clock, so a
// store whose data end in the past still shows full lists; when the data run to today the default is now
// (to the minute: the app's cache is bounded, so a list drawn every minute does not grow it for ever).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { teamAllowed, teamScope } from '../auth.ts';
import { LISTS, runList, asAtOf, type ListRow, type OperationalList, type Rag } from '../../lists/index.ts';
import { caseloads, type Caseloads, type WorkerCaseload } from '../../caseloads.ts';
import { csv } from '../../scorecardText.ts';
import { dateUk } from '../views.ts';

/** The MASH list: refreshes itself every 60 seconds, and answers at /mash. */
export const MASH_LIST = 'contacts_awaiting_decision';
const REFRESH_SECONDS = 60;
/** The worker filter's value for rows with no allocated worker. */
export const NO_WORKER = 'none';

export interface FormError { readonly text: string; readonly href: string }

/** A 400 carrying GOV.UK error-summary entries, each naming its field. */
export class FormErrors extends Error {
  readonly statusCode = 400;
  constructor(readonly errors: readonly FormError[]) {
    super(errors.map((e) => e.text).join('; '));
  }
}

/** What the helpers below need: the app's context (its cache is keyed by data version, bounded, and reads the version at most once a second). */
export interface Req { readonly ctx: AppContext }

/** The app's cache under this module's own key space. */
function cached<T>(r: Req, key: string, compute: () => Promise<T>): Promise<T> {
  return r.ctx.cached(`lists:${key}`, compute);
}

/** The error message for each field, by the field's id: for the inputs' own error messages. */
export function fieldErrors(errors: readonly FormError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.href.replace(/^#/, ''), e.text]));
}

export interface RagCounts { red: number; amber: number; green: number; total: number }

export function ragCounts(rows: readonly { rag: Rag }[]): RagCounts {
  const c: RagCounts = { red: 0, amber: 0, green: 0, total: rows.length };
  for (const r of rows) c[r.rag] += 1;
  return c;
}

/** The last date the loaded data cover: the latest period end of an active load (null when nothing is loaded). */
export async function latestDataDate(r: Req): Promise<string | null> {
  return cached(r, 'latest-data-date', async () => {
    const { last } = await r.ctx.store.dataRange();
    return last ? last.slice(0, 10) : null;
  });
}

/** Today's date and the time now in England: 'YYYY-MM-DD', 'HH:MM'. */
function londonNow(): { date: string; time: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The default moment to draw at: the latest date with data (the whole of that day), or now when the data
 * reach today. `withTime` false gives the date only (caseloads).
 */
export async function defaultAt(r: Req, withTime: boolean): Promise<string> {
  const last = await latestDataDate(r);
  if (last === null) throw new FormErrors([{ text: 'Nothing has been loaded yet: load the returns on the Data page first', href: '#at' }]);
  const now = londonNow();
  if (last >= now.date) return withTime ? `${now.date}T${now.time}` : now.date;
  return last;
}

export interface Filter {
  /** the moment drawn at: 'YYYY-MM-DD' (end of that day) or 'YYYY-MM-DDTHH:MM' */
  readonly at: string;
  /** true when `at` was not asked for */
  readonly atDefault: boolean;
  readonly team?: string;
  readonly worker?: string;
}

interface FilterQuery { at?: string; team?: string; worker?: string; refresh?: string }

const blank = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** Checks the filter form; throws FormErrors naming each wrong field. */
export async function filterOf(r: Req, q: FilterQuery, options: { withTime: boolean }): Promise<Filter> {
  const errors: FormError[] = [];
  const asked = blank(q.at);
  let at: string | undefined;
  if (asked !== undefined) {
    const m = options.withTime
      ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(asked)
      : /^(\d{4}-\d{2}-\d{2})()()$/.exec(asked);
    let ok = m !== null && (m[2] === undefined || m[2] === '' || (Number(m[2]) < 24 && Number(m[3]) < 60));
    if (ok) {
      try { asAtOf(m![1]); } catch { ok = false; }
    }
    if (!ok) {
      errors.push({
        text: options.withTime
          ? 'Enter a real date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM, for example 2025-03-31 or 2025-03-31T09:30'
          : 'Enter a real date as YYYY-MM-DD, for example 2025-03-31',
        href: '#at',
      });
    } else at = m![2] ? `${m![1]}T${m![2]}:${m![3]}` : m![1];
  }
  const team = blank(q.team);
  if (team !== undefined && !(await teamsOf(r)).includes(team)) errors.push({ text: 'Choose a team from the list', href: '#team' });
  if (errors.length) throw new FormErrors(errors);
  return { at: at ?? await defaultAt(r, options.withTime), atDefault: at === undefined, team, worker: blank(q.worker) };
}

/** 'As at 31 March 2025' (end of day), or with its time; says when it is the latest date in the data. */
export function asAtWords(f: Pick<Filter, 'at' | 'atDefault'>, withTime = true): string {
  const time = f.at.length > 10;
  const words = `As at ${dateUk(f.at)}${!time && withTime ? ' (end of the day)' : ''}`;
  return f.atDefault ? `${words}: the latest date in the loaded data` : words;
}

/** The rows of a list at the filter's moment and team (cached per data version), then narrowed to the worker. */
export async function listRows(r: Req, list: OperationalList, f: Filter): Promise<{ all: ListRow[]; rows: ListRow[] }> {
  const all = await cached(r, `list|${list.id}|${f.at}|${f.team ?? ''}`, () =>
    runList(r.ctx.store, list, { asAt: f.at, team: f.team, settings: r.ctx.engine.settings }));
  const rows = f.worker === undefined ? all : all.filter((x) => (f.worker === NO_WORKER ? x.worker === null : x.worker === f.worker));
  return { all, rows };
}

/** A cell of a list shown on the page: dates GOV.UK style, numbers with thousands separators. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v).toLocaleString('en-GB');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  const s = String(v);
  return /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(s) ? dateUk(s) : s;
}

/** The rows of a list as a table: child, RAG, status, due, the detail columns by label, team, worker. */
export function listTable(list: OperationalList, rows: readonly ListRow[]): unknown[][] {
  return [
    ['child', 'RAG', 'status', 'due', ...list.details.map((d) => d.label), 'team', 'worker'],
    ...rows.map((r) => [r.child_id, r.rag.toUpperCase(), r.status, r.due_date ?? '', ...list.details.map((d) => r[d.name] ?? ''), r.team ?? '', r.worker ?? '']),
  ];
}

/** Sends rows as a CSV download (formula-safe through csv(): see src/formulaSafe.ts; a BOM for Excel). */
export function sendCsv(reply: FastifyReply, filename: string, rows: unknown[][]): FastifyReply {
  const safeName = filename.replace(/[^A-Za-z0-9._-]+/g, '-');
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safeName}"`)
    .header('cache-control', 'no-store')
    .send(`\ufeff${csv(rows)}`);
}

/** The query string for links that keep the filter (only what was asked for). */
function queryOf(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const RAG_TAG: Record<Rag, string> = { red: 'govuk-tag--red', amber: 'govuk-tag--yellow', green: 'govuk-tag--green' };

/** The teams, for the pickers and to check a team asked for. */
export async function teamsOf(r: Req): Promise<string[]> {
  return cached(r, 'teams', async () =>
    (await r.ctx.store.query<{ name: string }>(`SELECT DISTINCT name FROM main.teams WHERE name IS NOT NULL ORDER BY name`)).map((t) => t.name));
}

async function teamOptions(r: Req, team: string | undefined) {
  const teams = await teamsOf(r);
  return [{ value: '', text: 'All teams' }, ...teams.map((t) => ({ value: t, text: t, selected: t === team }))];
}

function listJson(list: OperationalList) {
  return { id: list.id, title: list.title, theme: list.theme, description: list.description, details: list.details };
}

export async function listsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r: Req = { ctx };

  // ---- every list with its counts --------------------------------------------------------------------
  const overview = async (r: Req, f: Filter) => cached(r, `lists|${f.at}|${f.team ?? ''}`, async () => {
    const out = [];
    for (const list of LISTS) out.push({ list, counts: ragCounts((await listRows(r, list, { ...f, worker: undefined })).all) });
    return out;
  });

  app.get<{ Querystring: FilterQuery }>('/api/lists', { config: { access: 'child' } }, async (req, reply) => {
    const f = await apiFilter(r, req.query, reply, true);
    if (!f) return reply;
    const lists = await overview(r, f);
    return { at: f.at, atDefault: f.atDefault, team: f.team ?? null, lists: lists.map((l) => ({ ...listJson(l.list), counts: l.counts })) };
  });

  app.get<{ Querystring: FilterQuery }>('/lists', { config: { access: 'child' } }, async (req, reply) => {
    let f: Filter;
    try {
      f = await filterOf(r, req.query, { withTime: true });
    } catch (err) {
      if (!(err instanceof FormErrors)) throw err;
      reply.code(400);
      return ctx.render(reply, 'lists.njk', {
        title: 'Error: Operational lists', errors: err.errors, fieldErrors: fieldErrors(err.errors), values: req.query, lists: null,
        teamOptions: await teamOptions(r, req.query.team),
      });
    }
    const lists = await overview(r, f);
    const keep = queryOf({ at: f.atDefault ? undefined : f.at, team: f.team });
    return ctx.render(reply, 'lists.njk', {
      title: 'Operational lists', values: { at: f.atDefault ? '' : f.at }, asAt: asAtWords(f), team: f.team,
      teamOptions: await teamOptions(r, f.team),
      lists: lists.map((l) => ({ id: l.list.id, title: l.list.title, description: l.list.description, href: `/lists/${l.list.id}${keep}`, counts: l.counts })),
    });
  });

  // ---- one list ---------------------------------------------------------------------------------------
  app.get<{ Params: { id: string }; Querystring: FilterQuery }>('/api/lists/:id', { config: { access: 'child' } }, async (req, reply) => {
    const list = LISTS.find((l) => l.id === req.params.id);
    if (!list) return reply.code(404).send({ error: `no operational list '${req.params.id}'` });
    const f = await apiFilter(r, req.query, reply, true);
    if (!f) return reply;
    const rows = (await listRows(r, list, f)).rows.filter((x) => teamAllowed(req, x.team));
    await ctx.audit(req, { action: 'view.list', target: list.id, detail: { at: f.at, team: f.team ?? null, worker: f.worker ?? null, rows: rows.length } });
    return { list: listJson(list), at: f.at, atDefault: f.atDefault, team: f.team ?? null, worker: f.worker ?? null, counts: ragCounts(rows), rows };
  });

  // Managers see only the rows of their own teams' children; every list shown or downloaded is audited.
  const listPage = async (req: FastifyRequest, id: string, query: FilterQuery, reply: FastifyReply, path: string) => {
    const csvWanted = id.endsWith('.csv');
    const list = LISTS.find((l) => l.id === (csvWanted ? id.slice(0, -4) : id));
    if (!list) return reply.callNotFound();
    const isMash = list.id === MASH_LIST;
    const refresh = isMash && query.refresh !== 'off';
    let f: Filter;
    try {
      f = await filterOf(r, query, { withTime: true });
    } catch (err) {
      if (!(err instanceof FormErrors)) throw err;
      reply.code(400);
      if (csvWanted) return reply.type('text/plain; charset=utf-8').send(err.message);
      return ctx.render(reply, 'list.njk', {
        title: `Error: ${list.title}`, list: listJson(list), errors: err.errors, fieldErrors: fieldErrors(err.errors), values: query, showResults: false, action: path, isMash, refresh: false,
        teamOptions: await teamOptions(r, query.team), workerOptions: [{ value: '', text: 'All workers' }],
      });
    }
    const got = await listRows(r, list, f);
    const all = got.all.filter((x) => teamAllowed(req, x.team));
    const rows = got.rows.filter((x) => teamAllowed(req, x.team));
    await ctx.audit(req, { action: csvWanted ? 'export.list_csv' : 'view.list', target: list.id, detail: { at: f.at, team: f.team ?? null, worker: f.worker ?? null, rows: rows.length } });
    if (csvWanted) return sendCsv(reply, `${list.id}-${f.at.replace(':', '')}${f.team ? `-${f.team}` : ''}${f.worker ? `-${f.worker}` : ''}.csv`, listTable(list, rows));

    const workers = [...new Set(all.map((r) => r.worker).filter((w): w is string => w !== null))].sort((a, b) => a.localeCompare(b));
    if (f.worker !== undefined && f.worker !== NO_WORKER && !workers.includes(f.worker)) workers.unshift(f.worker);
    const kept = { at: f.atDefault ? undefined : f.at, team: f.team, worker: f.worker };
    const counts = ragCounts(rows);
    return ctx.render(reply, 'list.njk', {
      title: list.title + (f.team ? `, ${f.team}` : '') + (f.worker ? `, ${f.worker === NO_WORKER ? 'no allocated worker' : f.worker}` : ''),
      list: listJson(list), isMash, refresh, refreshSeconds: REFRESH_SECONDS, action: path, showResults: true,
      values: { at: f.atDefault ? '' : f.at }, asAt: asAtWords(f), counts,
      longestHours: isMash && rows.length ? Math.max(...rows.map((r) => Number(r.hours_waiting ?? 0))) : null,
      csvHref: `/lists/${list.id}.csv${queryOf(kept)}`,
      refreshOffHref: `${path}${queryOf({ ...kept, refresh: 'off' })}`,
      refreshOnHref: `${path}${queryOf(kept)}`,
      teamOptions: await teamOptions(r, f.team),
      workerOptions: [
        { value: '', text: 'All workers' },
        { value: NO_WORKER, text: 'No allocated worker', selected: f.worker === NO_WORKER },
        ...workers.map((w) => ({ value: w, text: w, selected: w === f.worker })),
      ],
      columns: list.details.map((d) => ({ name: d.name, label: d.label, numeric: d.name === 'hours_waiting' || /days|months|hours/.test(d.name) })),
      rows: rows.map((r) => ({
        childId: r.child_id, href: `/child/${encodeURIComponent(r.child_id)}`,
        rag: r.rag, ragWord: r.rag.toUpperCase(), ragClass: RAG_TAG[r.rag], status: r.status,
        due: displayValue(r.due_date), team: r.team ?? '', worker: r.worker ?? '',
        details: list.details.map((d) => ({ name: d.name, text: displayValue(r[d.name]) })),
      })),
    });
  };

  app.get<{ Params: { id: string }; Querystring: FilterQuery }>('/lists/:id', { config: { access: 'child' } }, async (req, reply) => listPage(req, req.params.id, req.query, reply, `/lists/${req.params.id}`));
  app.get<{ Querystring: FilterQuery }>('/mash', { config: { access: 'child' } }, async (req, reply) => listPage(req, MASH_LIST, req.query, reply, '/mash'));

  // ---- caseloads --------------------------------------------------------------------------------------
  const caseloadsAt = (r: Req, f: Filter) => cached(r, `caseloads|${f.at}|${f.team ?? ''}`, () => caseloads(ctx.store, f.at, { team: f.team }));

  // Caseload counts are aggregates for everyone who may open the page; the children behind them (a worker's
  // list, the unallocated children) are for analysts, and a manager's own teams.
  const scopedCaseloads = (req: FastifyRequest, c: Caseloads): Caseloads => teamScope(req) === null ? c : {
    ...c,
    workers: c.workers.map((w) => (teamAllowed(req, w.team) ? w : { ...w, allocated: [] })),
    unallocated: [],
  };

  app.get<{ Querystring: FilterQuery }>('/api/caseloads', { config: { access: 'child' } }, async (req, reply) => {
    const f = await apiFilter(r, req.query, reply, false);
    if (!f) return reply;
    const all = await caseloadsAt(r, f);
    const c = scopedCaseloads(req, all);
    await ctx.audit(req, { action: 'view.caseload', target: f.team ?? 'all teams', detail: { at: f.at } });
    return { at: f.at, atDefault: f.atDefault, team: f.team ?? null, ...caseloadSummary(all), workers: c.workers, unallocated: c.unallocated, unallocatedCount: all.unallocated.length };
  });

  app.get<{ Querystring: FilterQuery }>('/caseloads', { config: { access: 'child' } }, async (req, reply) => {
    let f: Filter;
    try {
      f = await filterOf(r, req.query, { withTime: false });
    } catch (err) {
      if (!(err instanceof FormErrors)) throw err;
      reply.code(400);
      return ctx.render(reply, 'caseloads.njk', {
        title: 'Error: Caseloads', errors: err.errors, fieldErrors: fieldErrors(err.errors), values: req.query, summary: null, teamOptions: await teamOptions(r, req.query.team),
      });
    }
    const all = await caseloadsAt(r, f);
    const c = scopedCaseloads(req, all);
    const s = caseloadSummary(all);
    const atQuery = queryOf({ at: f.at });
    if (c.unallocated.length) await ctx.audit(req, { action: 'view.caseload', target: 'unallocated', detail: { at: f.at, team: f.team ?? null, rows: c.unallocated.length } });
    return ctx.render(reply, 'caseloads.njk', {
      title: `Caseloads${f.team ? `, ${f.team}` : ''}`, values: { at: f.atDefault ? '' : f.at }, asAt: asAtWords(f, false), team: f.team,
      teamOptions: await teamOptions(r, f.team),
      summary: s.totals,
      teams: s.teams.map((t) => ({
        ...t, id: `team-${slug(t.team ?? 'none')}`, name: t.team ?? 'No team recorded', average: t.average === null ? '–' : t.average.toFixed(1),
        workers: t.workers.map((w) => ({ ...w, href: `/caseloads/worker/${encodeURIComponent(w.workerId)}${atQuery}` })),
      })),
      averageText: s.totals.average === null ? '–' : s.totals.average.toFixed(1),
      unallocated: c.unallocated.map((u) => ({
        ...u, href: `/child/${encodeURIComponent(u.childId)}`, openSinceText: dateUk(u.openSince),
        lastAllocatedText: u.lastAllocatedUntil ? dateUk(u.lastAllocatedUntil) : 'never allocated',
      })),
    });
  });

  const workerAt = async (r: Req, id: string, f: Filter): Promise<WorkerCaseload | 'unknown' | null> => {
    const c = await caseloadsAt(r, { ...f, team: undefined });
    const w = c.workers.find((x) => x.workerId === id);
    if (w) return w;
    const [known] = await ctx.store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM main.workers WHERE worker_id = ?', [id]);
    return known.n > 0 ? null : 'unknown';
  };

  const workerForbidden = () => Object.assign(new Error('That worker is not in one of your teams.'), { statusCode: 403 });

  app.get<{ Params: { workerId: string }; Querystring: FilterQuery }>('/api/caseloads/worker/:workerId', { config: { access: 'child' } }, async (req, reply) => {
    const f = await apiFilter(r, { at: req.query.at }, reply, false);
    if (!f) return reply;
    const w = await workerAt(r, req.params.workerId, f);
    if (w === 'unknown') return reply.code(404).send({ error: `no worker '${req.params.workerId}'` });
    if (w && !teamAllowed(req, w.team)) throw workerForbidden();
    await ctx.audit(req, { action: 'view.caseload', target: req.params.workerId, detail: { at: f.at } });
    return { at: f.at, atDefault: f.atDefault, workerId: req.params.workerId, worker: w };
  });

  app.get<{ Params: { workerId: string }; Querystring: FilterQuery }>('/caseloads/worker/:workerId', { config: { access: 'child' } }, async (req, reply) => {
    let f: Filter;
    try {
      f = await filterOf(r, { at: req.query.at }, { withTime: false });
    } catch (err) {
      if (!(err instanceof FormErrors)) throw err;
      reply.code(400);
      return ctx.render(reply, 'error.njk', { title: 'There is a problem with the request', message: err.message });
    }
    const w = await workerAt(r, req.params.workerId, f);
    if (w === 'unknown') return reply.callNotFound();
    if (w && !teamAllowed(req, w.team)) throw workerForbidden();
    await ctx.audit(req, { action: 'view.caseload', target: req.params.workerId, detail: { at: f.at } });
    const [info] = w ? [w] : await ctx.store.query<{ worker: string; team: string | null; role: string | null }>(
      `SELECT w.name AS worker, t.name AS team, w.role FROM main.workers w LEFT JOIN main.teams t ON t.team_id = w.team_id WHERE w.worker_id = ? ORDER BY w.start_date DESC NULLS LAST LIMIT 1`,
      [req.params.workerId]);
    return ctx.render(reply, 'caseloads.njk', {
      workerPage: true,
      title: `Children allocated to ${info.worker}`, asAt: asAtWords(f, false), at: f.at,
      backHref: `/caseloads${queryOf({ at: f.atDefault ? undefined : f.at, team: info.team ?? undefined })}`,
      worker: { name: info.worker, team: info.team ?? 'No team recorded', role: info.role ?? '', workerId: req.params.workerId, children: w?.children ?? 0 },
      children: (w?.allocated ?? []).map((a) => ({ ...a, href: `/child/${encodeURIComponent(a.childId)}`, sinceText: dateUk(a.allocatedSince) })),
    });
  });
}

/** The filter for an API route, or null after sending a 400 with the errors. */
async function apiFilter(r: Req, q: FilterQuery, reply: FastifyReply, withTime: boolean): Promise<Filter | null> {
  try {
    return await filterOf(r, q, { withTime });
  } catch (err) {
    if (!(err instanceof FormErrors)) throw err;
    reply.code(400).send({ error: err.message, errors: err.errors });
    return null;
  }
}

export interface TeamCaseload {
  readonly team: string | null;
  readonly teamId: string | null;
  /** children allocated to the team's workers */
  readonly children: number;
  readonly workerCount: number;
  /** children per worker (workers holding none count), null with no workers */
  readonly average: number | null;
  readonly max: number;
  readonly workers: readonly WorkerCaseload[];
}

/** Caseloads by team with totals, averages and the maximum; and the same over every team. */
export function caseloadSummary(c: Caseloads): {
  totals: { children: number; workers: number; average: number | null; max: number; unallocated: number };
  teams: TeamCaseload[];
} {
  const teams: TeamCaseload[] = [];
  const byTeam = new Map<string, WorkerCaseload[]>();
  for (const w of c.workers) {
    const key = w.team ?? '';
    if (!byTeam.has(key)) byTeam.set(key, []);
    byTeam.get(key)!.push(w);
  }
  for (const ws of byTeam.values()) {
    const children = ws.reduce((s, w) => s + w.children, 0);
    teams.push({
      team: ws[0].team, teamId: ws[0].teamId, children, workerCount: ws.length,
      average: ws.length ? children / ws.length : null, max: Math.max(0, ...ws.map((w) => w.children)), workers: ws,
    });
  }
  const children = c.workers.reduce((s, w) => s + w.children, 0);
  return {
    totals: {
      children, workers: c.workers.length, average: c.workers.length ? children / c.workers.length : null,
      max: Math.max(0, ...c.workers.map((w) => w.children)), unallocated: c.unallocated.length,
    },
    teams,
  };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
