import type { Brand } from './ids.js';

/**
 * A calendar date in Finland (Europe/Helsinki), 'YYYY-MM-DD'. A mandate "valid until 2027-06-30"
 * is valid for the whole of that day in Finnish time; comparing LocalDates makes that the only
 * possible reading. ISO dates compare correctly as strings.
 */
export type LocalDate = Brand<string, 'LocalDate'>;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

export function localDate(s: string): LocalDate {
  if (!isLocalDate(s)) throw new RangeError(`not a calendar date: ${s}`);
  return s;
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

export function addDays(d: LocalDate, days: number): LocalDate {
  const t = Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10) as LocalDate;
}

export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);
