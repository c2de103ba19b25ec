import { describe, expect, it } from 'vitest';
import { compileMsg, renderMsg } from '../../src/core/render/index.js';
import { CTX, outcome, renderText } from './_render.js';

const vars = { service: 'api', count: 3, ok: true, report: { total: 5, items: ['x'] }, tags: ['a', 'b'], nothing: null, changes: ['one', 'two'] };

describe('strict variables', () => {
  it.each([
    // present values
    ['{{service}}', 'api'],
    ['{{count}} {{ok}}', '3 true'],
    ['{{report.total}}', '5'],
    ['{{report.items.length}}', '1'],
    ['{{report.items.[0]}}', 'x'],
    ['{{service.length}} {{#each changes as |c|}}{{c.length}}{{/each}} {{#each changes}}{{this.length}}{{/each}}', '3 33 33'],
    ['{{{service}}}', 'api'],
    // missing values are errors, never ""
    ['{{missing}}', '!render/missing-variable'],
    ['{{report.missing}}', '!render/missing-variable'],
    ['{{missing.deep.path}}', '!render/missing-variable'],
    ['{{service.name}}', '!render/missing-variable'],
    ['{{truncate missing 3}}', '!render/missing-variable'],
    ['{{join missing}}', '!render/missing-variable'],
    ['{{#each missing}}x{{/each}}', '!render/missing-variable'],
    ['{{#with missing}}x{{/with}}', '!render/missing-variable'],
    ['{{#each changes}}{{name}}{{/each}}', '!render/missing-variable'], // strings have no "name"
    ['{{#each changes}}{{../missing}}{{/each}}', '!render/missing-variable'],
    // optional values: #if/#unless and default read an absent variable as undefined
    ['{{#if missing}}yes{{else}}no{{/if}}', 'no'],
    ['{{#if report.missing.deeper}}yes{{else}}no{{/if}}', 'no'],
    ['{{#unless missing}}absent{{/unless}}', 'absent'],
    ['{{#if service}}{{service}}{{/if}}', 'api'],
    ['{{#if missing}}{{missing}}{{/if}}', ''], // the branch that would fail is not taken
    ['{{#each changes}}{{#if note}}{{note}}{{else}}-{{/if}}{{/each}}', '--'],
    // values that are not text are errors with a hint, not "[object Object]" or "a,b"
    ['{{report}}', '!render/not-a-string'],
    ['{{tags}}', '!render/not-a-string'],
    ['{{nothing}}', '!render/not-a-string'],
    ['{{this}}', '!render/not-a-string'],
    ['{{join tags}}', 'a, b'],
    ['{{json report}}', '{"total":5,"items":["x"]}'],
    // #each over a non-list
    ['{{#each service}}x{{/each}}', '!render/each-not-a-list'],
    ['{{#each count}}x{{/each}}', '!render/each-not-a-list'],
    ['{{#each report}}{{@key}}={{json this}};{{/each}}', 'total=5;items=["x"];'], // a map iterates its entries, as in Handlebars
  ])('%s → %s', (source, expected) => {
    expect(outcome(source, vars)).toBe(expected);
  });

  it('names the variable, the template path and the position', () => {
    const r = renderMsg({ msgtype: 'markdown', markdown: { title: 't', text: '### {{service}}\n- {{report.totl}}' } }, vars, CTX);
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          code: 'render/missing-variable',
          path: ['markdown', 'text'],
          message: 'missing variable "report.totl" (markdown.text 2:5)',
          line: 2,
          column: 5,
          hint: expect.stringContaining('default report.totl') as unknown,
        },
      ],
    });
  });

  it('reports every failing string of a msg, not only the first', () => {
    const r = renderMsg({ a: '{{x}}', b: ['{{y}}', 'fine', '{{tags}}'], c: { d: '{{service}}' } }, vars, CTX);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => [e.code, e.path])).toEqual([
        ['render/missing-variable', ['a']],
        ['render/missing-variable', ['b', 0]],
        ['render/not-a-string', ['b', 2]],
      ]);
    }
  });

  it('never reaches prototypes', () => {
    for (const source of ['{{constructor}}', '{{__proto__}}', '{{service.constructor.name}}', '{{report.toString}}', '{{lookup report "constructor"}}', '{{tags.constructor}}']) {
      expect(outcome(source, vars), source).toBe('!render/missing-variable');
    }
    expect(outcome('{{#with report}}{{hasOwnProperty}}{{/with}}', vars)).toBe('!render/missing-variable');
    expect(outcome('{{#each changes as |c|}}{{c.constructor}}{{/each}}', vars)).toBe('!render/missing-variable');
  });

  it('reads own properties that merely look dangerous as plain data', () => {
    const data = JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, unknown>;
    expect(renderText('{{__proto__}} {{constructor}}', data)).toBe('p c');
  });

  it('reports a bad variables argument', () => {
    const c = compileMsg({ t: 'x' });
    if ('errors' in c) throw new Error('compile failed');
    expect(c.render([] as unknown as Record<string, unknown>, CTX)).toMatchObject({ ok: false, errors: [{ code: 'render/bad-variables' }] });
  });
});
