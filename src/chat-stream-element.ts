import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {ChatSession, type ChatAttachment, type ChatFormat, type ChatFormatName, type ChatGetToken, type ChatMessage, type ChatResult, type ChatRetryDetail, type ChatSessionMessage, type ChatStorage, type ChatTool, type ChatUpdateDetail} from './core/index.js';
import {styles} from './chat-stream.styles.js';
import {chatEvent, type ChatStreamEventMap} from './events.js';
import type {Highlighter} from './markdown/blocks.js';
import type {MathRenderer} from './markdown/math.js';
import type {MessageViewFactory} from './message-view.js';
import {MessageViews, Renderers} from './message-views.js';
import {MessageList} from './message-list.js';
import {FollowNewest} from './follow-newest.js';
import {Composer} from './composer.js';
import {AttachmentTray, type AttachmentChip, type ChatUpload} from './attachment-tray.js';
import {trayTemplate} from './attachment-template.js';
import {LogActions} from './log-actions.js';
import {OPTION_PROPERTIES, SessionSettings, thinkTagsAttribute} from './session-settings.js';
import {ReasoningSections} from './reasoning-sections.js';
import {acted, bubbles, showing} from './shared-views.js';
import {parseStarters, toStarters, type ChatStarter} from './starters.js';
import {EN, fill, isRightToLeft, loadLocale, localeFor, type ChatStrings} from './strings.js';
import {errorText, messageTemplate, retryText} from './message-template.js';
import {ApprovalNotices} from './tool-cards.js';

// `update`, per chunk, comes through `watchUpdates`: a call rather than an event.
const SESSION_EVENTS = ['change', 'request', 'done', 'error', 'stop', 'login-required', 'feedback', 'retry', 'tool-call'];
const NETWORK_EVENTS = ['online', 'offline'];
const ALL_ACTIONS = 'copy regenerate edit feedback';
/** An announced answer is cut here: the reader goes to the message for the rest. */
const ANNOUNCED = 400;
/** An answer's `#` is a level-3 heading by default: below the page's title and the chat's own. */
const DEFAULT_HEADING_LEVEL = 2;

/**
 * A streaming AI chat: a view over a {@link ChatSession} (its `session`), with the conversation,
 * message actions, a multi-line input and a Send button that becomes Stop while an answer
 * streams. Answers are rendered as text, never as HTML.
 *
 * @tagname chat-stream
 *
 * @attr lang - The language of the element's strings and numbers (a built-in locale: ar, de, es, fr, ja, ko, pt-BR, zh-CN, zh-TW; else English); without it, the page's `lang`, then the browser's. A right-to-left language lays the element out right to left unless the page set `dir`.
 *
 * @fires request - Before each request; cancelable. `detail: {body, headers}`: change them in place or `preventDefault()` to cancel the send.
 * @fires update - As the answer streams, once per render (at most once per frame). `detail: {messageId, text, delta, reasoning, replaced}`: `delta` is everything appended since the previous `update`.
 * @fires done - An answer is complete and drawn. `detail: {messageId, text, finishReason, id, messages, sensitive, timing, buffered}`: `timing` is `{firstByteMs, totalMs, chunks, longestGapMs, retries, resumed}`; `buffered` is `true` when a proxy held the stream back and sent it in one burst.
 * @fires error - A request failed, or storage did; does not bubble. `detail: {messageId?, kind, code, message, text, timing?}` (`text`: the partial answer, kept; `code` `timeout` or `offline` for those network failures).
 * @fires tool-call - Before each tool call of an answer runs (with `tools`); cancelable. `detail: {messageId, id, name, input, respond(result)}`: `respond` answers it, `preventDefault()` says the page will.
 * @fires retry - A request failed before its answer began and is sent again after a wait, or a broken answer is resumed; the answer shows it, and `stop()` cancels the wait. `detail: {messageId, resume, attempt, attempts, delay, error}` (`delay` in milliseconds).
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
 * @csspart starter-button - A suggested first question; sends its prompt.
 * @csspart message - Each message; also `user` or `assistant` (its role).
 * @csspart content - A message's text.
 * @csspart reasoning - An answer's reasoning, a disclosure above its text; also its state: `thinking` (the model only thinks so far), `stopped` (the answer stopped or failed meanwhile) or `done`.
 * @csspart reasoning-summary - The reasoning's summary, the control that opens and closes it: "Thinking…" and the seconds so far, then "Thought for 12 seconds".
 * @csspart reasoning-content - The reasoning's text.
 * @csspart status - The waiting indicator, the note on a retry or a reconnection, the "Stopped" note, and the note on an answer cut short (length limit, content filter) or that asked for tools this chat cannot run.
 * @csspart tool-call - Each tool call's card in its answer; also its state (`approval`, `running`, `done`, `failed`, `denied`, `stopped`, `asked`), and `server` for a call the backend runs.
 * @csspart tool-approve-button - Approves a tool call waiting for the reader.
 * @csspart tool-deny-button - Denies a tool call waiting for the reader.
 * @csspart error - A failed answer's message.
 * @csspart retry-button - Asks again after a failure (after an offline one, only while the browser is online).
 * @csspart actions - The actions under a message: `copy-answer-button`, `regenerate-button`, `feedback-up-button`, `feedback-down-button`, `edit-button`.
 * @csspart copy-answer-button - Copies an answer's text.
 * @csspart regenerate-button - Asks for the last answer again.
 * @csspart feedback-up-button - Rates an answer good; `aria-pressed` while it is.
 * @csspart feedback-down-button - Rates an answer bad; `aria-pressed` while it is.
 * @csspart edit-button - Opens the last question in the inline editor.
 * @csspart editor - The inline editor of the last question: `editor-input`, `editor-cancel-button`, `editor-send-button`.
 * @csspart editor-input - The inline editor's text.
 * @csspart editor-cancel-button - Closes the inline editor, the question unchanged.
 * @csspart editor-send-button - Sends the edited question in place of the last.
 * @csspart login - The sign-in prompt's wrapper.
 * @csspart message-attachment - A file sent with a message, in its bubble: an image's thumbnail, or an icon, the file's name and size.
 * @csspart form - The input area.
 * @csspart attach-button - Opens the file chooser (with `accept`).
 * @csspart attachments - The files waiting to be sent, above the input: each an `attachment` (thumbnail or icon, name, size, upload progress or failure) with an `attachment-remove-button`.
 * @csspart attachment - A file waiting to be sent: its thumbnail or icon, name, size, and its upload's progress or failure.
 * @csspart attachment-remove-button - Takes a waiting file off the message.
 * @csspart attachment-error - What was said of files just refused (wrong type, too large, too many).
 * @csspart drop-target - Shown over the element while files are dragged over it (with `accept`); the element has the `drop-target` attribute meanwhile.
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
    format: {attribute: 'format'},
    maxTokens: {type: Number, attribute: 'max-tokens'},
    textPath: {attribute: 'text-path'},
    reasoningPath: {attribute: 'reasoning-path'},
    thinkTags: {attribute: 'think-tags', converter: thinkTagsAttribute},
    reasoning: {attribute: 'reasoning'},
    errorPath: {attribute: 'error-path'},
    donePath: {attribute: 'done-path'},
    noToken: {type: Boolean, attribute: 'no-token'},
    retries: {type: Number, attribute: 'retries'},
    firstByteTimeout: {type: Number, attribute: 'first-byte-timeout'},
    idleTimeout: {type: Number, attribute: 'idle-timeout'},
    resumeAttempts: {type: Number, attribute: 'resume-attempts'},
    getToken: {attribute: false},
    tools: {attribute: false},
    maxSteps: {type: Number, attribute: 'max-steps'},
    placeholder: {attribute: 'placeholder'},
    logLabel: {attribute: 'log-label'},
    headingLevel: {type: Number, attribute: 'heading-level'},
    inputLabel: {attribute: 'input-label'},
    strings: {attribute: false},
    headers: {attribute: false},
    extraBody: {attribute: false},
    noMarkdown: {type: Boolean, attribute: 'no-markdown'},
    highlight: {attribute: false},
    math: {attribute: false},
    messageView: {attribute: false},
    persist: {attribute: 'persist'},
    conversationId: {attribute: 'conversation-id'},
    storage: {attribute: false},
    actions: {attribute: 'actions'},
    starters: {attribute: 'starters', converter: {fromAttribute: parseStarters}},
    accept: {attribute: 'accept'},
    maxFileSize: {type: Number, attribute: 'max-file-size'},
    maxFiles: {type: Number, attribute: 'max-files'},
    upload: {attribute: false},
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
  /** The wire format, which also shapes the request body: `auto` (default), `openai`, `openai-responses`, `anthropic`, `ai-sdk`, `text`, `ndjson`; or, as a property, an adapter. */
  declare format: ChatFormatName | ChatFormat;
  /** The answer's token limit (Anthropic's defaults to 4096). */
  declare maxTokens: number | undefined;
  /** A dot path to the text in each JSON event, for a backend of its own (`answer`, `data.content`). */
  declare textPath: string;
  /** A dot path to the reasoning in each JSON event (with `text-path`). */
  declare reasoningPath: string;
  /** Whether a leading `<think>…</think>` in an answer's text is its reasoning (default true); the `think-tags="off"` attribute sets `false`. */
  declare thinkTags: boolean | undefined;
  /** How answers' reasoning shows: `collapsed` (default: folded, open while the model only thinks), `open` (always), `hidden` (never; it is still kept). */
  declare reasoning: string;
  /** A dot path to an event's error, or `path=value` for the events that are errors (with `text-path`). */
  declare errorPath: string;
  /** A dot path to the mark of the answer's end, or `path=value` (with `text-path`); without it the body's end is the end. */
  declare donePath: string;
  /** Send without a token: for open endpoints and same-origin cookie sessions. */
  declare noToken: boolean;
  /** How many times a request that fails before its answer begins (network error, first-byte timeout, 408, 429, 502, 503, 504) is sent again, after a growing wait or the server's `Retry-After` (default 2; 0 never). Never once the answer has begun. */
  declare retries: number | undefined;
  /** Seconds to wait for the first byte of the answer before the request counts as failed, and is retried (default 60; 0 forever). */
  declare firstByteTimeout: number | undefined;
  /** Seconds without a byte mid-answer (keep-alive comments count) before it fails as timed out, its text kept (default 60; 0 forever). */
  declare idleTimeout: number | undefined;
  /** How many times an answer whose connection broke is resumed from its last event `id` (`Last-Event-ID`), per break (default 1; 0 never). */
  declare resumeAttempts: number | undefined;
  /** Gets the token before each request (wins over `token`), and once more after a 401 with `{reason: 'unauthorized'}` to send again with a new one; a rejection fails the send. A property only. */
  declare getToken: ChatGetToken | undefined;
  /** The tools the model may call, by name (`{description, parameters, run, confirm}`): the session runs them between answers. A property only. */
  declare tools: Record<string, ChatTool> | undefined;
  /** How many answers one question may take, tool calls between them (default 5). */
  declare maxSteps: number | undefined;
  /** The input's placeholder (default: the locale's). */
  declare placeholder: string;
  /** The conversation's accessible name (default: the locale's "Conversation"). */
  declare logLabel: string;
  /** The input's accessible name (default: the locale's "Message"). */
  declare inputLabel: string;
  /** The heading level of the chat's place in the page (default 2): an answer's first heading is announced one level below it, the others relative to it (up to 6); `0` leaves them as written. */
  declare headingLevel: number;
  /** Replaces any of the built-in strings (labels, notes, announcements, errors shown to the reader): see `ChatStrings`. */
  declare strings: Partial<ChatStrings>;
  /** Extra request headers. */
  declare headers: Record<string, string>;
  /** Extra fields merged into each request body (e.g. `{temperature: 0.2}`). */
  declare extraBody: Record<string, unknown>;
  /** Render answers as plain text instead of Markdown. */
  declare noMarkdown: boolean;
  /** Colours finished code blocks: `(code, language) => Node | html string`. None is bundled. */
  declare highlight: Highlighter | undefined;
  /** Renders formulas (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`): `(tex, {display}) => Node | html string`. None is bundled; without it, TeX shows as code. */
  declare math: MathRenderer | undefined;
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
  /** The files the reader may attach, as `<input accept>` lists them (`image/*,.pdf`): it shows the Attach button and takes pasted and dropped files. Without it, nothing is attached. */
  declare accept: string;
  /** The largest file taken, in bytes (default 10485760, 10 MiB). */
  declare maxFileSize: number | undefined;
  /** How many files one message may carry (default 10). */
  declare maxFiles: number | undefined;
  /** Uploads each attached file as it is added, `(file, {signal, progress}) => url`, and the URL it gives is sent instead of a `data:` URL. A property only. */
  declare upload: ChatUpload | undefined;

  #session = new ChatSession();
  /** Whether the session is the element's own, which leaving the page stops. */
  #owned = true;
  readonly #settings: SessionSettings;
  readonly #tray = new AttachmentTray(
    this,
    (text) => this.#actions.announce(text),
    () => this.#strings,
    () => this.#shownLocale,
  );
  readonly #composer = new Composer(
    this,
    this.#tray,
    (text, chips) => this.#act(() => this.#session.send(text, {attachments: chips.map((chip) => chip.attachment!)}), text, chips),
    () => this.#actions.announce(this.#strings.busy),
  );
  readonly #actions = new LogActions(
    this,
    (action, typed) => this.#act(action, typed),
    () => this.#composer.input()?.focus(),
    () => this.#follow.pause(),
    () => this.#strings,
  );
  /** The built-in locale in use, its table once loaded, and the strings shown: English, then the locale's, then the page's `strings`. */
  #locale = 'en';
  #table: Partial<ChatStrings> = {};
  #shownLocale = 'en';
  #strings: ChatStrings = EN;
  /** Whether focus was in the sign-in prompt as it hid: the input takes it. */
  #refocus = false;
  /** Whether the last render showed the sign-in prompt (looked for only then: it comes after the whole log). */
  #loginShown = false;
  /** Whether the element set its own `dir` (for a right-to-left `lang`), which it then takes back when that changes. */
  #ownDir = false;
  #starters: Required<ChatStarter>[] = [];
  /** The action in progress, and the text and files a person gave for it (see #act). */
  #acting: Acting | null = null;
  #listening = false;
  /** The wait to send the answer's request again (or resume it), until its bytes arrive or it ends. */
  #retrying: ChatRetryDetail | null = null;
  /** The tool calls already announced as waiting for the reader's approval. */
  readonly #approvals = new ApprovalNotices();
  /** Before #follow: a message's text is drawn before the log scrolls to it. */
  readonly #list = new MessageList(this, {
    template: (message, index, bind) => {
      const {messages} = this.#session;
      return messageTemplate(message, {
        markdown: this.#renderers.markdown(message, this),
        reasoning: this.#reasoning.section(message, {markdown: this.#renderers.markdown(message, this), strings: this.#strings, locale: this.#shownLocale}),
        last: index === messages.length - 1,
        lastQuestion: index === this.#lastQuestion,
        editing: this.#actions.editing === message.id && index === this.#lastQuestion,
        retrying: this.#retrying?.messageId === message.id ? this.#retrying : undefined,
        actions: this.#shownActions,
        strings: this.#strings,
        locale: this.#shownLocale,
        bind,
      });
    },
    rendered: (message, container) => this.#views.bind(message, container),
    page: (page) => this.#follow.observe(page),
  });
  readonly #follow = new FollowNewest(() => this.renderRoot.querySelector('[part="log"]'));
  readonly #renderers = new Renderers();
  readonly #views = new MessageViews({
    factoryFor: (message) => this.#factoryFor(message),
    report: (detail) => this.dispatchEvent(chatEvent('update', detail, bubbles(this.#session, this))),
  });
  readonly #reasoning = new ReasoningSections(this, {factoryFor: (message) => this.#factoryFor(message)});
  /** The index of the last question, and the actions shown, as of the render under way. */
  #lastQuestion = -1;
  #shownActions: ReadonlySet<string> = new Set();

  constructor() {
    super();
    Object.assign(this, {endpoint: '', token: '', tokenHeader: 'Authorization', model: '', system: '', format: 'auto', maxTokens: undefined, textPath: '', reasoningPath: '', errorPath: '', donePath: '', noToken: false, headers: {}, extraBody: {}});
    this.#settings = new SessionSettings(this);
    Object.assign(this, {placeholder: '', logLabel: '', inputLabel: '', headingLevel: DEFAULT_HEADING_LEVEL, strings: {}, noMarkdown: false, persist: '', conversationId: '', actions: ALL_ACTIONS, starters: [], accept: ''});
    this.reasoning = 'collapsed';
    upgradeEarly(this, ['session', 'messages']);
    // Escape stops a streaming answer from anywhere in the element (the inline editor keeps its own Escape).
    this.addEventListener('keydown', (event) => {
      const key = event as KeyboardEvent;
      // Escape that cancels an IME composition is the composition's, not a Stop.
      if (key.key !== 'Escape' || key.isComposing || key.keyCode === 229 || event.defaultPrevented || !this.streaming) return;
      event.preventDefault();
      this.stop();
    });
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.#chooseLocale();
  }

  /**
   * Picks the built-in locale from the element's `lang`, else the document's, else the
   * browser's, and loads its strings (English shows until they arrive). A right-to-left
   * language lays the element out right to left unless the page set `dir` itself.
   */
  #chooseLocale(): void {
    const tag = this.lang || document.documentElement.lang || navigator.language || 'en';
    const rtl = isRightToLeft(tag);
    if (rtl && !this.hasAttribute('dir')) (this.dir = 'rtl'), (this.#ownDir = true);
    else if (!rtl && this.#ownDir) this.removeAttribute('dir'), (this.#ownDir = false);
    const locale = localeFor(tag);
    if (locale === this.#locale) return;
    this.#locale = locale;
    void loadLocale(locale).then((table) => {
      if (this.#locale !== locale) return;
      this.#table = table;
      // Numbers follow the words shown: English until (and unless) the locale's arrive.
      this.#shownLocale = Object.keys(table).length > 0 ? locale : 'en';
      this.#resolveStrings();
      this.requestUpdate();
    });
  }

  #resolveStrings(): void {
    this.#strings = {...EN, ...this.#table, ...this.strings};
  }

  /** The renderer of a message's text (and its reasoning's), by its role. */
  #factoryFor(message: Pick<ChatSessionMessage, 'role'>): MessageViewFactory {
    const {messageView, noMarkdown, highlight, math} = this;
    const headingLevel = Number.isFinite(this.headingLevel) ? Math.min(5, Math.max(0, Math.trunc(this.headingLevel))) : DEFAULT_HEADING_LEVEL;
    return this.#renderers.factory(message, {messageView, noMarkdown, highlight, math, labels: this.#strings, headingLevel});
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
    // The element's own session has no other view: it lets go of its answer and its storage.
    if (this.#owned) this.#session.dispose();
    this.#session = session;
    this.#owned = false;
    this.#settings.reset();
    if (this.isConnected) this.#configure();
    this.#listen(this.isConnected);
  }

  /** The conversation: the session's messages, each `{id, role, content, status, createdAt, …}`. Set `{role, content}` entries to restore one. */
  get messages(): readonly ChatSessionMessage[] {
    return this.#session.messages;
  }

  set messages(messages: readonly (ChatMessage | ChatSessionMessage)[]) {
    this.#session.messages = messages;
  }

  /** Whether an answer streams (or is still being drawn); reflected as the `streaming` attribute for styling. */
  get streaming(): boolean {
    return this.#session.streaming || this.#views.settling;
  }

  /**
   * Sends `text` (blank with `attachments`) as the next user message and resolves with what
   * happened, once the answer is drawn (never rejects for server or network failures). An answer
   * still streaming is stopped first. Rejects with a `TypeError` for an empty text without
   * attachments, a bad attachment, or a missing `endpoint`.
   */
  send(text: string, options?: {attachments?: readonly ChatAttachment[]}): Promise<ChatResult> {
    return this.#act(() => this.#session.send(text, options), null);
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
    this.#chooseLocale();
    for (const type of NETWORK_EVENTS) addEventListener(type, this.#onNetwork);
    if (this.#listening) return;
    // Back on the page after leaving it: the own session takes up its storage again.
    if (this.hasUpdated) this.#configure();
    this.#listen(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const type of NETWORK_EVENTS) removeEventListener(type, this.#onNetwork);
    // A move in the page (out and straight back in) changes nothing.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#views.settleNow(false);
      this.#listen(false);
      if (this.#owned) this.#session.dispose();
    });
  }

  /**
   * Runs a session action started here. `typed` is the text a person gave (`null` for a call
   * from code, `''` for Retry and Regenerate), and `chips` the files they sent with it: they go
   * back to the input when a `request` listener cancels the send, and the question does when a
   * sign-in is needed.
   */
  async #act(action: () => Promise<ChatResult>, typed: string | null, chips: readonly AttachmentChip[] = []): Promise<ChatResult> {
    const acting = {typed, chips};
    this.#acting = acting;
    acted(this.#session, this);
    try {
      this.#views.settleNow();
      this.#settings.apply(this, this.#session);
      if (!this.#session.options.url) throw new TypeError('chat-stream: set the `endpoint` attribute before sending');
      this.#follow.resume();
      const result = await action();
      await this.#views.drawn;
      return result;
    } catch (error) {
      // A text that could not be sent goes back to the input.
      this.#giveBack(acting, typed ?? '');
      throw error;
    } finally {
      if (this.#acting === acting) this.#acting = null;
    }
  }

  /** Gives a person's text (or the question a sign-in holds back) and files back to the composer. */
  #giveBack({typed, chips}: Acting, text: string): void {
    if (typed !== null && (text || chips.length > 0)) this.#composer.restore(text, chips);
  }

  /** Applies the element's settings to its session; a bad `headers` or `extraBody` waits for send() to name it. */
  #configure(): void {
    try {
      this.#settings.apply(this, this.#session);
    } catch {
      // send() rejects with the TypeError that names it.
    }
    this.#settings.persist(this, this.#session);
  }

  #listen(on: boolean): void {
    this.#listening = on;
    for (const type of SESSION_EVENTS) this.#session[on ? 'addEventListener' : 'removeEventListener'](type, this.#onSessionEvent);
    this.#session.watchUpdates(this.#onUpdate, on);
    showing(this.#session, this, on);
    this.#changed();
  }

  /** Retry after an offline failure shows only while the browser is online: coming back says so, and going offline takes focus off it to the input. */
  readonly #onNetwork = (event: Event): void => {
    const error = this.#session.messages.at(-1)?.error;
    if (event.type === 'online' && error?.code === 'offline' && bubbles(this.#session, this)) this.#actions.announce(this.#strings.online);
    if (event.type === 'offline' && this.shadowRoot?.activeElement?.matches('[part="retry-button"]')) this.#composer.input()?.focus();
    this.requestUpdate();
  };

  readonly #onUpdate = (detail: ChatUpdateDetail): void => {
    if (this.#retrying) (this.#retrying = null), this.requestUpdate();
    // A server call began or ended: its card changes with the answer's text.
    if (detail.toolCalls) this.requestUpdate();
    this.#reasoning.update(detail);
    this.#views.update(detail);
  };

  readonly #onSessionEvent = (event: Event): void => {
    const type = event.type as keyof ChatStreamEventMap | 'change';
    const {detail} = event as CustomEvent;
    if (type === 'retry') this.#retrying = detail;
    // Bytes arrived, or the run ended: the retry's note goes.
    else if (this.#retrying && type !== 'feedback' && (type !== 'change' || !this.#session.streaming)) (this.#retrying = null), this.requestUpdate();
    if (type === 'change') {
      // An answer the session ended without an event (clear, load, another tab) reports nothing more.
      if (!this.#session.streaming) queueMicrotask(() => this.#session.streaming || this.#views.stopped());
      return this.#changed();
    }
    // An earlier answer still being drawn fires its event first.
    this.#views.settleNow();
    // Several views of one session each fire its events; only one bubbles them to the page.
    const escapes = bubbles(this.#session, this);
    // The cancelable ones: the page cancels a send, or says it answers a tool call, on the element as on the session.
    if (type === 'request' || type === 'tool-call') {
      if (!this.dispatchEvent(chatEvent(type, detail, escapes, true))) event.preventDefault();
      if (type === 'tool-call') return;
      // Once every view's listeners have run: a cancelled send gives its text back.
      const acting = this.#acting;
      if (acting) queueMicrotask(() => event.defaultPrevented && this.#giveBack(acting, acting.typed ?? ''));
      return;
    }
    const fire = () => {
      // Listeners see the element as the event leaves it: the answer ended, Send back, Retry shown.
      this.#changed();
      if (this.isConnected && this.isUpdatePending) this.performUpdate();
      // Views sharing a session each have a live region: only the one whose events escape speaks.
      if (escapes) this.#announceEnd(type, detail);
      this.dispatchEvent(chatEvent(type, detail, escapes));
    };
    if ((type === 'done' || type === 'error') && detail.messageId) {
      this.#views.settle(detail.messageId, fire);
      return this.#changed();
    }
    if (type === 'stop' || type === 'login-required') this.#views.stopped();
    if (type === 'login-required' && this.#acting) this.#giveBack(this.#acting, detail.text);
    fire();
  };

  /** One announcement per finished answer (its text as drawn), per failure, per stop and per wait to retry: the log itself is silent. */
  #announceEnd(type: string, detail: {messageId?: string; text?: string; error?: unknown}): void {
    const strings = this.#strings;
    const message = this.#session.messages.find((entry) => entry.id === detail.messageId);
    if (type === 'done') {
      const content = this.#views.container(detail.messageId ?? '');
      const text = (content ? spokenText(content, ANNOUNCED) : (detail.text ?? '')).trim().replace(/\s+/g, ' ');
      // An answer of tool calls alone says nothing: the answer after them is announced.
      if (text === '' && message?.toolCalls) return;
      this.#actions.announce(fill(strings.answered, {text: text.length > ANNOUNCED ? `${text.slice(0, ANNOUNCED)}…` : text}));
    } else if (type === 'error' && message) this.#actions.announce(errorText(message.error, strings, this.#shownLocale));
    else if (type === 'stop') this.#actions.announce(strings.stopped);
    else if (type === 'retry') this.#actions.announce(retryText(detail as ChatRetryDetail, strings, this.#shownLocale));
  }

  #changed(): void {
    this.toggleAttribute('streaming', this.isConnected && this.streaming);
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const settings = [...Object.keys(OPTION_PROPERTIES), 'persist', 'conversationId', 'storage'];
    // Off the page the session is let go of: the settings apply when the element is back.
    if (this.isConnected && settings.some((property) => changed.has(property as keyof ChatStream))) this.#configure();
    if (changed.has('starters')) this.#starters = toStarters(this.starters);
    if (changed.has('strings')) this.#resolveStrings();
    if (changed.has('maxFileSize') || changed.has('maxFiles')) this.#tray.limit(this.maxFileSize, this.maxFiles);
    // Calls that began to wait together (in one render) are announced together; the cards themselves are not live.
    const waiting = this.#approvals.newlyWaiting(this.#session.messages.at(-1));
    if (waiting.length > 0 && bubbles(this.#session, this)) this.#actions.announce(fill(this.#strings.toolAsks, {tools: waiting.join(', ')}));
    // The sign-in prompt hides once a token comes: focus in it would drop to the page's <body>.
    this.#refocus = this.#loginShown && this.#session.status !== 'login-required' && this.#focusInLogin();
  }

  protected override updated(): void {
    this.#views.keep(this.#session.messages);
    if (this.#refocus) this.#composer.input()?.focus();
    this.#refocus = false;
  }

  /** Whether keyboard focus is in the shown sign-in prompt (the page's slotted control, or the prompt itself). */
  #focusInLogin(): boolean {
    const login = this.renderRoot.querySelector<HTMLElement>('[part="login"]');
    if (!login || login.hidden) return false;
    const active = document.activeElement;
    return (active !== null && active !== this && this.contains(active) && active.closest('[slot="login"]') !== null) || login.contains(this.shadowRoot?.activeElement ?? null);
  }

  /** The messages whose template shows more than the message itself (see MessageListState). */
  #marks(messages: readonly ChatSessionMessage[]): Map<number, unknown> {
    const marks = new Map<number, unknown>();
    if (this.#retrying) marks.set(messages.findIndex((message) => message.id === this.#retrying!.messageId), this.#retrying);
    if (this.#lastQuestion >= 0) marks.set(this.#lastQuestion, this.#actions.editing === messages[this.#lastQuestion]!.id ? 'editing' : 'question');
    // An answer streaming changes in place (its text, its server calls); the last message shows
    // Regenerate, and Retry while the browser is online: they are rendered anew each time.
    messages.forEach((message, index) => message.status === 'streaming' && marks.set(index, {}));
    marks.set(messages.length - 1, {});
    return marks;
  }

  // The frame, not the element, lays the parts out: the page may give the element any display.
  protected override render() {
    return html`<div class="frame">${this.#parts()}</div>`;
  }

  /** The header, the log, the sign-in prompt, the form and the drop target. */
  #parts() {
    const {messages, status} = this.#session;
    this.#loginShown = status === 'login-required';
    this.#lastQuestion = messages.findLastIndex((message) => message.role === 'user');
    const actions = typeof this.actions === 'string' ? this.actions : ALL_ACTIONS;
    this.#shownActions = new Set(actions.split(/\s+/));
    const strings = this.#strings;
    const list = this.#list.render(messages, {
      shared: [this.#session, actions, strings, this.#shownLocale, this.reasoning, this.#factoryFor({role: 'user'}), this.#factoryFor({role: 'assistant'})],
      marks: this.#marks(messages),
    });
    // The log is not live: screen readers hear one announcement per answer, not each token.
    return html`
      <div part="header"><slot name="header"></slot></div>
      <div part="log" role="log" aria-live="off" aria-busy=${this.streaming} aria-label=${this.logLabel || strings.log} @scroll=${this.#follow.onScroll} @click=${this.#actions.onClick} @keydown=${this.#actions.onKeyDown} @submit=${this.#actions.onSubmit}>
        ${messages.length === 0
          ? html`<div class="empty">
              <slot name="empty"><p part="empty">${strings.empty}</p></slot>
              ${this.#starters.length > 0
                ? html`<div part="starters">${this.#starters.map(({title, prompt}) => html`<button part="starter-button" type="button" data-action="starter" data-prompt=${prompt}>${title}</button>`)}</div>`
                : nothing}
            </div>`
          : list}
      </div>
      <div class="visually-hidden" role="status">${this.#actions.announcement}</div>
      <div part="login" role="alert" ?hidden=${status !== 'login-required'}>
        <slot name="login">${strings.signIn}</slot>
      </div>
      <form part="form" @submit=${this.#composer.onSubmit}>
        ${trayTemplate(this.#tray, this.accept, strings, this.#shownLocale)}
        <textarea part="input" rows="2" aria-label=${this.inputLabel || strings.input} placeholder=${this.placeholder || strings.placeholder} @keydown=${this.#composer.onKeyDown} @paste=${this.#tray.onPaste}></textarea>
        <button part="send-button" type="submit" aria-disabled=${!this.streaming && this.#tray.waiting ? 'true' : nothing} @click=${this.#composer.onButton}>${this.streaming ? strings.stop : strings.send}</button>
      </form>
      <div part="drop-target" aria-hidden="true" ?hidden=${!this.#tray.dragging}>${strings.dropFiles}</div>
    `;
  }
}

/** A session action a person started, with the text and files they gave for it. */
interface Acting {
  typed: string | null;
  chips: readonly AttachmentChip[];
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

/** Elements whose edges separate words when read aloud. */
const SPOKEN_BREAKS = /^(?:BR|P|LI|H[1-6]|PRE|DIV|TR|TD|TH|BLOCKQUOTE|HR|UL|OL|TABLE)$/;

/**
 * The text of a drawn answer as a screen reader would speak it: words apart at line breaks and
 * block edges, code blocks without their header (language, Copy). Only its start is announced,
 * so the walk stops once its words (whitespace collapsed) run past `limit` characters.
 */
function spokenText(root: Node, limit: number): string {
  let text = '';
  let collapseAt = 2 * limit;
  const walk = (parent: Node): boolean => {
    for (const node of parent.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) text += (node as Text).data;
      else if (node instanceof Element && !node.classList.contains('code-header')) {
        const gap = SPOKEN_BREAKS.test(node.tagName) ? ' ' : '';
        text += gap;
        if (walk(node)) return true;
        text += gap;
      }
      // Collapsed again only after `limit` more characters: linear however much whitespace it holds.
      if (text.length > collapseAt) {
        text = text.replace(/\s+/g, ' ');
        if (text.trimStart().length > limit + 1) return true;
        collapseAt = text.length + limit;
      }
    }
    return false;
  };
  walk(root);
  return text;
}

/**
 * Properties set before the element was defined are own properties that hide its accessors:
 * each is taken off and set again through its accessor (`session` before `messages`).
 */
function upgradeEarly(element: object, properties: readonly string[]): void {
  const own = element as Record<string, unknown>;
  for (const property of properties) {
    if (!Object.prototype.hasOwnProperty.call(own, property)) continue;
    const early = own[property];
    delete own[property];
    own[property] = early;
  }
}
