import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/core/load/decodeText.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('decodeText: project files are UTF-8 or a clear error', () => {
  it.each([
    ['plain UTF-8', bytes('a: 日报\n'), 'a: 日报\n'],
    ['a UTF-8 byte-order mark is dropped', bytes([0xef, 0xbb, 0xbf], 'a: 1\n'), 'a: 1\n'],
    ['a four-byte character', bytes('a: 😀\n'), 'a: 😀\n'],
  ])('%s', (_name, input, text) => {
    expect(decodeText(input)).toEqual({ ok: true, text });
  });

  it.each([
    ['UTF-16LE with a byte-order mark', bytes([0xff, 0xfe], [0x61, 0, 0x3a, 0]), 1, 1, /UTF-16/],
    ['UTF-16BE with a byte-order mark', bytes([0xfe, 0xff], [0, 0x61]), 1, 1, /UTF-16/],
    ['UTF-16 without a byte-order mark', bytes([0x61, 0, 0x3a, 0]), 1, 2, /NUL/],
    ['GBK bytes on line 2', bytes('a: 1\nb: 日', [0xb1, 0xa8]), 2, 5, /not valid UTF-8 \(byte 0xB1 at line 2, column 5\)/],
    ['a truncated sequence at the end', bytes('ab', [0xe6, 0x97]), 1, 3, /not valid UTF-8/],
    ['an overlong slash', bytes([0xc0, 0xaf]), 1, 1, /not valid UTF-8/],
    ['an encoded surrogate', bytes('x', [0xed, 0xa0, 0x80]), 1, 2, /not valid UTF-8/],
  ])('%s', (_name, input, line, column, message) => {
    const r = decodeText(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.line, r.column]).toEqual([line, column]);
    expect(r.message).toMatch(message);
    expect(r.hint).toMatch(/UTF-8/);
  });
});
