// What screen reader and keyboard users get from <chat-stream>: names, groups, one
// announcement per event that matters, Escape, and the strings in the reader's language.
import {assert} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {EN, fill} from '../../src/strings.ts';
import {announcements, chat, shadow, shadowAll, waitFor} from './helpers.js';

describe('<chat-stream> for screen readers', () => {
  it('names the conversation log, and the log-label attribute renames it', async () => {
    const element = await chat('greeting');
    const log = shadow(element, '[part="log"]');

    assert.strictEqual(log.getAttribute('aria-label'), 'Conversation');
    element.setAttribute('log-label', 'Support chat');
    await element.updateComplete;
    assert.strictEqual(log.getAttribute('aria-label'), 'Support chat');
  });

  it('keeps the log itself silent: announcements come from one live region', async () => {
    const element = await chat('greeting');

    assert.strictEqual(shadow(element, '[part="log"]').getAttribute('aria-live'), 'off');
  });

  it('names the input from input-label', async () => {
    const element = await chat('greeting', {attributes: 'input-label=Ask'});

    assert.strictEqual(shadow(element, '[part="input"]').getAttribute('aria-label'), 'Ask');
  });

  it('makes each message a group named by who said it and how the answer stands', async () => {
    const element = await chat('greeting');

    await element.send('hi');

    const names = shadowAll(element, '[part~="message"]').map((message) => [message.getAttribute('role'), message.getAttribute('aria-label')]);
    assert.deepEqual(names, [
      ['group', 'You'],
      ['group', 'Assistant'],
    ]);
  });

  it('names a stopped answer as stopped', async () => {
    const element = await chat('slow');
    const sent = element.send('hi');
    await waitFor(() => shadow(element, '[part~="assistant"]')?.getAttribute('aria-label') === 'Assistant, answering', 'the answer to stream');

    element.stop();
    await sent;

    assert.strictEqual(shadow(element, '[part~="assistant"]').getAttribute('aria-label'), 'Assistant, Stopped');
  });

  it('announces a finished answer once, with its text, and not its tokens', async () => {
    const element = await chat('greeting', {params: {split: 'hostile'}});

    const said = await announcements(element, () => element.send('hi'));

    assert.strictEqual(said.length, 1, JSON.stringify(said));
    assert.strictEqual(said[0], `Answer: ${element.messages[1].content.trim()}`);
  });

  it('announces a failure once, in words for the reader, and no alert sits in the log', async () => {
    const element = await chat('http-500-json');

    const said = await announcements(element, () => element.send('hi'));

    assert.deepEqual(said, ['The server answered with an error (500).']);
    assert.isNull(shadow(element, '[part="log"] [role="alert"]'));
  });

  it('gives the waiting indicator a name a screen reader reads', async () => {
    const element = await chat('slow', {params: {delay: '3000'}});
    const sent = element.send('hi');

    await waitFor(() => shadow(element, '.waiting'), 'the waiting indicator');

    const waiting = shadow(element, '.waiting');
    assert.strictEqual(waiting.getAttribute('role'), 'img');
    assert.strictEqual(waiting.getAttribute('aria-label'), 'Waiting for the answer');
    element.stop();
    await sent;
  });

  it("lets each answer's text set its own direction", async () => {
    const element = await chat('greeting');

    await element.send('hi');

    assert.isTrue(shadowAll(element, '[part="content"]').every((content) => content.getAttribute('dir') === 'auto'));
  });
});

describe('<chat-stream> by keyboard', () => {
  it('stops a streaming answer on Escape in the input', async () => {
    const element = await chat('slow');
    const sent = element.send('hi');
    await waitFor(() => element.streaming && element.messages[1]?.content, 'the answer to stream');

    shadow(element, '[part="input"]').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, composed: true}));

    assert.strictEqual((await sent).status, 'aborted');
    assert.strictEqual(element.messages[1].status, 'stopped');
  });

  it('says why Enter sent nothing while an answer streams', async () => {
    const element = await chat('slow');
    const sent = element.send('hi');
    await waitFor(() => element.streaming, 'the answer to stream');
    const input = shadow(element, '[part="input"]');
    input.value = 'next question';

    const said = await announcements(element, async () => input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, composed: true})));

    assert.deepEqual(said, [EN.busy]);
    assert.strictEqual(input.value, 'next question');
    element.stop();
    await sent;
  });
});

describe('<chat-stream> in every language', () => {
  it('replaces any built-in string with the strings property', async () => {
    const element = await chat('greeting');

    element.strings = {send: 'Go', log: 'Chat history'};
    await element.updateComplete;

    assert.strictEqual(shadow(element, '[part="send-button"]').textContent.trim(), 'Go');
    assert.strictEqual(shadow(element, '[part="log"]').getAttribute('aria-label'), 'Chat history');
  });

  it("speaks the element's lang: zh-CN strings once the locale has loaded", async () => {
    const element = await chat('greeting', {attributes: 'lang=zh-CN'});

    await waitFor(() => shadow(element, '[part="send-button"]').textContent.trim() !== 'Send', 'the zh-CN strings');

    const zh = (await import('../../src/locales/zh-CN.ts')).default;
    assert.strictEqual(shadow(element, '[part="send-button"]').textContent.trim(), zh.send);
    assert.strictEqual(shadow(element, '[part="input"]').getAttribute('placeholder'), zh.placeholder);
  });

  it('takes a Traditional Chinese tag to zh-TW and an unknown one to English', async () => {
    const {localeFor} = await import('../../src/strings.ts');

    assert.deepEqual(['zh-Hant-HK', 'zh-TW', 'zh', 'pt', 'ar-EG', 'sv-SE'].map(localeFor), ['zh-TW', 'zh-TW', 'zh-CN', 'pt-BR', 'ar', 'en']);
  });

  it('lays itself out right to left for an Arabic lang, unless the page set dir', async () => {
    const arabic = await chat('greeting', {attributes: 'lang=ar'});
    const pinned = await chat('greeting', {attributes: 'dir=ltr lang=ar'});

    assert.strictEqual(arabic.getAttribute('dir'), 'rtl');
    assert.strictEqual(pinned.getAttribute('dir'), 'ltr');
  });

  it('has every locale translate every string, keeping its {placeholders}', async () => {
    const {LOCALES} = await import('../../src/strings.ts');
    // `{name}`, and the name of a plural choice `{name, plural, …}`.
    const placeholders = (text) => [...text.matchAll(/\{(\w+)[,}]/g)].map(([, name]) => name).sort().join();

    for (const locale of LOCALES) {
      const table = (await import(`../../src/locales/${locale}.ts`)).default;
      assert.deepEqual(Object.keys(table), Object.keys(EN), locale);
      for (const [key, text] of Object.entries(table)) assert.strictEqual(placeholders(text), placeholders(EN[key]), `${locale}.${key}`);
    }
  });
});

describe('<chat-stream> events when nothing is sent', () => {
  it('fires login-required and no request when there is no token', async () => {
    const element = await chat('greeting', {token: ''});
    const fired = [];
    for (const type of ['request', 'login-required']) element.addEventListener(type, () => fired.push(type));

    await element.send('hi');

    assert.deepEqual(fired, ['login-required']);
  });
});

describe('<chat-stream> sign-in by keyboard', () => {
  it('moves focus to the input when the sign-in prompt hides under it', async () => {
    const element = await chat('greeting', {token: ''});
    const button = Object.assign(document.createElement('button'), {slot: 'login', textContent: 'Sign in'});
    element.append(button);
    await element.send('hi');
    button.focus();

    element.token = 'new-token';
    await element.updateComplete;

    assert.isTrue(shadow(element, '[part="login"]').hidden);
    assert.strictEqual(element.shadowRoot.activeElement, shadow(element, '[part="input"]'));
  });
});

describe("<chat-stream> answers' headings in the page's outline", () => {
  it('puts an answer\'s headings below the chat\'s level, 2 by default, keeping their tags', async () => {
    const element = await chat('greeting');

    element.messages = [{role: 'assistant', content: '# Title\n\n## Part\n\n###### Deep'}];
    await element.updateComplete;

    const levels = shadowAll(element, '[part="content"] :is(h1, h2, h6)').map((heading) => [heading.localName, heading.getAttribute('aria-level')]);
    assert.deepEqual(levels, [
      ['h1', '3'],
      ['h2', '4'],
      ['h6', '6'],
    ]);
  });

  it('announces an answer that starts at ## from the level under the chat, skipping none', async () => {
    const element = await chat('greeting');

    element.messages = [{role: 'assistant', content: '## Part\n\n### Detail\n\n# Above'}];
    await element.updateComplete;

    const levels = shadowAll(element, '[part="content"] :is(h1, h2, h3)').map((heading) => heading.getAttribute('aria-level'));
    assert.deepEqual(levels, ['3', '4', '3']);
  });

  it('follows heading-level, and 0 leaves the levels as written', async () => {
    const element = await chat('greeting', {attributes: 'heading-level=0'});

    element.messages = [{role: 'assistant', content: '# Title'}];
    await element.updateComplete;

    assert.isNull(shadow(element, '[part="content"] h1').getAttribute('aria-level'));
  });
});

describe('<chat-stream> numbers in the reader\'s language', () => {
  it('writes an HTTP status as the locale writes numbers', async () => {
    const element = await chat('http-500-json', {attributes: 'lang=ar'});
    await waitFor(() => shadow(element, '[part="send-button"]').textContent.trim() !== 'Send', 'the ar strings');

    await element.send('hi');

    assert.include(shadow(element, '[part="error"]').textContent, new Intl.NumberFormat('ar', {useGrouping: false}).format(500));
  });
});

describe('<chat-stream> announcing a drawn answer', () => {
  it('speaks its words apart across lines and blocks, without code headers', async () => {
    const element = await chat('code');

    const said = await announcements(element, () => element.send('hi'));

    assert.strictEqual(said.length, 1);
    assert.notInclude(said[0], 'Copy');
    assert.match(said[0], /^Answer: Here: \S/);
  });

  it('cuts a long answer at 400 characters, ending with an ellipsis', async () => {
    const element = await chat('long');
    const words = Array.from({length: 120}, (_, i) => `Line ${i + 1} of a long answer`).join(' ');

    const said = await announcements(element, () => element.send('hi'));

    assert.deepEqual(said, [fill(EN.answered, {text: `${words.slice(0, 400)}…`})]);
  });
});

describe('<chat-stream> message names in the reader\'s language', () => {
  it("joins who and the answer's state as the locale does", async () => {
    const element = await chat('slow', {attributes: 'lang=zh-CN'});
    await waitFor(() => shadow(element, '[part="send-button"]').textContent.trim() !== 'Send', 'the zh-CN strings');
    const zh = (await import('../../src/locales/zh-CN.ts')).default;
    const sent = element.send('hi');
    await waitFor(() => element.messages[1]?.content, 'the answer to stream');

    element.stop();
    await sent;

    assert.strictEqual(shadow(element, '[part~="assistant"]').getAttribute('aria-label'), `${zh.assistant}，${zh.stopped}`);
  });
});
