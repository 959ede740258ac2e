// <chat-stream>'s message actions, inline editor and starters, by mouse and by keyboard, over
// real HTTP (test/fixtures/server.js).
import {assert, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {CODE_BLOCK_SOURCE, GREETING_TEXT} from '../fixtures/scenarios.js';
import {chat, endpoint, newProbe, pause, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

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

describe('<chat-stream> shares a session', () => {
  it('shows one session in two elements: an answer sent from one appears in both', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;

    await left.send('hi');
    await Promise.all([left.updateComplete, right.updateComplete]);
    await pause(0);

    const texts = (element) => shadowAll(element, '[part="content"]').map((node) => node.textContent);
    assert.deepEqual(texts(right), ['hi', GREETING_TEXT]);
    assert.deepEqual(texts(right), texts(left));
  });

  it('fires the session events on the element that shows it, whichever element sent', async () => {
    const [left, right] = await Promise.all([chat('greeting'), chat('greeting')]);
    right.session = left.session;

    const [{detail}] = await Promise.all([oneEvent(right, 'done'), left.send('hi')]);

    assert.strictEqual(detail.text, GREETING_TEXT);
  });

  it('leaves a shared session running when one of its elements is removed', async () => {
    const [left, right] = await Promise.all([chat('greeting', {params: {pace: 20}}), chat('greeting')]);
    right.session = left.session;

    const pending = left.send('hi');
    right.remove();
    const result = await pending;

    assert.strictEqual(result.status, 'done');
  });

  it('rejects a session that is not a ChatSession, naming it', async () => {
    const element = await chat('greeting');

    assert.throws(() => (element.session = {}), /`session`/);
  });

  it('sends to the endpoint of the element whose attribute is set, through the shared session', async () => {
    const probe = newProbe();
    const left = await chat('greeting', {params: {probe}});
    const right = await fixture(html`<chat-stream></chat-stream>`);
    right.session = left.session;

    await right.session.send('hi');

    assert.strictEqual((await readProbe(probe)).requests, 1);
    assert.strictEqual(right.session.options.url, endpoint('greeting', {probe}));
  });
});
