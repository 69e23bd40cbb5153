// The public version's figures: every scorecard line's months, year to date and rolling 12 months after
// primary and secondary suppression (suppression.ts), keyed `${id}|month`, `|ytd`, `|rolling12`, `|trend${i}`.
// A line with any suppressed figure loses its chart and its narrative, which quote neighbouring months.
import type { JudgedLine } from '../judge/scorecard.ts';
import { suppressLine, DEFAULT_THRESHOLD } from './suppression.ts';

export type Shown = ReadonlyMap<string, number | 'c'>;

export function publicFigures(lines: readonly JudgedLine[], threshold = DEFAULT_THRESHOLD): Map<string, number | 'c'> {
  const out = new Map<string, number | 'c'>();
  for (const l of lines) {
    const shown = suppressLine({ unit: l.indicator.unit, trend: l.trend, ytd: l.ytd, rolling12: l.rolling12 }, { threshold });
    for (const [key, v] of shown) out.set(`${l.indicator.id}|${key}`, v);
    const last = shown.get(`trend${l.trend.length - 1}`);
    if (last !== undefined) out.set(`${l.indicator.id}|month`, last);
  }
  return out;
}

/** True when any of the line's published figures is suppressed. */
export function anySuppressed(shown: Shown, id: string): boolean {
  for (const [key, v] of shown) if (v === 'c' && key.startsWith(`${id}|`)) return true;
  return false;
}
