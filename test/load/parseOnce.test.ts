import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import { parseYamlSource } from '../../src/core/load/yamlSource.js';
import type { FileText } from '../../src/core/project.js';

const template = { file: 'templates/t.yaml', text: 'version: 1\ndescription: t\nvariables: { type: object }\nexamples: { typical: {} }\nmsg: { msgtype: text, text: { content: "hi" } }\n' };
const notes = (id: string) => `version: 1\napp: { agent_id: 1, kind: internal }\nnotifications:\n  ${id}:\n    template: t@1\n    to: { users: [u1] }\n`;

describe('notifications.yaml parsed once by the reader, reused by the loader', () => {
  it('uses the parse that belongs to the text', () => {
    const text = notes('first');
    const file: FileText = { file: 'notifications.yaml', text, parsed: { text, result: parseYamlSource('notifications.yaml', text) } };
    expect(loadProject({ notifications: file, templates: [template], varsFiles: new Map() }).notifications.map((n) => n.id)).toEqual(['first']);
  });

  it('parses afresh a copy whose text was edited (a stale parse is never used)', () => {
    const text = notes('first');
    const original: FileText = { file: 'notifications.yaml', text, parsed: { text, result: parseYamlSource('notifications.yaml', text) } };
    const edited: FileText = { ...original, text: notes('second') };
    expect(loadProject({ notifications: edited, templates: [template], varsFiles: new Map() }).notifications.map((n) => n.id)).toEqual(['second']);
  });
});
