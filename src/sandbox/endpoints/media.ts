import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Emulator } from '../context.js';
import { checkUpload, MAX_UPLOAD_BODY, SANDBOX_MEDIA_PREFIX } from '../rules/media.js';
import { authenticate } from '../rules/token.js';
import type { Answer } from '../types.js';

/** An uploaded file the sandbox keeps: the inbox shows images and file names from it. */
export interface SandboxMedia {
  media_id: string;
  type: string;
  filename: string;
  size: number;
  sha256: string;
  appkey: string;
  created_at: number;
  bytes: Buffer;
  contentType: string;
}

/** POST /media/upload?access_token=…&type=… multipart `media` → { type, media_id, created_at }. */
export async function uploadMedia(emu: Emulator, req: IncomingMessage, url: URL): Promise<Answer> {
  const record = authenticate(url, emu.state.tokens, emu.clock.now());
  if ('errcode' in record) return record;
  const ct = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(ct)) return { errcode: 43004, errmsg: `无效的HTTP HEADER Content-Type: ${ct.split(';')[0] || '(none)'} (media/upload takes multipart/form-data)` };
  const body = await readRaw(req);
  if (body === null) return { errcode: 40006, errmsg: '不合法的文件大小 (request body too large)' };
  let form: FormData;
  try {
    form = await new Response(new Blob([new Uint8Array(body)]), { headers: { 'content-type': ct } }).formData();
  } catch {
    return { errcode: 47001, errmsg: '数据格式错误 (multipart body does not parse)' };
  }
  const entry = form.get('media');
  const file = entry !== null && typeof entry !== 'string' ? entry : undefined;
  const bytes = file ? Buffer.from(await file.arrayBuffer()) : undefined;
  const type = url.searchParams.get('type');
  const refused = checkUpload(type, bytes ? { size: bytes.length, head: bytes.subarray(0, 64) } : undefined);
  if (refused) return refused;
  const now = emu.clock.now();
  const media: SandboxMedia = {
    media_id: `${SANDBOX_MEDIA_PREFIX}${randomBytes(12).toString('base64url')}`,
    type: type!,
    filename: file?.name || 'upload',
    size: bytes!.length,
    sha256: createHash('sha256').update(bytes!).digest('hex'),
    appkey: record.appkey,
    created_at: now,
    bytes: bytes!,
    contentType: file?.type || 'application/octet-stream',
  };
  emu.state.media.set(media.media_id, media);
  return { errcode: 0, errmsg: 'ok', type: media.type, media_id: media.media_id, created_at: now };
}

function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_UPLOAD_BODY) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_UPLOAD_BODY ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
