// Worked tests for src/validate/cin/section47.ts. The fragment's lines are the file's lines: one <Child> a line,
// and a child's Section47 elements on lines of their own where a test needs to tell them apart.
// The census date 31 March 2025 is a Monday; 15 working days after Monday 10 March 2025 take us to it
// (11-14, 17-21, 24-28, 31 March: no bank holiday in March 2025).
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

const s47 = (start: string, icpc = '', notRequired = '') =>
  `<Section47><S47ActualStartDate>${start}</S47ActualStartDate>${icpc ? `<DateOfInitialCPC>${icpc}</DateOfInitialCPC>` : ''}` +
  `${notRequired ? `<ICPCnotRequired>${notRequired}</ICPCnotRequired>` : ''}</Section47>`;
const oneLine = (id: string, inner: string, detailsIcpc = '') =>
  `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>` +
  `${detailsIcpc ? `<DateOfInitialCPC>${detailsIcpc}</DateOfInitialCPC>` : ''}${inner}</CINdetails></Child>`;

describe('CIN census Section 47 enquiries', () => {
  it('2884: a conference given at both the S47 and the CINdetails level fails; one at either level, or two different days, pass', async () => {
    await expectRule('2884', cin([
      oneLine('A', s47('2024-05-01', '2024-05-20'), '2024-05-20'), // line 1: 20 May at both levels
      oneLine('B', s47('2024-05-01', '2024-05-20')),               // line 2: S47 level only
      oneLine('C', s47('2024-05-01'), '2024-05-20'),               // line 3: CINdetails level only
      oneLine('D', s47('2024-05-01', '2024-05-20'), '2024-09-02'), // line 4: two conferences on different days
    ].join('\n'))).toFail([1]).toPass([2, 4]);
  });

  it('8675Q: an enquiry started more than 15 working days before 31 March with no conference and ICPCnotRequired false fails', async () => {
    await expectRule('8675Q', cin([
      oneLine('A', s47('2025-03-07', '', 'false')),          // line 1: Friday 7 March: 16 working days
      oneLine('B', s47('2025-03-10', '', 'false')),          // line 2: Monday 10 March: exactly 15, not more
      oneLine('C', s47('2025-03-08', '', '0')),              // line 3: Saturday 8 March: 16 (10 March counts)
      oneLine('D', s47('2024-06-03', '2024-06-20', 'false')), // line 4: has its conference
      oneLine('E', s47('2024-06-03', '', 'true')),            // line 5: conference not required
    ].join('\n'))).toFail([1, 3]).toPass([2, 4, 5]);
  });

  it('8890: an enquiry starting while another of its CINdetails is open fails; one starting after its conference, or in another CINdetails, passes', async () => {
    await expectRule('8890', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${s47('2024-05-01', '2024-05-20')}
${s47('2024-05-20', '2024-06-10')}
${s47('2024-06-11')}
${s47('2024-07-01', '', 'false')}
</CINdetails><CINdetails><CINreferralDate>2024-08-01</CINreferralDate>
${s47('2024-08-05')}
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${s47('2024-05-01', '', 'true')}
${s47('2024-05-02', '2024-05-20')}
</CINdetails></Child>`)).toFail([3, 5]).toPass([2, 4, 7, 10, 11]);
    // line 2: the first enquiry; line 3: starts on line 2's conference day ("on or between"); line 4: the day after
    // line 3's conference; line 5: starts while line 4's runs with no conference yet; line 7: another CINdetails;
    // line 10: ends without a conference (not required), so line 11 starting the next day passes
  });
});
