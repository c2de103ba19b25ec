import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write a whole file beside its place, sync it, then rename it over the old one: a crash or a full disk leaves the
 * old file or the new one, never half of one, and no temporary file behind. The folder is synced too, so the
 * rename itself outlives a power cut. Errors are the file system's own; callers say what they mean to a user.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  const dir = await open(dirname(file), 'r');
  await dir.sync().finally(() => dir.close());
}
