import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {ChatSession, type ChatResult, type ChatSessionMessage, type ChatStorage, type ChatStorageOption} from './core/index.js';
import {plainRecord} from './core/messages.js';
import {styles} from './chat-stream.styles.js';
import {chatEvent, type ChatStreamEventMap} from './events.js';
import {markdownView} from './markdown/markdown-view.js';
import type {Highlighter} from './markdown/blocks.js';
import {plainTextView, type MessageViewFactory} from './message-view.js';
import {MessageViews} from './message-views.js';
import {messageTemplate} from './message-template.js';
import {parseStarters, toStarters, type ChatStarter} from './starters.js';

/** How close to the bottom (px) still counts as reading the newest text. */
const FOLLOW_THRESHOLD = 32;
const SESSION_EVENTS = ['change', 'update', 'request', 'done', 'error', 'stop', 'login-required', 'feedback'];
/** The element's properties that configure its session, and the option each sets; objects last, so a bad one stops nothing else. */
const OPTIONS = {endpoint: 'url', token: 'token', tokenHeader: 'tokenHeader', model: 'model', system: 'system', noToken: 'requireToken', headers: 'headers', extraBody: 'body'} as const;
type OptionProperty = keyof typeof OPTIONS;

/**
 * A streaming AI chat: a view over a {@link ChatSession} (its `session`), with the conversation,
 * message actions, a multi-line input and a Send button that becomes Stop while an answer
 * streams. Answers are rendered as text, never as HTML.
 *
 * @fires request - Before each request; cancelable. `detail: {body, headers}`: change them in place or `preventDefault()` to cancel the send.
 * @fires update - As the answer streams, once per render (at most once per frame). `detail: {messageId, text, delta, reasoning, replaced}`: `delta` is everything appended since the previous `update`.
 * @fires done - An answer is complete and drawn. `detail: {messageId, text, finishReason, id, messages, sensitive}`.
 * @fires error - A request failed, or storage did; does not bubble. `detail: {messageId?, kind, code, message, text}` (`text`: the partial answer, kept).
 * @fires stop - An answer was stopped by `stop()`, the Stop button or a new send. `detail: {messageId, text}`.
 * @fires login-required - No token (nothing was sent) or the server answered 401. `detail: {reason: 'missing-token' | 'unauthorized', text}`.
 * @fires feedback - The reader rated an answer. `detail: {messageId, value: 'up' | 'down' | null, message}`.
 *
 * @slot header - Above the conversation.
 * @slot empty - Shown while the conversation is empty (above the starters).
 * @slot login - The sign-in prompt, shown after `login-required`.
 *
 * @csspart header - The header slot's wrapper.
 * @csspart log - The scrolling conversation.
 * @csspart empty - The default empty state.
 * @csspart starters - The starter buttons' wrapper; each is a `starter-button`.
 * @csspart message - Each message; also `user` or `assistant` (its role).
 * @csspart content - A message's text.
 * @csspart status - The waiting indicator, the "Stopped" note, and the note on an answer cut short (length limit, content filter).
 * @csspart error - A failed answer's message.
 * @csspart retry-button - Asks again after a failure.
 * @csspart actions - The actions under a message: `copy-answer-button`, `regenerate-button`, `feedback-up-button`, `feedback-down-button`, `edit-button`.
 * @csspart editor - The inline editor of the last question: `editor-input`, `editor-cancel-button`, `editor-send-button`.
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
 * @cssprop --chat-stream-muted-color - Status notes, placeholders and actions.
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
    persist: {attribute: 'persist'},
    conversationId: {attribute: 'conversation-id'},
    storage: {attribute: false},
    actions: {attribute: 'actions'},
    starters: {attribute: 'starters', converter: {fromAttribute: parseStarters}},
  };

  /** The URL the conversation is POSTed to (the session's `url`). */
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
  /** Keeps the conversation across reloads: `local` (localStorage) or `session` (sessionStorage). */
  declare persist: string;
  /** The conversation's key in storage (default: the page's path). Changing it switches conversations. */
  declare conversationId: string;
  /** A storage adapter `{load(id), save(id, messages), remove?, subscribe?}`; wins over `persist`. */
  declare storage: ChatStorage | undefined;
  /** The message actions that show: any of `copy regenerate edit feedback` (default all). */
  declare actions: string;
  /** Suggested first questions shown in the empty state: strings or `{title, prompt}`. */
  declare starters: (string | ChatStarter)[];

  #session = new ChatSession();
  /** Whether the session is the element's own, which leaving the page stops. */
  #owned = true;
  /** What the element last set on its session, by property: unset properties leave a shared session's options alone. */
  readonly #pushed = new Map<OptionProperty, unknown>();
  readonly #initial = new Map<OptionProperty, unknown>();
  #persisted: {storage: ChatStorageOption; id: string} | undefined;
  #starters: Required<ChatStarter>[] = [];
  #editing: string | null = null;
  #focus: string | null = null;
  #announcement = '';
  #announcementTimer: ReturnType<typeof setTimeout> | undefined;
  /** The text a person gave for the action in progress (see #act). */
  #typed: string | null = null;
  #followNewest = true;
  #growth: ResizeObserver | undefined;
  #markdown: {highlight: Highlighter | undefined; factory: MessageViewFactory} | undefined;
  readonly #views = new MessageViews({
    factoryFor: (message) => this.#viewFactory(message),
    report: (detail) => this.dispatchEvent(chatEvent('update', detail)),
    bound: (container) => (this.#growth ??= new ResizeObserver(() => this.#scrollToNewest())).observe(container),
  });

  constructor() {
    super();
    Object.assign(this, {endpoint: '', token: '', tokenHeader: 'Authorization', model: '', system: '', noToken: false, headers: {}, extraBody: {}});
    for (const property of Object.keys(OPTIONS) as OptionProperty[]) this.#initial.set(property, this[property]);
    Object.assign(this, {placeholder: 'Message', noMarkdown: false, persist: '', conversationId: '', actions: 'copy regenerate edit feedback', starters: []});
    // `messages` set before the element was defined is an own property hiding the accessor.
    const own = this as unknown as {messages?: ChatSessionMessage[]};
    if (Object.prototype.hasOwnProperty.call(own, 'messages')) {
      const early = own.messages!;
      delete own.messages;
      this.messages = early;
    }
  }

  /** The conversation this element shows and drives. Assign one to share it between views; the element's attributes that are set apply to it. */
  get session(): ChatSession {
    return this.#session;
  }

  set session(session: ChatSession) {
    if (!(session instanceof EventTarget) || typeof (session as ChatSession).send !== 'function') {
      throw new TypeError('chat-stream: `session` must be a ChatSession from chat-stream/core');
    }
    if (session === this.#session) return;
    this.#listen(false);
    this.#views.reset();
    this.#session = session;
    this.#owned = false;
    this.#pushed.clear();
    this.#persisted = undefined;
    this.#listen(this.isConnected);
    this.requestUpdate();
  }

  /** The conversation: the session's messages, each `{id, role, content, status, createdAt, …}`. Set `{role, content}` entries to restore one. */
  get messages(): readonly ChatSessionMessage[] {
    return this.#session.messages;
  }

  set messages(messages: readonly ChatSessionMessage[]) {
    this.#session.messages = messages;
  }

  /** Whether an answer streams (or is still being drawn); reflected as the `streaming` attribute for styling. */
  get streaming(): boolean {
    return this.#session.streaming || this.#views.settling;
  }

  /**
   * Sends `text` as the next user message and resolves with what happened, once the answer is
   * drawn (never rejects for server or network failures). An answer still streaming is stopped
   * first. Rejects with a `TypeError` for an empty text or a missing `endpoint`.
   */
  send(text: string): Promise<ChatResult> {
    return this.#act(() => this.#session.send(text), null);
  }

  /** Stops the answer that is streaming: its partial text stays, and `stop` fires. An answer that has fully arrived is drawn at once instead (`done`). */
  stop(): void {
    if (this.#views.settling) this.#views.settleNow();
    else this.#session.stop();
  }

  /** Empties the conversation, aborting any answer in flight without events. */
  clear(): void {
    this.#views.settleNow(false);
    this.#session.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(false);
    this.#views.settleNow(false);
    if (this.#owned) this.#session.stop();
  }

  /**
   * Runs a session action started here. `typed` is the text a person gave (`null` for a call
   * from code, `''` for Retry and Regenerate): it goes back to the input when a `request`
   * listener cancels the send, and the question does when a sign-in is needed.
   */
  async #act(action: () => Promise<ChatResult>, typed: string | null): Promise<ChatResult> {
    this.#views.settleNow();
    this.#configure();
    if (!this.#session.options.url) throw new TypeError('chat-stream: set the `endpoint` attribute before sending');
    this.#typed = typed;
    try {
      const result = await action();
      await this.#views.drawn;
      return result;
    } finally {
      this.#typed = null;
    }
  }

  #listen(on: boolean): void {
    for (const type of SESSION_EVENTS) this.#session[on ? 'addEventListener' : 'removeEventListener'](type, this.#onSessionEvent);
    this.#changed();
  }

  readonly #onSessionEvent = (event: Event): void => {
    const type = event.type as keyof ChatStreamEventMap | 'change';
    const {detail} = event as CustomEvent;
    if (type === 'change') return this.#changed();
    if (type === 'update') return this.#views.update(detail);
    // An earlier answer still being drawn fires its event first.
    this.#views.settleNow();
    if (type === 'request') {
      if (!this.dispatchEvent(chatEvent(type, detail, true))) {
        event.preventDefault();
        if (this.#typed) this.#restoreDraft(this.#typed);
      }
      return;
    }
    const fire = () => {
      this.dispatchEvent(chatEvent(type, detail));
      this.#changed();
    };
    if ((type === 'done' || type === 'error') && detail.messageId) return this.#views.settle(detail.messageId, fire);
    if (type === 'stop' || type === 'login-required') this.#views.stopped();
    if (type === 'login-required' && this.#typed !== null) this.#restoreDraft(detail.text);
    fire();
  };

  #changed(): void {
    this.toggleAttribute('streaming', this.streaming);
    this.requestUpdate();
  }

  /** Sets on the session the options whose properties were set here; throws for a bad `headers` or `extraBody`. */
  #configure(): void {
    for (const [property, option] of Object.entries(OPTIONS) as [OptionProperty, string][]) {
      const value = this[property];
      const isObject = property === 'headers' || property === 'extraBody';
      const last = this.#pushed.has(property) ? this.#pushed.get(property) : this.#initial.get(property);
      // A plain object may have been changed in place: it is set again unless it is the untouched default.
      if (isObject ? !this.#pushed.has(property) && value === last && Object.keys(value as object).length === 0 : value === last) continue;
      const setting = isObject ? plainRecord(value as object, property) : property === 'noToken' ? !value : value;
      void this.#session.configure({[option]: setting});
      this.#pushed.set(property, value);
    }
  }

  /** Applies `persist`, `storage` and `conversation-id`: the first time by merging what is stored into the conversation, later by switching. */
  #persist(): void {
    const {persist, storage} = this;
    const kind = persist === 'local' || persist === 'session' ? persist : undefined;
    if (persist && !kind) console.error(`chat-stream: \`persist\` must be "local" or "session" (got ${JSON.stringify(persist)})`);
    if (!storage && !kind && !this.#persisted) return;
    const next: {storage: ChatStorageOption; id: string} = {storage: storage ?? kind ?? 'none', id: this.conversationId || location.pathname};
    const previous = this.#persisted;
    this.#persisted = next;
    try {
      if (!previous || previous.id === next.id) return void this.#session.configure(next);
      if (previous.storage !== next.storage) void this.#session.configure({storage: next.storage});
      void this.#session.load(next.id);
    } catch (error) {
      console.error(error);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (Object.keys(OPTIONS).some((property) => changed.has(property as keyof ChatStream))) {
      try {
        this.#configure();
      } catch {
        // A bad `headers` or `extraBody`: send() rejects with the TypeError that names it.
      }
    }
    if (changed.has('persist') || changed.has('conversationId') || changed.has('storage')) this.#persist();
    if (changed.has('starters')) this.#starters = toStarters(this.starters);
  }

  protected override updated(): void {
    this.#views.bind(this.#session.messages, this.renderRoot.querySelectorAll<HTMLElement>('[part="content"]'));
    if (this.#focus) this.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = null;
    this.#scrollToNewest();
  }

  protected override render() {
    const {messages, status} = this.#session;
    const lastQuestion = messages.findLastIndex((message) => message.role === 'user');
    const actions = new Set(this.actions.split(/\s+/));
    return html`
      <div part="header"><slot name="header"></slot></div>
      <div part="log" role="log" aria-live="polite" aria-busy=${this.streaming} @scroll=${this.#onScroll} @click=${this.#onLogClick} @keydown=${this.#onLogKeyDown} @submit=${this.#onEditSubmit}>
        ${messages.length === 0
          ? html`<div class="empty">
              <slot name="empty"><p part="empty">Ask anything to start the conversation.</p></slot>
              ${this.#starters.length > 0
                ? html`<div part="starters">${this.#starters.map(({title, prompt}) => html`<button part="starter-button" type="button" data-action="starter" data-prompt=${prompt}>${title}</button>`)}</div>`
                : nothing}
            </div>`
          : messages.map((message, index) =>
              messageTemplate(message, {
                markdown: this.#rendersMarkdown(message),
                last: index === messages.length - 1,
                lastQuestion: index === lastQuestion,
                editing: this.#editing === message.id,
                actions,
              }),
            )}
      </div>
      <div class="visually-hidden" role="status">${this.#announcement}</div>
      <div part="login" role="alert" ?hidden=${status !== 'login-required'}>
        <slot name="login">Please sign in to continue.</slot>
      </div>
      <form part="form" @submit=${this.#onSubmit}>
        <textarea part="input" rows="2" aria-label="Message" placeholder=${this.placeholder} @keydown=${this.#onKeyDown}></textarea>
        <button part="send-button" type="submit" @click=${this.#onSendButton}>${this.streaming ? 'Stop' : 'Send'}</button>
      </form>
    `;
  }

  /** The message actions, Retry and the starters, through one listener on the log. */
  #onLogClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLElement>('button[data-action]');
    if (!button) return;
    const id = button.closest<HTMLElement>('[data-id]')?.dataset.id ?? '';
    const message = this.#session.messages.find((entry) => entry.id === id);
    const action = button.dataset.action;
    if (action === 'retry' || action === 'regenerate') {
      // The button goes with the answer it replaces: keep keyboard focus in the element.
      this.#input()?.focus();
      this.#act(() => (action === 'retry' ? this.#session.retry() : this.#session.regenerate()), '').catch(console.error);
    } else if (action === 'starter') {
      const prompt = button.dataset.prompt!;
      this.#act(() => this.#session.send(prompt), prompt).catch(console.error);
    } else if (action === 'copy' && message) {
      navigator.clipboard.writeText(message.content).then(() => this.#announce('Copied'), (error) => {
        this.#announce('Copy failed');
        console.warn('chat-stream: copying failed', error);
      });
    } else if ((action === 'up' || action === 'down') && message) {
      this.#session.setFeedback(id, message.feedback === action ? null : action);
    } else if (action === 'edit' || action === 'cancel') {
      this.#editing = action === 'edit' ? id : null;
      this.#focus = action === 'edit' ? '[part="editor-input"]' : '[part="edit-button"]';
      this.requestUpdate();
    }
  }

  #onEditSubmit(event: Event): void {
    event.preventDefault();
    const id = this.#editing;
    const text = (event.target as HTMLFormElement).querySelector('textarea')?.value ?? '';
    if (!id || text.trim() === '') return;
    this.#editing = null;
    this.#input()?.focus();
    this.#act(() => this.#session.edit(id, text), text).catch(console.error);
  }

  /** In the inline editor: Enter resends, Escape cancels. */
  #onLogKeyDown(event: KeyboardEvent): void {
    const editor = (event.target as HTMLElement).closest('form');
    if (!editor) return;
    if (event.key === 'Escape') editor.querySelector<HTMLElement>('[data-action="cancel"]')?.click();
    else if (isSendKey(event)) {
      event.preventDefault();
      editor.requestSubmit();
    }
  }

  #announce(text: string): void {
    this.#announcement = text;
    this.requestUpdate();
    clearTimeout(this.#announcementTimer);
    this.#announcementTimer = setTimeout(() => {
      this.#announcement = '';
      this.requestUpdate();
    }, 3000);
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    const input = this.#input();
    const text = input?.value ?? '';
    if (text.trim() === '' || this.streaming) return;
    input!.value = '';
    this.#act(() => this.#session.send(text), text).catch((error) => {
      this.#restoreDraft(text);
      console.error(error);
    });
  }

  /** Send submits the form; while an answer streams the same button (keeping focus) is Stop. */
  #onSendButton(event: Event): void {
    if (!this.streaming) return;
    event.preventDefault();
    this.stop();
  }

  /** Gives a text back to the input (cancelled, or refused for want of a login), unless the user typed anew. */
  #restoreDraft(text: string): void {
    const input = this.#input();
    if (input && input.value === '') input.value = text;
  }

  #input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('[part="input"]');
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (!isSendKey(event)) return;
    event.preventDefault();
    if (!this.streaming) (event.target as HTMLTextAreaElement).form?.requestSubmit();
  }

  #onScroll(event: Event): void {
    const log = event.target as HTMLElement;
    this.#followNewest = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD;
  }

  #scrollToNewest(): void {
    if (!this.#followNewest) return;
    const log = this.renderRoot.querySelector<HTMLElement>('[part="log"]');
    if (log) log.scrollTop = log.scrollHeight;
  }

  #viewFactory(message: ChatSessionMessage): MessageViewFactory {
    if (!this.#rendersMarkdown(message)) return (message.role !== 'user' && this.messageView) || plainTextView;
    if (!this.#markdown || this.#markdown.highlight !== this.highlight) {
      this.#markdown = {highlight: this.highlight, factory: markdownView(this.highlight)};
    }
    return this.#markdown.factory;
  }

  #rendersMarkdown(message: ChatSessionMessage): boolean {
    return message.role !== 'user' && !this.messageView && !this.noMarkdown;
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

/** Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither. */
function isSendKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}
