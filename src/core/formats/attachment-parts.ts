import {isDataUrl} from '../message-attachments.js';
import type {ChatAttachment} from '../session-types.js';

/**
 * What a format can make of an attachment: an `image` the models read (PNG, JPEG, GIF or WebP:
 * Anthropic's list, and OpenAI's), a `pdf`, a `text` file, or an `other` file.
 *
 * @internal
 */
export type AttachmentKind = 'image' | 'pdf' | 'text' | 'other';

const IMAGES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The attachment's kind, by its MIME type. @internal */
export function kindOf({type}: ChatAttachment): AttachmentKind {
  const media = type.toLowerCase();
  if (IMAGES.has(media)) return 'image';
  if (media === 'application/pdf') return 'pdf';
  return media.startsWith('text/') ? 'text' : 'other';
}

/** The file's bytes in base64 when its URL is a `data:` URL (always a base64 one: see the checks), else `undefined`. @internal */
export function inlineBase64({url}: ChatAttachment): string | undefined {
  return url !== undefined && isDataUrl(url) ? url.slice(url.indexOf(',') + 1) : undefined;
}

/** A text file's content, from its base64 bytes read as UTF-8. @internal */
export function decodedText(base64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (character) => character.charCodeAt(0)));
}

/**
 * What the model reads in place of an attachment a format cannot send: one persistence did not
 * keep (it has no URL), one at a URL the API does not fetch, or one of a type the API does not read.
 *
 * @internal
 */
export function attachmentNote(attachment: ChatAttachment): string {
  const {name, type, size, url} = attachment;
  const file = `${name} (${type}, ${size} bytes)`;
  if (url === undefined) return `[Attachment not kept: ${file}]`;
  return isDataUrl(url) ? `[Attachment not sent: ${file}, a type this model's API does not read]` : `[Attachment: ${file} at ${url}]`;
}
