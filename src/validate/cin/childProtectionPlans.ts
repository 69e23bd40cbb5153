// CIN census rules over child protection plans (ChildProtectionPlans), across the child's CINdetails.
// Worked tests: test/validate/cin/childProtectionPlans.test.ts.
import { rules } from '../types.ts';

/** A date within the census year (collection k). */
const inYear = (x: string) => `iso_date(${x}) BETWEEN k.collection_start AND k.collection_end`;

export default rules(
  {
    code: '2883', return: 'cin', severity: 'error',
    message: 'There are more child protection plans starting than initial conferences taking place',
    fields: ['CPPstartDate', 'DateOfInitialCPC'], tables: ['child_protection_plans', 'header'],
    // across the return (DfE raises it at LA level, so the finding is on the Header): plans starting in the census
    // year against initial conferences in it, at CINdetails level and at Section 47 level
    sql: `WITH plans AS (SELECT p.file, count(*) AS n FROM child_protection_plans p, collection k WHERE ${inYear('p.CPPstartDate')} GROUP BY p.file),
          icpc AS (SELECT file, count(*) AS n FROM (
                     SELECT d.file FROM cin_details d, collection k WHERE ${inYear('d.DateOfInitialCPC')}
                     UNION ALL SELECT s.file FROM section47 s, collection k WHERE ${inYear('s.DateOfInitialCPC')}) GROUP BY file)
          SELECT p.file, h.line, NULL AS child_id, 'header' AS tbl, 'CPPstartDate' AS field,
                 p.n || ' plans started in the year, ' || coalesce(i.n, 0) || ' initial conferences' AS value
          FROM plans p LEFT JOIN icpc i ON i.file = p.file LEFT JOIN header h ON h.file = p.file
          WHERE p.n > coalesce(i.n, 0)`,
  },
  {
    code: '2885', return: 'cin', severity: 'error',
    message: 'Child protection plan shown as starting a different day to the initial child protection conference.',
    fields: ['CPPstartDate', 'DateOfInitialCPC'], tables: ['child_protection_plans', 'section47', 'cin_details'],
    // a plan starting in the census year must start on the day of an initial conference of its CINdetails: one of
    // its Section 47 enquiries' DateOfInitialCPC, or the CINdetails' own (a conference with no enquiry before it)
    sql: `SELECT p.file, p.line, p.LAchildID AS child_id, 'CPPstartDate' AS field,
                 'CPPstartDate ' || trim(p.CPPstartDate) || ', initial conferences ' ||
                 coalesce((SELECT string_agg(trim(x.DateOfInitialCPC), ', ' ORDER BY x.DateOfInitialCPC) FROM (
                   SELECT s.DateOfInitialCPC FROM section47 s WHERE s.file = p.file AND s.details_line = p.details_line AND NOT blank(s.DateOfInitialCPC)
                   UNION ALL SELECT d.DateOfInitialCPC FROM cin_details d WHERE d.file = p.file AND d.line = p.details_line AND NOT blank(d.DateOfInitialCPC)) x),
                 '(none)') AS value
          FROM child_protection_plans p, collection k
          WHERE ${inYear('p.CPPstartDate')}
            AND NOT EXISTS (SELECT 1 FROM section47 s WHERE s.file = p.file AND s.details_line = p.details_line
                              AND iso_date(s.DateOfInitialCPC) = iso_date(p.CPPstartDate))
            AND NOT EXISTS (SELECT 1 FROM cin_details d WHERE d.file = p.file AND d.line = p.details_line
                              AND iso_date(d.DateOfInitialCPC) = iso_date(p.CPPstartDate))`,
  },
  {
    code: '8935', return: 'cin', severity: 'error',
    message: 'This child is showing more than one open Child Protection plan, i.e. with no End Date',
    fields: ['CPPendDate'], tables: ['child_protection_plans'],
    sql: `SELECT file, line, LAchildID AS child_id, 'CPPendDate' AS field, 'CPPstartDate ' || coalesce(CPPstartDate, '') AS value
          FROM child_protection_plans WHERE blank(CPPendDate)
          QUALIFY count(*) OVER (PARTITION BY file, child_line) > 1`,
  },
  {
    code: '8940', return: 'cin', severity: 'error',
    message: 'Child Protection Plan data contains overlapping dates',
    fields: ['CPPstartDate', 'CPPendDate'], tables: ['child_protection_plans'],
    // a plan starting after another of the child's plans started and before it ended (or while it is open);
    // a plan ending on the day the next starts does not overlap it
    sql: `SELECT DISTINCT a.file, a.line, a.LAchildID AS child_id, 'CPPstartDate' AS field,
                 'CPPstartDate ' || a.CPPstartDate || ', plan from ' || b.CPPstartDate || ' to ' || coalesce(b.CPPendDate, '(open)') AS value
          FROM child_protection_plans a JOIN child_protection_plans b
            ON a.file = b.file AND a.child_line = b.child_line AND a.line <> b.line
          WHERE iso_date(b.CPPstartDate) <= iso_date(a.CPPstartDate)
            AND (iso_date(b.CPPstartDate) < iso_date(a.CPPstartDate) OR b.line < a.line)
            AND (blank(b.CPPendDate) OR iso_date(b.CPPendDate) > iso_date(a.CPPstartDate))`,
  },
);
