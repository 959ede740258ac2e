import {chatError, isRecord, reportedError} from '../errors.js';
import {isDone, readJsonEvent, type ChatAnswerWriter, type ChatFormat, type ChatFormatStep} from '../format.js';
import type {ChatFieldPaths} from '../types.js';

/** A dot path into an event, and the value it must have when one is given (`event=message_end`). */
interface FieldPath {
  keys: string[];
  expected?: string;
}

/**
 * A format read from dot paths into each JSON event, for backends whose answer sits in a field
 * of their own (Dify's `answer`, ERNIE's `result`, `data.content`): the text (and reasoning) at
 * their paths is appended; a value at the error path is the stream's error, one at the done path
 * its end. Without a done path the end of the body is the answer's end. The request body is
 * `base`'s.
 *
 * @internal
 */
export function fieldFormat(paths: ChatFieldPaths, base: ChatFormat): ChatFormat {
  const text = parsePath(paths.textPath, 'textPath')!;
  const reasoning = parsePath(paths.reasoningPath, 'reasoningPath');
  const error = parsePath(paths.errorPath, 'errorPath');
  const done = parsePath(paths.donePath, 'donePath');
  const read = (data: Record<string, unknown>, answer: ChatAnswerWriter): ChatFormatStep => {
    if (error && matches(error, data)) return errorAt(error, data);
    const content = valueAt(text.keys, data);
    const thought = reasoning && valueAt(reasoning.keys, data);
    if (typeof content === 'string') answer.began = true;
    answer.add(typeof content === 'string' ? content : '', typeof thought === 'string' ? thought : '');
    return done && matches(done, data) ? 'end' : null;
  };
  return {
    name: 'fields',
    plainBody: 'json',
    endsWithBody: !done,
    read: (event, answer) => (isDone(event) ? 'end' : readJsonEvent(event, answer, read)),
    ...(base.buildBody ? {buildBody: base.buildBody} : {}),
  };
}

/** Whether any of the paths is set: they then say how the answer is read. @internal */
export function hasFieldPaths(paths: ChatFieldPaths): boolean {
  return [paths.textPath, paths.reasoningPath, paths.errorPath, paths.donePath].some((path) => path !== undefined && path !== '');
}

function parsePath(path: string | undefined, option: string): FieldPath | undefined {
  if (path === undefined || path === '') {
    if (option === 'textPath') throw new TypeError('chat-stream: `textPath` is required with the other paths: where each event carries the text, e.g. "answer"');
    return undefined;
  }
  const [where = '', ...rest] = typeof path === 'string' ? path.split('=') : [];
  const keys = where.split('.');
  if (typeof path !== 'string' || keys.some((key) => key.trim() === '') || (option !== 'errorPath' && option !== 'donePath' && rest.length > 0)) {
    throw new TypeError(`chat-stream: \`${option}\` must be a dot path such as "data.content"${option === 'errorPath' || option === 'donePath' ? ' or "event=message_end"' : ''} (got ${JSON.stringify(path)})`);
  }
  return rest.length > 0 ? {keys, expected: rest.join('=')} : {keys};
}

function valueAt(keys: readonly string[], data: unknown): unknown {
  let value = data;
  for (const key of keys) {
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isRecord(value)) value = value[key];
    else return undefined;
  }
  return value;
}

/** Whether the path holds its expected value, or (without one) any value but `null`, `false`, `0` and `''`. */
function matches({keys, expected}: FieldPath, data: Record<string, unknown>): boolean {
  const value = valueAt(keys, data);
  return expected === undefined ? Boolean(value) : String(value) === expected;
}

/** The error an event reports: the whole event when the path names its kind (`event=error`), else the value there. */
function errorAt(path: FieldPath, data: Record<string, unknown>): ChatFormatStep {
  const value = path.expected === undefined ? valueAt(path.keys, data) : data;
  if (typeof value === 'string') return chatError('stream', 'stream_error', value);
  return reportedError('stream', value, `The stream reported an error: ${JSON.stringify(value)}`);
}
