// Section 47 enquiries and initial child protection conferences: enquiries started and their rate, how
// many lead to a conference, conferences held, their timeliness against the 15 working days of Working
// Together, and how many result in a child protection plan.
// Source: DfE "Children in need census" guidance (Section47: S47ActualStartDate, InitialCPCtarget,
// DateOfInitialCPC, ICPCnotRequired; ChildProtectionPlans: CPPstartDate), Ofsted Annex A List 5, and the
// "Characteristics of children in need" statistics.
import type { Indicator } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const CIN_CENSUS = 'DfE Children in need census guidance: Section47 (S47ActualStartDate, InitialCPCtarget, DateOfInitialCPC, ICPCnotRequired)';
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023, chapter 3 (initial child protection conference within 15 working days of the strategy discussion)';
const ANNEX_A = 'Ofsted Annex A List 5 (section 47 enquiries and ICPCs)';

/** Section 47 enquiries started in each period: one row per enquiry record (child and start date). */
const STARTED_IN_PERIOD = `
  FROM periods p JOIN main.section47 s ON s.start_date BETWEEN p.start_date AND p.end_date`;

/**
 * Initial child protection conferences held in each period: one row per child and conference date (two
 * enquiries recorded against the same conference are one conference). The enquiry it concluded is the
 * latest one started on or before the conference; its start times it (Working Together 2023: within 15
 * working days of the strategy discussion, or of the last one if more than one was held).
 * Columns: period_id, child_id, icpc_date, s47_start_date, icpc_target_date, icpc_plan, team, worker.
 */
const ICPCS_IN_PERIOD = `
  SELECT p.period_id, s.child_id, s.icpc_date,
    coalesce(max(s.start_date) FILTER (WHERE s.start_date <= s.icpc_date), max(s.start_date)) AS s47_start_date,
    arg_max(s.icpc_target_date, s.start_date) AS icpc_target_date,
    bool_or(s.icpc_plan) AS icpc_plan,
    arg_max(s.team, s.start_date) AS team, arg_max(s.worker, s.start_date) AS worker
  FROM periods p JOIN main.section47 s ON s.icpc_date BETWEEN p.start_date AND p.end_date
  GROUP BY p.period_id, s.child_id, s.icpc_date`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'section47.started',
    title: 'Section 47 enquiries started',
    theme: 'child_protection',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Section 47 enquiries (child protection enquiries) whose start date — the strategy discussion that began them — falls in the period. Each enquiry counts once; a child with two enquiries in the period counts twice.',
    source: `${CIN_CENSUS}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 's47_start_date', label: 'S47 started' }, { name: 'icpc_date', label: 'ICPC' }],
    numeratorLabel: 'section 47 enquiries',
    sql: () => `
      SELECT p.period_id, s.child_id, 1 AS numerator, 0 AS denominator, s.start_date AS at_date, s.team, s.worker,
        s.start_date AS s47_start_date, s.icpc_date
      ${STARTED_IN_PERIOD}`,
  },
  {
    id: 'section47.rate',
    title: 'Section 47 enquiries per 10,000 children',
    theme: 'child_protection',
    unit: 'rate',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Section 47 enquiries started in the period per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end). Usually read over a rolling 12 months.',
    source: `${CIN_CENSUS}; ONS mid-year population estimates; DfE Characteristics of children in need, section 47 enquiries per 10,000 children`,
    breakdowns: ['age_band', 'sex'],
    details: [{ name: 's47_start_date', label: 'S47 started' }],
    numeratorLabel: 'section 47 enquiries',
    denominatorLabel: 'children aged 0–17',
    sql: () => `
      SELECT p.period_id, s.child_id, 1 AS numerator, 0 AS denominator, s.start_date AS at_date, s.team, s.worker,
        s.start_date AS s47_start_date
      ${STARTED_IN_PERIOD}`,
  },
  {
    id: 'section47.to_icpc',
    title: 'Section 47 enquiries leading to an initial child protection conference',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the section 47 enquiries started in the period whose outcome is known, the percentage that led to an initial child protection conference (a conference date is recorded). The outcome is known when a conference date is recorded or the conference is recorded as not required; enquiries with neither — usually those started in the last few weeks, still under way — are left out of both numbers until their outcome is recorded, so recent months can change.',
    source: `${CIN_CENSUS}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 's47_start_date', label: 'S47 started' },
      { name: 'icpc_date', label: 'ICPC' },
      { name: 'icpc_not_required', label: 'ICPC not required' },
    ],
    numeratorLabel: 'enquiries leading to an ICPC',
    denominatorLabel: 'enquiries with a known outcome',
    sql: () => `
      SELECT p.period_id, s.child_id, CASE WHEN s.icpc_date IS NOT NULL THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, s.start_date AS at_date, s.team, s.worker,
        s.start_date AS s47_start_date, s.icpc_date, s.icpc_not_required
      ${STARTED_IN_PERIOD}
      WHERE s.icpc_date IS NOT NULL OR s.icpc_not_required`,
  },
  {
    id: 'section47.icpcs',
    title: 'Initial child protection conferences held',
    theme: 'child_protection',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Initial child protection conferences whose date falls in the period. A conference recorded against two enquiries for the same child on the same date counts once.',
    source: `${CIN_CENSUS}; ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 's47_start_date', label: 'S47 started' }, { name: 'icpc_date', label: 'ICPC' }],
    numeratorLabel: 'initial child protection conferences',
    sql: () => `
      SELECT period_id, child_id, 1 AS numerator, 0 AS denominator, icpc_date AS at_date, team, worker,
        s47_start_date, icpc_date
      FROM (${ICPCS_IN_PERIOD}) i`,
  },
  {
    id: 'section47.icpc_within_15_days',
    title: 'Initial child protection conferences within 15 working days',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the initial child protection conferences held in the period, the percentage held within 15 working days of the start of the section 47 enquiry (the strategy discussion): working days counted after the start date up to and including the conference date, excluding weekends and bank holidays, so a conference on the 15th working day is in time even when a bank holiday falls between. When two enquiries for the child are recorded against the same conference, it is timed from the later one (Working Together: the last strategy discussion). A conference recorded before its enquiry started is a recording error and counts as not in time, so that it shows in the list.',
    source: `${CIN_CENSUS}; ${WORKING_TOGETHER}; DfE Characteristics of children in need, ICPCs within 15 working days`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 's47_start_date', label: 'S47 started' },
      { name: 'icpc_target_date', label: 'ICPC due' },
      { name: 'icpc_date', label: 'ICPC' },
      { name: 'working_days', label: 'Working days' },
    ],
    numeratorLabel: 'ICPCs within 15 working days',
    denominatorLabel: 'ICPCs held',
    sql: () => `
      SELECT i.period_id, i.child_id, CASE WHEN ci.working_day_index - cs.working_day_index BETWEEN 0 AND 15 THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, i.icpc_date AS at_date, i.team, i.worker,
        i.s47_start_date, i.icpc_target_date, i.icpc_date, ci.working_day_index - cs.working_day_index AS working_days
      FROM (${ICPCS_IN_PERIOD}) i
      LEFT JOIN calendar cs ON cs.date = i.s47_start_date
      LEFT JOIN calendar ci ON ci.date = i.icpc_date`,
  },
  {
    id: 'section47.icpc_to_plan',
    title: 'Initial child protection conferences resulting in a plan',
    theme: 'child_protection',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the initial child protection conferences held in the period, the percentage that resulted in a child protection plan: the conference is recorded as resulting in a plan, or a child protection plan for the child starts on the conference date.',
    source: `${CIN_CENSUS}; ChildProtectionPlans (CPPstartDate); ${ANNEX_A}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [
      { name: 's47_start_date', label: 'S47 started' },
      { name: 'icpc_date', label: 'ICPC' },
      { name: 'plan_start_date', label: 'CP plan started' },
    ],
    numeratorLabel: 'ICPCs resulting in a plan',
    denominatorLabel: 'ICPCs held',
    sql: () => `
      SELECT i.period_id, i.child_id,
        CASE WHEN i.icpc_plan OR cp.start_date IS NOT NULL THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        i.icpc_date AS at_date, i.team, i.worker, i.s47_start_date, i.icpc_date, cp.start_date AS plan_start_date
      FROM (${ICPCS_IN_PERIOD}) i
      LEFT JOIN main.cp_plans cp ON cp.child_id = i.child_id AND cp.start_date = i.icpc_date`,
  },
];
