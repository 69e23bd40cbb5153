// CIN census rules over child protection plans (ChildProtectionPlans), across the child's CINdetails.
// Worked tests: test/validate/cin/childProtectionPlans.test.ts.
import { rules } from '../types.ts';

export default rules(
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
