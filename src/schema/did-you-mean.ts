// "Did you mean ...?" for mistyped command and member names. A small edit distance
// (with transpositions, so `guset-ping` is one step from `guest-ping`) is enough for
// names this short, and it is deterministic, which keeps error messages testable.

const GUEST_PREFIX = 'guest-';

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, prevPrev[j - 2]! + 1);
      }
      row.push(best);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidates closest to `word`, best first (at most `limit`). Names are compared
 * without their `guest-` prefix, so the part that tells commands apart decides, and a
 * command typed without the prefix (`file-open`) or with `_` for `-` still matches.
 */
export function suggest(word: string, candidates: Iterable<string>, limit = 1): string[] {
  const typed = word.toLowerCase().replaceAll('_', '-');
  const core = withoutPrefix(typed);
  const threshold = core.length <= 4 ? 1 : Math.max(2, Math.floor(core.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    const score = Math.min(editDistance(typed, lower), editDistance(core, withoutPrefix(lower)));
    if (score <= threshold) scored.push({ name, score });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}

function withoutPrefix(name: string): string {
  return name.startsWith(GUEST_PREFIX) ? name.slice(GUEST_PREFIX.length) : name;
}

/** " (did you mean guest-file-open?)", or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const [best] = suggest(word, candidates);
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}
