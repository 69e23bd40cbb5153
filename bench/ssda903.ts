// npx tsx bench/ssda903.ts [rows]   (default 1,000,000)
// Reader speed on one large SSDA903 episodes file: writes a generated file (varied codes, one episode
// in twelve with a deliberate fault, so the rules and findings do real work), then streams it through
// readSsda903 three times with a counting sink and prints rows per second and peak memory.
// Budget: SSDA903 CSVs at 200,000 rows/s or more (../shared/DESIGN.md "Performance budgets").
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { readSsda903, SSDA903_COLUMNS } from '../src/ingest/ssda903.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'csc-903-bench-'));
const path = join(dir, 'episodes.csv');

const RNE = ['S', 'P', 'L', 'T', 'B', 'U'];
const LS = ['C1', 'C2', 'E1', 'V2', 'J1', 'L1'];
const PLACE = ['U1', 'U4', 'U6', 'K2', 'R1', 'H5', 'A5', 'P2'];
const PROVIDER = ['PR1', 'PR2', 'PR4', 'PR5'];
const REC = ['X1', 'E13', 'E4A', 'E11', 'E17', 'E8'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const out = createWriteStream(path);
out.write(`${SSDA903_COLUMNS.episodes.join(',')}\n`);
let buf = '';
for (let i = 0; i < rows; i++) {
  const child = pad(Math.floor(i / 3), 7);
  const day = 1 + (i % 28);
  const month = 1 + ((i * 7) % 12);
  const decom = `${pad(day)}/${pad(month)}/${month >= 4 ? 2024 : 2025}`;
  const ended = i % 3 !== 2;
  const dec = ended ? `${pad(Math.min(28, day + 1))}/${pad(month)}/${month >= 4 ? 2024 : 2025}` : '';
  const fault = i % 12 === 5;
  buf += `${child},${fault ? '31/02/2024' : decom},${RNE[i % 6]},${fault ? 'ZZ' : LS[i % 6]},N${1 + (i % 8)},${PLACE[i % 8]},${PROVIDER[i % 4]},` +
    `${dec},${ended ? REC[i % 6] : ''},${i % 5 === 0 ? 'CARPL' : ''},AB1 2CD,AB3 4EF,SC${pad(i % 999999, 6)}\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
const mb = statSync(path).size / 1e6;
console.log(`episodes.csv: ${rows.toLocaleString('en-GB')} rows, ${mb.toFixed(0)} MB (${cpus().length} cores, ${cpus()[0]?.model ?? ''}, Node ${process.version})`);

let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
for (let run = 1; run <= 3; run++) {
  let loaded = 0;
  let findings = 0;
  const t = performance.now();
  await readSsda903(path, { add: () => { loaded++; }, finding: () => { findings++; } }, { collectionYear: 2024 });
  const s = (performance.now() - t) / 1000;
  console.log(`run ${run}: ${loaded.toLocaleString('en-GB')} rows loaded, ${findings.toLocaleString('en-GB')} findings, ${s.toFixed(2)} s, ` +
    `${Math.round(rows / s).toLocaleString('en-GB')} rows/s, ${(mb / s).toFixed(1)} MB/s`);
}
clearInterval(sampler);
console.log(`peak memory (RSS): ${(Math.max(peak, process.memoryUsage().rss) / 2 ** 20).toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });
