// SSDA903 rules over social worker episodes (SWEpisodes), in order of SW_DECOM for each child, with the child's
// episodes of care and last year's social worker episodes. Worked tests: test/validate/ssda903/swEpisodes.test.ts.
import { rules } from '../types.ts';

/** Legal status V3 / V4: short breaks; a child on them is not counted as looked after on 31 March (DfE's CLA_AT_31_MARCH). */
const SHORT_BREAKS = ['V3', 'V4'];
/** DfE's tolerance between one social worker episode's end and the next one's start (rule SW10STG2). */
const TOLERANCE_DAYS = 7;

/**
 * Episode e (of the collection k) makes its child looked after on 31 March: started by then and not ended before
 * it (DEC blank or after it), not on short breaks.
 */
const LOOKED_AFTER_AT_END = (e: string, k: string) => `NOT blank(${e}.CHILD) AND uk_date(${e}.DECOM) <= ${k}.collection_end
            AND (blank(${e}.DEC) OR uk_date(${e}.DEC) > ${k}.collection_end)
            AND coalesce(trim(${e}.LS), '') NOT IN (${SHORT_BREAKS.map((s) => `'${s}'`).join(', ')})`;

/** Each child's social worker episodes with a start date, in order: seq 1 is the first, and the previous/next ones. */
const ORDERED = `SELECT *, row_number() OVER w AS seq, count(*) OVER (PARTITION BY trim(CHILD)) AS episodes,
                        lag(SW_DEC) OVER w AS prev_dec, lag(SW_DECOM) OVER w AS prev_decom
                 FROM sw_episodes WHERE uk_date(SW_DECOM) IS NOT NULL AND NOT blank(CHILD)
                 WINDOW w AS (PARTITION BY trim(CHILD) ORDER BY uk_date(SW_DECOM), line)`;

/** Last year's open social worker episode of each child: its latest, with no SW_DEC. */
const LAST_OPEN = `SELECT trim(CHILD) AS child, SW_ID, SW_DECOM, SW_REASON FROM sw_episodes_last WHERE NOT blank(CHILD)
                   QUALIFY row_number() OVER (PARTITION BY trim(CHILD) ORDER BY uk_date(SW_DECOM) DESC NULLS LAST, line DESC) = 1 AND blank(SW_DEC)`;

export default rules(
  {
    code: 'SW01STG1', return: 'ssda903', severity: 'error',
    message: 'Child looked after on 31 March, but no social worker episode information is reported',
    fields: ['DEC'], tables: ['episodes', 'sw_episodes'],
    // looked after on 31 March: an episode started by then and not ended before it (DEC blank or after it), not on
    // short breaks; reported once a child, on the latest such episode
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'DEC' AS field,
                 'DECOM ' || trim(e.DECOM) || ', DEC ' || coalesce(nullif(trim(e.DEC), ''), '(blank)') || ', no social worker episode' AS value
          FROM episodes e, collection k
          WHERE ${LOOKED_AFTER_AT_END('e', 'k')}
            AND NOT EXISTS (SELECT 1 FROM sw_episodes s WHERE trim(s.CHILD) = trim(e.CHILD))
          QUALIFY row_number() OVER (PARTITION BY trim(e.CHILD) ORDER BY uk_date(e.DECOM) DESC, e.line DESC) = 1`,
  },
  {
    code: 'SW108STG2', return: 'ssda903', severity: 'error',
    message: 'A new social worker episode has started, but the previous episode has not ended.',
    fields: ['SW_DEC'], tables: ['sw_episodes'],
    // an episode other than the child's latest with no SW_DEC
    sql: `SELECT file, line, CHILD AS child_id, 'SW_DEC' AS field, 'SW_DECOM ' || trim(SW_DECOM) || ', SW_DEC (blank), a later episode starts ' || next_decom AS value
          FROM (SELECT *, lead(SW_DECOM) OVER (PARTITION BY trim(CHILD) ORDER BY seq) AS next_decom FROM (${ORDERED}))
          WHERE seq < episodes AND blank(SW_DEC)`,
  },
  {
    code: 'SW10STG2', return: 'ssda903', severity: 'error',
    message: 'A new social worker episode has started before the end date of the previous social worker episode.',
    fields: ['SW_DECOM'], tables: ['sw_episodes'],
    // more than 7 days (TOLERANCE_DAYS) before it: DfE allows the next episode to start within 7 days either side of the previous end
    sql: `SELECT file, line, CHILD AS child_id, 'SW_DECOM' AS field, 'SW_DECOM ' || trim(SW_DECOM) || ', previous SW_DEC ' || trim(prev_dec) AS value
          FROM (${ORDERED})
          WHERE seq > 1 AND uk_date(SW_DECOM) < uk_date(prev_dec) - INTERVAL ${TOLERANCE_DAYS} DAY`,
  },
  {
    code: 'SW11STG2', return: 'ssda903', severity: 'error',
    message: 'Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.',
    fields: ['SW_DEC'], tables: ['sw_episodes'],
    // the child's latest episode ended before the census date
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'SW_DEC' AS field, 'SW_DEC ' || trim(o.SW_DEC) || ', no later episode' AS value
          FROM (${ORDERED}) o, collection k
          WHERE o.seq = o.episodes AND uk_date(o.SW_DEC) < k.collection_end`,
  },
  {
    code: 'SW14STG2', return: 'ssda903', severity: 'error',
    message: 'Social worker episode date ceased is blank.',
    fields: ['SW_DEC'], tables: ['sw_episodes'],
    // only the child's latest episode may be open (the same condition as SW108STG2, DfE's two codes for it)
    sql: `SELECT file, line, CHILD AS child_id, 'SW_DEC' AS field, 'SW_DECOM ' || trim(SW_DECOM) || ', SW_DEC (blank), not the latest episode' AS value
          FROM (${ORDERED}) WHERE seq < episodes AND blank(SW_DEC)`,
  },
  {
    code: 'SW15STG2', return: 'ssda903', severity: 'error',
    message: 'Reason for social worker change is missing.',
    fields: ['SW_REASON'], tables: ['sw_episodes'],
    // an episode after another of the child's episodes is a change of social worker: it needs its reason
    sql: `SELECT file, line, CHILD AS child_id, 'SW_REASON' AS field,
                 'SW_DECOM ' || trim(SW_DECOM) || ' after the episode from ' || trim(prev_decom) || ', SW_REASON (blank)' AS value
          FROM (${ORDERED}) WHERE seq > 1 AND blank(SW_REASON)`,
  },
  {
    code: 'SW12STG2', return: 'ssda903', severity: 'error',
    message: 'If a child is looked after on 31 March then all social worker episodes for the full previous year should be reported, even those whilst they were not looked after',
    fields: ['SW_DECOM'], tables: ['sw_episodes', 'episodes'],
    // For a child looked after on 31 March, the social worker episodes must cover the year from the day the child
    // was first looked after in it (1 April if looked after then) to 31 March: the first episode may not start
    // after that day, and no episode starting after it may start more than 7 days (TOLERANCE_DAYS, as SW10STG2)
    // after the previous one ended, even while the child was out of care. (Before the child was first looked after in the year the
    // authority may not have known the child, so no earlier episode can be required.) Children with no episode
    // at all are SW01STG1's.
    sql: `WITH cla AS (
            SELECT trim(e.CHILD) AS child FROM episodes e, collection k WHERE ${LOOKED_AFTER_AT_END('e', 'k')} GROUP BY 1),
          first_care AS (
            SELECT trim(e.CHILD) AS child, greatest(min(uk_date(e.DECOM)), any_value(k.collection_start)) AS from_date
            FROM episodes e, collection k
            WHERE uk_date(e.DECOM) <= k.collection_end AND (blank(e.DEC) OR uk_date(e.DEC) >= k.collection_start)
              AND coalesce(trim(e.LS), '') NOT IN (${SHORT_BREAKS.map((s) => `'${s}'`).join(', ')})
            GROUP BY 1)
          SELECT o.file, o.line, o.CHILD AS child_id, 'SW_DECOM' AS field,
                 CASE WHEN o.seq = 1 THEN 'SW_DECOM ' || trim(o.SW_DECOM) || ', the first social worker episode, but looked after from '
                                          || strftime(f.from_date, '%d/%m/%Y')
                      ELSE 'SW_DECOM ' || trim(o.SW_DECOM) || ', previous SW_DEC ' || trim(o.prev_dec) || ': no social worker episode between' END AS value
          FROM (${ORDERED}) o JOIN cla c ON c.child = trim(o.CHILD) JOIN first_care f ON f.child = c.child
          WHERE (o.seq = 1 AND uk_date(o.SW_DECOM) > f.from_date)
             OR (o.seq > 1 AND uk_date(o.SW_DECOM) > f.from_date
                 AND uk_date(o.SW_DECOM) > uk_date(o.prev_dec) + INTERVAL ${TOLERANCE_DAYS} DAY)`,
  },
  {
    code: 'SW16aSTG2', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'The social worker reason episode changed does not match the open episode at the end of last year.',
    fields: ['SW_ID'], tables: ['sw_episodes', 'sw_episodes_last'],
    // this year's first episode carries on last year's open one: the same social worker
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'SW_ID' AS field,
                 'SW_ID ' || coalesce(trim(o.SW_ID), '(blank)') || ', open episode last year SW_ID ' || coalesce(trim(l.SW_ID), '(blank)') AS value
          FROM (${ORDERED}) o JOIN (${LAST_OPEN}) l ON l.child = trim(o.CHILD)
          WHERE o.seq = 1 AND coalesce(trim(o.SW_ID), '') <> coalesce(trim(l.SW_ID), '')`,
  },
  {
    code: 'SW16bSTG2', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'The social worker episode start date does not match the open episode at the end of last year.',
    fields: ['SW_DECOM'], tables: ['sw_episodes', 'sw_episodes_last'],
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'SW_DECOM' AS field,
                 'SW_DECOM ' || trim(o.SW_DECOM) || ', open episode last year from ' || coalesce(trim(l.SW_DECOM), '(blank)') AS value
          FROM (${ORDERED}) o JOIN (${LAST_OPEN}) l ON l.child = trim(o.CHILD)
          WHERE o.seq = 1 AND uk_date(o.SW_DECOM) IS DISTINCT FROM uk_date(l.SW_DECOM)`,
  },
  {
    code: 'SW16cSTG2', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'The social worker reason episode changed does not match the open episode at the end of last year.',
    fields: ['SW_REASON'], tables: ['sw_episodes', 'sw_episodes_last'],
    sql: `SELECT o.file, o.line, o.CHILD AS child_id, 'SW_REASON' AS field,
                 'SW_REASON ' || coalesce(trim(o.SW_REASON), '(blank)') || ', open episode last year SW_REASON ' || coalesce(trim(l.SW_REASON), '(blank)') AS value
          FROM (${ORDERED}) o JOIN (${LAST_OPEN}) l ON l.child = trim(o.CHILD)
          WHERE o.seq = 1 AND coalesce(trim(o.SW_REASON), '') <> coalesce(trim(l.SW_REASON), '')`,
  },
);
