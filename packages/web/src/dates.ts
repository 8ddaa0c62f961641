/** Calendar dates: the API speaks YYYY-MM-DD; people type and read d.M.yyyy. */

const LOCALE: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/**
 * One formatter per language and kind: building an `Intl.DateTimeFormat` costs far more than formatting
 * with one (a home page with a few dozen dates spent a tenth of a second building them on a slow machine).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'date-time' | 'time', lang: string): Intl.DateTimeFormat {
  const key = `${kind} ${lang}`;
  let f = formatters.get(key);
  if (!f) {
    const date = { day: 'numeric', month: lang === 'en' ? 'long' : 'numeric', year: 'numeric' } as const;
    const time = { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki' } as const;
    f = new Intl.DateTimeFormat(LOCALE[lang] ?? 'fi-FI', kind === 'date' ? { ...date, timeZone: 'UTC' } : kind === 'time' ? time : { ...date, ...time });
    formatters.set(key, f);
  }
  return f;
}

/** YYYY-MM-DD → d.M.yyyy (what the date fields show and accept). */
export function isoToInput(iso: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${Number(m[3])}.${Number(m[2])}.${m[1]}` : '';
}

/** d.M.yyyy (or YYYY-MM-DD) → YYYY-MM-DD; null when it is not a real date. */
export function inputToIso(text: string): string | null {
  const s = text.trim();
  let y: number, mo: number, d: number;
  let m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
  if (m) {
    d = Number(m[1]); mo = Number(m[2]); y = Number(m[3]);
  } else {
    m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    if (!m) return null;
    y = Number(m[1]); mo = Number(m[2]); d = Number(m[3]);
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A calendar date for reading: 31.12.2027 / 31 December 2027. */
export function formatDate(iso: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const dt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return formatter('date', lang).format(dt);
}

/** An instant, in Finnish time, with the date written as `formatDate` writes it (one date format per language). */
export function formatDateTime(iso: string, lang: string): string {
  const dt = new Date(iso);
  if (Number.isNaN(dt.getTime())) return iso;
  return formatter('date-time', lang).format(dt);
}

/** A time of day in Finnish time: 12.34 (fi, sv) or 12:34 (en). */
export function formatTime(d: Date, lang: string): string {
  return formatter('time', lang).format(d);
}

/** Date adapter for suomifi DateInput's calendar. */
export const dateAdapter = {
  format: (date: Date) => `${date.getDate()}.${date.getMonth() + 1}.${date.getFullYear()}`,
  parse: (value: string) => {
    const iso = inputToIso(value);
    if (!iso) return new Date(NaN);
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d);
  },
};
