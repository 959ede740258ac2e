import {isRecord} from './errors.js';
import type {ChatAttachment, ChatSendOptions} from './session-types.js';

/** The longest `data:` URL persistence keeps when `maxStoredAttachmentSize` is not set. @internal */
export const DEFAULT_MAX_STORED_ATTACHMENT_SIZE = 262144;

/** A MIME type without parameters: `image/png`, `application/vnd.ms-excel`. */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;
/** The start of a base64 `data:` URL, the only `data:` URLs every format can send. */
const BASE64_DATA_URL = /^data:[^,]*;base64,/i;

/** Why an attachment is not well formed (the field and what it must be), or `''` when it is. */
function problemOf(attachment: unknown): string {
  if (!isRecord(attachment)) return ' must be {name, type, size, url?}';
  const {name, type, size, url} = attachment;
  if (typeof name !== 'string' || name === '') return `.name must be a non-empty string (got ${JSON.stringify(name)})`;
  if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) return `.type must be a MIME type such as image/png (got ${JSON.stringify(type)})`;
  if (!Number.isSafeInteger(size) || (size as number) < 0) return `.size must be a whole number of bytes (got ${JSON.stringify(size)})`;
  if (url !== undefined && !isSendableUrl(url)) return `.url must be a base64 data: URL or an http(s) URL (got ${JSON.stringify(String(url).slice(0, 40))})`;
  return '';
}

/** Whether an attachment's URL holds the file itself (a `data:` URL) rather than pointing to it. @internal */
export function isDataUrl(url: string): boolean {
  return /^data:/i.test(url);
}

function isSendableUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  if (BASE64_DATA_URL.test(url)) return true;
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    return Boolean(new URL(url));
  } catch {
    return false;
  }
}

/** An attachment with only its own fields (a page's object may carry more). */
function copyOf({name, type, size, url}: ChatAttachment): ChatAttachment {
  return url === undefined ? {name, type, size} : {name, type, size, url};
}

/**
 * The attachments of `send` or `edit`'s options, checked: `undefined` when none are given, else
 * copies of them. Throws a `TypeError` that names the bad option or field.
 *
 * @internal
 */
export function sendAttachments(options: unknown, call: string): ChatAttachment[] | undefined {
  if (options === undefined) return undefined;
  if (!isRecord(options)) throw new TypeError(`chat-stream: ${call}: the options must be an object such as {attachments}`);
  const {attachments} = options as ChatSendOptions;
  if (attachments === undefined) return undefined;
  if (!Array.isArray(attachments)) throw new TypeError(`chat-stream: ${call}: attachments must be an array of {name, type, size, url?}`);
  // Array.from visits holes too: a sparse array is named, not skipped.
  return Array.from(attachments, (attachment: unknown, index) => {
    const problem = problemOf(attachment);
    if (problem) throw new TypeError(`chat-stream: ${call}: attachments[${index}]${problem}`);
    return copyOf(attachment as ChatAttachment);
  });
}

/** The attachments of a message set by a page or read from storage: those well formed, or `undefined` for none. @internal */
export function attachmentsOf(value: unknown): ChatAttachment[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const kept = value.filter((attachment) => problemOf(attachment) === '').map(copyOf);
  return kept.length > 0 ? kept : undefined;
}

/** The attachments as persistence keeps them: a `data:` URL longer than `limit` is left out. @internal */
export function storedAttachments(attachments: readonly ChatAttachment[], limit: number): ChatAttachment[] {
  return attachments.map((attachment) => {
    const {url, ...rest} = copyOf(attachment);
    return url !== undefined && (url.length <= limit || !isDataUrl(url)) ? {...rest, url} : rest;
  });
}

/** Checks the `maxStoredAttachmentSize` option; throws a `TypeError` naming it. @internal */
export function checkStoredAttachmentSize(value: unknown): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 0)) {
    throw new TypeError(`chat-stream: \`maxStoredAttachmentSize\` must be a whole number of characters, 0 or more (got ${JSON.stringify(value)})`);
  }
}
