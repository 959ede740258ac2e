/** How long streaming work may keep a page's thread before rendering and input get a turn. */
const SLICE_MS = 8;
/** An await that took longer than this waited for the network: other tasks had their turn. */
const WAITED_MS = 1;
/** Only where something renders: in Node a yield only costs time. */
const RENDERS = typeof requestAnimationFrame === 'function';

/**
 * Gives the event loop a turn after SLICE_MS of continuous work. A body that arrives faster
 * than it is read resolves every read as a microtask, so without this nothing would paint,
 * and no input would be handled, until the flood is over. A steady stream waits between
 * reads and never yields.
 *
 * @internal
 */
export class TimeSlice {
  #start = performance.now();

  /** Whether this slice is used up (never where nothing renders). */
  get due(): boolean {
    return RENDERS && performance.now() - this.#start > SLICE_MS;
  }

  /** Marks an await that began at `since` as over: if it waited, a new slice starts. */
  resumed(since: number): void {
    if (!RENDERS) return;
    const now = performance.now();
    if (now - since > WAITED_MS) this.#start = now;
  }

  /** Waits for the next task, then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#start = performance.now();
  }
}
