// SSDA903 rules over the decisions to place a child for adoption (placed_for_adoption, and last year's), the
// adoption details (ad1) and the episodes that show the placement, the order and the adoption. Worked tests:
// test/validate/ssda903/adoptionDecisions.test.ts.
import { rules } from '../types.ts';

/** Placed for adoption (PLACE). */
const PLACED_FOR_ADOPTION = `('A3', 'A4', 'A5', 'A6')`;
/** Adopted (REC). */
const ADOPTED = `('E11', 'E12')`;

/** Each child's decisions that have a DATE_PLACED: the earliest and the latest. */
const DECISIONS = `(SELECT CHILD, min(uk_date(DATE_PLACED)) AS earliest, max(uk_date(DATE_PLACED)) AS latest
  FROM placed_for_adoption WHERE uk_date(DATE_PLACED) IS NOT NULL GROUP BY CHILD)`;

/** The child's latest decision (by DATE_PLACED, then line). */
const LATEST_DECISION = `(SELECT * FROM placed_for_adoption
  QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DATE_PLACED) DESC NULLS LAST, line DESC) = 1)`;

/** The child's first episode (by DECOM, then line) with a condition on its own fields. */
const firstEpisodeWhere = (cond: string) => `(SELECT * FROM episodes WHERE (${cond}) AND uk_date(DECOM) IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)`;

/** Episodes where an order (LS) was granted: the legal status changed to it (RNE S, L, T, U). */
const orderGranted = (ls: string) => `(SELECT * FROM episodes WHERE LS = '${ls}' AND RNE IN ('S', 'L', 'T', 'U') AND uk_date(DECOM) IS NOT NULL)`;

/** 554, 556: a decision on or before the day the order was granted. */
const decisionBeforeOrder = (ls: string, what: string) => `
  SELECT e.file, e.line, e.CHILD AS child_id, 'DATE_PLACED' AS field,
         '${what} (LS ${ls}) from DECOM ' || e.DECOM || ', earliest DATE_PLACED ' || strftime(d.earliest, '%d/%m/%Y') AS value
  FROM ${orderGranted(ls)} e JOIN ${DECISIONS} d ON d.CHILD = e.CHILD
  WHERE d.earliest > uk_date(e.DECOM)`;

/** 553, 555: an order and no decision at all (reported on the child's first episode with the order). */
const noDecisionForOrder = (ls: string, what: string) => `
  SELECT e.file, e.line, e.CHILD AS child_id, 'DATE_PLACED' AS field, '${what} (LS ${ls}) from DECOM ' || e.DECOM || ', no DATE_PLACED' AS value
  FROM ${firstEpisodeWhere(`LS = '${ls}'`)} e
  WHERE NOT EXISTS (SELECT 1 FROM placed_for_adoption p WHERE p.CHILD = e.CHILD AND NOT blank(p.DATE_PLACED))`;

/** Adopted during the collection year: an episode ending in adoption with DEC in the year. */
const ADOPTED_IN_YEAR = `(SELECT e.* FROM episodes e, collection c
  WHERE e.REC IN ${ADOPTED} AND uk_date(e.DEC) BETWEEN c.collection_start AND c.collection_end)`;

export default rules(
  {
    code: '521', return: 'ssda903', severity: 'error',
    message: 'Date of local authority\'s decision (LA) that adoption is in the best interests of the child (date should be placed) must be on or prior to the date the child is placed for adoption.',
    fields: ['DATE_INT', 'DECOM', 'PLACE'], tables: ['ad1', 'episodes'],
    // DATE_INT on or before the start of the child's first placement for adoption (PLACE A3–A6)
    sql: `SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_INT' AS field,
                 'DATE_INT ' || a.DATE_INT || ', placed for adoption (PLACE ' || e.PLACE || ') from ' || e.DECOM AS value
          FROM ad1 a JOIN ${firstEpisodeWhere(`PLACE IN ${PLACED_FOR_ADOPTION}`)} e ON e.CHILD = a.CHILD
          WHERE uk_date(a.DATE_INT) > uk_date(e.DECOM)`,
  },
  {
    code: '523', return: 'ssda903', severity: 'error',
    message: 'Date of decision that the child should be placed for adoption should be the same date as the decision that adoption is in the best interest (date should be placed).',
    fields: ['DATE_INT', 'DATE_PLACED'], tables: ['ad1', 'placed_for_adoption'],
    // the child has decisions, and none of them is dated DATE_INT
    sql: `SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_INT' AS field,
                 'DATE_INT ' || a.DATE_INT || ', DATE_PLACED ' || string_agg(p.DATE_PLACED, ', ' ORDER BY p.line) AS value
          FROM ad1 a JOIN placed_for_adoption p ON p.CHILD = a.CHILD AND uk_date(p.DATE_PLACED) IS NOT NULL
          WHERE uk_date(a.DATE_INT) IS NOT NULL
          GROUP BY a.file, a.line, a.CHILD, a.DATE_INT
          HAVING NOT bool_or(uk_date(p.DATE_PLACED) = uk_date(a.DATE_INT))`,
  },
  {
    code: '525', return: 'ssda903', severity: 'error',
    message: 'A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.',
    fields: ['DATE_INT', 'DATE_MATCH', 'DATE_PLACED_CEASED', 'FOSTER_CARE', 'LS_ADOPTR', 'NB_ADOPTR', 'SEX_ADOPTR'],
    tables: ['placed_for_adoption', 'ad1'],
    // the child's latest decision was reversed (DATE_PLACED_CEASED), yet adoption details are given
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED_CEASED' AS field,
                 'DATE_PLACED_CEASED ' || p.DATE_PLACED_CEASED || ', adoption details on AD1 line ' || a.line AS value
          FROM ${LATEST_DECISION} p JOIN ad1 a ON a.CHILD = p.CHILD
          WHERE NOT blank(p.DATE_PLACED_CEASED)
            AND NOT (blank(a.DATE_INT) AND blank(a.DATE_MATCH) AND blank(a.FOSTER_CARE) AND blank(a.NB_ADOPTR)
                     AND blank(a.SEX_ADOPTR) AND blank(a.LS_ADOPTR))`,
  },
  {
    code: '551', return: 'ssda903', severity: 'error',
    message: 'Child has been placed for adoption but there is no date of the decision that the child should be placed for adoption.',
    fields: ['DATE_PLACED', 'PLACE'], tables: ['episodes', 'placed_for_adoption'],
    // placed for adoption (A3–A6) and no decision with a DATE_PLACED (reported on the first such episode)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'DATE_PLACED' AS field, 'PLACE ' || e.PLACE || ' from ' || e.DECOM || ', no DATE_PLACED' AS value
          FROM ${firstEpisodeWhere(`PLACE IN ${PLACED_FOR_ADOPTION}`)} e
          WHERE NOT EXISTS (SELECT 1 FROM placed_for_adoption p WHERE p.CHILD = e.CHILD AND NOT blank(p.DATE_PLACED))`,
  },
  {
    code: '552', return: 'ssda903', severity: 'error',
    message: 'Date of Decision to place a child for adoption should be on or prior to the date that the child was placed for adoption.',
    fields: ['DATE_PLACED', 'DECOM'], tables: ['episodes', 'placed_for_adoption'],
    // each placement for adoption (an A3–A6 episode after one that was not) has a decision on or before its DECOM
    sql: `WITH starts AS (
            SELECT * FROM (SELECT *, lag(PLACE) OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) AS prev_place
                           FROM episodes WHERE uk_date(DECOM) IS NOT NULL)
            WHERE PLACE IN ${PLACED_FOR_ADOPTION} AND (prev_place IS NULL OR prev_place NOT IN ${PLACED_FOR_ADOPTION}))
          SELECT e.file, e.line, e.CHILD AS child_id, 'DECOM' AS field,
                 'placed for adoption (PLACE ' || e.PLACE || ') from ' || e.DECOM || ', earliest DATE_PLACED ' || strftime(d.earliest, '%d/%m/%Y') AS value
          FROM starts e JOIN ${DECISIONS} d ON d.CHILD = e.CHILD
          WHERE d.earliest > uk_date(e.DECOM)`,
  },
  {
    code: '553', return: 'ssda903', severity: 'error',
    message: 'Placement order has been granted but there is no date of decision that the child should be placed for adoption.',
    fields: ['CHILD', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'], tables: ['episodes', 'placed_for_adoption'],
    sql: noDecisionForOrder('E1', 'placement order'),
  },
  {
    code: '554', return: 'ssda903', severity: 'error',
    message: 'Date of decision that the child should be placed for adoption should be on or prior to the date that the placement order was granted. [NOTE: This rule may result in false positives or false negatives if relevant episodes are in previous years; please check carefully!]',
    fields: ['DATE_PLACED', 'DECOM', 'LS'], tables: ['episodes', 'placed_for_adoption'],
    // the episode where LS became E1 (RNE S, L, T or U): some decision is dated on or before its DECOM
    sql: decisionBeforeOrder('E1', 'placement order granted'),
  },
  {
    code: '555', return: 'ssda903', severity: 'error',
    message: 'Freeing order has been granted but there is no date of decision that the child should be placed for adoption.',
    fields: ['CHILD', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'], tables: ['episodes', 'placed_for_adoption'],
    sql: noDecisionForOrder('D1', 'freeing order'),
  },
  {
    code: '556', return: 'ssda903', severity: 'error',
    message: 'Date of decision that the child should be placed for adoption should be on or prior to the date that the freeing order was granted.',
    fields: ['DATE_PLACED', 'DECOM'], tables: ['episodes', 'placed_for_adoption'],
    sql: decisionBeforeOrder('D1', 'freeing order granted'),
  },
  {
    code: '557', return: 'ssda903', severity: 'error',
    message: 'Child for whom the decision was made that they should be placed for adoption has left care but was not adopted and information on the decision that they should no longer be placed for adoption items has not been completed.',
    fields: ['DATE_PLACED_CEASED', 'LS', 'PLACE', 'REASON_PLACED_CEASED', 'REC'], tables: ['episodes', 'placed_for_adoption'],
    // an episode placed for adoption (A3–A6) or under a placement/freeing order (E1, D1) that ended care other than by adoption
    // (REC neither E11, E12 nor X1): the latest decision must say when and why it ceased
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field,
                 'REC ' || e.REC || ', PLACE ' || coalesce(e.PLACE, '') || ', LS ' || coalesce(e.LS, '') ||
                 CASE WHEN p.line IS NULL THEN ', no decision recorded'
                      ELSE ', DATE_PLACED_CEASED ' || coalesce(p.DATE_PLACED_CEASED, '(blank)') || ', REASON_PLACED_CEASED ' ||
                           coalesce(p.REASON_PLACED_CEASED, '(blank)') END AS value
          FROM episodes e LEFT JOIN ${LATEST_DECISION} p ON p.CHILD = e.CHILD
          WHERE (e.PLACE IN ${PLACED_FOR_ADOPTION} OR e.LS IN ('E1', 'D1'))
            AND NOT blank(e.REC) AND e.REC NOT IN ('E11', 'E12', 'X1')
            AND (p.line IS NULL OR blank(p.DATE_PLACED_CEASED) OR blank(p.REASON_PLACED_CEASED))`,
  },
  {
    code: '558', return: 'ssda903', severity: 'error',
    message: 'If a child has been adopted, then the decision to place them for adoption has not been disrupted and the date of the decision that a child should no longer be placed for adoption should be left blank.',
    fields: ['DATE_PLACED_CEASED', 'REC'], tables: ['placed_for_adoption', 'episodes'],
    // adopted (E11, E12): the latest decision is not ceased (earlier ones may have been)
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED_CEASED' AS field,
                 'DATE_PLACED_CEASED ' || p.DATE_PLACED_CEASED || ', adopted (REC ' || min(e.REC) || ')' AS value
          FROM ${LATEST_DECISION} p JOIN episodes e ON e.CHILD = p.CHILD AND e.REC IN ${ADOPTED}
          WHERE NOT blank(p.DATE_PLACED_CEASED)
          GROUP BY p.file, p.line, p.CHILD, p.DATE_PLACED_CEASED`,
  },
  {
    code: '559', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Date of decision that a child should be placed for adoption was not in the current year but the date of the decision that the child should be placed for adoption was not completed in a previous return.',
    fields: ['DATE_PLACED'], tables: ['placed_for_adoption', 'placed_for_adoption_last'],
    // a decision dated before 1 April: last year's return has a DATE_PLACED for the child (whether it is the same date
    // is rule 560's matter)
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || p.DATE_PLACED || ', no DATE_PLACED in last year''s return' AS value
          FROM placed_for_adoption p, collection c
          WHERE uk_date(p.DATE_PLACED) < c.collection_start
            AND NOT EXISTS (SELECT 1 FROM placed_for_adoption_last l WHERE l.CHILD = p.CHILD AND NOT blank(l.DATE_PLACED))`,
  },
  {
    code: '560', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Date of decision that the child should be placed for adoption this year is different from that recorded last year but the decision to place the child for adoption did not change.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'], tables: ['placed_for_adoption', 'placed_for_adoption_last'],
    // last year's latest decision was still in force (neither ceased date nor reason); this year's earliest decision
    // must repeat its DATE_PLACED
    sql: `WITH open_last AS (
            SELECT * FROM placed_for_adoption_last WHERE uk_date(DATE_PLACED) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DATE_PLACED) DESC, line DESC) = 1
              AND blank(DATE_PLACED_CEASED) AND blank(REASON_PLACED_CEASED)),
          first_now AS (
            SELECT * FROM placed_for_adoption WHERE uk_date(DATE_PLACED) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DATE_PLACED), line) = 1)
          SELECT f.file, f.line, f.CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || f.DATE_PLACED || ', last year (not ceased) ' || l.DATE_PLACED AS value
          FROM first_now f JOIN open_last l ON l.CHILD = f.CHILD
          WHERE uk_date(f.DATE_PLACED) <> uk_date(l.DATE_PLACED)`,
  },
  {
    code: '561', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Date of the decision that the child should be placed for adoption this year is the same as that recorded last year but records show that the decision changed, and the child should no longer be placed for adoption last year.',
    fields: ['DATE_PLACED'], tables: ['placed_for_adoption', 'placed_for_adoption_last'],
    // this year's DATE_PLACED is a decision that last year's return shows ceased (a ceased date or reason)
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || p.DATE_PLACED || ', ceased last year (' || coalesce(l.DATE_PLACED_CEASED, l.REASON_PLACED_CEASED) || ')' AS value
          FROM placed_for_adoption p JOIN placed_for_adoption_last l
            ON l.CHILD = p.CHILD AND uk_date(l.DATE_PLACED) = uk_date(p.DATE_PLACED)
          WHERE NOT (blank(l.DATE_PLACED_CEASED) AND blank(l.REASON_PLACED_CEASED))
          QUALIFY row_number() OVER (PARTITION BY p.file, p.line ORDER BY l.line) = 1`,
  },
  {
    code: '563', return: 'ssda903', severity: 'error',
    message: 'The child should no longer be placed for adoption but the date of the decision that the child should be placed for adoption is blank',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'], tables: ['placed_for_adoption'],
    sql: `SELECT file, line, CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED blank, DATE_PLACED_CEASED ' || coalesce(DATE_PLACED_CEASED, '(blank)') || ', REASON_PLACED_CEASED ' ||
                 coalesce(REASON_PLACED_CEASED, '(blank)') AS value
          FROM placed_for_adoption
          WHERE blank(DATE_PLACED) AND NOT (blank(DATE_PLACED_CEASED) AND blank(REASON_PLACED_CEASED))`,
  },
  {
    code: '579', return: 'ssda903', severity: 'error',
    message: 'A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open. Decisions to place the child for adoption should also not overlap. The date of any new decision to place the child for adoption must not be before the date placed ceased of previous decisions.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'], tables: ['placed_for_adoption'],
    // the child's decisions by DATE_PLACED: the one before this is open, or ceased after this began
    sql: `SELECT file, line, CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || DATE_PLACED || ', previous decision ' || prev_placed || ' ceased ' || coalesce(prev_ceased, '(blank)') AS value
          FROM (SELECT *, lag(DATE_PLACED) OVER w AS prev_placed, lag(DATE_PLACED_CEASED) OVER w AS prev_ceased
                FROM placed_for_adoption WHERE uk_date(DATE_PLACED) IS NOT NULL
                WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DATE_PLACED), line))
          WHERE prev_placed IS NOT NULL AND (blank(prev_ceased) OR uk_date(DATE_PLACED) < uk_date(prev_ceased))`,
  },
  {
    code: '582', return: 'ssda903', severity: 'warning',
    message: 'Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as the date reported for being matched with adopters. In most circumstances we expect the date the child is matched with adopters to be before the date of adoption.',
    fields: ['DATE_MATCH', 'DEC'], tables: ['ad1', 'episodes'],
    sql: `SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_MATCH' AS field, 'DATE_MATCH ' || a.DATE_MATCH || ', adopted (DEC) ' || min(e.DEC) AS value
          FROM ad1 a JOIN episodes e ON e.CHILD = a.CHILD AND e.REC IN ${ADOPTED} AND uk_date(e.DEC) = uk_date(a.DATE_MATCH)
          GROUP BY a.file, a.line, a.CHILD, a.DATE_MATCH`,
  },
  {
    code: '583', return: 'ssda903', severity: 'warning',
    message: 'More than one date the child should be placed for adoption has been reported, but an earlier decision has not been revoked. Check that both dates are required and add in the date the earlier decision was revoked. Note this may be in a previous year.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'], tables: ['placed_for_adoption'],
    // every decision but the child's latest has a DATE_PLACED_CEASED
    sql: `SELECT file, line, CHILD AS child_id, 'DATE_PLACED_CEASED' AS field,
                 'DATE_PLACED ' || coalesce(DATE_PLACED, '(blank)') || ' not ceased, a later decision ' || latest AS value
          FROM (SELECT *, row_number() OVER w AS rank, first_value(DATE_PLACED) OVER w AS latest
                FROM placed_for_adoption
                WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DATE_PLACED) DESC NULLS LAST, line DESC))
          WHERE rank > 1 AND blank(DATE_PLACED_CEASED)`,
  },
  {
    code: '584', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Date of decision that the child should be placed for adoption this year is different from that recorded last year, but the decision to placed the child for adoption changed and the child should no longer be placed for adoption.',
    fields: ['DATE_PLACED'], tables: ['placed_for_adoption', 'placed_for_adoption_last'],
    // after a decision that last year's return shows ceased, a different decision this year is a new one: it must be dated
    // after the ceased one (the same date is rule 561's)
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || p.DATE_PLACED || ', before a decision of ' || max(l.DATE_PLACED) || ' that ceased last year' AS value
          FROM placed_for_adoption p JOIN placed_for_adoption_last l
            ON l.CHILD = p.CHILD AND uk_date(p.DATE_PLACED) < uk_date(l.DATE_PLACED)
          WHERE NOT (blank(l.DATE_PLACED_CEASED) AND blank(l.REASON_PLACED_CEASED))
          GROUP BY p.file, p.line, p.CHILD, p.DATE_PLACED`,
  },
  {
    code: '601', return: 'ssda903', severity: 'error',
    message: 'The additional fields relating to adoption have not been completed although the episode data shows that the child was adopted during the year.',
    fields: ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'LS_ADOPTR', 'NB_ADOPTR', 'REC', 'SEX_ADOPTR'], tables: ['episodes', 'ad1'],
    // adopted in the year (E11, E12, DEC in the year): an AD1 row with every field completed
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field,
                 'REC ' || e.REC || ', DEC ' || e.DEC || CASE WHEN a.line IS NULL THEN ', no AD1 row' ELSE ', AD1 line ' || a.line || ' incomplete' END AS value
          FROM ${ADOPTED_IN_YEAR} e LEFT JOIN ad1 a ON a.CHILD = e.CHILD
          WHERE a.line IS NULL OR blank(a.DATE_INT) OR blank(a.DATE_MATCH) OR blank(a.FOSTER_CARE) OR blank(a.NB_ADOPTR)
             OR blank(a.SEX_ADOPTR) OR blank(a.LS_ADOPTR)`,
  },
  {
    code: '602', return: 'ssda903', severity: 'error',
    message: 'The episode data submitted for this child does not show that he/she was adopted during the year.',
    fields: ['CHILD'], tables: ['ad1', 'episodes'],
    // an AD1 row with adoption details for a child with no episode ending in adoption (E11, E12) in the year
    sql: `SELECT a.file, a.line, a.CHILD AS child_id, 'CHILD' AS field, 'CHILD ' || a.CHILD || ', not adopted in the year' AS value
          FROM ad1 a
          WHERE NOT (blank(a.DATE_INT) AND blank(a.DATE_MATCH) AND blank(a.FOSTER_CARE) AND blank(a.NB_ADOPTR)
                     AND blank(a.SEX_ADOPTR) AND blank(a.LS_ADOPTR))
            AND NOT EXISTS (SELECT 1 FROM ${ADOPTED_IN_YEAR} e WHERE e.CHILD = a.CHILD)`,
  },
);
