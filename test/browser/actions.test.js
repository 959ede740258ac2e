// <chat-stream>'s message actions, inline editor and starters, by mouse and by keyboard, over
// real HTTP (test/fixtures/server.js).
import {assert, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {CODE_BLOCK_SOURCE, GREETING_TEXT} from '../fixtures/scenarios.js';
import {chat, endpoint, newProbe, nextFrame, pause, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

/** An element that has answered "hi" with `scenario`. */
async function answered(scenario = 'greeting', options = {}) {
  const element = await chat(scenario, options);
  await element.send('hi');
  await element.updateComplete;
  return element;
}

const lastAnswer = (element) => shadowAll(element, '[part~="assistant"]').at(-1);
const button = (element, part) => shadow(element, `[part="${part}"]`);
const labels = (container) => [...container.querySelectorAll('button')].map((node) => node.getAttribute('aria-label'));
const sentMessages = async (probe) => JSON.parse((await readProbe(probe)).body).messages;
const contents = (element) => shadowAll(element, '[part="content"]').map((node) => node.textContent);
const active = (element) => element.shadowRoot.activeElement?.getAttribute('part') ?? document.activeElement?.tagName;

describe('<chat-stream> message actions', () => {
  it('shows Copy, Regenerate and the two ratings under a finished answer, each named', async () => {
    const element = await answered();

    assert.deepEqual(labels(lastAnswer(element).querySelector('[part="actions"]')), ['Copy', 'Regenerate', 'Good answer', 'Bad answer']);
  });

  for (const [part, role] of [['edit-button', 'user'], ['regenerate-button', 'assistant']]) {
    it(`shows ${part} under the last ${role} message only`, async () => {
      const element = await answered();
      await element.send('again');
      await element.updateComplete;

      const shown = shadowAll(element, `[part~="${role}"]`).map((message) => Boolean(message.querySelector(`[part="${part}"]`)));
      assert.deepEqual(shown, [false, true]);
    });
  }

  it('shows no actions under an answer still streaming', async () => {
    const element = await chat('slow');
    const pending = element.send('hi');
    await oneEvent(element, 'update');
    await element.updateComplete;

    assert.isNull(lastAnswer(element).querySelector('[part="actions"]'));
    element.stop();
    await pending;
  });

  it('shows only the actions the actions attribute lists', async () => {
    const element = await answered('greeting', {attributes: 'actions=copy'});

    assert.deepEqual(labels(lastAnswer(element).querySelector('[part="actions"]')), ['Copy']);
    assert.isNull(button(element, 'edit-button'));
  });

  it('copies the answer as its Markdown source and announces it', async () => {
    const element = await answered('code');
    const written = [];
    const original = navigator.clipboard.writeText;
    navigator.clipboard.writeText = async (text) => void written.push(text);

    try {
      button(element, 'copy-answer-button').click();
      await waitFor(() => shadow(element, '[role="status"].visually-hidden').textContent.trim() === 'Copied', 'the announcement');
    } finally {
      navigator.clipboard.writeText = original;
    }

    assert.deepEqual(written, [`Here:\n\n\`\`\`python\n${CODE_BLOCK_SOURCE}\n\`\`\`\n`]);
  });

  it('announces a copy that failed', async () => {
    const element = await answered();
    const original = navigator.clipboard.writeText;
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Document is not focused', 'NotAllowedError'));
    const warn = console.warn;
    console.warn = () => {};

    try {
      button(element, 'copy-answer-button').click();
      await waitFor(() => shadow(element, '[role="status"].visually-hidden').textContent.trim() === 'Copy failed', 'the announcement');
    } finally {
      navigator.clipboard.writeText = original;
      console.warn = warn;
    }
  });

  it('regenerates the last answer: the question is asked again and its answer replaced', async () => {
    const probe = newProbe();
    const element = await answered('greeting', {params: {probe}});
    const oldAnswer = element.messages[1].id;

    const done = oneEvent(element, 'done');
    button(element, 'regenerate-button').click();
    await done;

    assert.strictEqual((await readProbe(probe)).requests, 2);
    assert.deepEqual(await sentMessages(probe), [{role: 'user', content: 'hi'}]);
    assert.strictEqual(element.messages.length, 2);
    assert.notStrictEqual(element.messages[1].id, oldAnswer);
  });

  it('rates an answer: the button is pressed, feedback fires with the message, and a second press takes it back', async () => {
    const element = await answered();
    const answerId = element.messages[1].id;
    const up = () => button(element, 'feedback-up-button');

    const [{detail}] = await Promise.all([oneEvent(element, 'feedback'), up().click()]);
    await element.updateComplete;
    const pressed = up().getAttribute('aria-pressed');
    const [{detail: undone}] = await Promise.all([oneEvent(element, 'feedback'), up().click()]);
    await element.updateComplete;

    assert.deepEqual([detail.messageId, detail.value, detail.message.feedback], [answerId, 'up', 'up']);
    assert.strictEqual(pressed, 'true');
    assert.deepEqual([undone.value, up().getAttribute('aria-pressed')], [null, 'false']);
    assert.strictEqual(element.messages[1].feedback, undefined);
  });

  it('edits the last question inline: Enter resends it and drops the old answer', async () => {
    const probe = newProbe();
    const element = await answered('greeting', {params: {probe}});

    button(element, 'edit-button').click();
    await element.updateComplete;
    const editor = button(element, 'editor-input');
    assert.strictEqual(element.shadowRoot.activeElement, editor, 'the editor has focus');
    assert.strictEqual(editor.value, 'hi');
    editor.select();
    const done = oneEvent(element, 'done');
    await sendKeys({type: 'hello'});
    await sendKeys({press: 'Enter'});
    await done;
    await element.updateComplete;

    assert.deepEqual(await sentMessages(probe), [{role: 'user', content: 'hello'}]);
    assert.deepEqual(element.messages.map((message) => message.content), ['hello', GREETING_TEXT]);
    assert.deepEqual(contents(element), ['hello', GREETING_TEXT], 'the edited question is shown');
    assert.isNull(button(element, 'editor'));
  });

  it('cancels an edit with Escape, giving focus back to Edit', async () => {
    const probe = newProbe();
    const element = await answered('greeting', {params: {probe}});
    button(element, 'edit-button').click();
    await element.updateComplete;

    await sendKeys({type: ' changed'});
    await sendKeys({press: 'Escape'});
    await element.updateComplete;

    assert.isNull(button(element, 'editor'));
    assert.strictEqual(element.shadowRoot.activeElement, button(element, 'edit-button'));
    assert.deepEqual(element.messages.map((message) => message.content), ['hi', GREETING_TEXT]);
    assert.strictEqual((await readProbe(probe)).requests, 1);
  });

  it('reaches every action with Tab and presses it with Enter', async () => {
    const element = await answered();
    const input = button(element, 'input');
    input.focus();

    const reached = [];
    await sendKeys({down: 'Shift'});
    for (let i = 0; i < 6; i++) {
      await sendKeys({press: 'Tab'});
      reached.push(element.shadowRoot.activeElement?.getAttribute('part'));
    }
    await sendKeys({up: 'Shift'});
    button(element, 'feedback-down-button').focus();
    const rated = oneEvent(element, 'feedback');
    await sendKeys({press: 'Enter'});

    assert.includeMembers(reached, ['feedback-down-button', 'feedback-up-button', 'regenerate-button', 'copy-answer-button', 'edit-button']);
    assert.strictEqual((await rated).detail.value, 'down');
  });

  it('keeps the Retry button for a failed answer, with no other actions', async () => {
    const element = await answered('stream-error');

    assert.ok(button(element, 'retry-button'));
    assert.isNull(lastAnswer(element).querySelector('[part="actions"]'));
  });
});

describe('<chat-stream> starters', () => {
  it('shows starters given as strings and {title, prompt}, and clicking one sends its prompt', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});
    element.starters = ['What is chat-stream?', {title: 'Say hello', prompt: 'Hello in three languages'}];
    await element.updateComplete;

    const buttons = shadowAll(element, '[part="starter-button"]');
    assert.deepEqual(buttons.map((node) => node.textContent), ['What is chat-stream?', 'Say hello']);
    const done = oneEvent(element, 'done');
    buttons[1].click();
    await done;
    await element.updateComplete;

    assert.deepEqual(await sentMessages(probe), [{role: 'user', content: 'Hello in three languages'}]);
    assert.isNull(shadow(element, '[part="starters"]'), 'the starters leave with the empty state');
  });

  it('reads the starters attribute as prompts separated by |', async () => {
    const element = await fixture(html`<chat-stream starters="First question | Second one"></chat-stream>`);

    assert.deepEqual(shadowAll(element, '[part="starter-button"]').map((node) => node.textContent), ['First question', 'Second one']);
  });

  it('reads the starters attribute as JSON when it starts with [', async () => {
    const element = await fixture(html`<chat-stream starters='[{"title": "Pricing", "prompt": "How much is it?"}, "A | pipe"]'></chat-stream>`);

    const buttons = shadowAll(element, '[part="starter-button"]');
    assert.deepEqual(buttons.map((node) => [node.textContent, node.dataset.prompt]), [['Pricing', 'How much is it?'], ['A | pipe', 'A | pipe']]);
  });

  it('names a bad starter in the console and shows the others', async () => {
    const errors = [];
    const original = console.error;
    console.error = (message) => errors.push(message);
    let element;
    try {
      element = await fixture(html`<chat-stream .starters=${['ok', {title: 'no prompt'}]}></chat-stream>`);
    } finally {
      console.error = original;
    }

    assert.deepEqual(shadowAll(element, '[part="starter-button"]').map((node) => node.textContent), ['ok']);
    assert.match(errors.join('\n'), /starters\[1\]/);
  });

  it('keeps the page slotted into empty beside the starters', async () => {
    const element = await fixture(html`<chat-stream starters="One"><p slot="empty">Welcome!</p></chat-stream>`);

    assert.strictEqual(shadow(element, 'slot[name="empty"]').assignedElements()[0].textContent, 'Welcome!');
    assert.ok(shadow(element, '[part="starter-button"]'));
  });
});

describe('<chat-stream> inline editor', () => {
  it('cancels with Enter on the editor\'s Cancel button, sending nothing', async () => {
    const probe = newProbe();
    const element = await answered('greeting', {params: {probe}});
    button(element, 'edit-button').click();
    await element.updateComplete;
    await sendKeys({type: ' changed'});
    button(element, 'editor-cancel-button').focus();
    await sendKeys({press: 'Enter'});
    await pause(300);
    await element.updateComplete;
    assert.strictEqual((await readProbe(probe)).requests, 1, 'no second request');
    assert.deepEqual(element.messages.map((message) => message.content), ['hi', GREETING_TEXT]);
  });

  it('keeps the editor open on an Escape that ends an IME composition', async () => {
    const element = await answered();
    button(element, 'edit-button').click();
    await element.updateComplete;
    const input = button(element, 'editor-input');
    input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', isComposing: true, bubbles: true, composed: true, cancelable: true}));
    await element.updateComplete;
    assert.ok(button(element, 'editor'), 'editor still open');
  });

  it('keeps an Escape that closes the editor from reaching the page', async () => {
    const element = await answered();
    let seen = false;
    element.addEventListener('keydown', (event) => (seen ||= event.key === 'Escape' && !event.defaultPrevented));
    button(element, 'edit-button').click();
    await element.updateComplete;
    await sendKeys({press: 'Escape'});
    assert.isFalse(seen, 'Escape reached the page un-prevented');
  });

  it('closes the editor, not a modal dialog around the chat, on Escape', async () => {
    const dialog = await fixture(html`<dialog><chat-stream endpoint=${endpoint('greeting')} token="t"></chat-stream></dialog>`);
    dialog.showModal();
    const element = dialog.querySelector('chat-stream');
    await element.updateComplete;
    await element.send('hi');
    await element.updateComplete;
    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;
    await sendKeys({press: 'Escape'});
    await pause(50);
    const open = dialog.open;
    dialog.close();
    assert.isTrue(open, 'the dialog closed');
  });

  it('scrolls the opened editor into view rather than following the newest text', async () => {
    const element = await chat('long');
    await element.send('hi');
    await element.updateComplete;
    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;
    await nextFrame();
    await nextFrame();
    const log = shadow(element, '[part="log"]').getBoundingClientRect();
    const editor = shadow(element, '[part="editor-input"]');
    const box = editor.getBoundingClientRect();
    assert.strictEqual(element.shadowRoot.activeElement, editor);
    assert.isTrue(box.bottom > log.top && box.top < log.bottom, `editor ${box.top}-${box.bottom} outside log ${log.top}-${log.bottom}`);
  });

  it('moves focus to the input when the editor\'s Send is pressed', async () => {
    const element = await answered();
    button(element, 'edit-button').click();
    await element.updateComplete;
    button(element, 'editor-send-button').focus();
    const done = oneEvent(element, 'done');
    await sendKeys({press: 'Space'});
    await done;
    await element.updateComplete;
    assert.strictEqual(active(element), 'input');
  });
});

describe('<chat-stream> actions keep focus and speak', () => {
  it('shows the default actions again when the actions attribute is removed', async () => {
    const element = await answered('greeting', {attributes: 'actions=copy'});
    element.removeAttribute('actions');
    let error;
    try {
      await element.updateComplete;
    } catch (e) {
      error = e;
    }
    assert.isUndefined(error, String(error));
    assert.ok(button(element, 'regenerate-button'), 'default actions back');
  });

  it('moves focus to the input when Regenerate, which goes with its answer, is pressed', async () => {
    const element = await answered();
    button(element, 'regenerate-button').focus();
    const done = oneEvent(element, 'done');
    await sendKeys({press: 'Enter'});
    await done;
    await element.updateComplete;
    assert.strictEqual(active(element), 'input');
  });

  it('keeps focus on a rating button once pressed', async () => {
    const element = await answered();
    button(element, 'feedback-up-button').focus();
    await sendKeys({press: 'Enter'});
    await element.updateComplete;
    assert.strictEqual(active(element), 'feedback-up-button');
  });

  it('moves focus to the input when a starter, which goes with the empty state, is pressed', async () => {
    const element = await chat('greeting');
    element.starters = ['one'];
    await element.updateComplete;
    button(element, 'starter-button').focus();
    const done = oneEvent(element, 'done');
    await sendKeys({press: 'Enter'});
    await done;
    await element.updateComplete;
    assert.strictEqual(active(element), 'input');
  });

  it('announces a second Copy made while the first is still announced', async () => {
    const element = await answered();
    const original = navigator.clipboard.writeText;
    navigator.clipboard.writeText = async () => {};
    const region = shadow(element, '[role="status"].visually-hidden');
    try {
      button(element, 'copy-answer-button').click();
      await waitFor(() => region.textContent.trim() === 'Copied', 'first');
      await pause(200);
      let mutated = false;
      const observer = new MutationObserver(() => (mutated = true));
      observer.observe(region, {subtree: true, childList: true, characterData: true});
      button(element, 'copy-answer-button').click();
      await pause(200);
      await element.updateComplete;
      observer.disconnect();
      assert.isTrue(mutated, 'the live region did not change for the second copy');
    } finally {
      navigator.clipboard.writeText = original;
    }
  });

  it('announces Copy failed where there is no clipboard (a page over plain http)', async () => {
    const element = await chat('greeting');
    await element.send('hi');
    await element.updateComplete;
    const descriptor = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});
    const errors = [];
    const onError = (event) => {
      errors.push(event.message);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      shadow(element, '[part="copy-answer-button"]').dispatchEvent(new MouseEvent('click', {bubbles: true, composed: true}));
      await waitFor(() => shadow(element, '[role="status"].visually-hidden').textContent.trim() !== '', 'the announcement');
    } finally {
      Object.defineProperty(Navigator.prototype, 'clipboard', descriptor);
      window.removeEventListener('error', onError);
    }
    assert.deepEqual(errors, []);
    assert.strictEqual(shadow(element, '[role="status"].visually-hidden').textContent.trim(), 'Copy failed');
  });

  it('gives a starter that cannot be sent (no endpoint) to the input', async () => {
    const element = await fixture(html`<chat-stream token="t" starters="Hello there"></chat-stream>`);
    const original = console.error;
    console.error = () => {};
    try {
      shadow(element, '[part="starter-button"]').click();
      await pause(50);
    } finally {
      console.error = original;
    }
    assert.strictEqual(shadow(element, '[part="input"]').value, 'Hello there');
  });
});

describe('<chat-stream> gives texts back', () => {
  it('gives an edit sent while an answer streams back to the input when it needs a sign-in', async () => {
    const element = await chat('slow');
    const input = shadow(element, '[part="input"]');
    input.value = 'one';
    shadow(element, '[part="form"]').requestSubmit();
    await waitFor(() => element.messages[1]?.content === 'first ', 'the answer to stream');
    await element.updateComplete;
    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;
    shadow(element, '[part="editor-input"]').value = 'uno';
    element.endpoint = endpoint('http-401');
    const login = oneEvent(element, 'login-required');
    shadow(element, '[part="editor"]').requestSubmit();
    const {detail} = await login;
    await pause(50);
    assert.strictEqual(input.value, 'uno');
  });
});
