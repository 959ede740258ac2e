import {isRecord, parseJson} from './errors.js';
import type {ChatToolCallPart} from './format.js';
import type {ChatToolCall, ChatUsage} from './types.js';

/** A call as it streams: its arguments' pieces kept apart until they are read whole. */
interface StreamingCall {
  id: string;
  name: string;
  arguments: string[];
  input: unknown;
  server?: true;
  result?: unknown;
  error?: string;
}

/**
 * The tool calls of one answer as they stream: each call's id and name arrive once, its
 * arguments as JSON text in pieces, by the call's index (or id); a server call's outcome last.
 *
 * @internal
 */
export class ToolCalls {
  readonly #calls = new Map<unknown, StreamingCall>();

  /** @param onServerCall - Called when a server call began, got its name or whole input, or ended (not per piece of its arguments). */
  constructor(readonly onServerCall?: () => void) {}

  get size(): number {
    return this.#calls.size;
  }

  /** Adds to the call at `key`: its id, name or whole input when given, a piece of its arguments, and a server call's outcome. */
  add(key: unknown, {id, name, argumentsDelta, input, server, result, error}: ChatToolCallPart): void {
    let call = this.#calls.get(key);
    if (!call) this.#calls.set(key, (call = {id: '', name: '', arguments: [], input: undefined}));
    if (typeof id === 'string' && id !== '') call.id = id;
    if (typeof name === 'string' && name !== '') call.name = name;
    if (typeof argumentsDelta === 'string') call.arguments.push(argumentsDelta);
    if (input !== undefined) call.input = input;
    if (server === true) call.server = true;
    if (result !== undefined) call.result = result;
    if (typeof error === 'string' && error !== '') call.error = error;
    if (call.server && [id, name, input, server, result, error].some((given) => given !== undefined)) this.onServerCall?.();
  }

  /**
   * The calls, each with its arguments whole and parsed: the text as it came when it is JSON,
   * else the whole input a format gave, else the text with `input` `undefined`.
   */
  list(): ChatToolCall[] {
    return [...this.#calls.values()].map(({arguments: pieces, input, ...call}) => {
      const text = pieces.join('');
      const parsed = text.trim() === '' ? undefined : parseJson(text);
      if (parsed !== undefined || input === undefined) return {...call, arguments: text, input: text.trim() === '' ? {} : parsed};
      return {...call, arguments: JSON.stringify(input), input};
    });
  }
}

/**
 * The token usage an event reports (`prompt_tokens`/`completion_tokens`, or
 * `input_tokens`/`output_tokens`), over what was known: a count it leaves out (Anthropic's
 * `message_delta` gives only the output) keeps its earlier value. `known` when it reports none.
 *
 * @internal
 */
export function usageOf(usage: unknown, known: ChatUsage | null): ChatUsage | null {
  if (!isRecord(usage)) return known;
  const inputTokens = usage.prompt_tokens ?? usage.input_tokens ?? usage.inputTokens;
  const outputTokens = usage.completion_tokens ?? usage.output_tokens ?? usage.outputTokens;
  if (typeof inputTokens !== 'number' && typeof outputTokens !== 'number') return known;
  return {
    inputTokens: typeof inputTokens === 'number' ? inputTokens : (known?.inputTokens ?? 0),
    outputTokens: typeof outputTokens === 'number' ? outputTokens : (known?.outputTokens ?? 0),
  };
}
