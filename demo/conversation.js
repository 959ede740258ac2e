// What the embedded model reads of a request, whichever wire format shaped it: the last question
// (its text and the files attached to it), the tool result the conversation ends with, and the
// tools the request declares. The formats' shapes do not collide, so one reader takes them all:
// content as a string or as parts (OpenAI's, the Responses API's, Anthropic's blocks, the AI
// SDK's UI message `parts`), Ollama's `images`, and each format's tool calls and results.
import {imageSize} from './image-size.js';

/**
 * The turn to answer: `question` (the last user message's text, '' when it has only files),
 * `files` (what was attached to it, see {@link fileOf}), `toolResult` (`{name, input, output,
 * isError}` when the conversation ends with a tool's result, else null) and `tools` (the names of
 * the tools the body declares). Returns `{error}` naming the problem for an attachment whose data
 * cannot be decoded, or a last user message with neither text nor files.
 */
export function readTurn({body, messages}) {
  const asked = messages.findLast(isQuestion);
  const content = asked?.content ?? asked?.parts;
  const parts = Array.isArray(content) ? content : [];
  const files = [];
  for (const [index, part] of parts.entries()) {
    const file = fileOf(part);
    if (file?.error) return {error: `Part ${index} (${part.type}) of the last user message: ${file.error}`};
    if (file) files.push(file);
  }
  for (const [index, image] of (Array.isArray(asked?.images) ? asked.images : []).entries()) {
    const file = fromBase64(image, undefined);
    if (file.error) return {error: `Image ${index} of the last user message: ${file.error}`};
    files.push(file);
  }
  const toolResult = toolResultOf(messages);
  const question = textOf(content).trim();
  if (question === '' && files.length === 0 && !toolResult) return {error: 'The last user message is empty: it has neither text nor attachments'};
  return {question, files, toolResult, tools: declaredTools(body)};
}

/** Whether a message asks something: a user message that is not only tool results (Anthropic sends those as a user turn). */
function isQuestion(message) {
  if (message?.role !== 'user') return false;
  return !(Array.isArray(message.content) && message.content.length > 0 && message.content.every((block) => block?.type === 'tool_result'));
}

/** The text of content that is a string or a list of parts, whose text parts count. */
function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** The names of the tools a body declares: `{function: {name}}` (OpenAI chat, Ollama) or `{name}` (Responses, Anthropic). */
function declaredTools(body) {
  return new Set((Array.isArray(body.tools) ? body.tools : []).map((tool) => tool?.function?.name ?? tool?.name).filter((name) => typeof name === 'string'));
}

/**
 * A file part in any format's shape, or undefined for a part that is none: `{name, type, size,
 * width, height}` when its bytes came with it (width and height for a PNG, JPEG, GIF or WebP),
 * `{name, type, url}` for a file only linked (the demo fetches nothing), or `{error}`.
 */
function fileOf(part) {
  switch (part?.type) {
    // OpenAI chat: `image_url.url`; the Responses API: `image_url` itself.
    case 'image_url':
    case 'input_image':
      return fromUrl(typeof part.image_url === 'string' ? part.image_url : part.image_url?.url, {});
    // Responses.
    case 'input_file':
      return fromUrl(part.file_data ?? part.file_url, {name: part.filename});
    // OpenAI chat (`file: {filename, file_data}`), or an AI SDK UI message part (`{mediaType, filename, url}`).
    case 'file':
      return part.file ? fromUrl(part.file.file_data, {name: part.file.filename}) : fromUrl(part.url, {name: part.filename, type: part.mediaType});
    // Anthropic: a `source` of base64 data, a URL, or (documents) text.
    case 'image':
    case 'document': {
      const {source = {}} = part;
      const declared = {name: part.title, type: source.media_type};
      if (source.type === 'base64') return fromBase64(source.data, declared);
      if (source.type === 'text') return described(Buffer.from(String(source.data ?? ''), 'utf8'), {...declared, type: declared.type ?? 'text/plain'});
      return fromUrl(source.url, declared);
    }
    default:
      return undefined;
  }
}

/** A file given as a `data:` URL, raw base64 (OpenAI's `file_data` may be either), or a link. */
function fromUrl(url, declared) {
  if (typeof url !== 'string' || url === '') return {error: 'it has no data and no URL'};
  const data = /^data:([^,]*),/i.exec(url);
  if (!data) return /^[a-z][a-z\d+.-]*:/i.test(url) ? {name: declared.name, type: declared.type ?? 'application/octet-stream', url} : fromBase64(url, declared);
  const [type = '', ...parameters] = data[1].split(';');
  const payload = url.slice(data[0].length);
  const declaredType = declared.type ?? (type || 'text/plain');
  if (parameters.some((parameter) => parameter.toLowerCase() === 'base64')) return fromBase64(payload, {...declared, type: declaredType});
  try {
    return described(Buffer.from(decodeURIComponent(payload), 'utf8'), {...declared, type: declaredType});
  } catch {
    return {error: 'its data: URL is not percent-encoded text'};
  }
}

function fromBase64(text, declared = {}) {
  const compact = typeof text === 'string' ? text.replace(/\s+/g, '') : '';
  // Node decodes whatever it is given; a model's API refuses what is not base64.
  if (compact === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return {error: 'its data is not base64'};
  return described(Buffer.from(compact, 'base64'), declared);
}

/** A file's description: its declared type, else the type its header says; its size; an image's pixels. */
function described(bytes, {name, type}) {
  const image = imageSize(bytes);
  return {name, type: type || image?.type || 'application/octet-stream', size: bytes.length, ...(image ? {width: image.width, height: image.height} : {})};
}

/**
 * The tool result the conversation ends with, in any format's shape, with the call it answers:
 * a `tool` message (OpenAI chat by `tool_call_id`, Ollama by `tool_name`), a Responses
 * `function_call_output` item, or an Anthropic user turn of `tool_result` blocks; null otherwise.
 */
function toolResultOf(messages) {
  const last = messages.at(-1);
  let result;
  if (last?.role === 'tool') result = {id: last.tool_call_id, name: last.tool_name, output: last.content};
  else if (last?.type === 'function_call_output') result = {id: last.call_id, output: last.output};
  else if (last?.role === 'user' && Array.isArray(last.content) && last.content.length > 0 && !isQuestion(last)) {
    const block = last.content.at(-1);
    result = {id: block.tool_use_id, output: block.content, isError: block.is_error === true};
  } else return null;
  const call = callsIn(messages).findLast(({id, name}) => (result.id !== undefined ? id === result.id : name === result.name));
  return {name: call?.name ?? result.name ?? '', input: call?.input ?? {}, output: textOf(result.output), isError: result.isError ?? false};
}

/** Every tool call the conversation's answers made, as `{id, name, input}`, in order. */
function callsIn(messages) {
  return messages.flatMap((message) => {
    // Responses: the call is an input item of its own.
    if (message?.type === 'function_call') return [{id: message.call_id, name: message.name, input: parsed(message.arguments)}];
    // OpenAI chat (arguments as JSON text, with ids) and Ollama (arguments as an object).
    if (Array.isArray(message?.tool_calls)) return message.tool_calls.map((call) => ({id: call?.id, name: call?.function?.name, input: parsed(call?.function?.arguments)}));
    // Anthropic: `tool_use` blocks of an assistant turn.
    if (Array.isArray(message?.content)) return message.content.filter((block) => block?.type === 'tool_use').map(({id, name, input}) => ({id, name, input}));
    return [];
  });
}

function parsed(input) {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return {};
  }
}
