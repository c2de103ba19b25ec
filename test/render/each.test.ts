import { describe, expect, it } from 'vitest';
import { compileMsg, renderMsg, type RenderError } from '../../src/core/render/index.js';
import { CTX, outcome } from './_render.js';

const vars = {
  title: 'Leave request',
  fields: [
    { name: 'Who', value: 'Zhang San' },
    { name: 'Days', value: 3 },
  ],
  report: { rows: [{ cells: ['a', 'b'] }, { cells: ['c'] }] },
  buttons: [{ t: 'Approve', u: 'https://e/a' }],
  empty: [],
  text: 'not a list',
};

function rendered(template: Record<string, unknown>, v: Record<string, unknown> = vars): unknown {
  const r = renderMsg(template, v, CTX);
  return r.ok ? r.msg : r.errors.map((e) => [e.code, e.path]);
}

describe('$each lists', () => {
  it.each([
    [
      'a map value becomes a list, with the element and @index',
      { form: { $each: 'fields', as: 'f', item: { key: '{{@index}}. {{f.name}}:', value: '{{f.value}}' } } },
      { form: [{ key: '0. Who:', value: 'Zhang San' }, { key: '1. Days:', value: '3' }] },
    ],
    [
      'outer variables stay visible; @first/@last',
      { form: { $each: 'fields', as: 'f', item: '{{title}}/{{f.name}}{{#if @first}} first{{/if}}{{#if @last}} last{{/if}}' } },
      { form: ['Leave request/Who first', 'Leave request/Days last'] },
    ],
    [
      'inside a list it splices between fixed elements',
      { btn: [{ title: 'Open', url: 'https://e/o' }, { $each: 'buttons', as: 'b', item: { title: '{{b.t}}', url: '{{b.u}}' } }, { title: 'Close', url: 'https://e/c' }] },
      { btn: [{ title: 'Open', url: 'https://e/o' }, { title: 'Approve', url: 'https://e/a' }, { title: 'Close', url: 'https://e/c' }] },
    ],
    [
      'a dotted path, nested $each, the inner @index, and the outer element inside the inner item',
      {
        rows: {
          $each: 'report.rows',
          as: 'row',
          item: { $each: 'row.cells', as: 'cell', item: '{{@index}}:{{cell}} of {{json row.cells}}' },
        },
      },
      { rows: [['0:a of ["a","b"]', '1:b of ["a","b"]'], ['0:c of ["c"]']] },
    ],
    ['an empty list gives an empty list', { form: { $each: 'empty', as: 'x', item: '{{x}}' } }, { form: [] }],
    ['non-string items pass through', { form: { $each: 'fields', as: 'f', item: { n: 1, ok: true, nil: null } } }, { form: [{ n: 1, ok: true, nil: null }, { n: 1, ok: true, nil: null }] }],
    ['the element name shadows an outer variable', { form: { $each: 'fields', as: 'title', item: '{{title.name}}' } }, { form: ['Who', 'Days'] }],
    ['not a list', { form: { $each: 'text', as: 'x', item: '{{x}}' } }, [['render/each-not-a-list', ['form', '$each']]]],
    ['a map is not a list', { form: { $each: 'report', as: 'x', item: '{{x}}' } }, [['render/each-not-a-list', ['form', '$each']]]],
    ['missing', { form: { $each: 'nope', as: 'x', item: '{{x}}' } }, [['render/missing-variable', ['form', '$each']]]],
    ['missing deeper', { form: { $each: 'report.nope', as: 'x', item: '{{x}}' } }, [['render/missing-variable', ['form', '$each']]]],
    [
      'an error inside an item has the template path of the item',
      { form: { $each: 'fields', as: 'f', item: { key: '{{f.name}}', value: '{{f.nope}}' } } },
      [
        ['render/missing-variable', ['form', 'item', 'value']],
        ['render/missing-variable', ['form', 'item', 'value']],
      ],
    ],
  ])('%s', (_name, template, expected) => {
    expect(rendered(template)).toEqual(expected);
  });

  it('keeps an own "__proto__" variable a plain variable inside items', () => {
    const v = JSON.parse('{"__proto__": {"polluted": "yes"}, "xs": [1]}') as Record<string, unknown>;
    expect(rendered({ l: { $each: 'xs', as: 'x', item: '{{x}} {{json __proto__}} {{#if polluted}}polluted{{/if}}' } }, v)).toEqual({ l: ['1 {"polluted":"yes"} '] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says which element failed', () => {
    const r = renderMsg({ form: { $each: 'fields', as: 'f', item: '{{f.extra}}' } }, { fields: [{ extra: 'x' }, {}] }, CTX);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(['missing variable "f.extra" in element 1 of "fields" (form.item 1:3)']);
  });

  it.each([
    ['no as', { $each: 'fields', item: 'x' }, '"as"'],
    ['no item', { $each: 'fields', as: 'f' }, '"item"'],
    ['a bad as', { $each: 'fields', as: 'two words', item: 'x' }, '"as" must be'],
    ['as names a helper', { $each: 'fields', as: 'date', item: 'x' }, 'not a helper name'],
    ['as is __proto__', { $each: 'fields', as: '__proto__', item: 'x' }, '"as" must be'],
    ['a bad path', { $each: '{{fields}}', as: 'f', item: 'x' }, 'variable path'],
    ['an extra key', { $each: 'fields', as: 'f', item: 'x', where: 'y' }, '"where"'],
  ])('a malformed $each node is a compile error: %s', (_name, node, words) => {
    const c = compileMsg({ form: node });
    expect('errors' in c).toBe(true);
    const errors = (c as { errors: RenderError[] }).errors;
    expect(errors.map((e) => [e.code, e.path])).toEqual([['render/bad-each', ['form']]]);
    expect(errors[0]?.message).toContain(words);
  });
});

describe('#each blocks inside a string', () => {
  it.each([
    ['{{#each changes}}{{@index}}={{this}};{{/each}}', '0=a;1=b;'],
    ['{{#each changes as |c i|}}{{i}}:{{c}} {{/each}}', '0:a 1:b '],
    ['{{#each changes}}{{#if @first}}[{{/if}}{{this}}{{#if @last}}]{{/if}}{{/each}}', '[ab]'],
    ['{{#each people}}{{name}}@{{../team}} {{/each}}', 'Li@core Wu@core '],
    ['{{#each people as |p|}}{{#each p.tags as |t|}}{{p.name}}:{{t}} {{/each}}{{/each}}', 'Li:x Li:y '],
    ['{{#each none}}x{{else}}nothing{{/each}}', 'nothing'],
    ['{{#with lead}}{{name}} of {{../team}}{{/with}}', 'Li of core'],
    ['{{#each changes}}\n- {{this}}\n{{/each}}\n', '- a\n- b\n'], // standalone block lines leave no blank lines
  ])('%s', (source, expected) => {
    const v = { changes: ['a', 'b'], team: 'core', none: [], people: [{ name: 'Li', tags: ['x', 'y'] }, { name: 'Wu', tags: [] }], lead: { name: 'Li' } };
    expect(outcome(source, v)).toBe(expected);
  });
});
