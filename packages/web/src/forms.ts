/**
 * Errand forms as the catalogue publishes them: a JSON Schema (2020-12) object per service whose
 * fields carry their labels in fi/sv/en (`x-title`, `x-help`, `x-enum-titles`). The server validates
 * what is sent with the same schema; the UI only needs to know which fields are required and shown
 * *now* (the `required` lists and the `allOf: [{ if, then }]` conditions, evaluated against the value
 * being filled in), where a dotted data path points to, and how to name it. Pure functions, no React.
 */

import type { FormEnumTitles, FormTexts } from '@puolesta/domain';
export type { FormEnumTitles, FormTexts };

export type FormLang = 'fi' | 'sv' | 'en';

/** The part of JSON Schema the forms use (see packages/server/src/forms/forms.ts). */
export interface FieldSchema {
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  readonly title?: string;
  readonly 'x-title'?: FormTexts;
  readonly 'x-help'?: FormTexts;
  readonly 'x-enum-titles'?: FormEnumTitles;
  readonly enum?: readonly (string | number)[];
  readonly const?: unknown;
  readonly format?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
  readonly allOf?: readonly FieldSchema[];
  readonly if?: FieldSchema;
  readonly then?: FieldSchema;
  readonly else?: FieldSchema;
  readonly items?: FieldSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
}

/** A whole form: an object schema with its filled-in examples. */
export interface FormSchema extends FieldSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, FieldSchema>>;
  readonly examples?: readonly unknown[];
}

export type FormValue = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form of a service detail (`form`), or null when there is none or it is not an object schema. */
export function asFormSchema(form: unknown): FormSchema | null {
  if (!isObject(form) || form.type !== 'object' || !isObject(form.properties)) return null;
  return form as unknown as FormSchema;
}

/** A text in the language, falling back to Finnish and then to `fallback`. */
export function textIn(texts: FormTexts | undefined, lang: FormLang, fallback = ''): string {
  return texts?.[lang] || texts?.fi || fallback;
}

/** A field's label in the language (its `x-title`, else its plain `title`). */
export const titleOf = (field: FieldSchema, lang: FormLang, fallback = ''): string =>
  textIn(field['x-title'], lang, field.title ?? fallback);

/** The title of one of an enum's values (`x-enum-titles`), else the value itself. */
export function enumTitle(field: FieldSchema, value: unknown, lang: FormLang): string {
  const at = field.enum?.findIndex((e) => e === value) ?? -1;
  const titles = field['x-enum-titles'];
  return (at >= 0 && (titles?.[lang]?.[at] ?? titles?.fi?.[at])) || String(value);
}

/** Whether a value counts as given: not absent, null, an empty or blank text, an empty list or an object with nothing given. */
export function hasValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.values(v).some(hasValue);
  return true;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

function typeMatches(type: FieldSchema['type'], v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
    default: return true;
  }
}

/**
 * Whether a value matches a condition (an `if` schema), for the keywords conditions use: `const`,
 * `enum`, `type`, `required`, `properties` and `allOf`. As in JSON Schema, `properties` and
 * `required` hold for a value that is not an object. Other keywords are not looked at.
 */
export function matches(condition: FieldSchema, v: unknown): boolean {
  if (Object.hasOwn(condition, 'const') && !equal(condition.const, v)) return false;
  if (condition.enum && !condition.enum.some((e) => equal(e, v))) return false;
  if (condition.type && !typeMatches(condition.type, v)) return false;
  if (isObject(v)) {
    if (condition.required?.some((name) => !Object.hasOwn(v, name))) return false;
    for (const [name, sub] of Object.entries(condition.properties ?? {})) {
      if (Object.hasOwn(v, name) && !matches(sub, v[name])) return false;
    }
  }
  return (condition.allOf ?? []).every((c) => matches(c, v));
}

export interface FieldState {
  /** Must be given now: in `required`, or in the `then` (`else`) of a condition the value meets (does not meet). */
  readonly required: boolean;
  /**
   * Shown now. A field that only some condition requires (e.g. the description of special needs)
   * is shown when that condition holds, or when it already holds a value (nothing sent is hidden).
   */
  readonly visible: boolean;
  /** Required only under a condition. */
  readonly conditional: boolean;
}

/** Which of an object schema's fields are required and shown for this value of the object. */
export function fieldStates(schema: FieldSchema, value: unknown): Record<string, FieldState> {
  // Nothing filled in yet is an empty object (for which `required` in a condition fails).
  const obj = isObject(value) ? value : {};
  const base = new Set(schema.required ?? []);
  const now = new Set(base);
  const conditional = new Set<string>();
  const collect = (s: FieldSchema | undefined, into: Set<string>) => s?.required?.forEach((n) => into.add(n));
  for (const part of schema.allOf ?? []) {
    if (part.if) {
      collect(part.then, conditional);
      collect(part.else, conditional);
      collect(matches(part.if, obj) ? part.then : part.else, now);
    } else {
      // A plain `allOf` member's requireds hold always.
      collect(part, base);
      collect(part, now);
    }
  }
  const states: Record<string, FieldState> = {};
  for (const name of Object.keys(schema.properties ?? {})) {
    const isConditional = conditional.has(name) && !base.has(name);
    const required = now.has(name);
    states[name] = { required, conditional: isConditional, visible: !isConditional || required || hasValue(obj[name]) };
  }
  return states;
}

/**
 * The dotted paths (without `data.`) of the fields that are required now and not given, in form
 * order: what the server would refuse with `form.required`. A missing object is one path; the
 * fields of a given object and of each list item are looked into.
 */
export function missingRequired(schema: FieldSchema, value: unknown, prefix = ''): string[] {
  const out: string[] = [];
  const obj = isObject(value) ? value : {};
  const states = fieldStates(schema, obj);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const v = obj[name];
    if (!hasValue(v)) {
      if (states[name]?.required) out.push(path);
      continue;
    }
    if (field.type === 'object' && isObject(v)) out.push(...missingRequired(field, v, path));
    if (field.type === 'array' && Array.isArray(v) && field.items) {
      const items = field.items;
      v.forEach((item, i) => {
        const at = `${path}.${i}`;
        if (items.type === 'object') out.push(...missingRequired(items, item, at));
        else if (!hasValue(item)) out.push(at);
      });
    }
  }
  return out;
}

/** The schema of the field a dotted path names (`works.0.description`), or undefined. */
export function fieldAt(schema: FieldSchema, path: string): FieldSchema | undefined {
  let current: FieldSchema | undefined = schema;
  for (const segment of path === '' ? [] : path.split('.')) {
    if (!current) return undefined;
    if (current.type === 'array') {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current.items;
    } else if (current.properties && Object.hasOwn(current.properties, segment)) {
      current = current.properties[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Whether a field is drawn as one control (a list of options picked with check boxes is one). */
const isChoiceList = (field: FieldSchema) => field.type === 'array' && !!field.items?.enum;

/**
 * Where on the form a problem at this path is shown: the field itself, or the nearest field that
 * holds it (an option of a list of check boxes is shown at the list; a field the form does not
 * have at its nearest known parent). '' is the form as a whole.
 */
export function shownAt(schema: FieldSchema, path: string): string {
  const segments = path === '' ? [] : path.split('.');
  let known = '';
  let current: FieldSchema | undefined = schema;
  for (let i = 0; i < segments.length && current; i++) {
    if (isChoiceList(current)) break;
    current = fieldAt(current, segments[i]!);
    if (!current) break;
    known = segments.slice(0, i + 1).join('.');
  }
  return known;
}

/**
 * A field's label for messages that name it, with where it sits: "Pääsuunnittelija: Nimi",
 * "Suunnitellut työt 2: Kuvaus", "Toivotut yksiköt 3". The form's own title for ''.
 */
export function fieldLabel(schema: FieldSchema, path: string, lang: FormLang): string {
  if (path === '') return titleOf(schema, lang);
  const parts: string[] = [];
  let current: FieldSchema | undefined = schema;
  for (const segment of path.split('.')) {
    if (!current) break;
    if (current.type === 'array') {
      if (!/^\d+$/.test(segment)) break;
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? ''} ${Number(segment) + 1}`.trim();
      current = current.items;
      continue;
    }
    const next: FieldSchema | undefined = current.properties && Object.hasOwn(current.properties, segment) ? current.properties[segment] : undefined;
    if (!next) {
      parts.push(segment);
      break;
    }
    parts.push(titleOf(next, lang, segment));
    current = next;
  }
  return parts.join(': ');
}

/** An object with one field set, or left out when nothing is given; undefined when nothing is left. */
export function withField(obj: unknown, name: string, v: unknown): FormValue | undefined {
  const next: FormValue = isObject(obj) ? { ...obj } : {};
  if (hasValue(v)) next[name] = v;
  else delete next[name];
  return Object.keys(next).length > 0 ? next : undefined;
}

/** The element id of a field's wrapper on the page (letters, digits, `-` and `_` only). */
export function fieldId(idPrefix: string, path: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return path === '' ? safe(idPrefix) : `${safe(idPrefix)}-${path.split('.').map(safe).join('-')}`;
}

/** `examples[0]` of a form, as a fresh copy to edit; an empty object when there is none. */
export function exampleOf(schema: FormSchema): FormValue {
  const ex = schema.examples?.[0];
  return isObject(ex) ? (structuredClone(ex) as FormValue) : {};
}
