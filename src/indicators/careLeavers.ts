// Care leavers: whether the authority is in touch with them, whether they are in education, employment or
// training, and whether they live in suitable accommodation, for those aged 19–21 (the DfE headline) and
// 17–18. Source: SSDA903 guidance, OC3 (IN_TOUCH, ACTIV, ACCOM), and DfE "Children looked after in
// England including adoptions", care leavers tables, whose definitions these follow.
//
// OC3 is a yearly return: one row per young person whose 17th to 21st birthday falls in the reporting year
// (collection_year 2024 = 2024-25), describing them around that birthday. The period mapping: a period
// shows the OC3 rows of the reporting year its end date falls in (collection_year = the year that reporting
// year starts), counting only the young people whose birthday in that year falls on or before the period's
// end. So March (or the whole reporting year) shows the full return, and any earlier month shows the
// reporting year so far; the period's start is ignored, as for any snapshot. Age is the age reached at that
// birthday (from the date of birth; a 29 February birthday falls on 1 March in other years), not the age
// today. Annex A List 9 rows loaded under a reporting year belong to whoever the list names: their age at
// the birthday in that year decides whether they count (a 22-year-old kept on the list does not).
import type { Indicator, Detail } from './types.ts';
import { COMMON_BREAKDOWNS } from './types.ts';

const SOURCE = 'SSDA903 guidance, OC3 (care leavers on their 17th to 21st birthday): IN_TOUCH, ACTIV, ACCOM; DfE Children looked after in England including adoptions: care leavers';

/** OC3 activity codes for education, employment or training (F1/P1 higher education, F2/P2 other education, F4/P4 training or employment, F5/P5 apprenticeship). */
const EET = `('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5')`;

/**
 * `periods p` joined to the OC3 rows `cl` of the reporting year each period ends in, for young people aged
 * min..max at their birthday in that year, the birthday on or before the period end; those recorded as
 * having died are left out, and so are rows whose child has no date of birth (their age is not known).
 */
function cohort(min: number, max: number): string {
  return `periods p JOIN (
      SELECT a.*, add_years(a.dob, a.age) AS birthday
      FROM (
        SELECT l.child_id, l.collection_year, l.in_touch, l.activity, l.accommodation, l.accommodation_suitable, c.dob,
          l.collection_year + CASE WHEN month(c.dob) < 4 THEN 1 ELSE 0 END - year(c.dob) AS age
        FROM main.care_leavers l JOIN main.children c ON c.child_id = l.child_id
        WHERE coalesce(l.in_touch, '') <> 'DIED') a
      WHERE a.age BETWEEN ${min} AND ${max}) cl
    ON cl.collection_year = year(p.end_date) - CASE WHEN month(p.end_date) < 4 THEN 1 ELSE 0 END
      AND cl.birthday <= p.end_date`;
}

const DETAILS: readonly Detail[] = [
  { name: 'birthday', label: 'Birthday in the year' },
  { name: 'age', label: 'Age at birthday' },
  { name: 'in_touch', label: 'In touch (IN_TOUCH)' },
  { name: 'activity', label: 'Activity (ACTIV)' },
  { name: 'accommodation', label: 'Accommodation (ACCOM)' },
];

const COLUMNS = `p.period_id, cl.child_id, 1 AS denominator, cl.birthday AS at_date, NULL AS team, NULL AS worker,
  cl.birthday, cl.age, cl.in_touch, cl.activity, cl.accommodation`;

const PERIOD_RULE = 'Taken from the OC3 return of the reporting year the period ends in, for the young people whose birthday in that year has passed by the period end (a month shows the year so far; March shows the whole return). Age is the age reached at that birthday. Young people recorded as having died are left out.';

function group(ages: string, min: number, max: number): Indicator[] {
  const range = `${min}–${max}`;
  return [
    {
      id: `care_leavers.in_touch_${min}_${max}`,
      title: `Care leavers aged ${range} in touch`,
      theme: 'care_leavers_permanence',
      unit: 'percent',
      polarity: 'higher',
      measure: 'stock',
      definition: `Of the care leavers who turned ${ages} in the reporting year, the percentage the authority was in touch with around that birthday (IN_TOUCH = YES). Refused contact, no longer requiring services, returned home and not known all count as not in touch. ${PERIOD_RULE}`,
      source: SOURCE,
      breakdowns: COMMON_BREAKDOWNS,
      details: DETAILS,
      numeratorLabel: 'in touch',
      denominatorLabel: `care leavers aged ${range}`,
      sql: () => `
        SELECT ${COLUMNS}, CASE WHEN cl.in_touch = 'YES' THEN 1 ELSE 0 END AS numerator
        FROM ${cohort(min, max)}`,
    },
    {
      id: `care_leavers.eet_${min}_${max}`,
      title: `Care leavers aged ${range} in education, employment or training`,
      theme: 'care_leavers_permanence',
      unit: 'percent',
      polarity: 'higher',
      measure: 'stock',
      definition: `Of the care leavers who turned ${ages} in the reporting year, the percentage in education, employment or training around that birthday (ACTIV F1/P1 higher education, F2/P2 other education, F4/P4 training or employment, F5/P5 apprenticeship, full or part time). Young people not in touch, whose activity is not known, count as not in education, employment or training, as in DfE's statistics. ${PERIOD_RULE}`,
      source: SOURCE,
      breakdowns: COMMON_BREAKDOWNS,
      details: DETAILS,
      numeratorLabel: 'in education, employment or training',
      denominatorLabel: `care leavers aged ${range}`,
      sql: () => `
        SELECT ${COLUMNS}, CASE WHEN cl.activity IN ${EET} THEN 1 ELSE 0 END AS numerator
        FROM ${cohort(min, max)}`,
    },
    {
      id: `care_leavers.suitable_accommodation_${min}_${max}`,
      title: `Care leavers aged ${range} in suitable accommodation`,
      theme: 'care_leavers_permanence',
      unit: 'percent',
      polarity: 'higher',
      measure: 'stock',
      definition: `Of the care leavers who turned ${ages} in the reporting year, the percentage whose accommodation around that birthday was judged suitable (ACCOM ending in 1). Young people not in touch, whose accommodation is not known (ACCOM 0), count as not in suitable accommodation, as in DfE's statistics. ${PERIOD_RULE}`,
      source: SOURCE,
      breakdowns: COMMON_BREAKDOWNS,
      details: DETAILS,
      numeratorLabel: 'in suitable accommodation',
      denominatorLabel: `care leavers aged ${range}`,
      sql: () => `
        SELECT ${COLUMNS},
          CASE WHEN coalesce(cl.accommodation_suitable, regexp_matches(cl.accommodation, '^[A-Z]1$')) THEN 1 ELSE 0 END AS numerator
        FROM ${cohort(min, max)}`,
    },
  ];
}

export const INDICATORS: readonly Indicator[] = [
  ...group('19, 20 or 21', 19, 21),
  ...group('17 or 18', 17, 18),
];
