/**
 * JSON with 64-bit integers kept exact. DingTalk's department ids are Longs; JSON.parse turns 12345678901234567890
 * into the double 12345678901234567000 (another department), and JSON.stringify cannot write a number it does
 * not have. Both sides of the wire (the client, the sandbox) read and write through these two functions.
 */

const MARK = '\u0000long:';

/** An integer written into JSON as a number with exactly these digits (`{"dept_id":12345678901234567890}`). */
export class JsonLong {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new TypeError(`not an integer: ${digits}`);
  }
  toJSON(): string {
    return `${MARK}${this.digits}\u0000`;
  }
}

/** JSON.stringify, with every JsonLong written as its digits. */
export function stringifyExact(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify escapes U+0000, so the marker reads `\u0000long:…\u0000` inside quotes.
  return text.includes('\\u0000long:') ? text.replace(/"\\u0000long:(-?\d+)\\u0000"/g, '$1') : text;
}

/**
 * JSON.parse, except that an integer a double cannot hold exactly (beyond ±2^53) comes back as its digit string,
 * so an id is never silently another. Smaller numbers stay numbers. Throws like JSON.parse on bad JSON.
 */
export function parseExact(text: string): unknown {
  // Fast path: no run of 16 digits, no unsafe integer.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== '-' && (c === undefined || c < '0' || c > '9')) continue;
    let j = i + 1;
    while (j < text.length && /[0-9eE.+-]/.test(text[j] as string)) j++;
    const token = text.slice(i, j);
    if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(from, i)}"${token}"`;
      from = j;
    }
    i = j - 1;
  }
  return JSON.parse(out + text.slice(from));
}
