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

describe.skipIf(!hasTmux)('recall of a whole run asks in a real terminal (tmux)', () => {
  let sandbox: SandboxProcess;
  let term: Terminal | undefined;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
  });
  afterEach(async () => {
    term?.close();
    term = undefined;
    // DingTalk drops the same content to the same person on one day (143106): each case starts a new day's inboxes.
    await sandbox.admin.reset();
  });
  afterAll(async () => {
    await sandbox.close();
  });
  /** A run sent to the sandbox process (no terminal, so no question), and its id. */
  async function sentRun(): Promise<{ dir: string; runId: string; taskRecalled: () => Promise<boolean> }> {
    const dir = textProject(['zhangsan', 'lisi']);
    const r = await runCli(['send', 'note', '--json', '--project', dir], { env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { run_id: string; notifications: { calls: { task_id: number }[] }[] };
    const taskId = report.notifications[0]!.calls[0]!.task_id;
    const taskRecalled = async () => {
      const inbox = await sandbox.admin.inbox('zhangsan');
      if (!inbox.some((m) => m.task_id === taskId)) throw new Error(`task ${taskId} not in zhangsan's inbox: ${JSON.stringify(inbox)}`);
      return inbox.some((m) => m.task_id === taskId && m.recalled);
    };
    return { dir, runId: report.run_id, taskRecalled };
  }
  const recallIn = (dir: string, args: string): Terminal => openTerminal(`node ${cliPath} recall ${args} --project ${dir}`, { env: { NO_COLOR: '1', ...sandbox.env } });

  it('no: nothing is recalled, exit 2', async () => {
    const run = await sentRun();
    term = recallIn(run.dir, run.runId);
    await term.waitFor(new RegExp(`Recall 1 notification \\(1 call\\) of run ${run.runId} from 2 recipients\\? \\[y/N\\]`));
    term.type('n');
    expect(await term.exited()).toBe(2);
    expect(term.screen()).toContain('nothing recalled: not confirmed');
    expect(await run.taskRecalled()).toBe(false);
  });

  it('yes: it recalls', async () => {
    const run = await sentRun();
    term = recallIn(run.dir, run.runId);
    await term.waitFor(/\[y\/N\]/);
    term.type('y');
    expect(await term.exited(), term.screen()).toBe(0);
    expect(await run.taskRecalled()).toBe(true);
  });

  it('--yes, or naming the notifications: no question', async () => {
    for (const args of ['--yes', 'note']) {
      const run = await sentRun();
      term = recallIn(run.dir, `${run.runId} ${args}`);
      expect(await term.exited(), term.screen()).toBe(0);
      expect(term.screen()).not.toContain('[y/N]');
      expect(await run.taskRecalled()).toBe(true);
      term.close();
      term = undefined;
      await sandbox.admin.reset();
    }
  });
});
