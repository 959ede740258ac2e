/** How a line of Markdown starts a block: pure reads of one line, each linear in it. */

// A backtick fence's info string holds no backtick: "```py print(1)```" is inline code.
export const FENCE = /^ {0,3}(?:(`{3,})(?!.*`)|(~{3,}))[ \t]*(\S*)/;
export const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
export const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
// `[^]*`, not `.*`: a U+2028 in the line must not make the regex backtrack over it.
export const QUOTE = /^ {0,3}> ?([^]*)$/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+([^]*))?$/;
/** A line that may still turn into block syntax: show nothing of it until it is complete. */
const UNDECIDED = /^ {0,3}(?:[`~]+|#{1,6}|[-*_+>|]|\d{1,9}[.)]?|[-*_](?:[ \t]*[-*_])*|=+)[ \t]*$/;
/** A line that opens display math over several lines: `$$` or `\[` alone (`\[foo]` is escaped text; `$$x$$` is inline). */
export const MATH_BLOCK = /^[ \t]*(\$\$|\\\[)[ \t]*$/;
/** A task list item's box: `[ ]`, `[x]` or `[X]`, then white space or the end. */
export const TASK = /^\[([ xX])\](?=[ \t]|$)/;
/** A setext underline: under a paragraph, it makes the paragraph a heading (`=` level 1, `-` level 2). */
export const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
/** Where block structure is read: indentation, quote markers and list markers (each followed by white space). */
const CONTAINER_PREFIX = /^(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*/;

/** A list item's first line, read. */
export interface ItemStart {
  marker: string;
  /** The item's first line, from its content column on. */
  content: string;
  /** Where its content starts: later lines indented this far are the item's. */
  column: number;
}

/** A heading's text without the optional closing run of `#`s, trimmed in linear time. */
export function headingText(rest: string): string {
  const trimmed = rest.trim();
  const closing = trimmed.replace(/#+$/, '');
  return closing === '' || /[ \t]$/.test(closing) ? closing.trim() : trimmed;
}

/** A line that may still turn into block syntax, a fence included. */
export function isUndecided(line: string): boolean {
  return UNDECIDED.test(line) || FENCE.test(line);
}

/**
 * `line` with the tabs of its block structure (indentation, and white space after `>` and list
 * markers) expanded to spaces at tab stops of four, which is how CommonMark counts columns.
 */
export function expandIndent(line: string): string {
  if (!/^[^\S\n]*(?:[>\d.)*+-][^\S\n]*)*\t/.test(line.slice(0, 64))) return line;
  const prefix = CONTAINER_PREFIX.exec(line)![0];
  let expanded = '';
  for (const char of prefix) expanded += char === '\t' ? ' '.repeat(4 - (expanded.length % 4)) : char;
  return expanded + line.slice(prefix.length);
}

/** The length of the white space `line` starts with (its columns, once `expandIndent` made its tabs spaces). */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** `line` without up to `indent` leading spaces. */
export function unindent(line: string, indent: number): string {
  let start = 0;
  while (start < indent && line[start] === ' ') start++;
  return line.slice(start);
}

/** A list item's first line, or null: a marker indented at most three spaces, then white space or the end. */
export function itemStart(line: string): ItemStart | null {
  const match = ITEM.exec(line);
  if (!match || match[1]!.length > 3) return null;
  const [, indent, marker, content = ''] = match;
  const after = line.length - content.length;
  // The content column: after the marker and one to four spaces (one, when the item is empty or has more: then the content is indented code).
  const spaces = after - indent!.length - marker!.length;
  const column = content !== '' && spaces <= 4 ? after : indent!.length + marker!.length + 1;
  return {marker: marker!, content: line.slice(column), column};
}
