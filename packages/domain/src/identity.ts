import { FinnishSSN } from 'finnish-ssn';
import { FinnishBusinessIds } from 'finnish-business-ids';
import type { LocalDate } from './local-date.js';

const CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const CODE_RE = /^(\d{6})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])$/;

/**
 * Valid personal identity code, including the century signs introduced in 2023 (A–F, U–Y): form,
 * check character and a real calendar date. (Checked on every API call, so done here directly;
 * the test suite holds it against finnish-ssn.)
 */
export function isPersonalIdentityCode(s: string): boolean {
  const m = CODE_RE.exec(s);
  if (!m) return false;
  if (CHECK_CHARS[Number(m[1]! + m[3]!) % 31] !== m[4]) return false;
  const day = +s.slice(0, 2), month = +s.slice(2, 4), year = CENTURY[m[2]!]! + +s.slice(4, 6);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** The reference implementation (finnish-ssn), for tests. */
export const isPersonalIdentityCodeReference = (s: string): boolean => /^\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y]$/.test(s) && FinnishSSN.validate(s);

/** Anything shaped like a Finnish personal identity code anywhere in a text (any check character: a typo is still personal). */
export const IDENTITY_CODE_IN_TEXT = /(?<![\p{L}\p{N}])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\p{L}\p{N}])/giu;

/** The text with every identity-code-shaped part replaced (names, free text going where identity codes never go). */
export const withoutIdentityCodes = (text: string, replacement: string | ((code: string) => string)): string =>
  (typeof replacement === 'string' ? text.replace(IDENTITY_CODE_IN_TEXT, replacement) : text.replace(IDENTITY_CODE_IN_TEXT, replacement));

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

