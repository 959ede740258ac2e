// The Custom Elements Manifest (built by `npm test` first) against the running element: the
// attributes and properties Lit knows, the public methods and accessors of its prototype, the
// slots of its shadow DOM. Both ways: an entry missing from the manifest fails, and so does a
// stale one. (Events, parts and custom properties: test/node/manifest.test.js.)
import {assert, fixture, html} from '@open-wc/testing';
import {LitElement} from 'lit';
import {ChatStream} from '../../src/chat-stream.ts';

const sorted = (names) => [...new Set(names)].sort();

async function manifestEntry() {
  const {customElements: path} = await (await fetch('/package.json')).json();
  const manifest = await (await fetch(`/${path}`)).json();
  return manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'chat-stream');
}

/** The element's own prototype members, less Lit's lifecycle it overrides: its API. */
function ownMembers(kind) {
  const descriptors = Object.entries(Object.getOwnPropertyDescriptors(ChatStream.prototype)).filter(([name]) => name !== 'constructor' && !(name in LitElement.prototype));
  return descriptors.filter(([, descriptor]) => (kind === 'method' ? typeof descriptor.value === 'function' : descriptor.get)).map(([name]) => name);
}

const publicMembers = (entry, kind) => entry.members.filter((member) => member.kind === kind && !member.static && member.privacy !== 'private' && member.privacy !== 'protected');
const names = (members) => sorted(members.map((member) => member.name));

describe('the custom elements manifest', () => {
  it('lists every attribute the element observes, and no other', async () => {
    const entry = await manifestEntry();

    assert.deepEqual(sorted(entry.attributes.map((attribute) => attribute.name)), sorted(ChatStream.observedAttributes));
  });

  it('lists every property, with the attribute Lit reflects it from, and no other', async () => {
    const entry = await manifestEntry();
    const expected = [...ChatStream.elementProperties].map(([name, {attribute}]) => [name, attribute === false ? undefined : attribute === true || attribute === undefined ? name.toLowerCase() : attribute]);

    const listed = entry.members.filter((member) => ChatStream.elementProperties.has(member.name)).map((member) => [member.name, member.attribute]);
    assert.deepEqual(listed.sort(), expected.sort());
    assert.deepEqual(names(publicMembers(entry, 'field')), sorted([...ChatStream.elementProperties.keys(), ...ownMembers('field')]));
  });

  it('lists every public method, and no other', async () => {
    const entry = await manifestEntry();

    assert.deepEqual(names(publicMembers(entry, 'method')), sorted(ownMembers('method')));
  });

  it('marks the read-only accessors read-only', async () => {
    const entry = await manifestEntry();
    const readOnly = ownMembers('field').filter((name) => !Object.getOwnPropertyDescriptor(ChatStream.prototype, name).set);

    assert.deepEqual(names(publicMembers(entry, 'field').filter((member) => member.readonly)), sorted(readOnly));
  });

  it('lists every slot of the shadow DOM, and no other', async () => {
    const entry = await manifestEntry();
    const element = await fixture(html`<chat-stream></chat-stream>`);

    const slots = [...element.shadowRoot.querySelectorAll('slot')].map((slot) => slot.name);
    assert.deepEqual(sorted(entry.slots.map((slot) => slot.name)), sorted(slots));
  });
});
