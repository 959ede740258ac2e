import type {MessageView, MessageViewFactory} from '../message-view.js';
import {Blocks, type Highlighter} from './blocks.js';
import {inlineContext, MAX_FORMATTED_LINE, type CopyLabels, type InlineContext} from './inline.js';
import type {MathRenderer} from './math.js';

/**
 * Renders streamed Markdown: each finished block is committed to the DOM once (a paragraph's
 * lines once nothing in them can pair with a later line), and only the unfinished last line is
 * previewed again on the next append, so total work is linear in the answer. No HTML from the
 * answer is ever parsed.
 */
export function markdownView(highlight?: Highlighter, math?: MathRenderer, labels?: CopyLabels, headingOffset = 0): MessageViewFactory {
  return (container) => new MarkdownView(container, () => inlineContext(math, labels, headingOffset), highlight);
}

/**
 * Finished blocks are grouped in pages of this many: appending to a long answer then lays out
 * the last page, not every block of the answer.
 */
const PAGE_SIZE = 64;

class MarkdownView implements MessageView {
  readonly #container: HTMLElement;
  readonly #highlight: Highlighter | undefined;
  /** A fresh context for each new answer text (`replace`). */
  readonly #context: () => InlineContext;
  #page: HTMLElement;
  #blocks: Blocks;
  #line = '';

  constructor(container: HTMLElement, context: () => InlineContext, highlight?: Highlighter) {
    this.#container = container;
    this.#highlight = highlight;
    this.#context = context;
    this.#page = this.#newPage();
    this.#blocks = this.#newBlocks();
  }

  #newBlocks(): Blocks {
    return new Blocks(this.#page, this.#highlight, 0, this.#context());
  }

  #newPage(): HTMLElement {
    const page = this.#container.appendChild(document.createElement('div'));
    page.className = 'page';
    return page;
  }

  append(delta: string): void {
    let start = 0;
    for (let end = delta.indexOf('\n'); end !== -1; end = delta.indexOf('\n', start)) {
      this.#blocks.commit((this.#line + delta.slice(start, end)).replace(/\r$/, ''));
      this.#line = '';
      start = end + 1;
      if (this.#page.childElementCount >= PAGE_SIZE && this.#blocks.idle) {
        this.#page = this.#newPage();
        this.#blocks.moveTo(this.#page);
      }
    }
    const grown = delta.slice(start);
    const extended = start === 0 && this.#line.length > MAX_FORMATTED_LINE;
    this.#line += grown;
    // A CR at the end may be the first half of a CRLF: preview the line as it will be committed.
    const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
    if (line === '') this.#blocks.clearPreview();
    else if (!(extended && this.#blocks.extendPreview(grown))) this.#blocks.preview(line);
  }

  replace(text: string): void {
    this.#container.replaceChildren();
    this.#page = this.#newPage();
    this.#blocks = this.#newBlocks();
    this.#line = '';
    this.append(text);
  }

  end(): void {
    if (this.#line !== '') this.#blocks.commit(this.#line);
    this.#line = '';
    this.#blocks.end();
  }
}
