// The analyses pages on a small synthetic authority loaded through the real readers, with its reference
// files imported through the real importers: each page and its JSON twin show the figures the analysis
// module gives for the same options; the children behind them are for 'child' roles only, a manager sees
// their own teams' children, and every view or download of children is audited.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';
import { importGroupPopulation, importPostcodes } from '../../src/analyses/reference.ts';
import { journeys } from '../../src/analyses/journeys.ts';
import { drift } from '../../src/analyses/drift.ts';
import { placementDistance } from '../../src/analyses/distance.ts';
import { disproportionality } from '../../src/analyses/disproportionality.ts';
import { forecast } from '../../src/analyses/forecast.ts';
import { financialQuarter, month, parsePeriod } from '../../src/periods.ts';
import { listAudit } from '../../src/audit.ts';

let demo: DemoStore;
let app: FastifyInstance;
let analyst: Client, viewer: Client, manager: Client;
let team: string;
beforeAll(async () => {
  demo = await demoStore();
  const ref = join(demo.dir, 'files', 'reference');
  await importPostcodes(demo.store, join(ref, 'postcode-centroids.csv'));
  await importGroupPopulation(demo.store, join(ref, 'population-by-group.csv'));
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  [{ team }] = await demo.store.query<{ team: string }>('SELECT min(name) AS team FROM main.teams');
  analyst = await signedIn(app, demo.store, 'analyst');
  viewer = await signedIn(app, demo.store, 'viewer');
  manager = await signedIn(app, demo.store, 'manager', { teams: [team] });
}, 180_000);
afterAll(async () => {
  await app?.close();
  demo?.close();
});

// The demo data end on 2025-03-31: the default journey cohort is the quarter a year before (2023-24 Q4).
const END = '2025-03-31';

describe('analyses pages', () => {
  it('journeys: the page and its JSON twin show the module\'s cohort and flows', async () => {
    const expected = await journeys(demo.store, { period: financialQuarter(2023, 4), dataEnd: END });
    expect(expected.cohort).toBeGreaterThan(50);
    const api = (await analyst.inject('/api/analyses/journeys')).json() as typeof expected;
    expect(api).toEqual(JSON.parse(JSON.stringify(expected)));
    const page = await analyst.inject('/analyses/journeys');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-cohort="${expected.cohort}"`);
    expect(page.body).toContain('<svg');
    const referral = expected.nodes.find((n) => n.node === 'Referral')!;
    expect(page.body).toMatch(new RegExp(`data-node="Referral">[\\s\\S]*?data-field="children">${referral.children.toLocaleString('en-GB')}<`));
    const csv = parse((await analyst.inject('/analyses/journeys.csv')).body.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    expect(csv.reduce((s, r) => s + (r.from === 'Contact' ? Number(r.children) : 0), 0)).toBe(expected.cohort);
  });

  it('disproportionality: the JSON twin is the module\'s, the page shows each ratio', async () => {
    const expected = await disproportionality(demo.store, parsePeriod('2025-03 R12'));
    const api = (await analyst.inject('/api/analyses/disproportionality')).json() as typeof expected;
    expect(api.rows.length).toBe(expected.rows.length);
    expect(api.populationYear).toBe(2024);
    const page = await analyst.inject('/analyses/disproportionality?dimension=sex');
    expect(page.statusCode).toBe(200);
    const boys = expected.rows.find((r) => r.stage === 'Referral' && r.dimension === 'sex' && r.group === 'Male')!;
    expect(page.body).toMatch(new RegExp(`data-stage="Referral" data-group="Male">[\\s\\S]*?data-field="ratio">${Math.round(boys.ratio! * 100) / 100}<`));
  });

  it('drift: a manager sees only their own teams\' children, and the view is audited', async () => {
    const all = await drift(demo.store, { asAt: END });
    expect(all.length).toBeGreaterThan(0);
    const mine = all.filter((r) => r.team === team);
    const asAnalyst = (await analyst.inject('/api/analyses/drift')).json() as { rows: unknown[] };
    expect(asAnalyst.rows.length).toBe(all.length);
    const asManager = (await manager.inject('/api/analyses/drift')).json() as { rows: { team: string }[] };
    expect(asManager.rows.length).toBe(mine.length);
    expect(asManager.rows.every((r) => r.team === team)).toBe(true);
    const page = await manager.inject('/analyses/drift');
    expect(page.statusCode).toBe(200);
    expect((page.body.match(/<tr class="govuk-table__row" data-child=/g) ?? []).length).toBe(mine.length);
    const audit = await listAudit(demo.store, { username: manager.username, limit: 10 });
    expect(audit.some((a) => a.action === 'view.children' && a.target === 'analyses.drift')).toBe(true);
    const csv = await manager.inject('/analyses/drift.csv');
    expect(csv.headers['content-disposition']).toContain('drift-2025-03-31.csv');
    expect((await listAudit(demo.store, { username: manager.username, limit: 10 })).some((a) => a.action === 'export.children_csv')).toBe(true);
  });

  it('placement distance: the figures are placementDistance\'s; its children need a child-level role', async () => {
    const expected = await placementDistance(demo.store, month('2025-03'));
    const api = (await analyst.inject('/api/analyses/distance')).json() as { figures: { id: string; figure: { numerator: number; denominator: number } }[] };
    for (const f of expected.figures) {
      const got = api.figures.find((x) => x.id === f.indicator.id)!.figure;
      // the average's numerator is a sum of miles: DuckDB's parallel sum may add them in another order
      expect(got.numerator).toBeCloseTo(f.figure.numerator, 6);
      expect(got.denominator).toBe(f.figure.denominator);
    }
    expect((await analyst.inject('/analyses/distance')).statusCode).toBe(200);
    const kids = (await analyst.inject('/api/analyses/distance/children')).json() as { rows: unknown[] };
    expect(kids.rows.length).toBe(expected.children.length);
    expect((await viewer.inject('/api/analyses/distance/children')).statusCode).toBe(403);
  });

  it('forecast: the page projects what forecast() projects, with a scenario', async () => {
    const expected = await forecast(demo.store, {
      jumpOff: '2025-03', horizon: 12, fitMonths: 24, simulations: 1000, seed: 20250331,
      scenarios: [{ kind: 'entries', ageBands: ['13 to 15', '16 and over'], change: -0.1 }],
    });
    const api = (await analyst.inject('/api/analyses/forecast?horizon=12&entries13=-10')).json() as typeof expected;
    expect(api.months.map((m) => m.total.mean)).toEqual(expected.months.map((m) => m.total.mean));
    expect(api.scenarios).toEqual(['10% fewer entries aged 13 to 15, 16 and over']);
    const page = await analyst.inject('/analyses/forecast?horizon=12&entries13=-10');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-month="2025-04"><td class="govuk-table__cell">April 2025</td><td class="govuk-table__cell govuk-table__cell--numeric" data-field="mean">${Math.round(expected.months[0].total.mean)}<`);
    expect((await analyst.inject('/analyses/forecast?horizon=13')).statusCode).toBe(400);
  });

  it('aggregates are for staff: a viewer is refused, and the navigation shows Analyses to staff only', async () => {
    for (const url of ['/analyses', '/analyses/journeys', '/api/analyses/forecast', '/analyses/drift']) expect([url, (await viewer.inject(url)).statusCode]).toEqual([url, 403]);
    expect((await analyst.inject('/scorecard')).body).toContain('href="/analyses"');
    expect((await viewer.inject('/scorecard')).body).not.toContain('href="/analyses"');
    const routes = app.cscRoutes.filter((r) => r.url.includes('/analyses'));
    expect(routes.every((r) => r.access === 'staff' || r.access === 'child')).toBe(true);
    expect(routes.filter((r) => r.url.includes('children') || r.url.includes('drift')).every((r) => r.access === 'child')).toBe(true);
  });
});
