// Disproportionality: at each stage of children's social care, how the children there compare with the
// child population, group by group, for ethnic group, sex, age band and disability.
//
// Stages for a period: children with a contact received in it, a referral, a Section 47 enquiry started,
// a CP plan started (flows: each child once, at their first such event in the period); children looked
// after at the period's end, and those looked after in each placement group (stocks). Short breaks are
// left out of looked after, as in every looked-after figure.
//
// For a group g on a dimension (e.g. Black or Black British, on ethnicity), with a = children of g at the
// stage, n1 = children of g in the population, c = the stage's children in the other groups and
// n2 = the rest of the population:
//   rate         a / n1 per 10,000 children of the group (and c / n2 for the rest)
//   rate ratio   RR = (a / n1) / (c / n2): how many times as likely a child of g is to be at the stage as
//                any other child (1 = represented in proportion)
//   95% CI       exp(ln RR ± 1.96 × √(1/a − 1/n1 + 1/c − 1/n2)): the log (Katz) interval for a ratio of
//                two proportions. Chosen because the children at a stage are a subset of each group's
//                children (two binomial proportions), the interval is closed-form, reproducible by hand and
//                in SQL, and stays inside (0, ∞); it is not defined when a or c is 0 (no ratio is shown).
//   flag         'over' when the whole interval is above 1, 'under' when it is below 1, else 'within'
//                (no significant difference at the 5% level; small groups are rarely flagged).
// Also shown: the group's share of the stage and of the population (their quotient is the
// "disproportionality index" some authorities publish).
// Who counts: children whose group on the dimension is known and is one the population has, and (for
// every dimension, since the population is of children aged 0–17) aged 0 to 17 at the stage's date;
// the others are counted as excluded, per stage and dimension, so nothing is silently dropped.
// Population: group_population (reference.ts), the latest year whose mid-year (30 June) is on or before
// the period's end (the earliest year if none is), plus rows with no year. Each dimension uses the rows
// that give it: a row with no age band counts in the ethnic group, sex and disability totals only.
import type { Store } from '../store.ts';
import type { Period } from '../periods.ts';
import { prepareMacros, literal } from '../indicators/sql.ts';
import { PLACEMENT_GROUP_SQL } from '../indicators/childrenInCare.ts';
import { ensureReferenceTables } from './reference.ts';

export const DIMENSIONS = ['ethnicity', 'sex', 'age_band', 'disability'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** z for a two-sided 95% interval */
const Z95 = 1.959964;

export interface DisproportionalityRow {
  readonly stage: string;
  readonly dimension: Dimension;
  readonly group: string;
  readonly children: number;
  readonly stageChildren: number;
  readonly population: number;
  readonly populationTotal: number;
  readonly ratePer10k: number;
  readonly restRatePer10k: number | null;
  readonly ratio: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly flag: 'over' | 'under' | 'within' | 'no ratio';
  readonly shareOfStage: number | null;
  readonly shareOfPopulation: number;
}

export interface Disproportionality {
  readonly period: string;
  readonly populationYear: number | null;
  readonly rows: readonly DisproportionalityRow[];
  /** children at each stage left out of a dimension (group unknown or not in the population, or not aged 0–17) */
  readonly excluded: readonly { stage: string; dimension: Dimension; children: number }[];
  /** dimensions the population does not give (no ratio can be worked out for them) */
  readonly missingDimensions: readonly Dimension[];
}

const SHORT_BREAKS = `'V1', 'V3', 'V4'`;

/** One row per stage and child with the date the child's age is taken at: relation `stage_children`. */
function stageSql(p: Period): string {
  const inP = (col: string) => `${col} BETWEEN DATE '${p.start}' AND DATE '${p.end}'`;
  return `
    lac_now AS (
      SELECT e.child_id, arg_max(${PLACEMENT_GROUP_SQL('e.placement_type', 'e.placement_provider')}, e.decom) AS placement_group
      FROM main.lac_episodes e
      WHERE open_at(e.decom, e.dec, DATE '${p.end}') AND coalesce(e.legal_status, '') NOT IN (${SHORT_BREAKS})
      GROUP BY e.child_id),
    stage_children AS (
      SELECT 'Contact' AS stage, child_id, CAST(min(received_at) AS DATE) AS at_date FROM main.contacts
        WHERE ${inP('CAST(received_at AS DATE)')} GROUP BY child_id
      UNION ALL SELECT 'Referral', child_id, min(referral_date) FROM main.referrals WHERE ${inP('referral_date')} GROUP BY child_id
      UNION ALL SELECT 'Section 47 enquiry', child_id, min(start_date) FROM main.section47 WHERE ${inP('start_date')} GROUP BY child_id
      UNION ALL SELECT 'CP plan started', child_id, min(start_date) FROM main.cp_plans WHERE ${inP('start_date')} GROUP BY child_id
      UNION ALL SELECT 'Looked after', child_id, DATE '${p.end}' FROM lac_now
      UNION ALL SELECT 'Looked after: ' || placement_group, child_id, DATE '${p.end}' FROM lac_now)`;
}

const GROUP_OF: Record<Dimension, string> = {
  ethnicity: `CASE WHEN ethnic_group(c.ethnicity) = 'Refused or not obtained' THEN NULL ELSE ethnic_group(c.ethnicity) END`,
  sex: `CASE c.sex WHEN 'M' THEN 'Male' WHEN 'F' THEN 'Female' END`,
  age_band: `CASE WHEN age_band(c.dob, s.at_date) IN ('Unborn', 'Unknown') THEN NULL ELSE age_band(c.dob, s.at_date) END`,
  disability: `CASE WHEN c.disabled THEN 'Disabled' WHEN NOT c.disabled THEN 'Not disabled' END`,
};
const POP_COLUMN: Record<Dimension, string> = { ethnicity: 'ethnic_group', sex: 'sex', age_band: 'age_band', disability: 'disabled' };

function baseSql(p: Period): string {
  return `WITH years AS (SELECT DISTINCT year FROM group_population WHERE year IS NOT NULL),
    pop_year AS (SELECT coalesce(max(year) FILTER (WHERE make_date(year, 6, 30) <= DATE '${p.end}'), min(year)) AS year FROM years),
    gp AS (SELECT g.* FROM group_population g, pop_year y WHERE g.year IS NULL OR g.year = y.year),
    pop AS (${DIMENSIONS.map((d) => `SELECT '${d}' AS dimension, ${POP_COLUMN[d]} AS grp, sum(count) AS population FROM gp WHERE ${POP_COLUMN[d]} IS NOT NULL GROUP BY ALL`).join(' UNION ALL ')}),
    pop_total AS (SELECT dimension, sum(population) AS total FROM pop GROUP BY dimension),
    ${stageSql(p)},
    classified AS (
      ${DIMENSIONS.map((d) => `SELECT s.stage, s.child_id, s.at_date, '${d}' AS dimension, ${GROUP_OF[d]} AS grp,
          c.dob IS NOT NULL AND age_years(c.dob, s.at_date) BETWEEN 0 AND 17 AS aged_0_17
        FROM stage_children s LEFT JOIN main.children c ON c.child_id = s.child_id`).join(' UNION ALL ')}),
    counted AS (
      SELECT k.*, (k.aged_0_17 AND po.grp IS NOT NULL) AS included
      FROM classified k LEFT JOIN pop po ON po.dimension = k.dimension AND po.grp = k.grp)`;
}

/** Representation of every group at every stage, with rate ratios, 95% intervals and flags. */
export async function disproportionality(store: Store, period: Period): Promise<Disproportionality> {
  await prepareMacros(store);
  await ensureReferenceTables(store);
  const base = baseSql(period);
  const rows = await store.query<DisproportionalityRow & { dimension: Dimension }>(`${base},
    stages AS (SELECT DISTINCT stage FROM stage_children),
    stage_totals AS (SELECT stage, dimension, count(*) AS n FROM counted WHERE included GROUP BY ALL),
    group_counts AS (SELECT stage, dimension, grp, count(*) AS a FROM counted WHERE included GROUP BY ALL),
    cells AS (
      SELECT s.stage, po.dimension, po.grp, coalesce(g.a, 0)::DOUBLE AS a, coalesce(t.n, 0)::DOUBLE AS n,
        po.population::DOUBLE AS n1, pt.total::DOUBLE AS p
      FROM stages s CROSS JOIN pop po JOIN pop_total pt ON pt.dimension = po.dimension
      LEFT JOIN group_counts g ON g.stage = s.stage AND g.dimension = po.dimension AND g.grp = po.grp
      LEFT JOIN stage_totals t ON t.stage = s.stage AND t.dimension = po.dimension),
    ratios AS (
      SELECT *, n - a AS c, p - n1 AS n2,
        CASE WHEN a > 0 AND n - a > 0 AND n1 > 0 AND p - n1 > 0 THEN (a / n1) / ((n - a) / (p - n1)) END AS rr,
        CASE WHEN a > 0 AND n - a > 0 AND n1 > 0 AND p - n1 > 0 THEN sqrt(1 / a - 1 / n1 + 1 / (n - a) - 1 / (p - n1)) END AS se
      FROM cells)
    SELECT stage, dimension, grp AS "group", a::INTEGER AS children, n::INTEGER AS "stageChildren", n1::INTEGER AS population,
      p::INTEGER AS "populationTotal", CASE WHEN n1 > 0 THEN 10000 * a / n1 END AS "ratePer10k",
      CASE WHEN n2 > 0 THEN 10000 * c / n2 END AS "restRatePer10k", rr AS ratio,
      exp(ln(rr) - ${Z95} * se) AS lower, exp(ln(rr) + ${Z95} * se) AS upper,
      CASE WHEN rr IS NULL THEN 'no ratio' WHEN exp(ln(rr) - ${Z95} * se) > 1 THEN 'over'
           WHEN exp(ln(rr) + ${Z95} * se) < 1 THEN 'under' ELSE 'within' END AS flag,
      CASE WHEN n > 0 THEN a / n END AS "shareOfStage", n1 / p AS "shareOfPopulation"
    FROM ratios
    ORDER BY CASE WHEN stage LIKE 'Looked after:%' THEN 1 ELSE 0 END,
      list_position(['Contact', 'Referral', 'Section 47 enquiry', 'CP plan started', 'Looked after'], stage), stage,
      list_position(['ethnicity', 'sex', 'age_band', 'disability'], dimension), "group"`);
  const excluded = await store.query<{ stage: string; dimension: Dimension; children: number }>(`${base}
    SELECT stage, dimension, count(*)::INTEGER AS children FROM counted WHERE NOT included GROUP BY ALL ORDER BY stage, dimension`);
  const present = await store.query<{ dimension: Dimension }>(`${base} SELECT DISTINCT dimension FROM pop`);
  const [year] = await store.query<{ year: number | null }>(`${base} SELECT year FROM pop_year`);
  const have = new Set(present.map((r) => r.dimension));
  return {
    period: period.label,
    populationYear: year?.year ?? null,
    rows,
    excluded,
    missingDimensions: DIMENSIONS.filter((d) => !have.has(d)),
  };
}

/** The children of one group at one stage (those counted in its figure). */
export async function disproportionalityChildren(store: Store, period: Period, stage: string, dimension: Dimension, group: string):
  Promise<{ child_id: string; at_date: string; group: string }[]> {
  await prepareMacros(store);
  await ensureReferenceTables(store);
  if (!DIMENSIONS.includes(dimension)) throw new RangeError(`no dimension '${dimension}': ${DIMENSIONS.join(', ')}`);
  return store.query(`${baseSql(period)}
    SELECT child_id, at_date, grp AS "group" FROM counted
    WHERE included AND stage = ${literal(stage)} AND dimension = ${literal(dimension)} AND grp = ${literal(group)}
    ORDER BY child_id`);
}
