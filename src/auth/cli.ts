// `csc users add|list|disable|reset`: local accounts, from the command line of the machine that holds
// the database.
// Wired into src/cli.ts with: registerUserCommands(program, () => Store.open(program.opts().db));
//
// A password is never a command-line argument (it would sit in the shell history and the process list):
// `users add` reads it from the CSC_PASSWORD environment variable or, on a terminal, asks for it twice
// without echo. `users reset` prints a one-time password the user must change at their next sign-in.
import { userInfo } from 'node:os';
import { Command } from 'commander';
import type { Store } from '../store.ts';
import { formatTable } from '../format.ts';
import { addUser, disableUser, listUsers, resetPassword, ROLES, type Role } from './users.ts';

/** Who ran the command, for the audit log. */
function actor(): string {
  let name = 'unknown';
  try { name = userInfo().username; } catch { /* no passwd entry */ }
  return `cli:${name}`;
}

/** Reads a line from a terminal without echoing it. */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!input.isTTY) { reject(new Error('No terminal to ask for a password on: set CSC_PASSWORD.')); return; }
    output.write(question);
    let value = '';
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      output.write('\n');
      if (err) reject(err); else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.CSC_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new Error('Set the password in the CSC_PASSWORD environment variable, or run this on a terminal to be asked for it.');
  const first = await promptHidden('Password (at least 12 characters): ');
  const second = await promptHidden('The same password again: ');
  if (first !== second) throw new Error('The two passwords differ: nothing was changed.');
  return first;
}

export function registerUserCommands(program: Command, openStore: () => Promise<Store>): void {
  const users = program.command('users').description('local user accounts: add, list, disable, reset a password');

  users
    .command('add')
    .description('add a user; the password comes from CSC_PASSWORD or is asked for on the terminal (never an argument)')
    .argument('<username>', 'letters, digits, . _ - @ (case-insensitive)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--teams <teams>', 'managers: the teams whose children they may see, comma-separated ("A,B")')
    .option('--name <name>', 'the name to show')
    .action(async (username: string, o: { role: string; teams?: string; name?: string }) => {
      if (!ROLES.includes(o.role as Role)) throw new Error(`Unknown role '${o.role}': use one of ${ROLES.join(', ')}.`);
      const password = await readNewPassword();
      const store = await openStore();
      try {
        const teams = o.teams ? o.teams.split(',') : [];
        const u = await addUser(store, { username, displayName: o.name, role: o.role as Role, teams, password }, { actor: actor() });
        console.log(`Added ${u.username} (${u.role}${u.teams.length ? `, teams ${u.teams.join(', ')}` : ''}).`);
        if (u.role === 'manager' && u.teams.length === 0) console.log('Note: a manager with no teams sees no child-level rows; add them with --teams.');
      } finally {
        store.close();
      }
    });

  users
    .command('list', { isDefault: true })
    .description('every user, with role, teams and state (never a password hash)')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }) => {
      const store = await openStore();
      try {
        const list = await listUsers(store);
        if (o.json) console.log(JSON.stringify(list, null, 2));
        else if (list.length === 0) console.log('No users yet: add one with `csc users add NAME --role admin`.');
        else console.log(formatTable(list.map((u) => ({
          username: u.username, name: u.displayName ?? '', role: u.role, teams: u.teams.join(', '),
          state: u.disabled ? 'disabled' : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? `locked until ${u.lockedUntil.slice(11, 16)} UTC` : 'active',
          'must change password': u.mustChangePassword ? 'yes' : '',
          created: u.createdAt.slice(0, 10),
        }))));
      } finally {
        store.close();
      }
    });

  users
    .command('disable')
    .description('disable a user: they cannot sign in, and their open sessions end at once')
    .argument('<username>')
    .action(async (username: string) => {
      const store = await openStore();
      try {
        const r = await disableUser(store, username, { actor: actor() });
        console.log(`Disabled ${username.trim().toLowerCase()}; ${r.sessionsEnded} open session${r.sessionsEnded === 1 ? '' : 's'} ended.`);
      } finally {
        store.close();
      }
    });

  users
    .command('reset')
    .description('give a user a one-time password they must change at their next sign-in (clears a lock-out, ends their sessions)')
    .argument('<username>')
    .action(async (username: string) => {
      const store = await openStore();
      try {
        const r = await resetPassword(store, username, { actor: actor() });
        console.log(`Temporary password for ${username.trim().toLowerCase()}: ${r.temporaryPassword}`);
        console.log('Give it to them privately; they must choose a new one when they next sign in.');
      } finally {
        store.close();
      }
    });
}
