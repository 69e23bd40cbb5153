// DfE's rule lists, as published (copied byte for byte from ../shared/validation-rules into src/validate/dfe;
// test/validate/coverage.test.ts checks the copies still match). Every code and message a finding shows comes
// from here, so a rule's message cannot drift from DfE's.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type Return = 'cin' | 'ssda903';

export interface DfeRule {
  code: string;
  return: Return;
  /** DfE's message, exactly */
  message: string;
  /** DfE's affected fields */
  fields: string[];
  /** SSDA903: DfE's tables ('Episodes', 'Episodes_last', 'Header', …); CIN: the module ('Header', 'Assessments', …) */
  tables: string[];
  /** CIN only: the first rule set the rule belongs to ('cin2022_23') */
  firstRuleSet?: string;
}

export const DFE_FILES: Readonly<Record<Return, string>> = {
  cin: 'cin-census-rules.csv',
  ssda903: 'ssda903-rules-2024-25.csv',
};

export function dfeFile(r: Return): string {
  return new URL(`./dfe/${DFE_FILES[r]}`, import.meta.url).pathname;
}

/** "['ACCOM', 'ACTIV']" (SSDA903) or "CPPstartDate, CINreferralDate," (CIN) → names. */
function names(list: string): string[] {
  return list.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^'|'$/g, '')).filter((s) => s !== '');
}

function read(r: Return): DfeRule[] {
  const rows = parse(readFileSync(dfeFile(r), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  return rows.map((row) => r === 'ssda903'
    ? { code: row['Rule code'], return: r, message: row['Rule message'], fields: names(row['Affected fields']), tables: names(row.Tables) }
    : {
      code: row['Rule code'], return: r, message: row['Rule message'], fields: names(row['Affected fields']), tables: [row.Module],
      firstRuleSet: row['First rule set'],
    });
}

let cache: Record<Return, DfeRule[]> | null = null;

/** DfE's rules for a return, in the order DfE lists them. */
export function dfeRules(r: Return): readonly DfeRule[] {
  cache ??= { cin: read('cin'), ssda903: read('ssda903') };
  return cache[r];
}

export function dfeRule(r: Return, code: string): DfeRule {
  const rule = dfeRules(r).find((x) => x.code === code);
  if (!rule) throw new Error(`DfE's ${r === 'cin' ? 'CIN census' : 'SSDA903'} rules have no code ${code}`);
  return rule;
}

/** The rule sets `csc validate --ruleset` takes: the return and, for the year's dates, the collection year's start. */
export const RULESETS = {
  cin2024_25: { return: 'cin' as Return, year: 2024 },
  lac2024_25: { return: 'ssda903' as Return, year: 2024 },
} as const;
export type Ruleset = keyof typeof RULESETS;
