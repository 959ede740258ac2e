import type {ChatError, ChatErrorKind} from './types.js';

const SUCCESS_CODES = new Set<unknown>([0, 200, '0', '200']);
const QUOTE_LENGTH = 80;

/** Builds a {@link ChatError}. @internal */
export function chatError(kind: ChatErrorKind, code: number | string, message: string): ChatError {
  return {kind, code, message};
}

/** Whether a JSON value is a plain object. @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The backend's own `{code, msg}` error, when `payload` has a top-level code that is not a success. @internal */
export function businessError(payload: Record<string, unknown>): ChatError | null {
  const {code} = payload;
  if ((typeof code !== 'number' && typeof code !== 'string') || SUCCESS_CODES.has(code)) return null;
  return chatError('business', code, payloadMessage(payload) ?? `The backend answered with code ${code}`);
}

/**
 * The message of an error payload: its `msg`, `message`, `error.message`, `error` or `detail`,
 * looking inside a one-element array (Gemini) and structured messages (FastAPI's and
 * Mistral's `detail: [{msg}]`).
 *
 * @internal
 */
export function payloadMessage(payload: unknown, depth = 0): string | null {
  const body = Array.isArray(payload) ? payload[0] : payload;
  if (!isRecord(body)) return null;
  const error = errorObject(body);
  const candidates = [body.msg, body.message, error?.message, body.error, body.detail];
  const text = candidates.find((candidate) => typeof candidate === 'string' && candidate !== '');
  if (typeof text === 'string') return withProviderDetail(text, error, depth);
  if (depth >= 2) return null;
  for (const nested of candidates) {
    const parts = (Array.isArray(nested) ? nested : [nested]).map((part) => payloadMessage(part, depth + 1));
    const message = parts.filter(Boolean).join('; ');
    if (message) return message;
  }
  return null;
}

/**
 * A gateway's generic message with the provider's own beside it: OpenRouter says "Provider
 * returned error" and puts the provider's body in `error.metadata.raw`.
 */
function withProviderDetail(message: string, error: Record<string, unknown> | null, depth: number): string {
  const raw = isRecord(error?.metadata) ? error.metadata.raw : undefined;
  if (typeof raw !== 'string' || raw.trim() === '' || depth >= 2) return message;
  const detail = payloadMessage(parseJson(raw), depth + 1) ?? quote(raw);
  return detail && detail !== message ? `${message}: ${detail}` : message;
}

/** The `error` member of a payload, as an object when it is one. @internal */
export function errorObject(payload: Record<string, unknown>): Record<string, unknown> | null {
  return isRecord(payload.error) ? payload.error : null;
}

/**
 * The error a payload reports (`{error: {code, type, message}}`, or a bare `{code, message}`):
 * its code, else its type, and its message.
 *
 * @internal
 */
export function reportedError(kind: ChatErrorKind, payload: unknown, fallbackMessage: string): ChatError {
  const body = Array.isArray(payload) ? payload[0] : payload;
  const detail = isRecord(body) ? (errorObject(body) ?? body) : {};
  const code = [detail.code, detail.type].find(isCode) ?? `${kind}_error`;
  return chatError(kind, code, payloadMessage(payload) ?? payloadMessage(detail) ?? fallbackMessage);
}

/** Parses JSON, or returns `undefined` when the text is not JSON. @internal */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Quotes the start of a text for an error message. @internal */
export function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_LENGTH ? `${text.slice(0, QUOTE_LENGTH)}…` : text);
}

/** An exception's message, with its cause's (fetch's "fetch failed" hides the reason there). @internal */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function isCode(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '');
}
