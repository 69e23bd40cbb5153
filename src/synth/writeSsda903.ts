// Writes one reporting year of a synthetic authority as the SSDA903 CSV tables, with exactly the columns,
// column order and dd/mm/yyyy dates of DfE's files (../shared/external-samples/ssda903). Which records
// each table holds for year Y (1 April Y to 31 March Y+1):
//   episodes             open at any time in the year: DECOM on or before 31 March and DEC blank or on or
//                        after 1 April; DEC and REC are left blank when the episode ended after the year
//   header               every child appearing in any table written for the year
//   reviews              review date in the year
//   uasc                 looked-after children of the year with a UASC record
//   oc2                  children looked after continuously for 12 months at 31 March (DfE's OC2 cohort:
//                        a period of care begun on or before 1 April, still open at 31 March, with no
//                        short-break V3/V4 episode in the year) that have an OC2 record for the year
//   oc3                  care leaver records of the year whose 17th–21st birthday falls in the year
//   ad1                  children adopted in the year (adoption order in the year, or an episode ending
//                        E11/E12 in the year) that have an adoption record
//   placed_for_adoption  decisions to place for adoption open at any time in the year (ceased date blank
//                        when after the year)
//   previous_permanence  children starting to be looked after in the year (an episode with RNE S)
//   missing              missing periods open at any time in the year (end blank when after the year)
//   sw_episodes          social worker episodes open at any time in the year (end blank when after the year)
// Rows are sorted by child then date, so the same authority always gives byte-identical files.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { addYears } from '../calendar.ts';
import { SSDA903_COLUMNS, SSDA903_TABLES, type Ssda903Table } from '../ingest/ssda903.ts';
import type { Row } from '../model.ts';
import type { SyntheticLA } from './types.ts';

type Cell = string | number | boolean | null | undefined;

/** ISO date → dd/mm/yyyy; anything else (a partial DATE_PERM such as 'zz/05/2015') as it is. */
function date(iso: string | null | undefined): string {
  if (!iso) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

/** A date that is left blank when it falls after the end of the year (the return knows nothing later). */
function dateBy(iso: string | null | undefined, end: string): string {
  return iso && iso <= end ? date(iso) : '';
}

const yesNo = (b: boolean | null | undefined): string => (b === true ? '1' : b === false ? '0' : '');
const text = (v: Cell): string => (v === null || v === undefined ? '' : String(v));
const SEX_903: Readonly<Record<string, string>> = { M: '1', F: '2' };

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort key: child, then the row's date, then the whole row, so ties are broken the same way every time. */
function sortRows(rows: string[][], dateColumn: number | null): string[][] {
  const iso = (s: string) => (s.length === 10 ? `${s.slice(6)}${s.slice(3, 5)}${s.slice(0, 2)}` : s);
  return rows.sort((a, b) =>
    cmp(a[0], b[0]) || (dateColumn === null ? 0 : cmp(iso(a[dateColumn]), iso(b[dateColumn]))) || cmp(a.join(','), b.join(',')));
}

/** Whether a period [start, end] (end null = still open) touches the year [yStart, yEnd]. */
const openInYear = (start: string | null, end: string | null, yStart: string, yEnd: string): boolean =>
  start !== null && start <= yEnd && (end === null || end >= yStart);

/**
 * DfE's OC2 cohort: looked after continuously for at least 12 months at 31 March — a period of care
 * (episodes joined end to start) that began on or before 1 April of the year and was open at 31 March
 * (not ended on or before it), with no short-break (V3/V4) episode during the year.
 */
export function continuouslyLookedAfter(episodes: readonly Row<'lac_episodes'>[], year: number): Set<string> {
  const yStart = `${year}-04-01`;
  const yEnd = `${year + 1}-03-31`;
  const byChild = new Map<string, Row<'lac_episodes'>[]>();
  for (const e of episodes) {
    if (!e.child_id || !e.decom) continue;
    let list = byChild.get(e.child_id);
    if (!list) byChild.set(e.child_id, (list = []));
    list.push(e);
  }
  const cohort = new Set<string>();
  for (const [child, list] of byChild) {
    list.sort((a, b) => cmp(a.decom!, b.decom!));
    let periodStart: string | null = null;
    let periodEnd: string | null = null;
    let shortBreak = false;
    for (const e of list) {
      if (e.decom! > yEnd) break; // episodes after the year say nothing about 31 March
      if (periodStart === null || (periodEnd !== null && e.decom! > periodEnd)) {
        periodStart = e.decom;
        shortBreak = false;
      }
      periodEnd = e.dec;
      if ((e.legal_status === 'V3' || e.legal_status === 'V4') && openInYear(e.decom, e.dec, yStart, yEnd)) shortBreak = true;
      if (periodEnd === null) break; // an open episode ends the chain
    }
    if (periodStart !== null && periodStart <= yStart && (periodEnd === null || periodEnd > yEnd) && !shortBreak) cohort.add(child);
  }
  return cohort;
}

/** Writes the eleven SSDA903 CSVs for reporting year collectionYear into dir; returns rows written per table. */
export async function writeSsda903(la: SyntheticLA, collectionYear: number, dir: string): Promise<Record<string, number>> {
  const yStart = `${collectionYear}-04-01`;
  const yEnd = `${collectionYear + 1}-03-31`;
  const t = la.tables;
  const children = new Map<string, Row<'children'>>();
  for (const c of t.children) if (c.child_id) children.set(c.child_id, c);
  const dob = (child: string | null) => date(child ? children.get(child)?.dob : null);

  const out: Record<Ssda903Table, string[][]> = Object.fromEntries(SSDA903_TABLES.map((k) => [k, []])) as unknown as Record<Ssda903Table, string[][]>;

  const episodes = t.lac_episodes.filter((e) => e.child_id && openInYear(e.decom, e.dec, yStart, yEnd));
  for (const e of episodes) {
    const ended = e.dec !== null && e.dec <= yEnd;
    out.episodes.push([
      e.child_id!, date(e.decom), text(e.rne), text(e.legal_status), text(e.category_of_need), text(e.placement_type),
      text(e.placement_provider), ended ? date(e.dec) : '', ended ? text(e.reason_ceased) : '', text(e.reason_place_change),
      text(e.home_postcode), text(e.placement_postcode), text(e.urn),
    ]);
  }
  const lookedAfter = new Set(episodes.map((e) => e.child_id!));

  for (const r of t.lac_reviews) {
    if (r.child_id && r.review_date && r.review_date >= yStart && r.review_date <= yEnd) {
      out.reviews.push([r.child_id, dob(r.child_id), date(r.review_date), text(r.participation)]);
    }
  }

  for (const u of t.uasc) {
    if (u.child_id && lookedAfter.has(u.child_id)) {
      const c = children.get(u.child_id);
      out.uasc.push([u.child_id, SEX_903[c?.sex ?? ''] ?? '', dob(u.child_id), date(u.date_uasc_ceased)]);
    }
  }

  const cohort = continuouslyLookedAfter(t.lac_episodes, collectionYear);
  for (const h of t.health) {
    if (h.child_id && h.collection_year === collectionYear && cohort.has(h.child_id)) {
      out.oc2.push([
        h.child_id, dob(h.child_id), text(h.sdq_score), text(h.sdq_reason), yesNo(h.convicted), yesNo(h.health_check),
        yesNo(h.immunisations), yesNo(h.teeth_check), yesNo(h.health_assessment), yesNo(h.substance_misuse),
        yesNo(h.intervention_received), yesNo(h.intervention_offered),
      ]);
    }
  }

  for (const c of t.care_leavers) {
    if (!c.child_id || c.collection_year !== collectionYear) continue;
    const birth = children.get(c.child_id)?.dob;
    if (!birth) continue;
    const birthdayInYear = [17, 18, 19, 20, 21].some((n) => {
      const b = addYears(birth, n);
      return b >= yStart && b <= yEnd;
    });
    if (birthdayInYear) out.oc3.push([c.child_id, date(birth), text(c.in_touch), text(c.activity), text(c.accommodation)]);
  }

  const adoptedInYear = new Set<string>();
  for (const e of t.lac_episodes) {
    if (e.child_id && (e.reason_ceased === 'E11' || e.reason_ceased === 'E12') && e.dec && e.dec >= yStart && e.dec <= yEnd) adoptedInYear.add(e.child_id);
  }
  // One AD1 row per adopted child: the latest decision, if the child had more than one.
  const adoption = new Map<string, Row<'adoptions'>>();
  for (const a of t.adoptions) {
    if (!a.child_id) continue;
    const ordered = a.adoption_order_date !== null && a.adoption_order_date >= yStart && a.adoption_order_date <= yEnd;
    if (!ordered && !adoptedInYear.has(a.child_id)) continue;
    const seen = adoption.get(a.child_id);
    if (!seen || (a.decision_date ?? '') > (seen.decision_date ?? '')) adoption.set(a.child_id, a);
  }
  for (const [child, a] of adoption) {
    out.ad1.push([
      child, dob(child), date(a.decision_date), date(a.matched_date), yesNo(a.foster_care), text(a.number_of_adopters),
      text(a.sex_of_adopters), text(a.legal_status_of_adopters),
    ]);
  }

  for (const p of t.placed_for_adoption) {
    if (p.child_id && openInYear(p.date_placed, p.date_placed_ceased, yStart, yEnd)) {
      const ceased = p.date_placed_ceased !== null && p.date_placed_ceased <= yEnd;
      out.placed_for_adoption.push([
        p.child_id, dob(p.child_id), date(p.date_placed), ceased ? date(p.date_placed_ceased) : '', ceased ? text(p.reason_placed_ceased) : '',
      ]);
    }
  }

  const startedInYear = new Set(episodes.filter((e) => e.rne === 'S' && e.decom! >= yStart).map((e) => e.child_id!));
  for (const p of t.previous_permanence) {
    if (p.child_id && startedInYear.has(p.child_id)) {
      out.previous_permanence.push([p.child_id, dob(p.child_id), text(p.previous_permanence), text(p.la_of_permanence), date(p.date_of_permanence)]);
    }
  }

  for (const m of t.missing_episodes) {
    if (m.child_id && openInYear(m.start_date, m.end_date, yStart, yEnd)) {
      out.missing.push([m.child_id, dob(m.child_id), text(m.missing_type), date(m.start_date), dateBy(m.end_date, yEnd)]);
    }
  }

  for (const s of t.social_worker_episodes) {
    if (s.child_id && openInYear(s.start_date, s.end_date, yStart, yEnd)) {
      out.sw_episodes.push([s.child_id, dob(s.child_id), text(s.worker_id), date(s.start_date), dateBy(s.end_date, yEnd), text(s.reason)]);
    }
  }

  const inReturn = new Set<string>();
  for (const table of SSDA903_TABLES) for (const row of out[table]) inReturn.add(row[0]);
  for (const child of inReturn) {
    const c = children.get(child);
    out.header.push([child, SEX_903[c?.sex ?? ''] ?? '', date(c?.dob), text(c?.ethnicity), text(c?.upn), '', '']);
  }

  const dateColumn: Record<Ssda903Table, number | null> = {
    header: null, episodes: 1, reviews: 2, uasc: null, oc2: null, oc3: null, ad1: 2, placed_for_adoption: 2,
    previous_permanence: null, missing: 3, sw_episodes: 3,
  };
  const counts: Record<string, number> = {};
  for (const table of SSDA903_TABLES) {
    const rows = sortRows(out[table], dateColumn[table]);
    const csv = stringify([[...SSDA903_COLUMNS[table]], ...rows], { record_delimiter: 'unix' });
    await writeFile(join(dir, `${table}.csv`), csv);
    counts[table] = rows.length;
  }
  return counts;
}
