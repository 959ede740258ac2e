import type {ReactiveController, ReactiveControllerHost} from 'lit';

/** How close to the bottom (px) still counts as reading the newest text. */
const FOLLOW_THRESHOLD = 32;

/**
 * Keeps the conversation scrolled to the newest text, unless the reader has scrolled up: after
 * each render, and whenever a message grows (seen by a `ResizeObserver` after the browser's own
 * layout, rather than by forcing one). The observer is made on first use.
 *
 * @internal
 */
export class FollowNewest implements ReactiveController {
  readonly #log: () => HTMLElement | null;
  #following = true;
  #growth: ResizeObserver | undefined;

  constructor(host: ReactiveControllerHost, log: () => HTMLElement | null) {
    this.#log = log;
    host.addController(this);
  }

  /** Follows `container` as it grows. */
  observe(container: HTMLElement): void {
    (this.#growth ??= new ResizeObserver(() => this.#scroll())).observe(container);
  }

  /** The log's scroll listener: scrolling up stops following, scrolling back to the end resumes. */
  readonly onScroll = (event: Event): void => {
    const log = event.target as HTMLElement;
    this.#following = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD;
  };

  /** Stops following until the reader scrolls back to the end or sends (focus went to something above). */
  pause(): void {
    this.#following = false;
  }

  /** Follows again: a new question was sent. */
  resume(): void {
    this.#following = true;
  }

  hostUpdated(): void {
    this.#scroll();
  }

  #scroll(): void {
    const log = this.#following && this.#log();
    if (log) log.scrollTop = log.scrollHeight;
  }
}
