import {pageHidden, pageShown} from './page-lifecycle.js';
import type {ChatTimers} from './types.js';

/** The clock a request waits by: the global timers, or the ones a test injects. @internal */
export type Clock = Required<ChatTimers>;

/** `timers` with the global clock behind each member left out. @internal */
export function clockOf(timers: ChatTimers = {}): Clock {
  return {
    now: timers.now ?? (() => globalThis.performance?.now() ?? Date.now()),
    setTimeout: timers.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms)),
    clearTimeout: timers.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle)),
    random: timers.random ?? Math.random,
  };
}

/**
 * Waits `ms` on `clock`, then, while the page is hidden, until it shows again: a background tab
 * or a phone's other app sends nothing. Resolves early when `signal` aborts.
 *
 * @internal
 */
export function wait(ms: number, clock: Clock, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, {once: true});
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      void (pageHidden() ? pageShown(signal) : Promise.resolve()).then(resolve);
    }, ms);
  });
}

/** `promise`, or a rejection with the signal's reason once `signal` aborts: a `getToken` or a tool that ignores the signal is not waited for. @internal */
export function unlessAborted<T>(promise: PromiseLike<T> | T, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(promise);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, {once: true});
    Promise.resolve(promise).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
