// The DfE children's social work workforce return (CSWW), as XML or as CSV (docs/workforce.md).
//
// XML, as DfE's schema (liia-tools' public specification): Message/Header/CollectionDetails
// (Collection, Year, ReferenceDate — the census date, 30 September), one Message/LALevelVacancies
// (NumberOfVacancies, NoAgencyFTE, NoAgencyHeadcount) and repeated Message/CSWWWorker (AgencyWorker,
// SWENo, FTE, PersonBirthDate, GenderCurrent, Ethnicity, QualInst, QualLevel, StepUpGrad, OrgRole,
// RoleStartDate, StartOrigin, RoleEndDate, LeaverDestination, ReasonLeave, FTE30, Cases30,
// WorkingDaysLost, ContractWeeks, FrontlineGrad, Absat30Sept, ReasonAbsence, CFKSSstatus). Read as a
// stream, one CSWWWorker at a time; ids stay text (SWENo keeps its letters and zeros); a DOCTYPE is refused.
//
// CSV: one file of worker records (a header naming SWENo) or one of vacancies (a header naming
// NumberOfVacancies), with the XML element names as column headings (any case) and a ReferenceDate
// column; dates ISO or dd/mm/yyyy. A worker CSV may add a Team column, which DfE's return does not have.
//
// Not stored: QualInst, StepUpGrad, FrontlineGrad and CFKSSstatus (no indicator uses them); they are
// named once per file in a warning (CSC506), never silently dropped.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { emptyRow, type Row } from '../model.ts';
import { reportingYearOf } from '../periods.ts';
import { FileRejected } from './errors.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { parseBool, parseIsoDate, parseUkDate } from './values.ts';
import { XmlStreamReader } from './xmlStream.ts';

export const WORKFORCE_CODES = {
  doctype: 'CSC501',
  malformed: 'CSC502',
  empty: 'CSC503',
  noReferenceDate: 'CSC504',
  badValue: 'CSC505',
  notStored: 'CSC506',
  missingKey: 'CSC507',
  unknownElement: 'CSC508',
  duplicate: 'CSC509',
  endAfterCensus: 'CSC510',
} as const;

/** The CSWWWorker elements and the csww_workers column each is stored in, with its type. */
const WORKER_FIELDS = {
  AgencyWorker: ['agency', 'bool'],
  SWENo: ['swe_no', 'text'],
  FTE: ['fte', 'fte'],
  PersonBirthDate: ['birth_date', 'date'],
  GenderCurrent: ['gender', 'text'],
  Ethnicity: ['ethnicity', 'text'],
  QualLevel: ['qual_level', 'text'],
  OrgRole: ['org_role', 'text'],
  RoleStartDate: ['role_start_date', 'date'],
  StartOrigin: ['start_origin', 'text'],
  RoleEndDate: ['role_end_date', 'date'],
  LeaverDestination: ['leaver_destination', 'text'],
  ReasonLeave: ['reason_leave', 'text'],
  FTE30: ['fte30', 'fte'],
  Cases30: ['cases30', 'count'],
  WorkingDaysLost: ['working_days_lost', 'number'],
  ContractWeeks: ['contract_weeks', 'number'],
  Absat30Sept: ['absent_at_census', 'bool'],
  ReasonAbsence: ['reason_absence', 'text'],
  Team: ['team', 'text'],
} as const satisfies Record<string, readonly [keyof Row<'csww_workers'>, FieldType]>;

const VACANCY_FIELDS = {
  NumberOfVacancies: ['vacancies_fte', 'number'],
  NoAgencyFTE: ['agency_fte', 'number'],
  NoAgencyHeadcount: ['agency_headcount', 'count'],
} as const satisfies Record<string, readonly [keyof Row<'csww_vacancies'>, FieldType]>;

/** Elements of DfE's return that are read but not stored (see the header comment). */
const NOT_STORED = new Set(['QualInst', 'StepUpGrad', 'FrontlineGrad', 'CFKSSstatus']);

type FieldType = 'text' | 'date' | 'bool' | 'fte' | 'number' | 'count';

type Converted = { ok: true; value: string | number | boolean | null } | { ok: false; expected: string };

function convert(type: FieldType, raw: string): Converted {
  const s = raw.trim();
  if (s === '') return { ok: true, value: null };
  switch (type) {
    case 'text': return { ok: true, value: s };
    case 'date': {
      const d = parseIsoDate(s) ?? parseUkDate(s);
      return d ? { ok: true, value: d } : { ok: false, expected: 'a date (YYYY-MM-DD or dd/mm/yyyy)' };
    }
    case 'bool': {
      const b = parseBool(s);
      return b === undefined ? { ok: false, expected: '1 or 0 (yes or no)' } : { ok: true, value: b };
    }
    case 'fte': {
      const n = Number(s);
      return /^\d+(\.\d+)?$/.test(s) && n <= 1 ? { ok: true, value: n } : { ok: false, expected: 'a full-time equivalent from 0 to 1' };
    }
    case 'number': {
      const n = Number(s);
      return /^\d+(\.\d+)?$/.test(s) ? { ok: true, value: n } : { ok: false, expected: 'a number 0 or more' };
    }
    case 'count':
      return /^\d+$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, expected: 'a whole number 0 or more' };
  }
}

/** Why a file is a workforce return: the head of an XML file, or a CSV header. */
export function isWorkforceXmlHead(head: string): boolean {
  return /<CSWWWorker[\s>]|<LALevelVacancies[\s>]|<Collection>\s*CSWW\s*</.test(head);
}

export function workforceCsvPart(columns: readonly string[]): 'workers' | 'vacancies' | null {
  const lower = columns.map((c) => c.trim().toLowerCase());
  if (lower.includes('sweno')) return 'workers';
  if (lower.includes('numberofvacancies')) return 'vacancies';
  return null;
}

/** The summary of a return with census date d: the reporting year it falls in, the year to it. */
function summaryFor(parts: string[], census: string | null): FileSummary {
  if (!census) return { kind: 'workforce', parts };
  const y = Number(census.slice(0, 4));
  const start = `${y - 1}${census.slice(4)}`;
  const dayAfter = new Date(Date.UTC(+start.slice(0, 4), +start.slice(5, 7) - 1, +start.slice(8, 10) + 1)).toISOString().slice(0, 10);
  return {
    kind: 'workforce', parts,
    collectionYear: Number(reportingYearOf(census).start.slice(0, 4)),
    periodStart: dayAfter, periodEnd: census,
  };
}

/** Builds rows of one record (a CSWWWorker, or a CSV line) and reports their field findings. */
class RecordBuilder {
  private notStoredSeen = new Set<string>();
  private keysSeen = new Map<string, number>();
  constructor(private readonly file: string, private readonly sink: RecordSink) {}

  finding(code: string, severity: 'error' | 'warning', row: number | null, section: string, field: string | null, value: string | null, message: string): void {
    const where = row === null ? this.file : `${this.file} line ${row}`;
    this.sink.finding({ ruleset: 'workforce', code, severity, file: this.file, row, section, field, value, childId: null, message: `${where}: ${message}` });
  }

  notStored(name: string, row: number | null, section: string): void {
    if (this.notStoredSeen.has(name)) return;
    this.notStoredSeen.add(name);
    this.finding(WORKFORCE_CODES.notStored, 'warning', row, section, name, null,
      `${name} is part of DfE's return but not stored here (no indicator uses it); reported once per file (${WORKFORCE_CODES.notStored})`);
  }

  unknown(name: string, row: number | null, section: string): void {
    if (this.notStoredSeen.has(name)) return;
    this.notStoredSeen.add(name);
    this.finding(WORKFORCE_CODES.unknownElement, 'warning', row, section, name, null,
      `${name} is not an element of the ${section} record; ignored, reported once per file (${WORKFORCE_CODES.unknownElement})`);
  }

  /** A CSWWWorker record → a csww_workers row, or nothing (with an error finding) when a field is unreadable. */
  worker(fields: ReadonlyMap<string, string>, row: number, census: string): void {
    const r = emptyRow('csww_workers');
    r.census_date = census;
    let ok = true;
    for (const [name, raw] of fields) {
      const spec = (WORKER_FIELDS as Record<string, readonly [string, FieldType]>)[name];
      if (!spec) {
        if (NOT_STORED.has(name)) this.notStored(name, row, 'CSWWWorker');
        else this.unknown(name, row, 'CSWWWorker');
        continue;
      }
      const c = convert(spec[1], raw);
      if (!c.ok) {
        ok = false;
        this.finding(WORKFORCE_CODES.badValue, 'error', row, 'CSWWWorker', name, raw,
          `${name} '${raw}' is not ${c.expected} — worker record not loaded (${WORKFORCE_CODES.badValue})`);
        continue;
      }
      (r as Record<string, unknown>)[spec[0]] = c.value;
    }
    if (!ok) return;
    if (r.swe_no === null) {
      this.finding(WORKFORCE_CODES.missingKey, 'error', row, 'CSWWWorker', 'SWENo', null,
        `no SWENo (Social Work England number): the record cannot be told apart from others — worker record not loaded (${WORKFORCE_CODES.missingKey})`);
      return;
    }
    const key = `${r.swe_no}|${r.role_start_date ?? ''}`;
    const earlier = this.keysSeen.get(key);
    if (earlier !== undefined) {
      this.finding(WORKFORCE_CODES.duplicate, 'warning', row, 'CSWWWorker', 'SWENo', r.swe_no,
        `SWENo ${r.swe_no} with the same RoleStartDate is also on line ${earlier}: the later record is kept (${WORKFORCE_CODES.duplicate})`);
    } else this.keysSeen.set(key, row);
    if (r.role_end_date !== null && r.role_end_date > census) {
      this.finding(WORKFORCE_CODES.endAfterCensus, 'warning', row, 'CSWWWorker', 'RoleEndDate', r.role_end_date,
        `RoleEndDate ${r.role_end_date} is after the census date ${census}: loaded, and counted as in post at the census date (${WORKFORCE_CODES.endAfterCensus})`);
    }
    this.sink.add('csww_workers', r, row);
  }

  vacancies(fields: ReadonlyMap<string, string>, row: number, census: string): void {
    const r = emptyRow('csww_vacancies');
    r.census_date = census;
    for (const [name, raw] of fields) {
      const spec = (VACANCY_FIELDS as Record<string, readonly [string, FieldType]>)[name];
      if (!spec) { this.unknown(name, row, 'LALevelVacancies'); continue; }
      const c = convert(spec[1], raw);
      if (!c.ok) {
        this.finding(WORKFORCE_CODES.badValue, 'error', row, 'LALevelVacancies', name, raw,
          `${name} '${raw}' is not ${c.expected} — vacancies not loaded (${WORKFORCE_CODES.badValue})`);
        return;
      }
      (r as Record<string, unknown>)[spec[0]] = c.value;
    }
    this.sink.add('csww_vacancies', r, row);
  }
}

class CswwXmlReader extends XmlStreamReader {
  private readonly path: string[] = [];
  private fields = new Map<string, string>();
  private textBuf = '';
  private recordLine = 0;
  private readonly b: RecordBuilder;
  census: string | null = null;
  private year: string | null = null;
  readonly parts = new Set<string>();

  constructor(private readonly file: string, private readonly sink: RecordSink) {
    super();
    this.b = new RecordBuilder(file, sink);
  }

  private reject(code: string, line: number | null, message: string): FileRejected {
    const where = line === null ? this.file : `${this.file} line ${line}`;
    const f: Finding = { ruleset: 'workforce', code, severity: 'error', file: this.file, row: line, section: null, field: null, value: null,
      message: `${where}: ${message} — nothing loaded from this file (${code})` };
    return new FileRejected(f.message, [f]);
  }

  protected refuseDoctype(line: number): FileRejected { return this.reject(WORKFORCE_CODES.doctype, line, 'the file declares a DOCTYPE (entities are not allowed)'); }
  protected refuseEmpty(): FileRejected { return this.reject(WORKFORCE_CODES.empty, null, 'the file is empty'); }
  protected refuseMalformed(line: number, detail: string): FileRejected { return this.reject(WORKFORCE_CODES.malformed, line, `not well-formed XML (${detail})`); }

  /** The census date: ReferenceDate, else 30 September of Year. */
  private censusDate(): string {
    if (this.census) return this.census;
    if (this.year && /^\d{4}$/.test(this.year)) return (this.census = `${this.year}-09-30`);
    throw this.reject(WORKFORCE_CODES.noReferenceDate, this.parser.line,
      'no Header/CollectionDetails/ReferenceDate (or Year) before the first record: the census date of the return is not known');
  }

  protected open(name: string): void {
    this.path.push(name);
    this.textBuf = '';
    if (this.path.length === 2 && (name === 'CSWWWorker' || name === 'LALevelVacancies')) {
      this.fields = new Map();
      this.recordLine = this.parser.line;
    }
  }

  protected text(t: string): void { this.textBuf += t; }

  protected close(): void {
    const name = this.path.pop()!;
    const depth = this.path.length; // depth of the closed element's parent
    const parent = this.path[depth - 1];
    if (depth === 3 && this.path[1] === 'Header' && parent === 'CollectionDetails') {
      if (name === 'ReferenceDate') {
        const d = parseIsoDate(this.textBuf) ?? parseUkDate(this.textBuf);
        if (!d) throw this.reject(WORKFORCE_CODES.noReferenceDate, this.parser.line, `ReferenceDate '${this.textBuf.trim()}' is not a date`);
        this.census = d;
      } else if (name === 'Year') this.year = this.textBuf.trim();
    } else if (depth === 2 && (parent === 'CSWWWorker' || parent === 'LALevelVacancies')) {
      this.fields.set(name, this.textBuf);
    } else if (depth === 1 && name === 'CSWWWorker') {
      this.parts.add('workers');
      this.b.worker(this.fields, this.recordLine, this.censusDate());
    } else if (depth === 1 && name === 'LALevelVacancies') {
      this.parts.add('vacancies');
      this.b.vacancies(this.fields, this.recordLine, this.censusDate());
    }
    this.textBuf = '';
  }
}

async function readCswwXml(path: string, sink: RecordSink): Promise<FileSummary> {
  const reader = new CswwXmlReader(basename(path), sink);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) reader.write(chunk as string);
  } finally {
    stream.destroy();
  }
  reader.end();
  return summaryFor([...reader.parts].sort(), reader.census);
}

/** Header → element name, matched without regard to case, spaces or underscores ('swe_no' is SWENo). */
function elementFor(header: string, names: readonly string[]): string | null {
  const norm = (s: string) => s.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, '');
  const h = norm(header);
  const aliases: Record<string, string> = { sweno: 'SWENo', referencedate: 'ReferenceDate', censusdate: 'ReferenceDate' };
  if (aliases[h]) return aliases[h];
  return names.find((n) => norm(n) === h) ?? null;
}

async function readCswwCsv(path: string, sink: RecordSink, part: 'workers' | 'vacancies'): Promise<FileSummary> {
  const file = basename(path);
  const b = new RecordBuilder(file, sink);
  const known = [...Object.keys(part === 'workers' ? WORKER_FIELDS : VACANCY_FIELDS), ...NOT_STORED, 'ReferenceDate'];
  const source = createReadStream(path);
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let header: (string | null)[] | null = null;
  let rawHeader: string[] = [];
  let census = null as string | null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!header) {
        rawHeader = record;
        header = record.map((h) => elementFor(h, known));
        if (!header.includes('ReferenceDate')) {
          const f: Finding = { ruleset: 'workforce', code: WORKFORCE_CODES.noReferenceDate, severity: 'error', file, row: line, section: part, field: 'ReferenceDate', value: null,
            message: `${file} line ${line}: no ReferenceDate column: the census date of the return is not known — nothing loaded from this file (${WORKFORCE_CODES.noReferenceDate})` };
          throw new FileRejected(f.message, [f]);
        }
        header.forEach((h, i) => { if (h === null && rawHeader[i].trim() !== '') b.unknown(rawHeader[i].trim(), line, part); });
        continue;
      }
      if (record.every((c) => c.trim() === '')) continue;
      const fields = new Map<string, string>();
      let ref = null as string | null;
      for (let i = 0; i < header.length; i++) {
        const h = header[i];
        if (h === null) continue;
        const v = record[i] ?? '';
        if (h === 'ReferenceDate') ref = v;
        else if (NOT_STORED.has(h)) { if (v.trim() !== '') b.notStored(h, line, part); }
        else fields.set(h, v);
      }
      const d = ref === null ? null : parseIsoDate(ref) ?? parseUkDate(ref);
      if (!d) {
        b.finding(WORKFORCE_CODES.noReferenceDate, 'error', line, part, 'ReferenceDate', ref,
          `ReferenceDate '${ref ?? ''}' is not a date: the census date of this record is not known — record not loaded (${WORKFORCE_CODES.noReferenceDate})`);
        continue;
      }
      census = census === null || d > census ? d : census;
      if (part === 'workers') b.worker(fields, line, d);
      else b.vacancies(fields, line, d);
    }
  } finally {
    source.destroy();
  }
  if (!header) {
    const f: Finding = { ruleset: 'workforce', code: WORKFORCE_CODES.empty, severity: 'error', file, row: null, section: part, field: null, value: null,
      message: `${file}: the file is empty — nothing loaded from this file (${WORKFORCE_CODES.empty})` };
    throw new FileRejected(f.message, [f]);
  }
  return summaryFor([part], census);
}

/** Reads a CSWW return (XML, or CSV of workers or of vacancies) into sink. */
export async function readWorkforce(path: string, sink: RecordSink, head: string): Promise<FileSummary> {
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('<') || path.toLowerCase().endsWith('.xml')) return readCswwXml(path, sink);
  const part = workforceCsvPart((trimmed.split(/\r?\n/)[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  if (!part) throw new FileRejected(`${basename(path)}: not a workforce return`, []);
  return readCswwCsv(path, sink, part);
}
