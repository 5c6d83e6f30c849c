/** The edit distance between two strings (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The known names closest to `name`, for "did you mean …": the same name in another case first,
 * then those that start with it or contain it, then those within a few edits; at most `limit`.
 */
export function closestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return [];
  const scored: [string, number][] = [];
  for (const candidate of known) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    // The same name in other letters' case is the likeliest slip of all.
    const score = lower === wanted ? -1 : lower.startsWith(wanted) ? 0 : lower.includes(wanted) ? 1 : 2 + distance(wanted, lower);
    if (score < 2 || score - 2 <= Math.max(2, Math.floor(wanted.length / 3))) scored.push([candidate, score]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([candidate]) => candidate);
}
