// Worked tests for src/validate/ssda903/episodes.ts: each builds a tiny return by hand (row i is line i + 2).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const episode = (CHILD: string, DECOM: string, DEC = '', RNE = 'S') => ({ CHILD, DECOM, DEC, RNE, LS: 'C2', CIN: 'N1', PLACE: 'U1' });

describe('SSDA903 episodes', () => {
  it('302: an episode starting before the date of birth fails; one starting on the day of birth passes', async () => {
    await expectRule('302', ssda903({
      header: [{ CHILD: 'A', DOB: '10/05/2024' }, { CHILD: 'B', DOB: '01/06/2024' }],
      episodes: [
        episode('A', '09/05/2024'), // line 2: the day before A was born
        episode('B', '01/06/2024'), // line 3: the day B was born
        episode('C', '01/01/2000'), // line 4: no header row for C, nothing to compare
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('501: an episode starting before the previous one ended fails; one starting on its end date passes', async () => {
    await expectRule('501', ssda903({
      episodes: [
        episode('A', '01/04/2024', '10/05/2024'), // line 2
        episode('A', '09/05/2024', '', 'P'), //        line 3: starts the day before line 2 ends
        episode('B', '01/04/2024', '10/05/2024'), // line 4
        episode('B', '10/05/2024', '', 'P'), //        line 5: starts the day line 4 ends
        episode('C', '01/05/2024', ''), //             line 6: out of order in the file, still the later episode…
        episode('C', '01/04/2024', '20/04/2024'), // line 7: …this one ended before line 6 began
      ],
    })).toFail([3]).toPass([2, 4, 5, 6, 7]);
  });

  it("502: this year's first episode must start when last year's open episode did", async () => {
    await expectRule('502', ssda903({
      episodes_last: [
        episode('A', '01/02/2024'), // A: open at 31 March 2024, started 1 February
        episode('B', '01/03/2024'), // B: open, started 1 March
        episode('C', '01/01/2024', '01/02/2024'), // C: closed last year
      ],
      episodes: [
        episode('A', '02/02/2024'), // line 2: a day later than last year's
        episode('B', '01/03/2024'), // line 3: the same start
        episode('B', '01/06/2024', '', 'P'), // line 4: not B's first episode
        episode('C', '01/06/2024'), // line 5: last year's episode was closed
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });
});
