import {Answer} from './answer.js';
import {chatError, describeFailure, parseJson, quote, reportedError} from './errors.js';
import {readEventBatches} from './event-stream.js';
import {prepareRequest} from './request.js';
import {TimeSlice} from './time-slice.js';
import {httpError, interpretBody, isEventStream, readNonStreamResponse} from './response.js';
import type {ChatResult, ServerSentEvent, StreamChatOptions} from './types.js';

/**
 * POSTs a chat request and reads the streamed answer (OpenAI-compatible Server-Sent Events).
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
  if (!isEventStream(response)) {
    const error = await readNonStreamResponse(response, answer, signal);
    return settle(answer, signal, error ? 'error' : 'done', error);
  }
  if (!response.body) return answer.result('error', truncated());
  return readAnswer(response.body, answer, signal);
}

async function readAnswer(
  body: ReadableStream<Uint8Array>,
  answer: Answer,
  signal: AbortSignal | undefined,
): Promise<ChatResult> {
  const strayLines: string[] = [];
  const batches = readEventBatches(body, signal ? {signal} : {}, {errorField: true, strayLines});
  const slice = new TimeSlice();
  let sawEvent = false;
  try {
    for (;;) {
      let step: IteratorResult<ServerSentEvent[]>;
      try {
        step = await batches.next();
      } catch (error) {
        if (signal?.aborted) return answer.result('aborted');
        // The model had finished: only the [DONE] (or a usage chunk) was lost with the connection.
        if (answer.finishReason) return ended(answer);
        return answer.result('error', chatError('network', 'connection_lost', `The connection broke mid-answer: ${describeFailure(error)}`));
      }
      if (step.done) break;
      const messages = step.value;
      sawEvent = true;
      for (let index = 0; index < messages.length; index++) {
        const message = messages[index]!;
        // One network read can hold thousands of events: let the page paint in between.
        if ((index & 31) === 31 && slice.due) await slice.yield();
        // `onUpdate` may have aborted: nothing after that point counts.
        if (signal?.aborted) return answer.result('aborted');
        const outcome = handleEvent(message, answer);
        if (outcome) return outcome;
      }
    }
  } finally {
    // Leaving early (done, error, abort) cancels the body and so closes the connection.
    await batches.return();
  }
  if (answer.finishReason) return ended(answer);
  // No event at all, but text: a backend that labels its JSON error (or anything else) as a stream.
  if (!sawEvent && strayLines.length > 0) {
    const error = interpretBody(strayLines.join('\n'), 'text/event-stream with no events', answer);
    return answer.result(error ? 'error' : 'done', error);
  }
  return answer.result('error', truncated());
}

/** Applies one event; returns the result when the event ends the answer. */
function handleEvent({event, data}: ServerSentEvent, answer: Answer): ChatResult | null {
  if (event === 'error') {
    return answer.result('error', reportedError('stream', parseJson(data), data || 'The stream reported an error'));
  }
  if (data.length <= 16 && data.trim() === '[DONE]') {
    return ended(answer);
  }
  const chunk = parseJson(data);
  if (chunk === undefined) {
    // Keep-alives (`data:` with nothing) and named non-JSON events (`event: ping`) are not answers.
    if (data.trim() === '' || (event !== undefined && event !== 'message')) return null;
    return answer.result('error', chatError('stream', 'invalid_json', `The stream sent data that is not JSON: ${quote(data)}`));
  }
  const error = answer.apply(chunk);
  return error ? answer.result('error', error) : null;
}

/** The result of an answer that ended as it should: done, unless there is nothing to show. */
function ended(answer: Answer): ChatResult {
  const empty = answer.emptyError();
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

function truncated() {
  return chatError('stream', 'truncated', 'The stream ended before the answer was complete (no [DONE] and no finish reason)');
}
