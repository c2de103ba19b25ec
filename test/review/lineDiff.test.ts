import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/review/lineDiff.js';

const opts = { oldLabel: 'a', newLabel: 'b' };

/** Applies a unified diff to the old text: a diff that does not turn old into new is wrong, whatever it looks like. */
function applyDiff(oldText: string, diff: string): string {
  const old = oldText === '' ? [] : oldText.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let next = 0; // index into old
  for (const hunk of diff.split(/^@@ /m).slice(1)) {
    const [header = '', ...body] = hunk.replace(/\n$/, '').split('\n');
    const m = /^-(\d+)(?:,(\d+))? \+/.exec(header);
    if (!m) throw new Error(`bad hunk header ${header}`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    const start = count === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (next < start) out.push(old[next++]!);
    for (const l of body) {
      if (l.startsWith('+')) out.push(l.slice(1));
      else {
        if (old[next] !== l.slice(1)) throw new Error(`context mismatch at old line ${next + 1}: ${l}`);
        if (l.startsWith(' ')) out.push(l.slice(1));
        next++;
      }
    }
  }
  while (next < old.length) out.push(old[next++]!);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

describe('unifiedDiff', () => {
  it.each([
    ['equal texts', 'a\nb\n', 'a\nb\n', ''],
    ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', '--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n'],
    ['added to empty', '', 'x\ny\n', '--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n'],
    ['all removed', 'x\n', '', '--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n'],
    ['insert at the end', 'a\nb\n', 'a\nb\nc\n', '--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+c\n'],
  ])('%s', (_name, a, b, expected) => {
    expect(unifiedDiff(a, b, opts)).toBe(expected);
  });

  it('splits far-apart changes into hunks with 3 lines of context, and joins near ones', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const far = [...old];
    far[1] = 'X';
    far[17] = 'Y';
    const d = unifiedDiff(old.join('\n') + '\n', far.join('\n') + '\n', opts);
    expect(d.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
    const near = [...old];
    near[5] = 'X';
    near[10] = 'Y';
    expect(unifiedDiff(old.join('\n') + '\n', near.join('\n') + '\n', opts).match(/^@@ .* @@$/gm)).toEqual(['@@ -3,12 +3,12 @@']);
  });

  it('keeps the longest common subsequence', () => {
    const ops = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(ops.filter((o) => o.op === ' ').length).toBe(4);
  });

  // git's Myers diff is minimal too: for random texts both change the same number of lines, and our diff applies.
  it('agrees with `git diff --no-index` on the size of the change, and applies back, for random texts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-linediff-'));
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 40; round++) {
      const a = Array.from({ length: rand(15) }, () => 'abcde'[rand(5)]!);
      const b = a.filter(() => rand(4) !== 0).flatMap((l) => (rand(5) === 0 ? [l, 'xyz'[rand(3)]!] : [l]));
      const oldText = a.length === 0 ? '' : a.join('\n') + '\n';
      const newText = b.length === 0 ? '' : b.join('\n') + '\n';
      const ours = unifiedDiff(oldText, newText, opts);
      expect(applyDiff(oldText, ours)).toBe(newText);
      writeFileSync(join(dir, 'old'), oldText);
      writeFileSync(join(dir, 'new'), newText);
      let numstat = '0\t0\t';
      try {
        execFileSync('git', ['diff', '--no-index', '--numstat', 'old', 'new'], { cwd: dir, encoding: 'utf8' });
      } catch (e) {
        numstat = (e as { stdout: string }).stdout; // exit 1 = the files differ
      }
      const [added = '0', removed = '0'] = numstat.split('\t');
      const count = (c: string) => ours.split('\n').filter((l) => l.startsWith(c) && !l.startsWith(c.repeat(3))).length;
      expect([count('+'), count('-')]).toEqual([Number(added), Number(removed)]);
    }
  });
});
