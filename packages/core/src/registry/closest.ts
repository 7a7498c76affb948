/** Levenshtein distance between two strings (O(|a||b|) time, O(|b|) memory). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * The candidate closest to `id` by edit distance (ties: the first in order), or undefined when there are no
 * candidates. A candidate that contains `id` (or is contained in it) wins over a merely close one.
 */
export function closestId(id: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const containment = c.includes(id) || id.includes(c) ? -0.5 : 0;
    const score = editDistance(id, c) + containment;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
