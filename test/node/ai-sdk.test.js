// The Vercel AI SDK's UI message stream and text stream, read by chat-stream/core from chat
// routes written with the SDK itself (the `ai` devDependency and its mock model from 'ai/test';
// see test/fixtures/ai-sdk-server.js), over real HTTP in hostile pieces. A change of the SDK's
// protocol fails these tests rather than our users.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {ChatSession, streamChat} from 'chat-stream/core';
import {
  AI_SDK_BROKEN_INPUT,
  AI_SDK_FAILURE,
  AI_SDK_MASKED_ERROR,
  AI_SDK_REASONING,
  AI_SDK_TEXT_BEFORE_FAILURE,
  AI_SDK_TOOL_CALL,
  AI_SDK_TOOL_FAILURE,
  AI_SDK_WEATHER_ANSWER,
  aiSdkAnswer,
  aiSdkFileMention,
  aiSdkWeather,
  handleAiSdk,
} from '../fixtures/ai-sdk-server.js';
import {handleScenario} from '../fixtures/server.js';

const QUESTION = '今天巴黎天气怎么样？🌦';
const ANSWER = aiSdkAnswer(QUESTION);
const SPLITS = ['bytes', 'hostile'];
/** What useChat's default transport sends: the chat's id, the UI messages, the trigger. */
const uiRequest = (text) => ({id: 'chat-1', messages: [{id: 'u1', role: 'user', parts: [{type: 'text', text}]}], trigger: 'submit-message'});
/** The weather call as the route's model makes it: a server call, the server's to run. */
const TOOL_CALL = {id: AI_SDK_TOOL_CALL.id, name: AI_SDK_TOOL_CALL.name, arguments: JSON.stringify(AI_SDK_TOOL_CALL.input), input: AI_SDK_TOOL_CALL.input, server: true};
const WEATHER = aiSdkWeather(AI_SDK_TOOL_CALL.input.city);

const server = createServer(async (req, res) => {
  if (!(await handleAiSdk(req, res)) && !(await handleScenario(req, res))) res.writeHead(404).end();
});
before(() => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
after(() => {
  server.closeAllConnections();
  server.close();
});
const routeUrl = (route, params = {}) => `http://127.0.0.1:${server.address().port}/ai-sdk/${route}?${new URLSearchParams(params)}`;
const ask = (route, params, options = {}) => streamChat({url: routeUrl(route, params), requireToken: false, format: 'ai-sdk', body: uiRequest(QUESTION), ...options});
const post = (route, body, params = {}) => fetch(routeUrl(route, params), {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
let probeCount = 0;
const newProbe = () => `ai-sdk-${++probeCount}`;
const sentBody = async (probe) => JSON.parse((await (await fetch(`http://127.0.0.1:${server.address().port}/sse-probe/${probe}`)).json()).body);

describe('the AI SDK test routes', () => {
  it('serve the SDK UI message stream with its header, text-delta parts and [DONE] last', async () => {
    const response = await post('ui', uiRequest(QUESTION), {split: 'hostile'});

    const body = await response.text();
    assert.strictEqual(response.status, 200);
    assert.strictEqual(response.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.strictEqual(response.headers.get('content-type'), 'text/event-stream');
    assert.ok(body.includes('"type":"text-delta"'), body);
    assert.ok(body.endsWith('data: [DONE]\n\n'), body);
  });

  it('answer from the request: the UI messages reached the mock model as model messages', async () => {
    const response = await post('ui', uiRequest('回声 🔊'));

    const deltas = [...(await response.text()).matchAll(/"type":"text-delta","id":"[^"]*","delta":("(?:[^"\\]|\\.)*")/g)];
    assert.strictEqual(deltas.map(([, delta]) => JSON.parse(delta)).join(''), aiSdkAnswer('回声 🔊'));
  });

  it('send the same bytes through the deprecated result.toUIMessageStreamResponse()', async () => {
    const current = await (await post('ui', uiRequest(QUESTION))).text();

    const legacy = await (await post('ui-legacy', uiRequest(QUESTION))).text();

    assert.strictEqual(legacy, current);
  });

  it('send SSE comments (: stream-open, : keep-alive) with keepAliveMs', async () => {
    const body = await (await post('ui-keep-alive', uiRequest(QUESTION))).text();

    assert.ok(body.startsWith(': stream-open\n\n'), body);
    assert.ok(body.includes('\n\n: keep-alive\n\n'), body);
  });

  it('answer 400 with the SDK message when validateUIMessages rejects the messages', async () => {
    const response = await post('ui', {messages: [{role: 'user', parts: [{type: 'text', text: QUESTION}]}]});

    assert.strictEqual(response.status, 400);
    assert.match(await response.text(), /Type validation failed/);
  });
});

describe('streamChat with format ai-sdk, against the AI SDK', () => {
  for (const split of SPLITS) {
    it(`reads the text, the reasoning and the finish reason (split ${split})`, async () => {
      const result = await ask('ui', {split});

      assert.deepEqual(
        [result.status, result.text, result.reasoning, result.format, result.finishReason, result.error],
        ['done', ANSWER, AI_SDK_REASONING, 'ai-sdk', 'stop', null],
      );
    });

    it(`reads the answer of the deprecated toUIMessageStreamResponse() (split ${split})`, async () => {
      const result = await ask('ui-legacy', {split});

      assert.deepEqual([result.status, result.text, result.reasoning, result.finishReason], ['done', ANSWER, AI_SDK_REASONING, 'stop']);
    });

    it(`skips the SDK's keep-alive comments (split ${split})`, async () => {
      const result = await ask('ui-keep-alive', {split});

      assert.deepEqual([result.status, result.text, result.reasoning, result.finishReason], ['done', ANSWER, AI_SDK_REASONING, 'stop']);
    });

    it(`reads a tool call the server executed, then the second step's text (split ${split})`, async () => {
      const result = await ask('tool', {split});

      assert.deepEqual([result.status, result.text, result.finishReason], ['done', AI_SDK_WEATHER_ANSWER, 'stop']);
      assert.deepEqual(result.toolCalls, [{...TOOL_CALL, result: WEATHER}]);
    });

    it(`reads a tool whose execute threw as a server call with its errorText (split ${split})`, async () => {
      const result = await ask('tool-error', {split});

      assert.deepEqual([result.status, result.text], ['done', AI_SDK_WEATHER_ANSWER]);
      assert.deepEqual(result.toolCalls, [{...TOOL_CALL, error: `Error: ${AI_SDK_TOOL_FAILURE}`}]);
    });

    it(`ends done with finishReason tool-calls for a tool without execute (split ${split})`, async () => {
      const result = await ask('tool-call', {split});

      assert.deepEqual([result.status, result.text, result.finishReason, result.error], ['done', '', 'tool-calls', null]);
      assert.deepEqual(result.toolCalls, [TOOL_CALL]);
    });

    it(`reports an error part as a stream error with its errorText, keeping the text before it (split ${split})`, async () => {
      const result = await ask('fail', {split});

      assert.deepEqual([result.status, result.error?.kind, result.text], ['error', 'stream', AI_SDK_TEXT_BEFORE_FAILURE]);
      assert.ok(result.error.message.includes(AI_SDK_FAILURE), result.error.message);
    });

    it(`reports the SDK's default masked errorText "${AI_SDK_MASKED_ERROR}" (split ${split})`, async () => {
      const result = await ask('fail-masked', {split});

      assert.deepEqual([result.status, result.error?.kind, result.text], ['error', 'stream', AI_SDK_TEXT_BEFORE_FAILURE]);
      assert.ok(result.error.message.includes(AI_SDK_MASKED_ERROR), result.error.message);
    });

    it(`reports a stream the model broke (no finish, no [DONE]) as truncated, keeping the text (split ${split})`, async () => {
      const result = await ask('broken', {split});

      assert.deepEqual([result.status, result.error?.kind, result.error?.code, result.text], ['error', 'stream', 'truncated', AI_SDK_TEXT_BEFORE_FAILURE]);
    });

    it(`ignores data-* and message-metadata parts, also before start (split ${split})`, async () => {
      const result = await ask('data', {split});

      assert.deepEqual([result.status, result.text, result.reasoning, result.finishReason], ['done', ANSWER, AI_SDK_REASONING, 'stop']);
    });

    it(`detects the UI message stream from its header with format auto (split ${split})`, async () => {
      const result = await ask('ui', {split}, {format: 'auto'});

      assert.deepEqual([result.status, result.format, result.text], ['done', 'ai-sdk', ANSWER]);
    });

    for (const route of ['text', 'text-legacy']) {
      for (const format of ['text', 'auto']) {
        it(`reads the ${route} stream response with format ${format} (split ${split})`, async () => {
          const result = await ask(route, {split}, {format});

          assert.deepEqual([result.status, result.format, result.text, result.error], ['done', 'text', ANSWER, null]);
        });
      }
    }
  }

  it('reports a body that validateUIMessages rejects (messages without ids) as an http 400 error', async () => {
    const result = await ask('ui', {}, {body: {messages: [{role: 'user', parts: [{type: 'text', text: QUESTION}]}]}});

    assert.deepEqual([result.status, result.error?.kind, result.error?.code], ['error', 'http', 400]);
  });

  it('aborts mid-answer, keeping the partial text', async () => {
    const controller = new AbortController();
    let textAtAbort = null;

    const result = await ask('ui', {split: 'every-8', pace: '5'}, {signal: controller.signal, onUpdate: ({text}) => text && (textAtAbort ??= text, controller.abort())});

    assert.strictEqual(result.status, 'aborted');
    assert.strictEqual(result.text, textAtAbort);
    assert.ok(result.text.length > 0 && result.text.length < ANSWER.length && ANSWER.startsWith(result.text), result.text);
  });
});

describe('ChatSession with format ai-sdk, against the AI SDK', () => {
  const session = (probe) => new ChatSession({url: routeUrl('ui', {probe, split: 'hostile'}), format: 'ai-sdk', requireToken: false});

  it('sends UI messages that pass the SDK validateUIMessages, and shows the answer', async () => {
    const probe = newProbe();
    const chat = session(probe);

    const result = await chat.send('你好');

    assert.deepEqual([result.status, result.error, result.text], ['done', null, aiSdkAnswer('你好')]);
    const body = await sentBody(probe);
    assert.strictEqual(body.trigger, 'submit-message');
    assert.deepEqual(body.messages.map(({id, role, parts}) => [id, role, parts]), [[chat.messages[0].id, 'user', [{type: 'text', text: '你好'}]]]);
    assert.deepEqual(chat.messages.map(({role, content}) => [role, content]), [['user', '你好'], ['assistant', aiSdkAnswer('你好')]]);
  });

  const image = {name: 'pixel.png', type: 'image/png', size: 6, url: 'data:image/png;base64,iVBORwD/'};
  const pdf = {name: '报告.pdf', type: 'application/pdf', size: 8, url: 'data:application/pdf;base64,JVBERi0xLjQ='};
  const text = {name: 'notes.txt', type: 'text/plain', size: 2, url: 'data:text/plain;base64,aGk='};
  const mentions = (...files) => files.map(({name, type}) => aiSdkFileMention({filename: name, mediaType: type})).join('');

  it('sends attachments as file parts that validateUIMessages accepts and the model receives', async () => {
    const probe = newProbe();
    const chat = session(probe);

    const result = await chat.send('这是什么？', {attachments: [image, pdf, text]});

    assert.deepEqual([result.status, result.error, result.text], ['done', null, aiSdkAnswer(`${mentions(image, pdf, text)}这是什么？`)]);
    assert.deepEqual((await sentBody(probe)).messages[0].parts.map(({type, mediaType}) => [type, mediaType]), [
      ['file', 'image/png'],
      ['file', 'application/pdf'],
      ['file', 'text/plain'],
      ['text', undefined],
    ]);
  });

  it('sends a question of attachments alone, which the SDK accepts', async () => {
    const chat = session(newProbe());

    const result = await chat.send('', {attachments: [image]});

    assert.deepEqual([result.status, result.error, result.text], ['done', null, aiSdkAnswer(mentions(image))]);
  });

  it('keeps the chat id and sends the earlier messages with their ids on the next send', async () => {
    const [first, second] = [newProbe(), newProbe()];
    const chat = session(first);
    await chat.send('你好');
    await chat.configure({url: routeUrl('ui', {probe: second, split: 'hostile'})});

    const result = await chat.send('再见 👋');

    const [before, after] = [await sentBody(first), await sentBody(second)];
    assert.strictEqual(result.text, aiSdkAnswer('再见 👋'));
    assert.ok(typeof before.id === 'string' && before.id !== '', JSON.stringify(before.id));
    assert.strictEqual(after.id, before.id);
    assert.deepEqual(
      after.messages.map(({id, role, parts}) => [id, role, parts]),
      chat.messages.slice(0, 3).map(({id, role, content}) => [id, role, [{type: 'text', text: content}]]),
    );
    assert.strictEqual(after.messages[0].id, before.messages[0].id);
  });
});

describe('ChatSession with format ai-sdk: the tools the server runs', () => {
  const session = (route, probe, options = {}) => new ChatSession({url: routeUrl(route, {probe, split: 'hostile'}), format: 'ai-sdk', requireToken: false, ...options});
  const states = (message) => message.toolCalls?.map(({name, state, server}) => [name, state, server]);

  it('shows the call the server ran as a server call, done with its output, then the follow-up text', async () => {
    const chat = session('tool', newProbe());

    const result = await chat.send(QUESTION);

    assert.deepEqual([result.status, result.text], ['done', AI_SDK_WEATHER_ANSWER]);
    assert.deepEqual(chat.messages[1].toolCalls, [{...TOOL_CALL, result: WEATHER, state: 'done'}]);
    assert.strictEqual(chat.messages[1].content, AI_SDK_WEATHER_ANSWER);
  });

  it('shows a call whose execute threw as failed, with the errorText', async () => {
    const chat = session('tool-error', newProbe());

    await chat.send(QUESTION);

    assert.deepEqual(states(chat.messages[1]), [['weather', 'failed', true]]);
    assert.strictEqual(chat.messages[1].toolCalls[0].error, `Error: ${AI_SDK_TOOL_FAILURE}`);
  });

  it('shows a call whose input is no JSON (the SDK’s tool-input-error) as failed, with its text as the arguments', async () => {
    const chat = session('tool-input-error', newProbe());

    await chat.send(QUESTION);

    const [call] = chat.messages[1].toolCalls;
    assert.deepEqual([call.state, call.arguments, call.input], ['failed', AI_SDK_BROKEN_INPUT, undefined]);
    assert.match(call.error, /Invalid input for tool weather/);
  });

  it('runs nothing and fires no tool-call, even with a tool of the same name, and asks nothing more', async () => {
    const probe = newProbe();
    let runs = 0;
    const chat = session('tool', probe, {tools: {weather: {run: () => ++runs}}});
    let toolCallEvents = 0;
    chat.addEventListener('tool-call', () => toolCallEvents++);

    await chat.send(QUESTION);

    assert.deepEqual([runs, toolCallEvents], [0, 0]);
    assert.deepEqual(chat.messages.map(({role}) => role), ['user', 'assistant']);
    assert.strictEqual((await (await fetch(`http://127.0.0.1:${server.address().port}/sse-probe/${probe}`)).json()).requests, 1);
  });

  it('leaves a call the server did not run (no execute) asked, and runs none of the page’s tools', async () => {
    let runs = 0;
    const chat = session('tool-call', newProbe(), {tools: {weather: {run: () => ++runs}}});

    await chat.send(QUESTION);

    assert.deepEqual(states(chat.messages[1]), [['weather', 'asked', true]]);
    assert.strictEqual(runs, 0);
  });

  it('shows the call running in an update before its output arrives, then done', async () => {
    const chat = session('tool', newProbe());
    const seen = [];
    chat.addEventListener('update', ({detail}) => detail.toolCalls && seen.push(detail.toolCalls.map(({state}) => state).join()));

    await chat.send(QUESTION);

    assert.strictEqual(seen[0], 'running');
    assert.strictEqual(seen.at(-1), 'done');
  });

  const outcomes = {
    tool: {input: AI_SDK_TOOL_CALL.input, state: 'output-available', output: WEATHER},
    'tool-error': {input: AI_SDK_TOOL_CALL.input, state: 'output-error'},
    'tool-input-error': {state: 'output-error'},
  };
  for (const [route, outcome] of Object.entries(outcomes)) {
    it(`sends the ${route} route's call back as a tool part with its outcome, which the SDK route accepts`, async () => {
      const [first, second] = [newProbe(), newProbe()];
      const chat = session(route, first);
      await chat.send(QUESTION);
      await chat.configure({url: routeUrl(route, {probe: second, split: 'hostile'})});

      const result = await chat.send('明天呢？');

      assert.deepEqual([result.status, result.error], ['done', null]);
      const {error} = chat.messages[1].toolCalls[0];
      assert.deepEqual((await sentBody(second)).messages[1].parts, [
        {type: 'tool-weather', toolCallId: AI_SDK_TOOL_CALL.id, ...outcome, ...(error ? {errorText: error} : {})},
        {type: 'step-start'},
        {type: 'text', text: AI_SDK_WEATHER_ANSWER},
      ]);
    });
  }

  it('keeps the server call, its flag and its outcome through storage', async () => {
    const saved = new Map();
    const storage = {load: (id) => saved.get(id), save: (id, messages) => void saved.set(id, messages)};
    const chat = session('tool', newProbe(), {storage, id: 'served'});
    await chat.send(QUESTION);

    const reloaded = new ChatSession({storage, id: 'served'});

    assert.deepEqual(reloaded.messages[1].toolCalls, [{...TOOL_CALL, result: WEATHER, state: 'done'}]);
  });
});
