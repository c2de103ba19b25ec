import { describe, expect, it } from 'vitest';
import { describeSizeByVariable, sizeByVariable } from '../../src/core/validate/sizeByVariable.js';
import { runCli } from '../helpers/cli.js';
import { makeProject } from '../send/_project.js';

/** An oversize msg names the variables whose values made it big (issue 16 item 6), not only the msg field. */
const TEMPLATE = [
  'version: 1',
  'description: t',
  'variables:',
  '  type: object',
  '  properties:',
  '    title: { type: string, maxLength: 50 }',
  '    notes: { type: string, maxLength: 3000 }',
  '    owner: { type: string, maxLength: 20 }',
  'examples:',
  `  typical: { title: a, notes: "${'x'.repeat(2100)}", owner: c }`,
  'msg:',
  '  msgtype: markdown',
  '  markdown:',
  '    title: "{{title}}"',
  '    text: "# {{title}}\\n\\n{{notes}}\\n\\n{{owner}}"',
  '',
].join('\n');

const notifications = (vars: string) => `version: 1\napp: { agent_id: 100000001 }\nnotifications:\n  n1:\n    template: t@1\n    to: { users: [zhangsan] }\n    vars: ${vars}\n`;

type Diag = { code: string; file: string; message: string };
async function tooLarge(vars: string): Promise<Diag[]> {
  const dir = makeProject({ 'templates/t.yaml': TEMPLATE, 'notifications.yaml': notifications(vars) });
  const r = await runCli(['validate', '--json', '--project', dir]);
  expect(r.code, r.stderr).toBe(1);
  return (JSON.parse(r.stdout) as { errors: Diag[] }).errors.filter((d) => d.code === 'msg/too-large');
}

describe('oversize messages name their variables', () => {
  it('a notification: the biggest values first, a value used twice counted twice, a tiny one last', async () => {
    const [n1] = (await tooLarge(`{ title: "${'标题'.repeat(10)}", owner: bob, notes: "${'字'.repeat(700)}" }`)).filter((d) => d.file === 'notifications.yaml');
    // notes: 700 × 3 bytes; title: 20 × 3 bytes, in the title and the heading.
    expect(n1?.message).toMatch(/msg is \d+ bytes; DingTalk allows at most 2048 \(\d+ over\); most of it from the values of `notes` \(2,100 bytes\), `title` \(120 bytes\) and `owner` \(3 bytes\)$/);
  });

  it('an example of the template, in the template file', async () => {
    const errors = await tooLarge('{ title: a, owner: b, notes: c }');
    expect(errors.map((d) => [d.file, d.message.replace(/^.*; most/, 'most')])).toEqual([['templates/t.yaml', 'most of it from the values of `notes` (2,100 bytes), `title` (2 bytes) and `owner` (1 byte)']]);
  });
});

describe('sizeByVariable', () => {
  const render = (vars: Record<string, unknown>) => ({ text: `${String(vars.a)}${(vars.list as string[]).join('')}` });
  it('counts lists and leaves out variables that add nothing', () => {
    const vars = { a: 'xy', list: ['1234', '56'], unused: 'zzzz' };
    const bytes = JSON.stringify(render(vars)).length;
    expect(sizeByVariable(vars, bytes, render)).toEqual([{ name: 'list', bytes: 6 }, { name: 'a', bytes: 2 }]);
  });
  it('says nothing when no variable adds bytes', () => {
    expect(describeSizeByVariable([])).toBe('');
  });
});
