// Fuzz tests of the CSV and JSON-lines readers (harness.ts says what is checked for each input): 10,000
// mutated inputs each for the SSDA903 CSV reader, native events as CSV and as JSON lines, and Annex A lists
// as CSV, from a tiny synthetic authority (corpus.ts). FUZZ_INPUTS overrides the number (e.g. to go deeper).
import { beforeAll, describe, it } from 'vitest';
import { readSsda903 } from '../../src/ingest/ssda903.ts';
import { readEvents } from '../../src/ingest/events.ts';
import { readAnnexA } from '../../src/ingest/annexA.ts';
import { buildCorpus, type Corpus } from './corpus.ts';
import { fuzzAndCheck } from './harness.ts';
import { CSV_MUTATIONS, JSONL_MUTATIONS } from './mutate.ts';
import { csvRecords, jsonLines } from './oracles.ts';

const N = Number(process.env.FUZZ_INPUTS ?? 10_000);
let corpus: Corpus;
beforeAll(async () => { corpus = await buildCorpus(); }, 120_000);

describe('fuzz: CSV and JSON lines readers', () => {
  it(`SSDA903 CSV: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({
      name: 'SSDA903 CSV', bases: corpus.ssda903, mutations: CSV_MUTATIONS, records: csvRecords,
      read: (s, sink) => readSsda903(s, sink, { collectionYear: 2024 }),
    }, N);
  }, 300_000);

  it(`native events, JSON lines: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'events JSON lines', bases: corpus.eventsJsonl, mutations: JSONL_MUTATIONS, records: jsonLines, read: readEvents }, N);
  }, 300_000);

  it(`native events, CSV: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'events CSV', bases: corpus.eventsCsv, mutations: CSV_MUTATIONS, records: csvRecords, read: readEvents }, N);
  }, 300_000);

  it(`Annex A lists as CSV: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'Annex A CSV', bases: corpus.annexCsv, mutations: CSV_MUTATIONS, records: csvRecords, read: readAnnexA }, N);
  }, 300_000);
});
