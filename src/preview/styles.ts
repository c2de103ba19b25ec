// Colours follow DingTalk's mobile work-notification cards: white cards on light grey,
// #3296FA accents, 8px corners. Bold is 700 because WenQuanYi Micro Hei has no bold face
// and Chromium only synthesises one from 700 up. WenQuanYi Micro Hei is listed so Linux (CI's Chromium)
// renders Chinese instead of tofu boxes.
const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", ' +
  '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Helvetica Neue", Helvetica, Arial, sans-serif';

/** Styles for `renderMessageHtml` output; `.dc-page` is the grey background `renderPage` uses. */
export const MESSAGE_CSS = `
.dc-page { margin: 0; padding: 16px; background: #F2F3F5; color: #171A1D; font-family: ${FONT_STACK}; }
.dc-msg, .dc-msg * { box-sizing: border-box; }
.dc-msg { width: 360px; max-width: 100%; margin: 0 0 20px; font-family: ${FONT_STACK}; font-size: 14px; line-height: 1.5; color: #171A1D; }
.dc-msg__meta { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; font-size: 12px; color: #747677; }
.dc-msg__avatar { display: inline-flex; align-items: center; justify-content: center; width: 28px; height: 28px;
  border-radius: 8px; background: #3296FA; color: #fff; font-size: 14px; }
.dc-msg__app { color: #171A1D; font-size: 13px; }
.dc-msg__read { margin-top: 4px; font-size: 12px; text-align: right; }
.dc-msg__read--read { color: #A2A3A4; }
.dc-msg__read--unread { color: #3296FA; }
.dc-card { background: #fff; border-radius: 8px; overflow: hidden; padding: 12px 16px;
  box-shadow: 0 1px 3px rgba(23, 26, 29, 0.06); word-wrap: break-word; overflow-wrap: anywhere; }
.dc-card a { color: #3296FA; text-decoration: none; }
.dc-card__title { font-size: 16px; font-weight: 700; line-height: 1.4; margin: 0 0 6px; }
.dc-card__title a { color: inherit; }
.dc-card__caption { font-size: 12px; color: #A2A3A4; padding-bottom: 6px; margin-bottom: 8px; border-bottom: 1px solid #F2F3F5; }
.dc-card__url { margin-top: 8px; font-size: 12px; color: #A2A3A4; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.dc-card__url--blocked { text-decoration: line-through; }
.dc-card__footer, .dc-ac__single { display: flex; justify-content: space-between; align-items: center;
  margin: 12px -16px -12px; padding: 10px 16px; border-top: 1px solid #F2F3F5; font-size: 14px; color: #3296FA; }
.dc-card__footer::after, .dc-ac__single::after { content: "›"; font-size: 18px; line-height: 1; color: #A2A3A4; }
.dc-text { white-space: pre-wrap; }
.dc-placeholder { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 2px;
  background: #EEF0F2; border: 1px dashed #C9CDD4; border-radius: 4px; color: #8F959E; font-size: 12px;
  text-align: center; overflow: hidden; }
.dc-placeholder__label { font-size: 13px; color: #5C5E60; }
.dc-placeholder__id { max-width: 100%; padding: 0 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.dc-placeholder--inline { display: inline-flex; padding: 4px 8px; }
.dc-card--image { padding: 0; }
.dc-image { width: 100%; aspect-ratio: 336 / 189; border: 0; border-radius: 0; }
.dc-file { display: flex; align-items: center; gap: 12px; }
.dc-file__icon { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 48px;
  border-radius: 4px; background: #3296FA; color: #fff; font-size: 11px; font-weight: 600; }
.dc-file__info { min-width: 0; }
.dc-file__name { font-size: 15px; }
.dc-file__id, .dc-voice__id { font-size: 12px; color: #A2A3A4; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dc-voice { display: flex; align-items: center; gap: 10px; min-width: 120px; }
.dc-voice__play { position: relative; flex: none; width: 28px; height: 28px; border-radius: 50%; background: #3296FA; }
.dc-voice__play::after { content: ""; position: absolute; left: 11px; top: 8px; border-style: solid;
  border-width: 6px 0 6px 9px; border-color: transparent transparent transparent #fff; }
.dc-voice__duration { color: #5C5E60; }
.dc-link__row { display: flex; gap: 12px; align-items: flex-start; }
.dc-link__text { flex: 1; min-width: 0; color: #747677; font-size: 13px; display: -webkit-box; -webkit-line-clamp: 3;
  -webkit-box-orient: vertical; overflow: hidden; }
.dc-link__pic { flex: none; width: 56px; height: 56px; object-fit: cover; border-radius: 4px; }
.dc-link__pic.dc-placeholder { font-size: 10px; }
.dc-link__pic .dc-placeholder__label { font-size: 11px; }
.dc-md > :first-child { margin-top: 0; }
.dc-md > :last-child { margin-bottom: 0; }
.dc-md p { margin: 0 0 8px; }
.dc-md h1, .dc-md h2, .dc-md h3, .dc-md h4, .dc-md h5, .dc-md h6 { margin: 4px 0 8px; line-height: 1.4; font-weight: 700; }
.dc-md h1 { font-size: 20px; } .dc-md h2 { font-size: 18px; } .dc-md h3 { font-size: 16px; }
.dc-md h4, .dc-md h5, .dc-md h6 { font-size: 14px; }
.dc-md blockquote { margin: 0 0 8px; padding: 2px 0 2px 10px; border-left: 3px solid #E5E6E8; color: #747677; }
.dc-md ul, .dc-md ol { margin: 0 0 8px; padding-left: 20px; }
.dc-md img { max-width: 100%; border-radius: 4px; vertical-align: middle; }
.dc-md hr { border: 0; border-top: 1px solid #E5E6E8; margin: 8px 0; }
.dc-md code { font-family: inherit; background: #F2F3F5; border-radius: 3px; padding: 0 3px; }
.dc-ac__btns { display: flex; margin: 12px -16px -12px; border-top: 1px solid #F2F3F5; }
.dc-ac__btns--vertical { flex-direction: column; }
.dc-ac__btns--horizontal { flex-direction: row; }
.dc-ac__btn { flex: 1; display: block; padding: 10px 8px; text-align: center; color: #3296FA; font-size: 14px; }
.dc-ac__btns--vertical .dc-ac__btn + .dc-ac__btn { border-top: 1px solid #F2F3F5; }
.dc-ac__btns--horizontal .dc-ac__btn + .dc-ac__btn { border-left: 1px solid #F2F3F5; }
.dc-ac__btn--nolink, .dc-ac__single--nolink { color: #A2A3A4; }
.dc-card--oa { padding: 0; }
.dc-oa__head { display: flex; align-items: center; height: 36px; padding: 0 16px; color: #fff; font-size: 14px; }
.dc-oa__head--light { color: #171A1D; }
.dc-oa__body { padding: 12px 16px; }
.dc-oa__form { margin: 4px 0 6px; }
.dc-oa__form-row { display: flex; gap: 8px; line-height: 1.6; }
.dc-oa__form-key { flex: none; max-width: 40%; color: #747677; }
.dc-oa__form-value { flex: 1; min-width: 0; }
.dc-oa__form-hidden { font-size: 12px; color: #A2A3A4; }
.dc-oa__rich { margin: 4px 0; }
.dc-oa__rich-num { font-size: 28px; font-weight: 600; line-height: 1.2; }
.dc-oa__rich-unit { margin-left: 4px; font-size: 14px; color: #5C5E60; }
.dc-oa__content { margin: 4px 0; color: #5C5E60; white-space: pre-wrap; display: -webkit-box; -webkit-line-clamp: 3;
  -webkit-box-orient: vertical; overflow: hidden; }
.dc-oa__image { display: flex; width: 100%; aspect-ratio: 3 / 2; margin: 6px 0; object-fit: cover; }
.dc-oa__files, .dc-oa__author { font-size: 12px; color: #A2A3A4; margin-top: 4px; }
.dc-oa__author { text-align: right; }
.dc-oa__status { padding: 6px 16px; color: #fff; font-size: 13px; }
.dc-oa__status--light { color: #171A1D; }
.dc-card--oa .dc-card__footer { margin: 0; }
.dc-card--unsupported { background: #FFF7F7; border: 1px dashed #F65E5E; }
.dc-unsupported__title { color: #D54941; font-weight: 600; }
.dc-unsupported__reason { color: #5C5E60; font-size: 13px; }
.dc-unsupported__raw { margin: 6px 0 0; font-size: 11px; color: #8F959E; white-space: pre-wrap; max-height: 6em; overflow: hidden; }
`;
