// Care proceedings: applications issued, those concluded within 26 weeks, and the average weeks from
// issue to final order. Source: Children Act 1989 s32(1)(a)(ii), as amended by the Children and Families
// Act 2014 s14 ("within the period of twenty-six weeks beginning with the day on which the application was
// issued"), the Public Law Outline (Family Procedure Rules PD 12A), and the Ministry of Justice Family Court
// Statistics Quarterly measures (care proceedings disposed of within 26 weeks, average duration in weeks).
// Records come from the native event feed (main.care_proceedings: issued_date, final_order_date, order_type).
import type { Indicator, Settings } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const SOURCE = 'Children Act 1989 s32(1)(a)(ii) as amended by the Children and Families Act 2014 s14 (26 weeks beginning with the day the application was issued); Public Law Outline (FPR PD 12A); MoJ Family Court Statistics Quarterly';

/**
 * Proceedings concluded in each period: one row per set of proceedings (a child's application), decided
 * by the final order date. A final order dated before the issue date is a recording error and is left out.
 */
const CONCLUDED_IN_PERIOD = `
  FROM periods p JOIN main.care_proceedings cp ON cp.final_order_date BETWEEN p.start_date AND p.end_date
  WHERE cp.issued_date IS NOT NULL AND cp.final_order_date >= cp.issued_date`;

const CONCLUDED_COLUMNS = `p.period_id, cp.child_id, cp.final_order_date AS at_date, NULL AS team, NULL AS worker,
  cp.issued_date, cp.final_order_date, cp.order_type,
  date_diff('day', cp.issued_date, cp.final_order_date) AS days_taken,
  round(date_diff('day', cp.issued_date, cp.final_order_date) / 7, 1) AS weeks_taken`;

const CONCLUDED_DETAILS = [
  { name: 'issued_date', label: 'Application issued' },
  { name: 'final_order_date', label: 'Final order' },
  { name: 'days_taken', label: 'Days from issue' },
  { name: 'weeks_taken', label: 'Weeks from issue' },
  { name: 'order_type', label: 'Final order made' },
] as const;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'care_proceedings.issued',
    title: 'Care proceedings issued',
    theme: 'care_leavers_permanence',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Applications for a care or supervision order (care proceedings) issued by the court in the period, one per child named in the application: a child\'s proceedings are counted on the date the application was issued.',
    source: SOURCE,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'issued_date', label: 'Application issued' },
      { name: 'final_order_date', label: 'Final order' },
      { name: 'order_type', label: 'Final order made' },
    ],
    numeratorLabel: 'children in proceedings issued',
    sql: () => `
      SELECT p.period_id, cp.child_id, 1 AS numerator, 0 AS denominator, cp.issued_date AS at_date,
        NULL AS team, NULL AS worker, cp.issued_date, cp.final_order_date, cp.order_type
      FROM periods p JOIN main.care_proceedings cp ON cp.issued_date BETWEEN p.start_date AND p.end_date`,
  },
  {
    id: 'care_proceedings.within_26_weeks',
    title: 'Care proceedings completed within 26 weeks',
    theme: 'care_leavers_permanence',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the care proceedings concluded in the period (final order dated in the period, whatever order was made, including none), the percentage concluded within the statutory 26 weeks. The 26 weeks begin with the day the application was issued, so the last day inside them is 181 days after the issue date: an application issued on a Monday must end by the Sunday 26 weeks later, and a final order 182 days (26 weeks to the day) after issue is late. A final order recorded before the issue date is left out as an error.',
    source: SOURCE,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...CONCLUDED_DETAILS],
    numeratorLabel: 'concluded within 26 weeks',
    denominatorLabel: 'proceedings concluded',
    sql: (s: Settings) => `
      SELECT ${CONCLUDED_COLUMNS},
        CASE WHEN date_diff('day', cp.issued_date, cp.final_order_date) < ${7 * s.proceedingsWeeks} THEN 1 ELSE 0 END AS numerator,
        1 AS denominator
      ${CONCLUDED_IN_PERIOD}`,
  },
  {
    id: 'care_proceedings.average_weeks',
    title: 'Average weeks from issue to final order',
    theme: 'care_leavers_permanence',
    unit: 'weeks',
    polarity: 'lower',
    measure: 'flow',
    definition: 'For the care proceedings concluded in the period (final order dated in the period), the average time from the application being issued to the final order, in weeks (calendar days divided by 7). A final order recorded before the issue date is left out as an error.',
    source: SOURCE,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...CONCLUDED_DETAILS],
    numeratorLabel: 'weeks taken',
    denominatorLabel: 'proceedings concluded',
    sql: () => `
      SELECT ${CONCLUDED_COLUMNS},
        date_diff('day', cp.issued_date, cp.final_order_date) / 7 AS numerator, 1 AS denominator
      ${CONCLUDED_IN_PERIOD}`,
  },
];
