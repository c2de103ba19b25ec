const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and in quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// DingTalk opens web pages, its own client links and mini-program pages; anything else
// (javascript:, data:, relative paths) is either dangerous or meaningless in a notification.
const LINK_SCHEME = /^(?:https?:\/\/|dingtalk:\/\/|eapp:\/\/)/i;
const IMAGE_SCHEME = /^https?:\/\//i;

/** Returns the trimmed URL when its scheme is one a DingTalk card may open, otherwise undefined. */
export function toSafeLinkUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  return LINK_SCHEME.test(trimmed) ? trimmed : undefined;
}

/** Returns the trimmed URL when the browser may load it as an image (http/https only). */
export function toSafeImageUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  return IMAGE_SCHEME.test(trimmed) ? trimmed : undefined;
}

/** DingTalk media ids (from /media/upload) start with "@"; the preview cannot fetch them. */
export function isMediaId(value: unknown): value is string {
  return typeof value === 'string' && value.trim().startsWith('@');
}

/** Reads a string-ish field leniently: DingTalk fields are strings, but YAML may yield numbers. */
export function readText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Attributes for an outbound link; rel stops the opened page from reaching back into the inbox. */
export function linkAttrs(url: string): string {
  return `href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"`;
}
