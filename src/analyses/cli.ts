// `csc analyse journeys|disproportionality|drift|distance|forecast|import-postcodes|import-population`.
// Wired into cli.ts with: registerAnalysisCommands(program, () => Store.open(program.opts().db));
// Each command is a thin shell over its module; --json prints what the module returns, --csv its rows.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { Store } from '../store.ts';
import { addMonths } from '../calendar.ts';
import { financialQuarter, month, parsePeriod, previousMonths, type Period } from '../periods.ts';
import { formatTable } from '../format.ts';
import { tableOrCsv } from '../scorecardText.ts';
import { formatValue } from '../engine.ts';
import { importGroupPopulation, importPostcodes } from './reference.ts';
import { journeys, journeyChildren, type JourneySelection } from './journeys.ts';
import { DIMENSIONS, disproportionality, type Dimension } from './disproportionality.ts';
import { DRIFT_RULES, drift } from './drift.ts';
import { placementDistance } from './distance.ts';
import { backtest, forecast, parseScenario } from './forecast.ts';

function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not '${value}'`);
    return n;
  };
}

function period(value: string): Period {
  try { return parsePeriod(value); } catch (err) { throw new InvalidArgumentError((err as Error).message); }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const pct = (n: number | null, digits = 1): string => (n === null ? '' : `${n.toFixed(digits)}%`);

async function lastDay(store: Store): Promise<string> {
  const { last } = await store.dataRange();
  if (!last) throw new Error('nothing is loaded yet: load the returns first (csc load FILE…)');
  return last;
}

/** The reporting-year quarter holding a date. */
function quarterOf(date: string): Period {
  const y = Number(date.slice(0, 4)), m = Number(date.slice(5, 7));
  return financialQuarter(m >= 4 ? y : y - 1, Math.floor(((m + 8) % 12) / 3) + 1);
}

/** The last whole month of the data (the data's month when it ends on a month end). */
async function lastMonth(store: Store): Promise<string> {
  const last = await lastDay(store);
  const m = month(last.slice(0, 7));
  return m.end === last ? m.label : addMonths(`${last.slice(0, 7)}-01`, -1).slice(0, 7);
}

function print(o: { json?: boolean; csv?: boolean }, json: unknown, rows: Record<string, unknown>[], text?: () => string): void {
  if (o.json) console.log(JSON.stringify(json, null, 2));
  else if (o.csv) process.stdout.write(tableOrCsv(rows, true));
  else console.log(text ? text() : formatTable(rows));
}

export function registerAnalysisCommands(program: Command, openStore: () => Promise<Store>): void {
  const analyse = program.command('analyse').description('analyses beyond the scorecard: journeys, disproportionality, drift, placement distance, forecast');
  const withStore = async (fn: (store: Store) => Promise<void>) => {
    const store = await openStore();
    try { await fn(store); } finally { store.close(); }
  };

  analyse
    .command('import-postcodes')
    .description('import a postcode centroid file in the ONS Postcode Directory layout (pcds or pcd, lat, long, oslaua), replacing the one before')
    .argument('<file>')
    .action(async (file: string) => withStore(async (store) => {
      const r = await importPostcodes(store, file, process.env.USER ?? null);
      console.log(`${r.file}: ${r.rows} postcodes imported, ${r.skipped} rows skipped (no grid reference or no postcode). Columns read: ${Object.entries(r.columns).map(([k, v]) => `${v} as ${k}`).join(', ')}.`);
    }));

  analyse
    .command('import-population')
    .description('import the child population by ethnic_group, sex, age_band, disabled (count; optional la_code, year), replacing the one before')
    .argument('<file>')
    .action(async (file: string) => withStore(async (store) => {
      const r = await importGroupPopulation(store, file, process.env.USER ?? null);
      console.log(`${r.file}: ${r.rows} rows imported, ${r.skipped} skipped (no count). Columns read: ${Object.entries(r.columns).map(([k, v]) => `${v} as ${k}`).join(', ')}.`);
    }));

  analyse
    .command('journeys')
    .description('children with a contact in a period followed through referral, assessment, S47, ICPC, plans and care: stages, flows, commonest journeys')
    .option('--period <period>', 'contacts received in this period (default: the quarter 12 months before the data end, so every child is followed for a year)', period)
    .option('--follow-months <n>', 'months each child is followed', wholeNumber('--follow-months', 1, 60), 12)
    .option('--team <name>').option('--age-band <band>').option('--ethnicity <group>')
    .option('--children', 'list the children (with --node, or --from and --to, only those)')
    .option('--node <stage>', 'with --children: those reaching this stage or outcome')
    .option('--from <stage>').option('--to <stage>')
    .option('--json', 'as JSON').option('--csv', 'as CSV')
    .action(async (o) => withStore(async (store) => {
      const p: Period = o.period ?? quarterOf(addMonths(await lastDay(store), -12));
      const opts = { period: p, followMonths: o.followMonths, team: o.team, ageBand: o.ageBand, ethnicity: o.ethnicity };
      if (o.children) {
        const sel: JourneySelection | undefined = o.node ? { node: o.node } : o.from && o.to ? { from: o.from, to: o.to } : undefined;
        const rows = await journeyChildren(store, opts, sel);
        print(o, rows, rows as unknown as Record<string, unknown>[]);
        return;
      }
      const j = await journeys(store, opts);
      print(o, j, j.links.map((l) => ({ from: l.from, to: l.to, children: l.children, percent_of_from: Number(l.percentOfFrom.toFixed(1)) })), () => [
        `Children with a contact in ${j.period}: ${j.cohort}, followed ${j.followMonths} months (data to ${j.dataEnd}; ${j.fullyFollowed} followed for the whole window).`,
        '', formatTable(j.nodes.map((n) => ({ stage: n.node, kind: n.kind, children: n.children, 'of cohort': pct(n.percentOfCohort) }))),
        '', 'Flows:', formatTable(j.links.map((l) => ({ from: l.from, to: l.to, children: l.children, 'of from': pct(l.percentOfFrom) }))),
        '', 'Commonest journeys:', formatTable(j.patterns.slice(0, 10).map((x) => ({ journey: x.stages.join(' → '), outcome: x.outcome, children: x.children, share: pct(x.percent) }))),
      ].join('\n'));
    }));

  analyse
    .command('disproportionality')
    .description('each ethnic group, sex, age band and disability at each stage against the child population: rate ratios with 95% intervals')
    .option('--period <period>', 'the period (default: the 12 months to the data end)', period)
    .option('--dimension <d>', `one of ${DIMENSIONS.join(', ')}`)
    .option('--stage <stage>', 'one stage (Contact, Referral, Section 47 enquiry, CP plan started, Looked after, Looked after: <placement>)')
    .option('--flagged', 'only groups significantly over- or under-represented')
    .option('--json', 'as JSON').option('--csv', 'as CSV')
    .action(async (o) => withStore(async (store) => {
      if (o.dimension && !DIMENSIONS.includes(o.dimension)) throw new InvalidArgumentError(`--dimension is one of ${DIMENSIONS.join(', ')}`);
      const p: Period = o.period ?? parsePeriod(`${await lastMonth(store)} R12`);
      const d = await disproportionality(store, p);
      const rows = d.rows.filter((r) => (!o.dimension || r.dimension === (o.dimension as Dimension)) && (!o.stage || r.stage === o.stage)
        && (!o.flagged || r.flag === 'over' || r.flag === 'under'));
      const table = rows.map((r) => ({
        stage: r.stage, dimension: r.dimension, group: r.group, children: r.children, population: r.population,
        'per 10,000': Number(r.ratePer10k.toFixed(1)), ratio: r.ratio === null ? '' : r.ratio.toFixed(2),
        '95% CI': r.lower === null ? '' : `${r.lower.toFixed(2)}–${r.upper!.toFixed(2)}`, flag: r.flag,
      }));
      print(o, { ...d, rows }, table, () => [
        `Disproportionality, ${d.period} (population ${d.populationYear ?? 'of unknown year'}; rate ratio against all other children, 95% log interval):`,
        formatTable(table),
        d.missingDimensions.length ? `\nThe population gives no ${d.missingDimensions.join(' or ')}: no ratios for them.` : '',
        d.excluded.length ? `\nLeft out (group not known or not in the population, or not aged 0–17): ${d.excluded.map((e) => `${e.stage}/${e.dimension} ${e.children}`).join('; ')}.` : '',
      ].join('\n'));
    }));

  analyse
    .command('drift')
    .description(`children whose cases stay open without progress: ${DRIFT_RULES.map((r) => r.id).join(', ')}`)
    .option('--at <date>', 'as at this date (default: the end of the data)')
    .option('--rule <id>', 'only this rule (repeatable)', collect)
    .option('--team <name>')
    .option('--json', 'as JSON').option('--csv', 'as CSV')
    .action(async (o) => withStore(async (store) => {
      const at = o.at ?? await lastDay(store);
      const rows = await drift(store, { asAt: at, rules: o.rule, team: o.team });
      print(o, { at, rules: DRIFT_RULES.map(({ id, title, description }) => ({ id, title, description })), rows }, rows as unknown as Record<string, unknown>[], () => {
        const counts = DRIFT_RULES.map((r) => `${r.title}: ${rows.filter((x) => x.rule === r.id).length}`);
        return [`Drift as at ${at}:`, ...counts.map((c) => `  ${c}`), '', formatTable(rows.map((r) => ({
          rule: r.rule, child: r.child_id, team: r.team ?? '', worker: r.worker ?? '', since: r.drift_since, days: r.days_drifting, detail: r.detail,
        })))].join('\n');
      });
    }));

  analyse
    .command('distance')
    .description('how far from home children looked after are placed: outside the authority, over 20 miles, average miles')
    .option('--month <YYYY-MM>', 'children looked after at this month end (default: the last whole month of data)')
    .option('--authority <codes>', 'ONS LA district codes inside the authority, comma-separated (default: the commonest of the home postcodes)')
    .option('--children', 'every child, with the postcodes and distance')
    .option('--json', 'as JSON').option('--csv', 'as CSV')
    .action(async (o) => withStore(async (store) => {
      const m = month(o.month ?? await lastMonth(store));
      const d = await placementDistance(store, m, { authorityCodes: o.authority?.split(',').map((s: string) => s.trim()), trend: previousMonths(m, 13) });
      if (o.children) { print(o, d.children, d.children as unknown as Record<string, unknown>[]); return; }
      const table = d.figures.map((f) => ({
        indicator: f.indicator.title, value: formatValue(f.indicator, f.figure.value), numerator: Number(f.figure.numerator.toFixed(1)), denominator: f.figure.denominator ?? '',
        RAG: f.judgement.rag?.toUpperCase() ?? '', rule: f.judgement.rule,
      }));
      const unknown = d.children.filter((c) => c.not_known !== null).length;
      print(o, { ...d, figures: d.figures.map((f) => ({ id: f.indicator.id, title: f.indicator.title, figure: f.figure, judgement: f.judgement, trend: f.trend })) }, table, () =>
        `Placement distance at ${m.end} (authority: ${d.authorityCodes.join(', ') || 'unknown'}):\n${formatTable(table)}\n${unknown} of ${d.children.length} children could not be measured (postcode missing or not in the centroid file).`);
    }));

  analyse
    .command('forecast')
    .description('projection of the looked-after population by age band and placement group, with a 95% band, scenarios and costs')
    .option('--jump-off <YYYY-MM>', 'the last month of history used (default: the last whole month of data)')
    .option('--horizon <months>', 'months projected (12 to 36; a back-test, 1 to 36)', wholeNumber('--horizon', 1, 36), 24)
    .option('--fit-months <n>', 'month-to-month steps the model is fitted on', wholeNumber('--fit-months', 3, 120), 24)
    .option('--scenario <spec>', "e.g. 'entries:13+:-10%' or 'shift:Independent fostering agency>In-house fostering:10%' (repeatable)", collect)
    .option('--costs <file>', 'JSON of weekly unit costs (£) by placement group, e.g. {"In-house fostering": 550, "Residential": 6000}')
    .option('--simulations <n>', 'Monte Carlo runs for the band', wholeNumber('--simulations', 100, 100000), 1000)
    .option('--backtest', 'instead: fit to the jump-off, project the horizon and compare with what happened (MAPE)')
    .option('--json', 'as JSON').option('--csv', 'as CSV')
    .action(async (o) => withStore(async (store) => {
      const jumpOff: string = o.jumpOff ?? await lastMonth(store);
      if (o.backtest) {
        const bt = await backtest(store, { jumpOff, horizon: o.horizon, fitMonths: o.fitMonths, simulations: o.simulations });
        const rows = bt.months.map((m) => ({ month: m.month, forecast: Number(m.forecast.toFixed(1)), lower: m.lower, upper: m.upper, actual: m.actual, 'error %': Number(m.absolutePercentError.toFixed(1)) }));
        print(o, bt, rows, () => `Back-test from ${jumpOff} (fitted on ${bt.fitMonths} months): MAPE ${bt.mape.toFixed(1)}%, actual inside the 95% band in ${(100 * bt.coverage).toFixed(0)}% of months.\n${formatTable(rows)}`);
        return;
      }
      if (o.horizon < 12) throw new InvalidArgumentError('a forecast projects 12 to 36 months (--horizon)');
      const unitCosts = o.costs ? JSON.parse(readFileSync(o.costs, 'utf8')) as Record<string, number> : undefined;
      const fc = await forecast(store, { jumpOff, horizon: o.horizon, fitMonths: o.fitMonths, scenarios: (o.scenario ?? []).map(parseScenario), unitCosts, simulations: o.simulations });
      const rows = fc.months.map((m) => ({
        month: m.month, projected: Number(m.total.mean.toFixed(1)), lower: m.total.lower, upper: m.total.upper,
        ...Object.fromEntries(Object.entries(m.byAgeBand).map(([k, b]) => [k, Number(b.mean.toFixed(1))])),
        ...(m.cost ? { 'cost £': Math.round(m.cost.mean) } : {}),
      }));
      print(o, fc, rows, () => [
        `Looked-after children projected from ${fc.jumpOff} (fitted ${fc.fitFrom}–${fc.jumpOff}; ${fc.simulations} simulations; 95% band)${fc.scenarios.length ? `; scenarios: ${fc.scenarios.join('; ')}` : ''}:`,
        formatTable(fc.fitted.map((x) => ({ 'age band': x.ageBand, 'at jump-off': x.stockAtJumpOff, 'entries a month': Number(x.entriesPerMonth.toFixed(2)), 'leaving a month': x.exitShare === null ? '' : pct(100 * x.exitShare) }))),
        '', formatTable(rows),
      ].join('\n'));
    }));
}
