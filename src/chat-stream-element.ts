import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {streamChat, type ChatResult, type ChatUpdate} from './core/index.js';
import {isToolCallReason} from './core/answer.js';
import {styles} from './chat-stream.styles.js';
import {conversation, toTurns, turn, type ChatMessage, type Turn} from './conversation.js';
import {chatEvent, type ChatLoginRequiredDetail, type ChatRequestDetail, type ChatStreamEventMap} from './events.js';
import {markdownView} from './markdown/markdown-view.js';
import type {Highlighter} from './markdown/blocks.js';
import {FrameBatchedView, plainTextView, type MessageViewFactory} from './message-view.js';

/** One request in flight: the answer it fills and how to abort it. */
interface Run {
  readonly controller: AbortController;
  readonly answer: Turn;
  /** What streamed since the last `update` event, which fires once per render. */
  unreported: string[];
  reasoning: string;
  /** The reasoning the last `update` carried: a change fires one even without new text. */
  reportedReasoning: string;
  frame: number;
  /** Set once the whole answer has arrived, while it may still be drawing. */
  settled?: {question: Turn; result: ChatResult; typed: boolean};
}

/** How close to the bottom (px) still counts as reading the newest text. */
const FOLLOW_THRESHOLD = 32;

/**
 * A streaming AI chat: the conversation, a multi-line input and a Send button that becomes
 * Stop while an answer streams. Every request goes through `streamChat` from
 * `chat-stream/core`; answers are rendered as text, never as HTML.
 *
 * @fires request - Before each request; cancelable. `detail: {body, headers}`: change them in place or `preventDefault()` to cancel the send.
 * @fires update - As the answer streams, once per render (at most once per frame). `detail: {text, delta, reasoning, replaced}`: `delta` is everything appended since the previous `update` (empty when only the reasoning grew).
 * @fires done - An answer is complete. `detail: {text, finishReason, id, messages, sensitive}`.
 * @fires error - A request failed; does not bubble. `detail: {kind, code, message, text}` (`text`: the partial answer, kept).
 * @fires stop - An answer was stopped by `stop()`, the Stop button or a new send. `detail: {text}`.
 * @fires login-required - No token (nothing was sent) or the server answered 401. `detail: {reason: 'missing-token' | 'unauthorized'}`.
 *
 * @slot header - Above the conversation.
 * @slot empty - Shown while the conversation is empty.
 * @slot login - The sign-in prompt, shown after `login-required`.
 *
 * @csspart header - The header slot's wrapper.
 * @csspart log - The scrolling conversation.
 * @csspart empty - The default empty state.
 * @csspart message - Each message; also `user` or `assistant` (its role).
 * @csspart content - A message's text.
 * @csspart status - The waiting indicator, the "Stopped" note, and the note on an answer cut short (length limit, content filter).
 * @csspart error - A failed answer's message.
 * @csspart retry-button - Resends the last user message after a failure.
 * @csspart login - The sign-in prompt's wrapper.
 * @csspart form - The input area.
 * @csspart input - The multi-line input.
 * @csspart send-button - Send, or Stop while streaming.
 * @csspart code-block - A fenced code block in an answer (language label, Copy, code).
 * @csspart copy-button - Copies a code block's code.
 *
 * @cssprop --chat-stream-font - Font of the whole element.
 * @cssprop --chat-stream-font-size - Base font size.
 * @cssprop --chat-stream-color - Text colour.
 * @cssprop --chat-stream-background - Background colour.
 * @cssprop --chat-stream-border-color - Borders and dividers, and the input's edge.
 * @cssprop --chat-stream-accent - Send button and focus ring.
 * @cssprop --chat-stream-accent-color - Text on the accent colour.
 * @cssprop --chat-stream-user-background - User messages' background.
 * @cssprop --chat-stream-user-color - User messages' text.
 * @cssprop --chat-stream-assistant-background - Assistant messages' background.
 * @cssprop --chat-stream-assistant-color - Assistant messages' text.
 * @cssprop --chat-stream-muted-color - Status notes and placeholders.
 * @cssprop --chat-stream-error-color - Error messages.
 * @cssprop --chat-stream-radius - Corner radius of messages, input and buttons.
 * @cssprop --chat-stream-gap - Spacing between and inside the pieces.
 * @cssprop --chat-stream-height - The element's height (default 32rem).
 * @cssprop --chat-stream-code-font - Font of code.
 * @cssprop --chat-stream-code-background - Background of code, code headers and table headers.
 */
export class ChatStream extends LitElement {
  static override styles = styles;

  static override properties = {
    endpoint: {attribute: 'endpoint'},
    token: {attribute: 'token'},
    tokenHeader: {attribute: 'token-header'},
    model: {attribute: 'model'},
    system: {attribute: 'system'},
    noToken: {type: Boolean, attribute: 'no-token'},
    placeholder: {attribute: 'placeholder'},
    headers: {attribute: false},
    extraBody: {attribute: false},
    noMarkdown: {type: Boolean, attribute: 'no-markdown'},
    highlight: {attribute: false},
    messageView: {attribute: false},
  };

  /** The URL the conversation is POSTed to. */
  declare endpoint: string;

  /** The user's token. Set as a property, it is never written to an attribute. */
  declare token: string;

  /** The header that carries the token: `Authorization` sends `Bearer <token>`; any other name (e.g. `token`) the raw token. */
  declare tokenHeader: string;

  /** Sent as the body's `model` when set. */
  declare model: string;

  /** A system prompt, sent first in `messages`. */
  declare system: string;

  /** Send without a token: for open endpoints and same-origin cookie sessions. */
  declare noToken: boolean;

  /** The input's placeholder. */
  declare placeholder: string;

  /** Extra request headers. */
  declare headers: Record<string, string>;

  /** Extra fields merged into each request body (e.g. `{temperature: 0.2}`). */
  declare extraBody: Record<string, unknown>;

  /** Render answers as plain text instead of Markdown. */
  declare noMarkdown: boolean;

  /** Colours finished code blocks: `(code, language) => Node | html string`. None is bundled. */
  declare highlight: Highlighter | undefined;

  /** Renders each answer's text, replacing Markdown or plain text: the seam for a renderer of your own. */
  declare messageView: MessageViewFactory | undefined;

  constructor() {
    super();
    this.endpoint = '';
    this.token = '';
    this.tokenHeader = 'Authorization';
    this.model = '';
    this.system = '';
    this.noToken = false;
    this.placeholder = 'Message';
    this.headers = {};
    this.extraBody = {};
    this.noMarkdown = false;
    this.highlight = undefined;
    this.messageView = undefined;
    // `messages` set before the element was defined is an own property hiding the accessor.
    if (Object.prototype.hasOwnProperty.call(this, 'messages')) {
      const early = (this as {messages?: ChatMessage[]}).messages;
      delete (this as {messages?: ChatMessage[]}).messages;
      this.messages = early!;
    }
  }

  #turns: Turn[] = [];
  #run: Run | null = null;
  #loginReason: ChatLoginRequiredDetail['reason'] | null = null;
  #followNewest = true;
  readonly #views = new WeakMap<Turn, {container: HTMLElement; factory: MessageViewFactory; view: FrameBatchedView}>();
  /** The Markdown factory for the current `highlight`, kept so that an unchanged one is recognised. */
  #markdown: {highlight: Highlighter | undefined; factory: MessageViewFactory} | undefined;
  /** Follows a message that grows after the browser's own layout, rather than forcing one. Made on first use. */
  #growth: ResizeObserver | undefined;

  /** The conversation: finished messages as `{role, content}`, without the answer still streaming or a failed one. */
  get messages(): ChatMessage[] {
    return conversation(this.#turns);
  }

  set messages(messages: ChatMessage[]) {
    this.#replaceTurns(toTurns(messages));
  }

  /** Whether an answer is streaming; reflected as the `streaming` attribute for styling. */
  get streaming(): boolean {
    return this.#run !== null;
  }

  /**
   * Sends `text` as the next user message with the whole conversation, and resolves with what
   * happened (never rejects for server or network failures). An answer still streaming is
   * stopped first. Rejects with a `TypeError` for an empty text or a missing `endpoint`.
   */
  send(text: string): Promise<ChatResult> {
    return this.#send(text, false);
  }

  /**
   * Sends; a text typed in the input goes back there when it could not be sent. `replacing`
   * (a failed question and answer, for Retry) leaves the conversation once the request goes out.
   */
  async #send(text: string, typed: boolean, replacing: Turn[] = []): Promise<ChatResult> {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new TypeError('chat-stream: send(text) needs a non-empty string');
    }
    if (!this.endpoint) throw new TypeError('chat-stream: set the `endpoint` attribute before sending');
    const headers = checkedRecord(this.headers, 'headers');
    const extraBody = checkedRecord(this.extraBody, 'extraBody');
    this.stop();
    const earlier = this.#turns.filter((entry) => !replacing.includes(entry));
    const question = turn('user', text, 'done');
    const detail: ChatRequestDetail = {body: this.#requestBody(extraBody, [...earlier, question]), headers};
    if (!this.dispatchEvent(chatEvent('request', detail, {cancelable: true}))) {
      if (typed && replacing.length === 0) this.#restoreDraft(text);
      return cancelled();
    }

    const answer = turn('assistant', '', 'waiting');
    const run: Run = {controller: new AbortController(), answer, unreported: [], reasoning: '', reportedReasoning: '', frame: 0};
    this.#turns = [...earlier, question, answer];
    this.#loginReason = null;
    this.#followNewest = true;
    this.#setRun(run);
    let result: ChatResult;
    try {
      result = await streamChat({
        url: this.endpoint,
        body: detail.body,
        headers: detail.headers,
        token: this.token,
        tokenHeader: this.tokenHeader,
        requireToken: !this.noToken,
        signal: run.controller.signal,
        onUpdate: (update) => this.#onUpdate(run, update),
      });
    } catch (error) {
      // A programming error (say, a body JSON cannot serialise): show it, then reject.
      if (this.#run === run) this.#fail(run, {kind: 'business', code: 'invalid_request', message: (error as Error).message});
      throw error;
    }
    if (this.#run === run) await this.#finish(run, question, result, typed);
    return result;
  }

  /** Stops the answer that is streaming, if any: its partial text stays, and `stop` fires. An answer that has fully arrived is completed instead. */
  stop(): void {
    const run = this.#run;
    if (!run) return;
    // The answer has fully arrived and is only being drawn: finish it rather than stop it.
    if (run.settled) return this.#complete(run);
    this.#abort();
    this.dispatchEvent(chatEvent('stop', {text: run.answer.content}));
  }

  /** Empties the conversation, aborting any answer in flight without events. */
  clear(): void {
    this.#replaceTurns([]);
    this.#loginReason = null;
  }

  /** Starts the conversation over with `turns`, aborting any answer in flight without events. */
  #replaceTurns(turns: Turn[]): void {
    this.#abort();
    this.#growth?.disconnect();
    this.#turns = turns;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('token') && this.token) this.#loginReason = null;
  }

  #requestBody(extraBody: Record<string, unknown>, turns: Turn[]): Record<string, unknown> {
    const messages = conversation(turns);
    if (this.system) messages.unshift({role: 'system', content: this.system});
    return {...extraBody, ...(this.model ? {model: this.model} : {}), stream: true, messages};
  }

  #onUpdate(run: Run, update: ChatUpdate): void {
    if (this.#run !== run) return;
    const {answer} = run;
    answer.content = update.text;
    run.reasoning = update.reasoning;
    // Reasoning alone keeps the waiting indicator: the answer starts with its first text.
    if (answer.status === 'waiting' && update.text !== '') {
      answer.status = 'streaming';
      this.requestUpdate();
    }
    const view = this.#views.get(answer)?.view;
    if (update.replaced) {
      run.unreported = [];
      view?.replace(update.text);
      return this.#report(run, true);
    }
    view?.append(update.delta);
    if (update.delta !== '') run.unreported.push(update.delta);
    // `update` fires when the view renders (#rendered): once per render, like the DOM work.
    // Until Lit has rendered the answer's container there is no view, and reasoning alone
    // renders nothing, so a frame does it.
    if (!view || update.delta === '') run.frame ||= requestAnimationFrame(() => this.#report(run));
  }

  /** Fires `update` with everything that streamed since the last one. */
  #report(run: Run, replaced = false): void {
    cancelAnimationFrame(run.frame);
    run.frame = 0;
    if (this.#run !== run || (run.unreported.length === 0 && !replaced && run.reasoning === run.reportedReasoning)) return;
    const delta = run.unreported.join('');
    run.unreported = [];
    run.reportedReasoning = run.reasoning;
    this.dispatchEvent(chatEvent('update', {text: run.answer.content, delta, reasoning: run.reasoning, replaced}));
  }

  async #finish(run: Run, question: Turn, result: ChatResult, typed: boolean): Promise<void> {
    run.settled = {question, result, typed};
    this.#report(run);
    // Events come once the whole answer is on screen (stop() meanwhile just draws the rest).
    await this.#views.get(run.answer)?.view.drain();
    this.#complete(run);
  }

  /** Ends a run whose answer has fully arrived: its state and its event. */
  #complete(run: Run, fire = true): void {
    if (this.#run !== run || !run.settled) return;
    const {question, result, typed} = run.settled;
    const {answer} = run;
    this.#setRun(null);
    answer.content = result.text;
    if (result.status === 'login-required') {
      this.#turns = this.#turns.filter((entry) => entry !== question && entry !== answer);
      if (typed) this.#restoreDraft(question.content);
      this.#loginReason = result.error ? 'unauthorized' : 'missing-token';
      if (fire) this.dispatchEvent(chatEvent('login-required', {reason: this.#loginReason}));
    } else if (result.status === 'error' && result.error) {
      this.#fail(run, result.error, fire);
    } else {
      answer.status = result.status === 'done' ? 'done' : 'stopped';
      answer.note = result.status === 'done' ? cutShortNote(result.finishReason) : undefined;
      if (result.status === 'done' && fire) {
        const {text, finishReason, id, sensitive} = result;
        this.dispatchEvent(chatEvent('done', {text, finishReason, id, messages: this.messages, sensitive}));
      }
    }
    this.requestUpdate();
  }

  #fail(run: Run, error: NonNullable<ChatResult['error']>, fire = true): void {
    this.#setRun(null);
    run.answer.status = 'error';
    run.answer.error = error;
    const {kind, code, message} = error;
    if (fire) this.dispatchEvent(chatEvent('error', {kind, code, message, text: run.answer.content}));
    this.requestUpdate();
  }

  /** Aborts the request in flight, keeping its partial answer as stopped; fires nothing. */
  #abort(): void {
    const run = this.#run;
    if (!run) return;
    // An answer that fully arrived is not stopped by leaving: it ends as it arrived, silently.
    if (run.settled) return this.#complete(run, false);
    this.#setRun(null);
    run.controller.abort();
    run.answer.status = 'stopped';
    this.requestUpdate();
  }

  #setRun(run: Run | null): void {
    const previous = this.#run;
    // The new run is current before the old view draws its rest: what that fires sees no stale run.
    this.#run = run;
    if (!run && previous) {
      cancelAnimationFrame(previous.frame);
      // A finished answer renders what its view held back as unfinished (a last line, an open code block).
      this.#views.get(previous.answer)?.view.end();
    }
    this.toggleAttribute('streaming', run !== null);
    this.requestUpdate();
  }

  #retry(): void {
    const last = this.#turns.at(-1);
    const question = this.#turns.at(-2);
    if (last?.status !== 'error' || question?.role !== 'user') return;
    // The Retry button goes with the failed answer: keep keyboard focus in the element.
    this.#input()?.focus();
    this.#send(question.content, true, [question, last]).catch(reportToConsole);
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    const input = this.#input();
    const text = input?.value ?? '';
    if (text.trim() === '' || this.streaming) return;
    input!.value = '';
    this.#send(text, true).catch((error) => {
      this.#restoreDraft(text);
      reportToConsole(error);
    });
  }

  /** Send submits the form; while an answer streams the same button (keeping focus) is Stop. */
  #onSendButton(event: Event): void {
    if (!this.streaming) return;
    event.preventDefault();
    this.stop();
  }

  /** Gives a typed text back to the input (cancelled, or refused for want of a login), unless the user typed anew. */
  #restoreDraft(text: string): void {
    const input = this.#input();
    if (input && input.value === '') input.value = text;
  }

  #input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  #onKeyDown(event: KeyboardEvent): void {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (!this.streaming) (event.target as HTMLTextAreaElement).form?.requestSubmit();
  }

  #onScroll(event: Event): void {
    const log = event.target as HTMLElement;
    this.#followNewest = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD;
  }

  /** After a message's view rendered: report the streaming answer's progress. */
  #rendered(entry: Turn): void {
    if (this.#run?.answer === entry) this.#report(this.#run);
  }

  #scrollToNewest(): void {
    if (!this.#followNewest) return;
    const log = this.renderRoot.querySelector<HTMLElement>('[part="log"]');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /**
   * Connects a message's container to its view once Lit has rendered it (Lit reuses containers
   * by position), and renders it anew when `no-markdown`, `highlight` or `messageView` changed.
   */
  #attach(entry: Turn, container: HTMLElement | undefined): void {
    if (!container) return;
    const factory = this.#viewFactory(entry);
    const attached = this.#views.get(entry);
    if (attached?.container === container && attached.factory === factory) return;
    // The old view draws what it holds first, so none of its frames lands after the new one's.
    if (attached?.container === container) attached.view.end();
    const view = new FrameBatchedView(factory(container), () => this.#rendered(entry));
    view.replace(entry.content);
    if (entry.status !== 'waiting' && entry.status !== 'streaming') view.end();
    this.#views.set(entry, {container, factory, view});
    (this.#growth ??= new ResizeObserver(() => this.#scrollToNewest())).observe(container);
  }

  #viewFactory(entry: Turn): MessageViewFactory {
    if (!this.#rendersMarkdown(entry)) return (entry.role !== 'user' && this.messageView) || plainTextView;
    if (!this.#markdown || this.#markdown.highlight !== this.highlight) {
      this.#markdown = {highlight: this.highlight, factory: markdownView(this.highlight)};
    }
    return this.#markdown.factory;
  }

  #rendersMarkdown(entry: Turn): boolean {
    return entry.role !== 'user' && !this.messageView && !this.noMarkdown;
  }

  protected override updated(): void {
    const containers = this.renderRoot.querySelectorAll<HTMLElement>('[part="content"]');
    this.#turns.forEach((entry, index) => this.#attach(entry, containers[index]));
    this.#scrollToNewest();
  }

  protected override render() {
    const streaming = this.streaming;
    return html`
      <div part="header"><slot name="header"></slot></div>
      <div part="log" role="log" aria-live="polite" aria-busy=${streaming} @scroll=${this.#onScroll}>
        ${this.#turns.length === 0
          ? html`<slot name="empty"><p part="empty">Ask anything to start the conversation.</p></slot>`
          : this.#turns.map((entry, index) => this.#renderTurn(entry, index === this.#turns.length - 1))}
      </div>
      <div part="login" role="alert" ?hidden=${this.#loginReason === null}>
        <slot name="login">Please sign in to continue.</slot>
      </div>
      <form part="form" @submit=${this.#onSubmit}>
        <textarea
          part="input"
          rows="2"
          aria-label="Message"
          placeholder=${this.placeholder}
          @keydown=${this.#onKeyDown}
        ></textarea>
        <button part="send-button" type="submit" @click=${this.#onSendButton}>${streaming ? 'Stop' : 'Send'}</button>
      </form>
    `;
  }

  #renderTurn(entry: Turn, isLast: boolean) {
    return html`
      <div part="message ${entry.role}" data-status=${entry.status}>
        <div part="content" class=${this.#rendersMarkdown(entry) ? 'markdown' : ''}></div>
        ${entry.status === 'waiting'
          ? html`<div part="status" class="waiting" role="status" aria-label="Waiting for the answer"><span></span><span></span><span></span></div>`
          : entry.status === 'stopped' || entry.note
            ? html`<div part="status">${entry.note ?? 'Stopped'}</div>`
            : entry.status === 'error'
              ? html`<div part="error" role="alert">
                  ${entry.error?.message}
                  ${isLast ? html`<button part="retry-button" type="button" @click=${this.#retry}>Retry</button>` : nothing}
                </div>`
              : nothing}
      </div>
    `;
  }
}

/** The element's events, typed for `addEventListener` (`error` cannot join HTMLElementEventMap, whose `error` is an ErrorEvent). */
export interface ChatStream {
  addEventListener<K extends keyof ChatStreamEventMap>(
    type: K,
    listener: (this: ChatStream, event: ChatStreamEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ChatStreamEventMap>(
    type: K,
    listener: (this: ChatStream, event: ChatStreamEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

function cancelled(): ChatResult {
  return {status: 'aborted', text: '', reasoning: '', finishReason: null, id: null, sensitive: null, error: null};
}

/** The note for an answer that is complete as sent but was cut short (or left waiting for a tool), by its finish reason. */
function cutShortNote(finishReason: string | null): string | undefined {
  if (finishReason === 'length') return 'Cut short: the answer reached its length limit.';
  if (finishReason === 'content_filter') return "Cut short by the provider's content filter.";
  if (isToolCallReason(finishReason)) return 'The model asked to call a tool, which this chat cannot run.';
  return undefined;
}

/** A copy of a property that must be a plain object (`headers`, `extraBody`), or a TypeError naming it. */
function checkedRecord<T extends object>(value: T, name: string): T {
  const prototype = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`chat-stream: \`${name}\` must be a plain object, e.g. {'X-Team': 'blue'}`);
  }
  return {...value};
}

function reportToConsole(error: unknown): void {
  console.error(error);
}
