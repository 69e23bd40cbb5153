// (family being written)
import type { Indicator } from './types.ts';

export const INDICATORS: readonly Indicator[] = [];
