import {chatError} from '../errors.js';
import {asString, isDone, readJsonEvent, type ChatAnswerWriter, type ChatBodyMessage, type ChatFormat, type ChatFormatStep, type ChatToolCallPart} from '../format.js';
import {attachmentNote} from './attachment-parts.js';

/**
 * The Vercel AI SDK's UI message stream (`toUIMessageStreamResponse()`,
 * `createUIMessageStreamResponse()`; header `x-vercel-ai-ui-message-stream: v1`), as
 * https://ai-sdk.dev/docs/ai-sdk-ui/stream-protocol describes it: Server-Sent Events of JSON
 * parts (`start`, `text-delta`, `reasoning-delta`, `tool-input-*`, `error`, `finish`, …) up to
 * `[DONE]`. Parts it does not know (`data-*`, sources, files, metadata, approval requests) are
 * skipped. Every tool call is the server's: shown with its output (`tool-output-available`) or
 * error (`tool-input-error`, `tool-output-error`, `tool-output-denied`), never run by the page.
 * The body is what the SDK's `useChat` sends: `{id, messages, trigger}`, the messages as UI
 * messages, an answer's server calls as its tool parts; a question's attachments are `file` parts
 * (`FileUIPart`: `{mediaType, filename, url}`) before its text part, as `sendMessage({text,
 * files})` puts them (the text part left out when blank), and one persistence did not keep a text
 * part that names it.
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
    const sent = messages.map((message) => ({id: message.id, role: message.role, parts: partsOf(message)}));
    if (system) sent.unshift({id: 'system', role: 'system', parts: [{type: 'text', text: system}]});
    return {...body, ...(model ? {model} : {}), id: chatId, messages: sent, trigger};
  },
};

/**
 * A message's UI parts as `useChat` keeps them: a question's files, then its text; an answer's
 * server calls as tool parts with their outcome (`output-available` or `output-error`), then, as
 * the step after them, its text. The server's `convertToModelMessages` makes them the model's
 * calls and results again.
 */
function partsOf({content, attachments = [], serverToolCalls = []}: ChatBodyMessage): Record<string, unknown>[] {
  const text = {type: 'text', text: content};
  const files = attachments.map((attachment) => {
    const {name, type, url} = attachment;
    return url === undefined ? {type: 'text', text: attachmentNote(attachment)} : {type: 'file', mediaType: type, filename: name, url};
  });
  if (files.length > 0) return [...files, ...(content.trim() ? [text] : [])];
  if (serverToolCalls.length === 0) return [text];
  const tools = serverToolCalls.map(({id, name, input, result, error}) => ({
    type: `tool-${name}`,
    toolCallId: id,
    ...(error === undefined ? {state: 'output-available', input, output: result} : {state: 'output-error', input, errorText: error}),
  }));
  return content === '' ? tools : [...tools, {type: 'step-start'}, text];
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
      served(part, answer, {name: part.toolName, input: part.type === 'tool-input-available' ? (part.input ?? {}) : undefined});
      return null;
    case 'tool-input-delta':
      answer.toolCalls.add(part.toolCallId, {argumentsDelta: part.inputTextDelta});
      return null;
    case 'tool-input-error':
      // The model wrote an input the tool refuses: the call failed before it ran. A string is the
      // text that is no JSON, as its pieces already gave it.
      answer.began = true;
      served(part, answer, {name: part.toolName, input: typeof part.input === 'string' ? undefined : part.input, error: asString(part.errorText) || 'The input was invalid'});
      return null;
    case 'tool-output-available':
      // A preliminary output (a tool that yields as it works) is followed by the final one.
      if (part.preliminary !== true) served(part, answer, {result: part.output ?? null});
      return null;
    case 'tool-output-error':
      served(part, answer, {error: asString(part.errorText) || 'The tool failed'});
      return null;
    case 'tool-output-denied':
      served(part, answer, {error: 'The call was denied'});
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

/** Adds to a call of the UI message stream: every one is the server's (it runs its tools, or leaves them to `useChat`'s `onToolCall`). */
function served(part: Record<string, unknown>, answer: ChatAnswerWriter, call: ChatToolCallPart): void {
  answer.toolCalls.add(part.toolCallId, {id: part.toolCallId, server: true, ...call});
}
