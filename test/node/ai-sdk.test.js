// The Vercel AI SDK's UI message stream and text stream, read by chat-stream/core from chat
// routes written with the SDK itself (the `ai` devDependency and its mock model from 'ai/test';
// see test/fixtures/ai-sdk-server.js), over real HTTP in hostile pieces. A change of the SDK's
// protocol fails these tests rather than our users.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {ChatSession, streamChat} from 'chat-stream/core';
import {
  AI_SDK_FAILURE,
  AI_SDK_MASKED_ERROR,
  AI_SDK_REASONING,
  AI_SDK_TEXT_BEFORE_FAILURE,
  AI_SDK_TOOL_CALL,
  AI_SDK_WEATHER_ANSWER,
  aiSdkAnswer,
  aiSdkFileMention,
  handleAiSdk,
} from '../fixtures/ai-sdk-server.js';
import {handleScenario} from '../fixtures/server.js';

const QUESTION = '今天巴黎天气怎么样？🌦';
const ANSWER = aiSdkAnswer(QUESTION);
const SPLITS = ['bytes', 'hostile'];
/** What useChat's default transport sends: the chat's id, the UI messages, the trigger. */
const uiRequest = (text) => ({id: 'chat-1', messages: [{id: 'u1', role: 'user', parts: [{type: 'text', text}]}], trigger: 'submit-message'});
const TOOL_CALLS = [{id: AI_SDK_TOOL_CALL.id, name: AI_SDK_TOOL_CALL.name, arguments: JSON.stringify(AI_SDK_TOOL_CALL.input), input: AI_SDK_TOOL_CALL.input}];

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
      assert.deepEqual(result.toolCalls, TOOL_CALLS);
    });

    it(`ends done with finishReason tool-calls for a tool without execute (split ${split})`, async () => {
      const result = await ask('tool-call', {split});

      assert.deepEqual([result.status, result.text, result.finishReason, result.error], ['done', '', 'tool-calls', null]);
      assert.deepEqual(result.toolCalls, TOOL_CALLS);
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
