import { FinnishSSN } from 'finnish-ssn';
import { FinnishBusinessIds } from 'finnish-business-ids';
import type { LocalDate } from './local-date.js';

/** Valid personal identity code, including the century signs introduced in 2023 (A–F, U–Y). */
export function isPersonalIdentityCode(s: string): boolean {
  return /^\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y]$/.test(s) && FinnishSSN.validate(s);
}

export function isBusinessId(s: string): boolean {
  return /^\d{7}-\d$/.test(s) && FinnishBusinessIds.isValidBusinessId(s);
}

/** Property unit identifiers (kiinteistötunnus) in their hyphenated short form, e.g. 753-401-3-45. */
export function isPropertyId(s: string): boolean {
  return /^\d{1,3}-\d{1,3}-\d{1,4}-\d{1,4}(-[A-Z0-9]{1,4})?$/.test(s);
}

const CENTURY: Record<string, number> = { '+': 1800, '-': 1900, U: 1900, V: 1900, W: 1900, X: 1900, Y: 1900, A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };

export function birthDateOf(code: string): LocalDate {
  const century = CENTURY[code[6]!];
  if (century === undefined) throw new RangeError('not an identity code');
  return `${century + +code.slice(4, 6)}-${code.slice(2, 4)}-${code.slice(0, 2)}` as LocalDate;
}

/** Shown in places where the code may be hinted at: the birth date part only. */
export const maskIdentityCode = (code: string): string => `${code.slice(0, 6)}${code[6] ?? ''}****`;
