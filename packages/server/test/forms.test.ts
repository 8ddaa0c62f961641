import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMS, type ErrandForm, type FormField } from '../src/forms/forms.js';
import { compileForm, createFormAjv, fieldTitle, formOf, validateFormData, type FormProblem } from '../src/forms/validate.js';
import { DEMO_FIXTURE_PATH } from '../src/registers/fixture.js';

const fixture = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as { services: { code: string }[] };
const SERVICE_CODES = fixture.services.map((s) => s.code);
const LANGUAGES = ['fi', 'sv', 'en'] as const;
const IDENTITY_CODE = /\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]/;
const CODES = new Set([
  'form.required',
  'form.type',
  'form.too-long',
  'form.not-allowed',
  'form.pattern',
  'form.enum',
  'form.range',
  'form.format',
  'form.invalid',
]);

/** Every field of a form with its dotted path, array items as `path.0`. */
function fields(form: ErrandForm): [string, FormField][] {
  const out: [string, FormField][] = [];
  const visit = (path: string, field: FormField): void => {
    out.push([path, field]);
    if (field.type === 'object') for (const [name, child] of Object.entries(field.properties)) visit(`${path}.${name}`, child);
    if (field.type === 'array') visit(`${path}.0`, field.items);
  };
  for (const [name, field] of Object.entries(form.properties)) visit(`data.${name}`, field);
  return out;
}

function example(service: string): Record<string, unknown> {
  const form = formOf(service);
  if (!form) throw new Error(`no form for ${service}`);
  return structuredClone(form.examples[0]) as Record<string, unknown>;
}

const has = (problems: FormProblem[], field: string, code: string): boolean =>
  problems.some((p) => p.field === field && p.code === code);

describe('errand forms', () => {
  it('exist for every fixture service and for nothing else', () => {
    expect(SERVICE_CODES.length).toBe(14);
    expect(Object.keys(FORMS).sort()).toEqual([...SERVICE_CODES].sort());
    for (const code of SERVICE_CODES) expect(formOf(code), code).toBeDefined();
    expect(formOf('no-such-service')).toBeUndefined();
    expect(formOf('constructor')).toBeUndefined();
    expect(validateFormData('no-such-service', {})).toEqual([
      { field: 'data', code: 'form.invalid', params: { reason: 'unknown-service' } },
    ]);
  });

  it.each(SERVICE_CODES)('%s: compiles in strict mode and every example is valid', (code) => {
    const form = FORMS[code]!;
    expect(compileForm(code)).toBeTypeOf('function');
    expect(form.type).toBe('object');
    expect(form.additionalProperties).toBe(false);
    expect(form.required.length).toBeGreaterThan(0);
    for (const name of form.required) expect(Object.keys(form.properties), `${code} requires ${name}`).toContain(name);
    expect(form.examples.length).toBeGreaterThanOrEqual(1);
    for (const ex of form.examples) expect(validateFormData(code, ex)).toEqual([]);
  });

  it.each(SERVICE_CODES)('%s: titles in three languages, enum titles match, strings bounded', (code) => {
    const form = FORMS[code]!;
    for (const lang of LANGUAGES) expect(form['x-title'][lang].trim(), `${code} x-title.${lang}`).not.toBe('');
    const all = fields(form);
    expect(all.length).toBeGreaterThan(3);
    for (const [path, field] of all) {
      expect(field.title, path).toBe(field['x-title'].en);
      for (const lang of LANGUAGES) {
        expect(field['x-title'][lang]?.trim(), `${code} ${path} x-title.${lang}`).toBeTruthy();
        if (field['x-help']) expect(field['x-help'][lang]?.trim(), `${code} ${path} x-help.${lang}`).toBeTruthy();
      }
      if (field.type === 'string') {
        expect(field.maxLength, `${code} ${path} maxLength`).toBeGreaterThan(0);
        expect(Number.isInteger(field.maxLength)).toBe(true);
      }
      if ((field.type === 'string' || field.type === 'integer') && field.enum) {
        const titles = field['x-enum-titles'];
        expect(titles, `${code} ${path} x-enum-titles`).toBeDefined();
        for (const lang of LANGUAGES) {
          expect(titles![lang], `${code} ${path} x-enum-titles.${lang}`).toHaveLength(field.enum.length);
          for (const title of titles![lang]) expect(title.trim()).not.toBe('');
        }
        expect(new Set<string | number>(field.enum).size).toBe(field.enum.length);
      }
      if (field.type === 'array') expect(field.maxItems, `${code} ${path} maxItems`).toBeGreaterThan(0);
    }
  });

  it('examples carry no identity codes and no file fields', () => {
    for (const code of SERVICE_CODES) {
      const form = FORMS[code]!;
      for (const ex of form.examples) expect(JSON.stringify(ex), code).not.toMatch(IDENTITY_CODE);
      expect(JSON.stringify(form), code).not.toMatch(/"(contentEncoding|contentMediaType)"|"format":"(binary|uri)"/);
    }
    // The check can fail: a henkilötunnus-shaped value is caught.
    expect(JSON.stringify({ note: 'hetu 010190-123A' })).toMatch(IDENTITY_CODE);
  });

  it('the x- annotations are checked when a form compiles', () => {
    const ajv = createFormAjv();
    const good = FORMS['feedback']!;
    expect(() => ajv.compile({ ...good })).not.toThrow();
    const noSwedish = {
      ...good,
      properties: { ...good.properties, kind: { ...good.properties['kind']!, 'x-title': { fi: 'Laji', en: 'Kind' } } },
    };
    expect(() => createFormAjv().compile(noSwedish)).toThrow(/x-title/);
    const unknownKeyword = { ...good, 'x-label': 'no such keyword' };
    expect(() => createFormAjv().compile(unknownKeyword)).toThrow(/x-label/);
  });

  it('a missing required field is form.required at data.<field>, also inside lists and groups', () => {
    const data = example('ece-application');
    delete data['startDate'];
    expect(validateFormData('ece-application', data)).toEqual([{ field: 'data.startDate', code: 'form.required', params: {} }]);

    const permit = example('building-permit');
    (permit['works'] as Record<string, unknown>[])[1]!['description'] = undefined;
    delete (permit['works'] as Record<string, unknown>[])[1]!['description'];
    delete (permit['measures'] as Record<string, unknown>)['floors'];
    const problems = validateFormData('building-permit', permit);
    expect(has(problems, 'data.works.1.description', 'form.required')).toBe(true);
    expect(has(problems, 'data.measures.floors', 'form.required')).toBe(true);
    expect(problems).toHaveLength(2);

    const empty = example('feedback');
    empty['message'] = '';
    expect(validateFormData('feedback', empty)).toEqual([{ field: 'data.message', code: 'form.required', params: {} }]);
  });

  it('conditional fields are required when their condition holds', () => {
    const data = example('ece-application');
    delete data['specialNeedsDescription'];
    expect(validateFormData('ece-application', data)).toEqual([
      { field: 'data.specialNeedsDescription', code: 'form.required', params: {} },
    ]);
    data['specialNeeds'] = false;
    expect(validateFormData('ece-application', data)).toEqual([]);

    const income = example('ece-income');
    delete income['monthlyGrossIncomeEur'];
    expect(has(validateFormData('ece-income', income), 'data.monthlyGrossIncomeEur', 'form.required')).toBe(true);
    income['basis'] = 'highest-fee';
    expect(validateFormData('ece-income', income)).toEqual([]);
  });

  it('a value outside the choices is form.enum', () => {
    const data = example('ece-application');
    data['careForm'] = 'boarding-school';
    expect(validateFormData('ece-application', data)).toEqual([{ field: 'data.careForm', code: 'form.enum', params: {} }]);
    const waste = example('waste-interval');
    waste['requestedIntervalWeeks'] = 3;
    expect(validateFormData('waste-interval', waste)).toEqual([
      { field: 'data.requestedIntervalWeeks', code: 'form.enum', params: {} },
    ]);
    const housing = example('housing-application');
    housing['apartmentSizes'] = ['studio', 'castle'];
    expect(validateFormData('housing-application', housing)).toEqual([
      { field: 'data.apartmentSizes.1', code: 'form.enum', params: {} },
    ]);
  });

  it('an unknown property is form.not-allowed, at any depth', () => {
    const data = example('resident-parking');
    data['henkilotunnus'] = 'x';
    expect(validateFormData('resident-parking', data)).toEqual([
      { field: 'data.henkilotunnus', code: 'form.not-allowed', params: {} },
    ]);
    const permit = example('building-permit');
    (permit['mainDesigner'] as Record<string, unknown>)['licence'] = 'A';
    expect(validateFormData('building-permit', permit)).toEqual([
      { field: 'data.mainDesigner.licence', code: 'form.not-allowed', params: {} },
    ]);
  });

  it('too long text is form.too-long with the limit', () => {
    const data = example('building-permit');
    (data['works'] as Record<string, unknown>[])[0]!['description'] = 'ä'.repeat(501);
    expect(validateFormData('building-permit', data)).toEqual([
      { field: 'data.works.0.description', code: 'form.too-long', params: { limit: 500 } },
    ]);
    (data['works'] as Record<string, unknown>[])[0]!['description'] = 'ä'.repeat(500);
    expect(validateFormData('building-permit', data)).toEqual([]);
  });

  it('a bad date or e-mail is form.format; a bad pattern form.pattern; out of range form.range; wrong type form.type', () => {
    const data = example('ece-application');
    data['startDate'] = '2027-02-30';
    expect(validateFormData('ece-application', data)).toEqual([
      { field: 'data.startDate', code: 'form.format', params: { format: 'date' } },
    ]);
    data['startDate'] = '9.8.2027';
    expect(has(validateFormData('ece-application', data), 'data.startDate', 'form.format')).toBe(true);

    const parking = example('resident-parking');
    parking['contactEmail'] = 'not an address';
    parking['registrationNumber'] = 'ABC123';
    parking['periodMonths'] = '12';
    const problems = validateFormData('resident-parking', parking);
    expect(has(problems, 'data.contactEmail', 'form.format')).toBe(true);
    expect(has(problems, 'data.registrationNumber', 'form.pattern')).toBe(true);
    expect(has(problems, 'data.periodMonths', 'form.type')).toBe(true);

    const booking = example('facility-booking');
    booking['durationMinutes'] = 20;
    booking['participants'] = 2.5;
    const range = validateFormData('facility-booking', booking);
    expect(range).toContainEqual({ field: 'data.durationMinutes', code: 'form.range', params: { min: 30 } });
    expect(has(range, 'data.participants', 'form.type')).toBe(true);

    expect(validateFormData('feedback', 'just a string')).toEqual([
      { field: 'data', code: 'form.type', params: { type: 'object' } },
    ]);
    expect(validateFormData('feedback', null)).toEqual([{ field: 'data', code: 'form.type', params: { type: 'object' } }]);
  });

  it('names a problem field in the user language', () => {
    expect(fieldTitle('building-permit', 'data.works.0.description', 'fi')).toBe('Kuvaus');
    expect(fieldTitle('building-permit', 'data.works.0.description', 'sv')).toBe('Beskrivning');
    expect(fieldTitle('building-permit', 'data.measures.floors', 'en')).toBe('Number of floors');
    expect(fieldTitle('ece-application', 'data.startDate', 'sv')).toBe('Önskat startdatum');
    expect(fieldTitle('ece-application', 'data', 'fi')).toBe('Varhaiskasvatushakemus');
    expect(fieldTitle('ece-application', 'data.nothing', 'fi')).toBeUndefined();
    expect(fieldTitle('ece-application', 'data.startDate.x', 'fi')).toBeUndefined();
    expect(fieldTitle('ece-application', 'data.__proto__', 'fi')).toBeUndefined();
    // Every problem the validator reports for a field of the form has a title.
    const data = example('building-permit');
    (data['works'] as Record<string, unknown>[])[0]!['category'] = 'moat';
    for (const p of validateFormData('building-permit', data)) expect(fieldTitle('building-permit', p.field, 'fi')).toBeTruthy();
  });

  it('random JSON never throws and always gives well-formed problems', () => {
    const check = (problems: FormProblem[]): void => {
      expect(Array.isArray(problems)).toBe(true);
      for (const p of problems) {
        expect(p.field === 'data' || p.field.startsWith('data.')).toBe(true);
        expect(CODES.has(p.code)).toBe(true);
      }
    };
    fc.assert(
      fc.property(fc.constantFrom(...SERVICE_CODES), fc.jsonValue(), (code, data) => {
        check(validateFormData(code, data));
      }),
      { numRuns: 300 },
    );
    // Near misses: a valid example with one property replaced by random JSON.
    fc.assert(
      fc.property(fc.constantFrom(...SERVICE_CODES), fc.nat(), fc.jsonValue(), (code, pick, value) => {
        const data = example(code);
        const keys = Object.keys(FORMS[code]!.properties);
        data[keys[pick % keys.length]!] = value;
        check(validateFormData(code, data));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the form in the catalogue\'s service detail', () => {
  it('every service a municipality offers publishes its form, whose example the server accepts', async () => {
    const { startTestApp } = await import('./helpers.js');
    const t = await startTestApp();
    try {
      const list = (await t.app.inject({ method: 'GET', url: '/api/v1/municipalities/753/services' })).json().services as { code: string }[];
      expect(list.length).toBeGreaterThan(0);
      for (const s of list) {
        const r = await t.app.inject({ method: 'GET', url: `/api/v1/municipalities/753/services/${s.code}` });
        expect(r.statusCode).toBe(200);
        const d = r.json();
        expect(d.form, s.code).toBeDefined();
        expect(d.form['x-title'].sv).toBeTruthy();
        expect(validateFormData(d.commonClass, d.form.examples[0])).toEqual([]);
      }
    } finally {
      await t.stop();
    }
  }, 120_000); // starts an app of its own and reads every municipality's every service
});
