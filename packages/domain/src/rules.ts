/**
 * The rules a form checks before sending, for the browser: the same pure functions the server
 * calls (no copy of a rule in the UI), without the parts of the domain that need Node (the audit
 * chain's hashing). Import as `@puolesta/domain/rules`.
 */
export { MAX_MANDATE_YEARS, assertValidTerms, issuesForPrincipalKind, narrowTerms, termsRefusals, type MandateTerms, type TermsContext, type TermsRefusal } from './mandate.js';
export { addDays, addYears, isLocalDate, type LocalDate } from './local-date.js';
export { DomainError, DomainErrors, type ErrorParams } from './errors.js';
export { lastDayAsMinor } from './majority.js';
export type { IssueCode } from './ids.js';
