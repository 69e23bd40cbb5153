// SSDA903 rules over the header: this year's against last year's (202–208), the UPN's unknown codes, mother,
// and children only in short breaks. DfE's code, message and fields; worked tests:
// test/validate/ssda903/headerChecks.test.ts.
import { rules } from '../types.ts';

/** This year's header row joined to last year's for the same child (the first of last year's if repeated). */
const WITH_LAST = `h JOIN (SELECT * FROM header_last QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY line) = 1) l ON l.CHILD = h.CHILD`;

function differs(code: string, message: string, field: string, extra = ''): ReturnType<typeof rules>[number] {
  return {
    code, return: 'ssda903', severity: 'error', needs: 'lastYear', message,
    fields: [field], tables: ['header', 'header_last'],
    // both years give the item and they differ (a blank one is its own rule)
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, '${field}' AS field, '${field} ' || h.${field} || ', last year ' || l.${field} AS value
          FROM header ${WITH_LAST}
          WHERE NOT blank(h.${field}) AND NOT blank(l.${field}) AND ${field === 'DOB' ? `uk_date(h.DOB) IS DISTINCT FROM uk_date(l.DOB)` : `upper(trim(h.${field})) <> upper(trim(l.${field}))`}${extra}`,
  };
}

export default rules(
  differs('202', 'The gender code conflicts with the gender already recorded for this child.', 'SEX'),
  differs('203', 'Date of birth disagrees with the date of birth already recorded for this child.', 'DOB'),
  differs('204', 'Ethnic origin code disagrees with the ethnic origin already recorded for this child.', 'ETHNIC'),
  {
    code: '207', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Mother status for the current year disagrees with the mother status already recorded for this child.',
    fields: ['MOTHER'], tables: ['header', 'episodes', 'header_last'],
    // a mother last year (MOTHER 1) is a mother this year: MOTHER given and not 1
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field, 'MOTHER ' || h.MOTHER || ', last year 1' AS value
          FROM header ${WITH_LAST}
          WHERE trim(l.MOTHER) = '1' AND NOT blank(h.MOTHER) AND trim(h.MOTHER) <> '1'`,
  },
  // a real UPN last year (not blank, not an unknown code UN1–UN5), and this year another value
  differs('208', 'Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already recorded for this child.', 'UPN',
    ` AND upper(trim(l.UPN)) NOT LIKE 'UN%'`),
  {
    code: '209', return: 'ssda903', severity: 'error',
    message: 'Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.',
    fields: ['DOB', 'UPN'], tables: ['header'],
    // UN1 (not yet of school age) for a child who was 4 by 31 August before the collection year began, so started
    // reception that September and has a UPN
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'UPN' AS field, 'UPN UN1, DOB ' || h.DOB AS value
          FROM header h, collection c
          WHERE upper(trim(h.UPN)) = 'UN1'
            AND uk_date(h.DOB) + INTERVAL 4 YEAR <= make_date(year(c.collection_start) - 1, 8, 31)`,
  },
  {
    code: '210', return: 'ssda903', severity: 'error',
    message: 'Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number (UPN) code of UN4.',
    fields: ['DECOM', 'UPN'], tables: ['episodes', 'header'],
    // UN4 (newly looked after, UPN not yet obtained) for a child looked after at 31 March (an open episode) whose
    // period of care (the latest RNE S on or before it) began more than 7 days earlier; the header line is reported
    sql: `WITH open_ep AS (
            SELECT CHILD, uk_date(DECOM) AS s FROM episodes WHERE blank(DEC) AND uk_date(DECOM) IS NOT NULL),
          starts AS (
            SELECT o.CHILD, coalesce(max(uk_date(e.DECOM)) FILTER (WHERE e.RNE = 'S' AND uk_date(e.DECOM) <= o.s), min(uk_date(e.DECOM))) AS began
            FROM open_ep o JOIN episodes e ON e.CHILD = o.CHILD GROUP BY o.CHILD)
          SELECT h.file, h.line, h.CHILD AS child_id, 'header' AS tbl, 'UPN' AS field,
                 'UPN UN4, looked after since ' || strftime(s.began, '%d/%m/%Y') AS value
          FROM header h JOIN starts s ON s.CHILD = h.CHILD, collection c
          WHERE upper(trim(h.UPN)) = 'UN4' AND s.began < c.collection_end - 7`,
  },
  {
    code: '393', return: 'ssda903', severity: 'error',
    message: 'Child is looked after but mother field is not completed.',
    fields: ['MOTHER'], tables: ['header', 'episodes'],
    // a girl (SEX 2) with an episode that is not a short break (V3, V4), MOTHER blank
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field, 'SEX 2, MOTHER blank' AS value
          FROM header h
          WHERE trim(h.SEX) = '2' AND blank(h.MOTHER)
            AND h.CHILD IN (SELECT CHILD FROM episodes WHERE coalesce(upper(LS), '') NOT IN ('V3', 'V4'))`,
  },
  {
    code: '399', return: 'ssda903', severity: 'error',
    message: 'Mother field, review field or participation field are completed but child is looked after under legal status V3 or V4.',
    fields: ['LS', 'MOTHER', 'REVIEW', 'REVIEW_CODE'], tables: ['header', 'episodes', 'reviews'],
    // a child whose every episode is a short break (V3, V4): the header's MOTHER, and any review row with a date
    // or participation code
    sql: `WITH breaks AS (SELECT CHILD FROM episodes GROUP BY CHILD HAVING bool_and(coalesce(upper(LS), '') IN ('V3', 'V4')))
          SELECT h.file, h.line, h.CHILD AS child_id, 'header' AS tbl, 'MOTHER' AS field, 'MOTHER ' || h.MOTHER || ', short breaks only' AS value
          FROM header h JOIN breaks b ON b.CHILD = h.CHILD WHERE NOT blank(h.MOTHER)
          UNION ALL
          SELECT r.file, r.line, r.CHILD, 'reviews', 'REVIEW', concat_ws(', ', 'REVIEW ' || r.REVIEW, 'REVIEW_CODE ' || r.REVIEW_CODE) || ', short breaks only'
          FROM reviews r JOIN breaks b ON b.CHILD = r.CHILD WHERE NOT blank(r.REVIEW) OR NOT blank(r.REVIEW_CODE)`,
  },
);
