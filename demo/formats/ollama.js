// Ollama's native `/api/chat`: one JSON object per line (`application/x-ndjson`), the last with
// `done: true`, its reason and its counts; reasoning as `message.thinking`; tool calls as
// `message.tool_calls`, each whole, with its arguments as an object; a failure is an
// `{error}` line. Ollama streams unless the body says `stream: false`, then sends one object.
import {Wire, conversation} from './wire.js';

class OllamaWire extends Wire {
  record(message, done) {
    const end = done ? {done_reason: 'stop', total_duration: 0, load_duration: 0, prompt_eval_count: this.inputTokens, prompt_eval_duration: 0, eval_count: this.outputTokens, eval_duration: 0} : {};
    return {model: this.model, created_at: new Date().toISOString(), message: {role: 'assistant', ...message}, done, ...end};
  }

  piece(kind, piece) {
    const message = kind === 'text' ? {content: piece} : {content: '', thinking: piece};
    return `${JSON.stringify(this.record(message, false))}\n`;
  }

  // Each call whole, its arguments an object, in a line of its own before the last.
  call({name, input}) {
    return `${JSON.stringify(this.record({content: '', tool_calls: [{function: {name, arguments: input}}]}, false))}\n`;
  }

  end() {
    return `${JSON.stringify(this.record({content: ''}, true))}\n`;
  }

  error(message) {
    return `${JSON.stringify({error: message})}\n`;
  }

  reply() {
    const toolCalls = this.calls.map(({name, input}) => ({function: {name, arguments: input}}));
    return this.record({content: this.text, ...(this.reasoning ? {thinking: this.reasoning} : {}), ...(toolCalls.length > 0 ? {tool_calls: toolCalls} : {})}, true);
  }
}

export const ollama = {
  name: 'ndjson',
  label: 'Ollama NDJSON',
  path: '/api/chat',
  description: 'One JSON object per line (`message.content`, `message.thinking`), the last with `done: true`; one object when `stream` is false.',
  headers: {'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', 'x-accel-buffering': 'no'},
  parse: (body) => conversation(body, {stream: true}),
  errorBody: (status, message) => ({error: message}),
  Wire: OllamaWire,
};
