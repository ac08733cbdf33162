/**
 * "Did you mean ...?" for misspelt setting names. A plain Levenshtein distance: the settings are
 * few and short, so a 15-line function beats a dependency.
 */

/** The fewest single-character insertions, deletions and substitutions that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, substitution);
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * The known name closest to `name` when it is near enough to be a typo: at most two edits, or a
 * third of the name's length for long names; case differences are free.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** The end of an unknown-key message: the likely intended key, or what to do instead. */
export function spellingHint(name: string, known: Iterable<string>, otherwise: string): string {
  const guess = closestName(name, known);
  return guess !== undefined ? `did you mean \`${guess}\`?` : otherwise;
}
