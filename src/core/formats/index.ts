import {isRecord, parseJson} from '../errors.js';
import type {ChatFormat, ChatFormatEvent} from '../format.js';
import type {ChatFieldPaths, ChatFormatName} from '../types.js';
import {AI_SDK_FIRST_PARTS, aiSdk} from './ai-sdk.js';
import {ANTHROPIC_EVENTS, anthropic} from './anthropic.js';
import {fieldFormat, hasFieldPaths} from './fields.js';
import {ndjson} from './ndjson.js';
import {openai} from './openai.js';
import {openaiResponses} from './openai-responses.js';
import {text} from './text.js';

/** The built-in formats, by name. @internal */
export const FORMATS: Readonly<Record<string, ChatFormat>> = {openai, 'openai-responses': openaiResponses, anthropic, 'ai-sdk': aiSdk, text, ndjson};

/** The media types whose bodies `auto` reads as plain text or as NDJSON. */
const BY_MEDIA_TYPE: Readonly<Record<string, ChatFormat>> = {
  'text/plain': text,
  'application/x-ndjson': ndjson,
  'application/ndjson': ndjson,
  'application/jsonl': ndjson,
};

/** The header of the AI SDK's UI message stream. */
const AI_SDK_HEADER = 'x-vercel-ai-ui-message-stream';

/**
 * The format options choose: a built-in by name, an adapter, or the field map (read by its paths,
 * with the named format's request body); `undefined` for `auto` without paths. Throws a
 * `TypeError` that names a bad option.
 *
 * @internal
 */
export function selectFormat(options: ChatFieldPaths & {format?: ChatFormatName | ChatFormat | undefined}): ChatFormat | undefined {
  const {format = 'auto'} = options;
  let chosen: ChatFormat | undefined;
  if (typeof format === 'string') {
    if (format !== 'auto' && !Object.hasOwn(FORMATS, format)) {
      throw new TypeError(`chat-stream: \`format\` must be auto, ${Object.keys(FORMATS).join(', ')} or an adapter object (got ${JSON.stringify(format)})`);
    }
    chosen = FORMATS[format];
  } else {
    chosen = checkAdapter(format);
  }
  return hasFieldPaths(options) ? fieldFormat(options, chosen ?? openai) : chosen;
}

/** How a body that is no event stream is read: as the format says, and as lines when a JSON format's body is NDJSON. @internal */
export function plainBodyOf(format: ChatFormat, mediaType: string): 'json' | 'ndjson' | 'text' {
  const plain = format.plainBody ?? 'json';
  return plain === 'json' && BY_MEDIA_TYPE[mediaType] === ndjson ? 'ndjson' : plain;
}

/** The request body `format` builds from a conversation (OpenAI chat completions when it has no builder of its own). @internal */
export function bodyBuilder(format: ChatFormat | undefined): NonNullable<ChatFormat['buildBody']> {
  return format?.buildBody?.bind(format) ?? openai.buildBody!;
}

/**
 * The format a response is read in: the one chosen, or for `auto` the one its AI SDK header or
 * content type says (plain text, NDJSON), else the one its first event shows (see {@link decide}).
 *
 * @internal
 */
export function formatFor(chosen: ChatFormat | undefined, headers: Headers, mediaType: string): ChatFormat {
  if (chosen) return chosen;
  if (headers.has(AI_SDK_HEADER)) return aiSdk;
  const byType = BY_MEDIA_TYPE[mediaType];
  if (byType) return byType;
  let decided: ChatFormat | undefined;
  return {
    name: 'auto',
    read(event, answer) {
      if (!decided) {
        decided = decide(event);
        if (!decided) return null;
        (answer as {format?: string}).format = decided.name;
      }
      return decided.read(event, answer);
    },
  };
}

/**
 * The format a first event shows, never a guess between shapes that could be either: a `type`
 * starting `response.` (or a whole `response` object) is OpenAI's Responses API, Anthropic's
 * event names and types are its Messages API, the AI SDK's opening parts are its UI message
 * stream, anything else is chat completions. An event that shows nothing (a keep-alive) decides
 * nothing.
 */
function decide({event, data}: ChatFormatEvent): ChatFormat | undefined {
  if (data.trim() === '') return undefined;
  const value = parseJson(data);
  const type = isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
  if (type?.startsWith('response.') || (isRecord(value) && value.object === 'response') || event?.startsWith('response.')) return openaiResponses;
  // `event: message` is the SSE default, no Anthropic name; a whole Anthropic reply is `type: 'message'`.
  if ((type !== undefined && (ANTHROPIC_EVENTS.has(type) || type === 'message')) || (event !== undefined && ANTHROPIC_EVENTS.has(event))) return anthropic;
  if (type !== undefined && AI_SDK_FIRST_PARTS.has(type)) return aiSdk;
  return openai;
}

/** A page's own format, checked: a name and a `read` function, and valid optional members. */
function checkAdapter(format: unknown): ChatFormat {
  const adapter = format as Partial<ChatFormat> | null;
  const problem =
    typeof adapter !== 'object' || adapter === null
      ? `must be a format's name or an adapter object (got ${adapter === null ? 'null' : typeof adapter})`
      : typeof adapter.name !== 'string' || adapter.name === ''
        ? 'adapter needs a `name`'
        : typeof adapter.read !== 'function'
          ? `adapter "${adapter.name}" needs a \`read(event, answer)\` function`
          : adapter.buildBody !== undefined && typeof adapter.buildBody !== 'function'
            ? `adapter "${adapter.name}": \`buildBody\` must be a function`
            : adapter.plainBody !== undefined && !['json', 'ndjson', 'text'].includes(adapter.plainBody)
              ? `adapter "${adapter.name}": \`plainBody\` must be json, ndjson or text (got ${JSON.stringify(adapter.plainBody)})`
              : '';
  if (problem) throw new TypeError(`chat-stream: \`format\` ${problem}`);
  return adapter as ChatFormat;
}
