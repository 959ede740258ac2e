import {chatError, isRecord, parseJson, quote} from './errors.js';
import type {ChatMessage} from './session-types.js';
import type {ChatError, ChatToolCall} from './types.js';

/** One event of a response as a format reads it: a Server-Sent Event (`event` when it is named), one NDJSON line, or a piece of a plain text body. */
export interface ChatFormatEvent {
  /** The SSE event's name, when the server named it (`message` is the unnamed default). */
  event?: string;
  /** The event's data, the line, or the piece of text. */
  data: string;
  /** The SSE stream's last event ID as the event arrived, when it set one. */
  id?: string;
}

/**
 * What an event means: go on (`null` or nothing), the answer is complete (`'end'`), or the error
 * the stream reports (shown with the text so far kept).
 */
export type ChatFormatStep = null | undefined | void | 'end' | ChatError;

/** A piece of a tool call, as {@link ChatAnswerWriter.toolCalls} takes it. */
export interface ChatToolCallPart {
  /** The call's id, when this piece carries it. */
  id?: unknown;
  /** The tool's name, when this piece carries it. */
  name?: unknown;
  /** A piece of the input's JSON text. */
  argumentsDelta?: unknown;
  /** The whole input, parsed: used (as its JSON text) when the pieces of text make no valid JSON. */
  input?: unknown;
  /** `true` for a call the backend runs itself: the page shows it and its outcome, and never runs it. */
  server?: boolean;
  /** What a server call gave (any JSON value; `undefined` is none yet): the call is then `done`. */
  result?: unknown;
  /** Why a server call failed, a non-empty message: the call is then `failed`. */
  error?: unknown;
}

/** What a format builds the answer with. Each call costs time proportional to its own input. */
export interface ChatAnswerWriter {
  /** Appends to the answer's text (a leading `<think>` block in it is reasoning, unless `thinkTags` is off) and reasoning; either being non-empty marks the answer as begun. */
  add(text: string, reasoning?: string): void;
  /** The text so far (less think tags and their reasoning, and what is held back as a possible tag or moderation block). */
  readonly text: string;
  /** The reasoning so far. */
  readonly reasoning: string;
  /** Replaces the text (and the reasoning) so far, as a backend that corrects or retries its answer asks; reported as an update with `replaced: true`. */
  replace(text: string, reasoning?: string): void;
  /** Whether the stream carried an answer at all; set it for one that may rightly be empty (a tool call alone). */
  began: boolean;
  /** Records the finish reason (`stop`, `length`, …); an empty one is ignored. */
  finish(reason: unknown): void;
  /** Records the answer's id. */
  identify(id: unknown): void;
  /** Records token usage: `{prompt_tokens, completion_tokens}` or `{input_tokens, output_tokens}`; a count left out keeps its value. */
  count(usage: unknown): void;
  /** The tool calls, each built up by a key the format chooses (an index, an id). */
  readonly toolCalls: {add(key: unknown, part: ChatToolCallPart): void; readonly size: number};
}

/** A tool call of an earlier answer and what it gave, as a request body sends it back to the model. */
export interface ChatBodyToolCall {
  /** The call's id, as the model gave it. */
  id: string;
  /** The tool's name. */
  name: string;
  /** Its input as the model wrote it (JSON text). */
  arguments: string;
  /** `arguments` parsed (`undefined` when it is no JSON). */
  input: unknown;
  /** What the tool gave, as the text the model reads (JSON for anything but a string). */
  result: string;
  /** Whether `result` tells of a failure (the tool failed, is unknown, or the reader denied it). */
  isError: boolean;
}

/** A tool the model may call, as a request body declares it. */
export interface ChatBodyTool {
  name: string;
  description?: string;
  /** Its input's JSON Schema. */
  parameters?: Record<string, unknown>;
}

/**
 * One message of the conversation a request sends. A question's `attachments` (each
 * `{name, type, size, url?}`, `url` a `data:` URL or the page's upload URL, absent when
 * persistence did not keep the file) are the format's to send in its own shape.
 */
export interface ChatBodyMessage extends ChatMessage {
  id: string;
  /** An answer's tool calls, each with its result: the format sends them in its own shape after the answer's text. */
  toolCalls?: ChatBodyToolCall[];
  /**
   * An answer's calls the backend ran (`server: true`), each with its `result`, or its `error` (one
   * stopped before it ended says so). Only a format whose server keeps no history of its own (the
   * AI SDK's) sends them back; an answer of such calls alone has an empty `content`, and the
   * others send nothing of it.
   */
  serverToolCalls?: ChatToolCall[];
}

/** What a format builds a request body from. */
export interface ChatBodyInput {
  /** The conversation to send, ending with the question (or with an answer whose tool calls have their results): finished messages with text, attachments, tool calls or server calls, each with its id. */
  messages: ChatBodyMessage[];
  /** The tools the model may call, when the page gives any. The built-in formats declare them in their own shape, unless the page's `body` has a `tools` field of its own: that one is sent instead. */
  tools?: ChatBodyTool[];
  /** The system prompt, when one is set. */
  system?: string;
  /** The model, when one is set. */
  model?: string;
  /** The answer's token limit, when one is set. */
  maxTokens?: number;
  /** Extra fields the page asked for (the `body` option). */
  body: Record<string, unknown>;
  /** The conversation's id, the same for each of its requests. */
  chatId: string;
  /** Why the request is made: a new question, or an answer asked for again. */
  trigger: 'submit-message' | 'regenerate-message';
}

/**
 * A wire format: how a response's events build the answer, and how a conversation becomes a
 * request body. The built-in formats are such objects, one module each; pass your own as
 * `format` for any other backend.
 */
export interface ChatFormat {
  /** Its name, reported as the result's `format`. */
  readonly name: string;
  /**
   * How a body that is no event stream is read: `json` (default: one reply read whole, a
   * non-streamed answer or the backend's error), `ndjson` (one JSON value per line, as it
   * streams) or `text` (the body is the answer, as it streams).
   */
  readonly plainBody?: 'json' | 'ndjson' | 'text';
  /** Whether the end of the body is the answer's end; otherwise an answer that never said it finished is truncated. */
  readonly endsWithBody?: boolean;
  /** Reads one event into `answer`, and says what it means. */
  read(event: ChatFormatEvent, answer: ChatAnswerWriter): ChatFormatStep;
  /** Builds the request body (default: OpenAI chat completions, `{...body, model, stream: true, messages}`). */
  buildBody?(input: ChatBodyInput): Record<string, unknown>;
}

/**
 * The JSON an event carries, or what it means when it carries none: nothing (`undefined`, for
 * keep-alives and named non-JSON events such as `event: ping`) or an `invalid_json` error.
 *
 * @internal
 */
export function jsonOf({event, data}: ChatFormatEvent): {value: unknown} | ChatError | undefined {
  const value = parseJson(data);
  if (value !== undefined) return {value};
  if (data.trim() === '' || (event !== undefined && event !== 'message')) return undefined;
  return chatError('stream', 'invalid_json', `The stream sent data that is not JSON: ${quote(data)}`);
}

/** Reads an event that carries a JSON object with `read`; other JSON is skipped, and no JSON is as {@link jsonOf} says. @internal */
export function readJsonEvent(
  event: ChatFormatEvent,
  answer: ChatAnswerWriter,
  read: (data: Record<string, unknown>, answer: ChatAnswerWriter) => ChatFormatStep,
): ChatFormatStep {
  const json = jsonOf(event);
  if (!json || !('value' in json)) return json ?? null;
  return isRecord(json.value) ? read(json.value, answer) : null;
}

/** Whether an event is the `[DONE]` sentinel. @internal */
export function isDone({data}: ChatFormatEvent): boolean {
  return data.length <= 16 && data.trim() === '[DONE]';
}

/** A field's text: the value when it is a string, else `''`. @internal */
export function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The `tools` field of a request body, each tool in a format's own shape, or nothing when the page
 * gives none (an empty `tools` is an error in the OpenAI APIs). Spread before the page's `body`,
 * so a `body.tools` of its own wins. @internal
 */
export function toolsField(tools: readonly ChatBodyTool[] | undefined, shape: (tool: ChatBodyTool, schema: Record<string, unknown>) => unknown): {tools?: unknown[]} {
  // Anthropic requires `input_schema` and the Responses types `parameters`: no schema is one that takes no input.
  return tools?.length ? {tools: tools.map((tool) => shape(tool, tool.parameters ?? {type: 'object', properties: {}}))} : {};
}
