export { classifyErrcode, knownErrcodes, type ErrClass } from './classify.js';
export { redactUrl } from './redact.js';
export { createDingTalkClient, buildSendBody } from './client.js';
export { clearTokenCache } from './token.js';
export { DingTalkCallError, DingTalkTransportError, type AttemptCount, type TransportKind } from './errors.js';
export type {
  ClientEvent,
  ClientOptions,
  DingTalkClient,
  ForbiddenEntry,
  SendOutcome,
  SendProgress,
  SendRequest,
  SendResultLists,
} from './types.js';
