// The demo server over real HTTP: the embedded model's contract, and proxy mode against a
// second local server standing in for the upstream service.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {streamChat} from 'chat-stream/core';
import {createDemoHandler} from '../../demo/app.js';
import {SCENARIOS} from '../../demo/scenarios.js';

const TOKEN = 'demo-token';
const QUESTION = [{role: 'user', content: 'How does streaming work?'}];

/** A node:http server on a free loopback port; `close()` ends it and its connections. */
async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve))),
  };
}

const post = (url, body, headers = {authorization: `Bearer ${TOKEN}`}) =>
  fetch(`${url}/v1/chat/completions`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: typeof body === 'string' ? body : JSON.stringify(body)});
const ask = (url, extra = {}, options = {}) => streamChat({url: `${url}/v1/chat/completions`, token: TOKEN, body: {messages: QUESTION, ...extra}, ...options});
const waitUntil = async (check, what) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
};

describe('demo server: the embedded model', () => {
  let demo;
  let writesAfterClose = 0;
  before(async () => {
    const handle = createDemoHandler({token: TOKEN, upstream: null});
    // Counts what the model writes to a client that has gone: it must stop generating.
    demo = await listen((req, res) => {
      let closed = false;
      res.on('close', () => (closed = true));
      const write = res.write.bind(res);
      res.write = (...args) => (closed && writesAfterClose++, write(...args));
      return handle(req, res);
    });
  });
  after(() => demo.close());

  it('streams a deterministic Markdown answer with no-cache and no proxy buffering', async () => {
    const response = await post(demo.url, {messages: QUESTION});
    const first = await ask(demo.url);
    const second = await ask(demo.url);

    assert.strictEqual(response.headers.get('cache-control'), 'no-cache');
    assert.strictEqual(response.headers.get('x-accel-buffering'), 'no');
    await response.body.cancel();
    assert.strictEqual(first.status, 'done');
    assert.strictEqual(first.text, second.text);
    for (const markdown of ['## ', '- ', '```js', '| --- |']) assert.ok(first.text.includes(markdown), markdown);
  });

  it('answers in the language of the question', async () => {
    const result = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {messages: [{role: 'user', content: '你好，流式输出是什么？'}]}});

    assert.match(result.text, /你问的是/);
  });

  it('refuses a request without the demo token with 401', async () => {
    const response = await post(demo.url, {messages: QUESTION}, {});

    assert.strictEqual(response.status, 401);
    assert.match((await response.json()).error.message, /demo-token/);
  });

  for (const [what, body, pattern] of [
    ['a body that is not JSON', '{nope', /not JSON/],
    ['a body without messages', {model: 'x'}, /messages/],
    ['a body over 1 MB', {messages: QUESTION, padding: 'x'.repeat(1_100_000)}, /larger than/],
    ['an unknown scenario', {messages: QUESTION, scenario: 'nope'}, /Unknown scenario "nope"/],
  ]) {
    it(`answers ${what} with 400 and a JSON message`, async () => {
      const response = await post(demo.url, body);

      assert.strictEqual(response.status, 400);
      assert.match((await response.json()).error.message, pattern);
    });
  }

  it('stops generating when the client disconnects', async () => {
    const controller = new AbortController();
    writesAfterClose = 0;

    const result = await ask(demo.url, {scenario: 'long'}, {signal: controller.signal, onUpdate: () => controller.abort()});
    await new Promise((resolve) => setTimeout(resolve, 200));

    assert.strictEqual(result.status, 'aborted');
    assert.strictEqual(writesAfterClose, 0);
  });

  for (const [scenario, expected] of [
    ['fast', {status: 'done'}],
    ['chinese-split', {status: 'done'}],
    ['reasoning', {status: 'done'}],
    ['moderation', {status: 'done', sensitive: {code: 10013}}],
    ['business-error', {status: 'error', kind: 'business', code: 10001}],
    ['http-500', {status: 'error', kind: 'http', code: 500}],
    ['http-429', {status: 'error', kind: 'http', code: 429}],
    ['http-401', {status: 'login-required', kind: 'http', code: 401}],
    ['dropped', {status: 'error', kind: 'network'}],
    ['no-done', {status: 'error', kind: 'stream', code: 'truncated'}],
  ]) {
    it(`scenario ${scenario}: ${SCENARIOS[scenario].description}`, async () => {
      const result = await ask(demo.url, {scenario});

      const seen = {status: result.status};
      if ('kind' in expected) seen.kind = result.error?.kind;
      if ('code' in expected) seen.code = result.error?.code;
      if ('sensitive' in expected) seen.sensitive = result.sensitive;
      assert.deepEqual(seen, expected);
      if (scenario === 'chinese-split') assert.ok(/[\u4e00-\u9fff]/.test(result.text) && !result.text.includes('\uFFFD'));
      if (scenario === 'reasoning') assert.ok(result.reasoning.length > 0 && result.text.length > 0);
      if (scenario === 'dropped') assert.ok(result.text.length > 0);
    });
  }

  it('scenario slow-first-byte waits before the first byte', async () => {
    const started = Date.now();
    let firstUpdate = 0;

    const result = await ask(demo.url, {scenario: 'slow-first-byte'}, {onUpdate: () => (firstUpdate ||= Date.now())});

    assert.strictEqual(result.status, 'done');
    assert.ok(firstUpdate - started >= 2500, `first text after ${firstUpdate - started} ms`);
  });
});

describe('demo server: proxy mode', () => {
  let upstream;
  let demo;
  const seen = [];
  let release = () => {};
  let upstreamClosed = false;

  before(async () => {
    // Stands in for an OpenAI-compatible service; each request's path picks its behaviour.
    upstream = await listen(async (req, res) => {
      let body = '';
      for await (const part of req) body += part;
      const request = {path: req.url, headers: req.headers, body: JSON.parse(body)};
      seen.push(request);
      const {content} = request.body.messages.at(-1);
      if (content === 'rate limit') {
        res.writeHead(429, {'content-type': 'application/json', 'retry-after': '7'});
        return res.end('{"error":{"message":"You exceeded your quota","type":"insufficient_quota"}}');
      }
      if (content === 'html error') return res.writeHead(502, {'content-type': 'text/html'}).end('<h1>bad gateway</h1>');
      res.writeHead(200, {'content-type': 'text/event-stream'});
      res.write(`data: ${JSON.stringify({id: 'up-1', choices: [{index: 0, delta: {content: 'Hello from upstream'}}]})}\n\n`);
      if (content === 'hang') {
        upstreamClosed = false;
        res.on('close', () => (upstreamClosed = true));
        return;
      }
      // Hold the rest until the test has seen the first chunk: proves nothing is buffered.
      await new Promise((resolve) => (release = resolve));
      res.end(`data: ${JSON.stringify({id: 'up-1', choices: [{index: 0, delta: {}, finish_reason: 'stop'}]})}\n\ndata: [DONE]\n\n`);
    });
    demo = await listen(createDemoHandler({token: TOKEN, upstream: {baseUrl: `${upstream.url}/v1/`, apiKey: 'sk-upstream-secret', model: 'upstream-model'}}));
  });
  after(async () => {
    await demo.close();
    await upstream.close();
  });

  it('streams the upstream answer through as it arrives', {timeout: 5000}, async () => {
    let firstText = '';

    const pending = ask(demo.url, {scenario: 'http-500'}, {onUpdate: ({text}) => ((firstText ||= text), release())});
    const result = await pending;

    assert.strictEqual(firstText, 'Hello from upstream');
    assert.strictEqual(result.status, 'done');
    assert.strictEqual(result.text, 'Hello from upstream');
  });

  it('sends the key, not the demo token, with the default model and without scenario', {timeout: 5000}, async () => {
    release = () => {};
    seen.length = 0;

    await ask(demo.url, {}, {onUpdate: () => release()});

    const [request] = seen;
    assert.strictEqual(request.path, '/v1/chat/completions');
    assert.strictEqual(request.headers.authorization, 'Bearer sk-upstream-secret');
    assert.strictEqual(request.body.model, 'upstream-model');
    assert.ok(!('scenario' in request.body));
    assert.deepEqual(request.body.messages, QUESTION);
  });

  it('still needs the demo token', async () => {
    seen.length = 0;

    const response = await post(demo.url, {messages: QUESTION}, {});

    assert.strictEqual(response.status, 401);
    assert.strictEqual(seen.length, 0);
  });

  it('passes upstream errors through as they are', async () => {
    const response = await post(demo.url, {messages: [{role: 'user', content: 'rate limit'}]});
    const html = await post(demo.url, {messages: [{role: 'user', content: 'html error'}]});

    assert.strictEqual(response.status, 429);
    assert.deepEqual(await response.json(), {error: {message: 'You exceeded your quota', type: 'insufficient_quota'}});
    assert.strictEqual(html.status, 502);
    assert.strictEqual(await html.text(), '<h1>bad gateway</h1>');
  });

  it('reports the upstream error to the element as an http error', async () => {
    const result = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {messages: [{role: 'user', content: 'rate limit'}]}});

    assert.deepEqual(result.error, {kind: 'http', code: 429, message: 'You exceeded your quota'});
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const controller = new AbortController();

    const result = await streamChat({
      url: `${demo.url}/v1/chat/completions`,
      token: TOKEN,
      body: {messages: [{role: 'user', content: 'hang'}]},
      signal: controller.signal,
      onUpdate: () => controller.abort(),
    });

    assert.strictEqual(result.status, 'aborted');
    await waitUntil(() => upstreamClosed, 'the upstream to see the connection close');
  });

  it('answers 502 with a JSON message when the upstream cannot be reached', async () => {
    const unreachable = await listen(createDemoHandler({token: TOKEN, upstream: {baseUrl: 'http://127.0.0.1:9/v1', apiKey: '', model: ''}}));

    const response = await post(unreachable.url, {messages: QUESTION});
    await unreachable.close();

    assert.strictEqual(response.status, 502);
    assert.match((await response.json()).error.message, /cannot be reached/);
  });
});
