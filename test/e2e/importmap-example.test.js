// examples/importmap from a plain static host: no bundler and no dev server rewriting bare
// imports (as web-test-runner's would), so the page's import map alone must find the package's
// ES modules and their dependencies.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {dirname, extname, join} from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {exampleChat} from '../fixtures/examples.js';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {launchChromium, until} from './browser.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8'};

/** The project's files as they are, and the examples' chat endpoint. */
function staticHost(req, res) {
  const {pathname} = new URL(req.url, 'http://localhost');
  if (pathname === '/api/chat') return exampleChat(req, res);
  return readFile(join(ROOT, pathname)).then(
    (body) => res.writeHead(200, {'content-type': TYPES[extname(pathname)] ?? 'application/octet-stream'}).end(body),
    () => res.writeHead(404).end(),
  );
}

describe('examples/importmap on a static host', () => {
  let server;
  let browser;
  let page;
  const chat = (read) => page.evaluate(read);

  before(async () => {
    server = createServer(staticHost);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server.closeAllConnections();
    server.close();
  });
  afterEach(() => page?.close());

  async function openExample() {
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/examples/importmap/index.html`);
    await until(() => chat(() => Boolean(document.querySelector('chat-stream').shadowRoot?.querySelector('[part="starter-button"]'))), 'the chat and its starters');
  }

  it("hands the page's objects to the element as properties: the starters and the Send label show", async () => {
    await openExample();

    const labels = await chat(() => ['starter-button', 'send-button'].map((part) => document.querySelector('chat-stream').shadowRoot.querySelector(`[part="${part}"]`).textContent.trim()));

    assert.deepStrictEqual(labels, ['What can you do?', 'Ask']);
  });

  it("streams the answer to a starter's question and shows the `done` event's text", async () => {
    await openExample();

    await chat(() => document.querySelector('chat-stream').shadowRoot.querySelector('[part="starter-button"]').click());
    await until(async () => (await chat(() => document.querySelector('output').textContent)) === GREETING_TEXT, 'the answer from `done`');

    const answer = await chat(() => document.querySelector('chat-stream').shadowRoot.querySelector('[part~="assistant"] [part="content"]').textContent);
    assert.strictEqual(answer, GREETING_TEXT);
  });
});
