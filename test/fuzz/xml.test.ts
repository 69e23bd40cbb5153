// Fuzz tests of the XML readers (harness.ts says what is checked for each input): 10,000 mutated inputs each
// for the CIN census reader and the SSDA903 XML reader, from a tiny synthetic authority (corpus.ts) —
// unbalanced, renamed and duplicated tags, deep nesting, entities, DOCTYPEs, CDATA, stray text, invalid
// dates, huge values, wrong encodings and random bytes. FUZZ_INPUTS overrides the number.
import { beforeAll, describe, it } from 'vitest';
import { readCinCensus } from '../../src/ingest/cinCensus.ts';
import { readSsda903Xml } from '../../src/ingest/ssda903Xml.ts';
import { buildCorpus, type Corpus } from './corpus.ts';
import { fuzzAndCheck } from './harness.ts';
import { XML_MUTATIONS } from './mutate.ts';
import { childElements } from './oracles.ts';

const N = Number(process.env.FUZZ_INPUTS ?? 10_000);
let corpus: Corpus;
beforeAll(async () => { corpus = await buildCorpus(); }, 120_000);

describe('fuzz: XML readers', () => {
  it(`CIN census XML: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'CIN census XML', bases: corpus.cin, mutations: XML_MUTATIONS, records: childElements, read: readCinCensus }, N);
  }, 300_000);

  it(`SSDA903 XML: ${N} malformed inputs`, async () => {
    await fuzzAndCheck({ name: 'SSDA903 XML', bases: corpus.ssda903Xml, mutations: XML_MUTATIONS, records: childElements, read: (s, sink) => readSsda903Xml(s, sink) }, N);
  }, 300_000);
});
