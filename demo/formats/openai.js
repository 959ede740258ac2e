// OpenAI chat completions: `chat.completion.chunk` events up to `[DONE]`, or, as OpenAI answers
// a request whose `stream` is not true (the `openai` npm client sends none), one `chat.completion`.
// A tool call streams as `tool_calls` deltas and ends the answer with `finish_reason: 'tool_calls'`.
import {EVENT_STREAM_HEADERS} from '../http.js';
import {Wire, conversation, demoId, openaiError, sse} from './wire.js';

class OpenAIWire extends Wire {
  constructor(body, question) {
    super(body, question);
    this.id = demoId('chatcmpl-', this.seed);
    // OpenAI sends the usage chunk only when asked to.
    this.includeUsage = body.stream_options?.include_usage === true;
  }

  chunk(delta, finishReason = null, extra = {}) {
    return sse({id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: delta ? [{index: 0, delta, finish_reason: finishReason}] : [], ...extra});
  }

  start() {
    return this.chunk({role: 'assistant', content: ''});
  }

  piece(kind, piece) {
    // `reasoning_content` as DeepSeek and most OpenAI-compatible reasoning models send it.
    return this.chunk(kind === 'text' ? {content: piece} : {reasoning_content: piece});
  }

  // The call's id and name first, then its arguments, as OpenAI streams them.
  call({id, name, arguments: args}) {
    const index = this.calls.length - 1;
    return this.chunk({tool_calls: [{index, id, type: 'function', function: {name, arguments: ''}}]}) + this.chunk({tool_calls: [{index, function: {arguments: args}}]});
  }

  get finishReason() {
    return this.calls.length > 0 ? 'tool_calls' : 'stop';
  }

  end() {
    const usage = this.includeUsage ? this.chunk(null, null, {usage: this.usage()}) : '';
    return `${this.chunk({}, this.finishReason)}${usage}${sse('[DONE]')}`;
  }

  error(message) {
    return sse(openaiError(500, message, 'server_error'));
  }

  reply() {
    const toolCalls = this.calls.map(({id, name, arguments: args}) => ({id, type: 'function', function: {name, arguments: args}}));
    // `content` is null beside tool calls when there is no text.
    const message = {role: 'assistant', content: this.text || (toolCalls.length > 0 ? null : ''), ...(this.reasoning ? {reasoning_content: this.reasoning} : {}), ...(toolCalls.length > 0 ? {tool_calls: toolCalls} : {})};
    return {id: this.id, object: 'chat.completion', created: this.created, model: this.model, choices: [{index: 0, message, finish_reason: this.finishReason}], usage: this.usage()};
  }

  usage() {
    return {prompt_tokens: this.inputTokens, completion_tokens: this.outputTokens, total_tokens: this.inputTokens + this.outputTokens};
  }
}

export const openai = {
  name: 'openai',
  label: 'OpenAI chat completions',
  path: '/v1/chat/completions',
  description: '`chat.completion.chunk` events up to `data: [DONE]`; one JSON `chat.completion` when `stream` is not true.',
  headers: EVENT_STREAM_HEADERS,
  parse: (body) => conversation(body),
  errorBody: openaiError,
  Wire: OpenAIWire,
};
