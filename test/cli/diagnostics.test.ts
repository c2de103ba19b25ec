import { describe, expect, it } from 'vitest';
import { codeFrame } from '../../src/core/diagnostics.js';
import { parseYamlSource } from '../../src/core/load/yamlSource.js';
import { formatDiagnostics } from '../../src/cli/output.js';
import { checkSchedule } from '../../src/core/validate/schedule.js';

describe('code frames', () => {
  it.each([
    ['a caret under the column', 'a: 1\nbb: [x, y\n', 2, 5, '2 | bb: [x, y\n  |     ^'],
    ['the end of a line', 'title here\n', 1, 11, '1 | title here\n  |           ^'],
    ['Chinese characters take two columns', 'title: 日报 {{x}}\n', 1, 11, '1 | title: 日报 {{x}}\n  |             ^'],
    ['a tab shows as an arrow', '\tkey: 1\n', 1, 1, '1 | →key: 1\n  | ^'],
    ['a wide gutter for line 120', `${'\n'.repeat(119)}x: 1`, 120, 1, '120 | x: 1\n    | ^'],
    ['no frame past the end', 'a: 1\n', 5, 1, ''],
  ])('%s', (_name, text, line, column, frame) => {
    expect(codeFrame(text, line, column)).toBe(frame);
  });

  it('cuts a long line to a window around the column', () => {
    const text = `${'a'.repeat(300)}X${'b'.repeat(300)}`;
    const [source, caret] = codeFrame(text, 1, 301).split('\n');
    expect(source?.length).toBeLessThan(110);
    expect(source?.[caret?.indexOf('^') ?? -1]).toBe('X');
  });

  it('prints the frame under each diagnostic that has a position', () => {
    const text = 'version: 1\ntimezone: Asia/Beijing\n';
    const out = formatDiagnostics(
      [
        { severity: 'error', code: 'schedule/bad-timezone', file: 'notifications.yaml', line: 2, column: 11, message: 'bad zone', hint: 'use Asia/Shanghai' },
        { severity: 'error', code: 'file/missing', file: 'notifications.yaml', line: 0, column: 0, message: 'no position' },
      ],
      (f) => (f === 'notifications.yaml' ? text : undefined),
    );
    expect(out).toContain('notifications.yaml:2:11 error schedule/bad-timezone bad zone\n    2 | timezone: Asia/Beijing\n      |           ^\n    hint: use Asia/Shanghai');
    expect(out.match(/\^/g)).toHaveLength(1);
  });
});

describe('a tab in YAML', () => {
  it('is one error that says to replace the tab, without the cascade it causes', () => {
    const text = 'notifications:\n  daily:\n    template: daily@1\n    to:\n\t    users: [a]\n    vars:\n      title: x\n';
    const { diagnostics } = parseYamlSource('notifications.yaml', text);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['5:1 yaml/tab']);
    expect(diagnostics[0]?.hint).toMatch(/Replace the tab with spaces/);
  });
});

describe('cron problems in plain words', () => {
  it.each([
    ['0 0 9 * * *', 'has 6 fields: dingcast uses 5-field cron (minute hour day-of-month month day-of-week); drop the seconds field'],
    ['61 9 * * *', 'the minute field `61` is out of range (0-59)'],
    ['0 25 * * *', 'the hour field `25` is out of range (0-23)'],
    ['0 9 32 * *', 'the day-of-month field `32` is out of range (1-31)'],
    ['0 9 * 13 *', 'the month field `13` is out of range (1-12 or JAN-DEC)'],
    ['0 9 * * 8', 'the day-of-week field `8` is out of range (0-7 or SUN-SAT, 0 and 7 are Sunday)'],
  ])('%s', (cron, message) => {
    const problems = checkSchedule(cron, 'Asia/Shanghai', undefined);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(message)]);
    expect(problems[0]?.message).not.toContain('CronPattern');
  });
});
