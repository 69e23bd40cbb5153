// Permanence: adoptions and special guardianship orders, the adoption scorecard timeliness measures A1,
// A2 and A10 (3-year averages), children with a placement order waiting to be placed, and adoption
// decisions reversed. Sources: SSDA903 guidance (episodes: DECOM, RNE, LS, PLACE, DEC, REC; AD1: DATE_INT,
// DATE_MATCH, FOSTER_CARE; placed for adoption: DATE_PLACED, DATE_PLACED_CEASED), Ofsted Annex A List 10,
// and the DfE adoption scorecard definitions:
//   A1  average time between a child entering care and moving in with its adoptive family, for children
//       who have been adopted (days);
//   A2  average time between the local authority receiving court authority to place a child (the placement
//       order) and deciding on a match to an adoptive family (days);
//   A10 A1 adjusted for foster carer adoptions: for a child adopted by their foster carers the clock stops
//       on the day the child moved in with those carers, not the day the placement became an adoption one.
// (DfE adoption scorecards, 2012 onwards, 3-year averages; A10 added 2012-13 and kept in the Adoption and
// Special Guardianship Leadership Board data when A1 was withdrawn in 2021-22: see e.g.
// https://docplayer.net/amp/20077661-Analysis-of-adoption-scorecard-information-2011-2014.html and
// https://www.coram.org.uk/resource/local-level-asglb-data-q3-2020-21/.)
//
// Dates come from the SSDA903 episodes first, as DfE derives them, and from the adoption record (AD1,
// Annex A List 10) when the episodes do not have them:
//   entering care      the start of the period of care that ended in adoption: the first episode of an
//                      unbroken run of episodes (each starting the day the one before it ceased); unknown
//                      when that first episode held is not a start of care (RNE S), i.e. the period of care
//                      began before the earliest return loaded;
//   placement order    the first episode of that period of care to begin legal status E1 (RNE S, L, T or U),
//                      else the recorded date;
//   moved in           the start of the adoption placement (A3–A6) the child was adopted from, else the
//                      recorded date placed for adoption;
//   moved in with the  (A10, foster carer adoptions: FOSTER_CARE = 1 or placement A3/A5 "with current foster
//   foster carers       carer") the start of the placement with the carers the child was with just before
//                      the adoption placement; episodes changing only legal status (RNE L), or placement but
//                      not carer (RNE B, U), continue a placement with the same carers.
import type { Indicator, Detail } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const SSDA903 = 'SSDA903 guidance: episodes (DECOM, RNE, LS, PLACE, DEC, REC)';
const SCORECARD = 'DfE adoption scorecard (A1, A2, A10; 3-year averages); Adoption and Special Guardianship Leadership Board adoption data';
const ANNEX_A = 'Ofsted Annex A List 10';
const ADOPTED = `('E11', 'E12')`;
const SPECIAL_GUARDIANSHIP = `('E43', 'E44', 'E45', 'E46', 'E47', 'E48')`;
const ADOPTION_PLACEMENT = `('A3', 'A4', 'A5', 'A6')`;

/**
 * One row per episode ceasing with adoption, with the dates the scorecard measures need: entered_care,
 * placement_order_date, matched_date, moved_in (A1), moved_in_adjusted (A10), foster_carer_adoption.
 * The window functions run over the episodes of adopted children only.
 */
const ADOPTIONS = `(
  WITH e1 AS (
    SELECT e.child_id, e.decom, e.dec, e.rne, e.legal_status, e.placement_type, e.reason_ceased,
      lag(e.decom) OVER w IS NULL OR (lag(e.dec) OVER w IS NOT NULL AND lag(e.dec) OVER w < e.decom) AS new_poc,
      coalesce(e.rne, 'P') NOT IN ('L', 'B', 'U') AS new_carer,
      e.placement_type IN ${ADOPTION_PLACEMENT} AS is_adoption_placement,
      coalesce(lag(e.placement_type) OVER w IN ${ADOPTION_PLACEMENT}, false) AS after_adoption_placement
    FROM main.lac_episodes e
    WHERE e.child_id IN (SELECT child_id FROM main.lac_episodes WHERE reason_ceased IN ${ADOPTED})
    WINDOW w AS (PARTITION BY e.child_id ORDER BY e.decom)),
  e2 AS (
    SELECT *,
      max(CASE WHEN new_poc THEN decom END) OVER w AS poc_start,
      max(CASE WHEN new_poc OR new_carer THEN decom END) OVER w AS carer_start
    FROM e1 WINDOW w AS (PARTITION BY child_id ORDER BY decom ROWS UNBOUNDED PRECEDING)),
  e3 AS (
    SELECT *,
      CASE WHEN NOT new_poc THEN lag(carer_start) OVER (PARTITION BY child_id ORDER BY decom) END AS previous_carer_start,
      is_adoption_placement AND (new_poc OR new_carer OR NOT after_adoption_placement) AS placement_starts
    FROM e2),
  placements AS (
    SELECT child_id, decom AS placed_start, placement_type AS placed_type, coalesce(previous_carer_start, decom) AS fostered_start
    FROM e3 WHERE placement_starts),
  pocs AS (
    SELECT child_id, poc_start, any_value(coalesce(rne, 'S')) FILTER (WHERE new_poc) AS poc_first_rne,
      min(decom) FILTER (WHERE legal_status = 'E1' AND coalesce(rne, 'S') IN ('S', 'L', 'T', 'U')) AS first_e1
    FROM e3 GROUP BY child_id, poc_start),
  e5 AS (
    SELECT x.child_id, x.dec, x.poc_start, c.poc_first_rne, c.first_e1,
      ad.placement_order_date AS recorded_order, ad.matched_date,
      coalesce(ad.foster_care, false) OR coalesce(pl.placed_start >= x.poc_start AND pl.placed_type IN ('A3', 'A5'), false) AS foster_carer_adoption,
      CASE WHEN pl.placed_start >= x.poc_start THEN pl.placed_start
           WHEN ad.placed_date BETWEEN x.poc_start AND x.dec THEN ad.placed_date END AS moved_in,
      CASE WHEN pl.placed_start >= x.poc_start THEN pl.fostered_start END AS fostered_start
    FROM (SELECT * FROM e3 WHERE reason_ceased IN ${ADOPTED} AND dec IS NOT NULL) x
    JOIN pocs c ON c.child_id = x.child_id AND c.poc_start = x.poc_start
    ASOF LEFT JOIN placements pl ON pl.child_id = x.child_id AND x.decom >= pl.placed_start
    ASOF LEFT JOIN main.adoptions ad ON ad.child_id = x.child_id AND x.dec >= ad.decision_date)
  SELECT child_id, dec AS adopted_date, CASE WHEN poc_first_rne = 'S' THEN poc_start END AS entered_care,
    coalesce(first_e1, recorded_order) AS placement_order_date, matched_date, moved_in, foster_carer_adoption,
    CASE WHEN foster_carer_adoption THEN coalesce(fostered_start, moved_in) ELSE moved_in END AS moved_in_adjusted
  FROM e5)`;

/** Adoptions in the 3 years ending at each period's end (from the day after the same date 3 years before). */
const ADOPTED_IN_WINDOW = `
  FROM periods p JOIN ${ADOPTIONS} a ON a.adopted_date BETWEEN add_months(p.end_date + 1, -36) AND p.end_date`;

const WINDOW_RULE = 'Averaged over the children adopted in the 3 years ending on the last day of the period (a rolling 3-year average, as the scorecard publishes; the period\'s start is ignored, so a month shows the 3 years to its end).';

const TIMELINESS_DETAILS: readonly Detail[] = [
  { name: 'adopted_date', label: 'Adopted (adoption order)' },
  { name: 'entered_care', label: 'Entered care' },
  { name: 'placement_order_date', label: 'Placement order' },
  { name: 'matched_date', label: 'Matched' },
  { name: 'moved_in', label: 'Placed for adoption (moved in)' },
  { name: 'moved_in_adjusted', label: 'Moved in with adopters (A10)' },
  { name: 'foster_carer_adoption', label: 'Adopted by foster carers' },
  { name: 'days', label: 'Days' },
];

const TIMELINESS_COLUMNS = `p.period_id, a.child_id, a.adopted_date AS at_date, NULL AS team, NULL AS worker, 1 AS denominator,
  a.adopted_date, a.entered_care, a.placement_order_date, a.matched_date, a.moved_in, a.moved_in_adjusted, a.foster_carer_adoption`;

/** Children whose care ended for one of the reasons in the period: one row per child (the first such episode). */
function ceasedCount(reasons: string): string {
  return `
    SELECT DISTINCT ON (p.period_id, e.child_id) p.period_id, e.child_id, 1 AS numerator, 0 AS denominator,
      e.dec AS at_date, NULL AS team, NULL AS worker, e.dec AS ceased_date, e.reason_ceased, e.decom AS episode_start
    FROM periods p JOIN main.lac_episodes e ON e.dec BETWEEN p.start_date AND p.end_date
    WHERE e.reason_ceased IN ${reasons}
    ORDER BY p.period_id, e.child_id, e.dec`;
}

const CEASED_DETAILS: readonly Detail[] = [
  { name: 'episode_start', label: 'Last episode started' },
  { name: 'ceased_date', label: 'Ceased to be looked after' },
  { name: 'reason_ceased', label: 'Reason (REC)' },
];

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'permanence.adoptions',
    title: 'Children adopted',
    theme: 'care_leavers_permanence',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Children who ceased to be looked after in the period because they were adopted (reason episode ceased E11 adoption unopposed, or E12 consent dispensed with): counted on the date the episode ceased (the adoption order). A child is counted once.',
    source: `${SSDA903}; DfE Children looked after in England including adoptions`,
    breakdowns: COMMON_BREAKDOWNS,
    details: CEASED_DETAILS,
    numeratorLabel: 'children adopted',
    sql: () => ceasedCount(ADOPTED),
  },
  {
    id: 'permanence.special_guardianship_orders',
    title: 'Special guardianship orders',
    theme: 'care_leavers_permanence',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Children who ceased to be looked after in the period because a special guardianship order was made (reason episode ceased E45–E48, to former foster carers or to other carers, relatives or friends or not; and the older codes E43 and E44): counted on the date the episode ceased. A child is counted once.',
    source: `${SSDA903}; DfE Children looked after in England including adoptions`,
    breakdowns: COMMON_BREAKDOWNS,
    details: CEASED_DETAILS,
    numeratorLabel: 'children leaving care on a special guardianship order',
    sql: () => ceasedCount(SPECIAL_GUARDIANSHIP),
  },
  {
    id: 'permanence.a1_days_to_adoptive_family',
    title: 'A1: average days from entering care to moving in with the adoptive family',
    theme: 'care_leavers_permanence',
    unit: 'days',
    polarity: 'lower',
    measure: 'stock',
    definition: `For children adopted, the average number of days between entering care (the start of the period of care that ended in adoption: its first episode, each later episode starting the day the one before ceased) and moving in with the adoptive family (the start of the adoption placement, A3–A6, they were adopted from; if the episodes show none, the date placed for adoption on the adoption record). For a child adopted by their foster carers this is the day the placement became an adoption placement (see A10). Children with no date placed are left out, and so are children whose period of care began before the earliest return loaded (its first episode held is not a start of care, RNE S), whose date of entering care is therefore not known. ${WINDOW_RULE}`,
    source: `${SCORECARD}; ${SSDA903}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: TIMELINESS_DETAILS,
    numeratorLabel: 'days from entering care to moving in',
    denominatorLabel: 'children adopted',
    sql: () => `
      SELECT ${TIMELINESS_COLUMNS}, date_diff('day', a.entered_care, a.moved_in) AS numerator,
        date_diff('day', a.entered_care, a.moved_in) AS days
      ${ADOPTED_IN_WINDOW}
      WHERE a.moved_in IS NOT NULL AND a.entered_care IS NOT NULL`,
  },
  {
    id: 'permanence.a2_days_placement_order_to_match',
    title: 'A2: average days from placement order to match',
    theme: 'care_leavers_permanence',
    unit: 'days',
    polarity: 'lower',
    measure: 'stock',
    definition: `For children adopted, the average number of days between the authority receiving court authority to place the child for adoption (the placement order: the first episode of that period of care to begin legal status E1, as a start of care or a change of legal status (RNE S, L, T, U), else the date on the adoption record) and deciding on a match to an adoptive family (AD1 DATE_MATCH). Children adopted without a placement order (with consent), without a match date, or with a match recorded before the placement order, are left out. ${WINDOW_RULE}`,
    source: `${SCORECARD}; ${SSDA903}; SSDA903 AD1 (DATE_MATCH); ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: TIMELINESS_DETAILS,
    numeratorLabel: 'days from placement order to match',
    denominatorLabel: 'children adopted with a placement order',
    sql: () => `
      SELECT ${TIMELINESS_COLUMNS}, date_diff('day', a.placement_order_date, a.matched_date) AS numerator,
        date_diff('day', a.placement_order_date, a.matched_date) AS days
      ${ADOPTED_IN_WINDOW}
      WHERE a.matched_date >= a.placement_order_date`,
  },
  {
    id: 'permanence.a10_days_adjusted_for_foster_carers',
    title: 'A10: average days from entering care to moving in with the adoptive family, adjusted for foster carer adoptions',
    theme: 'care_leavers_permanence',
    unit: 'days',
    polarity: 'lower',
    measure: 'stock',
    definition: `As A1, except that for a child adopted by their foster carers (AD1 FOSTER_CARE, or an adoption placement A3/A5 "with current foster carers") the clock stops on the day the child moved in with those foster carers: the start of the placement the child was in just before the adoption placement, followed back through episodes that changed only the legal status (RNE L) or the placement but not the carers (RNE B, U). Children whose date of entering care is not known are left out, as for A1. ${WINDOW_RULE}`,
    source: `${SCORECARD}; ${SSDA903}; SSDA903 AD1 (FOSTER_CARE); ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: TIMELINESS_DETAILS,
    numeratorLabel: 'days from entering care to moving in (adjusted)',
    denominatorLabel: 'children adopted',
    sql: () => `
      SELECT ${TIMELINESS_COLUMNS}, date_diff('day', a.entered_care, a.moved_in_adjusted) AS numerator,
        date_diff('day', a.entered_care, a.moved_in_adjusted) AS days
      ${ADOPTED_IN_WINDOW}
      WHERE a.moved_in_adjusted IS NOT NULL AND a.entered_care IS NOT NULL`,
  },
  {
    id: 'permanence.placement_orders_not_placed',
    title: 'Children with a placement order not yet placed for adoption',
    theme: 'care_leavers_permanence',
    unit: 'count',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Children looked after at the end of the period under a placement order (legal status E1) who are not in an adoption placement (A3–A6): children the authority has court authority to place for adoption but who have not yet moved in with adopters. A child who moves in with adopters on the last day of the period is placed. The placement order date shown is the start of the current run of E1 episodes (an episode beginning E1: RNE S, L, T or U), else the date on the adoption record; the match date, where recorded, shows those matched and waiting to move; the rest are in family finding.',
    source: `${SSDA903}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'placement_order_date', label: 'Placement order' },
      { name: 'decision_date', label: 'Decision to place for adoption' },
      { name: 'matched_date', label: 'Matched' },
      { name: 'placement_type', label: 'Placement (PLACE)' },
      { name: 'days_since_order', label: 'Days since placement order' },
    ],
    numeratorLabel: 'children with a placement order not placed',
    sql: () => `
      SELECT DISTINCT ON (p.period_id, e.child_id) p.period_id, e.child_id, 1 AS numerator, 0 AS denominator,
        p.end_date AS at_date, NULL AS team, NULL AS worker,
        po.placement_order_date, ad.decision_date, CASE WHEN ad.matched_date <= p.end_date THEN ad.matched_date END AS matched_date,
        e.placement_type, date_diff('day', po.placement_order_date, p.end_date) AS days_since_order
      FROM periods p
      JOIN main.lac_episodes e ON open_at(e.decom, e.dec, p.end_date)
      LEFT JOIN LATERAL (
        SELECT arg_max(a.decision_date, a.decision_date) AS decision_date, arg_max(a.matched_date, a.decision_date) AS matched_date,
          arg_max(a.placement_order_date, a.decision_date) AS recorded_order
        FROM main.adoptions a WHERE a.child_id = e.child_id AND a.decision_date <= p.end_date) ad ON true
      LEFT JOIN LATERAL (
        SELECT coalesce(min(x.decom), ad.recorded_order) AS placement_order_date FROM main.lac_episodes x
        WHERE x.child_id = e.child_id AND x.legal_status = 'E1' AND coalesce(x.rne, 'S') IN ('S', 'L', 'T', 'U') AND x.decom <= e.decom
          AND x.decom > coalesce((SELECT max(y.decom) FROM main.lac_episodes y
                                  WHERE y.child_id = e.child_id AND y.decom < e.decom AND y.legal_status <> 'E1'), DATE '1900-01-01')) po ON true
      WHERE e.legal_status = 'E1' AND coalesce(e.placement_type, '') NOT IN ${ADOPTION_PLACEMENT}
      ORDER BY p.period_id, e.child_id, e.decom DESC`,
  },
  {
    id: 'permanence.adoption_decisions_reversed',
    title: 'Placement orders where the adoption decision was reversed',
    theme: 'care_leavers_permanence',
    unit: 'count',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Children with a placement order for whom the authority decided in the period that they should no longer be placed for adoption (date of the decision reversed: SSDA903 placed for adoption DATE_PLACED_CEASED, or Annex A List 10), so the placement order is to be revoked. A placement order means legal status E1 at some time between the decision to place and its reversal, or a placement order date on the adoption record on or before the reversal. A child is counted once.',
    source: 'SSDA903 guidance: placed for adoption (DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED), episodes (LS E1); Ofsted Annex A List 10',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'decision_date', label: 'Decision to place for adoption' },
      { name: 'placement_order_date', label: 'Placement order' },
      { name: 'reversed_date', label: 'Decision reversed' },
      { name: 'reason_reversed', label: 'Reason' },
    ],
    numeratorLabel: 'children whose adoption decision was reversed',
    sql: () => `
      SELECT DISTINCT ON (p.period_id, r.child_id) p.period_id, r.child_id, 1 AS numerator, 0 AS denominator,
        r.reversed_date AS at_date, NULL AS team, NULL AS worker,
        r.decision_date, po.placement_order_date, r.reversed_date, r.reason_reversed
      FROM periods p
      JOIN (
        SELECT coalesce(a.child_id, f.child_id) AS child_id, coalesce(a.decision_date, f.date_placed) AS decision_date,
          coalesce(a.decision_reversed_date, f.date_placed_ceased) AS reversed_date,
          coalesce(a.reason_reversed, f.reason_placed_ceased) AS reason_reversed, a.placement_order_date AS recorded_order
        FROM main.adoptions a
        FULL JOIN main.placed_for_adoption f ON f.child_id = a.child_id AND f.date_placed = a.decision_date
      ) r ON r.reversed_date BETWEEN p.start_date AND p.end_date
      CROSS JOIN LATERAL (
        SELECT coalesce(min(x.decom), CASE WHEN r.recorded_order <= r.reversed_date THEN r.recorded_order END) AS placement_order_date
        FROM main.lac_episodes x
        WHERE x.child_id = r.child_id AND x.legal_status = 'E1' AND x.decom <= r.reversed_date
          AND (x.dec IS NULL OR x.dec >= r.decision_date)) po
      WHERE po.placement_order_date IS NOT NULL
      ORDER BY p.period_id, r.child_id, r.reversed_date`,
  },
];
