import { describe, expect, it } from 'vitest';
import { MSG_BYTE_LIMIT, checkMsgSize, largestContributors, msgBytes } from '../../src/core/msg/index.js';
import { VALID } from './fixtures.js';

/** A markdown msg whose JSON is exactly `bytes` bytes, padded with `ch`. */
function markdownOf(bytes: number, ch: string): unknown {
  const msg = { msgtype: 'markdown', markdown: { title: '日报', text: '' } };
  const room = bytes - msgBytes(msg);
  const width = Buffer.byteLength(ch);
  msg.markdown.text = ch.repeat(Math.floor(room / width)) + 'x'.repeat(room % width);
  return msg;
}

describe('msgBytes', () => {
  it.each([
    [{ msgtype: 'text', text: { content: 'ab' } }, 42],
    [{ msgtype: 'text', text: { content: '测试' } }, 46],
    [{ msgtype: 'text', text: { content: '"\n' } }, 44],
    [undefined, 0],
  ])('%j is %i bytes', (msg, bytes) => expect(msgBytes(msg)).toBe(bytes));
});

describe('checkMsgSize', () => {
  it.each([['x'], ['测'], ['😀']])('exactly 2048 bytes passes, 2049 fails (padding %s)', (ch) => {
    const atLimit = markdownOf(MSG_BYTE_LIMIT, ch);
    const over = markdownOf(MSG_BYTE_LIMIT + 1, ch);
    expect([msgBytes(atLimit), msgBytes(over)]).toEqual([2048, 2049]);
    expect(checkMsgSize(atLimit)).toEqual([]);
    expect(checkMsgSize(over)).toEqual([
      {
        code: 'msg/too-large',
        path: [],
        errcode: 45002,
        message: 'msg is 2049 bytes; DingTalk allows at most 2048 (1 over)',
        hint: `Largest: markdown.text (${msgBytes((over as { markdown: { text: string } }).markdown.text)} bytes), msgtype (10 bytes), markdown.title (8 bytes). Shorten them (CJK characters take 3 bytes each) or split the message.`,
      },
    ]);
  });
  it('700 CJK characters of text do not fit', () => {
    expect(checkMsgSize({ msgtype: 'text', text: { content: '测'.repeat(700) } }).map((p) => p.code)).toEqual(['msg/too-large']);
  });
});

describe('largestContributors', () => {
  it('ranks leaves by the UTF-8 bytes of their JSON, with exact paths', () => {
    expect(largestContributors(VALID.oa, 4)).toEqual([
      { path: 'oa.pc_message_url', bytes: 31 },
      { path: 'oa.message_url', bytes: 26 },
      { path: 'oa.body.image', bytes: 21 },
      { path: 'oa.body.title', bytes: 14 },
    ]);
  });
  it('defaults to 5 and keeps document order for ties', () => {
    const msg = { msgtype: 'oa', oa: { body: { form: [{ key: 'aa', value: 'bb' }, { key: 'cc', value: '' }] } } };
    expect(largestContributors(msg)).toEqual([
      { path: 'msgtype', bytes: 4 },
      { path: 'oa.body.form[0].key', bytes: 4 },
      { path: 'oa.body.form[0].value', bytes: 4 },
      { path: 'oa.body.form[1].key', bytes: 4 },
      { path: 'oa.body.form[1].value', bytes: 2 },
    ]);
  });
  it('quotes keys that are not identifiers', () => {
    expect(largestContributors({ 'a-b': [1, { 'x y': true }] })).toEqual([
      { path: '["a-b"][1]["x y"]', bytes: 4 },
      { path: '["a-b"][0]', bytes: 1 },
    ]);
  });
});
