/**
 * @module definitions/retry
 * Retry policies of steps: how many attempts, and the backoff between them.
 */
import { DefinitionError } from '../errors.js';

/** How a failing step is retried: exponential backoff, `initialDelayMs * factor^(attempt-1)`, capped. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  maxAttempts: number;
  initialDelayMs?: number;
  factor?: number;
  maxDelayMs?: number;
  /** Randomise each delay by up to ±jitter (0..1) so retries of many steps spread out. */
  jitter?: number;
}

export const NO_RETRY: Required<RetryPolicy> = {
  maxAttempts: 1,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 60_000,
  jitter: 0,
};

export function normalizeRetry(
  policy: RetryPolicy | undefined,
  owner: string,
): Required<RetryPolicy> {
  if (policy === undefined) return NO_RETRY;
  const full = { ...NO_RETRY, ...policy };
  const problems: string[] = [];
  if (!Number.isInteger(full.maxAttempts) || full.maxAttempts < 1)
    problems.push('maxAttempts must be an integer ≥ 1');
  if (!(full.initialDelayMs >= 0)) problems.push('initialDelayMs must be ≥ 0');
  if (!(full.factor >= 1)) problems.push('factor must be ≥ 1');
  if (!(full.maxDelayMs >= 0)) problems.push('maxDelayMs must be ≥ 0');
  if (!(full.jitter >= 0 && full.jitter <= 1)) problems.push('jitter must be between 0 and 1');
  if (problems.length > 0) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} has an invalid retry policy: ${problems.join('; ')}`,
    );
  }
  return full;
}

/** The delay before attempt `attempt + 1`, after `attempt` failed (attempt counts from 1). */
export function retryDelay(
  policy: Required<RetryPolicy>,
  attempt: number,
  random = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}
