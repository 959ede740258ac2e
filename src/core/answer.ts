import {businessError, chatError, isRecord, reportedError} from './errors.js';
import {MODERATION_CODE, ModerationScanner} from './moderation.js';
import {ToolCalls, usageOf} from './tool-calls.js';
import type {ChatError, ChatResult, ChatStatus, ChatUpdate, ChatUsage, ModerationFlag} from './types.js';

/**
 * The answer as it builds up from chat-completion chunks: text, reasoning, finish reason,
 * id and the moderation verdict. Each chunk costs time proportional to its own size.
 *
 * @internal
 */
export class Answer {
  /** The text shown so far: what arrived, less what may still turn out to be a moderation block. */
  text = '';
  /** What arrived after `text` and is held back, in pieces joined only when released. */
  #held: string[] = [];
  #heldLength = 0;
  reasoning = '';
  finishReason: string | null = null;
  id: string | null = null;
  sensitive: ModerationFlag | null = null;
  /** Whether any chunk carried a choice: an answer without one is empty, not done. */
  sawChoice = false;
  /** The tools the model asked to call. */
  readonly toolCalls = new ToolCalls();
  usage: ChatUsage | null = null;
  readonly #moderation = new ModerationScanner();
  readonly #onUpdate: ((update: ChatUpdate) => void) | undefined;

  constructor(onUpdate?: (update: ChatUpdate) => void) {
    this.#onUpdate = onUpdate;
  }

  /**
   * Applies one parsed chunk (an OpenAI `chat.completion.chunk`, or the backend's own
   * `{code, msg}`); returns the error it reports, if any.
   */
  apply(data: unknown): ChatError | null {
    // Gemini wraps errors in a one-element array.
    const chunk = Array.isArray(data) && data.length === 1 ? data[0] : data;
    if (!isRecord(chunk)) return null;
    const {choices} = chunk;
    // With `n > 1` chunks carry other answers' choices too: this one follows choice 0.
    const choice = Array.isArray(choices) ? choices.find((candidate) => isRecord(candidate) && (candidate.index ?? 0) === 0) : undefined;
    // Read before an error: OpenRouter sends `finish_reason: "error"` beside it.
    const finishReason = isRecord(choice) ? (choice.finish_reason ?? choice.finishReason) : undefined;
    if (typeof finishReason === 'string' && finishReason !== '') this.finishReason = finishReason;
    this.usage = usageOf(chunk.usage) ?? this.usage;
    if (chunk.error != null) return reportedError('stream', chunk, 'The stream reported an error');
    if (typeof chunk.id === 'string' && chunk.id !== '') this.id = chunk.id;
    if (!Array.isArray(choices) || choices.length === 0) return businessError(chunk);
    if (!isRecord(choice)) return null;
    this.sawChoice = true;
    const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : null;
    if (delta) this.#append(delta);
    return null;
  }

  /**
   * Why an answer that ended normally is no answer: nothing arrived, or only tool calls, or
   * the content filter removed everything. `null` when there is text to show.
   */
  emptyError(): ChatError | null {
    if (this.text.trim() !== '' || this.#held.some((piece) => piece.trim() !== '')) return null;
    if (!this.sawChoice) return chatError('stream', 'empty_response', 'The stream ended with [DONE] but carried no answer');
    // An answer of tool calls is complete: the caller runs them.
    if (this.toolCalls.size > 0) return null;
    if (this.finishReason === 'content_filter') {
      return chatError('stream', 'content_filter', "The provider's content filter blocked the answer");
    }
    const reason = this.finishReason ? ` (finish reason: ${this.finishReason})` : '';
    return chatError('stream', 'empty_response', `The model sent an empty answer${reason}`);
  }

  /**
   * The final result with the given status. What was held back turned out to be no moderation
   * block: it is shown (a last update) when the answer ends, and kept in the text in any case.
   */
  result(status: ChatStatus, error: ChatError | null = null): ChatResult {
    if (this.#heldLength > 0) {
      const rest = this.#held.join('');
      this.#held = [];
      this.#heldLength = 0;
      this.text += rest;
      if (status === 'done' || status === 'error') this.#report(rest, '', false);
    }
    const {text, reasoning, finishReason, id, sensitive, usage} = this;
    return {status, text, reasoning, finishReason, id, sensitive, error, toolCalls: this.toolCalls.list(), usage};
  }

  #append(delta: Record<string, unknown>): void {
    // `function_call` is the older, single-call form of `tool_calls`.
    this.#noteToolCalls(isRecord(delta.function_call) ? [{function: delta.function_call}] : delta.tool_calls);
    // Content is a string, or (Mistral's reasoning models) an array of text and thinking parts;
    // an OpenAI refusal arrives as `refusal` instead and is shown as the answer.
    const parts = contentParts(delta.content);
    const refusal = typeof delta.refusal === 'string' ? delta.refusal : '';
    const content = this.sensitive ? '' : parts.text + refusal;
    const thought = delta.reasoning_content ?? delta.reasoning;
    const reasoningDelta = (typeof thought === 'string' ? thought : '') + parts.thinking;
    if (content === '' && reasoningDelta === '') return;
    this.reasoning += reasoningDelta;
    if (content === '') return this.#report('', reasoningDelta, false);
    const verdict = this.#moderation.push(content);
    if (verdict) {
      this.text = verdict.filteredText;
      this.#held = [];
      this.#heldLength = 0;
      this.sensitive = {code: MODERATION_CODE};
      return this.#report('', reasoningDelta, true);
    }
    const held = this.#moderation.held;
    // Nearly always nothing is held, before or now: the text grows by the delta.
    const shown = held === 0 && this.#heldLength === 0 ? content : this.#release(content, held);
    this.text += shown;
    if (shown !== '' || reasoningDelta !== '') this.#report(shown, reasoningDelta, false);
  }

  /** Adds `content` behind what is held, and returns what may be shown now (all but the last `held` characters), to be added to the text. */
  #release(content: string, held: number): string {
    const waiting = this.#heldLength + content.length;
    if (held >= waiting) {
      this.#held.push(content);
      this.#heldLength = waiting;
      return '';
    }
    // Holding little or nothing (the start of an opener): the pieces are short, or released whole.
    const pending = this.#heldLength === 0 ? content : this.#held.join('') + content;
    const shown = pending.slice(0, pending.length - held);
    this.#held = held > 0 ? [pending.slice(pending.length - held)] : [];
    this.#heldLength = held;
    return shown;
  }

  #report(delta: string, reasoningDelta: string, replaced: boolean): void {
    this.#onUpdate?.({text: this.text, delta, reasoning: this.reasoning, reasoningDelta, replaced});
  }

  #noteToolCalls(calls: unknown): void {
    if (!Array.isArray(calls)) return;
    calls.forEach((call: unknown, position) => {
      if (!isRecord(call)) return;
      const fn = isRecord(call.function) ? call.function : {};
      this.toolCalls.add(call.index ?? position, {id: call.id, name: fn.name, argumentsDelta: fn.arguments});
    });
  }
}

/** Whether a finish reason says the model stopped to have a tool run. @internal */
export function isToolCallReason(reason: string | null): boolean {
  // OpenAI (and its older form), Anthropic, the AI SDK.
  return reason === 'tool_calls' || reason === 'function_call' || reason === 'tool_use' || reason === 'tool-calls';
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
