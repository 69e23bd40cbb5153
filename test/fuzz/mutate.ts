// Seeded mutations of valid inputs, for the reader fuzz tests. Each mutation says whether what it makes is
// certainly malformed ('certain': the reader must report it — a finding or a refusal) or may happen to
// stay valid (a truncation at a line end, a shuffled column, a duplicated line), in which case the harness
// checks that nothing was silently dropped. Input i of reader r always gets the same mutations
// (Random(`${seed}/${r}/${i}`), src/synth/random.ts), so a failure names the input that reproduces it.
import { Random } from '../../src/synth/random.ts';

export interface Mutation {
  name: string;
  certain: boolean;
  apply(input: Buffer, rng: Random): Buffer;
}

const B = (s: string): Buffer => Buffer.from(s, 'utf8');
const pos = (b: Buffer, rng: Random): number => rng.int(0, Math.max(0, b.length));
const splice = (b: Buffer, at: number, del: number, ins: Buffer = Buffer.alloc(0)): Buffer =>
  Buffer.concat([b.subarray(0, at), ins, b.subarray(Math.min(b.length, at + del))]);

/** Offsets of every occurrence of a byte sequence. */
function offsets(b: Buffer, needle: Buffer | string): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(needle); i !== -1 && out.length < 100_000; i = b.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** Mutations that fit any byte stream. */
export const BYTE_MUTATIONS: Mutation[] = [
  { name: 'truncate', certain: false, apply: (b, r) => b.subarray(0, pos(b, r)) },
  {
    name: 'flip bytes', certain: false,
    apply: (b, r) => { const c = Buffer.from(b); for (let n = r.int(1, 4); n > 0 && c.length; n--) c[r.int(0, c.length - 1)] ^= r.int(1, 255); return c; },
  },
  { name: 'insert random bytes', certain: false, apply: (b, r) => splice(b, pos(b, r), 0, Buffer.from(Array.from({ length: r.int(1, 16) }, () => r.int(0, 255)))) },
  { name: 'delete a range', certain: false, apply: (b, r) => { const at = pos(b, r); return splice(b, at, r.int(1, 200)); } },
  { name: 'duplicate a range', certain: false, apply: (b, r) => { const at = pos(b, r); return splice(b, at, 0, b.subarray(at, at + r.int(1, 300))); } },
  { name: 'random bytes', certain: true, apply: (_b, r) => Buffer.from(Array.from({ length: r.int(1, 2000) }, () => r.int(0, 255))) },
  { name: 'NUL byte', certain: true, apply: (b, r) => splice(b, pos(b, r), 0, Buffer.from([0])) },
  { name: 'Latin-1 byte', certain: true, apply: (b, r) => splice(b, pos(b, r), 0, Buffer.from([r.pick([0xe9, 0xa3, 0x93, 0xff, 0xc0, 0x80])])) },
  { name: 'UTF-16', certain: true, apply: (b, r) => Buffer.from((r.bernoulli(0.5) ? '\ufeff' : '') + b.toString('utf8'), 'utf16le') },
  { name: 'CRLF and CR line ends', certain: false, apply: (b, r) => B(b.toString('utf8').replace(/\n/g, r.bernoulli(0.7) ? '\r\n' : '\r')) },
  { name: 'BOM inside', certain: false, apply: (b, r) => splice(b, pos(b, r), 0, B('\ufeff')) },
];

const BAD_DATES = ['31/02/2024', '00/00/0000', '99/99/9999', '2024-13-01', '2024-02-30', '1/1/1', 'yesterday', '01/05/20244', '٠١/٠٥/٢٠٢٤', '29/02/2023'];

/**
 * Replaces one date that is a whole value (a CSV field, an XML element's text, a JSON string, or the date of a
 * timestamp) with an impossible one; unchanged when there is none. Dates inside other text (an id such as
 * '0180865:2024-05-01') are left alone: changing them makes nothing malformed.
 */
export function invalidDate(b: Buffer, r: Random): Buffer {
  const text = b.toString('utf8');
  const all = [...text.matchAll(/(?<=^|[,\n>]|":")(\d{2}\/\d{2}\/\d{4}|\d{4}-\d{2}-\d{2})(?=$|[,\r\n<"T ])/g)];
  if (all.length === 0) return b;
  const m = r.pick(all);
  return B(text.slice(0, m.index) + r.pick(BAD_DATES) + text.slice(m.index! + m[0].length));
}

export const CSV_MUTATIONS: Mutation[] = [
  ...BYTE_MUTATIONS,
  { name: 'delete a comma', certain: false, apply: (b, r) => { const o = offsets(b, ','); return o.length ? splice(b, r.pick(o), 1) : b; } },
  { name: 'duplicate a comma', certain: false, apply: (b, r) => { const o = offsets(b, ','); return o.length ? splice(b, r.pick(o), 0, B(',')) : b; } },
  { name: 'delete a line end', certain: false, apply: (b, r) => { const o = offsets(b, '\n'); return o.length ? splice(b, r.pick(o), 1) : b; } },
  { name: 'insert a quote', certain: false, apply: (b, r) => splice(b, pos(b, r), 0, B('"')) },
  { name: 'open a quote at a field start', certain: false, apply: (b, r) => { const o = offsets(b, ','); return o.length ? splice(b, r.pick(o) + 1, 0, B('"')) : b; } },
  { name: 'duplicate a line', certain: false, apply: (b, r) => { const lines = b.toString('utf8').split('\n'); const i = r.int(0, lines.length - 1); lines.splice(i, 0, lines[i]); return B(lines.join('\n')); } },
  { name: 'swap two lines', certain: false, apply: (b, r) => { const l = b.toString('utf8').split('\n'); const i = r.int(0, l.length - 1); const j = r.int(0, l.length - 1); [l[i], l[j]] = [l[j], l[i]]; return B(l.join('\n')); } },
  { name: 'invalid date', certain: true, apply: invalidDate },
  {
    name: 'huge field', certain: false,
    apply: (b, r) => { const o = offsets(b, ','); return o.length ? splice(b, r.pick(o) + 1, 0, B('x'.repeat(r.bernoulli(0.05) ? (1 << 20) + 10 : r.int(1000, 20_000)))) : b; },
  },
  {
    name: 'drop a header column', certain: false,
    apply: (b) => { const t = b.toString('utf8'); const nl = t.indexOf('\n'); const head = t.slice(0, nl < 0 ? t.length : nl).split(','); head.splice(Math.floor(head.length / 2), 1); return B(head.join(',') + (nl < 0 ? '' : t.slice(nl))); },
  },
  {
    name: 'rename a header column', certain: false,
    apply: (b, r) => { const t = b.toString('utf8'); const nl = t.indexOf('\n'); const head = t.slice(0, nl < 0 ? t.length : nl).split(','); head[r.int(0, head.length - 1)] += 'X'; return B(head.join(',') + (nl < 0 ? '' : t.slice(nl))); },
  },
  {
    name: 'shuffle the columns', certain: false,
    apply: (b, r) => {
      const rows = b.toString('utf8').split('\n').map((l) => l.split(','));
      const n = rows[0].length;
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) { const j = r.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
      return B(rows.map((row) => (row.length === n ? order.map((i) => row[i]) : row).join(',')).join('\n'));
    },
  },
  { name: 'blank a field', certain: false, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/,([^,\n]+)/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index! + 1) + t.slice(m.index! + m[0].length)); } },
];

export const XML_MUTATIONS: Mutation[] = [
  ...BYTE_MUTATIONS,
  { name: 'delete a close tag', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<\/[A-Za-z][^>]*>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + t.slice(m.index! + m[0].length)); } },
  { name: 'duplicate an open tag', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<[A-Za-z][^>/]*>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + m[0] + t.slice(m.index!)); } },
  { name: 'rename an open tag', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<([A-Za-z][\w]*)([^>/]*)>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + `<${m[1]}Z${m[2]}>` + t.slice(m.index! + m[0].length)); } },
  {
    name: 'delete an element', certain: false,
    apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<([A-Za-z]\w*)>[^<]*<\/\1>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + t.slice(m.index! + m[0].length)); },
  },
  {
    name: 'duplicate an element', certain: false,
    apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<([A-Za-z]\w*)>[^<]*<\/\1>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + m[0] + t.slice(m.index!)); },
  },
  {
    name: 'unknown element', certain: true,
    apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<\/(Child|CINdetails|Episode|ChildIdentifiers)>/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + '<Surprise>1</Surprise>' + t.slice(m.index!)); },
  },
  {
    name: 'deep nesting', certain: true,
    apply: (b, r) => { const t = b.toString('utf8'); const at = t.indexOf('</Child>'); if (at < 0) return b; const n = r.int(100, 20_000); return B(t.slice(0, at) + '<a>'.repeat(n) + '</a>'.repeat(n) + t.slice(at)); },
  },
  { name: 'entity without DOCTYPE', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/>([^<\s][^<]*)</g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index! + 1) + '&lol;' + t.slice(m.index! + 1)); } },
  { name: 'DOCTYPE', certain: true, apply: (b) => { const t = b.toString('utf8'); const at = t.search(/<[A-Za-z]/); return at < 0 ? b : B(`${t.slice(0, at)}<!DOCTYPE Message [<!ENTITY a "${'b'.repeat(10)}">]>\n${t.slice(at)}`); } },
  { name: 'CDATA value', certain: false, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/>([^<\s][^<]*)</g)]; if (!all.length) return b; const m = r.pick(all); return B(`${t.slice(0, m.index! + 1)}<![CDATA[${m[1]}]]>${t.slice(m.index! + m[0].length - 1)}`); } },
  { name: 'stray text', certain: true, apply: (b) => { const t = b.toString('utf8'); const at = t.indexOf('<ChildIdentifiers>') >= 0 ? t.indexOf('<ChildIdentifiers>') : t.indexOf('<Episodes>'); return at < 0 ? b : B(`${t.slice(0, at)}stray words${t.slice(at)}`); } },
  { name: 'invalid date', certain: true, apply: invalidDate },
  { name: 'huge value', certain: false, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/>([^<\s][^<]*)</g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index! + 1) + 'x'.repeat(r.int(1000, 50_000)) + t.slice(m.index! + 1)); } },
  { name: 'attribute garbage', certain: false, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/<([A-Za-z]\w*)>/g)]; if (!all.length) return b; const m = r.pick(all); return B(`${t.slice(0, m.index)}<${m[1]} x="1" ${r.bernoulli(0.5) ? 'y' : 'x="2"'}>${t.slice(m.index! + m[0].length)}`); } },
];

export const JSONL_MUTATIONS: Mutation[] = [
  ...BYTE_MUTATIONS,
  { name: 'delete a brace', certain: false, apply: (b, r) => { const o = [...offsets(b, '{'), ...offsets(b, '}')]; return o.length ? splice(b, r.pick(o), 1) : b; } },
  { name: 'delete a quote', certain: true, apply: (b, r) => { const o = offsets(b, '"'); return o.length ? splice(b, r.pick(o), 1) : b; } },
  { name: 'unknown type', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/"type":"[a-z_]+"/g)]; if (!all.length) return b; const m = r.pick(all); return B(t.slice(0, m.index) + '"type":"surprise"' + t.slice(m.index! + m[0].length)); } },
  { name: 'invalid date', certain: true, apply: invalidDate },
  { name: 'deep nesting', certain: true, apply: (b, r) => { const n = r.int(100, 50_000); return Buffer.concat([b, B(`{"type":"teams","team_id":"TX","name":${'['.repeat(n)}${']'.repeat(n)}}\n`)]); } },
  { name: 'unknown field', certain: true, apply: (b, r) => { const t = b.toString('utf8'); const all = [...t.matchAll(/\{"type":"[a-z_]+"/g)]; if (!all.length) return b; const m = r.pick(all); return B(`${t.slice(0, m.index! + m[0].length)},"surprise_${r.int(0, 9)}":"x"${t.slice(m.index! + m[0].length)}`); } },
  { name: 'not an object', certain: true, apply: (b, r) => Buffer.concat([b, B(r.pick(['[1,2]\n', '42\n', '"text"\n', 'null\n', 'true\n']))]) },
  { name: 'duplicate a line', certain: false, apply: (b, r) => { const lines = b.toString('utf8').split('\n'); const i = r.int(0, lines.length - 1); lines.splice(i, 0, lines[i]); return B(lines.join('\n')); } },
  { name: 'delete a line end', certain: false, apply: (b, r) => { const o = offsets(b, '\n'); return o.length ? splice(b, r.pick(o), 1) : b; } },
  { name: 'huge line', certain: false, apply: (b, r) => Buffer.concat([b, B(`{"type":"teams","team_id":"TY","name":"${'x'.repeat(r.bernoulli(0.05) ? (1 << 20) + 10 : r.int(1000, 20_000))}"}\n`)]) },
  { name: '__proto__ key', certain: true, apply: (b) => Buffer.concat([b, B('{"type":"teams","team_id":"TP","__proto__":{"polluted":1},"constructor":"x"}\n')]) },
];

/** 1–3 mutations, a certain one (if drawn) applied last so nothing undoes it. */
export function mutate(base: Buffer, mutations: readonly Mutation[], rng: Random): { bytes: Buffer; applied: string[]; certain: boolean } {
  const n = rng.int(1, 3);
  const chosen = Array.from({ length: n }, () => rng.pick(mutations));
  const certainOne = chosen.find((m) => m.certain);
  const order = certainOne ? [...chosen.filter((m) => !m.certain), certainOne] : chosen;
  let bytes = base;
  let certain = false;
  for (const m of order) {
    const before = bytes;
    bytes = m.apply(bytes, rng);
    certain = m.certain && !bytes.equals(before); // a certain mutation that found nothing to change made nothing malformed
  }
  return { bytes, applied: order.map((m) => m.name), certain };
}
