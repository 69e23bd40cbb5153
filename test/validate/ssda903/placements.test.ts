// Worked tests for src/validate/ssda903/placements.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

type Ep = Record<string, string>;
const ep = (CHILD: string, DECOM: string, DEC = '', more: Ep = {}): Ep =>
  ({ CHILD, DECOM, DEC, RNE: 'S', LS: 'C2', PLACE: 'U1', REC: DEC ? 'E8' : '', HOME_POST: 'AB1 2CD', PL_POST: 'EF3 4GH', URN: 'SC123456', ...more });

describe('SSDA903 episodes: placements and legal statuses', () => {
  it('142: an earlier episode with no DEC or REC fails', async () => {
    await expectRule('142', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { REC: '' }), //                       line 2: A has a later episode but this one never ended
        ep('A', '01/06/2024', '', { RNE: 'P' }), //                      line 3: A's latest, open
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1' }), //           line 4: ended
        ep('B', '01/06/2024', '', { RNE: 'P' }), //                      line 5
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('199: an episode after the child was adopted from care fails', async () => {
    await expectRule('199', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'E11', PLACE: 'A5' }), // line 2: A adopted on 1 June
        ep('A', '01/09/2024'), //                                              line 3: A looked after again
        ep('B', '01/04/2024', '01/06/2024', { REC: 'E8' }), //               line 4
        ep('B', '01/09/2024'), //                                              line 5: B was not adopted
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('213: a placement provider for a temporary placement fails', async () => {
    await expectRule('213', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { PLACE: 'T1', PLACE_PROVIDER: 'PR1' }), // line 2: temporary with a provider
        ep('B', '01/04/2024', '', { PLACE: 'T1', PLACE_PROVIDER: '' }), //    line 3: temporary, none
        ep('C', '01/04/2024', '', { PLACE: 'U1', PLACE_PROVIDER: 'PR1' }), // line 4: foster placement
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('214: a placement postcode or URN for a short break fails', async () => {
    await expectRule('214', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { LS: 'V3', PL_POST: '', URN: 'SC1' }), // line 2: V3 with a URN
        ep('B', '01/04/2024', '', { LS: 'V4', PL_POST: '', URN: '' }), //    line 3: V4, neither
        ep('C', '01/04/2024', '', { LS: 'C2' }), //                          line 4: not a short break
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('217: placed for adoption with current foster carers must be a new episode of S, T or U', async () => {
    await expectRule('217', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { PLACE: 'A3', RNE: 'P' }), // line 2: change of placement only
        ep('B', '01/04/2024', '', { PLACE: 'A5', RNE: 'T' }), // line 3: change of legal status
        ep('C', '01/04/2024', '', { PLACE: 'A4', RNE: 'P' }), // line 4: not with current foster carers
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('218: no URN for a placement that has one fails', async () => {
    await expectRule('218', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { PLACE: 'K2', URN: '' }), //          line 2: children's home, no URN
        ep('B', '01/04/2024', '', { PLACE: 'K2', URN: 'XXXXXXX' }), //   line 3: DfE's no-URN code
        ep('C', '01/04/2024', '', { PLACE: 'P1', URN: '' }), //          line 4: placed with parents: no URN
        ep('D', '01/01/2024', '01/03/2024', { PLACE: 'K2', URN: '' }), // line 5: ended before the year
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('222: a URN for a placement type without one fails', async () => {
    await expectRule('222', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { PLACE: 'P1', URN: 'SC1' }), //     line 2
        ep('B', '01/04/2024', '', { PLACE: 'P1', URN: 'XXXXXXX' }), // line 3: the no-URN code
        ep('C', '01/04/2024', '', { PLACE: 'K2', URN: 'SC1' }), //     line 4: a children's home has a URN
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('225: a change of placement with no reason fails', async () => {
    await expectRule('225', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'X1' }), //                            line 2: moved, no reason
        ep('A', '01/06/2024', '', { RNE: 'P' }), //                                       line 3
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' }), // line 4: reason given
        ep('B', '01/06/2024', '', { RNE: 'P' }), //                                       line 5
        ep('C', '01/04/2024', '01/06/2024', { REC: 'X1' }), //                            line 6: into a temporary placement
        ep('C', '01/06/2024', '', { RNE: 'P', PLACE: 'T1' }), //                          line 7
      ],
    })).toFail([2]).toPass([3, 4, 5, 6, 7]);
  });

  it('226: a reason for placement change around a temporary placement fails', async () => {
    await expectRule('226', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' }), // line 2: the move into A's temporary placement has a reason
        ep('A', '01/06/2024', '', { RNE: 'P', PLACE: 'T1' }), //                            line 3: fails
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1' }), //                              line 4
        ep('B', '01/06/2024', '', { RNE: 'P', PLACE: 'T1' }), //                            line 5: no reason either side
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('336: placed for adoption with foster carers straight after a non-foster placement fails', async () => {
    await expectRule('336', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'X1', PLACE: 'K2' }), // line 2
        ep('A', '01/06/2024', '', { RNE: 'T', PLACE: 'A5' }), //            line 3: after a children's home
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1', PLACE: 'U3' }), // line 4
        ep('B', '01/06/2024', '', { RNE: 'T', PLACE: 'A5' }), //            line 5: after foster care
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('352: starting to be looked after at 18 or over fails', async () => {
    await expectRule('352', ssda903({
      header: [{ CHILD: 'A', DOB: '01/05/2006' }, { CHILD: 'B', DOB: '02/05/2006' }],
      episodes: [
        ep('A', '01/05/2024'), // line 2: A's 18th birthday
        ep('B', '01/05/2024'), // line 3: B is 18 the next day
      ],
    })).toFail([2]).toPass([3]);
  });

  it('355: an episode ending the day it started fails', async () => {
    await expectRule('355', ssda903({
      episodes: [ep('A', '01/05/2024', '01/05/2024'), ep('B', '01/05/2024', '02/05/2024'), ep('C', '01/05/2024')],
    })).toFail([2]).toPass([3, 4]); // line 2 same day; line 3 a day; line 4 open
  });

  it('357: a first episode starting in the year with RNE other than S fails', async () => {
    await expectRule('357', ssda903({
      episodes: [
        ep('A', '01/05/2024', '', { RNE: 'P' }), // line 2: A's first episode, in the year, not S
        ep('B', '01/01/2024', '01/05/2024', { RNE: 'P', REC: 'X1' }), // line 3: started before the year (continues last year's)
        ep('B', '01/05/2024', '', { RNE: 'P' }), // line 4: not B's first
        ep('C', '01/05/2024'), //                  line 5: S
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('358: a youth justice legal status under 10 fails', async () => {
    await expectRule('358', ssda903({
      header: [{ CHILD: 'A', DOB: '01/06/2014' }, { CHILD: 'B', DOB: '01/05/2014' }],
      episodes: [ep('A', '01/05/2024', '', { LS: 'J1' }), ep('B', '01/05/2024', '', { LS: 'J1' })],
    })).toFail([2]).toPass([3]); // line 2: A is 9; line 3: B is 10 that day
  });

  it('359: looked after past 18 other than as V2 in a children\'s home fails', async () => {
    await expectRule('359', ssda903({
      header: [{ CHILD: 'A', DOB: '01/01/2007' }, { CHILD: 'B', DOB: '01/01/2007' }, { CHILD: 'C', DOB: '01/06/2007' }],
      episodes: [
        ep('A', '01/04/2024', '', { LS: 'C2', PLACE: 'U1' }), // line 2: 18 in January 2025, still in foster care
        ep('B', '01/04/2024', '', { LS: 'V2', PLACE: 'K2' }), // line 3: s20 in a children's home
        ep('C', '01/04/2024', '', { LS: 'C2', PLACE: 'U1' }), // line 4: 17 at 31 March
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('361: police protection (L1) longer than 72 hours fails, across consecutive episodes', async () => {
    await expectRule('361', ssda903({
      episodes: [
        ep('A', '01/05/2024', '03/05/2024', { LS: 'L1', REC: 'X1' }), // line 2 …
        ep('A', '03/05/2024', '05/05/2024', { LS: 'L1', RNE: 'P' }), // line 3: … 4 days under L1 in all
        ep('B', '01/05/2024', '04/05/2024', { LS: 'L1' }), //           line 4: 3 days
      ],
    })).toFail([2, 3]).toPass([4]);
  });

  it('362: an EPO (L2) longer than 21 days fails', async () => {
    await expectRule('362', ssda903({
      episodes: [ep('A', '01/05/2024', '23/05/2024', { LS: 'L2' }), ep('B', '01/05/2024', '22/05/2024', { LS: 'L2' })],
    })).toFail([2]).toPass([3]); // 22 days; 21 days
  });

  it('363: a CAO (L3) longer than 7 days fails', async () => {
    await expectRule('363', ssda903({
      episodes: [ep('A', '01/05/2024', '09/05/2024', { LS: 'L3' }), ep('B', '01/05/2024', '08/05/2024', { LS: 'L3' })],
    })).toFail([2]).toPass([3]); // 8 days; 7 days
  });

  it('364: PACE accommodation (J2) longer than 21 days fails; an open one runs to 31 March', async () => {
    await expectRule('364', ssda903({
      episodes: [ep('A', '01/03/2025', '', { LS: 'J2' }), ep('B', '20/03/2025', '', { LS: 'J2' })],
    })).toFail([2]).toPass([3]); // 30 days to 31 March; 11 days
  });

  it('365: a single short break (V3) longer than 17 days fails', async () => {
    await expectRule('365', ssda903({
      episodes: [ep('A', '01/05/2024', '19/05/2024', { LS: 'V3' }), ep('B', '01/05/2024', '18/05/2024', { LS: 'V3' })],
    })).toFail([2]).toPass([3]); // 18 days; 17 days
  });

  it('366: a change of placement during a short break fails', async () => {
    await expectRule('366', ssda903({
      episodes: [ep('A', '01/05/2024', '', { LS: 'V3', RNE: 'P' }), ep('B', '01/05/2024', '', { LS: 'V3', RNE: 'S' })],
    })).toFail([2]).toPass([3]);
  });

  it('367: more than 75 days of short breaks in the year fails', async () => {
    await expectRule('367', ssda903({
      episodes: [
        ep('A', '01/05/2024', '11/06/2024', { LS: 'V3' }), // line 2: 41 days
        ep('A', '01/08/2024', '05/09/2024', { LS: 'V3' }), // line 3: 35 more: 76 in all, A's latest short break
        ep('B', '01/05/2024', '11/06/2024', { LS: 'V3' }), // line 4: 41 days
        ep('B', '01/08/2024', '04/09/2024', { LS: 'V3' }), // line 5: 34 more: 75
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('371 372 373 374: too young for supported accommodation, custody, a school, residential employment', async () => {
    const header = [{ CHILD: 'A', DOB: '02/05/2008' }, { CHILD: 'B', DOB: '01/05/2008' }];
    const at = (PLACE: string) => ssda903({ header, episodes: [ep('A', '01/05/2024', '', { PLACE }), ep('B', '01/05/2024', '', { PLACE })] });
    // line 2: A turns 16 the day after the episode starts; line 3: B is 16 that day
    await expectRule('371', at('H5')).toFail([2]).toPass([3]);
    const young = (PLACE: string, dobA: string, dobB: string) => ssda903({
      header: [{ CHILD: 'A', DOB: dobA }, { CHILD: 'B', DOB: dobB }],
      episodes: [ep('A', '01/05/2024', '', { PLACE }), ep('B', '01/05/2024', '', { PLACE })],
    });
    await expectRule('372', young('R5', '02/05/2014', '01/05/2014')).toFail([2]).toPass([3]); // under 10; 10
    await expectRule('373', young('S1', '02/05/2020', '01/05/2020')).toFail([2]).toPass([3]); // under 4; 4
    await expectRule('374', young('P3', '02/05/2010', '01/05/2010')).toFail([2]).toPass([3]); // under 14; 14
  });

  it('375 376 379: temporary placements longer than allowed fail', async () => {
    const two = (PLACE: string, decA: string, decB: string) => ssda903({
      episodes: [ep('A', '01/05/2024', decA, { PLACE }), ep('B', '01/05/2024', decB, { PLACE })],
    });
    await expectRule('375', two('T1', '13/06/2024', '12/06/2024')).toFail([2]).toPass([3]); // 43 days in hospital; 42
    await expectRule('376', two('T3', '23/05/2024', '22/05/2024')).toFail([2]).toPass([3]); // 22 days; 21
    await expectRule('379', two('T4', '09/05/2024', '08/05/2024')).toFail([2]).toPass([3]); // 8 days; 7
  });

  it('377: a third T3 placement within 12 months fails', async () => {
    await expectRule('377', ssda903({
      episodes: [
        ep('A', '01/05/2024', '05/05/2024', { PLACE: 'T3' }), // line 2
        ep('A', '01/08/2024', '05/08/2024', { PLACE: 'T3' }), // line 3: second
        ep('A', '01/12/2024', '05/12/2024', { PLACE: 'T3' }), // line 4: third within 12 months
        ep('B', '01/04/2024', '05/04/2024', { PLACE: 'T3' }), // line 5
        ep('B', '01/08/2024', '05/08/2024', { PLACE: 'T3' }), // line 6
        ep('C', '01/04/2024', '05/04/2024', { PLACE: 'T1' }), // line 7: not T3
      ],
    })).toFail([4]).toPass([2, 3, 5, 6, 7]);
  });

  it('380 381 382: a period of care starting or ending in a temporary placement, or respite in one, fails', async () => {
    await expectRule('380', ssda903({ episodes: [ep('A', '01/05/2024', '', { PLACE: 'T0' }), ep('B', '01/05/2024', '', { PLACE: 'T0', RNE: 'P' })] }))
      .toFail([2]).toPass([3]); // line 2: starts (RNE S) with T0; line 3: a move into it
    await expectRule('381', ssda903({ episodes: [ep('A', '01/05/2024', '03/05/2024', { PLACE: 'T4', REC: 'E8' }), ep('B', '01/05/2024', '03/05/2024', { PLACE: 'T4', REC: 'X1' })] }))
      .toFail([2]).toPass([3]); // line 2: care ends in T4; line 3: a new episode follows
    await expectRule('382', ssda903({ episodes: [ep('A', '01/05/2024', '', { PLACE: 'T4', LS: 'V3' }), ep('B', '01/05/2024', '', { PLACE: 'T4', LS: 'C2' })] }))
      .toFail([2]).toPass([3]);
  });

  it('383: not returning to the normal placement after a temporary one fails', async () => {
    await expectRule('383', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'X1', PLACE: 'U1', PL_POST: 'AA1 1AA' }), // line 2
        ep('A', '01/06/2024', '10/06/2024', { REC: 'X1', PLACE: 'T3', RNE: 'P' }), //         line 3
        ep('A', '10/06/2024', '', { PLACE: 'U1', RNE: 'P', PL_POST: 'BB2 2BB' }), //          line 4: another foster home
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1', PLACE: 'U1', PL_POST: 'AA1 1AA' }), // line 5
        ep('B', '01/06/2024', '10/06/2024', { REC: 'X1', PLACE: 'T3', RNE: 'P' }), //         line 6
        ep('B', '10/06/2024', '', { PLACE: 'U1', RNE: 'P', PL_POST: 'aa11aa' }), //           line 7: back home (same postcode)
      ],
    })).toFail([4]).toPass([2, 3, 5, 6, 7]);
  });

  it('386 387 389: reasons for ceasing at the wrong age fail', async () => {
    const two = (REC: string, dobA: string, dobB: string) => ssda903({
      header: [{ CHILD: 'A', DOB: dobA }, { CHILD: 'B', DOB: dobB }],
      episodes: [ep('A', '01/04/2024', '01/05/2024', { REC, PLACE: 'A5' }), ep('B', '01/04/2024', '01/05/2024', { REC, PLACE: 'A5' })],
    });
    await expectRule('386', two('E11', '01/05/2006', '02/05/2006')).toFail([2]).toPass([3]); // adopted on the 18th birthday; the day before it
    await expectRule('387', two('E5', '02/05/2010', '01/05/2010')).toFail([2]).toPass([3]); // independent living under 14; at 14
    await expectRule('389', two('E7', '02/05/2008', '01/05/2008')).toFail([2]).toPass([3]); // adult social care under 16; at 16
  });

  it('388: REC X1 with no episode starting on its DEC fails', async () => {
    await expectRule('388', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', { REC: 'X1' }), // line 2: nothing starts on 1 June
        ep('A', '02/06/2024', '', { RNE: 'P' }), //           line 3
        ep('B', '01/04/2024', '01/06/2024', { REC: 'X1' }), // line 4: continued
        ep('B', '01/06/2024', '', { RNE: 'P' }), //           line 5
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('390: adopted from a placement that is not a placement for adoption fails', async () => {
    await expectRule('390', ssda903({
      episodes: [ep('A', '01/04/2024', '01/06/2024', { REC: 'E11', PLACE: 'U1' }), ep('B', '01/04/2024', '01/06/2024', { REC: 'E12', PLACE: 'A6' })],
    })).toFail([2]).toPass([3]);
  });

  it('392b: a looked-after episode with no postcodes fails (a UASC child may have no home postcode)', async () => {
    await expectRule('392b', ssda903({
      uasc: [{ CHILD: 'C', DUC: '' }],
      episodes: [
        ep('A', '01/04/2024', '', { HOME_POST: '' }), //             line 2: no home postcode
        ep('B', '01/04/2024'), //                                      line 3: both
        ep('C', '01/04/2024', '', { HOME_POST: '' }), //             line 4: UASC
        ep('D', '01/04/2024', '', { LS: 'V3', HOME_POST: '', PL_POST: '' }), // line 5: short break
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('392d: the same home and placement postcode other than placed with parents (P1) fails', async () => {
    await expectRule('392d', ssda903({
      episodes: [
        ep('A', '01/04/2024', '', { HOME_POST: 'AB1 2CD', PL_POST: 'ab12cd' }), //               line 2: the same, in foster care
        ep('B', '01/04/2024', '', { HOME_POST: 'AB1 2CD', PL_POST: 'AB1 2CD', PLACE: 'P1' }), // line 3: placed with parents
        ep('C', '01/04/2024'), //                                                                  line 4: different
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('398: postcodes for a short break fail', async () => {
    await expectRule('398', ssda903({
      episodes: [ep('A', '01/04/2024', '', { LS: 'V4', PL_POST: '', URN: '' }), ep('B', '01/04/2024', '', { LS: 'V4', HOME_POST: '', PL_POST: '', URN: '' })],
    })).toFail([2]).toPass([3]); // line 2: a home postcode; line 3: none
  });
});
