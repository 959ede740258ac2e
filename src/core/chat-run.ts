import {unlessAborted} from './clock.js';
import {chatError, describeFailure} from './errors.js';
import {halted, newMessage, requestBody} from './messages.js';
import {NO_TIMING} from './network-timing.js';
import {NETWORK_DEFAULTS} from './request.js';
import type {ChatRequestDetail, ChatRetryDetail, ChatSessionMessage, ChatSessionOptions, ChatSessionToolCall, ChatToolState, ChatUpdateDetail} from './session-types.js';
import {streamChat} from './stream-chat.js';
import type {ChatError, ChatFieldPaths, ChatNetworkOptions, ChatResult, ChatStatus, ChatToolCall} from './types.js';

/** What a {@link ChatRun} tells its session. @internal */
export interface RunHost {
  /** Whether the run is still the one in flight (a stop or a new send ends it). */
  current(): boolean;
  /** Fires `request`; returns `false` when a listener cancelled it. */
  request(detail: ChatRequestDetail): boolean;
  /** The answer changed (`update`). */
  update(detail: ChatUpdateDetail): void;
  /** A wait to send again began (`retry`). */
  retry(detail: ChatRetryDetail): void;
}

/**
 * One request of a conversation: its question, the answer it fills (changed in place as the
 * text arrives), the conversation before and after it, and how to abort it.
 *
 * @internal
 */
export class ChatRun {
  readonly controller = new AbortController();
  readonly answer = newMessage('assistant', '', 'streaming');
  readonly question: ChatSessionMessage;
  /** The conversation as the request leaves it: `before` is restored only while this is unchanged. */
  readonly after: readonly ChatSessionMessage[];
  /** Set while `request` listeners decide: a stop then undoes the request, as a cancel does. */
  deciding = false;

  /**
   * @param before - The conversation before the request changed it: what a refused request goes back to.
   * @param history - The conversation the request sends, ending with its question.
   */
  constructor(
    readonly before: readonly ChatSessionMessage[],
    readonly history: ChatSessionMessage[],
  ) {
    this.question = history.at(-1)!;
    this.after = [...history, this.answer];
  }

  /** Whether the question is new to the conversation (a send, an edit), rather than asked again. */
  get asksAnew(): boolean {
    return !this.before.includes(this.question);
  }

  /** The answer's final entry, as `result` leaves it. */
  ended({status, text, reasoning, reasoningMs, error, finishReason, toolCalls}: ChatResult): ChatSessionMessage {
    const ended: ChatSessionMessage = {...this.answer, content: text, status: status === 'done' ? 'done' : status === 'error' ? 'error' : 'stopped'};
    if (reasoning) ended.reasoning = reasoning;
    else delete ended.reasoning;
    if (reasoningMs !== null) ended.reasoningMs = reasoningMs;
    else delete ended.reasoningMs;
    if (finishReason) ended.finishReason = finishReason;
    if (error) ended.error = error;
    if (toolCalls.length > 0) ended.toolCalls = toolCalls.map((call) => shown(call, 'asked'));
    return ended;
  }

  /** The answer as a stop leaves it: `stopped`, its server calls still running too. */
  stopped(): ChatSessionMessage {
    const {toolCalls} = this.answer;
    return {...this.answer, status: 'stopped', ...(toolCalls ? {toolCalls: toolCalls.map(halted)} : {})};
  }

  /**
   * Gets the token, fires `request` and streams the answer. Resolves with what happened, or
   * with `'cancelled'` when a `request` listener cancelled; rejects only for a programming
   * error from `streamChat`.
   */
  async stream(options: ChatSessionOptions, headers: Record<string, string>, extras: Record<string, unknown>, host: RunHost): Promise<ChatResult | 'cancelled'> {
    let token = options.token;
    if (options.getToken) {
      try {
        token = await unlessAborted(options.getToken(), this.controller.signal);
      } catch (error) {
        return host.current() ? outcome('error', chatError('network', 'token_failed', `getToken() failed: ${describeFailure(error)}`)) : outcome('aborted');
      }
    }
    // A listener of `change` or `stop` may have stopped it already.
    if (!host.current()) return outcome('aborted');
    if (options.requireToken !== false && (typeof token !== 'string' || token.trim() === '')) return outcome('login-required');
    const detail: ChatRequestDetail = {body: requestBody(options, extras, this.history, this.asksAnew ? 'submit-message' : 'regenerate-message'), headers, retries: options.retries ?? NETWORK_DEFAULTS.retries};
    this.deciding = true;
    const sent = host.request(detail);
    this.deciding = false;
    if (!sent) return 'cancelled';
    if (!host.current()) return outcome('aborted');
    return streamChat({
      url: options.url!,
      body: detail.body,
      headers: detail.headers,
      token: token ?? null,
      ...(options.getToken ? {getToken: options.getToken} : {}),
      ...networkOptions(options, detail.retries),
      onRetry: (retry) => host.current() && host.retry({messageId: this.answer.id, ...retry}),
      tokenHeader: options.tokenHeader ?? 'Authorization',
      requireToken: options.requireToken ?? true,
      ...(options.fetch ? {fetch: options.fetch} : {}),
      ...(options.format ? {format: options.format} : {}),
      ...(options.thinkTags !== undefined ? {thinkTags: options.thinkTags} : {}),
      ...fieldPaths(options),
      signal: this.controller.signal,
      onUpdate: ({text, delta, reasoning, reasoningMs, replaced, toolCalls}) => {
        if (!host.current()) return;
        // The answer changes in place: a new array per token would cost O(messages) each.
        this.answer.content = text;
        if (reasoning) this.answer.reasoning = reasoning;
        else delete this.answer.reasoning;
        const detail: ChatUpdateDetail = {messageId: this.answer.id, text, delta, reasoning, replaced};
        if (reasoningMs !== undefined) detail.reasoningMs = this.answer.reasoningMs = reasoningMs;
        if (toolCalls) detail.toolCalls = this.answer.toolCalls = toolCalls.map((call) => shown(call, 'running'));
        host.update(detail);
      },
    });
  }
}

/** A call as the session shows it: a server call by its outcome (`pending` while it has none), one of the page's `asked` until it runs. */
function shown(call: ChatToolCall, pending: ChatToolState): ChatSessionToolCall {
  const state = !call.server ? 'asked' : call.error !== undefined ? 'failed' : call.result !== undefined ? 'done' : pending;
  return {...call, state};
}

/** The network options among `options`, those set, with the retries the `request` event left. */
function networkOptions({firstByteTimeout, idleTimeout, resumeAttempts, timers}: ChatSessionOptions, retries: number): ChatNetworkOptions {
  return Object.fromEntries(Object.entries({retries, firstByteTimeout, idleTimeout, resumeAttempts, timers}).filter(([, value]) => value !== undefined));
}

/** The field paths among `options`, those set. */
function fieldPaths({textPath, reasoningPath, errorPath, donePath}: ChatFieldPaths): ChatFieldPaths {
  return Object.fromEntries(Object.entries({textPath, reasoningPath, errorPath, donePath}).filter(([, path]) => path !== undefined));
}

/** A result with no answer. @internal */
export function outcome(status: ChatStatus, error: ChatError | null = null): ChatResult {
  return {status, text: '', reasoning: '', reasoningMs: null, finishReason: null, id: null, sensitive: null, error, toolCalls: [], usage: null, format: 'auto', timing: {...NO_TIMING}, buffered: false};
}
