// CIN census rules over CIN plans (CINPlanDates) and what they meet in other modules.
// Worked tests: test/validate/cin/cinPlanDates.test.ts.
import { rules } from '../types.ts';

export default rules(
  {
    code: '4001', return: 'cin', severity: 'error',
    message: 'A CIN Plan cannot run concurrently with a Child Protection Plan',
    fields: ['CINPlanEndDate', 'CPPendDate'], tables: ['cin_plan_dates', 'child_protection_plans'],
    // the periods share a day beyond their ends: [start, end) each, an open plan running past the census
    // date; a CIN plan ending the day a CP plan starts (or starting the day one ends) is not concurrent
    sql: `SELECT DISTINCT c.file, c.line, c.LAchildID AS child_id, 'CINPlanEndDate' AS field,
                 'CIN plan ' || c.CINPlanStartDate || ' to ' || coalesce(c.CINPlanEndDate, '(open)') ||
                 ', CP plan ' || p.CPPstartDate || ' to ' || coalesce(p.CPPendDate, '(open)') AS value
          FROM cin_plan_dates c JOIN child_protection_plans p ON p.file = c.file AND p.child_line = c.child_line
          WHERE iso_date(c.CINPlanStartDate) < coalesce(iso_date(p.CPPendDate), DATE '9999-12-31')
            AND iso_date(p.CPPstartDate) < coalesce(iso_date(c.CINPlanEndDate), DATE '9999-12-31')`,
  },
);
