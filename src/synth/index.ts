// Writes a synthetic local authority in the real return formats: one CIN census XML and one set of
// SSDA903 CSVs per reporting year, an Annex A workbook for the 6 months to the end date, and the
// native event feed. The same options always give byte-identical files.
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { reportingYearOf } from '../periods.ts';
import { simulate } from './simulate.ts';
import type { SynthOptions, SyntheticLA } from './types.ts';
import { writeCinCensus } from './writeCinCensus.ts';
import { writeSsda903 } from './writeSsda903.ts';
import { writeAnnexA } from './writeAnnexA.ts';
import { writeEvents } from './events.ts';
import { writeGroupPopulation, writePostcodeCentroids } from './writeReference.ts';
import { censusDates, writeCsww, writeSurveys } from './writeWorkforce.ts';

export interface WrittenFile {
  path: string;
  kind: 'cin_census' | 'ssda903' | 'annex_a' | 'events' | 'workforce' | 'survey';
  /** what the file holds: element, table or list → rows */
  counts: Record<string, number>;
}

export function yearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Reporting years (as start years) that the simulated history touches, oldest first. */
export function reportingYearsOf(la: SyntheticLA): number[] {
  const first = Number(reportingYearOf(la.start).start.slice(0, 4));
  const last = Number(reportingYearOf(la.options.end).start.slice(0, 4));
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return years;
}

export async function writeSyntheticFiles(la: SyntheticLA, outDir: string): Promise<WrittenFile[]> {
  const files: WrittenFile[] = [];
  mkdirSync(join(outDir, 'cin-census'), { recursive: true });
  for (const year of reportingYearsOf(la)) {
    const label = yearLabel(year);
    const cinPath = join(outDir, 'cin-census', `CIN_Census_${label}.xml`);
    const cin = await writeCinCensus(la, year, cinPath);
    files.push({ path: cinPath, kind: 'cin_census', counts: { Child: cin.children, CINdetails: cin.cinDetails } });
    const dir = join(outDir, 'ssda903', label);
    mkdirSync(dir, { recursive: true });
    const counts = await writeSsda903(la, year, dir);
    for (const [table, n] of Object.entries(counts)) files.push({ path: join(dir, `${table}.csv`), kind: 'ssda903', counts: { [table]: n } });
  }
  mkdirSync(join(outDir, 'annex-a'), { recursive: true });
  const annexPath = join(outDir, 'annex-a', `Annex_A_${la.options.end}.xlsx`);
  files.push({ path: annexPath, kind: 'annex_a', counts: await writeAnnexA(la, la.options.end, annexPath) });
  mkdirSync(join(outDir, 'events'), { recursive: true });
  const eventsPath = join(outDir, 'events', 'events.jsonl');
  files.push({ path: eventsPath, kind: 'events', counts: await writeEvents(la, eventsPath) });
  mkdirSync(join(outDir, 'workforce'), { recursive: true });
  for (const census of censusDates(la)) {
    const path = join(outDir, 'workforce', `CSWW_${census.slice(0, 4)}.xml`);
    files.push({ path, kind: 'workforce', counts: { CSWWWorker: writeCsww(la, census, path).workers, LALevelVacancies: 1 } });
  }
  mkdirSync(join(outDir, 'surveys'), { recursive: true });
  const surveysPath = join(outDir, 'surveys', 'survey_results.csv');
  files.push({ path: surveysPath, kind: 'survey', counts: { answers: writeSurveys(la, surveysPath).responses } });
  return files;
}

/**
 * Annex A's List 1 has no contact id, so its reader names a contact by child and date (':2', ':3' … for a
 * child's further contacts that day, in time order). The case-management system behind the event feed uses
 * the same ids here, so that a contact arriving through both is one contact, never counted twice.
 */
export function nameContactsByChildAndDate(la: SyntheticLA): void {
  const sorted = [...la.tables.contacts].sort((a, b) =>
    (a.child_id ?? '').localeCompare(b.child_id ?? '') || (a.received_at ?? '').localeCompare(b.received_at ?? ''));
  let previous = '';
  let n = 0;
  for (const c of sorted) {
    const base = `${c.child_id}:${(c.received_at ?? '').slice(0, 10)}`;
    n = base === previous ? n + 1 : 1;
    previous = base;
    c.contact_id = n === 1 ? base : `${base}:${n}`;
  }
}

/** Reference files for the analyses (not returns: `csc analyse import` reads them, `csc load` does not). */
export interface ReferenceFiles {
  /** postcode centroids in the ONS Postcode Directory layout */
  postcodes: string;
  /** child population by ethnic group, sex, age band and disability */
  population: string;
}

export function writeReferenceFiles(la: SyntheticLA, outDir: string): ReferenceFiles {
  const dir = join(outDir, 'reference');
  mkdirSync(dir, { recursive: true });
  const files = { postcodes: join(dir, 'postcode-centroids.csv'), population: join(dir, 'population-by-group.csv') };
  writePostcodeCentroids(la, files.postcodes);
  writeGroupPopulation(la, files.population);
  return files;
}

export async function synthesise(options: SynthOptions, outDir: string): Promise<{ la: SyntheticLA; files: WrittenFile[]; reference: ReferenceFiles }> {
  const la = simulate(options);
  nameContactsByChildAndDate(la);
  const files = await writeSyntheticFiles(la, outDir);
  return { la, files, reference: writeReferenceFiles(la, outDir) };
}

export function formatFiles(files: WrittenFile[], outDir: string): string {
  const lines = files.map((f) => {
    const counts = Object.entries(f.counts).map(([k, n]) => `${k} ${n}`).join(', ');
    return `  ${relative(outDir, f.path).padEnd(44)} ${counts}`;
  });
  return lines.join('\n');
}
