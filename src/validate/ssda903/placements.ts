// SSDA903 rules over episodes: legal statuses, placements, reasons for new episodes and for ceasing, postcodes
// and URNs (with the header for ages). DfE's code, message and fields; worked tests:
// test/validate/ssda903/placements.test.ts. Ages are from the header's DOB.
import { rules } from '../types.ts';
import { HDR_CTE, agedAtLeast } from './common.ts';

const TEMPORARY = `('T0', 'T1', 'T2', 'T3', 'T4')`;
/** Placements that have no Ofsted URN (DfE's list for 218 and 222). */
const NO_URN_PLACES = `('H5', 'P1', 'P2', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z1')`;
const pc = (x: string) => `upper(replace(${x}, ' ', ''))`;

/** Each episode with the child's previous and next episodes (by DECOM). */
const SEQ_CTE = `seq AS (
    SELECT *, lag(PLACE) OVER w AS prev_place, lag(REASON_PLACE_CHANGE) OVER w AS prev_reason, lag(PL_POST) OVER w AS prev_post,
           lead(PLACE) OVER w AS next_place, lead(RNE) OVER w AS next_rne, lead(PL_POST) OVER w AS next_post,
           lead(DECOM) OVER w AS next_decom, lag(REC) OVER w AS prev_rec, lag(DECOM) OVER w AS prev_decom
    FROM episodes WHERE uk_date(DECOM) IS NOT NULL
    WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DECOM), line))`;

/**
 * A legal status held too long: the child's consecutive episodes with this LS (each starting the day the previous
 * ended) are one period; an open one runs to 31 March. Every episode of a period longer than `days` fails.
 */
function lsTooLong(code: string, message: string, ls: string, days: number): ReturnType<typeof rules>[number] {
  return {
    code, return: 'ssda903', severity: 'error', message,
    fields: ['DEC', 'DECOM', 'LS'], tables: ['episodes'],
    sql: `WITH eps AS (
            SELECT e.*, uk_date(e.DECOM) AS s, coalesce(uk_date(e.DEC), c.collection_end) AS t,
                   lag(coalesce(uk_date(e.DEC), c.collection_end)) OVER (PARTITION BY e.CHILD ORDER BY uk_date(e.DECOM), e.line) AS prev_t
            FROM episodes e, collection c WHERE e.LS = '${ls}' AND uk_date(e.DECOM) IS NOT NULL),
          periods AS (
            SELECT *, sum(CASE WHEN prev_t IS NULL OR s > prev_t THEN 1 ELSE 0 END) OVER (PARTITION BY CHILD ORDER BY s, line) AS period FROM eps),
          spans AS (SELECT *, min(s) OVER (PARTITION BY CHILD, period) AS ps, max(t) OVER (PARTITION BY CHILD, period) AS pt FROM periods)
          SELECT file, line, CHILD AS child_id, 'DEC' AS field,
                 'LS ${ls} from ' || strftime(ps, '%d/%m/%Y') || ' to ' || strftime(pt, '%d/%m/%Y') || ' (' || date_diff('day', ps, pt) || ' days)' AS value
          FROM spans WHERE date_diff('day', ps, pt) > ${days}`,
  };
}

/** A placement held too long: an episode with this PLACE lasting more than `days` (an open one runs to 31 March). */
function placeTooLong(code: string, message: string, place: string, days: number): ReturnType<typeof rules>[number] {
  return {
    code, return: 'ssda903', severity: 'error', message,
    fields: ['DECOM', 'PLACE'], tables: ['episodes', 'header'],
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'DECOM' AS field,
                 'PLACE ${place} from ' || e.DECOM || ' to ' || coalesce(e.DEC, '31 March (open)') || ' (' ||
                   date_diff('day', uk_date(e.DECOM), coalesce(uk_date(e.DEC), c.collection_end)) || ' days)' AS value
          FROM episodes e, collection c
          WHERE e.PLACE = '${place}' AND date_diff('day', uk_date(e.DECOM), coalesce(uk_date(e.DEC), c.collection_end)) > ${days}`,
  };
}

/** Too young for a placement: aged under `age` at the episode's start. */
function placeMinAge(code: string, message: string, places: string, age: number): ReturnType<typeof rules>[number] {
  return {
    code, return: 'ssda903', severity: 'error', message,
    fields: ['DECOM', 'PLACE'], tables: ['episodes', 'header'],
    sql: `WITH ${HDR_CTE}
          SELECT e.file, e.line, e.CHILD AS child_id, 'PLACE' AS field, 'PLACE ' || e.PLACE || ', DECOM ' || e.DECOM || ', DOB ' || h.dob_text AS value
          FROM episodes e JOIN hdr h ON h.CHILD = e.CHILD
          WHERE e.PLACE IN ${places} AND uk_date(e.DECOM) IS NOT NULL AND NOT ${agedAtLeast('h.dob', age, 'uk_date(e.DECOM)')}`,
  };
}

/** A reason for ceasing at the wrong age (at DEC). */
function recAge(code: string, message: string, recs: string, cond: (dob: string, d: string) => string): ReturnType<typeof rules>[number] {
  return {
    code, return: 'ssda903', severity: 'error', message,
    fields: ['REC'], tables: ['episodes', 'header'],
    sql: `WITH ${HDR_CTE}
          SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field, 'REC ' || e.REC || ', DEC ' || e.DEC || ', DOB ' || h.dob_text AS value
          FROM episodes e JOIN hdr h ON h.CHILD = e.CHILD
          WHERE e.REC IN ${recs} AND uk_date(e.DEC) IS NOT NULL AND ${cond('h.dob', 'uk_date(e.DEC)')}`,
  };
}

export default rules(
  {
    code: '142', return: 'ssda903', severity: 'error',
    message: 'A new episode has started, but the previous episode has not ended.',
    fields: ['DEC', 'REC'], tables: ['episodes'],
    // an episode followed by a later one (by DECOM) with no DEC or no REC
    sql: `WITH ${SEQ_CTE}
          SELECT file, line, CHILD AS child_id, CASE WHEN blank(DEC) THEN 'DEC' ELSE 'REC' END AS field,
                 'DEC ' || coalesce(DEC, 'blank') || ', REC ' || coalesce(REC, 'blank') || ', next episode starts ' || next_decom AS value
          FROM seq WHERE next_decom IS NOT NULL AND (blank(DEC) OR blank(REC))`,
  },
  {
    code: '199', return: 'ssda903', severity: 'error',
    message: 'Episode information shows child has been previously adopted from care. [NOTE: This only tests the current and previous year data loaded into the tool]',
    fields: ['CHILD'], tables: ['episodes'],
    // an episode starting after one of the child's episodes ended in adoption (REC E11, E12)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'CHILD' AS field,
                 'DECOM ' || e.DECOM || ', adopted (REC ' || a.REC || ') on ' || a.DEC AS value
          FROM episodes e JOIN episodes a ON a.CHILD = e.CHILD AND a.REC IN ('E11', 'E12')
          WHERE uk_date(e.DECOM) >= uk_date(a.DEC) AND e.line <> a.line`,
  },
  {
    code: '213', return: 'ssda903', severity: 'error',
    message: 'Placement provider information not required.',
    fields: ['PLACE_PROVIDER'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE_PROVIDER' AS field, 'PLACE ' || PLACE || ', PLACE_PROVIDER ' || PLACE_PROVIDER AS value
          FROM episodes WHERE PLACE IN ${TEMPORARY} AND NOT blank(PLACE_PROVIDER)`,
  },
  {
    code: '214', return: 'ssda903', severity: 'error',
    message: 'Placement location information not required.',
    fields: ['PL_POST', 'URN'], tables: ['episodes'],
    // short breaks (LS V3, V4) with a placement postcode or URN
    sql: `SELECT file, line, CHILD AS child_id, CASE WHEN NOT blank(PL_POST) THEN 'PL_POST' ELSE 'URN' END AS field,
                 concat_ws(', ', 'LS ' || LS, 'PL_POST ' || PL_POST, 'URN ' || URN) AS value
          FROM episodes WHERE LS IN ('V3', 'V4') AND (NOT blank(PL_POST) OR NOT blank(URN))`,
  },
  {
    code: '217', return: 'ssda903', severity: 'error',
    message: 'Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.',
    fields: ['DECOM', 'PLACE', 'RNE'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'PLACE ' || PLACE || ', RNE ' || coalesce(RNE, 'blank') || ', DECOM ' || DECOM AS value
          FROM episodes WHERE PLACE IN ('A3', 'A5') AND coalesce(RNE, '') NOT IN ('S', 'T', 'U')`,
  },
  {
    code: '218', return: 'ssda903', severity: 'error',
    message: 'Ofsted Unique reference number (URN) is required.',
    fields: ['URN'], tables: ['episodes'],
    // an episode open in the year, in a placement that has a URN, with none given (DfE's XXXXXXX is given). Not
    // excused for a placement outside England: the return gives no placement LA, and DfE asks for XXXXXXX there.
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'URN' AS field, 'PLACE ' || e.PLACE || ', URN blank' AS value
          FROM episodes e, collection c
          WHERE blank(e.URN) AND NOT blank(e.PLACE) AND e.PLACE NOT IN ${NO_URN_PLACES}
            AND (blank(e.DEC) OR uk_date(e.DEC) >= c.collection_start)`,
  },
  {
    code: '222', return: 'ssda903', severity: 'error',
    message: 'Ofsted Unique reference number (URN) should not be recorded for this placement type.',
    fields: ['URN'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'URN' AS field, 'PLACE ' || PLACE || ', URN ' || URN AS value
          FROM episodes WHERE PLACE IN ${NO_URN_PLACES} AND NOT blank(URN) AND upper(trim(URN)) <> 'XXXXXXX'`,
  },
  {
    code: '225', return: 'ssda903', severity: 'error',
    message: 'Reason for placement change must be recorded.',
    fields: ['REASON_PLACE_CHANGE'], tables: ['episodes'],
    // an episode ending X1 whose next episode changes placement (RNE P, B, T or U), neither temporary, with no reason
    sql: `WITH ${SEQ_CTE}
          SELECT file, line, CHILD AS child_id, 'REASON_PLACE_CHANGE' AS field,
                 'REC X1, next episode ' || next_decom || ' RNE ' || next_rne || ' PLACE ' || coalesce(next_place, 'blank') || ', no reason' AS value
          FROM seq
          WHERE REC = 'X1' AND blank(REASON_PLACE_CHANGE) AND coalesce(PLACE, '') NOT IN ${TEMPORARY}
            AND next_rne IN ('P', 'B', 'T', 'U') AND coalesce(next_place, '') NOT IN ${TEMPORARY}`,
  },
  {
    code: '226', return: 'ssda903', severity: 'error',
    message: 'Reason for placement change is not required.',
    fields: ['PLACE', 'REASON_PLACE_CHANGE'], tables: ['episodes'],
    // a temporary placement (T0–T4) with a reason, or whose previous episode (the move into it) gives one
    sql: `WITH ${SEQ_CTE}
          SELECT file, line, CHILD AS child_id, 'REASON_PLACE_CHANGE' AS field,
                 'PLACE ' || PLACE || coalesce(', REASON_PLACE_CHANGE ' || REASON_PLACE_CHANGE, '') || coalesce(', previous episode''s reason ' || prev_reason, '') AS value
          FROM seq WHERE PLACE IN ${TEMPORARY} AND (NOT blank(REASON_PLACE_CHANGE) OR NOT blank(prev_reason))`,
  },
  {
    code: '336', return: 'ssda903', severity: 'error',
    message: 'Child does not have a foster placement immediately prior to being placed for adoption.',
    fields: ['PLACE'], tables: ['episodes'],
    // placed for adoption with current foster carers (A3, A5): the episode just before must be a foster placement (U1–U6)
    sql: `WITH ${SEQ_CTE}
          SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'PLACE ' || PLACE || ', previous placement ' || coalesce(prev_place, 'blank') AS value
          FROM seq WHERE PLACE IN ('A3', 'A5') AND prev_decom IS NOT NULL
            AND coalesce(prev_place, '') NOT IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')`,
  },
  {
    code: '352', return: 'ssda903', severity: 'error',
    message: 'Child who started to be looked after was aged 18 or over.',
    fields: ['DECOM', 'RNE'], tables: ['episodes', 'header'],
    sql: `WITH ${HDR_CTE}
          SELECT e.file, e.line, e.CHILD AS child_id, 'DECOM' AS field, 'RNE S, DECOM ' || e.DECOM || ', DOB ' || h.dob_text AS value
          FROM episodes e JOIN hdr h ON h.CHILD = e.CHILD
          WHERE e.RNE = 'S' AND ${agedAtLeast('h.dob', 18, 'uk_date(e.DECOM)')}`,
  },
  {
    code: '355', return: 'ssda903', severity: 'error',
    message: 'Episode appears to have lasted for less than 24 hours',
    fields: ['DEC', 'DECOM'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'DEC' AS field, 'DECOM ' || DECOM || ', DEC ' || DEC AS value
          FROM episodes WHERE uk_date(DECOM) = uk_date(DEC)`,
  },
  {
    code: '357', return: 'ssda903', severity: 'error',
    message: 'If this is the first episode ever for this child, reason for new episode must be S.  Check whether there is an episode immediately preceding this one, which has been left out.  If not the reason for new episode code must be amended to S.',
    fields: ['RNE'], tables: ['episodes'],
    // the child's first episode, starting in the year (one that started earlier continues last year's), RNE not S
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'RNE' AS field, 'first episode, DECOM ' || e.DECOM || ', RNE ' || coalesce(e.RNE, 'blank') AS value
          FROM (SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1) e, collection c
          WHERE uk_date(e.DECOM) >= c.collection_start AND coalesce(e.RNE, '') <> 'S'`,
  },
  {
    code: '358', return: 'ssda903', severity: 'error',
    message: 'Child with this legal status should not be under 10.',
    fields: ['DECOM', 'DOB', 'LS'], tables: ['episodes', 'header'],
    // youth justice legal statuses (J1 remand, J2 PACE, J3 sentenced to a CRO with residence) under 10 at DECOM
    sql: `WITH ${HDR_CTE}
          SELECT e.file, e.line, e.CHILD AS child_id, 'LS' AS field, 'LS ' || e.LS || ', DECOM ' || e.DECOM || ', DOB ' || h.dob_text AS value
          FROM episodes e JOIN hdr h ON h.CHILD = e.CHILD
          WHERE e.LS IN ('J1', 'J2', 'J3') AND uk_date(e.DECOM) IS NOT NULL AND NOT ${agedAtLeast('h.dob', 10, 'uk_date(e.DECOM)')}`,
  },
  {
    code: '359', return: 'ssda903', severity: 'error',
    message: 'Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children Act 1989 in a community home.',
    fields: ['DEC', 'LS', 'PLACE'], tables: ['episodes', 'header'],
    // 18 or over by 31 March and still looked after (no DEC), not as V2 in a children's home (K2)
    sql: `WITH ${HDR_CTE}
          SELECT e.file, e.line, e.CHILD AS child_id, 'LS' AS field, 'LS ' || coalesce(e.LS, 'blank') || ', PLACE ' || coalesce(e.PLACE, 'blank') || ', DOB ' || h.dob_text || ', open at 31 March' AS value
          FROM episodes e JOIN hdr h ON h.CHILD = e.CHILD, collection c
          WHERE blank(e.DEC) AND ${agedAtLeast('h.dob', 18, 'c.collection_end')} AND NOT (e.LS = 'V2' AND e.PLACE = 'K2')`,
  },
  lsTooLong('361', 'Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.', 'L1', 3),
  lsTooLong('362', 'Emergency protection order (EPO) lasted longer than 21 days', 'L2', 21),
  lsTooLong('363', 'Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.', 'L3', 7),
  lsTooLong('364', 'Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be detained in custody in Local Authority (LA) accommodation.', 'J2', 21),
  lsTooLong('365', 'Any individual short- term respite placement must not exceed 17 days.', 'V3', 17),
  {
    code: '366', return: 'ssda903', severity: 'error',
    message: 'A child cannot change placement during the course of an individual short-term respite break.',
    fields: ['RNE'], tables: ['episodes'],
    // a single short break (LS V3) entered as a change of placement (RNE P)
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'LS V3, RNE P, DECOM ' || DECOM AS value
          FROM episodes WHERE LS = 'V3' AND RNE = 'P'`,
  },
  {
    code: '367', return: 'ssda903', severity: 'error',
    message: 'The maximum amount of respite care allowable is 75 days in any 12-month period.',
    fields: ['DEC', 'DECOM', 'LS'], tables: ['episodes'],
    // the days of V3 short breaks within the collection year (an open one runs to 31 March) add up to more than
    // 75; the child's latest V3 episode is the line
    sql: `WITH v3 AS (
            SELECT e.*, greatest(0, date_diff('day', greatest(uk_date(e.DECOM), c.collection_start), least(coalesce(uk_date(e.DEC), c.collection_end), c.collection_end))) AS days
            FROM episodes e, collection c WHERE e.LS = 'V3' AND uk_date(e.DECOM) IS NOT NULL),
          tot AS (SELECT *, sum(days) OVER (PARTITION BY CHILD) AS total FROM v3)
          SELECT file, line, CHILD AS child_id, 'DEC' AS field, 'V3 short breaks in the year: ' || total || ' days' AS value
          FROM tot WHERE total > 75
          QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1`,
  },
  placeMinAge('371', 'Child in supported accomodation not subject to children’s homes regulations should be at least 16.', `('H5')`, 16),
  placeMinAge('372', 'Child in youth custody or prison should be at least 10.', `('R5')`, 10),
  placeMinAge('373', 'Child placed in a school should be at least 4 years old.', `('S1')`, 4),
  placeMinAge('374', 'Child in residential employment should be at least 14 years old.', `('P3')`, 14),
  placeTooLong('375', 'Hospitalisation coded as a temporary placement exceeds six weeks.', 'T1', 42),
  placeTooLong('376', 'Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.', 'T3', 21),
  {
    code: '377', return: 'ssda903', severity: 'error',
    message: 'Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any 12- month period.',
    fields: ['PLACE'], tables: ['episodes'],
    // a T3 placement that is the third (or later) of the child's T3 placements starting within 12 months
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'PLACE T3 from ' || DECOM || ', T3 placements in the 12 months to then: ' || n AS value
          FROM (SELECT *, count(*) OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) RANGE BETWEEN INTERVAL 364 DAYS PRECEDING AND CURRENT ROW) AS n
                FROM episodes WHERE PLACE = 'T3' AND uk_date(DECOM) IS NOT NULL)
          WHERE n > 2`,
  },
  placeTooLong('379', 'Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.', 'T4', 7),
  {
    code: '380', return: 'ssda903', severity: 'error',
    message: 'A period of care cannot start with a temporary placement.',
    fields: ['PLACE', 'RNE'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'RNE S, PLACE ' || PLACE AS value
          FROM episodes WHERE RNE = 'S' AND PLACE IN ${TEMPORARY}`,
  },
  {
    code: '381', return: 'ssda903', severity: 'error',
    message: 'A period of care cannot end with a temporary placement.',
    fields: ['PLACE', 'REC'], tables: ['episodes'],
    // a temporary placement whose episode ends the period of care (REC given, not X1)
    sql: `SELECT file, line, CHILD AS child_id, 'REC' AS field, 'PLACE ' || PLACE || ', REC ' || REC AS value
          FROM episodes WHERE PLACE IN ${TEMPORARY} AND NOT blank(REC) AND REC <> 'X1'`,
  },
  {
    code: '382', return: 'ssda903', severity: 'error',
    message: 'A child receiving respite care cannot be in a temporary placement.',
    fields: ['LS', 'PLACE'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'LS ' || LS || ', PLACE ' || PLACE AS value
          FROM episodes WHERE LS IN ('V3', 'V4') AND PLACE IN ${TEMPORARY}`,
  },
  {
    code: '383', return: 'ssda903', severity: 'error',
    message: 'A child in a temporary placement must subsequently return to his/her normal placement.',
    fields: ['PLACE'], tables: ['episodes'],
    // a temporary placement between two episodes: the one after must be the placement before it (same PLACE and
    // placement postcode); the episode after is the line
    sql: `WITH ${SEQ_CTE}, after AS (
            SELECT *, lag(PLACE, 2) OVER w AS before_place, lag(PL_POST, 2) OVER w AS before_post, lag(PLACE) OVER w AS temp_place
            FROM episodes WHERE uk_date(DECOM) IS NOT NULL
            WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DECOM), line))
          SELECT file, line, CHILD AS child_id, 'PLACE' AS field,
                 'after ' || temp_place || ': PLACE ' || coalesce(PLACE, 'blank') || ' ' || coalesce(PL_POST, '') || ', before it ' || coalesce(before_place, 'blank') || ' ' || coalesce(before_post, '') AS value
          FROM after
          WHERE temp_place IN ${TEMPORARY} AND before_place IS NOT NULL AND coalesce(PLACE, '') NOT IN ${TEMPORARY}
            AND (PLACE IS DISTINCT FROM before_place OR ${pc('PL_POST')} IS DISTINCT FROM ${pc('before_post')})`,
  },
  recAge('386', 'Reason episode ceased is adopted but child has reached age 18.', `('E11', 'E12')`, (dob, d) => agedAtLeast(dob, 18, d)),
  recAge('387', 'Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.', `('E5', 'E6')`, (dob, d) => `NOT ${agedAtLeast(dob, 14, d)}`),
  {
    code: '388', return: 'ssda903', severity: 'error',
    message: 'Reason episode ceased is coded new episode begins, but there is no continuation episode.',
    fields: ['REC'], tables: ['episodes'],
    // REC X1 and no episode of the child starts on its DEC
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field, 'REC X1, DEC ' || e.DEC || ', no episode starting then' AS value
          FROM episodes e
          WHERE e.REC = 'X1' AND NOT EXISTS (
            SELECT 1 FROM episodes n WHERE n.CHILD = e.CHILD AND uk_date(n.DECOM) = uk_date(e.DEC) AND n.line <> e.line)`,
  },
  recAge('389', 'Reason episode ceased is that child transferred to care of adult social care services, but child is aged under 16.', `('E7')`, (dob, d) => `NOT ${agedAtLeast(dob, 16, d)}`),
  {
    code: '390', return: 'ssda903', severity: 'error',
    message: 'Reason episode ceased is adopted but child has not been previously placed for adoption.',
    fields: ['PLACE', 'REC'], tables: ['episodes'],
    // an episode ending in adoption (E11, E12) that is not a placement for adoption (A3–A6)
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'REC ' || REC || ', PLACE ' || coalesce(PLACE, 'blank') AS value
          FROM episodes WHERE REC IN ('E11', 'E12') AND coalesce(PLACE, '') NOT IN ('A3', 'A4', 'A5', 'A6')`,
  },
  {
    code: '392b', return: 'ssda903', severity: 'error',
    message: 'Child is looked after but no postcodes are recorded. [NOTE: This check may result in false positives for children formerly UASC, particularly if current & prior year UASC data not loaded]',
    fields: ['HOME_POST', 'PL_POST'], tables: ['episodes'],
    // not a short break (V3, V4: rule 214) and a postcode blank; a child in UASC (this year or last) may have no home postcode
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, CASE WHEN blank(e.HOME_POST) THEN 'HOME_POST' ELSE 'PL_POST' END AS field,
                 'HOME_POST ' || coalesce(e.HOME_POST, 'blank') || ', PL_POST ' || coalesce(e.PL_POST, 'blank') AS value
          FROM episodes e
          WHERE coalesce(e.LS, '') NOT IN ('V3', 'V4')
            AND (blank(e.PL_POST) OR (blank(e.HOME_POST) AND e.CHILD NOT IN (
              SELECT CHILD FROM uasc WHERE CHILD IS NOT NULL UNION SELECT CHILD FROM uasc_last WHERE CHILD IS NOT NULL)))`,
  },
  {
    code: '392d', return: 'ssda903', severity: 'error',
    message: 'Home and placement postcodes should not be same unless the placement type is P1.',
    fields: ['HOME_POST', 'PLACE', 'PL_POST'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'PL_POST' AS field, 'HOME_POST ' || HOME_POST || ', PL_POST ' || PL_POST || ', PLACE ' || coalesce(PLACE, 'blank') AS value
          FROM episodes WHERE NOT blank(HOME_POST) AND ${pc('HOME_POST')} = ${pc('PL_POST')} AND coalesce(PLACE, '') <> 'P1'`,
  },
  {
    code: '398', return: 'ssda903', severity: 'error',
    message: 'Distance field completed but child looked after under legal status V3 or V4.',
    fields: ['HOME_POST', 'LS', 'PL_POST'], tables: ['episodes'],
    // the distance is worked out from the two postcodes: either given for a short break
    sql: `SELECT file, line, CHILD AS child_id, CASE WHEN NOT blank(HOME_POST) THEN 'HOME_POST' ELSE 'PL_POST' END AS field,
                 concat_ws(', ', 'LS ' || LS, 'HOME_POST ' || HOME_POST, 'PL_POST ' || PL_POST) AS value
          FROM episodes WHERE LS IN ('V3', 'V4') AND (NOT blank(HOME_POST) OR NOT blank(PL_POST))`,
  },
);
