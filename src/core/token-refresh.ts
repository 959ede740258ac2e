import type {ChatGetToken} from './types.js';

/** Each `getToken` function's last refresh, and the token it replaced. */
const refreshes = new WeakMap<ChatGetToken, {stale: string | null | undefined; token: Promise<string | null | undefined>}>();

/**
 * A new token after a 401 with `stale`: `getToken({reason: 'unauthorized'})`, called once for
 * every request that met the 401 with the same token, so that requests failing together (or one
 * after another) share one refresh. A refresh that fails is not shared: the next 401 asks again.
 *
 * @internal
 */
export function refreshToken(getToken: ChatGetToken, stale: string | null | undefined): Promise<string | null | undefined> {
  const last = refreshes.get(getToken);
  if (last && last.stale === stale) return last.token;
  const token = Promise.resolve().then(() => getToken({reason: 'unauthorized'}));
  const refresh = {stale, token};
  refreshes.set(getToken, refresh);
  token.catch(() => refreshes.get(getToken) === refresh && refreshes.delete(getToken));
  return token;
}
