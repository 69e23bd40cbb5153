// SSDA903 rules over adoption (placed_for_adoption, ad1) with episodes. Worked tests: test/validate/ssda903/adoption.test.ts.
import { rules } from '../types.ts';

/** RNE 'S': started to be looked after. */
const STARTED_LOOKED_AFTER = `'S'`;

export default rules(
  {
    code: '1003', return: 'ssda903', severity: 'warning',
    message: 'Date of LA\'s decision that a child should be placed for adoption is before the child started to be looked after.',
    fields: ['DATE_PLACED', 'DECOM', 'RNE'], tables: ['placed_for_adoption', 'episodes'],
    // the child started to be looked after at their earliest episode with RNE S
    sql: `WITH started AS (
            SELECT CHILD, min(uk_date(DECOM)) AS decom, arg_min(DECOM, uk_date(DECOM)) AS decom_text
            FROM episodes WHERE RNE = ${STARTED_LOOKED_AFTER} GROUP BY CHILD)
          SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PLACED' AS field,
                 'DATE_PLACED ' || p.DATE_PLACED || ', started to be looked after (DECOM, RNE S) ' || s.decom_text AS value
          FROM placed_for_adoption p JOIN started s ON s.CHILD = p.CHILD
          WHERE uk_date(p.DATE_PLACED) < s.decom`,
  },
);
