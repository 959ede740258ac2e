import {unlessAborted} from './clock.js';
import {describeFailure} from './errors.js';
import type {ChatSessionToolCall, ChatTool, ChatToolCallDetail} from './session-types.js';
import type {ChatToolCall} from './types.js';

/** What a {@link ToolRun} tells its session. @internal */
export interface ToolHost {
  /** Fires `tool-call`; returns `false` when a listener called `preventDefault()` (it will respond). */
  call(detail: ChatToolCallDetail): boolean;
  /** The calls changed (a state, a result). */
  changed(calls: ChatSessionToolCall[]): void;
}

/**
 * Runs the tool calls of one answer, in parallel, each through the page's `tool-call` listener
 * or its tool's `run`, after the reader's approval where the tool asks for it; resolves with
 * every call settled. `stop()` aborts the tools still running (their `signal`).
 *
 * @internal
 */
export class ToolRun {
  readonly controller = new AbortController();
  #calls: ChatSessionToolCall[];
  readonly #approvals = new Map<string, (approved: boolean) => void>();

  constructor(
    readonly messageId: string,
    calls: readonly ChatToolCall[],
    readonly tools: Record<string, ChatTool>,
    readonly host: ToolHost,
  ) {
    this.#calls = calls.map((call) => ({...call, state: 'running'}));
  }

  get calls(): ChatSessionToolCall[] {
    return this.#calls;
  }

  /** Runs every call; resolves with the calls as they ended. */
  async run(): Promise<ChatSessionToolCall[]> {
    this.host.changed(this.#calls);
    await Promise.all(this.#calls.map((call, index) => this.#run(call, index)));
    return this.#calls;
  }

  /** The reader's answer to a call waiting for approval; returns whether one was waiting. */
  approve(callId: string, approved: boolean): boolean {
    const decide = this.#approvals.get(callId);
    decide?.(approved);
    return decide !== undefined;
  }

  /** Stops the calls still running or waiting: they end `stopped`. */
  stop(): void {
    this.controller.abort();
  }

  async #run(call: ChatSessionToolCall, index: number): Promise<void> {
    const {signal} = this.controller;
    const end = (patch: Partial<ChatSessionToolCall>) => this.#update(index, patch);
    let respond!: (result: unknown) => void;
    const responded = new Promise<unknown>((resolve) => (respond = resolve));
    let answered = false;
    const detail: ChatToolCallDetail = {messageId: this.messageId, id: call.id, name: call.name, input: call.input, respond: (result) => ((answered = true), respond(result))};
    const handled = !this.host.call(detail);
    const tool = Object.hasOwn(this.tools, call.name) ? this.tools[call.name] : undefined;
    if (!answered && !handled) {
      if (!tool?.run) return end({state: 'failed', error: `There is no tool "${call.name}" here`});
      if (call.input === undefined) return end({state: 'failed', error: `The arguments are no valid JSON: ${call.arguments.slice(0, 80)}`});
      if (await this.#denied(call, index, tool)) return end(signal.aborted ? {state: 'stopped'} : {state: 'denied'});
    }
    if (signal.aborted) return end({state: 'stopped'});
    let result: unknown;
    try {
      result = await unlessAborted(answered || handled ? responded : tool!.run!(call.input, {signal}), signal);
    } catch (error) {
      return end(signal.aborted ? {state: 'stopped'} : {state: 'failed', error: describeFailure(error)});
    }
    end(signal.aborted ? {state: 'stopped'} : {state: 'done', result});
  }

  /** Whether the reader denied a call whose tool asks for approval (or the run stopped meanwhile). */
  async #denied(call: ChatSessionToolCall, index: number, tool: ChatTool): Promise<boolean> {
    const {confirm} = tool;
    if (!(typeof confirm === 'function' ? confirm(call.input) : confirm)) return false;
    // Ready for the reader's answer before the reader can see the question.
    const decided = new Promise<boolean>((resolve) => this.#approvals.set(call.id, resolve));
    this.#update(index, {state: 'approval'});
    const approved = await unlessAborted(decided, this.controller.signal).catch(() => false);
    this.#approvals.delete(call.id);
    if (!approved) return true;
    this.#update(index, {state: 'running'});
    return false;
  }

  #update(index: number, patch: Partial<ChatSessionToolCall>): void {
    this.#calls = this.#calls.with(index, {...this.#calls[index]!, ...patch});
    this.host.changed(this.#calls);
  }
}

/** What the model reads of a call's end: its result as text, and whether it tells of a failure. @internal */
export function toolResult({state, result, error}: ChatSessionToolCall): {result: string; isError: boolean} {
  if (state === 'done') return {result: typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null'), isError: false};
  const why = state === 'denied' ? 'The user denied this call' : state === 'stopped' ? 'The call was stopped before it ended' : `The call failed: ${error ?? 'no tool ran it'}`;
  return {result: why, isError: true};
}
