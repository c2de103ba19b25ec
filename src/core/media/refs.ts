/** Which msgtypes carry a `media_id`, and where. */
export const MEDIA_TYPES = ['image', 'voice', 'file'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** A `media_id` that names a file in the project instead of an id DingTalk gave back. */
export interface LocalMediaRef {
  type: MediaType;
  /** As written (after rendering), e.g. `./assets/banner.png`. */
  ref: string;
  /** Where it sits in the msg: `[type, 'media_id']`. */
  path: [MediaType, 'media_id'];
}

/**
 * DingTalk's ids start with `@` and never with `.` or `/`: a value that starts like a relative or absolute path
 * is a file to upload. Requiring `./` keeps a bare word (a typo'd id) from being read as a file name.
 */
export function isLocalMediaRef(value: unknown): value is string {
  return typeof value === 'string' && /^(\.{1,2}\/|\/|~\/)/.test(value.trim());
}

/** The local file a rendered msg needs uploaded, if any. */
export function localMediaOf(msg: Record<string, unknown>): LocalMediaRef | undefined {
  const type = msg.msgtype;
  if (typeof type !== 'string' || !(MEDIA_TYPES as readonly string[]).includes(type)) return undefined;
  const body = msg[type];
  if (body === null || typeof body !== 'object') return undefined;
  const ref = (body as Record<string, unknown>).media_id;
  if (!isLocalMediaRef(ref)) return undefined;
  return { type: type as MediaType, ref, path: [type as MediaType, 'media_id'] };
}

/** The msg with its local file replaced by the media id DingTalk returned for it. */
export function withMediaId(msg: Record<string, unknown>, mediaId: string): Record<string, unknown> {
  const local = localMediaOf(msg);
  if (!local) return msg;
  const body = msg[local.type] as Record<string, unknown>;
  return { ...msg, [local.type]: { ...body, media_id: mediaId } };
}

/**
 * What identifies the msg for the ledger and DingTalk's same-content rule: the local file's content, not its
 * path. A changed file is new content (and a new upload); a renamed one is not.
 */
export function msgIdentity(msg: Record<string, unknown>, fileSha256: string | undefined): Record<string, unknown> {
  return fileSha256 === undefined ? msg : withMediaId(msg, `sha256:${fileSha256}`);
}
