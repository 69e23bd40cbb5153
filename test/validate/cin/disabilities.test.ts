// Worked tests for src/validate/cin/disabilities.ts. The fragment's lines are the file's lines: one <Child> a line;
// the Message and Header are on line 1, with the first child.
import { describe, it } from 'vitest';
import { cin, expectRule } from '../expectRule.ts';

/** A child on one line with these disability codes. */
const child = (id: string, ...codes: string[]) =>
  `<Child><ChildIdentifiers><LAchildID>${id}</LAchildID></ChildIdentifiers><ChildCharacteristics><Disabilities>` +
  `${codes.map((c) => `<Disability>${c}</Disability>`).join('')}</Disabilities></ChildCharacteristics></Child>`;
const lines = (...children: string[]) => children.join('\n');

describe('CIN census disabilities across the return', () => {
  it('2887Q: a return using 7 codes (NONE not counted) fails on its header; its children are not at fault', async () => {
    await expectRule('2887Q', cin(lines(
      child('A', 'AUT', 'BEH'),  // line 1 (the header's line too): 2 codes
      child('B', 'COM', 'CON'),  // line 2: 4
      child('C', 'DDA', 'HAND'), // line 3: 6
      child('D', 'HEAR'),        // line 4: 7
      child('E', 'NONE'),        // line 5: NONE is not a disability code used
      child('F', 'AUT'),         // line 6: AUT again: still 7
    ))).toFail(['header:1']).toPass(['disabilities:1', 'disabilities:6']);
  });

  it('2887Q: a return using 8 codes passes', async () => {
    await expectRule('2887Q', cin(lines(
      child('A', 'AUT', 'BEH'),        // line 1
      child('B', 'COM', 'CON', 'DDA'), // line 2
      child('C', 'HAND', 'HEAR'),      // line 3: 7 codes
      child('D', 'LD'),                // line 4: the 8th
    ))).toFailNone().toPass(['header:1', 'disabilities:4']);
  });

  it('2888Q: when every child with a disability has one code, the return fails on its header', async () => {
    await expectRule('2888Q', cin(lines(
      child('A', 'AUT'),          // line 1 (the header's line too): one code
      child('B', 'NONE', 'NONE'), // line 2: NONE is not a disability
      child('C', 'HEAR'),         // line 3: one code
      child('D', 'HEAR', 'HEAR'), // line 4: the same code twice is still one disability
    ))).toFail(['header:1']).toPass(['disabilities:1', 'disabilities:3']);
  });

  it('2888Q: one child with two disabilities is enough for the return to pass', async () => {
    await expectRule('2888Q', cin(lines(
      child('A', 'AUT'),        // line 1: one code
      child('B', 'HEAR', 'VIS'), // line 2: two
    ))).toFailNone().toPass(['header:1', 'disabilities:2']);
  });
});
