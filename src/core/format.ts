import type {Answer} from './answer.js';
import {chatError, isRecord, parseJson, quote} from './errors.js';
import type {ChatError} from './types.js';

/** One event of a response as a format reads it: a Server-Sent Event (`event` when it is named), one NDJSON line, or a piece of a plain text body. @internal */
export interface FormatEvent {
  event?: string;
  data: string;
}

/** What an event means: go on (`null`), the answer is complete (`'end'`), or the error the stream reports. @internal */
export type FormatStep = null | 'end' | ChatError;

/**
 * A wire format: how one response's events build the answer. Each built-in format is one
 * module; `streamChat` knows none of them by name.
 *
 * @internal
 */
export interface ChatFormat {
  readonly name: string;
  /**
   * How a body that is no event stream is read: `json` (one reply, read whole: a non-streamed
   * answer or the backend's error), `ndjson` (one JSON value per line, as it streams) or `text`
   * (the body is the answer, as it streams).
   */
  readonly body: 'json' | 'ndjson' | 'text';
  /** Whether the end of the body is the answer's end; otherwise an answer that never said it finished is truncated. */
  readonly endsWithBody?: boolean;
  /** Reads one event into `answer`. */
  read(event: FormatEvent, answer: Answer): FormatStep;
}

/**
 * The JSON an event carries, or what it means when it carries none: nothing (`undefined`, for
 * keep-alives and named non-JSON events such as `event: ping`) or an `invalid_json` error.
 *
 * @internal
 */
export function jsonOf({event, data}: FormatEvent): {value: unknown} | ChatError | undefined {
  const value = parseJson(data);
  if (value !== undefined) return {value};
  if (data.trim() === '' || (event !== undefined && event !== 'message')) return undefined;
  return chatError('stream', 'invalid_json', `The stream sent data that is not JSON: ${quote(data)}`);
}

/** Reads an event that carries a JSON object with `read`; other JSON is skipped, and no JSON is as {@link jsonOf} says. @internal */
export function readJsonEvent(event: FormatEvent, answer: Answer, read: (data: Record<string, unknown>, answer: Answer) => FormatStep): FormatStep {
  const json = jsonOf(event);
  if (!json || !('value' in json)) return json ?? null;
  return isRecord(json.value) ? read(json.value, answer) : null;
}
