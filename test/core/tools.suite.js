// Client tools on a `ChatSession` (issue 16): an answer that ends with tool calls runs them
// (through `run`, or the page's `tool-call` listener), then asks for the next answer with their
// results, in the format's own shape, against the fixture server's tool-round models (OpenAI,
// Responses, Anthropic) over real HTTP in hostile pieces. The tools a server runs itself
// (Responses built-ins, Anthropic server tools) are shown with their outcome, never run.
import {MCP_ARGUMENTS, WEB_SEARCH_ACTION, WEB_SEARCH_RESULTS} from '../fixtures/scenarios.js';

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {object} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineToolsSuite({describe, it, assert, core, origin}) {
  const {ChatSession} = core;
  let probes = 0;
  const newProbe = () => `t${++probes}-${Math.random().toString(36).slice(2)}`;
  const readProbe = async (id) => (await fetch(`${origin()}/sse-probe/${id}`)).json();
  /** The fixture model of each format: it asks for tools until the request brings their results (in the format's shape, which it checks). */
  const ROUNDS = {openai: 'tool-round', 'openai-responses': 'responses-tool-round', anthropic: 'anthropic-tool-round'};
  const session = (tools, options = {}, probe = newProbe(), format = 'openai') =>
    new ChatSession({url: `${origin()}/sse/${ROUNDS[format]}?split=hostile&probe=${probe}`, token: 't', format, tools, ...options});
  const sentBodies = async (probe) => (await readProbe(probe)).history.map(({body}) => JSON.parse(body));
  const states = (message) => message.toolCalls?.map((call) => call.state);
  const clock = {get_time: {description: 'The time in a zone', parameters: {type: 'object', properties: {zone: {type: 'string'}}}, run: ({zone}) => `12:00 ${zone}`}};

  describe('ChatSession: client tools', () => {
    it('runs the tool the answer asks for and streams the next answer with its result', async () => {
      const chat = session(clock);

      const result = await chat.send('What time is it?');

      assert.strictEqual(result.text, 'Results: 12:00 UTC');
      assert.deepEqual(chat.messages.map((message) => message.role), ['user', 'assistant', 'assistant']);
      assert.deepEqual(states(chat.messages[1]), ['done']);
      assert.strictEqual(chat.messages[1].toolCalls[0].result, '12:00 UTC');
    });

    const {parameters} = clock.get_time;
    /** Each format's declaration of the clock, and the call and its result as the next request sends them after the question. */
    const shapes = {
      openai: {
        tools: [{type: 'function', function: {name: 'get_time', description: 'The time in a zone', parameters}}],
        sent: (body) => body.messages.slice(1),
        round: [
          {role: 'assistant', content: null, tool_calls: [{id: 'call_time', type: 'function', function: {name: 'get_time', arguments: '{"zone":"UTC"}'}}]},
          {role: 'tool', tool_call_id: 'call_time', content: '12:00 UTC'},
        ],
      },
      'openai-responses': {
        tools: [{type: 'function', name: 'get_time', description: 'The time in a zone', parameters}],
        sent: (body) => body.input.slice(1),
        round: [
          {type: 'function_call', call_id: 'call_time', name: 'get_time', arguments: '{"zone":"UTC"}'},
          {type: 'function_call_output', call_id: 'call_time', output: '12:00 UTC'},
        ],
      },
      anthropic: {
        tools: [{name: 'get_time', description: 'The time in a zone', input_schema: parameters}],
        sent: (body) => body.messages.slice(1),
        round: [
          {role: 'assistant', content: [{type: 'text', text: 'Let me check.'}, {type: 'tool_use', id: 'call_time', name: 'get_time', input: {zone: 'UTC'}}]},
          {role: 'user', content: [{type: 'tool_result', tool_use_id: 'call_time', content: '12:00 UTC'}]},
        ],
      },
    };
    for (const [format, {tools, sent, round}] of Object.entries(shapes)) {
      it(`declares the tools in each request and sends the call and its result back in the format’s shape (${format})`, async () => {
        const probe = newProbe();
        const chat = session(clock, {}, probe, format);

        await chat.send('What time is it?');

        const [first, second] = await sentBodies(probe);
        assert.deepEqual(first.tools, tools);
        assert.deepEqual(sent(second), round);
      });
    }

    for (const format of Object.keys(ROUNDS)) {
      it(`runs the tool and streams the next answer with its result (${format})`, async () => {
        const chat = session(clock, {}, newProbe(), format);

        const result = await chat.send('What time is it?');

        assert.deepEqual([result.status, result.text], ['done', 'Results: 12:00 UTC']);
        assert.deepEqual(states(chat.messages[1]), ['done']);
      });

      it(`runs parallel calls and sends every result back, in order (${format})`, async () => {
        const chat = session({...clock, add: {run: ({a, b}) => a + b}}, {}, newProbe(), format);

        const result = await chat.send('Do both');

        assert.strictEqual(result.text, 'Results: 12:00 UTC | 5');
      });

      it(`sends a failed call back as a failure the model reads (${format})`, async () => {
        const chat = session(clock, {}, newProbe(), format);

        const result = await chat.send('Do both');

        const failure = 'The call failed: There is no tool "add" here';
        assert.strictEqual(result.text, `Results: 12:00 UTC | ${format === 'anthropic' ? `error: ${failure}` : failure}`);
      });
    }

    it('runs parallel calls together and sends every result', async () => {
      let running = 0;
      let most = 0;
      const slow = (value) => async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return value;
      };
      const chat = session({get_time: {run: slow('noon')}, add: {run: slow(5)}});

      const result = await chat.send('Do both');

      assert.strictEqual(most, 2);
      assert.strictEqual(result.text, 'Results: noon | 5');
    });

    it('lets a tool-call listener answer a call the page runs itself', async () => {
      const chat = session({get_time: {description: 'Asked of the page'}});
      chat.addEventListener('tool-call', (event) => {
        event.preventDefault();
        setTimeout(() => event.detail.respond({time: 'teatime'}), 10);
      });

      const result = await chat.send('What time is it?');

      assert.strictEqual(result.text, 'Results: {"time":"teatime"}');
    });

    it('tells the model of an unknown tool, a tool that throws, and goes on', async () => {
      const chat = session({get_time: {run: () => { throw new Error('clock broken'); }}});

      const result = await chat.send('Do both');

      assert.deepEqual(states(chat.messages[1]), ['failed', 'failed']);
      assert.match(chat.messages[1].toolCalls[0].error, /clock broken/);
      assert.match(chat.messages[1].toolCalls[1].error, /no tool "add"/);
      assert.match(result.text, /^Results: The call failed: clock broken \| The call failed: There is no tool "add" here$/);
    });

    it('fails a call whose arguments are no valid JSON without running it, and tells the model', async () => {
      let runs = 0;
      const chat = session({get_time: {run: () => (runs++, 'noon')}});

      const result = await chat.send('A broken call');

      assert.deepEqual(states(chat.messages[1]), ['done', 'failed']);
      assert.match(chat.messages[1].toolCalls[1].error, /no valid JSON/);
      assert.strictEqual(runs, 1);
      assert.match(result.text, /^Results: noon \| The call failed: The arguments are no valid JSON/);
    });

    it('fails a call whose run rejects, with the rejection’s message, and goes on', async () => {
      const chat = session({get_time: {run: async () => Promise.reject(new Error('clock offline'))}});

      const result = await chat.send('What time is it?');

      assert.deepEqual(states(chat.messages[1]), ['failed']);
      assert.strictEqual(result.text, 'Results: The call failed: clock offline');
    });

    it('waits for the reader to approve a call whose tool asks, then runs it', async () => {
      const chat = session({get_time: {...clock.get_time, confirm: true}});
      const asked = new Promise((resolve) => chat.addEventListener('change', () => states(chat.messages[1])?.[0] === 'approval' && resolve()));
      const sent = chat.send('What time is it?');
      await asked;

      chat.approveTool(chat.messages[1].id, 'call_time', true);

      assert.strictEqual((await sent).text, 'Results: 12:00 UTC');
    });

    it('tells the model a denied call was denied', async () => {
      const chat = session({get_time: {...clock.get_time, confirm: () => true}});
      chat.addEventListener('change', () => states(chat.messages[1])?.[0] === 'approval' && chat.approveTool(chat.messages[1].id, 'call_time', false));

      const result = await chat.send('What time is it?');

      assert.deepEqual(states(chat.messages[1]), ['denied']);
      assert.strictEqual(result.text, 'Results: The user denied this call');
    });

    it('stops a running tool through its signal, and asks for no further answer', async () => {
      const probe = newProbe();
      let aborted = false;
      let started;
      const running = new Promise((resolve) => (started = resolve));
      const chat = session({get_time: {run: (input, {signal}) => new Promise(() => (signal.addEventListener('abort', () => (aborted = true)), started()))}}, {}, probe);
      const sent = chat.send('What time is it?');
      await running;

      chat.stop();
      await sent;

      assert.strictEqual(aborted, true);
      assert.deepEqual(states(chat.messages[1]), ['stopped']);
      assert.strictEqual((await readProbe(probe)).requests, 1);
      assert.strictEqual(chat.streaming, false);
    });

    it('ends the calls with an error at the step limit instead of asking again', async () => {
      const probe = newProbe();
      const chat = session(clock, {maxSteps: 1}, probe);

      await chat.send('What time is it?');

      assert.deepEqual(states(chat.messages[1]), ['failed']);
      assert.match(chat.messages[1].toolCalls[0].error, /step limit/);
      assert.strictEqual((await readProbe(probe)).requests, 1);
    });

    const badSettings = [
      ['a maxSteps of 0', clock, {maxSteps: 0}, /maxSteps/],
      ['a maxSteps of 2.5', clock, {maxSteps: 2.5}, /maxSteps/],
      ['a tool whose run is no function', {get_time: {run: 'now'}}, {}, /tools\.get_time/],
    ];
    for (const [what, tools, options, named] of badSettings) {
      it(`rejects the send with a TypeError naming ${what}`, async () => {
        const chat = session(tools, options);

        const error = await chat.send('What time is it?').then(() => null, (rejection) => rejection);

        assert.ok(error instanceof TypeError);
        assert.match(error.message, named);
      });
    }

    it('keeps the calls and their results through storage, a call cut by a reload as stopped', async () => {
      const saved = new Map();
      const storage = {load: (id) => saved.get(id), save: (id, messages) => void saved.set(id, messages)};
      const chat = session(clock, {storage, id: 'tools'});
      await chat.send('What time is it?');

      const reloaded = new ChatSession({storage, id: 'tools'});

      assert.deepEqual(reloaded.messages[1].toolCalls.map(({name, state, result}) => [name, state, result]), [['get_time', 'done', '12:00 UTC']]);
    });
  });

  describe('ChatSession: tools the server runs', () => {
    const served = (scenario, format, options = {}) => new ChatSession({url: `${origin()}/sse/${scenario}?split=hostile`, token: 't', format, ...options});

    it('shows the Responses API’s built-in calls read-only with their outcome: a web search done, an MCP call failed', async () => {
      const chat = served('responses-built-in-tools', 'openai-responses');

      const result = await chat.send('Any good news today?');

      assert.deepEqual([result.status, result.text], ['done', 'One positive story: sea otters are back.']);
      assert.deepEqual(
        chat.messages[1].toolCalls.map(({id, ...call}) => call),
        [
          {name: 'web_search', arguments: JSON.stringify(WEB_SEARCH_ACTION), input: WEB_SEARCH_ACTION, server: true, result: null, state: 'done'},
          {name: 'ask_question', arguments: MCP_ARGUMENTS, input: JSON.parse(MCP_ARGUMENTS), server: true, error: 'Repository not found', state: 'failed'},
        ],
      );
    });

    it('reads a built-in call from a non-streamed Responses reply', async () => {
      const chat = served('responses-whole-built-in', 'openai-responses');

      await chat.send('Any good news today?');

      assert.deepEqual(
        chat.messages[1].toolCalls.map(({name, input, state}) => [name, input, state]),
        [['web_search', WEB_SEARCH_ACTION, 'done']],
      );
      assert.strictEqual(chat.messages[1].content, 'Sea otters are back.');
    });

    it('shows Anthropic’s server tool calls read-only with their results, an error content as failed', async () => {
      const chat = served('anthropic-server-tools', 'anthropic');

      await chat.send('Weather in NYC?');

      assert.deepEqual(chat.messages[1].toolCalls, [
        {id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB', name: 'web_search', arguments: '{"query": "weather NYC today"}', input: {query: 'weather NYC today'}, server: true, result: WEB_SEARCH_RESULTS, state: 'done'},
        {id: 'srvtoolu_01A2bC3dE4fG5hI6jK7lM8nO', name: 'web_search', arguments: '{"query": "NYC forecast"}', input: {query: 'NYC forecast'}, server: true, error: 'max_uses_exceeded', state: 'failed'},
      ]);
    });

    it('runs no tool of the same name and fires no tool-call for a server call', async () => {
      let runs = 0;
      const chat = served('anthropic-server-tools', 'anthropic', {tools: {web_search: {run: () => ++runs}}});
      let toolCallEvents = 0;
      chat.addEventListener('tool-call', () => toolCallEvents++);

      const result = await chat.send('Weather in NYC?');

      assert.deepEqual([result.status, runs, toolCallEvents, chat.messages.length], ['done', 0, 0, 2]);
    });

    it('shows a server call running on the streaming answer before its result arrives', async () => {
      const chat = served('anthropic-server-tools', 'anthropic');
      const seen = [];
      chat.addEventListener('update', ({detail}) => {
        if (detail.toolCalls) seen.push([detail.toolCalls.map(({state}) => state).join(), chat.messages[1].toolCalls === detail.toolCalls]);
      });

      await chat.send('Weather in NYC?');

      assert.deepEqual(seen[0], ['running', true]);
      assert.deepEqual(seen.at(-1), ['done,failed', true]);
    });

    for (const [scenario, format, next, field] of [
      ['responses-built-in-tools', 'openai-responses', 'responses', 'input'],
      ['anthropic-server-tools', 'anthropic', 'anthropic', 'messages'],
    ]) {
      it(`sends no server call back to the provider, only the answer’s text (${format})`, async () => {
        const probe = newProbe();
        const chat = served(scenario, format);
        await chat.send('First');
        await chat.configure({url: `${origin()}/sse/${next}?probe=${probe}`});

        await chat.send('Second');

        const {body} = await readProbe(probe);
        assert.deepEqual(JSON.parse(body)[field], chat.messages.slice(0, 3).map(({role, content}) => ({role, content})));
      });
    }
  });
}