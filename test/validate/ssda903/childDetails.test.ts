// Worked tests for src/validate/ssda903/childDetails.ts (row i is line i + 2; the collection year is 2024-25:
// 1 April 2024 to 31 March 2025).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

type Ep = Partial<Record<'DEC' | 'RNE' | 'LS' | 'REC', string>>;
const ep = (CHILD: string, DECOM: string, f: Ep = {}) => ({ CHILD, DECOM, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', ...f });
const health = { IMMUNISATIONS: '1', TEETH_CHECK: '1', HEALTH_ASSESSMENT: '1', SUBSTANCE_MISUSE: '0' };

describe('SSDA903 child details', () => {
  it('543: aged 10 or over, looked after for 12 months, without conviction information fails', async () => {
    await expectRule('543', ssda903({
      episodes: [
        ep('A', '01/01/2024'), // A: looked after since before 1 April 2024, still
        ep('B', '01/01/2024'),
        ep('C', '01/01/2024'),
        ep('D', '01/01/2024', { DEC: '01/06/2024', REC: 'X1' }), ep('D', '01/06/2024', { RNE: 'P' }), // D: continuous through X1
        ep('E', '01/05/2024'), // E: only since May
      ],
      oc2: [
        { CHILD: 'A', DOB: '31/03/2015', CONVICTED: '' }, // line 2: 10 on 31 March 2025, not completed
        { CHILD: 'B', DOB: '01/04/2015', CONVICTED: '' }, // line 3: 10 the day after
        { CHILD: 'C', DOB: '01/01/2010', CONVICTED: '0' }, // line 4: completed
        { CHILD: 'D', DOB: '01/01/2010', CONVICTED: '' }, //  line 5: 15, looked after continuously, not completed
        { CHILD: 'E', DOB: '01/01/2010', CONVICTED: '' }, //  line 6: not looked after for 12 months
      ],
    })).toFail([2, 5]).toPass([3, 4, 6]);
  });

  it('544: conviction information without the four health fields fails', async () => {
    await expectRule('544', ssda903({
      oc2: [
        { CHILD: 'A', CONVICTED: '0', ...health, TEETH_CHECK: '' }, // line 2: no teeth check
        { CHILD: 'B', CONVICTED: '1', ...health }, //                 line 3: complete
        { CHILD: 'C', CONVICTED: '' }, //                             line 4: no conviction information
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('545: under 5, looked after for 12 months, without health promotion information fails', async () => {
    await expectRule('545', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024'), ep('D', '01/05/2024')],
      oc2: [
        { CHILD: 'A', DOB: '01/04/2020', HEALTH_CHECK: '' }, // line 2: 4 on 31 March 2025
        { CHILD: 'B', DOB: '31/03/2020', HEALTH_CHECK: '' }, // line 3: 5 on 31 March 2025
        { CHILD: 'C', DOB: '01/04/2020', HEALTH_CHECK: '1' }, // line 4: completed
        { CHILD: 'D', DOB: '01/04/2020', HEALTH_CHECK: '' }, // line 5: looked after only since May
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('547: health promotion information without the four health fields fails', async () => {
    await expectRule('547', ssda903({
      oc2: [
        { CHILD: 'A', HEALTH_CHECK: '1', ...health, SUBSTANCE_MISUSE: '' }, // line 2: substance misuse blank
        { CHILD: 'B', HEALTH_CHECK: '0', ...health }, //                      line 3: complete
        { CHILD: 'C', HEALTH_CHECK: '' }, //                                  line 4: none given
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('607: a girl who ceased to be looked after in the year without MOTHER fails', async () => {
    await expectRule('607', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/06/2024', REC: 'E13' }),
        ep('B', '01/04/2024', { DEC: '01/06/2024', REC: 'E13' }),
        ep('C', '01/04/2024', { DEC: '01/06/2024', REC: 'E13', LS: 'V3' }),
        ep('D', '01/04/2024', { DEC: '01/06/2024', REC: 'E13' }),
      ],
      header: [
        { CHILD: 'A', SEX: '2', MOTHER: '' }, //  line 2: left care, MOTHER blank
        { CHILD: 'B', SEX: '2', MOTHER: '0' }, // line 3: completed
        { CHILD: 'C', SEX: '2', MOTHER: '' }, //  line 4: short breaks (V3)
        { CHILD: 'D', SEX: '1', MOTHER: '' }, //  line 5: a boy
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('620: a mother under 11 fails', async () => {
    await expectRule('620', ssda903({
      header: [
        { CHILD: 'A', MOTHER: '1', DOB: '02/04/2013' }, // line 2: 10 on 1 April 2024
        { CHILD: 'B', MOTHER: '1', DOB: '01/04/2013' }, // line 3: 11 on 1 April 2024
        { CHILD: 'C', MOTHER: '0', DOB: '01/01/2020' }, // line 4: not a mother
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it("625: a first child born after 31 March or after the mother left care fails", async () => {
    await expectRule('625', ssda903({
      episodes: [ep('B', '01/04/2024', { DEC: '01/06/2024', REC: 'E13' }), ep('C', '01/04/2024', { DEC: '01/06/2024', REC: 'E13' })],
      header: [
        { CHILD: 'A', MOTHER: '1', MC_DOB: '01/04/2025' }, // line 2: after the year
        { CHILD: 'B', MOTHER: '1', MC_DOB: '02/06/2024' }, // line 3: after B left care
        { CHILD: 'C', MOTHER: '1', MC_DOB: '01/06/2024' }, // line 4: the day C left
        { CHILD: 'D', MOTHER: '1', MC_DOB: '31/03/2025' }, // line 5: the last day of the year
      ],
    })).toFail([2, 3]).toPass([4, 5]);
  });

  it('628: MOTHER completed for a care leaver not looked after this year fails', async () => {
    await expectRule('628', ssda903({
      episodes: [ep('C', '01/04/2024')],
      oc3: [{ CHILD: 'A', IN_TOUCH: 'YES' }, { CHILD: 'B', IN_TOUCH: 'YES' }, { CHILD: 'C', IN_TOUCH: 'YES' }],
      header: [
        { CHILD: 'A', MOTHER: '0' }, // line 2: care leaver, MOTHER given
        { CHILD: 'B', MOTHER: '' }, //  line 3: left blank
        { CHILD: 'C', MOTHER: '0' }, // line 4: looked after this year
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('630: starting to be looked after this year without previous permanence information fails', async () => {
    await expectRule('630', ssda903({
      episodes: [
        ep('A', '01/05/2024'), // line 2: no previous permanence row
        ep('B', '01/05/2024'), // line 3: P1 without LA_PERM
        ep('C', '01/05/2024'), // line 4: Z1 (none)
        ep('D', '01/05/2024'), // line 5: complete
        ep('E', '01/03/2024'), // line 6: started last year
      ],
      previous_permanence: [
        { CHILD: 'B', PREV_PERM: 'P1', DATE_PERM: '01/01/2020' }, { CHILD: 'C', PREV_PERM: 'Z1' },
        { CHILD: 'D', PREV_PERM: 'P1', LA_PERM: '352', DATE_PERM: '01/01/2020' },
      ],
    })).toFail([2, 3]).toPass([4, 5, 6]);
  });

  it('632: DATE_PERM not a date (ZZ allowed for day or month) or not before care began fails', async () => {
    await expectRule('632', ssda903({
      episodes: [ep('A', '01/05/2024'), ep('B', '01/05/2024'), ep('C', '01/05/2024'), ep('D', '01/05/2024'), ep('E', '01/05/2024')],
      previous_permanence: [
        { CHILD: 'A', PREV_PERM: 'P1', DATE_PERM: '31/02/2020' }, // line 2: no 31 February
        { CHILD: 'B', PREV_PERM: 'P1', DATE_PERM: 'ZZ/04/2024' }, // line 3: April 2024, day unknown: before 1 May
        { CHILD: 'C', PREV_PERM: 'P1', DATE_PERM: '01/05/2024' }, // line 4: the day care began
        { CHILD: 'D', PREV_PERM: 'P1', DATE_PERM: 'ZZ/ZZ/2019' }, // line 5: 2019, day and month unknown
        { CHILD: 'E', PREV_PERM: 'P1', DATE_PERM: '2019-01-01' }, // line 6: not dd/mm/yyyy
      ],
    })).toFail([2, 4, 6]).toPass([3, 5]);
  });

  it('633: an LA_PERM that is not a local authority code (or WAL, SCO, NIR, NUK) fails', async () => {
    await expectRule('633', ssda903({
      previous_permanence: [
        { CHILD: 'A', PREV_PERM: 'P1', LA_PERM: '458' }, // line 2: no authority has 458
        { CHILD: 'B', PREV_PERM: 'P1', LA_PERM: '352' }, // line 3: Manchester
        { CHILD: 'C', PREV_PERM: 'P1', LA_PERM: 'SCO' }, // line 4: Scotland
        { CHILD: 'D', PREV_PERM: 'P1', LA_PERM: '837' }, // line 5: Bournemouth, before 2019
        { CHILD: 'E', PREV_PERM: 'Z1', LA_PERM: '' }, //    line 6: blank
      ],
    })).toFail([2]).toPass([3, 4, 5, 6]);
  });

  it('634: previous permanence for a child whose care all began before 1 April 2016 fails', async () => {
    await expectRule('634', ssda903({
      episodes: [ep('A', '01/01/2016'), ep('B', '01/01/2016'), ep('B', '01/04/2016', { RNE: 'P' })],
      previous_permanence: [
        { CHILD: 'A', PREV_PERM: 'Z1' }, // line 2: A's only episode began before 1 April 2016
        { CHILD: 'B', PREV_PERM: 'Z1' }, // line 3: B has an episode from 1 April 2016
      ],
    })).toFail([2]).toPass([3]);
  });

  it('EPI: a header row for a child with no episodes (and no care leaver row) is flagged', async () => {
    await expectRule('EPI', ssda903({
      episodes: [ep('B', '01/04/2024')],
      oc3: [{ CHILD: 'C', IN_TOUCH: 'YES' }],
      header: [{ CHILD: 'A' }, { CHILD: 'B' }, { CHILD: 'C' }], // line 2: nothing for A; line 3: B's episode; line 4: C a care leaver
    })).toFail([2]).toPass([3, 4]);
  });
});
