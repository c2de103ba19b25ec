import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** A throwaway project folder with the given files (text or bytes), relative paths. */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-media-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A real PNG of one colour: a changed colour is a changed file with the same name. */
export function png(rgb: [number, number, number], size = 8): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), ...Array.from({ length: size }, () => Buffer.from(rgb))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PCM WAV of `seconds` of silence (8 kHz, 8-bit mono). */
export function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(8000 * seconds), 128);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(8000, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

export const NOTIFICATIONS_HEAD = `version: 1
app:
  agent_id: 100000001
  kind: internal
timezone: Asia/Shanghai
notifications:
`;

/** A template whose media_id is a variable, for image, voice or file. */
export function mediaTemplate(type: 'image' | 'voice' | 'file'): string {
  return `version: 1
description: ${type} from a project file
variables:
  type: object
  additionalProperties: false
  required: [path${type === 'voice' ? ', seconds' : ''}]
  properties:
    path: { type: string, maxLength: 200 }
${type === 'voice' ? '    seconds: { type: string, maxLength: 2 }\n' : ''}msg:
  msgtype: ${type}
  ${type}:
    media_id: "{{path}}"
${type === 'voice' ? '    duration: "{{seconds}}"\n' : ''}`;
}

/**
 * An MP3 of `seconds` of MPEG-1 Layer III frames at 44.1 kHz (1152 samples each), silent payloads. `kbps` cycles
 * through the given bit rates frame by frame (more than one = a variable-bit-rate file); `tags` adds an ID3v2 tag in
 * front and an ID3v1 tag behind, as encoders write them.
 */
export function mp3(seconds: number, opts: { kbps?: number[]; tags?: boolean } = {}): Buffer {
  const index: Record<number, number> = { 32: 1, 40: 2, 48: 3, 56: 4, 64: 5, 80: 6, 96: 7, 112: 8, 128: 9, 160: 10, 192: 11, 224: 12, 256: 13, 320: 14 };
  const rates = opts.kbps ?? [128];
  const count = Math.round((seconds * 44100) / 1152);
  const frames = Array.from({ length: count }, (_, i) => {
    const kbps = rates[i % rates.length] ?? 128;
    const frame = Buffer.alloc(Math.floor((144 * kbps * 1000) / 44100));
    frame.set([0xff, 0xfb, ((index[kbps] ?? 9) << 4) | 0x00, 0x64]);
    return frame;
  });
  if (!opts.tags) return Buffer.concat(frames);
  const body = Buffer.from('TIT2\0\0\0\x06\0\0\0chime', 'latin1');
  const id3 = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, body.length]), body]);
  const v1 = Buffer.alloc(128);
  v1.write('TAG', 0, 'latin1');
  return Buffer.concat([id3, ...frames, v1]);
}
