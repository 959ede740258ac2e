import {indentOf, unindent} from './block-syntax.js';
import {decodeText, element, type CopyLabels} from './inline.js';

/**
 * Colours a finished code block. Return a Node (safest), or an HTML string you vouch for
 * (highlight.js and Shiki escape the code they are given); return nothing to keep plain text.
 */
export type Highlighter = (code: string, language: string) => Node | string | null | undefined | void;

/** Puts a line's text node into the code, committed or as a preview (see `Blocks`, which may reuse the last preview's node). */
type Place = (parent: Node, node: Node, open: boolean) => unknown;

/**
 * An open code block, fenced or indented: its element (a header with the language and a Copy
 * button over the code) and its lines so far, highlighted once it ends.
 */
export class CodeBlock {
  /** An indented code block (four spaces in): it ends at the first line indented less. */
  readonly indented: boolean;
  readonly #fence: string;
  readonly #language: string;
  readonly #code: HTMLElement;
  readonly #lines: string[] = [];
  /** Spaces removed from each line: the fence's own indentation (a list item's, inside one). */
  readonly #indent: number;
  /** An indented block's blank lines (their white space past its indentation), kept only if more code follows them. */
  readonly #blanks: string[] = [];
  readonly #place: Place;

  /** Opens a code block at the end of `parent`, fenced (`fence`, the match of `FENCE`) or indented (none); `indent` spaces are removed from its lines. */
  constructor(parent: HTMLElement, fence: RegExpExecArray | null, indent: number, place: Place, labels: CopyLabels) {
    const [, backticks, tildes, info = ''] = fence ?? [];
    const language = decodeText(info);
    const block = element('div');
    block.className = 'code-block';
    block.setAttribute('part', 'code-block');
    const header = block.appendChild(element('div'));
    header.className = 'code-header';
    header.append(element('span', language));
    const copy = header.appendChild(element('button', labels.copy));
    copy.setAttribute('type', 'button');
    copy.setAttribute('part', 'copy-button');
    const pre = block.appendChild(element('pre'));
    // A long line scrolls inside the block: keyboard users reach that scroll through focus.
    pre.tabIndex = 0;
    const code = pre.appendChild(element('code'));
    if (language) code.className = `language-${language}`;
    copy.addEventListener('click', () => copyText(code.textContent ?? '', copy, labels));
    parent.append(block);
    this.indented = !fence;
    this.#fence = backticks ?? tildes ?? '';
    this.#language = language;
    this.#code = code;
    this.#indent = indent;
    this.#place = place;
  }

  /** Whether `line` (its tabs expanded, for an indented block) is the block's: only a line indented less ends an indented one. */
  takes(line: string): boolean {
    return !this.indented || line.trim() === '' || indentOf(line) >= 4;
  }

  /** Adds a finished line the block `takes`; returns false for its closing fence, which the caller ends it on. */
  commit(line: string): boolean {
    const closing = line.trim();
    if (this.indented) {
      if (closing === '') return this.#blanks.push(unindent(line, this.#indent)), true;
      for (const blank of this.#blanks.splice(0)) this.#text(blank);
    } else if (closing.startsWith(this.#fence) && /^([`~])\1*$/.test(closing) && indentOf(line) < this.#indent + 4) {
      // A closing fence indented four spaces past the opening one is code.
      return false;
    }
    this.#text(unindent(line, this.#indent));
    return true;
  }

  /** Shows the unfinished last line, unless it may still close the block or is only indentation so far. */
  preview(line: string): void {
    if (!/^\s*(?:[`~]|$)/.test(line)) this.#place(this.#code, document.createTextNode(unindent(line, this.#indent)), true);
  }

  #text(text: string): void {
    this.#lines.push(text);
    this.#place(this.#code, document.createTextNode(`${text}\n`), false);
  }

  /** Highlights the finished code, if there is a `highlight` function and it returns anything. */
  end(highlight: Highlighter | undefined): void {
    const language = this.#language;
    let highlighted;
    try {
      highlighted = highlight?.(this.#lines.join('\n'), language);
    } catch (error) {
      // highlight.js, for one, throws on a language it does not know: the code stays plain.
      return console.error(`chat-stream: the highlight function failed on a "${language}" code block; it stays plain text`, error);
    }
    if (highlighted == null) return;
    if (typeof highlighted === 'string') this.#code.innerHTML = highlighted;
    else this.#code.replaceChildren(highlighted);
  }
}

/** Copies a block's code, and says on its button whether that worked. */
function copyText(text: string, button: HTMLElement, {copy, copied, copyFailed}: CopyLabels): void {
  navigator.clipboard?.writeText(text).then(
    () => {
      button.textContent = copied;
      setTimeout(() => (button.textContent = copy), 1500);
    },
    () => (button.textContent = copyFailed),
  );
}
