import {businessError, isRecord, reportedError} from './errors.js';
import {MODERATION_CODE, ModerationScanner} from './moderation.js';
import type {ChatError, ChatResult, ChatStatus, ChatUpdate, ModerationFlag} from './types.js';

/**
 * The answer as it builds up from chat-completion chunks: text, reasoning, finish reason,
 * id and the moderation verdict. Each chunk costs time proportional to its own size.
 *
 * @internal
 */
export class Answer {
  text = '';
  reasoning = '';
  finishReason: string | null = null;
  id: string | null = null;
  sensitive: ModerationFlag | null = null;
  /** Whether any chunk carried a choice: an answer without one is empty, not done. */
  sawChoice = false;
  readonly #moderation = new ModerationScanner();
  readonly #onUpdate: ((update: ChatUpdate) => void) | undefined;

  constructor(onUpdate?: (update: ChatUpdate) => void) {
    this.#onUpdate = onUpdate;
  }

  /**
   * Applies one parsed chunk (an OpenAI `chat.completion.chunk`, or the backend's own
   * `{code, msg}`); returns the error it reports, if any.
   */
  apply(chunk: unknown): ChatError | null {
    if (!isRecord(chunk)) return null;
    if (chunk.error != null) return reportedError('stream', chunk, 'The stream reported an error');
    if (typeof chunk.id === 'string' && chunk.id !== '') this.id = chunk.id;
    const {choices} = chunk;
    if (!Array.isArray(choices) || choices.length === 0) return businessError(chunk);
    // With `n > 1` chunks carry other answers' choices too: this one follows choice 0.
    const choice = choices.find((candidate) => isRecord(candidate) && (candidate.index ?? 0) === 0);
    if (!isRecord(choice)) return null;
    this.sawChoice = true;
    const finishReason = choice.finish_reason ?? choice.finishReason;
    if (typeof finishReason === 'string' && finishReason !== '') this.finishReason = finishReason;
    const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : null;
    if (delta) this.#append(delta);
    return null;
  }

  /** The final result with the given status. */
  result(status: ChatStatus, error: ChatError | null = null): ChatResult {
    const {text, reasoning, finishReason, id, sensitive} = this;
    return {status, text, reasoning, finishReason, id, sensitive, error};
  }

  #append(delta: Record<string, unknown>): void {
    const content = typeof delta.content === 'string' && !this.sensitive ? delta.content : '';
    const thought = delta.reasoning_content ?? delta.reasoning;
    const reasoningDelta = typeof thought === 'string' ? thought : '';
    if (content === '' && reasoningDelta === '') return;
    this.reasoning += reasoningDelta;
    let replaced = false;
    if (content !== '') {
      this.text += content;
      const verdict = this.#moderation.push(content);
      if (verdict) {
        this.text = verdict.filteredText;
        this.sensitive = {code: MODERATION_CODE};
        replaced = true;
      }
    }
    this.#onUpdate?.({
      text: this.text,
      delta: replaced ? '' : content,
      reasoning: this.reasoning,
      reasoningDelta,
      replaced,
    });
  }
}
