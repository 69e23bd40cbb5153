// Worked tests for src/validate/cin/childIdentifiers.ts. The fragment's lines are the file's lines: one <Child> a line.
// Valid UPNs worked out by hand (check letter = Σ character i × i for i = 2…13, mod 23, as a UPN letter):
//   P207000016049: 2×2 + 7×4 + 1×9 + 6×10 + 4×12 + 9×13 = 266 = 11×23 + 13 → P
//   M20112345678A (temporary, A worth 0): 2×2 + 1×4 + 1×5 + 2×6 + 3×7 + 4×8 + 5×9 + 6×10 + 7×11 + 8×12 + 0×13 = 356 = 15×23 + 11 → M
//   B201123456781: the same digits and 1×13: 369 = 16×23 + 1 → B
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

type Fields = Record<string, string>;
/** A child on one line: its identifiers and, optionally, CINdetails written as given. */
const child = (id: Fields, details = '<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralNFA>false</ReferralNFA></CINdetails>') =>
  `<Child><ChildIdentifiers>${Object.entries(id).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</ChildIdentifiers>${details}</Child>`;
const lines = (...children: string[]) => children.join('\n');

describe('CIN census child identifiers', () => {
  it('1510: a UPN whose first letter is not its check letter fails; right check letters pass, temporary ones too', async () => {
    await expectRule('1510', cin(lines(
      child({ LAchildID: 'A', UPN: 'P207000016049' }), // line 1: P is right (266 mod 23 = 13 = P)
      child({ LAchildID: 'B', UPN: 'Q207000016049' }), // line 2: Q is wrong, P is right
      child({ LAchildID: 'C', UPN: 'B201123456781' }), // line 3: B is right (369 mod 23 = 1 = B)
      child({ LAchildID: 'D', UPN: 'M20112345678A' }), // line 4: temporary UPN, A worth 0: 356 mod 23 = 11 = M
      child({ LAchildID: 'E', UPN: 'A20112345678A' }), // line 5: A is wrong for it, M is right
      child({ LAchildID: 'F', UPN: 'X2011234' }),      // line 6: too short to have a check letter: 1550's to report
    ))).toFail([2, 5]).toPass([1, 3, 4, 6]);
  });

  it('1520: two children with the same UPN both fail; a UPN used once passes, and blank UPNs are not compared', async () => {
    await expectRule('1520', cin(lines(
      child({ LAchildID: 'A', UPN: 'P207000016049' }), // line 1: same UPN as line 3
      child({ LAchildID: 'B', UPN: 'B201123456781' }), // line 2: its own
      child({ LAchildID: 'C', UPN: 'P207000016049' }), // line 3: same UPN as line 1
      child({ LAchildID: 'D', UPNunknown: 'UN2' }),    // line 4: no UPN
      child({ LAchildID: 'E', UPNunknown: 'UN2' }),    // line 5: no UPN either: not "the same UPN"
    ))).toFail([1, 3]).toPass([2, 4, 5]);
  });

  it('1530: LA codes 421 and 939 (not listed) fail; 207, 001 and 936 pass', async () => {
    await expectRule('1530', cin(lines(
      child({ LAchildID: 'A', UPN: 'P207000016049' }), // line 1: 207 is an LA code (201-213)
      child({ LAchildID: 'B', UPN: 'A421123456789' }), // line 2: 421 is not (420 is)
      child({ LAchildID: 'C', UPN: 'A001123456789' }), // line 3: 001 is a pseudo-LA code
      child({ LAchildID: 'D', UPN: 'W93600011122Z' }), // line 4: 936 is (935-938)
      child({ LAchildID: 'E', UPN: 'A939123456789' }), // line 5: 939 is not (935-938, 940-941)
    ))).toFail([2, 5]).toPass([1, 3, 4]);
  });

  it('1540: a letter among characters 5-12, or a UPN too short to have them, fails; eight digits pass', async () => {
    await expectRule('1540', cin(lines(
      child({ LAchildID: 'A', UPN: 'P207000016049' }), // line 1: 00001604 all digits
      child({ LAchildID: 'B', UPN: 'P2070000X6049' }), // line 2: X at character 9
      child({ LAchildID: 'C', UPN: 'P2070001' }),      // line 3: characters 5-12 are only '0001'
      child({ LAchildID: 'D', UPN: 'M20112345678A' }), // line 4: 12345678, the letter is character 13
    ))).toFail([2, 3]).toPass([1, 4]);
  });

  it('1550: character 13 I, O or S, or a UPN not 13 characters long, fails; a digit or another letter passes', async () => {
    await expectRule('1550', cin(lines(
      child({ LAchildID: 'A', UPN: 'P207000016049' }),  // line 1: 9
      child({ LAchildID: 'B', UPN: 'M20112345678A' }),  // line 2: A, a temporary UPN
      child({ LAchildID: 'C', UPN: 'M20112345678O' }),  // line 3: O is not used
      child({ LAchildID: 'D', UPN: 'M20112345678S' }),  // line 4: S is not used
      child({ LAchildID: 'E', UPN: 'P2070000160491' }), // line 5: 14 characters
      child({ LAchildID: 'F', UPN: 'P20700001604' }),   // line 6: 12 characters, no character 13
    ))).toFail([3, 4, 5, 6]).toPass([1, 2]);
  });

  it('1560Q: a former UPN with a letter inside, or the wrong length, fails; UPN-shaped ones (temporary too) pass', async () => {
    await expectRule('1560Q', cin(lines(
      child({ LAchildID: 'A', FormerUPN: 'X987654321231' }), // line 1: letter then 12 digits
      child({ LAchildID: 'B', FormerUPN: 'X0000y0000007' }), // line 2: y inside
      child({ LAchildID: 'C', FormerUPN: 'X98721238' }),     // line 3: 9 characters
      child({ LAchildID: 'D', FormerUPN: 'M20112345678A' }), // line 4: a temporary UPN
      child({ LAchildID: 'E', UPN: 'P207000016049' }),       // line 5: no former UPN
      child({ LAchildID: 'F', FormerUPN: '1207000016049' }), // line 6: starts with a digit
    ))).toFail([2, 3, 6]).toPass([1, 4, 5]);
  });

  it('2886Q: with 2 of 51 born children (3.9%) without sex, those 2 fail; the others and the unborn pass', async () => {
    const born = Array.from({ length: 49 }, (_, i) => child({ LAchildID: `K${i}`, PersonBirthDate: '2015-01-01', Sex: 'F' }));
    await expectRule('2886Q', cin(lines(
      child({ LAchildID: 'A', PersonBirthDate: '2015-01-01' }),                // line 1: no Sex
      child({ LAchildID: 'B', PersonBirthDate: '2015-01-01', Sex: 'U' }),      // line 2: U, not recorded
      child({ LAchildID: 'C', ExpectedPersonBirthDate: '2025-05-01', Sex: 'U' }), // line 3: unborn: not counted
      ...born,                                                                  // lines 4-52: M or F
    ))).toFail([1, 2]).toPass([3, 4, 52]);
  });

  it('2886Q: 1 of 51 born children (2.0%) without sex is not more than 2%: none fails', async () => {
    const born = Array.from({ length: 50 }, (_, i) => child({ LAchildID: `K${i}`, PersonBirthDate: '2015-01-01', Sex: 'M' }));
    await expectRule('2886Q', cin(lines(
      child({ LAchildID: 'A', PersonBirthDate: '2015-01-01' }), // line 1: no Sex, but 1/51 = 1.96%
      ...born,                                                   // lines 2-51
    ))).toFailNone().toPass([1, 2, 51]);
  });

  it('8530Q: expected births before 1 March or after 31 December 2025 fail; 1 March and 31 December pass', async () => {
    await expectRule('8530Q', cin(lines(
      child({ LAchildID: 'A', ExpectedPersonBirthDate: '2025-02-28' }), // line 1: before 31 March − 30 days = 1 March
      child({ LAchildID: 'B', ExpectedPersonBirthDate: '2025-03-01' }), // line 2: the first day of the range
      child({ LAchildID: 'C', ExpectedPersonBirthDate: '2025-12-31' }), // line 3: 31 March + 9 months
      child({ LAchildID: 'D', ExpectedPersonBirthDate: '2026-01-01' }), // line 4: after it
      child({ LAchildID: 'E', PersonBirthDate: '2020-01-01' }),         // line 5: born: no expected date
    ))).toFail([1, 4]).toPass([2, 3, 5]);
  });

  it('8770Q: a school-age child with no UPN and no reason, or UN1, fails; a UPN, another reason, a younger child or an NFA referral pass', async () => {
    const nfa = '<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralNFA>true</ReferralNFA></CINdetails>';
    await expectRule('8770Q', cin(lines(
      child({ LAchildID: 'A', PersonBirthDate: '2019-08-31' }),                    // line 1: in reception 2024/25 (born by 31 Aug 2020), no UPN nor reason
      child({ LAchildID: 'B', PersonBirthDate: '2015-01-01', UPNunknown: 'UN1' }), // line 2: UN1 (not of school age) for a 10-year-old
      child({ LAchildID: 'C', PersonBirthDate: '2015-01-01', UPN: 'P207000016049' }), // line 3: has a UPN
      child({ LAchildID: 'D', PersonBirthDate: '2015-01-01', UPNunknown: 'UN3' }), // line 4: a reason other than UN1
      child({ LAchildID: 'E', PersonBirthDate: '2020-09-01', UPNunknown: 'UN1' }), // line 5: born after 31 Aug 2020: not yet of school age
      child({ LAchildID: 'F', PersonBirthDate: '2015-01-01' }, nfa),               // line 6: referral with no further action only
      child({ LAchildID: 'G', PersonBirthDate: '2020-08-31' }),                    // line 7: the last birthday of school age, no UPN
    ))).toFail([1, 2, 7]).toPass([3, 4, 5, 6]);
  });

  it('8775Q: over 25 at 31 March 2025 with an episode open after the 25th birthday fails; one closed before it, or a 24-year-old, passes', async () => {
    const closed = (d: string) => `<CINdetails><CINreferralDate>2024-04-10</CINreferralDate><CINclosureDate>${d}</CINclosureDate></CINdetails>`;
    await expectRule('8775Q', cin(lines(
      child({ LAchildID: 'A', PersonBirthDate: '1999-05-01' }),                       // line 1: 25 on 1 May 2024, episode open
      child({ LAchildID: 'B', PersonBirthDate: '1999-05-01' }, closed('2024-04-30')), // line 2: closed the day before the 25th birthday
      child({ LAchildID: 'C', PersonBirthDate: '1999-05-01' }, closed('2024-06-30')), // line 3: closed after it
      child({ LAchildID: 'D', PersonBirthDate: '2000-04-01' }),                       // line 4: 24 at the census date
    ))).toFail([1, 3]).toPass([2, 4]);
  });
});
