export type DiffOp = ' ' | '-' | '+';

export interface DiffLine {
  op: DiffOp;
  text: string;
}

/**
 * Line diff by longest common subsequence. Rendered messages are a few dozen lines, so the O(n·m) table is
 * cheaper than pulling in a diff library or spawning `git diff --no-index` per message.
 */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i]!;
    const next = lcs[i + 1]!;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? next[j + 1]! + 1 : Math.max(next[j]!, row[j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++]! });
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

export interface UnifiedDiffOptions {
  oldLabel: string;
  newLabel: string;
  /** Unchanged lines shown around each change; default 3, as git does. */
  context?: number;
}

/** A unified diff (`---`/`+++`/`@@` hunks) of two texts; the empty string when they are equal. */
export function unifiedDiff(oldText: string, newText: string, opts: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const context = opts.context ?? 3;
  const lines = diffLines(splitLines(oldText), splitLines(newText));
  // Old and new line numbers (1-based) before each entry.
  const at: { o: number; n: number }[] = [];
  let o = 1;
  let nn = 1;
  for (const l of lines) {
    at.push({ o, n: nn });
    if (l.op !== '+') o++;
    if (l.op !== '-') nn++;
  }
  const changed = lines.map((l, k) => (l.op === ' ' ? -1 : k)).filter((k) => k >= 0);
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const start = Math.max(0, k - context);
    const end = Math.min(lines.length, k + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- ${opts.oldLabel}`, `+++ ${opts.newLabel}`];
  for (const [start, end] of hunks) {
    const slice = lines.slice(start, end);
    const oldCount = slice.filter((l) => l.op !== '+').length;
    const newCount = slice.filter((l) => l.op !== '-').length;
    const first = at[start]!;
    // As in diff(1): an empty side is numbered by the line before it.
    const oldStart = oldCount === 0 ? first.o - 1 : first.o;
    const newStart = newCount === 0 ? first.n - 1 : first.n;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const l of slice) out.push(`${l.op}${l.text}`);
  }
  return out.join('\n') + '\n';
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
