/** Refusals of the service catalogue and PTV import (kept beside the general list in error-codes.ts). */
import type { ErrorKind } from './error-codes.js';

const c = <K extends ErrorKind>(kind: K, en: string) => ({ kind, en });

export const CATALOGUE_ERROR_CODES = {
  'policy.looser-than-common': c('validation', 'A municipality may make a policy stricter, not looser: the common catalogue says {common}, and {kind} would be looser.'),
} as const;
