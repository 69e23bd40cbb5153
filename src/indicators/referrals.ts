// Referrals: how many, their rate, re-referrals within 12 months, no further action and progress to
// assessment. Source: DfE "Children in need census" guidance (ReferralDate, ReferralNFA) and the
// "Characteristics of children in need" statistics, whose definitions these follow.
import type { Indicator } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

/** Referrals dated in each period: one row per child and referral date (a child's same-day referrals are one). */
const REFERRALS_IN_PERIOD = `
  FROM periods p JOIN main.referrals r ON r.referral_date BETWEEN p.start_date AND p.end_date`;

const CIN_CENSUS = 'DfE Children in need census guidance: ReferralDate, ReferralSource, ReferralNFA';

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'referrals.count',
    title: 'Referrals',
    theme: 'assessment',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Referrals to children\'s social care whose referral date falls in the period. A child referred twice on the same day counts once.',
    source: CIN_CENSUS,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [{ name: 'referral_date', label: 'Referral date' }, { name: 'referral_source', label: 'Source' }],
    numeratorLabel: 'referrals',
    sql: () => `
      SELECT p.period_id, r.child_id, 1 AS numerator, 0 AS denominator, r.referral_date AS at_date,
        r.team, r.worker, r.source, r.referral_date, r.source AS referral_source
      ${REFERRALS_IN_PERIOD}`,
  },
  {
    id: 'referrals.rate',
    title: 'Referrals per 10,000 children',
    theme: 'assessment',
    unit: 'rate',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Referrals in the period per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end). Usually read over a rolling 12 months.',
    source: `${CIN_CENSUS}; ONS mid-year population estimates`,
    dimensions: ['source'],
    breakdowns: ['age_band', 'sex'],
    details: [{ name: 'referral_date', label: 'Referral date' }],
    numeratorLabel: 'referrals',
    denominatorLabel: 'children aged 0–17',
    sql: () => `
      SELECT p.period_id, r.child_id, 1 AS numerator, 0 AS denominator, r.referral_date AS at_date,
        r.team, r.worker, r.source, r.referral_date
      ${REFERRALS_IN_PERIOD}`,
  },
  {
    id: 'referrals.re_referrals_12m',
    title: 'Re-referrals within 12 months',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Of the referrals in the period, the percentage made within 12 months of the same child\'s previous referral: the previous referral is on or after the same date a year earlier (29 February counts from 1 March) and before this one; same-day referrals are one referral.',
    source: `${CIN_CENSUS}; DfE Characteristics of children in need, re-referrals within 12 months`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [
      { name: 'referral_date', label: 'Referral date' },
      { name: 'previous_referral_date', label: 'Previous referral' },
    ],
    numeratorLabel: 're-referrals',
    denominatorLabel: 'referrals',
    sql: () => `
      SELECT p.period_id, r.child_id,
        CASE WHEN prev.referral_date >= add_years(r.referral_date, -1) THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, r.referral_date AS at_date, r.team, r.worker, r.source,
        r.referral_date, prev.referral_date AS previous_referral_date
      ${REFERRALS_IN_PERIOD}
      LEFT JOIN LATERAL (
        SELECT max(q.referral_date) AS referral_date FROM main.referrals q
        WHERE q.child_id = r.child_id AND q.referral_date < r.referral_date) prev ON true`,
  },
  {
    id: 'referrals.nfa',
    title: 'Referrals ending in no further action',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the referrals in the period, the percentage recorded as no further action (ReferralNFA = true): the referral was closed without an assessment or other service.',
    source: CIN_CENSUS,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [{ name: 'referral_date', label: 'Referral date' }, { name: 'closure_date', label: 'Closed' }],
    numeratorLabel: 'referrals with no further action',
    denominatorLabel: 'referrals',
    sql: () => `
      SELECT p.period_id, r.child_id, CASE WHEN r.nfa THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        r.referral_date AS at_date, r.team, r.worker, r.source, r.referral_date, r.closure_date
      ${REFERRALS_IN_PERIOD}`,
  },
  {
    id: 'referrals.to_assessment',
    title: 'Referrals progressing to assessment',
    theme: 'assessment',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the referrals in the period, the percentage that led to a social work assessment: an assessment recorded against the referral, or starting on or after the referral date and before the referral closed. Recent months rise as assessments still to start are recorded.',
    source: `${CIN_CENSUS}; Assessments/AssessmentActualStartDate`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [{ name: 'referral_date', label: 'Referral date' }, { name: 'assessment_start_date', label: 'Assessment started' }],
    numeratorLabel: 'referrals with an assessment',
    denominatorLabel: 'referrals',
    sql: () => `
      SELECT p.period_id, r.child_id, CASE WHEN a.start_date IS NULL THEN 0 ELSE 1 END AS numerator, 1 AS denominator,
        r.referral_date AS at_date, r.team, r.worker, r.source, r.referral_date, a.start_date AS assessment_start_date
      ${REFERRALS_IN_PERIOD}
      LEFT JOIN LATERAL (
        SELECT min(x.start_date) AS start_date FROM main.assessments x
        WHERE x.child_id = r.child_id
          AND (x.referral_date = r.referral_date
            OR (x.referral_date IS NULL AND x.start_date >= r.referral_date
                AND (r.closure_date IS NULL OR x.start_date <= r.closure_date)))) a ON true`,
  },
];
