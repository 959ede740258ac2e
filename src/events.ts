import type {ChatSessionEventMap} from './core/index.js';

/** Every event `<chat-stream>` fires, by name: its session's events, fired on the element. */
export type ChatStreamEventMap = Omit<ChatSessionEventMap, 'change'>;

/**
 * Creates one of the element's events. All bubble and cross the shadow boundary (unless
 * another view of the same session bubbles them) except `error`, which stays on the element so
 * that it never reaches `window`'s error handlers.
 */
export function chatEvent<K extends keyof ChatStreamEventMap>(
  type: K,
  detail: ChatStreamEventMap[K]['detail'],
  bubbles = true,
  cancelable = false,
): ChatStreamEventMap[K] {
  const escapes = bubbles && type !== 'error';
  return new CustomEvent(type, {detail, bubbles: escapes, composed: escapes, cancelable}) as ChatStreamEventMap[K];
}
