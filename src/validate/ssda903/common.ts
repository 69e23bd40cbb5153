// SQL pieces the SSDA903 rules share (group A families: careLeavers, health, placements, headerHistory, adoptionDecisions).

/** `dob` plus n years is on or before `d`: the child is aged n or over on `d` (date expressions). */
export const agedAtLeast = (dob: string, n: number, d: string): string => `((${dob}) + INTERVAL ${n} YEAR <= (${d}))`;

/** The day the child turns n (a DATE). */
export const birthday = (dob: string, n: number): string => `CAST((${dob}) + INTERVAL ${n} YEAR AS DATE)`;

/** Any of the OC3 items is completed (the care leaver information). */
export const OC3_COMPLETED = (o: string): string => `NOT (blank(${o}.IN_TOUCH) AND blank(${o}.ACTIV) AND blank(${o}.ACCOM))`;
export const OC3_VALUE = (o: string): string =>
  `concat_ws(', ', 'IN_TOUCH ' || ${o}.IN_TOUCH, 'ACTIV ' || ${o}.ACTIV, 'ACCOM ' || ${o}.ACCOM)`;

/** Any AD1 item is completed. */
export const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'] as const;
export const AD1_COMPLETED = (a: string): string => `NOT (${AD1_ITEMS.map((c) => `blank(${a}.${c})`).join(' AND ')})`;

/** The OC2 items for children looked after continuously for 12 months (not the SDQ). */
export const OC2_ITEMS = [
  'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE',
  'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED',
] as const;
export const OC2_ANY_COMPLETED = (o: string): string => `NOT (${OC2_ITEMS.map((c) => `blank(${o}.${c})`).join(' AND ')})`;
export const OC2_VALUE = (o: string, cols: readonly string[] = OC2_ITEMS): string =>
  `concat_ws(', ', ${cols.map((c) => `'${c} ' || ${o}.${c}`).join(', ')})`;

/**
 * CTE `cla(CHILD)`: children looked after continuously for at least 12 months at 31 March (DfE's OC2 cohort):
 * their episodes (V3/V4 short breaks do not count) that run into the year cover it without a gap — the first
 * started on or before 1 April, each starts on or before the previous one ended, and the last is still open
 * or ended on 31 March.
 */
export const CLA_CTE = `cla AS (
    SELECT x.CHILD FROM (
      SELECT e.CHILD, uk_date(e.DECOM) AS s, coalesce(uk_date(e.DEC), c.collection_end + 1) AS t,
             lag(coalesce(uk_date(e.DEC), c.collection_end + 1)) OVER (PARTITION BY e.CHILD ORDER BY uk_date(e.DECOM), e.line) AS prev_t
      FROM episodes e, collection c
      WHERE uk_date(e.DECOM) IS NOT NULL AND coalesce(e.LS, '') NOT IN ('V3', 'V4')
        AND coalesce(uk_date(e.DEC), c.collection_end + 1) >= c.collection_start) x, collection c
    GROUP BY x.CHILD, c.collection_start, c.collection_end
    HAVING min(x.s) <= c.collection_start AND max(x.t) >= c.collection_end AND bool_and(x.prev_t IS NULL OR x.s <= x.prev_t))`;

/** CTE `hdr(CHILD, dob, dob_text)`: one header row per child (its date of birth). */
export const HDR_CTE = `hdr AS (SELECT CHILD, any_value(uk_date(DOB)) AS dob, any_value(DOB) AS dob_text FROM header WHERE uk_date(DOB) IS NOT NULL GROUP BY CHILD)`;

/** CTE `latest`: each child's latest episode this year (by DECOM). */
export const LATEST_CTE = `latest AS (SELECT * FROM episodes WHERE uk_date(DECOM) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY uk_date(DECOM) DESC, line DESC) = 1)`;

/** The postcode lookup (--postcodes) keyed by postcode without spaces, upper case: its LA (laua) and grid reference. */
export const POSTCODE_LOOKUP = `(SELECT upper(replace(pcd, ' ', '')) AS pc, any_value(nullif(trim(laua), '')) AS laua,
    any_value(TRY_CAST(oseast1m AS DOUBLE)) AS east, any_value(TRY_CAST(osnrth1m AS DOUBLE)) AS north
  FROM postcodes GROUP BY 1)`;
