// Worked tests for src/validate/ssda903/continuity.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

type Ep = Partial<Record<'DEC' | 'RNE' | 'LS' | 'CIN' | 'PLACE' | 'PLACE_PROVIDER' | 'REC' | 'URN', string>>;
const ep = (CHILD: string, DECOM: string, f: Ep = {}) => ({
  CHILD, DECOM, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', PLACE_PROVIDER: 'PR1', URN: 'SC111111', ...f,
});

// last year: A and B open at 31 March 2024 (A from 1 February, B from 1 March); C's episode closed
const episodes_last = [
  ep('A', '01/02/2024'),
  ep('B', '01/03/2024'),
  ep('C', '01/01/2024', { DEC: '01/02/2024', REC: 'E13' }),
];

/** A's open episode goes on with one field changed (line 2); B's goes on unchanged (line 3), then changes everything
 * (line 4: not the first episode); C's episode last year was closed (line 5). */
const openEpisodeCase = (changed: Ep) => ssda903({
  episodes_last,
  episodes: [
    ep('A', '01/02/2024', changed),
    ep('B', '01/03/2024'),
    ep('B', '01/06/2024', { RNE: 'T', LS: 'C1', CIN: 'N2', PLACE: 'U4', PLACE_PROVIDER: 'PR4', URN: 'SC999999' }),
    ep('C', '01/06/2024', changed),
  ],
});

describe('SSDA903 continuity with last year', () => {
  it("503A-503F: this year's first episode must repeat each field of last year's open episode", async () => {
    // line 2 fails (A's field changed); lines 3, 4, 5 pass (see openEpisodeCase)
    await expectRule('503A', openEpisodeCase({ RNE: 'P' })).toFail([2]).toPass([3, 4, 5]);
    await expectRule('503B', openEpisodeCase({ LS: 'C1' })).toFail([2]).toPass([3, 4, 5]);
    await expectRule('503C', openEpisodeCase({ CIN: 'N2' })).toFail([2]).toPass([3, 4, 5]);
    await expectRule('503D', openEpisodeCase({ PLACE: 'U4' })).toFail([2]).toPass([3, 4, 5]);
    await expectRule('503E', openEpisodeCase({ PLACE_PROVIDER: 'PR4' })).toFail([2]).toPass([3, 4, 5]);
    await expectRule('503F', openEpisodeCase({ URN: '' })).toFail([2]).toPass([3, 4, 5]); // a blank URN differs from SC111111
  });

  it("562: an episode begun before 1 April must be last year's latest episode", async () => {
    await expectRule('562', ssda903({
      episodes_last: [ep('A', '01/02/2024'), ep('B', '01/01/2024'), ep('B', '01/03/2024', { RNE: 'P' })],
      episodes: [
        ep('A', '02/02/2024'), //           line 2: last year's latest began a day earlier
        ep('B', '01/03/2024', { RNE: 'P' }), // line 3: B's latest episode last year
        ep('B', '01/05/2024', { RNE: 'P' }), // line 4: began this year
        ep('D', '01/03/2024'), //           line 5: D has no episodes last year
        ep('E', '01/05/2024'), //           line 6: began this year
      ],
    })).toFail([2, 5]).toPass([3, 4, 6]);
  });

  it('NoE: a child looked after before 1 April with no episodes last year fails', async () => {
    await expectRule('NoE', ssda903({
      episodes_last: [ep('A', '01/02/2024')],
      episodes: [
        ep('A', '01/02/2024'), // line 2: in last year's return
        ep('B', '01/03/2024'), // line 3: began before 1 April, not in last year's return
        ep('C', '01/04/2024'), // line 4: began this year
      ],
    })).toFail([3]).toPass([2, 4]);
  });

  it("624: a first child's date of birth that differs from last year's fails", async () => {
    await expectRule('624', ssda903({
      header_last: [{ CHILD: 'A', MOTHER: '1', MC_DOB: '01/01/2023' }, { CHILD: 'B', MOTHER: '1', MC_DOB: '01/01/2023' }],
      header: [
        { CHILD: 'A', MOTHER: '1', MC_DOB: '02/01/2023' }, // line 2: a day later than last year
        { CHILD: 'B', MOTHER: '1', MC_DOB: '01/01/2023' }, // line 3: the same
        { CHILD: 'C', MOTHER: '1', MC_DOB: '01/01/2024' }, // line 4: not in last year's header
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('626: a mother whose first child was born before this year, though last year she was not a mother, fails', async () => {
    await expectRule('626', ssda903({
      header_last: [{ CHILD: 'A', MOTHER: '0' }, { CHILD: 'B', MOTHER: '0' }, { CHILD: 'C', MOTHER: '1', MC_DOB: '01/01/2024' }],
      header: [
        { CHILD: 'A', MOTHER: '1', MC_DOB: '31/03/2024' }, // line 2: born before 1 April 2024, but MOTHER 0 last year
        { CHILD: 'B', MOTHER: '1', MC_DOB: '01/04/2024' }, // line 3: born this year
        { CHILD: 'C', MOTHER: '1', MC_DOB: '01/01/2024' }, // line 4: a mother last year too
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
