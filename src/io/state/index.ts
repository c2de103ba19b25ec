export { openState } from './open.js';
export { ledgerFile, parseLedger } from './file.js';
export { type LockHolder, type StateStatus, type StateStore } from './types.js';
