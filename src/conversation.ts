import type {ChatError} from './core/index.js';

/** One message of the conversation, as sent in the request's `messages`. */
export interface ChatMessage {
  /** `user`, `assistant` or `system` (any role the endpoint accepts). */
  role: string;
  /** The message's text. */
  content: string;
}

/** Where a message stands in the view. */
export type TurnStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';

/** A message with what the view needs to show it. @internal */
export interface Turn extends ChatMessage {
  status: TurnStatus;
  error: ChatError | null;
  /** Shown under an answer that is complete but was cut short (a length limit, a content filter). */
  note?: string;
}

/** A new turn. @internal */
export function turn(role: string, content: string, status: TurnStatus): Turn {
  return {role, content, status, error: null};
}

/** Checks messages set by a page; throws a `TypeError` that names the bad entry. @internal */
export function toTurns(messages: unknown): Turn[] {
  if (!Array.isArray(messages)) throw new TypeError('chat-stream: `messages` must be an array of {role, content}');
  // Array.from visits holes too: a sparse array is named, not skipped.
  return Array.from(messages, (message: unknown, index) => {
    const {role, content} = (message ?? {}) as Partial<ChatMessage>;
    if (typeof role !== 'string' || role === '' || typeof content !== 'string') {
      throw new TypeError(`chat-stream: messages[${index}] must be {role: string, content: string}`);
    }
    return turn(role, content, 'done');
  });
}

/**
 * The conversation as the endpoint should see it: finished and stopped messages, without
 * answers that failed or are still coming.
 *
 * @internal
 */
export function conversation(turns: readonly Turn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const {role, content, status} of turns) {
    const settled = status === 'done' || (status === 'stopped' && content !== '');
    if (settled) messages.push({role, content});
  }
  return messages;
}
