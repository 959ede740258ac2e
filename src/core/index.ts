export {streamChat} from './stream-chat.js';
export {readEventStream} from './event-stream.js';
export {ChatSession} from './chat-session.js';
export type {
  ChatError,
  ChatErrorKind,
  ChatFormatName,
  ChatResult,
  ChatStatus,
  ChatUpdate,
  ModerationFlag,
  ReadEventStreamOptions,
  ServerSentEvent,
  StreamChatOptions,
  ChatToolCall,
  ChatUsage,
  ChatFieldPaths,
  ChatGetToken,
  ChatNetworkOptions,
  ChatRetry,
  ChatTimers,
  ChatTiming,
  ChatTokenContext,
} from './types.js';
export type {ChatAnswerWriter, ChatBodyInput, ChatFormat, ChatFormatEvent, ChatFormatStep, ChatToolCallPart} from './format.js';
export type {
  ChatDoneDetail,
  ChatErrorDetail,
  ChatFeedback,
  ChatFeedbackDetail,
  ChatLoginRequiredDetail,
  ChatMessage,
  ChatMessageStatus,
  ChatRequestDetail,
  ChatRetryDetail,
  ChatSessionEventMap,
  ChatSessionMessage,
  ChatSessionOptions,
  ChatSessionStatus,
  ChatStopDetail,
  ChatStorage,
  ChatStorageOption,
  ChatUpdateDetail,
} from './session-types.js';
