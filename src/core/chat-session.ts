import {ConversationStore} from './conversation-store.js';
import {chatError, describeFailure} from './errors.js';
import {conversation, newMessage, plainRecord, requestBody, toMessages} from './messages.js';
import {streamChat} from './stream-chat.js';
import type {
  ChatFeedback,
  ChatMessage,
  ChatSessionEventMap,
  ChatSessionMessage,
  ChatSessionOptions,
  ChatSessionStatus,
  ChatStorage,
  ChatStorageOption,
} from './session-types.js';
import type {ChatError, ChatResult, ChatStatus, ChatUpdate} from './types.js';
import {webStorage} from './web-storage.js';

/** One request in flight: the answer it fills and how to abort it. */
interface Run {
  readonly controller: AbortController;
  readonly question: ChatSessionMessage;
  answer: ChatSessionMessage;
}

/**
 * A conversation and its requests, without a view: what `<chat-stream>` renders, and what a
 * React, Vue or Svelte view (or a Node script) drives alone. It runs in browsers and in Node 20.
 *
 * One request runs at a time: a new one stops the answer in flight first, and nothing of a
 * stopped request reaches the conversation. Every answer keeps its text, also when it fails or
 * is stopped. With `storage`, the conversation is saved after each question and each answer
 * that ends (never per token), and an answer streaming when the page is hidden is saved as
 * stopped with its text so far.
 *
 * @example
 * ```ts
 * const session = new ChatSession({url: '/api/chat', getToken, storage: 'local', id: 'support'});
 * session.addEventListener('change', () => render(session.messages));
 * session.addEventListener('update', ({detail}) => appendToAnswer(detail.messageId, detail.delta));
 * await session.send('Hello');
 * ```
 */
export class ChatSession extends EventTarget {
  #options: ChatSessionOptions;
  #messages: readonly ChatSessionMessage[] = [];
  #status: ChatSessionStatus = 'idle';
  #run: Run | null = null;
  /** Counts sends and aborts: a send still fetching its token is stale once this moved on. */
  #ticket = 0;
  #reading = 0;
  readonly #store: ConversationStore;

  /** @param options - The requests' options, and where the conversation is kept; see {@link ChatSessionOptions}. */
  constructor(options: ChatSessionOptions = {}) {
    super();
    const {messages, ...rest} = options;
    this.#options = {id: 'default', storage: 'none', ...rest};
    if (messages) this.#messages = toMessages(messages);
    const session = this;
    let constructing = true;
    this.#store = new ConversationStore({
      get messages() {
        return session.#messages;
      },
      get liveId() {
        return session.#run?.answer.id ?? null;
      },
      adopt: (merged) => this.#set(merged, this.#settledStatus(merged)),
      // An error while the constructor reads storage waits for the listeners the page adds next.
      fail: (error) => (constructing ? queueMicrotask(() => this.#emit('error', error)) : this.#emit('error', error)),
    });
    void this.#attach();
    constructing = false;
  }

  /** The options as set: change them with {@link ChatSession.configure}. */
  get options(): Readonly<ChatSessionOptions> {
    return this.#options;
  }

  /** The conversation's key in storage. */
  get id(): string {
    return this.#options.id!;
  }

  /**
   * The conversation. A new array with new entries after every change (`change`), except that
   * the answer streaming is updated in place as its text arrives (`update`).
   */
  get messages(): readonly ChatSessionMessage[] {
    return this.#messages;
  }

  /**
   * Replaces the conversation (and saves it), aborting any answer in flight without events.
   * Plain `{role, content}` entries get an id, `done` and a creation time. Throws a `TypeError`
   * that names a bad entry.
   */
  set messages(messages: readonly (ChatMessage | ChatSessionMessage)[]) {
    const checked = toMessages(messages);
    this.#abort();
    this.#commit(checked, this.#settledStatus(checked));
  }

  /** What the session is doing. */
  get status(): ChatSessionStatus {
    return this.#status;
  }

  /** Whether a request is in flight. */
  get streaming(): boolean {
    return this.#run !== null;
  }

  /**
   * Changes options. A new `id` or `storage` reads that stored conversation and merges it
   * with the one in memory (to switch conversations, use {@link ChatSession.load}); the promise
   * resolves once it is read. A token ends `login-required`.
   */
  configure(options: Omit<ChatSessionOptions, 'messages'>): Promise<void> {
    if (options.storage !== undefined) storageFor(options.storage);
    const rereads = (options.id !== undefined && options.id !== this.id) || (options.storage !== undefined && options.storage !== this.#options.storage);
    Object.assign(this.#options, options);
    if ((options.token || options.getToken) && this.#status === 'login-required') this.#set(this.#messages, 'idle');
    return rereads ? this.#attach() : Promise.resolve();
  }

  /**
   * Sends `text` as the next user message with the conversation, and resolves with what
   * happened (never rejects for server or network failures). An answer still streaming is
   * stopped first. Rejects with a `TypeError` for an empty text, no `url`, or `headers` or
   * `body` that are not plain objects.
   */
  async send(text: string): Promise<ChatResult> {
    checkText(text, 'send(text)');
    this.stop();
    return this.#ask([...this.#messages, newMessage('user', text, 'done')]);
  }

  /** Stops the answer in flight, if any: its text so far stays, as `stopped`, and `stop` fires. */
  stop(): void {
    const run = this.#abort();
    if (run) this.#emit('stop', {messageId: run.answer.id, text: run.answer.content});
  }

  /** Asks again after a failed answer, which the new one replaces. Rejects with a `TypeError` when the last answer did not fail. */
  async retry(): Promise<ChatResult> {
    if (this.#messages.at(-1)?.status !== 'error') throw new TypeError('chat-stream: retry() needs a last answer that failed');
    return this.regenerate();
  }

  /** Asks the last question again; its answer (and anything after it) is replaced. Rejects with a `TypeError` when there is no question. */
  async regenerate(): Promise<ChatResult> {
    this.stop();
    const question = this.#messages.findLastIndex((message) => message.role === 'user');
    if (question < 0) throw new TypeError('chat-stream: regenerate() needs a question to answer');
    return this.#ask(this.#messages.slice(0, question + 1));
  }

  /** Changes the user message `messageId` to `text`, removes the messages after it, and sends it. */
  async edit(messageId: string, text: string): Promise<ChatResult> {
    checkText(text, 'edit(messageId, text)');
    this.stop();
    const index = this.#indexOf(messageId, 'edit', 'user');
    return this.#ask([...this.#messages.slice(0, index), {...this.#messages[index]!, content: text}]);
  }

  /** Rates the answer `messageId` (`null` takes the rating back); fires `feedback` and saves it with the message. */
  setFeedback(messageId: string, value: ChatFeedback | null): void {
    if (value !== 'up' && value !== 'down' && value !== null) {
      throw new TypeError(`chat-stream: setFeedback() takes 'up', 'down' or null (got ${JSON.stringify(value)})`);
    }
    const index = this.#indexOf(messageId, 'setFeedback', 'assistant');
    const message: ChatSessionMessage = {...this.#messages[index]!, feedback: value!};
    if (!value) delete message.feedback;
    this.#commit(this.#messages.with(index, message));
    this.#emit('feedback', {messageId, value, message});
  }

  /** Empties the conversation (and its stored copy), aborting any answer in flight without events. */
  clear(): void {
    this.#abort();
    this.#commit([], 'idle');
  }

  /**
   * Switches to the conversation `id`: aborts the answer in flight without events (it is saved
   * as stopped in the conversation it belongs to), then reads the other conversation from
   * storage. The promise resolves once it is read.
   */
  load(id: string): Promise<void> {
    if (typeof id !== 'string' || id === '') throw new TypeError(`chat-stream: load(id) needs a non-empty string (got ${JSON.stringify(id)})`);
    this.#abort();
    this.#options.id = id;
    this.#set([], 'idle');
    return this.#attach();
  }

  async #ask(history: ChatSessionMessage[]): Promise<ChatResult> {
    const options = this.#options;
    if (!options.url) throw new TypeError('chat-stream: set `url` before sending');
    const headers = plainRecord(options.headers, 'headers');
    const extras = plainRecord(options.body, 'body');
    const question = history.at(-1)!;
    const ticket = ++this.#ticket;
    let token = options.token;
    if (options.getToken) {
      try {
        token = await options.getToken();
      } catch (error) {
        if (ticket !== this.#ticket) return outcome('aborted');
        const failure = chatError('network', 'token_failed', `getToken() failed: ${describeFailure(error)}`);
        this.#emit('error', {...failure, text: ''});
        return outcome('error', failure);
      }
      if (ticket !== this.#ticket) return outcome('aborted');
    }
    if (options.requireToken !== false && (typeof token !== 'string' || token.trim() === '')) {
      // Nothing is sent: the question leaves the conversation, to be asked again after signing in.
      this.#commit(history.slice(0, -1), 'login-required');
      this.#emit('login-required', {reason: 'missing-token', text: question.content});
      return outcome('login-required');
    }
    const detail = {body: requestBody(options, extras, history), headers};
    if (!this.#emit('request', detail, true)) return outcome('aborted');
    const run: Run = {controller: new AbortController(), question, answer: newMessage('assistant', '', 'streaming')};
    this.#run = run;
    this.#commit([...history, run.answer], 'waiting');
    watchPage(this.#onPageHidden, true);
    let result: ChatResult;
    try {
      result = await streamChat({
        url: options.url,
        body: detail.body,
        headers: detail.headers,
        token,
        tokenHeader: options.tokenHeader ?? 'Authorization',
        requireToken: options.requireToken ?? true,
        ...(options.fetch ? {fetch: options.fetch} : {}),
        signal: run.controller.signal,
        onUpdate: (update) => this.#onUpdate(run, update),
      });
    } catch (error) {
      // A programming error (say, a body JSON cannot serialise): shown as the answer's failure, then rethrown.
      result = outcome('error', chatError('business', 'invalid_request', (error as Error).message));
      if (this.#run === run) this.#finish(run, result);
      throw error;
    }
    if (this.#run === run) this.#finish(run, result);
    return result;
  }

  #onUpdate(run: Run, {text, delta, reasoning, replaced}: ChatUpdate): void {
    if (this.#run !== run) return;
    // The streaming answer changes in place: a new array per token would cost O(messages) each.
    run.answer.content = text;
    if (reasoning) run.answer.reasoning = reasoning;
    this.#emit('update', {messageId: run.answer.id, text, delta, reasoning, replaced});
    // Reasoning alone keeps `waiting`: the answer starts with its first text. After `update`, so
    // that a view appending deltas to what it drew at the last `change` never shows one twice.
    if (this.#status === 'waiting' && text !== '') this.#set(this.#messages, 'streaming');
  }

  #finish(run: Run, result: ChatResult): void {
    this.#end();
    const {answer, question} = run;
    const messageId = answer.id;
    const {status, text, error, finishReason, id, sensitive} = result;
    if (status === 'login-required') {
      this.#commit(this.#messages.filter((message) => message !== question && message !== answer), 'login-required');
      this.#emit('login-required', {reason: error ? 'unauthorized' : 'missing-token', text: question.content});
      return;
    }
    const ended: ChatSessionMessage = {...answer, content: text, status: status === 'done' ? 'done' : status === 'error' ? 'error' : 'stopped'};
    if (finishReason) ended.finishReason = finishReason;
    if (error) ended.error = error;
    this.#replace(answer, ended, error ? 'error' : 'idle');
    if (error) this.#emit('error', {messageId, ...error, text});
    else if (status === 'done') this.#emit('done', {messageId, text, finishReason, id, messages: conversation(this.#messages), sensitive});
  }

  /** Aborts the run in flight, keeping its answer as stopped; fires nothing. Returns the run. */
  #abort(): Run | null {
    this.#ticket++;
    const run = this.#run;
    if (!run) return null;
    this.#end();
    run.controller.abort();
    this.#replace(run.answer, {...run.answer, status: 'stopped'}, 'idle');
    return run;
  }

  #end(): void {
    this.#run = null;
    watchPage(this.#onPageHidden, false);
  }

  #replace(old: ChatSessionMessage, message: ChatSessionMessage, status: ChatSessionStatus): void {
    const index = this.#messages.indexOf(old);
    this.#commit(index < 0 ? this.#messages : this.#messages.with(index, message), status);
  }

  /**
   * A page that is hidden may never come back: the answer so far is saved, as stopped. A page
   * that is left stops it (silently), before the browser's teardown could fail it.
   */
  readonly #onPageHidden = (event: Event): void => {
    if (event.type === 'pagehide') this.#abort();
    else if (page.document?.visibilityState === 'hidden') this.#store.save();
  };

  #attach(): Promise<void> {
    const reading = this.#store.attach(storageFor(this.#options.storage), this.id);
    if (!reading) return Promise.resolve();
    const ticket = ++this.#reading;
    this.#set(this.#messages, 'loading');
    return reading.then(() => {
      if (ticket === this.#reading && this.#status === 'loading') this.#set(this.#messages, this.#settledStatus(this.#messages));
    });
  }

  /** The status of a conversation with nothing in flight. */
  #settledStatus(messages: readonly ChatSessionMessage[]): ChatSessionStatus {
    if (this.#run || this.#status === 'login-required') return this.#status;
    return messages.at(-1)?.status === 'error' ? 'error' : 'idle';
  }

  #indexOf(messageId: string, method: string, role: string): number {
    const index = this.#messages.findIndex((message) => message.id === messageId);
    if (index < 0 || this.#messages[index]!.role !== role) {
      throw new TypeError(`chat-stream: ${method}() needs the id of a ${role} message (got ${JSON.stringify(messageId)})`);
    }
    return index;
  }

  /** Changes the state and saves it. */
  #commit(messages: readonly ChatSessionMessage[], status = this.#status): void {
    this.#set(messages, status);
    this.#store.save();
  }

  #set(messages: readonly ChatSessionMessage[], status: ChatSessionStatus): void {
    this.#messages = messages;
    this.#status = status;
    this.dispatchEvent(new Event('change'));
  }

  #emit<K extends Exclude<keyof ChatSessionEventMap, 'change'>>(type: K, detail: ChatSessionEventMap[K]['detail'], cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, {detail, cancelable}));
  }
}

/** The session's events, typed for `addEventListener`. */
export interface ChatSession {
  addEventListener<K extends keyof ChatSessionEventMap>(
    type: K,
    listener: (this: ChatSession, event: ChatSessionEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ChatSessionEventMap>(
    type: K,
    listener: (this: ChatSession, event: ChatSessionEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

function checkText(text: unknown, call: string): void {
  if (typeof text !== 'string' || text.trim() === '') throw new TypeError(`chat-stream: ${call} needs a non-empty string`);
}

function outcome(status: ChatStatus, error: ChatError | null = null): ChatResult {
  return {status, text: '', reasoning: '', finishReason: null, id: null, sensitive: null, error};
}

function storageFor(option: ChatStorageOption | undefined): ChatStorage | null {
  if (option === undefined || option === 'none') return null;
  if (option === 'local' || option === 'session') return webStorage(option);
  if (typeof option?.load !== 'function' || typeof option.save !== 'function') {
    throw new TypeError("chat-stream: `storage` must be 'local', 'session', 'none' or an object with load(id) and save(id, messages)");
  }
  return option;
}

type PageTarget = {addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener']; visibilityState?: string};
const page = globalThis as PageTarget & {document?: PageTarget};

/** Listens (or stops) for the page being hidden or left, where there is a page. */
function watchPage(listener: (event: Event) => void, on: boolean): void {
  for (const [target, type] of [[page, 'pagehide'], [page.document, 'visibilitychange']] as const) {
    (on ? target?.addEventListener : target?.removeEventListener)?.call(target, type, listener);
  }
}
