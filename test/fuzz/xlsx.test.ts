// Fuzz test of the Annex A workbook reader (harness.ts says what is checked for each input): mutated .xlsx
// files from a small synthetic workbook of all eleven lists (corpus.ts). Three kinds of mutation: bytes of
// the archive itself (most are refused by the archive check before exceljs sees them); one part's XML
// mutated as the XML readers' inputs are and the archive rebuilt (these reach exceljs and the list reader);
// and the archive's parts dropped, repeated or renamed. A workbook has no cheap independent count of its
// rows, so an input that gives no finding is counted as stayed valid without the record check.
// exceljs takes a few milliseconds per workbook, so XLSX_FUZZ_INPUTS (default 10,000) can be lowered locally.
import { beforeAll, describe, it } from 'vitest';
import { readAnnexA } from '../../src/ingest/annexA.ts';
import { buildCorpus, type Corpus } from './corpus.ts';
import { fuzzAndCheck } from './harness.ts';
import { BYTE_MUTATIONS, XML_MUTATIONS, type Mutation } from './mutate.ts';
import { unzip, zip } from '../helpers/zip.ts';

const N = Number(process.env.XLSX_FUZZ_INPUTS ?? process.env.FUZZ_INPUTS ?? 10_000);
let corpus: Corpus;
beforeAll(async () => { corpus = await buildCorpus(); }, 120_000);

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
    target.data = m.apply(target.data!, rng);
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

describe('fuzz: Annex A workbook', () => {
  it(`Annex A .xlsx: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'Annex A xlsx', bases: corpus.annexXlsx, mutations: [...BYTE_MUTATIONS, ...[...PART_MUTATIONS, ...PART_MUTATIONS, ...ARCHIVE_MUTATIONS].map(onArchive)], read: readAnnexA }, N);
  }, 600_000);
});
