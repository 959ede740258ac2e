const OPENER = '```json';
const FENCE = '```';
/** The code of the backend's moderation block. @internal */
export const MODERATION_CODE = 10013;

/** What a completed moderation block says. */
export interface ModerationVerdict {
  /** The text to show instead of the answer. */
  filteredText: string;
}

/** How a moderation block's JSON begins (white space aside): a block that begins otherwise is shown as it streams. */
const OPENINGS = ['{"code":10013', '{"code":"10013"'];

/**
 * Watches the answer for the backend's moderation block, a fenced ```` ```json ````
 * block whose JSON has `"code": 10013` and `"DONE": "DONE"`, as it streams in, and says how
 * much of the answer's end must be held back so that no byte of such a block is ever shown:
 * the start of what may become an opener, and a block whose JSON begins as a moderation block
 * does, until it closes. Any other block is released as soon as its beginning shows it is not one.
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
  /** Inside a block: how many characters since its opener began. */
  #sinceOpener = 0;
  /** Inside a block: its first characters other than white space, while it may be a moderation block. */
  #opening: string | null = null;
  /** Outside a block: how many characters at the end may begin an opener. */
  #partialOpener = 0;

  /** How many characters at the end of what was pushed must not be shown yet. */
  get held(): number {
    if (!this.#inBlock) return this.#partialOpener;
    return this.#opening === null ? 0 : this.#sinceOpener;
  }

  /** Feeds the next delta; returns the verdict once a moderation block is complete. */
  push(delta: string): ModerationVerdict | null {
    if (this.#inBlock) this.#sinceOpener += delta.length;
    let input = delta;
    for (;;) {
      // Every opener and fence starts with a backtick: most deltas have none and cost one scan.
      if (this.#tail === '' && !input.includes('`')) {
        if (this.#inBlock) this.#readBlock(input);
        else if (this.#partialOpener !== 0) this.#partialOpener = 0;
        return null;
      }
      const text = this.#tail + input;
      if (!this.#inBlock) {
        const opener = text.indexOf(OPENER);
        if (opener === -1) {
          this.#tail = keepFromBacktick(text.slice(-(OPENER.length - 1)));
          this.#partialOpener = partialOpener(text);
          return null;
        }
        this.#inBlock = true;
        this.#tail = '';
        this.#parts = [];
        this.#opening = '';
        this.#sinceOpener = text.length - opener;
        input = text.slice(opener + OPENER.length);
        continue;
      }
      const close = text.indexOf(FENCE);
      if (close === -1) {
        this.#readBlock(input);
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

  /** Keeps a piece of the block, and decides from its beginning whether it may be a moderation block. */
  #readBlock(piece: string): void {
    this.#parts.push(piece);
    if (this.#opening === null || this.#opening.length >= OPENINGS[1]!.length) return;
    this.#opening += piece.slice(0, 64).replace(/\s+/g, '');
    const opening = this.#opening;
    if (!OPENINGS.some((start) => start.startsWith(opening) || opening.startsWith(start))) this.#opening = null;
  }
}

/** How many characters at the end of `text` are the start of an opener (``` ` ``` to ```` ```jso ````). */
function partialOpener(text: string): number {
  // Every start of an opener begins with a backtick: only suffixes from one are tried.
  for (let at = text.indexOf('`', Math.max(0, text.length - OPENER.length + 1)); at !== -1; at = text.indexOf('`', at + 1)) {
    if (OPENER.startsWith(text.slice(at))) return text.length - at;
  }
  return 0;
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
