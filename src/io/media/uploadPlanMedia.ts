import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { mediaKey, withMediaId } from '../../core/media/index.js';
import type { PlannedMedia } from '../../core/media/plan.js';
import type { Plan, PlannedCall, PlannedNotification } from '../../core/send/types.js';
import { DingTalkError, TransportError, UserError } from '../../errors.js';
import type { DingTalkClient } from '../dingtalk/index.js';
import { resolveInsideProject } from '../projectPath.js';
import type { StateStore } from '../state/index.js';

export interface MediaRunOptions {
  client: Pick<DingTalkClient, 'uploadMedia'>;
  projectDir: string;
  /** Where uploaded ids are kept (a `media` record per upload), so every runner sharing the state reuses them. */
  ledger: Pick<StateStore, 'append'>;
  onUpload?: (file: string, mediaId: string) => void;
}

/**
 * Before the first send: every local file the plan names gets its media_id — the one in the state while the
 * file's sha256 is unchanged (the plan carries it), else one upload per distinct file, recorded in the state —
 * and the msgs carry that id instead of the path (an `each:` call's own msg too). A file changed since the plan, or an upload DingTalk refuses,
 * stops the run before anything is sent.
 */
export async function resolvePlanMedia(plan: Plan, opts: MediaRunOptions): Promise<Plan> {
  const uploaded = new Map<string, string>();
  // One after the other, so two calls naming one content share its upload.
  const idOf = async (m: PlannedMedia, id: string): Promise<string> => {
    const key = mediaKey(m.type, m.sha256);
    const known = m.media_id ?? uploaded.get(key);
    if (known !== undefined) return known;
    // The project's one path rule again: a saved plan names the file, and it is read only inside the project.
    const where = resolveInsideProject(opts.projectDir, m.file);
    if (!where.ok) throw new UserError(`${m.file}: ${where.message}; nothing was sent`, where.hint);
    const bytes = await readFile(where.abs).catch((e: NodeJS.ErrnoException) => {
      throw new UserError(`cannot read ${m.file} for ${id}: ${e.code ?? e.message}; nothing was sent`);
    });
    if (createHash('sha256').update(bytes).digest('hex') !== m.sha256) {
      throw new UserError(`${m.file} changed since the plan was made; nothing was sent`, 'Plan again (`dingcast send … --dry-run`) and review the new file.');
    }
    const mediaId = await upload(opts.client, m.type, m.file, bytes);
    uploaded.set(key, mediaId);
    // A StateError here stops the run (exit 2) before any send; the next run uploads the file again.
    await opts.ledger.append({ type: 'media', run: plan.run_id, key, media_id: mediaId, file: m.file });
    opts.onUpload?.(m.file, mediaId);
    return mediaId;
  };
  const notifications: PlannedNotification[] = [];
  for (const n of plan.notifications) {
    let next = n;
    if (n.media && n.calls.length > 0) {
      const id = await idOf(n.media, n.id);
      next = { ...n, msg: withMediaId(n.msg, id), media: { ...n.media, media_id: id } };
    }
    // `each:` calls name their own file (one banner for all, or one per person): the id goes into the call's msg.
    if (n.calls.some((c) => c.media && c.msg !== undefined)) {
      const calls: PlannedCall[] = [];
      for (const c of next.calls) {
        if (!c.media || c.msg === undefined) {
          calls.push(c);
          continue;
        }
        const id = await idOf(c.media, n.id);
        calls.push({ ...c, msg: JSON.stringify(withMediaId(JSON.parse(c.msg) as Record<string, unknown>, id)), media: { ...c.media, media_id: id } });
      }
      next = { ...next, calls };
    }
    notifications.push(next);
  }
  return { ...plan, notifications };
}

async function upload(client: Pick<DingTalkClient, 'uploadMedia'>, type: 'image' | 'voice' | 'file', file: string, bytes: Uint8Array): Promise<string> {
  try {
    return (await client.uploadMedia({ type, filename: basename(file), bytes })).mediaId;
  } catch (e) {
    if (e instanceof DingTalkError) throw new UserError(`DingTalk refused the upload of ${file} (errcode ${e.errcode} ${e.errmsg}); nothing was sent`, 'Check the file against DingTalk\'s limits with `dingcast validate`.');
    if (e instanceof TransportError) throw new UserError(`the upload of ${file} failed: ${e.message}; nothing was sent`, 'Run the same command again: nothing was sent, so nothing is sent twice.');
    throw e;
  }
}
