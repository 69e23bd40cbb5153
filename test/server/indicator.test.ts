// The indicator page on a small synthetic authority loaded through the real readers: the page's numbers
// are the engine's and the scorecard's, the JSON twin says the same, the children listed add up to the
// figure (and download as formula-safe CSV), commentary and exception reasons entered in the forms are
// stored with their author and shown, and bad input gets a 400 with a GOV.UK error summary naming the field.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { demoStore, type DemoStore } from '../helpers/demoStore.ts';
import { buildApp } from '../../src/server/app.ts';
import { Engine, formatValue } from '../../src/engine.ts';
import { findIndicator } from '../../src/indicators/index.ts';
import { parsePeriod } from '../../src/periods.ts';
import {
  exceptionRule, isException, readExceptionReasons, reasonsSentence, PAGE_SIZE,
} from '../../src/server/routes/indicator.ts';
import { signedIn, type Client } from '../helpers/signIn.ts';

let demo: DemoStore;
let app: FastifyInstance;
let engine: Engine;
/** analysts: Ann writes commentary first, Bob after her */
let client: Client;
let bob: Client;
beforeAll(async () => {
  demo = await demoStore();
  app = await buildApp({ store: demo.store, authority: 'Testshire' });
  client = await signedIn(app, demo.store, 'analyst', { username: 'ann.analyst' });
  bob = await signedIn(app, demo.store, 'analyst', { username: 'bob.analyst' });
  engine = new Engine(demo.store);
}, 120_000);
afterAll(async () => {
  engine?.close();
  await app?.close();
  demo?.close();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** The text of the element carrying data-field=field inside the element with the given id (or attribute). */
function field(html: string, scope: RegExp, name: string): string {
  const part = scope.exec(html)?.[1] ?? '';
  const m = new RegExp(`data-field="${name}"[^>]*>([\\s\\S]*?)</(td|dd|p|span|strong)>`).exec(part);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}
const figureRow = (kind: string) => new RegExp(`<tr class="govuk-table__row" data-figure="${kind}">([\\s\\S]*?)</tr>`);
const trendRow = (month: string) => new RegExp(`<tr class="govuk-table__row" data-month="${month}">([\\s\\S]*?)</tr>`);
const groupRow = (group: string) => new RegExp(`<tr class="govuk-table__row" data-group="${group}">([\\s\\S]*?)</tr>`);
const section = (id: string) => new RegExp(`id="${id}"([\\s\\S]*?)(</dl>|</table>|</p>)`);

interface Api {
  month: string;
  figures: { month: Figure; ytd: Figure | null; rolling12: Figure | null };
  trend: Figure[];
  target: { value: number } | null;
  rag: string | null;
  ragRule: string;
  spc: { variation: string | null; variationReason?: string; reason?: string };
  benchmark: { england: number | null; sentence: string } | null;
  narrative: string;
  period: { label: string; numerator: number; denominator: number | null; value: number | null };
  breakdown: { by: string; figures: { group: string; numerator: number; denominator: number | null; value: number | null }[] } | null;
  children: { count: number; inNumerator: number; inDenominator: number; rows: ApiRow[] };
  exceptions: { count: number; noReason: number; summary: string; byCode: { code: string; count: number }[] } | null;
  commentary: { latest: { text: string; author: string } | null; versions: { text: string; author: string }[] };
}
interface Figure { period: string; numerator: number; denominator: number | null; value: number | null }
interface ApiRow { child_id: string | null; at_date: string | null; in_numerator: boolean; in_denominator: boolean; exception: boolean; reason: { code: string; note: string | null; recordedBy: string } | null }

async function api(url: string): Promise<Api> {
  const r = await client.inject({ url });
  expect(r.statusCode, url).toBe(200);
  return r.json() as Api;
}

describe('the indicator page', () => {
  const id = 'assessments.within_45_days';
  const ind = findIndicator(id);

  it('shows the month, year to date and rolling 12 months with numerator and denominator: the engine\'s, the scorecard\'s and the API\'s numbers', async () => {
    const page = await client.inject({ url: `/indicator/${id}?month=2025-01` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const json = await api(`/api/indicator/${id}?month=2025-01`);
    const [line] = await engine.scorecard('2025-01', { ids: [id], trendMonths: 24 });
    const card = (await client.inject({ url: '/api/scorecard?month=2025-01' })).json() as { indicators: { id: string; month: { value: number }; rag: string | null; ragRule: string }[] };
    const onCard = card.indicators.find((i) => i.id === id)!;

    expect(json.figures.month.value).toBe(line.month.value);
    expect(json.figures.month.value).toBe(onCard.month.value);
    expect(json.rag).toBe(onCard.rag);
    expect(json.ragRule).toBe(onCard.ragRule);
    for (const [kind, f] of [['month', line.month], ['ytd', line.ytd!], ['r12', line.rolling12!]] as const) {
      expect(field(page.body, figureRow(kind), 'value'), kind).toBe(formatValue(ind, f.value));
      expect(field(page.body, figureRow(kind), 'numerator'), kind).toBe(f.numerator.toLocaleString('en-GB'));
      expect(field(page.body, figureRow(kind), 'denominator'), kind).toBe(f.denominator!.toLocaleString('en-GB'));
    }
    expect(page.body).toContain(`Numerator (${ind.numeratorLabel})`);
    expect(page.body).toContain(`Denominator (${ind.denominatorLabel})`);
    // definition, source, unit and polarity in words
    expect(field(page.body, section('about'), 'definition')).toBe(ind.definition.replace(/\s+/g, ' ').replace(/'/g, '&#39;'));
    expect(page.body).toContain('a higher figure is better');
    // RAG as a word, with the rule that produced it
    if (json.rag) expect(field(page.body, section('target'), 'rag')).toBe(json.rag.toUpperCase());
    expect(field(page.body, section('target'), 'rag-rule')).toBe(json.ragRule.replace(/'/g, '&#39;'));
    // benchmark sentence and England's value, the narrative
    expect(json.benchmark).not.toBeNull();
    expect(page.body).toContain(json.benchmark!.sentence);
    expect(field(page.body, section('benchmarks'), 'england')).toBe(formatValue(ind, json.benchmark!.england));
    expect(json.narrative.length).toBeGreaterThan(20);
    expect(page.body).toContain(json.narrative.replace(/'/g, '&#39;'));
  });

  it('draws the SPC chart over 24 months with a title and gives the same numbers in a table, with the SPC reason in words', async () => {
    const page = await client.inject({ url: `/indicator/${id}?month=2025-01` });
    const json = await api(`/api/indicator/${id}?month=2025-01`);
    expect(json.trend).toHaveLength(24);
    expect(page.body).toMatch(/<figure class="csc-chart"[\s\S]*<svg[\s\S]*<\/svg>[\s\S]*<figcaption/);
    expect(page.body).toContain(`${ind.title}, February 2023 to January 2025`); // the chart's title
    for (const f of json.trend) {
      expect(field(page.body, trendRow(f.period), 'value'), f.period).toBe(formatValue(ind, f.value));
      expect(field(page.body, trendRow(f.period), 'numerator'), f.period).toBe(f.numerator.toLocaleString('en-GB'));
    }
    const reason = json.spc.variationReason ?? json.spc.reason!;
    expect(page.body).toContain(reason.replace(/'/g, '&#39;'));
  });

  it('breaks the figure down by a declared breakdown only, with the engine\'s numbers', async () => {
    const page = await client.inject({ url: `/indicator/${id}?month=2025-01&period=2025-01%20R12&breakdown=team` });
    expect(page.statusCode).toBe(200);
    const figures = await engine.compute(id, [parsePeriod('2025-01 R12')], { breakdown: 'team' });
    expect(figures.length).toBeGreaterThan(1);
    const json = await api(`/api/indicator/${id}?month=2025-01&period=2025-01%20R12&breakdown=team`);
    expect(json.breakdown!.figures.map((f) => [f.group, f.numerator, f.denominator])).toEqual(figures.map((f) => [f.group, f.numerator, f.denominator]));
    for (const f of figures) {
      expect(field(page.body, groupRow(f.group!), 'value'), f.group!).toBe(formatValue(ind, f.value));
      expect(field(page.body, groupRow(f.group!), 'numerator')).toBe(f.numerator.toLocaleString('en-GB'));
    }
    // referrals per 10,000 declares age band and sex only: team is neither offered nor accepted
    const rate = await client.inject({ url: '/indicator/referrals.rate?month=2025-01' });
    const select = /<select[^>]*id="breakdown"[\s\S]*?<\/select>/.exec(rate.body)![0];
    expect(select).toContain('value="age_band"');
    expect(select).toContain('value="sex"');
    expect(select).not.toContain('value="team"');
    const bad = await client.inject({ url: '/indicator/referrals.rate?month=2025-01&breakdown=team' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#breakdown"');
    const badApi = await client.inject({ url: '/api/indicator/referrals.rate?month=2025-01&breakdown=team' });
    expect(badApi.statusCode).toBe(400);
    expect((badApi.json() as { errors: { field: string }[] }).errors[0].field).toBe('breakdown');
  });

  it('filters by team: the figures are the engine\'s for that team', async () => {
    const teams = (await demo.store.query<{ name: string }>(`SELECT DISTINCT name FROM main.teams ORDER BY name`)).map((t) => t.name);
    const team = teams.find((t) => /Assessment/.test(t)) ?? teams[0];
    const json = await api(`/api/indicator/${id}?month=2025-01&team=${encodeURIComponent(team)}`);
    const [f] = await engine.compute(id, [parsePeriod('2025-01')], { team });
    expect(json.figures.month.numerator).toBe(f.numerator);
    expect(json.figures.month.denominator).toBe(f.denominator);
    expect(json.children.rows.every((r) => (r as ApiRow & { team: string }).team === team)).toBe(true);
    expect(json.children.inDenominator).toBe(f.denominator);
    const bad = await client.inject({ url: `/indicator/${id}?month=2025-01&team=Nobody`});
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#team"');
  });

  it('refuses a month that is not a month with an error summary naming the field, and an unknown indicator with 404', async () => {
    const bad = await client.inject({ url: `/indicator/${id}?month=2025-13` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#month"');
    const period = await client.inject({ url: `/indicator/${id}?month=2025-01&period=soon` });
    expect(period.statusCode).toBe(400);
    expect(period.body).toContain('href="#period"');
    expect((await client.inject({ url: '/indicator/no.such_thing' })).statusCode).toBe(404);
    expect((await client.inject({ url: '/api/indicator/no.such_thing' })).statusCode).toBe(404);
    expect((await client.inject({ url: '/indicator/no.such_thing/children.csv' })).statusCode).toBe(404);
    expect((await client.inject({ method: 'POST', url: '/indicator/no.such_thing/commentary', payload: form({ month: '2025-01', text: 'x' }), headers: FORM })).statusCode).toBe(404);
  });
});

describe('the children behind the figure', () => {
  it('lists every row in the numerator and denominator, adding up to the figure, each child linked to its page', async () => {
    const id = 'assessments.within_45_days';
    const page = await client.inject({ url: `/indicator/${id}?month=2025-01` });
    const rows = await engine.rows(id, parsePeriod('2025-01'));
    const json = await api(`/api/indicator/${id}?month=2025-01`);
    expect(json.children.count).toBe(rows.length);
    expect(json.children.inNumerator).toBe(json.figures.month.numerator);
    expect(json.children.inDenominator).toBe(json.figures.month.denominator);
    expect(field(page.body, /id="children-count"([\s\S]*?)<form/, 'children-count')).toBe(String(rows.length));
    expect(field(page.body, /id="children-count"([\s\S]*?)<form/, 'in-numerator')).toBe(String(json.figures.month.numerator));
    expect((page.body.match(/data-row="/g) ?? []).length).toBe(rows.length);
    for (const r of rows) expect(page.body).toContain(`href="/child/${encodeURIComponent(r.child_id!)}"`);
    // the deciding dates under the indicator's own headings, GOV.UK style
    for (const d of findIndicator(id).details) expect(page.body).toContain(`>${d.label}</th>`);
    expect(page.body).toMatch(/<td class="govuk-table__cell">\d{1,2} (January|December|November|October|September) 20\d\d<\/td>/);
  });

  it('pages long lists 100 rows at a time and says how many there are', async () => {
    const id = 'children_in_need.count';
    const rows = await engine.rows(id, parsePeriod('2025-01'));
    expect(rows.length).toBeGreaterThan(PAGE_SIZE);
    const first = await client.inject({ url: `/indicator/${id}?month=2025-01` });
    expect((first.body.match(/data-row="/g) ?? []).length).toBe(PAGE_SIZE);
    expect(first.body).toContain(`Rows 1 to ${PAGE_SIZE} of ${rows.length.toLocaleString('en-GB')}`);
    expect(first.body).toContain('govuk-pagination');
    const last = Math.ceil(rows.length / PAGE_SIZE);
    const end = await client.inject({ url: `/indicator/${id}?month=2025-01&page=${last}` });
    expect((end.body.match(/data-row="/g) ?? []).length).toBe(rows.length - (last - 1) * PAGE_SIZE);
    expect(end.body).toContain(`of ${rows.length.toLocaleString('en-GB')}`);
    // the API gives every row
    expect((await api(`/api/indicator/${id}?month=2025-01`)).children.rows).toHaveLength(rows.length);
  });

  it('downloads the same rows as CSV', async () => {
    const id = 'assessments.within_45_days';
    const r = await client.inject({ url: `/indicator/${id}/children.csv?month=2025-01&period=2025-01%20R12` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${id}-2025-01_R12.csv"`);
    const records = parse(r.body, { columns: true }) as Record<string, string>[];
    const json = await api(`/api/indicator/${id}?month=2025-01&period=2025-01%20R12`);
    expect(records).toHaveLength(json.children.count);
    expect(records.map((x) => x.child_id)).toEqual(json.children.rows.map((x) => x.child_id));
    expect(records.filter((x) => x['in numerator (assessments within 45 working days)'] === 'yes')).toHaveLength(json.period.numerator);
    expect(Object.keys(records[0])).toEqual(expect.arrayContaining(['deciding_date', 'Assessment started', 'Authorised', 'team', 'worker', 'reason']));
  });
});

describe('analyst commentary', () => {
  const id = 'referrals.re_referrals_12m';

  it('stores every version with its author and time, shows the latest and lists the earlier ones', async () => {
    const first = await client.inject({ method: 'POST', url: `/indicator/${id}/commentary`, payload: form({ month: '2025-01', text: 'Re-referrals fell after the MASH review.' }), headers: FORM });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/indicator/${id}?month=2025-01#commentary`);
    const second = await bob.inject({ method: 'POST', url: `/indicator/${id}/commentary`, payload: form({ month: '2025-01', text: 'Re-referrals fell after the MASH review in November.\nStill above England.' }), headers: FORM });
    expect(second.statusCode).toBe(303);
    const page = await client.inject({ url: `/indicator/${id}?month=2025-01` });
    expect(field(page.body, /id="commentary-latest"([\s\S]*?)<\/div>/, 'commentary')).toBe('Re-referrals fell after the MASH review in November. Still above England.');
    const today = new Date();
    const by = field(page.body, /id="commentary-latest"([\s\S]*?)<\/div>/, 'commentary-by');
    expect(by).toContain('Written by bob.analyst on');
    expect(by).toContain(`${today.getFullYear()}`);
    expect(page.body).toMatch(/<details class="govuk-details" id="commentary-earlier">[\s\S]*Re-referrals fell after the MASH review\.[\s\S]*ann\.analyst/);
    const json = await api(`/api/indicator/${id}?month=2025-01`);
    expect(json.commentary.versions.map((v) => v.author)).toEqual(['bob.analyst', 'ann.analyst']);
    const stored = await demo.store.query<{ period: string; author: string }>(`SELECT period, author FROM commentary WHERE indicator_id = ? ORDER BY written_at`, [id]);
    expect(stored).toEqual([{ period: '2025-01', author: 'ann.analyst' }, { period: '2025-01', author: 'bob.analyst' }]);
    // another month has none; the author is the signed-in user, whatever an old x-csc-user header claims
    expect((await api(`/api/indicator/${id}?month=2024-12`)).commentary.latest).toBeNull();
    await client.inject({ method: 'POST', url: `/indicator/${id}/commentary`, payload: form({ month: '2024-12', text: 'December.' }), headers: { ...FORM, 'x-csc-user': 'Someone Else' } });
    expect((await api(`/api/indicator/${id}?month=2024-12`)).commentary.latest).toMatchObject({ text: 'December.', author: 'ann.analyst' });
  });

  it('an empty commentary gives a 400 with an error summary naming the field, keeping the page', async () => {
    const bad = await client.inject({ method: 'POST', url: `/indicator/${id}/commentary`, payload: form({ month: '2025-01', text: '   ' }), headers: FORM });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#commentary-text"');
    expect(bad.body).toContain('Enter the commentary');
    expect(bad.body).toContain('data-figure="month"'); // the page itself, with the form to correct
  });
});

describe('exception reasons', () => {
  const id = 'assessments.within_45_days';
  const period = '2025-01 R12';
  const url = `/indicator/${id}?month=2025-01&period=${encodeURIComponent(period)}`;

  it('a manager records a reason on a row behind the shortfall; the row shows its latest reason and the page sums them up by code', async () => {
    const before = await api(`/api${url}`);
    const all = before.children.rows.filter((r) => r.exception);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.every((r) => r.in_denominator && !r.in_numerator)).toBe(true); // higher is better: the late ones
    expect(before.exceptions!.noReason).toBe(all.length);
    // managers record reasons for their own teams' children: the rows with a team come first
    const teamOf = (r: ApiRow) => (r as ApiRow & { team: string | null }).team;
    const exceptions = [...all.filter((r) => teamOf(r) !== null), ...all.filter((r) => teamOf(r) === null)];
    expect(exceptions.slice(0, 3).every((r) => teamOf(r) !== null)).toBe(true);
    const maria = await signedIn(app, demo.store, 'manager', { username: 'maria.manager', teams: [...new Set([teamOf(exceptions[0])!, teamOf(exceptions[1])!])] });
    const tom = await signedIn(app, demo.store, 'manager', { username: 'tom.manager', teams: [teamOf(exceptions[2])!] });
    const record = async (r: ApiRow, code: string, note: string, user: Client) => {
      const res = await user.inject({ method: 'POST', url: `/indicator/${id}/reasons`, headers: FORM,
        payload: form({ child_id: r.child_id!, record: r.at_date ?? '', month: '2025-01', period, code, note }) });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
      expect(res.headers.location).toContain(`/indicator/${id}?month=2025-01&period=2025-01+R12`);
    };
    await record(exceptions[0], 'police_first', '', maria);
    await record(exceptions[0], 'family_moved', 'Moved to Leeds in December', maria); // changed: the latest wins
    await record(exceptions[1], 'family_moved', '=HYPERLINK("http://example.com")', maria);
    await record(exceptions[2], 'police_first', '', tom);
    const after = await api(`/api${url}`);
    const rest = exceptions.length - 3;
    expect(after.exceptions!.summary).toBe(`2 children: Family moved out of the area; 1 child: Police investigation first; ${rest} with no reason recorded`);
    const page = await client.inject({ url });
    expect(field(page.body, /id="reasons-summary-heading"([\s\S]*?)<form/, 'reasons-summary')).toBe(after.exceptions!.summary);
    const row0 = after.children.rows.find((r) => r.child_id === exceptions[0].child_id && r.at_date === exceptions[0].at_date)!;
    expect(row0.reason).toMatchObject({ code: 'family_moved', note: 'Moved to Leeds in December', recordedBy: 'maria.manager' });
    expect(page.body).toContain('Moved to Leeds in December');
    const stored = await demo.store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM exception_reasons WHERE indicator_id = ? AND period = ?`, [id, period]);
    expect(stored[0].n).toBe(4); // every version kept
    // the CSV carries the reason, with the formula neutralised
    const csvText = (await client.inject({ url: `/indicator/${id}/children.csv?month=2025-01&period=${encodeURIComponent(period)}` })).body;
    expect(csvText).toContain(`'=HYPERLINK(""http://example.com"")`);
    const records = parse(csvText, { columns: true }) as Record<string, string>[];
    expect(records.find((x) => x.child_id === exceptions[2].child_id)).toMatchObject({ reason_code: 'police_first', recorded_by: 'tom.manager' });
    // only the rows behind the shortfall, when asked
    const only = await client.inject({ url: `${url}&show=exceptions` });
    expect((only.body.match(/data-row="/g) ?? []).length).toBe(exceptions.length);
  });

  it('a missing reason gives a 400 naming the field; a row not behind the shortfall is refused', async () => {
    const json = await api(`/api${url}`);
    const late = json.children.rows.find((r) => r.exception)!;
    const bad = await client.inject({ method: 'POST', url: `/indicator/${id}/reasons`, headers: FORM,
      payload: form({ child_id: late.child_id!, record: late.at_date ?? '', month: '2025-01', period, code: '', note: 'x' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#code"');
    expect(bad.body).toContain('id="code"');
    const other = await client.inject({ method: 'POST', url: `/indicator/${id}/reasons`, headers: FORM,
      payload: form({ child_id: late.child_id!, record: late.at_date ?? '', month: '2025-01', period, code: 'other', note: '' }) });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('href="#note"');
    const onTime = json.children.rows.find((r) => !r.exception)!;
    const refused = await client.inject({ method: 'POST', url: `/indicator/${id}/reasons`, headers: FORM,
      payload: form({ child_id: onTime.child_id!, record: onTime.at_date ?? '', month: '2025-01', period, code: 'staffing' }) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('is not one of the');
    // an indicator without a polarity takes no reasons
    const none = await client.inject({ method: 'POST', url: '/indicator/referrals.count/reasons', headers: FORM,
      payload: form({ child_id: late.child_id!, record: '2025-01-01', month: '2025-01', code: 'staffing' }) });
    expect(none.statusCode).toBe(400);
  });

  it('which rows count as behind a shortfall follows unit and polarity', () => {
    const row = (n: boolean, d: boolean) => ({ child_id: 'C1', in_numerator: n, in_denominator: d, value: n ? 1 : 0, weight: d ? 1 : 0, at_date: '2025-01-02', team: null, worker: null, group: null });
    const higher = exceptionRule(findIndicator('assessments.within_45_days'));
    expect(higher).toBe('not-in-numerator');
    expect(isException(higher, row(false, true))).toBe(true);
    expect(isException(higher, row(true, true))).toBe(false);
    const lower = exceptionRule(findIndicator('referrals.re_referrals_12m'));
    expect(lower).toBe('in-numerator');
    expect(isException(lower, row(true, true))).toBe(true);
    expect(isException(lower, row(false, true))).toBe(false);
    expect(exceptionRule(findIndicator('children_in_need.cin_plans_over_6m'))).toBe('in-numerator'); // a count, lower is better
    expect(exceptionRule(findIndicator('referrals.count'))).toBeNull();
    expect(exceptionRule(findIndicator('assessments.average_working_days'))).toBeNull();
    expect(reasonsSentence([{ label: 'Family moved out of the area', count: 2 }], 0)).toBe('2 children: Family moved out of the area');
    expect(reasonsSentence([], 1)).toBe('1 with no reason recorded');
  });
});

describe('the exception reasons file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csc-reasons-'));
  afterEach(() => { delete process.env.CSC_EXCEPTION_REASONS; });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the shipped list, and says clearly what is wrong with a bad one', () => {
    expect(readExceptionReasons('config/exception-reasons.json').map((r) => r.code)).toContain('family_moved');
    const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    expect(() => readExceptionReasons(write('a.json', '{ "reasons": [ '))).toThrow(/a\.json: not valid JSON/);
    expect(() => readExceptionReasons(write('b.json', JSON.stringify({ reasons: [{ code: 'x', label: 'X' }, { code: 'x', label: 'Y' }] }))))
      .toThrow(/b\.json is not a valid list of exception reasons: reasons\.1\.code: code 'x' is listed twice/);
    expect(() => readExceptionReasons(write('c.json', JSON.stringify({ reasons: [{ code: 'Bad Code', label: '' }] }))))
      .toThrow(/reasons\.0\.code: a code is 1 to 40 lower-case letters.*reasons\.0\.label: every reason needs a label/);
    expect(() => readExceptionReasons(join(dir, 'missing.json'))).toThrow(/missing\.json: the exception reasons file is missing/);
  });

  it('a bad file shows on the indicator page and stops reasons being recorded, without breaking the page', async () => {
    process.env.CSC_EXCEPTION_REASONS = join(dir, 'broken.json');
    writeFileSync(process.env.CSC_EXCEPTION_REASONS, '{ "reasons": [] }');
    const page = await client.inject({ url: '/indicator/assessments.within_45_days?month=2025-01' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reasons cannot be recorded until the reasons file is corrected');
    expect(page.body).toContain('broken.json is not a valid list of exception reasons: reasons: list at least one reason');
    const post = await client.inject({ method: 'POST', url: '/indicator/assessments.within_45_days/reasons', headers: FORM,
      payload: form({ child_id: 'x', record: '2025-01-01', month: '2025-01', code: 'staffing' }) });
    expect(post.statusCode).toBe(500);
    expect(post.body).toContain('broken.json is not a valid list of exception reasons');
  });
});

describe('over real HTTP', () => {
  it('serves the page, the API and the CSV through a listening server', async () => {
    const server = await buildApp({ store: demo.store });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const http = await signedIn(server, demo.store, 'analyst', { username: 'http.user' });
      const headers = { cookie: http.cookie };
      const page = await fetch(`${address}/indicator/referrals.re_referrals_12m?month=2025-01`, { headers });
      expect(page.status).toBe(200);
      const html = await page.text();
      const json = await (await fetch(`${address}/api/indicator/referrals.re_referrals_12m?month=2025-01`, { headers })).json() as Api;
      expect(field(html, figureRow('month'), 'value')).toBe(formatValue(findIndicator('referrals.re_referrals_12m'), json.figures.month.value));
      const csvRes = await fetch(`${address}/indicator/referrals.re_referrals_12m/children.csv?month=2025-01`, { headers });
      expect(csvRes.headers.get('content-disposition')).toContain('attachment');
      expect(csvRes.headers.get('cache-control')).toBe('no-store');
      expect((parse(await csvRes.text(), { columns: true }) as unknown[]).length).toBe(json.children.count);
      // a form post through the server: the redirect lands back on the page with the commentary
      const post = await fetch(`${address}/indicator/referrals.re_referrals_12m/commentary`, {
        method: 'POST', body: form({ month: '2025-01', text: 'Posted over HTTP.', _csrf: http.csrfToken }), headers: { ...FORM, ...headers },
      });
      expect(post.status).toBe(200);
      expect(post.url).toContain('/indicator/referrals.re_referrals_12m?month=2025-01');
      const after = await post.text();
      expect(after).toContain('Posted over HTTP.');
      expect(after).toContain('Written by http.user on');
    } finally {
      await server.close();
    }
  });
});
