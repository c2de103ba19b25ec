import { describe, expect, it } from 'vitest';
import { buildSendBody, classifyErrcode, knownErrcodes, redactUrl, type ErrClass } from '../../src/io/dingtalk/index.js';

// dingtalk-api.md §4, written out again here so a slip in the implementation's table shows up.
const TABLE: [ErrClass, number[]][] = [
  ['ok', [0]],
  ['retry', [-1, 500, 41047, 41048, 41052, 90002, 90005, 90006, 90018, 90019, 143103, 143104, 143203, 143204, 1430003]],
  ['refresh-token', [33001, 40001, 40014, 42001]],
  ['fail', [88, 41001, 43007, 40089, 40056, 41020, 400002, 40035, 40008, 40031, 40032, 40066, 34016, 45002, 43004, 43005, 43009, 47001, 41028, 41029, 41044, 41049, 1430002, 60020, 90020, 885001, 885006, 1430000, 1430001, 1430004, 853004, 853005]],
  ['defer', [41045, 41046, 143105, 143205, 143106, 143206]],
];

describe('classifyErrcode', () => {
  it.each(TABLE.flatMap(([cls, codes]) => codes.map((c) => [c, cls] as const)))('%i → %s', (code, cls) => {
    expect(classifyErrcode(code)).toBe(cls);
  });

  it('knows exactly the codes of the table (plus the ISV throttle range 90007–90014)', () => {
    const documented = new Set(TABLE.flatMap(([, codes]) => codes));
    const extra = [...knownErrcodes().keys()].filter((c) => !documented.has(c));
    expect(extra.sort((a, b) => a - b)).toEqual([90007, 90008, 90009, 90010, 90011, 90012, 90013, 90014]);
  });

  it.each([12345, 99999999, -2])('treats unknown code %i as fail', (code) => {
    expect(classifyErrcode(code)).toBe('fail');
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://oapi.dingtalk.com/gettoken?appkey=k1&appsecret=s3cr3t', 'https://oapi.dingtalk.com/gettoken?appkey=k1&appsecret=<redacted>'],
    ['http://127.0.0.1:1/topapi/x?access_token=abc123&foo=1', 'http://127.0.0.1:1/topapi/x?access_token=<redacted>&foo=1'],
    ['/x?foo=1&ACCESS_TOKEN=abc#frag', '/x?foo=1&ACCESS_TOKEN=<redacted>#frag'],
    ['GET /gettoken?appSecret=abc failed', 'GET /gettoken?appSecret=<redacted> failed'],
    ['https://oapi.dingtalk.com/topapi/x', 'https://oapi.dingtalk.com/topapi/x'],
    ['/x?my_access_token=keep', '/x?my_access_token=keep'],
    [
      '/service/get_corp_token?accessKey=k&timestamp=1&suiteTicket=t1ck3t&signature=c2ln%3D',
      '/service/get_corp_token?accessKey=k&timestamp=1&suiteTicket=<redacted>&signature=<redacted>',
    ],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('buildSendBody', () => {
  const msg = { msgtype: 'text', text: { content: 'hi' } };
  it.each([
    [{ userids: ['u1', 'u2'] }, { userid_list: 'u1,u2' }],
    [{ deptIds: [12, '34'] }, { dept_id_list: '12,34' }],
    [{ toAll: true }, { to_all_user: true }],
    [{ userids: ['u1'], deptIds: [], toAll: false }, { userid_list: 'u1' }],
    [{ userids: [' u1 ', ''], deptIds: [7] }, { userid_list: 'u1', dept_id_list: '7' }],
  ])('%j', (req, selectors) => {
    expect(buildSendBody({ ...req, msg })).toEqual({ ...selectors, msg });
  });

  it('refuses a send without recipients rather than sending empty selectors', () => {
    expect(() => buildSendBody({ userids: [], deptIds: [''], toAll: false, msg })).toThrow(/needs userids/);
  });
});
