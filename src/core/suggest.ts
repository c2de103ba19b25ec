/** "Did you mean …?" for mistyped keys and values: the closest candidate by edit distance, if close enough. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const normalized = normalize(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // `message_url` vs `messageUrl`, `Title` vs `title`: same word, other casing or separators.
    if (normalize(candidate) === normalized) return candidate;
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
