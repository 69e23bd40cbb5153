// Worked tests for src/validate/ssda903/missingPeriods.ts (row i is line i + 2).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const ep = (CHILD: string, DECOM: string, DEC = '', REC = '') => ({ CHILD, DECOM, DEC, REC, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1' });
const mis = (CHILD: string, MIS_START: string, MIS_END = '', MISSING = 'M') => ({ CHILD, MISSING, MIS_START, MIS_END });

describe('SSDA903 missing periods', () => {
  it('566: an end date without saying missing or away fails', async () => {
    await expectRule('566', ssda903({
      missing: [mis('A', '01/05/2024', '03/05/2024', ''), mis('B', '01/05/2024', '03/05/2024', 'A'), mis('C', '01/05/2024', '', '')],
      // line 2: ended, MISSING blank; line 3: MISSING A; line 4: no end date (not this rule's matter)
    })).toFail([2]).toPass([3, 4]);
  });

  it('574: a period starting while the previous is open, or before it ended, fails', async () => {
    await expectRule('574', ssda903({
      missing: [
        mis('A', '01/05/2024'), //               line 2: open…
        mis('A', '10/05/2024', '11/05/2024'), // line 3: …when this started
        mis('B', '01/05/2024', '10/05/2024'), // line 4: ended 10 May…
        mis('B', '09/05/2024', '12/05/2024'), // line 5: …after this started
        mis('C', '01/05/2024', '10/05/2024'), // line 6
        mis('C', '10/05/2024', '12/05/2024'), // line 7: starts the day line 6 ended
      ],
    })).toFail([3, 5]).toPass([2, 4, 6, 7]);
  });

  it('575: an open period from a placement that has ended fails', async () => {
    await expectRule('575', ssda903({
      episodes: [ep('A', '01/04/2024', '01/06/2024', 'X1'), ep('A', '01/06/2024'), ep('B', '01/04/2024')],
      missing: [
        mis('A', '10/05/2024'), //               line 2: from the episode that ended 1 June, still open
        mis('A', '10/06/2024'), //               line 3: from the open episode
        mis('B', '10/05/2024', '11/05/2024'), // line 4: ended
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it("576: last year's open period must be this year's first", async () => {
    await expectRule('576', ssda903({
      missing_last: [
        mis('A', '20/03/2024'), mis('B', '20/03/2024'), mis('C', '01/03/2024', '02/03/2024'),
        mis('D', '25/03/2024'), // missing_last line 5: D, still looked after, has no period this year
        mis('E', '25/03/2024'), // missing_last line 6: E is not in this year's episodes
      ],
      episodes: [ep('A', '01/01/2024'), ep('B', '01/01/2024'), ep('C', '01/01/2024'), ep('D', '01/01/2024')],
      missing: [
        mis('A', '01/04/2024', '02/04/2024'), // line 2: A's open period from 20 March is not here
        mis('B', '20/03/2024', '02/04/2024'), // line 3: B's goes on
        mis('C', '01/05/2024', '02/05/2024'), // line 4: C's period last year ended
      ],
    })).toFail([2, 'missing_last:5']).toPass([3, 4, 'missing_last:6']);
  });

  it('577: an open period for a child who ceased to be looked after fails', async () => {
    await expectRule('577', ssda903({
      episodes: [ep('A', '01/04/2024', '01/06/2024', 'E13'), ep('B', '01/04/2024'), ep('C', '01/04/2024', '01/06/2024', 'E13')],
      missing: [
        mis('A', '10/05/2024'), //               line 2: A left care, the period is open
        mis('B', '10/05/2024'), //               line 3: B still looked after
        mis('C', '10/05/2024', '12/05/2024'), // line 4: ended
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('578: a period starting after the child ceased to be looked after fails', async () => {
    await expectRule('578', ssda903({
      episodes: [ep('A', '01/04/2024', '01/06/2024', 'E13'), ep('B', '01/04/2024', '01/06/2024', 'E13')],
      missing: [mis('A', '02/06/2024', '03/06/2024'), mis('B', '01/06/2024', '01/06/2024')],
      // line 2: the day after A left care; line 3: the day B left
    })).toFail([2]).toPass([3]);
  });

  it('580: missing until the 18th birthday, the day care ended, with a reason other than E8 fails', async () => {
    await expectRule('580', ssda903({
      episodes: [
        ep('A', '01/04/2024', '01/06/2024', 'E5'), // line 2: A missing until the 18th birthday, REC E5
        ep('B', '01/04/2024', '01/06/2024', 'E8'), // line 3: REC E8
        ep('C', '01/04/2024', '01/06/2024', 'E5'), // line 4: C came back before 18
        ep('D', '01/04/2024', '01/06/2024', 'E6'), // line 5: D missing until 18 (DOB from the header), REC E6
      ],
      header: [{ CHILD: 'D', DOB: '01/06/2006' }],
      missing: [
        { ...mis('A', '20/05/2024', '01/06/2024'), DOB: '01/06/2006' },
        { ...mis('B', '20/05/2024', '01/06/2024'), DOB: '01/06/2006' },
        { ...mis('C', '20/05/2024', '25/05/2024'), DOB: '01/06/2006' },
        mis('D', '20/05/2024', '01/06/2024'),
      ],
    })).toFail([2, 5]).toPass([3, 4]);
  });

  it('581: a period before the child started to be looked after fails', async () => {
    await expectRule('581', ssda903({
      episodes: [ep('A', '01/05/2024'), ep('B', '01/05/2024')],
      missing: [mis('A', '30/04/2024', '01/05/2024'), mis('B', '01/05/2024', '02/05/2024')],
      // line 2: the day before A's first episode; line 3: the day B's began
    })).toFail([2]).toPass([3]);
  });
});
