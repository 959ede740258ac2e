// The behaviour of `streamChat`, run in Node (node:test) and in Chromium (web-test-runner)
// against the same scenarios served over real HTTP. See test/fixtures/server.js.
import {GREETING, GREETING_TEXT, JSON_BLOCK, LARGE_COUNT, LARGE_DELTA, PLAIN_JSON_BLOCK} from '../fixtures/scenarios.js';

const HOSTILE_SPLITS = [{split: 'whole'}, {split: 'hostile', pace: '1'}, {split: 'bytes', pace: '1'}];
const MESSAGES = [{role: 'user', content: '你好'}];
let probeCount = 0;

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {{strictEqual: Function, deepEqual: Function, match: Function, ok: Function}} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineStreamChatSuite({describe, it, assert, core, origin}) {
  const {streamChat} = core;
  const scenarioUrl = (name, params = {}) => `${origin()}/sse/${name}?${new URLSearchParams(params)}`;
  const chat = (name, params = {}, options = {}) =>
    streamChat({url: scenarioUrl(name, params), token: 'test-token', body: {messages: MESSAGES}, ...options});
  const newProbe = () => `p${++probeCount}-${Math.random().toString(36).slice(2)}`;
  const readProbe = async (id) => (await fetch(`${origin()}/sse-probe/${id}`)).json();
  const waitForClose = async (id) => {
    for (let i = 0; i < 150; i++) {
      if ((await readProbe(id)).closed) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  };

  describe('streamChat: the token', () => {
    for (const token of [undefined, null, '', '   ']) {
      it(`resolves login-required and sends nothing when the token is ${JSON.stringify(token)}`, async () => {
        const probe = newProbe();

        const result = await chat('greeting', {probe}, {token});

        assert.strictEqual(result.status, 'login-required');
        assert.strictEqual(result.error, null);
        assert.strictEqual((await readProbe(probe)).requests, 0);
      });
    }

    it('sends without a token when requireToken is false', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe}, {token: undefined, requireToken: false});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual((await readProbe(probe)).headers.authorization, undefined);
    });

    it('sends the token as a Bearer Authorization header by default', async () => {
      const probe = newProbe();

      await chat('greeting', {probe});

      assert.strictEqual((await readProbe(probe)).headers.authorization, 'Bearer test-token');
    });

    it('sends the raw token in another tokenHeader, like the original backend', async () => {
      const probe = newProbe();

      await chat('greeting', {probe}, {tokenHeader: 'token'});

      const {headers} = await readProbe(probe);
      assert.strictEqual(headers.token, 'test-token');
      assert.strictEqual(headers.authorization, undefined);
    });

    it('POSTs the body as JSON, with the extra headers', async () => {
      const probe = newProbe();
      const body = {model: 'demo', stream: true, messages: MESSAGES};

      await chat('greeting', {probe}, {body, headers: {'X-Trace': 'abc'}});

      const seen = await readProbe(probe);
      assert.strictEqual(seen.method, 'POST');
      assert.match(seen.headers['content-type'], /^application\/json/);
      assert.strictEqual(seen.headers['x-trace'], 'abc');
      assert.deepEqual(JSON.parse(seen.body), body);
    });
  });

  describe('streamChat: programming errors reject', () => {
    for (const [what, options, pattern] of [
      ['no url', {token: 't'}, /`url` is required/],
      ['an empty url', {url: ' ', token: 't'}, /`url` is required/],
      ['a BigInt body', {url: '/x', token: 't', body: {n: 1n}}, /`body` cannot be serialised/],
      ['a circular body', {url: '/x', token: 't', body: circular()}, /`body` cannot be serialised/],
      ['a function body', {url: '/x', token: 't', body: () => {}}, /`body` cannot be serialised/],
      ['an invalid tokenHeader', {url: '/x', token: 't', tokenHeader: 'bad header'}, /`tokenHeader`/],
      ['a non-function onUpdate', {url: '/x', token: 't', onUpdate: 'text'}, /`onUpdate` must be a function/],
    ]) {
      it(`rejects ${what} with a message that names it`, async () => {
        let rejection;

        await streamChat(options).catch((error) => (rejection = error));

        assert.ok(rejection instanceof TypeError);
        assert.match(rejection.message, pattern);
      });
    }
  });

  describe('streamChat: HTTP failures', () => {
    it('turns a 401 into login-required with the http error', async () => {
      const result = await chat('http-401');

      assert.strictEqual(result.status, 'login-required');
      assert.deepEqual(result.error, {kind: 'http', code: 401, message: 'Token expired'});
    });

    for (const [name, code, message] of [
      ['http-500-json', 500, 'The server had an error'],
      ['http-400-message', 400, 'messages must not be empty'],
      ['http-502-html', 502, 'Bad Gateway'],
      ['http-503-empty', 503, 'Service Unavailable'],
      ['http-429-text', 429, 'Too Many Requests'],
      ['http-400-gemini', 400, 'API key not valid. Please pass a valid API key.'],
      ['http-422-detail', 422, 'Field required'],
      ['http-400-openrouter', 400, 'Provider returned error: prompt is too long: 210000 tokens > 200000 maximum'],
      ['http-400-openrouter-text', 400, 'Provider returned error: "upstream timed out"'],
    ]) {
      it(`reports ${name} as an http error with message "${message}"`, async () => {
        const result = await chat(name);

        assert.strictEqual(result.status, 'error');
        assert.deepEqual(result.error, {kind: 'http', code, message});
      });
    }
  });

  describe('streamChat: 2xx responses that are not event streams', () => {
    it("reports the backend's {code, msg} as a business error", async () => {
      const result = await chat('business');

      assert.strictEqual(result.status, 'error');
      assert.deepEqual(result.error, {kind: 'business', code: 10001, message: '余额不足'});
    });

    it('reports a non-JSON body as invalid_response naming its content type', async () => {
      const result = await chat('business-html');

      assert.strictEqual(result.error.kind, 'business');
      assert.strictEqual(result.error.code, 'invalid_response');
      assert.match(result.error.message, /text\/html/);
    });

    it('reports JSON that is neither an error nor an answer as invalid_response', async () => {
      const result = await chat('business-ok-no-answer');

      assert.strictEqual(result.error.code, 'invalid_response');
      assert.match(result.error.message, /application\/json/);
    });

    it('reports a {code, msg} body sent as an event stream as a business error', async () => {
      for (const split of ['whole', 'bytes', 'hostile']) {
        const result = await chat('business-as-stream', {split});

        assert.deepEqual(result.error, {kind: 'business', code: 10001, message: '余额不足'}, split);
      }
    });

    it('reports a multi-line JSON error sent as an event stream with its message', async () => {
      const result = await chat('error-as-stream', {split: 'hostile'});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual(result.error, {kind: 'business', code: 'model_not_found', message: 'The model `gpt-9` does not exist'});
    });

    it('quotes a text body sent as an event stream without events', async () => {
      const result = await chat('text-as-stream');

      assert.strictEqual(result.error.code, 'invalid_response');
      assert.match(result.error.message, /no events: "upstream connect error/);
    });

    it('accepts a complete, non-streamed chat completion', async () => {
      const result = await chat('completion');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, 'Not streamed');
      assert.strictEqual(result.finishReason, 'stop');
    });
  });

  describe('streamChat: decoding the event stream', () => {
    for (const params of HOSTILE_SPLITS) {
      const how = `split ${params.split}`;

      it(`reads the original article's stream (data: without a space, finishReason) (${how})`, async () => {
        const {timing, buffered, ...result} = await chat('article', params);

        assert.strictEqual(buffered, false);
        assert.deepEqual({retries: timing.retries, resumed: timing.resumed}, {retries: 0, resumed: 0});
        assert.deepEqual(result, {
          status: 'done',
          text: '你好!',
          reasoning: '',
          reasoningMs: null,
          finishReason: 'stop',
          id: '1805489381010771970',
          sensitive: null,
          error: null,
          toolCalls: [],
          usage: null,
          format: 'openai',
        });
      });

      for (const name of ['greeting', 'crlf', 'cr', 'bom']) {
        it(`keeps every character of the ${name} stream (${how})`, async () => {
          const result = await chat(name, params);

          assert.strictEqual(result.text, GREETING_TEXT);
          assert.strictEqual(result.status, 'done');
        });
      }

      it(`treats a second BOM as data, which hides the first event (${how})`, async () => {
        const result = await chat('double-bom', params);

        assert.strictEqual(result.text, GREETING_TEXT);
      });

      it(`accepts CR, LF and CRLF mixed in one stream (${how})`, async () => {
        const result = await chat('mixed-eol', params);

        assert.strictEqual(result.text, '你好');
        assert.strictEqual(result.status, 'done');
      });
    }

    it('joins multi-line data before parsing it', async () => {
      const result = await chat('multiline-data', {split: 'bytes'});

      assert.strictEqual(result.text, 'two lines');
    });

    it('reports each delta to onUpdate with the whole text so far', async () => {
      const updates = [];

      await chat('greeting', {split: 'hostile', pace: '1'}, {onUpdate: (update) => updates.push({...update})});

      assert.deepEqual(
        updates.map((update) => update.delta),
        GREETING,
      );
      assert.strictEqual(updates.at(-1).text, GREETING_TEXT);
      assert.strictEqual(updates[1].text, GREETING[0] + GREETING[1]);
    });
  });

  describe('streamChat: [DONE]', () => {
    it('ends at [DONE], ignores what follows and cancels the body', async () => {
      const probe = newProbe();

      const result = await chat('after-done', {probe});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, 'kept');
      assert.ok(await waitForClose(probe), 'the server saw the connection close');
    });
  });

  describe('streamChat: chat-completion chunks', () => {
    it('never appends a null content as "null"', async () => {
      const result = await chat('null-content');

      assert.strictEqual(result.text, 'not null');
    });

    it('keeps reasoning_content apart from the text', async () => {
      const reasoningDeltas = [];

      const result = await chat('reasoning', {}, {onUpdate: (update) => reasoningDeltas.push(update.reasoningDelta)});

      assert.strictEqual(result.reasoning, 'Think 思考');
      assert.strictEqual(result.text, 'Answer');
      assert.deepEqual(reasoningDeltas, ['Think ', '思考', '']);
    });

    it('keeps a reasoning delta apart from the text', async () => {
      const result = await chat('reasoning-field');

      assert.strictEqual(result.reasoning, 'Let me see. ');
      assert.strictEqual(result.text, '42');
    });

    it('keeps a finish reason that a later null does not clear', async () => {
      const result = await chat('finish-kept');

      assert.strictEqual(result.finishReason, 'length');
      assert.strictEqual(result.id, 'chatcmpl-42');
    });

    it('skips chunks with no or empty choices (usage, Azure filter results)', async () => {
      const result = await chat('skipped-chunks');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, 'Azure ok');
    });

    it('follows the choice with index 0, wherever it stands', async () => {
      const result = await chat('choices-reordered');

      assert.strictEqual(result.text, 'A');
    });

    it('skips empty data and named events that are not JSON', async () => {
      const result = await chat('keep-alive-data');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, GREETING_TEXT);
    });

    for (const [name, behaviour, expected] of [
      ['refusal', 'shows an OpenAI refusal as the answer', {status: 'done', text: "I'm sorry, I can't assist with that.", reasoning: ''}],
      ['content-parts', 'reads content sent as typed parts: text to the answer, thinking to the reasoning', {status: 'done', text: 'Hello! How can I help?', reasoning: 'Let me think.'}],
      ['deep-parts', "ignores content parts nested deeper than a thinking part's text, however deep", {status: 'done', text: 'ok', reasoning: ''}],
    ]) {
      it(behaviour, async () => {
        const {status, text, reasoning} = await chat(name);

        assert.deepEqual({status, text, reasoning}, expected);
      });
    }

    it('follows choice 0 only', async () => {
      const result = await chat('other-choice');

      assert.strictEqual(result.text, 'zero');
    });
  });

  describe('streamChat: errors inside the stream', () => {
    for (const [name, error] of [
      ['stream-error', {kind: 'stream', code: 'rate_limit_exceeded', message: 'Rate limit reached'}],
      ['stream-error-type', {kind: 'stream', code: 'server_error', message: 'Server overloaded'}],
      ['event-error', {kind: 'stream', code: 'overloaded_error', message: 'Overloaded'}],
      ['event-error-text', {kind: 'stream', code: 'stream_error', message: 'upstream timed out'}],
      ['stream-business', {kind: 'business', code: 50001, message: '服务繁忙，请稍后再试'}],
      ['stream-array-error', {kind: 'stream', code: 503, message: 'The model is overloaded.'}],
      ['llama-error', {kind: 'stream', code: 400, message: 'the request exceeds the available context size'}],
    ]) {
      it(`reports ${name} as ${error.kind} error ${error.code} and keeps the partial text`, async () => {
        const result = await chat(name);

        assert.strictEqual(result.status, 'error');
        assert.deepEqual(result.error, error);
        assert.strictEqual(result.text, name === 'llama-error' ? 'Par' : 'partial ');
      });
    }

    it('reports malformed JSON as invalid_json quoting the data', async () => {
      const result = await chat('bad-json');

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.kind, 'stream');
      assert.strictEqual(result.error.code, 'invalid_json');
      assert.match(result.error.message, /\{\\"choices\\":\[\{\\"delta\\"/);
      assert.strictEqual(result.text, 'partial ');
    });
  });

  describe('streamChat: how the stream ends', () => {
    it('is done without [DONE] when a finish reason came', async () => {
      const result = await chat('finish-no-done');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text, 'complete');
    });

    for (const name of ['truncated', 'unterminated-event', 'empty-body']) {
      it(`reports ${name} as truncated and keeps the text`, async () => {
        const result = await chat(name);

        assert.strictEqual(result.status, 'error');
        assert.strictEqual(result.error.code, 'truncated');
        assert.strictEqual(result.error.kind, 'stream');
      });
    }

    it('keeps the text of a truncated answer', async () => {
      const result = await chat('truncated');

      assert.strictEqual(result.text, 'cut off');
    });

    it('reports [DONE] with no choice at all as empty_response', async () => {
      const result = await chat('empty');

      assert.strictEqual(result.status, 'error');
      assert.deepEqual({kind: result.error.kind, code: result.error.code}, {kind: 'stream', code: 'empty_response'});
    });

    for (const [name, error] of [['empty-answer', {kind: 'stream', code: 'empty_response', message: 'The model sent an empty answer (finish reason: stop)'}]]) {
      it(`reports ${name}, an answer with no text, as ${error.code} saying why`, async () => {
        const result = await chat(name);

        assert.strictEqual(result.status, 'error');
        assert.deepEqual(result.error, error);
      });
    }

    it('ends an answer of tool calls as done, with each call collected', async () => {
      const result = await chat('tool-calls', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.error, result.finishReason, result.text], ['done', null, 'tool_calls', '']);
      assert.deepEqual(result.toolCalls, [{id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', input: {city: 'Paris'}}]);
    });

    it('collects parallel tool calls by their index, their arguments in pieces, and keeps input undefined for arguments that are no JSON', async () => {
      const result = await chat('tool-calls-parallel', {split: 'bytes', pace: '1'});

      assert.deepEqual(result.toolCalls, [
        {id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', input: {city: 'Paris'}},
        {id: 'call_b', name: 'get_time', arguments: '{"zone": "CET"', input: undefined},
      ]);
    });

    it('reads the older function_call as one tool call', async () => {
      const result = await chat('function-call');

      assert.deepEqual([result.status, result.finishReason], ['done', 'function_call']);
      assert.deepEqual(result.toolCalls, [{id: '', name: 'lookup', arguments: '{}', input: {}}]);
    });

    it('keeps the text beside the tool calls of an answer that has both', async () => {
      const result = await chat('text-then-tools');

      assert.deepEqual([result.status, result.text, result.toolCalls.map((call) => call.name)], ['done', 'Let me check.', ['get_weather']]);
    });

    it('reports usage from the last chunk, and null when the stream gives none', async () => {
      const counted = await chat('usage');
      const uncounted = await chat('greeting');

      assert.deepEqual(counted.usage, {inputTokens: 9, outputTokens: 12});
      assert.strictEqual(uncounted.usage, null);
      assert.deepEqual(uncounted.toolCalls, []);
    });

    it("keeps OpenRouter's finish_reason error beside the error it ends with", async () => {
      const result = await chat('openrouter-error');

      assert.deepEqual([result.status, result.finishReason, result.text], ['error', 'error', 'partial ']);
      assert.deepEqual(result.error, {kind: 'stream', code: 502, message: 'Upstream error from the provider'});
    });

    it('reports an answer of only white space as empty_response', async () => {
      const result = await chat('blank-answer');

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.code, 'empty_response');
      assert.strictEqual(result.text, '\n');
    });

    it('reports an answer the content filter emptied as content_filter', async () => {
      const result = await chat('filtered-empty');

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.code, 'content_filter');
    });

    it('is done with the text and the content_filter reason when the filter cut an answer short', async () => {
      const result = await chat('filtered-partial');

      assert.strictEqual(result.status, 'done');
      assert.deepEqual([result.text, result.finishReason], ['Here is how', 'content_filter']);
    });

    it('reports a connection reset mid-answer as a network error and keeps the text', async () => {
      const result = await chat('reset');

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.kind, 'network');
      assert.strictEqual(result.text, 'before reset');
    });

    it('is done when the connection breaks after the finish reason, before [DONE]', async () => {
      const result = await chat('reset-after-finish');

      assert.strictEqual(result.status, 'done');
      assert.deepEqual([result.text, result.finishReason], ['all there', 'stop']);
    });

    it('reports a request that cannot be made as a network error', async () => {
      const result = await streamChat({url: 'http://127.0.0.1:9/unreachable', token: 't', body: {}});

      assert.strictEqual(result.status, 'error');
      assert.strictEqual(result.error.kind, 'network');
      assert.strictEqual(result.error.code, 'fetch_failed');
    });
  });

  describe('streamChat: aborting', () => {
    it('sends nothing when the signal is already aborted', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe}, {signal: AbortSignal.abort()});

      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual((await readProbe(probe)).requests, 0);
    });

    it('aborts while waiting for the response', async () => {
      const controller = new AbortController();

      const pending = chat('slow', {}, {signal: controller.signal});
      controller.abort();
      const result = await pending;

      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(result.error, null);
    });

    it('aborts mid-stream, keeps the partial text and closes the connection', async () => {
      const probe = newProbe();
      const controller = new AbortController();

      const result = await chat('slow', {probe}, {signal: controller.signal, onUpdate: () => setTimeout(() => controller.abort(), 10)});

      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(result.error, null);
      assert.strictEqual(result.text, 'first ');
      assert.ok(await waitForClose(probe), 'the server saw the connection close');
    });

    it('aborts while reading an error body, even with a fetch that ignores the signal', async () => {
      const controller = new AbortController();
      const deafFetch = (url, init) => fetch(url, {...init, signal: undefined});

      setTimeout(() => controller.abort(), 100);
      const result = await chat('http-500-hang', {}, {signal: controller.signal, fetch: deafFetch});

      assert.strictEqual(result.status, 'aborted');
    });

    it('stops at once when onUpdate aborts', async () => {
      const controller = new AbortController();
      const deltas = [];

      const result = await chat('greeting', {}, {signal: controller.signal, onUpdate: ({delta}) => (deltas.push(delta), controller.abort())});

      assert.strictEqual(result.status, 'aborted');
      assert.deepEqual(deltas, [GREETING[0]]);
      assert.strictEqual(result.text, GREETING[0]);
    });
  });

  describe('streamChat: formats', () => {
    for (const params of HOSTILE_SPLITS) {
      it(`reads Ollama's NDJSON (application/x-ndjson) with auto: text, finish reason and usage (split ${params.split})`, async () => {
        const result = await chat('ollama', params);

        assert.deepEqual([result.status, result.format, result.text, result.finishReason], ['done', 'ndjson', GREETING_TEXT, 'stop']);
        assert.deepEqual(result.usage, {inputTokens: 26, outputTokens: 282});
      });

      it(`reads a plain text body (text/plain) as the answer, with auto (split ${params.split})`, async () => {
        const updates = [];

        const result = await chat('plain-text', params, {onUpdate: ({delta}) => updates.push(delta)});

        assert.deepEqual([result.status, result.format, result.text], ['done', 'text', GREETING_TEXT]);
        assert.strictEqual(updates.join(''), GREETING_TEXT);
      });
    }

    for (const params of HOSTILE_SPLITS) {
      it(`reads Anthropic's Messages stream with auto: text, id, stop reason and usage, skipping ping (split ${params.split})`, async () => {
        const result = await chat('anthropic', params);

        assert.deepEqual([result.status, result.format, result.text, result.finishReason, result.id], ['done', 'anthropic', GREETING_TEXT, 'end_turn', 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY']);
        assert.deepEqual(result.usage, {inputTokens: 25, outputTokens: 15});
      });

      it(`reads OpenAI's Responses stream with auto: text, id, finish and usage, with no [DONE] (split ${params.split})`, async () => {
        const result = await chat('responses', params);

        assert.deepEqual([result.status, result.format, result.text, result.finishReason], ['done', 'openai-responses', GREETING_TEXT, 'completed']);
        assert.deepEqual([result.id, result.usage], ['resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654', {inputTokens: 36, outputTokens: 87}]);
      });
    }

    it("keeps Anthropic's thinking apart from the answer, and skips the signature", async () => {
      const result = await chat('anthropic-thinking', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.reasoning, result.text], ['Let me solve this step by step.', '27 * 453 = 12,231']);
    });

    it("collects Anthropic's tool use from input_json_delta, beside the text, ending done with tool_use", async () => {
      const result = await chat('anthropic-tools', {split: 'bytes', pace: '1'});

      assert.deepEqual([result.status, result.finishReason, result.text], ['done', 'tool_use', "Okay, let's check the weather for San Francisco, CA:"]);
      assert.deepEqual(result.toolCalls, [{id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "San Francisco, CA"}', input: {location: 'San Francisco, CA'}}]);
    });

    it("reports Anthropic's error event with its type and message, keeping the text", async () => {
      const result = await chat('anthropic-error');

      assert.deepEqual([result.status, result.text], ['error', 'partial ']);
      assert.deepEqual(result.error, {kind: 'stream', code: 'overloaded_error', message: 'Overloaded'});
    });

    it("keeps Anthropic's max_tokens as the finish reason of a complete answer", async () => {
      const result = await chat('anthropic-max-tokens');

      assert.deepEqual([result.status, result.finishReason], ['done', 'max_tokens']);
    });

    it('reports an Anthropic stream that ends before message_stop as truncated', async () => {
      const result = await chat('anthropic-truncated');

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'truncated', 'cut off']);
    });

    it("reads Anthropic's and OpenAI Responses' non-streamed replies with auto", async () => {
      const [messages, responses] = [await chat('anthropic-whole'), await chat('responses-whole')];

      assert.deepEqual([messages.status, messages.format, messages.text, messages.finishReason], ['done', 'anthropic', 'Not streamed', 'end_turn']);
      assert.deepEqual([responses.status, responses.format, responses.text, responses.usage], ['done', 'openai-responses', 'Not streamed', {inputTokens: 5, outputTokens: 3}]);
    });

    it("keeps the Responses API's reasoning summary apart from the answer", async () => {
      const result = await chat('responses-reasoning', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.reasoning, result.text], ['**Thinking** about the answer.', '42']);
    });

    it("collects the Responses API's function calls from their argument deltas, ending done", async () => {
      const result = await chat('responses-tools', {split: 'bytes', pace: '1'});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(result.toolCalls, [{id: 'call_12345xyz', name: 'get_weather', arguments: '{"location":"Paris, France"}', input: {location: 'Paris, France'}}]);
    });

    it("keeps response.incomplete's reason as the finish reason of a complete answer", async () => {
      const result = await chat('responses-incomplete');

      assert.deepEqual([result.status, result.text, result.finishReason], ['done', 'Cut', 'max_output_tokens']);
    });

    it('reports response.failed and the error event as stream errors, keeping the text', async () => {
      const [failed, errored] = [await chat('responses-failed'), await chat('responses-error')];

      assert.deepEqual([failed.status, failed.text, failed.error], ['error', 'partial ', {kind: 'stream', code: 'server_error', message: 'The model failed to generate a response.'}]);
      assert.deepEqual(errored.error, {kind: 'stream', code: 'ERR_SOMETHING', message: 'Something went wrong'});
    });

    it('reports a Responses stream that ends before response.completed as truncated', async () => {
      const result = await chat('responses-truncated');

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'truncated', 'cut ']);
    });

    it('reads a named format even where auto would decide otherwise', async () => {
      const result = await chat('anthropic', {}, {format: 'openai'});

      assert.strictEqual(result.format, 'openai');
      assert.notStrictEqual(result.status, 'done');
    });

    it('reads NDJSON lines ended by CRLF, split inside the pairs', async () => {
      const result = await chat('ollama-crlf', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
    });

    it("keeps Ollama's thinking apart from the answer", async () => {
      const result = await chat('ollama-thinking', {split: 'bytes', pace: '1'});

      assert.deepEqual([result.reasoning, result.text], ['Let me think.', '42']);
    });

    it("collects Ollama's tool calls, whose input comes as an object, with its JSON text", async () => {
      const result = await chat('ollama-tools');

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(result.toolCalls, [
        {id: '', name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}', input: {format: 'celsius', location: 'Paris, FR'}},
      ]);
    });

    it("reports Ollama's error line as a stream error, keeping the text before it", async () => {
      const result = await chat('ollama-error');

      assert.deepEqual([result.status, result.text, result.error.kind], ['error', 'partial ', 'stream']);
      assert.match(result.error.message, /unexpected EOF/);
    });

    it('reports NDJSON that ends before done as truncated, keeping the text', async () => {
      const result = await chat('ollama-truncated');

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'truncated', GREETING.slice(0, 2).join('')]);
    });

    it("reads Ollama's non-streamed reply with format ndjson", async () => {
      const result = await chat('ollama-whole', {}, {format: 'ndjson'});

      assert.deepEqual([result.status, result.text, result.format], ['done', 'Not streamed', 'ndjson']);
    });

    it('reads Server-Sent Events of plain text with format text', async () => {
      const result = await chat('sse-text', {split: 'hostile', pace: '1'}, {format: 'text'});

      assert.deepEqual([result.status, result.text, result.format], ['done', GREETING_TEXT, 'text']);
    });

    it('says which format auto chose: openai for chat completion chunks', async () => {
      const result = await chat('greeting');

      assert.strictEqual(result.format, 'openai');
    });

    it('stops reading a plain text body when aborted, keeping what arrived', async () => {
      const controller = new AbortController();

      const result = await chat('plain-text', {split: 'every-3', pace: '20'}, {signal: controller.signal, onUpdate: () => controller.abort()});

      assert.strictEqual(result.status, 'aborted');
      assert.ok(GREETING_TEXT.startsWith(result.text) && result.text !== '');
    });

    it('rejects a format it does not know, naming it', async () => {
      const error = await chat('greeting', {}, {format: 'anthropic-v0'}).then(() => null, (reason) => reason);

      assert.ok(error instanceof TypeError);
      assert.match(error.message, /`format` must be auto, openai, openai-responses, anthropic, ai-sdk, text, ndjson or an adapter object \(got "anthropic-v0"\)/);
    });
  });

  describe('streamChat: the moderation block', () => {
    for (const params of HOSTILE_SPLITS) {
      it(`replaces the answer with filteredText, however the block is split (split ${params.split})`, async () => {
        const updates = [];

        const result = await chat('moderation', params, {onUpdate: (update) => updates.push(update)});

        assert.strictEqual(result.status, 'done');
        assert.strictEqual(result.text, '抱歉，这个问题无法回答。');
        assert.deepEqual(result.sensitive, {code: 10013});
        assert.strictEqual(updates.at(-1).replaced, true);
        assert.strictEqual(updates.at(-1).text, '抱歉，这个问题无法回答。');
      });
    }

    for (const params of HOSTILE_SPLITS) {
      it(`never shows a byte of the block, not even for a moment (split ${params.split})`, async () => {
        const shown = [];

        await chat('moderation', params, {onUpdate: ({text, replaced}) => replaced || shown.push(text)});

        assert.ok(shown.length > 0);
        assert.ok(shown.every((text) => !text.includes('`') && !text.includes('10013')), `shown: ${JSON.stringify(shown.at(-1))}`);
        assert.strictEqual(shown.at(-1), 'Some text. ');
      });
    }

    it('streams an ordinary json block before it closes, once its beginning shows it is no moderation block', async () => {
      const shown = [];

      const result = await chat('plain-json-block', {split: 'hostile', pace: '1'}, {onUpdate: ({text}) => shown.push(text)});

      assert.strictEqual(result.text, PLAIN_JSON_BLOCK);
      assert.ok(shown.some((text) => text.includes('"name": "chat-stream"') && !text.includes('```\nEnd')), 'the block shows while it streams');
      assert.strictEqual(shown.map((text, index) => text.startsWith(shown[index - 1] ?? '')).every(Boolean), true, 'text only grows');
    });

    it('shows what it held back when the answer ends (backticks that opened nothing)', async () => {
      const deltas = [];

      const result = await chat('trailing-backticks', {}, {onUpdate: ({delta}) => deltas.push(delta)});

      assert.deepEqual([result.status, result.text], ['done', 'Look: ``']);
      assert.strictEqual(deltas.join(''), 'Look: ``');
    });

    it('shows ** when filteredText is empty', async () => {
      const result = await chat('moderation-empty');

      assert.strictEqual(result.text, '**');
      assert.deepEqual(result.sensitive, {code: 10013});
    });

    it('leaves an ordinary json block alone', async () => {
      const result = await chat('json-block');

      assert.strictEqual(result.text, JSON_BLOCK);
      assert.strictEqual(result.sensitive, null);
    });
  });

  describe('streamChat: a 10 MB answer', () => {
    it('arrives whole, split into pieces that cut characters', async () => {
      let updates = 0;

      const result = await chat('large', {split: 'every-4093'}, {onUpdate: () => updates++});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.text.length, LARGE_COUNT * LARGE_DELTA.length);
      assert.ok(result.text.startsWith(LARGE_DELTA + LARGE_DELTA));
      assert.ok(result.text.endsWith(LARGE_DELTA));
      assert.strictEqual(updates, LARGE_COUNT);
    });
  });
}

function circular() {
  const value = {};
  value.self = value;
  return value;
}
