import { resolve } from 'node:path';
import type { Plan } from '../core/send/types.js';
import { checkSavedPlan, planFingerprint } from '../core/validate/savedPlan.js';
import { UserError } from '../errors.js';
import { readTextFile } from './readText.js';

const REMAKE = 'Make a new plan with `dingcast send ID --dry-run --save-plan FILE` and review it again (the path is relative to the project folder).';

/**
 * Read `send --plan FILE` and refuse it before any call when it is damaged, edited or stale: the same rules as a
 * fresh plan (src/core/validate/savedPlan.ts), then the fingerprint over today's project files and ledger (`inputs`)
 * and the plan's own body.
 */
export function readSavedPlan(projectDir: string, file: string, inputs: string): Plan {
  const read = readTextFile(resolve(projectDir, file));
  if (!read.ok) throw new UserError(`cannot read plan ${file}: ${read.message}`, read.missing ? REMAKE : read.hint);
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (e) {
    throw new UserError(`plan ${file} is not valid JSON: ${(e as Error).message}`, REMAKE);
  }
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== 'dingcast.plan/v1') {
    throw new UserError(`${file} is not a dingcast plan (expected format dingcast.plan/v1)`, REMAKE);
  }
  const checked = checkSavedPlan(value);
  if (!checked.ok) {
    const shown = checked.problems.slice(0, 10).map((p) => `\n  - ${p}`).join('');
    const more = checked.problems.length > 10 ? `\n  … and ${checked.problems.length - 10} more` : '';
    throw new UserError(`plan ${file} is refused, nothing was sent:${shown}${more}`, REMAKE);
  }
  if (checked.plan.fingerprint !== planFingerprint(inputs, checked.plan)) {
    throw new UserError(`plan ${file} is stale or was edited: templates, notifications, the ledger or the plan itself changed since it was made; nothing was sent`, REMAKE);
  }
  return checked.plan;
}
