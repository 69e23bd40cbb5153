// SSDA903 rules over episodes against the Ofsted provider list (needs: 'ofstedProviders'; staged as
// ofsted_providers, staging.ts OFSTED_COLUMNS). DfE's code, message and fields; worked tests:
// test/validate/ssda903/ofsted.test.ts. Only episodes whose URN is in the list are judged (a URN missing from
// it is rule 1008's question, and XXXXXXX is DfE's code for no URN).
import { rules } from '../types.ts';

/** Each episode with a URN joined to its provider (the first row if the list repeats a URN). */
const WITH_PROVIDER = `episodes e JOIN (SELECT * FROM ofsted_providers WHERE NOT blank(URN)
      QUALIFY row_number() OVER (PARTITION BY upper(trim(URN)) ORDER BY line) = 1) p ON upper(trim(p.URN)) = upper(trim(e.URN))`;
const pc = (x: string) => `upper(replace(${x}, ' ', ''))`;

/** The placement provider codes Ofsted's sector allows: PR1/PR2 a local authority's, PR3 other public, PR4 private, PR5 voluntary. */
const SECTOR_PROVIDERS = `CASE
      WHEN lower(p.SECTOR) LIKE 'local authority%' THEN ['PR1', 'PR2']
      WHEN lower(p.SECTOR) LIKE 'health%' THEN ['PR3']
      WHEN lower(p.SECTOR) LIKE 'private%' THEN ['PR4']
      WHEN lower(p.SECTOR) LIKE 'voluntary%' THEN ['PR5'] END`;

export default rules(
  {
    code: '221', return: 'ssda903', severity: 'error', needs: 'ofstedProviders',
    message: 'The Ofsted Unique reference number (URN) provided for the child\'s placement does not match the placement postcode provided.',
    fields: ['PL_POST'], tables: ['episodes', 'ofsted_providers'],
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PL_POST' AS field,
                 'PL_POST ' || e.PL_POST || ', URN ' || e.URN || ' is at ' || p.POSTCODE AS value
          FROM ${WITH_PROVIDER}
          WHERE NOT blank(e.PL_POST) AND NOT blank(p.POSTCODE) AND ${pc('e.PL_POST')} <> ${pc('p.POSTCODE')}`,
  },
  {
    code: '224', return: 'ssda903', severity: 'error', needs: 'ofstedProviders',
    message: 'The Ofsted Unique reference number (URN) provided for the child\'s placement does not match the placement provider recorded.',
    fields: ['PLACE_PROVIDER'], tables: ['episodes', 'ofsted_providers'],
    // PLACE_PROVIDER not one the provider's Ofsted sector allows (a sector Ofsted gives that is none of these is not judged)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PLACE_PROVIDER' AS field,
                 'PLACE_PROVIDER ' || e.PLACE_PROVIDER || ', URN ' || e.URN || ' sector ' || p.SECTOR AS value
          FROM ${WITH_PROVIDER}
          WHERE NOT blank(e.PLACE_PROVIDER) AND ${SECTOR_PROVIDERS} IS NOT NULL
            AND NOT list_contains(${SECTOR_PROVIDERS}, upper(trim(e.PLACE_PROVIDER)))`,
  },
  {
    code: '227', return: 'ssda903', severity: 'error', needs: 'ofstedProviders',
    message: 'Ofsted Unique reference number (URN) is not valid for the episode start date.',
    fields: ['DECOM', 'URN'], tables: ['episodes', 'ofsted_providers'],
    // the episode started before the provider was registered or after it closed
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'URN' AS field,
                 'DECOM ' || e.DECOM || ', URN ' || e.URN || concat_ws('', ' registered ' || p.REGISTERED, ', closed ' || p.CLOSED) AS value
          FROM ${WITH_PROVIDER}
          WHERE uk_date(e.DECOM) < uk_date(p.REGISTERED) OR uk_date(e.DECOM) > uk_date(p.CLOSED)`,
  },
  {
    code: '228', return: 'ssda903', severity: 'error', needs: 'ofstedProviders',
    message: 'Ofsted Unique reference number (URN) is not valid for the episode end date [NOTE: may give false positives on open episodes at providers who close during the year]',
    fields: ['DEC', 'URN'], tables: ['episodes', 'ofsted_providers'],
    // the provider closed before the episode ended (an open episode runs to 31 March, hence DfE's note)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'URN' AS field,
                 'DEC ' || coalesce(e.DEC, 'blank (open at 31 March)') || ', URN ' || e.URN || ' closed ' || p.CLOSED AS value
          FROM ${WITH_PROVIDER}, collection c
          WHERE coalesce(uk_date(e.DEC), c.collection_end) > uk_date(p.CLOSED)`,
  },
);
