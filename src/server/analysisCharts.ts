// Charts for the analyses pages, as Vega-Lite specs drawn to SVG on the server by charts.ts's renderer.
// Every chart has a title and a description for screen readers, and its figures are in a table beside it.
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './charts.ts';
import type { Journeys } from '../analyses/journeys.ts';
import type { DisproportionalityRow } from '../analyses/disproportionality.ts';
import type { Forecast } from '../analyses/forecast.ts';

const BLUE = '#1d70b8', GREY = '#505a5f', LIGHT = '#b1b4b6', RED = '#d4351c', GREEN = '#00703c';

/** Children reaching each stage of the journey, as horizontal bars in the statutory order. */
export function journeyStagesChart(j: Journeys): Promise<string> {
  const stages = j.nodes.filter((n) => n.kind === 'stage');
  return renderSvg({
    title: `Children reaching each stage, of ${j.cohort} with a contact in ${j.period}`,
    description: stages.map((n) => `${n.node}: ${n.children}`).join('; '),
    width: 520, height: 24 * stages.length,
    data: { values: stages.map((n, i) => ({ stage: n.node, children: n.children, order: i, label: `${n.children} (${n.percentOfCohort.toFixed(1)}%)` })) },
    layer: [
      { mark: { type: 'bar', color: BLUE } },
      { mark: { type: 'text', align: 'left', dx: 4, color: GREY }, encoding: { text: { field: 'label' } } },
    ],
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: stages.map((n) => n.node), title: null },
      x: { field: 'children', type: 'quantitative', title: 'children' },
    },
  } as TopLevelSpec);
}

/** Rate ratios with their 95% intervals on a log scale, a line at 1; flagged groups in colour and shape. */
export function ratioChart(rows: readonly DisproportionalityRow[], title: string): Promise<string> {
  const values = rows.filter((r) => r.ratio !== null).map((r) => ({
    group: `${r.group}`, ratio: r.ratio, lower: r.lower, upper: r.upper,
    flag: r.flag === 'over' ? 'over-represented' : r.flag === 'under' ? 'under-represented' : 'no significant difference',
  }));
  return renderSvg({
    title, description: values.map((v) => `${v.group}: ${v.ratio!.toFixed(2)} (${v.lower!.toFixed(2)} to ${v.upper!.toFixed(2)}), ${v.flag}`).join('; '),
    width: 480, height: Math.max(60, 22 * values.length),
    data: { values },
    layer: [
      { mark: { type: 'rule', color: GREY }, encoding: { x: { field: 'lower', type: 'quantitative', scale: { type: 'log' }, title: 'rate ratio (log scale)' }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'ratio', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'flag', type: 'nominal', scale: { domain: ['over-represented', 'under-represented', 'no significant difference'], range: [RED, GREEN, BLUE] }, title: null },
          shape: { field: 'flag', type: 'nominal', scale: { domain: ['over-represented', 'under-represented', 'no significant difference'], range: ['triangle-up', 'triangle-down', 'circle'] }, title: null },
        },
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: LIGHT, strokeDash: [4, 3] }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
    encoding: { y: { field: 'group', type: 'nominal', title: null } },
  } as TopLevelSpec);
}

/** The looked-after history and the projection with its 95% band. */
export function forecastChart(f: Forecast): Promise<string> {
  const history = f.history.map((h) => ({ month: `${h.month}-01`, value: h.total, series: 'looked after (actual)' }));
  const projected = [
    { month: `${f.history[f.history.length - 1].month}-01`, value: f.history[f.history.length - 1].total, lower: f.history[f.history.length - 1].total, upper: f.history[f.history.length - 1].total },
    ...f.months.map((m) => ({ month: `${m.month}-01`, value: m.total.mean, lower: m.total.lower, upper: m.total.upper })),
  ].map((p) => ({ ...p, series: 'projected' }));
  return renderSvg({
    title: `Children looked after: actual to ${f.jumpOff}, projected ${f.horizon} months with a 95% band`,
    description: `Actual at ${f.jumpOff}: ${f.history[f.history.length - 1].total}. Projected at ${f.months[f.months.length - 1].month}: ${f.months[f.months.length - 1].total.mean.toFixed(0)} (${f.months[f.months.length - 1].total.lower} to ${f.months[f.months.length - 1].total.upper}).`,
    width: 560, height: 240,
    layer: [
      { data: { values: projected }, mark: { type: 'area', color: BLUE, opacity: 0.15 }, encoding: { x: { field: 'month', type: 'temporal', title: null }, y: { field: 'lower', type: 'quantitative', title: 'children', scale: { zero: false } }, y2: { field: 'upper' } } },
      { data: { values: projected }, mark: { type: 'line', color: BLUE, strokeDash: [6, 3] }, encoding: { x: { field: 'month', type: 'temporal' }, y: { field: 'value', type: 'quantitative' } } },
      { data: { values: history }, mark: { type: 'line', color: GREY, point: true }, encoding: { x: { field: 'month', type: 'temporal' }, y: { field: 'value', type: 'quantitative' } } },
    ],
  } as TopLevelSpec);
}
