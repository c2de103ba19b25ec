import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSendBody } from '../../src/io/dingtalk/client.js';
import type { Plan } from '../../src/core/send/types.js';
import { runCli } from '../helpers/cli.js';

// issue 9 item 7: DingTalk department ids are 64-bit; beyond 2^53 a JavaScript number names another department.
const BIG = '12345678901234567890'; // as a double: 12345678901234567000

describe('a department id above 2^53', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-dept-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates/note.yaml'), 'version: 1\ndescription: a note\nmsg:\n  msgtype: text\n  text:\n    content: "hello"\n');
  writeFileSync(join(dir, 'notifications.yaml'), `version: 1\napp:\n  agent_id: 100000001\nnotifications:\n  note:\n    template: note\n    to:\n      departments: [${BIG}, "9007199254740993", 7]\n`);

  it('stays exact in the plan (written plain, quoted, or small) and in the body sent to DingTalk', async () => {
    const r = await runCli(['send', 'note', '--sandbox', '--dry-run', '--json', '-p', dir]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    const n = plan.notifications[0]!;
    expect(n.recipients.departments).toEqual([BIG, '9007199254740993', '7']);
    expect(n.calls.map((c) => c.recipients.deptIds)).toEqual([[BIG, '9007199254740993', '7']]);
    expect(r.stdout).not.toContain('12345678901234567000');
    expect(buildSendBody({ deptIds: n.calls[0]!.recipients.deptIds!, msg: n.msg }).dept_id_list).toBe(`${BIG},9007199254740993,7`);
  });
});
