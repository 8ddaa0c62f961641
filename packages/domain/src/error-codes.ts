/**
 * Every refusal the platform gives, by stable code: its kind (which the server maps to an HTTP
 * status once) and its English text with {placeholders} for the parameters. Clients key on the
 * code; the web UI has its own text for every code in Finnish, Swedish and English.
 * Codes never change meaning; a new situation gets a new code.
 */
import { CATALOGUE_ERROR_CODES } from './error-codes.catalogue.js';

export type ErrorKind = 'validation' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'rate-limited' | 'unavailable';

const c = <K extends ErrorKind>(kind: K, en: string) => ({ kind, en });

export const ERROR_CODES = {
  // ---- generic (legacy: being replaced by codes of their own) --------------------------------
  'input.invalid': c('validation', '{field} is not valid.'),
  'object.not-found': c('not-found', 'Not found.'),
  'access.forbidden': c('forbidden', 'You may not do this.'),
  'state.conflict': c('conflict', 'This cannot be done in the current state.'),

  // ---- request shape (from schema validation and the HTTP layer) ------------------------------
  'input.required': c('validation', '{field} is required.'),
  'input.unknown-field': c('validation', '{field} is not a known field.'),
  'input.schema': c('validation', '{field}: {message}.'),
  'input.not-json': c('validation', 'The body is not valid JSON.'),
  'input.too-large': c('validation', 'The request is too large.'),
  'input.unsupported-media-type': c('validation', 'Send the body as application/json.'),
  'input.date': c('validation', '{field} must be a calendar date between 1900-01-01 and 2199-12-31 (YYYY-MM-DD).'),
  'input.unstorable-text': c('validation', '{field} contains a character that cannot be stored (a NUL character or half of a surrogate pair).'),
  'input.date-time': c('validation', '{field} must be an ISO 8601 date-time, e.g. 2026-12-01T12:00:00Z.'),
  // ---- hostile input and router errors (issue 11) ----------------------------------------------
  'input.bad-url': c('validation', 'The address is not a valid URL (a malformed percent-encoding).'),
  'input.path-too-long': c('validation', 'A part of the address is too long.'),
  'input.headers-too-large': c('validation', 'The request headers are too large.'),
  'input.bad-request': c('validation', 'The request could not be read.'),
  'route.not-found': c('not-found', 'No such address.'),
  'request.idempotency-key-reused': c('conflict', 'This Idempotency-Key was used for another request.'),

  // ---- who is asking -------------------------------------------------------------------------
  'auth.login-required': c('unauthenticated', 'Log in first.'),
  'auth.session-ended': c('unauthenticated', 'Your session has ended. Log in again.'),
  'auth.basic-required': c('unauthenticated', 'Authenticate with HTTP Basic using your API client id and secret.'),
  'auth.bad-client': c('unauthenticated', 'Unknown API client or wrong secret.'),
  'auth.unknown-persona': c('not-found', 'No such demo persona.'),
  // login over OpenID Connect (issue 11): shown on the login page after the provider sent the browser back
  'auth.provider-unavailable': c('unavailable', 'The identification service cannot be reached. Try again in a moment.'),
  'auth.login-expired': c('unauthenticated', 'The login took too long or was started in another window. Log in again.'),
  'auth.login-cancelled': c('unauthenticated', 'The identification was cancelled.'),
  'auth.login-failed': c('unauthenticated', 'The identification did not succeed. Log in again.'),
  'auth.assurance-too-low': c('forbidden', 'This service needs strong identification.'),
  'auth.person-unknown': c('not-found', 'Your details were not found in the registers this service uses.'),
  'auth.staff-not-mapped': c('forbidden', 'Your user account gives you no role in this service, or names no municipality it serves.'),
  'access.citizens-only': c('forbidden', 'This is for citizens; you are logged in as staff.'),
  'access.staff-only': c('forbidden', 'This is for municipal staff.'),
  'access.role-required': c('forbidden', 'This needs the role {roles}.'),
  'access.other-municipality': c('forbidden', 'You act for municipality {own} and cannot act for {municipality}.'),
  'access.umbrella-only': c('forbidden', 'Only the umbrella organisation keeps the common catalogue.'),
  'access.not-your-municipality': c('forbidden', "Only municipality {municipality}'s administrator can do this."),
  'csrf.token-missing': c('forbidden', 'Send the X-CSRF-Token header that GET /api/v1/me gives.'),
  'csrf.token-mismatch': c('forbidden', 'The X-CSRF-Token header does not belong to this session.'),
  'csrf.foreign-origin': c('forbidden', 'Requests from another site are not accepted.'),
  'rate.limited': c('rate-limited', 'Too many requests. Try again in a few minutes.'),
  'service.unavailable': c('unavailable', 'The service is briefly unavailable. Try again in a moment.'),
  'server.error': c('unavailable', 'Something went wrong on our side. The request was not completed.'),

  // ---- parties -------------------------------------------------------------------------------
  'party.invalid-identity-code': c('validation', '{field} is not a valid personal identity code.'),
  'party.invalid-business-id': c('validation', '{field} is not a valid business id.'),
  'party.invalid-type': c('validation', '{field} must be "person" or "organization".'),
  'party.unknown': c('not-found', 'No {partyType} with that identifier ({field}).'),
  'party.self': c('validation', 'A mandate cannot be between a party and itself.'),
  'party.minor-cannot-grant': c('forbidden', 'A minor cannot give a mandate; every guardian gives it for them.'),
  'party.not-guardian': c('forbidden', 'You are not a guardian of that minor.'),
  'party.no-signing-rights': c('forbidden', 'You have no signing rights in that organisation.'),
  'party.outside-court-scope': c('forbidden', "The court's appointment does not cover {issues}."),
  'party.cannot-act-for': c('forbidden', 'You cannot act for that party.'),
  'party.not-on-side': c('validation', '{field} is not a party to this mandate on that side.'),
  'property.invalid-type': c('validation', '{field} must be "property".'),
  'property.invalid-id': c('validation', '{field} is not a property id.'),
  'property.unknown': c('not-found', 'No such property ({field}).'),
  'property.not-principals': c('validation', 'A mandate can be limited only to a property the principal owns.'),
  'municipality.unknown': c('validation', 'Unknown municipality code ({field}).'),
  'organization.not-yours': c('not-found', 'No such organisation among yours.'),

  // ---- mandates ------------------------------------------------------------------------------
  'mandate.not-found': c('not-found', 'No such mandate.'),
  'mandate.no-issues': c('validation', 'Give at least one issue or a bundle.'),
  'mandate.unknown-issue': c('validation', 'Unknown issue "{issue}".'),
  'mandate.unknown-bundle': c('validation', 'Unknown bundle "{bundle}".'),
  'mandate.ends-before-start': c('validation', 'validUntil is before validFrom.'),
  'mandate.ended': c('validation', 'validUntil is in the past.'),
  'mandate.backdated': c('validation', 'validFrom may not be before today ({today}).'),
  'mandate.too-long': c('validation', 'A mandate may run at most {maxYears} years (until {lastDay} at the latest).'),
  'mandate.beyond-majority': c('validation', "A mandate in a minor's matters ends when they turn 18: until {lastDay} at the latest."),
  'mandate.not-requested-issue': c('validation', '"{issue}" was not requested: a decision may only narrow the issues.'),
  'mandate.nothing-granted': c('validation', 'Grant at least one issue, or reject the request.'),
  'mandate.widened-start': c('validation', 'validFrom may not be earlier than requested.'),
  'mandate.widened-end': c('validation', 'validUntil may not be later than requested.'),
  'mandate.wrong-status': c('conflict', 'This cannot be done: the mandate is {status}.'),
  'mandate.not-yet-valid': c('conflict', 'The mandate is valid only from {validFrom}.'),
  'mandate.already-approved': c('conflict', 'You have already approved this mandate; it waits for the others.'),
  'mandate.not-decider': c('forbidden', 'Only the principal (or who decides for it) can decide on this request.'),
  'mandate.not-principal': c('forbidden', 'Only the principal can revoke a mandate; the agent can renounce it.'),
  'mandate.not-agent': c('forbidden', 'Only the agent can renounce a mandate; the principal can revoke it.'),
  'mandate.not-agent-of-use': c('conflict', 'The actor is not the agent of this mandate.'),
  'mandate.other-municipality': c('conflict', 'The mandate is limited to municipality {municipality}.'),
  'mandate.errand-ref-blank': c('validation', 'errandRef must name the errand.'),
  'paper.reference-blank': c('validation', 'document.reference must name the signed paper in the archive.'),

  // ---- paper powers of attorney --------------------------------------------------------------
  'paper.signed-in-future': c('validation', 'document.signedOn is in the future.'),
  'paper.other-municipality': c('forbidden', 'A caseworker registers a paper power of attorney only in their own municipality ({own}).'),
  'paper.signers-missing': c('validation', 'The power of attorney must be signed by {required}.'),
  'paper.signer-unknown': c('validation', '{field} is not someone who can sign for the principal.'),
  // Caseworker pages (issue 10, item 6): the per-person view and revoking a paper mandate.
  'paper.not-paper-mandate': c('forbidden', 'Only a mandate registered from a paper power of attorney can be revoked at a service point; the principal revokes an electronic one online.'),
  'paper.revoke-other-municipality': c('forbidden', 'A paper mandate is revoked by a caseworker of the municipality that registered it ({registeredIn}).'),
  'paper.request-in-future': c('validation', 'The date of the written request ({field}) is in the future.'),
  'staff.lookup-reason-blank': c('validation', 'Give the reason for looking up this person\'s mandates.'),

  // ---- the registers' feed -----------------------------------------------------------------------
  'register.role-invalid': c('validation', 'role must be lower-case words joined by hyphens, e.g. board-chair.'),
  'register.own-guardian': c('validation', 'A person cannot be their own guardian.'),
  'register.signing-invalid': c('validation', 'signing must be "alone", "jointly" or "none".'),

  // ---- checks --------------------------------------------------------------------------------
  'check.unknown-issue': c('validation', 'Unknown issue "{issue}".'),

  // ---- errands ----------------------------------------------------------------------------------
  'errand.not-found': c('not-found', 'No such errand.'),
  'errand.not-applicant': c('forbidden', 'Only the applicant can do this.'),
  'errand.not-party': c('forbidden', 'You are not a party whose answer this errand waits for.'),
  'errand.wrong-status': c('conflict', 'This cannot be done: the errand is {status}.'),
  'errand.already-answered': c('conflict', 'You have already answered this version of the errand.'),
  'errand.wrong-answer': c('validation', 'This errand asks the parties to {expected} ({field}).'),
  'errand.version-changed': c('conflict', 'The errand was changed after you opened it. Read the new version before you answer.'),
  'errand.reason-required': c('validation', 'Say why you decline ({field}).'),
  'errand.attestation-required': c('validation', 'Confirm that the other parties know of the errand and agree ({field}).'),
  'errand.unknown-service': c('validation', 'The municipality does not offer this service ({field}).'),
  'errand.subject-type': c('validation', 'This service concerns {expected} ({field}).'),
  'errand.cannot-act-for': c('forbidden', 'You cannot start an errand for that party in this service ({field}).'),
  'errand.not-owner': c('forbidden', 'You do not own that property, and no owner has given you a mandate for it ({field}).'),
  'errand.parties-not-allowed': c('validation', 'This service takes its parties from the registers; co-applicants cannot be added ({field}).'),
  'errand.duplicate-party': c('validation', 'The same party is named twice ({field}).'),
  'errand.party-is-applicant': c('validation', 'You are the applicant; do not name yourself as a co-applicant ({field}).'),
  'errand.idempotency-key-reused': c('conflict', 'This Idempotency-Key was used for another request.'),
  'errand.decision-text-required': c('validation', 'Write the decision\'s text ({field}).'),
  'errand.information-text-required': c('validation', 'Say what information is needed ({field}).'),
  'attachment.too-large': c('validation', 'The file is too large: at most {maxBytes} bytes.'),
  'attachment.type-not-allowed': c('validation', 'Files of this type are not accepted; send PDF, JPEG, PNG or a text file.'),
  'attachment.too-many': c('validation', 'An errand takes at most {max} attachments.'),
  'attachment.not-found': c('not-found', 'No such attachment.'),
  'attachment.name-invalid': c('validation', '{field} must be a file name of 1–200 characters.'),
  'party-request.not-found': c('not-found', 'No such party request.'),
  'party-request.no-parties': c('validation', 'The registers name no parties for this subject, and none were given ({field}).'),
  'party-request.hash-invalid': c('validation', '{field} must be a SHA-256 digest in hexadecimal (64 characters).'),
  'party-request.deadline-invalid': c('validation', '{field} must be a date from tomorrow up to 90 days ahead.'),
  'party-request.not-party': c('forbidden', 'You are not a party to this request.'),

  // ---- errand forms (the service's JSON Schema) ---------------------------------------------------
  'form.required': c('validation', '{field} is required.'),
  'form.type': c('validation', '{field} must be of type {type}.'),
  'form.too-long': c('validation', '{field} is too long (at most {limit}).'),
  'form.not-allowed': c('validation', '{field} is not a field of this form.'),
  'form.pattern': c('validation', '{field} is not in the expected form.'),
  'form.enum': c('validation', '{field} must be one of the choices offered.'),
  'form.range': c('validation', '{field} is out of range.'),
  'form.format': c('validation', '{field} is not a valid {format}.'),
  'form.invalid': c('validation', '{field} is not valid.'),

  // ---- service catalogue and PTV (error-codes.catalogue.ts) -----------------------------------
  // ---- notifications ----------------------------------------------------------------------------
  'message.not-found': c('not-found', 'No such message.'),
  'delivery.not-found': c('not-found', 'No such message delivery.'),
  'delivery.not-retryable': c('conflict', 'Only a failed or dead-lettered delivery can be sent again; this one is {status}.'),
  'settings.unknown-channel': c('validation', '{field} must be one of suomifi, email, sms, paper.'),
  'settings.unknown-language': c('validation', '{field} must be one of fi, sv, en.'),
  'settings.email-invalid': c('validation', '{field} is not an e-mail address.'),
  'settings.phone-invalid': c('validation', '{field} must be a phone number in international form, such as +358401234567.'),
  'settings.channel-needs-detail': c('validation', 'Messages by {channel} need {field}.'),
  'metrics.token-required': c('unauthenticated', 'The metrics need the bearer token set in PUOLESTA_METRICS_TOKEN.'),
  ...CATALOGUE_ERROR_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];
export const isErrorCode = (s: string): s is ErrorCode => Object.hasOwn(ERROR_CODES, s);
