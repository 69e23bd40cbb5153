// Children on child protection plans whose visit or review conference is due or overdue, and plans open
// two years or more.
import type { OperationalList } from './types.ts';

/** The plan each child is on at the date (the latest started if two overlap). */
const OPEN_PLANS = (date: string) => `
  SELECT * FROM main.cp_plans p WHERE open_at(p.start_date, p.end_date, DATE '${date}')
  QUALIFY row_number() OVER (PARTITION BY p.child_id ORDER BY p.start_date DESC) = 1`;

export const LISTS: readonly OperationalList[] = [
  {
    id: 'cp_visits_due',
    title: 'Child protection visits due or overdue',
    theme: 'child_protection',
    description:
      'Children on a child protection plan whose next visit is overdue (red: more than N working days since the last CP visit since the plan started, or since the plan start) or due within 2 working days (amber). N is the local standard (settings: cpVisitWorkingDays, default 10).',
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'last_visit_date', label: 'Last CP visit' },
    ],
    sql: ({ settings, date }) => `
      WITH plans AS (${OPEN_PLANS(date)}),
      due AS (
        SELECT p.child_id, p.team, p.worker, p.start_date AS plan_start_date, v.last_visit_date,
          coalesce(v.last_visit_date, p.start_date) AS since,
          add_working_days(coalesce(v.last_visit_date, p.start_date), ${settings.cpVisitWorkingDays}) AS due_date
        FROM plans p LEFT JOIN LATERAL (
          SELECT max(x.visit_date) AS last_visit_date FROM main.visits x
          WHERE x.child_id = p.child_id AND x.visit_type = 'CP' AND x.visit_date BETWEEN p.start_date AND DATE '${date}') v ON true)
      -- overdue exactly when the indicator child_protection.visits_in_timescale counts the child as not in timescale:
      -- more than N working days after the last visit (or the plan start) up to and including the date
      SELECT *, CASE WHEN working_days(since, DATE '${date}') > ${settings.cpVisitWorkingDays} THEN 'red' ELSE 'amber' END AS rag,
        CASE WHEN working_days(since, DATE '${date}') > ${settings.cpVisitWorkingDays} THEN 'Visit overdue' ELSE 'Visit due' END AS status
      FROM due WHERE working_days(since, DATE '${date}') >= ${settings.cpVisitWorkingDays} - 2`,
  },
  {
    id: 'cp_reviews_due',
    title: 'Child protection reviews due or overdue',
    theme: 'child_protection',
    description:
      'Children on a child protection plan whose review conference is overdue (red) or due within 28 days (amber). Working Together 2023: the first review within 3 months of the initial conference, later reviews at most 6 months apart.',
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'last_review_date', label: 'Last review' },
    ],
    sql: ({ date }) => `
      WITH plans AS (${OPEN_PLANS(date)}),
      due AS (
        SELECT p.child_id, p.team, p.worker, p.start_date AS plan_start_date, r.last_review_date,
          CASE WHEN r.last_review_date IS NULL THEN add_months(p.start_date, 3) ELSE add_months(r.last_review_date, 6) END AS due_date
        FROM plans p LEFT JOIN LATERAL (
          SELECT max(x.review_date) AS last_review_date FROM main.cp_reviews x
          WHERE x.child_id = p.child_id AND x.review_date > p.start_date AND x.review_date <= DATE '${date}') r ON true)
      SELECT *, CASE WHEN due_date < DATE '${date}' THEN 'red' ELSE 'amber' END AS rag,
        CASE WHEN due_date < DATE '${date}' THEN 'Review overdue' ELSE 'Review due' END AS status
      FROM due WHERE due_date <= DATE '${date}' + 28`,
  },
  {
    id: 'cp_plans_over_2_years',
    title: 'Child protection plans open 2 years or more',
    theme: 'child_protection',
    description:
      'Children whose current child protection plan has been open 2 years or more (red; a start on 29 February counts from 1 March) or will reach 2 years within 3 months (amber).',
    details: [{ name: 'plan_start_date', label: 'Plan started' }, { name: 'category', label: 'Category' }],
    sql: ({ date }) => `
      SELECT p.child_id, p.team, p.worker, p.start_date AS plan_start_date, coalesce(p.latest_category, p.initial_category) AS category,
        add_years(p.start_date, 2) AS due_date,
        CASE WHEN add_years(p.start_date, 2) <= DATE '${date}' THEN 'red' ELSE 'amber' END AS rag,
        CASE WHEN add_years(p.start_date, 2) <= DATE '${date}' THEN 'Open 2 years or more' ELSE 'Reaches 2 years within 3 months' END AS status
      FROM (${OPEN_PLANS(date)}) p
      WHERE add_years(p.start_date, 2) <= add_months(DATE '${date}', 3)`,
  },
];
