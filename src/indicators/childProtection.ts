// Child protection plans: children on a plan at the period end and their rate, plans started and ended,
// repeat plans (ever, and within two years of the last), long plans (ended after two years or more, open
// two years or more), and whether visits and review conferences happen in timescale.
// Sources: DfE "Children in need census" guidance (ChildProtectionPlans: CPPstartDate, CPPendDate,
// InitialCategoryOfAbuse, LatestCategoryOfAbuse, NumberOfPreviousCPP, CPPreviewDate), the DfE statistical
// release "Characteristics of children in need" (its child protection tables), Working Together to Safeguard
// Children 2023 (chapter 2: review conferences and visits) and Ofsted's Annex A List 7.
import type { Indicator } from './types.ts';
import { visitsInTimescaleSql } from './visits.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const CIN_CENSUS = 'DfE Children in need census guidance: ChildProtectionPlans (CPPstartDate, CPPendDate)';
const STATS = 'DfE Characteristics of children in need statistical release';

/**
 * Children on a plan at each period end: one row per child, whatever the number of open plans (a child
 * with two overlapping plans counts once). plan_start_date is the earliest open plan's start (the child has
 * been on a plan since then); category, team and worker come from the latest-started open plan.
 */
const ON_PLAN = `(
  SELECT p.period_id, p.end_date, cp.child_id,
    min(cp.start_date) AS plan_start_date,
    arg_max(cp.latest_category, cp.start_date) AS category,
    arg_max(cp.team, cp.start_date) AS team, arg_max(cp.worker, cp.start_date) AS worker
  FROM periods p JOIN main.cp_plans cp ON open_at(cp.start_date, cp.end_date, p.end_date)
  WHERE cp.child_id IS NOT NULL
  GROUP BY p.period_id, p.end_date, cp.child_id)`;

/**
 * Every plan with what the store knows of the same child's earlier plans (those starting before it):
 * how many, the latest end among them, and whether any of them has no end.
 */
const PLANS_WITH_HISTORY = `(
  SELECT cp.*,
    count(*) OVER w AS earlier_plans,
    max(cp.end_date) OVER w AS earlier_end_date,
    bool_or(cp.end_date IS NULL) OVER w AS earlier_open
  FROM main.cp_plans cp
  WHERE cp.start_date IS NOT NULL
  WINDOW w AS (PARTITION BY cp.child_id ORDER BY cp.start_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))`;

const STARTED_IN_PERIOD = `FROM periods p JOIN ${PLANS_WITH_HISTORY} cp ON cp.start_date BETWEEN p.start_date AND p.end_date`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'child_protection.on_plan',
    title: 'Children on a child protection plan',
    theme: 'child_protection',
    unit: 'count',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children subject to a child protection plan at the end of the period: the plan started on or before that day and had not ended on or before it (a plan ending on the last day of the period is not counted; one starting on it is). A child with two overlapping plans counts once.',
    source: `${CIN_CENSUS}; ${STATS}, children who were the subject of a child protection plan at 31 March; Ofsted Annex A List 7`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 'plan_start_date', label: 'On a plan since' }, { name: 'category', label: 'Category of abuse' }],
    numeratorLabel: 'children on a plan',
    sql: () => `
      SELECT o.period_id, o.child_id, 1 AS numerator, 0 AS denominator, o.end_date AS at_date,
        o.team, o.worker, o.plan_start_date, o.category
      FROM ${ON_PLAN} o`,
  },
  {
    id: 'child_protection.rate',
    title: 'Children on a child protection plan per 10,000 children',
    theme: 'child_protection',
    unit: 'rate',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children subject to a child protection plan at the end of the period (each child once) per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end).',
    source: `${CIN_CENSUS}; ${STATS}, rate of children subject to a plan per 10,000 children; ONS mid-year population estimates`,
    breakdowns: ['age_band', 'sex'],
    details: [{ name: 'plan_start_date', label: 'On a plan since' }, { name: 'category', label: 'Category of abuse' }],
    numeratorLabel: 'children on a plan',
    denominatorLabel: 'children aged 0–17',
    sql: () => `
      SELECT o.period_id, o.child_id, 1 AS numerator, 0 AS denominator, o.end_date AS at_date,
        o.team, o.worker, o.plan_start_date, o.category
      FROM ${ON_PLAN} o`,
  },
  {
    id: 'child_protection.plans_started',
    title: 'Child protection plans started',
    theme: 'child_protection',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Child protection plans whose start date (the initial child protection conference that made the plan) falls in the period. Each plan counts, so a child with two plans starting in the period counts twice.',
    source: `${CIN_CENSUS}; ${STATS}, children who became the subject of a child protection plan`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 'plan_start_date', label: 'Plan started' }, { name: 'category', label: 'Initial category of abuse' }],
    numeratorLabel: 'plans started',
    sql: () => `
      SELECT p.period_id, cp.child_id, 1 AS numerator, 0 AS denominator, cp.start_date AS at_date,
        cp.team, cp.worker, cp.start_date AS plan_start_date, cp.initial_category AS category
      FROM periods p JOIN main.cp_plans cp ON cp.start_date BETWEEN p.start_date AND p.end_date`,
  },
  {
    id: 'child_protection.plans_ended',
    title: 'Child protection plans ended',
    theme: 'child_protection',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Child protection plans whose end date falls in the period (including plans ended because the child came into care, turned 18 or moved away). Each plan counts.',
    source: `${CIN_CENSUS}; ${STATS}, children who ceased to be the subject of a child protection plan`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'plan_end_date', label: 'Plan ended' },
      { name: 'category', label: 'Latest category of abuse' },
    ],
    numeratorLabel: 'plans ended',
    sql: () => `
      SELECT p.period_id, cp.child_id, 1 AS numerator, 0 AS denominator, cp.end_date AS at_date,
        cp.team, cp.worker, cp.start_date AS plan_start_date, cp.end_date AS plan_end_date, cp.latest_category AS category
      FROM periods p JOIN main.cp_plans cp ON cp.end_date BETWEEN p.start_date AND p.end_date`,
  },
  {
    id: 'child_protection.second_or_subsequent',
    title: 'Child protection plans that are a second or subsequent plan',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Of the child protection plans started in the period, the percentage where the child had been on a plan before, at any time and in any authority: the plan records one or more previous plans (NumberOfPreviousCPP), or an earlier plan for the child is held here.',
    source: `${CIN_CENSUS}, NumberOfPreviousCPP; ${STATS}, children who became the subject of a plan for the second or subsequent time`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'previous_plans', label: 'Previous plans recorded' },
      { name: 'previous_plan_end_date', label: 'Last plan here ended' },
      { name: 'category', label: 'Initial category of abuse' },
    ],
    numeratorLabel: 'second or subsequent plans',
    denominatorLabel: 'plans started',
    sql: () => `
      SELECT p.period_id, cp.child_id,
        CASE WHEN coalesce(cp.previous_plans, 0) > 0 OR cp.earlier_plans > 0 THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, cp.start_date AS at_date, cp.team, cp.worker,
        cp.start_date AS plan_start_date, cp.previous_plans, cp.earlier_end_date AS previous_plan_end_date,
        cp.initial_category AS category
      ${STARTED_IN_PERIOD}`,
  },
  {
    id: 'child_protection.repeat_within_2y',
    title: 'Child protection plans starting within 2 years of the last plan',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Of the child protection plans started in the period, the percentage where the child\'s last plan held here ended within the two years before: on or after the same date two years earlier (a start on 29 February looks back to 1 March). A plan that starts while an earlier one is still open counts. A previous plan known only from the count of previous plans (another authority\'s, with no end date here) cannot be dated and does not count.',
    source: `${CIN_CENSUS}, CPPendDate of the previous plan; Ofsted Annex A List 7; ${STATS}, repeat plans`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'previous_plan_end_date', label: 'Last plan ended' },
      { name: 'category', label: 'Initial category of abuse' },
    ],
    numeratorLabel: 'plans within 2 years of the last',
    denominatorLabel: 'plans started',
    sql: () => `
      SELECT p.period_id, cp.child_id,
        CASE WHEN cp.earlier_open OR cp.earlier_end_date >= add_years(cp.start_date, -2) THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, cp.start_date AS at_date, cp.team, cp.worker,
        cp.start_date AS plan_start_date, cp.earlier_end_date AS previous_plan_end_date, cp.initial_category AS category
      ${STARTED_IN_PERIOD}`,
  },
  {
    id: 'child_protection.ended_after_2y',
    title: 'Child protection plans ended that lasted 2 years or more',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'lower',
    measure: 'flow',
    definition: 'Of the child protection plans that ended in the period, the percentage that had lasted two years or more: ended on or after the same date two years after the plan started (a plan starting on 29 February reaches two years on 1 March).',
    source: `${CIN_CENSUS}; ${STATS}, plans ceasing which lasted two years or more`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'two_years_date', label: 'Two years reached' },
      { name: 'plan_end_date', label: 'Plan ended' },
      { name: 'category', label: 'Latest category of abuse' },
    ],
    numeratorLabel: 'plans lasting 2 years or more',
    denominatorLabel: 'plans ended',
    sql: () => `
      SELECT p.period_id, cp.child_id,
        CASE WHEN add_years(cp.start_date, 2) <= cp.end_date THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        cp.end_date AS at_date, cp.team, cp.worker, cp.start_date AS plan_start_date,
        add_years(cp.start_date, 2) AS two_years_date, cp.end_date AS plan_end_date, cp.latest_category AS category
      FROM periods p JOIN main.cp_plans cp ON cp.end_date BETWEEN p.start_date AND p.end_date
      WHERE cp.start_date IS NOT NULL`,
  },
  {
    id: 'child_protection.open_2y',
    title: 'Children on a child protection plan for 2 years or more',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Of the children on a child protection plan at the end of the period, the percentage who had then been on it two years or more: the plan started on or before the same date two years earlier (a plan starting on 29 February reaches two years on 1 March). A child with overlapping plans is counted once, from the earliest open plan.',
    source: `${CIN_CENSUS}; Ofsted Annex A List 7; ${STATS}, children on a plan at 31 March by length of time on the plan`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'On a plan since' },
      { name: 'two_years_date', label: 'Two years reached' },
      { name: 'category', label: 'Category of abuse' },
    ],
    numeratorLabel: 'children on a plan 2 years or more',
    denominatorLabel: 'children on a plan',
    sql: () => `
      SELECT o.period_id, o.child_id,
        CASE WHEN add_years(o.plan_start_date, 2) <= o.end_date THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        o.end_date AS at_date, o.team, o.worker, o.plan_start_date,
        add_years(o.plan_start_date, 2) AS two_years_date, o.category
      FROM ${ON_PLAN} o`,
  },
  {
    id: 'child_protection.visits_in_timescale',
    title: 'Children on a child protection plan visited in timescale',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children on a child protection plan at the end of the period, the percentage not overdue a visit: their last child protection visit since the plan started was within the local standard of working days before the period end (the working days after the visit up to and including the period end), or, with no visit yet, the plan itself started within that many working days. The standard is set locally (default 10 working days).',
    source: 'Working Together to Safeguard Children 2023, chapter 2 (the lead practitioner sees the child as the plan requires); local visiting standard; visits recorded by the authority (native events, Annex A)',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'On a plan since' },
      { name: 'last_visit_date', label: 'Last CP visit' },
      { name: 'working_days_since', label: 'Working days since' },
      { name: 'category', label: 'Category of abuse' },
    ],
    numeratorLabel: 'children visited in timescale',
    denominatorLabel: 'children on a plan',
    sql: (s) => visitsInTimescaleSql({
      onPlan: ON_PLAN, start: 'plan_start_date', visitType: 'CP', workingDays: s.cpVisitWorkingDays,
      columns: 'o.team, o.worker, o.plan_start_date, o.last_visit_date, o.category',
    }),
  },
  {
    id: 'child_protection.reviews_in_timescale',
    title: 'Child protection reviews held in timescale',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the child protection review conferences held in the period, the percentage held in timescale: a plan\'s first review within 3 months of the plan starting at the initial conference (on or before the same day three months later, or the month\'s last day when it is shorter), each later review within 6 months of the one before. A review whose plan cannot be found (no plan start recorded and no plan for the child started by then) cannot be shown to be in time and counts as late. When the records held begin after a plan started (the earliest review held here is later than the plan\'s start) and no earlier review of it is held, the review before it is unknown, and it is left out.',
    source: 'Working Together to Safeguard Children 2023, chapter 2 (first review conference within three months of the initial conference, then at intervals of not more than six months); DfE Children in need census guidance: CPPreviewDate',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'plan_start_date', label: 'Plan started' },
      { name: 'previous_review_date', label: 'Previous review' },
      { name: 'due_date', label: 'Review due by' },
      { name: 'review_date', label: 'Review held' },
      { name: 'category', label: 'Latest category of abuse' },
    ],
    numeratorLabel: 'reviews in timescale',
    denominatorLabel: 'reviews held',
    sql: () => `
      SELECT p.period_id, r.child_id,
        CASE WHEN r.review_date <= r.due_date THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        r.review_date AS at_date, cp.team, cp.worker, r.plan_start_date, r.previous_review_date, r.due_date, r.review_date,
        cp.latest_category AS category
      FROM periods p
      JOIN (
        SELECT q.*, CASE WHEN q.previous_review_date IS NULL THEN add_months(q.plan_start_date, 3)
                         ELSE add_months(q.previous_review_date, 6) END AS due_date
        FROM (
          SELECT rv.child_id, rv.review_date, coalesce(rv.plan_start_date, pl.latest_start) AS plan_start_date,
            lag(rv.review_date) OVER (PARTITION BY rv.child_id, coalesce(rv.plan_start_date, pl.latest_start) ORDER BY rv.review_date) AS previous_review_date
          FROM main.cp_reviews rv
          LEFT JOIN LATERAL (
            SELECT max(x.start_date) AS latest_start FROM main.cp_plans x
            WHERE x.child_id = rv.child_id AND x.start_date <= rv.review_date) pl ON true
          WHERE rv.review_date IS NOT NULL) q
        -- the plan started before the review records held here begin, and no earlier review is held: unknown
        WHERE q.previous_review_date IS NOT NULL OR q.plan_start_date IS NULL
           OR q.plan_start_date >= (SELECT min(h.review_date) FROM main.cp_reviews h)
      ) r ON r.review_date BETWEEN p.start_date AND p.end_date
      LEFT JOIN main.cp_plans cp ON cp.child_id = r.child_id AND cp.start_date = r.plan_start_date`,
  },
];
