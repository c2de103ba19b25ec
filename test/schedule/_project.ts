import { allLedgersText } from '../helpers/cli.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const TEMPLATE = `version: 1
description: a scheduled note
variables:
  type: object
  required: [name]
  properties:
    name: { type: string, maxLength: 20 }
examples:
  typical: { name: team }
msg:
  msgtype: text
  text:
    content: "hello {{name}}"
`;

/** One scheduled notification per entry: [id, schedule, extra YAML lines for it, recipient]. */
export type Scheduled = [id: string, schedule: string, extra: string, user: string];

/** A real project folder in a temp dir with the given scheduled notifications (project zone Asia/Shanghai). */
export function scheduledProject(list: Scheduled[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-schedule-'));
  const notifications = list
    .map(([id, schedule, extra, user]) => `  ${id}:\n    template: note@1\n    to: { users: [${user}] }\n    vars: { name: ${id} }\n    schedule: "${schedule}"\n${extra ? `    ${extra}\n` : ''}`)
    .join('');
  write(dir, 'templates/note.yaml', TEMPLATE);
  write(dir, 'notifications.yaml', `version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nnotifications:\n${notifications}`);
  return dir;
}

export function write(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

/** The ledger's fired-slot records. */
export function slotRecords(dir: string): { notification: string; slot: string; run: string }[] {
  const text = allLedgersText(dir);
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { type: string; notification: string; slot: string; run: string })
    .filter((r) => r.type === 'slot');
}
