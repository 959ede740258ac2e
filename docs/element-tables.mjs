// The reference tables of docs/element.md (attributes, properties, methods, events, slots, parts,
// custom properties), written from the Custom Elements Manifest that `npm run build` makes from
// the element's JSDoc: the source is the one place they are written, so the page cannot go stale.
// `npm run docs` rewrites what lies between each `<!-- manifest:<table> -->` and
// `<!-- /manifest:<table> -->`; test/node/element-docs.test.js fails when the page differs.
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const ROOT = new URL('../', import.meta.url);
export const PAGE = new URL('docs/element.md', ROOT);

/** The `<chat-stream>` declaration of the manifest package.json names. */
export function readElement() {
  const {customElements} = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  const manifest = JSON.parse(readFileSync(new URL(customElements, ROOT), 'utf8'));
  return manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'chat-stream');
}

const isPublic = (member) => !member.static && member.privacy !== 'private' && member.privacy !== 'protected';
const code = (text) => `\`${text}\``;
/** A type as a reader writes it: without the `undefined` every optional property has. */
const typeText = (type) => (type?.text ?? '').replace(/\s*\|\s*undefined\b/g, '');
/** A JSDoc text as one table cell: on one line, its pipes escaped (also inside code spans, as GFM requires). */
const cell = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/(?<!\\)\|/g, '\\|').trim();
/** A default as the manifest has it: a JavaScript value shown as code, or words (`the page's path`). */
const defaultText = (value) => (value === undefined ? '—' : /^(?:['"[{]|-?\d|true$|false$)/.test(value) ? code(value) : value);
const row = (cells) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head, rows) => [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');

/** An event's description is when it fires, then `Detail:` and what its `detail` holds. */
function splitEvent(description) {
  const [when, detail = ''] = description.split(/\s*\bDetail:\s*/);
  return [when, detail];
}

/** A method as it is called: `send(text, options?): Promise<ChatResult>`. */
function signature(method) {
  const parameters = (method.parameters ?? []).map((parameter) => `${parameter.name}${parameter.optional ? '?' : ''}`).join(', ');
  const returns = typeText(method.return?.type);
  return `${method.name}(${parameters})${returns && returns !== 'void' ? `: ${returns}` : ''}`;
}

/** Every table, by the name its markers carry. */
export function renderTables(element) {
  const fields = element.members.filter((member) => member.kind === 'field' && isPublic(member));
  const field = (name) => fields.find((member) => member.name === name);
  return {
    attributes: table(
      ['attribute', 'property', 'default', 'meaning'],
      element.attributes.map((attribute) => [code(attribute.name), attribute.fieldName ? code(attribute.fieldName) : '—', defaultText(attribute.default ?? field(attribute.fieldName)?.default), attribute.description]),
    ),
    properties: table(
      ['property', 'type', 'meaning'],
      fields.filter((member) => !member.attribute).map((member) => [code(member.name), `${code(typeText(member.type))}${member.readonly ? ' (read-only)' : ''}`, member.description]),
    ),
    methods: table(
      ['method', 'meaning'],
      element.members.filter((member) => member.kind === 'method' && isPublic(member)).map((method) => [code(signature(method)), method.description]),
    ),
    events: table(
      ['event', 'when', '`detail`'],
      element.events.map((event) => [code(event.name), ...splitEvent(event.description ?? '')]),
    ),
    slots: table(
      ['slot', 'shown'],
      element.slots.map((slot) => [code(slot.name), slot.description]),
    ),
    parts: table(
      ['part', 'what it is'],
      element.cssParts.map((part) => [code(part.name), part.description]),
    ),
    'custom-properties': table(
      ['property', 'default (light / dark)', 'styles'],
      element.cssProperties.map((property) => [code(property.name), property.default ?? '—', property.description]),
    ),
  };
}

/** The entries of the manifest with no description, named `kind name`. */
export function undescribed(element) {
  const entries = [
    ...element.attributes.map((entry) => ['attribute', entry]),
    ...element.members.filter(isPublic).map((entry) => [entry.kind, entry]),
    ...element.events.map((entry) => ['event', entry]),
    ...element.slots.map((entry) => ['slot', entry]),
    ...element.cssParts.map((entry) => ['part', entry]),
    ...element.cssProperties.map((entry) => ['custom property', entry]),
  ];
  return entries.filter(([, entry]) => !entry.description?.trim()).map(([kind, entry]) => `${kind} ${entry.name}`);
}

/** The page with each marked table replaced; a marker pair missing from it is an error that names it. */
export function withTables(markdown, tables) {
  let page = markdown;
  for (const [name, text] of Object.entries(tables)) {
    const open = `<!-- manifest:${name} -->`;
    const close = `<!-- /manifest:${name} -->`;
    const start = page.indexOf(open);
    const end = page.indexOf(close);
    if (start < 0 || end < start) throw new Error(`docs/element.md has no \`${open}\` … \`${close}\` for the ${name} table`);
    page = `${page.slice(0, start + open.length)}\n${text}\n${page.slice(end)}`;
  }
  return page;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const element = readElement();
  const missing = undescribed(element);
  if (missing.length > 0) {
    console.error(`docs/element-tables.mjs: no description in the element's JSDoc for ${missing.join(', ')}`);
    process.exitCode = 1;
  }
  writeFileSync(PAGE, withTables(readFileSync(PAGE, 'utf8'), renderTables(element)));
}
