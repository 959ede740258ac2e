import {LitElement, html, type PropertyValues} from 'lit';
import {ChatSession, type ChatAttachment, type ChatFormat, type ChatFormatName, type ChatGetToken, type ChatMessage, type ChatResult, type ChatSessionMessage, type ChatStorage, type ChatTool} from './core/index.js';
import {styles} from './chat-stream.styles.js';
import {chatEvent, type ChatStreamEventMap} from './events.js';
import type {Highlighter} from './markdown/blocks.js';
import type {MathRenderer} from './markdown/math.js';
import type {MessageViewFactory} from './message-view.js';
import {MessageViews, Renderers} from './message-views.js';
import {MessageList, listMarks} from './message-list.js';
import {FollowNewest} from './follow-newest.js';
import {Composer} from './composer.js';
import {AttachmentTray, type ChatUpload} from './attachment-tray.js';
import {LogActions} from './log-actions.js';
import {OPTION_PROPERTIES, SessionSettings, thinkTagsAttribute} from './session-settings.js';
import {SessionEvents} from './session-events.js';
import {ReasoningSections} from './reasoning-sections.js';
import {bubbles} from './shared-views.js';
import {emptyTemplate, parseStarters, toStarters, type ChatStarter} from './starters.js';
import {ElementLocale} from './element-locale.js';
import {fill, type ChatStrings} from './strings.js';
import {messageTemplate} from './message-template.js';
import {ApprovalNotices} from './tool-cards.js';
import {upgradeEarly} from './early-properties.js';
import {PersonActions} from './person-actions.js';

const ALL_ACTIONS = 'copy regenerate edit feedback';
/** An answer's `#` is a level-3 heading by default: below the page's title and the chat's own. */
const DEFAULT_HEADING_LEVEL = 2;

/**
 * A streaming AI chat: a view over a {@link ChatSession} (its `session`), with the conversation,
 * message actions, a multi-line input and a Send button that becomes Stop while an answer
 * streams. Answers are rendered as text, never as HTML.
 *
 * @tagname chat-stream
 *
 * @attr [lang=the document's, else the browser's] - The language of the element's strings and numbers (the `lang` property): a built-in locale (ar, de, es, fr, ja, ko, pt-BR, zh-CN, zh-TW; else English, see [Languages](accessibility.md#languages)); without it, the page's `lang`, then the browser's. An Arabic (or other right-to-left) language lays the element out right to left unless the page set `dir`.
 *
 * @fires request - Before each request. Cancelable: `preventDefault()` cancels the send (nothing is sent, the typed text goes back to the input). Detail: `{body, headers, retries}`: change them in place (the token header is added after); set `retries` to `0` for a backend that must never get the request twice.
 * @fires tool-call - Before each tool call of an answer runs (with `tools`). Cancelable: `preventDefault()` says the page answers it. Detail: `{messageId, id, name, input, respond}`: `respond(result)` answers the call ([Client tools](core.md#client-tools)).
 * @fires retry - Before each wait to send a request again: it failed before its answer began, or its answer broke and is resumed ([Networks and failures](networks.md)); the answer shows it. `stop()` cancels the wait. Detail: `{messageId, resume, attempt, attempts, delay, error}`: `delay` in milliseconds, `error` the failure retried.
 * @fires update - As the answer streams: once per render (at most once per frame: the first text in the next frame, then about every 100 ms; many chunks make one event), once a frame while only the reasoning grows (`delta` empty), and once more before `done`. Detail: `{messageId, text, delta, reasoning, replaced, toolCalls?}`: the answer's id, the whole answer so far, everything appended since the previous `update`, the reasoning so far, whether `text` replaced the answer (moderation), and, when a [server call](core.md#server-calls) began or ended since, the answer's calls.
 * @fires done - An answer is complete and drawn. Detail: `{messageId, text, finishReason, id, messages, sensitive, toolCalls, usage, timing, buffered, reasoning, reasoningMs}`: `messages` is the conversation as the endpoint sees it (`{role, content}[]`), this answer included (an answer of tool calls alone is left out until tools run); `sensitive` is `{code: 10013}` when moderation replaced it, else `null`; `timing` is `{firstByteMs, totalMs, chunks, longestGapMs, retries, resumed}`; `buffered` is `true` when a proxy held the stream back and sent it in one burst; `toolCalls`, `usage`, `timing`, `buffered`, `reasoning` and `reasoningMs` (from the first reasoning to the first answer text, `null` without reasoning) as in [`ChatResult`](core.md#streamchatoptions-promisechatresult).
 * @fires error - A request failed (not for 401: see `login-required`), or storage did. A failed answer stays visible with the message and Retry. Does not bubble. Detail: `{messageId?, kind, code, message, text, timing?, buffered?}`: `kind` is `http`, `business`, `stream`, `network` or `storage`; `code` is `timeout` or `offline` for those network failures; `text` is the partial answer, kept (`''` for storage); `timing` and `buffered` as in [`ChatResult`](core.md#streamchatoptions-promisechatresult). A `getToken()` that failed fails the answer with `token_failed`, Retry shown.
 * @fires stop - An answer was stopped by `stop()`, the Stop button or a new send. Detail: `{messageId, text}`: the partial answer, kept.
 * @fires login-required - No token (nothing was sent, and no `request` fired) or the server answered 401. The conversation stays as it was before the request; a new text goes back to the input; the `login` slot is shown instead of an error until the next send, a new token or `clear()`. Detail: `{reason: 'missing-token' | 'unauthorized', text}`: `text` is the new text (a typed question, an edit), `''` for Retry and Regenerate.
 * @fires feedback - The reader rated an answer (or took the rating back). Detail: `{messageId, value: 'up' | 'down' | null, message}`.
 *
 * @slot header - Above the conversation.
 * @slot empty - While the conversation is empty, above the starters (default: "Ask anything to start the conversation.").
 * @slot login - The sign-in prompt: after `login-required` until the next send or a new token (default: "Please sign in to continue.").
 *
 * @csspart header - The header slot's wrapper.
 * @csspart log - The scrolling conversation.
 * @csspart empty - The default empty state.
 * @csspart starters - The starter buttons' wrapper; each is a `starter-button`.
 * @csspart starter-button - A suggested first question; sends its prompt.
 * @csspart message - Each message; also `user` or `assistant` (its role).
 * @csspart content - A message's text.
 * @csspart reasoning - An answer's [reasoning](#the-models-thinking-reasoning), a disclosure (`<details>`) above its text; also its state: `thinking` (the model only thinks so far), `stopped` (the answer stopped or failed meanwhile) or `done`.
 * @csspart reasoning-summary - The reasoning's summary, the control that opens and closes it: "Thinking…" and the seconds so far, then "Thought for 12 seconds".
 * @csspart reasoning-content - The reasoning's text.
 * @csspart status - The waiting indicator, the note on a retry or a reconnection, the "Stopped" note, and the note on an answer cut short (length limit, content filter) or that asked for tools this chat cannot run.
 * @csspart tool-call - Each [tool call's card](#tool-calls) in its answer; also its state (`approval`, `running`, `done`, `failed`, `denied`, `stopped`, `asked`), and `server` for a call the backend runs.
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
 * @csspart send-button - Send, or Stop while streaming: style it with `chat-stream[streaming]::part(send-button)`.
 * @csspart code-block - A fenced code block in an answer (language label, Copy, code).
 * @csspart copy-button - Copies a code block's code.
 *
 * @cssprop [--chat-stream-font=system UI stack] - Font of the whole element.
 * @cssprop [--chat-stream-font-size=`15px`] - Base font size.
 * @cssprop [--chat-stream-color=`#1f2328` / `#e6edf3`] - Text colour.
 * @cssprop [--chat-stream-background=`#ffffff` / `#0d1117`] - Background colour.
 * @cssprop [--chat-stream-border-color=`#d8dee4` / `#30363d`; the input `#818b98` / `#6e7681`] - Borders and dividers, and the input's edge (3:1 against the background by default, WCAG 1.4.11).
 * @cssprop [--chat-stream-accent=`#2563eb` / `#3b82f6`] - The Send button, the focus ring and links; the Send button is `#2563eb` in both schemes (white on it is 5.2:1) unless this is set.
 * @cssprop [--chat-stream-accent-color=`#ffffff`] - Text on the accent colour.
 * @cssprop [--chat-stream-user-background=`#eef2ff` / `#1e2a4a`] - User messages' background.
 * @cssprop [--chat-stream-user-color=text colour] - User messages' text.
 * @cssprop [--chat-stream-assistant-background=`#f6f8fa` / `#161b22`] - Assistant messages' background.
 * @cssprop [--chat-stream-assistant-color=text colour] - Assistant messages' text.
 * @cssprop [--chat-stream-muted-color=`#59636e` / `#8b949e`] - Status notes, placeholders and actions.
 * @cssprop [--chat-stream-error-color=`#b42318` / `#ff7b72`] - Error messages.
 * @cssprop [--chat-stream-radius=`12px`] - Corner radius of messages, input and buttons.
 * @cssprop [--chat-stream-gap=`12px`] - Spacing between and inside the pieces.
 * @cssprop [--chat-stream-height=`32rem`] - The element's height.
 * @cssprop [--chat-stream-code-font=monospace stack] - Font of code.
 * @cssprop [--chat-stream-code-background=translucent grey] - Background of inline code, code headers and table headers.
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

  /** The URL the conversation is POSTed to (the session's `url`); required to send.
   * @default '' */
  declare endpoint: string;
  /** The user's token. Set as a property, it is never written to an attribute.
   * @default '' */
  declare token: string;
  /** The header that carries the token: `Authorization` sends `Bearer <token>`; any other name (e.g. `token-header="token"`, the original backend) sends the raw token.
   * @default 'Authorization' */
  declare tokenHeader: string;
  /** Sent as the body's `model` when set.
   * @default '' */
  declare model: string;
  /** A system prompt, placed first in `messages`.
   * @default '' */
  declare system: string;
  /** The wire format: `auto`, `openai`, `openai-responses`, `anthropic`, `ai-sdk`, `text` or `ndjson` (see [Formats](backends.md#formats)); a named format also builds the request body its servers expect ([Request bodies](backends.md#request-bodies)). The property also takes [your own adapter](backends.md#your-own-format-an-adapter).
   * @default 'auto' */
  declare format: ChatFormatName | ChatFormat;
  /** The answer's token limit, sent as the format names it (Anthropic's defaults to 4096, which its API requires).
   * @default none */
  declare maxTokens: number | undefined;
  /** A dot path to the text in each JSON event, for a backend of its own (Dify's `answer`, ERNIE's `result`, `data.content`); see [Field paths](backends.md#field-paths).
   * @default '' */
  declare textPath: string;
  /** A dot path to the reasoning in each JSON event (with `text-path`; see [Field paths](backends.md#field-paths)).
   * @default '' */
  declare reasoningPath: string;
  /** Whether a leading `<think>…</think>` in an answer's text is its reasoning ([Reasoning](core.md#reasoning)). `think-tags="off"` (the property `false`) reads no such tags: they stay the answer's text. Any other value leaves them read.
   * @default on */
  declare thinkTags: boolean | undefined;
  /** How answers' reasoning shows ([The model's thinking](#the-models-thinking-reasoning)): `collapsed` (folded, open while the model only thinks), `open` (always), `hidden` (never; it is still kept). Another value is named in the console and `collapsed` applies. */
  declare reasoning: string;
  /** A dot path to an event's error, or `path=value` for the events that are errors (`error-path="event=error"`), with `text-path`; see [Field paths](backends.md#field-paths).
   * @default '' */
  declare errorPath: string;
  /** A dot path to the mark of the answer's end, or `path=value` (with `text-path`; see [Field paths](backends.md#field-paths)); without it the body's end is the end.
   * @default '' */
  declare donePath: string;
  /** Boolean: send without a token (open endpoints, same-origin cookie sessions). Without it and without a token nothing is sent and `login-required` fires.
   * @default false */
  declare noToken: boolean;
  /** How many times a request that fails before its answer begins (network error, first-byte timeout, 408, 429, 502, 503, 504) is sent again, after a growing wait or the server's `Retry-After` ([Networks and failures](networks.md)); `0` never. Never once the answer has begun.
   * @default 2 */
  declare retries: number | undefined;
  /** Seconds to wait for the first byte of the answer before the request counts as failed, and is retried like a network error; `0` forever.
   * @default 60 */
  declare firstByteTimeout: number | undefined;
  /** Seconds without a byte mid-answer (keep-alive comments count) before it fails with `timeout`, its text kept; `0` forever.
   * @default 60 */
  declare idleTimeout: number | undefined;
  /** How many times an answer whose connection broke is resumed from its last event `id` (`Last-Event-ID`), per break; `0` never.
   * @default 1 */
  declare resumeAttempts: number | undefined;
  /** `(context?) => string | null | Promise<…>`: gets the token before each request (wins over `token`), and once more after a 401 with `{reason: 'unauthorized'}`: the request is sent again with the new token, and only a second 401 fires `login-required`. Requests that meet a 401 together share one call. A rejection fails the answer with `token_failed`. A property only. */
  declare getToken: ChatGetToken | undefined;
  /** The tools the model may call, by name: `{description, parameters, run(input, {signal}), confirm}`; the session runs them between answers ([Client tools](core.md#client-tools)). A property only. */
  declare tools: Record<string, ChatTool> | undefined;
  /** With `tools`: how many answers one question may take, tool calls between them ([Client tools](core.md#client-tools)).
   * @default 5 */
  declare maxSteps: number | undefined;
  /** The input's placeholder.
   * @default the locale's (`'Message'`) */
  declare placeholder: string;
  /** The conversation log's accessible name.
   * @default the locale's (`'Conversation'`) */
  declare logLabel: string;
  /** The input's accessible name.
   * @default the locale's (`'Message'`) */
  declare inputLabel: string;
  /** The heading level of the chat's place in the page: an answer's first heading is announced one level below it and the others relative to the first (never above it, at most 6), so an answer that starts at `##` skips no level; `0` leaves them as written. Their tags, and so their look, stay.
   * @default 2 */
  declare headingLevel: number;
  /** Replaces any built-in string (`ChatStrings`): labels, the placeholder, notes, announcements, errors shown to the reader ([Languages](accessibility.md#languages)). */
  declare strings: Partial<ChatStrings>;
  /** Extra request headers. Anything but a plain object makes `send()` reject with a `TypeError` naming `headers`. */
  declare headers: Record<string, string>;
  /** Fields merged into each request body, e.g. `{temperature: 0.2}`. Anything but a plain object makes `send()` reject with a `TypeError` naming `extraBody`. */
  declare extraBody: Record<string, unknown>;
  /** Boolean: render answers as plain text instead of Markdown.
   * @default false */
  declare noMarkdown: boolean;
  /** `(code, language) => Node | string | void`: colours each finished fenced code block (none is bundled). Return a Node, or an HTML string you vouch for (highlight.js and Shiki escape their input); return nothing to keep plain text. Setting it (or `no-markdown`, `math`, or `messageView`) later renders the answers already shown anew. */
  declare highlight: Highlighter | undefined;
  /** `(tex, {display}) => Node | string | void`: renders formulas (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`; see [Math](markdown.md#math)); none is bundled. Return a Node, or an HTML string you vouch for (KaTeX's `renderToString` escapes its input); return nothing, or throw, and the TeX shows as code. */
  declare math: MathRenderer | undefined;
  /** `(container) => {append, replace, end?}`: replaces the answer renderer (Markdown, or plain text with `no-markdown`) with your own, the seam for a renderer of your own; `append(delta)` must insert text as text. */
  declare messageView: MessageViewFactory | undefined;
  /** `local` or `session`: keep the conversation in localStorage or sessionStorage (see [Conversations that last](#conversations-that-last-persist)). Another value is named in the console and keeps nothing.
   * @default '' */
  declare persist: string;
  /** The conversation's key in storage; changing it switches conversations.
   * @default the page's path */
  declare conversationId: string;
  /** A [storage adapter](core.md#storage-adapters) `{load(id), save(id, messages), remove?, subscribe?}`; wins over `persist`. */
  declare storage: ChatStorage | undefined;
  /** The message actions that show: any of `copy regenerate edit feedback`.
   * @default 'copy regenerate edit feedback' */
  declare actions: string;
  /** Suggested first questions, shown in the empty state: as an attribute, prompts separated by `|`, or a JSON array; as a property, strings or `{title, prompt}` (`(string | {title, prompt})[]`).
   * @default [] */
  declare starters: (string | ChatStarter)[];
  /** The files a reader may attach, as `<input accept>` lists them (`image/*,.pdf`; a wildcard of both halves takes any file): it turns on the Attach button, paste and drop ([Attachments](#attachments)). Without it, nothing is attached.
   * @default '' */
  declare accept: string;
  /** The largest file attached, in bytes (10 MiB).
   * @default 10485760 */
  declare maxFileSize: number | undefined;
  /** How many files one message may carry.
   * @default 10 */
  declare maxFiles: number | undefined;
  /** `(file, {signal, progress}) => string | URL | Promise<…>`: uploads each attached file as it is attached; the URL it gives is sent instead of a `data:` URL. `progress(fraction)` shows on the file's chip; `signal` aborts when the chip is removed ([Attachments](#attachments)). A property only. */
  declare upload: ChatUpload | undefined;

  #session = new ChatSession();
  /** Whether the session is the element's own, which leaving the page stops. */
  #owned = true;
  readonly #settings: SessionSettings;
  readonly #locale = new ElementLocale(this);
  readonly #tray = new AttachmentTray(
    this,
    (text) => this.#actions.announce(text),
    () => this.#locale.strings,
    () => this.#locale.shown,
  );
  readonly #composer = new Composer(
    this,
    this.#tray,
    (text, chips) => this.#person.run(() => this.#session.send(text, {attachments: chips.map((chip) => chip.attachment!)}), text, chips),
    () => this.#actions.announce(this.#locale.strings.busy),
  );
  readonly #actions = new LogActions(
    this,
    (action, typed) => this.#person.run(action, typed),
    () => this.#composer.input()?.focus(),
    () => this.#follow.pause(),
    () => this.#locale.strings,
  );
  /** Whether focus was in the sign-in prompt as it hid: the input takes it. */
  #refocus = false;
  /** Whether the last render showed the sign-in prompt (looked for only then: it comes after the whole log). */
  #loginShown = false;
  #starters: Required<ChatStarter>[] = [];
  /** The tool calls already announced as waiting for the reader's approval. */
  readonly #approvals = new ApprovalNotices();
  /** Before #follow: a message's text is drawn before the log scrolls to it. */
  readonly #list = new MessageList(this, {
    template: (message, index, bind) => {
      const {messages} = this.#session;
      const {strings, shown: locale} = this.#locale;
      const retrying = this.#events.retrying;
      return messageTemplate(message, {
        markdown: this.#renderers.markdown(message, this),
        reasoning: this.#reasoning.section(message, {markdown: this.#renderers.markdown(message, this), strings, locale}),
        last: index === messages.length - 1,
        lastQuestion: index === this.#lastQuestion,
        editing: this.#actions.editing === message.id && index === this.#lastQuestion,
        retrying: retrying?.messageId === message.id ? retrying : undefined,
        actions: this.#shownActions,
        strings,
        locale,
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
  readonly #events = new SessionEvents(this, {
    views: this.#views,
    reasoning: this.#reasoning,
    locale: this.#locale,
    announce: (text) => this.#actions.announce(text),
    focusInput: () => this.#composer.input()?.focus(),
    changed: () => this.#changed(),
    flush: () => this.isConnected && this.isUpdatePending && this.performUpdate(),
    requested: (event) => this.#person.requested(event),
    loginRequired: (text) => this.#person.loginRequired(text),
  });
  readonly #person: PersonActions = new PersonActions(this, {views: this.#views, follow: this.#follow, composer: this.#composer, apply: () => this.#settings.apply(this, this.#session)});
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
    if (name === 'lang') this.#locale.choose();
  }

  /** The renderer of a message's text (and its reasoning's), by its role. */
  #factoryFor(message: Pick<ChatSessionMessage, 'role'>): MessageViewFactory {
    const {messageView, noMarkdown, highlight, math} = this;
    const headingLevel = Number.isFinite(this.headingLevel) ? Math.min(5, Math.max(0, Math.trunc(this.headingLevel))) : DEFAULT_HEADING_LEVEL;
    return this.#renderers.factory(message, {messageView, noMarkdown, highlight, math, labels: this.#locale.strings, headingLevel});
  }

  /** The conversation this element shows and drives (its own by default). Assign one to share it between views; the element's attributes that are set apply to it. Anything but a `ChatSession` throws a `TypeError`. */
  get session(): ChatSession {
    return this.#session;
  }

  set session(session: ChatSession) {
    if (!(session instanceof EventTarget) || typeof (session as ChatSession).send !== 'function') {
      throw new TypeError('chat-stream: `session` must be a ChatSession from chat-stream/core');
    }
    if (session === this.#session) return;
    this.#events.listen(false);
    this.#views.reset();
    // The element's own session has no other view: it lets go of its answer and its storage.
    if (this.#owned) this.#session.dispose();
    this.#session = session;
    this.#owned = false;
    this.#settings.reset();
    if (this.isConnected) this.#configure();
    this.#events.listen(this.isConnected);
  }

  /** The conversation, read from the session: every message as `{id, role, content, status, createdAt, error?, reasoning?, reasoningMs?, finishReason?, feedback?, toolCalls?, attachments?}`, `status` being `done`, `streaming`, `stopped` or `error`. Set it to restore one (also before the element is defined, as an inline script before the bundle does; a long one shows its newest messages first and the rest over the next moments, while `messages` reads back all of it at once), with plain `{role, content}` entries (which get an id, `done` and a creation time) or saved entries (kept as they are). Setting anything else throws a `TypeError` naming the bad entry (`messages[1]`, `messages[2].id`). */
  get messages(): readonly ChatSessionMessage[] {
    return this.#session.messages;
  }

  set messages(messages: readonly (ChatMessage | ChatSessionMessage)[]) {
    this.#session.messages = messages;
  }

  /** Whether an answer streams (or is still being drawn); reflected as the `streaming` attribute for styling, e.g. `chat-stream[streaming]`. */
  get streaming(): boolean {
    return this.#session.streaming || this.#views.settling;
  }

  /**
   * Sends `text` as the next user message with the whole conversation and resolves with the
   * core's [`ChatResult`](core.md#streamchatoptions-promisechatresult) once the answer is drawn
   * (never rejects for server or network failures). An answer still streaming is stopped first.
   * `options.attachments` sends files with it (`{name, type, size, url}[]`; `text` may then be
   * `''`). Rejects with a `TypeError` for an empty text without attachments, a bad attachment, a
   * missing `endpoint`, or `headers` or `extraBody` that are not plain objects.
   */
  send(text: string, options?: {attachments?: readonly ChatAttachment[]}): Promise<ChatResult> {
    return this.#person.run(() => this.#session.send(text, options), null);
  }

  /** Stops the answer that is streaming: its partial text stays, marked Stopped, and `stop` fires. An answer that has already arrived whole and is only being drawn is finished instead (`done` fires). */
  stop(): void {
    if (this.#views.settling) this.#views.settleNow();
    else this.#session.stop();
  }

  /** Empties the conversation (and its saved copy), aborting any answer in flight without events. */
  clear(): void {
    this.#views.settleNow(false);
    this.#session.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#locale.choose();
    this.#events.watchNetwork(true);
    if (this.#events.listening) return;
    // Back on the page after leaving it: the own session takes up its storage again.
    if (this.hasUpdated) this.#configure();
    this.#events.listen(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#events.watchNetwork(false);
    // A move in the page (out and straight back in) changes nothing.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#views.settleNow(false);
      this.#events.listen(false);
      if (this.#owned) this.#session.dispose();
    });
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

  #changed(): void {
    this.toggleAttribute('streaming', this.isConnected && this.streaming);
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const settings = [...Object.keys(OPTION_PROPERTIES), 'persist', 'conversationId', 'storage'];
    // Off the page the session is let go of: the settings apply when the element is back.
    if (this.isConnected && settings.some((property) => changed.has(property as keyof ChatStream))) this.#configure();
    if (changed.has('starters')) this.#starters = toStarters(this.starters);
    if (changed.has('strings')) this.#locale.resolve();
    if (changed.has('maxFileSize') || changed.has('maxFiles')) this.#tray.limit(this.maxFileSize, this.maxFiles);
    // Calls that began to wait together (in one render) are announced together; the cards themselves are not live.
    const waiting = this.#approvals.newlyWaiting(this.#session.messages.at(-1));
    if (waiting.length > 0 && bubbles(this.#session, this)) this.#actions.announce(fill(this.#locale.strings.toolAsks, {tools: waiting.join(', ')}));
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
    const {strings, shown: locale} = this.#locale;
    const list = this.#list.render(messages, {
      shared: [this.#session, actions, strings, locale, this.reasoning, this.#factoryFor({role: 'user'}), this.#factoryFor({role: 'assistant'})],
      marks: listMarks(messages, {retrying: this.#events.retrying, lastQuestion: this.#lastQuestion, editing: this.#actions.editing}),
    });
    const {accept, inputLabel, placeholder} = this;
    // The log is not live: screen readers hear one announcement per answer, not each token.
    return html`
      <div part="header"><slot name="header"></slot></div>
      <div part="log" role="log" aria-live="off" aria-busy=${this.streaming} aria-label=${this.logLabel || strings.log} @scroll=${this.#follow.onScroll} @click=${this.#actions.onClick} @keydown=${this.#actions.onKeyDown} @submit=${this.#actions.onSubmit}>
        ${messages.length === 0 ? emptyTemplate(this.#starters, strings) : list}
      </div>
      <div class="visually-hidden" role="status">${this.#actions.announcement}</div>
      <div part="login" role="alert" ?hidden=${status !== 'login-required'}>
        <slot name="login">${strings.signIn}</slot>
      </div>
      ${this.#composer.template({accept, inputLabel, placeholder, strings, locale})}
      <div part="drop-target" aria-hidden="true" ?hidden=${!this.#tray.dragging}>${strings.dropFiles}</div>
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
