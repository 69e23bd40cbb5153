// SSDA903 rules over OC2 (children looked after continuously for 12 months: SDQ, health, convictions) with
// episodes. DfE's code, message and fields; worked tests: test/validate/ssda903/health.test.ts. The OC2
// cohort (looked after continuously for at least 12 months at 31 March) is common.ts CLA_CTE. Ages use the OC2
// row's DOB.
import { rules } from '../types.ts';
import { CLA_CTE, LATEST_CTE, OC2_ANY_COMPLETED, OC2_VALUE, agedAtLeast } from './common.ts';

const DOB = 'uk_date(o.DOB)';
const FOUR_AT_START = agedAtLeast(DOB, 4, 'c.collection_start');
const UNDER_17_AT_END = `NOT ${agedAtLeast(DOB, 17, 'c.collection_end')}`;
const HEALTH_FOUR = ['IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE'] as const;
const anyBlank = (o: string, cols: readonly string[]) => `(${cols.map((x) => `blank(${o}.${x})`).join(' OR ')})`;

export default rules(
  {
    code: '157', return: 'ssda903', severity: 'error',
    message: 'Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths and Difficulties Questionnaire (SDQ) score.',
    fields: ['DOB', 'SDQ_REASON'], tables: ['oc2', 'episodes'],
    // SDQ1 says the child was under 4 or over 17; it is wrong for a child 4 or over at 1 April AND still under 17
    // at 31 March (DfE's "or" joins the two ends of the one age range)
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'SDQ_REASON' AS field, 'SDQ_REASON SDQ1, DOB ' || o.DOB AS value
          FROM oc2 o, collection c
          WHERE upper(trim(o.SDQ_REASON)) = 'SDQ1' AND ${FOUR_AT_START} AND ${UNDER_17_AT_END}`,
  },
  {
    code: '182', return: 'ssda903', severity: 'error',
    message: 'Data entries on immunisations, teeth checks, health assessments and substance misuse problem identified should be completed or all OC2 fields should be left blank.',
    fields: ['CONVICTED', 'HEALTH_ASSESSMENT', 'HEALTH_CHECK', 'IMMUNISATIONS', 'INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'],
    tables: ['oc2'],
    // some 12-month item is completed, but one of immunisations, teeth check, health assessment, substance misuse is blank
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'IMMUNISATIONS' AS field, ${OC2_VALUE('o')} AS value
          FROM oc2 o
          WHERE ${OC2_ANY_COMPLETED('o')} AND ${anyBlank('o', HEALTH_FOUR)}`,
  },
  {
    code: '185', return: 'ssda903', severity: 'error',
    message: 'Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and Difficulties (SDQ) score has been completed.',
    fields: ['SDQ_SCORE'], tables: ['oc2', 'episodes'],
    sql: `WITH ${CLA_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'SDQ_SCORE' AS field, 'SDQ_SCORE ' || o.SDQ_SCORE || ', not looked after for 12 months at 31 March' AS value
          FROM oc2 o WHERE NOT blank(o.SDQ_SCORE) AND o.CHILD NOT IN (SELECT CHILD FROM cla)`,
  },
  {
    code: '186', return: 'ssda903', severity: 'error',
    message: 'Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and who have been looked after for at least 12 months continuously should have a Strengths and Difficulties (SDQ) score completed.',
    fields: ['SDQ_SCORE'], tables: ['oc2', 'episodes'],
    // in the OC2 cohort, 4 or over at 1 April and under 17 at 31 March, and SDQ_SCORE blank (a reason for no score
    // is shown, not accepted: DfE asks for the score)
    sql: `WITH ${CLA_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'SDQ_SCORE' AS field,
                 'SDQ_SCORE blank, DOB ' || o.DOB || coalesce(', SDQ_REASON ' || o.SDQ_REASON, '') AS value
          FROM oc2 o JOIN cla ON cla.CHILD = o.CHILD, collection c
          WHERE blank(o.SDQ_SCORE) AND ${FOUR_AT_START} AND ${UNDER_17_AT_END}`,
  },
  {
    code: '190', return: 'ssda903', severity: 'error',
    message: 'Child has not been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been completed.',
    fields: ['CONVICTED', 'HEALTH_ASSESSMENT', 'HEALTH_CHECK', 'IMMUNISATIONS', 'INTERVENTION_OFFERED', 'INTERVENTION_RECEIVED', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'],
    tables: ['oc2', 'episodes'],
    sql: `WITH ${CLA_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'CONVICTED' AS field, ${OC2_VALUE('o')} || ', not looked after for 12 months at 31 March' AS value
          FROM oc2 o WHERE ${OC2_ANY_COMPLETED('o')} AND o.CHILD NOT IN (SELECT CHILD FROM cla)`,
  },
  {
    code: '191', return: 'ssda903', severity: 'error',
    message: 'Child has been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been left blank.',
    fields: ['CHILD', 'HEALTH_ASSESSMENT', 'IMMUNISATIONS', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'], tables: ['episodes', 'oc2'],
    // in the OC2 cohort: its OC2 row leaves one of the four blank, or there is no OC2 row (then the child's
    // latest episode is the line)
    sql: `WITH ${CLA_CTE}, ${LATEST_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'oc2' AS tbl, 'IMMUNISATIONS' AS field, ${OC2_VALUE('o', HEALTH_FOUR)} AS value
          FROM oc2 o JOIN cla ON cla.CHILD = o.CHILD WHERE ${anyBlank('o', HEALTH_FOUR)}
          UNION ALL
          SELECT l.file, l.line, l.CHILD, 'episodes', 'CHILD', 'looked after for 12 months at 31 March, no OC2 row'
          FROM latest l JOIN cla ON cla.CHILD = l.CHILD WHERE l.CHILD NOT IN (SELECT CHILD FROM oc2 WHERE CHILD IS NOT NULL)`,
  },
  {
    code: '197B', return: 'ssda903', severity: 'error',
    message: 'SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.',
    fields: ['DOB', 'SDQ_REASON'], tables: ['oc2', 'episodes'],
    // in the OC2 cohort, 4th or 17th birthday in the year, and both SDQ_SCORE and SDQ_REASON blank
    sql: `WITH ${CLA_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'SDQ_REASON' AS field, 'SDQ_SCORE and SDQ_REASON blank, DOB ' || o.DOB AS value
          FROM oc2 o JOIN cla ON cla.CHILD = o.CHILD, collection c
          WHERE blank(o.SDQ_SCORE) AND blank(o.SDQ_REASON)
            AND (CAST(${DOB} + INTERVAL 4 YEAR AS DATE) BETWEEN c.collection_start AND c.collection_end
              OR CAST(${DOB} + INTERVAL 17 YEAR AS DATE) BETWEEN c.collection_start AND c.collection_end)`,
  },
  {
    code: '198', return: 'ssda903', severity: 'error',
    message: 'Child has not been looked after continuously for at least 12 months at 31 March but a reason for no Strengths and Difficulties (SDQ) score has been completed. ',
    fields: ['SDQ_REASON'], tables: ['oc2', 'episodes'],
    sql: `WITH ${CLA_CTE}
          SELECT o.file, o.line, o.CHILD AS child_id, 'SDQ_REASON' AS field, 'SDQ_REASON ' || o.SDQ_REASON || ', not looked after for 12 months at 31 March' AS value
          FROM oc2 o WHERE NOT blank(o.SDQ_REASON) AND o.CHILD NOT IN (SELECT CHILD FROM cla)`,
  },
);
