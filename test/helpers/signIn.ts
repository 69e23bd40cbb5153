// Signed-in clients for server tests: a real account (scrypt hash), a real session in the store and its
// signed cookie, sent with every request; state-changing requests carry the session's CSRF token. The sign-in
// form itself is tested in test/server/auth.test.ts.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Store } from '../../src/store.ts';
import { addUser, type Role } from '../../src/auth/users.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/server/auth.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface Client {
  readonly username: string;
  readonly cookie: string;
  readonly csrfToken: string;
  inject(o: InjectOptions | string): Promise<LightMyRequestResponse>;
}

let n = 0;

/** A user of this role (and teams), signed in to `app`. */
export async function signedIn(app: FastifyInstance, store: Store, role: Role, o: { teams?: string[]; username?: string } = {}): Promise<Client> {
  const username = o.username ?? `${role}${++n}-${process.pid}`;
  await addUser(store, { username, role, teams: o.teams ?? [], password: TEST_PASSWORD });
  const session = await createSession(store, username, '127.0.0.1');
  const cookie = `${SESSION_COOKIE}=${app.signCookie(session.token)}`;
  return {
    username: username.toLowerCase(), cookie, csrfToken: session.csrfToken,
    inject(opts) {
      const x: InjectOptions = typeof opts === 'string' ? { url: opts } : { ...opts };
      const method = (x.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { ...(x.headers as Record<string, string> | undefined), cookie };
      if (method !== 'GET' && method !== 'HEAD' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = session.csrfToken;
      return app.inject({ ...x, headers });
    },
  };
}
