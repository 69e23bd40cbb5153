// The dashboard under load for `npm run bench`: `users` concurrent signed-in analysts (each with a session of
// its own, the signed cookie a browser holds after signing in) request the main pages in turn for `seconds`,
// after one pass that fills the page cache. The first pass's times are what the first reader after a load waits.
import type { Store } from '../src/store.ts';
import { buildApp } from '../src/server/app.ts';
import { SESSION_COOKIE } from '../src/server/auth.ts';
import { addUser } from '../src/auth/users.ts';
import { createSession } from '../src/auth/sessions.ts';

export async function dashboardUnderLoad(store: Store, month: string, users: number, seconds: number) {
  const app = await buildApp({ store });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const benchUser = 'bench.analyst';
    await addUser(store, { username: benchUser, role: 'analyst', teams: [], password: 'bench load test password' });
    const cookies = await Promise.all(Array.from({ length: users }, async () =>
      `${SESSION_COOKIE}=${app.signCookie((await createSession(store, benchUser, '127.0.0.1')).token)}`));
    const someChild = (await store.query<{ child_id: string }>('SELECT child_id FROM main.referrals ORDER BY referral_date DESC LIMIT 1'))[0]?.child_id;
    const pages = [
      `/scorecard?month=${month}`, `/api/scorecard?month=${month}`, `/indicator/referrals.re_referrals_12m?month=${month}`,
      `/indicator/assessments.within_45_days?month=${month}`, `/lists/assessments_open`, `/mash`, `/caseloads`, `/data`,
      ...(someChild ? [`/child/${someChild}`] : []),
    ];
    const first: Record<string, number> = {};
    for (const p of pages) {
      const t = performance.now();
      const res = await fetch(base + p, { headers: { cookie: cookies[0] }, redirect: 'manual' });
      await res.text();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status} to a signed-in analyst`);
      first[p] = performance.now() - t;
    }
    const latencies: Record<string, number[]> = Object.fromEntries(pages.map((p) => [p, []]));
    const until = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: users }, async (_, user) => {
      for (let i = user; performance.now() < until; i++) {
        const p = pages[i % pages.length];
        const t = performance.now();
        const res = await fetch(base + p, { headers: { cookie: cookies[user] }, redirect: 'manual' });
        await res.text();
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
        latencies[p].push(performance.now() - t);
      }
    }));
    const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };
    const all = Object.values(latencies).flat();
    const label = (p: string) => p.split('?')[0].replace(/\/child\/.*/, '/child/:id');
    return {
      users, seconds,
      pages: [
        ...pages.map((p) => ({ page: label(p), 'first request ms': Math.round(first[p]), requests: latencies[p].length, 'p50 ms': Math.round(pct(latencies[p], 0.5)), 'p95 ms': Math.round(pct(latencies[p], 0.95)) })),
        { page: 'all pages', 'first request ms': Math.round(Object.values(first).reduce((a, b) => a + b, 0)), requests: all.length, 'p50 ms': Math.round(pct(all, 0.5)), 'p95 ms': Math.round(pct(all, 0.95)) },
      ],
    };
  } finally {
    await app.close();
  }
}
