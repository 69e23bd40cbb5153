// The analyses pages in real Chromium, signed in as an analyst through the real form: each renders with
// GOV.UK styles and its chart, breaks no Content Security Policy, the filters work without JavaScript, and
// axe-core finds no serious or critical accessibility violations. Screenshots: test-output/screenshots/analyses-*.png.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { addBrowserUser, launch, screenshot, seriousViolations, signInThroughForm, watchCsp } from '../helpers/browser.ts';
import { importGroupPopulation, importPostcodes } from '../../src/analyses/reference.ts';

let demo: DemoStore;
let app: FastifyInstance;
let browser: Browser;
let context: BrowserContext; // scripts on, for axe
let noScripts: BrowserContext;
const USER = 'ann.analyst';

/** Signs the context in through the sign-in form (the session cookie stays in the context). */
async function signIn(c: BrowserContext): Promise<void> {
  const page: Page = await c.newPage();
  await page.goto(`${base}/analyses`);
  await signInThroughForm(page, USER);
  await page.close();
}
let base: string;
beforeAll(async () => {
  demo = await demoStore();
  const ref = join(demo.dir, 'files', 'reference');
  await importPostcodes(demo.store, join(ref, 'postcode-centroids.csv'));
  await importGroupPopulation(demo.store, join(ref, 'population-by-group.csv'));
  app = await buildApp({ store: demo.store, authority: 'Testshire (synthetic)' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  await addBrowserUser(demo.store, USER, 'analyst');
  browser = await launch();
  context = await browser.newContext();
  noScripts = await browser.newContext({ javaScriptEnabled: false });
  for (const c of [context, noScripts]) await signIn(c);
}, 180_000);
afterAll(async () => {
  await context?.close();
  await noScripts?.close();
  await browser?.close();
  await app?.close();
  demo?.close();
});

describe('analyses pages in Chromium', () => {
  for (const [path, heading, chart] of [
    ['/analyses', /^Analyses$/, false],
    ['/analyses/journeys', /Journeys from the front door/, true],
    ['/analyses/disproportionality', /Disproportionality/, true],
    ['/analyses/drift', /Drift/, false],
    ['/analyses/distance', /Placement distance/, false],
    ['/analyses/forecast?horizon=12', /Forecast of children looked after/, true],
  ] as const) {
    it(`${path} renders (with its chart where it has one), breaks no CSP and passes axe`, async () => {
      const page = await context.newPage();
      const csp = watchCsp(page);
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toMatch(heading);
      expect(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/GDS Transport|arial/i);
      if (chart) expect(await page.locator('figure.csc-chart svg').count()).toBe(1);
      await screenshot(page, `analyses-${path.split('?')[0].replace(/\//g, '-').replace(/^-/, '') || 'index'}`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await csp.take()).toEqual([]);
      await page.close();
    });
  }

  it('the journey filters work without JavaScript and a flow drills to its children', async () => {
    const page = await noScripts.newPage();
    await page.goto(`${base}/analyses/journeys`);
    await page.fill('#period', '2023-24 Q3');
    await page.click('button:has-text("Show journeys")');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Journeys/);
    await expect(page.title()).resolves.toMatch(/2023-24 Q3/);
    const cohort = Number(await page.locator('#cohort').getAttribute('data-cohort'));
    expect(cohort).toBeGreaterThan(0);
    await page.click('tr[data-from="Contact"][data-to="Referral"] a');
    const n = Number(await page.locator('#count').getAttribute('data-count'));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(cohort);
    await page.close();
  });
});
