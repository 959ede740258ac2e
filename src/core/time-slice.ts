/** How long streaming work may keep a page's thread before rendering and input get a turn. */
const SLICE_MS = 8;
/** Only where something renders: in Node a yield only costs time. */
const RENDERS = typeof requestAnimationFrame === 'function';
/** A hidden page neither renders nor takes input, and throttles the timers a yield waits for. */
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
 * Gives the event loop a turn after SLICE_MS of continuous work. A body that arrives faster
 * than it is read resolves every read as a microtask, so without this nothing would paint,
 * and no input would be handled, until the flood is over. A steady stream, whose reads wait
 * for the network, never yields.
 *
 * @internal
 */
export class TimeSlice {
  #start = 0;
  /** `tasksSeen` when this slice's marker was posted; undefined until one is. */
  #tasksAtMarker: number | undefined;

  constructor() {
    this.#begin();
  }

  /**
   * Whether this slice is used up: SLICE_MS of work without another task in between (never
   * where nothing renders). When other tasks did run, a new slice starts instead.
   */
  get due(): boolean {
    if (!RENDERS || performance.now() - this.#start <= SLICE_MS || pageHidden()) return false;
    if (this.#tasksAtMarker === undefined) {
      this.#arm();
      return false;
    }
    if (tasksSeen === this.#tasksAtMarker) return true;
    // A new slice, whose marker waits until it is SLICE_MS old: a steady stream then posts
    // one marker every few reads rather than one per read.
    this.#start = performance.now();
    this.#tasksAtMarker = undefined;
    return false;
  }

  /** Waits for the next task, then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#begin();
  }

  #begin(): void {
    this.#start = performance.now();
    this.#arm();
  }

  #arm(): void {
    if (!RENDERS) return;
    this.#tasksAtMarker = tasksSeen;
    postMarker();
  }
}
