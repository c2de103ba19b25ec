export { checkMsgAdvice } from './advice.js';
export { checkMsgShape } from './check.js';
export { sha256OfMsg } from './hash.js';
export { formatMsgPath, type MsgProblem } from './problem.js';
export { checkMsgRecipients, type Recipients } from './recipients.js';
export { BTN_JSON_LIST_MAX_CHARS, actionCardHasOneStyle, btnJsonListLength } from './rules.js';
export { MSG_BYTE_LIMIT, checkMsgSize, largestContributors, msgBytes } from './size.js';
export * from './types.js';
export { checkSendAdvice, checkSendRecipients, checkSendShape, checkSendSize, isTemplateSend, templateDataJson, templateSendBody } from './templateSend.js';
