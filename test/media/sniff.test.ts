import { describe, expect, it } from 'vitest';
import { audioDurationSec, checkMediaFile, sniffFormat } from '../../src/core/media/index.js';
import { mp3, png, wav } from './_project.js';

const b = (...xs: (number | string)[]): Uint8Array => new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe('sniffFormat reads the bytes, not the name', () => {
  it.each([
    ['png', png([1, 2, 3])],
    ['jpg', b(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF')],
    ['gif', b('GIF89a', 1, 0, 1, 0)],
    ['bmp', b('BM', ...new Array<number>(30).fill(0))],
    ['amr', b('#!AMR\n', 0x04, ...new Array<number>(12).fill(0))],
    ['wav', wav(1)],
    ['mp3', b('ID3', 4, 0, 0, 0, 0, 0, 0)],
    ['mp3', b(0xff, 0xfb, 0x90, 0x64)],
    [undefined, b('hello')],
    [undefined, b('%PDF-1.7')],
  ])('%s', (format, bytes) => expect(sniffFormat(bytes)).toBe(format));
});

describe('audioDurationSec', () => {
  it('wav: data bytes / byte rate', () => expect(audioDurationSec(wav(2.5), 'wav')).toBeCloseTo(2.5));
  it('amr: 20 ms frames', () => expect(audioDurationSec(b('#!AMR\n', ...Array.from({ length: 150 }, () => [0x04, ...new Array<number>(12).fill(0)]).flat()), 'amr')).toBeCloseTo(3));
  // Mode 8 (23.85 kbit/s) frames are 61 bytes with their header: 150 of them are 3 s.
  it('amr-wb: 20 ms frames of the wide-band sizes', () => expect(audioDurationSec(b('#!AMR-WB\n', ...Array.from({ length: 150 }, () => [0x44, ...new Array<number>(60).fill(0)]).flat()), 'amr')).toBeCloseTo(3));
  it.each([
    ['128 kbit/s', mp3(3)],
    ['a variable bit rate', mp3(3, { kbps: [32, 320, 128, 64] })],
    ['ID3v2 and ID3v1 tags', mp3(12, { kbps: [128, 192], tags: true })],
  ])('mp3 with %s: every frame counted', (_name, bytes) => {
    const seconds = Math.round(((_name.includes('tags') ? 12 : 3) * 44100) / 1152) * (1152 / 44100);
    expect(audioDurationSec(bytes, 'mp3')).toBeCloseTo(seconds, 6);
  });
  it('mp3: a tag alone, or junk after the frames, is "cannot tell", never a wrong length', () => {
    expect(audioDurationSec(b('ID3', 4, 0, 0, 0, 0, 0, 0), 'mp3')).toBeUndefined();
    expect(audioDurationSec(Buffer.concat([mp3(3), Buffer.alloc(5000, 7)]), 'mp3')).toBeUndefined();
    // Free-format frames (bit-rate index 0) carry no size.
    expect(audioDurationSec(b(0xff, 0xfb, 0x00, 0x64, ...new Array<number>(400).fill(0)), 'mp3')).toBeUndefined();
  });
});

describe('checkMediaFile', () => {
  const ref = (type: 'image' | 'voice' | 'file') => ({ type, ref: './x', path: [type, 'media_id'] as [typeof type, 'media_id'] });
  const ok = (format: 'png' | 'wav' | undefined, size: number, durationSec?: number) => ({ ok: true as const, file: 'x', size, sha256: 'h', format, ...(durationSec !== undefined ? { durationSec } : {}) });
  it.each([
    ['image', ok('png', 20 * 1024 * 1024), undefined, []],
    ['image', ok('png', 20 * 1024 * 1024 + 1), undefined, ['media/too-large']],
    ['image', ok('wav', 100), undefined, ['media/wrong-type']],
    ['voice', ok('wav', 2 * 1024 * 1024 + 1, 3), '3', ['media/too-large']],
    ['voice', ok('wav', 100, 3.4), '3', []],
    ['voice', ok('wav', 100, 3.4), '5', ['media/duration-mismatch']],
    ['voice', ok('png', 100), '5', ['media/wrong-type']],
    ['file', ok(undefined, 100), undefined, []],
    ['file', ok(undefined, 0), undefined, ['media/empty']],
    ['file', ok(undefined, 20 * 1024 * 1024 + 1), undefined, ['media/too-large']],
  ] as const)('%s %j duration %s → %j', (type, file, duration, codes) => {
    expect(checkMediaFile(ref(type), file, duration).filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(codes);
  });
  it('a file message past 10 MB is a warning (TYPES vs MEDIA)', () => {
    expect(checkMediaFile(ref('file'), ok(undefined, 11 * 1024 * 1024)).map((p) => `${p.severity} ${p.code}`)).toEqual(['warning media/large-file']);
  });
});
