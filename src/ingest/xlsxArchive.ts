// An .xlsx workbook is a zip archive, and a zip can be a bomb: a few kilobytes that expand to gigabytes, or
// a workbook of a million rows that exceljs (about half a kilobyte of memory per cell) would hold in memory.
// checkXlsxArchive reads the archive's own directory and refuses such a file before anything expands it:
//   1. the end record and central directory (PKWARE APPNOTE.TXT 4.3.16, 4.3.12), no part expanded: at most
//      MAX_ENTRIES parts, each declaring at most MAX_PART_BYTES, all together MAX_EXPANDED_BYTES, none over
//      BIG_PART_BYTES expanding more than MAX_RATIO times; no ZIP64, encryption, duplicate or unsafe names;
//   2. then each part is inflated, capped at the size it declares (a header that understates cannot hide a
//      bomb), and each worksheet is measured: its declared <dimension> (read from the first bytes only,
//      before the rest is inflated) and its actual rows and cells against MAX_SHEET_ROWS and MAX_CELLS.
// Part names are only ever compared, never used to build a path: nothing here or in exceljs writes them to
// disk. Names with '..', a leading '/', a drive letter or a backslash are still refused, since no
// spreadsheet program writes them and a file carrying them was made to attack something.

import { isUtf8 } from 'node:buffer';
import { inflateRawSync, constants as zlib } from 'node:zlib';

/** Limits, chosen well above the largest Annex A (one authority, 6 months: tens of thousands of rows). */
export const XLSX_LIMITS = {
  MAX_FILE_BYTES: 100 * 1024 * 1024,
  MAX_ENTRIES: 1000,
  MAX_PART_BYTES: 200 * 1024 * 1024,
  MAX_EXPANDED_BYTES: 250 * 1024 * 1024,
  /** a part may expand this many times its compressed size once it is larger than BIG_PART_BYTES */
  MAX_RATIO: 100,
  BIG_PART_BYTES: 10 * 1024 * 1024,
  MAX_SHEET_ROWS: 200_000,
  /** cells in all worksheets together (exceljs keeps every cell in memory) */
  MAX_CELLS: 2_000_000,
} as const;

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, end64: 0x06064b50 } as const;
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;
const count = (n: number): string => n.toLocaleString('en-GB');

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  local: number;
}

/** 'A' → 1, 'XFD' → 16384 */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Why a part name is unsafe, or null. */
function unsafeName(name: string): string | null {
  if (name === '') return 'an empty name';
  if (name.includes('\0')) return 'a NUL character';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  if (name.split('/').some((s) => s === '..')) return "a '..' step out of the archive";
  return null;
}

/** Counts matches of a tag (any namespace prefix) in sheet XML, stopping once over `limit`. */
function countTags(xml: string, tag: string, limit: number): number {
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}\\b`, 'g');
  let n = 0;
  while (re.exec(xml) !== null) if (++n > limit) break;
  return n;
}

/**
 * Checks an .xlsx archive held in memory; `refuse(reason)` makes the error to throw (the reader's own
 * refusal, naming the file and rule). Returns normally only for an archive safe to give to exceljs.
 */
export function checkXlsxArchive(zip: Buffer, refuse: (reason: string) => Error): void {
  const L = XLSX_LIMITS;
  if (zip.length > L.MAX_FILE_BYTES) throw refuse(`the file is ${mb(zip.length)}, over the ${mb(L.MAX_FILE_BYTES)} limit for a workbook`);
  if (zip.length >= 4 && zip.readUInt32BE(0) === 0xd0cf11e0) {
    throw refuse('this is an old-style .xls workbook or a password-protected one; save it as .xlsx without a password');
  }
  if (zip.length < 22 || zip.readUInt32LE(0) !== SIG.local) throw refuse('not an .xlsx workbook (it is not a zip archive)');

  // 1. The directory alone.
  let eocd = -1;
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === SIG.end) { eocd = p; break; }
  }
  if (eocd < 0) throw refuse('the .xlsx archive is damaged or cut short (no central directory)');
  const entryCount = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (entryCount === 0xffff || cdOffset === 0xffffffff || (eocd >= 20 && zip.readUInt32LE(eocd - 20) === 0x07064b50)) {
    throw refuse('the archive is a ZIP64 archive (for over 65,535 parts or 4 GB), which no Annex A workbook needs: refused before expansion');
  }
  if (entryCount > L.MAX_ENTRIES) throw refuse(`the archive has ${count(entryCount)} parts, over the ${count(L.MAX_ENTRIES)} a workbook could need: refused before expansion`);
  const entries: Entry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < entryCount; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== SIG.central) throw refuse('the .xlsx archive is damaged (bad central directory)');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    if (p + 46 + nameLength > zip.length) throw refuse('the .xlsx archive is damaged (bad central directory)');
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    const local = zip.readUInt32LE(p + 42);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    const unsafe = unsafeName(name);
    if (unsafe) throw refuse(`part ${shown} has ${unsafe} in its name, which no workbook has: refused`);
    if (names.has(name)) throw refuse(`part ${shown} appears twice in the archive: refused`);
    names.add(name);
    if (flags & 1) throw refuse(`part ${shown} is encrypted; save the workbook without a password`);
    if (method !== 0 && method !== 8) throw refuse(`part ${shown} uses an unsupported compression method (${method})`);
    if (size === 0xffffffff || compressed === 0xffffffff) throw refuse(`part ${shown} declares a size over 4 GB: refused before expansion`);
    if (size > L.MAX_PART_BYTES) throw refuse(`part ${shown} would expand to ${mb(size)}, over the ${mb(L.MAX_PART_BYTES)} limit for one part: refused before expansion`);
    total += size;
    if (total > L.MAX_EXPANDED_BYTES) throw refuse(`the archive would expand to over ${mb(L.MAX_EXPANDED_BYTES)}: refused before expansion`);
    if (size > L.BIG_PART_BYTES && size > compressed * L.MAX_RATIO) {
      throw refuse(`part ${name} would expand ${Math.round(size / Math.max(compressed, 1))} times (${size} bytes from ${compressed}): refused as a possible zip bomb`);
    }
    if (method === 0 && size !== compressed) throw refuse(`part ${shown} is stored uncompressed but its two sizes differ: the archive is damaged`);
    entries.push({ name, method, compressed, size, local });
  }
  if (!names.has('xl/workbook.xml') && !names.has('/xl/workbook.xml')) throw refuse('the zip archive is not an Excel workbook (no xl/workbook.xml)');

  // 2. Each part, inflated no further than it declares; worksheets measured.
  let cells = 0;
  for (const e of entries) {
    if (e.local + 30 > zip.length || zip.readUInt32LE(e.local) !== SIG.local) throw refuse('the .xlsx archive is damaged (bad local header)');
    const start = e.local + 30 + zip.readUInt16LE(e.local + 26) + zip.readUInt16LE(e.local + 28);
    if (start + e.compressed > zip.length) throw refuse(`the .xlsx archive is cut short (part ${e.name})`);
    const data = zip.subarray(start, start + e.compressed);
    const sheet = WORKSHEET.test(e.name.replace(/^\//, ''));
    if (sheet && e.method === 8) {
      // The declared dimension, from the first bytes only (at most about a thousand times 4 KB come out).
      let head: Buffer;
      try {
        head = inflateRawSync(data.subarray(0, 4096), { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: Math.max(e.size, 1) });
      } catch {
        throw refuse(`part ${e.name} does not expand to its declared size (damaged, or a zip bomb): refused`);
      }
      checkDimension(e.name, head.toString('latin1', 0, Math.min(head.length, 8192)), refuse);
    }
    let out: Buffer = data;
    if (e.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(e.size, 1) });
      } catch {
        throw refuse(`part ${e.name} does not expand to its declared size (damaged, or a zip bomb): refused`);
      }
    }
    // Excel writes its XML parts in UTF-8; exceljs would read other bytes as U+FFFD without a word
    if (/\.(xml|rels)$/i.test(e.name)) {
      if (!isUtf8(out)) throw refuse(`part ${e.name} is not UTF-8 XML: the workbook is damaged`);
      // as for every XML input, no DOCTYPE (entities, external files); and exceljs would keep an undefined
      // entity's text as written, so a part using one is damaged, not a workbook any spreadsheet wrote
      const text = out.toString('latin1');
      if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw refuse(`part ${e.name} declares a DOCTYPE or entities, which no workbook has: refused for security`);
      const amp = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/.exec(text);
      // a part cut short (or its last tag lost) would be read by exceljs as far as it goes: rows lost in silence
      const root = /<([A-Za-z_][\w.:-]*)/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''));
      const end = text.trimEnd();
      if (root && !end.endsWith(`</${root[1]}>`) && !(end.endsWith('/>') && end.lastIndexOf('<') === text.indexOf(`<${root[1]}`))) {
        throw refuse(`part ${e.name} ends before its root element <${root[1]}> is closed: the workbook is cut short or damaged`);
      }
      if (amp) throw refuse(`part ${e.name} uses an undefined entity ('${text.slice(amp.index, amp.index + 12).split(/[\s<]/)[0]}'): the workbook is damaged`);
    }
    if (!sheet) continue;
    const xml = out.toString('latin1');
    if (e.method === 0) checkDimension(e.name, xml.slice(0, 8192), refuse);
    const rows = countTags(xml, 'row', L.MAX_SHEET_ROWS);
    if (rows > L.MAX_SHEET_ROWS) {
      throw refuse(`worksheet ${e.name} has over ${count(L.MAX_SHEET_ROWS)} rows, more than any Annex A list; delete empty or formatted rows below the data`);
    }
    cells += countTags(xml, 'c', L.MAX_CELLS - cells);
    if (cells > L.MAX_CELLS) throw refuse(`the workbook has over ${count(L.MAX_CELLS)} cells, more than any Annex A; delete empty or formatted rows and columns beyond the data`);
  }
}

function checkDimension(part: string, head: string, refuse: (reason: string) => Error): void {
  const m = /<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*["']\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?["']/.exec(head);
  if (!m) return; // optional in the format; the rows and cells are counted anyway
  const rows = (m[4] ? Number(m[4]) : Number(m[2])) - Number(m[2]) + 1;
  const cols = (m[3] ? columnNumber(m[3]) : columnNumber(m[1])) - columnNumber(m[1]) + 1;
  if (rows > XLSX_LIMITS.MAX_SHEET_ROWS || rows * cols > XLSX_LIMITS.MAX_CELLS) {
    throw refuse(`worksheet ${part} declares a range of ${count(Math.max(rows, 0))} rows by ${count(Math.max(cols, 0))} columns (${m[0].replace(/^<[^"']*["']|["']$/g, '')}), more than any Annex A list: refused before expansion; delete empty or formatted rows below the data`);
  }
}
