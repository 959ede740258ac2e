import {isRecord} from './errors.js';
import type {ChatBodyInput, ChatBodyMessage, ChatFormat} from './format.js';
import {attachmentsOf, DEFAULT_MAX_STORED_ATTACHMENT_SIZE, storedAttachments} from './message-attachments.js';
import {toolResult} from './tool-run.js';
import {bodyBuilder, selectFormat} from './formats/index.js';
import type {ChatMessage, ChatMessageStatus, ChatSessionMessage, ChatSessionOptions, ChatSessionToolCall} from './session-types.js';
import type {ChatToolCall} from './types.js';

const STATUSES: readonly string[] = ['done', 'streaming', 'stopped', 'error'];
const OPTIONAL_FIELDS = [
  ['id', 'string'],
  ['createdAt', 'number'],
  ['reasoning', 'string'],
  ['reasoningMs', 'number'],
  ['finishReason', 'string'],
  ['feedback', 'string'],
] as const;
let created = 0;

/** A new message with a fresh id (or `id`). @internal */
export function newMessage(role: string, content: string, status: ChatMessageStatus, id = newId()): ChatSessionMessage {
  return {id, role, content, status, createdAt: Date.now()};
}

/** Unique within a page (the counter) and across pages and reloads (the time and the random part). */
function newId(): string {
  return `m${Date.now().toString(36)}${(created++).toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Checks messages set by a page (or read from storage) and completes them: plain
 * `{role, content}` entries get an id, `done` and a creation time; an entry saved while it
 * streamed becomes `stopped`. Throws a `TypeError` that names the bad entry.
 *
 * @internal
 */
export function toMessages(value: unknown, name = 'messages'): ChatSessionMessage[] {
  if (!Array.isArray(value)) throw new TypeError(`chat-stream: \`${name}\` must be an array of {role, content}`);
  const ids = new Set<string>();
  // Array.from visits holes too: a sparse array is named, not skipped.
  return Array.from(value, (entry: unknown, index) => {
    const given = (entry ?? {}) as Partial<ChatSessionMessage>;
    const {role, content, id, status, error, feedback} = given;
    const where = `chat-stream: ${name}[${index}]`;
    if (typeof role !== 'string' || role === '' || typeof content !== 'string') {
      throw new TypeError(`${where} must be {role: string, content: string}`);
    }
    if (id !== undefined && (typeof id !== 'string' || id === '' || ids.has(id))) {
      throw new TypeError(`${where}.id must be a string no other message has (got ${JSON.stringify(id)})`);
    }
    if (status !== undefined && !STATUSES.includes(status)) {
      throw new TypeError(`${where}.status must be done, streaming, stopped or error (got ${JSON.stringify(status)})`);
    }
    // A conversation restored keeps its ids: making new ones for it would be wasted.
    const message = newMessage(role, content, status === 'streaming' ? 'stopped' : (status ?? 'done'), id);
    // The optional fields are kept when they have their type (a number a finite one), and dropped otherwise.
    for (const [field, type] of OPTIONAL_FIELDS) {
      const value = given[field];
      if (typeof value === type && value !== '' && (type !== 'number' || Number.isFinite(value))) Object.assign(message, {[field]: value});
    }
    if (isRecord(error) && typeof error.message === 'string') message.error = error;
    if (feedback !== 'up' && feedback !== 'down') delete message.feedback;
    const toolCalls = toolCallsOf(given.toolCalls);
    if (toolCalls) message.toolCalls = toolCalls;
    // Only a question carries files; malformed ones are dropped, as malformed tool calls are.
    const attachments = role === 'user' ? attachmentsOf(given.attachments) : undefined;
    if (attachments) message.attachments = attachments;
    ids.add(message.id);
    return message;
  });
}

const TOOL_STATES: readonly string[] = ['approval', 'running', 'done', 'failed', 'denied', 'stopped', 'asked'];

/** The tool calls of a message set by a page or read from storage: those well formed; a call running when saved is stopped. */
function toolCallsOf(value: unknown): ChatSessionToolCall[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const calls = value.filter(
    (call): call is ChatSessionToolCall => isRecord(call) && typeof call.id === 'string' && typeof call.name === 'string' && typeof call.arguments === 'string' && TOOL_STATES.includes(call.state as string),
  );
  return calls.length > 0 ? calls.map((call) => halted({...call})) : undefined;
}

/** A call as a stop (or the page going) leaves it: one running or awaiting approval is `stopped`, since nothing will end it. @internal */
export function halted(call: ChatSessionToolCall): ChatSessionToolCall {
  return call.state === 'running' || call.state === 'approval' ? {...call, state: 'stopped'} : call;
}

/** Options of {@link toStored}. @internal */
export interface StoredOptions {
  /** The id of an answer still streaming that is not saved. */
  excluded?: string | undefined;
  /** The longest `data:` URL of an attachment that is kept (`maxStoredAttachmentSize`). */
  maxAttachmentSize?: number | undefined;
}

/**
 * What is saved of a conversation: only id, role, content, status, reasoning, reasoningMs, finishReason,
 * createdAt, feedback, tool calls and attachments (a `data:` URL longer than `maxAttachmentSize`
 * left out). An answer still streaming is saved as stopped with its text so far, unless it is
 * `excluded`; an answer with no text (nor reasoning, nor tool calls) that was stopped or is streaming is left out.
 *
 * @internal
 */
export function toStored(messages: readonly ChatSessionMessage[], {excluded, maxAttachmentSize = DEFAULT_MAX_STORED_ATTACHMENT_SIZE}: StoredOptions = {}): ChatSessionMessage[] {
  const stored: ChatSessionMessage[] = [];
  for (const {id, role, content, status, createdAt, reasoning, reasoningMs, finishReason, feedback, toolCalls, attachments} of messages) {
    if (id === excluded || (content === '' && !toolCalls && !reasoning && (status === 'streaming' || status === 'stopped'))) continue;
    const message: ChatSessionMessage = {id, role, content, status: status === 'streaming' ? 'stopped' : status, createdAt};
    if (reasoning) message.reasoning = reasoning;
    if (reasoningMs !== undefined) message.reasoningMs = reasoningMs;
    if (finishReason) message.finishReason = finishReason;
    if (feedback) message.feedback = feedback;
    if (toolCalls) message.toolCalls = toolCalls.map(halted);
    if (attachments) message.attachments = storedAttachments(attachments, maxAttachmentSize);
    stored.push(message);
  }
  return stored;
}

/**
 * The conversation as the endpoint should see it: finished messages with text or attachments,
 * and stopped answers with text; no failed answer, none still coming, and no answer of tool
 * calls alone (until tools run).
 *
 * @internal
 */
export function conversation(messages: readonly ChatSessionMessage[]): ChatMessage[] {
  return sendable(messages).map(({role, content, attachments}) => (attachments ? {role, content, attachments} : {role, content}));
}

function sendable(messages: readonly ChatSessionMessage[]): ChatBodyMessage[] {
  const sent: ChatBodyMessage[] = [];
  for (const {id, role, content, status, toolCalls = [], attachments} of messages) {
    if (status !== 'done' && status !== 'stopped') continue;
    // Calls that ran (or were refused) go back to the model with what they gave; the server's apart, for a format that sends them.
    const ended = toolCalls.filter((call) => call.state !== 'asked' && call.state !== 'running' && call.state !== 'approval');
    const own = ended.filter((call) => !call.server).map((call) => ({id: call.id, name: call.name, arguments: call.arguments, input: call.input, ...toolResult(call)}));
    const served = ended.filter((call) => call.server).map(serverCall);
    if (content === '' && own.length === 0 && served.length === 0 && !attachments?.length) continue;
    sent.push({id, role, content, ...(own.length ? {toolCalls: own} : {}), ...(served.length ? {serverToolCalls: served} : {}), ...(attachments?.length ? {attachments} : {})});
  }
  return sent;
}

/** A server call as a request sends it back: its `result` when done, else its `error` (one stopped says so). */
function serverCall(call: ChatSessionToolCall): ChatToolCall {
  const {id, name, arguments: args, input, state, result, error} = call;
  return {id, name, arguments: args, input, server: true, ...(state === 'done' ? {result} : {error: error ?? toolResult(call).result})};
}

/** The format the options choose, checked with the token and step limits and the tools; throws a `TypeError` naming a bad one. @internal */
export function requestFormat(options: ChatSessionOptions): ChatFormat | undefined {
  for (const name of ['maxTokens', 'maxSteps'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new TypeError(`chat-stream: \`${name}\` must be a whole number above 0 (got ${typeof value === 'number' ? value : JSON.stringify(value)})`);
    }
  }
  for (const [name, tool] of Object.entries(options.tools ?? {})) {
    if (!isRecord(tool) || (tool.run !== undefined && typeof tool.run !== 'function')) {
      throw new TypeError(`chat-stream: \`tools.${name}\` must be {description?, parameters?, run?: function, confirm?}`);
    }
  }
  return selectFormat(options);
}

/**
 * The request body the format builds (by default `{...body, model?, stream: true, messages}`,
 * with `system` first in `messages`). The conversation's id is its first message's: the same
 * for each of its requests, and new after `clear()`. Throws a `TypeError` when the format's
 * builder gives no object.
 *
 * @internal
 */
export function requestBody(
  options: ChatSessionOptions,
  extras: Record<string, unknown>,
  messages: readonly ChatSessionMessage[],
  trigger: ChatBodyInput['trigger'],
): Record<string, unknown> {
  const format = requestFormat(options);
  const {model, system, maxTokens} = options;
  const input: ChatBodyInput = {messages: sendable(messages), body: extras, chatId: messages[0]?.id ?? '', trigger};
  const tools = Object.entries(options.tools ?? {}).map(([name, {description, parameters}]) => ({name, ...(description ? {description} : {}), ...(parameters ? {parameters} : {})}));
  if (tools.length > 0) input.tools = tools;
  if (model) input.model = model;
  if (system) input.system = system;
  if (maxTokens) input.maxTokens = maxTokens;
  const body = bodyBuilder(format)(input);
  if (!isRecord(body)) throw new TypeError(`chat-stream: the format "${format?.name ?? 'openai'}" built no request body object (got ${body === null ? 'null' : typeof body})`);
  return body;
}

/** A copy of an option that must be a plain object (`headers`, `body`), or a TypeError naming it. @internal */
export function plainRecord<T extends object>(value: T | undefined, name: string): T {
  if (value === undefined) return {} as T;
  const prototype = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`chat-stream: \`${name}\` must be a plain object, e.g. {'X-Team': 'blue'}`);
  }
  return {...value};
}
