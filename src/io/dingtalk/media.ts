import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { MediaType } from '../../core/media/index.js';
import { DingTalkTransportError } from './errors.js';
import { callWithRetry, type CallDeps } from './retry.js';
import type { TokenSource } from './token.js';

export const MEDIA_UPLOAD_PATH = '/media/upload';

export interface MediaUpload {
  type: MediaType;
  /** The name DingTalk shows for a file message (the file's base name). */
  filename: string;
  bytes: Uint8Array;
}

/**
 * POST /media/upload?access_token=…&type=… with the file in the multipart field `media` → media_id. The form
 * is built per attempt: a retried upload sends the whole file again.
 */
export async function uploadMedia(deps: CallDeps, tokens: TokenSource, up: MediaUpload): Promise<{ mediaId: string; attempts: number }> {
  const form = new FormData();
  form.set('media', new Blob([up.bytes]), up.filename);
  const { env, attempts } = await callWithRetry(deps, { method: 'POST', path: MEDIA_UPLOAD_PATH, query: { type: up.type }, body: form, tokens });
  const id = env.media_id;
  if (typeof id !== 'string' || id === '') {
    throw new DingTalkTransportError(MEDIA_UPLOAD_PATH, 'answer lacks media_id', { kind: 'not-json', retryable: false });
  }
  return { mediaId: id, attempts };
}
