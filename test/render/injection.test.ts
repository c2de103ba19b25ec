import { describe, expect, it } from 'vitest';
import { renderMsg } from '../../src/core/render/index.js';
import { CTX } from './_render.js';

const NASTY = [
  '"}',
  '"}, "msgtype": "text", "x": {"',
  '{{service}}',
  '{{#each x}}{{/each}}',
  '\\',
  '\\"',
  'line1\nline2\r\nline3',
  '</script><script>alert(1)</script>',
  '\u2028\u2029',
  '\u0000\u001f',
  '😀 发布 \uD800', // includes a lone surrogate
  '${DINGTALK_APP_SECRET}',
  '[object Object]',
];

const template = {
  msgtype: 'action_card',
  action_card: {
    title: '{{v}}',
    markdown: '### {{v}}\n> {{{v}}}\n{{#each list}}- {{this}}\n{{/each}}',
    btn_orientation: '1',
    btn_json_list: { $each: 'list', as: 'b', item: { title: '{{b}}', action_url: 'https://e.example/?q={{b}}' } },
  },
};

describe('variable values never change the structure', () => {
  it.each(NASTY.map((v) => [v]))('%j', (v) => {
    const r = renderMsg(template, { v, list: [v, v] }, CTX);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const card = r.msg.action_card as Record<string, unknown>;
    expect(card.title).toBe(v);
    expect(card.markdown).toBe(`### ${v}\n> ${v}\n- ${v}\n- ${v}\n`);
    expect(card.btn_json_list).toEqual([
      { title: v, action_url: `https://e.example/?q=${v}` },
      { title: v, action_url: `https://e.example/?q=${v}` },
    ]);
    const roundTrip = JSON.parse(JSON.stringify(r.msg)) as Record<string, unknown>;
    expect(roundTrip).toEqual(r.msg);
    expect(Object.keys(roundTrip)).toEqual(['msgtype', 'action_card']);
    expect(Object.keys(roundTrip.action_card as object)).toEqual(['title', 'markdown', 'btn_orientation', 'btn_json_list']);
  });

  it('does not render a value as a template, nor html-escape it', () => {
    const r = renderMsg({ t: '{{a}}|{{b}}' }, { a: '{{b}}', b: 'A&B <x> "q"' }, CTX);
    expect(r).toEqual({ ok: true, msg: { t: '{{b}}|A&B <x> "q"' } });
  });
});
