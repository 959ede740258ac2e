// The single-file bundle (dist/chat-stream.bundle.js, built by `npm test` first) in a plain
// HTML page: one <script type="module">, no import map, no bundler.
import {assert} from '@open-wc/testing';
import {GREETING_TEXT} from '../fixtures/scenarios.js';

function plainPage(body) {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><script type="module" src="/dist/chat-stream.bundle.js"></script>${body}`;
  document.body.append(frame);
  return new Promise((resolve) => frame.addEventListener('load', () => resolve(frame.contentWindow), {once: true}));
}

describe('the single-file bundle', () => {
  it('defines <chat-stream> in a plain page and streams an answer', async () => {
    const page = await plainPage('<chat-stream endpoint="/sse/greeting" token="t"></chat-stream>');
    await page.customElements.whenDefined('chat-stream');
    const element = page.document.querySelector('chat-stream');

    const done = new Promise((resolve) => element.addEventListener('done', (event) => resolve(event.detail)));
    await element.send('hi');
    const detail = await done;
    await element.updateComplete;

    assert.strictEqual(detail.text, GREETING_TEXT);
    assert.strictEqual(element.shadowRoot.querySelector('[part~="assistant"] [part="content"]').textContent, GREETING_TEXT);
  });

  it('speaks a built-in locale, fetched from beside the bundle', async () => {
    const page = await plainPage('<chat-stream endpoint="/sse/greeting" token="t" lang="de"></chat-stream>');
    await page.customElements.whenDefined('chat-stream');
    const element = page.document.querySelector('chat-stream');

    const send = () => element.shadowRoot.querySelector('[part="send-button"]').textContent.trim();
    for (let i = 0; i < 100 && send() === 'Send'; i++) await new Promise((resolve) => setTimeout(resolve, 20));

    assert.strictEqual(send(), 'Senden');
  });

  it('has no bare imports left to resolve', async () => {
    const source = await (await fetch('/dist/chat-stream.bundle.js')).text();

    assert.notMatch(source, /\bfrom\s*["'](?![./])/);
    assert.notMatch(source, /\bimport\s*["'](?![./])/);
  });
});
