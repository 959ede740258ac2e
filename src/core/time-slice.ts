/** How long streaming work may keep a page's thread before rendering and input get a turn. */
const SLICE_MS = 8;
/** Only where something renders: in Node a yield only costs time. */
const RENDERS = typeof requestAnimationFrame === 'function';

/**
 * Tells whether any other task has run since a slice began: a slice posts a message to itself,
 * and its delivery is such a task. A read that waited for the network lets it through; work
 * chained through microtasks (a flood of queued chunks, a transform that computes) does not.
 */
const taskMarker = RENDERS ? new MessageChannel() : null;
let tasksSeen = 0;
let markerPosted = false;
if (taskMarker) {
  taskMarker.port1.onmessage = () => {
    tasksSeen++;
    markerPosted = false;
  };
}

function postMarker(): void {
  if (markerPosted || !taskMarker) return;
  markerPosted = true;
  taskMarker.port2.postMessage(null);
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
  #tasksAtStart = 0;

  constructor() {
    this.#restart();
  }

  /**
   * Whether this slice is used up: SLICE_MS of work without another task in between (never
   * where nothing renders). When other tasks did run, a new slice starts instead.
   */
  get due(): boolean {
    if (!RENDERS || performance.now() - this.#start <= SLICE_MS) return false;
    if (tasksSeen === this.#tasksAtStart) return true;
    this.#restart();
    return false;
  }

  /** Waits for the next task, then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#restart();
  }

  #restart(): void {
    this.#start = performance.now();
    this.#tasksAtStart = tasksSeen;
    postMarker();
  }
}
