import MarkdownItFactory, { type MarkdownIt } from 'markdown-it';
import { escapeHtml, isMediaId, linkAttrs, toSafeImageUrl, toSafeLinkUrl } from './escape.js';

/**
 * A markdown-it configured to DingTalk's documented subset: headings, quotes, bold, italic,
 * links, images and lists. Tables, strikethrough and code blocks are switched off because
 * DingTalk does not render them (they show up as plain text), and the preview should not
 * promise more than the phone shows. `html: false` escapes raw HTML, including `<script>`.
 * `breaks: false`: like DingTalk, a single newline does not break the line (two spaces before it or a blank
 * line do; dingtalk-api.md §2.7), so reviewers see the line joins that will arrive. `validate` warns about them.
 */
function createDingTalkMarkdown(): MarkdownIt {
  const md = new MarkdownItFactory({ html: false, breaks: false, linkify: false, typographer: false });
  md.disable(['table', 'strikethrough', 'fence', 'code']);
  // Links are resolved at parse time: an unsafe destination leaves the source text in place.
  // "@mediaId" passes so that `![](@lADO…)` can become an image placeholder below.
  md.validateLink = (url: string): boolean => toSafeLinkUrl(url) !== undefined || isMediaId(url);

  md.renderer.rules.link_open = (tokens, idx): string => {
    const href = toSafeLinkUrl(tokens[idx]?.attrGet('href'));
    return href === undefined ? '<a class="dc-md__link">' : `<a class="dc-md__link" ${linkAttrs(href)}>`;
  };
  md.renderer.rules.image = (tokens, idx, options, env, self): string => {
    const token = tokens[idx];
    if (token === undefined) return '';
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    const src = toSafeImageUrl(token.attrGet('src'));
    if (src !== undefined) {
      return `<img class="dc-md__img" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" loading="lazy" referrerpolicy="no-referrer">`;
    }
    const label = readableImageSource(token.attrGet('src'));
    return `<span class="dc-placeholder dc-placeholder--inline" data-field="image-placeholder">图片 ${escapeHtml(label)}</span>`;
  };
  return md;
}

function readableImageSource(src: string | number | null): string {
  return src === null || src === '' ? '(no source)' : String(src);
}

let shared: MarkdownIt | undefined;

/** Renders DingTalk markdown to an HTML fragment. Safe for untrusted input. */
export function renderMarkdown(text: string): string {
  shared ??= createDingTalkMarkdown();
  return shared.render(text);
}
