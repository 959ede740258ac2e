export {streamChat} from './stream-chat.js';
export {readEventStream} from './event-stream.js';
export {ChatSession} from './chat-session.js';
export {readAttachment} from './attachments.js';
export type {ReadAttachmentOptions} from './attachments.js';
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
export type {ChatAnswerWriter, ChatBodyInput, ChatBodyMessage, ChatBodyTool, ChatBodyToolCall, ChatFormat, ChatFormatEvent, ChatFormatStep, ChatToolCallPart} from './format.js';
export type {
  ChatAttachment,
  ChatDoneDetail,
  ChatErrorDetail,
  ChatFeedback,
  ChatFeedbackDetail,
  ChatLoginRequiredDetail,
  ChatMessage,
  ChatMessageStatus,
  ChatRequestDetail,
  ChatRetryDetail,
  ChatSendOptions,
  ChatSessionEventMap,
  ChatSessionMessage,
  ChatSessionOptions,
  ChatSessionStatus,
  ChatStopDetail,
  ChatSessionToolCall,
  ChatTool,
  ChatToolCallDetail,
  ChatToolState,
  ChatStorage,
  ChatStorageOption,
  ChatUpdateDetail,
} from './session-types.js';
