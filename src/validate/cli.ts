// `csc validate --ruleset cin2024_25|lac2024_25 FILE…`: the thin shell over validate() and the report.
import { RULESETS, type Ruleset } from './catalogue.ts';
import { formatReport, writeCsvReport, writeXlsxReport } from './report.ts';
import { validate } from './run.ts';

export interface RulesetCliOptions {
  ruleset: string;
  lastYear?: string[];
  postcodes?: string;
  ofstedProviders?: string;
  la?: string;
  out?: string;
  json?: boolean;
}

/** Runs the rule set, prints the summary (or JSON), writes --out; returns the exit code (1 when any rule failed). */
export async function validateRuleset(files: string[], o: RulesetCliOptions): Promise<number> {
  if (!(o.ruleset in RULESETS)) {
    console.error(`--ruleset ${o.ruleset}: not a rule set; use ${Object.keys(RULESETS).join(' or ')}`);
    return 2;
  }
  if (o.out && !/\.(xlsx|csv)$/i.test(o.out)) {
    console.error(`--out ${o.out}: name a .xlsx or .csv file`);
    return 2;
  }
  const result = await validate(files, {
    ruleset: o.ruleset as Ruleset, lastYear: o.lastYear, postcodes: o.postcodes, ofstedProviders: o.ofstedProviders, localAuthority: o.la,
  });
  if (o.json) console.log(JSON.stringify(result, null, 2));
  else console.log(formatReport(result));
  if (o.out) {
    if (/\.xlsx$/i.test(o.out)) {
      await writeXlsxReport(result, o.out);
      if (!o.json) console.log(`Report written to ${o.out}`);
    } else {
      const paths = writeCsvReport(result, o.out);
      if (!o.json) console.log(`Report written to ${paths.join(' and ')}`);
    }
  }
  return result.findings.length > 0 || result.files.some((f) => f.status === 'rejected') ? 1 : 0;
}
