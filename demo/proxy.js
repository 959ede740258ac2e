// Proxy mode: the chat routes forwarded to a real service, in whichever format it speaks,
// streaming through without buffering. The key stays on this server; the demo token guards
// the proxy.
import {sendFormatError} from './formats/index.js';

const bearer = (key) => (key ? {authorization: `Bearer ${key}`} : {});

/**
 * The routes forwarded, by the demo's path: where under the upstream base they go, and how the
 * key travels. The base is OpenAI-style, ending in `/v1`, as `OPENAI_BASE_URL` is.
 */
const ROUTES = {
  '/v1/chat/completions': {path: '/chat/completions', auth: bearer},
  '/v1/responses': {path: '/responses', auth: bearer},
  '/v1/messages': {path: '/messages', auth: (key) => ({...(key ? {'x-api-key': key} : {}), 'anthropic-version': '2023-06-01'})},
  // Ollama's native API sits beside its OpenAI-compatible `/v1`, not under it.
  '/api/chat': {path: '/api/chat', besideV1: true, auth: bearer},
};

/** The upstream's headers the page needs: what the body is, when to retry, and the AI SDK's stream marker. */
const PASSED_HEADERS = ['content-type', 'retry-after', 'x-vercel-ai-ui-message-stream'];

/** Whether proxy mode forwards a path. */
export const isProxied = (pathname) => Object.hasOwn(ROUTES, pathname);

function upstreamUrl(baseUrl, route) {
  const base = baseUrl.replace(/\/+$/, '');
  return `${route.besideV1 ? base.replace(/\/v1$/, '') : base}${route.path}`;
}

/**
 * Forwards a validated chat request to the same route upstream and pipes the answer back as it
 * arrives, status and body as they are. A client that leaves aborts the upstream request.
 */
export async function proxyChat(req, res, format, body, {baseUrl, apiKey, model}) {
  const route = ROUTES[format.path];
  const {scenario: _ignored, ...forwarded} = body;
  if (model && !forwarded.model) forwarded.model = model;
  const upstreamRequest = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) upstreamRequest.abort();
  });

  let upstream;
  try {
    upstream = await fetch(upstreamUrl(baseUrl, route), {
      method: 'POST',
      headers: {'content-type': 'application/json', accept: req.headers.accept ?? 'text/event-stream', ...route.auth(apiKey)},
      body: JSON.stringify(forwarded),
      signal: upstreamRequest.signal,
    });
  } catch (error) {
    if (!upstreamRequest.signal.aborted) sendFormatError(res, format, 502, `The upstream service cannot be reached: ${error.cause?.message ?? error.message}`, 'upstream_error');
    return;
  }

  const headers = {'content-type': 'application/octet-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no'};
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  res.writeHead(upstream.status, headers);
  try {
    for await (const chunk of upstream.body ?? []) res.write(chunk);
    res.end();
  } catch {
    // The client left (the upstream read was aborted) or the upstream broke: either way
    // the page sees the stream end early, which <chat-stream> reports.
    res.destroy();
  }
}
