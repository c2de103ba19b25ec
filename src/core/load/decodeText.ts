/**
 * Project files must be UTF-8. Node's `readFile(…, 'utf8')` silently turns every invalid byte into U+FFFD, so a
 * UTF-16 file or a GBK-encoded template would be "valid" and send mojibake; here the bytes are checked and the
 * first bad one is named with its line and column.
 */
export type DecodedText = { ok: true; text: string } | { ok: false; message: string; hint: string; line: number; column: number };

const SAVE_AS_UTF8 = 'Save the file as UTF-8 (in most editors: "Save with encoding" / "Reopen with encoding" → UTF-8).';

export function decodeText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, message: 'the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark); dingcast reads UTF-8', hint: SAVE_AS_UTF8, line: 1, column: 1 };
  }
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad !== undefined) {
    const { line, column } = positionOfByte(body, bad);
    return { ok: false, message: `the file is not valid UTF-8 (byte 0x${hex(body[bad] ?? 0)} at line ${line}, column ${column})`, hint: SAVE_AS_UTF8, line, column };
  }
  const nul = body.indexOf(0);
  if (nul >= 0) {
    const { line, column } = positionOfByte(body, nul);
    // UTF-16 without a byte-order mark is every other byte NUL for ASCII text.
    return { ok: false, message: 'the file contains NUL bytes (UTF-16 without a byte-order mark, or not a text file)', hint: SAVE_AS_UTF8, line, column };
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(body) };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629), or undefined. */
function firstInvalidUtf8(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return undefined;
}

/** 1-based line and column (in characters) of byte `offset`; the bytes before it are valid UTF-8. */
function positionOfByte(b: Uint8Array, offset: number): { line: number; column: number } {
  const before = new TextDecoder('utf-8').decode(b.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 };
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
