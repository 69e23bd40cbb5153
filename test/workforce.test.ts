// The children's social work workforce return (CSWW) through the load path: XML and CSV, findings with
// file, line, field and rule, DOCTYPE refused, ids kept as text, idempotence, supersede and rollback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store.ts';
import { detectKind, loadFile, rollbackLoad, validateFile } from '../src/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'csc-csww-'));
let store: Store;
beforeAll(async () => { store = await Store.open(join(dir, 'test.duckdb')); });
afterAll(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Line numbers matter: each <CSWWWorker> starts on the line noted.
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CSWW</Collection><Year>2024</Year><ReferenceDate>2024-09-30</ReferenceDate></CollectionDetails>
  </Header>
  <LALevelVacancies><NumberOfVacancies>2.5</NumberOfVacancies><NoAgencyFTE>1.5</NoAgencyFTE><NoAgencyHeadcount>2</NoAgencyHeadcount></LALevelVacancies>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker><SWENo>SW0001234</SWENo><FTE>0.8</FTE><OrgRole>5</OrgRole><QualInst>Somewhere</QualInst>
    <RoleStartDate>2020-01-06</RoleStartDate><FTE30>0.8</FTE30><Cases30>17</Cases30><WorkingDaysLost>4.5</WorkingDaysLost>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker><SWENo>SW0005678</SWENo><FTE>0</FTE><RoleStartDate>2019-03-01</RoleStartDate>
    <RoleEndDate>2024-05-31</RoleEndDate><ReasonLeave>3</ReasonLeave>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>1</AgencyWorker><SWENo>00991</SWENo><FTE>1.5</FTE>
  </CSWWWorker>
  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker><FTE>1</FTE>
  </CSWWWorker>
</Message>
`;

describe('CSWW XML', () => {
  it('is recognised by its content and validated with file, line, field and rule', async () => {
    const path = file('csww_2024.xml', XML);
    expect(detectKind(path)).toBe('workforce');
    const r = await validateFile(path);
    expect(r.status).toBe('loaded');
    // 4 workers: the first two are fine; FTE 1.5 is not an FTE (line 15); the last has no SWENo (line 18)
    expect(r.rowsLoaded).toEqual({ csww_vacancies: 1, csww_workers: 2 });
    const errors = r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.row} ${f.field} ${f.value}`);
    expect(errors).toEqual(['CSC505 15 FTE 1.5', 'CSC507 18 SWENo null']);
    expect(r.findings.find((f) => f.code === 'CSC506')).toMatchObject({ field: 'QualInst', row: 7, severity: 'warning' });
    expect(r.findings[0].message).toMatch(/^csww_2024\.xml line \d+: /);
    expect(r.summary).toMatchObject({ collectionYear: 2024, periodStart: '2023-10-01', periodEnd: '2024-09-30' });
  });

  it('loads into csww_workers and csww_vacancies, ids as text; the same file twice changes nothing', async () => {
    const path = join(dir, 'csww_2024.xml');
    const first = await loadFile(store, path);
    expect(first.status).toBe('loaded');
    const rows = await store.query<{ swe_no: string; fte: number; agency: boolean; role_end_date: string | null; cases30: number | null; source_row: number }>(
      'SELECT swe_no, fte, agency, role_end_date, cases30, source_row FROM main.csww_workers ORDER BY swe_no');
    expect(rows).toEqual([
      { swe_no: 'SW0001234', fte: 0.8, agency: false, role_end_date: null, cases30: 17, source_row: 7 },
      { swe_no: 'SW0005678', fte: 0, agency: false, role_end_date: '2024-05-31', cases30: null, source_row: 11 },
    ]);
    expect(await store.query('SELECT census_date, vacancies_fte, agency_fte, agency_headcount FROM main.csww_vacancies'))
      .toEqual([{ census_date: '2024-09-30', vacancies_fte: 2.5, agency_fte: 1.5, agency_headcount: 2 }]);
    const again = await loadFile(store, path);
    expect(again.status).toBe('unchanged');
    expect((await store.query('SELECT count(*)::INT AS n FROM loaded.csww_workers'))[0]).toEqual({ n: 2 });
  });

  it('a corrected return for the same census date supersedes the first; rollback brings it back', async () => {
    const corrected = file('csww_2024_v2.xml', XML.replace('<NumberOfVacancies>2.5', '<NumberOfVacancies>3.0').replace('<FTE>1.5</FTE>', '<FTE>1</FTE>'));
    const r = await loadFile(store, corrected);
    expect(r.status).toBe('loaded');
    expect(r.superseded.length).toBe(1);
    expect((await store.query('SELECT vacancies_fte FROM main.csww_vacancies'))).toEqual([{ vacancies_fte: 3 }]);
    expect((await store.query('SELECT swe_no FROM main.csww_workers ORDER BY 1')).map((x) => x.swe_no)).toEqual(['00991', 'SW0001234', 'SW0005678']);
    await rollbackLoad(store, r.loadId!);
    expect((await store.query('SELECT vacancies_fte FROM main.csww_vacancies'))).toEqual([{ vacancies_fte: 2.5 }]);
    expect((await store.query('SELECT count(*)::INT AS n FROM main.csww_workers'))[0]).toEqual({ n: 2 });
  });

  it('refuses a DOCTYPE, a return with no census date, and XML that is not well-formed', async () => {
    const doctype = await validateFile(file('doctype.xml', `<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY x "y">]>\n${XML.split('\n').slice(1).join('\n')}`));
    expect(doctype.status).toBe('rejected');
    expect(doctype.findings.map((f) => `${f.code} ${f.row}`)).toEqual(['CSC501 2']);
    const noDate = await validateFile(file('nodate.xml', '<Message><CSWWWorker><SWENo>1</SWENo></CSWWWorker></Message>'));
    expect(noDate.status).toBe('rejected');
    expect(noDate.findings[0].code).toBe('CSC504');
    const broken = await validateFile(file('broken.xml', XML.replace('</CSWWWorker>\n  <CSWWWorker>\n    <AgencyWorker>1', '<CSWWWorker>\n    <AgencyWorker>1')));
    expect(broken.status).toBe('rejected');
    expect(broken.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['CSC502']);
  });
});

describe('CSWW CSV', () => {
  it('reads worker records by header name (any case), with dd/mm/yyyy dates and a Team column', async () => {
    const path = file('csww_workers.csv', [
      'ReferenceDate,SWENo,AgencyWorker,FTE,OrgRole,RoleStartDate,RoleEndDate,WorkingDaysLost,team,Frontline',
      '30/09/2025,SW0001234,0,1,5,06/01/2020,,3,North,x',
      '30/09/2025,SW0007777,0,0.6,5,01/07/2025,,0,South,',
      '30/09/2025,SW0008888,no,0,5,01/01/2021,31/02/2025,,South,',
    ].join('\n') + '\n');
    expect(detectKind(path)).toBe('workforce');
    const r = await validateFile(path);
    expect(r.rowsLoaded).toEqual({ csww_workers: 2 });
    expect(r.findings.map((f) => `${f.severity} ${f.code} ${f.row} ${f.field}`)).toEqual([
      'warning CSC508 1 Frontline', 'error CSC505 4 RoleEndDate',
    ]);
    expect(r.summary).toMatchObject({ parts: ['workers'], collectionYear: 2025, periodEnd: '2025-09-30' });
    const loaded = await loadFile(store, path);
    expect(loaded.status).toBe('loaded');
    expect(await store.query(`SELECT swe_no, team, role_start_date FROM main.csww_workers WHERE census_date = DATE '2025-09-30' ORDER BY 1`)).toEqual([
      { swe_no: 'SW0001234', team: 'North', role_start_date: '2020-01-06' },
      { swe_no: 'SW0007777', team: 'South', role_start_date: '2025-07-01' },
    ]);
  });

  it('reads a vacancies CSV and refuses one without ReferenceDate', async () => {
    const ok = await validateFile(file('csww_vacancies.csv', 'ReferenceDate,NumberOfVacancies,NoAgencyFTE,NoAgencyHeadcount\n2025-09-30,1.5,0.25,1\n'));
    expect(ok.rowsLoaded).toEqual({ csww_vacancies: 1 });
    const bad = await validateFile(file('csww_vac_nodate.csv', 'NumberOfVacancies,NoAgencyFTE\n1,2\n'));
    expect(bad.status).toBe('rejected');
    expect(bad.findings.map((f) => `${f.code} ${f.row} ${f.field}`)).toEqual(['CSC504 1 ReferenceDate']);
  });
});

describe('supervision records as native events', () => {
  it('loads supervisions from the event feed (CSV with a type column)', async () => {
    const path = file('supervision.csv', 'type,worker_id,supervision_date,supervisor_id\nsupervisions,SW00016,2025-01-14,SW00002\nsupervisions,SW00017,14/01/2025,SW00002\nsupervisions,,2025-01-15,SW00002\n');
    expect(detectKind(path)).toBe('events');
    const r = await loadFile(store, path);
    expect(r.rowsLoaded).toEqual({ supervisions: 2 });
    expect(r.findings.map((f) => `${f.code} ${f.row}`)).toEqual(['CSC103 4']);
    expect(await store.query('SELECT worker_id, supervision_date FROM main.supervisions ORDER BY 1')).toEqual([
      { worker_id: 'SW00016', supervision_date: '2025-01-14' }, { worker_id: 'SW00017', supervision_date: '2025-01-14' },
    ]);
  });
});
