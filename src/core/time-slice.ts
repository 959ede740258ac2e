/** How long streaming work may keep a page's thread before rendering and input get a turn. */
const SLICE_MS = 8;
/**
 * How long a slice's marker gets to fire before the slice counts as used up. Timers posted from
 * within nested timers wait 4 ms at the least, and one posted just before the marker fires first:
 * a stream paced by such timers needs about 8 ms to see its marker.
 */
const MARKER_GRACE_MS = 8;
/** Only where something renders: in Node a yield only costs time. @internal */
export const RENDERS = typeof requestAnimationFrame === 'function';
/** A hidden page throttles timers to about one a second, so a yield there waits for a message. */
const pageHidden = (): boolean => (globalThis as {document?: {hidden?: boolean}}).document?.hidden === true;

/**
 * Tells whether any other task has run since a point in time: a marker posted then is a
 * zero-delay timer, and its firing is such a task. A read that waited for the network lets
 * it through; work chained through microtasks (a flood of queued chunks, a transform that
 * computes) does not. A timer rather than a MessageChannel message: measured in Chromium, a
 * message task costs several times as much, and a steady stream posts hundreds.
 */
let tasksSeen = 0;
let markerPending = false;

function postMarker(): void {
  if (markerPending) return;
  markerPending = true;
  setTimeout(() => {
    tasksSeen++;
    markerPending = false;
  }, 0);
}

/**
 * Resolves in the next task: a message in a hidden page (which throttles timers to about one a
 * second), a zero-delay timer otherwise.
 *
 * @internal
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (!pageHidden()) return void setTimeout(resolve, 0);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Gives the event loop a turn after continuous work: 8 ms of it after a yield, at most 16 ms
 * after a steady spell. A body that arrives faster than it is read resolves every read as a
 * microtask, so without this nothing would paint, and no input would be handled, until the
 * flood is over. A steady stream, whose reads wait for the network, never yields.
 *
 * @internal
 */
export class TimeSlice {
  #start = 0;
  /** When this slice's marker was posted, and `tasksSeen` then; undefined until one is. */
  #marker: {at: number; tasks: number} | undefined;

  constructor() {
    this.#begin();
  }

  /**
   * Whether this slice is used up: it is SLICE_MS old, and no other task ran in the
   * MARKER_GRACE_MS since its marker was posted (never where nothing renders). When one did,
   * a new slice starts instead.
   */
  get due(): boolean {
    if (!RENDERS) return false;
    const now = performance.now();
    if (now - this.#start <= SLICE_MS) return false;
    if (!this.#marker) {
      this.#arm(now);
      return false;
    }
    if (tasksSeen === this.#marker.tasks) return now - this.#marker.at > MARKER_GRACE_MS;
    // A new slice, whose marker waits until it is SLICE_MS old: a steady stream then posts
    // one marker every few reads rather than one per read.
    this.#start = now;
    this.#marker = undefined;
    return false;
  }

  /** Waits for the next task, then starts a new slice. */
  async yield(): Promise<void> {
    await nextTask();
    this.#begin();
  }

  #begin(): void {
    this.#start = performance.now();
    this.#arm(this.#start);
  }

  #arm(now: number): void {
    if (!RENDERS) return;
    this.#marker = {at: now, tasks: tasksSeen};
    postMarker();
  }
}
