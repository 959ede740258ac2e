import type {Answer} from './answer.js';
import type {ChatFormat} from './format.js';
import {readText} from './decode.js';
import {businessError, chatError, isRecord, parseJson, payloadMessage, quote, reportedError} from './errors.js';
import type {ChatError} from './types.js';

/**
 * The `http` error a non-2xx response stands for: its message is the JSON body's `msg`,
 * `message` or `error.message`, else the status text. Reading the body never throws.
 *
 * @internal
 */
export async function httpError(response: Response, body: ReadableStream<Uint8Array> | null, signal: AbortSignal | undefined): Promise<ChatError> {
  const text = await readText(body, signal);
  const message = payloadMessage(parseJson(text ?? '')) ?? (response.statusText || `HTTP ${response.status}`);
  return chatError('http', response.status, message);
}

/**
 * Reads a 2xx response whose body is one JSON reply (no event stream): the backend's
 * `{code, msg}` error, or a complete (non-streamed) answer in `format`, applied to `answer`.
 * Returns the error, or `null` when `answer` now holds a complete answer.
 *
 * @internal
 */
export async function readNonStreamResponse(
  body: ReadableStream<Uint8Array> | null,
  type: string,
  answer: Answer,
  format: ChatFormat,
  signal: AbortSignal | undefined,
): Promise<ChatError | null> {
  const text = await readText(body, signal);
  if (text === null) return chatError('network', 'connection_lost', 'The connection broke while reading the response');
  return interpretBody(text, type || 'no content type', answer, format);
}

/**
 * What a whole body that is no event stream means (`type` describes what it came as): the
 * backend's error, or a complete answer in `format`, applied to `answer` (then `null`).
 *
 * @internal
 */
export function interpretBody(body: string, type: string, answer: Answer, format: ChatFormat): ChatError | null {
  const payload = parseJson(body);
  if (!isRecord(payload)) {
    return chatError('business', 'invalid_response', `Expected an event stream (text/event-stream) or JSON, got ${type}: ${quote(body)}`);
  }
  if (payload.error != null) return reportedError('business', payload, `The backend reported an error: ${quote(body)}`);
  const failure = businessError(payload);
  if (failure) return failure;
  const step = format.read({data: body}, answer);
  if (step && step !== 'end') return {...step, kind: 'business'};
  if (!answer.began) {
    return chatError('business', 'invalid_response', `Expected an event stream (text/event-stream), got ${type} without an answer: ${quote(body)}`);
  }
  return answer.emptyError();
}

/** A response's media type, lower case, without parameters. @internal */
export function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
}
