// Front door and early help: contacts received, how quickly they are decided, how many become referrals;
// early help assessments completed (count and rate), their timeliness, who completed them, and step-downs
// from social care to early help. Source: Ofsted Annex A Lists 1 and 2, Working Together to Safeguard
// Children 2023 (chapter 1 early help; chapter 2 decisions within one working day of a referral), and the
// native event feed, which carries decision times and outcomes the statutory returns do not.
//
// Contacts are records, not children: a child with two contacts in a month counts twice. Every contact
// indicator is a flow by the date the contact was received (its deciding date), so the contacts behind the
// timeliness and conversion figures are the same contacts as behind "contacts received".
import type { Indicator, Settings } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const ANNEX_A_1 = 'Ofsted Annex A List 1 (contacts: date of contact, contact source)';
const ANNEX_A_2 = 'Ofsted Annex A List 2 (early help: assessment start date, completion date, organisation completing)';
const WORKING_TOGETHER_DECISION = 'Working Together to Safeguard Children 2023, chapter 2 (a decision about the type of response within one working day of receipt)';
const WORKING_TOGETHER_EARLY_HELP = 'Working Together to Safeguard Children 2023, chapter 1 (early help assessment) and chapter 3 (step-down to early help)';
const EVENTS = 'native event feed contacts (received_at, decision_at, outcome)';

/** Contacts received in each period: one row per contact record. */
const CONTACTS_IN_PERIOD = `
  FROM periods p
  JOIN calendar cr ON cr.date BETWEEN p.start_date AND p.end_date
  JOIN main.contacts c ON CAST(c.received_at AS DATE) = cr.date`;

/**
 * Contacts that came from Annex A List 1, which records no decision or outcome: their lack of a decision
 * means "not recorded", not "awaiting", so the timeliness figures leave them out.
 */
const FROM_ANNEX_A = `EXISTS (SELECT 1 FROM loads l WHERE l.load_id = c.load_id AND l.kind = 'annex_a')`;

/** A contact still awaiting a decision: neither a decision time nor an outcome recorded. */
const UNDECIDED = `(c.decision_at IS NULL AND c.outcome IS NULL)`;

/** Early help assessments completed in each period: one row per assessment record (child and start date). */
const EARLY_HELP_COMPLETED = `
  FROM periods p
  JOIN main.early_help e ON e.completion_date BETWEEN p.start_date AND p.end_date`;

const CONTACT_DETAILS = [
  { name: 'contact_id', label: 'Contact' },
  { name: 'received_at', label: 'Received' },
  { name: 'contact_source', label: 'Source' },
] as const;
const EARLY_HELP_DETAILS = [
  { name: 'start_date', label: 'Early help assessment started' },
  { name: 'completion_date', label: 'Completed' },
] as const;

const decisionWorkingDays = (s: Settings): string => `
      SELECT p.period_id, c.child_id,
        CASE WHEN c.decision_at >= c.received_at
              AND cd.working_day_index - cr.working_day_index <= ${s.contactDecisionWorkingDays} THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, CAST(c.received_at AS DATE) AS at_date, c.team, c.worker, c.source,
        c.contact_id, c.received_at, c.source AS contact_source, c.decision_at, c.outcome,
        cd.working_day_index - cr.working_day_index AS working_days_to_decision
      ${CONTACTS_IN_PERIOD}
      LEFT JOIN calendar cd ON cd.date = CAST(c.decision_at AS DATE)
      LEFT JOIN calendar ce ON ce.date = p.end_date
      WHERE c.decision_at IS NOT NULL
        OR (${UNDECIDED} AND ce.working_day_index - cr.working_day_index > ${s.contactDecisionWorkingDays}
            AND NOT ${FROM_ANNEX_A})`;

/** A time of exactly 00:00:00 is read as a date without a time (Annex A records dates only). */
const HAS_TIME = (col: string): string => `CAST(${col} AS TIME) <> TIME '00:00:00'`;

export const INDICATORS: readonly Indicator[] = [
  {
    id: 'front_door.contacts_received',
    title: 'Contacts received',
    theme: 'front_door',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Contacts to the children\'s services front door (MASH) received in the period, whatever their outcome. Each contact counts, so a child who is the subject of two contacts counts twice. Broken down by who made the contact (police, schools, health, housing, individuals, …).',
    source: `${ANNEX_A_1}; ${EVENTS}`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [...CONTACT_DETAILS, { name: 'outcome', label: 'Outcome' }],
    numeratorLabel: 'contacts',
    sql: () => `
      SELECT p.period_id, c.child_id, 1 AS numerator, 0 AS denominator, CAST(c.received_at AS DATE) AS at_date,
        c.team, c.worker, c.source, c.contact_id, c.received_at, c.source AS contact_source, c.outcome
      ${CONTACTS_IN_PERIOD}`,
  },
  {
    id: 'front_door.decided_in_timescale',
    title: 'Contacts decided within 1 working day',
    theme: 'front_door',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the contacts received in the period, the percentage with a decision about the response (referral, early help, no further action, information and advice) within 1 working day of receipt (the local standard, configurable): working days counted after the day of receipt up to and including the day of the decision, excluding weekends and bank holidays (decided the day it arrived = 0; a contact received on a Saturday and decided on Monday = 1). A contact still without a decision counts as late once more than 1 working day has passed by the period end, and is left out until then. A decision recorded before the contact was received is a recording error and counts as late, so that it shows in the list. Contacts known only from Annex A, which records no decisions, are not counted as late.',
    source: `${WORKING_TOGETHER_DECISION}; ${EVENTS}`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [
      ...CONTACT_DETAILS,
      { name: 'decision_at', label: 'Decided' },
      { name: 'working_days_to_decision', label: 'Working days to decision' },
      { name: 'outcome', label: 'Outcome' },
    ],
    numeratorLabel: 'contacts decided in time',
    denominatorLabel: 'contacts decided or overdue',
    sql: decisionWorkingDays,
  },
  {
    id: 'front_door.decided_within_24_hours',
    title: 'Contacts decided within 24 hours',
    theme: 'front_door',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the contacts received in the period whose receipt and decision times are recorded, the percentage decided within 24 hours of receipt (clock hours, weekends included). A time of exactly midnight is read as a date without a time and the contact is left out (Annex A records dates only). A contact still without a decision counts as late once 24 hours have passed by the end of the period\'s last day. A decision recorded before receipt counts as late, so that it shows in the list.',
    source: `${WORKING_TOGETHER_DECISION}; ${EVENTS}`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [
      ...CONTACT_DETAILS,
      { name: 'decision_at', label: 'Decided' },
      { name: 'hours_to_decision', label: 'Hours to decision' },
      { name: 'outcome', label: 'Outcome' },
    ],
    numeratorLabel: 'contacts decided within 24 hours',
    denominatorLabel: 'contacts decided or overdue',
    sql: () => `
      SELECT p.period_id, c.child_id,
        CASE WHEN c.decision_at >= c.received_at AND c.decision_at <= c.received_at + INTERVAL 24 HOUR THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, CAST(c.received_at AS DATE) AS at_date, c.team, c.worker, c.source,
        c.contact_id, c.received_at, c.source AS contact_source, c.decision_at, c.outcome,
        round(date_diff('minute', c.received_at, c.decision_at) / 60.0, 1) AS hours_to_decision
      ${CONTACTS_IN_PERIOD}
      WHERE ${HAS_TIME('c.received_at')}
        AND ((c.decision_at IS NOT NULL AND ${HAS_TIME('c.decision_at')})
          OR (${UNDECIDED} AND c.received_at + INTERVAL 24 HOUR < CAST(p.end_date + INTERVAL 1 DAY AS TIMESTAMP)))`,
  },
  {
    id: 'front_door.contact_to_referral',
    title: 'Contacts converting to a referral',
    theme: 'front_door',
    unit: 'percent',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Of the contacts received in the period that have an outcome recorded, the percentage whose outcome was a referral to children\'s social care. Contacts still awaiting a decision are left out until decided, so the latest month can change. Broken down by source, it shows, for example, the share of police contacts that become referrals.',
    source: `${ANNEX_A_1}; ${EVENTS}; Working Together to Safeguard Children 2023, chapter 2`,
    dimensions: ['source'],
    breakdowns: [...COMMON_BREAKDOWNS, 'source'],
    details: [...CONTACT_DETAILS, { name: 'decision_at', label: 'Decided' }, { name: 'outcome', label: 'Outcome' }],
    numeratorLabel: 'contacts becoming referrals',
    denominatorLabel: 'contacts decided',
    sql: () => `
      SELECT p.period_id, c.child_id, CASE WHEN c.outcome = 'referral' THEN 1 ELSE 0 END AS numerator, 1 AS denominator,
        CAST(c.received_at AS DATE) AS at_date, c.team, c.worker, c.source,
        c.contact_id, c.received_at, c.source AS contact_source, c.decision_at, c.outcome
      ${CONTACTS_IN_PERIOD}
      WHERE c.outcome IS NOT NULL`,
  },
  {
    id: 'front_door.early_help_completed',
    title: 'Early help assessments completed',
    theme: 'front_door',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Early help assessments completed in the period (by completion date), whoever completed them. Each assessment counts, so a child with two assessments completed in the period counts twice.',
    source: ANNEX_A_2,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...EARLY_HELP_DETAILS, { name: 'organisation', label: 'Completed by' }],
    numeratorLabel: 'early help assessments completed',
    sql: () => `
      SELECT p.period_id, e.child_id, 1 AS numerator, 0 AS denominator, e.completion_date AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, e.start_date, e.completion_date, e.organisation
      ${EARLY_HELP_COMPLETED}`,
  },
  {
    id: 'front_door.early_help_rate',
    title: 'Early help assessments per 10,000 children',
    theme: 'front_door',
    unit: 'rate',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Early help assessments completed in the period per 10,000 children aged 0 to 17 living in the authority (ONS mid-year estimate in force at the period end). Usually read over a rolling 12 months.',
    source: `${ANNEX_A_2}; ONS mid-year population estimates`,
    breakdowns: ['age_band', 'sex'],
    details: EARLY_HELP_DETAILS,
    numeratorLabel: 'early help assessments completed',
    denominatorLabel: 'children aged 0–17',
    sql: () => `
      SELECT p.period_id, e.child_id, 1 AS numerator, 0 AS denominator, e.completion_date AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker, e.start_date, e.completion_date
      ${EARLY_HELP_COMPLETED}`,
  },
  {
    id: 'front_door.early_help_in_timescale',
    title: 'Early help assessments completed within 35 days',
    theme: 'front_door',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the early help assessments completed in the period, the percentage completed within 35 calendar days of starting (the local standard, configurable): days counted after the start date up to and including the completion date (completed the day it started = 0). An assessment without a start date cannot be timed and is left out; a completion recorded before the start is a recording error and counts as late, so that it shows in the list. Assessments still open are not counted until they are completed.',
    source: `${ANNEX_A_2}; ${WORKING_TOGETHER_EARLY_HELP}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...EARLY_HELP_DETAILS, { name: 'days_to_complete', label: 'Days taken' }],
    numeratorLabel: 'completed in time',
    denominatorLabel: 'early help assessments completed',
    sql: (s) => `
      SELECT p.period_id, e.child_id,
        CASE WHEN e.completion_date - e.start_date BETWEEN 0 AND ${s.earlyHelpDays} THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, e.completion_date AS at_date, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        e.start_date, e.completion_date, e.completion_date - e.start_date AS days_to_complete
      ${EARLY_HELP_COMPLETED}
      WHERE e.start_date IS NOT NULL`,
  },
  {
    id: 'front_door.early_help_by_partners',
    title: 'Early help assessments completed by partner agencies',
    theme: 'front_door',
    unit: 'percent',
    polarity: 'higher',
    measure: 'flow',
    definition: 'Of the early help assessments completed in the period, the percentage completed by a partner agency (a school, health, police, the voluntary sector) rather than the local authority\'s own early help service. Assessments where it is not recorded who completed them are left out.',
    source: `${ANNEX_A_2}; ${WORKING_TOGETHER_EARLY_HELP}`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [...EARLY_HELP_DETAILS, { name: 'organisation', label: 'Organisation' }, { name: 'completed_by', label: 'Partner or local authority' }],
    numeratorLabel: 'completed by partners',
    denominatorLabel: 'early help assessments completed',
    sql: () => `
      SELECT p.period_id, e.child_id, CASE WHEN e.completed_by = 'partner' THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, e.completion_date AS at_date, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        e.start_date, e.completion_date, e.organisation, e.completed_by
      ${EARLY_HELP_COMPLETED}
      WHERE e.completed_by IN ('partner', 'la')`,
  },
  {
    id: 'front_door.step_down_children',
    title: 'Children stepped down from social care to early help',
    theme: 'front_door',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Children whose early help began in the period as a step-down from children\'s social care (the early help record is marked as a step-down; dated by the start of early help). A child stepped down twice in the period counts once.',
    source: `${WORKING_TOGETHER_EARLY_HELP}; native event feed early_help.step_down`,
    breakdowns: COMMON_BREAKDOWNS,
    details: [{ name: 'start_date', label: 'Early help started' }, { name: 'family_id', label: 'Family' }],
    numeratorLabel: 'children stepped down',
    sql: () => `
      SELECT p.period_id, e.child_id, 1 AS numerator, 0 AS denominator, min(e.start_date) AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        min(e.start_date) AS start_date, min(e.family_id) AS family_id
      FROM periods p
      JOIN main.early_help e ON e.start_date BETWEEN p.start_date AND p.end_date AND e.step_down
      GROUP BY p.period_id, e.child_id`,
  },
  {
    id: 'front_door.step_down_families',
    title: 'Families stepped down from social care to early help',
    theme: 'front_door',
    unit: 'count',
    polarity: 'neither',
    measure: 'flow',
    definition: 'Families with at least one child whose early help began in the period as a step-down from children\'s social care. Children sharing a family identifier are one family; a child with no family identifier recorded counts as a family of their own. Each family is listed under its first child (by identifier), with all its children stepped down in the period.',
    source: `${WORKING_TOGETHER_EARLY_HELP}; native event feed early_help.step_down, family_id`,
    breakdowns: ['team', 'worker'],
    details: [
      { name: 'family', label: 'Family' },
      { name: 'start_date', label: 'Early help started' },
      { name: 'children', label: 'Children stepped down' },
    ],
    numeratorLabel: 'families stepped down',
    sql: () => `
      SELECT p.period_id, min(e.child_id) AS child_id, 1 AS numerator, 0 AS denominator, min(e.start_date) AS at_date,
        CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        coalesce(e.family_id, 'child ' || e.child_id) AS family, min(e.start_date) AS start_date,
        string_agg(DISTINCT e.child_id, ', ' ORDER BY e.child_id) AS children
      FROM periods p
      JOIN main.early_help e ON e.start_date BETWEEN p.start_date AND p.end_date AND e.step_down
      GROUP BY p.period_id, coalesce(e.family_id, 'child ' || e.child_id)`,
  },
];
