// The Data pages on a small synthetic authority loaded through the real readers: the loads list and the
// data-quality summary equal the store's tables; files uploaded through the browser form (multipart, over a
// real HTTP server) are loaded or only checked and their findings shown; a rejected or oversized file
// changes nothing; a load rolled back through the two-step POST brings the state before it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { listLoads } from '../../src/load.ts';
import { safeFileName, reportingYear } from '../../src/server/routes/data.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';

let demo: DemoStore;
let app: FastifyInstance;
let base: string;
let client: Client;
/** What a browser signed in as `client` sends over HTTP: the session cookie (and the CSRF token on a POST). */
let cookie: { cookie: string };
let csrf: { cookie: string; 'x-csrf-token': string };
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst');
  cookie = { cookie: client.cookie };
  csrf = { ...cookie, 'x-csrf-token': client.csrfToken };
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  demo?.close();
});

/** An SSDA903 episodes table with deliberate faults: a bad LS code, one that a spreadsheet would run, an impossible date. */
const EPISODES = [
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
  '900001,01/05/2024,S,C2,N1,U1,PR1,,,,,,',
  '900002,10/06/2024,S,ZZ,N1,U1,PR1,,,,,,',
  '900003,10/06/2024,S,=1+2,N1,U1,PR1,,,,,,',
  '900004,31/02/2024,S,C2,N1,U1,PR1,,,,,,',
].join('\n') + '\n';

/** The upload form as the browser sends it: the session's CSRF token first (a hidden field; null: none), then the files and fields. */
function form(files: { name: string; text: string }[], fields: Record<string, string> = {}, csrfToken: string | null = client.csrfToken): FormData {
  const fd = new FormData();
  if (csrfToken !== null) fd.append('_csrf', csrfToken);
  for (const f of files) fd.append('files', new Blob([f.text], { type: 'text/csv' }), f.name);
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

async function upload(fd: FormData, url = '/data/upload'): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${url}`, { method: 'POST', body: fd, headers: cookie }); // the CSRF token is in the form
  return { status: res.status, body: await res.text() };
}

/** What the figures are computed from: the current state's row counts and the active loads. */
async function state() {
  return {
    counts: await demo.store.counts('main'),
    active: (await listLoads(demo.store)).filter((l) => l.status === 'active').map((l) => l.load_id),
  };
}

/** The text of the element carrying data-field=field inside the table row with attribute attr="value". */
function cell(html: string, attr: string, value: string, field: string): string {
  const row = new RegExp(`<tr class="govuk-table__row"[^>]*${attr}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  const m = new RegExp(`data-field="${field}">([\\s\\S]*?)</td>`).exec(row);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

const num = (text: string) => Number(text.replace(/,/g, ''));

describe('loads and data quality', () => {
  it('lists every load newest first, the same as the store and the JSON twin', async () => {
    const page = await client.inject({ url: '/data' });
    expect(page.statusCode).toBe(200);
    const api = (await client.inject({ url: '/api/loads' })).json() as { loads: { id: number; rowsLoaded: number; status: string; file: string; loadedBy: string }[] };
    const loads = await listLoads(demo.store);
    expect(api.loads.map((l) => l.id)).toEqual(loads.map((l) => l.load_id).reverse());
    const order = [...page.body.matchAll(/data-load="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual(api.loads.map((l) => l.id));
    for (const l of api.loads) {
      expect(num(cell(page.body, 'data-load', String(l.id), 'rows-loaded'))).toBe(l.rowsLoaded);
      expect(cell(page.body, 'data-load', String(l.id), 'status').toLowerCase()).toContain(l.status === 'active' ? 'active' : l.status.replace('_', ' '));
      expect(l.loadedBy).toBe('test');
    }
    expect(page.body).toContain('href="/data/loads/1"');
  });

  it('counts findings by rule across the active loads exactly as the findings table holds them', async () => {
    const api = (await client.inject({ url: '/api/loads' })).json() as { quality: { ruleset: string; code: string; severity: string; count: number; href: string }[] };
    const truth = await demo.store.query<{ ruleset: string; code: string; n: number; errors: number }>(
      `SELECT f.ruleset, f.code, count(*)::INTEGER AS n, count(*) FILTER (WHERE f.severity = 'error')::INTEGER AS errors
       FROM findings f JOIN loads l USING (load_id) WHERE l.status = 'active' GROUP BY ALL`);
    expect(truth.length).toBeGreaterThan(0);
    expect(api.quality.length).toBe(truth.length);
    for (const t of truth) {
      const q = api.quality.find((x) => x.ruleset === t.ruleset && x.code === t.code)!;
      expect(q.count, t.code).toBe(t.n);
      expect(q.severity).toBe(t.errors > 0 ? 'error' : 'warning');
    }
    // Errors first, then the most frequent.
    const sev = api.quality.map((q) => q.severity);
    expect(sev.indexOf('warning') === -1 || sev.lastIndexOf('error') < sev.indexOf('warning')).toBe(true);
    const page = await client.inject({ url: '/data' });
    for (const q of api.quality) {
      expect(num(cell(page.body, 'data-rule', `${q.ruleset}:${q.code}`, 'count')), q.code).toBe(q.count);
      expect(page.body).toContain(`href="${q.href.replace(/&/g, '&amp;')}"`);
    }
    expect(num(/data-field="quality-total">([\d,]+)</.exec(page.body)![1])).toBe(truth.reduce((a, t) => a + t.n, 0));
    // Each rule's link lists as many findings as the summary counts.
    const top = api.quality[0];
    const list = (await client.inject({ url: top.href.replace('/data/findings', '/api/findings') })).json() as { total: number; findings: unknown[] };
    expect(list.total).toBe(top.count);
    const listPage = await client.inject({ url: top.href });
    expect(num(/data-field="total">([\d,]+)</.exec(listPage.body)![1])).toBe(top.count);
  });

  it('pages through the findings of a rule and downloads them all as CSV', async () => {
    const [big] = await demo.store.query<{ ruleset: string; code: string; n: number }>(
      `SELECT f.ruleset, f.code, count(*)::INTEGER AS n FROM findings f JOIN loads l USING (load_id) WHERE l.status = 'active'
       GROUP BY ALL ORDER BY n DESC LIMIT 1`);
    const url = `/data/findings?code=${big.code}&ruleset=${big.ruleset}`;
    const p1 = await client.inject({ url });
    expect(p1.statusCode).toBe(200);
    expect([...p1.body.matchAll(/data-finding>/g)].length).toBe(Math.min(100, big.n));
    if (big.n > 100) {
      expect(p1.body).toContain('govuk-pagination');
      const p2 = (await client.inject({ url: `/api/findings?code=${big.code}&ruleset=${big.ruleset}&page=2` })).json() as { page: number; findings: unknown[] };
      expect(p2.findings.length).toBe(Math.min(100, big.n - 100));
    }
    const csvRes = await client.inject({ url: `/data/findings.csv?code=${big.code}&ruleset=${big.ruleset}` });
    expect(csvRes.headers['content-type']).toMatch(/text\/csv/);
    expect(csvRes.headers['content-disposition']).toContain('attachment');
    expect(csvRes.body.trim().split('\n').length).toBeGreaterThanOrEqual(big.n + 1);
    expect((await client.inject({ url: `/data/findings?code=${big.code}&page=9999` })).statusCode).toBe(404);
  });

  it('refuses a findings query without a rule code, naming the field', async () => {
    const bad = await client.inject({ url: '/data/findings' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#code"');
    expect(bad.body).toMatch(/class="govuk-input govuk-input--width-10 govuk-input--error" id="code"/);
    expect(bad.body).not.toMatch(/govuk-input--error" id="ruleset"/);
    expect((await client.inject({ url: '/api/findings?code=' })).statusCode).toBe(400);
    expect((await client.inject({ url: '/data/findings?code=103&load=abc' })).body).toContain('href="#load"');
  });

  it('shows one load with its findings by rule; an unknown load is a 404', async () => {
    const [withFindings] = await demo.store.query<{ load_id: number; n: number }>(
      `SELECT load_id, count(*)::INTEGER AS n FROM findings GROUP BY load_id ORDER BY n DESC LIMIT 1`);
    const page = await client.inject({ url: `/data/loads/${withFindings.load_id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('govuk-summary-list');
    const api = (await client.inject({ url: `/api/loads/${withFindings.load_id}` })).json() as { load: { rowsLoaded: number; status: string }; rules: { ruleset: string; code: string; count: number }[]; findingsTotal: number };
    expect(api.findingsTotal).toBe(withFindings.n);
    expect(api.rules.reduce((a, r) => a + r.count, 0)).toBe(withFindings.n);
    for (const r of api.rules) {
      const section = new RegExp(`data-rule="${r.ruleset}:${r.code}">[\\s\\S]*?data-field="count">([\\d,]+)<`).exec(page.body);
      expect(num(section![1]), r.code).toBe(r.count);
    }
    expect(num(/data-field="rows-loaded">([\d,]+)</.exec(page.body)![1])).toBe(api.load.rowsLoaded);
    expect(page.body).toContain(`href="/data/loads/${withFindings.load_id}/rollback"`);
    for (const url of ['/data/loads/99999', '/data/loads/abc', '/data/loads/99999/rollback']) {
      const r = await client.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body).toContain('govuk-heading-l');
    }
    expect((await client.inject({ url: '/api/loads/99999' })).statusCode).toBe(404);
    expect((await client.inject({ method: 'POST', url: '/data/loads/99999/rollback' })).statusCode).toBe(404);
  });
});

describe('upload', () => {
  it('shows the upload form: a labelled file input taking several files, the year and "Check without loading"', async () => {
    const page = await client.inject({ url: '/data/upload' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toMatch(/<input class="govuk-file-upload" id="files" name="files" type="file" multiple/);
    expect(page.body).toContain('<label class="govuk-label govuk-label--m" for="files">');
    expect(page.body).toContain('for="year"');
    expect(page.body).toContain('Check without loading');
    expect(page.body).not.toContain('govuk-error-summary');
    expect(page.body).not.toContain('govuk-file-upload--error');
  });

  it('checks a file without loading it: the findings are shown and nothing is stored', async () => {
    const before = await state();
    const loadsBefore = (await listLoads(demo.store)).length;
    const res = await upload(form([{ name: 'episodes.csv', text: EPISODES }], { year: '2024-25', validateOnly: 'yes' }));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Check results');
    expect(res.body).toContain('nothing was loaded');
    expect(res.body).toMatch(/data-rule="ssda903:144"/);
    expect(num(cell(res.body, 'data-rule', 'ssda903:144', 'count'))).toBe(2);
    expect(await state()).toEqual(before);
    expect((await listLoads(demo.store)).length).toBe(loadsBefore);
  });

  it('loads an SSDA903 CSV with deliberate errors through a real HTTP server, shows its findings, and rolls it back in two steps', async () => {
    const before = await state();
    const res = await upload(form([{ name: 'episodes.csv', text: EPISODES }], { year: '2024-25' }));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Upload results');
    const row = /<tr class="govuk-table__row" id="file-1" data-file="episodes.csv" data-status="loaded">([\s\S]*?)<\/tr>/.exec(res.body);
    expect(row).not.toBeNull();
    // Rule 144 (bad legal status) twice, as a warning; the impossible date is an error, listed first.
    expect(num(cell(res.body, 'data-rule', 'ssda903:144', 'count'))).toBe(2);
    expect(res.body).toContain('LS ZZ is not a valid code');
    const sev = [...res.body.matchAll(/data-rule="[^"]+">[\s\S]*?data-field="severity">([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    expect(sev[0]).toBe('ERROR');
    expect(sev).toContain('WARNING');
    expect(num(cell(res.body, 'data-file', 'episodes.csv', 'rows-rejected'))).toBeGreaterThanOrEqual(1);

    // The new load replaced the demo's 2024-25 episodes: the current state changed.
    const loads = await listLoads(demo.store);
    const mine = loads[loads.length - 1];
    expect(mine).toMatchObject({ file_name: 'episodes.csv', status: 'active', collection_year: 2024, loaded_by: client.username });
    const replaced = loads.filter((l) => l.superseded_by === mine.load_id).map((l) => l.load_id);
    expect(replaced.length).toBe(1);
    expect(res.body).toContain(`href="/data/loads/${replaced[0]}"`);
    const during = await state();
    expect(during.counts.lac_episodes).not.toBe(before.counts.lac_episodes);
    // The data-quality summary follows: rule 144 now counts the uploaded rows too.
    const q = (await client.inject({ url: '/api/loads' })).json() as { quality: { ruleset: string; code: string; count: number }[] };
    const [t144] = await demo.store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM findings JOIN loads USING (load_id) WHERE status = 'active' AND code = '144' AND ruleset = 'ssda903'`);
    expect(q.quality.find((x) => x.code === '144' && x.ruleset === 'ssda903')!.count).toBe(t144.n);

    // The value a spreadsheet would run is neutralised in the CSV download.
    const csvRes = await fetch(`${base}/data/findings.csv?code=144&ruleset=ssda903&load=${mine.load_id}`, { headers: cookie });
    const text = await csvRes.text();
    expect(text).toContain("'=1+2");
    expect(text).not.toMatch(/(^|,)=1\+2/m);

    // Step 1: the confirmation page says what will change.
    const ask = await fetch(`${base}/data/loads/${mine.load_id}/rollback`, { headers: cookie });
    const askBody = await ask.text();
    expect(ask.status).toBe(200);
    expect(askBody).toContain('Are you sure');
    expect(askBody).toContain(`Load ${replaced[0]} (`);
    expect(askBody).toContain(`action="/data/loads/${mine.load_id}/rollback"`);
    expect(await state()).toEqual(during); // asking changes nothing
    // Step 2: the POST rolls back and redirects to the load with a banner saying what happened.
    const done = await fetch(`${base}/data/loads/${mine.load_id}/rollback`, { method: 'POST', redirect: 'manual', headers: csrf });
    expect(done.status).toBe(303);
    const location = done.headers.get('location')!;
    expect(location).toBe(`/data/loads/${mine.load_id}?rolledBack=1&restored=${replaced[0]}`);
    const after = await fetch(`${base}${location}`, { headers: cookie });
    const afterBody = await after.text();
    expect(afterBody).toContain('govuk-notification-banner--success');
    expect(afterBody).toContain(`Load ${mine.load_id} rolled back`);
    expect(afterBody).toContain(`Load ${replaced[0]} (`);
    expect(afterBody).toContain('is active again');
    expect(await state()).toEqual(before);
    // Rolled back once is enough: a second POST is refused, and the page offers no rollback.
    expect((await fetch(`${base}/data/loads/${mine.load_id}/rollback`, { method: 'POST', redirect: 'manual', headers: csrf })).status).toBe(409);
    expect((await client.inject({ url: `/data/loads/${mine.load_id}/rollback` })).statusCode).toBe(409);
    expect(afterBody).not.toContain(`href="/data/loads/${mine.load_id}/rollback"`);
  });

  it('the same file twice changes nothing the second time; the JSON twin rolls it back', async () => {
    const before = await state();
    const first = await upload(form([{ name: 'episodes.csv', text: EPISODES }], { year: '2019-20' }));
    expect(first.body).toMatch(/data-file="episodes.csv" data-status="loaded"/);
    const loaded = await state();
    const again = await upload(form([{ name: 'episodes.csv', text: EPISODES }], { year: '2019-20' }));
    expect(again.body).toMatch(/data-file="episodes.csv" data-status="unchanged"/);
    expect(await state()).toEqual(loaded);
    const id = loaded.active.find((a) => !before.active.includes(a))!;
    const res = await client.inject({ method: 'POST', url: `/api/loads/${id}/rollback` });
    expect(res.json()).toEqual({ loadId: id, status: 'rolled_back', restored: [] });
    expect(await state()).toEqual(before);
    const page = await client.inject({ url: `/data/loads/${id}?rolledBack=1` });
    expect(page.body).toContain('No earlier load came back in its place');
    expect(cell((await client.inject({ url: '/data' })).body, 'data-load', String(id), 'status')).toBe('Rolled back');
  });

  it('rejects an empty file and a garbage file with findings, and the store is unchanged', async () => {
    const before = await state();
    const fd = new FormData();
    fd.append('_csrf', client.csrfToken);
    fd.append('files', new Blob([''], { type: 'text/csv' }), 'empty.csv');
    fd.append('files', new Blob([Buffer.from([0, 159, 146, 150, 1, 2, 3, 255])], { type: 'application/octet-stream' }), '../../etc/garbage.bin');
    const res = await upload(fd);
    expect(res.status).toBe(200);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('2 files were not loaded');
    expect(res.body).toMatch(/data-file="empty.csv" data-status="rejected"/);
    expect(res.body).toMatch(/data-file="garbage.bin" data-status="rejected"/); // no folders from the name
    expect(res.body).toContain('the file is empty');
    expect(res.body).toContain('not recognised');
    expect(res.body).toContain('data-rule="file:CSC001"');
    expect(await state()).toEqual(before);
    const loads = await listLoads(demo.store);
    expect(loads.slice(-2).map((l) => l.status)).toEqual(['rejected', 'rejected']);
  });

  it('gives the same results as JSON from POST /api/loads', async () => {
    const fd = form([{ name: 'episodes.csv', text: EPISODES }], { year: '2024-25', validateOnly: 'yes' }, null);
    const res = await fetch(`${base}/api/loads`, { method: 'POST', body: fd, headers: csrf }); // an API client: the token in the header
    expect(res.status).toBe(200);
    const json = await res.json() as { validateOnly: boolean; results: { file: string; status: string; findings: { code: string }[]; rowsLoaded: Record<string, number> }[] };
    expect(json.validateOnly).toBe(true);
    expect(json.results[0]).toMatchObject({ file: 'episodes.csv', status: 'loaded', rowsLoaded: { lac_episodes: 3 } });
    expect(json.results[0].findings.filter((f) => f.code === '144').length).toBe(2);
  });

  it('names the field when no file is chosen or the year is wrong', async () => {
    const none = await upload(form([], { year: '' }));
    expect(none.status).toBe(400);
    expect(none.body).toContain('govuk-error-summary');
    expect(none.body).toContain('href="#files"');
    expect(none.body).toContain('Select a file to upload');
    const year = await upload(form([{ name: 'episodes.csv', text: EPISODES }], { year: '2024-26' }));
    expect(year.status).toBe(400);
    expect(year.body).toContain('href="#year"');
    expect(year.body).toContain('govuk-form-group--error');
    const notMultipart = await client.inject({ method: 'POST', url: '/data/upload', payload: 'year=2024-25', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notMultipart.statusCode).toBe(400);
    expect(notMultipart.body).toContain('href="#files"');
  });

  it('refuses a file over the size limit with an error summary, and changes nothing', async () => {
    process.env.CSC_UPLOAD_MAX_BYTES = '1000';
    const small = await buildApp({ store: demo.store });
    delete process.env.CSC_UPLOAD_MAX_BYTES;
    try {
      const smallClient = await signedIn(small, demo.store, 'analyst');
      const before = await state();
      const loadsBefore = (await listLoads(demo.store)).length;
      const big = EPISODES + '900005,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n'.repeat(100);
      const res = await smallClient.inject({ method: 'POST', url: '/data/upload', payload: form([{ name: 'ok.csv', text: EPISODES }, { name: 'episodes.csv', text: big }], { year: '2024-25' }, smallClient.csrfToken) });
      expect(res.statusCode).toBe(413);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain('must be smaller than 1 KB');
      expect(await state()).toEqual(before);
      expect((await listLoads(demo.store)).length).toBe(loadsBefore); // not even the small file
    } finally {
      await small.close();
    }
  });

  it('keeps only a safe base name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\2024-25\\episodes.csv')).toBe('episodes.csv');
    expect(safeFileName('..')).toBe('upload');
    expect(safeFileName('.hidden')).toBe('hidden');
    expect(safeFileName('a\u0000b.csv')).toBe('a_b.csv');
    expect(reportingYear('2024-25')).toBe(2024);
    expect(reportingYear('')).toBeUndefined();
    expect(reportingYear('2024-26')).toBeNull();
  });
});
