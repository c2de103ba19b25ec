import Handlebars from 'handlebars';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileMsg, renderMsg, type CompiledMsg } from '../../src/core/render/index.js';
import { CTX } from './_render.js';

function compiled(template: unknown): CompiledMsg {
  const c = compileMsg(template);
  if ('errors' in c) throw new Error(JSON.stringify(c.errors));
  return c;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the msg tree', () => {
  it('renders every string leaf, passes other leaves through, never templates keys', () => {
    const r = renderMsg(
      { msgtype: 'oa', '{{k}}': '{{v}}', n: 1.5, yes: true, no: false, nil: null, list: [1, '{{v}}', [false, '{{k}}']], plain: 'a }} b {', escaped: '\\{{v}}' },
      { k: 'K', v: 'V' },
      CTX,
    );
    expect(r).toEqual({
      ok: true,
      msg: { msgtype: 'oa', '{{k}}': 'V', n: 1.5, yes: true, no: false, nil: null, list: [1, 'V', [false, 'K']], plain: 'a }} b {', escaped: '{{v}}' },
    });
  });

  it('keeps the key order of the template', () => {
    const r = renderMsg({ z: '1', a: '{{x}}', m: { y: 2, b: 3 } }, { x: 'x' }, CTX);
    expect(r.ok && JSON.stringify(r.msg)).toBe('{"z":"1","a":"x","m":{"y":2,"b":3}}');
  });

  it('compiles once and renders many times, each render independent', () => {
    const c = compiled({ markdown: { title: '{{service}}', text: '{{#each changes}}- {{this}}\n{{/each}}' }, tags: ['fixed'] });
    const first = c.render({ service: 'api', changes: ['a'] }, CTX);
    const second = c.render({ service: 'web', changes: ['b', 'c'] }, CTX);
    expect(first).toEqual({ ok: true, msg: { markdown: { title: 'api', text: '- a\n' }, tags: ['fixed'] } });
    expect(second).toEqual({ ok: true, msg: { markdown: { title: 'web', text: '- b\n- c\n' }, tags: ['fixed'] } });
    if (first.ok) (first.msg.tags as string[]).push('mutated');
    expect(c.render({ service: 'x', changes: [] }, CTX)).toEqual({ ok: true, msg: { markdown: { title: 'x', text: '' }, tags: ['fixed'] } });
    expect(c.render({ changes: [] }, CTX).ok).toBe(false); // a failed render does not poison the next one
    expect(c.render({ service: 'y', changes: [] }, CTX).ok).toBe(true);
  });

  it('does not mutate the template or the variables', () => {
    const template = { form: { $each: 'rows', as: 'r', item: { key: '{{r.k}}' } } };
    const vars = { rows: [{ k: 'a' }] };
    const before = JSON.stringify([template, vars]);
    renderMsg(template, vars, CTX);
    expect(JSON.stringify([template, vars])).toBe(before);
  });
});

describe('the Handlebars environment', () => {
  it('keeps its helpers off the global Handlebars instance', () => {
    renderMsg({ t: '{{truncate x 2}}' }, { x: 'abc' }, CTX);
    expect(Object.keys(Handlebars.helpers)).not.toContain('truncate');
    expect(Object.keys(Handlebars.helpers).some((h) => h.startsWith('dc '))).toBe(false);
  });

  it('writes nothing to the console, even when a template probes prototypes', () => {
    const spies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
    renderMsg({ a: '{{#each xs as |x|}}{{x.constructor}}{{/each}}', b: '{{#with o}}{{lookup this "__proto__"}}{{/with}}', c: '{{#each o}}{{@key}}{{/each}}' }, { xs: [{}], o: { k: 1 } }, CTX);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('runs helpers and block frames under the fast call path as under a plain Handlebars call', () => {
    const r = renderMsg({ t: '{{#each xs}}{{@index}}{{#if @last}}!{{/if}}{{truncate this 2}}{{/each}}|{{#with o}}{{k}}{{/with}}' }, { xs: ['abc', 'de'], o: { k: 'v' } }, CTX);
    expect(r).toEqual({ ok: true, msg: { t: '0a…1!de|v' } });
  });
});
