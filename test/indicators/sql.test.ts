// The SQL macros count exactly as the TypeScript functions they mirror.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from '../helpers/fixture.ts';
import { prepareMacros } from '../../src/indicators/sql.ts';
import { addMonths, addYears, addWorkingDays, addDays, workingDaysBetween } from '../../src/calendar.ts';
import { REFERRAL_SOURCE, ETHNICITY, referralSourceGroup, ethnicGroup } from '../../src/codes.ts';

let f: Fixture;
beforeAll(async () => { f = await fixture({}); await prepareMacros(f.store); });
afterAll(() => f.close());

const scalar = async (sql: string): Promise<unknown> => Object.values((await f.store.query(`SELECT ${sql} AS v`))[0])[0];

describe('SQL macros agree with calendar.ts and codes.ts', () => {
  const dates = ['2024-02-29', '2024-01-31', '2023-03-31', '2022-12-23', '2023-05-05', '2020-05-08', '2012-06-01', '2011-04-28'];
  it('add_years and add_months', async () => {
    for (const d of dates) for (const n of [-2, -1, 1, 2, 4]) {
      expect(await scalar(`add_years(DATE '${d}', ${n})`)).toBe(addYears(d, n));
      expect(await scalar(`add_months(DATE '${d}', ${n * 6})`)).toBe(addMonths(d, n * 6));
    }
  });
  it('working_days and add_working_days, across bank holidays', async () => {
    for (const d of dates) for (const n of [1, 3, 15, 45]) {
      const end = addDays(d, n * 2);
      expect(await scalar(`working_days(DATE '${d}', DATE '${end}')`)).toBe(workingDaysBetween(d, end));
      expect(await scalar(`add_working_days(DATE '${d}', ${n})`)).toBe(addWorkingDays(d, n));
    }
  });
  it('age_years: a birthday is reached on the day; 29 February birthdays on 1 March', async () => {
    expect(await scalar(`age_years(DATE '2008-03-31', DATE '2024-03-31')`)).toBe(16);
    expect(await scalar(`age_years(DATE '2008-03-31', DATE '2024-03-30')`)).toBe(15);
    expect(await scalar(`age_years(DATE '2008-02-29', DATE '2025-02-28')`)).toBe(16);
    expect(await scalar(`age_years(DATE '2008-02-29', DATE '2025-03-01')`)).toBe(17);
    expect(await scalar(`age_band(DATE '2024-06-01', DATE '2025-05-31')`)).toBe('Under 1');
    expect(await scalar(`age_band(DATE '2009-01-31', DATE '2025-01-31')`)).toBe('16 and over');
  });
  it('source_group and ethnic_group for every code', async () => {
    for (const code of [...Object.keys(REFERRAL_SOURCE), '', 'XX']) {
      expect(await scalar(`source_group('${code}')`)).toBe(referralSourceGroup(code || null));
    }
    for (const code of [...Object.keys(ETHNICITY), '']) {
      expect(await scalar(`ethnic_group('${code}')`)).toBe(ethnicGroup(code || null));
    }
  });
});
