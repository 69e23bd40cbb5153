// DfE rules deliberately not checked, each with the reason a finding report shows. A rule that only needs an
// optional input (last year's return, postcode distances, the Ofsted provider list) is not skipped here: it is
// implemented with `needs`, and skipped at run time only when the input is not given.
import type { Return } from './catalogue.ts';

export interface Skipped {
  code: string;
  return: Return;
  reason: string;
}

export const SKIPPED: readonly Skipped[] = [];
