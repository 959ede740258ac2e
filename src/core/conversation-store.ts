import {describeFailure, isRecord} from './errors.js';
import {toMessages, toStored} from './messages.js';
import type {ChatErrorDetail, ChatSessionMessage, ChatStorage} from './session-types.js';
import {STORAGE_VERSION} from './web-storage.js';

/** The answer streaming in this page and its question: only this page can change them. @internal */
export interface LiveAnswer {
  readonly answer: string;
  readonly question: string;
}

/** What a {@link ConversationStore} reads from and reports to: its session. @internal */
export interface StoreHost {
  /** The conversation in memory. */
  messages(): readonly ChatSessionMessage[];
  live(): LiveAnswer | null;
  /** The longest `data:` URL of an attachment that is saved (`maxStoredAttachmentSize`). */
  maxAttachmentSize(): number;
  /** Takes the conversation merged with another page's changes. */
  adopt(messages: readonly ChatSessionMessage[]): void;
  /** Reports a storage failure; the conversation goes on in memory. */
  fail(error: ChatErrorDetail): void;
}

/** One conversation in one storage. */
interface Slot {
  readonly storage: ChatStorage;
  readonly id: string;
  /** The stored copy as last read or written, each message by id as stored: the base of a merge. */
  base: Map<string, string>;
  /** Whether the stored copy was read: what could not be read is never written over. */
  readable: boolean;
  /** Whether the last read failed: the next save reads again first. */
  failed: boolean;
  /** A save asked for before the stored copy was read, made once it is. */
  saveWhenRead: boolean;
  /** The conversation was replaced before the stored copy was read: what is stored then counts as deleted. */
  replaced: boolean;
  /** Messages to start with, dropped when something is stored. */
  defaults: ReadonlySet<ChatSessionMessage> | undefined;
  unsubscribe?: () => void;
}

/** A read of a slot, or a save: the conversation as it was asked to be saved, for the slot it belongs to. */
interface Job {
  readonly slot: Slot;
  readonly read: boolean;
  messages: readonly ChatSessionMessage[];
  live: LiveAnswer | null;
  /** Whether the answer streaming is saved too (as stopped), because the page was hidden. */
  keepLive: boolean;
  started?: boolean;
  /** Set when the job ran to its end; `done` resolves then. */
  finished?: boolean;
  done?: Promise<void>;
  finish?: () => void;
}

/**
 * Keeps one session's conversation in a {@link ChatStorage}. Reads and saves run one at a time
 * in the order asked (saves asked while one waits are folded into one per conversation), each for
 * the conversation it was asked for, also after a switch; a synchronous storage is read and
 * written synchronously (as `pagehide` needs). With a storage that reports other pages' changes,
 * each save and each change is a three-way merge whose base is the stored copy as last read or
 * written (and remembered across a switch away and back): a message missing on one side was
 * deleted there, a message changed on one side only takes that change, and one only this page
 * has is added after the message it follows (a new question after the other page's messages
 * there, an answer right under its question). A stored value that cannot be read (a failure,
 * another program's value, a later version) is never written over.
 *
 * @internal
 */
export class ConversationStore {
  readonly #host: StoreHost;
  #slot: Slot | null = null;
  /** The last slot let go of: its base is taken up again when the same conversation comes back. */
  #previous: Slot | null = null;
  readonly #queue: Job[] = [];
  #busy = false;
  /** A message's stored form, by which a merge compares the two sides and the base: as it is saved now. */
  readonly #form = (message: ChatSessionMessage): string =>
    JSON.stringify(toStored([{...message, status: message.status === 'streaming' ? 'stopped' : message.status}], {maxAttachmentSize: this.#host.maxAttachmentSize()})[0] ?? null);

  constructor(host: StoreHost) {
    this.#host = host;
  }

  /**
   * Keeps the conversation `id` in `storage` from now on (or nowhere): reads it and merges it
   * with the messages in memory. Returns a promise only when the read is asynchronous.
   */
  attach(storage: ChatStorage | null, id: string, defaults?: ReadonlySet<ChatSessionMessage>): void | Promise<void> {
    if (this.#slot) {
      this.#slot.unsubscribe?.();
      this.#previous = this.#slot;
    }
    this.#slot = null;
    if (!storage) return;
    const known = this.#previous?.storage === storage && this.#previous.id === id ? this.#previous.base : new Map<string, string>();
    const slot: Slot = {storage, id, base: known, readable: false, failed: false, saveWhenRead: false, replaced: false, defaults};
    this.#slot = slot;
    try {
      const stop = storage.subscribe?.(id, () => void (this.#slot === slot && this.#enqueue(slot, true)));
      if (stop !== undefined && typeof stop !== 'function') throw new TypeError('subscribe(id, onChange) must return a function that stops listening');
      slot.unsubscribe = stop;
    } catch (error) {
      this.#fail(slot, "watch for other pages' changes to", error);
    }
    return this.#enqueue(slot, true);
  }

  /** Saves the conversation; with `keepLive`, the answer streaming too, as stopped (the page is hidden). */
  save(keepLive = false): void {
    const slot = this.#slot;
    if (!slot) return;
    if (!slot.readable) {
      slot.saveWhenRead = true;
      // A conversation whose read failed is read again before it is saved.
      if (slot.failed && !this.#queue.some((job) => job.slot === slot && job.read)) void this.#enqueue(slot, true);
      return;
    }
    const waiting = this.#queue.find((job) => job.slot === slot && !job.read);
    if (waiting) Object.assign(waiting, {messages: this.#host.messages(), live: this.#host.live(), keepLive: keepLive || waiting.keepLive});
    else void this.#enqueue(slot, false, keepLive);
  }

  /** The conversation was replaced (`clear()`, `messages =`): a read still pending must not bring the stored messages back. */
  replaced(): void {
    if (this.#slot && !this.#slot.readable) this.#slot.replaced = true;
  }

  /** Queues a read or a save; returns a promise only when it did not run to its end at once. */
  #enqueue(slot: Slot, read: boolean, keepLive = false): void | Promise<void> {
    if (read) {
      const queued = this.#queue.find((job) => job.slot === slot && job.read);
      if (queued) return queued.done;
    }
    const job: Job = {slot, read, messages: this.#host.messages(), live: this.#host.live(), keepLive};
    job.done = new Promise((resolve) => (job.finish = resolve));
    this.#queue.push(job);
    this.#drain();
    return job.finished ? undefined : job.done;
  }

  /** Runs the jobs one at a time: synchronously while the storage is synchronous. */
  #drain(): void {
    while (!this.#busy && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      job.started = true;
      const pending = job.read ? this.#read(job.slot) : this.#write(job);
      const end = () => {
        job.finished = true;
        job.finish!();
      };
      if (!pending) {
        end();
        continue;
      }
      this.#busy = true;
      void pending.then(() => {
        this.#busy = false;
        end();
        this.#drain();
      });
    }
  }

  #write({slot, messages, live, keepLive}: Job): void | Promise<void> {
    const {storage, id} = slot;
    const fail = (error: unknown) => this.#fail(slot, 'save', error);
    return attempt(
      () => (storage.subscribe ? storage.load(id) : null),
      (value) => {
        let merged = messages;
        if (storage.subscribe) {
          const stored = this.#decode(slot, value);
          if (!stored) return;
          merged = merge(stored, messages, slot.base, live, true, this.#form);
        }
        // Memory takes the merge only if nothing changed since this save was asked; otherwise the
        // base stays, so that the next save (asked by that change) merges the other page's changes again.
        const current = slot === this.#slot && this.#host.messages() === messages;
        if (current && merged !== messages) this.#host.adopt(merged);
        const record = toStored(merged, {excluded: keepLive ? undefined : live?.answer, maxAttachmentSize: this.#host.maxAttachmentSize()});
        return attempt(
          () => (record.length === 0 && storage.remove ? storage.remove(id) : storage.save(id, record)),
          () => void ((current || merged === messages) && (slot.base = baseOf(record, this.#form))),
          fail,
        );
      },
      fail,
    );
  }

  /** Reads the stored copy and merges it in, the stored version winning where both changed a message. */
  #read(slot: Slot): void | Promise<void> {
    return attempt(
      () => slot.storage.load(slot.id),
      (value) => {
        if (slot !== this.#slot) return;
        const stored = this.#decode(slot, value);
        if (!stored) return;
        if (slot.replaced) slot.base = baseOf(stored, this.#form);
        let mine = this.#host.messages();
        const {defaults} = slot;
        if (defaults && stored.length > 0) mine = mine.filter((message) => !defaults.has(message));
        const live = this.#host.live();
        const merged = merge(stored, mine, slot.base, live, false, this.#form);
        if (merged !== this.#host.messages()) this.#host.adopt(merged);
        Object.assign(slot, {base: baseOf(stored, this.#form), readable: true, failed: false, replaced: false, defaults: undefined});
        // Messages sent before the stored copy was read, or a clear meanwhile, are saved now.
        if (slot.saveWhenRead || merged.some((message) => !slot.base.has(message.id) && message.id !== live?.answer)) {
          slot.saveWhenRead = false;
          this.save();
        }
      },
      (error) => {
        if (slot !== this.#slot) return;
        Object.assign(slot, {readable: false, failed: true});
        this.#fail(slot, 'read', error);
      },
    );
  }

  /** The stored value as messages, or `null` (reported) when it is not a conversation this version can write over. */
  #decode(slot: Slot, value: unknown): ChatSessionMessage[] | null {
    if (value === null || value === undefined) return [];
    const record = Array.isArray(value) ? {version: STORAGE_VERSION, messages: value} : value;
    const version = isRecord(record) ? record.version : undefined;
    try {
      if (typeof version === 'number' && version > STORAGE_VERSION) {
        return this.#refuse(slot, 'unknown_version', `was saved by a later version of chat-stream (format ${version})`);
      }
      if (version !== STORAGE_VERSION) throw new TypeError('no version');
      return toMessages((record as {messages?: unknown}).messages, 'saved messages');
    } catch (error) {
      return this.#refuse(slot, 'foreign_value', `is not a chat-stream conversation (${describeFailure(error)})`);
    }
  }

  #refuse(slot: Slot, code: string, problem: string): null {
    slot.readable = false;
    this.#host.fail({kind: 'storage', code, message: `The value saved for conversation "${slot.id}" ${problem}; it is left as it is, and this conversation is not saved`, text: ''});
    return null;
  }

  #fail(slot: Slot, operation: string, error: unknown): void {
    const name = (error as {name?: unknown} | null)?.name;
    const full = typeof name === 'string' && /quota/i.test(name);
    const code = full ? 'quota_exceeded' : name === 'SecurityError' ? 'unavailable' : `${operation.split(' ')[0]}_failed`;
    const reason = full ? 'the storage is full' : describeFailure(error);
    const after = operation === 'read' ? 'it goes on in memory and is not saved until it can be read' : 'the conversation goes on in memory';
    this.#host.fail({kind: 'storage', code, message: `Could not ${operation} conversation "${slot.id}": ${reason}; ${after}`, text: ''});
  }
}

/** Each stored message's stored form, by id. */
function baseOf(stored: readonly ChatSessionMessage[], storedForm: (message: ChatSessionMessage) => string): Map<string, string> {
  return new Map(stored.map((message) => [message.id, storedForm(message)]));
}

/**
 * Merges the stored copy with the conversation in memory (`mine`), against `base`. Returns
 * `mine` itself when the merge changes nothing.
 */
function merge(
  stored: readonly ChatSessionMessage[],
  mine: readonly ChatSessionMessage[],
  base: ReadonlyMap<string, string>,
  live: LiveAnswer | null,
  preferMine: boolean,
  storedForm: (message: ChatSessionMessage) => string,
): readonly ChatSessionMessage[] {
  const byId = new Map(mine.map((message) => [message.id, message]));
  const merged: ChatSessionMessage[] = [];
  let questionChanged = false;
  for (const theirs of stored) {
    const own = byId.get(theirs.id);
    // A stored message this page no longer has, though it had been stored: deleted here.
    if (!own) {
      if (!base.has(theirs.id)) merged.push(theirs);
      continue;
    }
    const [ownForm, theirForm, baseForm] = [storedForm(own), storedForm(theirs), base.get(own.id)];
    const takeMine = own.id === live?.answer || ownForm === theirForm || theirForm === baseForm || (ownForm !== baseForm && preferMine);
    merged.push(takeMine ? own : theirs);
    if (!takeMine && own.id === live?.question) questionChanged = true;
  }
  const ids = new Set(merged.map((message) => message.id));
  let previous: string | undefined;
  for (const own of mine) {
    // Only here: new here (kept, after the message it follows), or deleted by the other page.
    if (!ids.has(own.id) && (!base.has(own.id) || own.id === live?.answer)) {
      let at = previous === undefined ? merged.length : merged.findIndex((message) => message.id === previous) + 1;
      // An answer stays right under its question; a new question goes after what the other page added there.
      if (own.role === 'user') while (at < merged.length && !byId.has(merged[at]!.id)) at++;
      merged.splice(at, 0, own);
      ids.add(own.id);
    }
    if (ids.has(own.id)) previous = own.id;
  }
  // An answer streaming here whose question the other page deleted or changed goes with it.
  const orphan = live && (!ids.has(live.question) || questionChanged) ? merged.findIndex((message) => message.id === live.answer) : -1;
  if (orphan >= 0) merged.splice(orphan, 1);
  return merged.length === mine.length && merged.every((message, index) => message === mine[index]) ? mine : merged;
}

/**
 * Calls `next` with what `run` returns: at once for a value, once resolved for a promise (so a
 * synchronous storage is read and written synchronously). A throw or a rejection goes to
 * `fail`. Returns a promise only when something was asynchronous.
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
