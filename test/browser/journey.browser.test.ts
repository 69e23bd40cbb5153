// A user's journey through the dashboard in real Chromium on a synthetic authority loaded through the real
// readers: signing in through the form, then the scorecard → an indicator → the children behind it → one
// child's timeline; the MASH list's RAG; uploading a file with errors and seeing the findings. axe-core on
// every page on the way, the sign-in page too: no serious or critical violations; and no page breaks its
// Content Security Policy. Screenshots under test-output/screenshots.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { runList } from '../../src/lists/index.ts';
import { addBrowserUser, launch, screenshot, seriousViolations, sessionCookie, signInThroughForm, watchCsp } from '../helpers/browser.ts';

let demo: DemoStore;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'csc-journey-'));
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
  rmSync(dir, { recursive: true, force: true });
});

const csp = new WeakMap<Page, ReturnType<typeof watchCsp>>();

/** A new browser (no session yet) on `path`: sent to sign in (which passes axe), signed in, and back on `path`. */
async function signedInAt(path: string): Promise<Page> {
  const page = await browser.newPage();
  csp.set(page, watchCsp(page));
  page.setDefaultTimeout(90_000); // a first, cold page (a scorecard month) can take long on a busy machine
  await page.goto(`${base}${path}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await accessible(page, 'login');
  await signInThroughForm(page, USER);
  expect(page.url()).toBe(`${base}${path}`);
  return page;
}

/** No Content Security Policy violation reported on the page since the last look. */
async function noCspViolations(page: Page): Promise<void> {
  expect(await csp.get(page)!.take(), page.url()).toEqual([]);
}

async function accessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), name).toEqual([]);
  await noCspViolations(page);
}

describe('a journey through the dashboard', () => {
  it('scorecard → indicator → its children → a child\'s timeline', async () => {
    const page = await signedInAt('/scorecard?month=2025-01');
    await noCspViolations(page);
    await page.click('a:has-text("Re-referrals within 12 months")');
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Re-referrals within 12 months');
    await accessible(page, 'indicator');
    // the children behind the figure: as many rows in the denominator as the API says
    const api = await (await fetch(`${base}/api/indicator/referrals.re_referrals_12m?month=2025-01`, { headers: { cookie: await sessionCookie(page.context()) } })).json() as { children?: { rows?: unknown[] } };
    const shown = await page.locator('#children-table tbody tr').count();
    expect(shown).toBeGreaterThan(0);
    if (api.children?.rows) expect(shown).toBeLessThanOrEqual(api.children.rows.length);
    const first = page.locator('#children-table tbody tr a[href^="/child/"]').first();
    const childHref = await first.getAttribute('href');
    await first.click();
    await page.waitForURL(`**${childHref}`);
    await expect(page.locator('h1').first().textContent()).resolves.toMatch(/Child/i);
    expect(await page.locator('[data-entry]').count()).toBeGreaterThan(0);
    await accessible(page, 'child');
    await page.close();
  });

  it('the MASH list rates each contact by how long it has waited, in words as well as colour', async () => {
    const at = '2025-01-31T12:00';
    const page = await signedInAt(`/mash?at=${encodeURIComponent(at)}`);
    const expected = await runList(demo.store, 'contacts_awaiting_decision', { asAt: at });
    const text = await page.locator('main').textContent() ?? '';
    for (const rag of ['red', 'amber', 'green'] as const) {
      const n = expected.filter((r) => r.rag === rag).length;
      if (n > 0) expect(text.toUpperCase()).toContain(rag.toUpperCase());
    }
    expect(await page.locator('meta[name="csc-refresh"]').getAttribute('content')).toBe('60');
    await accessible(page, 'mash');
    await page.goto(`${base}/lists`);
    await accessible(page, 'lists');
    await page.goto(`${base}/caseloads`);
    await accessible(page, 'caseloads');
    await page.close();
  });

  it('uploads a file with errors and shows its findings; the data page passes axe', async () => {
    const file = join(dir, 'episodes.csv');
    writeFileSync(file, [
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
      '900001,01/05/2024,S,ZZ,N1,U1,PR1,,,,AB1 2CD,AB1 3CD,SC000001',
      '900002,31/02/2024,S,C2,N1,U1,PR1,,,,AB1 2CD,AB1 3CD,SC000002',
    ].join('\n'));
    const page = await signedInAt('/data');
    await accessible(page, 'data');
    await page.goto(`${base}/data/upload`);
    await accessible(page, 'upload');
    await page.setInputFiles('input[type="file"]', file);
    const year = page.locator('#year');
    if (await year.count()) await year.fill('2024-25');
    await page.click('#upload');
    await page.waitForLoadState('load');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toMatch(/episodes\.csv/);
    expect(body).toMatch(/LS|legal status/i); // the bad legal status code is reported
    await accessible(page, 'upload-results');
    await page.close();
  });
});
