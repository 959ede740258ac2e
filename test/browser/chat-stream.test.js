// <chat-stream> in Chromium, against the scenarios served over real HTTP by
// test/fixtures/server.js (web-test-runner middleware).
import {assert, fixture, html, oneEvent} from '@open-wc/testing';
import {emulateMedia} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {ChatStream} from '../../src/chat-stream-element.ts';
import {CODE_BLOCK_SOURCE, GREETING_TEXT, LINES_TEXT, XSS_TEXT} from '../fixtures/scenarios.js';
import {answerText, chat, endpoint, newProbe, nextFrame, pause, readProbe, serverSawClose, shadow, shadowAll, waitFor} from './helpers.js';

/** What `timing` says of a request, in `done` and `error`. */
const TIMING_KEYS = ['firstByteMs', 'totalMs', 'chunks', 'longestGapMs', 'retries', 'resumed'];

describe('<chat-stream> attributes', () => {
  it('POSTs to endpoint with the token as a Bearer Authorization header', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});

    await element.send('hi');

    const seen = await readProbe(probe);
    assert.strictEqual(seen.method, 'POST');
    assert.strictEqual(seen.headers.authorization, 'Bearer test-token');
  });

  it('sends the raw token in the header token-header names', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, attributes: 'token-header=token'});

    await element.send('hi');

    const {headers} = await readProbe(probe);
    assert.strictEqual(headers.token, 'test-token');
    assert.strictEqual(headers.authorization, undefined);
  });

  it('sends model in the body when set, and stream: true', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, attributes: 'model=gpt-demo'});

    await element.send('hi');

    const body = JSON.parse((await readProbe(probe)).body);
    assert.strictEqual(body.model, 'gpt-demo');
    assert.strictEqual(body.stream, true);
  });

  it('leaves model out of the body when not set', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});

    await element.send('hi');

    assert.notProperty(JSON.parse((await readProbe(probe)).body), 'model');
  });

  it('places system first in messages', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    element.setAttribute('system', 'Be brief.');

    await element.send('hi');

    assert.deepEqual(JSON.parse((await readProbe(probe)).body).messages, [
      {role: 'system', content: 'Be brief.'},
      {role: 'user', content: 'hi'},
    ]);
  });

  it('sends without a token when no-token is set', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, token: '', attributes: 'no-token='});

    const result = await element.send('hi');

    assert.strictEqual(result.status, 'done');
    assert.strictEqual((await readProbe(probe)).headers.authorization, undefined);
  });

  it('streams an NDJSON answer (Ollama) and a plain text one with format auto', async () => {
    const ndjson = await chat('ollama');
    const text = await chat('plain-text', {params: {split: 'hostile', pace: '1'}});

    const results = [await ndjson.send('hi'), await text.send('hi')];
    await Promise.all([ndjson.updateComplete, text.updateComplete]);

    assert.deepEqual(results.map((result) => result.format), ['ndjson', 'text']);
    assert.deepEqual([answerText(ndjson), answerText(text)], [GREETING_TEXT, GREETING_TEXT]);
  });

  it("streams Anthropic's and OpenAI Responses' streams with format auto, and notes their length limits", async () => {
    const anthropic = await chat('anthropic', {params: {split: 'hostile', pace: '1'}});
    const cut = await chat('anthropic-max-tokens');
    const incomplete = await chat('responses-incomplete');

    await Promise.all([anthropic.send('hi'), cut.send('hi'), incomplete.send('hi')]);
    await Promise.all([anthropic.updateComplete, cut.updateComplete, incomplete.updateComplete]);

    assert.strictEqual(answerText(anthropic), GREETING_TEXT);
    for (const element of [cut, incomplete]) {
      assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), 'Cut short: the answer reached its length limit.');
    }
  });

  it('reads answers in the format the format attribute names', async () => {
    const element = await chat('ollama-whole', {attributes: 'format=ndjson'});

    const result = await element.send('hi');

    assert.deepEqual([result.status, result.text], ['done', 'Not streamed']);
  });

  it('reads a backend of its own through the text-path, error-path and done-path attributes', async () => {
    const [dify, failing] = [await chat('dify', {params: {split: 'bytes', pace: '1'}}), await chat('dify-error')];
    for (const element of [dify, failing]) {
      element.setAttribute('text-path', 'answer');
      element.setAttribute('error-path', 'event=error');
    }

    const [done, error] = [await dify.send('hi'), await failing.send('hi')];
    await failing.updateComplete;

    assert.deepEqual([done.status, done.text, answerText(dify)], ['done', GREETING_TEXT, GREETING_TEXT]);
    assert.deepEqual([error.status, error.error.message, answerText(failing)], ['error', 'Model is not configured', 'partial ']);
  });

  it('sends the body the format attribute names, with max-tokens', async () => {
    const probe = newProbe();
    const element = await chat('anthropic', {params: {probe}, attributes: 'format=anthropic max-tokens=300 model=claude-x system=Brief'});

    await element.send('hi');

    assert.deepEqual(JSON.parse((await readProbe(probe)).body), {max_tokens: 300, model: 'claude-x', stream: true, system: 'Brief', messages: [{role: 'user', content: 'hi'}]});
  });

  it("talks to a route written with the AI SDK itself: UI messages out, its UI message stream in", async () => {
    const element = await fixture(html`<chat-stream endpoint="/ai-sdk/ui?split=hostile&pace=1" format="ai-sdk" no-token></chat-stream>`);

    const result = await element.send('你好');
    await element.updateComplete;

    assert.deepEqual([result.status, result.format, result.finishReason], ['done', 'ai-sdk', 'stop']);
    // The route's mock model echoes the question (test/fixtures/ai-sdk-server.js, which imports the SDK: Node only).
    assert.strictEqual(answerText(element), '你好，世界 👋 你说：「你好」');
  });

  it('takes an adapter as its format property', async () => {
    const element = await chat('unknown-shape');
    element.format = {name: 'output', read: ({data}, answer) => (data === '[DONE]' ? 'end' : answer.add(JSON.parse(data).output))};

    const result = await element.send('hi');
    await element.updateComplete;

    assert.deepEqual([result.format, answerText(element)], ['output', 'Hello there']);
  });

  it('rejects send() with a format it does not know, naming it', async () => {
    const element = await chat('greeting', {attributes: 'format=soap'});

    const error = await element.send('hi').catch((reason) => reason);

    assert.instanceOf(error, TypeError);
    assert.include(error.message, '`format`');
  });

  it('shows placeholder in the input', async () => {
    const element = await chat('greeting');
    element.setAttribute('placeholder', 'Ask away');
    await element.updateComplete;

    assert.strictEqual(shadow(element, '[part="input"]').placeholder, 'Ask away');
  });
});

describe('<chat-stream> properties', () => {
  it('renders messages set as a property and reads them back', async () => {
    const element = await chat('greeting');
    const messages = [
      {role: 'user', content: 'Q1'},
      {role: 'assistant', content: 'A1'},
    ];

    element.messages = messages;
    await element.updateComplete;

    assert.deepEqual(element.messages.map(({role, content}) => ({role, content})), messages);
    assert.deepEqual(element.messages.map((message) => message.status), ['done', 'done']);
    assert.deepEqual(
      shadowAll(element, '[part="content"]').map((node) => node.textContent),
      ['Q1', 'A1'],
    );
  });

  it('rejects messages that are not {role, content} with a message naming the entry', async () => {
    const element = await chat('greeting');

    assert.throws(() => (element.messages = [{role: 'user', content: 'ok'}, {role: 'user'}]), /messages\[1\]/);
  });

  it('sends the whole conversation as messages, finished answers included', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    await element.send('first');

    await element.send('second');

    assert.deepEqual(JSON.parse((await readProbe(probe)).body).messages, [
      {role: 'user', content: 'first'},
      {role: 'assistant', content: GREETING_TEXT},
      {role: 'user', content: 'second'},
    ]);
  });

  it('sends the headers property and merges extraBody into the body', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    element.headers = {'X-Team': 'blue'};
    element.extraBody = {temperature: 0.2};

    await element.send('hi');

    const seen = await readProbe(probe);
    assert.strictEqual(seen.headers['x-team'], 'blue');
    assert.strictEqual(JSON.parse(seen.body).temperature, 0.2);
  });

  it('reflects streaming as an attribute while an answer streams', async () => {
    const element = await chat('slow');

    const pending = element.send('hi');
    await oneEvent(element, 'update');

    assert.isTrue(element.streaming);
    assert.isTrue(element.hasAttribute('streaming'));
    element.stop();
    await pending;
    assert.isFalse(element.streaming);
    assert.isFalse(element.hasAttribute('streaming'));
  });

  it('renders message text through the messageView property', async () => {
    const element = await chat('greeting');
    const appended = [];
    element.messageView = (container) => ({
      append: (delta) => (appended.push(delta), container.append(delta.toUpperCase())),
      replace: (text) => container.replaceChildren(text.toUpperCase()),
    });

    await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(answerText(element), GREETING_TEXT.toUpperCase());
    assert.strictEqual(appended.join(''), GREETING_TEXT);
  });

  it('never writes a token set as a property to an attribute', async () => {
    const element = await chat('greeting', {token: ''});
    element.removeAttribute('token');

    element.token = 'secret';
    await element.updateComplete;

    assert.isFalse(element.hasAttribute('token'));
  });
});

describe('<chat-stream> methods', () => {
  it('send() resolves with the ChatResult and shows the answer', async () => {
    const element = await chat('greeting');

    const result = await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(result.status, 'done');
    assert.strictEqual(result.text, GREETING_TEXT);
    assert.strictEqual(answerText(element), GREETING_TEXT);
  });

  it('send() rejects an empty text with a message that names it', async () => {
    const element = await chat('greeting');

    const error = await element.send('  ').catch((reason) => reason);

    assert.instanceOf(error, TypeError);
    assert.match(error.message, /non-empty string/);
  });

  it('send() without an endpoint rejects with a message that names it', async () => {
    const element = await fixture(html`<chat-stream token="t"></chat-stream>`);

    const error = await element.send('hi').catch((reason) => reason);

    assert.match(error.message, /`endpoint`/);
  });

  it('stop() aborts the request, keeps the partial answer as stopped and fires stop', async () => {
    const probe = newProbe();
    const element = await chat('slow', {params: {probe}});
    const pending = element.send('hi');
    await oneEvent(element, 'update');

    const stopped = oneEvent(element, 'stop');
    element.stop();
    const {detail} = await stopped;
    const result = await pending;
    await element.updateComplete;

    assert.deepEqual(detail, {messageId: element.messages.at(-1).id, text: 'first '});
    assert.strictEqual(result.status, 'aborted');
    assert.strictEqual(answerText(element), 'first ');
    assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), 'Stopped');
    await serverSawClose(probe);
  });

  it('stop() fires no update after it began, and one stop', async () => {
    const element = await chat('trickle');
    const pending = element.send('hi');
    await waitFor(() => answerText(element)?.includes('late'), 'some streamed text');
    let stopping = false;
    let updatesAfterStop = 0;
    let stops = 0;
    element.addEventListener('update', () => {
      if (stopping) updatesAfterStop++;
      element.stop();
    });
    element.addEventListener('stop', () => stops++);

    await new Promise((resolve) => setTimeout(resolve, 45));
    stopping = true;
    element.stop();
    await pending;

    assert.strictEqual(updatesAfterStop, 0);
    assert.strictEqual(stops, 1);
    assert.isFalse(element.streaming);
  });

  it('clear() empties the conversation and shows the empty state', async () => {
    const element = await chat('greeting');
    await element.send('hi');

    element.clear();
    await element.updateComplete;

    assert.deepEqual(element.messages, []);
    assert.strictEqual(shadowAll(element, '[part~="message"]').length, 0);
    assert.ok(shadow(element, 'slot[name="empty"]'));
  });
});

describe('<chat-stream> events', () => {
  it('fires a cancelable request event; cancelling sends nothing', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    element.addEventListener('request', (event) => event.preventDefault());

    const result = await element.send('hi');

    assert.strictEqual(result.status, 'aborted');
    assert.strictEqual((await readProbe(probe)).requests, 0);
    assert.deepEqual(element.messages, []);
  });

  it('lets request listeners change the body and headers', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    element.addEventListener('request', ({detail}) => {
      detail.body.user = 'u-42';
      detail.headers['X-Request-Id'] = 'r-1';
    });

    await element.send('hi');

    const seen = await readProbe(probe);
    assert.strictEqual(JSON.parse(seen.body).user, 'u-42');
    assert.strictEqual(seen.headers['x-request-id'], 'r-1');
  });

  it('fires update as the answer streams, with the text so far', async () => {
    const element = await chat('greeting', {params: {split: 'hostile', pace: '1'}});
    const updates = [];
    element.addEventListener('update', ({detail}) => updates.push(detail));

    await element.send('hi');

    assert.isAbove(updates.length, 1);
    assert.strictEqual(updates.map((update) => update.delta).join(''), GREETING_TEXT);
    assert.strictEqual(updates.at(-1).text, GREETING_TEXT);
  });

  it('fires one update per frame, not one per chunk', async () => {
    const element = await chat('long');
    const updates = [];
    element.addEventListener('update', ({detail}) => updates.push(detail));

    const result = await element.send('hi');

    assert.isAtMost(updates.length, 10, '120 chunks in one network write');
    assert.strictEqual(updates.map((update) => update.delta).join(''), result.text);
  });

  it('fires done with text, finishReason, id, messages, sensitive, reasoning and how the request went', async () => {
    const element = await chat('greeting');

    const [{detail}] = await Promise.all([oneEvent(element, 'done'), element.send('hi')]);

    const {timing, ...rest} = detail;
    assert.hasAllKeys(timing, TIMING_KEYS);
    assert.deepEqual(rest, {
      messageId: element.messages.at(-1).id,
      text: GREETING_TEXT,
      finishReason: 'stop',
      id: 'chatcmpl-42',
      messages: [
        {role: 'user', content: 'hi'},
        {role: 'assistant', content: GREETING_TEXT},
      ],
      sensitive: null,
      toolCalls: [],
      usage: null,
      buffered: false,
      reasoning: '',
      reasoningMs: null,
    });
  });

  it('reports the moderation block in done.sensitive and shows filteredText', async () => {
    const element = await chat('moderation');

    const [{detail}] = await Promise.all([oneEvent(element, 'done'), element.send('hi')]);
    await element.updateComplete;

    assert.deepEqual(detail.sensitive, {code: 10013});
    assert.strictEqual(answerText(element), '抱歉，这个问题无法回答。');
  });

  it('fires error with kind, code, message, the partial text, which stays visible, and how the request went', async () => {
    const element = await chat('stream-error');

    const [{detail}] = await Promise.all([oneEvent(element, 'error'), element.send('hi')]);
    await element.updateComplete;

    const {timing, ...rest} = detail;
    assert.hasAllKeys(timing, TIMING_KEYS);
    assert.deepEqual(rest, {messageId: element.messages.at(-1).id, kind: 'stream', code: 'rate_limit_exceeded', message: 'Rate limit reached', text: 'partial ', buffered: false});
    assert.strictEqual(answerText(element), 'partial ');
    assert.include(shadow(element, '[part="error"]').textContent, 'Rate limit reached');
  });

  it('never lets error reach window error listeners', async () => {
    const element = await chat('http-500-json');
    const seenByWindow = [];
    const listener = (event) => seenByWindow.push(event);
    window.addEventListener('error', listener);
    const previous = window.onerror;
    window.onerror = () => seenByWindow.push('onerror');

    try {
      await Promise.all([oneEvent(element, 'error'), element.send('hi')]);
    } finally {
      window.removeEventListener('error', listener);
      window.onerror = previous;
    }

    assert.deepEqual(seenByWindow, []);
  });

  it('fires login-required (missing-token), sends nothing and shows the login slot', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, token: ''});

    const [{detail}] = await Promise.all([oneEvent(element, 'login-required'), element.send('hi')]);
    await element.updateComplete;

    assert.deepEqual(detail, {reason: 'missing-token', text: 'hi'});
    assert.strictEqual((await readProbe(probe)).requests, 0);
    assert.isFalse(shadow(element, '[part="login"]').hidden);
  });

  it('fires login-required (unauthorized) on 401, and no error', async () => {
    const element = await chat('http-401');
    let errors = 0;
    element.addEventListener('error', () => errors++);

    const [{detail}] = await Promise.all([oneEvent(element, 'login-required'), element.send('hi')]);
    await element.updateComplete;

    assert.deepEqual(detail, {reason: 'unauthorized', text: 'hi'});
    assert.strictEqual(errors, 0);
    assert.isFalse(shadow(element, '[part="login"]').hidden);
    assert.isNull(shadow(element, '[part="error"]'));
  });

  it('shows the page content slotted into login', async () => {
    const element = await fixture(html`<chat-stream endpoint="/sse/greeting"><a slot="login" href="/login">Sign in</a></chat-stream>`);

    await element.send('hi');
    await element.updateComplete;

    const slot = shadow(element, 'slot[name="login"]');
    assert.strictEqual(slot.assignedElements()[0].textContent, 'Sign in');
    assert.isFalse(shadow(element, '[part="login"]').hidden);
  });
});

describe('<chat-stream> lifecycle', () => {
  it('shows the waiting state before the first byte', async () => {
    const element = await chat('greeting', {params: {delay: '300'}});

    const pending = element.send('hi');
    await element.updateComplete;

    assert.ok(shadow(element, '[part~="assistant"] .waiting'));
    await pending;
    await element.updateComplete;
    assert.isNull(shadow(element, '.waiting'));
  });

  it('shows text before the stream ends', async () => {
    const element = await chat('slow');

    const pending = element.send('hi');
    await oneEvent(element, 'update');
    await nextFrame();
    await nextFrame();

    assert.strictEqual(answerText(element), 'first ');
    assert.isTrue(element.streaming);
    element.stop();
    await pending;
  });

  it('aborts the request when removed from the page, and fires nothing after', async () => {
    const probe = newProbe();
    const element = await chat('trickle', {params: {probe}});
    const events = [];
    for (const type of ['done', 'error', 'stop', 'update', 'login-required']) element.addEventListener(type, () => events.push(type));
    const pending = element.send('hi');
    await oneEvent(element, 'update');
    events.length = 0;

    element.remove();
    const result = await pending;
    await serverSawClose(probe);
    await new Promise((resolve) => setTimeout(resolve, 100));

    assert.strictEqual(result.status, 'aborted');
    assert.deepEqual(events, []);
  });

  it('a new send stops the answer in flight first, and its late chunks are dropped', async () => {
    const probe = newProbe();
    const element = await chat('trickle', {params: {probe}});
    const first = element.send('one');
    await waitFor(() => answerText(element)?.includes('late'), 'late chunks of the first answer');
    const stopped = oneEvent(element, 'stop');
    const updates = [];
    element.endpoint = endpoint('greeting');

    const secondPending = element.send('two');
    element.addEventListener('update', ({detail}) => updates.push(detail.text));
    const {detail: stop} = await stopped;
    const second = await secondPending;
    await first;
    await serverSawClose(probe);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await element.updateComplete;

    assert.strictEqual(second.status, 'done');
    assert.isTrue(updates.every((text) => GREETING_TEXT.startsWith(text)), 'no update of the first answer after the new send');
    const answers = shadowAll(element, '[part~="assistant"] [part="content"]').map((node) => node.textContent);
    assert.deepEqual(answers, [stop.text, GREETING_TEXT]);
    assert.deepEqual(element.messages.map((message) => message.content), ['one', stop.text, 'two', GREETING_TEXT]);
  });

  it('Retry resends the last user message once', async () => {
    const probe = newProbe();
    const element = await chat('stream-error', {params: {probe}});
    await element.send('hi');
    await element.updateComplete;
    element.endpoint = endpoint('greeting', {probe});

    const done = oneEvent(element, 'done');
    shadow(element, '[part="retry-button"]').click();
    await done;

    assert.strictEqual((await readProbe(probe)).requests, 2);
    assert.deepEqual(JSON.parse((await readProbe(probe)).body).messages, [{role: 'user', content: 'hi'}]);
    assert.deepEqual(element.messages.map((message) => message.role), ['user', 'assistant']);
  });
});

describe('<chat-stream> keeps what the user did', () => {
  /** An element whose answer to "hi" failed, showing Retry. */
  async function failedAnswer() {
    const element = await chat('stream-error');
    await element.send('hi');
    await element.updateComplete;
    return element;
  }

  /** Presses Retry on a failed answer, the retry going to `scenario`; resolves at `eventName`. */
  async function retryTo(scenario, eventName) {
    const element = await failedAnswer();
    element.endpoint = endpoint(scenario);
    const event = oneEvent(element, eventName);
    shadow(element, '[part="retry-button"]').click();
    await event;
    return element;
  }

  it('keeps focus on the one Send button as it becomes Stop and Send again', async () => {
    const element = await chat('greeting', {params: {pace: 20}});
    const button = shadow(element, '[part="send-button"]');
    button.focus();

    const done = oneEvent(element, 'done');
    await element.send('hi');
    await done;
    await element.updateComplete;

    assert.strictEqual(shadow(element, '[part="send-button"]'), button);
    assert.strictEqual(element.shadowRoot.activeElement, button);
  });

  it('stops from the Stop button without submitting the form', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe, delay: 3000}});
    element.send('hi');
    // The request is out (the server holds its answer back): a busy machine may take a while.
    await waitFor(async () => (await readProbe(probe)).requests === 1, 'the request to arrive');
    const stopped = oneEvent(element, 'stop');

    shadow(element, '[part="send-button"]').click();
    await stopped;
    await element.updateComplete;

    assert.strictEqual((await readProbe(probe)).requests, 1);
    assert.strictEqual(shadow(element, '[part="send-button"]').textContent.trim(), 'Send');
  });

  it('moves focus to the input when Retry, which goes with the failed answer, is pressed', async () => {
    const element = await retryTo('greeting', 'done');

    assert.strictEqual(element.shadowRoot.activeElement, shadow(element, 'textarea'));
  });

  it('keeps the question and its failed answer when a request listener cancels Retry', async () => {
    const element = await failedAnswer();
    element.addEventListener('request', (event) => event.preventDefault());

    shadow(element, '[part="retry-button"]').click();
    await element.updateComplete;

    assert.deepEqual(element.messages.map(({content, status}) => [content, status]), [['hi', 'done'], ['partial ', 'error']]);
    assert.ok(shadow(element, '[part="retry-button"]'));
  });

  it('keeps the failed pair when Retry meets a 401, and leaves the input alone', async () => {
    const element = await retryTo('http-401', 'login-required');

    assert.deepEqual(element.messages.map(({content, status}) => [content, status]), [['hi', 'done'], ['partial ', 'error']]);
    assert.strictEqual(shadow(element, 'textarea').value, '');
  });

  it('gives a typed text back to the input when there is no endpoint to send it to', async () => {
    const element = await fixture(html`<chat-stream token="t"></chat-stream>`);
    const input = shadow(element, 'textarea');
    input.value = 'keep me';
    const original = console.error;
    console.error = () => {};

    try {
      shadow(element, 'form').requestSubmit();
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      console.error = original;
    }

    assert.strictEqual(input.value, 'keep me');
  });

  it('takes a conversation set before the element was defined', async () => {
    const element = document.createElement('chat-stream-early');
    element.messages = [{role: 'user', content: 'saved'}, {role: 'assistant', content: 'answer'}];
    document.body.append(element);

    customElements.define('chat-stream-early', class extends ChatStream {});
    await element.updateComplete;

    assert.deepEqual(element.messages.map((message) => message.content), ['saved', 'answer']);
    assert.strictEqual(shadowAll(element, '[part~="message"]').length, 2);
    element.remove();
  });

  it('keeps the waiting indicator while only reasoning arrives, and fires update for it', async () => {
    const element = await chat('reasoning', {params: {split: 'every-40', pace: 30}});
    const updates = [];
    element.addEventListener('update', ({detail}) => updates.push({...detail}));

    const done = oneEvent(element, 'done');
    element.send('hi');
    await waitFor(() => updates.length > 0, 'an update');
    const waiting = shadow(element, '[part~="assistant"] .waiting');
    await done;

    assert.ok(waiting, 'the waiting indicator is still shown');
    assert.deepEqual([updates[0].delta, updates[0].text, updates[0].reasoning], ['', '', 'Think ']);
  });
});

describe('<chat-stream> rejects bad inputs by name', () => {
  for (const [property, value] of [
    ['headers', 'X-Team: blue'],
    ['headers', new Headers({'X-Team': 'blue'})],
    ['extraBody', '{"temperature":0.2}'],
    ['extraBody', [1, 2]],
  ]) {
    it(`rejects send() when ${property} is ${Object.prototype.toString.call(value)}`, async () => {
      const element = await chat('greeting');
      element[property] = value;

      const error = await element.send('hi').catch((thrown) => thrown);

      assert.instanceOf(error, TypeError);
      assert.include(error.message, `\`${property}\``);
    });
  }

  it('names the hole in a sparse messages array', async () => {
    const element = await chat('greeting');

    assert.throws(() => (element.messages = [, {role: 'user', content: 'x'}]), TypeError, 'messages[0]');
  });
});

describe('<chat-stream> scrolling', () => {
  const atBottom = (log) => log.scrollHeight - log.scrollTop - log.clientHeight < 2;

  it('follows the newest text', async () => {
    const element = await chat('long', {params: {split: 'every-400', pace: '10'}});

    await element.send('hi');
    await nextFrame();

    const log = shadow(element, '[part="log"]');
    assert.isAbove(log.scrollHeight, log.clientHeight * 2);
    assert.isTrue(atBottom(log));
  });

  it('follows the newest text to the end of an answer of many pages of blocks', async () => {
    const element = await chat('paragraphs', {params: {split: 'every-400', pace: '10'}});

    await element.send('hi');
    // The frame after the answer's end lays out its actions, and only then follows them.
    await nextFrame();
    await nextFrame();

    const log = shadow(element, '[part="log"]');
    assert.isAbove(log.scrollHeight, log.clientHeight * 10);
    assert.isTrue(atBottom(log), `${log.scrollHeight - log.scrollTop - log.clientHeight} px above the end`);
    assert.include(log.textContent, 'Paragraph 400 of a long answer');
  });

  it('stays where the reader scrolled up to', async () => {
    const element = await chat('long', {params: {split: 'every-400', pace: '30'}});
    const pending = element.send('hi');
    const log = shadow(element, '[part="log"]');
    await waitFor(() => log.scrollHeight > log.clientHeight + 100, 'the answer to overflow');

    log.scrollTop = 0;
    await oneEvent(log, 'scroll');
    await pending;
    await nextFrame();

    assert.isAbove(log.scrollHeight, log.clientHeight * 2);
    assert.strictEqual(log.scrollTop, 0);
  });
});

describe('<chat-stream> input', () => {
  const type = async (element, text) => {
    const input = shadow(element, '[part="input"]');
    input.value = text;
    input.dispatchEvent(new Event('input'));
    return input;
  };
  const press = (input, init) => input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true, composed: true, ...init}));

  it('sends on Enter and empties the input', async () => {
    const element = await chat('greeting');
    await element.updateComplete;
    const input = await type(element, 'hello');

    const done = oneEvent(element, 'done');
    press(input);
    await done;
    await element.updateComplete;

    assert.deepEqual([element.messages[0].role, element.messages[0].content], ['user', 'hello']);
    assert.strictEqual(input.value, '');
  });

  it('does not send on Shift+Enter or while an IME composes', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    await element.updateComplete;
    const input = await type(element, '你好');

    press(input, {shiftKey: true});
    press(input, {isComposing: true});
    await new Promise((resolve) => setTimeout(resolve, 50));

    assert.strictEqual((await readProbe(probe)).requests, 0);
  });

  it('turns Send into Stop while streaming, and Stop stops', async () => {
    const element = await chat('slow');
    await element.updateComplete;
    const pending = element.send('hi');
    await oneEvent(element, 'update');
    await element.updateComplete;
    const button = shadow(element, '[part="send-button"]');

    assert.strictEqual(button.textContent.trim(), 'Stop');
    const stopped = oneEvent(element, 'stop');
    button.click();
    await stopped;
    await pending;
    await element.updateComplete;
    assert.strictEqual(shadow(element, '[part="send-button"]').textContent.trim(), 'Send');
  });

  it('gives the text back to the input when login is required', async () => {
    const element = await chat('greeting', {token: ''});
    await element.updateComplete;
    const input = await type(element, 'keep me');

    const required = oneEvent(element, 'login-required');
    press(input);
    await required;
    await element.updateComplete;

    assert.strictEqual(input.value, 'keep me');
    assert.deepEqual(element.messages, []);
  });
});

describe('<chat-stream> renders text, never HTML', () => {
  it('shows markup from the model as text in Markdown and runs none of it', async () => {
    delete window.__xss;
    const element = await chat('xss');

    await element.send('hi');
    await element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const content = shadowAll(element, '[part~="assistant"] [part="content"]').at(-1);
    assert.strictEqual(content.textContent, XSS_TEXT);
    assert.deepEqual([...content.querySelectorAll('*')].map((node) => node.tagName), ['DIV', 'P']);
    assert.isUndefined(window.__xss);
  });

  it('shows markup from the model as plain text with no-markdown, and runs none of it', async () => {
    delete window.__xss;
    const element = await chat('xss');
    element.setAttribute('no-markdown', '');

    await element.send('hi');
    await element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const content = shadowAll(element, '[part~="assistant"] [part="content"]').at(-1);
    assert.strictEqual(content.textContent, XSS_TEXT);
    assert.strictEqual(content.querySelectorAll('*').length, 0);
    assert.isUndefined(window.__xss);
  });

  it('notes under a complete answer that the content filter cut it short', async () => {
    const element = await chat('filtered-partial');

    await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(answerText(element), 'Here is how');
    assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), "Cut short by the provider's content filter.");
  });

  it('notes under an answer that stopped to call a tool, naming it, that the chat cannot run yet', async () => {
    const element = await chat('text-then-tools');

    await element.send('weather?');
    await element.updateComplete;

    assert.strictEqual(answerText(element), 'Let me check.');
    assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), 'The model asked to call get_weather, which this chat cannot run yet.');
  });

  it('shows no note under an answer that finished normally', async () => {
    const element = await chat('greeting');

    await element.send('hi');
    await element.updateComplete;

    assert.isNull(shadow(element, '[part~="assistant"] [part="status"]'));
  });

  it('ends an answer of tool calls only as done, with the calls in done and a note naming the tool', async () => {
    const element = await chat('tool-calls');
    const done = oneEvent(element, 'done');

    await element.send('weather?');
    const {detail} = await done;
    await element.updateComplete;

    assert.deepEqual(detail.toolCalls.map((call) => [call.name, call.input]), [['get_weather', {city: 'Paris'}]]);
    assert.isNull(shadow(element, '[part="error"]'));
    assert.include(shadow(element, '[part~="assistant"] [part="status"]').textContent, 'get_weather');
  });

  it('renders answers as Markdown by default', async () => {
    const element = await chat('lines');

    await element.send('hi');
    await element.updateComplete;

    const content = shadowAll(element, '[part~="assistant"] [part="content"]').at(-1);
    assert.strictEqual(content.querySelectorAll('p').length, 2);
  });

  it('keeps line breaks and leading spaces with no-markdown', async () => {
    const element = await chat('lines');
    element.setAttribute('no-markdown', '');

    await element.send('hi');
    await element.updateComplete;

    const content = shadowAll(element, '[part~="assistant"] [part="content"]').at(-1);
    assert.strictEqual(content.textContent, LINES_TEXT);
    assert.strictEqual(getComputedStyle(content).whiteSpace, 'pre-wrap');
  });

  it('passes finished code blocks to the highlight property', async () => {
    const element = await chat('code');
    const calls = [];
    element.highlight = (code, language) => (calls.push({code, language}), Object.assign(document.createElement('mark'), {textContent: code}));

    await element.send('hi');
    await element.updateComplete;

    assert.deepEqual(calls, [{code: CODE_BLOCK_SOURCE, language: 'python'}]);
    assert.strictEqual(shadow(element, '[part="code-block"] code mark').textContent, CODE_BLOCK_SOURCE);
  });

  it('renders existing answers anew when no-markdown is switched', async () => {
    const element = await chat('lines');
    element.setAttribute('no-markdown', '');
    await element.send('hi');
    await element.updateComplete;

    element.removeAttribute('no-markdown');
    await element.updateComplete;

    const content = shadowAll(element, '[part~="assistant"] [part="content"]').at(-1);
    assert.strictEqual(content.querySelectorAll('p').length, 2);
  });

  it('colours code blocks already shown when highlight is set later', async () => {
    const element = await chat('code');
    await element.send('hi');
    await element.updateComplete;

    element.highlight = (code) => Object.assign(document.createElement('mark'), {textContent: code});
    await element.updateComplete;

    assert.strictEqual(shadow(element, '[part="code-block"] code mark')?.textContent, CODE_BLOCK_SOURCE);
  });

  it('renders a user message with markup as text, not Markdown', async () => {
    const element = await chat('greeting');

    await element.send('<b>bold?</b> **not bold**');
    await element.updateComplete;

    const question = shadow(element, '[part~="user"] [part="content"]');
    assert.strictEqual(question.textContent, '<b>bold?</b> **not bold**');
    assert.strictEqual(question.querySelectorAll('*').length, 0);
  });
});

describe('<chat-stream> styling', () => {
  afterEach(() => emulateMedia({colorScheme: 'light'}));

  const backgroundOf = (element) => getComputedStyle(element).backgroundColor;
  /** WCAG contrast ratio of two opaque rgb() colours. */
  const contrast = (...colours) => {
    const [high, low] = colours
      .map((colour) => colour.match(/\d+/g).slice(0, 3).map((value) => value / 255).map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4)))
      .map(([red, green, blue]) => 0.2126 * red + 0.7152 * green + 0.0722 * blue)
      .sort((a, b) => b - a);
    return (high + 0.05) / (low + 0.05);
  };

  it('has a light palette when the page prefers light', async () => {
    await emulateMedia({colorScheme: 'light'});
    const element = await chat('greeting');

    assert.strictEqual(backgroundOf(element), 'rgb(255, 255, 255)');
  });

  it('switches to a dark palette when the page prefers dark', async () => {
    await emulateMedia({colorScheme: 'dark'});
    const element = await chat('greeting');

    assert.strictEqual(backgroundOf(element), 'rgb(13, 17, 23)');
    assert.strictEqual(getComputedStyle(element).color, 'rgb(230, 237, 243)');
  });

  it('keeps the light palette when the page pins color-scheme: light', async () => {
    await emulateMedia({colorScheme: 'dark'});
    const element = await chat('greeting');
    element.style.colorScheme = 'light';

    assert.strictEqual(backgroundOf(element), 'rgb(255, 255, 255)');
  });

  it('lets a custom property override the palette in both schemes', async () => {
    const element = await chat('greeting');
    element.style.setProperty('--chat-stream-background', 'rgb(1, 2, 3)');

    await emulateMedia({colorScheme: 'dark'});
    const dark = backgroundOf(element);
    await emulateMedia({colorScheme: 'light'});

    assert.deepEqual([dark, backgroundOf(element)], ['rgb(1, 2, 3)', 'rgb(1, 2, 3)']);
  });

  it('leaves the elements of a custom messageView to their own styles', async () => {
    const element = await chat('greeting');
    element.messageView = (container) => {
      const render = (text) => container.replaceChildren(Object.assign(document.createElement('h1'), {textContent: text}));
      return {append: (delta) => render(container.textContent + delta), replace: render};
    };

    await element.send('hi');
    await element.updateComplete;

    const heading = shadow(element, '[part~="assistant"] [part="content"] h1');
    assert.strictEqual(getComputedStyle(heading).fontSize, '30px');
  });

  it('gives the assistant bubble only to assistant messages', async () => {
    const element = await chat('greeting');

    element.messages = [{role: 'tool', content: 'a tool result'}];
    await element.updateComplete;

    assert.strictEqual(backgroundOf(shadow(element, '[part~="message"]')), 'rgba(0, 0, 0, 0)');
  });

  it("inherits the page's font weight and style", async () => {
    const wrapper = await fixture(html`<div style="font-weight: 300; font-style: italic"><chat-stream></chat-stream></div>`);
    const element = wrapper.querySelector('chat-stream');

    const {fontWeight, fontStyle} = getComputedStyle(element);

    assert.deepEqual([fontWeight, fontStyle], ['300', 'italic']);
  });

  it('gives the Send label at least 4.5:1 contrast in both schemes', async () => {
    const element = await chat('greeting');
    for (const colorScheme of ['light', 'dark']) {
      await emulateMedia({colorScheme});
      const {color, backgroundColor} = getComputedStyle(shadow(element, '[part="send-button"]'));

      assert.isAtLeast(contrast(color, backgroundColor), 4.5, colorScheme);
    }
  });

  it("gives the input's edge at least 3:1 contrast against the background in both schemes", async () => {
    const element = await chat('greeting');
    for (const colorScheme of ['light', 'dark']) {
      await emulateMedia({colorScheme});
      const edge = getComputedStyle(shadow(element, 'textarea')).borderTopColor;

      assert.isAtLeast(contrast(edge, getComputedStyle(element).backgroundColor), 3, colorScheme);
    }
  });

  it('gives the login prompt role="alert", so that it is announced when it appears', async () => {
    const element = await chat('greeting', {token: ''});

    assert.strictEqual(shadow(element, '[part="login"]').getAttribute('role'), 'alert');
  });

  it('colours the Send button with the accent, and Stop plainly while streaming', async () => {
    const element = await chat('greeting', {params: {delay: 200}});
    element.style.setProperty('--chat-stream-accent', 'rgb(200, 0, 0)');
    await element.updateComplete;
    const idle = backgroundOf(shadow(element, '[part="send-button"]'));

    const sent = element.send('hi');
    await element.updateComplete;
    const streaming = backgroundOf(shadow(element, '[part="send-button"]'));
    element.stop();
    await sent;

    assert.deepEqual([idle, streaming], ['rgb(200, 0, 0)', 'rgba(0, 0, 0, 0)']);
  });
});

describe('<chat-stream> state as its events leave', () => {

  it(`keeps a messageView that throws from breaking the page`, async () => {
    const element = await chat('greeting');
    await element.send('hi');
    await element.updateComplete;
    const seen = [];
    const onRejection = (event) => {
      seen.push(String(event.reason));
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', onRejection);
    const original = console.error;
    console.error = () => {};
    try {
      element.messageView = () => {
        throw new Error('factory boom');
      };
      await element.updateComplete.catch((error) => seen.push(`updateComplete: ${error}`));
      await pause(50);
    } finally {
      console.error = original;
      window.removeEventListener('unhandledrejection', onRejection);
    }
    assert.deepEqual(seen, []);
  });

  it(`still fires done when the element is moved while its answer is drawn`, async () => {
    const element = await chat('long');
    let done = 0;
    element.addEventListener('done', () => done++);
    const pending = element.send('hi');
    await oneEvent(element.session, 'done');
    const settling = element.streaming;
    const parent = element.parentNode;
    parent.append(element); // a move: disconnect + connect
    await pending;
    await pause(100);
    assert.isTrue(settling, 'precondition');
    assert.strictEqual(done, 1);
  });

  it(`drops the streaming attribute when removed while its answer is drawn`, async () => {
    const element = await chat('long');
    const pending = element.send('hi');
    await oneEvent(element.session, 'done');
    const wasSettling = element.streaming;
    element.remove();
    await pause(50);
    assert.isTrue(wasSettling, 'precondition: still drawing');
    assert.isFalse(element.hasAttribute('streaming'));
  });

  it(`keeps the streaming attribute, Stop and aria-busy while its answer is drawn`, async () => {
    const element = await chat('long');
    const pending = element.send('hi');
    await oneEvent(element.session, 'done');
    await element.updateComplete;
    const state = [element.streaming, element.hasAttribute('streaming'), shadow(element, '[part="send-button"]').textContent.trim(), shadow(element, '[part="log"]').getAttribute('aria-busy')];
    await pending;
    assert.deepEqual(state, [true, true, 'Stop', 'true']);
  });

  it(`shows Retry to error listeners`, async () => {
    const element = await chat('stream-error');
    let seen;
    element.addEventListener('error', () => (seen = [Boolean(shadow(element, '[part="retry-button"]')), shadow(element, '[part="send-button"]').textContent.trim()]));
    await element.send('hi');
    assert.deepEqual(seen, [true, 'Send']);
  });
});

describe('<chat-stream> leaving the page', () => {
  it('ends cleanly when the page is left while getToken() runs', async () => {
    let release;
    const element = await chat('greeting');
    element.session.configure({getToken: () => new Promise((resolve) => (release = resolve))});
    const events = [];
    for (const type of ['stop', 'done', 'error', 'login-required']) element.addEventListener(type, () => events.push(type));
    const pending = element.send('hi');
    await element.updateComplete;
    window.dispatchEvent(new Event('pagehide'));
    await pause(0);
    await element.updateComplete;
    const mid = [element.session.status, element.streaming, element.hasAttribute('streaming')];
    release('t');
    const result = await pending;
    await element.updateComplete;
    assert.isFalse(element.hasAttribute('streaming'));
  });
});
