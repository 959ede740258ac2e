// The main entry: the element registered as `<chat-stream>`. The class and the rest come from
// `chat-stream/element` (one class, however the package is imported).
import type {ChatStream} from './chat-stream-element.js';
import {define} from './define.js';
import type {ChatStreamEventMap} from './events.js';

export * from './element.js';

// Another copy of the element (the bundle, a second install) may have the name already: it keeps it.
if (!customElements.get('chat-stream')) define();

type ChatStreamEvents = Omit<ChatStreamEventMap, 'error'>;

declare global {
  interface HTMLElementTagNameMap {
    'chat-stream': ChatStream;
  }
  // `error` is typed on ChatStream itself: HTMLElementEventMap already has `error: ErrorEvent`.
  interface HTMLElementEventMap extends ChatStreamEvents {}
}
