/**
 * Typed refusals. Each has a stable `code` (listed with its kind and English text in
 * error-codes.ts), parameters for the text, and the input `field` at fault. They carry no HTTP:
 * the server maps each kind to a status once, and the UI says each code in the user's language.
 */
import { ERROR_CODES, type ErrorCode, type ErrorKind } from './error-codes.js';

export type { ErrorCode, ErrorKind } from './error-codes.js';
/** @deprecated name kept for callers: the kind of a refusal. */
export type DomainErrorCode = ErrorKind;

export type ErrorParam = string | number | boolean | readonly string[];
export type ErrorParams = Readonly<Record<string, ErrorParam>>;

/** The English text of a code with its parameters filled in ({name} placeholders). */
export function englishText(code: ErrorCode, params: ErrorParams = {}): string {
  return ERROR_CODES[code].en.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return v === undefined ? `{${k}}` : Array.isArray(v) ? v.join(', ') : String(v);
  });
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly field?: string,
    /** Only for refusals not yet given a code of their own (see the legacy factories below). */
    message?: string,
  ) {
    super(message ?? englishText(code, params));
    this.kind = ERROR_CODES[code].kind;
    this.name = 'DomainError';
  }
}

/** Several refusals at once (a form's every field at fault); the first names the whole. */
export class DomainErrors extends DomainError {
  constructor(readonly list: readonly { code: ErrorCode; params: ErrorParams; field: string }[]) {
    super(list[0]!.code, list[0]!.params, list[0]!.field);
  }
}

/** A refusal with a stable code, its parameters and (for input) the field at fault. */
export const refuse = (code: ErrorCode, params: ErrorParams = {}, field?: string) => new DomainError(code, params, field);

// Legacy factories: a generic code and an English sentence. Being replaced by `refuse` with a code
// of its own (a test lists the places left).
export const invalid = (field: string, message: string) => new DomainError('input.invalid', { field }, field, message);
export const notFound = (message: string, field?: string) => new DomainError('object.not-found', {}, field, message);
export const forbidden = (message: string) => new DomainError('access.forbidden', {}, undefined, message);
export const conflict = (message: string) => new DomainError('state.conflict', {}, undefined, message);
