import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkProjectPath, resolveInsideProject } from '../projectPath.js';
import { audioDurationSec, sniffFormat, type MediaFile } from '../../core/media/index.js';

/** Audio durations are read from the whole file; voice files are ≤ 2 MB, anything bigger is refused anyway. */
const MAX_AUDIO_SCAN = 4 * 1024 * 1024;

/**
 * Reads each referenced file once: where it really is (symlinks resolved, so a link cannot point outside the
 * project), its size, sha256, format by its first bytes and, for audio, its duration.
 */
export async function readMediaFiles(projectDir: string, refs: Iterable<string>): Promise<Map<string, MediaFile>> {
  const root = await realpath(resolve(projectDir)).catch(() => resolve(projectDir));
  const out = new Map<string, MediaFile>();
  await Promise.all([...refs].map(async (ref) => out.set(ref, await readMediaFile(root, ref))));
  return out;
}

export async function readMediaFile(root: string, ref: string): Promise<MediaFile> {
  const written = ref.trim();
  // The project's one path rule (no absolute paths, no `..`, no symlink out of the project).
  const rule = checkProjectPath(written);
  if (!rule.ok) return { ok: false, file: written, reason: 'outside-project', detail: rule.message };
  const file = rule.path;
  const inside = resolveInsideProject(root, written);
  if (!inside.ok) return { ok: false, file, reason: 'outside-project', detail: inside.message };
  const real = await realpath(inside.abs).catch((e: NodeJS.ErrnoException) => e);
  if (real instanceof Error) return real.code === 'ENOENT' || real.code === 'ENOTDIR' ? { ok: false, file, reason: 'missing' } : { ok: false, file, reason: 'unreadable', detail: real.code ?? real.message };
  const info = await stat(real);
  if (!info.isFile()) return { ok: false, file, reason: 'not-a-file' };
  let bytes: Buffer;
  try {
    bytes = await readFile(real);
  } catch (e) {
    return { ok: false, file, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  const format = sniffFormat(bytes.subarray(0, 64));
  const read: MediaFile = { ok: true, file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), format };
  const duration = format && bytes.length <= MAX_AUDIO_SCAN ? audioDurationSec(bytes, format) : undefined;
  if (duration !== undefined) read.durationSec = duration;
  return read;
}
