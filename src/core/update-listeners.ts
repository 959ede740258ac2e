import type {ChatUpdateDetail} from './session-types.js';

/**
 * Who hears a session's `update`, which fires per chunk: its views, called directly, and the
 * `update` listeners added to it, by listener and capture flag as `EventTarget` keeps them. The
 * event itself is made only while one of those may listen: a flood of chunks then costs a
 * view a function call each, not an event.
 *
 * @internal
 */
export class UpdateListeners {
  readonly views = new Set<(detail: ChatUpdateDetail) => void>();
  readonly #listeners = new Map<unknown, Set<boolean>>();

  /** Whether an `update` listener may be there (one added with `once` or a `signal` may have gone). */
  get heard(): boolean {
    return this.#listeners.size > 0;
  }

  added(listener: unknown, options: boolean | EventListenerOptions | undefined): void {
    if (!listener) return;
    const captures = this.#listeners.get(listener) ?? new Set<boolean>();
    this.#listeners.set(listener, captures.add(capture(options)));
  }

  removed(listener: unknown, options: boolean | EventListenerOptions | undefined): void {
    const captures = this.#listeners.get(listener);
    if (captures?.delete(capture(options)) && captures.size === 0) this.#listeners.delete(listener);
  }
}

function capture(options: boolean | EventListenerOptions | undefined): boolean {
  return typeof options === 'boolean' ? options : options?.capture === true;
}
