// Monthly figures for the shipped aggregate measures (config/measures.json) of the synthetic authority,
// written as the CSV an analyst would import (`csc measures import`): front-door calls answered and the
// average wait, families' ratings of early help, care leavers not in education, employment or training.
// Deterministic for a seed; sized from the population like the rest of the synthetic authority.
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { addMonths } from '../calendar.ts';
import { Random } from './random.ts';

interface Shape {
  /** per month, per 10,000 children: how many the percentage is of */
  readonly perTenThousand?: number;
  /** the central share (0–1) or, for averages, the central value */
  readonly centre: number;
  readonly spread: number;
}

const SHAPES: Readonly<Record<string, Shape>> = {
  'aggregate.front_door_calls_answered': { perTenThousand: 60, centre: 0.9, spread: 0.04 },
  'aggregate.front_door_average_wait_seconds': { centre: 75, spread: 25 },
  'aggregate.early_help_family_rating_good': { perTenThousand: 6, centre: 0.95, spread: 0.03 },
  'aggregate.care_leavers_neet_19_21': { perTenThousand: 4, centre: 0.38, spread: 0.05 },
};

/** Writes one row per shipped measure and month from `firstMonth` to `lastMonth` ('YYYY-MM'); returns the rows written. */
export function writeAggregateMeasures(path: string, options: { population: number; seed: number; firstMonth: string; lastMonth: string }): number {
  const rng = new Random(options.seed * 7919 + 17);
  const rows: (string | number)[][] = [['measure_id', 'month', 'numerator', 'denominator', 'value', 'source']];
  for (let m = `${options.firstMonth}-01`; m.slice(0, 7) <= options.lastMonth; m = addMonths(m, 1)) {
    for (const [id, shape] of Object.entries(SHAPES)) {
      const wobble = (rng.next() * 2 - 1) * shape.spread;
      if (shape.perTenThousand === undefined) {
        rows.push([id, m.slice(0, 7), '', '', Math.round(shape.centre + wobble * 1), 'synthetic telephony report']);
        continue;
      }
      const denominator = Math.max(1, Math.round((options.population / 10_000) * shape.perTenThousand * (0.85 + rng.next() * 0.3)));
      const share = Math.min(1, Math.max(0, shape.centre + wobble));
      rows.push([id, m.slice(0, 7), Math.round(denominator * share), denominator, '', 'synthetic monthly return']);
    }
  }
  writeFileSync(path, stringify(rows));
  return rows.length - 1;
}
