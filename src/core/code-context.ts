/** What a tag reader says of the text at a `<`: a tag's length when one stands there whole, this when the text ends inside one, 0 when none does. @internal */
export const PARTIAL_TAG = -1;

/** A tag found outside code: whole (`length`), or begun at the end of the text (`partial`). @internal */
export type TagOutsideCode = {at: number; length: number} | {at: number; partial: true};

/** In the middle of a line only a backtick (a code span, a fence), a line end or a `<` (a tag) changes anything. */
const MID_LINE = /[`\n<]/g;
const MATTERS = /[`\n<]/;

/**
 * Follows Markdown as it streams, to tell code from prose: fenced code blocks (a line that begins,
 * indented at most three spaces, with three or more backticks or tildes, up to such a line of as
 * many or more) and code spans (a run of backticks up to a run of as many, or the paragraph's end,
 * since a span still open may yet close). A fence's info string and the rest of its closing line
 * are not checked: near enough to CommonMark to keep a tag written in code out of the reading.
 *
 * Each piece is read once, on from where the last one ended, jumping between the characters that
 * matter: its cost is proportional to the piece.
 *
 * @internal
 */
export class CodeContext {
  #fenceChar = '';
  /** The open fence's length; 0 outside a fence. */
  #fence = 0;
  /** The open code span's backtick count; 0 outside one. */
  #span = 0;
  /** The run of backticks or tildes being read: it may go on in the next piece. */
  #runChar = '';
  #run = 0;
  #runAtLineStart = false;
  /** The spaces before the line's first character; -1 once the line has one that is no space. */
  #indent = 0;

  /**
   * Reads `text`, which follows what was read before, up to the first `<` outside code where
   * `tagAt` finds a tag (its length, or {@link PARTIAL_TAG} when the text ends inside one); the
   * rest is left unread. A partial tag's text, given again at the start of the next piece, is
   * read again as if for the first time.
   */
  find(text: string, tagAt: (text: string, at: number) => number): TagOutsideCode | null {
    // Most pieces are a few characters in the middle of a line, none of which matters.
    if (this.#indent === -1 && this.#run === 0 && !MATTERS.test(text)) return null;
    for (let at = 0; at < text.length; at++) {
      if (this.#indent === -1 && this.#run === 0) {
        MID_LINE.lastIndex = at;
        const next = MID_LINE.exec(text);
        if (!next) return null;
        at = next.index;
      }
      const char = text[at]!;
      this.#read(char);
      if (char !== '<' || this.#fence > 0 || this.#span > 0) continue;
      const length = tagAt(text, at);
      if (length === PARTIAL_TAG) return {at, partial: true};
      if (length > 0) return {at, length};
    }
    return null;
  }

  #read(char: string): void {
    if (char === '`' || char === '~') {
      if (this.#run > 0 && this.#runChar === char) {
        this.#run++;
        return;
      }
      this.#endRun();
      this.#runChar = char;
      this.#run = 1;
      this.#runAtLineStart = this.#indent >= 0 && this.#indent <= 3;
      this.#indent = -1;
      return;
    }
    this.#endRun();
    if (char === '\n') {
      // A blank line ends the paragraph, and with it a code span that never closed.
      if (this.#indent >= 0) this.#span = 0;
      this.#indent = 0;
    } else if (char === ' ' || char === '\t') {
      if (this.#indent >= 0) this.#indent += char === '\t' ? 4 : 1;
    } else if (char !== '\r') {
      this.#indent = -1;
    }
  }

  /** A run of backticks or tildes, once it ended: it may open or close a fence or a code span. */
  #endRun(): void {
    if (this.#run === 0) return;
    const char = this.#runChar;
    const length = this.#run;
    this.#run = 0;
    if (this.#fence > 0) {
      if (this.#runAtLineStart && char === this.#fenceChar && length >= this.#fence) this.#fence = 0;
    } else if (this.#span > 0) {
      if (char === '`' && length === this.#span) this.#span = 0;
    } else if (this.#runAtLineStart && length >= 3) {
      this.#fenceChar = char;
      this.#fence = length;
    } else if (char === '`') {
      this.#span = length;
    }
  }
}
