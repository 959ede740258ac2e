import {element, inlineContext, renderInline, type InlineContext} from './inline.js';
import {mathNode} from './math.js';
import {awaitDefinitions, mayDefine, mayStillDefine, relink, renderInlineMissing, takeDefinitions} from './definitions.js';
import {cells, isDelimiterOf, isDelimiterRow, newTable, ROW, type Table} from './table.js';
import {CodeBlock, type Highlighter} from './code-block.js';
import {expandIndent, FENCE, HEADING, headingText, indentOf, isUndecided, itemStart, MATH_BLOCK, QUOTE, RULE, SETEXT, TASK, type ItemStart} from './block-syntax.js';

export type {Highlighter} from './code-block.js';

/** A list these blocks hold: its last item's lines go to that item's own Blocks. */
interface OpenList {
  /** The marker's kind: its bullet (`-`, `*`, `+`) or its ordered delimiter (`.`, `)`); another kind starts a new list. */
  kind: string;
  list: HTMLElement;
  /** The Blocks of each item, the last one open. */
  items: Blocks[];
  /** Where the last item's content starts: a line indented that far belongs to it. */
  column: number;
  /** The last item ended: it began with a blank line, and a second one followed. */
  ended: boolean;
  /** A blank line came last: another item after it makes the list loose, and no line after it is lazy. */
  blank: boolean;
  /** Items separated by blank lines, or holding blocks separated by one: each item's text is a paragraph. */
  loose: boolean;
}

/** Quotes and lists nested deeper than this render their markers as text, so no input exhausts the stack. */
const MAX_NESTING = 16;

/** Paragraph text longer than this settles even while a construct in it may still span a later line: no render re-reads more. */
const MAX_PENDING = 4096;

/**
 * The block structure of Markdown, built one line at a time: headings, paragraphs, lists
 * and block quotes (whose items and quotes are Blocks of their own), code, tables, math and
 * rules. A finished block is committed once and never rendered again; a paragraph's lines are
 * rendered together until nothing in them can pair with a later line (at most MAX_PENDING
 * characters); the unfinished last line is previewed into nodes that the next preview replaces.
 */
export class Blocks {
  #root: HTMLElement;
  readonly #highlight: Highlighter | undefined;
  #paragraph: HTMLElement | null = null;
  /**
   * The open paragraph's lines not settled yet, and the nodes they rendered: rendered again
   * with each line until nothing in them can still pair with a later line (an emphasis, code
   * span, link or formula spanning lines), then settled, never rendered again.
   */
  #pending: {source: string; placed: Node[]; separator: boolean; missed: Set<string>} | null = null;
  /** Lines at a paragraph's start held back while they may be link reference definitions. */
  #defining: string | null = null;
  /** A committed row-like line, not rendered until the next line shows whether a table starts. */
  #heldRow: string | null = null;
  /** The paragraph's last line when it may be a table's header row, */
  #headerCandidate: string | null = null;
  /** and, when it settled by itself, the nodes it rendered (the table takes them away). */
  #headerNodes: Node[] = [];
  #list: OpenList | null = null;
  #quote: {blocks: Blocks} | null = null;
  #code: CodeBlock | null = null;
  /** Display math over several lines (`$$` or `\[` on a line of its own), held back until it closes. */
  #formula: {closer: string; lines: string[]; parent: HTMLElement} | null = null;
  #table: Table | null = null;
  #preview: Node[] = [];
  /** The Blocks that renders each quote's or list item's lines, by its element. */
  readonly #nested = new WeakMap<Node, Blocks>();
  /** In an item of a tight list: paragraphs are its bare text, not <p> elements. */
  #tight: boolean;
  /** Makes the list these blocks are an item of loose. */
  readonly #loosenList: (() => void) | undefined;
  /** The open paragraph's committed nodes (a tight item's paragraph has no element of its own). */
  #paragraphNodes: Node[] = [];
  /** The last line was blank. */
  #blank = false;
  /** Some line was not blank. */
  #hasContent = false;
  /** During a commit or preview: the last preview's nodes not yet reused by this one, the next last (a stack: reuse stays linear). */
  #stale: Node[] = [];

  readonly #depth: number;
  /** The answer's link reference definitions so far, shared with its quotes' Blocks. */
  readonly #definitions: InlineContext;

  /** `item`: these blocks are a list item's content, tight or not, and how to make their list loose. */
  constructor(root: HTMLElement, highlight?: Highlighter, depth = 0, definitions: InlineContext = inlineContext(), item?: {tight: boolean; loosen: () => void}) {
    this.#root = root;
    this.#highlight = highlight;
    this.#depth = depth;
    this.#definitions = definitions;
    this.#tight = item?.tight ?? false;
    this.#loosenList = item?.loosen;
  }

  /** Whether a line that was not blank came. */
  get hasContent(): boolean {
    return this.#hasContent;
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

  /** Adds a lazy continuation line (one `continuesParagraph` accepted) to the paragraph these blocks end with. */
  continueParagraph(line: string): void {
    this.#render(() => {
      const nested = this.#quote?.blocks ?? this.#list?.items.at(-1);
      if (nested) nested.continueParagraph(line);
      else this.#paragraphLine(line, false);
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
    this.#stale = this.#preview.reverse();
    this.#preview = [];
    build();
    this.#dropStale();
  }

  /** Offers `nodes` for reuse before the stale ones: they come before them in the document. */
  #reuseFirst(nodes: Node[]): void {
    for (let at = nodes.length - 1; at >= 0; at--) this.#stale.push(nodes[at]!);
  }

  #dropStale(): void {
    for (const node of this.#stale) node.parentNode?.removeChild(node);
    this.#stale = [];
  }

  #commitLine(raw: string, mayHold: boolean): void {
    // Only spaces and tabs make a line blank (a U+2028 does not).
    const blank = /^[ \t]*$/.test(raw);
    // A block after a blank line, in an item that has content already, makes the item's list loose.
    const afterGap = this.#blank && this.#hasContent && !blank;
    this.#blank = blank;
    if (!blank) this.#hasContent = true;
    if (this.#code && !this.#code.indented) return this.#codeLine(raw);
    if (this.#formula) return this.#formulaLine(raw);
    const line = expandIndent(raw);
    if (this.#code) {
      if (this.#code.takes(line)) return this.#codeLine(line);
      this.#endCode();
    }
    if (this.#quote) {
      const quoted = QUOTE.exec(line);
      if (quoted) return this.#quote.blocks.commit(quoted[1]!);
      // A lazy continuation line: more of the paragraph the quote ends with, without its `>`.
      if (this.#quote.blocks.continuesParagraph(line)) return this.#quote.blocks.continueParagraph(line);
      this.#closeAll();
    }
    if (this.#list) {
      if (this.#listTakes(line, false)) return;
      this.#closeAll();
    }
    if (afterGap) this.#loosenList?.();
    if (blank) return this.#closeAll();
    if (this.#table) {
      // GFM: a table goes on to a blank line or another block; a line without a pipe is a row too.
      if (this.#continuesTable(line)) return this.#row(this.#table.body, line, 'td', this.#table.align);
      this.#closeAll();
    }
    if (this.#startsIndentedCode(line)) {
      this.#closeAll();
      return this.#startCode(null, 4), this.#codeLine(line);
    }
    if (this.#defining !== null) {
      if (!this.#blockStart(line, true) && !FENCE.test(line)) return this.#hold(line);
      this.#releaseDefinitions();
    }
    if (!this.#paragraph && /^ {0,3}\[/.test(line)) return this.#hold(line);
    const formula = MATH_BLOCK.exec(line);
    if (formula) return this.#startFormula(formula);
    if (mayHold && ROW.test(line)) {
      this.#heldRow = line;
      return;
    }
    const candidate = this.#headerCandidate;
    if (candidate && isDelimiterOf(line, candidate)) return this.#takeHeader(), this.#startTable(candidate, line);
    this.#headerCandidate = null;
    if (this.#paragraph && SETEXT.test(line)) return this.#setextHeading(line.trim()[0] === '=' ? 1 : 2);
    const block = this.#blockStart(line, false);
    if (block) return block();
    this.#paragraphLine(line, false);
  }

  #previewLine(raw: string): void {
    if (this.#formula) return;
    const line = this.#code && !this.#code.indented ? raw : expandIndent(raw);
    if (this.#code?.takes(line)) return this.#code.preview(line);
    const quoted = this.#quote && QUOTE.exec(line);
    if (quoted) return this.#quote!.blocks.preview(quoted[1]!);
    if (this.#quote?.blocks.continuesParagraph(line)) return this.#quote.blocks.preview(line);
    this.#quote?.blocks.clearPreview();
    const item = this.#list?.items.at(-1);
    if (this.#list && this.#listTakes(line, true)) return;
    item?.clearPreview();
    if (this.#startsIndentedCode(line) || (!this.#paragraph && mayDefine(line))) return;
    // A line after held definitions may be more of them: a title, say.
    if (this.#defining !== null && !this.#blockStart(line, true)) return;
    // A line that can no longer become quoted ends the quote: what it held back is decided.
    if (this.#quote && !/^ {0,3}$/.test(line)) this.#quote.blocks.releaseRow();
    // Until the next line cannot be a delimiter row any more, the held row may be a header.
    if (/^[ \t|:-]*$/.test(line) && this.#heldRow !== null) return;
    this.releaseRow();
    if (line.trim() === '' || isUndecided(line)) return;
    if (this.#table && this.#continuesTable(line)) return this.#row(this.#table.body, line, 'td', this.#table.align, true);
    if ((this.#headerCandidate && isDelimiterRow(line)) || ROW.test(line)) return;
    const block = this.#blockStart(line, true);
    if (block) return block();
    this.#paragraphLine(line, true);
  }

  /** Whether `line` would continue the paragraph these blocks end with (here or in a quote of theirs): text that starts no block. */
  continuesParagraph(line: string): boolean {
    if (this.#quote) return !QUOTE.test(line) && this.#quote.blocks.continuesParagraph(line);
    const list = this.#list;
    if (list) return !list.ended && !list.blank && !this.#blockStart(expandIndent(line), true) && list.items.at(-1)!.continuesParagraph(line);
    // `===` under a lazy line is text: only a paragraph's own line can underline it.
    return this.#paragraph !== null && line.trim() !== '' && (/^ {0,3}=+[ \t]*$/.test(line) || !isUndecided(line)) && !this.#blockStart(expandIndent(line), true) && !FENCE.test(line);
  }

  /** Whether no block is open, so later lines may go into another root. */
  get idle(): boolean {
    return this.#heldRow === null && this.#defining === null && !this.#paragraph && !this.#list && !this.#quote && !this.#code && !this.#formula && !this.#table;
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
    this.#list?.items.at(-1)!.clearPreview();
  }

  /** The renderer of a line that starts a block of its own, or null for paragraph text. */
  #blockStart(line: string, open: boolean): (() => void) | null {
    const fence = FENCE.exec(line);
    if (fence && !open) return () => (this.#closeAll(), this.#startCode(fence, indentOf(line)));
    const heading = HEADING.exec(line);
    if (heading) {
      return () => {
        const title = this.#heading(heading[1]!.length);
        const source = headingText(line.slice(heading[0].length));
        const missed = renderInlineMissing(source, title, open, this.#definitions);
        this.#closeAll(open);
        const [placed] = this.#place(this.#root, title, open);
        if (!open) awaitDefinitions(this.#definitions, missed, source, [...placed!.childNodes]);
      };
    }
    if (RULE.test(line)) return () => (this.#closeAll(open), this.#place(this.#root, element('hr'), open));
    const quoted = this.#depth < MAX_NESTING && QUOTE.exec(line);
    if (quoted) {
      return () => {
        this.#closeAll(open);
        // A quote the last preview showed is kept with its own Blocks, which renders its lines.
        const [quote] = this.#place(this.#root, element('blockquote'), open, true) as HTMLElement[];
        const blocks = this.#nestedIn(quote!);
        if (open) return blocks.preview(quoted[1]!);
        this.#quote = {blocks};
        blocks.commit(quoted[1]!);
      };
    }
    const item = this.#depth < MAX_NESTING ? itemStart(line) : null;
    // Only an item starting at 1, and not an empty one, interrupts a paragraph: "14.  The number of doors is 6." is prose.
    if (item && this.#paragraph && (item.content.trim() === '' || (/\d/.test(item.marker) && parseInt(item.marker, 10) !== 1))) return null;
    return item && (() => this.#item(item, open));
  }

  /** The Blocks that renders the lines of a quote or list item, kept with its element (a preview's, reused by the commit). */
  #nestedIn(container: HTMLElement, item?: {tight: boolean; loosen: () => void}): Blocks {
    let blocks = this.#nested.get(container);
    if (!blocks) this.#nested.set(container, (blocks = new Blocks(container, this.#highlight, this.#depth + 1, this.#definitions, item)));
    return blocks;
  }

  /**
   * Gives `line` to the open list when it is the list's: blank, indented to the last item's
   * content, a sibling item, or a lazy continuation of the item's paragraph. Returns whether
   * it was; if not, the line ends the list.
   */
  #listTakes(line: string, open: boolean): boolean {
    const list = this.#list!;
    const item = list.items.at(-1)!;
    if (/^[ \t]*$/.test(line)) {
      if (open) return item.clearPreview(), true;
      // An item can begin with at most one blank line.
      if (!item.hasContent) list.ended = true;
      else if (!list.ended) item.commit('');
      list.blank = true;
      return true;
    }
    if (!list.ended && indentOf(line) >= list.column) {
      if (open) return item.preview(line.slice(list.column)), true;
      list.blank = false;
      return item.commit(line.slice(list.column)), true;
    }
    const sibling = !RULE.test(line) && itemStart(line);
    if (sibling && sibling.marker.at(-1) === list.kind) {
      if (open) item.clearPreview();
      return this.#item(sibling, open), true;
    }
    if (sibling || list.ended || list.blank || !item.continuesParagraph(line) || this.#blockStart(line, true)) return false;
    if (open) return item.preview(line), true;
    return item.continueParagraph(line), true;
  }

  #paragraphLine(line: string, open: boolean): void {
    const text = line.replace(/^[ \t]+/, '');
    if (open) {
      // The streaming line is previewed on its own, after what the paragraph shows.
      if (this.#paragraph) {
        const fragment = document.createDocumentFragment();
        fragment.append(element('br'));
        renderInlineMissing(text, fragment, true, this.#definitions);
        return void this.#place(this.#paragraph, fragment, true);
      }
      // A tight list item's paragraph is its bare text.
      const fresh = this.#tight ? document.createDocumentFragment() : element('p');
      renderInlineMissing(text, fresh, true, this.#definitions);
      return void this.#place(this.#root, fresh, true);
    }
    if (!this.#paragraph) {
      this.#closeAll();
      if (this.#tight) this.#paragraph = this.#root;
      else {
        this.#paragraph = this.#place(this.#root, element('p'), false, true)[0] as HTMLElement;
        // The preview of this line drew into the paragraph: its nodes are reused where they match.
        this.#reuseFirst([...this.#paragraph.childNodes]);
      }
    }
    const pending = this.#pending;
    const source = pending ? `${pending.source}\n${text}` : text;
    const unresolved = this.#renderPending(source);
    // "Here is a table:" then the header row: the row may still become a table's header. Alone
    // in the window it settles, its nodes kept for the table to take; else the window waits.
    this.#headerCandidate = line.includes('|') ? line : null;
    this.#headerNodes = this.#headerCandidate !== null && !pending ? this.#pending!.placed : [];
    // A backslash at the end is a hard break if a line follows, else itself.
    const settled = unresolved === -1 && (this.#headerCandidate === null || !pending) && !/(?:^|[^\\])(?:\\\\)*\\$/.test(source);
    if (settled) return this.#settle();
    if (source.length <= MAX_PENDING) return;
    if (this.#headerCandidate === null || !pending) return this.#settle();
    // Forced to settle with a candidate header row last: what came before it settles, then the
    // row alone, its nodes kept for the table to take.
    this.#takeHeader();
    this.#settle();
    this.#renderPending(text);
    this.#headerNodes = this.#pending!.placed;
    this.#settle();
  }

  /** Renders the paragraph's unsettled lines in place of what they showed; returns where a construct that may span a later line begins, or -1. */
  #renderPending(source: string): number {
    this.#reuseFirst(this.#pending?.placed ?? []);
    const separator = this.#paragraphNodes.length > 0;
    const fragment = document.createDocumentFragment();
    if (separator) fragment.append(element('br'));
    const missed = new Set<string>();
    const unresolved = renderInline(source, fragment, false, this.#definitions, missed);
    this.#pending = {source, placed: this.#place(this.#paragraph!, fragment, false), separator, missed};
    return unresolved;
  }

  /** Makes the paragraph's pending lines final. */
  #settle(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    this.#paragraphNodes.push(...pending.placed);
    awaitDefinitions(this.#definitions, pending.missed, pending.source, pending.placed.slice(pending.separator ? 1 : 0));
  }

  /** Takes a table's header row, the paragraph's last line, out of the paragraph. */
  #takeHeader(): void {
    if (!this.#pending) {
      const whole = this.#paragraphNodes.length === this.#headerNodes.length;
      for (const node of this.#headerNodes) node.parentNode?.removeChild(node);
      if (whole && this.#paragraph !== this.#root) this.#paragraph!.remove();
      return;
    }
    const {source, placed} = this.#pending;
    const cut = source.lastIndexOf('\n');
    for (const node of placed) node.parentNode?.removeChild(node);
    this.#pending = null;
    if (cut !== -1) this.#renderPending(source.slice(0, cut));
    else if (this.#paragraphNodes.length === 0 && this.#paragraph !== this.#root) this.#paragraph!.remove();
  }

  /** Turns the open paragraph into a heading, its lines kept. */
  #setextHeading(level: number): void {
    this.#settle();
    const heading = this.#heading(level);
    const paragraph = this.#paragraph!;
    if (paragraph === this.#root) {
      // One by one: spreading a paragraph of many thousand nodes into one call overflows the stack.
      for (const node of this.#paragraphNodes) heading.appendChild(node);
      paragraph.append(heading);
    } else {
      while (paragraph.firstChild) heading.appendChild(paragraph.firstChild);
      paragraph.replaceWith(heading);
    }
    this.#endParagraph();
  }

  /**
   * A heading of Markdown's `level`, its tag (and so its look) kept, placed in the page's outline
   * under `headingOffset`: the answer's first heading just under it, the others relative to the
   * first, never above it (an answer that starts at `##` skips no level).
   */
  #heading(level: number): HTMLElement {
    const heading = element(`h${level}`);
    const context = this.#definitions;
    const top = context.headingOffset + 1;
    if (top === 1) return heading;
    context.headingShift ??= top - level;
    heading.setAttribute('aria-level', String(Math.min(6, Math.max(top, level + context.headingShift))));
    return heading;
  }

  /** Starts a list item: the next of the open list when its marker is of the same kind, else the first of a new list. */
  #item({marker, content, column}: ItemStart, open: boolean): void {
    const kind = marker.at(-1)!;
    const sibling = this.#list?.kind === kind ? this.#list : null;
    if (!sibling) this.#closeAll(open);
    // An item after a blank line makes the list loose.
    if (sibling?.blank && !open) this.#loosen();
    let list = sibling?.list;
    if (!list) {
      const fresh = element(/\d/.test(marker) ? 'ol' : 'ul');
      const start = parseInt(marker, 10);
      if (start !== 1 && !isNaN(start)) fresh.setAttribute('start', String(start));
      list = this.#place(this.#root, fresh, open, true)[0] as HTMLElement;
    }
    const [item] = this.#place(list, element('li'), open, true) as HTMLElement[];
    const blocks = this.#nestedIn(item!, {tight: !sibling?.loose, loosen: () => this.#loosen()});
    // Its Blocks may be a preview's, made while the list was still tight.
    if (sibling?.loose && !open) blocks.loosen();
    // "- [ ] task": GFM's task list item, a checkbox the reader sees but cannot change.
    const task = TASK.exec(content);
    const box = item!.firstChild instanceof HTMLInputElement ? item!.firstChild : null;
    if (task && !box) item!.prepend(checkbox(task[1] !== ' '), ' ');
    if (!task && box) {
      const space = box.nextSibling;
      if (space instanceof Text && space.data === ' ') space.remove();
      box.remove();
    }
    const first = task ? content.slice(4) : content;
    if (open) return first === '' ? blocks.clearPreview() : blocks.preview(first);
    if (sibling) {
      sibling.items.at(-1)!.end();
      Object.assign(sibling, {column, ended: false, blank: false});
      sibling.items.push(blocks);
    } else {
      this.#endParagraph();
      this.#list = {kind, list, items: [blocks], column, ended: false, blank: false, loose: false};
    }
    if (first !== '') blocks.commit(first);
  }

  /**
   * Holds back lines at a paragraph's start while they may be link reference definitions
   * (`[label]: destination "title"`, over up to a few lines), which show nothing: those that are
   * complete are defined, and lines that turn out to be none are the paragraph's.
   */
  #hold(line: string): void {
    if (this.#defining === null) this.#closeAll();
    const text = takeDefinitions(this.#defining === null ? line : `${this.#defining}\n${line}`, this.#definitions, false);
    this.#defining = null;
    if (mayStillDefine(text)) return void (this.#defining = text);
    // The run of definitions is over: what used their labels before is linked now.
    relink(this.#definitions);
    for (const rest of text.split('\n')) this.#paragraphLine(rest, false);
  }

  /** Decides held lines: the definitions they hold are defined, and what follows them is a paragraph. */
  #releaseDefinitions(): void {
    const text = takeDefinitions(this.#defining!, this.#definitions, true);
    this.#defining = null;
    relink(this.#definitions);
    if (text !== '') for (const rest of text.split('\n')) this.#paragraphLine(rest, false);
  }

  /** Makes the open list loose: the text that opens each of its items becomes a paragraph. */
  #loosen(): void {
    const list = this.#list;
    if (!list || list.loose) return;
    list.loose = true;
    for (const item of list.items) item.loosen();
  }

  /** Makes these blocks, a tight list item's, those of a loose one: each run of their bare text becomes a paragraph. */
  loosen(): void {
    if (!this.#tight) return;
    this.#tight = false;
    // What a preview showed bare would be wrapped with the rest: the commit redraws it.
    this.#dropStale();
    this.clearPreview();
    wrapRuns(this.#root);
    if (this.#paragraph === this.#root) this.#paragraph = (this.#paragraphNodes[0]?.parentElement as HTMLElement | undefined) ?? this.#root.appendChild(element('p'));
  }

  /** Opens display math over several lines, in the list item it is indented under or at the root. */
  #startFormula([, opener]: RegExpExecArray): void {
    this.#closeAll();
    this.#formula = {closer: opener === '$$' ? '$$' : '\\]', lines: [], parent: this.#root};
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
    return !this.#code && !this.#paragraph && this.#defining === null && !this.#list && line.trim() !== '' && indentOf(line) >= 4;
  }

  /** Opens a code block, fenced (`fence`) or indented (none); `indent` spaces are removed from its lines. */
  #startCode(fence: RegExpExecArray | null, indent: number): void {
    // Its lines are placed like any other, so that a selection in the streaming one survives.
    this.#code = new CodeBlock(this.#root, fence, indent, (parent, node, open) => this.#place(parent, node, open), this.#definitions.labels);
  }

  #codeLine(line: string): void {
    if (!this.#code!.commit(line)) this.#endCode();
  }

  #endCode(): void {
    const code = this.#code!;
    this.#code = null;
    code.end(this.#highlight);
  }

  /** Starts a table under its header row (taken out of the paragraph it ended, if any). */
  #startTable(header: string, delimiter: string): void {
    this.#closeAll();
    const table = newTable(delimiter);
    this.#row(table.head, header, 'th', table.align);
    this.#table = table;
    this.#root.append(table.wrapper);
  }

  #row(section: HTMLElement, line: string, tag: string, align: string[], open = false): void {
    const row = element('tr');
    const written = cells(line);
    const contents = align.map((_, index) => written[index] ?? '');
    const missed = contents.map((content, index) => {
      const cell = row.appendChild(element(tag));
      if (align[index]) cell.style.textAlign = align[index];
      return renderInlineMissing(content, cell, open, this.#definitions);
    });
    const [placed] = this.#place(section, row, open);
    if (!open) missed.forEach((labels, index) => awaitDefinitions(this.#definitions, labels, contents[index]!, [...placed!.childNodes[index]!.childNodes]));
  }

  /**
   * Appends a committed node, or a preview node that the next preview replaces; either may
   * reuse the last preview's node in its place (returned instead of `node`).
   */
  #place(parent: Node, node: Node, open: boolean, shallow = false): Node[] {
    const placed = (node instanceof DocumentFragment ? [...node.childNodes] : [node]).map((fresh) => {
      const old = this.#stale.at(-1);
      if (old?.parentNode === parent && morph(old, fresh, shallow)) return this.#stale.pop()!;
      // Past the first mismatch nothing is reused: what follows must come after `fresh`.
      this.#dropStale();
      return parent.appendChild(fresh);
    });
    if (open) this.#preview.push(...placed);
    return placed;
  }

  #endParagraph(): void {
    this.#settle();
    this.#paragraph = null;
    this.#paragraphNodes = [];
    this.#headerCandidate = null;
  }

  /** Closes open blocks; a preview only pretends to (it must not change what is committed). */
  #closeAll(open = false): void {
    if (open) return;
    if (this.#defining !== null) this.#releaseDefinitions();
    this.#endParagraph();
    this.#list?.items.at(-1)!.end();
    this.#list = null;
    this.#quote?.blocks.end();
    this.#quote = null;
    if (this.#code) this.#endCode();
    if (this.#formula) this.#endFormula();
    this.#table = null;
  }
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

/** The tags of blocks an item holds, which stay outside its first paragraph. */
const BLOCK_TAGS = new Set(['P', 'UL', 'OL', 'DIV', 'BLOCKQUOTE', 'PRE', 'TABLE', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/** Wraps each run of inline nodes among `item`'s children (a tight item's paragraphs) in a paragraph. */
function wrapRuns(item: Element): void {
  let paragraph: HTMLElement | null = null;
  for (const child of [...item.childNodes]) {
    if (child instanceof Element && BLOCK_TAGS.has(child.tagName)) paragraph = null;
    else (paragraph ??= item.insertBefore(element('p'), child)).append(child);
  }
}

/** A task's checkbox: disabled, as the reader's click would change nothing in the answer. */
function checkbox(checked: boolean): HTMLElement {
  const box = element('input');
  box.setAttribute('type', 'checkbox');
  box.setAttribute('disabled', '');
  if (checked) box.setAttribute('checked', '');
  return box;
}
