// SSDA903 internal checks across tables (INT): every child of a table is in the Header, with the Header's DOB and
// SEX, and the tables with one row per child have one row per child. Worked tests: test/validate/ssda903/internal.test.ts.
// A return's tables are separate files, so rows are matched on CHILD across files (blank CHILDs are other rules').
import { rules, type Rule } from '../types.ts';

/** "Child in X does not exist in Header." */
function inHeader(code: string, table: string, name: string): Rule {
  return {
    code, return: 'ssda903', severity: 'error',
    message: `${code === 'INT01' ? 'Data Integrity Check' : 'Internal Check'}: Child in ${name} does not exist in Header.`,
    fields: ['CHILD'], tables: [table, 'header'],
    sql: `SELECT t.file, t.line, t.CHILD AS child_id, 'CHILD' AS field, 'CHILD ' || trim(t.CHILD) AS value
          FROM ${table} t WHERE NOT blank(t.CHILD)
            AND NOT EXISTS (SELECT 1 FROM header h WHERE trim(h.CHILD) = trim(t.CHILD))`,
  };
}

/** "DOB in X is different to DOB in Header." Both given; compared as dates when both are dates, else as written. */
function sameDob(code: string, table: string, name: string): Rule {
  return {
    code, return: 'ssda903', severity: 'error',
    message: `Internal Check: DOB in ${name} is different to DOB in Header.`,
    fields: ['DOB'], tables: [table, 'header'],
    sql: `SELECT DISTINCT t.file, t.line, t.CHILD AS child_id, 'DOB' AS field,
                 'DOB ' || trim(t.DOB) || ', Header DOB ' || trim(h.DOB) AS value
          FROM ${table} t JOIN header h ON trim(h.CHILD) = trim(t.CHILD)
          WHERE NOT blank(t.DOB) AND NOT blank(h.DOB)
            AND CASE WHEN uk_date(t.DOB) IS NOT NULL AND uk_date(h.DOB) IS NOT NULL THEN uk_date(t.DOB) <> uk_date(h.DOB)
                     ELSE trim(t.DOB) <> trim(h.DOB) END`,
  };
}

/** "Child should only exist once in X." Every row of the child after its first is flagged (as the loader does). */
function once(code: string, table: string, name: string): Rule {
  return {
    code, return: 'ssda903', severity: 'error',
    message: `Internal Check: Child should only exist once in ${name}.`,
    fields: ['CHILD'], tables: [table],
    sql: `SELECT file, line, CHILD AS child_id, 'CHILD' AS field,
                 'CHILD ' || trim(CHILD) || ' on ' || count(*) OVER (PARTITION BY trim(CHILD)) || ' rows' AS value
          FROM ${table} WHERE NOT blank(CHILD)
          QUALIFY row_number() OVER (PARTITION BY trim(CHILD) ORDER BY file, line) > 1`,
  };
}

export default rules(
  inHeader('INT01', 'ad1', 'AD1'),
  inHeader('INT02', 'placed_for_adoption', 'PlacedAdoption'),
  inHeader('INT03', 'episodes', 'Episodes'),
  inHeader('INT04', 'missing', 'Missing'),
  inHeader('INT05', 'oc2', 'OC2'),
  inHeader('INT06', 'oc3', 'OC3'),
  inHeader('INT07', 'previous_permanence', 'PrevPerm'),
  inHeader('INT08', 'reviews', 'Reviews'),
  inHeader('INT09', 'uasc', 'UASC'),
  sameDob('INT11', 'ad1', 'AD1'),
  sameDob('INT12', 'placed_for_adoption', 'PlacedAdoption'),
  sameDob('INT13', 'missing', 'Missing'),
  sameDob('INT14', 'oc2', 'OC2'),
  sameDob('INT15', 'oc3', 'OC3'),
  sameDob('INT16', 'previous_permanence', 'PrevPerm'),
  sameDob('INT17', 'reviews', 'Reviews'),
  sameDob('INT18', 'uasc', 'UASC'),
  {
    code: 'INT21', return: 'ssda903', severity: 'error',
    message: 'Internal Check: SEX in UASC is different to SEX in Header.',
    fields: ['SEX'], tables: ['uasc', 'header'],
    sql: `SELECT DISTINCT u.file, u.line, u.CHILD AS child_id, 'SEX' AS field, 'SEX ' || trim(u.SEX) || ', Header SEX ' || trim(h.SEX) AS value
          FROM uasc u JOIN header h ON trim(h.CHILD) = trim(u.CHILD)
          WHERE NOT blank(u.SEX) AND NOT blank(h.SEX) AND trim(u.SEX) <> trim(h.SEX)`,
  },
  once('INT31', 'ad1', 'AD1'),
  once('INT32', 'header', 'Header'),
  once('INT33', 'oc2', 'OC2'),
  once('INT34', 'oc3', 'OC3'),
  once('INT35', 'previous_permanence', 'PrevPerm'),
  once('INT36', 'uasc', 'UASC'),
);
