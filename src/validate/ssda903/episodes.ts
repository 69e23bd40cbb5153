// SSDA903 rules over episodes (with the header and last year's episodes). DfE's code, message and fields;
// worked tests: test/validate/ssda903/episodes.test.ts.
import { rules } from '../types.ts';

export default rules(
  {
    code: '302', return: 'ssda903', severity: 'warning',
    message: 'First episode starts before child was born.',
    fields: ['DECOM', 'DOB'], tables: ['episodes', 'header'],
    // every episode starting before the header's DOB (the first one does if any does)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'DECOM' AS field, 'DECOM ' || e.DECOM || ', DOB ' || h.DOB AS value
          FROM episodes e JOIN header h ON h.CHILD = e.CHILD
          WHERE uk_date(e.DECOM) < uk_date(h.DOB)`,
  },
  {
    code: '501', return: 'ssda903', severity: 'warning',
    message: 'A new episode has started before the end date of the previous episode.',
    fields: ['DEC', 'DECOM'], tables: ['episodes'],
    // the child's episodes in DECOM order: this one starts before the one before it ended
    sql: `SELECT file, line, CHILD AS child_id, 'DECOM' AS field, 'DECOM ' || DECOM || ', previous DEC ' || prev_dec AS value
          FROM (SELECT *, lag(DEC) OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) AS prev_dec FROM episodes
                WHERE uk_date(DECOM) IS NOT NULL)
          WHERE uk_date(DECOM) < uk_date(prev_dec)`,
  },
  {
    code: '502', return: 'ssda903', severity: 'warning', needs: 'lastYear',
    message: 'Last year\'s record ended with an open episode. The date on which that episode started does not match the start date of the first episode on this year’s record.',
    fields: ['DECOM'], tables: ['episodes', 'episodes_last'],
    // last year's latest episode has no DEC, and this year's first episode starts on another day
    sql: `WITH last_open AS (
            SELECT CHILD, DECOM FROM episodes_last
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1 AND blank(DEC)),
          first_now AS (
            SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)
          SELECT f.file, f.line, f.CHILD AS child_id, 'DECOM' AS field,
                 'DECOM ' || f.DECOM || ', open episode last year from ' || l.DECOM AS value
          FROM first_now f JOIN last_open l ON l.CHILD = f.CHILD
          WHERE uk_date(f.DECOM) IS DISTINCT FROM uk_date(l.DECOM)`,
  },
);
