// SSDA903 rules over episodes against the Ofsted provider list (needs: 'ofstedProviders', and for 229 the postcode
// lookup and --la too; staged as ofsted_providers, staging.ts OFSTED_COLUMNS). DfE's code, message and fields; worked tests:
// test/validate/ssda903/ofsted.test.ts. Only episodes whose URN is in the list are judged (a URN missing from
// it is rule 1008's question, and XXXXXXX is DfE's code for no URN).
import { rules } from '../types.ts';
import { POSTCODE_LOOKUP } from './common.ts';

/** Each episode with a URN joined to its provider (the first row if the list repeats a URN). */
const WITH_PROVIDER = `episodes e JOIN (SELECT * FROM ofsted_providers WHERE NOT blank(URN)
      QUALIFY row_number() OVER (PARTITION BY upper(trim(URN)) ORDER BY line) = 1) p ON upper(trim(p.URN)) = upper(trim(e.URN))`;
const pc = (x: string) => `upper(replace(${x}, ' ', ''))`;
const sqlList = (codes: readonly string[]) => `[${codes.map((c) => `'${c}'`).join(', ')}]`;

/** The placement provider codes Ofsted's sector allows: PR1/PR2 a local authority's, PR3 other public, PR4 private, PR5 voluntary. */
const SECTOR_PROVIDERS = `CASE
      WHEN lower(p.SECTOR) LIKE 'local authority%' THEN ['PR1', 'PR2']
      WHEN lower(p.SECTOR) LIKE 'health%' THEN ['PR3']
      WHEN lower(p.SECTOR) LIKE 'private%' THEN ['PR4']
      WHEN lower(p.SECTOR) LIKE 'voluntary%' THEN ['PR5'] END`;

/**
 * The placement types (PLACE) each kind of Ofsted-registered provider offers, for rule 219 when the list gives
 * no PLACE_CODES of its own. By Ofsted's provider type (its "Children's social care data in England" headings)
 * and the SSDA903 2024-25 placement codes; a type none of these matches is not judged.
 */
const TYPE_PLACEMENTS = `CASE
      WHEN lower(p.PROVIDER_TYPE) LIKE '%secure%' THEN ['K1']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%registered as a children%' THEN ['K2']
      WHEN lower(p.PROVIDER_TYPE) LIKE 'children%s home%' THEN ['K2']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%residential special school%' OR lower(p.PROVIDER_TYPE) LIKE '%boarding school%'
        OR lower(p.PROVIDER_TYPE) LIKE '%further education college%' THEN ['S1']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%residential family centre%' THEN ['R3']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%fostering%' THEN ['U1', 'U2', 'U3', 'U4', 'U5', 'U6']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%adoption agency%' THEN ['A3', 'A4', 'A5', 'A6']
      WHEN lower(p.PROVIDER_TYPE) LIKE '%supported accommodation%' THEN ['K3', 'H5'] END`;
/** The provider's placement types: its PLACE_CODES when given, else by its type. */
const PROVIDER_PLACEMENTS = `coalesce(list_filter(string_split(upper(replace(nullif(trim(p.PLACE_CODES), ''), ' ', '')), ','), x -> x <> ''), ${TYPE_PLACEMENTS})`;

/**
 * Placement types with no Ofsted-registered provider of the LA's kind (with parents, independent living,
 * employment, care homes, NHS, custody, temporary, other): rule 229 does not judge them (DfE's list, with the
 * 2024-25 codes; K3 supported accommodation is judged, as Ofsted registers it since 2023).
 */
const NOT_LA_PROVISION = ['P1', 'P2', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z1'];
/** Own provision PR1 and another LA's PR2: their provider is in the LA's own area, or not. */
const OWN_LA_PROVISION = 'PR1';
const OTHER_LA_PROVISION = 'PR2';

export default rules(
  {
    code: '219', return: 'ssda903', severity: 'error', needs: 'ofstedProviders',
    message: 'The Ofsted Unique reference number (URN) provided for the child\'s placement does not match the placement type recorded.',
    fields: ['PLACE', 'URN'], tables: ['episodes', 'ofsted_providers'],
    // PLACE not among the provider's placement types (a provider whose types cannot be told is not judged)
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PLACE' AS field,
                 'PLACE ' || e.PLACE || ', URN ' || e.URN || ' (' || coalesce(p.PROVIDER_TYPE, 'type not given') || ') offers '
                   || array_to_string(${PROVIDER_PLACEMENTS}, ', ') AS value
          FROM ${WITH_PROVIDER}
          WHERE NOT blank(e.PLACE) AND ${PROVIDER_PLACEMENTS} IS NOT NULL
            AND NOT list_contains(${PROVIDER_PLACEMENTS}, upper(trim(e.PLACE)))`,
  },
  {
    code: '229', return: 'ssda903', severity: 'error', needs: ['ofstedProviders', 'postcodes', 'localAuthority'],
    message: 'Placement provider does not match between the placing authority and the local authority code of the provider. [NOTE: The provider\'s LA code is inferred from the its postcode, and may be inaccurate in some cases.]',
    fields: ['PLACE_PROVIDER', 'URN'], tables: ['episodes', 'ofsted_providers'],
    // the provider's LA is the laua of its postcode in the lookup, as DfE's note says: PR1 (own provision) at a
    // provider outside the LA, or PR2 (another LA's) at one inside it; a provider postcode not in the lookup is not judged
    sql: `SELECT e.file, e.line, e.CHILD AS child_id, 'PLACE_PROVIDER' AS field,
                 'PLACE_PROVIDER ' || e.PLACE_PROVIDER || ', URN ' || e.URN || ' at ' || p.POSTCODE || ' in ' || pl.laua
                   || ', this authority ' || o.code AS value
          FROM ${WITH_PROVIDER}
            JOIN ${POSTCODE_LOOKUP} pl ON pl.pc = ${pc('p.POSTCODE')}, own_la o
          WHERE pl.laua IS NOT NULL AND NOT list_contains(${sqlList(NOT_LA_PROVISION)}, upper(trim(e.PLACE)))
            AND ((upper(trim(e.PLACE_PROVIDER)) = '${OWN_LA_PROVISION}' AND pl.laua <> o.code)
              OR (upper(trim(e.PLACE_PROVIDER)) = '${OTHER_LA_PROVISION}' AND pl.laua = o.code))`,
  },
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
