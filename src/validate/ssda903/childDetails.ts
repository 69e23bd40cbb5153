// SSDA903 rules over a child's own details against the episodes: health and offending (OC2) for children looked
// after continuously for 12 months, motherhood (header), previous permanence, and the header with no episodes.
// Worked tests: test/validate/ssda903/childDetails.test.ts.
import { rules } from '../types.ts';

/**
 * Children looked after continuously for 12 months at 31 March: a period of care (episodes, leaving out short
 * breaks V3/V4, each continuing the one before: previous REC X1 and DEC the day of DECOM) that began on or
 * before 1 April and had not ended before 31 March.
 */
const LOOKED_AFTER_12_MONTHS = `(
  SELECT DISTINCT CHILD FROM (
    SELECT CHILD, period, min(uk_date(DECOM)) AS began,
           CASE WHEN bool_or(uk_date(DEC) IS NULL) THEN NULL ELSE max(uk_date(DEC)) END AS ended
    FROM (SELECT *, sum(CASE WHEN prev_rec = 'X1' AND uk_date(prev_dec) = uk_date(DECOM) THEN 0 ELSE 1 END)
                      OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) AS period
          FROM (SELECT *, lag(REC) OVER w AS prev_rec, lag(DEC) OVER w AS prev_dec
                FROM episodes WHERE uk_date(DECOM) IS NOT NULL AND (LS IS NULL OR LS NOT IN ('V3', 'V4'))
                WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DECOM), line)))
    GROUP BY CHILD, period) p, collection c
  WHERE p.began <= c.collection_start AND (p.ended IS NULL OR p.ended >= c.collection_end))`;

/** OC2 rows with the child's date of birth (OC2's, else the header's) and whether looked after for 12 months. */
const OC2 = `(SELECT o.*, uk_date(coalesce(o.DOB, h.DOB)) AS dob_date, coalesce(o.DOB, h.DOB) AS dob_text
  FROM oc2 o LEFT JOIN (SELECT CHILD, any_value(DOB) AS DOB FROM header GROUP BY CHILD) h ON h.CHILD = o.CHILD
  WHERE o.CHILD IN ${LOOKED_AFTER_12_MONTHS})`;

/** The four fields a completed health or conviction entry brings with it. */
const HEALTH_FIELDS_BLANK = `(blank(IMMUNISATIONS) OR blank(TEETH_CHECK) OR blank(HEALTH_ASSESSMENT) OR blank(SUBSTANCE_MISUSE))`;
const HEALTH_FIELDS = `'IMMUNISATIONS ' || coalesce(IMMUNISATIONS, '(blank)') || ', TEETH_CHECK ' || coalesce(TEETH_CHECK, '(blank)') ||
  ', HEALTH_ASSESSMENT ' || coalesce(HEALTH_ASSESSMENT, '(blank)') || ', SUBSTANCE_MISUSE ' || coalesce(SUBSTANCE_MISUSE, '(blank)')`;

/** The child's last episode (by DECOM) when it ended care (a DEC and a REC other than X1). */
const CEASED_CARE = `(SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1
    AND uk_date(DEC) IS NOT NULL AND NOT blank(REC) AND REC <> 'X1')`;

/** DATE_PERM as a date, unknown day or month (ZZ) read as the 1st: the earliest it can be; NULL when not a valid value. */
const DATE_PERM_EARLIEST = `(CASE WHEN regexp_matches(upper(trim(DATE_PERM)), '^([0-9]{2}|ZZ)/([0-9]{2}|ZZ)/[0-9]{4}$')
  THEN TRY_CAST(TRY_STRPTIME(replace(upper(trim(DATE_PERM)), 'ZZ', '01'), '%d/%m/%Y') AS DATE) END)`;

/**
 * LA_PERM's valid values: DfE's three-digit local authority numbers, past and present (a previous permanence order may
 * have been made years ago, by an authority since reorganised: Bournemouth 837, Poole 836, Dorset 835, Northamptonshire
 * 928, Cumbria 909, Cheshire 875 as well as their successors 838, 839, 940, 941, 942, 943), 999, and outside England:
 * WAL (Wales), SCO (Scotland), NIR (Northern Ireland), NUK (outside the UK).
 */
const LA_PERM_VALUES = [
  ...range(201, 213), ...range(301, 320), ...range(330, 336), ...range(340, 344), ...range(350, 359), ...range(370, 373),
  ...range(380, 384), ...range(390, 394), 420, 800, 801, 802, 803, 805, 806, 807, 808, 810, 811, 812, 813, 815, 816, 821, 822, 823,
  825, 826, 830, 831, 835, 836, 837, 838, 839, 840, 841, 845, 846, 850, 851, 852, 855, 856, 857, 860, 861, 865, 866, 867, 868, 869,
  870, 871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881, 882, 883, 884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895,
  896, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935, 936, 937, 938, 940, 941, 942, 943, 999,
].map(String).concat(['WAL', 'SCO', 'NIR', 'NUK']);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export default rules(
  {
    code: '543', return: 'ssda903', severity: 'error',
    message: 'Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet conviction information has not been completed.',
    fields: ['CONVICTED', 'DOB'], tables: ['oc2', 'episodes', 'header'],
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'CONVICTED' AS field, 'CONVICTED blank, DOB ' || o.dob_text AS value
          FROM ${OC2} o, collection c WHERE blank(o.CONVICTED) AND o.dob_date + INTERVAL 10 YEAR <= c.collection_end`,
  },
  {
    code: '544', return: 'ssda903', severity: 'error',
    message: 'Any child who has conviction information completed must also have immunisation, teeth check, health assessment and substance misuse problem identified fields completed.',
    fields: ['CONVICTED', 'HEALTH_ASSESSMENT', 'IMMUNISATIONS', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'], tables: ['oc2'],
    sql: `SELECT file, line, CHILD AS child_id, 'CONVICTED' AS field, 'CONVICTED ' || CONVICTED || ', ' || ${HEALTH_FIELDS} AS value
          FROM oc2 WHERE NOT blank(CONVICTED) AND ${HEALTH_FIELDS_BLANK}`,
  },
  {
    code: '545', return: 'ssda903', severity: 'error',
    message: 'Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet health promotion information has not been completed.',
    fields: ['DOB', 'HEALTH_CHECK'], tables: ['oc2', 'episodes', 'header'],
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'HEALTH_CHECK' AS field, 'HEALTH_CHECK blank, DOB ' || o.dob_text AS value
          FROM ${OC2} o, collection c WHERE blank(o.HEALTH_CHECK) AND o.dob_date + INTERVAL 5 YEAR > c.collection_end`,
  },
  {
    code: '547', return: 'ssda903', severity: 'error',
    message: 'Any child who has health promotion information completed must also have immunisation, teeth check, health assessment and substance misuse problem identified fields completed.',
    fields: ['HEALTH_ASSESSMENT', 'HEALTH_CHECK', 'IMMUNISATIONS', 'SUBSTANCE_MISUSE', 'TEETH_CHECK'], tables: ['oc2'],
    sql: `SELECT file, line, CHILD AS child_id, 'HEALTH_CHECK' AS field, 'HEALTH_CHECK ' || HEALTH_CHECK || ', ' || ${HEALTH_FIELDS} AS value
          FROM oc2 WHERE NOT blank(HEALTH_CHECK) AND ${HEALTH_FIELDS_BLANK}`,
  },
  {
    code: '607', return: 'ssda903', severity: 'error',
    message: 'Child ceased to be looked after in the year, but mother field has not been completed.',
    fields: ['DEC', 'LS', 'MOTHER', 'REC', 'SEX'], tables: ['header', 'episodes'],
    // a girl (SEX 2) with an episode, not a short break (V3, V4), that ended care in the year (DEC in the year, REC not X1)
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field,
                 'MOTHER blank, SEX 2, ceased to be looked after ' || min(e.DEC) || ' (REC ' || min(e.REC) || ')' AS value
          FROM header h JOIN episodes e ON e.CHILD = h.CHILD, collection c
          WHERE trim(h.SEX) = '2' AND blank(h.MOTHER)
            AND uk_date(e.DEC) BETWEEN c.collection_start AND c.collection_end AND NOT blank(e.REC) AND e.REC <> 'X1'
            AND (e.LS IS NULL OR e.LS NOT IN ('V3', 'V4'))
          GROUP BY h.file, h.line, h.CHILD`,
  },
  {
    code: '620', return: 'ssda903', severity: 'error',
    message: 'Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.',
    fields: ['DOB', 'MOTHER'], tables: ['header'],
    // under 11 at the start of the collection year
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field, 'MOTHER 1, DOB ' || h.DOB AS value
          FROM header h, collection c WHERE trim(h.MOTHER) = '1' AND uk_date(h.DOB) + INTERVAL 11 YEAR > c.collection_start`,
  },
  {
    code: '625', return: 'ssda903', severity: 'error',
    message: 'Date of birth of the first child is beyond the end of this reporting year or the date the child ceased to be looked after.',
    fields: ['DEC', 'MC_DOB'], tables: ['header', 'episodes'],
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MC_DOB' AS field,
                 'MC_DOB ' || h.MC_DOB || coalesce(', ceased to be looked after ' || e.DEC, '') AS value
          FROM header h LEFT JOIN ${CEASED_CARE} e ON e.CHILD = h.CHILD, collection c
          WHERE uk_date(h.MC_DOB) > c.collection_end OR uk_date(h.MC_DOB) > uk_date(e.DEC)`,
  },
  {
    code: '628', return: 'ssda903', severity: 'error',
    message: 'Motherhood details are not required for care leavers who have not been looked after during the year.',
    fields: ['MOTHER'], tables: ['header', 'episodes', 'oc3'],
    // a care leaver (an OC3 row with something in it) with no episodes this year, and MOTHER completed
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field, 'MOTHER ' || h.MOTHER || ', a care leaver with no episodes this year' AS value
          FROM header h
          WHERE NOT blank(h.MOTHER)
            AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD)
            AND EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD AND NOT (blank(o.IN_TOUCH) AND blank(o.ACTIV) AND blank(o.ACCOM)))`,
  },
  {
    code: '630', return: 'ssda903', severity: 'error',
    message: 'Information on previous permanence option should be returned.',
    fields: ['RNE'], tables: ['episodes', 'previous_permanence'],
    // started to be looked after this year (RNE S): a previous permanence row, with PREV_PERM, and LA_PERM and DATE_PERM
    // unless PREV_PERM is Z1 (none)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'RNE' AS field,
                 'RNE S, DECOM ' || e.DECOM || CASE WHEN p.line IS NULL THEN ', no previous permanence row'
                   ELSE ', PREV_PERM ' || coalesce(p.PREV_PERM, '(blank)') || ', LA_PERM ' || coalesce(p.LA_PERM, '(blank)') ||
                        ', DATE_PERM ' || coalesce(p.DATE_PERM, '(blank)') END AS value
          FROM episodes e JOIN collection c ON uk_date(e.DECOM) >= c.collection_start
            LEFT JOIN previous_permanence p ON p.CHILD = e.CHILD
          WHERE e.RNE = 'S'
            AND (p.line IS NULL OR blank(p.PREV_PERM) OR (trim(p.PREV_PERM) <> 'Z1' AND (blank(p.LA_PERM) OR blank(p.DATE_PERM))))`,
  },
  {
    code: '632', return: 'ssda903', severity: 'error',
    message: 'Date of previous permanence order not a valid value. NOTE: This rule may result in false negatives where the period of care started before the current collection year',
    fields: ['DATE_PERM', 'DECOM'], tables: ['previous_permanence', 'episodes'],
    // DATE_PERM is dd/mm/yyyy (ZZ for an unknown day or month) and before the start of the child's (latest) period of
    // care: the latest RNE S episode, else the first episode in the return
    sql: `WITH care_start AS (
            SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY (RNE = 'S') DESC,
                      CASE WHEN RNE = 'S' THEN uk_date(DECOM) END DESC, uk_date(DECOM), line) = 1)
          SELECT p.file, p.line, p.CHILD AS child_id, 'DATE_PERM' AS field,
                 'DATE_PERM ' || p.DATE_PERM || coalesce(', looked after from ' || s.DECOM, '') AS value
          FROM previous_permanence p LEFT JOIN care_start s ON s.CHILD = p.CHILD
          WHERE NOT blank(p.DATE_PERM)
            AND (${DATE_PERM_EARLIEST.replaceAll('DATE_PERM', 'p.DATE_PERM')} IS NULL
                 OR ${DATE_PERM_EARLIEST.replaceAll('DATE_PERM', 'p.DATE_PERM')} >= uk_date(s.DECOM))`,
  },
  {
    code: '633', return: 'ssda903', severity: 'error',
    message: 'Local authority code where previous permanence option was arranged is not a valid value.',
    fields: ['LA_PERM'], tables: ['previous_permanence'],
    sql: `SELECT file, line, CHILD AS child_id, 'LA_PERM' AS field, 'LA_PERM ' || LA_PERM AS value
          FROM previous_permanence
          WHERE NOT blank(LA_PERM) AND upper(trim(LA_PERM)) NOT IN (${LA_PERM_VALUES.map((v) => `'${v}'`).join(', ')})`,
  },
  {
    code: '634', return: 'ssda903', severity: 'error',
    message: 'There are entries for previous permanence options, but child has not started to be looked after from 1 April 2016 onwards.',
    fields: ['DATE_PERM', 'DECOM', 'LA_PERM', 'PREV_PERM'], tables: ['previous_permanence', 'episodes'],
    // previous permanence is given, and every episode of the child began before 1 April 2016
    sql: `SELECT p.file, p.line, p.CHILD AS child_id, 'PREV_PERM' AS field,
                 'PREV_PERM ' || coalesce(p.PREV_PERM, '(blank)') || ', latest episode from ' || strftime(e.latest, '%d/%m/%Y') AS value
          FROM previous_permanence p JOIN (SELECT CHILD, max(uk_date(DECOM)) AS latest FROM episodes GROUP BY CHILD) e ON e.CHILD = p.CHILD
          WHERE NOT (blank(p.PREV_PERM) AND blank(p.LA_PERM) AND blank(p.DATE_PERM)) AND e.latest < DATE '2016-04-01'`,
  },
  {
    code: 'EPI', return: 'ssda903', severity: 'warning',
    message: 'WARNING: Episodes need to be loaded for this child before further validation is possible [NOTE: This refers to the DfE portal - here, all checks that can be performed with only the available data will be.]',
    fields: ['CHILD'], tables: ['header', 'episodes', 'oc3'],
    // a header row for a child with neither episodes nor a care leaver (OC3) row
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'CHILD' AS field, 'CHILD ' || h.CHILD || ', no episodes' AS value
          FROM header h
          WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD) AND NOT EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD)`,
  },
);
