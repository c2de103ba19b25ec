import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import type { Project } from '../../src/core/project.js';
import * as api from '../../src/index.js';
import { diffProjects } from '../../src/review/diffProjects.js';
import { formatDiffMarkdown } from '../../src/review/formatDiffMarkdown.js';
import { escapeMarkdown, fenced } from '../../src/core/escape.js';
import { BASE_PROJECT } from './_project.js';

const clock = { now: new Date('2026-03-02T01:00:00Z') };
const labels = { old: 'old', new: 'new' };

function project(files: Record<string, string>): Project {
  const p = loadProject({
    notifications: files['notifications.yaml'] === undefined ? undefined : { file: 'notifications.yaml', text: files['notifications.yaml'] },
    templates: Object.entries(files)
      .filter(([f]) => f.startsWith('templates/'))
      .map(([file, text]) => ({ file, text })),
    varsFiles: new Map(Object.entries(files).filter(([f]) => f.startsWith('data/')).map(([file, text]) => [file, { file, text }])),
  });
  expect(p.diagnostics).toEqual([]);
  return p;
}

const base = project(BASE_PROJECT);
const changed = (edits: [string, string, string][]) => {
  const files: Record<string, string> = { ...BASE_PROJECT };
  for (const [file, from, to] of edits) {
    if (!files[file]!.includes(from)) throw new Error(`${file} lacks ${from}`);
    files[file] = files[file]!.replace(from, to);
  }
  return project(files);
};

describe('diffProjects', () => {
  it('finds nothing between a project and itself', () => {
    expect(diffProjects(base, project(BASE_PROJECT), clock, labels)).toEqual({ notifications: [], templates: [] });
  });

  it('reports schedule, enabled and to_all changes even when the message is the same', () => {
    const d = diffProjects(base, changed([['notifications.yaml', '    to:\n      users: [wangwu]\n', '    to:\n      all: true\n    schedule: "0 9 * * 1-5"\n    enabled: false\n']]), clock, labels);
    expect(d.notifications).toHaveLength(1);
    const [n] = d.notifications;
    expect(n).toMatchObject({ id: 'old-one', status: 'changed', diff: '', toAll: { old: false, new: true }, users: { added: [], removed: ['wangwu'] } });
    expect(n!.settings).toEqual(['schedule: (none) → 0 9 * * 1-5', 'enabled: true → false']);
  });

  it('says which version an unpinned reference renders, and flags a template changed only in its variables', () => {
    const d = diffProjects(
      base,
      changed([
        ['notifications.yaml', 'template: note@1', 'template: note'],
        ['templates/note.yaml', 'service: { type: string, maxLength: 20 }', 'service: { type: string, maxLength: 30 }'],
      ]),
      clock,
      labels,
    );
    expect(d.notifications.map((n) => [n.id, n.templateRef, n.template])).toEqual([['release', { old: 'note@1', new: 'note' }, { old: 'note@1', new: 'note@1' }]]);
    expect(d.templates).toMatchObject([{ id: 'note', status: 'changed', sourceOnly: true, contentChangedWithoutBump: false, examples: [] }]);
  });

  it('shows a message that no longer renders, with the reason', () => {
    const d = diffProjects(base, changed([['notifications.yaml', 'vars: { who: wangwu }', 'vars: {}']]), clock, labels);
    expect(d.notifications[0]!.errors.new?.join(' ')).toMatch(/who/);
    expect(d.notifications[0]!.diff).toContain('+# does not render:');
    expect(formatDiffMarkdown(d, { base: 'b', commit: '0123456789' })).toContain('❌ does not render');
  });
});

describe('Markdown safety', () => {
  it('fences content that itself holds backtick fences', () => {
    const block = fenced('a\n````\nb\n', 'diff');
    expect(block).toBe('`````diff\na\n````\nb\n`````');
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['line\n# heading', 'line \\# heading'],
    ['`code` *em* [l](u)', '\\`code\\` \\*em\\* \\[l\\](u)'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

it('the programmatic API exports the six entry points as functions', () => {
  for (const name of ['loadProject', 'validateProject', 'renderNotification', 'planSend', 'applyPlan', 'startSandbox'] as const) {
    expect(typeof api[name], name).toBe('function');
  }
});
