import {chatError} from './errors.js';
import type {ChatAnswerWriter} from './format.js';
import {MODERATION_CODE, ModerationScanner} from './moderation.js';
import {ReasoningTime} from './reasoning-time.js';
import {asReasoning, ThinkTagReader, type ThinkTagRead} from './think-tags.js';
import {ToolCalls, usageOf} from './tool-calls.js';
import type {ChatError, ChatResult, ChatStatus, ChatUpdate, ChatUsage, ModerationFlag} from './types.js';

/** A result as the answer gives it: all but how the request went over the network. @internal */
export type AnswerResult = Omit<ChatResult, 'timing' | 'buffered'>;

/** Options of an {@link Answer}. @internal */
export interface AnswerOptions {
  /** Called after each change of the text or the reasoning. */
  onUpdate?: ((update: ChatUpdate) => void) | undefined;
  /** The clock the reasoning is timed by (default: none, every time 0). */
  now?: () => number;
  /** Whether `<think>` tags in the text are read as reasoning (default `true`). */
  thinkTags?: boolean;
}

/**
 * The answer as a format's events build it up: text (read for think tags, and watched for the
 * moderation block), reasoning and how long it took, tool calls, usage, finish reason and id.
 * Each event costs time proportional to its own size.
 *
 * @internal
 */
export class Answer implements ChatAnswerWriter {
  /** The text shown so far: what arrived, less think tags and their reasoning, and less what may still turn out to be a tag or a moderation block. */
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
  #thinkTags: ThinkTagReader;
  readonly #readsThinkTags: boolean;
  readonly #reasoningTime: ReasoningTime;
  /** Set while a replacement text is fed through: one update reports it, at the end. */
  #replacing = false;
  readonly #onUpdate: ((update: ChatUpdate) => void) | undefined;

  constructor({onUpdate, now = () => 0, thinkTags = true}: AnswerOptions = {}) {
    this.#onUpdate = onUpdate;
    this.#reasoningTime = new ReasoningTime(now);
    this.#readsThinkTags = thinkTags;
    this.#thinkTags = new ThinkTagReader(thinkTags);
  }

  /** Adds to the answer's text (read for think tags; after a moderation verdict, no more text) and reasoning; either marks the answer as begun. */
  add(content: string, reasoningDelta = ''): void {
    if (content !== '' || reasoningDelta !== '') this.began = true;
    const text = this.sensitive ? '' : content;
    // Nearly always, once the answer's beginning is read: no tags to look for.
    if (this.#thinkTags.done) return this.#append(text, reasoningDelta);
    const read = this.#thinkTags.push(text);
    if (read.closedLate) return this.#closeLate(read, reasoningDelta);
    this.#append(read.text, reasoningDelta + read.reasoning);
  }

  /**
   * Replaces the text (and the reasoning) shown so far, reported as one update with `replaced`;
   * after a moderation verdict, nothing changes. The text is read as content is: for the
   * moderation block, and for think tags unless they were read before and the text goes on.
   */
  replace(text: string, reasoning = this.reasoning): void {
    if (this.sensitive) return;
    this.#thinkTags = new ThinkTagReader(this.#readsThinkTags && !(this.#thinkTags.settled && text !== ''));
    this.reasoning = '';
    this.#restart(() => this.add(text, reasoning));
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
    if (this.text.trim() !== '' || this.#held.some((piece) => piece.trim() !== '') || this.#thinkTags.heldText.trim() !== '') return null;
    if (!this.began) return chatError('stream', 'empty_response', 'The stream ended but carried no answer');
    // An answer of tool calls is complete: the caller runs them (the server ran its own).
    if (this.toolCalls.size > 0) return null;
    if (this.finishReason === 'content_filter') {
      return chatError('stream', 'content_filter', "The provider's content filter blocked the answer");
    }
    const reason = this.finishReason ? ` (finish reason: ${this.finishReason})` : '';
    const what = this.reasoning.trim() === '' ? 'an empty answer' : 'its reasoning but no answer';
    return chatError('stream', 'empty_response', `The model sent ${what}${reason}`);
  }

  /**
   * The final result with the given status. What was held back turned out to be no moderation
   * block: it is shown (a last update) when the answer ends, and kept in the text in any case.
   */
  result(status: ChatStatus, error: ChatError | null = null): AnswerResult {
    // What the think tags held back: a tag's beginning (text: no moderation block ends with one), or reasoning that never closed.
    const tagged = this.#thinkTags.end();
    if (tagged.reasoning !== '') this.#reasoningTime.reasoning();
    if (tagged.text !== '' && !this.sensitive) {
      this.#reasoningTime.text();
      this.#held.push(tagged.text);
      this.#heldLength += tagged.text.length;
    }
    this.reasoning += tagged.reasoning;
    if (this.#heldLength > 0 || tagged.reasoning !== '') {
      const rest = this.#held.join('');
      this.#held = [];
      this.#heldLength = 0;
      this.text += rest;
      if (status === 'done' || status === 'error') this.#report(rest, tagged.reasoning, false);
    }
    const {text, reasoning, finishReason, id, sensitive, usage, format} = this;
    const reasoningMs = this.#reasoningTime.final(reasoning);
    return {status, text, reasoning, reasoningMs, finishReason, id, sensitive, error, toolCalls: this.toolCalls.list(), usage, format};
  }

  /** Empties the text and the moderation watch, then runs `refill` (whose updates are held back, for the caller's one). */
  #restart(refill: () => void): void {
    this.#moderation = new ModerationScanner();
    this.#held = [];
    this.#heldLength = 0;
    this.text = '';
    const replacing = this.#replacing;
    this.#replacing = true;
    try {
      refill();
    } finally {
      this.#replacing = replacing;
    }
  }

  /** A closing think tag with no opening one: the answer's text so far is reasoning, and the text after the tag the answer. */
  #closeLate({text, reasoning}: ThinkTagRead, reasoningDelta: string): void {
    const before = asReasoning(this.text + this.#held.join('') + reasoning);
    this.#reasoningTime.textWasReasoning();
    this.#restart(() => this.#append(text, reasoningDelta + before));
    this.#report('', reasoningDelta + before, true);
  }

  #append(content: string, reasoningDelta: string): void {
    if (content === '' && reasoningDelta === '') return;
    this.reasoning += reasoningDelta;
    if (reasoningDelta !== '') this.#reasoningTime.reasoning();
    if (content === '') return this.#report('', reasoningDelta, false);
    this.#reasoningTime.text();
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
    const reasoningMs = this.#reasoningTime.known(this.reasoning);
    if (reasoningMs !== undefined) update.reasoningMs = reasoningMs;
    if (serverCalls) update.toolCalls = this.toolCalls.list().filter((call) => call.server);
    this.#onUpdate?.(update);
  }
}

/** Whether a finish reason says the model stopped to have a tool run. @internal */
export function isToolCallReason(reason: string | null): boolean {
  // OpenAI (and its older form), Anthropic, the AI SDK.
  return reason === 'tool_calls' || reason === 'function_call' || reason === 'tool_use' || reason === 'tool-calls';
}
