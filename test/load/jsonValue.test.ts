import { describe, expect, it } from 'vitest';
import { parseDataValue } from '../../src/core/load/jsonValue.js';

describe('parseDataValue: a .json data file is parsed as JSON, strictly', () => {
  it.each([
    ['{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}', { a: 1, b: { a: 2 }, c: [{ a: 3 }, { a: 4 }] }],
    ['{"say": "a \\"quoted\\" {brace}, [x]", "n": null}', { say: 'a "quoted" {brace}, [x]', n: null }],
    ['{"k": ["a", "a"], "l": "k"}', { k: ['a', 'a'], l: 'k' }], // equal values and a value equal to a key are no repeat
  ])('%s', (text, value) => {
    expect(parseDataValue('data/v.json', text)).toEqual({ ok: true, value });
  });

  it.each([
    ['{"a": 1, "a": 2}', 1, 10],
    ['{"x": {"b": 1,\n "b": 2}}', 2, 2],
    ['{"a": 1,', 1, 9],
  ])('refuses %j with a position', (text, line, column) => {
    const r = parseDataValue('data/v.json', text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => [d.file, d.line, d.column]).slice(0, 1)).toEqual([['data/v.json', line, column]]);
  });
});
