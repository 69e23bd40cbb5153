// Every team's scorecard in one pass (Engine.scorecardsByTeam: one query per indicator grouped by team)
// against the scorecard asked for each team alone (Engine.scorecard with a team filter), on a synthetic
// authority loaded through the real readers: every line, every period, every figure equal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStore, type DemoStore } from './helpers/demoStore.ts';
import { Engine, type ScorecardLine } from '../src/engine.ts';

const plain = (lines: readonly ScorecardLine[]) => lines.map((l) => ({
  id: l.indicator.id, month: l.month, ytd: l.ytd, rolling12: l.rolling12, trend: l.trend,
}));

describe('every team\'s scorecard at once', () => {
  let demo: DemoStore;
  beforeAll(async () => { demo = await demoStore({ population: 3000, years: 2, seed: 3 }); }, 300_000);
  afterAll(() => demo?.close());

  it('equals the scorecard of each team asked alone, for every indicator and period', async () => {
    const engine = new Engine(demo.store);
    try {
      const byTeam = await engine.scorecardsByTeam('2025-03', { trendMonths: 13 });
      const teams = [...byTeam.keys()];
      expect(teams.length).toBeGreaterThan(2);
      let counted = 0;
      for (const team of teams) {
        const alone = await engine.scorecard('2025-03', { trendMonths: 13, team });
        expect(plain(byTeam.get(team)!), team).toEqual(plain(alone));
        counted += alone.filter((l) => (l.month.numerator ?? 0) > 0).length;
      }
      // Not a comparison of empty scorecards: many teams' lines count something.
      expect(counted).toBeGreaterThan(teams.length * 10);
    } finally {
      engine.close();
    }
  }, 300_000);
});
