import type {ChatStorage, ChatStorageOption} from './session-types.js';

/** The version of what is saved; a session never overwrites a conversation saved with a later one. @internal */
export const STORAGE_VERSION = 1;

/**
 * A {@link ChatStorage} over `localStorage` or `sessionStorage`: each conversation is one key,
 * `chat-stream:<id>`, holding `{version, messages}` as JSON, and other tabs' changes arrive
 * through the `storage` event. A value that is not JSON is set aside under
 * `chat-stream:<id>:corrupt:<time>` (with a console warning) rather than overwritten.
 *
 * @internal
 */
export function webStorage(kind: 'local' | 'session'): ChatStorage {
  const name = `${kind}Storage`;
  const key = (id: string) => `chat-stream:${id}`;
  // Reading the property throws where storage is disabled (a SecurityError): that is reported.
  const area = (): Storage => {
    const storage = (globalThis as Record<string, unknown>)[name] as Storage | undefined;
    if (!storage) throw new Error(`${name} is not available here`);
    return storage;
  };
  return {
    load(id) {
      const storage = area();
      const raw = storage.getItem(key(id));
      if (raw === null) return null;
      try {
        return JSON.parse(raw);
      } catch {
        // A key of its own each time: an earlier value set aside is never overwritten.
        const aside = `${key(id)}:corrupt:${Date.now()}`;
        storage.setItem(aside, raw);
        storage.removeItem(key(id));
        console.warn(`chat-stream: the conversation saved in ${name} under "${key(id)}" is not JSON; it was set aside under "${aside}" and the conversation starts anew`);
        return null;
      }
    },
    save(id, messages) {
      area().setItem(key(id), JSON.stringify({version: STORAGE_VERSION, messages}));
    },
    remove(id) {
      area().removeItem(key(id));
    },
    subscribe(id, onChange) {
      const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
      if (!target.addEventListener || !target.removeEventListener) return () => {};
      const listener = (event: StorageEvent) => {
        // `key` is null when another page cleared the whole storage.
        if ((event.key === null || event.key === key(id)) && event.storageArea === area()) onChange();
      };
      target.addEventListener('storage', listener);
      return () => target.removeEventListener!('storage', listener);
    },
  };
}

const webStores: Partial<Record<'local' | 'session', ChatStorage>> = {};

/** The storage a `storage` option names, or `null` for none; a `TypeError` naming it for anything else. @internal */
export function storageFor(option: ChatStorageOption | undefined): ChatStorage | null {
  if (option === undefined || option === 'none') return null;
  // One adapter per kind: the same conversation in the same storage is recognised after a switch.
  if (option === 'local' || option === 'session') return (webStores[option] ??= webStorage(option));
  if (typeof option?.load !== 'function' || typeof option.save !== 'function') {
    throw new TypeError("chat-stream: `storage` must be 'local', 'session', 'none' or an object with load(id) and save(id, messages)");
  }
  return option;
}
