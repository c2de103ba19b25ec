import { describe, expect, it } from 'vitest';
import { CTX, outcome } from './_render.js';

const vars = {
  name: 'Zhang San',
  n: 3,
  big: 12,
  empty: '',
  nothing: null,
  list: ['a', 'b', 'c'],
  mixed: [1, 'x', true],
  objects: [{ a: 1 }],
  obj: { a: 1, b: 'two' },
  iso: '2024-01-02T03:04:05Z',
  ms: Date.UTC(2023, 11, 31, 16, 0, 0),
  emoji: '😀😀😀😀😀',
  zh: '发布说明发布说明',
  markup: '*bold* _it_ [x](http://e) ![i](u) `c` ~~s~~ a|b \\',
};

describe('helpers', () => {
  it.each([
    // date: format tokens in ctx.timezone (Asia/Shanghai, UTC+8); default format YYYY-MM-DD HH:mm
    ['{{date}}', '2024-03-05 00:30'],
    ['{{date "YYYY/MM/DD HH:mm:ss"}}', '2024/03/05 00:30:05'],
    ['{{date iso}}', '2024-01-02 11:04'],
    ['{{date iso "DD.MM.YYYY"}}', '02.01.2024'],
    ['{{date ms "YYYY-MM-DD HH:mm"}}', '2024-01-01 00:00'],
    ['{{date "2024-06-30T23:59:59Z" "HH:mm:ss"}}', '07:59:59'],
    ['{{date @now "HH"}}', '00'],
    ['{{#each list}}{{date "HH"}}{{/each}}', '000000'], // the clock and zone reach into block frames
    ['{{date "at HH" }}', 'at 00'], // one text argument that does not start with a digit is a format
    ['{{date "2024-01-02" "YYYY MM DD HH"}}', '2024 01 02 08'], // a bare date is midnight UTC
    ['{{date "2024-01-02 03:04+02:00" "HH:mm"}}', '09:04'],
    ['{{date "foo 2" "YYYY"}}', '!render/bad-argument'], // Date would read this as 2001
    ['{{date "1 2" "YYYY"}}', '!render/bad-argument'],
    ['{{date "2024-99-99"}}', '!render/bad-argument'],
    ['{{date name "YYYY"}}', '!render/bad-argument'],
    ['{{date iso n}}', '!render/bad-argument'],
    ['{{date iso "Y" "M"}}', '!render/bad-argument'],
    // default: undefined, null and "" fall back; 0 and false do not
    ['{{default missing "fb"}}', 'fb'],
    ['{{default nothing "fb"}}', 'fb'],
    ['{{default empty "fb"}}', 'fb'],
    ['{{default name "fb"}}', 'Zhang San'],
    ['{{default n "fb"}}', '3'],
    ['{{default missing.deep.path "fb"}}', 'fb'],
    ['{{default missing other}}', '!render/missing-variable'], // only the first argument is optional
    ['{{default obj "fb"}}', '!render/not-a-string'],
    // truncate: by code points, the ellipsis counts, never half a surrogate pair
    ['{{truncate name 20}}', 'Zhang San'],
    ['{{truncate name 9}}', 'Zhang San'],
    ['{{truncate name 8}}', 'Zhang S…'],
    ['{{truncate name 1}}', '…'],
    ['{{truncate emoji 5}}', '😀😀😀😀😀'],
    ['{{truncate emoji 4}}', '😀😀😀…'],
    ['{{truncate zh 5}}', '发布说明…'],
    ['{{truncate n 5}}', '3'],
    ['{{truncate name 0}}', '!render/bad-argument'],
    ['{{truncate name "5"}}', '!render/bad-argument'],
    ['{{truncate list 5}}', '!render/bad-argument'],
    ['{{truncate name}}', '!render/bad-argument'],
    // join
    ['{{join list}}', 'a, b, c'],
    ['{{join list " | "}}', 'a | b | c'],
    ['{{join mixed "/"}}', '1/x/true'],
    ['{{join objects}}', '!render/bad-argument'],
    ['{{join name}}', '!render/bad-argument'],
    // md: user text cannot make markdown
    ['{{md markup}}', '\\*bold\\* \\_it\\_ \\[x\\](http://e) !\\[i\\](u) \\`c\\` \\~\\~s\\~\\~ a\\|b \\\\'],
    ['{{md "# h"}}', '\\# h'],
    ['{{md "<b>x</b>"}}', '&lt;b&gt;x&lt;/b&gt;'],
    ['{{md "v1.4.0 a - b"}}', 'v1.4.0 a - b'], // mid-line dots and dashes stay readable
    ['{{md n}}', '3'],
    ['{{md obj}}', '!render/bad-argument'],
    // json
    ['{{json obj}}', '{"a":1,"b":"two"}'],
    ['{{json list}}', '["a","b","c"]'],
    ['{{json name}}', '"Zhang San"'],
    ['{{json nothing}}', 'null'],
    // comparisons
    ['{{eq n 3}}', 'true'],
    ['{{eq n "3"}}', 'false'],
    ['{{ne name "x"}}', 'true'],
    ['{{gt big n}}', 'true'],
    ['{{lt big n}}', 'false'],
    ['{{gt "b" "a"}}', 'true'],
    ['{{gt n "2"}}', '!render/bad-argument'],
    ['{{eq n}}', '!render/bad-argument'],
    ['{{#if (eq n 3)}}three{{else}}other{{/if}}', 'three'],
    ['{{#if (gt (default missing 0) 1)}}many{{else}}few{{/if}}', 'few'],
    // lookup: own properties only
    ['{{lookup obj "b"}}', 'two'],
    ['{{lookup list 1}}', 'b'],
    ['{{lookup obj "constructor"}}', '!render/missing-variable'],
    // helpers compose as sub-expressions
    ['{{truncate (join list "-") 4}}', 'a-b…'],
    ['{{md (default missing "*x*")}}', '\\*x\\*'],
  ])('%s → %s', (source, expected) => {
    expect(outcome(source, vars)).toBe(expected);
  });

  it('date uses the time zone of the context', () => {
    expect(outcome('{{date iso "YYYY-MM-DD HH:mm"}}', vars, { ...CTX, timezone: 'America/New_York' })).toBe('2024-01-01 22:04');
    expect(outcome('{{date iso "HH:mm"}}', vars, { ...CTX, timezone: 'UTC' })).toBe('03:04');
    expect(outcome('{{date iso}}', vars, { ...CTX, timezone: 'Mars/Olympus' })).toBe('!render/bad-timezone');
  });
});
