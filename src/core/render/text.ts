/** Pure string functions behind the helpers; the helpers add argument checks and error positions. */

const ELLIPSIS = '…';

/** Cuts to at most `max` code points (the ellipsis counts), never between the halves of a surrogate pair. */
export function truncateText(text: string, max: number): string {
  // Fast path: a string of at most `max` UTF-16 units has at most `max` code points.
  if (text.length <= max) return text;
  let points = 0;
  for (const _ of text) {
    points++;
    if (points > max) break;
  }
  if (points <= max) return text;
  let out = '';
  let kept = 0;
  for (const ch of text) {
    if (kept === max - 1) break;
    out += ch;
    kept++;
  }
  return out + ELLIPSIS;
}

/**
 * Makes user text inert in DingTalk markdown: it can no longer open links, images, emphasis, code, headings,
 * lists, quotes or code blocks, nor HTML (which blanks the message on mobile). Line-start markers are
 * escaped only at line starts so that ordinary text such as `1.4.0` or `a - b` stays readable; an indent
 * of four or more becomes no-break spaces, which markdown does not read as a code block.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~|]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^([ \t]*)([#=+-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2')
    .replace(/^[ \t]{4,}/gm, (indent) => '&nbsp;'.repeat(indent.length));
}

export type Scalar = string | number | boolean;

export function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
