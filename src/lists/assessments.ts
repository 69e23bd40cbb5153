// Assessments still open: those past 45 working days and those about to go over.
import type { OperationalList } from './types.ts';

/** Working days before the 45th at which an open assessment turns amber. */
const WARNING_WORKING_DAYS = 5;

export const LISTS: readonly OperationalList[] = [
  {
    id: 'assessments_open',
    title: 'Assessments open past or near 45 working days',
    theme: 'assessment',
    description: `Assessments started and not yet authorised, whose referral is still open. Red: more than 45 working days since the start (Working Together 2023: a decision within 45 working days of the referral); amber: within ${WARNING_WORKING_DAYS} working days of the 45th.`,
    details: [
      { name: 'start_date', label: 'Assessment started' },
      { name: 'working_days_open', label: 'Working days open' },
    ],
    sql: ({ date }) => `
      SELECT a.child_id, a.team, a.worker, a.start_date,
        working_days(a.start_date, DATE '${date}') AS working_days_open,
        add_working_days(a.start_date, 45) AS due_date,
        CASE WHEN working_days(a.start_date, DATE '${date}') > 45 THEN 'red' ELSE 'amber' END AS rag,
        CASE WHEN working_days(a.start_date, DATE '${date}') > 45 THEN 'Past 45 working days' ELSE 'Due within ${WARNING_WORKING_DAYS} working days' END AS status
      FROM main.assessments a
      WHERE a.start_date <= DATE '${date}' AND (a.authorisation_date IS NULL OR a.authorisation_date > DATE '${date}')
        AND working_days(a.start_date, DATE '${date}') > ${45 - WARNING_WORKING_DAYS}
        -- as the indicator assessments.open_over_45_days: an assessment whose referral has closed is not open
        AND NOT EXISTS (SELECT 1 FROM main.referrals r
          WHERE r.child_id = a.child_id AND r.referral_date = a.referral_date AND r.closure_date <= DATE '${date}')`,
  },
];
