// Assessments: social work (single or continuous) assessments completed, their timeliness against the
// 45 working days of Working Together, whether the child was seen, how many conclude that no further
// social care support is needed, and the assessments still open past 45 working days.
// Source: DfE "Children in need census" guidance (AssessmentActualStartDate, AssessmentAuthorisationDate,
// AssessmentFactors), Ofsted Annex A List 4 (child seen; assessed as needing support) and the
// "Characteristics of children in need" statistics, whose timeliness definition (start to authorisation)
// these follow.
import type { Indicator } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const CIN_CENSUS = 'DfE Children in need census guidance: Assessments (AssessmentActualStartDate, AssessmentAuthorisationDate, AssessmentFactors)';
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023, chapter 3 (assessments concluded within 45 working days)';
const ANNEX_A = 'Ofsted Annex A List 4 (assessments)';

/**
 * Assessments authorised in each period: one row per assessment record (child and start date), with the
 * working days from start to authorisation (negative when the authorisation is recorded before the start).
 */
const COMPLETED_IN_PERIOD = `
  FROM periods p
  JOIN main.assessments a ON a.authorisation_date BETWEEN p.start_date AND p.end_date
  LEFT JOIN calendar cs ON cs.date = a.start_date
  LEFT JOIN calendar ca ON ca.date = a.authorisation_date`;
const DAYS_TAKEN = `ca.working_day_index - cs.working_day_index`;
const COMPLETED_COLUMNS = `p.period_id, a.child_id, a.authorisation_date AS at_date, a.team, a.worker, a.factors,
        a.start_date, a.authorisation_date`;
const COMPLETED_DETAILS = [
  { name: 'start_date', label: 'Assessment started' },
  { name: 'authorisation_date', label: 'Authorised' },
] as const;
const ASSESSMENT_BREAKDOWNS = [...COMMON_BREAKDOWNS, 'factor'] as const;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'assessments.completed',
    title: 'Assessments completed',
    theme: 'assessment',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Social work assessments authorised in the period (the date the manager signed the assessment off). Each assessment counts once; a child with two assessments authorised in the period counts twice.',
    source: `${CIN_CENSUS}; ${ANNEX_A}`,
    dimensions: ['factors'],
    breakdowns: ASSESSMENT_BREAKDOWNS,
    details: [...COMPLETED_DETAILS, { name: 'factors_identified', label: 'Factors identified' }],
    numeratorLabel: 'assessments completed',
    sql: () => `
      SELECT ${COMPLETED_COLUMNS}, 1 AS numerator, 0 AS denominator, a.factors AS factors_identified
      FROM periods p JOIN main.assessments a ON a.authorisation_date BETWEEN p.start_date AND p.end_date`,
  },
  {
    id: 'assessments.within_45_days',
    title: 'Assessments completed within 45 working days',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the assessments authorised in the period, the percentage authorised within 45 working days of the assessment starting: working days counted after the start date up to and including the authorisation date, excluding weekends and bank holidays (authorised the day it started = 0). An assessment whose authorisation is recorded before its start is a recording error and counts as not within 45 working days, so that it shows in the list.',
    source: `${CIN_CENSUS}; ${WORKING_TOGETHER}; DfE Characteristics of children in need, assessments completed within 45 working days`,
    dimensions: ['factors'],
    breakdowns: ASSESSMENT_BREAKDOWNS,
    details: [...COMPLETED_DETAILS, { name: 'working_days', label: 'Working days taken' }],
    numeratorLabel: 'assessments within 45 working days',
    denominatorLabel: 'assessments completed',
    sql: () => `
      SELECT ${COMPLETED_COLUMNS},
        CASE WHEN ${DAYS_TAKEN} BETWEEN 0 AND 45 THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        ${DAYS_TAKEN} AS working_days
      ${COMPLETED_IN_PERIOD}`,
  },
  {
    id: 'assessments.child_seen',
    title: 'Assessments where the child was seen',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the assessments authorised in the period where it is recorded whether the child was seen, the percentage where the child was seen during the assessment. Assessments with nothing recorded (the CIN census does not carry it; Annex A does) are left out of both numbers.',
    source: `${ANNEX_A}: child seen during the assessment; ${WORKING_TOGETHER}`,
    dimensions: ['factors'],
    breakdowns: ASSESSMENT_BREAKDOWNS,
    details: [...COMPLETED_DETAILS],
    numeratorLabel: 'assessments where the child was seen',
    denominatorLabel: 'assessments completed with child seen recorded',
    sql: () => `
      SELECT ${COMPLETED_COLUMNS}, CASE WHEN a.child_seen THEN 1 ELSE 0 END AS numerator, 1 AS denominator
      FROM periods p JOIN main.assessments a ON a.authorisation_date BETWEEN p.start_date AND p.end_date
      WHERE a.child_seen IS NOT NULL`,
  },
  {
    id: 'assessments.no_further_support',
    title: 'Assessments concluding no further social care support',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the assessments authorised in the period where the outcome is recorded, the percentage concluding that the child does not need further children\'s social care support (the case closes or steps down). Assessments with no outcome recorded are left out of both numbers.',
    source: `${ANNEX_A}: is the child assessed as requiring children's social care support; ${CIN_CENSUS}; DfE Characteristics of children in need, episodes with no further action after assessment`,
    dimensions: ['factors'],
    breakdowns: ASSESSMENT_BREAKDOWNS,
    details: [...COMPLETED_DETAILS],
    numeratorLabel: 'assessments concluding no further support',
    denominatorLabel: 'assessments completed with the outcome recorded',
    sql: () => `
      SELECT ${COMPLETED_COLUMNS}, CASE WHEN NOT a.needs_support THEN 1 ELSE 0 END AS numerator, 1 AS denominator
      FROM periods p JOIN main.assessments a ON a.authorisation_date BETWEEN p.start_date AND p.end_date
      WHERE a.needs_support IS NOT NULL`,
  },
  {
    id: 'assessments.average_working_days',
    title: 'Average working days to complete an assessment',
    theme: 'assessment',
    unit: 'days',
    polarity: 'lower',
    measure: 'flow',
    definition: 'For the assessments authorised in the period, the average number of working days from the assessment starting to its authorisation (working days after the start up to and including the authorisation date). Assessments whose authorisation is recorded before their start are left out.',
    source: `${CIN_CENSUS}; ${WORKING_TOGETHER}`,
    dimensions: ['factors'],
    breakdowns: ASSESSMENT_BREAKDOWNS,
    details: [...COMPLETED_DETAILS, { name: 'working_days', label: 'Working days taken' }],
    numeratorLabel: 'working days taken',
    denominatorLabel: 'assessments completed',
    sql: () => `
      SELECT ${COMPLETED_COLUMNS}, ${DAYS_TAKEN} AS numerator, 1 AS denominator, ${DAYS_TAKEN} AS working_days
      ${COMPLETED_IN_PERIOD}
      WHERE ${DAYS_TAKEN} >= 0`,
  },
  {
    id: 'assessments.open_over_45_days',
    title: 'Assessments open past 45 working days',
    theme: 'assessment',
    unit: 'count',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Assessments open at the end of the period that started more than 45 working days before it: started on or before the date, not authorised on or before it, and more than 45 working days after the start up to and including the date. An assessment whose referral (episode of need) was closed on or before the date is not counted as open.',
    source: `${CIN_CENSUS}; ${WORKING_TOGETHER}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'start_date', label: 'Assessment started' },
      { name: 'due_date', label: 'Due (45th working day)' },
      { name: 'working_days', label: 'Working days open' },
    ],
    numeratorLabel: 'assessments open past 45 working days',
    sql: () => `
      SELECT p.period_id, a.child_id, 1 AS numerator, 0 AS denominator, p.end_date AS at_date, a.team, a.worker,
        a.start_date, due.date AS due_date, ce.working_day_index - cs.working_day_index AS working_days
      FROM periods p
      JOIN calendar ce ON ce.date = p.end_date
      JOIN main.assessments a ON open_at(a.start_date, a.authorisation_date, p.end_date)
      JOIN calendar cs ON cs.date = a.start_date
      JOIN calendar due ON due.is_working_day AND due.working_day_index = cs.working_day_index + 45
      WHERE ce.working_day_index - cs.working_day_index > 45
        AND NOT EXISTS (
          SELECT 1 FROM main.referrals r
          WHERE r.child_id = a.child_id AND r.referral_date = a.referral_date AND r.closure_date <= p.end_date)`,
  },
];
