// The indicator catalogue: every family's indicators, in scorecard order (by theme, then as each family
// lists them). Ids are unique and stable: targets, benchmarks, commentary and exception reasons refer to them.
import { INDICATORS as frontDoor } from './frontDoor.ts';
import { INDICATORS as referrals } from './referrals.ts';
import { INDICATORS as assessments } from './assessments.ts';
import { INDICATORS as section47 } from './section47.ts';
import { INDICATORS as childProtection } from './childProtection.ts';
import { INDICATORS as childrenInNeed } from './childrenInNeed.ts';
import { INDICATORS as childrenInCare } from './childrenInCare.ts';
import { INDICATORS as careLeavers } from './careLeavers.ts';
import { INDICATORS as permanence } from './permanence.ts';
import { INDICATORS as careProceedings } from './careProceedings.ts';
import { INDICATORS as workforce } from './workforce.ts';
import { INDICATORS as workforceReturn } from './workforceReturn.ts';
import { INDICATORS as voice } from './voice.ts';
import { INDICATORS as aggregates } from './aggregates.ts';
import { THEMES, type Indicator } from './types.ts';

const ALL: readonly Indicator[] = [
  ...frontDoor, ...referrals, ...assessments, ...section47, ...childProtection, ...childrenInNeed,
  ...childrenInCare, ...careLeavers, ...permanence, ...careProceedings, ...workforce, ...workforceReturn, ...voice,
  // figures entered or imported as monthly aggregates (config/measures.json), placed in their themes
  ...aggregates,
];

const THEME_ORDER = Object.keys(THEMES);

/** Every indicator, grouped by theme in the scorecard's order. */
export const INDICATORS: readonly Indicator[] = [...ALL].sort(
  (a, b) => THEME_ORDER.indexOf(a.theme) - THEME_ORDER.indexOf(b.theme) || ALL.indexOf(a) - ALL.indexOf(b),
);

const BY_ID = new Map<string, Indicator>();
for (const ind of INDICATORS) {
  if (BY_ID.has(ind.id)) throw new Error(`indicator id ${ind.id} is defined twice`);
  BY_ID.set(ind.id, ind);
}

/** The indicator with this id; throws a RangeError listing near matches when there is none. */
export function findIndicator(id: string): Indicator {
  const ind = BY_ID.get(id);
  if (ind) return ind;
  const near = INDICATORS.filter((i) => i.id.includes(id) || id.includes(i.id.split('.')[1] ?? '')).map((i) => i.id);
  throw new RangeError(`no indicator '${id}'${near.length ? `; did you mean ${near.slice(0, 5).join(', ')}?` : ' (csc indicators lists them)'}`);
}
