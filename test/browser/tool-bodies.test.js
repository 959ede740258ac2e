// The request bodies that carry tool definitions, an answer's tool calls and their results, in
// each wire format's own shape: each format's buildBody, from its TypeScript source, in Chromium.
import {assert} from '@open-wc/testing';
import {openai} from '../../src/core/formats/openai.ts';
import {openaiResponses} from '../../src/core/formats/openai-responses.ts';
import {anthropic} from '../../src/core/formats/anthropic.ts';
import {ndjson} from '../../src/core/formats/ndjson.ts';
import {fieldFormat} from '../../src/core/formats/fields.ts';
import {aiSdk} from '../../src/core/formats/ai-sdk.ts';

const WEATHER = {name: 'weather', description: 'The weather in a city', parameters: {type: 'object', properties: {city: {type: 'string'}}, required: ['city']}};
const CLOCK = {name: 'clock'};
const EMPTY_SCHEMA = {type: 'object', properties: {}};

const paris = {id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}', input: {city: 'Paris'}, result: '{"celsius":21}', isError: false};
const oslo = {id: 'call_2', name: 'weather', arguments: '{"city":"Oslo"', input: undefined, result: 'Error: the arguments are not valid JSON', isError: true};

/** A question, an answer with text and two tool calls (the second failed), the next step's answer, and a follow-up question. */
const CONVERSATION = [
  {id: 'm1', role: 'user', content: 'Weather in Paris and Oslo?'},
  {id: 'm2', role: 'assistant', content: 'Let me check.', toolCalls: [paris, oslo]},
  {id: 'm3', role: 'assistant', content: 'Paris: 21 °C. Oslo failed.'},
  {id: 'm4', role: 'user', content: 'And tomorrow?'},
];

/** What a session sends to run its next step: the question, then the answer whose calls have their results (no text). */
const AFTER_CALLS = [
  {id: 'm1', role: 'user', content: 'Weather in Paris and Oslo?'},
  {id: 'm2', role: 'assistant', content: '', toolCalls: [paris, oslo]},
];

/** A call the backend ran, done, and one that failed. */
const SEARCH = {id: 'ws_1', name: 'web_search', arguments: '{"query":"news"}', input: {query: 'news'}, server: true, result: [{url: 'https://example.com'}]};
const FAILED_SEARCH = {id: 'ws_2', name: 'web_search', arguments: '{}', input: {}, server: true, error: 'max_uses_exceeded'};

const build = (format, input) => JSON.parse(JSON.stringify(format.buildBody({body: {}, chatId: 'm1', trigger: 'submit-message', ...input})));

/** Anthropic's user turn of the results of AFTER_CALLS' two calls, the second failed. */
const ANTHROPIC_RESULTS = [
  {type: 'tool_result', tool_use_id: 'call_1', content: '{"celsius":21}'},
  {type: 'tool_result', tool_use_id: 'call_2', content: 'Error: the arguments are not valid JSON', is_error: true},
];

describe('Request bodies with tools: OpenAI chat completions', () => {
  it('declares the tools, sends the calls after the text and one tool message per result, in order', () => {
    const body = build(openai, {messages: CONVERSATION, tools: [WEATHER, CLOCK], system: 'Be brief.', model: 'm-1'});

    assert.deepEqual(body, {
      tools: [
        {type: 'function', function: {name: 'weather', description: 'The weather in a city', parameters: WEATHER.parameters}},
        {type: 'function', function: {name: 'clock', parameters: EMPTY_SCHEMA}},
      ],
      model: 'm-1',
      stream: true,
      messages: [
        {role: 'system', content: 'Be brief.'},
        {role: 'user', content: 'Weather in Paris and Oslo?'},
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            {id: 'call_1', type: 'function', function: {name: 'weather', arguments: '{"city":"Paris"}'}},
            {id: 'call_2', type: 'function', function: {name: 'weather', arguments: '{"city":"Oslo"'}},
          ],
        },
        {role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}'},
        {role: 'tool', tool_call_id: 'call_2', content: 'Error: the arguments are not valid JSON'},
        {role: 'assistant', content: 'Paris: 21 °C. Oslo failed.'},
        {role: 'user', content: 'And tomorrow?'},
      ],
    });
  });

  it('sends content null beside tool calls when the answer has no text', () => {
    const body = build(openai, {messages: AFTER_CALLS});

    assert.deepEqual(body.messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [
        {id: 'call_1', type: 'function', function: {name: 'weather', arguments: '{"city":"Paris"}'}},
        {id: 'call_2', type: 'function', function: {name: 'weather', arguments: '{"city":"Oslo"'}},
      ],
    });
    assert.deepEqual(body.messages.slice(2).map(({role, tool_call_id}) => [role, tool_call_id]), [['tool', 'call_1'], ['tool', 'call_2']]);
  });
});

describe('Request bodies with tools: the OpenAI Responses API', () => {
  it('declares flat function tools, and sends the text, each function_call, then each function_call_output', () => {
    const body = build(openaiResponses, {messages: CONVERSATION, tools: [WEATHER, CLOCK], system: 'Be brief.', model: 'm-1'});

    assert.deepEqual(body, {
      tools: [
        {type: 'function', name: 'weather', description: 'The weather in a city', parameters: WEATHER.parameters},
        {type: 'function', name: 'clock', parameters: EMPTY_SCHEMA},
      ],
      model: 'm-1',
      stream: true,
      instructions: 'Be brief.',
      input: [
        {role: 'user', content: 'Weather in Paris and Oslo?'},
        {role: 'assistant', content: 'Let me check.'},
        {type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}'},
        {type: 'function_call', call_id: 'call_2', name: 'weather', arguments: '{"city":"Oslo"'},
        {type: 'function_call_output', call_id: 'call_1', output: '{"celsius":21}'},
        {type: 'function_call_output', call_id: 'call_2', output: 'Error: the arguments are not valid JSON'},
        {role: 'assistant', content: 'Paris: 21 °C. Oslo failed.'},
        {role: 'user', content: 'And tomorrow?'},
      ],
    });
  });

  it('sends no empty assistant message for an answer that only called tools', () => {
    const body = build(openaiResponses, {messages: AFTER_CALLS});

    assert.deepEqual(
      body.input.map((item) => item.type ?? item.role),
      ['user', 'function_call', 'function_call', 'function_call_output', 'function_call_output'],
    );
  });
});

describe('Request bodies with tools: Anthropic Messages', () => {
  it('declares input_schema tools, sends text and tool_use blocks, then one user turn with the results and the next question', () => {
    const body = build(anthropic, {messages: CONVERSATION, tools: [WEATHER, CLOCK], system: 'Be brief.', model: 'm-1'});

    assert.deepEqual(body, {
      max_tokens: 4096,
      tools: [
        {name: 'weather', description: 'The weather in a city', input_schema: WEATHER.parameters},
        {name: 'clock', input_schema: EMPTY_SCHEMA},
      ],
      model: 'm-1',
      stream: true,
      system: 'Be brief.',
      messages: [
        {role: 'user', content: 'Weather in Paris and Oslo?'},
        {
          role: 'assistant',
          content: [
            {type: 'text', text: 'Let me check.'},
            {type: 'tool_use', id: 'call_1', name: 'weather', input: {city: 'Paris'}},
            {type: 'tool_use', id: 'call_2', name: 'weather', input: {}},
          ],
        },
        {
          role: 'user',
          content: ANTHROPIC_RESULTS,
        },
        {role: 'assistant', content: 'Paris: 21 °C. Oslo failed.'},
        {role: 'user', content: 'And tomorrow?'},
      ],
    });
  });

  it('sends only tool_use blocks for an answer without text, and ends with the results', () => {
    const body = build(anthropic, {messages: [...AFTER_CALLS.slice(0, 1), {...AFTER_CALLS[1], content: ' \n'}]});

    assert.deepEqual(body.messages.slice(1), [
      {
        role: 'assistant',
        content: [
          {type: 'tool_use', id: 'call_1', name: 'weather', input: {city: 'Paris'}},
          {type: 'tool_use', id: 'call_2', name: 'weather', input: {}},
        ],
      },
      {
        role: 'user',
        content: ANTHROPIC_RESULTS,
      },
    ]);
  });

  it('puts a question that follows the results in their user turn, as text after them', () => {
    const body = build(anthropic, {messages: [...AFTER_CALLS, {id: 'm3', role: 'user', content: 'Never mind.'}, {id: 'm4', role: 'assistant', content: 'OK.'}]});

    assert.deepEqual(body.messages.slice(2), [
      {
        role: 'user',
        content: [...ANTHROPIC_RESULTS, {type: 'text', text: 'Never mind.'}],
      },
      {role: 'assistant', content: 'OK.'},
    ]);
  });

  it('sends an input that is no object (an array, a number) as {}', () => {
    const calls = [{...paris, input: [1]}, {...paris, id: 'call_3', input: 7}];
    const body = build(anthropic, {messages: [AFTER_CALLS[0], {...AFTER_CALLS[1], toolCalls: calls}]});

    assert.deepEqual(body.messages[1].content.map(({input}) => input), [{}, {}]);
  });
});

describe('Request bodies with tools: Ollama /api/chat (ndjson)', () => {
  it('declares the tools as chat completions do, and sends the calls with object inputs, then a tool message per result by name', () => {
    const body = build(ndjson, {messages: CONVERSATION, tools: [WEATHER, CLOCK], system: 'Be brief.', model: 'qwen3', maxTokens: 64});

    assert.deepEqual(body, {
      tools: [
        {type: 'function', function: {name: 'weather', description: 'The weather in a city', parameters: WEATHER.parameters}},
        {type: 'function', function: {name: 'clock', parameters: EMPTY_SCHEMA}},
      ],
      options: {num_predict: 64},
      model: 'qwen3',
      stream: true,
      messages: [
        {role: 'system', content: 'Be brief.'},
        {role: 'user', content: 'Weather in Paris and Oslo?'},
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [{function: {name: 'weather', arguments: {city: 'Paris'}}}, {function: {name: 'weather', arguments: {}}}],
        },
        {role: 'tool', tool_name: 'weather', content: '{"celsius":21}'},
        {role: 'tool', tool_name: 'weather', content: 'Error: the arguments are not valid JSON'},
        {role: 'assistant', content: 'Paris: 21 °C. Oslo failed.'},
        {role: 'user', content: 'And tomorrow?'},
      ],
    });
  });
});

describe('Request bodies with tools: the tools field', () => {
  const formats = {openai, 'openai-responses': openaiResponses, anthropic, ndjson};
  const plain = [
    {id: 'm1', role: 'user', content: 'Hi'},
    {id: 'm2', role: 'assistant', content: 'Hello!'},
    {id: 'm3', role: 'user', content: '你好'},
  ];

  for (const [name, format] of Object.entries(formats)) {
    it(`${name}: sends no tools field when none or an empty list is given`, () => {
      assert.notProperty(build(format, {messages: plain}), 'tools');
      assert.notProperty(build(format, {messages: plain, tools: []}), 'tools');
    });

    it(`${name}: lets the page's own body.tools win`, () => {
      const own = [{type: 'web_search'}];

      assert.deepEqual(build(format, {messages: plain, tools: [WEATHER], body: {tools: own}}).tools, own);
    });

    it(`${name}: sends messages without tool calls as before (an empty toolCalls list is none)`, () => {
      const withEmpty = plain.map((message) => ({...message, toolCalls: []}));

      assert.deepEqual(build(format, {messages: withEmpty, system: 'S'}), build(format, {messages: plain, system: 'S'}));
    });
  }

  for (const [name, format] of Object.entries(formats)) {
    it(`${name}: sends an answer's server calls not at all, and an answer of server calls alone not at all`, () => {
      const served = [
        {id: 'm1', role: 'user', content: 'Hi'},
        {id: 'm2', role: 'assistant', content: 'Searched.', serverToolCalls: [SEARCH]},
        {id: 'm3', role: 'user', content: 'And?'},
        {id: 'm4', role: 'assistant', content: '', serverToolCalls: [SEARCH]},
        {id: 'm5', role: 'user', content: '你好'},
      ];

      assert.deepEqual(build(format, {messages: served}), build(format, {messages: served.filter(({id}) => id !== 'm4').map(({serverToolCalls, ...message}) => message)}));
    });
  }

  it('a field map keeps its base format’s tool shapes', () => {
    const body = build(fieldFormat({textPath: 'answer'}, anthropic), {messages: AFTER_CALLS, tools: [CLOCK]});

    assert.deepEqual(body.tools, [{name: 'clock', input_schema: EMPTY_SCHEMA}]);
    assert.strictEqual(body.messages[2].content[1].is_error, true);
  });
});

describe('Request bodies with tools: the AI SDK (useChat’s UI messages)', () => {
  it('sends an answer’s server calls as tool parts with their outcome, then a step, then its text', () => {
    const body = build(aiSdk, {messages: [CONVERSATION[0], {id: 'm2', role: 'assistant', content: 'Two searches.', serverToolCalls: [SEARCH, FAILED_SEARCH]}]});

    assert.deepEqual(body.messages[1].parts, [
      {type: 'tool-web_search', toolCallId: 'ws_1', state: 'output-available', input: {query: 'news'}, output: [{url: 'https://example.com'}]},
      {type: 'tool-web_search', toolCallId: 'ws_2', state: 'output-error', input: {}, errorText: 'max_uses_exceeded'},
      {type: 'step-start'},
      {type: 'text', text: 'Two searches.'},
    ]);
  });

  it('sends an answer of server calls alone as its tool parts, without an empty text', () => {
    const body = build(aiSdk, {messages: [CONVERSATION[0], {id: 'm2', role: 'assistant', content: '', serverToolCalls: [SEARCH]}]});

    assert.deepEqual(body.messages[1].parts.map(({type}) => type), ['tool-web_search']);
  });
});
