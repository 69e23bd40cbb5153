// The dashboard in real Chromium: after signing in through the real form, the scorecard and targets pages
// render with GOV.UK styles, follow from the navigation, show RAG as words, and have no serious or critical
// accessibility violations (axe-core, the sign-in page too); no page breaks its Content Security Policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { addBrowserUser, launch, screenshot, seriousViolations, signInThroughForm, watchCsp } from '../helpers/browser.ts';

let demo: DemoStore;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const USER = 'ann.analyst';
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire (synthetic)' });
  await addBrowserUser(demo.store, USER, 'analyst');
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  demo?.close();
});

/**
 * Opens `path` in a browser not yet signed in: it is sent to the sign-in page (checked with axe when
 * JavaScript runs), signs in through the form and lands on `path`. Returns the page's CSP check.
 */
async function signedInAt(page: Page, path: string, o: { axe?: boolean } = {}): Promise<() => Promise<void>> {
  const csp = watchCsp(page);
  page.setDefaultTimeout(90_000); // a first, cold page (a scorecard month) can take long on a busy machine
  const noViolations = async () => expect(await csp.take(), page.url()).toEqual([]);
  await page.goto(`${base}${path}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
  if (o.axe !== false) expect(await seriousViolations(page), 'login').toEqual([]);
  await noViolations();
  await signInThroughForm(page, USER);
  expect(page.url()).toBe(`${base}${path}`);
  await noViolations();
  return noViolations;
}

describe('scorecard in Chromium', () => {
  it('renders with GOV.UK styles, pickers and RAG words, and passes axe', async () => {
    const page = await browser.newPage();
    const noCspViolations = await signedInAt(page, '/scorecard?month=2025-01');
    await expect(page.title()).resolves.toMatch(/^Scorecard, January 2025/);
    // GOV.UK Frontend's stylesheet applied: the heading uses its font stack
    const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toMatch(/GDS Transport|arial/i);
    const rag = await page.locator('[data-field="rag"] .govuk-tag').allTextContents();
    expect(rag.length).toBeGreaterThan(10);
    for (const word of rag) expect(word.trim()).toMatch(/^(RED|AMBER|GREEN)$/);
    await screenshot(page, 'scorecard');
    expect(await seriousViolations(page)).toEqual([]);
    await noCspViolations();
    await page.close();
  });

  it('the month picker works without JavaScript (a GET form), and the navigation reaches the targets page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const noCspViolations = await signedInAt(page, '/scorecard?month=2025-01', { axe: false }); // the form works without JavaScript too
    await page.selectOption('#month', '2024-12');
    await page.click('button:has-text("Show")');
    await expect(page.title()).resolves.toMatch(/^Scorecard, December 2024/);
    await noCspViolations();
    await page.click('nav a:has-text("Targets")');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Targets for/);
    await noCspViolations();
    await context.close();
  });

  it('the targets page passes axe, including with its error summary showing', async () => {
    const page = await browser.newPage();
    const noCspViolations = await signedInAt(page, '/targets?year=2024-25');
    expect(await seriousViolations(page)).toEqual([]);
    await page.selectOption('#indicator', 'assessments.within_45_days');
    await page.fill('#target', 'lots');
    await page.fill('#amber', '5');
    await page.click('button:has-text("Save target")');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the target as a number');
    await screenshot(page, 'targets-error');
    expect(await seriousViolations(page)).toEqual([]);
    await noCspViolations();
    await page.close();
  });
});
