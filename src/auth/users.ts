// Local user accounts: adding, listing, disabling, resetting and changing passwords, and signing in.
//
// Passwords are hashed with scrypt (node:crypto) at N = 2^15, r = 8, p = 1 with a 16-byte random salt
// and a 64-byte key, stored as `scrypt$N$r$p$<salt base64>$<key base64>`; checked in constant time
// (timingSafeEqual). A hash is never logged, printed or returned: listUsers and every other function
// here leave it out.
//
// Signing in (verifyLogin): 5 wrong passwords in a row lock the account for 15 minutes. Whatever goes
// wrong — no such user, wrong password, locked, disabled — the caller gets the same message, and an
// unknown user costs one scrypt verification (against a dummy hash) just as a known one does, so neither
// the message nor the time taken says whether an account exists. Each attempt is written to the audit
// log ('login' or 'login.failed', with the reason in its detail, which only admins can read).
//
// Usernames are case-insensitive: stored and looked up in lower case.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Store } from '../store.ts';
import { appendAudit, appendAuditInTransaction } from '../audit.ts';
import { endAllSessions, hashToken } from './sessions.ts';

export type Role = 'admin' | 'analyst' | 'manager' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'manager', 'viewer'];

/** Milliseconds since the epoch; tests pass their own. */
export type Clock = () => number;
const systemClock: Clock = () => Date.now();

/** Who did it, from where, and (for tests) the clock. `actor` is written to the audit log as the username. */
export interface ActionOptions {
  actor?: string | null;
  ip?: string | null;
  clock?: Clock;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
/** The one message for every failed sign-in: it must not say whether the user exists. */
export const LOGIN_FAILED_MESSAGE = 'The username or password is not right, or the account cannot sign in just now. Try again, or ask an administrator.';

// ---------------------------------------------------------------------------------------------------
// Hashing

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 64 } as const;
// scrypt needs 128·N·r bytes (32 MiB here), which is exactly Node's default limit; allow headroom.
const MAX_N = 2 ** 20;

function scrypt(password: string, salt: Buffer, keyLen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keyLen, o, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r * 2 + 1024 * 1024 };
}

/** `scrypt$N$r$p$salt$key` (salt and key base64) for a password. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await scrypt(password, salt, keyBytes, scryptOptions(N, r, p));
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches a stored hash; false (never an error) for a malformed hash. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isInteger) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || expected.length < 16) return false;
  const actual = await scrypt(password, salt, expected.length, scryptOptions(N, r, p));
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, made once: unknown users are checked against it so they take as long as known ones. */
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

// ---------------------------------------------------------------------------------------------------
// Rules

// Common passwords of 12 or more characters (shorter ones fail the length rule anyway), compared in lower case.
const COMMON_PASSWORDS = new Set([
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password123!', 'password1234!', 'passw0rd1234',
  '123456789012', '1234567890123', '12345678901234', '123456789abc', 'abc123456789', 'abcdefghijkl', 'abcd12345678',
  'qwertyuiopas', 'qwerty123456', 'qwertyqwerty', '1q2w3e4r5t6y', 'qwertyuiop12', 'asdfghjkl123', 'zxcvbnm12345',
  'iloveyou1234', 'letmein12345', 'letmeinletmein', 'welcome12345', 'welcome123456', 'welcomewelcome', 'changeme1234',
  'changemechangeme', 'administrator', 'administrator1', 'admin1234567', 'adminadmin12', 'football1234', 'monkey123456',
  'sunshine1234', 'princess1234', 'dragon123456', 'trustno1trustno1', 'correcthorsebatterystaple', '111111111111',
  '000000000000', '123123123123', 'aaaaaaaaaaaa', 'socialcare123', 'socialworker1', 'childrens123', 'council12345',
  'password2024', 'password2025', 'password2026', 'welcome2024!', 'welcome2025!', 'summer2024!!', 'winter2025!!',
]);

/** What is wrong with a password for this user; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) problems.push('The password must not be the username.');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push('The password is too common: choose another.');
  return problems;
}

function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw new Error(problems.join(' '));
}

export function normaliseUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._@-]{0,63}$/.test(u)) {
    throw new Error(`'${username}' is not a valid username: use 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.`);
  }
  return u;
}

function checkRole(role: string): asserts role is Role {
  if (!ROLES.includes(role as Role)) throw new Error(`Unknown role '${role}': use one of ${ROLES.join(', ')}.`);
}

function normaliseTeams(teams: readonly string[] | undefined): string[] {
  const out = [...new Set((teams ?? []).map((t) => t.trim()).filter((t) => t !== ''))];
  for (const t of out) if (t.includes(',')) throw new Error(`A team name cannot contain a comma: '${t}'.`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Accounts

/** A user as shown to people: never the password hash. */
export interface User {
  username: string;
  displayName: string | null;
  role: Role;
  teams: string[];
  disabled: boolean;
  mustChangePassword: boolean;
  failedLogins: number;
  /** ISO time (UTC) until which the account is locked, or null. */
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  username: string;
  displayName?: string | null;
  role: Role;
  teams?: string[];
  password: string;
}

const USER_COLUMNS = `username, display_name, role, teams, disabled, must_change_password, failed_logins,
  locked_until, created_at, updated_at`;

interface UserRow {
  username: string; display_name: string | null; role: string; teams: string | null; disabled: boolean;
  must_change_password: boolean; failed_logins: number; locked_until: string | null; created_at: string; updated_at: string;
}

function toUser(r: UserRow): User {
  return {
    username: r.username, displayName: r.display_name, role: r.role as Role, teams: splitTeams(r.teams), disabled: r.disabled,
    mustChangePassword: r.must_change_password, failedLogins: r.failed_logins, lockedUntil: r.locked_until ? isoOf(r.locked_until) : null,
    createdAt: isoOf(r.created_at), updatedAt: isoOf(r.updated_at),
  };
}

export function splitTeams(teams: string | null): string[] {
  return teams ? teams.split(',').map((t) => t.trim()).filter((t) => t !== '') : [];
}

/** A stored TIMESTAMP ('YYYY-MM-DDTHH:MM:SS[.fff]', UTC) as milliseconds. */
export function msOf(ts: string): number {
  return Date.parse(ts.endsWith('Z') ? ts : `${ts}Z`);
}
function isoOf(ts: string): string {
  return new Date(msOf(ts)).toISOString();
}
/** Milliseconds as a value to bind to `?::TIMESTAMP`. */
export function tsOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

/** Adds a user; refuses a duplicate username, an unknown role or a weak password. Audited as 'user.add'. */
export async function addUser(store: Store, input: NewUser, o: ActionOptions = {}): Promise<User> {
  const username = normaliseUsername(input.username);
  checkRole(input.role);
  const teams = normaliseTeams(input.teams);
  checkPassword(input.password, username);
  const hash = await hashPassword(input.password);
  const now = tsOf((o.clock ?? systemClock)());
  await store.transaction(async () => {
    const existing = await store.query('SELECT 1 FROM users WHERE username = ?', [username]);
    if (existing.length) throw new Error(`There is already a user called '${username}'.`);
    await store.run(
      `INSERT INTO users (username, display_name, role, teams, password_hash, disabled, must_change_password, failed_logins, locked_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, false, false, 0, NULL, ?::TIMESTAMP, ?::TIMESTAMP)`,
      [username, input.displayName?.trim() || null, input.role, teams.length ? teams.join(',') : null, hash, now, now],
    );
    await appendAuditInTransaction(store, {
      username: o.actor ?? null, ip: o.ip ?? null, action: 'user.add', target: username, detail: { role: input.role, teams },
    });
  });
  return (await getUser(store, username))!;
}

/** One user (without the hash), or null. */
export async function getUser(store: Store, username: string): Promise<User | null> {
  const rows = await store.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, [username.trim().toLowerCase()]);
  return rows.length ? toUser(rows[0]) : null;
}

/** Every user, by username, without password hashes. */
export async function listUsers(store: Store): Promise<User[]> {
  return (await store.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`)).map(toUser);
}

async function requireUser(store: Store, username: string): Promise<string> {
  const u = username.trim().toLowerCase();
  const rows = await store.query('SELECT 1 FROM users WHERE username = ?', [u]);
  if (!rows.length) throw new Error(`There is no user called '${username}'.`);
  return u;
}

/** Disables a user and ends all their sessions at once. Audited as 'user.disable'. */
export async function disableUser(store: Store, username: string, o: ActionOptions = {}): Promise<{ sessionsEnded: number }> {
  const u = await requireUser(store, username);
  const now = (o.clock ?? systemClock)();
  return store.transaction(async () => {
    await store.run('UPDATE users SET disabled = true, updated_at = ?::TIMESTAMP WHERE username = ?', [tsOf(now), u]);
    const sessionsEnded = await endAllSessions(store, u, { clock: () => now });
    await appendAuditInTransaction(store, { username: o.actor ?? null, ip: o.ip ?? null, action: 'user.disable', target: u, detail: { sessionsEnded } });
    return { sessionsEnded };
  });
}

/** A random temporary password that meets the rules: 20 characters from an unambiguous alphabet. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let out = '';
  // Rejection sampling keeps every character equally likely.
  for (const b of bytes) {
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : temporaryPassword();
}

/**
 * Gives a user a new one-time password (random unless one is passed), which they must change when they
 * next sign in; clears any lock-out and ends all their sessions. Audited as 'user.reset'. Returns the password.
 */
export async function resetPassword(store: Store, username: string, o: ActionOptions & { password?: string } = {}): Promise<{ temporaryPassword: string; sessionsEnded: number }> {
  const u = await requireUser(store, username);
  const password = o.password ?? temporaryPassword();
  checkPassword(password, u);
  const hash = await hashPassword(password);
  const now = (o.clock ?? systemClock)();
  return store.transaction(async () => {
    await store.run(
      `UPDATE users SET password_hash = ?, must_change_password = true, failed_logins = 0, locked_until = NULL, updated_at = ?::TIMESTAMP
       WHERE username = ?`, [hash, tsOf(now), u]);
    const sessionsEnded = await endAllSessions(store, u, { clock: () => now });
    await appendAuditInTransaction(store, { username: o.actor ?? null, ip: o.ip ?? null, action: 'user.reset', target: u, detail: { sessionsEnded } });
    return { temporaryPassword: password, sessionsEnded };
  });
}

/**
 * A user changes their own password: the current one must be right and the new one must meet the rules
 * and differ from it. Clears must_change_password. Ends the user's other sessions (all but `keepToken`,
 * the session they are changing it from, if given). Audited as 'user.password'.
 */
export async function changePassword(
  store: Store, username: string, currentPassword: string, newPassword: string, o: ActionOptions & { keepToken?: string } = {},
): Promise<void> {
  const u = username.trim().toLowerCase();
  const rows = await store.query<{ password_hash: string; disabled: boolean }>('SELECT password_hash, disabled FROM users WHERE username = ?', [u]);
  const ok = await verifyPassword(currentPassword, rows[0]?.password_hash ?? (await getDummyHash()));
  if (!rows.length || !ok || rows[0].disabled) throw new Error('The current password is not right.');
  checkPassword(newPassword, u);
  if (newPassword === currentPassword) throw new Error('The new password must differ from the current one.');
  const hash = await hashPassword(newPassword);
  const now = (o.clock ?? systemClock)();
  await store.transaction(async () => {
    await store.run(
      `UPDATE users SET password_hash = ?, must_change_password = false, failed_logins = 0, locked_until = NULL, updated_at = ?::TIMESTAMP
       WHERE username = ?`, [hash, tsOf(now), u]);
    await store.run(
      `UPDATE sessions SET ended_at = ?::TIMESTAMP WHERE username = ? AND ended_at IS NULL AND session_id <> ?`,
      [tsOf(now), u, o.keepToken ? hashToken(o.keepToken) : ''],
    );
    await appendAuditInTransaction(store, { username: o.actor ?? u, ip: o.ip ?? null, action: 'user.password', target: u });
  });
}

// ---------------------------------------------------------------------------------------------------
// Signing in

export type LoginResult =
  | { ok: true; user: User; mustChangePassword: boolean }
  | { ok: false; message: string };

/**
 * Checks a sign-in attempt. On success resets the failure count and returns the user (create a session
 * with createSession; if mustChangePassword, send them to change it first). On failure returns only
 * LOGIN_FAILED_MESSAGE, whatever the reason. The 5th wrong password in a row locks the account for
 * 15 minutes; while locked even the right password is refused. Rate-limit attempts per IP as well
 * (LoginRateLimiter in sessions.ts) before calling this.
 */
export async function verifyLogin(store: Store, username: string, password: string, ip: string | null, o: { clock?: Clock } = {}): Promise<LoginResult> {
  const now = (o.clock ?? systemClock)();
  const u = username.trim().toLowerCase();
  const rows = await store.query<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ?`, [u]);
  const row = rows[0];
  // Always one scrypt verification, for a user who exists or not, locked or not.
  const matches = await verifyPassword(password, row?.password_hash ?? (await getDummyHash()));
  const fail = async (reason: string, detail: Record<string, unknown> = {}): Promise<LoginResult> => {
    await appendAudit(store, { username: null, ip, action: 'login.failed', target: u.slice(0, 64), detail: { reason, ...detail } });
    return { ok: false, message: LOGIN_FAILED_MESSAGE };
  };
  if (!row) return fail('unknown user');
  const lockedUntil = row.locked_until ? msOf(row.locked_until) : null;
  if (lockedUntil !== null && lockedUntil > now) return fail('locked');
  if (row.disabled) return fail('disabled');
  if (!matches) {
    // A lock that has run out starts the count again.
    const failed = (lockedUntil !== null ? 0 : row.failed_logins) + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await store.run(
      'UPDATE users SET failed_logins = ?, locked_until = ?::TIMESTAMP WHERE username = ?',
      [failed, lock ? tsOf(now + LOCKOUT_MS) : null, u],
    );
    return fail('wrong password', lock ? { failedLogins: failed, lockedFor: '15 minutes' } : { failedLogins: failed });
  }
  await store.run('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?', [u]);
  await appendAudit(store, { username: u, ip, action: 'login', target: u });
  const user = toUser({ ...row, failed_logins: 0, locked_until: null });
  return { ok: true, user, mustChangePassword: row.must_change_password };
}
