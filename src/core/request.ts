import type {StreamChatOptions} from './types.js';

/** A validated request, ready to send. @internal */
export interface PreparedRequest {
  url: string | URL;
  init: RequestInit;
  fetch: typeof fetch;
}

/**
 * Checks the options for programming errors (thrown as `TypeError`s that name the option)
 * and builds the POST. Returns `null` when a token is required and there is none.
 *
 * @internal
 */
export function prepareRequest(options: StreamChatOptions): PreparedRequest | null {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('streamChat: expected an options object such as {url, body}');
  }
  const {url, body, signal, token, tokenHeader = 'Authorization', requireToken = true, onUpdate} = options;
  if (!(url instanceof URL) && (typeof url !== 'string' || url.trim() === '')) {
    throw new TypeError(`streamChat: \`url\` is required (got ${describe(url)})`);
  }
  if (onUpdate !== undefined && typeof onUpdate !== 'function') {
    throw new TypeError(`streamChat: \`onUpdate\` must be a function (got ${describe(onUpdate)})`);
  }
  if (typeof tokenHeader !== 'string') {
    throw new TypeError(`streamChat: \`tokenHeader\` must be a header name (got ${describe(tokenHeader)})`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('streamChat: no `fetch` is available here; pass one as the `fetch` option');
  }
  const headers = buildHeaders(options);
  const hasToken = typeof token === 'string' && token.trim() !== '';
  if (hasToken) {
    const bearer = tokenHeader.toLowerCase() === 'authorization';
    setHeader(headers, tokenHeader, bearer ? `Bearer ${token}` : token, 'tokenHeader');
  } else if (requireToken) {
    return null;
  }
  const init: RequestInit = {method: 'POST', headers, body: serialise(body)};
  if (signal) init.signal = signal;
  return {url, init, fetch: fetchImpl};
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
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value;
}
