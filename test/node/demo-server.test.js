// The demo server over real HTTP: the embedded model's contract in every wire format, resuming
// its broken event streams, and proxy mode against a second local server standing in for the
// upstream service.
import assert from 'node:assert/strict';
import {createServer, get} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {crc32, deflateSync} from 'node:zlib';
import {parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema} from 'ai';
import {ChatSession, streamChat} from 'chat-stream/core';
import {createDemoHandler} from '../../demo/app.js';
import {calculate} from '../../demo/calculate.js';
import {FORMATS, formatAt} from '../../demo/formats/index.js';
import {MAX_BODY_BYTES} from '../../demo/http.js';
import {answerFor, mathAnswerFor, reasoningFor, tokenize} from '../../demo/model.js';
import {TOKEN_INTERVAL_MS} from '../../demo/model-stream.js';
import {SCENARIOS} from '../../demo/scenarios.js';

const TOKEN = 'demo-token';
const ASKED = 'How does streaming work?';
const QUESTION = [{role: 'user', content: ASKED}];
/** The math scenario's formulas, in each notation the element reads. */
const FORMULAS = ['$E = mc^2$', '\\(a^2 + b^2 = c^2\\)', '$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$', '\\[ \\sum_{n=1}^\\infty \\frac{1}{n^2} = \\frac{\\pi^2}{6} \\]'];

/** A node:http server on a free loopback port; `close()` ends it and its connections. */
async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve))),
  };
}

const post = (url, body, headers = {authorization: `Bearer ${TOKEN}`}, path = '/v1/chat/completions') =>
  fetch(`${url}${path}`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: typeof body === 'string' ? body : JSON.stringify(body)});
const ask = (url, extra = {}, options = {}) => streamChat({url: `${url}/v1/chat/completions`, token: TOKEN, body: {stream: true, messages: QUESTION, ...extra}, ...options});
/** The message of an error body in any format's shape (`{error: {message}}` or `{error: '…'}`). */
const errorMessage = (payload) => (typeof payload.error === 'string' ? payload.error : payload.error.message);
const waitUntil = async (check, what) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
};

/** The embedded model on a free port, counting in `late`, by route, what it writes to a client that has gone: it must stop generating. */
function listenToModel(late) {
  const handle = createDemoHandler({token: TOKEN, upstream: null});
  return listen((req, res) => {
    let closed = false;
    res.on('close', () => (closed = true));
    const write = res.write.bind(res);
    res.write = (...args) => (closed && late.set(req.url, (late.get(req.url) ?? 0) + 1), write(...args));
    return handle(req, res);
  });
}

describe('demo server: the embedded model', () => {
  let demo;
  const writesAfterClose = new Map();
  before(async () => (demo = await listenToModel(writesAfterClose)));
  after(() => demo.close());

  it('streams a deterministic Markdown answer with no-cache and no proxy buffering', async () => {
    const response = await post(demo.url, {stream: true, messages: QUESTION});
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
    const result = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {stream: true, messages: [{role: 'user', content: '你好，流式输出是什么？'}]}});

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
    ['an unknown scenario', {messages: QUESTION, scenario: 'nope'}, /Unknown scenario "nope"/],
  ]) {
    it(`answers ${what} with 400 and a JSON message`, async () => {
      const response = await post(demo.url, body);

      assert.strictEqual(response.status, 400);
      assert.match((await response.json()).error.message, pattern);
    });
  }

  it('answers a body over 20 MB with 413 and a message naming the limit', async () => {
    const response = await post(demo.url, {messages: QUESTION, padding: 'x'.repeat(MAX_BODY_BYTES)});

    assert.strictEqual(response.status, 413);
    assert.match((await response.json()).error.message, /larger than 20 MB \(20971520 bytes\)/);
  });

  it('answers a body streamed without a length with 413 once it passes 20 MB', async () => {
    const piece = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('{"messages":[],"padding":"'));
        else if (sent < 30) controller.enqueue(piece);
        else controller.close();
      },
    });

    const response = await fetch(`${demo.url}/v1/chat/completions`, {method: 'POST', headers: {authorization: `Bearer ${TOKEN}`}, body, duplex: 'half'});

    assert.strictEqual(response.status, 413);
    assert.match((await response.json()).error.message, /larger than 20 MB/);
  });

  it('stops generating when the client disconnects', async () => {
    const controller = new AbortController();
    writesAfterClose.clear();

    const result = await ask(demo.url, {scenario: 'long'}, {signal: controller.signal, onUpdate: () => controller.abort()});
    await new Promise((resolve) => setTimeout(resolve, 200));

    assert.strictEqual(result.status, 'aborted');
    assert.deepEqual([...writesAfterClose], []);
  });

  for (const [scenario, expected, options] of [
    ['fast', {status: 'done'}],
    ['chinese-split', {status: 'done'}],
    ['reasoning', {status: 'done'}],
    ['moderation', {status: 'done', sensitive: {code: 10013}}],
    ['business-error', {status: 'error', kind: 'business', code: 10001}],
    ['http-500', {status: 'error', kind: 'http', code: 500}],
    // Not sent again: the core would wait the 2 s Retry-After asks for, twice.
    ['http-429', {status: 'error', kind: 'http', code: 429}, {retries: 0}],
    ['http-401', {status: 'login-required', kind: 'http', code: 401}],
    ['dropped', {status: 'error', kind: 'network'}],
    ['no-done', {status: 'error', kind: 'stream', code: 'truncated'}],
  ]) {
    it(`scenario ${scenario}: ${SCENARIOS[scenario].description}`, async () => {
      const result = await ask(demo.url, {scenario}, options);

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

  it('scenario math: the same formulas in Chinese prose for a Chinese question', async () => {
    const english = await ask(demo.url, {scenario: 'math'});
    const chinese = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {stream: true, scenario: 'math', messages: [{role: 'user', content: '给我看看公式'}]}});

    assert.deepEqual([english.status, chinese.status], ['done', 'done']);
    assert.match(chinese.text, /质能方程/);
    for (const formula of FORMULAS) assert.ok(english.text.includes(formula) && chinese.text.includes(formula), formula);
  });

  it('scenario slow-first-byte waits before the first byte', async () => {
    const started = Date.now();
    let firstUpdate = 0;

    const result = await ask(demo.url, {scenario: 'slow-first-byte'}, {onUpdate: () => (firstUpdate ||= Date.now())});

    assert.strictEqual(result.status, 'done');
    assert.ok(firstUpdate - started >= 2500, `first text after ${firstUpdate - started} ms`);
  });
});

/**
 * Each format's route, the body its own client sends (the Anthropic SDK's `x-api-key` too), and
 * what the element's core calls it. `auto` says whether `format: 'auto'` recognises the stream.
 */
const CASES = [
  {format: 'openai', path: '/v1/chat/completions', body: (text) => ({model: 'gpt-4o-mini', stream: true, messages: [{role: 'user', content: text}]})},
  {format: 'openai-responses', path: '/v1/responses', body: (text) => ({model: 'gpt-4o-mini', stream: true, instructions: 'Answer briefly.', input: [{role: 'user', content: [{type: 'input_text', text}]}]})},
  {
    format: 'anthropic',
    path: '/v1/messages',
    tokenHeader: 'x-api-key',
    body: (text) => ({model: 'claude-sonnet-4-5', stream: true, max_tokens: 1024, system: 'Answer briefly.', messages: [{role: 'user', content: [{type: 'text', text}]}]}),
  },
  {format: 'ndjson', path: '/api/chat', body: (text) => ({model: 'llama3.2', messages: [{role: 'user', content: text}], stream: true})},
  {format: 'ai-sdk', path: '/api/ai-sdk', body: (text) => ({id: 'chat-1', messages: [{id: 'm1', role: 'user', parts: [{type: 'text', text}]}], trigger: 'submit-message'})},
];

describe('demo server: every wire format', {concurrency: true}, () => {
  let demo;
  const writesAfterClose = new Map();
  before(async () => (demo = await listenToModel(writesAfterClose)));
  after(() => demo.close());

  /** Asks `path` in its format's own body, with `extra` fields and streamChat `options`. */
  const askIn = ({format, path, body, tokenHeader}, extra = {}, options = {}) =>
    streamChat({url: `${demo.url}${path}`, token: TOKEN, ...(tokenHeader ? {tokenHeader} : {}), format, body: {...body(ASKED), ...extra}, ...options});

  for (const testCase of CASES) {
    const {format, path} = testCase;
    const label = formatAt(path).label;

    it(`${label}: streams the answer that streamChat reads with format "${format}"`, async () => {
      const result = await askIn(testCase, {scenario: 'fast'});

      assert.deepEqual([result.status, result.format, result.text], ['done', format, answerFor(ASKED, {sections: 8})]);
    });

    it(`${label}: streams the answer that streamChat reads with format "auto"`, async () => {
      const result = await askIn(testCase, {scenario: 'fast'}, {format: 'auto'});

      assert.deepEqual([result.status, result.format, result.text], ['done', format, answerFor(ASKED, {sections: 8})]);
    });

    it(`${label}: sends the reasoning first, read as result.reasoning`, async () => {
      const result = await askIn(testCase, {scenario: 'reasoning'});

      assert.deepEqual([result.status, result.reasoning, result.text], ['done', reasoningFor(ASKED), answerFor(ASKED)]);
    });

    it(`${label}: sends the reasoning inside <think> tags in the text, read as result.reasoning`, async () => {
      const result = await askIn(testCase, {scenario: 'think-tags'});

      assert.deepEqual([result.status, result.reasoning, result.text], ['done', reasoningFor(ASKED), answerFor(ASKED)]);
    });

    it(`${label}: fails mid-stream in its own error shape, keeping the partial text`, async () => {
      const result = await askIn(testCase, {scenario: 'stream-error'});

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.kind, 'stream');
      assert.match(result.error.message, /overloaded/);
      assert.ok(result.text.length > 0 && answerFor(ASKED).startsWith(result.text), result.text);
    });

    it(`${label}: ends without its end event, read as truncated`, async () => {
      const result = await askIn(testCase, {scenario: 'no-done'});

      assert.deepEqual([result.status, result.error?.code], ['error', 'truncated']);
      assert.ok(result.text.length > 0);
    });

    it(`${label}: answers 401 in its own error shape without the token`, async () => {
      const response = await post(demo.url, testCase.body(ASKED), {}, path);
      const result = await askIn(testCase, {}, {token: 'wrong'});

      assert.strictEqual(response.status, 401);
      assert.match(errorMessage(await response.json()), /demo-token/);
      assert.strictEqual(result.status, 'login-required');
    });

    it(`${label}: stops writing when the client disconnects`, async () => {
      const controller = new AbortController();

      const result = await askIn(testCase, {scenario: 'long'}, {signal: controller.signal, onUpdate: () => controller.abort()});
      await new Promise((resolve) => setTimeout(resolve, 200));

      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(writesAfterClose.get(path) ?? 0, 0);
    });

    it(`${label}: streams the math scenario's formulas and its price`, async () => {
      const result = await askIn(testCase, {scenario: 'math'});

      assert.deepEqual([result.status, result.text], ['done', mathAnswerFor(ASKED)]);
      for (const formula of [...FORMULAS, 'It costs $5 and $6.']) assert.ok(result.text.includes(formula), formula);
    });

    it(`${label}: also takes the body the element sends today, {stream: true, messages}`, async () => {
      const result = await streamChat({url: `${demo.url}${path}`, token: TOKEN, format, body: {stream: true, messages: QUESTION, scenario: 'fast'}});

      assert.deepEqual([result.status, result.text], ['done', answerFor(ASKED, {sections: 8})]);
    });
  }

  for (const [what, path, body, pattern] of [
    ['OpenAI, a body without messages', '/v1/chat/completions', {model: 'x'}, /non-empty `messages` array/],
    ['OpenAI, a stream flag that is no boolean', '/v1/chat/completions', {stream: 'yes', messages: QUESTION}, /`stream` must be true or false/],
    ['Responses, an empty input', '/v1/responses', {stream: true, input: ''}, /needs `input`/],
    ['Responses, neither input nor messages', '/v1/responses', {stream: true, instructions: 'Hi'}, /messages/],
    ['Anthropic, a max_tokens of 0', '/v1/messages', {stream: true, max_tokens: 0, messages: QUESTION}, /`max_tokens` must be a positive integer/],
    ['Anthropic, an empty messages array', '/v1/messages', {stream: true, max_tokens: 10, messages: []}, /non-empty `messages` array/],
    ['Ollama, a body without messages', '/api/chat', {model: 'llama3.2'}, /non-empty `messages` array/],
    ['AI SDK, a body that is an array', '/api/ai-sdk', '[]', /must be a JSON object/],
    ['AI SDK, a last user message of neither text nor files', '/api/ai-sdk', {messages: [{id: 'm1', role: 'user', parts: [{type: 'step-start'}]}]}, /last user message is empty: it has neither text nor attachments/],
    ['AI SDK, a file part whose URL is no data', '/api/ai-sdk', {messages: [{id: 'm1', role: 'user', parts: [{type: 'file', mediaType: 'image/png', url: 'x'}]}]}, /Part 0 \(file\) of the last user message: its data is not base64/],
    ['Anthropic, an image whose base64 is broken', '/v1/messages', {messages: [{role: 'user', content: [{type: 'image', source: {type: 'base64', media_type: 'image/png', data: 'iVBOR*w0'}}]}]}, /Part 0 \(image\) of the last user message: its data is not base64/],
    ['Ollama, an image that is no base64', '/api/chat', {messages: [{role: 'user', content: 'Look', images: ['not base64!']}]}, /Image 0 of the last user message: its data is not base64/],
    ['Anthropic, the OpenAI-only business-error scenario', '/v1/messages', {stream: true, messages: QUESTION, scenario: 'business-error'}, /for the openai format only/],
    ['OpenAI, the mid-stream error scenario without stream: true', '/v1/chat/completions', {messages: QUESTION, scenario: 'stream-error'}, /send `stream: true`/],
  ]) {
    it(`answers ${what} with 400 and a message naming the problem`, async () => {
      const response = await post(demo.url, body, {authorization: `Bearer ${TOKEN}`}, path);

      assert.strictEqual(response.status, 400);
      assert.match(errorMessage(await response.json()), pattern);
    });
  }

  it('answers an OpenAI request without a stream field with one JSON chat.completion, as the openai client expects', async () => {
    const response = await post(demo.url, {model: 'gpt-4o-mini', messages: QUESTION});
    const completion = await response.json();

    assert.match(response.headers.get('content-type'), /^application\/json/);
    assert.strictEqual(completion.object, 'chat.completion');
    assert.deepEqual(completion.choices, [{index: 0, message: {role: 'assistant', content: answerFor(ASKED)}, finish_reason: 'stop'}]);
    assert.strictEqual(completion.model, 'gpt-4o-mini');
    assert.strictEqual(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
    assert.ok(completion.usage.completion_tokens > 0 && typeof completion.id === 'string' && Number.isInteger(completion.created));
  });

  for (const [label, path, format, body, check] of [
    ['OpenAI with stream: false', '/v1/chat/completions', 'openai', {stream: false, messages: QUESTION}, (json) => json.object === 'chat.completion'],
    ['OpenAI without a stream field', '/v1/chat/completions', 'openai', {messages: QUESTION}, (json) => json.object === 'chat.completion'],
    ['Responses without stream', '/v1/responses', 'openai-responses', {input: ASKED}, (json) => json.object === 'response' && json.status === 'completed' && json.usage.total_tokens > 0],
    ['Anthropic without stream', '/v1/messages', 'anthropic', {max_tokens: 1024, messages: QUESTION}, (json) => json.type === 'message' && json.stop_reason === 'end_turn'],
    ['Ollama with stream: false', '/api/chat', 'ndjson', {stream: false, messages: QUESTION}, (json) => json.done === true && json.done_reason === 'stop'],
  ]) {
    it(`answers ${label} with one JSON object that streamChat reads as done`, async () => {
      const response = await post(demo.url, body, {authorization: `Bearer ${TOKEN}`}, path);
      const result = await streamChat({url: `${demo.url}${path}`, token: TOKEN, format, body});

      assert.match(response.headers.get('content-type'), /^application\/json/);
      assert.ok(check(await response.json()));
      assert.deepEqual([result.status, result.text], ['done', answerFor(ASKED)]);
    });
  }

  it('adds the OpenAI usage chunk only when stream_options.include_usage asks for it', async () => {
    const plain = await askIn(CASES[0], {scenario: 'fast'});
    const counted = await askIn(CASES[0], {scenario: 'fast', stream_options: {include_usage: true}});

    assert.strictEqual(plain.usage, null);
    assert.ok(counted.usage.inputTokens > 0 && counted.usage.outputTokens > 0, JSON.stringify(counted.usage));
  });

  it('marks the AI SDK stream with its header', async () => {
    const response = await post(demo.url, CASES[4].body(ASKED), {authorization: `Bearer ${TOKEN}`}, '/api/ai-sdk');
    await response.body.cancel();

    assert.strictEqual(response.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  });

  it('lists every format with its endpoint for the page', async () => {
    const config = await (await fetch(`${demo.url}/api/config`)).json();

    assert.deepEqual(
      config.formats.map(({name, endpoint}) => [name, endpoint]),
      FORMATS.map(({name, path}) => [name, path]),
    );
    assert.deepEqual(config.scenarios.find(({name}) => name === 'business-error').formats, ['openai']);
  });
});

/** The page's tools as the demo page gives them, with a fixed clock, for the session round trips. */
const PAGE_TOOLS = {
  local_time: {description: 'The local time', parameters: {type: 'object', properties: {}}, confirm: true, run: () => ({time: '10:11:12', timeZone: 'Europe/Paris'})},
  calculate: {description: 'Arithmetic', parameters: {type: 'object', properties: {expression: {type: 'string'}}, required: ['expression']}, run: ({expression}) => calculate(expression)},
};
const TOOL_DEFINITIONS = Object.entries(PAGE_TOOLS).map(([name, {description, parameters}]) => ({name, description, parameters}));
/** The calculation the tool-result bodies answer, as the model called it. */
const SUM = {expression: '2+3*4'};

/**
 * Each page-run format: its declared tools, a mark of a tool call in its own shape (in its stream
 * and in its whole reply), and a conversation that ends with the result of a `calculate` call,
 * as its own API sends one (`isError` for Anthropic's `is_error`).
 */
const TOOL_FORMATS = {
  openai: {
    tools: TOOL_DEFINITIONS.map(({name, description, parameters}) => ({type: 'function', function: {name, description, parameters}})),
    mark: /"finish_reason":"tool_calls"/,
    endingWithResult: (question, output) => ({
      messages: [
        {role: 'user', content: question},
        {role: 'assistant', content: null, tool_calls: [{id: 'call_1', type: 'function', function: {name: 'calculate', arguments: JSON.stringify(SUM)}}]},
        {role: 'tool', tool_call_id: 'call_1', content: output},
      ],
    }),
  },
  'openai-responses': {
    tools: TOOL_DEFINITIONS.map(({name, description, parameters}) => ({type: 'function', name, description, parameters})),
    mark: /"type":"function_call","status":"completed","call_id":"call_\w+","name":"local_time","arguments":"\{\}"/,
    endingWithResult: (question, output) => ({
      input: [
        {role: 'user', content: [{type: 'input_text', text: question}]},
        {type: 'function_call', call_id: 'call_1', name: 'calculate', arguments: JSON.stringify(SUM)},
        {type: 'function_call_output', call_id: 'call_1', output},
      ],
    }),
  },
  anthropic: {
    tools: TOOL_DEFINITIONS.map(({name, description, parameters}) => ({name, description, input_schema: parameters})),
    mark: /"stop_reason":"tool_use"/,
    endingWithResult: (question, output, isError = false) => ({
      max_tokens: 1024,
      messages: [
        {role: 'user', content: question},
        {role: 'assistant', content: [{type: 'tool_use', id: 'toolu_1', name: 'calculate', input: SUM}]},
        {role: 'user', content: [{type: 'tool_result', tool_use_id: 'toolu_1', content: output, ...(isError ? {is_error: true} : {})}]},
      ],
    }),
  },
  ndjson: {
    tools: TOOL_DEFINITIONS.map(({name, description, parameters}) => ({type: 'function', function: {name, description, parameters}})),
    mark: /"tool_calls":\[\{"function":\{"name":"local_time","arguments":\{\}\}\}\]/,
    endingWithResult: (question, output) => ({
      messages: [
        {role: 'user', content: question},
        {role: 'assistant', content: '', tool_calls: [{function: {name: 'calculate', arguments: SUM}}]},
        {role: 'tool', tool_name: 'calculate', content: output},
      ],
    }),
  },
};

/** A real PNG of `width` × `height` black pixels (8-bit greyscale), made here. */
function png(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body), body.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  // Each row: the filter byte, then one byte per pixel.
  const rows = Buffer.alloc((width + 1) * height);
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = png(3, 2);
const PNG_BASE64 = PNG.toString('base64');
const PNG_URL = `data:image/png;base64,${PNG_BASE64}`;

/** A user message with the PNG (and `text`, unless empty) in each format's own shape. */
const IMAGE_MESSAGES = {
  openai: (text) => ({messages: [{role: 'user', content: [...(text ? [{type: 'text', text}] : []), {type: 'image_url', image_url: {url: PNG_URL}}]}]}),
  'openai-responses': (text) => ({input: [{role: 'user', content: [...(text ? [{type: 'input_text', text}] : []), {type: 'input_image', image_url: PNG_URL}]}]}),
  anthropic: (text) => ({max_tokens: 1024, messages: [{role: 'user', content: [{type: 'image', source: {type: 'base64', media_type: 'image/png', data: PNG_BASE64}}, ...(text ? [{type: 'text', text}] : [])]}]}),
  ndjson: (text) => ({messages: [{role: 'user', content: text, images: [PNG_BASE64]}]}),
  'ai-sdk': (text) => ({messages: [{id: 'm1', role: 'user', parts: [...(text ? [{type: 'text', text}] : []), {type: 'file', mediaType: 'image/png', filename: 'dots.png', url: PNG_URL}]}]}),
};

describe('demo server: tools and attachments', {concurrency: true}, () => {
  let demo;
  before(async () => (demo = await listen(createDemoHandler({token: TOKEN, upstream: null}))));
  after(() => demo.close());

  const pathOf = (format) => CASES.find((testCase) => testCase.format === format).path;
  /** Posts `body` to `format`'s route; resolves with the response's text. */
  const postText = async (format, body) => (await post(demo.url, body, {authorization: `Bearer ${TOKEN}`}, pathOf(format))).text();
  /** What streamChat reads of `body` sent to `format`'s route. */
  const read = (format, body) => streamChat({url: `${demo.url}${pathOf(format)}`, token: TOKEN, format, body});
  /** A session with the page's tools on `format`'s route that approves (or denies) every call waiting. */
  const sessionOn = (format, approve = true) => {
    const session = new ChatSession({url: `${demo.url}${pathOf(format)}`, token: TOKEN, format, tools: PAGE_TOOLS});
    session.addEventListener('change', () => {
      const answer = session.messages.at(-1);
      const waiting = answer?.toolCalls?.find(({state}) => state === 'approval');
      if (waiting) session.approveTool(answer.id, waiting.id, approve);
    });
    return session;
  };

  for (const [format, {tools, mark, endingWithResult}] of Object.entries(TOOL_FORMATS)) {
    const label = formatAt(pathOf(format)).label;
    const timeQuestion = {tools, messages: [{role: 'user', content: 'What time is it?'}]};

    it(`${label}: streams a local_time call for a question about the time, in its own shape`, async () => {
      const body = {...timeQuestion, stream: true};

      const raw = await postText(format, body);
      const result = await read(format, body);

      assert.match(raw, mark);
      assert.strictEqual(result.status, 'done');
      assert.deepEqual(result.toolCalls.map(({name, input}) => ({name, input})), [{name: 'local_time', input: {}}]);
    });

    it(`${label}: answers a question about the time whole, as its tool call`, async () => {
      const body = {...timeQuestion, stream: false};

      const raw = await postText(format, body);
      const result = await read(format, body);

      assert.match(raw, mark);
      assert.doesNotMatch(raw, /^data:/m);
      assert.deepEqual(result.toolCalls.map(({name, input}) => ({name, input})), [{name: 'local_time', input: {}}]);
    });

    it(`${label}: calls calculate with the expression of a calculation`, async () => {
      const result = await read(format, {tools, stream: true, messages: [{role: 'user', content: 'calculate 2+3*4'}]});

      assert.deepEqual(result.toolCalls.map(({name, input}) => ({name, input})), [{name: 'calculate', input: SUM}]);
    });

    it(`${label}: answers a conversation that ends with the tool's result with that result`, async () => {
      const result = await read(format, {...endingWithResult('calculate 2+3*4', '14'), stream: true});

      assert.deepEqual([result.status, result.text, result.toolCalls], ['done', '`2+3*4` = **14**', []]);
    });

    it(`${label}: says politely that it could not when the result tells of a denial`, async () => {
      const result = await read(format, {...endingWithResult('计算 2+3*4', 'The user denied this call'), stream: true});

      assert.strictEqual(result.text, '抱歉，我没能计算 `2+3*4`：你没有允许。');
    });

    it(`${label}: round trip with the session: the approved local_time gives the page's time`, async () => {
      const result = await sessionOn(format).send('What time is it?');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, "Your local time is **10:11:12** (Europe/Paris), as your page's clock tells it.");
    });

    it(`${label}: round trip with the session: a denied local_time gets a polite answer in the question's language`, async () => {
      const result = await sessionOn(format, false).send('现在几点？');

      assert.strictEqual(result.text, '抱歉，我没能读取你的本地时间：你没有允许。');
    });

    it(`${label}: round trip with the session: calculate's result, and its error for a bad expression`, async () => {
      const session = sessionOn(format);

      const sum = await session.send('2+3*4');
      const bad = await session.send('calculate 2+');

      assert.strictEqual(sum.text, '`2+3*4` = **14**');
      assert.strictEqual(bad.text, 'Sorry, I could not calculate `2+`: The call failed: "2+" cannot be read: it ends where a number or "(" should follow');
    });

    it(`${label}: says so when the request declares no tool for the time`, async () => {
      const result = await read(format, {stream: true, messages: [{role: 'user', content: 'What time is it?'}]});

      assert.deepEqual(result.toolCalls, []);
      assert.match(result.text, /declares no such tool/);
    });
  }

  it('Anthropic: a tool_result with is_error gets the polite answer with its reason', async () => {
    const result = await read('anthropic', {...TOOL_FORMATS.anthropic.endingWithResult('calculate 2+3*4', 'The calculator is offline', true), stream: true});

    assert.strictEqual(result.text, 'Sorry, I could not calculate `2+3*4`: The calculator is offline');
  });

  /** The AI SDK route's parts for `question`, as JSON. */
  const aiSdkParts = async (question) =>
    (await postText('ai-sdk', CASES[4].body(question)))
      .split('\n\n')
      .map((event) => /^data: (.*)$/m.exec(event)?.[1])
      .filter((data) => data && data !== '[DONE]')
      .map((data) => JSON.parse(data));

  it('AI SDK: runs calculate on the server, streaming its input and output parts before the answer', async () => {
    const parts = await aiSdkParts('calculate 2+3*4');

    const types = parts.map(({type}) => type).filter((type, index, all) => type !== all[index - 1]);
    assert.deepEqual(types, ['start', 'start-step', 'tool-input-start', 'tool-input-delta', 'tool-input-available', 'tool-output-available', 'finish-step', 'start-step', 'text-start', 'text-delta', 'text-end', 'finish-step', 'finish']);
    const [available, output] = parts.filter(({type}) => type === 'tool-input-available' || type === 'tool-output-available');
    assert.deepEqual([available.toolName, available.input, output.toolCallId, output.output], ['calculate', SUM, available.toolCallId, 14]);
    assert.strictEqual(parts.filter(({type}) => type === 'text-delta').map(({delta}) => delta).join(''), '`2+3*4` = **14**');
  });

  it('AI SDK: tells the server\'s time, labelled as the server\'s, from its own server_time tool', async () => {
    const parts = await aiSdkParts('What time is it?');

    const {output} = parts.find(({type}) => type === 'tool-output-available');
    assert.deepEqual(Object.keys(output), ['time', 'timeZone']);
    assert.strictEqual(output.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.strictEqual(parts.filter(({type}) => type === 'text-delta').map(({delta}) => delta).join(''), `The server's time is **${output.time}** (${output.timeZone}): this route runs its tools on the server, which cannot see your page's clock.`);
  });

  it('AI SDK: streams a failed calculation as tool-output-error, then a polite answer', async () => {
    const parts = await aiSdkParts('calculate 1/0');

    assert.deepEqual(parts.find(({type}) => type.startsWith('tool-output')), {type: 'tool-output-error', toolCallId: parts.find(({type}) => type === 'tool-input-start').toolCallId, errorText: '"1/0" has no finite value (a division by zero?)'});
    assert.match(parts.filter(({type}) => type === 'text-delta').map(({delta}) => delta).join(''), /^Sorry, I could not calculate `1\/0`/);
  });

  it('AI SDK: the SDK\'s own reader assembles the server-run tool, its output and the answer', async () => {
    const response = await post(demo.url, CASES[4].body('calculate (1+2)^2'), {authorization: `Bearer ${TOKEN}`}, '/api/ai-sdk');
    const chunks = parseJsonEventStream({stream: response.body, schema: uiMessageChunkSchema}).pipeThrough(
      new TransformStream({
        transform: (chunk, controller) => (chunk.success ? controller.enqueue(chunk.value) : controller.error(chunk.error)),
      }),
    );

    let message;
    for await (const snapshot of readUIMessageStream({stream: chunks, terminateOnError: true})) message = snapshot;

    const [tool, text] = message.parts.filter(({type}) => type !== 'step-start');
    assert.deepEqual([tool.type, tool.state, tool.input, tool.output], ['tool-calculate', 'output-available', {expression: '(1+2)^2'}, 9]);
    assert.deepEqual([text.type, text.text], ['text', '`(1+2)^2` = **9**']);
  });

  for (const [format, message] of Object.entries(IMAGE_MESSAGES)) {
    const label = formatAt(pathOf(format)).label;

    it(`${label}: describes an attached PNG: its type, its size in bytes and its pixels`, async () => {
      const result = await read(format, {...message('What is in this picture?'), stream: true});

      assert.strictEqual(result.status, 'done');
      assert.match(result.text, /You asked: \*\*What is in this picture\?\*\*/);
      assert.ok(result.text.includes(`image/png, ${PNG.length} bytes, 3 × 2 pixels`), result.text);
    });

    it(`${label}: takes a message with only an image, and describes it in English`, async () => {
      const result = await read(format, {...message(''), stream: true});

      assert.strictEqual(result.status, 'done');
      assert.ok(result.text.includes(`image/png, ${PNG.length} bytes, 3 × 2 pixels`), result.text);
    });
  }

  it('describes an image in Chinese for a Chinese question', async () => {
    const result = await read('openai', {...IMAGE_MESSAGES.openai('这张图是什么？'), stream: true});

    assert.ok(result.text.includes(`image/png，${PNG.length} 字节，3 × 2 像素`), result.text);
  });

  it('names the file an AI SDK file part names', async () => {
    const result = await read('ai-sdk', IMAGE_MESSAGES['ai-sdk']('Look'));

    assert.ok(result.text.includes(`**dots.png**: image/png, ${PNG.length} bytes`), result.text);
  });

  // The smallest headers that say a size: a GIF's screen, a JPEG's frame after an APP0 segment, and WebP's three kinds.
  for (const [kind, bytes, type, pixels] of [
    ['a GIF', Buffer.from([...Buffer.from('GIF89a'), 0x40, 0x01, 0xf0, 0x00, 0, 0, 0]), 'image/gif', '320 × 240'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80, 1, 1, 0x11, 0]), 'image/jpeg', '640 × 480'],
    ['a lossy WebP', Buffer.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0, 0, 0, 0, 0, 0, 0, 0x9d, 0x01, 0x2a, 0x90, 0x01, 0x2c, 0x01]), 'image/webp', '400 × 300'],
    ['a lossless WebP', Buffer.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8L'), 0, 0, 0, 0, 0x2f, 0x0f, 0xc0, 0x0d, 0x00]), 'image/webp', '16 × 56'],
    ['an extended WebP', Buffer.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8X'), 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0x07, 0x00, 0x37, 0x04, 0x00]), 'image/webp', '1920 × 1080'],
  ]) {
    it(`reads ${kind}'s pixel size from its header`, async () => {
      const result = await read('openai', {stream: true, messages: [{role: 'user', content: [{type: 'image_url', image_url: {url: `data:${type};base64,${bytes.toString('base64')}`}}]}]});

      assert.ok(result.text.includes(`${type}, ${bytes.length} bytes, ${pixels} pixels`), result.text);
    });
  }

  it('says what a cut-off image is, without pixels, and what type its bytes are when none is declared', async () => {
    const result = await read('ndjson', {stream: true, messages: [{role: 'user', content: '', images: [PNG.subarray(0, 20).toString('base64'), PNG_BASE64]}]});

    assert.ok(result.text.includes('- application/octet-stream, 20 bytes\n'), result.text);
    assert.ok(result.text.includes(`- image/png, ${PNG.length} bytes, 3 × 2 pixels`), result.text);
  });

  for (const [label, format, part] of [
    ['an OpenAI file part', 'openai', {type: 'file', file: {filename: 'notes.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK'}}],
    ['a Responses input_file', 'openai-responses', {type: 'input_file', filename: 'notes.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK'}],
    ['an Anthropic document', 'anthropic', {type: 'document', title: 'notes.pdf', source: {type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK'}}],
  ]) {
    it(`describes ${label}: its name, type and size`, async () => {
      const result = await read(format, {stream: true, max_tokens: 1024, [format === 'openai-responses' ? 'input' : 'messages']: [{role: 'user', content: [part]}]});

      assert.ok(result.text.includes('**notes.pdf**: application/pdf, 9 bytes'), result.text);
    });
  }

  it('names a linked image without fetching it', async () => {
    const result = await read('openai', {stream: true, messages: [{role: 'user', content: [{type: 'image_url', image_url: {url: 'https://example.invalid/cat.png'}}]}]});

    assert.ok(result.text.includes('a link to https://example.invalid/cat.png (application/octet-stream): the demo model opens no links'), result.text);
  });
});

describe('the demo\'s calculate tool', () => {
  for (const [expression, value] of [
    ['2+3*4', 14],
    ['(1+2)*3', 9],
    ['-2^2', -4],
    ['2^3^2', 512],
    ['2^-1', 0.5],
    ['7 % 4 / 2', 1.5],
    ['0.1+0.2', 0.3],
    ['3×4÷2', 6],
  ]) {
    it(`reads ${expression} as ${value}`, () => {
      assert.strictEqual(calculate(expression), value);
    });
  }

  for (const [expression, message] of [
    ['', /The expression is empty/],
    ['2+', /"2\+" cannot be read: it ends where a number or "\(" should follow/],
    ['((2)', /a "\)" is missing/],
    ['2 3', /unexpected "3"/],
    ['alert(1)', /has "a" at position 1; only numbers, \+ - \* \/ % \^ and parentheses are allowed/],
    ['1/0', /no finite value/],
    ['1'.repeat(201), /longer than 200 characters/],
  ]) {
    it(`refuses ${JSON.stringify(expression.slice(0, 12))} with an error naming the problem`, () => {
      assert.throws(() => calculate(expression), message);
    });
  }

  it('refuses an expression that is no string with a TypeError', () => {
    assert.throws(() => calculate(14), {name: 'TypeError', message: 'The expression must be a string (got number)'});
  });
});

/** The formats that stream Server-Sent Events, whose events carry ids. */
const SSE_CASES = CASES.filter(({format}) => format !== 'ndjson');
/** The events of an event stream, each with the blank line that ends it. */
const eventsOf = (text) => text.match(/[^]*?\n\n/g) ?? [];
/** The id of an event that has one, else undefined. */
const idOf = (event) => /^id: (\d+)\n/.exec(event)?.[1];

/** Reads a body as far as the connection goes: its text, and whether the connection broke first. */
async function readUntilBroken(response) {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const part of response.body) text += decoder.decode(part, {stream: true});
    return {text, broken: false};
  } catch {
    return {text, broken: true};
  }
}

describe('demo server: resuming a broken stream', {concurrency: true}, () => {
  let demo;
  before(async () => (demo = await listen(createDemoHandler({token: TOKEN, upstream: null}))));
  after(() => demo.close());

  /** POSTs `path` in its format's own body for ASKED with `extra` fields, the token as its client sends it, and `headers`. */
  const postIn = ({path, body, tokenHeader}, extra = {}, headers = {}) =>
    post(demo.url, {...body(ASKED), ...extra}, {...(tokenHeader ? {[tokenHeader]: TOKEN} : {authorization: `Bearer ${TOKEN}`}), ...headers}, path);
  /** The text streamChat reads from `stream`, served whole as one event stream in the format of `testCase`. */
  const textOf = async ({format, path, body}, stream) => {
    const fetch = async () => new Response(stream, {headers: {'content-type': 'text/event-stream'}});
    return (await streamChat({url: `${demo.url}${path}`, token: TOKEN, format, body: body(ASKED), fetch})).text;
  };

  for (const testCase of SSE_CASES) {
    const label = formatAt(testCase.path).label;

    it(`${label}: numbers the events of an answer from 1 after a retry field, the same bytes for the same request`, async () => {
      const first = await postIn(testCase, {scenario: 'fast'});
      const second = await postIn(testCase, {scenario: 'fast'});
      const text = await first.text();
      const [retry, ...events] = eventsOf(text);

      assert.strictEqual(text, await second.text());
      assert.strictEqual(retry, 'retry: 1000\n\n');
      assert.deepEqual(events.map(idOf), events.map((_, index) => String(index + 1)));
      assert.strictEqual(first.headers.get('last-event-id'), null);
      assert.strictEqual(first.headers.get('access-control-expose-headers'), 'Last-Event-ID');
      assert.strictEqual(first.headers.get('x-accel-buffering'), 'no');
    });

    it(`${label}: answers Last-Event-ID with the echo and exactly the events after that id`, async () => {
      const events = eventsOf(await (await postIn(testCase, {scenario: 'fast'})).text());
      const id = Math.floor(events.length / 2);

      const resumed = await postIn(testCase, {scenario: 'fast'}, {'last-event-id': String(id)});
      const rest = await resumed.text();

      assert.deepEqual([resumed.status, resumed.headers.get('last-event-id')], [200, String(id)]);
      assert.strictEqual(rest, events.slice(id + 1).join(''));
      assert.strictEqual(await textOf(testCase, events.slice(0, id + 1).join('') + rest), answerFor(ASKED, {sections: 8}));
    });

    it(`${label}: the flaky scenario breaks once, 40% in, and the request resuming it goes on to the end`, async () => {
      const first = await readUntilBroken(await postIn(testCase, {scenario: 'flaky'}));
      const received = eventsOf(first.text);
      const lastId = idOf(received.at(-1));
      const sofar = await textOf(testCase, received.join(''));

      const resumed = await postIn(testCase, {scenario: 'flaky'}, {'last-event-id': lastId});
      const rest = await readUntilBroken(resumed);

      assert.ok(first.broken);
      const share = sofar.length / answerFor(ASKED).length;
      assert.ok(share > 0.3 && share < 0.5 && answerFor(ASKED).startsWith(sofar), `${share}: ${sofar}`);
      assert.deepEqual([rest.broken, resumed.headers.get('last-event-id')], [false, lastId]);
      assert.strictEqual(idOf(rest.text), String(Number(lastId) + 1));
      assert.strictEqual(await textOf(testCase, received.join('') + rest.text), answerFor(ASKED));
    });

    it(`${label}: streamChat reads the flaky scenario whole, resumed once`, async () => {
      const {format, path, body, tokenHeader} = testCase;

      const result = await streamChat({url: `${demo.url}${path}`, token: TOKEN, ...(tokenHeader ? {tokenHeader} : {}), format, body: {...body(ASKED), scenario: 'flaky'}});

      assert.deepEqual([result.status, result.text, result.timing.resumed], ['done', answerFor(ASKED), 1]);
    });
  }

  it('sends the resumed part at the model\'s pace, without waiting for the events skipped', async () => {
    const tokens = tokenize(answerFor(ASKED)).length;
    const started = Date.now();

    const resumed = await postIn(CASES[0], {scenario: 'normal'}, {'last-event-id': String(tokens - 5)});
    const rest = eventsOf(await resumed.text());

    // The whole answer takes a token interval per token; the few events left, a few intervals.
    assert.ok(Date.now() - started < (tokens * TOKEN_INTERVAL_MS) / 2, `${Date.now() - started} ms`);
    assert.strictEqual(idOf(rest[0]), String(tokens - 4));
    assert.match(rest.at(-1), /data: \[DONE\]/);
  });

  for (const [what, testCase, extra, lastEventId, ids] of [
    ['an Ollama NDJSON stream, which has no ids', CASES[3], {scenario: 'fast'}, '3', false],
    ['an answer that is not streamed', CASES[0], {scenario: 'fast', stream: false}, '3', false],
    ['an id that is no event number', CASES[0], {scenario: 'fast'}, 'abc', true],
    ['the dropped scenario, a server that cannot resume', CASES[0], {scenario: 'dropped'}, '3', false],
  ]) {
    it(`answers Last-Event-ID for ${what} with the whole answer, without the echo`, async () => {
      const fresh = await readUntilBroken(await postIn(testCase, extra));
      const response = await postIn(testCase, extra, {'last-event-id': lastEventId});
      const answer = await readUntilBroken(response);

      assert.strictEqual(response.headers.get('last-event-id'), null);
      // Ollama's lines carry the time they were written.
      const timeless = (text) => text.replace(/"created_at":"[^"]*"/g, '');
      assert.strictEqual(timeless(answer.text), timeless(fresh.text));
      assert.strictEqual(/^id: 1$/m.test(answer.text), ids);
    });
  }

  it('scenario buffered: nothing for 1.5 seconds, then the whole answer in one burst, which streamChat flags', async () => {
    const result = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {stream: true, scenario: 'buffered', messages: QUESTION}});

    assert.deepEqual([result.status, result.text, result.buffered], ['done', answerFor(ASKED), true]);
    assert.ok(result.timing.firstByteMs >= 1400, `first byte after ${result.timing.firstByteMs} ms`);
  });
});

/** GETs `path` exactly as written (fetch would resolve its dot segments first). */
function getRaw(url, path) {
  return new Promise((resolve, reject) => {
    const {hostname, port} = new URL(url);
    get({hostname, port, path}, (res) => {
      const parts = [];
      res.on('data', (part) => parts.push(part));
      res.on('end', () => resolve({status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(parts)}));
    }).on('error', reject);
  });
}

describe('demo server: KaTeX from node_modules', () => {
  let demo;
  let withoutKatex;
  before(async () => {
    demo = await listen(createDemoHandler({token: TOKEN, upstream: null}));
    withoutKatex = await listen(createDemoHandler({token: TOKEN, upstream: null, katexDir: join(tmpdir(), 'chat-stream-no-katex')}));
  });
  after(async () => {
    await demo.close();
    await withoutKatex.close();
  });

  it('tells the page where KaTeX\'s module and stylesheet are', async () => {
    const config = await (await fetch(`${demo.url}/api/config`)).json();

    assert.deepEqual(config.katex, {module: '/vendor/katex/katex.mjs', stylesheet: '/vendor/katex/katex.min.css'});
  });

  it('serves katex.mjs as JavaScript', async () => {
    const {status, type, body} = await getRaw(demo.url, '/vendor/katex/katex.mjs');

    assert.deepEqual([status, type], [200, 'text/javascript; charset=utf-8']);
    assert.match(body.toString(), /export \{[^}]*renderToString/);
  });

  it('serves the stylesheet as CSS, and the fonts it names', async () => {
    const css = await getRaw(demo.url, '/vendor/katex/katex.min.css');
    const [, font] = /url\(fonts\/([^)]+\.woff2)\)/.exec(css.body.toString());
    const served = await getRaw(demo.url, `/vendor/katex/fonts/${font}`);

    assert.deepEqual([css.status, css.type], [200, 'text/css; charset=utf-8']);
    assert.deepEqual([served.status, served.type], [200, 'font/woff2']);
    assert.strictEqual(served.body.subarray(0, 4).toString(), 'wOF2');
  });

  for (const path of ['/vendor/katex/../package.json', '/vendor/katex/%2e%2e/package.json', '/vendor/katex/..%2fpackage.json', '/vendor/katex/%2E%2E%2Fpackage.json', '/vendor/katex/fonts/..%2f..%2fpackage.json', '/vendor/katex/', '/vendor/katex/nope.js']) {
    it(`answers ${path} with 404: only files inside KaTeX's dist folder`, async () => {
      const {status, body} = await getRaw(demo.url, path);

      assert.strictEqual(status, 404);
      assert.doesNotMatch(body.toString(), /"version"/);
    });
  }

  it('has no KaTeX to offer when it is not installed: null in the config, 404 for its files', async () => {
    const config = await (await fetch(`${withoutKatex.url}/api/config`)).json();
    const module = await getRaw(withoutKatex.url, '/vendor/katex/katex.mjs');

    assert.strictEqual(config.katex, null);
    assert.strictEqual(module.status, 404);
  });
});

describe('demo server: proxy mode', () => {
  let upstream;
  let demo;
  const seen = [];
  let release = () => {};
  let upstreamClosed = false;

  before(async () => {
    // Stands in for the upstream service; each request's path and question pick its behaviour.
    upstream = await listen(async (req, res) => {
      let body = '';
      for await (const part of req) body += part;
      const request = {path: req.url, headers: req.headers, body: JSON.parse(body)};
      seen.push(request);
      const content = request.body.messages?.at(-1)?.content;
      // The other routes, and an AI SDK backend, answer in their own format, as the demo writes it.
      const other = content === 'ai sdk' ? formatAt('/api/ai-sdk') : request.path === '/v1/chat/completions' ? null : formatAt(request.path);
      if (other) {
        const wire = new other.Wire(request.body, String(content ?? ''));
        res.writeHead(200, other.headers);
        return res.end(wire.start() + wire.delta('text', 'Hello from upstream') + wire.finish());
      }
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
    assert.strictEqual(response.headers.get('retry-after'), '7');
    assert.deepEqual(await response.json(), {error: {message: 'You exceeded your quota', type: 'insufficient_quota'}});
    assert.strictEqual(html.status, 502);
    assert.strictEqual(await html.text(), '<h1>bad gateway</h1>');
  });

  for (const {format, path, body, tokenHeader} of CASES.filter(({format}) => format !== 'ai-sdk')) {
    const anthropic = path === '/v1/messages';
    it(`forwards ${path} to the same route upstream with ${anthropic ? 'x-api-key and anthropic-version' : 'the Bearer key'}, passing its content type`, async () => {
      seen.length = 0;
      let response;

      const result = await streamChat({
        url: `${demo.url}${path}`,
        token: TOKEN,
        ...(tokenHeader ? {tokenHeader} : {}),
        format,
        body: body('proxied'),
        fetch: async (...args) => (response = await fetch(...args)),
        onUpdate: () => release(),
      });

      const [request] = seen;
      assert.strictEqual(request.path, path);
      assert.deepEqual(request.body, body('proxied'));
      assert.deepEqual(
        [request.headers.authorization, request.headers['x-api-key'], request.headers['anthropic-version']],
        anthropic ? [undefined, 'sk-upstream-secret', '2023-06-01'] : ['Bearer sk-upstream-secret', undefined, undefined],
      );
      // The chat completions stand-in sends a bare `text/event-stream`; the others, the demo's own types.
      assert.strictEqual(response.headers.get('content-type'), format === 'openai' ? 'text/event-stream' : formatAt(path).headers['content-type']);
      assert.deepEqual([result.status, result.text], ['done', 'Hello from upstream']);
    });
  }

  it('passes the AI SDK stream header through', async () => {
    let response;

    const result = await streamChat({url: `${demo.url}/v1/chat/completions`, token: TOKEN, body: {stream: true, messages: [{role: 'user', content: 'ai sdk'}]}, fetch: async (...args) => (response = await fetch(...args))});

    assert.strictEqual(response.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    assert.deepEqual([result.status, result.format, result.text], ['done', 'ai-sdk', 'Hello from upstream']);
  });

  it('answers the AI SDK route, which has no upstream, with 404 naming what is forwarded', async () => {
    seen.length = 0;

    const response = await post(demo.url, CASES[4].body(ASKED), {authorization: `Bearer ${TOKEN}`}, '/api/ai-sdk');

    assert.strictEqual(response.status, 404);
    assert.match(errorMessage(await response.json()), /forwards the OpenAI, Responses, Anthropic and Ollama routes/);
    assert.strictEqual(seen.length, 0);
  });

  it('lists the forwarded formats for the page, and no scenarios', async () => {
    const config = await (await fetch(`${demo.url}/api/config`)).json();

    assert.deepEqual(config.formats.map(({name}) => name), ['openai', 'openai-responses', 'anthropic', 'ndjson']);
    assert.deepEqual(config.scenarios, []);
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
