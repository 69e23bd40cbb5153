// Checks that need more than one row, run set-based in DuckDB over the rows a load has just staged in
// `loaded.*` (inside the load's transaction, so a failed check leaves nothing behind). All are warnings:
// the rows are loaded and flagged, because which of two conflicting rows is wrong is for a person to decide.
import type { Store } from '../store.ts';
import { TABLES, TABLE_NAMES } from '../model.ts';
import type { Finding } from './types.ts';

interface CrossCheck {
  code: string;
  ruleset: Finding['ruleset'];
  section: string;
  field: string;
  /** SQL returning child_id, row, value, message for rows of load $load */
  sql: string;
}

const CHECKS: CrossCheck[] = [
  {
    code: '8935', ruleset: 'cin', section: 'cp_plans', field: 'CPPendDate',
    sql: `SELECT child_id, source_row AS row, start_date::VARCHAR AS value,
            'more than one open child protection plan (no end date) for this child (rule 8935) — loaded, flagged' AS message
          FROM loaded.cp_plans WHERE load_id = $load AND end_date IS NULL
          QUALIFY count(*) OVER (PARTITION BY child_id) > 1`,
  },
  {
    code: '8940', ruleset: 'cin', section: 'cp_plans', field: 'CPPstartDate',
    sql: `SELECT a.child_id, a.source_row AS row, a.start_date::VARCHAR AS value,
            'child protection plan starting ' || strftime(a.start_date, '%d/%m/%Y') || ' overlaps the plan starting ' ||
            strftime(b.start_date, '%d/%m/%Y') || ' (rule 8940: plan dates overlap) — loaded, flagged' AS message
          FROM loaded.cp_plans a JOIN loaded.cp_plans b
            ON a.child_id = b.child_id AND a.load_id = b.load_id AND b.start_date < a.start_date
           AND (b.end_date IS NULL OR b.end_date > a.start_date)
          WHERE a.load_id = $load`,
  },
  {
    code: '501', ruleset: 'ssda903', section: 'episodes', field: 'DECOM',
    sql: `SELECT a.child_id, a.source_row AS row, strftime(a.decom, '%d/%m/%Y') AS value,
            'episode starting ' || strftime(a.decom, '%d/%m/%Y') || ' begins before the previous episode (started ' ||
            strftime(b.decom, '%d/%m/%Y') || ') ended (rule 501: a new episode has started before the end date of the previous episode) — loaded, flagged' AS message
          FROM loaded.lac_episodes a JOIN loaded.lac_episodes b
            ON a.child_id = b.child_id AND a.load_id = b.load_id AND b.decom < a.decom AND (b.dec IS NULL OR b.dec > a.decom)
          WHERE a.load_id = $load`,
  },
  {
    code: 'CSC020', ruleset: 'file', section: 'children', field: 'dob',
    sql: `SELECT DISTINCT ON (n.child_id) n.child_id, n.source_row AS row, n.dob::VARCHAR AS value,
            'date of birth ' || n.dob::VARCHAR || ' differs from ' || o.dob::VARCHAR || ' in ' || o.source_file ||
            ' (sources disagree) — loaded; the latest return is used' AS message
          FROM loaded.children n JOIN loaded.children o ON o.child_id = n.child_id AND o.load_id <> n.load_id
          JOIN loads l ON l.load_id = o.load_id AND l.status = 'active'
          WHERE n.load_id = $load AND n.dob IS NOT NULL AND o.dob IS NOT NULL AND n.dob <> o.dob`,
  },
];

/** Duplicate record keys within one load: the later line wins in the current state, so say so. */
function duplicateChecks(): CrossCheck[] {
  return TABLE_NAMES.filter((t) => t !== 'children').map((t) => {
    const key: readonly string[] = TABLES[t].key;
    const childId = 'child_id' in TABLES[t].columns ? 'child_id' : 'NULL::VARCHAR AS child_id';
    return {
      code: 'CSC010', ruleset: 'file', section: t, field: key.join(', '),
      sql: `SELECT ${childId}, source_row AS row, concat_ws(' ', ${key.map((k) => `${k}::VARCHAR`).join(', ')}) AS value,
              'the same ${t.replace(/_/g, ' ')} record (${key.join(', ')}) also appears at line ' ||
              first_value(source_row) OVER w || ' — loaded, and the later line is the one counted' AS message
            FROM loaded.${t} WHERE load_id = $load
            WINDOW w AS (PARTITION BY ${key.join(', ')} ORDER BY source_row)
            QUALIFY row_number() OVER w > 1`,
    };
  });
}

export async function crossRecordFindings(store: Store, loadId: number, file: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of [...CHECKS, ...duplicateChecks()]) {
    const rows = await store.query<{ child_id: string | null; row: number | null; value: string | null; message: string }>(
      check.sql.replaceAll('$load', String(loadId)),
    );
    for (const r of rows) {
      findings.push({
        ruleset: check.ruleset, code: check.code, severity: 'warning', file, row: r.row, section: check.section,
        field: check.field, value: r.value, childId: r.child_id,
        message: `${file}${r.row !== null ? ` line ${r.row}` : ''}: ${r.message}`,
      });
    }
  }
  return findings;
}
