import { describe, expect, it } from 'vitest';
import {
  BTN_JSON_LIST_MAX_CHARS,
  actionCardHasOneStyle,
  btnJsonListLength,
  checkMsgRecipients,
  checkMsgShape,
  type MsgProblem,
  type Recipients,
} from '../../src/core/msg/index.js';
import { BUTTON_CARD, VALID, withValue } from './fixtures.js';

const brief = (problems: MsgProblem[]) => problems.map((p) => [p.code, p.path.join('.'), p.errcode]);
const card = (fields: Record<string, unknown>) => ({ msgtype: 'action_card', action_card: { title: 't', markdown: 'm', ...fields } });
const button = { title: 'b', action_url: 'https://e.com' };

describe('actionCardHasOneStyle', () => {
  it.each([
    ['single style', card({ single_title: 's', single_url: 'u' }), []],
    ['button style', card({ btn_orientation: '0', btn_json_list: [button] }), []],
    ['both styles', card({ single_title: 's', single_url: 'u', btn_orientation: '0', btn_json_list: [button] }), [['msg/action-card-style', 'action_card', 40035]]],
    ['no button at all', card({}), [['msg/action-card-style', 'action_card', 40035]]],
    ['single_title alone', card({ single_title: 's' }), [['msg/missing-field', 'action_card.single_url', 40035]]],
    ['single_url alone', card({ single_url: 'u' }), [['msg/missing-field', 'action_card.single_title', 40035]]],
    ['btn_json_list alone', card({ btn_json_list: [button] }), [['msg/missing-field', 'action_card.btn_orientation', 40035]]],
    ['btn_orientation alone', card({ btn_orientation: '1' }), [['msg/missing-field', 'action_card.btn_json_list', 40035]]],
    ['another msgtype is not its business', VALID.text, []],
    ['not an object', 'x', []],
  ])('%s', (_name, msg, expected) => {
    expect(brief(actionCardHasOneStyle(msg))).toEqual(expected);
    // checkMsgShape runs it too
    expect(brief(checkMsgShape(msg)).filter(([code]) => String(code).startsWith('msg/action-card') || String(code) === 'msg/missing-field')).toEqual(expected);
  });
});

describe('btnJsonListLength', () => {
  // A list whose JSON text is exactly `chars` characters long (CJK titles count one character each).
  const listOf = (chars: number) => {
    const list = [{ title: '按钮', action_url: '' }];
    list[0]!.action_url = 'x'.repeat(chars - JSON.stringify(list).length);
    return list;
  };
  it.each([
    [BTN_JSON_LIST_MAX_CHARS, []],
    [BTN_JSON_LIST_MAX_CHARS + 1, [['msg/too-long', 'action_card.btn_json_list', 34016]]],
  ])('a list of %i JSON characters', (chars, expected) => {
    const list = listOf(chars);
    expect([...JSON.stringify(list)].length).toBe(chars);
    expect(brief(btnJsonListLength(card({ btn_orientation: '1', btn_json_list: list })))).toEqual(expected);
  });
  it('counts the whole list, not one button', () => {
    const list = Array.from({ length: 5 }, () => ({ title: '查看详情', action_url: 'https://e.com/' + 'p'.repeat(180) }));
    const problems = checkMsgShape(withValue(BUTTON_CARD, ['action_card', 'btn_json_list'], list));
    expect(brief(problems)).toEqual([['msg/too-long', 'action_card.btn_json_list', 34016]]);
  });
});

describe('checkMsgRecipients', () => {
  const to = (users: string[], departments: (string | number)[] = [], all = false): Recipients => ({ users, departments, all });
  const five = ['u1', 'u2', 'u3', 'u4', 'u5'];
  const withoutBar = withValue(VALID.oa, ['oa', 'status_bar'], undefined);
  it.each([
    ['status bar, 5 users', VALID.oa, to(five), 'internal', []],
    ['status bar, 5 users listed twice', VALID.oa, to([...five, ...five]), 'internal', []],
    ['status bar, 6 users', VALID.oa, to([...five, 'u6']), 'internal', [['msg/status-bar-recipients', 'oa.status_bar', 400002]]],
    ['status bar, a department', VALID.oa, to(['u1'], [10001]), 'internal', [['msg/status-bar-recipients', 'oa.status_bar', 400002]]],
    ['status bar, everyone', VALID.oa, to([], [], true), 'internal', [['msg/status-bar-recipients', 'oa.status_bar', 400002]]],
    ['oa without status bar, many recipients', withoutBar, to([...five, 'u6'], [1], true), 'internal', []],
    ['isv to everyone', VALID.text, to([], [], true), 'isv', [['msg/isv-all', '', 41028]]],
    ['isv to users', VALID.text, to(five), 'isv', []],
    ['internal to everyone', VALID.text, to([], [], true), 'internal', []],
    ['isv, status bar, everyone', VALID.oa, to([], [], true), 'isv', [['msg/isv-all', '', 41028], ['msg/status-bar-recipients', 'oa.status_bar', 400002]]],
  ] as const)('%s', (_name, msg, recipients, kind, expected) => {
    expect(brief(checkMsgRecipients(msg, recipients, kind))).toEqual(expected);
  });
  it('names why the status bar cannot go', () => {
    const [p] = checkMsgRecipients(VALID.oa, to([...five, 'u6'], [1, 2]), 'internal');
    expect(p?.message).toContain('6 users and 2 departments');
  });
});
