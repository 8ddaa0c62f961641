/**
 * The shapes the citizen API answers with, for the UI to import as types (never as code): one
 * definition, on the server, so the two cannot drift apart.
 */
export type { MandateView, LogEntryView, PermittedAction } from './services/mandates.service.js';
export type { MandateStatus } from '@puolesta/domain';
