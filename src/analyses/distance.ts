// Placement distance: how far from home children looked after at a period's end are placed, and whether
// inside the authority. Indicators in the engine's unit-row shape, so figures, trends, breakdowns, the
// children behind them and targets (RAG) work as for every other indicator.
//
// Rules, stated once:
// - Children looked after at the period's end, in their current episode (as children_in_care.looked_after).
// - Distance: the straight line between the centroids of the home postcode (HOME_POST) and the placement
//   postcode (PL_POST) of the current episode, from the imported ONS postcode centroid file (reference.ts),
//   by the haversine formula on a sphere of radius 3,958.8 miles (the Earth's mean radius, 6,371.0 km), in
//   miles — as DfE's SSDA903 guide derives PL_DISTANCE from the two postcodes.
// - Children whose home or placement postcode is missing or not in the file (e.g. unaccompanied children,
//   who have no home postcode here) cannot be measured: they are left out of every denominator and listed
//   by placementDistance as not known, never silently dropped.
// - Inside the authority: the placement postcode's local authority district code is one of the authority's
//   codes. Give them (a county gives its districts' codes); by default they are the code most of the
//   children's home postcodes have, at that period end.
// - "Over 20 miles" is more than 20 miles (DfE: "placed more than 20 miles from home").
import type { Store } from '../store.ts';
import { reportingYearOf, type Period } from '../periods.ts';
import { ALLOCATIONS_CTE, allocatedSql, Engine, type Figure } from '../engine.ts';
import { CARE, AT_END, PLACEMENT_GROUP_SQL } from '../indicators/childrenInCare.ts';
import type { Indicator } from '../indicators/types.ts';
import { COMMON_BREAKDOWNS } from '../indicators/types.ts';
import { literal, prepareMacros } from '../indicators/sql.ts';
import { Targets, judge, type Judgement } from '../judge/targets.ts';
import { ensureReferenceTables, NORMALISE_POSTCODE_SQL } from './reference.ts';

/** The Earth's mean radius (IUGG), 6,371.0088 km, in miles. */
export const EARTH_RADIUS_MILES = 6371.0088 / 1.609344;

/** Great-circle distance in miles between two WGS84 points (haversine). */
export function haversineMiles(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((long2 - long1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** haversineMiles in SQL. */
/** haversineMiles in SQL; null when any coordinate is (DuckDB's least() skips nulls, so they are caught first). */
export const HAVERSINE_SQL = (lat1: string, long1: string, lat2: string, long2: string): string =>
  `CASE WHEN ${lat1} IS NULL OR ${long1} IS NULL OR ${lat2} IS NULL OR ${long2} IS NULL THEN NULL
     ELSE 2 * ${EARTH_RADIUS_MILES} * asin(least(1, sqrt(pow(sin(radians(${lat2} - ${lat1}) / 2), 2)
     + cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${long2} - ${long1}) / 2), 2)))) END`;

export interface DistanceOptions {
  /** ONS local authority district codes inside the authority; default: the commonest code of the home postcodes */
  readonly authorityCodes?: readonly string[];
}

/**
 * Children looked after at each period end with their current episode's postcodes, centroids, distance and
 * whether the placement is inside: relation `lac_distance` (needs `periods`).
 */
function distanceSql(o: DistanceOptions): string {
  const codes = o.authorityCodes && o.authorityCodes.length > 0
    ? `SELECT p.period_id, unnest([${o.authorityCodes.map(literal).join(', ')}]) AS la_code FROM periods p`
    : `SELECT period_id, la_code FROM (SELECT period_id, la_code, count(*) AS n FROM located WHERE home_known AND la_code IS NOT NULL GROUP BY ALL)
       QUALIFY row_number() OVER (PARTITION BY period_id ORDER BY n DESC, la_code) = 1`;
  return `WITH ${CARE}, ${AT_END},
    episodes AS (
      SELECT a.period_id, a.period_end, a.child_id, a.decom, a.placement_type, a.placement_provider, e.home_postcode, e.placement_postcode
      FROM lac_at_end a JOIN main.lac_episodes e ON e.child_id = a.child_id AND e.decom = a.decom),
    located AS (
      SELECT x.*, h.la_code, h.lat IS NOT NULL AS home_known, h.lat AS home_lat, h.long AS home_long,
        pl.lat AS place_lat, pl.long AS place_long, pl.la_code AS placement_la
      FROM episodes x
      LEFT JOIN postcode_centroids h ON h.postcode = ${NORMALISE_POSTCODE_SQL('x.home_postcode')}
      LEFT JOIN postcode_centroids pl ON pl.postcode = ${NORMALISE_POSTCODE_SQL('x.placement_postcode')}),
    authority AS (${codes}),
    lac_distance AS (
      SELECT l.*, ${HAVERSINE_SQL('l.home_lat', 'l.home_long', 'l.place_lat', 'l.place_long')} AS distance_miles,
        EXISTS (SELECT 1 FROM authority au WHERE au.period_id = l.period_id AND au.la_code = l.placement_la) AS inside,
        ${PLACEMENT_GROUP_SQL('l.placement_type', 'l.placement_provider')} AS placement_group,
        CASE WHEN l.home_postcode IS NULL THEN 'no home postcode' WHEN l.placement_postcode IS NULL THEN 'no placement postcode'
             WHEN l.home_lat IS NULL THEN 'home postcode not in the centroid file'
             WHEN l.place_lat IS NULL THEN 'placement postcode not in the centroid file' END AS not_known
      FROM located l)`;
}

const DETAILS = [
  { name: 'home_postcode', label: 'Home postcode' },
  { name: 'placement_postcode', label: 'Placement postcode' },
  { name: 'distance', label: 'Miles' },
  { name: 'placement_la', label: 'Placement LA' },
  { name: 'placement_group', label: 'Placement' },
] as const;

const DEFINITION_TAIL = ' Distance is the straight line between the home and placement postcode centroids (ONS Postcode Directory); ' +
  'children whose postcodes are missing or not in the centroid file are left out.';
const SOURCE = 'DfE SSDA903 guide (HOME_POST, PL_POST, PL_DISTANCE); DfE Children looked after in England (placements more than 20 miles from home)';

function share(o: DistanceOptions, name: string, title: string, condition: string, definition: string, numeratorLabel: string): Indicator {
  return {
    id: `placement_distance.${name}`,
    title,
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: definition + DEFINITION_TAIL,
    source: SOURCE,
    breakdowns: COMMON_BREAKDOWNS,
    details: DETAILS,
    numeratorLabel,
    denominatorLabel: 'children looked after with both postcodes known',
    sql: () => `${distanceSql(o)}
      SELECT period_id, child_id, CASE WHEN ${condition} THEN 1 ELSE 0 END AS numerator, 1 AS denominator, period_end AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, home_postcode, placement_postcode,
        round(distance_miles, 1) AS distance, placement_la, placement_group
      FROM lac_distance WHERE not_known IS NULL`,
  };
}

/** The placement-distance indicators, for the authority's codes. */
export function distanceIndicators(o: DistanceOptions = {}): readonly Indicator[] {
  return [
    share(o, 'outside_la', 'Children looked after placed outside the authority', 'NOT inside',
      'Children looked after at the period end whose placement postcode is outside the authority\'s boundary, as a share of those whose home and placement postcodes are known.',
      'placed outside'),
    share(o, 'over_20_miles', 'Children looked after placed more than 20 miles from home', 'distance_miles > 20',
      'Children looked after at the period end placed more than 20 miles from their home postcode.', 'placed over 20 miles away'),
    share(o, 'outside_over_20_miles', 'Children looked after placed outside the authority and more than 20 miles from home', 'NOT inside AND distance_miles > 20',
      'Children looked after at the period end placed outside the authority\'s boundary and more than 20 miles from home (DfE\'s headline measure).',
      'placed outside and over 20 miles away'),
    {
      id: 'placement_distance.average_miles',
      title: 'Average distance from home of children looked after (miles)',
      theme: 'children_in_care',
      unit: 'average',
      polarity: 'lower',
      measure: 'stock',
      definition: 'The average, over children looked after at the period end, of the miles between their home and placement postcodes.' + DEFINITION_TAIL,
      source: SOURCE,
      breakdowns: COMMON_BREAKDOWNS,
      details: DETAILS,
      numeratorLabel: 'miles',
      denominatorLabel: 'children looked after with both postcodes known',
      sql: () => `${distanceSql(o)}
        SELECT period_id, child_id, distance_miles AS numerator, 1 AS denominator, period_end AS at_date,
          CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, home_postcode, placement_postcode,
          round(distance_miles, 1) AS distance, placement_la, placement_group
        FROM lac_distance WHERE not_known IS NULL`,
    },
  ];
}

export interface DistanceFigure {
  readonly indicator: Indicator;
  readonly figure: Figure;
  readonly judgement: Judgement;
  /** the months to the period end, oldest first */
  readonly trend: readonly Figure[];
}

export interface PlacementDistance {
  readonly period: string;
  readonly authorityCodes: readonly string[];
  readonly figures: readonly DistanceFigure[];
  /** every child looked after at the period end, measured or not (with the reason) */
  readonly children: readonly PlacementDistanceChild[];
}

export interface PlacementDistanceChild {
  readonly child_id: string;
  /** the allocation open at the period end */
  readonly team: string | null;
  readonly worker: string | null;
  readonly placement_group: string;
  readonly home_postcode: string | null;
  readonly placement_postcode: string | null;
  readonly placement_la: string | null;
  readonly distance_miles: number | null;
  readonly inside: boolean | null;
  readonly not_known: string | null;
}

/** The indicators at a period end, with targets judged and a trend, and every child behind them. */
export async function placementDistance(store: Store, period: Period, o: DistanceOptions & { trend?: readonly Period[] } = {}): Promise<PlacementDistance> {
  await prepareMacros(store);
  await ensureReferenceTables(store);
  const engine = new Engine(store);
  const targets = await Targets.load(store);
  const year = Number(reportingYearOf(period.end).start.slice(0, 4));
  const figures: DistanceFigure[] = [];
  for (const ind of distanceIndicators(o)) {
    const trend = o.trend ? await engine.compute(ind, o.trend) : [];
    const [figure] = await engine.compute(ind, [period]);
    figures.push({ indicator: ind, figure, trend, judgement: judge(ind, figure.value, targets.for(ind.id, year)) });
  }
  const periods = `periods(period_id, label, start_date, end_date) AS (VALUES (0, ${literal(period.label)}, DATE '${period.start}', DATE '${period.end}'))`;
  const sql = distanceSql(o).replace(/^WITH /, `WITH ${periods}, `);
  const children = await store.query<PlacementDistanceChild>(`${sql},
    measured AS (SELECT *, period_end AS at_date FROM lac_distance),
    ${ALLOCATIONS_CTE},
    placed AS (${allocatedSql('measured')})
    SELECT child_id, alloc_team AS team, alloc_worker AS worker, placement_group, home_postcode, placement_postcode, placement_la,
      round(distance_miles, 1) AS distance_miles, CASE WHEN placement_la IS NOT NULL THEN inside END AS inside, not_known
    FROM placed ORDER BY not_known NULLS FIRST, distance_miles DESC NULLS LAST, child_id`);
  const codes = await store.query<{ la_code: string }>(`${sql} SELECT DISTINCT la_code FROM authority WHERE la_code IS NOT NULL ORDER BY la_code`);
  return { period: period.label, authorityCodes: codes.map((c) => c.la_code), figures, children };
}
