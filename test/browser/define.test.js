// chat-stream/element's define(): the class under the page's own tag name, with a clear error
// for a name it cannot have. Nothing else registers the class in this file's page.
import {assert} from '@open-wc/testing';
import {ChatStream, define} from '../../src/element.ts';

describe('define()', () => {
  it('registers nothing until it is called', () => {
    assert.isUndefined(customElements.get('chat-stream'));
    assert.isNull(customElements.getName(ChatStream));
  });

  it('rejects a name that is not a custom element name, naming it', () => {
    assert.throws(() => define('MyChat'), TypeError, /define\('MyChat'\): not a valid custom element name/);
  });

  it('rejects a tag name that is not a string', () => {
    assert.throws(() => define(42), TypeError, /takes a tag name .* not number/);
  });

  it('rejects a name another element has', () => {
    customElements.define('taken-chat', class extends HTMLElement {});

    assert.throws(() => define('taken-chat'), TypeError, /<taken-chat> is already defined by another element/);
  });

  it('registers the class under the name given', () => {
    define('my-chat');

    assert.strictEqual(customElements.get('my-chat'), ChatStream);
    assert.instanceOf(document.createElement('my-chat'), ChatStream);
  });

  it('does nothing when called again with the same name', () => {
    define('my-chat');

    assert.doesNotThrow(() => define('my-chat'));
  });

  it('rejects a second name, naming the first', () => {
    define('my-chat');

    assert.throws(() => define('other-chat'), TypeError, /already defined as <my-chat>/);
  });
});
