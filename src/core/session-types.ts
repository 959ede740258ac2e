import type {ChatFormat} from './format.js';
import type {ChatError, ChatErrorKind, ChatFieldPaths, ChatFormatName, ChatGetToken, ChatNetworkOptions, ChatRetry, ChatTiming, ChatToolCall, ChatUsage, ModerationFlag} from './types.js';

/** One message as a request's `messages` carries it, and as a page may set a conversation. */
export interface ChatMessage {
  /** `user`, `assistant` or `system` (any role the endpoint accepts). */
  role: string;
  /** The message's text (an answer's Markdown source); `''` for a question of attachments alone. */
  content: string;
  /**
   * A user message's files, sent with it in the format's own shape (a page's own format's
   * `buildBody` gets them as they are). Kept through Retry, Regenerate and Edit.
   */
  attachments?: ChatAttachment[];
}

/** A file sent with a user message: `readAttachment(file)` reads one. */
export interface ChatAttachment {
  /** The file's name. */
  name: string;
  /** Its MIME type, e.g. `image/png` (`application/octet-stream` when unknown). */
  type: string;
  /** Its size in bytes. */
  size: number;
  /** Where the model reads it: a `data:` URL (the default) or the URL the page's `upload` gave; absent when persistence did not keep it. */
  url?: string;
}

/** Options of {@link ChatSession.send} and {@link ChatSession.edit}. */
export interface ChatSendOptions {
  /**
   * The files sent with the question (each checked: a `TypeError` names a bad field). With any,
   * the text may be blank. For `edit`, leaving it out keeps the message's files.
   */
  attachments?: readonly ChatAttachment[];
}

/**
 * Where a message of a {@link ChatSession} stands.
 *
 * - `done`: complete (every user message; an answer that ended as it should).
 * - `streaming`: the answer is arriving.
 * - `stopped`: the answer was stopped (or the page left) before it ended; its text is kept.
 * - `error`: the answer failed; see `error`, and its text so far is kept.
 */
export type ChatMessageStatus = 'done' | 'streaming' | 'stopped' | 'error';

/** A thumbs-up or thumbs-down on an answer. */
export type ChatFeedback = 'up' | 'down';

/** One message of a {@link ChatSession}'s conversation. */
export interface ChatSessionMessage extends ChatMessage {
  /** Stable for the message's life, also across reloads when the conversation is persisted. */
  id: string;
  /** Where the message stands. */
  status: ChatMessageStatus;
  /** When the message was created, in milliseconds since the epoch. */
  createdAt: number;
  /** Why the answer failed (`status: 'error'`). Not persisted. */
  error?: ChatError;
  /** The model's reasoning, kept apart from `content`. Never sent back to the model. */
  reasoning?: string;
  /** How long the model reasoned, in milliseconds (from its first reasoning to the answer's first text), once known. */
  reasoningMs?: number;
  /** Why the model stopped (`stop`, `length`, …), when it said. */
  finishReason?: string;
  /** The reader's feedback on an answer. */
  feedback?: ChatFeedback;
  /** The tools the answer asked to call, and what became of each. */
  toolCalls?: ChatSessionToolCall[];
}

/**
 * Where a tool call stands.
 *
 * - `approval`: waiting for the reader to approve or deny it (`confirm`).
 * - `running`: its `run` (or the page, through `tool-call`) is working on it; a server call: the
 *   server is, while the answer streams.
 * - `done`: it gave `result`.
 * - `failed`: it could not run (unknown tool, invalid arguments, a `run` that threw, the step limit), or the server said it failed: see `error`.
 * - `denied`: the reader denied it.
 * - `stopped`: stopped before it ended (`stop()`, a reload).
 * - `asked`: nothing runs it: the session has no `tools` (the model asked, the page was not set up
 *   to answer); a server call: the answer ended without its outcome.
 */
export type ChatToolState = 'approval' | 'running' | 'done' | 'failed' | 'denied' | 'stopped' | 'asked';

/** A tool call of an answer, with what became of it (`result` when `done`, `error` when `failed`). A server call (`server: true`) is only shown. */
export interface ChatSessionToolCall extends ChatToolCall {
  state: ChatToolState;
}

/** A tool the page runs for the model. */
export interface ChatTool {
  /** What it does, for the model. */
  description?: string;
  /** Its input's JSON Schema. */
  parameters?: Record<string, unknown>;
  /** Runs it: the result (any JSON value, or a string) goes back to the model. `signal` aborts on `stop()`. Without it, a `tool-call` listener answers. */
  run?: (input: unknown, context: {signal: AbortSignal}) => unknown;
  /** Whether the reader approves each call first (or a function of the input that says so). */
  confirm?: boolean | ((input: unknown) => boolean);
}

/** Detail of `tool-call`, fired for each call before it runs: call `respond(result)` (now or later) to answer it yourself; `preventDefault()` to say you will. */
export interface ChatToolCallDetail {
  /** The answer's message id. */
  messageId: string;
  /** The call's id. */
  id: string;
  name: string;
  /** The input, parsed (`undefined` when the model wrote no valid JSON). */
  input: unknown;
  /** Answers the call with `result`; the first answer counts. */
  respond(result: unknown): void;
}

/**
 * What a {@link ChatSession} is doing.
 *
 * - `idle`: nothing is in flight.
 * - `loading`: a saved conversation is being read (only with an asynchronous storage adapter).
 * - `waiting`: a request is out and no answer text has arrived yet (reasoning may have).
 * - `streaming`: the answer's text is arriving.
 * - `error`: the last answer failed.
 * - `login-required`: the last request needs a sign-in (no token, or a 401); it ends with the
 *   next send, a new token or `clear()`.
 */
export type ChatSessionStatus = 'idle' | 'loading' | 'waiting' | 'streaming' | 'error' | 'login-required';

/**
 * Where a conversation is kept between page loads: an object whose methods may be synchronous
 * or return promises (an IndexedDB store, the page's own server).
 */
export interface ChatStorage {
  /**
   * The conversation saved under `id`: the messages `save` was given, or `{version, messages}`,
   * or `null`/`undefined` when there is none.
   */
  load(id: string): unknown;
  /** Saves the conversation under `id`. Only the fields listed in docs/element.md ("What is saved") are passed. */
  save(id: string, messages: ChatSessionMessage[]): void | Promise<void>;
  /** Removes the conversation under `id` (`clear()`); without it, an empty one is saved. */
  remove?(id: string): void | Promise<void>;
  /**
   * Calls `onChange` when another page (a tab) changed the conversation under `id`; returns a
   * function that stops. With it, a session merges the other page's messages into its own
   * before each save and on each change, so that neither page overwrites the other's.
   */
  subscribe?(id: string, onChange: () => void): () => void;
}

/**
 * Where a {@link ChatSession} keeps its conversation: `'local'` (localStorage), `'session'`
 * (sessionStorage), `'none'`, or an adapter.
 */
export type ChatStorageOption = 'local' | 'session' | 'none' | ChatStorage;

/** Options of a {@link ChatSession}: everything a request of the conversation needs, and where it is kept. */
export interface ChatSessionOptions extends ChatFieldPaths, Omit<ChatNetworkOptions, 'onRetry'> {
  /** The endpoint each request is POSTed to. Required to send. */
  url?: string | URL;
  /** The user's token. Never stored. */
  token?: string | null;
  /**
   * Called before each request for a fresh token (wins over `token`), and once more after a 401
   * with `{reason: 'unauthorized'}` to send again with a new one. A rejection fails the send
   * (`token_failed`).
   */
  getToken?: ChatGetToken;
  /** The header that carries the token (default `Authorization`, as `Bearer <token>`); any other name carries the raw token. */
  tokenHeader?: string;
  /** Whether a token is needed before anything is sent (default `true`). */
  requireToken?: boolean;
  /** Extra request headers (a plain object). */
  headers?: Record<string, string>;
  /** Extra fields merged into each request body, e.g. `{temperature: 0.2}` (a plain object). */
  body?: Record<string, unknown>;
  /** Sent as the body's `model` when set. */
  model?: string;
  /** A system prompt, sent first in `messages` when set. */
  system?: string;
  /** Whether a leading `<think>…</think>` in an answer's text is its reasoning (default `true`), as for `streamChat`. */
  thinkTags?: boolean;
  /** The `fetch` to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** The answers' wire format (default `auto`), as for `streamChat`; a named format also builds the request body its servers expect. */
  format?: ChatFormatName | ChatFormat;
  /** The answer's token limit, sent as the format names it (`max_tokens`; Anthropic's defaults to 4096, which its API requires). */
  maxTokens?: number;
  /** The tools the model may call, by name: declared in each request in the format's shape, and run when an answer asks for them. */
  tools?: Record<string, ChatTool>;
  /** How many answers one question may take, tool calls between them (default 5). */
  maxSteps?: number;
  /**
   * The longest `data:` URL of an attachment (in characters) that `storage` keeps (default
   * 262144): a longer one is saved without its `url`, and goes to the model as a note that the
   * file was not kept. Other URLs are always kept.
   */
  maxStoredAttachmentSize?: number;
  /** The conversation's key in `storage` (default `'default'`). */
  id?: string;
  /** Where the conversation is kept (default `'none'`). */
  storage?: ChatStorageOption;
  /** The conversation to start with, as for the `messages` setter. */
  messages?: readonly (ChatMessage | ChatSessionMessage)[];
}

/** Detail of `request`: change `body` or `headers` in place, or call `preventDefault()` to cancel the send. */
export interface ChatRequestDetail {
  /** The JSON body about to be sent, as the format builds it (by default `{...body, model?, stream: true, messages}`). */
  body: Record<string, unknown>;
  /** The extra headers about to be sent (the token header is added after this event). */
  headers: Record<string, string>;
  /** How many times this request may be sent again if it fails before its answer begins: set 0 for a backend that must not get it twice. */
  retries: number;
}

/** Detail of `retry`: the session waits `delay` ms, then sends the request again (or resumes the broken answer); `stop()` cancels. */
export interface ChatRetryDetail extends ChatRetry {
  /** The answer's message id. */
  messageId: string;
}

/** Detail of `update`, fired as an answer streams. */
export interface ChatUpdateDetail {
  /** The answer's message id. */
  messageId: string;
  /** The whole answer so far. */
  text: string;
  /** What was appended since the previous `update` (empty when only the reasoning changed, or on replacement). */
  delta: string;
  /** The model's reasoning so far. */
  reasoning: string;
  /** How long the model reasoned, in milliseconds; set once the answer's text followed the reasoning. */
  reasoningMs?: number;
  /** `true` when `text` replaced the answer instead of extending it (the moderation block; a closing think tag with no opening one). */
  replaced: boolean;
  /** Set when a call the server runs began or ended: the answer's `toolCalls`, each `running` until its outcome comes (`done`, `failed`). */
  toolCalls?: ChatSessionToolCall[];
}

/** Detail of `done`, fired when an answer is complete. */
export interface ChatDoneDetail {
  /** The answer's message id. */
  messageId: string;
  /** The complete answer. */
  text: string;
  /** The model's reasoning (`''` for none). */
  reasoning: string;
  /** How long the model reasoned, in milliseconds, or `null` when it did not. */
  reasoningMs: number | null;
  /** Why the model stopped (`stop`, `length`, …), or `null`. */
  finishReason: string | null;
  /** The completion's `id`, or `null`. */
  id: string | null;
  /** The whole conversation as the endpoint sees it, this answer included. */
  messages: ChatMessage[];
  /** `{code: 10013}` when moderation replaced the answer, else `null`. */
  sensitive: ModerationFlag | null;
  /** The tools the model asked to call (`[]` for none). */
  toolCalls: ChatToolCall[];
  /** The tokens the request used, when the stream said, else `null`. */
  usage: ChatUsage | null;
  /** How the request went over the network. */
  timing: ChatTiming;
  /** `true` when a proxy buffered the stream (it arrived in one burst after a long wait); see `ChatResult.buffered`. */
  buffered: boolean;
}

/** Detail of `error`: a request failed (its partial answer stays), or storage did. */
export interface ChatErrorDetail {
  /** The failed answer's message id; absent for `storage` errors and a failed `getToken()`. */
  messageId?: string;
  /** Where the failure came from: `http`, `business`, `stream`, `network` or `storage`. */
  kind: ChatErrorKind | 'storage';
  /** The status, the backend's or provider's code, or chat-stream's own code. */
  code: ChatError['code'];
  /** A message that names the problem. */
  message: string;
  /** The partial answer received before the failure (`''` for storage). */
  text: string;
  /** How the request went over the network (absent for `storage` and a failed `getToken()`). */
  timing?: ChatTiming;
  /** `true` when a proxy buffered the stream; see `ChatResult.buffered` (absent where `timing` is). */
  buffered?: boolean;
}

/** Detail of `stop`, fired when an answer is stopped. */
export interface ChatStopDetail {
  /** The answer's message id. */
  messageId: string;
  /** The partial answer, kept in the conversation. */
  text: string;
}

/** Detail of `login-required`. */
export interface ChatLoginRequiredDetail {
  /** `missing-token`: there is no token and nothing was sent; `unauthorized`: the server answered 401. */
  reason: 'missing-token' | 'unauthorized';
  /** The question, which left the conversation (with the answer it replaced) so that it can be asked again after signing in. */
  text: string;
  /** The question's files, which left with it. */
  attachments?: ChatAttachment[];
}

/** Detail of `feedback`, fired when the reader rates an answer. */
export interface ChatFeedbackDetail {
  /** The answer's message id. */
  messageId: string;
  /** The feedback, or `null` when it was taken back. */
  value: ChatFeedback | null;
  /** The answer, with its feedback. */
  message: ChatSessionMessage;
}

/** Every event a {@link ChatSession} fires, by name. */
export interface ChatSessionEventMap {
  request: CustomEvent<ChatRequestDetail>;
  update: CustomEvent<ChatUpdateDetail>;
  done: CustomEvent<ChatDoneDetail>;
  error: CustomEvent<ChatErrorDetail>;
  stop: CustomEvent<ChatStopDetail>;
  'login-required': CustomEvent<ChatLoginRequiredDetail>;
  feedback: CustomEvent<ChatFeedbackDetail>;
  retry: CustomEvent<ChatRetryDetail>;
  'tool-call': CustomEvent<ChatToolCallDetail>;
  /** After any change of `messages`, `status` or `streaming`, except an answer's text growing (`update`). */
  change: Event;
}
