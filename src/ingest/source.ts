// Where a reader's bytes come from: a file path (every load), or bytes already in memory with the name the
// findings should give (the fuzz tests feed tens of thousands of inputs without touching the disk). Only the
// name's last part is ever used, and only in messages: never to build a path.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { Readable } from 'node:stream';

export type Source = string | { readonly name: string; readonly bytes: Buffer };

/** The file name findings give ('episodes.csv'). */
export const sourceName = (s: Source): string => basename(typeof s === 'string' ? s : s.name);

/** The extension, lower case ('.csv'). */
export const sourceExt = (s: Source): string => extname(sourceName(s)).toLowerCase();

/** The folder the file is in (for the SSDA903 year from a sibling episodes file); null for bytes in memory. */
export const sourceDir = (s: Source): string | null => (typeof s === 'string' ? dirname(s) : null);

export const sourceSize = (s: Source): number => (typeof s === 'string' ? statSync(s).size : s.bytes.length);

/** The first n bytes (fewer if the file is shorter). */
export function sourceHead(s: Source, n: number): Buffer {
  if (typeof s !== 'string') return s.bytes.subarray(0, n);
  const fd = openSync(s, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

export function sourceStream(s: Source, highWaterMark = 1 << 20): Readable {
  if (typeof s === 'string') return createReadStream(s, { highWaterMark });
  const chunks: Buffer[] = [];
  for (let i = 0; i < s.bytes.length; i += highWaterMark) chunks.push(s.bytes.subarray(i, i + highWaterMark));
  return Readable.from(chunks, { objectMode: false });
}

export const sourceBytes = async (s: Source): Promise<Buffer> => (typeof s === 'string' ? readFile(s) : s.bytes);
