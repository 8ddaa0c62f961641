/**
 * The shapes the API answers with and accepts, for the UI to import as types (never as code): one
 * definition, on the server, so the two cannot drift apart.
 */
export type { MandateView, LogEntryView, PermittedAction } from './services/mandates.service.js';
export type { ServiceClassInput } from './services/catalogue.service.js';
export type { MandateStatus, ListDiff } from '@puolesta/domain';
