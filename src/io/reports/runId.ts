import { randomBytes } from 'node:crypto';

/** Sorts by time as a string, is safe as a folder name on every OS, and two runs in one second still differ. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export function newRunId(now: Date, random: () => string = () => randomBytes(3).toString('hex')): string {
  if (Number.isNaN(now.getTime())) throw new Error('newRunId: invalid date');
  const suffix = random();
  if (!/^[0-9a-f]{6}$/.test(suffix)) throw new Error(`newRunId: random() must return 6 lowercase hex digits, got ${JSON.stringify(suffix)}`);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const id = `${stamp}-${suffix}`;
  // toISOString switches to a six-digit year past 9999; refuse rather than write an id readReport rejects.
  if (!RUN_ID_PATTERN.test(id)) throw new Error(`newRunId: cannot format ${now.toISOString()}`);
  return id;
}
