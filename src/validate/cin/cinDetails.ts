// CIN census rules over CIN episodes (CINdetails) and what is recorded in them.
// Worked tests: test/validate/cin/cinDetails.test.ts.
import { rules } from '../types.ts';

/** ReasonForClosure: RC2 the child died; RC8 case closed after assessment, no further action; RC9 case closed after assessment, referred to early help. */
const DIED = 'RC2';
const CLOSED_AFTER_ASSESSMENT = ['RC8', 'RC9'];

const reason = (x: string) => `upper(trim(${x}))`;

export default rules(
  {
    code: '2990', return: 'cin', severity: 'error',
    message: "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'.",
    fields: ['ReasonForClosure'], tables: ['cin_details'],
    // an episode closed RC8 or RC9 with a Section 47 enquiry, a child protection plan, an initial conference or a CIN plan
    sql: `SELECT d.file, d.line, d.LAchildID AS child_id, 'ReasonForClosure' AS field,
                 'ReasonForClosure ' || ${reason('d.ReasonForClosure')} || ' with ' || concat_ws(', ',
                   CASE WHEN s.n > 0 THEN s.n || ' Section 47 enquiries' END, CASE WHEN p.n > 0 THEN p.n || ' CP plans' END,
                   CASE WHEN NOT blank(d.DateOfInitialCPC) THEN 'DateOfInitialCPC ' || trim(d.DateOfInitialCPC) END,
                   CASE WHEN c.n > 0 THEN c.n || ' CIN plans' END) AS value
          FROM cin_details d
          LEFT JOIN (SELECT file, details_line, count(*) AS n FROM section47 GROUP BY ALL) s ON s.file = d.file AND s.details_line = d.line
          LEFT JOIN (SELECT file, details_line, count(*) AS n FROM child_protection_plans GROUP BY ALL) p ON p.file = d.file AND p.details_line = d.line
          LEFT JOIN (SELECT file, details_line, count(*) AS n FROM cin_plan_dates GROUP BY ALL) c ON c.file = d.file AND c.details_line = d.line
          WHERE ${reason('d.ReasonForClosure')} IN (${CLOSED_AFTER_ASSESSMENT.map((r) => `'${r}'`).join(', ')})
            AND (s.n > 0 OR p.n > 0 OR NOT blank(d.DateOfInitialCPC) OR c.n > 0)`,
  },
  {
    code: '2991Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: A Section 47 module is recorded and there is no assessment on the episode',
    fields: ['CINdetailsID'], tables: ['cin_details'],
    sql: `SELECT d.file, d.line, d.LAchildID AS child_id, 'CINdetailsID' AS field,
                 'CINreferralDate ' || coalesce(trim(d.CINreferralDate), '(blank)') || ': Section 47 enquiry, no assessment' AS value
          FROM cin_details d
          WHERE EXISTS (SELECT 1 FROM section47 s WHERE s.file = d.file AND s.details_line = d.line)
            AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.file = d.file AND a.details_line = d.line)`,
  },
  {
    code: '8585Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however child has no recorded Date of Death',
    fields: ['ReasonForClosure', 'PersonDeathDate'], tables: ['cin_details', 'children'],
    // no PersonDeathDate that is a date
    sql: `SELECT d.file, d.line, d.LAchildID AS child_id, 'ReasonForClosure' AS field,
                 'ReasonForClosure ${DIED}, PersonDeathDate ' || coalesce(nullif(trim(c.PersonDeathDate), ''), '(blank)') AS value
          FROM cin_details d JOIN children c ON c.file = d.file AND c.line = d.child_line
          WHERE ${reason('d.ReasonForClosure')} = '${DIED}' AND iso_date(c.PersonDeathDate) IS NULL`,
  },
  {
    code: '8816', return: 'cin', severity: 'error',
    message: 'An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode.',
    fields: ['CINreferralDate', 'ReferralNFA'], tables: ['cin_details'],
    // an episode with no closure date and ReferralNFA false or 0 must have the child's latest referral date
    // (another episode referred the same day does not make it earlier)
    sql: `SELECT file, line, LAchildID AS child_id, 'CINreferralDate' AS field,
                 'CINreferralDate ' || trim(CINreferralDate) || ', latest referral ' || strftime(latest, '%Y-%m-%d') AS value
          FROM (SELECT *, max(iso_date(CINreferralDate)) OVER (PARTITION BY file, child_line) AS latest FROM cin_details)
          WHERE blank(CINclosureDate) AND lower(trim(ReferralNFA)) IN ('false', '0') AND iso_date(CINreferralDate) < latest`,
  },
);
