// The synthetic authority's workforce and voice: a DfE children's social work workforce return (CSWW XML)
// for each 30 September census in the simulated range, supervision records of every worker (added to the
// native event feed), and survey results (early help exit surveys, children's feedback) as CSV.
// Built from the simulated workers, early help episodes and visits with their own seeded random streams,
// so the same authority always gives the same bytes. Figures are shaped on DfE's workforce statistics
// for England (agency rate ~18%, vacancy rate ~20%, turnover ~16%, sickness absence ~3.5%).
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { weights } from './random.ts';
import { Random } from './random.ts';
import type { SyntheticLA } from './types.ts';
import type { Row } from '../model.ts';

const DAY = 86_400_000;
const toDay = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const toIso = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const yearBefore = (iso: string): string => `${Number(iso.slice(0, 4)) - 1}${iso.slice(4)}`;

/** Census dates (30 September) from the first day simulated to the last. */
export function censusDates(la: SyntheticLA): string[] {
  const out: string[] = [];
  for (let y = Number(la.start.slice(0, 4)); `${y}-09-30` <= la.options.end; y++) if (`${y}-09-30` >= la.start) out.push(`${y}-09-30`);
  return out;
}

const isManager = (w: Row<'workers'>): boolean => (w.role ?? '').toLowerCase().includes('manager');
const byId = (a: Row<'workers'>, b: Row<'workers'>): number => (a.worker_id! < b.worker_id! ? -1 : a.worker_id! > b.worker_id! ? 1 : 0);

/** Each worker's FTE: most full time, some part time (fixed per worker). */
function fteOf(id: string, seed: number): number {
  const r = new Random(`${seed}:fte:${id}`).next();
  return r < 0.78 ? 1 : r < 0.9 ? 0.8 : r < 0.97 ? 0.6 : 0.5;
}

const LEAVE_REASONS = weights({ '1': 20, '2': 10, '3': 35, '4': 15, '5': 10, '6': 10 });

/** Writes the CSWW return at one census date; returns the number of worker records written. */
export function writeCsww(la: SyntheticLA, census: string, path: string): { workers: number } {
  const rng = new Random(`${la.options.seed}:csww:${census}`);
  const from = yearBefore(census);
  const holding = new Map<string, number>();
  for (const a of la.tables.allocations) {
    if (a.start_date! <= census && (a.end_date === null || a.end_date > census)) holding.set(a.worker_id!, (holding.get(a.worker_id!) ?? 0) + 1);
  }
  const lines: string[] = [];
  let agencyFte = 0, employedFte = 0;
  const workers = [...la.tables.workers].sort(byId);
  for (const w of workers) {
    const started = w.start_date === null || w.start_date <= census;
    const inPost = started && (w.end_date === null || w.end_date > census);
    const left = w.end_date !== null && w.end_date > from && w.end_date <= census;
    if (!inPost && !left) continue;
    const fte = inPost ? fteOf(w.worker_id!, la.options.seed) : 0;
    if (inPost) { if (w.agency) agencyFte += fte; else employedFte += fte; }
    const e: string[] = [`<AgencyWorker>${w.agency ? 1 : 0}</AgencyWorker>`, `<SWENo>${w.worker_id}</SWENo>`, `<FTE>${fte}</FTE>`];
    e.push(`<OrgRole>${isManager(w) ? 3 : 5}</OrgRole>`);
    if (w.start_date) e.push(`<RoleStartDate>${w.start_date}</RoleStartDate>`);
    if (left) e.push(`<RoleEndDate>${w.end_date}</RoleEndDate>`, `<ReasonLeave>${LEAVE_REASONS.pick(rng)}</ReasonLeave>`);
    if (inPost && !isManager(w)) e.push(`<FTE30>${fte}</FTE30>`, `<Cases30>${holding.get(w.worker_id!) ?? 0}</Cases30>`);
    if (inPost && !w.agency) {
      // days lost: most lose a few days, a few a long spell; ~3.5% of 253 days across the workforce
      const long = rng.bernoulli(0.06);
      const lost = long ? rng.int(20, 90) : Math.max(0, Math.round(rng.exponential(5) * 2) / 2);
      e.push(`<WorkingDaysLost>${lost * fte}</WorkingDaysLost>`);
    }
    lines.push(`  <CSWWWorker>\n    ${e.join('')}\n  </CSWWWorker>`);
  }
  // Vacancies: about a fifth of the establishment, most of them covered by agency workers.
  const vacancies = Math.round((employedFte * 0.25) * (0.85 + rng.next() * 0.3) * 10) / 10;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CSWW</Collection><Year>${census.slice(0, 4)}</Year><ReferenceDate>${census}</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>${la.options.laCode}</LEA><SoftwareCode>CSC Scorecard synthetic</SoftwareCode><DateTime>${census}T00:00:00</DateTime></Source>
  </Header>
  <LALevelVacancies><NumberOfVacancies>${vacancies}</NumberOfVacancies><NoAgencyFTE>${Math.round(agencyFte * 10) / 10}</NoAgencyFTE><NoAgencyHeadcount>${workers.filter((w) => w.agency && (w.start_date === null || w.start_date <= census) && (w.end_date === null || w.end_date > census)).length}</NoAgencyHeadcount></LALevelVacancies>
${lines.join('\n')}
</Message>
`;
  writeFileSync(path, xml);
  return { workers: lines.length };
}

/**
 * Supervision sessions for every worker in post, from the later of their start and the first day simulated
 * to the earlier of their end and the last day: about every four weeks, now and then late. Fills
 * la.tables.supervisions (once), which the event feed writes.
 */
export function addSupervisions(la: SyntheticLA): void {
  if (la.tables.supervisions.length > 0) return;
  const last = toDay(la.options.end);
  const managers = new Map<string, string>();
  for (const w of [...la.tables.workers].sort(byId)) if (isManager(w) && !managers.has(w.team_id!)) managers.set(w.team_id!, w.worker_id!);
  for (const w of [...la.tables.workers].sort(byId)) {
    const rng = new Random(`${la.options.seed}:supervision:${w.worker_id}`);
    const from = Math.max(toDay(la.start), w.start_date ? toDay(w.start_date) : toDay(la.start));
    const to = Math.min(last, w.end_date ? toDay(w.end_date) - 1 : last);
    const supervisor = isManager(w) ? null : managers.get(w.team_id!) ?? null;
    for (let d = from + rng.int(3, 28); d <= to; d += rng.bernoulli(0.3) ? rng.int(31, 45) : rng.int(18, 30)) {
      la.tables.supervisions.push({ worker_id: w.worker_id, supervision_date: toIso(d), supervisor_id: supervisor, team_id: w.team_id });
    }
  }
}

const RATING = weights({ excellent: 52, good: 38, ok: 6, poor: 3, 'very poor': 1 });
const LISTENED = weights({ yes: 86, sometimes: 10, no: 4 });
const CHILD_LISTENED = weights({ yes: 78, sometimes: 15, no: 7 });

/** Survey results: exit surveys of a third of the early help episodes completed, feedback from a few visited children. */
export function writeSurveys(la: SyntheticLA, path: string): { responses: number } {
  const rng = new Random(`${la.options.seed}:surveys`);
  const rows: string[][] = [['survey', 'response_id', 'response_date', 'question', 'answer', 'child_id', 'team']];
  let n = 0;
  const eh = la.tables.early_help.filter((e) => e.completion_date !== null && e.completion_date <= la.options.end)
    .sort((a, b) => (a.child_id! + a.start_date!).localeCompare(b.child_id! + b.start_date!));
  for (const e of eh) {
    if (!rng.bernoulli(0.33)) continue;
    const id = `EH${String(++n).padStart(6, '0')}`;
    const date = toIso(Math.min(toDay(la.options.end), toDay(e.completion_date!) + rng.int(0, 10)));
    rows.push(['early_help_exit', id, date, 'overall_rating', rng.bernoulli(0.03) ? '' : RATING.pick(rng), '', '']);
    rows.push(['early_help_exit', id, date, 'felt_listened_to', LISTENED.pick(rng), '', '']);
  }
  const visits = la.tables.visits.filter((v) => v.visit_date! <= la.options.end)
    .sort((a, b) => (a.child_id! + a.visit_date! + a.visit_type!).localeCompare(b.child_id! + b.visit_date! + b.visit_type!));
  let c = 0;
  for (const v of visits) {
    if (!rng.bernoulli(0.03)) continue;
    rows.push(['childrens_feedback', `CF${String(++c).padStart(6, '0')}`, v.visit_date!, 'felt_listened_to', CHILD_LISTENED.pick(rng), v.child_id!, '']);
  }
  writeFileSync(path, stringify(rows));
  return { responses: rows.length - 1 };
}
