import { describe, expect, it } from 'vitest';
import { collectVariableUses } from '../../src/core/render/index.js';

/** The root variable names one string reads, in order of first use. */
const names = (source: string) => collectVariableUses({ t: source }).map((u) => u.name);

describe('collectVariableUses', () => {
  it.each([
    ['plain text', 'no templates here', []],
    ['simple', '{{service}} {{version}}', ['service', 'version']],
    ['each name once per string', '{{a}} {{a}} {{a.b}}', ['a']],
    ['a dotted path gives its root', '{{report.total}} {{report.items.length}}', ['report']],
    ['this. and ./ at the root', '{{this.a}} {{./b}}', ['a', 'b']],
    ['helper names are not variables', '{{date}} {{truncate title 10}} {{join tags ", "}}', ['title', 'tags']],
    ['helper arguments and sub-expressions', '{{default (truncate note 5) fallback}} {{md (join (default tags list) sep)}}', ['note', 'fallback', 'tags', 'list', 'sep']],
    ['hash values', '{{#if flag includeZero=zero}}x{{/if}}', ['flag', 'zero']],
    ['literals are not variables', '{{eq "a" 1}} {{"text"}} {{gt 1 2}}', []],
    ['@data is not a variable', '{{@now}} {{@today}} {{@index}} {{@notification}} {{@run_id}}', []],
    ['@root.x is the root variable x', '{{#each items}}{{@root.owner}}{{/each}}', ['items', 'owner']],
    ['#each: the list is a variable, paths inside are relative', '{{#each changes}}{{this}} {{title}} {{this.x}}{{/each}}', ['changes']],
    ['#each: ../ reaches the root again', '{{#each changes}}{{../service}}{{/each}}', ['changes', 'service']],
    ['nested #each: ../../', '{{#each a}}{{#each b}}{{../../c}} {{../d}}{{/each}}{{/each}}', ['a', 'c']],
    ['#each else branch is in the outer context', '{{#each xs}}{{y}}{{else}}{{z}}{{/each}}', ['xs', 'z']],
    ['block params are not variables', '{{#each items as |item i|}}{{item.name}} {{i}} {{owner}}{{/each}}', ['items']],
    ['block params only inside their block', '{{#each items as |item|}}{{item}}{{/each}}{{item}}', ['items', 'item']],
    ['#with changes the context', '{{#with lead}}{{name}} {{../team}}{{/with}}', ['lead', 'team']],
    ['#if and #unless do not change the context', '{{#if a}}{{b}}{{else if c}}{{d}}{{/if}}{{#unless e}}{{f}}{{/unless}}', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['a variable named like a helper, as an argument', '{{truncate date 3}}', ['date']],
    ['a string with a syntax error is skipped', '{{oops', []],
  ])('%s', (_name, source, expected) => {
    expect(names(source)).toEqual(expected);
  });

  it('gives template paths, $each roots, and leaves the element name out', () => {
    const uses = collectVariableUses({
      msgtype: 'oa',
      oa: {
        head: { text: '{{app}}', bgcolor: 'FFBBBBBB' },
        body: {
          title: '{{title}}',
          form: { $each: 'report.fields', as: 'f', item: { key: '{{f.name}}:', value: '{{default f.value placeholder}}' } },
          rows: [{ $each: 'f', as: 'x', item: '{{x}}' }],
        },
      },
      action_card: { btn_json_list: [{ $each: 'buttons', as: 'b', item: { title: '{{b.title}}', url: '{{base}}/{{b.id}}' } }] },
    });
    expect(uses).toEqual([
      { name: 'app', path: ['oa', 'head', 'text'] },
      { name: 'title', path: ['oa', 'body', 'title'] },
      { name: 'report', path: ['oa', 'body', 'form', '$each'] },
      { name: 'placeholder', path: ['oa', 'body', 'form', 'item', 'value'] },
      { name: 'f', path: ['oa', 'body', 'rows', 0, '$each'] }, // outside its $each, "f" is an ordinary variable
      { name: 'buttons', path: ['action_card', 'btn_json_list', 0, '$each'] },
      { name: 'base', path: ['action_card', 'btn_json_list', 0, 'item', 'url'] },
    ]);
  });

  it('inside nested $each, outer element names are not variables either', () => {
    const uses = collectVariableUses({ rows: { $each: 'table', as: 'row', item: { $each: 'row.cells', as: 'cell', item: '{{cell}} {{row.id}} {{unit}}' } } });
    expect(uses.map((u) => u.name)).toEqual(['table', 'unit']);
  });
});
