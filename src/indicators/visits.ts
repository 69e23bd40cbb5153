// "Visited in timescale" at a period end, shared by the child protection and child in need families: of the
// children on a plan at the period end, those whose last visit of the plan's type since the plan started (or,
// with none yet, the plan start itself) is no more than N working days before the period end.

export interface VisitsInTimescale {
  /** a relation of children on a plan at each period end: period_id, child_id, end_date and `start` */
  readonly onPlan: string;
  /** the relation's column holding the plan's start date */
  readonly start: string;
  readonly visitType: 'CP' | 'CIN';
  readonly workingDays: number;
  /** the rest of the select list after period_id, child_id, numerator, denominator, at_date (team, worker, details) */
  readonly columns: string;
}

export function visitsInTimescaleSql(v: VisitsInTimescale): string {
  return `
      SELECT o.period_id, o.child_id,
        CASE WHEN ce.working_day_index - cs.working_day_index <= ${v.workingDays} THEN 1 ELSE 0 END AS numerator,
        1 AS denominator, o.end_date AS at_date, ${v.columns},
        ce.working_day_index - cs.working_day_index AS working_days_since
      FROM (
        SELECT o.*, v.last_visit_date, coalesce(v.last_visit_date, o.${v.start}) AS since
        FROM ${v.onPlan} o
        LEFT JOIN LATERAL (
          SELECT max(x.visit_date) AS last_visit_date FROM main.visits x
          WHERE x.child_id = o.child_id AND x.visit_type = '${v.visitType}' AND x.visit_date BETWEEN o.${v.start} AND o.end_date) v ON true) o
      -- working days after the last visit (or the plan start) up to and including the period end: working_days()
      LEFT JOIN calendar cs ON cs.date = o.since
      LEFT JOIN calendar ce ON ce.date = o.end_date`;
}
