import type { MediaFile } from './file.js';
import type { LocalMediaRef, MediaType } from './refs.js';
import type { MediaFormat } from './sniff.js';

const MB = 1024 * 1024;

/** DingTalk's media/upload limits (dingtalk-api.md, MEDIA). `file` takes any format. */
export const MEDIA_LIMITS: Record<MediaType, { maxBytes: number; formats: readonly MediaFormat[] | 'any' }> = {
  image: { maxBytes: 20 * MB, formats: ['jpg', 'gif', 'png', 'bmp'] },
  voice: { maxBytes: 2 * MB, formats: ['amr', 'mp3', 'wav'] },
  file: { maxBytes: 20 * MB, formats: 'any' },
};
/** TYPES says a file message's file must be ≤ 10 MB while MEDIA accepts 20 MB: past 10 MB is a warning. */
export const FILE_MESSAGE_SOFT_LIMIT = 10 * MB;

export interface MediaProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** Which msg field the problem is about. */
  field: 'media_id' | 'duration';
}

/** Every problem of one local media reference: where the file is, what it is, how big, how long. */
export function checkMediaFile(ref: LocalMediaRef, file: MediaFile | undefined, duration?: unknown): MediaProblem[] {
  const err = (code: string, message: string, hint?: string): MediaProblem => ({ severity: 'error', code, message, field: 'media_id', ...(hint ? { hint } : {}) });
  if (!file) return [err('media/not-read', `${ref.ref} was not read`, 'This is a dingcast bug: the file should have been read before validation.')];
  if (!file.ok) {
    if (file.reason === 'outside-project') return [err('media/outside-project', file.detail ?? `${ref.ref} is outside the project folder`, 'Media files must live inside the project (e.g. ./assets/); dingcast never uploads files from elsewhere.')];
    if (file.reason === 'missing') return [err('media/missing', `${ref.ref} does not exist`, 'Paths are relative to the project folder (where notifications.yaml is).')];
    if (file.reason === 'not-a-file') return [err('media/not-a-file', `${ref.ref} is not a regular file`)];
    return [err('media/unreadable', `${ref.ref} cannot be read${file.detail ? ` (${file.detail})` : ''}`)];
  }
  const out: MediaProblem[] = [];
  const limit = MEDIA_LIMITS[ref.type];
  if (limit.formats !== 'any' && (file.format === undefined || !limit.formats.includes(file.format))) {
    const what = file.format ? `a ${file.format} file` : 'not a format DingTalk knows';
    out.push(err('media/wrong-type', `${ref.ref} is ${what}; a ${ref.type} message takes ${limit.formats.join(', ')}`, 'dingcast reads the first bytes of the file, not its extension: convert the file itself.'));
  }
  if (file.size === 0) out.push(err('media/empty', `${ref.ref} is empty`));
  if (file.size > limit.maxBytes) {
    out.push(err('media/too-large', `${ref.ref} is ${mb(file.size)}; DingTalk takes a ${ref.type} of at most ${mb(limit.maxBytes)}`, ref.type === 'voice' ? 'Shorten it or encode it as AMR.' : 'Compress it, or share a link instead.'));
  } else if (ref.type === 'file' && file.size > FILE_MESSAGE_SOFT_LIMIT) {
    out.push({ ...err('media/large-file', `${ref.ref} is ${mb(file.size)}; DingTalk's message docs say a file message's file must be ≤ 10 MB (the upload takes 20 MB)`), severity: 'warning' });
  }
  if (ref.type === 'voice' && file.durationSec !== undefined) {
    const declared = Number(duration);
    const actual = Math.max(1, Math.round(file.durationSec));
    if (typeof duration === 'string' && Number.isInteger(declared) && Math.abs(declared - file.durationSec) > 1) {
      out.push({ severity: 'error', code: 'media/duration-mismatch', field: 'duration', message: `duration is ${declared} s but ${ref.ref} lasts ${file.durationSec.toFixed(1)} s`, hint: `Write duration: "${actual}".` });
    }
  }
  return out;
}

function mb(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
