import {isRecord, reportedError} from '../errors.js';
import {asString, readJsonEvent, toolsField, type ChatFormat, type ChatFormatStep, type ChatAnswerWriter} from '../format.js';
import type {ChatAttachment} from '../session-types.js';
import {attachmentNote, decodedText, inlineBase64, kindOf} from './attachment-parts.js';

/**
 * Anthropic's Messages API, as https://docs.anthropic.com/en/docs/build-with-claude/streaming
 * describes its stream: `message_start`, then per content block `content_block_start`,
 * `content_block_delta` (`text_delta`, `thinking_delta`, `input_json_delta`) and
 * `content_block_stop`, then `message_delta` (the `stop_reason`, the output's usage) and
 * `message_stop`; `ping` events between; an `error` event fails the stream. A non-streamed
 * reply is one `message`. Server tools (web search, code execution, …) are server calls: a
 * `server_tool_use` block, then its `*_tool_result` block by `tool_use_id`.
 *
 * The body declares the page's tools as `tools: [{name, description, input_schema}]` (a
 * `body.tools` of the page's own wins), and sends an answer's tool calls back as the SDK's types
 * (`ToolUseBlockParam`, `ToolResultBlockParam`) and the tool use guide have them: the answer's
 * text block (when it has text) and a `tool_use` block per call, its input an object, then one
 * user turn with a `tool_result` per call (`is_error` on failures). A question that follows the
 * results joins that turn as a text block after them, where the guide wants any text.
 *
 * A question with attachments is a list of blocks (`ImageBlockParam`, `DocumentBlockParam`),
 * the files first and the text (when not blank) last, as the vision guide advises: an image as
 * `image` and a PDF as `document`, each from its base64 data or its URL; a text file as a
 * `document` of its text (`PlainTextSource`). A file the API does not read (another type, a text
 * file at a URL, one persistence did not keep) is a text block that names it.
 *
 * @internal
 */
export const anthropic: ChatFormat = {
  name: 'anthropic',
  plainBody: 'json',
  read: (event, answer) => readJsonEvent(event, answer, readEvent),
  buildBody({messages, tools, system, model, maxTokens, body}) {
    // The API takes only user and assistant turns: system messages join the system prompt.
    const prompts = [system ?? '', ...messages.filter(({role}) => role === 'system').map(({content}) => content)].filter(Boolean);
    const turns: {role: string; content: unknown}[] = [];
    for (const {role, content, toolCalls = [], attachments} of messages) {
      const last = turns.at(-1);
      // An answer of server calls alone has nothing to send here.
      if (role === 'system' || (content === '' && !toolCalls.length && !attachments?.length)) continue;
      if (toolCalls.length) {
        turns.push(
          // A text block must not be blank.
          {role, content: [...(content.trim() ? [{type: 'text', text: content}] : []), ...toolCalls.map(({id, name, input}) => ({type: 'tool_use', id, name, input: isRecord(input) ? input : {}}))]},
          {role: 'user', content: toolCalls.map(({id, result, isError}) => ({type: 'tool_result', tool_use_id: id, content: result, ...(isError ? {is_error: true} : {})}))},
        );
      } else if (role === 'user' && last?.role === 'user' && Array.isArray(last.content)) {
        last.content.push(...blocksOf(content, attachments ?? []));
      } else turns.push({role, content: attachments?.length ? blocksOf(content, attachments) : content});
    }
    return {
      max_tokens: DEFAULT_MAX_TOKENS,
      ...toolsField(tools, ({name, description}, input_schema) => ({name, description, input_schema})),
      ...body,
      ...(maxTokens ? {max_tokens: maxTokens} : {}),
      ...(model ? {model} : {}),
      stream: true,
      ...(prompts.length > 0 ? {system: prompts.join('\n\n')} : {}),
      messages: turns,
    };
  },
};

/** A question's blocks: its files, then its text when it is not blank (a text block must not be). */
function blocksOf(content: string, attachments: readonly ChatAttachment[]): Record<string, unknown>[] {
  return [...attachments.map(fileBlock), ...(content.trim() || !attachments.length ? [{type: 'text', text: content}] : [])];
}

function fileBlock(attachment: ChatAttachment): Record<string, unknown> {
  const {name, url} = attachment;
  const data = inlineBase64(attachment);
  const kind = kindOf(attachment);
  const source = data === undefined ? {type: 'url', url} : {type: 'base64', media_type: attachment.type.toLowerCase(), data};
  if (url !== undefined && kind === 'image') return {type: 'image', source};
  if (url !== undefined && kind === 'pdf') return {type: 'document', source, title: name};
  if (data !== undefined && kind === 'text') return {type: 'document', source: {type: 'text', media_type: 'text/plain', data: decodedText(data)}, title: name};
  return {type: 'text', text: attachmentNote(attachment)};
}

/** The answer's token limit when none is set: the API requires one. */
const DEFAULT_MAX_TOKENS = 4096;

/** The event types of a Messages stream, by which `auto` knows it (a whole reply is `type: 'message'`). @internal */
export const ANTHROPIC_EVENTS: ReadonlySet<string> = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

function readEvent(data: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep {
  switch (data.type) {
    case 'message_start': {
      const message = isRecord(data.message) ? data.message : {};
      answer.began = true;
      answer.identify(message.id);
      answer.count(message.usage);
      return null;
    }
    case 'content_block_start':
      if (isRecord(data.content_block)) readBlock(data.content_block, data.index, answer);
      return null;
    case 'content_block_delta': {
      const delta = isRecord(data.delta) ? data.delta : {};
      if (delta.type === 'text_delta') answer.add(asString(delta.text));
      else if (delta.type === 'thinking_delta') answer.add('', asString(delta.thinking));
      else if (delta.type === 'input_json_delta') answer.toolCalls.add(data.index, {argumentsDelta: asString(delta.partial_json)});
      return null;
    }
    case 'message_delta':
      if (isRecord(data.delta)) answer.finish(data.delta.stop_reason);
      answer.count(data.usage);
      return null;
    case 'message_stop':
      return 'end';
    case 'error':
      return reportedError('stream', data, 'The stream reported an error');
    case 'message': {
      // A non-streamed reply: the whole message at once.
      answer.began = true;
      answer.identify(data.id);
      if (Array.isArray(data.content)) data.content.forEach((block: unknown, index) => isRecord(block) && readBlock(block, index, answer));
      answer.finish(data.stop_reason);
      answer.count(data.usage);
      return 'end';
    }
    default:
      return null;
  }
}

/** Where each answer's server calls are, by their id: the block a result answers is another's. */
const serverCallKeys = new WeakMap<ChatAnswerWriter, Map<unknown, unknown>>();

/**
 * A content block as it starts (or whole, in a non-streamed reply): its text, thinking, tool call,
 * or a server tool's call (`server_tool_use`, an MCP connector's `mcp_tool_use`) or result
 * (`web_search_tool_result`, `code_execution_tool_result`, …, `mcp_tool_result`).
 */
function readBlock(block: Record<string, unknown>, index: unknown, answer: ChatAnswerWriter): void {
  const {type} = block;
  if (type === 'text') answer.add(asString(block.text));
  else if (type === 'thinking') answer.add('', asString(block.thinking));
  else if (type === 'tool_use' || type === 'server_tool_use' || type === 'mcp_tool_use') {
    // A stream starts the input as {} and sends it as JSON text; a whole reply has it as an object.
    const server = type !== 'tool_use';
    if (server) serverCallKeys.set(answer, (serverCallKeys.get(answer) ?? new Map()).set(block.id, index));
    answer.toolCalls.add(index, {id: block.id, name: block.name, input: block.input, server});
  } else if (typeof type === 'string' && type.endsWith('_tool_result') && type !== 'tool_result') {
    const key = serverCallKeys.get(answer)?.get(block.tool_use_id) ?? block.tool_use_id;
    answer.toolCalls.add(key, {id: block.tool_use_id, server: true, ...serverOutcome(block)});
  }
}

/** A server tool's result: its content, or its error (an `…_error` content's `error_code`, or an MCP result's `is_error` text). */
function serverOutcome({content, is_error: isError}: Record<string, unknown>): {result?: unknown; error?: string} {
  if (isRecord(content) && typeof content.type === 'string' && content.type.endsWith('_error')) return {error: asString(content.error_code) || content.type};
  if (isError !== true) return {result: content ?? null};
  const text = Array.isArray(content) ? content.map((part) => (isRecord(part) ? asString(part.text) : '')).join('') : asString(content);
  return {error: text || 'The tool failed'};
}
