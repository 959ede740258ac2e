import {TimeSlice} from './time-slice.js';

/**
 * A read can hold megabytes (a fast server's body that piled up while the page was busy; 2 MB at
 * once in the bench): it is decoded and handed on in pieces of this many bytes, so that parsing
 * one piece is never a long task and the reader's time slices can yield between them.
 */
const PIECE_BYTES = 65536;

/**
 * Reads a body as text through one streaming UTF-8 decoder, so characters split across
 * chunks survive. The decoder drops one leading BOM. Aborting `signal` cancels the body and
 * makes the iteration throw the signal's reason; leaving the loop early cancels the body.
 *
 * @internal
 */
export async function* decodeText(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancelOnAbort = () => void reader.cancel(signal?.reason).catch(ignore);
  signal?.addEventListener('abort', cancelOnAbort, {once: true});
  let ended = false;
  const slice = new TimeSlice();
  try {
    signal?.throwIfAborted();
    while (!ended) {
      if (slice.due) await slice.yield();
      const {done, value} = await reader.read();
      // A cancelled read resolves as "done": tell an abort apart from the real end.
      signal?.throwIfAborted();
      ended = done;
      if (done) {
        const text = decoder.decode();
        if (text !== '') yield text;
        break;
      }
      for (let at = 0; at < value.byteLength; at += PIECE_BYTES) {
        if (at > 0 && slice.due) {
          await slice.yield();
          signal?.throwIfAborted();
        }
        const text = decoder.decode(value.byteLength <= PIECE_BYTES ? value : value.subarray(at, at + PIECE_BYTES), {stream: true});
        if (text !== '') yield text;
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancelOnAbort);
    if (!ended) void reader.cancel().catch(ignore);
  }
}

/** The whole body as text, or `null` when it cannot be read (or the read was aborted). @internal */
export async function readText(body: ReadableStream<Uint8Array> | null, signal?: AbortSignal): Promise<string | null> {
  const parts: string[] = [];
  try {
    if (body) for await (const text of decodeText(body, signal)) parts.push(text);
  } catch {
    return null;
  }
  return parts.join('');
}

function ignore(): void {}
