/** A run of `*`, `_` or `~` that may open or close emphasis (or, for `~`, strikethrough). */
interface Delimiter {
  char: string;
  /** Where the run starts in the source. */
  readonly at: number;
  /** What is left of the run: matching uses it up from the inside. */
  length: number;
  /** The run's length as written (CommonMark's rule of three reads it). */
  readonly original: number;
  readonly canOpen: boolean;
  canClose: boolean;
}

interface Entry {
  value: Node | Delimiter;
  prev: Entry | null;
  next: Entry | null;
  /** For a delimiter: the delimiters before and after it still in play. */
  before?: Entry | null;
  after?: Entry | null;
  /** For an element this list made: how deeply its emphasis nests. */
  depth?: number;
}

/** Emphasis nested deeper than this keeps its delimiters as text, so no input builds a tree too deep to lay out. */
const MAX_NESTING = 16;

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/**
 * The inline content of a paragraph (or of a link's text) as a list of nodes and delimiter runs,
 * matched into emphasis, strong emphasis and strikethrough by CommonMark's delimiter algorithm
 * ("process emphasis", with its flanking rules and rule of three; GFM's `~`/`~~` pair only with
 * a run as long).
 * Each delimiter is looked at a bounded number of times: matching is linear in the source.
 */
export class InlineList {
  #head: Entry | null = null;
  #tail: Entry | null = null;
  #lastDelimiter: Entry | null = null;

  /** Appends a node: text, or an element built already (code, a link). */
  node(node: Node): void {
    this.#push(node);
  }

  /** Appends the delimiter run `source[start, end)`, its flanking read from the characters around it. */
  delimiter(source: string, start: number, end: number): void {
    const char = source[start]!;
    const before = source[start - 1] ?? ' ';
    const after = source[end] ?? ' ';
    const left = !WHITESPACE.test(after) && (!PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before));
    const right = !WHITESPACE.test(before) && (!PUNCTUATION.test(before) || WHITESPACE.test(after) || PUNCTUATION.test(after));
    const underscore = char === '_';
    const canOpen = underscore ? left && (!right || PUNCTUATION.test(before)) : left;
    const canClose = underscore ? right && (!left || PUNCTUATION.test(after)) : right;
    const entry = this.#push({char, at: start, length: end - start, original: end - start, canOpen, canClose});
    entry.before = this.#lastDelimiter;
    if (this.#lastDelimiter) this.#lastDelimiter.after = entry;
    this.#lastDelimiter = entry;
  }

  /**
   * Matches the delimiters and appends the result to `parent`. A run that can open, found no
   * closer and starts at `streamFrom` or later (on the line still streaming) styles the rest,
   * so that no raw `**` shows before its closer arrives. Returns where the first run that can
   * open and is not used up starts (a closer later in the source could still match it), or
   * Infinity.
   */
  finish(parent: Node, streamFrom: number): number {
    this.#match();
    let first = Infinity;
    for (let entry = this.#lastDelimiter; entry; ) {
      const before = entry.before ?? null;
      const delimiter = entry.value as Delimiter;
      if (delimiter.canOpen && delimiter.length > 0) {
        first = delimiter.at;
        if (first >= streamFrom) this.#wrap(entry, this.#tail, delimiter, delimiter.length, true);
      }
      entry = before;
    }
    for (let entry = this.#head; entry; entry = entry.next) parent.appendChild(toNode(entry.value));
    return first;
  }

  #push(value: Node | Delimiter): Entry {
    const entry: Entry = {value, prev: this.#tail, next: null};
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    return entry;
  }

  /** CommonMark's "process emphasis" over the whole list. */
  #match(): void {
    // Per closer kind, the delimiter below which no opener was found: searches stop there.
    const bottoms = new Map<string, Entry | null>();
    let first: Entry | null = this.#lastDelimiter;
    while (first?.before) first = first.before;
    for (let current = first; current; ) {
      const closer = current.value as Delimiter;
      if (!closer.canClose) {
        current = current.after ?? null;
        continue;
      }
      const key = `${closer.char}${closer.canOpen}${closer.original % 3}${closer.char === '~' ? closer.length : ''}`;
      const bottom = bottoms.has(key) ? bottoms.get(key)! : undefined;
      let opener = current.before ?? null;
      while (opener && opener !== bottom && !pairs(opener.value as Delimiter, closer)) opener = opener.before ?? null;
      if (opener && opener !== bottom) {
        const open = opener.value as Delimiter;
        const used = closer.char === '~' ? closer.length : closer.length >= 2 && open.length >= 2 ? 2 : 1;
        open.length -= used;
        closer.length -= used;
        this.#wrap(opener, current.prev!, closer, used, false);
        if (open.length === 0) this.#remove(opener);
        if (closer.length === 0) {
          const next = current.after ?? null;
          this.#remove(current);
          current = next;
        }
        continue;
      }
      bottoms.set(key, current.before ?? null);
      const next = current.after ?? null;
      if (!closer.canOpen) this.#forget(current);
      current = next;
    }
  }

  /**
   * Moves the entries after `opener` up to `last` into the elements `used` characters of
   * `delimiter` make, placed after `opener` (too deep, they stay text between their delimiters).
   */
  #wrap(opener: Entry, last: Entry | null, delimiter: Delimiter, used: number, toEnd: boolean): void {
    const stop = last?.next ?? null;
    const moved: Node[] = [];
    let depth = 0;
    for (let entry = opener.next; entry && entry !== stop; entry = entry.next) {
      // Delimiters inside the pair stay unmatched: they are text now.
      if (!(entry.value instanceof Node)) this.#forget(entry);
      moved.push(toNode(entry.value));
      depth = Math.max(depth, entry.depth ?? 0);
    }
    const tags = tagsFor(delimiter, used);
    let outer: Node;
    if (depth + tags.length > MAX_NESTING) {
      const marker = delimiter.char.repeat(used);
      outer = document.createDocumentFragment();
      outer.appendChild(document.createTextNode(marker));
      for (const node of moved) outer.appendChild(node);
      if (!toEnd) outer.appendChild(document.createTextNode(marker));
    } else {
      outer = document.createElement(tags[0]!);
      let inner = outer;
      for (const tag of tags.slice(1)) inner = inner.appendChild(document.createElement(tag));
      for (const node of moved) inner.appendChild(node);
      depth += tags.length;
    }
    const wrapped: Entry = {value: outer, prev: opener, next: stop, depth};
    opener.next = wrapped;
    if (stop) stop.prev = wrapped;
    else this.#tail = wrapped;
    if (toEnd) (opener.value as Delimiter).length = 0;
    if (toEnd) this.#remove(opener);
  }

  /** Takes a delimiter out of the list and out of play. */
  #remove(entry: Entry): void {
    this.#forget(entry);
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
  }

  /** Takes a delimiter out of play: it stays in the list, as text. */
  #forget(entry: Entry): void {
    if (entry.before) entry.before.after = entry.after ?? null;
    if (entry.after) entry.after.before = entry.before ?? null;
    if (this.#lastDelimiter === entry) this.#lastDelimiter = entry.before ?? null;
    entry.before = entry.after = null;
    (entry.value as Delimiter).canClose = false;
  }
}

/** Whether `opener` can pair with `closer`: same character, and CommonMark's rule of three. */
function pairs(opener: Delimiter, closer: Delimiter): boolean {
  if (opener.char !== closer.char || !opener.canOpen || opener.length === 0) return false;
  if (closer.char === '~') return opener.length === closer.length;
  const sum = opener.original + closer.original;
  return !((opener.canClose || closer.canOpen) && sum % 3 === 0 && (opener.original % 3 !== 0 || closer.original % 3 !== 0));
}

function tagsFor({char}: Delimiter, used: number): string[] {
  if (char === '~') return ['del'];
  return used >= 3 ? ['em', 'strong'] : used === 2 ? ['strong'] : ['em'];
}

function toNode(value: Node | Delimiter): Node {
  return value instanceof Node ? value : document.createTextNode(value.char.repeat(value.length));
}
