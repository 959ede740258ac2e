// <chat-stream> as a view over a ChatSession: one session shown by two elements, a session
// assigned later, and what the session changes without an element asking.
import {assert, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {ChatSession} from '../../src/core/index.ts';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {answerText, chat, endpoint, newProbe, pause, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

const contents = (element) => shadowAll(element, '[part="content"]').map((node) => node.textContent);
const button = (element, part) => shadow(element, `[part="${part}"]`);
const frames = [];
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

describe('<chat-stream> shares a session', () => {
  it('shows one session in two elements: an answer sent from one appears in both', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;

    await left.send('hi');
    await Promise.all([left.updateComplete, right.updateComplete]);
    await pause(0);

    const texts = (element) => shadowAll(element, '[part="content"]').map((node) => node.textContent);
    assert.deepEqual(texts(right), ['hi', GREETING_TEXT]);
    assert.deepEqual(texts(right), texts(left));
  });

  it('fires the session events on the element that shows it, whichever element sent', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;

    const [{detail}] = await Promise.all([oneEvent(right, 'done'), left.send('hi')]);

    assert.strictEqual(detail.text, GREETING_TEXT);
  });

  it('leaves a shared session running when one of its elements is removed', async () => {
    const [left, right] = await Promise.all([chat('greeting', {params: {pace: 20}}), chat('greeting')]);
    right.session = left.session;

    const pending = left.send('hi');
    right.remove();
    const result = await pending;

    assert.strictEqual(result.status, 'done');
  });

  it('rejects a session that is not a ChatSession, naming it', async () => {
    const element = await chat('greeting');

    assert.throws(() => (element.session = {}), /`session`/);
  });

  it('sends to the endpoint of the element whose attribute is set, through the shared session', async () => {
    const probe = newProbe();
    const left = await chat('greeting', {params: {probe}});
    const right = await fixture(html`<chat-stream></chat-stream>`);
    right.session = left.session;

    await right.session.send('hi');

    assert.strictEqual((await readProbe(probe)).requests, 1);
    assert.strictEqual(right.session.options.url, endpoint('greeting', {probe}));
  });

  it('keeps an assigned session where the element says (persist, conversation-id)', async () => {
    const id = `rv-${Math.random().toString(36).slice(2)}`;
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${id} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    const session = new ChatSession();
    element.session = session;
    await element.updateComplete;
    await element.send('hi');
    const stored = localStorage.getItem(`chat-stream:${id}`);
    localStorage.removeItem(`chat-stream:${id}`);
    assert.ok(stored, 'the assigned session keeps the conversation where the element says');
  });

  it('switches an assigned session when conversation-id changes, merging nothing', async () => {
    const [a, b] = [`rva-${Math.random().toString(36).slice(2)}`, `rvb-${Math.random().toString(36).slice(2)}`];
    localStorage.setItem(`chat-stream:${b}`, JSON.stringify({version: 1, messages: [{id: 's1', role: 'user', content: 'in b', status: 'done', createdAt: 1}]}));
    const element = await fixture(html`<chat-stream persist="local" conversation-id=${a} endpoint=${endpoint('greeting')} token="t"></chat-stream>`);
    element.session = new ChatSession({storage: 'local', id: a, url: endpoint('greeting'), token: 't'});
    await element.send('in a');
    element.conversationId = b;
    await element.updateComplete;
    await pause(50);
    const messagesB = JSON.parse(localStorage.getItem(`chat-stream:${b}`)).messages.map((message) => message.content);
    localStorage.removeItem(`chat-stream:${a}`);
    localStorage.removeItem(`chat-stream:${b}`);
    assert.deepEqual(element.messages.map((message) => message.content), ['in b']);
    assert.deepEqual(messagesB, ['in b']);
  });

  it('lets the page hear each event once when two elements show one session', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;
    let count = 0;
    const listener = () => count++;
    document.addEventListener('done', listener);
    await left.send('hi');
    await pause(100);
    document.removeEventListener('done', listener);
    assert.strictEqual(count, 1);
  });

  it('applies the endpoint attribute to an assigned session at once', async () => {
    const element = await chat('greeting');
    element.session = new ChatSession();
    await element.updateComplete;
    const result = await element.session.send('hi').catch((error) => error);
    assert.notInstanceOf(result, TypeError, String(result));
  });

  it('keeps focus on the same rating button when another view adds a turn', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;
    await left.send('hi');
    await right.updateComplete;
    const up = button(right, 'feedback-up-button');
    up.focus();
    await left.send('again');
    await right.updateComplete;
    const focused = right.shadowRoot.activeElement;
    assert.strictEqual(focused?.getAttribute('aria-label'), 'Good answer', `focus is now on ${focused?.getAttribute('aria-label')}`);
  });

  it('gives the typed text back to the view that sent when another view cancels the request', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;
    right.addEventListener('request', (event) => event.preventDefault());
    const input = shadow(left, '[part="input"]');
    input.value = 'typed';
    shadow(left, '[part="send-button"]').click();
    await pause(100);
    assert.strictEqual(input.value, 'typed');
  });

  it('stops the answer of its own session when given another one', async () => {
    const element = await chat('slow');
    const own = element.session;
    const pending = own.send('hi').catch(() => {});
    await oneEvent(own, 'update');
    element.session = new ChatSession();
    await pause(20);
    const still = own.streaming;
    own.stop();
    await pending;
    assert.isFalse(still);
  });

  it('redraws messages set again with the same ids and new text', async () => {
    const element = await fixture(html`<chat-stream></chat-stream>`);
    element.messages = [{id: 'a', role: 'user', content: 'x', status: 'done', createdAt: 1}, {id: 'b', role: 'assistant', content: 'old answer', status: 'done', createdAt: 2}];
    await element.updateComplete;
    element.messages = [{id: 'a', role: 'user', content: 'y', status: 'done', createdAt: 1}, {id: 'b', role: 'assistant', content: 'new answer', status: 'done', createdAt: 2}];
    await element.updateComplete;
    assert.deepEqual(contents(element), ['y', 'new answer']);
  });

  for (const [scenario, params] of [['greeting', {}], ['completion', {}], ['long', {}], ['greeting', {split: 'bytes', pace: 5}]]) {
    it(`sees the finished answer (Send, its actions, no streaming) in done listeners of both views: ${scenario} ${JSON.stringify(params)}`, async () => {
      const [left, right] = await Promise.all([chat(scenario, {params}), chat(scenario, {params})]);
      right.session = left.session;
      await right.updateComplete;
      const seen = [];
      for (const element of [left, right]) element.addEventListener('done', () => {
        const answer = shadowAll(element, '[part~="assistant"]').at(-1);
        seen.push([answer?.dataset.status, Boolean(answer?.querySelector('[part="copy-answer-button"]')), shadow(element, '[part="send-button"]').textContent.trim(), element.hasAttribute('streaming'), element.streaming]);
      });
      await left.send('hi');
      await pause(50);
      assert.deepEqual(seen, [['done', true, 'Send', false, false], ['done', true, 'Send', false, false]]);
    });
  }

  for (const [scenario, params, attrs] of [
    ['greeting', {}, ''],
    ['greeting', {split: 'bytes'}, ''],
    ['completion', {}, ''],
    ['greeting', {}, 'no-markdown='],
    ['long', {}, ''],
  ]) {
    it(`has the whole answer drawn when done fires, in both views: ${scenario} ${JSON.stringify(params)} ${attrs}`, async () => {
      const [left, right] = await Promise.all([chat(scenario, {params, attributes: attrs}), chat(scenario, {params, attributes: attrs})]);
      right.session = left.session;
      await right.updateComplete;
      const seen = [];
      for (const element of [left, right]) {
        element.addEventListener('done', ({detail}) => seen.push([answerText(element)?.replace(/\s+/g, '').length, detail.text.replace(/\s+/g, '').length, element.hasAttribute('streaming')]));
      }
      await left.send('hi');
      await pause(50);
      assert.strictEqual(seen.length, 2);
      for (const [drawn, text] of seen) assert.isAtLeast(drawn, text - 5);
      assert.isFalse(left.hasAttribute('streaming'));
      assert.isFalse(right.hasAttribute('streaming'));
    });
  }

  it(`uses a session set before the element is defined`, async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><chat-stream></chat-stream><script type="module">
      import {ChatSession} from '/src/core/index.ts';
      const s = new ChatSession({messages: [{role: 'user', content: 'from early session'}]});
      document.querySelector('chat-stream').session = s;
      window.early = s;
      await import('/src/chat-stream.ts');
    </script>`;
    document.body.append(frame);
    frames.push(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
    await frame.contentWindow.customElements.whenDefined('chat-stream');
    const element = frame.contentDocument.querySelector('chat-stream');
    await element.updateComplete;
    assert.deepEqual(element.messages.map((message) => message.content), ['from early session']);
  });
});

describe('<chat-stream> events reach the page once', () => {
  it('lets update reach the page once when two elements show one session', async () => {
    const [left, right] = await Promise.all([chat('greeting', {params: {pace: 20}}), chat('greeting')]);
    right.session = left.session;
    const seen = {update: 0, done: 0};
    const count = (event) => seen[event.type]++;
    document.addEventListener('update', count);
    document.addEventListener('done', count);
    let onLeft = 0;
    left.addEventListener('update', () => onLeft++);
    await left.send('hi');
    await pause(100);
    document.removeEventListener('update', count);
    document.removeEventListener('done', count);
    assert.strictEqual(seen.update, onLeft);
  });

  it('lets events reach the page once when the element that bubbled them is removed', async () => {
    const [a, b, c] = await Promise.all([chat('greeting'), chat('greeting'), chat('greeting')]);
    const session = new ChatSession({url: endpoint('greeting'), token: 't'});
    for (const element of [a, b, c]) element.session = session;
    a.remove();
    await pause(0);
    let count = 0;
    const listener = () => count++;
    document.addEventListener('done', listener);
    await session.send('hi');
    await pause(200);
    document.removeEventListener('done', listener);
    assert.strictEqual(count, 1);
  });

  it('lets events reach the page once when a detached element sends through a shared session', async () => {
    const shown = await chat('greeting');
    const detached = document.createElement('chat-stream');
    detached.session = shown.session;
    let count = 0;
    const listener = () => count++;
    document.addEventListener('done', listener);
    await detached.send('hi');
    await pause(100);
    document.removeEventListener('done', listener);
    assert.strictEqual(count, 1);
  });

  it('undoes a request that a request listener cancels and sends anew', async () => {
    const element = await chat('greeting');
    let n = 0;
    element.addEventListener('request', (event) => {
      if (n++ === 0) {
        event.preventDefault();
        element.session.send('rewritten');
      }
    });
    const input = shadow(element, '[part="input"]');
    input.value = 'original';
    shadow(element, '[part="form"]').requestSubmit();
    await waitFor(() => element.session.status === 'idle' && element.messages.length > 0, 'idle');
    await pause(50);
    assert.deepEqual(element.messages.map((message) => message.content), ['rewritten', GREETING_TEXT]);
  });
});
