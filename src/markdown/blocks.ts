import {mathNode} from './math.js';
import {decodeText, element, inlineContext, linkTarget, normalizeLabel, renderInline, type InlineContext} from './inline.js';

/**
 * Colours a finished code block. Return a Node (safest), or an HTML string you vouch for
 * (highlight.js and Shiki escape the code they are given); return nothing to keep plain text.
 */
export type Highlighter = (code: string, language: string) => Node | string | null | undefined | void;

interface ListLevel {
  indent: number;
  /** The marker's kind: its bullet (`-`, `*`, `+`) or its ordered delimiter (`.`, `)`); another kind starts a new list. */
  kind: string;
  /** Where the last item's content starts: a marker indented less is its sibling, one indented as much or more nests. */
  column: number;
  list: HTMLElement;
  item: HTMLElement;
  /** Where the item's further lines go: the item itself, or a paragraph begun after a gap. */
  text: HTMLElement;
  /** A blank line or a block came last in the item: its next line starts a paragraph. */
  gap: boolean;
  /** A blank line came since the item's last content: more of the list after it makes the list loose. */
  blank: boolean;
  /** Items separated by blank lines: each item's text is a paragraph. */
  loose: boolean;
}

interface CodeBlock {
  fence: string;
  language: string;
  code: HTMLElement;
  lines: string[];
  /** Spaces removed from each line: the fence's own indentation (a list item's, inside one). */
  indent: number;
  /** The list item holding the block, if any. */
  level: ListLevel | undefined;
  /** An indented code block (four spaces in): it ends at the first line indented less. */
  indented?: boolean;
  /** An indented block's blank lines (their white space past its indentation), kept only if more code follows them. */
  blanks?: string[];
}

// A backtick fence's info string holds no backtick: "```py print(1)```" is inline code.
const FENCE = /^ {0,3}(?:(`{3,})(?!.*`)|(~{3,}))[ \t]*(\S*)/;
const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
/** Quotes nested deeper than this render their markers as text, so no input exhausts the stack. */
const MAX_QUOTE_DEPTH = 16;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
// `[^]*`, not `.*`: a U+2028 in the line must not make the regex backtrack over it.
const QUOTE = /^ {0,3}> ?([^]*)$/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+([^]*))?$/;
/** A delimiter row's cell, once split on pipes and trimmed (splitting first keeps the test linear). */
const DELIMITER_CELL = /^:?-+:?$/;
/** A line that begins like a table row: it is held back until the next line shows whether it is a header. */
const ROW = /^ {0,3}\|/;
/** A line that may still turn into block syntax: show nothing of it until it is complete. */
const UNDECIDED = /^ {0,3}(?:[`~]+|#{1,6}|[-*_+>|]|\d{1,9}[.)]?|[-*_](?:[ \t]*[-*_])*|=+)[ \t]*$/;
/** A link reference definition's label and the rest of its line. */
const DEFINITION = /^ {0,3}\[((?:[^\[\]\\]|\\.){0,999}[^\s\[\]\\](?:[^\[\]\\]|\\.){0,999})\]:(.*)$/;
/** A line that opens display math over several lines: `$$` or `\[` alone (`\[foo]` is escaped text; `$$x$$` is inline). */
const MATH_BLOCK = /^[ \t]*(\$\$|\\\[)[ \t]*$/;
/** A task list item's box: `[ ]`, `[x]` or `[X]`, then white space or the end. */
const TASK = /^\[([ xX])\](?=[ \t]|$)/;
/** A setext underline: under a paragraph, it makes the paragraph a heading (`=` level 1, `-` level 2). */
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;

/**
 * The block structure of Markdown, built one line at a time: headings, paragraphs, lists
 * (nested by indentation), block quotes (themselves Blocks), fenced code, tables and rules.
 * A finished line is committed once and never rendered again; the unfinished last line is
 * previewed into nodes that the next preview replaces. Work is proportional to each line.
 */
export class Blocks {
  #root: HTMLElement;
  readonly #highlight: Highlighter | undefined;
  #paragraph: HTMLElement | null = null;
  /** The paragraph's last line ended with a backslash: a hard break if a line follows, else the backslash itself. */
  #trailingBackslash = false;
  /** A committed row-like line, not rendered until the next line shows whether a table starts. */
  #heldRow: string | null = null;
  /** The paragraph's first line when it may be a table's header row. */
  #headerCandidate: {line: string; paragraph: HTMLElement; nodes: Node[]} | null = null;
  #lists: ListLevel[] = [];
  #quote: {blocks: Blocks} | null = null;
  #code: CodeBlock | null = null;
  /** Display math over several lines (`$$` or `\[` on a line of its own), held back until it closes. */
  #formula: {closer: string; lines: string[]; parent: HTMLElement} | null = null;
  #table: {body: HTMLElement; align: string[]} | null = null;
  #preview: Node[] = [];
  /** The Blocks that renders each quote's lines, by its element. */
  readonly #quoteBlocks = new WeakMap<Node, Blocks>();
  /** During a commit or preview: the last preview's nodes not yet reused by this one. */
  #stale: Node[] = [];

  readonly #depth: number;
  /** The answer's link reference definitions so far, shared with its quotes' Blocks. */
  readonly #definitions: InlineContext;

  constructor(root: HTMLElement, highlight?: Highlighter, depth = 0, definitions: InlineContext = inlineContext()) {
    this.#root = root;
    this.#highlight = highlight;
    this.#depth = depth;
    this.#definitions = definitions;
  }

  #inline(source: string, parent: Node, open: boolean): void {
    renderInline(source, parent, open, this.#definitions);
  }

  /** Adds a finished line. */
  commit(line: string): void {
    this.#render(() => {
      const held = this.#heldRow;
      if (held !== null) {
        this.#heldRow = null;
        if (isDelimiterOf(line, held)) return this.#startTable(held, line);
        this.#commitLine(held, false);
      }
      this.#commitLine(line, true);
    });
  }

  /** Shows the unfinished last line; the next preview or commit replaces it. */
  preview(line: string): void {
    this.#render(() => this.#previewLine(line));
  }

  /**
   * Runs one commit or preview. What the last preview showed is reused where the new nodes
   * match it, its text extended in place, so that a selection in the streaming line survives;
   * the rest of it is removed.
   */
  #render(build: () => void): void {
    this.#stale = this.#preview;
    this.#preview = [];
    build();
    this.#dropStale();
  }

  #dropStale(): void {
    for (const node of this.#stale) node.parentNode?.removeChild(node);
    this.#stale = [];
  }

  #commitLine(raw: string, mayHold: boolean): void {
    if (this.#code && !this.#code.indented) return this.#codeLine(raw);
    if (this.#formula) return this.#formulaLine(raw);
    const line = expandIndent(raw);
    if (this.#code) {
      if (line.trim() === '' || indentOf(line) >= 4) return this.#codeLine(line);
      this.#endCode();
    }
    if (this.#quote) {
      const quoted = QUOTE.exec(line);
      if (quoted) return this.#quote.blocks.commit(quoted[1]!);
      // A lazy continuation line: more of the paragraph the quote ends with, without its `>`.
      if (this.#quote.blocks.continuesParagraph(line)) return this.#quote.blocks.commit(line);
      this.#closeAll();
    }
    if (line.trim() === '') {
      // A blank line between items keeps the list open; anything else that follows ends it.
      if (this.#lists.length === 0) return this.#closeAll();
      for (const level of this.#lists) level.blank = true;
      this.#lists.at(-1)!.gap = true;
      return this.#endParagraph();
    }
    if (this.#table) {
      // GFM: a table goes on to a blank line or another block; a line without a pipe is a row too.
      if (this.#continuesTable(line)) return this.#row(this.#table.body, line, 'td', this.#table.align);
      this.#closeAll();
    }
    if (this.#startsIndentedCode(line)) {
      this.#closeAll();
      return this.#startCode(null, this.#root, 4), this.#codeLine(line);
    }
    if (!this.#paragraph && this.#define(line)) return;
    const formula = MATH_BLOCK.exec(line);
    if (formula) return this.#startFormula(line, formula);
    if (mayHold && ROW.test(line)) {
      this.#heldRow = line;
      return;
    }
    const candidate = this.#headerCandidate;
    if (candidate && isDelimiterOf(line, candidate.line)) return this.#startTable(candidate.line, line, candidate);
    this.#headerCandidate = null;
    if (this.#paragraph && this.#lists.length === 0 && SETEXT.test(line)) return this.#setextHeading(line.trim()[0] === '=' ? 'h1' : 'h2');
    const nested = this.#nestedFence(line);
    if (nested) return nested();
    const block = this.#blockStart(line, false);
    if (block) return block();
    if (this.#lists.length > 0 && /^\s/.test(line)) {
      // After a blank line, a line belongs to the deepest item whose content it is indented to.
      const levels = this.#lists;
      const depth = this.#itemFor(line);
      if (depth >= 0) {
        if (depth < levels.length - 1) this.#lists = levels.slice(0, depth + 1);
        return this.#continueItem(line, false);
      }
      this.#closeAll();
    }
    this.#paragraphLine(line, false);
  }

  #previewLine(raw: string): void {
    if (this.#formula) return;
    const line = this.#code && !this.#code.indented ? raw : expandIndent(raw);
    if (this.#startsIndentedCode(line) || (!this.#paragraph && mayDefine(line))) return;
    if (this.#code && !(this.#code.indented && line.trim() !== '' && indentOf(line) < 4)) {
      // Nor a line that may still close the block, nor one that is only indentation so far.
      if (!/^\s*(?:[`~]|$)/.test(line)) this.#place(this.#code.code, document.createTextNode(unindent(line, this.#code.indent)), true);
      return;
    }
    const quoted = this.#quote && QUOTE.exec(line);
    if (quoted) return this.#quote!.blocks.preview(quoted[1]!);
    if (this.#quote?.blocks.continuesParagraph(line)) return this.#quote.blocks.preview(line);
    this.#quote?.blocks.clearPreview();
    // A line that can no longer become quoted ends the quote: what it held back is decided.
    if (this.#quote && !/^ {0,3}$/.test(line)) this.#quote.blocks.releaseRow();
    // Until the next line cannot be a delimiter row any more, the held row may be a header.
    if (/^[ \t|:-]*$/.test(line) && this.#heldRow !== null) return;
    this.releaseRow();
    if (line.trim() === '' || isUndecided(line)) return;
    if (this.#table && this.#continuesTable(line)) return this.#row(this.#table.body, line, 'td', this.#table.align, true);
    if ((this.#headerCandidate && isDelimiterRow(line)) || ROW.test(line)) return;
    // An indented marker or fence in a list is as undecided as one at the margin.
    if (this.#lists.length > 0 && isUndecided(line.trimStart())) return;
    const block = this.#blockStart(line, true);
    if (block) return block();
    if (this.#lists.length > 0 && /^\s/.test(line) && this.#itemFor(line) >= 0) return this.#continueItem(line, true);
    this.#paragraphLine(line, true);
  }

  /** Whether `line` would continue the paragraph these blocks end with (here or in a quote of theirs): text that starts no block. */
  continuesParagraph(line: string): boolean {
    if (this.#quote) return !QUOTE.test(line) && this.#quote.blocks.continuesParagraph(line);
    return this.#paragraph !== null && this.#lists.length === 0 && line.trim() !== '' && !isUndecided(line) && !this.#blockStart(expandIndent(line), true) && !FENCE.test(line);
  }

  /** Whether no block is open, so later lines may go into another root. */
  get idle(): boolean {
    return this.#heldRow === null && !this.#paragraph && this.#lists.length === 0 && !this.#quote && !this.#code && !this.#formula && !this.#table;
  }

  /** Puts the blocks that follow into `root` (only while idle). */
  moveTo(root: HTMLElement): void {
    this.clearPreview();
    this.#root = root;
  }

  /**
   * Adds text to a preview of plain paragraph text instead of rebuilding it: a line too long
   * to format grows this way in time proportional to what arrived. Returns false when the
   * preview is of another kind (the caller rebuilds it).
   */
  extendPreview(more: string): boolean {
    const last = this.#preview.at(-1);
    const node = document.createTextNode(more);
    if (last instanceof HTMLParagraphElement) last.append(node);
    else if (last instanceof Text) last.after(node);
    else return false;
    this.#preview.push(node);
    return true;
  }

  /** Renders a held row-like line as the text it turned out to be: no table starts with it. */
  releaseRow(): void {
    const held = this.#heldRow;
    this.#heldRow = null;
    if (held !== null) this.#commitLine(held, false);
  }

  /** Ends every open block: the answer is complete. */
  end(): void {
    this.clearPreview();
    this.releaseRow();
    this.#closeAll();
  }

  clearPreview(): void {
    for (const node of this.#preview) node.parentNode?.removeChild(node);
    this.#preview = [];
    this.#quote?.blocks.clearPreview();
  }

  /** The renderer of a line that starts a block of its own, or null for paragraph text. */
  #blockStart(line: string, open: boolean): (() => void) | null {
    const fence = FENCE.exec(line);
    if (fence && !open) return () => (this.#closeAll(), this.#startCode(fence, this.#root, indentOf(line)));
    const heading = HEADING.exec(line);
    if (heading) {
      return () => {
        const title = element(`h${heading[1]!.length}`);
        this.#inline(headingText(line.slice(heading[0].length)), title, open);
        this.#closeAll(open);
        this.#place(this.#root, title, open);
      };
    }
    if (RULE.test(line)) return () => (this.#closeAll(open), this.#place(this.#root, element('hr'), open));
    const quoted = this.#depth < MAX_QUOTE_DEPTH && QUOTE.exec(line);
    if (quoted) {
      return () => {
        this.#closeAll(open);
        // A quote the last preview showed is kept with its own Blocks, which renders its lines.
        const [quote] = this.#place(this.#root, element('blockquote'), open, true) as HTMLElement[];
        let blocks = this.#quoteBlocks.get(quote!);
        if (!blocks) this.#quoteBlocks.set(quote!, (blocks = new Blocks(quote!, this.#highlight, this.#depth + 1, this.#definitions)));
        if (open) return blocks.preview(quoted[1]!);
        this.#quote = {blocks};
        blocks.commit(quoted[1]!);
      };
    }
    const item = ITEM.exec(line);
    // Only an item starting at 1, and not an empty one, interrupts a paragraph: "14.  The number of doors is 6." is prose.
    if (item && this.#paragraph && this.#lists.length === 0 && ((item[3] ?? '').trim() === '' || (/\d/.test(item[2]!) && parseInt(item[2]!, 10) !== 1))) return null;
    if (item) return () => this.#item(item[1]!.length, item[2]!, item[3] ?? '', line.length - (item[3] ?? '').length, open);
    return null;
  }

  /** A fence indented under a list item (LLMs indent code under "1. Install:"): the block goes in that item. */
  #nestedFence(line: string): (() => void) | null {
    const indent = indentOf(line);
    const fence = indent > 0 && FENCE.exec(line.slice(indent));
    if (!fence) return null;
    const levels = this.#lists;
    let depth = levels.length - 1;
    while (depth >= 0 && indent < levels[depth]!.column) depth--;
    if (depth === -1) return null;
    return () => {
      this.#lists = levels.slice(0, depth + 1);
      this.#endParagraph();
      this.#startCode(fence, levels[depth]!.item, indent, levels[depth]);
    };
  }

  #paragraphLine(line: string, open: boolean): void {
    let text = line.replace(/^[ \t]+/, '');
    const backslash = !open && /(?:^|[^\\])(?:\\\\)*\\$/.test(text);
    if (backslash) text = text.slice(0, -1);
    if (this.#paragraph) {
      const fragment = document.createDocumentFragment();
      fragment.append(element('br'));
      this.#inline(text, fragment, open);
      const nodes = this.#place(this.#paragraph, fragment, open);
      // "Here is a table:" then the header row: the row may still become a table's header.
      if (!open) {
        this.#headerCandidate = line.includes('|') ? {line, paragraph: this.#paragraph, nodes} : null;
        this.#trailingBackslash = backslash;
      }
      return;
    }
    this.#closeAll(open);
    const fresh = element('p');
    this.#inline(text, fresh, open);
    const [paragraph] = this.#place(this.#root, fresh, open) as HTMLElement[];
    if (open) return;
    this.#paragraph = paragraph!;
    this.#trailingBackslash = backslash;
    if (line.includes('|')) this.#headerCandidate = {line, paragraph: paragraph!, nodes: []};
  }

  /** Turns the open paragraph into a heading, its lines kept. */
  #setextHeading(tag: string): void {
    const heading = element(tag);
    heading.append(...this.#paragraph!.childNodes);
    if (this.#trailingBackslash) heading.append('\\');
    this.#trailingBackslash = false;
    this.#paragraph!.replaceWith(heading);
    this.#endParagraph();
  }

  #item(indent: number, marker: string, content: string, column: number, open: boolean): void {
    const ordered = /\d/.test(marker);
    const kind = marker.at(-1)!;
    // Deeper levels end here; so does a list of another marker at this level. A preview works
    // on a copy and changes nothing that is committed.
    const levels = this.#lists.filter((level) => level.indent <= indent);
    let top = levels.at(-1);
    // The content column: after the marker and one to four spaces (one, when the item is empty or has more).
    const spaces = column - indent - marker.length;
    const contentColumn = indent + marker.length + (spaces >= 1 && spaces <= 4 && content !== '' ? spaces : 1);
    if (top && indent < top.column && top.kind !== kind) {
      levels.pop();
      top = levels.at(-1);
    }
    let item = element('li');
    // "- ```js": an item that opens with a fence holds the code block.
    const fence = FENCE.exec(content);
    // "- [ ] task": GFM's task list item, a checkbox the reader sees but cannot change.
    const task = TASK.exec(content);
    if (task) item.append(checkbox(task[1] !== ' '));
    // "- # Title" and "- * * *": a heading or a rule in the item.
    const heading = HEADING.exec(content);
    if (heading) this.#inline(headingText(content.slice(heading[0].length)), item.appendChild(element(`h${heading[1]!.length}`)), open);
    else if (RULE.test(content)) item.append(element('hr'));
    else if (!fence) this.#inline(task ? content.slice(3) : content, item, open);
    if (top && indent < top.column) {
      // An item after a blank line makes the list loose: its items' text becomes paragraphs.
      if (!open && top.blank) this.#loosen(top);
      const paragraph = top.loose || top.blank ? wrapLeading(item) : null;
      item = this.#place(top.list, item, open)[0] as HTMLElement;
      if (!open) Object.assign(top, {item, text: paragraph ? item.firstElementChild : item, gap: false, blank: false, column: contentColumn});
    } else {
      if (!open && top?.blank) this.#loosen(top);
      const fresh = element(ordered ? 'ol' : 'ul');
      const start = parseInt(marker, 10);
      if (ordered && start !== 1) fresh.setAttribute('start', String(start));
      fresh.append(item);
      if (!top) this.#closeAll(open);
      const [list] = this.#place(top ? top.item : this.#root, fresh, open) as HTMLElement[];
      item = list!.firstElementChild as HTMLElement;
      levels.push({indent, kind, column: contentColumn, list: list!, item, text: item, gap: false, blank: false, loose: false});
    }
    if (open) return;
    this.#lists = levels;
    this.#endParagraph();
    if (fence) this.#startCode(fence, item, column, levels.at(-1));
  }

  /** An indented line under a list item: more text of that item, in a new paragraph after a gap. */
  #continueItem(line: string, open: boolean): void {
    const level = this.#lists.at(-1)!;
    // An item whose first line was empty takes this line as its first (the last preview's nodes aside).
    // The last preview's nodes come last: the item is empty when its first node is one of them.
    const opening = level.text.firstChild;
    const first = !opening || this.#stale.includes(opening);
    if (!open && level.blank) {
      this.#loosen(level);
      for (const open of this.#lists) open.blank = false;
    }
    const fragment = document.createDocumentFragment();
    if (!level.gap && !first) fragment.append(element('br'));
    this.#inline(line.trim(), fragment, open);
    if (!level.gap) return void this.#place(level.text, fragment, open);
    const paragraph = element('p');
    paragraph.append(fragment);
    const [text] = this.#place(level.item, paragraph, open);
    if (!open) Object.assign(level, {text, gap: false});
  }

  /**
   * Reads a link reference definition, `[label]: destination "title"` on one line, which shows
   * nothing (the first of a label wins), unless the text used the label before: a streamed
   * answer cannot go back to link it, so the definition shows as text, its URL a link.
   * Returns whether `line` was taken as a definition.
   */
  #define(line: string): boolean {
    const match = DEFINITION.exec(line);
    const target = match && linkTarget(match[2]!);
    if (!target || (target.url === '' && !/^[ \t]*<>/.test(match[2]!))) return false;
    const label = normalizeLabel(match![1]!);
    const {targets, missed} = this.#definitions;
    if (missed.has(label)) return false;
    this.#closeAll();
    if (!targets.has(label)) targets.set(label, target);
    return true;
  }

  /** The depth of the item an indented line continues: the deepest, or after a blank line the deepest it is indented to (-1: none, it ends the lists). */
  #itemFor(line: string): number {
    const levels = this.#lists;
    return levels.at(-1)!.blank ? levels.findLastIndex((level) => indentOf(line) >= level.column) : levels.length - 1;
  }

  /** Makes a list loose: the text that opens each of its items becomes a paragraph. */
  #loosen(level: ListLevel): void {
    if (level.loose) return;
    level.loose = true;
    for (const item of level.list.children) {
      const paragraph = wrapLeading(item);
      if (item === level.item && level.text === item && paragraph) level.text = paragraph;
    }
  }

  /** Opens display math over several lines, in the list item it is indented under or at the root. */
  #startFormula(line: string, [, opener]: RegExpExecArray): void {
    const level = indentOf(line) >= 2 ? this.#lists.at(-1) : undefined;
    if (level) this.#endParagraph();
    else this.#closeAll();
    this.#formula = {closer: opener === '$$' ? '$$' : '\\]', lines: [], parent: level?.item ?? this.#root};
  }

  /** A line of display math; the one that ends with its closer renders the formula. */
  #formulaLine(line: string): void {
    const formula = this.#formula!;
    const trimmed = line.trimEnd();
    if (!trimmed.endsWith(formula.closer)) return void formula.lines.push(line);
    formula.lines.push(trimmed.slice(0, -formula.closer.length));
    this.#endFormula();
  }

  #endFormula(): void {
    const {lines, parent} = this.#formula!;
    this.#formula = null;
    parent.append(mathNode(lines.join('\n').trim(), true, this.#definitions.math));
  }

  /** Whether `line` is more of the open table: a row, unless it starts another block. */
  #continuesTable(line: string): boolean {
    return line.includes('|') || (!this.#blockStart(line, true) && !FENCE.test(line) && !isUndecided(line));
  }

  /** Whether `line` opens an indented code block: four spaces in, where no paragraph or list could take it. */
  #startsIndentedCode(line: string): boolean {
    return !this.#code && !this.#paragraph && this.#lists.length === 0 && line.trim() !== '' && indentOf(line) >= 4;
  }

  /** Opens a code block in `parent`, fenced (`fence`) or indented (none); `indent` spaces are removed from its lines. */
  #startCode(fence: RegExpExecArray | null, parent: HTMLElement, indent: number, level?: ListLevel): void {
    const [, backticks, tildes, info = ''] = fence ?? [];
    const language = decodeText(info);
    const block = element('div');
    block.className = 'code-block';
    block.setAttribute('part', 'code-block');
    const header = block.appendChild(element('div'));
    header.className = 'code-header';
    header.append(element('span', language));
    const copy = header.appendChild(element('button', 'Copy'));
    copy.setAttribute('type', 'button');
    copy.setAttribute('part', 'copy-button');
    const code = block.appendChild(element('pre')).appendChild(element('code'));
    if (language) code.className = `language-${language}`;
    copy.addEventListener('click', () => copyText(code.textContent ?? '', copy));
    parent.append(block);
    this.#code = {fence: backticks ?? tildes ?? '', language, code, lines: [], indent, level, indented: !fence, blanks: []};
  }

  #codeLine(line: string): void {
    const block = this.#code!;
    const closing = line.trim();
    if (block.indented) {
      if (closing === '') return void block.blanks!.push(unindent(line, block.indent));
      for (const blank of block.blanks!.splice(0)) this.#codeText(blank);
    } else if (closing.startsWith(block.fence) && /^([`~])\1*$/.test(closing) && indentOf(line) < block.indent + 4) {
      // A closing fence indented four spaces past the opening one is code.
      return this.#endCode();
    }
    this.#codeText(unindent(line, block.indent));
  }

  #codeText(text: string): void {
    const block = this.#code!;
    block.lines.push(text);
    this.#place(block.code, document.createTextNode(`${text}\n`), false);
  }

  #endCode(): void {
    const {code, lines, language, level} = this.#code!;
    this.#code = null;
    if (level) level.gap = true;
    let highlighted;
    try {
      highlighted = this.#highlight?.(lines.join('\n'), language);
    } catch (error) {
      // highlight.js, for one, throws on a language it does not know: the code stays plain.
      return console.error(`chat-stream: the highlight function failed on a "${language}" code block; it stays plain text`, error);
    }
    if (highlighted == null) return;
    if (typeof highlighted === 'string') code.innerHTML = highlighted;
    else code.replaceChildren(highlighted);
  }

  /** Starts a table; a header that ended a paragraph (`candidate`) moves out of it. */
  #startTable(header: string, delimiter: string, candidate?: {paragraph: HTMLElement; nodes: Node[]}): void {
    this.#closeAll();
    const align = cells(delimiter).map((cell) => (cell.endsWith(':') ? (cell.startsWith(':') ? 'center' : 'right') : cell.startsWith(':') ? 'left' : ''));
    const wrapper = element('div');
    wrapper.className = 'table';
    const table = wrapper.appendChild(element('table'));
    this.#row(table.appendChild(element('thead')), header, 'th', align);
    this.#table = {body: table.appendChild(element('tbody')), align};
    if (!candidate) return void this.#root.append(wrapper);
    if (candidate.nodes.length === 0) return candidate.paragraph.replaceWith(wrapper);
    for (const node of candidate.nodes) node.parentNode?.removeChild(node);
    candidate.paragraph.after(wrapper);
  }

  #row(section: HTMLElement, line: string, tag: string, align: string[], open = false): void {
    const row = element('tr');
    const contents = cells(line);
    align.forEach((alignment, index) => {
      const cell = row.appendChild(element(tag));
      if (alignment) cell.style.textAlign = alignment;
      this.#inline(contents[index] ?? '', cell, open);
    });
    this.#place(section, row, open);
  }

  /**
   * Appends a committed node, or a preview node that the next preview replaces; either may
   * reuse the last preview's node in its place (returned instead of `node`).
   */
  #place(parent: Node, node: Node, open: boolean, shallow = false): Node[] {
    const placed = (node instanceof DocumentFragment ? [...node.childNodes] : [node]).map((fresh) => {
      const old = this.#stale[0];
      if (old?.parentNode === parent && morph(old, fresh, shallow)) return this.#stale.shift()!;
      // Past the first mismatch nothing is reused: what follows must come after `fresh`.
      this.#dropStale();
      return parent.appendChild(fresh);
    });
    if (open) this.#preview.push(...placed);
    return placed;
  }

  #endParagraph(): void {
    if (this.#trailingBackslash) this.#paragraph?.append('\\');
    this.#trailingBackslash = false;
    this.#paragraph = null;
    this.#headerCandidate = null;
  }

  /** Closes open blocks; a preview only pretends to (it must not change what is committed). */
  #closeAll(open = false): void {
    if (open) return;
    this.#endParagraph();
    this.#lists = [];
    this.#quote?.blocks.end();
    this.#quote = null;
    if (this.#code) this.#endCode();
    if (this.#formula) this.#endFormula();
    this.#table = null;
  }
}

/** A heading's text without the optional closing run of `#`s, trimmed in linear time. */
function headingText(rest: string): string {
  const trimmed = rest.trim();
  const closing = trimmed.replace(/#+$/, '');
  return closing === '' || /[ \t]$/.test(closing) ? closing.trim() : trimmed;
}

/**
 * Makes `old` (a node the last preview showed) equal to `fresh` in place, when both are text or
 * elements of the same tag and attributes (`shallow`: children left as they are). Text changes
 * only after the part it shares with the new text, so a selection in that part stays.
 */
function morph(old: Node, fresh: Node, shallow = false): boolean {
  if (old instanceof Text && fresh instanceof Text) {
    const {data} = fresh;
    let same = 0;
    const before = old.data;
    while (same < before.length && before.charCodeAt(same) === data.charCodeAt(same)) same++;
    if (same < before.length || same < data.length) old.replaceData(same, before.length - same, data.slice(same));
    return true;
  }
  if (!(old instanceof Element && fresh instanceof Element) || old.tagName !== fresh.tagName || !sameAttributes(old, fresh)) return false;
  if (shallow) return true;
  const children = [...fresh.childNodes];
  let kept = 0;
  while (kept < children.length && old.childNodes[kept] && morph(old.childNodes[kept]!, children[kept]!)) kept++;
  while (old.childNodes.length > kept) old.lastChild!.remove();
  old.append(...children.slice(kept));
  return true;
}

function sameAttributes(old: Element, fresh: Element): boolean {
  if (old.attributes.length !== fresh.attributes.length) return false;
  for (const {name, value} of old.attributes) if (fresh.getAttribute(name) !== value) return false;
  return true;
}

/** A line that may still turn into block syntax, a fence included. */
function isUndecided(line: string): boolean {
  return UNDECIDED.test(line) || FENCE.test(line);
}

/** Whether `line` is the delimiter row of a table whose header row is `header`. */
function isDelimiterOf(line: string, header: string): boolean {
  return isDelimiterRow(line) && cells(line).length === cells(header).length;
}

function isDelimiterRow(line: string): boolean {
  return /^ {0,3}[|:-]/.test(line) && cells(line).every((cell) => DELIMITER_CELL.test(cell));
}

/** `line` with the tabs of its indentation expanded to spaces (tab stops of four), which is how block structure counts them. */
function expandIndent(line: string): string {
  if (!/^ *\t/.test(line)) return line;
  let column = 0;
  let at = 0;
  for (; at < line.length && (line[at] === ' ' || line[at] === '\t'); at++) column += line[at] === '\t' ? 4 - (column % 4) : 1;
  return ' '.repeat(column) + line.slice(at);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `line` without up to `indent` leading spaces. */
function unindent(line: string, indent: number): string {
  let start = 0;
  while (start < indent && line[start] === ' ') start++;
  return line.slice(start);
}

/** A line that may still be a link reference definition: `[label` not yet followed by anything but `]:`. */
function mayDefine(line: string): boolean {
  return /^ {0,3}\[/.test(line) && !/^ {0,3}\[(?:[^\]\\]|\\.)*\](?!:|$)/.test(line);
}

/** A table row's cells: outer pipes dropped, split on unescaped pipes. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** The tags of blocks an item holds, which stay outside its first paragraph. */
const BLOCK_TAGS = new Set(['P', 'UL', 'OL', 'DIV', 'BLOCKQUOTE', 'PRE', 'TABLE', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/** Moves the inline content that opens `item` into a paragraph at its start; returns it, or null when there is none. */
function wrapLeading(item: Element): HTMLElement | null {
  const leading: Node[] = [];
  for (const child of item.childNodes) {
    if (child instanceof Element && BLOCK_TAGS.has(child.tagName)) break;
    leading.push(child);
  }
  if (leading.length === 0) return null;
  const paragraph = element('p');
  item.insertBefore(paragraph, item.firstChild);
  paragraph.append(...leading);
  return paragraph;
}

/** A task's checkbox: disabled, as the reader's click would change nothing in the answer. */
function checkbox(checked: boolean): HTMLElement {
  const box = element('input');
  box.setAttribute('type', 'checkbox');
  box.setAttribute('disabled', '');
  if (checked) box.setAttribute('checked', '');
  return box;
}

function copyText(text: string, button: HTMLElement): void {
  navigator.clipboard?.writeText(text).then(
    () => {
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = 'Copy'), 1500);
    },
    () => (button.textContent = 'Copy failed'),
  );
}
