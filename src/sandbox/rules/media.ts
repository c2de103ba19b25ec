import { sniffFormat, type MediaFormat } from '../../core/media/sniff.js';
import type { ApiError } from '../types.js';

/**
 * media/upload's limits, written from dingtalk-api.md (MEDIA) on purpose apart from dingcast's validator, so a
 * validator bug shows up as a sandbox refusal. Formats are read from the bytes (DingTalk's server does not trust names).
 */
const MB = 1024 * 1024;
export const UPLOAD_RULES: Record<string, { maxBytes: number; formats: readonly MediaFormat[] | 'any' }> = {
  image: { maxBytes: 20 * MB, formats: ['jpg', 'gif', 'png', 'bmp'] },
  voice: { maxBytes: 2 * MB, formats: ['amr', 'mp3', 'wav'] },
  video: { maxBytes: 20 * MB, formats: 'any' },
  file: { maxBytes: 20 * MB, formats: 'any' },
};
/** The largest request body the endpoint reads: the largest file plus room for the multipart envelope. */
export const MAX_UPLOAD_BODY = 20 * MB + 64 * 1024;

/**
 * DingTalk's global codes for media (40004 type, 40005 file type, 40006 size, 41005 no file) as its error
 * table lists them; dingtalk-api.md names none for media/upload, so these follow the global table.
 */
export function checkUpload(type: string | null, file: { size: number; head: Uint8Array } | undefined): ApiError | null {
  if (type === null || !Object.hasOwn(UPLOAD_RULES, type)) return { errcode: 40004, errmsg: `不合法的媒体文件类型 (type must be image, voice, video or file, got ${JSON.stringify(type)})` };
  if (!file) return { errcode: 41005, errmsg: '缺少多媒体文件数据 (multipart field "media" is missing)' };
  const rule = UPLOAD_RULES[type]!;
  if (file.size === 0 || file.size > rule.maxBytes) return { errcode: 40006, errmsg: `不合法的文件大小 (${file.size} bytes; ${type} takes at most ${rule.maxBytes})` };
  if (rule.formats !== 'any') {
    const format = sniffFormat(file.head);
    if (!format || !rule.formats.includes(format)) return { errcode: 40005, errmsg: `不合法的文件类型 (${format ?? 'unknown'}; ${type} takes ${rule.formats.join('/')})` };
  }
  return null;
}

/** The ids this sandbox hands out: anything else with this prefix was never uploaded here. */
export const SANDBOX_MEDIA_PREFIX = '@sbx';

/**
 * A sent image, voice or file names its media: a path (`./assets/x.png`) is never a media_id, and an id in the
 * sandbox's own format must be one it issued (40007, DingTalk's "invalid media_id"). Other ids (the `@lADP…` of
 * examples, or from a real upload) are accepted: the sandbox cannot know DingTalk's.
 */
export function checkMediaRef(msg: Record<string, unknown>, uploaded: (id: string) => boolean): ApiError | null {
  const type = msg.msgtype;
  if (type !== 'image' && type !== 'voice' && type !== 'file') return null;
  const id = (msg[type] as { media_id?: unknown } | undefined)?.media_id;
  if (typeof id !== 'string') return null;
  if (/^\s*(\.{1,2}\/|\/|~)/.test(id)) return { errcode: 40007, errmsg: `不合法的媒体文件id (${JSON.stringify(id)} is a file path, not a media_id: upload it first)` };
  if (id.startsWith(SANDBOX_MEDIA_PREFIX) && !uploaded(id)) return { errcode: 40007, errmsg: `不合法的媒体文件id (${id} was not uploaded to this sandbox)` };
  return null;
}
