import { describe, expect, it } from 'vitest';
import { checkMsgShape, type MsgProblem } from '../../src/core/msg/index.js';
import { BUTTON_CARD, VALID, withValue } from './fixtures.js';

const brief = (problems: MsgProblem[]) => problems.map((p) => [p.code, p.path.join('.'), p.errcode]);

// Hard caps (errcode 34016) count characters, not bytes: CJK must be allowed up to the same number.
describe.each([
  ['text.content', VALID.text, ['text', 'content'], 5000],
  ['markdown.text', VALID.markdown, ['markdown', 'text'], 5000],
  ['action_card.title', VALID.action_card, ['action_card', 'title'], 64],
  ['action_card.markdown', VALID.action_card, ['action_card', 'markdown'], 5000],
  ['action_card.single_title', VALID.action_card, ['action_card', 'single_title'], 20],
  ['action_card.single_url', VALID.action_card, ['action_card', 'single_url'], 500],
  ['btn_json_list[].title', BUTTON_CARD, ['action_card', 'btn_json_list', 1, 'title'], 20],
  ['btn_json_list[].action_url', BUTTON_CARD, ['action_card', 'btn_json_list', 0, 'action_url'], 700],
] as const)('%s cap %i', (_name, msg, path, limit) => {
  it.each([['x'], ['测'], ['😀']])('%s × limit passes', (ch) => {
    expect(checkMsgShape(withValue(msg, [...path], ch.repeat(limit)))).toEqual([]);
  });
  it('limit + 1 fails with 34016 at the exact path', () => {
    const problems = checkMsgShape(withValue(msg, [...path], '测'.repeat(limit + 1)));
    expect(brief(problems)).toEqual([['msg/too-long', path.join('.'), 34016]]);
    expect(problems[0]?.message).toContain(`is ${limit + 1} characters; at most ${limit} allowed`);
  });
});

describe('formats', () => {
  it.each([
    ['voice.duration', VALID.voice, ['voice', 'duration'], ['1', '9', '10', '59'], ['0', '60', '07', '1.5', ' 10', '']],
    ['oa.head.bgcolor', VALID.oa, ['oa', 'head', 'bgcolor'], ['FFBBBBBB', 'ff00aa11'], ['0xFFBBBBBB', 'FFBBBB', 'FFBBBBBBB', 'GGBBBBBB', '#FFBBBBB']],
    ['action_card.btn_orientation', BUTTON_CARD, ['action_card', 'btn_orientation'], ['0', '1'], ['2', 'horizontal', '']],
  ] as const)('%s', (_name, msg, path, good, bad) => {
    for (const value of good) expect(checkMsgShape(withValue(msg, [...path], value)), value).toEqual([]);
    for (const value of bad) {
      const problems = checkMsgShape(withValue(msg, [...path], value));
      expect(brief(problems), value).toEqual([['msg/bad-format', path.join('.'), 40035]]);
      expect(problems[0]?.hint, value).toBeTruthy();
    }
  });
  it.each([
    ['voice.duration as a number', VALID.voice, ['voice', 'duration'], 10, 'Write whole seconds 1..59 as a string, e.g. duration: "10".'],
    ['btn_orientation as a number', BUTTON_CARD, ['action_card', 'btn_orientation'], 1, 'Write "0" for vertical buttons or "1" for horizontal ones, as a string.'],
    ['file_count as a number', VALID.oa, ['oa', 'body', 'file_count'], 3, 'Write it as a string, e.g. file_count: "3".'],
    ['form value as a number', VALID.oa, ['oa', 'body', 'form', 1, 'value'], 100, 'Quote the value: "100".'],
    ['form as an object', VALID.oa, ['oa', 'body', 'form'], { key: 'a', value: 'b' }, undefined],
  ] as const)('%s is one bad-type problem', (_name, msg, path, value, hint) => {
    const problems = checkMsgShape(withValue(msg, [...path], value));
    expect(problems.map((p) => [p.code, p.path, p.errcode, p.hint])).toEqual([['msg/bad-type', path, 40035, hint]]);
  });
  it.each([
    ['text.content', VALID.text, ['text', 'content'], ''],
    ['image.media_id', VALID.image, ['image', 'media_id'], ''],
    ['btn_json_list', BUTTON_CARD, ['action_card', 'btn_json_list'], []],
  ] as const)('empty %s', (_name, msg, path, value) => {
    expect(brief(checkMsgShape(withValue(msg, [...path], value)))).toEqual([['msg/empty', path.join('.'), 40035]]);
  });
});
