/**
 * The server's form problems in the reader's words: a refusal with `errors[]` at `data.<path>` (as
 * the server's validator names them) becomes one message per problem, naming the field by its title
 * where it sits on the form, in Finnish, Swedish and English; refusals of other things stay with the page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { FORMS } from '../../server/src/forms/forms.js';
import { validateFormData } from '../../server/src/forms/validate.js';
import { ApiError } from '../src/api.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { asFormSchema, exampleOf, type FormSchema } from '../src/forms.js';
import { errandFormErrors, formProblemMessage, formProblemsOf } from '../src/components/ErrandForm.js';

beforeAll(async () => {
  await i18next.init({ resources: { fi: { translation: fi }, sv: { translation: sv }, en: { translation: en } }, lng: 'fi', interpolation: { escapeValue: false } });
});

const form = (code: string): FormSchema => asFormSchema(FORMS[code])!;

/** The refusal an errand route gives for invalid form data (problem+json with every problem in `errors`). */
function refusal(service: string, data: unknown): ApiError {
  const problems = validateFormData(service, data);
  return new ApiError({
    type: `/problems/${problems[0]!.code}`, title: 'Bad request', status: 400, detail: 'English for developers',
    code: problems[0]!.code, params: problems[0]!.params, field: problems[0]!.field,
    errors: problems.map((p) => ({ field: p.field, code: p.code, params: p.params, message: 'English' })),
  });
}

describe('form problems as messages', () => {
  it('a building permit with a missing work description, a bad e-mail and too many floors, in three languages', async () => {
    const permit = form('building-permit');
    const data = exampleOf(permit) as Record<string, any>;
    data.works[1].description = '';
    data.mainDesigner.email = 'not an address';
    data.measures.floors = 51;
    const problems = formProblemsOf(refusal('building-permit', data));
    expect(problems?.map((p) => `${p.field} ${p.code}`).sort()).toEqual([
      'mainDesigner.email form.format', 'measures.floors form.range', 'works.1.description form.required',
    ]);
    const says = async (lang: 'fi' | 'sv' | 'en') => {
      await i18next.changeLanguage(lang);
      return Object.fromEntries(errandFormErrors(permit, problems!, lang).map((e) => [e.field, e.message]));
    };
    expect(await says('fi')).toEqual({
      'works.1.description': 'Suunnitellut työt 2: Kuvaus on pakollinen tieto.',
      'mainDesigner.email': 'Pääsuunnittelija: Yhteyssähköposti ei ole sähköpostiosoite.',
      'measures.floors': 'Mitat: Kerrosluku: suurin sallittu arvo on 50.',
    });
    expect(await says('sv')).toEqual({
      'works.1.description': 'Planerade arbeten 2: Beskrivning är en obligatorisk uppgift.',
      'mainDesigner.email': 'Huvudprojekterare: E-post för kontakt är inte en e-postadress.',
      'measures.floors': 'Mått: Antal våningar: det största tillåtna värdet är 50.',
    });
    expect(await says('en')).toEqual({
      'works.1.description': 'Planned works 2: Description is required.',
      'mainDesigner.email': 'Principal designer: Contact e-mail is not an e-mail address.',
      'measures.floors': 'Measures: Number of floors: the largest allowed value is 50.',
    });
  });

  it('a pattern says the field\'s own help; a date says an example; a step and a too-long text say their limit', async () => {
    await i18next.changeLanguage('fi');
    const demolition = form('demolition-notice');
    const bad = { ...exampleOf(demolition), contractor: { name: 'P', businessId: '1234567' }, start: '14.6.2027', reason: 'x'.repeat(2001) };
    const messages = errandFormErrors(demolition, formProblemsOf(refusal('demolition-notice', bad))!, 'fi').map((e) => e.message).sort();
    expect(messages).toEqual([
      'Purkamisen syy on liian pitkä: enintään 2000 merkkiä.',
      'Purku alkaa ei ole päivämäärä. Kirjoita esimerkiksi 31.12.2027.',
      'Purkuurakoitsija: Y-tunnus ei ole oikeassa muodossa. Muodossa 1234567-8',
    ]);
    const booking = form('facility-booking');
    const step = formProblemsOf(refusal('facility-booking', { ...exampleOf(booking), durationMinutes: 100 }))!;
    expect(errandFormErrors(booking, step, 'fi').map((e) => e.message)).toEqual(['Kesto (min): arvon pitää olla jaollinen luvulla 15.']);
  });

  it('a field the form does not have and a wrong type are said too, never in English', async () => {
    await i18next.changeLanguage('sv');
    const ece = form('ece-application');
    const problems = formProblemsOf(refusal('ece-application', { ...exampleOf(ece), colour: 'red', dailyHours: 'eight' }))!;
    const messages = errandFormErrors(ece, problems, 'sv');
    expect(messages).toContainEqual({ field: 'colour', message: 'colour hör inte till den här blanketten.' });
    expect(messages).toContainEqual({ field: 'dailyHours', message: 'Vårdtimmar per dag har fel form. Kontrollera att du skrev talet eller texten rätt.' });
  });

  it('a refusal that is not about the form\'s fields is left to the page', () => {
    expect(formProblemsOf(new ApiError({ title: 'Forbidden', status: 403, detail: '', code: 'access.forbidden' }))).toBeNull();
    expect(formProblemsOf(new ApiError({ title: 'Bad', status: 400, detail: '', code: 'input.required', field: 'service', errors: [{ field: 'service', code: 'input.required', message: '' }] }))).toBeNull();
    expect(formProblemsOf(new Error('network'))).toBeNull();
    // One problem without `errors[]` is read from the problem itself.
    expect(formProblemsOf(new ApiError({ title: 'Bad', status: 400, detail: '', code: 'form.required', params: {}, field: 'data.startDate' }))).toEqual([
      { field: 'startDate', code: 'form.required', params: {} },
    ]);
    expect(formProblemMessage(form('ece-application'), { field: '', code: 'form.invalid', params: { reason: 'x' } }, 'en')).toBe('Early childhood education application is not valid.');
  });
});
