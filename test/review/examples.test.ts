import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli } from '../helpers/cli.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const dir = join(repoRoot, 'examples/github');
const workflows = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const load = (f: string) => parse(readFileSync(join(dir, f), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Every `npx dingcast …` invocation in a workflow's run steps, as argument lists. */
function dingcastCalls(w: Workflow): string[][] {
  return steps(w)
    .flatMap((s) => (s.run ?? '').split('\n'))
    .flatMap((line) => [...line.matchAll(/npx dingcast ([^>|&;]*)/g)].map((m) => m[1]!.trim().split(/\s+/)));
}

describe('examples/github workflows', () => {
  it('are the pull-request check and the scheduled send', () => {
    expect(workflows.sort()).toEqual(['dingcast-pr-check.yml', 'dingcast-scheduled-send-cache.yml', 'dingcast-scheduled-send.yml']);
  });

  it.each(workflows)('%s only uses dingcast commands and options that exist', async (file) => {
    const calls = dingcastCalls(load(file));
    expect(calls.length).toBeGreaterThan(0);
    for (const [command, ...args] of calls) {
      const help = await runCli([command!, '--help']);
      expect(help.code, `dingcast ${command} --help`).toBe(0);
      for (const opt of args.filter((a) => a.startsWith('--'))) expect(help.stdout, `${file}: dingcast ${command} ${opt}`).toContain(opt);
    }
  });

  it('the pull-request check validates, comments the Markdown diff against the base, and can read history', () => {
    const w = load('dingcast-pr-check.yml');
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(w.permissions?.['pull-requests']).toBe('write');
    const all = steps(w);
    expect(all.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    const calls = dingcastCalls(w).map((c) => c.join(' '));
    expect(calls).toContain('validate');
    expect(calls.some((c) => c.startsWith('diff') && c.includes('--format md'))).toBe(true);
    expect(all.some((s) => s.run?.includes('gh pr comment') && s.run.includes('--body-file dingcast-diff.md'))).toBe(true);
  });

  it('the scheduled send keeps its state in PostgreSQL: DINGCAST_STATE from a secret, no cache of .dingcast/', () => {
    const w = load('dingcast-scheduled-send.yml') as Workflow & { concurrency?: { group: string } };
    expect(Object.keys(w.on)).toContain('schedule');
    expect(w.concurrency?.group).toBeTruthy();
    const all = steps(w) as (Step & { env?: Record<string, string> })[];
    expect(all.filter((s) => s.uses?.startsWith('actions/cache/'))).toEqual([]);
    const send = all.find((s) => /npx dingcast send --due/.test(s.run ?? ''));
    expect(send?.env?.DINGCAST_STATE).toBe('${{ secrets.DINGCAST_STATE }}');
    expect(readFileSync(join(dir, 'dingcast-scheduled-send.yml'), 'utf8')).toContain('state: { backend: postgres }');
  });

  it('the scheduled send without a database keeps the ledger in the cache between runs and never two at once', () => {
    const w = load('dingcast-scheduled-send-cache.yml') as Workflow & { concurrency?: { group: string } };
    expect(Object.keys(w.on)).toContain('schedule');
    expect(w.concurrency?.group).toBeTruthy();
    const all = steps(w);
    expect(all.filter((s) => s.uses?.startsWith('actions/cache/')).map((s) => s.with?.path)).toEqual(['.dingcast', '.dingcast']);
    expect(dingcastCalls(w).some((c) => c[0] === 'send' && c.includes('--due'))).toBe(true);
  });
});
