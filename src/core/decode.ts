/**
 * Reads a body as text through one streaming UTF-8 decoder, so characters split across
 * chunks survive. The decoder drops one leading BOM. Aborting `signal` cancels the body and
 * makes the iteration throw the signal's reason; leaving the loop early cancels the body.
 *
 * @internal
 */
/** How long reading may keep a page's thread before it lets rendering and input run. */
const SLICE_MS = 8;
/** Only where something renders: in Node a yield just costs time. */
const RENDERS = typeof requestAnimationFrame === 'function';

/** Lets rendering and input run: reads of a body that arrives faster than it is read resolve as microtasks, which starve frames. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function* decodeText(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancelOnAbort = () => void reader.cancel(signal?.reason).catch(ignore);
  signal?.addEventListener('abort', cancelOnAbort, {once: true});
  let ended = false;
  let sliceStart = performance.now();
  try {
    signal?.throwIfAborted();
    while (!ended) {
      if (RENDERS && performance.now() - sliceStart > SLICE_MS) {
        await nextTask();
        sliceStart = performance.now();
      }
      const {done, value} = await reader.read();
      // A cancelled read resolves as "done": tell an abort apart from the real end.
      signal?.throwIfAborted();
      ended = done;
      const text = done ? decoder.decode() : decoder.decode(value, {stream: true});
      if (text !== '') yield text;
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
