// The indicator engine: runs any indicator's SQL for a set of periods in one query, groups the unit
// rows by a breakdown, and turns them into figures; lists the children behind any figure; assembles the
// scorecard (in month, year to date, rolling 12 months and a monthly trend for every indicator).
//
// Every figure is built from the same unit rows the drill-down shows, so the children listed always add
// up to the numerator and denominator shown.
import type { Store } from './store.ts';
import { previousMonths, yearToDate, rolling12, parsePeriod, type Period, type PeriodKind } from './periods.ts';
import { INDICATORS, findIndicator } from './indicators/index.ts';
import { DEFAULT_SETTINGS } from './indicators/settings.ts';
import { cacheVersion, readScorecard, scorecardKey, writeScorecards } from './scorecardCache.ts';
import { prepareMacros, literal } from './indicators/sql.ts';
import type { Breakdown, Indicator, Settings } from './indicators/types.ts';

export interface Figure {
  readonly indicator: string;
  readonly period: string;
  readonly kind: PeriodKind;
  readonly start: string;
  readonly end: string;
  /** the breakdown group ('Police', 'Under 1', a team), or null for the whole authority */
  readonly group: string | null;
  readonly numerator: number;
  /** the denominator (rows counted, or the population for rates); null for counts */
  readonly denominator: number | null;
  /** null when there is nothing to divide by */
  readonly value: number | null;
}

export interface Filter {
  /** only rows held by this team (by name) */
  readonly team?: string;
}

export interface ComputeOptions extends Filter {
  readonly breakdown?: Breakdown;
}

export interface ChildRow {
  readonly child_id: string | null;
  readonly in_numerator: boolean;
  readonly in_denominator: boolean;
  /** the row's numerator value: 1/0 for counts and percentages, the days or weeks for averages */
  readonly value: number;
  /** the row's denominator value: 1/0, or a month's denominator for aggregate measures */
  readonly weight: number;
  readonly at_date: string | null;
  readonly team: string | null;
  readonly worker: string | null;
  readonly group: string | null;
  readonly [detail: string]: unknown;
}

export interface ScorecardLine {
  readonly indicator: Indicator;
  /** in month (flows) or at the month's end (stocks) */
  readonly month: Figure;
  /** year to date and rolling 12 months: flows only */
  readonly ytd: Figure | null;
  readonly rolling12: Figure | null;
  /** the last N months, oldest first, ending with the month */
  readonly trend: readonly Figure[];
}

/** What a figure needs: the allocation at the deciding date (team, worker), the child's characteristics, a unit id. */
interface Needs { allocation: boolean; child: boolean; unitId: boolean }
const ALL_NEEDS: Needs = { allocation: true, child: true, unitId: true };
/** The breakdowns read from main.children (see GROUP_SQL). */
const CHILD_BREAKDOWNS: readonly Breakdown[] = ['age_band', 'sex', 'ethnicity', 'disability'];

/** SQL for the group a unit row falls in, by breakdown (columns of `enriched`). */
const GROUP_SQL: Record<Breakdown, string> = {
  team: `coalesce(team_name, 'Unallocated')`,
  worker: `coalesce(worker_name, 'Unallocated')`,
  source: `source_group(source)`,
  age_band: `age_band(child_dob, at_date)`,
  sex: `CASE child_sex WHEN 'M' THEN 'Male' WHEN 'F' THEN 'Female' ELSE 'Unknown' END`,
  ethnicity: `ethnic_group(child_ethnicity)`,
  disability: `CASE WHEN child_disabled THEN 'Disabled' WHEN NOT child_disabled THEN 'Not disabled' ELSE 'Unknown' END`,
  factor: `unnest(CASE WHEN factors IS NULL OR trim(factors) = '' THEN ['None recorded'] ELSE string_split(factors, ',') END)`,
};

/** The same groups for the population table (for rates by sex or age band); other breakdowns have no population. */
const POPULATION_GROUP_SQL: Partial<Record<Breakdown, string>> = {
  sex: `CASE po.sex WHEN 'M' THEN 'Male' WHEN 'F' THEN 'Female' ELSE 'Unknown' END`,
  age_band: `CASE WHEN po.age < 1 THEN 'Under 1' WHEN po.age < 5 THEN '1 to 4' WHEN po.age < 10 THEN '5 to 9'
    WHEN po.age < 16 THEN '10 to 15' ELSE '16 and over' END`,
};

/** Allocations with team and worker names: relation `alloc`. */
export const ALLOCATIONS_CTE = `alloc AS (
        SELECT a.child_id, a.start_date, a.end_date, coalesce(t.name, a.team_id) AS team, coalesce(w.name, a.worker_id) AS worker
        FROM main.allocations a
        LEFT JOIN main.teams t ON t.team_id = a.team_id
        LEFT JOIN main.workers w ON w.worker_id = a.worker_id)`;

/**
 * The rows of `relation` (with child_id and at_date) and alloc_team / alloc_worker: the allocation that
 * started last on or before at_date, if it is still open then. Needs ALLOCATIONS_CTE.
 */
export function allocatedSql(relation: string): string {
  return `SELECT u.*, CASE WHEN al.end_date IS NULL OR al.end_date > u.at_date THEN al.team END AS alloc_team,
          CASE WHEN al.end_date IS NULL OR al.end_date > u.at_date THEN al.worker END AS alloc_worker
        FROM ${relation} u ASOF LEFT JOIN alloc al ON al.child_id = u.child_id AND u.at_date >= al.start_date`;
}

function periodsSql(periods: readonly Period[]): string {
  if (periods.length === 0) throw new RangeError('at least one period is needed');
  const rows = periods.map((p, i) => `(${i}, ${literal(p.label)}, DATE '${p.start}', DATE '${p.end}')`);
  return `periods(period_id, label, start_date, end_date) AS (VALUES ${rows.join(', ')})`;
}

export class Engine {
  readonly settings: Settings;

  /** Whole scorecards are kept in the store by data version and read back (scorecardCache.ts). */
  readonly cache: boolean;

  constructor(readonly store: Store, settings: Partial<Settings> = {}, options: { cache?: boolean } = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.cache = options.cache ?? false;
  }

  /** Every indicator of the catalogue, in scorecard order. */
  get indicators(): readonly Indicator[] {
    return INDICATORS;
  }

  /**
   * The unit rows of an indicator for the periods, with team and worker filled from allocations at the
   * deciding date, the child's characteristics joined, and the team filter applied: relation `enriched`.
   */
  private enrichedSql(ind: Indicator, periods: readonly Period[], filter: Filter, needs: Needs = ALL_NEEDS): string {
    const dims = ind.dimensions ?? [];
    const source = dims.includes('source') ? 'u.source' : 'CAST(NULL AS VARCHAR)';
    const factors = dims.includes('factors') ? 'u.factors' : 'CAST(NULL AS VARCHAR)';
    const details = ind.details.map((d) => `, u.${d.name}`).join('');
    // The allocation (ASOF) join and the child join cost most of a figure over many periods: a figure that
    // shows neither team nor child characteristics (the whole scorecard) is computed without them. So is the
    // unit id, which only orders the rows behind a figure (a window over all rows runs on one thread).
    const allocation = needs.allocation || filter.team !== undefined;
    return `WITH ${periodsSql(periods)},
      units AS (SELECT ${needs.unitId ? 'row_number() OVER ()' : 'CAST(NULL AS BIGINT)'} AS unit_id, x.* FROM (${ind.sql(this.settings)}) x),
      ${allocation ? `${ALLOCATIONS_CTE},
      placed AS (${allocatedSql('units')}),` : `placed AS (SELECT *, CAST(NULL AS VARCHAR) AS alloc_team, CAST(NULL AS VARCHAR) AS alloc_worker FROM units),`}
      enriched AS (
        SELECT u.unit_id, u.period_id, u.child_id, CAST(u.numerator AS DOUBLE) AS numerator,
          CAST(u.denominator AS DOUBLE) AS denominator, CAST(u.at_date AS DATE) AS at_date,
          coalesce(u.team, u.alloc_team) AS team_name,
          coalesce(u.worker, CASE WHEN u.team IS NULL THEN u.alloc_worker END) AS worker_name,
          ${source} AS source, ${factors} AS factors,
          ${needs.child ? 'c.sex' : 'CAST(NULL AS VARCHAR)'} AS child_sex, ${needs.child ? 'c.ethnicity' : 'CAST(NULL AS VARCHAR)'} AS child_ethnicity,
          ${needs.child ? 'c.disabled' : 'CAST(NULL AS BOOLEAN)'} AS child_disabled, ${needs.child ? 'c.dob' : 'CAST(NULL AS DATE)'} AS child_dob
          ${details}
        FROM placed u ${needs.child ? 'LEFT JOIN main.children c ON c.child_id = u.child_id' : ''}
        WHERE (u.numerator <> 0 OR u.denominator <> 0)
          ${filter.team !== undefined ? `AND coalesce(u.team, u.alloc_team) = ${literal(filter.team)}` : ''})`;
  }

  /** The population (children aged 0–17) for each period and group: the mid-year estimate in force at the period end. */
  private populationSql(breakdown: Breakdown | undefined): string {
    const group = breakdown ? POPULATION_GROUP_SQL[breakdown] : 'CAST(NULL AS VARCHAR)';
    const la = this.settings.laCode === null ? '' : `AND po.la_code = ${literal(this.settings.laCode)}`;
    return `years AS (SELECT DISTINCT year FROM main.population),
      popyear AS (
        SELECT p.period_id, coalesce(max(y.year) FILTER (WHERE make_date(y.year, 6, 30) <= p.end_date), min(y.year)) AS year
        FROM periods p, years y GROUP BY p.period_id),
      pop AS (
        SELECT py.period_id, ${group} AS grp, sum(po.count) AS population
        FROM popyear py JOIN main.population po ON po.year = py.year AND po.age BETWEEN 0 AND 17 ${la}
        GROUP BY ALL)`;
  }

  /** Figures for one indicator, for every period given, by breakdown group if asked, in one query. */
  async compute(id: string | Indicator, periods: readonly Period[], options: ComputeOptions = {}): Promise<Figure[]> {
    return this.computeOn(this.store, id, periods, options);
  }

  private async computeOn(store: Store, id: string | Indicator, periods: readonly Period[], options: ComputeOptions): Promise<Figure[]> {
    const ind = typeof id === 'string' ? findIndicator(id) : id;
    await prepareMacros(store);
    const breakdown = options.breakdown;
    if (breakdown === 'source' && !(ind.dimensions ?? []).includes('source')) {
      throw new RangeError(`${ind.id} cannot be broken down by source: its records have no source`);
    }
    if (breakdown === 'factor' && !(ind.dimensions ?? []).includes('factors')) {
      throw new RangeError(`${ind.id} cannot be broken down by assessment factor: its records have none`);
    }
    const grp = breakdown ? GROUP_SQL[breakdown] : 'CAST(NULL AS VARCHAR)';
    const needsPopulation = ind.unit === 'rate' && options.team === undefined && (!breakdown || breakdown in POPULATION_GROUP_SQL);
    const needs: Needs = { allocation: breakdown === 'team' || breakdown === 'worker', child: breakdown !== undefined && CHILD_BREAKDOWNS.includes(breakdown), unitId: false };
    const sql = `${this.enrichedSql(ind, periods, options, needs)},
      grouped AS (SELECT period_id, numerator, denominator, ${grp} AS grp FROM enriched),
      -- Summed as decimals (12 places): a parallel sum of doubles with fractions (FTE, weeks) differs in its
      -- last bits from run to run, and a figure, its RAG and a kept scorecard must be the same every time.
      agg AS (SELECT period_id, grp, CAST(sum(CAST(numerator AS DECIMAL(38, 12))) AS DOUBLE) AS num,
                CAST(sum(CAST(denominator AS DECIMAL(38, 12))) AS DOUBLE) AS den, max(numerator) AS mx
              FROM grouped GROUP BY period_id, grp)
      ${needsPopulation ? `, ${this.populationSql(breakdown)}` : ''}
      SELECT p.period_id, a.grp, coalesce(a.num, 0) AS num, coalesce(a.den, 0) AS den, coalesce(a.mx, 0) AS mx,
        ${needsPopulation ? 'pop.population' : 'NULL'} AS population
      FROM periods p LEFT JOIN agg a ON a.period_id = p.period_id
      ${needsPopulation ? 'LEFT JOIN pop ON pop.period_id = p.period_id AND pop.grp IS NOT DISTINCT FROM a.grp' : ''}
      ORDER BY p.period_id, a.grp NULLS FIRST`;
    const rows = await store.query<{ period_id: number; grp: string | null; num: number; den: number; mx: number; population: number | null }>(sql);
    return rows
      .filter((r) => !(breakdown && r.grp === null && r.num === 0 && r.den === 0)) // a period with no rows at all
      .map((r) => {
        const p = periods[r.period_id];
        return { indicator: ind.id, period: p.label, kind: p.kind, start: p.start, end: p.end, group: r.grp, ...valueOf(ind, r) };
      });
  }

  /**
   * The rows behind a figure: every child (or record) in the numerator or denominator for the period,
   * with the dates that decided it. `group` narrows to one breakdown group.
   */
  async rows(id: string | Indicator, period: Period, options: ComputeOptions & { group?: string } = {}): Promise<ChildRow[]> {
    const ind = typeof id === 'string' ? findIndicator(id) : id;
    await prepareMacros(this.store);
    const grp = options.breakdown ? GROUP_SQL[options.breakdown] : 'CAST(NULL AS VARCHAR)';
    const details = ind.details.map((d) => `, ${d.name}`).join('');
    const sql = `${this.enrichedSql(ind, [period], options)},
      grouped AS (SELECT *, ${grp} AS grp FROM enriched)
      SELECT child_id, numerator, denominator, at_date, team_name AS team, worker_name AS worker, grp ${details}
      FROM grouped
      ${options.group !== undefined ? `WHERE grp = ${literal(options.group)}` : ''}
      ORDER BY denominator DESC, numerator DESC, child_id, at_date, unit_id`;
    const rows = await this.store.query<Record<string, unknown>>(sql);
    return rows.map((r) => {
      const { numerator, denominator, grp, ...rest } = r as { numerator: number; denominator: number; grp: string | null } & Record<string, unknown>;
      return {
        ...rest,
        child_id: rest.child_id as string | null,
        at_date: rest.at_date as string | null,
        team: rest.team as string | null,
        worker: rest.worker as string | null,
        group: grp,
        in_numerator: numerator !== 0,
        in_denominator: denominator !== 0,
        value: numerator,
        weight: denominator,
      };
    });
  }

  /** One indicator's monthly series: the last n months ending with `month`, in one query. */
  async trend(id: string | Indicator, monthLabel: string, n: number, filter: Filter = {}): Promise<Figure[]> {
    return this.compute(id, previousMonths(monthLabel, n), filter);
  }

  /**
   * The scorecard for a month: every indicator (or those given) in month, year to date, rolling 12 months
   * and a trend of `trendMonths` months. One query per indicator.
   */
  async scorecard(monthLabel: string, options: Filter & { trendMonths?: number; ids?: readonly string[] } = {}): Promise<ScorecardLine[]> {
    if (!this.cache) return this.computeScorecard(monthLabel, options);
    const version = await cacheVersion(this.store);
    const key = scorecardKey(version, this.settings, monthLabel, options.team, options.trendMonths ?? 13);
    const whole = await readScorecard(this.store, key);
    if (whole) return options.ids ? options.ids.map((id) => whole.find((l) => l.indicator.id === findIndicator(id).id)!) : whole;
    // One indicator's line (the indicator page) is not worth a whole scorecard; a whole one is kept.
    if (options.ids) return this.computeScorecard(monthLabel, options);
    const lines = await this.computeScorecard(monthLabel, options);
    await writeScorecards(this.store, version, [{ key, lines }]);
    return lines;
  }

  private async computeScorecard(monthLabel: string, options: Filter & { trendMonths?: number; ids?: readonly string[] }): Promise<ScorecardLine[]> {
    const { months, n, m, list } = this.scorecardPlan(monthLabel, options);
    const lines: ScorecardLine[] = new Array(list.length);
    await this.eachIndicator(list, async (store, ind, i) => {
      const periods = scorecardPeriods(ind, months, m);
      lines[i] = scorecardLine(ind, await this.computeOn(store, ind, periods, { team: options.team }), n);
    });
    return lines;
  }

  /**
   * Every team's scorecard at once (the teams of main.teams, by name): one query per indicator grouped by
   * team instead of a whole scorecard per team, so the cost does not grow with the number of teams. Equal,
   * line for line, to scorecard(month, { team }) for each team.
   */
  async scorecardsByTeam(monthLabel: string, options: { trendMonths?: number; ids?: readonly string[] } = {}): Promise<Map<string, ScorecardLine[]>> {
    const { months, n, m, list } = this.scorecardPlan(monthLabel, options);
    const version = this.cache ? await cacheVersion(this.store) : undefined;
    const teams = (await this.store.query<{ name: string }>('SELECT DISTINCT name FROM main.teams WHERE name IS NOT NULL ORDER BY name')).map((t) => t.name);
    const byTeam = new Map<string, ScorecardLine[]>(teams.map((t) => [t, new Array(list.length)]));
    await this.eachIndicator(list, async (store, ind, i) => {
      const periods = scorecardPeriods(ind, months, m);
      const found = new Map<string, Figure>();
      for (const f of await this.computeOn(store, ind, periods, { breakdown: 'team' })) if (f.group !== null) found.set(`${f.group}\u0000${f.period}`, f);
      for (const team of teams) {
        // A team with no rows in a period has the figure of an empty filter: nothing counted.
        const figures = periods.map((p) => ({ ...(found.get(`${team}\u0000${p.label}`)
          ?? { indicator: ind.id, period: p.label, kind: p.kind, start: p.start, end: p.end, ...valueOf(ind, { num: 0, den: 0, mx: 0, population: null }) }), group: null }));
        byTeam.get(team)![i] = scorecardLine(ind, figures, n);
      }
    });
    if (this.cache && !options.ids) {
      await writeScorecards(this.store, version!, [...byTeam].map(([team, lines]) => ({ key: scorecardKey(version!, this.settings, monthLabel, team, n), lines })));
    }
    return byTeam;
  }

  private scorecardPlan(monthLabel: string, options: { trendMonths?: number; ids?: readonly string[] }) {
    const m = parsePeriod(monthLabel);
    if (m.kind !== 'month') throw new RangeError(`the scorecard is for a month (YYYY-MM), not '${monthLabel}'`);
    const n = options.trendMonths ?? 13;
    return { m, n, months: previousMonths(m, n), list: options.ids ? options.ids.map(findIndicator) : INDICATORS };
  }

  /** Runs fn for each indicator, side by side on a few connections: each query is small, so one connection leaves cores idle. */
  private async eachIndicator(list: readonly Indicator[], fn: (store: Store, ind: Indicator, i: number) => Promise<void>): Promise<void> {
    const connections = await this.connections(Math.min(SCORECARD_CONNECTIONS, list.length));
    let next = 0;
    await Promise.all(connections.map(async (store) => {
      for (let i = next++; i < list.length; i = next++) await fn(store, list[i], i);
    }));
  }

  private pool: Store[] = [];

  /** This engine's store and, beside it, forked connections to the same database (kept for reuse). */
  private async connections(count: number): Promise<Store[]> {
    while (this.pool.length < count - 1) this.pool.push(await this.store.fork());
    return [this.store, ...this.pool.slice(0, count - 1)];
  }

  /** Closes the extra connections (the store itself stays open). */
  close(): void {
    for (const s of this.pool) s.close();
    this.pool = [];
  }
}

/** Connections the scorecard spreads its indicators over (the machines have 2 cores). */
const SCORECARD_CONNECTIONS = 3;

/** The periods of a scorecard line: the trend months, then year to date and rolling 12 months for flows. */
function scorecardPeriods(ind: Indicator, months: readonly Period[], m: Period): Period[] {
  return ind.measure === 'flow' ? [...months, yearToDate(m), rolling12(m)] : [...months];
}

function scorecardLine(ind: Indicator, figures: readonly Figure[], n: number): ScorecardLine {
  const flow = ind.measure === 'flow';
  return { indicator: ind, month: figures[n - 1], ytd: flow ? figures[n] : null, rolling12: flow ? figures[n + 1] : null, trend: figures.slice(0, n) };
}

function valueOf(ind: Indicator, r: { num: number; den: number; mx: number; population: number | null }):
  { numerator: number; denominator: number | null; value: number | null } {
  if (ind.aggregate === 'max') return { numerator: r.mx, denominator: null, value: r.mx };
  switch (ind.unit) {
    case 'count':
      return { numerator: r.num, denominator: null, value: r.num };
    case 'rate':
      return { numerator: r.num, denominator: r.population, value: r.population ? (10_000 * r.num) / r.population : null };
    case 'percent':
      return { numerator: r.num, denominator: r.den, value: r.den > 0 ? (100 * r.num) / r.den : null };
    default: // averages: days, weeks, children per worker
      return { numerator: r.num, denominator: r.den, value: r.den > 0 ? r.num / r.den : null };
  }
}

/** A figure's value as a committee reads it: percentages and rates to one decimal place, averages to one, counts whole. */
export function formatValue(ind: Pick<Indicator, 'unit'>, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (ind.unit) {
    case 'count': return Math.round(value).toLocaleString('en-GB');
    case 'percent': return `${value.toFixed(1)}%`;
    case 'rate': return value.toFixed(1);
    case 'days': return `${Math.round(value)} days`;
    case 'weeks': return `${value.toFixed(1)} weeks`;
    default: return value.toFixed(1);
  }
}
