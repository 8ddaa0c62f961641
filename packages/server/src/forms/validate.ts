/**
 * Validates an errand's form data with the very schema the catalogue publishes (ajv, JSON Schema
 * 2020-12). Problems name the field as a dotted path under `data` (`data.works.0.description`), so
 * the UI can show the field's `x-title` in the user's language next to the message for the code.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { localDateFormat } from '../http/formats.js';
import { FORMS, type ErrandForm, type FormField, type FormTexts } from './forms.js';

export type FormProblemCode =
  | 'form.required'
  | 'form.type'
  | 'form.too-long'
  | 'form.not-allowed'
  | 'form.pattern'
  | 'form.enum'
  | 'form.range'
  | 'form.format'
  | 'form.invalid';

export interface FormProblem {
  /** Dotted path under "data": "data.startDate", "data.works.0.description"; "data" for the whole. */
  readonly field: string;
  readonly code: FormProblemCode;
  readonly params: Readonly<Record<string, string | number>>;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

const texts = {
  type: 'object',
  required: ['fi', 'sv', 'en'],
  additionalProperties: false,
  properties: {
    fi: { type: 'string', minLength: 1 },
    sv: { type: 'string', minLength: 1 },
    en: { type: 'string', minLength: 1 },
  },
} as const;

const textLists = {
  type: 'object',
  required: ['fi', 'sv', 'en'],
  additionalProperties: false,
  properties: {
    fi: { type: 'array', items: { type: 'string', minLength: 1 } },
    sv: { type: 'array', items: { type: 'string', minLength: 1 } },
    en: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const;

/** An ajv for errand forms: 2020-12, all errors, date and e-mail formats, the `x-` annotations. */
export function createFormAjv(): Ajv2020 {
  // Strict mode stays on: the `x-` keywords are registered as annotations whose shape ajv checks
  // when it compiles a form, so a form with a missing Swedish title does not compile.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv, ['date', 'email']);
  localDateFormat(ajv);
  ajv.addKeyword({ keyword: 'x-title', metaSchema: texts });
  ajv.addKeyword({ keyword: 'x-help', metaSchema: texts });
  ajv.addKeyword({ keyword: 'x-enum-titles', metaSchema: textLists });
  return ajv;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator of a service's form (compiled on first use, then cached). */
export function compileForm(service: string): ValidateFunction | undefined {
  const form = formOf(service);
  if (!form) return undefined;
  let validate = compiled.get(service);
  if (!validate) {
    ajv ??= createFormAjv();
    validate = ajv.compile(form);
    compiled.set(service, validate);
  }
  return validate;
}

/** The form of a service, as published in the catalogue's service detail. */
export function formOf(service: string): ErrandForm | undefined {
  return Object.hasOwn(FORMS, service) ? FORMS[service] : undefined;
}

/**
 * The problems in a service's form data; an empty list when the data is valid. An unknown service
 * gives one `form.invalid` problem at `data` (callers look the service up first).
 */
export function validateFormData(service: string, data: unknown): FormProblem[] {
  const validate = compileForm(service);
  if (!validate) return [{ field: 'data', code: 'form.invalid', params: { reason: 'unknown-service' } }];
  if (validate(data)) return [];
  const problems: FormProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error);
    if (!problem) continue;
    const key = `${problem.field} ${problem.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function fieldOf(instancePath: string, child?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/');
  const names = segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) names.push(child);
  return ['data', ...names].join('.');
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function toProblem(error: ErrorObject): FormProblem | undefined {
  const at = fieldOf(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: fieldOf(error.instancePath, String(p.missingProperty)), code: 'form.required', params: {} };
    case 'additionalProperties':
      return { field: fieldOf(error.instancePath, String(p.additionalProperty)), code: 'form.not-allowed', params: {} };
    case 'type':
      return { field: at, code: 'form.type', params: { type: String(p.type) } };
    case 'maxLength':
      return { field: at, code: 'form.too-long', params: { limit: num(p.limit) } };
    case 'minLength':
      // Only required texts have a minimum (of one): an empty text is a missing one.
      return { field: at, code: 'form.required', params: {} };
    case 'pattern':
      return { field: at, code: 'form.pattern', params: {} };
    case 'enum':
    case 'const':
      return { field: at, code: 'form.enum', params: {} };
    case 'minimum':
    case 'exclusiveMinimum':
      return { field: at, code: 'form.range', params: { min: num(p.limit) } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field: at, code: 'form.range', params: { max: num(p.limit) } };
    case 'multipleOf':
      return { field: at, code: 'form.range', params: { step: num(p.multipleOf) } };
    case 'minItems':
      return { field: at, code: 'form.range', params: { minItems: num(p.limit) } };
    case 'maxItems':
      return { field: at, code: 'form.range', params: { maxItems: num(p.limit) } };
    case 'format':
      return { field: at, code: 'form.format', params: { format: String(p.format) } };
    case 'if':
      // "must match then": the `then` branch's own errors (a required field) say what is wrong.
      return undefined;
    default:
      return { field: at, code: 'form.invalid', params: { rule: error.keyword } };
  }
}

/**
 * The title of a problem's field in a language, from the form's `x-title`s ("data.works.0.description"
 * → "Kuvaus"); undefined when the path does not name a field of the form.
 */
export function fieldTitle(service: string, field: string, language: keyof FormTexts): string | undefined {
  const form = formOf(service);
  if (!form) return undefined;
  const [root, ...path] = field.split('.');
  if (root !== 'data') return undefined;
  if (path.length === 0) return form['x-title'][language];
  let properties: Readonly<Record<string, FormField>> | undefined = form.properties;
  let current: FormField | undefined;
  for (const segment of path) {
    if (current?.type === 'array') {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current.items;
      properties = current.type === 'object' ? current.properties : undefined;
      continue;
    }
    if (!properties || !Object.hasOwn(properties, segment)) return undefined;
    current = properties[segment];
    properties = current?.type === 'object' ? current.properties : undefined;
  }
  return current?.['x-title'][language];
}
