// Writes the native event feed of a synthetic authority (schema: docs/events.md): one JSON object a line,
// {"type": "<table>", ...row}, for the records the statutory returns do not carry. Tables come in the order
// of EVENT_TABLES and rows in the order of their record key, so the same authority gives the same bytes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { compareByKey, columnsOf } from '../model.ts';
import { EVENT_TABLES } from '../ingest/events.ts';
import type { SyntheticLA } from './types.ts';

/** Writes the event lines to path; returns the number of lines written per type. */
export async function writeEvents(la: SyntheticLA, path: string): Promise<Record<string, number>> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const counts: Record<string, number> = {};
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (chunk === '') return;
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await once(out, 'drain');
  };
  try {
    for (const type of EVENT_TABLES) {
      const columns = columnsOf(type);
      const rows = [...(la.tables[type] as unknown as Record<string, unknown>[])].sort(compareByKey(type));
      for (const row of rows) {
        const line: Record<string, unknown> = { type };
        for (const c of columns) line[c] = row[c] ?? null;
        chunk += `${JSON.stringify(line)}\n`;
        if (chunk.length > 1 << 20) await flush();
      }
      counts[type] = rows.length;
    }
    await flush();
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    throw err;
  }
  return counts;
}
