// axe-core (the devDependency) on <chat-stream> in each state a reader meets, in light and
// dark, and in right-to-left Arabic and in Chinese: no violation of WCAG 2.2 A/AA or of axe's
// best practices. Only `region` is off: it asks that all of a page sit in landmarks, which is
// the page's choice, not the element's.
import {assert} from '@open-wc/testing';
import {emulateMedia} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {chat, shadow, waitFor} from './helpers.js';

const MARKDOWN = '## Result\n\nSome **bold** text and `code`:\n\n```js\nconst answer = 42; // a long line that may have to scroll inside its block on a narrow screen\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n- one\n- two\n';

async function loadAxe() {
  if (window.axe) return;
  const script = document.createElement('script');
  script.src = '/node_modules/axe-core/axe.min.js';
  document.head.append(script);
  await new Promise((resolve, reject) => ((script.onload = resolve), (script.onerror = reject)));
}

/** axe's violations in `element`, as `rule: target` lines. */
async function violations(element) {
  await loadAxe();
  const {violations: found} = await window.axe.run(element, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
    rules: {region: {enabled: false}},
  });
  return found.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary?.split('\n')[1]?.trim()})`));
}

/** A 1×1 PNG. */
const PIXEL = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

/** Chooses `files` in the element's file chooser (its Attach button's); resolves once their chips show. */
async function chooseFiles(element, files) {
  const chooser = shadow(element, 'input[type="file"]');
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  chooser.files = data.files;
  chooser.dispatchEvent(new Event('change'));
  await element.updateComplete;
}

const STATES = {
  empty: async () => chat('greeting'),
  streaming: async () => {
    const element = await chat('slow');
    element.send('hi');
    await waitFor(() => element.messages[1]?.content, 'the answer to stream');
    return element;
  },
  'finished Markdown with code and a table': async () => {
    const element = await chat('greeting');
    element.messages = [
      {role: 'user', content: 'Show me'},
      {role: 'assistant', content: MARKDOWN},
    ];
    await element.updateComplete;
    return element;
  },
  stopped: async () => {
    const element = await chat('slow');
    const sent = element.send('hi');
    await waitFor(() => element.messages[1]?.content, 'the answer to stream');
    element.stop();
    await sent;
    return element;
  },
  failed: async () => {
    const element = await chat('http-500-json');
    await element.send('hi');
    return element;
  },
  'tool calls ended in every way, one opened': async () => {
    const element = await chat('greeting');
    const call = (state, extra) => ({id: state, name: `tool_${state}`, arguments: '{"zone":"UTC"}', input: {zone: 'UTC'}, state, ...extra});
    element.messages = [
      {role: 'user', content: 'What time is it?'},
      {role: 'assistant', content: 'Let me check.', toolCalls: [call('done', {result: {time: '12:00'}}), call('failed', {error: 'clock broken'}), call('denied'), call('stopped'), call('asked')]},
    ];
    await element.updateComplete;
    shadow(element, '[part~="tool-call"] details').open = true;
    return element;
  },
  'reasoning: one section opened, one while the model thinks': async () => {
    const element = await chat('think-tags', {params: {split: 'every-128', pace: 30}});
    element.messages = [
      {role: 'user', content: 'Why?'},
      {role: 'assistant', content: 'Because.', reasoning: 'Let me **think** about `why`.', reasoningMs: 12_400},
    ];
    await element.updateComplete;
    shadow(element, '[part="reasoning-summary"]').click();
    element.send('hi');
    await waitFor(() => shadow(element, '[part~="reasoning"][part~="thinking"]'), 'the model to think');
    return element;
  },
  'a tool call waiting for approval': async () => {
    const element = await chat('tool-round', {attributes: 'format=openai'});
    element.tools = {get_time: {confirm: true, run: () => 'noon'}};
    element.send('What time is it?');
    await waitFor(() => shadow(element, '[part="tool-approve-button"]'), 'the Approve button');
    return element;
  },
  'sign-in': async () => {
    const element = await chat('greeting', {token: ''});
    await element.send('hi');
    return element;
  },
  'files sent, waiting, uploading, failed and refused': async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*,.txt'});
    await element.updateComplete;
    const image = (name) => new File([PIXEL], name, {type: 'image/png'});
    const ready = () => waitFor(() => [...element.shadowRoot.querySelectorAll('[part="attachment"]')].every((chip) => chip.dataset.state === 'ready'), 'the files');
    await chooseFiles(element, [image('pixel.png'), new File(['notes'], 'notes.txt', {type: 'text/plain'})]);
    await ready();
    const done = new Promise((resolve) => element.addEventListener('done', resolve, {once: true}));
    shadow(element, '[part="form"]').requestSubmit();
    await done;
    await chooseFiles(element, [image('waiting.png')]);
    await ready();
    element.upload = (file, {progress}) => (file.name === 'failing.png' ? Promise.reject(new Error('quota exceeded')) : (progress(0.3), new Promise(() => {})));
    await chooseFiles(element, [image('uploading.png'), image('failing.png'), new File(['x'], 'virus.exe')]);
    await waitFor(() => shadow(element, '[data-state="failed"]'), 'the failed upload');
    return element;
  },
};

for (const scheme of ['light', 'dark']) {
  describe(`axe on <chat-stream>, ${scheme}`, () => {
    before(() => emulateMedia({colorScheme: scheme}));
    after(() => emulateMedia({colorScheme: 'light'}));

    for (const [state, arrange] of Object.entries(STATES)) {
      it(`finds no violation: ${state}`, async () => {
        const element = await arrange();

        assert.deepEqual(await violations(element), []);
      });
    }
  });
}

for (const lang of ['ar', 'zh-CN']) {
  it(`axe finds no violation in ${lang}, finished Markdown`, async () => {
    const element = await STATES['finished Markdown with code and a table']();
    element.setAttribute('lang', lang);
    await waitFor(() => shadow(element, '[part="send-button"]').textContent.trim() !== 'Send', `the ${lang} strings`);

    assert.deepEqual(await violations(element), []);
  });
}
