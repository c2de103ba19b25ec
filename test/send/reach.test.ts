// Department sizes pace DingTalk's 5000 recipients a minute: the plan gives each department call its reach from
// the pulled directory (or warns that it cannot), and the run's client paces by it, against `dingcast sandbox`
// in its own process whose per-minute cap forbids (143103) whoever is past it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitCall } from '../../src/core/send/split.js';
import type { Plan, PlannedCall, Report } from '../../src/core/send/types.js';
import { applyPlan } from '../../src/io/apply.js';
import { createDingTalkClient } from '../../src/io/dingtalk/index.js';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const people = (prefix: string, n: number, dept: number) => Array.from({ length: n }, (_, i) => ({ userid: `${prefix}${i + 1}`, dept_ids: [dept] }));

/** Departments 10 (60 people) and 20 (60 people) in a sandbox that reaches at most 100 people a minute. */
async function org(): Promise<SandboxProcess> {
  return startSandboxProcess({
    config: {
      task_queue_ms: 0,
      task_base_ms: 0,
      task_per_recipient_ms: 0,
      recipients_per_minute: 100,
      departments: [{ id: 1, name: 'corp' }, { id: 10, name: 'A', parent_id: 1 }, { id: 20, name: 'B', parent_id: 1 }],
      users: [...people('a', 60, 10), ...people('b', 60, 20)],
    },
  });
}

/** One notification to departments 10 and 20, one department a call. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-reach-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates/note.yaml'), 'version: 1\ndescription: a note\nmsg:\n  msgtype: text\n  text:\n    content: "hello"\n');
  writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nlimits:\n  dept_ids_per_call: 1\nnotifications:\n  note:\n    template: note\n    to:\n      departments: [10, 20]\n');
  return dir;
}

async function dryRun(dir: string, env: Record<string, string>): Promise<Plan> {
  const r = await runCli(['send', 'note', '--dry-run', '--json', '-p', dir], { env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

/** A pacing clock the test moves: each wait the pacer asks for is recorded and ends when the test says. */
function handClock() {
  let t = 0;
  const waits: { ms: number; end: () => void }[] = [];
  let onWait: (() => void) | undefined;
  const waited = () => new Promise<void>((resolve) => (waits.length > 0 ? resolve() : (onWait = resolve)));
  return {
    clock: {
      now: () => t,
      sleep: (ms: number) =>
        new Promise<void>((end) => {
          waits.push({ ms, end });
          onWait?.();
        }),
    },
    waits,
    waited,
    advance: (ms: number) => (t += ms),
  };
}

describe('department sizes in the 5000-a-minute pacing', () => {
  it('without a directory the plan says which department sizes are unknown and gives their calls no reach', async () => {
    sb = await org();
    const plan = await dryRun(project(), sb.env);
    expect(plan.warnings).toContainEqual(expect.stringMatching(/^note: how many people department 10, department 20 reach is unknown \(no \.dingcast\/directory\.json\): the 5000-recipients-a-minute pacing counts each as 1 person/));
    expect(plan.notifications[0]?.calls.map((c) => c.reach)).toEqual([undefined, undefined]);
    expect(plan.notifications[0]?.sizes).toBeUndefined();
  });

  it('with the pulled directory each call carries its departments\' size, and the run waits for the window before going past the cap', async () => {
    sb = await org();
    const dir = project();
    const pulled = await runCli(['directory', 'pull', '-p', dir], { env: sb.env });
    expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
    const plan = await dryRun(dir, sb.env);
    const n = plan.notifications[0]!;
    expect(n.sizes).toEqual({ 'dept:10': 60, 'dept:20': 60 });
    expect(n.calls.map((c) => [c.recipients.deptIds, c.reach])).toEqual([[['10'], 60], [['20'], 60]]);
    expect(plan.warnings.filter((w) => w.includes('is unknown'))).toEqual([]);
    const text = await runCli(['send', 'note', '--dry-run', '-p', dir], { env: sb.env });
    expect(text.stdout).toContain('call 1: depts 10 (60 people)');

    // The plan applied by a client that may reach 100 people a minute, on a clock the test moves.
    await sb.admin.clock({ freeze: true });
    const hand = handClock();
    const client = createDingTalkClient({ baseUrl: sb.url, appKey: sb.env.DINGTALK_APP_KEY!, appSecret: sb.env.DINGTALK_APP_SECRET!, agentId: 100000001, recipientsPerMinute: 100, paceClock: hand.clock });
    let finished = false;
    let firstAnswered!: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswered = resolve));
    const onProgress = (e: { phase: string; done: number }) => e.phase === 'sending' && e.done === 1 && firstAnswered();
    const run = applyPlan(plan, { client, ledger: { append: () => Promise.resolve() }, wait: true, waitTimeoutMs: 60_000, onProgress }).finally(() => (finished = true));
    try {
      // 60 + 60 > 100: the second call waits for the first to leave the window. (Counted as 1 each, both go at once.)
      await Promise.race([Promise.all([hand.waited(), answered]), run]);
      expect(finished).toBe(false);
      expect(hand.waits).toHaveLength(1);
      expect(hand.waits[0]!.ms).toBeGreaterThanOrEqual(59_000);
      expect((await sb.admin.calls()).calls.asyncsend_v2).toBe(1);
      expect(Object.keys(await sb.admin.inboxCounts())).toHaveLength(60);
      // A minute passes, for DingTalk and for the pacer.
      await sb.admin.clock({ advance: 60_000 });
      hand.advance(60_000);
      hand.waits[0]!.end();
      const report: Report = await run;
      expect(report.notifications[0]?.calls.map((c) => c.state)).toEqual(['sent', 'sent']);
      const inboxes = await sb.admin.inboxCounts();
      expect(Object.keys(inboxes)).toHaveLength(120);
      expect(Object.values(inboxes).every((count) => count === 1)).toBe(true);
      // Nobody was past the cap: every task delivered to all of its 60.
      expect((await sb.admin.tasks()).map((t) => t.deliveries.filter((d) => d.outcome === 'delivered').length)).toEqual([60, 60]);
    } finally {
      // A failed expectation must not leave the run waiting for ever.
      hand.advance(3_600_000);
      for (const w of hand.waits) w.end();
      await run.catch(() => undefined);
      await client.close();
    }
  });

  it('a refused call\'s halves carry their own departments\' reach', () => {
    const call: PlannedCall = { key: 'f'.repeat(32), index: 0, recipients: { deptIds: ['10', '20', '30'] }, reach: 60 + 60 + 5 };
    const halves = splitCall(call, { 'dept:10': 60, 'dept:20': 60, 'dept:30': 5 });
    expect(halves?.map((h) => [h.recipients.deptIds, h.reach])).toEqual([[['10', '20'], 120], [['30'], 5]]);
    // Without sizes a half has no reach of its own (not its parent's).
    expect(splitCall(call)?.map((h) => h.reach)).toEqual([undefined, undefined]);
  });
});
