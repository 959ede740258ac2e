import {Answer} from './answer.js';
import {chatError, describeFailure, parseJson, quote, reportedError} from './errors.js';
import {readEventBatches} from './event-stream.js';
import {isDone, type ChatFormat, type ChatFormatEvent, type ChatFormatStep} from './format.js';
import {formatFor, plainBodyOf, selectFormat} from './formats/index.js';
import {readPlainBatches} from './plain-body.js';
import {prepareRequest} from './request.js';
import {TimeSlice} from './time-slice.js';
import {httpError, interpretBody, mediaType, readNonStreamResponse} from './response.js';
import type {ChatError, ChatResult, StreamChatOptions} from './types.js';

/**
 * POSTs a chat request and reads the streamed answer, in the wire format `format` names (by
 * default the one the response shows: OpenAI-compatible Server-Sent Events, NDJSON, plain text).
 *
 * It resolves with what happened for anything the server or the network does, and never
 * rejects for those: `text` always holds what arrived, also when the request failed or was
 * aborted. It rejects only for a programming error (no `url`, a `body` that cannot be
 * serialised, invalid `headers`), or with the error `onUpdate` throws.
 *
 * @example
 * ```ts
 * const result = await streamChat({
 *   url: '/v1/chat/completions',
 *   token,
 *   body: {model: 'gpt-4o-mini', stream: true, messages: [{role: 'user', content: 'Hi'}]},
 *   onUpdate: ({text}) => (output.textContent = text),
 * });
 * if (result.status === 'error') console.warn(result.error.message);
 * ```
 * @param options - The request and how to report progress; see {@link StreamChatOptions}.
 */
export async function streamChat(options: StreamChatOptions): Promise<ChatResult> {
  const request = prepareRequest(options);
  const chosen = selectFormat(options);
  const answer = new Answer(options.onUpdate);
  if (!request) return answer.result('login-required');
  const {signal} = options;
  if (signal?.aborted) return answer.result('aborted');

  let response: Response;
  try {
    response = await request.fetch(request.url, request.init);
  } catch (error) {
    if (signal?.aborted) return answer.result('aborted');
    return answer.result('error', chatError('network', 'fetch_failed', `The request failed: ${describeFailure(error)}`));
  }
  if (response.status === 401) return settle(answer, signal, 'login-required', await httpError(response, signal));
  if (!response.ok) return settle(answer, signal, 'error', await httpError(response, signal));
  const type = mediaType(response);
  const format = formatFor(chosen, response.headers, type);
  answer.format = format.name;
  const stream = type === 'text/event-stream';
  const plain = plainBodyOf(format, type);
  if (!stream && plain === 'json') {
    const error = await readNonStreamResponse(response, answer, format, signal);
    return settle(answer, signal, error ? 'error' : 'done', error);
  }
  if (!response.body) return answer.result('error', truncated());
  const strayLines: string[] = [];
  const events = stream
    ? readEventBatches(response.body, signal ? {signal} : {}, {errorField: true, strayLines})
    : readPlainBatches(response.body, plain === 'ndjson', signal);
  return readAnswer(events, answer, format, signal, strayLines);
}

async function readAnswer(
  batches: AsyncGenerator<ChatFormatEvent[], void, undefined>,
  answer: Answer,
  format: ChatFormat,
  signal: AbortSignal | undefined,
  strayLines: string[],
): Promise<ChatResult> {
  const slice = new TimeSlice();
  let first: ChatFormatEvent | undefined;
  try {
    for (;;) {
      let step: IteratorResult<ChatFormatEvent[]>;
      try {
        step = await batches.next();
      } catch (error) {
        if (signal?.aborted) return answer.result('aborted');
        // The model had finished: only the end (or a usage chunk) was lost with the connection.
        if (answer.finishReason) return ended(answer);
        return answer.result('error', chatError('network', 'connection_lost', `The connection broke mid-answer: ${describeFailure(error)}`));
      }
      if (step.done) break;
      const events = step.value;
      first ??= events.find((event) => event.data.trim() !== '');
      for (let index = 0; index < events.length; index++) {
        // One network read can hold thousands of events: let the page paint in between.
        if ((index & 31) === 31 && slice.due) await slice.yield();
        // `onUpdate` may have aborted: nothing after that point counts.
        if (signal?.aborted) return answer.result('aborted');
        const outcome = handleEvent(events[index]!, answer, format, first);
        if (outcome) return outcome;
      }
    }
  } finally {
    // Leaving early (done, error, abort) cancels the body and so closes the connection.
    await batches.return();
  }
  if (answer.finishReason || format.endsWithBody) return ended(answer, first);
  // No event at all, but text: a backend that labels its JSON error (or anything else) as a stream.
  if (!first && strayLines.length > 0) {
    const error = interpretBody(strayLines.join('\n'), 'text/event-stream with no events', answer, format);
    return answer.result(error ? 'error' : 'done', error);
  }
  return answer.result('error', unrecognized(answer, first) ?? truncated());
}

/** Applies one event; returns the result when the event ends the answer. */
function handleEvent(event: ChatFormatEvent, answer: Answer, format: ChatFormat, first: ChatFormatEvent | undefined): ChatResult | null {
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
function ended(answer: Answer, first?: ChatFormatEvent): ChatResult {
  const empty = unrecognized(answer, first) ?? answer.emptyError();
  return empty ? answer.result('error', empty) : answer.result('done');
}

/** The result of a response whose body was read whole, unless the caller aborted meanwhile. */
function settle(
  answer: Answer,
  signal: AbortSignal | undefined,
  status: ChatResult['status'],
  error: ChatResult['error'],
): ChatResult {
  return signal?.aborted ? answer.result('aborted') : answer.result(status, error);
}

/** Why a stream of events none of which was an answer is none: it names the format and what arrived instead. */
function unrecognized(answer: Answer, first: ChatFormatEvent | undefined): ChatError | null {
  if (answer.began || !first || isDone(first)) return null;
  return chatError('stream', 'invalid_response', `No event was an answer in the ${answer.format} format; the first was ${quote(first.data)}. Set \`format\`, or \`textPath\` for a field of your own`);
}

function truncated() {
  return chatError('stream', 'truncated', 'The stream ended before the answer was complete (no end and no finish reason)');
}
