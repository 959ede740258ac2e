import {html, noChange, type ReactiveController, type ReactiveControllerHost, type TemplateResult} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import type {ChatSessionMessage} from './core/index.js';
import {rendered} from './rendered.js';

/**
 * Messages are grouped in pages of this many: a render passes over the pages whose messages
 * changed, a layout over the pages rather than every message, and a page off screen is skipped
 * (`content-visibility: auto`) however many messages it holds.
 */
const PAGE_SIZE = 16;
/** A conversation shown anew renders its newest messages at once: at least these many… */
const FIRST_MESSAGES = 2;
/** …and more while they hold less text than this and are fewer than FIRST_MOST: about a screen. */
const FIRST_TEXT = 2048;
const FIRST_MOST = 8;
/** How long rendering one slice of older messages should take: well under a frame, so that scrolling and typing stay smooth. */
const SLICE_MS = 8;
/** The first slice's size, in messages; later ones are sized from the time the last one took, growing by half at the most. */
const FIRST_SLICE = 4;
const MOST_SLICE = 64;

/** How {@link MessageList} renders the messages. @internal */
export interface MessageListOptions {
  /** A message's template; `bind` goes on the container of its text. */
  template(message: ChatSessionMessage, index: number, bind: ReturnType<typeof rendered>): TemplateResult;
  /** A message's text container was rendered (anew, or for a message that changed). */
  rendered(message: ChatSessionMessage, container: HTMLElement): void;
  /** A page of messages was rendered. */
  page(element: HTMLElement): void;
}

/** What a render shows besides the messages themselves. @internal */
export interface MessageListState {
  /** What every message's template shows (strings, actions…): a change to any renders them all anew. */
  shared: readonly unknown[];
  /**
   * What the few messages whose template shows more than the message itself show, by index (the
   * last one, the last question and its editor…): a message is rendered anew when its mark changed,
   * and each time when its mark is a new object.
   */
  marks: ReadonlyMap<number, unknown>;
}

/** What marks a message of the list (see MessageListState): the wait to retry, the last question and its editor. */
export interface ListMarks {
  retrying: {messageId: string} | null;
  lastQuestion: number;
  /** The id of the message in the inline editor, if any. */
  editing: string | null;
}

/** The messages whose template shows more than the message itself (see MessageListState). @internal */
export function listMarks(messages: readonly ChatSessionMessage[], {retrying, lastQuestion, editing}: ListMarks): Map<number, unknown> {
  const marks = new Map<number, unknown>();
  if (retrying) marks.set(messages.findIndex((message) => message.id === retrying.messageId), retrying);
  if (lastQuestion >= 0) marks.set(lastQuestion, editing === messages[lastQuestion]!.id ? 'editing' : 'question');
  // An answer streaming changes in place (its text, its server calls); the last message shows
  // Regenerate, and Retry while the browser is online: they are rendered anew each time.
  messages.forEach((message, index) => message.status === 'streaming' && marks.set(index, {}));
  marks.set(messages.length - 1, {});
  return marks;
}

/** A render of the list: what the next one compares with. */
interface ListRender extends MessageListState {
  messages: readonly ChatSessionMessage[];
  /** Each page's first and last index (exclusive), by its key. */
  pages: Map<number, readonly [number, number]>;
}

/**
 * Renders the log's messages so that their number costs little: each message keyed by its id
 * and rendered again only when it or what it shows changed, so appending one leaves the others'
 * nodes alone; in pages (PAGE_SIZE) that a render passes over without a look at their messages
 * when none changed; and a conversation shown anew (set, restored, switched) its newest messages
 * first, scrolled to, then the older ones a slice at a time in idle time, above them: the whole
 * conversation ends up in the page, without one long task.
 *
 * @internal
 */
export class MessageList implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: MessageListOptions;
  /** The index of the oldest message rendered, and its id. */
  #from = 0;
  #oldest: string | undefined;
  #last: ListRender = {messages: [], shared: [], marks: new Map(), pages: new Map()};
  #rendered: [ChatSessionMessage, HTMLElement][] = [];
  #slice = FIRST_SLICE;
  #scheduled: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, options: MessageListOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The messages from the oldest rendered one, in pages. */
  render(messages: readonly ChatSessionMessage[], {shared, marks}: MessageListState): TemplateResult {
    const last = this.#last;
    const sameShared = shared.length === last.shared.length && shared.every((value, index) => value === last.shared[index]);
    this.#from = this.#start(messages);
    this.#oldest = messages[this.#from]?.id;
    const pages = new Map<number, readonly [number, number]>();
    for (let first = this.#from - (this.#from % PAGE_SIZE); first < messages.length; first += PAGE_SIZE) {
      pages.set(first, [Math.max(first, this.#from), Math.min(first + PAGE_SIZE, messages.length)]);
    }
    this.#last = {messages, shared, marks, pages};
    // Whether the message at `index` was rendered as it is, in the page it is in: then it is left alone.
    const kept = (index: number, [start, end]: readonly [number, number] = [0, 0]) =>
      sameShared && index >= start && index < end && messages[index] === last.messages[index] && marks.get(index) === last.marks.get(index);
    return html`${repeat(
      pages.keys(),
      (first) => first,
      (first) => {
        const [start, end] = pages.get(first)!;
        const before = last.pages.get(first);
        // A page rendered as it is: not even its messages are looked at.
        if (before?.[0] === start && before[1] === end && allKept(start, end, (index) => kept(index, before))) return noChange;
        return html`<div class="messages" ${rendered(this.#options.page)}>
          ${repeat(
            range(start, end),
            (index) => messages[index]!.id,
            (index) => (kept(index, before) ? noChange : this.#message(messages[index]!, index)),
          )}
        </div>`;
      },
    )}`;
  }

  hostUpdated(): void {
    const rendered = this.#rendered;
    this.#rendered = [];
    for (const [message, container] of rendered) this.#options.rendered(message, container);
    if (this.#from > 0) this.#schedule();
  }

  hostDisconnected(): void {
    this.#scheduled?.();
    this.#scheduled = undefined;
  }

  /**
   * Where rendering starts: at the oldest message rendered so far; for a conversation shown anew,
   * at its first message when it is short, else nowhere yet: its newest messages are rendered in
   * a task of their own, apart from the one that set or read the conversation.
   */
  #start(messages: readonly ChatSessionMessage[]): number {
    if (this.#oldest !== undefined) {
      if (messages[this.#from]?.id === this.#oldest) return this.#from;
      const index = messages.findIndex((message) => message.id === this.#oldest);
      if (index >= 0) return index;
    }
    return newest(messages) === 0 ? 0 : messages.length;
  }

  #message(message: ChatSessionMessage, index: number): TemplateResult {
    return this.#options.template(message, index, rendered((container) => this.#rendered.push([message, container])));
  }

  /** Renders the newest messages of a conversation shown anew in the next task, or the next slice of older ones once the page is idle. */
  #schedule(): void {
    if (this.#scheduled) return;
    const grow = () => {
      this.#scheduled = undefined;
      void this.#grow();
    };
    if (this.#oldest !== undefined && typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(grow, {timeout: 100});
      this.#scheduled = () => cancelIdleCallback(handle);
    } else {
      const handle = setTimeout(grow, 0);
      this.#scheduled = () => clearTimeout(handle);
    }
  }

  /** Renders the newest messages, or a slice of the older ones sized so that it takes about SLICE_MS. */
  async #grow(): Promise<void> {
    const first = this.#oldest === undefined;
    const started = performance.now();
    this.#from = first ? newest(this.#last.messages) : Math.max(0, this.#from - this.#slice);
    this.#oldest = this.#last.messages[this.#from]?.id;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    if (first) return;
    const spent = Math.max(1, performance.now() - started);
    this.#slice = Math.max(1, Math.min(MOST_SLICE, Math.ceil(this.#slice * 1.5), Math.round((this.#slice * SLICE_MS) / spent)));
  }
}

/** Whether `kept` holds for every index from `start` to `end` (exclusive): a loop, for a check made on every render. */
function allKept(start: number, end: number, kept: (index: number) => boolean): boolean {
  for (let index = start; index < end; index++) if (!kept(index)) return false;
  return true;
}

/** The indexes from `start` to `end` (exclusive). */
function range(start: number, end: number): number[] {
  return Array.from({length: end - start}, (_, offset) => start + offset);
}

/** The index of the oldest of a conversation's newest messages, those rendered first: about a screen of them. */
function newest(messages: readonly ChatSessionMessage[]): number {
  let index = messages.length;
  let text = 0;
  while (index > 0 && (messages.length - index < FIRST_MESSAGES || (text < FIRST_TEXT && messages.length - index < FIRST_MOST))) text += messages[--index]!.content.length;
  return index;
}
