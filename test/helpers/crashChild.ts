// Run by test/crash.test.ts in a child process that it kills with SIGKILL:
//   node --import tsx test/helpers/crashChild.ts load DB FILE | backup DB OUT | restore DB BACKUP
// It writes each stage as it reaches it to stdout, one line each, synchronously (writeSync), so the parent
// knows the last stage reached before the kill. It imports only what it runs, to start quickly.
import { writeSync } from 'node:fs';
import { Store } from '../../src/store.ts';
import { loadFile } from '../../src/load.ts';
import { backup, restore } from '../../src/backup.ts';

const phase = (name: string): void => { writeSync(1, `${name}\n`); };
const actor = { username: 'crash-test', ip: 'cli' };
const [mode, db, arg] = process.argv.slice(2);

phase('started');
if (mode === 'load') {
  const store = await Store.open(db);
  phase('open');
  await loadFile(store, arg, { actor, onPhase: phase });
  store.close(); // DuckDB checkpoints here: the WAL is written into the database file
  phase('closed');
} else if (mode === 'backup') {
  const store = await Store.open(db);
  phase('open');
  await backup(store, arg, { actor });
  phase('backed-up');
  store.close();
  phase('closed');
} else if (mode === 'restore') {
  await restore(arg, db, { force: true, actor });
  phase('restored');
} else {
  throw new Error(`crashChild: unknown mode '${mode}'`);
}
