// Operational lists, the MASH live list and caseloads on a small synthetic authority loaded through the
// real readers: the counts and rows on each page are runList's and caseloads()'s for the same date, team
// and worker, the JSON twins say the same, the CSV download is formula-safe, and bad input gets a GOV.UK
// error summary naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { LISTS, runList, type ListRow } from '../../src/lists/index.ts';
import { caseloads } from '../../src/caseloads.ts';
import { DEFAULT_SETTINGS } from '../../src/indicators/settings.ts';
import { dateUk } from '../../src/server/views.ts';
import { defaultAt, type Req } from '../../src/server/routes/lists.ts';
import type { AppContext } from '../../src/server/app.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';

let demo: DemoStore;
let app: FastifyInstance;
let last: string;
let client: Client;
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst');
  [{ last }] = await demo.store.query<{ last: string }>(`SELECT CAST(max(period_end) AS VARCHAR) AS last FROM loads WHERE status = 'active'`);
}, 120_000);
afterAll(async () => {
  await app?.close();
  demo?.close();
});

const counts = (rows: readonly ListRow[]) => ({
  red: rows.filter((r) => r.rag === 'red').length, amber: rows.filter((r) => r.rag === 'amber').length,
  green: rows.filter((r) => r.rag === 'green').length, total: rows.length,
});
/** The number in <… id="count-red" data-count="N"> */
const pageCount = (html: string, id: string) => Number(new RegExp(`id="${id}" data-count="(\\d+)"`).exec(html)?.[1] ?? NaN);
/** The cells of the lists overview row for a list, by data-rag. */
function overviewRow(html: string, id: string): Record<string, number> {
  const row = new RegExp(`<tr class="govuk-table__row" data-list="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return Object.fromEntries([...row.matchAll(/data-rag="(\w+)">([\d,]+)</g)].map((m) => [m[1], Number(m[2].replace(/,/g, ''))]));
}
const childRows = (html: string) => [...html.matchAll(/<tr class="govuk-table__row" data-child="([^"]+)" data-rag="(\w+)">([\s\S]*?)<\/tr>/g)]
  .map((m) => ({ child: m[1], rag: m[2], body: m[3] }));
const cellText = (body: string, field: string) => (new RegExp(`data-field="${field}">([\\s\\S]*?)</td>`).exec(body)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();

describe('operational lists', () => {
  it('lists every list with its counts by RAG at the latest date in the data, the same as runList and the API', async () => {
    expect(last).toBe('2025-03-31'); // the demo data end here: the default is not the wall clock
    const page = await client.inject({ url: '/lists' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`As at ${dateUk(last)} (end of the day): the latest date in the loaded data`);
    const api = (await client.inject({ url: '/api/lists' })).json() as { at: string; atDefault: boolean; lists: { id: string; counts: Record<string, number> }[] };
    expect(api).toMatchObject({ at: last, atDefault: true });
    expect(api.lists.map((l) => l.id)).toEqual(LISTS.map((l) => l.id));
    let anything = 0;
    for (const list of LISTS) {
      const expected = counts(await runList(demo.store, list, { asAt: last, settings: DEFAULT_SETTINGS }));
      anything += expected.total;
      expect(overviewRow(page.body, list.id), list.id).toEqual(expected);
      expect(api.lists.find((l) => l.id === list.id)!.counts, list.id).toEqual(expected);
    }
    expect(anything).toBeGreaterThan(20);
  });

  it('a list page shows runList\'s rows and counts, RAG as a word, the detail columns and child links; the API agrees', async () => {
    const list = LISTS.find((l) => l.id === 'lac_overdue')!;
    const at = '2025-01-31';
    const rows = await runList(demo.store, list, { asAt: at });
    expect(rows.length).toBeGreaterThan(5);
    const page = await client.inject({ url: `/lists/lac_overdue?at=${at}` });
    expect(page.statusCode).toBe(200);
    const c = counts(rows);
    for (const k of ['red', 'amber', 'green', 'total'] as const) expect(pageCount(page.body, `count-${k}`), k).toBe(c[k]);
    const shown = childRows(page.body);
    expect(shown.map((r) => [r.child, r.rag])).toEqual(rows.map((r) => [r.child_id, r.rag]));
    for (const [i, r] of shown.entries()) {
      expect(cellText(r.body, 'rag')).toBe(rows[i].rag.toUpperCase()); // the word, not only a colour
      expect(cellText(r.body, 'status')).toBe(rows[i].status);
      expect(r.body).toContain(`href="/child/${encodeURIComponent(rows[i].child_id)}"`);
    }
    for (const d of list.details) expect(page.body).toContain(`>${d.label}</th>`);
    expect(page.body).toContain(`As at ${dateUk(at)} (end of the day).`);
    expect(page.body).not.toContain('csc-refresh'); // only the MASH list refreshes itself
    expect(page.body).not.toContain('govuk-form-group--error'); // no field is marked wrong when nothing is
    const api = (await client.inject({ url: `/api/lists/lac_overdue?at=${at}` })).json() as { counts: unknown; rows: ListRow[] };
    expect(api.counts).toEqual(c);
    expect(api.rows).toEqual(JSON.parse(JSON.stringify(rows)));
  });

  it('the team and worker filters narrow the list, as runList does', async () => {
    const all = await runList(demo.store, 'cin_open_over_6_months', { asAt: last });
    const team = all.find((r) => r.team !== null)!.team!;
    const teamRows = await runList(demo.store, 'cin_open_over_6_months', { asAt: last, team });
    expect(teamRows.length).toBeLessThan(all.length);
    const byTeam = await client.inject({ url: `/lists/cin_open_over_6_months?team=${encodeURIComponent(team)}` });
    expect(pageCount(byTeam.body, 'count-total')).toBe(teamRows.length);
    // the worker select offers the workers on the team's list
    const worker = teamRows.find((r) => r.worker !== null)!.worker!;
    expect(byTeam.body).toContain(`<option value="${worker}">${worker}</option>`);
    const mine = teamRows.filter((r) => r.worker === worker);
    expect(mine.length).toBeLessThan(teamRows.length);
    const url = `/lists/cin_open_over_6_months?team=${encodeURIComponent(team)}&worker=${encodeURIComponent(worker)}`;
    const page = await client.inject({ url });
    expect(pageCount(page.body, 'count-total')).toBe(mine.length);
    const shown = childRows(page.body);
    expect(shown.map((r) => r.child)).toEqual(mine.map((r) => r.child_id));
    for (const r of shown) expect(cellText(r.body, 'worker')).toBe(worker);
    expect(page.body).toContain(`<option value="${worker}" selected>${worker}</option>`);
    const api = (await client.inject({ url: `/api${url}` })).json() as { worker: string; counts: { total: number } };
    expect(api).toMatchObject({ worker, counts: { total: mine.length } });
    // children with no allocated worker
    const none = (await client.inject({ url: '/api/lists/cin_open_over_6_months?worker=none' })).json() as { rows: ListRow[] };
    expect(none.rows.length).toBe(all.filter((r) => r.worker === null).length);
  });

  it('downloads a list as CSV with a cell starting = neutralised', async () => {
    // a contact whose source was typed as a formula, received and decided on Friday 14 February 2025
    await demo.store.run(`INSERT INTO main.contacts (contact_id, child_id, received_at, source, decision_at, team, worker, load_id, source_file, source_row)
      VALUES ('csv-test', 'CSVCHILD', TIMESTAMP '2025-02-14 09:00:00', '=HYPERLINK("http://evil.example","x")', TIMESTAMP '2025-02-14 18:00:00', 'MASH', '+Worker', 1, 'test', 1)`);
    try {
      const res = await client.inject({ url: '/lists/contacts_awaiting_decision.csv?at=2025-02-14T12:00' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="contacts_awaiting_decision-2025-02-14T1200\.csv"$/);
      const table = parse(res.body.replace(/^\ufeff/, '')) as string[][];
      expect(table[0]).toEqual(['child', 'RAG', 'status', 'due', 'Contact', 'Received', 'Source', 'Working days waiting', 'Hours waiting', 'team', 'worker']);
      const row = table.find((r) => r[0] === 'CSVCHILD')!;
      expect(row[1]).toBe('GREEN');
      expect(row[6]).toBe('\'=HYPERLINK("http://evil.example","x")');
      expect(row[8]).toBe('3'); // hours waited: 09:00 to 12:00
      expect(row[10]).toBe('\'+Worker');
      const rows = await runList(demo.store, 'contacts_awaiting_decision', { asAt: '2025-02-14T12:00' });
      expect(table.length - 1).toBe(rows.length);
      // the page shows the value as text, escaped
      const page = await client.inject({ url: '/lists/contacts_awaiting_decision?at=2025-02-14T12:00' });
      expect(page.body).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)');
      expect(page.body).toContain('href="/lists/contacts_awaiting_decision.csv?at=2025-02-14T12%3A00"');
    } finally {
      await demo.store.run(`DELETE FROM main.contacts WHERE contact_id = 'csv-test'`);
    }
  });

  it('the MASH list refreshes itself every 60 seconds, shows hours waited and answers at /mash', async () => {
    const rows = await runList(demo.store, 'contacts_awaiting_decision', { asAt: last });
    expect(rows.length).toBeGreaterThan(0);
    for (const url of ['/mash', '/lists/contacts_awaiting_decision']) {
      const page = await client.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toMatch(/<head>[\s\S]*<meta name="csc-refresh" content="60"><script src="\/static\/refresh.js" defer><\/script><noscript><meta http-equiv="refresh" content="60"><\/noscript>[\s\S]*<\/head>/);
      expect(page.body).toContain('>Hours waiting</th>');
      expect(pageCount(page.body, 'count-total')).toBe(rows.length);
      const shown = childRows(page.body);
      expect(shown.map((r) => cellText(r.body, 'hours_waiting'))).toEqual(rows.map((r) => Number(r.hours_waiting).toLocaleString('en-GB')));
      expect(page.body).toContain(`data-hours="${Math.max(...rows.map((r) => Number(r.hours_waiting)))}"`);
    }
    // the refresh can be turned off (WCAG 2.2.1), and the filter form keeps it off
    const off = await client.inject({ url: '/mash?refresh=off' });
    expect(off.body).not.toContain('csc-refresh');
    expect(off.body).not.toContain('http-equiv="refresh"');
    expect(off.body).toContain('<input type="hidden" name="refresh" value="off">');
    expect((await client.inject({ url: '/mash' })).body).toContain('href="/mash?refresh=off"');
  });

  it('a bad date or team gives 400 with an error summary naming the field; an unknown list is 404', async () => {
    for (const url of ['/lists?at=2025-02-30', '/lists/cp_visits_due?at=31/01/2025', '/mash?at=2025-01-31T25:00']) {
      const res = await client.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain('<a href="#at">Enter a real date');
      expect(res.body).toContain('id="at-error"');
      expect(res.body.match(/govuk-form-group--error/g)).toHaveLength(1); // only the date is marked
      expect(res.body).not.toContain('csc-refresh');
    }
    const team = await client.inject({ url: '/lists/cp_visits_due?team=Nowhere%20Team' });
    expect(team.statusCode).toBe(400);
    expect(team.body).toContain('<a href="#team">Choose a team from the list</a>');
    const api = await client.inject({ url: '/api/lists/cp_visits_due?at=yesterday' });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ errors: [{ href: '#at' }] });
    expect((await client.inject({ url: '/lists/cp_visits_due.csv?at=nope' })).statusCode).toBe(400);
    expect((await client.inject({ url: '/lists/no_such_list' })).statusCode).toBe(404);
    expect((await client.inject({ url: '/lists/no_such_list.csv' })).statusCode).toBe(404);
    expect((await client.inject({ url: '/api/lists/no_such_list' })).statusCode).toBe(404);
  });
});

describe('caseloads', () => {
  interface ApiCaseloads {
    at: string; totals: { children: number; workers: number; average: number; max: number; unallocated: number };
    teams: { team: string | null; children: number; workerCount: number; max: number }[];
    workers: { workerId: string; children: number }[]; unallocated: { childId: string }[];
  }

  it('shows each worker\'s number of children by team, with totals, average and maximum, equal to caseloads() and the API', async () => {
    const c = await caseloads(demo.store, last);
    expect(c.workers.length).toBeGreaterThan(10);
    const page = await client.inject({ url: '/caseloads' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`As at ${dateUk(last)}: the latest date in the loaded data`);
    expect(page.body).not.toContain('govuk-form-group--error');
    for (const w of c.workers) {
      const row = new RegExp(`data-worker="${w.workerId}">([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? '';
      expect(cellText(row, 'children'), w.workerId).toBe(`${w.worker}: ${w.children} children`);
      expect(row).toContain(`href="/caseloads/worker/${w.workerId}?at=${last}"`);
    }
    const total = c.workers.reduce((s, w) => s + w.children, 0);
    expect(pageCount(page.body, 'total-children')).toBe(total);
    expect(pageCount(page.body, 'total-workers')).toBe(c.workers.length);
    expect(pageCount(page.body, 'total-max')).toBe(Math.max(...c.workers.map((w) => w.children)));
    expect(pageCount(page.body, 'total-unallocated')).toBe(c.unallocated.length);
    expect(page.body).toContain(`<span id="total-average">${(total / c.workers.length).toFixed(1)}</span>`);
    // team totals
    const teams = [...new Set(c.workers.map((w) => w.team))];
    for (const t of teams) {
      const mine = c.workers.filter((w) => w.team === t);
      const table = new RegExp(`data-team="${t ?? ''}">([\\s\\S]*?)</table>`).exec(page.body)?.[1] ?? '';
      expect(cellText(table, 'team-children'), String(t)).toBe(mine.reduce((s, w) => s + w.children, 0).toLocaleString('en-GB'));
    }
    for (const u of c.unallocated) expect(page.body).toContain(`href="/child/${u.childId}"`);
    const api = (await client.inject({ url: '/api/caseloads' })).json() as ApiCaseloads;
    expect(api.at).toBe(last);
    expect(api.totals).toMatchObject({ children: total, workers: c.workers.length, unallocated: c.unallocated.length });
    expect(api.workers.map((w) => [w.workerId, w.children])).toEqual(c.workers.map((w) => [w.workerId, w.children]));
    expect(api.teams.map((t) => t.team)).toEqual(teams);
  });

  it('each number links to the children behind it; the team filter narrows', async () => {
    const at = '2025-01-31';
    const c = await caseloads(demo.store, at);
    const w = c.workers.find((x) => x.children >= 3)!;
    const page = await client.inject({ url: `/caseloads/worker/${w.workerId}?at=${at}` });
    expect(page.statusCode).toBe(200);
    expect(pageCount(page.body, 'worker-children')).toBe(w.children);
    const shown = [...page.body.matchAll(/<tr class="govuk-table__row" data-child="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(shown.map((m) => m[1])).toEqual(w.allocated.map((a) => a.childId));
    expect(shown.length).toBe(w.children); // the number and the children behind it agree
    for (const [i, m] of shown.entries()) {
      expect(m[2]).toContain(`href="/child/${w.allocated[i].childId}"`);
      expect(cellText(m[2], 'since')).toBe(dateUk(w.allocated[i].allocatedSince));
      expect(cellText(m[2], 'days')).toBe(w.allocated[i].days.toLocaleString('en-GB'));
    }
    const api = (await client.inject({ url: `/api/caseloads/worker/${w.workerId}?at=${at}` })).json() as { worker: { allocated: unknown[] } };
    expect(api.worker.allocated).toEqual(w.allocated);
    expect((await client.inject({ url: `/caseloads/worker/NO-SUCH-WORKER?at=${at}` })).statusCode).toBe(404);

    const team = w.team!;
    const byTeam = await caseloads(demo.store, at, { team });
    const api2 = (await client.inject({ url: `/api/caseloads?at=${at}&team=${encodeURIComponent(team)}` })).json() as ApiCaseloads;
    expect(api2.totals.children).toBe(byTeam.workers.reduce((s, x) => s + x.children, 0));
    expect(api2.totals.workers).toBeLessThan(c.workers.length);
    expect(api2.teams.map((t) => t.team)).toEqual([team]);
  });

  it('a bad date or team gives 400 with an error summary naming the field', async () => {
    const bad = await client.inject({ url: '/caseloads?at=2025-03-31T10:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('<a href="#at">Enter a real date as YYYY-MM-DD');
    const team = await client.inject({ url: '/caseloads?team=Nobody' });
    expect(team.statusCode).toBe(400);
    expect(team.body).toContain('<a href="#team">');
    expect((await client.inject({ url: '/api/caseloads?at=2025-13-01' })).statusCode).toBe(400);
  });
});

describe('through a real HTTP server', () => {
  it('serves the MASH page with its refresh and the same counts as the API', async () => {
    const server = await buildApp({ store: demo.store });
    try {
      const address = await server.listen({ port: 0, host: '127.0.0.1' });
      const headers = { cookie: (await signedIn(server, demo.store, 'analyst')).cookie };
      const html = await (await fetch(`${address}/mash`, { headers })).text();
      expect(html).toContain('<meta name="csc-refresh" content="60">');
      expect(html).toContain('<noscript><meta http-equiv="refresh" content="60"></noscript>'); // and without JavaScript
      const api = await (await fetch(`${address}/api/lists/contacts_awaiting_decision`, { headers })).json() as { counts: Record<string, number> };
      for (const k of ['red', 'amber', 'green', 'total']) expect(pageCount(html, `count-${k}`), k).toBe(api.counts[k]);
      const csv = await fetch(`${address}/lists/contacts_awaiting_decision.csv`, { headers });
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment/);
      expect((await csv.text()).trim().split('\n').length - 1).toBe(api.counts.total);
    } finally {
      await server.close();
    }
  });
});

describe('the default date', () => {
  const reqWith = (last: string | null): Req => ({
    ctx: { store: { dataRange: async () => ({ first: null, last }) }, cached: <T>(_k: string, f: () => Promise<T>) => f() } as unknown as AppContext,
  });
  it('is the last date of the data when they end in the past, and now (to the minute) when they reach today', async () => {
    expect(await defaultAt(reqWith('2025-03-31'), true)).toBe('2025-03-31');
    const now = await defaultAt(reqWith('2999-12-31'), true);
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(Math.abs(Date.parse(`${now}:00Z`) - Date.now())).toBeLessThan(26 * 3600_000); // England time, within a day of UTC
    expect(await defaultAt(reqWith('2999-12-31'), false)).toBe(now.slice(0, 10));
    await expect(defaultAt(reqWith(null), true)).rejects.toThrow(/Nothing has been loaded/);
  });
});
