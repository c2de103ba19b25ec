export { classifyErrcode, knownErrcodes, type ErrClass } from './classify.js';
export { redactUrl } from './redact.js';
export { createDingTalkClient, buildSendBody, buildTemplateBody } from './client.js';
export { corpTokenSignature, type IsvCredentials } from './isv.js';
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
  TemplateSendRequest,
} from './types.js';
