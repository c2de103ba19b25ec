import { chunkRecipients, type CallRecipients } from './chunk.js';
import { localMediaOf, type MediaFormat, type MediaType } from './media/index.js';
import { isTemplateSend, largestContributors, msgBytes, MSG_BYTE_LIMIT, sha256OfMsg, templateDataJson } from './msg/index.js';
import type { NotificationDef, Project, Recipients, TemplateDef } from './project.js';

/**
 * One rendered message as `render` shows it (text, JSON, the HTML preview and the review summary): its bytes against
 * DingTalk's limit, what made it big, its hash, its recipients and calls, its local media. A value; printers format it.
 */
export interface RenderedItem {
  kind: 'notification' | 'template';
  id: string;
  /** `id@version` of the template. */
  template: string;
  /** For templates: the example name, or `vars` when variables were given on the command line. */
  example?: string;
  msg: Record<string, unknown>;
  /** Which DingTalk API sends it: a msg goes to asyncsend_v2, a `sendbytemplate:` template to sendbytemplate. */
  api: 'asyncsend_v2' | 'sendbytemplate';
  /** asyncsend_v2: the msg's UTF-8 JSON bytes; sendbytemplate: the bytes of its `data` JSON string, as sent. */
  bytes: number;
  /** DingTalk's limit for `bytes`: 2048 for a msg; null for sendbytemplate, whose docs give none. */
  limit: number | null;
  sha256: string;
  contributors: { path: string; bytes: number }[];
  recipients: Recipients | undefined;
  calls: CallRecipients[];
  /** The project file the msg's media_id names (`./assets/x.png`): `send` uploads it; a preview shows it. */
  media?: RenderedMedia;
}

export interface RenderedMedia {
  type: MediaType;
  /** As written in the msg. */
  ref: string;
  /** Relative to the project root; absent when the file could not be read (validate says why). */
  file?: string;
  bytes?: number;
  sha256?: string;
  format?: MediaFormat;
  /** Why it cannot be sent as is: missing, outside-project, … */
  problem?: string;
}

/** Over DingTalk's limit (a sendbytemplate send has none documented). */
export function isOverLimit(item: Pick<RenderedItem, 'bytes' | 'limit'>): boolean {
  return item.limit !== null && item.bytes > item.limit;
}

export function describeRendered(
  project: Project,
  kind: RenderedItem['kind'],
  id: string,
  template: TemplateDef,
  msg: Record<string, unknown>,
  n: NotificationDef | undefined,
  example?: string,
): RenderedItem {
  const item: RenderedItem = {
    kind,
    id,
    template: `${template.id}@${template.version}`,
    msg,
    ...(isTemplateSend(msg) ? { api: 'sendbytemplate', bytes: templateDataJson(msg).bytes, limit: null } : { api: 'asyncsend_v2', bytes: msgBytes(msg), limit: MSG_BYTE_LIMIT }),
    sha256: sha256OfMsg(msg),
    contributors: largestContributors(msg, 3),
    recipients: n?.to,
    calls: n ? chunkRecipients(n.to, project.config.limits) : [],
  };
  if (example !== undefined) item.example = example;
  const media = renderedMedia(project, msg);
  if (media) item.media = media;
  return item;
}

function renderedMedia(project: Project, msg: Record<string, unknown>): RenderedMedia | undefined {
  const local = localMediaOf(msg);
  if (!local) return undefined;
  const f = project.media?.get(local.ref);
  if (!f) return { type: local.type, ref: local.ref };
  if (!f.ok) return { type: local.type, ref: local.ref, problem: f.reason };
  return { type: local.type, ref: local.ref, file: f.file, bytes: f.size, sha256: f.sha256, ...(f.format ? { format: f.format } : {}) };
}
