// Worked tests for src/validate/ssda903/swEpisodes.ts: each builds a tiny return by hand (row i is line i + 2).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const sw = (CHILD: string, SW_DECOM: string, SW_DEC = '', SW_REASON = 'MANAGE', SW_ID = 'SW1') => ({ CHILD, SW_ID, SW_DECOM, SW_DEC, SW_REASON });
const episode = (CHILD: string, DECOM: string, DEC = '', LS = 'C2') => ({ CHILD, DECOM, DEC, LS, RNE: 'S', CIN: 'N1', PLACE: 'U1' });

describe('SSDA903 social worker episodes', () => {
  it('SW01STG1: a child looked after on 31 March with no social worker episode fails; one with an episode, or who left, or on short breaks, passes', async () => {
    await expectRule('SW01STG1', ssda903({
      episodes: [
        episode('A', '01/05/2024'),               // line 2: looked after on 31 March, no SW episode
        episode('B', '01/05/2024'),               // line 3: looked after, has an SW episode
        episode('C', '01/05/2024', '01/02/2025'), // line 4: left care before 31 March
        episode('D', '01/05/2024', '', 'V3'),     // line 5: short breaks: not counted as looked after
        episode('E', '01/05/2024', '15/04/2025'), // line 6: ended after 31 March: looked after on it
      ],
      sw_episodes: [sw('B', '01/05/2024')],
    })).toFail([2, 6]).toPass([3, 4, 5]);
  });

  it('SW108STG2: an episode with no end followed by another fails; the open latest one passes', async () => {
    await expectRule('SW108STG2', ssda903({
      sw_episodes: [
        sw('A', '01/05/2024'),               // line 2: no SW_DEC, and line 3 starts after it
        sw('A', '01/09/2024'),               // line 3: the latest: may be open
        sw('B', '01/05/2024', '01/09/2024'), // line 4: ended
        sw('B', '01/09/2024'),               // line 5: the latest
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('SW10STG2: an episode starting more than 7 days before the previous one ended fails; within 7 days passes', async () => {
    await expectRule('SW10STG2', ssda903({
      sw_episodes: [
        sw('A', '01/05/2024', '20/06/2024'), // line 2: the first
        sw('A', '12/06/2024', '01/09/2024'), // line 3: 8 days before line 2 ended
        sw('B', '01/05/2024', '20/06/2024'), // line 4: the first
        sw('B', '13/06/2024'),               // line 5: 7 days before: within DfE's tolerance
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  it('SW11STG2: a child\'s latest episode ending before 31 March fails; one ending on it, open, or followed by another passes', async () => {
    await expectRule('SW11STG2', ssda903({
      sw_episodes: [
        sw('A', '01/05/2024', '30/03/2025'), // line 2: ended 30 March, nothing after
        sw('B', '01/05/2024', '31/03/2025'), // line 3: ended on 31 March
        sw('C', '01/05/2024', '01/09/2024'), // line 4: followed by line 5
        sw('C', '01/09/2024'),               // line 5: open
      ],
    })).toFail([2]).toPass([3, 4, 5]);
  });

  it('SW14STG2: a blank date ceased on an episode other than the latest fails; the latest passes', async () => {
    await expectRule('SW14STG2', ssda903({
      sw_episodes: [
        sw('A', '01/05/2024'), // line 2: blank, line 3 is later
        sw('A', '01/09/2024'), // line 3: the latest
      ],
    })).toFail([2]).toPass([3]);
  });

  it('SW15STG2: a change of social worker with no reason fails; a first episode with none, or a change with one, passes', async () => {
    await expectRule('SW15STG2', ssda903({
      sw_episodes: [
        sw('A', '01/05/2024', '01/09/2024', ''),       // line 2: the child's first: no change
        sw('A', '01/09/2024', '', ''),                 // line 3: a change, no reason
        sw('B', '01/05/2024', '01/09/2024', 'MANAGE'), // line 4
        sw('B', '01/09/2024', '', 'LEFTRL'),           // line 5: a change with its reason
      ],
    })).toFail([3]).toPass([2, 4, 5]);
  });

  const lastYear = [
    sw('A', '01/02/2024', '', 'MANAGE', 'SW7'), // A's open episode at the end of last year
    sw('B', '01/02/2024', '', 'MANAGE', 'SW7'), // B's too
    sw('C', '01/02/2024', '01/03/2024'),       // C's ended last year: not compared
  ];

  it('SW16aSTG2: this year\'s first episode with another social worker than last year\'s open one fails', async () => {
    await expectRule('SW16aSTG2', ssda903({
      sw_episodes_last: lastYear,
      sw_episodes: [
        sw('A', '01/02/2024', '', 'MANAGE', 'SW8'), // line 2: SW8, last year SW7
        sw('B', '01/02/2024', '', 'MANAGE', 'SW7'), // line 3: the same
        sw('C', '01/05/2024', '', 'MANAGE', 'SW9'), // line 4: nothing open last year
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('SW16bSTG2: this year\'s first episode starting on another day than last year\'s open one fails', async () => {
    await expectRule('SW16bSTG2', ssda903({
      sw_episodes_last: lastYear,
      sw_episodes: [
        sw('A', '01/04/2024', '', 'MANAGE', 'SW7'), // line 2: 1 April, last year's open one started 1 February
        sw('B', '01/02/2024', '', 'MANAGE', 'SW7'), // line 3: the same start
        sw('C', '01/05/2024'),                      // line 4: nothing open last year
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('SW16cSTG2: this year\'s first episode with another reason than last year\'s open one fails', async () => {
    await expectRule('SW16cSTG2', ssda903({
      sw_episodes_last: lastYear,
      sw_episodes: [
        sw('A', '01/02/2024', '', 'LEFTRL', 'SW7'), // line 2: LEFTRL, last year MANAGE
        sw('B', '01/02/2024', '', 'MANAGE', 'SW7'), // line 3: the same
        sw('B', '01/09/2024', '', 'LEFTRL', 'SW8'), // line 4: not the first: a later change
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('SW12STG2: a child looked after on 31 March whose social worker episodes leave part of the year in care uncovered fails', async () => {
    // collection 1 April 2024 – 31 March 2025
    await expectRule('SW12STG2', ssda903({
      episodes: [
        episode('A', '01/01/2024'),               // looked after all year: from 1 April
        episode('B', '01/01/2024'),
        episode('C', '01/06/2024'),               // first looked after on 1 June
        episode('D', '01/06/2024'),
        episode('E', '01/04/2024', '01/07/2024'), // in care April–July, out, back from October
        { ...episode('E', '01/10/2024'), RNE: 'S' },
        episode('F', '01/06/2024', '01/02/2025'), // left care before 31 March: not judged
        episode('G', '01/06/2024', '', 'V3'),     // short breaks only: not judged
      ],
      sw_episodes: [
        sw('A', '05/04/2024'),                            // line 2: starts 4 days after 1 April, when A was looked after
        sw('B', '01/02/2024', '20/08/2024'),              // line 3: open across 1 April
        sw('B', '25/08/2024'),                            // line 4: 5 days after: within the 7 days' tolerance
        sw('C', '01/06/2024', '01/09/2024'),              // line 5: from the day C came into care
        sw('C', '10/09/2024'),                            // line 6: 9 days without a social worker
        sw('D', '02/06/2024'),                            // line 7: the day after D came into care
        sw('E', '01/04/2024', '01/07/2024'),              // line 8: while in care
        sw('E', '01/10/2024'),                            // line 9: none July–October, while out of care
        sw('F', '01/07/2024'),                            // line 10: F left care: not judged
        sw('G', '01/07/2024'),                            // line 11: not looked after: not judged
      ],
    })).toFail([2, 6, 7, 9]).toPass([3, 4, 5, 8, 10, 11]);
  });
});
