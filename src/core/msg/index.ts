export { checkMsgAdvice } from './advice.js';
export { checkMsgShape } from './check.js';
export { formatMsgPath, type MsgProblem } from './problem.js';
export { checkMsgRecipients, type Recipients } from './recipients.js';
export { BTN_JSON_LIST_MAX_CHARS, actionCardHasOneStyle, btnJsonListLength } from './rules.js';
export { MSG_BYTE_LIMIT, checkMsgSize, largestContributors, msgBytes } from './size.js';
export * from './types.js';
export { TEMPLATE_NOT_FOUND, TEMPLATE_SEND, checkSendAdvice, checkSendRecipients, checkSendShape, checkSendSize, checkTemplateSendRecipients, checkTemplateSendShape, isTemplateSend, templateDataJson, templateSendBody, type TemplateSendMsg } from './templateSend.js';
