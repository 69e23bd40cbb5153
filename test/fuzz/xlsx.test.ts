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
import { XLSX_MUTATIONS } from './xlsxMutations.ts';

const N = Number(process.env.XLSX_FUZZ_INPUTS ?? process.env.FUZZ_INPUTS ?? 10_000);
let corpus: Corpus;
beforeAll(async () => { corpus = await buildCorpus(); }, 120_000);

describe('fuzz: Annex A workbook', () => {
  it(`Annex A .xlsx: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'Annex A xlsx', bases: corpus.annexXlsx, mutations: XLSX_MUTATIONS, read: readAnnexA }, N);
  }, 600_000);
});
