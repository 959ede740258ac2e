import {ChatRun, outcome} from './chat-run.js';
import {ToolRun} from './tool-run.js';
import {ConversationStore, type LiveAnswer} from './conversation-store.js';
import {chatError} from './errors.js';
import {checkStoredAttachmentSize, DEFAULT_MAX_STORED_ATTACHMENT_SIZE, sendAttachments} from './message-attachments.js';
import {conversation, halted, newMessage, plainRecord, requestFormat, toMessages} from './messages.js';
import {pageHidden, watchPage} from './page-lifecycle.js';
import type {
  ChatAttachment,
  ChatFeedback,
  ChatSessionToolCall,
  ChatMessage,
  ChatSessionEventMap,
  ChatSessionMessage,
  ChatSessionOptions,
  ChatSendOptions,
  ChatSessionStatus,
  ChatStorageOption,
  ChatUpdateDetail,
} from './session-types.js';
import type {ChatResult, ChatToolCall} from './types.js';
import {UpdateListeners} from './update-listeners.js';
import {storageFor} from './web-storage.js';

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
  readonly #options: ChatSessionOptions;
  #messages: readonly ChatSessionMessage[] = [];
  #status: ChatSessionStatus = 'idle';
  #run: ChatRun | null = null;
  /** The tool calls running between two answers of one question. */
  #tools: ToolRun | null = null;
  #reading = 0;
  /** Messages given while no storage was in use: a start, used only when nothing is stored. */
  #seed: ReadonlySet<ChatSessionMessage> | undefined;
  readonly #store: ConversationStore;
  readonly #updates = new UpdateListeners();

  /**
   * @param options - The requests' options, and where the conversation is kept; see
   * {@link ChatSessionOptions}. Throws a `TypeError` for a bad `storage`, `id`,
   * `maxStoredAttachmentSize` or `messages`.
   */
  constructor(options: ChatSessionOptions = {}) {
    super();
    const {messages, ...rest} = options;
    this.#options = {id: 'default', storage: 'none', ...rest};
    checkId(this.#options.id);
    storageFor(this.#options.storage);
    checkStoredAttachmentSize(this.#options.maxStoredAttachmentSize);
    if (messages) this.#seed = new Set((this.#messages = toMessages(messages)));
    let constructing = true;
    this.#store = new ConversationStore({
      messages: () => this.#messages,
      live: (): LiveAnswer | null => this.#run && {answer: this.#run.answer.id, question: this.#run.question.id},
      maxAttachmentSize: () => this.#options.maxStoredAttachmentSize ?? DEFAULT_MAX_STORED_ATTACHMENT_SIZE,
      adopt: (merged) => this.#adopt(merged),
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
    this.#store.replaced();
    if (this.#options.storage === 'none') this.#seed = new Set(checked);
    this.#commit(checked, this.#settledStatus(checked));
  }

  /** What the session is doing. */
  get status(): ChatSessionStatus {
    return this.#status;
  }

  /** Whether a request is in flight (also while `getToken()` runs, and while tools run between answers). */
  get streaming(): boolean {
    return this.#run !== null || this.#tools !== null;
  }

  /**
   * Changes options. A new `id` or `storage` reads that stored conversation and merges it
   * with the one in memory (to switch conversations, use {@link ChatSession.load}); the promise
   * resolves once it is read. A token ends `login-required`.
   */
  async configure(options: Omit<ChatSessionOptions, 'messages'>): Promise<void> {
    if (options.id !== undefined) checkId(options.id);
    if (options.storage !== undefined) storageFor(options.storage);
    checkStoredAttachmentSize(options.maxStoredAttachmentSize);
    const rereads = (options.id !== undefined && options.id !== this.id) || (options.storage !== undefined && options.storage !== this.#options.storage);
    Object.assign(this.#options, options);
    if ((options.token || options.getToken) && this.#status === 'login-required') this.#set(this.#messages, 'idle');
    if (rereads) await this.#attach();
  }

  /**
   * Sends `text` as the next user message with the conversation, and resolves with what
   * happened (never rejects for server or network failures). An answer still streaming is
   * stopped first. With `attachments`, the files go with it and the text may be blank. Rejects
   * with a `TypeError` for an empty text (without attachments), a bad attachment, no `url`, or
   * `headers` or `body` that are not plain objects; nothing changes then.
   */
  async send(text: string, options?: ChatSendOptions): Promise<ChatResult> {
    const attachments = sendAttachments(options, 'send(text, options)');
    checkText(text, 'send(text)', attachments);
    return this.#ask(() => [...this.#messages, withAttachments(newMessage('user', text, 'done'), attachments)]);
  }

  /** Stops the answer in flight, if any (its text so far stays, as `stopped`, and `stop` fires), or the tools running between answers (they end `stopped`). */
  stop(): void {
    const run = this.#abort();
    if (run) this.#emit('stop', {messageId: run.answer.id, text: run.answer.content});
  }

  /**
   * The reader's answer to a tool call waiting for approval (its tool has `confirm`): it runs,
   * or is denied (the model is told so). Throws a `TypeError` when that call waits for none.
   */
  approveTool(messageId: string, callId: string, approved: boolean): void {
    if (this.#tools?.messageId !== messageId || !this.#tools.approve(callId, approved)) {
      throw new TypeError(`chat-stream: approveTool() needs a tool call waiting for approval (got ${JSON.stringify(messageId)}, ${JSON.stringify(callId)})`);
    }
  }

  /** Asks again after a failed answer, which the new one replaces. Rejects with a `TypeError` when the last answer did not fail. */
  async retry(): Promise<ChatResult> {
    if (this.#messages.at(-1)?.status !== 'error') throw new TypeError('chat-stream: retry() needs a last answer that failed');
    return this.regenerate();
  }

  /** Asks the last question again; its answer (and anything after it) is replaced. Rejects with a `TypeError` when there is no question. */
  async regenerate(): Promise<ChatResult> {
    return this.#ask(() => {
      const question = this.#messages.findLastIndex((message) => message.role === 'user');
      if (question < 0) throw new TypeError('chat-stream: regenerate() needs a question to answer');
      return this.#messages.slice(0, question + 1);
    });
  }

  /**
   * Changes the user message `messageId` to `text` (it keeps its id), removes the messages after
   * it, and sends it. It keeps its attachments, unless `options.attachments` replaces them.
   */
  async edit(messageId: string, text: string, options?: ChatSendOptions): Promise<ChatResult> {
    const given = sendAttachments(options, 'edit(messageId, text, options)');
    const attachments = given ?? this.#messages.find((message) => message.id === messageId)?.attachments;
    checkText(text, 'edit(messageId, text)', attachments);
    return this.#ask(() => {
      const index = indexOf(this.#messages, messageId, 'edit', 'user');
      return [...this.#messages.slice(0, index), withAttachments({...this.#messages[index]!, content: text}, attachments)];
    });
  }

  /** Rates the answer `messageId` once it has ended (`null` takes the rating back); fires `feedback` and saves it with the message. */
  setFeedback(messageId: string, value: ChatFeedback | null): void {
    if (value !== 'up' && value !== 'down' && value !== null) {
      throw new TypeError(`chat-stream: setFeedback() takes 'up', 'down' or null (got ${JSON.stringify(value)})`);
    }
    const index = indexOf(this.#messages, messageId, 'setFeedback', 'assistant');
    if (this.#run?.answer.id === messageId) throw new TypeError('chat-stream: setFeedback() needs an answer that has ended, not one still streaming');
    const message: ChatSessionMessage = {...this.#messages[index]!, feedback: value!};
    if (!value) delete message.feedback;
    this.#commit(this.#messages.with(index, message));
    this.#emit('feedback', {messageId, value, message});
  }

  /** Empties the conversation (and its stored copy), aborting any answer in flight without events. */
  clear(): void {
    this.#abort();
    this.#store.replaced();
    this.#commit([], 'idle');
  }

  /**
   * Switches to the conversation `id` (in `storage`, when given): aborts the answer in flight
   * without events (it is saved as stopped in the conversation it belongs to), then reads the
   * other conversation. The promise resolves once it is read.
   */
  async load(id: string, storage?: ChatStorageOption): Promise<void> {
    checkId(id);
    if (storage !== undefined) storageFor(storage);
    this.#abort();
    Object.assign(this.#options, {id}, storage === undefined ? {} : {storage});
    this.#set([], 'idle');
    await this.#attach();
  }

  /** Lets go of the page and of storage (its listeners), aborting any answer in flight without events; `configure({storage})` or `load(id)` takes it up again. */
  dispose(): void {
    this.#abort();
    this.#options.storage = 'none';
    this.#store.attach(null, this.id);
  }

  /**
   * Runs a request for the conversation `compose` gives (it ends with the question): checks
   * everything first, so that a bad call changes nothing; stops the answer in flight; shows the
   * question and a waiting answer; then gets the token, fires `request` and streams.
   */
  async #ask(compose: () => ChatSessionMessage[], step = 1): Promise<ChatResult> {
    const options = this.#options;
    if (!options.url) throw new TypeError('chat-stream: set `url` before sending');
    const headers = plainRecord(options.headers, 'headers');
    const extras = plainRecord(options.body, 'body');
    requestFormat(options);
    compose();
    this.stop();
    // A `stop` listener that sent meanwhile loses to this, the later call.
    this.#abort();
    const run = new ChatRun(this.#messages, compose());
    this.#run = run;
    watchPage(this.#onPageHidden, true);
    this.#commit(run.after, 'waiting');
    let result: ChatResult | 'cancelled';
    try {
      result = await run.stream(options, headers, extras, {
        current: () => this.#run === run,
        request: (detail) => {
          const sent = this.#emit('request', detail, true);
          // A cancelled request changes nothing, at once, before the next render.
          if (!sent && this.#run === run) this.#restore(run);
          return sent;
        },
        retry: (detail) => this.#emit('retry', detail),
        update: (detail) => {
          for (const view of this.#updates.views) view(detail);
          if (this.#updates.heard) this.#emit('update', detail);
          // Reasoning alone keeps `waiting`: the answer starts with its first text. After `update`,
          // so that a view appending deltas to what it drew at the last `change` never shows one twice.
          if (this.#run === run && this.#status === 'waiting' && detail.text !== '') this.#set(this.#messages, 'streaming');
        },
      });
    } catch (error) {
      // A programming error (say, a body JSON cannot serialise): shown as the answer's failure, then rethrown.
      this.#finish(run, outcome('error', chatError('business', 'invalid_request', (error as Error).message)));
      throw error;
    }
    if (result === 'cancelled') return outcome('aborted');
    const finished = this.#finish(run, result);
    const {tools} = options;
    // The server ran its own calls: only the page's run here.
    const calls = finished.toolCalls.filter((call) => !call.server);
    if (!tools || finished.status !== 'done' || calls.length === 0 || this.#run !== null) return finished;
    return this.#runTools(run.answer.id, finished, calls, tools, step);
  }

  /**
   * Runs the tool calls an answer ended with, then asks for the next answer with their results,
   * up to `maxSteps` answers per question; resolves with the last answer's result.
   */
  async #runTools(messageId: string, result: ChatResult, calls: ChatToolCall[], tools: NonNullable<ChatSessionOptions['tools']>, step: number): Promise<ChatResult> {
    if (step >= (this.#options.maxSteps ?? DEFAULT_MAX_STEPS)) {
      const limit = `The step limit (${this.#options.maxSteps ?? DEFAULT_MAX_STEPS} answers per question) was reached`;
      this.#setToolCalls(messageId, calls.map((call) => ({...call, state: 'failed', error: limit})));
      return result;
    }
    const run = new ToolRun(messageId, calls, tools, {
      call: (detail) => this.#emit('tool-call', detail, true),
      changed: (calls) => this.#tools === run && this.#setToolCalls(messageId, calls),
    });
    this.#tools = run;
    this.#set(this.#messages, 'waiting');
    const ran = await run.run();
    if (this.#tools !== run) return result;
    this.#tools = null;
    const index = this.#messages.findIndex((message) => message.id === messageId);
    if (index < 0 || ran.some((call) => call.state === 'stopped')) return result;
    return this.#ask(() => this.#messages.slice(0, index + 1), step + 1);
  }

  /** Sets the page's calls of an answer, in order; its server calls keep their places. */
  #setToolCalls(messageId: string, calls: ChatSessionToolCall[]): void {
    const index = this.#messages.findIndex((message) => message.id === messageId);
    if (index < 0) return;
    const message = this.#messages[index]!;
    const own = calls.values();
    const toolCalls = message.toolCalls?.map((call) => (call.server ? call : (own.next().value ?? call))) ?? calls;
    this.#commit(this.#messages.with(index, {...message, toolCalls}));
  }

  /** Stops the tools running between answers: their calls end `stopped`, and no answer follows. */
  #stopTools(): void {
    const tools = this.#tools;
    if (!tools) return;
    tools.stop();
    this.#tools = null;
    this.#setToolCalls(tools.messageId, tools.calls.map(halted));
    this.#set(this.#messages, this.#settledStatus(this.#messages));
  }

  /** Ends the run with `result` (unless it was stopped meanwhile), fires its event, and returns `result`. */
  #finish(run: ChatRun, result: ChatResult): ChatResult {
    if (this.#run !== run) return result;
    const messageId = run.answer.id;
    const {status, text, reasoning, reasoningMs, error, finishReason, id, sensitive, toolCalls, usage, timing, buffered} = result;
    if (status === 'login-required') {
      // The conversation goes back to how it was; a new text goes back to whoever typed it.
      this.#restore(run, 'login-required');
      const {content, attachments} = run.asksAnew ? run.question : {content: ''};
      this.#emit('login-required', {reason: error ? 'unauthorized' : 'missing-token', text: content, ...(attachments ? {attachments} : {})});
      return result;
    }
    this.#end(run.ended(result), error ? 'error' : 'idle');
    if (error) this.#emit('error', {messageId, ...error, text, timing, buffered});
    else if (status === 'done') this.#emit('done', {messageId, text, reasoning, reasoningMs, finishReason, id, messages: conversation(this.#messages), sensitive, toolCalls, usage, timing, buffered});
    return result;
  }

  /**
   * Aborts the run in flight, keeping its answer as stopped; fires nothing. Returns the run, or
   * `null` when there was none or it was undone (stopped while `request` listeners decided).
   */
  #abort(): ChatRun | null {
    this.#stopTools();
    const run = this.#release();
    if (!run) return null;
    run.controller.abort();
    if (run.deciding) {
      this.#restore(run);
      return null;
    }
    this.#end(run.stopped(), this.#settledStatus(this.#messages.filter((message) => message.id !== run.answer.id)));
    return run;
  }

  /** The run in flight is over: returns it. */
  #release(): ChatRun | null {
    const run = this.#run;
    this.#run = null;
    watchPage(this.#onPageHidden, false);
    return run;
  }

  /** Ends the run's answer as `answer`. */
  #end(answer: ChatSessionMessage, status: ChatSessionStatus): void {
    this.#release();
    const index = this.#messages.findLastIndex((message) => message.id === answer.id);
    this.#commit(index < 0 ? this.#messages : this.#messages.with(index, answer), status);
  }

  /** Ends a refused run: the conversation goes back to how it was before it (or, if it changed meanwhile, loses the run's answer and new question). */
  #restore(run: ChatRun, status?: ChatSessionStatus): void {
    this.#release();
    const {before, after, answer, question, asksAnew} = run;
    const restored = this.#messages === after ? before : this.#messages.filter((message) => message !== answer && (message !== question || !asksAnew));
    this.#commit(restored, status ?? this.#settledStatus(restored));
  }

  /** Takes the conversation merged with another page's; an answer streaming whose question was deleted there is aborted. */
  #adopt(merged: readonly ChatSessionMessage[]): void {
    if (this.#run && !merged.some((message) => message.id === this.#run!.answer.id)) this.#release()!.controller.abort();
    this.#set(merged, this.#settledStatus(merged));
  }

  /**
   * A page that is hidden may never come back: the answer so far is saved, as stopped. A page
   * that is left stops it (silently), before the browser's teardown could fail it.
   */
  readonly #onPageHidden = (event: Event): void => {
    if (event.type === 'pagehide') this.#abort();
    else if (pageHidden()) this.#store.save(true);
  };

  async #attach(): Promise<void> {
    const storage = storageFor(this.#options.storage);
    const reading = this.#store.attach(storage, this.id, storage ? this.#seed : undefined);
    if (storage) this.#seed = undefined;
    if (!reading) return;
    const ticket = ++this.#reading;
    if (!this.#run) this.#set(this.#messages, 'loading');
    await reading;
    if (ticket === this.#reading && this.#status === 'loading') this.#set(this.#messages, this.#settledStatus(this.#messages));
  }

  /** The status of a conversation with nothing in flight. */
  #settledStatus(messages: readonly ChatSessionMessage[]): ChatSessionStatus {
    if (this.#run || this.#status === 'login-required') return this.#status;
    return messages.at(-1)?.status === 'error' ? 'error' : 'idle';
  }


  /** Changes the state and saves it. */
  #commit(messages: readonly ChatSessionMessage[], status = this.#status): void {
    this.#set(messages, status);
    this.#store.save();
  }

  /**
   * Calls `view` with each `update`, as a listener would get it, while `on`: how an element
   * follows the answer without an event per chunk.
   *
   * @internal
   */
  watchUpdates(view: (detail: ChatUpdateDetail) => void, on: boolean): void {
    this.#updates.views[on ? 'add' : 'delete'](view);
  }

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    if (type === 'update') this.#updates.added(listener, options);
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    if (type === 'update') this.#updates.removed(listener, options);
    super.removeEventListener(type, listener, options);
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

/** How many answers one question may take when tools run between them. */
const DEFAULT_MAX_STEPS = 5;

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

/** Checks a question's text: a string, not blank unless files go with it. */
function checkText(text: unknown, call: string, attachments: readonly ChatAttachment[] | undefined): void {
  if (typeof text !== 'string' || (text.trim() === '' && !attachments?.length)) throw new TypeError(`chat-stream: ${call} needs a non-empty string (or attachments)`);
}

/** The question with `attachments` (without any when there are none). */
function withAttachments(message: ChatSessionMessage, attachments: ChatAttachment[] | undefined): ChatSessionMessage {
  const question: ChatSessionMessage = {...message};
  if (attachments?.length) question.attachments = attachments;
  else delete question.attachments;
  return question;
}

function checkId(id: unknown): void {
  if (typeof id !== 'string' || id === '') throw new TypeError(`chat-stream: a conversation \`id\` must be a non-empty string (got ${JSON.stringify(id)})`);
}

function indexOf(messages: readonly ChatSessionMessage[], messageId: string, method: string, role: string): number {
  const index = messages.findIndex((message) => message.id === messageId);
  if (index < 0 || messages[index]!.role !== role) {
    throw new TypeError(`chat-stream: ${method}() needs the id of a ${role} message (got ${JSON.stringify(messageId)})`);
  }
  return index;
}
