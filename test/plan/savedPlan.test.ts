import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/send/types.js';
import { checkSavedPlan, planFingerprint, sealPlan } from '../../src/core/validate/savedPlan.js';
import { allLedgersText, runCli } from '../helpers/cli.js';
import { samplePlan } from './_plan.js';

// issue #10 item 3: an edited plan.json is refused before the first call, with what is wrong.
const base = await samplePlan();
type Edit = (p: Plan) => void;
const edited = (edit: Edit): Plan => {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
};
const first = (p: Plan) => p.notifications[0]!;

describe('checkSavedPlan', () => {
  it('accepts the plan the planner made', () => {
    expect(base.notifications.length).toBeGreaterThan(0);
    expect(checkSavedPlan(structuredClone(base))).toEqual({ ok: true, plan: base });
  });

  it.each<[string, Edit, RegExp]>([
    ['a 3,049-byte msg', (p) => (first(p).msg = { msgtype: 'text', text: { content: 'a'.repeat(3049 - 40) } }), /msg: msg is 3049 bytes; DingTalk allows at most 2048/],
    ['two userids written as one', (p) => (first(p).recipients.users = ['wangwu,zhaoliu']), /recipients\.users\[0\]: "wangwu,zhaoliu" is not one userid/],
    ['a comma userid in a call', (p) => (first(p).calls[0]!.recipients = { userids: ['wangwu,zhaoliu'] }), /calls\[0\]\.recipients\.userids\[0\]/],
    ['a run_id of ../../x', (p) => (p.run_id = '../../x'), /run_id: /],
    ['an unknown msgtype', (p) => (first(p).msg = { msgtype: 'video', video: {} }), /msg\.msgtype: .*\(DingTalk answers 40008\)/],
    ['an empty text.content', (p) => (first(p).msg = { msgtype: 'text', text: { content: '' } }), /text\.content.*\(DingTalk answers 40035\)/],
    ['a msg edited without its hash', (p) => (first(p).msg = { msgtype: 'text', text: { content: 'changed' } }), /sha256 does not match its msg/],
    ['a call to someone not among the recipients', (p) => (first(p).calls[0]!.recipients = { userids: ['mallory'] }), /goes to mallory, who are not among/],
    ['101 userids in one call', (p) => (first(p).calls[0]!.recipients = { userids: Array.from({ length: 101 }, (_, i) => `u${i}`) }), /calls\[0\]\.recipients\.userids: .*has 101 items; at most 100 allowed/],
    ['a re-sent call whose recorded msg is not JSON', (p) => (first(p).calls[0]!.msg = '{"msgtype":'), /calls\[0\]\.msg is not a JSON msg object/],
    ['a re-sent call whose recorded msg breaks a rule', (p) => (first(p).calls[0]!.msg = JSON.stringify({ msgtype: 'text', text: { content: '' } })), /calls\[0\]\.msg\.text\.content.*\(DingTalk answers 40035\)/],
    ['a re-sent call whose recorded msg was swapped', (p) => (first(p).calls[0]!.msg = JSON.stringify({ msgtype: 'text', text: { content: 'other' } })), /calls\[0\]\.key does not match/],
    ['an unknown key', (p) => Object.assign(p, { extra: 1 }), /unknown key|extra/],
    ['not a plan', (p) => Object.assign(p, { format: 'dingcast.report/v1' }), /not a dingcast plan/],
  ])('refuses %s', (_name, edit, message) => {
    const r = checkSavedPlan(edited(edit));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('the fingerprint covers the body: any edit changes it', () => {
    const sealed = sealPlan(base, 'inputs');
    expect(planFingerprint('inputs', sealed)).toBe(sealed.fingerprint);
    expect(planFingerprint('inputs', edited((p) => (p.warnings = ['hello'])))).not.toBe(sealed.fingerprint);
    expect(planFingerprint('other inputs', sealed)).not.toBe(sealed.fingerprint);
  });
});

describe('send --plan with an edited plan (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates/t.yaml'), 'version: 1\ndescription: d\nvariables:\n  type: object\n  required: [body]\n  properties:\n    body: { type: string, maxLength: 50 }\nexamples:\n  typical: { body: hi }\nmsg:\n  msgtype: text\n  text: { content: "{{body}}" }\n');
  writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp:\n  agent_id: 100000001\nnotifications:\n  n1:\n    template: t@1\n    to:\n      users: [zhangsan, lisi]\n    vars: { body: hello }\n');

  it('refuses each edit with a clear error and sends nothing; the unedited plan is sent', async () => {
    const made = await runCli(['send', 'n1', '--sandbox', '--dry-run', '--save-plan', 'plan.json', '-p', dir]);
    expect(made.code, made.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
    const cases: [string, Edit, RegExp][] = [
      ['3049 bytes', (p) => (first(p).msg = { msgtype: 'text', text: { content: 'a'.repeat(3049 - 40) } }), /msg is 3049 bytes/],
      ['comma userid', (p) => ((first(p).recipients.users = ['wangwu,zhaoliu']), (first(p).calls[0]!.recipients = { userids: ['wangwu,zhaoliu'] })), /userids\[0\]/],
      ['run_id ../../x', (p) => (p.run_id = '../../x'), /run_id must look like/],
      ['a quiet edit', (p) => (p.warnings = ['looks harmless']), /stale or was edited/],
    ];
    for (const [name, edit, message] of cases) {
      const copy = structuredClone(saved);
      edit(copy);
      writeFileSync(join(dir, 'edited.json'), JSON.stringify(copy));
      const r = await runCli(['send', '--plan', 'edited.json', '--sandbox', '-p', dir]);
      expect(r.code, `${name}\n${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).not.toContain('internal error');
      expect(allLedgersText(dir), name).not.toContain('"intent"');
    }
    const ok = await runCli(['send', '--plan', 'plan.json', '--sandbox', '-p', dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(allLedgersText(dir)).toContain('"intent"');
  }, 180_000);
});
