// The child page, its JSON twin and the child search, on a small synthetic authority loaded through the
// real readers: every record of the child is on the timeline with the file and line it came from, the page
// says what the API says, findings and journey checks show as data-quality flags, and the child id never
// reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp, type AppContext } from '../../src/server/app.ts';
import { childRoutes, JOURNEY_TABLES, type ChildJourney } from '../../src/server/routes/child.ts';
import { viewEnvironment, dateUk } from '../../src/server/views.ts';
import { Engine } from '../../src/engine.ts';
import { month } from '../../src/periods.ts';
import { LEGAL_STATUS, PLACEMENT_TYPE, REFERRAL_SOURCE } from '../../src/codes.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';

let demo: DemoStore;
let app: FastifyInstance;
let client: Client;
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst');
}, 120_000);
afterAll(async () => {
  await app?.close();
  demo?.close();
});

const api = async (id: string) => {
  const res = await client.inject({ url: `/api/child/${encodeURIComponent(id)}` });
  expect(res.statusCode, id).toBe(200);
  return res.json() as ChildJourney;
};
const unescape = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&#39;/g, '\'').replace(/&quot;/g, '"')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
const field = (html: string, name: string) => {
  const m = new RegExp(`data-field="${name}"[^>]*>([\\s\\S]*?)</(td|dd|strong|span)>`).exec(html);
  return m ? unescape(m[1]) : null;
};
/** The timeline rows on the page: id, data-date, data-table and their fields. */
function pageRows(html: string) {
  return [...html.matchAll(/<tr class="govuk-table__row" id="(e\d+)" data-entry="e\d+" data-date="([^"]+)" data-table="([^"]+)">([\s\S]*?)<\/tr>/g)]
    .map((m) => ({ id: m[1], date: m[2], table: m[3], html: m[4] }));
}

/** The child with records in the most tables (a looked-after child with a full journey). */
async function busiestChild(): Promise<string> {
  const union = JOURNEY_TABLES.map((t) => `SELECT DISTINCT child_id, '${t}' AS t FROM main.${t}`).join(' UNION ALL ');
  const [r] = await demo.store.query<{ child_id: string }>(
    `SELECT child_id FROM (${union}) GROUP BY child_id ORDER BY count(DISTINCT t) DESC, child_id LIMIT 1`);
  return r.child_id;
}

/** The column that dates each table's record on the timeline (every record of these has an entry). */
const DATED: Partial<Record<(typeof JOURNEY_TABLES)[number], string>> = {
  children: 'dob', contacts: 'received_at', early_help: 'start_date', referrals: 'referral_date', assessments: 'start_date',
  section47: 'start_date', cin_plans: 'start_date', cp_plans: 'start_date', cp_reviews: 'review_date', visits: 'visit_date',
  lac_episodes: 'decom', lac_reviews: 'review_date', health: 'collection_year', health_assessments: 'assessment_date',
  peps: 'pep_date', missing_episodes: 'start_date', care_leavers: 'collection_year', adoptions: 'decision_date',
  placed_for_adoption: 'date_placed', uasc: 'date_uasc_ceased', social_worker_episodes: 'start_date',
  pre_proceedings: 'start_date', care_proceedings: 'issued_date', allocations: 'start_date',
};

describe('child page', () => {
  it('puts every record of the child, from every table, on one timeline oldest first, each with its file and line', async () => {
    let tablesSeen = 0;
    for (const [table, col] of Object.entries(DATED)) {
      const [one] = await demo.store.query<{ child_id: string }>(`SELECT child_id FROM main.${table} WHERE ${col} IS NOT NULL ORDER BY child_id LIMIT 1`);
      if (!one) continue; // the synthetic authority has no pre-proceedings before 2026
      tablesSeen++;
      const j = await api(one.child_id);
      const dates = j.timeline.map((e) => e.date.slice(0, 10));
      expect(dates, one.child_id).toEqual([...dates].sort());
      for (const t of JOURNEY_TABLES) {
        const recs = await demo.store.query<{ load_id: number; source_file: string; source_row: number; d: unknown }>(
          `SELECT load_id, source_file, source_row, ${DATED[t] ?? 'NULL'} AS d FROM main.${t} WHERE child_id = ?`, [one.child_id]);
        expect(j.records[t] ?? 0, `${one.child_id} ${t}`).toBe(recs.length);
        for (const r of recs.filter((x) => x.d !== null && DATED[t])) {
          const entry = j.timeline.find((e) => e.table === t && e.source.loadId === r.load_id && e.source.row === r.source_row);
          expect(entry, `${t} ${r.source_file}:${r.source_row}`).toBeDefined();
          expect(entry!.source.file).toBe(r.source_file);
          expect(entry!.source.href).toBe(`/data/loads/${r.load_id}`);
        }
      }
    }
    expect(tablesSeen).toBeGreaterThanOrEqual(20);
  });

  it('shows on the page exactly what the API says: characteristics, every entry, every flag', async () => {
    const id = await busiestChild();
    const j = await api(id);
    const page = await client.inject({ url: `/child/${id}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const html = page.body;
    expect(html).toContain(`data-child-id="${id}"`);
    const ch = j.characteristics;
    const [child] = await demo.store.query<{ dob: string; sex: string; ethnicity: string }>('SELECT dob, sex, ethnicity FROM main.children WHERE child_id = ?', [id]);
    expect(ch.dob).toBe(child.dob);
    expect(field(html, 'dob')).toBe(dateUk(child.dob));
    const today = new Date().toISOString().slice(0, 10);
    const age = Number(today.slice(0, 4)) - Number(child.dob.slice(0, 4)) - (today.slice(5) < child.dob.slice(5) ? 1 : 0);
    expect(ch.age).toBe(age);
    expect(field(html, 'age')).toBe(String(age));
    expect(field(html, 'sex')).toBe(ch.sex.text);
    expect(field(html, 'ethnicity')).toContain(child.ethnicity);

    const rows = pageRows(html);
    expect(rows.length).toBe(j.timeline.length);
    expect(j.timeline.length).toBeGreaterThan(10);
    expect(html).toContain(`data-entries="${j.timeline.length}"`);
    rows.forEach((row, i) => {
      const e = j.timeline[i];
      expect(row.id).toBe(e.id);
      expect(row.date).toBe(e.date);
      expect(row.table).toBe(e.table);
      expect(field(row.html, 'date')).toBe(dateUk(e.date));
      expect(field(row.html, 'title')).toBe(e.title);
      if (e.text) expect(field(row.html, 'text')).toBe(e.text);
      expect(field(row.html, 'source')).toBe(`${e.source.text} (load ${e.source.loadId})`);
      expect(row.html).toContain(`href="${e.source.href}"`);
    });
    expect(field(html, 'flag-count')).toBe(String(j.flags.length + j.findings.length));
  });

  it('translates codes into plain English and counts working days as the engine does', async () => {
    const [ep] = await demo.store.query<{ child_id: string; decom: string; legal_status: string; placement_type: string }>(
      `SELECT child_id, CAST(decom AS VARCHAR) AS decom, legal_status, placement_type FROM main.lac_episodes
       WHERE legal_status IN (SELECT unnest(?::VARCHAR[])) AND placement_type IN (SELECT unnest(?::VARCHAR[])) ORDER BY child_id, decom LIMIT 1`,
      [`[${Object.keys(LEGAL_STATUS).join(',')}]`, `[${Object.keys(PLACEMENT_TYPE).join(',')}]`] as never);
    const j = await api(ep.child_id);
    const entry = j.timeline.find((e) => e.table === 'lac_episodes' && e.date === ep.decom)!;
    expect(entry.text).toContain(`Legal status: ${LEGAL_STATUS[ep.legal_status]} (${ep.legal_status})`);
    expect(entry.text).toContain(`Placement: ${PLACEMENT_TYPE[ep.placement_type]} (${ep.placement_type})`);

    // a child whose every contact came from the police, so whichever contact entry is found is one of them
    const [c] = await demo.store.query<{ child_id: string }>(`SELECT child_id FROM main.contacts GROUP BY child_id HAVING bool_and(source = '6') ORDER BY child_id LIMIT 1`);
    const contact = (await api(c.child_id)).timeline.find((e) => e.table === 'contacts')!;
    expect(contact.text).toContain(`From ${REFERRAL_SOURCE['6']} (6)`);

    // The assessment's working days are the engine's (assessments.within_45_days, the month it was authorised).
    const [a] = await demo.store.query<{ child_id: string; start_date: string; authorisation_date: string }>(
      `SELECT child_id, CAST(start_date AS VARCHAR) AS start_date, CAST(authorisation_date AS VARCHAR) AS authorisation_date
       FROM main.assessments WHERE authorisation_date > start_date + 20 AND authorisation_date >= DATE '2024-01-01' ORDER BY child_id LIMIT 1`);
    const engine = new Engine(demo.store);
    const rows = await engine.rows('assessments.within_45_days', month(a.authorisation_date.slice(0, 7)));
    engine.close();
    const row = rows.find((r) => r.child_id === a.child_id && r.start_date === a.start_date)!;
    expect(typeof row.working_days).toBe('number');
    const authorised = (await api(a.child_id)).timeline.find((e) => e.table === 'assessments' && e.date === a.authorisation_date)!;
    expect(authorised.title).toBe('Assessment authorised');
    expect(authorised.text).toContain(`${row.working_days} working days after it started on ${dateUk(a.start_date)}`);
  });

  it('shows the child\'s load findings with rule code and message beside the timeline, linked to the load and the entry', async () => {
    const [f] = await demo.store.query<{ child_id: string; code: string; message: string; load_id: number }>(
      `SELECT f.child_id, f.code, f.message, f.load_id FROM findings f JOIN loads l USING (load_id)
       WHERE l.status = 'active' AND f.child_id IS NOT NULL AND f.file LIKE '%.xml' AND f.severity = 'warning'
         AND f.section IN ('Assessments', 'CINdetails', 'Section47', 'ChildProtectionPlans', 'CINPlanDates')
       ORDER BY f.child_id, f.row LIMIT 1`);
    const j = await api(f.child_id);
    const finding = j.findings.find((x) => x.code === f.code && x.message === f.message)!;
    expect(finding).toBeDefined();
    expect(finding.source.href).toBe(`/data/loads/${f.load_id}`);
    expect(finding.entry).toMatch(/^e\d+$/); // matched to the record the element belongs to
    expect(j.timeline.find((e) => e.id === finding.entry)!.flags).toContain(f.code);
    const html = (await client.inject({ url: `/child/${f.child_id}` })).body;
    const item = new RegExp(`<li data-finding="${f.code}"[\\s\\S]*?</li>`).exec(html)![0];
    expect(item).toContain('Data-quality flag');
    expect(unescape(item)).toContain(`Rule ${f.code}: ${f.message}`);
    expect(item).toContain(`href="/data/loads/${f.load_id}"`);
    expect(item).toContain(`href="#${finding.entry}"`);
  });

  it('flags journeys that cannot be right: authorised before started, plan ended before it started, a visit after care ended', async () => {
    // A looked-after child whose care has ended: add a looked-after visit after it, and a plan that ends before it starts.
    const [ch] = await demo.store.query<{ child_id: string; last: string }>(
      `SELECT child_id, CAST(max(dec) AS VARCHAR) AS last FROM main.lac_episodes GROUP BY child_id
       HAVING count(*) = count(dec) AND max(dec) < DATE '2025-01-01' ORDER BY child_id LIMIT 1`);
    const after = new Date(Date.parse(ch.last) + 20 * 864e5).toISOString().slice(0, 10);
    await demo.store.run(`INSERT INTO main.visits (child_id, visit_date, visit_type, seen_alone, worker, load_id, source_file, source_row)
      VALUES (?, ?, 'LAC', true, 'Test Worker', 999, 'test.jsonl', 1)`, [ch.child_id, after]);
    await demo.store.run(`INSERT INTO main.cp_plans (child_id, start_date, end_date, initial_category, load_id, source_file, source_row)
      VALUES (?, DATE '2024-06-01', DATE '2024-05-01', 'NEG', 999, 'test.jsonl', 2)`, [ch.child_id]);
    await demo.store.run(`INSERT INTO main.assessments (child_id, start_date, authorisation_date, load_id, source_file, source_row)
      VALUES (?, DATE '2024-03-11', DATE '2024-03-04', 999, 'test.jsonl', 3)`, [ch.child_id]);
    try {
      const j = await api(ch.child_id);
      const codes = j.flags.map((f) => f.code);
      expect(codes).toContain('looked-after-activity-when-not-looked-after');
      expect(codes).toContain('plan-ended-before-start');
      expect(codes).toContain('assessment-authorised-before-start');
      for (const f of j.flags) expect(f.label).toBe('data-quality flag');
      const visitFlag = j.flags.find((f) => f.code === 'looked-after-activity-when-not-looked-after')!;
      expect(visitFlag.message).toBe(`Looked-after child visit ${dateUk(after)}, after the child ceased to be looked after on ${dateUk(ch.last)}`);
      const visit = j.timeline.find((e) => e.id === visitFlag.entry)!;
      expect(visit).toMatchObject({ date: after, table: 'visits', source: { file: 'test.jsonl', row: 1, loadId: 999 } });
      const assessment = j.timeline.find((e) => e.id === j.flags.find((f) => f.code === 'assessment-authorised-before-start')!.entry)!;
      expect(assessment.text).toContain('Recorded 5 working days before it started on 11 March 2024');
      const html = (await client.inject({ url: `/child/${ch.child_id}` })).body;
      const item = /<li data-flag="plan-ended-before-start"[\s\S]*?<\/li>/.exec(html)![0];
      expect(item).toContain('Data-quality flag');
      expect(unescape(item)).toContain('Child protection plan ended 1 May 2024, before it started 1 June 2024');
      const row = pageRows(html).find((r) => r.id === visitFlag.entry)!;
      expect(row.html).toContain('Data-quality flag');
    } finally {
      await demo.store.run(`DELETE FROM main.visits WHERE load_id = 999`);
      await demo.store.run(`DELETE FROM main.cp_plans WHERE load_id = 999`);
      await demo.store.run(`DELETE FROM main.assessments WHERE load_id = 999`);
    }
  });

  it('answers 404 for an unknown child, as a page and in the API', async () => {
    const page = await client.inject({ url: '/child/NOSUCHCHILD' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('No child with id NOSUCHCHILD');
    const json = await client.inject({ url: '/api/child/NOSUCHCHILD' });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual({ error: 'not found' });
    expect((await client.inject({ url: '/api/child/..%2F..%2Fetc' })).statusCode).toBe(404);
  });
});

describe('child search', () => {
  it('has a labelled input; a known id goes to the child, an unknown one is named in an error summary', async () => {
    const form = await client.inject({ url: '/child' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/<label class="govuk-label[^"]*" for="child-id">\s*Child id\s*<\/label>/);
    expect(form.body).toContain('name="id"');
    expect(form.body).not.toContain('govuk-error-summary');

    const id = await busiestChild();
    const found = await client.inject({ url: `/child?id=${encodeURIComponent(` ${id} `)}` });
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe(`/child/${id}`);

    const missing = await client.inject({ url: '/child?id=X123' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('No child with id X123');
    expect(missing.body).toContain('href="#child-id"');
    expect(missing.body).toContain('value="X123"'); // what was entered stays in the box

    const empty = await client.inject({ url: '/child?id=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter the child&#39;s id');
    expect(empty.body).toContain('href="#child-id"');

    const hostile = await client.inject({ url: `/child?id=${encodeURIComponent('<script>alert(1)</script>')}` });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).not.toContain('<script>alert(1)');
    expect(hostile.body).toContain('&lt;script&gt;');
  });

  it('works through a real HTTP server, page and API', async () => {
    const served = await buildApp({ store: demo.store });
    try {
      await served.listen({ port: 0, host: '127.0.0.1' });
      const { port } = served.server.address() as { port: number };
      const headers = { cookie: (await signedIn(served, demo.store, 'analyst')).cookie };
      const id = await busiestChild();
      const found = await fetch(`http://127.0.0.1:${port}/child?id=${id}`, { redirect: 'manual', headers });
      expect(found.status).toBe(303);
      const page = await fetch(`http://127.0.0.1:${port}${found.headers.get('location')}`, { headers });
      expect(page.status).toBe(200);
      const html = await page.text();
      const j = await (await fetch(`http://127.0.0.1:${port}/api/child/${id}`, { headers })).json() as ChildJourney;
      expect(pageRows(html).map((r) => r.id)).toEqual(j.timeline.map((e) => e.id));
      expect((await fetch(`http://127.0.0.1:${port}/child/NOPE`, { headers })).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});

describe('logging', () => {
  it('never writes the child id to the log: the route pattern stands in for the URL', async () => {
    const lines: string[] = [];
    const logged = Fastify({ logger: { level: 'info', stream: { write: (s: string) => { lines.push(s); } } } });
    const views = viewEnvironment();
    const ctx = {
      store: demo.store, engine: null as never, views, targetsPath: 'config/targets.json', authority: 'Testshire',
      cached: <T>(_k: string, f: () => Promise<T>) => f(),
      audit: async () => ({}), childInScope: async () => true, // the routes alone: no sign-in here
      render: (reply: FastifyReply, template: string, context: Record<string, unknown>) =>
        reply.type('text/html; charset=utf-8').send(views.render(template, { ...context, navigation: [] })),
    } as unknown as AppContext; // only what the child routes use
    await childRoutes(logged, ctx);
    const id = await busiestChild();
    for (const url of [`/child/${id}`, `/api/child/${id}`, `/child?id=${id}`, '/child/NOSUCH9', '/child?id=NOSUCH9']) {
      expect((await logged.inject({ url })).statusCode).toBeLessThan(500);
    }
    await logged.close();
    const log = lines.join('');
    expect(log).toContain('"url":"/child/:id"');
    expect(log).toContain('"url":"/api/child/:id"');
    expect(log).not.toContain(id);
    expect(log).not.toContain('NOSUCH9');
  });
});
