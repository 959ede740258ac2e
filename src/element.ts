// `chat-stream/element`: everything the main entry has, without registering `<chat-stream>`;
// `define(name)` registers the class under the page's own name.
export {ChatStream} from './chat-stream-element.js';
export {define} from './define.js';
export {ChatSession} from './core/index.js';
export {plainTextView, type MessageView, type MessageViewFactory} from './message-view.js';
export {markdownView} from './markdown/markdown-view.js';
export type {Highlighter} from './markdown/blocks.js';
export type {MathRenderer} from './markdown/math.js';
export type {ChatStarter} from './starters.js';
export type {ChatUpload, ChatUploadContext} from './attachment-tray.js';
export type {ChatStreamEventMap} from './events.js';
export type * from './core/types.js';
export type * from './core/session-types.js';
export type {ChatAnswerWriter, ChatBodyInput, ChatFormat, ChatFormatEvent, ChatFormatStep, ChatToolCallPart} from './core/format.js';
