/** Refusals of the service catalogue and PTV import (kept beside the general list in error-codes.ts). */
import type { ErrorKind } from './error-codes.js';

const c = <K extends ErrorKind>(kind: K, en: string) => ({ kind, en });

export const CATALOGUE_ERROR_CODES = {
  // ---- policies (how acting on behalf works in a service) ------------------------------------
  'policy.unknown-kind': c('validation', 'kind must be one of no-need, alone, mandate, multi-signature.'),
  'policy.alternative-required': c('validation', 'A policy "alone" needs alternative: attest, notify or confirm.'),
  'policy.alternative-not-allowed': c('validation', 'alternative belongs only to kind "alone".'),
  /** `common` and `kind` are policies as `describePolicy` writes them: `mandate`, `alone (notify)`. */
  'policy.looser-than-common': c('validation', 'A municipality may make a policy stricter, not looser: the common catalogue says {common}, and {kind} would be looser.'),
  'policy.issues-required': c('validation', 'A service that needs a mandate must name the issues that are accepted.'),

  // ---- the common catalogue and municipalities' services -------------------------------------
  'catalogue.unknown-municipality': c('not-found', 'No municipality {municipality}.'),
  'catalogue.unknown-service': c('not-found', 'Municipality {municipality} has no service {service}.'),
  'catalogue.unknown-class': c('not-found', 'The common catalogue has no service {service}.'),
  'catalogue.unknown-version': c('not-found', 'No catalogue version {version}.'),
  'catalogue.invalid-code': c('validation', 'A code is lower-case words of letters and digits joined by single hyphens, e.g. boat-berth.'),
  'catalogue.name-required': c('validation', '{field} is required: names are given in Finnish, Swedish and English.'),
  'catalogue.local-name-incomplete': c('validation', '{field} is required when a local name is given.'),
  'catalogue.unknown-subject': c('validation', 'subject must be one of self, child, property, organization, self-or-principal, self-or-organization.'),
  'catalogue.unknown-parties': c('validation', 'parties must be one of guardians-of-subject, owners-of-property, co-applicants, signatories-of-organization, none.'),
  'catalogue.unknown-recommended-mandate': c('validation', 'recommendedMandate must be one-off or long-term.'),
  'catalogue.unknown-issue': c('validation', 'Unknown issue "{issue}".'),
  'catalogue.bundle-without-issues': c('validation', 'A bundle has at least one issue.'),
  'catalogue.link-not-http': c('validation', '{field} must be an http(s) address.'),
  'catalogue.email-invalid': c('validation', '{field} is not an e-mail address.'),

  // ---- PTV import and links: a record is named by its place in the input (`itemList.3`) -------
  'ptv.page-number-invalid': c('validation', '{field} must be a whole number.'),
  'ptv.page-items-missing': c('validation', 'itemList must be a list of PTV services.'),
  'ptv.record-not-object': c('validation', 'PTV record {record} is not a PTV service object.'),
  'ptv.record-id-invalid': c('validation', 'PTV record {record}: id must be a UUID.'),
  'ptv.record-type-invalid': c('validation', 'PTV record {record}: type must be one of Service, PermitOrObligation, ProfessionalQualification.'),
  'ptv.record-field-required': c('validation', 'PTV record {record}: {field} is required.'),
  'ptv.record-field-not-list': c('validation', 'PTV record {record}: {field} must be a list.'),
  'ptv.record-field-not-object': c('validation', 'PTV record {record}: {field} must be an object.'),
  'ptv.record-language-invalid': c('validation', 'PTV record {record}: {field} must be a language code such as fi, sv or en.'),
  'ptv.record-text-invalid': c('validation', 'PTV record {record}: {field} must be a non-empty text of at most {max} characters.'),
  'ptv.record-name-type-invalid': c('validation', 'PTV record {record}: {field} must be Name or AlternativeName.'),
  'ptv.record-name-missing': c('validation', 'PTV record {record} has no Name in Finnish, Swedish or English.'),
  'ptv.record-modified-invalid': c('validation', 'PTV record {record}: modified must be a date and time.'),
  'ptv.record-duplicate': c('validation', 'PTV record {record}: service {ptvId} appears twice in this import.'),
  'ptv.source-and-items': c('validation', 'Send either source or a PTV list page, not both.'),
  'ptv.source-not-url': c('validation', 'source must be an absolute http(s) URL.'),
  'ptv.fetch-not-allowed': c('validation', 'source is not an allowed PTV address (PUOLESTA_PTV_BASE_URLS).'),
  'ptv.fetch-failed': c('validation', 'Could not fetch page {page} from {origin}.'),
  'ptv.fetch-status': c('validation', '{origin} answered {status} to page {page}.'),
  'ptv.page-not-json': c('validation', 'Page {page} from {origin} is not JSON.'),
  'ptv.page-not-list': c('validation', 'Page {page} from {origin} is not a PTV list page ({ pageNumber, pageSize, pageCount, itemList }).'),
  'ptv.too-many-pages': c('validation', 'More than {maxPages} pages: stopped.'),
  'ptv.id-invalid': c('validation', 'ptvId must be a UUID.'),
  'ptv.not-imported': c('not-found', 'Municipality {municipality} has imported no PTV service {ptvId}.'),
  'ptv.unknown-class': c('validation', 'The common catalogue has no service {service}.'),
} as const;
