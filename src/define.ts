import {ChatStream} from './chat-stream-element.js';

/**
 * Registers {@link ChatStream} as the custom element `name`: `define('my-chat')` for
 * `<my-chat>`. Registering it again under the same name does nothing. A class registers under
 * one name only, so this is for `chat-stream/element`, which registers nothing itself; the
 * package's main entry has already taken `chat-stream`.
 *
 * @param name - A custom element name: lowercase, starting with a letter, with a hyphen.
 * @throws TypeError when `name` is not a valid custom element name, when another element has
 * it, or when ChatStream is already registered under another name.
 */
export function define(name = 'chat-stream'): void {
  if (typeof name !== 'string') throw new TypeError(`chat-stream: define() takes a tag name (a string like 'my-chat'), not ${typeof name}`);
  const taken = customElements.get(name);
  if (taken === ChatStream) return;
  if (taken) throw new TypeError(`chat-stream: define('${name}'): <${name}> is already defined by another element`);
  const registered = customElements.getName(ChatStream);
  if (registered) throw new TypeError(`chat-stream: define('${name}'): ChatStream is already defined as <${registered}>, and a class registers under one name only: import chat-stream/element alone to choose the name`);
  try {
    customElements.define(name, ChatStream);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SyntaxError') {
      throw new TypeError(`chat-stream: define('${name}'): not a valid custom element name (lowercase, starting with a letter, with a hyphen, like 'my-chat')`, {cause: error});
    }
    throw error;
  }
}
