import type {ChatAttachment} from './session-types.js';

/** Reads a file (a Blob with a name: a File) into an attachment with a data: URL. Works in Node 20 and browsers (Blob.arrayBuffer + base64, chunked; no FileReader). */
export async function readAttachment(file: Blob & {name?: string}, options: {signal?: AbortSignal} = {}): Promise<ChatAttachment> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  options.signal?.throwIfAborted();
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  const type = file.type || 'application/octet-stream';
  return {name: file.name ?? '', type, size: file.size, url: `data:${type};base64,${btoa(binary)}`};
}
