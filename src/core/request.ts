import type {ChatNetworkOptions, StreamChatOptions} from './types.js';

/** A validated request, ready to send once a token is added. @internal */
export interface PreparedRequest {
  url: string | URL;
  /** The POST without the token's header. */
  init: RequestInit & {headers: Headers};
  fetch: typeof fetch;
  tokenHeader: string;
  requireToken: boolean;
}

/** The network options, checked, with their defaults. @internal */
export type NetworkSettings = Required<Pick<ChatNetworkOptions, 'retries' | 'firstByteTimeout' | 'idleTimeout' | 'resumeAttempts'>>;

export const NETWORK_DEFAULTS: NetworkSettings = {retries: 2, firstByteTimeout: 60_000, idleTimeout: 60_000, resumeAttempts: 1};

/**
 * Checks the options for programming errors (thrown as `TypeError`s that name the option)
 * and builds the POST.
 *
 * @internal
 */
export function prepareRequest(options: StreamChatOptions): PreparedRequest {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('streamChat: expected an options object such as {url, body}');
  }
  const {url, body, tokenHeader = 'Authorization', requireToken = true} = options;
  if (!(url instanceof URL) && (typeof url !== 'string' || url.trim() === '')) {
    throw new TypeError(`streamChat: \`url\` is required (got ${describe(url)})`);
  }
  for (const name of ['onUpdate', 'onRetry', 'getToken'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new TypeError(`streamChat: \`${name}\` must be a function (got ${describe(options[name])})`);
    }
  }
  if (options.thinkTags !== undefined && typeof options.thinkTags !== 'boolean') {
    throw new TypeError(`streamChat: \`thinkTags\` must be true or false (got ${describe(options.thinkTags)})`);
  }
  if (typeof tokenHeader !== 'string') {
    throw new TypeError(`streamChat: \`tokenHeader\` must be a header name (got ${describe(tokenHeader)})`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('streamChat: no `fetch` is available here; pass one as the `fetch` option');
  }
  return {url, init: {method: 'POST', headers: buildHeaders(options), body: serialise(body)}, fetch: fetchImpl, tokenHeader, requireToken};
}

/** The network options with their defaults; a `TypeError` names one that is no count or duration. @internal */
export function networkSettings(options: ChatNetworkOptions): NetworkSettings {
  const settings = {...NETWORK_DEFAULTS};
  for (const name of Object.keys(NETWORK_DEFAULTS) as (keyof NetworkSettings)[]) {
    const value = options[name];
    if (value === undefined) continue;
    const count = name === 'retries' || name === 'resumeAttempts';
    if (typeof value !== 'number' || !(value >= 0) || (count ? !Number.isInteger(value) : !Number.isFinite(value))) {
      throw new TypeError(`streamChat: \`${name}\` must be ${count ? 'a whole number' : 'milliseconds'}, 0 or more (got ${describe(value)})`);
    }
    settings[name] = value;
  }
  return settings;
}

/** The request's POST with `token` in its header, or `null` when a token is required and there is none. @internal */
export function authorise({init, tokenHeader, requireToken}: PreparedRequest, token: string | null | undefined): RequestInit | null {
  if (typeof token !== 'string' || token.trim() === '') return requireToken ? null : init;
  const bearer = tokenHeader.toLowerCase() === 'authorization';
  const headers = new Headers(init.headers);
  setHeader(headers, tokenHeader, bearer ? `Bearer ${token}` : token, 'tokenHeader');
  return {...init, headers};
}

/** `init` with one more header. @internal */
export function withHeader(init: RequestInit, name: string, value: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set(name, value);
  return {...init, headers};
}

function buildHeaders({headers}: StreamChatOptions): Headers {
  let result: Headers;
  try {
    result = new Headers(headers);
  } catch (error) {
    throw new TypeError(`streamChat: \`headers\` are not valid headers: ${(error as Error).message}`);
  }
  if (!result.has('content-type')) result.set('content-type', 'application/json');
  if (!result.has('accept')) result.set('accept', 'text/event-stream, application/json');
  return result;
}

function setHeader(headers: Headers, name: string, value: string, option: string): void {
  try {
    headers.set(name, value);
  } catch (error) {
    throw new TypeError(`streamChat: \`${option}\` ${JSON.stringify(name)} cannot carry the token: ${(error as Error).message}`);
  }
}

function serialise(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw new TypeError(`streamChat: \`body\` cannot be serialised as JSON: ${(error as Error).message}`);
  }
  if (json === undefined) {
    throw new TypeError(`streamChat: \`body\` cannot be serialised as JSON (got ${describe(body)})`);
  }
  return json;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value;
}
