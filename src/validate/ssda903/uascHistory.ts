// SSDA903 rules on UASC status across the two years (needs last year's return). The readers keep no separate
// UASC flag: a child is UASC in a year's return when it has a UASC row (the XML's <UASC>1</UASC> makes one, a
// CSV return has nothing else), and DUC is when the status ceased. DfE's code, message and fields; worked
// tests: test/validate/ssda903/uascHistory.test.ts.
import { rules } from '../types.ts';

const FIRST = (t: string) => `(SELECT * FROM ${t} QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY line) = 1)`;

export default rules(
  {
    code: '205A', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does not support this.',
    fields: ['CHILD', 'UASC'], tables: ['header', 'header_last', 'uasc', 'uasc_last'],
    // UASC last year, in this year's header with no UASC row, and last year's DUC does not say the status ceased
    // during last year (blank, or outside it)
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'CHILD' AS field,
                 'no UASC row this year; last year UASC, DUC ' || coalesce(l.DUC, 'blank') AS value
          FROM header h JOIN ${FIRST('uasc_last')} l ON l.CHILD = h.CHILD, collection c
          WHERE h.CHILD NOT IN (SELECT CHILD FROM uasc WHERE CHILD IS NOT NULL)
            AND (uk_date(l.DUC) IS NULL OR uk_date(l.DUC) NOT BETWEEN CAST(c.collection_start - INTERVAL 1 YEAR AS DATE) AND CAST(c.collection_end - INTERVAL 1 YEAR AS DATE))`,
  },
  {
    code: '205B', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not support this.',
    fields: ['DUC', 'UASC'], tables: ['uasc', 'header', 'header_last', 'uasc_last'],
    // UASC both years and last year's DUC given: the status had ceased, so this year's DUC must be that date
    sql: `SELECT u.file, u.line, u.CHILD AS child_id, 'DUC' AS field,
                 'DUC ' || coalesce(u.DUC, 'blank') || ', last year ' || l.DUC AS value
          FROM uasc u JOIN ${FIRST('uasc_last')} l ON l.CHILD = u.CHILD
          WHERE uk_date(l.DUC) IS NOT NULL AND uk_date(u.DUC) IS DISTINCT FROM uk_date(l.DUC)`,
  },
  {
    code: '205D', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Child identified as UASC this year but not identified as UASC status provided for the child last year.',
    fields: ['CHILD', 'UASC'], tables: ['uasc', 'header', 'header_last', 'uasc_last'],
    // a UASC row this year for a child in last year's header without a UASC row last year
    sql: `SELECT u.file, u.line, u.CHILD AS child_id, 'CHILD' AS field, 'UASC this year, in last year''s header without UASC' AS value
          FROM uasc u
          WHERE u.CHILD IN (SELECT CHILD FROM header_last WHERE CHILD IS NOT NULL)
            AND u.CHILD NOT IN (SELECT CHILD FROM uasc_last WHERE CHILD IS NOT NULL)`,
  },
);
