// Every backend: the AI SDK's UI message stream, the field paths, a page's own adapter, and the
// request body each format builds. Run in Node and in Chromium against test/fixtures/server.js.
import {GREETING_TEXT} from '../fixtures/scenarios.js';

const HOSTILE_SPLITS = [{split: 'hostile', pace: '1'}, {split: 'bytes', pace: '1'}];
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
export function defineBackendsSuite({describe, it, assert, core, origin}) {
  const {streamChat, ChatSession} = core;
  const scenarioUrl = (name, params = {}) => `${origin()}/sse/${name}?${new URLSearchParams(params)}`;
  const chat = (name, params = {}, options = {}) => streamChat({url: scenarioUrl(name, params), requireToken: false, body: {messages: MESSAGES}, ...options});
  const newProbe = () => `b${++probeCount}-${Math.random().toString(36).slice(2)}`;
  const sentBody = async (probe) => JSON.parse((await (await fetch(`${origin()}/sse-probe/${probe}`)).json()).body);
  const rejection = (promise) => promise.then(() => null, (error) => error);
  const closed = async (probe) => {
    for (let i = 0; i < 150; i++) {
      if ((await (await fetch(`${origin()}/sse-probe/${probe}`)).json()).closed) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  };

  describe('streamChat: the AI SDK UI message stream', () => {
    for (const params of HOSTILE_SPLITS) {
      it(`reads the text parts, split ${params.split}`, async () => {
        const result = await chat('ai-sdk', params, {format: 'ai-sdk'});

        assert.deepEqual([result.status, result.text, result.finishReason, result.format], ['done', GREETING_TEXT, 'stop', 'ai-sdk']);
      });
    }

    it('is what auto decides from the x-vercel-ai-ui-message-stream header', async () => {
      const result = await chat('ai-sdk');

      assert.deepEqual([result.status, result.format, result.text], ['done', 'ai-sdk', GREETING_TEXT]);
    });

    it('is what auto decides from a start part when a proxy dropped the header', async () => {
      const result = await chat('ai-sdk-no-header');

      assert.deepEqual([result.status, result.format, result.text], ['done', 'ai-sdk', GREETING_TEXT]);
    });

    it('keeps the reasoning parts apart from the text', async () => {
      const result = await chat('ai-sdk-reasoning', {split: 'bytes', pace: '1'});

      assert.deepEqual([result.reasoning, result.text], ['This is some reasoning', '42']);
    });

    it("collects a tool the server ran, with its input's JSON text, and the next step's text", async () => {
      const result = await chat('ai-sdk-tools', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.text], ['done', 'Sunny in San Francisco.']);
      assert.deepEqual(result.toolCalls, [
        {id: 'call_fJdQDqnXeGxTmr4E3YPSR7Ar', name: 'getWeatherInformation', arguments: '{"city":"San Francisco"}', input: {city: 'San Francisco'}, server: true, result: {city: 'San Francisco', weather: 'sunny'}},
      ]);
    });

    it('ends done with finishReason tool-calls, the parsed input standing in for input text that is no JSON', async () => {
      const result = await chat('ai-sdk-tool-call');

      assert.deepEqual([result.status, result.finishReason, result.text], ['done', 'tool-calls', '']);
      assert.deepEqual(result.toolCalls, [{id: 'call_fJdQDqnXeGxTmr4E3YPSR7Ar', name: 'getWeatherInformation', arguments: '{"city":"San Francisco"}', input: {city: 'San Francisco'}, server: true}]);
    });

    it('skips data, metadata, source, file and unknown parts', async () => {
      const result = await chat('ai-sdk-parts', {split: 'bytes', pace: '1'});

      assert.deepEqual([result.status, result.text, result.error], ['done', GREETING_TEXT, null]);
    });

    it('reports an error part as a stream error though finish and [DONE] follow it, keeping the text', async () => {
      const result = await chat('ai-sdk-error');

      assert.deepEqual([result.status, result.text], ['error', 'partial ']);
      assert.deepEqual(result.error, {kind: 'stream', code: 'stream_error', message: 'error message'});
    });

    it("takes back a retried step's text and reasoning at reset-step, as one replacing update", async () => {
      const updates = [];

      const result = await chat('ai-sdk-reset-step', {split: 'bytes', pace: '0'}, {onUpdate: (update) => updates.push(update)});

      assert.deepEqual([result.status, result.text, result.reasoning], ['done', 'Step one. Step two.', '']);
      assert.deepEqual(updates.filter((update) => update.replaced).map(({text, reasoning}) => [text, reasoning]), [['Step one. ', '']]);
    });

    it('reports a stream that ends without a finish part as truncated', async () => {
      const result = await chat('ai-sdk-truncated');

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'truncated', 'cut ']);
    });

    it('reports [DONE] without a finish part as truncated', async () => {
      const result = await chat('ai-sdk-no-finish');

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'truncated', 'cut']);
    });

    it('stops reading when aborted, keeping what arrived', async () => {
      const controller = new AbortController();

      const result = await chat('ai-sdk', {split: 'bytes', pace: '5'}, {signal: controller.signal, onUpdate: () => controller.abort()});

      assert.strictEqual(result.status, 'aborted');
      assert.ok(result.text !== '' && GREETING_TEXT.startsWith(result.text));
    });
  });

  describe('streamChat: every format, split hostilely and aborted', () => {
    const FORMAT_SCENARIOS = {anthropic: 'anthropic', 'openai-responses': 'responses', 'ai-sdk': 'ai-sdk', ndjson: 'ollama', text: 'sse-text', openai: 'greeting'};
    for (const [format, scenario] of Object.entries(FORMAT_SCENARIOS)) {
      for (const params of HOSTILE_SPLITS) {
        it(`reads ${format} whole with auto and by name, split ${params.split}`, async () => {
          const [auto, named] = [await chat(scenario, params, format === 'text' ? {format} : {}), await chat(scenario, params, {format})];

          assert.deepEqual([auto.status, auto.format, auto.text], ['done', format, GREETING_TEXT]);
          assert.deepEqual([named.status, named.format, named.text], ['done', format, GREETING_TEXT]);
        });
      }

      it(`stops reading ${format} when aborted, keeping what arrived, and closes the connection`, async () => {
        const controller = new AbortController();
        const probe = newProbe();

        const result = await chat(scenario, {split: 'bytes', pace: '5', probe}, {format, signal: controller.signal, onUpdate: () => controller.abort()});

        assert.strictEqual(result.status, 'aborted');
        assert.ok(result.text !== '' && GREETING_TEXT.startsWith(result.text));
        assert.ok(await closed(probe), 'the server saw the connection close');
      });
    }
  });

  describe('streamChat: the moderation block in every format', () => {
    for (const format of ['anthropic', 'responses', 'ai-sdk', 'ollama', 'text']) {
      it(`never shows a byte of it in ${format}'s text, and shows filteredText instead`, async () => {
        const shown = [];

        const result = await chat(`${format}-moderation`, {split: 'bytes', pace: '0'}, {onUpdate: ({text, replaced}) => replaced || shown.push(text)});

        assert.deepEqual([result.status, result.text, result.sensitive], ['done', '抱歉，这个问题无法回答。', {code: 10013}]);
        assert.ok(shown.every((text) => !text.includes('`') && !text.includes('10013')), `shown: ${JSON.stringify(shown.at(-1))}`);
      });
    }
  });

  describe('streamChat: field paths', () => {
    for (const params of HOSTILE_SPLITS) {
      it(`appends the text at textPath and ends with the body (Dify), split ${params.split}`, async () => {
        const result = await chat('dify', params, {textPath: 'answer'});

        assert.deepEqual([result.status, result.text, result.format], ['done', GREETING_TEXT, 'fields']);
      });
    }

    it('reports the event errorPath names (path=value) as a stream error, keeping the text', async () => {
      const result = await chat('dify-error', {}, {textPath: 'answer', errorPath: 'event=error'});

      assert.deepEqual([result.status, result.text], ['error', 'partial ']);
      assert.deepEqual(result.error, {kind: 'stream', code: 'invalid_param', message: 'Model is not configured'});
    });

    it('ends at the event donePath marks, and needs it then (ERNIE)', async () => {
      const [ended, cut] = [await chat('ernie', {}, {textPath: 'result', donePath: 'is_end'}), await chat('dify', {}, {textPath: 'answer', donePath: 'is_end'})];

      assert.deepEqual([ended.status, ended.text], ['done', GREETING_TEXT]);
      assert.deepEqual([cut.status, cut.error.code], ['error', 'truncated']);
    });

    it('reads the message at errorPath of a JSON reply', async () => {
      const result = await chat('ernie-error', {}, {textPath: 'result', errorPath: 'error_msg'});

      assert.deepEqual([result.status, result.error.message], ['error', 'Access token invalid or no longer valid']);
    });

    it('follows nested paths to the text and the reasoning', async () => {
      const result = await chat('data-content', {split: 'bytes', pace: '1'}, {textPath: 'data.content', reasoningPath: 'data.reasoning', donePath: 'done'});

      assert.deepEqual([result.status, result.text, result.reasoning], ['done', GREETING_TEXT, '']);
    });

    it('names the events when none has the text path', async () => {
      const result = await chat('dify', {}, {textPath: 'data.text'});

      assert.deepEqual([result.status, result.error.kind, result.error.code], ['error', 'stream', 'invalid_response']);
      assert.match(result.error.message, /fields format; the first was "\{\\"event\\":\\"message\\"/);
    });

    for (const [option, path] of [
      ['textPath', 'a..b'],
      ['donePath', '.'],
      ['textPath', 'answer=1'],
    ]) {
      it(`rejects ${option} ${JSON.stringify(path)}, naming it`, async () => {
        const error = await rejection(chat('dify', {}, {textPath: 'answer', [option]: path}));

        assert.ok(error instanceof TypeError);
        assert.match(error.message, new RegExp(`\`${option}\` must be a dot path`));
      });
    }

    it('needs textPath with the other paths', async () => {
      const error = await rejection(chat('dify', {}, {donePath: 'is_end'}));

      assert.match(error.message, /`textPath` is required/);
    });
  });

  describe("streamChat: a page's own format", () => {
    const outputFormat = {
      name: 'output',
      read(event, answer) {
        if (event.data === '[DONE]') return 'end';
        answer.add(JSON.parse(event.data).output);
        return null;
      },
    };

    it('reads each event with the adapter and reports its name', async () => {
      const result = await chat('unknown-shape', {split: 'bytes', pace: '1'}, {format: outputFormat});

      assert.deepEqual([result.status, result.text, result.format], ['done', 'Hello there', 'output']);
    });

    it('turns an error the adapter returns into a stream error, keeping the text', async () => {
      const failing = {name: 'failing', read: (event, answer) => (answer.text ? {kind: 'stream', code: 'mine', message: 'second event'} : answer.add('first'))};

      const result = await chat('unknown-shape', {}, {format: failing});

      assert.deepEqual([result.status, result.text, result.error], ['error', 'first', {kind: 'stream', code: 'mine', message: 'second event'}]);
    });

    it('fails the answer, not the page, when the adapter throws', async () => {
      const throwing = {name: 'throwing', read: (event, answer) => (answer.text ? null.boom : answer.add('kept'))};

      const result = await chat('unknown-shape', {}, {format: throwing});

      assert.deepEqual([result.status, result.text, result.error.code], ['error', 'kept', 'format_failed']);
      assert.match(result.error.message, /The format "throwing" failed to read an event/);
    });

    for (const [adapter, problem] of [
      [{read() {}}, /needs a `name`/],
      [{name: 'x'}, /adapter "x" needs a `read\(event, answer\)` function/],
      [{name: 'x', read() {}, plainBody: 'xml'}, /`plainBody` must be json, ndjson or text/],
      [{name: 'x', read() {}, buildBody: 'no'}, /`buildBody` must be a function/],
    ]) {
      it(`rejects an adapter that ${problem.source.replaceAll('\\', '')}`, async () => {
        const error = await rejection(chat('greeting', {}, {format: adapter}));

        assert.ok(error instanceof TypeError);
        assert.match(error.message, problem);
      });
    }
  });

  describe('streamChat: a body no format knows', () => {
    it('is an error that names the format and the first event, never an empty answer', async () => {
      const result = await chat('unknown-shape');

      assert.deepEqual([result.status, result.error.code], ['error', 'invalid_response']);
      assert.match(result.error.message, /No event was an answer in the openai format; the first was "\{\\"output\\":\\"Hello\\"\}"/);
    });
  });

  describe('ChatSession: the request body each format builds', () => {
    const history = [
      {role: 'user', content: 'Hi'},
      {role: 'assistant', content: 'Hello!'},
    ];
    const sendWith = async (options) => {
      const probe = newProbe();
      const session = new ChatSession({url: scenarioUrl('greeting', {probe}), requireToken: false, messages: history, model: 'm-1', system: 'Be brief.', ...options});
      await session.send('你好');
      return {body: await sentBody(probe), session};
    };

    it('sends OpenAI chat completions by default: {model, stream, messages} with the system prompt first', async () => {
      const {body} = await sendWith({});

      assert.deepEqual(body, {model: 'm-1', stream: true, messages: [{role: 'system', content: 'Be brief.'}, ...history, {role: 'user', content: '你好'}]});
    });

    it('sends the Responses API its input and instructions, and max_output_tokens', async () => {
      const {body} = await sendWith({format: 'openai-responses', maxTokens: 300});

      assert.deepEqual(body, {model: 'm-1', max_output_tokens: 300, stream: true, instructions: 'Be brief.', input: [...history, {role: 'user', content: '你好'}]});
    });

    it('sends Anthropic its system prompt apart and a max_tokens of 4096 by default', async () => {
      const {body} = await sendWith({format: 'anthropic'});

      assert.deepEqual(body, {max_tokens: 4096, model: 'm-1', stream: true, system: 'Be brief.', messages: [...history, {role: 'user', content: '你好'}]});
    });

    it('sends Anthropic the max_tokens set, over one in the extra body', async () => {
      const {body} = await sendWith({format: 'anthropic', maxTokens: 512, body: {max_tokens: 100, temperature: 0}});

      assert.deepEqual([body.max_tokens, body.temperature], [512, 0]);
    });

    it('sends Ollama {model, messages, stream} with the limit as options.num_predict', async () => {
      const {body} = await sendWith({format: 'ndjson', maxTokens: 64, body: {options: {temperature: 0}}});

      assert.deepEqual(body.options, {temperature: 0, num_predict: 64});
      assert.deepEqual([body.model, body.stream, body.messages.length], ['m-1', true, 4]);
    });

    it("sends the AI SDK what useChat sends: {id, messages as UI messages with ids, trigger}", async () => {
      const {body, session} = await sendWith({format: 'ai-sdk', model: undefined, system: undefined});

      const [first, second, question] = session.messages;
      assert.deepEqual(body, {
        id: first.id,
        messages: [
          {id: first.id, role: 'user', parts: [{type: 'text', text: 'Hi'}]},
          {id: second.id, role: 'assistant', parts: [{type: 'text', text: 'Hello!'}]},
          {id: question.id, role: 'user', parts: [{type: 'text', text: '你好'}]},
        ],
        trigger: 'submit-message',
      });
    });

    it('keeps the AI SDK chat id across sends, and says regenerate-message when an answer is asked for again', async () => {
      const probe = newProbe();
      const session = new ChatSession({url: scenarioUrl('greeting', {probe}), requireToken: false, format: 'ai-sdk'});
      await session.send('one');
      const first = await sentBody(probe);

      await session.regenerate();
      const again = await sentBody(probe);

      assert.strictEqual(again.id, first.id);
      assert.deepEqual([first.trigger, again.trigger], ['submit-message', 'regenerate-message']);
    });

    it("builds the body with a page's adapter", async () => {
      const {body} = await sendWith({format: {name: 'mine', read: () => 'end', buildBody: ({messages, chatId}) => ({chatId, query: messages.at(-1).content})}});

      assert.strictEqual(body.query, '你好');
    });

    it('rejects a maxTokens that is no whole number above 0 before anything changes', async () => {
      const session = new ChatSession({url: scenarioUrl('greeting'), requireToken: false, maxTokens: 0});

      const error = await rejection(session.send('hi'));

      assert.match(error.message, /`maxTokens` must be a whole number above 0 \(got 0\)/);
      assert.strictEqual(session.messages.length, 0);
    });
  });
}
