// One answer of the embedded model, in the wire format its route speaks: streamed at a model's
// pace, or, for a request that does not stream, sent whole as the format's JSON. It notices
// when the client leaves, and then writes nothing more.
import {JSON_HEADERS, pause, sendJson} from './http.js';
import {sendFormatError} from './formats/index.js';
import {tokenize} from './model.js';

export const TOKEN_INTERVAL_MS = 30;

export class ModelStream {
  /** @param request - `{body, question, stream}`: the validated body, its question, and whether to stream. */
  constructor(res, format, {body, question, stream}) {
    this.res = res;
    this.format = format;
    this.question = question;
    this.streaming = stream;
    this.wire = new format.Wire(body, question);
    this.open = true;
    res.on('close', () => (this.open = false));
  }

  /** Sends the head of a stream; an answer sent whole waits for `finish`. */
  start() {
    if (!this.streaming) return;
    this.res.writeHead(200, this.format.headers);
    this.write(this.wire.start());
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
      const bytes = pieces.slice(i, i + perWrite).map((piece) => this.wire.delta(kind, piece)).join('');
      if (!this.streaming) continue;
      await pause(interval);
      this.write(bytes);
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

  /** Ends the answer as the format does, or sends it whole. */
  finish() {
    if (!this.open) return;
    if (this.streaming) this.res.end(this.wire.finish());
    else sendJson(this.res, 200, this.wire.reply());
  }

  /** Ends a stream with the format's own error event. */
  fail(message) {
    if (this.open) this.res.end(this.wire.error(message));
  }

  /** Answers with an HTTP error in the format's shape instead. */
  refuse(status, message, type, code) {
    sendFormatError(this.res, this.format, status, message, type, code);
  }

  /** Sends the whole answer to `text` at once, in `size`-byte writes that cut through multi-byte characters. */
  async cut(text, size) {
    const head = this.streaming ? this.wire.start() : '';
    const pieces = tokenize(text).map((token) => this.wire.delta('text', token)).join('');
    const bytes = Buffer.from(this.streaming ? head + pieces + this.wire.finish() : JSON.stringify(this.wire.reply()));
    this.res.writeHead(200, this.streaming ? this.format.headers : JSON_HEADERS);
    for (let i = 0; i < bytes.length && this.open; i += size) {
      this.res.write(bytes.subarray(i, i + size));
      if (i % (size * 10) === 0) await pause(TOKEN_INTERVAL_MS);
    }
    if (this.open) this.res.end();
  }
}
