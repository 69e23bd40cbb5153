// Worked tests for src/validate/cin/cinPlanDates.ts. The fragment's lines are the file's lines.
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

const cinPlan = (start: string, end = '') =>
  `<CINPlanDates><CINPlanStartDate>${start}</CINPlanStartDate>${end ? `<CINPlanEndDate>${end}</CINPlanEndDate>` : ''}</CINPlanDates>`;
const cpPlan = (start: string, end = '') =>
  `<ChildProtectionPlans><CPPstartDate>${start}</CPPstartDate>${end ? `<CPPendDate>${end}</CPPendDate>` : ''}</ChildProtectionPlans>`;

describe('CIN census CIN plans', () => {
  it('4001: a CIN plan open while a CP plan runs fails, across CINdetails; one ending the day the CP plan starts passes', async () => {
    await expectRule('4001', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>
<CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cinPlan('2024-04-10')}
</CINdetails><CINdetails><CINreferralDate>2024-06-01</CINreferralDate>
${cpPlan('2024-07-01', '2024-09-01')}
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cinPlan('2024-04-10', '2024-07-01')}
${cpPlan('2024-07-01')}
${cinPlan('2024-09-01')}
</CINdetails></Child>`)).toFail([3, 10]).toPass([8, 'child_protection_plans:9']);
  });
});

describe('CIN census CIN plans open with child protection plans', () => {
  it('4003: a CP review while a CIN plan of the CINdetails is open fails; the review ending the CP plan, or one after the CIN plan ended, passes', async () => {
    await expectRule('4003', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cinPlan('2024-04-10', '2024-06-01')}
<ChildProtectionPlans><CPPstartDate>2024-05-01</CPPstartDate><CPPendDate>2024-09-01</CPPendDate><Reviews>
<CPPreviewDate>2024-05-20</CPPreviewDate>
<CPPreviewDate>2024-06-01</CPPreviewDate>
<CPPreviewDate>2024-09-01</CPPreviewDate>
</Reviews></ChildProtectionPlans>
${cinPlan('2024-09-01')}
</CINdetails><CINdetails><CINreferralDate>2024-10-01</CINreferralDate>
<ChildProtectionPlans><CPPstartDate>2024-10-01</CPPstartDate><Reviews>
<CPPreviewDate>2024-12-01</CPPreviewDate>
</Reviews></ChildProtectionPlans>
</CINdetails></Child>`)).toFail([4]).toPass([5, 6, 11]);
    // line 4: 20 May, while the CIN plan of line 2 (10 April to 1 June) is open; line 5: 1 June, the day that plan
    // ended; line 6: 1 September, the day the CP plan ended and the CIN plan of line 8 started; line 11: a review
    // in another CINdetails, which has no CIN plan (the open one of line 8 is in the first CINdetails)
  });

  it('4016: a CIN plan starting while a CP plan runs, or on its first day, fails; one starting the day it ended, or before it, passes', async () => {
    await expectRule('4016', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cpPlan('2024-05-01', '2024-07-01')}
${cinPlan('2024-04-10', '2024-05-01')}
${cinPlan('2024-05-01', '2024-05-10')}
${cinPlan('2024-06-01', '2024-06-10')}
${cinPlan('2024-07-01', '2024-08-01')}
</CINdetails><CINdetails><CINreferralDate>2024-09-01</CINreferralDate>
${cpPlan('2024-09-01')}
${cinPlan('2025-03-31')}
</CINdetails></Child>`)).toFail([4, 5, 9]).toPass([3, 6]);
    // line 3: before the CP plan; line 4: its first day; line 5: during it; line 6: the day it ended;
    // line 9: the census date, while the CP plan of line 8 is open
  });

  it('4017: a CP plan starting while a CIN plan is open fails on the CIN plan; one starting the day the CIN plan ended passes', async () => {
    await expectRule('4017', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cinPlan('2024-04-10', '2024-05-01')}
${cpPlan('2024-05-01', '2024-06-01')}
${cinPlan('2024-06-01')}
${cpPlan('2024-08-01')}
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>B</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${cinPlan('2024-04-10', '2024-06-01')}
${cpPlan('2024-04-10')}
</CINdetails></Child>`)).toFail([4, 8]).toPass([2]);
    // line 2: ended the day the CP plan of line 3 started; line 4: open when the CP plan of line 5 started;
    // line 8: B's CP plan started on the CIN plan's first day
  });
});
