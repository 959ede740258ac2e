// Small HTTP helpers shared by the embedded model and the upstream proxy.

/** The largest request body the demo server accepts: room for a few images as base64. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * Headers for an event stream that no proxy should buffer or cache. A page on another origin
 * may read the `Last-Event-ID` a resumed answer echoes.
 */
export const EVENT_STREAM_HEADERS = {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', 'access-control-expose-headers': 'Last-Event-ID'};

/** Headers of a JSON answer. */
export const JSON_HEADERS = {'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache'};

/** Sends a JSON response. */
export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, {...JSON_HEADERS, ...headers});
  res.end(JSON.stringify(value));
}

/** Sends an OpenAI-shaped error: `{error: {message, type, code}}`. */
export function sendError(res, status, message, type = 'invalid_request_error', code = null) {
  sendJson(res, status, {error: {message, type, code}});
}

/**
 * Reads a request body: a JSON object of at most MAX_BODY_BYTES. Returns `{body}` or `{error,
 * status}` with a message that names the problem (status 413 for a body too large, else 400);
 * each wire format checks its own fields.
 */
export async function readJsonBody(req) {
  const tooLarge = {status: 413, error: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB (${MAX_BODY_BYTES} bytes): attach smaller or fewer files`};
  // Refused before it is read, when its length says so; otherwise as soon as it is over.
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return tooLarge;
  const parts = [];
  let size = 0;
  for await (const part of req) {
    size += part.length;
    if (size > MAX_BODY_BYTES) return tooLarge;
    parts.push(part);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (error) {
    return {status: 400, error: `The request body is not JSON: ${error.message}`};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {status: 400, error: 'The request body must be a JSON object'};
  return {body};
}

/**
 * Whether the request carries the demo token: as `Authorization: Bearer`, a raw `token` header,
 * or `x-api-key` (the header Anthropic's SDK sends).
 */
export function hasToken(req, token) {
  return req.headers.authorization === `Bearer ${token}` || req.headers.token === token || req.headers['x-api-key'] === token;
}

/** Resolves after `ms` milliseconds. */
export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
