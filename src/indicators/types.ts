// What an indicator is: its metadata, and SQL that yields one row per counted unit per period.
//
// The unit-row contract. An indicator's SQL is a SELECT that may read the canonical tables (main.*),
// the `calendar` table, the SQL macros of sql.ts and a relation `periods(period_id, label, start_date,
// end_date)` supplied by the engine, and returns, for every period, one row per record (or child) that
// counts towards the figure, with these columns:
//   period_id    the period the row belongs to
//   child_id     the child (null only for rows that are not children, e.g. a worker in a caseload average)
//   numerator    1 if the row is in the numerator, else 0; for averages the value itself (days, weeks)
//   denominator  1 if the row is in the denominator, else 0 (0 for count and rate indicators)
//   at_date      the date that decided the row (referral date, authorisation date, period end for stocks):
//                age bands are taken at it, and team and worker are looked up at it when the row has none
//   team, worker the team and worker named on the record, or null (the engine fills them from allocations)
// and, when the indicator declares them in `dimensions`: source (referral or contact source code),
// factors (comma-separated assessment factor codes). Every further column must be declared in
// `details`: they are the dates that decided the row, shown beside the child in drill-downs.
// Rows with numerator = 0 and denominator = 0 should not be returned.

export type Unit = 'count' | 'percent' | 'rate' | 'days' | 'weeks' | 'average';
export type Polarity = 'higher' | 'lower' | 'neither';

/**
 * flow  — events dated within the period (referrals, authorisations, ICPCs, plans started);
 * stock — a snapshot at the period's end (children on a plan, looked after); only the end date matters.
 */
export type Measure = 'flow' | 'stock';

/** How unit rows become one value: sums by default; 'max' takes the largest numerator (maximum caseload). */
export type Aggregate = 'sum' | 'max';

export const THEMES = {
  front_door: 'Front door and early help',
  assessment: 'Referrals and assessments',
  child_protection: 'Section 47 enquiries and child protection',
  children_in_need: 'Children in need',
  children_in_care: 'Children in care',
  care_leavers_permanence: 'Care leavers and permanence',
  workforce: 'Workforce',
  voice: 'Voices of children and families',
} as const;
export type Theme = keyof typeof THEMES;

export const BREAKDOWNS = {
  team: 'Team',
  worker: 'Worker',
  source: 'Source',
  age_band: 'Age band',
  sex: 'Sex',
  ethnicity: 'Ethnicity',
  disability: 'Disability',
  factor: 'Factor identified at assessment',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;

/** Local standards the indicators use; every one can be changed per authority (see settings.ts). */
export interface Settings {
  /** CP visits: a child on a plan is seen at least every N working days (Working Together leaves it local; 10 is common). */
  cpVisitWorkingDays: number;
  /** CIN visits: every N working days (local standard). */
  cinVisitWorkingDays: number;
  /** Looked-after visits: every N calendar days (Care Planning Regulations minimum is 6 weeks). */
  lacVisitDays: number;
  /** Contacts: a decision within N working days of receipt. */
  contactDecisionWorkingDays: number;
  /** Early help assessments: completed within N calendar days. */
  earlyHelpDays: number;
  /** PEPs: reviewed at least every N months. */
  pepMonths: number;
  /** Care proceedings: completed within N weeks (Children and Families Act 2014: 26). */
  proceedingsWeeks: number;
  /** Supervision: each social worker supervised at least every N calendar days (a local standard; 30 = monthly). */
  supervisionDays: number;
  /** Population rows used for rates: the authority's LA code, or null for every row of the population table. */
  laCode: string | null;
}

export interface Detail {
  /** column name in the indicator's SQL */
  readonly name: string;
  /** heading shown above the column */
  readonly label: string;
}

export interface Indicator {
  /** stable id: '<family>.<name>', e.g. 'referrals.re_referrals_12m' */
  readonly id: string;
  readonly title: string;
  readonly theme: Theme;
  readonly unit: Unit;
  readonly polarity: Polarity;
  readonly measure: Measure;
  readonly aggregate?: Aggregate;
  /** plain English: what is counted and how, as a committee member would read it */
  readonly definition: string;
  /** statutory source: DfE CIN census guidance, SSDA903 guidance, Working Together, Ofsted Annex A */
  readonly source: string;
  /** extra optional standard columns the SQL returns */
  readonly dimensions?: readonly ('source' | 'factors')[];
  /** breakdowns that make sense (team, worker, age, sex, ethnicity and disability come from every row) */
  readonly breakdowns: readonly Breakdown[];
  readonly details: readonly Detail[];
  /** the unit rows, given the authority's settings */
  readonly sql: (settings: Settings) => string;
  /** label of the numerator and denominator for tables ('re-referrals', 'referrals') */
  readonly numeratorLabel: string;
  readonly denominatorLabel?: string;
}

/** Breakdowns every indicator can take, because they come from the child or the allocation. */
export const COMMON_BREAKDOWNS: readonly Breakdown[] = ['team', 'worker', 'age_band', 'sex', 'ethnicity', 'disability'];
