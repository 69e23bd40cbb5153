// `csc audit verify|list`, `csc backup --out FILE` and `csc restore FILE [--force]`.
// Wired into cli.ts with: registerAuditCommands(program, () => Store.open(program.opts().db));
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DB_PATH, type Store } from './store.ts';
import { cliActor, listAudit, verifyAudit } from './audit.ts';
import { backup, restore } from './backup.ts';
import { formatTable } from './format.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number above 0, not '${value}'`);
  return n;
}

/**
 * `openStore` opens the store the command works on; `dbPath` (defaulting to the program's --db option) is where
 * `csc restore` writes, since the store must not be open while it is replaced.
 */
export function registerAuditCommands(program: Command, openStore: () => Promise<Store>, dbPath?: () => string): void {
  const audit = program.command('audit').description('the tamper-evident log of who viewed, searched, exported or changed what');
  audit
    .command('verify')
    .description('recompute the hash chain: names the first row edited, deleted or inserted after the fact')
    .option('--json', 'as JSON')
    .action(async (o) => {
      const store = await openStore();
      try {
        const v = await verifyAudit(store);
        if (o.json) console.log(JSON.stringify(v, null, 2));
        else console.log(v.ok ? `Audit log OK: ${v.reason}${v.head ? ` (head ${v.head.seq} ${v.head.hash.slice(0, 16)}…)` : ''}.` : `Audit log FAILED at row ${v.firstBad}: ${v.reason}.`);
        if (!v.ok) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
  audit
    .command('list', { isDefault: true })
    .description('the latest audit rows first')
    .option('--user <name>', 'only this user')
    .option('--action <action>', "only this action, or a prefix ending in '.' (e.g. export.)")
    .option('--target <target>', 'only rows about this target (a child id, load id, user)')
    .option('--from <date>', 'from this date (YYYY-MM-DD)')
    .option('--to <date>', 'up to and including this date (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many rows', positiveInt, 50)
    .option('--json', 'as JSON')
    .action(async (o) => {
      const store = await openStore();
      try {
        const rows = await listAudit(store, { username: o.user, action: o.action, target: o.target, from: o.from, to: o.to, limit: o.limit });
        if (o.json) console.log(JSON.stringify(rows, null, 2));
        else if (rows.length === 0) console.log('No audit rows match.');
        else console.log(formatTable(rows.map((r) => ({
          seq: r.seq, at: r.loggedAt.replace('T', ' ').slice(0, 19), user: r.username ?? '', ip: r.ip ?? '', action: r.action,
          target: r.target ?? '', detail: r.detail === null ? '' : JSON.stringify(r.detail),
        }))));
      } finally {
        store.close();
      }
    });

  program
    .command('backup')
    .description('a consistent copy of the database and a manifest (checksum, schema version, row counts, audit head)')
    .requiredOption('--out <file>', 'the backup file to write (its manifest goes beside it as FILE.manifest.json)')
    .option('--force', 'replace an existing backup of that name')
    .action(async (o) => {
      const store = await openStore().catch((err: unknown) => {
        const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
        throw new Error(/lock/i.test(message)
          ? `the database is open in another process (${message}): while \`csc serve\` runs, back up from the server (an admin's POST /admin/backup), or stop it first`
          : message);
      });
      try {
        const m = await backup(store, o.out, { force: !!o.force, actor: cliActor() });
        const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
        console.log(`Backed up to ${o.out}: ${Object.keys(m.tables).length} tables, ${rows} rows, schema ${m.schemaVersion}, ` +
          `audit ${m.audit.rows} rows${m.audit.ok ? '' : ' (CHAIN DOES NOT VERIFY)'}, sha256 ${m.sha256}.`);
      } finally {
        store.close();
      }
    });

  program
    .command('restore')
    .description('restore a backup to the database: checks its checksum, schema, counts and audit chain first')
    .argument('<file>', 'a backup written by `csc backup`')
    .option('--force', 'replace an existing database (kept beside it as DB.replaced-TIME)')
    .action(async (file: string, o) => {
      const target: string = dbPath?.() ?? program.opts().db ?? process.env.CSC_DB ?? DEFAULT_DB_PATH;
      const r = await restore(file, target, { force: !!o.force, actor: cliActor() });
      console.log(`Restored ${file} to ${r.target}: schema ${r.manifest.schemaVersion}, audit ${r.auditRows} rows verified.` +
        (r.replaced ? ` The database it replaced is at ${r.replaced}.` : ''));
    });
}
