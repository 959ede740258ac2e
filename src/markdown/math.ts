/**
 * Renders TeX: `(tex, {display}) => Node | html string` (KaTeX's `renderToString` escapes what it
 * is given; return a Node to be safest). Return nothing to show the TeX as code. None is bundled.
 */
export type MathRenderer = (tex: string, options: {display: boolean}) => Node | string | null | undefined | void;

/**
 * A formula: what the page's `math` function makes of it, in a `span.math` (`.math-display`
 * for display math), or its TeX as code when there is no function, it returns nothing or it
 * throws (named in the console).
 */
export function mathNode(tex: string, display: boolean, math: MathRenderer | undefined): HTMLElement {
  const holder = document.createElement('span');
  holder.className = display ? 'math math-display' : 'math math-inline';
  // Wide display math scrolls inside itself: keyboard users reach that scroll through focus.
  if (display) holder.tabIndex = 0;
  let rendered: ReturnType<MathRenderer>;
  try {
    rendered = math?.(tex, {display});
  } catch (error) {
    console.error('chat-stream: the math function failed on a formula; it shows as TeX', error);
  }
  if (typeof rendered === 'string') holder.innerHTML = rendered;
  else if (rendered instanceof Node) holder.append(rendered);
  else holder.appendChild(document.createElement('code')).textContent = tex;
  return holder;
}

/**
 * Where inline math closes, per Pandoc's `tex_math_dollars` and `tex_math_single_backslash`
 * (https://pandoc.org/MANUAL.html#extension-tex_math_dollars): `$…$` opens at a `$` with no
 * white space after it and closes at a `$` with none before it and no digit after it, so
 * `$5 and $6` is no formula (nor does one cross a backtick); `$$…$$`, `\(…\)` and `\[…\]` close at
 * their partner, and hold a letter or digit (`\[\\\]` stays escaped brackets). The searches
 * remember where they failed, so a line of openers stays linear.
 */
export class MathSpans {
  /** For each position, the first `$` at or after it that may close single-dollar math; -1 for none. */
  #dollarClosers: Int32Array | undefined;
  readonly #missing = new Map<string, number>();

  constructor(readonly source: string) {}

  /** The math at `at` (`$`, `$$`, `\(` or `\[`): its TeX, whether it is display math, and where it ends (`-1`: it does not close). */
  at(at: number, to: number): {tex: string; display: boolean; end: number} | null {
    const {source} = this;
    const two = source.slice(at, at + 2);
    const closer = two === '$$' ? '$$' : two === '\\(' ? '\\)' : two === '\\[' ? '\\]' : null;
    if (closer) {
      const close = this.#find(closer, at + 2, to);
      const tex = close === -1 ? '' : source.slice(at + 2, close);
      // A formula has a letter or digit: `\[\\\]` is escaped brackets, as CommonMark reads it.
      if (close !== -1 && !/[\p{L}\p{N}]/u.test(tex)) return null;
      return {tex, display: closer !== '\\)', end: close === -1 ? -1 : close + 2};
    }
    if (source[at] !== '$' || /\s/.test(source[at + 1] ?? ' ')) return null;
    const close = at + 2 <= to ? this.#dollarCloser(at + 2) : -1;
    if (close >= to) return {tex: '', display: false, end: -1};
    return {tex: close === -1 ? '' : source.slice(at + 1, close), display: false, end: close === -1 ? -1 : close + 1};
  }

  #find(closer: string, from: number, to: number): number {
    if ((this.#missing.get(closer) ?? Infinity) <= from) return -1;
    const found = this.source.indexOf(closer, from);
    if (found !== -1 && found < to) return found;
    this.#missing.set(closer, Math.min(from, this.#missing.get(closer) ?? Infinity));
    return -1;
  }

  #dollarCloser(from: number): number {
    const {source} = this;
    if (!this.#dollarClosers) {
      const closers = new Int32Array(source.length + 1).fill(-1);
      for (let at = source.length - 1; at >= 0; at--) {
        const closes = source[at] === '$' && !/\s/.test(source[at - 1] ?? ' ') && source[at - 1] !== '\\' && !/\d/.test(source[at + 1] ?? '');
        // No formula crosses a backtick: "$5 and `$x$`" is a price and code.
        closers[at] = closes ? at : source[at] === '`' ? -1 : closers[at + 1]!;
      }
      this.#dollarClosers = closers;
    }
    return from <= source.length ? this.#dollarClosers[from]! : -1;
  }
}
