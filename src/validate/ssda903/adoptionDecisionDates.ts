// SSDA903 rules over the adoption decisions (placed_for_adoption) and AD1 against episodes. DfE's code, message
// and fields; worked tests: test/validate/ssda903/adoptionDecisionDates.test.ts.
import { rules } from '../types.ts';

/** `adopted`: each child's latest episode ending in adoption (REC E11, E12): DECOM is the placement for adoption. */
const ADOPTED_CTE = `adopted AS (SELECT * FROM episodes WHERE REC IN ('E11', 'E12') AND uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1)`;

/** `period`: when each child's latest period of care began (the latest RNE S). */
const PERIOD_CTE = `period AS (SELECT CHILD, max(uk_date(DECOM)) AS began, arg_max(DECOM, uk_date(DECOM)) AS began_text
    FROM episodes WHERE RNE = 'S' AND uk_date(DECOM) IS NOT NULL GROUP BY CHILD)`;

export default rules(
  {
    code: '117', return: 'ssda903', severity: 'error',
    message: 'Date of decision that a child should/should no longer be placed for adoption is beyond the current collection year or after the child ceased to be looked after.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED', 'DEC', 'DECOM', 'REC'], tables: ['placed_for_adoption', 'episodes'],
    // either date after 31 March, or after the day the child ceased to be looked after (the latest episode's DEC,
    // when it ended other than by X1)
    sql: `WITH ceased AS (
            SELECT CHILD, uk_date(DEC) AS dec, DEC AS dec_text, REC FROM episodes WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1)
          SELECT p.file, p.line, p.CHILD AS child_id,
                 CASE WHEN uk_date(p.DATE_PLACED) > least(c.collection_end, coalesce(x.dec, c.collection_end)) THEN 'DATE_PLACED' ELSE 'DATE_PLACED_CEASED' END AS field,
                 concat_ws(', ', 'DATE_PLACED ' || p.DATE_PLACED, 'DATE_PLACED_CEASED ' || p.DATE_PLACED_CEASED,
                           CASE WHEN x.dec IS NOT NULL THEN 'ceased to be looked after ' || x.dec_text || ' (REC ' || x.REC || ')' END) AS value
          FROM placed_for_adoption p CROSS JOIN collection c
          LEFT JOIN (SELECT * FROM ceased WHERE dec IS NOT NULL AND coalesce(REC, '') <> 'X1') x ON x.CHILD = p.CHILD
          WHERE uk_date(p.DATE_PLACED) > least(c.collection_end, coalesce(x.dec, c.collection_end))
             OR uk_date(p.DATE_PLACED_CEASED) > least(c.collection_end, coalesce(x.dec, c.collection_end))`,
  },
  {
    code: '118', return: 'ssda903', severity: 'error',
    message: 'Date of decision that a child should no longer be placed for adoption is before the current collection year or before the date the child started to be looked after.',
    fields: ['DECOM', 'DECOM', 'LS'], tables: ['placed_for_adoption', 'episodes'],
    // DATE_PLACED_CEASED before 1 April, or before the child's first episode (short breaks, V3/V4, do not count)
    sql: `WITH began AS (SELECT CHILD, min(uk_date(DECOM)) AS s, arg_min(DECOM, uk_date(DECOM)) AS s_text FROM episodes
            WHERE coalesce(LS, '') NOT IN ('V3', 'V4') AND uk_date(DECOM) IS NOT NULL GROUP BY CHILD)
          SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED_CEASED' AS field,
                 'DATE_PLACED_CEASED ' || p.DATE_PLACED_CEASED || coalesce(', looked after from ' || b.s_text, '') AS value
          FROM placed_for_adoption p CROSS JOIN collection c LEFT JOIN began b ON b.CHILD = p.CHILD
          WHERE uk_date(p.DATE_PLACED_CEASED) < c.collection_start OR uk_date(p.DATE_PLACED_CEASED) < b.s`,
  },
  {
    code: '331', return: 'ssda903', severity: 'error',
    message: 'Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of adoption.',
    fields: ['DATE_MATCH', 'DECOM', 'REC'], tables: ['ad1', 'episodes'],
    // DATE_MATCH after the start of the episode that ended in adoption (the placement for adoption)
    sql: `WITH ${ADOPTED_CTE}
          SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_MATCH' AS field,
                 'DATE_MATCH ' || a.DATE_MATCH || ', placed for adoption (DECOM, REC ' || e.REC || ') ' || e.DECOM AS value
          FROM ad1 a JOIN adopted e ON e.CHILD = a.CHILD
          WHERE uk_date(a.DATE_MATCH) > uk_date(e.DECOM)`,
  },
  {
    code: '334', return: 'ssda903', severity: 'error',
    message: 'Date child started to be looked after in latest period of care must be on or prior to the date should be placed for adoption. ',
    fields: ['DATE_INT', 'DECOM', 'RNE'], tables: ['ad1', 'episodes'],
    // DATE_INT (the decision that the child should be placed for adoption) before the latest period of care began (RNE S)
    sql: `WITH ${PERIOD_CTE}
          SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_INT' AS field,
                 'DATE_INT ' || a.DATE_INT || ', latest period of care began (RNE S) ' || p.began_text AS value
          FROM ad1 a JOIN period p ON p.CHILD = a.CHILD
          WHERE uk_date(a.DATE_INT) < p.began`,
  },
  {
    code: '335', return: 'ssda903', severity: 'error',
    message: 'The current foster value (0) suggests that child is not adopted by current foster carer, but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current foster carer, but last placement is A1, A4 or A6.',
    fields: ['FOSTER_CARE', 'PLACE'], tables: ['ad1', 'episodes'],
    // the last placement is the episode that ended in adoption (E11, E12)
    sql: `WITH ${ADOPTED_CTE}
          SELECT a.file, a.line, a.CHILD AS child_id, 'FOSTER_CARE' AS field, 'FOSTER_CARE ' || a.FOSTER_CARE || ', last placement ' || e.PLACE AS value
          FROM ad1 a JOIN adopted e ON e.CHILD = a.CHILD
          WHERE (trim(a.FOSTER_CARE) = '0' AND e.PLACE IN ('A2', 'A3', 'A5'))
             OR (trim(a.FOSTER_CARE) = '1' AND e.PLACE IN ('A1', 'A4', 'A6'))`,
  },
);
