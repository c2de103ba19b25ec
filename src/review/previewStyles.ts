/** Review page chrome around the DingTalk cards (MESSAGE_CSS styles the cards themselves). */
export const PREVIEW_CSS = `
.dcr-head { max-width: 1160px; margin: 0 auto 16px; }
.dcr-head h1 { margin: 0 0 4px; font-size: 20px; }
.dcr-stats { margin: 0; color: #5C5E60; font-size: 13px; }
.dcr-grid { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; max-width: 1160px; margin: 0 auto; }
.dcr-item { box-sizing: border-box; width: 376px; padding: 12px 8px 10px; background: #E9EBEE; border-radius: 10px; }
.dcr-item .dc-msg { margin: 0 0 10px; width: 100%; }
.dcr-item__id { margin: 0; font-size: 15px; font-weight: 700; word-break: break-all; }
.dcr-item__sub { margin: 0 0 8px; font-size: 12px; color: #747677; }
.dcr-size { font-size: 12px; color: #5C5E60; }
.dcr-size__track { height: 6px; background: #fff; border-radius: 3px; overflow: hidden; }
.dcr-size__bar { height: 100%; background: #3296FA; }
.dcr-size--near .dcr-size__bar { background: #FF9200; }
.dcr-size--over .dcr-size__bar { background: #F25643; }
.dcr-size--over .dcr-size__label { color: #F25643; font-weight: 700; }
.dcr-size__label { margin: 3px 0 0; }
.dcr-size__largest { margin: 2px 0 0; padding-left: 16px; }
.dcr-size__largest code, .dcr-problems code { font-size: 11px; }
.dcr-to { margin: 8px 0 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; font-size: 12px; }
.dcr-to dt { color: #747677; }
.dcr-to dd { margin: 0; word-break: break-all; }
.dcr-muted { color: #A2A3A4; }
.dcr-bad { color: #F25643; font-weight: 700; }
.dcr-problems { max-width: 1160px; margin: 0 auto 16px; padding: 8px 16px; background: #FFF1F0; border: 1px solid #F25643; border-radius: 8px; font-size: 13px; }
.dcr-problems h2 { margin: 0 0 4px; font-size: 14px; color: #F25643; }
`;
