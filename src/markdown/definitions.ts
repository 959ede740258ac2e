import {linkTarget, normalizeLabel, renderInline, type InlineContext} from './inline.js';

/** A link reference definition's label and the rest of its line. */
const DEFINITION = /^ {0,3}\[((?:[^\[\]\\]|\\[^]){0,999})\]:/;
/** Text that ends inside a definition's label, */
const OPEN_LABEL = /^ {0,3}\[(?:[^\[\]\\]|\\[^]){0,999}\\?$/;
/** or, after its `]:`, before its destination or inside its title. */
const OPEN_TARGET = /^\s*(?:(?:<(?:[^<>\n\\]|\\.)*>|[^\s<]\S*)\s+(?:"(?:[^"\\]|\\[^])*|'(?:[^'\\]|\\[^])*|\((?:[^()\\]|\\[^])*)?)?$/;
/** Lines held back as definitions are at most this long (a label is at most 999 characters): past it they are paragraph text. */
const MAX_DEFINING = 2000;

/** Committed text that used reference labels not defined when it was rendered: its source, the nodes it rendered, the labels it missed. */
interface Waiting {
  source: string;
  nodes: Node[];
  labels: Set<string>;
  relinks: number;
}

/** A text is rendered again for late definitions at most this often: an answer cannot make relinking quadratic. */
const MAX_RELINKS = 4;

/** Per answer (by its definitions): the texts waiting for each label, and the labels defined since the last relink. */
const waiting = new WeakMap<Map<string, unknown>, {byLabel: Map<string, Set<Waiting>>; defined: Set<string>}>();

function waitingFor(context: InlineContext): {byLabel: Map<string, Set<Waiting>>; defined: Set<string>} {
  let state = waiting.get(context.targets);
  if (!state) waiting.set(context.targets, (state = {byLabel: new Map(), defined: new Set()}));
  return state;
}

/**
 * The link reference definition that `text` starts with, and where it ends (at a line's end):
 * its destination may be on the line after its label, its title on the next, over lines.
 */
function readDefinition(text: string): {label: string; target: {url: string; title: string}; end: number} | null {
  const head = DEFINITION.exec(text);
  if (!head || !/\S/.test(head[1]!) || /\n[ \t]*\n/.test(head[0])) return null;
  const start = head[0].length;
  // The longest candidate first: a title on a later line, then without it.
  const ends = [];
  for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', end + 1)) ends.push(end);
  ends.push(text.length);
  for (const end of ends.reverse()) {
    const written = text.slice(start, end);
    const target = !/\n[ \t]*\n/.test(written) && linkTarget(written);
    if (target && (target.url !== '' || /^\s*<>/.test(written))) return {label: normalizeLabel(head[1]!), target, end};
  }
  return null;
}

/**
 * Defines the link reference definitions that `text` (held lines) starts with, and returns the
 * text after them. Unless `final`, a definition that reaches the end of the text stays in it:
 * it may still take a title from the next line.
 */
export function takeDefinitions(text: string, context: InlineContext, final: boolean): string {
  for (let found = readDefinition(text); found && (final || found.end < text.length); found = readDefinition(text)) {
    define(context, found.label, found.target);
    text = text.slice(found.end + 1);
  }
  return text;
}

/** Whether held `text` may still be (or end with) a definition: complete, or open in its label, destination or title. */
export function mayStillDefine(text: string): boolean {
  if (text.length > MAX_DEFINING) return false;
  const head = DEFINITION.exec(text);
  return readDefinition(text) !== null || OPEN_LABEL.test(text) || (head !== null && OPEN_TARGET.test(text.slice(head[0].length)));
}

/** A line that may still be a link reference definition: `[label` not yet followed by anything but `]:`. */
export function mayDefine(line: string): boolean {
  return /^ {0,3}\[/.test(line) && !/^ {0,3}\[(?:[^\]\\]|\\.)*\](?!:|$)/.test(line);
}

/** Renders inline Markdown; returns the reference labels it used that have no definition yet. */
export function renderInlineMissing(source: string, parent: Node, open: boolean, context: InlineContext): Set<string> {
  const missed = new Set<string>();
  renderInline(source, parent, open, context, missed);
  return missed;
}

/**
 * Renders `source` again when definitions arrive for labels it used before (`missed`): `nodes`
 * are what it rendered, replaced then (see {@link relink}).
 */
export function awaitDefinitions(context: InlineContext, missed: Set<string>, source: string, nodes: Node[]): void {
  if (missed.size === 0 || nodes.length === 0) return;
  const {byLabel} = waitingFor(context);
  const entry: Waiting = {source, nodes, labels: missed, relinks: 0};
  for (const label of missed) byLabel.get(label)?.add(entry) ?? byLabel.set(label, new Set([entry]));
}

/** Defines a label (its first definition wins); what used it before is linked by the next {@link relink}. */
function define(context: InlineContext, label: string, target: {url: string; title: string}): void {
  const {targets} = context;
  if (targets.has(label)) return;
  targets.set(label, target);
  waitingFor(context).defined.add(label);
}

/**
 * Renders again, once, each committed text that used a label defined since the last call (a run
 * of definitions relinks each text once, whatever number of its labels it defines), at most
 * MAX_RELINKS times per text. Nothing waits for the labels relinked: no node is kept past it.
 */
export function relink(context: InlineContext): void {
  const state = waiting.get(context.targets);
  if (!state || state.defined.size === 0) return;
  const entries = new Set<Waiting>();
  for (const label of state.defined) {
    for (const entry of state.byLabel.get(label) ?? []) entries.add(entry);
    state.byLabel.delete(label);
  }
  state.defined.clear();
  for (const entry of entries) {
    for (const label of entry.labels) state.byLabel.get(label)?.delete(entry);
    const first = entry.nodes[0]!;
    if (!first.parentNode || ++entry.relinks > MAX_RELINKS) continue;
    const fragment = document.createDocumentFragment();
    const missed = renderInlineMissing(entry.source, fragment, false, context);
    const nodes = [...fragment.childNodes];
    first.parentNode.insertBefore(fragment, first);
    for (const node of entry.nodes) node.parentNode?.removeChild(node);
    if (missed.size === 0 || nodes.length === 0) continue;
    Object.assign(entry, {nodes, labels: missed});
    for (const label of missed) state.byLabel.get(label)?.add(entry) ?? state.byLabel.set(label, new Set([entry]));
  }
}
