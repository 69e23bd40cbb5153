// Worked tests for src/validate/cin/assessments.ts. The fragment's lines are the file's lines.
// The census date 31 March 2025 is a Monday; from Monday 27 January 2025 it is 45 working days on
// (28-31 January, 4; February, 20; March up to the 31st, 21: no bank holiday between).
import { describe, expect, it } from 'vitest';
import { workingDaysBetween } from '../../../src/calendar.ts';
import { openStaging } from '../../../src/validate/run.ts';
import { cin, expectRule } from '../expectRule.ts';

type Fields = Record<string, string>;
const el = (f: Fields) => Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join('');
const assessment = (f: Fields, factors: string[] = []) =>
  `<Assessments>${el(f)}${factors.length ? `<FactorsIdentifiedAtAssessment>${factors.map((x) => `<AssessmentFactors>${x}</AssessmentFactors>`).join('')}</FactorsIdentifiedAtAssessment>` : ''}</Assessments>`;
const oneLine = (id: string, inner: string, f: Fields = {}) =>
  `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID></ChildIdentifiers><CINdetails>${el({ CINreferralDate: '2024-04-01', ...f })}${inner}</CINdetails></Child>`;

describe('CIN census assessments', () => {
  it('the staged working_days count working days as calendar.ts does, across bank holidays', async () => {
    const db = await openStaging('cin', 2024);
    try {
      for (const [a, b] of [['2024-12-20', '2025-01-10'], ['2025-01-27', '2025-03-31'], ['2024-03-28', '2024-04-02'], ['2025-03-08', '2025-03-31']]) {
        const r = await db.conn.runAndReadAll(`SELECT (SELECT n FROM working_days WHERE d = DATE '${b}') - (SELECT n FROM working_days WHERE d = DATE '${a}') AS n`);
        expect(Number(r.getRowObjectsJS()[0].n), `${a} to ${b}`).toBe(workingDaysBetween(a, b));
      }
    } finally {
      db.close();
    }
  });

  it('8670Q: an assessment with no end date started more than 45 working days before 31 March fails (a weekend start too); exactly 45, or one authorised, passes', async () => {
    await expectRule('8670Q', cin([
      oneLine('A', assessment({ AssessmentActualStartDate: '2025-01-24' })), // line 1: Friday 24 January: 46 working days
      oneLine('B', assessment({ AssessmentActualStartDate: '2025-01-27' })), // line 2: Monday 27 January: exactly 45
      oneLine('C', assessment({ AssessmentActualStartDate: '2024-06-03', AssessmentAuthorisationDate: '2024-07-01' })), // line 3: ended
      oneLine('D', assessment({ AssessmentActualStartDate: '2025-01-25' })), // line 4: Saturday 25 January: 46 (27 January counts)
    ].join('\n'))).toFail([1, 4]).toPass([2, 3]);
  });

  it('8863Q: an assessment starting on or between another of its CINdetails\' start and end, or while it is ongoing, fails', async () => {
    await expectRule('8863Q', cin(`<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers><CINdetails><CINreferralDate>2024-04-01</CINreferralDate>
${assessment({ AssessmentActualStartDate: '2024-04-05', AssessmentAuthorisationDate: '2024-05-01' })}
${assessment({ AssessmentActualStartDate: '2024-05-01', AssessmentAuthorisationDate: '2024-05-10' })}
${assessment({ AssessmentActualStartDate: '2024-06-01' })}
${assessment({ AssessmentActualStartDate: '2024-07-01', AssessmentAuthorisationDate: '2024-07-20' })}
</CINdetails><CINdetails><CINreferralDate>2024-08-01</CINreferralDate>
${assessment({ AssessmentActualStartDate: '2024-08-02' })}
</CINdetails></Child>`)).toFail([3, 5]).toPass([2, 4, 7]);
    // line 2: the first; line 3: starts on line 2's authorisation day ("on or between"); line 4: after line 3 ended;
    // line 5: starts while line 4's is ongoing (no end date); line 7: another CINdetails
  });

  it('8873Q: an episode\'s only, completed assessment with factor 21 and a reason other than RC8 or RC9 fails', async () => {
    const done = { AssessmentActualStartDate: '2024-04-02', AssessmentAuthorisationDate: '2024-04-20' };
    const closed = (r: string) => ({ CINclosureDate: '2024-04-25', ReasonForClosure: r });
    await expectRule('8873Q', cin([
      oneLine('A', assessment(done, ['21']), closed('RC1')),  // line 1: 21, closed RC1
      oneLine('B', assessment(done, ['21']), closed('RC8')),  // line 2: RC8
      oneLine('C', assessment(done, ['21']), closed('RC9')),  // line 3: RC9
      oneLine('D', assessment(done, ['2A']), closed('RC1')),  // line 4: factors found
      oneLine('E', assessment(done, ['21']) + assessment({ AssessmentActualStartDate: '2024-04-21', AssessmentAuthorisationDate: '2024-04-24' }, ['21']), closed('RC1')), // line 5: two assessments
      oneLine('F', assessment({ AssessmentActualStartDate: '2024-04-02' }, ['21'])), // line 6: not completed
      oneLine('G', assessment(done, ['21'])),                 // line 7: completed, episode open: no reason RC8 or RC9
    ].join('\n'))).toFail([1, 7]).toPass([2, 3, 4, 5, 6]);
  });
});
