/** File formats DingTalk's media/upload accepts, recognised by their first bytes (an extension proves nothing). */
export type MediaFormat = 'jpg' | 'png' | 'gif' | 'bmp' | 'amr' | 'mp3' | 'wav';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

export function sniffFormat(b: Uint8Array): MediaFormat | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, ascii('BM')) && b.length >= 26) return 'bmp';
  if (startsWith(b, ascii('#!AMR'))) return 'amr';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WAVE'), 8)) return 'wav';
  if (startsWith(b, ascii('ID3'))) return 'mp3';
  // An MPEG audio frame header: 11 sync bits, then a layer that is not "reserved".
  if (b.length >= 4 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 && ((b[1] ?? 0) & 0x06) !== 0) return 'mp3';
  return undefined;
}

/** AMR-NB frame sizes (header byte included) by frame type; every frame is 20 ms. */
const AMR_NB_FRAME = [13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1];

/**
 * Seconds of audio, where the format says it plainly: WAV (data bytes / byte rate) and AMR-NB (20 ms frames).
 * MP3 needs frame-by-frame decoding for VBR files; undefined means "cannot tell", not "wrong".
 */
export function audioDurationSec(b: Uint8Array, format: MediaFormat): number | undefined {
  if (format === 'wav') return wavDuration(b);
  if (format === 'amr') return amrDuration(b);
  return undefined;
}

function wavDuration(b: Uint8Array): number | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = String.fromCharCode(...b.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 20 <= b.length) byteRate = view.getUint32(at + 16, true);
    if (id === 'data') return byteRate ? Math.min(size, b.length - at - 8) / byteRate : undefined;
    at += 8 + size + (size % 2);
  }
  return undefined;
}

function amrDuration(b: Uint8Array): number | undefined {
  if (!startsWith(b, ascii('#!AMR\n'))) return undefined; // AMR-WB and multi-channel files: cannot tell
  let frames = 0;
  for (let at = 6; at < b.length; frames++) at += AMR_NB_FRAME[((b[at] ?? 0) >> 3) & 0x0f] ?? 1;
  return frames * 0.02;
}
