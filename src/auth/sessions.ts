// Sessions: a signed-in user's browser holds a random token in a cookie; the store keeps only its
// SHA-256 (sessions.session_id), so a copy of the database cannot be used to sign in as anyone.
//
// Lifetimes (constants below):
//   - IDLE_TIMEOUT_MS, 30 minutes: a session not used for that long has ended; each use (getSession)
//     moves last_seen_at on.
//   - ABSOLUTE_TIMEOUT_MS, 8 hours: a session ends that long after sign-in however busy it is
//     (sessions.expires_at), so a working day needs one sign-in.
// A session also ends at sign-out (endSession), and all of a user's end when they are disabled or
// their password is reset (endAllSessions). A disabled user's session is refused even if still open.
//
// Each session has its own CSRF token (returned by createSession and getSession): put it in every
// form and in a header of every state-changing request, and compare it with csrfMatches.
//
// The cookie: HttpOnly, Secure (behind HTTPS), SameSite=Strict, Path=/, no Max-Age beyond expiresAt.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store.ts';
import type { Clock, Role } from './users.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/** how often a session's last use is written (see getSession) */
export const LAST_SEEN_STEP_MS = 60 * 1000;

const systemClock: Clock = () => Date.now();

/** Milliseconds as a value to bind to `?::TIMESTAMP` (UTC). */
function tsOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}
function msOf(ts: string): number {
  return Date.parse(ts.endsWith('Z') ? ts : `${ts}Z`);
}

/** The stored id of a session token: SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewSession {
  /** For the cookie only: never store or log it. 32 random bytes, base64url. */
  token: string;
  csrfToken: string;
  /** ISO time (UTC) of the absolute expiry. */
  expiresAt: string;
}

/** Starts a session for a user who has just signed in (see verifyLogin). */
export async function createSession(store: Store, username: string, ip: string | null, o: { clock?: Clock } = {}): Promise<NewSession> {
  const now = (o.clock ?? systemClock)();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expires = now + ABSOLUTE_TIMEOUT_MS;
  await store.run(
    `INSERT INTO sessions (session_id, username, created_at, expires_at, last_seen_at, ip, csrf_token, ended_at)
     VALUES (?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, NULL)`,
    [hashToken(token), username.trim().toLowerCase(), tsOf(now), tsOf(expires), tsOf(now), ip, csrfToken],
  );
  return { token, csrfToken, expiresAt: new Date(expires).toISOString() };
}

export interface Session {
  username: string;
  displayName: string | null;
  role: Role;
  /** Managers: the teams whose children they may see. */
  teams: string[];
  csrfToken: string;
  mustChangePassword: boolean;
  /** ISO time (UTC) of the absolute expiry. */
  expiresAt: string;
}

/**
 * The session for a cookie's token, or null if there is none, it has ended, it has been idle for
 * 30 minutes, it is past its 8 hours, or its user is disabled or gone. A live session's last_seen_at
 * moves to now (the idle timeout slides); an expired one is marked ended.
 */
export async function getSession(store: Store, token: string | undefined | null, o: { clock?: Clock } = {}): Promise<Session | null> {
  if (!token || token.length > 200) return null;
  const now = (o.clock ?? systemClock)();
  const id = hashToken(token);
  const rows = await store.query<{
    username: string; expires_at: string; last_seen_at: string; csrf_token: string; ended_at: string | null;
    display_name: string | null; role: string | null; teams: string | null; disabled: boolean | null; must_change_password: boolean | null;
  }>(
    `SELECT s.username, s.expires_at, s.last_seen_at, s.csrf_token, s.ended_at,
            u.display_name, u.role, u.teams, u.disabled, u.must_change_password
     FROM sessions s LEFT JOIN users u ON u.username = s.username WHERE s.session_id = ?`, [id]);
  const r = rows[0];
  if (!r || r.ended_at !== null) return null;
  const expired = now >= msOf(r.expires_at) || now - msOf(r.last_seen_at) >= IDLE_TIMEOUT_MS;
  if (expired || r.role === null || r.disabled) {
    await store.run('UPDATE sessions SET ended_at = ?::TIMESTAMP WHERE session_id = ? AND ended_at IS NULL', [tsOf(now), id]);
    return null;
  }
  // The idle clock moves on at most once a minute: a write per request would make every page view a write
  // transaction. So a session may end up to a minute early, never late.
  if (now - msOf(r.last_seen_at) >= LAST_SEEN_STEP_MS) await store.run('UPDATE sessions SET last_seen_at = ?::TIMESTAMP WHERE session_id = ?', [tsOf(now), id]);
  return {
    username: r.username, displayName: r.display_name, role: r.role as Role,
    teams: r.teams ? r.teams.split(',').map((t) => t.trim()).filter((t) => t !== '') : [],
    csrfToken: r.csrf_token, mustChangePassword: !!r.must_change_password, expiresAt: new Date(msOf(r.expires_at)).toISOString(),
  };
}

/** Ends one session (sign-out). True if it was open. */
export async function endSession(store: Store, token: string, o: { clock?: Clock } = {}): Promise<boolean> {
  const id = hashToken(token);
  const open = await store.query('SELECT 1 FROM sessions WHERE session_id = ? AND ended_at IS NULL', [id]);
  if (!open.length) return false;
  await store.run('UPDATE sessions SET ended_at = ?::TIMESTAMP WHERE session_id = ?', [tsOf((o.clock ?? systemClock)()), id]);
  return true;
}

/** Ends every open session of a user (on disable or password reset); returns how many. */
export async function endAllSessions(store: Store, username: string, o: { clock?: Clock } = {}): Promise<number> {
  const u = username.trim().toLowerCase();
  const [{ n }] = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM sessions WHERE username = ? AND ended_at IS NULL', [u]);
  if (n) await store.run('UPDATE sessions SET ended_at = ?::TIMESTAMP WHERE username = ? AND ended_at IS NULL', [tsOf((o.clock ?? systemClock)()), u]);
  return n;
}

/** Whether a submitted CSRF token is the session's, compared in constant time. */
export function csrfMatches(session: Pick<Session, 'csrfToken'>, submitted: string | undefined | null): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrfToken, 'utf8');
  const b = Buffer.from(submitted, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Sign-in attempts per IP address in a sliding window (default 10 per 5 minutes), in memory: one
 * instance per server process. Call `attempt(ip)` before checking a password; when it returns
 * allowed: false, answer 429 with Retry-After of retryAfterSeconds and do not check the password.
 */
export class LoginRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly hits = new Map<string, number[]>();

  constructor(o: { limit?: number; windowMs?: number; clock?: Clock } = {}) {
    this.limit = o.limit ?? 10;
    this.windowMs = o.windowMs ?? 5 * 60 * 1000;
    this.clock = o.clock ?? systemClock;
  }

  /** Counts an attempt from this IP, unless it is over the limit. */
  attempt(ip: string): { allowed: boolean; remaining: number; retryAfterSeconds: number } {
    const now = this.clock();
    const recent = (this.hits.get(ip) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(ip, recent);
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(ip, recent);
    this.prune(now);
    return { allowed: true, remaining: this.limit - recent.length, retryAfterSeconds: 0 };
  }

  /** Forgets an IP's attempts (e.g. after a successful sign-in, if wanted). */
  reset(ip: string): void {
    this.hits.delete(ip);
  }

  private lastPrune = 0;
  /** Drops IPs with no attempt in the window, at most once a window, so memory stays bounded by recent traffic. */
  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    for (const [ip, times] of this.hits) if (!times.some((t) => t > now - this.windowMs)) this.hits.delete(ip);
  }
}
