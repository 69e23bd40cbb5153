// The worked-test convention for validate rules: a tiny case built by hand, and exactly which lines fail and
// which pass. Every rule's test proves both (an expectation without toFail and toPass lines fails):
//
//   await expectRule('1003', ssda903({ episodes: [...rows], placed_for_adoption: [...rows] }))
//     .toFail([2])            // line 2 of the table the rule reports on (or 'placed_for_adoption:2')
//     .toPass([3, 4]);        // lines that are in the fixture and do not fail
//   .toFailNone() instead of toFail, for a second case in which nothing fails (a return under a rule's threshold)
//
// ssda903(tables): each table's rows as objects by DfE column ('' or absent = blank); row i is line i + 2, as
//   in a CSV with its header on line 1. Last year's tables are 'episodes_last' etc.; the Ofsted provider list is
//   'ofsted_providers' (staging.ts OFSTED_COLUMNS).
// cin(xml): <Child> elements as written in the census; the fragment's first line is file line 1 (the Message
//   and Header are put in front of it on that line), so the lines you count in the fragment are the lines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readCinCensus } from '../../src/ingest/cinCensus.ts';
import type { Ssda903Table } from '../../src/ingest/ssda903.ts';
import { registry } from '../../src/validate/registry.ts';
import { openStaging, runRule } from '../../src/validate/run.ts';
import { Stager } from '../../src/validate/staging.ts';
import type { Return, Rule } from '../../src/validate/types.ts';

type Row = Readonly<Record<string, string>>;
export type Ssda903Fixture = {
  return: 'ssda903';
  tables: Partial<Record<Ssda903Table | `${Ssda903Table}_last` | 'ofsted_providers', Row[]>> & { postcodes?: Row[]; own_la?: Row[] };
  year: number;
};
export type CinFixture = { return: 'cin'; xml: string; year: number };
export type Fixture = Ssda903Fixture | CinFixture;

export function ssda903(tables: Ssda903Fixture['tables'], year = 2024): Ssda903Fixture {
  return { return: 'ssda903', tables, year };
}

export function cin(xml: string, year = 2024): CinFixture {
  return { return: 'cin', xml, year };
}

/** An optional input staged as a table of text columns (the postcode lookup as --postcodes stages it; own_la as --la). */
async function stageTable(conn: DuckDBConnection, name: string, rows: Row[]): Promise<void> {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  await conn.run(`CREATE TABLE ${name} (${cols.map((c) => `"${c}" VARCHAR`).join(', ')})`);
  for (const r of rows) {
    await conn.run(`INSERT INTO ${name} VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, cols.map((c) => r[c] ?? null));
  }
}

function ruleOf(r: Return, code: string): Rule {
  const entry = registry(r).find((e) => e.dfe.code === code);
  if (!entry) throw new Error(`${code} is not a DfE ${r} rule`);
  if (entry.impl.kind !== 'sql') throw new Error(`${r} rule ${code} is ${entry.impl.kind}, not a validate SQL rule`);
  return entry.impl.rule;
}

/** Stages the fixture and runs the rule: failing 'table:line' keys and every staged 'table:line'. */
async function run(code: string, fixture: Fixture): Promise<{ failing: string[]; staged: Set<string> }> {
  const rule = ruleOf(fixture.return, code);
  const db = await openStaging(fixture.return, fixture.year);
  const stager = new Stager(db.conn, fixture.return);
  try {
    await stager.open();
    if (fixture.return === 'ssda903') {
      for (const [t, rows] of Object.entries(fixture.tables)) {
        if (t === 'postcodes' || t === 'own_la') continue;
        if (t === 'ofsted_providers') {
          rows!.forEach((row, i) => stager.append(t, `${t}.csv`, i + 2, row));
          continue;
        }
        const last = t.endsWith('_last');
        const table = t.replace(/_last$/, '') as Ssda903Table;
        rows!.forEach((row, i) => stager.ssda903Row(table, row, `${t}.csv`, i + 2, last));
      }
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'csc-rule-'));
      try {
        const path = join(dir, 'fixture.xml');
        const y = fixture.year;
        writeFileSync(path, `<?xml version="1.0" encoding="utf-8"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>${y + 1}</Year>` +
          `<ReferenceDate>${y + 1}-03-31</ReferenceDate></CollectionDetails></Header><Children>${fixture.xml}\n</Children></Message>\n`);
        await readCinCensus(path, { add: () => {}, finding: () => {} }, { onHeader: (h) => stager.cinHeader(h, 'fixture.xml'), onChild: (c) => stager.cinChild(c, 'fixture.xml') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    stager.close();
    if (fixture.return === 'ssda903' && fixture.tables.postcodes) await stageTable(db.conn, 'postcodes', fixture.tables.postcodes);
    if (fixture.return === 'ssda903' && fixture.tables.own_la) await stageTable(db.conn, 'own_la', fixture.tables.own_la);
    const findings = await runRule(db.conn, rule);
    const staged = new Set<string>();
    for (const t of Object.keys(stager.counts)) {
      const rows = (await db.conn.runAndReadAll(`SELECT line FROM "${t}"`)).getRowObjectsJS() as { line: number }[];
      for (const r of rows) staged.add(`${t}:${r.line}`);
    }
    return { failing: [...new Set(findings.map((f) => `${f.table}:${f.line}`))].sort(), staged };
  } finally {
    db.close();
  }
}

class RuleExpectation implements PromiseLike<void> {
  private failing: (number | string)[] | null = null;
  private noneFails = false;
  private passing: (number | string)[] | null = null;

  constructor(private code: string, private fixture: Fixture) {}

  /** Exactly these lines fail (a number is a line of the table the rule reports on; 'table:line' names the table). */
  toFail(lines: (number | string)[]): this {
    this.failing = lines;
    return this;
  }

  /**
   * No line fails: for a second case of a rule already proved failing (e.g. a return-level rule whose threshold the
   * return does not cross). The test of the rule still needs a toFail([...]) case elsewhere.
   */
  toFailNone(): this {
    this.failing = [];
    this.noneFails = true;
    return this;
  }

  /** These lines are in the fixture and do not fail. */
  toPass(lines: (number | string)[]): this {
    this.passing = lines;
    return this;
  }

  private async check(): Promise<void> {
    if ((!this.failing?.length && !this.noneFails) || !this.passing?.length) {
      throw new Error(`the worked test of rule ${this.code} must prove a failing case and a passing case: give toFail([...]) and toPass([...])`);
    }
    const rule = ruleOf(this.fixture.return, this.code);
    const key = (l: number | string) => (typeof l === 'number' ? `${rule.tables[0]}:${l}` : l);
    const { failing, staged } = await run(this.code, this.fixture);
    expect(failing, `rule ${this.code}: the lines that fail`).toEqual((this.failing ?? []).map(key).sort());
    for (const l of this.passing.map(key)) {
      expect(staged.has(l), `rule ${this.code}: ${l} is a line of the fixture`).toBe(true);
      expect(failing, `rule ${this.code}: ${l} passes`).not.toContain(l);
    }
  }

  then<A = void, B = never>(resolve?: ((v: void) => A | PromiseLike<A>) | null, reject?: ((e: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    return this.check().then(resolve, reject);
  }
}

/** A rule's worked test: `await expectRule(code, fixture).toFail([...]).toPass([...])`. */
export function expectRule(code: string, fixture: Fixture): RuleExpectation {
  return new RuleExpectation(code, fixture);
}
