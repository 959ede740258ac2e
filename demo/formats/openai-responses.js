// OpenAI's Responses API, as its streaming reference lists the events: each named in its
// `event:` line and its `type`, each numbered (`sequence_number`), the answer an output item
// (a `reasoning` item first when there is reasoning, then the `message`; a `function_call`
// item for a tool call, its arguments streamed), and no `[DONE]`:
// `response.completed` (or `response.failed`) is the end. Unstreamed: the `response` object.
import {EVENT_STREAM_HEADERS} from '../http.js';
import {Wire, conversation, demoId, openaiError, sse} from './wire.js';

const outputText = (text) => ({type: 'output_text', text, annotations: []});
const summaryText = (text) => ({type: 'summary_text', text});

class ResponsesWire extends Wire {
  constructor(body, question) {
    super(body, question);
    this.id = demoId('resp_', this.seed);
    this.sequence = 0;
    this.output = [];
    this.instructions = typeof body.instructions === 'string' ? body.instructions : null;
  }

  emit(type, fields = {}) {
    return sse({type, sequence_number: this.sequence++, ...fields}, type);
  }

  response(status, fields = {}) {
    const usage = status === 'completed' ? {input_tokens: this.inputTokens, output_tokens: this.outputTokens, total_tokens: this.inputTokens + this.outputTokens} : null;
    return {id: this.id, object: 'response', created_at: this.created, status, error: null, incomplete_details: null, instructions: this.instructions, model: this.model, output: this.output, usage, ...fields};
  }

  start() {
    return this.emit('response.created', {response: this.response('in_progress')}) + this.emit('response.in_progress', {response: this.response('in_progress')});
  }

  open(kind) {
    const text = kind === 'text';
    const item = text ? {id: demoId('msg_', this.seed), type: 'message', status: 'in_progress', role: 'assistant', content: []} : {id: demoId('rs_', this.seed), type: 'reasoning', summary: []};
    this.at = {item_id: item.id, output_index: this.output.length};
    const added = this.emit('response.output_item.added', {output_index: this.at.output_index, item});
    if (text) return added + this.emit('response.content_part.added', {...this.at, content_index: 0, part: outputText('')});
    return added + this.emit('response.reasoning_summary_part.added', {...this.at, summary_index: 0, part: summaryText('')});
  }

  piece(kind, delta) {
    if (kind === 'text') return this.emit('response.output_text.delta', {...this.at, content_index: 0, delta, logprobs: []});
    return this.emit('response.reasoning_summary_text.delta', {...this.at, summary_index: 0, delta});
  }

  close(kind) {
    const {item_id: id, output_index: index} = this.at;
    let done;
    let item;
    if (kind === 'text') {
      done = this.emit('response.output_text.done', {...this.at, content_index: 0, text: this.text, logprobs: []}) + this.emit('response.content_part.done', {...this.at, content_index: 0, part: outputText(this.text)});
      item = {id, type: 'message', status: 'completed', role: 'assistant', content: [outputText(this.text)]};
    } else {
      done = this.emit('response.reasoning_summary_text.done', {...this.at, summary_index: 0, text: this.reasoning}) + this.emit('response.reasoning_summary_part.done', {...this.at, summary_index: 0, part: summaryText(this.reasoning)});
      item = {id, type: 'reasoning', summary: [summaryText(this.reasoning)]};
    }
    this.output.push(item);
    return done + this.emit('response.output_item.done', {output_index: index, item});
  }

  // A `function_call` output item: added with empty arguments, which stream, then done.
  call({id, name, arguments: args}) {
    const item = {id: demoId('fc_', this.seed), type: 'function_call', status: 'in_progress', call_id: id, name, arguments: ''};
    const at = {item_id: item.id, output_index: this.output.length};
    const done = {...item, status: 'completed', arguments: args};
    this.output.push(done);
    return (
      this.emit('response.output_item.added', {output_index: at.output_index, item}) +
      this.emit('response.function_call_arguments.delta', {...at, delta: args}) +
      this.emit('response.function_call_arguments.done', {...at, arguments: args}) +
      this.emit('response.output_item.done', {output_index: at.output_index, item: done})
    );
  }

  end() {
    return this.emit('response.completed', {response: this.response('completed')});
  }

  error(message) {
    return this.emit('response.failed', {response: this.response('failed', {error: {code: 'server_error', message}})});
  }

  reply() {
    // The output items are built as their blocks close.
    this.switchTo(null);
    return this.response('completed');
  }
}

/** The conversation of a Responses request: `input` as a string or a list of messages (or, as the element sends it today, `messages`). */
function parse(body) {
  const {input} = body;
  if (input === undefined) return conversation(body);
  if (typeof input === 'string' && input.trim() !== '') return conversation(body, {messages: [{role: 'user', content: input}]});
  if (Array.isArray(input) && input.length > 0) return conversation(body, {messages: input});
  return {error: 'The request body needs `input`: a non-empty string or a non-empty array of messages'};
}

export const openaiResponses = {
  name: 'openai-responses',
  label: 'OpenAI Responses',
  path: '/v1/responses',
  description: 'Named `response.*` events, text as `response.output_text.delta`, ending with `response.completed` (no `[DONE]`); one `response` object when `stream` is not true.',
  headers: EVENT_STREAM_HEADERS,
  parse,
  errorBody: openaiError,
  Wire: ResponsesWire,
};
