// The examples of examples/ in Chromium: the plain page as a person opens it, and each
// framework's entry (bundled by test/fixtures/examples.js) in a page with its `#app`. The
// properties the page or framework sets reach the element, and a question's answer streams in
// and reaches the page or framework with `done`.
import {assert} from '@open-wc/testing';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {waitFor} from './helpers.js';

/** Where each example starts: a page, or an app's entry. */
const EXAMPLES = {html: 'index.html', react: 'main.tsx', vue: 'main.js', svelte: 'main.js'};

/** Opens an example in a frame; resolves with its document once its <chat-stream> shows the starters. */
async function openExample(name) {
  const frame = document.createElement('iframe');
  const start = `/examples/${name}/${EXAMPLES[name]}`;
  if (start.endsWith('.html')) frame.src = start;
  else frame.srcdoc = `<!doctype html><div id="app"></div><script type="module" src="${start}"></script>`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  const page = frame.contentWindow;
  await waitFor(() => page.document.querySelector('chat-stream')?.shadowRoot?.querySelector('[part="starter-button"]'), `the ${name} example's chat and its starters`);
  return page.document;
}

const shadowText = (chat, selector) => chat.shadowRoot.querySelector(selector)?.textContent.trim();

for (const name of Object.keys(EXAMPLES)) {
  describe(`examples/${name}`, () => {
    afterEach(() => document.querySelectorAll('iframe').forEach((frame) => frame.remove()));

    it('hands its objects to the element as properties: the starters and the Send label show', async () => {
      const page = await openExample(name);
      const chat = page.querySelector('chat-stream');

      assert.strictEqual(shadowText(chat, '[part="starter-button"]'), 'What can you do?');
      assert.strictEqual(shadowText(chat, '[part="send-button"]'), 'Ask');
    });

    it("streams the answer to a starter's question and shows the `done` event's text", async () => {
      const page = await openExample(name);
      const chat = page.querySelector('chat-stream');

      chat.shadowRoot.querySelector('[part="starter-button"]').click();
      await waitFor(() => page.querySelector('output').textContent === GREETING_TEXT, `the ${name} example to show the answer from \`done\``);

      assert.strictEqual(shadowText(chat, '[part~="assistant"] [part="content"]'), GREETING_TEXT);
      assert.strictEqual(page.querySelector('output').textContent, GREETING_TEXT);
    });
  });
}
