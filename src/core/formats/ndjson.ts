import {isRecord, reportedError} from '../errors.js';
import {functionTool, withSystem} from './openai.js';
import {readJsonEvent, toolsField, type ChatBodyMessage, type ChatFormat, type ChatFormatStep, type ChatAnswerWriter} from '../format.js';
import {attachmentNote, inlineBase64, kindOf} from './attachment-parts.js';

/**
 * Newline-delimited JSON as Ollama's native API streams it (`/api/chat`: `message.content`
 * and `message.thinking`, `message.tool_calls` with their input as objects; `/api/generate`:
 * `response`), one JSON value per line, ending with `done: true` and its `done_reason`; an
 * `error` line is the stream's error. See https://github.com/ollama/ollama/blob/main/docs/api.md.
 *
 * The body declares the page's tools as chat completions do (a `body.tools` of the page's own
 * wins), and sends an answer's tool calls back as Ollama's tool calling guide
 * (docs/capabilities/tool-calling.mdx) does: the assistant message with `tool_calls`, each input
 * an object, then one `{role: 'tool', tool_name, content}` per call, in order. A question's
 * images go in its `images`, base64 without the `data:` prefix, as the API takes them; any other
 * file (and an image at a URL, which Ollama does not fetch) is named in its text.
 *
 * @internal
 */
export const ndjson: ChatFormat = {
  name: 'ndjson',
  plainBody: 'ndjson',
  read: (event, answer) => readJsonEvent(event, answer, readLine),
  // Ollama's `/api/chat`: as chat completions, with the token limit among its `options`.
  buildBody({messages, tools, system, model, maxTokens, body}) {
    const options = maxTokens ? {options: {...(isRecord(body.options) ? body.options : {}), num_predict: maxTokens}} : {};
    return {
      ...toolsField(tools, functionTool),
      ...body,
      ...options,
      ...(model ? {model} : {}),
      stream: true,
      // Ollama matches a result to its call by the tool's name, and takes the input as an object.
      messages: withSystem(messages, system, ({role, content, toolCalls}) => [
        {role, content, tool_calls: toolCalls.map(({name, input}) => ({function: {name, arguments: isRecord(input) ? input : {}}}))},
        ...toolCalls.map(({name, result}) => ({role: 'tool', tool_name: name, content: result})),
      ], withImages),
    };
  },
};

/** A question with its images in `images`, and its other files named after its text. */
function withImages({role, content, attachments = []}: ChatBodyMessage): Record<string, unknown> {
  const images: string[] = [];
  const notes: string[] = [];
  for (const attachment of attachments) {
    const data = kindOf(attachment) === 'image' ? inlineBase64(attachment) : undefined;
    if (data === undefined) notes.push(attachmentNote(attachment));
    else images.push(data);
  }
  return {role, content: [content, ...notes].filter((text) => text.trim() !== '').join('\n\n'), ...(images.length ? {images} : {})};
}

function readLine(line: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep {
  if (line.error != null) return reportedError('stream', line, 'The stream reported an error');
  const message = isRecord(line.message) ? line.message : line;
  const content = message.content ?? line.response;
  if (typeof content === 'string' || isRecord(line.message)) answer.began = true;
  if (Array.isArray(message.tool_calls)) {
    // Each call comes whole, its input an object: a new call each time.
    for (const call of message.tool_calls as unknown[]) {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
      answer.toolCalls.add(answer.toolCalls.size, {id: isRecord(call) ? call.id : undefined, name: fn.name, input: fn.arguments});
    }
  }
  answer.add(typeof content === 'string' ? content : '', typeof message.thinking === 'string' ? message.thinking : '');
  answer.count({input_tokens: line.prompt_eval_count, output_tokens: line.eval_count});
  if (line.done !== true) return null;
  answer.finish(line.done_reason ?? 'stop');
  return 'end';
}
