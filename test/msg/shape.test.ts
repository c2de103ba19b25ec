import { describe, expect, it } from 'vitest';
import { MSGTYPES, checkMsgShape, type MsgProblem } from '../../src/core/msg/index.js';
import { BUTTON_CARD, VALID, withRenamedKey, withValue } from './fixtures.js';

const brief = (problems: MsgProblem[]) => problems.map((p) => [p.code, p.path.join('.'), p.errcode]);

describe('checkMsgShape: valid messages', () => {
  it.each(MSGTYPES.map((t) => [t]))('%s passes', (t) => {
    expect(checkMsgShape(VALID[t])).toEqual([]);
  });
  it('action_card in button style passes', () => expect(checkMsgShape(BUTTON_CARD)).toEqual([]));
  it.each([
    ['oa with only the required keys', { msgtype: 'oa', oa: { message_url: 'u', head: { bgcolor: 'ffbbbbbb', text: 'h' }, body: {} } }],
    ['voice of 1 s', withValue(VALID.voice, ['voice', 'duration'], '1')],
    ['voice of 59 s', withValue(VALID.voice, ['voice', 'duration'], '59')],
    ['btn_orientation "0"', withValue(BUTTON_CARD, ['action_card', 'btn_orientation'], '0')],
  ])('%s passes', (_name, msg) => expect(checkMsgShape(msg)).toEqual([]));
});

describe('checkMsgShape: missing fields', () => {
  it.each([
    ['text.content', VALID.text, ['text', 'content']],
    ['image.media_id', VALID.image, ['image', 'media_id']],
    ['voice.media_id', VALID.voice, ['voice', 'media_id']],
    ['voice.duration', VALID.voice, ['voice', 'duration']],
    ['file.media_id', VALID.file, ['file', 'media_id']],
    ['link.messageUrl', VALID.link, ['link', 'messageUrl']],
    ['link.picUrl', VALID.link, ['link', 'picUrl']],
    ['link.title', VALID.link, ['link', 'title']],
    ['link.text', VALID.link, ['link', 'text']],
    ['markdown.title', VALID.markdown, ['markdown', 'title']],
    ['markdown.text', VALID.markdown, ['markdown', 'text']],
    ['oa.message_url', VALID.oa, ['oa', 'message_url']],
    ['oa.head', VALID.oa, ['oa', 'head']],
    ['oa.head.bgcolor', VALID.oa, ['oa', 'head', 'bgcolor']],
    ['oa.head.text', VALID.oa, ['oa', 'head', 'text']],
    ['oa.body', VALID.oa, ['oa', 'body']],
    ['action_card.markdown', VALID.action_card, ['action_card', 'markdown']],
    ['btn_json_list[0].action_url', BUTTON_CARD, ['action_card', 'btn_json_list', 0, 'action_url']],
  ] as const)('%s is reported at its path', (_name, msg, path) => {
    expect(brief(checkMsgShape(withValue(msg, [...path], undefined)))).toEqual([['msg/missing-field', path.join('.'), 40035]]);
  });
  it.each(MSGTYPES.map((t) => [t]))('msgtype %s without its object', (t) => {
    expect(brief(checkMsgShape({ msgtype: t }))).toEqual([['msg/missing-field', t, 40035]]);
  });
  it('msg without msgtype is errcode 40008', () => {
    expect(brief(checkMsgShape({ text: { content: 'x' } }))).toEqual([['msg/missing-field', 'msgtype', 40008]]);
  });
  it('a msg that is not an object', () => {
    expect(brief(checkMsgShape('hello'))).toEqual([['msg/bad-type', '', 40035]]);
  });
});

describe('checkMsgShape: unknown and mis-cased keys carry "did you mean"', () => {
  it.each([
    ['link', 'messageUrl', 'message_url', VALID.link, ['link']],
    ['link', 'picUrl', 'pic_url', VALID.link, ['link']],
    ['oa', 'message_url', 'messageUrl', VALID.oa, ['oa']],
    ['oa', 'pc_message_url', 'pcMessageUrl', VALID.oa, ['oa']],
    ['oa.head', 'bgcolor', 'bgColor', VALID.oa, ['oa', 'head']],
    ['oa.status_bar', 'status_bg', 'statusBg', VALID.oa, ['oa', 'status_bar']],
    ['oa.body', 'file_count', 'fileCount', VALID.oa, ['oa', 'body']],
    ['image', 'media_id', 'mediaId', VALID.image, ['image']],
    ['voice', 'duration', 'duraton', VALID.voice, ['voice']],
    ['markdown', 'title', 'titel', VALID.markdown, ['markdown']],
    ['text', 'content', 'contnet', VALID.text, ['text']],
    ['action_card', 'single_url', 'singleURL', VALID.action_card, ['action_card']],
    ['action_card', 'single_title', 'singleTitle', VALID.action_card, ['action_card']],
    ['action_card', 'btn_orientation', 'btnOrientation', BUTTON_CARD, ['action_card']],
  ] as const)('%s: %s written as %s', (_obj, good, bad, msg, path) => {
    const problems = checkMsgShape(withRenamedKey(msg, [...path], good, bad));
    expect(problems).toContainEqual({
      code: 'msg/unknown-key',
      path: [...path, bad],
      message: `unknown key \`${bad}\` in \`${path.join('.')}\``,
      hint: `Did you mean \`${good}\`?`,
      errcode: 40035,
    });
    // the echo "missing <good>" is folded into the hint
    expect(problems.filter((p) => p.code === 'msg/missing-field')).toEqual([]);
  });
  it('a key with no close match lists the known keys', () => {
    const [p] = checkMsgShape(withValue(VALID.link, ['link', 'zzzzzz'], 'x'));
    expect(p?.hint).toBe('Allowed keys: messageUrl, picUrl, title, text.');
  });
  it('robot casing at the top: actionCard', () => {
    const msg = withRenamedKey({ ...VALID.action_card, msgtype: 'actionCard' }, [], 'action_card', 'actionCard');
    expect(checkMsgShape(msg).map((p) => [p.code, p.path.join('.'), p.hint, p.errcode])).toEqual([
      ['msg/unknown-key', 'actionCard', 'Did you mean `action_card`?', 40035],
      ['msg/unknown-msgtype', 'msgtype', 'Did you mean `action_card`?', 40008],
    ]);
  });
  it('a second msgtype object is refused', () => {
    const msg = { ...VALID.text, markdown: VALID.markdown.markdown };
    expect(brief(checkMsgShape(msg))).toEqual([['msg/unknown-key', 'markdown', 40035]]);
  });
  it('the wrong object for the msgtype suggests the msgtype', () => {
    const problems = checkMsgShape({ msgtype: 'text', markdown: VALID.markdown.markdown });
    expect(problems.map((p) => [p.path.join('.'), p.hint])).toEqual([
      ['text', 'Did you mean msgtype: markdown?'],
      ['markdown', 'Remove markdown, or set msgtype: markdown.'],
    ]);
  });
  it.each([['links', 'link'], ['Markdown', 'markdown'], ['actioncard', 'action_card'], ['sms', undefined]])(
    'unknown msgtype %s → errcode 40008, did you mean %s',
    (bad, guess) => {
      const problem = checkMsgShape({ msgtype: bad }).find((p) => p.code === 'msg/unknown-msgtype');
      expect(problem?.errcode).toBe(40008);
      expect(problem?.hint).toBe(guess === undefined ? `Use one of ${MSGTYPES.join(', ')}.` : `Did you mean \`${guess}\`?`);
    },
  );
});
