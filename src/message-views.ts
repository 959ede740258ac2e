import type {ChatSessionMessage, ChatSessionToolCall, ChatUpdateDetail} from './core/index.js';
import type {Highlighter} from './markdown/blocks.js';
import type {MathRenderer} from './markdown/math.js';
import type {CopyLabels} from './markdown/inline.js';
import {markdownView} from './markdown/markdown-view.js';
import {FrameBatchedView, plainTextView, type MessageView, type MessageViewFactory} from './message-view.js';

/** What {@link MessageViews} needs from its element. */
export interface MessageViewsHost {
  /** The renderer for a message (Markdown, plain text, or the page's own). */
  factoryFor(message: ChatSessionMessage): MessageViewFactory;
  /** Fires the element's `update`: once per render of the streaming answer. */
  report(detail: ChatUpdateDetail): void;
}

/** The answer streaming into the view, and what it has not reported yet. */
interface Live {
  readonly id: string;
  text: string;
  reasoning: string;
  reportedReasoning: string;
  unreported: string[];
  /** The server calls as the last session update gave them, until an `update` reports them. */
  toolCalls?: ChatSessionToolCall[] | undefined;
  frame: number;
}

/** An answer that has ended and is still being drawn: its event waits until it is on screen. */
interface Settling {
  readonly id: string;
  readonly fire: () => void;
}

/**
 * The views of one element's messages: binds each message (by id) to the container Lit
 * rendered for it, streams an answer's deltas into its view batched to frames, fires `update`
 * once per render, and holds an ended answer's event until its text is drawn.
 *
 * @internal
 */
export class MessageViews {
  readonly #host: MessageViewsHost;
  /** Each message's view, with the text it shows (kept in step as an answer streams). */
  readonly #views = new Map<string, {container: HTMLElement; factory: MessageViewFactory; view: FrameBatchedView; content: string}>();
  #live: Live | null = null;
  #settling: Settling | null = null;
  /** The conversation whose gone messages were last forgotten. */
  #kept: readonly ChatSessionMessage[] = [];
  /** Resolves once the last ended answer is drawn and its event fired. */
  drawn: Promise<void> = Promise.resolve();

  constructor(host: MessageViewsHost) {
    this.#host = host;
  }

  /** Whether an ended answer is still being drawn. */
  get settling(): boolean {
    return this.#settling !== null;
  }

  /**
   * Binds a message to the container Lit rendered for it, and renders it anew when its container,
   * its renderer (`no-markdown`, `highlight`, `messageView`) or its text changed (an edit, a
   * conversation set or merged with the same ids).
   */
  bind(message: ChatSessionMessage, container: HTMLElement): void {
    const factory = this.#host.factoryFor(message);
    const attached = this.#views.get(message.id);
    if (attached?.container === container && attached.factory === factory && (attached.content === message.content || message.status === 'streaming')) return;
    if (attached && attached.container !== container) this.#unbind(message.id);
    // The old view draws what it holds first, so none of its frames lands after the new one's.
    else attached?.view.end();
    const view = new FrameBatchedView(renderer(factory, container), () => this.#rendered(message.id));
    view.replace(message.content);
    if (message.status !== 'streaming') view.end();
    this.#views.set(message.id, {container, factory, view, content: message.content});
  }

  /** The container of message `id`'s text, once bound. */
  container(id: string): HTMLElement | undefined {
    return this.#views.get(id)?.container;
  }

  /** Forgets the views of the messages no longer in `messages`. */
  keep(messages: readonly ChatSessionMessage[]): void {
    if (messages === this.#kept) return;
    this.#kept = messages;
    const ids = new Set(messages.map((message) => message.id));
    for (const id of this.#views.keys()) if (!ids.has(id)) this.#unbind(id);
  }

  /** Streams a session `update` into its answer's view. */
  update({messageId, text, delta, reasoning, replaced, toolCalls}: ChatUpdateDetail): void {
    if (this.#live?.id !== messageId) {
      this.#dropLive();
      this.#live = {id: messageId, text, reasoning: '', reportedReasoning: '', unreported: [], frame: 0};
    }
    const live = this.#live!;
    live.text = text;
    live.reasoning = reasoning;
    if (toolCalls) live.toolCalls = toolCalls;
    const attached = this.#views.get(messageId);
    if (attached) attached.content = text;
    const view = attached?.view;
    if (replaced) {
      live.unreported = [];
      view?.replace(text);
      return this.#report(live, true);
    }
    view?.append(delta);
    if (delta !== '') live.unreported.push(delta);
    // `update` fires when the view renders: once per render, like the DOM work. Until Lit has
    // rendered the answer's container there is no view, and reasoning alone renders nothing,
    // so a frame does it.
    if (!view || delta === '') live.frame ||= requestAnimationFrame(() => this.#report(live));
  }

  /** The answer `id` ended: reports what it had not, draws the rest a frame at a time, then calls `fire`. */
  settle(id: string, fire: () => void): void {
    this.settleNow();
    if (this.#live?.id === id) this.#report(this.#live);
    this.#dropLive();
    const settling: Settling = {id, fire};
    this.#settling = settling;
    const view = this.#views.get(id)?.view;
    this.drawn = (view ? view.drain() : Promise.resolve()).then(() => this.#fire(settling));
  }

  /** Draws an ended answer's rest at once and fires its event (or, with `fire` false, drops it). */
  settleNow(fire = true): void {
    const settling = this.#settling;
    if (!settling) return;
    this.#views.get(settling.id)?.view.end();
    if (fire) this.#fire(settling);
    this.#settling = null;
  }

  /** The streaming answer was stopped (or refused): what its view holds is drawn at once, and no `update` follows. */
  stopped(): void {
    const live = this.#live;
    this.#dropLive();
    if (live) this.#views.get(live.id)?.view.end();
  }

  /** Forgets every view (a new session). */
  reset(): void {
    this.settleNow(false);
    this.#dropLive();
    this.#kept = [];
    for (const id of this.#views.keys()) this.#unbind(id);
  }

  #fire(settling: Settling): void {
    if (this.#settling !== settling) return;
    this.#settling = null;
    settling.fire();
  }

  #unbind(id: string): void {
    // A message that leaves reports nothing more.
    if (this.#live?.id === id) this.#dropLive();
    this.#views.get(id)?.view.end();
    this.#views.delete(id);
  }

  #dropLive(): void {
    if (this.#live) cancelAnimationFrame(this.#live.frame);
    this.#live = null;
  }

  #rendered(id: string): void {
    if (this.#live?.id === id) this.#report(this.#live);
  }

  /** Fires `update` with everything that streamed since the last one. */
  #report(live: Live, replaced = false): void {
    cancelAnimationFrame(live.frame);
    live.frame = 0;
    const {toolCalls} = live;
    if (this.#live !== live || (live.unreported.length === 0 && !replaced && live.reasoning === live.reportedReasoning && !toolCalls)) return;
    const delta = live.unreported.join('');
    live.unreported = [];
    live.reportedReasoning = live.reasoning;
    live.toolCalls = undefined;
    this.#host.report({messageId: live.id, text: live.text, delta, reasoning: live.reasoning, replaced, ...(toolCalls ? {toolCalls} : {})});
  }
}

/** A factory's view, or plain text when the factory throws: the page never breaks, and the console says why. @internal */
export function renderer(factory: MessageViewFactory, container: HTMLElement): MessageView {
  try {
    return factory(container);
  } catch (error) {
    console.error('chat-stream: the message view could not be made; showing plain text', error);
    return plainTextView(container);
  }
}

/** The element's properties that choose a message's renderer. */
export interface RendererOptions {
  messageView: MessageViewFactory | undefined;
  noMarkdown: boolean;
  highlight: Highlighter | undefined;
  math: MathRenderer | undefined;
  /** What code blocks' Copy buttons say. */
  labels: CopyLabels;
  /** The level of the chat's own place in the page's outline: an answer's `#` is one below. */
  headingLevel: number;
}

/**
 * Which renderer a message gets: the page's `messageView` for answers when set, else Markdown,
 * or plain text for questions and with `no-markdown`. The Markdown factory is kept while
 * `highlight` and `math` are unchanged, so that {@link MessageViews.bind} recognises it.
 *
 * @internal
 */
export class Renderers {
  #markdown: (Pick<RendererOptions, 'highlight' | 'math' | 'labels' | 'headingLevel'> & {factory: MessageViewFactory}) | undefined;

  /** Whether `message` renders as Markdown (its container is styled as `.markdown`). */
  markdown(message: Pick<ChatSessionMessage, 'role'>, {messageView, noMarkdown}: Pick<RendererOptions, 'messageView' | 'noMarkdown'>): boolean {
    return message.role !== 'user' && !messageView && !noMarkdown;
  }

  factory(message: Pick<ChatSessionMessage, 'role'>, options: RendererOptions): MessageViewFactory {
    if (!this.markdown(message, options)) return (message.role !== 'user' && options.messageView) || plainTextView;
    const {highlight, math, labels, headingLevel} = options;
    let kept = this.#markdown;
    // The labels by value: a page that sets `strings` anew with the same words renders nothing anew.
    const sameLabels = kept && kept.labels.copy === labels.copy && kept.labels.copied === labels.copied && kept.labels.copyFailed === labels.copyFailed;
    if (!kept || kept.highlight !== highlight || kept.math !== math || !sameLabels || kept.headingLevel !== headingLevel) {
      this.#markdown = kept = {highlight, math, labels, headingLevel, factory: markdownView(highlight, math, labels, headingLevel)};
    }
    return kept.factory;
  }
}
