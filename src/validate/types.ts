// The one rule type both returns share, and the finding a rule makes. How to add a rule: README.md here.
import type { Return } from './catalogue.ts';

export type { Return } from './catalogue.ts';

/** Data the product does not hold, given as an optional input; a rule that needs it is skipped, and says so, without it. */
export type OptionalInput = 'lastYear' | 'postcodes' | 'ofstedProviders' | 'localAuthority';

export const OPTIONAL_INPUTS: Readonly<Record<OptionalInput, { what: string; option: string }>> = {
  lastYear: { what: "last year's return", option: '--last-year FILE…' },
  // a postcode lookup (ONS NSPL/ONSPD columns pcd, laua, oseast1m, osnrth1m): from it the rules derive, as DfE
  // does, an episode's PL_LA (the laua of PL_POST) and PL_DISTANCE (HOME_POST to PL_POST, miles, 1 decimal place)
  postcodes: { what: 'postcode distances', option: '--postcodes FILE' },
  ofstedProviders: { what: 'the Ofsted provider list', option: '--ofsted-providers FILE' },
  // the return does not say whose it is: the rules comparing PL_LA with the authority's own take its ONS code
  localAuthority: { what: "the authority's own ONS code (as in the postcode lookup's laua, e.g. E08000001)", option: '--la CODE' },
};

/**
 * A DfE rule checked over the staged tables (staging.ts). `code`, `message` and `fields` are DfE's, exactly
 * (the coverage test compares them with src/validate/dfe/*.csv). `sql` returns one row per failing record:
 *   file      the file it came from (every staged table has it)
 *   line      its line (every staged table has it)
 *   child_id  LAchildID (CIN) / CHILD (SSDA903)
 *   tbl       the staged table the line is in (optional: defaults to tables[0])
 *   field     the field at fault (optional: defaults to fields[0])
 *   value     the offending field values as text, e.g. 'DECOM 01/04/2024, DATE_PLACED 02/03/2024' (optional)
 * Set-based: joins and window functions over whole tables, never a query per child, so the cost is linear.
 */
export interface Rule {
  code: string;
  return: Return;
  message: string;
  fields: readonly string[];
  /** staged tables the SQL reads */
  tables: readonly string[];
  severity: 'error' | 'warning';
  /** the optional input(s) the rule needs; without any of them the rule is skipped and the report says why */
  needs?: OptionalInput | readonly OptionalInput[];
  sql: string;
}

/** One failing record, from a validate SQL rule or from a rule the readers run as they load (load-path rules). */
export interface ValidationFinding {
  code: string;
  /** DfE's message for DfE codes; the reader's own for CSC codes */
  message: string;
  severity: 'error' | 'warning';
  file: string;
  /** staged table / DfE table or element ('episodes', 'Assessments') */
  table: string | null;
  line: number | null;
  childId: string | null;
  field: string | null;
  value: string | null;
  /** the particulars, in words (the reader's sentence for load-path rules) */
  detail: string | null;
}

/** The optional inputs a rule needs, as a list. */
export function neededInputs(rule: Pick<Rule, 'needs'>): readonly OptionalInput[] {
  return rule.needs === undefined ? [] : typeof rule.needs === 'string' ? [rule.needs] : rule.needs;
}

/** Identity helper so declarations are checked against the type where they are written. */
export function rules(...list: Rule[]): Rule[] {
  return list;
}
