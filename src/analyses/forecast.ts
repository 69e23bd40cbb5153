// Forecast of the looked-after population: a stock-and-flow model by age band and placement group,
// fitted on the history, projecting 12 to 36 months with an uncertainty band, under scenarios, with the
// cost of placements when unit costs are given; and a back-test against what happened.
//
// The model, stated once:
// - A state is an age band and a placement group (codes.placementGroup). Age bands split 10–15 at 13 so
//   that scenarios about teenagers ("13 and over") can be written: Under 1, 1 to 4, 5 to 9, 10 to 12,
//   13 to 15, 16 and over.
// - The stock is the children looked after at each month end (children_in_care.looked_after's rule: short
//   breaks left out, a child once, in the current episode), with age taken at the month end.
// - Fitting, over the `fitMonths` month-to-month steps ending at the jump-off month (all set-based in
//   DuckDB): for every child looked after at one month end, where they are at the next (another state, the
//   same, or no longer looked after: an exit); and the children looked after at a month end who were not at
//   the one before (entries), by state. Transition probabilities are the pooled shares of each state's
//   children going to each state or out; ageing and placement moves are in them, so they assume the mix of
//   ages within a band stays as it was. A state never seen in the fit (reached only through a scenario)
//   takes its age band's pooled exit and ageing shares and keeps its placement.
// - Projection: next month's stock = this month's stock × transitions + entries (the fitted monthly mean
//   entries by state), from the actual stock at the jump-off month end.
// - Uncertainty: `simulations` (default 1000) seeded Monte Carlo runs: each child moves by a draw from its
//   state's transition shares, and each month's entries are those of a month of the fit drawn at random
//   (so their month-to-month spread and mix are kept); the band is the 2.5th to 97.5th percentile (95%,
//   nearest rank, so it is a number of children some run gave).
//   It shows the variation of the flows as they were, not a change in trend or policy.
// - Scenarios change the flows from the jump-off on: `entries` multiplies the entries in some age bands
//   (e.g. 10% fewer entries aged 13 and over: change −0.1); `shift` moves a share of new placements
//   (entries and moves from another group) from one placement group to another (e.g. 10% of IFA
//   placements made in-house instead); the stock at the jump-off is as it was.
// - Cost: unit costs are weekly, per placement group; a month costs stock × weekly cost × 365.25 / 7 / 12.
import type { Store } from '../store.ts';
import { month as monthPeriod } from '../periods.ts';
import { addMonths } from '../calendar.ts';
import { CARE, AT_END, PLACEMENT_GROUP_SQL } from '../indicators/childrenInCare.ts';
import { literal, prepareMacros } from '../indicators/sql.ts';

export const FORECAST_AGE_BANDS = ['Under 1', '1 to 4', '5 to 9', '10 to 12', '13 to 15', '16 and over'] as const;
const BAND_FROM: Record<string, number> = { 'Under 1': 0, '1 to 4': 1, '5 to 9': 5, '10 to 12': 10, '13 to 15': 13, '16 and over': 16 };
const WEEKS_PER_MONTH = 365.25 / 7 / 12;

const AGE_BAND_SQL = (dob: string, d: string) => `CASE WHEN ${dob} IS NULL THEN 'Unknown'
  WHEN age_years(${dob}, ${d}) < 1 THEN 'Under 1' WHEN age_years(${dob}, ${d}) < 5 THEN '1 to 4'
  WHEN age_years(${dob}, ${d}) < 10 THEN '5 to 9' WHEN age_years(${dob}, ${d}) < 13 THEN '10 to 12'
  WHEN age_years(${dob}, ${d}) < 16 THEN '13 to 15' ELSE '16 and over' END`;

export type Scenario =
  | { readonly kind: 'entries'; readonly ageBands: readonly string[]; readonly change: number }
  | { readonly kind: 'shift'; readonly from: string; readonly to: string; readonly share: number };

export interface ForecastOptions {
  /** the last month of history used ('YYYY-MM'); projections start the month after */
  readonly jumpOff: string;
  /** months projected (12 to 36) */
  readonly horizon?: number;
  /** month-to-month steps the model is fitted on (default 24) */
  readonly fitMonths?: number;
  readonly scenarios?: readonly Scenario[];
  /** weekly cost (£) by placement group */
  readonly unitCosts?: Readonly<Record<string, number>>;
  readonly simulations?: number;
  readonly seed?: number;
}

export interface Band { readonly mean: number; readonly median: number; readonly lower: number; readonly upper: number }

export interface ForecastMonth {
  readonly month: string;
  readonly total: Band;
  readonly byAgeBand: Readonly<Record<string, Band>>;
  readonly byPlacement: Readonly<Record<string, Band>>;
  /** £ for the month (mean and 95% band), when unit costs are given; groups without a cost are left out and counted */
  readonly cost: Band | null;
  readonly uncostedChildren: number | null;
}

export interface Forecast {
  readonly jumpOff: string;
  readonly fitFrom: string;
  readonly fitMonths: number;
  readonly horizon: number;
  readonly simulations: number;
  readonly scenarios: readonly string[];
  /** actual month-end stock over the fit window, the jump-off last */
  readonly history: readonly { month: string; total: number; byAgeBand: Readonly<Record<string, number>>; byPlacement: Readonly<Record<string, number>> }[];
  /** fitted flows: entries per month and the monthly share leaving care, by age band */
  readonly fitted: readonly { ageBand: string; entriesPerMonth: number; exitShare: number | null; stockAtJumpOff: number }[];
  readonly months: readonly ForecastMonth[];
}

/** Whole months from label a to label b ('2024-03' to '2025-03' = 12). */
function monthsBetweenLabels(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

/** Month labels from `first` for n months: '2025-01', '2025-02', … */
export function monthsFrom(first: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addMonths(`${first}-01`, i).slice(0, 7));
}

interface StateRow { period_id: number; child_id: string; age_band: string; placement: string }

/** Each child looked after at each month end, with its state: one query over all the months. */
async function monthEndStates(store: Store, months: readonly string[]): Promise<StateRow[]> {
  await prepareMacros(store);
  const periods = months.map((m, i) => { const p = monthPeriod(m); return `(${i}, ${literal(m)}, DATE '${p.start}', DATE '${p.end}')`; });
  return store.query<StateRow>(`WITH periods(period_id, label, start_date, end_date) AS (VALUES ${periods.join(', ')}),
    ${CARE}, ${AT_END}
    SELECT a.period_id, a.child_id, ${AGE_BAND_SQL('ch.dob', 'a.period_end')} AS age_band,
      ${PLACEMENT_GROUP_SQL('a.placement_type', 'a.placement_provider')} AS placement
    FROM lac_at_end a LEFT JOIN main.children ch ON ch.child_id = a.child_id`);
}

interface FlowRow { t: number; from_state: string | null; to_state: string | null; n: number }

/** Transitions between consecutive month ends (null from = an entry, null to = an exit), counted in SQL. */
async function flows(store: Store, months: readonly string[], lastStep: number): Promise<FlowRow[]> {
  await prepareMacros(store);
  const periods = months.map((m, i) => { const p = monthPeriod(m); return `(${i}, ${literal(m)}, DATE '${p.start}', DATE '${p.end}')`; });
  return store.query<FlowRow>(`WITH periods(period_id, label, start_date, end_date) AS (VALUES ${periods.join(', ')}),
    ${CARE}, ${AT_END},
    states AS (
      SELECT a.period_id, a.child_id, ${AGE_BAND_SQL('ch.dob', 'a.period_end')} || '|' || ${PLACEMENT_GROUP_SQL('a.placement_type', 'a.placement_provider')} AS state
      FROM lac_at_end a LEFT JOIN main.children ch ON ch.child_id = a.child_id),
    pairs AS (
      SELECT coalesce(a.period_id, b.period_id - 1) AS t, a.state AS from_state, b.state AS to_state
      FROM states a FULL JOIN states b ON b.child_id = a.child_id AND b.period_id = a.period_id + 1)
    SELECT t, from_state, to_state, count(*)::INTEGER AS n FROM pairs WHERE t BETWEEN 0 AND ${lastStep - 1} GROUP BY ALL
    ORDER BY t, from_state NULLS FIRST, to_state NULLS FIRST`);
}

/** mulberry32: a small seeded generator for the simulations (public domain, Tommy Ettinger). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bandOf = (state: string) => state.slice(0, state.indexOf('|'));
const placeOf = (state: string) => state.slice(state.indexOf('|') + 1);

/** Age bands a scenario names: a band's name, or 'N+' for every band from age N ('13+' = 13 to 15 and 16 and over). */
export function ageBandsOf(spec: string): string[] {
  const plus = /^(\d+)\+$/.exec(spec.trim());
  if (plus) {
    const from = Number(plus[1]);
    if (!Object.values(BAND_FROM).includes(from)) throw new RangeError(`'${spec}': age bands start at ${Object.values(BAND_FROM).join(', ')}`);
    return FORECAST_AGE_BANDS.filter((b) => BAND_FROM[b] >= from);
  }
  const bands = spec.split(',').map((s) => s.trim());
  for (const b of bands) if (!(FORECAST_AGE_BANDS as readonly string[]).includes(b)) throw new RangeError(`no age band '${b}': ${FORECAST_AGE_BANDS.join(', ')}`);
  return bands;
}

/** Parses 'entries:13+:-10%' or 'shift:Independent fostering agency>In-house fostering:10%'. */
export function parseScenario(text: string): Scenario {
  const [kind, what, amount] = text.split(':');
  const pct = (s: string | undefined): number => {
    const m = /^([+-]?\d+(?:\.\d+)?)%$/.exec((s ?? '').trim());
    if (!m) throw new RangeError(`'${text}': the change is a percentage, e.g. -10%`);
    return Number(m[1]) / 100;
  };
  if (kind === 'entries' && what) {
    const change = pct(amount);
    if (change < -1 || change > 1) throw new RangeError(`'${text}': entries can change by -100% to +100%`);
    return { kind: 'entries', ageBands: ageBandsOf(what), change };
  }
  if (kind === 'shift' && what?.includes('>')) {
    const [from, to] = what.split('>').map((s) => s.trim());
    const share = pct(amount);
    if (share < 0 || share > 1) throw new RangeError(`'${text}': the share moved is 0% to 100%`);
    return { kind: 'shift', from, to, share };
  }
  throw new RangeError(`'${text}' is not a scenario: 'entries:13+:-10%' or 'shift:Independent fostering agency>In-house fostering:10%'`);
}

export function describeScenario(s: Scenario): string {
  return s.kind === 'entries'
    ? `${Math.abs(s.change * 100)}% ${s.change < 0 ? 'fewer' : 'more'} entries aged ${s.ageBands.join(', ')}`
    : `${s.share * 100}% of new ${s.from} placements made as ${s.to} instead`;
}

interface Model {
  states: string[];
  /** per state: cumulative transition shares to each state index, the exit last */
  rows: Float64Array[];
  /** expected transitions (not cumulative), for the mean projection */
  shares: Float64Array[];
  /** entries of each fit month, by state index */
  entryMonths: Float64Array[];
  meanEntries: Float64Array;
}

/** Builds the transition shares and entries from the flows, with the scenarios applied. */
function buildModel(flowRows: readonly FlowRow[], start: readonly string[], steps: number, scenarios: readonly Scenario[]): Model {
  const stateSet = new Set<string>(start);
  for (const f of flowRows) { if (f.from_state) stateSet.add(f.from_state); if (f.to_state) stateSet.add(f.to_state); }
  for (const s of scenarios) if (s.kind === 'shift') {
    for (const st of [...stateSet]) if (placeOf(st) === s.from) stateSet.add(`${bandOf(st)}|${s.to}`);
  }
  const states = [...stateSet].sort();
  const index = new Map(states.map((s, i) => [s, i]));
  const n = states.length, exit = n;
  const counts = states.map(() => new Float64Array(n + 1));
  const entryMonths = Array.from({ length: steps }, () => new Float64Array(n));
  // pooled by age band, for states never seen: band → (to band | 'exit') → count
  const bandCounts = new Map<string, Map<string, number>>();
  for (const f of flowRows) {
    if (f.from_state === null && f.to_state !== null) { entryMonths[f.t][index.get(f.to_state)!] += f.n; continue; }
    if (f.from_state === null) continue;
    counts[index.get(f.from_state)!][f.to_state === null ? exit : index.get(f.to_state)!] += f.n;
    const b = bandCounts.get(bandOf(f.from_state)) ?? new Map<string, number>();
    const to = f.to_state === null ? 'exit' : bandOf(f.to_state);
    b.set(to, (b.get(to) ?? 0) + f.n);
    bandCounts.set(bandOf(f.from_state), b);
  }
  const shares = states.map((st, i) => {
    const row = new Float64Array(n + 1);
    const total = counts[i].reduce((a, b) => a + b, 0);
    if (total > 0) { for (let j = 0; j <= n; j++) row[j] = counts[i][j] / total; return row; }
    // never seen: the band's exit and ageing shares, the placement kept
    const pooled = bandCounts.get(bandOf(st));
    const pooledTotal = pooled ? [...pooled.values()].reduce((a, b) => a + b, 0) : 0;
    if (!pooled || pooledTotal === 0) { row[i] = 1; return row; }
    for (const [to, c] of pooled) {
      const j = to === 'exit' ? exit : index.get(`${to}|${placeOf(st)}`);
      if (j === undefined) row[exit] += c / pooledTotal; // a band/placement pair with no state: treated as leaving (cannot occur for the fitted bands)
      else row[j] += c / pooledTotal;
    }
    return row;
  });
  const meanEntries = new Float64Array(n);
  for (const m of entryMonths) for (let j = 0; j < n; j++) meanEntries[j] += m[j];
  for (let j = 0; j < n; j++) meanEntries[j] /= Math.max(1, steps);
  for (const s of scenarios) {
    if (s.kind === 'entries') {
      for (let j = 0; j < n; j++) if (s.ageBands.includes(bandOf(states[j]))) meanEntries[j] *= 1 + s.change;
    } else {
      for (let j = 0; j < n; j++) if (placeOf(states[j]) === s.from) {
        const k = index.get(`${bandOf(states[j])}|${s.to}`)!;
        const moved = meanEntries[j] * s.share;
        meanEntries[j] -= moved; meanEntries[k] += moved;
        // moves into the group from another group (a child already there stays: the stock is as it was)
        for (let i = 0; i < n; i++) if (placeOf(states[i]) !== s.from) {
          const m = shares[i][j] * s.share;
          shares[i][j] -= m; shares[i][k] += m;
        }
      }
    }
  }
  const rows = shares.map((row) => { const c = new Float64Array(n + 1); let acc = 0; for (let j = 0; j <= n; j++) { acc += row[j]; c[j] = acc; } return c; });
  return { states, rows, shares, entryMonths, meanEntries };
}

/** The nearest-rank percentile: a value some simulation gave (whole children for stocks), never an interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function band(values: Float64Array, mean: number): Band {
  const s = Float64Array.from(values).sort();
  return { mean, median: quantile(s, 0.5), lower: quantile(s, 0.025), upper: quantile(s, 0.975) };
}

/** Fits the model on the history to the jump-off and projects it. */
export async function forecast(store: Store, o: ForecastOptions): Promise<Forecast> {
  const horizon = o.horizon ?? 24;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 36) throw new RangeError(`the horizon is 1 to 36 months, not ${horizon}`);
  const steps = o.fitMonths ?? 24;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`fitMonths must be a whole number of months, not ${steps}`);
  const sims = o.simulations ?? 1000;
  const scenarios = o.scenarios ?? [];
  const fitMonthsList = monthsFrom(addMonths(`${o.jumpOff}-01`, -steps).slice(0, 7), steps + 1);
  const [flowRows, stateRows] = [await flows(store, fitMonthsList, steps), await monthEndStates(store, fitMonthsList)];
  const startStates = stateRows.filter((r) => r.period_id === steps).map((r) => `${r.age_band}|${r.placement}`);
  if (flowRows.length === 0 && startStates.length === 0) {
    throw new RangeError(`no child was looked after at any month end from ${fitMonthsList[0]} to ${o.jumpOff}: there is no history to fit`);
  }
  const model = buildModel(flowRows, startStates, steps, scenarios);
  const { states } = model;
  const n = states.length, exit = n;
  const index = new Map(states.map((s, i) => [s, i]));
  const start = new Float64Array(n);
  for (const s of startStates) start[index.get(s)!]++;

  // the mean projection
  const means: Float64Array[] = [];
  let cur = start;
  for (let m = 0; m < horizon; m++) {
    const next = Float64Array.from(model.meanEntries);
    for (let i = 0; i < n; i++) if (cur[i] > 0) for (let j = 0; j < n; j++) next[j] += cur[i] * model.shares[i][j];
    means.push(next);
    cur = next;
  }

  // the simulations: sims × horizon × state counts
  const rnd = generator(o.seed ?? 20250331);
  const simStock = Array.from({ length: horizon }, () => Array.from({ length: sims }, () => new Float64Array(n)));
  const entryScenarios = scenarios.filter((s): s is Extract<Scenario, { kind: 'entries' }> => s.kind === 'entries');
  const shiftScenarios = scenarios.filter((s): s is Extract<Scenario, { kind: 'shift' }> => s.kind === 'shift');
  for (let k = 0; k < sims; k++) {
    let stock = start;
    for (let m = 0; m < horizon; m++) {
      const next = simStock[m][k];
      for (let i = 0; i < n; i++) {
        const row = model.rows[i];
        for (let c = 0; c < stock[i]; c++) {
          const u = rnd();
          let j = 0;
          while (j < exit && u >= row[j]) j++;
          if (j < exit) next[j]++;
        }
      }
      const entries = model.entryMonths[Math.floor(rnd() * model.entryMonths.length)] ?? new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let count = entries[j];
        if (count === 0) continue;
        for (const s of entryScenarios) if (s.ageBands.includes(bandOf(states[j]))) {
          let kept = 0;
          for (let c = 0; c < count; c++) {
            if (s.change < 0) { if (rnd() < 1 + s.change) kept++; } else kept += 1 + (rnd() < s.change ? 1 : 0);
          }
          count = kept;
        }
        for (const s of shiftScenarios) if (placeOf(states[j]) === s.from) {
          let moved = 0;
          for (let c = 0; c < count; c++) if (rnd() < s.share) moved++;
          next[index.get(`${bandOf(states[j])}|${s.to}`)!] += moved;
          count -= moved;
        }
        next[j] += count;
      }
      stock = next;
    }
  }

  const groupBands = (m: number, keyOf: (s: string) => string, keys: readonly string[]): Record<string, Band> => {
    const out: Record<string, Band> = {};
    for (const key of keys) {
      const idx = states.map((s, i) => (keyOf(s) === key ? i : -1)).filter((i) => i >= 0);
      const values = Float64Array.from(simStock[m], (v) => idx.reduce((a, i) => a + v[i], 0));
      out[key] = band(values, idx.reduce((a, i) => a + means[m][i], 0));
    }
    return out;
  };
  const ageKeys = [...new Set(states.map(bandOf))].sort((a, b) => FORECAST_AGE_BANDS.indexOf(a as never) - FORECAST_AGE_BANDS.indexOf(b as never));
  const placeKeys = [...new Set(states.map(placeOf))].sort();
  const costOf = (v: Float64Array): number => states.reduce((a, s, i) => a + v[i] * (o.unitCosts?.[placeOf(s)] ?? 0) * WEEKS_PER_MONTH, 0);
  const uncosted = (v: Float64Array): number => states.reduce((a, s, i) => a + (o.unitCosts?.[placeOf(s)] === undefined ? v[i] : 0), 0);
  const projected = monthsFrom(addMonths(`${o.jumpOff}-01`, 1).slice(0, 7), horizon);
  const months: ForecastMonth[] = projected.map((label, m) => ({
    month: label,
    total: band(Float64Array.from(simStock[m], (v) => v.reduce((a, b) => a + b, 0)), means[m].reduce((a, b) => a + b, 0)),
    byAgeBand: groupBands(m, bandOf, ageKeys),
    byPlacement: groupBands(m, placeOf, placeKeys),
    cost: o.unitCosts ? band(Float64Array.from(simStock[m], costOf), costOf(means[m])) : null,
    uncostedChildren: o.unitCosts ? uncosted(means[m]) : null,
  }));

  const history = fitMonthsList.map((label, t) => {
    const rows = stateRows.filter((r) => r.period_id === t);
    const tally = (key: (r: StateRow) => string) => { const o2: Record<string, number> = {}; for (const r of rows) o2[key(r)] = (o2[key(r)] ?? 0) + 1; return o2; };
    return { month: label, total: rows.length, byAgeBand: tally((r) => r.age_band), byPlacement: tally((r) => r.placement) };
  });
  const fitted = ageKeys.map((b) => {
    const idx = states.map((s, i) => (bandOf(s) === b ? i : -1)).filter((i) => i >= 0);
    const entriesPerMonth = idx.reduce((a, i) => a + model.meanEntries[i], 0);
    let leaving = 0, total = 0;
    for (const f of flowRows) if (f.from_state !== null && bandOf(f.from_state) === b) { total += f.n; if (f.to_state === null) leaving += f.n; }
    return { ageBand: b, entriesPerMonth, exitShare: total > 0 ? leaving / total : null, stockAtJumpOff: idx.reduce((a, i) => a + start[i], 0) };
  });
  return {
    jumpOff: o.jumpOff, fitFrom: fitMonthsList[0], fitMonths: steps, horizon, simulations: sims,
    scenarios: scenarios.map(describeScenario), history, fitted, months,
  };
}

export interface BacktestMonth { readonly month: string; readonly forecast: number; readonly lower: number; readonly upper: number; readonly actual: number; readonly absolutePercentError: number }

export interface Backtest {
  readonly jumpOff: string;
  readonly fitMonths: number;
  readonly months: readonly BacktestMonth[];
  /** mean absolute percentage error of the total over the horizon */
  readonly mape: number;
  /** share of months (with children looked after) whose actual total was inside the 95% band */
  readonly coverage: number;
  /** MAPE of each age band's stock */
  readonly mapeByAgeBand: Readonly<Record<string, number>>;
}

/** Fits on the history to `jumpOff`, projects `horizon` months and compares with the actual month-end stock. */
export async function backtest(store: Store, o: Omit<ForecastOptions, 'scenarios' | 'unitCosts'> & { horizon: number; dataEnd?: string }): Promise<Backtest> {
  // every month compared must have an actual stock: past the end of the data it would count as 0
  const dataEnd = o.dataEnd ?? (await store.dataRange()).last;
  if (dataEnd === null) throw new RangeError('nothing is loaded: a back-test needs the history it is compared with');
  const lastMonth = monthsFrom(addMonths(`${o.jumpOff}-01`, o.horizon).slice(0, 7), 1)[0];
  if (monthPeriod(lastMonth).end > dataEnd) {
    throw new RangeError(`the back-test compares with what happened, and the data end on ${dataEnd}: from ${o.jumpOff} the horizon can be at most ${monthsBetweenLabels(o.jumpOff, dataEnd.slice(0, 7)) - (monthPeriod(dataEnd.slice(0, 7)).end === dataEnd ? 0 : 1)} months`);
  }
  const f = await forecast(store, o);
  const after = f.months.map((m) => m.month);
  const actualRows = await monthEndStates(store, after);
  const months = f.months.map((m, i) => {
    const actual = actualRows.filter((r) => r.period_id === i).length;
    return { month: m.month, forecast: m.total.mean, lower: m.total.lower, upper: m.total.upper, actual, absolutePercentError: actual > 0 ? (100 * Math.abs(m.total.mean - actual)) / actual : NaN };
  });
  const valid = months.filter((m) => Number.isFinite(m.absolutePercentError));
  const mapeByAgeBand: Record<string, number> = {};
  for (const b of FORECAST_AGE_BANDS) {
    const errs = f.months.map((m, i) => {
      const actual = actualRows.filter((r) => r.period_id === i && r.age_band === b).length;
      const fc = m.byAgeBand[b]?.mean ?? 0;
      return actual > 0 ? (100 * Math.abs(fc - actual)) / actual : NaN;
    }).filter(Number.isFinite);
    if (errs.length) mapeByAgeBand[b] = errs.reduce((a, e) => a + e, 0) / errs.length;
  }
  return {
    jumpOff: o.jumpOff, fitMonths: f.fitMonths, months,
    // no month with children looked after: no error can be stated (NaN), never a reassuring 0
    mape: valid.length ? valid.reduce((a, m) => a + m.absolutePercentError, 0) / valid.length : NaN,
    coverage: valid.length ? valid.filter((m) => m.actual >= m.lower && m.actual <= m.upper).length / valid.length : NaN,
    mapeByAgeBand,
  };
}
