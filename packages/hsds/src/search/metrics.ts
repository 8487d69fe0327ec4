// Ranking quality against graded judgments: nDCG@k (gain 2^grade − 1, log2 discount) and
// recall@k (the share of the relevant items, grade ≥ 1, found in the first k).

/** Grades of the judged items by key; unjudged items count as 0. */
export type Judgments = ReadonlyMap<string, number>;

function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++)
    sum += (2 ** grades[i]! - 1) / Math.log2(i + 2);
  return sum;
}

/** nDCG@k of a ranking; 1 when it orders the best k as well as possible, 0 when nothing is relevant. */
export function ndcgAt(ranking: readonly string[], judgments: Judgments, k = 10): number {
  const ideal = dcg(
    [...judgments.values()].filter((g) => g > 0).sort((a, b) => b - a),
    k,
  );
  if (ideal === 0) return 0;
  return (
    dcg(
      ranking.map((key) => judgments.get(key) ?? 0),
      k,
    ) / ideal
  );
}

/** recall@k: the share of relevant items (grade ≥ 1) in the first k; 0 when none is relevant. */
export function recallAt(ranking: readonly string[], judgments: Judgments, k = 10): number {
  const relevant = [...judgments.values()].filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  let found = 0;
  for (const [key, grade] of judgments) if (grade > 0 && top.has(key)) found++;
  return found / relevant;
}

/** The arithmetic mean (0 for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
