import {ChatStream} from './chat-stream-element.js';
import type {ChatStreamEventMap} from './events.js';

export {ChatStream} from './chat-stream-element.js';
export {plainTextView, type MessageView, type MessageViewFactory} from './message-view.js';
export {markdownView} from './markdown/markdown-view.js';
export type {Highlighter} from './markdown/blocks.js';
export type {ChatMessage} from './conversation.js';
export type * from './events.js';
export type * from './core/types.js';

if (!customElements.get('chat-stream')) customElements.define('chat-stream', ChatStream);

type ChatStreamEvents = Omit<ChatStreamEventMap, 'error'>;

declare global {
  interface HTMLElementTagNameMap {
    'chat-stream': ChatStream;
  }
  // `error` is typed on ChatStream itself: HTMLElementEventMap already has `error: ErrorEvent`.
  interface HTMLElementEventMap extends ChatStreamEvents {}
}
