// <chat-stream persist>: conversations that survive a reload (a real navigation of a page in an
// iframe), stay in step across two pages, and survive storage that is full, corrupt or foreign.
import {assert, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {chat, endpoint, pause, shadow, shadowAll, waitFor} from './helpers.js';

let pageCount = 0;
const newId = (name) => `${name}-${++pageCount}-${Math.random().toString(36).slice(2, 8)}`;
const key = (id) => `chat-stream:${id}`;
const contents = (element) => shadowAll(element, '[part="content"]').map((node) => node.textContent);
const frames = [];

/** A page (same origin, its own document) holding one <chat-stream> with `attributes` (or the whole `body` given). */
async function openPage(attributes, body = `<chat-stream ${attributes}></chat-stream>`) {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html>${body}<script type="module" src="/src/chat-stream.ts"></script>`;
  document.body.append(frame);
  frames.push(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  return chatIn(frame);
}

async function chatIn(frame) {
  const page = frame.contentWindow;
  await page.customElements.whenDefined('chat-stream');
  const element = page.document.querySelector('chat-stream');
  await element.updateComplete;
  return element;
}

/** Reloads the page in `frame` (a navigation: the old document is unloaded) and returns its new element. */
async function reload(frame) {
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  frame.contentWindow.location.reload();
  await loaded;
  return chatIn(frame);
}

const frameOf = (element) => frames.find((frame) => frame.contentDocument === element.ownerDocument);

/** Fills localStorage until it refuses; returns the keys to remove. */
function fillLocalStorage() {
  const keys = [];
  const block = 'x'.repeat(256 * 1024);
  try {
    for (let i = 0; i < 200; i++) {
      localStorage.setItem(`filler-${i}`, block);
      keys.push(`filler-${i}`);
    }
  } catch {
    for (let size = 128 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        localStorage.setItem(`filler-small-${size}`, block.slice(0, size));
        keys.push(`filler-small-${size}`);
      } catch {
        // full at this size: try a smaller piece
      }
    }
  }
  return keys;
}

afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

describe('<chat-stream persist>', () => {
  it('restores the conversation after the page reloads, with the same ids', async () => {
    const id = newId('reload');
    const element = await openPage(`persist="local" conversation-id="${id}" endpoint="${endpoint('greeting')}" token="t"`);
    await element.send('hi');
    const before = element.messages.map((message) => message.id);

    const restored = await reload(frameOf(element));

    assert.deepEqual(restored.messages.map((message) => message.id), before);
    assert.deepEqual(contents(restored), ['hi', GREETING_TEXT]);
    localStorage.removeItem(key(id));
  });

  it('keeps an answer that was streaming when the page reloaded, as stopped with its text', async () => {
    const id = newId('mid-answer');
    const element = await openPage(`persist="local" conversation-id="${id}" endpoint="${endpoint('slow')}" token="t"`);
    element.send('hi');
    await oneEvent(element, 'update');

    const restored = await reload(frameOf(element));

    assert.deepEqual(restored.messages.map(({content, status}) => [content, status]), [['hi', 'done'], ['first ', 'stopped']]);
    assert.strictEqual(shadow(restored, '[part~="assistant"] [part="status"]').textContent.trim(), 'Stopped');
    localStorage.removeItem(key(id));
  });

  it('saves the answer so far, as stopped, when the page is hidden, and streams on', async () => {
    const id = newId('hidden');
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${id} endpoint=${endpoint('slow')} token="t"></chat-stream>`);
    const pending = element.send('hi');
    await oneEvent(element, 'update');

    Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
    try {
      document.dispatchEvent(new Event('visibilitychange'));
    } finally {
      delete document.visibilityState;
    }

    const saved = JSON.parse(localStorage.getItem(key(id))).messages;
    assert.deepEqual(saved.map(({content, status}) => [content, status]), [['hi', 'done'], ['first ', 'stopped']]);
    assert.isTrue(element.streaming);
    element.stop();
    await pending;
    localStorage.removeItem(key(id));
  });

  it('keeps two pages of one conversation in step, neither overwriting the other', async () => {
    const id = newId('tabs');
    const attributes = `persist="local" conversation-id="${id}" endpoint="${endpoint('greeting')}" token="t"`;
    const [left, right] = [await openPage(attributes), await openPage(attributes)];

    await left.send('from the left');
    await waitFor(() => right.messages.length === 2, 'the answer in the other page');
    await right.send('from the right');
    await waitFor(() => left.messages.length === 4, 'the second answer in the first page');
    await left.updateComplete;

    assert.deepEqual(contents(left), ['from the left', GREETING_TEXT, 'from the right', GREETING_TEXT]);
    assert.deepEqual(JSON.parse(localStorage.getItem(key(id))).messages.map((message) => message.content), contents(left));
    localStorage.removeItem(key(id));
  });

  it('uses one conversation per page path by default', async () => {
    const element = await fixture(html`<chat-stream persist="local" endpoint=${endpoint('greeting')} token="t"></chat-stream>`);

    await element.send('hi');

    assert.strictEqual(JSON.parse(localStorage.getItem(key(location.pathname))).messages.length, 2);
    element.clear();
    assert.isNull(localStorage.getItem(key(location.pathname)));
  });

  it('reports full storage as a storage error, and the chat goes on', async () => {
    const filler = fillLocalStorage();
    const element = document.createElement('chat-stream');
    const errors = [];
    element.addEventListener('error', ({detail}) => errors.push(detail));
    Object.assign(element, {endpoint: endpoint('greeting'), token: 't', persist: 'local', conversationId: newId('full')});
    document.body.append(element);

    let result;
    try {
      result = await element.send('hi');
    } finally {
      filler.forEach((name) => localStorage.removeItem(name));
      element.remove();
    }

    assert.strictEqual(result.status, 'done');
    assert.deepEqual([errors[0]?.kind, errors[0]?.code], ['storage', 'quota_exceeded']);
    assert.match(errors[0].message, /full/);
    assert.deepEqual(element.messages.map((message) => message.content), ['hi', GREETING_TEXT]);
  });

  it('reports storage that is disabled (a SecurityError, as in Safari private mode), and the chat goes on', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(window, 'localStorage') ?? Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    const element = document.createElement('chat-stream');
    const errors = [];
    element.addEventListener('error', ({detail}) => errors.push(detail));
    Object.assign(element, {endpoint: endpoint('greeting'), token: 't', persist: 'local', conversationId: newId('disabled')});
    let result;
    try {
      document.body.append(element);
      result = await element.send('hi');
    } finally {
      Object.defineProperty(window, 'localStorage', descriptor);
      element.remove();
    }

    assert.strictEqual(result.status, 'done');
    assert.deepEqual([errors[0]?.kind, errors[0]?.code], ['storage', 'unavailable']);
    assert.match(errors[0].message, /insecure.*goes on in memory/);
  });

  it('sets a value that is not JSON aside, with a console warning, and starts anew', async () => {
    const id = newId('corrupt');
    localStorage.setItem(key(id), '{"version":1,"messages":[{"id":');
    const warnings = [];
    const warn = console.warn;
    console.warn = (message) => warnings.push(message);
    let element;
    try {
      element = await fixture(html`<chat-stream persist="local" conversation-id=${id} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    } finally {
      console.warn = warn;
    }

    await element.send('hi');

    const aside = Object.keys(localStorage).filter((name) => name.startsWith(`${key(id)}:corrupt:`));
    assert.strictEqual(aside.length, 1);
    assert.include(warnings.join('\n'), `set aside under "${aside[0]}"`);
    assert.strictEqual(localStorage.getItem(aside[0]), '{"version":1,"messages":[{"id":');
    assert.strictEqual(JSON.parse(localStorage.getItem(key(id))).messages.length, 2);
    localStorage.removeItem(key(id));
    localStorage.removeItem(aside[0]);
  });

  it("reports another program's value under the key as a storage error, and never overwrites it", async () => {
    const id = newId('foreign');
    localStorage.setItem(key(id), '{"theme":"dark"}');
    const element = document.createElement('chat-stream');
    const errors = [];
    element.addEventListener('error', ({detail}) => errors.push(detail));
    Object.assign(element, {endpoint: endpoint('greeting'), token: 't', persist: 'local', conversationId: id});
    document.body.append(element);

    await element.send('hi');
    element.remove();

    assert.deepEqual([errors[0].kind, errors[0].code], ['storage', 'foreign_value']);
    assert.strictEqual(localStorage.getItem(key(id)), '{"theme":"dark"}');
    localStorage.removeItem(key(id));
  });

  it('switches conversations when conversation-id changes, aborting the answer in flight', async () => {
    const [first, second] = [newId('first'), newId('second')];
    localStorage.setItem(key(second), JSON.stringify({version: 1, messages: [{id: 's1', role: 'user', content: 'saved before', status: 'done', createdAt: 1}]}));
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${first} endpoint=${endpoint('slow')} token="t"></chat-stream>`);
    const pending = element.send('hi');
    await oneEvent(element, 'update');

    element.conversationId = second;
    const result = await pending;
    await element.updateComplete;

    assert.strictEqual(result.status, 'aborted');
    assert.deepEqual(contents(element), ['saved before']);
    assert.deepEqual(JSON.parse(localStorage.getItem(key(first))).messages.map(({content, status}) => [content, status]), [['hi', 'done'], ['first ', 'stopped']]);
    localStorage.removeItem(key(first));
    localStorage.removeItem(key(second));
  });

  it('keeps the conversation in sessionStorage with persist="session"', async () => {
    const id = newId('session');
    const element = await fixture(html`<chat-stream persist="session" conversation-id=${id} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);

    await element.send('hi');

    assert.strictEqual(JSON.parse(sessionStorage.getItem(key(id))).messages.length, 2);
    assert.isNull(localStorage.getItem(key(id)));
    sessionStorage.removeItem(key(id));
  });

  it('restores from an asynchronous storage adapter set as the storage property', async () => {
    const saved = [{id: 'q', role: 'user', content: 'from the server', status: 'done', createdAt: 1}];
    const storage = {load: async () => (await pause(30), saved), save: async () => {}};
    const element = await fixture(html`<chat-stream .storage=${storage} conversation-id="remote"></chat-stream>`);

    await waitFor(() => element.messages.length === 1, 'the conversation to load');
    await element.updateComplete;

    assert.deepEqual(contents(element), ['from the server']);
  });

  it('names a persist value it does not know in the console, and keeps nothing', async () => {
    const errors = [];
    const original = console.error;
    console.error = (message) => errors.push(String(message));
    try {
      await fixture(html`<chat-stream persist="indexeddb"></chat-stream>`);
    } finally {
      console.error = original;
    }

    assert.match(errors.join('\n'), /`persist` must be "local" or "session"/);
  });

  it(`uses messages set early as a start only: a reload does not add them again`, async () => {
    const id = newId('early');
    const body = `<chat-stream persist="local" conversation-id="${id}"></chat-stream><script>document.querySelector('chat-stream').messages = [{role: 'assistant', content: 'Welcome!'}];</script>`;
    const first = await openPage('', body);
    const before = first.messages.map((message) => message.content);
    const again = await reload(frames[0]);
    const after = again.messages.map((message) => message.content);
    localStorage.removeItem(key(id));
    assert.deepEqual(before, ['Welcome!']);
    assert.deepEqual(after, ['Welcome!']);
  });

  it(`writes nothing under the old id when persist and conversation-id change together`, async () => {
    const [a, b] = [newId('a'), newId('b')];
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${a} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    await element.send('hi');
    element.persist = 'session';
    element.conversationId = b;
    await element.updateComplete;
    await pause(20);
    const leaked = sessionStorage.getItem(key(a));
    localStorage.removeItem(key(a));
    sessionStorage.removeItem(key(a));
    sessionStorage.removeItem(key(b));
    assert.isNull(leaked);
  });

  it(`redraws in the other page an answer saved partial (page hidden) once it is whole`, async () => {
    const id = newId('tabs');
    const attrs = `persist="local" conversation-id="${id}" endpoint="${endpoint('greeting', {pace: 30})}" token="t"`;
    const left = await openPage(attrs);
    const right = await openPage(attrs);
    const pending = left.send('hi');
    await oneEvent(left, 'update');
    // left's page is hidden: saves the partial answer as stopped
    const doc = left.ownerDocument;
    Object.defineProperty(doc, 'visibilityState', {value: 'hidden', configurable: true});
    doc.dispatchEvent(new Event('visibilitychange'));
    delete doc.visibilityState;
    await waitFor(() => right.messages.length === 2, 'partial in right');
    await pending;
    await waitFor(() => right.messages[1]?.status === 'done', 'final in right');
    await right.updateComplete;
    localStorage.removeItem(key(id));
    assert.strictEqual(right.messages[1].content, GREETING_TEXT);
    assert.deepEqual(contents(right), ['hi', GREETING_TEXT]);
  });

  it(`shows an edit made in one page in the other`, async () => {
    const id = newId('edit');
    const attrs = `persist="local" conversation-id="${id}" endpoint="${endpoint('greeting')}" token="t"`;
    const left = await openPage(attrs);
    const right = await openPage(attrs);
    await left.send('hi');
    await waitFor(() => right.messages.length === 2 && right.messages[1].status === 'done', 'answer in right');
    const qid = left.messages[0].id;
    await left.session.edit(qid, 'edited');
    await waitFor(() => right.messages[0].content === 'edited' && right.messages[1]?.status === 'done', 'edit in right');
    await right.updateComplete;
    localStorage.removeItem(key(id));
    assert.deepEqual(contents(right), ['edited', GREETING_TEXT]);
  });

  for (const [name, act] of [
    ['clear()', (element) => element.clear()],
    ['messages =', (element) => (element.messages = [{role: 'user', content: 'other'}])],
    ['conversation-id', (element) => (element.conversationId = newId('other'))],
    ['session.load', (element) => element.session.load(newId('other'))],
  ]) {
    it(`fires no update for an answer aborted by ${name}`, async () => {
      const id = newId('first');
      const element = await fixture(html`<chat-stream persist="local" conversation-id=${id} endpoint=${endpoint('trickle')} token="t"></chat-stream>`);
      const pending = element.send('hi');
      // Let the answer render once so the next deltas are batched behind the interval.
      await oneEvent(element, 'update');
      await oneEvent(element.session, 'update');
      const late = [];
      element.addEventListener('update', ({detail}) => late.push(detail.delta));
      act(element);
      await pending;
      await pause(200);
      localStorage.removeItem(`chat-stream:${id}`);
      assert.deepEqual(late, []);
    });
  }
});

describe('<chat-stream persist> off the page', () => {
  it('keeps a conversation cleared in another tab cleared when the element comes back', async () => {
    const id = `rv-${Math.random().toString(36).slice(2)}`;
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${id} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    await element.send('hi');
    const parent = element.parentNode;
    element.remove();
    await pause(0);
    // another tab clears the conversation
    localStorage.removeItem(`chat-stream:${id}`);
    parent.append(element);
    await element.updateComplete;
    await pause(50);
    const stored = localStorage.getItem(`chat-stream:${id}`);
    localStorage.removeItem(`chat-stream:${id}`);
    assert.strictEqual(stored, null);
  });

  it('switches, merging nothing, when conversation-id changed while the element was off the page', async () => {
    const a = `rv-a-${Math.random().toString(36).slice(2)}`;
    const b = `rv-b-${Math.random().toString(36).slice(2)}`;
    localStorage.setItem(`chat-stream:${b}`, JSON.stringify({version: 1, messages: [{id: 'b1', role: 'user', content: 'in b', status: 'done', createdAt: 1}]}));
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${a} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    await element.send('in a');
    const parent = element.parentNode;
    element.remove();
    await pause(0);
    element.conversationId = b;
    await pause(20);
    const whileOff = element.session.options.storage;
    parent.append(element);
    await element.updateComplete;
    await pause(20);
    const storedB = JSON.parse(localStorage.getItem(`chat-stream:${b}`)).messages.map((message) => message.content);
    localStorage.removeItem(`chat-stream:${a}`);
    localStorage.removeItem(`chat-stream:${b}`);
    assert.deepEqual(storedB, ['in b']);
  });

  it('lets go of storage while off the page, whatever setting changes', async () => {
    const a = `rv-a-${Math.random().toString(36).slice(2)}`;
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${a} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    await element.send('in a');
    element.remove();
    await pause(0);
    const after = element.session.options.storage;
    element.token = 'new-token';
    await pause(20);
    const later = element.session.options.storage;
    // another tab changes the conversation: does the detached element's session react and write?
    localStorage.setItem(`chat-stream:${a}`, JSON.stringify({version: 1, messages: []}));
    window.dispatchEvent(new StorageEvent('storage', {key: `chat-stream:${a}`, storageArea: localStorage}));
    await pause(20);
    localStorage.removeItem(`chat-stream:${a}`);
    assert.strictEqual(later, 'none');
  });
});
