// Worked tests for src/validate/ssda903/episodeChanges.ts: each builds a tiny return by hand (row i is line i + 2).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

type Ep = Partial<Record<'DEC' | 'RNE' | 'LS' | 'CIN' | 'PLACE' | 'PLACE_PROVIDER' | 'REC' | 'PL_POST' | 'URN', string>>;
const ep = (CHILD: string, DECOM: string, f: Ep = {}) => ({
  CHILD, DECOM, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', PLACE_PROVIDER: 'PR1', PL_POST: 'AB1 2CD', ...f,
});

describe('SSDA903 episode changes', () => {
  it('407: a special guardianship order at 18 or over fails; one at 17 passes', async () => {
    await expectRule('407', ssda903({
      header: [{ CHILD: 'A', DOB: '01/06/2006' }, { CHILD: 'B', DOB: '02/06/2006' }],
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/06/2024', REC: 'E45' }), // line 2: A's 18th birthday
        ep('B', '01/04/2024', { DEC: '01/06/2024', REC: 'E46' }), // line 3: B is 18 the next day
        ep('A', '01/07/2024', { DEC: '01/08/2024', REC: 'E13' }), // line 4: not an SGO
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('408: placed for adoption with a placement order without legal status E1 or D1 fails', async () => {
    await expectRule('408', ssda903({
      episodes: [
        ep('A', '01/04/2024', { PLACE: 'A5', LS: 'C2' }), // line 2: a care order, no placement order
        ep('B', '01/04/2024', { PLACE: 'A6', LS: 'E1' }), // line 3: placement order
        ep('C', '01/04/2024', { PLACE: 'A3', LS: 'C2' }), // line 4: A3 is placed with consent, no order needed
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('426: a child with both V3 and V4 episodes fails on each of them', async () => {
    await expectRule('426', ssda903({
      episodes: [
        ep('A', '01/04/2024', { LS: 'V3' }), // line 2: A has V3…
        ep('A', '01/05/2024', { LS: 'V4' }), // line 3: …and V4
        ep('A', '01/06/2024', { LS: 'C2' }), // line 4: not respite
        ep('B', '01/04/2024', { LS: 'V3' }), // line 5: B only V3
        ep('B', '01/05/2024', { LS: 'V3' }), // line 6
      ],
    })).toFail([2, 3]).toPass([4, 5, 6]);
  });

  it('431: RNE S on the day the previous episode ended fails', async () => {
    await expectRule('431', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'E13' }), // line 2
        ep('A', '01/05/2024', { RNE: 'S' }), //                       line 3: starts the day line 2 ended
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'E13' }), // line 4
        ep('B', '02/05/2024', { RNE: 'S' }), //                       line 5: a day later, a new period of care
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('432: after an episode that ceased care (REC not X1), a new episode that is not RNE S fails', async () => {
    await expectRule('432', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'E13' }), // line 2: A left care
        ep('A', '10/05/2024', { RNE: 'P' }), //                       line 3: then a placement change?
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), //  line 4: B continues
        ep('B', '01/05/2024', { RNE: 'P' }), //                       line 5: a placement change, right
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'E13' }), // line 6
        ep('C', '10/06/2024', { RNE: 'S' }), //                       line 7: started again, right
      ],
    })).toFail([3]).toPass([2, 4, 5, 6, 7]);
  });

  it('433: a continuation episode that does not start on the day the previous ended fails', async () => {
    await expectRule('433', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 2
        ep('A', '02/05/2024', { RNE: 'P' }), //                      line 3: a day after line 2 ended
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 4
        ep('B', '01/05/2024', { RNE: 'L', LS: 'C1' }), //            line 5: the same day
        ep('C', '01/04/2024', { RNE: 'P' }), //                      line 6: no previous episode in this return
      ],
    })).toFail([3]).toPass([2, 4, 5, 6]);
  });

  it('434: RNE L where the legal status did not change, or the placement did, fails', async () => {
    await expectRule('434', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'X1', LS: 'C1' }), // line 2
        ep('A', '01/05/2024', { RNE: 'L', LS: 'C2' }), //                     line 3: LS changed, placement the same
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'X1', LS: 'C1' }), // line 4
        ep('B', '01/05/2024', { RNE: 'L', LS: 'C1' }), //                     line 5: LS did not change
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'X1', LS: 'C1' }), // line 6
        ep('C', '01/05/2024', { RNE: 'L', LS: 'C2', URN: 'SC123456' }), //   line 7: LS changed, but so did the URN
        ep('D', '01/04/2024', { DEC: '01/05/2024', REC: 'X1', LS: 'C1' }), // line 8
        ep('D', '01/05/2024', { RNE: 'L', LS: 'C2', PL_POST: 'ab12cd' }), //  line 9: the same postcode, written otherwise
      ],
    })).toFail([5, 7]).toPass([2, 3, 4, 6, 8, 9]);
  });

  it('435: RNE P where the legal status changed, or the placement did not, fails', async () => {
    await expectRule('435', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 2
        ep('A', '01/05/2024', { RNE: 'P', PL_POST: 'EF3 4GH' }), // line 3: a new placement, same LS
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 4
        ep('B', '01/05/2024', { RNE: 'P' }), //                      line 5: nothing changed
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 6
        ep('C', '01/05/2024', { RNE: 'B', PLACE: 'U2', LS: 'C1' }), // line 7: placement changed but so did LS
      ],
    })).toFail([5, 7]).toPass([2, 3, 4, 6]);
  });

  it('436: RNE T where the legal status or the placement did not change fails', async () => {
    await expectRule('436', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 2
        ep('A', '01/05/2024', { RNE: 'T', LS: 'E1', PLACE: 'A5' }), // line 3: both changed
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 4
        ep('B', '01/05/2024', { RNE: 'T', LS: 'E1' }), //            line 5: only LS changed
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'X1' }), // line 6
        ep('C', '01/05/2024', { RNE: 'U', PLACE: 'U2' }), //         line 7: only the placement changed
      ],
    })).toFail([5, 7]).toPass([2, 3, 4, 6]);
  });

  it('437: an episode ending with the child\'s death or at 18 (E2, E15) followed by another fails', async () => {
    await expectRule('437', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'E15' }), // line 2: A has a later episode
        ep('A', '01/06/2024'), //                                     line 3
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'E2' }), //  line 4: B's last episode
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'E13' }), // line 5: another reason
        ep('C', '01/06/2024'), //                                     line 6
      ],
    })).toFail([2]).toPass([3, 4, 5, 6]);
  });

  it('451: legal status D1 on an episode still open fails', async () => {
    await expectRule('451', ssda903({
      episodes: [
        ep('A', '01/04/2024', { LS: 'D1' }), //                                 line 2: still freed
        ep('B', '01/04/2024', { LS: 'D1', DEC: '01/05/2024', REC: 'X1' }), // line 3: ended; the next episode…
        ep('B', '01/05/2024', { LS: 'E1', RNE: 'L' }), //                       line 4: …is under a placement order
        ep('C', '01/04/2024', { LS: 'D1', DEC: '01/05/2024', REC: 'E11' }), // line 5: adopted, the order ended
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('460: REC E17 (stayed put at 18) before the 18th birthday fails', async () => {
    await expectRule('460', ssda903({
      header: [{ CHILD: 'A', DOB: '02/06/2006' }, { CHILD: 'B', DOB: '01/06/2006' }],
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/06/2024', REC: 'E17' }), // line 2: A is 18 the next day
        ep('B', '01/04/2024', { DEC: '01/06/2024', REC: 'E17' }), // line 3: B's 18th birthday
      ],
    })).toFail([2]).toPass([3]);
  });

  it('504: a category of need differing from the one at the start of the period of care fails', async () => {
    await expectRule('504', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'X1', CIN: 'N1' }), // line 2: the period starts with N1
        ep('A', '01/05/2024', { RNE: 'P', DEC: '01/06/2024', REC: 'X1', CIN: 'N2' }), // line 3: N2 in the same period
        ep('A', '01/06/2024', { RNE: 'P', CIN: 'N2' }), // line 4: still not N1
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'E13', CIN: 'N1' }), // line 5: B leaves care…
        ep('B', '01/07/2024', { CIN: 'N3' }), // line 6: …and a new period starts, with its own CIN
      ],
    })).toFail([3, 4]).toPass([2, 5, 6]);
  });

  it('516: an SGO to the former foster carers (E45, E46) from a placement other than U1–U6 fails', async () => {
    await expectRule('516', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/05/2024', REC: 'E45', PLACE: 'K2' }), // line 2: a children's home
        ep('B', '01/04/2024', { DEC: '01/05/2024', REC: 'E46', PLACE: 'U4' }), // line 3: foster placement
        ep('C', '01/04/2024', { DEC: '01/05/2024', REC: 'E47', PLACE: 'K2' }), // line 4: SGO to other carers
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('526: a placement (other than temporary or Z1) without a provider fails', async () => {
    await expectRule('526', ssda903({
      episodes: [
        ep('A', '01/04/2024', { PLACE: 'U1', PLACE_PROVIDER: '' }), // line 2: no provider
        ep('B', '01/04/2024', { PLACE: 'T1', PLACE_PROVIDER: '' }), // line 3: temporary placement
        ep('C', '01/04/2024', { PLACE: 'K2', PLACE_PROVIDER: 'PR4' }), // line 4: provider given
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
