// Targets and red/amber/green. Each indicator may have, per reporting year, a target and an amber band;
// the shipped defaults live in config/targets.json, and an analyst's changes are stored in the `targets`
// table (the latest change wins). Polarity decides which side is red; an indicator with no polarity is
// never rated, only compared with benchmarks. Every rating carries the rule that produced it.
//
// The value is compared as it is shown (percentages, rates and averages to one decimal place, counts
// whole), so a figure displayed as 85.0% against a target of 85% is green, never a hair short of it.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Store } from '../store.ts';
import { appendAuditInTransaction, entryBy, type Actor } from '../audit.ts';
import { findIndicator } from '../indicators/index.ts';
import type { Indicator } from '../indicators/types.ts';

export type Rag = 'red' | 'amber' | 'green';
export type AmberKind = 'points' | 'percent';

export interface Target {
  readonly indicator: string;
  /** reporting year start: 2024 = 2024-25; null = any year without its own target */
  readonly year: number | null;
  readonly target: number;
  /** width of the amber band beyond the target, on the failing side */
  readonly amber: number;
  /** 'points': in the indicator's own unit; 'percent': a percentage of the target */
  readonly amberKind: AmberKind;
  /** 'config' for shipped defaults, else who set it */
  readonly setBy: string;
}

export interface Judgement {
  /** null when the indicator has no polarity, no target, or no value */
  readonly rag: Rag | null;
  readonly target: number | null;
  /** the rule that produced the rating, in words */
  readonly rule: string;
}

const YEAR = /^(\d{4})-(\d{2})$/;

const TargetEntry = z.object({
  indicator: z.string().min(1),
  year: z.string().refine((y) => y === '*' || (YEAR.test(y) && (Number(y.slice(0, 4)) + 1) % 100 === Number(y.slice(5))), 'a reporting year such as "2024-25", or "*" for every year'),
  target: z.number().finite(),
  amber: z.number().finite().nonnegative(),
  amberKind: z.enum(['points', 'percent']).default('points'),
}).strict();
const TargetsFile = z.object({ $comment: z.string().optional(), targets: z.array(TargetEntry) }).strict();

/** Reads a targets file; throws an Error naming the file, the entry and the field when anything is wrong. */
export function readTargetsFile(path = 'config/targets.json'): Target[] {
  if (!existsSync(path)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = TargetsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.map(String);
    const where = at.length >= 2 ? `targets[${at[1]}]${at[2] !== undefined ? `.${at[2]}` : ''}` : at.join('.') || '(top level)';
    throw new Error(`${path}: ${where}: ${issue.message}`);
  }
  return parsed.data.targets.map((t, i) => {
    const ind = checkIndicator(t.indicator, `${path}: targets[${i}].indicator`);
    checkSensible(ind, t.target, `${path}: targets[${i}]`);
    return { indicator: t.indicator, year: t.year === '*' ? null : Number(t.year.slice(0, 4)), target: t.target, amber: t.amber, amberKind: t.amberKind, setBy: 'config' };
  });
}

function checkIndicator(id: string, where: string): Indicator {
  try {
    return findIndicator(id);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

function checkSensible(ind: Indicator, target: number, where: string): void {
  if (ind.polarity === 'neither') throw new Error(`${where}: ${ind.id} has no polarity (more is neither better nor worse), so it takes no target`);
  if (ind.unit === 'percent' && (target < 0 || target > 100)) throw new Error(`${where}: a percentage target must be between 0 and 100, not ${target}`);
  if (target < 0) throw new Error(`${where}: a target cannot be negative`);
}

/**
 * Records an analyst's target for an indicator and year; it overrides the config file from now on.
 * Audited as 'target.set' (with the analyst's previous target for that year, if any) in the same
 * transaction; the audit user is the actor's, else setBy.
 */
export async function setTarget(store: Store, t: Omit<Target, 'setBy'> & { year: number; setBy: string }, options: { actor?: Actor } = {}): Promise<void> {
  const ind = findIndicator(t.indicator);
  checkSensible(ind, t.target, `target for ${t.indicator}`);
  if (!(t.amber >= 0)) throw new Error(`target for ${t.indicator}: the amber band must be zero or more`);
  await store.transaction(async () => {
    const [previous] = await store.query<{ target: number; amber: number; amber_kind: AmberKind; set_by: string | null }>(
      `SELECT target, amber, amber_kind, set_by FROM targets WHERE indicator_id = ? AND year = ? ORDER BY set_at DESC, rowid DESC LIMIT 1`,
      [t.indicator, t.year]);
    await store.run(`INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, current_timestamp)`, [t.indicator, t.year, t.target, t.amber, t.amberKind, t.setBy]);
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: t.setBy }, 'target.set', t.indicator, {
      year: t.year, target: t.target, amber: t.amber, amberKind: t.amberKind, setBy: t.setBy,
      previous: previous ? { target: previous.target, amber: previous.amber, amberKind: previous.amber_kind, setBy: previous.set_by } : null,
    }));
  });
}

/** Every target in force: the analyst's latest change for an indicator and year, else the config file's. */
export class Targets {
  private constructor(private readonly entries: readonly Target[]) {}

  static async load(store: Store, path = 'config/targets.json'): Promise<Targets> {
    const fromFile = readTargetsFile(path);
    const rows = await store.query<{ indicator_id: string; year: number; target: number; amber: number; amber_kind: AmberKind; set_by: string | null }>(
      `SELECT * FROM targets QUALIFY row_number() OVER (PARTITION BY indicator_id, year ORDER BY set_at DESC, rowid DESC) = 1`,
    );
    const fromStore: Target[] = rows.map((r) => ({ indicator: r.indicator_id, year: r.year, target: r.target, amber: r.amber, amberKind: r.amber_kind, setBy: r.set_by ?? 'unknown' }));
    return new Targets([...fromStore, ...fromFile]);
  }

  static of(entries: readonly Target[]): Targets {
    return new Targets(entries);
  }

  /** The target for an indicator in a reporting year: a year's own target first (analyst's before config), then '*'. */
  for(indicator: string, year: number): Target | null {
    return this.entries.find((t) => t.indicator === indicator && t.year === year)
      ?? this.entries.find((t) => t.indicator === indicator && t.year === null) ?? null;
  }

  all(): readonly Target[] {
    return this.entries;
  }
}

/** The value as the scorecard shows it: one decimal place, counts whole. */
export function shownValue(ind: Pick<Indicator, 'unit'>, value: number): number {
  return ind.unit === 'count' ? Math.round(value) : Math.round(value * 10) / 10;
}

function fmt(ind: Pick<Indicator, 'unit'>, n: number): string {
  const s = ind.unit === 'count' ? Math.round(n).toLocaleString('en-GB') : String(Math.round(n * 10) / 10);
  return ind.unit === 'percent' ? `${s}%` : s;
}

/** Rates a value against its target, following the indicator's polarity. */
export function judge(ind: Pick<Indicator, 'unit' | 'polarity'>, value: number | null, target: Target | null): Judgement {
  if (ind.polarity === 'neither') return { rag: null, target: null, rule: 'No polarity: more is neither better nor worse, so it is compared with benchmarks, not rated.' };
  if (!target) return { rag: null, target: null, rule: 'No target set for this year.' };
  if (value === null) return { rag: null, target: target.target, rule: 'No figure to rate (nothing to divide by).' };
  const v = shownValue(ind, value);
  const width = target.amberKind === 'percent' ? (Math.abs(target.target) * target.amber) / 100 : target.amber;
  const band = target.amberKind === 'percent' ? `${target.amber}% of the target (${fmt(ind, width)})` : fmt(ind, width).replace('%', ' points');
  const higher = ind.polarity === 'higher';
  const edge = higher ? target.target - width : target.target + width;
  const meets = higher ? v >= target.target : v <= target.target;
  const inBand = higher ? v >= edge : v <= edge;
  const side = higher ? 'at or above' : 'at or below';
  if (meets) return { rag: 'green', target: target.target, rule: `Green: ${fmt(ind, v)} is ${side} the target of ${fmt(ind, target.target)}.` };
  if (inBand) {
    return { rag: 'amber', target: target.target, rule: `Amber: ${fmt(ind, v)} misses the target of ${fmt(ind, target.target)} but is within the amber band of ${band} (${higher ? 'down to' : 'up to'} ${fmt(ind, edge)}).` };
  }
  return { rag: 'red', target: target.target, rule: `Red: ${fmt(ind, v)} is ${higher ? 'below' : 'above'} ${fmt(ind, edge)}, beyond the amber band of ${band} around the target of ${fmt(ind, target.target)}.` };
}
