// The demo's embedded model read by the providers' own npm clients (`openai`, `@anthropic-ai/sdk`),
// over real HTTP: each format streamed and not, and the clients' stream helpers, whose
// accumulators check the event sequence strictly. A shape the demo gets wrong fails here.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, it} from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import {createDemoHandler} from '../../demo/app.js';
import {answerFor, reasoningFor} from '../../demo/model.js';

const TOKEN = 'demo-token';
const ASKED = 'What is streaming?';
const MESSAGES = [{role: 'user', content: ASKED}];
// The `fast` scenario's answer: eight sections at about 4,000 tokens a second, streamed or not.
const FAST_ANSWER = answerFor(ASKED, {sections: 8});
const OPENAI = {model: 'gpt-4o-mini'};
const ANTHROPIC = {model: 'claude-sonnet-4-5', max_tokens: 1024, messages: MESSAGES};

/**
 * Request params that pick a demo scenario. Both clients send params they do not know as they
 * are, in the body (their READMEs' "Undocumented request params"); in TypeScript this would need
 * a `@ts-expect-error`.
 */
const inScenario = (scenario, params) => ({...params, scenario});
/** Joins what `pick` reads from each event of an iterated stream; `seen` collects every event. */
async function collect(stream, pick, seen = []) {
  let text = '';
  for await (const event of stream) {
    seen.push(event);
    text += pick(event) ?? '';
  }
  return text;
}

const server = createServer(createDemoHandler({token: TOKEN, upstream: null}));
let url;
before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
// No retries: a failure shows at once, and each test makes exactly the requests it says.
const openai = (apiKey = TOKEN) => new OpenAI({baseURL: `${url}/v1`, apiKey, maxRetries: 0});
const anthropic = (apiKey = TOKEN) => new Anthropic({baseURL: url, apiKey, maxRetries: 0});

// The two clients' suites run side by side: the reasoning scenarios stream at a model's pace.
describe('the providers\' own clients', {concurrency: true}, () => {
  describe('the openai client against the embedded model', {concurrency: true}, () => {
    const chatParams = (extra = {}, scenario = 'fast') => inScenario(scenario, {...OPENAI, messages: MESSAGES, ...extra});
    const responseParams = (scenario = 'fast') => inScenario(scenario, {...OPENAI, input: ASKED});
    const deltaText = (chunk) => chunk.choices[0]?.delta.content;

    it('chat.completions.create without stream returns a ChatCompletion whose content is the text the stream assembles', async () => {
      const client = openai();

      const completion = await client.chat.completions.create(chatParams());
      const streamed = await collect(await client.chat.completions.create(chatParams({stream: true})), deltaText);

      assert.strictEqual(completion.object, 'chat.completion');
      assert.ok(completion.choices[0].message.content.length > 0);
      assert.strictEqual(completion.choices[0].message.content, streamed);
    });

    it('chat.completions.create with stream: true yields deltas that join to the answer, the last choice ending with "stop"', async () => {
      const chunks = [];

      const text = await collect(await openai().chat.completions.create(chatParams({stream: true})), deltaText, chunks);

      assert.strictEqual(text, FAST_ANSWER);
      assert.strictEqual(chunks.at(-1).choices[0].finish_reason, 'stop');
      assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
    });

    it('chat.completions.create with stream_options.include_usage ends with a usage chunk', async () => {
      const chunks = [];

      await collect(await openai().chat.completions.create(chatParams({stream: true, stream_options: {include_usage: true}})), deltaText, chunks);

      const {choices, usage} = chunks.at(-1);
      assert.deepEqual(choices, []);
      assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0, JSON.stringify(usage));
      assert.strictEqual(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    });

    it('chat.completions.stream() accumulates the chunks into finalChatCompletion()', async () => {
      const completion = await openai().chat.completions.stream(chatParams()).finalChatCompletion();

      assert.deepEqual(completion.choices.map(({message, finish_reason}) => [message.role, message.content, finish_reason]), [['assistant', FAST_ANSWER, 'stop']]);
    });

    it('chat.completions.create with the stream-error scenario throws an APIError naming the overload', async () => {
      const stream = await openai().chat.completions.create(chatParams({stream: true}, 'stream-error'));

      await assert.rejects(collect(stream, deltaText), (error) => error instanceof OpenAI.APIError && /overloaded/.test(error.message));
    });

    it('responses.create without stream returns a Response whose output_text is the answer', async () => {
      const response = await openai().responses.create(responseParams());

      assert.deepEqual([response.object, response.status, response.output_text], ['response', 'completed', FAST_ANSWER]);
    });

    it('responses.create with stream: true yields response.output_text.delta events, then response.completed', async () => {
      const events = [];

      const text = await collect(await openai().responses.create({...responseParams(), stream: true}), (event) => (event.type === 'response.output_text.delta' ? event.delta : ''), events);

      assert.strictEqual(text, FAST_ANSWER);
      assert.strictEqual(events.at(-1).type, 'response.completed');
      assert.deepEqual(events.map((event) => event.sequence_number), events.map((_, i) => i));
    });

    it('responses.stream() accumulates the events into finalResponse()', async () => {
      const response = await openai().responses.stream(responseParams()).finalResponse();

      assert.deepEqual([response.status, response.output_text, response.output.map((item) => item.type)], ['completed', FAST_ANSWER, ['message']]);
    });

    it('responses.stream() with the reasoning scenario gives a reasoning item, then the message', async () => {
      const response = await openai().responses.stream(responseParams('reasoning')).finalResponse();

      const [reasoning, message] = response.output;
      assert.deepEqual([reasoning.type, reasoning.summary.map((part) => part.text)], ['reasoning', [reasoningFor(ASKED)]]);
      assert.deepEqual([message.type, response.output_text], ['message', answerFor(ASKED)]);
    });

    it('responses.stream() with the stream-error scenario ends in a failed Response naming the overload', async () => {
      const response = await openai().responses.stream(responseParams('stream-error')).finalResponse();

      assert.strictEqual(response.status, 'failed');
      assert.match(response.error.message, /overloaded/);
    });

    it('a wrong token rejects with its AuthenticationError (401)', async () => {
      const request = openai('wrong').chat.completions.create(chatParams());

      await assert.rejects(request, (error) => error instanceof OpenAI.AuthenticationError && error.status === 401 && /demo-token/.test(error.message));
    });
  });

  describe('the @anthropic-ai/sdk client against the embedded model', {concurrency: true}, () => {
    const fast = (extra = {}) => inScenario('fast', {...ANTHROPIC, ...extra});
    const textOf = (message) => message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');

    it('messages.create without stream returns a Message whose text block is the answer', async () => {
      const message = await anthropic().messages.create(fast());

      assert.deepEqual([message.type, message.role, message.stop_reason], ['message', 'assistant', 'end_turn']);
      assert.deepEqual(message.content, [{type: 'text', text: FAST_ANSWER}]);
    });

    it('messages.create with stream: true yields message_start, text_delta content_block_deltas and message_stop', async () => {
      const events = [];

      const text = await collect(await anthropic().messages.create(fast({stream: true})), (event) => (event.delta?.type === 'text_delta' ? event.delta.text : ''), events);

      assert.strictEqual(text, FAST_ANSWER);
      assert.deepEqual([events[0].type, events.at(-1).type], ['message_start', 'message_stop']);
      assert.ok(events.some((event) => event.type === 'content_block_delta'));
    });

    it('messages.stream() accumulates the events into finalMessage(): the same text, stop_reason "end_turn"', async () => {
      const client = anthropic();

      const message = await client.messages.stream(fast()).finalMessage();
      const whole = await client.messages.create(fast());

      assert.deepEqual([textOf(message), message.stop_reason], [textOf(whole), 'end_turn']);
      assert.strictEqual(textOf(message), FAST_ANSWER);
      assert.ok(message.usage.output_tokens > 0);
    });

    it('messages.stream() with the reasoning scenario gives a thinking block, with its signature, before the text', async () => {
      const message = await anthropic().messages.stream(inScenario('reasoning', ANTHROPIC)).finalMessage();

      const [thinking, text] = message.content;
      assert.deepEqual([thinking.type, thinking.thinking, typeof thinking.signature], ['thinking', reasoningFor(ASKED), 'string']);
      assert.deepEqual([text.type, text.text], ['text', answerFor(ASKED)]);
    });

    it('messages.stream() with the stream-error scenario throws an error naming overloaded_error', async () => {
      const stream = anthropic().messages.stream(inScenario('stream-error', ANTHROPIC));

      await assert.rejects(stream.finalMessage(), (error) => error instanceof Anthropic.APIError && /overloaded_error/.test(error.message));
    });

    it('a wrong token rejects with its AuthenticationError (401)', async () => {
      const request = anthropic('wrong').messages.create(fast());

      await assert.rejects(request, (error) => error instanceof Anthropic.AuthenticationError && error.status === 401 && /demo-token/.test(error.message));
    });
  });
});
