// The Data pages and their JSON twins: every load (what, when, by whom, counts, status), one load with its
// findings by rule and a two-step rollback, the data-quality summary by rule across the active loads with
// the findings behind each rule (page, CSV), and uploading files through the browser — loaded, or only
// checked — with the same report `csc load` prints.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../app.ts';
import { actorOf, requireCsrf } from '../auth.ts';
import type { Store } from '../../store.ts';
import { listLoads, loadFile, rollbackLoad, validateFile, type LoadResult, type LoadRow } from '../../load.ts';
import type { Finding } from '../../ingest/types.ts';
import { yearLabel } from '../../judge/benchmarks.ts';
import { csv } from '../../scorecardText.ts';
import { dateUk } from '../views.ts';

/** Findings shown per page on /data/findings (the CSV download has all of them, up to CSV_CAP). */
export const FINDINGS_PAGE_SIZE = 100;
/** Findings per rule shown on a load's page; the rest are one link away. */
export const EXAMPLES_PER_RULE = 10;
const CSV_CAP = 100_000;
const API_FINDINGS_CAP = 1000;
const MAX_FILES = 20;

/** The upload size limit: 200 MB unless CSC_UPLOAD_MAX_BYTES says otherwise (read when the app is built). */
export function uploadLimitBytes(): number {
  const env = Number(process.env.CSC_UPLOAD_MAX_BYTES);
  return Number.isFinite(env) && env > 0 ? Math.floor(env) : 200 * 1024 * 1024;
}

const KIND_NAMES: Record<string, string> = {
  annex_a: 'Annex A', cin_census: 'CIN census', ssda903: 'SSDA903', events: 'Native events', unknown: 'Not recognised',
};
const RULESET_NAMES: Record<string, string> = {
  cin: 'CIN census', ssda903: 'SSDA903', annex_a: 'Annex A', events: 'Native events', file: 'File',
};
const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  superseded: { text: 'Superseded', classes: 'govuk-tag--grey' },
  rolled_back: { text: 'Rolled back', classes: 'govuk-tag--orange' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
};

export const kindName = (kind: string, part?: string | null): string => (KIND_NAMES[kind] ?? kind) + (part ? ` ${part}` : '');
export const rulesetName = (r: string): string => RULESET_NAMES[r] ?? r;

/** The signed-in user: who loaded or rolled back. */
export function userOf(req: FastifyRequest): string {
  return req.user?.username ?? 'unknown';
}

/** One load at a time is started from the web, on its own connection, so two never race for the same rows. */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const p = queue.then(fn, fn);
  queue = p.catch(() => undefined);
  return p;
}

/** Runs fn on a second connection to the store: a load's transaction does not interleave with page queries. */
async function onFork<T>(store: Store, fn: (s: Store) => Promise<T>): Promise<T> {
  return serially(async () => {
    const s = await store.fork();
    try {
      return await fn(s);
    } finally {
      s.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Queries

export interface LoadDetail extends LoadRow {
  file_bytes: number | null;
  rows_read: number | null;
  summary: { parts?: string[]; rows?: Record<string, number>; columnMap?: Record<string, Record<string, string>> | null; reason?: string } | null;
}

export async function loadById(store: Store, id: number): Promise<LoadDetail | null> {
  const [r] = await store.query<Record<string, unknown>>(
    `SELECT load_id, kind, part, file_name, file_bytes, collection_year, period_start, period_end, loaded_at, loaded_by, status,
            superseded_by, rows_read, rows_loaded, rows_rejected, warnings, CAST(summary AS VARCHAR) AS summary
     FROM loads WHERE load_id = ?`, [id]);
  if (!r) return null;
  return { ...(r as unknown as LoadDetail), summary: r.summary ? JSON.parse(r.summary as string) : null };
}

export interface RuleSummary { ruleset: string; code: string; severity: 'error' | 'warning'; count: number; loads: number; example: string }

/** Findings by rule: across the active loads, or within one load. Errors first, then the most frequent. */
export async function findingsByRule(store: Store, loadId?: number): Promise<RuleSummary[]> {
  const where = loadId === undefined ? `l.status = 'active'` : `f.load_id = ${Number(loadId)}`;
  return store.query<RuleSummary>(
    `SELECT * FROM (
       SELECT f.ruleset, f.code,
              CASE WHEN bool_or(f.severity = 'error') THEN 'error' ELSE 'warning' END AS severity,
              count(*)::INTEGER AS count, count(DISTINCT f.load_id)::INTEGER AS loads,
              first(f.message ORDER BY f.load_id DESC, f.row NULLS FIRST) AS example
       FROM findings f JOIN loads l ON l.load_id = f.load_id
       WHERE ${where}
       GROUP BY f.ruleset, f.code)
     ORDER BY severity = 'error' DESC, count DESC, ruleset, code`);
}

export interface FindingRow {
  load_id: number; ruleset: string; code: string; severity: string; file: string | null; row: number | null;
  section: string | null; field: string | null; value: string | null; child_id: string | null; message: string;
}

export interface FindingsQuery { code: string; ruleset?: string; load?: number }

/** The findings of one rule: in the active loads, or in one load (any status). */
export async function findingsOf(store: Store, q: FindingsQuery, limit: number, offset = 0): Promise<{ total: number; rows: FindingRow[] }> {
  const conds = ['f.code = ?'];
  const params: (string | number)[] = [q.code];
  if (q.ruleset) { conds.push('f.ruleset = ?'); params.push(q.ruleset); }
  if (q.load !== undefined) { conds.push('f.load_id = ?'); params.push(q.load); } else conds.push(`l.status = 'active'`);
  const from = `FROM findings f JOIN loads l ON l.load_id = f.load_id WHERE ${conds.join(' AND ')}`;
  const [{ n }] = await store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n ${from}`, params);
  const rows = await store.query<FindingRow>(
    `SELECT f.load_id, f.ruleset, f.code, f.severity, f.file, f.row, f.section, f.field, f.value, f.child_id, f.message
     ${from} ORDER BY f.load_id DESC, f.file, f.row NULLS FIRST, f.field LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
    params);
  return { total: n, rows };
}

// ---------------------------------------------------------------------------------------------------------
// Shapes shared by pages and JSON

function periodText(l: Pick<LoadRow, 'collection_year' | 'period_start' | 'period_end'>): string {
  if (l.collection_year !== null && l.collection_year !== undefined) return yearLabel(l.collection_year);
  if (l.period_start && l.period_end) return `${dateUk(l.period_start)} to ${dateUk(l.period_end)}`;
  if (l.period_end) return `to ${dateUk(l.period_end)}`;
  return '';
}

function loadJson(l: LoadRow) {
  return {
    id: l.load_id, file: l.file_name, kind: l.kind, part: l.part, collectionYear: l.collection_year,
    period: periodText(l) || null, periodStart: l.period_start, periodEnd: l.period_end,
    status: l.status, supersededBy: l.superseded_by, rowsLoaded: l.rows_loaded, rowsRejected: l.rows_rejected,
    warnings: l.warnings, loadedAt: l.loaded_at, loadedBy: l.loaded_by,
  };
}

function loadView(l: LoadRow) {
  return {
    ...loadJson(l), kindText: kindName(l.kind, l.part), statusTag: STATUS_TAGS[l.status] ?? { text: l.status, classes: 'govuk-tag--grey' },
    loadedAtText: dateUk(l.loaded_at), href: `/data/loads/${l.load_id}`,
  };
}

function findingJson(f: FindingRow) {
  return {
    loadId: f.load_id, ruleset: f.ruleset, code: f.code, severity: f.severity, file: f.file, row: f.row, section: f.section,
    field: f.field, value: f.value, childId: f.child_id, message: f.message,
  };
}

const ruleHref = (r: { ruleset: string; code: string }, load?: number) =>
  `/data/findings?code=${encodeURIComponent(r.code)}&ruleset=${encodeURIComponent(r.ruleset)}${load !== undefined ? `&load=${load}` : ''}`;

/** The same object `csc load --json` prints for a file, named by the file's original name. */
export function resultJson(r: LoadResult) {
  return {
    file: basename(r.file), kind: r.kind, status: r.status, loadId: r.loadId, superseded: r.superseded, rowsLoaded: r.rowsLoaded,
    rowsRejected: r.rowsRejected, warnings: r.warnings,
    collectionYear: r.summary?.collectionYear ?? null, periodStart: r.summary?.periodStart ?? null, periodEnd: r.summary?.periodEnd ?? null,
    columnMap: r.summary?.columnMap ?? null,
    findings: r.findings,
  };
}

/** Findings by rule over a set of results, as formatLoadResults counts them: errors first, then the most frequent. */
export function resultRules(results: readonly LoadResult[], examples = 5) {
  const byRule = new Map<string, { ruleset: string; code: string; severity: 'error' | 'warning'; count: number; example: string; examples: Finding[] }>();
  for (const r of results) for (const f of r.findings) {
    const k = `${f.ruleset} ${f.code}`;
    const e = byRule.get(k) ?? { ruleset: f.ruleset, code: f.code, severity: f.severity, count: 0, example: f.message, examples: [] };
    if (f.severity === 'error') e.severity = 'error';
    e.count++;
    if (e.examples.length < examples) e.examples.push(f);
    byRule.set(k, e);
  }
  return [...byRule.values()].sort((a, b) =>
    (a.severity === 'error' ? 0 : 1) - (b.severity === 'error' ? 0 : 1) || b.count - a.count || a.code.localeCompare(b.code));
}

// ---------------------------------------------------------------------------------------------------------
// Parsing requests

function idOf(text: string | undefined): number | null {
  return text && /^\d{1,9}$/.test(text) ? Number(text) : null;
}

function notFound(ctx: AppContext, reply: FastifyReply, what: string): FastifyReply {
  reply.code(404);
  return ctx.render(reply, 'error.njk', { title: 'Page not found', message: what });
}

/** '2024-25' → 2024; '' → undefined; anything else → null (an error). */
export function reportingYear(text: string | undefined): number | undefined | null {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  const m = /^(\d{4})\s*[-/]\s*(\d{2})$/.exec(t);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) return null;
  return Number(m[1]);
}

/** A file's original name without any folder, control or reserved characters; never empty, never hidden. */
export function safeFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim().replace(/^\.+/, '');
  if (!base) return 'upload';
  if (base.length <= 150) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
  return base.slice(0, 150 - ext.length) + ext;
}

interface Received {
  dir: string;
  files: { name: string; path: string; bytes: number }[];
  fields: Record<string, string>;
  error?: { status: number; text: string };
}

/**
 * Reads a multipart upload: each file into its own folder under a new temporary folder, by its original
 * base name (readers and findings name the file). A file over the limit, too many files, or a request that
 * is not a form upload comes back as an error and no file is used.
 */
async function receive(req: FastifyRequest, maxBytes: number): Promise<Received> {
  const dir = mkdtempSync(join(tmpdir(), 'csc-upload-'));
  const out: Received = { dir, files: [], fields: {} };
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (!part.filename) { await part.toBuffer(); continue; } // a file input left empty
        const sub = join(dir, String(out.files.length + 1));
        mkdirSync(sub);
        const path = join(sub, safeFileName(part.filename));
        await pipeline(part.file, createWriteStream(path));
        out.files.push({ name: basename(path), path, bytes: statSync(path).size });
      } else if (typeof part.value === 'string') {
        out.fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      out.error = { status: 413, text: `The selected file must be smaller than ${megabytes(maxBytes)}` };
    } else if (code === 'FST_FILES_LIMIT') {
      out.error = { status: 413, text: `Select ${MAX_FILES} files or fewer at a time` };
    } else if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      out.error = { status: 400, text: 'Select a file to upload' };
    } else if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_MP_PREMATURE_CLOSE') {
      out.error = { status: 400, text: 'The upload was incomplete: select the files and try again' };
    } else throw err;
    out.files = [];
  }
  return out;
}

/** '#year' → { year: text }: the message each field shows beside itself. */
function fieldErrors(errors: { text: string; href: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.href.replace(/^#/, '')] ??= e.text;
  return out;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

interface UploadOutcome {
  status: number;
  errors: { text: string; href: string }[];
  validateOnly: boolean;
  year: string;
  results: LoadResult[];
}

/**
 * An upload, start to finish: receive, check the form, then load (or only check) each file in turn on a
 * forked connection. The temporary folder is always removed.
 */
async function handleUpload(ctx: AppContext, req: FastifyRequest, maxBytes: number): Promise<UploadOutcome> {
  const got = await receive(req, maxBytes);
  try {
    // CSRF for multipart: the token is a form field, read with the files; checked before anything is loaded.
    requireCsrf(req, got.fields._csrf ?? (req.headers['x-csrf-token'] as string | undefined));
    const validateOnly = got.fields.validateOnly === 'yes' || got.fields.validateOnly === 'true';
    const yearText = got.fields.year ?? '';
    const outcome: UploadOutcome = { status: 200, errors: [], validateOnly, year: yearText, results: [] };
    if (got.error) {
      outcome.status = got.error.status;
      outcome.errors.push({ text: got.error.text, href: '#files' });
      return outcome;
    }
    const year = reportingYear(yearText);
    if (year === null) outcome.errors.push({ text: 'Enter the reporting year like 2024-25, or leave it blank', href: '#year' });
    if (got.files.length === 0) outcome.errors.push({ text: 'Select a file to upload', href: '#files' });
    if (outcome.errors.length) {
      outcome.status = 400;
      return outcome;
    }
    for (const f of got.files) {
      // The reporting year as a folder name too: validateFile reads it from there.
      let path = f.path;
      if (year !== undefined && year !== null) {
        const dir = join(f.path, '..', yearLabel(year));
        mkdirSync(dir);
        path = join(dir, f.name);
        renameSync(f.path, path);
      }
      try {
        outcome.results.push(validateOnly
          ? await validateFile(path)
          : await onFork(ctx.store, (s) => loadFile(s, path, { user: userOf(req), actor: actorOf(req), collectionYear: year ?? undefined })));
      } catch (err) {
        // Not a finding a reader reports but a failure while reading: nothing of this file was kept.
        req.log.error({ err: (err as Error).name }, 'upload: a file could not be read');
        const message = `${f.name}: could not be read (${(err as Error).message}) — nothing loaded`;
        outcome.results.push({
          file: path, kind: 'unknown', status: 'rejected', loadId: null, superseded: [], rowsLoaded: {}, rowsRejected: 0, warnings: 0,
          findings: [{ ruleset: 'file', code: 'CSC000', severity: 'error', file: f.name, row: null, field: null, value: null, message }], summary: null,
        });
      }
    }
    return outcome;
  } finally {
    rmSync(got.dir, { recursive: true, force: true });
  }
}

function resultView(r: LoadResult, validateOnly: boolean) {
  const loaded = Object.values(r.rowsLoaded).reduce((a, b) => a + b, 0);
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  let status: { text: string; classes: string };
  if (r.status === 'rejected') status = { text: 'Rejected', classes: 'govuk-tag--red' };
  else if (r.status === 'unchanged') status = { text: 'Unchanged', classes: 'govuk-tag--grey' };
  else if (validateOnly) status = errors ? { text: 'Checked: has errors', classes: 'govuk-tag--yellow' } : { text: 'Checked', classes: 'govuk-tag--green' };
  else status = { text: 'Loaded', classes: 'govuk-tag--green' };
  const reason = r.status === 'rejected' ? (r.findings.find((f) => f.severity === 'error')?.message ?? 'not loaded') : null;
  return {
    file: basename(r.file), kind: kindName(r.kind, r.summary?.parts.length === 1 ? r.summary.parts[0] : null), status,
    statusWord: r.status, loadId: r.loadId, superseded: r.superseded, loaded, rowsRejected: r.rowsRejected, warnings: r.warnings,
    errors, reason,
    period: r.summary?.collectionYear !== undefined ? yearLabel(r.summary.collectionYear)
      : r.summary?.periodEnd ? `to ${dateUk(r.summary.periodEnd)}` : '',
    tables: Object.entries(r.rowsLoaded).map(([table, n]) => ({ table, n })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Routes

export async function dataRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const maxBytes = uploadLimitBytes();

  const overview = () => ctx.cached('data-overview', async () => {
    const loads = (await listLoads(ctx.store)).reverse();
    const quality = await findingsByRule(ctx.store);
    return { loads, quality };
  });

  app.get('/api/loads', { config: { access: 'analyst' } }, async () => {
    const { loads, quality } = await overview();
    return {
      loads: loads.map(loadJson),
      quality: quality.map((q) => ({ ...q, href: ruleHref(q) })),
    };
  });

  app.get<{ Querystring: { rolledBack?: string } }>('/data', { config: { access: 'analyst' } }, async (_req, reply) => {
    const { loads, quality } = await overview();
    return ctx.render(reply, 'data.njk', {
      title: 'Data',
      loads: loads.map(loadView),
      quality: quality.map((q) => ({ ...q, rulesetText: rulesetName(q.ruleset), href: ruleHref(q) })),
      qualityTotal: quality.reduce((a, q) => a + q.count, 0),
    });
  });

  // One load ----------------------------------------------------------------------------------------------

  /** One load, its findings by rule with the first few of each, and the loads a rollback would bring back; cached per data version. */
  const loadPage = async (id: number) => {
    const { loads } = await overview();
    if (!loads.some((l) => l.load_id === id)) return null; // unknown ids cost no query and take no cache entry
    return ctx.cached(`data-load|${id}`, async () => {
      const load = await loadById(ctx.store, id);
      if (!load) return null;
      const rules = await findingsByRule(ctx.store, id);
      const firstFew = await ctx.store.query<FindingRow>(
        `SELECT load_id, ruleset, code, severity, file, row, section, field, value, child_id, message FROM findings WHERE load_id = ?
         QUALIFY row_number() OVER (PARTITION BY ruleset, code ORDER BY file, row NULLS FIRST, field) <= ${EXAMPLES_PER_RULE}
         ORDER BY file, row NULLS FIRST, field`, [id]);
      const examples = rules.map((r) => firstFew.filter((f) => f.ruleset === r.ruleset && f.code === r.code));
      const restores = await ctx.store.query<LoadRow>(
        `SELECT load_id, kind, part, file_name, collection_year, period_start, period_end, loaded_at, loaded_by, status, superseded_by,
                rows_loaded, rows_rejected, warnings FROM loads WHERE superseded_by = ? AND status = 'superseded' ORDER BY load_id`, [id]);
      return { load, rules, examples, restores };
    });
  };

  app.get<{ Params: { id: string } }>('/api/loads/:id', { config: { access: 'analyst' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const page = id === null ? null : await loadPage(id);
    if (!page) return reply.code(404).send({ error: `There is no load ${req.params.id}` });
    const rows = await ctx.store.query<FindingRow>(
      `SELECT load_id, ruleset, code, severity, file, row, section, field, value, child_id, message FROM findings
       WHERE load_id = ? ORDER BY file, row NULLS FIRST, code, field LIMIT ${API_FINDINGS_CAP}`, [page.load.load_id]);
    const total = page.rules.reduce((a, r) => a + r.count, 0);
    await ctx.audit(req, { action: 'view.findings', target: `load ${page.load.load_id}`, detail: { rows: rows.length } });
    return {
      load: {
        ...loadJson(page.load), fileBytes: page.load.file_bytes, rowsRead: page.load.rows_read,
        rowsByTable: page.load.summary?.rows ?? {}, columnMap: page.load.summary?.columnMap ?? null, reason: page.load.summary?.reason ?? null,
      },
      wouldRestore: page.restores.map((r) => r.load_id),
      rules: page.rules.map((r) => ({ ...r, href: ruleHref(r, page.load.load_id) })),
      findingsTotal: total,
      findings: rows.map(findingJson),
    };
  });

  app.get<{ Params: { id: string }; Querystring: { rolledBack?: string; restored?: string } }>('/data/loads/:id', { config: { access: 'analyst' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const page = id === null ? null : await loadPage(id);
    if (!page) return notFound(ctx, reply, `There is no load ${req.params.id}. The loads are listed on the Data page.`);
    const { load } = page;
    await ctx.audit(req, { action: 'view.findings', target: `load ${load.load_id}`, detail: { examples: page.examples.flat().length } });
    let banner: { title: string; text: string; restored: { id: number; href: string; text: string }[] } | null = null;
    if (req.query.rolledBack && load.status === 'rolled_back') {
      const restoredIds = (req.query.restored ?? '').split(',').map((s) => idOf(s.trim())).filter((n): n is number => n !== null);
      const restored = restoredIds.length
        ? await ctx.store.query<LoadRow>(`SELECT load_id, file_name, kind, part, collection_year, period_start, period_end FROM loads WHERE load_id IN (${restoredIds.join(',')}) ORDER BY load_id`)
        : [];
      banner = {
        title: `Load ${load.load_id} rolled back`,
        text: `Load ${load.load_id} (${load.file_name}) was rolled back: its ${load.rows_loaded.toLocaleString('en-GB')} rows no longer count in the figures.`
          + (restored.length ? '' : ' No earlier load came back in its place.'),
        restored: restored.map((r) => ({ id: r.load_id, href: `/data/loads/${r.load_id}`, text: `Load ${r.load_id} (${r.file_name}${periodText(r) ? `, ${periodText(r)}` : ''}) is active again.` })),
      };
    }
    const rowsByTable = Object.entries(load.summary?.rows ?? {}).map(([table, n]) => ({ table, n }));
    const columnMap = Object.entries(load.summary?.columnMap ?? {}).flatMap(([section, map]) =>
      Object.entries(map).map(([heading, field]) => ({ section, heading, field })));
    return ctx.render(reply, 'data-load.njk', {
      title: `Load ${load.load_id}: ${load.file_name}`,
      load: { ...loadView(load), fileBytes: load.file_bytes, reason: load.summary?.reason ?? null },
      rowsByTable, columnMap, banner,
      rules: page.rules.map((r, i) => ({
        ...r, rulesetText: rulesetName(r.ruleset), href: ruleHref(r, load.load_id),
        examples: page.examples[i].map((f) => ({ ...findingJson(f), childHref: f.child_id ? `/child/${encodeURIComponent(f.child_id)}` : null })),
      })),
      restores: page.restores.map(loadView),
    });
  });

  // Rollback: GET asks, POST does -----------------------------------------------------------------------

  app.get<{ Params: { id: string } }>('/data/loads/:id/rollback', { config: { access: 'analyst' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const page = id === null ? null : await loadPage(id);
    if (!page) return notFound(ctx, reply, `There is no load ${req.params.id}. The loads are listed on the Data page.`);
    const { load } = page;
    if (load.status !== 'active') {
      reply.code(409);
      return ctx.render(reply, 'error.njk', { title: 'This load cannot be rolled back', message: `Load ${load.load_id} is ${STATUS_TAGS[load.status]?.text.toLowerCase() ?? load.status}, not active: only an active load can be rolled back.` });
    }
    return ctx.render(reply, 'data-rollback.njk', {
      title: `Are you sure you want to roll back load ${load.load_id}?`,
      load: loadView(load),
      rowsByTable: Object.entries(load.summary?.rows ?? {}).map(([table, n]) => ({ table, n })),
      restores: page.restores.map(loadView),
    });
  });

  const doRollback = async (req: FastifyRequest, id: number) => onFork(ctx.store, (s) => rollbackLoad(s, id, { actor: actorOf(req) }));

  app.post<{ Params: { id: string } }>('/data/loads/:id/rollback', { config: { access: 'analyst' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const load = id === null ? null : await loadById(ctx.store, id);
    if (!load) return notFound(ctx, reply, `There is no load ${req.params.id}. The loads are listed on the Data page.`);
    if (load.status !== 'active') {
      reply.code(409);
      return ctx.render(reply, 'error.njk', { title: 'This load cannot be rolled back', message: `Load ${load.load_id} is ${STATUS_TAGS[load.status]?.text.toLowerCase() ?? load.status}, not active: only an active load can be rolled back.` });
    }
    req.log.info({ loadId: load.load_id, user: userOf(req) }, 'rollback');
    const { restored } = await doRollback(req, load.load_id);
    return reply.redirect(`/data/loads/${load.load_id}?rolledBack=1${restored.length ? `&restored=${restored.join(',')}` : ''}`, 303);
  });

  app.post<{ Params: { id: string } }>('/api/loads/:id/rollback', { config: { access: 'analyst' } }, async (req, reply) => {
    const id = idOf(req.params.id);
    const load = id === null ? null : await loadById(ctx.store, id);
    if (!load) return reply.code(404).send({ error: `There is no load ${req.params.id}` });
    if (load.status !== 'active') return reply.code(409).send({ error: `Load ${load.load_id} is ${load.status}, not active: only an active load can be rolled back` });
    req.log.info({ loadId: load.load_id, user: userOf(req) }, 'rollback');
    const { restored } = await doRollback(req, load.load_id);
    return { loadId: load.load_id, status: 'rolled_back', restored };
  });

  // Findings of one rule ----------------------------------------------------------------------------------

  type FindingsQs = { code?: string; ruleset?: string; load?: string; page?: string };
  const parseFindings = (qs: FindingsQs) => {
    const errors: { text: string; href: string }[] = [];
    const code = (qs.code ?? '').trim();
    if (!code) errors.push({ text: 'Enter a rule code, for example 103 or CSC101', href: '#code' });
    else if (!/^[A-Za-z0-9_.-]{1,40}$/.test(code)) errors.push({ text: 'A rule code has only letters, digits, dots, dashes and underscores', href: '#code' });
    const ruleset = qs.ruleset ? qs.ruleset.trim() : undefined;
    if (ruleset && !(ruleset in RULESET_NAMES)) errors.push({ text: `Choose a ruleset: ${Object.keys(RULESET_NAMES).join(', ')}`, href: '#ruleset' });
    let load: number | undefined;
    if (qs.load) {
      const id = idOf(qs.load);
      if (id === null) errors.push({ text: 'The load must be a load number', href: '#load' });
      else load = id;
    }
    const pageNo = qs.page ? idOf(qs.page) : 1;
    if (pageNo === null || pageNo < 1) errors.push({ text: 'The page must be a whole number, 1 or more', href: '#page' });
    return { errors, q: { code, ruleset: ruleset || undefined, load } as FindingsQuery, page: pageNo ?? 1 };
  };

  app.get<{ Querystring: FindingsQs }>('/api/findings', { config: { access: 'analyst' } }, async (req, reply) => {
    const { errors, q, page } = parseFindings(req.query);
    if (errors.length) return reply.code(400).send({ error: errors.map((e) => e.text).join('; '), errors });
    const { total, rows } = await findingsOf(ctx.store, q, FINDINGS_PAGE_SIZE, (page - 1) * FINDINGS_PAGE_SIZE);
    await ctx.audit(req, { action: 'view.findings', target: q.code, detail: { ruleset: q.ruleset ?? null, load: q.load ?? null, page } });
    return {
      code: q.code, ruleset: q.ruleset ?? null, load: q.load ?? null, total, page, pageSize: FINDINGS_PAGE_SIZE,
      pages: Math.max(1, Math.ceil(total / FINDINGS_PAGE_SIZE)), findings: rows.map(findingJson),
    };
  });

  app.get<{ Querystring: FindingsQs }>('/data/findings.csv', { config: { access: 'analyst' } }, async (req, reply) => {
    const { errors, q } = parseFindings({ ...req.query, page: undefined });
    if (errors.length) {
      reply.code(400);
      return ctx.render(reply, 'error.njk', { title: 'There is a problem with the request', message: errors.map((e) => e.text).join('. ') });
    }
    const { rows } = await findingsOf(ctx.store, q, CSV_CAP);
    await ctx.audit(req, { action: 'export.findings_csv', target: q.code, detail: { ruleset: q.ruleset ?? null, load: q.load ?? null, rows: rows.length } });
    const body = csv([
      ['load', 'ruleset', 'code', 'severity', 'file', 'row', 'section', 'field', 'value', 'child', 'message'],
      ...rows.map((f) => [f.load_id, f.ruleset, f.code, f.severity, f.file, f.row, f.section, f.field, f.value, f.child_id, f.message]),
    ]);
    const name = `findings-${q.ruleset ? `${q.ruleset}-` : ''}${q.code}${q.load !== undefined ? `-load-${q.load}` : ''}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);
  });

  app.get<{ Querystring: FindingsQs }>('/data/findings', { config: { access: 'analyst' } }, async (req, reply) => {
    const { errors, q, page } = parseFindings(req.query);
    if (errors.length) {
      reply.code(400);
      return ctx.render(reply, 'data-findings.njk', { title: 'Findings', errors, fieldErrors: fieldErrors(errors), values: req.query, findings: null });
    }
    const { total, rows } = await findingsOf(ctx.store, q, FINDINGS_PAGE_SIZE, (page - 1) * FINDINGS_PAGE_SIZE);
    await ctx.audit(req, { action: 'view.findings', target: q.code, detail: { ruleset: q.ruleset ?? null, load: q.load ?? null, page } });
    const pages = Math.max(1, Math.ceil(total / FINDINGS_PAGE_SIZE));
    if (page > pages) return notFound(ctx, reply, `There is no page ${page}: these findings have ${pages} page${pages === 1 ? '' : 's'}.`);
    const base = `/data/findings?code=${encodeURIComponent(q.code)}${q.ruleset ? `&ruleset=${encodeURIComponent(q.ruleset)}` : ''}${q.load !== undefined ? `&load=${q.load}` : ''}`;
    const load = q.load !== undefined ? await loadById(ctx.store, q.load) : null;
    if (q.load !== undefined && !load) return notFound(ctx, reply, `There is no load ${q.load}.`);
    return ctx.render(reply, 'data-findings.njk', {
      title: `Findings for rule ${q.code}${q.ruleset ? ` (${rulesetName(q.ruleset)})` : ''}${load ? ` in load ${load.load_id}` : ''}`,
      q, load: load ? loadView(load) : null, total, page, pages, values: req.query,
      first: total === 0 ? 0 : (page - 1) * FINDINGS_PAGE_SIZE + 1, last: Math.min(total, page * FINDINGS_PAGE_SIZE),
      csvHref: base.replace('/data/findings?', '/data/findings.csv?'),
      pagination: pages > 1 ? {
        previous: page > 1 ? { href: `${base}&page=${page - 1}` } : undefined,
        next: page < pages ? { href: `${base}&page=${page + 1}` } : undefined,
        items: pageItems(page, pages).map((p) => (p === null ? { ellipsis: true } : { number: p, href: `${base}&page=${p}`, current: p === page })),
      } : null,
      findings: rows.map((f) => ({ ...findingJson(f), childHref: f.child_id ? `/child/${encodeURIComponent(f.child_id)}` : null })),
    });
  });

  // Upload ------------------------------------------------------------------------------------------------

  app.get('/data/upload', { config: { access: 'analyst' } }, async (_req, reply) => ctx.render(reply, 'data-upload.njk', {
    title: 'Upload files', maxText: megabytes(maxBytes), maxFiles: MAX_FILES,
  }));

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: MAX_FILES, fields: 20, parts: MAX_FILES + 20 } });

    scope.post('/data/upload', { config: { access: 'analyst' } }, async (req, reply) => {
      const outcome = await handleUpload(ctx, req, maxBytes);
      reply.code(outcome.status);
      if (outcome.errors.length) {
        return ctx.render(reply, 'data-upload.njk', {
          title: 'Upload files', maxText: megabytes(maxBytes), maxFiles: MAX_FILES, errors: outcome.errors, fieldErrors: fieldErrors(outcome.errors),
          values: { year: outcome.year, validateOnly: outcome.validateOnly },
        });
      }
      const files = outcome.results.map((r) => resultView(r, outcome.validateOnly));
      const rules = resultRules(outcome.results).map((r) => ({
        ...r, rulesetText: rulesetName(r.ruleset),
        examples: r.examples.map((f) => ({ ...f, childHref: f.childId ? `/child/${encodeURIComponent(f.childId)}` : null })),
      }));
      const rejected = files.map((f, i) => ({ f, i })).filter(({ f }) => f.statusWord === 'rejected');
      return ctx.render(reply, 'data-upload-results.njk', {
        title: outcome.validateOnly ? 'Check results' : 'Upload results',
        validateOnly: outcome.validateOnly, files, rules,
        totals: {
          loaded: files.reduce((a, f) => a + f.loaded, 0), rejected: files.reduce((a, f) => a + f.rowsRejected, 0),
          warnings: files.reduce((a, f) => a + f.warnings, 0),
        },
        rejectedErrors: rejected.map(({ f, i }) => ({ text: f.reason ?? `${f.file} was not loaded`, href: `#file-${i + 1}` })),
      });
    });

    scope.post('/api/loads', { config: { access: 'analyst' } }, async (req, reply) => {
      const outcome = await handleUpload(ctx, req, maxBytes);
      reply.code(outcome.status);
      if (outcome.errors.length) return { error: outcome.errors.map((e) => e.text).join('; '), errors: outcome.errors };
      return { validateOnly: outcome.validateOnly, results: outcome.results.map(resultJson) };
    });
  });
}

/** Page numbers around the current one, with null for a gap: 1 … 4 5 6 … 20. */
function pageItems(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 1) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}
