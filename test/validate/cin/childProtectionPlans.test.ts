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

/** A child on one line: one CINdetails (its own DateOfInitialCPC optional) with these modules inside. */
const oneLine = (id: string, inner: string, detailsIcpc = '') =>
  `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>` +
  `${detailsIcpc ? `<DateOfInitialCPC>${detailsIcpc}</DateOfInitialCPC>` : ''}${inner}</CINdetails></Child>`;
const s47 = (start: string, icpc = '') =>
  `<Section47><S47ActualStartDate>${start}</S47ActualStartDate>${icpc ? `<DateOfInitialCPC>${icpc}</DateOfInitialCPC>` : ''}</Section47>`;

describe('CIN census child protection plans and initial conferences', () => {
  it('2883: 3 plans starting in the year against 2 conferences fails on the header; a plan from last year is not counted', async () => {
    await expectRule('2883', cin([
      oneLine('A', `${s47('2024-05-01', '2024-05-20')}${plan('2024-05-20')}`), // line 1 (the header's too): 1 plan, 1 conference
      oneLine('B', plan('2024-07-01'), '2024-07-01'),                         // line 2: 2 plans, 2 conferences (at CINdetails level)
      oneLine('C', plan('2024-09-01')),                                        // line 3: a plan with no conference: 3 > 2
      oneLine('D', plan('2024-03-01')),                                        // line 4: started before the year: not counted
    ].join('\n'))).toFail(['header:1']).toPass(['child_protection_plans:1', 'child_protection_plans:3']);
  });

  it('2883: as many conferences as plans passes', async () => {
    await expectRule('2883', cin([
      oneLine('A', `${s47('2024-05-01', '2024-05-20')}${plan('2024-05-20')}`), // line 1: 1 plan, 1 conference
      oneLine('B', s47('2024-06-01', '2024-06-20')),                          // line 2: a conference with no plan
      oneLine('C', plan('2024-09-01')),                                        // line 3: 2 plans, 2 conferences
    ].join('\n'))).toFailNone().toPass(['header:1', 'child_protection_plans:3']);
  });

  it('2885: a plan starting on no conference day of its CINdetails fails; on the S47 or the CINdetails conference day passes', async () => {
    await expectRule('2885', cin([
      oneLine('A', `${s47('2024-05-01', '2024-05-20')}${plan('2024-05-20')}`),                 // line 1: the S47 conference day
      oneLine('B', `${s47('2024-05-01', '2024-05-20')}${plan('2024-05-21')}`),                 // line 2: the day after it
      oneLine('C', plan('2024-07-01'), '2024-07-01'),                                         // line 3: the CINdetails' conference day
      oneLine('D', plan('2024-09-01')),                                                        // line 4: no conference at all
      oneLine('E', plan('2024-03-01')),                                                        // line 5: started before the year: not checked
    ].join('\n'))).toFail([2, 4]).toPass([1, 3, 5]);
  });
});
