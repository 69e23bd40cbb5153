// CIN census rules over the child's identifiers (ChildIdentifiers): the UPN and former UPN, sex recorded, expected
// date of birth, age. Worked tests: test/validate/cin/childIdentifiers.test.ts.
//
// A UPN (DfE's "Unique pupil numbers" guidance) is 13 characters: a check letter, the 3-digit LA code, 8 digits, and a
// 13th character that is a digit or, for a temporary UPN, a letter. Letters used are A–Z without I, O and S, worth
// A=0 … H=7, J=8 … N=12, P=13, Q=14, R=15, T=16 … Z=22; the check letter is the one worth
// (Σ character i × i, for i = 2 … 13, the 13th as its letter's worth if a letter) mod 23.
import { rules } from '../types.ts';

/** The 23 letters a UPN uses, in the order of their worth (0 … 22). */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** Characters 2–4 of a UPN: the post-April 1998 LA codes and DfE's pseudo-LA codes (rule 1530). */
const LA_CODE_RANGES: readonly [number, number][] = [
  [1, 5], [201, 213], [301, 320], [330, 336], [340, 344], [350, 359], [370, 373], [380, 384], [390, 394], [420, 420],
  [660, 681], [701, 708], [800, 803], [805, 808], [810, 813], [815, 816], [820, 823], [825, 826], [830, 831], [835, 839],
  [840, 841], [845, 846], [850, 852], [855, 857], [860, 861], [865, 896], [908, 909], [916, 916], [919, 919], [921, 921],
  [925, 926], [928, 929], [931, 931], [933, 933], [935, 938], [940, 941],
];
const LA_CODES = LA_CODE_RANGES.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => `'${String(a + i).padStart(3, '0')}'`)).join(', ');

/** A UPN whose check letter can be computed: 13 characters, 2–12 digits, the 13th a digit or a UPN letter. */
const UPN_SHAPE = `'^.[0-9]{11}[0-9${UPN_LETTERS}]$'`;

/** Reason UPN unknown UN1: the child is not of school age. */
const UN1 = 'UN1';

/** A "no further action" flag that is false (DfE: false or 0). */
const notNfa = (x: string) => `lower(trim(${x})) IN ('false', '0')`;

export default rules(
  {
    code: '1510', return: 'cin', severity: 'error',
    message: 'UPN invalid (wrong check letter at character 1)',
    fields: ['UPN'], tables: ['children'],
    // only a UPN of the right shape has a check letter to compare (1530, 1540 and 1550 report the others)
    sql: `WITH u AS (SELECT file, line, LAchildID, trim(UPN) AS upn FROM children WHERE regexp_matches(trim(UPN), ${UPN_SHAPE})),
          s AS (SELECT *, (list_sum([CAST(substr(upn, i, 1) AS INTEGER) * i FOR i IN range(2, 13)]) +
                  13 * CASE WHEN substr(upn, 13, 1) BETWEEN '0' AND '9' THEN CAST(substr(upn, 13, 1) AS INTEGER)
                            ELSE instr('${UPN_LETTERS}', substr(upn, 13, 1)) - 1 END)::BIGINT % 23 AS worth FROM u)
          SELECT file, line, LAchildID AS child_id, 'UPN' AS field,
                 'UPN ' || upn || ' (check letter should be ' || substr('${UPN_LETTERS}', worth + 1, 1) || ')' AS value
          FROM s WHERE substr(upn, 1, 1) <> substr('${UPN_LETTERS}', worth + 1, 1)`,
  },
  {
    code: '1520', return: 'cin', severity: 'error',
    message: 'More than one record with the same UPN.',
    fields: ['UPN'], tables: ['children'],
    // every child record of the return sharing its UPN with another (DfE checks this across the LA's return)
    sql: `SELECT file, line, LAchildID AS child_id, 'UPN' AS field,
                 'UPN ' || trim(UPN) || ' on ' || count(*) OVER (PARTITION BY file, trim(UPN)) || ' child records' AS value
          FROM children WHERE NOT blank(UPN)
          QUALIFY count(*) OVER (PARTITION BY file, trim(UPN)) > 1`,
  },
  {
    code: '1530', return: 'cin', severity: 'error',
    message: 'UPN invalid (characters 2-4 not a recognised LA code)',
    fields: ['UPN'], tables: ['children'],
    sql: `SELECT file, line, LAchildID AS child_id, 'UPN' AS field, 'UPN ' || trim(UPN) AS value
          FROM children WHERE NOT blank(UPN) AND substr(trim(UPN), 2, 3) NOT IN (${LA_CODES})`,
  },
  {
    code: '1540', return: 'cin', severity: 'error',
    message: 'UPN invalid (characters 5-12 not all numeric)',
    fields: ['UPN'], tables: ['children'],
    // a UPN too short to have characters 5-12 fails too
    sql: `SELECT file, line, LAchildID AS child_id, 'UPN' AS field, 'UPN ' || trim(UPN) AS value
          FROM children WHERE NOT blank(UPN) AND NOT regexp_matches(substr(trim(UPN), 5, 8), '^[0-9]{8}$')`,
  },
  {
    code: '1550', return: 'cin', severity: 'error',
    message: 'UPN invalid (character 13 not a recognised value)',
    fields: ['UPN'], tables: ['children'],
    // the 13th character must be the last one (a UPN is 13 characters) and a digit or a UPN letter (not I, O, S)
    sql: `SELECT file, line, LAchildID AS child_id, 'UPN' AS field,
                 'UPN ' || trim(UPN) || ' (' || length(trim(UPN)) || ' characters)' AS value
          FROM children WHERE NOT blank(UPN)
            AND (length(trim(UPN)) <> 13 OR NOT regexp_matches(substr(trim(UPN), 13, 1), '^[0-9${UPN_LETTERS}]$'))`,
  },
  {
    code: '1560Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend or provide a reason: Former UPN wrongly formatted',
    fields: ['FormerUPN'], tables: ['children'],
    // the UPN format: a letter, 11 digits, then a digit or a UPN letter (a former UPN is often a temporary one)
    sql: `SELECT file, line, LAchildID AS child_id, 'FormerUPN' AS field, 'FormerUPN ' || trim(FormerUPN) AS value
          FROM children WHERE NOT blank(FormerUPN) AND NOT regexp_matches(trim(FormerUPN), '^[A-Z][0-9]{11}[0-9${UPN_LETTERS}]$')`,
  },
  {
    code: '2886Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% (excluding unborns)',
    fields: ['ExpectedPersonBirthDate', 'ChildIdentifiers'], tables: ['children'],
    // DfE checks the whole return: of the children who are born (no ExpectedPersonBirthDate), more than 2% have no
    // Sex (blank or U). When it is so, each of those children is listed, since they are the records to amend.
    sql: `WITH born AS (SELECT *, blank(Sex) OR upper(trim(Sex)) = 'U' AS no_sex FROM children WHERE blank(ExpectedPersonBirthDate)),
          share AS (SELECT file, count(*) FILTER (WHERE no_sex) AS n, count(*) AS total FROM born GROUP BY file)
          SELECT b.file, b.line, b.LAchildID AS child_id, 'Sex' AS field,
                 'Sex ' || coalesce(nullif(trim(b.Sex), ''), '(blank)') || '; ' || s.n || ' of ' || s.total ||
                 ' children born have no sex recorded (' || round(100.0 * s.n / s.total, 1) || '%)' AS value
          FROM born b JOIN share s ON s.file = b.file
          WHERE b.no_sex AND s.n > 0.02 * s.total`,
  },
  {
    code: '8530Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)',
    fields: ['ExpectedPersonBirthDate'], tables: ['children'],
    // DfE: between the ReferenceDate minus 30 days and the ReferenceDate plus 9 months (1 March to 31 December), inclusive
    sql: `SELECT c.file, c.line, c.LAchildID AS child_id, 'ExpectedPersonBirthDate' AS field,
                 'ExpectedPersonBirthDate ' || trim(c.ExpectedPersonBirthDate) AS value
          FROM children c, collection k
          WHERE iso_date(c.ExpectedPersonBirthDate) < k.collection_end - INTERVAL 30 DAY
             OR iso_date(c.ExpectedPersonBirthDate) > k.collection_end + INTERVAL 9 MONTH`,
  },
  {
    code: '8770Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a child who is of school age.',
    fields: ['UPNunknown', 'UPNunknown'], tables: ['children', 'cin_details'],
    // of school age: in reception or above in the census year, i.e. born on or before 31 August five years before
    // the year of the ReferenceDate; only children with a referral that went on to further action (ReferralNFA
    // false or 0), as DfE's condition says
    sql: `SELECT c.file, c.line, c.LAchildID AS child_id, 'UPNunknown' AS field,
                 'PersonBirthDate ' || trim(c.PersonBirthDate) || ', UPN (blank), UPNunknown ' || coalesce(nullif(trim(c.UPNunknown), ''), '(blank)') AS value
          FROM children c, collection k
          WHERE blank(c.UPN) AND (blank(c.UPNunknown) OR upper(trim(c.UPNunknown)) = '${UN1}')
            AND iso_date(c.PersonBirthDate) <= make_date(year(k.collection_end) - 5, 8, 31)
            AND EXISTS (SELECT 1 FROM cin_details d WHERE d.file = c.file AND d.child_line = c.line AND ${notNfa('d.ReferralNFA')})`,
  },
  {
    code: '8775Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: Child is over 25 years old',
    fields: ['PersonBirthDate', 'CINclosureDate'], tables: ['children', 'cin_details'],
    // over 25 at the ReferenceDate, with a CIN episode still open after the 25th birthday (no closure date, or one
    // after it), or with no episode at all
    sql: `SELECT c.file, c.line, c.LAchildID AS child_id, 'PersonBirthDate' AS field,
                 'PersonBirthDate ' || trim(c.PersonBirthDate) AS value
          FROM children c, collection k
          WHERE iso_date(c.PersonBirthDate) < k.collection_end - INTERVAL 25 YEAR
            AND (NOT EXISTS (SELECT 1 FROM cin_details d WHERE d.file = c.file AND d.child_line = c.line)
              OR EXISTS (SELECT 1 FROM cin_details d WHERE d.file = c.file AND d.child_line = c.line
                           AND (blank(d.CINclosureDate) OR iso_date(d.CINclosureDate) > iso_date(c.PersonBirthDate) + INTERVAL 25 YEAR)))`,
  },
);
