import type {MessageView, MessageViewFactory} from '../message-view.js';
import {Blocks, type Highlighter} from './blocks.js';

/**
 * Renders streamed Markdown: each finished line is committed to the DOM once, and only the
 * unfinished last line is previewed again on the next append, so total work is linear in the
 * answer. No HTML from the answer is ever parsed.
 */
export function markdownView(highlight?: Highlighter): MessageViewFactory {
  return (container) => new MarkdownView(container, highlight);
}

class MarkdownView implements MessageView {
  readonly #container: HTMLElement;
  readonly #highlight: Highlighter | undefined;
  #blocks: Blocks;
  #line = '';

  constructor(container: HTMLElement, highlight?: Highlighter) {
    this.#container = container;
    this.#highlight = highlight;
    this.#blocks = new Blocks(container, highlight);
  }

  append(delta: string): void {
    let start = 0;
    for (let end = delta.indexOf('\n'); end !== -1; end = delta.indexOf('\n', start)) {
      this.#blocks.commit((this.#line + delta.slice(start, end)).replace(/\r$/, ''));
      this.#line = '';
      start = end + 1;
    }
    this.#line += delta.slice(start);
    if (this.#line === '') this.#blocks.clearPreview();
    else this.#blocks.preview(this.#line);
  }

  replace(text: string): void {
    this.#container.replaceChildren();
    this.#blocks = new Blocks(this.#container, this.#highlight);
    this.#line = '';
    this.append(text);
  }

  end(): void {
    if (this.#line !== '') this.#blocks.commit(this.#line);
    this.#line = '';
    this.#blocks.end();
  }
}
