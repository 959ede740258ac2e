// The Vercel AI SDK's UI message stream, as `toUIMessageStreamResponse()` sends it: Server-Sent
// Events of JSON parts (`start`, `start-step`, `reasoning-*` then `text-*` with one id per
// block, `finish-step`, `finish`) and `[DONE]`, marked by the `x-vercel-ai-ui-message-stream`
// header. Written by hand: the demo does not depend on the `ai` package. `useChat` always
// streams, so there is no unstreamed answer. Tools run on the server, as `streamText` runs them:
// a call's `tool-input-*` parts, its `tool-output-available` (or `-error`) part, then the answer
// in the next step.
import {EVENT_STREAM_HEADERS} from '../http.js';
import {Wire, conversation, demoId, sse} from './wire.js';

// The part types are the block's kind with -start, -delta, -end.
const BLOCK_IDS = {text: 't1', reasoning: 'r1'};

class AiSdkWire extends Wire {
  start() {
    return sse({type: 'start', messageId: demoId('msg-', this.seed)}) + sse({type: 'start-step'});
  }

  open(kind) {
    return sse({type: `${kind}-start`, id: BLOCK_IDS[kind]});
  }

  piece(kind, delta) {
    return sse({type: `${kind}-delta`, id: BLOCK_IDS[kind], delta});
  }

  close(kind) {
    return sse({type: `${kind}-end`, id: BLOCK_IDS[kind]});
  }

  // A tool the server runs: its input starts, streams as JSON text, and is available whole.
  call({id, name, input, arguments: args}) {
    return sse({type: 'tool-input-start', toolCallId: id, toolName: name}) + sse({type: 'tool-input-delta', toolCallId: id, inputTextDelta: args}) + sse({type: 'tool-input-available', toolCallId: id, toolName: name, input});
  }

  /** The output of the server's run of a call (or its error), which ends the step: the answer that reads it is the next. */
  toolOutput({id}, {output, error}) {
    const part = error === undefined ? {type: 'tool-output-available', toolCallId: id, output} : {type: 'tool-output-error', toolCallId: id, errorText: error};
    return sse(part) + sse({type: 'finish-step'}) + sse({type: 'start-step'});
  }

  end() {
    return sse({type: 'finish-step'}) + sse({type: 'finish', finishReason: 'stop'}) + sse('[DONE]');
  }

  // As the SDK does, the stream still finishes after the error part.
  error(message) {
    return sse({type: 'error', errorText: message}) + sse({type: 'finish', finishReason: 'error'}) + sse('[DONE]');
  }
}

export const aiSdk = {
  name: 'ai-sdk',
  label: 'AI SDK UI stream',
  path: '/api/ai-sdk',
  description: 'What `useChat` reads: SSE of `start`, `text-start`/`text-delta`/`text-end`, `finish` parts and `[DONE]`, with the `x-vercel-ai-ui-message-stream: v1` header; always streamed. Its tools run on the server: `tool-input-*` and `tool-output-available` parts.',
  headers: {...EVENT_STREAM_HEADERS, 'x-vercel-ai-ui-message-stream': 'v1'},
  // The UI messages carry their text in `parts`, which the model reads.
  parse: (body) => ({...conversation(body), stream: true}),
  // The page cannot run this route's tools: the server does.
  serverTools: true,
  errorBody: (status, message) => ({error: message}),
  Wire: AiSdkWire,
};
