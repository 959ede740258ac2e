// Types only: `import type {} from 'chat-stream/react'` once in a React 19 project types
// `<chat-stream>` in TSX. Nothing here runs; the element is defined by importing `chat-stream`.
import type {DetailedHTMLProps, HTMLAttributes} from 'react';
import type {ChatStream} from './chat-stream-element.js';
import type {ChatMessage, ChatSessionMessage} from './core/index.js';
import type {ChatStreamEventMap} from './events.js';

/**
 * The element's properties, as React 19 sets them: every reactive property and `session`, and
 * `messages` as its setter takes them (`{role, content}` entries restore a conversation).
 */
export type ChatStreamProperties = Partial<Pick<ChatStream, keyof typeof ChatStream.properties | 'session'>> & {
  messages?: readonly (ChatMessage | ChatSessionMessage)[];
};

/**
 * The element's events as React 19 listens to a custom element's: `on` and the event's name as
 * it is written (`ondone`, `onerror`, `ontool-call`). `onDone` would listen to an event named
 * `Done`, and `onError` is React's own, which never sees the element's `error`.
 */
export type ChatStreamListeners = {
  [K in keyof ChatStreamEventMap as `on${K}`]?: (event: ChatStreamEventMap[K]) => void;
};

/** What `<chat-stream>` takes in TSX: the HTML attributes every element has, a `ref` to the element, its properties and its events. */
export type ChatStreamProps = DetailedHTMLProps<HTMLAttributes<ChatStream>, ChatStream> & ChatStreamProperties & ChatStreamListeners;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'chat-stream': ChatStreamProps;
    }
  }
}
