// One answer of the embedded model, in the wire format its route speaks: streamed at a model's
// pace, or, for a request that does not stream, sent whole as the format's JSON. It notices
// when the client leaves, and then writes nothing more.
//
// An answer streamed as Server-Sent Events numbers its events (`id: 1`, `id: 2`, …) and asks
// for a reconnection delay (`retry:`), so that a client whose connection breaks can resume it:
// a request that carries `Last-Event-ID` gets the same answer (the same body gets the same
// answer), of which only the events after that id are sent, without waiting for the ones
// skipped, and the response echoes the id in its own `Last-Event-ID` header, which tells the
// client that the answer continues rather than starts again.
import {JSON_HEADERS, pause, sendJson} from './http.js';
import {sendFormatError} from './formats/index.js';
import {tokenize} from './model.js';
import {runServerTool} from './server-tools.js';

export const TOKEN_INTERVAL_MS = 30;
/** The reconnection delay the event streams ask for: a second, long enough to see a client reconnect. */
export const RETRY_MS = 1000;

export class ModelStream {
  /**
   * @param request - `{body, turn, stream, lastEventId, resumable}`: the validated body, the turn
   *   the model reads in it (see conversation.js readTurn), whether to stream, the request's
   *   `Last-Event-ID` header if it has one, and whether the answer may be resumed (false: its
   *   events carry no ids, as a server's that cannot resume).
   */
  constructor(res, format, {body, turn, stream, lastEventId, resumable = true}) {
    this.res = res;
    this.format = format;
    this.turn = turn;
    this.question = turn.question;
    this.streaming = stream;
    this.wire = new format.Wire(body, this.question);
    this.open = true;
    res.on('close', () => (this.open = false));
    this.numbered = stream && resumable && format.headers['content-type'].startsWith('text/event-stream');
    /** The id after which a resumed answer starts sending, or null for a fresh answer. */
    this.resumeAfter = this.numbered ? eventNumber(lastEventId) : null;
    /** The events of the answer so far, sent or skipped. */
    this.events = 0;
  }

  /** Whether this request resumes an answer whose events up to `resumeAfter` the client has. */
  get resuming() {
    return this.resumeAfter !== null;
  }

  /** Sends the head of a stream; an answer sent whole waits for `finish`. */
  start() {
    if (!this.streaming) return;
    this.head(this.format.headers);
    this.write(this.retry() + this.frame(this.wire.start()));
  }

  /** The status and headers; a resumed answer's echo the id it continues after. */
  head(headers) {
    this.res.writeHead(200, this.resuming ? {...headers, 'last-event-id': String(this.resumeAfter)} : headers);
  }

  /** A fresh event stream's first field, the reconnection delay; a resumed one has had it. */
  retry() {
    return this.numbered && !this.resuming ? `retry: ${RETRY_MS}\n\n` : '';
  }

  /**
   * Gives the format's events (each ends with a blank line; their data hold no line breaks)
   * their ids, and leaves out those the client has. Other formats' bytes pass as they are.
   */
  frame(bytes) {
    if (!this.numbered) return bytes;
    let framed = '';
    for (const event of bytes.match(/[^]*?\n\n/g) ?? []) {
      this.events++;
      if (this.events > (this.resumeAfter ?? 0)) framed += `id: ${this.events}\n${event}`;
    }
    return framed;
  }

  write(bytes) {
    if (this.open && bytes) this.res.write(bytes);
  }

  /**
   * Says the pieces as `kind` (`text` or `reasoning`), one write per `perWrite` of them, after
   * `interval` ms each; an answer sent whole just collects them. Returns whether the client stayed.
   */
  async pieces(pieces, {kind = 'text', interval = TOKEN_INTERVAL_MS, perWrite = 1} = {}) {
    for (let i = 0; i < pieces.length && this.open; i += perWrite) {
      await this.say(pieces.slice(i, i + perWrite).map((piece) => this.wire.delta(kind, piece)).join(''), interval);
    }
    return this.open;
  }

  /** Says a text token by token; see {@link pieces}. */
  tokens(text, options) {
    return this.pieces(tokenize(text), options);
  }

  /** Says a whole answer: the head, `text` token by token (see {@link pieces}), the end. */
  async answer(text, options) {
    this.start();
    if (await this.tokens(text, options)) this.finish();
  }

  /**
   * Says the format's bytes for a step of the answer, after `interval` ms; an answer sent whole
   * just collects them, and a resumed one skips the events the client has at once. Returns
   * whether the client stayed.
   */
  async say(bytes, interval = TOKEN_INTERVAL_MS) {
    const framed = this.frame(bytes);
    if (!this.streaming || framed === '' || !this.open) return this.open;
    await pause(interval);
    this.write(framed);
    return this.open;
  }

  /** Answers with a call of the page's tool `name` with `input`: the head, the call, the end (or the whole reply). */
  async callTool({name, input}) {
    this.start();
    if (await this.say(this.wire.toolCall(name, input))) this.finish();
  }

  /**
   * Runs the server's own tool `name` (see server-tools.js), its call and output streamed as the
   * format shows a tool its server ran (the AI SDK's `tool-*` parts). Resolves with the result as
   * the model reads one (`{name, input, output, isError}`, the output as text), or null when the
   * client left.
   */
  async runTool({name, input}) {
    if (!(await this.say(this.wire.toolCall(name, input)))) return null;
    const outcome = runServerTool(name, input);
    if (!(await this.say(this.wire.toolOutput(this.wire.calls.at(-1), outcome)))) return null;
    const output = outcome.error ?? (typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output));
    return {name, input, output, isError: outcome.error !== undefined};
  }

  /** Ends the answer as the format does, or sends it whole. */
  finish() {
    if (!this.open) return;
    if (this.streaming) this.res.end(this.frame(this.wire.finish()));
    else sendJson(this.res, 200, this.wire.reply());
  }

  /** Ends a stream with the format's own error event. */
  fail(message) {
    if (this.open) this.res.end(this.frame(this.wire.error(message)));
  }

  /** Answers with an HTTP error in the format's shape instead. */
  refuse(status, message, type, code) {
    sendFormatError(this.res, this.format, status, message, type, code);
  }

  /** Breaks the connection mid-answer, once what was written has left: the client sees the stream cut off. */
  async drop() {
    await new Promise((resolve) => this.res.write('', resolve));
    this.res.socket?.destroy();
  }

  /** The whole answer to `text`: the stream, from its head to its end, or the format's JSON. */
  whole(text) {
    const head = this.streaming ? this.retry() + this.frame(this.wire.start()) : '';
    const pieces = this.frame(tokenize(text).map((token) => this.wire.delta('text', token)).join(''));
    return Buffer.from(this.streaming ? head + pieces + this.frame(this.wire.finish()) : JSON.stringify(this.wire.reply()));
  }

  /** Sends the whole answer to `text` at once, in `size`-byte writes that cut through multi-byte characters. */
  async cut(text, size) {
    const bytes = this.whole(text);
    this.head(this.streaming ? this.format.headers : JSON_HEADERS);
    for (let i = 0; i < bytes.length && this.open; i += size) {
      this.res.write(bytes.subarray(i, i + size));
      if (i % (size * 10) === 0) await pause(TOKEN_INTERVAL_MS);
    }
    if (this.open) this.res.end();
  }

  /** Sends the whole answer to `text` in one write, as a proxy that buffers the stream delivers it. */
  burst(text) {
    if (!this.open) return;
    const bytes = this.whole(text);
    this.head(this.streaming ? this.format.headers : JSON_HEADERS);
    this.res.end(bytes);
  }
}

/** The event number a `Last-Event-ID` header names, or null when it names none of the demo's. */
function eventNumber(id) {
  return /^(0|[1-9]\d{0,8})$/.test(id ?? '') ? Number(id) : null;
}
