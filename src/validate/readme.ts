// The README's Validation table, made from the registry; test/validate/coverage.test.ts checks the README
// holds it. Print it to paste: npx tsx src/validate/readme.ts
import { fileURLToPath } from 'node:url';
import { counts, registry } from './registry.ts';
import type { Return } from './catalogue.ts';

const NAMES: Record<Return, string> = { cin: 'CIN census (cin2024_25)', ssda903: 'SSDA903 (lac2024_25)' };

export function readmeTable(): string {
  const rows = ['| return | DfE rules | checked as files are read | validate SQL rules | skipped (reason) | to do | needing an optional input |', '|---|---|---|---|---|---|---|'];
  for (const r of ['cin', 'ssda903'] as Return[]) {
    const c = counts(r);
    const entries = registry(r);
    const skipped = entries.filter((e) => e.impl.kind === 'skipped').map((e) => `${e.dfe.code}: ${e.impl.kind === 'skipped' ? e.impl.reason : ''}`);
    const needing = entries.filter((e) => (e.impl.kind === 'sql' && e.impl.rule.needs) || (e.impl.kind === 'todo' && e.impl.needs)).length;
    rows.push(`| ${NAMES[r]} | ${c.total} | ${c.load} | ${c.sql} | ${c.skipped}${skipped.length ? ` (${skipped.join('; ')})` : ''} | ${c.todo} | ${needing} |`);
  }
  return rows.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(readmeTable());
