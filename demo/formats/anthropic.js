// Anthropic's Messages API, as its streaming documentation shows the events: `message_start`
// and a `ping`, one content block per part (a `thinking` block, closed with its signature,
// before the `text` block; a `tool_use` block for a tool call, and then the stop reason
// `tool_use`), `message_delta` with the stop reason and usage, `message_stop`.
// Unstreamed: the `message` object. Errors are `{type: 'error', error: {type, message}}`.
import {EVENT_STREAM_HEADERS} from '../http.js';
import {Wire, conversation, demoId, sse} from './wire.js';

// Anthropic's signature is opaque to clients, which send it back with the thinking block.
const SIGNATURE = 'ZGVtby1zaWduYXR1cmU=';
const ERROR_TYPES = {400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error'};

class AnthropicWire extends Wire {
  constructor(body, question) {
    super(body, question);
    this.id = demoId('msg_', this.seed);
    this.index = -1;
  }

  emit(type, fields = {}) {
    return sse({type, ...fields}, type);
  }

  start() {
    const message = {id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: {input_tokens: this.inputTokens, output_tokens: 1}};
    return this.emit('message_start', {message}) + this.emit('ping');
  }

  open(kind) {
    this.index++;
    return this.emit('content_block_start', {index: this.index, content_block: kind === 'text' ? {type: 'text', text: ''} : {type: 'thinking', thinking: ''}});
  }

  piece(kind, piece) {
    return this.emit('content_block_delta', {index: this.index, delta: kind === 'text' ? {type: 'text_delta', text: piece} : {type: 'thinking_delta', thinking: piece}});
  }

  close(kind) {
    const signature = kind === 'reasoning' ? this.emit('content_block_delta', {index: this.index, delta: {type: 'signature_delta', signature: SIGNATURE}}) : '';
    return signature + this.emit('content_block_stop', {index: this.index});
  }

  get callIdPrefix() {
    return 'toolu_';
  }

  // A `tool_use` block: its input starts as {} and streams as JSON text.
  call({id, name, arguments: args}) {
    this.index++;
    const index = this.index;
    return this.emit('content_block_start', {index, content_block: {type: 'tool_use', id, name, input: {}}}) + this.emit('content_block_delta', {index, delta: {type: 'input_json_delta', partial_json: args}}) + this.emit('content_block_stop', {index});
  }

  get stopReason() {
    return this.calls.length > 0 ? 'tool_use' : 'end_turn';
  }

  end() {
    return this.emit('message_delta', {delta: {stop_reason: this.stopReason, stop_sequence: null}, usage: {output_tokens: this.outputTokens}}) + this.emit('message_stop');
  }

  error(message) {
    return this.emit('error', {error: {type: 'overloaded_error', message}});
  }

  reply() {
    const thinking = this.reasoning ? [{type: 'thinking', thinking: this.reasoning, signature: SIGNATURE}] : [];
    const text = this.text || this.calls.length === 0 ? [{type: 'text', text: this.text}] : [];
    const content = [...thinking, ...text, ...this.calls.map(({id, name, input}) => ({type: 'tool_use', id, name, input}))];
    return {id: this.id, type: 'message', role: 'assistant', model: this.model, content, stop_reason: this.stopReason, stop_sequence: null, usage: {input_tokens: this.inputTokens, output_tokens: this.outputTokens}};
  }
}

function parse(body) {
  const {max_tokens: maxTokens} = body;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) return {error: '`max_tokens` must be a positive integer'};
  return conversation(body);
}

export const anthropic = {
  name: 'anthropic',
  label: 'Anthropic Messages',
  path: '/v1/messages',
  description: '`message_start`, content blocks of `text_delta` (and `thinking_delta`), `message_delta`, `message_stop`; one `message` object when `stream` is not true. Takes the token as `x-api-key` too.',
  headers: EVENT_STREAM_HEADERS,
  parse,
  errorBody: (status, message) => ({type: 'error', error: {type: ERROR_TYPES[status] ?? 'api_error', message}}),
  Wire: AnthropicWire,
};
