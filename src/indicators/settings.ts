// The local standards indicators are measured against. Defaults follow statutory minimums or common
// practice; an authority overrides them in config/settings.json (validated here, errors name the field).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Settings } from './types.ts';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  cpVisitWorkingDays: 10,
  cinVisitWorkingDays: 20,
  lacVisitDays: 42,
  contactDecisionWorkingDays: 1,
  earlyHelpDays: 35,
  pepMonths: 6,
  proceedingsWeeks: 26,
  supervisionDays: 30,
  laCode: null,
});

const positive = z.number().int().positive();
const SettingsFile = z.object({
  cpVisitWorkingDays: positive,
  cinVisitWorkingDays: positive,
  lacVisitDays: positive,
  contactDecisionWorkingDays: positive,
  earlyHelpDays: positive,
  pepMonths: positive,
  proceedingsWeeks: positive,
  supervisionDays: positive,
  laCode: z.string().regex(/^\d{3}$/, 'a three-digit DfE LA code such as "999"').nullable(),
}).partial().strict();

/** Reads settings from a JSON file (missing file = defaults); throws an Error naming the file and field. */
export function loadSettings(path = 'config/settings.json'): Settings {
  if (!existsSync(path)) return { ...DEFAULT_SETTINGS };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = SettingsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: field '${issue.path.join('.') || '(top level)'}': ${issue.message}`);
  }
  return { ...DEFAULT_SETTINGS, ...parsed.data };
}
