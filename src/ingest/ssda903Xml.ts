// Reads the XML form of the SSDA903 (children looked after) return. Each child's elements become rows of
// the eleven SSDA903 tables with the CSV column names (CHILD, DECOM, REVIEW_CODE, …), and every row goes
// through the same step as a CSV row (ssda903RowStep in ssda903.ts): the same rules, the same mapping to
// the canonical tables, the same findings. Streamed with saxes one <Child> at a time, so memory stays flat
// however large the file. A DOCTYPE (and so any entity declaration) or XML that is not well-formed refuses
// the whole file, as for the CIN census.
//
// Element names are matched ignoring case, namespace prefix, '_' and '-' (<MC_DOB>, <mc_dob>, <McDob>).
// Two layouts are accepted, and mixtures of them:
//
//   DfE's 903 XML, as produced by case management systems and read by Data to Insight's 903 validator
//   (lac_validator/ingress.py, tests/fake_data/fake_903.xml):
//     <EXPSSDA903><CHILD>
//       <HEADER> CHILDID UPN SEX DOB ETHNIC UASC DUC IN_TOUCH ACTIV ACCOM DATE_INT DATE_MATCH FOSTER_CARE
//                NB_ADOPTR SEX_ADOPTR LS_ADOPTR MOTHER MC_DOB
//                <AREVIEW> REVIEW REVIEW_CODE </AREVIEW>…  <AMISSING> MISSING MIS_START MIS_END </AMISSING>…
//                <OC2>…</OC2>  <PERMANENCE> PREV_PERM LA_PERM DATE_PERM </PERMANENCE>
//                <AD_PLACED> DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED </AD_PLACED>… </HEADER>
//       <EPISODE> DECOM RNE LS CIN PL PL_POST HOME_POST URN PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE </EPISODE>…
//     </CHILD>…</EXPSSDA903>
//   (CHILDID is read as CHILD and PL as PLACE; UASC is a flag: 1 means a UASC row for the child.)
//
//   The column-name form, in a DfE <Message> with a <Header>:
//     <Message><Header><CollectionDetails><Collection>SSDA903</Collection><Year>2025</Year>
//       <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
//     <Children><Child> CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB
//       <Episodes><Episode> DECOM RNE … URN </Episode>…</Episodes>   <Reviews><Review> REVIEW REVIEW_CODE </Review>…</Reviews>
//       <UASC> DUC </UASC>  <OC2>…</OC2>  <OC3>…</OC3>  <AD1>…</AD1>  <PlacedForAdoption>…</PlacedForAdoption>
//       <PreviousPermanence>…</PreviousPermanence>  <Missing>…</Missing>  <SocialWorkerEpisode> SW_ID SW_DECOM SW_DEC SW_REASON </SocialWorkerEpisode>
//     </Child>…</Children></Message>
//
// Where things may be, in detail:
//   - a Child's own items (CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB) directly in the Child or in its HEADER;
//     so may the items of the tables with one row per child (UASC's DUC, OC2, OC3, AD1, PREV_PERM/LA_PERM/
//     DATE_PERM): any of them given makes that table's row for the child;
//   - a record of a table as an element named for it — Episode; Review or AREVIEW; UASC; OC2; OC3; AD1;
//     PlacedForAdoption or AD_PLACED; PreviousPermanence or PERMANENCE; Missing, AMISSING or MissingEpisode;
//     SocialWorkerEpisode or SWEpisode — in the Child, its HEADER, or a wrapper named with an added 's'
//     (Episodes, Reviews, SWEpisodes, MissingEpisodes, …), its items named as the table's CSV columns;
//   - every record takes CHILD, DOB and SEX from its Child unless it gives them itself;
//   - REVIEW, MISSING and UASC name a record in the Child and an item inside their own record (the review
//     date, the missing type); a <UASC> with text and no items is DfE's flag;
//   - the <SocialWorkerEpisode>/<SWEpisode> names are ours (no public sample has social worker episodes in XML).
// Anything else is reported once per file (CSC313) and skipped with its content. A record element with no
// items (<UASC />, <OC2/>) makes no row; one with items makes a row even if they are blank (<UASC><DUC/></UASC>:
// UASC, not ceased).
//
// Dates: ISO (2025-03-31, optionally with a time or zone) or dd/mm/yyyy. Ids stay text (leading zeros kept).
// Rows are located by the line their element starts on and its path: 'line 42, Child 3 Episode 2' (the
// child's header row and the one-per-child rows made from its own items: 'Child 3').
//
// The collection year: the header's ReferenceDate (31 March 2025 → 2024-25), else its Year (2025, the year
// the collection ends, → 2024-25); else --year or the folder name, as for the CSVs; else the reporting
// year of the latest episode start (DECOM) in the file, with a finding (CSC307). Header and --year/folder
// disagreeing: the header wins, with a finding. Without any year, the checks against the year are skipped
// (said once) and OC2/OC3 rows, recorded per year, are not loaded.
//
// Codes: CSC304 empty file; CSC307 collection year; CSC310 DOCTYPE; CSC311 not well-formed; CSC312 not an
// SSDA903 return (root element, or the header's Collection); CSC313 element not part of the return here;
// CSC314 text between elements; CSC315 an item given twice in one record (the first is kept).
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { SaxesParser } from 'saxes';
import { XmlStreamReader } from './xmlStream.ts';
import { checkedTextStream } from './textFile.ts';
import { sourceName, sourceSize, sourceStream, type Source } from './source.ts';
import { reportingYearOf } from '../periods.ts';
import { FileRejected } from './errors.ts';
import { SSDA903_COLUMNS, SSDA903_STORED, SSDA903_TABLES, ssda903RowStep, type Ssda903RowHook, type Ssda903RowStep } from './ssda903.ts';
import {
  collectionYear as yearBounds, FILE_CODES, rulesFor, ukDate, type CollectionYear, type Ssda903Table,
} from './ssda903Rules.ts';
import type { FileSummary, Finding, RecordSink } from './types.ts';
import { parseBool, parseIsoDate, parseUkDate } from './values.ts';

export const XML_CODES = {
  /** error: a DOCTYPE can declare entities that expand without bound or read local files; the file is refused */
  doctype: 'CSC310',
  /** error: XML that is not well-formed cannot be trusted to be complete; the file is refused */
  malformed: 'CSC311',
  /** error: the root element, or the header's Collection, is not that of an SSDA903 return; the file is refused */
  notSsda903: 'CSC312',
  /** warning: an element the return does not have here; skipped with its content (reported once per file) */
  unknownElement: 'CSC313',
  /** warning: text between elements; ignored */
  strayText: 'CSC314',
  /** warning: an item given twice in one record; the first is kept */
  repeated: 'CSC315',
} as const;

// ---------------------------------------------------------------------------------------------
// Element names

/** Element names repeat (a few dozen in a file): each is normalised once. */
const KEYS = new Map<string, string>();

/** 'ns:Mc_Dob' → 'MCDOB': no namespace prefix, upper case, no '_', '-', '.' or spaces. */
function keyOf(rawName: string): string {
  let key = KEYS.get(rawName);
  if (key === undefined) {
    const colon = rawName.indexOf(':');
    key = (colon >= 0 ? rawName.slice(colon + 1) : rawName).toUpperCase().replace(/[_\-.\s]/g, '');
    if (KEYS.size < 10_000) KEYS.set(rawName, key);
  }
  return key;
}
const localName = (rawName: string): string => rawName.slice(rawName.indexOf(':') + 1);

const ROOTS = new Set(['MESSAGE', 'EXPSSDA903', 'SSDA903']);

/** Tables with (at most) one row per child: their items may be given directly in the Child. */
const ONE_PER_CHILD: readonly Ssda903Table[] = ['header', 'uasc', 'oc2', 'oc3', 'ad1', 'previous_permanence'];
/** Tables with many rows per child: located with their number within the child ('Episode 2'). */
const REPEATING = new Set<Ssda903Table>(['episodes', 'reviews', 'placed_for_adoption', 'missing', 'sw_episodes']);
/** Columns every record takes from its Child unless it gives them. */
const FROM_CHILD = ['CHILD', 'DOB', 'SEX'] as const;

/** A record element's name → its table. */
const RECORDS = new Map<string, Ssda903Table>([
  ['EPISODE', 'episodes'],
  ['REVIEW', 'reviews'], ['AREVIEW', 'reviews'],
  ['UASC', 'uasc'],
  ['OC2', 'oc2'], ['OC3', 'oc3'], ['AD1', 'ad1'],
  ['PLACEDFORADOPTION', 'placed_for_adoption'], ['ADPLACED', 'placed_for_adoption'],
  ['PREVIOUSPERMANENCE', 'previous_permanence'], ['PERMANENCE', 'previous_permanence'],
  ['MISSING', 'missing'], ['AMISSING', 'missing'], ['MISSINGEPISODE', 'missing'],
  ['SOCIALWORKEREPISODE', 'sw_episodes'], ['SWEPISODE', 'sw_episodes'],
]);
/** A wrapper of records ('Episodes') → their table. */
const WRAPPERS = new Map<string, Ssda903Table>([...RECORDS].map(([name, table]) => [`${name}S`, table]));

/** Spellings of DfE's XML for a column (any table): CHILDID is CHILD. */
const COMMON_ALIASES: Readonly<Record<string, string>> = { CHILDID: 'CHILD' };
/** Per table: PL is the episode's PLACE. */
const TABLE_ALIASES: Partial<Record<Ssda903Table, Readonly<Record<string, string>>>> = { episodes: { PL: 'PLACE' } };

/** Item names inside a record of each table → column. */
const RECORD_FIELDS = new Map<Ssda903Table, Map<string, string>>(SSDA903_TABLES.map((t) => {
  const fields = new Map<string, string>();
  for (const c of SSDA903_COLUMNS[t]) fields.set(keyOf(c), c);
  for (const [alias, c] of Object.entries({ ...COMMON_ALIASES, ...TABLE_ALIASES[t] })) fields.set(alias, c);
  return [t, fields];
}));

/** Item names allowed directly in a Child (or its HEADER) → column, and the one-per-child table each belongs to. */
const CHILD_FIELDS = new Map<string, string>(Object.entries(COMMON_ALIASES));
const OWNER = new Map<string, Ssda903Table>();
for (const t of ONE_PER_CHILD) {
  for (const c of SSDA903_COLUMNS[t]) {
    CHILD_FIELDS.set(keyOf(c), c);
    if (!(FROM_CHILD as readonly string[]).includes(c)) OWNER.set(c, t);
  }
}
/** Each one-per-child table's own items (those not taken from the Child). */
const OWN_COLUMNS = new Map<Ssda903Table, string[]>(ONE_PER_CHILD.map((t) => [t, SSDA903_COLUMNS[t].filter((c) => OWNER.get(c) === t)]));

// ---------------------------------------------------------------------------------------------
// Recognising the file (load.ts detectKind) and its dates

/** True when the first bytes of an XML file are an SSDA903 return rather than a CIN census. */
export function isSsda903XmlHead(head: string): boolean {
  const collection = /<(?:[\w.-]+:)?Collection\s*>\s*([^<]*)</i.exec(head);
  if (collection) return /903/.test(collection[1]);
  const names = [...head.matchAll(/<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)/g)].map((m) => keyOf(m[1]));
  if (names.length > 0 && (names[0] === 'EXPSSDA903' || names[0] === 'SSDA903')) return true;
  return names.some((n) => n === 'DECOM' || n === 'EPISODE' || n === 'EPISODES' || n === 'CHILDID' || n === 'AREVIEW');
}

/** True for a file to be read as XML: named .xml, or beginning with '<'. */
export function looksLikeXml(path: string): boolean {
  if (extname(path).toLowerCase() === '.xml') return true;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('<');
  } finally {
    closeSync(fd);
  }
}

const ISO_WITH_TIME = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?$/;

/** An XML date: ISO (xs:date or xs:dateTime) or dd/mm/yyyy → ISO date, or null. */
export function parseXmlDate(v: string): string | null {
  const iso = ISO_WITH_TIME.exec(v);
  return iso ? parseIsoDate(iso[1]) : parseUkDate(v);
}

function yearLabel(y: number): string {
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// First look: the header's collection and year (and, when no year is known at all, the latest DECOM)

interface FirstLook {
  collection: string | null;
  year: string | null;
  referenceDate: string | null;
  latestDecom: string | null;
}

/**
 * Reads the start of the file for the message header, stopping as soon as the year is settled (at the
 * end of the header or the first Child); only when neither the header nor the caller gives a year does it
 * read on to the end for the latest episode start. Problems are left for the main pass to report.
 */
async function firstLook(path: Source, callerGivesYear: boolean): Promise<FirstLook> {
  const look: FirstLook = { collection: null, year: null, referenceDate: null, latestDecom: null };
  const parser = new SaxesParser();
  const open: string[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const STOP = new Error('enough');
  let capture: string | null = null;
  let text = '';
  let scanDecoms = false;
  const settled = () => callerGivesYear || headerYear(look) !== null;

  parser.on('doctype', () => { throw STOP; });
  parser.on('opentagstart', (tag) => {
    const key = keyOf(tag.name);
    open.push(key);
    if ((key === 'CHILD' || key === 'CHILDREN') && open.length <= 3 && !scanDecoms) {
      if (settled()) throw STOP;
      scanDecoms = true;
    }
    if (open[1] === 'HEADER' && open.length >= 3 && (key === 'COLLECTION' || key === 'YEAR' || key === 'REFERENCEDATE')) {
      capture = key;
      text = '';
    } else if (scanDecoms && key === 'DECOM') {
      capture = key;
      text = '';
    }
  });
  parser.on('text', (t) => { if (capture) text += t; });
  parser.on('closetag', () => {
    const key = open.pop();
    if (capture !== null && key === capture) {
      const v = text.trim();
      if (key === 'COLLECTION') look.collection ??= v;
      else if (key === 'YEAR') look.year ??= v;
      else if (key === 'REFERENCEDATE') look.referenceDate ??= v;
      else {
        const iso = parseXmlDate(v);
        if (iso && iso <= today && (look.latestDecom === null || iso > look.latestDecom)) look.latestDecom = iso;
      }
      capture = null;
    }
    if (key === 'HEADER' && open.length === 1 && settled()) throw STOP;
  });

  const stream = sourceStream(path, 1 << 16).setEncoding('utf8');
  let first = true;
  try {
    for await (const chunk of stream) {
      parser.write(first ? (chunk as string).replace(/^\uFEFF/, '') : (chunk as string));
      first = false;
    }
  } catch {
    // stopped early, or not well-formed: the main pass says so
  } finally {
    stream.destroy();
  }
  return look;
}

interface HeaderYear {
  year: number;
  /** what the header said, for findings: 'ReferenceDate 31/03/2025' */
  said: string;
}

function headerYear(look: FirstLook): HeaderYear | null {
  const ref = look.referenceDate ? parseXmlDate(look.referenceDate) : null;
  if (ref) return { year: Number(reportingYearOf(ref).start.slice(0, 4)), said: `ReferenceDate ${ukDate(ref)}` };
  const y = look.year ?? '';
  if (/^\d{4}$/.test(y)) return { year: Number(y) - 1, said: `Year ${y}` };
  const pair = /^(\d{4})[-/](\d{2})$/.exec(y);
  if (pair && (Number(pair[1]) + 1) % 100 === Number(pair[2])) return { year: Number(pair[1]), said: `Year ${y}` };
  return null;
}

// ---------------------------------------------------------------------------------------------
// The main pass

type Role = 'root' | 'skip' | 'children' | 'child' | 'childHeader' | 'wrapper' | 'record' | 'field';

interface XmlRecord {
  table: Ssda903Table;
  /** the element's name as written, for locators */
  name: string;
  line: number;
  values: Record<string, string>;
}

interface ChildState extends XmlRecord {
  number: number;
  records: XmlRecord[];
  /** text of a <UASC>1</UASC> flag (DfE's layout) */
  uascFlag: string;
  /** structural findings, given the child id when the Child closes */
  pending: Finding[];
}

interface Frame {
  role: Role;
  name: string;
  key: string;
  line: number;
  text: string;
  hasElements: boolean;
  /** wrapper: the table of its records */
  table?: Ssda903Table;
  /** record: the record; field: the record (or Child) it belongs to */
  record?: XmlRecord;
  /** field: the column */
  column?: string;
}

function newlinesAfterContent(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && /\s/.test(s[i]); i--) if (s[i] === '\n') n++;
  return n;
}

class Ssda903XmlReader extends XmlStreamReader {
  private readonly stack: Frame[] = [];
  private child: ChildState | null = null;
  private children = 0;
  private sawRoot = false;
  private readonly unknownSeen = new Set<string>();
  readonly stored = new Set<Ssda903Table>();
  readonly columnMap: Partial<Record<Ssda903Table, Record<string, string>>> = {};

  constructor(
    private readonly file: string,
    private readonly sink: RecordSink,
    private readonly step: Ssda903RowStep,
    private readonly year: CollectionYear | null,
    /** findings about the file as a whole, given once its root element shows it is an SSDA903 return */
    private readonly fileFindings: Finding[],
  ) {
    super();
  }

  protected refuseDoctype(line: number): FileRejected {
    return this.rejection(XML_CODES.doctype, line, 'DOCTYPE',
      'the file declares a DOCTYPE; XML with DOCTYPE or entity declarations is refused for security');
  }

  protected refuseEmpty(): FileRejected {
    const message = `${this.file}: the file is empty — nothing loaded (${FILE_CODES.empty})`;
    return new FileRejected(message, [this.fileFinding(FILE_CODES.empty, 'error', null, null, null, message)]);
  }

  protected refuseMalformed(line: number, detail: string): FileRejected {
    return this.rejection(XML_CODES.malformed, line, null, `the file is not well-formed XML (${detail})`);
  }

  private fileFinding(code: string, severity: 'error' | 'warning', row: number | null, section: string | null, field: string | null, message: string, value: string | null = null): Finding {
    return { ruleset: 'file', code, severity, file: this.file, row, section, field, value, childId: null, message };
  }

  private rejection(code: string, line: number | null, field: string | null, what: string): FileRejected {
    const where = line === null ? this.file : `${this.file} line ${line}`;
    const message = `${where}: ${what} — nothing loaded from this file (${code})`;
    return new FileRejected(message, [this.fileFinding(code, 'error', line, null, field, message)]);
  }

  /** A structural warning: held until the Child closes (to carry its id), or reported at once outside a Child. */
  private structural(code: string, line: number, section: string, field: string | null, value: string | null, detail: string): void {
    const where = this.child ? `, ${this.child.name} ${this.child.number}` : '';
    const finding = this.fileFinding(code, 'warning', line, section, field, `${this.file} line ${line}${where}: ${detail} (${code})`, value);
    if (this.child) this.child.pending.push(finding);
    else this.sink.finding(finding);
  }

  private strayText(line: number, element: string, text: string): void {
    const quoted = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    this.structural(XML_CODES.strayText, line, element, null, text, `text '${quoted}' between elements in <${element}> — ignored`);
  }

  private push(role: Role, name: string, key: string, line: number, extra: Partial<Frame> = {}): void {
    this.stack.push({ role, name, key, line, text: '', hasElements: false, ...extra });
  }

  private unknown(parent: Frame, name: string, key: string, line: number): void {
    const seen = `${parent.key}/${key}`;
    if (!this.unknownSeen.has(seen) && this.unknownSeen.size < 1000) {
      this.unknownSeen.add(seen);
      this.structural(XML_CODES.unknownElement, line, parent.name, name, null,
        `<${name}> inside <${parent.name}> is not part of the SSDA903 return there — skipped with its content (reported once per file)`);
    }
    this.push('skip', name, key, line);
  }

  protected open(rawName: string): void {
    const name = localName(rawName);
    const key = keyOf(rawName);
    const line = this.parser.line;
    const parent = this.stack.length > 0 ? this.stack[this.stack.length - 1] : null;
    if (!parent) {
      if (!ROOTS.has(key) || this.sawRoot) {
        throw this.rejection(XML_CODES.notSsda903, line, name,
          `the file is not an SSDA903 return: its root element is <${rawName}>, not <Message> or <EXPSSDA903>`);
      }
      this.sawRoot = true;
      for (const f of this.fileFindings) this.sink.finding(f);
      this.push('root', name, key, line);
      return;
    }
    if (parent.role === 'skip') {
      this.push('skip', name, key, line);
      return;
    }
    parent.hasElements = true;
    switch (parent.role) {
      case 'root':
        if (key === 'HEADER') this.push('skip', name, key, line); // the message header: read by firstLook
        else if (key === 'CHILDREN') this.push('children', name, key, line);
        else if (key === 'CHILD') this.openChild(name, key, line);
        else this.unknown(parent, name, key, line);
        return;
      case 'children':
        if (key === 'CHILD') this.openChild(name, key, line);
        else this.unknown(parent, name, key, line);
        return;
      case 'child': case 'childHeader': {
        const child = this.child!;
        const table = RECORDS.get(key);
        const column = CHILD_FIELDS.get(key);
        if (key === 'HEADER' && parent.role === 'child') this.push('childHeader', name, key, line);
        else if (table) this.push('record', name, key, line, { record: { table, name, line, values: {} } });
        else if (WRAPPERS.has(key)) this.push('wrapper', name, key, line, { table: WRAPPERS.get(key) });
        else if (column) this.push('field', name, key, line, { record: child, column });
        else this.unknown(parent, name, key, line);
        return;
      }
      case 'wrapper':
        if (RECORDS.get(key) === parent.table) {
          this.push('record', name, key, line, { record: { table: parent.table!, name, line, values: {} } });
        } else {
          this.unknown(parent, name, key, line);
        }
        return;
      case 'record': {
        const record = parent.record!;
        const column = RECORD_FIELDS.get(record.table)!.get(key);
        if (column) this.push('field', name, key, line, { record, column });
        else this.unknown(parent, name, key, line);
        return;
      }
      default: // inside an item
        this.unknown(parent, name, key, line);
    }
  }

  private openChild(name: string, key: string, line: number): void {
    this.children += 1;
    this.child = {
      table: 'header', name, line, values: {}, number: this.children, records: [], uascFlag: '', pending: [],
    };
    this.push('child', name, key, line);
  }

  protected text(t: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top.role === 'skip') return; // outside the root saxes reports non-blank text itself
    if (top.role === 'field' || top.role === 'record') {
      top.text += t;
    } else if (/\S/.test(t)) {
      const line = this.parser.line - newlinesAfterContent(t);
      this.strayText(line, top.name, t.trim());
    }
  }

  protected close(): void {
    const f = this.stack.pop()!;
    switch (f.role) {
      case 'field': {
        const record = f.record!;
        const column = f.column!;
        const value = f.text.trim();
        if (record.values[column] !== undefined) {
          this.structural(XML_CODES.repeated, f.line, record.table, column, value,
            `${column} '${value}' is a second ${column} in <${record.name}> (the first: '${record.values[column]}') — the first is kept`);
        } else {
          record.values[column] = value;
          const table = record === this.child ? (OWNER.get(column) ?? 'header') : record.table;
          const map = (this.columnMap[table] ??= {});
          const stored = SSDA903_STORED[table].columns[column];
          if (stored && map[f.name] === undefined) map[f.name] = stored;
        }
        return;
      }
      case 'record': {
        const record = f.record!;
        const text = f.text.trim();
        if (!f.hasElements && record.table === 'uasc') {
          this.child!.uascFlag ||= text; // DfE's <UASC>1</UASC>
        } else {
          if (text !== '') this.strayText(f.line, f.name, text);
          this.child!.records.push(record);
        }
        return;
      }
      case 'child':
        this.endChild(this.child!);
        this.child = null;
        return;
      default:
        return;
    }
  }

  /** The Child's rows, each through the shared step: its header row, the one-per-child rows from its own items, then its records. */
  private endChild(child: ChildState): void {
    const id = child.values.CHILD ?? '';
    for (const f of child.pending) {
      f.childId = id === '' ? null : id;
      this.sink.finding(f);
    }
    const where = `${child.name} ${child.number}`;
    this.row('header', child.values, child.values, child.line, where);
    for (const table of ONE_PER_CHILD) {
      if (table === 'header') continue;
      let given = OWN_COLUMNS.get(table)!.some((c) => (child.values[c] ?? '') !== '');
      if (table === 'uasc' && child.uascFlag !== '' && parseBool(child.uascFlag) !== false) given = true;
      if (given) this.row(table, child.values, child.values, child.line, where);
    }
    const counts = new Map<Ssda903Table, number>();
    for (const record of child.records) {
      if (Object.keys(record.values).length === 0) continue; // <OC2/>, <Episode></Episode>: no items, no row
      const n = (counts.get(record.table) ?? 0) + 1;
      counts.set(record.table, n);
      this.row(record.table, child.values, record.values, record.line, `${where} ${record.name}${REPEATING.has(record.table) ? ` ${n}` : ''}`);
    }
  }

  private row(table: Ssda903Table, fromChild: Record<string, string>, values: Record<string, string>, line: number, where: string): void {
    const r: Record<string, string> = {};
    for (const c of SSDA903_COLUMNS[table]) r[c] = values[c] || ((FROM_CHILD as readonly string[]).includes(c) ? (fromChild[c] ?? '') : '');
    if ((table === 'oc2' || table === 'oc3') && this.year === null) {
      this.sink.finding({
        ruleset: 'file', code: FILE_CODES.collectionYear, severity: 'error', file: this.file, row: line, section: table, field: null,
        value: null, childId: r.CHILD || null,
        message: `${this.file} line ${line}, ${where}: ${table.toUpperCase()} rows are recorded per collection year, and neither the header, --year, the folder name nor an episode start says which — row not loaded (${FILE_CODES.collectionYear})`,
      });
      return;
    }
    if (this.step(table, r, line, where)) this.stored.add(table);
  }
}

// ---------------------------------------------------------------------------------------------

export interface ReadSsda903XmlOptions {
  /** the year from --year or the folder name (start year, 2024 = 2024-25); the header's year wins over it */
  collectionYear?: number;
  /** called with every row as read, before its checks (as ReadSsda903Options.onRow) */
  onRow?: Ssda903RowHook;
}

/**
 * Streams an SSDA903 XML return into the sink. Throws FileRejected (nothing from the file to be kept) for
 * an empty file (CSC304), a DOCTYPE or entity declaration (CSC310), XML that is not well-formed (CSC311,
 * with saxes' line and column), or a file that is not an SSDA903 return (CSC312). Rows already given to
 * the sink before a late rejection are discarded by the loader, whose load is one transaction.
 */
export async function readSsda903Xml(path: Source, sink: RecordSink, options: ReadSsda903XmlOptions = {}): Promise<FileSummary> {
  const file = sourceName(path);
  const fileFinding = (code: string, severity: 'error' | 'warning', message: string, field: string | null = null, value: string | null = null): Finding => ({
    ruleset: 'file', code, severity, file, row: null, section: null, field, value, childId: null, message,
  });
  // Said once the main pass has seen the root element (a file refused for its DOCTYPE says only that).
  const yearFindings: Finding[] = [];
  const yearFinding = (message: string) => { yearFindings.push(fileFinding(FILE_CODES.collectionYear, 'warning', message)); };
  if (sourceSize(path) === 0) {
    const message = `${file}: the file is empty — nothing loaded (${FILE_CODES.empty})`;
    throw new FileRejected(message, [fileFinding(FILE_CODES.empty, 'error', message)]);
  }

  const look = await firstLook(path, options.collectionYear !== undefined);
  if (look.collection !== null && !/903/.test(look.collection)) {
    const message = `${file}: the header's Collection is '${look.collection}', not SSDA903 — nothing loaded from this file (${XML_CODES.notSsda903})`;
    throw new FileRejected(message, [fileFinding(XML_CODES.notSsda903, 'error', message, 'Collection', look.collection)]);
  }

  let year: number | null = null;
  const fromHeader = headerYear(look);
  if (look.referenceDate && !parseXmlDate(look.referenceDate)) {
    yearFinding(`${file}: the header's ReferenceDate '${look.referenceDate}' is not a date${fromHeader ? `; the collection year is taken from ${fromHeader.said}` : ''} (${FILE_CODES.collectionYear})`);
  }
  if (fromHeader) {
    year = fromHeader.year;
    if (options.collectionYear !== undefined && options.collectionYear !== year) {
      yearFinding(`${file}: the header's ${fromHeader.said} makes the collection year ${yearLabel(year)}, but ${yearLabel(options.collectionYear)} was given (--year or the folder name) — the header's year is used (${FILE_CODES.collectionYear})`);
    }
  } else if (options.collectionYear !== undefined) {
    year = options.collectionYear;
  } else if (look.latestDecom) {
    year = Number(reportingYearOf(look.latestDecom).start.slice(0, 4));
    yearFinding(`${file}: collection year not given; taken as ${yearLabel(year)} from the latest episode start (DECOM ${ukDate(look.latestDecom)}) in the file — give it (a header ReferenceDate, --year, or a folder named ${yearLabel(year)}) if that is wrong (${FILE_CODES.collectionYear})`);
  } else {
    const skipped = SSDA903_TABLES.flatMap((t) => rulesFor(t).filter((r) => r.needsYear).map((r) => r.code));
    yearFinding(`${file}: collection year not known, so rules ${[...new Set(skipped)].join(', ')} (dates against the year) were not checked and OC2/OC3 rows cannot be loaded — give the year (a header ReferenceDate, --year, or a folder named like 2024-25) (${FILE_CODES.collectionYear})`);
  }
  const bounds = year === null ? null : yearBounds(year);

  const step = ssda903RowStep({ file, sink, year: bounds, parseDate: parseXmlDate, onRow: options.onRow });
  const reader = new Ssda903XmlReader(file, sink, step, bounds, yearFindings);
  const stream = checkedTextStream(path, file, 'XML').setEncoding('utf8'); // UTF-8 only (textFile.ts)
  try {
    for await (const chunk of stream) reader.write(chunk as string);
  } finally {
    stream.destroy();
  }
  reader.end();

  const parts = SSDA903_TABLES.filter((t) => reader.stored.has(t));
  const summary: FileSummary = { kind: 'ssda903', parts, columnMap: reader.columnMap as Record<string, Record<string, string>> };
  if (bounds) {
    summary.collectionYear = bounds.year;
    summary.periodStart = bounds.start;
    summary.periodEnd = bounds.end;
  }
  return summary;
}
