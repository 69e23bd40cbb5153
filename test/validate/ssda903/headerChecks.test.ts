// Worked tests for src/validate/ssda903/headerChecks.ts (row i is line i + 2; the collection year is 2024-25).
import { describe, it } from 'vitest';
import { expectRule, ssda903 } from '../expectRule.ts';

const hdr = (CHILD: string, more: Record<string, string> = {}) => ({ CHILD, SEX: '1', DOB: '01/01/2012', ETHNIC: 'WBRI', UPN: 'A123456789012', MOTHER: '', ...more });
const ep = (CHILD: string, LS = 'C2', DECOM = '01/01/2024', RNE = 'S') => ({ CHILD, DECOM, RNE, LS, PLACE: 'U1' });

describe('SSDA903 header', () => {
  it('202 203 204: sex, date of birth or ethnicity different from last year fails', async () => {
    const last = [hdr('A'), hdr('B'), hdr('C', { SEX: '', DOB: '', ETHNIC: '' })];
    // line 2: A's item differs from last year; line 3: B's is the same; line 4: C's was blank last year
    await expectRule('202', ssda903({ header_last: last, header: [hdr('A', { SEX: '2' }), hdr('B'), hdr('C', { SEX: '2' })] })).toFail([2]).toPass([3, 4]);
    await expectRule('203', ssda903({ header_last: last, header: [hdr('A', { DOB: '02/01/2012' }), hdr('B'), hdr('C', { DOB: '02/01/2012' })] })).toFail([2]).toPass([3, 4]);
    await expectRule('204', ssda903({ header_last: last, header: [hdr('A', { ETHNIC: 'WIRI' }), hdr('B'), hdr('C', { ETHNIC: 'WIRI' })] })).toFail([2]).toPass([3, 4]);
  });

  it('207: a mother last year recorded as not a mother fails', async () => {
    await expectRule('207', ssda903({
      header_last: [hdr('A', { SEX: '2', MOTHER: '1' }), hdr('B', { SEX: '2', MOTHER: '0' }), hdr('C', { SEX: '2', MOTHER: '1' })],
      header: [
        hdr('A', { SEX: '2', MOTHER: '0' }), // line 2: was a mother, now 0
        hdr('B', { SEX: '2', MOTHER: '1' }), // line 3: became a mother this year
        hdr('C', { SEX: '2', MOTHER: '1' }), // line 4: still a mother
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('208: a UPN different from last year\'s fails; last year\'s unknown code may be replaced', async () => {
    await expectRule('208', ssda903({
      header_last: [hdr('A', { UPN: 'A123456789012' }), hdr('B', { UPN: 'UN2' }), hdr('C')],
      header: [
        hdr('A', { UPN: 'B123456789012' }), // line 2: another UPN
        hdr('B', { UPN: 'C123456789012' }), // line 3: a UPN where last year it was unknown
        hdr('C'), //                           line 4: the same
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('209: UN1 for a child of school age fails', async () => {
    await expectRule('209', ssda903({
      header: [
        hdr('A', { UPN: 'UN1', DOB: '31/08/2019' }), // line 2: 4 on 31 August 2023: at school since September 2023
        hdr('B', { UPN: 'UN1', DOB: '01/09/2019' }), // line 3: started school in September 2024
        hdr('C', { UPN: 'UN2', DOB: '01/01/2012' }), // line 4: another code
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('210: UN4 for a child looked after for more than a week at 31 March fails', async () => {
    await expectRule('210', ssda903({
      header: [hdr('A', { UPN: 'UN4' }), hdr('B', { UPN: 'UN4' }), hdr('C', { UPN: 'UN4' })],
      episodes: [
        ep('A', 'C2', '01/03/2025'), // episodes line 2: A looked after since 1 March
        ep('B', 'C2', '28/03/2025'), // episodes line 3: B only since 28 March
        { ...ep('C', 'C2', '01/01/2025'), DEC: '01/02/2025', REC: 'E8' }, // episodes line 4: C not looked after at 31 March
      ],
    })).toFail(['header:2']).toPass(['header:3', 'header:4']);
  });

  it('393: a looked-after girl with MOTHER blank fails', async () => {
    await expectRule('393', ssda903({
      header: [hdr('A', { SEX: '2' }), hdr('B', { SEX: '2', MOTHER: '0' }), hdr('C', { SEX: '2' }), hdr('D', { SEX: '1' })],
      episodes: [ep('A'), ep('B'), ep('C', 'V4'), ep('D')],
    })).toFail([2]).toPass([3, 4, 5]); // line 2 blank; line 3 given; line 4 short breaks only; line 5 a boy
  });

  it('399: mother or review data for a child only in short breaks fails', async () => {
    await expectRule('399', ssda903({
      header: [hdr('A', { SEX: '2', MOTHER: '0' }), hdr('B', { SEX: '2', MOTHER: '0' })],
      episodes: [ep('A', 'V3'), ep('B', 'V3'), ep('B', 'C2', '01/06/2024', 'L')],
      reviews: [{ CHILD: 'A', REVIEW: '01/05/2024', REVIEW_CODE: 'PN1' }, { CHILD: 'B', REVIEW: '01/07/2024', REVIEW_CODE: 'PN1' }],
    })).toFail(['header:2', 'reviews:2']).toPass(['header:3', 'reviews:3']); // A: V3 only; B: also looked after under C2
  });
});
