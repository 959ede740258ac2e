import {Answer, type AnswerResult} from './answer.js';
import {AnswerReader, truncated, type BrokenBody} from './answer-reader.js';
import {retryableStatus, retryDelay} from './backoff.js';
import {clockOf, unlessAborted, wait, type Clock} from './clock.js';
import {Connection} from './connection.js';
import {chatError, describeFailure} from './errors.js';
import {formatFor, plainBodyOf, selectFormat} from './formats/index.js';
import {NetworkTiming} from './network-timing.js';
import {offline} from './page-lifecycle.js';
import {authorise, networkSettings, prepareRequest, withHeader, type NetworkSettings, type PreparedRequest} from './request.js';
import {httpError, mediaType, readNonStreamResponse} from './response.js';
import {nextTask, RENDERS} from './time-slice.js';
import {refreshToken} from './token-refresh.js';
import type {ChatError, ChatResult, StreamChatOptions} from './types.js';
import type {ChatFormat} from './format.js';

/** How long to wait before resuming a broken answer when the stream set no `retry`. */
const RESUME_DELAY = 250;
/** A longer `retry` (EventSource servers often ask for 30 s) is no wait mid-answer: this is. */
const MAX_RESUME_DELAY = 5000;
/**
 * A body longer than this (a long conversation) goes to `fetch` as a Blob, in a task of its own:
 * handing a string to the network copies it in the task that calls `fetch` (20–70 ms a megabyte
 * in Chromium), which would otherwise add to the task that sent the question and drew it.
 */
const LARGE_BODY = 64 * 1024;

/**
 * POSTs a chat request and reads the streamed answer, in the wire format `format` names (by
 * default the one the response shows: OpenAI-compatible Server-Sent Events, NDJSON, plain text).
 *
 * It copes with the network as a reader would want: a request that fails before its answer
 * begins is sent again (`retries`), a stall ends it (`firstByteTimeout`, `idleTimeout`), a 401
 * gets one new token (`getToken`), and an answer whose connection breaks is resumed where the
 * server allows it (`resumeAttempts`, `Last-Event-ID`). `timing` says how it went.
 *
 * It resolves with what happened for anything the server or the network does, and never
 * rejects for those: `text` always holds what arrived, also when the request failed or was
 * aborted. It rejects only for a programming error (no `url`, a `body` that cannot be
 * serialised, invalid `headers`, a negative `retries`), or with the error `onUpdate` throws.
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
  const settings = networkSettings(options);
  const clock = clockOf(options.timers);
  const timing = new NetworkTiming(clock);
  const exchange = new Exchange(options, request, settings, clock, timing);
  const result = await exchange.run();
  return {...result, timing: timing.snapshot(), buffered: timing.buffered(exchange.reader?.events ?? 0)};
}

/** A failure before the answer began, which may be asked again. */
interface EarlyFailure {
  error: ChatError;
  retryAfter?: string | null;
  unauthorized?: boolean;
}

/** One call of `streamChat`: its attempts, and the resumes of its answer. */
class Exchange {
  readonly answer: Answer;
  reader: AnswerReader | null = null;
  readonly #chosen: ChatFormat | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(
    readonly options: StreamChatOptions,
    readonly request: PreparedRequest,
    readonly settings: NetworkSettings,
    readonly clock: Clock,
    readonly timing: NetworkTiming,
  ) {
    this.answer = new Answer({onUpdate: options.onUpdate, now: clock.now, thinkTags: options.thinkTags ?? true});
    this.#chosen = selectFormat(options);
    this.#signal = options.signal;
  }

  async run(): Promise<AnswerResult> {
    const {options, answer} = this;
    if (this.#signal?.aborted) return answer.result('aborted');
    let token = options.token;
    if (token === undefined && options.getToken) {
      const got = await this.#token(() => options.getToken!());
      if (got !== null && typeof got === 'object') return got;
      token = got;
    }
    let init = authorise(this.request, token);
    if (!init) return answer.result('login-required');
    if (offline()) return answer.result('error', offlineError());
    if (RENDERS && typeof init.body === 'string' && init.body.length > LARGE_BODY) {
      await nextTask();
      if (this.#signal?.aborted) return answer.result('aborted');
      // As a Blob, fetch hands the body to the network without copying the string in its own task.
      init = {...init, body: new Blob([init.body])};
    }
    const {retries} = this.settings;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(init);
      if (this.#signal?.aborted) return answer.result('aborted');
      if ('status' in outcome) return outcome;
      if (outcome.unauthorized) {
        if (refreshed || !options.getToken) return answer.result('login-required', outcome.error);
        // One new token after a 401, shared with the requests that met it with the same token.
        refreshed = true;
        const stale = token;
        const got = await this.#token(() => refreshToken(options.getToken!, stale));
        if (got !== null && typeof got === 'object') return got;
        init = authorise(this.request, (token = got));
        if (!init) return answer.result('login-required', outcome.error);
        attempt--;
        continue;
      }
      if (offline()) return answer.result('error', offlineError());
      const delay = attempt <= retries ? retryDelay(attempt, outcome.retryAfter ?? null, this.clock.random) : null;
      if (delay === null) return answer.result('error', outcome.error);
      options.onRetry?.({resume: false, attempt, attempts: retries, delay, error: outcome.error});
      await wait(delay, this.clock, this.#signal);
      if (this.#signal?.aborted) return answer.result('aborted');
      this.timing.retries++;
    }
  }

  /** A token from `get`, or the result when it failed or the caller aborted meanwhile. */
  async #token(get: () => unknown): Promise<string | null | AnswerResult> {
    try {
      const token = await unlessAborted(get(), this.#signal);
      if (this.#signal?.aborted) return this.answer.result('aborted');
      return typeof token === 'string' ? token : null;
    } catch (error) {
      if (this.#signal?.aborted) return this.answer.result('aborted');
      return this.answer.result('error', chatError('network', 'token_failed', `getToken() failed: ${describeFailure(error)}`));
    }
  }

  /** Sends the request once: the result, or the failure before the answer began. */
  async #attempt(init: RequestInit): Promise<AnswerResult | EarlyFailure> {
    const connection = this.#connect();
    try {
      let response: Response;
      try {
        response = await connection.fetch(this.request, init);
      } catch (error) {
        return {error: connection.failure(error)};
      }
      if (!response.ok) {
        // An error's body is no answer: it is watched, not measured.
        const error = await httpError(response, connection.body(response, false), connection.signal);
        if (response.status === 401) return {error, unauthorized: true};
        return retryableStatus(response.status) ? {error, retryAfter: response.headers.get('retry-after')} : this.answer.result('error', error);
      }
      return await this.#read(response, connection, init);
    } finally {
      connection.close();
    }
  }

  /** Reads a 2xx response: the answer whole, or streamed and, when it breaks, resumed. */
  async #read(response: Response, connection: Connection, init: RequestInit): Promise<AnswerResult | EarlyFailure> {
    const {answer} = this;
    const type = mediaType(response);
    const format = formatFor(this.#chosen, response.headers, type);
    answer.format = format.name;
    const stream = type === 'text/event-stream';
    const plain = plainBodyOf(format, type);
    const body = connection.body(response);
    if (!stream && plain === 'json') {
      const error = await readNonStreamResponse(body, type, answer, format, connection.signal);
      if (error && connection.bytes === 0 && error.code === 'connection_lost') return {error: connection.failure(error.message)};
      if (error && connection.timedOut) return answer.result('error', connection.timeout());
      return answer.result(error ? 'error' : 'done', error);
    }
    if (!body) return answer.result('error', truncated());
    const reader = (this.reader = new AnswerReader(answer, format, this.#signal));
    const outcome = await reader.read(reader.batches(body, stream, plain, connection.signal));
    if ('status' in outcome) return outcome;
    if (this.#signal?.aborted) return answer.result('aborted');
    // Nothing of the answer arrived: as if the request had failed, it may be sent again.
    if (connection.bytes === 0 && (outcome.lost || connection.timedOut)) return {error: connection.failure(outcome.error.message)};
    if (connection.timedOut) return answer.result('error', connection.timeout());
    return this.#resume(outcome, init, reader, stream);
  }

  /**
   * Resumes an answer whose body ended before it did: the same request with `Last-Event-ID`,
   * whose response continues the answer only when it echoes that ID. A break after new events is
   * a new break, with its own attempts.
   */
  async #resume(broken: BrokenBody, init: RequestInit, reader: AnswerReader, stream: boolean): Promise<AnswerResult> {
    const {answer} = this;
    const attempts = this.settings.resumeAttempts;
    let error = broken.error;
    for (let attempt = 1; stream && reader.lastEventId && attempt <= attempts; attempt++) {
      const id = reader.lastEventId;
      let resumeInit: RequestInit;
      try {
        resumeInit = withHeader(init, 'last-event-id', id);
      } catch {
        break; // An ID no header can carry (not Latin-1).
      }
      const delay = Math.min(reader.retry ?? RESUME_DELAY, MAX_RESUME_DELAY);
      this.options.onRetry?.({resume: true, attempt, attempts, delay, error});
      await wait(delay, this.clock, this.#signal);
      if (this.#signal?.aborted) return answer.result('aborted');
      const connection = this.#connect();
      try {
        let response: Response;
        try {
          response = await connection.fetch(this.request, resumeInit);
        } catch {
          if (this.#signal?.aborted) return answer.result('aborted');
          continue;
        }
        const body = connection.body(response);
        if (!response.ok || response.headers.get('last-event-id') !== id || !body) {
          void body?.cancel().catch(() => {});
          // A fresh answer (no echo of the ID) is never appended: it would repeat the text.
          if (response.ok || !retryableStatus(response.status)) return answer.result('error', refused(error, response));
          continue;
        }
        this.timing.resumed++;
        const before = reader.lastEventId;
        const outcome = await reader.read(reader.batches(body, true, 'text', connection.signal));
        if ('status' in outcome) return outcome;
        if (this.#signal?.aborted) return answer.result('aborted');
        // A resume that never began is a failed attempt; one that stalled ends the answer.
        if (connection.timedOut && connection.bytes === 0) continue;
        if (connection.timedOut) return answer.result('error', connection.timeout());
        error = outcome.error;
        if (reader.lastEventId !== before) attempt = 0;
      } finally {
        connection.close();
      }
    }
    return answer.result('error', error);
  }

  #connect(): Connection {
    return new Connection(this.settings, this.clock, this.timing, this.#signal);
  }
}

function offlineError(): ChatError {
  return chatError('network', 'offline', 'The browser is offline: nothing was sent');
}

/** The break, with why it stays one: the server answered the resume with something else. */
function refused(error: ChatError, response: Response): ChatError {
  const answered = response.ok ? 'a new answer, not the rest of this one (no Last-Event-ID echoed)' : `HTTP ${response.status}`;
  return {...error, message: `${error.message}; resuming it failed: the server answered with ${answered}`};
}
