// Worked tests for src/validate/ssda903/ofsted.ts, and the staging of the Ofsted provider list (row i is line i + 2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStaging } from '../../../src/validate/run.ts';
import { stageOfstedProviders } from '../../../src/validate/staging.ts';
import { expectRule, ssda903 } from '../expectRule.ts';

const ep = (CHILD: string, URN: string, more: Record<string, string> = {}) =>
  ({ CHILD, DECOM: '01/06/2024', DEC: '', RNE: 'S', LS: 'C2', PLACE: 'K2', PLACE_PROVIDER: 'PR4', PL_POST: 'AB1 2CD', URN, ...more });
const providers = [
  { URN: 'SC100001', PROVIDER_TYPE: "Children's home", SECTOR: 'Private', POSTCODE: 'AB1 2CD', REGISTERED: '01/01/2020', CLOSED: '' },
  { URN: 'SC100002', PROVIDER_TYPE: "Children's home", SECTOR: 'Local Authority', POSTCODE: 'ZZ9 9ZZ', REGISTERED: '01/07/2024', CLOSED: '01/12/2024' },
];

describe('SSDA903 against the Ofsted provider list', () => {
  it('stages Ofsted\'s CSV by its headings, whatever their case and punctuation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csc-ofsted-'));
    const db = await openStaging('ssda903', 2024);
    try {
      const path = join(dir, 'providers.csv');
      writeFileSync(path, 'URN,Provider type,Sector,Local authority,Setting postcode,Registration date,Closure date\n' +
        "SC100001,Children's home,Private,Leeds,LS1 1AA,01/01/2020,\nSC100002,Secure children's home,Local Authority,York,YO1 1AA,01/02/2021,01/03/2024\n");
      await stageOfstedProviders(db.conn, path, 'providers.csv');
      const rows = (await db.conn.runAndReadAll('SELECT * FROM ofsted_providers ORDER BY line')).getRowObjectsJS();
      expect(rows).toEqual([
        { file: 'providers.csv', line: 2, URN: 'SC100001', PROVIDER_TYPE: "Children's home", SECTOR: 'Private', LA: 'Leeds', POSTCODE: 'LS1 1AA', REGISTERED: '01/01/2020', CLOSED: null, PLACE_CODES: null },
        { file: 'providers.csv', line: 3, URN: 'SC100002', PROVIDER_TYPE: "Secure children's home", SECTOR: 'Local Authority', LA: 'York', POSTCODE: 'YO1 1AA', REGISTERED: '01/02/2021', CLOSED: '01/03/2024', PLACE_CODES: null },
      ]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('221: a placement postcode other than the provider\'s fails', async () => {
    await expectRule('221', ssda903({
      ofsted_providers: providers,
      episodes: [
        ep('A', 'SC100002'), //                      line 2: SC100002 is at ZZ9 9ZZ
        ep('B', 'SC100001', { PL_POST: 'ab12cd' }), // line 3: the same postcode, written differently
        ep('C', 'SC999999'), //                      line 4: URN not in the list
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('224: a placement provider code the provider\'s sector does not allow fails', async () => {
    await expectRule('224', ssda903({
      ofsted_providers: providers,
      episodes: [
        ep('A', 'SC100002', { PLACE_PROVIDER: 'PR4', DECOM: '01/08/2024' }), // line 2: private, but a local authority's home
        ep('B', 'SC100002', { PLACE_PROVIDER: 'PR2', DECOM: '01/08/2024' }), // line 3: another LA's
        ep('C', 'SC100001', { PLACE_PROVIDER: 'PR4' }), //                     line 4: private
      ],
    })).toFail([2]).toPass([3, 4]);
  });

  it('227: an episode starting before registration or after closure fails', async () => {
    await expectRule('227', ssda903({
      ofsted_providers: providers,
      episodes: [
        ep('A', 'SC100002', { DECOM: '01/06/2024', DEC: '01/08/2024', REC: 'E8' }), // line 2: registered 1 July
        ep('B', 'SC100002', { DECOM: '01/07/2024', DEC: '01/08/2024', REC: 'E8' }), // line 3: the day it was registered
        ep('C', 'SC100002', { DECOM: '02/12/2024', DEC: '05/12/2024', REC: 'E8' }), // line 4: after it closed
      ],
    })).toFail([2, 4]).toPass([3]);
  });

  it('228: an episode ending after the provider closed fails', async () => {
    await expectRule('228', ssda903({
      ofsted_providers: providers,
      episodes: [
        ep('A', 'SC100002', { DECOM: '01/08/2024', DEC: '02/12/2024', REC: 'E8' }), // line 2: closed 1 December
        ep('B', 'SC100002', { DECOM: '01/08/2024', DEC: '01/12/2024', REC: 'E8' }), // line 3: ended the day it closed
        ep('C', 'SC100002', { DECOM: '01/08/2024' }), //                              line 4: open at 31 March, after closure
        ep('D', 'SC100001', { DECOM: '01/08/2024' }), //                              line 5: still open provider
      ],
    })).toFail([2, 4]).toPass([3, 5]);
  });

  it('219: a placement type the provider does not offer fails (its PLACE_CODES, else by its Ofsted type)', async () => {
    await expectRule('219', ssda903({
      ofsted_providers: [
        ...providers, // SC100001, SC100002: children's homes, no PLACE_CODES, so K2 by type
        { URN: 'SC100003', PROVIDER_TYPE: 'Independent fostering agency', SECTOR: 'Private' }, //   U1–U6 by type
        { URN: 'SC100004', PROVIDER_TYPE: 'Residential special school', PLACE_CODES: 'S1, K2' }, // its own list wins
        { URN: 'SC100005', PROVIDER_TYPE: 'Residential holiday scheme for disabled children' }, //  a type not mapped
      ],
      episodes: [
        ep('A', 'SC100001', { PLACE: 'K1' }), // line 2: secure children's home at an ordinary children's home
        ep('B', 'SC100001', { PLACE: 'K2' }), // line 3: children's home
        ep('C', 'SC100003', { PLACE: 'K2' }), // line 4: a children's home placement at a fostering agency
        ep('D', 'SC100003', { PLACE: 'U4' }), // line 5: foster placement with an IFA
        ep('E', 'SC100004', { PLACE: 'K2' }), // line 6: in the provider's own PLACE_CODES
        ep('F', 'SC100004', { PLACE: 'U6' }), // line 7: not in them
        ep('G', 'SC100005', { PLACE: 'T3' }), // line 8: type not mapped, no PLACE_CODES: not judged
        ep('H', 'SC999999', { PLACE: 'K1' }), // line 9: URN not in the list
      ],
    })).toFail([2, 4, 7]).toPass([3, 5, 6, 8, 9]);
  });

  it('229: own provision (PR1) outside the LA, or another LA\'s (PR2) inside it, by the provider\'s postcode, fails', async () => {
    // this authority is E06000001; SC100001's postcode AB1 2CD is in it, SC100002's ZZ9 9ZZ in E06000002
    const postcodes = [
      { pcd: 'AB1 2CD', laua: 'E06000001', oseast1m: '400000', osnrth1m: '500000' },
      { pcd: 'ZZ9 9ZZ', laua: 'E06000002', oseast1m: '410000', osnrth1m: '500000' },
    ];
    await expectRule('229', ssda903({
      ofsted_providers: [...providers, { URN: 'SC100006', PROVIDER_TYPE: "Children's home", POSTCODE: 'QQ1 1QQ' }],
      postcodes, own_la: [{ code: 'E06000001' }],
      episodes: [
        ep('A', 'SC100001', { PLACE_PROVIDER: 'PR1' }), //               line 2: own provision, in the LA
        ep('B', 'SC100002', { PLACE_PROVIDER: 'PR1', DECOM: '01/08/2024' }), // line 3: own provision, provider in E06000002
        ep('C', 'SC100001', { PLACE_PROVIDER: 'PR2' }), //               line 4: another LA's, but in this LA
        ep('D', 'SC100002', { PLACE_PROVIDER: 'PR2', DECOM: '01/08/2024' }), // line 5: another LA's, in another LA
        ep('E', 'SC100001', { PLACE_PROVIDER: 'PR2', PLACE: 'R1' }), //   line 6: a care home: not judged
        ep('F', 'SC100006', { PLACE_PROVIDER: 'PR1' }), //               line 7: provider postcode not in the lookup
        ep('G', 'SC100002', { PLACE_PROVIDER: 'PR4', DECOM: '01/08/2024' }), // line 8: private: not judged
      ],
    })).toFail([3, 4]).toPass([2, 5, 6, 7, 8]);
  });
});
