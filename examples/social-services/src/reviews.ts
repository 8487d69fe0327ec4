/**
 * Exports a person looked at and accepted although a check held them back (half the usual
 * size, a dropped column): `reviews/<agency>.json` lists their versions, written by
 * `node bin/review.mjs accept <agency>`. The file is the audit trail: who, when, which export.
 */
import { readFile } from 'node:fs/promises';

export const REVIEWS = 'reviews';

interface Review {
  exportVersion: string;
  by: string;
  at: string;
  note?: string;
}

/** Who accepted this export of the agency and when, or undefined when nobody did. */
export async function isReviewed(
  agency: string,
  exportVersion: string,
): Promise<string | undefined> {
  let reviews: Review[];
  try {
    reviews = JSON.parse(await readFile(`${REVIEWS}/${agency}.json`, 'utf8')) as Review[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${REVIEWS}/${agency}.json cannot be read: ${(error as Error).message}`);
  }
  const review = Array.isArray(reviews)
    ? reviews.find((r) => r.exportVersion === exportVersion)
    : undefined;
  return review === undefined
    ? undefined
    : `by ${review.by} at ${review.at}${review.note ? `: ${review.note}` : ''}`;
}

/** What to run to accept exactly this export of the agency (the one the check held) and re-check it. */
export function reviewCommand(agency: string, exportVersion: string): string {
  return `\`node bin/review.mjs accept ${agency} --version ${exportVersion.slice(0, 12)} && weir check hsds --partition ${agency}\``;
}
