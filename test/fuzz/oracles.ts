// Independent counts of the records in an input, for the fuzz harness's "nothing silently dropped" check.
import { parse } from 'csv-parse/sync';
import type { Oracle } from './harness.ts';

/** Data records of a CSV: non-blank records after the header (the first non-blank one); null if csv-parse cannot read it. */
export function csvRecords(bytes: Buffer): Oracle | null {
  try {
    const records = parse(bytes, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
    const nonBlank = records.filter((r) => r.some((c) => c.trim() !== ''));
    return { count: Math.max(0, nonBlank.length - 1) };
  } catch {
    return null;
  }
}

export function jsonLines(bytes: Buffer): Oracle {
  return { count: bytes.toString('utf8').split('\n').filter((l) => l.replace(/^\uFEFF/, '').trim() !== '').length };
}

/** One children row per <Child> element. */
export function childElements(bytes: Buffer): Oracle {
  return { count: (bytes.toString('utf8').match(/<Child[\s>]/g) ?? []).length, table: 'children' };
}
