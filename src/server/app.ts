// The web dashboard: a Fastify app rendering GOV.UK-styled pages with Nunjucks. The core works without
// client-side JavaScript; every page's figures come from the same engine and judgement as the CLI, and
// every page has a JSON twin under /api.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import formbody from '@fastify/formbody';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type nunjucks from 'nunjucks';
import type { Store } from '../store.ts';
import { Engine } from '../engine.ts';
import { SPC_MONTHS } from '../judge/scorecard.ts';
import type { Settings } from '../indicators/types.ts';
import { GOVUK_DIST, viewEnvironment } from './views.ts';
import { scorecardRoutes, targetRoutes, reportRoutes, measureRoutes } from './routes/scorecard.ts';
import { indicatorRoutes } from './routes/indicator.ts';
import { childRoutes } from './routes/child.ts';
import { listsRoutes } from './routes/lists.ts';
import { dataRoutes } from './routes/data.ts';
import { adminRoutes } from './routes/admin.ts';
import { analysesRoutes } from './routes/analyses.ts';
import {
  registerAuth, auditRequest, childInScope, ipOf, type Access, allows, type PendingAudit,
} from './auth.ts';
import { appendAuditGrouped, type AuditRow } from '../audit.ts';
import type { Clock } from '../auth/users.ts';
import type { FastifyRequest } from 'fastify';

export interface AppOptions {
  readonly store: Store;
  readonly settings?: Partial<Settings>;
  /** the shipped targets file */
  readonly targetsPath?: string;
  /** the authority's name, shown in the header */
  readonly authority?: string;
  readonly logger?: boolean;
  /** HMAC key for the session cookies (default CSC_SESSION_SECRET, else random per process) */
  readonly sessionSecret?: string;
  /** tests: the clock sessions expire by */
  readonly clock?: Clock;
  /** sign-in attempts per IP address in 5 minutes (default 10) */
  readonly loginLimit?: number;
  /** Secure cookies even over plain HTTP (behind a TLS-terminating proxy) */
  readonly secureCookies?: boolean;
  /**
   * Compute the latest month's scorecard, and every team's, when the server starts and whenever a request
   * changes the data, so the first reader after a load does not wait for it (`csc serve`).
   */
  readonly warmScorecards?: boolean;
}

/** What every route can use: the store, the engine, the views and a cache keyed by data version. */
export interface AppContext {
  readonly store: Store;
  readonly engine: Engine;
  readonly views: nunjucks.Environment;
  readonly targetsPath: string;
  readonly authority: string;
  /** the value of `compute` for key, computed once per data version */
  cached<T>(key: string, compute: () => Promise<T>): Promise<T>;
  render(reply: FastifyReply, template: string, context: Record<string, unknown>): FastifyReply;
  /** writes an audit row for the request's user (and replays it when a cached copy of the page is served) */
  audit(req: FastifyRequest, entry: PendingAudit): Promise<AuditRow>;
  /** whether the request's user may see this child (every child for analysts; a manager's teams' children) */
  childInScope(req: FastifyRequest, childId: string): Promise<boolean>;
}

const VERSION_TTL_MS = 1000;
const PAGE_TTL_MS = 30_000;

/** The navigation, each entry with the access its pages need (a user sees only what they can open). */
export const NAVIGATION: readonly { href: string; text: string; access: Access }[] = [
  { href: '/scorecard', text: 'Scorecard', access: 'signed-in' },
  { href: '/lists', text: 'Lists', access: 'child' },
  { href: '/caseloads', text: 'Caseloads', access: 'child' },
  { href: '/child', text: 'Find a child', access: 'child' },
  { href: '/analyses', text: 'Analyses', access: 'staff' },
  { href: '/targets', text: 'Targets', access: 'staff' },
  { href: '/data', text: 'Data', access: 'analyst' },
  { href: '/admin', text: 'Admin', access: 'admin' },
];

const ROLE_TEXT = { admin: 'administrator', analyst: 'analyst', manager: 'manager', viewer: 'viewer' } as const;

// A cached page is shared by everyone with the same role and teams, so the per-user parts are written as
// placeholders and filled in for each response.
const CSRF_PLACEHOLDER = '__CSC_CSRF_TOKEN__';
const USER_PLACEHOLDER = '__CSC_USERNAME__';
function personalise(body: string, req: FastifyRequest): string {
  if (!req.user) return body;
  return body.replaceAll(CSRF_PLACEHOLDER, req.user.csrfToken).replaceAll(USER_PLACEHOLDER, req.user.username);
}

// A cached page kept as UTF-8 pieces around its placeholders: serving it again joins buffers instead of
// searching and re-encoding a page of a few hundred kilobytes on the one JavaScript thread.
type PageParts = (Buffer | typeof CSRF_PLACEHOLDER | typeof USER_PLACEHOLDER)[];
function pageParts(body: string): PageParts {
  return body.split(/(__CSC_CSRF_TOKEN__|__CSC_USERNAME__)/).map((piece, i) =>
    i % 2 === 1 ? (piece as typeof CSRF_PLACEHOLDER | typeof USER_PLACEHOLDER) : Buffer.from(piece, 'utf8'));
}
function personalisedParts(parts: PageParts, req: FastifyRequest): Buffer {
  const user = req.user!;
  return Buffer.concat(parts.map((p) => (p === CSRF_PLACEHOLDER ? Buffer.from(user.csrfToken, 'utf8')
    : p === USER_PLACEHOLDER ? Buffer.from(user.username, 'utf8') : p)));
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  // Every route with the access it declares, for the tests that check each one is guarded.
  const routes: { method: string; url: string; access: Access | undefined }[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.push({ method: m, url: r.url, access: (r.config as { access?: Access } | undefined)?.access });
  });
  app.decorate('cscRoutes', routes);
  const views = viewEnvironment();
  const engine = new Engine(options.store, options.settings, { cache: true });
  const cache = new Map<string, { version: string; value: Promise<unknown> }>();
  // The data version is read at most every VERSION_TTL_MS (a load from the command line shows within that
  // time) and at once after any request that may have changed data (every POST goes through onResponse).
  let version: { value: Promise<string>; at: number } | null = null;
  const dataVersion = (): Promise<string> => {
    if (!version || Date.now() - version.at > VERSION_TTL_MS) version = { value: options.store.dataVersion(), at: Date.now() };
    return version.value;
  };
  const MAX_CACHED = 500;
  const ctx: AppContext = {
    store: options.store,
    engine,
    views,
    targetsPath: options.targetsPath ?? 'config/targets.json',
    authority: options.authority ?? 'Children\'s services',
    async cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const version = await dataVersion();
      const hit = cache.get(key);
      if (hit && hit.version === version) return hit.value as Promise<T>;
      const value = compute();
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!); // the oldest entry
      cache.set(key, { version, value });
      value.catch(() => cache.delete(key));
      return value;
    },
    render(reply, template, context) {
      const req = reply.request;
      const path = req.url.split('?')[0];
      const user = req.user;
      const html = views.render(template, {
        csrf: CSRF_PLACEHOLDER,
        ...context,
        authority: ctx.authority,
        signedIn: user && { username: USER_PLACEHOLDER, roleText: ROLE_TEXT[user.role], teams: user.role === 'manager' ? user.teams.join(', ') : '' },
        navigation: user ? NAVIGATION.filter((n) => allows(user.role, n.access))
          .map(({ href, text }) => ({ href, text, active: path === href || path.startsWith(`${href}/`) })) : [],
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
    audit: (req, entry) => auditRequest(options.store, req, entry),
    childInScope: (req, childId) => childInScope(options.store, req, childId),
  };

  // Before any route: Fastify binds a route to the error handler in force when the route is added.
  app.setNotFoundHandler((req, reply) => {
    reply.code(404);
    if (req.url.startsWith('/api/')) return reply.send({ error: 'not found' });
    return ctx.render(reply, 'error.njk', { title: 'Page not found', message: 'If you typed the web address, check it is correct.' });
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : err instanceof RangeError ? 400 : 500;
    if (status >= 500) req.log.error(err);
    reply.code(status);
    const message = status >= 500 ? 'Sorry, there is a problem with the service. Try again later.' : err.message;
    if (req.url.startsWith('/api/')) return reply.send({ error: message });
    return ctx.render(reply, 'error.njk', { title: status === 400 ? 'There is a problem with the request' : 'Sorry, there is a problem', message });
  });
  // Warming runs one at a time in the background; a warm for a version already warmed does nothing.
  let warming: Promise<void> = Promise.resolve();
  let warmedFor: string | null = null;
  const warm = () => {
    if (!options.warmScorecards) return;
    warming = warming.then(async () => {
      const v = await options.store.dataVersion();
      const last = (await options.store.dataRange()).last;
      if (v === warmedFor || !last) return;
      const month = last.slice(0, 7);
      await engine.scorecard(month, { trendMonths: SPC_MONTHS });
      await engine.scorecardsByTeam(month, { trendMonths: SPC_MONTHS });
      warmedFor = v;
    }).catch((err: unknown) => { app.log.error({ err: (err as Error).message }, 'warming the scorecards failed'); });
  };
  app.addHook('onReady', async () => { warm(); });
  app.addHook('onClose', async () => { await warming; engine.close(); });
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      version = null;
      warm();
    }
  });

  // Sign-in, roles, CSRF and security headers come first: the page cache below keys pages by role and teams.
  await registerAuth(app, {
    store: options.store, secret: options.sessionSecret, clock: options.clock, loginLimit: options.loginLimit,
    secureCookies: options.secureCookies, render: (reply, template, context) => ctx.render(reply, template, context),
  });

  // Whole pages: a GET that answered HTML to a signed-in user is kept for PAGE_TTL_MS, or until the data
  // version changes, and served again to users with the same role and teams, with their own CSRF token and
  // name filled in and the page's audit rows written again for them. The TTL keeps pages drawn at "now"
  // (the MASH list) fresh.
  const pages = new Map<string, { version: string; at: number; parts: PageParts; type: string; audits: PendingAudit[] }>();
  const pageKey = (req: FastifyRequest) => `${req.user!.role}|${[...req.user!.teams].sort().join(',')}|${req.url}`;
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.user || reply.sent) return;
    const v = await dataVersion();
    (req as { cscVersion?: string }).cscVersion = v;
    const hit = pages.get(pageKey(req));
    if (hit && hit.version === v && Date.now() - hit.at < PAGE_TTL_MS) {
      await Promise.all(hit.audits.map((a) => appendAuditGrouped(options.store, { username: req.user!.username, ip: ipOf(req), ...a })));
      (req as { cscCacheHit?: boolean }).cscCacheHit = true;
      return reply.header('x-csc-page-cache', 'hit').type(hit.type).send(personalisedParts(hit.parts, req));
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    if ((req as { cscCacheHit?: boolean }).cscCacheHit) return payload;
    const v = (req as { cscVersion?: string }).cscVersion;
    if (v !== undefined && req.user && req.method === 'GET' && reply.statusCode === 200 && !reply.getHeader('content-disposition')) {
      if (pages.size >= MAX_CACHED) pages.delete(pages.keys().next().value!);
      pages.set(pageKey(req), { version: v, at: Date.now(), parts: pageParts(payload), type: String(reply.getHeader('content-type')), audits: req.cscAudits ?? [] });
    }
    return personalise(payload, req);
  });
  await app.register(formbody);
  // GOV.UK Frontend's CSS expects its fonts and images at /assets.
  await app.register(fastifyStatic, { root: join(GOVUK_DIST, 'govuk', 'assets'), prefix: '/assets/' });
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk'), prefix: '/govuk/', decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)$/.test(path),
  });

  await app.register(fastifyStatic, { root: join(dirname(fileURLToPath(import.meta.url)), 'public'), prefix: '/static/', decorateReply: false });

  app.get('/health', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/', { config: { access: 'signed-in' } }, async (_req, reply) => reply.redirect('/scorecard'));
  await scorecardRoutes(app, ctx);
  await targetRoutes(app, ctx);
  await reportRoutes(app, ctx);
  await measureRoutes(app, ctx);
  await indicatorRoutes(app, ctx);
  await childRoutes(app, ctx);
  await listsRoutes(app, ctx);
  await dataRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await analysesRoutes(app, ctx);

  return app;
}
