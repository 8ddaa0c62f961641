export * from './ids.js';
export * from './local-date.js';
export * from './errors.js';
export * from './identity.js';
export * from './mandate.js';
export * from './decide.js';
export * from './audit-chain.js';
export * from './approvals.js';
