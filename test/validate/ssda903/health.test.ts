// Worked tests for src/validate/ssda903/health.ts (row i is line i + 2; the collection year is 2024-25:
// 1 April 2024 to 31 March 2025).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const ep = (CHILD: string, DECOM: string, DEC = '', LS = 'C2') => ({ CHILD, DECOM, DEC, LS, RNE: 'S', PLACE: 'U1', REC: DEC ? 'E8' : '' });
const ALL = { IMMUNISATIONS: '1', TEETH_CHECK: '1', HEALTH_ASSESSMENT: '1', SUBSTANCE_MISUSE: '0' };

describe('SSDA903 OC2', () => {
  it('157: SDQ1 (too young or too old) for a child aged 4 to 16 fails', async () => {
    await expectRule('157', ssda903({
      oc2: [
        { CHILD: 'A', DOB: '01/01/2015', SDQ_REASON: 'SDQ1' }, // line 2: 9 at the start, 10 at the end
        { CHILD: 'B', DOB: '01/06/2020', SDQ_REASON: 'SDQ1' }, // line 3: 3 at 1 April 2024
        { CHILD: 'C', DOB: '01/01/2008', SDQ_REASON: 'SDQ1' }, // line 4: 17 by 31 March 2025
        { CHILD: 'D', DOB: '01/01/2015', SDQ_REASON: 'SDQ2' }, // line 5: another reason
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('182: some OC2 items completed but immunisations, teeth, health assessment or substance misuse blank fails', async () => {
    await expectRule('182', ssda903({
      oc2: [
        { CHILD: 'A', CONVICTED: '0', IMMUNISATIONS: '1', TEETH_CHECK: '1', HEALTH_ASSESSMENT: '1' }, // line 2: substance misuse blank
        { CHILD: 'B', CONVICTED: '0', ...ALL }, // line 3: all four completed
        { CHILD: 'C', SDQ_SCORE: '12' }, //        line 4: every 12-month item blank
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('185: an SDQ score for a child not looked after for 12 months fails', async () => {
    await expectRule('185', ssda903({
      episodes: [ep('A', '01/06/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024', '01/12/2024')],
      oc2: [
        { CHILD: 'A', SDQ_SCORE: '10' }, // line 2: looked after only since June 2024
        { CHILD: 'B', SDQ_SCORE: '10' }, // line 3: looked after since January 2024, still at 31 March
        { CHILD: 'C', SDQ_SCORE: '' }, //   line 4: left care in December, but no score
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('186: no SDQ score for a child of 4 to 16 looked after for 12 months fails', async () => {
    await expectRule('186', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024'), ep('D', '01/06/2024')],
      oc2: [
        { CHILD: 'A', DOB: '01/01/2015', SDQ_SCORE: '' }, //   line 2: 9, in the cohort, no score
        { CHILD: 'B', DOB: '01/01/2015', SDQ_SCORE: '14' }, // line 3: a score
        { CHILD: 'C', DOB: '01/01/2022', SDQ_SCORE: '' }, //   line 4: 2 at the start of the year
        { CHILD: 'D', DOB: '01/01/2015', SDQ_SCORE: '' }, //   line 5: not looked after for 12 months
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('190: 12-month items for a child not looked after for 12 months fail', async () => {
    await expectRule('190', ssda903({
      episodes: [ep('A', '01/06/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024', '01/06/2024'), ep('C', '01/07/2024')],
      oc2: [
        { CHILD: 'A', ...ALL }, // line 2: looked after only since June 2024
        { CHILD: 'B', ...ALL }, // line 3: in the cohort
        { CHILD: 'C', ...ALL }, // line 4: a month's gap in June 2024, so not continuous
        { CHILD: 'D', SDQ_SCORE: '5' }, // line 5: no 12-month item
      ],
    })).toFail([2, 4]).toPass([3, 5]);
  });

  it('191: 12-month items left blank for a child looked after for 12 months fail', async () => {
    await expectRule('191', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024'), ep('D', '01/06/2024')],
      oc2: [
        { CHILD: 'A', IMMUNISATIONS: '1' }, // oc2 line 2: the other three blank
        { CHILD: 'B', ...ALL }, //             oc2 line 3: complete
        { CHILD: 'D' }, //                     oc2 line 4: D is not in the cohort
      ],
    })).toFail(['oc2:2', 'episodes:4']).toPass(['oc2:3', 'oc2:4', 'episodes:2', 'episodes:5']); // episodes line 4: C has no OC2 row
  });

  it('197B: neither an SDQ score nor a reason for a child turning 4 or 17 fails', async () => {
    await expectRule('197B', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024')],
      oc2: [
        { CHILD: 'A', DOB: '01/06/2020' }, //                      line 2: 4 on 1 June 2024, nothing given
        { CHILD: 'B', DOB: '01/06/2007', SDQ_REASON: 'SDQ1' }, // line 3: 17 in the year, a reason given
        { CHILD: 'C', DOB: '01/06/2015' }, //                      line 4: 9: not a 4- or 17-year-old
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('198: a reason for no SDQ for a child not looked after for 12 months fails', async () => {
    await expectRule('198', ssda903({
      episodes: [ep('A', '01/06/2024'), ep('B', '01/01/2024')],
      oc2: [
        { CHILD: 'A', SDQ_REASON: 'SDQ2' }, // line 2: looked after only since June 2024
        { CHILD: 'B', SDQ_REASON: 'SDQ2' }, // line 3: in the cohort
      ],
    })).toFail([2]).toPass([3]);
  });
});
