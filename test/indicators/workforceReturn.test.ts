// The workforce return family (CSWW) on two hand-built returns. Every expected number is worked out in
// the comments from the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture, expectRowsAddUp } from '../helpers/fixture.ts';
import { month, yearToDate, type Period } from '../../src/periods.ts';
import type { Figure } from '../../src/engine.ts';
import { INDICATORS } from '../../src/indicators/workforceReturn.ts';

// Return at 30 September 2024 ("in post" = started on or before the census date and not ended on or
// before it; "left in the year" = ended after 30 Sep 2023 and on or before 30 Sep 2024):
//   S1 employed FTE 1.0  North  start 2020-01-01           in post; 10 days lost
//   S2 employed FTE 0.5  North  start 2024-07-01           in post; 2 days lost (started in the year)
//   S3 employed FTE 0.8  South  start 2015-05-01           in post; days lost not recorded
//   S4 employed FTE 0    South  ended 2024-03-31           left in the year
//   S5 employed FTE 0    South  ended 2023-09-30           ended on the census date a year before: not in this year
//   S6 employed FTE 0    North  ended 2024-09-30           ends ON the census date: left in the year, not in post
//   A1 agency   FTE 1.0  North                             in post
//   A2 agency   FTE 0.5  South                             in post
//   A3 agency   FTE 0    South  ended 2024-06-01           agency leaver: not in turnover
// LA level: 2.3 FTE vacancies; NoAgencyFTE 1.5 (not used: the return has agency worker records).
//
// Return at 30 September 2025: S1 employed FTE 1.0 in post; S2 employed, ended 2025-03-31; no agency
// worker records; LA level: 0 vacancies, NoAgencyFTE 0.25.
const csww_workers = [
  { census_date: '2024-09-30', swe_no: 'S1', agency: false, fte: 1.0, team: 'North', role_start_date: '2020-01-01', working_days_lost: 10 },
  { census_date: '2024-09-30', swe_no: 'S2', agency: false, fte: 0.5, team: 'North', role_start_date: '2024-07-01', working_days_lost: 2 },
  { census_date: '2024-09-30', swe_no: 'S3', agency: false, fte: 0.8, team: 'South', role_start_date: '2015-05-01' },
  { census_date: '2024-09-30', swe_no: 'S4', agency: false, fte: 0, team: 'South', role_start_date: '2019-01-01', role_end_date: '2024-03-31', reason_leave: '3' },
  { census_date: '2024-09-30', swe_no: 'S5', agency: false, fte: 0, team: 'South', role_start_date: '2019-01-01', role_end_date: '2023-09-30' },
  { census_date: '2024-09-30', swe_no: 'S6', agency: false, fte: 0, team: 'North', role_start_date: '2018-01-01', role_end_date: '2024-09-30' },
  { census_date: '2024-09-30', swe_no: 'A1', agency: true, fte: 1.0, team: 'North' },
  { census_date: '2024-09-30', swe_no: 'A2', agency: true, fte: 0.5, team: 'South' },
  { census_date: '2024-09-30', swe_no: 'A3', agency: true, fte: 0, team: 'South', role_end_date: '2024-06-01' },
  { census_date: '2025-09-30', swe_no: 'S1', agency: false, fte: 1.0, team: 'North', role_start_date: '2020-01-01', working_days_lost: 0 },
  { census_date: '2025-09-30', swe_no: 'S2', agency: false, fte: 0, team: 'North', role_start_date: '2024-07-01', role_end_date: '2025-03-31' },
];
const csww_vacancies = [
  { census_date: '2024-09-30', vacancies_fte: 2.3, agency_fte: 1.5, agency_headcount: 2 },
  { census_date: '2025-09-30', vacancies_fte: 0, agency_fte: 0.25, agency_headcount: 1 },
];

let f: Fixture;
beforeAll(async () => { f = await fixture({ csww_workers, csww_vacancies }); });
afterAll(() => f.close());

const sep24 = month('2024-09');
const one = async (id: string, p: Period = sep24): Promise<Figure> => (await f.engine.compute(id, [p]))[0];
const byTeam = async (id: string, p: Period = sep24) =>
  (await f.engine.compute(id, [p], { breakdown: 'team' })).map((x) => [x.group, x.numerator, x.denominator]);

describe('workforce return family', () => {
  it('agency rate: agency FTE over agency and employed FTE in post at the census date', async () => {
    // in post with FTE > 0: S1 1.0, S2 0.5, S3 0.8, A1 1.0, A2 0.5 = 3.8; agency A1 + A2 = 1.5 → 1.5 / 3.8 = 39.47%
    const fig = await one('csww.agency_rate');
    expect(fig.numerator).toBeCloseTo(1.5, 10);
    expect(fig.denominator).toBeCloseTo(3.8, 10);
    expect(fig.value).toBeCloseTo(150 / 3.8, 8);
    // North: S1 1.0, S2 0.5, A1 1.0 → 1.0 / 2.5 = 40%; South: S3 0.8, A2 0.5 → 0.5 / 1.3
    const teams = await byTeam('csww.agency_rate');
    expect(teams.map(([g]) => g)).toEqual(['North', 'South']);
    expect(teams[0][1]).toBeCloseTo(1.0, 10); expect(teams[0][2]).toBeCloseTo(2.5, 10);
    expect(teams[1][1]).toBeCloseTo(0.5, 10); expect(teams[1][2]).toBeCloseTo(1.3, 10);
    const rs = await f.engine.rows('csww.agency_rate', sep24);
    expect(rs.map((r) => r.swe_no).sort()).toEqual(['A1', 'A2', 'S1', 'S2', 'S3']);
    // 2025 return: no agency worker records, so the LA-level NoAgencyFTE 0.25 over 0.25 + S1's 1.0 = 20%
    const y25 = await one('csww.agency_rate', month('2025-09'));
    expect(y25.numerator).toBeCloseTo(0.25, 10);
    expect(y25.denominator).toBeCloseTo(1.25, 10);
    expect(y25.value).toBeCloseTo(20, 8);
  });

  it('a return is the figure from its census month for up to a year, never before it', async () => {
    // January 2025 and August 2025 read the 2024 return (census within the year before the month end)
    expect((await one('csww.agency_rate', month('2025-01'))).value).toBeCloseTo(150 / 3.8, 8);
    expect((await one('csww.agency_rate', month('2025-08'))).value).toBeCloseTo(150 / 3.8, 8);
    // year to date to January 2025: its end (31 Jan) reads the 2024 return too
    expect((await one('csww.agency_rate', yearToDate('2025-01'))).value).toBeCloseTo(150 / 3.8, 8);
    // August 2024 is before the first return: nothing
    const aug = await one('csww.agency_rate', month('2024-08'));
    expect(aug.denominator ?? 0).toBe(0);
    expect(aug.value).toBeNull();
  });

  it('vacancy rate: FTE vacancies over vacancies plus employed FTE in post', async () => {
    // 2.3 / (2.3 + S1 1.0 + S2 0.5 + S3 0.8) = 2.3 / 4.6 = 50%
    const fig = await one('csww.vacancy_rate');
    expect(fig.numerator).toBeCloseTo(2.3, 10);
    expect(fig.denominator).toBeCloseTo(4.6, 10);
    expect(fig.value).toBeCloseTo(50, 8);
    // 2025: 0 vacancies over 0 + S1 1.0 = 0%
    expect(await one('csww.vacancy_rate', month('2025-09'))).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
  });

  it('turnover: employed leavers in the year over employed in post at the census date', async () => {
    // leavers S4 (31 Mar 2024), S6 (on the census date) = 2; in post S1, S2, S3 = 3 → 66.67%
    // (S5 ended on 30 Sep 2023, the census date a year earlier: not in this year; A3 is agency)
    const fig = await one('csww.turnover');
    expect(fig).toMatchObject({ numerator: 2, denominator: 3 });
    expect(fig.value).toBeCloseTo(200 / 3, 8);
    const rs = await f.engine.rows('csww.turnover', sep24);
    expect(rs.filter((r) => r.in_numerator).map((r) => `${r.swe_no} ${r.role_end_date}`).sort()).toEqual(['S4 2024-03-31', 'S6 2024-09-30']);
    // North: leaver S6, in post S1, S2 → 1 of 2; South: leaver S4, in post S3 → 1 of 1
    expect(await byTeam('csww.turnover')).toEqual([['North', 1, 2], ['South', 1, 1]]);
    // 2025: S2 left 31 Mar 2025, S1 in post → 1 of 1 = 100%
    expect(await one('csww.turnover', month('2025-09'))).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
  });

  it('absence rate: days lost over FTE times the working days available in the year', async () => {
    // Working days 1 Oct 2023 – 30 Sep 2024: 366 days from a Sunday = 52 weeks (260 weekdays) + Sun 29 and Mon 30 Sep
    // = 261 weekdays, less 8 bank holidays (25, 26 Dec 2023; 1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug 2024) = 253.
    // S1: FTE 1.0 × 253 = 253 available, 10 lost.
    // S2 started 1 Jul 2024: working days 1 Jul – 30 Sep 2024 = July 23 + August 21 (22 weekdays less 26 Aug)
    //     + September 21 = 65; FTE 0.5 × 65 = 32.5 available, 2 lost.
    // S3 has no days lost recorded: left out. → (10 + 2) / (253 + 32.5) = 12 / 285.5 = 4.2032%
    const fig = await one('csww.absence_rate');
    expect(fig.numerator).toBeCloseTo(12, 10);
    expect(fig.denominator).toBeCloseTo(285.5, 10);
    expect(fig.value).toBeCloseTo(1200 / 285.5, 8);
    const rs = await f.engine.rows('csww.absence_rate', sep24);
    expect(rs.map((r) => `${r.swe_no} ${r.days_available}`).sort()).toEqual(['S1 253', 'S2 32.5']);
  });

  it('every indicator: the rows add up to the figure', async () => {
    await expectRowsAddUp(f.engine, INDICATORS, [sep24, month('2025-01'), month('2025-09'), yearToDate('2025-01')]);
  });
});
