const CR = 13;
const LF = 10;

/** An `id` field: its value and where its line ends in the text scanned. @internal */
export interface IdField {
  /** The index just past the line's terminator, in the text given to `scan`. */
  end: number;
  value: string;
}

/**
 * Finds `id` fields at line starts, so that the last event ID can follow the spec: it is set
 * by every `id` line, also in a block without data, which eventsource-parser forgets.
 * Costs one `indexOf` pass per chunk (chat streams carry `"id"` only inside JSON).
 *
 * @internal
 */
export class IdFieldScanner {
  /** The unterminated last line, kept when it may be an `id` line. It begins a line. */
  #carry = '';
  /** Whether the next text begins a line (always so when there is a carry). */
  #atLineStart = true;

  /** Scans the next text; returns the `id` fields whose lines it completes. */
  scan(text: string): IdField[] {
    const input = this.#carry + text;
    const offset = this.#carry.length;
    const atLineStart = this.#atLineStart;
    this.#carry = '';
    const fields: IdField[] = [];
    for (let from = 0; ; ) {
      const start = input.indexOf('id', from);
      if (start === -1) break;
      from = start + 2;
      if (!(start === 0 ? atLineStart : isLineEnd(input.charCodeAt(start - 1)))) continue;
      const next = input.charCodeAt(start + 2);
      if (next !== 58 /* : */ && !isLineEnd(next) && start + 2 < input.length) continue;
      const lineEnd = findLineEnd(input, start + 2);
      if (lineEnd === -1) {
        this.#carry = input.slice(start);
        break;
      }
      fields.push({end: lineEnd + 1 - offset, value: fieldValue(input.slice(start + 2, lineEnd))});
      from = lineEnd + 1;
    }
    if (this.#carry === '' && input.endsWith('i') && (input.length === 1 ? atLineStart : isLineEnd(input.charCodeAt(input.length - 2)))) {
      this.#carry = 'i';
    }
    this.#atLineStart = this.#carry !== '' || (input !== '' ? isLineEnd(input.charCodeAt(input.length - 1)) : atLineStart);
    return fields;
  }
}

function isLineEnd(code: number): boolean {
  return code === LF || code === CR;
}

function findLineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
}

/** The value after `id`: nothing, or what follows the colon less one leading space. */
function fieldValue(rest: string): string {
  if (rest === '') return '';
  return rest.charCodeAt(1) === 32 ? rest.slice(2) : rest.slice(1);
}
