import { escapeHtml } from './escape.js';
import { MESSAGE_CSS } from './styles.js';

export interface RenderPageOptions {
  title: string;
  /** Trusted HTML, e.g. joined `renderMessageHtml` output. */
  body: string;
  /** Defaults to zh-CN so that Chromium picks Chinese glyph variants. */
  lang?: string;
}

/** A complete, self-contained HTML document: inline CSS only, nothing fetched from elsewhere. */
export function renderPage(opts: RenderPageOptions): string {
  const lang = escapeHtml(opts.lang ?? 'zh-CN');
  return (
    `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="referrer" content="no-referrer">\n` +
    `<title>${escapeHtml(opts.title)}</title>\n<style>${MESSAGE_CSS}</style>\n</head>\n` +
    `<body class="dc-page">\n${opts.body}\n</body>\n</html>\n`
  );
}
