import {isRecord, parseJson} from '../errors.js';
import type {ChatFormat, FormatEvent} from '../format.js';
import {ANTHROPIC_EVENTS, anthropic} from './anthropic.js';
import {ndjson} from './ndjson.js';
import {openai} from './openai.js';
import {openaiResponses} from './openai-responses.js';
import {text} from './text.js';

/** The built-in formats, by name. @internal */
export const FORMATS: Readonly<Record<string, ChatFormat>> = {openai, 'openai-responses': openaiResponses, anthropic, text, ndjson};

/** The media types whose bodies `auto` reads as plain text or as NDJSON. */
const BY_MEDIA_TYPE: Readonly<Record<string, ChatFormat>> = {
  'text/plain': text,
  'application/x-ndjson': ndjson,
  'application/ndjson': ndjson,
  'application/jsonl': ndjson,
};

/**
 * The format a response is read in: the one named, or for `auto` the one its content type says
 * (plain text, NDJSON), else the one its first event shows (see {@link decide}).
 *
 * @internal
 */
export function formatFor(name: string, mediaType: string): ChatFormat {
  if (name !== 'auto') return FORMATS[name]!;
  const byType = BY_MEDIA_TYPE[mediaType];
  if (byType) return byType;
  let chosen: ChatFormat | undefined;
  return {
    name: 'auto',
    body: 'json',
    read(event, answer) {
      chosen ??= decide(event);
      if (!chosen) return null;
      answer.format = chosen.name as typeof answer.format;
      return chosen.read(event, answer);
    },
  };
}

/**
 * The format a first event shows, never a guess between shapes that could be either: a `type`
 * starting `response.` (or a whole `response` object) is OpenAI's Responses API, Anthropic's
 * event names and types are its Messages API, anything else is chat completions. An event that
 * shows nothing (a keep-alive) decides nothing.
 */
function decide({event, data}: FormatEvent): ChatFormat | undefined {
  if (data.trim() === '') return undefined;
  const value = parseJson(data);
  const type = isRecord(value) ? value.type : undefined;
  if ((typeof type === 'string' && type.startsWith('response.')) || (isRecord(value) && value.object === 'response') || event?.startsWith('response.')) {
    return openaiResponses;
  }
  // `event: message` is the SSE default, no Anthropic name; a whole Anthropic reply is `type: 'message'`.
  if ((typeof type === 'string' && (ANTHROPIC_EVENTS.has(type) || type === 'message')) || (event !== undefined && ANTHROPIC_EVENTS.has(event))) return anthropic;
  return openai;
}
