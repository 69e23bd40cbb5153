// Sign-in, roles, team scoping, CSRF and security headers for the dashboard.
//
// THE CONVENTION FOR ROUTES — every route says who may reach it in its config:
//
//   app.get('/path', { config: { access: 'staff' } }, handler)
//
//   'public'    no sign-in: /health, /login and the static files only
//   'signed-in' any signed-in user; a viewer sees aggregates with small numbers suppressed
//   'staff'     admin, analyst, manager: unsuppressed aggregates (indicator pages, breakdowns, targets)
//   'child'     child-level data: analysts and admins see every child; managers only children allocated to
//               their teams (filter with `teamScope(req)` / `ctx.childInScope(req, id)`); viewers never
//   'analyst'   analysts and admins: loads, rollbacks, findings (they name children), commentary, targets, publish
//   'admin'     admins: users, the audit log, backups
//
// A route that says nothing is 'analyst' (deny by default: forgetting the declaration never opens data to a
// manager or viewer). An address no route matches needs a signed-in user before it is told "not found".
// Every view, search or export of child-level data writes an audit row: call `ctx.audit(req, …)` in the route.
//
// Admins hold every right an analyst holds (in a local authority's performance team the administrator is a
// senior analyst); the DPO's question "who can see which child" has the answer: analysts and admins every
// child, managers their teams' children, viewers none.
//
// Sessions: the browser holds a random token in the cookie `csc_session`, signed (HMAC-SHA256 by
// @fastify/cookie with CSC_SESSION_SECRET, or a random secret per server process when that is not set, so a
// restart signs everyone out), HttpOnly, SameSite=Strict, Secure when served over HTTPS, Path=/; the store
// keeps only the token's SHA-256 (auth/sessions.ts: 30 minutes idle, 8 hours at most).
//
// CSRF: every state-changing request (not GET/HEAD) must carry the session's token, as the form field `_csrf`
// or the header `x-csrf-token`; the sign-in form carries a token tied to a short-lived signed cookie
// `csc_login` instead (there is no session yet). Multipart uploads are checked by the upload route itself
// (`requireCsrf`) once the field has been read, before anything is loaded.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { Store } from '../store.ts';
import { appendAudit, appendAuditGrouped, type Actor, type AuditAction, type AuditRow } from '../audit.ts';
import { createSession, csrfMatches, endSession, getSession, LoginRateLimiter } from '../auth/sessions.ts';
import { verifyLogin, type Clock, type Role } from '../auth/users.ts';
import { GOVUK_DIST } from './views.ts';

export type Access = 'public' | 'signed-in' | 'staff' | 'child' | 'analyst' | 'admin';

declare module 'fastify' {
  interface FastifyInstance {
    /** every route added, with the access it declares (see buildApp) */
    cscRoutes: readonly { method: string; url: string; access: Access | undefined }[];
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** the signed-in user, or null (only on public routes) */
    user: SignedInUser | null;
    /** audit rows this request wrote (the page cache writes them again when it serves the page to someone else) */
    cscAudits?: PendingAudit[];
  }
}

export interface SignedInUser {
  readonly username: string;
  readonly role: Role;
  /** managers: the names of the teams whose children they may see */
  readonly teams: readonly string[];
  readonly csrfToken: string;
  readonly mustChangePassword: boolean;
}

export interface PendingAudit {
  action: AuditAction;
  target: string | null;
  detail?: unknown;
}

const ALLOWED: Record<Role, ReadonlySet<Access>> = {
  admin: new Set(['public', 'signed-in', 'staff', 'child', 'analyst', 'admin']),
  analyst: new Set(['public', 'signed-in', 'staff', 'child', 'analyst']),
  manager: new Set(['public', 'signed-in', 'staff', 'child']),
  viewer: new Set(['public', 'signed-in']),
};

export function allows(role: Role, access: Access): boolean {
  return ALLOWED[role].has(access);
}

export const SESSION_COOKIE = 'csc_session';
const LOGIN_COOKIE = 'csc_login';
const STATIC_PREFIXES = ['/assets/', '/govuk/', '/static/'];

/** The access a request's route declares (static files are public; an unmatched address needs a sign-in). */
export function accessOf(req: FastifyRequest): Access {
  const path = req.url.split('?')[0];
  if (STATIC_PREFIXES.some((p) => path.startsWith(p))) return 'public';
  const declared = req.routeOptions.config?.access;
  if (declared) return declared;
  return req.routeOptions.url === undefined ? 'signed-in' : 'analyst';
}

/**
 * The teams whose children this user may see: null for every team (analysts, admins), the manager's team
 * names otherwise (an empty list for a manager with no team: no child at all).
 */
export function teamScope(req: FastifyRequest): readonly string[] | null {
  const u = req.user;
  if (!u) return [];
  if (u.role === 'analyst' || u.role === 'admin') return null;
  if (u.role === 'manager') return u.teams;
  return [];
}

/** Whether a row attributed to `team` may be shown to this user. */
export function teamAllowed(req: FastifyRequest, team: string | null | undefined): boolean {
  const scope = teamScope(req);
  return scope === null || (team !== null && team !== undefined && scope.includes(team));
}

/** Team names joined for the $teams parameter of CHILDREN_OF_TEAMS_SQL (unit separator: never in a name). */
export const joinTeams = (teams: readonly string[]): string => teams.join('\u001f');
/**
 * SQL: the children of the teams in $teams — allocated to one of them (now or before, by team name or id), or
 * with a record that names one of them (contacts, referrals, assessments, S47 enquiries and CP plans carry the
 * team that held them) — the same two sources that give the team of every row behind a figure or in a list.
 */
export const CHILDREN_OF_TEAMS_SQL = `
  SELECT a.child_id FROM main.allocations a LEFT JOIN main.teams t ON t.team_id = a.team_id
  WHERE list_contains(string_split($teams, chr(31)), t.name) OR list_contains(string_split($teams, chr(31)), a.team_id)
  ${['contacts', 'referrals', 'assessments', 'section47', 'cp_plans']
    .map((t) => `UNION ALL SELECT child_id FROM main.${t} WHERE list_contains(string_split($teams, chr(31)), team)`).join('\n  ')}`;

/** Whether the user may see this child: every child for analysts and admins; for managers, a child ever allocated to one of their teams. */
export async function childInScope(store: Store, req: FastifyRequest, childId: string): Promise<boolean> {
  const scope = teamScope(req);
  if (scope === null) return true;
  if (scope.length === 0) return false;
  const rows = await store.query(`SELECT 1 FROM (${CHILDREN_OF_TEAMS_SQL}) c WHERE c.child_id = $id LIMIT 1`, { teams: joinTeams(scope), id: childId });
  return rows.length > 0;
}

/** Where the request came from, for the audit log. */
export function ipOf(req: FastifyRequest): string {
  return req.ip ?? 'unknown';
}

/** The signed-in user and address, for the domain functions that audit what they change (loads, targets, …). */
export function actorOf(req: FastifyRequest): Actor {
  return { username: req.user?.username ?? null, ip: ipOf(req) };
}

/** Writes an audit row for this request's user, and remembers it so a cached copy of the page is audited too. */
export async function auditRequest(store: Store, req: FastifyRequest, entry: PendingAudit): Promise<AuditRow> {
  (req.cscAudits ??= []).push(entry);
  return appendAuditGrouped(store, { username: req.user?.username ?? null, ip: ipOf(req), ...entry });
}

/** The CSRF check for a state-changing request whose token has been read by the route (multipart uploads). */
export function requireCsrf(req: FastifyRequest, submitted: string | undefined | null): void {
  if (!req.user || !csrfMatches(req.user, submitted)) {
    throw Object.assign(new Error('This form has expired or did not come from this service. Go back, reload the page and try again.'), { statusCode: 403 });
  }
}

/** sha256 source hashes of GOV.UK Frontend's one inline script (it marks the body js-enabled), for the CSP. */
function govukInlineScriptHashes(): string[] {
  const template = readFileSync(join(GOVUK_DIST, 'govuk', 'template.njk'), 'utf8');
  const out: string[] = [];
  for (const m of template.matchAll(/<script[^>]*>([^<]+)<\/script>/g)) {
    out.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return out;
}

export interface AuthOptions {
  readonly store: Store;
  /** HMAC key for the cookies; CSC_SESSION_SECRET or random per process */
  readonly secret?: string;
  /** tests: the clock for session expiry */
  readonly clock?: Clock;
  /** sign-in attempts per IP address in 5 minutes (default 10) */
  readonly loginLimit?: number;
  /** mark cookies Secure even over plain HTTP (behind a TLS-terminating proxy) */
  readonly secureCookies?: boolean;
  render(reply: FastifyReply, template: string, context: Record<string, unknown>): FastifyReply;
}

function forbidden(req: FastifyRequest, reply: FastifyReply, o: AuthOptions, message: string): FastifyReply {
  reply.code(403);
  if (req.url.startsWith('/api/') || req.method !== 'GET') return reply.type('application/json').send({ error: message });
  return o.render(reply, 'error.njk', { title: 'You do not have access to this page', message });
}

/** Only a path on this site: '/scorecard?month=…', never '//elsewhere' or 'https://…'. */
function safeNext(next: unknown): string {
  const s = typeof next === 'string' ? next : '';
  return /^\/(?![/\\])[^\s]*$/.test(s) && !s.startsWith('/login') ? s : '/scorecard';
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function registerAuth(app: FastifyInstance, o: AuthOptions): Promise<void> {
  const secret = o.secret ?? process.env.CSC_SESSION_SECRET ?? randomBytes(32).toString('base64url');
  const limiter = new LoginRateLimiter({ limit: o.loginLimit, clock: o.clock });
  await app.register(fastifyCookie, { secret });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...govukInlineScriptHashes()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    hsts: false, // set by the TLS-terminating proxy, which knows whether HTTPS is in front
  });
  app.decorateRequest('user', null);
  // Sessions are looked up on every request: on a connection of their own, so a lookup never queues behind
  // a page's queries on the main connection (DuckDB runs one query at a time per connection).
  const sessions = await o.store.fork();
  app.addHook('onClose', async () => sessions.close());

  const secure = (req: FastifyRequest) => o.secureCookies === true || req.protocol === 'https';

  // Who is asking: before anything else (the page cache's key includes the role and teams).
  app.addHook('onRequest', async (req, reply) => {
    const signed = req.cookies[SESSION_COOKIE];
    const token = signed ? req.unsignCookie(signed) : null;
    if (token?.valid && token.value) {
      const s = await getSession(sessions, token.value, { clock: o.clock });
      if (s) req.user = { username: s.username, role: s.role, teams: s.teams, csrfToken: s.csrfToken, mustChangePassword: s.mustChangePassword };
    }
    const access = accessOf(req);
    if (access === 'public') return;
    // Personal data: never kept by the browser or a proxy.
    reply.header('cache-control', 'no-store');
    if (!req.user) {
      reply.code(401);
      if (req.url.startsWith('/api/') || req.method !== 'GET') return reply.type('application/json').send({ error: 'Sign in first' });
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    // A temporary password (set by an administrator) must be changed before anything else.
    const path = req.url.split('?')[0];
    if (req.user.mustChangePassword && path !== '/account/password' && path !== '/logout') {
      if (req.url.startsWith('/api/') || req.method !== 'GET') return forbidden(req, reply, o, 'Change your temporary password first.');
      return reply.redirect('/account/password', 303);
    }
    if (!allows(req.user.role, access)) {
      return forbidden(req, reply, o, req.user.role === 'viewer'
        ? 'Your account shows the scorecard and the published reports, with small numbers suppressed. Ask an administrator if you need more.'
        : 'Your account cannot use this page. Ask an administrator if you need it.');
    }
  });

  // CSRF on every state-changing request that has a session (after the body is parsed; multipart is checked by its route).
  app.addHook('preHandler', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (accessOf(req) === 'public') return;
    if (String(req.headers['content-type'] ?? '').startsWith('multipart/')) return;
    const body = req.body as Record<string, unknown> | undefined;
    const submitted = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? (req.headers['x-csrf-token'] as string | undefined);
    if (!req.user || !csrfMatches(req.user, submitted)) {
      return forbidden(req, reply, o, 'This form has expired or did not come from this service. Go back, reload the page and try again.');
    }
  });

  const loginPage = (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_COOKIE, token, { signed: true, httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/login', maxAge: 30 * 60 });
    return o.render(reply, 'login.njk', { title: 'Sign in', csrf: token, next: safeNext((req.query as { next?: string })?.next), ...extra });
  };

  app.get('/login', { config: { access: 'public' } }, async (req, reply) => {
    if (req.user) return reply.redirect(safeNext((req.query as { next?: string }).next), 303);
    return loginPage(req, reply);
  });

  app.post<{ Body: Record<string, string> }>('/login', { config: { access: 'public' } }, async (req, reply) => {
    const b = req.body ?? {};
    const cookie = req.cookies[LOGIN_COOKIE];
    const expected = cookie ? req.unsignCookie(cookie) : null;
    if (!expected?.valid || !sameToken(expected.value ?? undefined, b._csrf)) {
      reply.code(403);
      return loginPage(req, reply, { errors: [{ text: 'The sign-in form had expired. Enter your username and password again.', href: '#username' }], username: b.username ?? '' });
    }
    const limit = limiter.attempt(ipOf(req));
    if (!limit.allowed) {
      reply.code(429).header('retry-after', String(limit.retryAfterSeconds));
      return loginPage(req, reply, { errors: [{ text: `Too many attempts to sign in from this computer. Wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.`, href: '#username' }], username: b.username ?? '' });
    }
    const username = String(b.username ?? '').slice(0, 100);
    const password = String(b.password ?? '').slice(0, 1000);
    const errors = [];
    if (username.trim() === '') errors.push({ text: 'Enter your username', href: '#username' });
    if (password === '') errors.push({ text: 'Enter your password', href: '#password' });
    if (errors.length) {
      reply.code(400);
      return loginPage(req, reply, { errors, username });
    }
    const result = await verifyLogin(o.store, username, password, ipOf(req), { clock: o.clock });
    if (!result.ok) {
      reply.code(401);
      return loginPage(req, reply, { errors: [{ text: result.message, href: '#username' }], username });
    }
    const session = await createSession(o.store, result.user.username, ipOf(req), { clock: o.clock });
    reply.clearCookie(LOGIN_COOKIE, { path: '/login' });
    reply.setCookie(SESSION_COOKIE, session.token, {
      signed: true, httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/', expires: new Date(session.expiresAt),
    });
    return reply.redirect(safeNext(b.next), 303);
  });

  // For API clients (scripts that sign in through the form): who they are and the CSRF token for their POSTs.
  app.get('/api/session', { config: { access: 'signed-in' } }, async (req) => ({
    username: req.user!.username, role: req.user!.role, teams: req.user!.teams, csrfToken: req.user!.csrfToken,
  }));

  app.post('/logout', { config: { access: 'signed-in' } }, async (req, reply) => {
    const signed = req.cookies[SESSION_COOKIE];
    const token = signed ? req.unsignCookie(signed) : null;
    if (token?.valid && token.value) await endSession(o.store, token.value, { clock: o.clock });
    await appendAudit(o.store, { username: req.user!.username, ip: ipOf(req), action: 'logout', target: req.user!.username });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
