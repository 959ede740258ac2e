import {createParser, type EventSourceMessage, type EventSourceParser, type ParseError} from 'eventsource-parser';
import {decodeText} from './decode.js';
import {IdFieldScanner} from './id-field.js';
import type {ReadEventStreamOptions, ServerSentEvent} from './types.js';

const CR = 13;
const LF = 10;
const CR_SLICE = 16384;
const MAX_STRAY_LINES = 256;

/** Options of the SSE layer that only `streamChat` uses. @internal */
export interface EventBatchOptions {
  /**
   * Report `error:` lines (llama.cpp's in-stream errors) as `error` events instead of
   * ignoring them as the spec does with unknown fields.
   */
  errorField?: boolean;
  /**
   * Collects lines that are no SSE field (say, `{"code":401,"msg":"…"}` sent with an event
   * stream's content type), up to MAX_STRAY_LINES, for a stream that turns out to hold no events.
   */
  strayLines?: string[];
  /**
   * Tracks the last event ID as the spec says (every `id` line sets it). Chat answers carry
   * their id inside the JSON, so `streamChat` leaves this out.
   */
  ids?: IdFieldScanner;
  /** Called with the reconnection delay each `retry` field sets, in milliseconds. */
  onRetry?: (ms: number) => void;
  /**
   * Called (with `ids`) with the last event ID as the spec's event source keeps it: set when a
   * block ends, also a block with no data (a comment, a ping), so never by a block cut short.
   */
  onEventId?: (id: string) => void;
}

/**
 * Reads a Server-Sent Events body: one streaming UTF-8 decoder (which drops exactly one
 * leading BOM, as the SSE spec says) feeding eventsource-parser.
 *
 * Yields the events each network chunk completed, as one array per chunk, so that a
 * consumer pays one async step per chunk rather than per event. Stopping the iteration
 * early cancels the body.
 *
 * @internal
 */
export async function* readEventBatches(
  body: ReadableStream<Uint8Array>,
  {signal}: ReadEventStreamOptions = {},
  {errorField = false, ids, strayLines, onRetry, onEventId}: EventBatchOptions = {},
): AsyncGenerator<ServerSentEvent[], void, undefined> {
  let batch: ServerSentEvent[] = [];
  let lastEventId: string | undefined;
  const parser = createParser({
    onRetry,
    onEvent: ({event, data}: EventSourceMessage) => batch.push(toEvent(event, data, lastEventId)),
    onError({type, field, value, line}: ParseError) {
      if (type !== 'unknown-field') return;
      if (errorField && field === 'error') batch.push(toEvent('error', value ?? '', lastEventId));
      else if (strayLines && line !== undefined && strayLines.length < MAX_STRAY_LINES) strayLines.push(line);
    },
  });
  // The decoder has already dropped the one leading BOM. A first feed disarms the parser's
  // own check, which would also strip the text "ï»¿" (a BOM's bytes read as Latin-1).
  parser.feed('');

  // eventsource-parser holds back a chunk's trailing CR until it sees whether LF follows,
  // which delays CR-terminated events by a whole chunk. Completing the CR here and
  // dropping the LF that may begin the next chunk keeps both meanings and dispatches now.
  let endedWithCR = false;
  let previous = LF;
  const feed = (text: string) => {
    if (text === '') return;
    if (endedWithCR && text.charCodeAt(0) === LF) text = text.slice(1);
    endedWithCR = text.charCodeAt(text.length - 1) === CR;
    if (endedWithCR) text += '\n';
    if (!ids || text === '') return feedInSlices(parser, text);
    const blockEnd = lastBlankLineEnd(text, previous);
    previous = text.charCodeAt(text.length - 1);
    // An ID seen before this text is in a block that a blank line here ends.
    let ended = blockEnd >= 0 ? lastEventId : undefined;
    let fed = 0;
    for (const {end, value} of ids.scan(text)) {
      feedInSlices(parser, text.slice(fed, end));
      if (!value.includes('\0')) lastEventId = value;
      if (end <= blockEnd) ended = lastEventId;
      fed = end;
    }
    feedInSlices(parser, fed === 0 ? text : text.slice(fed));
    if (ended !== undefined) onEventId?.(ended);
  };

  for await (const text of decodeText(body, signal)) {
    feed(text);
    if (batch.length > 0) {
      const completed = batch;
      batch = [];
      yield completed;
    }
  }
  // The unterminated last line dispatches nothing, but may be the end (or all) of stray text.
  if (strayLines) parser.reset({consume: true});
}

/**
 * Reads a Server-Sent Events body as an async iterable of `{event?, data, id?}`: the SSE
 * layer alone, for streams that are not chat-shaped.
 *
 * Bytes are decoded with one streaming UTF-8 decoder, so characters split across chunks
 * survive; exactly one leading BOM is dropped; CR, LF and CRLF all end lines; comments
 * and unknown fields are ignored; an event the body ends in the middle of is discarded.
 * Breaking out of the loop cancels the body.
 *
 * @example
 * ```ts
 * const response = await fetch('/events');
 * for await (const {event, data} of readEventStream(response.body!)) {
 *   console.log(event ?? 'message', data);
 * }
 * ```
 * @param body - The response body, e.g. `response.body`.
 * @param options - `signal` stops reading, cancels the body and makes the loop throw its reason.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  options: ReadEventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  for await (const batch of readEventBatches(body, options, {ids: new IdFieldScanner()})) {
    for (const event of batch) {
      // One chunk can complete many events: none is handed over after an abort.
      options.signal?.throwIfAborted();
      yield event;
    }
  }
}

/**
 * Feeds text that has CRs in slices: eventsource-parser rescans to the end of its input for
 * every CR-ended line, which is quadratic in one large chunk.
 */
function feedInSlices(parser: EventSourceParser, text: string): void {
  if (text.length <= CR_SLICE || !text.includes('\r')) return void (text !== '' && parser.feed(text));
  for (let i = 0; i < text.length; i += CR_SLICE) parser.feed(text.slice(i, i + CR_SLICE));
}

/**
 * Where the last blank line of `text` ends (its terminator's index), or -1: a line end right
 * after another (the LF of a CRLF is part of its line's end). `before` is the code before `text`.
 */
function lastBlankLineEnd(text: string, before: number): number {
  for (let index = text.length - 1; index >= 0; index--) {
    const code = text.charCodeAt(index);
    if (code !== LF && code !== CR) continue;
    const previous = index > 0 ? text.charCodeAt(index - 1) : before;
    if (previous === LF || (previous === CR && code === CR)) return index;
  }
  return -1;
}

function toEvent(event: string | undefined, data: string, id: string | undefined): ServerSentEvent {
  const message: ServerSentEvent = {data};
  if (event !== undefined) message.event = event;
  if (id !== undefined) message.id = id;
  return message;
}
