import {nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult} from 'lit';
import type {ChatSessionMessage, ChatUpdateDetail} from './core/index.js';
import {FrameBatchedView, type MessageViewFactory} from './message-view.js';
import {renderer} from './message-views.js';
import {rendered} from './rendered.js';
import {REASONING_DISPLAYS, hasReasoning, reasoningSection, reasoningState, type ReasoningDisplay} from './reasoning-section.js';
import {EN, fill, type ChatStrings} from './strings.js';

/** What {@link ReasoningSections} needs from its element. */
export interface ReasoningHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly messages: readonly ChatSessionMessage[];
  /** The `reasoning` attribute: one of {@link REASONING_DISPLAYS}. */
  readonly reasoning: string | null | undefined;
}

/** How {@link ReasoningSections} renders and follows the reasoning. */
export interface ReasoningSectionsOptions {
  /** The renderer of a message's text, which its reasoning shares (Markdown, plain text, or the page's own). */
  factoryFor(message: ChatSessionMessage): MessageViewFactory;
}

/** A reasoning's view in its container, and the reasoning it was given. */
interface Attached {
  readonly container: HTMLElement;
  readonly factory: MessageViewFactory;
  readonly view: FrameBatchedView;
  shown: string;
}

/** The answer whose model only thinks so far: since when (this page's clock), where its seconds show, and the timer of the next one. */
interface Thinking {
  readonly id: string;
  readonly since: number;
  time: Element | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The answers' reasoning sections: renders each (or none, with `reasoning="hidden"`), streams
 * the reasoning into its container through a frame-batched view like the answer's text, counts
 * the seconds while the model only thinks (one timer, once a second), and keeps the reader's
 * choice to open or close a section.
 *
 * @internal
 */
export class ReasoningSections implements ReactiveController {
  readonly #host: ReasoningHost;
  readonly #options: ReasoningSectionsOptions;
  /** The reader's own choice, by answer: open or closed. It outweighs the display's. */
  readonly #chosen = new Map<string, boolean>();
  readonly #views = new Map<string, Attached>();
  /** The sections' containers rendered since the last update, to bind. */
  #rendered: [ChatSessionMessage, HTMLElement][] = [];
  #thinking: Thinking | null = null;
  /** The words the sections were last rendered with, for the seconds written between renders. */
  #words: {strings: ChatStrings; locale: string} = {strings: EN, locale: 'en'};
  /** The last bad `reasoning` named in the console, so that it is named once. */
  #named: unknown;

  constructor(host: ReasoningHost, options: ReasoningSectionsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The reasoning's section for `message`, or nothing (no reasoning, or `hidden`). */
  section(message: ChatSessionMessage, {markdown, strings, locale}: {markdown: boolean; strings: ChatStrings; locale: string}): TemplateResult | typeof nothing {
    if (this.#display() === 'hidden' || !hasReasoning(message)) return nothing;
    this.#words = {strings, locale};
    const bind = rendered((container) => this.#rendered.push([message, container]));
    return reasoningSection(message, {open: this.#open(message), markdown, strings, locale, onToggle: this.#onToggle, bind});
  }

  /** Streams a session `update` into its answer's reasoning: the section shows with the first reasoning, and folds with the first text. */
  update({messageId, text, reasoning}: ChatUpdateDetail): void {
    if (this.#display() === 'hidden') return;
    const attached = this.#views.get(messageId);
    if (attached) show(attached, reasoning);
    const thinks = text === '' && reasoning.trim() !== '';
    const wasThinking = this.#thinking?.id === messageId;
    if (thinks && !wasThinking) this.#startThinking(messageId);
    else if (!thinks && wasThinking) this.#stopThinking();
    // The section comes or folds in the next render (once bound, the reasoning only streams into it).
    if (thinks !== wasThinking || (!attached && reasoning.trim() !== '')) this.#host.requestUpdate();
  }

  hostConnected(): void {
    // Back on the page (moved): the seconds go on counting.
    if (this.#thinking) this.#tick(this.#thinking);
  }

  hostDisconnected(): void {
    clearTimeout(this.#thinking?.timer);
  }

  /**
   * Binds the sections rendered to their answers' views, lets go of those no longer in the page,
   * and ends what no longer thinks. Only the sections rendered anew are looked at: a long
   * conversation costs no more per render than a short one.
   */
  hostUpdated(): void {
    const rendered = this.#rendered;
    this.#rendered = [];
    for (const [message, container] of rendered) this.#bind(message, container);
    for (const [id, attached] of this.#views) {
      if (attached.container.isConnected) continue;
      attached.view.end();
      this.#views.delete(id);
    }
    const thinking = this.#thinking;
    if (!thinking) return;
    const message = this.#host.messages.findLast((entry) => entry.id === thinking.id);
    if (!message || reasoningState(message) !== 'thinking') return this.#stopThinking();
    thinking.time = this.#views.get(thinking.id)?.container.parentElement?.querySelector('.thinking-time') ?? null;
    this.#writeTime(thinking);
  }

  /** Whether `message`'s section is open: as the reader left it, else open with `open`, while the model only thinks, and after it was cut short meanwhile (what it kept of its thinking is all there is). */
  #open(message: ChatSessionMessage): boolean {
    return this.#chosen.get(message.id) ?? (this.#display() === 'open' || reasoningState(message) !== 'done');
  }

  /** A section opened or closed: by the reader when it differs from what the element set. */
  readonly #onToggle = (event: Event): void => {
    const section = event.currentTarget as HTMLDetailsElement;
    const id = section.closest<HTMLElement>('[data-id]')?.dataset.id;
    const message = this.#host.messages.find((entry) => entry.id === id);
    if (!message || section.open === this.#open(message)) return;
    this.#chosen.set(message.id, section.open);
    this.#host.requestUpdate();
  };

  #display(): ReasoningDisplay {
    const value = this.#host.reasoning;
    if ((REASONING_DISPLAYS as readonly unknown[]).includes(value)) return value as ReasoningDisplay;
    if (value && value !== this.#named) {
      this.#named = value;
      console.error(`chat-stream: \`reasoning\` must be "collapsed", "open" or "hidden" (got ${JSON.stringify(value)}); "collapsed" applies`);
    }
    return 'collapsed';
  }

  /** A view for `message`'s reasoning in `container` (anew when the container or the renderer changed); an answer that ended shows its whole reasoning. */
  #bind(message: ChatSessionMessage, container: HTMLElement): void {
    const factory = this.#options.factoryFor(message);
    const reasoning = message.reasoning ?? '';
    let attached = this.#views.get(message.id);
    if (attached?.container !== container || attached.factory !== factory) {
      // The old view draws what it holds first, so none of its frames lands after the new one's.
      attached?.view.end();
      attached = {container, factory, view: new FrameBatchedView(renderer(factory, container), () => {}), shown: reasoning};
      attached.view.replace(reasoning);
      this.#views.set(message.id, attached);
    }
    if (message.status === 'streaming') return;
    show(attached, reasoning);
    attached.view.end();
  }

  #startThinking(id: string): void {
    this.#stopThinking();
    const thinking: Thinking = {id, since: performance.now(), time: null, timer: undefined};
    this.#thinking = thinking;
    this.#tick(thinking);
  }

  #stopThinking(): void {
    clearTimeout(this.#thinking?.timer);
    this.#thinking = null;
  }

  /** Writes the seconds, and again when the next one begins: once a second, whatever streams. A timer that fires early writes nothing new and waits out the rest. */
  #tick(thinking: Thinking): void {
    clearTimeout(thinking.timer);
    const elapsed = performance.now() - thinking.since;
    this.#writeTime(thinking, elapsed);
    thinking.timer = setTimeout(() => this.#tick(thinking), 1000 - (elapsed % 1000));
  }

  #writeTime(thinking: Thinking, elapsed = performance.now() - thinking.since): void {
    if (!thinking.time) return;
    const seconds = Math.floor(elapsed / 1000);
    const text = seconds < 1 ? '' : fill(this.#words.strings.thinkingTime, {seconds}, this.#words.locale);
    if (thinking.time.textContent !== text) thinking.time.textContent = text;
  }
}

/** Gives a view the reasoning as it is now: what was added to what it shows, or all of it anew (a backend's correction). */
function show(attached: Attached, reasoning: string): void {
  if (reasoning === attached.shown) return;
  if (reasoning.startsWith(attached.shown)) attached.view.append(reasoning.slice(attached.shown.length));
  else attached.view.replace(reasoning);
  attached.shown = reasoning;
}
