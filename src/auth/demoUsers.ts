// The demo authority's accounts: one per role, so `npm run demo` can be signed in to and each role tried.
// The password is CSC_DEMO_PASSWORD, or made up afresh for each demo and printed once (the demo's data are
// synthetic; a real authority adds its own users with `csc users add`).
import { randomBytes } from 'node:crypto';
import type { Store } from '../store.ts';
import { addUser, type Role } from './users.ts';

export interface DemoAccounts {
  password: string;
  users: { username: string; role: Role; teams: string[] }[];
}

export async function addDemoUsers(store: Store, actor = 'demo'): Promise<DemoAccounts> {
  const password = process.env.CSC_DEMO_PASSWORD ?? `demo-${randomBytes(9).toString('base64url')}`;
  // the manager holds the team with the most children allocated
  const [team] = await store.query<{ name: string }>(
    `SELECT t.name FROM main.allocations a JOIN main.teams t ON t.team_id = a.team_id WHERE t.name IS NOT NULL
     GROUP BY t.name ORDER BY count(DISTINCT a.child_id) DESC, t.name LIMIT 1`);
  const users: DemoAccounts['users'] = [
    { username: 'admin', role: 'admin', teams: [] },
    { username: 'analyst', role: 'analyst', teams: [] },
    { username: 'manager', role: 'manager', teams: team ? [team.name] : [] },
    { username: 'viewer', role: 'viewer', teams: [] },
  ];
  for (const u of users) await addUser(store, { ...u, displayName: `Demo ${u.role}`, password }, { actor });
  return { password, users };
}
