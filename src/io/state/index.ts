export { openState, type OpenStateOptions } from './open.js';
export { DINGTALK_TARGET, fileStore, ledgerFile, lockFile, parseLedger, stateDir, type LedgerWriter } from './file.js';
export { StateError, type AppendResult, type LedgerRead, type Lock, type LockHolder, type ReadQuery, type StateStatus, type StateStore } from './types.js';
