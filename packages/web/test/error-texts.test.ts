/**
 * The UI says every refusal of the API in Finnish, Swedish and English from its own texts: every
 * code in the registry (packages/domain/src/error-codes*.ts) has a non-empty text in each language,
 * a text uses only parameters the code has, and i18next finds and fills each text by its code.
 */
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { ALL_ERROR_CODES, ERROR_CODES } from '@puolesta/domain';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';

const LOCALES = { fi, sv, en };
const englishParams = (code: keyof typeof ERROR_CODES) => new Set([...ERROR_CODES[code].en.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
const textParams = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!);

describe('texts of refusals', () => {
  it('the registry has codes to check', () => {
    expect(ALL_ERROR_CODES.length).toBeGreaterThan(50);
    expect(ALL_ERROR_CODES).toContain('policy.looser-than-common');
  });

  for (const [lang, dict] of Object.entries(LOCALES)) {
    it(`${lang}: every code has a non-empty text using only the code's parameters`, () => {
      const texts = dict.problems as Record<string, unknown>;
      const missing = ALL_ERROR_CODES.filter((c) => typeof texts[c] !== 'string' || !(texts[c] as string).trim());
      expect(missing, `codes without a ${lang} text`).toEqual([]);
      const unknownParams = ALL_ERROR_CODES.flatMap((c) => {
        const allowed = englishParams(c);
        return textParams(texts[c] as string).filter((p) => !allowed.has(p)).map((p) => `${c}: {{${p}}}`);
      });
      expect(unknownParams, `${lang} texts naming a parameter the code does not have`).toEqual([]);
      const stale = Object.keys(texts).filter((c) => !Object.hasOwn(ERROR_CODES, c));
      expect(stale, `${lang} texts for codes not in the registry`).toEqual([]);
    });
  }

  it('i18next finds each text by its dotted code and fills in the parameters', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { fi: { translation: fi }, sv: { translation: sv }, en: { translation: en } }, lng: 'fi', interpolation: { escapeValue: false } });
    for (const lang of ['fi', 'sv', 'en'] as const) {
      for (const code of ALL_ERROR_CODES) {
        const params = Object.fromEntries([...englishParams(code)].map((p) => [p, `<${p}>`]));
        const text = i18n.t(`problems.${code}`, { lng: lang, ...params });
        expect(text, `${lang} ${code}`).toBe((LOCALES[lang].problems as Record<string, string>)[code]!.replace(/\{\{(\w+)\}\}/g, (_, p: string) => `<${p}>`));
      }
    }
    expect(i18n.t('problems.mandate.too-long', { lng: 'fi', maxYears: 25, lastDay: '28.11.2051' })).toBe('Valtuus voi olla voimassa enintään 25 vuotta eli viimeistään 28.11.2051 asti.');
  });
});
