/** How close to the bottom (px) still counts as reading the newest text. */
const FOLLOW_THRESHOLD = 32;

/**
 * Keeps the conversation scrolled to the newest text, unless the reader has scrolled up: whenever
 * a page of messages grows or comes (seen by a `ResizeObserver` after the browser's own layout,
 * rather than by forcing one after each render). The observer is made on first use.
 *
 * @internal
 */
export class FollowNewest {
  readonly #log: () => HTMLElement | null;
  #following = true;
  /** Where the log was scrolled to at the last scroll event, or by the last scroll to the end. */
  #top = 0;
  #growth: ResizeObserver | undefined;
  readonly #observed = new Set<Element>();

  constructor(log: () => HTMLElement | null) {
    this.#log = log;
  }

  /** Follows `element` as it grows (and stops following the ones that left the page). */
  observe(element: Element): void {
    if (this.#observed.has(element)) return;
    this.#growth ??= new ResizeObserver(() => this.#scroll());
    for (const gone of this.#observed) if (!gone.isConnected) this.#observed.delete(gone), this.#growth.unobserve(gone);
    this.#observed.add(element);
    this.#growth.observe(element);
  }

  /** The log's scroll listener: scrolling up stops following, scrolling back to the end resumes. */
  readonly onScroll = (event: Event): void => {
    this.#check(event.target as HTMLElement);
  };

  /** Stops following until the reader scrolls back to the end or sends (focus went to something above). */
  pause(): void {
    this.#following = false;
  }

  /** Follows again: a new question was sent. */
  resume(): void {
    this.#following = true;
  }

  #scroll(): void {
    const log = this.#following && this.#log();
    // A scroll up whose event has not come yet stops following too.
    if (!log || !this.#check(log)) return;
    log.scrollTop = log.scrollHeight;
    this.#top = log.scrollTop;
  }

  /**
   * Whether the log still follows: it is near its end, or it followed and was not scrolled up.
   * Only the reader scrolls up: the log scrolled to the end, content that grew before that, and
   * the browser keeping the view in place as messages are added above all leave it where it was or lower.
   */
  #check(log: HTMLElement): boolean {
    const top = log.scrollTop;
    const up = top < this.#top;
    this.#top = top;
    this.#following = log.scrollHeight - top - log.clientHeight < FOLLOW_THRESHOLD || (this.#following && !up);
    return this.#following;
  }
}
