// Published snapshots: a month's judged scorecard frozen as it stood, so a committee paper can always be
// read back exactly as it went out; later loads, corrections and rollbacks show as revisions against it,
// never rewriting it.
//
// publish() stores one `publications` row (month, team, who, when, the store's data version, a note) and,
// for every indicator, its figures in `published_figures`: the monthly trend (SPC_MONTHS months, ending
// with the published month; kind 'month'), year to date ('ytd') and rolling 12 months ('rolling12') for
// flows. The published month's row carries the target, RAG and a judgement JSON (the rule, the full
// target with its amber band, SPC variation and assurance, benchmark position and sentence, projection,
// narrative); the year-to-date row its own target, RAG and rule. Publishing a month again makes a new
// publication. Nothing in `publications` or `published_figures` is ever updated or deleted.
//
// revisions() recomputes the published periods now and lists every figure that differs, with the RAG
// the current figure would take against the *published* target (so a revision shows what the data
// changed, not a target changed since).
import type { Engine, Figure } from '../engine.ts';
import { formatValue } from '../engine.ts';
import type { Store } from '../store.ts';
import { appendAuditInTransaction, entryBy, type Actor } from '../audit.ts';
import type { Indicator, Polarity, Theme, Unit } from '../indicators/types.ts';
import { parsePeriod, type PeriodKind, monthName } from '../periods.ts';
import { judgedScorecard, SPC_MONTHS, type JudgedLine } from './scorecard.ts';
import { judge, type Rag, type Target, type Targets } from './targets.ts';
import type { Projection } from './projection.ts';

export interface Publication {
  readonly publicationId: number;
  readonly month: string;
  /** null: the whole authority */
  readonly team: string | null;
  readonly publishedAt: string;
  readonly publishedBy: string | null;
  /** store.dataVersion() when the figures were computed */
  readonly dataVersion: string | null;
  readonly note: string | null;
  /** indicators frozen in it */
  readonly indicators: number;
}

export interface PublishedFigure {
  readonly period: string;
  readonly kind: PeriodKind;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly target: number | null;
  readonly rag: Rag | null;
}

/** What was said about the published month's figure, frozen as JSON. */
export interface PublishedJudgement {
  /** position in the scorecard it was published from */
  readonly position: number;
  readonly title: string;
  readonly theme: Theme;
  readonly unit: Unit;
  readonly polarity: Polarity;
  readonly measure: 'flow' | 'stock';
  readonly numeratorLabel: string;
  readonly denominatorLabel: string | null;
  /** the rule that produced the month's RAG */
  readonly rule: string;
  /** the year to date's RAG rule (flows) */
  readonly ytdRule: string | null;
  /** the target in force, with its amber band */
  readonly target: Target | null;
  readonly spc: {
    readonly status: 'ok' | 'insufficient-data';
    readonly variation: { readonly icon: string; readonly reason: string } | null;
    readonly assurance: { readonly icon: string; readonly reason: string } | null;
    /** reasons of the special-cause rules that fired */
    readonly signals: readonly string[];
    readonly mean: number | null;
    readonly upperProcessLimit: number | null;
    readonly lowerProcessLimit: number | null;
    /** why there is no chart, when there is none */
    readonly reason: string | null;
  };
  readonly benchmark: {
    readonly year: number;
    readonly england: number | null;
    readonly region: number | null;
    readonly neighbours: number | null;
    readonly quartile: string | null;
    readonly sentence: string;
  } | null;
  readonly projection: Projection | null;
  /** the narrative paragraph */
  readonly narrative: string;
  readonly sentences: readonly string[];
}

export interface PublishedLine {
  readonly indicatorId: string;
  readonly title: string;
  readonly month: PublishedFigure;
  readonly ytd: PublishedFigure | null;
  readonly rolling12: PublishedFigure | null;
  /** oldest first, ending with the published month */
  readonly trend: readonly PublishedFigure[];
  readonly target: number | null;
  readonly rag: Rag | null;
  readonly judgement: PublishedJudgement;
}

export interface PublishedScorecard {
  readonly publication: Publication;
  readonly lines: readonly PublishedLine[];
}

export interface FigureState {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly rag: Rag | null;
}

export interface Revision {
  readonly publicationId: number;
  readonly indicatorId: string;
  readonly title: string;
  readonly period: string;
  readonly kind: PeriodKind;
  readonly published: FigureState;
  readonly current: FigureState;
  /** "Re-referrals in January 2025 were published as 22.7% (51 of 225); they are now 23.1% (52 of 225) after later loads." */
  readonly sentence: string;
}

export interface PublishOptions {
  /** the name recorded as publications.published_by */
  readonly user: string;
  /** who published, and from where, for the audit log (default: user) */
  readonly actor?: Actor;
  readonly team?: string;
  readonly note?: string;
}

/**
 * Freezes the judged scorecard of `month` (every indicator of the engine's catalogue, or the team's when
 * `team` is given) as a new publication; returns it. Never alters an earlier publication. Audited as
 * 'publish' in the same transaction.
 */
export async function publish(store: Store, engine: Engine, targets: Targets, month: string, options: PublishOptions): Promise<Publication> {
  const period = parsePeriod(month);
  if (period.kind !== 'month') throw new RangeError(`a publication is of a month (YYYY-MM), not '${month}'`);
  if (!options.user || !options.user.trim()) throw new RangeError('publish: the user publishing is required');
  const dataVersion = await store.dataVersion();
  const scorecard = await judgedScorecard(engine, period.label, targets, { team: options.team, months: SPC_MONTHS });
  const rows = scorecard.lines.flatMap((line, i) => figureRows(line, i));
  return store.transaction(async () => {
    const [{ id }] = await store.query<{ id: number }>(`SELECT nextval('publication_id_seq') AS id`);
    await store.run(`INSERT INTO publications VALUES (?, ?, ?, current_timestamp, ?, ?, ?)`,
      [id, period.label, options.team ?? null, options.user, dataVersion, options.note?.trim() || null]);
    const BATCH = 200;
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      await store.run(
        `INSERT INTO published_figures (publication_id, indicator_id, period, kind, numerator, denominator, value, target, rag, judgement)
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON))').join(', ')}`,
        batch.flatMap((r) => [id, r.indicatorId, r.period, r.kind, finite(r.numerator), finite(r.denominator), finite(r.value), r.target, r.rag, r.judgement]),
      );
    }
    const [publication] = await publications(store, { publicationId: id });
    await appendAuditInTransaction(store, entryBy(options.actor ?? { username: options.user }, 'publish', String(id), {
      month: period.label, team: options.team ?? null, dataVersion, indicators: publication.indicators, figures: rows.length,
      note: options.note?.trim() || null, publishedBy: options.user,
    }));
    return publication;
  });
}

function finite(n: number | null): number | null {
  return n === null || !Number.isFinite(n) ? null : n;
}

interface FigureRow {
  indicatorId: string; period: string; kind: PeriodKind;
  numerator: number | null; denominator: number | null; value: number | null;
  target: number | null; rag: Rag | null; judgement: string | null;
}

function figureRows(line: JudgedLine, position: number): FigureRow[] {
  const ind = line.indicator;
  const plain = (f: Figure): FigureRow => ({
    indicatorId: ind.id, period: f.period, kind: f.kind, numerator: f.numerator, denominator: f.denominator, value: f.value,
    target: null, rag: null, judgement: null,
  });
  const rows = line.trend.filter((f) => f.period !== line.month.period).map(plain);
  rows.push({ ...plain(line.month), target: line.judgement.target, rag: line.judgement.rag, judgement: JSON.stringify(frozenJudgement(line, position)) });
  if (line.ytd) {
    rows.push({
      ...plain(line.ytd), target: line.ytdJudgement?.target ?? null, rag: line.ytdJudgement?.rag ?? null,
      judgement: line.ytdJudgement ? JSON.stringify({ rule: line.ytdJudgement.rule }) : null,
    });
  }
  if (line.rolling12) rows.push(plain(line.rolling12));
  return rows;
}

function frozenJudgement(line: JudgedLine, position: number): PublishedJudgement {
  const ind = line.indicator;
  const s = line.spc;
  const b = line.benchmark;
  return {
    position,
    title: ind.title, theme: ind.theme, unit: ind.unit, polarity: ind.polarity, measure: ind.measure,
    numeratorLabel: ind.numeratorLabel, denominatorLabel: ind.denominatorLabel ?? null,
    rule: line.judgement.rule,
    ytdRule: line.ytdJudgement?.rule ?? null,
    target: line.target,
    spc: s.status === 'ok'
      ? {
        status: 'ok',
        variation: { icon: s.variation.icon, reason: s.variation.reason },
        assurance: s.assurance ? { icon: s.assurance.icon, reason: s.assurance.reason } : null,
        signals: s.signals.map((x) => x.reason),
        mean: s.limits.mean, upperProcessLimit: s.limits.upperProcessLimit, lowerProcessLimit: s.limits.lowerProcessLimit,
        reason: null,
      }
      : { status: 'insufficient-data', variation: null, assurance: null, signals: [], mean: null, upperProcessLimit: null, lowerProcessLimit: null, reason: s.reason },
    benchmark: b ? {
      year: b.year, england: b.england?.value ?? null, region: b.region?.value ?? null, neighbours: b.neighbours?.value ?? null,
      quartile: b.quartile ?? null, sentence: b.sentence,
    } : null,
    projection: line.projection,
    narrative: line.narrative.paragraph,
    sentences: line.narrative.sentences.map((x) => x.text),
  };
}

/** Every publication, newest first (or the one asked for). */
export async function publications(store: Store, filter: { month?: string; publicationId?: number } = {}): Promise<Publication[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.month !== undefined) { where.push('p.month = ?'); params.push(filter.month); }
  if (filter.publicationId !== undefined) { where.push('p.publication_id = ?'); params.push(filter.publicationId); }
  const rows = await store.query<{
    publication_id: number; month: string; team: string | null; published_at: string; published_by: string | null;
    data_version: string | null; note: string | null; indicators: number;
  }>(`SELECT p.*, (SELECT count(DISTINCT f.indicator_id) FROM published_figures f WHERE f.publication_id = p.publication_id)::INTEGER AS indicators
      FROM publications p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.publication_id DESC`, params);
  return rows.map((r) => ({
    publicationId: r.publication_id, month: r.month, team: r.team, publishedAt: r.published_at, publishedBy: r.published_by,
    dataVersion: r.data_version, note: r.note, indicators: r.indicators,
  }));
}

/** A publication read back exactly as it was frozen, in its scorecard order. Throws a RangeError when there is no such publication. */
export async function publishedScorecard(store: Store, publicationId: number): Promise<PublishedScorecard> {
  const [publication] = await publications(store, { publicationId });
  if (!publication) throw new RangeError(`no publication ${publicationId} (csc publications lists them)`);
  const rows = await store.query<{
    indicator_id: string; period: string; kind: PeriodKind; numerator: number | null; denominator: number | null;
    value: number | null; target: number | null; rag: Rag | null; judgement: string | null;
  }>(`SELECT indicator_id, period, kind, numerator, denominator, value, target, rag, CAST(judgement AS VARCHAR) AS judgement
      FROM published_figures WHERE publication_id = ? ORDER BY indicator_id, kind, period`, [publicationId]);
  const byIndicator = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byIndicator.get(r.indicator_id) ?? [];
    list.push(r);
    byIndicator.set(r.indicator_id, list);
  }
  const lines: PublishedLine[] = [];
  for (const [indicatorId, list] of byIndicator) {
    const fig = (r: (typeof rows)[number]): PublishedFigure => ({
      period: r.period, kind: r.kind, numerator: r.numerator, denominator: r.denominator, value: r.value, target: r.target, rag: r.rag,
    });
    const monthRow = list.find((r) => r.kind === 'month' && r.period === publication.month);
    if (!monthRow || monthRow.judgement === null) continue; // cannot happen: publish writes the month with its judgement
    const judgement = JSON.parse(monthRow.judgement) as PublishedJudgement;
    const ytd = list.find((r) => r.kind === 'ytd');
    const r12 = list.find((r) => r.kind === 'rolling12');
    lines.push({
      indicatorId, title: judgement.title,
      month: fig(monthRow),
      ytd: ytd ? fig(ytd) : null,
      rolling12: r12 ? fig(r12) : null,
      trend: list.filter((r) => r.kind === 'month').map(fig), // ordered by period: 'YYYY-MM' sorts in time order
      target: monthRow.target, rag: monthRow.rag,
      judgement,
    });
  }
  lines.sort((a, b) => a.judgement.position - b.judgement.position);
  return { publication, lines };
}

/** Equal as stored figures: both null, or the same number (to rounding noise). */
function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Every figure of a publication whose current value differs from the published one: published and
 * current numerator, denominator, value and RAG (the current figure against the published target),
 * with a plain sentence. Indicators no longer in the catalogue are left out.
 */
export async function revisions(store: Store, engine: Engine, publicationId: number): Promise<Revision[]> {
  const published = await publishedScorecard(store, publicationId);
  const { month, team } = published.publication;
  const catalogue = new Map(engine.indicators.map((i) => [i.id, i]));
  const lines = published.lines.filter((l) => catalogue.has(l.indicatorId));
  if (lines.length === 0) return [];
  const trendMonths = Math.max(...lines.map((l) => l.trend.length));
  const current = await engine.scorecard(month, { team: team ?? undefined, ids: lines.map((l) => l.indicatorId), trendMonths });
  const out: Revision[] = [];
  lines.forEach((line, i) => {
    const now = current[i];
    const ind = now.indicator;
    const target = line.judgement.target;
    const nowByPeriod = new Map<string, Figure>([...now.trend, ...(now.ytd ? [now.ytd] : []), ...(now.rolling12 ? [now.rolling12] : [])].map((f) => [f.period, f]));
    const figures = [...line.trend, ...(line.ytd ? [line.ytd] : []), ...(line.rolling12 ? [line.rolling12] : [])];
    for (const pub of figures) {
      const cur = nowByPeriod.get(pub.period);
      if (!cur) continue;
      const curValue = finite(cur.value);
      const judged = pub.kind === 'ytd' || (pub.kind === 'month' && pub.period === month);
      const rag = judged ? judge(ind, curValue, target).rag : null;
      if (same(pub.numerator, finite(cur.numerator)) && same(pub.denominator, finite(cur.denominator)) && same(pub.value, curValue) && rag === pub.rag) continue;
      const before: FigureState = { numerator: pub.numerator, denominator: pub.denominator, value: pub.value, rag: pub.rag };
      const after: FigureState = { numerator: finite(cur.numerator), denominator: finite(cur.denominator), value: curValue, rag };
      out.push({
        publicationId, indicatorId: line.indicatorId, title: line.title, period: pub.period, kind: pub.kind,
        published: before, current: after, sentence: revisionSentence(ind, line.title, pub.period, pub.kind, before, after),
      });
    }
  });
  return out;
}


const monthWords = monthName;

function periodWords(ind: Pick<Indicator, 'measure'>, period: string, kind: PeriodKind): string {
  const ym = period.slice(0, 7);
  if (kind === 'ytd') return `in the year to ${monthWords(ym)}`;
  if (kind === 'rolling12') return `in the 12 months to ${monthWords(ym)}`;
  if (kind === 'month') return ind.measure === 'stock' ? `at the end of ${monthWords(ym)}` : `in ${monthWords(ym)}`;
  return `in ${period}`;
}

function amount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-GB') : (Math.round(n * 10) / 10).toLocaleString('en-GB');
}

function figureWords(ind: Pick<Indicator, 'unit'>, f: FigureState): string {
  if (f.value === null) return 'no figure';
  const shown = ind.unit === 'rate' ? `${formatValue(ind, f.value)} per 10,000` : formatValue(ind, f.value);
  if (ind.unit === 'percent' && f.numerator !== null && f.denominator !== null) return `${shown} (${amount(f.numerator)} of ${amount(f.denominator)})`;
  return shown;
}

const SINGULAR_HEAD = /^(average|mean|median|maximum|minimum|number|rate|proportion|percentage|total)\b/i;

/** "Re-referrals in January 2025 were published as 22.7% (51 of 225); they are now 23.1% (52 of 225) after later loads." */
export function revisionSentence(ind: Pick<Indicator, 'unit' | 'measure'>, title: string, period: string, kind: PeriodKind, published: FigureState, current: FigureState): string {
  const singular = SINGULAR_HEAD.test(title);
  const was = figureWords(ind, published);
  const now = figureWords(ind, current);
  const subject = singular ? 'it is' : 'they are';
  let s = `${title} ${periodWords(ind, period, kind)} `;
  s += published.value === null ? 'had no figure when published; ' : `${singular ? 'was' : 'were'} published as ${was}; `;
  s += current.value === null ? 'there is now no figure after later loads.'
    : was === now && published.value !== null // changed less than the rounding shown
      ? `${subject} still ${now} as shown (${published.value.toFixed(2)} then, ${current.value.toFixed(2)} now) after later loads.`
      : `${subject} now ${now} after later loads.`;
  if (published.rag !== current.rag) {
    s += published.rag && current.rag
      ? ` Its rating moves from ${published.rag} to ${current.rag} against the published target.`
      : current.rag ? ` It would now be rated ${current.rag} against the published target.` : ` It was rated ${published.rag} and now has no rating.`;
  }
  return s;
}
