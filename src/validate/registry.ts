// Every DfE code of both returns → how it is checked, so nothing is implemented twice and nothing is missed:
//   load     a row rule the readers run as they load (src/ingest/cinRules.ts, src/ingest/ssda903Rules.ts);
//            `csc validate --ruleset` reports its findings from the same pass that stages the rows
//   sql      a validate rule (src/validate/<return>/*.ts) run over the staged tables
//   skipped  deliberately not checked (src/validate/skipped.ts), with the reason
//   todo     not yet implemented; `needs` is what DfE's table list says it will need (e.g. last year's return)
// test/validate/coverage.test.ts checks every code has exactly one entry and prints the todo list.
import { CIN_RULES } from '../ingest/cinRules.ts';
import { SSDA903_RULES } from '../ingest/ssda903Rules.ts';
import { dfeRules, type DfeRule, type Return } from './catalogue.ts';
import { VALIDATE_RULES } from './rules.ts';
import { SKIPPED } from './skipped.ts';
import type { OptionalInput, Rule } from './types.ts';

export type Implementation =
  | { kind: 'load'; where: string; severity: 'error' | 'warning' }
  | { kind: 'sql'; rule: Rule }
  | { kind: 'skipped'; reason: string }
  | { kind: 'todo'; needs?: OptionalInput };

export interface RegistryEntry {
  dfe: DfeRule;
  impl: Implementation;
}

const LOAD_WHERE: Readonly<Record<Return, string>> = { cin: 'src/ingest/cinRules.ts', ssda903: 'src/ingest/ssda903Rules.ts' };

/** Load-path codes by return, with the severity the reader gives them (first declaration wins). */
export function loadPathCodes(r: Return): Map<string, 'error' | 'warning'> {
  const out = new Map<string, 'error' | 'warning'>();
  for (const rule of r === 'cin' ? CIN_RULES : SSDA903_RULES) if (!out.has(rule.code)) out.set(rule.code, rule.severity);
  return out;
}

/** What DfE's table list says a rule needs beyond this year's return. */
export function neededInput(dfe: DfeRule): OptionalInput | undefined {
  if (dfe.tables.some((t) => /_last$/i.test(t))) return 'lastYear';
  if (dfe.tables.some((t) => /provider info/i.test(t))) return 'ofstedProviders';
  return undefined;
}

/** The registry of a return, in DfE's order. Throws when a code is claimed twice or a rule is not DfE's. */
export function registry(r: Return): RegistryEntry[] {
  const load = loadPathCodes(r);
  const sql = new Map<string, Rule>();
  for (const rule of VALIDATE_RULES.filter((x) => x.return === r)) {
    if (sql.has(rule.code)) throw new Error(`${r} rule ${rule.code} is declared twice in src/validate`);
    sql.set(rule.code, rule);
  }
  const skipped = new Map(SKIPPED.filter((s) => s.return === r).map((s) => [s.code, s.reason]));
  const known = new Set(dfeRules(r).map((d) => d.code));
  for (const code of [...sql.keys(), ...skipped.keys()]) {
    if (!known.has(code)) throw new Error(`${r} rule ${code} is not in DfE's list (src/validate/dfe)`);
  }
  return dfeRules(r).map((dfe) => {
    const claims: Implementation[] = [];
    if (load.has(dfe.code)) claims.push({ kind: 'load', where: LOAD_WHERE[r], severity: load.get(dfe.code)! });
    const s = sql.get(dfe.code);
    if (s) claims.push({ kind: 'sql', rule: s });
    const why = skipped.get(dfe.code);
    if (why !== undefined) claims.push({ kind: 'skipped', reason: why });
    if (claims.length > 1) {
      throw new Error(`${r} rule ${dfe.code} is implemented more than once: ${claims.map((c) => c.kind).join(' and ')}`);
    }
    return { dfe, impl: claims[0] ?? { kind: 'todo', needs: neededInput(dfe) } };
  });
}

export interface Counts { load: number; sql: number; skipped: number; todo: number; total: number }

export function counts(r: Return): Counts {
  const c: Counts = { load: 0, sql: 0, skipped: 0, todo: 0, total: 0 };
  for (const e of registry(r)) { c[e.impl.kind]++; c.total++; }
  return c;
}
