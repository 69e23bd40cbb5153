// Worked tests for src/validate/ssda903/placementLocation.ts (row i is line i + 2). The postcode lookup: home
// postcodes H1 and H2; placement postcodes P1 (3 km east of H1 in E08000001) and P2 (5 km north of H1 in E08000002).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const postcodes = [
  { pcd: 'H1 1AA', laua: 'E08000001', oseast1m: '400000', osnrth1m: '300000' },
  { pcd: 'H2 2AA', laua: 'E08000001', oseast1m: '400000', osnrth1m: '301000' },
  { pcd: 'P1 1AA', laua: 'E08000001', oseast1m: '403000', osnrth1m: '300000' }, // 3000 m from H1: 1.9 miles
  { pcd: 'P2 2AA', laua: 'E08000002', oseast1m: '400000', osnrth1m: '305000' }, // 5000 m from H1: 3.1 miles
];
const ep = (CHILD: string, DECOM: string, HOME_POST: string, PL_POST: string, f: Record<string, string> = {}) =>
  ({ CHILD, DECOM, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', HOME_POST, PL_POST, ...f });

describe('SSDA903 placement location (derived from the postcode lookup)', () => {
  it('406: a distance for a UASC child fails', async () => {
    await expectRule('406', ssda903({
      postcodes,
      uasc: [{ CHILD: 'A', DUC: '' }, { CHILD: 'B', DUC: '' }],
      episodes: [
        ep('A', '01/04/2024', 'H1 1AA', 'P1 1AA'), // line 2: UASC, both postcodes known: a distance
        ep('B', '01/04/2024', '', 'P1 1AA'), //        line 3: UASC, no home postcode: no distance
        ep('C', '01/04/2024', 'H1 1AA', 'P1 1AA'), // line 4: not UASC
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('420: a placement LA under legal status V3 or V4 fails', async () => {
    await expectRule('420', ssda903({
      postcodes,
      episodes: [
        ep('A', '01/04/2024', '', 'P1 1AA', { LS: 'V3' }), // line 2: PL_POST known: PL_LA E08000001
        ep('B', '01/04/2024', '', '', { LS: 'V4' }), //       line 3: no placement postcode
        ep('C', '01/04/2024', '', 'P1 1AA'), //               line 4: C2
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it("452: the placement LA of the episode going on from last year must be last year's", async () => {
    await expectRule('452', ssda903({
      postcodes,
      episodes_last: [ep('A', '01/03/2024', 'H1 1AA', 'P1 1AA'), ep('B', '01/03/2024', 'H1 1AA', 'P1 1AA')],
      episodes: [
        ep('A', '01/03/2024', 'H1 1AA', 'P2 2AA'), // line 2: the same episode, now placed in E08000002
        ep('B', '01/03/2024', 'H2 2AA', 'P1 1AA'), // line 3: the same placement LA (the home postcode changed)
        ep('B', '01/06/2024', 'H1 1AA', 'P2 2AA', { RNE: 'P' }), // line 4: a new placement
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it("453: the distance of the episode going on from last year must be last year's", async () => {
    await expectRule('453', ssda903({
      postcodes,
      episodes_last: [ep('A', '01/03/2024', 'H1 1AA', 'P1 1AA'), ep('B', '01/03/2024', 'H1 1AA', 'P1 1AA')],
      episodes: [
        ep('A', '01/03/2024', 'H2 2AA', 'P1 1AA'), // line 2: a different home postcode: another distance
        ep('B', '01/03/2024', 'H1 1AA', 'P1 1AA'), // line 3: the same
      ],
    })).toFail([2]).toPass([3]);
  });

  // For 164, 169 and 392a: F1 lies 1,700 km east of H1 (a lookup with a wrong grid reference: 1,056.3 miles), N1 is
  // in the lookup without a local authority, Z9 is not in the lookup.
  const more = [...postcodes,
    { pcd: 'F1 1AA', laua: 'E08000003', oseast1m: '2100000', osnrth1m: '300000' },
    { pcd: 'N1 1AA', laua: '', oseast1m: '401000', osnrth1m: '300000' }];

  it('164: a derived distance over 999.9 miles fails, unless V3/V4 or UASC', async () => {
    await expectRule('164', ssda903({
      postcodes: more,
      uasc: [{ CHILD: 'D', DUC: '' }],
      episodes: [
        ep('A', '01/04/2024', 'H1 1AA', 'F1 1AA'), //             line 2: 1,056.3 miles
        ep('B', '01/04/2024', 'H1 1AA', 'P1 1AA'), //             line 3: 1.9 miles
        ep('C', '01/04/2024', 'H1 1AA', 'F1 1AA', { LS: 'V3' }), // line 4: short breaks
        ep('D', '01/04/2024', 'H1 1AA', 'F1 1AA'), //             line 5: UASC
        ep('E', '01/04/2024', '', 'F1 1AA'), //                   line 6: no home postcode, so no distance (392a's case)
      ],
    })).toFail([2]).toPass([3, 4, 5, 6]);
  });

  it('169: no placement LA (placement postcode blank, unknown, or without an LA in the lookup) fails, unless V3/V4', async () => {
    await expectRule('169', ssda903({
      postcodes: more,
      episodes: [
        ep('A', '01/04/2024', 'H1 1AA', 'Z9 9ZZ'), //             line 2: not in the lookup
        ep('B', '01/04/2024', 'H1 1AA', ''), //                   line 3: blank
        ep('C', '01/04/2024', 'H1 1AA', 'P1 1AA'), //             line 4: E08000001
        ep('D', '01/04/2024', 'H1 1AA', '', { LS: 'V4' }), //     line 5: short breaks
        ep('E', '01/04/2024', 'H1 1AA', 'N1 1AA'), //             line 6: in the lookup, no LA
      ],
    })).toFail([2, 3, 6]).toPass([4, 5]);
  });

  it('392a: no distance (either postcode blank or unknown) fails, unless V3/V4 or UASC', async () => {
    await expectRule('392a', ssda903({
      postcodes: more,
      uasc: [{ CHILD: 'E', DUC: '01/01/2024' }],
      episodes: [
        ep('A', '01/04/2024', '', 'P1 1AA'), //                   line 2: no home postcode
        ep('B', '01/04/2024', 'H1 1AA', 'P1 1AA'), //             line 3: 1.9 miles
        ep('C', '01/04/2024', 'H1 1AA', 'Z9 9ZZ'), //             line 4: placement postcode not in the lookup
        ep('D', '01/04/2024', 'H1 1AA', '', { LS: 'V3' }), //     line 5: short breaks
        ep('E', '01/04/2024', '', 'P1 1AA'), //                   line 6: formerly UASC
      ],
    })).toFail([2, 4]).toPass([3, 5, 6]);
  });

  it('179: no placement location (no placement LA to compare with the own LA) fails, unless V3/V4', async () => {
    await expectRule('179', ssda903({
      postcodes: more,
      own_la: [{ code: 'E08000001' }],
      episodes: [
        ep('A', '01/04/2024', 'H1 1AA', 'P1 1AA'), //             line 2: E08000001, the own LA: IN
        ep('B', '01/04/2024', 'H1 1AA', 'P2 2AA'), //             line 3: E08000002: OUT
        ep('C', '01/04/2024', 'H1 1AA', 'Z9 9ZZ'), //             line 4: not in the lookup: none
        ep('D', '01/04/2024', 'H1 1AA', '', { LS: 'V3' }), //     line 5: short breaks
      ],
    })).toFail([4]).toPass([2, 3, 5]);
  });

  it('1015: own provision (PR1) placed outside the own LA fails, except foster or adoption placements and V3/V4', async () => {
    const pr1 = (f: Record<string, string> = {}) => ({ PLACE: 'K2', PLACE_PROVIDER: 'PR1', ...f });
    await expectRule('1015', ssda903({
      postcodes: more,
      own_la: [{ code: 'E08000001' }],
      episodes: [
        ep('A', '01/04/2024', 'H1 1AA', 'P1 1AA', pr1()), //                 line 2: K2 in the own LA
        ep('B', '01/04/2024', 'H1 1AA', 'P2 2AA', pr1()), //                 line 3: K2 in E08000002
        ep('C', '01/04/2024', 'H1 1AA', 'P2 2AA', pr1({ PLACE: 'U2' })), //  line 4: foster placement
        ep('D', '01/04/2024', 'H1 1AA', 'P2 2AA', pr1({ LS: 'V3' })), //     line 5: short breaks
        ep('E', '01/04/2024', 'H1 1AA', 'P2 2AA', pr1({ PLACE_PROVIDER: 'PR4' })), // line 6: a private provider
        ep('F', '01/04/2024', 'H1 1AA', 'Z9 9ZZ', pr1()), //                 line 7: K2, no placement LA
      ],
    })).toFail([3, 7]).toPass([2, 4, 5, 6]);
  });

  it("503G, 503H: this year's first episode must have the distance and placement LA of last year's open episode", async () => {
    const fixture = ssda903({
      postcodes,
      episodes_last: [ep('A', '01/03/2024', 'H1 1AA', 'P1 1AA'), ep('B', '01/03/2024', 'H1 1AA', 'P1 1AA'),
        ep('C', '01/01/2024', 'H1 1AA', 'P1 1AA', { DEC: '01/02/2024', REC: 'E13' })],
      episodes: [
        ep('A', '01/03/2024', 'H1 1AA', 'P2 2AA'), // line 2: another placement LA and distance than last year's open episode
        ep('B', '01/03/2024', 'H1 1AA', 'P1 1AA'), // line 3: the same
        ep('C', '01/06/2024', 'H1 1AA', 'P2 2AA'), // line 4: C's episode last year was closed
      ],
    });
    await expectRule('503G', fixture).toFail([2]).toPass([3, 4]);
    await expectRule('503H', fixture).toFail([2]).toPass([3, 4]);
  });

  it("503J: this year's first episode must be placed inside or outside the LA as last year's open episode was", async () => {
    await expectRule('503J', ssda903({
      postcodes: more,
      own_la: [{ code: 'E08000001' }],
      episodes_last: [ep('A', '01/03/2024', 'H1 1AA', 'P1 1AA'), ep('B', '01/03/2024', 'H1 1AA', 'P2 2AA'),
        ep('C', '01/03/2024', 'H1 1AA', 'P2 2AA')],
      episodes: [
        ep('A', '01/03/2024', 'H1 1AA', 'P2 2AA'), // line 2: IN last year, OUT now
        ep('B', '01/03/2024', 'H1 1AA', 'F1 1AA'), // line 3: OUT (E08000002) then OUT (E08000003): the same location
        ep('C', '01/03/2024', 'H1 1AA', 'P1 1AA'), // line 4: OUT last year, IN now
      ],
    })).toFail([2, 4]).toPass([3]);
  });
});
