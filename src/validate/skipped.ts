// DfE rules deliberately not checked, each with the reason a finding report shows. A rule that only needs an
// optional input (last year's return, postcode distances, the Ofsted provider list) is not skipped here: it is
// implemented with `needs`, and skipped at run time only when the input is not given.
import type { Return } from './catalogue.ts';

export interface Skipped {
  code: string;
  return: Return;
  reason: string;
}

/** SSDA903: the readers keep no UASC flag of its own (src/ingest/ssda903Xml.ts turns <UASC>1</UASC> into a UASC row; a CSV return has no flag). */
const NO_UASC_FLAG = 'the return\'s UASC status flag is not kept as a value: a child is UASC when it has a UASC row (the XML reader makes one from <UASC>1</UASC>; a CSV return has no flag)';

export const SKIPPED: readonly Skipped[] = [
  {
    code: '411', return: 'ssda903',
    reason: "PL_LOCATION (placed inside or outside the LA) is not in the return: DfE derives it from PL_LA and the LA's own code, " +
      'and so does CSC Scorecard (rules 179, 503J, with the postcode lookup and --la), so the two can never disagree',
  },
  { code: '105', return: 'ssda903', reason: `${NO_UASC_FLAG}, so an invalid or missing flag cannot be seen` },
  { code: '303', return: 'ssda903', reason: `${NO_UASC_FLAG}; a DUC is only ever given in a UASC row, so a DUC without UASC status cannot occur` },
  { code: '205C', return: 'ssda903', reason: `${NO_UASC_FLAG}; a DUC is only ever given in a UASC row, so "not UASC either year but a DUC given" cannot occur` },
];
