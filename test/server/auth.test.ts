// Sign-in, roles, team scoping, CSRF, session expiry, rate limiting, security headers and the audit of
// child-level views: through the real app (app.inject) on a real synthetic authority loaded into DuckDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { signedIn, TEST_PASSWORD, type Client } from '../helpers/signIn.ts';
import { addUser } from '../../src/auth/users.ts';
import { listAudit, verifyAudit } from '../../src/audit.ts';
import { LISTS } from '../../src/lists/index.ts';
import { SESSION_COOKIE } from '../../src/server/auth.ts';

let demo: DemoStore;
let app: FastifyInstance;
let analyst: Client, manager: Client, viewer: Client, admin: Client;
/** the manager's team, another team, a child allocated only to the other team, one only to the manager's */
let myTeam: string, otherTeam: string, otherChild: string, myChild: string;
let childIds: string[];

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

beforeAll(async () => {
  demo = await demoStore({ population: 2500, years: 1, seed: 11 });
  app = await buildApp({ store: demo.store, authority: 'Testshire', loginLimit: 1000 });
  analyst = await signedIn(app, demo.store, 'analyst', { username: 'ann.analyst' });
  // the two teams holding most of the referrals of the rolling year, so both have rows behind the figure
  const rows = ((await analyst.inject('/api/indicator/referrals.re_referrals_12m?period=2025-03%20R12')).json() as { children: { rows: { team: string | null }[] } }).children.rows;
  const byTeam = new Map<string, number>();
  for (const r of rows) if (r.team) byTeam.set(r.team, (byTeam.get(r.team) ?? 0) + 1);
  [myTeam, otherTeam] = [...byTeam].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const only = async (team: string, not: string) => (await demo.store.query<{ child_id: string }>(
    `WITH named AS (SELECT a.child_id, t.name AS team FROM main.allocations a JOIN main.teams t ON t.team_id = a.team_id
       UNION ALL SELECT child_id, team FROM main.referrals UNION ALL SELECT child_id, team FROM main.assessments
       UNION ALL SELECT child_id, team FROM main.contacts UNION ALL SELECT child_id, team FROM main.section47 UNION ALL SELECT child_id, team FROM main.cp_plans)
     SELECT child_id FROM named GROUP BY child_id HAVING bool_or(team = ?) AND NOT bool_or(coalesce(team = ?, false)) ORDER BY child_id LIMIT 1`, [team, not]))[0].child_id;
  otherChild = await only(otherTeam, myTeam);
  myChild = await only(myTeam, otherTeam);
  childIds = (await demo.store.query<{ child_id: string }>('SELECT child_id FROM main.children')).map((r) => r.child_id);
  manager = await signedIn(app, demo.store, 'manager', { username: 'mo.manager', teams: [myTeam] });
  viewer = await signedIn(app, demo.store, 'viewer', { username: 'vi.viewer' });
  admin = await signedIn(app, demo.store, 'admin', { username: 'ada.admin' });
}, 240_000);

afterAll(async () => {
  await app?.close();
  demo?.close();
});

/** A real address for every route pattern, from the loaded data. */
async function concreteUrls(): Promise<string[]> {
  const [load] = await demo.store.query<{ load_id: number }>(`SELECT load_id FROM loads WHERE status = 'active' ORDER BY load_id LIMIT 1`);
  const [worker] = await demo.store.query<{ worker_id: string }>('SELECT worker_id FROM main.allocations LIMIT 1');
  const sub: Record<string, string[]> = {
    '/indicator/:id': ['/indicator/referrals.re_referrals_12m', '/indicator/assessments.within_45_working_days'],
    '/api/indicator/:id': ['/api/indicator/referrals.re_referrals_12m'],
    '/indicator/:id/children.csv': ['/indicator/referrals.re_referrals_12m/children.csv'],
    '/child/:id': [`/child/${otherChild}`], '/api/child/:id': [`/api/child/${otherChild}`],
    '/lists/:id': LISTS.flatMap((l) => [`/lists/${l.id}`, `/lists/${l.id}.csv`]), '/api/lists/:id': LISTS.map((l) => `/api/lists/${l.id}`),
    '/caseloads/worker/:workerId': [`/caseloads/worker/${worker.worker_id}`], '/api/caseloads/worker/:workerId': [`/api/caseloads/worker/${worker.worker_id}`],
    '/data/loads/:id': [`/data/loads/${load.load_id}`], '/api/loads/:id': [`/api/loads/${load.load_id}`], '/data/loads/:id/rollback': [`/data/loads/${load.load_id}/rollback`],
    '/reports/:format': ['/reports/xlsx', '/reports/html', '/reports/xlsx?internal=1'],
    '/child': [`/child?id=${otherChild}`, '/child'],
    '/data/findings': ['/data/findings?code=CSC010'], '/api/findings': ['/api/findings?code=CSC010'], '/data/findings.csv': ['/data/findings.csv?code=CSC010'],
  };
  return app.cscRoutes.filter((r) => r.method === 'GET' && !r.url.includes('*') && r.access !== 'public')
    .flatMap((r) => sub[r.url] ?? (r.url.includes(':') ? [] : [r.url]));
}

/** The text a response carries: an xlsx is opened and every cell read. */
async function textOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<string> {
  if (String(res.headers['content-type']).includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const out: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => { out.push(`>${String(c.text)}<`); })));
    return out.join('\n');
  }
  return res.body;
}

/** Whether the text shows a child id the way pages, JSON, CSV and sheets would: a link, a JSON string, a cell. */
function leakedChildIds(text: string): string[] {
  return childIds.filter((id) => text.includes(`/child/${id}`) || text.includes(`"${id}"`) || text.includes(`>${id}<`)
    || new RegExp(`(^|[\\n,])${id}(,|\\r?$)`, 'm').test(text));
}

describe('every route is guarded', () => {
  it('declares its access, and without a session answers 401 (API, POST) or sends the browser to sign in', async () => {
    const undeclared = app.cscRoutes.filter((r) => r.access === undefined && !['HEAD'].includes(r.method) && !r.url.startsWith('/assets') && !r.url.startsWith('/govuk') && !r.url.startsWith('/static'));
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const publicRoutes = app.cscRoutes.filter((r) => r.access === 'public' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`).sort();
    expect(publicRoutes).toEqual(['GET /health', 'GET /login', 'POST /login']);
    for (const url of await concreteUrls()) {
      const res = await app.inject({ url });
      if (url.startsWith('/api/')) expect([url, res.statusCode]).toEqual([url, 401]);
      else {
        expect([url, res.statusCode]).toEqual([url, 303]);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      }
      expect(leakedChildIds(res.body)).toEqual([]);
    }
    for (const r of app.cscRoutes.filter((x) => x.method === 'POST' && x.access !== 'public')) {
      const url = r.url.replace(':id', '1').replace(':name', 'nobody');
      expect([url, (await app.inject({ method: 'POST', url, headers: FORM, payload: 'x=1' })).statusCode]).toEqual([url, 401]);
    }
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    // an address no route has: sign in first, so nothing is learnt about what exists
    expect((await app.inject({ url: '/no-such-page' })).statusCode).toBe(303);
  });
});

describe('signing in', () => {
  it('through the form: a wrong password is refused with one message; the right one gives a signed, HttpOnly, SameSite=Strict cookie', async () => {
    await addUser(demo.store, { username: 'form.user', role: 'analyst', password: TEST_PASSWORD });
    const page = await app.inject({ url: '/login?next=%2Flists' });
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const loginCookie = String(page.headers['set-cookie']).split(';')[0];
    const wrong = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: loginCookie }, payload: form({ _csrf: csrf, username: 'form.user', password: 'not the password', next: '/lists' }) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('The username or password is not right');
    const unknown = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: loginCookie }, payload: form({ _csrf: csrf, username: 'nobody.here', password: 'not the password' }) });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toContain('The username or password is not right'); // the same words: no telling who exists
    const ok = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: loginCookie }, payload: form({ _csrf: csrf, username: 'form.user', password: TEST_PASSWORD, next: '/lists' }) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/lists');
    const cookies = [ok.headers['set-cookie']].flat().map(String);
    const session = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Path=\//);
    const value = session.split(';')[0];
    expect((await app.inject({ url: '/lists', headers: { cookie: value } })).statusCode).toBe(200);
    // the token alone, or a token with its signature changed, is no session
    const [token] = value.slice(SESSION_COOKIE.length + 1).split('.');
    expect((await app.inject({ url: '/lists', headers: { cookie: `${SESSION_COOKIE}=${token}` } })).statusCode).toBe(303);
    expect((await app.inject({ url: '/lists', headers: { cookie: `${value.slice(0, -2)}xx` } })).statusCode).toBe(303);
    // an open redirect is not possible
    const elsewhere = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: loginCookie }, payload: form({ _csrf: csrf, username: 'form.user', password: TEST_PASSWORD, next: '//evil.example/' }) });
    expect(elsewhere.headers.location).toBe('/scorecard');
  });

  it('refuses a sign-in form without its token (login CSRF)', async () => {
    const res = await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ username: 'form.user', password: TEST_PASSWORD }) });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie'] ?? '').not.toContain(SESSION_COOKIE);
  });

  it('limits attempts from one address: the 4th of a limit of 3 is 429 with Retry-After, even with the right password', async () => {
    const limited = await buildApp({ store: demo.store, loginLimit: 3 });
    try {
      await addUser(demo.store, { username: 'rate.user', role: 'viewer', password: TEST_PASSWORD });
      const page = await limited.inject({ url: '/login' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
      const cookie = String(page.headers['set-cookie']).split(';')[0];
      const attempt = (password: string) => limited.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, username: 'rate.user', password }) });
      expect((await attempt('wrong-1')).statusCode).toBe(401);
      expect((await attempt('wrong-2')).statusCode).toBe(401);
      expect((await attempt('wrong-3')).statusCode).toBe(401);
      const fourth = await attempt(TEST_PASSWORD);
      expect(fourth.statusCode).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body).toContain('Too many attempts');
    } finally {
      await limited.close();
    }
  });

  it('ends a session idle for 30 minutes and one 8 hours old, however busy; sign-out ends it at once', async () => {
    let now = Date.parse('2026-01-05T09:00:00Z');
    const clocked = await buildApp({ store: demo.store, clock: () => now, loginLimit: 1000 });
    try {
      await addUser(demo.store, { username: 'clock.user', role: 'analyst', password: TEST_PASSWORD });
      const signIn = async () => {
        const page = await clocked.inject({ url: '/login' });
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
        const res = await clocked.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: String(page.headers['set-cookie']).split(';')[0] }, payload: form({ _csrf: csrf, username: 'clock.user', password: TEST_PASSWORD }) });
        return [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(SESSION_COOKIE))!.split(';')[0];
      };
      const at = (cookie: string) => clocked.inject({ url: '/api/loads', headers: { cookie } });
      let cookie = await signIn();
      now += 29 * 60_000;
      expect((await at(cookie)).statusCode).toBe(200); // 29 minutes idle: still signed in, and the idle time starts again
      now += 29 * 60_000;
      expect((await at(cookie)).statusCode).toBe(200);
      now += 30 * 60_000;
      expect((await at(cookie)).statusCode).toBe(401); // 30 minutes idle
      cookie = await signIn();
      for (let h = 0; h < 16; h++) { now += 29 * 60_000; expect((await at(cookie)).statusCode).toBe(200); } // 7 h 44 min, never idle
      now += 20 * 60_000;
      expect((await at(cookie)).statusCode).toBe(401); // past 8 hours
      cookie = await signIn();
      const page = await clocked.inject({ url: '/scorecard', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
      expect((await clocked.inject({ method: 'POST', url: '/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) })).statusCode).toBe(303);
      expect((await at(cookie)).statusCode).toBe(401);
    } finally {
      await clocked.close();
    }
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the session token, or with another session\'s', async () => {
    const target = form({ year: '2024-25', indicator: 'referrals.re_referrals_12m', target: '21', amber: '1', amberKind: 'points' });
    const none = await app.inject({ method: 'POST', url: '/targets', headers: { ...FORM, cookie: analyst.cookie }, payload: target });
    expect(none.statusCode).toBe(403);
    const others = await app.inject({ method: 'POST', url: '/targets', headers: { ...FORM, cookie: analyst.cookie }, payload: `${target}&_csrf=${encodeURIComponent(admin.csrfToken)}` });
    expect(others.statusCode).toBe(403);
    const header = await app.inject({ method: 'POST', url: '/api/targets', headers: { cookie: analyst.cookie, 'x-csrf-token': 'forged' }, payload: { indicator: 'referrals.re_referrals_12m', year: '2024-25', target: 21, amber: 1 } });
    expect(header.statusCode).toBe(403);
    // an API client reads its token from /api/session, and then its POST is accepted
    const me = (await app.inject({ url: '/api/session', headers: { cookie: analyst.cookie } })).json() as { username: string; role: string; csrfToken: string };
    expect(me).toMatchObject({ username: 'ann.analyst', role: 'analyst', csrfToken: analyst.csrfToken });
    const [{ n }] = await demo.store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM targets WHERE set_by = 'ann.analyst'`).catch(() => [{ n: 0 }]);
    expect(n).toBe(0);
    const ok = await app.inject({ method: 'POST', url: '/targets', headers: { ...FORM, cookie: analyst.cookie }, payload: `${target}&_csrf=${encodeURIComponent(analyst.csrfToken)}` });
    expect(ok.statusCode).toBe(303);
    // the change is audited by the domain function, as the signed-in user from their address
    const [set] = await listAudit(demo.store, { action: 'target.set', limit: 1 });
    expect([set.username, set.ip, set.target]).toEqual(['ann.analyst', '127.0.0.1', 'referrals.re_referrals_12m']);
    // the upload (multipart) checks the token too, before anything is loaded
    const boundary = 'csc-test-boundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--${boundary}--\r\n`;
    const loadsBefore = (await demo.store.query('SELECT load_id FROM loads')).length;
    const upload = await app.inject({ method: 'POST', url: '/data/upload', headers: { cookie: analyst.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(upload.statusCode).toBe(403);
    expect((await demo.store.query('SELECT load_id FROM loads')).length).toBe(loadsBefore);
  });

  it('puts the session\'s own token in every form, also when the page comes from the cache', async () => {
    const second = await signedIn(app, demo.store, 'analyst', { username: 'second.analyst' });
    const a = await analyst.inject('/targets');
    const b = await second.inject('/targets');
    expect(b.headers['x-csc-page-cache']).toBe('hit');
    expect(a.body).toContain(`value="${analyst.csrfToken}"`);
    expect(b.body).toContain(`value="${second.csrfToken}"`);
    expect(b.body).not.toContain(analyst.csrfToken);
    expect(b.body).toContain('second.analyst');
    expect(b.body).not.toContain('ann.analyst');
  });
});

describe('security headers', () => {
  it('on pages: a CSP with no inline script and no framing, nosniff, a referrer policy, no caching of personal data', async () => {
    for (const res of [await analyst.inject('/scorecard'), await app.inject({ url: '/login' })]) {
      const csp = String(res.headers['content-security-policy']);
      const script = /script-src ([^;]*)/.exec(csp)![1];
      expect(script).not.toContain('unsafe-inline');
      expect(script).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect((await analyst.inject('/scorecard')).headers['cache-control']).toBe('no-store');
    expect((await analyst.inject(`/api/child/${myChild}`)).headers['cache-control']).toBe('no-store');
  });
});

describe('roles', () => {
  it('a viewer sees the scorecard with small numbers suppressed and no links, and is refused everything child-level', async () => {
    const page = await viewer.inject('/scorecard');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="suppressed"');
    expect(page.body).not.toContain('href="/indicator/');
    expect(page.body).not.toContain('internal=1');
    const api = (await viewer.inject('/api/scorecard')).json() as { suppressed: boolean; indicators: { month: string }[] };
    expect(api.suppressed).toBe(true);
    // every figure shown is 'c' or not a count of 1 to 5
    for (const i of api.indicators) expect(['1', '2', '3', '4', '5']).not.toContain(i.month);
    expect(api.indicators.some((i) => i.month === 'c')).toBe(true);
    for (const url of ['/lists', '/mash', '/caseloads', `/child/${myChild}`, `/api/child/${myChild}`, '/indicator/referrals.re_referrals_12m',
      '/indicator/referrals.re_referrals_12m/children.csv', '/data', '/api/loads', '/admin', '/reports/xlsx?internal=1', '/targets', '/admin/audit']) {
      expect([url, (await viewer.inject(url)).statusCode]).toEqual([url, 403]);
    }
  });

  it('a viewer never receives a child id, from any page, API or download', async () => {
    const seen: string[] = [];
    for (const url of await concreteUrls()) {
      const res = await viewer.inject(url);
      expect([url, res.statusCode < 500]).toEqual([url, true]);
      const leaks = leakedChildIds(await textOf(res));
      expect([url, leaks]).toEqual([url, []]);
      seen.push(`${url} ${res.statusCode}`);
    }
    // the crawl reached the pages a viewer may open, and the public downloads
    expect(seen).toContain('/scorecard 200');
    expect(seen).toContain('/reports/xlsx 200');
    // the same crawl as an analyst does find child ids (so the check can fail)
    expect(leakedChildIds((await analyst.inject(`/lists/${LISTS[0].id}.csv`)).body).length + leakedChildIds((await analyst.inject(`/api/child/${myChild}`)).body).length).toBeGreaterThan(0);
  });

  it('a manager asking for another team\'s child gets 403 on the page, the API and the search; their own team\'s child is shown', async () => {
    expect((await manager.inject(`/child/${otherChild}`)).statusCode).toBe(403);
    expect((await manager.inject(`/api/child/${otherChild}`)).statusCode).toBe(403);
    expect((await manager.inject(`/child?id=${otherChild}`)).statusCode).toBe(403);
    expect((await manager.inject(`/child/${myChild}`)).statusCode).toBe(200);
    expect((await manager.inject(`/api/child/${myChild}`)).statusCode).toBe(200);
    expect((await analyst.inject(`/child/${otherChild}`)).statusCode).toBe(200);
  });

  it('a manager\'s downloads and lists hold only their teams\' children; aggregates stay whole', async () => {
    // the team's children by hand: allocated to it, or named with it on a record
    const mine = new Set((await demo.store.query<{ child_id: string }>(
      `SELECT a.child_id FROM main.allocations a JOIN main.teams t ON t.team_id = a.team_id WHERE t.name = $t
       UNION SELECT child_id FROM main.contacts WHERE team = $t UNION SELECT child_id FROM main.referrals WHERE team = $t
       UNION SELECT child_id FROM main.assessments WHERE team = $t UNION SELECT child_id FROM main.section47 WHERE team = $t
       UNION SELECT child_id FROM main.cp_plans WHERE team = $t`, { t: myTeam })).map((r) => r.child_id));
    const ind = 'referrals.re_referrals_12m';
    const asAnalyst = (await analyst.inject(`/api/indicator/${ind}?period=2025-03%20R12`)).json() as { period: { denominator: number }; children: { rows: { child_id: string; team: string | null }[] } };
    const asManager = (await manager.inject(`/api/indicator/${ind}?period=2025-03%20R12`)).json() as typeof asAnalyst & { children: { otherTeamsNotShown: number } };
    expect(asManager.period.denominator).toBe(asAnalyst.period.denominator); // the figure is the authority's
    expect(asManager.children.rows.length).toBeGreaterThan(0);
    expect(asManager.children.rows.every((r) => r.team === myTeam)).toBe(true);
    expect(asManager.children.rows.length + asManager.children.otherTeamsNotShown).toBe(asAnalyst.children.rows.length);
    expect(asAnalyst.children.rows.some((r) => r.team === otherTeam)).toBe(true);
    // children CSV
    const csv = (await manager.inject(`/indicator/${ind}/children.csv?period=2025-03%20R12`)).body;
    const ids = csv.split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0].replace(/^'/, ''));
    expect(ids.length).toBe(asManager.children.rows.length);
    expect(ids.every((id) => mine.has(id))).toBe(true);
    // every list and its CSV
    for (const l of LISTS) {
      const rows = ((await manager.inject(`/api/lists/${l.id}`)).json() as { rows: { child_id: string; team: string | null }[] }).rows;
      expect([l.id, rows.every((r) => r.team === myTeam)]).toEqual([l.id, true]);
      const lcsv = (await manager.inject(`/lists/${l.id}.csv`)).body;
      expect([l.id, leakedChildIds(lcsv).every((id) => mine.has(id))]).toEqual([l.id, true]);
    }
    // the internal workbook (every child) is refused; a worker of another team too
    expect((await manager.inject('/reports/xlsx?internal=1')).statusCode).toBe(403);
    const [otherWorker] = await demo.store.query<{ worker_id: string }>(
      `SELECT w.worker_id FROM main.workers w JOIN main.teams t ON t.team_id = w.team_id JOIN main.allocations a ON a.worker_id = w.worker_id
       WHERE t.name = ? AND a.end_date IS NULL LIMIT 1`, [otherTeam]);
    expect((await manager.inject(`/caseloads/worker/${otherWorker.worker_id}`)).statusCode).toBe(403);
    expect((await manager.inject(`/api/caseloads/worker/${otherWorker.worker_id}`)).statusCode).toBe(403);
    // analysts' and admins' pages
    for (const url of ['/data', '/api/loads', '/data/findings?code=CSC010', '/admin', '/admin/audit']) expect([url, (await manager.inject(url)).statusCode]).toEqual([url, 403]);
  });

  it('analysts cannot reach the admin pages; admins can', async () => {
    for (const url of ['/admin', '/admin/audit', '/api/admin/users']) {
      expect([url, (await analyst.inject(url)).statusCode]).toEqual([url, 403]);
      expect([url, (await admin.inject(url)).statusCode]).toEqual([url, 200]);
    }
    const nav = (await analyst.inject('/scorecard')).body;
    expect(nav).toContain('href="/data"');
    expect(nav).not.toContain('href="/admin"');
    expect((await viewer.inject('/scorecard')).body).not.toContain('href="/lists"');
  });
});

describe('the audit log', () => {
  it('records every view, search and export of child-level data with who and where, also when the page came from the cache', async () => {
    const before = (await listAudit(demo.store, { limit: 100_000 })).length;
    await analyst.inject(`/child/${myChild}`);
    await analyst.inject(`/child?id=${myChild}`);
    await analyst.inject(`/indicator/referrals.re_referrals_12m/children.csv`);
    await analyst.inject(`/lists/${LISTS[0].id}.csv`);
    const other = await signedIn(app, demo.store, 'analyst', { username: 'cache.analyst' });
    const cached = await other.inject(`/child/${myChild}`);
    const rows = (await listAudit(demo.store, { limit: 100_000 })).slice(0, (await listAudit(demo.store, { limit: 100_000 })).length - before);
    const got = rows.map((r) => `${r.username} ${r.action} ${r.target}`);
    expect(got).toContain(`ann.analyst view.child ${myChild}`);
    expect(got).toContain(`ann.analyst search.child ${myChild}`);
    expect(got).toContain('ann.analyst export.children_csv referrals.re_referrals_12m');
    expect(got).toContain(`ann.analyst export.list_csv ${LISTS[0].id}`);
    if (cached.headers['x-csc-page-cache'] === 'hit') expect(got).toContain(`cache.analyst view.child ${myChild}`);
    expect(got).toContain(`cache.analyst view.child ${myChild}`);
    expect(rows.filter((r) => /^(view|search|export)\./.test(r.action)).every((r) => r.ip === '127.0.0.1')).toBe(true);
    expect((await verifyAudit(demo.store)).ok).toBe(true);
  });

  it('admins read it on the audit page, filtered by action', async () => {
    const res = await admin.inject('/admin/audit?action=view.child');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Chain intact');
    expect(res.body).toContain(myChild);
  });
});

describe('administration', () => {
  it('an admin adds a manager, resets a password (one-time, must be changed before anything else) and disables a user', async () => {
    const add = await admin.inject({ method: 'POST', url: '/admin/users', headers: FORM,
      payload: form({ _csrf: admin.csrfToken, username: 'new.manager', role: 'manager', teams: myTeam, password: 'a long enough password' }) });
    expect(add.statusCode).toBe(303);
    const reset = await admin.inject({ method: 'POST', url: '/admin/users/new.manager/reset', headers: FORM, payload: form({ _csrf: admin.csrfToken }) });
    const temporary = /id="temporary-password">([^<]+)</.exec(reset.body)![1];
    const page = await app.inject({ url: '/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const signIn = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, cookie: String(page.headers['set-cookie']).split(';')[0] },
      payload: form({ _csrf: csrf, username: 'new.manager', password: temporary }) });
    const cookie = [signIn.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(SESSION_COOKIE))!.split(';')[0];
    const first = await app.inject({ url: '/lists', headers: { cookie } });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/account/password');
    const pw = await app.inject({ url: '/account/password', headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(pw.body)![1];
    const changed = await app.inject({ method: 'POST', url: '/account/password', headers: { ...FORM, cookie },
      payload: form({ _csrf: token, current: temporary, password: 'my very own passphrase', confirm: 'my very own passphrase' }) });
    expect(changed.statusCode).toBe(303);
    expect((await app.inject({ url: '/lists', headers: { cookie } })).statusCode).toBe(200);
    const disable = await admin.inject({ method: 'POST', url: '/admin/users/new.manager/disable', headers: FORM, payload: form({ _csrf: admin.csrfToken }) });
    expect(disable.statusCode).toBe(303);
    expect((await app.inject({ url: '/lists', headers: { cookie } })).statusCode).toBe(303); // their session ended
    const audit = (await listAudit(demo.store, { action: 'user.', limit: 50 })).map((r) => `${r.username} ${r.action} ${r.target}`);
    expect(audit).toEqual(expect.arrayContaining(['ada.admin user.add new.manager', 'ada.admin user.reset new.manager', 'ada.admin user.disable new.manager']));
  });

  it('an admin takes a backup of the running store from the dashboard', async () => {
    const res = await admin.inject({ method: 'POST', url: '/admin/backup', headers: { ...FORM, accept: 'application/json' }, payload: form({ _csrf: admin.csrfToken }) });
    expect(res.statusCode).toBe(200);
    const { manifest } = res.json() as { manifest: { audit: { ok: boolean }; tables: Record<string, number> } };
    expect(manifest.audit.ok).toBe(true);
    const [{ n }] = await demo.store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM main.children');
    expect(manifest.tables['main.children']).toBe(n);
    const backups = await listAudit(demo.store, { action: 'backup', limit: 5 });
    expect(backups.map((r) => r.username)).toEqual(['ada.admin']);
  });
});
