// Worked tests for src/validate/ssda903/adoptionDecisions.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

type Ep = Partial<Record<'DEC' | 'RNE' | 'LS' | 'PLACE' | 'REC', string>>;
const ep = (CHILD: string, DECOM: string, f: Ep = {}) => ({ CHILD, DECOM, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', ...f });
const decision = (CHILD: string, DATE_PLACED: string, DATE_PLACED_CEASED = '', REASON_PLACED_CEASED = '') =>
  ({ CHILD, DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED });
const adoption = { DATE_INT: '01/05/2024', DATE_MATCH: '01/06/2024', FOSTER_CARE: '0', NB_ADOPTR: 'L0', SEX_ADOPTR: 'MF', LS_ADOPTR: 'L0' };

describe('SSDA903 adoption decisions', () => {
  it('521: DATE_INT after the child was placed for adoption fails', async () => {
    await expectRule('521', ssda903({
      episodes: [
        ep('A', '01/04/2024'), ep('A', '01/06/2024', { RNE: 'P', PLACE: 'A4' }), // A placed for adoption 1 June
        ep('B', '01/06/2024', { PLACE: 'A3' }), ep('B', '01/07/2024', { RNE: 'L', PLACE: 'A3', LS: 'C1' }), // B placed 1 June
      ],
      ad1: [
        { CHILD: 'A', DATE_INT: '02/06/2024' }, // line 2: a day after A was placed
        { CHILD: 'B', DATE_INT: '01/06/2024' }, // line 3: the day B was placed
        { CHILD: 'C', DATE_INT: '01/06/2024' }, // line 4: C not placed for adoption
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('523: a DATE_INT that is not the date of any decision to place for adoption fails', async () => {
    await expectRule('523', ssda903({
      placed_for_adoption: [decision('A', '01/05/2024'), decision('B', '01/03/2024', '01/04/2024', 'RD1'), decision('B', '01/05/2024')],
      ad1: [
        { CHILD: 'A', DATE_INT: '02/05/2024' }, // line 2: A's decision was 1 May
        { CHILD: 'B', DATE_INT: '01/05/2024' }, // line 3: B's later decision
        { CHILD: 'C', DATE_INT: '01/05/2024' }, // line 4: no decisions for C
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('525: a child whose latest decision was reversed, with adoption details, fails', async () => {
    await expectRule('525', ssda903({
      placed_for_adoption: [
        decision('A', '01/05/2024', '01/07/2024', 'RD1'), // line 2: reversed, yet A has adoption details
        decision('B', '01/03/2024', '01/04/2024', 'RD1'), // line 3: reversed, but a later decision…
        decision('B', '01/05/2024'), //                       line 4: …stands
        decision('C', '01/05/2024', '01/07/2024', 'RD1'), // line 5: reversed, AD1 blank
      ],
      ad1: [{ CHILD: 'A', ...adoption }, { CHILD: 'B', ...adoption }, { CHILD: 'C' }],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('551: placed for adoption with no decision to place for adoption fails', async () => {
    await expectRule('551', ssda903({
      episodes: [
        ep('A', '01/05/2024', { PLACE: 'A3' }), // line 2: no decision for A
        ep('A', '01/06/2024', { RNE: 'L', PLACE: 'A3', LS: 'E1' }), // line 3: A's second such episode, reported once
        ep('B', '01/05/2024', { PLACE: 'A5' }), // line 4: B has a decision
        ep('C', '01/05/2024', { PLACE: 'U1' }), // line 5: not placed for adoption
      ],
      placed_for_adoption: [decision('B', '01/04/2024')],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('552: a placement for adoption before any decision to place for adoption fails', async () => {
    await expectRule('552', ssda903({
      episodes: [
        ep('A', '01/05/2024', { PLACE: 'A3' }), // line 2: placed 1 May, decided 2 May
        ep('B', '01/05/2024', { PLACE: 'A4' }), // line 3: placed the day of the decision
        ep('B', '01/06/2024', { RNE: 'L', PLACE: 'A4', LS: 'E1' }), // line 4: the same placement goes on
      ],
      placed_for_adoption: [decision('A', '02/05/2024'), decision('B', '01/05/2024')],
    })).toFail([2]).toPass([3, 4]);
  });

  it('553: a placement order with no decision to place for adoption fails', async () => {
    await expectRule('553', ssda903({
      episodes: [
        ep('A', '01/05/2024', { LS: 'E1' }), // line 2: no decision for A
        ep('B', '01/05/2024', { LS: 'E1' }), // line 3: B has one
        ep('C', '01/05/2024', { LS: 'C2' }), // line 4: no placement order
      ],
      placed_for_adoption: [decision('B', '01/04/2024')],
    })).toFail([2]).toPass([3, 4]);
  });

  it('554: a placement order granted before the decision to place for adoption fails', async () => {
    await expectRule('554', ssda903({
      episodes: [
        ep('A', '01/04/2024'), ep('A', '01/05/2024', { RNE: 'L', LS: 'E1' }), // line 3: E1 from 1 May, decided 2 May
        ep('B', '01/05/2024', { LS: 'E1' }), //                                 line 4: E1 the day of the decision
        ep('B', '01/06/2024', { RNE: 'P', LS: 'E1', PLACE: 'A5' }), //           line 5: a placement change, not the order
      ],
      placed_for_adoption: [decision('A', '02/05/2024'), decision('B', '01/05/2024')],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('555: a freeing order with no decision to place for adoption fails', async () => {
    await expectRule('555', ssda903({
      episodes: [ep('A', '01/05/2024', { LS: 'D1' }), ep('B', '01/05/2024', { LS: 'D1' })], // line 2: A has none; line 3: B has one
      placed_for_adoption: [decision('B', '01/04/2024')],
    })).toFail([2]).toPass([3]);
  });

  it('556: a freeing order granted before the decision to place for adoption fails', async () => {
    await expectRule('556', ssda903({
      episodes: [ep('A', '01/05/2024', { LS: 'D1' }), ep('B', '01/05/2024', { LS: 'D1' })], // line 2: decided later; line 3: earlier
      placed_for_adoption: [decision('A', '02/05/2024'), decision('B', '30/04/2024')],
    })).toFail([2]).toPass([3]);
  });

  it('557: leaving care, not adopted, with the decision not shown as ceased, fails', async () => {
    await expectRule('557', ssda903({
      episodes: [
        ep('A', '01/04/2024', { PLACE: 'A4', DEC: '01/08/2024', REC: 'E13' }), // line 2: A's decision has no ceased date
        ep('B', '01/04/2024', { LS: 'E1', DEC: '01/08/2024', REC: 'E13' }), //  line 3: B's decision ceased, with a reason
        ep('C', '01/04/2024', { PLACE: 'A4', DEC: '01/08/2024', REC: 'E11' }), // line 4: C was adopted
        ep('D', '01/04/2024', { LS: 'E1', DEC: '01/08/2024', REC: 'E13' }), //  line 5: no decision recorded for D
      ],
      placed_for_adoption: [decision('A', '01/03/2024'), decision('B', '01/03/2024', '01/07/2024', 'RD1'), decision('C', '01/03/2024')],
    })).toFail([2, 5]).toPass([3, 4]);
  });

  it('558: an adopted child whose latest decision has a ceased date fails', async () => {
    await expectRule('558', ssda903({
      episodes: [ep('A', '01/04/2024', { DEC: '01/08/2024', REC: 'E11' }), ep('B', '01/04/2024', { DEC: '01/08/2024', REC: 'E12' }),
        ep('C', '01/04/2024', { DEC: '01/08/2024', REC: 'E13' })],
      placed_for_adoption: [
        decision('A', '01/03/2024', '01/07/2024', 'RD1'), // line 2: A adopted, yet the decision ceased
        decision('B', '01/01/2024', '01/02/2024', 'RD1'), // line 3: an earlier decision that ceased…
        decision('B', '01/03/2024'), //                       line 4: …and the one B was adopted under
        decision('C', '01/03/2024', '01/07/2024', 'RD1'), // line 5: C not adopted
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it("559: a decision before this year that is not in last year's return fails", async () => {
    await expectRule('559', ssda903({
      placed_for_adoption_last: [decision('B', '01/03/2024'), decision('D', '01/02/2024'), decision('E', '', '01/03/2024', 'RD1')],
      placed_for_adoption: [
        decision('A', '01/03/2024'), // line 2: before 1 April, A not in last year's return
        decision('B', '01/03/2024'), // line 3: in last year's return
        decision('C', '01/04/2024'), // line 4: this year's decision
        decision('D', '01/03/2024'), // line 5: last year gave a DATE_PLACED (another date: rule 560's matter)
        decision('E', '01/03/2024'), // line 6: last year's row for E has no DATE_PLACED
      ],
    })).toFail([2, 6]).toPass([3, 4, 5]);
  });

  it("560: a first decision this year dated other than last year's decision that did not cease fails", async () => {
    await expectRule('560', ssda903({
      placed_for_adoption_last: [decision('A', '01/03/2024'), decision('B', '01/03/2024'), decision('C', '01/02/2024', '01/03/2024', 'RD1')],
      placed_for_adoption: [
        decision('A', '02/03/2024'), // line 2: last year's open decision was dated 1 March
        decision('B', '01/03/2024'), // line 3: the same decision goes on
        decision('C', '01/05/2024'), // line 4: C's decision ceased last year, this is a new one
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('561: a decision that ceased last year, reported again with the same date, fails', async () => {
    await expectRule('561', ssda903({
      placed_for_adoption_last: [decision('A', '01/02/2024', '01/03/2024', 'RD1'), decision('B', '01/03/2024')],
      placed_for_adoption: [
        decision('A', '01/02/2024'), // line 2: ceased last year
        decision('B', '01/03/2024'), // line 3: still in force last year
        decision('A', '01/05/2024'), // line 4: A's new decision
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('563: a ceased decision with no DATE_PLACED fails', async () => {
    await expectRule('563', ssda903({
      placed_for_adoption: [
        decision('A', '', '01/07/2024', 'RD1'), // line 2: ceased, no DATE_PLACED
        decision('B', '01/05/2024', '01/07/2024', 'RD1'), // line 3: dated
        decision('C', ''), //                               line 4: an empty row: nothing says it ceased
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('579: a decision starting while the previous is open, or before it ceased, fails', async () => {
    await expectRule('579', ssda903({
      placed_for_adoption: [
        decision('A', '01/04/2024'), //               line 2: open…
        decision('A', '01/06/2024', '01/07/2024', 'RD1'), // line 3: …when this began
        decision('B', '01/04/2024', '10/05/2024', 'RD1'), // line 4: ceased 10 May…
        decision('B', '09/05/2024'), //               line 5: …after this began
        decision('C', '01/04/2024', '10/05/2024', 'RD1'), // line 6: ceased 10 May
        decision('C', '10/05/2024'), //               line 7: began the day it ceased
      ],
    })).toFail([3, 5]).toPass([2, 4, 6, 7]);
  });

  it('582: adopted on the day the child was matched with adopters is queried', async () => {
    await expectRule('582', ssda903({
      episodes: [ep('A', '01/04/2024', { DEC: '01/08/2024', REC: 'E11' }), ep('B', '01/04/2024', { DEC: '01/08/2024', REC: 'E12' })],
      ad1: [
        { CHILD: 'A', DATE_MATCH: '01/08/2024' }, // line 2: matched the day of adoption
        { CHILD: 'B', DATE_MATCH: '01/06/2024' }, // line 3: matched earlier
      ],
    })).toFail([2]).toPass([3]);
  });

  it('583: an earlier decision not revoked when there is a later one is queried', async () => {
    await expectRule('583', ssda903({
      placed_for_adoption: [
        decision('A', '01/04/2024'), //               line 2: earlier, not ceased
        decision('A', '01/06/2024'), //               line 3: the latest may be open
        decision('B', '01/04/2024', '10/05/2024', 'RD1'), // line 4: earlier, ceased
        decision('B', '01/06/2024'), //               line 5: the latest
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('584: after a decision that ceased last year, a different decision dated before it fails', async () => {
    await expectRule('584', ssda903({
      placed_for_adoption_last: [decision('A', '01/02/2024', '01/03/2024', 'RD1'), decision('B', '01/02/2024', '01/03/2024', 'RD1')],
      placed_for_adoption: [
        decision('A', '01/01/2024'), // line 2: dated before the decision that ceased
        decision('B', '01/05/2024'), // line 3: a new decision after it
      ],
    })).toFail([2]).toPass([3]);
  });

  it('601: adopted in the year without the adoption details fails', async () => {
    await expectRule('601', ssda903({
      episodes: [
        ep('A', '01/04/2024', { DEC: '01/08/2024', REC: 'E11' }), // line 2: AD1 lacks SEX_ADOPTR
        ep('B', '01/04/2024', { DEC: '01/08/2024', REC: 'E12' }), // line 3: complete
        ep('C', '01/04/2024', { DEC: '01/08/2024', REC: 'E11' }), // line 4: no AD1 row
        ep('D', '01/04/2023', { DEC: '01/03/2024', REC: 'E11' }), // line 5: adopted last year
      ],
      ad1: [{ CHILD: 'A', ...adoption, SEX_ADOPTR: '' }, { CHILD: 'B', ...adoption }],
    })).toFail([2, 4]).toPass([3, 5]);
  });

  it('602: adoption details for a child not adopted in the year fail', async () => {
    await expectRule('602', ssda903({
      episodes: [ep('A', '01/04/2024', { DEC: '01/08/2024', REC: 'E13' }), ep('B', '01/04/2024', { DEC: '01/08/2024', REC: 'E11' })],
      // line 2: A left care otherwise; line 3: B adopted; line 4: C's row has no adoption details
      ad1: [{ CHILD: 'A', ...adoption }, { CHILD: 'B', ...adoption }, { CHILD: 'C' }],
    })).toFail([2]).toPass([3, 4]);
  });
});
