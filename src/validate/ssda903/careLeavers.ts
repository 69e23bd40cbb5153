// SSDA903 rules over care leavers (OC3) with episodes, the header, UASC, AD1 and OC2. DfE's code, message and
// fields; worked tests: test/validate/ssda903/careLeavers.test.ts. "Care leaver information completed" is any
// of IN_TOUCH, ACTIV, ACCOM not blank (a row with all three blank carries no information).
import { rules } from '../types.ts';
import { AD1_COMPLETED, CLA_CTE, HDR_CTE, LATEST_CTE, OC2_ANY_COMPLETED, OC2_VALUE, OC3_COMPLETED, OC3_VALUE } from './common.ts';

const OC3_FIELDS = ['ACCOM', 'ACTIV', 'IN_TOUCH'];

/** The child's episodes of both years, one per start date (the closed copy kept when last year's was open). */
const BOTH_YEARS = `eps2 AS (
    SELECT CHILD, uk_date(DECOM) AS s, uk_date(DEC) AS t, LS, REC FROM (
      SELECT CHILD, DECOM, DEC, LS, REC FROM episodes UNION ALL SELECT CHILD, DECOM, DEC, LS, REC FROM episodes_last)
    WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD, uk_date(DECOM) ORDER BY uk_date(DEC) NULLS LAST) = 1)`;

/** `bday(CHILD, line, n, bday)`: the OC3 child's 17th or 18th birthday when it falls in the collection year. */
const BDAY_CTE = `bday AS (
    SELECT o.CHILD, o.line, n.n,
           CAST(coalesce(uk_date(o.DOB), h.dob) + to_years(n.n) AS DATE) AS bday
    FROM oc3 o LEFT JOIN hdr h ON h.CHILD = o.CHILD, (VALUES (17), (18)) n(n), collection c
    WHERE CAST(coalesce(uk_date(o.DOB), h.dob) + to_years(n.n) AS DATE) BETWEEN c.collection_start AND c.collection_end)`;

export default rules(
  {
    code: '1000', return: 'ssda903', severity: 'error',
    message: 'This child is recorded as having died in care and therefore should not have the care leaver information completed. [NOTE: This only tests the current and previous year data loaded into the tool]',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes'],
    // an episode ended with REC E2 (died) and the child has care leaver information
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', REC E2 on the episode from ' || e.DECOM AS value
          FROM oc3 o JOIN (SELECT CHILD, any_value(DECOM) AS DECOM FROM episodes WHERE REC = 'E2' GROUP BY CHILD) e ON e.CHILD = o.CHILD
          WHERE ${OC3_COMPLETED('o')}`,
  },
  {
    code: '1001', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'The episodes recorded for this young person suggest they are not a relevant or a former relevant child and therefore should not have care leaver information completed. [NOTE: This tool can only test the current and previous year data loaded into the tool - this check may generate false positives if a child had episodes prior to last year\'s collection.]',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes', 'episodes_last', 'header'],
    // A (former) relevant child was looked after for at least 13 weeks (91 days) since their 14th birthday, some of
    // it after their 16th; V3/V4 short breaks do not count; the latest open episode runs to 31 March. From this
    // year's and last year's episodes only, so young people aged 20 or over at 31 March (whose care is older than
    // the two returns) are not judged. A child whose latest episode ended in adoption (E11, E12) is not one either.
    sql: `WITH ${HDR_CTE}, ${BOTH_YEARS},
          filled AS (
            SELECT b.*, row_number() OVER (PARTITION BY b.CHILD ORDER BY b.s DESC) = 1 AS is_latest,
                   CASE WHEN b.t IS NULL AND row_number() OVER (PARTITION BY b.CHILD ORDER BY b.s DESC) = 1 THEN c.collection_end ELSE b.t END AS t2
            FROM eps2 b, collection c),
          care AS (
            SELECT f.CHILD,
                   sum(greatest(0, date_diff('day', greatest(f.s, CAST(h.dob + INTERVAL 14 YEAR AS DATE)), f.t2))) AS d14,
                   sum(greatest(0, date_diff('day', greatest(f.s, CAST(h.dob + INTERVAL 16 YEAR AS DATE)), f.t2))) AS d16
            FROM filled f JOIN hdr h ON h.CHILD = f.CHILD
            WHERE coalesce(f.LS, '') NOT IN ('V3', 'V4') AND f.t2 IS NOT NULL GROUP BY f.CHILD),
          adopted AS (SELECT CHILD FROM filled WHERE is_latest AND REC IN ('E11', 'E12'))
          SELECT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', days looked after since 14th birthday ' || coalesce(k.d14, 0) || ', since 16th ' || coalesce(k.d16, 0)
                   || CASE WHEN a.CHILD IS NOT NULL THEN ', adopted (latest REC E11/E12)' ELSE '' END AS value
          FROM oc3 o JOIN hdr h ON h.CHILD = o.CHILD CROSS JOIN collection c
          LEFT JOIN care k ON k.CHILD = o.CHILD LEFT JOIN adopted a ON a.CHILD = o.CHILD
          WHERE ${OC3_COMPLETED('o')} AND h.dob + INTERVAL 20 YEAR > c.collection_end
            AND (a.CHILD IS NOT NULL OR coalesce(k.d14, 0) < 91 OR coalesce(k.d16, 0) < 1)`,
  },
  {
    code: '1002', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'This child has no previous episodes of care, therefore should not have care leaver information recorded. [NOTE: This tool can only test the current and previous year data loaded into the tool - this check may generate false positives if a child had episodes prior to last year\'s collection.]',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes', 'episodes_last'],
    // care leaver information for a child with no episode in either year's return
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field, ${OC3_VALUE('o')} || ', no episodes this year or last' AS value
          FROM oc3 o
          WHERE ${OC3_COMPLETED('o')}
            AND o.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)
            AND o.CHILD NOT IN (SELECT CHILD FROM episodes_last WHERE CHILD IS NOT NULL)`,
  },
  {
    code: '1007', return: 'ssda903', severity: 'error',
    message: 'Care leaver information is not required for 17- or 18-year olds who are still looked after [on their 17th or 18th birthday.]',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes'],
    // the 17th or 18th birthday is in the year and an open episode (no DEC) had started by then: still looked after
    sql: `WITH ${HDR_CTE}, ${BDAY_CTE}
          SELECT DISTINCT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', ' || b.n || 'th birthday ' || strftime(b.bday, '%d/%m/%Y') || ', looked after since ' || e.DECOM AS value
          FROM oc3 o JOIN bday b ON b.line = o.line AND b.CHILD = o.CHILD
          JOIN episodes e ON e.CHILD = o.CHILD AND uk_date(e.DECOM) <= b.bday AND blank(e.DEC)
          WHERE ${OC3_COMPLETED('o')}`,
  },
  {
    code: '1010', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'This child has no episodes loaded for current year even though there was an open episode of care at the end of the previous year, and care leaver data has been entered.',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes', 'episodes_last'],
    // last year's latest episode has no DEC, this year has no episodes for the child, and OC3 is completed
    sql: `WITH last_open AS (
            SELECT CHILD, DECOM FROM episodes_last WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1 AND blank(DEC))
          SELECT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', open episode last year from ' || l.DECOM || ', none this year' AS value
          FROM oc3 o JOIN last_open l ON l.CHILD = o.CHILD
          WHERE ${OC3_COMPLETED('o')} AND o.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)`,
  },
  {
    code: '1011', return: 'ssda903', severity: 'error',
    message: 'This child is recorded as having his/her care transferred to another local authority for the final episode and therefore should not have the care leaver information completed.',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes'],
    // the child's latest episode ended with REC E3 (care taken over by another local authority)
    sql: `WITH ${LATEST_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', final episode from ' || l.DECOM || ' REC E3' AS value
          FROM oc3 o JOIN latest l ON l.CHILD = o.CHILD
          WHERE l.REC = 'E3' AND ${OC3_COMPLETED('o')}`,
  },
  {
    code: '1012', return: 'ssda903', severity: 'error',
    message: 'No other data should be returned for OC3 children who had no episodes in the current year',
    fields: ['CHILD'], tables: ['oc3', 'episodes', 'reviews', 'oc2', 'ad1', 'placed_for_adoption', 'previous_permanence', 'missing', 'sw_episodes'],
    // a row of a table for looked-after children (reviews, OC2, AD1, placed for adoption, previous permanence,
    // missing, social worker episodes) for a child who is in OC3 and has no episode this year; the header is the
    // care leaver's own, and UASC is rule 1014's
    sql: `WITH leavers AS (SELECT DISTINCT CHILD FROM oc3 WHERE CHILD IS NOT NULL AND CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)),
          other AS (
            SELECT 'reviews' AS tbl, file, line, CHILD FROM reviews UNION ALL
            SELECT 'oc2', file, line, CHILD FROM oc2 UNION ALL
            SELECT 'ad1', file, line, CHILD FROM ad1 UNION ALL
            SELECT 'placed_for_adoption', file, line, CHILD FROM placed_for_adoption UNION ALL
            SELECT 'previous_permanence', file, line, CHILD FROM previous_permanence UNION ALL
            SELECT 'missing', file, line, CHILD FROM missing UNION ALL
            SELECT 'sw_episodes', file, line, CHILD FROM sw_episodes)
          SELECT x.file, x.line, x.CHILD AS child_id, x.tbl, 'CHILD' AS field,
                 'CHILD ' || x.CHILD || ' in OC3 with no episodes this year, has a ' || x.tbl || ' row' AS value
          FROM other x JOIN leavers l ON l.CHILD = x.CHILD`,
  },
  {
    code: '1014', return: 'ssda903', severity: 'error',
    message: 'UASC information is not required for care leavers',
    fields: ['ACCOM', 'ACTIV', 'DUC', 'IN_TOUCH'], tables: ['uasc', 'oc3', 'episodes'],
    // a UASC row for a child with care leaver information and no episode this year (a care leaver, not looked after)
    sql: `SELECT u.file, u.line, u.CHILD AS child_id, 'DUC' AS field,
                 'UASC row (DUC ' || coalesce(u.DUC, 'blank') || ') for a care leaver: ' || ${OC3_VALUE('o')} AS value
          FROM uasc u JOIN oc3 o ON o.CHILD = u.CHILD
          WHERE ${OC3_COMPLETED('o')} AND u.CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL)`,
  },
  {
    code: '1016', return: 'ssda903', severity: 'error',
    message: 'Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after their birthday.',
    fields: OC3_FIELDS, tables: ['oc3', 'episodes'],
    // the 17th or 18th birthday is in the year, and an episode that had started by then ended after it (1007 is
    // the child still looked after at 31 March)
    sql: `WITH ${HDR_CTE}, ${BDAY_CTE}
          SELECT DISTINCT o.file, o.line, o.CHILD AS child_id, 'IN_TOUCH' AS field,
                 ${OC3_VALUE('o')} || ', ' || b.n || 'th birthday ' || strftime(b.bday, '%d/%m/%Y') || ', episode ' || e.DECOM || ' to ' || e.DEC AS value
          FROM oc3 o JOIN bday b ON b.line = o.line AND b.CHILD = o.CHILD
          JOIN episodes e ON e.CHILD = o.CHILD AND uk_date(e.DECOM) <= b.bday AND uk_date(e.DEC) > b.bday
          WHERE ${OC3_COMPLETED('o')}`,
  },
  {
    code: '134', return: 'ssda903', severity: 'error',
    message: 'Data on adoption should not be entered for the OC3 cohort.',
    fields: ['ACCOM', 'ACTIV', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'IN_TOUCH', 'LS_ADOPTR', 'NB_ADOPTR', 'SEX_ADOPTR'],
    tables: ['ad1', 'oc3'],
    // an AD1 row with any item completed for a child with care leaver information
    sql: `SELECT a.file, a.line, a.CHILD AS child_id, 'DATE_INT' AS field, 'AD1 completed, and OC3 ' || ${OC3_VALUE('o')} AS value
          FROM ad1 a JOIN oc3 o ON o.CHILD = a.CHILD
          WHERE ${AD1_COMPLETED('a')} AND ${OC3_COMPLETED('o')}`,
  },
  {
    code: '187', return: 'ssda903', severity: 'error',
    message: 'Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or care leavers returns completed.',
    fields: ['ACCOM', 'ACTIV', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'IN_TOUCH', 'LS_ADOPTR', 'NB_ADOPTR', 'SEX_ADOPTR'],
    tables: ['ad1', 'episodes', 'oc3'],
    // a child of the OC2 cohort (common.ts CLA_CTE) with an AD1 row or care leaver information completed
    sql: `WITH ${CLA_CTE}
          SELECT a.file, a.line, a.CHILD AS child_id, 'ad1' AS tbl, 'DATE_INT' AS field, 'AD1 completed, looked after for 12 months at 31 March' AS value
          FROM ad1 a JOIN cla ON cla.CHILD = a.CHILD WHERE ${AD1_COMPLETED('a')}
          UNION ALL
          SELECT o.file, o.line, o.CHILD, 'oc3', 'IN_TOUCH', ${OC3_VALUE('o')} || ', looked after for 12 months at 31 March'
          FROM oc3 o JOIN cla ON cla.CHILD = o.CHILD WHERE ${OC3_COMPLETED('o')}`,
  },
  {
    code: '215', return: 'ssda903', severity: 'error',
    message: 'Child has care leaver information but one or more data items relating to children looked after for 12 months have been completed.',
    fields: ['ACCOM', 'ACTIV', 'CONVICTED', 'HEALTH_ASSESSMENT', 'HEALTH_CHECK', 'IMMUNISATIONS', 'INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED', 'IN_TOUCH', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'],
    tables: ['oc2', 'oc3'],
    // an OC2 row with any 12-month item completed for a child with care leaver information
    sql: `SELECT c2.file, c2.line, c2.CHILD AS child_id, 'CONVICTED' AS field, ${OC2_VALUE('c2')} || '; OC3 ' || ${OC3_VALUE('o')} AS value
          FROM oc2 c2 JOIN oc3 o ON o.CHILD = c2.CHILD
          WHERE ${OC2_ANY_COMPLETED('c2')} AND ${OC3_COMPLETED('o')}`,
  },
  {
    code: '3001', return: 'ssda903', severity: 'error',
    message: 'Where care leavers information is being returned for a young person around their 17th birthday, the accommodation cannot be with their former foster carer(s).',
    fields: ['REC'], tables: ['oc3', 'header'],
    // 17th birthday in the year and ACCOM Z1/Z2 (living with former foster carers)
    sql: `WITH ${HDR_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'ACCOM' AS field, 'ACCOM ' || o.ACCOM || ', DOB ' || coalesce(o.DOB, h.dob_text) AS value
          FROM oc3 o LEFT JOIN hdr h ON h.CHILD = o.CHILD, collection c
          WHERE upper(trim(o.ACCOM)) IN ('Z1', 'Z2')
            AND CAST(coalesce(uk_date(o.DOB), h.dob) + INTERVAL 17 YEAR AS DATE) BETWEEN c.collection_start AND c.collection_end`,
  },
  {
    code: '344', return: 'ssda903', severity: 'error',
    message: 'The record shows the young person has died or returned home to live with parent(s) or someone with parental responsibility for a continuous period of 6 months or more, but activity and/or accommodation on leaving care have been completed.',
    fields: OC3_FIELDS, tables: ['oc3'],
    // IN_TOUCH DIED or RHOM, and ACTIV or ACCOM given (blank or 0 is "not completed")
    sql: `SELECT file, line, CHILD AS child_id, 'ACTIV' AS field, ${OC3_VALUE('o')} AS value
          FROM oc3 o
          WHERE upper(trim(o.IN_TOUCH)) IN ('DIED', 'RHOM')
            AND ((NOT blank(o.ACTIV) AND trim(o.ACTIV) <> '0') OR (NOT blank(o.ACCOM) AND trim(o.ACCOM) <> '0'))`,
  },
  {
    code: '347', return: 'ssda903', severity: 'error',
    message: 'Care leavers aged under 18 years, can not be accommodated in a Foyer.',
    fields: ['DEC', 'PLACE', 'URN'], tables: ['oc3', 'header'],
    // ACCOM T (foyers and similar supported accommodation, T1/T2) for a young person under 18 at the start of the year
    sql: `WITH ${HDR_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'ACCOM' AS field, 'ACCOM ' || o.ACCOM || ', DOB ' || coalesce(o.DOB, h.dob_text) AS value
          FROM oc3 o LEFT JOIN hdr h ON h.CHILD = o.CHILD, collection c
          WHERE upper(left(trim(o.ACCOM), 1)) = 'T'
            AND coalesce(uk_date(o.DOB), h.dob) + INTERVAL 18 YEAR > c.collection_start`,
  },
);
