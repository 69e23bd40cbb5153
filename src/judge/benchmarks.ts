// Benchmarks: England, region and statistical-neighbour values per indicator and reporting year, and where
// an authority's figure sits among them (quartile band and a plain-English comparison).
//
// Three ways values reach the `benchmarks` table (store migration 2):
//   1. importBenchmarks — DfE's published LA-level CSV files (explore-education-statistics, "EES"). Columns
//      are mapped by HEADER NAME, never by position: DfE renames them between releases (D7 "2_years+_percent"
//      in 2020 became "2_years_or_more_percent" by 2025; the placement stability file's "percentage" became
//      "children_percent" when it moved publication). HEADER_RULES below lists, per indicator, the accepted
//      names (compared case- and punctuation-insensitively) and, for long-format files, the filter columns
//      and values that pick the indicator's rows.
//   2. loadEnglandBenchmarks — config/benchmarks-england.json: England values with their citation.
//   3. statistical neighbours — config/statistical-neighbours.json names the authority and its 10
//      neighbours; their average is computed from imported LA-level values (or read from a file that
//      provides it directly, geographic_level "Statistical neighbours").
//
// Reporting years. The table's `year` is the reporting year's start (2024 = 2024-25). EES writes the
// time period two ways:
//   - six digits, "202425": the year 2024-25 → 2024 (academic and financial year files);
//   - four digits with time_identifier "Reporting year", "2025": DfE's children in need and children looked
//     after publications define the reporting year as the year ending 31 March, so 2025 is 2024-25 → 2024.
//     Checked against the data: C1 "Referrals and re-referrals by local authority" (Children in need,
//     reporting year 2025) has time_period 2025 with England rereferral_percent 22.6, the 2024-25 figure
//     (explore-education-statistics.service.gov.uk/data-catalogue/data-set/911dae20-ac5d-4e28-bee8-53a658761fa5).
//   The children's social work workforce census is taken at 30 September, so its "Reporting year 2024"
//   falls in 2024-25: import such files with { fourDigitYear: 'start' }.
//
// Suppression. EES files use GSS symbols instead of numbers: c (confidential, 1 to 5 children), x (not
// available), z (not applicable), u (low reliability — Hampshire 2024), low (rounds to 0 but is not 0),
// k (a percentage below 0.5%, older CLA files), ':' and '..' (not available, older CIN files). Each is
// skipped with its reason, never read as a number (Children in need 2020 and 2021 data guidance; CLA
// "A focus on placement location" footnote for k; Children in need 2024 release for u).
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FileRejected } from '../ingest/errors.ts';
import { readTextFile } from '../ingest/textFile.ts';
import { z } from 'zod';
import type { Store } from '../store.ts';
import { INDICATORS } from '../indicators/index.ts';
import type { Polarity, Unit } from '../indicators/types.ts';

export type AreaKind = 'england' | 'region' | 'statistical_neighbours' | 'la';
export const ENGLAND_CODE = 'E92000001';

// ---------------------------------------------------------------------------------------------------
// Header mapping
// ---------------------------------------------------------------------------------------------------

/** A header as compared: lower case, '+' read as 'plus' and '%' as 'percent', everything but letters and digits dropped. */
export function normaliseHeader(h: string): string {
  return h.toLowerCase().replace(/\+/g, 'plus').replace(/%/g, 'percent').replace(/[^a-z0-9]/g, '');
}

/** An accepted header: a name (compared after normaliseHeader) or a pattern tested on the normalised name. */
export type HeaderPattern = string | RegExp;

interface RuleBase {
  readonly indicator: string;
  /** where the header names come from */
  readonly note: string;
}
/** Wide format: one column holds the indicator's value. */
export interface ColumnRule extends RuleBase { readonly kind: 'column'; readonly headers: readonly HeaderPattern[] }
/** Long format: a value column, on the rows whose filter columns hold the given values. */
export interface FilteredRule extends RuleBase {
  readonly kind: 'filtered';
  readonly filters: readonly { readonly column: readonly HeaderPattern[]; readonly values: readonly string[] }[];
  readonly value: readonly HeaderPattern[];
}
/** A percentage DfE's file does not give but its counts do: 100 × sum(numerator columns) / sum(denominator columns). */
export interface RatioRule extends RuleBase {
  readonly kind: 'ratio';
  readonly numerator: readonly (readonly HeaderPattern[])[];
  readonly denominator: readonly (readonly HeaderPattern[])[];
}
export type HeaderRule = ColumnRule | FilteredRule | RatioRule;

const CIN = 'DfE, Children in need (explore-education-statistics)';
const CLA = 'DfE, Children looked after in England including adoptions (explore-education-statistics)';

/**
 * Indicator id → accepted headers. "Seen" names were read in EES data-set previews (stored copies of
 * explore-education-statistics.service.gov.uk/data-catalogue pages); "accepted" names are other spellings
 * DfE has used or may use, not seen in a stored copy. Only rates and percentages are mapped: an England or
 * LA count is no benchmark for another authority's count.
 */
export const HEADER_RULES: readonly HeaderRule[] = [
  {
    kind: 'column', indicator: 'referrals.re_referrals_12m',
    // Seen: "rereferral_percent" — C1 Referrals and re-referrals by local authority, reporting year 2025
    // (England 22.6). Not "rereferral_child_percent" (children, not referrals). Accepted: re_referrals_percent,
    // "Re-referrals within 12 months (%)", re_referral_rate (the name in "A focus on re-referrals" D2).
    headers: ['rereferral_percent', /^rereferrals?(within12months(ofapreviousreferral)?)?(percent|percentage|pc|rate)$/],
    note: `${CIN}, C1 (rereferral_percent)`,
  },
  {
    kind: 'column', indicator: 'referrals.nfa',
    // Seen: "no_further_action_percent" — C1, reporting year 2025 (England 6.5).
    headers: ['no_further_action_percent', /^(referrals?)?(resultingin)?nofurtheraction(percent|percentage|pc)$/, /^nfa(percent|percentage)$/],
    note: `${CIN}, C1 (no_further_action_percent)`,
  },
  {
    kind: 'column', indicator: 'assessments.within_45_days',
    // Accepted: "percent_of_assessments_completed_within_45_days", "Assessments completed within 45 working days (%)".
    headers: [/^(percent|percentage|pc)(of)?assessments(completed)?within45(working)?days$/, /^assessments(completed)?within45(working)?days(percent|percentage|pc)$/],
    note: `${CIN} (a percentage column, where a file has one)`,
  },
  {
    kind: 'ratio', indicator: 'assessments.within_45_days',
    // Seen: C2 Completed assessments by duration of assessment and local authority, reporting year 2025:
    // Assessments_completed, Same_day, 1-10_days, 11-20_days, 21-30_days, 31-40_days, 41-45_days, 46-50_days,
    // 51-60_days, 61+_days. England 2025: 555,820 of 648,830 within 45 days = 85.7%, DfE's headline figure.
    numerator: [['same_day'], ['1-10_days'], ['11-20_days'], ['21-30_days'], ['31-40_days'], ['41-45_days']],
    denominator: [['assessments_completed', 'number_of_assessments']],
    note: `${CIN}, C2 (assessments by duration: Same_day … 41-45_days over Assessments_completed)`,
  },
  {
    kind: 'column', indicator: 'section47.icpc_within_15_days',
    // Accepted: "ICPC within 15 working days (%)", "icpc_within_15_days_percent".
    headers: [/^(percent|percentage|pc)?(of)?icpcs?(heldwithin|within)15(working)?days(percent|percentage|pc)?$/],
    note: `${CIN} (a percentage column, where a file has one)`,
  },
  {
    kind: 'ratio', indicator: 'section47.icpc_within_15_days',
    // Seen: C4 Section 47s and Initial Child Protection Conferences by local authority, reporting year 2023:
    // Duration_0-10_days, Duration_11-15_days, Duration_16-20_days, Duration_21+_days (working days between
    // the start of the section 47 enquiry and the ICPC).
    numerator: [['duration_0-10_days'], ['duration_11-15_days']],
    denominator: [['duration_0-10_days'], ['duration_11-15_days'], ['duration_16-20_days'], ['duration_21+_days', 'duration_21_plus_days']],
    note: `${CIN}, C4 (Duration_0-10_days + Duration_11-15_days over all four durations)`,
  },
  {
    kind: 'column', indicator: 'section47.rate',
    // Seen: "Section47_rate" — C4, reporting year 2023 (England 191.6 per 10,000). Not Section47_child_rate.
    headers: ['section47_rate', /^(section47|s47)(enquiries)?rate(per10000)?$/],
    note: `${CIN}, C4 (Section47_rate)`,
  },
  {
    kind: 'column', indicator: 'child_protection.ended_after_2y',
    // Seen: "2_years_or_more_percent" — D7 Child protection plans ending during the year by duration and
    // local authority, reporting year 2025 (England 4.4); "2_years+_percent" — D7, reporting year 2020
    // (England 3.6). Accepted: "2 years and over (%)" (the 2020 variable description).
    headers: ['2_years_or_more_percent', '2_years+_percent', '2_years_and_over_percent'],
    note: `${CIN}, D7 (2_years_or_more_percent; 2_years+_percent before 2021)`,
  },
  {
    kind: 'column', indicator: 'child_protection.second_or_subsequent',
    // Accepted (not seen): D3 "second or subsequent" percentages (LG Inform metric 100 cites table D3).
    headers: [/^(cpp)?(second|2nd)orsubsequent(time)?(plans?)?(percent|percentage|pc)$/],
    note: `${CIN}, D3 (second or subsequent plans, %)`,
  },
  {
    kind: 'column', indicator: 'child_protection.rate',
    // Accepted (not seen): the rate of children on a plan at 31 March.
    headers: [/^cppat31(march)?rate(per10000)?$/, /^(children)?(on|subjectto)?(a)?cp(p|plan)rate(per10000)?$/],
    note: `${CIN} (children on a child protection plan at 31 March per 10,000)`,
  },
  {
    kind: 'column', indicator: 'children_in_need.rate',
    // Accepted (not seen): the rate of children in need at 31 March.
    headers: [/^cin(at31(march)?)?rate(per10000)?$/],
    note: `${CIN} (children in need at 31 March per 10,000)`,
  },
  {
    kind: 'column', indicator: 'children_in_care.looked_after_rate',
    // Accepted (not seen): "cla_rate", "cla_rate_per_10000" in a wide file.
    headers: [/^cla(at31(march)?)?rate(per10000)?$/],
    note: `${CLA} (children looked after at 31 March per 10,000)`,
  },
  {
    kind: 'filtered', indicator: 'children_in_care.looked_after_rate',
    // Seen: "CLA numbers and rates per 10,000 children aged under 18 years - by local authority", reporting
    // year 2025: filter population_type, values children_count and rate_per_10000 (England 67).
    filters: [{ column: ['population_type'], values: ['Children looked after on 31 March each year'] }],
    value: ['rate_per_10000', 'rate'],
    note: `${CLA}, CLA numbers and rates by LA (population_type = children looked after on 31 March, rate_per_10000)`,
  },
  {
    kind: 'filtered', indicator: 'children_in_care.long_term_stability',
    // Seen: "CLA - placement stability - by local authority", reporting year 2025 (cla_group, placement_stability,
    // children_count, children_percent; England 69) and its predecessor "Placement stability by local authority"
    // in Stability measures for children looked after, reporting year 2024 (… number, percentage; England 68).
    filters: [
      { column: ['cla_group'], values: ['Children looked after continuously for at least 2.5 years on 31 March aged under 16 years'] },
      { column: ['placement_stability'], values: ['Living with the same carer for at least 2 years'] },
    ],
    value: ['children_percent', 'percentage', 'percent'],
    note: `${CLA}, placement stability by LA (aged under 16, looked after 2.5 years, same carer 2 years)`,
  },
  {
    kind: 'filtered', indicator: 'children_in_care.placements_3_plus',
    // Same files: cla_group "CLA on 31 March" (seen); placement_stability value for one year inferred from the
    // seen two-year one ("With 3 or more placements during the previous 2 years").
    filters: [
      { column: ['cla_group'], values: ['CLA on 31 March'] },
      { column: ['placement_stability'], values: ['With 3 or more placements during the year'] },
    ],
    value: ['children_percent', 'percentage', 'percent'],
    note: `${CLA}, placement stability by LA (3 or more placements during the year)`,
  },
  {
    kind: 'filtered', indicator: 'care_leavers.suitable_accommodation_19_21',
    // Seen: "Care leavers by whether their accommodation is suitable" (CLA, reporting year 2020 table tool):
    // age filter values "Aged 19to21" (= "Aged 19 to 21" once normalised), suitability value "Accommodation
    // considered suitable"; the 2025 care leaver files use care_leaver_age, breakdown, care_leaver_count and
    // care_leaver_percent (seen in "Care leavers (now 22-25 years) … by local authority"). Filter column
    // names for this table are accepted spellings, not seen.
    filters: [
      { column: ['care_leaver_age', 'age', 'age_end', 'age_of_care_leaver'], values: ['Aged 19 to 21', '19 to 21 years'] },
      { column: ['breakdown', 'accommodation_suitability', 'suitability', 'suitability_of_accommodation'], values: ['Accommodation considered suitable'] },
    ],
    value: ['care_leaver_percent', 'percentage', 'percent'],
    note: `${CLA}, care leavers aged 19 to 21 whose accommodation is considered suitable`,
  },
];

/** Columns that say where and when a row is, not what it measures (EES standard location and time columns). */
const IDENTIFIER_COLUMNS = new Set([
  'time_period', 'time_identifier', 'geographic_level', 'country_code', 'country_name', 'region_code', 'region_name',
  'old_la_code', 'new_la_code', 'la_name', 'la_code', 'lad_code', 'lad_name', 'english_devolved_area_code',
  'english_devolved_area_name', 'opportunity_area_code', 'opportunity_area_name',
].map(normaliseHeader));

/** GSS / EES symbols that stand in for a number, and what each means. */
export const SUPPRESSION_SYMBOLS: Readonly<Record<string, string>> = {
  c: 'suppressed to protect confidentiality (c)',
  x: 'not available (x)',
  z: 'not applicable (z)',
  u: 'low reliability (u)',
  low: 'rounds to zero but is not zero (low)',
  k: 'below 0.5% (k)',
  ':': 'not available (:)',
  '..': 'not available (..)',
  '.': 'not available (.)',
  '-': 'no figure (-)',
  'n/a': 'not applicable (n/a)',
  na: 'not applicable (na)',
};

/** A cell as a number, or the reason it is not one. Thousands separators and a trailing % are allowed. */
export function parseCell(raw: string | undefined): { value: number } | { reason: string } {
  const s = (raw ?? '').trim();
  if (s === '') return { reason: 'empty' };
  const symbol = SUPPRESSION_SYMBOLS[s.toLowerCase()];
  if (symbol) return { reason: symbol };
  const cleaned = s.replace(/,(?=\d{3}(\D|$))/g, '').replace(/%$/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return { reason: `not a number ('${s}')` };
  return { value: Number(cleaned) };
}

function matches(pattern: HeaderPattern, normalised: string): boolean {
  return typeof pattern === 'string' ? normaliseHeader(pattern) === normalised : pattern.test(normalised);
}

/** The first header (in file order) accepted by any of the patterns, or null. */
function findHeader(headers: readonly string[], patterns: readonly HeaderPattern[]): string | null {
  for (const p of patterns) {
    const h = headers.find((x) => matches(p, normaliseHeader(x)));
    if (h !== undefined) return h;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Reporting years
// ---------------------------------------------------------------------------------------------------

export interface YearOptions {
  /** a four-digit time_period is the year ENDING 31 March of that year (DfE CIN and CLA) or the year STARTING then */
  fourDigitYear?: 'ending' | 'start';
}

/** The reporting year start for an EES time_period: '202425' → 2024; '2025' (year ending March 2025) → 2024; '2024-25' → 2024. */
export function reportingYear(timePeriod: string, opts: YearOptions = {}): number | { reason: string } {
  const s = timePeriod.trim();
  let m = /^(\d{4})[-/]?(\d{2})$/.exec(s);
  if (m) {
    const start = Number(m[1]);
    if ((start + 1) % 100 !== Number(m[2])) return { reason: `time_period '${s}' is not a year such as 202425 (${start} is followed by ${String((start + 1) % 100).padStart(2, '0')})` };
    return start;
  }
  m = /^(\d{4})$/.exec(s);
  if (m) return (opts.fourDigitYear ?? 'ending') === 'ending' ? Number(m[1]) - 1 : Number(m[1]);
  return { reason: `time_period '${s}' is not a year (expected 202425, 2025 or 2024-25)` };
}

export function yearLabel(year: number): string {
  return `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------------

export interface SkippedRow {
  /** file line (header = line 1) */
  readonly line: number;
  readonly indicator?: string;
  readonly header?: string;
  readonly value?: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly file: string;
  readonly source: string;
  /** data rows in the file */
  readonly rowsRead: number;
  /** header → the indicators it was read as (a long-format value column can feed several) */
  readonly matched: Record<string, string[]>;
  /** long-format filter columns that picked an indicator's rows */
  readonly filterColumns: string[];
  /** headers that are neither location/time columns nor read as any indicator */
  readonly unmatched: string[];
  /** headers that name an indicator not (yet) in the catalogue, so nothing was read from them */
  readonly notInCatalogue: Record<string, string>;
  /** values written to the benchmarks table */
  readonly rowsImported: number;
  readonly byLevel: Record<AreaKind, number>;
  readonly byIndicator: Record<string, number>;
  readonly years: number[];
  /** rows of a geographic level not used (e.g. local authority district) or matching no rule's filters */
  readonly rowsUnused: number;
  readonly skipped: SkippedRow[];
}

export interface ImportOptions extends YearOptions {
  /** recorded against each value; default: the file's name */
  source?: string;
}

function areaKindOf(level: string): AreaKind | null {
  const l = level.trim().toLowerCase();
  if (l === 'national' || l === 'england') return 'england';
  if (l === 'regional' || l === 'region') return 'region';
  if (l === 'local authority' || l === 'la') return 'la';
  if (/statistical\s*neighbou?rs?/.test(l)) return 'statistical_neighbours';
  return null;
}

interface Value { indicator: string; year: number; kind: AreaKind; code: string; name: string | null; value: number; line: number }

/**
 * Imports one DfE LA-level CSV into the benchmarks table: all of it in one transaction; values already held
 * for the same indicator, year and area are replaced, so importing a file twice changes nothing.
 * Throws (changing nothing) when the file has no time_period or geographic_level column.
 */
export async function importBenchmarks(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  let text: string;
  try {
    text = readTextFile(path, basename(path), 'CSV'); // UTF-8 only: DfE publishes UTF-8; a re-saved file may not be
  } catch (err) {
    throw err instanceof FileRejected ? new Error(err.message) : err;
  }
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  if (records.length === 0) throw new Error(`${path}: the file is empty`);
  const headers = records[0].map((h) => h.trim());
  const col = (name: string): number => headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(name));
  const iTime = col('time_period');
  const iLevel = col('geographic_level');
  if (iTime < 0 || iLevel < 0) {
    const missing = [iTime < 0 ? 'time_period' : null, iLevel < 0 ? 'geographic_level' : null].filter(Boolean).join(' and ');
    throw new Error(`${path}: no ${missing} column, so this is not a DfE (explore-education-statistics) file; headers: ${headers.join(', ')}`);
  }
  const iCountry = col('country_code');
  const iRegionCode = col('region_code');
  const iRegionName = col('region_name');
  const iOld = col('old_la_code');
  const iNew = col('new_la_code');
  const iLaName = col('la_name');

  const known = new Set(INDICATORS.map((i) => i.id));
  const used = new Set<string>();
  const filterColumns: string[] = [];
  const matched: Record<string, string[]> = {};
  const notInCatalogue: Record<string, string> = {};
  const note = (h: string, ind: string): void => { (matched[h] ??= []).includes(ind) || matched[h].push(ind); };

  // Resolve each rule against this file's headers.
  type Resolved =
    | { rule: ColumnRule; header: string; i: number }
    | { rule: FilteredRule; header: string; i: number; filters: { i: number; values: string[] }[] }
    | { rule: RatioRule; num: { header: string; i: number }[]; den: { header: string; i: number }[] };
  const resolved: Resolved[] = [];
  const claimed = new Set<string>(); // indicators a rule already takes from this file (first rule wins)
  for (const rule of HEADER_RULES) {
    if (claimed.has(rule.indicator)) continue;
    if (rule.kind === 'column') {
      const h = findHeader(headers, rule.headers);
      if (!h) continue;
      if (!known.has(rule.indicator)) { notInCatalogue[h] = rule.indicator; used.add(h); continue; }
      resolved.push({ rule, header: h, i: headers.indexOf(h) });
      used.add(h); note(h, rule.indicator); claimed.add(rule.indicator);
    } else if (rule.kind === 'filtered') {
      const v = findHeader(headers, rule.value);
      const fs = rule.filters.map((f) => findHeader(headers, f.column));
      if (!v || fs.some((f) => f === null)) continue;
      if (!known.has(rule.indicator)) { notInCatalogue[v] ??= rule.indicator; continue; }
      resolved.push({
        rule, header: v, i: headers.indexOf(v),
        filters: rule.filters.map((f, k) => ({ i: headers.indexOf(fs[k]!), values: f.values.map(normaliseHeader) })),
      });
      used.add(v);
      for (const f of fs) { used.add(f!); if (!filterColumns.includes(f!)) filterColumns.push(f!); }
      note(v, rule.indicator); claimed.add(rule.indicator);
    } else {
      const num = rule.numerator.map((alts) => findHeader(headers, alts));
      const den = rule.denominator.map((alts) => findHeader(headers, alts));
      if (num.some((h) => h === null) || den.some((h) => h === null)) continue;
      const all = [...new Set([...num, ...den] as string[])];
      if (!known.has(rule.indicator)) { for (const h of all) notInCatalogue[h] = rule.indicator; continue; }
      resolved.push({ rule, num: (num as string[]).map((h) => ({ header: h, i: headers.indexOf(h) })), den: (den as string[]).map((h) => ({ header: h, i: headers.indexOf(h) })) });
      for (const h of all) { used.add(h); note(h, rule.indicator); }
      claimed.add(rule.indicator);
    }
  }
  const unmatched = headers.filter((h) => !IDENTIFIER_COLUMNS.has(normaliseHeader(h)) && !used.has(h) && !(h in notInCatalogue));

  const skipped: SkippedRow[] = [];
  const values = new Map<string, Value>();
  let rowsUnused = 0;
  const cell = (row: string[], i: number): string => (i >= 0 ? (row[i] ?? '').trim() : '');

  for (let r = 1; r < records.length; r++) {
    const row = records[r];
    const line = r + 1;
    const kind = areaKindOf(cell(row, iLevel));
    if (!kind) { rowsUnused++; continue; }
    const tp = cell(row, iTime);
    const year = reportingYear(tp, opts);
    if (typeof year !== 'number') { skipped.push({ line, reason: year.reason }); continue; }
    let code: string; let name: string | null;
    if (kind === 'england') { code = cell(row, iCountry) || ENGLAND_CODE; name = 'England'; }
    else if (kind === 'region') { code = cell(row, iRegionCode) || cell(row, iRegionName); name = cell(row, iRegionName) || null; }
    else { code = cell(row, iOld) || cell(row, iNew); name = cell(row, iLaName) || null; }
    if (!code) { skipped.push({ line, reason: `a ${kind === 'region' ? 'regional' : 'local authority'} row without a ${kind === 'region' ? 'region_code' : 'old_la_code or new_la_code'}` }); continue; }

    let anyRule = false;
    const put = (indicator: string, value: number): void => {
      const key = `${indicator}|${year}|${kind}|${code}`;
      const prior = values.get(key);
      if (prior) {
        skipped.push({ line, indicator, value: String(value), reason: `a second value for ${indicator}, ${yearLabel(year)}, ${name ?? code} (the first, ${prior.value}, at line ${prior.line}, is kept)` });
        return;
      }
      values.set(key, { indicator, year, kind, code, name, value, line });
    };
    for (const res of resolved) {
      const { rule } = res;
      if (rule.kind === 'filtered') {
        const f = (res as Extract<Resolved, { filters: unknown }>).filters;
        if (!f.every((x) => x.values.includes(normaliseHeader(cell(row, x.i))))) continue;
      }
      anyRule = true;
      if (rule.kind === 'ratio') {
        const rr = res as Extract<Resolved, { num: unknown }>;
        let bad: SkippedRow | null = null;
        const sum = (parts: { header: string; i: number }[]): number => {
          let t = 0;
          for (const p of parts) {
            const v = parseCell(row[p.i]);
            if ('reason' in v) { bad ??= { line, indicator: rule.indicator, header: p.header, value: cell(row, p.i), reason: `${p.header}: ${v.reason}` }; continue; }
            t += v.value;
          }
          return t;
        };
        const n = sum(rr.num); const d = sum(rr.den);
        if (bad) { skipped.push(bad); continue; }
        if (d <= 0) { skipped.push({ line, indicator: rule.indicator, reason: `nothing to divide by (${rr.den.map((p) => p.header).join(' + ')} = 0)` }); continue; }
        put(rule.indicator, Math.round((1000 * n) / d) / 10);
      } else {
        const { header, i } = res as { header: string; i: number };
        const v = parseCell(row[i]);
        if ('reason' in v) { skipped.push({ line, indicator: rule.indicator, header, value: cell(row, i), reason: `${header}: ${v.reason}` }); continue; }
        put(rule.indicator, v.value);
      }
    }
    if (!anyRule) rowsUnused++;
  }

  const source = opts.source ?? basename(path);
  const list = [...values.values()];
  await store.transaction(async () => {
    await store.run(`CREATE OR REPLACE TEMP TABLE benchmark_import (indicator_id VARCHAR, year INTEGER, area_kind VARCHAR, area_code VARCHAR, area_name VARCHAR, value DOUBLE)`);
    for (let k = 0; k < list.length; k += 500) {
      const batch = list.slice(k, k + 500);
      await store.run(
        `INSERT INTO benchmark_import VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((v) => [v.indicator, v.year, v.kind, v.code, v.name, v.value]),
      );
    }
    await replaceFrom(store, source);
  });

  const byLevel: Record<AreaKind, number> = { england: 0, region: 0, statistical_neighbours: 0, la: 0 };
  const byIndicator: Record<string, number> = {};
  for (const v of list) { byLevel[v.kind]++; byIndicator[v.indicator] = (byIndicator[v.indicator] ?? 0) + 1; }
  return {
    file: path, source, rowsRead: records.length - 1, matched, filterColumns, unmatched, notInCatalogue, rowsImported: list.length,
    byLevel, byIndicator, years: [...new Set(list.map((v) => v.year))].sort(), rowsUnused, skipped,
  };
}

/** Replaces the benchmarks held for each (indicator, year, area) in temp table benchmark_import by its rows. */
async function replaceFrom(store: Store, source: string): Promise<void> {
  await store.run(`DELETE FROM benchmarks b USING benchmark_import i
    WHERE b.indicator_id = i.indicator_id AND b.year = i.year AND b.area_kind = i.area_kind AND b.area_code = i.area_code`);
  await store.run(`INSERT INTO benchmarks (indicator_id, year, area_kind, area_code, area_name, value, source, imported_at)
    SELECT indicator_id, year, area_kind, area_code, area_name, value, ?, current_timestamp FROM benchmark_import`, [source]);
  await store.run(`DROP TABLE benchmark_import`);
}

// ---------------------------------------------------------------------------------------------------
// Shipped England values
// ---------------------------------------------------------------------------------------------------

const YEAR = /^(\d{4})-(\d{2})$/;
const yearString = z.string().refine((y) => YEAR.test(y) && (Number(y.slice(0, 4)) + 1) % 100 === Number(y.slice(5)), 'a reporting year such as "2024-25"');

const EnglandEntry = z.object({
  indicator: z.string().min(1),
  year: yearString,
  value: z.number().finite(),
  source: z.string().min(1),
  note: z.string().optional(),
}).strict();
const EnglandFile = z.object({ $comment: z.string().optional(), values: z.array(EnglandEntry) }).strict();

export interface EnglandValue { readonly indicator: string; readonly year: number; readonly value: number; readonly source: string }

function zodWhere(issue: { path: PropertyKey[] }, list: string): string {
  const p = issue.path;
  if (p.length >= 2 && p[0] === list) return `${list}[${String(p[1])}]${p[2] !== undefined ? `.${String(p[2])}` : ''}`;
  return p.map(String).join('.') || '(top level)';
}

function readJson(path: string): unknown {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Reads config/benchmarks-england.json; throws naming the entry and field when anything is wrong. */
export function readEnglandBenchmarks(path = 'config/benchmarks-england.json'): EnglandValue[] {
  const parsed = EnglandFile.safeParse(readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${zodWhere(issue, 'values')}: ${issue.message}`);
  }
  const seen = new Map<string, number>();
  return parsed.data.values.map((e, i) => {
    const key = `${e.indicator}|${e.year}`;
    if (seen.has(key)) throw new Error(`${path}: values[${i}]: ${e.indicator} ${e.year} is given twice (also values[${seen.get(key)}])`);
    seen.set(key, i);
    return { indicator: e.indicator, year: Number(e.year.slice(0, 4)), value: e.value, source: e.source };
  });
}

/**
 * Loads the shipped England values into the benchmarks table, replacing any held for the same indicator
 * and year (so loading twice changes nothing). Entries for indicators not in the catalogue are skipped
 * and listed.
 */
export async function loadEnglandBenchmarks(store: Store, path = 'config/benchmarks-england.json'): Promise<{ loaded: number; skipped: { indicator: string; year: number; reason: string }[] }> {
  const entries = readEnglandBenchmarks(path);
  const known = new Set(INDICATORS.map((i) => i.id));
  const ok = entries.filter((e) => known.has(e.indicator));
  const skipped = entries.filter((e) => !known.has(e.indicator)).map((e) => ({ indicator: e.indicator, year: e.year, reason: 'not in the indicator catalogue' }));
  await store.transaction(async () => {
    for (const e of ok) {
      await store.run(`DELETE FROM benchmarks WHERE indicator_id = ? AND year = ? AND area_kind = 'england' AND area_code = ?`, [e.indicator, e.year, ENGLAND_CODE]);
      await store.run(`INSERT INTO benchmarks VALUES (?, ?, 'england', ?, 'England', ?, ?, current_timestamp)`, [e.indicator, e.year, ENGLAND_CODE, e.value, e.source]);
    }
  });
  return { loaded: ok.length, skipped };
}

// ---------------------------------------------------------------------------------------------------
// Statistical neighbours
// ---------------------------------------------------------------------------------------------------

const LA_CODE = /^(\d{3}|E0[6-9]\d{6}|E10\d{6})$/;
const laCode = z.string({ error: 'an LA code (3 digits such as 855, or an E-code such as E10000018)' })
  .regex(LA_CODE, 'not an LA code (3 digits such as 855, or an E-code such as E10000018)');

const NeighboursFile = z.object({
  $comment: z.string().optional(),
  la_code: laCode,
  la_name: z.string().optional(),
  region_code: z.string({ error: 'a region code such as E12000004' }).regex(/^E1[23]\d{6}$/, 'not a region code (E12000001 to E12000009, or E13 for inner and outer London)'),
  region_name: z.string().optional(),
  neighbours: z.array(laCode, { error: 'a list of exactly 10 LA codes' })
    .length(10, 'must list exactly 10 LA codes')
    .superRefine((codes, ctx) => {
      const seen = new Set<string>();
      codes.forEach((c, i) => {
        if (seen.has(c)) ctx.addIssue({ code: 'custom', path: [i], message: `${c} is listed twice; the 10 codes must be different` });
        seen.add(c);
      });
    }),
}).strict().superRefine((f, ctx) => {
  const i = f.neighbours.indexOf(f.la_code);
  if (i >= 0) ctx.addIssue({ code: 'custom', path: ['neighbours', i], message: `${f.la_code} is the authority itself, not one of its neighbours` });
});

export interface NeighbourConfig {
  readonly laCode: string;
  readonly laName: string | null;
  readonly regionCode: string;
  readonly regionName: string | null;
  readonly neighbours: readonly string[];
}

/** Checks a statistical neighbours object; throws an Error naming `where` and the field at fault. */
export function parseNeighbourConfig(json: unknown, where = 'statistical neighbours'): NeighbourConfig {
  const parsed = NeighboursFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const p = issue.path;
    const field = p.length === 0 ? '(top level)' : p[0] === 'neighbours' && p.length > 1 ? `neighbours[${String(p[1])}]` : p.map(String).join('.');
    const got = p[0] === 'neighbours' && p.length === 1 && Array.isArray((json as { neighbours?: unknown })?.neighbours)
      ? ` (${((json as { neighbours: unknown[] }).neighbours).length} given)` : '';
    throw new Error(`${where}: ${field}: ${issue.message}${got}`);
  }
  const d = parsed.data;
  return { laCode: d.la_code, laName: d.la_name ?? null, regionCode: d.region_code, regionName: d.region_name ?? null, neighbours: d.neighbours };
}

export function readNeighbourConfig(path = 'config/statistical-neighbours.json'): NeighbourConfig {
  return parseNeighbourConfig(readJson(path), path);
}

export interface NeighbourAverage {
  /** mean of the neighbours that have a value; null when none has */
  readonly value: number | null;
  /** neighbours with a value */
  readonly count: number;
  readonly of: number;
  /** neighbours without a value that year */
  readonly missing: string[];
  /** 'imported' when a file gave the average directly; 'computed' from LA values */
  readonly basis: 'imported' | 'computed';
  readonly source: string | null;
}

/**
 * The statistical neighbours' value for an indicator and year: an average imported for this authority if
 * there is one, otherwise the mean of the neighbours' imported LA values (those that have one).
 */
export async function statisticalNeighbourAverage(store: Store, indicatorId: string, year: number, config: NeighbourConfig): Promise<NeighbourAverage> {
  const direct = await store.query<{ value: number; source: string | null }>(
    `SELECT value, source FROM benchmarks WHERE indicator_id = ? AND year = ? AND area_kind = 'statistical_neighbours' AND area_code = ?
     ORDER BY imported_at DESC LIMIT 1`, [indicatorId, year, config.laCode]);
  if (direct.length) return { value: direct[0].value, count: config.neighbours.length, of: config.neighbours.length, missing: [], basis: 'imported', source: direct[0].source };
  const rows = await store.query<{ area_code: string; value: number }>(
    `SELECT area_code, value FROM benchmarks WHERE indicator_id = ? AND year = ? AND area_kind = 'la'
     AND area_code IN (${config.neighbours.map(() => '?').join(', ')})`,
    [indicatorId, year, ...config.neighbours]);
  const have = new Map(rows.map((r) => [r.area_code, r.value]));
  const vals = config.neighbours.filter((c) => have.has(c)).map((c) => have.get(c)!);
  return {
    value: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null,
    count: vals.length, of: config.neighbours.length,
    missing: config.neighbours.filter((c) => !have.has(c)),
    basis: 'computed', source: vals.length ? 'mean of imported LA values' : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Position: quartile band and comparisons
// ---------------------------------------------------------------------------------------------------

export type Quartile = 'A' | 'B' | 'C' | 'D';

/**
 * Quartile cut points of the LA values, by linear interpolation between order statistics (Excel
 * QUARTILE.INC, R type 7): the p-th quantile of n sorted values sits at position 1 + p × (n − 1).
 */
export function quartileCuts(values: readonly number[]): { q1: number; median: number; q3: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    const pos = p * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}

/**
 * The quartile band of a value among all LAs' values (DfE LAIT convention): A is the best quarter, D the
 * worst, following polarity. A value exactly on a cut point takes the better band. Null with fewer than 4
 * LA values or no polarity.
 */
export function quartileBand(value: number, laValues: readonly number[], polarity: Polarity | null): Quartile | null {
  if (polarity !== 'higher' && polarity !== 'lower') return null;
  if (laValues.length < 4) return null;
  const { q1, median, q3 } = quartileCuts(laValues);
  if (polarity === 'higher') return value >= q3 ? 'A' : value >= median ? 'B' : value >= q1 ? 'C' : 'D';
  return value <= q1 ? 'A' : value <= median ? 'B' : value <= q3 ? 'C' : 'D';
}

/**
 * "In line with" a benchmark: the two differ by no more than 2% of the benchmark's value (re-referrals
 * 22.6%: 22.15 to 23.05; looked after 67 per 10,000: 65.66 to 68.34), or look the same as shown (one
 * decimal place). Wider than rounding, narrower than any difference a committee would act on.
 */
export const IN_LINE_TOLERANCE = 0.02;

function shown(n: number): number { return Math.round(n * 10) / 10; }

export function formatValue(unit: Unit | null, n: number): string {
  if (unit === 'count') return Math.round(n).toLocaleString('en-GB');
  const s = shown(n).toLocaleString('en-GB', { maximumFractionDigits: 1 });
  if (unit === 'percent') return `${s}%`;
  if (unit === 'rate') return `${s} per 10,000`;
  if (unit === 'days') return `${s} days`;
  if (unit === 'weeks') return `${s} weeks`;
  return s;
}

export type Relation = 'better' | 'worse' | 'in line' | 'higher' | 'lower';

/** How a value compares with a benchmark, given the polarity ('higher'/'lower' when there is none). */
export function compareWith(value: number, benchmark: number, polarity: Polarity | null): Relation {
  if (shown(value) === shown(benchmark) || Math.abs(value - benchmark) <= IN_LINE_TOLERANCE * Math.abs(benchmark)) return 'in line';
  const above = value > benchmark;
  if (polarity === 'higher') return above ? 'better' : 'worse';
  if (polarity === 'lower') return above ? 'worse' : 'better';
  return above ? 'higher' : 'lower';
}

function phrase(rel: Relation, what: string, formatted: string): string {
  return rel === 'in line' ? `in line with ${what} (${formatted})` : `${rel} than ${what} (${formatted})`;
}

export interface Benchmark { readonly value: number; readonly code: string; readonly name: string | null; readonly source: string | null }

export interface BenchmarkPosition {
  readonly indicator: string;
  readonly year: number;
  readonly value: number | null;
  readonly england: Benchmark | null;
  readonly region: Benchmark | null;
  readonly neighbours: NeighbourAverage | null;
  readonly quartile: Quartile | null;
  /** the LA values the quartile was taken among, and the cut points */
  readonly quartileBasis: { readonly laCount: number; readonly q1: number; readonly median: number; readonly q3: number } | null;
  readonly comparisons: { readonly england: string | null; readonly region: string | null; readonly neighbours: string | null };
  /** e.g. "Better than England (22.6%), in line with East Midlands (24.7%) and worse than statistical neighbours (21%, 9 of 10); quartile B." */
  readonly sentence: string;
}

export interface PositionOptions {
  /** the indicator's unit, for formatting; default: the catalogue's */
  unit?: Unit | null;
  /** statistical neighbours; default: config/statistical-neighbours.json when it exists; null for none */
  neighbours?: NeighbourConfig | null;
}

/** Where an authority's value for an indicator and reporting year stands against England, its region, its statistical neighbours and all LAs. */
export async function benchmarkPosition(
  store: Store, indicatorId: string, year: number, value: number | null, polarity: Polarity | null, opts: PositionOptions = {},
): Promise<BenchmarkPosition> {
  const unit = opts.unit !== undefined ? opts.unit : (INDICATORS.find((i) => i.id === indicatorId)?.unit ?? null);
  const config = opts.neighbours !== undefined ? opts.neighbours
    : existsSync('config/statistical-neighbours.json') ? readNeighbourConfig('config/statistical-neighbours.json') : null;

  const one = async (kind: AreaKind, code: string | null): Promise<Benchmark | null> => {
    const rows = await store.query<{ value: number; area_code: string; area_name: string | null; source: string | null }>(
      `SELECT value, area_code, area_name, source FROM benchmarks WHERE indicator_id = ? AND year = ? AND area_kind = ?
       ${code ? 'AND area_code = ?' : ''} ORDER BY imported_at DESC LIMIT 1`,
      code ? [indicatorId, year, kind, code] : [indicatorId, year, kind]);
    return rows.length ? { value: rows[0].value, code: rows[0].area_code, name: rows[0].area_name, source: rows[0].source } : null;
  };
  const england = await one('england', null);
  const region = config ? await one('region', config.regionCode) : null;
  const neighbours = config ? await statisticalNeighbourAverage(store, indicatorId, year, config) : null;
  const laValues = (await store.query<{ value: number }>(
    `SELECT value FROM benchmarks WHERE indicator_id = ? AND year = ? AND area_kind = 'la'`, [indicatorId, year])).map((r) => r.value);
  const quartile = value === null ? null : quartileBand(value, laValues, polarity);
  const quartileBasis = laValues.length >= 4 ? { laCount: laValues.length, ...quartileCuts(laValues) } : null;

  const cmp = (b: number | null | undefined, what: string, extra = ''): string | null =>
    value === null || b === null || b === undefined ? null : phrase(compareWith(value, b, polarity), what, formatValue(unit, b) + extra);
  const regionName = region?.name ?? config?.regionName ?? 'the region';
  const comparisons = {
    england: cmp(england?.value, 'England'),
    region: cmp(region?.value, regionName),
    neighbours: cmp(neighbours?.value, 'statistical neighbours',
      neighbours && neighbours.basis === 'computed' && neighbours.count < neighbours.of ? `, ${neighbours.count} of ${neighbours.of}` : ''),
  };
  const parts = [comparisons.england, comparisons.region, comparisons.neighbours].filter((s): s is string => s !== null);
  let sentence = value === null ? 'No figure to compare.'
    : parts.length === 0 ? 'No benchmarks held for this year.'
    : `${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`}`;
  if (value !== null && parts.length) {
    sentence = sentence[0].toUpperCase() + sentence.slice(1);
    sentence += quartile ? `; quartile ${quartile} of ${laValues.length} authorities.` : '.';
  }
  return { indicator: indicatorId, year, value, england, region, neighbours, quartile, quartileBasis, comparisons, sentence };
}
