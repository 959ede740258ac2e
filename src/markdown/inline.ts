import {extendedAutolink} from './autolink.js';
import {InlineList} from './emphasis.js';
import {MathSpans, mathNode, type MathRenderer} from './math.js';
import {safeUrl} from './safe-url.js';

/** Characters a backslash escapes (CommonMark's ASCII punctuation). */
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** A source with a line longer than this renders as text, all of it (the view then only appends to an endless line's preview). */
export const MAX_FORMATTED_LINE = 20000;
/** Deeper nesting renders as text, so no input can exhaust the stack. */
const MAX_DEPTH = 16;
/** CommonMark's autolinks: `<scheme:…>` (a scheme of 2 to 32 characters) and `<address@example.com>`. */
const AUTOLINK = /^<([A-Za-z][A-Za-z\d+.-]{1,31}:[^<>\s\x00-\x1f]*|([\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z\d](?:[A-Za-z\d-]{0,61}[A-Za-z\d])?(?:\.[A-Za-z\d](?:[A-Za-z\d-]{0,61}[A-Za-z\d])?)*))>/;
/** What may still grow into an autolink: `<`, `<htt` (held back) or `<https://exa` (its URL shown). */
const AUTOLINK_START = /^<(?:((?:https?|mailto):[^<>\s]*)|h(?:t(?:t(?:ps?)?)?)?|m(?:a(?:i(?:l(?:to?)?)?)?)?)?$/;
/** A half-written `[…]` shown as text, brackets and all: a citation `[1`, `[1, 2]` or a closed task box `[ ]`, `[x]`. */
const PLAIN_LABEL = /^\d[\d,，\s–-]*\]?$|^[ xX]\]$/;
/**
 * An inline HTML tag, comment or declaration as CommonMark defines them: shown as the text it is,
 * and, as in CommonMark, no Markdown inside it (its `]` closes no link, its URL is no autolink).
 */
const HTML_TAG = /^(?:<[A-Za-z][A-Za-z\d-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z\d-]*\s*>|<!--(?:-?>|[^]*?-->)|<![A-Za-z][^>]*>|<\?[^]*?\?>|<!\[CDATA\[[^]*?\]\]>)/;
/** The longest tag or autolink read: a `>` farther away ends none. */
const MAX_TAG = 1024;
/** `&amp;`, `&#169;`, `&#xA9;`, `&HilbertSpace;`: an entity, decoded to text (never parsed as HTML). A name is letters and digits, 32 at most (HTML's longest has 31). */
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z][A-Za-z\d]{1,31}));/;
/** The longest link label CommonMark reads. */
const MAX_LABEL = 999;
/** A bare link destination with parentheses nested deeper is none, as in CommonMark's implementations: no `](` reads far. */
const MAX_PARENS = 32;

/**
 * Renders a paragraph's inline Markdown into `parent`: code spans, emphasis, strong,
 * strikethrough, links, autolinks, images (as links), math and backslash escapes. Everything
 * is inserted as text nodes and elements created here; no HTML is ever parsed.
 *
 * `source` is the paragraph's lines joined by `\n`, each without its leading white space. A line
 * ending is a soft break, or a hard one after two spaces or a backslash: both render as `<br>`
 * (a chat convention). In a code span it is a space. Emphasis, links, strikethrough and math
 * may span lines. A backslash at the very end stays one; white space there stays too (a stopped
 * answer keeps its text as it came). A line longer than {@link MAX_FORMATTED_LINE} makes the whole source render as text.
 *
 * With `open`, the last line is still streaming: a delimiter on it that is not closed yet
 * styles the rest (no raw `**` flashes before its closer arrives), and a trailing run that
 * may still become syntax is held back. Earlier lines render as if nothing followed: an opener
 * there that found no closer yet shows as text.
 *
 * @param missed - When given, each label that this call looked up as a reference link
 *   (`[text]`, `[text][]`, `[text][label]`) and found undefined is added to it (not when
 *   `open`): the caller renders the text again when a definition for one arrives.
 * @returns The index in `source` of the earliest construct that text appended after a line
 *   ending could still complete or change: a `*`, `_` or `~` run that can open and is not used
 *   up, a `[` or `![` without its `]` (or whose link destination or label is unfinished), a
 *   backtick run without its closer, a math opener without its closer, a `<` that may still
 *   become a tag, or a backslash at the very end. -1 when there is none: then the rendering of
 *   `source` is final, whatever lines follow (but for white space at its end, which a line
 *   ending would drop: invisible before the `<br>`). Exact when not `open`.
 */
export function renderInline(source: string, parent: Node, open = false, context: InlineContext = inlineContext(), missed?: Set<string>): number {
  if (source.length > MAX_FORMATTED_LINE && source.split('\n').some((line) => line.length > MAX_FORMATTED_LINE)) {
    source.split('\n').forEach((line, at) => (at && parent.appendChild(element('br')), parent.appendChild(text(line))));
    return -1;
  }
  if (open) source = source.replace(/\\?[*_~`$]+$|[!\\]$|&#?\w{0,31}$/, '');
  return new InlineRenderer(source, open, context, missed).run(parent);
}

/** What a code block's Copy button says, in the element's language. */
export interface CopyLabels {
  copy: string;
  copied: string;
  copyFailed: string;
}

/** What an answer's lines share: its link reference definitions by normalized label, the page's `math` function and the Copy button's words. */
export interface InlineContext {
  /** What `[text]`, `[text][]` and `[text][label]` point to. */
  readonly targets: Map<string, {url: string; title: string}>;
  /** Renders formulas; without it they show as TeX in code. */
  readonly math?: MathRenderer | undefined;
  readonly labels: CopyLabels;
  /** The level of the page's heading an answer's headings sit under (0: their levels as written). */
  readonly headingOffset: number;
  /** Set by the answer's first heading: what is added to each heading's level, so that the first sits just under `headingOffset`. */
  headingShift?: number;
}

/** An answer's context before its first line: no definitions yet. */
export function inlineContext(math?: MathRenderer, labels: CopyLabels = {copy: 'Copy', copied: 'Copied', copyFailed: 'Copy failed'}, headingOffset = 0): InlineContext {
  return {targets: new Map(), math, labels, headingOffset};
}

/** A label as references match it: case-folded, its white space collapsed. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
}

/** A `[` or `![` the scan has not closed yet. */
interface Opener {
  /** Where its `[` is. */
  at: number;
  image: boolean;
  /** Whether a `[` came after it: then its text holds brackets, and is no reference label (CommonMark). */
  after: boolean;
}

/** A link the scan found: where its text ends (at its `]`), where it ends, and its target. */
interface Found {
  labelEnd: number;
  end: number;
  url: string;
  title: string;
}

class InlineRenderer {
  /** The links, by where their `[` is. */
  readonly #links = new Map<number, Found>();
  /** Each `[` that made no link but more text could still make one: its `]`, or -1. A line still streaming shows its label. */
  readonly #pending = new Map<number, number>();
  /** Code spans, autolinks and HTML tags, by where they start: where they end. */
  readonly #atoms = new Map<number, number>();
  #inLink = false;
  /** The source's math, found as it is reached. */
  readonly #formulas: MathSpans;
  #greaters: Int32Array | undefined;
  /** By backtick run length: from where on no closing run was found. */
  readonly #noRunFrom = new Map<number, number>();
  /** Whether the source has an `@`: only then is each word tried as an email address. */
  readonly #hasAt: boolean;
  /** Where the line still streaming starts: the streaming rules apply from there on only. */
  readonly #streamFrom: number;
  /** The `[`s before this index enclose a link: they make none of their own (an `![` still may). */
  #inactiveBefore = -1;
  /** The earliest construct more text could still complete, as the scan finds them. */
  #unsettled = Infinity;

  constructor(
    readonly source: string,
    readonly open: boolean,
    readonly context: InlineContext,
    readonly missed: Set<string> | undefined,
  ) {
    this.#hasAt = source.includes('@');
    this.#formulas = new MathSpans(source);
    this.#streamFrom = open ? source.lastIndexOf('\n') + 1 : Infinity;
  }

  /** Scans, then renders into `parent`; returns what {@link renderInline} does. */
  run(parent: Node): number {
    this.#scan();
    const first = Math.min(this.#unsettled, this.render(0, this.source.length, parent, 0));
    return first === Infinity ? -1 : first;
  }

  /**
   * CommonMark's precedence, in one pass before rendering: code spans, math, autolinks and
   * HTML tags are read first and hide the brackets inside them; each `]` closes the nearest
   * open `[`, and makes a link when an inline target or a defined reference follows. A link
   * makes the `[`s around it text (links hold no links); an image does not.
   */
  #scan(): void {
    const {source} = this;
    const length = source.length;
    const openers: Opener[] = [];
    for (let i = 0; i < length; ) {
      const char = source[i]!;
      const formula = (char === '$' || char === '\\') && this.#formulas.at(i, length);
      if (formula && formula.end !== -1) {
        i = formula.end;
        continue;
      }
      if (formula) this.#unsettle(i);
      if (char === '\\') {
        // A backslash escapes what follows (only punctuation is syntax here); at the very end, a line ending after it would make a hard break.
        if (i + 1 === length) this.#unsettle(i);
        i += 2;
      } else if (char === '`') {
        let end = i;
        while (source[end] === '`') end++;
        const close = this.#closingRun(source.slice(i, end), end);
        if (close === -1) this.#unsettle(i);
        else this.#atoms.set(i, (end = close + end - i));
        i = end;
      } else if (char === '<') {
        const gt = this.#nextGreater(i);
        const rest = gt !== -1 && gt - i < MAX_TAG ? source.slice(i, gt + 1) : '<';
        const end = i + ((AUTOLINK.exec(rest) ?? HTML_TAG.exec(rest))?.[0].length ?? 0);
        if (end > i) this.#atoms.set(i, end);
        // A tag may continue on the next line.
        else if (gt === -1 && /[A-Za-z/!?]/.test(source[i + 1] ?? '')) this.#unsettle(i);
        i = Math.max(end, i + 1);
      } else if (char === '[' || (char === '!' && source[i + 1] === '[')) {
        const image = char === '!';
        if (openers.length > 0) openers.at(-1)!.after = true;
        openers.push({at: i + +image, image, after: false});
        i += 1 + +image;
      } else if (char === ']') {
        const opener = openers.pop();
        i = opener && (opener.image || opener.at >= this.#inactiveBefore) ? this.#close(opener, i) : i + 1;
      } else i++;
    }
    for (const opener of openers) {
      if (!opener.image && opener.at < this.#inactiveBefore) continue;
      this.#pending.set(opener.at, -1);
      this.#unsettle(opener.at - +opener.image);
    }
  }

  #unsettle(at: number): void {
    this.#unsettled = Math.min(this.#unsettled, at);
  }

  /**
   * At `]` (`close`), which closes `opener`: the link they make, CommonMark's way: an inline
   * link `(destination "title")`, else a full `[label]`, collapsed `[]` or shortcut reference
   * whose label is defined. Returns where the scan goes on.
   */
  #close(opener: Opener, close: number): number {
    const {source, open} = this;
    const after = close + 1;
    const inline = source[after] === '(' ? scanTarget(source, after + 1, open) : null;
    // More text could still finish the target: `[a](b`, `[a](b "c`.
    const waiting = inline === undefined || inline?.end === source.length;
    let found: Omit<Found, 'labelEnd'> | null = inline && source[inline.end] === ')' ? {...inline, end: inline.end + 1} : null;
    let labelWaiting = false;
    if (!found) {
      let end = after;
      if (source[after] === '[') {
        for (end++; end < source.length && end - after <= MAX_LABEL && source[end] !== ']' && source[end] !== '['; end++) if (source[end] === '\\') end++;
        labelWaiting = end >= source.length;
      }
      const full = source[after] === '[' && source[end] === ']';
      // A full reference's own label, else the text's (not if it holds brackets, or is too long to be a label).
      const label = normalizeLabel(
        (full && source.slice(after + 1, end).trim()) || (opener.after || close - opener.at > MAX_LABEL ? '' : source.slice(opener.at + 1, close)),
      );
      const target = label === '' ? undefined : this.context.targets.get(label);
      if (target) found = {...target, end: full ? end + 1 : after};
      else if (label !== '' && !open) this.missed?.add(label);
    }
    if (found) {
      this.#links.set(opener.at, {...found, labelEnd: close});
      if (!opener.image) this.#inactiveBefore = opener.at;
      return found.end;
    }
    if (waiting || after === source.length) this.#pending.set(opener.at, close);
    if (waiting || labelWaiting) this.#unsettle(opener.at - +opener.image);
    return after;
  }

  /** Renders `source[from, to)` into `parent`; returns where its first delimiter run that may still open is (Infinity: none). */
  render(from: number, to: number, parent: Node, depth: number): number {
    const {source} = this;
    if (depth > MAX_DEPTH) {
      parent.appendChild(text(source.slice(from, to)));
      return Infinity;
    }
    const list = new InlineList();
    let plain = '';
    const flush = () => {
      if (plain !== '') list.node(text(plain));
      plain = '';
    };
    let i = from;
    while (i < to) {
      const char = source[i]!;
      const formula = (char === '$' || (char === '\\' && (source[i + 1] === '(' || source[i + 1] === '['))) && this.#formulas.at(i, to);
      if (formula) {
        if (formula.end !== -1) {
          flush();
          list.node(mathNode(formula.tex, formula.display, this.context.math));
          i = formula.end;
          continue;
        }
        // Half-written math on the streaming line is held back, but not a price: "$5" may be one.
        if (i >= this.#streamFrom && !(char === '$' && source[i + 1] !== '$' && /\d/.test(source[i + 1]!))) break;
      }
      if (char === '\n' || (char === '\\' && source[i + 1] === '\n' && i + 1 < to)) {
        // A line ending: the spaces before it go (two or more made it a hard break, and so does a backslash: all show as <br>), and so do those after it.
        let spaces = 0;
        while (char === '\n' && (source[i - spaces - 1] === ' ' || source[i - spaces - 1] === '\t')) spaces++;
        plain = plain.slice(0, plain.length - spaces);
        flush();
        list.node(element('br'));
        i += char === '\n' ? 1 : 2;
        while (source[i] === ' ' || source[i] === '\t') i++;
        continue;
      }
      if (char === '\\' && i + 1 < to && ESCAPABLE.includes(source[i + 1]!)) {
        plain += source[i + 1];
        i += 2;
        continue;
      }
      const entity = char === '&' ? ENTITY.exec(source.slice(i, Math.min(to, i + 34))) : null;
      const decoded = entity && decodeEntity(entity);
      if (decoded) {
        plain += decoded;
        i += entity[0].length;
        continue;
      }
      if (char === '*' || char === '_' || char === '~') {
        let end = i + 1;
        while (end < to && source[end] === char) end++;
        // GFM's strikethrough takes one or two tildes; a longer run is text.
        flush();
        if (char === '~' && end - i > 2) list.node(text(source.slice(i, end)));
        else list.delimiter(source, i, end);
        i = end;
        continue;
      }
      const next = this.#construct(char, i, to, depth);
      if (next) {
        flush();
        const built = document.createDocumentFragment();
        i = next(built);
        for (const node of [...built.childNodes]) list.node(node);
        continue;
      }
      plain += char;
      i++;
    }
    flush();
    return list.finish(parent, this.#streamFrom);
  }

  /** The construct starting at `i`, as a function that renders it and returns where it ends. */
  #construct(char: string, i: number, to: number, depth: number): ((parent: Node) => number) | null {
    const {source} = this;
    const end = this.#atoms.get(i);
    if (char === '`') {
      let run = i;
      while (source[run] === '`') run++;
      // A run that closes nowhere is text, all of it (a shorter run inside it opens nothing); on the streaming line, code so far.
      if (end === undefined && i < this.#streamFrom) return (parent) => (parent.appendChild(text(source.slice(i, run))), run);
      return (parent) => {
        // Line endings are spaces; then one space each side is padding, unless the span is only spaces.
        const content = source.slice(run, end === undefined ? to : end - run + i).replaceAll('\n', ' ');
        parent.appendChild(element('code', /^ (?=.*[^ ]).* $/.test(content) ? content.slice(1, -1) : content));
        return end ?? to;
      };
    }
    if (char === '<') {
      if (end !== undefined) {
        const whole = source.slice(i, end);
        // An autolink in a link's text shows as written: no link holds a link.
        const match = !this.#inLink && AUTOLINK.exec(whole);
        return (parent) => (parent.appendChild(match ? link(match[2] ? `mailto:${match[1]}` : match[1]!, match[1]!) : text(whole)), end);
      }
      // Still streaming: show an autolink's URL as it grows, never its `<`.
      const start = this.open && !this.#inLink && this.#nextGreater(i) === -1 && to - i <= MAX_TAG ? AUTOLINK_START.exec(source.slice(i, to)) : null;
      return start ? (parent) => (start[1] && parent.appendChild(text(start[1])), to) : null;
    }
    if (this.#inLink) return null;
    if (char === '[' || (char === '!' && source[i + 1] === '[')) return this.#link(i, to, depth);
    // GFM's extended autolinks start a word: after white space, a delimiter, `(`, or (for CJK prose) any other non-word character but `<`.
    if ((this.#hasAt ? /[\w.+-]/ : /[hHwW]/).test(char) && (i === 0 || /[^\w.+@<-]/.test(source[i - 1]!))) {
      const found = extendedAutolink(source, i, to);
      if (!found) return null;
      return (parent) => (parent.appendChild(link(found.url, found.text)), i + found.text.length);
    }
    return null;
  }

  /** `[text](url "title")`, a reference `[text][label]`, or `![alt](src)`, which becomes a link: an answer loads no images. */
  #link(i: number, to: number, depth: number): ((parent: Node) => number) | null {
    const {source} = this;
    const at = i + +(source[i] === '!');
    const found = this.#links.get(at);
    if (found) {
      return (parent) => {
        const anchor = parent.appendChild(link(found.url, ''));
        if (found.title) anchor.title = found.title;
        this.#label(at + 1, found.labelEnd, anchor, depth);
        return found.end;
      };
    }
    // Still streaming on its line and nothing contradicts a link yet: show its label, not its brackets.
    const labelEnd = this.#pending.get(at);
    if (labelEnd === undefined || i < this.#streamFrom) return null;
    const label = source.slice(at + 1, labelEnd === -1 ? to : labelEnd + 1);
    if ((labelEnd === -1 || labelEnd + 1 === to) && PLAIN_LABEL.test(label)) return null;
    // An unclosed label of a space or an x may still be a task box: show nothing of it yet.
    const taskBox = labelEnd === -1 && /^(?:\s*|[xX])$/.test(label);
    return (parent) => (taskBox || this.#label(at + 1, labelEnd === -1 ? to : labelEnd, parent, depth), to);
  }

  /** The first `>` at or after `at`, or -1: found for every position in one pass, when first needed. */
  #nextGreater(at: number): number {
    if (!this.#greaters) {
      const {source} = this;
      const greaters = new Int32Array(source.length + 1).fill(-1);
      for (let index = source.length - 1; index >= 0; index--) greaters[index] = source[index] === '>' ? index : greaters[index + 1]!;
      this.#greaters = greaters;
    }
    return this.#greaters[at] ?? -1;
  }

  /** The next backtick run as long as `run`, remembering where none was found: a source of unmatched runs stays linear. */
  #closingRun(run: string, from: number): number {
    const key = run.length;
    if ((this.#noRunFrom.get(key) ?? Infinity) <= from) return -1;
    const found = findRun(this.source, run, from);
    if (found === -1) this.#noRunFrom.set(key, from);
    return found;
  }

  /** A link's text: formatted, but holding no link of its own. */
  #label(from: number, to: number, parent: Node, depth: number): void {
    this.#inLink = true;
    this.render(from, to, parent, depth + 1);
    this.#inLink = false;
  }
}

/** Spaces, tabs and line endings from `at` on: where they end. */
function skipSpace(source: string, at: number): number {
  while (source[at] === ' ' || source[at] === '\t' || source[at] === '\n') at++;
  return at;
}

/**
 * Reads a link destination and an optional title from `at` on, as CommonMark writes them:
 * `<dest with spaces>` or a bare destination (balanced parentheses, no spaces), then, after
 * white space, `"title"`, `'title'` or `(title)`; their escapes and entities decoded. Returns
 * them and where the white space after them ends; null when there is none, undefined when the
 * source ends before it can tell (where `open` is false, a line ending would follow instead).
 */
function scanTarget(source: string, at: number, open: boolean): (Omit<Found, 'labelEnd'>) | null | undefined {
  const {length} = source;
  let start = skipSpace(source, at);
  let end = start;
  let url: string;
  if (source[start] === '<') {
    while (++end < length && source[end] !== '>') {
      if (source[end] === '\\') end++;
      else if (source[end] === '<' || source[end] === '\n') return null;
    }
    if (end >= length) return open ? undefined : null;
    url = source.slice(start + 1, end++);
  } else {
    let depth = 0;
    for (; end < length; end++) {
      const char = source[end]!;
      if (char === '\\' && ESCAPABLE.includes(source[end + 1] ?? ' ')) end++;
      else if (char === '(' && ++depth > MAX_PARENS) return null;
      else if (char === ')' && depth-- === 0) break;
      else if (char <= ' ' || char === '\x7f') break;
    }
    if (depth > 0) return end >= length && open ? undefined : null;
    url = source.slice(start, end);
  }
  start = skipSpace(source, end);
  let title = '';
  const quote = start > end ? source[start] : '';
  if (quote === '"' || quote === "'" || quote === '(') {
    const closer = quote === '(' ? ')' : quote;
    for (end = start + 1; end < length && source[end] !== closer; end++) {
      if (source[end] === '\\') end++;
      else if (source[end] === '(' && closer === ')') return null;
    }
    if (end >= length) return undefined;
    title = source.slice(start + 1, end);
    start = skipSpace(source, end + 1);
  }
  return {url: decodeText(url), title: decodeText(title), end: start};
}

/**
 * A link's destination and title, as CommonMark writes them: `<dest with spaces>` or a bare
 * destination, then `"title"`, `'title'` or `(title)`; backslash escapes and entities in both
 * are decoded. `null` when the text is no target.
 */
export function linkTarget(target: string): {url: string; title: string} | null {
  const found = scanTarget(target, 0, true);
  return found && found.end === target.length ? {url: found.url, title: found.title} : null;
}

/** Text with its backslash escapes and entities decoded. @internal */
export function decodeText(value: string): string {
  return value.replace(/\\([!-/:-@[-`{-~])|&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z][A-Za-z\d]{1,31}));/g, (whole, escaped, ...entity) =>
    escaped ?? decodeEntity([whole, ...entity.slice(0, 3)] as unknown as RegExpExecArray) ?? whole,
  );
}

/** A link whose URL is checked: an unsafe one (`javascript:`, `data:` …) keeps its text but no href. */
export function link(url: string, label: string): HTMLAnchorElement {
  const anchor = element('a', label) as HTMLAnchorElement;
  // A backslash stays one: a browser would read it as `/`.
  const href = safeUrl(url.replaceAll('\\', '%5C'));
  if (href !== null) {
    anchor.href = href;
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
  }
  return anchor;
}

/** An element with text content. */
export function element(tag: string, content = ''): HTMLElement {
  const node = document.createElement(tag);
  if (content !== '') node.textContent = content;
  return node;
}

/** Named entities as the browser decoded them (the name itself when it knows none). */
const named = new Map<string, string>();
let decoder: HTMLTextAreaElement | undefined;

function decodeEntity([whole, decimal, hex, name]: RegExpExecArray): string | undefined {
  if (name) {
    let value = named.get(name);
    if (value === undefined) {
      // The browser knows all of HTML's 2,000 names, so no table ships: `&name;` of letters and
      // digits holds no markup, so parsing it as a textarea's content decodes it and nothing else.
      try {
        (decoder ??= element('textarea') as HTMLTextAreaElement).innerHTML = whole;
        value = decoder.value;
      } catch {
        value = whole;
      }
      // An unknown name stays as written; so does one whose start alone is a name (`&notit;` reads as `¬it;`).
      if (value.endsWith(';') && name !== 'semi') value = whole;
      if (named.size > 4096) named.clear();
      named.set(name, value);
    }
    return value === whole ? undefined : value;
  }
  const code = decimal ? parseInt(decimal, 10) : parseInt(hex!, 16);
  // NUL, surrogates and what lies beyond Unicode become U+FFFD, as in CommonMark.
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
}

function text(content: string): Text {
  return document.createTextNode(content);
}

/** The next backtick run exactly as long as `run`. */
function findRun(source: string, run: string, from: number): number {
  for (let at = source.indexOf(run, from); at !== -1; at = source.indexOf(run, at + run.length)) {
    if (source[at - 1] !== '`' && source[at + run.length] !== '`') return at;
    while (source[at + run.length] === '`') at++;
  }
  return -1;
}
