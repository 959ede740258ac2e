import type {ChatError, ChatErrorKind, ModerationFlag} from './core/index.js';
import type {ChatMessage} from './conversation.js';

/** Detail of `request`: change `body` or `headers` in place, or call `preventDefault()` to cancel the send. */
export interface ChatRequestDetail {
  /** The JSON body about to be sent: `{...extraBody, model?, stream: true, messages}`. */
  body: Record<string, unknown>;
  /** The extra headers about to be sent (the token header is added after this event). */
  headers: Record<string, string>;
}

/** Detail of `update`, fired as the answer streams, once per render (and before `done`). */
export interface ChatUpdateDetail {
  /** The whole answer so far. */
  text: string;
  /** Everything appended since the previous `update` (empty when only the reasoning changed, or on replacement). */
  delta: string;
  /** The model's reasoning so far. */
  reasoning: string;
  /** `true` when `text` replaced the answer instead of extending it (the moderation block). */
  replaced: boolean;
}

/** Detail of `done`, fired when an answer is complete. */
export interface ChatDoneDetail {
  /** The complete answer. */
  text: string;
  /** Why the model stopped (`stop`, `length`, …), or `null`. */
  finishReason: string | null;
  /** The completion's `id`, or `null`. */
  id: string | null;
  /** The whole conversation, this answer included. */
  messages: ChatMessage[];
  /** `{code: 10013}` when moderation replaced the answer, else `null`. */
  sensitive: ModerationFlag | null;
}

/** Detail of `error`, fired when a request fails. The partial answer stays visible. */
export interface ChatErrorDetail {
  /** Where the failure came from: `http`, `business`, `stream` or `network`. */
  kind: ChatErrorKind;
  /** The status, the backend's or provider's code, or chat-stream's own code. */
  code: ChatError['code'];
  /** A message that names the problem; the element shows it. */
  message: string;
  /** The partial answer received before the failure. */
  text: string;
}

/** Detail of `stop`, fired when an answer is stopped by `stop()`, the Stop button or a new send. */
export interface ChatStopDetail {
  /** The partial answer, kept in the conversation. */
  text: string;
}

/** Detail of `login-required`. */
export interface ChatLoginRequiredDetail {
  /** `missing-token`: there is no token and nothing was sent; `unauthorized`: the server answered 401. */
  reason: 'missing-token' | 'unauthorized';
}

/** Every event `<chat-stream>` fires, by name. */
export interface ChatStreamEventMap {
  request: CustomEvent<ChatRequestDetail>;
  update: CustomEvent<ChatUpdateDetail>;
  done: CustomEvent<ChatDoneDetail>;
  error: CustomEvent<ChatErrorDetail>;
  stop: CustomEvent<ChatStopDetail>;
  'login-required': CustomEvent<ChatLoginRequiredDetail>;
}

/**
 * Creates one of the element's events. All bubble and cross the shadow boundary except
 * `error`, which stays on the element so that it never reaches `window`'s error handlers.
 */
export function chatEvent<K extends keyof ChatStreamEventMap>(
  type: K,
  detail: ChatStreamEventMap[K]['detail'],
  {cancelable = false} = {},
): ChatStreamEventMap[K] {
  const escapes = type !== 'error';
  return new CustomEvent(type, {detail, bubbles: escapes, composed: escapes, cancelable}) as ChatStreamEventMap[K];
}
