// Children looked after: how many at the period end and their rate, starts and ceases, legal status and
// placement at the period end, reviews and visits in timescale, placement stability, health, education
// plans and missing episodes. Source: DfE "Children looked after by local authorities in England: guide to
// the SSDA903 collection" (DECOM, RNE, LS, PLACE, PROV, DEC, REC, REVIEW, MIS_START) and the DfE statistical
// release "Children looked after in England including adoptions", whose definitions these follow; the Care
// Planning, Placement and Case Review (England) Regulations 2010 for reviews and visits; "Promoting the
// health of looked-after children" (2015) and "Promoting the education of looked-after children" (2018).
//
// Shared rules, stated once:
// - Short breaks are left out, as DfE leaves them out of every looked-after figure: episodes with legal
//   status V3 or V4 (an agreed series of short-term placements; V1 in returns before 2012) are dropped
//   before anything else is worked out.
// - A period of care is a run of episodes in which each episode starts (DECOM) on the day the one before
//   ended (DEC); a gap of a day or more starts a new period of care. An episode starting while the one
//   before is still open (a data fault) continues the same period.
// - A new placement is the first episode of a period of care or an episode whose reason for new episode
//   (RNE) is P, B, T or U (a change of placement, with or without a change of carer or legal status).
// - Looked after at a date = an episode open at it (started on or before it and not ended on or before
//   it), judged on the child's latest episode to start by then: a child with two open episodes (a data fault)
//   is one child, in the later episode, and an episode left without an end date is closed by the next.
import type { Indicator, Settings } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

/** SSDA903 legal statuses of short breaks, left out of every figure (DfE). */
const SHORT_BREAKS = `'V1', 'V3', 'V4'`;

/**
 * Episodes with their period of care and placement: relation `lac_care`, one row per episode, with
 * new_poc (1 on the first episode of a period of care), poc_id / poc_start / poc_end / poc_reason_ceased
 * (with poc_start_wd, the working-day index of its start, and poc_wd20, the 20th working day after it)
 * and placement_id / placement_start / placement_end (ids number periods of care and placements across
 * all children, in order, so the placement before placement_id n is n - 1). Running sums over one
 * ordering rather than windows per child: DuckDB builds a segment tree per partition, which is slow
 * for hundreds of small partitions.
 */
export const CARE = `
  lac_eps AS (
    SELECT e.child_id, e.decom, e.dec, e.rne, e.legal_status, e.category_of_need, e.placement_type,
      e.placement_provider, e.reason_ceased,
      CASE WHEN lag(e.child_id) OVER w IS DISTINCT FROM e.child_id OR lag(e.dec) OVER w < e.decom THEN 1 ELSE 0 END AS new_poc,
      CASE WHEN lead(e.child_id) OVER w = e.child_id THEN lead(e.decom) OVER w END AS next_decom
    FROM main.lac_episodes e
    WHERE e.decom IS NOT NULL AND coalesce(e.legal_status, '') NOT IN (${SHORT_BREAKS})
    WINDOW w AS (ORDER BY e.child_id, e.decom)),
  lac_numbered AS (
    SELECT *, sum(new_poc) OVER w AS poc_id,
      sum(CASE WHEN new_poc = 1 OR rne IN ('P', 'B', 'T', 'U') THEN 1 ELSE 0 END) OVER w AS placement_id
    FROM lac_eps
    WINDOW w AS (ORDER BY child_id, decom ROWS UNBOUNDED PRECEDING)),
  lac_pocs AS (
    SELECT g.*, cs.working_day_index AS poc_start_wd, cd.date AS poc_wd20
    FROM (SELECT poc_id, any_value(child_id) AS child_id, min(decom) AS poc_start, arg_max_null(dec, decom) AS poc_end,
            arg_max_null(reason_ceased, decom) AS poc_reason_ceased
          FROM lac_numbered GROUP BY poc_id) g
    LEFT JOIN calendar cs ON cs.date = g.poc_start
    LEFT JOIN calendar cd ON cd.is_working_day AND cd.working_day_index = cs.working_day_index + 20),
  lac_placements AS (
    SELECT placement_id, any_value(child_id) AS child_id, any_value(poc_id) AS poc_id, min(decom) AS placement_start,
      arg_max_null(dec, decom) AS placement_end
    FROM lac_numbered GROUP BY placement_id),
  lac_care AS (
    SELECT n.*, c.poc_start, c.poc_end, c.poc_reason_ceased, c.poc_start_wd, c.poc_wd20, pl.placement_start, pl.placement_end
    FROM lac_numbered n JOIN lac_pocs c ON c.poc_id = n.poc_id JOIN lac_placements pl ON pl.placement_id = n.placement_id)`;

// Joins of two record tables on child_id keep their date conditions free of OR (coalesce(end, 9999-12-31)
// instead of "end IS NULL OR …"): an OR in the join condition makes DuckDB loop over every pair of rows
// (England scale: one indicator 10.4 s).
/**
 * Children looked after at each period's end, in their current episode: relation `lac_at_end`. The current
 * episode is the one that started last on or before the day; the child is looked after if it is open then
 * (an earlier episode left without an end date, a data fault, does not count twice, or at all once a later
 * episode has ended).
 */
export const AT_END = `
  lac_at_end AS (
    SELECT p.period_id, p.end_date AS period_end, c.*
    FROM periods p JOIN lac_care c ON open_at(c.decom, c.dec, p.end_date)
      AND (c.next_decom IS NULL OR c.next_decom > p.end_date))`;

/** No team or worker on an SSDA903 record: the engine takes them from the allocation at the deciding date. */
const NO_TEAM = 'CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker';

/** The first day of the 12 months ending on d (d a period end): 2025-01-31 → 2024-02-01. */
const YEAR_BEFORE = (d: string): string => `add_months(CAST(${d} + 1 AS DATE), -12)`;

/**
 * codes.placementGroup in SQL (the test checks the two agree for every placement type and provider):
 * fostering split by provider, placed for adoption, residential, placed with parents, independent living.
 */
export const PLACEMENT_GROUP_SQL = (place: string, provider: string): string => `CASE
  WHEN ${place} IS NULL OR ${place} = '' THEN 'Unknown'
  WHEN ${place} LIKE 'U%' THEN CASE WHEN ${provider} IN ('PR4', 'PR5') THEN 'Independent fostering agency' ELSE 'In-house fostering' END
  WHEN ${place} LIKE 'A%' THEN 'Placed for adoption'
  WHEN ${place} IN ('K1', 'K2', 'R1', 'S1') THEN 'Residential'
  WHEN ${place} = 'P1' THEN 'Placed with parents'
  WHEN ${place} IN ('H5', 'P2', 'K3') THEN 'Independent and semi-independent living'
  ELSE 'Other' END`;

const SSDA903 = 'DfE SSDA903 guide: episodes (DECOM, RNE, LS, PLACE, PROV, DEC, REC)';
const CLA_STATS = 'DfE Children looked after in England including adoptions (statistical release definitions)';

const AT_END_DETAILS = [
  { name: 'care_started', label: 'Period of care started' },
  { name: 'legal_status', label: 'Legal status' },
  { name: 'placement_type', label: 'Placement' },
  { name: 'placement_provider', label: 'Provider' },
] as const;

/** A share of the children looked after at the period end: numerator where `condition` holds. */
function shareAtEnd(o: {
  name: string; title: string; definition: string; source: string; condition: string; numeratorLabel: string;
}): Indicator {
  return {
    id: `children_in_care.${o.name}`,
    title: o.title,
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'neither',
    measure: 'stock',
    definition: o.definition,
    source: o.source,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...AT_END_DETAILS, { name: 'episode_started', label: 'Current episode started' }],
    numeratorLabel: o.numeratorLabel,
    denominatorLabel: 'children looked after',
    sql: () => `
      WITH ${CARE}, ${AT_END}
      SELECT period_id, child_id, CASE WHEN ${o.condition} THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        period_end AS at_date, ${NO_TEAM}, poc_start AS care_started, legal_status, placement_type,
        placement_provider, decom AS episode_started
      FROM lac_at_end`,
  };
}

const LOOKED_AFTER_SQL = () => `
  WITH ${CARE}, ${AT_END}
  SELECT period_id, child_id, 1 AS numerator, 0 AS denominator, period_end AS at_date, ${NO_TEAM},
    poc_start AS care_started, legal_status, placement_type, placement_provider
  FROM lac_at_end`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'children_in_care.looked_after',
    title: 'Children looked after',
    theme: 'children_in_care',
    unit: 'count',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children looked after at the end of the period: an SSDA903 episode started on or before that day and not ended on or before it. Each child counts once. Children looked after only under an agreed series of short breaks (legal status V3 or V4) are left out, as in DfE\'s figures.',
    source: `${SSDA903}; ${CLA_STATS}: children looked after at 31 March`,
    breakdowns: COMMON_BREAKDOWNS,
    details: AT_END_DETAILS,
    numeratorLabel: 'children looked after',
    sql: LOOKED_AFTER_SQL,
  },
  {
    id: 'children_in_care.looked_after_rate',
    title: 'Children looked after per 10,000 children',
    theme: 'children_in_care',
    unit: 'rate',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children looked after at the end of the period (short breaks left out) per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end).',
    source: `${SSDA903}; ${CLA_STATS}: rate per 10,000 children; ONS mid-year population estimates`,
    breakdowns: ['age_band', 'sex'],
    details: AT_END_DETAILS,
    numeratorLabel: 'children looked after',
    denominatorLabel: 'children aged 0–17',
    sql: LOOKED_AFTER_SQL,
  },
  {
    id: 'children_in_care.started',
    title: 'Children who started to be looked after',
    theme: 'children_in_care',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Children who started a new period of care in the period (the first episode of a run of episodes with no gap between them). A child who started twice in the period counts once, on the first start, as DfE counts. A change of placement or legal status within a period of care is not a start; a return to care a day or more after leaving is.',
    source: `${SSDA903}; ${CLA_STATS}: children who started to be looked after during the year`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Started to be looked after' },
      { name: 'legal_status', label: 'Legal status at start' },
      { name: 'category_of_need', label: 'Category of need' },
      { name: 'starts_in_period', label: 'Starts in period' },
    ],
    numeratorLabel: 'children who started to be looked after',
    sql: () => `
      WITH ${CARE}
      SELECT p.period_id, c.child_id, 1 AS numerator, 0 AS denominator, min(c.decom) AS at_date, ${NO_TEAM},
        min(c.decom) AS care_started, arg_min(c.legal_status, c.decom) AS legal_status,
        arg_min(c.category_of_need, c.decom) AS category_of_need, count(*) AS starts_in_period
      FROM periods p JOIN lac_care c ON c.new_poc = 1 AND c.decom BETWEEN p.start_date AND p.end_date
      GROUP BY p.period_id, c.child_id`,
  },
  {
    id: 'children_in_care.ceased',
    title: 'Children who ceased to be looked after',
    theme: 'children_in_care',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Children whose period of care ended in the period (the last episode of the period of care ended, DEC, with no new episode starting that day). A child who left care twice in the period counts once, on the last occasion, as DfE counts; the reason shown is the reason that period of care ended.',
    source: `${SSDA903}; ${CLA_STATS}: children who ceased to be looked after during the year`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'care_ceased', label: 'Ceased to be looked after' },
      { name: 'reason_ceased', label: 'Reason ceased' },
    ],
    numeratorLabel: 'children who ceased to be looked after',
    sql: () => `
      WITH ${CARE}
      SELECT p.period_id, c.child_id, 1 AS numerator, 0 AS denominator, max(c.poc_end) AS at_date, ${NO_TEAM},
        arg_max(c.poc_start, c.poc_end) AS care_started, max(c.poc_end) AS care_ceased,
        arg_max_null(c.poc_reason_ceased, c.poc_end) AS reason_ceased
      FROM periods p JOIN lac_care c ON c.new_poc = 1 AND c.poc_end BETWEEN p.start_date AND p.end_date
      GROUP BY p.period_id, c.child_id`,
  },
  shareAtEnd({
    name: 'legal_section20',
    title: 'Children looked after under section 20',
    definition: 'Of the children looked after at the end of the period, the percentage accommodated under section 20 of the Children Act 1989 (legal status V2, a single period of accommodation) in their current episode. Short breaks (V3, V4) are not counted at all.',
    source: `${SSDA903} LS = V2; ${CLA_STATS}: legal status`,
    condition: `legal_status = 'V2'`,
    numeratorLabel: 'children accommodated under section 20',
  }),
  shareAtEnd({
    name: 'legal_care_order',
    title: 'Children looked after on a care order',
    definition: 'Of the children looked after at the end of the period, the percentage on an interim or full care order (legal status C1 or C2) in their current episode.',
    source: `${SSDA903} LS = C1, C2; ${CLA_STATS}: legal status`,
    condition: `legal_status IN ('C1', 'C2')`,
    numeratorLabel: 'children on a care order',
  }),
  shareAtEnd({
    name: 'legal_placement_order',
    title: 'Children looked after on a placement order',
    definition: 'Of the children looked after at the end of the period, the percentage on a placement order (legal status E1, or a freeing order D1) in their current episode.',
    source: `${SSDA903} LS = E1, D1; ${CLA_STATS}: legal status`,
    condition: `legal_status IN ('E1', 'D1')`,
    numeratorLabel: 'children on a placement order',
  }),
  shareAtEnd({
    name: 'placed_in_house_fostering',
    title: 'Children looked after in the authority\'s own foster care',
    definition: 'Of the children looked after at the end of the period, the percentage living with foster carers (placement U1–U6, including family and friends carers) provided by the authority or another public body: any provider other than a private (PR4) or voluntary (PR5) agency.',
    source: `${SSDA903} PLACE = U1–U6, PROV other than PR4, PR5; ${CLA_STATS}: placement type and provider`,
    condition: `${PLACEMENT_GROUP_SQL('placement_type', 'placement_provider')} = 'In-house fostering'`,
    numeratorLabel: 'children in in-house foster care',
  }),
  shareAtEnd({
    name: 'placed_ifa',
    title: 'Children looked after with an independent fostering agency',
    definition: 'Of the children looked after at the end of the period, the percentage living with foster carers (placement U1–U6) provided by a private (PR4) or voluntary (PR5) agency.',
    source: `${SSDA903} PLACE = U1–U6, PROV = PR4, PR5; ${CLA_STATS}: placement type and provider`,
    condition: `${PLACEMENT_GROUP_SQL('placement_type', 'placement_provider')} = 'Independent fostering agency'`,
    numeratorLabel: 'children with an independent fostering agency',
  }),
  shareAtEnd({
    name: 'placed_residential',
    title: 'Children looked after in residential care',
    definition: 'Of the children looked after at the end of the period, the percentage living in a secure children\'s home (K1), children\'s home (K2), residential care home (R1) or residential school (S1). Supported and semi-independent accommodation (H5, K3) is not counted here.',
    source: `${SSDA903} PLACE = K1, K2, R1, S1; ${CLA_STATS}: placement type`,
    condition: `${PLACEMENT_GROUP_SQL('placement_type', 'placement_provider')} = 'Residential'`,
    numeratorLabel: 'children in residential care',
  }),
  {
    id: 'children_in_care.reviews_in_timescale',
    title: 'Looked-after reviews held in timescale',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the looked-after reviews held in the period, the percentage held in time: the first review of a period of care within 20 working days of the child starting to be looked after, the second within 3 months of the first, and each later one within 6 months of the one before (the same date 3 or 6 months on, or the month\'s last day when it has no such date). Reviews are counted within the period of care they fall in (its last day included); reviews on a date when the child was not looked after (or only on short breaks) are not counted.',
    source: 'Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33; DfE SSDA903 guide: reviews (REVIEW)',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'review_date', label: 'Review' },
      { name: 'review_number', label: 'Review number' },
      { name: 'previous_review', label: 'Previous review' },
      { name: 'due_date', label: 'Due by' },
    ],
    numeratorLabel: 'reviews in timescale',
    denominatorLabel: 'reviews held',
    sql: () => `
      WITH ${CARE},
      lac_rev AS (
        SELECT r.child_id, r.review_date, c.poc_start, c.poc_start_wd, c.poc_wd20,
          row_number() OVER w AS review_number, lag(r.review_date) OVER w AS previous_review
        FROM main.lac_reviews r
        JOIN lac_pocs c ON c.child_id = r.child_id AND r.review_date >= c.poc_start
          AND r.review_date <= coalesce(c.poc_end, DATE '9999-12-31')
        WINDOW w AS (PARTITION BY c.poc_id ORDER BY r.review_date)),
      lac_due AS (
        SELECT r.*, cr.working_day_index - r.poc_start_wd AS working_days,
          CASE WHEN r.review_number = 1 THEN r.poc_wd20
               ELSE add_months(r.previous_review, CASE WHEN r.review_number = 2 THEN 3 ELSE 6 END) END AS due_date
        FROM lac_rev r LEFT JOIN calendar cr ON cr.date = r.review_date)
      SELECT p.period_id, r.child_id,
        CASE WHEN r.review_number = 1 THEN CASE WHEN r.working_days <= 20 THEN 1 ELSE 0 END
             WHEN r.review_date <= r.due_date THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, r.review_date AS at_date, ${NO_TEAM},
        r.poc_start AS care_started, r.review_date, r.review_number, r.previous_review, r.due_date
      FROM periods p JOIN lac_due r ON r.review_date BETWEEN p.start_date AND p.end_date`,
  },
  {
    id: 'children_in_care.visits_in_timescale',
    title: 'Looked-after children visited in timescale',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children looked after at the end of the period, the percentage whose statutory visit was not overdue that day: seen by their social worker (a looked-after visit) within the local standard of days before the period end (42 days, 6 weeks, unless the authority sets another), counting only visits since the current period of care began. A child not yet visited in this period of care is in time until 7 days after coming into care (the first visit is due within a week).',
    source: 'Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28 (visits within a week of placement, then at intervals of no more than 6 weeks in the first year); local standard',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'last_visit', label: 'Last visit' },
      { name: 'due_date', label: 'Next visit due' },
    ],
    numeratorLabel: 'children visited in timescale',
    denominatorLabel: 'children looked after',
    sql: (s: Settings) => `
      WITH ${CARE}, ${AT_END},
      lac_seen AS (
        SELECT a.period_id, a.child_id, a.period_end, a.poc_start, max(v.visit_date) AS last_visit
        FROM lac_at_end a
        LEFT JOIN main.visits v ON v.child_id = a.child_id AND v.visit_type = 'LAC'
          AND v.visit_date BETWEEN a.poc_start AND a.period_end
        GROUP BY a.period_id, a.child_id, a.period_end, a.poc_start),
      lac_due AS (
        SELECT *, CAST(CASE WHEN last_visit IS NULL THEN poc_start + 7 ELSE last_visit + ${Math.trunc(s.lacVisitDays)} END AS DATE) AS due_date
        FROM lac_seen)
      SELECT period_id, child_id, CASE WHEN due_date >= period_end THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        period_end AS at_date, ${NO_TEAM}, poc_start AS care_started, last_visit, due_date
      FROM lac_due`,
  },
  {
    id: 'children_in_care.placements_3_plus',
    title: 'Children looked after with 3 or more placements in the last 12 months',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Of the children looked after at the end of the period, the percentage who had 3 or more placements during the 12 months ending that day. The placement the child was in at the start of the 12 months counts, and so does each new placement after it (an episode starting a period of care or recording a change of placement, reason for new episode P, B, T or U); changes of legal status alone do not. A placement left on the first day of the 12 months is not counted.',
    source: `${SSDA903} (RNE); ${CLA_STATS}: placement stability, children with 3 or more placements during the year`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'placements', label: 'Placements in 12 months' },
      { name: 'first_placement_started', label: 'Earliest placement counted began' },
      { name: 'placement_started', label: 'Current placement began' },
    ],
    numeratorLabel: 'children with 3 or more placements',
    denominatorLabel: 'children looked after',
    sql: () => `
      WITH ${CARE}, ${AT_END}
      SELECT a.period_id, a.child_id, CASE WHEN count(*) >= 3 THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        a.period_end AS at_date, ${NO_TEAM}, a.poc_start AS care_started, count(*) AS placements,
        min(pl.placement_start) AS first_placement_started, a.placement_start AS placement_started
      FROM lac_at_end a
      JOIN lac_placements pl ON pl.child_id = a.child_id AND pl.placement_start <= a.period_end
        AND coalesce(pl.placement_end, DATE '9999-12-31') > ${YEAR_BEFORE('a.period_end')}
      GROUP BY a.period_id, a.child_id, a.period_end, a.poc_start, a.placement_start`,
  },
  {
    id: 'children_in_care.long_term_stability',
    title: 'Long-term placement stability',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children aged under 16 at the end of the period who had been looked after continuously for 2½ years or more (the period end on or after the same date 30 months after they came into care), the percentage who had lived in the same placement for 2 years or more, or who are placed for adoption and whose adoptive placement together with the placement before it has lasted 2 years or more. A child who turns 16 on the period end is not counted; nor is a child whose date of birth is not known.',
    source: `${SSDA903}; ${CLA_STATS}: long-term stability (former NI 63); DfE SSDA903 guide`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'placement_started', label: 'Current placement began' },
      { name: 'placement_type', label: 'Placement' },
      { name: 'stable_since', label: 'Stable since' },
    ],
    numeratorLabel: 'children in the same placement 2 years or more',
    denominatorLabel: 'children under 16 looked after 2½ years or more',
    sql: () => `
      WITH ${CARE}, ${AT_END},
      lac_stable AS (
        SELECT a.period_id, a.child_id, a.period_end, a.poc_start, a.placement_start, a.placement_type,
          CASE WHEN a.placement_type IN ('A3', 'A4', 'A5', 'A6') THEN coalesce(prev.placement_start, a.placement_start)
               ELSE a.placement_start END AS stable_since
        FROM lac_at_end a
        JOIN main.children ch ON ch.child_id = a.child_id
        LEFT JOIN lac_placements prev ON prev.placement_id = a.placement_id - 1 AND prev.poc_id = a.poc_id
        WHERE age_years(ch.dob, a.period_end) < 16 AND a.period_end >= add_months(a.poc_start, 30))
      SELECT period_id, child_id, CASE WHEN period_end >= add_years(stable_since, 2) THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, period_end AS at_date, ${NO_TEAM}, poc_start AS care_started, placement_start AS placement_started,
        placement_type, stable_since
      FROM lac_stable`,
  },
  {
    id: 'children_in_care.initial_health_assessment_20wd',
    title: 'Initial health assessments within 20 working days',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the children whose initial health assessment fell due in the period (the 20th working day after they started a period of care), the percentage who had it within 20 working days of coming into care. A child who left care on or before the due day is not counted. Each period of care needs its own assessment; assessments dated before the child came into care do not count.',
    source: 'DfE and DHSC Promoting the health of looked-after children (2015): initial health assessment in time for the first review (20 working days); Care Planning Regulations 2010, regulation 7',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Started to be looked after' },
      { name: 'due_date', label: 'Due by' },
      { name: 'assessment_date', label: 'Initial health assessment' },
      { name: 'working_days', label: 'Working days' },
    ],
    numeratorLabel: 'initial health assessments in time',
    denominatorLabel: 'initial health assessments due',
    sql: () => `
      WITH ${CARE},
      lac_due AS (
        SELECT p.period_id, c.child_id, c.poc_id, c.poc_start, c.poc_end, c.poc_start_wd, c.poc_wd20 AS due_date
        FROM periods p JOIN lac_pocs c ON c.poc_wd20 BETWEEN p.start_date AND p.end_date
        WHERE c.poc_end IS NULL OR c.poc_end > c.poc_wd20),
      lac_iha AS (
        SELECT d.period_id, d.child_id, d.poc_start, d.poc_start_wd, d.due_date, min(x.assessment_date) AS assessment_date
        FROM lac_due d
        LEFT JOIN main.health_assessments x ON x.child_id = d.child_id AND x.kind = 'initial'
          AND x.assessment_date >= d.poc_start AND x.assessment_date <= coalesce(d.poc_end, DATE '9999-12-31')
        GROUP BY d.period_id, d.child_id, d.poc_id, d.poc_start, d.poc_start_wd, d.due_date)
      SELECT h.period_id, h.child_id,
        CASE WHEN ca.working_day_index - h.poc_start_wd <= 20 THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        h.due_date AS at_date, ${NO_TEAM}, h.poc_start AS care_started, h.due_date, h.assessment_date,
        ca.working_day_index - h.poc_start_wd AS working_days
      FROM lac_iha h LEFT JOIN calendar ca ON ca.date = h.assessment_date`,
  },
  {
    id: 'children_in_care.health_assessments_up_to_date',
    title: 'Health assessments up to date',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children looked after continuously for 12 months or more at the end of the period, the percentage who had a health assessment (initial or review) in the 12 months ending that day; for children under 5 at the period end, in the last 6 months, because their assessments are due every 6 months. A child whose date of birth is not known is held to the 12-month rule.',
    source: 'DfE SSDA903 guide: OC2 HEALTH_CHECK and HEALTH_ASSESSMENT (children looked after 12 months or more); Promoting the health of looked-after children (2015): reviews every 6 months under 5, yearly from 5',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'last_assessment', label: 'Last health assessment' },
      { name: 'due_date', label: 'Next due' },
    ],
    numeratorLabel: 'children with health assessments up to date',
    denominatorLabel: 'children looked after 12 months or more',
    sql: () => `
      WITH ${CARE}, ${AT_END},
      lac_last AS (
        SELECT a.period_id, a.child_id, a.period_end, a.poc_start, max(h.assessment_date) AS last_assessment,
          CASE WHEN age_years(any_value(ch.dob), a.period_end) < 5 THEN 6 ELSE 12 END AS months
        FROM lac_at_end a
        LEFT JOIN main.health_assessments h ON h.child_id = a.child_id AND h.kind IN ('initial', 'review')
          AND h.assessment_date BETWEEN a.poc_start AND a.period_end
        LEFT JOIN main.children ch ON ch.child_id = a.child_id
        WHERE a.period_end >= add_years(a.poc_start, 1)
        GROUP BY a.period_id, a.child_id, a.period_end, a.poc_start)
      SELECT period_id, child_id,
        CASE WHEN last_assessment >= add_months(CAST(period_end + 1 AS DATE), -months) THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, period_end AS at_date, ${NO_TEAM}, poc_start AS care_started, last_assessment,
        add_months(last_assessment, months) AS due_date
      FROM lac_last`,
  },
  {
    id: 'children_in_care.dental_checks_up_to_date',
    title: 'Dental checks up to date',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children looked after continuously for 12 months or more at the end of the period, the percentage who had their teeth checked by a dentist in the 12 months ending that day (all ages, as DfE counts).',
    source: 'DfE SSDA903 guide: OC2 TEETH_CHECK (children looked after 12 months or more); DfE Outcomes for children looked after',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'last_check', label: 'Last dental check' },
    ],
    numeratorLabel: 'children with dental checks up to date',
    denominatorLabel: 'children looked after 12 months or more',
    sql: () => `
      WITH ${CARE}, ${AT_END}
      SELECT a.period_id, a.child_id,
        CASE WHEN max(d.assessment_date) >= ${YEAR_BEFORE('a.period_end')} THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        a.period_end AS at_date, ${NO_TEAM}, a.poc_start AS care_started, max(d.assessment_date) AS last_check
      FROM lac_at_end a
      LEFT JOIN main.health_assessments d ON d.child_id = a.child_id AND d.kind = 'dental'
        AND d.assessment_date BETWEEN a.poc_start AND a.period_end
      WHERE a.period_end >= add_years(a.poc_start, 1)
      GROUP BY a.period_id, a.child_id, a.period_end, a.poc_start`,
  },
  {
    id: 'children_in_care.peps_up_to_date',
    title: 'Personal education plans up to date',
    theme: 'children_in_care',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children of school age (5 to 15 at the end of the period) looked after at the period end, the percentage whose personal education plan was not overdue that day: a PEP in the current period of care within the local standard of months before the period end (6 unless the authority sets another), or, for a child without one yet, fewer than 20 working days since coming into care (a PEP is due by then, before the first review).',
    source: 'DfE Promoting the education of looked-after children and previously looked-after children (2018); Care Planning Regulations 2010, schedule 1 (the PEP is part of the care plan); local standard for how often it is reviewed',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'care_started', label: 'Period of care started' },
      { name: 'last_pep', label: 'Last PEP' },
      { name: 'due_date', label: 'Next PEP due' },
    ],
    numeratorLabel: 'children with a PEP up to date',
    denominatorLabel: 'looked-after children aged 5 to 15',
    sql: (s: Settings) => `
      WITH ${CARE}, ${AT_END},
      lac_pep AS (
        SELECT a.period_id, a.child_id, a.period_end, a.poc_start, a.poc_wd20, max(pp.pep_date) AS last_pep
        FROM lac_at_end a
        JOIN main.children ch ON ch.child_id = a.child_id
        LEFT JOIN main.peps pp ON pp.child_id = a.child_id AND pp.pep_date BETWEEN a.poc_start AND a.period_end
        WHERE age_years(ch.dob, a.period_end) BETWEEN 5 AND 15
        GROUP BY a.period_id, a.child_id, a.period_end, a.poc_start, a.poc_wd20),
      lac_due AS (
        SELECT *, CASE WHEN last_pep IS NULL THEN poc_wd20 ELSE add_months(last_pep, ${Math.trunc(s.pepMonths)}) END AS due_date
        FROM lac_pep)
      SELECT period_id, child_id, CASE WHEN due_date >= period_end THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        period_end AS at_date, ${NO_TEAM}, poc_start AS care_started, last_pep, due_date
      FROM lac_due`,
  },
  {
    id: 'children_in_care.missing_episodes',
    title: 'Missing episodes of looked-after children',
    theme: 'children_in_care',
    unit: 'count',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Episodes of a looked-after child going missing from their placement that started in the period (SSDA903 missing type M, or type not recorded). Absences recorded as away from placement without authorisation (type A) are not counted, as DfE reports them separately.',
    source: 'DfE SSDA903 guide: missing (MISSING, MIS_START, MIS_END); DfE Children looked after in England: missing incidents; Statutory guidance on children who run away or go missing from home or care (2014)',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'missing_started', label: 'Went missing' },
      { name: 'missing_ended', label: 'Returned' },
    ],
    numeratorLabel: 'missing episodes',
    sql: () => `
      SELECT p.period_id, m.child_id, 1 AS numerator, 0 AS denominator, m.start_date AS at_date, ${NO_TEAM},
        m.start_date AS missing_started, m.end_date AS missing_ended
      FROM periods p JOIN main.missing_episodes m ON m.start_date BETWEEN p.start_date AND p.end_date
      WHERE coalesce(m.missing_type, 'M') = 'M'`,
  },
  {
    id: 'children_in_care.children_missing',
    title: 'Looked-after children who went missing',
    theme: 'children_in_care',
    unit: 'count',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Looked-after children with at least one missing episode (type M, or type not recorded) starting in the period. Each child counts once, however many times they went missing.',
    source: 'DfE SSDA903 guide: missing (MISSING, MIS_START); DfE Children looked after in England: children who had a missing incident',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'first_missing', label: 'First went missing' },
      { name: 'missing_episodes', label: 'Missing episodes' },
    ],
    numeratorLabel: 'children who went missing',
    sql: () => `
      SELECT p.period_id, m.child_id, 1 AS numerator, 0 AS denominator, min(m.start_date) AS at_date, ${NO_TEAM},
        min(m.start_date) AS first_missing, count(*) AS missing_episodes
      FROM periods p JOIN main.missing_episodes m ON m.start_date BETWEEN p.start_date AND p.end_date
      WHERE coalesce(m.missing_type, 'M') = 'M'
      GROUP BY p.period_id, m.child_id`,
  },
];
