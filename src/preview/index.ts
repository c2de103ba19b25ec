// Renders DingTalk work-notification messages as HTML that looks like the DingTalk client.
// Used by the sandbox inbox page and by `dingcast render --format html`.
export { renderMessageHtml, type RenderMessageOptions } from './message.js';
export { renderPage } from './page.js';
export { MESSAGE_CSS } from './styles.js';
export { escapeHtml } from './escape.js';
export { argbToCss } from './colors.js';
export { OA_FORM_ROWS_SHOWN } from './card-oa.js';
