import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { AT, BASE_TIME, envFor, latestReport, makeProject, readReports, sandboxFor, textProject } from './_project.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const users = (n: number) => Array.from({ length: n }, (_, i) => `user${String(i + 1).padStart(2, '0')}`);

describe('dingcast send against a sandbox over a real socket', () => {
  it('sends every msgtype of the examples end to end and writes the four reports (json, md, junit, html)', async () => {
    const dir = makeProject();
    sandbox = await sandboxFor(dir);
    const r = await runCli(['send', '--all', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('standup-reminder'); // disabled: --all leaves it out
    const voice = await runCli(['send', 'standup-reminder', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(voice.code, voice.stderr).toBe(0);
    const types = new Set(sandbox.state.tasks().map((t) => t.msgtype));
    expect([...types].sort()).toEqual(['action_card', 'file', 'image', 'link', 'markdown', 'oa', 'text', 'voice']);
    const report = latestReport(dir);
    expect(report.totals.failed + report.totals.invalid + report.totals.unknown).toBe(0);
    expect(report.totals.unread + report.totals.read).toBe(report.totals.recipients);
    expect(readReports(dir)).toHaveLength(8);
  });

  it('splits 245 users into calls of 100, 100 and 45 (the default cap)', async () => {
    const dir = textProject(users(245));
    sandbox = await sandboxFor(dir);
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.state.tasks().map((t) => t.userid_list.length).sort((a, b) => b - a)).toEqual([100, 100, 45]);
    // Not a terminal: plain progress lines on stderr, no spinner escape codes.
    expect(r.stderr).toContain('sending 3/3 calls');
    expect(r.stderr.includes('\u001b['), 'no escape codes').toBe(false);
    expect(latestReport(dir).totals.unread).toBe(245);
  });

  it('skips everyone on a second run the same day, says so, and sends again the next day', async () => {
    const dir = textProject(['zhangsan', 'lisi']);
    sandbox = await sandboxFor(dir);
    const first = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout + second.stderr).toMatch(/already sent in run \S+ at \d\d:\d\d \(today, 2026-11-26\); nothing changed since/);
    expect(latestReport(dir).totals.skipped).toBe(2);
    expect(sandbox.state.calls().asyncsend_v2).toBe(1);
    sandbox.clock.advance(24 * 3600_000);
    const nextDay = new Date(BASE_TIME + 24 * 3600_000).toISOString();
    const third = await runCli(['send', 'note', '--at', nextDay, '--project', dir], { env: envFor(sandbox) });
    expect(third.code, third.stderr).toBe(0);
    expect(sandbox.state.calls().asyncsend_v2).toBe(2);
    expect(sandbox.state.inbox('zhangsan')).toHaveLength(2);
  });

  it('survives the token expiring mid-run', async () => {
    const dir = textProject(users(45));
    // The send is processed and its answer held back until the sandbox clock is past the token's 7200 s,
    // so the follow-up meets an expired token (a latch, not a count of calls: 45 users are one call now).
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'hold', name: 'sent', phase: 'after', count: 1, endpoint: 'asyncsend_v2' }] });
    const child = runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(await sandbox.admin.waitHeld('sent', 1)).toBe(true);
    sandbox.clock.advance(3 * 3600_000);
    sandbox.admin.release('sent');
    const r = await child;
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.state.calls().gettoken).toBe(2);
    expect(latestReport(dir).totals.unread).toBe(45);
  });

  it.each([
    ['a storm of 90018', { kind: 'errcode' as const, errcode: 90018, count: 4, endpoint: 'asyncsend_v2' as const }],
    ['5xx answers', { kind: 'http' as const, status: 502, count: 2, endpoint: 'asyncsend_v2' as const }],
    ['dropped connections', { kind: 'drop' as const, count: 2, endpoint: 'getsendresult' as const }],
  ])('retries through %s and delivers once', async (_name, fault) => {
    const dir = textProject(['zhangsan', 'lisi']);
    sandbox = await sandboxFor(dir, { faults: [fault] });
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.state.inbox('zhangsan')).toHaveLength(1);
    expect(latestReport(dir).totals.unread).toBe(2);
  });

  it.each([40056, 41044, 34016])('reports non-retryable errcode %i with exit 1', async (errcode) => {
    const dir = textProject(['zhangsan']);
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'errcode', errcode, count: 1, endpoint: 'asyncsend_v2' }] });
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(1);
    const call = latestReport(dir).notifications[0]?.calls[0];
    expect(call?.state).toBe('failed');
    expect(call?.error?.errcode).toBe(errcode);
    expect(sandbox.state.calls().asyncsend_v2).toBe(1);
  });

  it('reports invalid users and departments', async () => {
    const dir = textProject(['zhangsan', 'ghost'], [99999]);
    sandbox = await sandboxFor(dir, { config: { directory: { users: [{ userid: 'zhangsan', name: '张三', dept_ids: [1] }], departments: [{ id: 1, name: 'root' }] } } });
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code).toBe(1);
    const n = latestReport(dir).notifications[0];
    expect(n?.recipients.ghost).toBe('invalid');
    // A department call is followed by progress only (getsendresult cannot answer past 100 recipients), so DingTalk
    // never says a department is invalid; `dingcast validate` with a pulled directory does.
    expect(n?.recipients['dept:99999']).toBe('unread');
    expect(sandbox.state.tasks().map((t) => t.userid_list.length + t.dept_id_list.length).sort()).toEqual([1, 2]);
    expect(n?.recipients.zhangsan).toBe('unread');
  });

  it('never prints or stores the app secret or the access token', async () => {
    const dir = textProject(['zhangsan']);
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'errcode', errcode: 40056, count: 1, endpoint: 'asyncsend_v2' }] });
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    // An internal app's gettoken returns the same token while it is valid: the one the run used.
    const { access_token: token } = (await (await fetch(`${sandbox.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`)).json()) as { access_token: string };
    expect(token.length).toBeGreaterThan(8);
    const everything = [r.stdout, r.stderr, ...readReports(dir)].join('\n');
    expect(everything).not.toContain('sandbox-app-secret');
    expect(everything).not.toMatch(/access_token=(?!<redacted>)/);
    expect(everything).not.toContain(token);
  });
});
