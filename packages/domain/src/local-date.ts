import type { Brand } from './ids.js';

/**
 * A calendar date in Finland (Europe/Helsinki), 'YYYY-MM-DD'. A mandate "valid until 2027-06-30"
 * is valid for the whole of that day in Finnish time; comparing LocalDates makes that the only
 * possible reading. ISO dates compare correctly as strings.
 */
export type LocalDate = Brand<string, 'LocalDate'>;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The sane range of dates anyone may give (birth dates of the living to the end of a 25-year mandate,
 * with room to spare). Inside it every date has four year digits, so LocalDates compare as dates
 * when compared as strings; outside it they would not (`'10000-01-01' < '2027-01-01'`).
 */
export const LOCAL_DATE_MIN = '1900-01-01' as LocalDate;
export const LOCAL_DATE_MAX = '2199-12-31' as LocalDate;

/** A real calendar date (`2027-02-30` is not one: it is refused, never rolled over) within the sane range. */
export function isLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  if (s < LOCAL_DATE_MIN || s > LOCAL_DATE_MAX) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

export function localDate(s: string): LocalDate {
  if (!isLocalDate(s)) throw new RangeError(`not a calendar date: ${s}`);
  return s;
}

/** Compares two dates as dates (-1, 0, 1). */
export const compareLocalDates = (a: LocalDate, b: LocalDate): number => {
  const x = Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10));
  const y = Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10));
  return x < y ? -1 : x > y ? 1 : 0;
};

const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time given by a caller, as epoch milliseconds; null if it is not one.
 * Its date part must be a real calendar date in the sane range (`Date.parse` would roll
 * `2027-02-30T10:00Z` over to 2 March), and the time a real time of day.
 */
export function parseInstant(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = INSTANT_RE.exec(s);
  if (!m || !isLocalDate(m[1])) return null;
  if (m[2] !== undefined && (+m[2] > 23 || +m[3]! > 59 || +(m[4] ?? 0) > 59)) return null;
  if (m[5] && m[5] !== 'Z' && (+m[5].slice(1, 3) > 14 || +m[5].slice(-2) > 59)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

const helsinki = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// Offsets change only on the hour, so one answer per minute is exact; checks ask many times a second.
let memoMinute = Number.NaN;
let memoDate = '' as LocalDate;

/** The Finnish calendar date at an instant. */
export function helsinkiDate(instant: Date | number): LocalDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const minute = Math.floor(ms / 60_000);
  if (minute === memoMinute) return memoDate;
  const d = helsinki.format(ms) as LocalDate;
  memoMinute = minute;
  memoDate = d;
  return d;
}

export function addYears(d: LocalDate, years: number): LocalDate {
  const y = +d.slice(0, 4) + years;
  let md = d.slice(5);
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}` as LocalDate;
}

/**
 * The date `days` later (earlier when negative). Calendar arithmetic on day numbers (H. Hinnant's
 * days_from_civil / civil_from_days, proleptic Gregorian) instead of a Date and its ISO string: a
 * guardian's answer in the e-services' check computes one (decision 0018, fifth round).
 */
export function addDays(d: LocalDate, days: number): LocalDate {
  return civilFromDays(daysFromCivil(+d.slice(0, 4), +d.slice(5, 7), +d.slice(8, 10)) + days);
}

/** Days since 1970-01-01 of a year, month (1–12) and day. */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): LocalDate {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}` as LocalDate;
}

export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);
