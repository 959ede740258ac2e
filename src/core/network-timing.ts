import type {Clock} from './clock.js';
import type {ChatTiming} from './types.js';

/** The timing of a request that never reached the network. @internal */
export const NO_TIMING: Readonly<ChatTiming> = {firstByteMs: null, totalMs: 0, chunks: 0, longestGapMs: 0, retries: 0, resumed: 0};

/** A first byte later than this after the request, then the body in one burst: a buffering proxy. */
const BUFFERED_WAIT = 1000;
const BURST_WINDOW = 100;
const BURST_SHARE = 0.9;
/** Fewer events than this are an answer short enough to come in one piece from a slow model. */
const BURST_EVENTS = 4;

/**
 * Records how a request goes over the network: when each connection's body arrives, in how
 * many pieces, and with what gaps; what `ChatResult.timing` and `buffered` report.
 *
 * @internal
 */
export class NetworkTiming {
  retries = 0;
  resumed = 0;
  readonly #clock: Clock;
  readonly #start: number;
  #firstByte: number | null = null;
  #chunks = 0;
  #longestGap = 0;
  /** The current connection: when it was requested, and when each piece came and its size. */
  #requestedAt: number;
  #times: number[] = [];
  #sizes: number[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#start = this.#requestedAt = clock.now();
  }

  /** A connection is requested: its body is measured anew. */
  request(): void {
    this.#requestedAt = this.#clock.now();
    this.#times = [];
    this.#sizes = [];
  }

  /** A piece of the body arrived. */
  chunk(size: number): void {
    const now = this.#clock.now();
    this.#firstByte ??= now - this.#start;
    const last = this.#times.at(-1);
    if (last !== undefined) this.#longestGap = Math.max(this.#longestGap, now - last);
    this.#chunks++;
    this.#times.push(now);
    this.#sizes.push(size);
  }

  /** The timing so far. */
  snapshot(): ChatTiming {
    const round = (ms: number) => Math.round(ms);
    return {
      firstByteMs: this.#firstByte === null ? null : round(this.#firstByte),
      totalMs: round(this.#clock.now() - this.#start),
      chunks: this.#chunks,
      longestGapMs: round(this.#longestGap),
      retries: this.retries,
      resumed: this.resumed,
    };
  }

  /** Whether the last connection's body, of `events` events, came in one burst after a long wait. */
  buffered(events: number): boolean {
    const times = this.#times;
    // A resumed answer's last connection holds only its end: too little to judge by.
    if (this.resumed > 0 || events < BURST_EVENTS || times.length === 0 || times[0]! - this.#requestedAt <= BUFFERED_WAIT) return false;
    const total = this.#sizes.reduce((sum, size) => sum + size, 0);
    let most = 0;
    for (let from = 0, to = 0, inside = 0; to < times.length; to++) {
      inside += this.#sizes[to]!;
      while (times[to]! - times[from]! > BURST_WINDOW) inside -= this.#sizes[from++]!;
      most = Math.max(most, inside);
    }
    return most >= BURST_SHARE * total;
  }
}
