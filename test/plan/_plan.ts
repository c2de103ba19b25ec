import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/core/load/loadProject.js';
import { planSend } from '../../src/core/send/plan.js';
import type { Plan } from '../../src/core/send/types.js';
import { readProjectFiles } from '../../src/io/readProject.js';

/** A real plan of the repository's own example project, as `send --all --dry-run --save-plan` would make it. */
export async function samplePlan(): Promise<Plan> {
  const project = loadProject(await readProjectFiles(fileURLToPath(new URL('../../', import.meta.url))));
  const ids = project.notifications.filter((n) => n.enabled && n.schedule === undefined).map((n) => n.id);
  return planSend({ project, ids, now: new Date('2026-11-26T01:00:00Z'), runId: '20261126T010000Z-abcdef', ledger: { deliveries: [] }, force: false, fingerprint: '0'.repeat(64) });
}
