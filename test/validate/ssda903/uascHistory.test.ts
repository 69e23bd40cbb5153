// Worked tests for src/validate/ssda903/uascHistory.ts (row i is line i + 2; this year 2024-25, last year 2023-24).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const hdr = (CHILD: string) => ({ CHILD, SEX: '1', DOB: '01/01/2008', ETHNIC: 'OOTH', UPN: 'UN2' });

describe('SSDA903 UASC across the two years', () => {
  it('205A: UASC last year, not this year, without a DUC in last year fails', async () => {
    await expectRule('205A', ssda903({
      header_last: [hdr('A'), hdr('B'), hdr('C')],
      uasc_last: [{ CHILD: 'A', DUC: '' }, { CHILD: 'B', DUC: '01/10/2023' }, { CHILD: 'C', DUC: '' }],
      uasc: [{ CHILD: 'C', DUC: '' }],
      header: [
        hdr('A'), // line 2: UASC (not ceased) at 31 March 2024, no UASC row now
        hdr('B'), // line 3: ceased in October 2023
        hdr('C'), // line 4: still UASC
      ],
    })).toFail(['header:2']).toPass(['header:3', 'header:4']);
  });

  it('205B: a DUC that changed from last year\'s fails', async () => {
    await expectRule('205B', ssda903({
      uasc_last: [{ CHILD: 'A', DUC: '01/10/2023' }, { CHILD: 'B', DUC: '01/10/2023' }, { CHILD: 'C', DUC: '' }],
      uasc: [
        { CHILD: 'A', DUC: '01/06/2024' }, // line 2: ceased in 2023, now a different date
        { CHILD: 'B', DUC: '01/10/2023' }, // line 3: the same
        { CHILD: 'C', DUC: '01/06/2024' }, // line 4: still UASC last year, ceased this year
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('205D: UASC this year for a child in last year\'s return who was not UASC then fails', async () => {
    await expectRule('205D', ssda903({
      header_last: [hdr('A'), hdr('B')],
      uasc_last: [{ CHILD: 'B', DUC: '' }],
      uasc: [
        { CHILD: 'A', DUC: '' }, // line 2: in last year's return, not UASC then
        { CHILD: 'B', DUC: '' }, // line 3: UASC both years
        { CHILD: 'C', DUC: '' }, // line 4: new this year
      ],
    })).toFail([2]).toPass([3, 4]);
  });
});
