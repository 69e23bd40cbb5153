// CIN census rules over CIN plans (CINPlanDates) and what they meet in other modules: a CIN plan and a child
// protection plan are not open at the same time (4001, 4016, 4017), nor is a CP review held in an open CIN plan (4003).
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
  {
    code: '4003', return: 'cin', severity: 'error',
    message: 'A CPP review date is shown as being held at the same time as an open CIN Plan.',
    fields: ['CINPlanStartDate', 'CINPlanEndDate', 'CPPreviewDate'], tables: ['cp_reviews', 'cin_plan_dates', 'child_protection_plans'],
    // within one CINdetails, a review on or after a CIN plan's start and before its end (or while it is open),
    // unless the review is the day its child protection plan ended (the plan stepped down to a CIN plan)
    sql: `SELECT DISTINCT r.file, r.line, r.LAchildID AS child_id, 'CPPreviewDate' AS field,
                 'CPPreviewDate ' || trim(r.CPPreviewDate) || ', CIN plan ' || trim(c.CINPlanStartDate) || ' to ' ||
                 coalesce(nullif(trim(c.CINPlanEndDate), ''), '(open)') AS value
          FROM cp_reviews r
          JOIN child_protection_plans p ON p.file = r.file AND p.line = r.cpp_line
          JOIN cin_plan_dates c ON c.file = r.file AND c.details_line = r.details_line
          WHERE iso_date(r.CPPreviewDate) >= iso_date(c.CINPlanStartDate)
            AND (blank(c.CINPlanEndDate) OR iso_date(r.CPPreviewDate) < iso_date(c.CINPlanEndDate))
            AND iso_date(r.CPPreviewDate) IS DISTINCT FROM iso_date(p.CPPendDate)`,
  },
  {
    code: '4016', return: 'cin', severity: 'error',
    message: 'A CIN Plan has been reported as open at the same time as a Child Protection Plan.',
    fields: ['CINPlanStartDate', 'CPPstartDate', 'CPPendDate'], tables: ['cin_plan_dates', 'child_protection_plans'],
    // a CIN plan starting on or after a CP plan of the child started and before it ended, or, if it has not
    // ended, by the census date; starting the day the CP plan ended is allowed
    sql: `SELECT DISTINCT c.file, c.line, c.LAchildID AS child_id, 'CINPlanStartDate' AS field,
                 'CINPlanStartDate ' || trim(c.CINPlanStartDate) || ', CP plan ' || trim(p.CPPstartDate) || ' to ' ||
                 coalesce(nullif(trim(p.CPPendDate), ''), '(open)') AS value
          FROM cin_plan_dates c JOIN child_protection_plans p ON p.file = c.file AND p.child_line = c.child_line, collection k
          WHERE iso_date(c.CINPlanStartDate) >= iso_date(p.CPPstartDate)
            AND iso_date(c.CINPlanStartDate) < coalesce(iso_date(p.CPPendDate), k.collection_end + 1)`,
  },
  {
    code: '4017', return: 'cin', severity: 'error',
    message: 'A CIN Plan has been reported as open at the same time as a Child Protection Plan.',
    fields: ['CINPlanStartDate', 'CINPlanEndDate', 'CPPstartDate'], tables: ['cin_plan_dates', 'child_protection_plans'],
    // the other way round from 4016: a CP plan of the child starting on or after the CIN plan started and before
    // it ended, or, if it has not ended, by the census date (a CP plan starting the day the CIN plan ended is
    // allowed); reported on the CIN plan
    sql: `SELECT DISTINCT c.file, c.line, c.LAchildID AS child_id, 'CINPlanStartDate' AS field,
                 'CIN plan ' || trim(c.CINPlanStartDate) || ' to ' || coalesce(nullif(trim(c.CINPlanEndDate), ''), '(open)') ||
                 ', CPPstartDate ' || trim(p.CPPstartDate) AS value
          FROM cin_plan_dates c JOIN child_protection_plans p ON p.file = c.file AND p.child_line = c.child_line, collection k
          WHERE iso_date(p.CPPstartDate) >= iso_date(c.CINPlanStartDate)
            AND iso_date(p.CPPstartDate) < coalesce(iso_date(c.CINPlanEndDate), k.collection_end + 1)`,
  },
);
