import {decodeText} from './decode.js';
import type {ChatFormatEvent} from './format.js';

/**
 * Reads a body that is no event stream as events: each decoded piece of a plain text body, or
 * each line of an NDJSON body (CR, LF and CRLF end lines; an unterminated last line counts).
 * Yields the events each network chunk completed, as one array per chunk.
 *
 * @internal
 */
export async function* readPlainBatches(
  body: ReadableStream<Uint8Array>,
  lines: boolean,
  signal?: AbortSignal,
): AsyncGenerator<ChatFormatEvent[], void, undefined> {
  // The unfinished last line, in pieces: a long line is joined once, not once per chunk.
  let pending: string[] = [];
  for await (const text of decodeText(body, signal)) {
    if (!lines) {
      yield [{data: text}];
      continue;
    }
    if (!/[\r\n]/.test(text)) {
      pending.push(text);
      continue;
    }
    const parts = (pending.join('') + text).split(/\r\n|\r|\n/);
    // A CR at the end may be half of a CRLF split across chunks: the LF then ends an empty line, skipped.
    const last = parts.pop()!;
    pending = last === '' ? [] : [last];
    const batch = parts.filter((line) => line.trim() !== '').map((data) => ({data}));
    if (batch.length > 0) yield batch;
  }
  const last = pending.join('');
  if (last.trim() !== '') yield [{data: last}];
}
