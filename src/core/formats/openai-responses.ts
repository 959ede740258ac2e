import {isRecord, parseJson, payloadMessage, reportedError} from '../errors.js';
import {asString, readJsonEvent, toolsField, type ChatFormat, type ChatFormatStep, type ChatAnswerWriter} from '../format.js';
import {isDataUrl} from '../message-attachments.js';
import type {ChatAttachment} from '../session-types.js';
import {attachmentNote, kindOf} from './attachment-parts.js';

/**
 * OpenAI's Responses API, as https://platform.openai.com/docs/api-reference/responses-streaming
 * describes its events: `response.created`, `response.output_text.delta`,
 * `response.reasoning_summary_text.delta`, function calls as `response.output_item.added`
 * items and `response.function_call_arguments.delta`, and the end: `response.completed`,
 * `response.incomplete` (with its reason) or `response.failed`; an `error` event fails the
 * stream. There is no `[DONE]`. A non-streamed reply is one `response` object. The calls of the
 * built-in tools OpenAI runs (web and file search, the code interpreter, image generation, MCP)
 * are server calls, read from `response.output_item.added` and `.done` items. A non-streamed
 * reply's `reasoning` items are read as the reasoning (their summary, and their text where given).
 *
 * The body declares the page's tools as `tools: [{type: 'function', name, description,
 * parameters}]` (a `body.tools` of the page's own wins; no `strict`: left out, the API uses strict
 * validation only where the schema allows it, as the `openai` package's types say), and sends an
 * answer back as its input items (`EasyInputMessage`, `ResponseFunctionToolCall`,
 * `ResponseInputItem.FunctionCallOutput`): its text when it has any, then a `function_call` per
 * call, then a `function_call_output` per call, in order, as the model's output and the results
 * that follow it would be.
 *
 * A question with attachments has a content list (`ResponseInputText`, `ResponseInputImage`,
 * `ResponseInputFile`): its text (when not blank) as `input_text`, then each file: an image as
 * `input_image` (a data URL or a URL, `detail: 'auto'`), another file as `input_file` with its
 * `filename` and data URL as `file_data`, or its `file_url`. One persistence did not keep is an
 * `input_text` that names it.
 *
 * @internal
 */
export const openaiResponses: ChatFormat = {
  name: 'openai-responses',
  plainBody: 'json',
  read: (event, answer) => readJsonEvent(event, answer, readEvent),
  buildBody: ({messages, tools, system, model, maxTokens, body}) => ({
    ...toolsField(tools, ({name, description}, parameters) => ({type: 'function', name, description, parameters})),
    ...body,
    ...(model ? {model} : {}),
    ...(maxTokens ? {max_output_tokens: maxTokens} : {}),
    stream: true,
    ...(system ? {instructions: system} : {}),
    input: messages.flatMap(({role, content, toolCalls = [], attachments = []}) => [
      ...(attachments.length ? [{role, content: inputContent(content, attachments)}] : content ? [{role, content}] : []),
      ...toolCalls.map(({id, name, arguments: args}) => ({type: 'function_call', call_id: id, name, arguments: args})),
      ...toolCalls.map(({id, result}) => ({type: 'function_call_output', call_id: id, output: result})),
    ]),
  }),
};

/** A question's text, when not blank, then its files, as input content. */
function inputContent(text: string, attachments: readonly ChatAttachment[]): Record<string, unknown>[] {
  const files = attachments.map((attachment) => {
    const {name, url} = attachment;
    if (url === undefined) return {type: 'input_text', text: attachmentNote(attachment)};
    if (kindOf(attachment) === 'image') return {type: 'input_image', image_url: url, detail: 'auto'};
    return isDataUrl(url) ? {type: 'input_file', filename: name, file_data: url} : {type: 'input_file', file_url: url};
  });
  return [...(text.trim() ? [{type: 'input_text', text}] : []), ...files];
}

function readEvent(data: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep {
  const type = typeof data.type === 'string' ? data.type : data.object === 'response' ? 'response' : '';
  const response = isRecord(data.response) ? data.response : data;
  switch (type) {
    case 'response.created':
    case 'response.in_progress':
      answer.began = true;
      answer.identify(response.id);
      return null;
    case 'response.output_text.delta':
    case 'response.refusal.delta':
      answer.add(asString(data.delta));
      return null;
    case 'response.reasoning_summary_text.delta':
    case 'response.reasoning_text.delta':
      answer.add('', asString(data.delta));
      return null;
    case 'response.output_item.added':
      if (isRecord(data.item) && data.item.type === 'function_call') readCall(data.item, answer);
      else if (isRecord(data.item) && isBuiltInCall(data.item)) readBuiltInCall(data.item, answer, false);
      return null;
    case 'response.output_item.done':
      if (isRecord(data.item) && isBuiltInCall(data.item)) readBuiltInCall(data.item, answer, true);
      return null;
    case 'response.function_call_arguments.delta':
    case 'response.mcp_call_arguments.delta':
      answer.toolCalls.add(data.item_id, {argumentsDelta: asString(data.delta)});
      return null;
    case 'response.completed':
    case 'response.incomplete':
    case 'response':
      return end(response, answer);
    case 'response.failed':
      return reportedError('stream', response, 'The response failed');
    case 'error':
      return reportedError('stream', data, 'The stream reported an error');
    default:
      return null;
  }
}

/** The response's end: its usage, and its status (or, when incomplete, why) as the finish reason. */
function end(response: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep {
  answer.began = true;
  answer.identify(response.id);
  answer.count(response.usage);
  // A non-streamed reply carries its output whole.
  if (Array.isArray(response.output) && answer.text === '' && answer.reasoning === '' && answer.toolCalls.size === 0) {
    for (const item of response.output) {
      if (!isRecord(item)) continue;
      if (item.type === 'function_call') readCall(item, answer);
      else if (isBuiltInCall(item)) readBuiltInCall(item, answer, true);
      else if (item.type === 'message' && Array.isArray(item.content)) {
        for (const part of item.content) if (isRecord(part)) answer.add(asString(part.text ?? part.refusal));
      } else if (item.type === 'reasoning') {
        // Its summary, and the reasoning's own text where the model gives it (as the streamed events do).
        for (const part of [item.summary, item.content].flat()) if (isRecord(part)) answer.add('', asString(part.text));
      }
    }
  }
  const incomplete = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
  answer.finish(incomplete ?? response.status ?? 'completed');
  if (response.status === 'failed') return reportedError('stream', response, 'The response failed');
  return 'end';
}

function readCall(item: Record<string, unknown>, answer: ChatAnswerWriter): void {
  const args = asString(item.arguments);
  answer.toolCalls.add(item.id ?? item.call_id, {id: item.call_id ?? item.id, name: item.name, argumentsDelta: args === '' ? undefined : args});
}

/** The calls of the built-in tools OpenAI runs itself (the local shell, computer use and custom tools are the caller's to run). */
const BUILT_IN_CALLS: ReadonlySet<unknown> = new Set(['web_search_call', 'file_search_call', 'code_interpreter_call', 'image_generation_call', 'mcp_call']);

function isBuiltInCall(item: Record<string, unknown>): boolean {
  return BUILT_IN_CALLS.has(item.type);
}

/**
 * A built-in tool's call, a server call: named by its item type (`web_search`; an MCP call by its
 * tool), its input the item's `action`, `queries`, `code` or `arguments`, and once it is `done`
 * (or `completed`) its `results`, `outputs`, `output` or `result`; `failed` or `incomplete` is its error.
 */
function readBuiltInCall(item: Record<string, unknown>, answer: ChatAnswerWriter, done: boolean): void {
  const {type, status, action, queries, code, arguments: args} = item;
  const name = type === 'mcp_call' && typeof item.name === 'string' ? item.name : String(type).replace(/_call$/, '');
  const input = action ?? (queries !== undefined ? {queries} : code !== undefined ? {code} : typeof args === 'string' ? parseJson(args) : undefined);
  const failed = status === 'failed' || status === 'incomplete' || (item.error != null && item.error !== '');
  const outcome = failed
    ? {error: payloadMessage(item) ?? `The ${name} call ended ${typeof status === 'string' ? status : 'with an error'}`}
    : done || status === 'completed'
      ? {result: item.results ?? item.outputs ?? item.output ?? item.result ?? null}
      : {};
  answer.toolCalls.add(item.id, {id: item.id, name, server: true, input, ...outcome});
}
