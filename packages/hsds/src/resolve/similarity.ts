// String similarities in [0, 1], symmetric by construction: the arguments are put in a fixed
// order first, because the greedy matching step of Jaro can otherwise differ by a hair.

// Reused between calls: the pairs compared are many and their strings short.
const buffers = [new Uint8Array(64), new Uint8Array(64)];

function scratch(which: 0 | 1, length: number): Uint8Array {
  if (buffers[which]!.length < length) buffers[which] = new Uint8Array(length * 2);
  const b = buffers[which]!;
  b.fill(0, 0, length);
  return b;
}

function jaro(s: string, t: string): number {
  if (s === t) return s.length ? 1 : 0;
  const n = s.length;
  const m = t.length;
  if (n === 0 || m === 0) return 0;
  const window = Math.max(0, (Math.max(n, m) >> 1) - 1);
  const sMatched = scratch(0, n);
  const tMatched = scratch(1, m);
  let matches = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(m - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (tMatched[j] || s.charCodeAt(i) !== t.charCodeAt(j)) continue;
      sMatched[i] = 1;
      tMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let half = 0;
  for (let i = 0; i < n; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (s.charCodeAt(i) !== t.charCodeAt(k)) half++;
    k++;
  }
  return (matches / n + matches / m + (matches - half / 2) / matches) / 3;
}

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  const [s, t] = a <= b ? [a, b] : [b, a];
  const j = jaro(s, t);
  let prefix = 0;
  const limit = Math.min(4, s.length, t.length);
  while (prefix < limit && s.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/**
 * Dice coefficient of two token lists where tokens match when equal or, for tokens of four
 * letters or more with the same first letter, when their Jaro-Winkler similarity is at least
 * `fuzzy` (a typo, a plural).
 * Each token is matched at most once; duplicates count once.
 */
export function tokenSetSimilarity(
  a: readonly string[],
  b: readonly string[],
  fuzzy = 0.92,
): number {
  return sortedTokenSimilarity(uniqueSorted(a), uniqueSorted(b), fuzzy);
}

/** The distinct tokens in code-unit order, the form `sortedTokenSimilarity` takes. */
export function uniqueSorted(tokens: readonly string[]): string[] {
  return [...new Set(tokens)].sort();
}

/** `tokenSetSimilarity` of lists already distinct and sorted (`uniqueSorted`). */
export function sortedTokenSimilarity(
  a: readonly string[],
  b: readonly string[],
  fuzzy = 0.92,
): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Greedy matching depends on which side leads: let the smaller list (then text) lead.
  const [xs, ys] = leads(a, b) ? [a, b] : [b, a];
  const used: boolean[] = new Array(ys.length).fill(false);
  let shared = 0;
  for (const x of xs) {
    let best = -1;
    for (let j = 0; j < ys.length; j++) {
      if (used[j]) continue;
      const y = ys[j]!;
      if (x === y) {
        best = j;
        break;
      }
      if (best < 0 && x.length >= 4 && y.length >= 4 && mayReach(x, y, fuzzy)) {
        if (jaroWinkler(x, y) >= fuzzy) best = j;
      }
    }
    if (best >= 0) {
      used[best] = true;
      shared++;
    }
  }
  return (2 * shared) / (xs.length + ys.length);
}

/**
 * Whether two tokens may be a typo apart: same first letter (assumed right, as most
 * record-linkage systems do; it spares most Jaro-Winkler calls) and lengths that let
 * Jaro-Winkler reach `bound` (Jaro is at most (2 + shorter/longer) / 3, and the prefix adds
 * at most a tenth of the rest per common leading character).
 */
function mayReach(x: string, y: string, bound: number): boolean {
  if (x.charCodeAt(0) !== y.charCodeAt(0)) return false;
  const j = (2 + Math.min(x.length, y.length) / Math.max(x.length, y.length)) / 3;
  let prefix = 1;
  while (prefix < 4 && x.charCodeAt(prefix) === y.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j) >= bound;
}

function leads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return true;
}
