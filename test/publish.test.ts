// Published snapshots: a month's judged scorecard frozen; later data (more rows, a corrected row) shows as
// revisions against it, and the publication reads back exactly as it was, with nothing in
// published_figures ever changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.ts';
import { Targets } from '../src/judge/targets.ts';
import { publications, publish, publishedScorecard, revisions, revisionSentence } from '../src/judge/publish.ts';

// January 2025: 225 children referred on the 10th; 51 of them (J1–J51) were referred before, on 2024-06-10,
// so re-referrals are 51 of 225 = 22.7% (amber against a target of 21% with a 2-point band: edge 23%).
// Every other month from February 2023 to December 2024 has 10 referrals of children seen once (F-children),
// so the referrals series has 24 months for SPC.
// Later loads bring a referral of J52 on 2024-07-10: January's re-referrals become 52 of 225 = 23.1% (red),
// July 2024 has 11 referrals; and a corrected row moves one of December 2024's referrals into November.
const children: { child_id: string }[] = [];
const referrals: { child_id: string; referral_date: string; team?: string }[] = [];
for (let i = 1; i <= 225; i++) {
  children.push({ child_id: `J${i}` });
  referrals.push({ child_id: `J${i}`, referral_date: '2025-01-10', team: 'North' });
  if (i <= 51) referrals.push({ child_id: `J${i}`, referral_date: '2024-06-10', team: 'North' });
}
for (let y = 2023, m = 2; y < 2025; m === 12 ? (y++, m = 1) : m++) {
  const ym = `${y}-${String(m).padStart(2, '0')}`;
  for (let k = 1; k <= 10; k++) {
    children.push({ child_id: `F${ym}-${k}` });
    referrals.push({ child_id: `F${ym}-${k}`, referral_date: `${ym}-${String(k + 1).padStart(2, '0')}`, team: 'North' });
  }
}

const TARGETS = Targets.of([
  { indicator: 'referrals.re_referrals_12m', year: null, target: 21, amber: 2, amberKind: 'points', setBy: 'test' },
]);

let f: Fixture;
beforeAll(async () => { f = await fixture({ children, referrals }); });
afterAll(() => { f.engine.close(); f.close(); });

async function allPublished(): Promise<unknown[]> {
  return f.store.query('SELECT publication_id, indicator_id, period, kind, numerator, denominator, value, target, rag, CAST(judgement AS VARCHAR) AS j FROM published_figures ORDER BY ALL');
}

describe('publish, then later data', () => {
  let frozen: Awaited<ReturnType<typeof publishedScorecard>>;
  let rows: unknown[];

  it('freezes every indicator of the month: 24 trend months, YTD, R12, target, RAG and the judgement', async () => {
    const p = await publish(f.store, f.engine, TARGETS, '2025-01', { user: 'ann', note: 'Committee, March' });
    expect(p).toMatchObject({ publicationId: 1, month: '2025-01', team: null, publishedBy: 'ann', note: 'Committee, March', indicators: f.engine.indicators.length });
    expect(p.dataVersion).toBe(await f.store.dataVersion());
    expect(p.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    frozen = await publishedScorecard(f.store, 1);
    expect(frozen.lines.map((l) => l.indicatorId)).toEqual(f.engine.indicators.map((i) => i.id));
    const rr = frozen.lines.find((l) => l.indicatorId === 'referrals.re_referrals_12m')!;
    expect(rr.month).toMatchObject({ period: '2025-01', kind: 'month', numerator: 51, denominator: 225, target: 21, rag: 'amber' });
    expect(rr.month.value).toBeCloseTo(22.6667, 4);
    expect(rr.trend.map((t) => t.period)).toEqual(Array.from({ length: 24 }, (_, i) => {
      const d = new Date(Date.UTC(2023, 1 + i, 1));
      return d.toISOString().slice(0, 7);
    }));
    expect(rr.trend[23]).toEqual(rr.month);
    expect(rr.ytd).toMatchObject({ period: '2025-01 YTD', kind: 'ytd', numerator: 51, denominator: 225 + 51 + 9 * 10, target: 21, rag: 'green' });
    expect(rr.rolling12).toMatchObject({ period: '2025-01 R12', kind: 'rolling12', numerator: 51, denominator: 225 + 51 + 11 * 10, target: null, rag: null });
    expect(rr.judgement).toMatchObject({
      title: 'Re-referrals within 12 months', unit: 'percent', polarity: 'lower',
      rule: expect.stringMatching(/^Amber: 22.7% misses the target of 21%/),
      target: { target: 21, amber: 2, amberKind: 'points' },
      spc: { status: 'ok', variation: { icon: expect.any(String) } },
      narrative: expect.stringContaining('22.7%'),
    });
    const count = frozen.lines.find((l) => l.indicatorId === 'referrals.count')!;
    expect(count.month).toMatchObject({ numerator: 225, value: 225, rag: null });
    expect(count.judgement.spc.status).toBe('ok');
    expect(count.judgement.rule).toMatch(/No polarity/);
    expect(count.judgement.projection).toMatchObject({ year: '2024-25' });

    expect(await revisions(f.store, f.engine, 1)).toEqual([]);
    rows = await allPublished();
    expect(rows.length).toBeGreaterThan(24 * f.engine.indicators.length);
  });

  it('later loads show as revisions; the publication reads back unchanged', async () => {
    // a later load: J52 had been referred in July 2024
    await f.store.run(`INSERT INTO main.referrals (child_id, referral_date, team, load_id) VALUES ('J52', DATE '2024-07-10', 'North', 9)`);
    // a corrected row: one of December's referrals was really in November
    await f.store.run(`UPDATE main.referrals SET referral_date = DATE '2024-11-30' WHERE child_id = 'F2024-12-1'`);

    const revs = await revisions(f.store, f.engine, 1);
    const rr = revs.filter((r) => r.indicatorId === 'referrals.re_referrals_12m');
    // July, November and December 2024 have one referral more or fewer (none a re-referral): 0 of 10 → 0 of 11 …
    expect(rr.map((r) => r.period)).toEqual(['2024-07', '2024-11', '2024-12', '2025-01', '2025-01 YTD', '2025-01 R12']);
    expect(rr[0].sentence).toBe('Re-referrals within 12 months in July 2024 were published as 0.0% (0 of 10); they are now 0.0% (0 of 11) after later loads.');
    rr.splice(0, 3);
    expect(rr[0]).toMatchObject({
      kind: 'month',
      published: { numerator: 51, denominator: 225, rag: 'amber' },
      current: { numerator: 52, denominator: 225, rag: 'red' },
      sentence: 'Re-referrals within 12 months in January 2025 were published as 22.7% (51 of 225); they are now 23.1% (52 of 225) after later loads. Its rating moves from amber to red against the published target.',
    });
    expect(rr[1].sentence).toBe('Re-referrals within 12 months in the year to January 2025 were published as 13.9% (51 of 366); they are now 14.2% (52 of 367) after later loads.');
    expect(rr[1].current.rag).toBe('green');

    const counts = revs.filter((r) => r.indicatorId === 'referrals.count');
    expect(counts.map((r) => [r.period, r.published.value, r.current.value])).toEqual([
      ['2024-07', 10, 11], ['2024-11', 10, 11], ['2024-12', 10, 9], ['2025-01 YTD', 366, 367], ['2025-01 R12', 386, 387],
    ]);
    expect(counts[0].sentence).toBe('Referrals in July 2024 were published as 10; they are now 11 after later loads.');
    expect(counts[2].sentence).toBe('Referrals in December 2024 were published as 10; they are now 9 after later loads.');
    // January itself did not change, so no revision for it
    expect(revs.some((r) => r.indicatorId === 'referrals.count' && r.period === '2025-01')).toBe(false);

    // nothing published changed
    expect(await publishedScorecard(f.store, 1)).toEqual(frozen);
    expect(await allPublished()).toEqual(rows);
  });

  it('publishing the month again is a new publication; the old one stays as it was', async () => {
    const again = await publish(f.store, f.engine, TARGETS, '2025-01', { user: 'bob' });
    expect(again.publicationId).toBe(2);
    expect((await publications(f.store)).map((p) => [p.publicationId, p.month, p.publishedBy])).toEqual([[2, '2025-01', 'bob'], [1, '2025-01', 'ann']]);
    expect(await revisions(f.store, f.engine, 2)).toEqual([]);
    const second = await publishedScorecard(f.store, 2);
    expect(second.lines.find((l) => l.indicatorId === 'referrals.re_referrals_12m')!.month).toMatchObject({ numerator: 52, rag: 'red' });
    expect(await publishedScorecard(f.store, 1)).toEqual(frozen);
    expect((await allPublished()).filter((r) => (r as { publication_id: number }).publication_id === 1)).toEqual(rows);
    expect((await revisions(f.store, f.engine, 1)).length).toBeGreaterThan(0);
  });

  it('a team publication; refusals', async () => {
    const team = await publish(f.store, f.engine, TARGETS, '2024-12', { user: 'ann', team: 'North' });
    expect(team).toMatchObject({ month: '2024-12', team: 'North' });
    const line = (await publishedScorecard(f.store, team.publicationId)).lines.find((l) => l.indicatorId === 'referrals.count')!;
    expect(line.month.value).toBe(9);
    expect(line.ytd).toMatchObject({ period: '2024-12 YTD' });
    await expect(publish(f.store, f.engine, TARGETS, '2024-25', { user: 'ann' })).rejects.toThrow(/a publication is of a month/);
    await expect(publish(f.store, f.engine, TARGETS, '2025-01', { user: '' })).rejects.toThrow(/user/);
    await expect(publishedScorecard(f.store, 99)).rejects.toThrow(/no publication 99/);
  });
});

describe('revisionSentence', () => {
  const state = (value: number | null, numerator: number | null = null, denominator: number | null = null, rag: 'red' | 'amber' | 'green' | null = null) =>
    ({ value, numerator, denominator, rag });
  it('singular titles, stocks, rates, averages that change less than shown, figures appearing', () => {
    expect(revisionSentence({ unit: 'days', measure: 'flow' }, 'Average working days to complete an assessment', '2025-01 R12', 'rolling12', state(31.2), state(30.6)))
      .toBe('Average working days to complete an assessment in the 12 months to January 2025 was published as 31 days; it is still 31 days as shown (31.20 then, 30.60 now) after later loads.');
    expect(revisionSentence({ unit: 'count', measure: 'stock' }, 'Children on a child protection plan', '2025-01', 'month', state(1204, 1204), state(1210, 1210)))
      .toBe('Children on a child protection plan at the end of January 2025 were published as 1,204; they are now 1,210 after later loads.');
    expect(revisionSentence({ unit: 'rate', measure: 'flow' }, 'Referrals per 10,000 children', '2025-01', 'month', state(45.31, 258, 56940), state(45.48, 259, 56940)))
      .toBe('Referrals per 10,000 children in January 2025 were published as 45.3 per 10,000; they are now 45.5 per 10,000 after later loads.');
    expect(revisionSentence({ unit: 'percent', measure: 'flow' }, 'Assessments completed within 45 working days', '2025-01', 'month', state(null, 0, 0), state(100, 1, 1, 'green')))
      .toBe('Assessments completed within 45 working days in January 2025 had no figure when published; they are now 100.0% (1 of 1) after later loads. It would now be rated green against the published target.');
  });
});
