// Real Chromium (Debian's, at /usr/bin/chromium or CHROMIUM_PATH) driven by playwright-core, an axe-core
// accessibility check run inside the page, sign-in through the real /login form, and a watch on the console
// for Content Security Policy violations.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Store } from '../../src/store.ts';
import { addUser, type Role } from '../../src/auth/users.ts';
import { SESSION_COOKIE } from '../../src/server/auth.ts';
import { TEST_PASSWORD } from './signIn.ts';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join('test-output', 'screenshots');

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

let axeSource: string | undefined;

/** axe-core's WCAG 2.x A and AA rules on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP (rightly)
  // refuses inline scripts, and the test must not make the page report a violation of its own.
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
}

/**
 * The Content Security Policy violations the browser reports on the console for this page (console errors
 * mentioning 'Content Security Policy', with the address they were reported on). `take()` returns those
 * reported since the last call: call it after each page visited and expect [].
 */
export function watchCsp(page: Page): { take(): Promise<string[]> } {
  const seen: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && msg.text().includes('Content Security Policy')) seen.push(`${page.url()}: ${msg.text()}`);
  });
  return {
    async take() {
      // Console messages arrive over the DevTools connection after the page's events: let them come in.
      await new Promise((r) => setTimeout(r, 100));
      return seen.splice(0);
    },
  };
}

/** Creates a user (password TEST_PASSWORD) who can sign in through the form. */
export async function addBrowserUser(store: Store, username: string, role: Role = 'analyst', teams: string[] = []): Promise<string> {
  await addUser(store, { username, role, teams, password: TEST_PASSWORD });
  return username;
}

/**
 * Signs in through the real form on the sign-in page the browser is showing: fills Username and Password and
 * presses "Sign in"; resolves when the page it lands on has loaded (allowing for a first, cold page such as
 * the scorecard on a busy machine).
 */
export async function signInThroughForm(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 90_000 }),
    page.click('button:has-text("Sign in")', { timeout: 90_000 }),
  ]);
}

/** The browser's session cookie as a request header, for fetching the JSON twin as the same user. */
export async function sessionCookie(context: BrowserContext): Promise<string> {
  const c = (await context.cookies()).find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error(`the browser holds no ${SESSION_COOKIE} cookie: it has not signed in`);
  return `${c.name}=${c.value}`;
}
