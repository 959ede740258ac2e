import type {ChatFormat} from './format.js';

/**
 * How a chat request ended.
 *
 * - `done`: the answer is complete.
 * - `error`: the server, the network or the stream failed; see {@link ChatResult.error}.
 * - `aborted`: the caller aborted through `signal`.
 * - `login-required`: there was no token (nothing was sent) or the server answered 401.
 */
export type ChatStatus = 'done' | 'error' | 'aborted' | 'login-required';

/**
 * Where a failure came from.
 *
 * - `http`: a non-2xx status.
 * - `business`: the backend answered with its own `{code, msg}` error, or with something
 *   that is not an answer at all.
 * - `stream`: the event stream reported an error, carried malformed data, or ended too early.
 * - `network`: the request could not be made, or the connection broke while reading.
 */
export type ChatErrorKind = 'http' | 'business' | 'stream' | 'network';

/**
 * The wire format of an answer: `openai` (chat completions), `openai-responses` (OpenAI's
 * Responses API), `anthropic` (Anthropic's Messages API), `ai-sdk` (the Vercel AI SDK's UI
 * message stream), `text` (a plain text body, or Server-Sent Events of text), `ndjson`
 * (Ollama's native newline-delimited JSON), or `auto` (decided from the response: the AI SDK's
 * header, then NDJSON or plain text by content type, else by its first event).
 */
export type ChatFormatName = 'auto' | 'openai' | 'openai-responses' | 'anthropic' | 'ai-sdk' | 'text' | 'ndjson';

/**
 * Dot paths into each JSON event, for a backend whose answer sits in a field of its own
 * (`answer`, `result`, `data.content`; a number picks an array's item: `choices.0.text`).
 * Setting any of them reads the answer by them: `textPath` is then required.
 */
export interface ChatFieldPaths {
  /** Where each event carries a piece of the answer's text. */
  textPath?: string;
  /** Where each event carries a piece of the reasoning. */
  reasoningPath?: string;
  /** Where an event carries an error (its message, or an object with one); or `path=value`: the event whose `path` holds `value` is the error. */
  errorPath?: string;
  /** Where an event says the answer is complete (any value but `null`, `false`, `0`, `''`), or `path=value`. Without it, the end of the body is the end. */
  donePath?: string;
}

/** A failure, described well enough to show to a person and to branch on. */
export interface ChatError {
  /** Where the failure came from. */
  kind: ChatErrorKind;
  /**
   * The HTTP status (`http`), the backend's own code (`business`), the provider's error code
   * or type (`stream`), or one of chat-stream's codes: `invalid_response`, `invalid_json`,
   * `truncated`, `empty_response`, `tool_calls`, `content_filter`, `stream_error`,
   * `fetch_failed`, `connection_lost`, `timeout` (no byte for too long), `offline` (the browser
   * is offline), `token_failed` (`getToken()` threw).
   */
  code: number | string;
  /** A human-readable message that names the problem. */
  message: string;
}

/** Set when the backend's moderation block replaced the answer. */
export interface ModerationFlag {
  /** The moderation code; always `10013`. */
  code: number;
}

/** What {@link StreamChatOptions.onUpdate} receives after each change of the answer. */
export interface ChatUpdate {
  /** The whole text shown so far. */
  text: string;
  /** What this event appended to `text` (empty when only the reasoning changed, or on replacement). */
  delta: string;
  /** The whole reasoning so far (`reasoning_content` / `reasoning` deltas, thinking blocks, a leading `<think>` block). */
  reasoning: string;
  /** What this event appended to `reasoning`. */
  reasoningDelta: string;
  /** `true` when `text` was replaced rather than appended to (the moderation block; a closing think tag with no opening one, which makes the text before it reasoning). */
  replaced: boolean;
  /** How long the model reasoned, in milliseconds: from the first piece of reasoning to the first of the answer's text; set once that text came. */
  reasoningMs?: number;
  /**
   * Set when a call the server runs began, got its whole input, or ended: every such call so far
   * (`server: true`), each with its `result` or `error` once it came. The page's own calls come
   * only with the result.
   */
  toolCalls?: ChatToolCall[];
}

/** What happened to a chat request. `text` always holds what was received, even on failure. */
export interface ChatResult {
  /** How the request ended. */
  status: ChatStatus;
  /** The answer's text so far: complete when `done`, partial otherwise. */
  text: string;
  /** The model's reasoning, kept apart from `text`: never in it, nor its think tags. */
  reasoning: string;
  /**
   * How long the model reasoned, in milliseconds: from the first piece of reasoning to the first
   * of the answer's text (or to the end, when no text came); `null` when there is no reasoning.
   */
  reasoningMs: number | null;
  /** The last finish reason the stream gave (`stop`, `length`, …), or `null`. */
  finishReason: string | null;
  /** The chunks' `id`, or `null` when none was sent. */
  id: string | null;
  /** Set when the moderation block replaced the answer, else `null`. */
  sensitive: ModerationFlag | null;
  /** Why the request failed; `null` for `done` and `aborted` and for a missing token. */
  error: ChatError | null;
  /** The tools the model asked to call (an answer that ends to call them is `done`), in the order it named them. */
  toolCalls: ChatToolCall[];
  /** The tokens the request used, when the stream said, else `null`. */
  usage: ChatUsage | null;
  /** The format the answer was read in (what `auto` decided; `fields` for the field paths; an adapter's name), or `auto` when no response was read. */
  format: ChatFormatName | 'fields' | (string & {});
  /** How the request went over the network: waits, pieces, retries and resumes. */
  timing: ChatTiming;
  /**
   * `true` when the body arrived in one burst after a long wait (at least 90% of its bytes
   * within 100 ms, after a first byte more than 1 s after the request, over at least four
   * events): a proxy buffers the stream. Turn buffering off for `text/event-stream`
   * (`X-Accel-Buffering: no`, no compression).
   */
  buffered: boolean;
}

/** How a request went over the network, in milliseconds since it began. */
export interface ChatTiming {
  /** When the first byte of the answer's body arrived, or `null` when none did. */
  firstByteMs: number | null;
  /** When the request ended, however it ended. */
  totalMs: number;
  /** How many pieces (network reads) the body arrived in, resumed connections included. */
  chunks: number;
  /** The longest wait between two pieces of the body. */
  longestGapMs: number;
  /** How many times the request was sent again after failing before its answer began. */
  retries: number;
  /** How many times a broken answer was resumed (`Last-Event-ID`), and continued. */
  resumed: number;
}

/** A wait before the request is sent again, as {@link StreamChatOptions.onRetry} reports it. */
export interface ChatRetry {
  /** `true` to resume a broken answer (`Last-Event-ID`); `false` to send again a request whose answer never began. */
  resume: boolean;
  /** Which attempt this is, from 1. */
  attempt: number;
  /** How many attempts may be made (`retries`, or `resumeAttempts` per break). */
  attempts: number;
  /** How long the wait is, in milliseconds (a hidden page waits longer: until it shows again). */
  delay: number;
  /** Why: the failure that is retried. */
  error: ChatError;
}

/** The clock `streamChat` waits by: tests inject a fake one. Each member defaults to the global. */
export interface ChatTimers {
  /** The current time in milliseconds (`performance.now()`). */
  now?: () => number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout?: (callback: () => void, ms: number) => unknown;
  /** Cancels a `setTimeout`. */
  clearTimeout?: (handle: any) => void;
  /** A number in [0, 1), for the backoff's jitter (`Math.random()`). */
  random?: () => number;
}

/** Why `getToken` is called: absent before a request, `unauthorized` after the server answered 401. */
export interface ChatTokenContext {
  reason: 'unauthorized';
}

/** Gets a token: called before a request, and once more after a 401 (`{reason: 'unauthorized'}`). */
export type ChatGetToken = (context?: ChatTokenContext) => string | null | undefined | Promise<string | null | undefined>;

/** How a request copes with the network: retries, timeouts, resume. Every member has a default. */
export interface ChatNetworkOptions {
  /**
   * How many times a request that fails before its answer begins (a network error, a first-byte
   * timeout, 408, 429, 502, 503, 504) is sent again (default 2; 0 never). The waits grow
   * exponentially with full jitter (0.5 s, 1 s, 2 s… at most 30 s), and a `Retry-After` header
   * (seconds or a date) sets the wait instead. Never once an answer has begun.
   */
  retries?: number;
  /** Milliseconds to wait for the first byte of the answer's body (default 60000; 0 forever). Retried like a network error. */
  firstByteTimeout?: number;
  /** Milliseconds without a byte mid-answer before it fails with `timeout` (default 60000; 0 forever). Comments (keep-alives) count. */
  idleTimeout?: number;
  /** How many times a broken answer whose events carry `id`s is resumed with `Last-Event-ID`, per break (default 1; 0 never). */
  resumeAttempts?: number;
  /** Called before each wait to send again (a retry or a resume). */
  onRetry?: (retry: ChatRetry) => void;
  /** The clock waits are measured by (tests inject a fake one). */
  timers?: ChatTimers;
}

/** A tool the model asked to call. */
export interface ChatToolCall {
  /** The call's id (`''` when the format gives none). */
  id: string;
  /** The tool's name. */
  name: string;
  /** Its input as the model wrote it: JSON text. */
  arguments: string;
  /** `arguments` parsed, or `undefined` when it is not valid JSON. */
  input: unknown;
  /**
   * `true` for a call the backend runs itself (the AI SDK's tools, the Responses API's built-in
   * tools, Anthropic's server tools): shown with its outcome as the stream gives it, never run by
   * the page, and never sent back as a call of the page's.
   */
  server?: true;
  /** What the call gave: a server call's output, once it arrived (a session's own call's result, once it ran). */
  result?: unknown;
  /** Why the call failed: a server call's error, once it arrived (a session's own call's, once it ran). */
  error?: string;
}

/** The tokens a request used. */
export interface ChatUsage {
  /** The prompt's tokens. */
  inputTokens: number;
  /** The answer's tokens (reasoning included, where the provider counts it so). */
  outputTokens: number;
}

/** Options of {@link streamChat}. */
export interface StreamChatOptions extends ChatFieldPaths, ChatNetworkOptions {
  /** The endpoint to POST to. Required. */
  url: string | URL;
  /** Any JSON value, sent as the `application/json` request body. Omit it to send no body. */
  body?: unknown;
  /** Extra request headers. */
  headers?: HeadersInit;
  /** Aborts the request and the stream at any point; the result is then `aborted`. */
  signal?: AbortSignal;
  /** The `fetch` to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** The wire format of the answer (default `auto`): a built-in's name, or an adapter for any other backend. */
  format?: ChatFormatName | ChatFormat;
  /** The user's token. With `requireToken` and no token, nothing is sent. */
  token?: string | null;
  /**
   * Gets the token: called before the request when `token` is not given, and once more after a
   * 401 (`{reason: 'unauthorized'}`) to send the request again with a new one; only a second 401
   * is `login-required`. Requests that meet a 401 together and share this function share one call.
   */
  getToken?: ChatGetToken;
  /**
   * The header that carries the token (default `Authorization`, sent as `Bearer <token>`).
   * Any other header name carries the raw token, e.g. `token`.
   */
  tokenHeader?: string;
  /** Whether a token is needed before anything is sent (default `true`). */
  requireToken?: boolean;
  /** Called after each change of the answer's text or reasoning. */
  onUpdate?: (update: ChatUpdate) => void;
  /**
   * Whether `<think>…</think>` (or `<thinking>…</thinking>`) at the start of the answer's text, and
   * the text before a closing tag that has no opening one, are read as the reasoning (default
   * `true`). Set `false` for a backend whose answers use such tags as content.
   */
  thinkTags?: boolean;
}

/** One event of a Server-Sent Events stream. */
export interface ServerSentEvent {
  /** The `event` field, when the server set one (the spec's default type is `message`). */
  event?: string;
  /** The event's data; several `data` lines are joined with `\n`. */
  data: string;
  /** The last event ID the stream set, when it set one. */
  id?: string;
}

/** Options of {@link readEventStream}. */
export interface ReadEventStreamOptions {
  /** Stops reading and cancels the body; the iteration then throws the signal's reason. */
  signal?: AbortSignal;
}
