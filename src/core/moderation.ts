const OPENER = '```json';
const FENCE = '```';
/** The code of the backend's moderation block. @internal */
export const MODERATION_CODE = 10013;

/** What a completed moderation block says. */
export interface ModerationVerdict {
  /** The text to show instead of the answer. */
  filteredText: string;
}

/**
 * Watches the answer for the backend's moderation block, a fenced ```` ```json ````
 * block whose JSON has `"code": 10013` and `"DONE": "DONE"`, as it streams in.
 *
 * It keeps only what it needs (a few characters while searching, the open block while
 * inside one), so each delta costs time proportional to the delta, never a rescan of the
 * whole answer.
 *
 * @internal
 */
export class ModerationScanner {
  #inBlock = false;
  /** The last few characters seen, which may hold the start of an opener or closing fence. */
  #tail = '';
  /** Inside a block: its text so far, joined only once the block closes. */
  #parts: string[] = [];

  /** Feeds the next delta; returns the verdict once a moderation block is complete. */
  push(delta: string): ModerationVerdict | null {
    let input = delta;
    for (;;) {
      // Every opener and fence starts with a backtick: most deltas have none and cost one scan.
      if (this.#tail === '' && !input.includes('`')) {
        if (this.#inBlock) this.#parts.push(input);
        return null;
      }
      const text = this.#tail + input;
      if (!this.#inBlock) {
        const opener = text.indexOf(OPENER);
        if (opener === -1) {
          this.#tail = keepFromBacktick(text.slice(-(OPENER.length - 1)));
          return null;
        }
        this.#inBlock = true;
        this.#tail = '';
        this.#parts = [];
        input = text.slice(opener + OPENER.length);
        continue;
      }
      const close = text.indexOf(FENCE);
      if (close === -1) {
        this.#parts.push(input);
        this.#tail = keepFromBacktick(text.slice(-(FENCE.length - 1)));
        return null;
      }
      // The fence may begin in the tail, which is already part of the block's text.
      this.#parts.push(input);
      const block = this.#parts.join('');
      const verdict = readVerdict(block.slice(0, block.length - text.length + close));
      if (verdict) return verdict;
      this.#inBlock = false;
      this.#tail = '';
      this.#parts = [];
      input = text.slice(close + FENCE.length);
    }
  }
}

/** The part of a tail that can still begin an opener or a fence: from its first backtick. */
function keepFromBacktick(tail: string): string {
  const backtick = tail.indexOf('`');
  return backtick === -1 ? '' : tail.slice(backtick);
}

function readVerdict(block: string): ModerationVerdict | null {
  if (!block.includes(String(MODERATION_CODE))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(block);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const {code, DONE, filteredText} = parsed as Record<string, unknown>;
  if (Number(code) !== MODERATION_CODE || DONE !== 'DONE') return null;
  return {filteredText: typeof filteredText === 'string' && filteredText !== '' ? filteredText : '**'};
}
