// Administration: users (add, disable, reset a password), the audit log (read and verify), a backup of the
// running store; and every user's own password change. Admin pages need the admin role; the password page
// any signed-in user (and a user given a temporary password is sent there before anything else).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AppContext } from '../app.ts';
import { actorOf, ipOf, SESSION_COOKIE } from '../auth.ts';
import { addUser, changePassword, disableUser, listUsers, resetPassword, ROLES, type Role } from '../../auth/users.ts';
import { listAudit, verifyAudit } from '../../audit.ts';
import { backup } from '../../backup.ts';
import { dateUk } from '../views.ts';

const ROLE_WORDS: Record<Role, string> = {
  admin: 'Administrator: users, the audit log and backups, and everything an analyst can do',
  analyst: 'Analyst: every child, loads, targets, commentary and publishing',
  manager: 'Manager: every aggregate figure; child-level rows only for children allocated to their teams',
  viewer: 'Viewer: the scorecard and published reports, with small numbers suppressed; never a child',
};

type Err = { text: string; href: string };
const AUDIT_PAGE = 200;

/** Where `csc serve` writes backups taken from the dashboard: CSC_BACKUP_DIR, or `backups/` beside the database. */
export function backupDir(dbPath: string): string {
  return process.env.CSC_BACKUP_DIR ?? join(resolve(dbPath, '..'), 'backups');
}

export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const usersPage = async (reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const users = await listUsers(ctx.store);
    return ctx.render(reply, 'admin.njk', {
      title: 'Administration',
      users: users.map((u) => ({
        ...u, teamsText: u.teams.join(', '), created: dateUk(u.createdAt.slice(0, 10)),
        state: u.disabled ? 'Disabled' : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? 'Locked' : 'Active',
      })),
      roleItems: ROLES.map((r) => ({ value: r, text: ROLE_WORDS[r] })),
      ...extra,
    });
  };

  app.get('/admin', { config: { access: 'admin' } }, async (_req, reply) => usersPage(reply));

  app.get('/api/admin/users', { config: { access: 'admin' } }, async () => ({ users: await listUsers(ctx.store) }));

  app.post<{ Body: Record<string, string> }>('/admin/users', { config: { access: 'admin' } }, async (req, reply) => {
    const b = req.body ?? {};
    const errors: Err[] = [];
    const role = String(b.role ?? '') as Role;
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(String(b.username ?? '').trim())) errors.push({ text: 'Enter a username of letters, digits and . _ - @ (at most 64)', href: '#username' });
    if (!ROLES.includes(role)) errors.push({ text: 'Choose a role', href: '#role' });
    if (!errors.length) {
      try {
        await addUser(ctx.store, {
          username: String(b.username).trim(), displayName: b.name?.trim() || null, role,
          teams: String(b.teams ?? '').split(',').map((t) => t.trim()).filter(Boolean), password: String(b.password ?? ''),
        }, { actor: req.user!.username, ip: ipOf(req) });
      } catch (err) {
        errors.push({ text: (err as Error).message, href: /password/i.test((err as Error).message) ? '#password' : '#username' });
      }
    }
    if (errors.length) {
      reply.code(400);
      return usersPage(reply, { errors, values: { ...b, password: '' } });
    }
    return reply.redirect(`/admin?added=${encodeURIComponent(String(b.username).trim().toLowerCase())}`, 303);
  });

  app.post<{ Params: { name: string } }>('/admin/users/:name/disable', { config: { access: 'admin' } }, async (req, reply) => {
    if (req.params.name.toLowerCase() === req.user!.username) throw Object.assign(new Error('You cannot disable your own account.'), { statusCode: 400 });
    await disableUser(ctx.store, req.params.name, { actor: req.user!.username, ip: ipOf(req) });
    return reply.redirect('/admin', 303);
  });

  app.post<{ Params: { name: string } }>('/admin/users/:name/reset', { config: { access: 'admin' } }, async (req, reply) => {
    const r = await resetPassword(ctx.store, req.params.name, { actor: req.user!.username, ip: ipOf(req) });
    // Shown once, to the admin who asked, never cached (no GET shows it again).
    return usersPage(reply, { temporary: { username: req.params.name.toLowerCase(), password: r.temporaryPassword } });
  });

  // The audit log ----------------------------------------------------------------------------------------
  const auditQuery = (q: Record<string, string | undefined>) => ({
    username: q.user?.trim() || undefined, action: q.action?.trim() || undefined, target: q.target?.trim() || undefined,
    from: /^\d{4}-\d{2}-\d{2}$/.test(q.from ?? '') ? q.from : undefined, to: /^\d{4}-\d{2}-\d{2}$/.test(q.to ?? '') ? q.to : undefined,
    limit: AUDIT_PAGE,
  });
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/admin/audit', { config: { access: 'admin' } }, async (req) => ({
    verification: await verifyAudit(ctx.store), rows: await listAudit(ctx.store, auditQuery(req.query)),
  }));
  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/audit', { config: { access: 'admin' } }, async (req, reply) => {
    const [verification, rows] = await Promise.all([verifyAudit(ctx.store), listAudit(ctx.store, auditQuery(req.query))]);
    return ctx.render(reply, 'admin-audit.njk', {
      title: 'Audit log', verification, values: req.query,
      rows: rows.map((r) => ({ ...r, detailText: r.detail === null ? '' : JSON.stringify(r.detail) })),
    });
  });

  // Backup of the running store (csc backup cannot open a database this server holds) -------------------
  app.post('/admin/backup', { config: { access: 'admin' } }, async (req, reply) => {
    const dir = backupDir(ctx.store.path);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `csc-${new Date().toISOString().replace(/[:.]/g, '-')}.duckdb`);
    const manifest = await backup(ctx.store, file, { actor: actorOf(req) }); // audited by backup() itself
    if (String(req.headers.accept ?? '').includes('application/json')) return { file, manifest };
    return usersPage(reply, { backupDone: { file, bytes: manifest.bytes.toLocaleString('en-GB'), sha256: manifest.sha256, auditOk: manifest.audit.ok } });
  });

  // Every user's own password ----------------------------------------------------------------------------
  app.get('/account/password', { config: { access: 'signed-in' } }, async (req, reply) =>
    ctx.render(reply, 'account-password.njk', { title: 'Change your password', mustChange: req.user!.mustChangePassword }));

  app.post<{ Body: Record<string, string> }>('/account/password', { config: { access: 'signed-in' } }, async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
    const b = req.body ?? {};
    const errors: Err[] = [];
    if (!b.current) errors.push({ text: 'Enter your current password', href: '#current' });
    if (!b.password) errors.push({ text: 'Enter a new password', href: '#password' });
    else if (b.password !== b.confirm) errors.push({ text: 'The two new passwords are not the same', href: '#confirm' });
    if (!errors.length) {
      const signed = req.cookies[SESSION_COOKIE];
      const token = signed ? req.unsignCookie(signed).value ?? undefined : undefined;
      try {
        await changePassword(ctx.store, req.user!.username, b.current, b.password, { actor: req.user!.username, ip: ipOf(req), keepToken: token });
      } catch (err) {
        errors.push({ text: (err as Error).message, href: /current/i.test((err as Error).message) ? '#current' : '#password' });
      }
    }
    if (errors.length) {
      reply.code(400);
      return ctx.render(reply, 'account-password.njk', { title: 'Change your password', errors, mustChange: req.user!.mustChangePassword });
    }
    return reply.redirect('/scorecard', 303);
  });
}
