import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../src/store.ts';
import { listAudit, verifyAudit } from '../src/audit.ts';
import {
  addUser, changePassword, disableUser, hashPassword, listUsers, LOGIN_FAILED_MESSAGE, LOCKOUT_MS, passwordProblems,
  resetPassword, verifyLogin, verifyPassword, getUser,
} from '../src/auth/users.ts';
import {
  ABSOLUTE_TIMEOUT_MS, createSession, csrfMatches, endAllSessions, endSession, getSession, hashToken, IDLE_TIMEOUT_MS, LoginRateLimiter,
} from '../src/auth/sessions.ts';
import { registerUserCommands } from '../src/auth/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const openStore = () => Store.open(join(dir, `s${n++}.duckdb`));
const PW = 'tangerine-harbour-42';
const T0 = Date.parse('2025-03-03T09:00:00Z');
function clockAt(start = T0) {
  const c = { t: start, clock: () => c.t };
  return c;
}

describe('password hashing', () => {
  it('hashes as scrypt$N$r$p$salt$hash (base64) and verifies round trip; wrong password fails', async () => {
    const h = await hashPassword(PW);
    const parts = h.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(64);
    expect(await verifyPassword(PW, h)).toBe(true);
    expect(await verifyPassword(PW + 'x', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
    // A fresh salt each time.
    expect(await hashPassword(PW)).not.toBe(h);
    // Malformed hashes are a mismatch, not a crash.
    for (const bad of ['', 'scrypt$1$2', 'bcrypt$32768$8$1$a$b', 'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA', `scrypt$${2 ** 30}$8$1$${parts[4]}$${parts[5]}`]) {
      expect(await verifyPassword(PW, bad)).toBe(false);
    }
  });

  it('password rules: length at least 12, not the username, not a common password', () => {
    expect(passwordProblems(PW, 'ana')).toEqual([]);
    expect(passwordProblems('short-pw', 'ana')[0]).toMatch(/at least 12/);
    expect(passwordProblems('ana.longname1', 'Ana.LongName1').join(' ')).toMatch(/username/);
    expect(passwordProblems('Password1234', 'ana').join(' ')).toMatch(/common/);
    expect(passwordProblems('qwerty123456', 'ana').join(' ')).toMatch(/common/);
  });
});

describe('accounts', () => {
  let store: Store;
  beforeAll(async () => { store = await openStore(); });
  afterAll(() => store.close());

  it('adds users, refuses duplicates, bad roles and weak passwords, and never lists a hash', async () => {
    const u = await addUser(store, { username: 'Ana', displayName: 'Ana Smith', role: 'manager', teams: ['North', ' South ', 'North'], password: PW }, { actor: 'admin1', ip: '10.0.0.9' });
    expect(u).toMatchObject({ username: 'ana', displayName: 'Ana Smith', role: 'manager', teams: ['North', 'South'], disabled: false, mustChangePassword: false, failedLogins: 0, lockedUntil: null });
    await expect(addUser(store, { username: 'ANA', role: 'viewer', password: PW })).rejects.toThrow(/already a user/);
    await expect(addUser(store, { username: 'bob', role: 'superuser' as never, password: PW })).rejects.toThrow(/Unknown role/);
    await expect(addUser(store, { username: 'bob', role: 'viewer', password: 'password1234' })).rejects.toThrow(/common/);
    await expect(addUser(store, { username: 'bob', role: 'viewer', password: 'short' })).rejects.toThrow(/12 characters/);
    await expect(addUser(store, { username: 'bad name; drop', role: 'viewer', password: PW })).rejects.toThrow(/not a valid username/);
    await addUser(store, { username: 'bob', role: 'analyst', password: PW });
    const list = await listUsers(store);
    expect(list.map((x) => x.username)).toEqual(['ana', 'bob']);
    const text = JSON.stringify(list);
    expect(text).not.toMatch(/scrypt|hash/i);
    const [{ h }] = await store.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE username = 'ana'`);
    expect(h.startsWith('scrypt$32768$8$1$')).toBe(true);
    const audit = await listAudit(store, { action: 'user.add', limit: 10 });
    expect(audit.map((a) => a.target).sort()).toEqual(['ana', 'bob']);
    expect(audit.find((a) => a.target === 'ana')).toMatchObject({ username: 'admin1', ip: '10.0.0.9' });
  });

  it('signs in with the right password; a wrong one and an unknown user get the same message', async () => {
    const ok = await verifyLogin(store, 'ANA', PW, '10.0.0.1');
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.user).toMatchObject({ username: 'ana', role: 'manager', teams: ['North', 'South'] });
    expect(JSON.stringify(ok)).not.toMatch(/scrypt/);
    const wrong = await verifyLogin(store, 'ana', 'not-the-password', '10.0.0.1');
    const unknown = await verifyLogin(store, 'nobody', PW, '10.0.0.1');
    expect(wrong).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    expect(unknown).toEqual(wrong);
    expect((await listAudit(store, { action: 'login', limit: 10 })).map((r) => r.target)).toEqual(['ana']);
    const failed = await listAudit(store, { action: 'login.failed', limit: 10 });
    expect(failed.map((r) => [r.target, r.detail])).toEqual([['nobody', { reason: 'unknown user' }], ['ana', { reason: 'wrong password', failedLogins: 1 }]]);
    expect((await verifyAudit(store)).ok).toBe(true);
  });

  it('an unknown user takes about as long as a known one (a dummy scrypt verification)', async () => {
    const time = async (u: string) => { const s = performance.now(); await verifyLogin(store, u, 'x-wrong-password', '10.0.0.2'); return performance.now() - s; };
    await time('nobody'); // warm the dummy hash
    const known: number[] = []; const unknown: number[] = [];
    for (let i = 0; i < 3; i++) { known.push(await time('bob')); unknown.push(await time('nobody')); }
    await store.run(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = 'bob'`);
    const med = (a: number[]) => a.sort((x, y) => x - y)[1];
    // scrypt dominates both: an unknown user is never several times quicker.
    expect(med(unknown)).toBeGreaterThan(med(known) * 0.4);
  });

  it('locks an account after 5 wrong passwords for 15 minutes, then unlocks', async () => {
    const c = clockAt();
    await addUser(store, { username: 'carol', role: 'viewer', password: PW });
    for (let i = 1; i <= 4; i++) {
      expect((await verifyLogin(store, 'carol', 'wrong-password-' + i, '10.0.0.3', { clock: c.clock })).ok).toBe(false);
      expect((await getUser(store, 'carol'))!.failedLogins).toBe(i);
    }
    expect((await getUser(store, 'carol'))!.lockedUntil).toBeNull();
    await verifyLogin(store, 'carol', 'wrong-password-5', '10.0.0.3', { clock: c.clock });
    expect((await getUser(store, 'carol'))!.lockedUntil).toBe(new Date(T0 + LOCKOUT_MS).toISOString());
    // Locked: even the right password is refused, with the same message.
    c.t += LOCKOUT_MS - 1000;
    expect(await verifyLogin(store, 'carol', PW, '10.0.0.3', { clock: c.clock })).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    c.t += 2000;
    const r = await verifyLogin(store, 'carol', PW, '10.0.0.3', { clock: c.clock });
    expect(r.ok).toBe(true);
    expect(await getUser(store, 'carol')).toMatchObject({ failedLogins: 0, lockedUntil: null });
    const reasons = (await listAudit(store, { action: 'login.failed', target: 'carol', limit: 10 })).map((x) => (x.detail as { reason: string }).reason);
    expect(reasons[0]).toBe('locked');
  });

  it('a lock that has run out starts the count again', async () => {
    const c = clockAt();
    await addUser(store, { username: 'dan', role: 'viewer', password: PW });
    for (let i = 0; i < 5; i++) await verifyLogin(store, 'dan', 'wrong-password', null, { clock: c.clock });
    c.t += LOCKOUT_MS + 1;
    await verifyLogin(store, 'dan', 'wrong-password', null, { clock: c.clock });
    expect(await getUser(store, 'dan')).toMatchObject({ failedLogins: 1, lockedUntil: null });
  });

  it('a disabled user cannot sign in and their sessions end', async () => {
    await addUser(store, { username: 'erin', role: 'analyst', password: PW });
    const s1 = await createSession(store, 'erin', '10.0.0.4');
    const s2 = await createSession(store, 'erin', '10.0.0.5');
    expect(await getSession(store, s1.token)).not.toBeNull();
    const r = await disableUser(store, 'erin', { actor: 'admin1' });
    expect(r.sessionsEnded).toBe(2);
    expect(await getSession(store, s1.token)).toBeNull();
    expect(await getSession(store, s2.token)).toBeNull();
    expect(await verifyLogin(store, 'erin', PW, '10.0.0.4')).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    expect((await getUser(store, 'erin'))!.disabled).toBe(true);
    // A session that somehow stayed open is still refused for a disabled user.
    const s3 = await createSession(store, 'erin', '10.0.0.4');
    expect(await getSession(store, s3.token)).toBeNull();
    await expect(disableUser(store, 'ghost')).rejects.toThrow(/no user called/);
  });

  it('reset gives a one-time password that must be changed, clears a lock and ends sessions; change password', async () => {
    const c = clockAt();
    await addUser(store, { username: 'fay', role: 'viewer', password: PW });
    const s = await createSession(store, 'fay', null);
    for (let i = 0; i < 5; i++) await verifyLogin(store, 'fay', 'wrong-password', null, { clock: c.clock });
    const { temporaryPassword, sessionsEnded } = await resetPassword(store, 'fay', { actor: 'admin1', clock: c.clock });
    expect(sessionsEnded).toBe(1);
    expect(await getSession(store, s.token)).toBeNull();
    expect(passwordProblems(temporaryPassword, 'fay')).toEqual([]);
    const login = await verifyLogin(store, 'fay', temporaryPassword, null, { clock: c.clock });
    expect(login).toMatchObject({ ok: true, mustChangePassword: true });
    expect((await verifyLogin(store, 'fay', PW, null, { clock: c.clock })).ok).toBe(false);

    const keep = await createSession(store, 'fay', null);
    const other = await createSession(store, 'fay', null);
    await expect(changePassword(store, 'fay', 'not-the-current-one', 'another-good-password')).rejects.toThrow(/current password/);
    await expect(changePassword(store, 'fay', temporaryPassword, 'password1234')).rejects.toThrow(/common/);
    await expect(changePassword(store, 'fay', temporaryPassword, temporaryPassword)).rejects.toThrow(/differ/);
    await changePassword(store, 'fay', temporaryPassword, 'another-good-password', { keepToken: keep.token });
    expect(await getSession(store, keep.token)).toMatchObject({ username: 'fay', mustChangePassword: false });
    expect(await getSession(store, other.token)).toBeNull();
    expect(await verifyLogin(store, 'fay', 'another-good-password', null)).toMatchObject({ ok: true, mustChangePassword: false });
    expect((await listAudit(store, { action: 'user.reset', limit: 5 }))[0]).toMatchObject({ target: 'fay', username: 'admin1' });
  });
});

describe('sessions', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore();
    await addUser(store, { username: 'gil', role: 'manager', teams: ['East'], password: PW });
  });
  afterAll(() => store.close());

  it('stores only the sha256 of the token; returns the user, role, teams and CSRF token', async () => {
    const c = clockAt();
    const s = await createSession(store, 'gil', '10.1.1.1', { clock: c.clock });
    expect(Buffer.from(s.token, 'base64url')).toHaveLength(32);
    expect(s.expiresAt).toBe(new Date(T0 + ABSOLUTE_TIMEOUT_MS).toISOString());
    const rows = await store.query<Record<string, unknown>>('SELECT * FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0].session_id).toBe(hashToken(s.token));
    expect(JSON.stringify(rows)).not.toContain(s.token);
    const got = await getSession(store, s.token, { clock: c.clock });
    expect(got).toMatchObject({ username: 'gil', role: 'manager', teams: ['East'], csrfToken: s.csrfToken });
    expect(await getSession(store, hashToken(s.token), { clock: c.clock })).toBeNull(); // the stored id is not a token
    expect(await getSession(store, 'made-up', { clock: c.clock })).toBeNull();
    expect(await getSession(store, '', { clock: c.clock })).toBeNull();
    expect(csrfMatches(got!, s.csrfToken)).toBe(true);
    expect(csrfMatches(got!, s.csrfToken.slice(1))).toBe(false);
    expect(csrfMatches(got!, undefined)).toBe(false);
    expect(await endSession(store, s.token)).toBe(true);
    expect(await getSession(store, s.token, { clock: c.clock })).toBeNull();
    expect(await endSession(store, s.token)).toBe(false);
  });

  it('ends after 30 idle minutes; use slides the idle timeout', async () => {
    const c = clockAt();
    const s = await createSession(store, 'gil', null, { clock: c.clock });
    c.t += IDLE_TIMEOUT_MS - 1000;
    expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    c.t += IDLE_TIMEOUT_MS - 1000; // 59 minutes after sign-in, 29 after last use
    expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    c.t += IDLE_TIMEOUT_MS;
    expect(await getSession(store, s.token, { clock: c.clock })).toBeNull();
    // And stays ended.
    c.t -= IDLE_TIMEOUT_MS;
    expect(await getSession(store, s.token, { clock: c.clock })).toBeNull();
  });

  it('writes the last use at most once a minute (a page view is not a write), so a session may end up to a minute early', async () => {
    const c = clockAt();
    const s = await createSession(store, 'gil', null, { clock: c.clock });
    const lastSeen = async () => (await store.query<{ t: string }>('SELECT last_seen_at::VARCHAR AS t FROM sessions WHERE session_id = ?', [hashToken(s.token)]))[0].t;
    const signedInAt = await lastSeen();
    c.t += 59_000;
    expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    expect(await lastSeen()).toBe(signedInAt); // 59 s: not written
    c.t += 1_000;
    expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    expect(await lastSeen()).not.toBe(signedInAt); // a minute: written
    c.t += 59_000; // used again 59 s later (not written), then idle: ends 30 minutes after the last written use
    expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    c.t += IDLE_TIMEOUT_MS - 59_000;
    expect(await getSession(store, s.token, { clock: c.clock })).toBeNull();
  });

  it('ends 8 hours after sign-in however busy', async () => {
    const c = clockAt();
    const s = await createSession(store, 'gil', null, { clock: c.clock });
    while (c.t + 20 * 60 * 1000 < T0 + ABSOLUTE_TIMEOUT_MS) {
      c.t += 20 * 60 * 1000;
      expect(await getSession(store, s.token, { clock: c.clock })).not.toBeNull();
    }
    c.t = T0 + ABSOLUTE_TIMEOUT_MS;
    expect(await getSession(store, s.token, { clock: c.clock })).toBeNull();
  });

  it('endAllSessions ends every open session of a user', async () => {
    const a = await createSession(store, 'gil', null);
    const b = await createSession(store, 'gil', null);
    expect(await endAllSessions(store, 'GIL')).toBe(2);
    expect(await getSession(store, a.token)).toBeNull();
    expect(await getSession(store, b.token)).toBeNull();
  });
});

describe('login rate limiter', () => {
  it('allows 10 attempts per IP in 5 minutes, then refuses until the window moves on', () => {
    const c = clockAt();
    const rl = new LoginRateLimiter({ clock: c.clock });
    for (let i = 0; i < 10; i++) {
      expect(rl.attempt('1.2.3.4')).toMatchObject({ allowed: true, remaining: 9 - i });
      c.t += 1000;
    }
    const refused = rl.attempt('1.2.3.4');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(5 * 60 - 10);
    expect(rl.attempt('5.6.7.8').allowed).toBe(true); // other IPs are unaffected
    c.t = T0 + 5 * 60 * 1000 + 1; // the first attempt has left the window
    expect(rl.attempt('1.2.3.4').allowed).toBe(true);
    expect(rl.attempt('1.2.3.4').allowed).toBe(false);
    rl.reset('1.2.3.4');
    expect(rl.attempt('1.2.3.4').allowed).toBe(true);
  });

  it('takes its own limit and window', () => {
    const c = clockAt();
    const rl = new LoginRateLimiter({ limit: 2, windowMs: 1000, clock: c.clock });
    expect(rl.attempt('a').allowed).toBe(true);
    expect(rl.attempt('a').allowed).toBe(true);
    expect(rl.attempt('a').allowed).toBe(false);
    c.t += 1001;
    expect(rl.attempt('a').allowed).toBe(true);
  });
});

describe('csc users (commands registered on a commander program)', () => {
  const db = join(dir, 'cli.duckdb');
  let out: string[] = [];
  const savedPw = process.env.CSC_PASSWORD;
  afterEach(() => {
    vi.restoreAllMocks();
    if (savedPw === undefined) delete process.env.CSC_PASSWORD; else process.env.CSC_PASSWORD = savedPw;
  });

  async function run(...args: string[]): Promise<string> {
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    registerUserCommands(program, () => Store.open(db));
    await program.parseAsync(['node', 'csc', ...args]);
    vi.restoreAllMocks();
    return out.join('\n');
  }

  it('add takes the password from CSC_PASSWORD, never an argument; list, disable, reset', async () => {
    process.env.CSC_PASSWORD = PW;
    expect(await run('users', 'add', 'hana', '--role', 'manager', '--teams', 'North,South', '--name', 'Hana Ito')).toMatch(/Added hana \(manager, teams North, South\)/);
    expect(await run('users', 'add', 'ivan', '--role', 'viewer')).toMatch(/Added ivan/);
    await expect(run('users', 'add', 'jo', '--role', 'boss')).rejects.toThrow(/Unknown role/);
    process.env.CSC_PASSWORD = 'short';
    await expect(run('users', 'add', 'jo', '--role', 'viewer')).rejects.toThrow(/12 characters/);
    process.env.CSC_PASSWORD = '';
    // No terminal in tests and no CSC_PASSWORD: refused with a message.
    await expect(run('users', 'add', 'jo', '--role', 'viewer')).rejects.toThrow(/CSC_PASSWORD/);
    // There is no password option.
    await expect(run('users', 'add', 'jo', '--role', 'viewer', '--password', PW)).rejects.toThrow();

    const list = await run('users', 'list');
    expect(list).toMatch(/hana\s+Hana Ito\s+manager\s+North, South\s+active/);
    expect(list).not.toMatch(/scrypt/);
    const json = JSON.parse(await run('users', 'list', '--json')) as { username: string }[];
    expect(json.map((u) => u.username)).toEqual(['hana', 'ivan']);

    const check = await Store.open(db);
    const s = await createSession(check, 'ivan', null);
    check.close();
    expect(await run('users', 'disable', 'ivan')).toBe('Disabled ivan; 1 open session ended.');
    expect(await run('users', 'list')).toMatch(/ivan.*disabled/);

    const reset = await run('users', 'reset', 'hana');
    const temp = /Temporary password for hana: (\S+)/.exec(reset)![1];
    const after = await Store.open(db);
    try {
      expect(await verifyLogin(after, 'hana', temp, null)).toMatchObject({ ok: true, mustChangePassword: true });
      expect(await getSession(after, s.token)).toBeNull();
      const audit = await listAudit(after, { action: 'user.', limit: 10 });
      expect(audit.map((a) => a.action)).toEqual(['user.reset', 'user.disable', 'user.add', 'user.add']);
      expect(audit[0].username).toMatch(/^cli:/);
      expect(JSON.stringify(audit)).not.toContain(temp);
    } finally {
      after.close();
    }
  });
});
