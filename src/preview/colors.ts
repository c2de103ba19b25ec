/**
 * Turns a DingTalk colour into CSS. DingTalk writes colours as ARGB hex with the ALPHA byte
 * first: `head.bgcolor` without a prefix (`FFBBBBBB`), `status_bg` with `0x` (`0xFFF65E5E`).
 * Six hex digits are read as opaque RGB. Returns undefined for anything else.
 */
export function argbToCss(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.trim().replace(/^(?:0x|#)/i, '');
  if (!/^(?:[0-9a-f]{6}|[0-9a-f]{8})$/i.test(hex)) return undefined;
  const argb = hex.length === 6 ? `ff${hex}` : hex;
  const byte = (i: number): number => parseInt(argb.slice(i, i + 2), 16);
  const alpha = Math.round((byte(0) / 255) * 1000) / 1000;
  return `rgba(${byte(2)}, ${byte(4)}, ${byte(6)}, ${alpha})`;
}
