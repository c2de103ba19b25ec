import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmQuestion } from '../../src/cli/confirm.js';
import type { Plan } from '../../src/core/send/types.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { hasTmux, openTerminal, type Terminal } from '../helpers/tmux.js';
import { textProject } from '../send/_project.js';

type Calls = Plan['notifications'][number]['calls'][number]['recipients'][];
const planOf = (...notifications: Calls[]): Plan => ({ notifications: notifications.map((calls) => ({ calls: calls.map((recipients) => ({ recipients })) })) }) as unknown as Plan;

describe('the question before a real send', () => {
  it.each<[string, Plan, string | undefined]>([
    ['people, each counted once', planOf([{ userids: ['a', 'b'] }], [{ userids: ['b', 'c'] }, { userids: ['d'] }]), 'Send 2 notifications to 4 people in 3 calls? [y/N] '],
    ['one of each', planOf([{ userids: ['a'] }]), 'Send 1 notification to 1 person in 1 call? [y/N] '],
    ['departments apart from people', planOf([{ userids: ['a'] }, { deptIds: [10001, 10002] }]), 'Send 1 notification to 1 person and 2 departments in 2 calls? [y/N] '],
    ['everyone, loudly', planOf([{ toAll: true }]), 'Send 1 notification to EVERYONE in the organisation in 1 call? [y/N] '],
    ['thousands with separators', planOf([{ userids: Array.from({ length: 2013 }, (_, i) => `u${i}`) }]), 'Send 1 notification to 2,013 people in 1 call? [y/N] '],
    ['nothing to send: no question', planOf([]), undefined],
  ])('%s', (_name, plan, expected) => {
    expect(confirmQuestion(plan)).toBe(expected);
  });
});

describe.skipIf(!hasTmux)('send asks in a real terminal (tmux) before sending to a real target', () => {
  let sandbox: SandboxProcess;
  let term: Terminal | undefined;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterEach(async () => {
    term?.close();
    term = undefined;
    await sandbox.admin.reset();
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const sendIn = (dir: string, extra = ''): Terminal => openTerminal(`node ${cliPath} send note --project ${dir}${extra}`, { env: { NO_COLOR: '1', ...sandbox.env } });

  it('no: nothing is sent, exit 2', async () => {
    term = sendIn(textProject(['zhangsan', 'lisi']));
    await term.waitFor(/Send 1 notification to 2 people in 1 call\? \[y\/N\]/);
    term.type('n');
    expect(await term.exited()).toBe(2);
    expect(term.screen()).toContain('nothing sent: not confirmed');
    expect(await sandbox.admin.inboxCounts()).toEqual({});
  });

  it('an empty answer is no', async () => {
    term = sendIn(textProject(['zhangsan']));
    await term.waitFor(/\[y\/N\]/);
    term.type('');
    expect(await term.exited()).toBe(2);
    expect(await sandbox.admin.inboxCounts()).toEqual({});
  });

  it('yes: it sends', async () => {
    term = sendIn(textProject(['zhangsan', 'lisi']));
    await term.waitFor(/\[y\/N\]/);
    term.type('y');
    expect(await term.exited(), term.screen()).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
  });

  it('--yes: no question, it sends', async () => {
    term = sendIn(textProject(['zhangsan']), ' --yes');
    expect(await term.exited(), term.screen()).toBe(0);
    expect(term.screen()).not.toContain('[y/N]');
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
  });

  it('--sandbox: no question (nobody real gets it)', async () => {
    term = openTerminal(`node ${cliPath} send note --sandbox --project ${textProject(['zhangsan'])}`, { env: { NO_COLOR: '1' } });
    expect(await term.exited(), term.screen()).toBe(0);
    expect(term.screen()).not.toContain('[y/N]');
  });

  it('without a terminal (cron, CI, a pipe) it never asks', async () => {
    const r = await runCli(['send', 'note', '--project', textProject(['zhangsan'])], { env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[y/N]');
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
  });
});
