// Worked tests for src/validate/cin/cinDetails.ts. The fragment's lines are the file's lines: one <Child> a line,
// or one <CINdetails> a line where a child has several.
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

type Fields = Record<string, string>;
const el = (f: Fields) => Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join('');
const details = (f: Fields, inner = '') => `<CINdetails>${el({ CINreferralDate: '2024-04-01', ...f })}${inner}</CINdetails>`;
const child = (id: Fields, ...cinDetails: string[]) =>
  `<Child><ChildIdentifiers>${el(id)}</ChildIdentifiers>${cinDetails.join('')}</Child>`;
const closed = (reason: string) => ({ CINclosureDate: '2024-06-01', ReasonForClosure: reason });

describe('CIN census CIN episodes', () => {
  it('2990: an episode closed RC8 or RC9 with a S47, a CP plan, an initial conference or a CIN plan fails; one with an assessment only passes', async () => {
    await expectRule('2990', cin([
      child({ LAchildID: 'A' }, details(closed('RC8'), '<Section47><S47ActualStartDate>2024-04-05</S47ActualStartDate></Section47>')), // line 1
      child({ LAchildID: 'B' }, details(closed('RC9'), '<CINPlanDates><CINPlanStartDate>2024-04-05</CINPlanStartDate></CINPlanDates>')), // line 2
      child({ LAchildID: 'C' }, details({ ...closed('RC8'), DateOfInitialCPC: '2024-04-20' })),                                          // line 3
      child({ LAchildID: 'D' }, details(closed('RC9'), '<ChildProtectionPlans><CPPstartDate>2024-04-20</CPPstartDate></ChildProtectionPlans>')), // line 4
      child({ LAchildID: 'E' }, details(closed('RC8'), '<Assessments><AssessmentActualStartDate>2024-04-02</AssessmentActualStartDate></Assessments>')), // line 5: assessment only
      child({ LAchildID: 'F' }, details(closed('RC1'), '<Section47><S47ActualStartDate>2024-04-05</S47ActualStartDate></Section47>')), // line 6: closed RC1
    ].join('\n'))).toFail([1, 2, 3, 4]).toPass([5, 6]);
  });

  it('2991Q: an episode with a Section 47 enquiry and no assessment fails; with an assessment, or with neither, passes', async () => {
    const s47 = '<Section47><S47ActualStartDate>2024-04-05</S47ActualStartDate></Section47>';
    const assessment = '<Assessments><AssessmentActualStartDate>2024-04-02</AssessmentActualStartDate></Assessments>';
    await expectRule('2991Q', cin([
      child({ LAchildID: 'A' }, details({}, s47)),              // line 1: S47, no assessment
      child({ LAchildID: 'B' }, details({}, assessment + s47)), // line 2: both
      child({ LAchildID: 'C' }, details({})),                   // line 3: neither
    ].join('\n'))).toFail([1]).toPass([2, 3]);
  });

  it('8585Q: an episode closed RC2 (died) with no date of death for the child fails; with one, or another reason, passes', async () => {
    await expectRule('8585Q', cin([
      child({ LAchildID: 'A' }, details(closed('RC2'))),                                 // line 1: died, no PersonDeathDate
      child({ LAchildID: 'B', PersonDeathDate: '2024-05-30' }, details(closed('RC2'))), // line 2: has it
      child({ LAchildID: 'C' }, details(closed('RC1'))),                                 // line 3: another reason
    ].join('\n'))).toFail([1]).toPass([2, 3]);
  });

  it('8816: an open episode going on to further action that is not the latest fails; the latest, an NFA or a closed one passes', async () => {
    await expectRule('8816', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>
${details({ CINreferralDate: '2024-04-10', ReferralNFA: 'false' })}
${details({ CINreferralDate: '2024-06-01', ReferralNFA: 'true' })}
${details({ CINreferralDate: '2024-05-01', ReferralNFA: 'false', CINclosureDate: '2024-05-20' })}
${details({ CINreferralDate: '2024-09-01', ReferralNFA: '0' })}
</Child>
${child({ LAchildID: 'B' }, details({ CINreferralDate: '2024-09-01', ReferralNFA: 'false' }))}`)).toFail([2]).toPass([3, 4, 5, 7]);
    // line 2: open, further action, referred 10 April, before A's latest referral (1 September, line 5);
    // line 3: no further action; line 4: closed; line 5: the latest; line 7: B's only episode
  });
});
