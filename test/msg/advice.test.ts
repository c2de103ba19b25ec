import { describe, expect, it } from 'vitest';
import { checkMsgAdvice, checkMsgShape, type MsgProblem } from '../../src/core/msg/index.js';
import { BUTTON_CARD, VALID, withValue } from './fixtures.js';

const brief = (problems: MsgProblem[]) => problems.map((p) => [p.code, p.path.join('.'), p.errcode]);
const row = { key: '字段：', value: '值' };

describe('checkMsgAdvice: accepted by DingTalk, shown badly', () => {
  it.each([
    ['text.content at 500', withValue(VALID.text, ['text', 'content'], '测'.repeat(500)), []],
    ['text.content at 501', withValue(VALID.text, ['text', 'content'], '测'.repeat(501)), [['msg/over-recommended', 'text.content', 0]]],
    ['link.title at 101', withValue(VALID.link, ['link', 'title'], 'x'.repeat(101)), [['msg/over-recommended', 'link.title', 0]]],
    ['link.text at 501', withValue(VALID.link, ['link', 'text'], 'x'.repeat(501)), [['msg/over-recommended', 'link.text', 0]]],
    ['oa.body.title at 51', withValue(VALID.oa, ['oa', 'body', 'title'], 'x'.repeat(51)), [['msg/over-recommended', 'oa.body.title', 0]]],
    ['action_card.markdown at 1001', withValue(BUTTON_CARD, ['action_card', 'markdown'], 'x'.repeat(1001)), [['msg/over-recommended', 'action_card.markdown', 0]]],
    ['6 OA rows', withValue(VALID.oa, ['oa', 'body', 'form'], Array(6).fill(row)), []],
    ['7 OA rows', withValue(VALID.oa, ['oa', 'body', 'form'], Array(7).fill(row)), [['msg/hidden-rows', 'oa.body.form.6', 0]]],
    ['HTML in markdown', withValue(VALID.markdown, ['markdown', 'text'], 'a<br/>b'), [['msg/markdown-html', 'markdown.text', 0]]],
    ['HTML in an action_card', withValue(BUTTON_CARD, ['action_card', 'markdown'], '<font color="red">!</font>'), [['msg/markdown-html', 'action_card.markdown', 0]]],
    ['a < b is not HTML', withValue(VALID.markdown, ['markdown', 'text'], 'p99 < 200ms and x<y'), []],
    ['HTML in plain text is fine', withValue(VALID.text, ['text', 'content'], '<b>'), []],
    // Only an SDK comment or a recommendation says these (dingtalk-api.md, top list): warnings, never refusals.
    ['oa.head.text at 10', withValue(VALID.oa, ['oa', 'head', 'text'], '测'.repeat(10)), []],
    ['oa.head.text at 11', withValue(VALID.oa, ['oa', 'head', 'text'], '测'.repeat(11)), [['msg/over-recommended', 'oa.head.text', 0]]],
    ['status_bg 0xFF + 6 hex', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], '0xff78c06e'), []],
    ['status_bg FF78C06E', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], 'FF78C06E'), [['msg/status-bg-format', 'oa.status_bar.status_bg', 0]]],
    ['status_bg 0xFF78C0', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], '0xFF78C0'), [['msg/status-bg-format', 'oa.status_bar.status_bg', 0]]],
    ['status_bg 0XFF78C06E', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], '0XFF78C06E'), [['msg/status-bg-format', 'oa.status_bar.status_bg', 0]]],
    ['status_bg 0xFF78C06E0', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], '0xFF78C06E0'), [['msg/status-bg-format', 'oa.status_bar.status_bg', 0]]],
    ['status_bg 0x8078C06E', withValue(VALID.oa, ['oa', 'status_bar', 'status_bg'], '0x8078C06E'), [['msg/status-bg-format', 'oa.status_bar.status_bg', 0]]],
    ['status_bar without status_value', withValue(VALID.oa, ['oa', 'status_bar', 'status_value'], undefined), [['msg/status-bar-empty', 'oa.status_bar', 0]]],
    ['form row without value', withValue(VALID.oa, ['oa', 'body', 'form', 1, 'value'], undefined), [['msg/form-row-incomplete', 'oa.body.form.1', 0]]],
    ['form row without key', withValue(VALID.oa, ['oa', 'body', 'form', 0, 'key'], undefined), [['msg/form-row-incomplete', 'oa.body.form.0', 0]]],
    ['action_card without title', withValue(VALID.action_card, ['action_card', 'title'], undefined), [['msg/missing-title', 'action_card', 0]]],
  ])('%s', (_name, msg, expected) => {
    expect(brief(checkMsgAdvice(msg))).toEqual(expected);
    expect(checkMsgShape(msg)).toEqual([]); // warnings only: never a refusal
  });
});
