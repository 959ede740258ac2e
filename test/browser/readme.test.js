// The examples of the README and of docs/, run as written in a page of their own: only the
// import, the endpoint and the storage key are pointed at the test server.
import {assert} from '@open-wc/testing';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {endpoint, readProbe, waitFor} from './helpers.js';

/** The first code block of `language` after `marker` in the Markdown file at `path`. */
async function example(path, marker, language = 'html') {
  const page = await (await fetch(path)).text();
  const at = page.indexOf(marker);
  assert.isAtLeast(at, 0, `${path} has ${marker}`);
  const start = page.indexOf(`\`\`\`${language}`, at);
  return page.slice(start + 3 + language.length, page.indexOf('```', start + 1));
}

/** Runs a page in an iframe until it loads; returns its document. */
async function framed(page) {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html>${page}`;
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  return frame;
}

describe('the README and the docs', () => {
  it('has a smallest page that streams an answer with the bundle as written', async () => {
    const page = (await example('/README.md', '## The smallest page that works')).replace('endpoint="/v1/chat/completions"', `endpoint="${endpoint('greeting')}"`);
    const frame = await framed(page);
    await frame.contentWindow.customElements.whenDefined('chat-stream');
    const chat = frame.contentDocument.querySelector('chat-stream');

    const result = await chat.send('hi');

    assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
    frame.remove();
  });

  it('has a framework-free ChatSession view of at most 30 lines that works as written', async () => {
    const view = await example('/docs/core.md', 'A view with no library at all:');
    const id = `readme-${Math.random().toString(36).slice(2)}`;
    const page = view
      .replace("'chat-stream/core'", "'/src/core/index.ts'")
      .replace("'/api/chat'", `'${endpoint('greeting')}'`)
      .replace("id: 'support'", `id: '${id}'`);
    const frame = await framed(page);
    const doc = frame.contentDocument;
    await waitFor(() => doc.forms.ask, 'the form');

    doc.forms.ask.q.value = 'hi';
    doc.forms.ask.requestSubmit();
    await waitFor(() => doc.querySelectorAll('#log li.done').length === 2, 'the answer to finish');

    assert.isAtMost(view.trim().split('\n').length, 30);
    assert.deepEqual([...doc.querySelectorAll('#log li')].map((item) => item.textContent), ['hi', GREETING_TEXT]);
    frame.remove();
    localStorage.removeItem(`chat-stream:${id}`);
  });

  it("has a Dify snippet that reads Dify's stream as written", async () => {
    const probe = `readme-dify-${Math.random().toString(36).slice(2)}`;
    const page = (await example('/docs/backends.md', '**Dify**'))
      .replace('endpoint="/api/dify/chat-messages"', `endpoint="${endpoint('dify', {split: 'bytes', probe})}"`)
      .replace('<script type="module">', '<script type="module">import "/src/chat-stream.ts";');
    const frame = await framed(page);
    const chat = frame.contentDocument.getElementById('dify');

    const result = await chat.send('你好');

    assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
    assert.deepEqual(JSON.parse((await readProbe(probe)).body), {inputs: {}, query: '你好', response_mode: 'streaming', user: 'reader-1'});
    frame.remove();
  });

  it('has an adapter example that reads its backend as written', async () => {
    const code = (await example('/docs/backends.md', '## Your own format: an adapter', 'js')).replace(/^import .*$/m, '');
    const frame = await framed(`<chat-stream endpoint="${endpoint('readme-adapter')}" no-token></chat-stream><script type="module">import "/src/chat-stream.ts";${code}</script>`);
    const chat = frame.contentDocument.querySelector('chat-stream');
    await waitFor(() => typeof chat.format === 'object', 'the adapter to be set');

    const result = await chat.send('hi');

    assert.deepEqual([result.status, result.format, result.text, result.reasoning, result.finishReason], ['done', 'my-backend', 'Hello there', 'Hmm. ', 'done']);
    assert.deepEqual([result.toolCalls, result.usage], [[{id: 't1', name: 'lookup', arguments: '{"q":"x"}', input: {q: 'x'}}], {inputTokens: 3, outputTokens: 2}]);
    frame.remove();
  });

  it('has an attachments example whose upload sends the URL its server gives', async () => {
    const probe = `readme-upload-${Math.random().toString(36).slice(2)}`;
    const page = (await example('/docs/element.md', '## Attachments'))
      .replace('endpoint="/api/chat"', `endpoint="${endpoint('greeting', {probe})}" no-token`)
      .replace("'/api/uploads'", "'/sse-upload'")
      .replace('<script type="module">', '<script type="module">import "/src/chat-stream.ts";');
    const frame = await framed(page);
    const {document: doc, DataTransfer, File} = frame.contentWindow;
    const chat = doc.querySelector('chat-stream');
    await waitFor(() => typeof chat.upload === 'function' && chat.shadowRoot?.querySelector('input[type="file"]'), 'the element and its upload');
    const files = new DataTransfer();
    files.items.add(new File(['not really a PNG'], 'photo.png', {type: 'image/png'}));
    const chooser = chat.shadowRoot.querySelector('input[type="file"]');

    chooser.files = files.files;
    chooser.dispatchEvent(new Event('change'));
    await waitFor(() => chat.shadowRoot.querySelector('[part="attachment"]')?.dataset.state === 'ready', 'the upload');
    const done = new Promise((resolve) => chat.addEventListener('done', resolve, {once: true}));
    chat.shadowRoot.querySelector('[part="form"]').requestSubmit();
    await done;

    const question = JSON.parse((await readProbe(probe)).body).messages.at(-1);
    assert.include(JSON.stringify(question.content), 'https://files.example/16-bytes.png');
    frame.remove();
  });
});
