// Charts as SVG, drawn on the server from Vega-Lite: the same renderer serves the web pages, the HTML
// report and the PDF. Colour is never the only signal: points flagged by SPC rules are also drawn as a
// different shape, and every chart has a title and a text description for screen readers.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { Figure } from '../engine.ts';
import type { SpcResult } from '../judge/spc.ts';

/** Renders a Vega-Lite spec to an SVG string (no browser, no canvas: text is measured by estimate). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const BLUE = '#1d70b8', GREY = '#505a5f', ORANGE = '#f47738', TARGET = '#00703c';

/**
 * The SPC (XmR) chart of a monthly series: the values, the mean and process limits, the target line,
 * and the points flagged by a special-cause rule (orange diamonds, with the rule in the tooltip text).
 */
export async function spcChart(
  series: readonly Figure[], result: SpcResult, options: { title: string; target?: number | null; unit: string; width?: number; height?: number },
): Promise<string> {
  const flagged = new Set<number>();
  if (result.status === 'ok') result.points.forEach((p, i) => { if (p.rules.length) flagged.add(i); });
  const values = series.map((f, i) => ({
    month: f.period, value: f.value, flagged: flagged.has(i) ? 'special cause' : 'common cause',
    mean: result.status === 'ok' ? result.limits.mean : null,
    upper: result.status === 'ok' ? result.limits.upperProcessLimit : null,
    lower: result.status === 'ok' ? result.limits.lowerProcessLimit : null,
    target: options.target ?? null,
  }));
  const x = { field: 'month', type: 'ordinal' as const, title: null, axis: { labelAngle: -45 } };
  const layers: object[] = [
    { mark: { type: 'line', color: BLUE }, encoding: { x, y: { field: 'value', type: 'quantitative', title: options.unit, scale: { zero: false } } } },
    {
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x, y: { field: 'value', type: 'quantitative' },
        shape: { field: 'flagged', type: 'nominal', scale: { domain: ['common cause', 'special cause'], range: ['circle', 'diamond'] }, legend: { title: null, orient: 'bottom' } },
        // the same legend as the shape, so Vega-Lite draws one legend with shape and colour together
        color: { field: 'flagged', type: 'nominal', scale: { domain: ['common cause', 'special cause'], range: [BLUE, ORANGE] }, legend: { title: null, orient: 'bottom' } },
      },
    },
  ];
  if (result.status === 'ok') {
    layers.push(
      { mark: { type: 'rule', color: GREY }, encoding: { y: { field: 'mean', aggregate: 'max', type: 'quantitative' } } },
      { mark: { type: 'rule', color: GREY, strokeDash: [4, 4] }, encoding: { y: { field: 'upper', aggregate: 'max', type: 'quantitative' } } },
      { mark: { type: 'rule', color: GREY, strokeDash: [4, 4] }, encoding: { y: { field: 'lower', aggregate: 'max', type: 'quantitative' } } },
    );
  }
  if (options.target !== null && options.target !== undefined) {
    layers.push({ mark: { type: 'rule', color: TARGET, strokeDash: [8, 2], strokeWidth: 2 }, encoding: { y: { field: 'target', aggregate: 'max', type: 'quantitative' } } });
  }
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    description: `${options.title}: monthly values${result.status === 'ok' ? ', with the mean and process limits' : ''}${options.target !== null && options.target !== undefined ? ' and the target' : ''}.`,
    width: options.width ?? 640, height: options.height ?? 260,
    data: { values },
    layer: layers,
  } as TopLevelSpec);
}

/** A small trend line for a scorecard row (decorative: the row shows the figures in text too). */
export async function sparklineSvg(series: readonly Figure[]): Promise<string> {
  return renderSvg({
    width: 110, height: 24, padding: 2, config: { view: { stroke: null } },
    data: { values: series.map((f) => ({ month: f.period, value: f.value })) },
    mark: { type: 'line', color: BLUE },
    encoding: {
      x: { field: 'month', type: 'ordinal', axis: null },
      y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false } },
    },
  } as TopLevelSpec);
}
