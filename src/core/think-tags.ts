import {CodeContext, PARTIAL_TAG} from './code-context.js';

const OPENERS = ['<think>', '<thinking>'];
const CLOSERS = ['</think>', '</thinking>'];
const TAGS = [...CLOSERS, ...OPENERS];
/** The longest tag's length: no more is ever held back as a tag's beginning. */
const LONGEST = Math.max(...TAGS.map((tag) => tag.length));
const NOT_SPACE = /\S/;

/** What a piece of the answer's content is, once read for think tags. @internal */
export interface ThinkTagRead {
  /** Answer text. */
  text: string;
  /** Reasoning, from between the tags. */
  reasoning: string;
  /** `true` when a closing tag came with no opening one: all the answer's text before it, `reasoning` here last, is reasoning. */
  closedLate: boolean;
}

/**
 * Where the reader stands: at the `start` (white space so far), in the `reasoning` a leading tag
 * opened, `after` its closing tag (dropping the blank lines that begin the answer), in an
 * `answer` that began with no tag (a closing tag outside code may yet come), or reading no more
 * tags (`plain`).
 */
type State = 'start' | 'reasoning' | 'after' | 'answer' | 'plain';

const NOTHING: ThinkTagRead = {text: '', reasoning: '', closedLate: false};

/**
 * Reads the reasoning that models without a reasoning field write into the answer's text:
 * `<think>…</think>` (or `<thinking>…</thinking>`, in any case) at the start of the answer, after
 * white space; or, from chat templates that put `<think>` into the prompt, a closing tag alone, with
 * all the text before it reasoning. Only a leading opening tag counts: one later in the answer, or a
 * closing tag after it, in a code span or in a fenced code block, is the answer's text.
 *
 * The tags may arrive split at any character: whatever may still become a tag is held back, so
 * that no character of one is ever given as text. The reasoning loses its leading blank lines and
 * its trailing white space, and the answer after a closing tag its leading blank lines.
 *
 * It holds only what may begin a tag (and white space at the edges), and reads each piece once: its
 * cost is proportional to the piece, never a rescan of the answer.
 *
 * @internal
 */
export class ThinkTagReader {
  #state: State;
  /** What may begin a tag, held back: the opening one (`start`), the closing one (`reasoning`), either (`answer`). */
  #held = '';
  /** At the start: the white space before the first character. */
  #space = '';
  /** In the reasoning: the closing tag that ends it. */
  #closer = '';
  /** In the reasoning: white space at its end, held back until more reasoning follows it. */
  #trailing: string[] = [];
  #leading = new LeadingBlankLines();
  #code: CodeContext | null = null;
  #settled = false;

  /** @param enabled - `false` reads no tags: every piece is text. */
  constructor(enabled = true) {
    this.#state = enabled ? 'start' : 'plain';
  }

  /** Whether a tag was read (an opening or a closing one): what follows is plain text. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Whether it reads no more tags: each piece is text as it is. */
  get done(): boolean {
    return this.#state === 'plain';
  }

  /** What is held back that {@link ThinkTagReader.end} would give as text. */
  get heldText(): string {
    return this.#state === 'start' ? this.#space + this.#held : this.#state === 'answer' ? this.#held : '';
  }

  /** Reads the next piece of content. */
  push(content: string): ThinkTagRead {
    if (content === '') return NOTHING;
    switch (this.#state) {
      case 'start':
        return this.#readStart(content);
      case 'reasoning':
        return this.#readReasoning(content);
      case 'after':
        return {text: this.#readAfter(content), reasoning: '', closedLate: false};
      case 'answer':
        return this.#readAnswer(content);
      default:
        return {text: content, reasoning: '', closedLate: false};
    }
  }

  /** The answer ended: what was held back is text (a tag's beginning, or white space alone), or reasoning that never closed. */
  end(): ThinkTagRead {
    const reasoning = this.#state === 'reasoning' ? this.#settleReasoning(this.#held, true) : '';
    const text = this.heldText;
    this.#state = 'plain';
    this.#held = this.#space = '';
    return text === '' && reasoning === '' ? NOTHING : {text, reasoning, closedLate: false};
  }

  #readStart(content: string): ThinkTagRead {
    let rest: string;
    if (this.#held === '') {
      const first = content.search(NOT_SPACE);
      if (first === -1) {
        this.#space += content;
        return NOTHING;
      }
      this.#space += content.slice(0, first);
      rest = content.slice(first);
    } else {
      rest = this.#held + content;
    }
    const opener = OPENERS.find((tag) => tagAt(rest, 0, tag));
    if (opener) {
      this.#space = this.#held = '';
      this.#closer = `</${opener.slice(1)}`;
      this.#settled = true;
      this.#state = 'reasoning';
      return this.#readReasoning(rest.slice(opener.length));
    }
    if (beginsTag(rest, 0, OPENERS)) {
      this.#held = rest;
      return NOTHING;
    }
    const text = this.#space + rest;
    this.#space = this.#held = '';
    this.#state = 'answer';
    this.#code = new CodeContext();
    return this.#readAnswer(text);
  }

  #readReasoning(content: string): ThinkTagRead {
    const input = this.#held + content;
    this.#held = '';
    const close = indexOfTag(input, this.#closer);
    if (close !== -1) {
      const reasoning = this.#settleReasoning(input.slice(0, close), true);
      return {text: this.#enterAfter(input.slice(close + this.#closer.length)), reasoning, closedLate: false};
    }
    const partial = partialTagAtEnd(input, [this.#closer]);
    this.#held = input.slice(input.length - partial);
    return {text: '', reasoning: this.#settleReasoning(input.slice(0, input.length - partial), false), closedLate: false};
  }

  #readAnswer(content: string): ThinkTagRead {
    const input = this.#held + content;
    this.#held = '';
    const found = this.#code!.find(input, tagInAnswer);
    if (!found) return {text: input, reasoning: '', closedLate: false};
    if ('partial' in found) {
      this.#held = input.slice(found.at);
      return {text: input.slice(0, found.at), reasoning: '', closedLate: false};
    }
    this.#code = null;
    // An opening tag after the answer began: the tags are the answer's text, as all that follows.
    if (OPENERS.some((tag) => tagAt(input, found.at, tag))) {
      this.#state = 'plain';
      return {text: input, reasoning: '', closedLate: false};
    }
    this.#settled = true;
    return {text: this.#enterAfter(input.slice(found.at + found.length)), reasoning: input.slice(0, found.at), closedLate: true};
  }

  /** After a closing tag: the answer, its leading blank lines dropped. */
  #enterAfter(rest: string): string {
    this.#state = 'after';
    this.#leading = new LeadingBlankLines();
    return this.#readAfter(rest);
  }

  #readAfter(content: string): string {
    const text = this.#leading.take(content);
    if (text !== '') this.#state = 'plain';
    return text;
  }

  /** A piece of the reasoning as it may be given now: its leading blank lines dropped, and white space at its end held back (dropped at the `last` piece). */
  #settleReasoning(piece: string, last: boolean): string {
    const text = this.#leading.take(piece);
    const kept = text.trimEnd();
    if (kept === '') {
      if (last) this.#trailing = [];
      else if (text !== '') this.#trailing.push(text);
      return '';
    }
    const settled = this.#trailing.join('') + kept;
    this.#trailing = last || kept.length === text.length ? [] : [text.slice(kept.length)];
    return settled;
  }
}

/** A text that turned out to be reasoning, as the reader gives reasoning: without its leading blank lines and its trailing white space. @internal */
export function asReasoning(text: string): string {
  return new LeadingBlankLines().take(text).trimEnd();
}

/**
 * Drops the blank lines that begin a text given in pieces: white space is held until the first
 * other character, then given from the start of its line.
 */
class LeadingBlankLines {
  #space: string | null = '';

  take(piece: string): string {
    if (this.#space === null) return piece;
    const first = piece.search(NOT_SPACE);
    if (first === -1) {
      this.#space += piece;
      return '';
    }
    const space = this.#space + piece.slice(0, first);
    this.#space = null;
    const lineStart = Math.max(space.lastIndexOf('\n'), space.lastIndexOf('\r')) + 1;
    return space.slice(lineStart) + piece.slice(first);
  }
}

/** Whether `tag` (lower case) stands whole in `text` at `at`, in any case. */
function tagAt(text: string, at: number, tag: string): boolean {
  return text.length - at >= tag.length && text.slice(at, at + tag.length).toLowerCase() === tag;
}

/** Whether `text` ends, from `at`, with the beginning of one of `tags` (not a whole one). */
function beginsTag(text: string, at: number, tags: readonly string[]): boolean {
  if (text.length - at >= LONGEST) return false;
  const rest = text.slice(at).toLowerCase();
  return tags.some((tag) => rest.length < tag.length && tag.startsWith(rest));
}

/** Where `tag` stands first in `text`, in any case, or -1. */
function indexOfTag(text: string, tag: string): number {
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) if (tagAt(text, at, tag)) return at;
  return -1;
}

/** How many characters at the end of `text` begin one of `tags`. */
function partialTagAtEnd(text: string, tags: readonly string[]): number {
  for (let at = text.indexOf('<', Math.max(0, text.length - LONGEST + 1)); at !== -1; at = text.indexOf('<', at + 1)) {
    if (beginsTag(text, at, tags)) return text.length - at;
  }
  return 0;
}

/** A tag in an answer that began without one: a closing tag (the text before it was reasoning), or an opening one (the tags are text). */
function tagInAnswer(text: string, at: number): number {
  const whole = TAGS.find((tag) => tagAt(text, at, tag));
  if (whole) return whole.length;
  return beginsTag(text, at, TAGS) ? PARTIAL_TAG : 0;
}
