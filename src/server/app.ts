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
import type { Settings } from '../indicators/types.ts';
import { GOVUK_DIST, viewEnvironment } from './views.ts';
import { scorecardRoutes, targetRoutes, reportRoutes, measureRoutes } from './routes/scorecard.ts';
import { indicatorRoutes } from './routes/indicator.ts';
import { childRoutes } from './routes/child.ts';
import { listsRoutes } from './routes/lists.ts';
import { dataRoutes } from './routes/data.ts';

export interface AppOptions {
  readonly store: Store;
  readonly settings?: Partial<Settings>;
  /** the shipped targets file */
  readonly targetsPath?: string;
  /** the authority's name, shown in the header */
  readonly authority?: string;
  readonly logger?: boolean;
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
}

const VERSION_TTL_MS = 1000;
const PAGE_TTL_MS = 30_000;

export const NAVIGATION = [
  { href: '/scorecard', text: 'Scorecard' },
  { href: '/lists', text: 'Lists' },
  { href: '/caseloads', text: 'Caseloads' },
  { href: '/targets', text: 'Targets' },
  { href: '/data', text: 'Data' },
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const views = viewEnvironment();
  const engine = new Engine(options.store, options.settings);
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
      const path = reply.request.url.split('?')[0];
      const html = views.render(template, {
        ...context,
        authority: ctx.authority,
        navigation: NAVIGATION.map((n) => ({ ...n, active: path === n.href || path.startsWith(`${n.href}/`) })),
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
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
  app.addHook('onClose', async () => engine.close());
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') version = null;
  });

  // Whole pages: a GET that answered HTML is kept for PAGE_TTL_MS, or until the data version changes, and
  // served again as it was. Pages depend only on their address and the data until sign-in (issue 8), which
  // must add the user's role and teams to the key. The TTL keeps pages drawn at "now" (the MASH list) fresh.
  const pages = new Map<string, { version: string; at: number; body: string; type: string }>();
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET') return;
    const v = await dataVersion();
    (req as { cscVersion?: string }).cscVersion = v;
    const hit = pages.get(req.url);
    if (hit && hit.version === v && Date.now() - hit.at < PAGE_TTL_MS) {
      return reply.header('x-csc-page-cache', 'hit').type(hit.type).send(hit.body);
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const v = (req as { cscVersion?: string }).cscVersion;
    const type = String(reply.getHeader('content-type') ?? '');
    if (v !== undefined && req.method === 'GET' && reply.statusCode === 200 && typeof payload === 'string'
        && type.startsWith('text/html') && reply.getHeader('x-csc-page-cache') === undefined && !reply.getHeader('content-disposition')) {
      if (pages.size >= MAX_CACHED) pages.delete(pages.keys().next().value!);
      pages.set(req.url, { version: v, at: Date.now(), body: payload, type });
    }
    return payload;
  });
  await app.register(formbody);
  // GOV.UK Frontend's CSS expects its fonts and images at /assets.
  await app.register(fastifyStatic, { root: join(GOVUK_DIST, 'govuk', 'assets'), prefix: '/assets/' });
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk'), prefix: '/govuk/', decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)$/.test(path),
  });

  await app.register(fastifyStatic, { root: join(dirname(fileURLToPath(import.meta.url)), 'public'), prefix: '/static/', decorateReply: false });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/', async (_req, reply) => reply.redirect('/scorecard'));
  await scorecardRoutes(app, ctx);
  await targetRoutes(app, ctx);
  await reportRoutes(app, ctx);
  await measureRoutes(app, ctx);
  await indicatorRoutes(app, ctx);
  await childRoutes(app, ctx);
  await listsRoutes(app, ctx);
  await dataRoutes(app, ctx);

  return app;
}
