// Aggregate measures: figures that arrive as monthly totals rather than child records (calls answered
// and average wait, survey results, NEET tracking, audit grades). Their definitions live in
// config/measures.json; their monthly figures in the `aggregate_values` table (src/measures.ts enters and
// imports them). Each measure becomes an Indicator whose unit rows are its months: one row per month in
// the period, child_id null, at_date the month's last day, so the engine computes month, quarter, year to
// date, rolling 12 months and trends for them exactly as for computed indicators.
//
// How months combine (the `combine` field):
//   sums  the months' numerators and denominators are added: a percentage over the year to date is
//         Σnumerator / Σdenominator, an average Σnumerator / Σdenominator, a count Σvalue, a rate
//         Σnumerator per 10,000 children (ONS population, as for every rate);
//   mean  (days and averages only) the mean of the monthly values, each month counting once: unit rows
//         carry the value over 1. A percentage always needs its numerator and denominator, so that a
//         year to date weighs each month by its size and the narrative can say "51 of 225".
// When a measure and month were entered more than once, the latest entry counts (every entry is kept).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { THEMES, type Indicator, type Measure, type Polarity, type Theme } from './types.ts';

export type MeasureUnit = 'count' | 'percent' | 'rate' | 'days' | 'average';
export type Combine = 'sums' | 'mean';

export interface MeasureDefinition {
  /** 'aggregate.<name>' */
  readonly id: string;
  readonly title: string;
  readonly theme: Theme;
  readonly unit: MeasureUnit;
  readonly polarity: Polarity;
  readonly combine: Combine;
  readonly measure: Measure;
  readonly definition: string;
  readonly source: string;
  readonly numeratorLabel: string;
  readonly denominatorLabel: string | null;
}

/** The shipped definitions: ./config/measures.json when run from an authority's folder, else the one beside the code. */
export function defaultMeasuresPath(): string {
  if (existsSync('config/measures.json')) return 'config/measures.json';
  return fileURLToPath(new URL('../../config/measures.json', import.meta.url));
}

const UNITS = ['count', 'percent', 'rate', 'days', 'average'] as const;
const THEME_KEYS = Object.keys(THEMES) as [Theme, ...Theme[]];

const MeasureEntry = z.object({
  id: z.string().regex(/^aggregate\.[a-z0-9_]+$/, "must be 'aggregate.<name>' (lower-case letters, digits and _)"),
  title: z.string().trim().min(1, 'must not be empty'),
  theme: z.enum(THEME_KEYS, { message: `must be one of ${THEME_KEYS.join(', ')}` }),
  unit: z.enum(UNITS, { message: `must be one of ${UNITS.join(', ')}` }),
  polarity: z.enum(['higher', 'lower', 'neither'], { message: 'must be higher, lower or neither' }),
  combine: z.enum(['sums', 'mean'], { message: "must be 'sums' (add numerators and denominators) or 'mean' (mean of monthly values)" }).optional(),
  measure: z.enum(['flow', 'stock'], { message: "must be 'flow' or 'stock'" }).optional(),
  definition: z.string().trim().min(1, 'must not be empty'),
  source: z.string().trim().min(1, 'must not be empty'),
  numeratorLabel: z.string().trim().min(1, 'must not be empty').optional(),
  denominatorLabel: z.string().trim().min(1, 'must not be empty').optional(),
}).strict();

const MeasuresFile = z.object({ $comment: z.string().optional(), measures: z.array(z.unknown()) }).strict();

/** Reads and checks a measures file; throws an Error naming the file, the measure and the field when anything is wrong. */
export function readMeasuresFile(path: string = defaultMeasuresPath()): MeasureDefinition[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file (aggregate measure definitions)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const file = MeasuresFile.safeParse(json);
  if (!file.success) {
    const issue = file.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}; expected $comment and measures` : issue.message;
    throw new Error(`${path}: ${where}: ${message}`);
  }
  const seen = new Set<string>();
  return file.data.measures.map((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path}: measures[${i}]: must be an object with id, title, theme, unit, polarity, definition and source`);
    const rawId = typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    const name = `measures[${i}]${rawId ? ` (${rawId})` : ''}`;
    const parsed = MeasureEntry.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue.code === 'unrecognized_keys') throw new Error(`${path}: ${name}: unknown field(s) ${issue.keys.join(', ')}`);
      const field = issue.path.map(String).join('.');
      const top = issue.path[0];
      const missing = issue.path.length === 1 && typeof top === 'string' && (raw as Record<string, unknown>)[top] === undefined;
      throw new Error(`${path}: ${name}${field ? `.${field}` : ''}: ${missing ? 'is required' : issue.message}`);
    }
    const m = parsed.data;
    if (seen.has(m.id)) throw new Error(`${path}: ${name}.id: ${m.id} is defined twice`);
    seen.add(m.id);
    const combine: Combine = m.combine ?? (m.unit === 'days' || m.unit === 'average' ? 'mean' : 'sums');
    if (combine === 'mean' && m.unit !== 'days' && m.unit !== 'average') {
      throw new Error(`${path}: ${name}.combine: a ${m.unit} adds up over months (${m.unit === 'percent' ? 'Σnumerator / Σdenominator' : 'the sum of the months'}), so combine must be 'sums', not 'mean'; 'mean' is for days and averages`);
    }
    return {
      id: m.id, title: m.title, theme: m.theme, unit: m.unit, polarity: m.polarity, combine,
      measure: m.measure ?? 'flow', definition: m.definition, source: m.source,
      numeratorLabel: m.numeratorLabel ?? defaultNumeratorLabel(m.unit, combine),
      denominatorLabel: m.denominatorLabel ?? defaultDenominatorLabel(m.unit, combine),
    };
  });
}

function defaultNumeratorLabel(unit: MeasureUnit, combine: Combine): string {
  if (combine === 'mean') return 'sum of monthly values';
  return unit === 'count' || unit === 'rate' ? 'total' : 'numerator';
}

function defaultDenominatorLabel(unit: MeasureUnit, combine: Combine): string | null {
  if (combine === 'mean') return 'months';
  return unit === 'count' || unit === 'rate' ? null : 'denominator';
}

/** SQL string literal. */
function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The measure's months in force: the latest entry for each month, with the month's first and last day. */
export function latestValuesSql(measureId: string): string {
  return `SELECT v.month, v.numerator, v.denominator, v.value, v.source, v.entered_by, v.entered_at,
        CAST(v.month || '-01' AS DATE) AS month_start, last_day(CAST(v.month || '-01' AS DATE)) AS month_end
      FROM aggregate_values v
      WHERE v.measure_id = ${lit(measureId)}
      QUALIFY row_number() OVER (PARTITION BY v.month ORDER BY v.entered_at DESC, v.rowid DESC) = 1`;
}

/** The unit-row numerator and denominator of a month, following how the measure's months combine. */
function unitColumns(m: MeasureDefinition): { numerator: string; denominator: string } {
  if (m.combine === 'mean') return { numerator: 'v.value', denominator: '1' };
  switch (m.unit) {
    case 'count': return { numerator: 'v.value', denominator: '0' };
    case 'rate': return { numerator: 'v.numerator', denominator: '0' };
    default: return { numerator: 'v.numerator', denominator: 'v.denominator' };
  }
}

/** The Indicator a measure definition becomes: one unit row per month in the period. */
export function measureIndicator(m: MeasureDefinition): Indicator {
  const { numerator, denominator } = unitColumns(m);
  const how = m.combine === 'mean'
    ? 'Over longer periods: the mean of the monthly figures.'
    : m.unit === 'count' ? 'Over longer periods: the sum of the months.'
    : m.unit === 'rate' ? 'Over longer periods: the months\' numbers added up, per 10,000 children aged 0 to 17 (ONS mid-year estimate).'
    : `Over longer periods: the months' ${m.numeratorLabel} added up over their ${m.denominatorLabel ?? 'denominators'} added up.`;
  return {
    id: m.id,
    title: m.title,
    theme: m.theme,
    unit: m.unit,
    polarity: m.polarity,
    measure: m.measure,
    definition: `${m.definition} Entered as a monthly figure (an aggregate measure, not computed from child records). ${how}`,
    source: m.source,
    breakdowns: [],
    details: [
      { name: 'month', label: 'Month' },
      { name: 'figure', label: 'Figure entered' },
      { name: 'measure_source', label: 'Source' },
      { name: 'entered_by', label: 'Entered by' },
      { name: 'entered_at', label: 'Entered at' },
    ],
    numeratorLabel: m.numeratorLabel,
    ...(m.denominatorLabel ? { denominatorLabel: m.denominatorLabel } : {}),
    sql: () => `
      SELECT p.period_id, CAST(NULL AS VARCHAR) AS child_id, ${numerator} AS numerator, ${denominator} AS denominator,
        v.month_end AS at_date, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker,
        v.month, v.value AS figure, v.source AS measure_source, v.entered_by, v.entered_at
      FROM periods p JOIN (${latestValuesSql(m.id)}) v
        ON ${m.measure === 'stock' ? 'v.month_end = p.end_date' : 'v.month_start >= p.start_date AND v.month_end <= p.end_date'}`,
  };
}

/** Indicators for a list of definitions (for tests and alternative config files). */
export function measureIndicators(defs: readonly MeasureDefinition[]): Indicator[] {
  return defs.map(measureIndicator);
}

/** The shipped measure definitions (config/measures.json). */
export const MEASURES: readonly MeasureDefinition[] = readMeasuresFile();

/** The aggregate family of the catalogue. */
export const INDICATORS: readonly Indicator[] = measureIndicators(MEASURES);

/** The definition of a measure; throws a RangeError naming the known ones when there is none. */
export function findMeasure(id: string, defs: readonly MeasureDefinition[] = MEASURES): MeasureDefinition {
  const m = defs.find((d) => d.id === id);
  if (m) return m;
  throw new RangeError(`no aggregate measure '${id}'; known measures: ${defs.map((d) => d.id).join(', ') || 'none (see config/measures.json)'}`);
}
