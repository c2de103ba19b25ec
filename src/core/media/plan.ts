import type { MediaFiles } from './file.js';
import { localMediaOf, type MediaType } from './refs.js';

/** A local file a planned message needs, and whether the run must upload it (no id cached for this content). */
export interface PlannedMedia {
  type: MediaType;
  /** As written in the msg, e.g. `./assets/banner.png`. */
  ref: string;
  /** Relative to the project root. */
  file: string;
  sha256: string;
  bytes: number;
  /** A media_id uploaded earlier for this exact content (per target); absent = this run uploads it. */
  media_id?: string;
}

/** The media cache key: DingTalk's id belongs to the content and the upload type. */
export function mediaKey(type: MediaType, sha256: string): string {
  return `${type}:${sha256}`;
}

export function planMedia(msg: Record<string, unknown>, files: MediaFiles | undefined, cached: ReadonlyMap<string, string>): PlannedMedia | undefined {
  const local = localMediaOf(msg);
  const file = local ? files?.get(local.ref) : undefined;
  if (!local || !file?.ok) return undefined;
  const id = cached.get(mediaKey(local.type, file.sha256));
  return { type: local.type, ref: local.ref, file: file.file, sha256: file.sha256, bytes: file.size, ...(id !== undefined ? { media_id: id } : {}) };
}

/** media_ids the state holds for this target (`media` ledger records), by `type:sha256`; the latest upload wins. */
export function mediaIdsOf(records: readonly { type: string }[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of records) {
    const m = r as { type: string; key?: unknown; media_id?: unknown };
    if (m.type === 'media' && typeof m.key === 'string' && typeof m.media_id === 'string') ids.set(m.key, m.media_id);
  }
  return ids;
}

/** Distinct uploads a plan needs: the same file in two notifications is uploaded once. */
export function uploadsNeeded(media: readonly (PlannedMedia | undefined)[]): number {
  return new Set(media.filter((m): m is PlannedMedia => m !== undefined && m.media_id === undefined).map((m) => mediaKey(m.type, m.sha256))).size;
}
