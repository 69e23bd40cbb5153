// What a synthetic authority looks like: records per table and the headline rates, each beside the England
// figure it is tuned to. Rates follow DESIGN.md's conventions (open at a date, "within 12 months", "lasted
// 2 years or more", working days from calendar.ts) and are taken over the 12 months to the end date — the
// last reporting year when the end is 31 March — with stock measures at the end date.
import { addDays, addMonths, addYears, workingDaysBetween } from '../calendar.ts';
import { TABLE_NAMES, type TableName } from '../model.ts';
import type { SyntheticLA } from './types.ts';

export interface SummaryRate {
  id: string;
  label: string;
  unit: '%' | 'per 10,000' | 'ratio';
  value: number | null;
  numerator: number;
  denominator: number;
  /** the England 2024-25 figure (or the design's stated level) the simulation aims at */
  target: number;
  targetSource: string;
}

export interface SynthSummary {
  laCode: string;
  laName: string;
  population: number;
  seed: number;
  start: string;
  end: string;
  /** the 12 months the flow rates cover */
  periodStart: string;
  periodEnd: string;
  counts: Record<TableName, number>;
  /** flows in the period */
  flows: { label: string; count: number }[];
  rates: SummaryRate[];
  faults: number;
}

const ENGLAND = 'England 2024-25';

/** Working days after start up to end, or null where a date is outside the working-day calendar. */
function workingDays(start: string, end: string): number | null {
  try {
    return workingDaysBetween(start, end);
  } catch {
    return null;
  }
}

function rate(id: string, label: string, unit: SummaryRate['unit'], numerator: number, denominator: number, target: number, targetSource = ENGLAND): SummaryRate {
  const scale = unit === '%' ? 100 : unit === 'per 10,000' ? 10_000 : 1;
  return { id, label, unit, numerator, denominator, value: denominator > 0 ? (numerator / denominator) * scale : null, target, targetSource };
}

const inPeriod = (d: string | null, from: string, to: string): d is string => d !== null && d >= from && d <= to;
/** open at a date: started on or before it and not ended on or before it */
const openAt = (start: string | null, end: string | null, at: string): boolean => start !== null && start <= at && (end === null || end > at);

export function summarise(la: SyntheticLA): SynthSummary {
  const t = la.tables;
  const end = la.options.end;
  const from = addYears(end, -1) < la.start ? la.start : addDays(addYears(end, -1), 1);
  const population = la.options.population;
  const counts = Object.fromEntries(TABLE_NAMES.map((n) => [n, t[n].length])) as Record<TableName, number>;

  // Referrals, and re-referrals within 12 months of the child's previous referral (same-day referrals once).
  const referralDates = new Map<string, string[]>();
  for (const r of t.referrals) {
    if (!r.child_id || !r.referral_date) continue;
    const list = referralDates.get(r.child_id) ?? [];
    list.push(r.referral_date);
    referralDates.set(r.child_id, list);
  }
  let referrals = 0, reReferrals = 0;
  for (const dates of referralDates.values()) {
    const distinct = [...new Set(dates)].sort();
    distinct.forEach((d, i) => {
      if (!inPeriod(d, from, end)) return;
      referrals++;
      if (i > 0 && distinct[i - 1] >= addYears(d, -1)) reReferrals++;
    });
  }
  const contacts = t.contacts.filter((c) => inPeriod(c.received_at?.slice(0, 10) ?? null, from, end)).length;

  // Assessments authorised in the period, within 45 working days of their start.
  let authorised = 0, assessedInTime = 0;
  for (const a of t.assessments) {
    if (!inPeriod(a.authorisation_date, from, end) || !a.start_date || a.authorisation_date < a.start_date) continue;
    const wd = workingDays(a.start_date, a.authorisation_date);
    if (wd === null) continue;
    authorised++;
    if (wd <= 45) assessedInTime++;
  }

  // ICPCs held in the period, within 15 working days of the S47 start.
  let icpcs = 0, icpcsInTime = 0, s47s = 0, s47ToIcpc = 0;
  for (const s of t.section47) {
    if (inPeriod(s.start_date, from, end)) {
      s47s++;
      if (s.icpc_date !== null) s47ToIcpc++;
    }
    if (!inPeriod(s.icpc_date, from, end) || !s.start_date || s.icpc_date < s.start_date) continue;
    const wd = workingDays(s.start_date, s.icpc_date);
    if (wd === null) continue;
    icpcs++;
    if (wd <= 15) icpcsInTime++;
  }

  // Child protection plans: ended in the period after 2+ years; started as a second or subsequent plan; open at the end.
  let cpEnded = 0, cpLong = 0, cpStarted = 0, cpRepeat = 0;
  const onPlan = new Set<string>();
  for (const p of t.cp_plans) {
    if (inPeriod(p.end_date, from, end) && p.start_date && p.end_date >= p.start_date) {
      cpEnded++;
      if (p.end_date >= addYears(p.start_date, 2)) cpLong++;
    }
    if (inPeriod(p.start_date, from, end)) {
      cpStarted++;
      if ((p.previous_plans ?? 0) > 0) cpRepeat++;
    }
    if (p.child_id && openAt(p.start_date, p.end_date, end)) onPlan.add(p.child_id);
  }

  const inNeed = new Set<string>();
  for (const r of t.referrals) if (r.child_id && openAt(r.referral_date, r.closure_date, end)) inNeed.add(r.child_id);

  // Looked after: at the end; started in the period; placements in the period; long-term stability.
  const episodes = new Map<string, (typeof t.lac_episodes)[number][]>();
  for (const e of t.lac_episodes) {
    if (!e.child_id || !e.decom) continue;
    const list = episodes.get(e.child_id) ?? [];
    list.push(e);
    episodes.set(e.child_id, list);
  }
  const dob = new Map(t.children.map((c) => [c.child_id, c.dob]));
  let lookedAfter = 0, started = 0, threePlus = 0, longTerm = 0, stable = 0;
  const twoAndAHalfYears = addMonths(end, -30);
  const twoYears = addYears(end, -2);
  const sixteenth = addYears(end, -16);
  for (const [child, eps] of episodes) {
    eps.sort((a, b) => (a.decom! < b.decom! ? -1 : 1));
    started += eps.filter((e) => e.rne === 'S' && inPeriod(e.decom, from, end)).length;
    const current = eps.findIndex((e) => openAt(e.decom, e.dec, end));
    if (current < 0) continue;
    lookedAfter++;
    let placements = 0;
    for (const e of eps) {
      if (e.decom! > end || (e.dec !== null && e.dec < from)) continue;
      if (e.decom! < from) placements = Math.max(placements, 1);
      else if (e.rne !== 'L') placements++;
    }
    if (placements >= 3) threePlus++;
    // the period of care: back through episodes that follow on the same day (REC X1)
    let first = current;
    while (first > 0 && eps[first - 1].dec === eps[first].decom && eps[first - 1].reason_ceased === 'X1') first--;
    let placed = current;
    while (placed > first && eps[placed].rne === 'L') placed--;
    const born = dob.get(child);
    if (!born || born <= sixteenth || eps[first].decom! > twoAndAHalfYears) continue;
    longTerm++;
    if (eps[placed].decom! <= twoYears) stable++;
  }

  const per10k = (n: number) => rate('', '', 'per 10,000', n, population, 0);
  const rates: SummaryRate[] = [
    { ...per10k(referrals), id: 'referrals', label: 'Referrals in the 12 months, per 10,000', target: 540, targetSource: ENGLAND },
    rate('contacts_per_referral', 'Contacts per referral', 'ratio', contacts, referrals, 4, 'design'),
    rate('re_referrals', 'Re-referrals within 12 months (%)', '%', reReferrals, referrals, 22.6),
    rate('assessments_45', 'Assessments authorised within 45 working days (%)', '%', assessedInTime, authorised, 85.7),
    { ...per10k(s47s), id: 's47', label: 'S47 enquiries started in the 12 months, per 10,000', target: 180, targetSource: ENGLAND },
    rate('s47_to_icpc', 'S47 enquiries started that led to an ICPC (%)', '%', s47ToIcpc, s47s, 38),
    rate('icpc_15', 'ICPCs within 15 working days of the S47 start (%)', '%', icpcsInTime, icpcs, 81.4),
    rate('cp_two_years', 'CP plans ending that lasted 2 years or more (%)', '%', cpLong, cpEnded, 4.4),
    rate('cp_repeat', 'CP plans starting that are a second or subsequent plan (%)', '%', cpRepeat, cpStarted, 23.0),
    { ...per10k(inNeed.size), id: 'cin', label: 'Children in need at the end, per 10,000', target: 330, targetSource: ENGLAND },
    { ...per10k(onPlan.size), id: 'cp', label: 'Children on a CP plan at the end, per 10,000', target: 40, targetSource: ENGLAND },
    { ...per10k(lookedAfter), id: 'looked_after', label: 'Children looked after at the end, per 10,000', target: 67, targetSource: ENGLAND },
    rate('placements_3', 'Looked after with 3 or more placements in the 12 months (%)', '%', threePlus, lookedAfter, 10),
    rate('stability', 'Long-term placement stability (%)', '%', stable, longTerm, 69),
  ];
  const flows = [
    { label: 'contacts', count: contacts },
    { label: 'referrals', count: referrals },
    { label: 'assessments authorised', count: authorised },
    { label: 'S47 enquiries started', count: s47s },
    { label: 'ICPCs held', count: icpcs },
    { label: 'CP plans started', count: cpStarted },
    { label: 'CP plans ended', count: cpEnded },
    { label: 'started to be looked after', count: started },
  ];
  return {
    laCode: la.options.laCode, laName: la.options.laName, population, seed: la.options.seed, start: la.start, end,
    periodStart: from, periodEnd: end, counts, flows, rates, faults: la.faults.length,
  };
}

const fmt = (n: number) => n.toLocaleString('en-GB');

/** The summary as a plain table for the terminal. */
export function formatSummary(s: SynthSummary): string {
  const lines: string[] = [];
  lines.push(`${s.laName}, LA ${s.laCode}: ${fmt(s.population)} children aged 0–17, history ${s.start} to ${s.end}, seed ${s.seed}`);
  lines.push('');
  lines.push('Records');
  const rows = Object.entries(s.counts).filter(([, n]) => n > 0);
  const half = Math.ceil(rows.length / 2);
  for (let i = 0; i < half; i++) {
    const left = rows[i], right = rows[i + half];
    const cell = (r: [string, number] | undefined) => (r ? `${r[0].padEnd(24)}${fmt(r[1]).padStart(9)}` : '');
    lines.push(`  ${cell(left)}      ${cell(right)}`.trimEnd());
  }
  lines.push('');
  lines.push(`Flows, ${s.periodStart} to ${s.periodEnd}: ${s.flows.map((f) => `${f.label} ${fmt(f.count)}`).join(', ')}`);
  lines.push('');
  const head = `${'Headline rates'.padEnd(62)}${'value'.padStart(8)}${'target'.padStart(9)}   source`;
  lines.push(head);
  for (const r of s.rates) {
    const value = r.value === null ? '–' : r.unit === 'ratio' ? r.value.toFixed(2) : r.value.toFixed(1);
    const target = r.unit === 'ratio' ? r.target.toFixed(2) : r.target.toFixed(1);
    lines.push(`  ${r.label.padEnd(60)}${value.padStart(8)}${target.padStart(9)}   ${r.targetSource}`);
  }
  lines.push('');
  lines.push(`Data-quality faults injected on purpose: ${fmt(s.faults)}`);
  return lines.join('\n');
}
