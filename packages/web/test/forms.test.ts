/**
 * The UI's reading of errand forms (src/forms.ts): which fields are required and shown for the value
 * being filled in, what is still missing, where a problem's data path is shown and how it is named.
 * Uses the forms the catalogue publishes (packages/server/src/forms/forms.ts) and checks the
 * "missing" list against the server's own validator, so the two cannot drift apart unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../server/src/forms/forms.js';
import { validateFormData } from '../../server/src/forms/validate.js';
import {
  asFormSchema, enumTitle, exampleOf, fieldAt, fieldId, fieldLabel, fieldStates, hasValue, matches, missingRequired,
  shownAt, withField, type FieldSchema, type FormSchema,
} from '../src/forms.js';

const form = (code: string): FormSchema => {
  const f = asFormSchema(FORMS[code]);
  if (!f) throw new Error(`no form ${code}`);
  return f;
};
/** The paths the server refuses with form.required, without `data.`. */
const serverRequired = (code: string, data: unknown) =>
  validateFormData(code, data).filter((p) => p.code === 'form.required').map((p) => p.field.slice('data.'.length)).sort();

describe('conditions', () => {
  const cond: FieldSchema = { properties: { kind: { const: 'other' } }, required: ['kind'] };
  it('an `if` holds when the property is there with the value, not when it is absent or different', () => {
    expect(matches(cond, { kind: 'other' })).toBe(true);
    expect(matches(cond, { kind: 'move' })).toBe(false);
    expect(matches(cond, {})).toBe(false);
    expect(matches({ properties: { on: { const: true } } }, { on: false })).toBe(false);
    expect(matches({ properties: { on: { const: true } } }, { on: true })).toBe(true);
    expect(matches({ enum: [1, 2] }, 2)).toBe(true);
    expect(matches({ enum: [1, 2] }, 3)).toBe(false);
    expect(matches({ const: { a: [1] } }, { a: [1] })).toBe(true);
    expect(matches({ type: 'integer' }, 1.5)).toBe(false);
    expect(matches({ allOf: [{ const: 1 }, { type: 'integer' }] }, 1)).toBe(true);
  });
});

describe('which fields are required and shown now', () => {
  it('ece-application: the description of special needs is required and shown only when there are special needs', () => {
    const ece = form('ece-application');
    const none = fieldStates(ece, { specialNeeds: false });
    expect(none.specialNeeds).toEqual({ required: true, visible: true, conditional: false });
    expect(none.specialNeedsDescription).toEqual({ required: false, visible: false, conditional: true });
    expect(none.additionalInfo).toEqual({ required: false, visible: true, conditional: false });
    expect(fieldStates(ece, { specialNeeds: true }).specialNeedsDescription).toEqual({ required: true, visible: true, conditional: true });
    // Nothing typed is hidden: a description already given stays on view (optional) when the answer turns to no.
    expect(fieldStates(ece, { specialNeeds: false, specialNeedsDescription: 'x' }).specialNeedsDescription).toEqual({ required: false, visible: true, conditional: true });
    expect(fieldStates(ece, { specialNeeds: false, specialNeedsDescription: '  ' }).specialNeedsDescription?.visible).toBe(false);
  });

  it('feedback: chained conditions (a reply wanted → how → the e-mail or the phone)', () => {
    const fb = form('feedback');
    const s0 = fieldStates(fb, { wantsReply: false });
    expect([s0.replyChannel?.visible, s0.replyEmail?.visible, s0.replyPhone?.visible]).toEqual([false, false, false]);
    const s1 = fieldStates(fb, { wantsReply: true });
    expect(s1.replyChannel).toMatchObject({ required: true, visible: true });
    expect(s1.replyEmail?.visible).toBe(false);
    const s2 = fieldStates(fb, { wantsReply: true, replyChannel: 'phone' });
    expect(s2.replyPhone).toMatchObject({ required: true, visible: true });
    expect(s2.replyEmail).toMatchObject({ required: false, visible: false });
  });

  it('ece-income: the income is asked for only when it is stated', () => {
    const inc = form('ece-income');
    expect(fieldStates(inc, { basis: 'highest-fee' }).monthlyGrossIncomeEur?.visible).toBe(false);
    expect(fieldStates(inc, { basis: 'income-statement' }).incomeTypes).toMatchObject({ required: true, visible: true });
  });

  it('a value that is not an object (nothing filled yet) meets no condition', () => {
    const states = fieldStates(form('employment-plan'), undefined);
    expect(states.goals).toMatchObject({ required: true, visible: true });
    expect(states.trainingWishes).toMatchObject({ required: false, visible: false });
  });

  it('nested groups have their own required fields; a plain allOf member is always required', () => {
    const permit = form('building-permit');
    expect(fieldStates(permit.properties.measures!, {}).grossAreaM2?.required).toBe(true);
    expect(fieldStates(permit.properties.measures!, {}).volumeM3?.required).toBe(false);
    const plain: FieldSchema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, allOf: [{ required: ['b'] }] };
    expect(fieldStates(plain, {})).toEqual({
      a: { required: false, visible: true, conditional: false },
      b: { required: true, visible: true, conditional: false },
    });
    const withElse: FieldSchema = {
      type: 'object', properties: { on: { type: 'boolean' }, a: { type: 'string' }, b: { type: 'string' } },
      allOf: [{ if: { properties: { on: { const: true } }, required: ['on'] }, then: { required: ['a'] }, else: { required: ['b'] } }],
    };
    expect(fieldStates(withElse, { on: true }).a?.required).toBe(true);
    expect(fieldStates(withElse, { on: true }).b).toEqual({ required: false, visible: false, conditional: true });
    expect(fieldStates(withElse, {}).b?.required).toBe(true);
  });
});

describe('what is still missing', () => {
  it.each(Object.keys(FORMS))('%s: nothing in the example, and the same paths the server refuses for an empty form', (code) => {
    const f = form(code);
    expect(missingRequired(f, exampleOf(f))).toEqual([]);
    expect([...missingRequired(f, {})].sort()).toEqual(serverRequired(code, {}));
  });

  it('looks into given groups and list items, in form order, as the server does', () => {
    const permit = form('building-permit');
    const data = {
      ...exampleOf(permit),
      measures: { floors: 2 },
      works: [{ category: 'roof', description: 'Katto' }, { description: '' }],
      mainDesigner: { name: 'M', designClass: 'minor' },
    };
    const missing = missingRequired(permit, data);
    expect(missing).toEqual(['measures.grossAreaM2', 'works.1.category', 'works.1.description', 'mainDesigner.email']);
    expect([...missing].sort()).toEqual(serverRequired('building-permit', data));
  });

  it('a conditional field is missing once its condition holds; an empty text in a list of texts is missing', () => {
    const ece = form('ece-application');
    const data: Record<string, unknown> = { ...exampleOf(ece), preferredUnits: ['Päiväkoti Satakieli', ''] };
    delete data.specialNeedsDescription;
    expect(missingRequired(ece, data)).toEqual(['preferredUnits.1', 'specialNeedsDescription']);
    expect([...missingRequired(ece, data)].sort()).toEqual(serverRequired('ece-application', data));
    expect(missingRequired(ece, { ...data, specialNeeds: false, preferredUnits: ['A'] })).toEqual([]);
    // A blank text counts as not given (the form leaves it out rather than send it).
    expect(missingRequired(ece, { ...data, preferredUnits: ['A'], specialNeedsDescription: ' ' })).toEqual(['specialNeedsDescription']);
  });

  it('false and 0 are answers; blank texts, empty lists and empty groups are not', () => {
    expect([false, 0, 'a', ['a'], { a: false }].map(hasValue)).toEqual([true, true, true, true, true]);
    expect([undefined, null, '', '  ', [], {}, { a: '' }].map(hasValue)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('paths, names and ids', () => {
  const permit = form('building-permit');

  it('finds the field of a dotted path through groups and list items', () => {
    expect(fieldAt(permit, 'works.2.description')?.['x-title']?.fi).toBe('Kuvaus');
    expect(fieldAt(permit, 'mainDesigner.email')?.format).toBe('email');
    expect(fieldAt(permit, 'works.first')).toBeUndefined();
    expect(fieldAt(permit, 'nothing')).toBeUndefined();
    expect(fieldAt(permit, '')).toBe(permit);
  });

  it('names a field where it sits, in each language', () => {
    expect(fieldLabel(permit, 'works.1.description', 'fi')).toBe('Suunnitellut työt 2: Kuvaus');
    expect(fieldLabel(permit, 'works.1.description', 'sv')).toBe('Planerade arbeten 2: Beskrivning');
    expect(fieldLabel(permit, 'mainDesigner.email', 'en')).toBe('Principal designer: Contact e-mail');
    expect(fieldLabel(form('ece-application'), 'preferredUnits.2', 'fi')).toBe('Toivotut yksiköt 3');
    expect(fieldLabel(permit, '', 'sv')).toBe('Ansökan om bygglov');
    // A field the form does not have is named as the server named it.
    expect(fieldLabel(permit, 'extra', 'fi')).toBe('extra');
  });

  it('shows a problem at its field, an option of a check box list at the list, an unknown field at its nearest parent', () => {
    expect(shownAt(permit, 'works.1.description')).toBe('works.1.description');
    expect(shownAt(permit, 'measures')).toBe('measures');
    expect(shownAt(form('ece-income'), 'incomeTypes.1')).toBe('incomeTypes');
    expect(shownAt(permit, 'measures.colour')).toBe('measures');
    expect(shownAt(permit, 'colour')).toBe('');
    expect(shownAt(permit, '')).toBe('');
  });

  it('option titles come from x-enum-titles in the language; integers too', () => {
    const waste = form('waste-interval');
    expect(enumTitle(waste.properties.requestedIntervalWeeks!, 4, 'sv')).toBe('Var fjärde vecka');
    expect(enumTitle(permit.properties.heating!, 'ground-source', 'en')).toBe('Ground source heat pump');
    expect(enumTitle(permit.properties.heating!, 'steam', 'fi')).toBe('steam');
  });

  it('ids are safe for HTML and CSS', () => {
    expect(fieldId('preview', 'works.0.description')).toBe('preview-works-0-description');
    expect(fieldId('p', 'a b.c"d')).toBe('p-a_b-c_d');
    expect(fieldId('p', '')).toBe('p');
  });

  it('setting a field leaves out what is not given and keeps false and 0', () => {
    expect(withField({ a: 1 }, 'b', false)).toEqual({ a: 1, b: false });
    expect(withField({ a: 1 }, 'b', 0)).toEqual({ a: 1, b: 0 });
    expect(withField({ a: 1, b: 'x' }, 'b', '')).toEqual({ a: 1 });
    expect(withField({ b: 'x' }, 'b', undefined)).toBeUndefined();
    expect(withField(undefined, 'b', [])).toBeUndefined();
  });

  it('reads only object schemas as forms; the example is a copy', () => {
    expect(asFormSchema(undefined)).toBeNull();
    expect(asFormSchema({ type: 'string' })).toBeNull();
    const ece = form('ece-application');
    const ex = exampleOf(ece);
    (ex.preferredUnits as string[]).push('X');
    expect((FORMS['ece-application']!.examples[0] as { preferredUnits: string[] }).preferredUnits).not.toContain('X');
  });
});
