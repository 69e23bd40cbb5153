// Every DfE code of both returns is registered (src/validate/registry.ts): checked as the files are read
// (load path), by a validate SQL rule, skipped with a reason, or still to do. The todo list is printed so the
// rule engineers can see what is left. Also: DfE's lists here are the shared ones, messages are DfE's, every
// validate rule has a worked test that calls expectRule with its code, and the README's Validation table is true.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DFE_FILES, dfeFile, dfeRules, type Return } from '../../src/validate/catalogue.ts';
import { counts, registry } from '../../src/validate/registry.ts';
import { VALIDATE_RULES } from '../../src/validate/rules.ts';
import { readmeTable } from '../../src/validate/readme.ts';

const RETURNS: Return[] = ['cin', 'ssda903'];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

describe("DfE's validation rules", () => {
  it.each(RETURNS)('%s: the rule list is the one in ../shared/validation-rules', (r) => {
    const shared = join('..', 'shared', 'validation-rules', DFE_FILES[r]);
    if (!existsSync(shared)) return; // a checkout without the shared folder
    expect(readFileSync(dfeFile(r), 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });

  it('312 SSDA903 and 109 CIN census rules, each code once', () => {
    expect(dfeRules('ssda903')).toHaveLength(312);
    expect(dfeRules('cin')).toHaveLength(109);
    for (const r of RETURNS) expect(new Set(dfeRules(r).map((d) => d.code)).size).toBe(dfeRules(r).length);
  });

  it.each(RETURNS)('%s: every code is registered exactly once (load path, validate rule, skipped or todo)', (r) => {
    const entries = registry(r); // throws on a code implemented twice or a rule DfE does not have
    expect(entries.map((e) => e.dfe.code)).toEqual(dfeRules(r).map((d) => d.code));
    const todo = entries.filter((e) => e.impl.kind === 'todo');
    const c = counts(r);
    console.log(`${r}: ${c.load} load path, ${c.sql} validate, ${c.skipped} skipped, ${c.todo} todo of ${c.total}` +
      (todo.length ? `\n  todo: ${todo.map((e) => e.dfe.code + (e.impl.kind === 'todo' && e.impl.needs ? `(${e.impl.needs})` : '')).join(' ')}` : ''));
  });

  it('every validate rule carries DfE\'s message and fields, exactly', () => {
    for (const rule of VALIDATE_RULES) {
      const dfe = dfeRules(rule.return).find((d) => d.code === rule.code)!;
      expect(rule.message, `rule ${rule.code}`).toBe(dfe.message);
      expect([...rule.fields].sort(), `rule ${rule.code} fields`).toEqual([...dfe.fields].sort());
    }
  });

  it('every validate rule has a worked test (expectRule with its code) under test/validate', () => {
    const text = testFiles(join('test', 'validate')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = VALIDATE_RULES.filter((rule) => !text.includes(`expectRule('${rule.code}'`)).map((r) => `${r.return} ${r.code}`);
    expect(missing, 'validate rules without a worked test').toEqual([]);
  });

  it("the README's Validation table is the registry's counts (regenerate: npx tsx src/validate/readme.ts)", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(readmeTable());
  });
});
