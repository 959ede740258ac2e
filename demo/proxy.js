// Proxy mode: /v1/chat/completions forwarded to a real OpenAI-compatible service, streaming
// through without buffering. The key stays on this server; the demo token guards the proxy.
import {EVENT_STREAM_HEADERS, sendError} from './http.js';

/**
 * Forwards a validated chat request upstream and pipes the answer back as it arrives. Upstream
 * errors reach the page as they are (status and body); a client that leaves aborts the upstream
 * request.
 */
export async function proxyChatCompletion(req, res, body, {baseUrl, apiKey, model}) {
  const {scenario: _ignored, ...forwarded} = body;
  if (model && !forwarded.model) forwarded.model = model;
  const upstreamRequest = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) upstreamRequest.abort();
  });

  let upstream;
  try {
    upstream = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: req.headers.accept ?? 'text/event-stream',
        ...(apiKey ? {authorization: `Bearer ${apiKey}`} : {}),
      },
      body: JSON.stringify(forwarded),
      signal: upstreamRequest.signal,
    });
  } catch (error) {
    if (!upstreamRequest.signal.aborted) sendError(res, 502, `The upstream service cannot be reached: ${error.cause?.message ?? error.message}`, 'upstream_error');
    return;
  }

  const type = upstream.headers.get('content-type') ?? 'application/octet-stream';
  res.writeHead(upstream.status, type.startsWith('text/event-stream') ? EVENT_STREAM_HEADERS : {'content-type': type, 'cache-control': 'no-cache'});
  try {
    for await (const chunk of upstream.body ?? []) res.write(chunk);
    res.end();
  } catch {
    // The client left (the upstream read was aborted) or the upstream broke: either way
    // the page sees the stream end early, which <chat-stream> reports.
    res.destroy();
  }
}
