// SSDA903 rules over the placement's local authority (PL_LA) and distance from home (PL_DISTANCE). DfE derives
// both from the postcodes (HOME_POST, PL_POST); so do these rules, from the optional postcode lookup
// (--postcodes: ONS NSPL/ONSPD columns pcd, laua, oseast1m, osnrth1m). PL_LA is the laua of PL_POST; PL_DISTANCE the
// straight-line distance from HOME_POST to PL_POST in miles to 1 decimal place; each is blank when a postcode is
// blank or not in the lookup. Worked tests: test/validate/ssda903/placementLocation.test.ts.
import { rules } from '../types.ts';
import { POSTCODE_LOOKUP as LOOKUP } from './common.ts';


/** An episodes table with PL_LA and PL_DISTANCE derived (PL_DISTANCE as text, e.g. '12.3'). */
const derived = (table: string) => `(SELECT e.*, pl.laua AS PL_LA,
    CAST(round(sqrt((pl.east - hm.east) ** 2 + (pl.north - hm.north) ** 2) / 1609.344, 1) AS DECIMAL(6, 1))::VARCHAR AS PL_DISTANCE
  FROM ${table} e
    LEFT JOIN ${LOOKUP} pl ON pl.pc = upper(replace(e.PL_POST, ' ', ''))
    LEFT JOIN ${LOOKUP} hm ON hm.pc = upper(replace(e.HOME_POST, ' ', '')))`;

/** As derived, with PL_LOCATION too (IN: PL_LA is the authority's own, table own_la from --la; OUT: another; blank without PL_LA). */
const withLocation = (table: string) => `(SELECT d.*, CASE WHEN d.PL_LA IS NULL THEN NULL WHEN d.PL_LA = o.code THEN 'IN' ELSE 'OUT' END AS PL_LOCATION
  FROM ${derived(table)} d, own_la o)`;

/** Last year's open episode (its latest, no DEC) and this year's first (by DECOM, then line), derived. */
const openLastAndFirstNow = (derive: (table: string) => string = derived) => `WITH last_open AS (
    SELECT * FROM ${derive('episodes_last')}
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC NULLS LAST, line DESC) = 1 AND blank(DEC)),
  first_now AS (
    SELECT * FROM ${derive('episodes')} WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)`;

/** 452, 453: the same episode (same DECOM) as last year's latest, with a different derived value (both known). */
const sameEpisodeAsLastYear = (field: string) => `WITH latest_last AS (
    SELECT * FROM ${derived('episodes_last')} WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1),
  first_now AS (
    SELECT * FROM ${derived('episodes')} WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM), line) = 1)
  SELECT f.file, f.line, f.CHILD AS child_id, '${field}' AS field,
         '${field} ' || f.${field} || ' (PL_POST ' || f.PL_POST || '), last year ' || l.${field} || ' (PL_POST ' || l.PL_POST || ')' AS value
  FROM first_now f JOIN latest_last l ON l.CHILD = f.CHILD AND uk_date(l.DECOM) = uk_date(f.DECOM)
  WHERE f.${field} <> l.${field}`;

/** 503G, 503H, 503J: this year's first episode and last year's open episode differ (blank differs from a value). */
const sameAsOpenEpisode = (field: string, derive?: (table: string) => string) => `${openLastAndFirstNow(derive)}
  SELECT f.file, f.line, f.CHILD AS child_id, '${field}' AS field,
         '${field} ' || coalesce(f.${field}, '(blank)') || ', last year''s open episode (from ' || l.DECOM || ') ' || coalesce(l.${field}, '(blank)') AS value
  FROM first_now f JOIN last_open l ON l.CHILD = f.CHILD
  WHERE f.${field} IS DISTINCT FROM l.${field}`;

/** A child in the UASC table this year or last (unaccompanied asylum-seeking, or formerly): DfE's rules on distance leave them out. */
const UASC_CHILD = (alias: string) =>
  `(EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = ${alias}.CHILD) OR EXISTS (SELECT 1 FROM uasc_last u WHERE u.CHILD = ${alias}.CHILD))`;

/** Episodes `e` with a derived distance that also meet `where`, the distance and both postcodes shown (then `note`). */
const withDistance = (note: string, where: string) => `SELECT e.file, e.line, e.CHILD AS child_id, 'PL_DISTANCE' AS field,
    'PL_DISTANCE ' || e.PL_DISTANCE || ' (HOME_POST ' || e.HOME_POST || ', PL_POST ' || e.PL_POST || ')${note}' AS value
  FROM ${derived('episodes')} e
  WHERE e.PL_DISTANCE IS NOT NULL AND ${where}`;

export default rules(
  {
    code: '164', return: 'ssda903', severity: 'error', needs: 'postcodes',
    message: 'Distance is not valid. Please check a valid postcode has been entered. [NOTE: This check will result in false positives for children formerly UASC not identified as such in loaded data]',
    fields: ['PL_DISTANCE'], tables: ['episodes', 'uasc', 'uasc_last'],
    // a distance derived from the lookup outside 0.0–999.9 miles (a lookup with wrong grid references), not V3/V4, not UASC
    sql: withDistance('', `(CAST(e.PL_DISTANCE AS DOUBLE) < 0 OR CAST(e.PL_DISTANCE AS DOUBLE) > 999.9)
            AND coalesce(e.LS, '') NOT IN ('V3', 'V4') AND NOT ${UASC_CHILD('e')}`),
  },
  {
    code: '169', return: 'ssda903', severity: 'error', needs: 'postcodes',
    message: 'Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been entered.',
    fields: ['PL_LA'], tables: ['episodes'],
    // PL_LA is derived, so valid when present: it fails when PL_POST is blank or not in the lookup, unless V3/V4
    sql: `SELECT file, line, CHILD AS child_id, 'PL_LA' AS field, 'PL_POST ' || coalesce(PL_POST, '(blank)') || ': no local authority in the lookup' AS value
          FROM ${derived('episodes')} WHERE PL_LA IS NULL AND coalesce(LS, '') NOT IN ('V3', 'V4')`,
  },
  {
    code: '179', return: 'ssda903', severity: 'error', needs: ['postcodes', 'localAuthority'],
    message: 'Placement location code is not a valid code.',
    fields: ['PL_LOCATION'], tables: ['episodes', 'own_la'],
    // PL_LOCATION is derived, as DfE does: IN when PL_LA is the authority's own, OUT when it is another, blank
    // without a PL_LA; so it is invalid exactly when blank, unless V3/V4
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PL_LOCATION' AS field,
                 'PL_POST ' || coalesce(e.PL_POST, '(blank)') || ': no placement LA, so no placement location' AS value
          FROM ${withLocation('episodes')} e
          WHERE e.PL_LOCATION IS NULL AND coalesce(e.LS, '') NOT IN ('V3', 'V4')`,
  },
  {
    code: '1015', return: 'ssda903', severity: 'error', needs: ['postcodes', 'localAuthority'],
    message: 'Placement provider is own provision but child not placed in own LA.',
    fields: ['PL_LA'], tables: ['episodes', 'own_la'],
    // own provision (PR1), not a foster or adoption placement (A3–A6, U1–U6), not V3/V4: the placement LA must be the
    // authority's own (no placement LA is not the own LA either)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PL_LA' AS field,
                 'PL_LA ' || coalesce(e.PL_LA, '(none)') || ' (PL_POST ' || coalesce(e.PL_POST, '(blank)') || '), own LA ' || o.code
                   || ', PLACE ' || e.PLACE || ', PLACE_PROVIDER PR1' AS value
          FROM ${derived('episodes')} e, own_la o
          WHERE e.PLACE_PROVIDER = 'PR1' AND NOT blank(e.PLACE) AND NOT blank(e.LS)
            AND e.PLACE NOT IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6') AND e.LS NOT IN ('V3', 'V4')
            AND e.PL_LA IS DISTINCT FROM o.code`,
  },
  {
    code: '392a', return: 'ssda903', severity: 'error', needs: 'postcodes',
    message: 'Child is looked after but no distance is recorded. [NOTE: This check may result in false positives for children formerly UASC]',
    fields: ['PL_DISTANCE'], tables: ['episodes', 'uasc', 'uasc_last'],
    // no distance: a postcode blank or not in the lookup; not V3/V4, not UASC
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PL_DISTANCE' AS field,
                 'HOME_POST ' || coalesce(e.HOME_POST, '(blank)') || ', PL_POST ' || coalesce(e.PL_POST, '(blank)') || ': no distance' AS value
          FROM ${derived('episodes')} e
          WHERE e.PL_DISTANCE IS NULL AND coalesce(e.LS, '') NOT IN ('V3', 'V4') AND NOT ${UASC_CHILD('e')}`,
  },
  {
    code: '406', return: 'ssda903', severity: 'error', needs: 'postcodes',
    message: 'Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank. [NOTE: This check will result in false negatives for children formerly UASC not identified as such in loaded data]',
    fields: ['PL_DISTANCE'], tables: ['episodes', 'uasc', 'uasc_last'],
    // a child in the UASC table (this year's or last year's) with a distance: both postcodes given and known
    sql: withDistance(', UASC', UASC_CHILD('e')),
  },
  {
    code: '420', return: 'ssda903', severity: 'error', needs: 'postcodes',
    message: 'LA of placement completed but child is looked after under legal status V3 or V4.',
    fields: ['PL_LA'], tables: ['episodes'],
    sql: `SELECT file, line, CHILD AS child_id, 'PL_LA' AS field, 'PL_LA ' || PL_LA || ' (PL_POST ' || PL_POST || '), LS ' || LS AS value
          FROM ${derived('episodes')} WHERE LS IN ('V3', 'V4') AND PL_LA IS NOT NULL`,
  },
  {
    code: '452', return: 'ssda903', severity: 'error', needs: ['lastYear', 'postcodes'],
    message: 'Contradiction between local authority of placement code in the last episode of the previous year and in the first episode of the current year.',
    fields: ['PL_LA'], tables: ['episodes', 'episodes_last'],
    sql: sameEpisodeAsLastYear('PL_LA'),
  },
  {
    code: '453', return: 'ssda903', severity: 'error', needs: ['lastYear', 'postcodes'],
    message: 'Contradiction between placement distance in the last episode of the previous year and in the first episode of the current year.',
    fields: ['PL_DISTANCE'], tables: ['episodes', 'episodes_last'],
    sql: sameEpisodeAsLastYear('PL_DISTANCE'),
  },
  {
    code: '503G', return: 'ssda903', severity: 'error', needs: ['lastYear', 'postcodes'],
    message: 'The distance in first episode does not match open episode at end of last year.',
    fields: ['PL_DISTANCE'], tables: ['episodes', 'episodes_last'],
    sql: sameAsOpenEpisode('PL_DISTANCE'),
  },
  {
    code: '503H', return: 'ssda903', severity: 'error', needs: ['lastYear', 'postcodes'],
    message: 'The placement LA in first episode does not match open episode at end of last year.',
    fields: ['PL_LA'], tables: ['episodes', 'episodes_last'],
    sql: sameAsOpenEpisode('PL_LA'),
  },
  {
    code: '503J', return: 'ssda903', severity: 'error', needs: ['lastYear', 'postcodes', 'localAuthority'],
    message: 'The placement location in first episode does not match open episode at end of last year.',
    fields: ['PL_LOCATION'], tables: ['episodes', 'episodes_last', 'own_la'],
    sql: sameAsOpenEpisode('PL_LOCATION', withLocation),
  },
);
