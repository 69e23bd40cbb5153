// Hand-made zip archives for the hostile-input tests: real local headers, central directory and end record
// (PKWARE APPNOTE.TXT), with the sizes each part declares under the test's control, and deflate streams
// that expand to gigabytes built in milliseconds (one flushed block of zeros, repeated).
import { crc32, deflateRawSync, inflateRawSync, constants as zlib } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** the part's content (deflated here), or `raw` deflate data with its true expanded size */
  data?: Buffer;
  raw?: { deflated: Buffer; size: number };
  /** the uncompressed size written in the headers (default: the true size) */
  declared?: number;
  /** store instead of deflate */
  stored?: boolean;
}

export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of parts) {
    const method = e.stored ? 0 : 8;
    const body = e.raw ? e.raw.deflated : e.stored ? e.data! : deflateRawSync(e.data!);
    const size = e.declared ?? (e.raw ? e.raw.size : e.data!.length);
    const crc = e.data ? crc32(e.data) : 0;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(parts.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(parts.length, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A raw deflate stream expanding to `megabytes` MB of zeros: 1 MB of zeros deflated with a full flush (a
 * byte-aligned block that needs nothing before it), repeated, then an empty final block.
 */
export function zeroBomb(megabytes: number): { deflated: Buffer; size: number } {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlib.Z_FULL_FLUSH, level: 9 });
  const final = Buffer.from([0x03, 0x00]); // an empty fixed-Huffman block with BFINAL set
  return { deflated: Buffer.concat([...Array.from({ length: megabytes }, () => block), final]), size: megabytes * (1 << 20) };
}

/** The smallest parts exceljs needs to open a workbook, with the given sheet XML as 'List 1'. */
export function workbookParts(sheetXml: string): ZipPart[] {
  const text = (name: string, s: string): ZipPart => ({ name, data: Buffer.from(s) });
  return [
    text('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    text('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    text('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="List 1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    text('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    text('xl/worksheets/sheet1.xml', sheetXml),
  ];
}

export const sheetXml = (dimension: string | null, rows: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimension ? `<dimension ref="${dimension}"/>` : ''}<sheetData>${rows}</sheetData></worksheet>`;

/** The parts of a (well-formed) zip archive, by its central directory. */
export function unzip(buf: Buffer): ZipPart[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts: ZipPart[] = [];
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    const local = buf.readUInt32LE(p + 42);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(start, start + compressed);
    parts.push({ name, data: method === 8 ? inflateRawSync(body) : Buffer.from(body) });
  }
  return parts;
}
