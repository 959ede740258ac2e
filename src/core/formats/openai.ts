import {businessError, isRecord, reportedError} from '../errors.js';
import {isDataUrl} from '../message-attachments.js';
import type {ChatAttachment} from '../session-types.js';
import {attachmentNote, kindOf} from './attachment-parts.js';
import {isDone, jsonOf, toolsField, type ChatBodyMessage, type ChatBodyTool, type ChatBodyToolCall, type ChatFormat, type ChatFormatStep, type ChatAnswerWriter} from '../format.js';

/**
 * OpenAI chat completions (and the many servers that speak them: Azure, DeepSeek, OpenRouter,
 * Groq, Mistral, Gemini's compatibility endpoint, vLLM, llama.cpp, Ollama's `/v1`), and the
 * original article's backend and its `{code, msg}` errors: `chat.completion.chunk` events up
 * to `[DONE]`, or one non-streamed `chat.completion`.
 *
 * The body declares the page's tools as `tools: [{type: 'function', function}]` (a `body.tools`
 * of the page's own wins), and sends an answer's tool calls back as the API's types
 * (`ChatCompletionAssistantMessageParam`, `ChatCompletionToolMessageParam` in the `openai`
 * package) have them: the assistant message with `tool_calls` (its `content` `null` when it has
 * no text), then one `tool` message per call, in order.
 *
 * A question with attachments has content parts (`ChatCompletionContentPart`): its text (when
 * not blank), then each file: an image as `image_url` (a data URL or a URL), another file as
 * `file` with its data URL as `file_data`. A file the API cannot take (one at a URL it does not
 * fetch, one persistence did not keep) is a text part that names it.
 *
 * @internal
 */
export const openai: ChatFormat = {
  name: 'openai',
  plainBody: 'json',
  read(event, answer) {
    if (isDone(event)) return 'end';
    const json = jsonOf(event);
    if (!json || !('value' in json)) return json ?? null;
    return readChunk(json.value, answer);
  },
  buildBody: ({messages, tools, system, model, maxTokens, body}) => ({
    ...toolsField(tools, functionTool),
    ...body,
    ...(model ? {model} : {}),
    ...(maxTokens ? {max_tokens: maxTokens} : {}),
    stream: true,
    messages: withSystem(messages, system, ({role, content, toolCalls}) => [
      // `content` may be null only beside `tool_calls`; each call's arguments go back as the model wrote them.
      {role, content: content || null, tool_calls: toolCalls.map(({id, name, arguments: args}) => ({id, type: 'function', function: {name, arguments: args}}))},
      ...toolCalls.map(({id, result}) => ({role: 'tool', tool_call_id: id, content: result})),
    ]),
  }),
};

/** A tool as chat completions (and Ollama) declare it. @internal */
export const functionTool = ({name, description}: ChatBodyTool, parameters: Record<string, unknown>): unknown => ({type: 'function', function: {name, description, parameters}});

/**
 * The messages as chat completions send them: `{role, content}`, the system prompt first, an
 * answer with tool calls as `withCalls` sends it (its calls and their results), and a question
 * with attachments as `withAttachments` does. @internal
 */
export function withSystem(
  messages: readonly ChatBodyMessage[],
  system: string | undefined,
  withCalls: (message: ChatBodyMessage & {toolCalls: ChatBodyToolCall[]}) => Record<string, unknown>[],
  withAttachments: (message: ChatBodyMessage & {attachments: ChatAttachment[]}) => Record<string, unknown> = withContentParts,
): Record<string, unknown>[] {
  // An answer of server calls alone has nothing to send here.
  const sent = messages.flatMap((message) => {
    if (message.toolCalls?.length) return withCalls(message as ChatBodyMessage & {toolCalls: ChatBodyToolCall[]});
    if (message.attachments?.length) return [withAttachments(message as ChatBodyMessage & {attachments: ChatAttachment[]})];
    return message.content === '' ? [] : [{role: message.role, content: message.content}];
  });
  if (system) sent.unshift({role: 'system', content: system});
  return sent;
}

/** A question with attachments as chat completions' content parts: the text, when not blank, then each file. */
function withContentParts({role, content, attachments}: ChatBodyMessage & {attachments: ChatAttachment[]}): Record<string, unknown> {
  const files = attachments.map((attachment) => {
    const {name, url} = attachment;
    if (url !== undefined && kindOf(attachment) === 'image') return {type: 'image_url', image_url: {url}};
    // Chat completions take a file only as data: a URL is named for the model instead.
    if (url !== undefined && isDataUrl(url)) return {type: 'file', file: {filename: name, file_data: url}};
    return {type: 'text', text: attachmentNote(attachment)};
  });
  return {role, content: [...(content.trim() ? [{type: 'text', text: content}] : []), ...files]};
}

/** Applies one chunk (or a whole completion, or the backend's own `{code, msg}`); returns what it means. */
function readChunk(data: unknown, answer: ChatAnswerWriter): ChatFormatStep {
  // Gemini wraps errors in a one-element array.
  const chunk = Array.isArray(data) && data.length === 1 ? data[0] : data;
  if (!isRecord(chunk)) return null;
  const {choices} = chunk;
  // With `n > 1` chunks carry other answers' choices too: this one follows choice 0.
  const choice = Array.isArray(choices) ? choices.find((candidate) => isRecord(candidate) && (candidate.index ?? 0) === 0) : undefined;
  // Read before an error: OpenRouter sends `finish_reason: "error"` beside it.
  if (isRecord(choice)) answer.finish(choice.finish_reason ?? choice.finishReason);
  answer.count(chunk.usage);
  if (chunk.error != null) return reportedError('stream', chunk, 'The stream reported an error');
  answer.identify(chunk.id);
  if (!Array.isArray(choices) || choices.length === 0) return businessError(chunk);
  if (!isRecord(choice)) return null;
  answer.began = true;
  const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : null;
  if (!delta) return null;
  // `function_call` is the older, single-call form of `tool_calls`.
  const calls = isRecord(delta.function_call) ? [{function: delta.function_call}] : delta.tool_calls;
  if (Array.isArray(calls)) {
    calls.forEach((call: unknown, position) => {
      if (!isRecord(call)) return;
      const fn = isRecord(call.function) ? call.function : {};
      answer.toolCalls.add(call.index ?? position, {id: call.id, name: fn.name, argumentsDelta: fn.arguments});
    });
  }
  // Content is a string, or (Mistral's reasoning models) an array of text and thinking parts;
  // an OpenAI refusal arrives as `refusal` instead and is shown as the answer.
  const parts = contentParts(delta.content);
  const refusal = typeof delta.refusal === 'string' ? delta.refusal : '';
  const thought = delta.reasoning_content ?? delta.reasoning;
  answer.add(parts.text + refusal, (typeof thought === 'string' ? thought : '') + parts.thinking);
  return null;
}

/** The text and the thinking of a message's content: a string, or an array of typed parts. */
function contentParts(content: unknown): {text: string; thinking: string} {
  if (typeof content === 'string') return {text: content, thinking: ''};
  if (!Array.isArray(content)) return {text: '', thinking: ''};
  let text = '';
  let thinking = '';
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'thinking') thinking += textOf(part.thinking);
  }
  return {text, thinking};
}

/** A thinking part's text: a string, or an array of `{type: 'text', text}` (read one level deep). */
function textOf(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const part of thinking) if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}
