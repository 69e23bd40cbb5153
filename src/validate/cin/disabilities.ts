// CIN census rules over the return's disability codes (Disabilities), checked across the whole return: DfE raises
// them at LA level, so a finding is on the return's Header (no one child is at fault).
// Worked tests: test/validate/cin/disabilities.test.ts.
import { rules } from '../types.ts';

/** Disability code for a child with no disability; not counted as a disability code used. */
const NONE = 'NONE';

/** The disability codes of each file, one row per child and code, NONE and blanks left out. */
const CODES = `SELECT DISTINCT file, child_line, upper(trim(Disability)) AS code FROM disabilities
               WHERE NOT blank(Disability) AND upper(trim(Disability)) <> '${NONE}'`;

export default rules(
  {
    code: '2887Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return',
    fields: ['Disability'], tables: ['disabilities', 'header'],
    // different codes used across the return, NONE excepted; a return with children but no disability code fails too
    sql: `WITH used AS (SELECT file, count(DISTINCT code) AS n, string_agg(DISTINCT code, ', ' ORDER BY code) AS codes FROM (${CODES}) GROUP BY file),
          files AS (SELECT DISTINCT file FROM children)
          SELECT f.file, h.line, NULL AS child_id, 'header' AS tbl, 'Disability' AS field,
                 coalesce(u.n, 0) || ' disability codes used' || coalesce(': ' || u.codes, '') AS value
          FROM files f LEFT JOIN used u ON u.file = f.file LEFT JOIN header h ON h.file = f.file
          WHERE coalesce(u.n, 0) < 8`,
  },
  {
    code: '2888Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible.',
    fields: ['Disability'], tables: ['disabilities', 'header'],
    // of the children with a disability (NONE excepted), none has more than one code recorded
    sql: `WITH per_child AS (SELECT file, child_line, count(*) AS n FROM (${CODES}) GROUP BY file, child_line),
          per_file AS (SELECT file, count(*) AS children, max(n) AS most FROM per_child GROUP BY file)
          SELECT p.file, h.line, NULL AS child_id, 'header' AS tbl, 'Disability' AS field,
                 'each of the ' || p.children || ' children with a disability has one code recorded' AS value
          FROM per_file p LEFT JOIN header h ON h.file = p.file
          WHERE p.most = 1`,
  },
);
