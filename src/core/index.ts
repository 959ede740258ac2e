export {streamChat} from './stream-chat.js';
export {readEventStream} from './event-stream.js';
export type {
  ChatError,
  ChatErrorKind,
  ChatResult,
  ChatStatus,
  ChatUpdate,
  ModerationFlag,
  ReadEventStreamOptions,
  ServerSentEvent,
  StreamChatOptions,
} from './types.js';
