export { classifyErrcode, knownErrcodes, type ErrClass } from './classify.js';
export { redactUrl } from './redact.js';
export { createDingTalkClient, buildSendBody } from './client.js';
export { clearTokenCache } from './token.js';
export { DingTalkCallError, DingTalkTransportError } from './errors.js';
export type {
  ClientEvent,
  ClientOptions,
  DingTalkClient,
  SendOutcome,
  SendProgress,
  SendRequest,
} from './types.js';
