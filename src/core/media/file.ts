import type { MediaFormat } from './sniff.js';

/** What the I/O edge learned about a local media file; the core never opens it. */
export type MediaFile =
  | {
      ok: true;
      /** Relative to the project root, forward slashes. */
      file: string;
      size: number;
      sha256: string;
      format: MediaFormat | undefined;
      /** Seconds of audio where the format states it (wav, amr). */
      durationSec?: number;
    }
  | { ok: false; file: string; reason: 'outside-project' | 'missing' | 'not-a-file' | 'unreadable'; detail?: string };

/** Local media files by the reference written in the msg (`./assets/banner.png`). */
export type MediaFiles = ReadonlyMap<string, MediaFile>;
