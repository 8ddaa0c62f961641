/**
 * Typed domain errors. They carry no HTTP: the server maps each code to a status once.
 * `field` names the input at fault (a JSON pointer-ish path such as `validUntil` or `agent.id`).
 */
export type DomainErrorCode =
  | 'validation' // bad input
  | 'unauthenticated'
  | 'forbidden' // known caller, not allowed to do this
  | 'not-found' // unknown, or not visible to this caller
  | 'conflict'; // the object's state does not allow this now

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string) => new DomainError('validation', message, field);
export const notFound = (message: string, field?: string) => new DomainError('not-found', message, field);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
