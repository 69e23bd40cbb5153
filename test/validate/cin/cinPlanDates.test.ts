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
