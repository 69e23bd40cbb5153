// Prints the declaration of a DfE rule, with DfE's code, message and fields, ready to paste into its family file,
// and the shape of its worked test:  npx tsx src/validate/scaffold.ts ssda903 1003
import { dfeRule, type Return } from './catalogue.ts';
import { neededInput } from './registry.ts';

const [r, code] = process.argv.slice(2) as [Return, string];
if (!code || (r !== 'cin' && r !== 'ssda903')) {
  console.error('usage: npx tsx src/validate/scaffold.ts cin|ssda903 CODE');
  process.exit(2);
}
const d = dfeRule(r, code);
const needs = neededInput(d);
const tables = d.tables.map((t) => t.toLowerCase().replace(/^placedadoption/, 'placed_for_adoption').replace(/^prevperm/, 'previous_permanence')
  .replace(/^swepisodes/, 'sw_episodes'));
console.log(`  {
    code: ${JSON.stringify(d.code)}, return: '${r}', severity: 'error',${needs ? ` needs: '${needs}',` : ''}
    message: ${JSON.stringify(d.message)},
    fields: ${JSON.stringify(d.fields)}, tables: ${JSON.stringify(r === 'cin' ? ['TODO: staged tables, see staging.ts'] : tables)},
    sql: \`SELECT file, line, ${r === 'cin' ? 'LAchildID' : 'CHILD'} AS child_id, '${d.fields[0] ?? ''}' AS field, … AS value
          FROM … WHERE …\`,
  },

  it('${d.code}: … fails; … passes', async () => {
    await expectRule('${d.code}', ${r === 'cin' ? 'cin(`<Child>…</Child>`)' : 'ssda903({ … })'}).toFail([…]).toPass([…]);
  });`);
