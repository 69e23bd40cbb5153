// The committee report: front matter, a summary of key messages, "good and improved performance" and
// "areas for further improvement" chosen from the judgements by fixed rules (not by hand), one section per
// theme with SPC charts, a table, benchmark comparisons, the generated narrative and the analyst's
// commentary, and an appendix of definitions. HTML with print CSS; pdf.ts turns it into a PDF. The LA sets
// its name, committee, author, logo, colours and sections in config/report.json.
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import nunjucks from 'nunjucks';
import type { Store } from '../store.ts';
import { formatValue } from '../engine.ts';
import type { JudgedLine, JudgedScorecard } from '../judge/scorecard.ts';
import { THEMES, type Theme } from '../indicators/types.ts';
import { spcWords } from '../scorecardText.ts';
import { spcChart } from '../server/charts.ts';
import { monthName } from '../server/views.ts';
import { publicFigures, anySuppressed } from './public.ts';

const SECTIONS = ['front', 'summary', 'good', 'improvement', 'themes', 'appendix'] as const;
const ReportConfig = z.object({
  $comment: z.string().optional(),
  authority: z.string().min(1),
  committee: z.string().min(1),
  author: z.string().min(1),
  logo: z.string().nullable(),
  colours: z.object({ primary: z.string().regex(/^#[0-9a-fA-F]{6}$/), text: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
  sections: z.array(z.enum(SECTIONS)).min(1),
}).strict();
export type ReportConfig = z.infer<typeof ReportConfig>;

export const DEFAULT_REPORT_CONFIG: ReportConfig = {
  authority: 'Children\'s services', committee: 'Scrutiny committee', author: 'Performance team', logo: null,
  colours: { primary: '#1d70b8', text: '#0b0c0c' }, sections: [...SECTIONS],
};

/** Reads config/report.json (missing → defaults); errors name the file and the field. */
export function readReportConfig(path = 'config/report.json'): ReportConfig {
  if (!existsSync(path)) return DEFAULT_REPORT_CONFIG;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ReportConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: field '${issue.path.map(String).join('.') || '(top level)'}': ${issue.message}`);
  }
  if (parsed.data.logo && !existsSync(parsed.data.logo)) throw new Error(`${path}: field 'logo': no file at ${parsed.data.logo}`);
  return parsed.data;
}

export interface ReportOptions {
  readonly config?: ReportConfig;
  /** the date on the front page (default: today) */
  readonly date?: string;
  /** the public version: small numbers suppressed, no child-level data */
  readonly public?: boolean;
  /** for the public version: each figure as shown (default: publicFigures of the scorecard) */
  readonly shown?: ReadonlyMap<string, number | 'c'>;
}

export interface Highlight {
  readonly id: string;
  readonly title: string;
  readonly value: string;
  /** why it was chosen, in words */
  readonly why: string;
}

/**
 * Good and improved performance: rated green, or the latest month part of an improving special cause, or
 * better than England by more than the tolerance. Areas for further improvement: rated red, or a concerning
 * special cause, or worse than England. Indicators without polarity are in neither list. Most signals first.
 */
export function chooseHighlights(lines: readonly JudgedLine[]): { good: Highlight[]; improvement: Highlight[] } {
  const good: (Highlight & { weight: number })[] = [];
  const improvement: (Highlight & { weight: number })[] = [];
  for (const l of lines) {
    if (l.indicator.polarity === 'neither') continue;
    const value = formatValue(l.indicator, l.month.value);
    const variation = l.spc.status === 'ok' ? l.spc.variation.icon : 'common-cause';
    const england = l.benchmark?.comparisons.england ?? null;
    const goodWhy: string[] = [], badWhy: string[] = [];
    if (l.judgement.rag === 'green') goodWhy.push(l.judgement.rule);
    if (l.judgement.rag === 'red') badWhy.push(l.judgement.rule);
    if (variation.startsWith('improvement') && l.spc.status === 'ok') goodWhy.push(`Improving: ${l.spc.variation.reason}`);
    if (variation.startsWith('concern') && l.spc.status === 'ok') badWhy.push(`Concern: ${l.spc.variation.reason}`);
    // benchmarks compare the rolling 12 months for events, the month's end for stocks: say which figure
    const compared = l.indicator.measure === 'flow' && l.rolling12
      ? `Over the last 12 months (${formatValue(l.indicator, l.rolling12.value)}), ${england}.` : england && `${england[0].toUpperCase()}${england.slice(1)}.`;
    if (england?.startsWith('better')) goodWhy.push(compared!);
    if (england?.startsWith('worse')) badWhy.push(compared!);
    if (goodWhy.length && !badWhy.length) good.push({ id: l.indicator.id, title: l.indicator.title, value, why: goodWhy.join(' '), weight: goodWhy.length });
    if (badWhy.length) improvement.push({ id: l.indicator.id, title: l.indicator.title, value, why: badWhy.join(' '), weight: badWhy.length });
  }
  const order = (a: { weight: number }, b: { weight: number }) => b.weight - a.weight;
  const strip = ({ weight: _w, ...h }: Highlight & { weight: number }): Highlight => h;
  return { good: good.sort(order).map(strip), improvement: improvement.sort(order).map(strip) };
}

/** The latest commentary per indicator for the month. */
async function commentaryFor(store: Store, month: string): Promise<Map<string, { text: string; author: string; written_at: string }>> {
  const rows = await store.query<{ indicator_id: string; text: string; author: string; written_at: string }>(
    `SELECT indicator_id, text, author, CAST(written_at AS VARCHAR) AS written_at FROM commentary WHERE period = ?
     QUALIFY row_number() OVER (PARTITION BY indicator_id ORDER BY written_at DESC) = 1`, [month]);
  return new Map(rows.map((r) => [r.indicator_id, r]));
}

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(new URL('./views', import.meta.url).pathname), { autoescape: true });

/** The committee report as one self-contained HTML document (charts inline as SVG, logo inline). */
export async function committeeReportHtml(store: Store, judged: JudgedScorecard, options: ReportOptions = {}): Promise<string> {
  const config = options.config ?? readReportConfig();
  const commentary = options.public ? new Map() : await commentaryFor(store, judged.month);
  const shown = options.public ? options.shown ?? publicFigures(judged.lines) : null;
  const show = (l: JudgedLine, which: 'month' | 'ytd' | 'rolling12'): string => {
    const f = which === 'month' ? l.month : which === 'ytd' ? l.ytd : l.rolling12;
    if (!f) return '';
    const p = shown?.get(`${l.indicator.id}|${which}`);
    return p === 'c' ? 'c' : formatValue(l.indicator, f.value);
  };
  const lines = judged.lines;
  const highlights = chooseHighlights(lines.filter((l) => !shown || !anySuppressed(shown, l.indicator.id)));
  const themes = await Promise.all((Object.entries(THEMES) as [Theme, string][]).map(async ([theme, heading]) => {
    const these = lines.filter((l) => l.indicator.theme === theme);
    const charted = these.filter((l) => l.indicator.polarity !== 'neither');
    return {
      theme, heading,
      rows: these.map((l) => ({
        id: l.indicator.id, title: l.indicator.title, month: show(l, 'month'), ytd: show(l, 'ytd'), r12: show(l, 'rolling12'),
        target: l.target ? formatValue(l.indicator, l.target.target) : '', rag: l.judgement.rag,
        england: l.benchmark?.england ? formatValue(l.indicator, l.benchmark.england.value) : '',
      })),
      items: await Promise.all(charted.map(async (l) => ({
        id: l.indicator.id, title: l.indicator.title,
        chart: shown && anySuppressed(shown, l.indicator.id) ? null
          : await spcChart(l.trend, l.spc, { title: l.indicator.title, target: l.target?.target ?? null, unit: l.indicator.unit === 'percent' ? '%' : l.indicator.unit, width: 560, height: 200 }),
        // the narrative quotes this and earlier months: left out where any of them is suppressed
        narrative: shown && anySuppressed(shown, l.indicator.id) ? 'Some figures for this indicator are too small to publish (shown as c).' : l.narrative.paragraph,
        benchmark: shown && anySuppressed(shown, l.indicator.id) ? null : l.benchmark?.sentence ?? null,
        spc: spcWords(l.spc), rag: l.judgement.rag,
        ragRule: shown && anySuppressed(shown, l.indicator.id) ? '' : l.judgement.rule,
        commentary: commentary.get(l.indicator.id) ?? null,
      }))),
    };
  }));
  const rated = lines.filter((l) => l.judgement.rag);
  const count = (r: string) => rated.filter((l) => l.judgement.rag === r).length;
  return env.render('committee.njk', {
    config, month: judged.month, monthName: monthName(judged.month), team: judged.team, public: options.public ?? false,
    date: options.date ?? new Date().toISOString().slice(0, 10),
    logo: config.logo ? dataUri(config.logo) : null,
    summary: { indicators: lines.length, rated: rated.length, green: count('green'), amber: count('amber'), red: count('red') },
    highlights, themes: themes.filter((t) => t.rows.length > 0),
    definitions: lines.map((l) => ({ id: l.indicator.id, title: l.indicator.title, definition: l.indicator.definition, source: l.indicator.source })),
    sections: new Set(config.sections),
  });
}

function dataUri(path: string): string {
  const type = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml' }[extname(path).toLowerCase()] ?? 'application/octet-stream';
  return `data:${type};base64,${readFileSync(path).toString('base64')}`;
}
