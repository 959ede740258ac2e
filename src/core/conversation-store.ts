import {describeFailure, isRecord} from './errors.js';
import {toMessages, toStored} from './messages.js';
import type {ChatErrorDetail, ChatSessionMessage, ChatStorage} from './session-types.js';
import {STORAGE_VERSION} from './web-storage.js';

/** What a {@link ConversationStore} reads from and reports to: its session. @internal */
export interface StoreHost {
  /** The conversation in memory. */
  readonly messages: readonly ChatSessionMessage[];
  /** The id of the answer streaming in this page, which only this page can change. */
  readonly liveId: string | null;
  /** Takes the conversation merged with another page's changes. */
  adopt(messages: ChatSessionMessage[]): void;
  /** Reports a storage failure; the conversation goes on in memory. */
  fail(error: ChatErrorDetail): void;
}

/**
 * Keeps one session's conversation in a {@link ChatStorage}. Saves are queued (an older one
 * never lands after a newer one) and merged with what another page saved meanwhile: a
 * three-way merge whose base is the stored copy as last read or written, so a message missing
 * on one side was deleted there, and one only this page has is added. A stored value that
 * cannot be read (a failure, another program's value, a later version) is never overwritten.
 *
 * @internal
 */
export class ConversationStore {
  readonly #host: StoreHost;
  #storage: ChatStorage | null = null;
  #id = '';
  #synced = new Set<string>();
  #writable = false;
  #generation = 0;
  #saving = false;
  #saveAgain = false;
  #unsubscribe: (() => void) | undefined;

  constructor(host: StoreHost) {
    this.#host = host;
  }

  /**
   * Keeps the conversation `id` in `storage` from now on: reads it and merges it with the
   * messages in memory (those not stored go after the stored ones). Returns a promise only
   * when the storage answers asynchronously.
   */
  attach(storage: ChatStorage | null, id: string): void | Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#storage = storage;
    this.#id = id;
    this.#synced = new Set();
    this.#writable = false;
    this.#saveAgain = false;
    this.#generation++;
    if (!storage) return;
    try {
      this.#unsubscribe = storage.subscribe?.(id, () => void this.#read());
    } catch (error) {
      this.#fail('watch', error);
    }
    return this.#read();
  }

  /** Saves the conversation in memory (merged with another page's changes when the storage reports them). */
  save(): void {
    const storage = this.#storage;
    if (!storage || !this.#writable) return;
    if (this.#saving) {
      this.#saveAgain = true;
      return;
    }
    this.#saving = true;
    const id = this.#id;
    const generation = this.#generation;
    const finished = () => {
      this.#saving = false;
      if (this.#saveAgain && generation === this.#generation) {
        this.#saveAgain = false;
        this.save();
      }
    };
    const saved = attempt(
      () => (storage.subscribe ? storage.load(id) : null),
      (value) => {
        let messages = this.#host.messages;
        if (storage.subscribe) {
          const stored = this.#decode(value);
          if (!stored || generation !== this.#generation) return;
          messages = this.#merge(stored, true);
        }
        const record = toStored(messages);
        return attempt(
          () => (record.length === 0 && storage.remove ? storage.remove(id) : storage.save(id, record)),
          () => {
            if (generation === this.#generation) this.#synced = new Set(record.map((message) => message.id));
          },
          (error) => this.#fail('save', error),
        );
      },
      (error) => this.#fail('save', error),
    );
    if (saved) void saved.then(finished);
    else finished();
  }

  /** Reads the stored copy and merges it in, the stored version winning for messages both have. */
  #read(): void | Promise<void> {
    const storage = this.#storage!;
    const generation = this.#generation;
    return attempt(
      () => storage.load(this.#id),
      (value) => {
        if (generation !== this.#generation) return;
        const stored = this.#decode(value);
        if (!stored) return;
        this.#writable = true;
        const merged = this.#merge(stored, false);
        this.#synced = new Set(stored.map((message) => message.id));
        // Messages sent before the stored copy was read are saved now.
        if (merged.length > stored.length) this.save();
      },
      (error) => {
        if (generation !== this.#generation) return;
        this.#writable = false;
        this.#fail('read', error);
      },
    );
  }

  /** The stored value as messages, or `null` (reported) when it is not a conversation this version can write over. */
  #decode(value: unknown): ChatSessionMessage[] | null {
    if (value === null || value === undefined) return [];
    const record = Array.isArray(value) ? {version: STORAGE_VERSION, messages: value} : value;
    const version = isRecord(record) ? record.version : undefined;
    try {
      if (typeof version === 'number' && version > STORAGE_VERSION) {
        return this.#refuse('unknown_version', `was saved by a later version of chat-stream (format ${version})`);
      }
      if (version !== STORAGE_VERSION) throw new TypeError('no version');
      return toMessages((record as {messages?: unknown}).messages, 'saved messages');
    } catch (error) {
      return this.#refuse('foreign_value', `is not a chat-stream conversation (${describeFailure(error)})`);
    }
  }

  #refuse(code: string, problem: string): null {
    this.#writable = false;
    this.#host.fail({kind: 'storage', code, message: `The value saved for conversation "${this.#id}" ${problem}; it is left as it is, and this conversation is not saved`, text: ''});
    return null;
  }

  /** Merges the stored copy with the conversation in memory, hands the result to the host when it differs, and returns it. */
  #merge(stored: ChatSessionMessage[], preferMine: boolean): readonly ChatSessionMessage[] {
    const mine = this.#host.messages;
    const live = this.#host.liveId;
    const byId = new Map(mine.map((message) => [message.id, message]));
    const storedIds = new Set(stored.map((message) => message.id));
    const merged: ChatSessionMessage[] = [];
    for (const theirs of stored) {
      const own = byId.get(theirs.id);
      // A stored message this page no longer has, though it had been saved: deleted here.
      if (!own) {
        if (!this.#synced.has(theirs.id)) merged.push(theirs);
      } else {
        merged.push(preferMine || own.id === live || sameMessage(own, theirs) ? own : theirs);
      }
    }
    // One only this page has: new here (kept), or deleted by the other page (dropped).
    for (const own of mine) {
      if (!storedIds.has(own.id) && (own.id === live || !this.#synced.has(own.id))) merged.push(own);
    }
    if (merged.length !== mine.length || merged.some((message, index) => message !== mine[index])) this.#host.adopt(merged);
    return merged;
  }

  #fail(operation: 'read' | 'save' | 'watch', error: unknown): void {
    const name = (error as {name?: unknown} | null)?.name;
    const full = typeof name === 'string' && /quota/i.test(name);
    const code = full ? 'quota_exceeded' : name === 'SecurityError' ? 'unavailable' : `${operation}_failed`;
    const reason = full ? 'the storage is full' : describeFailure(error);
    this.#host.fail({kind: 'storage', code, message: `Could not ${operation} conversation "${this.#id}": ${reason}; the conversation goes on in memory`, text: ''});
  }
}

/** Whether two versions of a message agree on everything that is stored. */
function sameMessage(a: ChatSessionMessage, b: ChatSessionMessage): boolean {
  return (
    a.content === b.content &&
    a.status === b.status &&
    a.role === b.role &&
    a.feedback === b.feedback &&
    a.finishReason === b.finishReason &&
    (a.reasoning ?? '') === (b.reasoning ?? '')
  );
}

/**
 * Calls `next` with what `run` returns: at once for a value, once resolved for a promise (so a
 * synchronous storage is read and written synchronously, as `pagehide` needs). A throw or a
 * rejection goes to `fail`. Returns a promise only when something was asynchronous.
 */
function attempt<T>(
  run: () => T,
  next: (value: Awaited<T>) => void | Promise<void>,
  fail: (error: unknown) => void,
): void | Promise<void> {
  let value: T;
  try {
    value = run();
  } catch (error) {
    return fail(error);
  }
  if (isThenable(value)) return Promise.resolve(value).then(next).catch(fail);
  try {
    const after = next(value as Awaited<T>);
    if (after) return after.catch(fail);
  } catch (error) {
    fail(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
