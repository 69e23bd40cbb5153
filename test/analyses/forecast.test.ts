// The forecast on a history with a known answer (a hand-built store has no loads, so back-tests are told where the data end). Every month from December 2024 to July 2025 two children
// come into care on the 15th and each leaves two months later on the 15th (in-house fostering, U6 PR1; all
// born 2010-06-01, so aged 14 or 15 — band 13 to 15 — at every month end of the fit).
// So at every month end from January to July 2025 four children are looked after (that month's two and the
// month before's), and from one month end to the next two of the four leave and two others arrive:
//   fitted exit share 2 / 4 = 0.5, entries 2 a month, stock at the July jump-off 4.
// Projection S(n) = 0.5 × S(n − 1) + E:
//   as it was (E = 2): 4, 4, 4, … (the steady state E / 0.5 = 4);
//   50% fewer entries aged 13+ (E = 1): 0.5 × 4 + 1 = 3, then 2.5, 2.25, … = 1 / 0.5 + (4 − 2) × 0.5^n → 2 + 2 × 0.5^n.
// The band one month ahead: the four children each leave with probability 0.5 (0 to 4 stay, 0 or 4 each with
// probability 1/16 = 6.25%, more than 2.5%) and exactly two arrive (every fit month had two): 2 to 6, median 4.
// Shift 50% of new in-house placements to an IFA: in-house entries 1 and IFA 1 a month. No child was ever
// with an IFA in the fit, so that state takes its age band's shares (exit 0.5, stay 0.5): in-house 3, 2.5, …;
// IFA 0.5 × 0 + 1 = 1, then 1.5, 1.75; the total stays 4.
// Cost (weekly £500 in-house, £900 IFA; 365.25 / 7 / 12 = 4.348214 weeks a month), month 1 of the shift:
// (3 × 500 + 1 × 900) × 4.348214 = £10,435.71.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { addMonths } from '../../src/calendar.ts';
import { backtest, forecast, parseScenario, ageBandsOf } from '../../src/analyses/forecast.ts';

const children: { child_id: string; dob: string; sex: string }[] = [];
const episodes: Record<string, string | null>[] = [];
for (let k = 0; k < 8; k++) {
  const entry = addMonths('2024-12-15', k);
  for (const n of [1, 2]) {
    const id = `K${k}-${n}`;
    children.push({ child_id: id, dob: '2010-06-01', sex: 'F' });
    episodes.push({ child_id: id, decom: entry, dec: addMonths(entry, 2), rne: 'S', legal_status: 'C2', placement_type: 'U6', placement_provider: 'PR1', reason_ceased: 'E4A' });
  }
}

let f: Fixture;
beforeAll(async () => { f = await fixture({ children, lac_episodes: episodes }); });
afterAll(() => f.close());

const base = { jumpOff: '2025-07', fitMonths: 6, horizon: 12, simulations: 4000, seed: 1 };

describe('the looked-after forecast', () => {
  it('fits the flows of the history: exit share 0.5 and 2 entries a month, the steady state 4', async () => {
    const fc = await forecast(f.store, base);
    expect(fc.fitFrom).toBe('2025-01');
    expect(fc.history.map((h) => h.total)).toEqual([4, 4, 4, 4, 4, 4, 4]);
    expect(fc.fitted).toEqual([{ ageBand: '13 to 15', entriesPerMonth: 2, exitShare: 0.5, stockAtJumpOff: 4 }]);
    expect(fc.months.map((m) => m.month).slice(0, 3)).toEqual(['2025-08', '2025-09', '2025-10']);
    for (const m of fc.months) expect(m.total.mean).toBeCloseTo(4, 9);
  });

  it('a scenario with a known answer: 50% fewer entries aged 13+ gives 2 + 2 × 0.5^n', async () => {
    const fc = await forecast(f.store, { ...base, scenarios: [parseScenario('entries:13+:-50%')] });
    expect(fc.scenarios).toEqual(['50% fewer entries aged 13 to 15, 16 and over']);
    fc.months.forEach((m, i) => expect(m.total.mean).toBeCloseTo(2 + 2 * 0.5 ** (i + 1), 9));
    expect(fc.months[0].total.mean).toBeCloseTo(3, 9);
    // the simulations agree: one month ahead Bin(4, 0.5) stay + Bin(2, 0.5) arrive has median 3; a year on, 2
    expect([fc.months[0].total.median, fc.months[11].total.median]).toEqual([3, 2]);
  });

  it('the 95% band one month ahead is the spread of four children leaving with probability 0.5, plus two entries', async () => {
    const m1 = (await forecast(f.store, base)).months[0].total;
    expect([m1.lower, m1.median, m1.upper]).toEqual([2, 4, 6]);
    const later = (await forecast(f.store, base)).months[11].total;
    expect(later.lower).toBeLessThanOrEqual(4);
    expect(later.upper).toBeGreaterThanOrEqual(4);
  });

  it('moving new placements to another group, with the cost per placement group', async () => {
    const fc = await forecast(f.store, {
      ...base, scenarios: [parseScenario('shift:In-house fostering>Independent fostering agency:50%')],
      unitCosts: { 'In-house fostering': 500, 'Independent fostering agency': 900 },
    });
    const [m1, m2, m3] = fc.months;
    expect(m1.byPlacement['In-house fostering'].mean).toBeCloseTo(3, 9);
    expect(m1.byPlacement['Independent fostering agency'].mean).toBeCloseTo(1, 9);
    expect(m2.byPlacement['Independent fostering agency'].mean).toBeCloseTo(1.5, 9);
    expect(m3.byPlacement['Independent fostering agency'].mean).toBeCloseTo(1.75, 9);
    expect(m3.total.mean).toBeCloseTo(4, 9);
    expect(m1.cost!.mean).toBeCloseTo(10435.71, 2);
    expect(m1.uncostedChildren).toBe(0);
  });

  it('back-tests against what happened: fitted to May, June and July are forecast exactly (MAPE 0)', async () => {
    const bt = await backtest(f.store, { jumpOff: '2025-05', fitMonths: 4, horizon: 2, simulations: 500, seed: 2, dataEnd: '2025-09-30' });
    expect(bt.months.map((m) => [m.month, m.actual])).toEqual([['2025-06', 4], ['2025-07', 4]]);
    expect(bt.mape).toBeCloseTo(0, 9);
    expect(bt.coverage).toBe(1);
    // three months on, August's actual stock is 2 (no one came in in August): forecast 4, 100% off
    const longer = await backtest(f.store, { jumpOff: '2025-05', fitMonths: 4, horizon: 3, simulations: 500, seed: 2, dataEnd: '2025-09-30' });
    expect(longer.months[2]).toMatchObject({ month: '2025-08', actual: 2, absolutePercentError: 100 });
    expect(longer.mape).toBeCloseTo(100 / 3, 9);
  });

  it('a back-test past the end of the data, or with no history, is refused rather than scored against zeros', async () => {
    await expect(backtest(f.store, { jumpOff: '2025-05', fitMonths: 4, horizon: 3, dataEnd: '2025-07-31' })).rejects.toThrow(/at most 2 months/);
    await expect(forecast(f.store, { jumpOff: '2023-06', fitMonths: 6 })).rejects.toThrow(/no history to fit/);
  });

  it('reads scenarios and refuses ones it cannot apply', () => {
    expect(ageBandsOf('13+')).toEqual(['13 to 15', '16 and over']);
    expect(ageBandsOf('Under 1,1 to 4')).toEqual(['Under 1', '1 to 4']);
    expect(() => ageBandsOf('12+')).toThrow(/age bands start at/);
    expect(() => parseScenario('entries:13+:ten')).toThrow(/percentage/);
    expect(() => parseScenario('fewer:13+:-10%')).toThrow(/not a scenario/);
  });
});
