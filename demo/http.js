// Small HTTP helpers shared by the embedded model and the upstream proxy.

/** The largest request body the demo server accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Headers for an event stream that no proxy should buffer or cache. */
export const EVENT_STREAM_HEADERS = {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no'};

/** Sends a JSON response. */
export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers});
  res.end(JSON.stringify(value));
}

/** Sends an OpenAI-shaped error: `{error: {message, type, code}}`. */
export function sendError(res, status, message, type = 'invalid_request_error', code = null) {
  sendJson(res, status, {error: {message, type, code}});
}

/**
 * Reads a chat-completion request: JSON, at most MAX_BODY_BYTES, with a non-empty `messages`
 * array. Returns `{body}` or `{error}` with a message that names the problem.
 */
export async function readChatRequest(req) {
  const parts = [];
  let size = 0;
  for await (const part of req) {
    size += part.length;
    if (size > MAX_BODY_BYTES) return {error: `The request body is larger than ${MAX_BODY_BYTES} bytes`};
    parts.push(part);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (error) {
    return {error: `The request body is not JSON: ${error.message}`};
  }
  if (typeof body !== 'object' || body === null || !Array.isArray(body.messages) || body.messages.length === 0) {
    return {error: 'The request body needs a non-empty `messages` array'};
  }
  return {body};
}

/** Whether the request carries the demo token (as `Authorization: Bearer` or a raw `token` header). */
export function hasToken(req, token) {
  return req.headers.authorization === `Bearer ${token}` || req.headers.token === token;
}

/** Resolves after `ms` milliseconds. */
export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
