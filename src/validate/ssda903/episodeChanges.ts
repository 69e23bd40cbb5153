// SSDA903 rules over the sequence of a child's episodes: what the reason for a new episode (RNE) says changed
// against the episode before it, why an episode ceased (REC), legal status and placement codes that go together.
// "The previous episode" is the child's episode immediately before by DECOM (ties by line). Worked tests:
// test/validate/ssda903/episodeChanges.test.ts.
import { rules } from '../types.ts';

/** The child's episodes with the previous one's fields (by DECOM, then line); episodes without a readable DECOM are left out. */
const WITH_PREVIOUS = `(SELECT *,
    lag(DEC) OVER w AS prev_dec, lag(REC) OVER w AS prev_rec, lag(LS) OVER w AS prev_ls, lag(PLACE) OVER w AS prev_place,
    lag(PLACE_PROVIDER) OVER w AS prev_provider, lag(PL_POST) OVER w AS prev_pl_post, lag(URN) OVER w AS prev_urn,
    upper(replace(PL_POST, ' ', '')) AS pl_post_key, lag(upper(replace(PL_POST, ' ', ''))) OVER w AS prev_pl_post_key,
    lag(line) OVER w AS prev_line
  FROM episodes WHERE uk_date(DECOM) IS NOT NULL
  WINDOW w AS (PARTITION BY CHILD ORDER BY uk_date(DECOM), line))`;

/**
 * Any of the placement's fields differs from the previous episode's (a blank is a value here: blank → code is a
 * change; postcodes compared without spaces, in capitals).
 */
const PLACEMENT_CHANGED = `(PLACE IS DISTINCT FROM prev_place OR PLACE_PROVIDER IS DISTINCT FROM prev_provider
  OR pl_post_key IS DISTINCT FROM prev_pl_post_key OR URN IS DISTINCT FROM prev_urn)`;

const PLACEMENT_VALUES = `'LS ' || coalesce(LS, '') || ' (previous ' || coalesce(prev_ls, '') || '), PLACE ' || coalesce(PLACE, '') ||
  ' (previous ' || coalesce(prev_place, '') || '), PLACE_PROVIDER ' || coalesce(PLACE_PROVIDER, '') || ' (previous ' || coalesce(prev_provider, '') ||
  '), PL_POST ' || coalesce(PL_POST, '') || ' (previous ' || coalesce(prev_pl_post, '') || '), URN ' || coalesce(URN, '') ||
  ' (previous ' || coalesce(prev_urn, '') || ')'`;

/** Special guardianship orders (REC). */
const SGO = `('E45', 'E46', 'E47', 'E48')`;

export default rules(
  {
    code: '407', return: 'ssda903', severity: 'error',
    message: 'Reason episode ceased is Special Guardianship Order, but child has reached age 18.',
    fields: ['DEC', 'DOB', 'REC'], tables: ['episodes', 'header'],
    // an SGO (E45–E48) on or after the child's 18th birthday
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field,
                 'REC ' || e.REC || ', DEC ' || e.DEC || ', DOB ' || h.DOB AS value
          FROM episodes e JOIN header h ON h.CHILD = e.CHILD
          WHERE e.REC IN ${SGO} AND uk_date(e.DEC) >= uk_date(h.DOB) + INTERVAL 18 YEAR`,
  },
  {
    code: '408', return: 'ssda903', severity: 'error',
    message: 'Child is placed for adoption with a placement order, but no placement order has been recorded.',
    fields: ['LS', 'PLACE'], tables: ['episodes'],
    // placed for adoption with a placement order (A5, A6) needs the legal status of a placement (E1) or freeing (D1) order
    sql: `SELECT file, line, CHILD AS child_id, 'LS' AS field, 'PLACE ' || PLACE || ', LS ' || coalesce(LS, '(blank)') AS value
          FROM episodes WHERE PLACE IN ('A5', 'A6') AND (LS IS NULL OR LS NOT IN ('E1', 'D1'))`,
  },
  {
    code: '426', return: 'ssda903', severity: 'error',
    message: 'A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.',
    fields: ['LS'], tables: ['episodes'],
    // every V3 and V4 episode of a child who has both
    sql: `SELECT file, line, CHILD AS child_id, 'LS' AS field, 'LS ' || LS || ', the child has both V3 and V4 episodes' AS value
          FROM (SELECT *, count(DISTINCT LS) FILTER (WHERE LS IN ('V3', 'V4')) OVER (PARTITION BY CHILD) AS respite_kinds FROM episodes)
          WHERE LS IN ('V3', 'V4') AND respite_kinds = 2`,
  },
  {
    code: '431', return: 'ssda903', severity: 'error',
    message: 'The reason for new episode is started to be looked after, but the previous episode ended on the same day.',
    fields: ['DECOM', 'RNE'], tables: ['episodes'],
    // RNE S on the day the previous episode ended: that is a continuation, not a new period of care
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'RNE S, DECOM ' || DECOM || ', previous DEC ' || prev_dec AS value
          FROM ${WITH_PREVIOUS} WHERE RNE = 'S' AND uk_date(DECOM) = uk_date(prev_dec)`,
  },
  {
    code: '432', return: 'ssda903', severity: 'error',
    message: 'The child ceased to be looked after at the end of the previous episode but the reason for the new episode is not started to be looked after.',
    fields: ['RNE'], tables: ['episodes'],
    // the previous episode ended with a reason other than X1 (ceased to be looked after): this one must be RNE S
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'RNE ' || RNE || ', previous REC ' || prev_rec AS value
          FROM ${WITH_PREVIOUS} WHERE NOT blank(prev_rec) AND prev_rec <> 'X1' AND NOT blank(RNE) AND RNE <> 'S'`,
  },
  {
    code: '433', return: 'ssda903', severity: 'error',
    message: 'The reason for new episode suggests that this is a continuation episode, but the episode does not start on the same day as the last episode finished.',
    fields: ['DECOM', 'RNE'], tables: ['episodes'],
    // a continuation (any RNE but S) must start on the previous episode's DEC; an open previous episode is another rule's matter
    sql: `SELECT file, line, CHILD AS child_id, 'DECOM' AS field, 'RNE ' || RNE || ', DECOM ' || DECOM || ', previous DEC ' || prev_dec AS value
          FROM ${WITH_PREVIOUS}
          WHERE RNE IN ('L', 'P', 'T', 'B', 'U') AND uk_date(prev_dec) IS NOT NULL AND uk_date(DECOM) <> uk_date(prev_dec)`,
  },
  {
    code: '434', return: 'ssda903', severity: 'error',
    message: 'Reason for new episode is that child\'s legal status has changed but not the placement, but this is not reflected in the episode data.',
    fields: ['LS', 'PLACE', 'PLACE_PROVIDER', 'PL_POST', 'RNE', 'URN'], tables: ['episodes'],
    // RNE L (legal status only): LS differs from the previous episode's, and PLACE, PLACE_PROVIDER, PL_POST, URN do not
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'RNE L: ' || ${PLACEMENT_VALUES} AS value
          FROM ${WITH_PREVIOUS}
          WHERE RNE = 'L' AND prev_line IS NOT NULL AND (LS IS NOT DISTINCT FROM prev_ls OR ${PLACEMENT_CHANGED})`,
  },
  {
    code: '435', return: 'ssda903', severity: 'error',
    message: 'Reason for new episode is that child’s placement has changed but not the legal status, but this is not reflected in the episode data recorded.',
    fields: ['LS', 'PLACE', 'PLACE_PROVIDER', 'PL_POST', 'URN'], tables: ['episodes'],
    // RNE P or B (placement only): some placement field differs from the previous episode's, and LS does not
    sql: `SELECT file, line, CHILD AS child_id, 'LS' AS field, 'RNE ' || RNE || ': ' || ${PLACEMENT_VALUES} AS value
          FROM ${WITH_PREVIOUS}
          WHERE RNE IN ('P', 'B') AND prev_line IS NOT NULL AND (LS IS DISTINCT FROM prev_ls OR NOT ${PLACEMENT_CHANGED})`,
  },
  {
    code: '436', return: 'ssda903', severity: 'error',
    message: 'Reason for new episode is that both child’s placement and legal status have changed, but this is not reflected in the episode data.',
    fields: ['LS', 'PLACE', 'PLACE_PROVIDER', 'PL_POST', 'RNE', 'URN'], tables: ['episodes'],
    // RNE T or U (both): LS and some placement field differ from the previous episode's
    sql: `SELECT file, line, CHILD AS child_id, 'RNE' AS field, 'RNE ' || RNE || ': ' || ${PLACEMENT_VALUES} AS value
          FROM ${WITH_PREVIOUS}
          WHERE RNE IN ('T', 'U') AND prev_line IS NOT NULL AND (LS IS NOT DISTINCT FROM prev_ls OR NOT ${PLACEMENT_CHANGED})`,
  },
  {
    code: '437', return: 'ssda903', severity: 'error',
    message: 'Reason episode ceased is child has died or is aged 18 or over but there are further episodes.',
    fields: ['REC'], tables: ['episodes'],
    // REC E2 (died) or E15 (age assessment: 18 or over) on an episode that is not the child's last
    sql: `SELECT file, line, CHILD AS child_id, 'REC' AS field, 'REC ' || REC || ', a later episode starts ' || next_decom AS value
          FROM (SELECT *, lead(DECOM) OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) AS next_decom
                FROM episodes WHERE uk_date(DECOM) IS NOT NULL)
          WHERE REC IN ('E2', 'E15') AND next_decom IS NOT NULL`,
  },
  {
    code: '451', return: 'ssda903', severity: 'error',
    message: 'Child is still freed for adoption, but freeing orders could not be applied for since 30 December 2005.',
    fields: ['DEC', 'LS', 'REC'], tables: ['episodes'],
    // legal status D1 (freed for adoption) on an episode still open at the end of the year (an episode that ended, even
    // with X1, is not "still": the next one says whether the child is still freed)
    sql: `SELECT file, line, CHILD AS child_id, 'LS' AS field, 'LS D1, DEC blank' AS value
          FROM episodes WHERE LS = 'D1' AND blank(DEC)`,
  },
  {
    code: '460', return: 'ssda903', severity: 'error',
    message: 'Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.',
    fields: ['DEC', 'REC'], tables: ['episodes', 'header'],
    // REC E17 (stayed put at 18) before the child's 18th birthday
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'REC' AS field, 'REC E17, DEC ' || e.DEC || ', DOB ' || h.DOB AS value
          FROM episodes e JOIN header h ON h.CHILD = e.CHILD
          WHERE e.REC = 'E17' AND uk_date(e.DEC) < uk_date(h.DOB) + INTERVAL 18 YEAR`,
  },
  {
    code: '504', return: 'ssda903', severity: 'error',
    message: 'The category of need code differs from that reported at start of current period of being looked after',
    fields: ['CIN'], tables: ['episodes'],
    // a period of care is a run of episodes each continuing the one before (previous REC X1); every episode's CIN is the
    // CIN of the run's first episode in this return
    sql: `WITH numbered AS (
            SELECT *, sum(CASE WHEN prev_rec = 'X1' THEN 0 ELSE 1 END) OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) AS period
            FROM ${WITH_PREVIOUS}),
          started AS (
            SELECT *, first_value(CIN) OVER (PARTITION BY CHILD, period ORDER BY uk_date(DECOM), line) AS start_cin FROM numbered)
          SELECT file, line, CHILD AS child_id, 'CIN' AS field, 'CIN ' || CIN || ', at the start of the period of care ' || start_cin AS value
          FROM started WHERE NOT blank(CIN) AND NOT blank(start_cin) AND CIN <> start_cin`,
  },
  {
    code: '516', return: 'ssda903', severity: 'error',
    message: 'The episode data submitted for this child does not show that he/she was with their former foster carer(s) during the year.If the code in the reason episode ceased is E45 or E46 the child must have a placement code of U1 to U6.',
    fields: ['PLACE', 'REC'], tables: ['episodes'],
    // an SGO to the former foster carers (E45, E46) ends a foster placement (U1–U6)
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE' AS field, 'REC ' || REC || ', PLACE ' || coalesce(PLACE, '(blank)') AS value
          FROM episodes WHERE REC IN ('E45', 'E46') AND (PLACE IS NULL OR PLACE NOT IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'))`,
  },
  {
    code: '526', return: 'ssda903', severity: 'error',
    message: 'Child is missing a placement provider code for at least one episode.',
    fields: ['PLACE', 'PLACE_PROVIDER'], tables: ['episodes'],
    // every placement but a temporary one (T0–T4) and 'other' (Z1) has a provider
    sql: `SELECT file, line, CHILD AS child_id, 'PLACE_PROVIDER' AS field, 'PLACE ' || PLACE || ', PLACE_PROVIDER blank' AS value
          FROM episodes WHERE NOT blank(PLACE) AND PLACE NOT IN ('T0', 'T1', 'T2', 'T3', 'T4', 'Z1') AND blank(PLACE_PROVIDER)`,
  },
);
