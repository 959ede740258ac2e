// The README's view of a ChatSession with no library, run as written in a page of its own:
// only the import, the endpoint and the storage key are pointed at the test server.
import {assert} from '@open-wc/testing';
import {GREETING_TEXT} from '../fixtures/scenarios.js';
import {endpoint, waitFor} from './helpers.js';

async function readmeExample() {
  const readme = await (await fetch('/README.md')).text();
  const start = readme.indexOf('```html', readme.indexOf('A view with no library at all:'));
  return readme.slice(start + '```html'.length, readme.indexOf('```', start + 1));
}

describe('the README', () => {
  it('has a framework-free ChatSession view of at most 30 lines that works as written', async () => {
    const example = await readmeExample();
    const id = `readme-${Math.random().toString(36).slice(2)}`;
    const page = example
      .replace("'chat-stream/core'", "'/src/core/index.ts'")
      .replace("'/api/chat'", `'${endpoint('greeting')}'`)
      .replace("id: 'support'", `id: '${id}'`);
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html>${page}`;
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
    const doc = frame.contentDocument;
    await waitFor(() => doc.forms.ask, 'the form');

    doc.forms.ask.q.value = 'hi';
    doc.forms.ask.requestSubmit();
    await waitFor(() => doc.querySelectorAll('#log li.done').length === 2, 'the answer to finish');

    assert.isAtMost(example.trim().split('\n').length, 30);
    assert.deepEqual([...doc.querySelectorAll('#log li')].map((item) => item.textContent), ['hi', GREETING_TEXT]);
    frame.remove();
    localStorage.removeItem(`chat-stream:${id}`);
  });
});
