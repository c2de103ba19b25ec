import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progressLine, startProgress, type ProgressEvent, type ProgressStream } from '../../src/cli/progress.js';
import { cliPath } from '../helpers/cli.js';
import { hasTmux, openTerminal, type Terminal } from '../helpers/tmux.js';
import { AT, textProject } from '../send/_project.js';
import { SAMPLE_COMPANY } from '../../src/sandbox/org/sample-company.js';

function recorder(tty: { isTTY?: boolean; columns?: number }): ProgressStream & { text: string } {
  const s = { ...tty, text: '', write: (t: string) => void (s.text += t) };
  return s;
}

const run = (stream: ProgressStream, env: NodeJS.ProcessEnv, events: ProgressEvent[]) => {
  let now = 0;
  const p = startProgress(stream, env, () => (now += 10));
  for (const e of events) p.update(e);
  p.stop();
  p.stop();
};

const sending = (total: number): ProgressEvent[] => Array.from({ length: total }, (_, i) => ({ phase: 'sending' as const, done: i + 1, total }));
const following = (total: number): ProgressEvent[] => Array.from({ length: total + 1 }, (_, i) => ({ phase: 'following' as const, done: i, total }));
const phases = [...sending(100), ...following(100), { phase: 'writing' as const, done: 0, total: 1 }];

describe('progress renderer', () => {
  it.each([
    ['0 columns', { isTTY: true, columns: 0 }, {}],
    ['no columns reported', { isTTY: true }, {}],
    ['8 columns', { isTTY: true, columns: 8 }, {}],
    ['not a terminal', { isTTY: false, columns: 80 }, {}],
    ['TERM=dumb', { isTTY: true, columns: 80 }, { TERM: 'dumb' }],
    ['CI', { isTTY: true, columns: 80 }, { CI: 'true' }],
  ])('%s: plain labelled lines, no escape codes, a few lines only', (_name, tty, env) => {
    const s = recorder(tty);
    run(s, env, phases);
    expect(s.text.includes('\u001b'), 'no escape codes').toBe(false);
    expect(s.text.includes('\r'), 'no carriage returns').toBe(false);
    const lines = s.text.trimEnd().split('\n');
    expect(lines).toContain('sending 100/100 calls');
    expect(lines).toContain('following up 100/100 tasks');
    expect(lines.at(-1)).toBe('writing reports');
    expect(lines.length).toBeLessThan(10);
  });

  it('redraws one line on a wide terminal, leaving each finished phase on screen', () => {
    const s = recorder({ isTTY: true, columns: 80 });
    run(s, {}, phases);
    const finalLines = s.text.split('\n').map((l) => l.split('\r').at(-1)?.replace('\u001b[K', ''));
    expect(finalLines).toEqual(['[####################] sending 100/100 calls', '[####################] following up 100/100 tasks', 'writing reports', '']);
    for (const frame of s.text.split(/[\r\n]/)) expect(frame.replace('\u001b[K', '').length).toBeLessThan(80);
  });

  it('fits every line to a narrow terminal and never wraps', () => {
    for (const columns of [20, 24, 33, 40]) {
      for (const e of phases) expect(progressLine(e, columns).length, `${columns} columns`).toBeLessThan(columns);
    }
    expect(progressLine({ phase: 'sending', done: 40, total: 100 }, 80)).toBe('[########------------] sending 40/100 calls');
  });

  it('switches to plain lines when the terminal shrinks mid-run', () => {
    const s = recorder({ isTTY: true, columns: 80 });
    const p = startProgress(s, {}, () => 0);
    p.update({ phase: 'sending', done: 1, total: 4 });
    s.columns = 0;
    p.update({ phase: 'sending', done: 4, total: 4 });
    p.stop();
    expect(s.text).toBe('\r[#####---------------] sending 1/4 calls\u001b[K\nsending 4/4 calls\n');
  });
});

describe.skipIf(!hasTmux)('send progress in a real terminal (tmux)', () => {
  let term: Terminal | undefined;
  afterEach(() => term?.close());
  // 45 people of the sandbox's sample company (`send --sandbox` uses it): 3 calls of at most 20 (the project's limit).
  const users = SAMPLE_COMPANY.departments.flatMap((d) => (d.members ?? []).map((u) => u.userid)).filter((u, i, all) => /^[a-z]/.test(u) && all.indexOf(u) === i).slice(0, 45);

  it.each<[string, { setup?: string; columns?: number }]>([
    ['a 0-column terminal', { setup: 'stty cols 0' }],
    ['an 80-column terminal', {}],
    ['a 12-column terminal', { columns: 12 }],
  ])('on %s the send ends, labels its phases and writes little', async (_name, opts) => {
    const dir = textProject(users);
    appendFileSync(join(dir, 'notifications.yaml'), 'limits: { userids_per_call: 20 }\n'); // 3 calls, not the default 1
    term = openTerminal(`node ${cliPath} send note --sandbox --at ${AT} --project ${dir}`, { ...opts, env: { NO_COLOR: '1' } });
    const code = await term.exited(30_000);
    const screen = term.screen();
    expect(code, screen).toBe(0);
    expect(screen).toContain('sending 3/3 calls');
    expect(screen).toContain('following up 3/3 tasks');
    expect(screen).toContain('writing reports');
    expect(screen).toMatch(/45 unread/);
    expect(term.raw().length).toBeLessThan(20_000);
  });
});
