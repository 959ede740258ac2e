import {element} from './inline.js';

/** A delimiter row's cell, once split on pipes and trimmed (splitting first keeps the test linear). */
const DELIMITER_CELL = /^:?-+:?$/;
/** A line that begins like a table row: it is held back until the next line shows whether it is a header. */
export const ROW = /^ {0,3}\|/;

/** Whether `line` is the delimiter row of a table whose header row is `header`. */
export function isDelimiterOf(line: string, header: string): boolean {
  return isDelimiterRow(line) && cells(line).length === cells(header).length;
}

/** Whether `line` is a table's delimiter row (`| --- | :-: |`), whatever its header. */
export function isDelimiterRow(line: string): boolean {
  return /^ {0,3}[|:-]/.test(line) && cells(line).every((cell) => DELIMITER_CELL.test(cell));
}

/** A table row's cells: outer pipes dropped, split on unescaped pipes. */
export function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** A table being built: its element, to be placed, and where its rows go. */
export interface Table {
  wrapper: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
  /** Each column's `text-align`, or '' for none. */
  align: string[];
}

/** A new table's elements, for its delimiter row: its head and body are still empty. */
export function newTable(delimiter: string): Table {
  const align = cells(delimiter).map((cell) => (cell.endsWith(':') ? (cell.startsWith(':') ? 'center' : 'right') : cell.startsWith(':') ? 'left' : ''));
  const wrapper = element('div');
  wrapper.className = 'table';
  // A wide table scrolls inside its wrapper: keyboard users reach that scroll through focus.
  wrapper.tabIndex = 0;
  const table = wrapper.appendChild(element('table'));
  return {wrapper, head: table.appendChild(element('thead')), body: table.appendChild(element('tbody')), align};
}
