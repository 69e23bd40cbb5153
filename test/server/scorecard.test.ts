// The scorecard page and the targets page, on a small synthetic authority loaded through the real readers:
// the numbers on the page are the engine's, the JSON twin says the same, and targets set in the form
// change the RAG.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { Engine, formatValue } from '../../src/engine.ts';
import { findIndicator } from '../../src/indicators/index.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';

let demo: DemoStore;
let app: FastifyInstance;
let client: Client;
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst', { username: 'ann.analyst' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  demo?.close();
});

/** The text of the cell data-field=field in the row of indicator id. */
function cell(html: string, id: string, field: string): string {
  const row = new RegExp(`<tr class="govuk-table__row" data-indicator="${id.replace('.', '\\.')}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  const m = new RegExp(`data-field="${field}">([\\s\\S]*?)</td>`).exec(row);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '').trim();
}

describe('scorecard page', () => {
  it('shows every indicator with the engine\'s figures, the same as the JSON twin', async () => {
    const page = await client.inject({ url: '/scorecard?month=2025-01' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = (await client.inject({ url: '/api/scorecard?month=2025-01' })).json() as { indicators: { id: string; month: { value: number | null }; ytd: { value: number | null } | null; rag: string | null }[] };
    expect(api.indicators.length).toBeGreaterThan(80);
    const engine = new Engine(demo.store);
    const [re] = await engine.scorecard('2025-01', { ids: ['referrals.re_referrals_12m'] });
    engine.close();
    const ind = findIndicator('referrals.re_referrals_12m');
    expect(cell(page.body, ind.id, 'month')).toBe(formatValue(ind, re.month.value));
    expect(cell(page.body, ind.id, 'ytd')).toBe(formatValue(ind, re.ytd!.value));
    for (const i of api.indicators) {
      const ind = findIndicator(i.id);
      expect(cell(page.body, i.id, 'month'), i.id).toBe(formatValue(ind, i.month.value));
      if (i.rag) expect(cell(page.body, i.id, 'rag'), i.id).toBe(i.rag.toUpperCase()); // the word, not only a colour
    }
  });

  it('filters by team, and refuses a month that is not a month with a GOV.UK error page', async () => {
    const all = (await client.inject({ url: '/api/scorecard?month=2025-01' })).json() as { indicators: { id: string; month: { numerator: number } }[] };
    const teams = (await demo.store.query<{ name: string }>('SELECT name FROM main.teams ORDER BY name')).map((t) => t.name);
    const one = (await client.inject({ url: `/api/scorecard?month=2025-01&team=${encodeURIComponent(teams[0])}` })).json() as typeof all;
    const referrals = (x: typeof all) => x.indicators.find((i) => i.id === 'referrals.count')!.month.numerator;
    expect(referrals(one)).toBeLessThan(referrals(all));
    const bad = await client.inject({ url: '/scorecard?month=2025-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is not a month');
  });

  it('serves GOV.UK Frontend\'s stylesheet and its assets at /assets', async () => {
    // public: the sign-in page needs them before anyone has signed in
    expect((await app.inject({ url: '/govuk/govuk-frontend.min.css' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/assets/images/favicon.ico' })).statusCode).toBe(200);
    expect((await client.inject({ url: '/govuk/../package.json' })).statusCode).toBe(404);
  });
});

describe('targets', () => {
  it('an analyst sets a target in the form; the RAG follows; a bad entry names its field', async () => {
    const bad = await client.inject({ method: 'POST', url: '/targets', payload: 'year=2024-25&indicator=referrals.re_referrals_12m&target=abc&amber=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#target"');
    // Lower is better: a target of 1% with no amber band makes any real re-referral rate red. The signed-in
    // user sets it, whatever an old x-csc-user header claims.
    const ok = await client.inject({ method: 'POST', url: '/targets', payload: 'year=2024-25&indicator=referrals.re_referrals_12m&target=1&amber=0&amberKind=points', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csc-user': 'Someone Else' } });
    expect(ok.statusCode).toBe(303);
    const api = (await client.inject({ url: '/api/scorecard?month=2025-01' })).json() as { indicators: { id: string; rag: string; target: { value: number; setBy: string } }[] };
    const re = api.indicators.find((i) => i.id === 'referrals.re_referrals_12m')!;
    expect(re.target).toMatchObject({ value: 1, setBy: 'ann.analyst' });
    expect(re.rag).toBe('red');
    const list = (await client.inject({ url: '/api/targets?year=2024-25' })).json() as { targets: { id: string; target: number }[] };
    expect(list.targets.find((t) => t.id === 'referrals.re_referrals_12m')?.target).toBe(1);
  });
});

describe('through a real HTTP server', () => {
  it('answers the health check and the scorecard over a socket', async () => {
    const server = await buildApp({ store: demo.store });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { cookie } = await signedIn(server, demo.store, 'analyst');
      expect(await (await fetch(`${address}/health`)).json()).toEqual({ status: 'ok' });
      const res = await fetch(`${address}/scorecard?month=2025-01`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Re-referrals within 12 months');
    } finally {
      await server.close();
    }
  });
});

describe('report downloads', () => {
  it('the scorecard page links to the reports, and each downloads as the right file', async () => {
    const page = await client.inject({ url: '/scorecard?month=2025-01' });
    expect(page.body).toContain('href="/reports/pdf?month=2025-01&public=1"');
    const xlsx = await client.inject({ url: '/reports/xlsx?month=2025-01&public=1' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="scorecard-2025-01-public.xlsx"');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK'); // a zip: xlsx
    const html = await client.inject({ url: '/reports/html?month=2025-01' });
    expect(html.body).toContain('Good and improved performance');
    expect((await client.inject({ url: '/reports/doc?month=2025-01' })).statusCode).toBe(404);
  }, 60_000);
});

describe('aggregate measures through the API', () => {
  it('enters a month\'s figure, which the scorecard then shows; a bad one names its field and rule', async () => {
    const ok = await client.inject({ method: 'POST', url: '/api/measures', payload: { measureId: 'aggregate.front_door_calls_answered', month: '2025-01', numerator: 450, denominator: 500 } });
    expect(ok.statusCode).toBe(201);
    const api = (await client.inject({ url: '/api/scorecard?month=2025-01' })).json() as { indicators: { id: string; month: { value: number; numerator: number } }[] };
    expect(api.indicators.find((i) => i.id === 'aggregate.front_door_calls_answered')?.month).toMatchObject({ value: 90, numerator: 450 });
    const bad = await client.inject({ method: 'POST', url: '/api/measures', payload: { measureId: 'aggregate.front_door_calls_answered', month: '2025-01', numerator: 600, denominator: 500 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: expect.any(String), rule: expect.stringMatching(/^CSCM/) });
  });
});

describe('page cache', () => {
  it('serves a page again from the cache until the data change; a POST changes them', async () => {
    const url = '/scorecard?month=2024-12';
    const first = await client.inject({ url });
    expect(first.headers['x-csc-page-cache']).toBeUndefined();
    const again = await client.inject({ url });
    expect(again.headers['x-csc-page-cache']).toBe('hit');
    expect(again.body).toBe(first.body);
    await client.inject({ method: 'POST', url: '/targets', payload: 'year=2024-25&indicator=assessments.within_45_days&target=99&amber=0&amberKind=points', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const after = await client.inject({ url });
    expect(after.headers['x-csc-page-cache']).toBeUndefined();
    expect(after.body).not.toBe(first.body);
  });
});
