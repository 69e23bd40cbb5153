// SSDA903 rules over the missing / away from placement without authorisation periods (missing, and last year's)
// against the episodes. Worked tests: test/validate/ssda903/missingPeriods.test.ts.
import { rules } from '../types.ts';

/** The child's last episode (by DECOM), when it ended care (a DEC and a REC other than X1). */
const CEASED_CARE = `(SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1
    AND uk_date(DEC) IS NOT NULL AND NOT blank(REC) AND REC <> 'X1')`;

export default rules(
  {
    code: '566', return: 'ssda903', severity: 'error',
    message: 'The date that the child\'s episode of being missing or away from placement without authorisation ended has been completed but whether the child was missing or away without authorisation has not been completed.',
    fields: ['MISSING', 'MIS_END'], tables: ['missing'],
    sql: `SELECT file, line, CHILD AS child_id, 'MISSING' AS field, 'MISSING blank, MIS_END ' || MIS_END AS value
          FROM missing WHERE NOT blank(MIS_END) AND blank(MISSING)`,
  },
  {
    code: '574', return: 'ssda903', severity: 'error',
    message: 'A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.',
    fields: ['MIS_END', 'MIS_START'], tables: ['missing'],
    // the child's periods by MIS_START: the one before this has no end, or ends after this starts
    sql: `SELECT file, line, CHILD AS child_id, 'MIS_START' AS field,
                 'MIS_START ' || MIS_START || ', previous period from ' || prev_start || ' to ' || coalesce(prev_end, '(open)') AS value
          FROM (SELECT *, lag(MIS_START) OVER w AS prev_start, lag(MIS_END) OVER w AS prev_end
                FROM missing WHERE uk_date(MIS_START) IS NOT NULL
                WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(MIS_START), line))
          WHERE prev_start IS NOT NULL AND (blank(prev_end) OR uk_date(MIS_START) < uk_date(prev_end))`,
  },
  {
    code: '575', return: 'ssda903', severity: 'error',
    message: 'If the placement from which the child goes missing/away from placement without authorisation ends, the missing/away from placement without authorisation period in the missing module must also have an end date.',
    fields: ['MIS_END'], tables: ['missing', 'episodes'],
    // an open period that began during an episode that has ended
    sql: `SELECT m.file, m.line, m.CHILD AS child_id, 'MIS_END' AS field,
                 'MIS_START ' || m.MIS_START || ', MIS_END blank, the episode from ' || min(e.DECOM) || ' ended ' || min(e.DEC) AS value
          FROM missing m JOIN episodes e ON e.CHILD = m.CHILD
            AND uk_date(m.MIS_START) BETWEEN uk_date(e.DECOM) AND uk_date(e.DEC)
          WHERE blank(m.MIS_END)
          GROUP BY m.file, m.line, m.CHILD, m.MIS_START`,
  },
  {
    code: '576', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'There is an open missing/away from placement without authorisation period in last year’s return and there is no corresponding period recorded at the start of this year.',
    fields: ['CHILD'], tables: ['missing', 'missing_last', 'episodes'],
    // last year's open period is this year's first, with the same MIS_START (a blank MIS_START is not the same); a child
    // still looked after (episodes this year) with no period at all this year is reported on last year's open period
    sql: `WITH open_last AS (
            SELECT * FROM missing_last WHERE blank(MIS_END) AND uk_date(MIS_START) IS NOT NULL),
          first_now AS (
            SELECT * FROM missing
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(MIS_START) NULLS LAST, line) = 1)
          SELECT f.file, f.line, f.CHILD AS child_id, 'missing' AS tbl, 'CHILD' AS field,
                 'first period this year from ' || coalesce(f.MIS_START, '(blank)') || ', open last year from ' || l.MIS_START AS value
          FROM first_now f JOIN open_last l ON l.CHILD = f.CHILD
          WHERE uk_date(f.MIS_START) IS DISTINCT FROM uk_date(l.MIS_START)
          UNION ALL
          SELECT l.file, l.line, l.CHILD AS child_id, 'missing_last' AS tbl, 'CHILD' AS field,
                 'open last year from ' || l.MIS_START || ', no missing period this year' AS value
          FROM open_last l
          WHERE NOT EXISTS (SELECT 1 FROM missing m WHERE m.CHILD = l.CHILD)
            AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = l.CHILD)`,
  },
  {
    code: '577', return: 'ssda903', severity: 'error',
    message: 'Child ceased to be looked after but there is a missing/away from placement without authorisation period without an end date.',
    fields: ['MIS_END'], tables: ['missing', 'episodes'],
    sql: `SELECT m.file, m.line, m.CHILD AS child_id, 'MIS_END' AS field,
                 'MIS_END blank, ceased to be looked after ' || e.DEC || ' (REC ' || e.REC || ')' AS value
          FROM missing m JOIN ${CEASED_CARE} e ON e.CHILD = m.CHILD
          WHERE blank(m.MIS_END)`,
  },
  {
    code: '578', return: 'ssda903', severity: 'error',
    message: 'The date that the child started to be missing is after the child ceased to be looked after.',
    fields: ['MIS_START'], tables: ['missing', 'episodes'],
    sql: `SELECT m.file, m.line, m.CHILD AS child_id, 'MIS_START' AS field,
                 'MIS_START ' || m.MIS_START || ', ceased to be looked after ' || e.DEC AS value
          FROM missing m JOIN ${CEASED_CARE} e ON e.CHILD = m.CHILD
          WHERE uk_date(m.MIS_START) > uk_date(e.DEC)`,
  },
  {
    code: '580', return: 'ssda903', severity: 'error',
    message: 'Child is missing when cease being looked after but reason episode ceased not ‘E8’.',
    fields: ['REC'], tables: ['episodes', 'missing', 'header'],
    // missing until the 18th birthday (DOB of the missing row, else the header's), which is the day the episode ended:
    // care ended for another reason (E8)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field,
                 'REC ' || coalesce(e.REC, '(blank)') || ', DEC ' || e.DEC || ', missing until ' || min(m.MIS_END) || ' (18th birthday)' AS value
          FROM episodes e JOIN missing m ON m.CHILD = e.CHILD AND uk_date(m.MIS_END) = uk_date(e.DEC)
            LEFT JOIN (SELECT CHILD, any_value(DOB) AS DOB FROM header GROUP BY CHILD) h ON h.CHILD = m.CHILD
          WHERE uk_date(m.MIS_END) = uk_date(coalesce(m.DOB, h.DOB)) + INTERVAL 18 YEAR AND e.REC IS DISTINCT FROM 'E8'
          GROUP BY e.file, e.line, e.CHILD, e.REC, e.DEC`,
  },
  {
    code: '581', return: 'ssda903', severity: 'error',
    message: 'Child is missing but has not yet started to be looked after.',
    fields: ['MIS_START'], tables: ['missing', 'episodes'],
    sql: `SELECT m.file, m.line, m.CHILD AS child_id, 'MIS_START' AS field,
                 'MIS_START ' || m.MIS_START || ', first episode from ' || strftime(f.first_decom, '%d/%m/%Y') AS value
          FROM missing m JOIN (SELECT CHILD, min(uk_date(DECOM)) AS first_decom FROM episodes GROUP BY CHILD) f ON f.CHILD = m.CHILD
          WHERE uk_date(m.MIS_START) < f.first_decom`,
  },
);
