// Nunjucks with the GOV.UK Frontend templates and macros, and the filters our pages use.
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { formatValue } from '../engine.ts';
import { MONTH_NAMES, monthName } from '../periods.ts';
import type { Indicator } from '../indicators/types.ts';

const require = createRequire(import.meta.url);
/** node_modules/govuk-frontend/dist: holds govuk/template.njk, govuk/components/… and govuk/assets. */
export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'views');

export function viewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('value', (v: number | null, ind: Pick<Indicator, 'unit'>) => formatValue(ind, v));
  env.addFilter('thousands', (v: number | null) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-GB')));
  env.addFilter('monthName', (ym: string) => monthName(ym));
  env.addFilter('dateUk', (iso: string | null) => dateUk(iso));
  return env;
}

export { monthName };

/** '2025-01-31' → '31 January 2025' (GOV.UK style); timestamps keep the time. */
export function dateUk(iso: string | null): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}${m[4] ? `, ${m[4]}` : ''}`;
}
