import {createParser, type EventSourceMessage} from 'eventsource-parser';
import type {ReadEventStreamOptions, ServerSentEvent} from './types.js';

const CR = 13;
const LF = 10;

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
): AsyncGenerator<ServerSentEvent[], void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let batch: ServerSentEvent[] = [];
  let lastEventId: string | undefined;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      // The spec's last event ID outlives the event that set it.
      if (message.id !== undefined) lastEventId = message.id;
      batch.push(toEvent(message, lastEventId));
    },
  });

  // eventsource-parser holds back a chunk's trailing CR until it sees whether LF follows,
  // which delays CR-terminated events by a whole chunk. Completing the CR here and
  // dropping the LF that may begin the next chunk keeps both meanings and dispatches now.
  let endedWithCR = false;
  const feed = (text: string) => {
    if (text === '') return;
    if (endedWithCR && text.charCodeAt(0) === LF) text = text.slice(1);
    endedWithCR = text.charCodeAt(text.length - 1) === CR;
    if (text !== '') parser.feed(endedWithCR ? text + '\n' : text);
  };

  const cancelOnAbort = () => void reader.cancel(signal?.reason).catch(ignore);
  signal?.addEventListener('abort', cancelOnAbort, {once: true});
  let ended = false;
  try {
    signal?.throwIfAborted();
    while (!ended) {
      const {done, value} = await reader.read();
      // A cancelled read resolves as "done": tell an abort apart from the real end.
      signal?.throwIfAborted();
      ended = done;
      feed(done ? decoder.decode() : decoder.decode(value, {stream: true}));
      if (batch.length > 0) {
        const completed = batch;
        batch = [];
        yield completed;
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancelOnAbort);
    if (!ended) void reader.cancel().catch(ignore);
  }
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
  for await (const batch of readEventBatches(body, options)) yield* batch;
}

function toEvent({event, data}: EventSourceMessage, id: string | undefined): ServerSentEvent {
  const message: ServerSentEvent = {data};
  if (event !== undefined) message.event = event;
  if (id !== undefined) message.id = id;
  return message;
}

function ignore(): void {}
