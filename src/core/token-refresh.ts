import type {ChatGetToken} from './types.js';

/** How long a refresh that gave a new token answers the 401s of requests sent with the old one. */
const SHARED_FOR = 10_000;

interface Refresh {
  stale: string | null | undefined;
  token: Promise<string | null | undefined>;
  /** When it gave a new token; until then, it is in flight. */
  settledAt?: number;
}

/** Each `getToken` function's last refresh. */
const refreshes = new WeakMap<ChatGetToken, Refresh>();

/**
 * A new token after a 401 with `stale`: `getToken({reason: 'unauthorized'})`, called once for
 * the requests that meet the 401 with the same token together (while it runs, or within seconds
 * after it gave a new one). A refresh that fails, or gives no new token, is not shared.
 *
 * @internal
 */
export function refreshToken(getToken: ChatGetToken, stale: string | null | undefined): Promise<string | null | undefined> {
  const last = refreshes.get(getToken);
  if (last && last.stale === stale && (last.settledAt === undefined || Date.now() - last.settledAt < SHARED_FOR)) return last.token;
  const refresh: Refresh = {stale, token: Promise.resolve().then(() => getToken({reason: 'unauthorized'}))};
  refreshes.set(getToken, refresh);
  const forget = () => refreshes.get(getToken) === refresh && refreshes.delete(getToken);
  refresh.token.then((token) => (typeof token === 'string' && token !== '' && token !== stale ? (refresh.settledAt = Date.now()) : forget()), forget);
  return refresh.token;
}
