// Worked tests for src/validate/ssda903/careLeavers.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const ep = (CHILD: string, DECOM: string, DEC = '', REC = '', LS = 'C2') => ({ CHILD, DECOM, DEC, REC, LS, RNE: 'S', PLACE: 'U1' });
const oc3 = (CHILD: string, DOB = '01/06/2006', IN_TOUCH = 'YES', ACTIV = 'F1', ACCOM = 'D1') => ({ CHILD, DOB, IN_TOUCH, ACTIV, ACCOM });

describe('SSDA903 care leavers', () => {
  it('1000: care leaver information for a child who died in care fails', async () => {
    await expectRule('1000', ssda903({
      episodes: [ep('A', '01/04/2024', '01/06/2024', 'E2'), ep('B', '01/04/2024', '01/06/2024', 'E8'), ep('C', '01/04/2024', '01/06/2024', 'E2')],
      oc3: [
        oc3('A'), // line 2: A died in care (REC E2) and has care leaver information
        oc3('B'), // line 3: B's care ended for another reason
        oc3('C', '01/06/2006', '', '', ''), // line 4: C died, but nothing is completed
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('1001: care leaver information for a young person who was not a relevant child fails', async () => {
    await expectRule('1001', ssda903({
      header: [{ CHILD: 'A', DOB: '01/06/2008' }, { CHILD: 'B', DOB: '01/06/2007' }, { CHILD: 'C', DOB: '01/06/2007' }, { CHILD: 'D', DOB: '01/06/2000' }],
      episodes_last: [
        ep('A', '01/06/2022', '01/08/2023', 'E8'), // A: in care until 15, 2 months after their 14th birthday, never after 16
        ep('B', '01/01/2023', ''), //                   B: from 15½, open at the end of last year …
        ep('C', '01/01/2023', '01/03/2024', 'E8', 'V3'), // C: short breaks only
      ],
      episodes: [ep('B', '01/01/2023', '01/08/2024', 'E8')], // … and ended after B's 17th birthday
      oc3: [
        oc3('A', '01/06/2008'), // line 2: 61 days since 14, none since 16
        oc3('B', '01/06/2007'), // line 3: more than 91 days since 14, and after 16
        oc3('C', '01/06/2007'), // line 4: V3 short breaks do not make a relevant child
        oc3('D', '01/06/2000'), // line 5: 24 at 31 March: older care than the two returns, not judged
      ],
    })).toFail([2, 4]).toPass([3, 5]);
  });

  it('1002: care leaver information for a child with no episodes in either year fails', async () => {
    await expectRule('1002', ssda903({
      episodes_last: [ep('B', '01/01/2023', '01/08/2023', 'E8')],
      episodes: [ep('C', '01/01/2024', '01/08/2024', 'E8')],
      oc3: [
        oc3('A'), // line 2: no episodes this year or last
        oc3('B'), // line 3: an episode last year
        oc3('C'), // line 4: an episode this year
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('1007: care leaver information for a young person still looked after on their 17th/18th birthday fails', async () => {
    await expectRule('1007', ssda903({
      episodes: [ep('A', '01/01/2023'), ep('B', '01/01/2023', '01/05/2024', 'E8'), ep('C', '01/09/2024')],
      oc3: [
        oc3('A', '01/06/2007'), // line 2: 17 on 1 June 2024, still looked after (open episode from 2023)
        oc3('B', '01/06/2007'), // line 3: ceased on 1 May 2024, before the birthday
        oc3('C', '01/06/2007'), // line 4: the open episode began after the birthday
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('1010: care leaver information with no episodes this year after an open one at the end of last year fails', async () => {
    await expectRule('1010', ssda903({
      episodes_last: [ep('A', '01/01/2023'), ep('B', '01/01/2023', '01/02/2024', 'E8'), ep('C', '01/01/2023')],
      episodes: [ep('C', '01/01/2023', '01/07/2024', 'E8')],
      oc3: [
        oc3('A'), // line 2: open at 31 March 2024, nothing this year
        oc3('B'), // line 3: closed last year
        oc3('C'), // line 4: has this year's episode
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('1011: care leaver information when the final episode ended with a transfer to another LA (E3) fails', async () => {
    await expectRule('1011', ssda903({
      episodes: [ep('A', '01/01/2023', '01/07/2024', 'X1'), ep('A', '01/07/2024', '01/08/2024', 'E3'), ep('B', '01/01/2023', '01/07/2024', 'E3'), ep('B', '01/08/2024', '01/09/2024', 'E8')],
      oc3: [
        oc3('A'), // line 2: final episode E3
        oc3('B'), // line 3: an earlier episode was E3, the final one E8
      ],
    })).toFail([2]).toPass([3]);
  });

  it('1012: other data for an OC3 child with no episodes this year fails', async () => {
    await expectRule('1012', ssda903({
      episodes: [ep('B', '01/01/2024')],
      oc3: [oc3('A'), oc3('B')],
      oc2: [
        { CHILD: 'A', CONVICTED: '0' }, // oc2 line 2: A is in OC3 with no episodes
        { CHILD: 'B', CONVICTED: '0' }, // oc2 line 3: B has an episode this year
      ],
      missing: [{ CHILD: 'A', MISSING: 'M', MIS_START: '01/05/2024' }], // missing line 2: A again
    })).toFail(['oc2:2', 'missing:2']).toPass(['oc2:3', 'oc3:2', 'oc3:3']);
  });

  it('1014: UASC information for a care leaver fails', async () => {
    await expectRule('1014', ssda903({
      episodes: [ep('B', '01/01/2024')],
      oc3: [oc3('A'), oc3('B'), oc3('C', '01/06/2006', '', '', '')],
      uasc: [
        { CHILD: 'A', DUC: '01/06/2024' }, // line 2: A is a care leaver (OC3, no episodes)
        { CHILD: 'B', DUC: '' }, //           line 3: B is looked after this year
        { CHILD: 'C', DUC: '' }, //           line 4: C's OC3 row is empty
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('1016: care leaver information for a young person who ceased to be looked after after their 17th/18th birthday fails', async () => {
    await expectRule('1016', ssda903({
      episodes: [ep('A', '01/01/2023', '01/07/2024', 'E8'), ep('B', '01/01/2023', '01/05/2024', 'E8'), ep('C', '01/01/2023')],
      oc3: [
        oc3('A', '01/06/2006'), // line 2: 18 on 1 June 2024, ceased on 1 July
        oc3('B', '01/06/2006'), // line 3: ceased on 1 May, before the birthday
        oc3('C', '01/06/2006'), // line 4: still looked after (rule 1007's case)
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('134: adoption data for a child in the OC3 cohort fails', async () => {
    await expectRule('134', ssda903({
      oc3: [oc3('A'), oc3('B', '01/06/2006', '', '', '')],
      ad1: [
        { CHILD: 'A', DATE_INT: '01/05/2024' }, // line 2: A has care leaver information
        { CHILD: 'B', DATE_INT: '01/05/2024' }, // line 3: B's OC3 row is empty
        { CHILD: 'C', DATE_INT: '01/05/2024' }, // line 4: C is not in OC3
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('187: adoption or care leaver data for a child looked after for 12 months at 31 March fails', async () => {
    await expectRule('187', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/05/2024'), ep('C', '01/01/2024', '01/06/2024', 'X1'), ep('C', '01/06/2024')],
      ad1: [
        { CHILD: 'A', DATE_INT: '01/05/2024' }, // ad1 line 2: A looked after since January 2024, still at 31 March
        { CHILD: 'B', DATE_INT: '01/05/2024' }, // ad1 line 3: B only since May
      ],
      oc3: [oc3('C')], // oc3 line 2: C's two episodes join without a gap: continuously looked after
    })).toFail(['ad1:2', 'oc3:2']).toPass(['ad1:3']);
  });

  it('215: 12-month OC2 items for a child with care leaver information fail', async () => {
    await expectRule('215', ssda903({
      oc3: [oc3('A'), oc3('B')],
      oc2: [
        { CHILD: 'A', IMMUNISATIONS: '1' }, // line 2: A has care leaver information
        { CHILD: 'B', SDQ_SCORE: '10' }, //   line 3: only the SDQ score, not a 12-month item
        { CHILD: 'C', IMMUNISATIONS: '1' }, // line 4: C is not in OC3
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('3001: accommodation with former foster carers around the 17th birthday fails', async () => {
    await expectRule('3001', ssda903({
      oc3: [
        oc3('A', '01/06/2007', 'YES', 'F1', 'Z1'), // line 2: 17 in the year, with former foster carers
        oc3('B', '01/06/2006', 'YES', 'F1', 'Z1'), // line 3: 18 in the year (staying put)
        oc3('C', '01/06/2007', 'YES', 'F1', 'D1'), // line 4: other accommodation
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('344: activity or accommodation for a young person who died or returned home fails', async () => {
    await expectRule('344', ssda903({
      oc3: [
        oc3('A', '01/06/2006', 'DIED', 'F1', ''), // line 2: died, an activity given
        oc3('B', '01/06/2006', 'RHOM', '', ''), //   line 3: returned home, nothing else
        oc3('C', '01/06/2006', 'YES', 'F1', 'D1'), // line 4: in touch
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('347: a care leaver under 18 in a foyer fails', async () => {
    await expectRule('347', ssda903({
      oc3: [
        oc3('A', '01/06/2007', 'YES', 'F1', 'T1'), // line 2: 16 at 1 April 2024, in a foyer
        oc3('B', '01/03/2006', 'YES', 'F1', 'T1'), // line 3: 18 at 1 April 2024
        oc3('C', '01/06/2007', 'YES', 'F1', 'D1'), // line 4: not a foyer
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
