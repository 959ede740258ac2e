/** The statuses that say "not now": sent again after a wait. */
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);
const BASE_DELAY = 1000;
const MAX_DELAY = 30_000;
/** A longer `Retry-After` is no wait a reader sits through: the error is shown instead. */
const MAX_RETRY_AFTER = 60_000;

/** Whether a response with `status` may be asked again: the server did not start an answer. @internal */
export function retryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * How long to wait before attempt `attempt` (from 1): `Retry-After` when the server sent one
 * (seconds or an HTTP date), else capped exponential backoff with full jitter, which keeps
 * many clients that failed together from coming back together. `null`: do not retry (the
 * server asks for a wait longer than a minute).
 *
 * @internal
 */
export function retryDelay(attempt: number, retryAfter: string | null, random: () => number): number | null {
  const asked = retryAfter === null ? null : retryAfterMs(retryAfter.trim());
  if (asked !== null) return asked > MAX_RETRY_AFTER ? null : asked;
  return Math.round(random() * Math.min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)));
}

/** A `Retry-After` value in milliseconds, or `null` when it is neither seconds nor a date. */
function retryAfterMs(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only an HTTP date: `Date.parse` also takes "1.5" or "-1".
  const date = /^[a-z]{3},/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
