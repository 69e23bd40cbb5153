// Children in need: children with an open episode of need at the period end, their rate, the same without
// children on a child protection plan or looked after, child in need plans open six months or more, visits
// to children on a child in need plan in timescale, and children in need with a plan.
// Sources: DfE "Children in need census" guidance (CINdetails: CINreferralDate, CINclosureDate, ReferralNFA;
// CINPlanDates: CINPlanStartDate, CINPlanEndDate), the DfE statistical release "Characteristics of children
// in need" (children in need at 31 March), SSDA903 episodes (DECOM, DEC) and Working Together 2023.
import type { Indicator } from './types.ts';
import { visitsInTimescaleSql } from './visits.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const CIN_CENSUS = 'DfE Children in need census guidance: CINdetails (CINreferralDate, CINclosureDate, ReferralNFA)';
const STATS = 'DfE Characteristics of children in need statistical release, children in need at 31 March';

/**
 * Children in need at each period end: one row per child with an episode of need open then (referral on or
 * before the day, not closed on or before it). A referral recorded as no further action is not an episode
 * of need, whatever its closure date. referral_date is the earliest open episode's; team and worker are the
 * latest open referral's.
 */
const IN_NEED = `(
  SELECT p.period_id, p.end_date, r.child_id,
    min(r.referral_date) AS referral_date,
    arg_max(r.team, r.referral_date) AS team, arg_max(r.worker, r.referral_date) AS worker
  FROM periods p JOIN main.referrals r ON open_at(r.referral_date, r.closure_date, p.end_date)
  WHERE r.child_id IS NOT NULL AND NOT coalesce(r.nfa, false)
  GROUP BY p.period_id, p.end_date, r.child_id)`;

/** Children on a child protection plan at each period end (the earliest open plan's start). */
const ON_CP_PLAN = `(
  SELECT p.period_id, cp.child_id, min(cp.start_date) AS cp_plan_start_date
  FROM periods p JOIN main.cp_plans cp ON open_at(cp.start_date, cp.end_date, p.end_date)
  GROUP BY p.period_id, cp.child_id)`;

/** Children looked after at each period end (the start of the open episode). */
const LOOKED_AFTER = `(
  SELECT p.period_id, l.child_id, min(l.decom) AS looked_after_date
  FROM periods p JOIN main.lac_episodes l ON open_at(l.decom, l.dec, p.end_date)
  GROUP BY p.period_id, l.child_id)`;

/** Children on a child in need plan at each period end (the earliest open plan's start). */
const ON_CIN_PLAN = `(
  SELECT p.period_id, p.end_date, c.child_id, min(c.start_date) AS cin_plan_start_date
  FROM periods p JOIN main.cin_plans c ON open_at(c.start_date, c.end_date, p.end_date)
  WHERE c.child_id IS NOT NULL
  GROUP BY p.period_id, p.end_date, c.child_id)`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'children_in_need.count',
    title: 'Children in need',
    theme: 'children_in_need',
    unit: 'count',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children with an episode of need open at the end of the period: referred on or before that day and the episode not closed on or before it. This includes children being assessed, on a child in need or child protection plan, and looked after. Referrals recorded as no further action are not episodes of need. A child with two open episodes counts once.',
    source: `${CIN_CENSUS}; ${STATS}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 'referral_date', label: 'Referral date (episode open)' }],
    numeratorLabel: 'children in need',
    sql: () => `
      SELECT n.period_id, n.child_id, 1 AS numerator, 0 AS denominator, n.end_date AS at_date,
        n.team, n.worker, n.referral_date
      FROM ${IN_NEED} n`,
  },
  {
    id: 'children_in_need.rate',
    title: 'Children in need per 10,000 children',
    theme: 'children_in_need',
    unit: 'rate',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children with an episode of need open at the end of the period (each child once; no-further-action referrals excluded) per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end).',
    source: `${CIN_CENSUS}; ${STATS}, rate per 10,000 children; ONS mid-year population estimates`,
    breakdowns: ['age_band', 'sex'],
    details: [{ name: 'referral_date', label: 'Referral date (episode open)' }],
    numeratorLabel: 'children in need',
    denominatorLabel: 'children aged 0–17',
    sql: () => `
      SELECT n.period_id, n.child_id, 1 AS numerator, 0 AS denominator, n.end_date AS at_date,
        n.team, n.worker, n.referral_date
      FROM ${IN_NEED} n`,
  },
  {
    id: 'children_in_need.excluding_cp_lac',
    title: 'Children in need, not on a child protection plan or looked after',
    theme: 'children_in_need',
    unit: 'count',
    polarity: 'neither',
    measure: 'stock',
    definition: 'Children in need at the end of the period (an open episode of need) who were not then on a child protection plan and not looked after: the children supported under section 17 alone, whether or not they have a child in need plan.',
    source: `${CIN_CENSUS}; ChildProtectionPlans (CPPstartDate, CPPendDate); SSDA903 episodes (DECOM, DEC); ${STATS}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 'referral_date', label: 'Referral date (episode open)' }],
    numeratorLabel: 'children in need without a CP plan or care',
    sql: () => `
      SELECT n.period_id, n.child_id, 1 AS numerator, 0 AS denominator, n.end_date AS at_date,
        n.team, n.worker, n.referral_date
      FROM ${IN_NEED} n
      LEFT JOIN ${ON_CP_PLAN} cp ON cp.period_id = n.period_id AND cp.child_id = n.child_id
      LEFT JOIN ${LOOKED_AFTER} la ON la.period_id = n.period_id AND la.child_id = n.child_id
      WHERE cp.child_id IS NULL AND la.child_id IS NULL`,
  },
  {
    id: 'children_in_need.cin_plans_over_6m',
    title: 'Child in need plans open 6 months or more',
    theme: 'children_in_need',
    unit: 'count',
    polarity: 'lower',
    measure: 'stock',
    definition: 'Child in need plans open at the end of the period that had then been open six months or more: started on or before the same day six months earlier (or that month\'s last day when it is shorter). Each plan counts.',
    source: 'DfE Children in need census guidance: CINPlanDates (CINPlanStartDate, CINPlanEndDate)',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'cin_plan_start_date', label: 'CIN plan started' },
      { name: 'six_months_date', label: 'Six months reached' },
    ],
    numeratorLabel: 'plans open 6 months or more',
    sql: () => `
      SELECT p.period_id, c.child_id, 1 AS numerator, 0 AS denominator, p.end_date AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        c.start_date AS cin_plan_start_date, add_months(c.start_date, 6) AS six_months_date
      FROM periods p JOIN main.cin_plans c
        ON open_at(c.start_date, c.end_date, p.end_date) AND add_months(c.start_date, 6) <= p.end_date`,
  },
  {
    id: 'children_in_need.visits_in_timescale',
    title: 'Children on a child in need plan visited in timescale',
    theme: 'children_in_need',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children on a child in need plan at the end of the period, the percentage not overdue a visit: their last child in need visit since the plan started was within the local standard of working days before the period end (the working days after the visit up to and including the period end), or, with no visit yet, the plan itself started within that many working days. The standard is set locally (default 20 working days).',
    source: 'Working Together to Safeguard Children 2023, chapter 2 (child in need plans); local visiting standard; DfE Children in need census guidance: CINPlanDates; visits recorded by the authority (native events)',
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'cin_plan_start_date', label: 'On a CIN plan since' },
      { name: 'last_visit_date', label: 'Last CIN visit' },
      { name: 'working_days_since', label: 'Working days since' },
    ],
    numeratorLabel: 'children visited in timescale',
    denominatorLabel: 'children on a CIN plan',
    sql: (s) => visitsInTimescaleSql({
      onPlan: ON_CIN_PLAN, start: 'cin_plan_start_date', visitType: 'CIN', workingDays: s.cinVisitWorkingDays,
      columns: 'CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, o.cin_plan_start_date, o.last_visit_date',
    }),
  },
  {
    id: 'children_in_need.with_plan',
    title: 'Children in need with a plan',
    theme: 'children_in_need',
    unit: 'percent',
    polarity: 'higher',
    measure: 'stock',
    definition: 'Of the children in need at the end of the period (an open episode of need), the percentage who then had a plan: an open child in need plan, an open child protection plan, or an open period of care (a looked-after child has a care plan). Children still being assessed have no plan yet and count against the figure.',
    source: `${CIN_CENSUS}; CINPlanDates; ChildProtectionPlans; SSDA903 episodes (DECOM, DEC); Ofsted Annex A`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 'referral_date', label: 'Referral date (episode open)' },
      { name: 'cin_plan_start_date', label: 'CIN plan since' },
      { name: 'cp_plan_start_date', label: 'CP plan since' },
      { name: 'looked_after_date', label: 'Looked after since' },
    ],
    numeratorLabel: 'children in need with a plan',
    denominatorLabel: 'children in need',
    sql: () => `
      SELECT n.period_id, n.child_id,
        CASE WHEN cin.child_id IS NOT NULL OR cp.child_id IS NOT NULL OR la.child_id IS NOT NULL THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, n.end_date AS at_date, n.team, n.worker, n.referral_date,
        cin.cin_plan_start_date, cp.cp_plan_start_date, la.looked_after_date
      FROM ${IN_NEED} n
      LEFT JOIN ${ON_CIN_PLAN} cin ON cin.period_id = n.period_id AND cin.child_id = n.child_id
      LEFT JOIN ${ON_CP_PLAN} cp ON cp.period_id = n.period_id AND cp.child_id = n.child_id
      LEFT JOIN ${LOOKED_AFTER} la ON la.period_id = n.period_id AND la.child_id = n.child_id`,
  },
];
