// Client tools on a `ChatSession` (issue 16): an answer that ends with tool calls runs them
// (through `run`, or the page's `tool-call` listener), then asks for the next answer with their
// results, in the format's own shape, against the fixture server's `tool-round` model over real HTTP.

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
  const session = (tools, options = {}, probe = newProbe()) =>
    new ChatSession({url: `${origin()}/sse/tool-round?probe=${probe}`, token: 't', format: 'openai', tools, ...options});
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

    it('declares the tools in each request and sends the call and its result back in the format’s shape', async () => {
      const probe = newProbe();
      const chat = session(clock, {}, probe);

      await chat.send('What time is it?');

      const [first, second] = await sentBodies(probe);
      assert.deepEqual(first.tools, [{type: 'function', function: {name: 'get_time', description: 'The time in a zone', parameters: clock.get_time.parameters}}]);
      assert.deepEqual(second.messages.slice(1), [
        {role: 'assistant', content: null, tool_calls: [{id: 'call_time', type: 'function', function: {name: 'get_time', arguments: '{"zone":"UTC"}'}}]},
        {role: 'tool', tool_call_id: 'call_time', content: '12:00 UTC'},
      ]);
    });

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
}
