// The model's reasoning (issue 20), read by the core from every format: reasoning fields and
// blocks, and think tags in the answer's text, split anywhere; how long it took (`reasoningMs`, on
// an injected clock); kept with the answer in a ChatSession, and never sent back. Over real HTTP
// from test/fixtures/server.js with hostile chunking, in Node and in Chromium.
import {THINK_ANSWER, THINK_CLOSE_ONLY, THINK_IN_CODE, THINK_LATER, THINK_REASONING, THINK_TAGGED} from '../fixtures/scenarios.js';
import {between, mulberry32, seedFor} from '../fixtures/random.js';
import {memoryStorage} from './chat-session.suite.js';
import {inPool} from './faults.suite.js';

// A byte to a write, on the next turn of the event loop: the answers here are some 15,000 bytes of events.
const HOSTILE_SPLITS = [{split: 'whole'}, {split: 'hostile', pace: '1'}, {split: 'bytes'}];
const MESSAGES = [{role: 'user', content: '你好'}];
/** Reasoning that must never reach a request body. */
const SECRET_REASONING = 'a thought the model must not see again';
/** Each format, and the fixture scenario that answers in it. */
const FORMATS = {openai: 'greeting', 'openai-responses': 'responses', anthropic: 'anthropic', 'ai-sdk': 'ai-sdk', ndjson: 'ollama', text: 'plain-text'};
let probeCount = 0;

/** Where `text` may be cut without cutting a character: after each code point but the last. */
const cutPoints = (text) => {
  const points = [];
  let at = 0;
  for (const char of text) points.push((at += char.length));
  return points.slice(0, -1);
};

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {{strictEqual: Function, deepEqual: Function, match: Function, ok: Function}} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 * @param {{randomCuts?: number, parallel?: number}} [harness.cases] how many random cuttings per answer (100), and requests at once (16)
 */
export function defineReasoningSuite({describe, it, assert, core, origin, cases = {}}) {
  const {randomCuts = 100, parallel = 16} = cases;
  const {streamChat, ChatSession} = core;
  const scenarioUrl = (name, params = {}) => `${origin()}/sse/${name}?${new URLSearchParams(params)}`;
  const chat = (name, params = {}, options = {}) => streamChat({url: scenarioUrl(name, params), requireToken: false, body: {messages: MESSAGES}, ...options});
  const newProbe = () => `r${++probeCount}-${Math.random().toString(36).slice(2)}`;
  const sentBody = async (probe) => JSON.parse((await (await fetch(`${origin()}/sse-probe/${probe}`)).json()).body);
  const rejection = (promise) => promise.then(() => null, (error) => error);

  /** A clock on which every update takes 100 ms, and the updates: the time an update was reported at is 100 × its index. */
  const steppedClock = () => {
    let time = 0;
    const updates = [];
    return {updates, timers: {now: () => time}, onUpdate: (update) => (updates.push(update), (time += 100))};
  };
  /** When the first update with `field` came, on the stepped clock. */
  const firstWith = (updates, field) => 100 * updates.findIndex((update) => update[field] !== '');

  /** The answer to a think-tagged scenario whose content is cut at `cuts`, and each update. */
  const cutAnswer = async (scenario, cuts) => {
    const updates = [];
    const result = await streamChat({url: scenarioUrl(scenario), requireToken: false, body: {messages: MESSAGES, cuts}, onUpdate: (update) => updates.push(update)});
    return {result, updates};
  };
  /** Random cuttings of `text`: pieces of 1 to 6 code points, seeded by `name` and the case. */
  const randomCuttings = (name, text) =>
    Array.from({length: randomCuts}, (_, index) => {
      const seed = seedFor(name, index);
      const random = mulberry32(seed);
      const points = cutPoints(text);
      const cuts = [];
      for (let at = between(random, 0, 5); at < points.length; at += between(random, 1, 6)) cuts.push(points[at]);
      return {seed, cuts};
    });
  /** Every cut at one place, then the random cuttings: each as `[what, cuts]`. */
  const cuttings = (name, text) => [...cutPoints(text).map((at) => [`cut at ${at}`, [at]]), ...randomCuttings(name, text).map(({seed, cuts}) => [`seed ${seed}: cuts ${cuts}`, cuts])];

  describe('Reasoning: fields and blocks, apart from the text', () => {
    const READ = [
      ['reasoning', '`reasoning_content` deltas (DeepSeek), then the content', 'Think 思考', 'Answer'],
      ['reasoning-field', "`reasoning` deltas (OpenRouter, vLLM), then the content", 'Let me see. ', '42'],
      ['content-parts', "Mistral's `thinking` content parts", 'Let me think.', 'Hello! How can I help?'],
      ['anthropic-thinking', "Anthropic's thinking block", 'Let me solve this step by step.', '27 * 453 = 12,231'],
      ['responses-reasoning', "the Responses API's reasoning summary events", '**Thinking** about the answer.', '42'],
      ['responses-whole-reasoning', "a non-streamed Responses reply's reasoning item", '**Thinking** about the answer.', '42'],
      ['ai-sdk-reasoning', "the AI SDK's reasoning parts", 'This is some reasoning', '42'],
      ['ollama-thinking', "Ollama's `message.thinking`", 'Let me think.', '42'],
    ];
    for (const [scenario, what, reasoning, text] of READ) {
      it(`reads ${what} as the reasoning, timed up to the first text (split hostile)`, async () => {
        const {updates, timers, onUpdate} = steppedClock();

        const result = await chat(scenario, {split: 'hostile', pace: '1'}, {timers, onUpdate});

        assert.deepEqual([result.status, result.reasoning, result.text], ['done', reasoning, text]);
        assert.strictEqual(result.reasoningMs, firstWith(updates, 'text') - firstWith(updates, 'reasoning'));
      });
    }

    it('has no reasoningMs in the updates before the first text, and the final one in each after it', async () => {
      const {updates, timers, onUpdate} = steppedClock();

      const result = await chat('reasoning', {split: 'bytes', pace: '1'}, {timers, onUpdate});

      assert.deepEqual(
        updates.map(({text, reasoningMs}) => [text, reasoningMs]),
        [
          ['', undefined],
          ['', undefined],
          ['Answer', 200],
        ],
      );
      assert.strictEqual(result.reasoningMs, 200);
    });

    it('has reasoningMs null, and in no update, for an answer without reasoning', async () => {
      const {updates, timers, onUpdate} = steppedClock();

      const result = await chat('greeting', {}, {timers, onUpdate});

      assert.strictEqual(result.reasoningMs, null);
      assert.ok(updates.every((update) => !('reasoningMs' in update)));
    });
  });

  describe('Reasoning: think tags in the text', () => {
    for (const params of HOSTILE_SPLITS) {
      it(`reads a leading <think> block, a code point to a chunk, as the reasoning, and never shows a tag (split ${params.split})`, async () => {
        const updates = [];

        const result = await chat('think-tags', params, {onUpdate: (update) => updates.push(update)});

        assert.deepEqual([result.status, result.reasoning, result.text], ['done', THINK_REASONING, THINK_ANSWER]);
        assert.ok(updates.every(({text}) => THINK_ANSWER.startsWith(text)), 'an update showed text that is not the answer');
        assert.ok(updates.every(({reasoning}) => THINK_REASONING.startsWith(reasoning)), 'an update showed reasoning that is not the reasoning');
      });
    }

    it('reads the tags in a plain text body split at every byte', async () => {
      const updates = [];

      const result = await chat('think-tags-text', {split: 'bytes', pace: '1'}, {onUpdate: (update) => updates.push(update)});

      assert.deepEqual([result.status, result.format, result.reasoning, result.text], ['done', 'text', THINK_REASONING, THINK_ANSWER]);
      assert.ok(updates.every(({text}) => THINK_ANSWER.startsWith(text)), 'an update showed text that is not the answer');
    });

    it('times the reasoning of think tags from its first character to the first of the answer', async () => {
      const {updates, timers, onUpdate} = steppedClock();

      const result = await chat('think-tags', {split: 'hostile', pace: '1'}, {timers, onUpdate});

      assert.ok(result.reasoningMs > 0);
      assert.strictEqual(result.reasoningMs, firstWith(updates, 'text') - firstWith(updates, 'reasoning'));
    });

    it('makes the text before a closing tag with no opening one the reasoning, in one replacing update', async () => {
      const updates = [];

      const result = await chat('think-close-only', {split: 'hostile', pace: '1'}, {onUpdate: (update) => updates.push(update)});

      assert.deepEqual([result.status, result.reasoning, result.text], ['done', THINK_REASONING, THINK_ANSWER]);
      const replaced = updates.findIndex((update) => update.replaced);
      assert.deepEqual([updates[replaced].text, updates[replaced].reasoning], ['', THINK_REASONING]);
      assert.ok(updates.slice(0, replaced).every(({text}) => THINK_CLOSE_ONLY.startsWith(text) && !text.includes('</')), 'a tag showed before the replacement');
      assert.ok(updates.slice(replaced).every(({text, replaced}, index) => THINK_ANSWER.startsWith(text) && (index === 0 || !replaced)));
    });

    it('times the reasoning before a closing tag alone from the first text, which turned out to be reasoning', async () => {
      const {updates, timers, onUpdate} = steppedClock();

      const result = await chat('think-close-only', {split: 'hostile', pace: '1'}, {timers, onUpdate});

      const replaced = updates.findIndex((update) => update.replaced);
      const answered = updates.findIndex((update, index) => index >= replaced && update.text !== '');
      assert.strictEqual(result.reasoningMs, 100 * answered - firstWith(updates, 'text'));
    });

    it('keeps a <think> later in the answer, and the closing tag after it, as text', async () => {
      const result = await chat('think-later', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.reasoning, result.text, result.reasoningMs], ['done', '', THINK_LATER, null]);
    });

    it('keeps tags in a code span and in a fenced code block as text, a closing tag alone too', async () => {
      const result = await chat('think-in-code', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.reasoning, result.text], ['done', '', THINK_IN_CODE]);
    });

    it('keeps reasoning that never closed as reasoning: an empty answer, which says so', async () => {
      const result = await chat('think-unclosed', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.text, result.reasoning, result.finishReason], ['error', '', 'Still thinking when the tokens ran out', 'length']);
      assert.deepEqual(result.error, {kind: 'stream', code: 'empty_response', message: 'The model sent its reasoning but no answer (finish reason: length)'});
    });

    it('still replaces the answer with a moderation block that follows a think block', async () => {
      const result = await chat('think-moderation', {split: 'hostile', pace: '1'});

      assert.deepEqual([result.status, result.reasoning, result.text, result.sensitive], ['done', 'Checking the rules.', '抱歉，这个问题无法回答。', {code: 10013}]);
    });

    it('reads no tags with thinkTags: false: they are the text', async () => {
      const result = await chat('think-tags', {split: 'hostile', pace: '1'}, {thinkTags: false});

      assert.deepEqual([result.status, result.reasoning, result.text, result.reasoningMs], ['done', '', THINK_TAGGED, null]);
    });

    it('rejects a thinkTags that is not a boolean, naming it', async () => {
      const error = await rejection(chat('think-tags', {}, {thinkTags: 'off'}));

      assert.ok(error instanceof TypeError);
      assert.match(error.message, /`thinkTags` must be true or false \(got "off"\)/);
    });
  });

  describe('Reasoning: think tags cut anywhere (property)', () => {
    it(`never shows a tag, and reads the reasoning and the answer exactly, for a cut at every place and ${randomCuts} random cuttings`, async () => {
      const failures = [];

      await inPool(cuttings('think tags', THINK_TAGGED), parallel, async ([what, cuts]) => {
        const {result, updates} = await cutAnswer('think-tags', cuts);
        const shown = updates.find(({text, reasoning}) => !THINK_ANSWER.startsWith(text) || !THINK_REASONING.startsWith(reasoning));
        if (shown) failures.push(`${what}: an update showed ${JSON.stringify([shown.text, shown.reasoning])}`);
        else if (result.text !== THINK_ANSWER || result.reasoning !== THINK_REASONING) failures.push(`${what}: ${JSON.stringify([result.text, result.reasoning])}`);
      });

      assert.deepEqual(failures, []);
    });

    it(`reads a closing tag alone exactly, and shows none of it, for a cut at every place and ${randomCuts} random cuttings`, async () => {
      const failures = [];

      await inPool(cuttings('closing tag alone', THINK_CLOSE_ONLY), parallel, async ([what, cuts]) => {
        const {result, updates} = await cutAnswer('think-close-only', cuts);
        const replaced = updates.findIndex((update) => update.replaced);
        const shown = updates.find(({text}, index) => (index < replaced ? !THINK_CLOSE_ONLY.startsWith(text) || text.includes('</') : !THINK_ANSWER.startsWith(text)));
        if (replaced === -1 || shown) failures.push(`${what}: ${replaced === -1 ? 'no replacing update' : `an update showed ${JSON.stringify(shown.text)}`}`);
        else if (result.text !== THINK_ANSWER || result.reasoning !== THINK_REASONING) failures.push(`${what}: ${JSON.stringify([result.text, result.reasoning])}`);
      });

      assert.deepEqual(failures, []);
    });
  });

  describe('Reasoning: ChatSession', () => {
    const session = (name, options = {}, params = {}) => new ChatSession({url: scenarioUrl(name, params), token: 'test-token', ...options});

    it('keeps the reasoning and reasoningMs with the answer, and gives them to update and done', async () => {
      const {timers} = steppedClock();
      const chat = session('reasoning', {timers}, {split: 'hostile', pace: '1'});
      const updates = [];
      chat.addEventListener('update', ({detail}) => updates.push(detail));
      const done = new Promise((resolve) => chat.addEventListener('done', ({detail}) => resolve(detail)));

      await chat.send('hi');

      const {reasoning, reasoningMs, text} = await done;
      assert.deepEqual([text, reasoning, typeof reasoningMs], ['Answer', 'Think 思考', 'number']);
      assert.deepEqual([chat.messages[1].reasoning, chat.messages[1].reasoningMs], [reasoning, reasoningMs]);
      assert.strictEqual(updates.at(-1).reasoningMs, reasoningMs);
      assert.ok(updates.filter(({text}) => text === '').every((update) => !('reasoningMs' in update)));
    });

    it('gives done reasoning "" and reasoningMs null for an answer without reasoning, and keeps neither on it', async () => {
      const chat = session('greeting');
      const done = new Promise((resolve) => chat.addEventListener('done', ({detail}) => resolve(detail)));

      await chat.send('hi');

      const detail = await done;
      assert.deepEqual([detail.reasoning, detail.reasoningMs], ['', null]);
      assert.ok(!('reasoning' in chat.messages[1]) && !('reasoningMs' in chat.messages[1]));
    });

    it('saves the reasoning and reasoningMs, and restores them', async () => {
      const storage = memoryStorage();
      const chat = session('think-tags', {storage, id: 'thinking'}, {split: 'hostile', pace: '1'});
      await chat.send('hi');
      const {reasoningMs} = chat.messages[1];

      const restored = new ChatSession({storage, id: 'thinking'}).messages[1];

      assert.deepEqual([restored.content, restored.reasoning, restored.reasoningMs, typeof reasoningMs], [THINK_ANSWER, THINK_REASONING, reasoningMs, 'number']);
    });

    it('drops a reasoningMs that is not a finite number from messages it is given', () => {
      const chat = new ChatSession({messages: [{role: 'assistant', content: 'a', reasoning: 'r', reasoningMs: 'soon'}, {role: 'assistant', content: 'b', reasoningMs: Infinity}, {role: 'assistant', content: 'c', reasoningMs: 1500}]});

      assert.deepEqual(
        chat.messages.map(({reasoningMs}) => reasoningMs),
        [undefined, undefined, 1500],
      );
    });

    it('sends the next question with the answer text alone: no tags, no reasoning', async () => {
      const probe = newProbe();
      const chat = session('think-tags', {}, {probe, split: 'hostile', pace: '1'});
      await chat.send('hi');

      await chat.send('and then?');

      assert.deepEqual((await sentBody(probe)).messages, [
        {role: 'user', content: 'hi'},
        {role: 'assistant', content: THINK_ANSWER},
        {role: 'user', content: 'and then?'},
      ]);
    });

    it('reads no tags with the thinkTags: false option', async () => {
      const chat = session('think-tags', {thinkTags: false}, {split: 'hostile', pace: '1'});

      await chat.send('hi');

      assert.deepEqual([chat.messages[1].content, chat.messages[1].reasoning], [THINK_TAGGED, undefined]);
    });

    for (const [format, scenario] of Object.entries(FORMATS)) {
      it(`never sends an answer's reasoning back (format ${format})`, async () => {
        const probe = newProbe();
        const messages = [
          {role: 'user', content: 'Why?'},
          {role: 'assistant', content: 'Because.', reasoning: SECRET_REASONING, reasoningMs: 1200},
        ];
        const chat = session(scenario, {format, messages}, {probe});

        await chat.send('And then?');

        const body = JSON.stringify(await sentBody(probe));
        assert.ok(body.includes('Because.'), `the answer's text is not in ${body}`);
        assert.ok(!body.includes(SECRET_REASONING) && !body.includes('reasoning'), `the reasoning was sent: ${body}`);
      });
    }
  });
}
