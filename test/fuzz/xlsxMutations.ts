// Mutations of an .xlsx archive for the Annex A fuzz test: its bytes, one part's XML, or its parts.
import { BYTE_MUTATIONS, XML_MUTATIONS, type Mutation } from './mutate.ts';
import { unzip, zip } from '../helpers/zip.ts';

/** Breaking the XML of a part makes exceljs (or the archive check) refuse the file: those are certain. */
const BREAKS_XML = new Set(['DOCTYPE', 'delete a close tag', 'duplicate an open tag', 'rename an open tag', 'entity without DOCTYPE', 'NUL byte', 'Latin-1 byte', 'UTF-16', 'random bytes']);

const PART_MUTATIONS: Mutation[] = [...XML_MUTATIONS.filter((m) => !['deep nesting', 'stray text', 'unknown element', 'invalid date'].includes(m.name))].map((m) => ({
  name: `part XML: ${m.name}`,
  certain: BREAKS_XML.has(m.name),
  apply: (bytes, rng) => {
    const parts = unzip(bytes);
    const xmlParts = parts.filter((p) => /\.xml$/.test(p.name));
    const sheets = xmlParts.filter((p) => p.name.startsWith('xl/worksheets/') || p.name === 'xl/sharedStrings.xml' || p.name === 'xl/workbook.xml');
    // a break is certain to be noticed only in a part the reader reads (docProps is not)
    const target = (BREAKS_XML.has(m.name) || rng.bernoulli(0.8)) && sheets.length ? rng.pick(sheets) : rng.pick(xmlParts);
    const changed = m.apply(target.data!, rng);
    if (changed.equals(target.data!)) return bytes; // nothing to change in this part: the input stays as it was
    target.data = changed;
    return zip(parts);
  },
}));

/** Part and archive mutations need a readable archive: after a byte mutation has broken it they change nothing. */
const onArchive = (m: Mutation): Mutation => ({ ...m, apply: (b, r) => { try { return m.apply(b, r); } catch { return b; } } });

const ARCHIVE_MUTATIONS: Mutation[] = [
  { name: 'drop a part', certain: false, apply: (b, r) => { const p = unzip(b); p.splice(r.int(0, p.length - 1), 1); return zip(p); } },
  { name: 'repeat a part', certain: true, apply: (b, r) => { const p = unzip(b); p.push({ ...r.pick(p) }); return zip(p); } },
  { name: 'rename a part', certain: false, apply: (b, r) => { const p = unzip(b); const x = r.pick(p); x.name = `${x.name}.old`; return zip(p); } },
  { name: 'understate a size', certain: false, apply: (b, r) => { const p = unzip(b); const x = r.pick(p); x.declared = Math.floor(x.data!.length / 2); return zip(p); } },
  { name: "a '..' part name", certain: true, apply: (b) => { const p = unzip(b); p.push({ name: '../../escape.xml', data: Buffer.from('<a/>') }); return zip(p); } },
];

export const XLSX_MUTATIONS: Mutation[] = [...BYTE_MUTATIONS, ...[...PART_MUTATIONS, ...PART_MUTATIONS, ...ARCHIVE_MUTATIONS].map(onArchive)];

