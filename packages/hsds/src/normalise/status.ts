// Record status columns of the exports ("Active", "Inactive", "Active, but do not refer",
// "Closed", "Out of business", "Temporarily closed", Y/N…) as HSDS `service.status`. Inactive
// records are kept, marked not searchable, rather than dropped.
import type { HsdsServiceStatus } from './hsds-fields.js';

export interface StatusNormalisation {
  /** HSDS `service.status`; absent when the column is empty or says something we do not know
   * (HSDS requires it: the caller decides, it is not guessed here). */
  status?: HsdsServiceStatus;
  /** Whether a directory should offer the record: an active status that does not also say not
   * to refer to it. */
  searchable: boolean;
  /** Why the status was not read: `missing` (empty) or `unrecognised` (the text is kept in
   * `text`). */
  problem?: 'missing' | 'unrecognised';
  /** The column as written. */
  text: string;
}

// Checked in order: the first that matches wins, so "temporarily closed" is not "closed".
const RULES: readonly [RegExp, HsdsServiceStatus][] = [
  [
    /\btemp(?:orar(?:il)?y)?\.?\s*(?:closed|inactive|unavailable|suspended|on hold)|\bclosed\s+(?:temporarily|until further notice|for (?:the )?season|for renovations?)|\bseasonally closed|\bon hold\b|\bsuspended\b/i,
    'temporarily closed',
  ],
  [
    /\b(?:defunct|out of business|no longer (?:exists|operating|in (?:business|operation))|dissolved|permanently closed|closed permanently|ceased|merged|deleted|disbanded)\b/i,
    'defunct',
  ],
  [
    /^(?:in-?active|not active|closed|discontinued|retired|archived|disabled|false|no|n|i|0)$|\binactive\b/i,
    'inactive',
  ],
  [/^(?:active|open|current|operating|yes|y|a|true|1)\b/i, 'active'],
];

const DO_NOT_REFER =
  /\b(?:do not refer|don'?t refer|not for referral|no referrals?|do not list|hidden|private)\b/i;

/** Reads a status column. Never throws. */
export function normaliseStatus(text: string): StatusNormalisation {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (trimmed === '') return { searchable: false, problem: 'missing', text };
  const rule = RULES.find(([pattern]) => pattern.test(trimmed));
  if (!rule) return { searchable: false, problem: 'unrecognised', text };
  const status = rule[1];
  return { status, searchable: isSearchable(status) && !DO_NOT_REFER.test(trimmed), text };
}

/** Whether a record of this status belongs in search results: only `active` ones. The others
 * are kept in the data (their history and links matter) but not offered. */
export function isSearchable(status: HsdsServiceStatus | undefined): boolean {
  return status === 'active';
}
