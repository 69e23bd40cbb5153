// The synthetic local authority as produced by the simulation and consumed by the format writers.
import type { Row, TableName } from '../model.ts';

export interface SynthOptions {
  population: number; // children aged 0–17 resident
  years: number; // years of history ending at `end`
  end: string; // ISO date, last day simulated (default: the last day of the previous month)
  seed: number;
  teams: number;
  /** posts in each team, the manager included; 0 (the default): from the population, for caseloads of ~17 */
  workersPerTeam: number;
  /** share of records given a realistic data-quality fault (0–1) */
  faultRate: number;
  laCode: string; // DfE 3-digit LA number, e.g. '999'
  laName: string;
}

export type Tables = { [T in TableName]: Row<T>[] };

export interface SyntheticLA {
  options: SynthOptions;
  /** first day simulated */
  start: string;
  tables: Tables;
  /** faults injected on purpose: which table/row/field was broken and how, so tests can find them */
  faults: { table: TableName; childId: string; field: string; kind: 'missing' | 'order' | 'invalid-code'; value: string | null }[];
}
