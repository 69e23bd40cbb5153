// The contract between a reader of one input format and the loader that stores what it reads.
// Readers stream: they call sink.add for each canonical row as it is parsed, so memory stays flat.
import type { Row, TableName } from '../model.ts';

export type Severity = 'error' | 'warning';
export type SourceKind = 'annex_a' | 'cin_census' | 'ssda903' | 'events' | 'workforce' | 'survey';

/**
 * One validation finding. `code` is DfE's rule number where DfE has one ('8866', '103'), otherwise our own
 * stable code starting 'CSC' (e.g. 'CSC001'). Severity 'error' = the row is not loaded; 'warning' = loaded, flagged.
 */
export interface Finding {
  ruleset: 'cin' | 'ssda903' | 'annex_a' | 'events' | 'workforce' | 'survey' | 'file';
  code: string;
  severity: Severity;
  file: string;
  /** 1-based line (CSV: header is line 1; XML: line where the element starts; xlsx: sheet row) */
  row: number | null;
  /** sheet or table or element the row belongs to, e.g. 'List 3', 'episodes', 'Child' */
  section?: string | null;
  field: string | null;
  value: string | null;
  childId?: string | null;
  message: string;
}

export interface RecordSink {
  /** Add one canonical row; sourceRow is the file line (or sheet row) it came from. */
  add<T extends TableName>(table: T, row: Row<T>, sourceRow: number | null): void;
  finding(f: Finding): void;
}

/** What a reader learned about a file as a whole. */
export interface FileSummary {
  kind: SourceKind;
  /** e.g. 'episodes' for one SSDA903 table; 'List 1'…'List 11' sheets found for Annex A */
  parts: string[];
  /** reporting year the file covers, as its start year (2024 = 2024-25), when known */
  collectionYear?: number;
  periodStart?: string;
  periodEnd?: string;
  /** for lenient heading matching: which column heading was read as which field */
  columnMap?: Record<string, Record<string, string>>;
}
