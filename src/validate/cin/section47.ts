// CIN census rules over Section 47 enquiries (Section47) and the initial child protection conferences they lead to.
// Worked tests: test/validate/cin/section47.test.ts.
import { rules } from '../types.ts';

/** ICPCnotRequired true (DfE: true or 1) / false (false or 0). */
const isTrue = (x: string) => `lower(trim(${x})) IN ('true', '1')`;
const isFalse = (x: string) => `lower(trim(${x})) IN ('false', '0')`;

export default rules(
  {
    code: '2884', return: 'cin', severity: 'error',
    message: 'An initial child protection conference is recorded at both the S47 and CIN Details level and it should only be recorded in one',
    fields: ['DateOfInitialCPC'], tables: ['section47', 'cin_details'],
    // the same conference (the same date) given as a Section 47 enquiry's DateOfInitialCPC and as a CINdetails'
    // DateOfInitialCPC of the same child
    sql: `SELECT DISTINCT s.file, s.line, s.LAchildID AS child_id, 'DateOfInitialCPC' AS field,
                 'DateOfInitialCPC ' || trim(s.DateOfInitialCPC) || ', also on the CINdetails of line ' || d.line AS value
          FROM section47 s JOIN cin_details d ON d.file = s.file AND d.child_line = s.child_line
          WHERE iso_date(d.DateOfInitialCPC) = iso_date(s.DateOfInitialCPC)`,
  },
  {
    code: '8675Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference.',
    fields: ['DateOfInitialCPC', 'S47ActualStartDate', 'ICPCnotReqiured'], tables: ['section47'],
    // no conference date, ICPCnotRequired false, and more than 15 working days (after the start, up to and
    // including the census date: working_days n(end) − n(start)) between the start and the census date
    sql: `SELECT s.file, s.line, s.LAchildID AS child_id, 'DateOfInitialCPC' AS field,
                 'S47ActualStartDate ' || trim(s.S47ActualStartDate) || ', no DateOfInitialCPC, ICPCnotRequired ' || trim(s.ICPCnotRequired) AS value
          FROM section47 s, collection k,
               (SELECT min(w.d) AS cutoff FROM working_days w, collection k
                WHERE w.n = (SELECT n FROM working_days WHERE d = k.collection_end) - 15) c
          WHERE blank(s.DateOfInitialCPC) AND ${isFalse('s.ICPCnotRequired')}
            AND iso_date(s.S47ActualStartDate) < c.cutoff`,
  },
  {
    code: '8890', return: 'cin', severity: 'error',
    message: 'A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing',
    fields: ['S47ActualStartDate'], tables: ['section47'],
    // within one CINdetails, a start on or between another enquiry's start and its conference date, or, when that
    // one has no conference date and one is not "not required", its start and the census date
    sql: `SELECT DISTINCT a.file, a.line, a.LAchildID AS child_id, 'S47ActualStartDate' AS field,
                 'S47ActualStartDate ' || trim(a.S47ActualStartDate) || ', enquiry from ' || trim(b.S47ActualStartDate) ||
                 ' to ' || coalesce(nullif(trim(b.DateOfInitialCPC), ''), '(no conference yet)') AS value
          FROM section47 a JOIN section47 b ON b.file = a.file AND b.details_line = a.details_line AND b.line <> a.line, collection k
          WHERE iso_date(a.S47ActualStartDate) >= iso_date(b.S47ActualStartDate)
            AND (iso_date(a.S47ActualStartDate) <= iso_date(b.DateOfInitialCPC)
                 OR blank(b.DateOfInitialCPC) AND NOT coalesce(${isTrue('b.ICPCnotRequired')}, false)
                    AND iso_date(a.S47ActualStartDate) <= k.collection_end)`,
  },
);
