import { FinnishSSN } from 'finnish-ssn';
import { FinnishBusinessIds } from 'finnish-business-ids';
import type { LocalDate } from './local-date.js';

const CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/**
 * Valid personal identity code, including the century signs introduced in 2023 (A–F, U–Y): form,
 * check character and a real calendar date. (Checked on every API call, so done here directly;
 * the test suite holds it against finnish-ssn.)
 */
export function isPersonalIdentityCode(s: string): boolean {
  // By character codes, not a regular expression: no match array or substrings on the hot path (decision 0018, fifth round).
  if (s.length !== 11) return false;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 6) continue;
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    n = n * 10 + c;
  }
  const century = CENTURY_BY_SIGN[s.charCodeAt(6)];
  if (century === undefined || CHECK_CHARS[n % 31] !== s[10]) return false;
  const day = Math.floor(n / 1e7), month = Math.floor(n / 1e5) % 100, year = century + Math.floor(n / 1e3) % 100;
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
/** The same, by the sign's character code. */
const CENTURY_BY_SIGN: Readonly<Record<number, number>> = Object.fromEntries(Object.entries(CENTURY).map(([sign, year]) => [sign.charCodeAt(0), year]));

export function birthDateOf(code: string): LocalDate {
  const century = CENTURY[code[6]!];
  if (century === undefined) throw new RangeError('not an identity code');
  return `${century + +code.slice(4, 6)}-${code.slice(2, 4)}-${code.slice(0, 2)}` as LocalDate;
}

