import {chatError} from './errors.js';
import type {ChatAnswerWriter} from './format.js';
import {MODERATION_CODE, ModerationScanner} from './moderation.js';
import {ToolCalls, usageOf} from './tool-calls.js';
import type {ChatError, ChatResult, ChatStatus, ChatUpdate, ChatUsage, ModerationFlag} from './types.js';

/** A result as the answer gives it: all but how the request went over the network. @internal */
export type AnswerResult = Omit<ChatResult, 'timing' | 'buffered'>;

/**
 * The answer as a format's events build it up: text (watched for the moderation block),
 * reasoning, tool calls, usage, finish reason and id. Each event costs time proportional to
 * its own size.
 *
 * @internal
 */
export class Answer implements ChatAnswerWriter {
  /** The text shown so far: what arrived, less what may still turn out to be a moderation block. */
  text = '';
  /** What arrived after `text` and is held back, in pieces joined only when released. */
  #held: string[] = [];
  #heldLength = 0;
  reasoning = '';
  finishReason: string | null = null;
  id: string | null = null;
  sensitive: ModerationFlag | null = null;
  /** Whether the stream carried an answer at all (a choice, a message): one without is empty, not done. */
  began = false;
  /** The tools the model asked to call; a server call's changes are reported as they come. */
  readonly toolCalls = new ToolCalls(() => this.#report('', '', false, true));
  usage: ChatUsage | null = null;
  /** The format the answer is read in, once the response says. */
  format: ChatResult['format'] = 'auto';
  #moderation = new ModerationScanner();
  /** Set while a replacement text is fed through: one update reports it, at the end. */
  #replacing = false;
  readonly #onUpdate: ((update: ChatUpdate) => void) | undefined;

  constructor(onUpdate?: (update: ChatUpdate) => void) {
    this.#onUpdate = onUpdate;
  }

  /** Adds to the answer's text and reasoning (after a moderation verdict, no more text); either marks the answer as begun. */
  add(content: string, reasoningDelta = ''): void {
    if (content !== '' || reasoningDelta !== '') this.began = true;
    this.#append(this.sensitive ? '' : content, reasoningDelta);
  }

  /** Replaces the text (and the reasoning) shown so far, reported as one update with `replaced`; after a moderation verdict, nothing changes. */
  replace(text: string, reasoning = this.reasoning): void {
    if (this.sensitive) return;
    this.#moderation = new ModerationScanner();
    this.#held = [];
    this.#heldLength = 0;
    this.text = '';
    this.reasoning = '';
    this.#replacing = true;
    this.#append(text, reasoning);
    this.#replacing = false;
    this.#report('', '', true);
  }

  /** Records a finish reason the stream gave; a later empty one does not clear it. */
  finish(reason: unknown): void {
    if (typeof reason === 'string' && reason !== '') this.finishReason = reason;
  }

  /** Records the answer's id (a chunk's, a message's). */
  identify(id: unknown): void {
    if (typeof id === 'string' && id !== '') this.id = id;
  }

  /** Records the token usage the stream reported. */
  count(usage: unknown): void {
    this.usage = usageOf(usage, this.usage);
  }

  /**
   * Why an answer that ended normally is no answer: nothing arrived, or only tool calls, or
   * the content filter removed everything. `null` when there is text to show.
   */
  emptyError(): ChatError | null {
    if (this.text.trim() !== '' || this.#held.some((piece) => piece.trim() !== '')) return null;
    if (!this.began) return chatError('stream', 'empty_response', 'The stream ended but carried no answer');
    // An answer of tool calls is complete: the caller runs them (the server ran its own).
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
  result(status: ChatStatus, error: ChatError | null = null): AnswerResult {
    if (this.#heldLength > 0) {
      const rest = this.#held.join('');
      this.#held = [];
      this.#heldLength = 0;
      this.text += rest;
      if (status === 'done' || status === 'error') this.#report(rest, '', false);
    }
    const {text, reasoning, finishReason, id, sensitive, usage, format} = this;
    return {status, text, reasoning, finishReason, id, sensitive, error, toolCalls: this.toolCalls.list(), usage, format};
  }

  #append(content: string, reasoningDelta: string): void {
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

  #report(delta: string, reasoningDelta: string, replaced: boolean, serverCalls = false): void {
    if (this.#replacing) return;
    const update: ChatUpdate = {text: this.text, delta, reasoning: this.reasoning, reasoningDelta, replaced};
    if (serverCalls) update.toolCalls = this.toolCalls.list().filter((call) => call.server);
    this.#onUpdate?.(update);
  }
}

/** Whether a finish reason says the model stopped to have a tool run. @internal */
export function isToolCallReason(reason: string | null): boolean {
  // OpenAI (and its older form), Anthropic, the AI SDK.
  return reason === 'tool_calls' || reason === 'function_call' || reason === 'tool_use' || reason === 'tool-calls';
}
