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
 * Seconds of audio: WAV (data bytes / byte rate), AMR-NB and AMR-WB (20 ms frames), MP3 (every frame header walked, so
 * variable bit rates count right). undefined means "cannot tell", not "wrong".
 */
export function audioDurationSec(b: Uint8Array, format: MediaFormat): number | undefined {
  if (format === 'wav') return wavDuration(b);
  if (format === 'amr') return amrDuration(b);
  if (format === 'mp3') return mp3Duration(b);
  return undefined;
}

// MPEG audio frame headers (ISO 11172-3 / 13818-3): bit rates in kbit/s by [MPEG-1?][layer 1..3][index].
const MP3_KBPS: Record<'v1' | 'v2', readonly (readonly number[])[]> = {
  v1: [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  v2: [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
};
/** Sample rates by version bits (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1) and index. */
const MP3_RATES: Partial<Record<number, readonly number[]>> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

/** One frame's length in bytes and its samples, or undefined when `at` is not a frame header we can size. */
function mp3Frame(b: Uint8Array, at: number): { bytes: number; seconds: number } | undefined {
  const [h0, h1, h2] = [b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0];
  if (h0 !== 0xff || (h1 & 0xe0) !== 0xe0) return undefined;
  const version = (h1 >> 3) & 3;
  const layer = 4 - ((h1 >> 1) & 3); // 1, 2 or 3; 4 = reserved
  const rate = MP3_RATES[version]?.[(h2 >> 2) & 3];
  const kbps = MP3_KBPS[version === 3 ? 'v1' : 'v2'][layer - 1]?.[h2 >> 4];
  // Free-format (index 0) frames have no size in their header: cannot tell.
  if (layer > 3 || rate === undefined || !kbps) return undefined;
  const padding = (h2 >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 3 && version !== 3 ? 576 : 1152;
  const bytes = layer === 1 ? (Math.floor((12 * kbps * 1000) / rate) + padding) * 4 : Math.floor(((samples / 8) * kbps * 1000) / rate) + padding;
  return { bytes, seconds: samples / rate };
}

function mp3Duration(b: Uint8Array): number | undefined {
  let at = 0;
  // An ID3v2 tag first: 10 bytes of header, a syncsafe size, and a 10-byte footer when its flag says so.
  if (startsWith(b, ascii('ID3')) && b.length >= 10) {
    const size = (((b[6] ?? 0) & 0x7f) << 21) | (((b[7] ?? 0) & 0x7f) << 14) | (((b[8] ?? 0) & 0x7f) << 7) | ((b[9] ?? 0) & 0x7f);
    at = 10 + size + ((b[5] ?? 0) & 0x10 ? 10 : 0);
  }
  let seconds = 0;
  let frames = 0;
  for (let frame = mp3Frame(b, at); frame && at + frame.bytes <= b.length; frame = mp3Frame(b, at)) {
    seconds += frame.seconds;
    frames++;
    at += frame.bytes;
  }
  // What may follow the last frame: an ID3v1 tag (128 bytes, "TAG"), or a last frame cut short by a few bytes.
  const rest = b.length - at;
  const explained = rest === 0 || (rest === 128 && startsWith(b, ascii('TAG'), at)) || (rest < 2000 && mp3Frame(b, at) !== undefined);
  // Anything else (junk between frames, an APE tag, a format we misread) would make the sum a guess: cannot tell.
  return frames >= 2 && explained ? seconds : undefined;
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

/** AMR-WB frame sizes (header byte included) by frame type (RFC 4867 §5.3); every frame is 20 ms too. */
const AMR_WB_FRAME = [18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1];

function amrDuration(b: Uint8Array): number | undefined {
  // Single-channel storage format (RFC 4867 §5); multi-channel files (#!AMR_MC1.0): cannot tell.
  const [start, sizes] = startsWith(b, ascii('#!AMR\n')) ? [6, AMR_NB_FRAME] : startsWith(b, ascii('#!AMR-WB\n')) ? [9, AMR_WB_FRAME] : [-1, []];
  if (start < 0) return undefined;
  let frames = 0;
  for (let at = start; at < b.length; frames++) at += sizes[((b[at] ?? 0) >> 3) & 0x0f] ?? 1;
  return frames * 0.02;
}
