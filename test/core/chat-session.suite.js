// The behaviour of `ChatSession`, run in Node (node:test) and in Chromium (web-test-runner)
// against the scenarios served over real HTTP (test/fixtures/server.js), with in-memory
// storage adapters.
import {GREETING_TEXT} from '../fixtures/scenarios.js';

let probeCount = 0;

/**
 * A storage adapter over a Map, recording its calls; `delay` makes every call asynchronous (a
 * save lands at its end), `loadDelay` only the loads.
 */
export function memoryStorage({delay = 0, loadDelay = delay, data = new Map(), onSave} = {}) {
  const calls = [];
  // A delayed call does its work at its end, as a server answering then would.
  const later = (value, ms = delay) => (ms ? new Promise((resolve) => setTimeout(() => resolve(typeof value === 'function' ? value() : value), ms)) : typeof value === 'function' ? value() : value);
  return {
    data,
    calls,
    load(id) {
      calls.push(['load', id]);
      return later(() => (data.has(id) ? JSON.parse(JSON.stringify(data.get(id))) : null), loadDelay);
    },
    save(id, messages) {
      calls.push(['save', id, messages]);
      const record = JSON.parse(JSON.stringify({version: 1, messages}));
      const land = () => {
        data.set(id, record);
        onSave?.(id);
      };
      return delay ? later(undefined).then(land) : land();
    },
    remove(id) {
      calls.push(['remove', id]);
      data.delete(id);
      onSave?.(id);
      return later(undefined);
    },
  };
}

/**
 * One store seen by several "tabs": each tab's adapter tells the others of its saves, as
 * `storage` events do. With `delay`, every call is asynchronous and a save lands at its end, as
 * on a server; with `loadDelay`, only the loads are.
 */
export function sharedStorage({delay = 0, loadDelay = delay} = {}) {
  const data = new Map();
  const tabs = [];
  return () => {
    const listeners = new Set();
    const adapter = memoryStorage({data, delay, loadDelay, onSave: () => tabs.filter((tab) => tab !== listeners).forEach((other) => setTimeout(() => other.forEach((listener) => listener()), 0))});
    tabs.push(listeners);
    adapter.subscribe = (id, onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    };
    return adapter;
  };
}

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {object} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineChatSessionSuite({describe, it, assert, core, origin}) {
  const {ChatSession} = core;
  const scenarioUrl = (name, params = {}) => `${origin()}/sse/${name}?${new URLSearchParams(params)}`;
  const newProbe = () => `s${++probeCount}-${Math.random().toString(36).slice(2)}`;
  const readProbe = async (id) => (await fetch(`${origin()}/sse-probe/${id}`)).json();
  const sentBody = async (probe) => JSON.parse((await readProbe(probe)).body);
  const session = (name, options = {}, params = {}) => new ChatSession({url: scenarioUrl(name, params), token: 'test-token', ...options});
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const until = async (check, what) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await wait(15);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const nextEvent = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, {once: true}));
  const record = (target, types) => {
    const seen = [];
    for (const type of types) target.addEventListener(type, (event) => seen.push([type, event.detail]));
    return seen;
  };
  const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);
  const shape = (messages) => messages.map(({role, content, status}) => [role, content, status]);

  describe('ChatSession: sending', () => {
    it('adds the question and the streamed answer, each with an id, a status and a creation time', async () => {
      const chat = session('greeting');

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', GREETING_TEXT, 'done']]);
      assert.strictEqual(new Set(chat.messages.map((message) => message.id)).size, 2);
      assert.ok(chat.messages.every((message) => typeof message.createdAt === 'number' && message.createdAt > 0));
      assert.strictEqual(chat.messages[1].finishReason, 'stop');
      assert.strictEqual(chat.status, 'idle');
    });

    it('sends the conversation with system first, model and body extras, and the token header', async () => {
      const probe = newProbe();
      const chat = session('greeting', {system: 'Be brief.', model: 'gpt-demo', body: {temperature: 0.2}, headers: {'X-Team': 'blue'}}, {probe});
      await chat.send('first');

      await chat.send('second');

      const body = await sentBody(probe);
      assert.deepEqual(body.messages, [
        {role: 'system', content: 'Be brief.'},
        {role: 'user', content: 'first'},
        {role: 'assistant', content: GREETING_TEXT},
        {role: 'user', content: 'second'},
      ]);
      assert.deepEqual([body.model, body.temperature, body.stream], ['gpt-demo', 0.2, true]);
      const {headers} = await readProbe(probe);
      assert.deepEqual([headers.authorization, headers['x-team']], ['Bearer test-token', 'blue']);
    });

    it('fires change (the question shows), request, update and done in that order, each naming the answer', async () => {
      const chat = session('greeting', {}, {split: 'hostile', pace: '1'});
      const seen = record(chat, ['request', 'change', 'update', 'done']);

      await chat.send('hi');

      const types = seen.map(([type]) => type);
      assert.deepEqual(types.slice(0, 2), ['change', 'request']);
      assert.strictEqual(types.at(-1), 'done');
      const answerId = chat.messages[1].id;
      const updates = seen.filter(([type]) => type === 'update').map(([, detail]) => detail);
      assert.strictEqual(updates.map((update) => update.delta).join(''), GREETING_TEXT);
      assert.ok(updates.every((update) => update.messageId === answerId));
      const done = seen.at(-1)[1];
      assert.deepEqual([done.messageId, done.text, done.finishReason, done.id], [answerId, GREETING_TEXT, 'stop', 'chatcmpl-42']);
      assert.deepEqual(done.messages, [{role: 'user', content: 'hi'}, {role: 'assistant', content: GREETING_TEXT}]);
    });

    it('goes waiting, then streaming with the first text, then idle', async () => {
      const chat = session('greeting', {}, {split: 'hostile', pace: '1'});
      const statuses = [];
      chat.addEventListener('change', () => statuses.push(chat.status));

      const pending = chat.send('hi');
      const streamingAtOnce = chat.streaming;
      await pending;

      assert.ok(streamingAtOnce);
      assert.deepEqual([...new Set(statuses)], ['waiting', 'streaming', 'idle']);
      assert.strictEqual(chat.streaming, false);
    });

    it('lets a view that appends deltas to what it drew at the last change show each delta once', async () => {
      const chat = session('greeting', {}, {split: 'hostile', pace: '1'});
      let drawn = '';
      chat.addEventListener('change', () => (drawn = chat.messages[1]?.content ?? ''));
      chat.addEventListener('update', ({detail}) => (drawn += detail.delta));
      const seen = [];
      chat.addEventListener('update', () => seen.push(drawn === chat.messages[1].content));

      await chat.send('hi');

      assert.ok(seen.length > 1 && seen.every(Boolean), 'what the view drew matches the answer after every update');
    });

    it('keeps firing update to the listeners left when one is removed, the same listener with capture among them', async () => {
      const chat = session('greeting', {}, {split: 'hostile', pace: '1'});
      let heard = '';
      const listener = ({detail}) => (heard += detail.delta);
      const removed = () => assert.fail('a removed update listener was called');
      chat.addEventListener('update', removed);
      chat.addEventListener('update', listener);
      chat.addEventListener('update', listener, {capture: true});
      chat.removeEventListener('update', removed);
      chat.removeEventListener('update', listener);

      await chat.send('hi');

      assert.strictEqual(heard, GREETING_TEXT);
    });

    it('sends nothing and changes nothing when a request listener cancels', async () => {
      const probe = newProbe();
      const chat = session('greeting', {}, {probe});
      chat.addEventListener('request', (event) => event.preventDefault());

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(chat.messages, []);
      assert.deepEqual([chat.status, chat.streaming], ['idle', false]);
      assert.strictEqual((await readProbe(probe)).requests, 0);
    });

    it('sends what request listeners change in the body and headers', async () => {
      const probe = newProbe();
      const chat = session('greeting', {}, {probe});
      chat.addEventListener('request', ({detail}) => {
        detail.body.user = 'u-42';
        detail.headers['X-Request-Id'] = 'r-1';
      });

      await chat.send('hi');

      assert.strictEqual((await sentBody(probe)).user, 'u-42');
      assert.strictEqual((await readProbe(probe)).headers['x-request-id'], 'r-1');
    });

    it('reads answers in the format its format option names', async () => {
      const chat = session('ollama-whole', {format: 'ndjson'});

      const result = await chat.send('hi');

      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', 'Not streamed', 'done']]);
      assert.strictEqual(result.format, 'ndjson');
    });

    it('rejects an empty text, a missing url and headers that are not a plain object, naming each', async () => {
      assert.match((await rejection(session('greeting').send('  '))).message, /non-empty string/);
      assert.match((await rejection(new ChatSession({token: 't'}).send('hi'))).message, /`url`/);
      assert.match((await rejection(session('greeting', {headers: 'X: y'}).send('hi'))).message, /`headers`/);
      assert.match((await rejection(session('greeting', {body: [1]}).send('hi'))).message, /`body`/);
    });
  });

  describe('ChatSession: runs', () => {
    it('stop() keeps the partial answer as stopped, fires stop and closes the connection', async () => {
      const probe = newProbe();
      const chat = session('slow', {}, {probe});
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      const stopped = nextEvent(chat, 'stop');
      chat.stop();
      const {detail} = await stopped;
      const result = await pending;

      assert.deepEqual(detail, {messageId: chat.messages[1].id, text: 'first '});
      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', 'first ', 'stopped']]);
      await until(async () => (await readProbe(probe)).closed, 'the server to see the connection close');
    });

    it('a new send stops the answer in flight first, and drops its late chunks', async () => {
      const chat = session('trickle');
      const first = chat.send('one');
      await until(() => chat.messages[1]?.content.includes('late'), 'late chunks of the first answer');
      const stopped = nextEvent(chat, 'stop');
      chat.configure({url: scenarioUrl('greeting')});

      const second = await chat.send('two');
      const {detail} = await stopped;
      await first;
      await wait(60);

      assert.strictEqual(second.status, 'done');
      assert.deepEqual(shape(chat.messages), [
        ['user', 'one', 'done'],
        ['assistant', detail.text, 'stopped'],
        ['user', 'two', 'done'],
        ['assistant', GREETING_TEXT, 'done'],
      ]);
    });

    it('keeps a failed answer with its partial text, its error and the error status, and fires error', async () => {
      const chat = session('stream-error');
      const errors = record(chat, ['error']);

      await chat.send('hi');

      const answer = chat.messages[1];
      assert.deepEqual([answer.status, answer.content, answer.error.code], ['error', 'partial ', 'rate_limit_exceeded']);
      const {timing, ...detail} = errors[0][1];
      assert.deepEqual(detail, {messageId: answer.id, kind: 'stream', code: 'rate_limit_exceeded', message: 'Rate limit reached', text: 'partial ', buffered: false});
      assert.strictEqual(timing.chunks > 0, true);
      assert.strictEqual(chat.status, 'error');
    });

    it('retry() replaces the failed answer and sends its question once', async () => {
      const probe = newProbe();
      const chat = session('stream-error');
      await chat.send('hi');
      const questionId = chat.messages[0].id;
      chat.configure({url: scenarioUrl('greeting', {probe})});

      await chat.retry();

      assert.deepEqual((await sentBody(probe)).messages, [{role: 'user', content: 'hi'}]);
      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', GREETING_TEXT, 'done']]);
      assert.strictEqual(chat.messages[0].id, questionId);
    });

    it('retry() rejects when the last answer did not fail', async () => {
      const chat = session('greeting');
      await chat.send('hi');

      assert.match((await rejection(chat.retry())).message, /failed/);
    });

    it('regenerate() asks the last question again and replaces its answer', async () => {
      const probe = newProbe();
      const chat = session('greeting', {}, {probe});
      await chat.send('one');
      await chat.send('two');
      const oldAnswer = chat.messages[3].id;

      await chat.regenerate();

      assert.deepEqual((await sentBody(probe)).messages.map((message) => message.content), ['one', GREETING_TEXT, 'two']);
      assert.strictEqual(chat.messages.length, 4);
      assert.notStrictEqual(chat.messages[3].id, oldAnswer);
    });

    it('edit() changes a question, drops what came after it, and sends it', async () => {
      const probe = newProbe();
      const chat = session('greeting', {}, {probe});
      await chat.send('one');
      await chat.send('two');
      const firstId = chat.messages[0].id;

      await chat.edit(firstId, 'uno');

      assert.deepEqual((await sentBody(probe)).messages, [{role: 'user', content: 'uno'}]);
      assert.deepEqual(shape(chat.messages), [['user', 'uno', 'done'], ['assistant', GREETING_TEXT, 'done']]);
      assert.strictEqual(chat.messages[0].id, firstId);
    });

    it('edit() rejects an id that is not a user message, naming it', async () => {
      const chat = session('greeting');
      await chat.send('hi');

      const error = await rejection(chat.edit(chat.messages[1].id, 'x'));

      assert.ok(error instanceof TypeError);
      assert.match(error.message, /user message/);
    });

    it('setFeedback() rates an answer, fires feedback, and takes it back with null', () => {
      const chat = new ChatSession({messages: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]});
      const answerId = chat.messages[1].id;
      const seen = record(chat, ['feedback']);

      chat.setFeedback(answerId, 'up');
      const rated = chat.messages[1].feedback;
      chat.setFeedback(answerId, null);

      assert.strictEqual(rated, 'up');
      assert.strictEqual(chat.messages[1].feedback, undefined);
      assert.deepEqual(seen.map(([, {messageId, value, message}]) => [messageId, value, message.feedback]), [
        [answerId, 'up', 'up'],
        [answerId, null, undefined],
      ]);
      assert.throws(() => chat.setFeedback(answerId, 'meh'), /'up', 'down' or null/);
    });

    it('refuses to rate an answer still streaming, naming why', async () => {
      const chat = session('slow');
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      assert.throws(() => chat.setFeedback(chat.messages[1].id, 'up'), /ended/);
      chat.stop();
      await pending;
    });

    it('changes nothing when edit() names a message that is not there, and stops nothing', async () => {
      const chat = session('slow');
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      const error = await rejection(chat.edit('nope', 'x'));

      assert.match(error.message, /edit\(\) needs the id of a user message/);
      assert.ok(chat.streaming);
      chat.stop();
      await pending;
    });

    it('undoes a request that a request listener cancels and replaces with another send', async () => {
      const chat = session('greeting');
      let first = true;
      chat.addEventListener('request', (event) => {
        if (!first) return;
        first = false;
        event.preventDefault();
        chat.send('rewritten');
      });
      const stops = record(chat, ['stop']);

      const result = await chat.send('original');
      await until(() => chat.status === 'idle', 'the second answer');

      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(stops, []);
      assert.deepEqual(shape(chat.messages), [['user', 'rewritten', 'done'], ['assistant', GREETING_TEXT, 'done']]);
    });

    it('leaves nothing streaming when a stop listener sends: the later call wins', async () => {
      const chat = session('slow');
      const first = chat.send('one');
      await nextEvent(chat, 'update');
      let listenerSend;
      chat.addEventListener('stop', () => (listenerSend ??= chat.send('from the listener')), {once: true});

      const second = chat.send('two');
      await nextEvent(chat, 'update');
      chat.stop();
      await Promise.all([first, second, listenerSend]);

      assert.strictEqual((await listenerSend).status, 'aborted');
      assert.ok(chat.messages.every((message) => message.status !== 'streaming'));
      assert.strictEqual(chat.streaming, false);
    });

    it('sends no request when a change listener stops it first', async () => {
      const chat = session('greeting');
      chat.addEventListener('change', () => chat.status === 'waiting' && chat.stop(), {once: true});
      const seen = record(chat, ['request', 'stop']);

      const result = await chat.send('q');

      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(seen.map(([type]) => type), ['stop']);
    });

    it('keeps the status of a new request when an update listener sends', async () => {
      let release;
      const chat = session('greeting', {}, {pace: '5'});
      const first = chat.send('one');
      await nextEvent(chat, 'update');
      chat.options.getToken = () => new Promise((resolve) => (release = resolve));
      const second = chat.send('two');
      const status = chat.status;
      release('t');
      await Promise.all([first, second]);

      assert.strictEqual(status, 'waiting');
    });

    it('clear() empties the conversation and aborts the answer in flight without events', async () => {
      const chat = session('slow');
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');
      const seen = record(chat, ['stop', 'done', 'error']);

      chat.clear();
      const result = await pending;

      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(chat.messages, []);
      assert.deepEqual(seen, []);
    });
  });

  describe('ChatSession: tokens and sign-in', () => {
    it('calls getToken() before each request and sends what it returns', async () => {
      const probe = newProbe();
      let calls = 0;
      const chat = new ChatSession({url: scenarioUrl('greeting', {probe}), getToken: async () => `fresh-${++calls}`});

      await chat.send('one');
      await chat.send('two');

      assert.strictEqual(calls, 2);
      assert.strictEqual((await readProbe(probe)).headers.authorization, 'Bearer fresh-2');
    });

    it('fails the answer with token_failed when getToken() rejects, sending nothing and keeping the question for Retry', async () => {
      const probe = newProbe();
      let fail = true;
      const chat = new ChatSession({url: scenarioUrl('greeting', {probe}), getToken: () => (fail ? Promise.reject(new Error('offline')) : 'ok')});
      const errors = record(chat, ['error']);

      const result = await chat.send('hi');
      const failed = shape(chat.messages);
      fail = false;
      await chat.retry();

      assert.deepEqual([result.status, result.error.code], ['error', 'token_failed']);
      assert.match(errors[0][1].message, /getToken\(\) failed: offline/);
      assert.deepEqual(failed, [['user', 'hi', 'done'], ['assistant', '', 'error']]);
      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', GREETING_TEXT, 'done']]);
      assert.strictEqual((await readProbe(probe)).requests, 1);
    });

    it('shows the question while getToken() runs, and a second send stops the first', async () => {
      let release;
      const chat = new ChatSession({url: scenarioUrl('greeting'), getToken: () => new Promise((resolve) => (release = resolve))});
      const stops = record(chat, ['stop']);

      const first = chat.send('one');
      const shown = [chat.streaming, chat.status, shape(chat.messages)];
      chat.options.getToken = () => 'token';
      const second = await chat.send('two');
      release('late');

      assert.deepEqual(shown, [true, 'waiting', [['user', 'one', 'done'], ['assistant', '', 'streaming']]]);
      assert.strictEqual((await first).status, 'aborted');
      assert.strictEqual(second.status, 'done');
      assert.strictEqual(stops.length, 1);
      assert.deepEqual(shape(chat.messages).map(([role, content]) => [role, content]), [['user', 'one'], ['assistant', ''], ['user', 'two'], ['assistant', GREETING_TEXT]]);
    });

    it('ends idle, not waiting, when stopped while getToken() runs, and aborted when getToken() then rejects', async () => {
      let reject;
      const chat = new ChatSession({url: scenarioUrl('greeting'), getToken: () => new Promise((resolve, fail) => (reject = fail))});

      const pending = chat.send('q');
      chat.stop();
      reject(new Error('late'));
      const result = await pending;

      assert.deepEqual([result.status, chat.status, chat.streaming], ['aborted', 'idle', false]);
    });

    it('builds the request from the conversation as it is once getToken() resolves', async () => {
      const probe = newProbe();
      let release;
      const chat = new ChatSession({url: scenarioUrl('greeting', {probe}), getToken: () => new Promise((resolve) => (release = resolve)), messages: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]});
      const pending = chat.send('next');

      chat.setFeedback(chat.messages[1].id, 'up');
      release('t');
      await pending;

      assert.strictEqual(chat.messages[1].feedback, 'up');
      assert.deepEqual((await sentBody(probe)).messages.map((message) => message.content), ['q', 'a', 'next']);
    });

    it('asks for a sign-in with no token: no request, nothing sent, the question returned in the event', async () => {
      const probe = newProbe();
      const chat = session('greeting', {token: ''}, {probe});
      const seen = record(chat, ['request', 'login-required']);

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'login-required');
      assert.deepEqual(seen, [['login-required', {reason: 'missing-token', text: 'hi'}]]);
      assert.deepEqual(chat.messages, []);
      assert.strictEqual(chat.status, 'login-required');
      assert.strictEqual((await readProbe(probe)).requests, 0);
    });

    it('leaves the conversation as it was when Edit or Regenerate needs a sign-in, handing back only a new text', async () => {
      const chat = new ChatSession({url: scenarioUrl('greeting'), messages: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]});
      const before = chat.messages;
      const seen = record(chat, ['login-required']);

      await chat.edit(before[0].id, 'changed');
      await chat.regenerate();

      assert.strictEqual(chat.messages, before);
      assert.deepEqual(seen.map(([, detail]) => detail.text), ['changed', '']);
    });

    it('asks for a sign-in on a 401 without an error, and a new token ends it', async () => {
      const chat = session('http-401');
      const seen = record(chat, ['login-required', 'error']);

      await chat.send('hi');
      const status = chat.status;
      chat.configure({token: 'new-token'});

      assert.deepEqual(seen, [['login-required', {reason: 'unauthorized', text: 'hi'}]]);
      assert.deepEqual(chat.messages, []);
      assert.deepEqual([status, chat.status], ['login-required', 'idle']);
    });
  });

  describe('ChatSession: messages', () => {
    it('completes plain {role, content} entries and keeps the ids and fields it is given', () => {
      const chat = new ChatSession();

      chat.messages = [
        {role: 'user', content: 'q'},
        {id: 'a-1', role: 'assistant', content: 'a', status: 'streaming', createdAt: 5, feedback: 'down', finishReason: 'length'},
      ];

      const [question, answer] = chat.messages;
      assert.deepEqual([question.status, typeof question.id, typeof question.createdAt], ['done', 'string', 'number']);
      assert.deepEqual(answer, {id: 'a-1', role: 'assistant', content: 'a', status: 'stopped', createdAt: 5, feedback: 'down', finishReason: 'length'});
    });

    it('names the bad entry of messages: no content, a hole, a used id, an unknown status', () => {
      const chat = new ChatSession();

      assert.throws(() => (chat.messages = [{role: 'user', content: 'ok'}, {role: 'user'}]), /messages\[1\]/);
      assert.throws(() => (chat.messages = [, {role: 'user', content: 'x'}]), /messages\[0\]/);
      assert.throws(() => (chat.messages = [{id: 'x', role: 'user', content: 'a'}, {id: 'x', role: 'user', content: 'b'}]), /messages\[1\]\.id/);
      assert.throws(() => (chat.messages = [{role: 'user', content: 'a', status: 'sent'}]), /messages\[0\]\.status/);
    });

    it('fires change with a new array after every change, and none per token', async () => {
      const chat = session('long');
      let changes = 0;
      chat.addEventListener('change', () => changes++);

      await chat.send('hi');

      assert.ok(changes <= 4, `${changes} changes for 120 chunks`);
    });
  });

  /** Two sessions on one storage, the left one reading it slowly, after "q1" was answered in the left one. */
  async function answeredInTwoTabsOneSlow() {
    const tab = sharedStorage();
    const fast = tab();
    const slow = {...fast, load: (id) => wait(30).then(() => fast.load(id))};
    const left = session('greeting', {storage: slow, id: 'c'});
    const right = session('greeting', {storage: tab(), id: 'c'});
    await wait(50);
    await left.send('q1');
    await until(() => right.messages.length === 2 && left.status === 'idle', 'the answer in the other tab');
    await wait(60);
    return {fast, left, right};
  }

  describe('ChatSession: persistence', () => {
    it('restores a conversation saved by another session with the same storage and id', async () => {
      const storage = memoryStorage();
      const first = session('greeting', {storage, id: 'support'});
      await first.send('hi');
      first.setFeedback(first.messages[1].id, 'up');

      const second = new ChatSession({storage, id: 'support'});

      assert.deepEqual(second.messages, first.messages.map(({error, ...kept}) => kept));
    });

    it('saves only the listed fields, never the token, after each question and each ended answer, never per token', async () => {
      const storage = memoryStorage();
      const chat = session('long', {storage, id: 'c', token: 'secret-token'});

      await chat.send('hi');

      const saves = storage.calls.filter(([call]) => call === 'save');
      assert.strictEqual(saves.length, 2);
      assert.deepEqual(shape(saves[0][2]), [['user', 'hi', 'done']]);
      const stored = JSON.stringify([...storage.data]);
      assert.ok(!stored.includes('secret-token'));
      const fields = new Set(saves[1][2].flatMap((message) => Object.keys(message)));
      assert.deepEqual([...fields].sort(), ['content', 'createdAt', 'finishReason', 'id', 'role', 'status']);
    });

    it('saves a failed answer as failed, without its error object', async () => {
      const storage = memoryStorage();
      const chat = session('stream-error', {storage, id: 'c'});

      await chat.send('hi');

      const restored = new ChatSession({storage, id: 'c'}).messages[1];
      assert.deepEqual([restored.status, restored.content, restored.error], ['error', 'partial ', undefined]);
    });

    it('clear() removes the stored conversation', async () => {
      const storage = memoryStorage();
      const chat = session('greeting', {storage, id: 'c'});
      await chat.send('hi');

      chat.clear();

      assert.strictEqual(storage.data.has('c'), false);
    });

    it('load(id) switches: the answer in flight is saved as stopped in its own conversation', async () => {
      const storage = memoryStorage({data: new Map([['other', {version: 1, messages: [{id: 'o1', role: 'user', content: 'elsewhere', status: 'done', createdAt: 1}]}]])});
      const chat = session('slow', {storage, id: 'first'});
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      await chat.load('other');
      await pending;

      assert.strictEqual(chat.id, 'other');
      assert.deepEqual(shape(chat.messages), [['user', 'elsewhere', 'done']]);
      assert.deepEqual(shape(new ChatSession({storage, id: 'first'}).messages), [['user', 'hi', 'done'], ['assistant', 'first ', 'stopped']]);
    });

    it('reports a foreign value as a storage error and never overwrites it', async () => {
      const storage = memoryStorage({data: new Map([['c', {theme: 'dark'}]])});
      const chat = session('greeting', {storage, id: 'c'});
      const errors = record(chat, ['error']);

      await chat.send('hi');

      assert.deepEqual([errors[0][1].kind, errors[0][1].code], ['storage', 'foreign_value']);
      assert.deepEqual(storage.data.get('c'), {theme: 'dark'});
      assert.strictEqual(chat.messages.length, 2);
    });

    it('never overwrites a conversation saved by a later version', async () => {
      const saved = {version: 2, messages: [], more: 'fields'};
      const storage = memoryStorage({data: new Map([['c', saved]])});
      const errors = [];
      const chat = new ChatSession({url: scenarioUrl('greeting'), token: 't'});
      chat.addEventListener('error', ({detail}) => errors.push(detail.code));
      await chat.configure({storage, id: 'c'});

      await chat.send('hi');

      assert.deepEqual(errors, ['unknown_version']);
      assert.deepEqual(storage.data.get('c'), saved);
    });

    it('goes on in memory when the adapter throws on save, with a storage error', async () => {
      const storage = {load: () => null, save: () => {
        throw new Error('disk full');
      }};
      const chat = session('greeting', {storage});
      const errors = record(chat, ['error']);

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(chat.messages.length, 2);
      assert.deepEqual([errors[0][1].kind, errors[0][1].code], ['storage', 'save_failed']);
      assert.match(errors[0][1].message, /disk full/);
    });

    it('goes on in memory when the adapter rejects on load, and then saves nothing over what it could not read', async () => {
      const storage = memoryStorage();
      storage.data.set('c', {version: 1, messages: [{id: 'kept', role: 'user', content: 'old', status: 'done', createdAt: 1}]});
      const failing = {...storage, load: () => Promise.reject(new Error('server down')), save: storage.save};
      const chat = session('greeting', {storage: failing, id: 'c'});
      const errors = record(chat, ['error']);
      await until(() => chat.status !== 'loading', 'the load to fail');

      await chat.send('hi');

      assert.deepEqual([errors[0][1].code, chat.messages.length], ['read_failed', 2]);
      assert.strictEqual(storage.data.get('c').messages[0].id, 'kept');
    });

    it('keeps every save in order with an async adapter slower than the stream', async () => {
      const storage = memoryStorage({delay: 40});
      const chat = session('greeting', {storage, id: 'c'});
      await until(() => chat.status !== 'loading', 'the load');

      await chat.send('one');
      await chat.send('two');
      await until(() => storage.data.get('c')?.messages.length === 4, 'the last save');

      assert.deepEqual(storage.data.get('c').messages.map((message) => message.content), ['one', GREETING_TEXT, 'two', GREETING_TEXT]);
    });

    it('puts messages sent while an async load is pending after the loaded ones', async () => {
      const storage = memoryStorage({delay: 80, data: new Map([['c', {version: 1, messages: [{id: 'old', role: 'user', content: 'before', status: 'done', createdAt: 1}]}]])});
      const chat = session('greeting', {storage, id: 'c'});
      const loading = chat.status;

      await chat.send('now');
      await until(() => chat.status === 'idle' && chat.messages.length === 3, 'the load');

      assert.strictEqual(loading, 'loading');
      assert.deepEqual(chat.messages.map((message) => message.content), ['before', 'now', GREETING_TEXT]);
    });

    it('keeps two sessions on one storage in step without either overwriting the other', async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});

      await Promise.all([left.send('from the left'), right.send('from the right')]);
      await until(() => left.messages.length === 4 && right.messages.length === 4, 'both tabs to see four messages');

      const contents = (chat) => chat.messages.map((message) => message.content).sort();
      assert.deepEqual(contents(left), contents(right));
      assert.deepEqual(contents(left), [GREETING_TEXT, GREETING_TEXT, 'from the left', 'from the right'].sort());
    });

    it('keeps a change made in one session (a rating) and passes it to the other', async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      await left.send('hi');
      await until(() => right.messages.length === 2, 'the answer in the other tab');

      left.setFeedback(left.messages[1].id, 'down');
      await until(() => right.messages[1].feedback === 'down', 'the rating in the other tab');

      assert.strictEqual(left.messages[1].feedback, 'down');
    });

    it('passes a deletion in one session to the other (regenerate replaces, clear empties)', async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      await left.send('hi');
      await until(() => right.messages.length === 2, 'the answer in the other tab');

      await left.regenerate();
      await until(() => right.messages[1]?.id === left.messages[1].id, 'the new answer in the other tab');
      const afterRegenerate = right.messages.length;
      left.clear();
      await until(() => right.messages.length === 0, 'the other tab to clear');

      assert.strictEqual(afterRegenerate, 2);
    });

    it('keeps clear() made while an async load is pending: the stored copy goes too', async () => {
      const storage = memoryStorage({delay: 40, data: new Map([['c', {version: 1, messages: [{id: 'old', role: 'user', content: 'before', status: 'done', createdAt: 1}]}]])});
      const chat = new ChatSession({storage, id: 'c'});

      chat.clear();
      await until(() => chat.status !== 'loading', 'the load');
      await until(() => !storage.data.has('c'), 'the stored copy to go');

      assert.deepEqual(chat.messages, []);
    });

    it('saves the stopped answer to its own conversation when load() switches, with an async adapter that reports changes', async () => {
      const tab = sharedStorage();
      const storage = tab();
      const slow = {...storage, load: (id) => wait(30).then(() => storage.load(id)), save: (id, messages) => wait(30).then(() => storage.save(id, messages))};
      const chat = session('slow', {storage: slow, id: 'first'});
      await until(() => chat.status !== 'loading', 'the load');
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      await chat.load('second');
      chat.configure({url: scenarioUrl('greeting')});
      await chat.send('in second');
      await pending;
      await until(() => storage.data.get('first')?.messages.length === 2, 'the stopped answer in its own conversation');
      await until(() => storage.data.get('second')?.messages.length >= 1, 'the new conversation saved');

      assert.deepEqual(shape(storage.data.get('first').messages), [['user', 'hi', 'done'], ['assistant', 'first ', 'stopped']]);
    });

    it('keeps a rating made in one session when the other saves before hearing of it', async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      await left.send('hi');
      await until(() => right.messages.length === 2, 'the answer in the other tab');

      right.setFeedback(right.messages[1].id, 'up');
      await left.send('again');
      await until(() => right.messages.length === 4, 'the new answer in the other tab');

      assert.deepEqual([left.messages[1].feedback, right.messages[1].feedback], ['up', 'up']);
    });

    it('aborts an answer streaming in one session when the other deletes its question', async () => {
      const tab = sharedStorage();
      const left = session('slow', {storage: tab(), id: 'c'});
      const right = session('slow', {storage: tab(), id: 'c'});
      const pending = left.send('hi');
      await nextEvent(left, 'update');
      await until(() => right.messages.length === 1, 'the question in the other tab');

      right.clear();
      const result = await pending;
      await wait(30);

      assert.deepEqual([result.status, left.streaming, left.messages.length, right.messages.length], ['aborted', false, 0, 0]);
    });

    it('never saves an answer while it streams, also when another page changes the conversation', async () => {
      const tab = sharedStorage();
      const storage = tab();
      const left = session('slow', {storage, id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      const pending = left.send('hi');
      await nextEvent(left, 'update');

      right.messages = [...right.messages, {role: 'user', content: 'from the right'}];
      await until(() => left.messages.some((message) => message.content === 'from the right'), 'the change in the first tab');

      assert.deepEqual(shape(storage.data.get('c').messages), [['user', 'hi', 'done'], ['user', 'from the right', 'done']]);
      left.stop();
      await pending;
    });

    it('puts each answer after its question when two sessions send at once', async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});

      await Promise.all([left.send('L'), right.send('R')]);
      await until(() => left.messages.length === 4 && right.messages.length === 4, 'four messages in both');

      for (const chat of [left, right]) {
        const roles = chat.messages.map((message) => message.role);
        assert.deepEqual(roles, ['user', 'assistant', 'user', 'assistant']);
      }
    });

    it('reports a subscribe() that returns no function, and goes on', async () => {
      const storage = {...memoryStorage(), subscribe: async () => () => {}};
      const chat = session('greeting', {storage, id: 'a'});
      const errors = record(chat, ['error']);
      await wait(0);

      await chat.load('b');
      await chat.send('hi');

      assert.match(errors[0][1].message, /subscribe\(id, onChange\) must return a function/);
      assert.strictEqual(chat.id, 'b');
      assert.strictEqual(storage.data.get('b').messages.length, 2);
      assert.strictEqual(storage.data.has('a'), false);
    });

    it('starts with the messages option only when nothing is stored', async () => {
      const storage = memoryStorage();
      const greeting = [{role: 'assistant', content: 'Welcome!'}];
      const first = new ChatSession({storage, id: 'c', messages: greeting});
      first.setFeedback(first.messages[0].id, 'up');

      const second = new ChatSession({storage, id: 'c', messages: greeting});

      assert.deepEqual(second.messages.map(({content, feedback}) => [content, feedback]), [['Welcome!', 'up']]);
    });

    it('never saves an answer stopped before any text', async () => {
      const storage = memoryStorage();
      const chat = session('greeting', {storage, id: 'c'}, {delay: 300});

      const pending = chat.send('hi');
      chat.stop();
      await pending;

      assert.deepEqual(shape(storage.data.get('c').messages), [['user', 'hi', 'done']]);
    });

    it('saves the reasoning of an answer stopped while it thought, with no text', async () => {
      const storage = memoryStorage();
      // The body stalls after its first event, a piece of reasoning (145 bytes).
      const chat = session('reasoning', {storage, id: 'c'}, {stallAt: 145});
      const thought = new Promise((resolve) => chat.addEventListener('update', resolve, {once: true}));

      const pending = chat.send('hi');
      await thought;
      chat.stop();
      await pending;

      const [, answer] = storage.data.get('c').messages;
      assert.deepEqual([answer.status, answer.content, answer.reasoning], ['stopped', '', 'Think ']);
    });

    it('lets go of its storage listener with dispose()', () => {
      const listeners = new Set();
      const storage = {...memoryStorage(), subscribe: (id, onChange) => (listeners.add(onChange), () => listeners.delete(onChange))};
      const chat = new ChatSession({storage, id: 'c'});
      const listening = listeners.size;

      chat.dispose();

      assert.deepEqual([listening, listeners.size], [1, 0]);
    });

    it('reports web storage where there is none (Node), and goes on in memory', async () => {
      if (globalThis.localStorage) return;
      const chat = session('greeting', {storage: 'local', id: 'c'});
      const errors = record(chat, ['error']);
      await wait(0);

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'done');
      assert.deepEqual([errors[0][1].kind, errors[0][1].code], ['storage', 'read_failed']);
      assert.match(errors[0][1].message, /localStorage is not available here/);
    });

    it('keeps a rating made here with slow reads while the other session sends', async () => {
      const tab = sharedStorage({loadDelay: 10});
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      await until(() => left.status === 'idle' && right.status === 'idle', 'the loads');
      await left.send('q1');
      await until(() => right.messages.length === 2, 'the answer in the other tab');
      await wait(40);

      left.setFeedback(left.messages[1].id, 'up');
      await right.send('q3');
      await until(() => left.messages.length === 4 && right.messages[1].feedback === 'up', 'both changes in both tabs');
      await wait(60);

      for (const chat of [left, right]) assert.deepEqual([chat.messages.length, chat.messages[1].feedback], [4, 'up']);
      assert.strictEqual(tab().data.get('c').messages[1].feedback, 'up');
    });

    it("keeps the other session's clear while this one, with a slow storage, rates twice", async () => {
      const {fast, left, right} = await answeredInTwoTabsOneSlow();

      left.setFeedback(left.messages[1].id, 'up');
      left.setFeedback(left.messages[1].id, 'down');
      await wait(5);
      right.clear();
      await wait(200);

      assert.deepEqual([left.messages.length, right.messages.length, fast.data.has('c')], [0, 0, false]);
    });

    it("keeps the other session's new message while this one, with a slow storage, rates twice", async () => {
      const {fast, left, right} = await answeredInTwoTabsOneSlow();

      right.messages = [...right.messages, {role: 'user', content: 'from the right'}];
      left.setFeedback(left.messages[1].id, 'up');
      left.setFeedback(left.messages[1].id, 'down');
      await wait(200);

      const stored = fast.data.get('c').messages;
      assert.deepEqual([stored.at(-1).content, stored[1].feedback], ['from the right', 'down']);
      assert.deepEqual(shape(left.messages), shape(right.messages));
    });

    it('never lets a read older than its own save take its question away', async () => {
      const data = new Map();
      const listeners = new Set();
      const reads = [];
      const storage = {
        load(id) {
          const snapshot = data.has(id) ? JSON.parse(JSON.stringify(data.get(id))) : null;
          return new Promise((resolve) => reads.push(() => resolve(snapshot)));
        },
        save: (id, messages) => void data.set(id, {version: 1, messages: JSON.parse(JSON.stringify(messages))}),
        subscribe: (id, onChange) => (listeners.add(onChange), () => listeners.delete(onChange)),
      };
      const chat = session('slow', {storage, id: 'c'});
      reads.shift()();
      await wait(0);

      const pending = chat.send('q');
      await wait(0);
      listeners.forEach((listener) => listener());
      while (reads.length > 0) {
        reads.shift()();
        await wait(10);
      }

      assert.deepEqual(shape(chat.messages).map(([role, content]) => [role, content]), [['user', 'q'], ['assistant', 'first ']]);
      assert.ok(chat.streaming);
      chat.stop();
      await pending;
    });

    it("puts the other session's answer under its question when this one sends as that answer is saved", async () => {
      const tab = sharedStorage();
      const left = session('greeting', {storage: tab(), id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'}, {pace: '10'});
      let fromLeft;
      // As the other session's answer is saved, and before this one hears of it.
      right.addEventListener('done', () => (fromLeft = left.send('qA')), {once: true});
      await right.send('qB');
      await fromLeft;
      await wait(60);

      for (const chat of [left, right]) assert.deepEqual(chat.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant']);
      assert.deepEqual(left.messages.map((message) => message.id), right.messages.map((message) => message.id));
    });

    it('keeps a stopped answer when switching away and straight back, with a slow storage', async () => {
      const tab = sharedStorage({delay: 15});
      const storage = tab();
      const chat = session('slow', {storage, id: 'x'});
      await until(() => chat.status === 'idle', 'the load');
      const pending = chat.send('hi');
      await nextEvent(chat, 'update');

      chat.load('y');
      await chat.load('x');
      await pending;

      assert.deepEqual(shape(chat.messages), [['user', 'hi', 'done'], ['assistant', 'first ', 'stopped']]);
    });

    it('saves again after a read that failed once (another page changed the conversation)', async () => {
      const tab = sharedStorage();
      const shared = tab();
      let failNext = false;
      const flaky = {...shared, load: (id) => (failNext ? ((failNext = false), Promise.reject(new Error('flaky'))) : shared.load(id))};
      const left = session('greeting', {storage: flaky, id: 'c'});
      const right = session('greeting', {storage: tab(), id: 'c'});
      await wait(0);
      failNext = true;
      await right.send('from the right');
      await until(() => !failNext, 'the failed read');

      await left.send('from the left');
      await until(() => shared.data.get('c')?.messages.length === 4, 'all four saved');

      assert.deepEqual(shared.data.get('c').messages.filter((message) => message.role === 'user').map((message) => message.content), ['from the right', 'from the left']);
    });

    it('rejects a storage option that is no adapter, naming it', () => {
      assert.throws(() => new ChatSession({storage: 'indexeddb'}), /`storage`/);
    });
  });
}
