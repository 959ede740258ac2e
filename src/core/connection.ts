import type {Clock} from './clock.js';
import {chatError, describeFailure} from './errors.js';
import type {NetworkTiming} from './network-timing.js';
import type {NetworkSettings, PreparedRequest} from './request.js';
import type {ChatError} from './types.js';

/**
 * One HTTP exchange of a request: its own abort (the caller's `signal` aborts it too), the
 * watchdogs for the first byte and for a stall mid-answer, and its body, measured as it comes.
 *
 * @internal
 */
export class Connection {
  /** Which wait ran out, when one did: the exchange was aborted for it. */
  timedOut: 'first-byte' | 'idle' | null = null;
  /** The body's bytes so far. */
  bytes = 0;
  readonly #controller = new AbortController();
  readonly #settings: NetworkSettings;
  readonly #clock: Clock;
  readonly #timing: NetworkTiming;
  readonly #caller: AbortSignal | undefined;
  /** The wait being watched, and when (on the clock's `now`) it runs out. */
  #waiting: 'first-byte' | 'idle' = 'first-byte';
  #deadline = 0;
  /** The one timer watching the deadline, and when it fires. */
  #watchdog: unknown;
  #firesAt = 0;

  constructor(settings: NetworkSettings, clock: Clock, timing: NetworkTiming, caller: AbortSignal | undefined) {
    this.#settings = settings;
    this.#clock = clock;
    this.#timing = timing;
    this.#caller = caller;
    caller?.addEventListener('abort', this.#abort, {once: true});
  }

  /** Aborted by the caller or by a watchdog: what reading this exchange's body listens to. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Sends the request; rejects as `fetch` does (also when a watchdog or the caller aborts it). */
  fetch(request: PreparedRequest, init: RequestInit): Promise<Response> {
    if (this.#caller?.aborted) this.#abort();
    this.#timing.request();
    this.#arm('first-byte', this.#settings.firstByteTimeout);
    return request.fetch(request.url, {...init, signal: this.#controller.signal});
  }

  /** The response's body, each piece of which restarts the stall watchdog and, when `measured` (an answer, not an error), counts in the timing. */
  body(response: Response, measured = true): ReadableStream<Uint8Array> | null {
    const source = response.body?.getReader();
    if (!source) return null;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const {done, value} = await source.read().catch((error: unknown) => {
            this.#disarm();
            throw error;
          });
          if (done) {
            this.#disarm();
            return controller.close();
          }
          if (value.byteLength > 0) {
            this.bytes += value.byteLength;
            if (measured) this.#timing.chunk(value.byteLength);
            this.#arm('idle', this.#settings.idleTimeout);
          }
          controller.enqueue(value);
        },
        cancel: (reason) => source.cancel(reason),
      },
      {highWaterMark: 0},
    );
  }

  /** Why the exchange failed, given what `fetch` or reading threw: a timeout, or the network. */
  failure(error: unknown): ChatError {
    return this.timedOut ? this.timeout() : chatError('network', 'fetch_failed', `The request failed: ${describeFailure(error)}`);
  }

  /** The timeout that ended the exchange. */
  timeout(): ChatError {
    const {firstByteTimeout, idleTimeout} = this.#settings;
    return this.timedOut === 'idle'
      ? chatError('network', 'timeout', `The answer stalled: no data for ${seconds(idleTimeout)} (idleTimeout)`)
      : chatError('network', 'timeout', `No answer began within ${seconds(firstByteTimeout)} (firstByteTimeout)`);
  }

  /** The exchange is over: the watchdogs stop. Its body is cancelled by whoever reads it. */
  close(): void {
    this.#disarm();
    this.#caller?.removeEventListener('abort', this.#abort);
  }

  #arm(kind: 'first-byte' | 'idle', ms: number): void {
    if (ms <= 0) return this.#disarm();
    const now = this.#clock.now();
    this.#waiting = kind;
    this.#deadline = now + ms;
    // A piece of the body only moves the deadline on: the timer set before checks it when it
    // fires, so a stream sets a timer per wait rather than one per piece.
    if (this.#watchdog === undefined || this.#firesAt > this.#deadline) this.#watch(now);
  }

  #watch(now: number): void {
    this.#disarm();
    this.#firesAt = this.#deadline;
    this.#watchdog = this.#clock.setTimeout(() => {
      this.#watchdog = undefined;
      const late = this.#clock.now();
      if (late < this.#deadline) return this.#watch(late);
      this.timedOut = this.#waiting;
      this.#controller.abort(new DOMException(`The ${this.#waiting} timeout ran out`, 'TimeoutError'));
    }, this.#deadline - now);
  }

  #disarm(): void {
    if (this.#watchdog !== undefined) this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  readonly #abort = (): void => this.#controller.abort(this.#caller?.reason);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
