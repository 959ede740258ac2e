import {unlessAborted} from './clock.js';
import type {ChatAttachment} from './session-types.js';
import {TimeSlice} from './time-slice.js';

/** Options of {@link readAttachment}. */
export interface ReadAttachmentOptions {
  /** Aborts the read: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Bytes encoded per step: a multiple of 3, so that the pieces' base64 joins without padding
 * between them, and few enough to pass as arguments to `String.fromCharCode`.
 */
const BASE64_CHUNK = 3 * 8192;

/**
 * Reads a file (a `File`, or any `Blob`: one without a name is called `attachment`) into an
 * attachment whose `url` is a base64 `data:` URL, as `ChatSession.send(text, {attachments})`
 * takes it. Works in Node 20 and browsers (no `FileReader`); a large file is encoded in pieces,
 * giving the page a turn between them. Rejects with a `TypeError` for anything but a `Blob`, and
 * with the signal's reason when `signal` aborts.
 *
 * @example
 * ```ts
 * const attachments = await Promise.all([...input.files].map((file) => readAttachment(file)));
 * await session.send('What is in these?', {attachments});
 * ```
 */
export async function readAttachment(file: Blob & {name?: string}, options: ReadAttachmentOptions = {}): Promise<ChatAttachment> {
  // Duck-typed: a File from another frame is no instance of this one's Blob.
  if (typeof (file as Partial<Blob> | null)?.arrayBuffer !== 'function' || typeof file.size !== 'number') {
    throw new TypeError(`chat-stream: readAttachment(file) needs a File or Blob (got ${file === null ? 'null' : typeof file})`);
  }
  const {signal} = options;
  signal?.throwIfAborted();
  const bytes = new Uint8Array(await unlessAborted(file.arrayBuffer(), signal));
  // A Blob's type may carry parameters (`text/plain;charset=utf-8`): the attachment has the media type alone.
  const type = file.type.split(';')[0]!.trim() || 'application/octet-stream';
  const name = typeof file.name === 'string' && file.name !== '' ? file.name : 'attachment';
  return {name, type, size: bytes.length, url: `data:${type};base64,${await base64Of(bytes, signal)}`};
}

/** The bytes in base64, encoded a piece at a time so that a large file does not hold up the page. */
async function base64Of(bytes: Uint8Array, signal: AbortSignal | undefined): Promise<string> {
  const pieces: string[] = [];
  const slice = new TimeSlice();
  for (let start = 0; start < bytes.length; start += BASE64_CHUNK) {
    if (slice.due) {
      await slice.yield();
      signal?.throwIfAborted();
    }
    pieces.push(btoa(String.fromCharCode(...bytes.subarray(start, start + BASE64_CHUNK))));
  }
  return pieces.join('');
}
