// Pairwise precision and recall of a clustering against the true one: every pair of records
// put in one cluster is a predicted pair; it is right when the truth has them together too.

export interface PairwiseScores {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * Scores `predicted` groups of ids against `truth` groups (both partitions of the same records;
 * a record in no group is alone). Precision of no predicted pair is 1, recall of no true pair 1.
 */
export function pairwiseScores(
  predicted: readonly (readonly string[])[],
  truth: readonly (readonly string[])[],
): PairwiseScores {
  const label = new Map<string, number>();
  truth.forEach((g, i) => {
    for (const id of g) label.set(id, i);
  });
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const g of predicted) {
    predictedPairs += pairs(g.length);
    const counts = new Map<number, number>();
    for (const id of g) {
      const l = label.get(id);
      if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    for (const c of counts.values()) correctPairs += pairs(c);
  }
  const truePairs = truth.reduce((n, g) => n + pairs(g.length), 0);
  const precision = predictedPairs ? correctPairs / predictedPairs : 1;
  const recall = truePairs ? correctPairs / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}
