import {chatError} from '../errors.js';
import {asString, isDone, readJsonEvent, type ChatAnswerWriter, type ChatBodyMessage, type ChatFormat, type ChatFormatStep} from '../format.js';
import {attachmentNote} from './attachment-parts.js';

/**
 * The Vercel AI SDK's UI message stream (`toUIMessageStreamResponse()`,
 * `createUIMessageStreamResponse()`; header `x-vercel-ai-ui-message-stream: v1`), as
 * https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol describes it: Server-Sent Events of JSON
 * parts (`start`, `text-delta`, `reasoning-delta`, `tool-input-*`, `error`, `finish`, …) up to
 * `[DONE]`. Parts it does not know (`data-*`, sources, files, metadata) are skipped. The body is
 * what the SDK's `useChat` sends: `{id, messages, trigger}`, the messages as UI messages; a
 * question's attachments are `file` parts (`FileUIPart`: `{mediaType, filename, url}`) before
 * its text part, as `sendMessage({text, files})` puts them (the text part left out when blank),
 * and one persistence did not keep a text part that names it.
 *
 * @internal
 */
export const aiSdk: ChatFormat = {
  name: 'ai-sdk',
  plainBody: 'json',
  read(event, answer) {
    // Sent after `finish`, which ends the answer: here it says the finish never came.
    if (isDone(event)) return chatError('stream', 'truncated', 'The stream ended ([DONE]) without its finish part');
    return readJsonEvent(event, answer, readPart);
  },
  buildBody({messages, system, model, body, chatId, trigger}) {
    const parts = messages.map((message) => ({id: message.id, role: message.role, parts: partsOf(message)}));
    if (system) parts.unshift({id: 'system', role: 'system', parts: [{type: 'text', text: system}]});
    return {...body, ...(model ? {model} : {}), id: chatId, messages: parts, trigger};
  },
};

function partsOf({content, attachments = []}: ChatBodyMessage): Record<string, unknown>[] {
  const files = attachments.map((attachment) => {
    const {name, type, url} = attachment;
    return url === undefined ? {type: 'text', text: attachmentNote(attachment)} : {type: 'file', mediaType: type, filename: name, url};
  });
  return [...files, ...(content.trim() || !files.length ? [{type: 'text', text: content}] : [])];
}

/** The part types that start a UI message stream, by which `auto` knows one whose header a proxy dropped. @internal */
export const AI_SDK_FIRST_PARTS: ReadonlySet<string> = new Set(['start', 'start-step', 'text-start', 'reasoning-start', 'tool-input-start']);

/** Where each answer's current step began: what a `reset-step` goes back to. */
const stepStarts = new WeakMap<ChatAnswerWriter, {text: number; reasoning: number}>();

function readPart(part: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep {
  switch (part.type) {
    case 'start-step':
      stepStarts.set(answer, {text: answer.text.length, reasoning: answer.reasoning.length});
      return null;
    case 'reset-step': {
      // A retried step: what its failed attempt sent is taken back (its tool calls excepted).
      const start = stepStarts.get(answer) ?? {text: 0, reasoning: 0};
      answer.replace(answer.text.slice(0, start.text), answer.reasoning.slice(0, start.reasoning));
      return null;
    }
    case 'start':
      answer.began = true;
      answer.identify(part.messageId);
      return null;
    case 'text-delta':
      answer.add(asString(part.delta));
      return null;
    case 'reasoning-delta':
      answer.add('', asString(part.delta));
      return null;
    case 'tool-input-start':
    case 'tool-input-available':
      // The input streams as JSON text, then arrives parsed: the text is kept when it is JSON.
      answer.began = true;
      answer.toolCalls.add(part.toolCallId, {id: part.toolCallId, name: part.toolName, input: part.type === 'tool-input-available' ? (part.input ?? {}) : undefined});
      return null;
    case 'tool-input-delta':
      answer.toolCalls.add(part.toolCallId, {argumentsDelta: part.inputTextDelta});
      return null;
    case 'error':
      return chatError('stream', 'stream_error', asString(part.errorText) || 'The stream reported an error');
    case 'abort':
      return chatError('stream', 'aborted', `The server aborted the answer${typeof part.reason === 'string' && part.reason ? `: ${part.reason}` : ''}`);
    case 'finish':
      answer.finish(part.finishReason);
      return 'end';
    default:
      return null;
  }
}
