export { OA_FORM_SHOWN_ROWS, OA_HEAD_TEXT_SDK_MAX_CHARS, checkMsgAdvice, markdownWithoutHtml, oaFormRowsShown, recommendedLengths } from './advice.js';
export { checkMsgShape } from './check.js';
export { closestName } from './closest.js';
export { ERRCODE, formatMsgPath, type MsgProblem } from './problem.js';
export { STATUS_BAR_MAX_USERS, checkMsgRecipients, isvCannotSendToAll, oaStatusBarRecipients, type AppKind, type Recipients } from './recipients.js';
export { BTN_JSON_LIST_MAX_CHARS, MSG_RULES, actionCardHasOneStyle, btnJsonListLength, type MsgRule } from './rules.js';
export { MSG_BYTE_LIMIT, checkMsgSize, largestContributors, msgBytes } from './size.js';
export * from './types.js';
export { TEMPLATE_NOT_FOUND, TEMPLATE_SEND, checkSendAdvice, checkSendRecipients, checkSendShape, checkSendSize, checkTemplateSendRecipients, checkTemplateSendShape, isTemplateSend, templateDataJson, templateSendBody, type TemplateSendMsg } from './templateSend.js';
