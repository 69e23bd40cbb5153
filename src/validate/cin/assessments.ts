// CIN census rules over assessments (Assessments) and their factors.
// Worked tests: test/validate/cin/assessments.test.ts.
import { rules } from '../types.ts';

/** Assessment factor 21: no factors identified. */
const NO_FACTORS = '21';
/** ReasonForClosure RC8 / RC9: case closed after assessment (no further action / referred to early help). */
const CLOSED_AFTER_ASSESSMENT = ['RC8', 'RC9'];

export default rules(
  {
    code: '8670Q', return: 'cin', severity: 'warning',
    message: 'Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date.',
    fields: ['AssessmentActualStartDate'], tables: ['assessments'],
    // more than 45 working days after the start up to and including the census date (working_days n(end) − n(start)),
    // with no AssessmentAuthorisationDate
    sql: `SELECT a.file, a.line, a.LAchildID AS child_id, 'AssessmentActualStartDate' AS field,
                 'AssessmentActualStartDate ' || trim(a.AssessmentActualStartDate) || ', no AssessmentAuthorisationDate' AS value
          FROM assessments a,
               (SELECT min(w.d) AS cutoff FROM working_days w, collection k
                WHERE w.n = (SELECT n FROM working_days WHERE d = k.collection_end) - 45) c
          WHERE blank(a.AssessmentAuthorisationDate) AND iso_date(a.AssessmentActualStartDate) < c.cutoff`,
  },
  {
    code: '8863Q', return: 'cin', severity: 'warning',
    message: 'An Assessment is shown as starting when there is another Assessment ongoing.',
    fields: ['AssessmentActualStartDate', 'AssessmentAuthorisationDate'], tables: ['assessments'],
    // within one CINdetails, a start on or between another assessment's start and its authorisation date, or its
    // start and the census date when it has none
    sql: `SELECT DISTINCT a.file, a.line, a.LAchildID AS child_id, 'AssessmentActualStartDate' AS field,
                 'AssessmentActualStartDate ' || trim(a.AssessmentActualStartDate) || ', assessment from ' ||
                 trim(b.AssessmentActualStartDate) || ' to ' || coalesce(nullif(trim(b.AssessmentAuthorisationDate), ''), '(ongoing)') AS value
          FROM assessments a JOIN assessments b ON b.file = a.file AND b.details_line = a.details_line AND b.line <> a.line, collection k
          WHERE iso_date(a.AssessmentActualStartDate) >= iso_date(b.AssessmentActualStartDate)
            AND iso_date(a.AssessmentActualStartDate) <= coalesce(iso_date(b.AssessmentAuthorisationDate), k.collection_end)`,
  },
  {
    code: '8873Q', return: 'cin', severity: 'warning',
    message: "Please check and either amend data or provide a reason: When there is only one assessment on the episode and the factors code “21 No factors identified” has been used for the completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.",
    fields: ['ReasonForClosure', 'AssessmentFactors'], tables: ['assessments', 'cin_details'],
    // the episode's only assessment, completed (an authorisation date), with factor 21: the episode's
    // ReasonForClosure is RC8 or RC9 (a blank one, the episode still open, is not)
    sql: `SELECT a.file, a.line, a.LAchildID AS child_id, 'ReasonForClosure' AS field,
                 'AssessmentFactors ' || a.AssessmentFactors || ', ReasonForClosure ' || coalesce(nullif(trim(d.ReasonForClosure), ''), '(blank)') AS value
          FROM (SELECT *, count(*) OVER (PARTITION BY file, details_line) AS on_episode FROM assessments) a
          JOIN cin_details d ON d.file = a.file AND d.line = a.details_line
          WHERE a.on_episode = 1 AND NOT blank(a.AssessmentAuthorisationDate)
            AND EXISTS (SELECT 1 FROM assessment_factors f WHERE f.file = a.file AND f.assessment_line = a.line
                          AND (trim(f.AssessmentFactors) = '${NO_FACTORS}' OR trim(f.AssessmentFactors) LIKE '${NO_FACTORS} %'))
            AND coalesce(upper(trim(d.ReasonForClosure)), '') NOT IN (${CLOSED_AFTER_ASSESSMENT.map((r) => `'${r}'`).join(', ')})`,
  },
);
