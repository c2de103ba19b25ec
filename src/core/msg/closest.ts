/** "Did you mean" for mistyped keys and msgtypes. Casing and separators are compared loosely first,
 * because the usual mistake is the robot API's camelCase (`singleURL`) or link's (`message_url`). */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  const loose = looseForm(input);
  const sameLoosely = candidates.find((c) => looseForm(c) === loose);
  if (sameLoosely !== undefined) return sameLoosely;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(loose, looseForm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function looseForm(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
