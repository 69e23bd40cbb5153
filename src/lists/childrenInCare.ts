// Looked-after children with a visit, review, health assessment or personal education plan overdue or due soon.
import type { OperationalList } from './types.ts';

export const LISTS: readonly OperationalList[] = [
  {
    id: 'lac_overdue',
    title: 'Looked-after children: visits, reviews, health assessments and PEPs due or overdue',
    theme: 'children_in_care',
    description: [
      'Children looked after at the date, one row per item overdue (red) or due within 14 days (amber), counted from the start of the current period of care:',
      'visit every N days after the last looked-after visit (settings: lacVisitDays, default 42; Care Planning Regulations 2010 reg. 28);',
      'review within 20 working days of entering care, the second within 3 months of the first, then every 6 months (reg. 33);',
      'health assessment within 20 working days of entering care, then every 6 months under 5 and every 12 months from 5;',
      'PEP for children of school age (5 to 15) within 20 working days of entering care, then every N months (settings: pepMonths, default 6).',
    ].join(' '),
    details: [
      { name: 'item', label: 'Due' },
      { name: 'care_start_date', label: 'In care since' },
      { name: 'last_date', label: 'Last done' },
    ],
    sql: ({ settings, date }) => `
      WITH eps AS (
        SELECT e.child_id, e.decom, e.dec,
          CASE WHEN lag(e.dec) OVER w = e.decom THEN 0 ELSE 1 END AS starts_period
        FROM main.lac_episodes e WINDOW w AS (PARTITION BY e.child_id ORDER BY e.decom)),
      in_care AS (
        -- children looked after at the date, with the start of their current period of care
        SELECT e.child_id, max(e.decom) FILTER (WHERE e.starts_period = 1 AND e.decom <= DATE '${date}') AS care_start_date
        FROM eps e GROUP BY e.child_id
        HAVING bool_or(open_at(e.decom, e.dec, DATE '${date}'))),
      facts AS (
        SELECT c.child_id, c.care_start_date, ch.dob,
          (SELECT max(v.visit_date) FROM main.visits v WHERE v.child_id = c.child_id AND v.visit_type = 'LAC'
             AND v.visit_date BETWEEN c.care_start_date AND DATE '${date}') AS last_visit,
          (SELECT max(r.review_date) FROM main.lac_reviews r WHERE r.child_id = c.child_id
             AND r.review_date BETWEEN c.care_start_date AND DATE '${date}') AS last_review,
          (SELECT count(*) FROM main.lac_reviews r WHERE r.child_id = c.child_id
             AND r.review_date BETWEEN c.care_start_date AND DATE '${date}') AS reviews,
          (SELECT max(h.assessment_date) FROM main.health_assessments h WHERE h.child_id = c.child_id
             AND h.kind IN ('initial', 'review') AND h.assessment_date <= DATE '${date}') AS last_health,
          (SELECT max(p.pep_date) FROM main.peps p WHERE p.child_id = c.child_id
             AND p.pep_date BETWEEN c.care_start_date AND DATE '${date}') AS last_pep
        FROM in_care c LEFT JOIN main.children ch ON ch.child_id = c.child_id),
      items AS (
        SELECT child_id, care_start_date, 'Visit' AS item, last_visit AS last_date,
          CAST(coalesce(last_visit, care_start_date) + ${settings.lacVisitDays} AS DATE) AS due_date FROM facts
        UNION ALL
        SELECT child_id, care_start_date, 'Review', last_review,
          CASE WHEN reviews = 0 THEN add_working_days(care_start_date, 20)
               WHEN reviews = 1 THEN add_months(last_review, 3) ELSE add_months(last_review, 6) END FROM facts
        UNION ALL
        SELECT child_id, care_start_date, 'Health assessment', last_health,
          CASE WHEN last_health IS NULL OR last_health < care_start_date THEN add_working_days(care_start_date, 20)
               WHEN dob IS NOT NULL AND age_years(dob, DATE '${date}') < 5 THEN add_months(last_health, 6)
               ELSE add_months(last_health, 12) END FROM facts
        UNION ALL
        SELECT child_id, care_start_date, 'PEP', last_pep,
          CASE WHEN last_pep IS NULL THEN add_working_days(care_start_date, 20) ELSE add_months(last_pep, ${settings.pepMonths}) END
        FROM facts WHERE dob IS NOT NULL AND age_years(dob, DATE '${date}') BETWEEN 5 AND 15)
      SELECT child_id, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, item, care_start_date, last_date, due_date,
        CASE WHEN due_date < DATE '${date}' THEN 'red' ELSE 'amber' END AS rag,
        item || CASE WHEN due_date < DATE '${date}' THEN ' overdue' ELSE ' due' END AS status
      FROM items WHERE due_date <= DATE '${date}' + 14`,
  },
];
