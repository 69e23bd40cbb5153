// Every text input (CSV, JSON lines, XML) is read as UTF-8 and nothing else: the bytes are checked as they
// stream, and a file in another encoding, or one that is not text at all, is refused with the file, the line
// and what was found, before any row of it can be stored.
//
// Windows-1252 (Excel's plain "CSV" on Windows) and Latin-1 are refused, not decoded. Their bytes are valid in
// either reading and in other code pages, so decoding would be a guess, and a wrong guess silently changes
// text (a worker's or team's name, a free-text reason) that the returns' own checks cannot catch. UTF-16 is
// refused too, with or without a byte-order mark (Excel's "Unicode text"): one encoding keeps one set of line
// and column rules. The message says how to fix it: save as "CSV UTF-8". ASCII, which is what the DfE
// returns hold almost everywhere, is UTF-8.
//
// Binary content — a NUL byte, or the signature of a zip (an .xlsx renamed .csv), PDF, old Excel, gzip or
// image file at the start — is refused as not text (CSC003).
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform, type Readable } from 'node:stream';
import { FileRejected } from './errors.ts';
import type { Finding } from './types.ts';
import { sourceStream, type Source } from './source.ts';

export const TEXT_CODES = {
  /** error: the file is not UTF-8 text (another encoding); refused */
  encoding: 'CSC002',
  /** error: the file is binary (NUL bytes, or a zip/PDF/… signature); refused */
  binary: 'CSC003',
  /** error: a line or record longer than any real return has; refused */
  tooLong: 'CSC004',
} as const;

export type TextFormat = 'CSV' | 'JSON lines' | 'XML';

const FIX: Record<TextFormat, string> = {
  CSV: 'save it as CSV UTF-8 (Excel: Save As, "CSV UTF-8 (Comma delimited)")',
  'JSON lines': 'write it as UTF-8',
  XML: 'export it again as UTF-8',
};

/** File signatures that are certainly not text, with what to call them. */
const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an .xlsx workbook, perhaps, with its name changed)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old-style Excel (.xls) or other Office file' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
];

const BOMS: { bytes: number[]; what: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], what: 'UTF-32 text (byte-order mark 00 00 FE FF)' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], what: 'UTF-32 text (byte-order mark FF FE 00 00)' },
  { bytes: [0xff, 0xfe], what: 'UTF-16 text (byte-order mark FF FE)' },
  { bytes: [0xfe, 0xff], what: 'UTF-16 text (byte-order mark FE FF)' },
];

const startsWith = (buf: Buffer, bytes: number[]): boolean => buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

/** UTF-16 without a byte-order mark: ASCII characters with a NUL beside each (the first 64 bytes decide). */
function utf16WithoutBom(head: Buffer): string | null {
  const n = Math.min(head.length, 64) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.6 && evenNul === 0) return 'UTF-16 text without a byte-order mark (little-endian)';
  if (evenNul >= pairs * 0.6 && oddNul === 0) return 'UTF-16 text without a byte-order mark (big-endian)';
  return null;
}

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Offset of the first byte that breaks UTF-8 (the slow path, run only once a chunk has failed). */
function firstInvalid(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const len = sequenceLength(buf[i]);
    if (len === 0) return i;
    if (len > 1) {
      if (i + len > buf.length || !isUtf8(buf.subarray(i, i + len))) return i;
    }
    i += len;
  }
  return -1;
}

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Checks a byte stream as it goes: UTF-8, no NUL, no binary signature or non-UTF-8 byte-order mark at the
 * start. Throws FileRejected naming the file, the line and the byte. A chunk boundary may fall inside a
 * character: the incomplete end is held back and checked with the next chunk.
 */
export class Utf8Guard {
  private line = 1;
  private started = false;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly file: string, private readonly format: TextFormat) {}

  /** `what` says what was found and where, e.g. "byte 0xE9 at line 12". */
  private refuse(code: string, line: number | null, value: string | null, what: string): FileRejected {
    const message = code === TEXT_CODES.binary
      ? `${this.file}: not ${this.format} text — ${what} (${code}) — nothing loaded`
      : `${this.file}: not UTF-8 text (${what}) — ${FIX[this.format]} (${code}) — nothing loaded`;
    const finding: Finding = {
      ruleset: 'file', code, severity: 'error', file: this.file, row: line, section: null, field: null, value, childId: null, message,
    };
    return new FileRejected(message, [finding]);
  }

  private head(buf: Buffer): void {
    for (const s of SIGNATURES) if (startsWith(buf, s.bytes)) throw this.refuse(TEXT_CODES.binary, null, null, `it is ${s.what}`);
    for (const b of BOMS) if (startsWith(buf, b.bytes)) throw this.refuse(TEXT_CODES.encoding, null, null, b.what);
    const utf16 = utf16WithoutBom(buf);
    if (utf16) throw this.refuse(TEXT_CODES.encoding, null, null, utf16);
  }

  check(chunk: Buffer): void {
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.started) {
      if (buf.length < 8 && chunk.length > 0) { this.carry = buf; return; } // too little to tell the signature yet
      this.started = true;
      this.head(buf);
    }
    // hold back a character cut by the chunk boundary
    let keep = 0;
    for (let k = 1; k <= 3 && k <= buf.length; k++) {
      const len = sequenceLength(buf[buf.length - k]);
      if (len > 1) { if (len > k) keep = k; break; }
      if (len === 1) break;
    }
    this.carry = keep > 0 ? Buffer.from(buf.subarray(buf.length - keep)) : Buffer.alloc(0);
    if (keep > 0) buf = buf.subarray(0, buf.length - keep);
    const nul = buf.indexOf(0);
    if (nul !== -1) {
      const line = this.line + countNewlines(buf, nul);
      throw this.refuse(TEXT_CODES.binary, line, '0x00', `line ${line} has a NUL byte (binary content)`);
    }
    if (!isUtf8(buf)) {
      const at = firstInvalid(buf);
      const b = buf[at];
      const line = this.line + countNewlines(buf, at);
      const latin = b >= 0xa0 ? `, '${String.fromCharCode(b)}' in Windows-1252 or Latin-1` : b >= 0x80 && b < 0xa0 ? ', a Windows-1252 character' : '';
      throw this.refuse(TEXT_CODES.encoding, line, hex(b), `byte ${hex(b)} at line ${line}${latin}`);
    }
    this.line += countNewlines(buf);
  }

  /** The end of the file: a character left incomplete is an encoding error. */
  end(): void {
    if (!this.started && this.carry.length > 0) {
      this.started = true;
      const tail = this.carry;
      this.carry = Buffer.alloc(0);
      this.head(tail);
      this.check(tail);
    }
    if (this.carry.length > 0) {
      throw this.refuse(TEXT_CODES.encoding, this.line, hex(this.carry[0]), `byte ${hex(this.carry[0])} at line ${this.line} begins a character the file ends before`);
    }
  }
}

/** A file's bytes, checked by Utf8Guard as they pass (errors come out of the returned stream as FileRejected). */
export function checkedTextStream(path: Source, file: string, format: TextFormat, highWaterMark = 1 << 20): Readable {
  const guard = new Utf8Guard(file, format);
  const source = sourceStream(path, highWaterMark);
  const checked = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try { guard.check(chunk); done(null, chunk); } catch (err) { done(err as Error); }
    },
    flush(done) {
      try { guard.end(); done(); } catch (err) { done(err as Error); }
    },
  });
  source.on('error', (err) => checked.destroy(err));
  checked.on('close', () => source.destroy());
  return source.pipe(checked);
}

/** A whole (small) file as UTF-8 text, checked; a byte-order mark is kept for the caller's parser. */
export function readTextFile(path: string, file: string, format: TextFormat): string {
  const bytes = readFileSync(path);
  const guard = new Utf8Guard(file, format);
  guard.check(bytes);
  guard.end();
  return bytes.toString('utf8');
}

/** The same check over bytes already in memory. */
export function checkText(bytes: Buffer, file: string, format: TextFormat): void {
  const guard = new Utf8Guard(file, format);
  guard.check(bytes);
  guard.end();
}

/** A record over this many characters is not from any real return (an SSDA903 row is under 300). */
export const MAX_RECORD_CHARS = 1 << 20;

/** The refusal of a record or line longer than MAX_RECORD_CHARS. */
export function tooLong(file: string, line: number | null, what = 'the line'): FileRejected {
  const message = `${file}${line === null ? '' : ` line ${line}`}: ${what} is over ${MAX_RECORD_CHARS / (1 << 20)} MB long — not a real return, or a quote left open (${TEXT_CODES.tooLong}) — nothing loaded`;
  return new FileRejected(message, [{
    ruleset: 'file', code: TEXT_CODES.tooLong, severity: 'error', file, row: line, section: null, field: null, value: null, childId: null, message,
  }]);
}
