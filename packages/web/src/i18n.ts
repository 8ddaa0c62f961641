import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { fi } from './locales/fi.js';
import { sv } from './locales/sv.js';
import { en } from './locales/en.js';
import type { Lang } from './api.js';

export const LANGS: readonly Lang[] = ['fi', 'sv', 'en'];
const STORAGE_KEY = 'puolesta.lang';

export const isLang = (l: unknown): l is Lang => typeof l === 'string' && (LANGS as readonly string[]).includes(l);

/** The language the person picked earlier, if any. */
export function savedLanguage(): Lang | null {
  try {
    const l = localStorage.getItem(STORAGE_KEY);
    return isLang(l) ? l : null;
  } catch {
    return null;
  }
}

function browserLanguage(): Lang {
  for (const l of navigator.languages ?? [navigator.language]) {
    const short = l?.slice(0, 2).toLowerCase();
    if (isLang(short)) return short;
  }
  return 'fi';
}

function applyToDocument(lng: string) {
  document.documentElement.lang = lng;
}

export function initI18n() {
  const lng = savedLanguage() ?? browserLanguage();
  void i18next.use(initReactI18next).init({
    resources: { fi: { translation: fi }, sv: { translation: sv }, en: { translation: en } },
    lng,
    fallbackLng: 'fi',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lng);
  i18next.on('languageChanged', applyToDocument);
  return i18next;
}

/** The person chose a language: remember it over the persona's default. */
export function chooseLanguage(l: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* private mode */
  }
  void i18next.changeLanguage(l);
}

/** After login: use the persona's language unless the person has chosen one. */
export function defaultToPersonaLanguage(l: string | undefined) {
  if (!savedLanguage() && isLang(l) && i18next.language !== l) void i18next.changeLanguage(l);
}

export const currentLang = (): Lang => (isLang(i18next.language) ? i18next.language : 'fi');
