// The dashboard in real Chromium: the scorecard and targets pages render with GOV.UK styles, follow from the
// navigation, show RAG as words, and have no serious or critical accessibility violations (axe-core).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { launch, screenshot, seriousViolations } from '../helpers/browser.ts';

let demo: DemoStore;
let app: FastifyInstance;
let browser: Browser;
let base: string;
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire (synthetic)' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  demo?.close();
});

describe('scorecard in Chromium', () => {
  it('renders with GOV.UK styles, pickers and RAG words, and passes axe', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/scorecard?month=2025-01`);
    await expect(page.title()).resolves.toMatch(/^Scorecard, January 2025/);
    // GOV.UK Frontend's stylesheet applied: the heading uses its font stack
    const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toMatch(/GDS Transport|arial/i);
    const rag = await page.locator('[data-field="rag"] .govuk-tag').allTextContents();
    expect(rag.length).toBeGreaterThan(10);
    for (const word of rag) expect(word.trim()).toMatch(/^(RED|AMBER|GREEN)$/);
    await screenshot(page, 'scorecard');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('the month picker works without JavaScript (a GET form), and the navigation reaches the targets page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/scorecard?month=2025-01`);
    await page.selectOption('#month', '2024-12');
    await page.click('button:has-text("Show")');
    await expect(page.title()).resolves.toMatch(/^Scorecard, December 2024/);
    await page.click('nav a:has-text("Targets")');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Targets for/);
    await context.close();
  });

  it('the targets page passes axe, including with its error summary showing', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/targets?year=2024-25`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.selectOption('#indicator', 'assessments.within_45_days');
    await page.fill('#target', 'lots');
    await page.fill('#amber', '5');
    await page.click('button:has-text("Save target")');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the target as a number');
    await screenshot(page, 'targets-error');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
