import type {ChatFormat} from '../format.js';
import {ndjson} from './ndjson.js';
import {openai} from './openai.js';
import {text} from './text.js';

/** The built-in formats, by name. @internal */
export const FORMATS: Readonly<Record<string, ChatFormat>> = {openai, text, ndjson};

/** The media types whose bodies `auto` reads as plain text or as NDJSON. */
const BY_MEDIA_TYPE: Readonly<Record<string, ChatFormat>> = {
  'text/plain': text,
  'application/x-ndjson': ndjson,
  'application/ndjson': ndjson,
  'application/jsonl': ndjson,
};

/**
 * The format a response is read in: the one named, or for `auto` the one its content type
 * says (plain text, NDJSON), else OpenAI chat completions.
 *
 * @internal
 */
export function formatFor(name: string, mediaType: string): ChatFormat {
  return name === 'auto' ? (BY_MEDIA_TYPE[mediaType] ?? openai) : FORMATS[name]!;
}
