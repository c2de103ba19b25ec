import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/**
 * README.zh-CN.md is the Chinese twin of README.md. Prose is translated, so it cannot be compared; what a reader
 * copies or follows can: the section outline, every code block, every command and option, every link, every table.
 * A README change that is not carried to its twin (or the other way round) fails here.
 */
const english = readFileSync(`${repoRoot}README.md`, 'utf8');
const chinese = readFileSync(`${repoRoot}README.zh-CN.md`, 'utf8');

interface Block {
  lang: string;
  lines: string[];
}

/** Fenced code blocks, and the text outside them. */
function split(md: string): { blocks: Block[]; prose: string[] } {
  const blocks: Block[] = [];
  const prose: string[] = [];
  let open: Block | undefined;
  for (const line of md.split('\n')) {
    const fence = /^```(\S*)/.exec(line);
    if (fence && !open) open = { lang: fence[1] ?? '', lines: [] };
    else if (fence && open) {
      blocks.push(open);
      open = undefined;
    }
    else if (open) open.lines.push(line);
    else prose.push(line);
  }
  return { blocks, prose };
}

/** What is left of a code block once its comments (translated) are gone: the code a reader copies. */
function codeOf(block: Block): string[] {
  return block.lines.map((line) => {
    // The file-tree block explains each path in words: only the path is code.
    if (block.lang === '') return line.split(/\s+/)[0] ?? '';
    return line.replace(/(^|\s)#.*$/, '').trimEnd();
  });
}

function outline(prose: string[]): string[] {
  return prose.filter((l) => /^#{1,6} /.test(l)).map((l) => `${/^#+/.exec(l)?.[0] ?? ''} ${(l.match(/`[^`]+`/g) ?? []).join(' ')}`);
}

/** Inline code that names a command, an option, a file or a variable: those must not drift between the two. */
function codeSpans(prose: string[]): string[] {
  // A code span may wrap onto the next line; it is the same span.
  const spans = (prose.join('\n').match(/`[^`]+`/g) ?? []).map((s) => s.replace(/\s*\n\s*/g, ' '));
  return [...new Set(spans.filter((s) => /^`(dingcast|npm|npx|--|\.dingcast|\.env|reports\/|DINGTALK_|DINGCAST_|@)/.test(s)))].sort();
}

/** Link and image targets, except the links between the two languages. */
function links(prose: string[]): string[] {
  return [...(prose.join('\n').matchAll(/\]\(([^)]+)\)/g))].map((m) => m[1] ?? '').filter((t) => !/^README(\.zh-CN)?\.md$/.test(t)).sort();
}

/** Each table as its row count and the code in its first column (the command, the exit code). */
function tables(prose: string[]): string[] {
  return prose.filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l)).slice(0).map((l) => {
    const first = l.split('|')[1]?.trim() ?? '';
    return /^`|^\d+$/.test(first) ? first : '(header)';
  });
}

const en = split(english);
const zh = split(chinese);

describe('README.zh-CN.md is the twin of README.md', () => {
  it('has the same sections, in the same order and depth', () => {
    expect(outline(zh.prose)).toEqual(outline(en.prose));
  });

  it('has the same code blocks, comments aside', () => {
    expect(zh.blocks.map((b) => b.lang)).toEqual(en.blocks.map((b) => b.lang));
    zh.blocks.forEach((block, i) => expect(codeOf(block)).toEqual(codeOf(en.blocks[i] as Block)));
  });

  it('names the same commands, options, files and variables', () => {
    expect(codeSpans(zh.prose)).toEqual(codeSpans(en.prose));
  });

  it('links to the same files and pictures', () => {
    expect(links(zh.prose)).toEqual(links(en.prose));
  });

  it('has the same tables, row for row', () => {
    expect(tables(zh.prose)).toEqual(tables(en.prose));
  });

  it('each links to the other from its first lines', () => {
    expect(chinese.split('\n').slice(0, 4).join('\n')).toContain('](README.md)');
    expect(english.split('\n').slice(0, 4).join('\n')).toContain('](README.zh-CN.md)');
  });
});
