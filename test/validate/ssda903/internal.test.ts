// Worked tests for src/validate/ssda903/internal.ts: each builds a tiny return by hand (row i is line i + 2).
// The same three cases for every table: the fixtures are built by the functions below, and each says which lines
// fail and why.
import { describe, it } from 'vitest';
import type { Ssda903Table } from '../../../src/ingest/ssda903.ts';
import { expectRule, ssda903 } from '../expectRule.ts';

const header = [
  { CHILD: 'A', SEX: '1', DOB: '01/02/2015' }, // header line 2
  { CHILD: 'B', SEX: '2', DOB: '03/04/2016' }, // header line 3
];

/** Line 3's child Z is not in the Header (fails); lines 2 and 4, A and B, are (pass). */
const notInHeader = (table: Ssda903Table) => ssda903({
  header,
  [table]: [{ CHILD: 'A', DOB: '01/02/2015' }, { CHILD: 'Z', DOB: '01/02/2015' }, { CHILD: 'B', DOB: '03/04/2016' }],
});

/**
 * Line 3 gives B's DOB with day and month swapped (fails); line 2 is A's Header DOB, line 4 is blank (not compared:
 * another rule's), line 5's child is not in the Header (INT01-INT09's) — they pass.
 */
const otherDob = (table: Ssda903Table) => ssda903({
  header,
  [table]: [{ CHILD: 'A', DOB: '01/02/2015' }, { CHILD: 'B', DOB: '04/03/2016' }, { CHILD: 'B', DOB: '' }, { CHILD: 'Z', DOB: '01/01/2010' }],
});

/** A on lines 2 and 4: line 4 fails (the first row stands); B once, on line 3, passes. */
const twice = (table: Ssda903Table) => ssda903({
  [table]: [{ CHILD: 'A', DOB: '01/02/2015' }, { CHILD: 'B', DOB: '03/04/2016' }, { CHILD: 'A', DOB: '01/02/2015' }],
});

describe('SSDA903: every child of a table is in the Header', () => {
  it('INT01 AD1', async () => { await expectRule('INT01', notInHeader('ad1')).toFail([3]).toPass([2, 4]); });
  it('INT02 PlacedAdoption', async () => { await expectRule('INT02', notInHeader('placed_for_adoption')).toFail([3]).toPass([2, 4]); });
  it('INT03 Episodes', async () => {
    await expectRule('INT03', ssda903({
      header,
      episodes: [
        { CHILD: 'A', DECOM: '01/05/2024' }, // line 2: in the Header
        { CHILD: 'C', DECOM: '01/05/2024' }, // line 3: not
      ],
    })).toFail([3]).toPass([2]);
  });
  it('INT04 Missing', async () => { await expectRule('INT04', notInHeader('missing')).toFail([3]).toPass([2, 4]); });
  it('INT05 OC2', async () => { await expectRule('INT05', notInHeader('oc2')).toFail([3]).toPass([2, 4]); });
  it('INT06 OC3', async () => { await expectRule('INT06', notInHeader('oc3')).toFail([3]).toPass([2, 4]); });
  it('INT07 PrevPerm', async () => { await expectRule('INT07', notInHeader('previous_permanence')).toFail([3]).toPass([2, 4]); });
  it('INT08 Reviews', async () => { await expectRule('INT08', notInHeader('reviews')).toFail([3]).toPass([2, 4]); });
  it('INT09 UASC', async () => { await expectRule('INT09', notInHeader('uasc')).toFail([3]).toPass([2, 4]); });
});

describe('SSDA903: a table\'s DOB and SEX are the Header\'s', () => {
  it('INT11 AD1', async () => { await expectRule('INT11', otherDob('ad1')).toFail([3]).toPass([2, 4, 5]); });
  it('INT12 PlacedAdoption', async () => { await expectRule('INT12', otherDob('placed_for_adoption')).toFail([3]).toPass([2, 4, 5]); });
  it('INT13 Missing', async () => { await expectRule('INT13', otherDob('missing')).toFail([3]).toPass([2, 4, 5]); });
  it('INT14 OC2', async () => { await expectRule('INT14', otherDob('oc2')).toFail([3]).toPass([2, 4, 5]); });
  it('INT15 OC3', async () => { await expectRule('INT15', otherDob('oc3')).toFail([3]).toPass([2, 4, 5]); });
  it('INT16 PrevPerm', async () => { await expectRule('INT16', otherDob('previous_permanence')).toFail([3]).toPass([2, 4, 5]); });
  it('INT17 Reviews', async () => { await expectRule('INT17', otherDob('reviews')).toFail([3]).toPass([2, 4, 5]); });
  it('INT18 UASC', async () => { await expectRule('INT18', otherDob('uasc')).toFail([3]).toPass([2, 4, 5]); });
  it('INT21: a SEX in UASC other than the Header\'s fails; the same passes', async () => {
    await expectRule('INT21', ssda903({
      header,
      uasc: [
        { CHILD: 'A', SEX: '1', DOB: '01/02/2015' }, // line 2: the Header's
        { CHILD: 'B', SEX: '1', DOB: '03/04/2016' }, // line 3: the Header says 2
      ],
    })).toFail([3]).toPass([2]);
  });
});

describe('SSDA903: one row per child', () => {
  it('INT31 AD1', async () => { await expectRule('INT31', twice('ad1')).toFail([4]).toPass([2, 3]); });
  it('INT32 Header', async () => { await expectRule('INT32', twice('header')).toFail([4]).toPass([2, 3]); });
  it('INT33 OC2', async () => { await expectRule('INT33', twice('oc2')).toFail([4]).toPass([2, 3]); });
  it('INT34 OC3', async () => { await expectRule('INT34', twice('oc3')).toFail([4]).toPass([2, 3]); });
  it('INT35 PrevPerm', async () => { await expectRule('INT35', twice('previous_permanence')).toFail([4]).toPass([2, 3]); });
  it('INT36 UASC', async () => { await expectRule('INT36', twice('uasc')).toFail([4]).toPass([2, 3]); });
});
