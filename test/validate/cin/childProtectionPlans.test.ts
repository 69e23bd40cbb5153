// Worked tests for src/validate/cin/childProtectionPlans.ts. The fragment's lines are the file's lines.
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

const plan = (start: string, end = '') =>
  `<ChildProtectionPlans><CPPstartDate>${start}</CPPstartDate>${end ? `<CPPendDate>${end}</CPPendDate>` : ''}</ChildProtectionPlans>`;

describe('CIN census child protection plans', () => {
  it('8935: two open plans for one child both fail; one open and one ended pass', async () => {
    await expectRule('8935', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>
<CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${plan('2024-05-01')}
</CINdetails><CINdetails><CINreferralDate>2024-08-01</CINreferralDate>
${plan('2024-09-01')}
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${plan('2024-05-01', '2024-06-01')}
${plan('2024-09-01')}
</CINdetails></Child>`)).toFail([3, 5]).toPass([8, 9]);
  });

  it('8940: a plan starting while another is open fails; one starting the day the other ended passes', async () => {
    await expectRule('8940', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${plan('2024-05-01', '2024-07-01')}
${plan('2024-06-30', '2024-08-01')}
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${plan('2024-05-01', '2024-07-01')}
${plan('2024-07-01')}
</CINdetails></Child>`)).toFail([3]).toPass([2, 6, 7]);
  });
});
