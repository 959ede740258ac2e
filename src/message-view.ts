/**
 * Renders one message's text into its container while it streams: the seam where a
 * Markdown renderer plugs in. Implementations must insert text as text, never as HTML.
 */
export interface MessageView {
  /** Adds streamed text at the end. */
  append(delta: string): void;
  /** Shows `text` instead of everything so far. */
  replace(text: string): void;
  /** The text is complete (done, stopped or failed): render what was held back as unfinished. */
  end?(): void;
}

/** Makes the view for one message's container. */
export type MessageViewFactory = (container: HTMLElement) => MessageView;

// Appending to one ever-growing text node copies it on every chunk; capped nodes keep each
// append proportional to the chunk.
const TEXT_NODE_LIMIT = 4096;

/** Plain text: line breaks kept (by the container's `white-space: pre-wrap`), no markup. */
export const plainTextView: MessageViewFactory = (container) => {
  let last: Text | null = null;
  const append = (delta: string) => {
    if (delta === '') return;
    if (last && last.length < TEXT_NODE_LIMIT) {
      last.appendData(delta);
    } else {
      last = document.createTextNode(delta);
      container.append(last);
    }
  };
  return {
    append,
    replace(text) {
      container.replaceChildren();
      last = null;
      append(text);
    },
  };
};

/**
 * The least time between two renders of a streaming answer after the first. A steady stream
 * then costs about 10 layouts and paints a second instead of 60, and still reads as smooth
 * (models send a few tokens per render). Measured at 200 chunks a second, 100 ms costs about
 * 15% less main-thread time than 80 ms, and 120 ms no less than 100 ms.
 */
const RENDER_INTERVAL_MS = 100;
/**
 * What one frame's render may spend in the view, in script: the text a frame renders is sized
 * from what the last render cost per character, so that a flood is drawn in as few frames as
 * keep each under a long task's 50 ms with its style, layout and paint (each frame costs style,
 * layout and paint whatever it draws: at 20,000 chunks, 4 KB a frame took 36 frames).
 */
const FRAME_BUDGET_MS = 8;
/** The first frame renders at most this much (its code may not be compiled yet, and it also lays out the question just sent); no frame renders less. */
const MIN_FRAME_TEXT = 1024;
/** No frame renders more, however cheap the text was. */
const MAX_FRAME_TEXT = 32768;
/** A render shorter than this says too little about the cost per character to size the next frame by. */
const MEASURED_TEXT = 256;

/**
 * Batches a view's appends to animation frames: many chunks cost one DOM update and one
 * layout. The first text renders in the next frame; later ones at most every
 * RENDER_INTERVAL_MS. `flush()` applies what is pending at once.
 *
 * @internal
 */
export class FrameBatchedView implements MessageView {
  readonly #view: MessageView;
  readonly #afterRender: () => void;
  #pending: string[] = [];
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #renderedAt = -Infinity;
  #ended = false;
  /** What the last measured render cost per character, in ms (0 when too quick for the clock); undefined until one was measured. */
  #costPerChar: number | undefined;

  constructor(view: MessageView, afterRender: () => void) {
    this.#view = view;
    this.#afterRender = afterRender;
  }

  append(delta: string): void {
    if (delta === '') return;
    this.#pending.push(delta);
    if (this.#frame || this.#timer !== undefined) return;
    // Wait out the interval with a timer, not with empty frames: an idle frame costs too.
    const wait = this.#renderedAt + RENDER_INTERVAL_MS - performance.now();
    if (wait <= 0) return this.#nextFrame();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#nextFrame();
    }, wait);
  }

  replace(text: string): void {
    this.#pending = [];
    this.#ended = false;
    guard(() => this.#view.replace(text));
    this.#afterRender();
  }

  end(): void {
    this.flush();
    if (this.#ended) return;
    this.#ended = true;
    guard(() => this.#view.end?.());
  }

  /** Renders what is pending a frame's worth at a time, then ends: a flood's tail is no long task either. */
  async drain(): Promise<void> {
    // A hidden page runs no animation frames: draw the rest at once rather than wait for it.
    while (this.#pending.length > 0 && !document.hidden) {
      this.#cancelScheduled();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      this.flush(this.#frameText());
    }
    this.end();
  }

  /** Renders what is pending, or with `limit` at most that much text (the rest waits for the next frame). */
  flush(limit = Infinity): void {
    this.#cancelScheduled();
    if (this.#pending.length === 0) return;
    let text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    if (text.length > limit) {
      // Never cut between the two halves of a surrogate pair (an emoji).
      const cut = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
      this.#pending.push(text.slice(cut));
      text = text.slice(0, cut);
      this.#nextFrame();
    }
    const start = performance.now();
    guard(() => this.#view.append(text));
    this.#renderedAt = performance.now();
    if (text.length >= MEASURED_TEXT) this.#costPerChar = (this.#renderedAt - start) / text.length;
    this.#afterRender();
  }

  #cancelScheduled(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = undefined;
  }

  #nextFrame(): void {
    this.#frame = requestAnimationFrame(() => this.flush(this.#frameText()));
  }

  /** How much text the next frame renders: FRAME_BUDGET_MS's worth at the last render's cost. */
  #frameText(): number {
    if (this.#costPerChar === undefined) return MIN_FRAME_TEXT;
    return Math.min(MAX_FRAME_TEXT, Math.max(MIN_FRAME_TEXT, Math.round(FRAME_BUDGET_MS / this.#costPerChar)));
  }
}

/**
 * Runs a renderer step so that a renderer's bug never breaks the page or the request: the
 * answer's text stays in the conversation and the result, and the error goes to the console.
 */
function guard(render: () => void): void {
  try {
    render();
  } catch (error) {
    console.error('chat-stream: rendering failed', error);
  }
}
