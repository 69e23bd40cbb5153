// Worked tests for src/validate/ssda903/adoption.ts (row i is line i + 2).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

describe('SSDA903 adoption', () => {
  it('1003: a decision to place for adoption before the child started to be looked after fails', async () => {
    await expectRule('1003', ssda903({
      episodes: [
        { CHILD: 'A', DECOM: '01/05/2024', RNE: 'S' },
        { CHILD: 'B', DECOM: '01/05/2024', RNE: 'S' },
        { CHILD: 'B', DECOM: '01/07/2024', RNE: 'P' },
      ],
      placed_for_adoption: [
        { CHILD: 'A', DATE_PLACED: '30/04/2024' }, // line 2: the day before A started to be looked after
        { CHILD: 'B', DATE_PLACED: '01/05/2024' }, // line 3: the day B started (B's later episode is a placement change)
        { CHILD: 'C', DATE_PLACED: '01/01/2024' }, // line 4: no episodes for C
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
