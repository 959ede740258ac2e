// The Custom Elements Manifest (built by `npm test` first) against the element's source: the
// events its type map names, the parts its templates draw, the custom properties its styles
// read. Both ways: an entry missing from the manifest fails, and so does a stale one.
// (Attributes, properties, methods and slots are read from the running element:
// test/browser/manifest.test.js.)
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).pathname;
const {customElements: manifestPath} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, manifestPath), 'utf8'));
const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'chat-stream');

const sources = readdirSync(join(root, 'src'), {recursive: true})
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(root, 'src', file));
const program = ts.createProgram(sources, {target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true});
const checker = program.getTypeChecker();

const sorted = (names) => [...new Set(names)].sort();
const named = (entries) => sorted((entries ?? []).map((entry) => entry.name));

function visit(node, found) {
  found(node);
  ts.forEachChild(node, (child) => visit(child, found));
}

/** The string values an expression can take, or a failure naming it when its type is not a union of string literals. */
function literalValues(expression) {
  const type = checker.getTypeAtLocation(expression);
  const types = type.isUnion() ? type.types : [type];
  if (!types.every((each) => each.isStringLiteral())) {
    assert.fail(`cannot tell the parts \`${expression.getText()}\` names (${expression.getSourceFile().fileName}): give it a union of string literals`);
  }
  return types.map((each) => each.value);
}

/**
 * The first token of each `part` attribute in the `html` templates and of each
 * `setAttribute('part', …)`: the part. Further tokens are its states (a message's role, a tool
 * call's state), which the part's description names.
 */
function templateParts() {
  const parts = [];
  for (const file of program.getSourceFiles().filter((file) => file.fileName.startsWith(join(root, 'src')))) {
    visit(file, (node) => {
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === 'html') {
        const {template} = node;
        const spans = ts.isTemplateExpression(template) ? template.templateSpans : [];
        const text = ts.isTemplateExpression(template) ? template.head.text + spans.map((span, i) => `\0${i}\0${span.literal.text}`).join('') : template.text;
        for (const [, quoted = '', bare = ''] of text.matchAll(/\bpart=(?:["']([^"']*)["']|(\0\d+\0))/g)) {
          const first = (quoted || bare).trim().split(/\s+/)[0];
          const expression = /^\0(\d+)\0$/.exec(first);
          parts.push(...(expression ? literalValues(spans[Number(expression[1])].expression) : [first]));
        }
      }
      if (ts.isCallExpression(node) && node.expression.getText().endsWith('.setAttribute') && node.arguments[0]?.getText() === "'part'") {
        parts.push(...literalValues(node.arguments[1]).map((value) => value.split(/\s+/)[0]));
      }
    });
  }
  return sorted(parts);
}

/** The names of ChatStreamEventMap, the events the element fires. */
function eventNames() {
  const events = program.getSourceFile(join(root, 'src/events.ts'));
  const map = events.statements.find((statement) => ts.isTypeAliasDeclaration(statement) && statement.name.text === 'ChatStreamEventMap');
  return sorted(checker.getPropertiesOfType(checker.getTypeAtLocation(map.name)).map((property) => property.name));
}

test('the manifest is the one package.json names, and declares <chat-stream>', () => {
  assert.match(manifest.schemaVersion, /^\d+\.\d+/);
  assert.equal(element?.name, 'ChatStream');
});

test('the manifest lists every event the element fires, and no other', () => {
  assert.deepEqual(named(element.events), eventNames());
});

test('the manifest lists every part the templates draw, and no other', () => {
  assert.deepEqual(named(element.cssParts), templateParts());
});

test('the manifest lists every --chat-stream-* custom property the styles read, and no other', () => {
  const styles = readFileSync(join(root, 'src/chat-stream.styles.ts'), 'utf8');

  assert.deepEqual(named(element.cssProperties), sorted(styles.match(/--chat-stream-[\w-]+/g)));
});

test('every entry of the manifest is described', () => {
  const kinds = ['attributes', 'events', 'cssParts', 'cssProperties', 'slots'];
  const publicMembers = element.members.filter((member) => member.privacy !== 'private' && member.privacy !== 'protected');
  const bare = [...kinds.flatMap((kind) => element[kind].map((entry) => [kind, entry])), ...publicMembers.map((member) => ['members', member])]
    .filter(([, entry]) => !entry.description?.trim())
    .map(([kind, entry]) => `${kind}: ${entry.name}`);

  assert.deepEqual(bare, []);
});
