// SSDA903 rules comparing this year's return with last year's (episodes_last, header_last): the episode open at
// the end of last year continues as this year's first episode, and the child's details agree. All need last
// year's return. Worked tests: test/validate/ssda903/continuity.test.ts.
import { rules, type Rule } from '../types.ts';

/** Last year's open episode (its latest, with no DEC) beside this year's first episode (by DECOM, then line). */
const OPEN_LAST_AND_FIRST_NOW = `WITH last_open AS (
    SELECT * FROM episodes_last
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC NULLS LAST, line DESC) = 1 AND blank(DEC)),
  first_now AS (
    SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)`;

/** 503A–503F: a field of this year's first episode differs from last year's open episode (a blank differs from a code). */
function sameAsOpenEpisode(code: string, field: string, message: string): Rule {
  return {
    code, return: 'ssda903', severity: 'error', needs: 'lastYear', message, fields: [field], tables: ['episodes', 'episodes_last'],
    sql: `${OPEN_LAST_AND_FIRST_NOW}
          SELECT f.file, f.line, f.CHILD AS child_id, '${field}' AS field,
                 '${field} ' || coalesce(f.${field}, '(blank)') || ', last year''s open episode (from ' || l.DECOM || ') ' ||
                 coalesce(l.${field}, '(blank)') AS value
          FROM first_now f JOIN last_open l ON l.CHILD = f.CHILD
          WHERE f.${field} IS DISTINCT FROM l.${field}`,
  };
}

export default rules(
  // RNE, LS, CIN, PLACE, PLACE_PROVIDER, URN: the open episode goes on, so the first episode repeats them
  sameAsOpenEpisode('503A', 'RNE', 'The reason for new episode in the first episode does not match open episode at end of last year.'),
  sameAsOpenEpisode('503B', 'LS', 'The legal status in the first episode does not match open episode at end of last year.'),
  sameAsOpenEpisode('503C', 'CIN', 'The category of need in the first episode does not match open episode at end of last year.'),
  // DfE's table list names only Episodes for 503D, but it compares with last year's open episode like the others
  sameAsOpenEpisode('503D', 'PLACE', 'The placement type in the first episode does not match open episode at end of last year'),
  sameAsOpenEpisode('503E', 'PLACE_PROVIDER', 'The placement provider in the first episode does not match open episode at end of last year.'),
  sameAsOpenEpisode('503F', 'URN', 'The Ofsted URN in the  first episode does not match open episode at end of last year.'),
  {
    code: '562', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Episode commenced before the start of the current collection year but there is a missing continuous episode in the previous year.',
    fields: ['DECOM'], tables: ['episodes', 'episodes_last'],
    // the child's earliest episode that began before 1 April is last year's latest episode (same DECOM)
    sql: `WITH first_before AS (
            SELECT e.* FROM episodes e, collection c WHERE uk_date(e.DECOM) < c.collection_start
            QUALIFY row_number() OVER (PARTITION BY e.CHILD ORDER BY uk_date(e.DECOM), e.line) = 1),
          latest_last AS (
            SELECT * FROM episodes_last WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1)
          SELECT f.file, f.line, f.CHILD AS child_id, 'DECOM' AS field,
                 'DECOM ' || f.DECOM || ', last year''s latest episode ' || coalesce('from ' || l.DECOM, ': none') AS value
          FROM first_before f LEFT JOIN latest_last l ON l.CHILD = f.CHILD
          WHERE l.DECOM IS NULL OR uk_date(l.DECOM) <> uk_date(f.DECOM)`,
  },
  {
    code: 'NoE', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'This child has no episodes loaded for previous year even though child started to be looked after before this current year.',
    fields: ['DECOM'], tables: ['episodes', 'episodes_last'],
    // the child's first episode began before 1 April, and last year's return has no episode of the child
    sql: `WITH first_now AS (
            SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)
          SELECT f.file, f.line, f.CHILD AS child_id, 'DECOM' AS field, 'DECOM ' || f.DECOM || ', no episodes last year' AS value
          FROM first_now f, collection c
          WHERE uk_date(f.DECOM) < c.collection_start AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = f.CHILD)`,
  },
  {
    code: '624', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Date of birth of the first child contradicts the date of birth of the first child previously recorded.',
    fields: ['MC_DOB'], tables: ['header', 'header_last'],
    // both years give MC_DOB, and they differ
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MC_DOB' AS field, 'MC_DOB ' || h.MC_DOB || ', last year ' || l.MC_DOB AS value
          FROM header h JOIN header_last l ON l.CHILD = h.CHILD
          WHERE uk_date(h.MC_DOB) IS NOT NULL AND uk_date(l.MC_DOB) IS NOT NULL AND uk_date(h.MC_DOB) <> uk_date(l.MC_DOB)`,
  },
  {
    code: '626', return: 'ssda903', severity: 'error', needs: 'lastYear',
    message: 'Child was reported as a mother but the date of birth of the first child is before the current year which contradicts with the mother status recorded last year.',
    fields: ['MC_DOB', 'MOTHER'], tables: ['header', 'header_last'],
    // a mother now (MOTHER 1) whose first child was born before 1 April, though last year she was recorded as not a mother (0)
    sql: `SELECT h.file, h.line, h.CHILD AS child_id, 'MOTHER' AS field,
                 'MOTHER 1, MC_DOB ' || h.MC_DOB || ', last year MOTHER 0' AS value
          FROM header h JOIN header_last l ON l.CHILD = h.CHILD, collection c
          WHERE trim(h.MOTHER) = '1' AND trim(l.MOTHER) = '0' AND uk_date(h.MC_DOB) < c.collection_start`,
  },
);
