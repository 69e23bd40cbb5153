// SQL macros shared by every indicator, created on the connection before indicators run. Each mirrors a
// TypeScript function (calendar.ts, periods.ts, codes.ts) and test/indicators/sql.test.ts checks that the
// two agree, so SQL and TypeScript count the same way.
import type { Store } from '../store.ts';

export const MACROS: readonly string[] = [
  // Working-day index of a date (calendar.workingDayIndex); working days after a up to and including b.
  `CREATE OR REPLACE TEMP MACRO wd_index(d) AS (SELECT working_day_index FROM calendar WHERE date = d)`,
  `CREATE OR REPLACE TEMP MACRO working_days(a, b) AS wd_index(b) - wd_index(a)`,
  // The nth working day after d, n ≥ 1 (calendar.addWorkingDays).
  `CREATE OR REPLACE TEMP MACRO add_working_days(d, n) AS
     (SELECT min(c.date) FROM calendar c WHERE c.is_working_day AND c.working_day_index = wd_index(d) + n)`,
  // calendar.addMonths: the same day n months later, clamped to a shorter month's end (DuckDB clamps too).
  `CREATE OR REPLACE TEMP MACRO add_months(d, n) AS CAST(d + to_months(CAST(n AS INTEGER)) AS DATE)`,
  // calendar.addYears: 29 February in a year without one becomes 1 March.
  `CREATE OR REPLACE TEMP MACRO add_years(d, n) AS CASE
     WHEN month(d) = 2 AND day(d) = 29
      AND NOT ((year(d) + n) % 4 = 0 AND ((year(d) + n) % 100 <> 0 OR (year(d) + n) % 400 = 0))
     THEN make_date(CAST(year(d) + n AS BIGINT), 3, 1)
     ELSE CAST(d + to_years(CAST(n AS INTEGER)) AS DATE) END`,
  // Whole years of age at d (a 29 February birthday is reached on 1 March in other years).
  `CREATE OR REPLACE TEMP MACRO age_years(dob, d) AS
     year(d) - year(dob) - CASE WHEN month(d) * 100 + day(d) < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END`,
  // DfE's age bands for children in need and looked-after statistics.
  `CREATE OR REPLACE TEMP MACRO age_band(dob, d) AS CASE
     WHEN dob IS NULL OR d IS NULL THEN 'Unknown'
     WHEN age_years(dob, d) < 0 THEN 'Unborn'
     WHEN age_years(dob, d) < 1 THEN 'Under 1'
     WHEN age_years(dob, d) < 5 THEN '1 to 4'
     WHEN age_years(dob, d) < 10 THEN '5 to 9'
     WHEN age_years(dob, d) < 16 THEN '10 to 15'
     ELSE '16 and over' END`,
  // periods.isOpenAt: started on or before d and not ended on or before it.
  `CREATE OR REPLACE TEMP MACRO open_at(s, e, d) AS (s <= d AND (e IS NULL OR e > d))`,
  // codes.referralSourceGroup
  `CREATE OR REPLACE TEMP MACRO source_group(code) AS CASE
     WHEN code IS NULL OR code = '' THEN 'Unknown'
     WHEN code LIKE '1%' AND code <> '10' THEN 'Individual'
     WHEN code LIKE '2%' THEN 'Education'
     WHEN code LIKE '3%' THEN 'Health'
     WHEN code = '4' THEN 'Housing'
     WHEN code LIKE '5%' THEN 'LA services'
     WHEN code = '6' THEN 'Police'
     WHEN code = '7' THEN 'Other legal agency'
     WHEN code = '9' THEN 'Anonymous'
     WHEN code = '10' THEN 'Unknown'
     ELSE 'Other' END`,
  // codes.ethnicGroup: DfE's major ethnic groups.
  `CREATE OR REPLACE TEMP MACRO ethnic_group(code) AS CASE
     WHEN code IS NULL OR code = '' OR code IN ('REFU', 'NOBT') THEN 'Refused or not obtained'
     WHEN code LIKE 'W%' THEN 'White'
     WHEN code LIKE 'M%' THEN 'Mixed'
     WHEN code LIKE 'A%' THEN 'Asian or Asian British'
     WHEN code LIKE 'B%' THEN 'Black or Black British'
     ELSE 'Other ethnic group' END`,
  // Not a macro: the engine's ASOF join to allocations must stay an ASOF join. DuckDB falls back to a nested
  // loop when it estimates fewer than 64 unit rows, and its estimates for range joins on expressions (a
  // TIMESTAMP against the period's DATEs) are that low even for 10,000 rows: 13 months of contacts then
  // took 600 ms instead of 30.
  `SET asof_loop_join_threshold = 0`,
];

const prepared = new WeakSet<Store>();

/** Creates the macros on the store's connection (once per connection). */
export async function prepareMacros(store: Store): Promise<void> {
  if (prepared.has(store)) return;
  for (const m of MACROS) await store.run(m);
  prepared.add(store);
}

/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
