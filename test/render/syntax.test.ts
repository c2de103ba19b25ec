import { describe, expect, it } from 'vitest';
import { compileMsg, type RenderError } from '../../src/core/render/index.js';

function compileErrors(template: Record<string, unknown>): Pick<RenderError, 'code' | 'path' | 'line' | 'column'>[] {
  const c = compileMsg(template);
  if (!('errors' in c)) return [];
  return c.errors.map(({ code, path, line, column }) => ({ code, path, line, column }));
}

describe('compile errors carry the template path and the position in the string', () => {
  it.each([
    ['unclosed mustache', '{{service', 'render/syntax', 1, 3],
    ['missing brace on line 2', 'line one {{a}}\nline two {{b}', 'render/syntax', 2, 13],
    ['mismatched block', '{{#each xs}}\n  {{x}}\n{{/if}}', 'render/syntax', 1, 4],
    ['invalid path', '{{a/../b}}', 'render/syntax', 1, 3],
    ['unknown helper', 'Hi {{shout name}}', 'render/unknown-helper', 1, 6],
    ['unknown helper in a sub-expression', '{{truncate (shout name) 3}}', 'render/unknown-helper', 1, 13],
    ['internal helper names are not callable', '{{[dc out] this "x" "x"}}', 'render/unknown-helper', 1, 3],
    ['a partial', 'x {{> footer}}', 'render/unsupported', 1, 3],
    ['a partial block', '{{#> layout}}x{{/layout}}', 'render/unsupported', 1, 1],
    ['a decorator', '{{* deco}}', 'render/unsupported', 1, 1],
    ['an unknown block helper', '{{#list items}}x{{/list}}', 'render/unsupported', 1, 4],
    ['a mustache section', '{{#items}}x{{/items}}', 'render/unsupported', 1, 4],
    ['an inverse section', '{{^items}}none{{/items}}', 'render/unsupported', 1, 4],
    ['a block param hiding a helper', '{{#each xs as |md|}}{{md}}{{/each}}', 'render/bad-block-param', 1, 4],
    ['unknown @data', 'at {{@time}}', 'render/unknown-data', 1, 6],
    ['log is not a helper here', '{{log "x"}}', 'render/unknown-helper', 1, 3],
  ])('%s', (_name, source, code, line, column) => {
    expect(compileErrors({ markdown: { text: source } })).toEqual([{ code, path: ['markdown', 'text'], line, column }]);
  });

  it('reports problems of every string at once, each with its own path', () => {
    const errors = compileErrors({
      msgtype: 'oa',
      oa: { head: { text: '{{a' }, body: { form: { $each: 'rows', as: 'r', item: { key: 'k', value: '{{oops r}}' } } } },
    });
    expect(errors.map((e) => [e.code, e.path.join('.')])).toEqual([
      ['render/syntax', 'oa.head.text'],
      ['render/unknown-helper', 'oa.body.form.item.value'],
    ]);
  });

  it('rejects what is not a msg tree', () => {
    expect(compileErrors([] as unknown as Record<string, unknown>)).toEqual([{ code: 'render/bad-template', path: [], line: undefined, column: undefined }]);
    expect(compileErrors({ a: { b: () => 1 } }).map((e) => [e.code, e.path])).toEqual([['render/bad-template', ['a', 'b']]]);
    expect(compileErrors(JSON.parse('{"text":{"__proto__":{"x":"y"}}}') as Record<string, unknown>).map((e) => [e.code, e.path])).toEqual([['render/bad-key', ['text']]]);
  });

  it('gives a readable message', () => {
    const c = compileMsg({ t: 'Hi {{shout name}}' });
    expect('errors' in c && c.errors[0]).toMatchObject({ message: 'unknown helper "shout" (t 1:6)', hint: expect.stringContaining('truncate') as unknown });
  });
});
