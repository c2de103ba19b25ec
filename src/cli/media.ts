import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import pc from 'picocolors';
import { audioDurationSec, checkMediaFile, MEDIA_TYPES, sniffFormat, type MediaFile, type MediaFormat, type MediaType } from '../core/media/index.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import { fsUserError } from '../io/fsError.js';
import { QUOTA_EXHAUSTED } from '../core/send/quota.js';
import { meterClient, type MeteredClient } from '../io/meter.js';
import { newRunId } from '../io/reports/runId.js';
import { readAppSettings, type AppSettings } from './appKind.js';
import { recordCallsOutsideRun } from './countCalls.js';
import { appCredentialsFromEnv, credentialsHint, httpTimeoutMs, resolveAgentId } from './credentials.js';
import { log, out } from './output.js';

export interface MediaUploadOptions {
  /** image, voice or file; default: what the file's bytes are (an image format → image, amr/mp3/wav → voice, else file). */
  type?: string;
  format: 'text' | 'json';
}

const VOICE_FORMATS: readonly MediaFormat[] = ['amr', 'mp3', 'wav'];

/** The upload type a file's bytes suggest. */
export function mediaTypeOf(format: MediaFormat | undefined): MediaType {
  if (format === undefined) return 'file';
  return VOICE_FORMATS.includes(format) ? 'voice' : 'image';
}

/**
 * `dingcast media upload FILE`: checks the file against DingTalk's limits, uploads it with media/upload and
 * prints the media_id (alone on stdout, so `id=$(dingcast media upload x.png)` works). 1 = the file breaks a limit.
 */
export async function runMediaUpload(projectDir: string, file: string, opts: MediaUploadOptions, env: NodeJS.ProcessEnv): Promise<number> {
  if (opts.type !== undefined && !(MEDIA_TYPES as readonly string[]).includes(opts.type)) {
    throw new UserError(`--type ${opts.type} is not one of ${MEDIA_TYPES.join(', ')}`, 'Leave it out to let dingcast tell from the file\'s bytes.');
  }
  // The same credentials as send: an ISV project (app.kind: isv) authenticates with its suite (get_corp_token).
  const settings = await readAppSettings(projectDir);
  const creds = appCredentialsFromEnv(env, settings?.appKind ?? 'internal', '; nothing was uploaded');
  // Relative to the project folder, like --vars and --out.
  const path = resolve(projectDir, file);
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new UserError(`${file} does not exist; nothing was uploaded`, `The path is relative to the project folder (${projectDir}).`);
    throw fsUserError(e) ?? e;
  });
  const format = sniffFormat(bytes.subarray(0, 64));
  const type = (opts.type as MediaType | undefined) ?? mediaTypeOf(format);
  const read: MediaFile = { ok: true, file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), format };
  const duration = format ? audioDurationSec(bytes, format) : undefined;
  if (duration !== undefined) read.durationSec = duration;
  const problems = checkMediaFile({ type, ref: file, path: [type, 'media_id'] }, read);
  for (const p of problems) log(`${p.severity === 'error' ? pc.red('error') : pc.yellow('warning')} ${p.code}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ''}`);
  if (problems.some((p) => p.severity === 'error')) {
    log(pc.red('✖ nothing was uploaded'));
    return 1;
  }

  const baseUrl = creds.baseUrl;
  const { createDingTalkClient } = await import('../io/dingtalk/index.js');
  // media/upload does not name the app's agent: any agent id will do for the client.
  // media/upload is metered (dingtalk-api.md §3): the call counts towards the project's monthly quota.
  const meter = meterClient(createDingTalkClient({ ...creds, agentId: Number(env.DINGTALK_AGENT_ID) || 1, timeoutMs: httpTimeoutMs(env) }));
  let mediaId: string;
  try {
    mediaId = (await meter.client.uploadMedia({ type, filename: basename(path), bytes })).mediaId;
  } catch (e) {
    if (e instanceof DingTalkError) throw new UserError(`DingTalk refused the upload (errcode ${e.errcode} ${e.errmsg})`, refusalHint(e.errcode, creds));
    if (e instanceof TransportError) throw new UserError(`cannot reach ${baseUrl}: ${e.message}; the upload may not have happened`, 'Check the network and DINGTALK_BASE_URL, then run it again.');
    throw e;
  } finally {
    await meter.client.close();
    await countUpload(projectDir, settings, creds.baseUrl, meter, env);
  }
  if (opts.format === 'json') {
    out(JSON.stringify({ media_id: mediaId, type, file, bytes: read.size, sha256: read.sha256, ...(format ? { format } : {}) }, null, 2));
  } else {
    out(mediaId);
    log(pc.green(`✔ uploaded ${file} as ${type} (${read.size} bytes${format ? `, ${format}` : ''}); paste the id above as media_id, or write media_id: ./${file.replace(/^\.\//, '')} and let send upload it`));
  }
  return 0;
}

function refusalHint(errcode: number, creds: Parameters<typeof credentialsHint>[0]): string {
  if (errcode === 40005 || errcode === 40006) return 'Check the file against DingTalk\'s limits (image ≤ 20 MB jpg/gif/png/bmp, voice ≤ 2 MB amr/mp3/wav, file ≤ 20 MB).';
  if (errcode === QUOTA_EXHAUSTED) return 'The organisation\'s monthly API quota is used up (the state now remembers it); metered calls work again next month (China time).';
  return credentialsHint(creds);
}

/**
 * The upload's metered call goes into the project's state as a `calls` record (by: media-upload), like a recall's:
 * the app is the project's agent id. A folder with no notifications.yaml has no project state to count it in.
 */
async function countUpload(projectDir: string, settings: AppSettings | undefined, target: string, meter: MeteredClient, env: NodeJS.ProcessEnv): Promise<void> {
  if (settings === undefined || (meter.calls() === 0 && !meter.exhausted())) return;
  let app: number;
  try {
    app = resolveAgentId(settings.agentId, env);
  } catch {
    log(pc.yellow('warning: this upload is not counted in the monthly API quota: no app.agent_id in notifications.yaml and no DINGTALK_AGENT_ID'));
    return;
  }
  await recordCallsOutsideRun({ projectDir, target, config: settings }, { run: newRunId(new Date()), app: String(app), by: 'media-upload' }, meter, env);
}
