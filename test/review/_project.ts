import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A small project written from text, so tests do not depend on the repository's examples. */
export const NOTE_V1 = `version: 1
description: release note
variables:
  type: object
  required: [service, changes]
  properties:
    service: { type: string, maxLength: 20 }
    changes: { type: array, maxItems: 5, items: { type: string, maxLength: 40 } }
examples:
  typical: { service: api, changes: [Faster login, Fix export] }
msg:
  msgtype: markdown
  markdown:
    title: "{{service}} released"
    text: |
      ### {{service}} released
      {{#each changes}}
      - {{this}}
      {{/each}}
`;

export const PING_V1 = `version: 1
description: ping
variables:
  type: object
  required: [who]
  properties:
    who: { type: string, maxLength: 20 }
examples:
  typical: { who: ops }
msg:
  msgtype: text
  text:
    content: "ping {{who}}"
`;

export const NOTIFICATIONS = `version: 1
app:
  agent_id: 100000001
  kind: internal
timezone: Asia/Shanghai
notifications:
  release:
    template: note@1
    to:
      users: [zhangsan, lisi]
    vars: { service: api, changes: [Faster login, Fix export] }
  ping-ops:
    template: ping@1
    to:
      departments: [100]
    vars_file: data/ping.json
  old-one:
    template: ping@1
    to:
      users: [wangwu]
    vars: { who: wangwu }
`;

export function writeProject(files: Record<string, string>, into = mkdtempSync(join(tmpdir(), 'dingcast-review-'))): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(into, path)), { recursive: true });
    writeFileSync(join(into, path), text);
  }
  return into;
}

export const BASE_PROJECT = {
  'notifications.yaml': NOTIFICATIONS,
  'templates/note.yaml': NOTE_V1,
  'templates/ping.yaml': PING_V1,
  'data/ping.json': '{ "who": "ops" }\n',
};
