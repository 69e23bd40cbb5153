// Worked tests for src/validate/ssda903/adoptionDecisionDates.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const ep = (CHILD: string, DECOM: string, DEC = '', REC = '', PLACE = 'U1', RNE = 'S') => ({ CHILD, DECOM, DEC, REC, PLACE, RNE, LS: 'C2' });

describe('SSDA903 adoption decisions', () => {
  it('117: a decision date after the year or after the child ceased to be looked after fails', async () => {
    await expectRule('117', ssda903({
      episodes: [ep('A', '01/04/2024'), ep('B', '01/04/2024', '01/09/2024', 'E8'), ep('C', '01/04/2024', '01/09/2024', 'E8')],
      placed_for_adoption: [
        { CHILD: 'A', DATE_PLACED: '01/04/2025' }, // line 2: after 31 March 2025
        { CHILD: 'B', DATE_PLACED: '01/06/2024', DATE_PLACED_CEASED: '02/09/2024' }, // line 3: after B ceased on 1 September
        { CHILD: 'C', DATE_PLACED: '01/06/2024', DATE_PLACED_CEASED: '01/09/2024' }, // line 4: the day C ceased
      ],
    })).toFail([2, 3]).toPass([4]);
  });

  it('118: a decision no longer to place before the year or before care began fails', async () => {
    await expectRule('118', ssda903({
      episodes: [ep('A', '01/01/2024'), ep('B', '01/06/2024'), ep('C', '01/01/2024')],
      placed_for_adoption: [
        { CHILD: 'A', DATE_PLACED: '01/02/2024', DATE_PLACED_CEASED: '31/03/2024' }, // line 2: before 1 April 2024
        { CHILD: 'B', DATE_PLACED: '01/02/2024', DATE_PLACED_CEASED: '01/05/2024' }, // line 3: before B was looked after
        { CHILD: 'C', DATE_PLACED: '01/02/2024', DATE_PLACED_CEASED: '01/05/2024' }, // line 4
        { CHILD: 'C', DATE_PLACED: '01/06/2024', DATE_PLACED_CEASED: '' }, //           line 5: still to be placed
      ],
    })).toFail([2, 3]).toPass([4, 5]);
  });

  it('331: matching after the placement for adoption fails', async () => {
    await expectRule('331', ssda903({
      episodes: [ep('A', '01/06/2024', '01/12/2024', 'E11', 'A5'), ep('B', '01/06/2024', '01/12/2024', 'E11', 'A5')],
      ad1: [{ CHILD: 'A', DATE_MATCH: '02/06/2024' }, { CHILD: 'B', DATE_MATCH: '01/06/2024' }],
    })).toFail([2]).toPass([3]); // line 2: the day after A was placed; line 3: the day B was
  });

  it('334: a decision to place for adoption before the latest period of care began fails', async () => {
    await expectRule('334', ssda903({
      episodes: [ep('A', '01/01/2023', '01/03/2024', 'E8'), ep('A', '01/06/2024'), ep('B', '01/01/2024'), ep('B', '01/06/2024', '', '', 'U2', 'P')],
      ad1: [{ CHILD: 'A', DATE_INT: '01/05/2024' }, { CHILD: 'B', DATE_INT: '01/05/2024' }],
    })).toFail([2]).toPass([3]); // line 2: A's latest period began 1 June; line 3: B's began in January (June was a move)
  });

  it('335: FOSTER_CARE contradicting the adoption placement fails', async () => {
    await expectRule('335', ssda903({
      episodes: [ep('A', '01/06/2024', '01/12/2024', 'E11', 'A5'), ep('B', '01/06/2024', '01/12/2024', 'E11', 'A6'), ep('C', '01/06/2024', '01/12/2024', 'E11', 'A5')],
      ad1: [
        { CHILD: 'A', FOSTER_CARE: '0' }, // line 2: not by foster carers, but placed with them (A5)
        { CHILD: 'B', FOSTER_CARE: '0' }, // line 3: A6, not with current foster carers
        { CHILD: 'C', FOSTER_CARE: '1' }, // line 4: A5, by foster carers
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
