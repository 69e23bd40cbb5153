// Children in need (not on a child protection plan, not looked after) whose episode has been open over 6 months.
import type { OperationalList } from './types.ts';

export const LISTS: readonly OperationalList[] = [
  {
    id: 'cin_open_over_6_months',
    title: 'Children in need open over 6 months',
    theme: 'children_in_need',
    description:
      'Children in need whose episode (from the referral) has been open 6 months or more, and who are neither on a child protection plan nor looked after: red from 6 months; the CIN plan start, if any, is shown.',
    details: [
      { name: 'referral_date', label: 'Referral date' },
      { name: 'cin_plan_start_date', label: 'CIN plan started' },
      { name: 'months_open', label: 'Months open' },
    ],
    sql: ({ date }) => `
      SELECT r.child_id, r.team, r.worker, r.referral_date, cp.start_date AS cin_plan_start_date,
        date_diff('month', r.referral_date, DATE '${date}') - CASE WHEN day(DATE '${date}') < day(r.referral_date) THEN 1 ELSE 0 END AS months_open,
        add_months(r.referral_date, 6) AS due_date, 'red' AS rag, 'Open 6 months or more' AS status
      FROM main.referrals r
      LEFT JOIN LATERAL (SELECT max(x.start_date) AS start_date FROM main.cin_plans x
        WHERE x.child_id = r.child_id AND open_at(x.start_date, x.end_date, DATE '${date}')) cp ON true
      WHERE open_at(r.referral_date, r.closure_date, DATE '${date}') AND add_months(r.referral_date, 6) <= DATE '${date}'
        AND NOT EXISTS (SELECT 1 FROM main.cp_plans p WHERE p.child_id = r.child_id AND open_at(p.start_date, p.end_date, DATE '${date}'))
        AND NOT EXISTS (SELECT 1 FROM main.lac_episodes e WHERE e.child_id = r.child_id AND open_at(e.decom, e.dec, DATE '${date}'))
      QUALIFY row_number() OVER (PARTITION BY r.child_id ORDER BY r.referral_date) = 1`,
  },
];
