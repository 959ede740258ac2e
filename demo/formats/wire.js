// What every wire format's writer shares. The model says an answer as pieces of reasoning and of
// text; each format wraps them in its own events, and most open and close a block (an item, a
// content block, a part) when the model switches from one to the other, so the writer tracks
// which one is open.
import {hash, tokenize} from '../model.js';

/** The model's name when the request names none. */
export const DEMO_MODEL = 'chat-stream-demo';

/**
 * When the server started, in seconds: every answer's `created` time. An answer is the same,
 * byte for byte, each time its request is sent again, which resuming a broken stream relies on.
 */
const STARTED = Math.floor(Date.now() / 1000);

/** An id in the style of a provider's (`prefix` is its own, such as `msg_`), the same for the same `seed`. */
export const demoId = (prefix, seed) => `${prefix}demo${seed.toString(36)}`;

/** One Server-Sent Event; `data` is JSON unless it is already a string such as `[DONE]`. */
export const sse = (data, event) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** The `{error: {message, type, code}}` body OpenAI answers a failed request with. */
export const openaiError = (status, message, type = 'invalid_request_error', code = null) => ({error: {message, type, code}});

/**
 * Reads the conversation of a request body: its `messages` array, which every format's own body
 * has but the Responses API's, and which the element sends until it builds each format's body.
 * `stream` is the format's default when the body has none. The body stays as it came, for a
 * proxy to forward. Returns `{body, messages, stream}` or `{error}`.
 */
export function conversation(body, {stream = false, messages = body.messages} = {}) {
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return {error: '`stream` must be true or false'};
  if (!Array.isArray(messages) || messages.length === 0) return {error: 'The request body needs a non-empty `messages` array'};
  return {body, messages, stream: body.stream ?? stream};
}

/**
 * One answer in one format. Subclasses write `piece` (and where the format has them `start`,
 * `open`, `close`, `end`), `call` for a tool call, `error` for a failure mid-stream, and `reply`
 * for the whole answer as one JSON value (with the text, the reasoning and the `calls` made).
 */
export class Wire {
  constructor(body, question) {
    this.model = typeof body.model === 'string' && body.model !== '' ? body.model : DEMO_MODEL;
    this.created = STARTED;
    /** The seed of the answer's ids: its request body. */
    this.seed = hash(JSON.stringify(body));
    this.inputTokens = tokenize(question).length;
    this.outputTokens = 0;
    this.text = '';
    this.reasoning = '';
    /** `text`, `reasoning`, or null before the first piece and after the end. */
    this.part = null;
    /** The tool calls made, `{id, name, input, arguments}` (the input as JSON text), in order. */
    this.calls = [];
  }

  /** The prefix of the format's tool call ids. */
  get callIdPrefix() {
    return 'call_';
  }

  /** The bytes of a call of the tool `name` with `input` (an object), after the open block closes. */
  toolCall(name, input) {
    const id = `${demoId(this.callIdPrefix, this.seed)}${this.calls.length || ''}`;
    const call = {id, name, input, arguments: JSON.stringify(input)};
    this.calls.push(call);
    this.outputTokens++;
    return this.switchTo(null) + this.call(call);
  }

  /** The bytes for one piece of `kind` (`text` or `reasoning`), with the block changes it causes. */
  delta(kind, piece) {
    const switched = this.part === kind ? '' : this.switchTo(kind);
    this[kind] += piece;
    this.outputTokens++;
    return switched + this.piece(kind, piece);
  }

  /** The bytes that close the open block and end the answer. */
  finish() {
    return this.switchTo(null) + this.end();
  }

  switchTo(kind) {
    const closing = this.part ? this.close(this.part) : '';
    this.part = kind;
    return closing + (kind ? this.open(kind) : '');
  }

  start() {
    return '';
  }

  open() {
    return '';
  }

  close() {
    return '';
  }

  end() {
    return '';
  }
}
