import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { parseYamlSource, parseYamlValue } from '../../src/core/load/yamlSource.js';

/** Where yaml's own (quadratic) check puts each repeated key: the reference our Set-based check must agree with. */
function yamlsOwnDuplicates(text: string): { line: number; column: number }[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => {
    const p = lineCounter.linePos(e.pos[0]);
    return { line: p.line, column: p.col };
  });
}

function ourDuplicates(text: string): { line: number; column: number }[] {
  return parseYamlSource('f.yaml', text).diagnostics.filter((d) => d.code === 'yaml/duplicate-key').map(({ line, column }) => ({ line, column }));
}

// Each case holds at least one pair of keys that yaml's rule calls the same or, for the last group, not the same.
const cases: Record<string, string> = {
  'a plain repeated key': 'a: 1\nb: 2\na: 3\n',
  'a nested mapping': 'top:\n  inner:\n    x: 1\n    y: 2\n    x: 3\n',
  'three times': 'k: 1\nk: 2\nk: 3\n',
  'quoted and plain spelling of one string': 'key: 1\n"key": 2\n\'key\': 3\n',
  'a flow mapping': 'm: { a: 1, b: 2, a: 3 }\n',
  'a flow mapping spread over lines': 'm: {\n  a: 1,\n  a: 2\n}\n',
  'an explicit key': '? a\n: 1\n? a\n: 2\n',
  'an anchored and a tagged key': '&x a: 1\n!!str a: 2\n',
  'two empty (null) keys': ': 1\n: 2\n',
  'null spelled two ways': '~: 1\nnull: 2\n',
  'one number spelled two ways': '1: a\n0x1: b\n1.0: c\n',
  'true spelled two ways': 'true: a\nTrue: b\n',
  'a block scalar key beside a plain one': 'list:\n  - a: 1\n    b: 2\n    a: 3\n  - a: 4\n',
  'in a sequence of mappings, each item its own mapping': '- a: 1\n- a: 2\n',
  'a number and a string that look alike': '1: a\n"1": b\n',
  'two .nan keys (NaN is not === itself)': '.nan: a\n.NaN: b\n',
  'collections as keys (never the same), beside a real repeat': '? [a]\n: 1\n? [a]\n: 2\nk: 1\nk: 2\n',
  'aliases as keys': 'base: &b k\n*b : 1\n',
  'single-pair mappings in a flow sequence': 's: [a: 1, a: 2]\n',
  'CJK keys': '名字: 甲\n备注: 乙\n名字: 丙\n',
};

describe('duplicate keys, checked in one pass (yaml uniqueKeys is quadratic)', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`finds what yaml's own check finds: ${name}`, () => {
      expect(ourDuplicates(text)).toEqual(yamlsOwnDuplicates(text));
    });
  }

  it('the cases above are not all trivially empty: most of them hold a duplicate', () => {
    const withDuplicates = Object.values(cases).filter((t) => yamlsOwnDuplicates(t).length > 0).length;
    expect(withDuplicates).toBeGreaterThanOrEqual(13);
  });

  it('reports file, line, column, the key and where the first one is', () => {
    const { source, diagnostics } = parseYamlSource('templates/daily.yaml', 'version: 1\ndescription: a\nmsg:\n  msgtype: text\n  description: inner is fine\ndescription: b\n');
    expect(diagnostics).toEqual([
      { severity: 'error', code: 'yaml/duplicate-key', file: 'templates/daily.yaml', line: 6, column: 1, message: 'Map keys must be unique: `description` is already a key of this mapping (line 2)', hint: 'Remove or rename one of the two keys.' },
    ]);
    // A file with a repeated key has no value: which of the two would win is not the user's intent.
    expect(source.value).toBeUndefined();
    expect(parseYamlValue('v.yaml', 'a: 1\na: 2\n')).toMatchObject({ ok: false, diagnostics: [{ code: 'yaml/duplicate-key', line: 2, column: 1 }] });
  });

  it('a repeated key among other syntax errors is reported in file order', () => {
    const diagnostics = parseYamlSource('f.yaml', 'a: 1\na: 2\nb: [1, 2\n').diagnostics;
    expect(diagnostics.map((d) => `${d.line}:${d.code}`)).toEqual(yamlsOwnOrder('a: 1\na: 2\nb: [1, 2\n'));
  });

  it('tabs are reported alone, as before (the rest of the file is out of alignment)', () => {
    const diagnostics = parseYamlSource('f.yaml', 'a:\n\tb: 1\na: 2\n').diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(['yaml/tab']);
  });

  it('a large mapping: every repeated key is found, none invented', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `  n${i}: ${i}`);
    lines.push('  n17: again', '  n4999: again');
    const text = `notifications:\n${lines.join('\n')}\n`;
    expect(ourDuplicates(text)).toEqual([
      { line: 5002, column: 3 },
      { line: 5003, column: 3 },
    ]);
  });
});

function yamlsOwnOrder(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return doc.errors.map((e) => `${lineCounter.linePos(e.pos[0]).line}:${e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax'}`);
}
