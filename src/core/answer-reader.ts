import type {Answer, AnswerResult} from './answer.js';
import {chatError, describeFailure, parseJson, quote, reportedError} from './errors.js';
import {readEventBatches} from './event-stream.js';
import {isDone, type ChatFormat, type ChatFormatEvent, type ChatFormatStep} from './format.js';
import {IdFieldScanner} from './id-field.js';
import {readPlainBatches} from './plain-body.js';
import {interpretBody} from './response.js';
import {TimeSlice} from './time-slice.js';
import type {ChatError} from './types.js';

/** A body that ended before the answer did: why, and whether the connection broke (`lost`) or closed. @internal */
export interface BrokenBody {
  error: ChatError;
  lost: boolean;
}

/**
 * Reads an answer's events into it, from one body or, after a break, from the bodies that
 * resume it: what it has read so far (the first event, the last event ID, the `retry` delay)
 * carries over from one to the next.
 *
 * @internal
 */
export class AnswerReader {
  /** The stream's last event ID when its last whole block was read, when it gives IDs: where a resume begins. */
  lastEventId: string | undefined;
  /** The reconnection delay the stream's last `retry` field set, in milliseconds. */
  retry: number | undefined;
  /** How many events were read. */
  events = 0;
  /** The first event with data, which names the stream when none is an answer. */
  #first: ChatFormatEvent | undefined;
  readonly #strayLines: string[] = [];

  constructor(
    readonly answer: Answer,
    readonly format: ChatFormat,
    readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * A body's events, in batches: Server-Sent Events (`stream`), else lines of NDJSON or pieces
   * of text, as `plain` says. `signal` cancels the body.
   */
  batches(body: ReadableStream<Uint8Array>, stream: boolean, plain: 'ndjson' | 'text' | 'json', signal: AbortSignal) {
    if (!stream) return readPlainBatches(body, plain === 'ndjson', signal);
    return readEventBatches(body, {signal}, {
      errorField: true,
      strayLines: this.#strayLines,
      ids: new IdFieldScanner(),
      onRetry: (ms) => (this.retry = ms),
      onEventId: (id) => (this.lastEventId = id),
    });
  }

  /** Reads `batches` into the answer: the result, or why the body ended before the answer did. */
  async read(batches: AsyncGenerator<ChatFormatEvent[], void, undefined>): Promise<AnswerResult | BrokenBody> {
    const {answer, format, signal} = this;
    const slice = new TimeSlice();
    try {
      for (;;) {
        let step: IteratorResult<ChatFormatEvent[]>;
        try {
          step = await batches.next();
        } catch (error) {
          if (signal?.aborted) return answer.result('aborted');
          // The model had finished: only the end (or a usage chunk) was lost with the connection.
          if (answer.finishReason) return ended(answer);
          return {error: chatError('network', 'connection_lost', `The connection broke mid-answer: ${describeFailure(error)}`), lost: true};
        }
        if (step.done) break;
        const events = step.value;
        this.#first ??= events.find((event) => event.data.trim() !== '');
        for (let index = 0; index < events.length; index++) {
          // One network read can hold thousands of events: let the page paint in between.
          if ((index & 31) === 31 && slice.due) await slice.yield();
          // `onUpdate` may have aborted: nothing after that point counts.
          if (signal?.aborted) return answer.result('aborted');
          const event = events[index]!;
          const outcome = handleEvent(event, answer, format, this.#first);
          if (outcome) return outcome;
          this.events++;
        }
      }
    } finally {
      // Leaving early (done, error, abort) cancels the body and so closes the connection.
      await batches.return();
    }
    if (answer.finishReason || format.endsWithBody) return ended(answer, this.#first);
    // A stream that can be resumed may yet bring its answer: whatever came so far was a beginning.
    if (this.lastEventId) return {error: unrecognized(answer, this.#first) ?? truncated(), lost: false};
    // No event at all, but text: a backend that labels its JSON error (or anything else) as a stream.
    if (!this.#first && this.#strayLines.length > 0) {
      const error = interpretBody(this.#strayLines.join('\n'), 'text/event-stream with no events', answer, format);
      return answer.result(error ? 'error' : 'done', error);
    }
    const unknown = unrecognized(answer, this.#first);
    return unknown ? answer.result('error', unknown) : {error: truncated(), lost: false};
  }
}

/** Applies one event; returns the result when the event ends the answer. */
function handleEvent(event: ChatFormatEvent, answer: Answer, format: ChatFormat, first: ChatFormatEvent | undefined): AnswerResult | null {
  // The SSE convention for an error, whatever the format (and llama.cpp's `error:` lines).
  if (event.event === 'error') {
    return answer.result('error', reportedError('stream', parseJson(event.data), event.data || 'The stream reported an error'));
  }
  let step: ChatFormatStep;
  try {
    step = format.read(event, answer);
  } catch (error) {
    // A page's adapter that throws fails this answer, not the page: the text so far is kept.
    return answer.result('error', chatError('stream', 'format_failed', `The format "${format.name}" failed to read an event: ${describeFailure(error)}`));
  }
  if (step === 'end') return ended(answer, first);
  return step ? answer.result('error', {...step, kind: step.kind ?? 'stream'}) : null;
}

/** The result of an answer that ended as it should: done, unless there is nothing to show. */
function ended(answer: Answer, first?: ChatFormatEvent): AnswerResult {
  const empty = unrecognized(answer, first) ?? answer.emptyError();
  return empty ? answer.result('error', empty) : answer.result('done');
}

/** Why a stream of events none of which was an answer is none: it names the format and what arrived instead. */
function unrecognized(answer: Answer, first: ChatFormatEvent | undefined): ChatError | null {
  if (answer.began || !first || isDone(first)) return null;
  return chatError('stream', 'invalid_response', `No event was an answer in the ${answer.format} format; the first was ${quote(first.data)}. Set \`format\`, or \`textPath\` for a field of your own`);
}

/** The error of an answer whose body ended before it did. @internal */
export function truncated(): ChatError {
  return chatError('stream', 'truncated', 'The stream ended before the answer was complete (no end and no finish reason)');
}
