/** Calendar dates: the API speaks YYYY-MM-DD; people type and read d.M.yyyy. */

const LOCALE: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

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
  return new Intl.DateTimeFormat(LOCALE[lang] ?? 'fi-FI', { day: 'numeric', month: lang === 'en' ? 'long' : 'numeric', year: 'numeric', timeZone: 'UTC' }).format(dt);
}

/** An instant, in Finnish time, with the date written as `formatDate` writes it (one date format per language). */
export function formatDateTime(iso: string, lang: string): string {
  const dt = new Date(iso);
  if (Number.isNaN(dt.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang] ?? 'fi-FI', {
    day: 'numeric', month: lang === 'en' ? 'long' : 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki',
  }).format(dt);
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
