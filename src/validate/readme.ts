// The README's Validation table, made from the registry; test/validate/coverage.test.ts checks the README
// holds it. Print it to paste: npx tsx src/validate/readme.ts
import { fileURLToPath } from 'node:url';
import { counts, registry } from './registry.ts';
import type { Return } from './catalogue.ts';

const NAMES: Record<Return, string> = { cin: 'CIN census (cin2024_25)', ssda903: 'SSDA903 (lac2024_25)' };

export function readmeTable(): string {
  const rows = ['| return | DfE rules | checked as files are read | validate SQL rules | skipped | to do | needing an optional input |', '|---|---|---|---|---|---|---|'];
  const reasons: string[] = [];
  for (const r of ['cin', 'ssda903'] as Return[]) {
    const c = counts(r);
    const entries = registry(r);
    const skippedEntries = entries.filter((e) => e.impl.kind === 'skipped');
    const skipped = skippedEntries.map((e) => e.dfe.code);
    for (const e of skippedEntries) reasons.push(`- ${NAMES[r]} ${e.dfe.code} is skipped: ${e.impl.kind === 'skipped' ? e.impl.reason : ''}.`);
    const todo = entries.filter((e) => e.impl.kind === 'todo').map((e) => e.dfe.code);
    if (todo.length) reasons.push(`- ${NAMES[r]} not yet checked: ${todo.join(', ')}.`);
    const needing = entries.filter((e) => (e.impl.kind === 'sql' && e.impl.rule.needs) || (e.impl.kind === 'todo' && e.impl.needs)).length;
    rows.push(`| ${NAMES[r]} | ${c.total} | ${c.load} | ${c.sql} | ${c.skipped}${skipped.length ? ` (${skipped.join(', ')})` : ''} | ${c.todo} | ${needing} |`);
  }
  return [...rows, '', ...reasons].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(readmeTable());
