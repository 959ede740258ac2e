import {extendedAutolink} from './autolink.js';
import {InlineList} from './emphasis.js';
import {MathSpans, mathNode, type MathRenderer} from './math.js';
import {safeUrl} from './safe-url.js';

/** Characters a backslash escapes (CommonMark's ASCII punctuation). */
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** Lines longer than this render as text: unmatched delimiters would make them slow. */
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
/** `&amp;`, `&#169;`, `&#xA9;`: an entity, decoded to text (never parsed as HTML). */
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z]{2,6}));/;
/** The named entities models write; others stay as written. */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', times: '×', deg: '°', middot: '·', bull: '•', rarr: '→', larr: '←', laquo: '«', raquo: '»',
  ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', euro: '€',
};

/**
 * Renders one line of inline Markdown into `parent`: code spans, emphasis, strong,
 * strikethrough, links, autolinks, images (as links) and backslash escapes. Everything is
 * inserted as text nodes and elements created here; no HTML is ever parsed.
 *
 * With `open`, the line is still streaming: a delimiter that is not closed yet styles the
 * rest of the line (no raw `**` flashes before its closer arrives), and a trailing run that
 * may still become syntax is held back.
 */
export function renderInline(source: string, parent: Node, open = false, context: InlineContext = inlineContext()): void {
  if (source.length > MAX_FORMATTED_LINE) return void parent.appendChild(text(source));
  if (open) source = source.replace(/\\?[*_~`$]+$|[!\\]$|&#?\w{0,7}$/, '');
  new InlineRenderer(source, open, context).render(0, source.length, parent, 0);
}

/** What an answer's lines share: its link reference definitions by normalized label, the labels its text used before they were defined, and the page's `math` function. */
export interface InlineContext {
  /** What `[text]`, `[text][]` and `[text][label]` point to. */
  readonly targets: Map<string, {url: string; title: string}>;
  /** References already shown as text: their definition, when it comes, is shown too, so the link is not lost. */
  readonly missed: Set<string>;
  /** Renders formulas; without it they show as TeX in code. */
  readonly math?: MathRenderer | undefined;
}

/** An answer's context before its first line: no definitions yet. */
export function inlineContext(math?: MathRenderer): InlineContext {
  return {targets: new Map(), missed: new Set(), math};
}

/** A label as references match it: case-folded, its white space collapsed. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase();
}

class InlineRenderer {
  /** Each `[` and `(`'s partner, paired in one pass when first needed: lines full of brackets stay linear. */
  readonly #partners = new Map<string, Int32Array>();
  #inLink = false;
  /** The line's math, found as it is reached. */
  readonly #formulas: MathSpans;
  #greaters: Int32Array | undefined;
  /** By backtick run length: from where on no closing run was found. */
  readonly #noRunFrom = new Map<number, number>();
  /** Whether the line has an `@`: only then is each word tried as an email address. */
  readonly #hasAt: boolean;

  constructor(
    readonly source: string,
    readonly open: boolean,
    readonly context: InlineContext,
  ) {
    this.#hasAt = source.includes('@');
    this.#formulas = new MathSpans(source);
  }

  render(from: number, to: number, parent: Node, depth: number): void {
    const {source} = this;
    if (depth > MAX_DEPTH) return void parent.appendChild(text(source.slice(from, to)));
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
        // Half-written math is held back, but not a price: "$5" may be one.
        if (this.open && !(char === '$' && source[i + 1] !== '$' && /\d/.test(source[i + 1]!))) break;
      }
      if (char === '\\' && i + 1 < to && ESCAPABLE.includes(source[i + 1]!)) {
        plain += source[i + 1];
        i += 2;
        continue;
      }
      const entity = char === '&' ? ENTITY.exec(source.slice(i, Math.min(to, i + 12))) : null;
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
    list.finish(parent, this.open);
  }

  /** The construct starting at `i`, as a function that renders it and returns where it ends. */
  #construct(char: string, i: number, to: number, depth: number): ((parent: Node) => number) | null {
    const {source} = this;
    if (char === '`') {
      const run = /^`+/.exec(source.slice(i, Math.min(to, i + 32)))![0];
      const close = this.#closingRun(run, i + run.length, to);
      const end = close === -1 ? (this.open ? to : -1) : close;
      // A run that closes nowhere is text, all of it: a shorter run inside it opens nothing.
      if (end === -1) return (parent) => (parent.appendChild(text(run)), i + run.length);
      return (parent) => {
        const content = source.slice(i + run.length, end);
        // One space each side is padding, unless the span is only spaces.
        parent.appendChild(element('code', /^ (?=.*[^ ]).* $/.test(content) ? content.slice(1, -1) : content));
        return end === to ? to : end + run.length;
      };
    }
    if (this.#inLink) return null;
    if (char === '[' || (char === '!' && source[i + 1] === '[')) return this.#link(i, to, depth);
    if (char === '<') {
      // An autolink or a tag ends at the next `>`: only that much is read (no `>`, no tag).
      const gt = this.#nextGreater(i);
      const rest = source.slice(i, gt !== -1 && gt < to && gt - i < MAX_TAG ? gt + 1 : i + 1);
      const match = AUTOLINK.exec(rest);
      if (match) return (parent) => (parent.appendChild(link(match[2] ? `mailto:${match[1]}` : match[1]!, match[1]!)), i + match[0].length);
      const tag = HTML_TAG.exec(rest)?.[0];
      if (tag) return (parent) => (parent.appendChild(text(tag)), i + tag.length);
      // Still streaming: show an autolink's URL as it grows, never its `<`.
      const start = this.open && gt === -1 && to - i <= MAX_TAG ? AUTOLINK_START.exec(source.slice(i, to)) : null;
      return start ? (parent) => (start[1] && parent.appendChild(text(start[1])), to) : null;
    }
    // GFM's extended autolinks start a word: after white space, a delimiter, `(`, or (for CJK prose) any non-word character.
    if ((this.#hasAt ? /[\w.+-]/ : /[hHwW]/).test(char) && (i === 0 || /[^\w.+@-]/.test(source[i - 1]!))) {
      const found = extendedAutolink(source, i, to);
      if (!found) return null;
      return (parent) => (parent.appendChild(link(found.url, found.text)), i + found.text.length);
    }
    return null;
  }

  /** `[text](url "title")`, or `![alt](src)`, which becomes a link: an answer loads no images. */
  #link(i: number, to: number, depth: number): ((parent: Node) => number) | null {
    const {source} = this;
    const labelStart = i + (source[i] === '!' ? 2 : 1);
    const labelEnd = this.#partner(labelStart - 1, to);
    const close = labelEnd === -1 || source[labelEnd + 1] !== '(' ? -1 : this.#partner(labelEnd + 1, to);
    const reference = close === -1 && labelEnd !== -1 ? this.#reference(labelStart, labelEnd, to) : null;
    if (reference) {
      return (parent) => {
        const anchor = parent.appendChild(link(reference.url, ''));
        if (reference.title) anchor.title = reference.title;
        this.#label(labelStart, labelEnd, anchor, depth);
        return reference.end;
      };
    }
    if (close === -1) {
      // Still streaming and nothing contradicts a link yet: show its label, not its brackets.
      // Only the last label of a streaming line can be pending: the checks below run once a line.
      const pending = this.open && (labelEnd === -1 || labelEnd + 1 === to || (source[labelEnd + 1] === '(' && !/\s/.test(source.slice(labelEnd + 2, to))));
      if (!pending) return null;
      const label = source.slice(labelStart, labelEnd === -1 ? to : labelEnd + 1);
      if ((labelEnd === -1 || labelEnd + 1 === to) && PLAIN_LABEL.test(label)) return null;
      // An unclosed label of a space or an x may still be a task box: show nothing of it yet.
      const taskBox = labelEnd === -1 && /^(?:\s*|[xX])$/.test(label);
      return (parent) => (taskBox || this.#label(labelStart, labelEnd === -1 ? to : labelEnd, parent, depth), to);
    }
    const target = linkTarget(source.slice(labelEnd + 2, close));
    if (!target) return null;
    return (parent) => {
      const anchor = parent.appendChild(link(target.url, ''));
      if (target.title) anchor.title = target.title;
      this.#label(labelStart, labelEnd, anchor, depth);
      return close + 1;
    };
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

  /** The next backtick run as long as `run`, remembering where none was found: a line of unmatched runs stays linear. */
  #closingRun(run: string, from: number, to: number): number {
    const key = run.length;
    if ((this.#noRunFrom.get(key) ?? Infinity) <= from) return -1;
    const found = findRun(this.source, run, from, to);
    if (found === -1) this.#noRunFrom.set(key, Math.min(from, this.#noRunFrom.get(key) ?? Infinity));
    return found;
  }

  /** A reference link's target, `[text][label]`, `[text][]` or `[text]`, when its label is defined; and where it ends. */
  #reference(labelStart: number, labelEnd: number, to: number): {url: string; title: string; end: number} | null {
    const {source} = this;
    const refEnd = source[labelEnd + 1] === '[' ? this.#partner(labelEnd + 1, to) : -1;
    const named = refEnd > labelEnd + 2 ? source.slice(labelEnd + 2, refEnd) : '';
    const label = normalizeLabel(named || source.slice(labelStart, labelEnd));
    const target = label === '' ? undefined : this.context.targets.get(label);
    if (!target && !this.open && label !== '') this.context.missed.add(label);
    return target ? {...target, end: refEnd === -1 ? labelEnd + 1 : refEnd + 1} : null;
  }

  /** Where the bracket opened at `at` closes (before `to`), allowing nested pairs and escapes; -1 if it does not. */
  #partner(at: number, to: number): number {
    const open = this.source[at]!;
    let partners = this.#partners.get(open);
    if (!partners) {
      const tagLength = (at: number) => {
        const gt = this.#nextGreater(at);
        return gt === -1 || gt - at >= MAX_TAG ? 0 : (HTML_TAG.exec(this.source.slice(at, gt + 1))?.[0].length ?? 0);
      };
      this.#partners.set(open, (partners = pairBrackets(this.source, open, open === '[' ? ']' : ')', tagLength)));
    }
    const partner = partners[at]!;
    return partner < to ? partner : -1;
  }

  /** A link's text: formatted, but holding no link of its own. */
  #label(from: number, to: number, parent: Node, depth: number): void {
    this.#inLink = true;
    this.render(from, to, parent, depth + 1);
    this.#inLink = false;
  }
}

/**
 * A link's destination and title, as CommonMark writes them: `<dest with spaces>` or a bare
 * destination, then `"title"`, `'title'` or `(title)`; backslash escapes and entities in both
 * are decoded. `null` when the text is no target.
 */
export function linkTarget(target: string): {url: string; title: string} | null {
  const match = /^[ \t\n]*(?:<((?:[^<>\n\\]|\\.)*)>|([^ \t\n<][^ \t\n]*)?)(?:[ \t\n]+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t\n]*$/s.exec(target);
  if (!match) return null;
  const title = match[3] ?? '';
  return {url: decodeText(match[1] ?? match[2] ?? ''), title: decodeText(title.slice(1, -1))};
}

/** Text with its backslash escapes and entities decoded. @internal */
export function decodeText(value: string): string {
  return value.replace(/\\([!-/:-@[-`{-~])|&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z]{2,6}));/g, (whole, escaped, ...entity) =>
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

function decodeEntity([, decimal, hex, name]: RegExpExecArray): string | undefined {
  if (name) return NAMED[name];
  const code = decimal ? parseInt(decimal, 10) : parseInt(hex!, 16);
  // NUL, surrogates and what lies beyond Unicode become U+FFFD, as in CommonMark.
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
}

function text(content: string): Text {
  return document.createTextNode(content);
}



/** The next backtick run exactly as long as `run`. */
function findRun(source: string, run: string, from: number, to: number): number {
  for (let at = source.indexOf(run, from); at !== -1 && at < to; at = source.indexOf(run, at + run.length)) {
    if (source[at - 1] !== '`' && source[at + run.length] !== '`') return at;
    while (source[at + run.length] === '`') at++;
  }
  return -1;
}


/** For each unescaped `open` in `source`, the index of the `close` that pairs with it (nested pairs allowed, none inside an HTML tag); -1 when none does. */
function pairBrackets(source: string, open: string, close: string, tagLength: (at: number) => number): Int32Array {
  const partners = new Int32Array(source.length).fill(-1);
  const opened: number[] = [];
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (char === '<') at += Math.max(0, tagLength(at) - 1);
    else if (char === open) opened.push(at);
    else if (char === close && opened.length > 0) partners[opened.pop()!] = at;
  }
  return partners;
}
