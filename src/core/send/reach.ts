import type { CallRecipients } from '../chunk.js';
import type { Recipients } from '../project.js';
import type { DirectoryIndex } from '../recipients/directory.js';

/**
 * How many people each department of a notification reaches (and `all`, the whole organisation), by recipient
 * key (`dept:10001`, `all`), as the pulled directory counts them: DingTalk's 5000-recipients-a-minute cap counts
 * people, not selectors. Only what the directory knows is in it.
 */
export function recipientSizes(to: Recipients, org: DirectoryIndex | undefined): Record<string, number> {
  const sizes: Record<string, number> = {};
  if (!org) return sizes;
  for (const d of to.departments) if (org.department(d) !== undefined) sizes[`dept:${String(d)}`] = org.sizeOf(d);
  if (to.all) sizes.all = org.directory.users.length;
  return sizes;
}

/** The departments (and `all`) of these recipients whose size is not known. */
export function unknownSizes(to: Recipients, sizes: Readonly<Record<string, number>>): string[] {
  const keys = [...to.departments.map((d) => `dept:${String(d)}`), ...(to.all ? ['all'] : [])];
  return keys.filter((k) => sizes[k] === undefined);
}

/**
 * The people one call reaches: its userids plus each department's size (or the organisation's for
 * to_all_user). Undefined when a department's size is unknown: the client then counts what it sees. Departments
 * nested in one another are counted once each, an over-count: pacing a little slower is safe, going past the cap
 * is not (DingTalk answers ok and those beyond it get nothing).
 */
export function callReach(r: CallRecipients, sizes: Readonly<Record<string, number>> | undefined): number | undefined {
  let people = r.userids?.length ?? 0;
  for (const d of r.deptIds ?? []) {
    const size = sizes?.[`dept:${String(d)}`];
    if (size === undefined) return undefined;
    people += size;
  }
  if (r.toAll) {
    if (sizes?.all === undefined) return undefined;
    people += sizes.all;
  }
  return people;
}
